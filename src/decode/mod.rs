//! Decoding: bytes in any encoding Vietnamese offices have used → a [`Source`].
//!
//! - [`decode`] detects (unless told) and decodes; [`detect`] and [`decode_as`] are its
//!   two halves; [`encode`] goes back (tests build legacy corpora with it).
//! - UTF-8 (BOM or not), UTF-16 LE/BE (BOM), Windows-1258 (combining tones composed),
//!   TCVN3/ABC (iconv grid, heading case restored by [`restore_heading_case`]),
//!   VNI-Windows (greedy base + mark), VISCII (iconv table). See
//!   `reference/text.md` §4-§8 for the facts behind the tables.
//! - Nothing is dropped: a byte no table maps is kept (as the same code point, or U+FFFD
//!   for broken UTF-8/UTF-16) and reported as a [`Diagnostic`] with its byte offset; at
//!   most [`MAX_DIAGNOSTICS`] are listed, then one summary with the total.
//! - Legacy text that went through Word often arrives as UTF-8 made of CP1252 characters
//!   (`Céng hßa`); detection maps it back with [`cp1252_surface_to_bytes`].

mod case;
mod detect;
mod legacy;
mod letters;
mod tables;

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use serde::Serialize;

use crate::{Diagnostic, Error, Severity};

pub use case::restore_heading_case;

/// A text encoding vanban reads. Its [`name`](Encoding::name) is the one used everywhere:
/// on the command line (`--encoding`), in JSON and in the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Encoding {
    /// UTF-8, with or without a byte order mark.
    #[serde(rename = "utf-8")]
    Utf8,
    /// UTF-16 little endian (with a byte order mark).
    #[serde(rename = "utf-16le")]
    Utf16Le,
    /// UTF-16 big endian (with a byte order mark).
    #[serde(rename = "utf-16be")]
    Utf16Be,
    /// Windows-1258 (CP1258), whose tone marks are combining bytes.
    #[serde(rename = "windows-1258")]
    Windows1258,
    /// TCVN3 (ABC, TCVN 5712:1993), the `.VnTime` fonts.
    #[serde(rename = "tcvn3")]
    Tcvn3,
    /// VNI-Windows, the `VNI-Times` fonts.
    #[serde(rename = "vni")]
    Vni,
    /// VISCII.
    #[serde(rename = "viscii")]
    Viscii,
}

impl Encoding {
    /// Every encoding, in the order detection prefers them.
    pub const ALL: [Encoding; 7] = [
        Encoding::Utf8,
        Encoding::Utf16Le,
        Encoding::Utf16Be,
        Encoding::Windows1258,
        Encoding::Tcvn3,
        Encoding::Vni,
        Encoding::Viscii,
    ];

    /// The name used on the command line, in JSON and in the archive.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1258 => "windows-1258",
            Encoding::Tcvn3 => "tcvn3",
            Encoding::Vni => "vni",
            Encoding::Viscii => "viscii",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Encoding {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let wanted = s.trim().to_ascii_lowercase();
        Encoding::ALL
            .into_iter()
            .find(|e| e.name() == wanted)
            .ok_or_else(|| Error::UnknownEncoding(s.to_string()))
    }
}

/// Decoded text and how it was found: the first noun of the flow.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    /// The decoded text, NFC composed where the encoding used combining bytes, otherwise as
    /// decoded (normalisation is [`text::normalize`](crate::text::normalize)'s job).
    pub text: String,
    /// The encoding the bytes were read as.
    pub encoding: Encoding,
    /// How sure detection is, from 0 to 1 (1 when the user named the encoding).
    pub confidence: f32,
    /// What decided the encoding, e.g. `valid utf-8`, `header phrases`, `user`.
    pub clue: String,
    /// Unmapped bytes and other things noticed, with byte offsets into the input.
    pub diagnostics: Vec<Diagnostic>,
    /// For a PDF, each page: its byte range in `text` and how its text was got. Empty for
    /// every other input.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<crate::read::PageInfo>,
}

