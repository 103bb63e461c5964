//! Page layout: a [`Document`] → pages of positioned lines and strokes, in points from the
//! top-left corner of the paper.
//!
//! It mirrors the DOCX writer box for box (the same header table, spacing, cell margins
//! and closing table), so the PDF breaks lines and pages where LibreOffice breaks our DOCX.
//! Body paragraphs keep at least two lines together at a page break (widow and orphan
//! control), headings stay with what follows, table rows do not split unless one is
//! taller than a page, and the header row is repeated on every page a table spans.

use super::fonts::Face;
use super::lines::{self, Glyph};
use crate::document::{
    Align, Block, Document, IssuerMark, Role, Signature, Span, SubjectMark, Table, TextStyle,
    measure_width,
};

/// Twips → points.
fn pt(twips: u32) -> f32 {
    twips as f32 / 20.0
}

/// Cell margin of the header and closing tables (Word's 0.19 cm), points.
const BOX_MARGIN: f32 = 5.4;
/// Cell margin of body tables, points.
const CELL_MARGIN: f32 = 4.0;
/// Space before and after a table cell's paragraph, points.
const CELL_SPACE: f32 = 2.0;
/// Width of body table borders, points.
const BORDER: f32 = 0.25;
/// Width of the short solid rules, points.
const RULE: f32 = 0.75;
/// Lines kept together at a page break, at a paragraph's start and end.
const KEEP_LINES: usize = 2;

/// A line of text placed on a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TextLine {
    /// Left end of the line.
    pub(crate) x: f32,
    /// Baseline, from the top of the paper.
    pub(crate) baseline: f32,
    pub(crate) glyphs: Vec<Glyph>,
    /// Extra width of every space (justified lines), points.
    pub(crate) word_extra: f32,
}

/// A straight line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Stroke {
    pub(crate) x1: f32,
    pub(crate) y1: f32,
    pub(crate) x2: f32,
    pub(crate) y2: f32,
    pub(crate) width: f32,
}

/// What a page shows, in drawing order (which is also the reading order).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    Text(TextLine),
    Stroke(Stroke),
}

/// One page.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Page {
    pub(crate) items: Vec<Item>,
}

/// A line set in a box: x relative to the box.
#[derive(Debug, Clone)]
struct SetLine {
    x: f32,
    ascent: f32,
    height: f32,
    glyphs: Vec<Glyph>,
    extra: f32,
}

/// A paragraph set in a box of known width.
#[derive(Debug, Clone, Default)]
struct Set {
    before: f32,
    after: f32,
    lines: Vec<SetLine>,
    keep_next: bool,
    /// A rule drawn at the paragraph's top: x1, x2 relative to the box.
    rule: Option<(f32, f32)>,
    /// Height besides the lines (a rule's border and spacing).
    extra: f32,
}

impl Set {
    fn height(&self) -> f32 {
        self.before + self.extra + self.lines.iter().map(|l| l.height).sum::<f32>() + self.after
    }

    /// Height of the start that must stay together: space before and the first lines.
    fn head_height(&self) -> f32 {
        let n = self.lines.len().min(KEEP_LINES);
        self.before + self.extra + self.lines[..n].iter().map(|l| l.height).sum::<f32>()
    }
}

/// How to set one paragraph.
#[derive(Debug, Clone, Copy)]
struct ParaStyle {
    size: f32,
    bold: bool,
    italic: bool,
    align: Align,
    indent: f32,
    before: f32,
    after: f32,
}

impl ParaStyle {
    fn of(style: TextStyle, align: Align) -> ParaStyle {
        ParaStyle {
            size: style.size as f32 / 2.0,
            bold: style.bold,
            italic: style.italic,
            align,
            indent: 0.0,
            before: 0.0,
            after: 0.0,
        }
    }

    fn space(mut self, before: f32, after: f32) -> ParaStyle {
        self.before = before;
        self.after = after;
        self
    }
}

