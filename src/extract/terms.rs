//! Terms and periods: `khóa XV`, `QH14`, `nhiệm kỳ 2021-2026`, `giai đoạn 2021 - 2025`,
//! `Đại hội … lần thứ XII`.

use std::sync::LazyLock;

use regex::Regex;

use super::Term;
use super::scan::{char_at, char_before, fold};
use super::symbol::Found;

static KHOA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:kh(?:óa|oá|oa))[ \t]+([IVXL]{1,7}|\d{1,2})").expect("literal regex")
});
static YEARS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(nhi[ệe]m[ \t]+k[ỳy]|giai[ \t]+(?:đ|d)o[ạa]n|th[ờo]i[ \t]+k[ỳy])[ \t]*:?[ \t]*(\d{4})[ \t]*[-–—][ \t]*(\d{4})")
        .expect("literal regex")
});
static CONGRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:đại[ \t]+hội|ĐHĐB)[^\n.;]{0,80}?(?i:lần[ \t]+thứ)[ \t]+([IVXL]{1,7}|\d{1,2})")
        .expect("literal regex")
});

/// Forces every regex of this module.
#[cfg(test)]
pub(crate) fn force_regexes() {
    for r in [&*KHOA, &*YEARS, &*CONGRESS] {
        let _ = r.is_match("");
    }
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
    for c in CONGRESS.captures_iter(s) {
        let (Some(m), Some(n)) = (c.get(0), c.get(1)) else {
            continue;
        };
        if char_at(s, m.end()).is_some_and(|c| c.is_alphanumeric()) {
            continue;
        }
        out.push(Term {
            kind: "congress".into(),
            number: roman(n.as_str()),
            numeral: Some(n.as_str().to_string()),
            start: None,
            end: None,
            text: m.as_str().to_string(),
            span: m.range(),
        });
    }
    for c in YEARS.captures_iter(s) {
        let (Some(m), Some(label), Some(a), Some(b)) = (c.get(0), c.get(1), c.get(2), c.get(3))
        else {
            continue;
        };
        if char_at(s, m.end()).is_some_and(|c| c.is_ascii_digit()) {
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
            span: m.range(),
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
