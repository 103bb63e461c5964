//! The frame: what the layout step decides about where the text around the body goes and
//! how it looks, so that the DOCX and PDF writers only draw it and cannot disagree.
//!
//! It holds the header table (its columns, cell margin and every paragraph, the rules under
//! the issuing body and the title measured here), the type name and trích yếu with the mark
//! under them, the format of body tables (cell margins, spacing, borders), the small gaps
//! around tables and the closing table (signatures and recipients). Lengths are in twips.
//! The body's own paragraphs take their style from [`Layout::style_of`].

use super::{
    Align, Document, Form, IssuerMark, Layout, Role, Signature, SubjectMark, TextStyle, breaks,
    fonts,
};

/// Word's default cell margin (0.19 cm), left and right, in the header and closing tables.
const BOX_MARGIN: u32 = 108;
/// Cell margin left and right in body tables.
const CELL_MARGIN: u32 = 80;
/// Space before and after the paragraph of a body table cell.
const CELL_SPACE: u32 = 40;
/// Body table borders: 0.25 pt.
const BORDER: u32 = 5;
/// Size of the empty paragraph after a body table, half-points (6 pt).
const TABLE_GAP_SIZE: u32 = 12;
/// Space after the empty paragraph after a body table.
const TABLE_GAP_AFTER: u32 = 120;
/// Space before the type name.
const KIND_BEFORE: u32 = 360;
/// Space after the mark under the trích yếu.
const MARK_AFTER: u32 = 240;
/// Space before the number and the date line.
const NUMBER_BEFORE: u32 = 60;
/// Space before the recipients printed under a closing table of two signatures.
const RECIPIENTS_BEFORE: u32 = 240;
/// Space before the `Kính gửi:` block.
const ADDRESSEES_BEFORE: u32 = 120;
/// The shortest rule under the issuing body (1 cm).
const MIN_ISSUER_RULE: u32 = 567;
/// A solid rule (its width set where it is used): 0.75 pt thick, 1 pt above a line 1 pt
/// high.
const RULE: Rule = Rule {
    width: 0,
    thickness: 15,
    gap: 20,
    height: 20,
};
/// Space between a rule and the text above it (2 pt).
const RULE_BEFORE: u32 = 40;

/// A solid horizontal rule: the top border of an empty paragraph one line high, as a Word
/// user draws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Length.
    pub width: u32,
    /// Thickness of the line.
    pub thickness: u32,
    /// Gap between the line and the paragraph's line under it.
    pub gap: u32,
    /// Height of the paragraph's line (exact).
    pub height: u32,
}

/// What a paragraph of the frame holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// Text in one style: one line, or several the layout broke (separated by line feeds,
    /// written as line breaks); a renderer wraps a line only should it not fit.
    Text {
        /// The text (NFC).
        text: String,
        /// Its style.
        style: TextStyle,
    },
    /// No text: an empty line of this font size, in half-points.
    Empty {
        /// Font size, half-points.
        size: u32,
    },
    /// A solid rule, placed in its box by the paragraph's alignment.
    Rule(Rule),
}

/// A paragraph of the frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    /// Text, nothing, or a rule.
    pub content: Content,
    /// Alignment in its box (the text width, or a table cell less its margins).
    pub align: Align,
    /// Space before.
    pub before: u32,
    /// Space after.
    pub after: u32,
    /// Whether it stays on the page of what follows it.
    pub keep_next: bool,
}

impl Para {
    fn text(text: &str, style: TextStyle, align: Align) -> Para {
        Para {
            content: Content::Text {
                text: text.to_string(),
                style,
            },
            align,
            before: 0,
            after: 0,
            keep_next: false,
        }
    }

    fn empty(size: u32, align: Align) -> Para {
        Para {
            content: Content::Empty { size },
            align,
            before: 0,
            after: 0,
            keep_next: false,
        }
    }

    /// A centred rule `width` long.
    fn rule(width: u32, after: u32) -> Para {
        Para {
            content: Content::Rule(Rule { width, ..RULE }),
            align: Align::Center,
            before: RULE_BEFORE,
            after,
            keep_next: false,
        }
    }

