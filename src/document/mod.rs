//! The laid-out official document ([`Document`]) and the step that builds it from a filled
//! template ([`Draft`]) under the rules of its standard ([`Layout`]).
//!
//! The rules live in [`rules`] as data, so every template gets the same header table,
//! sizes, marks and page numbers: a template cannot draw them wrong.

mod breaks;
pub(crate) mod fonts;
mod frame;
mod markdown;
pub mod rules;
pub mod vi;

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

pub use frame::{BoxTable, Content, Frame, Para, Rule, TableFormat};
pub use rules::{
    BasisFormat, BodyFormat, DecisionOrder, Form, IssuerMark, Layout, Page, Signing, SigningMarks,
    Standard, Styles, SubjectMark, TextStyle,
};

/// A filled template: the front matter's fields and the Markdown body, before layout.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Draft {
    /// Standard the document follows (`None`: [`Standard::NhaNuoc`]).
    pub standard: Option<Standard>,
    /// Type name, e.g. `KẾ HOẠCH` (printed in capitals).
    pub kind: String,
    /// Parent body (cơ quan chủ quản), may be empty. A `|` is an explicit line break.
    pub parent_body: String,
    /// Issuing body (cơ quan ban hành). A `|` is an explicit line break.
    pub issuing_body: String,
    /// Number and symbol without the `Số` prefix, e.g. `18-KH/TU`. Without the number
    /// (`/KH-UBND`, `-KH/TU`, empty), room is left to write it by hand.
    pub number: String,
    /// Place (địa danh) of the date line.
    pub place: String,
    /// Date: ISO `2021-01-14` or `14/01/2021` is printed by the padding rule; any other
    /// text (a draft's `ngày    tháng    năm 2021`) is printed as given.
    pub date: String,
    /// Trích yếu, printed under the type name (a công văn's under its number); may be
    /// empty.
    pub subject: String,
    /// Addressees (`Kính gửi:`), one per line, without the leading dash.
    pub addressees: Vec<String>,
    /// Căn cứ lines, without their final punctuation: printed in italics before the body.
    pub bases: Vec<String>,
    /// Who enacts a quyết định (`CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN …`), printed centred.
    pub enacted_by: String,
    /// Signing authority line (`T/M BAN THƯỜNG VỤ`, `TM. ỦY BAN NHÂN DÂN`), may be empty;
    /// its mark is written as the standard writes it (`TM.` or `T/M`).
    pub authority: String,
    /// Signer's position (`BÍ THƯ`, `CHỦ TỊCH`), may be empty.
    pub position: String,
    /// Signer's name.
    pub signer: String,
    /// Extra signature columns (for minutes: secretary and chair), left to right.
    pub signatures: Vec<Signature>,
    /// Recipients (`Nơi nhận`), one per line, without the leading dash.
    pub recipients: Vec<String>,
    /// The body, in Markdown.
    pub body: String,
}

/// A run of text with one format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The text (NFC).
    pub text: String,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
}

/// Horizontal alignment of a paragraph or table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Left.
    Left,
    /// Centred.
    Center,
    /// Right.
    Right,
    /// Justified (the body default).
    Justify,
}

/// What a paragraph is, which decides its style under the [`Layout`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Body text (also list items, whose marker is part of the text).
    Body,
    /// A heading, level 1-6 as in Markdown.
    Heading(u8),
    /// A căn cứ line.
    Basis,
    /// A centred line: the authority of a quyết định, `QUYẾT ĐỊNH:`.
    Center,
}

/// A body table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column widths in twips; they add up to the text width.
    pub columns: Vec<u32>,
    /// Alignment of each column's cells.
    pub align: Vec<Align>,
    /// Header row.
    pub header: Vec<Vec<Span>>,
    /// Body rows; each has as many cells as the header.
    pub rows: Vec<Vec<Vec<Span>>>,
}

