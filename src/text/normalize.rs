//! [`normalize`]: decoded text → [`Text`], keeping a compact map back to the original.
//!
//! The text is cut into segments that normalise independently: a segment starts at a
//! character that is a "stable starter" (combining class 0 and `NFC_Quick_Check=Yes`, so
//! nothing before it can compose with it or be reordered across it) and runs over the
//! combining marks and zero-width characters after it. A segment that normalises to
//! itself is copied; one that changes becomes an [`Edit`]. ASCII runs skip all of this.

use std::ops::Range;

use super::{ceil_boundary, floor_boundary};

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Text normalised by construction: NFC, `Ð/ð` → `Đ/đ`, CRLF and lone CR → LF, odd spaces
/// → space, zero-width characters removed, decomposed tone-first marks repaired
/// (`e`+U+0301+U+0302 → `ế`). Tone style and letters are kept as written.
///
/// Spans everywhere else are byte ranges into [`Text::as_str`]; [`Text::to_original`]
/// maps them back to the text as decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    original: String,
    /// `None` when the normalised text equals the original (the common case).
    normalized: Option<String>,
    /// Changed regions, in order; between them the two texts are byte-identical.
    edits: Vec<Edit>,
}

/// One changed region: `norm` in the normalised text came from `orig` in the original.
/// `norm` is empty for a deletion. Both ranges lie on char boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Edit {
    norm_start: usize,
    norm_end: usize,
    orig_start: usize,
    orig_end: usize,
}

impl Text {
    /// The normalised text.
    pub fn as_str(&self) -> &str {
        self.normalized.as_deref().unwrap_or(&self.original)
    }

    /// The text as decoded, before normalisation.
    pub fn original(&self) -> &str {
        &self.original
    }

    /// Maps a byte range of the normalised text to the byte range of the original text
    /// that it came from.
    ///
    /// The result lies on char boundaries of the original. A boundary inside a changed
    /// region (say, between the two code points of a composed letter's source) widens to
    /// the whole region. Out-of-bounds or off-boundary input is clamped, never a panic.
    pub fn to_original(&self, span: Range<usize>) -> Range<usize> {
        let norm = self.as_str();
        let end = ceil_boundary(norm, span.end.min(norm.len()));
        let start = floor_boundary(norm, span.start.min(end));
        if self.edits.is_empty() {
            return start..end;
        }
        let orig_start = self.map_start(start);
        let orig_end = if end == start {
            orig_start
        } else {
            self.map_end(end).max(orig_start)
        };
        orig_start..orig_end
    }

    /// Original offset for a span starting at normalised offset `p`: the start of the
    /// region containing `p`, or after a deletion at `p`.
    fn map_start(&self, p: usize) -> usize {
        let i = self.edits.partition_point(|e| e.norm_start <= p);
        match i.checked_sub(1).map(|i| self.edits[i]) {
            None => p,
            Some(e) if p < e.norm_end => e.orig_start,
            Some(e) => e.orig_end + (p - e.norm_end),
        }
    }

    /// Original offset for a span ending at normalised offset `p`: the end of the region
    /// containing `p`, or before a deletion at `p`.
    fn map_end(&self, p: usize) -> usize {
        let i = self.edits.partition_point(|e| e.norm_start < p);
        match i.checked_sub(1).map(|i| self.edits[i]) {
            None => p,
            Some(e) if p < e.norm_end => e.orig_end,
            Some(e) => e.orig_end + (p - e.norm_end),
        }
    }
}

/// Normalises decoded text into a [`Text`]. Pure; never fails.
pub fn normalize(original: &str) -> Text {
    let bytes = original.as_bytes();
    let mut out = String::new();
    let mut edits = Vec::new();
    // Start of the original not yet copied to `out`.
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 && b != b'\r' && bytes.get(i + 1).is_none_or(|&n| n < 0x80) {
            i += 1;
            continue;
        }
        let end = segment_end(original, i);
        let seg = &original[i..end];
        if let Some(new) = normalize_segment(seg) {
            if out.capacity() == 0 {
                out.reserve(original.len() + 16);
            }
            out.push_str(&original[copied..i]);
            // Trim what the old and new segment share, so the edit is as tight as can be.
            let prefix = common_prefix(seg, &new);
            let suffix = common_suffix(&seg[prefix..], &new[prefix..]);
            let norm_start = out.len() + prefix;
            edits.push(Edit {
                norm_start,
                norm_end: norm_start + new.len() - prefix - suffix,
                orig_start: i + prefix,
                orig_end: end - suffix,
            });
            out.push_str(&new);
            copied = end;
        }
        i = end;
    }
    let normalized = if edits.is_empty() {
        None
    } else {
        out.push_str(&original[copied..]);
        Some(out)
    };
    Text {
        original: original.to_string(),
        normalized,
        edits,
    }
}