    fn space(mut self, before: u32, after: u32) -> Para {
        self.before = before;
        self.after = after;
        self
    }

    fn keep(mut self) -> Para {
        self.keep_next = true;
        self
    }
}

/// A borderless table of the frame: the header, or the closing table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BoxTable {
    /// Column widths.
    pub columns: Vec<u32>,
    /// Cell margin, left and right.
    pub cell_margin: u32,
    /// Whether a row must stay on one page.
    pub keep_rows: bool,
    /// Whether its last row stays on the page of what follows the table.
    pub keep_next: bool,
    /// Rows of cells, each cell its paragraphs (at least one).
    pub rows: Vec<Vec<Vec<Para>>>,
}

impl BoxTable {
    /// Width of the text in a cell of column width `column`.
    pub fn inner(&self, column: u32) -> u32 {
        column.saturating_sub(2 * self.cell_margin)
    }
}

/// How body tables are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableFormat {
    /// Cell margin, left and right.
    pub cell_margin: u32,
    /// Space before and after a cell's paragraph.
    pub cell_space: u32,
    /// Width of the borders.
    pub border: u32,
    /// Alignment of the header row's cells.
    pub header_align: Align,
}

impl Default for TableFormat {
    fn default() -> Self {
        TableFormat {
            cell_margin: CELL_MARGIN,
            cell_space: CELL_SPACE,
            border: BORDER,
            header_align: Align::Center,
        }
    }
}

/// Everything around the body, as the layout step placed it: the header table (columns,
/// cell margin, every paragraph, the rules under the issuing body and the title measured),
/// the type name and trích yếu with the mark under them, the format of body tables, the
/// gaps around tables, and the closing table. Lengths in twips. The DOCX and PDF writers
/// draw it as it is, so they cannot disagree.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// The header table: issuer, mark and number | title, rule and date line.
    pub header: BoxTable,
    /// The type name, the trích yếu and the mark under them, under the header table (for a
    /// công văn, which has none, the space they would take).
    pub title: Vec<Para>,
    /// The `Kính gửi:` block under the title: the label | the addressees.
    pub addressees: Option<BoxTable>,
    /// How body tables are drawn.
    pub tables: TableFormat,
    /// The empty paragraph after each body table (a table carries no space after it).
    pub after_table: Para,
    /// Whether the body's last block stays on the page of the closing table (and is kept
    /// whole), so that the signature and the recipients never stand on a page alone.
    pub keep_last_block: bool,
    /// The empty paragraph between the body and the closing table.
    pub before_closing: Para,
    /// The closing table: recipients | signature, or two signatures.
    pub closing: BoxTable,
    /// What follows the closing table: the recipients, when both its cells are signatures.
    pub after_closing: Vec<Para>,
}

impl Frame {
    /// A frame with nothing in it, until [`frame`] fills it.
    pub(crate) fn empty() -> Frame {
        Frame {
            header: BoxTable::default(),
            title: Vec::new(),
            addressees: None,
            tables: TableFormat::default(),
            keep_last_block: false,
            after_table: Para::empty(TABLE_GAP_SIZE, Align::Left),
            before_closing: Para::empty(TABLE_GAP_SIZE, Align::Left),
            closing: BoxTable::default(),
            after_closing: Vec::new(),
        }
    }
}

impl Role {
    /// Which of [`Styles::headings`](super::Styles::headings) a heading takes (`#` → 0,
    /// `##` → 1, `###` and deeper → 2); `None` for the other roles.
    pub fn heading_style(self) -> Option<usize> {
        match self {
            Role::Heading(level) => Some(usize::from(level.clamp(1, 3) - 1)),
            Role::Body | Role::Basis | Role::Center => None,
        }
    }

    /// Whether the paragraph stays on the page of what follows it (headings and centred
    /// lines do).
    pub fn keeps_with_next(self) -> bool {
        matches!(self, Role::Heading(_) | Role::Center)
    }

    /// Its alignment: centred lines centred, the rest justified.
    pub fn align(self) -> Align {
        match self {
            Role::Center => Align::Center,
            _ => Align::Justify,
        }
    }

