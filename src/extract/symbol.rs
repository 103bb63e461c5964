//! Document numbers and symbols: `991/QĐ-UBND`, `30/2020/NĐ-CP`, `45-CT/TW`, `1141-TC/QĐ`,
//! `18/2003/QH11`, with the real-world slips (spaces, dropped hyphens, en-dashes, lines
//! broken after a hyphen, footnote markers glued to the end).

use std::ops::Range;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::pattern::regexes;
use super::scan::{char_at, char_before, fold, window_before};
use crate::Standard;

/// A parsed number and symbol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Symbol {
    /// The number and symbol, whitespace removed, dashes as `-` (`991/QĐ-UBND`).
    pub text: String,
    /// The number's integer value; `None` when blank (a draft).
    pub number: Option<u32>,
    /// The year group of a VBQPPL number.
    pub year: Option<i32>,
    /// The type code (`QĐ`), canonical spelling; `None` for công văn and laws.
    pub kind: Option<String>,
    /// Issuer codes: one, or several for joint documents (TTLT).
    pub issuers: Vec<String>,
    /// Unit codes after the issuer (`VX` in `123/UBND-VX`).
    pub units: Vec<String>,
    /// `admin`, `vbqppl`, `party` or `old-ministry`.
    pub system: String,
    /// State (`state`) or Party (`party`).
    pub standard: Standard,
    /// National Assembly term from `QHnn` / `UBTVQHnn`.
    pub term: Option<u32>,
}

/// A symbol found in the text.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub(crate) span: Range<usize>,
    pub(crate) symbol: Symbol,
}

const DASHES: &[char] = &['-', '–', '—', '‑', '‐'];

/// The number, the separator after it and a year group (`30/2020/`): the start of
/// [`SYMBOL`].
const NUMBER_PART: &str =
    r"(\d{1,5})([ \t]*[/\-–—‑‐][ \t]*(?:\n[ \t]*)?|[ \t]+)(?:(\d{4})[ \t]*/[ \t]*)?";
/// One code group of [`SYMBOL`] (`QĐ`, `UBND`, `QH11`).
const GROUP: &str = r"[A-ZĐÐ][A-Za-zĐđÐ&]*\d*";
/// What joins two code groups of [`SYMBOL`]: a dash or slash (the line may break after
/// it), or a dot.
const LINK: &str = r"(?:[ \t]*[/\-–—‑‐][ \t]*(?:\n[ \t]*)?|\.)";

regexes! {
    static SYMBOL = format!("{NUMBER_PART}({GROUP}(?:{LINK}{GROUP})*)");
    /// [`SYMBOL`] up to the end of its first code group: it matches where [`SYMBOL`] does (the
    /// rest of that pattern may match nothing), and ends where its first group does.
    static SYMBOL_HEAD = format!("{NUMBER_PART}{GROUP}");
    /// One more link and group of [`SYMBOL`]'s code chain, at the start of the haystack.
    static SYMBOL_LINK = format!("^{LINK}{GROUP}");
    /// [`SYMBOL`] anchored at the start of the haystack, for [`parse_at`]: an unanchored search
    /// for a match that must start there read the rest of the text at each call (each `Số`
    /// label of a header; quadratic in a text of such labels).
    static SYMBOL_AT = format!("^(?:{})", SYMBOL.as_str());
    static CODES = r"[A-ZĐÐ][A-Za-zĐđÐ&]*\d*|[ \t]*[/\-–—‑‐][ \t]*(?:\n[ \t]*)?|\.";
    static EXCLUDED_BEFORE = r"(?i)(?:m[ẫãâa]u|biểu|sổ|form|qcvn|tcvn|bảng|phụ lục|mục)(?:[ \t]+(?:số|biểu))?[ \t]*:?[ \t]*$";
    static SHARED_LIST = r"(\d{1,5})[ \t]*,[ \t]*$";
    static BLANK = r"^[ \t._…]*(?:\d{4})?[ \t]*([/\-–—‑‐])[ \t]*([A-ZĐÐ][A-Za-zĐđÐ&]*\d*(?:(?:[ \t]*[/\-–—‑‐][ \t]*|\.[ \t]?)[A-ZĐÐ][A-Za-zĐđÐ&]*\d*)*)";
}

