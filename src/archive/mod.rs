//! The archive: documents, their citations, dates and obligations, searchable without
//! diacritics, in one SQLite file (embedded, the default) or in a PostgreSQL database
//! shared by many machines (`--db postgres://…`).
//!
//! One interface, two backends: [`open`] and [`open_read_only`] take a [`Location`], and
//! every function of this module works on the [`Archive`] they return, whichever it is.
//! The commands never know which they talk to. Inside, [`Archive`] is an enum over the
//! two connections: the set is closed (two backends, both in this crate), the SQL that
//! differs sits next to the SQL it differs from (`match` arms in one function, not two
//! impls of a trait in two files), and the logic around the SQL (which obligation keeps
//! its ID, ranking tiers, snippets, the summary's arithmetic) is written once. The
//! queries whose SQL is the same on both go through one `Archive::select`.
//!
//! Every document is stored in its own transaction: an interrupted `vanban index` loses
//! nothing it had already stored, and the next run skips files whose content hash is
//! unchanged. Documents are keyed by the bytes of their canonical path ([`path_key`]),
//! unique on both backends, so several `vanban index` runs over overlapping folders
//! store each file once. Only this module, `batch` and the CLI touch the filesystem.

mod cites;
mod migrate;
mod postgres;
mod queue;
mod schema;
mod search;
mod sqlite;
mod summary;

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::extract::Record;
use crate::{Error, Result};

pub use cites::{CitationEdge, CiteGraph, cites};
pub use migrate::{Counts, counts, migrate};
pub use queue::{MAX_ATTEMPTS, QueueItem, QueueStatus, Worked, Worker, work};
pub use schema::{OLDEST_READABLE, POSTGRES_SCHEMA_VERSION, SCHEMA_VERSION};
pub use search::{Hit, MAX_QUERY_WORDS, Query, search};
pub use summary::{
    Count, DueObligation, OVERDUE_WINDOW_MONTHS, Summary, deadline_end, obligations, parse_month,
    summary,
};

/// A value in a row of the archive, the same on both backends.
pub(crate) use rusqlite::types::Value;

/// Where an archive is: what `--db` (or `VANBAN_DB`) names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file (a path, or `sqlite:PATH`).
    File(PathBuf),
    /// A PostgreSQL database: `postgres://user@host/dbname` (or `postgresql://`), with
    /// `?sslmode=require` (or `verify-ca`, `verify-full` and `sslrootcert=FILE`) for TLS.
    Postgres(String),
}

impl Location {
    /// Reads what `--db` says: a `postgres://` or `postgresql://` URL is a database, and
    /// anything else a file (`sqlite:` in front is dropped).
    pub fn parse(db: &OsStr) -> Location {
        if let Some(text) = db.to_str()
            && (text.starts_with("postgres://") || text.starts_with("postgresql://"))
        {
            return Location::Postgres(text.to_string());
        }
        match db.to_str().and_then(|text| text.strip_prefix("sqlite:")) {
            Some(path) => Location::File(PathBuf::from(path)),
            None => Location::File(PathBuf::from(db)),
        }
    }

    /// How errors and reports name the archive: the file, or the URL with its password
    /// replaced by `***`.
    pub fn name(&self) -> String {
        match self {
            Location::File(path) => path.display().to_string(),
            Location::Postgres(url) => hide_password(url),
        }
    }

    /// The SQLite file, if it is one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Location::File(path) => Some(path),
            Location::Postgres(_) => None,
        }
    }
}

/// `postgres://user:secret@host/db?password=x` → `postgres://user:***@host/db?password=***`.
fn hide_password(url: &str) -> String {
    let (head, query) = url.split_once('?').unwrap_or((url, ""));
    let mut out = match head.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('@') {
            Some((user, host)) if user.contains(':') => {
                let name = user.split_once(':').map_or(user, |(n, _)| n);
                format!("{scheme}://{name}:***@{host}")
            }
            _ => head.to_string(),
        },
        None => head.to_string(),
    };
    if !query.is_empty() {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some(("password", _)) => "password=***".to_string(),
                _ => pair.to_string(),
            })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    out
}

/// An open archive.
#[derive(Debug)]
pub struct Archive {
    backend: Backend,
    location: Location,
}

/// The connection of one backend.
enum Backend {
    Sqlite(rusqlite::Connection),
    /// A `RefCell`: the client's calls take `&mut`, the archive's read functions `&`.
    Postgres(RefCell<::postgres::Client>),
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Backend::Sqlite(_) => "Sqlite",
            Backend::Postgres(_) => "Postgres",
        })
    }
}

