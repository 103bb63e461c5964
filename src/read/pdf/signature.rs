//! Digital signatures in a PDF: every signature dictionary, found by its `/ByteRange` and
//! `/Contents` without parsing the whole file, its CMS checked against the signed bytes.
//!
//! An e-office system signs a PDF by appending an incremental update whose signature
//! dictionary holds a CMS (PKCS#7) `SignedData` over every byte of the file except the
//! `/Contents` hex string itself; each further signature appends another update. So the
//! signatures are found by scanning the bytes for `/ByteRange` (which also works on files a
//! PDF parser would reject), keeping those whose dictionary says it is a signature, and each
//! is checked on its own: the digest of its byte ranges against the signed `messageDigest`,
//! then the signer's signature over the signed attributes with the key of the certificate
//! the CMS carries. The trust chain is only judged against root certificates the user gives
//! ([`check_trust`]); revocation (CRL, OCSP) is not checked, it needs the network.
//!
//! Work is bounded: at most [`MAX_SIGNATURES`] signatures, a fixed budget for looking at
//! dictionaries, no recursion deeper than a few levels; nothing here panics on any input.

use std::path::Path;

use cms::signed_data::{SignerIdentifier, SignerInfo};
use der::asn1::{GeneralizedTime, ObjectIdentifier, OctetString};
use der::{Decode, Encode, Tag, Tagged};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use unicode_normalization::UnicodeNormalization;
use x509_cert::certificate::{CertificateInner, Raw};
use x509_cert::ext::pkix::{BasicConstraints, SubjectKeyIdentifier};
use x509_cert::name::Name;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::time::Time;

use crate::Error;

/// The most signatures read from one file; a real document has a handful (one per signer
/// and seal, nine at most in the corpus).
pub const MAX_SIGNATURES: usize = 64;

/// One digital signature of a PDF, as found and checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// The signer: the common name (CN) of the signing certificate's subject, a person
    /// (`Phan Trung Bá`) or an office's seal (`ỦY BAN NHÂN DÂN TỈNH LÀO CAI`).
    pub signer: Option<String>,
    /// The organisation (O) of the signing certificate's subject.
    pub organization: Option<String>,
    /// The common name of the signing certificate's issuer, the certification authority
    /// (`CA phục vụ các cơ quan Nhà nước G2`).
    pub issuer: Option<String>,
    /// When it was signed, ISO 8601 with an offset: the `signingTime` the signer put in the
    /// signed attributes, else the `/M` of the signature dictionary (also when the attribute
    /// is `/M`'s local time mislabelled as UTC, as some signing software writes it). Shown
    /// in the offset of `/M` when there is one (the signer's local time), else in UTC. As
    /// the signer claims it: only a timestamp authority vouches for a time.
    pub signing_time: Option<String>,
    /// The time an RFC 3161 timestamp authority vouched for, when the signature carries a
    /// timestamp token (read from the token, not verified), in the same offset.
    pub timestamp: Option<String>,
    /// The dictionary's `/Name`: who signed, as the signing software put it.
    pub name: Option<String>,
    /// The dictionary's `/Reason`.
    pub reason: Option<String>,
    /// The dictionary's `/Location`.
    pub location: Option<String>,
    /// The dictionary's `/SubFilter`: `adbe.pkcs7.detached`, `ETSI.CAdES.detached`…
    pub sub_filter: Option<String>,
    /// The digest algorithm the signer used.
    pub digest: Option<DigestAlgorithm>,
    /// The bytes the signature covers, as byte offsets `[start, end)` into the file.
    pub byte_ranges: Vec<ByteSpan>,
    /// The ranges cover the file from its first byte to the end of this signature's
    /// revision (a `%%EOF`), leaving out only the `/Contents` string: nothing that was in
    /// the file when it was signed escapes the signature.
    pub covers_revision: bool,
    /// The ranges reach the end of the file: nothing was appended after this signature
    /// (only the last signature of a file signed several times has this).
    pub covers_file: bool,
    /// Whether the signed bytes still match the signature.
    pub integrity: Integrity,
    /// Whether the signer's certificate chains to a trusted root; [`Trust::Unknown`] unless
    /// roots were given ([`check_trust`]).
    pub trust: Trust,
    /// What [`check_trust`] needs, kept out of the record.
    #[serde(skip)]
    evidence: Evidence,
}

/// What a trust check needs from the CMS: the certificates (signer first) and when the
/// signature claims to have been made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Evidence {
    /// DER of the signer's certificate, then every other certificate in the CMS (in the
    /// whole file, when the signer's certificate had to be found elsewhere in it).
    certificates: Vec<Vec<u8>>,
    /// Seconds since 1970 of the signing time, when known.
    signed_at: Option<i64>,
}

/// A byte range of the file, `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByteSpan {
    /// Offset of the first byte.
    pub start: u64,
    /// Offset just past the last byte.
    pub end: u64,
}

/// A digest algorithm a signature can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DigestAlgorithm {
    /// SHA-1 (broken for collisions; still found in signatures made until about 2021).
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

/// Whether the signed bytes still match the signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", content = "detail", rename_all = "lowercase")]
pub enum Integrity {
    /// The digest of the signed ranges equals the signed `messageDigest`, and the signature
    /// over the signed attributes verifies with the signer certificate's key.
    Valid,
    /// The digest of the signed ranges differs from the signed one (or the ranges reach past
    /// the end of the file): the file was changed after signing.
    Modified,
    /// The digest matches but the signature itself does not verify with the signer's key.
    Invalid,
    /// An algorithm or form this checker does not verify (named).
    Unsupported(String),
    /// The signature is not a readable CMS `SignedData`, or its byte ranges make no sense.
    Malformed(String),
}

/// Whether the signer's certificate chains to a root the user trusts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", content = "detail", rename_all = "lowercase")]
pub enum Trust {
    /// No roots were given, or the signature carries no certificate to check.
    Unknown,
    /// Every link from the signer's certificate to a given root verifies, and each
    /// certificate was valid at the signing time.
    Trusted,
    /// The chain does not reach a given root (why).
    Untrusted(String),
}

/// A root certificate the user trusts (`--trust DIR`).
#[derive(Debug, Clone)]
pub struct Root {
    cert: Cert,
}

impl Root {
    /// The root's subject common name (or its whole name when it has none).
    pub fn name(&self) -> String {
        display_name(self.cert.parsed.tbs_certificate().subject())
    }
}

/// Every signature of a PDF, in file order, each checked; trust is [`Trust::Unknown`].
///
/// Never panics and does bounded work on any bytes; a file without signatures gives an
/// empty list.
pub fn signatures(bytes: &[u8]) -> Vec<Signature> {
    let found = find(bytes);
    let mut prepared: Vec<(Signature, Result<Cms, Integrity>)> = found
        .iter()
        .take(MAX_SIGNATURES)
        .map(|found| prepare(bytes, found))
        .collect();
    adopt_signers(&mut prepared);
    let requests: Vec<Option<Request>> = prepared
        .iter()
        .map(|(signature, cms)| {
            let ranges = signature
                .byte_ranges
                .iter()
                .map(|s| Some(usize::try_from(s.start).ok()?..usize::try_from(s.end).ok()?))
                .collect::<Option<Vec<_>>>()?;
            Some((cms.as_ref().ok()?.digest?, ranges))
        })
        .collect();
    let digests = range_digests(bytes, &requests);
    prepared
        .into_iter()
        .zip(digests)
        .map(|((mut signature, cms), digest)| {
            signature.integrity = match (cms, digest) {
                (Ok(cms), Some(digest)) => integrity(&cms, &digest),
                (Ok(_), None) => Integrity::Modified,
                (Err(verdict), _) => verdict,
            };
            signature
        })
        .collect()
}

/// [`signatures`], then each signer's chain checked against `roots`.
pub fn signatures_with_roots(bytes: &[u8], roots: &[Root]) -> Vec<Signature> {
    let mut all = signatures(bytes);
    for signature in &mut all {
        signature.trust = check_trust(signature, roots);
    }
    all
}

/// The root certificates in one file: PEM (any number of `CERTIFICATE` blocks) or DER.
/// `path` only names the file in the error.
pub fn roots(path: &Path, bytes: &[u8]) -> Result<Vec<Root>, Error> {
    let error = |reason: String| Error::Data {
        path: path.to_path_buf(),
        reason,
    };
    if memchr::memmem::find(bytes, b"-----BEGIN").is_some() {
        // Each CERTIFICATE block decoded to its DER as written; other blocks are skipped.
        const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
        const END: &[u8] = b"-----END CERTIFICATE-----";
        let mut out = Vec::new();
        let mut rest = bytes;
        while let Some(begin) = memchr::memmem::find(rest, BEGIN) {
            let block = &rest[begin..];
            let end = memchr::memmem::find(block, END)
                .ok_or_else(|| error("not a PEM certificate: no END line".into()))?;
            let (_, der) = der::pem::decode_vec(&block[..end + END.len()])
                .map_err(|e| error(format!("not a PEM certificate: {e}")))?;
            let cert = Cert::parse(&der).ok_or_else(|| error("not a certificate".into()))?;
            out.push(Root { cert });
            rest = &block[end + END.len()..];
        }
        if out.is_empty() {
            return Err(error("no certificate in the PEM file".into()));
        }
        return Ok(out);
    }
    let cert = Cert::parse(bytes).ok_or_else(|| error("not a DER or PEM certificate".into()))?;
    Ok(vec![Root { cert }])
}