/// Type codes: (code, full name). State (ND30 Phụ lục III, older codes), VBQPPL and Party.
pub(crate) const KINDS: &[(&str, &str)] = &[
    ("TTLT", "Thông tư liên tịch"),
    ("NQLT", "Nghị quyết liên tịch"),
    ("QĐi", "Quy định"),
    ("QyĐ", "Quy định"),
    ("QĐ", "Quyết định"),
    ("QD", "Quyết định"),
    ("NĐ", "Nghị định"),
    ("ND", "Nghị định"),
    ("NQ", "Nghị quyết"),
    ("CT", "Chỉ thị"),
    ("CTr", "Chương trình"),
    ("TTr", "Tờ trình"),
    ("TT", "Thông tư"),
    ("QC", "Quy chế"),
    ("TC", "Thông cáo"),
    ("TB", "Thông báo"),
    ("HD", "Hướng dẫn"),
    ("KH", "Kế hoạch"),
    ("PA", "Phương án"),
    ("ĐA", "Đề án"),
    ("DA", "Dự án"),
    ("BC", "Báo cáo"),
    ("BB", "Biên bản"),
    ("HĐ", "Hợp đồng"),
    ("CĐ", "Công điện"),
    ("BGN", "Bản ghi nhớ"),
    ("BTT", "Bản thỏa thuận"),
    ("GUQ", "Giấy ủy quyền"),
    ("GM", "Giấy mời"),
    ("GGT", "Giấy giới thiệu"),
    ("GNP", "Giấy nghỉ phép"),
    ("PG", "Phiếu gửi"),
    ("PC", "Phiếu chuyển"),
    ("PB", "Phiếu báo"),
    ("SY", "Bản sao y"),
    ("TrS", "Bản trích sao"),
    ("SL", "Bản sao lục"),
    ("KL", "Kết luận"),
    ("CV", "Công văn"),
    ("PL", "Pháp lệnh"),
    ("LCT", "Lệnh"),
    ("GN", "Bản ghi nhớ"),
    ("TTh", "Bản thỏa thuận"),
    ("UQ", "Giấy ủy quyền"),
    ("CĐKT", "Chế độ kế toán"),
];

/// Canonical type code for `code` (case-insensitive), if it is one.
pub(crate) fn kind_code(code: &str) -> Option<&'static str> {
    if code == "CĐKT" {
        return None;
    }
    KINDS
        .iter()
        .find(|(k, _)| *k == code)
        .map(|(k, _)| *k)
        .or_else(|| {
            let upper = code.to_uppercase();
            KINDS_UPPER
                .iter()
                .find(|(_, ku)| *ku == upper)
                .map(|(k, _)| *k)
        })
        .filter(|k| *k != "CĐKT")
}

/// Each code of [`KINDS`] with its upper case, in the same order: [`kind_code`] compares
/// with these rather than upper-casing every code at every call.
static KINDS_UPPER: LazyLock<Vec<(&'static str, String)>> =
    LazyLock::new(|| KINDS.iter().map(|(k, _)| (*k, k.to_uppercase())).collect());

/// Full name of a type code.
pub(crate) fn kind_name(code: &str) -> Option<&'static str> {
    if code == "Luật" {
        return Some("Luật");
    }
    KINDS.iter().find(|(k, _)| *k == code).map(|(_, n)| *n)
}

const ISSUERS: &[&str] = &[
    "UBND", "UB", "CP", "TTg", "VPCP", "BTC", "HĐND", "NHNN", "BNV", "BCT", "BGDĐT", "BLĐTBXH",
    "BXD", "BNN", "BYT", "BTP", "BCA", "BQP", "BGTVT", "BKHĐT", "BKHCN", "BTNMT", "BVHTTDL",
    "BTTTT", "SNN", "SNV", "SCT", "SKHĐT", "STC", "SXD", "SYT", "STP", "SNNMT", "TCHQ", "TCT",
    "BCN", "BTM", "BTS", "TW", "TU", "HU", "ĐU", "VPTW", "BTCTW",
];

fn is_party_issuer(code: &str) -> bool {
    let u = code.to_uppercase();
    matches!(
        u.as_str(),
        "TW" | "TU" | "HU" | "ĐU" | "QU" | "THU" | "CB" | "ĐĐ" | "BCS" | "VPTW" | "BTCTW" | "ĐH"
    ) || u.ends_with("TW")
        || u.starts_with("UBKT")
        || u.starts_with("ĐU")
        || u.starts_with("TWĐTN")
        || u.ends_with("TU")
        || u.ends_with("HU")
}

fn known_issuer(code: &str) -> bool {
    ISSUERS.contains(&code)
}

/// Splits a group that lost its hyphen (`QĐUBND` → `QĐ`, `UBND`) when both halves are known.
fn split_dropped_hyphen(group: &str) -> Option<(&'static str, String)> {
    let mut best: Option<(&'static str, String)> = None;
    for (code, _) in KINDS {
        if let Some(rest) = group.strip_prefix(code) {
            let ok = known_issuer(rest)
                || (rest.chars().count() >= 2
                    && rest.chars().all(|c| c.is_uppercase())
                    && (rest.starts_with("UB") || rest.starts_with('S') || rest.starts_with('B')));
            if ok && best.as_ref().is_none_or(|(b, _)| code.len() > b.len()) {
                best = Some((code, rest.to_string()));
            }
        }
    }
    best
}

/// Is this a plausible code group: mostly upper case, not glued to a following letter.
fn valid_group(g: &str) -> bool {
    let lower = g.chars().filter(|c| c.is_lowercase()).count();
    let letters = g.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 1 && lower <= 1 && !(letters == 1 && lower == 1)
}

fn norm_sep(sep: &str) -> char {
    let t = sep.trim();
    if t.is_empty() {
        ' '
    } else if t.starts_with('/') {
        '/'
    } else if t.starts_with('.') {
        '.'
    } else {
        '-'
    }
}

/// Splits a trailing footnote marker off the last group (`CP2` → `CP`, `QH151` → `QH15`).
fn strip_footnote(g: &str) -> String {
    let digits = g.chars().rev().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return g.to_string();
    }
    let letters = &g[..g.len() - digits];
    if letters.ends_with("QH") {
        let keep = digits.min(2);
        return g[..letters.len() + keep].to_string();
    }
    if letters.chars().count() >= 2 && known_issuer(letters) || kind_code(letters).is_some() {
        return letters.to_string();
    }
    g.to_string()
}

