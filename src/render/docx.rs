//! DOCX writer (docx-rs): a [`Document`] → the bytes of a `.docx`.
//!
//! The structure is the one Word users build by hand, so the result stays editable:
//! a borderless two-column header table (issuer, mark, number | national title or Party
//! title, rule, date line), the type name and trích yếu centred, the body, and a second
//! borderless table (Nơi nhận | signature). Page numbers are a PAGE field centred in the
//! header of pages 2 and on (`w:titlePg` with an empty first-page header).
//!
//! Pure: no IO, no clock. Paragraph ids are numbered per document and the package dates
//! come from [`RenderOptions`], so the same input gives the same bytes.

use docx_rs::{
    AlignmentType, BorderType, Docx, FieldCharType, Header as DocxHeader, InstrPAGE, InstrText,
    LineSpacing, LineSpacingType, PageMargin, Paragraph, ParagraphBorder, ParagraphBorderPosition,
    ParagraphBorders, Run, RunFonts, SpecialIndentType, Style, StyleType, Table as DocxTable,
    TableBorders, TableCell, TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};

use super::RenderOptions;
use crate::document::{
    Align, Block, Document, IssuerMark, Layout, Role, Signature, Span, SubjectMark, Table,
    TextStyle,
};
use crate::{Error, Result};

/// Default cell margin left and right (Word's 0.19 cm), twips.
const CELL_MARGIN: u32 = 108;

/// Renders `doc` as DOCX bytes.
pub fn docx(doc: &Document, opts: &RenderOptions) -> Result<Vec<u8>> {
    let mut w = Writer {
        layout: &doc.layout,
        next_id: 0,
    };
    let l = &doc.layout;
    let font = RunFonts::new()
        .ascii(&l.font)
        .hi_ansi(&l.font)
        .cs(&l.font)
        .east_asia(&l.font);
    let margin = PageMargin {
        top: l.page.top as i32,
        bottom: l.page.bottom as i32,
        left: l.page.left as i32,
        right: l.page.right as i32,
        header: l.page.header as i32,
        footer: l.page.header as i32,
        gutter: 0,
    };
    let page_number = w
        .para(AlignmentType::Center, 0, 0)
        .add_run(w.field_page(l.styles.page_number));
    let first_page = w.para(AlignmentType::Left, 0, 0);
    let mut d = Docx::new()
        .page_size(l.page.width, l.page.height)
        .page_margin(margin)
        .default_fonts(font)
        .default_size(l.styles.body.size as usize)
        .created_at(&opts.created)
        .updated_at(&opts.created)
        .add_style(body_style(BODY, l.styles.body, l))
        .add_style(body_style(HEADINGS[0], l.styles.headings[0], l).based_on(BODY))
        .add_style(body_style(HEADINGS[1], l.styles.headings[1], l).based_on(BODY))
        .add_style(body_style(HEADINGS[2], l.styles.headings[2], l).based_on(BODY))
        .add_style(cell_style(CELL, l.styles.table_cell, AlignmentType::Left))
        .add_style(cell_style(
            CELL_HEAD,
            l.styles.table_header,
            AlignmentType::Center,
        ))
        .header(DocxHeader::new().add_paragraph(page_number))
        .first_header(DocxHeader::new().add_paragraph(first_page));

    d = d.add_table(w.header_table(doc));
    d = d.add_paragraph(w.para(AlignmentType::Center, 360, 0).add_run(text_run(
        &doc.kind,
        l.styles.kind,
        false,
        false,
    )));
    if !doc.subject.is_empty() {
        d = d.add_paragraph(w.para(AlignmentType::Center, 0, 0).add_run(text_run(
            &doc.subject,
            l.styles.subject,
            false,
            false,
        )));
    }
    d = match &l.subject_mark {
        SubjectMark::Rule(width) => d.add_paragraph(w.rule(*width, l.page.text_width(), 240)),
        SubjectMark::Text(t) => {
            d.add_paragraph(w.para(AlignmentType::Center, 0, 240).add_run(text_run(
                t,
                l.styles.subject,
                false,
                false,
            )))
        }
    };
    for block in &doc.blocks {
        d = match block {
            Block::Paragraph { role, spans } => d.add_paragraph(w.body_paragraph(*role, spans)),
            Block::Table(t) => {
                let d = d.add_table(w.body_table(t));
                // A table cannot carry space after it; a small empty paragraph does.
                d.add_paragraph(w.para(AlignmentType::Left, 0, 120).size(12))
            }
        };
    }
    d = d.add_paragraph(w.para(AlignmentType::Left, 0, 0));
    d = d.add_table(w.closing_table(doc));
    if doc.signatures.len() > 1 && !doc.recipients.is_empty() {
        d = d.add_paragraph(w.para(AlignmentType::Left, 240, 0));
        for p in w.recipients(&doc.recipients) {
            d = d.add_paragraph(p);
        }
    }

    let mut out = std::io::Cursor::new(Vec::with_capacity(128 * 1024));
    d.pack(&mut out).map_err(|e| Error::Docx(e.to_string()))?;
    repeat_header_rows(&out.into_inner())
}

