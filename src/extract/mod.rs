//! Extraction: a normalised [`Text`] → a [`Record`] of what the document says about itself
//! (number, kind, issuer, date, title…), the documents it cites, the dates it names and the
//! terms and periods it refers to.
//!
//! Pure: no IO, no clock, no panics. What cannot be understood becomes a [`Diagnostic`] in
//! the record. Every span is a byte range into [`Text::as_str`], on char boundaries.

mod dates;
mod header;
pub mod obligations;
mod pattern;
mod refs;
mod scan;
pub mod score;
mod symbol;
mod terms;

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::Diagnostic;
use crate::text::Text;

pub use crate::Standard;
pub use dates::{DateItem, Grain, Relation};
pub use symbol::Symbol;

/// The schema name and version written in every [`Record`].
pub const SCHEMA: &str = "vanban.record/1";

/// Everything extracted from one document. Serialised as one JSON object (one line of
/// JSON Lines); the schema is documented in `docs/record-schema.md`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Record {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The input path, when the caller knows it (extraction itself leaves it `None`).
    pub path: Option<String>,
    /// The encoding the input was decoded from, when the caller knows it.
    pub encoding: Option<String>,
    /// What the document says about itself, from its header and signature block.
    pub document: Document,
    /// Every citation of another document by its number, in order of appearance.
    pub references: Vec<Reference>,
    /// Every date expression, in order of appearance.
    pub dates: Vec<DateItem>,
    /// Assembly and council terms, office terms and plan periods.
    pub terms: Vec<Term>,
    /// Who must do what, by when ([`obligations::obligations`]).
    pub obligations: Vec<obligations::Obligation>,
    /// What extraction noticed but did not stop for.
    pub diagnostics: Vec<Diagnostic>,
}

/// A document's own identity, from its header.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Document {
    /// The number and symbol as printed, whitespace removed (`991/QĐ-UBND`); `None` for a
    /// draft with a blank number, annexes, forms and texts without a header number.
    pub number: Option<String>,
    /// The parsed number (also present for a draft's blank number, with `number: None`).
    pub symbol: Option<Symbol>,
    /// Type abbreviation (`QĐ`, `KH`, `CV`, `Luật`…), from the symbol or the title line.
    pub kind: Option<String>,
    /// The full name of the kind (`Quyết định`).
    pub kind_name: Option<String>,
    /// `state` or `party`.
    pub standard: Option<Standard>,
    /// The issuing body as written in the letterhead.
    pub issuer: Option<String>,
    /// The body above the issuer in a two-level letterhead.
    pub parent_issuer: Option<String>,
    /// Place of issue from the date line.
    pub place: Option<String>,
    /// ISO date of issue; `None` when blank.
    pub date: Option<String>,
    /// Subject line (trích yếu), joined into one line.
    pub title: Option<String>,
    /// Who signed.
    pub signer: Option<Signer>,
    /// Recipients (Nơi nhận), one per line.
    pub recipients: Vec<String>,
    /// Where the number was found.
    pub number_span: Option<Range<usize>>,
    /// Where the date line's date was found.
    pub date_span: Option<Range<usize>>,
}

/// The signature block.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Signer {
    /// `TM.`, `KT.`, `T/M`, `TL.`, `TUQ.`, `Q.` or `None` when signing in one's own name.
    pub authority: Option<String>,
    /// The line after the authority (`ỦY BAN NHÂN DÂN`), when given.
    pub on_behalf_of: Option<String>,
    /// Position (`CHỦ TỊCH`, `PHÓ CHỦ TỊCH`).
    pub position: Option<String>,
    /// Name of the signer.
    pub name: Option<String>,
    /// Where the block was found.
    pub span: Range<usize>,
}

/// One citation of another document by its number.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Reference {
    /// The number and symbol as printed, whitespace removed.
    pub number: String,
    /// Type abbreviation from the symbol, or from the word before it.
    pub kind: Option<String>,
    /// Full name of the kind.
    pub kind_name: Option<String>,
    /// First issuer code of the symbol (`UBND`, `TTg`, `TW`).
    pub issuer_code: Option<String>,
    /// Year group of a VBQPPL number, else the year of the citation's date.
    pub year: Option<i32>,
    /// ISO date printed with the citation.
    pub date: Option<String>,
    /// The issuer phrase after `của` (`Bộ Chính trị`).
    pub issuer_text: Option<String>,
    /// The parsed symbol.
    pub symbol: Symbol,
    /// Span of the number.
    pub span: Range<usize>,
}

