//! Normalised text: [`Text`] and [`normalize`], tone placement, match and fold keys.
//!
//! SKELETON: the text helper replaces the bodies below; the signatures are the contract.

use std::ops::Range;

/// Text normalised by construction: NFC, `Ð/ð` → `Đ/đ`, CRLF → LF, odd spaces → space,
/// zero-width characters removed. Spans everywhere else are byte ranges into
/// [`Text::as_str`]; [`Text::to_original`] maps them back to the text as decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    original: String,
    normalized: String,
}

impl Text {
    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.normalized
    }

    /// The text as decoded, before normalisation.
    pub fn original(&self) -> &str {
        &self.original
    }

    /// Maps a byte range of the normalised text to the byte range of the original text
    /// that it came from.
    pub fn to_original(&self, span: Range<usize>) -> Range<usize> {
        span
    }
}

/// Normalises decoded text into a [`Text`]. Pure; never fails.
pub fn normalize(original: &str) -> Text {
    Text {
        original: original.to_string(),
        normalized: original.to_string(),
    }
}

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
pub fn place_tones(s: &str, _style: ToneStyle) -> String {
    s.to_string()
}

/// The key for equality: NFC, lower case, old-style tones.
pub fn match_key(s: &str) -> String {
    s.to_lowercase()
}

/// The key for accent-insensitive search: no marks, `đ` → `d`, lower case.
pub fn fold_key(s: &str) -> String {
    s.to_lowercase()
}
