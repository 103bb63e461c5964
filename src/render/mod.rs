//! Renderers: a [`Document`] → bytes. Pure functions, no IO, no
//! clock; dates and names come from [`RenderOptions`].

mod docx;
pub mod names;
mod pdf;

use crate::document::Document;

pub use docx::docx;
pub use pdf::pdf;

/// Options every renderer takes. Same document + same options = same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RenderOptions {
    /// Creation and modification time written into the file (W3CDTF,
    /// `2021-01-14T00:00:00Z`). Never read from the clock. Empty (the default): the
    /// document's own date, at midnight UTC (1970-01-01 for a draft without one).
    pub created: String,
    /// The PDF file identifier (`/ID`); `None` derives it from a hash of the content.
    pub document_id: Option<String>,
}

/// The creation time a renderer writes: the options' when given, else the document's date.
pub(crate) fn created(doc: &Document, opts: &RenderOptions) -> String {
    if !opts.created.is_empty() {
        return opts.created.clone();
    }
    match doc.date {
        Some(d) => format!("{:04}-{:02}-{:02}T00:00:00Z", d.year, d.month, d.day),
        None => "1970-01-01T00:00:00Z".into(),
    }
}

/// The author a renderer writes: the issuing body, its lines joined.
pub(crate) fn creator(doc: &Document) -> String {
    doc.header
        .issuing_body
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The title a renderer writes: the type name and the trích yếu.
pub(crate) fn title(doc: &Document) -> String {
    match (doc.kind.is_empty(), doc.subject.is_empty()) {
        (_, true) => doc.kind.clone(),
        (true, false) => doc.subject.clone(),
        (false, false) => format!("{} {}", doc.kind, doc.subject),
    }
}
