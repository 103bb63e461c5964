//! The layout rules of each standard, as data: page, font, the size and style of every
//! element, column widths, marks and rules.
//!
//! Numbers come from `reference/layout.md`: Decree 30/2020/NĐ-CP Appendix I for
//! [`Standard::NhaNuoc`], Hướng dẫn 36-HD/VPTW for [`Standard::Dang`]. The ones marked
//! unverified there are defaults here, not constants: every field is public and a caller
//! may change it before laying a draft out with them ([`layout_with`](super::layout_with)).

use serde::{Deserialize, Serialize};

pub use crate::Standard;

/// How one element is printed. Sizes are in half-points, as in DOCX `w:sz`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextStyle {
    /// Font size in half-points (28 = 14 pt).
    pub size: u32,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// Printed in capitals (the text is upper-cased by the layout step).
    pub caps: bool,
}

const fn style(size: u32, bold: bool, italic: bool, caps: bool) -> TextStyle {
    TextStyle {
        size,
        bold,
        italic,
        caps,
    }
}

/// Page size and margins, in twips (1/20 pt).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// Paper width (A4: 11906).
    pub width: u32,
    /// Paper height (A4: 16838).
    pub height: u32,
    /// Top margin.
    pub top: u32,
    /// Bottom margin.
    pub bottom: u32,
    /// Left margin.
    pub left: u32,
    /// Right margin.
    pub right: u32,
    /// Distance from the paper's top edge to the page-number header.
    pub header: u32,
}

impl Page {
    /// Width of the text area between the margins.
    pub fn text_width(&self) -> u32 {
        self.width.saturating_sub(self.left + self.right)
    }
}

/// What sits under the issuing body in the header.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum IssuerMark {
    /// A short solid rule, this fraction of the issuing body's width, centred (ND30).
    Rule(f32),
    /// A star `*` on its own line (HD 36).
    Star,
}

/// What sits under the trích yếu (subject).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SubjectMark {
    /// A short solid rule of this width in twips.
    Rule(u32),
    /// A line of text, such as `-----`.
    Text(String),
}

/// How a kind of document is laid out around its body (Phụ lục III's model forms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Form {
    /// A kind with its name printed as the title (Mẫu 1.4: kế hoạch, báo cáo, tờ trình,
    /// thông báo; Mẫu 1.7 giấy mời and 1.9 biên bản have the same frame).
    Titled,
    /// A công văn (Mẫu 1.5): no title line; the trích yếu as `V/v …` under the number in
    /// the left header cell; a `Kính gửi:` block under the header.
    Letter,
    /// A quyết định (Mẫu 1.2, 1.3): titled, then the authority that enacts it and the căn
    /// cứ lines, centred `QUYẾT ĐỊNH:` and the articles (Điều 1…n).
    Decision,
}

impl Form {
    /// The form of a kind named `kind` (`Công văn`, `QUYẾT ĐỊNH`, with or without marks).
    pub fn of_kind(kind: &str) -> Form {
        let folded = crate::text::fold_key(kind.trim());
        let words: Vec<&str> = folded.split_whitespace().collect();
        match words.as_slice() {
            ["cong", "van"] => Form::Letter,
            ["quyet", "dinh"] => Form::Decision,
            _ => Form::Titled,
        }
    }
}

/// On whose behalf a signer signs: the mark before the authority line of a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Signing {
    /// Thay mặt a collective body (`TM.` / `T/M`).
    OnBehalf,
    /// Ký thay the head (`KT.` / `K/T`).
    ForHead,
    /// Quyền, acting head (`Q.`).
    Acting,
    /// Thừa lệnh (`TL.` / `T/L`).
    ByOrder,
    /// Thừa ủy quyền (`TUQ.`).
    ByDelegation,
}

