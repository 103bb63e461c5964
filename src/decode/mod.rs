//! Decoding: bytes in any encoding Vietnamese offices have used → a [`Source`].
//!
//! SKELETON: the decode helper replaces the bodies below; the signatures are the contract.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::{Diagnostic, Error};

/// A text encoding vanban reads. Its [`name`](Encoding::name) is the one used everywhere:
/// on the command line (`--encoding`), in JSON and in the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Encoding {
    /// UTF-8, with or without a byte order mark.
    #[serde(rename = "utf-8")]
    Utf8,
    /// UTF-16 little endian (with a byte order mark).
    #[serde(rename = "utf-16le")]
    Utf16Le,
    /// UTF-16 big endian (with a byte order mark).
    #[serde(rename = "utf-16be")]
    Utf16Be,
    /// Windows-1258 (CP1258), whose tone marks are combining bytes.
    #[serde(rename = "windows-1258")]
    Windows1258,
    /// TCVN3 (ABC, TCVN 5712:1993), the `.VnTime` fonts.
    #[serde(rename = "tcvn3")]
    Tcvn3,
    /// VNI-Windows, the `VNI-Times` fonts.
    #[serde(rename = "vni")]
    Vni,
    /// VISCII.
    #[serde(rename = "viscii")]
    Viscii,
}

impl Encoding {
    /// Every encoding, in the order detection prefers them.
    pub const ALL: [Encoding; 7] = [
        Encoding::Utf8,
        Encoding::Utf16Le,
        Encoding::Utf16Be,
        Encoding::Windows1258,
        Encoding::Tcvn3,
        Encoding::Vni,
        Encoding::Viscii,
    ];

    /// The name used on the command line, in JSON and in the archive.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1258 => "windows-1258",
            Encoding::Tcvn3 => "tcvn3",
            Encoding::Vni => "vni",
            Encoding::Viscii => "viscii",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Encoding {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let wanted = s.trim().to_ascii_lowercase();
        Encoding::ALL
            .into_iter()
            .find(|e| e.name() == wanted)
            .ok_or_else(|| Error::UnknownEncoding(s.to_string()))
    }
}

/// Decoded text and how it was found: the first noun of the flow.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    /// The decoded text, NFC composed where the encoding used combining bytes, otherwise as
    /// decoded (normalisation is [`text::normalize`](crate::text::normalize)'s job).
    pub text: String,
    /// The encoding the bytes were read as.
    pub encoding: Encoding,
    /// How sure detection is, from 0 to 1 (1 when the user named the encoding).
    pub confidence: f32,
    /// What decided the encoding, e.g. `valid utf-8`, `header phrases`, `user`.
    pub clue: String,
    /// Unmapped bytes and other things noticed, with byte offsets into the input.
    pub diagnostics: Vec<Diagnostic>,
}

/// What detection decided.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detection {
    /// The encoding chosen.
    pub encoding: Encoding,
    /// How sure, from 0 to 1.
    pub confidence: f32,
    /// What decided it, e.g. `valid utf-8`, `header phrases`, `font .VnTime, checked`.
    pub clue: String,
}

/// Detects the encoding of `bytes`. `hint` is a clue from the container (font names in a
/// .doc or .rtf): checked against the bytes, never trusted blindly.
pub fn detect(bytes: &[u8], hint: Option<Encoding>) -> Detection {
    let _ = bytes;
    Detection {
        encoding: hint.unwrap_or(Encoding::Utf8),
        confidence: 0.0,
        clue: "skeleton".into(),
    }
}

/// Decodes `bytes` as `encoding`: composed (NFC where the encoding has combining bytes),
/// TCVN3 heading case restored, one diagnostic per unmapped byte (with its byte offset).
pub fn decode_as(bytes: &[u8], encoding: Encoding) -> (String, Vec<Diagnostic>) {
    let _ = encoding;
    (String::from_utf8_lossy(bytes).into_owned(), Vec::new())
}

/// Encodes `text` into a legacy encoding (the reverse of [`decode_as`]); characters the
/// encoding cannot hold are returned as an error listing the first few.
pub fn encode(text: &str, encoding: Encoding) -> Result<Vec<u8>, String> {
    let _ = encoding;
    Ok(text.as_bytes().to_vec())
}

/// Decodes `bytes`, detecting the encoding unless `forced` names it.
pub fn decode(bytes: &[u8], forced: Option<Encoding>) -> Source {
    let encoding = forced.unwrap_or(Encoding::Utf8);
    Source {
        text: String::from_utf8_lossy(bytes).into_owned(),
        encoding,
        confidence: 0.0,
        clue: String::from("skeleton"),
        diagnostics: Vec::new(),
    }
}
