//! The SQLite backend: one file, bundled SQLite, FTS5 over the fold keys.
//!
//! Writers ([`open`]) take the write lock before they read what they will change, so
//! several `vanban index` runs on one file wait for each other; readers
//! ([`open_read_only`]) never write, not even to switch the journal mode.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};

use super::schema::{self, OLDEST_READABLE, SCHEMA_VERSION};
use super::{ObligationText, Rows, Stored, Value, kept_ids};
use crate::{Error, Result};

/// How long a connection waits for another's lock before it gives up: long enough for
/// another run's full-text merge (about a second for 10,000 documents) or a schema
/// upgrade that copies every document.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// Opens the archive at `path` for writing (`index`, marking obligations), creating it if
/// needed, and brings its schema up to date.
///
/// A file of a newer schema is refused before anything is written to it. Several
/// processes may open one file at once, a new one included: the schema is created and
/// upgraded once, and their writes wait for each other (up to a minute each).
pub(crate) fn open(path: &Path) -> Result<Connection> {
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
    Ok(conn)
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
pub(crate) fn open_read_only(path: &Path) -> Result<Connection> {
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
    Ok(conn)
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

/// Stores one document's rows in one `IMMEDIATE` transaction, replacing the earlier
/// version of its key; obligations whose text is unchanged keep their IDs and done marks.
pub(crate) fn store(conn: &mut Connection, rows: &Rows<'_>) -> rusqlite::Result<Stored> {
    // IMMEDIATE: the write lock is taken before the old row is read. A deferred
    // transaction reads first and then cannot upgrade to writing once another process
    // has written meanwhile; SQLite fails that at once, without waiting.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let old: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, hash FROM documents WHERE key = ?1",
            [rows.key],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    // Another run stored this very file meanwhile.
    if old.as_ref().is_some_and(|(_, hash)| hash == rows.hash) {
        return Ok(Stored::AlreadyThere);
    }
    let old = old.map(|(id, _)| id);
    // The obligations of the earlier version, by their text: one that is still there
    // keeps its ID and done flag.
    let mut earlier: HashMap<ObligationText, Vec<(i64, bool)>> = HashMap::new();
    if let Some(id) = old {
        let mut stmt = tx.prepare(
            "SELECT actor, action, deadline, id, done FROM obligations
             WHERE document_id = ?1 ORDER BY position DESC",
        )?;
        let found = stmt.query_map([id], |r| {
            Ok(((r.get(0)?, r.get(1)?, r.get(2)?), (r.get(3)?, r.get(4)?)))
        })?;
        for row in found {
            let (text, kept) = row?;
            earlier.entry(text).or_default().push(kept);
        }
        tx.execute("DELETE FROM documents_fold WHERE rowid = ?1", [id])?;
        tx.execute("DELETE FROM documents WHERE id = ?1", [id])?;
    }
    let mut document = vec![Value::Blob(rows.key.to_vec())];
    document.extend(rows.document.iter().cloned());
    tx.execute(
        "INSERT INTO documents (key, path, hash, encoding, number, number_key, kind,
             kind_key, kind_name, standard, issuer, parent_issuer, place, date, title, text,
             record)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        rusqlite::params_from_iter(document),
    )?;
    let id = tx.last_insert_rowid();
    {
        let mut cite = tx.prepare(
            "INSERT INTO citations (document_id, position, number, number_key, kind, date,
                 issuer_text, span_start, span_end) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for row in &rows.citations {
            cite.execute(rusqlite::params_from_iter(
                std::iter::once(&Value::Integer(id)).chain(row),
            ))?;
        }
        let mut date = tx.prepare(
            "INSERT INTO dates (document_id, position, value, grain, text, span_start, span_end)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for row in &rows.dates {
            date.execute(rusqlite::params_from_iter(
                std::iter::once(&Value::Integer(id)).chain(row),
            ))?;
        }
        let mut obligation = tx.prepare(
            "INSERT INTO obligations (id, document_id, position, actor, role, action, deadline,
                 grain, recurring, done) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        let kept = kept_ids(&rows.obligations, earlier);
        for ((_, columns), (kept_id, done)) in rows.obligations.iter().zip(kept) {
            let head = [
                kept_id.map_or(Value::Null, Value::Integer),
                Value::Integer(id),
            ];
            obligation.execute(rusqlite::params_from_iter(
                head.iter()
                    .chain(columns)
                    .chain(std::iter::once(&Value::Integer(i64::from(done)))),
            ))?;
        }
    }
    let [number, title, issuer, body] = &rows.fold;
    tx.execute(
        "INSERT INTO documents_fold (rowid, number, title, issuer, body) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, number, title, issuer, body],
    )?;
    tx.commit()?;
    Ok(Stored::Written)
}

/// Marks obligations done or not, all or none; returns the IDs not found (then nothing
/// changed).
pub(crate) fn set_done(
    conn: &mut Connection,
    ids: &[i64],
    done: bool,
) -> rusqlite::Result<Vec<i64>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut unknown = Vec::new();
    {
        let mut mark = tx.prepare("UPDATE obligations SET done = ?2 WHERE id = ?1")?;
        for &id in ids {
            if mark.execute(params![id, done])? == 0 {
                unknown.push(id);
            }
        }
    }
    if unknown.is_empty() {
        tx.commit()?;
    }
    Ok(unknown)
}

/// Runs a query and returns its rows as values.
pub(crate) fn select(
    conn: &Connection,
    sql: &str,
    params: &[Value],
) -> rusqlite::Result<Vec<Vec<Value>>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let columns = stmt.column_count();
    let rows = stmt.query_map(rusqlite::params_from_iter(params), |row| {
        (0..columns)
            .map(|i| row.get::<_, Value>(i))
            .collect::<rusqlite::Result<Vec<Value>>>()
    })?;
    rows.collect()
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
        let conn = open_read_only(&dir.join("kho.db")).unwrap();
        let err = conn
            .execute("DELETE FROM documents", [])
            .unwrap_err()
            .to_string();
        drop(conn);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(err.contains("readonly"), "{err}");
    }
}
