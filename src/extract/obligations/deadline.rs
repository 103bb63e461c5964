//! Deadline phrases: "trước ngày 30/6/2021", "chậm nhất ngày …", "trong tháng 5/2021",
//! "Quý I/2021", "6 tháng đầu năm 2021", "năm 2021", "hàng tháng, quý, năm",
//! "trong 15 ngày kể từ ngày ký".

use super::Deadline;
use crate::extract::Grain;
use crate::extract::pattern::regexes;

/// A deadline found in a piece of text, with its byte range in that text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    pub(crate) deadline: Deadline,
    pub(crate) start: usize,
}

const CUE: &str = r"(?:trước|chậm nhất|hạn chót|hạn cuối|đến hết|đến|vào|xong|trong|hoàn thành|thời hạn|thời gian)";

regexes! {
    static DAY = format!(
        r"(?i){CUE}(?:\s+(?:là|vào|đến|trước|ngày|hết|hạn|ngày))*\s+(?:ngày\s*)?(\d{{1,2}})\s*(?:/|-|\.|\s+tháng\s+)\s*(\d{{1,2}})\s*(?:/|-|\.|\s+năm\s+)\s*(\d{{4}})"
    );
    static MONTH = format!(
        r"(?i){CUE}(?:\s+(?:là|vào|đến|trước|hết|trong))*\s+tháng\s*(\d{{1,2}})\s*(?:/|-|\s+năm\s+)\s*(\d{{4}})"
    );
    static QUARTER = r"(?i)(?:^|[^\p{L}])(?:hết\s+|trong\s+|đến\s+|vào\s+|trước\s+)*(?:qu[ýí]|qúy)\s+(I{1,3}|IV|[1-4])(?:\s*(?:và|,|-|đến)\s*(?:(?:qu[ýí]|qúy)\s+)?(I{1,3}|IV|[1-4]))?\s*(?:/|-|\s+năm\s+|\s+)(\d{4})";
    static HALF = r"(?i)(?:06|6)\s+tháng\s+(đầu|cuối)\s+năm(?:\s+(\d{4}))?";
    /// "trong năm 2021": `(\d{4})\b` is spelled as the four digits and an optional word
    /// character after them, which when present means no match there ([`year`]). A
    /// Unicode `\b` would make the regex engine give up its DFA on Vietnamese text.
    static YEAR = r"(?i)(?:trong|đến|vào|trước|hết|cuối)\s+năm\s+(\d{4})(\w)?";
    static RELATIVE = r"(?i)(?:trong(?:\s+thời\s+hạn)?|chậm\s+nhất(?:\s+là)?|tối\s+đa|sau|không\s+quá)\s+(\d{1,3})\s+(ngày|tháng|tuần)(?:\s+làm\s+việc)?(?:,)?\s+(?:kể\s+)?(?:từ|sau)\s+(?:khi\s+|ngày\s+)?([^,.;:]{0,60})";
    static RECURRING = r"(?i)(?:hàng|hằng|mỗi)\s+(tháng|quý|qúy|quí|năm)|định\s+kỳ\s+(?:06|6)\s+tháng|(?:06|6)\s+tháng\s+(?:một\s+lần|/\s*lần)";
    static SIGNED = r"(?i)^(?:ngày\s+)?(?:ký|ban\s+hành)|^(?:khi\s+)?(?:quyết\s+định|chỉ\s+thị|văn\s+bản|kế\s+hoạch|thông\s+báo|công\s+văn)\s+(?:này\s+)?(?:được\s+)?(?:ký|ban\s+hành)";
}

