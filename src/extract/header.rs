//! The document's own identity from its header: number, kind, issuer, place, date, title,
//! and from its end: signer and recipients.

use std::ops::Range;

use super::dates::{DateItem, Grain};
use super::pattern::regexes;
use super::scan::{collapse, fold, line_bounds, line_start};
use super::symbol::{self, Symbol, kind_name};
use super::{Document, Signer};
use crate::{Diagnostic, Severity, Standard};

/// How far into the text the header may reach.
const HEADER_MAX: usize = 4000;

regexes! {
    static LABEL = r"(?i)(?:s[ốôo]|sè)[ \t]*:?[ \t]*";
    static BODY_START = r"(?i)căn\s+cứ|kính\s+gửi|(?m:^[ \t]*điều\s+1[.:\s])";
    static PASSED = r"(?i)thông\s+qua\s+(?:ngày)?";
    static RECIPIENTS = r"(?i)nơi\s+nhận\s*:?";
    static AUTHORITY = r"(?m)(?:^|[ \t]{2,}|\t)[ \t]*(TM\.|T/M|T\.M\.|KT\.|K/T|TL\.|TUQ\.|Q\.)[ \t]*(\S.*)$";
    static PLACE_LINE = r"(?m)^([^\n,]{2,120}),[ \t]*(?i:ng[aà]y)";
    static POSITION = r"(?:PHÓ )?(?:THỦ TƯỚNG|CHỦ TỊCH|GIÁM ĐỐC|BỘ TRƯỞNG|THỨ TRƯỞNG|BÍ THƯ|TRƯỞNG BAN|TRƯỞNG ĐOÀN|CHÁNH VĂN PHÒNG|TỔNG CỤC TRƯỞNG|CỤC TRƯỞNG|THỐNG ĐỐC|TỔNG GIÁM ĐỐC|HIỆU TRƯỞNG)";
    static COLUMNS = r"[ \t]{3,}|\t|\|";
}

/// Title-line kind words (folded) → code.
const TITLE_KINDS: &[(&str, &str)] = &[
    ("thong tu lien tich", "TTLT"),
    ("chuong trinh hanh dong", "CTr"),
    ("quyet dinh", "QĐ"),
    ("nghi dinh", "NĐ"),
    ("thong tu", "TT"),
    ("chi thi", "CT"),
    ("nghi quyet", "NQ"),
    ("ke hoach", "KH"),
    ("thong bao", "TB"),
    ("to trinh", "TTr"),
    ("bao cao", "BC"),
    ("huong dan", "HD"),
    ("ket luan", "KL"),
    ("chuong trinh", "CTr"),
    ("quy dinh", "QyĐ"),
    ("quy che", "QC"),
    ("cong dien", "CĐ"),
    ("bien ban", "BB"),
    ("luat", "Luật"),
    ("bo luat", "Luật"),
    ("phap lenh", "PL"),
    ("cong van", "CV"),
];

/// Whether `collapse(fold(text))` may open with one of [`TITLE_KINDS`]: false only where it
/// does not. Most lines and headings tested for a kind are no title, and this looks at the
/// head of the text only.
fn may_open_with_title_kind(text: &str) -> bool {
    // The first char of `collapse(fold(text))` is the fold of the first non-whitespace char
    // of `text` (whitespace folds to whitespace): for an ASCII char, its lower case.
    if let Some(c) = text.chars().find(|c| !c.is_whitespace())
        && c.is_ascii()
        && !TITLE_KINDS
            .iter()
            .any(|(k, _)| k.as_bytes()[0] == c.to_ascii_lowercase() as u8)
    {
        return false;
    }
    // Folding goes char by char and collapsing word by word, so those of a prefix of `text`
    // are a prefix of those of `text`: once at least as long as the longest kind, they say
    // whether the whole text can open with one.
    let longest = TITLE_KINDS.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    if let Some((cut, _)) = text.char_indices().nth(longest + 2) {
        let head = collapse(&fold(&text[..cut]));
        if head.len() >= longest && !TITLE_KINDS.iter().any(|(k, _)| head.starts_with(k)) {
            return false;
        }
    }
    true
}

fn title_kind(line: &str) -> Option<&'static str> {
    // The kind found below is a prefix of `collapse(fold(line))`.
    if !may_open_with_title_kind(line) {
        return None;
    }
    let f = collapse(&fold(line));
    let f = f.trim_end_matches([':', '.']).trim();
    // `Nghị định của Chính phủ`, `QUYẾT ĐỊNH của ỦY BAN NHÂN DÂN …` are title lines too.
    let head = f.split(" cua ").next().unwrap_or(f).trim();
    TITLE_KINDS
        .iter()
        .find(|(k, _)| *k == head)
        .map(|(_, c)| *c)
}

