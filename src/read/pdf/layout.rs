//! Reading order: positioned glyphs → the text a person reads.
//!
//! 1. Lines from baselines (superscripts such as footnote marks join the line they sit on);
//!    words from gaps; a gap of more than [`SEGMENT_GAP`] font sizes splits a line into
//!    segments (the two halves of a letterhead, a signature block beside "Nơi nhận").
//! 2. Ruled tables (a grid of drawn rules) become rows of cells, each cell on its own line,
//!    the shape the DOCX reader gives.
//! 3. Two-column zones (lines split by one common gutter) are read as two blocks, left then
//!    right: the letterhead gives issuer and number, then motto and place-date.
//! 4. Body lines are joined into paragraphs: a line that reaches the block's right edge
//!    runs on into the next unless that one is indented or starts a list item.

use super::content::{Glyph, PageContent};

/// A gap wider than this many font sizes splits a line into segments.
const SEGMENT_GAP: f32 = 1.6;
/// A gap wider than this many font sizes is a space between words.
const WORD_GAP: f32 = 0.1;

/// A run of glyphs on one baseline with no wide gap.
#[derive(Debug, Clone)]
struct Segment {
    x0: f32,
    x1: f32,
    text: String,
}

/// A line: glyphs sharing a baseline, split into segments.
#[derive(Debug, Clone)]
struct Line {
    y: f32,
    size: f32,
    segments: Vec<Segment>,
}

impl Line {
    fn x0(&self) -> f32 {
        self.segments.first().map_or(0.0, |s| s.x0)
    }
    fn x1(&self) -> f32 {
        self.segments.last().map_or(0.0, |s| s.x1)
    }
    fn text(&self) -> String {
        let mut out = String::new();
        for s in &self.segments {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&s.text);
        }
        out
    }
}

/// One laid-out line of output: its text, and whether it continues the previous line's
/// paragraph.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OutLine {
    /// The text.
    pub(crate) text: String,
    /// Top of the line, for telling headers and footers.
    pub(crate) y: f32,
    /// Font size.
    pub(crate) size: f32,
}

/// Lays one page out into paragraphs, in reading order.
pub(crate) fn layout(page: &PageContent) -> Vec<OutLine> {
    let mut owned: Vec<Glyph> = page
        .glyphs
        .iter()
        .filter(|g| g.upright && g.size > 0.5 && !page.glyph_text(g).trim().is_empty())
        .copied()
        .collect();
    stamp_over(&mut owned);
    let glyphs: Vec<&Glyph> = owned.iter().collect();
    let tables = super::table::find(&page.rules);
    let (in_tables, rest): (Vec<&Glyph>, Vec<&Glyph>) = glyphs
        .iter()
        .partition(|g| tables.iter().any(|t| t.holds(g)));
    let mut items: Vec<(f32, Vec<OutLine>)> = Vec::new();
    for table in &tables {
        let cells: Vec<&Glyph> = in_tables
            .iter()
            .copied()
            .filter(|g| table.holds(g))
            .collect();
        let lines = table.read(&cells, |gs| cell_lines(page, gs));
        if !lines.is_empty() {
            items.push((table.top(), lines));
        }
    }
    let body = lines(page, &rest);
    for block in blocks(body) {
        let top = block.first().map_or(0.0, |l| l.y);
        items.push((top, paragraphs(&block)));
    }
    items.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<OutLine> = items.into_iter().flat_map(|(_, l)| l).collect();
    out.extend(rotated_lines(page));
    out
}

/// What an e-office system stamps over the page (the number, the day, the month, in
/// annotation layers) replaces the glyphs it covers, and takes their baseline: the month
/// "5" stamped 4 points above the drafted "4" reads "tháng 5", not "5" on a line of its
/// own and "tháng 4".
fn stamp_over(glyphs: &mut Vec<Glyph>) {
    if glyphs.iter().all(|g| g.layer == 0) {
        return;
    }
    let mut hidden = vec![false; glyphs.len()];
    for i in 0..glyphs.len() {
        let top = glyphs[i];
        if top.layer == 0 {
            continue;
        }
        let mut snapped: Option<f32> = None;
        for (j, under) in glyphs.iter().enumerate() {
            if under.layer >= top.layer || (under.y - top.y).abs() > 0.6 * top.size {
                continue;
            }
            let overlap = top.x1.min(under.x1) - top.x0.max(under.x0);
            if overlap > 0.4 * (top.x1 - top.x0).min(under.x1 - under.x0).max(0.1) {
                hidden[j] = true;
                snapped = Some(under.y);
            }
        }
        if let Some(y) = snapped {
            glyphs[i].y = y;
        }
    }
    let mut k = 0;
    glyphs.retain(|_| {
        k += 1;
        !hidden[k - 1]
    });
}

