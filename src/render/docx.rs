//! DOCX writer: a [`Document`] → the bytes of a `.docx`.
//!
//! The structure is the one Word users build by hand, so the result stays editable:
//! a borderless two-column header table (issuer, mark, number | national title or Party
//! title, rule, date line), the type name and trích yếu centred, the body, and a second
//! borderless table (Nơi nhận | signature). Page numbers are a PAGE field centred in the
//! header of pages 2 and on (`w:titlePg` with an empty first-page header). Body table
//! header rows repeat on every page (`w:tblHeader`). Everything around the body is the
//! document's [`Frame`](crate::document::Frame), written as the layout step placed and
//! measured it: this writer decides no width, margin or spacing of its own.
//!
//! `word/document.xml`, the two page headers, the styles and the core properties (title,
//! the issuing body as creator, the document's date) are written here as text into one
//! buffer per part, every property element in the order of the OOXML schema (ECMA-376
//! Part 1 §17: `w:pPr`, `w:rPr`, `w:tblPr`, `w:tcPr`, `w:sectPr`), which Word checks and
//! LibreOffice does not. Headings take Word's built-in styles (`Heading1`, named `heading
//! 1`, with their outline level), so Word's navigation pane lists them. The parts that are
//! the same for every document (content types, relationships, the other document
//! properties, settings, font table, and the empty comments, numbering and footnotes
//! parts) come from docx-rs once per thread, and are copied into each package. Paragraphs
//! the layout keeps with what follows carry `w:keepNext` (and the body's last one
//! `w:keepLines`); rows that must not split carry `w:cantSplit`.
//!
//! Pure: no IO, no clock. Paragraph ids are numbered per document and the package dates
//! come from [`RenderOptions`] or the document's date, so the same input gives the same
//! bytes.

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

use zip::write::SimpleFileOptions;

use super::RenderOptions;
use crate::document::{
    Align, BarChart, Block, BoxTable, Content, Document, Layout, Para, Role, Rule, Span, Table,
    TableFormat, TextStyle,
};
use crate::{Error, Result};

/// Paragraph styles for the bulk of the text (body, headings, căn cứ and centred lines,
/// table cells): their runs then carry only their own bold/italic, which keeps
/// `document.xml` small and fast to write.
const BODY: &str = "VbBody";
/// Word's built-in heading styles (id and name), so that its navigation pane lists them;
/// their look is the layout's.
const HEADINGS: [(&str, &str); 3] = [
    ("Heading1", "heading 1"),
    ("Heading2", "heading 2"),
    ("Heading3", "heading 3"),
];
const BASIS: &str = "VbBasis";
const CENTER: &str = "VbCenter";
const CELL: &str = "VbCell";
const CELL_HEAD: &str = "VbCellHead";

/// Relationship ids of the two headers, as docx-rs names them in `document.xml.rels`.
const PAGE_NUMBER_HEADER_ID: &str = "rIdHeader1";
const FIRST_PAGE_HEADER_ID: &str = "rIdHeader2";

/// Deflate level of `word/document.xml`: zlib-rs's fastest (level 1, `deflate_quick`)
/// spends a fraction of level 6's time for an archive a few KB larger.
const DEFLATE_LEVEL: i64 = 1;

/// Renders `doc` as DOCX bytes.
pub fn docx(doc: &Document, opts: &RenderOptions) -> Result<Vec<u8>> {
    let fixed = FixedParts::get();
    let core = core_properties(doc, opts);
    let l = &doc.layout;
    let mut ids = ParaIds::default();
    let page_number_header = page_number_header(l, &mut ids);
    let first_page_header = first_page_header(&mut ids);
    let document = BodyWriter::new(l, ids).document(doc);
    let styles = styles(l, &doc.frame.tables);

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(
        fixed.size + document.len() / 4 + styles.len() + 4096,
    )));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(DEFLATE_LEVEL));
    let mut part = |name: &str, bytes: &[u8], options: SimpleFileOptions| {
        zip.start_file(name, options)
            .and_then(|()| zip.write_all(bytes).map_err(zip::result::ZipError::Io))
            .map_err(|e| Error::Docx(e.to_string()))
    };
    let charts: Vec<String> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Chart(c) => Some(chart_part(c, &l.font)),
            _ => None,
        })
        .collect();
    for (name, bytes) in &fixed.before_core {
        part(name, &with_charts(name, bytes, charts.len()), stored)?;
    }
    part("docProps/core.xml", core.as_bytes(), stored)?;
    for (name, bytes) in &fixed.before_document {
        part(name, &with_charts(name, bytes, charts.len()), stored)?;
    }
    for (i, chart) in charts.iter().enumerate() {
        let name = format!("word/charts/chart{}.xml", i + 1);
        part(&name, chart.as_bytes(), deflated)?;
    }
    part("word/document.xml", document.as_bytes(), deflated)?;
    part("word/styles.xml", styles.as_bytes(), stored)?;
    for (name, bytes) in &fixed.after_styles {
        part(name, bytes, stored)?;
    }
    part("word/header1.xml", page_number_header.as_bytes(), stored)?;
    part("word/_rels/header1.xml.rels", &fixed.header_rels, stored)?;
    part("word/header2.xml", first_page_header.as_bytes(), stored)?;
    part("word/_rels/header2.xml.rels", &fixed.header_rels, stored)?;
    let out = zip.finish().map_err(|e| Error::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

/// A fixed part with what `n` charts need: their content types in `[Content_Types].xml`,
/// their relationships (`rIdChart1`…, targets `charts/chart1.xml`…) in the document's.
/// Other parts, and every part of a document without charts, as they are.
fn with_charts<'a>(name: &str, bytes: &'a [u8], n: usize) -> std::borrow::Cow<'a, [u8]> {
    let (end, entry): (&[u8], fn(usize) -> String) = match name {
        "[Content_Types].xml" => (b"</Types>", |i| {
            format!(
                "<Override PartName=\"/word/charts/chart{i}.xml\" ContentType=\"{CHART_TYPE}\" />"
            )
        }),
        "word/_rels/document.xml.rels" => (b"</Relationships>", |i| {
            format!(
                "<Relationship Id=\"{CHART_ID}{i}\" Type=\"{CHART_REL}\" Target=\"charts/chart{i}.xml\" />"
            )
        }),
        _ => return std::borrow::Cow::Borrowed(bytes),
    };
    let at = bytes.windows(end.len()).rposition(|w| w == end);
    let Some(at) = at.filter(|_| n > 0) else {
        return std::borrow::Cow::Borrowed(bytes);
    };
    let mut out = bytes[..at].to_vec();
    for i in 1..=n {
        out.extend_from_slice(entry(i).as_bytes());
    }
    out.extend_from_slice(&bytes[at..]);
    std::borrow::Cow::Owned(out)
}

/// Content type of a chart part.
const CHART_TYPE: &str = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";
/// Relationship type of a chart part.
const CHART_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart";
/// Prefix of the charts' relationship ids (`rIdChart1`, in body order).
const CHART_ID: &str = "rIdChart";

/// EMUs per twip.
const EMU_PER_TWIP: u64 = 635;