/// Splits a layout line into its columns (runs of 3+ spaces, tabs and `|` separate them).
fn columns(line: &str) -> Vec<&str> {
    COLUMNS
        .split(line)
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

fn is_decoration(s: &str) -> bool {
    s.chars().all(|c| !c.is_alphanumeric())
}

fn is_motto(s: &str) -> bool {
    let f = fold(s);
    f.contains("cong hoa")
        || f.contains("doc lap")
        || f.contains("dang cong san")
        || f.contains("hanh phuc")
}

/// Up to two lines above the line starting at `ls`, joined with spaces.
fn lines_above(s: &str, ls: usize) -> String {
    let before = &s[..ls];
    let lines: Vec<&str> = before.lines().rev().take(2).collect();
    lines.into_iter().rev().collect::<Vec<_>>().join(" ")
}

/// A gazette-style heading (`Thông tư liên tịch của Bộ Tài chính - … số`), possibly over
/// several lines: a kind word, then `của`.
fn gazette_heading(text: &str) -> bool {
    // The kind compared below is a prefix of `collapse(fold(text))`.
    if !may_open_with_title_kind(text) {
        return false;
    }
    let f = collapse(&fold(text));
    let Some((head, _)) = f.split_once(" cua ") else {
        return false;
    };
    let head = head.trim().trim_end_matches(" lien tich").trim();
    TITLE_KINDS.iter().any(|(k, _)| *k == head)
}

/// The body named after `của` in a gazette-style heading, up to `số`, without the office
/// holder (`Bộ trưởng Bộ Tài chính` → `Bộ Tài chính`).
fn gazette_issuer(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let i = words.iter().rposition(|w| fold(w) == "cua")?;
    let mut body: Vec<&str> = words[i + 1..]
        .iter()
        .take_while(|w| !fold(w).starts_with("so"))
        .copied()
        .collect();
    const HOLDERS: &[&str] = &[
        "bo truong",
        "thong doc",
        "chu tich",
        "giam doc",
        "truong ban",
        "tong cuc truong",
    ];
    let two = fold(&body.iter().take(3).copied().collect::<Vec<_>>().join(" "));
    for h in HOLDERS {
        let n = h.split(' ').count();
        if two.starts_with(&format!("{h} ")) && body.len() > n {
            body.drain(..n);
            break;
        }
    }
    (!body.is_empty()).then(|| collapse(&body.join(" ")))
}

/// Is the text before a `Số` label on its line compatible with a header number?
fn label_prefix_ok(prefix: &str) -> bool {
    let p = prefix.trim();
    if p.is_empty() {
        return true;
    }
    let f = collapse(&fold(p));
    let lower = format!(" {} ", collapse(&p.to_lowercase()));
    if [
        " kèm theo ",
        " mẫu ",
        " biểu ",
        " căn cứ ",
        " theo ",
        " tại ",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return false;
    }
    if !p.chars().any(|c| c.is_lowercase()) {
        return true;
    }
    let last = columns(p).last().copied().unwrap_or("");
    if !last.chars().any(|c| c.is_lowercase()) && last != p {
        return true;
    }
    // `Luật số:`, `Nghị định của Chính phủ số`, `của Bộ Tài chính Số`.
    let head = f.split(" cua ").next().unwrap_or("");
    head.is_empty() || f.starts_with("cua ") || TITLE_KINDS.iter().any(|(k, _)| *k == head.trim())
}

/// The part of a letterhead line before the motto (`Chính phủ cộng hòa xã hội …`).
fn before_motto(line: &str) -> &str {
    let mut pos = 0;
    let words: Vec<(usize, &str)> = line
        .split_inclusive(' ')
        .map(|w| {
            let p = pos;
            pos += w.len();
            (p, w)
        })
        .collect();
    for i in 0..words.len() {
        let two: String = words[i..words.len().min(i + 3)]
            .iter()
            .map(|(_, w)| *w)
            .collect();
        let f = fold(&two);
        if f.starts_with("cong hoa") || f.starts_with("doc lap") || f.starts_with("dang cong san") {
            return line[..words[i].0].trim_end();
        }
    }
    line
}

fn sentence_case(s: &str) -> String {
    let s: String = s
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric) || w.chars().count() < 3)
        .collect::<Vec<_>>()
        .join(" ");
    if s.chars().any(|c| c.is_lowercase()) {
        return s;
    }
    const KEEP: &[&str] = &[
        "UBND", "HĐND", "KCN", "BQL", "TP.", "TP", "MTTQ", "BR", "VT", "PTNT",
    ];
    const ADMIN: &[&str] = &["tỉnh", "phố", "huyện", "quận", "xã", "phường", "trấn"];
    // A body whose proper name follows at once: "Bộ Tài chính", "Sở Xây dựng" (the
    // name's first word capitalised), "Thành ủy Bắc Kạn" (a place: every word).
    const NAMED: &[&str] = &["bộ", "sở", "cục"];
    const PARTY: &[&str] = &["thành", "tỉnh", "huyện", "quận", "thị"];
    #[derive(PartialEq)]
    enum Next {
        Lower,
        Once,
        Place,
    }
    let capitalised = |w: &str| {
        let mut cs = w.chars();
        cs.next().map_or(String::new(), |c| {
            c.to_uppercase().chain(cs).collect::<String>()
        })
    };
    let mut out = Vec::new();
    let mut next = Next::Lower;
    let mut previous = String::new();
    for (i, w) in s.split(' ').enumerate() {
        if KEEP.contains(&w) {
            out.push(w.to_string());
            continue;
        }
        let lower = w.to_lowercase();
        let admin = ADMIN.contains(&lower.as_str());
        let cap = i == 0 || (next != Next::Lower && !admin);
        if next == Next::Once {
            next = Next::Lower;
        }
        if admin && i > 0 {
            next = Next::Place;
        } else if i == 0 && NAMED.contains(&lower.as_str()) {
            next = Next::Once;
        } else if i == 1
            && matches!(lower.as_str(), "ủy" | "uỷ")
            && PARTY.contains(&previous.as_str())
        {
            next = Next::Place;
        }
        out.push(if cap {
            capitalised(&lower)
        } else {
            lower.clone()
        });
        previous = lower;
    }
    out.join(" ")
}

