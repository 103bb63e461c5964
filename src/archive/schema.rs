//! The archive's tables on both backends, and the migrations that bring an older archive
//! up to date: the one place the schema is written down.
//!
//! SQLite keeps its version in the file's `user_version`, PostgreSQL in the table
//! `vanban_schema`. Each migration runs in the same transaction as the version bump, so an
//! archive is always at one version or the next, and that transaction first takes a lock
//! (SQLite's write lock, `IMMEDIATE`; a PostgreSQL advisory lock) and reads the version
//! again: processes opening one archive at once wait for each other, and each step runs
//! once.
//!
//! The two lists hold the same tables and columns; they differ where the engines do:
//! SQLite's full-text index is an FTS5 table, PostgreSQL's a `tsvector` column with a GIN
//! index (the `simple` configuration over the same folded words) and a trigram index
//! (pg_trgm) over the folded number, subject and issuer; text PostgreSQL sorts or groups
//! is `COLLATE "C"`, so both order by code point. PostgreSQL also holds the ingest queue.

use rusqlite::{Connection, Transaction, TransactionBehavior, params};

/// One migration: its SQL, then (for some) a step over the rows that SQL cannot take.
struct Migration {
    sql: &'static str,
    then: Option<fn(&Transaction<'_>) -> rusqlite::Result<()>>,
}

/// The migrations, in order; migration `i` brings a file from version `i` to `i + 1`.
const MIGRATIONS: &[Migration] = &[
    // 1: documents, their citations, dates and obligations, and the accent-free index.
    Migration {
        sql: r#"
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
        then: None,
    },
    // 2: the full-text index keeps no copy of the folded text (contentless, deletable by
    // rowid): search only needs the index and bm25's column sizes, and snippets are cut
    // from `documents.text`. The old table's text is re-indexed into the new one, then
    // its segments are merged.
    Migration {
        sql: r#"
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
        then: None,
    },
    // 3: every obligation gets an ID that `vanban obligations --done ID` can name; IDs
    // are never reused (AUTOINCREMENT), and re-indexing keeps the ID and done flag of an
    // obligation whose text is unchanged.
    Migration {
        sql: r#"
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
        then: None,
    },
    // 4: documents are keyed by the bytes of their canonical path (`key`, unique), not by
    // the path as typed: the same tree indexed from two folders is two sets of documents,
    // and two names that are not UTF-8 are two documents. `path` keeps a readable copy
    // (not unique: two such names read the same). The table is rebuilt with its IDs, so
    // the rows that refer to it and the full-text index stay as they are; `rekey` then
    // gives each document whose file is still there its canonical key.
    Migration {
        sql: r#"
    CREATE TABLE documents_v4 (
        id          INTEGER PRIMARY KEY,
        key         BLOB NOT NULL UNIQUE,
        path        TEXT NOT NULL,
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
    INSERT INTO documents_v4 (id, key, path, hash, encoding, number, number_key, kind,
            kind_key, kind_name, standard, issuer, parent_issuer, place, date, title, text,
            record)
        SELECT id, CAST(path AS BLOB), path, hash, encoding, number, number_key, kind,
            kind_key, kind_name, standard, issuer, parent_issuer, place, date, title, text,
            record
        FROM documents;
    DROP TABLE documents;
    ALTER TABLE documents_v4 RENAME TO documents;
    CREATE INDEX documents_number_key ON documents(number_key);
    CREATE INDEX documents_date ON documents(date);
    CREATE INDEX documents_kind ON documents(kind_key);
    "#,
        then: Some(rekey),
    },
];

/// The oldest schema the reading commands read as it is: version 4 only re-keyed the
/// documents, and no read query uses the key.
pub const OLDEST_READABLE: i64 = 3;

/// Keys each document of an older archive by the canonical path of its file, when that
/// file is still there: the old key was the path as typed, relative to the folder
/// `vanban index` ran in, which is taken to be the current one (the upgrade runs in the
/// commands that write: `vanban index`, marking obligations). The record's `path` follows. A document whose file is gone keeps the
/// typed path as its key, as does one whose file another row already has.
fn rekey(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let rows: Vec<(i64, String)> = {
        let mut stmt = tx.prepare("SELECT id, path FROM documents ORDER BY id")?;
        stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut update = tx.prepare(
        "UPDATE OR IGNORE documents SET key = ?2, path = ?3,
             record = CASE WHEN json_valid(record) THEN json_set(record, '$.path', ?3)
                           ELSE record END
         WHERE id = ?1",
    )?;
    for (id, path) in rows {
        let Ok(canonical) = std::fs::canonicalize(&path) else {
            continue;
        };
        update.execute(params![
            id,
            super::path_key(&canonical),
            canonical.to_string_lossy()
        ])?;
    }
    Ok(())
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The schema version written in the file (0 for a new, empty file).
pub(crate) fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Brings the file up to [`SCHEMA_VERSION`], one `IMMEDIATE` transaction per step, each
/// reading the version again once it holds the write lock (another process may have
/// taken the file further meanwhile). Refuses a version it does not know (a newer
/// vanban's).
///
/// Foreign keys must be off while it runs (`PRAGMA foreign_keys` cannot change inside a
/// transaction): dropping a rebuilt table must not delete the rows that refer to it.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), MigrateError> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version = version(&tx)?;
        if version == SCHEMA_VERSION {
            return Ok(());
        }
        let Some(migration) = usize::try_from(version)
            .ok()
            .and_then(|v| MIGRATIONS.get(v))
        else {
            return Err(MigrateError::Unknown(version));
        };
        tx.execute_batch(migration.sql)?;
        if let Some(then) = migration.then {
            then(&tx)?;
        }
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}

/// Why a migration failed.
#[derive(Debug)]
pub(crate) enum MigrateError {
    /// The file's schema is one this build does not know (a newer vanban's).
    Unknown(i64),
    /// SQLite refused.
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        MigrateError::Sqlite(e)
    }
}

/// The PostgreSQL migrations, in order; migration `i` brings a database from version `i`
/// to `i + 1`. Version 1 is the archive as SQLite's version 4 has it.
pub(crate) const POSTGRES_MIGRATIONS: &[&str] = &[
    // 1: the archive. `fold` holds the folded number (weight A), subject (B), issuer (C)
    // and text (D) as `simple` lexemes; `head` the first three again, small enough to
    // rank every match by; `head_text` the same words as text, for trigram (typo)
    // matching; `words` how many words the four fields hold (the shorter document ranks
    // first among equals).
    r#"
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE TABLE documents (
        id            bigserial PRIMARY KEY,
        key           bytea NOT NULL UNIQUE,
        path          text COLLATE "C" NOT NULL,
        hash          text NOT NULL,
        encoding      text NOT NULL,
        number        text COLLATE "C",
        number_key    text COLLATE "C",
        kind          text COLLATE "C",
        kind_key      text COLLATE "C",
        kind_name     text,
        standard      text,
        issuer        text COLLATE "C",
        parent_issuer text,
        place         text,
        date          text COLLATE "C",
        title         text COLLATE "C",
        text          text NOT NULL,
        record        text NOT NULL,
        fold          tsvector NOT NULL,
        head          tsvector NOT NULL,
        head_text     text NOT NULL,
        words         bigint NOT NULL
    );
    CREATE INDEX documents_hash ON documents(hash);
    CREATE INDEX documents_number_key ON documents(number_key);
    CREATE INDEX documents_date ON documents(date);
    CREATE INDEX documents_kind ON documents(kind_key);
    CREATE INDEX documents_fold ON documents USING gin (fold);
    CREATE INDEX documents_head_trgm ON documents USING gin (head_text gin_trgm_ops);

    CREATE TABLE citations (
        document_id bigint NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position    bigint NOT NULL,
        number      text COLLATE "C" NOT NULL,
        number_key  text COLLATE "C" NOT NULL,
        kind        text,
        date        text COLLATE "C",
        issuer_text text,
        span_start  bigint NOT NULL,
        span_end    bigint NOT NULL,
        PRIMARY KEY (document_id, position)
    );
    CREATE INDEX citations_number_key ON citations(number_key);

    CREATE TABLE dates (
        document_id bigint NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position    bigint NOT NULL,
        value       text NOT NULL,
        grain       text NOT NULL,
        text        text NOT NULL,
        span_start  bigint NOT NULL,
        span_end    bigint NOT NULL,
        PRIMARY KEY (document_id, position)
    );

    CREATE TABLE obligations (
        id          bigserial PRIMARY KEY,
        document_id bigint NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position    bigint NOT NULL,
        actor       text COLLATE "C" NOT NULL,
        role        text NOT NULL,
        action      text COLLATE "C" NOT NULL,
        deadline    text COLLATE "C",
        grain       text,
        recurring   text,
        done        boolean NOT NULL DEFAULT false,
        UNIQUE (document_id, position)
    );
    CREATE INDEX obligations_deadline ON obligations(deadline);
    CREATE INDEX obligations_document ON obligations(document_id);
    "#,
    // 2: the ingest queue. A file (by its canonical path on a shared mount, or uploaded
    // bytes) waits `pending`; a worker claims it until `claimed_until` (`FOR UPDATE SKIP
    // LOCKED`), stores its document and marks it `done` in one transaction; a claim that
    // runs out is claimed again; the third failure makes it `failed`, with its error.
    r#"
    CREATE TABLE queue (
        id            bigserial PRIMARY KEY,
        key           bytea NOT NULL UNIQUE,
        path          text COLLATE "C" NOT NULL,
        bytes         bytea,
        state         text NOT NULL DEFAULT 'pending'
                      CHECK (state IN ('pending', 'done', 'failed')),
        attempts      bigint NOT NULL DEFAULT 0,
        claimed_by    text,
        claimed_until timestamptz,
        first_claimed timestamptz,
        error         text,
        added         timestamptz NOT NULL DEFAULT now(),
        finished      timestamptz
    );
    CREATE INDEX queue_pending ON queue (id) WHERE state = 'pending';
    CREATE INDEX queue_finished ON queue (finished) WHERE finished IS NOT NULL;
    "#,
];

/// The schema version this build writes to a PostgreSQL database.
pub const POSTGRES_SCHEMA_VERSION: i64 = POSTGRES_MIGRATIONS.len() as i64;