impl Signing {
    /// Every mark, longest spellings first: how data may write it in either standard.
    const SPELLINGS: [(&'static str, Signing); 13] = [
        ("T/UQ", Signing::ByDelegation),
        ("TUQ.", Signing::ByDelegation),
        ("TUQ", Signing::ByDelegation),
        ("T/M", Signing::OnBehalf),
        ("T.M.", Signing::OnBehalf),
        ("TM.", Signing::OnBehalf),
        ("TM", Signing::OnBehalf),
        ("K/T", Signing::ForHead),
        ("KT.", Signing::ForHead),
        ("KT", Signing::ForHead),
        ("T/L", Signing::ByOrder),
        ("TL.", Signing::ByOrder),
        ("Q.", Signing::Acting),
    ];

    /// The mark an authority line (in capitals) starts with, in any standard's spelling,
    /// and the rest of the line: `T/M BAN THƯỜNG VỤ` → (OnBehalf, `BAN THƯỜNG VỤ`). `None`
    /// when it starts with none (`BAN THƯỜNG VỤ`, `TMX`).
    pub fn split(authority: &str) -> Option<(Signing, &str)> {
        let upper = authority.trim_start();
        Signing::SPELLINGS.iter().find_map(|(spelling, signing)| {
            let rest = upper
                .get(..spelling.len())
                .filter(|head| head.eq_ignore_ascii_case(spelling))
                .map(|_| &upper[spelling.len()..])?;
            // A mark ends at a space (or the line's end); `TM.`, `Q.` may touch the name.
            let ends = rest.is_empty()
                || rest.starts_with(char::is_whitespace)
                || spelling.ends_with(['.', '/']);
            ends.then(|| (*signing, rest.trim()))
        })
    }
}

/// How each standard writes the signing marks (`TM.` or `T/M`…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningMarks {
    /// Thay mặt.
    pub on_behalf: String,
    /// Ký thay.
    pub for_head: String,
    /// Quyền.
    pub acting: String,
    /// Thừa lệnh.
    pub by_order: String,
    /// Thừa ủy quyền.
    pub by_delegation: String,
}

impl SigningMarks {
    /// The mark of `signing`.
    pub fn mark(&self, signing: Signing) -> &str {
        match signing {
            Signing::OnBehalf => &self.on_behalf,
            Signing::ForHead => &self.for_head,
            Signing::Acting => &self.acting,
            Signing::ByOrder => &self.by_order,
            Signing::ByDelegation => &self.by_delegation,
        }
    }
}

/// Where a quyết định puts the authority that enacts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DecisionOrder {
    /// Decree 30 (Mẫu 1.2): the authority line, the căn cứ, then the verb line.
    AuthorityFirst,
    /// HD 36: the căn cứ, then the authority line and the verb line under it.
    AuthorityLast,
}

/// How căn cứ lines are written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasisFormat {
    /// Text before each line (`- ` in Party documents).
    pub lead: String,
    /// Punctuation ending every line but the last.
    pub separator: String,
    /// Punctuation ending the last line.
    pub end: String,
    /// Punctuation ending the last line of a quyết định (before the authority line).
    pub decision_end: String,
}

/// Sizes and styles of every element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Styles {
    /// Quốc hiệu `CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM` (ND30).
    pub national_title: TextStyle,
    /// Tiêu ngữ `Độc lập - Tự do - Hạnh phúc` (ND30).
    pub motto: TextStyle,
    /// Tiêu đề `ĐẢNG CỘNG SẢN VIỆT NAM` (HD 36).
    pub party_title: TextStyle,
    /// Parent body (cơ quan chủ quản).
    pub parent_body: TextStyle,
    /// Issuing body (cơ quan ban hành).
    pub issuing_body: TextStyle,
    /// The Party star under the issuing body.
    pub star: TextStyle,
    /// `Số:` line.
    pub number: TextStyle,
    /// Place and date line.
    pub place_date: TextStyle,
    /// Type name (`KẾ HOẠCH`).
    pub kind: TextStyle,
    /// Trích yếu under the type name.
    pub subject: TextStyle,
    /// Body paragraphs.
    pub body: TextStyle,
    /// Headings by Markdown level (`#`, `##`, `###` and deeper).
    pub headings: [TextStyle; 3],
    /// Table header cells.
    pub table_header: TextStyle,
    /// Table cells.
    pub table_cell: TextStyle,
    /// `Nơi nhận:`.
    pub recipients_label: TextStyle,
    /// Recipient lines.
    pub recipients: TextStyle,
    /// Signing authority (`TM.`, `T/M`, `KT.`).
    pub authority: TextStyle,
    /// Signer's position.
    pub position: TextStyle,
    /// Signer's name.
    pub signer: TextStyle,
    /// Page number in the top margin.
    pub page_number: TextStyle,
    /// Trích yếu of a công văn (`V/v …`) under the number.
    pub letter_subject: TextStyle,
    /// `Kính gửi:` and the addressees.
    pub addressees: TextStyle,
    /// Căn cứ lines.
    pub basis: TextStyle,
    /// Centred lines of the body: the authority of a quyết định and `QUYẾT ĐỊNH:`.
    pub centered: TextStyle,
}