/// One block of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph.
    Paragraph {
        /// Body or heading.
        role: Role,
        /// Its text.
        spans: Vec<Span>,
    },
    /// A table.
    Table(Table),
    /// A bar chart, drawn as vector graphics (PDF) or a DrawingML chart (DOCX).
    Chart(BarChart),
}

/// One bar of a [`BarChart`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    /// What the bar counts (NFC), printed before it.
    pub label: String,
    /// Its value, printed after it; bar lengths are in proportion to the values.
    pub value: u64,
}

/// A horizontal bar chart: one row per bar, the label on the left, the bar, its value.
///
/// A Markdown body asks for one with a fenced block whose info string starts with `chart`
/// (the rest is the caption) and whose lines are `label | value`. Its size is decided by the
/// layout step; the renderers draw what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarChart {
    /// Caption printed above the bars, may be empty.
    pub caption: String,
    /// The bars, top to bottom.
    pub bars: Vec<Bar>,
    /// Width in twips (the text width).
    pub width: u32,
    /// Height in twips: the caption line, a row per bar, the space around.
    pub height: u32,
    /// Height of the caption line in twips (0 without a caption).
    pub caption_height: u32,
    /// Width of the label column in twips; the bars start there.
    pub label_width: u32,
    /// Height of each bar's row in twips.
    pub row: u32,
    /// Room kept after the longest bar for its value, in twips.
    pub value_width: u32,
    /// Style of the caption, labels and values.
    pub style: TextStyle,
}

/// The header block (boxes 1-4 of Decree 30 Appendix I).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Parent body in capitals, may be empty; a line feed is a break the template gave.
    pub parent_body: String,
    /// Issuing body in capitals; a line feed is a break the template gave.
    pub issuing_body: String,
    /// The whole number line: `Số: 18/KH-UBND` or `Số 18-KH/TU`.
    pub number: String,
    /// The place and date line.
    pub date_line: String,
    /// The place alone (the date line's part before its comma), may be empty.
    pub place: String,
}

/// A signature block.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signature {
    /// Authority line (capitals), may be empty.
    pub authority: String,
    /// Position (capitals), may be empty.
    pub position: String,
    /// Name.
    pub name: String,
}

/// A laid-out official document: the rules it follows and everything to print.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Page, fonts, sizes: the rules of its standard.
    pub layout: Layout,
    /// How the kind is laid out (titled, công văn, quyết định).
    pub form: Form,
    /// The document's date, when its date line holds one (a draft's may not).
    pub date: Option<vi::Date>,
    /// Header block.
    pub header: Header,
    /// Type name in capitals (`KẾ HOẠCH`).
    pub kind: String,
    /// Trích yếu, may be empty (a công văn's as printed: `V/v …`).
    pub subject: String,
    /// Addressee lines as printed (`- Sở Tài chính;`, or the one addressee alone).
    pub addressees: Vec<String>,
    /// The body: for a quyết định, its authority, căn cứ and verb lines come first.
    pub blocks: Vec<Block>,
    /// Signature blocks, left to right (usually one, on the right).
    pub signatures: Vec<Signature>,
    /// Recipient lines as printed (`- UBND tỉnh;`).
    pub recipients: Vec<String>,
    /// Where the text around the body goes and how it looks, measured and decided by the
    /// layout step from the fields above: the renderers draw this, and the body's blocks.
    /// Lay a changed draft out again rather than editing the fields above.
    pub frame: Frame,
}

/// NFC form of `s`, borrowing when it already is.
pub(crate) fn nfc(s: &str) -> Cow<'_, str> {
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => Cow::Borrowed(s),
        _ => Cow::Owned(s.nfc().collect()),
    }
}

fn clean(s: &str) -> String {
    nfc(s.trim()).into_owned()
}

/// Lays out `draft` under the default rules of its standard.
pub fn layout(draft: &Draft) -> Document {
    layout_with(
        draft,
        Layout::for_standard(draft.standard.unwrap_or(Standard::NhaNuoc)),
    )
}

