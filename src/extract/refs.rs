//! Citations of other documents: every number with a symbol except the document's own, with
//! the kind word before it, the date after it and the issuer phrase (`của …`).

use super::dates::{DateItem, Grain};
use super::pattern::regexes;
use super::scan::{collapse, window_after, window_before};
use super::symbol::{Found, kind_name};
use super::{Document, Reference};

/// Kind words before a number: (pattern, code). Order matters (longest first).
const KIND_WORDS: &[(&str, &str)] = &[
    ("thông tư liên tịch", "TTLT"),
    ("nghị quyết liên tịch", "NQLT"),
    ("chương trình hành động", "CTr"),
    ("chương trình hành độ", "CTr"),
    ("nghị định", "NĐ"),
    ("quyết định", "QĐ"),
    ("thông tư", "TT"),
    ("chỉ thị", "CT"),
    ("nghị quyết", "NQ"),
    ("kế hoạch", "KH"),
    ("thông báo", "TB"),
    ("công văn", "CV"),
    ("văn bản", "CV"),
    ("tờ trình", "TTr"),
    ("báo cáo", "BC"),
    ("hướng dẫn", "HD"),
    ("kết luận", "KL"),
    ("chương trình", "CTr"),
    ("quy định", "QyĐ"),
    ("quy chế", "QC"),
    ("bộ luật", "Luật"),
    ("luật", "Luật"),
    ("pháp lệnh", "PL"),
    ("công điện", "CĐ"),
    ("biên bản", "BB"),
];

regexes! {
    static KIND_BEFORE = {
        let words: Vec<String> = KIND_WORDS
            .iter()
            .map(|(w, _)| w.replace(' ', r"\s+"))
            .collect();
        format!(
            r"(?i)({})(?:\s+[^\s,;.]+){{0,8}}?[ \t]*(?:\(?\s*)?(?:số)?[ \t]*:?[ \t]*$",
            words.join("|")
        )
    };
    static DATE_GAP = r"(?i)^[\s,(]*(?:(?:đã\s+|được\s+)?(?:ban\s+hành|ký)\s*)?(?:vào\s+)?$";
    static ISSUER_AFTER = r"(?i)^[\s,)]*của\s+((?:liên\s+)?[^,;.()\n:]{2,120}?)(?:\s+(?:về\s|v/v|quy\s+định|hướng\s+dẫn|ban\s+hành|sửa\s+đổi|thì|đã|để|là|nay|phê\s+duyệt|tại|trên|cho|đối\s+với)|[,;.()\n:]|$)";
}

/// The normalised comparison key of a number: upper case, no whitespace or dashes.
pub(crate) fn number_key(n: &str) -> String {
    n.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '–' | '—' | '‑' | '‐'))
        .map(|c| if c == 'Ð' { 'Đ' } else { c })
        .flat_map(char::to_uppercase)
        .collect()
}

fn kind_before(s: &str, at: usize) -> Option<&'static str> {
    let (_, w) = window_before(s, at, 120);
    let c = KIND_BEFORE.captures(w)?;
    let word = collapse(&c.get(1)?.as_str().to_lowercase());
    KIND_WORDS
        .iter()
        .find(|(k, _)| *k == word)
        .map(|(_, code)| *code)
}