/// A term or period: `khóa XV`, `QH14`, `nhiệm kỳ 2021-2026`, `giai đoạn 2021 - 2025`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Term {
    /// `term` (khóa, QHnn), `office-term` (nhiệm kỳ), `period` (giai đoạn, thời kỳ) or
    /// `congress` (Đại hội … lần thứ XII).
    pub kind: String,
    /// The term number (`khóa XV` → 15).
    pub number: Option<u32>,
    /// The numeral as written (`XV`, `14`).
    pub numeral: Option<String>,
    /// First year of a year range.
    pub start: Option<i32>,
    /// Last year of a year range.
    pub end: Option<i32>,
    /// The text matched.
    pub text: String,
    /// Where.
    pub span: Range<usize>,
}

/// Extracts a [`Record`] from a normalised text. Pure; never panics.
pub fn extract(text: &Text) -> Record {
    let s = text.as_str();
    let mut diagnostics = Vec::new();
    let symbols = symbol::find_symbols(s);
    let dates = dates::find_dates(s, &symbols, &mut diagnostics);
    let mut document = header::document(s, &dates, &mut diagnostics);
    let (references, own_date) = refs::references(s, &symbols, &dates, &document);
    if document.date.is_none() && document.number.is_some() && own_date.is_some() {
        diagnostics.push(Diagnostic::new(
            crate::Severity::Warning,
            "date-from-repetition",
            "no readable date line; the issue date is taken from a later mention of the document's own number",
            None,
        ));
        document.date = own_date;
    }
    let terms = terms::find_terms(s, &symbols);
    let obligations = obligations::obligations(s, document.date.as_deref());
    for f in symbols.iter().filter(|f| f.symbol.system == "old-ministry") {
        diagnostics.push(Diagnostic::new(
            crate::Severity::Note,
            "old-symbol-order",
            format!(
                "{} has the issuer before the type (pre-2004 ministerial order); its parts are a guess",
                f.symbol.text
            ),
            Some(f.span.clone()),
        ));
    }
    Record {
        schema: SCHEMA,
        path: None,
        encoding: None,
        document,
        references,
        dates,
        terms,
        obligations,
        diagnostics,
    }
}

/// The corpus texts bundled in `fixtures/`, for tests that check a shortcut against the
/// rule it replaces on real text.
#[cfg(test)]
pub(crate) fn corpus_texts() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/corpus/texts");
    let texts: Vec<String> = std::fs::read_dir(dir)
        .expect("the corpus folder")
        .map(|entry| {
            let path = entry.expect("a corpus entry").path();
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        })
        .collect();
    assert!(texts.len() >= 100, "{} corpus texts", texts.len());
    texts
}

#[cfg(test)]
mod tests {
    /// The bytes the scanning loops look at while extracting `unit` written `n` times.
    fn work(unit: &str, n: usize) -> u64 {
        let text = crate::text::normalize(&unit.repeat(n));
        super::scan::work::take();
        let _ = super::extract(&text);
        super::scan::work::take()
    }

    /// Checks that twice the text costs at most about twice the work (a quadratic scan
    /// costs four times).
    fn check_linear(unit: &str, n: usize) {
        let (once, twice) = (work(unit, n), work(unit, 2 * n));
        assert!(
            twice <= once * 5 / 2,
            "{unit:?}: {once} bytes looked at for {n}, {twice} for {}",
            2 * n
        );
    }

    #[test]
    fn digit_lines_take_linear_work() {
        // Each digit of `12345678` lines was tested for `\d(?:[ \t]?\d)?\s*th` by reading
        // on over every digit and line break that followed it.
        check_linear("12345678\n", 2000);
        check_linear("1234567890", 2000);
    }

    #[test]
    fn long_words_take_linear_work() {
        // At each match inside a long word, the first word of `năm nay`, `tháng tới`… was
        // read to the end of the word.
        check_linear("thangmot", 2000);
    }

    #[test]
    fn ellipses_without_full_stops_take_linear_work() {
        // The sentence splitter looked for the next `.` from each `…` to the block's end.
        check_linear("… ", 4000);
    }

    #[test]
    fn numbers_inside_code_chains_take_linear_work() {
        // A number glued to a code (`1-AB1-AB1…`) starts a match of the symbol pattern that
        // runs to the end of the chain; each was searched for whole.
        check_linear("1-AB", 2000);
        check_linear("So1-", 2000);
    }
}