/// A chart's part (`word/charts/chartN.xml`): a horizontal bar chart (`c:barChart`, bars
/// top to bottom in the order given), its values from the cached data (no workbook), each
/// bar's value as its label, no value axis, no legend, the text in `font` at the chart's
/// size; the caption as its title.
fn chart_part(chart: &BarChart, font: &str) -> String {
    let mut x = Xml::with_capacity(4096 + chart.bars.len() * 160);
    let size = chart.style.size * 50; // half-points → hundredths of a point
    let run_props = |x: &mut Xml, tag: &str, italic: bool| {
        x.raw("<a:");
        x.raw(tag);
        x.raw(" sz=\"");
        x.num(size);
        x.raw(if italic {
            "\" b=\"0\" i=\"1\">"
        } else {
            "\" b=\"0\" i=\"0\">"
        });
        x.raw("<a:solidFill><a:srgbClr val=\"000000\" /></a:solidFill><a:latin typeface=\"");
        x.text(font);
        x.raw("\" /><a:cs typeface=\"");
        x.text(font);
        x.raw("\" /></a:");
        x.raw(tag);
        x.raw(">");
    };
    let text_props = |x: &mut Xml| {
        x.raw("<c:txPr><a:bodyPr /><a:lstStyle /><a:p><a:pPr>");
        run_props(x, "defRPr", false);
        x.raw("</a:pPr><a:endParaRPr lang=\"vi-VN\" /></a:p></c:txPr>");
    };
    x.raw(DECLARATION);
    x.raw(concat!(
        r#"<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" "#,
        r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
        r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
        r#"<c:lang val="vi-VN" /><c:roundedCorners val="0" /><c:chart>"#,
    ));
    if chart.caption.is_empty() {
        x.raw(r#"<c:autoTitleDeleted val="1" />"#);
    } else {
        x.raw("<c:title><c:tx><c:rich><a:bodyPr /><a:lstStyle /><a:p><a:pPr>");
        run_props(&mut x, "defRPr", true);
        x.raw("</a:pPr><a:r>");
        run_props(&mut x, "rPr", true);
        x.raw("<a:t>");
        x.text(&chart.caption);
        x.raw(r#"</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0" /></c:title><c:autoTitleDeleted val="0" />"#);
    }
    x.raw(concat!(
        r#"<c:plotArea><c:layout /><c:barChart><c:barDir val="bar" /><c:grouping val="clustered" />"#,
        r#"<c:varyColors val="0" /><c:ser><c:idx val="0" /><c:order val="0" />"#,
        r#"<c:spPr><a:solidFill><a:srgbClr val="737373" /></a:solidFill><a:ln><a:noFill /></a:ln></c:spPr>"#,
        r#"<c:invertIfNegative val="0" /><c:dLbls><c:spPr><a:noFill /><a:ln><a:noFill /></a:ln></c:spPr>"#,
    ));
    text_props(&mut x);
    x.raw(concat!(
        r#"<c:dLblPos val="outEnd" /><c:showLegendKey val="0" /><c:showVal val="1" /><c:showCatName val="0" />"#,
        r#"<c:showSerName val="0" /><c:showPercent val="0" /><c:showBubbleSize val="0" /></c:dLbls>"#,
    ));
    let n = chart.bars.len() as u32;
    x.raw("<c:cat><c:strRef><c:f>Sheet1!$A$2:$A$");
    x.num(n + 1);
    x.raw("</c:f><c:strCache>");
    x.raw("<c:ptCount val=\"");
    x.num(n);
    x.raw("\" />");
    for (i, bar) in chart.bars.iter().enumerate() {
        x.raw("<c:pt idx=\"");
        x.num(i as u32);
        x.raw("\"><c:v>");
        x.text(&bar.label);
        x.raw("</c:v></c:pt>");
    }
    x.raw("</c:strCache></c:strRef></c:cat><c:val><c:numRef><c:f>Sheet1!$B$2:$B$");
    x.num(n + 1);
    x.raw("</c:f><c:numCache><c:formatCode>General</c:formatCode>");
    x.raw("<c:ptCount val=\"");
    x.num(n);
    x.raw("\" />");
    for (i, bar) in chart.bars.iter().enumerate() {
        x.raw("<c:pt idx=\"");
        x.num(i as u32);
        x.raw("\"><c:v>");
        x.raw(&bar.value.to_string());
        x.raw("</c:v></c:pt>");
    }
    x.raw(concat!(
        r#"</c:numCache></c:numRef></c:val></c:ser><c:gapWidth val="60" />"#,
        r#"<c:axId val="1" /><c:axId val="2" /></c:barChart>"#,
        r#"<c:catAx><c:axId val="1" /><c:scaling><c:orientation val="maxMin" /></c:scaling>"#,
        r#"<c:delete val="0" /><c:axPos val="l" /><c:numFmt formatCode="General" sourceLinked="0" />"#,
        r#"<c:majorTickMark val="none" /><c:minorTickMark val="none" /><c:tickLblPos val="nextTo" />"#,
        r#"<c:spPr><a:ln w="6350"><a:solidFill><a:srgbClr val="000000" /></a:solidFill></a:ln></c:spPr>"#,
    ));
    text_props(&mut x);
    x.raw(concat!(
        r#"<c:crossAx val="2" /><c:crosses val="autoZero" /><c:auto val="1" /><c:lblAlgn val="ctr" />"#,
        r#"<c:lblOffset val="100" /><c:noMultiLvlLbl val="0" /></c:catAx>"#,
        r#"<c:valAx><c:axId val="2" /><c:scaling><c:orientation val="minMax" /><c:min val="0" /></c:scaling>"#,
        r#"<c:delete val="1" /><c:axPos val="b" /><c:numFmt formatCode="General" sourceLinked="0" />"#,
        r#"<c:majorTickMark val="none" /><c:minorTickMark val="none" /><c:tickLblPos val="nextTo" />"#,
        r#"<c:crossAx val="1" /><c:crosses val="autoZero" /><c:crossBetween val="between" /></c:valAx>"#,
        r#"<c:spPr><a:noFill /><a:ln><a:noFill /></a:ln></c:spPr></c:plotArea>"#,
        r#"<c:plotVisOnly val="1" /><c:dispBlanksAs val="gap" /></c:chart>"#,
        r#"<c:spPr><a:noFill /><a:ln><a:noFill /></a:ln></c:spPr>"#,
    ));
    text_props(&mut x);
    x.raw("</c:chartSpace>");
    x.out
}

/// `docProps/core.xml`: the title, the issuing body as creator and last editor, and the
/// creation date (from the options, else the document's date) as created and modified.
fn core_properties(doc: &Document, opts: &RenderOptions) -> String {
    let created = super::created(doc, opts);
    let creator = super::creator(doc);
    let mut xml = Xml::with_capacity(1024);
    xml.raw(DECLARATION);
    xml.raw(concat!(
        r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
        r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
        r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" "#,
        r#"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
        "<dc:title>"
    ));
    xml.text(&super::title(doc));
    xml.raw("</dc:title><dc:creator>");
    xml.text(&creator);
    xml.raw("</dc:creator><cp:lastModifiedBy>");
    xml.text(&creator);
    xml.raw("</cp:lastModifiedBy><cp:revision>1</cp:revision>");
    for element in ["dcterms:created", "dcterms:modified"] {
        xml.raw("<");
        xml.raw(element);
        xml.raw(" xsi:type=\"dcterms:W3CDTF\">");
        xml.text(&created);
        xml.raw("</");
        xml.raw(element);
        xml.raw(">");
    }
    xml.raw("</cp:coreProperties>");
    xml.out
}

/// The package parts that do not depend on the document, built by docx-rs.
struct FixedParts {
    /// Parts stored before `docProps/core.xml` (written per document), in docx-rs's order.
    before_core: Vec<(&'static str, Vec<u8>)>,
    /// Parts stored between `docProps/core.xml` and `word/document.xml`.
    before_document: Vec<(&'static str, Vec<u8>)>,
    /// Parts stored between `word/styles.xml` and the headers.
    after_styles: Vec<(&'static str, Vec<u8>)>,
    /// The (empty) relationships of each header.
    header_rels: Vec<u8>,
    /// Total bytes, to size the output buffer.
    size: usize,
}

thread_local! {
    /// The fixed parts, built once per thread.
    static FIXED_PARTS: RefCell<Option<Rc<FixedParts>>> = const { RefCell::new(None) };
}

impl FixedParts {
    /// The fixed parts, built once per thread.
    fn get() -> Rc<FixedParts> {
        FIXED_PARTS.with(|cache| {
            Rc::clone(
                cache
                    .borrow_mut()
                    .get_or_insert_with(|| Rc::new(FixedParts::build())),
            )
        })
    }

    fn build() -> FixedParts {
        // Two headers so that the content types and relationships name them; their
        // content is written by `page_number_header` and `first_page_header`.
        let xml = docx_rs::Docx::new()
            .header(docx_rs::Header::new())
            .first_header(docx_rs::Header::new())
            .build();
        let before_core = vec![
            ("[Content_Types].xml", xml.content_type),
            ("_rels/.rels", xml.rels),
            ("docProps/app.xml", xml.doc_props.app),
        ];
        let before_document = vec![
            ("docProps/custom.xml", xml.doc_props.custom),
            ("word/_rels/document.xml.rels", xml.document_rels),
        ];
        let after_styles = vec![
            ("word/settings.xml", xml.settings),
            ("word/fontTable.xml", xml.font_table),
            ("word/comments.xml", xml.comments),
            ("word/numbering.xml", xml.numberings),
            ("word/commentsExtended.xml", xml.comments_extended),
            ("word/footnotes.xml", xml.footnotes),
        ];
        let header_rels = xml.header_rels.into_iter().next().unwrap_or_else(|| {
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships" />"#.to_vec()
        });
        let size = before_core
            .iter()
            .chain(&before_document)
            .chain(&after_styles)
            .map(|(_, b)| b.len())
            .sum::<usize>()
            + 2 * header_rels.len();
        FixedParts {
            before_core,
            before_document,
            after_styles,
            header_rels,
            size,
        }
    }
}

/// `w14:paraId` values: unique in the package, numbered from 1 in writing order.
#[derive(Default)]
struct ParaIds {
    last: u32,
}

impl ParaIds {
    fn next(&mut self) -> u32 {
        self.last += 1;
        self.last
    }
}

/// A part's text, written forward: markup as given, numbers in decimal, text escaped.
struct Xml {
    out: String,
}

impl Xml {
    fn with_capacity(capacity: usize) -> Xml {
        Xml {
            out: String::with_capacity(capacity),
        }
    }

    fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// `n` in decimal.
    fn num(&mut self, n: u32) {
        let mut digits = [0u8; 10];
        let mut at = digits.len();
        let mut n = n;
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        // Only ASCII digits were written.
        self.out
            .push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
    }

    /// `n` as eight upper-case hex digits (a `w14:paraId`).
    fn hex8(&mut self, n: u32) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for shift in (0..8).rev() {
            self.out
                .push(char::from(HEX[((n >> (shift * 4)) & 0xF) as usize]));
        }
    }

    /// ` NAME="N"` for each pair, in order.
    fn attrs(&mut self, pairs: &[(&str, u32)]) {
        for &(name, n) in pairs {
            self.raw(" ");
            self.raw(name);
            self.raw("=\"");
            self.num(n);
            self.raw("\"");
        }
    }

    /// `<NAME w:val="N" />`.
    fn val(&mut self, name: &str, n: u32) {
        self.raw("<");
        self.raw(name);
        self.raw(" w:val=\"");
        self.num(n);
        self.raw("\" />");
    }

    /// `text` as character data or an attribute value: `& < > " '` as entities, a line
    /// feed as `&#xA;`, and the characters XML 1.0 forbids (C0 controls other than tab,
    /// line feed and carriage return; U+FFFE, U+FFFF) dropped along with carriage returns,
    /// which Word would otherwise refuse or LibreOffice print.
    fn text(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let (replacement, skip): (&str, usize) = match b {
                b'&' => ("&amp;", 1),
                b'<' => ("&lt;", 1),
                b'>' => ("&gt;", 1),
                b'"' => ("&quot;", 1),
                b'\'' => ("&apos;", 1),
                b'\n' => ("&#xA;", 1),
                b'\t' => {
                    i += 1;
                    continue;
                }
                0..=0x1F => ("", 1),
                // U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8.
                0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => ("", 3),
                _ => {
                    i += 1;
                    continue;
                }
            };
            self.out.push_str(&text[start..i]);
            self.out.push_str(replacement);
            i += skip;
            start = i;
        }
        self.out.push_str(&text[start..]);
    }
}

/// Paragraph spacing (`w:spacing`), twips; `line` in 240ths of a line, or in twips when
/// `exact`.
#[derive(Clone, Copy)]
struct Spacing {
    before: u32,
    after: u32,
    line: u32,
    exact: bool,
}

impl Spacing {
    /// Single line spacing with this space before and after.
    fn single(before: u32, after: u32) -> Spacing {
        Spacing {
            before,
            after,
            line: 240,
            exact: false,
        }
    }
}

/// Paragraph indents (`w:ind`), twips.
#[derive(Clone, Copy)]
struct Indent {
    left: u32,
    right: u32,
    first_line: Option<u32>,
}

/// The properties of a paragraph (`w:pPr`) that this writer uses.
#[derive(Clone, Copy, Default)]
struct ParaFormat<'s> {
    style: Option<&'s str>,
    keep_next: bool,
    /// Keep the paragraph's lines on one page.
    keep_lines: bool,
    /// A top border: the short rules under titles and bodies.
    top_rule: Option<Rule>,
    spacing: Option<Spacing>,
    indent: Option<Indent>,
    align: Option<Align>,
    /// Font size of the paragraph mark, half-points (sets an empty paragraph's height).
    mark_size: Option<u32>,
    /// Outline level (0 = level 1), for the heading styles.
    outline: Option<u32>,
}

impl ParaFormat<'_> {
    /// Aligned, single-spaced, with this space before and after.
    fn plain(align: Align, before: u32, after: u32) -> ParaFormat<'static> {
        ParaFormat {
            align: Some(align),
            spacing: Some(Spacing::single(before, after)),
            ..ParaFormat::default()
        }
    }

    /// A paragraph in style `style`.
    fn styled(style: &str) -> ParaFormat<'_> {
        ParaFormat {
            style: Some(style),
            ..ParaFormat::default()
        }
    }

    /// `w:pPr`, children in schema order (CT_PPrBase, then `w:rPr`).
    fn write(&self, xml: &mut Xml) {
        xml.raw("<w:pPr>");
        if let Some(style) = self.style {
            xml.raw("<w:pStyle w:val=\"");
            xml.text(style);
            xml.raw("\" />");
        }
        if self.keep_next {
            xml.raw("<w:keepNext />");
        }
        if self.keep_lines {
            xml.raw("<w:keepLines />");
        }
        if let Some(rule) = self.top_rule {
            // Border widths are in eighths of a point, their spacing in points.
            xml.raw("<w:pBdr><w:top w:val=\"single\"");
            xml.attrs(&[
                ("w:sz", rule.thickness * 8 / 20),
                ("w:space", rule.gap / 20),
            ]);
            xml.raw(" w:color=\"auto\" /></w:pBdr>");
        }
        if let Some(s) = self.spacing {
            xml.raw("<w:spacing");
            xml.attrs(&[
                ("w:before", s.before),
                ("w:after", s.after),
                ("w:line", s.line),
            ]);
            xml.raw(if s.exact {
                " w:lineRule=\"exact\" />"
            } else {
                " w:lineRule=\"auto\" />"
            });
        }
        if let Some(ind) = self.indent {
            xml.raw("<w:ind");
            xml.attrs(&[("w:left", ind.left), ("w:right", ind.right)]);
            if let Some(first) = ind.first_line {
                xml.attrs(&[("w:firstLine", first)]);
            }
            xml.raw(" />");
        }
        if let Some(align) = self.align {
            xml.raw(match align {
                Align::Left => "<w:jc w:val=\"left\" />",
                Align::Center => "<w:jc w:val=\"center\" />",
                Align::Right => "<w:jc w:val=\"right\" />",
                Align::Justify => "<w:jc w:val=\"both\" />",
            });
        }
        if let Some(level) = self.outline {
            xml.val("w:outlineLvl", level);
        }
        if let Some(size) = self.mark_size {
            RunFormat::sized(size).write(xml);
        }
        xml.raw("</w:pPr>");
    }
}