/// Body paragraph geometry, in twips.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyFormat {
    /// First-line indent.
    pub first_line_indent: u32,
    /// Space after each paragraph.
    pub space_after: u32,
    /// Line spacing in 240ths of a line (240 = single).
    pub line: u32,
}

/// The whole rule book for one standard. [`Layout::for_standard`] gives the defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    /// The standard these rules implement.
    #[serde(with = "crate::standard::template_name")]
    pub standard: Standard,
    /// Paper and margins.
    pub page: Page,
    /// Font family named in the DOCX.
    pub font: String,
    /// Widths of the header table's two columns (issuer | national title), twips.
    pub header_columns: [u32; 2],
    /// Widths of the closing table's two columns (recipients | signature), twips.
    pub signature_columns: [u32; 2],
    /// The heading line of the right header column: `CỘNG HÒA …` or `ĐẢNG CỘNG SẢN VIỆT NAM`.
    pub title_lines: Vec<String>,
    /// Text before the number: `Số: ` (ND30) or `Số ` (HD 36).
    pub number_prefix: String,
    /// Mark under the issuing body.
    pub issuer_mark: IssuerMark,
    /// Mark under the subject.
    pub subject_mark: SubjectMark,
    /// `Nơi nhận:` label.
    pub recipients_label: String,
    /// Punctuation ending every recipient line but the last.
    pub recipient_separator: String,
    /// Punctuation ending the last recipient line.
    pub recipient_end: String,
    /// Empty lines left for the handwritten signature and seal.
    pub signature_gap: u32,
    /// How the signing marks are written (`TM.`, `KT.` or `T/M`, `K/T`).
    pub signing: SigningMarks,
    /// No-break spaces left for a handwritten number (`Số:        /KH-UBND`).
    pub blank_number_gap: u32,
    /// Text before the trích yếu of a công văn that does not start with it.
    pub letter_subject_prefix: String,
    /// `Kính gửi:` label.
    pub addressee_label: String,
    /// Widths of the `Kính gửi:` block's two columns (label | addressees), twips.
    pub addressee_columns: [u32; 2],
    /// How căn cứ lines are written.
    pub basis: BasisFormat,
    /// Where a quyết định puts its authority line.
    pub decision: DecisionOrder,
    /// The verb line of a quyết định (`QUYẾT ĐỊNH:`).
    pub decision_verb: String,
    /// Body geometry.
    pub body: BodyFormat,
    /// Element styles.
    pub styles: Styles,
}

/// A4 with the margins we use for both standards (20/20/30/15 mm).
const A4: Page = Page {
    width: 11906,
    height: 16838,
    top: 1134,
    bottom: 1134,
    left: 1701,
    right: 850,
    header: 567,
};

impl Layout {
    /// The default rules of `standard`.
    pub fn for_standard(standard: Standard) -> Layout {
        match standard {
            Standard::NhaNuoc => Layout::nha_nuoc(),
            Standard::Dang => Layout::dang(),
        }
    }

