//! Line breaking by font metrics: spans → positioned glyphs → lines.
//!
//! First fit, like LibreOffice and Word (not Knuth-Plass: the goal is to break where they
//! do). A line breaks after a run of spaces; a word wider than the line is broken between
//! letters at the margin, so nothing ever overflows. Trailing spaces do not count.

use crate::document::fonts::Face;
use crate::document::{Span, nfc};

/// One glyph of a line, with its face, size and advance in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Glyph {
    pub(crate) gid: u16,
    pub(crate) ch: char,
    pub(crate) face: Face,
    pub(crate) size: f32,
    pub(crate) width: f32,
}

impl Glyph {
    pub(crate) fn is_space(&self) -> bool {
        self.ch == ' '
    }
}

/// Glyphs of `spans` (NFC) in `size` points; `bold`/`italic` add to each span's own.
pub(crate) fn shape(spans: &[Span], size: f32, bold: bool, italic: bool) -> Vec<Glyph> {
    let mut out = Vec::with_capacity(spans.iter().map(|s| s.text.len()).sum());
    for span in spans {
        push_text(
            &mut out,
            &span.text,
            size,
            bold || span.bold,
            italic || span.italic,
        );
    }
    out
}

/// Glyphs of one string in one face.
pub(crate) fn shape_str(text: &str, size: f32, bold: bool, italic: bool) -> Vec<Glyph> {
    let mut out = Vec::with_capacity(text.len());
    push_text(&mut out, text, size, bold, italic);
    out
}

fn push_text(out: &mut Vec<Glyph>, text: &str, size: f32, bold: bool, italic: bool) {
    let face = Face::of(bold, italic);
    let m = face.metrics();
    let scale = size / m.units_per_em;
    for ch in nfc(text).chars() {
        let ch = match ch {
            '\t' | '\n' | '\r' => ' ',
            c if c.is_control() => continue,
            c => c,
        };
        let (gid, adv) = m.glyph(ch);
        out.push(Glyph {
            gid,
            ch,
            face,
            size,
            width: f32::from(adv) * scale,
        });
    }
}

/// Width of `glyphs` in points.
pub(crate) fn width(glyphs: &[Glyph]) -> f32 {
    glyphs.iter().map(|g| g.width).sum()
}

/// One line: its glyphs without leading or trailing spaces.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub(crate) glyphs: Vec<Glyph>,
    /// Natural width in points.
    pub(crate) width: f32,
    /// Whether the paragraph ends here (a justified paragraph's last line stays ragged).
    pub(crate) last: bool,
}

impl Line {
    /// Number of spaces inside the line (those a justified line stretches).
    pub(crate) fn spaces(&self) -> usize {
        self.glyphs.iter().filter(|g| g.is_space()).count()
    }
}

/// Tolerance against rounding: LibreOffice lays out in twips.
const EPSILON: f32 = 0.01;

/// Breaks `glyphs` into lines: the first `first` points wide, the others `rest`.
pub(crate) fn break_lines(glyphs: &[Glyph], first: f32, rest: f32) -> Vec<Line> {
    let mut lines = Vec::new();
    let n = glyphs.len();
    let mut start = 0;
    while start < n && glyphs[start].is_space() && !lines.is_empty() {
        start += 1;
    }
    loop {
        let avail = if lines.is_empty() { first } else { rest }.max(1.0);
        let mut w = 0.0;
        // Candidate break: end of the line's content and its width.
        let mut brk: Option<(usize, f32)> = None;
        let mut end = n;
        let mut j = start;
        while j < n {
            let g = &glyphs[j];
            if g.is_space() {
                if j > start && !glyphs[j - 1].is_space() {
                    brk = Some((j, w));
                }
                w += g.width;
                j += 1;
                continue;
            }
            if w + g.width > avail + EPSILON && j > start {
                end = match brk {
                    Some((b, _)) => b,
                    // One word wider than the line: break it at the margin.
                    None => j,
                };
                break;
            }
            w += g.width;
            j += 1;
        }
        let last = end == n;
        let mut content_end = end;
        while content_end > start && glyphs[content_end - 1].is_space() {
            content_end -= 1;
        }
        let line_glyphs = glyphs[start..content_end].to_vec();
        lines.push(Line {
            width: width(&line_glyphs),
            glyphs: line_glyphs,
            last,
        });
        if last {
            return lines;
        }
        start = end;
        while start < n && glyphs[start].is_space() {
            start += 1;
        }
        if start == n {
            if let Some(l) = lines.last_mut() {
                l.last = true;
            }
            return lines;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line) -> String {
        line.glyphs.iter().map(|g| g.ch).collect()
    }

    fn check(s: &str, width: f32, want: &[&str]) {
        let glyphs = shape_str(s, 10.0, false, false);
        let lines = break_lines(&glyphs, width, width);
        let got: Vec<String> = lines.iter().map(text).collect();
        assert_eq!(got, want, "{s:?} at {width}");
        for l in &lines {
            assert!(l.width <= width + EPSILON || l.glyphs.len() == 1, "{l:?}");
        }
        assert!(lines.last().is_some_and(|l| l.last));
    }

    #[test]
    fn breaks_at_spaces_first_fit() {
        // "aaaa" = 4 × 4.44 pt = 17.76 pt; a space 2.5 pt.
        check("aaaa aaaa aaaa", 40.0, &["aaaa aaaa", "aaaa"]);
        check("aaaa aaaa aaaa", 100.0, &["aaaa aaaa aaaa"]);
        check("aaaa   aaaa", 20.0, &["aaaa", "aaaa"]);
        check("", 20.0, &[""]);
        check("a  ", 20.0, &["a"]);
    }

    #[test]
    fn long_words_break_at_the_margin() {
        check("aaaaaaaaaa", 20.0, &["aaaa", "aaaa", "aa"]);
        check("x aaaaaaaaaa", 20.0, &["x", "aaaa", "aaaa", "aa"]);
        // Narrower than one glyph: one glyph per line, never an endless loop.
        check("aaa", 1.0, &["a", "a", "a"]);
    }

    #[test]
    fn text_is_drawn_nfc() {
        let glyphs = shape_str("Ke\u{302}\u{301}", 10.0, false, false);
        assert_eq!(glyphs.iter().map(|g| g.ch).collect::<String>(), "Kế");
        assert!(glyphs.iter().all(|g| g.gid != 0));
    }
}