const BODY_WORDS: &[&str] = &[
    "uy ban",
    "ubnd",
    "hoi dong",
    "so ",
    "bo ",
    "ban ",
    "bql",
    "phong",
    "truong",
    "cong ty",
    "van phong",
    "cuc ",
    "chi cuc",
    "tong cuc",
    "vien",
    "trung tam",
    "dang uy",
    "tinh uy",
    "huyen uy",
    "thanh uy",
    "chi bo",
    "quan uy",
    "doan ",
    "tieu ban",
    "to ",
    "hoi ",
];

/// How a letterhead line in lower case starts (with its marks: `bản khai` is not `ban`).
const LETTERHEAD_WORDS: &[&str] = &[
    "ủy ban",
    "uỷ ban",
    "ubnd",
    "ban ",
    "bộ ",
    "sở ",
    "hội đồng",
    "phòng ",
    "trường ",
    "công ty",
    "văn phòng",
    "cục ",
    "chi cục",
    "tổng cục",
    "viện ",
    "trung tâm",
    "đảng ủy",
    "đảng uỷ",
    "tỉnh ủy",
    "tỉnh uỷ",
    "huyện ủy",
    "huyện uỷ",
    "thành ủy",
    "thành uỷ",
    "chi bộ",
    "chính phủ",
    "ngân hàng",
    "tỉnh ",
    "thành phố ",
    "huyện ",
    "quận ",
    "xã ",
    "phường ",
    "thị xã ",
];

fn issuer_from_letterhead(lines: &[String]) -> (Option<String>, Option<String>) {
    let lines: Vec<&String> = lines.iter().take(3).collect();
    match lines.as_slice() {
        [] => (None, None),
        [one] => (Some(sentence_case(one)), None),
        [first, rest @ ..] => {
            let starts_body = |l: &str| {
                let f = fold(l) + " ";
                BODY_WORDS.iter().any(|w| f.starts_with(w))
            };
            if starts_body(rest[0]) {
                let issuer = rest
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                (Some(sentence_case(&issuer)), Some(sentence_case(first)))
            } else if rest.len() == 2 && starts_body(rest[1]) {
                (
                    Some(sentence_case(rest[1])),
                    Some(sentence_case(&format!("{first} {}", rest[0]))),
                )
            } else {
                let all = lines
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                (Some(sentence_case(&all)), None)
            }
        }
    }
}

/// The document's number as found after its label.
struct Number {
    symbol: Symbol,
    /// Where the number and symbol are.
    span: Range<usize>,
    /// The line holding the label: (start, end).
    line: (usize, usize),
}

/// The parts of the header the kind, issuer and title are read from.
struct Parts<'d> {
    number: Option<Number>,
    /// Where the issue date of the date line ends.
    date_end: Option<usize>,
    /// The title line (`QUYẾT ĐỊNH`): its start, end and kind.
    title_line: Option<(usize, usize, &'static str)>,
    /// The dates in the text.
    dates: &'d [DateItem],
}

impl Parts<'_> {
    /// Where the number ends.
    fn number_end(&self) -> Option<usize> {
        self.number.as_ref().map(|n| n.span.end)
    }

    /// The line of the number's label.
    fn number_line(&self) -> Option<(usize, usize)> {
        self.number.as_ref().map(|n| n.line)
    }
}

/// Reads the document's own identity.
pub(crate) fn document(s: &str, dates: &[DateItem], diags: &mut Vec<Diagnostic>) -> Document {
    let mut doc = Document::default();
    let zone_end = header_end(s);
    let zone = &s[..zone_end];
    let mut parts = Parts {
        number: number(s, zone),
        date_end: None,
        title_line: None,
        dates,
    };
    if let Some(n) = &parts.number {
        set_number(&mut doc, n, diags);
    }
    parts.date_end = date_line(&mut doc, s, &parts, zone_end);
    if doc.place.is_none() && doc.symbol.is_some() {
        doc.place = place_line(zone);
    }
    // An attachment (`Ban hành kèm theo Quyết định số …`) without a number of its own has
    // no issue place or date of its own either.
    if doc.symbol.is_none() && fold(zone).contains("kem theo") {
        doc.place = None;
        doc.date = None;
        doc.date_span = None;
    }
    parts.title_line = title_line(zone, parts.number_end());
    let has_header = doc.number.is_some() || (doc.symbol.is_some() && doc.place.is_some());
    if has_header {
        kind(&mut doc, parts.title_line, diags);
    }
    if doc.kind.as_deref() == Some("Luật") && doc.date.is_none() {
        passage_date(&mut doc, s, dates);
    }
    issuer(&mut doc, s, zone, &parts);
    if !has_header && doc.symbol.is_none() {
        let (title, issuer, parent) = headless(s, zone);
        doc.title = title;
        if doc.issuer.is_none() {
            doc.issuer = issuer;
            doc.parent_issuer = parent;
        }
    }
    if doc.symbol.as_ref().is_some_and(|s| s.term.is_some()) && doc.kind.as_deref() == Some("Luật")
    {
        doc.issuer = Some("Quốc hội".into());
    }
    if doc
        .symbol
        .as_ref()
        .is_some_and(|s| s.standard == Standard::Dang)
    {
        doc.standard = Some(Standard::Dang);
    }
    if has_header {
        doc.title = title(s, &doc, &parts);
    }
    // An annex signed off by its body's name on the last line (`ủy ban nhân dân tỉnh an giang`).
    if doc.issuer.is_none() && !has_header {
        doc.issuer = closing_body(s);
    }
    doc.recipients = recipients(s);
    doc.signer = signer(s);
    doc
}