/// The properties of a run (`w:rPr`) that this writer uses.
#[derive(Clone, Copy, Default)]
struct RunFormat {
    bold: bool,
    italic: bool,
    /// Half-points; `None` keeps the paragraph style's.
    size: Option<u32>,
}

impl RunFormat {
    fn sized(size: u32) -> RunFormat {
        RunFormat {
            size: Some(size),
            ..RunFormat::default()
        }
    }

    /// The whole look of `style`.
    fn of(style: TextStyle) -> RunFormat {
        RunFormat {
            bold: style.bold,
            italic: style.italic,
            size: Some(style.size),
        }
    }

    fn is_empty(&self) -> bool {
        !self.bold && !self.italic && self.size.is_none()
    }

    /// `w:rPr` with `font` for every script first, children in schema order.
    fn write_with_font(&self, xml: &mut Xml, font: &str) {
        xml.raw("<w:rPr><w:rFonts w:ascii=\"");
        xml.text(font);
        xml.raw("\" w:hAnsi=\"");
        xml.text(font);
        xml.raw("\" w:eastAsia=\"");
        xml.text(font);
        xml.raw("\" w:cs=\"");
        xml.text(font);
        xml.raw("\" />");
        self.write_children(xml);
        xml.raw("</w:rPr>");
    }