/// One document to store: where it came from and what was extracted from it.
#[derive(Debug)]
pub struct Entry<'a> {
    /// The input's canonical absolute path (`std::fs::canonicalize`): the key. Storing
    /// the same path again replaces the row. Its bytes are stored as they are
    /// ([`path_key`]), with a lossy UTF-8 copy for display; a relative path is refused.
    pub path: &'a Path,
    /// [`content_hash`] of the input bytes.
    pub hash: &'a str,
    /// The encoding the input was decoded from.
    pub encoding: &'a str,
    /// The normalised text.
    pub text: &'a str,
    /// What extraction found.
    pub record: &'a Record,
}

/// What [`Archive::store`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// The document was added, or replaced an earlier version of the same path.
    Written,
    /// Another process had stored this very file (same path, same content) meanwhile:
    /// nothing was written.
    AlreadyThere,
}

/// Opens the archive at `location` for writing (`index`, marking obligations, `work`),
/// creating it if needed, and brings its schema up to date.
///
/// An archive of a newer schema is refused before anything is written to it. Several
/// processes may open one archive at once, a new one included: the schema is created and
/// upgraded once, and their writes wait for each other.
pub fn open(location: &Location) -> Result<Archive> {
    let backend = match location {
        Location::File(path) => Backend::Sqlite(sqlite::open(path)?),
        Location::Postgres(url) => Backend::Postgres(RefCell::new(postgres::open(url)?)),
    };
    Ok(Archive {
        backend,
        location: location.clone(),
    })
}

/// Opens the archive at `location` for reading only (`search`, `cites`, `export`,
/// `summary`, listing obligations): nothing is ever written to it. A schema older than
/// [`OLDEST_READABLE`] is an [`Error::ArchiveOutdated`] (`vanban index` upgrades it), a
/// newer one an [`Error::ArchiveVersion`]. A SQLite file that is not there is an
/// [`Error::Io`] saying what makes it.
pub fn open_read_only(location: &Location) -> Result<Archive> {
    let backend = match location {
        Location::File(path) => Backend::Sqlite(sqlite::open_read_only(path)?),
        Location::Postgres(url) => Backend::Postgres(RefCell::new(postgres::open_read_only(url)?)),
    };
    Ok(Archive {
        backend,
        location: location.clone(),
    })
}