/// Marks the header row of every body table to repeat at the top of each page
/// (`w:tblHeader`), which docx-rs cannot express: `document.xml` is patched, every other
/// part is copied as it is, dates included, so the bytes stay deterministic.
fn repeat_header_rows(package: &[u8]) -> Result<Vec<u8>> {
    use std::io::{Read, Write};
    let docx_error = |e: &dyn std::fmt::Display| Error::Docx(e.to_string());
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(package)).map_err(|e| docx_error(&e))?;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(package.len())));
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).map_err(|e| docx_error(&e))?;
        if file.name() != "word/document.xml" {
            writer.raw_copy_file(file).map_err(|e| docx_error(&e))?;
            continue;
        }
        let mut xml = String::new();
        file.read_to_string(&mut xml).map_err(|e| docx_error(&e))?;
        let head = format!("w:val=\"{CELL_HEAD}\"");
        let rows: Vec<String> = xml
            .split("<w:tr>")
            .map(|row| {
                if row.contains(&head) {
                    row.replacen("<w:cantSplit />", "<w:cantSplit /><w:tblHeader />", 1)
                } else {
                    row.to_string()
                }
            })
            .collect();
        let mut options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        if let Some(time) = file.last_modified() {
            options = options.last_modified_time(time);
        }
        writer
            .start_file("word/document.xml", options)
            .map_err(|e| docx_error(&e))?;
        writer
            .write_all(rows.join("<w:tr>").as_bytes())
            .map_err(|e| docx_error(&e))?;
    }
    Ok(writer.finish().map_err(|e| docx_error(&e))?.into_inner())
}

/// Paragraph styles for the bulk of the text (body, headings, table cells): their runs then
/// carry only their own bold/italic, which keeps `document.xml` small and fast to write.
const BODY: &str = "VbBody";
const HEADINGS: [&str; 3] = ["VbHeading1", "VbHeading2", "VbHeading3"];
const CELL: &str = "VbCell";
const CELL_HEAD: &str = "VbCellHead";

fn with_text_style(mut style: Style, text: TextStyle) -> Style {
    style = style.size(text.size as usize);
    if text.bold {
        style = style.bold();
    }
    if text.italic {
        style = style.italic();
    }
    style
}

fn body_style(id: &str, text: TextStyle, l: &Layout) -> Style {
    let style = Style::new(id, StyleType::Paragraph)
        .name(id)
        .align(AlignmentType::Both)
        .line_spacing(
            LineSpacing::new()
                .before(0)
                .after(l.body.space_after)
                .line(l.body.line as i32)
                .line_rule(LineSpacingType::Auto),
        )
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(
                l.body.first_line_indent as i32,
            )),
            None,
            None,
        );
    with_text_style(style, text)
}

fn cell_style(id: &str, text: TextStyle, align: AlignmentType) -> Style {
    let style = Style::new(id, StyleType::Paragraph)
        .name(id)
        .align(align)
        .line_spacing(
            LineSpacing::new()
                .before(40)
                .after(40)
                .line(240)
                .line_rule(LineSpacingType::Auto),
        );
    with_text_style(style, text)
}

/// `s` without the characters XML 1.0 forbids (C0 controls other than tab, line feed and
/// carriage return; U+FFFE, U+FFFF): docx-rs writes them as they are, and Word then
/// refuses the whole file.
fn xml_text(s: &str) -> std::borrow::Cow<'_, str> {
    let forbidden = |c: char| matches!(c, '\0'..='\x08' | '\x0B' | '\x0C' | '\x0E'..='\x1F' | '\u{FFFE}' | '\u{FFFF}');
    if s.contains(forbidden) {
        s.replace(forbidden, "").into()
    } else {
        s.into()
    }
}

/// Runs of a styled paragraph: only the span's own emphasis.
fn styled_runs(mut p: Paragraph, spans: &[Span]) -> Paragraph {
    for s in spans {
        let mut run = Run::new().add_text(xml_text(&s.text));
        if s.bold {
            run = run.bold();
        }
        if s.italic {
            run = run.italic();
        }
        p = p.add_run(run);
    }
    p
}

fn text_run(text: &str, style: TextStyle, bold: bool, italic: bool) -> Run {
    let mut run = Run::new()
        .add_text(xml_text(text))
        .size(style.size as usize);
    if style.bold || bold {
        run = run.bold();
    }
    if style.italic || italic {
        run = run.italic();
    }
    run
}