/// Where the header may end: [`HEADER_MAX`] bytes in, or where the body starts before.
fn header_end(s: &str) -> usize {
    let zone_end = super::scan::floor_boundary(s, HEADER_MAX);
    BODY_START
        .find(&s[..zone_end])
        .map_or(zone_end, |m| m.start())
}

/// The number after its label (`Số:`) in the header `zone` of `s`.
fn number(s: &str, zone: &str) -> Option<Number> {
    let mut candidates = Vec::new();
    // The line of the last label, kept for the next labels on it: finding its end again
    // for each read the rest of a text without line breaks once per label.
    let mut line = (0, 0);
    for m in LABEL.find_iter(zone) {
        if super::scan::char_before(s, m.start()).is_some_and(|c| c.is_alphabetic()) {
            continue;
        }
        if !(line.0..line.1).contains(&m.start()) {
            line = line_bounds(s, m.start());
        }
        let (ls, _) = line;
        if !label_prefix_ok(&s[ls..m.start()])
            && !gazette_heading(&format!("{} {}", lines_above(s, ls), &s[ls..m.start()]))
        {
            continue;
        }
        if let Some((symbol, span)) = symbol::parse_at(s, m.end(), true) {
            let colon = m.as_str().contains(':');
            candidates.push((colon, Number { symbol, span, line }));
            if colon {
                break;
            }
        }
    }
    // `Số:` with a colon wins over a bare `Số` (a letterhead line such as
    // `THEO QUYẾT ĐỊNH / SỐ 1050/QĐ-SCT` above the real number).
    let pick = candidates
        .iter()
        .position(|c| c.0)
        .filter(|_| candidates.len() > 1)
        .unwrap_or(0);
    candidates.into_iter().nth(pick).map(|(_, n)| n)
}

/// Sets the number, symbol and standard of `doc`; a blank number (a draft) is noted.
fn set_number(doc: &mut Document, n: &Number, diags: &mut Vec<Diagnostic>) {
    if n.symbol.number.is_some() {
        doc.number = Some(n.symbol.text.clone());
        doc.number_span = Some(n.span.clone());
    } else {
        diags.push(Diagnostic::new(
            Severity::Note,
            "draft-number",
            "the document's number is blank (a draft)",
            Some(n.span.clone()),
        ));
    }
    doc.standard = Some(n.symbol.standard);
    doc.symbol = Some(n.symbol.clone());
}

/// The date line, `Place, ngày …`, or else the date right after a gazette-style number:
/// sets the place, date and date span of `doc`; where the date ends.
fn date_line(doc: &mut Document, s: &str, parts: &Parts<'_>, zone_end: usize) -> Option<usize> {
    let number_end = parts.number_end();
    let dates = parts.dates;
    for d in dates.iter().filter(|d| d.span.start < zone_end) {
        let Some(place) = place_before(s, d, number_end) else {
            continue;
        };
        doc.place = Some(place);
        if d.grain == Grain::Day && !d.value.starts_with('X') {
            doc.date = Some(d.value.clone());
            doc.date_span = Some(d.span.clone());
        }
        return Some(d.span.end);
    }
    let end = number_end?;
    let d = dates
        .iter()
        .find(|d| d.span.start >= end && d.span.start <= end + 24)?;
    if d.grain == Grain::Day
        && s[end..d.span.start]
            .chars()
            .all(|c| c.is_whitespace() || c == '/' || c == ',')
    {
        doc.date = Some(d.value.clone()).filter(|v| !v.starts_with('X'));
        doc.date_span = Some(d.span.clone());
        return Some(d.span.end);
    }
    None
}

/// The place of a date line, `Place, ngày …`, when `d` is the date of one: before it on
/// its line (after the number), or ending the line above.
fn place_before(s: &str, d: &DateItem, number_end: Option<usize>) -> Option<String> {
    let mut ls = line_start(s, d.span.start);
    if let Some(e) = number_end
        && ls <= e
        && e <= d.span.start
    {
        ls = e;
    }
    let mut prefix = s[ls..d.span.start].trim_end_matches([' ', '*', '_']);
    if prefix.trim().is_empty() && ls > 0 {
        // `Hà Nội,⏎ngày 5 tháng 3 năm 2020`: the place ends the line above.
        let pls = line_start(s, ls - 1);
        if number_end.is_none_or(|e| e <= pls) {
            prefix = s[pls..ls - 1].trim_end();
        }
    }
    let before_comma = prefix.trim_end().strip_suffix(',')?;
    let is_draft = d.grain == Grain::Year && fold(&d.text).starts_with("ngay");
    if d.grain != Grain::Day && !is_draft {
        return None;
    }
    let place = columns(before_comma)
        .last()
        .map(|p| collapse(p))
        .unwrap_or_default();
    let place = place
        .trim_start_matches(['.', '-', '*', '_'])
        .trim()
        .to_string();
    if place.is_empty() || place.chars().count() > 40 || place.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(place)
}

