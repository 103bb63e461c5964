//! Markdown body → [`Block`]s with pulldown-cmark: headings, paragraphs, numbered and
//! dash lists (printed as body paragraphs with their marker, as official documents do),
//! pipe tables, bold and italic. A paragraph opening with an article number (`Điều 1.`)
//! gets it in bold, as Phụ lục III prints the articles of a quyết định. A fenced block
//! whose info string starts with `chart` is a bar chart: the rest of the info string is
//! its caption, each line `label | value`; a block with a line that is not one is printed
//! as its lines, so nothing the template wrote is lost.

use pulldown_cmark::{Alignment, CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::{Align, Bar, BarChart, Block, Role, Span, Table};

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    /// The paragraph being built, if any.
    para: Option<(Role, Vec<Span>)>,
    bold: u32,
    italic: u32,
    /// Open lists: next number, or `None` for a dash list.
    lists: Vec<Option<u64>>,
    /// Marker to put before the next text of a list item.
    marker: Option<String>,
    table: Option<TableBuilder>,
    /// An open chart block: its caption and the text of its lines so far.
    chart: Option<(String, String)>,
    text_width: u32,
}

#[derive(Default)]
struct TableBuilder {
    align: Vec<Align>,
    header: Vec<Vec<Span>>,
    rows: Vec<Vec<Vec<Span>>>,
    in_head: bool,
    row: Vec<Vec<Span>>,
    cell: Option<Vec<Span>>,
}

fn push_span(spans: &mut Vec<Span>, text: &str, bold: bool, italic: bool) {
    if text.is_empty() {
        return;
    }
    if let Some(last) = spans.last_mut()
        && last.bold == bold
        && last.italic == italic
    {
        last.text.push_str(text);
        return;
    }
    spans.push(Span {
        text: text.to_string(),
        bold,
        italic,
    });
}

/// Length in bytes of the article number a paragraph opens with (`Điều 12.`), if any.
fn article_lead(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("Điều ")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let after = rest.as_bytes().get(digits)?;
    (digits > 0 && matches!(after, b'.' | b':')).then_some("Điều ".len() + digits + 1)
}

/// Splits a plain first span that opens with `Điều N.` so that the number is bold.
fn bold_article(spans: &mut Vec<Span>) {
    let Some(first) = spans.first_mut() else {
        return;
    };
    if first.bold {
        return;
    }
    let Some(n) = article_lead(&first.text) else {
        return;
    };
    let rest = first.text.split_off(n);
    first.bold = true;
    if !rest.is_empty() {
        let rest = Span {
            text: rest,
            bold: false,
            italic: first.italic,
        };
        spans.insert(1, rest);
    }
}

impl Builder {
    fn start_para(&mut self, role: Role) {
        self.end_para();
        self.para = Some((role, Vec::new()));
    }

    fn end_para(&mut self) {
        if let Some((role, mut spans)) = self.para.take() {
            if let Some(last) = spans.last_mut() {
                let trimmed = last.text.trim_end().len();
                last.text.truncate(trimmed);
            }
            if !spans.iter().all(|s| s.text.is_empty()) {
                if role == Role::Body {
                    bold_article(&mut spans);
                }
                self.blocks.push(Block::Paragraph { role, spans });
            }
        }
    }

