//! The one path from an input to its facts: load → read → normalize → extract.
//!
//! Every command that reads documents (`decode`, `normalize`, `extract`, `index`,
//! `score`) calls these functions and writes no stage glue of its own, so the caps, the
//! decode diagnostics and the record's provenance are the same whichever command runs.
//!
//! ```
//! use vanban::pipeline::{self, Input, Options};
//! let input = Input::Bytes {
//!     name: std::path::Path::new("qd.txt"),
//!     bytes: "Số: 05/KH-UBND\nHà Nội, ngày 02 tháng 3 năm 2024".as_bytes(),
//! };
//! let document = pipeline::read_document(input, &Options::default()).unwrap();
//! assert_eq!(document.record.document.number.as_deref(), Some("05/KH-UBND"));
//! assert_eq!(document.record.encoding.as_deref(), Some("utf-8"));
//! ```

use std::path::{Path, PathBuf};

use crate::Result;
use crate::decode::{Encoding, Source};
use crate::extract::{self, Record};
use crate::read::{self, Limits};
use crate::text::{self, Text};

/// How inputs are read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Decode every input in this encoding instead of detecting it.
    pub encoding: Option<Encoding>,
    /// The caps on what is read.
    pub limits: Limits,
    /// Which pages of a PDF are read by OCR (default: none).
    pub ocr: read::OcrMode,
}

/// Where one input's bytes come from.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// A file on disk.
    File(&'a Path),
    /// Standard input (`-` on the command line).
    Stdin,
    /// Bytes already in memory, named for errors and the record.
    Bytes {
        /// The name errors and the record use.
        name: &'a Path,
        /// The input's bytes.
        bytes: &'a [u8],
    },
}

impl<'a> Input<'a> {
    /// A command-line path: `-` is standard input, anything else a file.
    pub fn from_arg(path: &'a Path) -> Self {
        if path.as_os_str() == "-" {
            Input::Stdin
        } else {
            Input::File(path)
        }
    }
}

/// One input's bytes, read within the caps, and the name it goes by.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The name errors use: the path, or `<stdin>`.
    pub name: PathBuf,
    /// The name the record gets: the path as given, or `-` for standard input.
    pub label: String,
    /// The bytes, at most [`Limits::max_bytes`] of them.
    pub bytes: Vec<u8>,
}

impl Loaded {
    /// The hex SHA-256 of the bytes: what the archive compares to skip unchanged files.
    pub fn content_hash(&self) -> String {
        crate::archive::content_hash(&self.bytes)
    }
}

/// Reads an input's bytes within `options.limits`: regular files only unless allowed,
/// through a reader that stops at the cap whatever the file claims.
pub fn load(input: Input<'_>, options: &Options) -> Result<Loaded> {
    match input {
        Input::File(path) => Ok(Loaded {
            name: path.to_path_buf(),
            label: path.display().to_string(),
            bytes: read::load_file(path, options.limits)?,
        }),
        Input::Stdin => Ok(Loaded {
            name: PathBuf::from(read::STDIN_NAME),
            label: "-".into(),
            bytes: read::load_stdin(options.limits)?,
        }),
        Input::Bytes { name, bytes } => {
            if bytes.len() as u64 > options.limits.max_bytes {
                return Err(crate::Error::Unsupported {
                    path: name.to_path_buf(),
                    what: format!(
                        "{} bytes, over the input limit of {}",
                        bytes.len(),
                        options.limits.max_bytes
                    ),
                });
            }
            Ok(Loaded {
                name: name.to_path_buf(),
                label: name.display().to_string(),
                bytes: bytes.to_vec(),
            })
        }
    }
}

/// Sniffs the container of loaded bytes, pulls out its text and decodes it.
pub fn decode(loaded: &Loaded, options: &Options) -> Result<Source> {
    read::read_with(&loaded.name, &loaded.bytes, options.encoding, options.ocr)
}

/// A document read all the way: its normalised text and what was extracted from it.
#[derive(Debug, Clone)]
pub struct Document {
    /// The encoding the text was decoded from.
    pub encoding: Encoding,
    /// How sure detection was (0-1).
    pub confidence: f32,
    /// The normalised text every span of the record indexes.
    pub text: Text,
    /// The facts, with the decode diagnostics first and the input's label as its path.
    pub record: Record,
}

/// Normalises decoded text and extracts its facts. The record carries the encoding, the
/// decode diagnostics (spans into the input bytes) before the extraction's own, and
/// `label` as its path.
pub fn analyse(source: Source, label: &str) -> Document {
    let normalized = text::normalize(&source.text);
    let mut record = extract::extract(&normalized);
    record.path = Some(label.to_string());
    record.encoding = Some(source.encoding.name().to_string());
    record.diagnostics.splice(0..0, source.diagnostics);
    Document {
        encoding: source.encoding,
        confidence: source.confidence,
        text: normalized,
        record,
    }
}

/// Reads one input all the way: [`load`], [`decode`], [`analyse`].
pub fn read_document(input: Input<'_>, options: &Options) -> Result<Document> {
    let loaded = load(input, options)?;
    let source = decode(&loaded, options)?;
    Ok(analyse(source, &loaded.label))
}

/// Loads and decodes one input: [`load`] then [`decode`].
pub fn read_source(input: Input<'_>, options: &Options) -> Result<Source> {
    decode(&load(input, options)?, options)
}