/// What detection decided.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detection {
    /// The encoding chosen.
    pub encoding: Encoding,
    /// How sure, from 0 to 1.
    pub confidence: f32,
    /// What decided it, e.g. `valid utf-8`, `header phrases`, `font .VnTime, checked`.
    pub clue: String,
}

/// Whether `c` is a Vietnamese letter outside ASCII (a vowel with its marks, or `đ`/`Đ`).
pub(crate) fn is_vietnamese_letter(c: char) -> bool {
    matches!(c, 'đ' | 'Đ') || letters::letter(c).is_some()
}

/// Whether `word` has the shape of one Vietnamese syllable (the detector's test).
pub(crate) fn is_syllable(word: &str) -> bool {
    detect::syllable_ok(word)
}

/// How many diagnostics a decode lists before it only counts (one summary follows).
pub const MAX_DIAGNOSTICS: usize = 100;

/// Collects diagnostics, listing the first [`MAX_DIAGNOSTICS`] and counting the rest.
pub(crate) struct Diags {
    list: Vec<Diagnostic>,
    total: usize,
}

impl Diags {
    pub(crate) fn new() -> Self {
        Diags {
            list: Vec::new(),
            total: 0,
        }
    }

    /// Reports something at byte `at` (the message is only built while listing).
    pub(crate) fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        at: usize,
        message: impl FnOnce() -> String,
    ) {
        self.push_range(severity, code, at..at + 1, message);
    }

    pub(crate) fn push_range(
        &mut self,
        severity: Severity,
        code: &'static str,
        span: Range<usize>,
        message: impl FnOnce() -> String,
    ) {
        self.total += 1;
        if self.list.len() < MAX_DIAGNOSTICS {
            self.list
                .push(Diagnostic::new(severity, code, message(), Some(span)));
        }
    }

    pub(crate) fn finish(mut self) -> Vec<Diagnostic> {
        if self.total > self.list.len() {
            let more = self.total - self.list.len();
            self.list.push(Diagnostic::new(
                Severity::Error,
                "too-many-diagnostics",
                format!("{} problems in all; {more} more not listed", self.total),
                None,
            ));
        }
        self.list
    }
}

/// Detects the encoding of `bytes`. `hint` is a clue from the container (font names in a
/// .doc or .rtf): checked against the bytes, never trusted blindly.
pub fn detect(bytes: &[u8], hint: Option<Encoding>) -> Detection {
    detect::detect(bytes, hint).detection
}

/// Decodes `bytes` as `encoding`: composed (NFC where the encoding has combining bytes),
/// TCVN3 heading case restored, one diagnostic per unmapped byte (with its byte offset).
/// A UTF-8 or UTF-16 byte order mark matching `encoding` is skipped.
pub fn decode_as(bytes: &[u8], encoding: Encoding) -> (String, Vec<Diagnostic>) {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 4);
    let mut d = Diags::new();
    decode_into(bytes, encoding, &mut out, &mut d);
    if encoding == Encoding::Tcvn3 {
        out = restore_heading_case(&out);
    }
    (out, d.finish())
}

/// Decodes without the TCVN3 case repair (detection scores this raw form).
pub(crate) fn decode_into(bytes: &[u8], encoding: Encoding, out: &mut String, d: &mut Diags) {
    let from = out.len();
    if decode_loose(bytes, encoding, out, d) {
        legacy::nfc_in_place(out, from);
    }
}

/// Like [`decode_into`] but without the final NFC; returns whether loose combining marks
/// were left (detection scores such text as it is: loose marks make words invalid).
pub(crate) fn decode_loose(
    bytes: &[u8],
    encoding: Encoding,
    out: &mut String,
    d: &mut Diags,
) -> bool {
    match encoding {
        Encoding::Utf8 => {
            decode_utf8(bytes, out, d);
            false
        }
        Encoding::Utf16Le => {
            decode_utf16(bytes, false, out, d);
            false
        }
        Encoding::Utf16Be => {
            decode_utf16(bytes, true, out, d);
            false
        }
        Encoding::Windows1258 => legacy::decode_cp1258(bytes, out, d),
        Encoding::Tcvn3 => legacy::decode_tcvn3(bytes, out, d),
        Encoding::Vni => legacy::decode_vni(bytes, out, d),
        Encoding::Viscii => legacy::decode_viscii(bytes, out, d),
    }
}

