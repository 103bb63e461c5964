//! Renderers: a [`Document`](crate::document::Document) → bytes. Pure functions, no IO, no
//! clock; dates and names come from [`RenderOptions`].

mod docx;
pub mod names;
mod pdf;

pub use docx::docx;
pub use pdf::pdf;

/// Options every renderer takes. Same document + same options = same bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// Creation and modification time written into the package (W3CDTF,
    /// `2021-01-14T00:00:00Z`). Never read from the clock.
    pub created: String,
    /// The PDF file identifier (`/ID`); `None` derives it from a hash of the content.
    pub document_id: Option<String>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            created: "1970-01-01T00:00:00Z".into(),
            document_id: None,
        }
    }
}
