//! Terms and periods: `khóa XV`, `QH14`, `nhiệm kỳ 2021-2026`, `giai đoạn 2021 - 2025`,
//! `Đại hội … lần thứ XII`.

use std::ops::Range;

use regex::Regex;

use super::Term;
use super::pattern::regexes;
use super::scan::{char_at, char_before, fold, line_bounds};
use super::symbol::Found;

regexes! {
    static KHOA = r"(?i:kh(?:óa|oá|oa))[ \t]+([IVXL]{1,7}|\d{1,2})";
    static YEARS = r"(?i)(nhi[ệe]m[ \t]+k[ỳy]|giai[ \t]+(?:đ|d)o[ạa]n|th[ờo]i[ \t]+k[ỳy])[ \t]*:?[ \t]*(\d{4})[ \t]*[-–—][ \t]*(\d{4})";
    static CONGRESS = r"(?i:đại[ \t]+hội|ĐHĐB)[^\n.;]{0,80}?(?i:lần[ \t]+thứ)[ \t]+([IVXL]{1,7}|\d{1,2})";
    /// The words every [`CONGRESS`] match holds: only the lines with a match of this are
    /// searched for it.
    static CONGRESS_WORDS = r"(?i:lần[ \t]+thứ)";
}

/// The value of a Roman numeral (or an Arabic number).
pub(crate) fn roman(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let val = |c| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        _ => None,
    };
    let vals: Option<Vec<u32>> = s.chars().map(val).collect();
    let vals = vals?;
    let mut total = 0;
    for (i, v) in vals.iter().enumerate() {
        if vals.get(i + 1).is_some_and(|n| n > v) {
            total -= *v as i64;
        } else {
            total += *v as i64;
        }
    }
    u32::try_from(total).ok().filter(|n| *n > 0)
}

/// The lines of `s` (byte ranges, without the `\n`) holding the bytes at `hits`, which are
/// ascending; each line once, in order.
fn lines_at(s: &str, hits: impl IntoIterator<Item = usize>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for i in hits {
        if out.last().is_some_and(|l| l.contains(&i) || l.end == i) {
            continue;
        }
        let (start, end) = line_bounds(s, i);
        out.push(start..end);
    }
    out
}

/// The lines that may hold a [`YEARS`] match: those with a dash (`-`, `–` or `—`) after a
/// digit and spaces or tabs. Every match holds `\d{4}[ \t]*[-–—]`, and `\d` (a decimal
/// digit) is `char::is_numeric`.
fn year_range_lines(s: &str) -> Vec<Range<usize>> {
    let b = s.as_bytes();
    let dashes = memchr::memchr2_iter(b'-', 0xE2, b).filter(|&i| {
        let dash = b[i] == b'-' || matches!(b.get(i + 1..i + 3), Some([0x80, 0x93 | 0x94]));
        dash && s[..i]
            .trim_end_matches([' ', '\t'])
            .chars()
            .next_back()
            .is_some_and(char::is_numeric)
    });
    lines_at(s, dashes)
}