    /// `w:rPr`, children in schema order (EG_RPrBase); nothing when empty.
    fn write(&self, xml: &mut Xml) {
        if self.is_empty() {
            return;
        }
        xml.raw("<w:rPr>");
        self.write_children(xml);
        xml.raw("</w:rPr>");
    }

    fn write_children(&self, xml: &mut Xml) {
        if self.bold {
            xml.raw("<w:b /><w:bCs />");
        }
        if self.italic {
            xml.raw("<w:i /><w:iCs />");
        }
        if let Some(size) = self.size {
            xml.val("w:sz", size);
            xml.val("w:szCs", size);
        }
    }
}

/// The namespaces of `w:document` and `w:hdr` (docx-rs's set: `w14` for paragraph ids,
/// `mc` to let older readers ignore them).
const NAMESPACES: &str = concat!(
    r#"xmlns:o="urn:schemas-microsoft-com:office:office" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:v="urn:schemas-microsoft-com:vml" "#,
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:w10="urn:schemas-microsoft-com:office:word" "#,
    r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" "#,
    r#"xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" "#,
    r#"xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" "#,
    r#"xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" "#,
    r#"xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" "#,
    r#"xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" "#,
    r#"xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" "#,
    r#"mc:Ignorable="w14 wp14""#,
);

const DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// Writes paragraphs, runs and tables into one part.
struct PartWriter {
    xml: Xml,
    ids: ParaIds,
}

impl PartWriter {
    /// `<w:p>` with a fresh id and `format`; close with [`Self::end_para`].
    fn start_para(&mut self, format: &ParaFormat<'_>) {
        let id = self.ids.next();
        self.xml.raw("<w:p w14:paraId=\"");
        self.xml.hex8(id);
        self.xml.raw("\">");
        format.write(&mut self.xml);
    }

    fn end_para(&mut self) {
        self.xml.raw("</w:p>");
    }

    /// A paragraph without text.
    fn empty_para(&mut self, format: &ParaFormat<'_>) {
        self.start_para(format);
        self.end_para();
    }

    fn run(&mut self, text: &str, format: RunFormat) {
        self.xml.raw("<w:r>");
        format.write(&mut self.xml);
        self.xml.raw("<w:t xml:space=\"preserve\">");
        self.xml.text(text);
        self.xml.raw("</w:t></w:r>");
    }

    /// A paragraph of one run; its line feeds are line breaks (`w:br`).
    fn para(&mut self, format: &ParaFormat<'_>, text: &str, run: RunFormat) {
        self.start_para(format);
        self.xml.raw("<w:r>");
        run.write(&mut self.xml);
        let mut lines = text.split('\n').peekable();
        while let Some(line) = lines.next() {
            self.xml.raw("<w:t xml:space=\"preserve\">");
            self.xml.text(line);
            self.xml.raw("</w:t>");
            if lines.peek().is_some() {
                self.xml.raw("<w:br />");
            }
        }
        self.xml.raw("</w:r>");
        self.end_para();
    }
}

/// `word/header1.xml`: the centred PAGE field, shown from page 2 on.
fn page_number_header(l: &Layout, ids: &mut ParaIds) -> String {
    header_part(ids, |w| {
        w.start_para(&ParaFormat::plain(Align::Center, 0, 0));
        w.xml.raw("<w:r>");
        RunFormat::of(l.styles.page_number).write(&mut w.xml);
        w.xml.raw(concat!(
            r#"<w:fldChar w:fldCharType="begin" w:dirty="false" />"#,
            "<w:instrText>PAGE</w:instrText>",
            r#"<w:fldChar w:fldCharType="separate" w:dirty="false" />"#,
            r#"<w:t xml:space="preserve">2</w:t>"#,
            r#"<w:fldChar w:fldCharType="end" w:dirty="false" />"#,
            "</w:r>"
        ));
        w.end_para();
    })
}

/// `word/header2.xml`: the first page's header, empty.
fn first_page_header(ids: &mut ParaIds) -> String {
    header_part(ids, |w| w.empty_para(&ParaFormat::plain(Align::Left, 0, 0)))
}

/// A header part: the `w:hdr` root around what `fill` writes, paragraph ids continuing
/// from `ids`.
fn header_part(ids: &mut ParaIds, fill: impl FnOnce(&mut PartWriter)) -> String {
    let mut w = PartWriter {
        xml: Xml::with_capacity(2048),
        ids: std::mem::take(ids),
    };
    w.xml.raw(DECLARATION);
    w.xml.raw("<w:hdr ");
    w.xml.raw(NAMESPACES);
    w.xml.raw(">");
    fill(&mut w);
    w.xml.raw("</w:hdr>");
    *ids = w.ids;
    w.xml.out
}