/// Lays out `draft` under `rules`: text to NFC, capitals where the rules say, the number
/// and date lines, the signing marks, the body parsed from Markdown after the căn cứ
/// lines (and a quyết định's authority and verb), the recipient punctuation.
pub fn layout_with(draft: &Draft, rules: Layout) -> Document {
    let caps = |s: &str, style: TextStyle| {
        let s = clean(s);
        if style.caps { vi::upper(&s) } else { s }
    };
    let st = &rules.styles;
    let form = Form::of_kind(&draft.kind);
    let date = clean(&draft.date);
    let parsed_date = vi::Date::parse(&date);
    let date_words = parsed_date.map_or(date, |d| d.words());
    let place = clean(&draft.place);
    let date_line = if place.is_empty() {
        date_words
    } else {
        format!("{place}, {date_words}")
    };
    let name = |s: &str, style: TextStyle| {
        s.split('|')
            .map(|part| caps(part, style))
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let header = Header {
        parent_body: name(&draft.parent_body, st.parent_body),
        issuing_body: name(&draft.issuing_body, st.issuing_body),
        number: number_line(&draft.number, &rules),
        date_line,
        place,
    };
    let authority = |s: &str| signing_line(&caps(s, st.authority), &rules);
    let mut signatures: Vec<Signature> = draft
        .signatures
        .iter()
        .map(|s| Signature {
            authority: authority(&s.authority),
            position: caps(&s.position, st.position),
            name: clean(&s.name),
        })
        .collect();
    if !draft.signer.trim().is_empty()
        || !draft.authority.trim().is_empty()
        || !draft.position.trim().is_empty()
    {
        signatures.push(Signature {
            authority: authority(&draft.authority),
            position: caps(&draft.position, st.position),
            name: clean(&draft.signer),
        });
    }
    let recipients = recipient_lines(&draft.recipients, &rules);
    let addressees = match draft.addressees.as_slice() {
        [one] => vec![end_with(&clean(one), &rules.recipient_end)],
        many => recipient_lines(many, &rules),
    };
    let subject = clean(&draft.subject);
    let subject = match form {
        Form::Letter => letter_subject(&subject, &rules),
        _ => subject,
    };
    let mut blocks = preamble(draft, form, &rules);
    let body = nfc(&draft.body);
    blocks.extend(markdown::blocks(&body, rules.page.text_width()));
    for block in &mut blocks {
        if let Block::Chart(chart) = block {
            size_chart(chart, &rules);
        }
    }
    let mut doc = Document {
        header,
        form,
        date: parsed_date,
        kind: caps(&draft.kind, st.kind),
        subject,
        addressees,
        blocks,
        signatures,
        recipients,
        layout: rules,
        frame: Frame::empty(),
    };
    doc.frame = frame::frame(&doc);
    doc
}

/// Decides a chart's size under `rules`: the text width; a label column as wide as the
/// longest label (within a fifth and two fifths of the width), room for the longest value,
/// a row of one and a half lines per bar, a caption line above.
fn size_chart(chart: &mut BarChart, rules: &Layout) {
    // Space between the label and its bar, and between a bar and its value.
    const GAP: u32 = 160;
    let style = rules.styles.table_cell;
    let width = rules.page.text_width();
    let widest = |text: &dyn Fn(&Bar) -> String| {
        chart
            .bars
            .iter()
            .map(|b| fonts::width(&text(b), style))
            .max()
            .unwrap_or(0)
    };
    let labels = widest(&|b| b.label.clone());
    let values = widest(&|b| b.value.to_string());
    // A line is about 1.15 × the size (size in half-points: × 10 for twips).
    let line = style.size * 23 / 2;
    chart.row = line * 3 / 2;
    chart.label_width = (labels + GAP).clamp(width / 5, width * 2 / 5);
    chart.value_width = values + GAP;
    chart.caption_height = if chart.caption.is_empty() {
        0
    } else {
        line * 3 / 2
    };
    chart.width = width;
    chart.height = chart.caption_height + chart.row * chart.bars.len() as u32 + line / 2;
    chart.style = style;
}

/// The number line: `Số: 05/KH-UBND`, or for a draft without its number the prefix, room
/// to write it by hand (no-break spaces, kept by every renderer) and the symbol.
fn number_line(number: &str, rules: &Layout) -> String {
    // Trim ASCII spaces only: a draft may give its blank number as no-break spaces.
    let number = nfc(number.trim_matches(|c: char| c.is_ascii_whitespace())).into_owned();
    let number = number
        .strip_prefix("Số:")
        .or_else(|| number.strip_prefix("Số"))
        .map_or(number.as_str(), |n| {
            n.trim_start_matches(|c: char| c.is_ascii_whitespace())
        });
    let blank = number.is_empty() || number.starts_with(['/', '-']);
    if blank {
        let prefix = rules.number_prefix.trim_end();
        let gap = "\u{a0}".repeat(rules.blank_number_gap as usize);
        format!("{prefix} {gap}{number}")
    } else {
        format!("{}{}", rules.number_prefix, pad_number_field(number))
    }
}

/// An authority line with its signing mark written as `rules` write it: `T/M BAN THƯỜNG
/// VỤ` → `TM. BAN THƯỜNG VỤ` under Decree 30. A line without a mark is kept.
fn signing_line(authority: &str, rules: &Layout) -> String {
    match Signing::split(authority) {
        Some((signing, "")) => rules.signing.mark(signing).to_string(),
        Some((signing, rest)) => format!("{} {rest}", rules.signing.mark(signing)),
        None => authority.to_string(),
    }
}

/// The trích yếu of a công văn: `V/v …` unless it already starts so (or with `về`, as
/// Party letters write it).
fn letter_subject(subject: &str, rules: &Layout) -> String {
    let folded = crate::text::fold_key(subject);
    if subject.is_empty() || folded.starts_with("v/v") || folded.starts_with("ve ") {
        subject.to_string()
    } else {
        format!("{}{subject}", rules.letter_subject_prefix)
    }
}

/// `s` ending in `end`, unless it already ends in punctuation.
fn end_with(s: &str, end: &str) -> String {
    if s.is_empty() || s.ends_with([';', ',', '.', ':']) {
        s.to_string()
    } else {
        format!("{s}{end}")
    }
}

/// What comes before the Markdown body: the căn cứ lines, and for a quyết định the
/// authority that enacts it and the verb line, centred, in the standard's order.
fn preamble(draft: &Draft, form: Form, rules: &Layout) -> Vec<Block> {
    let bases: Vec<String> = draft
        .bases
        .iter()
        .map(|b| clean(b))
        .filter(|b| !b.is_empty())
        .collect();
    let format = &rules.basis;
    let last_end = if form == Form::Decision {
        &format.decision_end
    } else {
        &format.end
    };
    let basis_blocks = bases.iter().enumerate().map(|(i, b)| {
        let b = b.trim_end_matches([';', ',', '.']);
        let end = if i + 1 == bases.len() {
            last_end
        } else {
            &format.separator
        };
        paragraph(Role::Basis, format!("{}{b}{end}", format.lead))
    });
    let mut out = Vec::new();
    if form != Form::Decision {
        out.extend(basis_blocks);
        return out;
    }
    let enacted_by = vi::upper(&clean(&draft.enacted_by));
    let authority = (!enacted_by.is_empty()).then(|| paragraph(Role::Center, enacted_by));
    let verb = paragraph(Role::Center, rules.decision_verb.clone());
    match rules.decision {
        DecisionOrder::AuthorityFirst => {
            out.extend(authority);
            out.extend(basis_blocks);
        }
        DecisionOrder::AuthorityLast => {
            out.extend(basis_blocks);
            out.extend(authority);
        }
    }
    out.push(verb);
    out
}

/// A paragraph of one plain span.
fn paragraph(role: Role, text: String) -> Block {
    Block::Paragraph {
        role,
        spans: vec![Span {
            text,
            bold: false,
            italic: false,
        }],
    }
}

/// The leading-zero rule: a number below 10 gets a `0` (`5/BC-STTTT` → `05/BC-STTTT`).
fn pad_number_field(number: &str) -> String {
    let digits = number.bytes().take_while(u8::is_ascii_digit).count();
    let next = number.as_bytes().get(digits);
    if digits == 1 && matches!(next, Some(b'/' | b'-' | b' ') | None) {
        format!("0{number}")
    } else {
        number.to_string()
    }
}

/// `- X;` for every recipient but the last, `- X.` for the last (ND30; HD 36 uses commas).
/// A line that already ends in punctuation keeps it.
fn recipient_lines(items: &[String], rules: &Layout) -> Vec<String> {
    let items: Vec<String> = items
        .iter()
        .map(|s| clean(s.trim_start_matches(['-', '+', '*', ' '])))
        .filter(|s| !s.is_empty())
        .collect();
    let last = items.len().saturating_sub(1);
    items
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let end = if s.ends_with([';', ',', '.', ':']) {
                ""
            } else if i == last {
                &rules.recipient_end
            } else {
                &rules.recipient_separator
            };
            format!("- {s}{end}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Draft {
        Draft {
            standard: Some(Standard::Dang),
            kind: "Kế hoạch".into(),
            parent_body: "Đảng bộ tỉnh Bắc Kạn".into(),
            issuing_body: "Thành ủy Bắc Kạn".into(),
            number: "18-KH/TU".into(),
            place: "Bắc Kạn".into(),
            date: "2021-01-14".into(),
            subject: "lãnh đạo cuộc bầu cử".into(),
            authority: "T/M Ban Thường vụ".into(),
            position: "Bí thư".into(),
            signer: "Nguyễn Văn A".into(),
            recipients: vec!["Ban Thường vụ Tỉnh ủy (b/c)".into(), "Lưu Văn phòng".into()],
            body: "# I. MỤC ĐÍCH\n\n1. Một.\n".into(),
            ..Draft::default()
        }
    }

    #[test]
    fn header_lines_follow_the_standard() {
        let doc = layout(&draft());
        assert_eq!(doc.header.parent_body, "ĐẢNG BỘ TỈNH BẮC KẠN");
        assert_eq!(doc.header.issuing_body, "THÀNH ỦY BẮC KẠN");
        assert_eq!(doc.header.number, "Số 18-KH/TU");
        assert_eq!(doc.header.date_line, "Bắc Kạn, ngày 14 tháng 01 năm 2021");
        assert_eq!(doc.kind, "KẾ HOẠCH");
        assert_eq!(doc.signatures[0].authority, "T/M BAN THƯỜNG VỤ");
        assert_eq!(
            doc.recipients,
            ["- Ban Thường vụ Tỉnh ủy (b/c),", "- Lưu Văn phòng."]
        );
        let mut nd = draft();
        nd.standard = Some(Standard::NhaNuoc);
        nd.number = "Số: 5/KH-UBND".into();
        let doc = layout(&nd);
        assert_eq!(doc.header.number, "Số: 05/KH-UBND");
        assert_eq!(doc.recipients[0], "- Ban Thường vụ Tỉnh ủy (b/c);");
    }

    #[test]
    fn text_is_nfc_after_layout() {
        let mut d = draft();
        d.issuing_body = "Thành u\u{309} y".into(); // NFD "ủ"
        d.body = "Ke\u{302}\u{301} hoạch".into();
        let doc = layout(&d);
        assert_eq!(doc.header.issuing_body, "THÀNH Ủ Y");
        let Block::Paragraph { spans, .. } = &doc.blocks[0] else {
            panic!("paragraph expected")
        };
        assert_eq!(spans[0].text, "Kế hoạch");
    }

    fn texts(blocks: &[Block]) -> Vec<(Role, String)> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { role, spans } => {
                    Some((*role, spans.iter().map(|s| s.text.as_str()).collect()))
                }
                Block::Table(_) | Block::Chart(_) => None,
            })
            .collect()
    }

    #[test]
    fn switching_standard_switches_the_signing_marks() {
        let cases = [
            (
                "T/M Ban Thường vụ",
                "TM. BAN THƯỜNG VỤ",
                "T/M BAN THƯỜNG VỤ",
            ),
            (
                "TM. Ủy ban nhân dân",
                "TM. ỦY BAN NHÂN DÂN",
                "T/M ỦY BAN NHÂN DÂN",
            ),
            ("K/T Chủ tịch", "KT. CHỦ TỊCH", "K/T CHỦ TỊCH"),
            ("KT. GIÁM ĐỐC", "KT. GIÁM ĐỐC", "K/T GIÁM ĐỐC"),
            ("TL. Bộ trưởng", "TL. BỘ TRƯỞNG", "T/L BỘ TRƯỞNG"),
            ("TUQ. Chủ tịch", "TUQ. CHỦ TỊCH", "T/UQ CHỦ TỊCH"),
            ("Q. Giám đốc", "Q. GIÁM ĐỐC", "Q. GIÁM ĐỐC"),
            ("TM.ỦY BAN", "TM. ỦY BAN", "T/M ỦY BAN"),
            // Not a mark: kept as written.
            ("Thủ trưởng", "THỦ TRƯỞNG", "THỦ TRƯỞNG"),
            ("TMX", "TMX", "TMX"),
        ];
        for (data, nn, dang) in cases {
            for (standard, want) in [(Standard::NhaNuoc, nn), (Standard::Dang, dang)] {
                let mut d = draft();
                d.standard = Some(standard);
                d.authority = data.into();
                assert_eq!(layout(&d).signatures[0].authority, want, "{data}");
            }
        }
    }

    #[test]
    fn a_blank_number_keeps_room_for_the_hand() {
        let gap = "\u{a0}".repeat(8);
        let cases = [
            (
                Standard::NhaNuoc,
                "      /KH-UBND",
                format!("Số: {gap}/KH-UBND"),
            ),
            (
                Standard::NhaNuoc,
                "Số:  /QĐ-UBND",
                format!("Số: {gap}/QĐ-UBND"),
            ),
            (Standard::NhaNuoc, "", format!("Số: {gap}")),
            (Standard::Dang, "-CV/ĐU", format!("Số {gap}-CV/ĐU")),
            (Standard::Dang, "5-CV/ĐU", "Số 05-CV/ĐU".to_string()),
        ];
        for (standard, number, want) in cases {
            let mut d = draft();
            d.standard = Some(standard);
            d.number = number.into();
            assert_eq!(layout(&d).header.number, want, "{number:?}");
        }
    }

    #[test]
    fn a_decision_puts_its_authority_and_verb_in_the_order_of_its_standard() {
        let mut d = draft();
        d.kind = "Quyết định".into();
        d.enacted_by = "Chủ tịch Ủy ban nhân dân huyện Chợ Đồn".into();
        d.bases = vec![
            "Căn cứ Luật Tổ chức chính quyền địa phương;".into(),
            "Theo đề nghị của Trưởng phòng Nội vụ".into(),
        ];
        d.body = "Điều 1. Thành lập tổ công tác.\n".into();
        d.standard = Some(Standard::NhaNuoc);
        let doc = layout(&d);
        assert_eq!(doc.form, Form::Decision);
        assert_eq!(
            texts(&doc.blocks),
            [
                (
                    Role::Center,
                    "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN CHỢ ĐỒN".into()
                ),
                (
                    Role::Basis,
                    "Căn cứ Luật Tổ chức chính quyền địa phương;".into()
                ),
                (Role::Basis, "Theo đề nghị của Trưởng phòng Nội vụ.".into()),
                (Role::Center, "QUYẾT ĐỊNH:".into()),
                (Role::Body, "Điều 1. Thành lập tổ công tác.".into()),
            ]
        );
        d.standard = Some(Standard::Dang);
        let doc = layout(&d);
        assert_eq!(
            texts(&doc.blocks)[..4],
            [
                (
                    Role::Basis,
                    "- Căn cứ Luật Tổ chức chính quyền địa phương;".into()
                ),
                (
                    Role::Basis,
                    "- Theo đề nghị của Trưởng phòng Nội vụ,".into()
                ),
                (
                    Role::Center,
                    "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN CHỢ ĐỒN".into()
                ),
                (Role::Center, "QUYẾT ĐỊNH".into()),
            ]
        );
    }

    #[test]
    fn a_letter_has_no_title_its_subject_under_the_number_and_an_addressee_block() {
        let mut d = draft();
        d.standard = Some(Standard::NhaNuoc);
        d.kind = "Công văn".into();
        d.subject = "triển khai sản xuất vụ Xuân".into();
        d.addressees = vec!["Ủy ban nhân dân các xã".into(), "Trạm Khuyến nông".into()];
        let doc = layout(&d);
        assert_eq!(doc.form, Form::Letter);
        assert_eq!(doc.subject, "V/v triển khai sản xuất vụ Xuân");
        let number_cell: Vec<String> = doc.frame.header.rows[1][0]
            .iter()
            .filter_map(|p| match &p.content {
                frame::Content::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            number_cell,
            ["Số: 18-KH/TU", "V/v triển khai sản xuất vụ Xuân"]
        );
        assert!(
            doc.frame
                .title
                .iter()
                .all(|p| matches!(p.content, frame::Content::Empty { .. })),
            "no type name"
        );
        let block = doc.frame.addressees.as_ref().unwrap();
        assert!(block.keep_rows && block.keep_next);
        let cells: Vec<Vec<&str>> = block.rows[0]
            .iter()
            .map(|cell| {
                cell.iter()
                    .filter_map(|p| match &p.content {
                        frame::Content::Text { text, .. } => Some(text.as_str()),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        assert_eq!(
            cells,
            [
                vec!["Kính gửi:"],
                vec!["- Ủy ban nhân dân các xã;", "- Trạm Khuyến nông."]
            ]
        );
        // One addressee: no dash.
        d.addressees.truncate(1);
        assert_eq!(layout(&d).addressees, ["Ủy ban nhân dân các xã."]);
        // A subject the template already wrote as V/v is kept.
        d.subject = "V/v báo cáo".into();
        assert_eq!(layout(&d).subject, "V/v báo cáo");
    }

    #[test]
    fn the_body_end_is_kept_with_the_closing() {
        let doc = layout(&draft());
        let f = &doc.frame;
        assert!(f.keep_last_block && f.before_closing.keep_next && f.closing.keep_rows);
        // One signature beside the recipients: nothing follows the closing table.
        assert!(!f.closing.keep_next && f.after_closing.is_empty());
        let mut two = draft();
        two.signatures.push(Signature {
            name: "Trần Thị B".into(),
            ..Signature::default()
        });
        let f = layout(&two).frame;
        assert!(
            f.closing.keep_next,
            "recipients under two signatures stay with them"
        );
        let keeps: Vec<bool> = f.after_closing.iter().map(|p| p.keep_next).collect();
        assert_eq!(keeps, [true, true, true, false]);
    }

    #[test]
    fn the_date_is_the_documents() {
        assert_eq!(
            layout(&draft()).date,
            Some(vi::Date {
                year: 2021,
                month: 1,
                day: 14
            })
        );
        let mut d = draft();
        d.date = "ngày      tháng      năm 2021".into();
        assert_eq!(layout(&d).date, None);
    }
}
