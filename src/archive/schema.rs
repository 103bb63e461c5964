//! The archive's tables, and the migrations that bring an older file up to date.
//!
//! The schema version lives in SQLite's `user_version`; each migration runs in the same
//! transaction as the version bump, so a file is always at one version or the next.

use rusqlite::Connection;

/// The migrations, in order; migration `i` brings a file from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: documents, their citations, dates and obligations, and the accent-free index.
    r#"
    CREATE TABLE documents (
        id          INTEGER PRIMARY KEY,
        path        TEXT NOT NULL UNIQUE,
        hash        TEXT NOT NULL,
        encoding    TEXT NOT NULL,
        number      TEXT,
        number_key  TEXT,
        kind        TEXT,
        kind_key    TEXT,
        kind_name   TEXT,
        standard    TEXT,
        issuer      TEXT,
        parent_issuer TEXT,
        place       TEXT,
        date        TEXT,
        title       TEXT,
        text        TEXT NOT NULL,
        record      TEXT NOT NULL
    );
    CREATE INDEX documents_number_key ON documents(number_key);
    CREATE INDEX documents_date ON documents(date);
    CREATE INDEX documents_kind ON documents(kind_key);

    CREATE TABLE citations (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position    INTEGER NOT NULL,
        number      TEXT NOT NULL,
        number_key  TEXT NOT NULL,
        kind        TEXT,
        date        TEXT,
        issuer_text TEXT,
        span_start  INTEGER NOT NULL,
        span_end    INTEGER NOT NULL,
        PRIMARY KEY (document_id, position)
    );
    CREATE INDEX citations_number_key ON citations(number_key);

    CREATE TABLE dates (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position    INTEGER NOT NULL,
        value       TEXT NOT NULL,
        grain       TEXT NOT NULL,
        text        TEXT NOT NULL,
        span_start  INTEGER NOT NULL,
        span_end    INTEGER NOT NULL,
        PRIMARY KEY (document_id, position)
    );

    CREATE TABLE obligations (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position    INTEGER NOT NULL,
        actor       TEXT NOT NULL,
        role        TEXT NOT NULL,
        action      TEXT NOT NULL,
        deadline    TEXT,
        grain       TEXT,
        recurring   TEXT,
        done        INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (document_id, position)
    );
    CREATE INDEX obligations_deadline ON obligations(deadline);

    CREATE VIRTUAL TABLE documents_fold USING fts5(
        number, title, issuer, body,
        tokenize = "unicode61 remove_diacritics 2"
    );
    "#,
    // 2: the full-text index keeps no copy of the folded text (contentless, deletable by
    // rowid): search only needs the index and bm25's column sizes, and snippets are cut
    // from `documents.text`. The old table's text is re-indexed into the new one, then
    // its segments are merged.
    r#"
    CREATE VIRTUAL TABLE documents_fold_v2 USING fts5(
        number, title, issuer, body,
        content = '', contentless_delete = 1,
        tokenize = "unicode61 remove_diacritics 2"
    );
    INSERT INTO documents_fold_v2 (rowid, number, title, issuer, body)
        SELECT rowid, number, title, issuer, body FROM documents_fold;
    DROP TABLE documents_fold;
    ALTER TABLE documents_fold_v2 RENAME TO documents_fold;
    INSERT INTO documents_fold (documents_fold) VALUES ('optimize');
    "#,
    // 3: every obligation gets an ID that `vanban obligations --done ID` can name; IDs
    // are never reused (AUTOINCREMENT), and re-indexing keeps the ID and done flag of an
    // obligation whose text is unchanged.
    r#"
    CREATE TABLE obligations_v3 (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position    INTEGER NOT NULL,
        actor       TEXT NOT NULL,
        role        TEXT NOT NULL,
        action      TEXT NOT NULL,
        deadline    TEXT,
        grain       TEXT,
        recurring   TEXT,
        done        INTEGER NOT NULL DEFAULT 0,
        UNIQUE (document_id, position)
    );
    INSERT INTO obligations_v3 (document_id, position, actor, role, action, deadline, grain,
            recurring, done)
        SELECT document_id, position, actor, role, action, deadline, grain, recurring, done
        FROM obligations ORDER BY document_id, position;
    DROP TABLE obligations;
    ALTER TABLE obligations_v3 RENAME TO obligations;
    CREATE INDEX obligations_deadline ON obligations(deadline);
    "#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the file up to [`SCHEMA_VERSION`]. Refuses a file written by a newer vanban.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), MigrateError> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(MigrateError::Newer(version));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// Why a migration failed.
#[derive(Debug)]
pub(crate) enum MigrateError {
    /// The file's schema is newer than this build knows.
    Newer(i64),
    /// SQLite refused.
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        MigrateError::Sqlite(e)
    }
}