/// A place line with no readable date (`Hà Nội, ngày … tháng … năm …`).
fn place_line(zone: &str) -> Option<String> {
    for c in PLACE_LINE.captures_iter(zone) {
        let Some(before) = c.get(1) else { continue };
        let place = columns(before.as_str())
            .last()
            .map(|p| collapse(p))
            .unwrap_or_default();
        if !place.is_empty()
            && place.chars().count() <= 40
            && !place.chars().any(|c| c.is_ascii_digit())
            && place.chars().next().is_some_and(char::is_uppercase)
        {
            return Some(place);
        }
    }
    None
}

/// The title line (`QUYẾT ĐỊNH`): the first after the number, else the last before it.
fn title_line(zone: &str, number_end: Option<usize>) -> Option<(usize, usize, &'static str)> {
    let mut title_line = None;
    let mut pos = 0;
    for line in zone.split_inclusive('\n') {
        if let Some(k) = title_kind(line) {
            title_line = Some((pos, pos + line.len(), k));
            if number_end.is_none_or(|e| pos + line.len() > e) {
                break;
            }
        }
        pos += line.len();
    }
    title_line
}

/// The kind: from the symbol, else the title line, else a law's or a công văn's number.
/// A title line that says another kind than the symbol is noted.
fn kind(
    doc: &mut Document,
    title_line: Option<(usize, usize, &'static str)>,
    diags: &mut Vec<Diagnostic>,
) {
    let sym = doc.symbol.as_ref();
    let mut kind = sym.and_then(|s| s.kind.clone());
    if kind.is_none()
        && let Some((_, _, k)) = title_line
    {
        kind = Some(k.to_string());
    }
    if kind.is_none() && sym.is_some_and(|s| s.term.is_some()) {
        kind = Some("Luật".into());
    }
    if kind.is_none() && sym.is_some_and(|s| s.system == "admin") {
        kind = Some("CV".into());
    }
    if let (Some(k), Some((_, _, tk))) = (&kind, title_line)
        && tk != k.as_str()
        && tk != "CV"
        && sym.is_some_and(|s| s.kind.is_some())
    {
        diags.push(Diagnostic::new(
            Severity::Warning,
            "kind-mismatch",
            format!("the symbol says {k} but the title line says {tk}"),
            doc.number_span.clone(),
        ));
    }
    doc.kind_name = kind.as_deref().and_then(kind_name).map(str::to_string);
    doc.kind = kind;
}

/// A law's passage date (`… thông qua ngày …`), the last one given.
fn passage_date(doc: &mut Document, s: &str, dates: &[DateItem]) {
    for m in PASSED.find_iter(s) {
        if let Some(d) = dates
            .iter()
            .find(|d| d.span.start >= m.start() && d.span.start <= m.end() + 4)
            && d.grain == Grain::Day
        {
            doc.date = Some(d.value.clone());
            doc.date_span = Some(d.span.clone());
        }
    }
}

/// The issuer: the letterhead's left column above the number (or a gazette heading's
/// body), or a letterhead over a motto in a text with no number.
fn issuer(doc: &mut Document, s: &str, zone: &str, parts: &Parts<'_>) {
    let motto = zone.lines().take(12).any(is_motto);
    if let Some((nls, _)) = parts.number_line() {
        let lines = letterhead_above(&s[..nls]);
        let heading = format!(
            "{} {}",
            lines_above(s, nls),
            &s[nls..parts.number_end().unwrap_or(nls)]
        );
        if gazette_heading(&heading) {
            doc.issuer = gazette_issuer(&heading);
        }
        if doc.issuer.is_none() {
            let (issuer, parent) = issuer_from_letterhead(&lines);
            doc.issuer = issuer;
            doc.parent_issuer = parent;
        }
    } else if motto {
        let (issuer, parent) = issuer_from_letterhead(&letterhead_over_motto(zone));
        doc.issuer = issuer;
        doc.parent_issuer = parent;
    }
    // `UBND TỈNH LÀO CAI / SỞ NÔNG NGHIỆP …`: the department of that province.
    if let (Some(issuer), Some(parent)) = (&doc.issuer, &doc.parent_issuer) {
        let fi = fold(issuer);
        if (fi.starts_with("so ") || fi.starts_with("ban "))
            && !fi.contains(" tinh ")
            && !fi.contains(" thanh pho ")
        {
            let words: Vec<&str> = parent.split(' ').collect();
            if let Some(i) = words.iter().position(|w| {
                let f = fold(w);
                f == "tinh" || f == "thanh"
            }) && fold(&words[..i].join(" "))
                .split(' ')
                .any(|w| w == "ubnd" || w == "dan")
            {
                doc.issuer = Some(format!("{issuer} {}", words[i..].join(" ")));
            }
        }
    }
}

/// The letterhead lines in `above`, the text before the number's line: the first column
/// of each, without the motto, decorations, title lines and lines with digits.
fn letterhead_above(above: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for line in above.lines() {
        let Some(col) = columns(line).first().copied() else {
            continue;
        };
        let col = before_motto(col);
        if col.is_empty() || is_decoration(col) || is_motto(col) || title_kind(col).is_some() {
            continue;
        }
        let col = col.trim_start_matches(|c: char| !c.is_alphanumeric());
        let lower = fold(col);
        let col = if lower.starts_with("lien tich ") {
            col.splitn(3, ' ').nth(2).unwrap_or(col)
        } else {
            col
        };
        if col.chars().any(|c| c.is_ascii_digit()) || fold(col).starts_with("theo ") {
            continue;
        }
        lines.push(col.to_string());
    }
    lines
}

/// The letterhead lines at the top of a header with a motto and no number, up to a form's
/// label, a title line or a line that is neither in capitals nor names a body.
fn letterhead_over_motto(zone: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for line in zone.lines().take(6) {
        let Some(col) = columns(line).first().copied() else {
            continue;
        };
        if is_decoration(col) || is_motto(col) {
            continue;
        }
        if fold(col).starts_with("mau") || col.chars().any(|c| c.is_ascii_digit()) {
            break;
        }
        // A letterhead line is in capitals or names a body; a form's heading is not.
        if title_kind(col).is_some() {
            break;
        }
        let body = {
            let l = col.to_lowercase() + " ";
            LETTERHEAD_WORDS.iter().any(|w| l.starts_with(w))
        };
        if col.chars().any(char::is_lowercase) && !body {
            break;
        }
        lines.push(col.to_string());
    }
    lines
}

/// The title: the lines after the number / date / title line, up to a blank or rule
/// line; or the subject in the number's cell (`| Số: 3479/VPCP-NN *V/v xây dựng …* |`).
fn title(s: &str, doc: &Document, parts: &Parts<'_>) -> Option<String> {
    let number_line = parts.number_line();
    let mut start = number_line.map_or(0, |(_, le)| le);
    if let Some(e) = parts.date_end {
        let (_, le) = line_bounds(s, e);
        start = start.max(le);
        // Gazette style: the title follows the date on the same line.
        if doc.place.is_none() && s[e..le].trim().chars().count() > 3 {
            start = e;
        }
    }
    if let Some((ts, te, _)) = parts.title_line
        && ts >= number_line.map_or(0, |(ls, _)| ls)
    {
        start = start.max(te);
    }
    let title = title_from(s, start.min(s.len()));
    if let Some(e) = parts.number_end() {
        let (_, le) = line_bounds(s, e);
        let cell = columns(&s[e..le])
            .first()
            .map(|c| c.trim_matches(['*', '_', ' ']).to_string());
        if let Some(cell) = cell
            && fold(&cell).starts_with("v/v")
        {
            return Some(collapse(&cell));
        }
    }
    title
}

/// Annexes, forms, tables and news: the first heading, and an all-capital letterhead above
/// a `Mẫu số` / `Phụ lục` line.
fn headless(s: &str, zone: &str) -> (Option<String>, Option<String>, Option<String>) {
    let marker = |l: &str| {
        let f = collapse(&fold(l));
        f.starts_with("mau so") || f.starts_with("phu luc") || f.starts_with("bieu so")
    };
    let mut pos = 0;
    let mut start = 0;
    let mut letterhead = Vec::new();
    let mut caps = Vec::new();
    for (i, line) in zone.split_inclusive('\n').enumerate() {
        if i >= 8 {
            break;
        }
        let t = line.trim();
        if marker(t) {
            start = pos + line.len();
            letterhead = caps.clone();
            break;
        }
        if !t.is_empty() && !is_decoration(t) {
            if t.chars().any(|c| c.is_lowercase()) {
                caps.clear();
            } else if let Some(col) = columns(t).first() {
                caps.push(col.to_string());
            }
        }
        pos += line.len();
    }
    let (issuer, parent) = issuer_from_letterhead(&letterhead);
    // Skip attachment lines, section labels and the form's own label fields.
    let mut at = start;
    for line in s[start..].split_inclusive('\n').take(20) {
        let t = line.trim();
        let f = collapse(&fold(t));
        let skip = t.is_empty()
            || is_decoration(t)
            || is_motto(t)
            || marker(t)
            || f.starts_with("ban hanh kem theo")
            || f.starts_with("(kem theo")
            || f.starts_with("kem theo")
            || f.starts_with("ten don vi")
            || f.starts_with("so:")
            || (f.split(' ').count() <= 3 && f.chars().any(|c| c.is_ascii_digit()));
        if !skip {
            break;
        }
        at += line.len();
    }
    (title_from(s, at.min(s.len())), issuer, parent)
}

/// A body name alone on one of the last lines of the text.
fn closing_body(s: &str) -> Option<String> {
    const BODIES: &[&str] = &[
        "uy ban nhan dan",
        "ubnd",
        "hoi dong nhan dan",
        "chinh phu",
        "quoc hoi",
        "bo ",
        "so ",
        "tinh uy",
        "thanh uy",
        "huyen uy",
        "dang uy",
        "ban chap hanh",
    ];
    let tail = &s[super::scan::ceil_boundary(s, s.len().saturating_sub(1500))..];
    let lines: Vec<&str> = tail
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !is_decoration(l))
        .filter(|l| {
            let f = fold(l);
            !f.starts_with("page") && !f.contains("trang page")
        })
        .collect();
    lines.iter().rev().take(4).find_map(|l| {
        let f = fold(l);
        let short = l.chars().count() <= 80
            && !l.contains([',', '(', ';', ':', '.', '%'])
            && !l.chars().any(|c| c.is_ascii_digit())
            && l.split_whitespace().count() >= 2;
        (short && BODIES.iter().any(|b| f.starts_with(b))).then(|| sentence_case(l))
    })
}

