//! Input formats: plain text in any encoding and DOCX; sniffed from the bytes, not the name.

use std::path::Path;

mod doc;
mod legacy;
mod rtf;

use crate::decode::{self, Encoding, Source};
use crate::{Error, Result};

/// The OLE compound file signature that Word 97-2003 .doc files start with.
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads one input's bytes into a [`Source`]: sniffs the container, pulls out its text and
/// decodes it. `path` is only used to name the input in errors.
pub fn read(path: &Path, bytes: &[u8], forced: Option<Encoding>) -> Result<Source> {
    if bytes.starts_with(&OLE_MAGIC) {
        return doc::read_doc(path, bytes, forced);
    }
    if bytes.starts_with(b"{\\rtf") {
        return rtf::read_rtf(path, bytes, forced);
    }
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