/// Text drawn at an angle (stamps, margin notes) as lines at the end of the page, so no
/// word of the layer is lost.
fn rotated_lines(page: &PageContent) -> Vec<OutLine> {
    let mut out: Vec<OutLine> = Vec::new();
    let mut current = String::new();
    let mut last: Option<&Glyph> = None;
    for g in page.glyphs.iter().filter(|g| !g.upright) {
        let t = page.glyph_text(g);
        if let Some(prev) = last {
            let far = (g.y - prev.y).abs() > 2.0 * prev.size.max(1.0)
                && (g.x0 - prev.x0).abs() > 2.0 * prev.size.max(1.0);
            if far && !current.trim().is_empty() {
                out.push(OutLine {
                    text: std::mem::take(&mut current).trim().to_string(),
                    y: f32::MAX,
                    size: prev.size,
                });
            }
        }
        current.push_str(t);
        last = Some(g);
    }
    if !current.trim().is_empty() {
        out.push(OutLine {
            text: current.trim().to_string(),
            y: f32::MAX,
            size: last.map_or(0.0, |g| g.size),
        });
    }
    out
}

/// Groups glyphs into lines (top to bottom), each split into segments.
fn lines(page: &PageContent, glyphs: &[&Glyph]) -> Vec<Line> {
    let mut sorted: Vec<&Glyph> = glyphs.to_vec();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut groups: Vec<Vec<&Glyph>> = Vec::new();
    for g in sorted {
        match groups.last_mut() {
            Some(group) if (g.y - group[0].y).abs() <= 0.3 * g.size.min(group[0].size).max(1.0) => {
                group.push(g)
            }
            _ => groups.push(vec![g]),
        }
    }
    let groups = merge_superscripts(groups);
    groups
        .into_iter()
        .map(|mut group| {
            group.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            build_line(page, &group)
        })
        .collect()
}

/// A group of small glyphs just above (or below) a line of bigger ones joins it when it
/// hangs on the end of one of that line's words: footnote marks, superscript ordinals.
fn merge_superscripts(groups: Vec<Vec<&Glyph>>) -> Vec<Vec<&Glyph>> {
    let size = |g: &[&Glyph]| g.iter().map(|g| g.size).fold(0.0f32, f32::max);
    let base = |g: &[&Glyph]| {
        let big = size(g);
        g.iter()
            .filter(|x| x.size >= 0.9 * big)
            .map(|x| x.y)
            .fold(f32::MIN, f32::max)
    };
    // Short, and each of its runs starts where a glyph of the big line ends.
    let hangs_on = |small: &[&Glyph], big: &[&Glyph]| {
        let b = size(big);
        small.len() <= 6
            && small.iter().all(|s| {
                big.iter()
                    .any(|g| (s.x0 - g.x1).abs() < 0.5 * b || (s.x1 - g.x0).abs() < 0.5 * b)
                    || small.iter().any(|o| (s.x0 - o.x1).abs() < 0.2 * b)
            })
    };
    let mut out: Vec<Vec<&Glyph>> = Vec::with_capacity(groups.len());
    let mut pending: Option<Vec<&Glyph>> = None;
    for group in groups {
        if let Some(small) = pending.take() {
            let (s, b) = (size(&small), size(&group));
            let below = base(&group) - small[0].y;
            if s < 0.85 * b && below > 0.0 && below < 0.6 * b && hangs_on(&small, &group) {
                let mut merged = group;
                merged.extend(small);
                out.push(merged);
                continue;
            }
            out.push(small);
        }
        if let Some(prev) = out.last_mut() {
            let (s, b) = (size(&group), size(prev));
            let dy = group[0].y - base(prev);
            if s < 0.85 * b && (0.0..0.35 * b).contains(&dy) && hangs_on(&group, prev) {
                prev.extend(group);
                continue;
            }
        }
        pending = Some(group);
    }
    out.extend(pending);
    out
}