fn decode_utf8(bytes: &[u8], out: &mut String, d: &mut Diags) {
    let skip = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let mut rest = &bytes[skip..];
    let mut offset = skip;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return;
            }
            Err(e) => {
                let good = e.valid_up_to();
                out.push_str(std::str::from_utf8(&rest[..good]).unwrap_or_default());
                let bad = e.error_len().unwrap_or(rest.len() - good).max(1);
                let at = offset + good;
                d.push_range(Severity::Error, "invalid-utf8", at..at + bad, || {
                    format!("invalid utf-8 at byte {at}; replaced by U+FFFD")
                });
                out.push('\u{FFFD}');
                let next = (good + bad).min(rest.len());
                rest = &rest[next..];
                offset += next;
                if rest.is_empty() {
                    return;
                }
            }
        }
    }
}

fn decode_utf16(bytes: &[u8], big_endian: bool, out: &mut String, d: &mut Diags) {
    let bom: &[u8] = if big_endian { b"\xFE\xFF" } else { b"\xFF\xFE" };
    let skip = if bytes.starts_with(bom) { 2 } else { 0 };
    let unit = |i: usize| {
        let pair = [bytes[i], bytes[i + 1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    };
    let mut i = skip;
    while i + 1 < bytes.len() {
        let u = unit(i);
        if (0xD800..0xDC00).contains(&u) && i + 3 < bytes.len() {
            let low = unit(i + 2);
            if (0xDC00..0xE000).contains(&low) {
                let c = 0x10000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                i += 4;
                continue;
            }
        }
        match char::from_u32(u32::from(u)) {
            Some(c) => out.push(c),
            None => {
                out.push('\u{FFFD}');
                d.push_range(Severity::Error, "invalid-utf16", i..i + 2, || {
                    format!("unpaired surrogate 0x{u:04X} at byte {i}; replaced by U+FFFD")
                });
            }
        }
        i += 2;
    }
    if i < bytes.len() {
        out.push('\u{FFFD}');
        d.push(Severity::Error, "invalid-utf16", i, || {
            format!("odd trailing byte at {i}; replaced by U+FFFD")
        });
    }
}

/// Encodes `text` into `encoding` (the reverse of [`decode_as`]); characters the encoding
/// cannot hold are returned as an error listing the first few.
///
/// - UTF-8 is written without a byte order mark, UTF-16 with one.
/// - TCVN3 writes ABC bytes. ABC has no capitals with a tone: they are written with the
///   small letter's byte (what ABC documents do; the `.VnTimeH` font draws the capital),
///   so they are *lowered*, not refused. [`can_encode`] says which characters are held.
/// - Windows-1258 writes decomposed tones (`ế` → `EA EC`), as glibc does.
/// - VNI writes Unikey's bytes (text.md §5.3); CP1252 punctuation stands for itself.
pub fn encode(text: &str, encoding: Encoding) -> Result<Vec<u8>, String> {
    let (bytes, bad) = encode_inner(text, encoding, None);
    if bad.is_empty() {
        return Ok(bytes);
    }
    let shown: Vec<String> = bad
        .iter()
        .take(5)
        .map(|c| format!("{c:?} U+{:04X}", *c as u32))
        .collect();
    Err(format!(
        "{} characters cannot be written in {encoding}: {}",
        bad.len(),
        shown.join(", ")
    ))
}

/// Like [`encode`], but writes `replacement` for characters the encoding cannot hold and
/// returns how many there were.
pub fn encode_lossy(text: &str, encoding: Encoding, replacement: u8) -> (Vec<u8>, usize) {
    let (bytes, bad) = encode_inner(text, encoding, Some(replacement));
    (bytes, bad.len())
}

/// Whether `encoding` can hold `c` (TCVN3: capitals with a tone count as held, lowered).
pub fn can_encode(c: char, encoding: Encoding) -> bool {
    match encoding {
        Encoding::Utf8 | Encoding::Utf16Le | Encoding::Utf16Be => true,
        _ => legacy::encode_char(c, encoding, &mut Vec::new()),
    }
}

fn encode_inner(text: &str, encoding: Encoding, replacement: Option<u8>) -> (Vec<u8>, Vec<char>) {
    let mut bad = Vec::new();
    let out = match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf16Le => {
            let mut v = vec![0xFF, 0xFE];
            v.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            v
        }
        Encoding::Utf16Be => {
            let mut v = vec![0xFE, 0xFF];
            v.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            v
        }
        _ => {
            let mut v = Vec::with_capacity(text.len());
            for c in text.chars() {
                if !legacy::encode_char(c, encoding, &mut v) {
                    bad.push(c);
                    v.extend(replacement);
                }
            }
            v
        }
    };
    (out, bad)
}

/// Maps text that is a CP1252 reading of 8-bit bytes back to those bytes; `None` if some
/// character is not in CP1252. U+0080..=U+009F count as the raw bytes (CP1252 leaves 0x81,
/// 0x8D, 0x8F, 0x90, 0x9D undefined, and tools pass them through as C1 code points).
pub fn cp1252_surface_to_bytes(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        out.push(cp1252_byte(c)?);
    }
    Some(out)
}

