//! The match key (equality) and the fold key (accent-insensitive search).

use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::decompose_canonical;

use super::tone::{ToneStyle, place_tones};

/// The key for equality: NFC, `Ð/ð` → `đ`, lower case, old-style tones, so that the
/// writing style never decides a match (`Hoà` and `hòa`, `Uỷ ban` and `ủy ban` have
/// one key). For matching only; never display it.
pub fn match_key(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let lower: String = s
        .nfc()
        .flat_map(char::to_lowercase)
        .map(|c| if c == '\u{F0}' { 'đ' } else { c })
        .collect();
    place_tones(&lower, ToneStyle::Old)
}

/// The key for accent-insensitive search: no marks, `đ` → `d`, lower case (NFD, drop
/// U+0300-U+036F, `đ/Đ` → `d`). `nguyen duc` finds `Nguyễn Đức`. It collides words
/// (`đa`, `da`, `dạ`): use it to find candidates, then confirm on [`match_key`].
pub fn fold_key(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_folded(c, &mut out);
    }
    out
}

/// [`fold_key`] plus, for every char boundary of the key, the byte offset in `s` it
/// came from: `offsets.len() == key.chars().count() + 1`, the last entry is `s.len()`.
/// A span of chars `a..b` of the key maps to `offsets[a]..offsets[b]` in `s`.
pub fn fold_key_with_offsets(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut offsets = Vec::with_capacity(s.len() + 1);
    for (i, c) in s.char_indices() {
        let before = out.len();
        push_folded(c, &mut out);
        offsets.extend(std::iter::repeat_n(i, out[before..].chars().count()));
    }
    offsets.push(s.len());
    (out, offsets)
}

/// [`fold_char`] of U+0000..U+2000 (Latin with its Vietnamese letters, Greek,
/// Cyrillic) where it is one character, `'\0'` where it is none or several.
static FOLDED: LazyLock<Vec<char>> = LazyLock::new(|| {
    (0..0x2000u32)
        .map(|u| {
            let Some(c) = char::from_u32(u) else {
                return '\0';
            };
            let mut folded = String::new();
            fold_char(c, &mut folded);
            let mut chars = folded.chars();
            match (chars.next(), chars.next()) {
                (Some(f), None) if f != '\0' => f,
                _ => '\0',
            }
        })
        .collect()
});

fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    match FOLDED.get(c as usize) {
        Some(&f) if f != '\0' => out.push(f),
        _ => fold_char(c, out),
    }
}

/// Appends the fold of `c`: its canonical decomposition without the combining marks, lower
/// case, `đ` → `d`. The decomposition of one char comes straight from the tables: a single
/// precomposed char needs no reordering.
fn fold_char(c: char, out: &mut String) {
    decompose_canonical(c, |d| match d {
        '\u{300}'..='\u{36F}' => {}
        'đ' | 'Đ' | '\u{D0}' | '\u{F0}' => out.push('d'),
        d => out.extend(d.to_lowercase()),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(a: &str, b: &str, same_match_key: bool, fold: &str) {
        assert_eq!(
            match_key(a) == match_key(b),
            same_match_key,
            "match_key({a:?}) vs ({b:?})"
        );
        assert_eq!(fold_key(a), fold, "fold_key({a:?})");
        if same_match_key {
            assert_eq!(fold_key(b), fold, "fold_key({b:?})");
        }
        let (key, offsets) = fold_key_with_offsets(a);
        assert_eq!(key, fold);
        assert_eq!(offsets.len(), key.chars().count() + 1);
        assert_eq!(offsets.last(), Some(&a.len()));
    }

    #[test]
    fn keys() {
        for (a, b, same, fold) in [
            ("Hoà", "hòa", true, "hoa"),
            ("Uỷ ban", "ủy ban", true, "uy ban"),
            ("THUỶ", "thủy", true, "thuy"),
            (
                "Nguyễn Đức",
                "nguye\u{302}\u{303}n \u{D0}ức",
                true,
                "nguyen duc",
            ),
            ("đa", "dạ", false, "da"),
            ("quí", "quý", false, "qui"),
            ("đa", "Da", false, "da"),
            (
                "KẾ HOẠCH 45-KH/TU",
                "kế hoạch 45-kh/tu",
                true,
                "ke hoach 45-kh/tu",
            ),
        ] {
            check(a, b, same, fold);
        }
        assert_eq!(fold_key("quý"), "quy");
        assert_eq!(match_key("Hoà"), "hòa");
    }

    #[test]
    fn fold_offsets_point_at_source_chars() {
        let s = "Đức nguye\u{302}\u{303}n";
        let (key, offsets) = fold_key_with_offsets(s);
        assert_eq!(key, "duc nguyen");
        let start = key.find("nguyen").unwrap();
        let (a, b) = (
            key[..start].chars().count(),
            key[..start + 6].chars().count(),
        );
        assert_eq!(&s[offsets[a]..offsets[b]], "nguye\u{302}\u{303}n");
    }
}