/// The bytes a document is keyed by: its path as the operating system spells it (the raw
/// bytes on Unix), so two names that are not UTF-8 stay two keys. What
/// [`Archive::hashes`] is keyed by.
pub fn path_key(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

impl Archive {
    /// Where the archive is.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// Whether this is a PostgreSQL archive (the ingest queue lives only there).
    pub fn is_postgres(&self) -> bool {
        matches!(self.backend, Backend::Postgres(_))
    }

    /// The error for what SQLite said.
    pub(crate) fn sqlite_error(&self, cause: rusqlite::Error) -> Error {
        Error::Archive {
            path: PathBuf::from(self.location.name()),
            cause,
        }
    }

    /// The error for what PostgreSQL said.
    pub(crate) fn postgres_error(&self, cause: ::postgres::Error) -> Error {
        Error::Postgres {
            db: self.location.name(),
            cause,
        }
    }

    /// Runs a query whose SQL is the same on both backends (`?1`, `?2`… for parameters;
    /// PostgreSQL gets `$1`, `$2`…) and returns its rows. Integers, text, bytes, reals;
    /// PostgreSQL's booleans come back as 0 or 1.
    pub(crate) fn select(&self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>> {
        match &self.backend {
            Backend::Sqlite(conn) => {
                sqlite::select(conn, sql, params).map_err(|e| self.sqlite_error(e))
            }
            Backend::Postgres(client) => {
                postgres::select(&mut client.borrow_mut(), &postgres::dialect(sql), params)
                    .map_err(|e| self.postgres_error(e))
            }
        }
    }

    /// The content hash stored for every document, by [`path_key`]: what `index` compares
    /// to skip unchanged files.
    pub fn hashes(&self) -> Result<HashMap<Vec<u8>, String>> {
        let rows = self.select("SELECT key, hash FROM documents", &[])?;
        Ok(rows
            .into_iter()
            .filter_map(|row| match <[Value; 2]>::try_from(row) {
                Ok([Value::Blob(key), Value::Text(hash)]) => Some((key, hash)),
                _ => None,
            })
            .collect())
    }

    /// How many documents the archive holds.
    pub fn count(&self) -> Result<u64> {
        let rows = self.select("SELECT count(*) FROM documents", &[])?;
        Ok(int(&rows, 0, 0).max(0) as u64)
    }

    /// Stores one document (replacing an earlier version of the same path) in one
    /// transaction: the document row, its citations, dates and obligations, and its
    /// full-text entry all appear together or not at all. An obligation whose actor,
    /// action and deadline are unchanged keeps its ID and done mark.
    pub fn store(&mut self, entry: &Entry<'_>) -> Result<Stored> {
        let rows = Rows::of(entry)?;
        match &mut self.backend {
            Backend::Sqlite(conn) => sqlite::store(conn, &rows).map_err(|cause| Error::Archive {
                path: PathBuf::from(self.location.name()),
                cause,
            }),
            Backend::Postgres(client) => {
                postgres::store(client.get_mut(), &rows, None).map_err(|cause| Error::Postgres {
                    db: self.location.name(),
                    cause,
                })
            }
        }
    }

    /// Prepares the archive for the searches that follow. SQLite reads the file through
    /// a memory map (up to 1 GiB) with a 16 MB page cache: p50 about 0.5 ms faster on
    /// 10,000 documents, for 11 MB more resident memory. Not for commands that read whole
    /// tables (`index`, `export`, `summary`), whose resident memory would grow with every
    /// mapped page they touch. PostgreSQL needs nothing.
    pub fn map_for_search(&self) -> Result<()> {
        match &self.backend {
            Backend::Sqlite(conn) => conn
                .execute_batch("PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -16384;")
                .map_err(|e| self.sqlite_error(e)),
            Backend::Postgres(_) => Ok(()),
        }
    }

    /// Marks obligations done (or not done again) by the IDs `vanban obligations` lists,
    /// all or none: unknown IDs give an [`Error::UnknownObligation`] naming them, and
    /// nothing changes.
    pub fn set_done(&mut self, ids: &[i64], done: bool) -> Result<()> {
        let unknown =
            match &mut self.backend {
                Backend::Sqlite(conn) => {
                    sqlite::set_done(conn, ids, done).map_err(|cause| Error::Archive {
                        path: PathBuf::from(self.location.name()),
                        cause,
                    })?
                }
                Backend::Postgres(client) => postgres::set_done(client.get_mut(), ids, done)
                    .map_err(|cause| Error::Postgres {
                        db: self.location.name(),
                        cause,
                    })?,
            };
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(Error::UnknownObligation {
                path: PathBuf::from(self.location.name()),
                ids: unknown,
            })
        }
    }

    /// Tidies the full-text index after an index run: SQLite merges it into one segment
    /// per term (FTS5 `optimize`, about a second for 10,000 documents); PostgreSQL moves
    /// the index's pending entries into the index and refreshes the planner's statistics.
    pub fn optimize(&self) -> Result<()> {
        match &self.backend {
            Backend::Sqlite(conn) => conn
                .execute(
                    "INSERT INTO documents_fold (documents_fold) VALUES ('optimize')",
                    [],
                )
                .map(drop)
                .map_err(|e| self.sqlite_error(e)),
            Backend::Postgres(client) => {
                postgres::optimize(&mut client.borrow_mut()).map_err(|e| self.postgres_error(e))
            }
        }
    }

    /// How many documents contain `needle` by a plain scan of the stored text (SQLite's
    /// `LIKE`, PostgreSQL's `ILIKE`: both ignore ASCII case): the baseline `vanban bench`
    /// compares the full-text index against.
    pub fn like_scan_count(&self, needle: &str) -> Result<u64> {
        let pattern = format!("%{}%", needle.replace(['%', '_', '\\'], ""));
        let like = if self.is_postgres() { "ILIKE" } else { "LIKE" };
        let sql = format!("SELECT count(*) FROM documents WHERE text {like} ?1");
        let rows = self.select(&sql, &[Value::Text(pattern)])?;
        Ok(int(&rows, 0, 0).max(0) as u64)
    }

    /// Every stored record with its path (for display), in path order, as JSON (the
    /// `vanban extract` schema).
    pub fn records(&self) -> Result<Vec<(String, String)>> {
        let rows = self.select("SELECT path, record FROM documents ORDER BY path, id", &[])?;
        Ok(rows
            .into_iter()
            .map(|row| (text(&row, 0), text(&row, 1)))
            .collect())
    }
}

/// The integer at `row`, `column` of a result (0 when missing or not an integer).
pub(crate) fn int(rows: &[Vec<Value>], row: usize, column: usize) -> i64 {
    match rows.get(row).and_then(|r| r.get(column)) {
        Some(Value::Integer(n)) => *n,
        _ => 0,
    }
}

/// The text in `column` of a row (empty when missing or NULL).
pub(crate) fn text(row: &[Value], column: usize) -> String {
    opt_text(row, column).unwrap_or_default()
}

/// The text in `column` of a row, `None` when NULL.
pub(crate) fn opt_text(row: &[Value], column: usize) -> Option<String> {
    match row.get(column) {
        Some(Value::Text(s)) => Some(s.clone()),
        Some(Value::Integer(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// What identifies an obligation across versions of its document: actor, action and
/// deadline value.
pub(crate) type ObligationText = (String, String, Option<String>);

/// The rows one document becomes, the same for both backends; each backend inserts them
/// with its own SQL. Columns in the order of the tables' `INSERT`s.
#[derive(Debug)]
pub(crate) struct Rows<'a> {
    /// The key ([`path_key`]).
    pub(crate) key: &'a [u8],
    /// The content hash.
    pub(crate) hash: &'a str,
    /// path, hash, encoding, number, number_key, kind, kind_key, kind_name, standard,
    /// issuer, parent_issuer, place, date, title, text, record (after the key).
    pub(crate) document: Vec<Value>,
    /// position, number, number_key, kind, date, issuer_text, span_start, span_end.
    pub(crate) citations: Vec<Vec<Value>>,
    /// position, value, grain, text, span_start, span_end.
    pub(crate) dates: Vec<Vec<Value>>,
    /// Each obligation's text (what keeps its ID) and its columns: position, actor, role,
    /// action, deadline, grain, recurring.
    pub(crate) obligations: Vec<(ObligationText, Vec<Value>)>,
    /// The folded fields the full-text index holds: number, title, issuer, body.
    pub(crate) fold: [String; 4],
}

fn text_value(s: Option<impl Into<String>>) -> Value {
    s.map_or(Value::Null, |s| Value::Text(s.into()))
}

impl<'a> Rows<'a> {
    /// The rows of `entry`; a relative path is refused (the key must be canonical).
    pub(crate) fn of(entry: &Entry<'a>) -> Result<Rows<'a>> {
        use crate::text::fold_key;
        if !entry.path.is_absolute() {
            return Err(Error::Query(format!(
                "{} is not an absolute path: documents are keyed by their canonical path",
                entry.path.display()
            )));
        }
        let record = entry.record;
        let doc = &record.document;
        let json = serde_json::to_string(record).map_err(|e| {
            Error::Query(format!(
                "{}: the record cannot be written as JSON: {e}",
                entry.path.display()
            ))
        })?;
        let document = vec![
            Value::Text(entry.path.to_string_lossy().into_owned()),
            Value::Text(entry.hash.to_string()),
            Value::Text(entry.encoding.to_string()),
            text_value(doc.number.clone()),
            text_value(doc.number.as_deref().map(number_key)),
            text_value(doc.kind.clone()),
            text_value(doc.kind.as_deref().map(str::to_uppercase)),
            text_value(doc.kind_name.clone()),
            text_value(doc.standard.as_ref().and_then(serde_name)),
            text_value(doc.issuer.clone()),
            text_value(doc.parent_issuer.clone()),
            text_value(doc.place.clone()),
            text_value(doc.date.clone()),
            text_value(doc.title.clone()),
            Value::Text(entry.text.to_string()),
            Value::Text(json),
        ];
        let citations = record
            .references
            .iter()
            .enumerate()
            .map(|(position, r)| {
                vec![
                    Value::Integer(position as i64),
                    Value::Text(r.number.clone()),
                    Value::Text(number_key(&r.number)),
                    text_value(r.kind.clone()),
                    text_value(r.date.clone()),
                    text_value(r.issuer_text.clone()),
                    Value::Integer(r.span.start as i64),
                    Value::Integer(r.span.end as i64),
                ]
            })
            .collect();
        let dates = record
            .dates
            .iter()
            .enumerate()
            .map(|(position, d)| {
                vec![
                    Value::Integer(position as i64),
                    Value::Text(d.value.clone()),
                    Value::Text(serde_name(&d.grain).unwrap_or_default()),
                    Value::Text(d.text.clone()),
                    Value::Integer(d.span.start as i64),
                    Value::Integer(d.span.end as i64),
                ]
            })
            .collect();
        let obligations = record
            .obligations
            .iter()
            .enumerate()
            .map(|(position, o)| {
                let deadline = o.deadline.as_ref();
                let value = deadline.and_then(|d| d.value.clone());
                let key = (o.actor.clone(), o.action.clone(), value.clone());
                let columns = vec![
                    Value::Integer(position as i64),
                    Value::Text(o.actor.clone()),
                    Value::Text(serde_name(&o.role).unwrap_or_default()),
                    Value::Text(o.action.clone()),
                    text_value(value),
                    text_value(deadline.map(|d| d.grain.clone())),
                    text_value(deadline.and_then(|d| d.recurring.clone())),
                ];
                (key, columns)
            })
            .collect();
        let fold = [
            doc.number.as_deref().map(fold_key).unwrap_or_default(),
            doc.title.as_deref().map(fold_key).unwrap_or_default(),
            doc.issuer.as_deref().map(fold_key).unwrap_or_default(),
            fold_key(entry.text),
        ];
        Ok(Rows {
            key: path_key(entry.path),
            hash: entry.hash,
            document,
            citations,
            dates,
            obligations,
            fold,
        })
    }
}

/// Which earlier obligation each new one is: the same actor, action and deadline as
/// before keeps the earlier ID and done mark (`earlier` lists them by text, the last
/// position first, so the first of equal obligations takes the first earlier one).
/// `(None, false)` for a new obligation.
pub(crate) fn kept_ids(
    obligations: &[(ObligationText, Vec<Value>)],
    mut earlier: HashMap<ObligationText, Vec<(i64, bool)>>,
) -> Vec<(Option<i64>, bool)> {
    obligations
        .iter()
        .map(|(key, _)| {
            earlier
                .get_mut(key)
                .and_then(Vec::pop)
                .map_or((None, false), |(id, done)| (Some(id), done))
        })
        .collect()
}

/// The name serde gives a unit enum value (`state`, `half-year`, `lead`): what the JSON
/// record says, so the tables and the record agree.
fn serde_name<T: serde::Serialize>(value: &T) -> Option<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => Some(name),
        _ => None,
    }
}

/// The key two document numbers are compared on: NFC text upper-cased, `Ð` → `Đ`,
/// whitespace and hyphens/dashes removed (`45 - CT/TW` and `45-CT/TW` are one number).
pub fn number_key(number: &str) -> String {
    number
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '−'))
        .map(|c| if c == 'Ð' || c == 'ð' { 'Đ' } else { c })
        .flat_map(char::to_uppercase)
        .collect()
}

/// The content hash of an input's bytes (SHA-256, hex): unchanged files are skipped.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_files_unless_a_postgres_url() {
        for (db, location) in [
            ("vanban.db", Location::File("vanban.db".into())),
            ("sqlite:kho/a.db", Location::File("kho/a.db".into())),
            (
                "postgres://kho@db/vanban",
                Location::Postgres("postgres://kho@db/vanban".into()),
            ),
            (
                "postgresql://kho@db/vanban",
                Location::Postgres("postgresql://kho@db/vanban".into()),
            ),
        ] {
            assert_eq!(Location::parse(OsStr::new(db)), location, "{db}");
        }
    }

    #[test]
    fn passwords_never_reach_a_message() {
        for (url, shown) in [
            (
                "postgres://kho:bi-mat@db:5432/vanban?sslmode=require",
                "postgres://kho:***@db:5432/vanban?sslmode=require",
            ),
            (
                "postgres://kho@db/vanban?password=bi-mat&sslmode=require",
                "postgres://kho@db/vanban?password=***&sslmode=require",
            ),
            ("postgres://db/vanban", "postgres://db/vanban"),
        ] {
            assert_eq!(Location::Postgres(url.into()).name(), shown);
        }
    }

    #[test]
    fn a_relative_key_is_refused_not_stored() {
        let dir = std::env::temp_dir().join(format!("vanban-relative-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut archive = open(&Location::File(dir.join("kho.db"))).unwrap();
        let record = crate::extract::extract(&crate::text::normalize("Chỉ thị số 45-CT/TW"));
        let entry = Entry {
            path: Path::new("docs/qd.txt"),
            hash: "x",
            encoding: "utf-8",
            text: "Chỉ thị số 45-CT/TW",
            record: &record,
        };
        let err = archive.store(&entry).unwrap_err().to_string();
        let count = archive.count().unwrap();
        drop(archive);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(err.contains("docs/qd.txt is not an absolute path"), "{err}");
        assert_eq!(count, 0);
    }
}