    /// Whether its first line is indented (all but centred lines).
    pub fn indented(self) -> bool {
        self != Role::Center
    }
}

impl Layout {
    /// The style of a body paragraph of `role`.
    pub fn style_of(&self, role: Role) -> TextStyle {
        match role {
            Role::Body => self.styles.body,
            Role::Heading(_) => self.styles.headings[role.heading_style().unwrap_or(0)],
            Role::Basis => self.styles.basis,
            Role::Center => self.styles.centered,
        }
    }

    /// Space before and after a body paragraph of `role`: space only after, for every
    /// role, so that renderers that add the space after one paragraph and before the next
    /// (Word, the PDF) and one that takes the larger (LibreOffice) agree.
    pub fn spacing_of(&self, _role: Role) -> (u32, u32) {
        (0, self.body.space_after)
    }

    /// The style of title line `i` of the header's right column.
    fn title_style(&self, i: usize) -> TextStyle {
        match (self.issuer_mark, i) {
            (IssuerMark::Star, _) => self.styles.party_title,
            (_, 0) => self.styles.national_title,
            _ => self.styles.motto,
        }
    }
}

/// The frame of `doc`, whose text and rules are set (its own frame is not read).
pub(crate) fn frame(doc: &Document) -> Frame {
    let body = doc.layout.styles.body.size;
    Frame {
        header: header(doc),
        title: title(doc),
        addressees: addressees(doc),
        tables: TableFormat::default(),
        keep_last_block: !doc.blocks.is_empty(),
        after_table: Para::empty(TABLE_GAP_SIZE, Align::Left).space(0, TABLE_GAP_AFTER),
        before_closing: Para::empty(body, Align::Left).keep(),
        closing: closing(doc),
        after_closing: after_closing(doc),
    }
}

fn header(doc: &Document) -> BoxTable {
    let l = &doc.layout;
    let st = &l.styles;
    let h = &doc.header;
    let mut table = BoxTable {
        columns: l.header_columns.to_vec(),
        cell_margin: BOX_MARGIN,
        ..BoxTable::default()
    };
    let [left_w, right_w] = l.header_columns.map(|w| table.inner(w));
    let centred = |text: &str, style: TextStyle| Para::text(text, style, Align::Center);

    // The names, broken into lines here where a person would break them.
    let mut left: Vec<Para> = broken(&h.parent_body, st.parent_body, left_w)
        .into_iter()
        .collect();
    let issuer = breaks::name_lines(&h.issuing_body, st.issuing_body, left_w);
    left.push(centred(&issuer.join("\n"), st.issuing_body));
    left.push(match l.issuer_mark {
        IssuerMark::Rule(fraction) => {
            let widest = issuer
                .iter()
                .map(|line| fonts::width(line, st.issuing_body))
                .max()
                .unwrap_or(0);
            let text_w = widest.min(left_w);
            Para::rule(((text_w as f32 * fraction) as u32).max(MIN_ISSUER_RULE), 0)
        }
        IssuerMark::Star => centred("*", st.star),
    });

    let mut right = Vec::new();
    for (i, title) in l.title_lines.iter().enumerate() {
        let style = l.title_style(i);
        right.push(centred(title, style));
        if i + 1 == l.title_lines.len() {
            right.push(Para::rule(fonts::width(title, style).min(right_w), 0));
        }
    }
    if right.is_empty() {
        // A cell holds at least one paragraph.
        right.push(Para::empty(st.body.size, Align::Center));
    }

    let mut number = vec![centred(&h.number, st.number).space(NUMBER_BEFORE, 0)];
    // A công văn's trích yếu under the number: lines decided here too, so that no
    // renderer breaks a cited number at its hyphen (LibreOffice would: `104-` / `CTr/TU`).
    if doc.form == Form::Letter {
        number.extend(broken(&doc.subject, st.letter_subject, left_w));
    }
    let date = breaks::date_lines(&h.date_line, &h.place, st.place_date, right_w).join("\n");
    let date = centred(&date, st.place_date).space(NUMBER_BEFORE, 0);
    table.rows = vec![vec![left, right], vec![number, vec![date]]];
    table
}