/// `word/styles.xml`: the default font and size, and the paragraph styles of the body,
/// headings and table cells.
fn styles(l: &Layout, tables: &TableFormat) -> String {
    let mut xml = Xml::with_capacity(4096);
    xml.raw(DECLARATION);
    xml.raw(concat!(
        r#"<w:styles xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" "#,
        r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
        r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
        r#"xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" "#,
        r#"xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" "#,
        r#"mc:Ignorable="w14 w15">"#,
        "<w:docDefaults><w:rPrDefault><w:rPr>",
    ));
    xml.raw("<w:rFonts w:ascii=\"");
    xml.text(&l.font);
    xml.raw("\" w:hAnsi=\"");
    xml.text(&l.font);
    xml.raw("\" w:eastAsia=\"");
    xml.text(&l.font);
    xml.raw("\" w:cs=\"");
    xml.text(&l.font);
    xml.raw("\" />");
    xml.val("w:sz", l.styles.body.size);
    xml.val("w:szCs", l.styles.body.size);
    // An empty paragraph default still matters: LibreOffice gives paragraphs its widow and
    // orphan control only when the part has one (without it, page breaks move).
    xml.raw("</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr /></w:pPrDefault></w:docDefaults>");
    xml.raw(concat!(
        r#"<w:style w:type="paragraph" w:styleId="Normal">"#,
        r#"<w:name w:val="Normal" /><w:qFormat /></w:style>"#,
    ));
    let cell = |align| ParaFormat {
        align: Some(align),
        spacing: Some(Spacing::single(tables.cell_space, tables.cell_space)),
        ..ParaFormat::default()
    };
    // Keeping with the next paragraph is written on paragraphs, not in styles.
    let role_format = |role: Role| {
        let (before, after) = l.spacing_of(role);
        ParaFormat {
            align: Some(role.align()),
            spacing: Some(Spacing {
                line: l.body.line,
                ..Spacing::single(before, after)
            }),
            indent: Some(Indent {
                left: 0,
                right: 0,
                first_line: role.indented().then_some(l.body.first_line_indent),
            }),
            ..ParaFormat::default()
        }
    };
    let st = &l.styles;
    let font = l.font.as_str();
    let body = role_format(Role::Body);
    write_style(&mut xml, [BODY, BODY], None, body, st.body, font);
    for (level, (id, name)) in HEADINGS.iter().enumerate() {
        let role = Role::Heading(level as u8 + 1);
        let format = ParaFormat {
            outline: Some(level as u32),
            ..role_format(role)
        };
        write_style(
            &mut xml,
            [id, name],
            Some(BODY),
            format,
            l.style_of(role),
            font,
        );
    }
    let basis = role_format(Role::Basis);
    write_style(&mut xml, [BASIS, BASIS], Some(BODY), basis, st.basis, font);
    let center = role_format(Role::Center);
    write_style(
        &mut xml,
        [CENTER, CENTER],
        Some(BODY),
        center,
        st.centered,
        font,
    );
    let (left, head) = (cell(Align::Left), cell(tables.header_align));
    write_style(&mut xml, [CELL, CELL], None, left, st.table_cell, font);
    write_style(
        &mut xml,
        [CELL_HEAD, CELL_HEAD],
        None,
        head,
        st.table_header,
        font,
    );
    xml.raw("</w:styles>");
    xml.out
}

/// A paragraph style `[id, name]`, based on (and followed by) `based_on`. It names its
/// font: LibreOffice gives the built-in heading styles its own (a sans face) where a style
/// leaves it out.
fn write_style(
    xml: &mut Xml,
    [id, name]: [&str; 2],
    based_on: Option<&str>,
    para: ParaFormat<'_>,
    text: TextStyle,
    font: &str,
) {
    xml.raw("<w:style w:type=\"paragraph\" w:styleId=\"");
    xml.raw(id);
    xml.raw("\"><w:name w:val=\"");
    xml.raw(name);
    xml.raw("\" />");
    if let Some(parent) = based_on {
        xml.raw("<w:basedOn w:val=\"");
        xml.raw(parent);
        xml.raw("\" /><w:next w:val=\"");
        xml.raw(parent);
        xml.raw("\" />");
    }
    xml.raw("<w:qFormat />");
    para.write(xml);
    RunFormat::of(text).write_with_font(xml, font);
    xml.raw("</w:style>");
}

/// Writes `word/document.xml`.
struct BodyWriter<'a> {
    part: PartWriter,
    layout: &'a Layout,
}

/// Borders of a table.
#[derive(Clone, Copy, PartialEq)]
enum Borders {
    /// None: the layout tables.
    None,
    /// Single lines this many twips wide around and between all cells: body tables.
    Grid(u32),
}

/// One table row's properties (`w:trPr`).
#[derive(Clone, Copy, Default)]
struct RowFormat {
    cant_split: bool,
    /// Repeat at the top of every page.
    header: bool,
}

