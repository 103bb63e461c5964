//! Input formats: plain text in any encoding and DOCX; sniffed from the bytes, not the name.

use std::path::Path;

use crate::decode::{self, Encoding, Source};
use crate::{Error, Result};

/// Reads one input's bytes into a [`Source`]: sniffs the container, pulls out its text and
/// decodes it. `path` is only used to name the input in errors.
pub fn read(path: &Path, bytes: &[u8], forced: Option<Encoding>) -> Result<Source> {
    let _ = path;
    Ok(decode::decode(bytes, forced))
}

/// Reads the file at `path` and passes it to [`read`].
pub fn read_file(path: &Path, forced: Option<Encoding>) -> Result<Source> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read(path, &bytes, forced)
}
