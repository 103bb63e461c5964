//! The archive: documents, their citations, dates and obligations in one SQLite file, with
//! an accent-free full-text index (FTS5 over fold keys).
//!
//! Every document is stored in its own transaction: an interrupted `vanban index` loses
//! nothing it had already stored, and the next run skips files whose content hash is
//! unchanged. Only this module, `batch` and the CLI touch the filesystem.

mod cites;
mod schema;
mod search;
mod summary;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};

use crate::extract::Record;
use crate::text::fold_key;
use crate::{Error, Result};

pub use cites::{CitationEdge, CiteGraph, cites};
pub use schema::SCHEMA_VERSION;
pub use search::{Hit, Query, search};
pub use summary::{Count, DueObligation, Summary, deadline_end, obligations, parse_month, summary};

/// An open archive file.
#[derive(Debug)]
pub struct Archive {
    conn: Connection,
    path: PathBuf,
}

/// One document to store: where it came from and what was extracted from it.
#[derive(Debug)]
pub struct Entry<'a> {
    /// The input path as given (the key: re-indexing the same path replaces the row).
    pub path: &'a str,
    /// [`content_hash`] of the input bytes.
    pub hash: &'a str,
    /// The encoding the input was decoded from.
    pub encoding: &'a str,
    /// The normalised text.
    pub text: &'a str,
    /// What extraction found.
    pub record: &'a Record,
}

/// Opens (creating if needed) the archive at `path` and brings its schema up to date.
pub fn open(path: &Path) -> Result<Archive> {
    let sqlite = |source| Error::Archive {
        path: path.to_path_buf(),
        source,
    };
    let mut conn = Connection::open(path).map_err(sqlite)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;",
    )
    .map_err(sqlite)?;
    schema::migrate(&mut conn).map_err(|e| match e {
        schema::MigrateError::Newer(found) => Error::ArchiveVersion {
            path: path.to_path_buf(),
            found,
            known: SCHEMA_VERSION,
        },
        schema::MigrateError::Sqlite(source) => sqlite(source),
    })?;
    Ok(Archive {
        conn,
        path: path.to_path_buf(),
    })
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

    pub(crate) fn error(&self, source: rusqlite::Error) -> Error {
        Error::Archive {
            path: self.path.clone(),
            source,
        }
    }

    /// The content hash stored for every path: what `index` compares to skip unchanged files.
    pub fn hashes(&self) -> Result<HashMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT path, hash FROM documents")
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
        let path = self.path.clone();
        store(&mut self.conn, entry).map_err(|source| Error::Archive { path, source })
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
        let sqlite = |source| Error::Archive {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sqlite)?;
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

    /// Every stored record, in path order, as JSON (the `vanban extract` schema).
    pub fn records(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT path, record FROM documents ORDER BY path")
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
    let json = serde_json::to_string(record)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let tx = conn.transaction()?;
    let old: Option<i64> = tx
        .query_row(
            "SELECT id FROM documents WHERE path = ?1",
            [entry.path],
            |row| row.get(0),
        )
        .ok();
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
        "INSERT INTO documents (path, hash, encoding, number, number_key, kind, kind_key,
             kind_name, standard, issuer, parent_issuer, place, date, title, text, record)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        params![
            entry.path,
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