fn set_glyphs(glyphs: &[Glyph], width: f32, ps: ParaStyle) -> Set {
    let lines = lines::break_lines(glyphs, width - ps.indent, width);
    let regular = Face::Regular.metrics();
    let set_lines = lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let size = line.glyphs.iter().map(|g| g.size).fold(0.0, f32::max);
            let size = if size > 0.0 { size } else { ps.size };
            let indent = if i == 0 { ps.indent } else { 0.0 };
            let avail = width - indent;
            let slack = (avail - line.width).max(0.0);
            let (x, extra) = match ps.align {
                Align::Left => (indent, 0.0),
                Align::Center => (indent + slack / 2.0, 0.0),
                Align::Right => (indent + slack, 0.0),
                Align::Justify => {
                    let spaces = line.spaces();
                    if line.last || spaces == 0 {
                        (indent, 0.0)
                    } else {
                        (indent, slack / spaces as f32)
                    }
                }
            };
            SetLine {
                x,
                ascent: regular.ascent * size,
                height: regular.line_height(size),
                glyphs: line.glyphs,
                extra,
            }
        })
        .collect();
    Set {
        before: ps.before,
        after: ps.after,
        lines: set_lines,
        ..Set::default()
    }
}

fn set_spans(spans: &[Span], width: f32, ps: ParaStyle) -> Set {
    set_glyphs(&lines::shape(spans, ps.size, ps.bold, ps.italic), width, ps)
}

fn set_text(text: &str, width: f32, ps: ParaStyle) -> Set {
    set_glyphs(
        &lines::shape_str(text, ps.size, ps.bold, ps.italic),
        width,
        ps,
    )
}

/// A solid rule `rule` points long centred in a box `width` wide, as the DOCX draws it:
/// the top border of a one-point paragraph.
fn set_rule(rule: f32, width: f32, after: f32) -> Set {
    let x1 = ((width - rule) / 2.0).max(0.0);
    Set {
        before: 2.0,
        after,
        rule: Some((x1, (x1 + rule).min(width))),
        // border, its spacing, the one-point line
        extra: RULE + 1.0 + 1.0,
        ..Set::default()
    }
}

/// A table set in advance: column widths and rows of cells.
#[derive(Debug, Clone)]
struct SetTable {
    columns: Vec<f32>,
    header: Vec<Set>,
    rows: Vec<Vec<Set>>,
}

fn row_height(cells: &[Set]) -> f32 {
    cells.iter().map(Set::height).fold(0.0, f32::max) + BORDER
}

enum FlowItem {
    Para(Set),
    Table(SetTable),
}

impl FlowItem {
    fn head_height(&self) -> f32 {
        match self {
            FlowItem::Para(s) => s.head_height(),
            FlowItem::Table(t) => {
                row_height(&t.header) + t.rows.first().map_or(0.0, |r| row_height(r))
            }
        }
    }
}

struct Flow {
    pages: Vec<Page>,
    y: f32,
    top: f32,
    bottom: f32,
    left: f32,
    /// The cursor sits right under a table row (which drew its bottom border).
    below_row: bool,
}