/// The citations in `s`, and the date printed with a repetition of the document's own
/// number (`Ban hành kèm theo Quyết định số 1696/QĐ-UBND ngày 15/5/2026`), if any.
pub(crate) fn references(
    s: &str,
    symbols: &[Found],
    dates: &[DateItem],
    doc: &Document,
) -> (Vec<Reference>, Option<String>) {
    let mut own_date = None;
    let own = doc.number.as_deref().map(number_key);
    let own_span = doc.number_span.clone();
    let mut out = Vec::new();
    // Dates and symbols come in text order: look them up by binary search.
    let mut dates: Vec<&DateItem> = dates.iter().collect();
    dates.sort_by_key(|d| d.span.start);
    let first_date_from = |pos: usize| dates.partition_point(|d| d.span.start < pos);
    let symbol_starts: Vec<usize> = symbols.iter().map(|f| f.span.start).collect();
    for f in symbols {
        if own_span
            .as_ref()
            .is_some_and(|sp| sp.start <= f.span.start && f.span.start < sp.end)
        {
            continue;
        }
        let mut f = f.clone();
        if f.symbol.issuers.is_empty()
            && let Some(full) = symbols.iter().find(|o| {
                o.symbol.text.len() > f.symbol.text.len()
                    && o.symbol.text.starts_with(&f.symbol.text)
                    && !o.symbol.issuers.is_empty()
            })
        {
            // `Nghị định số 105/2025/NĐ-` at a line end: the same number printed in full elsewhere.
            f.symbol = full.symbol.clone();
        }
        let f = &f;
        // `Quyết định số : 2006/QĐ-UBND ngày tháng năm 2006`: a blank number with the year
        // pencilled in, not document 2006.
        if f.symbol.year.is_none()
            && f.symbol.number.is_some_and(|n| (1990..=2035).contains(&n))
            && dates.get(first_date_from(f.span.end)).is_some_and(|d| {
                d.grain == Grain::Year
                    && d.span.start <= f.span.end + 8
                    && d.text.to_lowercase().starts_with("ngày")
            })
        {
            continue;
        }
        let key = number_key(&f.symbol.text);
        // The date that follows the number.
        let date_item = dates
            .get(first_date_from(f.span.end))
            .copied()
            .filter(|d| d.span.start <= f.span.end + 60)
            .filter(|d| d.grain == Grain::Day && !d.value.starts_with('X'))
            .filter(|d| {
                s.get(f.span.end..d.span.start)
                    .is_some_and(|g| DATE_GAP.is_match(g))
            });
        // `Ngày 18/8/2026, Sở … đã có Văn bản số 7914/SNNMT-KS`: a sentence opening with the
        // date, and no other number between.
        let date_item = date_item.or_else(|| {
            let before = first_date_from(f.span.start);
            let d = *dates[before.saturating_sub(4)..before]
                .iter()
                .rev()
                .find(|d| d.span.end <= f.span.start && d.span.end + 200 >= f.span.start)?;
            let between = s.get(d.span.end..f.span.start)?;
            let opens = s.get(..d.span.start).is_some_and(|b| {
                let b = b.trim_end_matches([' ', '\t']);
                b.is_empty() || b.ends_with(['\n', '.', ';', ':'])
            });
            let ok = d.grain == Grain::Day
                && !d.value.starts_with('X')
                && d.relation.is_none()
                && opens
                && d.text.starts_with("Ngày")
                && between.trim_start().starts_with(',')
                && !between.contains(['.', ';'])
                && symbol_starts.partition_point(|&st| st < d.span.end)
                    >= symbol_starts.partition_point(|&st| st < f.span.start);
            ok.then_some(d)
        });
        if own.as_ref().is_some_and(|o| *o == key) {
            // The document's own number repeated (an attached regulation): its date is the
            // issue date.
            if own_date.is_none() {
                own_date = date_item.map(|d| d.value.clone());
            }
            continue;
        }
        let after = date_item
            .filter(|d| d.span.start >= f.span.end)
            .map_or(f.span.end, |d| d.span.end);
        let issuer_text = ISSUER_AFTER
            .captures(window_after(s, after, 160))
            .and_then(|c| c.get(1))
            .map(|m| collapse(m.as_str()));
        let kind = f
            .symbol
            .kind
            .clone()
            .or_else(|| kind_before(s, f.span.start).map(str::to_string));
        out.push(Reference {
            number: f.symbol.text.clone(),
            kind_name: kind.as_deref().and_then(kind_name).map(str::to_string),
            kind,
            issuer_code: f.symbol.issuers.first().cloned(),
            year: f.symbol.year.or_else(|| {
                date_item
                    .and_then(|d| d.value.get(..4))
                    .and_then(|y| y.parse().ok())
            }),
            date: date_item.map(|d| d.value.clone()),
            issuer_text,
            symbol: f.symbol.clone(),
            span: f.span.clone(),
        });
    }
    (out, own_date)
}
