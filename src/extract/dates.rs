//! Dates in every written form: date lines, citations (`14/8/2006`, `20-6-2020`), months,
//! quarters, half-years, first-n-months, years, year ranges, `từ … đến …` ranges, deadlines
//! (`trước`, `chậm nhất`, `hạn chót`), recurring and relative expressions.
//!
//! Two passes: atoms (one regex per shape, each checked in code; overlaps resolved
//! leftmost-longest), then combination (relation words before an atom, `từ X đến Y`,
//! a year shared by a list or a range, `hằng năm` after a day without a year).

use std::ops::Range;
use std::sync::LazyLock;

use regex::{Captures, Regex};
use serde::{Deserialize, Serialize};

use super::pattern::regexes;
use super::scan::{char_at, char_before, collapse, fold, window_before};
use super::symbol::Found;
use crate::{Diagnostic, Severity};

/// How precise a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Grain {
    /// A calendar day.
    Day,
    /// A month.
    Month,
    /// A quarter.
    Quarter,
    /// A half-year.
    HalfYear,
    /// A year.
    Year,
    /// An inclusive range (`start`..`end`).
    Range,
    /// Every year / month / quarter: no absolute value.
    Recurring,
    /// Relative to the moment of writing (`năm nay`, `tháng tới`); for a deadline, to an
    /// event (`trong 15 ngày kể từ khi nhận được`).
    Relative,
}

impl Grain {
    /// The name written in the JSON record (`half-year`), as serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Grain::Day => "day",
            Grain::Month => "month",
            Grain::Quarter => "quarter",
            Grain::HalfYear => "half-year",
            Grain::Year => "year",
            Grain::Range => "range",
            Grain::Recurring => "recurring",
            Grain::Relative => "relative",
        }
    }
}

/// How a date relates to what it qualifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// `trước ngày X`: strictly before X.
    Before,
    /// `sau ngày X`: strictly after X.
    After,
    /// `từ ngày X`, `kể từ ngày X`: from X on (inclusive).
    From,
    /// `đến (hết) X`, `chậm nhất X`, `hạn chót X`, `không quá X`: up to and including X.
    Until,
}

/// One date expression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateItem {
    /// ISO form: `2021-01-14`, `2021-01`, `2021-Q1`, `2021-H1`, `2021`, a range
    /// `2021/2026` or `2021-07-01/2021-12-31`; `XXXX` stands for a year not written.
    /// `recurring` and `relative` for those grains.
    pub value: String,
    /// Precision.
    pub grain: Grain,
    /// First value of a range.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub start: Option<String>,
    /// Last value of a range (inclusive).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub end: Option<String>,
    /// A deadline or open range word before the date.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub relation: Option<Relation>,
    /// A time of day (`17:00`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub time: Option<String>,
    /// The text matched.
    pub text: String,
    /// Where.
    pub span: Range<usize>,
}

impl DateItem {
    /// The value in the grammar of `vectors/dates.tsv` (`A..B`, `<X`, `..X`, `XT17:00`).
    pub fn vector_form(&self) -> String {
        match self.grain {
            Grain::Recurring => return "recurring".into(),
            Grain::Relative => return "relative".into(),
            Grain::Range => {
                return format!(
                    "{}..{}",
                    self.start.as_deref().unwrap_or(""),
                    self.end.as_deref().unwrap_or("")
                );
            }
            _ => {}
        }
        let mut v = self.value.clone();
        if let Some(t) = &self.time {
            v = format!("{v}T{t}");
        }
        match self.relation {
            Some(Relation::Before) => format!("<{v}"),
            Some(Relation::After) => format!(">{v}"),
            Some(Relation::From) => format!("{v}.."),
            Some(Relation::Until) => format!("..{v}"),
            None => v,
        }
    }