impl Flow {
    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.pages.push(Page::default());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = self.top;
        self.below_row = false;
    }

    fn at_top(&self) -> bool {
        self.y <= self.top + 0.01
    }

    fn fits(&self, height: f32) -> bool {
        self.y + height <= self.bottom + 0.01
    }

    fn line(&mut self, x0: f32, y: f32, line: SetLine) {
        let item = Item::Text(TextLine {
            x: x0 + line.x,
            baseline: y + line.ascent,
            glyphs: line.glyphs,
            word_extra: line.extra,
        });
        self.page().items.push(item);
    }

    fn stroke(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        let s = Stroke {
            x1,
            y1,
            x2,
            y2,
            width,
        };
        self.page().items.push(Item::Stroke(s));
    }

    /// Draws `set` at (`x0`, `y`) without breaking it; returns its height.
    fn draw(&mut self, x0: f32, y: f32, set: Set) -> f32 {
        let height = set.height();
        let mut cy = y + set.before;
        if let Some((x1, x2)) = set.rule {
            self.stroke(x0 + x1, cy + RULE / 2.0, x0 + x2, cy + RULE / 2.0, RULE);
        }
        cy += set.extra;
        for line in set.lines {
            let h = line.height;
            self.line(x0, cy, line);
            cy += h;
        }
        height
    }

    /// Draws a column of paragraphs at (`x0`, `y`); returns the column's height.
    fn draw_column(&mut self, x0: f32, y: f32, sets: Vec<Set>) -> f32 {
        let mut h = 0.0;
        for s in sets {
            h += self.draw(x0, y + h, s);
        }
        h
    }

    /// Places a body paragraph at the cursor, breaking it across pages.
    fn paragraph(&mut self, set: Set) {
        self.below_row = false;
        let Set {
            before,
            after,
            lines,
            rule,
            extra,
            ..
        } = set;
        if rule.is_some() || lines.is_empty() {
            if !self.fits(before + extra) && !self.at_top() {
                self.new_page();
            }
            let h = self.draw(
                self.left,
                self.y,
                Set {
                    before,
                    after,
                    lines,
                    rule,
                    extra,
                    keep_next: false,
                },
            );
            self.y += h;
            return;
        }
        self.y += before;
        let n = lines.len();
        let mut rest = lines;
        let mut done = 0;
        loop {
            // How many of the remaining lines fit here.
            let mut k = 0;
            let mut h = 0.0;
            while k < rest.len() && self.fits(h + rest[k].height) {
                h += rest[k].height;
                k += 1;
            }
            if k < rest.len() {
                let left_over = rest.len() - k;
                if done == 0 && k < KEEP_LINES.min(n) && !self.at_top() {
                    k = 0; // orphan: the paragraph starts on the next page
                } else if left_over < KEEP_LINES {
                    let want = KEEP_LINES - left_over;
                    let min_here = if done == 0 { KEEP_LINES } else { 1 };
                    if k >= want + min_here {
                        k -= want; // widow: take lines along to the next page
                    } else if done == 0 && !self.at_top() {
                        k = 0;
                    }
                }
                if k == 0 && self.at_top() {
                    k = 1; // a line taller than the page
                }
            }
            let tail = rest.split_off(k);
            for line in rest {
                let lh = line.height;
                let y = self.y;
                self.line(self.left, y, line);
                self.y += lh;
            }
            done += k;
            rest = tail;
            if rest.is_empty() {
                break;
            }
            self.new_page();
        }
        self.y += after;
    }

    fn table(&mut self, t: SetTable) {
        let SetTable {
            columns,
            header,
            rows,
        } = t;
        let header_h = row_height(&header);
        let page_h = self.bottom - self.top;
        // The header and the first row start together.
        let first = rows.first().map_or(0.0, |r| row_height(r));
        if !self.fits(header_h + first) && !self.at_top() {
            self.new_page();
        }
        self.row(&columns, header.clone());
        for row in rows {
            let mut row = row;
            loop {
                let h = row_height(&row);
                if self.fits(h) {
                    self.row(&columns, row);
                    break;
                }
                if h + header_h <= page_h && !self.page_starts_table(header_h) {
                    self.new_page();
                    self.row(&columns, header.clone());
                    continue;
                }
                // Taller than a page: split the row's cells at the bottom margin.
                let room = self.bottom - self.y - BORDER;
                let (head, tail) = split_row(row, room);
                if head.iter().all(|c| c.lines.is_empty()) && !self.page_starts_table(header_h) {
                    row = tail;
                    self.new_page();
                    self.row(&columns, header.clone());
                    continue;
                }
                self.row(&columns, head);
                self.new_page();
                self.row(&columns, header.clone());
                row = tail;
            }
        }
    }

    /// Whether the cursor sits right under a repeated header row at the page top.
    fn page_starts_table(&self, header_h: f32) -> bool {
        self.y <= self.top + header_h + 0.01
    }

    fn row(&mut self, columns: &[f32], cells: Vec<Set>) {
        let h = row_height(&cells);
        let (y, left) = (self.y, self.left);
        let total: f32 = columns.iter().sum();
        let mut x = left;
        for (cell, w) in cells.into_iter().zip(columns) {
            self.draw(x + CELL_MARGIN, y + BORDER, cell);
            x += w;
        }
        if !self.below_row {
            self.stroke(left, y, left + total, y, BORDER);
        }
        self.stroke(left, y + h, left + total, y + h, BORDER);
        let mut x = left;
        self.stroke(x, y, x, y + h, BORDER);
        for w in columns {
            x += w;
            self.stroke(x, y, x, y + h, BORDER);
        }
        self.y += h;
        self.below_row = true;
    }
}

