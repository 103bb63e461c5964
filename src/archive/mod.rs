//! The archive: documents, their citations, dates and obligations in one SQLite file, with
//! an accent-free full-text index (FTS5 over fold keys).
//!
//! Every document is stored in its own transaction: an interrupted `vanban index` loses
//! nothing it had already stored, and the next run skips files whose content hash is
//! unchanged. Documents are keyed by the bytes of their canonical path ([`path_key`]).
//! Writers ([`open`]) take the write lock before they read what they will change, so
//! several `vanban index` runs on one file wait for each other; readers
//! ([`open_read_only`]) never write, not even to switch the journal mode. Only this
//! module, `batch` and the CLI touch the filesystem.

mod cites;
mod schema;
mod search;
mod summary;

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use crate::extract::Record;
use crate::text::fold_key;
use crate::{Error, Result};

pub use cites::{CitationEdge, CiteGraph, cites};
pub use schema::{OLDEST_READABLE, SCHEMA_VERSION};
pub use search::{Hit, MAX_QUERY_WORDS, Query, search};
pub use summary::{
    Count, DueObligation, OVERDUE_WINDOW_MONTHS, Summary, deadline_end, obligations, parse_month,
    summary,
};

/// How long a connection waits for another's lock before it gives up: long enough for
/// another run's full-text merge (about a second for 10,000 documents) or a schema
/// upgrade that copies every document.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// An open archive file.
#[derive(Debug)]
pub struct Archive {
    conn: Connection,
    path: PathBuf,
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

/// Opens the archive at `path` for writing (`index`, marking obligations), creating it if
/// needed, and brings its schema up to date.
///
/// A file of a newer schema is refused before anything is written to it. Several
/// processes may open one file at once, a new one included: the schema is created and
/// upgraded once, and their writes wait for each other (up to a minute each).
pub fn open(path: &Path) -> Result<Archive> {
    let sqlite = |cause| Error::Archive {
        path: path.to_path_buf(),
        cause,
    };
    let mut conn = Connection::open(path).map_err(sqlite)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(sqlite)?;
    let version = schema::version(&conn).map_err(sqlite)?;
    if !(0..=SCHEMA_VERSION).contains(&version) {
        return Err(newer(path, version));
    }
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
        .map_err(sqlite)?;
    if version < SCHEMA_VERSION {
        conn.pragma_update(None, "foreign_keys", false)
            .map_err(sqlite)?;
        schema::migrate(&mut conn).map_err(|e| match e {
            schema::MigrateError::Unknown(found) => newer(path, found),
            schema::MigrateError::Sqlite(cause) => sqlite(cause),
        })?;
    }
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(sqlite)?;
    Ok(Archive {
        conn,
        path: path.to_path_buf(),
    })
}

/// Opens the archive at `path` for reading only (`search`, `cites`, `export`,
/// `summary`, listing obligations): nothing is ever written to it, so a read-only file
/// or folder can be read. A schema older than [`OLDEST_READABLE`] is an
/// [`Error::ArchiveOutdated`] (`vanban index` upgrades it), a newer one an
/// [`Error::ArchiveVersion`].
///
/// The connection runs with `PRAGMA query_only`: SQLite refuses every statement that
/// would write. It is opened for writing where the file allows (SQLite reads a
/// write-protected file read-only by itself) only because a reader of a WAL file makes
/// `-wal` and `-shm` files beside it, and only a connection opened for writing removes
/// them when it is the last to close; a read-only one leaves them behind.
///
/// In a folder where the `-shm` file cannot be made, and when no write-ahead log is
/// waiting there, the file is read as immutable: it is then complete, and nobody able to
/// write beside it is writing to it.
pub fn open_read_only(path: &Path) -> Result<Archive> {
    let sqlite = |cause| Error::Archive {
        path: path.to_path_buf(),
        cause,
    };
    if !path.exists() {
        return Err(Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no archive here; `vanban index` creates it",
            ),
        });
    }
    let (conn, version) = match connect_for_reading(path, false) {
        Err(e) if no_shared_memory(&e) && !has_log(path) => connect_for_reading(path, true),
        opened => opened,
    }
    .map_err(sqlite)?;
    if !(0..=SCHEMA_VERSION).contains(&version) {
        return Err(newer(path, version));
    }
    if version < OLDEST_READABLE {
        return Err(Error::ArchiveOutdated {
            path: path.to_path_buf(),
            found: version,
            oldest: OLDEST_READABLE,
            known: SCHEMA_VERSION,
        });
    }
    Ok(Archive {
        conn,
        path: path.to_path_buf(),
    })
}

