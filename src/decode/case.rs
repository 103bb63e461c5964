//! Heading case for TCVN3 (ABC): the encoding has no capitals with a tone, so a heading
//! drawn in capitals by a `.VnTimeH` font decodes as `CộNG HòA`. This puts the capitals back.

use super::detect::syllable_ok;
use super::letters::{is_hidden_capital, letter, upper};

/// Restores the capitals of toned letters in TCVN3 (ABC) headings.
///
/// A *hidden capital* is a small letter with a tone (`ộ`, `à`, …): ABC has no byte for
/// its capital, so upper-case headings are typed with it. It is made a capital when
/// - its word has no small letter other than hidden capitals, and either at least two
///   capitals (`CộNG` → `CỘNG`, `HòA` → `HÒA`) or it starts the word before a capital
///   (`ủY` → `ỦY`); or
/// - its word has no other small letter and the segment around it (a line, or a cell of a
///   tab-separated line) is a heading: at least two words in capitals that are Vietnamese
///   syllables (not abbreviations like `UBND`), and at least 10 times as many capitals as
///   small letters, hidden capitals not counted (`Hà` in `TỈNH Hà GIANG`, `Xã` in
///   `CỘNG HÒA Xã HỘI`, but not `Số` in `Số: 12/QĐ-UBND`).
///
/// Segments are lines, tab-separated cells and columns laid out with 3+ spaces.
/// Title-case words (`Hà Nội`, `Uỷ ban`) and headings typed wholly in small letters for a
/// `…H` font (no capitals to go by) are left as they are, and so are sentence starts
/// (`1. ủy ban`): faithful transcripts of ABC documents keep them small.
pub fn restore_heading_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for segment in segments(text) {
        if may_change(segment) {
            restore_segment(segment, &mut out);
        } else {
            out.push_str(segment);
        }
    }
    out
}

/// Lines, tab-separated cells and columns laid out with runs of 3+ spaces, each with the
/// separator that ends it.
fn segments(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut spaces = 0;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let b = bytes[i];
            i += 1;
            let cut = match b {
                b'\n' | b'\t' => true,
                b' ' => {
                    spaces += 1;
                    spaces >= 3 && bytes.get(i) != Some(&b' ')
                }
                _ => false,
            };
            if b != b' ' {
                spaces = 0;
            }
            if cut {
                spaces = 0;
                let seg = &text[start..i];
                start = i;
                return Some(seg);
            }
        }
        (start < bytes.len()).then(|| {
            let seg = &text[start..];
            start = bytes.len();
            seg
        })
    })
}

/// A quick one-pass test: could either rule change something in `segment`?
fn may_change(segment: &str) -> bool {
    let (mut upper, mut lower, mut hidden) = (0usize, 0usize, false);
    // The current word: capitals, small letters (hidden capitals apart), hidden capitals.
    let (mut w_upper, mut w_lower, mut w_hidden, mut w_first_hidden, mut w_len) =
        (0usize, 0usize, false, false, 0usize);
    let word_may_change = |w_upper: usize, w_lower: usize, w_hidden: bool, w_first_hidden: bool| {
        w_hidden && w_lower == 0 && (w_upper >= 2 || (w_first_hidden && w_upper >= 1))
    };
    for c in segment.chars() {
        let (is_upper, is_lower, is_hidden) = if c.is_ascii() {
            (c.is_ascii_uppercase(), c.is_ascii_lowercase(), false)
        } else if let Some(l) = letter(c) {
            (l.upper, !l.upper && l.tone == 0, !l.upper && l.tone != 0)
        } else {
            (c.is_uppercase(), c.is_lowercase(), false)
        };
        if !(is_upper || is_lower || is_hidden || (!c.is_ascii() && c.is_alphabetic())) {
            if word_may_change(w_upper, w_lower, w_hidden, w_first_hidden) {
                return true;
            }
            (w_upper, w_lower, w_hidden, w_first_hidden, w_len) = (0, 0, false, false, 0);
            continue;
        }
        w_first_hidden |= w_len == 0 && is_hidden;
        w_len += 1;
        upper += usize::from(is_upper);
        lower += usize::from(is_lower);
        hidden |= is_hidden;
        w_upper += usize::from(is_upper);
        w_lower += usize::from(is_lower);
        w_hidden |= is_hidden;
    }
    word_may_change(w_upper, w_lower, w_hidden, w_first_hidden)
        || (hidden && upper >= 3 && upper >= 10 * lower)
}