/// Splits a row so that its first part is at most `room` high.
fn split_row(row: Vec<Set>, room: f32) -> (Vec<Set>, Vec<Set>) {
    let mut head = Vec::with_capacity(row.len());
    let mut tail = Vec::with_capacity(row.len());
    for mut cell in row {
        let mut h = cell.before;
        let mut k = 0;
        while k < cell.lines.len() && h + cell.lines[k].height + cell.after <= room {
            h += cell.lines[k].height;
            k += 1;
        }
        let rest = cell.lines.split_off(k);
        tail.push(Set {
            lines: rest,
            ..cell.clone()
        });
        head.push(cell);
    }
    (head, tail)
}

/// Lays `doc` out on pages. Page numbers are added from page 2.
pub(crate) fn layout(doc: &Document) -> Vec<Page> {
    let l = &doc.layout;
    let st = &l.styles;
    let page = &l.page;
    let width = pt(page.text_width());
    let mut flow = Flow {
        pages: vec![Page::default()],
        y: pt(page.top),
        top: pt(page.top),
        bottom: pt(page.height.saturating_sub(page.bottom)),
        left: pt(page.left),
        below_row: false,
    };

    header(&mut flow, doc);

    // Type name, trích yếu and the mark under them.
    let kind = set_text(
        &doc.kind,
        width,
        ParaStyle::of(st.kind, Align::Center).space(18.0, 0.0),
    );
    flow.paragraph(kind);
    if !doc.subject.is_empty() {
        let subject = set_text(
            &doc.subject,
            width,
            ParaStyle::of(st.subject, Align::Center),
        );
        flow.paragraph(subject);
    }
    let mark = match &l.subject_mark {
        SubjectMark::Rule(w) => set_rule(pt(*w), width, 12.0),
        SubjectMark::Text(t) => set_text(
            t,
            width,
            ParaStyle::of(st.subject, Align::Center).space(0.0, 12.0),
        ),
    };
    flow.paragraph(mark);

    // The body.
    let body = |style: TextStyle| ParaStyle {
        indent: pt(l.body.first_line_indent),
        after: pt(l.body.space_after),
        ..ParaStyle::of(style, Align::Justify)
    };
    let mut items = Vec::with_capacity(doc.blocks.len() * 2);
    for block in &doc.blocks {
        match block {
            Block::Paragraph { role, spans } => {
                let (style, keep) = match role {
                    Role::Body => (st.body, false),
                    Role::Heading(level) => {
                        (st.headings[usize::from(level.clamp(&1, &3) - 1)], true)
                    }
                };
                let mut set = set_spans(spans, width, body(style));
                set.keep_next = keep;
                items.push(FlowItem::Para(set));
            }
            Block::Table(t) => {
                items.push(FlowItem::Table(set_table(t, doc)));
                // The DOCX follows a table with a small empty paragraph (6 pt, 6 pt after).
                let gap = set_text(
                    "",
                    width,
                    ParaStyle {
                        size: 6.0,
                        ..body(st.body)
                    }
                    .space(0.0, 6.0),
                );
                items.push(FlowItem::Para(gap));
            }
        }
    }
    let mut items = items.into_iter().peekable();
    while let Some(item) = items.next() {
        match item {
            FlowItem::Para(set) => {
                if set.keep_next {
                    let next = items.peek().map_or(0.0, FlowItem::head_height);
                    let own = set.height() - set.after;
                    if !flow.fits(own + set.after + next) && !flow.at_top() {
                        flow.new_page();
                    }
                }
                flow.paragraph(set);
            }
            FlowItem::Table(t) => flow.table(t),
        }
    }

    closing(&mut flow, doc, width);

    // Page numbers, centred in the top margin from page 2.
    let number_style = ParaStyle::of(st.page_number, Align::Center);
    let y = pt(page.header);
    let left = flow.left;
    let mut pages = flow.pages;
    for (i, p) in pages.iter_mut().enumerate().skip(1) {
        let set = set_text(&(i + 1).to_string(), width, number_style);
        let mut f = Flow {
            pages: vec![Page::default()],
            y,
            top: y,
            bottom: f32::MAX,
            left,
            below_row: false,
        };
        f.draw(left, y, set);
        // First in reading order, as a page header is.
        let mut items = f.pages.pop().unwrap_or_default().items;
        items.append(&mut p.items);
        p.items = items;
    }
    pages
}