/// A connection that does not write (see [`open_read_only`]) and the schema version it
/// read (the first read, where a WAL file without its shared memory fails).
fn connect_for_reading(path: &Path, immutable: bool) -> rusqlite::Result<(Connection, i64)> {
    let conn = if immutable {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        Connection::open_with_flags(immutable_uri(path)?, flags)?
    } else {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        Connection::open_with_flags(path, flags)?
    };
    conn.pragma_update(None, "query_only", true)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let version = schema::version(&conn)?;
    Ok((conn, version))
}

/// Whether SQLite could not make the shared-memory file of a WAL archive (a read-only
/// folder: `SQLITE_READONLY_DIRECTORY`; or an older SQLite's `SQLITE_CANTOPEN`).
fn no_shared_memory(e: &rusqlite::Error) -> bool {
    use rusqlite::ffi;
    match e {
        rusqlite::Error::SqliteFailure(e, _) => matches!(
            e.extended_code,
            ffi::SQLITE_READONLY_DIRECTORY | ffi::SQLITE_READONLY_CANTINIT | ffi::SQLITE_CANTOPEN
        ),
        _ => false,
    }
}

/// Whether a non-empty write-ahead log lies beside the archive.
fn has_log(path: &Path) -> bool {
    let mut log = OsString::from(path.as_os_str());
    log.push("-wal");
    std::fs::metadata(log).is_ok_and(|m| m.len() > 0)
}

/// `file:///ABSOLUTE/PATH?immutable=1`, every byte but letters, digits, `-._~/`
/// percent-encoded.
fn immutable_uri(path: &Path) -> rusqlite::Result<String> {
    let absolute =
        std::path::absolute(path).map_err(|_| rusqlite::Error::InvalidPath(path.to_path_buf()))?;
    let mut uri = String::from("file://");
    if !absolute.as_os_str().as_encoded_bytes().starts_with(b"/") {
        uri.push('/');
    }
    for &byte in absolute.as_os_str().as_encoded_bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    Ok(uri)
}

/// The error for a file of a schema version this build does not know.
fn newer(path: &Path, found: i64) -> Error {
    Error::ArchiveVersion {
        path: path.to_path_buf(),
        found,
        known: SCHEMA_VERSION,
    }
}

