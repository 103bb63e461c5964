//! Page layout: a [`Document`] → pages of positioned lines and strokes, in points from the
//! top-left corner of the paper.
//!
//! It draws the document's [`Frame`](crate::document::Frame) as the DOCX writer does (the
//! same header table, spacing, cell margins, rules and closing table, all decided by the
//! layout step), so the PDF breaks lines and pages where LibreOffice breaks our DOCX.
//! Body paragraphs keep at least two lines together at a page break (widow and orphan
//! control), table rows do not split unless one is taller than a page, and the header row
//! is repeated on every page a table spans. What the layout keeps with what follows
//! (headings, centred lines, the body's last paragraph kept whole, the closing table and
//! its recipients) moves to the next page together when it does not fit, as Word and
//! LibreOffice move a chain of "keep with next" paragraphs: so the signature and the
//! recipients never stand on a page without body text.

use super::lines::{self, Glyph};
use crate::document::fonts::Face;
use crate::document::{
    Align, BarChart, Block, BoxTable, Content, Document, Para, Rule, Span, Table, TableFormat,
    TextStyle,
};

/// Twips → points.
fn pt(twips: u32) -> f32 {
    twips as f32 / 20.0
}

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

/// A filled rectangle (a chart's bar), from its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Fill {
    pub(crate) x: f32,
    pub(crate) y: f32,
    pub(crate) width: f32,
    pub(crate) height: f32,
}

/// What a page shows, in drawing order (which is also the reading order).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    Text(TextLine),
    Stroke(Stroke),
    Fill(Fill),
}

impl Item {
    /// The item moved by (`dx`, `dy`).
    fn moved(mut self, dx: f32, dy: f32) -> Item {
        match &mut self {
            Item::Text(t) => {
                t.x += dx;
                t.baseline += dy;
            }
            Item::Stroke(s) => {
                s.x1 += dx;
                s.x2 += dx;
                s.y1 += dy;
                s.y2 += dy;
            }
            Item::Fill(f) => {
                f.x += dx;
                f.y += dy;
            }
        }
        self
    }
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
    /// Its lines stay on one page (unless they are taller than a page).
    keep_together: bool,
    /// A rule drawn at the paragraph's top.
    rule: Option<SetRule>,
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

/// A rule set in a box: its ends relative to the box, and its thickness.
#[derive(Debug, Clone, Copy)]
struct SetRule {
    x1: f32,
    x2: f32,
    thickness: f32,
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

/// A solid rule centred in a box `width` wide, as the DOCX draws it: the top border of a
/// paragraph one line high.
fn set_rule(rule: &Rule, width: f32, before: f32, after: f32) -> Set {
    let (length, thickness) = (pt(rule.width), pt(rule.thickness));
    let x1 = ((width - length) / 2.0).max(0.0);
    Set {
        before,
        after,
        rule: Some(SetRule {
            x1,
            x2: (x1 + length).min(width),
            thickness,
        }),
        // border, its spacing, the line
        extra: thickness + pt(rule.gap) + pt(rule.height),
        ..Set::default()
    }
}

/// A paragraph of the frame set in a box `width` wide.
fn set_para(p: &Para, width: f32) -> Set {
    Set {
        keep_next: p.keep_next,
        ..set_para_content(p, width)
    }
}

fn set_para_content(p: &Para, width: f32) -> Set {
    let (before, after) = (pt(p.before), pt(p.after));
    match &p.content {
        Content::Text { text, style } => {
            // Each line the layout broke is set on its own (and wrapped only should it not
            // fit), as Word sets the lines between line breaks.
            let ps = ParaStyle::of(*style, p.align).space(before, after);
            let mut set = Set {
                before,
                after,
                ..Set::default()
            };
            for line in text.split('\n') {
                set.lines.extend(set_text(line, width, ps).lines);
            }
            set
        }
        Content::Empty { size } => {
            let style = TextStyle {
                size: *size,
                bold: false,
                italic: false,
                caps: false,
            };
            set_text(
                "",
                width,
                ParaStyle::of(style, p.align).space(before, after),
            )
        }
        Content::Rule(rule) => set_rule(rule, width, before, after),
    }
}

/// A table set in advance: column widths and rows of cells.
#[derive(Debug, Clone)]
struct SetTable {
    grid: Grid,
    header: Vec<Set>,
    rows: Vec<Vec<Set>>,
}

/// The columns of a body table, its cell margin (left and right) and border width.
#[derive(Debug, Clone)]
struct Grid {
    columns: Vec<f32>,
    margin: f32,
    border: f32,
}

impl Grid {
    /// Height of a row of `cells` with its border.
    fn row_height(&self, cells: &[Set]) -> f32 {
        cells.iter().map(Set::height).fold(0.0, f32::max) + self.border
    }
}

/// A row of a borderless table of the frame, set: each cell's x (relative to the left
/// margin, inside its cell margin) and paragraphs.
struct BoxRow {
    cells: Vec<(f32, Vec<Set>)>,
    height: f32,
    /// The row stays on one page.
    whole: bool,
    /// The row stays on the page of what follows.
    keep_next: bool,
}

/// A chart drawn in advance, relative to its top-left corner: what it shows, its height,
/// and whether it stays with what follows.
struct SetChart {
    items: Vec<Item>,
    height: f32,
    keep_next: bool,
}

/// What the page flow places, in order.
enum FlowItem {
    Para(Set),
    /// A body table; whether its last row stays with what follows.
    Table(SetTable, bool),
    Row(BoxRow),
    Chart(SetChart),
}

impl FlowItem {
    /// Height of the start that must stay together.
    fn head_height(&self) -> f32 {
        match self {
            FlowItem::Para(s) => s.head_height(),
            FlowItem::Table(t, _) => {
                let g = &t.grid;
                g.row_height(&t.header) + t.rows.first().map_or(0.0, |r| g.row_height(r))
            }
            FlowItem::Row(r) => r.height,
            FlowItem::Chart(c) => c.height,
        }
    }

