//! The document's own identity from its header: number, kind, issuer, place, date, title,
//! and from its end: signer and recipients.

use std::sync::LazyLock;

use regex::Regex;

use super::dates::{DateItem, Grain};
use super::symbol::{self, Found, Standard, kind_name};
use super::util::{collapse, fold, line_bounds};
use super::{Document, Signer};
use crate::{Diagnostic, Severity};

/// How far into the text the header may reach.
const HEADER_MAX: usize = 4000;

static LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:s[ốôo]|sè)[ \t]*:?[ \t]*").expect("literal regex"));
static BODY_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)căn\s+cứ|kính\s+gửi|(?m:^[ \t]*điều\s+1[.:\s])").expect("literal regex")
});
static PASSED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)thông\s+qua\s+(?:ngày)?").expect("literal regex"));
static RECIPIENTS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)nơi\s+nhận\s*:?").expect("literal regex"));
static AUTHORITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)(?:^|[ \t]{2,}|\t)[ \t]*(TM\.|T/M|T\.M\.|KT\.|K/T|TL\.|TUQ\.|Q\.)[ \t]*(\S.*)$",
    )
    .expect("literal regex")
});
static COLUMNS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[ \t]{3,}|\t|\|").expect("literal regex"));

/// Forces every regex of this module.
#[cfg(test)]
pub(crate) fn force_regexes() {
    for r in [
        &*LABEL,
        &*BODY_START,
        &*PASSED,
        &*RECIPIENTS,
        &*AUTHORITY,
        &*COLUMNS,
    ] {
        let _ = r.is_match("");
    }
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

fn title_kind(line: &str) -> Option<&'static str> {
    let f = collapse(&fold(line));
    let f = f.trim_end_matches([':', '.']).trim();
    TITLE_KINDS.iter().find(|(k, _)| *k == f).map(|(_, c)| *c)
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

/// Is the text before a `Số` label on its line compatible with a header number?
fn label_prefix_ok(prefix: &str) -> bool {
    let p = prefix.trim();
    if p.is_empty() {
        return true;
    }
    let f = collapse(&fold(p));
    if ["kem theo", "mau", "bieu", "can cu", "theo ", "tai "]
        .iter()
        .any(|w| f.contains(w))
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

fn sentence_case(s: &str) -> String {
    let s = collapse(s);
    if s.chars().any(|c| c.is_lowercase()) {
        return s;
    }
    const KEEP: &[&str] = &[
        "UBND", "HĐND", "KCN", "BQL", "TP.", "TP", "MTTQ", "BR", "VT", "PTNT",
    ];
    const ADMIN: &[&str] = &["tỉnh", "phố", "huyện", "quận", "xã", "phường", "trấn"];
    let mut out = Vec::new();
    let mut capital = false;
    for (i, w) in s.split(' ').enumerate() {
        if KEEP.contains(&w) {
            out.push(w.to_string());
            continue;
        }
        let lower = w.to_lowercase();
        let cap = i == 0 || capital;
        if ADMIN.contains(&lower.as_str()) && i > 0 {
            capital = true;
        }
        if cap && !ADMIN.contains(&lower.as_str()) {
            let mut cs = lower.chars();
            out.push(
                cs.next()
                    .map_or(String::new(), |c| c.to_uppercase().chain(cs).collect()),
            );
        } else if i == 0 {
            let mut cs = lower.chars();
            out.push(
                cs.next()
                    .map_or(String::new(), |c| c.to_uppercase().chain(cs).collect()),
            );
        } else {
            out.push(lower);
        }
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

/// Reads the document's own identity.
pub(crate) fn document(
    s: &str,
    symbols: &[Found],
    dates: &[DateItem],
    diags: &mut Vec<Diagnostic>,
) -> Document {
    let _ = symbols;
    let mut doc = Document::default();
    let mut zone_end = super::util::floor_boundary(s, HEADER_MAX);
    if let Some(m) = BODY_START.find(&s[..zone_end]) {
        zone_end = m.start();
    }
    let zone = &s[..zone_end];

    // The number.
    let mut number_line: Option<(usize, usize)> = None;
    let mut number_end = None;
    for m in LABEL.find_iter(zone) {
        if super::util::char_before(s, m.start()).is_some_and(|c| c.is_alphabetic()) {
            continue;
        }
        let (ls, le) = line_bounds(s, m.start());
        if !label_prefix_ok(&s[ls..m.start()]) {
            continue;
        }
        if let Some((sym, span)) = symbol::parse_at(s, m.end(), true) {
            if sym.number.is_some() {
                doc.number = Some(sym.text.clone());
                doc.number_span = Some(span.clone());
            } else {
                diags.push(Diagnostic::new(
                    Severity::Note,
                    "draft-number",
                    "the document's number is blank (a draft)",
                    Some(span.clone()),
                ));
            }
            number_end = Some(span.end);
            number_line = Some((ls, le));
            doc.standard = Some(sym.standard);
            doc.symbol = Some(sym);
            break;
        }
    }

    // The date line: `Place, ngày …`, or the date right after a gazette-style number.
    let mut date_end = None;
    let in_zone = |d: &&DateItem| d.span.start < zone_end;
    for d in dates.iter().filter(in_zone) {
        let (ls, _) = line_bounds(s, d.span.start);
        let prefix = &s[ls..d.span.start];
        let Some(before_comma) = prefix.trim_end().strip_suffix(',') else {
            continue;
        };
        let is_draft = d.grain == Grain::Year && fold(&d.text).starts_with("ngay");
        if d.grain != Grain::Day && !is_draft {
            continue;
        }
        let place = columns(before_comma)
            .last()
            .map(|p| collapse(p))
            .unwrap_or_default();
        let place = place.trim_start_matches(['.', '-', '*']).trim().to_string();
        if place.is_empty()
            || place.chars().count() > 40
            || place.chars().any(|c| c.is_ascii_digit())
        {
            continue;
        }
        doc.place = Some(place);
        if d.grain == Grain::Day && !d.value.starts_with('X') {
            doc.date = Some(d.value.clone());
            doc.date_span = Some(d.span.clone());
        }
        date_end = Some(d.span.end);
        break;
    }
    if doc.place.is_none()
        && let Some(end) = number_end
        && let Some(d) = dates
            .iter()
            .find(|d| d.span.start >= end && d.span.start <= end + 24)
        && d.grain == Grain::Day
        && s[end..d.span.start]
            .chars()
            .all(|c| c.is_whitespace() || c == '/' || c == ',')
    {
        doc.date = Some(d.value.clone()).filter(|v| !v.starts_with('X'));
        doc.date_span = Some(d.span.clone());
        date_end = Some(d.span.end);
    }

    // Kind: from the symbol, else the title line.
    let mut title_line: Option<(usize, usize, &'static str)> = None;
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
    let has_header = doc.number.is_some() || (doc.symbol.is_some() && doc.place.is_some());
    if has_header {
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

    // A law's passage date.
    if doc.kind.as_deref() == Some("Luật") && doc.date.is_none() {
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

    // Issuer: the letterhead's left column above the number.
    let motto = zone.lines().take(12).any(is_motto);
    if let Some((nls, _)) = number_line {
        let mut lines = Vec::new();
        for line in s[..nls].lines() {
            let Some(col) = columns(line).first().copied() else {
                continue;
            };
            if is_decoration(col) || is_motto(col) || title_kind(col).is_some() {
                continue;
            }
            let col = col.trim_start_matches(|c: char| !c.is_alphanumeric());
            let lower = fold(col);
            let col = if lower.starts_with("lien tich ") {
                col.split_once(' ').map_or(col, |(_, r)| r)
            } else {
                col
            };
            lines.push(col.to_string());
        }
        let prefix = &s[nls..number_end.unwrap_or(nls)];
        let prefix_fold = fold(prefix);
        if let Some(i) = prefix_fold.find("cua ") {
            // `Nghị định của Chính phủ số …`: char positions match byte positions only in
            // the folded string, so cut on words instead.
            let words_before = prefix_fold[..i].split_whitespace().count();
            let words: Vec<&str> = prefix.split_whitespace().collect();
            let body: Vec<&str> = words
                .iter()
                .skip(words_before + 1)
                .take_while(|w| fold(w) != "so" && fold(w) != "so:")
                .copied()
                .collect();
            if !body.is_empty() {
                doc.issuer = Some(body.join(" "));
            }
        }
        if doc.issuer.is_none() {
            let (issuer, parent) = issuer_from_letterhead(&lines);
            doc.issuer = issuer;
            doc.parent_issuer = parent;
        }
    } else if motto {
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
            lines.push(col.to_string());
        }
        let (issuer, parent) = issuer_from_letterhead(&lines);
        doc.issuer = issuer;
        doc.parent_issuer = parent;
    }
    if doc.symbol.as_ref().is_some_and(|s| s.term.is_some()) && doc.kind.as_deref() == Some("Luật")
    {
        doc.issuer = Some("Quốc hội".into());
    }
    if doc
        .symbol
        .as_ref()
        .is_some_and(|s| s.standard == Standard::Party)
    {
        doc.standard = Some(Standard::Party);
    }

    // Title: the lines after the number / date / title line, up to a blank or rule line.
    if has_header {
        let mut start = number_line.map_or(0, |(_, le)| le);
        if let Some(e) = date_end {
            let (_, le) = line_bounds(s, e);
            start = start.max(le);
            // Gazette style: the title follows the date on the same line.
            if doc.place.is_none() && s[e..le].trim().chars().count() > 3 {
                start = e;
            }
        }
        if let Some((ts, te, _)) = title_line
            && ts >= number_line.map_or(0, |(ls, _)| ls)
        {
            start = start.max(te);
        }
        doc.title = title_from(s, start.min(s.len()));
    }

    // Signer and recipients.
    doc.recipients = recipients(s);
    doc.signer = signer(s);
    doc
}

fn title_from(s: &str, start: usize) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut started = false;
    for line in s[start..].lines().take(14) {
        let t = line.trim();
        if t.is_empty() {
            if started {
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
    // Drop a leading type word ("Thông tư hướng dẫn …").
    let f = fold(&title);
    let mut title = title;
    for (k, _) in TITLE_KINDS {
        if f.starts_with(&format!("{k} ")) && f.len() > k.len() + 10 {
            let n = k.split(' ').count();
            title = title.splitn(n + 1, ' ').nth(n).unwrap_or("").to_string();
            break;
        }
    }
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

fn right_column(line: &str) -> &str {
    let cols = columns(line);
    cols.last().copied().unwrap_or("")
}

fn signer(s: &str) -> Option<Signer> {
    let tail_start = super::util::ceil_boundary(s, s.len().saturating_sub(6000));
    let tail = &s[tail_start..];
    let c = AUTHORITY.captures_iter(tail).last()?;
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
    let end = super::util::floor_boundary(s, end);
    Some(Signer {
        authority: Some(auth.as_str().to_string()),
        on_behalf_of: on_behalf,
        position,
        name,
        span: start..end.max(start),
    })
}