/// The bytes a document is keyed by: its path as the operating system spells it (the raw
/// bytes on Unix), so two names that are not UTF-8 stay two keys. What
/// [`Archive::hashes`] is keyed by.
pub fn path_key(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

impl Archive {
    /// The archive file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The SQLite connection, for the query functions of this module.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn error(&self, cause: rusqlite::Error) -> Error {
        Error::Archive {
            path: self.path.clone(),
            cause,
        }
    }

    /// The content hash stored for every document, by [`path_key`]: what `index` compares
    /// to skip unchanged files.
    pub fn hashes(&self) -> Result<HashMap<Vec<u8>, String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT key, hash FROM documents")
            .map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(|e| self.error(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.error(e))
    }

    /// How many documents the archive holds.
    pub fn count(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT count(*) FROM documents", [], |row| {
                row.get::<_, i64>(0)
            })
            .map(|n| n.max(0) as u64)
            .map_err(|e| self.error(e))
    }

    /// Stores one document (replacing an earlier version of the same path) in one
    /// transaction: the document row, its citations, dates and obligations, and its
    /// full-text entry all appear together or not at all.
    pub fn store(&mut self, entry: &Entry<'_>) -> Result<()> {
        store(&mut self.conn, entry).map_err(|e| self.error(e))
    }

    /// Reads the file through a memory map (up to 1 GiB) with a 16 MB page cache for the
    /// searches that follow: p50 about 0.5 ms faster on 10,000 documents, for 11 MB more
    /// resident memory. Not for commands that read whole tables (`index`, `export`,
    /// `summary`), whose resident memory would grow with every mapped page they touch.
    pub fn map_for_search(&self) -> Result<()> {
        self.conn
            .execute_batch("PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -16384;")
            .map_err(|e| self.error(e))
    }

    /// Marks obligations done (or not done again) by the IDs `vanban obligations` lists,
    /// all or none: unknown IDs give an [`Error::UnknownObligation`] naming them, and nothing changes.
    pub fn set_done(&mut self, ids: &[i64], done: bool) -> Result<()> {
        let path = self.path.clone();
        let sqlite = |cause| Error::Archive {
            path: path.clone(),
            cause,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sqlite)?;
        let mut unknown = Vec::new();
        {
            let mut mark = tx
                .prepare("UPDATE obligations SET done = ?2 WHERE id = ?1")
                .map_err(sqlite)?;
            for &id in ids {
                if mark.execute(params![id, done]).map_err(sqlite)? == 0 {
                    unknown.push(id);
                }
            }
        }
        if !unknown.is_empty() {
            return Err(Error::UnknownObligation {
                path: path.clone(),
                ids: unknown,
            });
        }
        tx.commit().map_err(sqlite)
    }

    /// Merges the full-text index into one segment per term (FTS5 `optimize`): a query
    /// then reads one doclist per word instead of one per segment. `index` runs it after
    /// storing anything; about a second for 10,000 documents.
    pub fn optimize(&self) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO documents_fold (documents_fold) VALUES ('optimize')",
                [],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// How many documents contain `needle` by a plain `LIKE` scan of the stored text: the
    /// baseline `vanban bench` compares the full-text index against.
    pub fn like_scan_count(&self, needle: &str) -> Result<u64> {
        let pattern = format!("%{}%", needle.replace(['%', '_'], ""));
        self.conn
            .query_row(
                "SELECT count(*) FROM documents WHERE text LIKE ?1",
                [pattern],
                |row| row.get::<_, i64>(0),
            )
            .map(|n| n.max(0) as u64)
            .map_err(|e| self.error(e))
    }

    /// Every stored record with its path (for display), in path order, as JSON (the
    /// `vanban extract` schema).
    pub fn records(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT path, record FROM documents ORDER BY path, id")
            .map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(|e| self.error(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.error(e))
    }
}

/// What identifies an obligation across versions of its document: actor, action and
/// deadline value.
type ObligationText = (String, String, Option<String>);