/// Checks the signer's certificate chain against `roots`: from the signer's certificate,
/// through the certificates the CMS carries, to a root, each link's signature verified,
/// each issuer a CA, each certificate valid at the signing time. Revocation is not checked.
pub fn check_trust(signature: &Signature, roots: &[Root]) -> Trust {
    let evidence = &signature.evidence;
    let Some(signer) = evidence.certificates.first().and_then(|d| Cert::parse(d)) else {
        return Trust::Unknown;
    };
    if roots.is_empty() {
        return Trust::Unknown;
    }
    let pool: Vec<Cert> = evidence.certificates[1..]
        .iter()
        .filter_map(|d| Cert::parse(d))
        .collect();
    let mut current = signer;
    for _ in 0..8 {
        if let Some(reason) = expired(&current, evidence.signed_at) {
            return Trust::Untrusted(reason);
        }
        if roots.iter().any(|r| r.cert.der == current.der) {
            return Trust::Trusted;
        }
        let issuer = current.parsed.tbs_certificate().issuer();
        let by_root = roots
            .iter()
            .map(|r| &r.cert)
            .filter(|r| same_name(r.parsed.tbs_certificate().subject(), issuer));
        let mut seen_issuer = false;
        for root in by_root {
            seen_issuer = true;
            if signs(root, &current) {
                return match expired(root, evidence.signed_at) {
                    Some(reason) => Trust::Untrusted(reason),
                    None => Trust::Trusted,
                };
            }
        }
        let next = pool.iter().find(|c| {
            same_name(c.parsed.tbs_certificate().subject(), issuer)
                && c.der != current.der
                && is_ca(c)
                && signs(c, &current)
        });
        match next {
            Some(next) => current = next.clone(),
            None if seen_issuer => {
                return Trust::Untrusted(format!(
                    "the signature of {} does not verify with the trusted root {}",
                    display_name(current.parsed.tbs_certificate().subject()),
                    display_name(issuer)
                ));
            }
            None => {
                return Trust::Untrusted(format!("issuer not found: {}", display_name(issuer)));
            }
        }
    }
    Trust::Untrusted("the chain is longer than 8 certificates".into())
}

// ---------------------------------------------------------------------------------------
// Finding signature dictionaries
// ---------------------------------------------------------------------------------------

/// How many `/ByteRange` occurrences are looked at, at most.
const MAX_HITS: usize = 1024;
/// How far before its `/ByteRange` a signature dictionary may open (the `/Contents`
/// string, when it comes first, is jumped over and not counted).
const DICT_WINDOW: usize = 16 * 1024;
/// The most `<<` tried as the opening of one `/ByteRange`'s dictionary.
const MAX_CANDIDATES: usize = 8;
/// The longest `/Contents` hex string read (a CMS with a timestamp and a chain is 20-40 KB).
const MAX_CONTENTS: usize = 4 * 1024 * 1024;

/// A signature dictionary as found in the bytes.
#[derive(Debug, Default)]
struct Found {
    /// `/ByteRange` as written: offset, length pairs.
    pairs: Vec<(u64, u64)>,
    /// Where the `/Contents` hex string lies, `<` to `>` inclusive, when the dictionary
    /// could be read; else the gap the ranges leave.
    contents: Option<(usize, usize)>,
    /// The dictionary's entries we report.
    entries: Entries,
}

/// The text entries of a signature dictionary.
#[derive(Debug, Default)]
struct Entries {
    name: Option<String>,
    reason: Option<String>,
    location: Option<String>,
    modified: Option<String>,
    sub_filter: Option<String>,
}

/// Finds every signature dictionary, in file order.
fn find(bytes: &[u8]) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    let mut budget = 64 * 1024 * 1024 + 2 * bytes.len();
    for hit in memchr::memmem::find_iter(bytes, b"/ByteRange").take(MAX_HITS) {
        if found.len() >= MAX_SIGNATURES {
            break;
        }
        let Some(pairs) = byte_range(bytes, hit + b"/ByteRange".len()) else {
            continue;
        };
        let gap = gap_of(&pairs);
        let dict = enclosing_dict(bytes, hit, gap, &mut budget);
        let is_signature = match &dict {
            Some(dict) => dict.is_signature(),
            None => markers_near(bytes, hit, gap) && holds_cms(bytes, gap),
        };
        if !is_signature {
            continue;
        }
        let mut one = Found {
            pairs,
            contents: gap,
            entries: Entries::default(),
        };
        if let Some(dict) = dict {
            if let Some(span) = dict.hex_span(b"Contents") {
                one.contents = Some(span);
            }
            one.entries = dict.entries();
        }
        found.push(one);
    }
    found.sort_by_key(|f| f.contents.map(|c| c.0));
    found.dedup_by(|a, b| a.pairs == b.pairs);
    found
}

/// The gap the first two ranges leave, where `/Contents` should be.
fn gap_of(pairs: &[(u64, u64)]) -> Option<(usize, usize)> {
    let (first, second) = (pairs.first()?, pairs.get(1)?);
    let start = usize::try_from(first.0.checked_add(first.1)?).ok()?;
    let end = usize::try_from(second.0).ok()?;
    (start < end).then_some((start, end))
}

/// Reads `[o1 l1 o2 l2 …]` after `/ByteRange`: an even number of non-negative integers.
fn byte_range(bytes: &[u8], at: usize) -> Option<Vec<(u64, u64)>> {
    let mut lexer = Lexer::new(bytes, at, bytes.len().min(at.saturating_add(512)));
    let Value::Array(items) = lexer.value(0)? else {
        return None;
    };
    let numbers: Vec<u64> = items
        .iter()
        .map(|v| match v {
            Value::Int(n) => u64::try_from(*n).ok(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    if numbers.len() < 4 || !numbers.len().is_multiple_of(2) || numbers.len() > 32 {
        return None;
    }
    Some(numbers.chunks(2).map(|c| (c[0], c[1])).collect())
}

/// The dictionary whose top level holds the `/ByteRange` at `hit`: the nearest `<<` before
/// it (jumping over the `/Contents` gap) that lexes to a dictionary with that very key.
fn enclosing_dict(
    bytes: &[u8],
    hit: usize,
    gap: Option<(usize, usize)>,
    budget: &mut usize,
) -> Option<Dict> {
    let gap_before = gap.filter(|&(_, end)| end <= hit);
    let floor = hit.saturating_sub(DICT_WINDOW + gap_before.map_or(0, |(s, e)| e - s));
    let mut end = hit;
    for _ in 0..MAX_CANDIDATES {
        let open = previous_open(bytes, end, floor, gap_before)?;
        if *budget == 0 {
            return None;
        }
        let limit = (open + MAX_CONTENTS * 2 + 64 * 1024).min(open.saturating_add(*budget));
        let mut lexer = Lexer::new(bytes, open, limit);
        let parsed = lexer.value(0);
        *budget = budget.saturating_sub(lexer.pos - open);
        if let Some(Value::Dict(dict)) = parsed
            && dict
                .entries
                .iter()
                .any(|(key, at, _)| key == b"ByteRange" && *at == hit)
        {
            return Some(dict);
        }
        end = open;
    }
    None
}

/// The last `<<` in `[floor, end)` outside the gap.
fn previous_open(
    bytes: &[u8],
    end: usize,
    floor: usize,
    gap: Option<(usize, usize)>,
) -> Option<usize> {
    let rfind =
        |lo: usize, hi: usize| memchr::memmem::rfind(bytes.get(lo..hi)?, b"<<").map(|i| lo + i);
    match gap {
        Some((gap_start, gap_end)) if gap_end < end => {
            rfind(gap_end.max(floor), end).or_else(|| rfind(floor, gap_start.max(floor)))
        }
        Some((gap_start, _)) if gap_start < end => rfind(floor, gap_start),
        _ => rfind(floor, end),
    }
}

/// For a dictionary that cannot be lexed (a damaged file): is there a signature marker
/// within a kilobyte either side of the `/ByteRange`, outside the `/Contents` gap?
fn markers_near(bytes: &[u8], hit: usize, gap: Option<(usize, usize)>) -> bool {
    const MARKERS: [&[u8]; 4] = [b"/Sig", b"/Adobe.PPKLite", b"/SubFilter", b"/DocTimeStamp"];
    let (lo, hi) = (hit.saturating_sub(1024), bytes.len().min(hit + 1024));
    let windows: Vec<&[u8]> = match gap {
        Some((s, e)) if s < hi && e > lo => {
            vec![&bytes[lo..s.max(lo)], &bytes[e.min(hi)..hi]]
        }
        _ => vec![&bytes[lo..hi]],
    };
    windows
        .iter()
        .any(|w| MARKERS.iter().any(|m| memchr::memmem::find(w, m).is_some()))
}

/// The gap is a hex string that starts like a DER sequence: `<30…>`.
fn holds_cms(bytes: &[u8], gap: Option<(usize, usize)>) -> bool {
    let Some(hex) = gap.and_then(|(start, end)| bytes.get(start..end)) else {
        return false;
    };
    let inner = hex.strip_prefix(b"<").and_then(|h| h.strip_suffix(b">"));
    inner.is_some_and(|h| {
        h.iter().all(|&b| b.is_ascii_hexdigit() || is_space(b))
            && decode_hex(&h[..h.len().min(8)]).first() == Some(&0x30)
    })
}

/// A PDF value, as much of it as a signature dictionary needs.
#[derive(Debug)]
enum Value {
    Int(i64),
    Real,
    Name(Vec<u8>),
    /// A literal string, decoded (escapes resolved).
    Str(Vec<u8>),
    /// A hex string: where it lies (`<` to `>` inclusive), and its bytes when short.
    Hex((usize, usize), Option<Vec<u8>>),
    Array(Vec<Value>),
    Dict(Dict),
    /// `true`, `false`, `null`, an indirect reference, an unknown keyword.
    Other,
}

/// A dictionary: its keys (without `/`), where each key starts, and its values.
#[derive(Debug, Default)]
struct Dict {
    entries: Vec<(Vec<u8>, usize, Value)>,
}

impl Dict {
    fn get(&self, key: &[u8]) -> Option<&Value> {
        self.entries
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, _, v)| v)
    }

    fn name(&self, key: &[u8]) -> Option<&[u8]> {
        match self.get(key)? {
            Value::Name(name) => Some(name),
            _ => None,
        }
    }

    /// `/Type /Sig` or `/DocTimeStamp`, `/Filter /Adobe.PPKLite` (or another handler), or a
    /// `/SubFilter`: a signature, not a `/ByteRange` quoted in some text.
    fn is_signature(&self) -> bool {
        matches!(self.name(b"Type"), Some(b"Sig" | b"DocTimeStamp"))
            || self
                .name(b"Filter")
                .is_some_and(|f| f.starts_with(b"Adobe."))
            || self.name(b"SubFilter").is_some()
    }

    fn hex_span(&self, key: &[u8]) -> Option<(usize, usize)> {
        match self.get(key)? {
            Value::Hex(span, _) => Some(*span),
            _ => None,
        }
    }

    fn text(&self, key: &[u8]) -> Option<String> {
        let text = match self.get(key)? {
            Value::Str(bytes) | Value::Hex(_, Some(bytes)) => text_string(bytes),
            Value::Name(name) => String::from_utf8_lossy(name).into_owned(),
            _ => return None,
        };
        let text = text.trim().trim_matches('\0').to_string();
        (!text.is_empty()).then_some(text)
    }

    fn entries(&self) -> Entries {
        Entries {
            name: self.text(b"Name"),
            reason: self.text(b"Reason"),
            location: self.text(b"Location"),
            modified: self.text(b"M"),
            sub_filter: self
                .name(b"SubFilter")
                .map(|n| String::from_utf8_lossy(n).into()),
        }
    }
}

/// A small lexer over PDF object syntax, stopping at `limit`.
struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
    limit: usize,
}