/// The end of the segment starting at `i`: the first char boundary after `i` that
/// starts with a stable starter other than a zero-width character. A CR takes the LF
/// after it into its segment.
fn segment_end(s: &str, i: usize) -> usize {
    let mut chars = s[i..].chars();
    let first = chars.next().map_or('\0', |c| c);
    let mut end = i + first.len_utf8();
    if first == '\r' && s.as_bytes().get(end) == Some(&b'\n') {
        end += 1;
        chars.next();
    }
    for c in chars {
        if c.is_ascii() || (is_stable(c) && !is_zero_width(c)) {
            break;
        }
        end += c.len_utf8();
    }
    end
}

/// A starter that never composes with what is before it and is never reordered.
fn is_stable(c: char) -> bool {
    let u = c as u32;
    if u < 0x300 || (0x1E00..=0x1EFF).contains(&u) || (0x2010..=0x2027).contains(&u) {
        return true;
    }
    if (0x300..=0x36F).contains(&u) {
        // Combining diacritics; only U+034F COMBINING GRAPHEME JOINER has class 0.
        return u == 0x34F;
    }
    canonical_combining_class(c) == 0 && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
}

fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

fn is_odd_space(c: char) -> bool {
    matches!(
        c,
        '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// The normalised form of one segment, or `None` if it is unchanged.
fn normalize_segment(seg: &str) -> Option<String> {
    let mut chars = seg.chars();
    let first = chars.next()?;
    if chars.as_str().is_empty()
        && is_stable(first)
        && !matches!(first, '\r' | '\u{D0}' | '\u{F0}')
        && !is_zero_width(first)
        && !is_odd_space(first)
    {
        return None;
    }
    let mut mapped = String::with_capacity(seg.len());
    let mut needs_nfc = false;
    let mut chars = seg.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' => mapped.push('\n'),
            '\u{D0}' => mapped.push('Đ'),
            '\u{F0}' => mapped.push('đ'),
            c if is_odd_space(c) => mapped.push(' '),
            c if is_zero_width(c) => {}
            c => {
                needs_nfc |= !is_stable(c);
                mapped.push(c);
            }
        }
    }
    if needs_nfc {
        mapped = nfc_repaired(&mapped);
    }
    (mapped != seg).then_some(mapped)
}

const TONES: [char; 4] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}'];

/// NFC, after moving tone marks written before a circumflex or breve on a/e/o behind it
/// (NFC keeps same-class marks in written order, so `e`+U+0301+U+0302 would stay two
/// code points; `reference/text.md` §1.3).
fn nfc_repaired(s: &str) -> String {
    if !needs_repair(s) {
        return s.nfc().collect();
    }
    let mut nfd: Vec<char> = s.nfd().collect();
    let mut start = 0;
    while start < nfd.len() {
        let mut end = start + 1;
        while end < nfd.len() && canonical_combining_class(nfd[end]) != 0 {
            end += 1;
        }
        repair_cluster(&mut nfd[start..end]);
        start = end;
    }
    nfd.into_iter().nfc().collect()
}

/// Whether a tone mark comes before a circumflex or breve in one cluster of `s`.
fn needs_repair(s: &str) -> bool {
    if !s.contains(['\u{302}', '\u{306}']) {
        return false;
    }
    let mut tone = false;
    for c in s.nfd() {
        if TONES.contains(&c) {
            tone = true;
        } else if tone && matches!(c, '\u{302}' | '\u{306}') {
            return true;
        } else if canonical_combining_class(c) == 0 {
            tone = false;
        }
    }
    false
}

fn repair_cluster(cluster: &mut [char]) {
    if cluster.len() < 3 || !matches!(cluster[0], 'a' | 'e' | 'o' | 'A' | 'E' | 'O') {
        return;
    }
    let marks = &mut cluster[1..];
    let Some(first_tone) = marks.iter().position(|c| TONES.contains(c)) else {
        return;
    };
    if !marks[first_tone..]
        .iter()
        .any(|c| matches!(c, '\u{302}' | '\u{306}'))
    {
        return;
    }
    // Stable: tones go after the other marks, each group keeping its order.
    marks.sort_by_key(|c| TONES.contains(c));
}

/// Length in bytes of the longest common prefix of whole chars.
fn common_prefix(a: &str, b: &str) -> usize {
    a.chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum()
}