impl<'a> BodyWriter<'a> {
    fn new(layout: &'a Layout, ids: ParaIds) -> BodyWriter<'a> {
        BodyWriter {
            part: PartWriter {
                xml: Xml::with_capacity(64 * 1024),
                ids,
            },
            layout,
        }
    }

    fn xml(&mut self) -> &mut Xml {
        &mut self.part.xml
    }

    /// A chart: a centred paragraph holding it inline, as big as the layout made it,
    /// `number` its place among the document's charts (from 1).
    fn chart(&mut self, chart: &BarChart, number: u32, keep: bool) {
        let format = ParaFormat {
            keep_next: keep,
            ..ParaFormat::plain(Align::Center, 0, 0)
        };
        self.part.start_para(&format);
        let xml = self.xml();
        xml.raw(
            r#"<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx=""#,
        );
        xml.raw(&(u64::from(chart.width) * EMU_PER_TWIP).to_string());
        xml.raw("\" cy=\"");
        xml.raw(&(u64::from(chart.height) * EMU_PER_TWIP).to_string());
        xml.raw(r#"" /><wp:effectExtent l="0" t="0" r="0" b="0" /><wp:docPr id=""#);
        xml.num(number);
        xml.raw("\" name=\"Chart ");
        xml.num(number);
        xml.raw(concat!(
            r#"" /><wp:cNvGraphicFramePr /><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">"#,
            r#"<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">"#,
            r#"<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id=""#,
        ));
        xml.raw(CHART_ID);
        xml.num(number);
        xml.raw(r#"" /></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#);
        self.part.end_para();
    }

    fn document(mut self, doc: &Document) -> String {
        let frame = &doc.frame;
        let text_width = self.layout.page.text_width();
        self.xml().raw(DECLARATION);
        self.xml().raw("<w:document ");
        self.xml().raw(NAMESPACES);
        self.xml().raw("><w:body>");

        self.box_table(&frame.header);
        self.paras(&frame.title, text_width);
        if let Some(addressees) = &frame.addressees {
            self.box_table(addressees);
        }
        let last = doc.blocks.len().saturating_sub(1);
        let mut charts = 0;
        for (i, block) in doc.blocks.iter().enumerate() {
            // The last block stays whole on the page of the closing table.
            let keep = frame.keep_last_block && i == last;
            match block {
                Block::Paragraph { role, spans } => self.body_paragraph(*role, spans, keep),
                Block::Table(t) => {
                    self.body_table(t, &frame.tables, keep);
                    // A table cannot carry space after it; a small empty paragraph does.
                    let gap = Para {
                        keep_next: keep,
                        ..frame.after_table.clone()
                    };
                    self.para(&gap, text_width);
                }
                Block::Chart(chart) => {
                    charts += 1;
                    self.chart(chart, charts, keep);
                }
            }
        }
        self.para(&frame.before_closing, text_width);
        self.box_table(&frame.closing);
        self.paras(&frame.after_closing, text_width);
        self.section();
        self.xml().raw("</w:body></w:document>");
        self.part.xml.out
    }

    /// `w:sectPr`: headers, page size and margins, one column, a different first page.
    fn section(&mut self) {
        let page = self.layout.page;
        let xml = self.xml();
        xml.raw("<w:sectPr><w:headerReference w:type=\"default\" r:id=\"");
        xml.raw(PAGE_NUMBER_HEADER_ID);
        xml.raw("\" /><w:headerReference w:type=\"first\" r:id=\"");
        xml.raw(FIRST_PAGE_HEADER_ID);
        xml.raw("\" /><w:pgSz");
        xml.attrs(&[("w:w", page.width), ("w:h", page.height)]);
        xml.raw(" /><w:pgMar");
        xml.attrs(&[
            ("w:top", page.top),
            ("w:right", page.right),
            ("w:bottom", page.bottom),
            ("w:left", page.left),
            ("w:header", page.header),
            ("w:footer", page.header),
        ]);
        xml.raw(" w:gutter=\"0\" /><w:cols w:space=\"425\" w:num=\"1\" /><w:titlePg /></w:sectPr>");
    }

    /// A paragraph of the frame, in a box `box_width` wide.
    fn para(&mut self, p: &Para, box_width: u32) {
        let format = ParaFormat {
            keep_next: p.keep_next,
            ..ParaFormat::plain(p.align, p.before, p.after)
        };
        match &p.content {
            Content::Text { text, style } => self.part.para(&format, text, RunFormat::of(*style)),
            // The paragraph mark sets an empty paragraph's height; the body size is the
            // package's default.
            Content::Empty { size } => self.part.empty_para(&ParaFormat {
                mark_size: (*size != self.layout.styles.body.size).then_some(*size),
                ..format
            }),
            Content::Rule(rule) => self.rule(p, *rule, box_width),
        }
    }

    fn paras(&mut self, paras: &[Para], box_width: u32) {
        for p in paras {
            self.para(p, box_width);
        }
    }

    /// A solid rule: an empty paragraph one line of exact height with a top border,
    /// indented from both sides to its width in a box `box_width` wide.
    fn rule(&mut self, p: &Para, rule: Rule, box_width: u32) {
        let side = box_width.saturating_sub(rule.width) / 2;
        self.part.empty_para(&ParaFormat {
            top_rule: Some(rule),
            spacing: Some(Spacing {
                before: p.before,
                after: p.after,
                line: rule.height,
                exact: true,
            }),
            indent: Some(Indent {
                left: side,
                right: side,
                first_line: None,
            }),
            align: Some(p.align),
            // Half-points: a mark as high as the line.
            mark_size: Some(rule.height / 10),
            keep_next: p.keep_next,
            ..ParaFormat::default()
        });
    }

    /// `<w:tbl>` with its properties and grid; close with `</w:tbl>`.
    fn start_table(&mut self, columns: &[u32], borders: Borders, cell_margin: u32) {
        let total: u32 = columns.iter().sum();
        let xml = self.xml();
        xml.raw("<w:tbl><w:tblPr><w:tblW w:w=\"");
        xml.num(total);
        xml.raw("\" w:type=\"dxa\" /><w:jc w:val=\"left\" />");
        match borders {
            Borders::None => xml.raw("<w:tblBorders />"),
            Borders::Grid(width) => {
                xml.raw("<w:tblBorders>");
                for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
                    xml.raw("<w:");
                    xml.raw(side);
                    // Eighths of a point.
                    xml.raw(" w:val=\"single\"");
                    xml.attrs(&[("w:sz", width * 8 / 20), ("w:space", 0)]);
                    xml.raw(" w:color=\"000000\" />");
                }
                xml.raw("</w:tblBorders>");
            }
        }
        xml.raw("<w:tblLayout w:type=\"fixed\" /><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\" /><w:left w:w=\"");
        xml.num(cell_margin);
        xml.raw("\" w:type=\"dxa\" /><w:bottom w:w=\"0\" w:type=\"dxa\" /><w:right w:w=\"");
        xml.num(cell_margin);
        xml.raw("\" w:type=\"dxa\" /></w:tblCellMar></w:tblPr><w:tblGrid>");
        for c in columns {
            xml.raw("<w:gridCol w:w=\"");
            xml.num(*c);
            xml.raw("\" />");
        }
        xml.raw("</w:tblGrid>");
    }

    fn start_row(&mut self, format: RowFormat) {
        let xml = self.xml();
        xml.raw("<w:tr>");
        if format.cant_split || format.header {
            xml.raw("<w:trPr>");
            if format.cant_split {
                xml.raw("<w:cantSplit />");
            }
            if format.header {
                xml.raw("<w:tblHeader />");
            }
            xml.raw("</w:trPr>");
        }
    }

    /// `<w:tc>` `width` twips wide, its text at the top when `top`; close with `</w:tc>`.
    fn start_cell(&mut self, width: u32, top: bool) {
        let xml = self.xml();
        xml.raw("<w:tc><w:tcPr><w:tcW w:w=\"");
        xml.num(width);
        xml.raw(if top {
            "\" w:type=\"dxa\" /><w:vAlign w:val=\"top\" /></w:tcPr>"
        } else {
            "\" w:type=\"dxa\" /></w:tcPr>"
        });
    }

    /// A borderless table of the frame: each cell's paragraphs in its width less the
    /// margins.
    fn box_table(&mut self, t: &BoxTable) {
        self.start_table(&t.columns, Borders::None, t.cell_margin);
        let last = t.rows.len().saturating_sub(1);
        for (r, row) in t.rows.iter().enumerate() {
            self.start_row(RowFormat {
                cant_split: t.keep_rows,
                header: false,
            });
            // Word keeps a row with what follows when its paragraphs keep with the next.
            let keep = t.keep_next && r == last;
            for (cell, width) in row.iter().zip(&t.columns) {
                self.start_cell(*width, false);
                for p in cell {
                    let p = Para {
                        keep_next: p.keep_next || keep,
                        ..p.clone()
                    };
                    self.para(&p, t.inner(*width));
                }
                self.xml().raw("</w:tc>");
            }
            self.xml().raw("</w:tr>");
        }
        self.xml().raw("</w:tbl>");
    }

    /// Runs of a styled paragraph: only the span's own emphasis.
    fn spans(&mut self, spans: &[Span]) {
        for s in spans {
            self.part.run(
                &s.text,
                RunFormat {
                    bold: s.bold,
                    italic: s.italic,
                    size: None,
                },
            );
        }
    }

    /// A body paragraph in the style of its role; `keep` keeps it whole and with the next.
    fn body_paragraph(&mut self, role: Role, spans: &[Span], keep: bool) {
        let style = match role {
            Role::Body => BODY,
            Role::Heading(_) => HEADINGS[role.heading_style().unwrap_or(0)].0,
            Role::Basis => BASIS,
            Role::Center => CENTER,
        };
        let format = ParaFormat {
            keep_next: role.keeps_with_next() || keep,
            keep_lines: keep,
            ..ParaFormat::styled(style)
        };
        self.part.start_para(&format);
        self.spans(spans);
        self.part.end_para();
    }

    fn body_cell(&mut self, width: u32, spans: &[Span], style: &str, align: Align, keep: bool) {
        self.start_cell(width, true);
        let mut format = ParaFormat::styled(style);
        format.keep_next = keep;
        if style == CELL && align != Align::Left {
            format.align = Some(align);
        }
        self.part.start_para(&format);
        self.spans(spans);
        self.part.end_para();
        self.xml().raw("</w:tc>");
    }

    /// A body table; `keep_last` keeps its last row with what follows.
    fn body_table(&mut self, t: &Table, format: &TableFormat, keep_last: bool) {
        self.start_table(&t.columns, Borders::Grid(format.border), format.cell_margin);
        self.start_row(RowFormat {
            cant_split: true,
            header: true,
        });
        for (spans, width) in t.header.iter().zip(&t.columns) {
            self.body_cell(*width, spans, CELL_HEAD, Align::Center, false);
        }
        self.xml().raw("</w:tr>");
        let last = t.rows.len().saturating_sub(1);
        for (r, row) in t.rows.iter().enumerate() {
            self.start_row(RowFormat {
                cant_split: true,
                header: false,
            });
            let keep = keep_last && r == last;
            for ((spans, width), align) in row.iter().zip(&t.columns).zip(&t.align) {
                self.body_cell(*width, spans, CELL, *align, keep);
            }
            self.xml().raw("</w:tr>");
        }
        self.xml().raw("</w:tbl>");
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use quick_xml::events::Event;

    use super::*;
    use crate::document;
    use crate::template::{Templates, data};

    /// Children allowed in each property element, in the order of the OOXML schema
    /// (ECMA-376 Part 1, transitional: CT_PPr, EG_RPrBase, CT_TblPr, CT_TcPr, CT_SectPr,
    /// CT_Style, CT_TblBorders, CT_TblCellMar). Same rank: either order.
    #[rustfmt::skip]
    const SCHEMA_ORDER: &[(&str, &[&str])] = &[
        ("w:pPr", &["w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
            "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
            "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
            "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
            "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
            "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
            "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
            "w:pPrChange"]),
        ("w:rPr", &["w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps",
            "w:smallCaps", "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss",
            "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color",
            "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u",
            "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em",
            "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath"]),
        ("w:tblPr", &["w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual",
            "w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW", "w:jc",
            "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout",
            "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"]),
        ("w:tcPr", &["w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders",
            "w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
            "w:hideMark"]),
        ("w:sectPr", &["w:headerReference", "w:footnotePr", "w:endnotePr", "w:type", "w:pgSz",
            "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols",
            "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
            "w:rtlGutter", "w:docGrid", "w:printerSettings"]),
        ("w:style", &["w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine",
            "w:hidden", "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat",
            "w:locked", "w:rsid", "w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr"]),
        ("w:tblBorders", &["w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"]),
        ("w:tblCellMar", &["w:top", "w:left", "w:bottom", "w:right"]),
        ("w:tbl", &["w:tblPr", "w:tblGrid", "w:tr"]),
        ("w:tr", &["w:trPr", "w:tc"]),
        ("w:trPr", &["w:cantSplit", "w:tblHeader"]),
    ];

    fn rank(parent: &str, child: &str) -> Option<usize> {
        let (_, order) = SCHEMA_ORDER.iter().find(|(p, _)| *p == parent)?;
        let rank = order.iter().position(|c| *c == child);
        assert!(rank.is_some(), "{child} is not allowed in {parent}");
        rank
    }

    /// Parses `xml` with quick-xml, asserting it is well-formed, that every property
    /// element lists its children in schema order, and that paragraph ids are unique.
    /// Returns the text of every `w:t`, unescaped.
    fn check_part(name: &str, xml: &str, ids: &mut std::collections::HashSet<String>) -> String {
        let mut reader = quick_xml::Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        // Open elements: their name and the rank of their last child.
        let mut open: Vec<(String, usize)> = Vec::new();
        let mut text = String::new();
        loop {
            let event = reader
                .read_event()
                .unwrap_or_else(|e| panic!("{name}: not well-formed: {e}"));
            let element = match &event {
                Event::Start(e) | Event::Empty(e) => Some(e.clone()),
                _ => None,
            };
            if let Some(e) = element {
                let tag = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                if let Some((parent, last)) = open.last_mut()
                    && let Some(r) = rank(parent, &tag)
                {
                    assert!(
                        r >= *last,
                        "{name}: {tag} after a later sibling in {parent}"
                    );
                    *last = r;
                }
                if let Some(id) = e.try_get_attribute("w14:paraId").unwrap() {
                    let id = String::from_utf8(id.value.to_vec()).unwrap();
                    assert!(ids.insert(id.clone()), "{name}: paraId {id} twice");
                }
                if matches!(event, Event::Start(_)) {
                    open.push((tag, 0));
                }
            }
            match event {
                Event::End(_) => {
                    open.pop();
                }
                Event::Text(t) if open.last().is_some_and(|(tag, _)| tag == "w:t") => {
                    text.push_str(&t.unescape().unwrap());
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert!(open.is_empty(), "{name}: unclosed elements");
        text
    }

    fn fixture_doc(template: &str, data_file: &str, standard: Option<&str>) -> Document {
        let path = format!("{}/fixtures/data/{data_file}", env!("CARGO_MANIFEST_DIR"));
        let mut record = data::from_json(&std::fs::read(path).unwrap()).unwrap()[0].clone();
        if let Some(standard) = standard {
            record["standard"] = serde_json::Value::from(standard);
        }
        document::layout(&Templates::builtin().fill(template, &record).unwrap())
    }

    /// The XML parts of a package, by name.
    fn xml_parts(bytes: &[u8]) -> Vec<(String, String)> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut part = zip.by_index(i).unwrap();
                let mut xml = String::new();
                part.read_to_string(&mut xml).unwrap();
                (part.name().to_string(), xml)
            })
            .collect()
    }

    #[test]
    fn written_parts_are_well_formed_with_properties_in_schema_order() {
        let cases = [
            ("ke-hoach", "ke-hoach.json", None),
            ("ke-hoach", "ke-hoach.json", Some("nha-nuoc")),
            ("bien-ban", "bien-ban.json", None),
            ("bien-ban", "bien-ban.json", Some("dang")),
            ("bao-cao", "bao-cao.json", None),
            ("ke-hoach-trien-khai", "chi-thi-45.json", None),
            ("cong-van", "cong-van.json", None),
            ("cong-van", "cong-van.json", Some("dang")),
            ("quyet-dinh", "quyet-dinh.json", None),
            ("quyet-dinh", "quyet-dinh.json", Some("dang")),
            ("to-trinh", "to-trinh.json", None),
            ("thong-bao", "thong-bao.json", Some("dang")),
            ("giay-moi", "giay-moi.json", None),
        ];
        for (template, data_file, standard) in cases {
            let doc = fixture_doc(template, data_file, standard);
            let bytes = docx(&doc, &RenderOptions::default()).unwrap();
            let parts = xml_parts(&bytes);
            let mut ids = std::collections::HashSet::new();
            for written in [
                "word/document.xml",
                "word/header1.xml",
                "word/header2.xml",
                "word/styles.xml",
            ] {
                let (_, xml) = parts.iter().find(|(n, _)| n == written).unwrap();
                check_part(&format!("{template}/{written}"), xml, &mut ids);
            }
            // The other parts are docx-rs's: well-formed is all that is asked of them.
            for (name, xml) in &parts {
                let mut reader = quick_xml::Reader::from_str(xml);
                loop {
                    match reader.read_event() {
                        Ok(Event::Eof) => break,
                        Ok(_) => {}
                        Err(e) => panic!("{name}: not well-formed: {e}"),
                    }
                }
            }
        }
    }

    #[test]
    fn a_chart_is_a_chart_part_the_document_points_to() {
        let draft = document::Draft {
            kind: "Báo cáo".into(),
            issuing_body: "Văn phòng".into(),
            body: "Trước.\n\n```chart Theo loại & số\nKế hoạch | 2\nQuyết định <QĐ> | 1\n```\n\nSau.\n"
                .into(),
            ..document::Draft::default()
        };
        let doc = document::layout(&draft);
        let bytes = docx(&doc, &RenderOptions::default()).unwrap();
        let parts = xml_parts(&bytes);
        for (name, xml) in &parts {
            let mut reader = quick_xml::Reader::from_str(xml);
            loop {
                match reader.read_event() {
                    Ok(Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => panic!("{name}: not well-formed: {e}"),
                }
            }
        }
        let part = |name: &str| {
            parts
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, xml)| xml.as_str())
                .unwrap_or_else(|| panic!("no {name}"))
        };
        let chart = part("word/charts/chart1.xml");
        for want in [
            "<c:barChart><c:barDir val=\"bar\" />",
            "<c:v>Kế hoạch</c:v>",
            "<c:v>Quyết định &lt;QĐ&gt;</c:v>",
            "<c:v>2</c:v>",
            "<a:t>Theo loại &amp; số</a:t>",
            "typeface=\"Times New Roman\"",
        ] {
            assert!(chart.contains(want), "{want} in {chart}");
        }
        assert!(part("word/document.xml").contains("<c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" r:id=\"rIdChart1\" />"));
        assert!(part("word/_rels/document.xml.rels").contains(
            "Id=\"rIdChart1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart\" Target=\"charts/chart1.xml\""
        ));
        assert!(part("[Content_Types].xml").contains("PartName=\"/word/charts/chart1.xml\""));
        // A document without a chart keeps the fixed parts as they were.
        let plain = docx(
            &fixture_doc("bao-cao", "bao-cao.json", None),
            &RenderOptions::default(),
        )
        .unwrap();
        let plain = xml_parts(&plain);
        assert!(
            plain
                .iter()
                .all(|(n, xml)| !n.contains("charts/") && !xml.contains("charts/chart")),
        );
    }

    #[test]
    #[should_panic(expected = "w:pStyle after a later sibling in w:pPr")]
    fn the_order_check_sees_a_misplaced_property() {
        let xml = r#"<w:p><w:pPr><w:jc w:val="left" /><w:pStyle w:val="X" /></w:pPr></w:p>"#;
        check_part("misplaced", xml, &mut Default::default());
    }

    #[test]
    fn body_table_header_rows_repeat_and_only_they() {
        let doc = fixture_doc("ke-hoach", "ke-hoach.json", None);
        let bytes = docx(&doc, &RenderOptions::default()).unwrap();
        let parts = xml_parts(&bytes);
        let (_, xml) = parts
            .iter()
            .find(|(n, _)| n == "word/document.xml")
            .unwrap();
        let rows: Vec<&str> = xml.split("<w:tr>").skip(1).collect();
        let headers: Vec<&&str> = rows
            .iter()
            .filter(|r| r.starts_with("<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>"))
            .collect();
        assert_eq!(headers.len(), 1, "one body table, one header row");
        assert!(headers[0].contains(&format!("<w:pStyle w:val=\"{CELL_HEAD}\" />")));
        assert_eq!(xml.matches("<w:tblHeader />").count(), 1);
        assert!(
            rows.iter()
                .filter(|r| r.contains(&format!("w:val=\"{CELL_HEAD}\"")))
                .all(|r| r.contains("<w:tblHeader />"))
        );
    }

    #[test]
    fn text_is_escaped_and_characters_xml_forbids_are_dropped() {
        let mut doc = fixture_doc("bao-cao", "bao-cao.json", None);
        let nasty = "a<b>&c\"d'e\u{1}f\u{B}g\r\nh\ti\u{FFFE}j\u{FFFF}k\u{FFFD}ỹ";
        // The type name as the frame holds it, and a body paragraph.
        doc.frame.title[0].content = Content::Text {
            text: nasty.to_string(),
            style: doc.layout.styles.kind,
        };
        doc.blocks.insert(
            0,
            Block::Paragraph {
                role: Role::Body,
                spans: vec![Span {
                    text: nasty.to_string(),
                    bold: true,
                    italic: false,
                }],
            },
        );
        let bytes = docx(&doc, &RenderOptions::default()).unwrap();
        let parts = xml_parts(&bytes);
        let (_, xml) = parts
            .iter()
            .find(|(n, _)| n == "word/document.xml")
            .unwrap();
        // In a body span a line feed is text; in the frame, a line break the layout made.
        assert!(xml.contains("a&lt;b&gt;&amp;c&quot;d&apos;efg&#xA;h\ti"));
        assert!(xml.contains(
            "a&lt;b&gt;&amp;c&quot;d&apos;efg</w:t><w:br /><w:t xml:space=\"preserve\">h\ti"
        ));
        let text = check_part("document", xml, &mut Default::default());
        let kept = "a<b>&c\"d'efg\nh\tijk\u{FFFD}ỹ";
        assert_eq!(text.matches(kept).count(), 1, "{text}");
        assert_eq!(
            text.matches("a<b>&c\"d'efgh\tijk\u{FFFD}ỹ").count(),
            1,
            "{text}"
        );
    }

    #[test]
    fn the_same_document_gives_the_same_bytes() {
        let doc = fixture_doc("ke-hoach", "ke-hoach.json", None);
        let a = docx(&doc, &RenderOptions::default()).unwrap();
        let other = RenderOptions {
            created: "2021-01-14T00:00:00Z".into(),
            ..RenderOptions::default()
        };
        let dated = docx(&doc, &other).unwrap();
        let b = docx(&doc, &RenderOptions::default()).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, dated);
        let core = |bytes: &[u8]| {
            xml_parts(bytes)
                .into_iter()
                .find(|(n, _)| n == "docProps/core.xml")
                .unwrap()
                .1
        };
        assert!(core(&dated).contains("2021-01-14T00:00:00Z"));
    }

    fn part(bytes: &[u8], name: &str) -> String {
        xml_parts(bytes)
            .into_iter()
            .find(|(n, _)| n == name)
            .unwrap()
            .1
    }

    #[test]
    fn headings_use_words_built_in_styles_with_their_outline_level() {
        let doc = fixture_doc("ke-hoach", "ke-hoach.json", None);
        let bytes = docx(&doc, &RenderOptions::default()).unwrap();
        let styles = part(&bytes, "word/styles.xml");
        for (level, (id, name)) in HEADINGS.iter().enumerate() {
            let at = styles
                .find(&format!("w:styleId=\"{id}\""))
                .unwrap_or_else(|| panic!("{id}"));
            let style = &styles[at..at + styles[at..].find("</w:style>").unwrap()];
            assert!(
                style.contains(&format!("<w:name w:val=\"{name}\" />")),
                "{style}"
            );
            assert!(style.contains(&format!("<w:outlineLvl w:val=\"{level}\" />")));
            assert!(style.contains("w:ascii=\"Times New Roman\""), "{style}");
        }
        assert!(!styles.contains("VbHeading"));
        let document = part(&bytes, "word/document.xml");
        assert!(document.contains("<w:pStyle w:val=\"Heading1\" />"));
    }

    #[test]
    fn the_last_paragraph_keeps_with_the_closing_table() {
        let doc = fixture_doc("bao-cao", "bao-cao.json", None);
        let xml = part(
            &docx(&doc, &RenderOptions::default()).unwrap(),
            "word/document.xml",
        );
        let closing = xml.rfind("<w:tbl>").unwrap();
        // The last body paragraph, then the empty paragraph before the closing table.
        let paras: Vec<&str> = xml[..closing].split("<w:p ").collect();
        let n = paras.len();
        assert!(
            paras[n - 2].contains("<w:keepNext /><w:keepLines />"),
            "{}",
            paras[n - 2]
        );
        assert!(paras[n - 1].contains("<w:keepNext />"));
        assert!(
            !paras[n - 3].contains("<w:keepLines />"),
            "only the last is kept whole"
        );
        assert!(xml[closing..].contains("<w:cantSplit />"));
        // Two signatures: their row keeps with the recipients under them.
        let doc = fixture_doc("bien-ban", "bien-ban.json", None);
        let xml = part(
            &docx(&doc, &RenderOptions::default()).unwrap(),
            "word/document.xml",
        );
        let closing = &xml[xml.rfind("<w:tbl>").unwrap()..];
        let (row, after) = closing.split_at(closing.find("</w:tbl>").unwrap());
        assert_eq!(
            row.matches("<w:p ").count(),
            row.matches("<w:keepNext />").count()
        );
        let after: Vec<&str> = after.split("<w:p ").skip(1).collect();
        let kept = after
            .iter()
            .filter(|p| p.contains("<w:keepNext />"))
            .count();
        assert_eq!(kept, after.len() - 1, "all but the last recipient line");
    }

    #[test]
    fn core_properties_name_the_issuer_and_the_documents_date() {
        let doc = fixture_doc("ke-hoach", "ke-hoach.json", None);
        let core = part(
            &docx(&doc, &RenderOptions::default()).unwrap(),
            "docProps/core.xml",
        );
        assert!(
            core.contains("<dc:creator>HUYỆN ỦY PHÚ LƯƠNG</dc:creator>"),
            "{core}"
        );
        assert!(core.contains("<cp:lastModifiedBy>HUYỆN ỦY PHÚ LƯƠNG</cp:lastModifiedBy>"));
        for element in ["dcterms:created", "dcterms:modified"] {
            assert!(
                core.contains(&format!(
                    "<{element} xsi:type=\"dcterms:W3CDTF\">2025-10-14T00:00:00Z</{element}>"
                )),
                "{core}"
            );
        }
        assert!(core.contains("<dc:title>KẾ HOẠCH thực hiện Nghị quyết số 35-NQ/TW"));
        assert!(!core.contains("unknown") && !core.contains("1970"));
    }
}
