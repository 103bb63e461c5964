//! The library's error type: one enum, messages that name the input.

use std::path::PathBuf;

/// Everything that can stop vanban from handling one input.
///
/// Analysis (decoding, normalising, extracting) never fails: it returns its result plus
/// [`Diagnostic`](crate::Diagnostic)s. Errors are for inputs that cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read from disk.
    #[error("failed to read {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be written (an output, a temporary file, a folder for them).
    #[error("failed to write {}", path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// What the operating system said (`No space left on device`).
        #[source]
        source: std::io::Error,
    },
    /// A symbolic link back to a folder that contains it: walking it would never end.
    #[error("{}: a link back to a folder that contains it (a loop); not walked again", path.display())]
    LinkLoop {
        /// The link.
        path: PathBuf,
    },
    /// The bytes are a format vanban does not read (PDF, image, archive, binary junk).
    #[error("{}: unsupported input: {what}", path.display())]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// What the bytes look like.
        what: String,
    },
    /// A container (DOCX, DOC, RTF) that is corrupt, truncated or too large.
    #[error("{}: broken {format} file: {reason}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// `docx`, `doc` or `rtf`.
        format: &'static str,
        /// What is wrong, in a few words.
        reason: String,
    },
    /// An encoding name that is not one of ours.
    #[error(
        "unknown encoding `{0}` (expected one of utf-8, utf-16le, utf-16be, windows-1258, tcvn3, vni, viscii)"
    )]
    UnknownEncoding(String),
    /// A template that cannot be compiled or filled: the file, its line, what went wrong
    /// (`ke-hoach.md line 12: undefined field 'nhiem_vu'`).
    #[error("{template}{}: {reason}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Template {
        /// Template file name.
        template: String,
        /// Line in the template file, when known.
        line: Option<usize>,
        /// What went wrong.
        reason: String,
    },
    /// A template name that is neither built in nor in `--templates`.
    #[error("unknown template '{0}' (see `vanban templates`)")]
    UnknownTemplate(String),
    /// Data that cannot be read as records.
    #[error("{}: {reason}", path.display())]
    Data {
        /// The data file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// One record of a batch failed: its 1-based index, its key field, and why.
    #[error("record {index}{}: {error}", key.as_ref().map(|k| format!(" ({k})")).unwrap_or_default())]
    Record {
        /// 1-based position of the record in the data.
        index: usize,
        /// `so=18-KH/TU`: the field that names the record, when it has one.
        key: Option<String>,
        /// Why it failed.
        error: Box<Error>,
    },
    /// The DOCX writer failed.
    #[error("failed to write DOCX: {0}")]
    Docx(String),
    /// SQLite refused an archive operation: `kho.db: archive error: database is locked`.
    ///
    /// What SQLite said is part of the message, not a `#[source]`: the per-file reports of
    /// `vanban index` print `{err}` alone, and `{:#}` would print it twice.
    #[error("{}: archive error: {cause}", path.display())]
    Archive {
        /// The archive file.
        path: PathBuf,
        /// What SQLite said.
        cause: rusqlite::Error,
    },
    /// PostgreSQL refused an archive operation or could not be reached:
    /// `postgres://kho@db/vanban: archive error: db error: ERROR: permission denied…`. The
    /// URL is shown without its password; what the server said is part of the message, as
    /// for [`Error::Archive`].
    #[error("{db}: archive error: {}", causes(cause))]
    Postgres {
        /// The database, as `--db` named it, password hidden.
        db: String,
        /// What the client or the server said.
        cause: postgres::Error,
    },
    /// A database archive could not be used, for a reason that is not what the server
    /// said: a TLS setting, the ingest queue asked of a SQLite file, a migration whose
    /// counts disagree.
    #[error("{db}: {what}")]
    Database {
        /// The database, password hidden.
        db: String,
        /// What went wrong.
        what: String,
    },
    /// The archive was written by a newer vanban.
    #[error("{}: archive schema version {found} is newer than this vanban knows ({known})", path.display())]
    ArchiveVersion {
        /// The archive file.
        path: PathBuf,
        /// The version in the file.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// A read-only command was given an archive older than it reads; `vanban index`
    /// upgrades it (reading commands never write to the archive).
    #[error(
        "{}: archive schema version {found} is older than this vanban reads ({oldest} to {known}); `vanban index --db {}` upgrades it",
        path.display(),
        path.display()
    )]
    ArchiveOutdated {
        /// The archive file.
        path: PathBuf,
        /// The version in the file.
        found: i64,
        /// The oldest version the reading commands read as it is.
        oldest: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// A search query or filter that cannot be run.
    #[error("invalid query: {0}")]
    Query(String),
    /// Obligation IDs that are not in the archive (nothing was marked).
    #[error("{}: no obligation with ID {}; `vanban obligations` lists the IDs", path.display(), ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", "))]
    UnknownObligation {
        /// The archive file.
        path: std::path::PathBuf,
        /// The IDs not found.
        ids: Vec<i64>,
    },
}

/// Shorthand for results whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error and every cause after it, joined by `: ` (the postgres client's errors say
/// "db error" and keep what the server said in their source).
fn causes(err: &dyn std::error::Error) -> String {
    let mut line = err.to_string();
    let mut cause = err.source();
    while let Some(next) = cause {
        line.push_str(": ");
        line.push_str(&next.to_string());
        cause = next.source();
    }
    line
}