    /// Whole height.
    fn height(&self) -> f32 {
        match self {
            FlowItem::Para(s) => s.height(),
            FlowItem::Table(t, _) => {
                let g = &t.grid;
                g.row_height(&t.header) + t.rows.iter().map(|r| g.row_height(r)).sum::<f32>()
            }
            FlowItem::Row(r) => r.height,
            FlowItem::Chart(c) => c.height,
        }
    }

    /// Whether it stays on the page of what follows.
    fn keeps_next(&self) -> bool {
        match self {
            FlowItem::Para(s) => s.keep_next,
            FlowItem::Table(_, keep) => *keep,
            FlowItem::Row(r) => r.keep_next,
            FlowItem::Chart(c) => c.keep_next,
        }
    }
}

/// For each item, the height that must fit on a page from its top: the item and every item
/// it keeps with, up to the start of the first that keeps with nothing.
fn chain_heights(items: &[FlowItem]) -> Vec<f32> {
    let mut out = vec![0.0; items.len() + 1];
    for i in (0..items.len()).rev() {
        out[i] = if items[i].keeps_next() {
            items[i].height() + out[i + 1]
        } else {
            items[i].head_height()
        };
    }
    out
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
        if let Some(r) = set.rule {
            let y = cy + r.thickness / 2.0;
            self.stroke(x0 + r.x1, y, x0 + r.x2, y, r.thickness);
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

    /// Places a row of a borderless table of the frame at the cursor, whole (on the next
    /// page when it must stay on one and does not fit here).
    fn box_row(&mut self, row: BoxRow) {
        if row.whole && !self.fits(row.height) && !self.at_top() {
            self.new_page();
        }
        let (left, y) = (self.left, self.y);
        for (x, sets) in row.cells {
            self.draw_column(left + x, y, sets);
        }
        self.y = y + row.height;
    }

    /// Places a chart at the cursor, whole (on the next page when it does not fit here).
    fn chart(&mut self, chart: SetChart) {
        self.below_row = false;
        if !self.fits(chart.height) && !self.at_top() {
            self.new_page();
        }
        let (left, y) = (self.left, self.y);
        let page = self.page();
        page.items
            .extend(chart.items.into_iter().map(|item| item.moved(left, y)));
        self.y = y + chart.height;
    }

    /// Places a body paragraph at the cursor, breaking it across pages (on the next page
    /// first when it must stay whole and does not fit here).
    fn paragraph(&mut self, set: Set) {
        self.below_row = false;
        if set.keep_together && !self.fits(set.height()) && !self.at_top() {
            self.new_page();
        }
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
                    keep_together: false,
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

    /// Places a body table; its last row needs `last_with` more room below it (what it
    /// keeps with), or it goes to the next page.
    fn table(&mut self, t: SetTable, last_with: f32) {
        let SetTable { grid, header, rows } = t;
        let header_h = grid.row_height(&header);
        let page_h = self.bottom - self.top;
        // The header and the first row start together.
        let first = rows.first().map_or(0.0, |r| grid.row_height(r));
        if !self.fits(header_h + first) && !self.at_top() {
            self.new_page();
        }
        self.row(&grid, header.clone());
        let n = rows.len();
        for (i, row) in rows.into_iter().enumerate() {
            let mut row = row;
            let with = if i + 1 == n { last_with } else { 0.0 };
            loop {
                let h = grid.row_height(&row);
                let kept = with > 0.0 && h + with + header_h <= page_h;
                let fresh = self.page_starts_table(header_h);
                if self.fits(h + if kept { with } else { 0.0 }) || (fresh && self.fits(h)) {
                    self.row(&grid, row);
                    break;
                }
                if h + header_h <= page_h && !self.page_starts_table(header_h) {
                    self.new_page();
                    self.row(&grid, header.clone());
                    continue;
                }
                // Taller than a page: split the row's cells at the bottom margin.
                let room = self.bottom - self.y - grid.border;
                let (head, tail) = split_row(row, room);
                if head.iter().all(|c| c.lines.is_empty()) && !self.page_starts_table(header_h) {
                    row = tail;
                    self.new_page();
                    self.row(&grid, header.clone());
                    continue;
                }
                self.row(&grid, head);
                self.new_page();
                self.row(&grid, header.clone());
                row = tail;
            }
        }
    }

    /// Whether the cursor sits right under a repeated header row at the page top.
    fn page_starts_table(&self, header_h: f32) -> bool {
        self.y <= self.top + header_h + 0.01
    }

    fn row(&mut self, grid: &Grid, cells: Vec<Set>) {
        let h = grid.row_height(&cells);
        let (y, left) = (self.y, self.left);
        let (columns, border) = (&grid.columns, grid.border);
        let total: f32 = columns.iter().sum();
        let mut x = left;
        for (cell, w) in cells.into_iter().zip(columns) {
            self.draw(x + grid.margin, y + border, cell);
            x += w;
        }
        if !self.below_row {
            self.stroke(left, y, left + total, y, border);
        }
        self.stroke(left, y + h, left + total, y + h, border);
        let mut x = left;
        self.stroke(x, y, x, y + h, border);
        for w in columns {
            x += w;
            self.stroke(x, y, x, y + h, border);
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

/// Lays `doc` out on pages: its frame around its body. Page numbers are added from
/// page 2.
pub(crate) fn layout(doc: &Document) -> Vec<Page> {
    let page = &doc.layout.page;
    let width = pt(page.text_width());
    let mut flow = Flow {
        pages: vec![Page::default()],
        y: pt(page.top),
        top: pt(page.top),
        bottom: pt(page.height.saturating_sub(page.bottom)),
        left: pt(page.left),
        below_row: false,
    };
    let items = items(doc, width);
    let chains = chain_heights(&items);
    let page_h = flow.bottom - flow.top;
    for (i, item) in items.into_iter().enumerate() {
        // A chain of kept items starts on a new page when it does not fit here (and would
        // on a page of its own).
        let chain = chains[i];
        if item.keeps_next() && !flow.fits(chain) && !flow.at_top() && chain <= page_h {
            match &item {
                // A table breaks between rows; its last row is kept by `table`.
                FlowItem::Table(..) => {}
                _ => flow.new_page(),
            }
        }
        match item {
            FlowItem::Para(set) => flow.paragraph(set),
            FlowItem::Table(t, _) => flow.table(t, chains[i + 1]),
            FlowItem::Row(row) => flow.box_row(row),
            FlowItem::Chart(chart) => flow.chart(chart),
        }
    }
    let left = flow.left;
    let mut pages = flow.pages;
    number_pages(&mut pages, doc, width, left);
    pages
}

/// The rows of a borderless table of the frame, set.
fn box_rows(t: &BoxTable, out: &mut Vec<FlowItem>) {
    let margin = pt(t.cell_margin);
    let last = t.rows.len().saturating_sub(1);
    for (r, row) in t.rows.iter().enumerate() {
        let mut x = 0.0;
        let cells: Vec<(f32, Vec<Set>)> = row
            .iter()
            .zip(&t.columns)
            .map(|(cell, w)| {
                let inner = pt(*w) - 2.0 * margin;
                let cell_x = x + margin;
                x += pt(*w);
                (cell_x, cell.iter().map(|p| set_para(p, inner)).collect())
            })
            .collect();
        let height = cells
            .iter()
            .map(|(_, c)| c.iter().map(Set::height).sum::<f32>())
            .fold(0.0, f32::max);
        out.push(FlowItem::Row(BoxRow {
            cells,
            height,
            whole: t.keep_rows,
            keep_next: t.keep_next && r == last,
        }));
    }
}

/// Everything the flow places, in order: the header table, the title, the addressees, the
/// body's blocks, and the closing table with what follows it.
fn items(doc: &Document, width: f32) -> Vec<FlowItem> {
    let l = &doc.layout;
    let frame = &doc.frame;
    let mut items = Vec::with_capacity(doc.blocks.len() * 2 + 16);
    box_rows(&frame.header, &mut items);
    items.extend(
        frame
            .title
            .iter()
            .map(|p| FlowItem::Para(set_para(p, width))),
    );
    if let Some(t) = &frame.addressees {
        box_rows(t, &mut items);
    }
    let last = doc.blocks.len().saturating_sub(1);
    for (i, block) in doc.blocks.iter().enumerate() {
        let keep = frame.keep_last_block && i == last;
        match block {
            Block::Paragraph { role, spans } => {
                let (before, after) = l.spacing_of(*role);
                let ps = ParaStyle {
                    indent: if role.indented() {
                        pt(l.body.first_line_indent)
                    } else {
                        0.0
                    },
                    ..ParaStyle::of(l.style_of(*role), role.align()).space(pt(before), pt(after))
                };
                let mut set = set_spans(spans, width, ps);
                set.keep_next = role.keeps_with_next() || keep;
                set.keep_together = keep;
                items.push(FlowItem::Para(set));
            }
            Block::Table(t) => {
                items.push(FlowItem::Table(set_table(t, &frame.tables, doc), keep));
                let mut gap = set_para(&frame.after_table, width);
                gap.keep_next = keep;
                items.push(FlowItem::Para(gap));
            }
            Block::Chart(chart) => items.push(FlowItem::Chart(set_chart(chart, keep))),
        }
    }
    items.push(FlowItem::Para(set_para(&frame.before_closing, width)));
    box_rows(&frame.closing, &mut items);
    items.extend(
        frame
            .after_closing
            .iter()
            .map(|p| FlowItem::Para(set_para(p, width))),
    );
    items
}

/// Page numbers, centred in the top margin from page 2, first in each page's reading
/// order as a page header is.
fn number_pages(pages: &mut [Page], doc: &Document, width: f32, left: f32) {
    let number_style = ParaStyle::of(doc.layout.styles.page_number, Align::Center);
    let y = pt(doc.layout.page.header);
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
        let mut items = f.pages.pop().unwrap_or_default().items;
        items.append(&mut p.items);
        p.items = items;
    }
}

/// A chart drawn as the layout sized it: the caption centred on top, then per bar its
/// label right-aligned in the label column, the bar (its length in proportion to the
/// largest value), and its value after it; an axis line where the bars start. Reading
/// order: the caption, then label and value bar by bar.
fn set_chart(chart: &BarChart, keep_next: bool) -> SetChart {
    let mut items = Vec::with_capacity(chart.bars.len() * 3 + 2);
    let width = pt(chart.width);
    let row = pt(chart.row);
    let label_width = pt(chart.label_width);
    let size = chart.style.size as f32 / 2.0;
    let gap = size / 2.0;
    let place = |set: Set, x: f32, top: f32, items: &mut Vec<Item>| {
        for line in set.lines {
            items.push(Item::Text(TextLine {
                x: x + line.x,
                baseline: top + (row - line.height) / 2.0 + line.ascent,
                glyphs: line.glyphs,
                word_extra: 0.0,
            }));
        }
    };
    let caption = pt(chart.caption_height);
    if !chart.caption.is_empty() {
        let style = TextStyle {
            italic: true,
            ..chart.style
        };
        let set = set_text(&chart.caption, width, ParaStyle::of(style, Align::Center));
        place(set, 0.0, (caption - row) / 2.0, &mut items);
    }
    let max = chart.bars.iter().map(|b| b.value).max().unwrap_or(0).max(1) as f32;
    let room = (width - label_width - pt(chart.value_width)).max(0.0);
    let plain = ParaStyle::of(chart.style, Align::Right);
    for (i, bar) in chart.bars.iter().enumerate() {
        let top = caption + row * i as f32;
        let label = set_text(&bar.label, label_width - gap, plain);
        place(label, 0.0, top, &mut items);
        let length = room * bar.value as f32 / max;
        if length > 0.0 {
            items.push(Item::Fill(Fill {
                x: label_width,
                y: top + row * 0.2,
                width: length,
                height: row * 0.6,
            }));
        }
        let value = set_text(
            &bar.value.to_string(),
            width,
            ParaStyle::of(chart.style, Align::Left),
        );
        place(value, label_width + length + gap, top, &mut items);
    }
    let bars_end = caption + row * chart.bars.len() as f32;
    items.push(Item::Stroke(Stroke {
        x1: label_width,
        y1: caption,
        x2: label_width,
        y2: bars_end,
        width: 0.5,
    }));
    SetChart {
        items,
        height: pt(chart.height),
        keep_next,
    }
}

fn set_table(t: &Table, format: &TableFormat, doc: &Document) -> SetTable {
    let st = &doc.layout.styles;
    let grid = Grid {
        columns: t.columns.iter().map(|c| pt(*c)).collect(),
        margin: pt(format.cell_margin),
        border: pt(format.border),
    };
    let space = pt(format.cell_space);
    let cell = |spans: &[Span], w: f32, style: TextStyle, align: Align| {
        set_spans(
            spans,
            (w - 2.0 * grid.margin).max(1.0),
            ParaStyle::of(style, align).space(space, space),
        )
    };
    let header = t
        .header
        .iter()
        .zip(&grid.columns)
        .map(|(s, w)| cell(s, *w, st.table_header, format.header_align))
        .collect();
    let rows = t
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .zip(&grid.columns)
                .enumerate()
                .map(|(i, (s, w))| {
                    let align = t.align.get(i).copied().unwrap_or(Align::Left);
                    cell(s, *w, st.table_cell, align)
                })
                .collect()
        })
        .collect();
    SetTable { grid, header, rows }
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
                        Item::Stroke(_) | Item::Fill(_) => None,
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

    /// Per page, the text of every line.
    fn page_lines(doc: &crate::document::Document) -> Vec<Vec<String>> {
        layout(doc)
            .iter()
            .map(|page| {
                page.items
                    .iter()
                    .filter_map(|item| match item {
                        Item::Text(line) => Some(line.glyphs.iter().map(|g| g.ch).collect()),
                        Item::Stroke(_) | Item::Fill(_) => None,
                    })
                    .collect()
            })
            .collect()
    }

    /// The page holding `text` as a line; panics unless exactly one does.
    fn page_of(pages: &[Vec<String>], text: &str) -> usize {
        let found: Vec<usize> = (0..pages.len())
            .filter(|&i| pages[i].iter().any(|l| l == text))
            .collect();
        assert_eq!(found.len(), 1, "{text} on pages {found:?}");
        found[0]
    }

    #[test]
    fn the_signature_and_recipients_never_stand_on_a_page_without_body_text() {
        // Bodies of 1 to 80 paragraphs of 1-4 lines: the closing table lands at every
        // height of a page, and past its foot.
        for two_signatures in [false, true] {
            for n in 1..=80usize {
                let body: String = (0..n)
                    .map(|k| format!("p{k} ") + &"chữ ".repeat(5 + (k * 7) % 40) + "\n\n")
                    .collect();
                let mut draft = Draft {
                    kind: "Báo cáo".into(),
                    issuing_body: "Sở Tư pháp".into(),
                    authority: "KT. Giám đốc".into(),
                    position: "Phó Giám đốc".into(),
                    signer: "Nguyễn Văn A".into(),
                    recipients: vec!["UBND tỉnh".into(), "Lưu: VT".into()],
                    body,
                    ..Draft::default()
                };
                if two_signatures {
                    draft.signatures.push(crate::document::Signature {
                        position: "Thư ký".into(),
                        name: "Trần Thị B".into(),
                        ..Default::default()
                    });
                }
                let pages = page_lines(&lay_out(&draft));
                let closing = page_of(&pages, "Nguyễn Văn A");
                for line in ["Nơi nhận:", "- Lưu: VT.", "KT. GIÁM ĐỐC"] {
                    assert_eq!(page_of(&pages, line), closing, "{line}, {n} paragraphs");
                }
                if closing > 0 {
                    assert!(
                        pages[closing].iter().any(|l| l.starts_with('p')),
                        "{n} paragraphs ({two_signatures}): page {} has no body text: {:?}",
                        closing + 1,
                        pages[closing]
                    );
                }
            }
        }
    }

    #[test]
    fn a_body_ending_in_a_table_keeps_its_last_row_with_the_signature() {
        for n in 1..=60usize {
            let rows: String = (0..n)
                .map(|k| format!("| r{k} | {} |\n", "chữ ".repeat(3 + (k * 5) % 30)))
                .collect();
            let draft = Draft {
                kind: "Báo cáo".into(),
                issuing_body: "Sở Tư pháp".into(),
                signer: "Nguyễn Văn A".into(),
                recipients: vec!["UBND tỉnh".into()],
                body: format!("| TT | Nội dung |\n|---|---|\n{rows}"),
                ..Draft::default()
            };
            let pages = page_lines(&lay_out(&draft));
            let closing = page_of(&pages, "Nguyễn Văn A");
            assert_eq!(page_of(&pages, "Nơi nhận:"), closing);
            if closing > 0 {
                let last_row = format!("r{}", n - 1);
                assert!(
                    pages[closing].iter().any(|l| l == &last_row),
                    "{n} rows: the last row is not on the signature's page"
                );
            }
        }
    }
}