fn title_from(s: &str, start: usize) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut started = false;
    let lines: Vec<&str> = s[start..].lines().take(20).collect();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.is_empty() {
            // Converted DOCX puts a blank line between the lines of one paragraph: go on
            // when the next line continues the sentence (starts in lower case).
            let next_continues = lines[i + 1..]
                .iter()
                .map(|l| l.trim())
                .find(|l| !l.is_empty())
                .is_some_and(|l| {
                    let lower = l.chars().filter(|c| c.is_lowercase()).count();
                    let upper = l.chars().filter(|c| c.is_uppercase()).count();
                    l.chars().next().is_some_and(char::is_lowercase) && lower > upper
                });
            if started && !next_continues {
                break;
            }
            continue;
        }
        if is_decoration(t) {
            if started {
                break;
            }
            continue;
        }
        let f = fold(t);
        if f.starts_with("can cu")
            || f.starts_with("kinh gui")
            || f.starts_with("chuong i")
            || f.starts_with("dieu 1")
            || (started && t.starts_with('('))
            || (started && t.chars().count() > 200)
        {
            break;
        }
        // An all-capital authority line after the subject ends it.
        if started
            && !t.chars().any(|c| c.is_lowercase())
            && t.chars().filter(|c| c.is_alphabetic()).count() > 6
        {
            break;
        }
        let col = columns(line);
        let text = if col.len() > 1 && !started { col[0] } else { t };
        started = true;
        parts.push(text.to_string());
    }
    let title = collapse(&parts.join(" "));
    let title = title.trim_end_matches(['.', ';', ' ']).to_string();
    let mut title = title;
    let f = fold(&title);
    if f.starts_with("ve ") || f.starts_with("v/v") {
        let mut cs = title.chars();
        title = cs
            .next()
            .map_or(String::new(), |c| c.to_uppercase().chain(cs).collect());
    }
    (!title.is_empty()).then_some(title)
}