/// `re.captures_iter(s)`, searched only in `lines`, each paired with the line's start.
///
/// The same captures when every match of `re` lies within one line (its pattern has no `\n`
/// in it and no anchor or look-around) and lies in one of `lines`: the search over the whole
/// text goes from line to line, finding in each the matches a search of that line finds.
fn captures_in_lines<'s>(
    re: &'s Regex,
    s: &'s str,
    lines: Vec<Range<usize>>,
) -> impl Iterator<Item = (usize, regex::Captures<'s>)> + 's {
    lines
        .into_iter()
        .flat_map(move |l| re.captures_iter(&s[l.clone()]).map(move |c| (l.start, c)))
}

/// Finds the terms and periods in `s`.
pub(crate) fn find_terms(s: &str, symbols: &[Found]) -> Vec<Term> {
    let mut out = Vec::new();
    for c in KHOA.captures_iter(s) {
        let (Some(m), Some(n)) = (c.get(0), c.get(1)) else {
            continue;
        };
        if char_before(s, m.start()).is_some_and(|c| c.is_alphanumeric())
            || char_at(s, m.end()).is_some_and(|c| c.is_alphanumeric())
        {
            continue;
        }
        out.push(Term {
            kind: "term".into(),
            number: roman(n.as_str()),
            numeral: Some(n.as_str().to_string()),
            start: None,
            end: None,
            text: m.as_str().to_string(),
            span: m.range(),
        });
    }
    // A CONGRESS match is one line (no `\n` in its pattern) and holds the words.
    let congress_lines = lines_at(s, CONGRESS_WORDS.find_iter(s).map(|m| m.start()));
    for (at, c) in captures_in_lines(&CONGRESS, s, congress_lines) {
        let (Some(m), Some(n)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let span = at + m.start()..at + m.end();
        if char_at(s, span.end).is_some_and(|c| c.is_alphanumeric()) {
            continue;
        }
        out.push(Term {
            kind: "congress".into(),
            number: roman(n.as_str()),
            numeral: Some(n.as_str().to_string()),
            start: None,
            end: None,
            text: m.as_str().to_string(),
            span,
        });
    }
    // A YEARS match is one line (no `\n` in its pattern).
    for (at, c) in captures_in_lines(&YEARS, s, year_range_lines(s)) {
        let (Some(m), Some(label), Some(a), Some(b)) = (c.get(0), c.get(1), c.get(2), c.get(3))
        else {
            continue;
        };
        let span = at + m.start()..at + m.end();
        if char_at(s, span.end).is_some_and(|c| c.is_ascii_digit()) {
            continue;
        }
        let (Ok(a), Ok(b)) = (a.as_str().parse::<i32>(), b.as_str().parse::<i32>()) else {
            continue;
        };
        if b < a {
            continue;
        }
        let kind = if fold(label.as_str()).starts_with("nhiem") {
            "office-term"
        } else {
            "period"
        };
        out.push(Term {
            kind: kind.into(),
            number: None,
            numeral: None,
            start: Some(a),
            end: Some(b),
            text: m.as_str().to_string(),
            span,
        });
    }
    for f in symbols {
        if let Some(t) = f.symbol.term {
            out.push(Term {
                kind: "term".into(),
                number: Some(t),
                numeral: Some(t.to_string()),
                start: None,
                end: None,
                text: f.symbol.text.clone(),
                span: f.span.clone(),
            });
        }
    }
    out.sort_by_key(|t| (t.span.start, t.span.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A match's groups, joined: what two searches must agree on.
    fn groups(c: &regex::Captures<'_>) -> String {
        c.iter()
            .flatten()
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join("|")
    }

    /// The periods and congresses found over the whole text, as before the line search.
    fn whole_text(s: &str) -> Vec<(String, Range<usize>)> {
        let mut out = Vec::new();
        for re in [&*CONGRESS, &*YEARS] {
            for c in re.captures_iter(s) {
                let i = groups(&c);
                out.push((i, c.get(0).unwrap().range()));
            }
        }
        out
    }

    /// The same, searched in the lines [`find_terms`] searches.
    fn in_lines(s: &str) -> Vec<(String, Range<usize>)> {
        let congress = lines_at(s, CONGRESS_WORDS.find_iter(s).map(|m| m.start()));
        let mut out = Vec::new();
        for (re, lines) in [(&*CONGRESS, congress), (&*YEARS, year_range_lines(s))] {
            for (at, c) in captures_in_lines(re, s, lines) {
                let i = groups(&c);
                let m = c.get(0).unwrap();
                out.push((i, at + m.start()..at + m.end()));
            }
        }
        out
    }

    proptest::proptest! {
        /// Searching only the candidate lines finds what the whole-text search finds.
        #[test]
        fn line_search_is_whole_search(
            s in "(Đại hội|ĐẠI HỘI|ĐHĐB| |\t|\n|lần|LẦN|thứ|Thứ|XII|1|2020|٣|–|—|-|\\.|nhiệm|kỳ|giai|đoạn|thời|:|x){0,30}"
        ) {
            proptest::prop_assert_eq!(whole_text(&s), in_lines(&s));
        }
    }

    #[test]
    fn line_search_finds_periods_and_congresses() {
        let s = "Đại hội Đảng lần thứ XIII\nnhiệm kỳ 2021 - 2026, giai đoạn 2021–2025 và\n\
                 thời kỳ 2006 \t—2010; ĐHĐB toàn quốc lần thứ 12";
        assert_eq!(whole_text(s).len(), 5);
        assert_eq!(whole_text(s), in_lines(s));
    }

    #[test]
    fn terms() {
        let t = find_terms(
            "đại biểu Quốc hội khóa XV, nhiệm kỳ 2021 - 2026; giai đoạn 2006-2010",
            &[],
        );
        let got: Vec<(String, Option<u32>, Option<i32>)> = t
            .iter()
            .map(|t| (t.kind.clone(), t.number, t.start))
            .collect();
        assert_eq!(
            got,
            [
                ("term".to_string(), Some(15), None),
                ("office-term".to_string(), None, Some(2021)),
                ("period".to_string(), None, Some(2006))
            ]
        );
    }
}