/// One line from glyphs sorted left to right: words by gaps, segments by wide gaps, drawn
/// twice (fake bold) counted once.
fn build_line(page: &PageContent, glyphs: &[&Glyph]) -> Line {
    let size = glyphs
        .iter()
        .map(|g| g.size)
        .fold(0.0f32, f32::max)
        .max(1.0);
    let y = glyphs
        .iter()
        .filter(|g| g.size >= 0.9 * size)
        .map(|g| g.y)
        .fold(f32::MIN, f32::max);
    let mut segments: Vec<Segment> = Vec::new();
    let mut prev: Option<&Glyph> = None;
    for &g in glyphs {
        let text = page.glyph_text(g);
        if let Some(p) = prev {
            let doubled = page.glyph_text(p) == text
                && (g.x0 - p.x0).abs() < 0.15 * size
                && (g.y - p.y).abs() < 0.15 * size;
            if doubled {
                continue;
            }
        }
        let gap = prev.map_or(f32::MAX, |p| g.x0 - p.x1);
        // Text stamped by another layer is a word of its own (what it covered is gone).
        let word_gap = if prev.is_some_and(|p| p.layer != g.layer) {
            f32::MIN
        } else {
            WORD_GAP * size
        };
        match segments.last_mut() {
            Some(seg) if gap <= SEGMENT_GAP * size => {
                if gap > word_gap && !seg.text.ends_with(' ') {
                    seg.text.push(' ');
                }
                seg.text.push_str(text);
                seg.x1 = seg.x1.max(g.x1);
            }
            _ => segments.push(Segment {
                x0: g.x0,
                x1: g.x1,
                text: text.to_string(),
            }),
        }
        prev = Some(g);
    }
    for seg in &mut segments {
        seg.text = collapse_spaces(&seg.text);
    }
    segments.retain(|s| !s.text.is_empty());
    Line { y, size, segments }
}

fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Splits lines into blocks in reading order: two-column zones become their left lines then
/// their right lines; every other line is a block of one column.
fn blocks(lines: Vec<Line>) -> Vec<Vec<Line>> {
    let mut out: Vec<Vec<Line>> = Vec::new();
    let mut single: Vec<Line> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if let Some((end, gutter)) = zone(&lines, i) {
            if !single.is_empty() {
                out.push(std::mem::take(&mut single));
            }
            let (mut left, mut right) = (Vec::new(), Vec::new());
            for line in &lines[i..end] {
                let (l, r): (Vec<Segment>, Vec<Segment>) =
                    line.segments.iter().cloned().partition(|s| s.x1 <= gutter);
                if !l.is_empty() {
                    left.push(Line {
                        segments: l,
                        ..line.clone()
                    });
                }
                if !r.is_empty() {
                    right.push(Line {
                        segments: r,
                        ..line.clone()
                    });
                }
            }
            out.push(left);
            out.push(right);
            i = end;
        } else {
            single.push(lines[i].clone());
            i += 1;
        }
    }
    if !single.is_empty() {
        out.push(single);
    }
    out.retain(|b| !b.is_empty());
    out
}

/// A two-column zone starting at line `start`: its end and the gutter's x, if lines have
/// text on both sides of one gap that no line of the zone crosses (two lines with both
/// sides, or two on each side: a signature block beside "Nơi nhận" rarely shares
/// baselines). After
/// its last two-sided line, one-sided lines stay in the zone only while no blank line
/// parts them (the rest of a letterhead's left column: the "V/v" title).
fn zone(lines: &[Line], start: usize) -> Option<(usize, f32)> {
    let first = &lines[start];
    if first.segments.len() < 2 {
        return None;
    }
    let mut best: Option<(usize, f32)> = None;
    for pair in first.segments.windows(2) {
        let (mut lo, mut hi) = (pair[0].x1, pair[1].x0);
        let (mut both, mut lefts, mut rights) = (1, 1, 1);
        let mut end = start + 1;
        while end < lines.len() {
            let line = &lines[end];
            let gap = line.y - lines[end - 1].y;
            let size = line.size.max(lines[end - 1].size);
            if gap > 4.0 * size {
                break;
            }
            let Some((nlo, nhi, left, right)) = split_at_gutter(line, lo, hi) else {
                break;
            };
            if !(left && right) && gap > 2.0 * size {
                break;
            }
            (lo, hi) = (nlo, nhi);
            both += usize::from(left && right);
            lefts += usize::from(left);
            rights += usize::from(right);
            end += 1;
        }
        let two_columns = both >= 2 || (lefts >= 2 && rights >= 2);
        if two_columns && best.is_none_or(|(e, _)| end > e) {
            best = Some((end, (lo + hi) / 2.0));
        }
    }
    best
}