/// `text` centred in a box `width` twips wide, broken into lines where a person would
/// (one paragraph, its lines joined by line feeds); `None` when it is empty.
fn broken(text: &str, style: TextStyle, width: u32) -> Option<Para> {
    let lines = breaks::name_lines(text, style, width);
    (!lines.is_empty()).then(|| Para::text(&lines.join("\n"), style, Align::Center))
}

fn title(doc: &Document) -> Vec<Para> {
    let l = &doc.layout;
    let st = &l.styles;
    if doc.form == Form::Letter {
        // No type name: the trích yếu is in the header; a line's space before the rest.
        return vec![Para::empty(st.body.size, Align::Left).space(KIND_BEFORE, 0)];
    }
    let mut out = vec![Para::text(&doc.kind, st.kind, Align::Center).space(KIND_BEFORE, 0)];
    if !doc.subject.is_empty() {
        out.push(Para::text(&doc.subject, st.subject, Align::Center));
    }
    out.push(match &l.subject_mark {
        SubjectMark::Rule(w) => Para::rule(*w, MARK_AFTER),
        SubjectMark::Text(t) => Para::text(t, st.subject, Align::Center).space(0, MARK_AFTER),
    });
    out
}

/// `Kính gửi:` | the addressees, one per line, as a borderless table kept whole and with
/// the body's start; `None` without addressees.
fn addressees(doc: &Document) -> Option<BoxTable> {
    let l = &doc.layout;
    let style = l.styles.addressees;
    let last = doc.addressees.len().checked_sub(1)?;
    let label = Para::text(&l.addressee_label, style, Align::Right).space(ADDRESSEES_BEFORE, 0);
    let lines = doc
        .addressees
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let before = if i == 0 { ADDRESSEES_BEFORE } else { 0 };
            let after = if i == last { MARK_AFTER } else { 0 };
            Para::text(line, style, Align::Left).space(before, after)
        })
        .collect();
    Some(BoxTable {
        columns: l.addressee_columns.to_vec(),
        cell_margin: BOX_MARGIN,
        keep_rows: true,
        keep_next: true,
        rows: vec![vec![vec![label], lines]],
    })
}

/// A signature block in a cell `width` twips wide: authority, position (each broken where
/// a person would), the space for the hand and seal, the name.
fn signature(sig: &Signature, l: &Layout, width: u32) -> Vec<Para> {
    let st = &l.styles;
    let mut out = Vec::new();
    for (text, style) in [(&sig.authority, st.authority), (&sig.position, st.position)] {
        out.extend(broken(text, style, width));
    }
    for _ in 0..l.signature_gap {
        out.push(Para::empty(st.body.size, Align::Center));
    }
    out.push(Para::text(&sig.name, st.signer, Align::Center));
    out
}

/// `Nơi nhận:` and one paragraph per recipient.
fn recipients(doc: &Document) -> Vec<Para> {
    let l = &doc.layout;
    let st = &l.styles;
    let mut out = vec![Para::text(
        &l.recipients_label,
        st.recipients_label,
        Align::Left,
    )];
    for line in &doc.recipients {
        out.push(Para::text(line, st.recipients, Align::Left));
    }
    out
}

/// Two signatures side by side, or the recipients (if any) beside the one signature.
fn closing(doc: &Document) -> BoxTable {
    let l = &doc.layout;
    let inner = l
        .signature_columns
        .map(|w| w.saturating_sub(2 * BOX_MARGIN));
    let cells = match doc.signatures.as_slice() {
        [a, b, ..] => vec![signature(a, l, inner[0]), signature(b, l, inner[1])],
        sigs => {
            let left = if doc.recipients.is_empty() {
                vec![Para::empty(l.styles.body.size, Align::Left)]
            } else {
                recipients(doc)
            };
            let empty = Signature::default();
            vec![left, signature(sigs.first().unwrap_or(&empty), l, inner[1])]
        }
    };
    BoxTable {
        columns: l.signature_columns.to_vec(),
        cell_margin: BOX_MARGIN,
        keep_rows: true,
        // The recipients under two signatures stay with them.
        keep_next: !after_closing(doc).is_empty(),
        rows: vec![cells],
    }
}