    fn text(&mut self, text: &str) {
        if let Some((_, lines)) = &mut self.chart {
            lines.push_str(text);
            return;
        }
        let (bold, italic) = (self.bold > 0, self.italic > 0);
        if let Some(table) = &mut self.table {
            if let Some(cell) = &mut table.cell {
                push_span(cell, text, bold, italic);
            }
            return;
        }
        if self.para.is_none() {
            self.para = Some((Role::Body, Vec::new()));
        }
        let marker = self.marker.take();
        if let Some((_, spans)) = &mut self.para {
            if let Some(marker) = marker {
                push_span(spans, &marker, false, false);
            }
            push_span(spans, text, bold, italic);
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
                self.text(&t)
            }
            Event::SoftBreak | Event::HardBreak => self.text(" "),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } => self.start_para(Role::Heading(level as u8)),
            Tag::Paragraph => {
                // The first paragraph of a list item continues the item's line.
                let continues =
                    self.marker.is_some() && self.para.as_ref().is_some_and(|(_, s)| s.is_empty());
                if !continues && self.table.is_none() {
                    self.start_para(Role::Body);
                }
            }
            Tag::List(start) => {
                self.end_para();
                self.lists.push(start);
            }
            Tag::Item => {
                self.start_para(Role::Body);
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => "- ".to_string(),
                };
                self.marker = Some(marker);
            }
            Tag::CodeBlock(CodeBlockKind::Fenced(info)) if chart_caption(&info).is_some() => {
                self.end_para();
                let caption = chart_caption(&info).unwrap_or_default();
                self.chart = Some((caption.to_string(), String::new()));
            }
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => self.bold += 1,
            Tag::Table(align) => {
                self.end_para();
                self.table = Some(TableBuilder {
                    align: align
                        .iter()
                        .map(|a| match a {
                            Alignment::Center => Align::Center,
                            Alignment::Right => Align::Right,
                            Alignment::Left => Align::Left,
                            Alignment::None => Align::Left,
                        })
                        .collect(),
                    ..TableBuilder::default()
                });
            }
            Tag::TableHead => {
                if let Some(t) = &mut self.table {
                    t.in_head = true;
                }
            }
            Tag::TableCell => {
                if let Some(t) = &mut self.table {
                    t.cell = Some(Vec::new());
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) | TagEnd::Item => {
                self.marker = None;
                self.end_para();
            }
            TagEnd::Paragraph if self.table.is_none() => self.end_para(),
            TagEnd::List(_) => {
                self.end_para();
                self.lists.pop();
            }
            TagEnd::CodeBlock => {
                if let Some((caption, lines)) = self.chart.take() {
                    self.chart_block(caption, &lines);
                }
            }
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::TableCell => {
                if let Some(t) = &mut self.table
                    && let Some(cell) = t.cell.take()
                {
                    t.row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.header = std::mem::take(&mut t.row);
                    t.in_head = false;
                }
            }
            TagEnd::TableRow => {
                if let Some(t) = &mut self.table {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.blocks.push(Block::Table(t.finish(self.text_width)));
                }
            }
            _ => {}
        }
    }
}

impl Builder {
    /// A chart from its lines; if one is not `label | value`, the lines as paragraphs.
    fn chart_block(&mut self, caption: String, lines: &str) {
        let lines: Vec<&str> = lines
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let bars: Option<Vec<Bar>> = lines.iter().map(|l| bar(l)).collect();
        match bars {
            Some(bars) => self.blocks.push(Block::Chart(BarChart {
                caption,
                bars,
                width: 0,
                height: 0,
                caption_height: 0,
                label_width: 0,
                row: 0,
                value_width: 0,
                style: super::TextStyle {
                    size: 26,
                    bold: false,
                    italic: false,
                    caps: false,
                },
            })),
            None => {
                for line in lines {
                    self.start_para(Role::Body);
                    self.text(line);
                    self.end_para();
                }
            }
        }
    }
}

/// The caption of a chart block's info string (`chart Số văn bản theo loại`), or `None`
/// when the block is not a chart.
fn chart_caption(info: &str) -> Option<&str> {
    let rest = info.trim().strip_prefix("chart")?;
    (rest.is_empty() || rest.starts_with(char::is_whitespace)).then(|| rest.trim())
}

