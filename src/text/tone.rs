//! Tone placement: the rule of `reference/text.md` §2.2, per syllable.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Where tone marks go in open syllables with `oa`, `oe`, `uy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ToneStyle {
    /// As written.
    #[default]
    Keep,
    /// Old style: `hòa`, `thủy`, `Ủy`.
    Old,
    /// New style: `hoà`, `thuỷ`, `Uỷ`.
    New,
}

/// Re-places tone marks in every syllable of `s` in the given style (and repairs misplaced
/// marks such as `qủa` → `quả`). [`ToneStyle::Keep`] still repairs misplaced marks.
///
/// Words are runs of letters and combining marks. A word that is not a Vietnamese
/// syllable (wrong letters, no vowel, a final that Vietnamese does not have) or that
/// carries two different tone marks is left exactly as written. Syllables that are
/// rewritten come out in NFC; every letter keeps its case (`UỶ` ↔ `ỦY`).
pub fn place_tones(s: &str, style: ToneStyle) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut copied = 0;
    let mut word_start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        let in_word = c.is_alphabetic() || is_combining_mark(c);
        match (word_start, in_word) {
            (None, true) => word_start = Some(i),
            (Some(start), false) => {
                word_start = None;
                if let Some(new) = syllable(&s[start..i], style) {
                    out.push_str(&s[copied..start]);
                    out.push_str(&new);
                    copied = i;
                }
            }
            _ => {}
        }
    }
    out.push_str(&s[copied..]);
    out
}

/// The longest Vietnamese syllable has 7 letters (`nghiêng`).
const MAX_LETTERS: usize = 7;

/// One letter of a syllable, decomposed, without its tone mark.
#[derive(Clone, Copy)]
struct Letter {
    /// The base letter as written (case kept).
    base: char,
    /// Circumflex, breve or horn, if any.
    modifier: Option<char>,
    /// The letter in lower case, with its modifier, without tone (`ơ`, `đ`, `a`).
    lower: char,
}

/// The syllable `word` with its tone re-placed, or `None` if it stays as written.
fn syllable(word: &str, style: ToneStyle) -> Option<String> {
    if word.is_ascii() {
        return None;
    }
    let mut letters = [Letter {
        base: ' ',
        modifier: None,
        lower: ' ',
    }; MAX_LETTERS];
    let mut n = 0;
    let mut tone = None;
    let mut tone_at = 0;
    for c in word.nfd() {
        if is_tone(c) {
            match tone {
                _ if n == 0 => return None,
                None => (tone, tone_at) = (Some(c), n - 1),
                Some(t) if t == c => {}
                Some(_) => return None,
            }
        } else if is_combining_mark(c) {
            let last = letters[..n].last_mut()?;
            if last.modifier.replace(c).is_some() {
                return None;
            }
        } else {
            if n == MAX_LETTERS {
                return None;
            }
            letters[n] = Letter {
                base: c,
                modifier: None,
                lower: ' ',
            };
            n += 1;
        }
    }
    let letters = &mut letters[..n];
    for l in letters.iter_mut() {
        l.lower = lower_letter(l.base, l.modifier)?;
    }
    let at = tone_position(letters, style, tone_at)?;
    let mut out = String::with_capacity(word.len() + 4);
    for (i, l) in letters.iter().enumerate() {
        out.push(l.base);
        out.extend(l.modifier);
        if i == at {
            out.extend(tone);
        }
    }
    let out: String = out.nfc().collect();
    (out != word).then_some(out)
}

fn is_tone(c: char) -> bool {
    matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}')
}

/// The Vietnamese letter (lower case, toneless) written as `base` + `modifier`.
fn lower_letter(base: char, modifier: Option<char>) -> Option<char> {
    let lower = match base {
        'A'..='Z' => base.to_ascii_lowercase(),
        'Đ' => 'đ',
        _ => base,
    };
    match (lower, modifier) {
        ('f' | 'j' | 'w' | 'z', _) => None,
        ('a'..='z' | 'đ', None) => Some(lower),
        ('a', Some('\u{306}')) => Some('ă'),
        ('a', Some('\u{302}')) => Some('â'),
        ('e', Some('\u{302}')) => Some('ê'),
        ('o', Some('\u{302}')) => Some('ô'),
        ('o', Some('\u{31B}')) => Some('ơ'),
        ('u', Some('\u{31B}')) => Some('ư'),
        _ => None,
    }
}

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