fn recipients(s: &str) -> Vec<String> {
    let Some(m) = RECIPIENTS.find_iter(s).last() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // A table cell holding the whole list on one line: `- A; - B; - Lưu: VT.`
    let first = s[m.end()..].lines().next().unwrap_or("");
    let first_cell = first.split('|').next().unwrap_or("");
    if first_cell.matches("; -").count() >= 2 {
        return first_cell
            .split("; -")
            .map(|x| {
                x.trim()
                    .trim_start_matches(['-', ' ', '*', ':'])
                    .trim_end_matches(['.', ';', ' '])
                    .to_string()
            })
            .filter(|x| !x.is_empty())
            .collect();
    }
    for (i, line) in s[m.end()..].lines().enumerate() {
        let col = if i == 0 {
            line.trim()
        } else {
            columns(line).first().copied().unwrap_or("")
        };
        let col = col.trim();
        if col.is_empty() {
            if i == 0 {
                continue;
            }
            if !out.is_empty() {
                break;
            }
            continue;
        }
        if i == 0 && !col.starts_with(['-', '–', '+', '•']) {
            // `Nơi nhận:` followed by the signer's column on the same line.
            continue;
        }
        if !col.starts_with(['-', '–', '+', '•', '_']) {
            break;
        }
        let item = col
            .trim_start_matches(['-', '–', '+', '•', '_', ' '])
            .trim_end_matches([';', '.', ',', ' '])
            .to_string();
        if !item.is_empty() {
            out.push(item);
        }
        if out.len() > 40 {
            break;
        }
    }
    out
}

/// A signature without `TM.`/`KT.`: the last capitalised position (`THỦ TƯỚNG`,
/// `GIÁM ĐỐC`) near the end, and the name after it.
fn signer_by_position(s: &str, tail_start: usize) -> Option<Signer> {
    let tail = &s[tail_start..];
    let m = POSITION.find_iter(tail).last()?;
    let start = tail_start + m.start();
    let after = super::scan::window_after(s, tail_start + m.end(), 300);
    let mut name = None;
    let mut end = tail_start + m.end();
    for piece in COLUMNS.split(after).flat_map(|p| p.split('\n')) {
        let t = piece.trim();
        if t.is_empty() || is_decoration(t) || fold(t).contains("da ky") {
            continue;
        }
        let words = t.split_whitespace().count();
        if (2..=5).contains(&words)
            && t.chars().any(char::is_lowercase)
            && t.split_whitespace()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        {
            name = Some(t.to_string());
            if let Some(i) = after.find(t) {
                end = tail_start + m.end() + i + t.len();
            }
        }
        break;
    }
    Some(Signer {
        authority: None,
        on_behalf_of: None,
        position: Some(collapse(m.as_str())),
        name,
        span: start..end,
    })
}