/// One `label | value` line of a chart, split at its last `|` that is not escaped. The
/// label is read as Markdown text (a backslash before ASCII punctuation, as filled values
/// are escaped, is dropped); the value is digits, with `.` or spaces as thousands
/// separators.
fn bar(line: &str) -> Option<Bar> {
    let mut label = String::with_capacity(line.len());
    // Where the last unescaped `|` is: in `label`, and in `line`.
    let mut split = None;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\\'
            && let Some(&(_, next)) = chars.peek()
            && next.is_ascii_punctuation()
        {
            label.push(next);
            chars.next();
            continue;
        }
        if c == '|' {
            split = Some((label.len(), i));
        }
        label.push(c);
    }
    let (at, i) = split?;
    label.truncate(at);
    let digits: String = line[i + 1..]
        .trim()
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}' | '\\'))
        .collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(Bar {
        label: label.trim().to_string(),
        value: digits.parse().ok()?,
    })
}

impl TableBuilder {
    fn finish(mut self, text_width: u32) -> Table {
        let n = self.header.len().max(1);
        self.align.resize(n, Align::Left);
        for row in &mut self.rows {
            row.resize(n, Vec::new());
        }
        self.header.resize(n, Vec::new());
        let columns = column_widths(&self.header, &self.rows, text_width);
        Table {
            columns,
            align: self.align,
            header: self.header,
            rows: self.rows,
        }
    }
}

fn cell_len(cell: &[Span]) -> usize {
    cell.iter().map(|s| s.text.chars().count()).sum()
}

/// Widths that first fit each column's longest word (a date stays on one line), then share
/// the rest in proportion to each column's mean text length (the task column gets room).
fn column_widths(header: &[Vec<Span>], rows: &[Vec<Vec<Span>>], text_width: u32) -> Vec<u32> {
    // About 0.55 em per character at 13 pt, plus the cell margins.
    const PER_CHAR: u32 = 150;
    const PADDING: u32 = 220;
    let n = header.len();
    let mut mins = Vec::with_capacity(n);
    let mut weights = Vec::with_capacity(n);
    for i in 0..n {
        let cells = || rows.iter().filter_map(move |r| r.get(i));
        let longest_word = cells()
            .chain(header.get(i))
            .flat_map(|c| c.iter().flat_map(|s| s.text.split_whitespace()))
            .map(|w| w.chars().count() as u32)
            .max()
            .unwrap_or(1);
        let total: usize = cells().map(|c| cell_len(c)).sum();
        let mean = if rows.is_empty() {
            header.get(i).map_or(1, |c| cell_len(c))
        } else {
            total / rows.len()
        };
        mins.push(longest_word.min(24) * PER_CHAR + PADDING);
        weights.push((mean as f64).clamp(1.0, 200.0));
    }
    let min_sum: u32 = mins.iter().sum();
    let mut widths: Vec<u32> = if min_sum >= text_width {
        mins.iter()
            .map(|m| (*m as u64 * text_width as u64 / min_sum.max(1) as u64) as u32)
            .collect()
    } else {
        let rest = (text_width - min_sum) as f64;
        // Columns whose text already fits on one line in their minimum get no share.
        let share: Vec<f64> = weights
            .iter()
            .zip(&mins)
            .map(|(w, m)| {
                if (*w as u32) * PER_CHAR + PADDING <= *m {
                    0.0
                } else {
                    *w
                }
            })
            .collect();
        // A table of short cells (a count by kind): nothing needs more room, so the room
        // left is shared by how long each column's header and text are, not all given to
        // one column.
        let share: Vec<f64> = if share.iter().all(|s| *s == 0.0) {
            (0..n)
                .map(|i| {
                    let head = header.get(i).map_or(0, |c| cell_len(c)) as f64;
                    head.max(weights[i])
                })
                .collect()
        } else {
            share
        };
        let sum: f64 = share.iter().sum::<f64>().max(1.0);
        mins.iter()
            .zip(&share)
            .map(|(m, s)| m + (rest * s / sum) as u32)
            .collect()
    };
    let used: u32 = widths.iter().sum();
    if let Some(widest) = widths.iter_mut().max() {
        *widest = (*widest + text_width).saturating_sub(used);
    }
    widths
}

