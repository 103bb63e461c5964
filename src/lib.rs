//! vanban reads Vietnamese official documents (directives, decisions, plans) in UTF-8 or
//! legacy TCVN3/VNI bytes, normalises them, and extracts what they say.
//!
//! # Steps
//! 1. [`read::read`]: bytes of a `.txt` or `.docx` → [`decode::Source`] (decoded text, the
//!    [`decode::Encoding`] found and how sure detection is).
//! 2. [`text::normalize`]: decoded text → [`text::Text`] (NFC, one form of every
//!    character; byte spans index it and map back to the original).
//! 3. [`text::place_tones`], [`text::match_key`], [`text::fold_key`]: the tone styles and
//!    the keys used for matching and accent-insensitive search.
//! 4. [`extract::extract`]: [`text::Text`] → [`extract::Record`] (the document's number,
//!    kind, issuer, date and title; its citations, dates, terms and periods; with spans).
//!
//! ```
//! let text = vanban::text::normalize("Số: 05/KH-UBND\nCăn cứ Chỉ thị số 45-CT/TW ngày 20/6/2020 của Bộ Chính trị;");
//! let record = vanban::extract::extract(&text);
//! assert_eq!(record.document.number.as_deref(), Some("05/KH-UBND"));
//! assert_eq!(record.references[0].date.as_deref(), Some("2020-06-20"));
//! ```
//!
//! Writing documents:
//! 1. [`template::Templates::fill`]: a template and one data record → [`document::Draft`]
//!    (front matter fields and a Markdown body; Vietnamese filters; values escaped).
//! 2. [`document::layout`]: draft → [`document::Document`] under the rules of its
//!    [`document::Standard`] (Decree 30 or HD 36), kept as data in [`document::Layout`].
//! 3. [`render::docx`]: document → DOCX bytes (no IO, same input → same bytes).
//!
//! Or, for the office's own Word form with docxtpl's tags:
//! [`template::docx::DocxForm::fill`]: a compiled `.docx` form and one record → DOCX
//! bytes, the form's package kept but for the filled parts.
//!
//! [`pipeline::read_document`] runs steps 1, 2 and 4 for a file, standard input or bytes,
//! within the input caps; every command that reads documents goes through it.
//!
//! [`batch::run`] runs any of these over many inputs in parallel; one failed input is
//! reported and the rest go on.

pub mod archive;
pub mod batch;
pub mod decode;
mod diagnostic;
pub mod document;
mod error;
pub mod extract;
pub mod pipeline;
pub mod read;
pub mod render;
mod standard;
pub mod template;
pub mod text;

pub use diagnostic::{Diagnostic, Severity};
pub use error::{Error, Result};
pub use standard::Standard;