/// Parses the code part of a symbol: groups and separators, valid groups only.
/// Returns groups with the separator before each (the first has none) and the byte length
/// of `codes` that was kept.
fn parse_codes(s: &str, codes_start: usize, codes: &str) -> (Vec<(char, String)>, usize) {
    let mut out: Vec<(char, String)> = Vec::new();
    let mut kept = 0;
    let mut pending_sep: Option<char> = None;
    for m in CODES.find_iter(codes) {
        let t = m.as_str();
        if t.starts_with(|c: char| c.is_alphabetic()) {
            let end_abs = codes_start + m.end();
            let glued = char_at(s, end_abs).is_some_and(|c| c.is_alphabetic());
            if glued || !valid_group(t) {
                break;
            }
            out.push((pending_sep.take().unwrap_or(' '), t.to_string()));
            kept = m.end();
        } else {
            if pending_sep.is_some() {
                break;
            }
            pending_sep = Some(norm_sep(t));
        }
    }
    (out, kept)
}

/// Builds a [`Symbol`] from its parts.
pub(crate) fn build(
    number: Option<&str>,
    first_sep: char,
    year: Option<&str>,
    groups: &[(char, String)],
) -> Option<Symbol> {
    if groups.is_empty() {
        return None;
    }
    let mut groups: Vec<(char, String)> = groups.to_vec();
    if let Some(last) = groups.last_mut() {
        last.1 = strip_footnote(&last.1);
    }
    let has_slash = first_sep == '/' || groups.iter().skip(1).any(|(s, _)| *s == '/');
    if !has_slash {
        return None;
    }
    let mut text = String::new();
    if let Some(n) = number {
        text.push_str(n);
    }
    match (first_sep, year) {
        (_, Some(y)) => {
            text.push('/');
            text.push_str(y);
            text.push('/');
        }
        (' ', None) => {}
        (c, None) => text.push(c),
    }
    for (i, (sep, g)) in groups.iter().enumerate() {
        if i > 0 {
            text.push(*sep);
        }
        text.push_str(g);
    }
    let codes: Vec<&str> = groups.iter().map(|(_, g)| g.as_str()).collect();
    let parts = if first_sep == '/' || year.is_some() {
        state_parts(&codes, year.is_some())
    } else {
        party_parts(&codes)
    };
    let CodeParts {
        kind,
        issuers,
        units,
        system,
        standard,
    } = parts;
    let mut term = None;
    for code in &issuers {
        let u = code.to_uppercase();
        if let Some(pos) = u.find("QH") {
            let digits = &u[pos + 2..];
            if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
                term = digits.parse().ok();
            }
        }
    }
    Some(Symbol {
        text,
        number: number.and_then(|n| n.parse().ok()),
        year: year.and_then(|y| y.parse().ok()),
        kind,
        issuers,
        units,
        system: system.to_string(),
        standard,
        term,
    })
}

/// What the code groups of a symbol say: its kind, issuers, units, system and standard.
struct CodeParts {
    kind: Option<String>,
    issuers: Vec<String>,
    units: Vec<String>,
    system: &'static str,
    standard: Standard,
}

/// The parts of a state number (`n/KIND-ISSUER-UNIT`, `n/yyyy/KIND-ISSUER`): the kind
/// first (also when its hyphen was dropped, `QĐUBND`), then the issuer (all of them for
/// a joint document), then units.
fn state_parts(codes: &[&str], has_year: bool) -> CodeParts {
    let mut kind = None;
    let mut issuers = Vec::new();
    let mut units = Vec::new();
    let system = if has_year { "vbqppl" } else { "admin" };
    let rest: Vec<String>;
    if let Some(k) = kind_code(codes[0]) {
        kind = Some(k.to_string());
        rest = codes[1..].iter().map(|s| s.to_string()).collect();
    } else if let Some((k, issuer)) = split_dropped_hyphen(codes[0]) {
        kind = Some(k.to_string());
        rest = std::iter::once(issuer)
            .chain(codes[1..].iter().map(|s| s.to_string()))
            .collect();
    } else {
        rest = codes.iter().map(|s| s.to_string()).collect();
    }
    if kind.as_deref().is_some_and(|k| k.ends_with("LT")) {
        issuers = rest;
    } else if let Some((first, others)) = rest.split_first() {
        issuers.push(first.clone());
        units = others.to_vec();
    }
    CodeParts {
        kind,
        issuers,
        units,
        system,
        standard: Standard::NhaNuoc,
    }
}