/// Parses `markdown` into blocks; tables get column widths summing to `text_width`.
pub(crate) fn blocks(markdown: &str, text_width: u32) -> Vec<Block> {
    let mut b = Builder {
        text_width,
        ..Builder::default()
    };
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        b.event(event);
    }
    b.end_para();
    b.blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph { role, spans } => format!(
                    "{role:?}: {}",
                    spans.iter().map(|s| s.text.as_str()).collect::<String>()
                ),
                Block::Table(t) => format!("table {}x{}", t.rows.len(), t.header.len()),
                Block::Chart(c) => format!("chart {}: {:?}", c.caption, c.bars),
            })
            .collect()
    }

    #[test]
    fn headings_lists_and_tables() {
        let md = "# I. MỤC ĐÍCH\n\nCăn cứ *Chỉ thị*;\nvà **khác**.\n\n1. Một\n2. Hai\n\n- a\n- b\n\n\
                  | Nội dung | Thời hạn |\n|---|:-:|\n| Tổ chức \\| họp | 14/01/2021 |\n";
        let blocks = blocks(md, 9355);
        assert_eq!(
            texts(&blocks),
            [
                "Heading(1): I. MỤC ĐÍCH",
                "Body: Căn cứ Chỉ thị; và khác.",
                "Body: 1. Một",
                "Body: 2. Hai",
                "Body: - a",
                "Body: - b",
                "table 1x2",
            ]
        );
        let Block::Table(t) = &blocks[6] else {
            panic!()
        };
        assert_eq!(t.rows[0][0][0].text, "Tổ chức | họp");
        assert_eq!(t.align, [Align::Left, Align::Center]);
        assert_eq!(t.columns.iter().sum::<u32>(), 9355);
        let Block::Paragraph { spans, .. } = &blocks[1] else {
            panic!()
        };
        assert!(spans.iter().any(|s| s.italic && s.text == "Chỉ thị"));
        assert!(spans.iter().any(|s| s.bold && s.text == "khác"));
    }

    #[test]
    fn a_chart_block_is_a_chart_and_a_bad_one_its_lines() {
        let md = "```chart Theo loại\nKế hoạch | 2\n\nQuyết định | 1.200\nA \\| B \\* | 3\n```\n\n\
                  ```chart\nKế hoạch | hai\n```\n\n```rust\nfn main() {}\n```\n";
        let blocks = blocks(md, 9355);
        let Block::Chart(c) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(c.caption, "Theo loại");
        let bars: Vec<(&str, u64)> = c.bars.iter().map(|b| (b.label.as_str(), b.value)).collect();
        assert_eq!(
            bars,
            [("Kế hoạch", 2), ("Quyết định", 1200), ("A | B *", 3)]
        );
        assert_eq!(
            texts(&blocks[1..]),
            ["Body: Kế hoạch | hai", "Body: fn main() {}"]
        );
    }

    #[test]
    fn articles_open_in_bold() {
        let blocks = blocks(
            "Điều 1. Phê duyệt kế hoạch.\n\nĐiều 12: Hiệu lực.\n\nĐiều khoản chung.\n",
            9355,
        );
        let spans = |i: usize| match &blocks[i] {
            Block::Paragraph { spans, .. } => spans
                .iter()
                .map(|s| (s.text.as_str(), s.bold))
                .collect::<Vec<_>>(),
            Block::Table(_) | Block::Chart(_) => Vec::new(),
        };
        assert_eq!(
            spans(0),
            [("Điều 1.", true), (" Phê duyệt kế hoạch.", false)]
        );
        assert_eq!(spans(1), [("Điều 12:", true), (" Hiệu lực.", false)]);
        assert_eq!(spans(2), [("Điều khoản chung.", false)]);
    }
}
