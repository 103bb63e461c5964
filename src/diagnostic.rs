//! Diagnostics: what analysis noticed but did not stop for.

use std::ops::Range;

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something was lost or could not be understood (an unmapped byte, an impossible date).
    Error,
    /// Something looks odd but the result is still usable (low detection confidence).
    Warning,
    /// For information only.
    Note,
}

/// One thing noticed while decoding, normalising or extracting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// A short stable code, e.g. `unmapped-byte`, `invalid-date`.
    pub code: &'static str,
    /// A sentence for people, lower case, naming what was seen.
    pub message: String,
    /// Where: a byte range into the input bytes (decoding) or into the normalised text
    /// (everything after decoding). `None` when it concerns the whole input.
    pub span: Option<Range<usize>>,
}

impl Diagnostic {
    /// A diagnostic of the given severity.
    pub fn new(
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
        span: Option<Range<usize>>,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            span,
        }
    }
}