/// The deepest nesting of arrays and dictionaries followed.
const MAX_DEPTH: usize = 16;

impl<'a> Lexer<'a> {
    fn new(bytes: &'a [u8], pos: usize, limit: usize) -> Self {
        Lexer {
            bytes,
            pos,
            limit: limit.min(bytes.len()),
        }
    }

    fn peek(&self) -> Option<u8> {
        (self.pos < self.limit).then(|| self.bytes[self.pos])
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        let at = self.pos.checked_add(ahead)?;
        (at < self.limit).then(|| self.bytes[at])
    }

    fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            if is_space(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_space();
        match self.peek()? {
            b'<' if self.peek_at(1) == Some(b'<') => self.dict(depth).map(Value::Dict),
            b'<' => self.hex(),
            b'(' => self.literal().map(Value::Str),
            b'[' => self.array(depth),
            b'/' => Some(Value::Name(self.name())),
            b'+' | b'-' | b'.' | b'0'..=b'9' => self.number(),
            b if is_regular(b) => {
                while self.peek().is_some_and(is_regular) {
                    self.pos += 1;
                }
                Some(Value::Other)
            }
            _ => None,
        }
    }

    fn dict(&mut self, depth: usize) -> Option<Dict> {
        self.pos += 2;
        let mut dict = Dict::default();
        loop {
            self.skip_space();
            match self.peek()? {
                b'>' if self.peek_at(1) == Some(b'>') => {
                    self.pos += 2;
                    return Some(dict);
                }
                b'/' => {
                    let at = self.pos;
                    let key = self.name();
                    let value = self.value(depth + 1)?;
                    dict.entries.push((key, at, value));
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Value> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            if self.peek()? == b']' {
                self.pos += 1;
                return Some(Value::Array(items));
            }
            items.push(self.value(depth + 1)?);
        }
    }

    fn name(&mut self) -> Vec<u8> {
        self.pos += 1;
        let mut name = Vec::new();
        while let Some(b) = self.peek().filter(|&b| is_regular(b)) {
            self.pos += 1;
            if b == b'#'
                && let (Some(h), Some(l)) = (
                    self.peek().and_then(hex_digit),
                    self.peek_at(1).and_then(hex_digit),
                )
            {
                name.push(h << 4 | l);
                self.pos += 2;
                continue;
            }
            name.push(b);
        }
        name
    }

    /// A number, or an indirect reference `12 0 R` (read as [`Value::Other`]).
    fn number(&mut self) -> Option<Value> {
        let start = self.pos;
        while matches!(self.peek(), Some(b'+' | b'-' | b'.' | b'0'..=b'9')) {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.bytes[start..self.pos]).ok()?;
        let Ok(int) = text.parse::<i64>() else {
            return text.parse::<f64>().is_ok().then_some(Value::Real);
        };
        // `int int R` is a reference.
        let save = self.pos;
        self.skip_space();
        let generation = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos > generation {
            self.skip_space();
            if self.peek() == Some(b'R') && !self.peek_at(1).is_some_and(is_regular) {
                self.pos += 1;
                return Some(Value::Other);
            }
        }
        self.pos = save;
        Some(Value::Int(int))
    }

    fn hex(&mut self) -> Option<Value> {
        let start = self.pos;
        let rest = self.bytes.get(start + 1..self.limit)?;
        let close = start + 1 + memchr::memchr(b'>', rest)?;
        self.pos = close + 1;
        let decoded = (close - start < 4096).then(|| decode_hex(&self.bytes[start + 1..close]));
        Some(Value::Hex((start, close + 1), decoded))
    }

    fn literal(&mut self) -> Option<Vec<u8>> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut depth = 1usize;
        loop {
            let b = self.peek()?;
            self.pos += 1;
            match b {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(out);
                    }
                }
                b'\\' => {
                    self.escape(&mut out)?;
                    continue;
                }
                _ => {}
            }
            if out.len() >= 64 * 1024 {
                return None;
            }
            out.push(b);
        }
    }

    /// One escape after `\` in a literal string.
    fn escape(&mut self, out: &mut Vec<u8>) -> Option<()> {
        let b = self.peek()?;
        self.pos += 1;
        match b {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'\r' => {
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
            }
            b'\n' => {}
            b'0'..=b'7' => {
                let mut code = u32::from(b - b'0');
                for _ in 0..2 {
                    match self.peek() {
                        Some(d @ b'0'..=b'7') => {
                            code = code * 8 + u32::from(d - b'0');
                            self.pos += 1;
                        }
                        _ => break,
                    }
                }
                out.push((code & 0xFF) as u8);
            }
            other => out.push(other),
        }
        Some(())
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

fn is_regular(b: u8) -> bool {
    !is_space(b) && !b"()<>[]{}/%".contains(&b)
}

fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Hex digits to bytes, skipping whitespace (and anything else that is not a digit); an odd
/// last digit counts as followed by 0, as the PDF rules say.
fn decode_hex(hex: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hex.len() / 2);
    let mut high: Option<u8> = None;
    for digit in hex.iter().filter_map(|&b| hex_digit(b)) {
        match high.take() {
            Some(h) => out.push(h << 4 | digit),
            None => high = Some(digit),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
    out
}

/// A PDF text string: UTF-16BE or UTF-8 after their byte order marks, else PDFDocEncoding.
fn text_string(bytes: &[u8]) -> String {
    let text: String = if let Some(utf16) = bytes.strip_prefix(b"\xFE\xFF") {
        let units: Vec<u16> = utf16
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if let Some(utf8) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        String::from_utf8_lossy(utf8).into_owned()
    } else {
        bytes.iter().map(|&b| pdf_doc_char(b)).collect()
    };
    text.nfc().collect()
}

/// One byte of PDFDocEncoding (ISO 32000-1 Annex D): Latin-1 except 0x18-0x1F and
/// 0x80-0xA0.
fn pdf_doc_char(b: u8) -> char {
    const LOW: [char; 8] = ['˘', 'ˇ', 'ˆ', '˙', '˝', '˛', '˚', '˜'];
    const HIGH: [char; 33] = [
        '•', '†', '‡', '…', '—', '–', 'ƒ', '⁄', '‹', '›', '−', '‰', '„', '“', '”', '‘', '’', '‚',
        '™', 'ﬁ', 'ﬂ', 'Ł', 'Œ', 'Š', 'Ÿ', 'Ž', 'ı', 'ł', 'œ', 'š', 'ž', '\u{FFFD}', '€',
    ];
    match b {
        0x18..=0x1F => LOW[usize::from(b - 0x18)],
        0x80..=0xA0 => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

// ---------------------------------------------------------------------------------------
// Checking one signature
// ---------------------------------------------------------------------------------------

/// Reads one found signature: its dictionary entries, its CMS, the checks that need no
/// digest. `Err` holds the verdict when there is nothing left to verify.
fn prepare(bytes: &[u8], found: &Found) -> (Signature, Result<Cms, Integrity>) {
    let (spans, ranges_ok) = spans(&found.pairs);
    let modified_at = found.entries.modified.as_deref().and_then(pdf_date);
    let mut signature = Signature {
        signer: None,
        organization: None,
        issuer: None,
        signing_time: modified_at.map(|(at, offset)| iso(at, offset)),
        timestamp: None,
        name: found.entries.name.clone(),
        reason: found.entries.reason.clone(),
        location: found.entries.location.clone(),
        sub_filter: found.entries.sub_filter.clone(),
        digest: None,
        covers_revision: ranges_ok && covers_revision(bytes, &spans, found.contents),
        covers_file: spans.last().is_some_and(|s| s.end == bytes.len() as u64),
        byte_ranges: spans,
        integrity: Integrity::Valid,
        trust: Trust::Unknown,
        evidence: Evidence {
            certificates: Vec::new(),
            signed_at: modified_at.map(|(at, _)| at),
        },
    };
    let past_end = signature
        .byte_ranges
        .iter()
        .any(|s| s.end > bytes.len() as u64);
    let cms = found
        .contents
        .and_then(|(start, end)| bytes.get(start..end))
        .filter(|hex| hex.len() <= MAX_CONTENTS * 2 + 2)
        .map(|hex| decode_hex(hex.strip_prefix(b"<").unwrap_or(hex)));
    let Some(cms) = cms else {
        let verdict = if past_end {
            Integrity::Modified
        } else {
            Integrity::Malformed("no /Contents where the byte ranges leave a gap".into())
        };
        return (signature, Err(verdict));
    };
    let cms = match Cms::parse(&cms) {
        Ok(cms) => cms,
        Err(reason) => return (signature, Err(Integrity::Malformed(reason))),
    };
    describe(&mut signature, &cms, modified_at);
    let verdict = if !ranges_ok {
        Err(Integrity::Malformed(
            "the byte ranges overlap or are out of order".into(),
        ))
    } else if past_end {
        Err(Integrity::Modified)
    } else if cms.digest.is_none() {
        Err(Integrity::Unsupported(format!(
            "digest algorithm {}",
            cms.info.digest_alg.oid
        )))
    } else if cms.attached_content {
        Err(Integrity::Unsupported(
            "the CMS carries its own content (a document timestamp or adbe.pkcs7.sha1); \
             only detached signatures are checked"
                .into(),
        ))
    } else {
        Ok(cms)
    };
    (signature, verdict)
}

/// The `/ByteRange` pairs as spans, and whether they are ascending and apart.
fn spans(pairs: &[(u64, u64)]) -> (Vec<ByteSpan>, bool) {
    let mut ok = true;
    let mut spans = Vec::with_capacity(pairs.len());
    let mut last_end = 0u64;
    for &(start, length) in pairs {
        let Some(end) = start.checked_add(length) else {
            ok = false;
            continue;
        };
        if start < last_end {
            ok = false;
        }
        last_end = end;
        spans.push(ByteSpan { start, end });
    }
    (spans, ok)
}

/// Ranges from byte 0 to a `%%EOF`, the only gap exactly the `/Contents` string.
fn covers_revision(bytes: &[u8], spans: &[ByteSpan], contents: Option<(usize, usize)>) -> bool {
    let [first, second] = spans else {
        return false;
    };
    let Some((start, end)) = contents else {
        return false;
    };
    if first.start != 0 || first.end != start as u64 || second.start != end as u64 {
        return false;
    }
    if bytes.get(start) != Some(&b'<') || bytes.get(end.wrapping_sub(1)) != Some(&b'>') {
        return false;
    }
    let Some(signed) = usize::try_from(second.end)
        .ok()
        .and_then(|end| bytes.get(..end))
    else {
        return false;
    };
    let trimmed = signed
        .iter()
        .rposition(|&b| !is_space(b))
        .map_or(&[][..], |last| &signed[..=last]);
    trimmed.ends_with(b"%%EOF")
}

/// Fills in who signed and when, from the CMS. `modified_at` is the dictionary's `/M`.
fn describe(signature: &mut Signature, cms: &Cms, modified_at: Option<(i64, i32)>) {
    if let Some(cert) = &cms.signer {
        describe_signer(signature, cert, &cms.certificates);
    }
    signature.digest = cms.digest;
    let offset = modified_at.map_or(0, |(_, offset)| offset);
    if let Some(at) = signing_instant(cms.signing_time(), modified_at) {
        signature.signing_time = Some(iso(at, offset));
        signature.evidence.signed_at = Some(at);
    }
    signature.timestamp = cms.timestamp().map(|at| iso(at, offset));
}

/// The signer from its certificate; the evidence for a trust check: the signer's
/// certificate first, then the others a chain may go through.
fn describe_signer(signature: &mut Signature, cert: &Cert, others: &[Cert]) {
    let tbs = cert.parsed.tbs_certificate();
    signature.signer = attribute(tbs.subject(), COMMON_NAME);
    signature.organization = attribute(tbs.subject(), ORGANIZATION);
    signature.issuer = attribute(tbs.issuer(), COMMON_NAME);
    signature.evidence.certificates = std::iter::once(cert)
        .chain(others.iter().filter(|c| c.der != cert.der))
        .map(|c| c.der.clone())
        .collect();
}

/// A CMS may leave out the signer's certificate when another signature of the same file
/// carries it; the signer identifier names it exactly (issuer and serial number, or key
/// identifier), and the signature still has to verify with its key.
fn adopt_signers(prepared: &mut [(Signature, Result<Cms, Integrity>)]) {
    let missing = |cms: &Result<Cms, Integrity>| cms.as_ref().is_ok_and(|c| c.signer.is_none());
    if !prepared.iter().any(|(_, cms)| missing(cms)) {
        return;
    }
    let pool: Vec<Cert> = prepared
        .iter()
        .filter_map(|(_, cms)| cms.as_ref().ok())
        .flat_map(|cms| cms.certificates.iter().cloned())
        .collect();
    for (signature, cms) in prepared.iter_mut() {
        let Ok(cms) = cms else {
            continue;
        };
        if cms.signer.is_some() {
            continue;
        }
        if let Some(cert) = pool.iter().find(|c| c.is_identified_by(&cms.info.sid)) {
            // Its chain may then go through any certificate of the file.
            describe_signer(signature, cert, &pool);
            cms.signer = Some(cert.clone());
        }
    }
}

/// When it was signed: the `signingTime` attribute, unless it is the `/M` local time
/// written as if it were UTC. Some signing software does that (3 of the 41 signatures of
/// the corpus: the attribute 7 hours after `/M`, while `/M` and the timestamp authority's
/// time agree); then the attribute is off from `/M` by `/M`'s own offset, give or take five
/// minutes, and `/M` is taken.
fn signing_instant(attribute: Option<i64>, modified_at: Option<(i64, i32)>) -> Option<i64> {
    const SLACK: i64 = 300;
    match (attribute, modified_at) {
        (Some(at), Some((m, offset))) if offset != 0 => {
            let skew = at - m;
            let local_as_utc = (skew - i64::from(offset) * 60).abs() <= SLACK;
            Some(if local_as_utc && skew.abs() > SLACK {
                m
            } else {
                at
            })
        }
        (Some(at), _) => Some(at),
        (None, m) => m.map(|(at, _)| at),
    }
}

/// The verdict once the ranges' digest is known: it must be the signed `messageDigest`,
/// then the signature over the signed attributes must verify with the signer's key.
fn integrity(cms: &Cms, content_digest: &[u8]) -> Integrity {
    let Some(algorithm) = cms.digest else {
        return Integrity::Unsupported(format!("digest algorithm {}", cms.info.digest_alg.oid));
    };
    let scheme = scheme(&cms.info.signature_algorithm, Some(algorithm));
    // The signature hashes what it signs with its own digest (`sha256WithRSAEncryption`,
    // the PSS parameters), which is nearly always the signer info's.
    let signing_digest = scheme
        .as_ref()
        .ok()
        .and_then(|s| s.digest())
        .unwrap_or(algorithm);
    let signed = match &cms.signed_attrs {
        Some(attrs) => {
            match cms.message_digest() {
                Some(expected) if expected == content_digest => {}
                Some(_) => return Integrity::Modified,
                None => {
                    return Integrity::Malformed(
                        "no messageDigest in the signed attributes".into(),
                    );
                }
            }
            hash(signing_digest, &[attrs.as_slice()])
        }
        None if signing_digest == algorithm => content_digest.to_vec(),
        None => {
            return Integrity::Unsupported(
                "no signed attributes, and a signature digest other than the content's".into(),
            );
        }
    };
    let Some(signer) = &cms.signer else {
        return Integrity::Unsupported("the signer's certificate is not in the file".into());
    };
    let scheme = match scheme {
        Ok(scheme) => scheme,
        Err(reason) => return Integrity::Unsupported(reason),
    };
    match verify(
        signer.parsed.tbs_certificate().subject_public_key_info(),
        scheme,
        &signed,
        cms.info.signature.as_bytes(),
    ) {
        Verdict::Good => Integrity::Valid,
        Verdict::Bad => Integrity::Invalid,
        Verdict::Unsupported(reason) => Integrity::Unsupported(reason),
    }
}

/// A digest to compute: the algorithm and the byte ranges (inside the file).
type Request = (DigestAlgorithm, Vec<std::ops::Range<usize>>);

/// The digest of each request's ranges. Signatures of successive revisions all start at
/// byte 0, so per algorithm the file is hashed once, in order, the hasher's state copied
/// where each first range ends and then fed that signature's later ranges: nine signatures
/// over 3 MB hash about 3.3 MB, not 27.
fn range_digests(bytes: &[u8], requests: &[Option<Request>]) -> Vec<Option<Vec<u8>>> {
    let mut out = vec![None; requests.len()];
    shared_pass::<sha1::Sha1>(bytes, requests, DigestAlgorithm::Sha1, &mut out);
    shared_pass::<sha2::Sha256>(bytes, requests, DigestAlgorithm::Sha256, &mut out);
    shared_pass::<sha2::Sha384>(bytes, requests, DigestAlgorithm::Sha384, &mut out);
    shared_pass::<sha2::Sha512>(bytes, requests, DigestAlgorithm::Sha512, &mut out);
    out
}

fn shared_pass<D: Digest + Clone>(
    bytes: &[u8],
    requests: &[Option<Request>],
    algorithm: DigestAlgorithm,
    out: &mut [Option<Vec<u8>>],
) {
    let mut mine: Vec<(usize, &[std::ops::Range<usize>])> = requests
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r {
            Some((a, ranges)) if *a == algorithm && !ranges.is_empty() => Some((i, &ranges[..])),
            _ => None,
        })
        .collect();
    mine.sort_by_key(|(_, ranges)| (ranges[0].start != 0, ranges[0].end));
    let (mut running, mut at) = (D::new(), 0usize);
    for (i, ranges) in mine {
        let first = &ranges[0];
        let mut own = if first.start == 0 && first.end >= at {
            let Some(more) = bytes.get(at..first.end) else {
                continue;
            };
            running.update(more);
            at = first.end;
            running.clone()
        } else {
            let Some(part) = bytes.get(first.clone()) else {
                continue;
            };
            let mut own = D::new();
            own.update(part);
            own
        };
        let mut whole = true;
        for range in &ranges[1..] {
            match bytes.get(range.clone()) {
                Some(part) => own.update(part),
                None => whole = false,
            }
        }
        if whole {
            out[i] = Some(own.finalize().to_vec());
        }
    }
}

fn hash(algorithm: DigestAlgorithm, parts: &[&[u8]]) -> Vec<u8> {
    fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
        let mut digest = D::new();
        for part in parts {
            digest.update(part);
        }
        digest.finalize().to_vec()
    }
    match algorithm {
        DigestAlgorithm::Sha1 => run::<sha1::Sha1>(parts),
        DigestAlgorithm::Sha256 => run::<sha2::Sha256>(parts),
        DigestAlgorithm::Sha384 => run::<sha2::Sha384>(parts),
        DigestAlgorithm::Sha512 => run::<sha2::Sha512>(parts),
    }
}

// ---------------------------------------------------------------------------------------
// CMS
// ---------------------------------------------------------------------------------------

const SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
const TIMESTAMP_TOKEN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");
const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
const ORGANIZATION: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");

/// The parts of a CMS `SignedData` a check needs, the signed bytes kept as they were sent.
struct Cms {
    info: SignerInfo,
    /// The signer info's digest algorithm, when it is one we compute.
    digest: Option<DigestAlgorithm>,
    /// The signed attributes as signed: their DER with the `[0]` tag turned into `SET`.
    signed_attrs: Option<Vec<u8>>,
    /// Every certificate the CMS carries.
    certificates: Vec<Cert>,
    /// The one the signer identifier names.
    signer: Option<Cert>,
    /// The encapsulated content is present (not a detached signature).
    attached_content: bool,
}

impl Cms {
    /// Reads a DER (or BER) `ContentInfo` holding a `SignedData`; the zero padding that
    /// fills the rest of `/Contents` is ignored.
    fn parse(blob: &[u8]) -> Result<Cms, String> {
        let malformed = |what: &str| format!("not a CMS signature: {what}");
        let content_info = Tlv::read(blob, 0).ok_or_else(|| malformed("no DER sequence"))?;
        let mut parts = content_info.children();
        let oid = parts.next().ok_or_else(|| malformed("empty"))?;
        if oid.tag != 0x06 || oid.content != SIGNED_DATA.as_bytes() {
            return Err(malformed("not SignedData"));
        }
        let signed_data = parts
            .next()
            .filter(|t| t.tag == 0xA0)
            .and_then(|t| t.children().next())
            .ok_or_else(|| malformed("no SignedData"))?;
        let fields: Vec<Tlv<'_>> = signed_data.children().take(8).collect();
        let encap = fields
            .get(2)
            .ok_or_else(|| malformed("SignedData too short"))?;
        let attached_content = encap.children().nth(1).is_some();
        let certificates: Vec<Cert> = fields
            .iter()
            .find(|t| t.tag == 0xA0)
            .map(|set| {
                set.children()
                    .take(64)
                    .filter_map(|c| Cert::parse(c.whole))
                    .collect()
            })
            .unwrap_or_default();
        let signer_infos = fields
            .iter()
            .rev()
            .find(|t| t.tag == 0x31)
            .ok_or_else(|| malformed("no SignerInfos"))?;
        let raw_info = signer_infos
            .children()
            .next()
            .ok_or_else(|| malformed("no SignerInfo"))?;
        let info = SignerInfo::from_der(raw_info.whole)
            .map_err(|e| malformed(&format!("SignerInfo: {e}")))?;
        let signed_attrs = match raw_info.children().find(|t| t.tag == 0xA0) {
            Some(raw) if raw.definite => {
                let mut der = raw.whole.to_vec();
                der[0] = 0x31;
                Some(der)
            }
            Some(_) => info.signed_attrs.as_ref().and_then(|a| a.to_der().ok()),
            None => None,
        };
        let signer = certificates
            .iter()
            .find(|c| c.is_identified_by(&info.sid))
            .cloned();
        Ok(Cms {
            digest: digest_algorithm(&info.digest_alg.oid),
            info,
            signed_attrs,
            certificates,
            signer,
            attached_content,
        })
    }

    fn signed_attr(&self, oid: ObjectIdentifier) -> Option<&der::Any> {
        self.info
            .signed_attrs
            .as_ref()?
            .iter()
            .find(|a| a.oid == oid)?
            .values
            .iter()
            .next()
    }

    fn message_digest(&self) -> Option<Vec<u8>> {
        let value = self.signed_attr(MESSAGE_DIGEST)?;
        let octets = OctetString::from_der(&value.to_der().ok()?).ok()?;
        Some(octets.as_bytes().to_vec())
    }

    /// The `signingTime` signed attribute, seconds since 1970.
    fn signing_time(&self) -> Option<i64> {
        let value = self.signed_attr(SIGNING_TIME)?;
        let time = Time::from_der(&value.to_der().ok()?).ok()?;
        i64::try_from(time.to_unix_duration().as_secs()).ok()
    }

    /// `genTime` of an RFC 3161 timestamp token among the unsigned attributes.
    fn timestamp(&self) -> Option<i64> {
        let token = self
            .info
            .unsigned_attrs
            .as_ref()?
            .iter()
            .find(|a| a.oid == TIMESTAMP_TOKEN)?
            .values
            .iter()
            .next()?
            .to_der()
            .ok()?;
        // ContentInfo → [0] → SignedData → encapContentInfo → [0] → OCTET STRING → TSTInfo
        let content_info = Tlv::read(&token, 0)?;
        let signed_data = content_info.children().nth(1)?.children().next()?;
        let encap = signed_data.children().nth(2)?;
        let octets = encap.children().nth(1)?.children().next()?;
        let tst_info = Tlv::read(octets.content, 0)?;
        let gen_time = tst_info.children().nth(4)?;
        let time = GeneralizedTime::from_der(gen_time.whole).ok()?;
        i64::try_from(time.to_unix_duration().as_secs()).ok()
    }
}

/// One BER element: its first tag byte, all of its bytes, its content bytes.
#[derive(Debug, Clone, Copy)]
struct Tlv<'a> {
    tag: u8,
    whole: &'a [u8],
    content: &'a [u8],
    /// The length was written out (not BER's indefinite form).
    definite: bool,
}

/// How deep indefinite-length elements are followed to find where they end.
const MAX_BER_DEPTH: usize = 32;

impl<'a> Tlv<'a> {
    /// Reads the element at the start of `bytes` (what follows it is ignored).
    fn read(bytes: &'a [u8], depth: usize) -> Option<Tlv<'a>> {
        let tag = *bytes.first()?;
        let mut at = 1;
        if tag & 0x1F == 0x1F {
            // High tag number: base-128 digits, the last without its top bit.
            while *bytes.get(at)? & 0x80 != 0 {
                at += 1;
                if at > 5 {
                    return None;
                }
            }
            at += 1;
        }
        let first = *bytes.get(at)?;
        at += 1;
        if first == 0x80 {
            if tag & 0x20 == 0 || depth >= MAX_BER_DEPTH {
                return None;
            }
            let mut end = at;
            loop {
                if bytes.get(end..end + 2)? == [0, 0] {
                    return Some(Tlv {
                        tag,
                        whole: &bytes[..end + 2],
                        content: &bytes[at..end],
                        definite: false,
                    });
                }
                end += Tlv::read(&bytes[end..], depth + 1)?.whole.len();
            }
        }
        let length = if first & 0x80 == 0 {
            usize::from(first)
        } else {
            let count = usize::from(first & 0x7F);
            if count == 0 || count > 4 {
                return None;
            }
            let digits = bytes.get(at..at + count)?;
            at += count;
            digits.iter().fold(0usize, |n, &d| n << 8 | usize::from(d))
        };
        let end = at.checked_add(length)?;
        Some(Tlv {
            tag,
            whole: bytes.get(..end)?,
            content: &bytes[at..end],
            definite: true,
        })
    }

    /// The elements inside, in order, up to the first that cannot be read.
    fn children(&self) -> impl Iterator<Item = Tlv<'a>> + 'a {
        let mut rest = self.content;
        std::iter::from_fn(move || {
            let child = Tlv::read(rest, 0)?;
            rest = &rest[child.whole.len()..];
            Some(child)
        })
    }
}

// ---------------------------------------------------------------------------------------
// Certificates and signature algorithms
// ---------------------------------------------------------------------------------------

/// A certificate: its DER as found (signatures are over those bytes) and its fields.
#[derive(Debug, Clone)]
struct Cert {
    der: Vec<u8>,
    parsed: CertificateInner<Raw>,
}

impl Cert {
    fn parse(der: &[u8]) -> Option<Cert> {
        let whole = Tlv::read(der, 0)?.whole;
        Some(Cert {
            parsed: CertificateInner::<Raw>::from_der(whole).ok()?,
            der: whole.to_vec(),
        })
    }

    /// The to-be-signed part, exactly as sent.
    fn tbs(&self) -> Option<&[u8]> {
        Some(Tlv::read(&self.der, 0)?.children().next()?.whole)
    }

    fn is_identified_by(&self, sid: &SignerIdentifier) -> bool {
        let tbs = self.parsed.tbs_certificate();
        match sid {
            SignerIdentifier::IssuerAndSerialNumber(isn) => {
                same_name(tbs.issuer(), &isn.issuer)
                    && tbs.serial_number().as_bytes() == isn.serial_number.as_bytes()
            }
            SignerIdentifier::SubjectKeyIdentifier(ski) => {
                matches!(tbs.get_extension::<SubjectKeyIdentifier>(), Ok(Some((_, own))) if own == *ski)
            }
        }
    }
}

/// Two names are the same when their DER encodings are (both decoded and re-encoded the
/// same way, so the order of attributes inside a set does not matter).
fn same_name(a: &Name, b: &Name) -> bool {
    matches!((a.to_der(), b.to_der()), (Ok(a), Ok(b)) if a == b)
}

/// `issuer` signed `subject`: the subject's signature over its TBS bytes verifies with the
/// issuer's key.
fn signs(issuer: &Cert, subject: &Cert) -> bool {
    let Some(tbs) = subject.tbs() else {
        return false;
    };
    let Ok(scheme) = scheme(subject.parsed.signature_algorithm(), None) else {
        return false;
    };
    let Some(algorithm) = scheme.digest() else {
        return false;
    };
    let digest = hash(algorithm, &[tbs]);
    matches!(
        verify(
            issuer.parsed.tbs_certificate().subject_public_key_info(),
            scheme,
            &digest,
            subject.parsed.signature().raw_bytes(),
        ),
        Verdict::Good
    )
}

/// May this certificate issue others: basic constraints say it is a CA.
fn is_ca(cert: &Cert) -> bool {
    matches!(
        cert.parsed
            .tbs_certificate()
            .get_extension::<BasicConstraints>(),
        Ok(Some((_, BasicConstraints { ca: true, .. })))
    )
}

/// Why a certificate was not valid when the signature was made, if it was not.
fn expired(cert: &Cert, at: Option<i64>) -> Option<String> {
    let at = at?;
    let validity = cert.parsed.tbs_certificate().validity();
    let secs = |t: Time| i64::try_from(t.to_unix_duration().as_secs()).ok();
    let (from, until) = (secs(validity.not_before)?, secs(validity.not_after)?);
    (at < from || at > until).then(|| {
        format!(
            "{} was not valid at the signing time (valid {} to {})",
            display_name(cert.parsed.tbs_certificate().subject()),
            iso(from, 0),
            iso(until, 0)
        )
    })
}

const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSA_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5");
const RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const RSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const RSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const RSA_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ECDSA_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");
const ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
const ECDSA_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");
const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");

fn digest_algorithm(oid: &ObjectIdentifier) -> Option<DigestAlgorithm> {
    match *oid {
        SHA1 => Some(DigestAlgorithm::Sha1),
        SHA256 => Some(DigestAlgorithm::Sha256),
        SHA384 => Some(DigestAlgorithm::Sha384),
        SHA512 => Some(DigestAlgorithm::Sha512),
        _ => None,
    }
}

/// A signature scheme with the digest it signs.
#[derive(Debug, Clone, Copy)]
enum Scheme {
    /// RSASSA-PKCS1-v1_5.
    Rsa(Option<DigestAlgorithm>),
    /// RSASSA-PSS, MGF1 over the same digest, any salt length.
    RsaPss(Option<DigestAlgorithm>),
    /// ECDSA.
    Ecdsa(Option<DigestAlgorithm>),
}

impl Scheme {
    fn digest(self) -> Option<DigestAlgorithm> {
        match self {
            Scheme::Rsa(d) | Scheme::RsaPss(d) | Scheme::Ecdsa(d) => d,
        }
    }
}

/// The scheme a signature algorithm names. A bare `rsaEncryption` or `id-ecPublicKey` (as
/// CMS signer infos often write) signs with `digest`, the signer info's digest algorithm.
fn scheme(
    algorithm: &AlgorithmIdentifierOwned,
    digest: Option<DigestAlgorithm>,
) -> Result<Scheme, String> {
    use DigestAlgorithm::*;
    match algorithm.oid {
        RSA => Ok(Scheme::Rsa(digest)),
        RSA_SHA1 => Ok(Scheme::Rsa(Some(Sha1))),
        RSA_SHA256 => Ok(Scheme::Rsa(Some(Sha256))),
        RSA_SHA384 => Ok(Scheme::Rsa(Some(Sha384))),
        RSA_SHA512 => Ok(Scheme::Rsa(Some(Sha512))),
        EC_PUBLIC_KEY => Ok(Scheme::Ecdsa(digest)),
        ECDSA_SHA1 => Ok(Scheme::Ecdsa(Some(Sha1))),
        ECDSA_SHA256 => Ok(Scheme::Ecdsa(Some(Sha256))),
        ECDSA_SHA384 => Ok(Scheme::Ecdsa(Some(Sha384))),
        ECDSA_SHA512 => Ok(Scheme::Ecdsa(Some(Sha512))),
        RSA_PSS => pss_digest(algorithm.parameters.as_ref()).map(|d| Scheme::RsaPss(Some(d))),
        other => Err(format!("signature algorithm {other}")),
    }
}

/// The digest of RSASSA-PSS parameters (`[0]` hash, SHA-1 when absent), which MGF1 (`[1]`)
/// must use too: the only form the rsa crate verifies.
fn pss_digest(parameters: Option<&der::Any>) -> Result<DigestAlgorithm, String> {
    let unsupported = |what: &str| format!("RSASSA-PSS {what}");
    let (mut hash, mut mask_hash) = (SHA1, SHA1);
    if let Some(parameters) = parameters {
        let der = parameters
            .to_der()
            .map_err(|_| unsupported("parameters unreadable"))?;
        let fields = Tlv::read(&der, 0).ok_or_else(|| unsupported("parameters unreadable"))?;
        // [0] { AlgorithmIdentifier } and [1] { AlgorithmIdentifier { mgf1, AlgorithmIdentifier } }
        let oid_in = |t: Tlv<'_>| ObjectIdentifier::from_bytes(t.children().next()?.content).ok();
        for field in fields.children() {
            let inner = field.children().next();
            match field.tag {
                0xA0 => hash = inner.and_then(oid_in).ok_or_else(|| unsupported("hash"))?,
                0xA1 => {
                    mask_hash = inner
                        .and_then(|mgf| mgf.children().nth(1))
                        .and_then(oid_in)
                        .ok_or_else(|| unsupported("mask generation"))?;
                }
                _ => {}
            }
        }
    }
    if hash != mask_hash {
        return Err(unsupported("with MGF1 over another digest"));
    }
    digest_algorithm(&hash).ok_or_else(|| unsupported(&format!("with digest {hash}")))
}

/// What a signature check found.
enum Verdict {
    Good,
    Bad,
    Unsupported(String),
}

/// Verifies `signature` over the already hashed `digest` with the key in `spki`.
fn verify(
    spki: &SubjectPublicKeyInfoOwned,
    scheme: Scheme,
    digest: &[u8],
    signature: &[u8],
) -> Verdict {
    let Some(key) = spki.subject_public_key.as_bytes() else {
        return Verdict::Unsupported("a public key that is not whole bytes".into());
    };
    match scheme {
        Scheme::Rsa(algorithm) => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            let Ok(key) = rsa::PublicKey::from_pkcs1_der(key) else {
                return Verdict::Unsupported(
                    "an RSA key that cannot be read (or over 8192 bits)".into(),
                );
            };
            let padding = match algorithm {
                Some(DigestAlgorithm::Sha1) => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
                Some(DigestAlgorithm::Sha256) => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                Some(DigestAlgorithm::Sha384) => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                Some(DigestAlgorithm::Sha512) => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
                None => return Verdict::Unsupported("an RSA signature without a digest".into()),
            };
            if key.verify(padding, digest, signature).is_ok() {
                Verdict::Good
            } else {
                Verdict::Bad
            }
        }
        Scheme::RsaPss(algorithm) => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            let Ok(key) = rsa::PublicKey::from_pkcs1_der(key) else {
                return Verdict::Unsupported(
                    "an RSA key that cannot be read (or over 8192 bits)".into(),
                );
            };
            fn pss<D: Digest + sha2::digest::FixedOutputReset>() -> rsa::Pss<D> {
                rsa::Pss {
                    blinded: false,
                    digest: D::new(),
                    salt_len: None,
                }
            }
            let checked = match algorithm {
                Some(DigestAlgorithm::Sha1) => key.verify(pss::<sha1::Sha1>(), digest, signature),
                Some(DigestAlgorithm::Sha256) => {
                    key.verify(pss::<sha2::Sha256>(), digest, signature)
                }
                Some(DigestAlgorithm::Sha384) => {
                    key.verify(pss::<sha2::Sha384>(), digest, signature)
                }
                Some(DigestAlgorithm::Sha512) => {
                    key.verify(pss::<sha2::Sha512>(), digest, signature)
                }
                None => return Verdict::Unsupported("an RSA signature without a digest".into()),
            };
            if checked.is_ok() {
                Verdict::Good
            } else {
                Verdict::Bad
            }
        }
        Scheme::Ecdsa(_) => {
            use p256::ecdsa::signature::hazmat::PrehashVerifier;
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
            if curve != Some(P256) {
                return Verdict::Unsupported(match curve {
                    Some(curve) => format!(
                        "ECDSA on curve {} (only P-256 is checked)",
                        match curve.to_string().as_str() {
                            "1.3.132.0.34" => "P-384".to_string(),
                            "1.3.132.0.35" => "P-521".to_string(),
                            other => other.to_string(),
                        }
                    ),
                    None => "ECDSA without a named curve".into(),
                });
            }
            let Ok(key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(key) else {
                return Verdict::Bad;
            };
            let Ok(signature) = p256::ecdsa::DerSignature::from_bytes(signature) else {
                return Verdict::Bad;
            };
            if key.verify_prehash(digest, &signature).is_ok() {
                Verdict::Good
            } else {
                Verdict::Bad
            }
        }
    }
}

/// The first value of attribute `oid` in a name, as text (NFC).
fn attribute(name: &Name, oid: ObjectIdentifier) -> Option<String> {
    let value = &name.iter().find(|atv| atv.oid == oid)?.value;
    let bytes = value.value();
    let text: String = match value.tag() {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::VisibleString => {
            String::from_utf8_lossy(bytes).into_owned()
        }
        Tag::TeletexString => bytes.iter().map(|&b| char::from(b)).collect(),
        Tag::BmpString => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|p| u16::from_be_bytes([p[0], p[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => return None,
    };
    let text: String = text.trim().nfc().collect();
    (!text.is_empty()).then_some(text)
}

/// A name for messages: its common name, else its organisation, else `an unnamed issuer`.
fn display_name(name: &Name) -> String {
    attribute(name, COMMON_NAME)
        .or_else(|| attribute(name, ORGANIZATION))
        .unwrap_or_else(|| "an unnamed certificate".into())
}

// ---------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------

/// A PDF date `D:YYYYMMDDHHmmSS+HH'mm'` (everything after the year optional): seconds
/// since 1970 and the offset in minutes.
fn pdf_date(text: &str) -> Option<(i64, i32)> {
    let text = text.trim();
    let text = text.strip_prefix("D:").unwrap_or(text);
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 4 || digits.len() > 14 || !digits.len().is_multiple_of(2) {
        return None;
    }
    let field = |at: usize, default: i64| -> Option<i64> {
        match digits.get(at..at + 2) {
            Some(two) => two.parse().ok(),
            None => Some(default),
        }
    };
    let year: i64 = digits.get(..4)?.parse().ok()?;
    let (month, day) = (field(4, 1)?, field(6, 1)?);
    let (hour, minute, second) = (field(8, 0)?, field(10, 0)?, field(12, 0)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let rest = &text[digits.len()..];
    let offset = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let numbers: Vec<i32> = rest[1..]
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .take(2)
                .map(|s| s.parse().unwrap_or(0))
                .collect();
            let minutes = numbers.first().copied().unwrap_or(0).min(23) * 60
                + numbers.get(1).copied().unwrap_or(0).min(59);
            if sign == '-' { -minutes } else { minutes }
        }
        _ => 0,
    };
    let local = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    Some((local - i64::from(offset) * 60, offset))
}

/// ISO 8601 with the offset: `2026-04-06T08:15:37+07:00`.
fn iso(unix: i64, offset_minutes: i32) -> String {
    let local = unix + i64::from(offset_minutes) * 60;
    let (days, secs) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let offset = offset_minutes.unsigned_abs();
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        offset / 60,
        offset % 60
    )
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/fixtures/pdf/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn root(name: &str) -> Vec<Root> {
        roots(Path::new(name), &fixture(name)).expect("a PEM root")
    }

    fn statuses(signatures: &[Signature]) -> Vec<Integrity> {
        signatures.iter().map(|s| s.integrity.clone()).collect()
    }

    fn span(start: u64, end: u64) -> ByteSpan {
        ByteSpan { start, end }
    }

    /// 2026-qd-1074-bxd, byte for byte from the corpus; the expected values were read with
    /// poppler's `pdfsig` (times there in UTC: 15:03:34, 02:29:41, 04:24:32).
    #[test]
    fn real_signatures_read_as_pdfsig_reads_them() {
        let found = signatures(&fixture("2026-qd-1074-bxd.pdf"));
        let people: Vec<_> = found
            .iter()
            .map(|s| {
                (
                    s.signer.as_deref(),
                    s.organization.as_deref(),
                    s.signing_time.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            people,
            [
                (
                    Some("Lê Minh Long"),
                    Some("BỘ XÂY DỰNG"),
                    Some("2026-07-08T22:03:34+07:00")
                ),
                (
                    Some("Phạm Minh Hà"),
                    Some("BỘ XÂY DỰNG"),
                    Some("2026-07-09T09:29:41+07:00")
                ),
                (
                    Some("BỘ XÂY DỰNG"),
                    Some("BỘ XÂY DỰNG"),
                    Some("2026-07-09T11:24:32+07:00")
                ),
            ]
        );
        let ranges: Vec<_> = found.iter().map(|s| s.byte_ranges.clone()).collect();
        assert_eq!(
            ranges,
            [
                vec![span(0, 182_676), span(199_062, 201_446)],
                vec![span(0, 202_068), span(226_838, 311_751)],
                vec![span(0, 419_800), span(444_570, 446_612)],
            ]
        );
        assert_eq!(
            statuses(&found),
            [Integrity::Valid, Integrity::Valid, Integrity::Valid]
        );
        assert!(found.iter().all(|s| s.covers_revision));
        let covers_file: Vec<bool> = found.iter().map(|s| s.covers_file).collect();
        assert_eq!(covers_file, [false, false, true]);
        let first = &found[0];
        assert_eq!(
            first.issuer.as_deref(),
            Some("CA phục vụ các cơ quan Nhà nước G2")
        );
        assert_eq!(first.digest, Some(DigestAlgorithm::Sha256));
        assert_eq!(first.sub_filter.as_deref(), Some("adbe.pkcs7.detached"));
        assert_eq!(
            first.reason.as_deref(),
            Some("Lê Minh Long<leminhlong@moc.gov.vn> đã ký lên văn bản này!")
        );
        assert_eq!(first.location.as_deref(), Some("BỘ XÂY DỰNG - Hà Nội"));
        assert_eq!(first.timestamp, None);
        assert_eq!(
            found[1].timestamp.as_deref(),
            Some("2026-07-09T09:33:38+07:00")
        );
        assert_eq!(first.trust, Trust::Unknown);
    }

    /// A CAdES signature has no signingTime attribute: the time is the dictionary's /M
    /// (pdfsig: 04:10:53 UTC); the timestamp token's time is read too.
    #[test]
    fn cades_signature_without_signing_time_takes_m() {
        let found = signatures(&fixture("2024-qd-142-ubnd-tt-ngai-giao.rev1.pdf"));
        assert_eq!(found.len(), 1);
        let s = &found[0];
        assert_eq!(s.signer.as_deref(), Some("Nguyễn Xuân Quang"));
        assert_eq!(s.organization.as_deref(), Some("Tỉnh Bà Rịa - Vũng Tàu"));
        assert_eq!(s.issuer.as_deref(), Some("Co quan chung thuc so Chinh phu"));
        assert_eq!(s.signing_time.as_deref(), Some("2024-04-02T11:10:53+07:00"));
        assert_eq!(s.timestamp.as_deref(), Some("2024-04-02T11:11:31+07:00"));
        assert_eq!(s.sub_filter.as_deref(), Some("ETSI.CAdES.detached"));
        assert_eq!(s.location.as_deref(), Some("Tỉnh Bà Rịa - Vũng Tàu"));
        assert!(s.covers_revision && s.covers_file);
        assert_eq!(s.integrity, Integrity::Valid);
    }

    /// The generated file: seven revisions, every algorithm, the dictionary laid out in
    /// several ways, and a `/ByteRange` quoted in the page's text that must not count.
    #[test]
    fn every_algorithm_and_dictionary_layout_is_read() {
        let found = signatures(&fixture("signed-test.pdf"));
        let digests: Vec<_> = found.iter().map(|s| s.digest).collect();
        use DigestAlgorithm::*;
        let expected = [Sha256, Sha384, Sha1, Sha512, Sha256, Sha256, Sha384].map(Some);
        assert_eq!(digests, expected);
        let mut valid = vec![Integrity::Valid; 6];
        valid.push(Integrity::Unsupported(
            "ECDSA on curve P-384 (only P-256 is checked)".into(),
        ));
        assert_eq!(statuses(&found), valid);
        let signers: Vec<_> = found
            .iter()
            .map(|s| s.signer.as_deref().unwrap_or(""))
            .collect();
        let (person, office) = ("Nguyễn Văn Thử", "ỦY BAN NHÂN DÂN THÀNH PHỐ THỬ");
        assert_eq!(
            signers,
            [
                person,
                office,
                person,
                person,
                person,
                person,
                "Văn thư P-384"
            ]
        );
        for (i, s) in found.iter().enumerate() {
            assert_eq!(
                s.name.as_deref(),
                Some("Nguyễn Văn Thử"),
                "hex UTF-16 /Name"
            );
            assert_eq!(
                s.reason,
                Some(format!("Ký lần {}", i + 1)),
                "octal-escaped UTF-16"
            );
            assert_eq!(s.location.as_deref(), Some("Lào Cai"), "PDFDocEncoding");
            assert_eq!(s.issuer.as_deref(), Some("vanban test intermediate"));
            assert_eq!(s.organization.as_deref(), Some(office));
            assert!(s.covers_revision, "signature {}", i + 1);
            assert_eq!(s.covers_file, i == 6);
            assert!(
                s.signing_time
                    .as_deref()
                    .is_some_and(|t| t.ends_with("+07:00"))
            );
        }
        assert_eq!(found[2].sub_filter.as_deref(), Some("ETSI.CAdES.detached"));
    }

    /// Signature 6's CMS leaves out the signer's certificate: the one of signature 1 (same
    /// issuer and serial number) is taken, and the signature still has to verify with it.
    #[test]
    fn a_signer_certificate_left_out_is_found_in_another_signature() {
        let bytes = fixture("signed-test.pdf");
        let found = signatures(&bytes);
        assert_eq!(found[5].integrity, Integrity::Valid);
        assert_eq!(
            found[5].evidence.certificates[0],
            found[0].evidence.certificates[0]
        );
        // Without the other signatures it could not be checked.
        let sixth = &find(&bytes)[5];
        let cms = prepare(&bytes, sixth).1.expect("a CMS");
        assert!(
            cms.signer.is_none(),
            "the CMS itself carries no certificate"
        );
        let parts: Vec<&[u8]> = sixth
            .pairs
            .iter()
            .map(|&(start, length)| &bytes[start as usize..(start + length) as usize])
            .collect();
        assert_eq!(
            integrity(&cms, &hash(DigestAlgorithm::Sha256, &parts)),
            Integrity::Unsupported("the signer's certificate is not in the file".into())
        );
    }

    #[test]
    fn a_byte_range_quoted_in_a_text_stream_is_not_a_signature() {
        let text = b"%PDF-1.4\n1 0 obj\n<< /Length 60 >>\nstream\nBT (/ByteRange [0 10 20 30] \
                     /Type /Sig) Tj ET\n/ByteRange [0 10 20 30]\nendstream\nendobj\n%%EOF\n";
        assert_eq!(signatures(text), []);
    }

    #[test]
    fn a_byte_changed_inside_the_signed_ranges_is_modified() {
        let mut bytes = fixture("2026-qd-1074-bxd.pdf");
        // In the last revision only: the two earlier signatures do not cover it.
        bytes[444_600] ^= 0x01;
        let found = signatures(&bytes);
        assert_eq!(
            statuses(&found),
            [Integrity::Valid, Integrity::Valid, Integrity::Modified]
        );
        // In the first revision: every signature covers it.
        bytes[1000] ^= 0x01;
        assert_eq!(statuses(&signatures(&bytes)), vec![Integrity::Modified; 3]);
    }

    /// Flips one bit of the signature value of each CMS, found in the hex of `/Contents`.
    #[test]
    fn a_byte_changed_in_the_signature_value_is_invalid() {
        for file in ["signed-test.pdf", "2026-qd-1074-bxd.pdf"] {
            let bytes = fixture(file);
            let original = signatures(&bytes);
            for index in 0..original.len() {
                if original[index].integrity != Integrity::Valid {
                    continue;
                }
                let mut changed = bytes.clone();
                let at = signature_value_hex_offset(&bytes, index);
                changed[at] = if changed[at] == b'0' { b'1' } else { b'0' };
                let found = signatures(&changed);
                assert_eq!(
                    found[index].integrity,
                    Integrity::Invalid,
                    "{file} #{index}"
                );
                // Earlier signatures do not cover it; later ones cover the whole earlier
                // revision, this signature's /Contents included.
                for (i, s) in found.iter().enumerate().filter(|(i, _)| *i != index) {
                    let expected = if i < index {
                        original[i].integrity.clone()
                    } else {
                        Integrity::Modified
                    };
                    assert_eq!(s.integrity, expected, "{file} #{i} after changing #{index}");
                }
            }
        }
    }

    /// Where the hex digits of signature `index`'s signature value start in the file.
    fn signature_value_hex_offset(bytes: &[u8], index: usize) -> usize {
        let found = &find(bytes)[index];
        let (start, end) = found.contents.expect("a /Contents");
        let blob = decode_hex(&bytes[start + 1..end - 1]);
        let cms = Cms::parse(&blob).expect("a CMS");
        let value = cms.info.signature.as_bytes();
        let at = memchr::memmem::find(&blob, value).expect("the value in the blob");
        start + 1 + 2 * (at + value.len() / 2)
    }

    #[test]
    fn a_truncated_file_keeps_its_earlier_revisions_valid() {
        let bytes = fixture("2026-qd-1074-bxd.pdf");
        let two = signatures(&bytes[..311_751]);
        assert_eq!(statuses(&two), [Integrity::Valid, Integrity::Valid]);
        assert!(two[1].covers_file);
        let cut = signatures(&bytes[..445_000]);
        assert_eq!(
            statuses(&cut),
            [Integrity::Valid, Integrity::Valid, Integrity::Modified]
        );
    }

    #[test]
    fn signing_time_written_as_local_time_marked_utc_falls_back_to_m() {
        // 2026-05-04 16:54:57 +07:00 in /M; the attribute says 16:54:58 "UTC".
        let m = pdf_date("D:20260504165457+07'00'").expect("a date");
        let attribute = m.0 + 7 * 3600 + 1;
        assert_eq!(signing_instant(Some(attribute), Some(m)), Some(m.0));
        // A right attribute a few seconds from /M is kept, as is one off by something else.
        assert_eq!(signing_instant(Some(m.0 + 6), Some(m)), Some(m.0 + 6));
        assert_eq!(
            signing_instant(Some(m.0 + 3 * 3600), Some(m)),
            Some(m.0 + 3 * 3600)
        );
        assert_eq!(signing_instant(Some(attribute), None), Some(attribute));
        assert_eq!(signing_instant(None, Some(m)), Some(m.0));
    }

    #[test]
    fn pdf_dates_become_iso_8601_with_their_offset() {
        let check = |pdf: &str, iso_text: Option<&str>| {
            let got = pdf_date(pdf).map(|(at, offset)| iso(at, offset));
            assert_eq!(got.as_deref(), iso_text, "{pdf}");
        };
        check("D:20260406081537+07'00'", Some("2026-04-06T08:15:37+07:00"));
        check("D:20260406081537+07'00", Some("2026-04-06T08:15:37+07:00"));
        check("20240229235959Z", Some("2024-02-29T23:59:59+00:00"));
        check("D:19991231200000-05'30'", Some("1999-12-31T20:00:00-05:30"));
        check("D:2024", Some("2024-01-01T00:00:00+00:00"));
        check("D:202413", None);
        check("D:20240132", None);
        check("D:", None);
        assert_eq!(iso(0, 0), "1970-01-01T00:00:00+00:00");
        assert_eq!(iso(-1, 0), "1969-12-31T23:59:59+00:00");
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn text_strings_decode_all_three_encodings() {
        assert_eq!(text_string(b"\xFE\xFF\x00L\x00\xE0\x00o"), "Lào");
        assert_eq!(text_string(b"\xEF\xBB\xBFL\xC3\xA0o"), "Lào");
        assert_eq!(
            text_string(b"L\xE0o Cai iTextSharp\x92 \xA0"),
            "Lào Cai iTextSharp™ €"
        );
        // Decomposed marks come out composed (NFC).
        assert_eq!(text_string(b"\xFE\xFF\x00a\x03\x00"), "à");
    }

    #[test]
    fn integrity_and_trust_serialise_as_status_and_detail() {
        let json = |v: &dyn erased::Json| v.json();
        assert_eq!(json(&Integrity::Valid), r#"{"status":"valid"}"#);
        assert_eq!(
            json(&Integrity::Unsupported("RSASSA-PSS signatures".into())),
            r#"{"status":"unsupported","detail":"RSASSA-PSS signatures"}"#
        );
        assert_eq!(
            json(&Trust::Untrusted("issuer not found: X".into())),
            r#"{"status":"untrusted","detail":"issuer not found: X"}"#
        );
        let found = signatures(&fixture("signed-test.pdf"));
        let text = serde_json::to_string(&found).expect("JSON");
        let back: Vec<Signature> = serde_json::from_str(&text).expect("read back");
        assert_eq!(serde_json::to_string(&back).expect("JSON"), text);
        // What a trust check needs is not in the record: a signature read back is unknown.
        assert_eq!(
            check_trust(&back[0], &root("test-root.pem")),
            Trust::Unknown
        );
    }

    mod erased {
        pub(super) trait Json {
            fn json(&self) -> String;
        }
        impl<T: serde::Serialize> Json for T {
            fn json(&self) -> String {
                serde_json::to_string(self).expect("JSON")
            }
        }
    }

    #[test]
    fn a_chain_through_the_cms_to_a_given_root_is_trusted() {
        let found = signatures_with_roots(&fixture("signed-test.pdf"), &root("test-root.pem"));
        assert!(
            found.iter().all(|s| s.trust == Trust::Trusted),
            "{found:#?}"
        );
        let none = signatures_with_roots(&fixture("signed-test.pdf"), &[]);
        assert!(none.iter().all(|s| s.trust == Trust::Unknown));
    }

    #[test]
    fn a_chain_to_another_root_is_untrusted_and_says_why() {
        let found = signatures(&fixture("signed-test.pdf"));
        assert_eq!(
            check_trust(&found[0], &root("test-other-root.pem")),
            Trust::Untrusted("issuer not found: vanban test root".into())
        );
        assert_eq!(
            check_trust(&found[1], &root("test-impostor-root.pem")),
            Trust::Untrusted(
                "the signature of vanban test intermediate does not verify with the trusted \
                 root vanban test root"
                    .into()
            )
        );
        let mut long_ago = found[0].clone();
        long_ago.evidence.signed_at = Some(0);
        let Trust::Untrusted(reason) = check_trust(&long_ago, &root("test-root.pem")) else {
            panic!("a signature made before the certificate was issued is not trusted");
        };
        assert!(
            reason.starts_with("Nguyễn Văn Thử was not valid at the signing time"),
            "{reason}"
        );
    }

    /// The corpus CMSs carry only the signer's certificate, not the Government CA's.
    #[test]
    fn real_signatures_without_their_issuer_are_untrusted() {
        let found = signatures(&fixture("2026-qd-1074-bxd.pdf"));
        assert_eq!(
            check_trust(&found[0], &root("test-root.pem")),
            Trust::Untrusted("issuer not found: CA phục vụ các cơ quan Nhà nước G2".into())
        );
        // The signer's own certificate given as a trust anchor is trusted directly.
        let own = roots(Path::new("own.der"), &found[0].evidence.certificates[0]).expect("DER");
        assert_eq!(own[0].name(), "Lê Minh Long");
        assert_eq!(check_trust(&found[0], &own), Trust::Trusted);
        assert!(matches!(check_trust(&found[1], &own), Trust::Untrusted(_)));
    }

    #[test]
    fn roots_read_pem_bundles_and_der_and_name_a_bad_file() {
        let mut bundle = fixture("test-root.pem");
        bundle.extend(fixture("test-other-root.pem"));
        let both = roots(Path::new("bundle.pem"), &bundle).expect("two roots");
        let names: Vec<String> = both.iter().map(Root::name).collect();
        assert_eq!(names, ["vanban test root", "vanban other root"]);
        let error = roots(Path::new("trust/junk.crt"), b"not a certificate").unwrap_err();
        assert_eq!(
            error.to_string(),
            "trust/junk.crt: not a DER or PEM certificate"
        );
        let error = roots(
            Path::new("trust/cut.pem"),
            b"-----BEGIN CERTIFICATE-----\nMII",
        )
        .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("trust/cut.pem: not a PEM certificate")
        );
    }

    /// Many fake signature dictionaries: the count is capped, the search ends.
    #[test]
    fn work_is_bounded_on_many_signature_dictionaries() {
        let one = b"<< /Type /Sig /ByteRange [0 10 20 30] /Contents <3000> >>\n";
        let bytes: Vec<u8> = one.iter().copied().cycle().take(one.len() * 5000).collect();
        let found = signatures(&bytes);
        assert!(found.len() <= MAX_SIGNATURES, "{}", found.len());
        assert!(
            found
                .iter()
                .all(|s| matches!(s.integrity, Integrity::Malformed(_)))
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn never_panics_on_changed_or_cut_signed_files(
            cut in 0usize..60_000,
            changes in proptest::collection::vec((0usize..60_000, proptest::num::u8::ANY), 0..8),
        ) {
            let mut bytes = fixture("signed-test.pdf");
            for (at, value) in changes {
                if let Some(b) = bytes.get_mut(at) {
                    *b = value;
                }
            }
            bytes.truncate(cut);
            let roots = root("test-root.pem");
            for s in signatures_with_roots(&bytes, &roots) {
                proptest::prop_assert!(s.byte_ranges.len() >= 2);
            }
        }

        #[test]
        fn never_panics_on_any_bytes(
            bytes in proptest::collection::vec(proptest::sample::select(vec![
                b'<', b'>', b'/', b'[', b']', b'(', b')', b'\\', b' ', b'\n', b'0', b'3', b'a',
                b'B', b'R', 0x80, 0x30, 0x82, 0x00, 0xFF,
            ]), 0..2000),
            prefix in proptest::sample::select(vec![
                &b""[..], b"/ByteRange [0 4 10 2]", b"<< /Type /Sig /ByteRange [0 1 9 3] ",
                b"/Contents <3080", b"<< /SubFilter /x /Contents <30820000",
            ]),
        ) {
            let mut input = prefix.to_vec();
            input.extend(bytes);
            let _ = signatures(&input);
            let _ = Cms::parse(&input);
            let _ = Tlv::read(&input, 0);
        }
    }
}
