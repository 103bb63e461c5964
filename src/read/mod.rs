//! Input formats: plain text in any encoding, DOCX, legacy Word .doc and RTF, and the text
//! layer of PDFs, sniffed from the bytes, not the name.
//!
//! Every reader ends in [`decode`](mod@crate::decode): a container only finds where the text
//! is; which encoding its characters are in is always decided by the same detector.

mod doc;
mod docx;
mod legacy;
pub mod pdf;
mod rtf;

pub use pdf::{MAX_DECODED_BYTES, MAX_PAGES, OcrMode, OcrReason, PageInfo, PageMethod};

use std::path::Path;

use crate::decode::{self, Encoding, Source};
use crate::{Error, Result};

/// The largest input read at all; bigger files are refused rather than exhausting memory.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// What the first bytes of an input say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    /// A ZIP archive (DOCX, or some other ZIP).
    Zip,
    /// An OLE compound file (Word 97-2003 .doc, or .xls/.ppt).
    Ole,
    /// Rich Text Format.
    Rtf,
    /// A PDF document.
    Pdf,
    /// Text in some encoding (or junk: decided after decoding).
    Text,
    /// A format vanban does not read, named.
    Other(&'static str),
}

fn sniff(bytes: &[u8]) -> Container {
    const MAGICS: &[(&[u8], Container)] = &[
        (b"PK\x03\x04", Container::Zip),
        (b"PK\x05\x06", Container::Zip),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", Container::Ole),
        (b"{\\rtf", Container::Rtf),
        (b"%PDF", Container::Pdf),
        (b"\x89PNG", Container::Other("a PNG image")),
        (b"\xFF\xD8\xFF", Container::Other("a JPEG image")),
        (b"GIF8", Container::Other("a GIF image")),
        (b"II*\x00", Container::Other("a TIFF image")),
        (b"MM\x00*", Container::Other("a TIFF image")),
        (b"\x1F\x8B", Container::Other("a gzip archive")),
        (b"Rar!", Container::Other("a RAR archive")),
        (b"7z\xBC\xAF", Container::Other("a 7-Zip archive")),
        (b"\x7FELF", Container::Other("an executable")),
        (b"MZ", Container::Other("a Windows executable")),
    ];
    MAGICS
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map_or(Container::Text, |&(_, container)| container)
}

/// Reads one input's bytes into a [`Source`]: sniffs the container, pulls out its text and
/// decodes it. `path` only names the input in errors. PDFs are not OCRed (see [`read_with`]).
pub fn read(path: &Path, bytes: &[u8], forced: Option<Encoding>) -> Result<Source> {
    read_with(path, bytes, forced, OcrMode::Never)
}

/// [`read`], with the pages of a PDF that `ocr` asks for read by OCR (the `tesseract`
/// program, run once a page).
pub fn read_with(
    path: &Path,
    bytes: &[u8],
    forced: Option<Encoding>,
    ocr: OcrMode,
) -> Result<Source> {
    match sniff(bytes) {
        Container::Zip => {
            let text = docx::text(path, bytes)?;
            Ok(decode::decode(text.as_bytes(), forced))
        }
        Container::Ole => doc::read_doc(path, bytes, forced),
        Container::Rtf => rtf::read_rtf(path, bytes, forced),
        Container::Pdf => read_pdf(path, bytes, forced, ocr),
        Container::Other(what) => Err(unsupported(path, what)),
        Container::Text => {
            let source = decode::decode(bytes, forced);
            if looks_binary(bytes, &source) {
                return Err(unsupported(path, "binary data, not text"));
            }
            Ok(source)
        }
    }
}

/// A PDF's text layer, decoded like any text (it is Unicode already, unless the user forces
/// an encoding), with its pages' account and their diagnostics.
fn read_pdf(path: &Path, bytes: &[u8], forced: Option<Encoding>, ocr: OcrMode) -> Result<Source> {
    let pdf = pdf::read_pdf(path, bytes, ocr)?;
    let mut source = decode::decode(pdf.text.as_bytes(), forced);
    let how = if pdf
        .pages
        .iter()
        .any(|p| matches!(p.method, PageMethod::Ocr { .. }))
    {
        "pdf text layer and OCR"
    } else {
        "pdf text layer"
    };
    source.clue = format!("{how}, {}", source.clue);
    source.diagnostics.extend(pdf.diagnostics);
    source.pages = pdf.pages;
    Ok(source)
}

/// Limits on what [`load_file`] and [`load_stdin`] read.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The most bytes read from one input; a longer one is refused, whatever the file
    /// system says its size is (a file can grow while it is read).
    pub max_bytes: u64,
    /// Read named pipes, devices and sockets too (still capped at `max_bytes`). Off by
    /// default: a FIFO without a writer blocks, and `/dev/zero` never ends.
    pub special_files: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: MAX_INPUT_BYTES,
            special_files: false,
        }
    }
}

/// Reads the file at `path` and passes it to [`read`].
pub fn read_file(path: &Path, forced: Option<Encoding>) -> Result<Source> {
    let bytes = load_file(path, Limits::default())?;
    read(path, &bytes, forced)
}