/// Length in bytes of the longest common suffix of whole chars.
fn common_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let text = normalize(input);
        assert_eq!(text.as_str(), expected, "normalize({input:?})");
        assert_eq!(text.original(), input);
        let again = normalize(text.as_str());
        assert_eq!(again.as_str(), expected, "not idempotent on {input:?}");
    }

    #[test]
    fn normalizes() {
        for (input, expected) in [
            ("", ""),
            ("abc", "abc"),
            ("Nguyễn Văn A", "Nguyễn Văn A"),
            ("hoà và hòa", "hoà và hòa"),
            ("\u{D0}ảng \u{F0}ồng", "Đảng đồng"),
            ("a\r\nb\rc\n", "a\nb\nc\n"),
            ("\r\r\n\r", "\n\n\n"),
            ("a\u{A0}b\u{2003}c\u{202F}d\u{3000}e\tf", "a b c d e\tf"),
            ("a\u{2000}\u{2001}\u{200A}\u{205F}b", "a    b"),
            ("\u{FEFF}kế\u{200B}hoạch\u{200C}\u{200D}\u{2060}", "kếhoạch"),
            ("Nguye\u{302}\u{303}n", "Nguyễn"),
            ("e\u{301}\u{302}", "ế"),
            ("e\u{302}\u{301}", "ế"),
            ("\u{E9}\u{302}", "ế"),
            ("a\u{300}\u{306}", "ằ"),
            ("O\u{309}\u{302}", "Ổ"),
            ("e\u{323}\u{302}", "ệ"),
            ("e\u{302}\u{323}", "ệ"),
            ("u\u{323}\u{31B}", "ự"),
            ("o\u{301}\u{31B}", "ớ"),
            ("e\u{200B}\u{301}", "é"),
            ("x\u{301}\u{302}", "x\u{301}\u{302}"),
            ("\u{301}a", "\u{301}a"),
            ("\u{D0}\u{301}", "Đ\u{301}"),
            ("\r\u{301}", "\n\u{301}"),
            ("\u{2126}", "\u{3A9}"),
        ] {
            check(input, expected);
        }
    }

    #[test]
    fn plain_text_is_not_copied() {
        let text = normalize("Quyết định số 45/QĐ-UBND\n");
        assert!(text.normalized.is_none());
        assert!(text.edits.is_empty());
    }

    #[test]
    fn stable_fast_paths_agree_with_the_tables() {
        let ranges = [0x80..0x300, 0x300..0x370, 0x1E00..0x1F00, 0x2010..0x2028];
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            let slow = canonical_combining_class(c) == 0
                && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes;
            assert_eq!(is_stable(c), slow, "{c:?}");
        }
    }

    fn check_span(input: &str, word: &str, expected_original: &str) {
        let text = normalize(input);
        let start = text.as_str().find(word).expect("word in normalised text");
        let span = text.to_original(start..start + word.len());
        assert_eq!(
            &input[span], expected_original,
            "span of {word:?} in {input:?}"
        );
    }

    #[test]
    fn spans_map_back() {
        let input = "\u{FEFF}Ông\u{A0}Nguye\u{302}\u{303}n\u{200B} \u{D0}ức\r\nký\u{200D}\r\nhoà";
        for (word, original) in [
            ("Ông", "Ông"),
            ("Nguyễn", "Nguye\u{302}\u{303}n"),
            ("Đức", "\u{D0}ức"),
            ("ký", "ký"),
            ("hoà", "hoà"),
            ("Ông Nguyễn", "Ông\u{A0}Nguye\u{302}\u{303}n"),
            ("ễ", "e\u{302}\u{303}"),
            ("Đức\nký", "\u{D0}ức\r\nký"),
            ("ký\n", "ký\u{200D}\r\n"),
        ] {
            check_span(input, word, original);
        }
    }

    #[test]
    fn spans_are_clamped() {
        let text = normalize("Nguye\u{302}\u{303}n\r\n");
        assert_eq!(text.as_str(), "Nguyễn\n");
        assert_eq!(text.to_original(0..100), 0..text.original().len());
        // Inside `ễ` (bytes 4..7): widens to the whole source of the letter.
        assert_eq!(text.to_original(5..6), 4..9);
        #[allow(clippy::reversed_empty_ranges)]
        let reversed = 3..2;
        assert_eq!(text.to_original(reversed), 2..2);
        // An empty span before the LF lands after the dropped CR.
        assert_eq!(text.to_original(8..8), 11..11);
    }
}