fn header(flow: &mut Flow, doc: &Document) {
    let l = &doc.layout;
    let st = &l.styles;
    let [left_w, right_w] = l.header_columns.map(pt);
    let inner_l = left_w - 2.0 * BOX_MARGIN;
    let inner_r = right_w - 2.0 * BOX_MARGIN;
    let centre = |s: TextStyle| ParaStyle::of(s, Align::Center);

    let mut left = Vec::new();
    if !doc.header.parent_body.is_empty() {
        left.push(set_text(
            &doc.header.parent_body,
            inner_l,
            centre(st.parent_body),
        ));
    }
    left.push(set_text(
        &doc.header.issuing_body,
        inner_l,
        centre(st.issuing_body),
    ));
    left.push(match l.issuer_mark {
        IssuerMark::Rule(fraction) => {
            let text_w = measure_width(&doc.header.issuing_body, st.issuing_body)
                .min(l.header_columns[0].saturating_sub(216));
            let w = ((text_w as f32 * fraction) as u32).max(567);
            set_rule(pt(w), inner_l, 0.0)
        }
        IssuerMark::Star => set_text("*", inner_l, centre(st.star)),
    });

    let mut right = Vec::new();
    for (i, title) in l.title_lines.iter().enumerate() {
        let style = match (l.issuer_mark, i) {
            (IssuerMark::Star, _) => st.party_title,
            (_, 0) => st.national_title,
            _ => st.motto,
        };
        right.push(set_text(title, inner_r, centre(style)));
        if i + 1 == l.title_lines.len() {
            let w = measure_width(title, style).min(l.header_columns[1].saturating_sub(216));
            right.push(set_rule(pt(w), inner_r, 0.0));
        }
    }

    let x = flow.left;
    let y = flow.y;
    let hl = flow.draw_column(x + BOX_MARGIN, y, left);
    let hr = flow.draw_column(x + left_w + BOX_MARGIN, y, right);
    let y = y + hl.max(hr);
    let number = set_text(
        &doc.header.number,
        inner_l,
        centre(st.number).space(3.0, 0.0),
    );
    let date = set_text(
        &doc.header.date_line,
        inner_r,
        centre(st.place_date).space(3.0, 0.0),
    );
    let hl = flow.draw(x + BOX_MARGIN, y, number);
    let hr = flow.draw(x + left_w + BOX_MARGIN, y, date);
    flow.y = y + hl.max(hr);
}

fn set_table(t: &Table, doc: &Document) -> SetTable {
    let st = &doc.layout.styles;
    let columns: Vec<f32> = t.columns.iter().map(|c| pt(*c)).collect();
    let cell = |spans: &[Span], w: f32, style: TextStyle, align: Align| {
        set_spans(
            spans,
            (w - 2.0 * CELL_MARGIN).max(1.0),
            ParaStyle::of(style, align).space(CELL_SPACE, CELL_SPACE),
        )
    };
    let header = t
        .header
        .iter()
        .zip(&columns)
        .map(|(s, w)| cell(s, *w, st.table_header, Align::Center))
        .collect();
    let rows = t
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .zip(&columns)
                .enumerate()
                .map(|(i, (s, w))| {
                    let align = t.align.get(i).copied().unwrap_or(Align::Left);
                    cell(s, *w, st.table_cell, align)
                })
                .collect()
        })
        .collect();
    SetTable {
        columns,
        header,
        rows,
    }
}

fn signature(sig: &Signature, width: f32, doc: &Document) -> Vec<Set> {
    let l = &doc.layout;
    let st = &l.styles;
    let centre = |s: TextStyle| ParaStyle::of(s, Align::Center);
    let mut out = Vec::new();
    if !sig.authority.is_empty() {
        out.push(set_text(&sig.authority, width, centre(st.authority)));
    }
    if !sig.position.is_empty() {
        out.push(set_text(&sig.position, width, centre(st.position)));
    }
    for _ in 0..l.signature_gap {
        out.push(set_text("", width, centre(st.body)));
    }
    out.push(set_text(&sig.name, width, centre(st.signer)));
    out
}

fn recipients(doc: &Document, width: f32) -> Vec<Set> {
    let l = &doc.layout;
    let st = &l.styles;
    let mut out = vec![set_text(
        &l.recipients_label,
        width,
        ParaStyle::of(st.recipients_label, Align::Left),
    )];
    for line in &doc.recipients {
        out.push(set_text(
            line,
            width,
            ParaStyle::of(st.recipients, Align::Left),
        ));
    }
    out
}

