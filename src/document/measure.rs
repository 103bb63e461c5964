//! Approximate text widths in Times New Roman (Liberation Serif has the same metrics),
//! used to size the solid rules that must be as long as a line of text.
//!
//! Widths are the Adobe Times-Roman / Times-Bold advance widths per 1000 em for ASCII;
//! a Vietnamese letter takes the width of its base letter (precomposed glyphs keep it).
//!
//! FIXME: this is a second source of widths beside the faces in [`fonts`](super::fonts),
//! which the PDF breaks lines by. They agree on ASCII and on letters with tone marks, and
//! differ on the horned letters (`ư ơ` get a flat 60/1000 em more than `u o` here, their
//! toned forms `ừ ợ` none, up to 74/1000 em off either way) and on punctuation outside
//! ASCII (`“ ” – …` taken as `n` here). Kept so that the rules under the header stay as long as they were:
//! measuring with `fonts` lengthens the rule under `Độc lập - Tự do - Hạnh phúc` from 3415
//! to 3427 twips.

use unicode_normalization::char::decompose_canonical;

use super::TextStyle;

// Advance widths for b' '..=b'~' (95 glyphs), regular then bold.
const REGULAR: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250,
    278, // ' '..'/'
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564,
    444, // '0'..'?'
    921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722,
    722, // '@'..'O'
    556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469,
    500, // 'P'..'_'
    333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500,
    500, // '`'..'o'
    500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541, // 'p'..'~'
];
const BOLD: [u16; 95] = [
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, //
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, //
    930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, //
    611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581, 500, //
    333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, //
    556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520, //
];

fn advance(c: char, bold: bool) -> u32 {
    let table = if bold { &BOLD } else { &REGULAR };
    let base = match c {
        'đ' => 'd',
        'Đ' => 'D',
        'ư' => 'u',
        'Ư' => 'U',
        'ơ' => 'o',
        'Ơ' => 'O',
        c if c.is_ascii() => c,
        c => {
            let mut first = None;
            decompose_canonical(c, |d| {
                if first.is_none() {
                    first = Some(d);
                }
            });
            match first {
                Some('ư') | Some('Ư') | Some('ơ') | Some('Ơ') => {
                    return advance(first.unwrap_or('o'), bold);
                }
                Some(d) if d.is_ascii() => d,
                _ => 'n',
            }
        }
    };
    let i = (base as u32).saturating_sub(32) as usize;
    let w = table.get(i).copied().unwrap_or(500) as u32;
    // ư and ơ carry a horn that widens them a little.
    if matches!(c, 'ư' | 'ơ' | 'Ư' | 'Ơ') {
        w + 60
    } else {
        w
    }
}

/// Width of `text` on one line in `style`, in twips.
pub(crate) fn width(text: &str, style: TextStyle) -> u32 {
    let em: u32 = text.chars().map(|c| advance(c, style.bold)).sum();
    // em/1000 × (size/2) pt × 20 twips/pt
    em * style.size / 100
}

#[cfg(test)]
mod tests {
    use super::*;

    fn width_twips(text: &str, size: u32, bold: bool) -> u32 {
        let style = TextStyle {
            size,
            bold,
            italic: false,
            caps: false,
        };
        width(text, style)
    }

    #[test]
    fn widths_follow_times_metrics() {
        // "W" bold 1000/1000 em at 14 pt = 14 pt = 280 twips.
        assert_eq!(width_twips("W", 28, true), 280);
        assert_eq!(width_twips("a", 28, false), 444 * 28 / 100);
        // Vietnamese letters take the base letter's width.
        assert_eq!(width_twips("Ộ", 26, true), width_twips("O", 26, true));
        let motto = width_twips("Độc lập - Tự do - Hạnh phúc", 28, true);
        assert!((3000..4200).contains(&motto), "{motto}");
    }
}