/// The first match of `(?i)(?:trong|…|cuối)\s+năm\s+(\d{4})\b` in `s`. At any start there
/// is at most one way to match up to the boundary, so a match with a word character
/// after the digits means none at that start: the search goes on from the next one.
fn year(s: &str) -> Option<regex::Captures<'_>> {
    let mut pos = 0;
    while pos <= s.len() {
        let c = YEAR.captures_at(s, pos)?;
        let m = c.get(0)?;
        if c.get(2).is_none() {
            return Some(c);
        }
        pos = m.start() + s[m.start()..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

fn roman(s: &str) -> u32 {
    match s.to_uppercase().as_str() {
        "I" | "1" => 1,
        "II" | "2" => 2,
        "III" | "3" => 3,
        _ => 4,
    }
}

fn valid_date(y: u32, m: u32, d: u32) -> bool {
    (1900..=2200).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        _ => 28,
    }
}

/// Adds `days` to an ISO date; `None` when the date does not parse.
pub(crate) fn add_days(iso: &str, days: u32) -> Option<String> {
    let mut it = iso.get(..10)?.split('-');
    let mut y: u32 = it.next()?.parse().ok()?;
    let mut m: u32 = it.next()?.parse().ok()?;
    let mut d: u32 = it.next()?.parse().ok()?;
    if !valid_date(y, m, d) {
        return None;
    }
    for _ in 0..days.min(40_000) {
        d += 1;
        if d > days_in_month(y, m) {
            d = 1;
            m += 1;
            if m > 12 {
                m = 1;
                y += 1;
            }
        }
    }
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn add_months(iso: &str, months: u32) -> Option<String> {
    let mut it = iso.get(..10)?.split('-');
    let y: u32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    let total = y * 12 + (m - 1).min(11) + months.min(1200);
    let (ny, nm) = (total / 12, total % 12 + 1);
    let nd = d.min(days_in_month(ny, nm));
    valid_date(ny, nm, nd).then(|| format!("{ny:04}-{nm:02}-{nd:02}"))
}

fn dl(value: Option<String>, grain: Grain, recurring: Option<&str>, text: &str) -> Deadline {
    Deadline {
        value,
        grain,
        recurring: recurring.map(str::to_string),
        text: text.trim().to_string(),
    }
}

/// Finds the deadline phrase in `s`, if any. `document_date` (ISO) resolves deadlines
/// relative to the signing date and years left implicit ("6 tháng đầu năm").
///
/// Of a day, month, quarter or half-year, the first in `s`; else a year, else a
/// relative deadline, else a recurring one.
pub(crate) fn find(s: &str, document_date: Option<&str>) -> Option<Found> {
    // every pattern but the recurring one needs a digit
    let digit = s.bytes().any(|b| b.is_ascii_digit())
        || !s.is_ascii() && s.chars().any(|c| !c.is_ascii() && is_numeric(c));
    if !digit {
        return recurring(s);
    }
    // the day, month, quarter and year patterns end in a year: `\d{4}`
    let year_digits = has_four_digits(s);
    let mut best: Vec<Found> = Vec::new();
    if year_digits {
        best.extend(by_day(s));
        best.extend(by_month(s));
        best.extend(by_quarter(s));
    }
    best.extend(by_half(s, document_date));
    if best.is_empty() && year_digits {
        best.extend(by_year(s));
    }
    if best.is_empty() {
        best.extend(by_relative(s, document_date));
    }
    if best.is_empty() {
        best.extend(recurring(s));
    }
    best.into_iter().min_by_key(|f| f.start)
}

/// The deadline [`DAY`] finds: `trước ngày 15/3/2021`.
fn by_day(s: &str) -> Option<Found> {
    let c = DAY.captures(s)?;
    let d: u32 = c[1].parse().unwrap_or(0);
    let m: u32 = c[2].parse().unwrap_or(0);
    let y: u32 = c[3].parse().unwrap_or(0);
    if !valid_date(y, m, d) {
        return None;
    }
    let w = c.get(0).map_or(0..0, |g| g.range());
    Some(Found {
        deadline: dl(
            Some(format!("{y:04}-{m:02}-{d:02}")),
            Grain::Day,
            None,
            &s[w.clone()],
        ),
        start: w.start,
    })
}

/// The deadline [`MONTH`] finds: `trong tháng 3/2021`.
fn by_month(s: &str) -> Option<Found> {
    let c = MONTH.captures(s)?;
    let m: u32 = c[1].parse().unwrap_or(0);
    let y: u32 = c[2].parse().unwrap_or(0);
    if !valid_date(y, m, 1) {
        return None;
    }
    let w = c.get(0).map_or(0..0, |g| g.range());
    Some(Found {
        deadline: dl(
            Some(format!("{y:04}-{m:02}")),
            Grain::Month,
            None,
            &s[w.clone()],
        ),
        start: w.start,
    })
}

/// The deadline [`QUARTER`] finds: `quý I/2021`, `quý I và quý II năm 2021` (a
/// half-year).
fn by_quarter(s: &str) -> Option<Found> {
    let c = QUARTER.captures(s)?;
    let q1 = roman(&c[1]);
    let q2 = c.get(2).map(|g| roman(g.as_str()));
    let y: u32 = c[3].parse().unwrap_or(0);
    let w = c.get(0).map_or(0..0, |g| g.range());
    let value = match q2 {
        Some(q2) if q1 == 1 && q2 == 2 => format!("{y:04}-H1"),
        Some(q2) if q1 == 3 && q2 == 4 => format!("{y:04}-H2"),
        Some(q2) => format!("{y:04}-Q{q2}"),
        None => format!("{y:04}-Q{q1}"),
    };
    let grain = if value.contains('H') {
        Grain::HalfYear
    } else {
        Grain::Quarter
    };
    (1900..=2200).contains(&y).then(|| Found {
        deadline: dl(Some(value), grain, None, &s[w.clone()]),
        start: w.start,
    })
}

/// The deadline [`HALF`] finds: `6 tháng đầu năm 2021`, the year the document's when
/// not written.
fn by_half(s: &str, document_date: Option<&str>) -> Option<Found> {
    let c = HALF.captures(s)?;
    let y: Option<u32> = c.get(2).and_then(|g| g.as_str().parse().ok()).or_else(|| {
        document_date
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok())
    });
    let h = if c[1].to_lowercase() == "đầu" {
        1
    } else {
        2
    };
    let w = c.get(0).map_or(0..0, |g| g.range());
    let y = y?;
    Some(Found {
        deadline: dl(
            Some(format!("{y:04}-H{h}")),
            Grain::HalfYear,
            None,
            &s[w.clone()],
        ),
        start: w.start,
    })
}

/// The deadline [`year`] finds: `trong năm 2021`, but not a vision's year (`tầm nhìn
/// đến năm 2030`).
fn by_year(s: &str) -> Option<Found> {
    let c = year(s)?;
    let w = c.get(0).map_or(0..0, |g| g.range());
    let before = s[..w.start].to_lowercase();
    let after = s[w.end..].trim_start().to_lowercase();
    let vision = before.trim_end().ends_with("tầm nhìn") || after.starts_with(", tầm nhìn");
    let y: u32 = c[1].parse().unwrap_or(0);
    (!vision && (1900..=2200).contains(&y)).then(|| Found {
        deadline: dl(Some(format!("{y:04}")), Grain::Year, None, &s[w.clone()]),
        start: w.start,
    })
}

/// The deadline [`RELATIVE`] finds: `trong 15 ngày kể từ ngày ký` (a day when counted
/// from the document's date), `sau 3 tháng kể từ khi …` (relative).
fn by_relative(s: &str, document_date: Option<&str>) -> Option<Found> {
    let c = RELATIVE.captures(s)?;
    let w = c.get(0).map_or(0..0, |g| g.range());
    let n: u32 = c[1].parse().unwrap_or(0);
    let unit = c[2].to_lowercase();
    let event = c.get(3).map_or("", |g| g.as_str()).trim();
    let value = if SIGNED.is_match(event) {
        document_date.and_then(|d| match unit.as_str() {
            "ngày" => add_days(d, n),
            "tuần" => add_days(d, n * 7),
            _ => add_months(d, n),
        })
    } else {
        None
    };
    let grain = if value.is_some() {
        Grain::Day
    } else {
        Grain::Relative
    };
    Some(Found {
        deadline: dl(value, grain, None, &s[w.clone()]),
        start: w.start,
    })
}

/// [`char::is_numeric`], answered without the Unicode tables for the Latin letters
/// with diacritics (U+00C0..U+024F, U+1E00..U+1EFF), none of which is numeric: they
/// are most of the non-ASCII characters of Vietnamese text.
fn is_numeric(c: char) -> bool {
    !matches!(c, '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}') && c.is_numeric()
}

/// Whether `s` has four digits in a row, as `\d{4}` (any decimal digit) needs: a
/// necessary test, with every numeric character counted as a digit.
fn has_four_digits(s: &str) -> bool {
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let numeric = if b.is_ascii() {
            b.is_ascii_digit()
        } else if b >= 0xC0 {
            // the first byte of a character: decode it
            s[i..].chars().next().is_some_and(is_numeric)
        } else {
            // a continuation byte: part of the character already counted
            continue;
        };
        if numeric {
            run += 1;
            if run >= 4 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// Recurring duties: the finest period listed wins.
fn recurring(s: &str) -> Option<Found> {
    let mut finest: Option<(u8, usize, usize)> = None;
    for m in RECURRING.find_iter(s) {
        let t = m.as_str().to_lowercase();
        let rank = if t.contains("tháng") && !t.contains('6') {
            0
        } else if t.contains("qu") {
            1
        } else if t.contains('6') {
            2
        } else {
            3
        };
        if finest.is_none_or(|f| rank < f.0) {
            finest = Some((rank, m.start(), m.end()));
        }
        // "hàng tháng, quý, năm": the list after the first period
    }
    if let Some((rank, a, b)) = finest {
        let period = ["monthly", "quarterly", "half-yearly", "yearly"][rank as usize];
        return Some(Found {
            deadline: dl(
                Some(period.to_string()),
                Grain::Recurring,
                Some(period),
                &s[a..b],
            ),
            start: a,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_numeric_agrees_with_the_unicode_tables() {
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            assert_eq!(is_numeric(c), c.is_numeric(), "{c:?}");
        }
    }

    #[test]
    fn four_digits_in_a_row() {
        assert!(has_four_digits("năm 2021"));
        assert!(has_four_digits("năm ٢٠٢١"));
        assert!(!has_four_digits("ngày 30/6/21, điều 123"));
        assert!(!has_four_digits("Đà Nẵng"));
    }

    fn check(s: &str, value: Option<&str>, grain: Grain) {
        let f = find(s, Some("2021-05-14")).map(|f| f.deadline);
        let got = f.as_ref().map(|d| (d.value.as_deref(), d.grain));
        assert_eq!(got, Some((value, grain)), "{s}");
    }

    #[test]
    fn phrases() {
        check(
            "hoàn thành trước ngày 30/6/2021.",
            Some("2021-06-30"),
            Grain::Day,
        );
        check(
            "chậm nhất đến ngày 01 tháng 7 năm 2028",
            Some("2028-07-01"),
            Grain::Day,
        );
        check("vào ngày 23-5-2021.", Some("2021-05-23"), Grain::Day);
        check("trong tháng 5/2021", Some("2021-05"), Grain::Month);
        check("Quý I/2021", Some("2021-Q1"), Grain::Quarter);
        check("trong qúy IV năm 2021", Some("2021-Q4"), Grain::Quarter);
        check("đến hết quý II/2004 phải", Some("2004-Q2"), Grain::Quarter);
        check(
            "Trong quý III và quý IV năm 2004",
            Some("2004-H2"),
            Grain::HalfYear,
        );
        check("6 tháng đầu năm 2021", Some("2021-H1"), Grain::HalfYear);
        check("6 tháng cuối năm", Some("2021-H2"), Grain::HalfYear);
        check("trong năm 2004", Some("2004"), Grain::Year);
        check(
            "theo định kỳ hàng tháng, qúy, năm",
            Some("monthly"),
            Grain::Recurring,
        );
        check("định kỳ hàng năm", Some("yearly"), Grain::Recurring);
        check(
            "trong 15 ngày kể từ ngày ký",
            Some("2021-05-29"),
            Grain::Day,
        );
        check(
            "trong thời hạn 15 ngày kể từ ngày nhận được hồ sơ",
            None,
            Grain::Relative,
        );
        assert_eq!(
            find("Chỉ thị số 45-CT/TW ngày 20/6/2020 của Bộ Chính trị", None),
            None
        );
        assert_eq!(find("tầm nhìn đến năm 2045", None), None);
    }
}
