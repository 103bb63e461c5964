//! Vietnamese letters as (vowel row, tone, case): the lookups shared by the decoders,
//! the encoders, the heading-case repair and detection.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::tables::{TONE_MARKS, VOWELS};

/// Row indexes into [`VOWELS`].
pub(crate) const ROW_A: u8 = 0;
pub(crate) const ROW_A_BREVE: u8 = 1;
pub(crate) const ROW_A_CIRC: u8 = 2;
pub(crate) const ROW_E: u8 = 3;
pub(crate) const ROW_E_CIRC: u8 = 4;
pub(crate) const ROW_I: u8 = 5;
pub(crate) const ROW_O: u8 = 6;
pub(crate) const ROW_O_CIRC: u8 = 7;
pub(crate) const ROW_O_HORN: u8 = 8;
pub(crate) const ROW_U: u8 = 9;
pub(crate) const ROW_U_HORN: u8 = 10;
pub(crate) const ROW_Y: u8 = 11;

/// A Vietnamese vowel letter: which vowel, which tone (0 none, 1 huyền, 2 hỏi, 3 ngã,
/// 4 sắc, 5 nặng) and whether it is a capital.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Letter {
    pub(crate) row: u8,
    pub(crate) tone: u8,
    pub(crate) upper: bool,
}

static LETTERS: LazyLock<HashMap<char, Letter>> = LazyLock::new(|| {
    let mut map = HashMap::with_capacity(160);
    for (row, tones) in VOWELS.iter().enumerate() {
        for (tone, &c) in tones.iter().enumerate() {
            let (row, tone) = (row as u8, tone as u8);
            map.insert(c, Letter { row, tone, upper: false });
            map.insert(upper(c), Letter { row, tone, upper: true });
        }
    }
    map
});

/// The capital of a Vietnamese letter (all of them have a one-char capital).
pub(crate) fn upper(c: char) -> char {
    c.to_uppercase().next().unwrap_or(c)
}

/// The vowel letter `c` is, if it is one (ASCII vowels included).
pub(crate) fn letter(c: char) -> Option<Letter> {
    if c.is_ascii() {
        let row = match c.to_ascii_lowercase() {
            'a' => ROW_A,
            'e' => ROW_E,
            'i' => ROW_I,
            'o' => ROW_O,
            'u' => ROW_U,
            'y' => ROW_Y,
            _ => return None,
        };
        return Some(Letter { row, tone: 0, upper: c.is_ascii_uppercase() });
    }
    LETTERS.get(&c).copied()
}

/// The letter for a vowel row, tone and case.
pub(crate) fn vowel(row: u8, tone: u8, is_upper: bool) -> char {
    let c = VOWELS[usize::from(row) % 12][usize::from(tone) % 6];
    if is_upper { upper(c) } else { c }
}

/// `prev` with tone `tone` added, when `prev` is a toneless vowel.
pub(crate) fn compose_tone(prev: char, tone: u8) -> Option<char> {
    let l = letter(prev)?;
    (l.tone == 0 && tone != 0).then(|| vowel(l.row, tone, l.upper))
}

/// The combining mark of a tone (1..=5).
pub(crate) fn tone_mark(tone: u8) -> char {
    TONE_MARKS[usize::from(tone) % 6]
}

/// A small letter with a tone: the letters TCVN3 (ABC) has no capital for, so a heading
/// drawn in capitals by a `.VnTimeH` font decodes to them.
pub(crate) fn is_hidden_capital(c: char) -> bool {
    !c.is_ascii() && letter(c).is_some_and(|l| l.tone != 0 && !l.upper)
}
