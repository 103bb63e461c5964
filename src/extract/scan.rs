//! Scanning helpers over the normalised text: char boundaries, windows, lines, folding.

use unicode_normalization::UnicodeNormalization;

/// Lower case, no tone or vowel marks, `đ` → `d`: for comparing keywords.
pub(crate) fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// The char just before byte `i` of `s`.
pub(crate) fn char_before(s: &str, i: usize) -> Option<char> {
    s.get(..i).and_then(|p| p.chars().next_back())
}

/// The char at byte `i` of `s`.
pub(crate) fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|p| p.chars().next())
}

/// The largest char boundary of `s` at or below `i`.
pub(crate) fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary of `s` at or above `i`.
pub(crate) fn ceil_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Up to `n` bytes of `s` before byte `i` (on a char boundary).
pub(crate) fn window_before(s: &str, i: usize, n: usize) -> (usize, &str) {
    let start = ceil_boundary(s, i.saturating_sub(n));
    (start, s.get(start..i).unwrap_or(""))
}

/// Up to `n` bytes of `s` after byte `i` (on a char boundary).
pub(crate) fn window_after(s: &str, i: usize, n: usize) -> &str {
    let end = floor_boundary(s, i.saturating_add(n));
    s.get(i..end).unwrap_or("")
}

/// Collapses runs of whitespace into one space and trims.
pub(crate) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Byte range of line `i` containing byte `pos`.
pub(crate) fn line_bounds(s: &str, pos: usize) -> (usize, usize) {
    let start = s
        .get(..pos)
        .and_then(|p| p.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = s
        .get(pos..)
        .and_then(|p| p.find('\n'))
        .map_or(s.len(), |i| pos + i);
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_drops_marks() {
        assert_eq!(fold("Quyết ĐỊNH hoà"), "quyet dinh hoa");
    }
}