    /// The calendar days this expression names (a day, or the ends of a range of days).
    pub fn days(&self) -> Vec<String> {
        let is_day = |v: &str| v.len() == 10 && !v.starts_with('X');
        match self.grain {
            Grain::Day if is_day(&self.value) => vec![self.value.clone()],
            Grain::Range => [&self.start, &self.end]
                .into_iter()
                .flatten()
                .filter(|v| is_day(v))
                .cloned()
                .collect(),
            _ => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Point {
    Day { y: Option<i32>, m: u32, d: u32 },
    Month { y: Option<i32>, m: u32 },
    Quarter { y: Option<i32>, q: u32 },
    Half { y: Option<i32>, h: u32 },
    Year(i32),
}

impl Point {
    fn year(self) -> Option<i32> {
        match self {
            Point::Day { y, .. } | Point::Month { y, .. } | Point::Quarter { y, .. } => y,
            Point::Half { y, .. } => y,
            Point::Year(y) => Some(y),
        }
    }

    fn with_year(self, year: Option<i32>) -> Point {
        match self {
            Point::Day { y: None, m, d } => Point::Day { y: year, m, d },
            Point::Month { y: None, m } => Point::Month { y: year, m },
            Point::Quarter { y: None, q } => Point::Quarter { y: year, q },
            Point::Half { y: None, h } => Point::Half { y: year, h },
            p => p,
        }
    }

    fn grain(self) -> Grain {
        match self {
            Point::Day { .. } => Grain::Day,
            Point::Month { .. } => Grain::Month,
            Point::Quarter { .. } => Grain::Quarter,
            Point::Half { .. } => Grain::HalfYear,
            Point::Year(_) => Grain::Year,
        }
    }

    fn iso(self) -> String {
        let y = |y: Option<i32>| y.map_or("XXXX".to_string(), |y| format!("{y:04}"));
        match self {
            Point::Day { y: yy, m, d } => format!("{}-{m:02}-{d:02}", y(yy)),
            Point::Month { y: yy, m } => format!("{}-{m:02}", y(yy)),
            Point::Quarter { y: yy, q } => format!("{}-Q{q}", y(yy)),
            Point::Half { y: yy, h } => format!("{}-H{h}", y(yy)),
            Point::Year(yy) => format!("{yy:04}"),
        }
    }
}

#[derive(Debug, Clone)]
enum Kind {
    Pt(Point),
    Pts(Vec<Point>),
    Span(Point, Point),
    Draft(Option<i32>),
    Recurring,
    Relative,
    Invalid(String),
}

#[derive(Debug, Clone)]
struct Atom {
    span: Range<usize>,
    prio: u8,
    kind: Kind,
    lunar: bool,
}

const NGAY: &str = "ng[aàạ]y";
const THANG: &str = "th[aáạ]ng";
const NAM: &str = "n[aăắ]m";
const MONG: &str = "m[ồôoùu]ng";
const MONTH: &str = r"\d{1,2}|m[ưu][ờo]i[ \t]+m[ộo]t|m[ưu][ờo]i[ \t]+hai|m[ưu][ờo]i|m[ộo]t|gi[êe]ng|hai|b[ảa]y|ba|t[ưu]|b[ốo]n|sáu|t[áa]m|ch[íi]n|ch[ạa]p";

regexes! {
    static DAY_LONG = format!(
        r"(?i)((?:{NGAY})[ \t]*(?:{MONG}[ \t]*)?|{MONG}[ \t]*)?(\d(?:[ \t]?\d)?)\s*{THANG}[\s*]*({MONTH})(?:[\s*]*,?\s*{NAM}\s*(\d{{4}})|[ \t]*/[ \t]*(\d{{4}}))?"
    );
    static DAY_NUM = format!(
        r"(?i)(?:({NGAY}|{MONG})\s*)?(\d{{1,2}})[ \t]*([/.\-])[ \t]*(\d{{1,2}})[ \t]*([/.\-])[ \t]*(\d{{4}}|\d{{2}})"
    );
    static DAY_LIST = format!(
        r"(?i){NGAY}\s*(\d{{1,2}})((?:[ \t]*(?:,|và|va)[ \t]*\d{{1,2}})+)[ \t]*/[ \t]*(\d{{1,2}})[ \t]*/[ \t]*(\d{{4}})"
    );
    static DAY_PART = format!(
        r"(?i)({NGAY}|{MONG})[ \t]*(\d{{1,2}})[ \t]*/[ \t]*(\d{{1,2}})"
    );
    static DRAFT = format!(
        r"(?i){NGAY}[ \t_.…]+(?:/[ \t_.…]*/|{THANG}[ \t_.…]+{NAM})(?:[ \t]*(\d{{4}}))?"
    );
    static MONTH_RE = format!(
        r"(?i){THANG}[ \t]*({MONTH})(?:[ \t]*(?:/|-|,?\s*{NAM})[ \t]*(\d{{4}}))?"
    );
    static QUARTER = format!(
        r"(?i)(?:qu[ýyíi]|q[úu]y)[ \t]+(IV|III|II|I|[1-4]|m[ộo]t|hai|ba|t[ưu]|b[ốo]n)(?:[ \t]*(?:/|-|(?:của[ \t]+)?{NAM})[ \t]*(\d{{4}}))?"
    );
    static HALF = format!(
        r"(?i)(6|s[áa]u)[ \t]+{THANG}[ \t]+((?:đ|d)[ầâa]u|cu[ốôo]i)[ \t]+{NAM}(?:[ \t]+(\d{{4}}))?"
    );
    static NMONTHS = format!(
        r"(?i)(\d{{1,2}}|hai|ba|b[ốo]n|s[áa]u|b[ảa]y|t[áa]m|ch[íi]n|m[ưu][ờo]i(?:[ \t]+(?:m[ộo]t|hai))?)[ \t]+{THANG}[ \t]+(?:((?:đ|d)[ầâa]u)[ \t]+)?{NAM}(?:[ \t]+(\d{{4}}))?"
    );
    static YEAR = format!(
        r"(?i)((?:{NAM}[ \t]+h[ọo]c|nhi[ệe]m[ \t]+k[ỳy]|giai[ \t]+(?:đ|d)o[ạa]n|th[ờo]i[ \t]+k[ỳy]|{NAM})[ \t]*:?[ \t]*)?(\d{{4}})(?:[ \t]*[-–—][ \t]*(\d{{4}}))?"
    );
    static RECUR = format!(
        r"(?i)(?:(?:đ|d)[ịi]nh[ \t]+k[ỳy][ \t]+)?h[àằa]ng[ \t]+(?:{NAM}|{THANG}|qu[ýyíi]|tu[ầa]n|{NGAY})"
    );
    static RELATIVE = format!(
        r"(?i)(?:{NAM}|{THANG}|qu[ýí]|tuần)[ \t]+(?:nay|này|tới|sau|trước|qua|tiếp[ \t]+theo)"
    );
    static PREFIX = format!(
        r"(?i)(?:(kể[ \t]+từ|từ)|((?:đến|tới)(?:[ \t]+hết)?|hết)|(trước)(?:[ \t]+(\d{{1,2}})[ \t]*(?:giờ|h)(?:[ \t]*(\d{{1,2}})(?:[ \t]*phút)?)?)?|(sau)|(chậm[ \t]+nhất(?:[ \t]+là)?(?:[ \t]+vào)?|hạn[ \t]+chót[ \t]*:?|không[ \t]+quá|không[ \t]+muộn[ \t]+hơn))[ \t]*,?[ \t]*(?:(?:vào[ \t]+)?{NGAY}[ \t]*)?$"
    );
    static WEEKDAY = r"(?i)(?:th[ứu][ \t]+(hai|ba|tư|năm|sáu|bảy|[2-7])|(chủ[ \t]+nhật))[ \t]*,?[ \t]*$";
    static LIST_GAP = r"(?i)^[ \t]*(?:,|;|và|hoặc|-|–)?[ \t]*$";
    /// Every atom pattern ([`atom_patterns`]) in one alternation. Its leftmost match
    /// starts where the first match of any pattern starts: one search over the text finds
    /// the next place where some pattern may match, and [`ATOM_AT`] says which do.
    static ANY_ATOM = atom_patterns()
        .iter()
        .map(|(r, _, _, _)| format!("(?:{})", r.as_str()))
        .collect::<Vec<_>>()
        .join("|");
    /// Each atom pattern anchored at its start, in the order of [`atom_patterns`].
    static ATOM_AT: [_] = atom_patterns().map(|(r, _, _, _)| format!("^(?:{})", r.as_str()));
}

fn month_word(w: &str) -> Option<(u32, bool)> {
    if let Ok(n) = w.trim().parse::<u32>() {
        return Some((n, false));
    }
    let f = collapse(&fold(w));
    Some(match f.as_str() {
        "mot" => (1, false),
        "gieng" => (1, true),
        "hai" => (2, false),
        "ba" => (3, false),
        "tu" | "bon" => (4, false),
        "nam" => (5, false),
        "sau" => (6, false),
        "bay" => (7, false),
        "tam" => (8, false),
        "chin" => (9, false),
        "muoi" => (10, false),
        "muoi mot" => (11, false),
        "muoi hai" => (12, false),
        "chap" => (12, true),
        _ => return None,
    })
}

fn quarter_word(w: &str) -> Option<u32> {
    match w.to_uppercase().as_str() {
        "I" | "1" => Some(1),
        "II" | "2" => Some(2),
        "III" | "3" => Some(3),
        "IV" | "4" => Some(4),
        _ => month_word(w)
            .map(|(n, _)| n)
            .filter(|n| (1..=4).contains(n)),
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: Option<i32>, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if y.is_none_or(is_leap) => 29,
        _ => 28,
    }
}

fn plausible_year(y: i32) -> bool {
    (1900..=2100).contains(&y)
}

/// Day of week, 0 = Sunday.
fn weekday(y: i32, m: u32, d: u32) -> u32 {
    let t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if m < 3 { y - 1 } else { y };
    ((y + y / 4 - y / 100 + y / 400 + t[(m - 1) as usize] + d as i32).rem_euclid(7)) as u32
}

fn day_point(y: Option<i32>, m: u32, d: u32) -> Result<Point, String> {
    if !(1..=12).contains(&m) {
        return Err(format!("month {m} does not exist"));
    }
    if d == 0 || d > days_in_month(y, m) {
        return Err(format!("day {d} does not exist in month {m}"));
    }
    if y.is_some_and(|y| !plausible_year(y)) {
        return Err(format!("year {} is implausible", y.unwrap_or_default()));
    }
    Ok(Point::Day { y, m, d })
}

fn digits(s: &str) -> Option<u32> {
    let d: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    d.parse().ok()
}

fn next_is_alnum(s: &str, i: usize) -> bool {
    char_at(s, i).is_some_and(|c| c.is_alphanumeric())
}

fn prev_is_alnum(s: &str, i: usize) -> bool {
    char_before(s, i).is_some_and(|c| c.is_alphanumeric())
}

/// What turns a match of an atom pattern into atoms, or rejects it.
type Accept<'a> = Box<dyn Fn(&Captures<'_>) -> Option<(Kind, bool)> + 'a>;

/// A test of the char a match of an atom pattern starts with.
type MayStart = fn(char) -> bool;

/// A test of the text where a match of an atom pattern would start (`s[a..]`), once its
/// first char passed [`MayStart`]: it says no only where the pattern cannot match, so that
/// [`run_scans`] skips the regex call there.
type Shape = fn(&str) -> bool;

/// One atom pattern to run over the text: `accept` turns a match into atoms or rejects
/// it (the search then goes on from the next char, so a rejected match never hides a
/// good one), after `may_accept`, a cheap test of the match's range alone that must
/// say no only when `accept` would.
struct Scan<'a> {
    re: &'static Regex,
    prio: u8,
    may_accept: Box<dyn Fn(Range<usize>) -> bool + 'a>,
    accept: Accept<'a>,
}

/// Adds `re` to the patterns to run, with `f` to accept or reject its matches.
fn scan<'a>(
    scans: &mut Vec<Scan<'a>>,
    re: &'static Regex,
    prio: u8,
    f: impl Fn(&Captures<'_>) -> Option<(Kind, bool)> + 'a,
) {
    scan_checked(scans, re, prio, |_| true, f);
}

/// [`scan`], with a cheap test of the match's range first.
fn scan_checked<'a>(
    scans: &mut Vec<Scan<'a>>,
    re: &'static Regex,
    prio: u8,
    may_accept: impl Fn(Range<usize>) -> bool + 'a,
    f: impl Fn(&Captures<'_>) -> Option<(Kind, bool)> + 'a,
) {
    scans.push(Scan {
        re,
        prio,
        may_accept: Box::new(may_accept),
        accept: Box::new(f),
    });
}

/// Whether `c` may be a digit of `\d` (Unicode digits).
fn digit_like(c: char) -> bool {
    c.is_ascii_digit() || !c.is_ascii() && c.is_numeric()
}

/// Whether `c` is one of the ASCII letters `letters` (lower case) in either case.
fn letter_in(c: char, letters: &str) -> bool {
    c.is_ascii() && letters.as_bytes().contains(&(c as u8).to_ascii_lowercase())
}

/// Whether `c` lower-cased is one of `letters`: for letters whose `(?i)` fold class is just
/// their lower and upper case (the test `lower_in_covers_case_folding` checks those used).
fn lower_in(c: char, letters: &str) -> bool {
    c.to_lowercase().next().is_some_and(|l| letters.contains(l))
}

/// Whether `t` starts with a char for which `f` holds.
fn first_is(t: &str, f: impl Fn(char) -> bool) -> bool {
    t.chars().next().is_some_and(f)
}

/// `t` after a leading `ngày` or `mồng` (both four chars), judged by their first two chars:
/// `None` when `t` cannot start with either.
fn after_day_word(t: &str) -> Option<&str> {
    // Both words open with an ASCII letter: most places here open with a digit.
    if !matches!(t.as_bytes().first(), Some(b'n' | b'N' | b'm' | b'M')) {
        return None;
    }
    let mut cs = t.chars();
    let (a, b) = (cs.next()?, cs.next()?);
    let may =
        (letter_in(a, "n") && letter_in(b, "g")) || (letter_in(a, "m") && lower_in(b, "ồôoùu"));
    if !may {
        return None;
    }
    cs.next()?;
    cs.next()?;
    Some(cs.as_str())
}

/// `t.trim_start_matches(f)`, a byte at a time while the text is ASCII (most of the time
/// here: these tests run at every place a date pattern may start).
fn skip_while(t: &str, f: impl Fn(char) -> bool) -> &str {
    let ascii = t
        .bytes()
        .position(|b| !b.is_ascii() || !f(char::from(b)))
        .unwrap_or(t.len());
    let rest = &t[ascii..];
    let rest = if rest.as_bytes().first().is_some_and(|b| !b.is_ascii()) {
        rest.trim_start_matches(f)
    } else {
        rest
    };
    #[cfg(test)]
    super::scan::work::add(t.len() - rest.len() + 1);
    rest
}

/// `t` after its first chars for which `f` holds, when there are at most `max` of them.
fn skip_at_most(t: &str, max: usize, f: impl Fn(char) -> bool) -> Option<&str> {
    for (n, (i, c)) in t.char_indices().enumerate() {
        #[cfg(test)]
        super::scan::work::add(c.len_utf8());
        if !f(c) {
            return Some(&t[i..]);
        }
        if n == max {
            return None;
        }
    }
    Some("")
}

/// `t` without its leading spaces and tabs.
fn after_blanks(t: &str) -> &str {
    skip_while(t, |c| c == ' ' || c == '\t')
}

/// How many chars that may be digits `t` opens with, counted no further than `max + 1`,
/// and the rest after the chars counted. Capped so that a test at each char of a long run
/// of digits reads a few chars, not the rest of the run (a text of digits was quadratic).
fn digit_run(t: &str, max: usize) -> (usize, &str) {
    // ASCII digits up to an ASCII char or the end: the usual case, counted by bytes.
    let b = t.as_bytes();
    let n = b
        .iter()
        .take(max + 1)
        .take_while(|b| b.is_ascii_digit())
        .count();
    #[cfg(test)]
    super::scan::work::add(n + 1);
    if n > max || b.get(n).is_none_or(u8::is_ascii) {
        return (n, &t[n..]);
    }
    let (mut count, mut end) = (n, n);
    for c in t[n..].chars() {
        #[cfg(test)]
        super::scan::work::add(c.len_utf8());
        if count > max || !digit_like(c) {
            break;
        }
        count += 1;
        end += c.len_utf8();
    }
    (count, &t[end..])
}

/// Whether `t` may open with `\d{1,2}[ \t]*` and then one of `seps`. The digits the
/// pattern takes are the whole run of digit-like chars: what follows them is a blank or a
/// separator, neither digit-like.
fn day_digits(t: &str, seps: &[char]) -> bool {
    let (n, rest) = digit_run(t, 2);
    (1..=2).contains(&n) && after_blanks(rest).starts_with(seps)
}

/// Whether `t` may open with `\d(?:[ \t]?\d)?\s*th` (the day and the month word of
/// [`DAY_LONG`]): a digit, then either whitespace and a `t`, or an optional blank, a second
/// digit, whitespace and a `t`. Read exactly so: a looser "digits and whitespace up to a
/// `t`" read a whole run of digit lines at each digit of it (quadratic).
fn day_then_month_word(t: &str) -> bool {
    let mut cs = t.chars();
    if !cs.next().is_some_and(digit_like) {
        return false;
    }
    let month_word_after =
        |r: &str| first_is(skip_while(r, char::is_whitespace), |c| letter_in(c, "t"));
    let rest = cs.as_str();
    if month_word_after(rest) {
        return true;
    }
    let mut cs = rest.chars();
    let second = match cs.next() {
        Some(' ' | '\t') => cs.next(),
        c => c,
    };
    second.is_some_and(digit_like) && month_word_after(cs.as_str())
}

/// `DAY_LONG`: `((ngày[ \t]*(mồng[ \t]*)?|mồng[ \t]*)?` then the day and `tháng`.
fn may_start_day_long(t: &str) -> bool {
    let t = match after_day_word(t) {
        Some(r) => {
            let r = after_blanks(r);
            after_day_word(r).map_or(r, after_blanks)
        }
        None => t,
    };
    day_then_month_word(t)
}

/// `DAY_NUM`: `(?:(ngày|mồng)\s*)?(\d{1,2})[ \t]*([/.\-])`…
fn may_start_day_num(t: &str) -> bool {
    let t = after_day_word(t).map_or(t, |r| skip_while(r, char::is_whitespace));
    day_digits(t, &['/', '.', '-'])
}

/// `DAY_LIST`: `ngày\s*(\d{1,2})` then `[ \t]*` and `,`, `và` or `va`.
fn may_start_day_list(t: &str) -> bool {
    after_day_word(t)
        .is_some_and(|r| day_digits(skip_while(r, char::is_whitespace), &[',', 'v', 'V']))
}

/// `DAY_PART`: `(ngày|mồng)[ \t]*(\d{1,2})[ \t]*/`…
fn may_start_day_part(t: &str) -> bool {
    after_day_word(t).is_some_and(|r| day_digits(after_blanks(r), &['/']))
}

/// `DRAFT`: `ngày[ \t_.…]+`…
fn may_start_draft(t: &str) -> bool {
    after_day_word(t).is_some_and(|r| r.starts_with([' ', '\t', '_', '.', '…']))
}

/// `HALF`: `(6|s[áa]u)[ \t]+`…: a blank after the `6` or after the three letters.
fn may_start_half(t: &str) -> bool {
    let mut cs = t.chars();
    let word = match cs.next() {
        Some('6') => 0,
        Some(c) if letter_in(c, "s") || c == 'ſ' => 2,
        _ => return false,
    };
    cs.nth(word).is_some_and(|c| c == ' ' || c == '\t')
}

/// `NMONTHS`: `(\d{1,2}|hai|ba|…)[ \t]+th`…; for a number (the digits are the whole run).
fn may_start_nmonths(t: &str) -> bool {
    if first_is(t, digit_like) {
        let (n, rest) = digit_run(t, 2);
        return (1..=2).contains(&n)
            && rest.starts_with([' ', '\t'])
            && first_is(after_blanks(rest), |c| letter_in(c, "t"));
    }
    true
}

/// `YEAR`: a label word, or `\d{4}`.
fn may_start_year(t: &str) -> bool {
    !first_is(t, digit_like) || digit_run(t, 3).0 >= 4
}

/// `RELATIVE`: `(?:năm|tháng|qu[ýí]|tuần)[ \t]+` then `nay`, `này`, `tới`, `sau`, `trước`,
/// `qua` or `tiếp`. The first word's chars are letters and a blank follows it, so it is the
/// whole run of letters.
fn may_start_relative(t: &str) -> bool {
    // The first word has at most five chars (`tháng`): a longer run of letters is not it.
    // (Skipping the whole run read a long word once per match inside it: quadratic.)
    let Some(rest) = skip_at_most(t, 5, char::is_alphabetic) else {
        return false;
    };
    rest.starts_with([' ', '\t'])
        && first_is(after_blanks(rest), |c| letter_in(c, "ntsq") || c == 'ſ')
}

/// Where a match of an atom pattern anchored at the start of `t` ends, when that is easily
/// told without the regex: `Some(None)` for no match, `Some(Some(len))` for a match of `len`
/// bytes, `None` to ask the regex. The test `may_start_holds_where_patterns_match` compares
/// each with its regex.
type QuickEnd = fn(&str) -> Option<Option<usize>>;

/// Always asks the regex.
fn no_quick_end(_: &str) -> Option<Option<usize>> {
    None
}

/// `YEAR` at a number (no label word before it): `\d{4}(?:[ \t]*[-–—][ \t]*\d{4})?`, the
/// optional range taken whenever it is there (nothing after it in the pattern can make it
/// fail). ASCII digits only: a digit of another script (`\d` is Unicode) goes to the regex.
/// Most numbers of a text are tried against this pattern.
fn year_quick_end(t: &str) -> Option<Option<usize>> {
    let four_digits = |t: &str| {
        t.as_bytes()
            .get(..4)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    if !four_digits(t) {
        return None;
    }
    let Some(rest) = after_blanks(&t[4..]).strip_prefix(['-', '–', '—']) else {
        return Some(Some(4));
    };
    let rest = after_blanks(rest);
    if four_digits(rest) {
        return Some(Some(t.len() - rest.len() + 4));
    }
    if rest.chars().take(4).any(|c| !c.is_ascii() && digit_like(c)) {
        return None;
    }
    Some(Some(4))
}

/// Any text: for the patterns whose first char says enough.
fn any_shape(_: &str) -> bool {
    true
}

/// The atom patterns, in the order [`atoms`] runs them, each with a test of the char a
/// match of it can start with: the first letters of its words in either case (`(?i)`
/// folds no other char to these ASCII letters but `ſ` to `s` and KELVIN SIGN to `k`), and
/// any digit (`\d` is Unicode: [`digit_like`]); and for the patterns tried at most places,
/// a test of the shape of the text there. Both must hold wherever the pattern matches:
/// the test `may_start_holds_where_patterns_match` checks this.
fn atom_patterns() -> [(&'static Regex, MayStart, Shape, QuickEnd); 12] {
    [
        (
            &DAY_LIST,
            |c| letter_in(c, "n"),
            may_start_day_list,
            no_quick_end,
        ),
        (
            &DAY_LONG,
            |c| letter_in(c, "nm") || digit_like(c),
            may_start_day_long,
            no_quick_end,
        ),
        (
            &DAY_NUM,
            |c| letter_in(c, "nm") || digit_like(c),
            may_start_day_num,
            no_quick_end,
        ),
        (
            &DAY_PART,
            |c| letter_in(c, "nm"),
            may_start_day_part,
            no_quick_end,
        ),
        (&DRAFT, |c| letter_in(c, "n"), may_start_draft, no_quick_end),
        (
            &HALF,
            |c| c == '6' || letter_in(c, "s") || c == 'ſ',
            may_start_half,
            no_quick_end,
        ),
        (
            &NMONTHS,
            |c| letter_in(c, "hbstcm") || c == 'ſ' || digit_like(c),
            may_start_nmonths,
            no_quick_end,
        ),
        (&QUARTER, |c| letter_in(c, "q"), any_shape, no_quick_end),
        (&MONTH_RE, |c| letter_in(c, "t"), any_shape, no_quick_end),
        (
            &YEAR,
            |c| letter_in(c, "ngt") || digit_like(c),
            may_start_year,
            year_quick_end,
        ),
        (
            &RECUR,
            |c| letter_in(c, "dh") || c == 'đ' || c == 'Đ',
            any_shape,
            no_quick_end,
        ),
        (
            &RELATIVE,
            |c| letter_in(c, "ntq"),
            may_start_relative,
            no_quick_end,
        ),
    ]
}

/// The patterns of [`atom_patterns`] whose first-char test holds for `c`, as a bit set.
fn may_start_set(c: char) -> u16 {
    atom_patterns()
        .iter()
        .enumerate()
        .filter(|(_, (_, may_start, _, _))| may_start(c))
        .fold(0, |set, (k, _)| set | 1 << k)
}

/// [`may_start_set`] of each ASCII char, looked up rather than computed at each place.
static ASCII_MAY_START: LazyLock<[u16; 128]> =
    LazyLock::new(|| std::array::from_fn(|b| may_start_set(char::from(b as u8))));

/// Runs every scan over `s`, as if each ran alone from the start of the text to its end
/// (finding its leftmost match, then searching again after an accepted match or one
/// char after a rejected one), and returns their atoms scan by scan.
///
/// The places where some pattern matches are visited in order; at each, the scans that
/// have not gone past it try their anchored pattern. A scan's next match starts at the
/// first such place where its pattern matches. (The patterns have no look-around, so a
/// match found at `a` in `s[a..]` or in `s` cut after its end is the match at `a` in `s`.)
fn run_scans(s: &str, scans: &[Scan<'_>]) -> Vec<Atom> {
    let (any, anchored) = (&*ANY_ATOM, &*ATOM_AT);
    let all = atom_patterns();
    // Per scan: its anchored pattern, its bit in `may_start_set`, its shape test and its
    // quick end.
    let anchored: Vec<(&Regex, u16, Shape, QuickEnd)> = scans
        .iter()
        .map(|sc| {
            let k = all
                .iter()
                .position(|(r, _, _, _)| std::ptr::eq(*r, sc.re))
                .expect("an atom pattern");
            (&anchored[k], 1 << k, all[k].2, all[k].3)
        })
        .collect();
    let mut pos = vec![0usize; scans.len()];
    let mut found: Vec<Vec<Atom>> = scans.iter().map(|_| Vec::new()).collect();
    let mut at = 0;
    while at <= s.len() {
        let Some(first) = any.find_at(s, at) else {
            break;
        };
        let a = first.start();
        let Some(first_char) = char_at(s, a) else {
            break;
        };
        let after_a = a + first_char.len_utf8();
        let may_start = match ASCII_MAY_START.get(first_char as usize) {
            Some(set) => *set,
            None => may_start_set(first_char),
        };
        for (k, sc) in scans.iter().enumerate() {
            let (anchored, bit, shape, quick_end) = anchored[k];
            if pos[k] > a || may_start & bit == 0 || !shape(&s[a..]) {
                continue;
            }
            let end = match quick_end(&s[a..]) {
                Some(end) => end,
                None => anchored.find(&s[a..]).map(|m| m.end()),
            };
            let Some(end) = end else {
                continue;
            };
            if !(sc.may_accept)(a..a + end) {
                pos[k] = after_a;
                continue;
            }
            let Some(c) = sc.re.captures_at(&s[..a + end], a) else {
                pos[k] = usize::MAX;
                continue;
            };
            let Some(m) = c.get(0) else {
                pos[k] = usize::MAX;
                continue;
            };
            match (sc.accept)(&c) {
                Some((kind, lunar)) if !m.is_empty() => {
                    found[k].push(Atom {
                        span: m.range(),
                        prio: sc.prio,
                        kind,
                        lunar,
                    });
                    pos[k] = m.end();
                }
                _ => {
                    pos[k] = m.start() + char_at(s, m.start()).map_or(1, |c| c.len_utf8());
                }
            }
        }
        at = after_a;
    }
    found.into_iter().flatten().collect()
}

/// The atoms of `s`: each atom pattern run with its reader, in this order (which, with
/// the priorities, settles overlaps).
fn atoms(s: &str) -> Vec<Atom> {
    let mut scans = Vec::new();
    scan(&mut scans, &DAY_LIST, 0, |c| day_list(s, c));
    scan(&mut scans, &DAY_LONG, 1, |c| day_long(s, c));
    scan(&mut scans, &DAY_NUM, 1, |c| day_num(s, c));
    scan(&mut scans, &DAY_PART, 3, |c| day_part(s, c));
    scan(&mut scans, &DRAFT, 2, |c| draft(s, c));
    scan(&mut scans, &HALF, 4, |c| half(s, c));
    scan(&mut scans, &NMONTHS, 5, |c| nmonths(s, c));
    scan(&mut scans, &QUARTER, 6, |c| quarter(s, c));
    scan(&mut scans, &MONTH_RE, 7, |c| month(s, c));
    scan_checked(
        &mut scans,
        &YEAR,
        8,
        |m| year_may_accept(s, m),
        |c| year(s, c),
    );
    scan(&mut scans, &RECUR, 9, |c| recurring(s, c));
    scan(&mut scans, &RELATIVE, 10, |c| relative(s, c));
    run_scans(s, &scans)
}

/// `ngày 5, 6 và 7/3/2021`: several days of one month.
fn day_list(s: &str, c: &Captures<'_>) -> Option<(Kind, bool)> {
    let m = c.get(0)?;
    if prev_is_alnum(s, m.start()) || char_at(s, m.end()).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let y: i32 = c.get(4)?.as_str().parse().ok()?;
    let mo = digits(c.get(3)?.as_str())?;
    let mut days = vec![digits(c.get(1)?.as_str())?];
    for part in c.get(2)?.as_str().split(|ch: char| !ch.is_ascii_digit()) {
        if let Ok(d) = part.parse() {
            days.push(d);
        }
    }
    let pts: Result<Vec<Point>, String> = days
        .into_iter()
        .map(|d| day_point(Some(y), mo, d))
        .collect();
    Some((pts.map_or_else(Kind::Invalid, Kind::Pts), false))
}

/// `ngày 5 tháng 3 năm 2021`, `mồng 5 tháng giêng`: a day with the month in words.
fn day_long(s: &str, c: &Captures<'_>) -> Option<(Kind, bool)> {
    let m = c.get(0)?;
    let prefixed = c.get(1).is_some();
    let day = c.get(2)?;
    if !prefixed && prev_is_alnum(s, day.start()) {
        return None;
    }
    if prefixed && prev_is_alnum(s, m.start()) {
        return None;
    }
    let mon = c.get(3)?;
    let (mo, lunar) = month_word(mon.as_str())?;
    let is_word = !mon.as_str().starts_with(|c: char| c.is_ascii_digit());
    let year_m = c.get(4).or_else(|| c.get(5));
    if year_m.is_none() && (is_word || !prefixed) && next_is_alnum(s, mon.end()) {
        return None;
    }
    if let Some(ym) = year_m
        && char_at(s, ym.end()).is_some_and(|c| c.is_ascii_digit())
    {
        return None;
    }
    let y = year_m.and_then(|m| m.as_str().parse::<i32>().ok());
    if y.is_none() && !prefixed {
        return None;
    }
    let d = digits(day.as_str())?;
    Some((
        day_point(y, mo, d).map_or_else(Kind::Invalid, Kind::Pt),
        lunar,
    ))
}

/// `14/8/2006`, `20-6-2020`, `5.3.2021`: a day in numbers.
fn day_num(s: &str, c: &Captures<'_>) -> Option<(Kind, bool)> {
    let prefixed = c.get(1).is_some();
    let day = c.get(2)?;
    let (s1, s2) = (c.get(3)?.as_str(), c.get(5)?.as_str());
    let ym = c.get(6)?;
    if s1 != s2 {
        return None;
    }
    if char_before(s, day.start()).is_some_and(|ch| {
        ch.is_ascii_digit()
            || matches!(ch, '/' | '.' | ':' | ',')
            || (!prefixed && ch.is_alphabetic())
    }) {
        return None;
    }
    let after = char_at(s, ym.end());
    if after.is_some_and(|ch| ch.is_ascii_digit()) {
        return None;
    }
    if after.is_some_and(|ch| matches!(ch, '/' | '-' | '.'))
        && char_at(s, ym.end() + 1).is_some_and(|ch| ch.is_alphanumeric())
    {
        return None;
    }
    let y: i32 = if ym.as_str().len() == 2 {
        if s1 != "/" {
            return None;
        }
        let yy: i32 = ym.as_str().parse().ok()?;
        if yy < 50 { 2000 + yy } else { 1900 + yy }
    } else {
        ym.as_str().parse().ok()?
    };
    if s1 == "." && !prefixed && ym.as_str().len() != 4 {
        return None;
    }
    let d = digits(day.as_str())?;
    let mo = digits(c.get(4)?.as_str())?;
    match day_point(Some(y), mo, d) {
        Ok(p) => Some((Kind::Pt(p), false)),
        Err(e) if prefixed => Some((Kind::Invalid(e), false)),
        Err(_) => None,
    }
}

/// `ngày 5/3`: a day without a year.
fn day_part(s: &str, c: &Captures<'_>) -> Option<(Kind, bool)> {
    let m = c.get(0)?;
    if prev_is_alnum(s, m.start()) {
        return None;
    }
    let rest = &s[m.end()..];
    let t = rest.trim_start_matches([' ', '\t']);
    if t.starts_with(|ch: char| ch.is_ascii_digit())
        || (t.starts_with(['/', '.', '-'])
            && t[1..]
                .trim_start()
                .starts_with(|ch: char| ch.is_ascii_digit()))
    {
        return None;
    }
    let d = digits(c.get(2)?.as_str())?;
    let mo = digits(c.get(3)?.as_str())?;
    day_point(None, mo, d).ok().map(|p| (Kind::Pt(p), false))
}

/// `ngày … tháng … năm 2021`: a date left blank.
fn draft(s: &str, c: &Captures<'_>) -> Option<(Kind, bool)> {
    let m = c.get(0)?;
    if prev_is_alnum(s, m.start()) {
        return None;
    }
    let y = c.get(1).and_then(|y| y.as_str().parse().ok());
    Some((Kind::Draft(y), false))
}

/// `6 tháng đầu năm 2021`: a half-year.
fn half(s: &str, c: &Captures<'_>) -> Option<(Kind, bool)> {
    let m = c.get(0)?;
    if prev_is_alnum(s, m.start()) {
        return None;
    }
    let h = if fold(c.get(2)?.as_str()).starts_with('d') {
        1
    } else {
        2
    };
    let y = c.get(3).and_then(|y| y.as_str().parse().ok());
    if c.get(3).is_some_and(|y| next_is_alnum(s, y.end())) {
        return None;
    }
    Some((Kind::Pt(Point::Half { y, h }), false))
}

/// `9 tháng đầu năm 2021`: the first months of a year.
fn nmonths(s: &str, c: &Captures<'_>) -> Option<(Kind, bool)> {
    let m = c.get(0)?;
    if prev_is_alnum(s, m.start()) {
        return None;
    }
    let (n, _) = month_word(c.get(1)?.as_str())?;
    let y: Option<i32> = c.get(3).and_then(|y| y.as_str().parse().ok());
    if !(1..=12).contains(&n) || (c.get(2).is_none() && y.is_none()) {
        return None;
    }
    if c.get(3).is_some_and(|y| next_is_alnum(s, y.end())) {
        return None;
    }
    Some((
        Kind::Span(Point::Month { y, m: 1 }, Point::Month { y, m: n }),
        false,
    ))
}

/// `quý I/2021`: a quarter.
fn quarter(s: &str, c: &Captures<'_>) -> Option<(Kind, bool)> {
    let m = c.get(0)?;
    if prev_is_alnum(s, m.start()) {
        return None;
    }
    let w = c.get(1)?;
    let y: Option<i32> = c.get(2).and_then(|y| y.as_str().parse().ok());
    let end = c.get(2).map_or(w.end(), |y| y.end());
    if next_is_alnum(s, end) {
        return None;
    }
    let q = quarter_word(w.as_str())?;
    Some((Kind::Pt(Point::Quarter { y, q }), false))
}

/// `tháng 3/2021`, `tháng Ba năm 2021`: a month.
fn month(s: &str, c: &Captures<'_>) -> Option<(Kind, bool)> {
    let m = c.get(0)?;
    if prev_is_alnum(s, m.start()) {
        return None;
    }
    let w = c.get(1)?;
    let y: Option<i32> = c.get(2).and_then(|y| y.as_str().parse().ok());
    let end = c.get(2).map_or(w.end(), |y| y.end());
    if next_is_alnum(s, end) {
        return None;
    }
    let (mo, lunar) = month_word(w.as_str())?;
    if !(1..=12).contains(&mo) || y.is_some_and(|y| !plausible_year(y)) {
        return None;
    }
    Some((Kind::Pt(Point::Month { y, m: mo }), lunar))
}

/// `năm 2021`, `giai đoạn 2021 - 2025`: a year (with a label) or a range of years.
fn year(s: &str, c: &Captures<'_>) -> Option<(Kind, bool)> {
    let m = c.get(0)?;
    let label = c.get(1);
    let a = c.get(2)?;
    if label.is_some() && prev_is_alnum(s, m.start()) {
        return None;
    }
    if char_before(s, a.start())
        .is_some_and(|ch| ch.is_alphanumeric() || matches!(ch, '/' | '.' | ',' | ':' | '-' | '–'))
    {
        return None;
    }
    let end = c.get(3).map_or(a.end(), |b| b.end());
    if char_at(s, end).is_some_and(|ch| ch.is_alphanumeric() || ch == '/')
        || (char_at(s, end) == Some('.')
            && char_at(s, end + 1).is_some_and(|ch| ch.is_ascii_digit()))
    {
        return None;
    }
    let ya: i32 = a.as_str().parse().ok()?;
    if !plausible_year(ya) {
        return None;
    }
    if let Some(b) = c.get(3) {
        let yb: i32 = b.as_str().parse().ok()?;
        if plausible_year(yb) && yb > ya && yb - ya <= 50 {
            return Some((Kind::Span(Point::Year(ya), Point::Year(yb)), false));
        }
        return None;
    }
    label?;
    Some((Kind::Pt(Point::Year(ya)), false))
}

/// `hằng năm`, `định kỳ hằng quý`: a recurring date.
fn recurring(s: &str, c: &Captures<'_>) -> Option<(Kind, bool)> {
    let m = c.get(0)?;
    if prev_is_alnum(s, m.start()) || next_is_alnum(s, m.end()) {
        return None;
    }
    Some((Kind::Recurring, false))
}

/// `năm nay`, `tháng tới`: a date relative to the writing.
fn relative(s: &str, c: &Captures<'_>) -> Option<(Kind, bool)> {
    let m = c.get(0)?;
    if prev_is_alnum(s, m.start()) || next_is_alnum(s, m.end()) {
        return None;
    }
    Some((Kind::Relative, false))
}

/// What [`year`] rejects by the match `m` alone: a number that goes on ("12345",
/// "1234/QĐ", "2021.5"), or one glued to what is before it (no label, so the match opens
/// with the digits).
fn year_may_accept(s: &str, m: Range<usize>) -> bool {
    let end = m.end;
    if char_at(s, end).is_some_and(|ch| ch.is_alphanumeric() || ch == '/')
        || (char_at(s, end) == Some('.')
            && char_at(s, end + 1).is_some_and(|ch| ch.is_ascii_digit()))
    {
        return false;
    }
    !(s[m.clone()].starts_with(|ch: char| ch.is_ascii_digit())
        && char_before(s, m.start).is_some_and(|ch| {
            ch.is_alphanumeric() || matches!(ch, '/' | '.' | ',' | ':' | '-' | '–')
        }))
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

struct Prefix {
    start: usize,
    relation: Option<Relation>,
    time: Option<String>,
}

fn prefix(s: &str, at: usize) -> Prefix {
    let (wstart, w) = window_before(s, at, 60);
    let none = Prefix {
        start: at,
        relation: None,
        time: None,
    };
    let Some(c) = PREFIX.captures(w) else {
        return none;
    };
    let Some(m) = c.get(0) else { return none };
    if prev_is_alnum(s, wstart + m.start()) {
        return none;
    }
    let (relation, time) = if c.get(1).is_some() {
        (Some(Relation::From), None)
    } else if c.get(2).is_some() || c.get(7).is_some() {
        (Some(Relation::Until), None)
    } else if c.get(3).is_some() {
        let time = c
            .get(4)
            .and_then(|h| h.as_str().parse::<u32>().ok())
            .map(|h| {
                let mi = c
                    .get(5)
                    .and_then(|x| x.as_str().parse::<u32>().ok())
                    .unwrap_or(0);
                format!("{h:02}:{mi:02}")
            });
        (Some(Relation::Before), time)
    } else if c.get(6).is_some() {
        (Some(Relation::After), None)
    } else {
        return none;
    };
    Prefix {
        start: wstart + m.start(),
        relation,
        time,
    }
}

fn kind_year(k: &Kind) -> Option<i32> {
    match k {
        Kind::Pt(p) => p.year(),
        Kind::Pts(ps) => ps.first().and_then(|p| p.year()),
        Kind::Span(_, b) => b.year(),
        _ => None,
    }
}

fn make(
    s: &str,
    span: Range<usize>,
    start: Point,
    end: Option<Point>,
    relation: Option<Relation>,
    time: Option<String>,
) -> DateItem {
    let text = s.get(span.clone()).unwrap_or("").to_string();
    match end {
        Some(end) => DateItem {
            value: format!("{}/{}", start.iso(), end.iso()),
            grain: Grain::Range,
            start: Some(start.iso()),
            end: Some(end.iso()),
            relation,
            time,
            text,
            span,
        },
        None => DateItem {
            value: start.iso(),
            grain: start.grain(),
            start: None,
            end: None,
            relation,
            time,
            text,
            span,
        },
    }
}

fn special(s: &str, span: Range<usize>, grain: Grain) -> DateItem {
    let value = if grain == Grain::Recurring {
        "recurring"
    } else {
        "relative"
    };
    DateItem {
        value: value.into(),
        grain,
        start: None,
        end: None,
        relation: None,
        time: None,
        text: s.get(span.clone()).unwrap_or("").to_string(),
        span,
    }
}

/// Finds every date expression in `s`, skipping document numbers.
pub(crate) fn find_dates(s: &str, symbols: &[Found], diags: &mut Vec<Diagnostic>) -> Vec<DateItem> {
    let mut kept = leftmost_longest(atoms(s), symbols);
    share_years(s, &mut kept);
    let mut items = Vec::new();
    let mut i = 0;
    while i < kept.len() {
        let a = &kept[i];
        let next = kept.get(i + 1);
        if a.lunar {
            diags.push(Diagnostic::new(
                Severity::Warning,
                "lunar-month",
                "giêng and chạp usually name lunar months; read as months 1 and 12",
                Some(a.span.clone()),
            ));
        }
        if lone_atom(s, a, &mut items, diags) {
            i += 1;
            continue;
        }
        if let Some(item) = yearless_then_recurring(s, a, next) {
            items.push(item);
            i += 2;
            continue;
        }
        let pre = prefix(s, a.span.start);
        check_weekday(s, a, &pre, diags);
        if let Some(item) = from_to(s, a, &pre, next) {
            items.push(item);
            i += 2;
            continue;
        }
        push_atom(s, a, pre, &mut items);
        i += 1;
    }
    items
}

/// The atoms outside document numbers, overlaps resolved: the leftmost first, then the
/// longest, then the one of higher priority.
fn leftmost_longest(mut all: Vec<Atom>, symbols: &[Found]) -> Vec<Atom> {
    let mut spans: Vec<Range<usize>> = symbols.iter().map(|f| f.span.clone()).collect();
    spans.sort_by_key(|r| r.start);
    all.retain(|a| {
        // Symbols do not overlap one another: only the first ending after `a` starts can.
        let i = spans.partition_point(|r| r.end <= a.span.start);
        !spans.get(i).is_some_and(|r| overlaps(r, &a.span))
    });
    all.sort_by(|a, b| {
        a.span
            .start
            .cmp(&b.span.start)
            .then(b.span.end.cmp(&a.span.end))
            .then(a.prio.cmp(&b.prio))
    });
    let mut kept: Vec<Atom> = Vec::new();
    for a in all {
        if kept.last().is_none_or(|k| a.span.start >= k.span.end) {
            kept.push(a);
        }
    }
    kept
}

/// A year written once for a list or a range (`ngày 5/3 và 7/3/2021`, `từ tháng 3 đến
/// tháng 5/2021`): filled in from the right.
fn share_years(s: &str, kept: &mut [Atom]) {
    for i in (0..kept.len().saturating_sub(1)).rev() {
        let (left, right) = kept.split_at_mut(i + 1);
        let (a, b) = (&mut left[i], &right[0]);
        let gap = s.get(a.span.end..b.span.start).unwrap_or("");
        let from_range = prefix(s, b.span.start).relation == Some(Relation::Until)
            && prefix(s, a.span.start).relation == Some(Relation::From)
            && s.get(a.span.end..prefix(s, b.span.start).start)
                .is_some_and(|g| g.trim_matches([' ', '\t', ',', '\n']).is_empty());
        if !(LIST_GAP.is_match(gap) || from_range) {
            continue;
        }
        let Some(y) = kind_year(&b.kind) else {
            continue;
        };
        if let Kind::Pt(p) = &a.kind
            && p.year().is_none()
        {
            a.kind = Kind::Pt(p.with_year(Some(y)));
        }
    }
}

/// An atom that stands alone: an impossible or a blank date (noted; a blank date's year
/// kept), a recurring or a relative one. Whether `a` was one.
fn lone_atom(s: &str, a: &Atom, items: &mut Vec<DateItem>, diags: &mut Vec<Diagnostic>) -> bool {
    match &a.kind {
        Kind::Invalid(msg) => {
            diags.push(Diagnostic::new(
                Severity::Error,
                "invalid-date",
                format!(
                    "impossible date \"{}\": {msg}",
                    collapse(&s[a.span.clone()])
                ),
                Some(a.span.clone()),
            ));
        }
        Kind::Recurring => items.push(special(s, a.span.clone(), Grain::Recurring)),
        Kind::Relative => items.push(special(s, a.span.clone(), Grain::Relative)),
        Kind::Draft(y) => {
            diags.push(Diagnostic::new(
                Severity::Warning,
                "blank-date",
                "date left blank (a draft or a template)",
                Some(a.span.clone()),
            ));
            if let Some(y) = y {
                items.push(make(s, a.span.clone(), Point::Year(*y), None, None, None));
            }
        }
        _ => return false,
    }
    true
}

/// A day or month without a year right before `hằng năm` / `năm sau` (`next`): one
/// recurring or relative date.
fn yearless_then_recurring(s: &str, a: &Atom, next: Option<&Atom>) -> Option<DateItem> {
    let n = next?;
    let gap = s.get(a.span.end..n.span.start).unwrap_or("x");
    let Kind::Pt(p) = &a.kind else {
        return None;
    };
    if p.year().is_some() || !gap.trim().is_empty() {
        return None;
    }
    let grain = match n.kind {
        Kind::Recurring => Grain::Recurring,
        Kind::Relative => Grain::Relative,
        _ => return None,
    };
    Some(special(s, a.span.start..n.span.end, grain))
}

/// Notes a weekday written before a day (`thứ Hai, ngày …`) that the day does not fall on.
fn check_weekday(s: &str, a: &Atom, pre: &Prefix, diags: &mut Vec<Diagnostic>) {
    if let Kind::Pt(Point::Day { y: Some(y), m, d }) = a.kind
        && let (wstart, w) = window_before(s, pre.start, 30)
        && let Some(c) = WEEKDAY.captures(w)
        && !prev_is_alnum(s, wstart + c.get(0).map_or(0, |m| m.start()))
    {
        let named = match c.get(1).map(|x| fold(x.as_str())) {
            Some(x) => match x.as_str() {
                "hai" | "2" => 1,
                "ba" | "3" => 2,
                "tu" | "4" => 3,
                "nam" | "5" => 4,
                "sau" | "6" => 5,
                "bay" | "7" => 6,
                _ => 7,
            },
            None => 0,
        };
        if named != weekday(y, m, d) {
            diags.push(Diagnostic::new(
                Severity::Warning,
                "weekday-mismatch",
                format!("the weekday written does not fall on {y:04}-{m:02}-{d:02}"),
                Some(wstart + c.get(0).map_or(0, |m| m.start())..a.span.end),
            ));
        }
    }
}

/// `từ X đến Y`: `a` after `từ` (its prefix `pre`) and `next` after `đến`, nothing but
/// blanks and commas between, as one range.
fn from_to(s: &str, a: &Atom, pre: &Prefix, next: Option<&Atom>) -> Option<DateItem> {
    if pre.relation != Some(Relation::From) {
        return None;
    }
    let n = next?;
    let npre = prefix(s, n.span.start);
    let between = s.get(a.span.end..npre.start).unwrap_or("x");
    if npre.relation != Some(Relation::Until)
        || !between.trim_matches([' ', '\t', ',', '\n']).is_empty()
    {
        return None;
    }
    let start = match &a.kind {
        Kind::Pt(p) => *p,
        Kind::Span(p, _) => *p,
        _ => return None,
    };
    let end = match &n.kind {
        Kind::Pt(p) => *p,
        Kind::Span(_, p) => *p,
        _ => return None,
    };
    let start = start.with_year(end.year());
    Some(make(s, pre.start..n.span.end, start, Some(end), None, None))
}

/// The dates of an atom `a` with its prefix `pre` (a relation word, a time).
fn push_atom(s: &str, a: &Atom, pre: Prefix, items: &mut Vec<DateItem>) {
    match &a.kind {
        Kind::Pt(p) => {
            items.push(make(
                s,
                pre.start..a.span.end,
                *p,
                None,
                pre.relation,
                pre.time,
            ));
        }
        Kind::Pts(ps) => {
            for p in ps {
                items.push(make(
                    s,
                    a.span.clone(),
                    *p,
                    None,
                    pre.relation,
                    pre.time.clone(),
                ));
            }
        }
        Kind::Span(x, y) => {
            let relation = pre.relation.filter(|r| *r == Relation::Until);
            let mut it = make(s, a.span.clone(), *x, Some(*y), None, None);
            if let Some(r) = relation {
                // `đến hết 6 tháng đầu năm`: keep it a range; the relation is informative.
                it.relation = Some(r);
            }
            items.push(it);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use regex::Regex;

    use super::*;

    #[test]
    fn grain_names_are_those_serde_writes() {
        let all = [
            Grain::Day,
            Grain::Month,
            Grain::Quarter,
            Grain::HalfYear,
            Grain::Year,
            Grain::Range,
            Grain::Recurring,
            Grain::Relative,
        ];
        for g in all {
            let json = serde_json::to_string(&g).expect("a grain serialises");
            assert_eq!(json, format!("\"{}\"", g.as_str()));
            let back: Grain = serde_json::from_str(&json).expect("and reads back");
            assert_eq!(back, g);
        }
    }

    fn check(input: &str, expected: &str) {
        let mut diags = Vec::new();
        let items = find_dates(
            input,
            &crate::extract::symbol::find_symbols(input),
            &mut diags,
        );
        let got: Vec<String> = items.iter().map(|i| i.vector_form()).collect();
        let got = if got.is_empty() {
            if diags.iter().any(|d| d.code == "invalid-date") {
                "invalid".to_string()
            } else {
                "none".to_string()
            }
        } else {
            got.join(";")
        };
        assert_eq!(got, expected, "{input}");
    }

    #[test]
    fn some_forms() {
        check("Đồng Xoài, ngày 14 tháng5 năm 2008", "2008-05-14");
        check("ngày 0 7\ntháng 6 năm 2000", "2000-06-07");
        check("Nghị định số 30/2020/NĐ-CP ngày 05/3/2020", "2020-03-05");
        check("trước 17 giờ ngày 20/7/2021", "<2021-07-20T17:00");
        check("từ ngày 15/3 đến ngày 30/4/2021", "2021-03-15..2021-04-30");
        check("ngày 14/01/2021về", "2021-01-14");
        check("01/ 7 /2004", "2004-07-01");
    }

    #[test]
    fn lower_in_covers_case_folding() {
        let hay: String = (0..=0x10FFFFu32).filter_map(char::from_u32).collect();
        for l in "ồôoùu".chars() {
            let re = Regex::new(&format!("(?i){l}")).unwrap();
            for m in re.find_iter(&hay) {
                let c = m.as_str().chars().next().unwrap();
                assert!(lower_in(c, "ồôoùu"), "{c:?} folds to {l:?}");
            }
        }
    }

    #[test]
    fn may_start_examples() {
        for t in [
            "ngày 14 tháng5 năm 2008",
            "Ngày  mồng 3 tháng Giêng",
            "0 7\ntháng 6",
            "mồng 5/3",
            "NGÀY 05-3-2020",
            "ngày\n5.3.2020",
            "ngày 5, 6 và 7/3/2020",
            "ngày …/…/2020",
            "6 tháng đầu năm 2021",
            "Sáu tháng cuối năm",
            "ſáu tháng cuối năm",
            "9 tháng đầu năm",
            "năm học 2020-2021",
            "2020–2021",
            "năm nay",
            "Quý tới",
            "tháng\ttiếp theo",
            "٣/٤/٢٠٢٠",
            "12 tháng đầu năm 2021",
            "mười hai tháng năm",
            "ngày 12 tháng 12 năm 2020",
            "ngày 12/12/2020",
            "ngày 12, 13 và 14/3/2020",
            "mồng 12/3",
            "12 tháng năm",
        ] {
            check_may_start(t);
        }
    }

    /// Panics unless every atom pattern that matches at some char of `s` passes its test there.
    fn check_may_start(s: &str) {
        let anchored = &*ATOM_AT;
        for (a, _) in s.char_indices() {
            let first = s[a..].chars().next().unwrap();
            for (k, (_, may_start, shape, quick_end)) in atom_patterns().iter().enumerate() {
                if let Some(end) = quick_end(&s[a..]) {
                    let by_regex = anchored[k].find(&s[a..]).map(|m| m.end());
                    assert_eq!(end, by_regex, "pattern {k} at {a} in {s:?}");
                }
                if anchored[k].is_match(&s[a..]) {
                    assert!(may_start(first), "pattern {k} at {a} in {s:?}");
                    assert!(may_start_set(first) & 1 << k != 0);
                    if first.is_ascii() {
                        assert_eq!(ASCII_MAY_START[first as usize], may_start_set(first));
                    }
                    assert!(shape(&s[a..]), "pattern {k} at {a} in {s:?}");
                }
            }
        }
    }

    /// Words and numbers of date expressions, in several cases and digits.
    fn date_word() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "ngày", "Ngày", "NGÀY", "ngay", "ngạy", "mồng", "Mồng", "mùng", "tháng", "Tháng",
            "thang", "năm", "Năm", "nam", "quý", "Quý", "tuần", "nay", "này", "tới", "sau", "Sáu",
            "ſáu", "trước", "qua", "tiếp", "theo", "hằng", "định", "kỳ", "đầu", "cuối", "học",
            "nhiệm", "giai", "đoạn", "thời", "hai", "ba", "bốn", "mười", "một", "giêng", "chạp",
            "và", "va", "I", "IV", "6", "1", "12", "05", "2021", "1999", "٣", "½", "x", "", "",
        ])
    }

    /// What goes between two words: mostly one space.
    fn date_sep() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            " ", " ", " ", " ", " ", "", "  ", "\t", "\n", "\u{a0}", "/", " / ", ".", "-", "–",
            "—", " - ", ", ", ":", "_", "…", "*",
        ])
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20000))]
        #[test]
        fn may_start_holds_where_patterns_match(
            tokens in proptest::collection::vec((date_word(), date_sep()), 0..10)
        ) {
            let s: String = tokens.iter().flat_map(|(w, sep)| [*w, *sep]).collect();
            check_may_start(&s);
        }
    }
}