fn closing(flow: &mut Flow, doc: &Document, width: f32) {
    let l = &doc.layout;
    let st = &l.styles;
    // An empty body-size paragraph between the body and the closing table.
    let gap = set_text("", width, ParaStyle::of(st.body, Align::Left));
    flow.paragraph(gap);

    let [left_w, right_w] = l.signature_columns.map(pt);
    let inner_l = left_w - 2.0 * BOX_MARGIN;
    let inner_r = right_w - 2.0 * BOX_MARGIN;
    let empty = Signature::default();
    let (left, right) = match doc.signatures.as_slice() {
        [a, b, ..] => (signature(a, inner_l, doc), signature(b, inner_r, doc)),
        sigs => {
            let left = if doc.recipients.is_empty() {
                vec![set_text("", inner_l, ParaStyle::of(st.body, Align::Left))]
            } else {
                recipients(doc, inner_l)
            };
            (
                left,
                signature(sigs.first().unwrap_or(&empty), inner_r, doc),
            )
        }
    };
    let h: f32 = left
        .iter()
        .map(Set::height)
        .sum::<f32>()
        .max(right.iter().map(Set::height).sum());
    if !flow.fits(h) && !flow.at_top() {
        flow.new_page();
    }
    let (x, y) = (flow.left, flow.y);
    flow.draw_column(x + BOX_MARGIN, y, left);
    flow.draw_column(x + left_w + BOX_MARGIN, y, right);
    flow.y = y + h;

    if doc.signatures.len() > 1 && !doc.recipients.is_empty() {
        // As the DOCX: an empty paragraph 12 pt below the table, then the lines.
        flow.paragraph(set_text(
            "",
            width,
            ParaStyle::of(st.body, Align::Left).space(12.0, 0.0),
        ));
        for s in recipients(doc, width) {
            flow.paragraph(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Draft, layout as lay_out};

    /// Per page, the paragraph number of every body line (paragraph `n` repeats `pn`).
    fn paragraphs_per_page(body: &str) -> Vec<Vec<usize>> {
        let doc = lay_out(&Draft {
            kind: "Báo cáo".into(),
            issuing_body: "Sở".into(),
            body: body.into(),
            ..Draft::default()
        });
        layout(&doc)
            .iter()
            .map(|page| {
                page.items
                    .iter()
                    .filter_map(|item| match item {
                        Item::Text(line) => {
                            let text: String = line.glyphs.iter().map(|g| g.ch).collect();
                            text.split_whitespace()
                                .next()
                                .and_then(|w| w.strip_prefix('p'))
                                .and_then(|n| n.parse().ok())
                        }
                        Item::Stroke(_) => None,
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_page_break_leaves_at_least_two_lines_on_each_side() {
        // Paragraphs of 1 to 7 lines (about 12 words a line), enough for several pages.
        let body: String = (0..150)
            .map(|n| format!("p{n} ").repeat(1 + (n * 37) % 90) + "\n\n")
            .collect();
        let pages = paragraphs_per_page(&body);
        assert!(pages.len() >= 4, "{} pages", pages.len());
        for pair in pages.windows(2) {
            let (before, after) = (&pair[0], &pair[1]);
            let (Some(last), Some(first)) = (before.last(), after.first()) else {
                continue;
            };
            if last == first {
                let here = before.iter().filter(|p| *p == last).count();
                let there = after.iter().filter(|p| *p == first).count();
                assert!(
                    here >= 2 && there >= 2,
                    "paragraph {last}: {here} | {there}"
                );
            }
        }
    }

    #[test]
    fn a_heading_is_not_left_at_the_foot_of_a_page() {
        let body: String = (0..80)
            .map(|n| format!("# p{n} heading\n\np{n} ") + &format!("p{n} ").repeat(30) + "\n\n")
            .collect();
        let doc = lay_out(&Draft {
            kind: "Báo cáo".into(),
            body,
            ..Draft::default()
        });
        for page in layout(&doc) {
            let last = page.items.iter().rev().find_map(|item| match item {
                Item::Text(line) if !line.glyphs.is_empty() => {
                    Some(line.glyphs.iter().all(|g| g.face == Face::Bold))
                }
                _ => None,
            });
            assert_ne!(last, Some(true), "a page ends with a heading");
        }
    }
}