#[derive(Default, Clone, Copy)]
struct Counts {
    upper: usize,
    lower: usize,
}

fn count(s: &str) -> Counts {
    let mut c = Counts::default();
    for ch in s.chars() {
        if is_hidden_capital(ch) {
            continue;
        }
        if ch.is_uppercase() {
            c.upper += 1;
        } else if ch.is_lowercase() {
            c.lower += 1;
        }
    }
    c
}

fn words(segment: &str) -> impl Iterator<Item = &str> {
    segment
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
}

/// A word in capitals: no small letter but hidden capitals, and enough capitals to tell
/// it from a title-case word.
fn caps_word(word: &str) -> bool {
    let c = count(word);
    let first_hidden = word.chars().next().is_some_and(is_hidden_capital);
    c.lower == 0 && (c.upper >= 2 || (first_hidden && c.upper >= 1))
}

fn restore_segment(segment: &str, out: &mut String) {
    let line = count(segment);
    let caps_syllables = words(segment)
        .filter(|w| w.chars().nth(1).is_some() && caps_word(w) && syllable_ok(w))
        .count();
    let caps_segment = caps_syllables >= 2 && line.upper >= 10 * line.lower;
    let mut rest = segment;
    while !rest.is_empty() {
        // Non-letters are copied; a word is a run of letters.
        let word_start = rest.find(char::is_alphabetic).unwrap_or(rest.len());
        out.push_str(&rest[..word_start]);
        rest = &rest[word_start..];
        let word_end = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        let word = &rest[..word_end];
        rest = &rest[word_end..];
        let fix = word.chars().any(is_hidden_capital)
            && (caps_word(word) || (caps_segment && count(word).lower == 0));
        if fix {
            out.extend(
                word.chars()
                    .map(|ch| if is_hidden_capital(ch) { upper(ch) } else { ch }),
            );
        } else {
            out.push_str(word);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::restore_heading_case;

    #[track_caller]
    fn check(input: &str, expected: &str) {
        assert_eq!(restore_heading_case(input), expected, "input: {input}");
    }

    #[test]
    fn heading_words_get_their_capitals_back() {
        check(
            "CộNG HòA Xã HộI CHủ NGHĩA VIệT NAM",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        );
        check("ĐảNG CộNG SảN VIệT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM");
        check("ủY BAN NHâN DâN", "ỦY BAN NHâN DâN");
        check("UBND TỉNH Hà GIANG", "UBND TỈNH HÀ GIANG");
        check("QUYếT ĐịNH\nvề việc", "QUYẾT ĐỊNH\nvề việc");
        check("CHÝNH PHủ\tCộNG HOà", "CHÝNH PHỦ\tCỘNG HOÀ");
        check(
            "Nơi nhận:      T/M BAN THƯờNG Vụ",
            "Nơi nhận:      T/M BAN THƯỜNG VỤ",
        );
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        check(
            "Hà Nội, ngày 31 tháng 3 năm 2003",
            "Hà Nội, ngày 31 tháng 3 năm 2003",
        );
        check("Uỷ ban nhân dân", "Uỷ ban nhân dân");
        check(
            "Cộng hoà xã hội chủ nghĩa việt nam",
            "Cộng hoà xã hội chủ nghĩa việt nam",
        );
        check(
            "Số: 28/2003/NĐ-CP\tĐộc lập - Tự do",
            "Số: 28/2003/NĐ-CP\tĐộc lập - Tự do",
        );
        check("Số: 12/KH-UBND-SNN", "Số: 12/KH-UBND-SNN");
        check("Số: 991/QĐ-UBND", "Số: 991/QĐ-UBND");
        check("", "");
        check("Đảng ủy ủy ban nhân dân", "Đảng ủy ủy ban nhân dân");
        check("kinh tế - ủy ban", "kinh tế - ủy ban");
        check(
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
        );
        check(
            "   1. ủy ban nhân dân tỉnh. ứng phó",
            "   1. ủy ban nhân dân tỉnh. ứng phó",
        );
    }
}
