//! Normalised text: [`Text`] and [`normalize`], tone placement, match and fold keys.
//!
//! The four text forms of `reference/text.md` §3:
//! - the original, as decoded: [`Text::original`];
//! - the normalised form everything downstream uses: [`Text::as_str`] (NFC, one form of
//!   every character, tone style kept as written);
//! - the match key, for equality: [`match_key`] (lower case, old-style tones);
//! - the fold key, for accent-insensitive search: [`fold_key`].

mod keys;
mod names;
mod normalize;
mod tone;

pub use keys::{fold_key, fold_key_with_offsets, match_key};
pub use names::body_name;
pub use normalize::{Text, normalize};
pub use tone::{ToneStyle, place_tones};

/// The largest char boundary of `s` at or below byte `i` (clamped to `s.len()`).
pub(crate) fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary of `s` at or above byte `i` (clamped to `s.len()`).
pub(crate) fn ceil_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}