pub(crate) fn cp1252_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if u < 0x100 {
        return Some(u as u8);
    }
    Some(match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    })
}

/// Decodes `bytes`, detecting the encoding unless `forced` names it.
///
/// When `forced` is a legacy encoding but the bytes are UTF-8 text made of CP1252
/// characters (legacy text that went through Word), the recovered bytes are decoded and a
/// note says so; diagnostics then point into the recovered bytes.
pub fn decode(bytes: &[u8], forced: Option<Encoding>) -> Source {
    if let Some(encoding) = forced {
        let surface = match encoding {
            Encoding::Utf8 | Encoding::Utf16Le | Encoding::Utf16Be => None,
            _ => detect::cp1252_surface(bytes),
        };
        let (text, mut diagnostics) = decode_as(surface.as_deref().unwrap_or(bytes), encoding);
        let mut clue = String::from("user");
        if surface.is_some() {
            clue.push_str(", cp1252 surface");
            diagnostics.insert(
                0,
                Diagnostic::new(
                    Severity::Note,
                    "cp1252-surface",
                    "utf-8 text made of cp1252 characters: decoded the bytes they stand for; byte offsets refer to those bytes",
                    None,
                ),
            );
        }
        return Source {
            text,
            encoding,
            confidence: 1.0,
            clue,
            diagnostics,
            pages: Vec::new(),
        };
    }
    let found = detect::detect(bytes, None);
    let input = found.recovered.as_deref().unwrap_or(bytes);
    let (text, mut diagnostics) = match found.decoded {
        Some((text, diagnostics)) if found.detection.encoding == Encoding::Tcvn3 => {
            (restore_heading_case(&text), diagnostics)
        }
        Some(decoded) => decoded,
        None => decode_as(input, found.detection.encoding),
    };
    if found.recovered.is_some() {
        diagnostics.insert(
            0,
            Diagnostic::new(
                Severity::Note,
                "cp1252-surface",
                "utf-8 text made of cp1252 characters: decoded the bytes they stand for; byte offsets refer to those bytes",
                None,
            ),
        );
    }
    if found.detection.confidence < 0.5 {
        diagnostics.push(Diagnostic::new(
            Severity::Warning,
            "unsure-encoding",
            format!(
                "encoding guessed as {} with low confidence ({:.2}): {}",
                found.detection.encoding, found.detection.confidence, found.detection.clue
            ),
            None,
        ));
    }
    Source {
        text,
        encoding: found.detection.encoding,
        confidence: found.detection.confidence,
        clue: found.detection.clue,
        diagnostics,
        pages: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