/// The parts of a number `n-A/B…`: Party (`45-CT/TW`) or the pre-2004 ministry order
/// (`1141-TC/QĐ`).
fn party_parts(codes: &[&str]) -> CodeParts {
    let mut kind = None;
    let mut issuers = Vec::new();
    let mut units = Vec::new();
    let mut system = "party";
    let mut standard = Standard::NhaNuoc;
    let a = codes[0];
    let b = codes.get(1).copied();
    match (kind_code(a), b.and_then(kind_code)) {
        (Some(k), _) if b.is_some_and(is_party_issuer) || b.is_none() => {
            kind = Some(k.to_string());
            standard = Standard::Dang;
        }
        (_, Some(k)) => {
            kind = Some(k.to_string());
            system = "old-ministry";
            issuers.push(a.to_string());
            units = codes.iter().skip(2).map(|s| s.to_string()).collect();
        }
        (Some(k), None) if b.is_some_and(is_party_issuer) => {
            kind = Some(k.to_string());
            standard = Standard::Dang;
        }
        (Some(_), None) => {
            system = "old-ministry";
            issuers.push(a.to_string());
            units = codes.iter().skip(1).map(|s| s.to_string()).collect();
        }
        (None, None) => {
            system = "old-ministry";
            issuers.push(a.to_string());
            units = codes.iter().skip(1).map(|s| s.to_string()).collect();
        }
    }
    if issuers.is_empty() {
        if let Some(b) = b {
            issuers.push(b.to_string());
        }
        units = codes.iter().skip(2).map(|s| s.to_string()).collect();
    }
    CodeParts {
        kind,
        issuers,
        units,
        system,
        standard,
    }
}

/// Parses a symbol starting exactly at the start of `s[at..]` (used by the header, which
/// also accepts a blank number). Returns the symbol and the end byte.
pub(crate) fn parse_at(s: &str, at: usize, blank_ok: bool) -> Option<(Symbol, Range<usize>)> {
    let rest = s.get(at..)?;
    if let Some(m) = SYMBOL_AT.captures(rest)
        && let Some(f) = from_captures(s, at, &m)
    {
        return Some((f.symbol, f.span));
    }
    if blank_ok && let Some(c) = BLANK.captures(rest) {
        let sep = c.get(1)?;
        let codes = c.get(2)?;
        let (groups, kept) = parse_codes(s, at + codes.start(), codes.as_str());
        let sym = build(None, norm_sep(sep.as_str()), None, &groups)
            .or_else(|| build(None, '/', None, &groups))?;
        return Some((sym, at + sep.start()..at + codes.start() + kept));
    }
    None
}

fn from_captures(s: &str, base: usize, c: &regex::Captures<'_>) -> Option<Found> {
    let num = c.get(1)?;
    let sep = c.get(2)?;
    let codes = c.get(4)?;
    let start = base + num.start();
    let first_sep = norm_sep(sep.as_str());
    let (groups, kept) = parse_codes(s, base + codes.start(), codes.as_str());
    if groups.is_empty() {
        return None;
    }
    let year = c.get(3).map(|m| m.as_str());
    if first_sep == ' ' && year.is_none() && groups.get(1).is_none_or(|(sep, _)| *sep != '/') {
        return None;
    }
    // `60 TC/CĐKT` (old spacing) but not `20 USD/MT`: a known code, or `số` before it.
    if first_sep == ' ' && year.is_none() {
        let g0 = groups[0].1.as_str();
        let (_, w) = window_before(s, start, 30);
        let f = fold(w);
        let f = f.trim_end();
        let labelled = f.ends_with(" so") || f.ends_with(" so:") || f == "so";
        if kind_code(g0).is_none() && !known_issuer(g0) && !labelled {
            return None;
        }
    }
    if first_sep != '/' && year.is_some() && first_sep != ' ' {
        return None;
    }
    let symbol = build(Some(num.as_str()), first_sep, year, &groups)?;
    Some(Found {
        span: start..base + codes.start() + kept,
        symbol,
    })
}

/// Is the number at `start` preceded by something that makes it not a document number?
fn bad_prefix(s: &str, start: usize) -> bool {
    let before = s[..start].trim_end_matches([' ', '\t']);
    let Some(prev) = before.chars().next_back() else {
        return false;
    };
    let end = before.len();
    if prev.is_ascii_digit() || prev == '/' || prev == '\\' {
        return true;
    }
    if (prev == ':' || prev == '.') && char_before(s, end - 1).is_some_and(|c| c.is_ascii_digit()) {
        return true;
    }
    if DASHES.contains(&prev) {
        let b2 = before[..end - prev.len_utf8()].trim_end_matches([' ', '\t']);
        return b2.chars().next_back().is_some_and(|c| c.is_alphanumeric());
    }
    let glued = before.len() == start;
    if prev.is_alphabetic() && glued {
        // `số1927/QĐ-UBND`: a glued label is fine; any other word glued to it is not.
        let word: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_alphabetic())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if fold(&word) != "so" {
            return true;
        }
    }
    let (_, w) = window_before(s, start, 40);
    EXCLUDED_BEFORE.is_match(w)
}

