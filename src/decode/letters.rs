//! Vietnamese letters as (vowel row, tone, case): the lookups shared by the decoders,
//! the encoders, the heading-case repair and detection.

use super::tables::{TONE_MARKS, VOWELS, VOWELS_UPPER};

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

/// Vietnamese letters outside ASCII live in U+00C0..=U+01B0 and U+1EA0..=U+1EF9.
const LATIN_START: u32 = 0xC0;
const LATIN_END: u32 = 0x1B1;
const EXT_START: u32 = 0x1EA0;
const EXT_END: u32 = 0x1EFA;
const NONE: u8 = 0xFF;

const TABLE_LEN: usize = (LATIN_END - LATIN_START + EXT_END - EXT_START) as usize;

/// Packed letters (`row << 4 | upper << 3 | tone`, or [`NONE`]) for the two ranges,
/// built at compile time.
static LETTERS: [u8; TABLE_LEN] = {
    let mut t = [NONE; TABLE_LEN];
    let mut row = 0;
    while row < 12 {
        let mut tone = 0;
        while tone < 6 {
            let pairs = [(VOWELS[row][tone], 0u8), (VOWELS_UPPER[row][tone], 1u8)];
            let mut k = 0;
            while k < 2 {
                let u = pairs[k].0 as u32;
                let i = if u >= LATIN_START && u < LATIN_END {
                    Some((u - LATIN_START) as usize)
                } else if u >= EXT_START && u < EXT_END {
                    Some((LATIN_END - LATIN_START + u - EXT_START) as usize)
                } else {
                    None
                };
                if let Some(i) = i {
                    t[i] = ((row as u8) << 4) | (pairs[k].1 << 3) | tone as u8;
                }
                k += 1;
            }
            tone += 1;
        }
        row += 1;
    }
    t
};

fn slot(c: char) -> Option<usize> {
    let u = c as u32;
    if (LATIN_START..LATIN_END).contains(&u) {
        Some((u - LATIN_START) as usize)
    } else if (EXT_START..EXT_END).contains(&u) {
        Some((LATIN_END - LATIN_START + u - EXT_START) as usize)
    } else {
        None
    }
}

/// The capital of a Vietnamese letter (all of them have a one-char capital).
pub(crate) fn upper(c: char) -> char {
    match letter(c) {
        Some(l) => vowel(l.row, l.tone, true),
        None => c.to_uppercase().next().unwrap_or(c),
    }
}

/// The small letter of `c` (fast for Vietnamese letters).
pub(crate) fn lower(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    match letter(c) {
        Some(l) => vowel(l.row, l.tone, false),
        None => c.to_lowercase().next().unwrap_or(c),
    }
}

#[cfg(test)]
#[test]
fn capitals_table_matches_unicode() {
    for (small, capital) in VOWELS.iter().zip(VOWELS_UPPER.iter()) {
        for (s, c) in small.iter().zip(capital) {
            assert_eq!(s.to_uppercase().next(), Some(*c));
            assert_eq!(letter(*c).map(|l| l.upper), Some(true));
        }
    }
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
        return Some(Letter {
            row,
            tone: 0,
            upper: c.is_ascii_uppercase(),
        });
    }
    let packed = *LETTERS.get(slot(c)?)?;
    (packed != NONE).then_some(Letter {
        row: packed >> 4,
        tone: packed & 7,
        upper: packed & 8 != 0,
    })
}

/// The letter for a vowel row, tone and case.
pub(crate) fn vowel(row: u8, tone: u8, is_upper: bool) -> char {
    let table = if is_upper { &VOWELS_UPPER } else { &VOWELS };
    table[usize::from(row) % 12][usize::from(tone) % 6]
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