/// The recipients under a closing table of two signatures, after an empty line.
fn after_closing(doc: &Document) -> Vec<Para> {
    if doc.signatures.len() < 2 || doc.recipients.is_empty() {
        return Vec::new();
    }
    let gap = Para::empty(doc.layout.styles.body.size, Align::Left).space(RECIPIENTS_BEFORE, 0);
    let mut out = vec![gap];
    out.extend(recipients(doc));
    let last = out.len() - 1;
    for p in &mut out[..last] {
        p.keep_next = true;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Draft, Standard, layout};

    fn draft(standard: Standard) -> Draft {
        Draft {
            standard: Some(standard),
            kind: "Kế hoạch".into(),
            issuing_body: "Sở Thông tin và Truyền thông".into(),
            number: "18/KH-STTTT".into(),
            signer: "Nguyễn Văn A".into(),
            recipients: vec!["UBND tỉnh".into()],
            ..Draft::default()
        }
    }

    fn rules(paras: &[Para]) -> Vec<u32> {
        paras
            .iter()
            .filter_map(|p| match p.content {
                Content::Rule(r) => Some(r.width),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn header_rules_are_measured_and_fit_their_cells() {
        let mut short = draft(Standard::NhaNuoc);
        short.issuing_body = "Sở Tư pháp".into();
        let doc = layout(&short);
        let st = &doc.layout.styles;
        let header = &doc.frame.header;
        let [left, right] = [&header.rows[0][0], &header.rows[0][1]];
        let issuer = fonts::width("SỞ TƯ PHÁP", st.issuing_body);
        assert_eq!(rules(left), [(issuer as f32 * 0.4) as u32]);
        let motto = fonts::width("Độc lập - Tự do - Hạnh phúc", st.motto);
        assert_eq!(rules(right), [motto]);
        // A long name (`SỞ THÔNG TIN VÀ TRUYỀN THÔNG`) is broken into lines that fit its
        // cell, and the rule measured on the widest.
        let doc = layout(&draft(Standard::NhaNuoc));
        let left = &doc.frame.header.rows[0][0];
        let lines = texts(left);
        assert_eq!(lines.len(), 2, "{lines:?}");
        let widest = lines
            .iter()
            .map(|l| fonts::width(l, st.issuing_body))
            .max()
            .unwrap();
        assert!(widest <= doc.frame.header.inner(doc.layout.header_columns[0]));
        assert_eq!(rules(left), [(widest as f32 * 0.4) as u32]);
        // HD 36: a star under the issuer, a rule under the Party title.
        let doc = layout(&draft(Standard::Dang));
        assert!(rules(&doc.frame.header.rows[0][0]).is_empty());
        assert_eq!(rules(&doc.frame.header.rows[0][1]).len(), 1);
    }

    /// The lines of text in `cell`.
    fn texts(cell: &[Para]) -> Vec<&str> {
        cell.iter()
            .filter_map(|p| match &p.content {
                Content::Text { text, .. } => Some(text.split('\n')),
                _ => None,
            })
            .flatten()
            .collect()
    }

    #[test]
    fn two_signatures_put_the_recipients_under_the_closing_table() {
        let mut d = draft(Standard::NhaNuoc);
        let doc = layout(&d);
        let cells = &doc.frame.closing.rows[0];
        assert_eq!(texts(&cells[0]), ["Nơi nhận:", "- UBND tỉnh."]);
        assert_eq!(texts(&cells[1]), ["Nguyễn Văn A"]);
        assert!(doc.frame.after_closing.is_empty());
        d.signatures.push(Signature {
            name: "Trần Thị B".into(),
            ..Signature::default()
        });
        let doc = layout(&d);
        let cells = &doc.frame.closing.rows[0];
        assert_eq!(texts(&cells[0]), ["Trần Thị B"]);
        assert_eq!(texts(&cells[1]), ["Nguyễn Văn A"]);
        let after = &doc.frame.after_closing;
        assert_eq!(after[0].content, Content::Empty { size: 28 });
        assert_eq!(texts(&after[1..]), ["Nơi nhận:", "- UBND tỉnh."]);
    }
}