/// The bytes of the file at `path`: a regular file (unless `limits` allows special files),
/// read through a reader that stops at `limits.max_bytes`.
///
/// The file is opened without blocking and checked with `fstat` on the open handle, so a
/// FIFO without a writer is refused at once instead of hanging, and a symbolic link to
/// `/dev/zero` is refused by what it points to.
pub fn load_file(path: &Path, limits: Limits) -> Result<Vec<u8>> {
    let io_error = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = open_nonblocking(path).map_err(io_error)?;
    let meta = file.metadata().map_err(io_error)?;
    if meta.is_dir() {
        return Err(unsupported(path, "a folder, not a file"));
    }
    if !meta.is_file() {
        if !limits.special_files {
            return Err(unsupported(
                path,
                &format!(
                    "{}, not a regular file (pass --special-files to read it anyway)",
                    special_kind(&meta)
                ),
            ));
        }
        set_blocking(&file).map_err(io_error)?;
    }
    if meta.is_file() && meta.len() > limits.max_bytes {
        return Err(unsupported(
            path,
            &format!(
                "{} bytes, over the limit of {} bytes",
                meta.len(),
                limits.max_bytes
            ),
        ));
    }
    // The size on record only sizes the buffer: the reader itself stops at the cap.
    let hint = meta.len().min(limits.max_bytes);
    read_bounded(file, path, limits.max_bytes, hint)
}

/// The bytes of standard input, read through a reader that stops at `limits.max_bytes`.
pub fn load_stdin(limits: Limits) -> Result<Vec<u8>> {
    read_bounded(
        std::io::stdin().lock(),
        Path::new(STDIN_NAME),
        limits.max_bytes,
        0,
    )
}

/// How standard input is named in errors.
pub const STDIN_NAME: &str = "<stdin>";

/// Reads at most `max` bytes; one byte more is an error naming the limit.
fn read_bounded(reader: impl std::io::Read, path: &Path, max: u64, hint: u64) -> Result<Vec<u8>> {
    use std::io::Read as _;
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    reader
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > max {
        return Err(unsupported(
            path,
            &format!("more than {max} bytes, over the input limit"),
        ));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Turns blocking reads back on for a special file the user asked to read.
#[cfg(unix)]
fn set_blocking(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: `fd` is an open descriptor owned by `file` for the duration of both calls.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: as above; only the O_NONBLOCK bit changes.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(not(unix))]
fn set_blocking(_: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}

/// What kind of non-regular file `meta` describes, for an error message.
fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    let _ = meta;
    "a special file"
}

fn unsupported(path: &Path, what: &str) -> Error {
    Error::Unsupported {
        path: path.to_path_buf(),
        what: what.to_string(),
    }
}

/// True when decoded "text" is really binary: NUL bytes outside UTF-16, or many control
/// characters. Legacy encodings (VISCII, TCVN3's VN1 level) use a few C0 bytes for letters,
/// so a handful of controls is not enough.
fn looks_binary(bytes: &[u8], source: &Source) -> bool {
    let utf16 = matches!(source.encoding, Encoding::Utf16Le | Encoding::Utf16Be);
    if !utf16 && bytes.contains(&0) {
        return true;
    }
    let mut chars = 0usize;
    let mut controls = 0usize;
    for c in source.text.chars() {
        chars += 1;
        if (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0C')) || c == '\u{FFFD}' {
            controls += 1;
        }
    }
    chars > 0 && controls * 10 > chars
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_error(bytes: &[u8], expected: &str) {
        let err = read(Path::new("in/x.bin"), bytes, None)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("in/x.bin"),
            "error does not name the file: {err}"
        );
        assert!(err.contains(expected), "expected {expected:?} in {err:?}");
    }

    #[test]
    fn refuses_non_text_formats_by_name() {
        check_error(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj", "broken pdf file");
        check_error(b"\x89PNG\r\n\x1A\n\0\0\0\rIHDR", "a PNG image");
        check_error(b"\xFF\xD8\xFF\xE0\0\x10JFIF", "a JPEG image");
    }

    #[test]
    fn refuses_binary_junk() {
        let junk: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        check_error(&junk, "binary data");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2048)) {
            let _ = read(Path::new("fuzz"), &bytes, None);
        }

        #[test]
        fn never_panics_on_damaged_docx(cut in 0usize..4096, flip in 0usize..4096, bit in 0u8..8) {
            let mut bytes = include_bytes!("../../fixtures/samples/bau-cu.docx").to_vec();
            let at = flip % bytes.len();
            bytes[at] ^= 1 << bit;
            bytes.truncate(cut.max(4));
            let _ = read(Path::new("damaged.docx"), &bytes, None);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        #[test]
        fn never_panics_on_damaged_pdf(
            cut in 0usize..500_000,
            flips in proptest::collection::vec((0usize..500_000, 0u8..8), 1..40),
        ) {
            let mut bytes = include_bytes!("../../fixtures/pdf/2026-qd-1074-bxd.pdf").to_vec();
            for (at, bit) in flips {
                let at = at % bytes.len();
                bytes[at] ^= 1 << bit;
            }
            bytes.truncate(cut.max(8));
            let _ = read(Path::new("damaged.pdf"), &bytes, None);
        }
    }

    #[test]
    fn reads_pdf_text_layer() {
        let bytes = include_bytes!("../../fixtures/pdf/2026-qd-1074-bxd.pdf");
        let source = read(Path::new("qd.pdf"), bytes, None).unwrap();
        assert!(
            source.text.starts_with("BỘ XÂY DỰNG\nSố: 1074/QĐ-BXD\n"),
            "{}",
            source.text
        );
        assert_eq!(source.pages.len(), 2);
    }

    #[test]
    fn reads_docx_body_text() {
        let bytes = include_bytes!("../../fixtures/samples/bau-cu.docx");
        let source = read(Path::new("bau-cu.docx"), bytes, None).unwrap();
        assert!(
            source
                .text
                .starts_with("Thành ủy tập trung lãnh đạo cuộc bầu cử"),
            "{}",
            source.text
        );
        assert!(source.text.contains("Kế hoạch số 18-KH/TU ngày 14/01/2021"));
    }

    #[test]
    fn reads_plain_utf8() {
        let source = read(Path::new("a.txt"), "Số: 18-KH/TU\n".as_bytes(), None).unwrap();
        assert_eq!(source.text, "Số: 18-KH/TU\n");
    }
}
