//! Scanning helpers over the normalised text: char boundaries, windows, lines, folding.

/// Lower case, no tone or vowel marks, `đ` → `d`: for comparing keywords.
pub(crate) use crate::text::fold_key as fold;

/// The char just before byte `i` of `s`.
pub(crate) fn char_before(s: &str, i: usize) -> Option<char> {
    s.get(..i).and_then(|p| p.chars().next_back())
}

/// The char at byte `i` of `s`.
pub(crate) fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|p| p.chars().next())
}

pub(crate) use crate::text::{ceil_boundary, floor_boundary};

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
    // `s.split_whitespace().collect::<Vec<_>>().join(" ")` without the vector: the words are
    // never empty, so the output is empty exactly before the first one.
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Where the line containing byte `pos` starts: [`line_bounds`] without looking for the
/// line's end (which, in a text without line breaks, is the end of the text).
pub(crate) fn line_start(s: &str, pos: usize) -> usize {
    s.get(..pos)
        .and_then(|p| p.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// Byte range of line `i` containing byte `pos`.
pub(crate) fn line_bounds(s: &str, pos: usize) -> (usize, usize) {
    let start = line_start(s, pos);
    let end = s
        .get(pos..)
        .and_then(|p| p.find('\n'))
        .map_or(s.len(), |i| pos + i);
    (start, end)
}

/// A count of the bytes the scanning loops look at, kept in test builds only (the calls
/// are `#[cfg(test)]`): the tests that check that extraction work grows linearly with the
/// text read it. Per thread, so tests running side by side do not mix their counts.
#[cfg(test)]
pub(crate) mod work {
    use std::cell::Cell;

    thread_local! {
        static LOOKED_AT: Cell<u64> = const { Cell::new(0) };
    }

    /// Counts `n` more bytes looked at.
    pub(crate) fn add(n: usize) {
        LOOKED_AT.with(|c| c.set(c.get() + n as u64));
    }

    /// The bytes looked at on this thread since the last call.
    pub(crate) fn take() -> u64 {
        LOOKED_AT.with(|c| c.replace(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn collapse_is_split_and_join(s in "[ a\t\n\u{a0}\u{2000}éx]{0,20}") {
            proptest::prop_assert_eq!(collapse(&s), s.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }

    #[test]
    fn fold_drops_marks() {
        assert_eq!(fold("Quyết ĐỊNH hoà"), "quyet dinh hoa");
    }
}