fn alignment(a: Align) -> AlignmentType {
    match a {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
        Align::Justify => AlignmentType::Both,
    }
}

fn borderless(rows: Vec<TableRow>, columns: &[u32]) -> DocxTable {
    let total: u32 = columns.iter().sum();
    DocxTable::new(rows)
        .set_grid(columns.iter().map(|c| *c as usize).collect())
        .set_borders(TableBorders::with_empty())
        .layout(TableLayoutType::Fixed)
        .width(total as usize, WidthType::Dxa)
        .margins(
            TableCellMargins::new()
                .margin_left(CELL_MARGIN as usize, WidthType::Dxa)
                .margin_right(CELL_MARGIN as usize, WidthType::Dxa),
        )
}

struct Writer<'a> {
    layout: &'a Layout,
    next_id: u32,
}

impl Writer<'_> {
    /// A paragraph with its own id (docx-rs numbers them per thread, not per document).
    fn para(&mut self, align: AlignmentType, before: u32, after: u32) -> Paragraph {
        self.next_id += 1;
        Paragraph::new()
            .id(format!("{:08X}", self.next_id))
            .align(align)
            .line_spacing(
                LineSpacing::new()
                    .before(before)
                    .after(after)
                    .line(240)
                    .line_rule(LineSpacingType::Auto),
            )
    }

    fn line(&mut self, text: &str, style: TextStyle) -> Paragraph {
        self.para(AlignmentType::Center, 0, 0)
            .add_run(text_run(text, style, false, false))
    }

    /// A solid rule `width` twips long, centred in a box `box_width` wide: an empty
    /// paragraph one point high with a top border, indented from both sides.
    fn rule(&mut self, width: u32, box_width: u32, after: u32) -> Paragraph {
        let side = box_width.saturating_sub(width) / 2;
        let mut p = self
            .para(AlignmentType::Center, 0, after)
            .indent(Some(side as i32), None, Some(side as i32), None)
            .line_spacing(
                LineSpacing::new()
                    .before(40)
                    .after(after)
                    .line(20)
                    .line_rule(LineSpacingType::Exact),
            )
            .size(2);
        p.property = p.property.set_borders(
            ParagraphBorders::with_empty().set(
                ParagraphBorder::new(ParagraphBorderPosition::Top)
                    .val(BorderType::Single)
                    .size(6)
                    .space(1),
            ),
        );
        p
    }

    fn field_page(&mut self, style: TextStyle) -> Run {
        Run::new()
            .size(style.size as usize)
            .add_field_char(FieldCharType::Begin, false)
            .add_instr_text(InstrText::PAGE(InstrPAGE {}))
            .add_field_char(FieldCharType::Separate, false)
            .add_text("2")
            .add_field_char(FieldCharType::End, false)
    }

    fn header_table(&mut self, doc: &Document) -> DocxTable {
        let l = self.layout;
        let st = &l.styles;
        let [left_w, right_w] = l.header_columns;
        let inner = |w: u32| w.saturating_sub(2 * CELL_MARGIN);

        let mut left = TableCell::new().width(left_w as usize, WidthType::Dxa);
        if !doc.header.parent_body.is_empty() {
            left = left.add_paragraph(self.line(&doc.header.parent_body, st.parent_body));
        }
        left = left.add_paragraph(self.line(&doc.header.issuing_body, st.issuing_body));
        left = match l.issuer_mark {
            IssuerMark::Rule(fraction) => {
                let text_w =
                    crate::document::measure_width(&doc.header.issuing_body, st.issuing_body)
                        .min(inner(left_w));
                let w = ((text_w as f32) * fraction) as u32;
                left.add_paragraph(self.rule(w.max(567), inner(left_w), 0))
            }
            IssuerMark::Star => left.add_paragraph(self.line("*", st.star)),
        };

        let mut right = TableCell::new().width(right_w as usize, WidthType::Dxa);
        let titles = &l.title_lines;
        for (i, title) in titles.iter().enumerate() {
            let style = match (l.issuer_mark, i) {
                (IssuerMark::Star, _) => st.party_title,
                (_, 0) => st.national_title,
                _ => st.motto,
            };
            right = right.add_paragraph(self.line(title, style));
            if i + 1 == titles.len() {
                let w = crate::document::measure_width(title, style).min(inner(right_w));
                right = right.add_paragraph(self.rule(w, inner(right_w), 0));
            }
        }

        let number = TableCell::new()
            .width(left_w as usize, WidthType::Dxa)
            .add_paragraph(self.para(AlignmentType::Center, 60, 0).add_run(text_run(
                &doc.header.number,
                st.number,
                false,
                false,
            )));
        let date = TableCell::new()
            .width(right_w as usize, WidthType::Dxa)
            .add_paragraph(self.para(AlignmentType::Center, 60, 0).add_run(text_run(
                &doc.header.date_line,
                st.place_date,
                false,
                false,
            )));
        borderless(
            vec![
                TableRow::new(vec![left, right]),
                TableRow::new(vec![number, date]),
            ],
            &l.header_columns,
        )
    }

    fn styled(&mut self, style: &str) -> Paragraph {
        self.next_id += 1;
        Paragraph::new()
            .id(format!("{:08X}", self.next_id))
            .style(style)
    }

    fn body_paragraph(&mut self, role: Role, spans: &[Span]) -> Paragraph {
        let p = match role {
            Role::Body => self.styled(BODY),
            Role::Heading(level) => {
                let i = usize::from(level.clamp(1, 3) - 1);
                self.styled(HEADINGS[i]).keep_next(true)
            }
        };
        styled_runs(p, spans)
    }

    fn body_table(&mut self, t: &Table) -> DocxTable {
        let cell = |w: &mut Self, width: u32, spans: &[Span], style: &str, align: Align| {
            let mut p = w.styled(style);
            if style == CELL && align != Align::Left {
                p = p.align(alignment(align));
            }
            TableCell::new()
                .width(width as usize, WidthType::Dxa)
                .vertical_align(VAlignType::Top)
                .add_paragraph(styled_runs(p, spans))
        };
        let mut rows = Vec::with_capacity(t.rows.len() + 1);
        let header: Vec<TableCell> = t
            .header
            .iter()
            .zip(&t.columns)
            .map(|(spans, width)| cell(self, *width, spans, CELL_HEAD, Align::Center))
            .collect();
        rows.push(TableRow::new(header).cant_split());
        for row in &t.rows {
            let cells: Vec<TableCell> = row
                .iter()
                .zip(&t.columns)
                .zip(&t.align)
                .map(|((spans, width), align)| cell(self, *width, spans, CELL, *align))
                .collect();
            rows.push(TableRow::new(cells).cant_split());
        }
        let total: u32 = t.columns.iter().sum();
        DocxTable::new(rows)
            .set_grid(t.columns.iter().map(|c| *c as usize).collect())
            .layout(TableLayoutType::Fixed)
            .width(total as usize, WidthType::Dxa)
            .margins(
                TableCellMargins::new()
                    .margin_left(80, WidthType::Dxa)
                    .margin_right(80, WidthType::Dxa),
            )
    }

    fn recipients(&mut self, lines: &[String]) -> Vec<Paragraph> {
        let st = &self.layout.styles;
        let mut out = vec![self.para(AlignmentType::Left, 0, 0).add_run(text_run(
            &self.layout.recipients_label,
            st.recipients_label,
            false,
            false,
        ))];
        for line in lines {
            out.push(self.para(AlignmentType::Left, 0, 0).add_run(text_run(
                line,
                st.recipients,
                false,
                false,
            )));
        }
        out
    }

    fn signature_cell(&mut self, sig: &Signature, width: u32) -> TableCell {
        let st = &self.layout.styles;
        let mut cell = TableCell::new().width(width as usize, WidthType::Dxa);
        if !sig.authority.is_empty() {
            cell = cell.add_paragraph(self.line(&sig.authority, st.authority));
        }
        if !sig.position.is_empty() {
            cell = cell.add_paragraph(self.line(&sig.position, st.position));
        }
        for _ in 0..self.layout.signature_gap {
            cell = cell.add_paragraph(self.para(AlignmentType::Center, 0, 0));
        }
        cell.add_paragraph(self.line(&sig.name, st.signer))
    }

    fn closing_table(&mut self, doc: &Document) -> DocxTable {
        let l = self.layout;
        let [left_w, right_w] = l.signature_columns;
        let empty = Signature::default();
        let (left, right) = match doc.signatures.as_slice() {
            [a, b, ..] => (
                self.signature_cell(a, left_w),
                self.signature_cell(b, right_w),
            ),
            sigs => {
                let mut left = TableCell::new().width(left_w as usize, WidthType::Dxa);
                let lines = self.recipients(&doc.recipients);
                if doc.recipients.is_empty() {
                    left = left.add_paragraph(self.para(AlignmentType::Left, 0, 0));
                } else {
                    for p in lines {
                        left = left.add_paragraph(p);
                    }
                }
                (
                    left,
                    self.signature_cell(sigs.first().unwrap_or(&empty), right_w),
                )
            }
        };
        borderless(
            vec![TableRow::new(vec![left, right]).cant_split()],
            &l.signature_columns,
        )
    }
}