    fn nha_nuoc() -> Layout {
        let body = style(28, false, false, false);
        Layout {
            standard: Standard::NhaNuoc,
            page: A4,
            font: "Times New Roman".into(),
            header_columns: [3600, 5755],
            signature_columns: [4535, 4820],
            title_lines: vec![
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
                "Độc lập - Tự do - Hạnh phúc".into(),
            ],
            number_prefix: "Số: ".into(),
            issuer_mark: IssuerMark::Rule(0.4),
            subject_mark: SubjectMark::Rule(1701),
            recipients_label: "Nơi nhận:".into(),
            recipient_separator: ";".into(),
            recipient_end: ".".into(),
            signature_gap: 4,
            signing: SigningMarks {
                on_behalf: "TM.".into(),
                for_head: "KT.".into(),
                acting: "Q.".into(),
                by_order: "TL.".into(),
                by_delegation: "TUQ.".into(),
            },
            blank_number_gap: 8,
            letter_subject_prefix: "V/v ".into(),
            addressee_label: "Kính gửi:".into(),
            addressee_columns: [3119, 6236],
            basis: BasisFormat {
                lead: String::new(),
                separator: ";".into(),
                end: ".".into(),
                decision_end: ".".into(),
            },
            decision: DecisionOrder::AuthorityFirst,
            decision_verb: "QUYẾT ĐỊNH:".into(),
            body: BodyFormat {
                first_line_indent: 720,
                space_after: 120,
                line: 240,
            },
            styles: Styles {
                national_title: style(26, true, false, true),
                motto: style(28, true, false, false),
                party_title: style(30, true, false, true),
                parent_body: style(26, false, false, true),
                issuing_body: style(26, true, false, true),
                star: style(28, false, false, false),
                number: style(26, false, false, false),
                place_date: style(28, false, true, false),
                kind: style(28, true, false, true),
                subject: style(28, true, false, false),
                body,
                headings: [
                    style(28, true, false, false),
                    style(28, true, false, false),
                    style(28, true, true, false),
                ],
                table_header: style(26, true, false, false),
                table_cell: style(26, false, false, false),
                recipients_label: style(24, true, true, false),
                recipients: style(22, false, false, false),
                authority: style(28, true, false, true),
                position: style(28, true, false, true),
                signer: style(28, true, false, false),
                page_number: style(28, false, false, false),
                letter_subject: style(24, false, false, false),
                addressees: body,
                basis: style(28, false, true, false),
                centered: style(28, true, false, true),
            },
        }
    }

    fn dang() -> Layout {
        let mut layout = Layout::nha_nuoc();
        layout.standard = Standard::Dang;
        layout.header_columns = [4252, 5103];
        layout.title_lines = vec!["ĐẢNG CỘNG SẢN VIỆT NAM".into()];
        layout.number_prefix = "Số ".into();
        layout.issuer_mark = IssuerMark::Star;
        layout.subject_mark = SubjectMark::Text("-----".into());
        layout.recipient_separator = ",".into();
        // HD 36 writes T/M, K/T, T/L (layout.md §2.2); Q. and T/UQ are unverified.
        layout.signing = SigningMarks {
            on_behalf: "T/M".into(),
            for_head: "K/T".into(),
            acting: "Q.".into(),
            by_order: "T/L".into(),
            by_delegation: "T/UQ".into(),
        };
        // Party decisions (Quy định 29-QĐ/TW): `- Căn cứ …;` lines, the last ending with a
        // comma, then the body that decides and the verb.
        layout.basis = BasisFormat {
            lead: "- ".into(),
            separator: ";".into(),
            end: ".".into(),
            decision_end: ",".into(),
        };
        layout.decision = DecisionOrder::AuthorityLast;
        layout.decision_verb = "QUYẾT ĐỊNH".into();
        let s = &mut layout.styles;
        s.parent_body = style(28, false, false, true);
        s.issuing_body = style(28, true, false, true);
        s.number = style(28, false, false, false);
        s.kind = style(32, true, false, true);
        s.subject = style(28, true, false, false);
        // HD 36: the trích yếu of a công văn is 12 pt italic.
        s.letter_subject = style(24, false, true, false);
        layout
    }
}