fn has_modifier(c: char) -> bool {
    matches!(c, 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư')
}

const INITIALS: [&str; 9] = ["ngh", "ng", "nh", "ch", "gh", "kh", "ph", "th", "tr"];
const FINALS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// The index of the letter that carries the tone (§2.2 steps 3-5), or `None` if the
/// letters are not a Vietnamese syllable. `written_at` is where the tone was written.
fn tone_position(letters: &[Letter], style: ToneStyle, written_at: usize) -> Option<usize> {
    let lower: Vec<char> = letters.iter().map(|l| l.lower).collect();
    let starts = |p: &str| p.chars().zip(&lower).filter(|(a, b)| a == *b).count() == p.len();
    let vowel_at = |i: usize| lower.get(i).is_some_and(|&c| is_vowel(c));
    let initial = if (starts("qu") || starts("gi")) && vowel_at(2) {
        2
    } else if let Some(p) = INITIALS.iter().find(|p| starts(p)) {
        p.len()
    } else if lower.first().is_some_and(|&c| !is_vowel(c) && c != 'q') {
        1
    } else {
        0
    };
    let vowels = lower[initial..]
        .iter()
        .take_while(|&&c| is_vowel(c))
        .count();
    let nucleus = initial..initial + vowels;
    let last = nucleus.end.checked_sub(1)?;
    let fin: String = lower[nucleus.end..].iter().collect();
    if !(1..=3).contains(&vowels) || !FINALS.contains(&fin.as_str()) {
        return None;
    }
    if let Some(i) = nucleus.clone().rev().find(|&i| has_modifier(lower[i])) {
        return Some(i);
    }
    if !fin.is_empty() {
        return Some(last);
    }
    let first = nucleus.start;
    Some(match (vowels, lower[first], lower[last]) {
        (3, ..) => first + 1,
        (2, 'o', 'a' | 'e') | (2, 'u', 'y') => match style {
            ToneStyle::Old => first,
            ToneStyle::New => last,
            ToneStyle::Keep if written_at == last => last,
            ToneStyle::Keep => first,
        },
        _ => first,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, keep: &str, old: &str, new: &str) {
        assert_eq!(place_tones(input, ToneStyle::Keep), keep, "Keep: {input:?}");
        assert_eq!(place_tones(input, ToneStyle::Old), old, "Old: {input:?}");
        assert_eq!(place_tones(input, ToneStyle::New), new, "New: {input:?}");
    }

    #[test]
    fn places_tones() {
        for (input, keep, old, new) in [
            ("hoà", "hoà", "hòa", "hoà"),
            ("hòa", "hòa", "hòa", "hoà"),
            ("UỶ", "UỶ", "ỦY", "UỶ"),
            ("Ủy ban", "Ủy ban", "Ủy ban", "Uỷ ban"),
            ("qủa", "quả", "quả", "quả"),
            ("hòan", "hoàn", "hoàn", "hoàn"),
            ("lựơng", "lượng", "lượng", "lượng"),
            ("gìa gì gìn", "già gì gìn", "già gì gìn", "già gì gìn"),
            ("khủyu", "khuỷu", "khuỷu", "khuỷu"),
            ("dàì tíếng", "dài tiếng", "dài tiếng", "dài tiếng"),
            ("QÚY", "QUÝ", "QUÝ", "QUÝ"),
            // Two different marks: unchanged, whatever the style.
            ("hòá", "hòá", "hòá", "hòá"),
            // Not Vietnamese: unchanged.
            (
                "café façade naïve",
                "café façade naïve",
                "café façade naïve",
                "café façade naïve",
            ),
            ("Wòa hòaz qù", "Wòa hòaz qù", "Wòa hòaz qù", "Wòa hòaz qù"),
            // Words split at non-letters; the rest is kept byte for byte.
            (
                "(hoà)-thuỷ,2021\u{A0}xoá.",
                "(hoà)-thuỷ,2021\u{A0}xoá.",
                "(hòa)-thủy,2021\u{A0}xóa.",
                "(hoà)-thuỷ,2021\u{A0}xoá.",
            ),
            // Decomposed input comes out composed.
            ("ho\u{300}a", "hòa", "hòa", "hoà"),
            ("Nguye\u{301}\u{302}n", "Nguyến", "Nguyến", "Nguyến"),
            ("", "", "", ""),
            // Keep: a doubled mark on oa/oe/uy stays where it was first written.
            ("hòà", "hòa", "hòa", "hoà"),
            (
                "ĐOÀN Đoàn đòan",
                "ĐOÀN Đoàn đoàn",
                "ĐOÀN Đoàn đoàn",
                "ĐOÀN Đoàn đoàn",
            ),
            ("khủyu ngoaỳ", "khuỷu ngoày", "khuỷu ngoày", "khuỷu ngoày"),
            // `gi` alone: the i is the vowel.
            ("gỉ gịa", "gỉ giạ", "gỉ giạ", "gỉ giạ"),
        ] {
            check(input, keep, old, new);
        }
    }
}