/// How a line meets a gutter `lo..hi`: the gutter narrowed to stay clear of its segments,
/// and whether it has text left and right; `None` if a segment crosses the gutter or
/// leaves it narrower than half a font size.
fn split_at_gutter(line: &Line, lo: f32, hi: f32) -> Option<(f32, f32, bool, bool)> {
    let (mut lo, mut hi) = (lo, hi);
    let (mut left, mut right) = (false, false);
    for s in &line.segments {
        if s.x1 <= lo {
            left = true;
        } else if s.x0 >= hi {
            right = true;
        } else if s.x0 <= lo && s.x1 >= hi {
            return None;
        } else if s.x0 > lo {
            hi = s.x0;
            right = true;
        } else {
            lo = s.x1;
            left = true;
        }
    }
    (hi - lo >= 0.5 * line.size).then_some((lo, hi, left, right))
}

/// Joins a block's lines into paragraphs.
fn paragraphs(block: &[Line]) -> Vec<OutLine> {
    let left = block.iter().map(Line::x0).fold(f32::MAX, f32::min);
    let right = block.iter().map(Line::x1).fold(f32::MIN, f32::max);
    let width = right - left;
    let mut out: Vec<OutLine> = Vec::new();
    let mut prev: Option<&Line> = None;
    for line in block {
        let text = line.text();
        let joins = prev.is_some_and(|p| {
            let full = p.x1() >= right - 1.5 * p.size && p.x1() - p.x0() >= 0.7 * width;
            let flush = line.x0() <= left + 0.5 * line.size;
            let close = line.y - p.y <= 2.0 * p.size.max(line.size);
            let same_size = (p.size - line.size).abs() <= 0.15 * p.size;
            full && flush && close && same_size && width > 20.0 * line.size && !starts_item(&text)
        });
        match out.last_mut() {
            Some(last) if joins => join(&mut last.text, &text),
            _ => out.push(OutLine {
                text,
                y: line.y,
                size: line.size,
            }),
        }
        prev = Some(line);
    }
    out
}

/// Appends a wrapped line to the one before it: with a space, except after a hyphen that
/// ends a word (`NĐ-` + `CP`: symbols are broken at their hyphens and must stay whole;
/// Vietnamese words are never hyphenated).
fn join(text: &mut String, next: &str) {
    let hyphen =
        text.ends_with('-') && text.chars().rev().nth(1).is_some_and(char::is_alphanumeric);
    if !hyphen {
        text.push(' ');
    }
    text.push_str(next);
}

/// Whether a line starts a list item: `-`, `+`, `•`, `a)`, `1.`, `1)`, `Điều 3.`.
fn starts_item(text: &str) -> bool {
    let t = text.trim_start();
    if t.starts_with(['-', '+', '•', '*', '–']) {
        return true;
    }
    let head: String = t.chars().take_while(|c| c.is_alphanumeric()).collect();
    let rest = &t[head.len()..];
    let short = !head.is_empty() && head.chars().count() <= 3;
    (short
        && (rest.starts_with(')')
            || (rest.starts_with('.')
                && head
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()))))
        || t.starts_with("Điều ")
        || t.starts_with("Chương ")
}

/// The lines of one table cell: its wrapped lines joined, a new line only where a list item
/// starts.
fn cell_lines(page: &PageContent, glyphs: &[&Glyph]) -> Vec<OutLine> {
    let mut out: Vec<OutLine> = Vec::new();
    for line in lines(page, glyphs) {
        let text = line.text();
        match out.last_mut() {
            Some(last) if !starts_item(&text) => join(&mut last.text, &text),
            _ => out.push(OutLine {
                text,
                y: line.y,
                size: line.size,
            }),
        }
    }
    out
}

/// Whether a glyph's reference point lies in a rectangle.
pub(crate) fn inside(g: &Glyph, x0: f32, y0: f32, x1: f32, y1: f32) -> bool {
    let cx = (g.x0 + g.x1) / 2.0;
    let cy = g.y - 0.3 * g.size;
    cx >= x0 && cx <= x1 && cy >= y0 && cy <= y1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_items() {
        for t in [
            "- Như trên;",
            "1. Công an tỉnh",
            "a) Chủ trì",
            "Điều 2. Hiệu lực",
            "II. Nội dung",
        ] {
            assert!(starts_item(t), "{t}");
        }
        for t in ["Ủy ban nhân dân", "1074/QĐ-BXD ngày", "2026."] {
            assert!(!starts_item(t), "{t}");
        }
    }
}