/// Can a match of [`SYMBOL`] give a symbol at all? [`from_captures`] only returns what
/// [`build`] returns, and `build` wants a `/` separator: the first separator or one before a
/// kept group, each normalised by [`norm_sep`] to `/` only when it holds a `/`. Both are
/// parts of the match, so a match without a `/` gives `None`, and the captures need not be
/// taken for it.
#[cfg(test)]
fn may_be_symbol(m: &str) -> bool {
    memchr::memchr(b'/', m.as_bytes()).is_some()
}

/// The longest match of [`SYMBOL`] taken for a number and symbol, in bytes. The longest in
/// the corpora is 35; without a bound, a text made of one code chain with numbers inside
/// (`1-So1-So1-…`) had the captures of the whole chain taken from each number in it.
const SYMBOL_MAX: usize = 512;

/// Where the code chains of [`SYMBOL`] end, walked link by link ([`SYMBOL_LINK`]). The
/// chain after a group depends only on where that group ends, and a number inside a chain
/// (`1-AB1-AB1…`) starts a match whose first group ends where a group of the chain does:
/// the group ends of the last chain walked answer for those, so that each chain is walked
/// once rather than once per number in it (which was quadratic).
#[derive(Default)]
struct Chains {
    /// The group ends of the last chain walked, ascending; the last is where it ends.
    ends: Vec<usize>,
}

impl Chains {
    /// Where the chain after the group ending at `x` ends.
    fn end(&mut self, s: &str, x: usize) -> usize {
        if self.ends.binary_search(&x).is_err() {
            self.ends.clear();
            let mut at = x;
            self.ends.push(at);
            while let Some(m) = s.get(at..).and_then(|rest| SYMBOL_LINK.find(rest)) {
                at += m.end();
                self.ends.push(at);
            }
            #[cfg(test)]
            super::scan::work::add(at - x + 1);
        }
        self.ends.last().copied().unwrap_or(x)
    }
}

/// The first `/` at or after a place, for places that only move forward: each search
/// starts where the last one found nothing before.
struct NextSlash(Option<usize>);

impl NextSlash {
    /// Whether `s[from..to]` holds a `/`; `from` never less than at the call before.
    fn within(&mut self, s: &str, from: usize, to: usize) -> bool {
        if self.0.is_some_and(|q| q < from) {
            self.0 = memchr::memchr(b'/', &s.as_bytes()[from..]).map(|k| from + k);
        }
        self.0.is_some_and(|q| q < to)
    }
}

/// The first byte at or after `next` that is not an ASCII digit following an ASCII digit.
///
/// A match of [`SYMBOL`] starting right after an ASCII digit is always turned away in
/// [`find_symbols`] (the `char_before` test), and the search then goes on from the next char.
/// So starting the next search past such positions finds the same first match that is not
/// turned away for that reason: no match starts in between that could be kept.
fn past_digit_run(s: &str, mut next: usize) -> usize {
    let b = s.as_bytes();
    while next > 0 && b.get(next).is_some_and(u8::is_ascii_digit) && b[next - 1].is_ascii_digit() {
        next += 1;
    }
    next
}