fn store(conn: &mut Connection, entry: &Entry<'_>) -> rusqlite::Result<()> {
    let record = entry.record;
    let doc = &record.document;
    if !entry.path.is_absolute() {
        return Err(rusqlite::Error::ToSqlConversionFailure(
            format!(
                "{} is not an absolute path: documents are keyed by their canonical path",
                entry.path.display()
            )
            .into(),
        ));
    }
    let key = path_key(entry.path);
    let json = serde_json::to_string(record)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    // IMMEDIATE: the write lock is taken before the old row is read. A deferred
    // transaction reads first and then cannot upgrade to writing once another process
    // has written meanwhile; SQLite fails that at once, without waiting.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let old: Option<i64> = tx
        .query_row("SELECT id FROM documents WHERE key = ?1", [key], |row| {
            row.get(0)
        })
        .optional()?;
    // The obligations of the earlier version, by their text: one that is still there
    // keeps its ID and done flag.
    let mut earlier: HashMap<ObligationText, Vec<(i64, bool)>> = HashMap::new();
    if let Some(id) = old {
        let mut stmt = tx.prepare(
            "SELECT actor, action, deadline, id, done FROM obligations
             WHERE document_id = ?1 ORDER BY position DESC",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(((r.get(0)?, r.get(1)?, r.get(2)?), (r.get(3)?, r.get(4)?)))
        })?;
        for row in rows {
            let (text, kept) = row?;
            earlier.entry(text).or_default().push(kept);
        }
    }
    if let Some(id) = old {
        tx.execute("DELETE FROM documents_fold WHERE rowid = ?1", [id])?;
        tx.execute("DELETE FROM documents WHERE id = ?1", [id])?;
    }
    let standard = doc.standard.as_ref().and_then(serde_name);
    tx.execute(
        "INSERT INTO documents (key, path, hash, encoding, number, number_key, kind,
             kind_key, kind_name, standard, issuer, parent_issuer, place, date, title, text,
             record)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        params![
            key,
            entry.path.to_string_lossy(),
            entry.hash,
            entry.encoding,
            doc.number,
            doc.number.as_deref().map(number_key),
            doc.kind,
            doc.kind.as_deref().map(str::to_uppercase),
            doc.kind_name,
            standard,
            doc.issuer,
            doc.parent_issuer,
            doc.place,
            doc.date,
            doc.title,
            entry.text,
            json,
        ],
    )?;
    let id = tx.last_insert_rowid();
    {
        let mut cite = tx.prepare(
            "INSERT INTO citations (document_id, position, number, number_key, kind, date,
                 issuer_text, span_start, span_end) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for (position, r) in record.references.iter().enumerate() {
            cite.execute(params![
                id,
                position as i64,
                r.number,
                number_key(&r.number),
                r.kind,
                r.date,
                r.issuer_text,
                r.span.start as i64,
                r.span.end as i64,
            ])?;
        }
        let mut date = tx.prepare(
            "INSERT INTO dates (document_id, position, value, grain, text, span_start, span_end)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (position, d) in record.dates.iter().enumerate() {
            date.execute(params![
                id,
                position as i64,
                d.value,
                serde_name(&d.grain).unwrap_or_default(),
                d.text,
                d.span.start as i64,
                d.span.end as i64,
            ])?;
        }
        let mut obligation = tx.prepare(
            "INSERT INTO obligations (id, document_id, position, actor, role, action, deadline,
                 grain, recurring, done) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        for (position, o) in record.obligations.iter().enumerate() {
            let role = serde_name(&o.role);
            let deadline = o.deadline.as_ref();
            let value = deadline.and_then(|d| d.value.clone());
            // The same actor, action and deadline as before: the same obligation.
            // (A first indexing has no earlier obligations: no key to build.)
            let (kept_id, done) = if earlier.is_empty() {
                (None, false)
            } else {
                earlier
                    .get_mut(&(o.actor.clone(), o.action.clone(), value.clone()))
                    .and_then(Vec::pop)
                    .map_or((None, false), |(id, done)| (Some(id), done))
            };
            obligation.execute(params![
                kept_id,
                id,
                position as i64,
                o.actor,
                role.unwrap_or_default(),
                o.action,
                value,
                deadline.map(|d| d.grain.as_str()),
                deadline.and_then(|d| d.recurring.clone()),
                done,
            ])?;
        }
    }
    tx.execute(
        "INSERT INTO documents_fold (rowid, number, title, issuer, body) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            id,
            doc.number.as_deref().map(fold_key).unwrap_or_default(),
            doc.title.as_deref().map(fold_key).unwrap_or_default(),
            doc.issuer.as_deref().map(fold_key).unwrap_or_default(),
            fold_key(entry.text),
        ],
    )?;
    tx.commit()
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

    #[cfg(unix)]
    #[test]
    fn immutable_uris_escape_every_byte_sqlite_would_read_as_syntax() {
        use std::os::unix::ffi::OsStrExt;
        for (path, uri) in [
            (&b"/kho/vanban.db"[..], "file:///kho/vanban.db?immutable=1"),
            (
                b"/l\xc6\xb0u tr\xe1\xbb\xaf/a?b#c%d.db",
                "file:///l%C6%B0u%20tr%E1%BB%AF/a%3Fb%23c%25d.db?immutable=1",
            ),
            (b"/x\xff.db", "file:///x%FF.db?immutable=1"),
        ] {
            let path = Path::new(std::ffi::OsStr::from_bytes(path));
            assert_eq!(immutable_uri(path).unwrap(), uri);
        }
    }

    #[test]
    fn a_reading_connection_refuses_to_write() {
        let dir = std::env::temp_dir().join(format!("vanban-query-only-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        drop(open(&dir.join("kho.db")).unwrap());
        let archive = open_read_only(&dir.join("kho.db")).unwrap();
        let err = archive
            .conn()
            .execute("DELETE FROM documents", [])
            .unwrap_err()
            .to_string();
        drop(archive);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(err.contains("readonly"), "{err}");
    }

    #[test]
    fn a_relative_key_is_refused_not_stored() {
        let dir = std::env::temp_dir().join(format!("vanban-relative-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut archive = open(&dir.join("kho.db")).unwrap();
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