fn right_column(line: &str) -> &str {
    let cols = columns(line);
    cols.last().copied().unwrap_or("")
}

fn signer(s: &str) -> Option<Signer> {
    let tail_start = super::scan::ceil_boundary(s, s.len().saturating_sub(6000));
    let tail = &s[tail_start..];
    let Some(c) = AUTHORITY.captures_iter(tail).last() else {
        return signer_by_position(s, tail_start);
    };
    let auth = c.get(1)?;
    let rest = c.get(2)?;
    let mut on_behalf = columns(rest.as_str()).first().map(|x| x.to_string());
    let start = tail_start + auth.start();
    let (_, le) = line_bounds(s, start);
    let mut position = None;
    let mut name = None;
    let mut end = le;
    let mut lines_seen = 0;
    for line in s[le..].lines() {
        lines_seen += 1;
        if lines_seen > 14 {
            break;
        }
        let r = right_column(line);
        let line_end = end + line.len() + 1;
        if r.is_empty() || is_decoration(r) {
            end = line_end.min(s.len());
            continue;
        }
        let f = fold(r);
        if f.contains("da ky") || f.starts_with('(') || f.starts_with("ky ") {
            end = line_end.min(s.len());
            continue;
        }
        let upper = !r.chars().any(|c| c.is_lowercase());
        if upper && name.is_none() {
            if r.starts_with("KT.") || r.starts_with("TM.") || r.starts_with("TL.") {
                on_behalf = Some(r.to_string());
            } else {
                position = Some(r.to_string());
            }
        } else if !upper && position.is_some() {
            let words = r.split_whitespace().count();
            if (2..=5).contains(&words)
                && r.split_whitespace()
                    .all(|w| w.chars().next().is_some_and(char::is_uppercase))
            {
                name = Some(r.to_string());
                end = line_end.min(s.len());
                break;
            }
        }
        end = line_end.min(s.len());
    }
    let end = super::scan::floor_boundary(s, end);
    Some(Signer {
        authority: Some(auth.as_str().to_string()),
        on_behalf_of: on_behalf,
        position,
        name,
        span: start..end.max(start),
    })
}

#[cfg(test)]
mod tests {
    use super::sentence_case;

    #[test]
    fn sentence_case_keeps_proper_names_capitalised() {
        for (input, want) in [
            ("THÀNH ỦY BẮC KẠN", "Thành ủy Bắc Kạn"),
            ("BỘ XÂY DỰNG", "Bộ Xây dựng"),
            (
                "ỦY BAN NHÂN DÂN TỈNH LÀO CAI",
                "Ủy ban nhân dân tỉnh Lào Cai",
            ),
            ("UBND HUYỆN CẦN GIỜ", "UBND huyện Cần Giờ"),
            ("Sở Tài chính", "Sở Tài chính"),
        ] {
            assert_eq!(sentence_case(input), want, "{input}");
        }
    }

    /// `title_kind` without the test of a long line's head.
    fn title_kind_whole(line: &str) -> Option<&'static str> {
        let f = super::collapse(&super::fold(line));
        let f = f.trim_end_matches([':', '.']).trim();
        let head = f.split(" cua ").next().unwrap_or(f).trim();
        super::TITLE_KINDS
            .iter()
            .find(|(k, _)| *k == head)
            .map(|(_, c)| *c)
    }

    /// `gazette_heading` without the test of the text's head.
    fn gazette_heading_whole(text: &str) -> bool {
        let f = super::collapse(&super::fold(text));
        let Some((head, _)) = f.split_once(" cua ") else {
            return false;
        };
        let head = head.trim().trim_end_matches(" lien tich").trim();
        super::TITLE_KINDS.iter().any(|(k, _)| *k == head)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]
        #[test]
        fn title_kind_is_the_whole_line_test(words in proptest::collection::vec(
            proptest::sample::select(vec![
                "Quyết định", "QUYẾT ĐỊNH", "Chương trình hành động", "THÔNG TƯ LIÊN TỊCH",
                "Luật", "của", "CỦA", "Ủy ban nhân dân tỉnh", "về việc", ":", ".", " ", "   ",
                "\t", "\u{301}", "x", "Kế hoạch", "số", "ǆ", "\u{a0}", "          ", "\u{2000}",
                "(", "Số", "V/v", "thông tư", "QUY CHẾ", "luật", "liên tịch", "Bộ Tài chính",
                "\u{301}\u{300}\u{301}\u{300}\u{301}\u{300}\u{301}\u{300}",
            ]), 0..24)
        ) {
            let line = words.join(" ");
            proptest::prop_assert_eq!(super::title_kind(&line), title_kind_whole(&line), "{:?}", line);
            proptest::prop_assert_eq!(
                super::gazette_heading(&line),
                gazette_heading_whole(&line),
                "{:?}",
                line
            );
        }
    }
}