/// Finds every document number with a symbol in `s`, in order.
///
/// Each place where [`SYMBOL`] matches is found by [`SYMBOL_HEAD`] (the same places, the
/// match known up to its first group), the rest of the match by [`Chains`]; a match is
/// turned away by cheap tests first (a digit before it, no `/` in it, too long, what is
/// before it), and only then are its captures taken, on the text up to its end (the pattern
/// has no look-around, so they are those of the match in the whole text).
pub(crate) fn find_symbols(s: &str) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let mut chains = Chains::default();
    let mut slash = NextSlash(memchr::memchr(b'/', s.as_bytes()));
    let mut pos = 0;
    while pos < s.len() {
        let Some(head) = SYMBOL_HEAD.find_at(s, pos) else {
            break;
        };
        let num = head.start();
        #[cfg(test)]
        super::scan::work::add(head.end() - pos);
        let mut next;
        let end = (!char_before(s, num).is_some_and(|c| c.is_ascii_digit()))
            .then(|| chains.end(s, head.end()))
            .filter(|&end| {
                end - num <= SYMBOL_MAX && slash.within(s, num, end) && !bad_prefix(s, num)
            });
        #[cfg(test)]
        super::scan::work::add(end.map_or(0, |end| end - num));
        if let Some(end) = end
            && let Some(c) = SYMBOL.captures_at(&s[..end], num)
            && let Some(f) = from_captures(s, 0, &c)
        {
            next = f.span.end.max(pos + 1);
            // A shared-suffix list: `Nghị định 87, 88, 31/CP`.
            let mut extra = Vec::new();
            let mut list_start = num;
            while let Some(lm) = SHARED_LIST.captures(&s[..list_start]) {
                let Some(n) = lm.get(1) else { break };
                if char_before(s, n.start()).is_some_and(|c| c.is_ascii_digit() || c == '/') {
                    break;
                }
                extra.push((n.range(), n.as_str().to_string()));
                list_start = n.start();
                if extra.len() > 20 {
                    break;
                }
            }
            let listed = !extra.is_empty()
                && s[..list_start]
                    .trim_end_matches([' ', '\t'])
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphabetic());
            if listed {
                let tail = &f.symbol.text[f
                    .symbol
                    .text
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(0)..];
                for (span, n) in extra.into_iter().rev() {
                    let mut symbol = f.symbol.clone();
                    symbol.text = format!("{n}{tail}");
                    symbol.number = n.parse().ok();
                    out.push(Found { span, symbol });
                }
            }
            out.push(f);
        } else {
            // Retry from the next char so that a later start inside this match is seen.
            next = s[num..]
                .char_indices()
                .nth(1)
                .map_or(s.len(), |(i, _)| num + i)
                .max(pos + 1);
            while !s.is_char_boundary(next) {
                next += 1;
            }
            next = past_digit_run(s, next);
        }
        pos = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, text: &str, kind: Option<&str>, issuer: Option<&str>, system: &str) {
        let found = find_symbols(input);
        assert_eq!(found.len(), 1, "{input}: {found:?}");
        let sym = &found[0].symbol;
        assert_eq!(sym.text, text, "{input}");
        assert_eq!(sym.kind.as_deref(), kind, "{input}");
        assert_eq!(sym.issuers.first().map(|s| s.as_str()), issuer, "{input}");
        assert_eq!(sym.system, system, "{input}");
    }

    /// (input, text, kind, first issuer, system)
    type Case = (
        &'static str,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        &'static str,
    );

    fn check_all(cases: &[Case]) {
        for &(input, text, kind, issuer, system) in cases {
            check(input, text, kind, issuer, system);
        }
    }

    /// State numbers (Decree 30) and legal documents (VBQPPL).
    #[test]
    fn state_numbers() {
        check_all(&[
            (
                "Số: 991/QĐ-UBND",
                "991/QĐ-UBND",
                Some("QĐ"),
                Some("UBND"),
                "admin",
            ),
            (
                "Số: 66/TTr-SNN",
                "66/TTr-SNN",
                Some("TTr"),
                Some("SNN"),
                "admin",
            ),
            (
                "Số: 123/UBND-VX",
                "123/UBND-VX",
                None,
                Some("UBND"),
                "admin",
            ),
            (
                "Số: 30/2020/NĐ-CP",
                "30/2020/NĐ-CP",
                Some("NĐ"),
                Some("CP"),
                "vbqppl",
            ),
            (
                "120/2000/TTLT-BTC-BCN-TCHQ",
                "120/2000/TTLT-BTC-BCN-TCHQ",
                Some("TTLT"),
                Some("BTC"),
                "vbqppl",
            ),
            (
                "Bộ luật số: 45/2019/QH14",
                "45/2019/QH14",
                None,
                Some("QH14"),
                "vbqppl",
            ),
            (
                "Số: 991/QĐ-UBND. Căn cứ",
                "991/QĐ-UBND",
                Some("QĐ"),
                Some("UBND"),
                "admin",
            ),
        ]);
    }

    /// Party numbers (HD 36), and the pre-2004 ministry order.
    #[test]
    fn party_and_old_ministry_numbers() {
        check_all(&[
            (
                "1141-TC/QĐ",
                "1141-TC/QĐ",
                Some("QĐ"),
                Some("TC"),
                "old-ministry",
            ),
            (
                "Số 36-HD/VPTW",
                "36-HD/VPTW",
                Some("HD"),
                Some("VPTW"),
                "party",
            ),
            ("số 45 - CT/TW", "45-CT/TW", Some("CT"), Some("TW"), "party"),
            (
                "Số: 367 - QĐ/TWĐTN-VP",
                "367-QĐ/TWĐTN-VP",
                Some("QĐ"),
                Some("TWĐTN"),
                "party",
            ),
            (
                "Thông tư 60 TC/CĐKT, ngày",
                "60TC/CĐKT",
                None,
                Some("TC"),
                "old-ministry",
            ),
            (
                "Kết luận số 75-\nKL/TW ngày",
                "75-KL/TW",
                Some("KL"),
                Some("TW"),
                "party",
            ),
            (
                "số 104-CTr/Tu ngày",
                "104-CTr/Tu",
                Some("CTr"),
                Some("Tu"),
                "party",
            ),
        ]);
    }

    /// Spaces, en-dashes, dropped hyphens, dots and footnote markers.
    #[test]
    fn numbers_with_slips() {
        check_all(&[
            (
                "Số: 12/QĐ–UBND",
                "12/QĐ-UBND",
                Some("QĐ"),
                Some("UBND"),
                "admin",
            ),
            (
                "SỐ: 28 /2003/NĐ-CP",
                "28/2003/NĐ-CP",
                Some("NĐ"),
                Some("CP"),
                "vbqppl",
            ),
            (
                "3027/QĐUBND",
                "3027/QĐUBND",
                Some("QĐ"),
                Some("UBND"),
                "admin",
            ),
            (
                "63/2010/NĐCP",
                "63/2010/NĐCP",
                Some("NĐ"),
                Some("CP"),
                "vbqppl",
            ),
            (
                "Quyết định số: 1206 /QĐ-HVTC",
                "1206/QĐ-HVTC",
                Some("QĐ"),
                Some("HVTC"),
                "admin",
            ),
            (
                "Luật số 42/2024/QH151 và",
                "42/2024/QH15",
                None,
                Some("QH15"),
                "vbqppl",
            ),
            (
                "số 105/2025/NĐ-CP2 ngày",
                "105/2025/NĐ-CP",
                Some("NĐ"),
                Some("CP"),
                "vbqppl",
            ),
            (
                "101/QĐ.BQL-TC,",
                "101/QĐ.BQL-TC",
                Some("QĐ"),
                Some("BQL"),
                "admin",
            ),
        ]);
    }

    #[test]
    fn not_symbols() {
        for s in [
            "1- Tổ chức",
            "Mẫu số 21/CKTC-NSH",
            "sổ ST-22/HĐ",
            "BC -27/HĐ",
            "QCVN 122:2024/BGTVT",
            "Thông tư số /2005/TT-NHNN",
            "1/3 số thành viên",
            "ngày 14/01/2021",
            "3- Ban chỉ đạo",
            "giá 20 USD/MT",
        ] {
            assert!(find_symbols(s).is_empty(), "{s}: {:?}", find_symbols(s));
        }
    }

    /// Every match of `SYMBOL` that [`may_be_symbol`] turns away gives no symbol.
    #[test]
    fn matches_without_a_slash_give_nothing() {
        let inputs = [
            "khoản 2 Điều 3 Luật 45 QĐ UBND",
            "số 12-QĐ-UBND ngày 5 TC CĐKT và 60 TC - CĐKT",
            "số 7 QĐUBND, 2020 NĐ.CP, 18 QH11 và 33 - TTLT - BTC - BNV",
            "Nghị định 87, 88, 31 CP\n12 –\n ND-CP",
        ];
        for s in inputs {
            let mut pos = 0;
            while let Some(m) = SYMBOL.find_at(s, pos) {
                if !may_be_symbol(m.as_str()) {
                    let c = SYMBOL.captures_at(&s[..m.end()], m.start()).unwrap();
                    assert!(from_captures(s, 0, &c).is_none(), "{:?}", m.as_str());
                }
                pos = m.start() + s[m.start()..].chars().next().unwrap().len_utf8();
            }
        }
    }

    /// [`find_symbols`] with every retry one char on, as before [`past_digit_run`].
    fn find_symbols_one_char_at_a_time(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut pos = 0;
        while let Some(m) = SYMBOL.find_at(s, pos) {
            let num = m.start();
            if !bad_prefix(s, num)
                && !char_before(s, num).is_some_and(|c| c.is_ascii_digit())
                && let Some(c) = SYMBOL.captures_at(&s[..m.end()], num)
                && let Some(f) = from_captures(s, 0, &c)
            {
                pos = f.span.end.max(pos + 1);
                out.push(f.symbol.text);
            } else {
                pos = num + s[num..].chars().next().map_or(1, char::len_utf8);
            }
        }
        out
    }

    /// [`find_symbols`] as it was before [`Chains`]: one search for the whole match at each
    /// place, and from the next char after a turned-away match.
    fn find_symbols_by_whole_matches(s: &str) -> Vec<(Range<usize>, Symbol)> {
        let mut out = Vec::new();
        let mut pos = 0;
        while let Some(m) = SYMBOL.find_at(s, pos) {
            let num = m.start();
            if may_be_symbol(m.as_str())
                && !bad_prefix(s, num)
                && !char_before(s, num).is_some_and(|c| c.is_ascii_digit())
                && let Some(c) = SYMBOL.captures_at(&s[..m.end()], num)
                && let Some(f) = from_captures(s, 0, &c)
            {
                pos = f.span.end.max(pos + 1);
                out.push((f.span, f.symbol));
            } else {
                pos = num + s[num..].chars().next().map_or(1, char::len_utf8);
                pos = past_digit_run(s, pos);
            }
        }
        out
    }

    /// [`find_symbols`] without the numbers of shared-suffix lists, which the reference
    /// leaves out: their spans hold the number alone, those of symbols a `/`.
    fn found_alone(s: &str) -> Vec<(Range<usize>, Symbol)> {
        find_symbols(s)
            .into_iter()
            .filter(|f| s[f.span.clone()].contains('/'))
            .map(|f| (f.span, f.symbol))
            .collect()
    }

    /// Walking the code chains link by link finds what one search for the whole match did.
    #[test]
    fn chains_walked_find_what_whole_matches_did() {
        let texts = crate::extract::corpus_texts();
        for s in texts.iter().map(String::as_str).chain([
            "1-AB1-AB1-AB1/X 1-So1-So1-So1/X 1-So1-So1/Xô 12/QĐ-UB   \n  -AB/C",
            "1 2021/QĐ-UB 1-2021/X 12 QĐ/UB. 7 - TTLT - BTC/BNV 5.A/B 5-A.B/C",
        ]) {
            assert_eq!(found_alone(s), find_symbols_by_whole_matches(s), "{s}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]
        #[test]
        fn chains_walked_find_what_whole_matches_did_generated(pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "1", "12", "2021", "-", "/", ".", " ", "  ", "\t", "\n", "–", "A", "So", "QĐ",
                "UBND", "ab", "ô", "&", ",", "số ", "Số: ", "٣", "mẫu ", "TW", "CP",
            ]), 0..30)
        ) {
            let s = pieces.concat();
            proptest::prop_assert_eq!(found_alone(&s), find_symbols_by_whole_matches(&s), "{:?}", s);
        }
    }

    /// Anchored, [`SYMBOL`] finds at a place what a search from there found when its match
    /// started there.
    #[test]
    fn symbol_at_is_the_search_kept_at_its_start() {
        let groups = |c: Option<regex::Captures<'_>>| -> Option<Vec<Option<Range<usize>>>> {
            c.map(|c| c.iter().map(|g| g.map(|g| g.range())).collect())
        };
        for s in crate::extract::corpus_texts().iter().take(40) {
            let head = &s[..crate::text::floor_boundary(s, 3000)];
            for (at, c) in head.char_indices() {
                if !c.is_numeric() {
                    continue;
                }
                let rest = &head[at..];
                let searched = SYMBOL
                    .captures(rest)
                    .filter(|c| c.get(0).is_some_and(|m| m.start() == 0));
                assert_eq!(groups(SYMBOL_AT.captures(rest)), groups(searched), "{rest}");
            }
        }
    }

    #[test]
    fn matches_longer_than_any_symbol_are_not_taken() {
        let chain = |groups: usize| format!("số 1/{}UBND", "AB-".repeat(groups));
        let texts = |s: &str| -> Vec<String> {
            find_symbols(s).into_iter().map(|f| f.symbol.text).collect()
        };
        assert_eq!(texts(&chain(2)), ["1/AB-AB-UBND"]);
        assert_eq!(texts(&chain(SYMBOL_MAX / 3 - 10)).len(), 1);
        assert!(texts(&chain(SYMBOL_MAX / 3 + 1)).is_empty());
    }

    /// Skipping the digits after a turned-away number finds the same symbols.
    #[test]
    fn skipping_digit_runs_finds_the_same() {
        let inputs = [
            "năm 2020 Nghị định 12345/QĐ-UBND và 2021 - 2026 số 123456/NĐ-CP",
            "Điều 12 3/QĐ-UB 1234567 TC/CĐKT 60 TC/CĐKT, 20 USD/MT",
            "số 991/QĐ-UBND ngày 12/3/2020 của 45-CT/TW 1141-TC/QĐ 18/2003/QH11",
            "1٣/QĐ-UBND 12٣4/QĐ-UBND số1927/QĐ-UBND",
        ];
        for s in inputs {
            let got: Vec<String> = find_symbols(s).into_iter().map(|f| f.symbol.text).collect();
            // (no shared-suffix list in these inputs, which the reference leaves out)
            assert_eq!(got, find_symbols_one_char_at_a_time(s), "{s}");
        }
    }

    #[test]
    fn shared_suffix_lists_expand() {
        let found = find_symbols("Nghị định 87, 88, 31/CP");
        let texts: Vec<&str> = found.iter().map(|f| f.symbol.text.as_str()).collect();
        assert_eq!(texts, ["87/CP", "88/CP", "31/CP"]);
    }

    /// `kind_code` upper-casing every code at every call, as it did.
    fn kind_code_by_upper_casing(code: &str) -> Option<&'static str> {
        if code == "CĐKT" {
            return None;
        }
        let upper = code.to_uppercase();
        KINDS
            .iter()
            .find(|(k, _)| *k == code)
            .or_else(|| KINDS.iter().find(|(k, _)| k.to_uppercase() == upper))
            .map(|(k, _)| *k)
            .filter(|k| *k != "CĐKT")
    }

    #[test]
    fn kind_code_matches_upper_casing_each_code() {
        for (k, _) in KINDS {
            for code in [
                k.to_string(),
                k.to_uppercase(),
                k.to_lowercase(),
                format!("{k}x"),
            ] {
                assert_eq!(kind_code(&code), kind_code_by_upper_casing(&code), "{code}");
            }
        }
        for code in ["", "Ð", "qđ", "QyĐ", "qyđ", "UBND", "ǆ", "ß"] {
            assert_eq!(kind_code(code), kind_code_by_upper_casing(code), "{code}");
        }
    }
}
