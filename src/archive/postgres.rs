//! The PostgreSQL backend: one database shared by many machines.
//!
//! The client is the synchronous `postgres` crate (the CLI is synchronous); TLS through
//! `postgres-native-tls` (the system's OpenSSL) when the URL's `sslmode` asks for it, with
//! libpq's meanings: `disable`; `prefer` (the default: TLS when the server offers it);
//! `require` (TLS, the certificate not checked); `verify-ca` (checked against
//! `sslrootcert`, or the system's roots); `verify-full` (and the host name too).
//!
//! Writers serialise on the document's key with a transaction-level advisory lock, so
//! two `vanban index` runs (on any machines) storing the same file store it once: the
//! second finds it there with the same content hash and writes nothing.

use std::collections::HashMap;
use std::error::Error as StdError;

use postgres::types::{IsNull, ToSql, Type, private::BytesMut, to_sql_checked};
use postgres::{Client, Row};

use super::schema::{POSTGRES_MIGRATIONS, POSTGRES_SCHEMA_VERSION};
use super::{Location, ObligationText, Rows, Stored, Value, kept_ids};
use crate::{Error, Result};

/// The advisory lock every schema change takes (an arbitrary constant, "vanban" in ASCII).
const MIGRATION_LOCK: i64 = 0x0076_616e_6261_6e00;

/// The oldest schema the reading commands read (version 2 only added the queue).
pub(crate) const POSTGRES_OLDEST_READABLE: i64 = 1;

/// The most bytes of folded words a document's text gives the full-text index: a
/// `tsvector` holds at most 1 MB of distinct words. A longer text (some 250 pages) is
/// found by its first megabyte; its whole text is still stored.
const MAX_INDEXED_BYTES: usize = 1 << 20;

/// How TLS is used, as libpq's `sslmode` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// The URL without the TLS settings the client does not read itself (`sslmode` values
/// beyond `require`, `sslrootcert`), and those settings.
fn split_tls(url: &str) -> std::result::Result<(String, SslMode, Option<String>), String> {
    let (head, query) = url.split_once('?').unwrap_or((url, ""));
    let mut mode = SslMode::Prefer;
    let mut root = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("sslmode", value)) => {
                mode = match value {
                    "disable" => SslMode::Disable,
                    "allow" | "prefer" => SslMode::Prefer,
                    "require" => SslMode::Require,
                    "verify-ca" => SslMode::VerifyCa,
                    "verify-full" => SslMode::VerifyFull,
                    other => {
                        return Err(format!(
                            "sslmode={other}: expected disable, prefer, require, verify-ca or verify-full"
                        ));
                    }
                }
            }
            Some(("sslrootcert", value)) => root = Some(percent_decode(value)),
            _ => kept.push(pair),
        }
    }
    let rest = if kept.is_empty() {
        head.to_string()
    } else {
        format!("{head}?{}", kept.join("&"))
    };
    Ok((rest, mode, root))
}

/// `%2F` → `/` (a file name in a URL).
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Connects to the database `url` names.
pub(crate) fn connect(url: &str) -> Result<Client> {
    let db = Location::Postgres(url.to_string()).name();
    let fail = |what: String| Error::Database {
        db: db.clone(),
        what,
    };
    let (rest, mode, root) = split_tls(url).map_err(&fail)?;
    let mut config: postgres::Config = rest.parse().map_err(|cause| Error::Postgres {
        db: db.clone(),
        cause,
    })?;
    if config.get_application_name().is_none() {
        config.application_name("vanban");
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(std::time::Duration::from_secs(30));
    }
    config.ssl_mode(match mode {
        SslMode::Disable => postgres::config::SslMode::Disable,
        SslMode::Prefer => postgres::config::SslMode::Prefer,
        _ => postgres::config::SslMode::Require,
    });
    let connected = if mode == SslMode::Disable {
        config.connect(postgres::NoTls)
    } else {
        connect_tls(&config, mode, root.as_deref()).map_err(fail)?
    };
    connected.map_err(|cause| Error::Postgres { db, cause })
}

/// Connects through TLS as `mode` says.
#[cfg(feature = "tls")]
fn connect_tls(
    config: &postgres::Config,
    mode: SslMode,
    root: Option<&str>,
) -> std::result::Result<std::result::Result<Client, postgres::Error>, String> {
    let mut builder = native_tls::TlsConnector::builder();
    match mode {
        SslMode::Prefer | SslMode::Require => {
            builder
                .danger_accept_invalid_certs(true)
                .danger_accept_invalid_hostnames(true);
        }
        SslMode::VerifyCa => {
            builder.danger_accept_invalid_hostnames(true);
        }
        SslMode::VerifyFull | SslMode::Disable => {}
    }
    if let Some(root) = root {
        let pem = std::fs::read(root).map_err(|e| format!("sslrootcert {root}: {e}"))?;
        let cert = native_tls::Certificate::from_pem(&pem)
            .map_err(|e| format!("sslrootcert {root}: {e}"))?;
        builder.add_root_certificate(cert);
    }
    let connector = builder.build().map_err(|e| format!("TLS: {e}"))?;
    Ok(config.connect(postgres_native_tls::MakeTlsConnector::new(connector)))
}

/// Without the `tls` feature: `prefer` connects in the clear, stricter modes are refused.
#[cfg(not(feature = "tls"))]
fn connect_tls(
    config: &postgres::Config,
    mode: SslMode,
    _root: Option<&str>,
) -> std::result::Result<std::result::Result<Client, postgres::Error>, String> {
    if mode == SslMode::Prefer {
        return Ok(config.connect(postgres::NoTls));
    }
    Err("this vanban was built without TLS (cargo feature `tls`)".into())
}

/// The schema version in the database: 0 when it has no vanban tables.
fn version(client: &mut Client) -> std::result::Result<i64, postgres::Error> {
    let found = client.query_opt("SELECT version FROM vanban_schema", &[]);
    match found {
        Ok(row) => Ok(row.map_or(0, |r| r.get(0))),
        Err(e) if e.code() == Some(&postgres::error::SqlState::UNDEFINED_TABLE) => Ok(0),
        Err(e) => Err(e),
    }
}

/// Opens the database for writing, creating or upgrading the schema.
pub(crate) fn open(url: &str) -> Result<Client> {
    let db = Location::Postgres(url.to_string()).name();
    let mut client = connect(url)?;
    let pg = |cause| Error::Postgres {
        db: db.clone(),
        cause,
    };
    let found = version(&mut client).map_err(pg)?;
    if found > POSTGRES_SCHEMA_VERSION {
        return Err(newer(&db, found));
    }
    if found < POSTGRES_SCHEMA_VERSION {
        migrate(&mut client).map_err(|e| match e {
            Migrate::Newer(found) => newer(&db, found),
            Migrate::Postgres(cause) => pg(cause),
        })?;
    }
    Ok(client)
}

/// Opens the database for reading only: the session refuses every write.
pub(crate) fn open_read_only(url: &str) -> Result<Client> {
    let db = Location::Postgres(url.to_string()).name();
    let mut client = connect(url)?;
    let pg = |cause| Error::Postgres {
        db: db.clone(),
        cause,
    };
    let found = version(&mut client).map_err(pg)?;
    if found == 0 {
        return Err(Error::Database {
            db,
            what: "no archive in this database; `vanban index --db URL` creates it".into(),
        });
    }
    if found > POSTGRES_SCHEMA_VERSION {
        return Err(newer(&db, found));
    }
    if found < POSTGRES_OLDEST_READABLE {
        return Err(Error::ArchiveOutdated {
            path: db.into(),
            found,
            oldest: POSTGRES_OLDEST_READABLE,
            known: POSTGRES_SCHEMA_VERSION,
        });
    }
    client
        .batch_execute("SET default_transaction_read_only = on")
        .map_err(pg)?;
    Ok(client)
}

fn newer(db: &str, found: i64) -> Error {
    Error::ArchiveVersion {
        path: db.into(),
        found,
        known: POSTGRES_SCHEMA_VERSION,
    }
}

/// Why a migration stopped.
enum Migrate {
    Newer(i64),
    Postgres(postgres::Error),
}

impl From<postgres::Error> for Migrate {
    fn from(e: postgres::Error) -> Self {
        Migrate::Postgres(e)
    }
}

/// Brings the database up to [`POSTGRES_SCHEMA_VERSION`], one transaction per step under
/// the migration lock, reading the version again each time.
fn migrate(client: &mut Client) -> std::result::Result<(), Migrate> {
    loop {
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS vanban_schema (version bigint NOT NULL)")?;
        let found: i64 = tx
            .query_opt("SELECT version FROM vanban_schema", &[])?
            .map_or(0, |r| r.get(0));
        if found == POSTGRES_SCHEMA_VERSION {
            tx.commit()?;
            return Ok(());
        }
        let Some(sql) = usize::try_from(found)
            .ok()
            .and_then(|v| POSTGRES_MIGRATIONS.get(v))
        else {
            return Err(Migrate::Newer(found));
        };
        tx.batch_execute(sql)?;
        if found == 0 {
            tx.execute("INSERT INTO vanban_schema (version) VALUES (1)", &[])?;
        } else {
            tx.execute("UPDATE vanban_schema SET version = $1", &[&(found + 1)])?;
        }
        tx.commit()?;
    }
}

/// A value sent as whatever type the statement's parameter has.
#[derive(Debug)]
struct Param<'a>(&'a Value);

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Integer(n) => match *ty {
                Type::INT8 => n.to_sql(ty, out),
                Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
                Type::BOOL => (*n != 0).to_sql(ty, out),
                Type::FLOAT8 => (*n as f64).to_sql(ty, out),
                _ => n.to_string().to_sql(ty, out),
            },
            Value::Real(x) => x.to_sql(ty, out),
            Value::Text(s) => s.to_sql(ty, out),
            Value::Blob(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// The shared SQL of [`super::Archive::select`] in PostgreSQL's spelling: `?N` → `$N`.
pub(crate) fn dialect(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

/// The values of one row.
pub(crate) fn values(row: &Row) -> std::result::Result<Vec<Value>, postgres::Error> {
    (0..row.len())
        .map(|i| {
            let ty = row.columns()[i].type_().clone();
            Ok(match ty {
                Type::INT8 => row
                    .try_get::<_, Option<i64>>(i)?
                    .map_or(Value::Null, Value::Integer),
                Type::INT4 => row
                    .try_get::<_, Option<i32>>(i)?
                    .map_or(Value::Null, |n| Value::Integer(n.into())),
                Type::INT2 => row
                    .try_get::<_, Option<i16>>(i)?
                    .map_or(Value::Null, |n| Value::Integer(n.into())),
                Type::BOOL => row
                    .try_get::<_, Option<bool>>(i)?
                    .map_or(Value::Null, |b| Value::Integer(b.into())),
                Type::FLOAT4 => row
                    .try_get::<_, Option<f32>>(i)?
                    .map_or(Value::Null, |x| Value::Real(x.into())),
                Type::FLOAT8 => row
                    .try_get::<_, Option<f64>>(i)?
                    .map_or(Value::Null, Value::Real),
                Type::BYTEA => row
                    .try_get::<_, Option<Vec<u8>>>(i)?
                    .map_or(Value::Null, Value::Blob),
                _ => row
                    .try_get::<_, Option<String>>(i)?
                    .map_or(Value::Null, Value::Text),
            })
        })
        .collect()
}

/// Runs a query (already in PostgreSQL's spelling) and returns its rows as values.
pub(crate) fn select(
    client: &mut Client,
    sql: &str,
    params: &[Value],
) -> std::result::Result<Vec<Vec<Value>>, postgres::Error> {
    let params: Vec<Param<'_>> = params.iter().map(Param).collect();
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
    client
        .query(sql, &refs)
        .and_then(|rows| rows.iter().map(values).collect())
}

/// The words of a folded field joined by single spaces: the text `to_tsvector('simple',
/// …)` reads, split where the search splits a query (any character that is not a letter
/// or digit), so the server's parser sees plain words and both sides agree.
pub(crate) fn plain_words(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    for word in folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `words` cut to at most `max` bytes, on a word boundary.
fn cut_words(words: &str, max: usize) -> &str {
    if words.len() <= max {
        return words;
    }
    let cut = crate::text::floor_boundary(words, max);
    &words[..words[..cut].rfind(' ').unwrap_or(cut)]
}

/// A transaction-level advisory lock number for a document key: writers of one key wait
/// for each other (two keys sharing a number only wait needlessly).
fn key_lock(key: &[u8]) -> i64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(key);
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

/// Stores one document's rows in one transaction, unless the same key is there with the
/// same content hash; with `queued`, that queue item is marked done in the same
/// transaction.
pub(crate) fn store(
    client: &mut Client,
    rows: &Rows<'_>,
    queued: Option<i64>,
) -> std::result::Result<Stored, postgres::Error> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&key_lock(rows.key)])?;
    let old = tx.query_opt(
        "SELECT id, hash FROM documents WHERE key = $1",
        &[&rows.key],
    )?;
    let mut earlier: HashMap<ObligationText, Vec<(i64, bool)>> = HashMap::new();
    let stored = match old {
        Some(row) if row.get::<_, String>(1) == rows.hash => Stored::AlreadyThere,
        old => {
            if let Some(row) = old {
                let id: i64 = row.get(0);
                for r in tx.query(
                    "SELECT actor, action, deadline, id, done FROM obligations
                     WHERE document_id = $1 ORDER BY position DESC",
                    &[&id],
                )? {
                    earlier
                        .entry((r.get(0), r.get(1), r.get(2)))
                        .or_default()
                        .push((r.get(3), r.get(4)));
                }
                tx.execute("DELETE FROM documents WHERE id = $1", &[&id])?;
            }
            insert(&mut tx, rows, earlier)?;
            Stored::Written
        }
    };
    if let Some(item) = queued {
        tx.execute(
            "UPDATE queue SET state = 'done', finished = now(), error = NULL,
                 claimed_until = NULL WHERE id = $1",
            &[&item],
        )?;
    }
    tx.commit()?;
    Ok(stored)
}

/// The `INSERT` of a document row: the columns of [`Rows::document`] after the key (and
/// the ID first, with `with_id`), then the four folded fields' words and the word count
/// that [`fold_values`] gives.
fn document_insert(with_id: bool) -> String {
    let (id, first) = if with_id { ("id, ", 2) } else { ("", 1) };
    let n = |i: usize| format!("${}", first + i);
    let columns: Vec<String> = (0..17).map(n).collect();
    let (number, title, issuer, body, words) = (n(17), n(18), n(19), n(20), n(21));
    let id_value = if with_id { "$1, " } else { "" };
    format!(
        "INSERT INTO documents ({id}key, path, hash, encoding, number, number_key, kind,
             kind_key, kind_name, standard, issuer, parent_issuer, place, date, title, text,
             record, fold, head, head_text, words)
         VALUES ({id_value}{}, setweight(to_tsvector('simple', {number}), 'A')
                 || setweight(to_tsvector('simple', {title}), 'B')
                 || setweight(to_tsvector('simple', {issuer}), 'C')
                 || setweight(to_tsvector('simple', {body}), 'D'),
             setweight(to_tsvector('simple', {number}), 'A')
                 || setweight(to_tsvector('simple', {title}), 'B')
                 || setweight(to_tsvector('simple', {issuer}), 'C'),
             concat_ws(' ', {number}, {title}, {issuer}),
             {words})
         RETURNING id",
        columns.join(", ")
    )
}

/// The words of the folded number, subject, issuer and text (the text cut to
/// [`MAX_INDEXED_BYTES`]) and how many there are, as [`document_insert`] takes them.
fn fold_values(fold: &[String; 4]) -> [Value; 5] {
    let [number, title, issuer, body] = fold.each_ref().map(|f| plain_words(f));
    let body = cut_words(&body, MAX_INDEXED_BYTES).to_string();
    let words: usize = [&number, &title, &issuer, &body]
        .iter()
        .map(|w| w.split(' ').filter(|w| !w.is_empty()).count())
        .sum();
    [
        Value::Text(number),
        Value::Text(title),
        Value::Text(issuer),
        Value::Text(body),
        Value::Integer(words as i64),
    ]
}

/// Inserts the rows of a new document (its earlier version deleted).
fn insert(
    tx: &mut postgres::Transaction<'_>,
    rows: &Rows<'_>,
    earlier: HashMap<ObligationText, Vec<(i64, bool)>>,
) -> std::result::Result<(), postgres::Error> {
    let mut values = vec![Value::Blob(rows.key.to_vec())];
    values.extend(rows.document.iter().cloned());
    values.extend(fold_values(&rows.fold));
    let statement = tx.prepare(&document_insert(false))?;
    let params: Vec<Param<'_>> = values.iter().map(Param).collect();
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
    let id: i64 = tx.query_one(&statement, &refs)?.get(0);
    let citation = tx.prepare(
        "INSERT INTO citations (document_id, position, number, number_key, kind, date,
             issuer_text, span_start, span_end) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )?;
    let id_value = Value::Integer(id);
    for row in &rows.citations {
        execute(tx, &citation, std::iter::once(&id_value).chain(row))?;
    }
    let date = tx.prepare(
        "INSERT INTO dates (document_id, position, value, grain, text, span_start, span_end)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )?;
    for row in &rows.dates {
        execute(tx, &date, std::iter::once(&id_value).chain(row))?;
    }
    let obligation = tx.prepare(
        "INSERT INTO obligations (id, document_id, position, actor, role, action, deadline,
             grain, recurring, done)
         VALUES (coalesce($1, nextval(pg_get_serial_sequence('obligations', 'id'))),
             $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )?;
    let kept = kept_ids(&rows.obligations, earlier);
    for ((_, columns), (kept_id, done)) in rows.obligations.iter().zip(kept) {
        let head = [
            kept_id.map_or(Value::Null, Value::Integer),
            id_value.clone(),
        ];
        let done = Value::Integer(i64::from(done));
        execute(
            tx,
            &obligation,
            head.iter().chain(columns).chain(std::iter::once(&done)),
        )?;
    }
    Ok(())
}

/// Executes a prepared statement with values.
fn execute<'v>(
    tx: &mut postgres::Transaction<'_>,
    statement: &postgres::Statement,
    values: impl Iterator<Item = &'v Value>,
) -> std::result::Result<u64, postgres::Error> {
    let params: Vec<Param<'_>> = values.map(Param).collect();
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
    tx.execute(statement, &refs)
}

/// Copies one batch of another archive's rows, IDs kept, in one transaction.
pub(crate) fn import(
    client: &mut Client,
    batch: &super::migrate::Batch,
) -> std::result::Result<(), postgres::Error> {
    let mut tx = client.transaction()?;
    let document = tx.prepare(&document_insert(true))?;
    for (row, fold) in batch.documents.iter().zip(&batch.folds) {
        let folded = fold_values(fold);
        execute(&mut tx, &document, row.iter().chain(&folded))?;
    }
    for (rows, sql) in [
        (
            &batch.citations,
            "INSERT INTO citations (document_id, position, number, number_key, kind, date,
                 issuer_text, span_start, span_end) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        ),
        (
            &batch.dates,
            "INSERT INTO dates (document_id, position, value, grain, text, span_start, span_end)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        ),
        (
            &batch.obligations,
            "INSERT INTO obligations (id, document_id, position, actor, role, action, deadline,
                 grain, recurring, done) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        ),
    ] {
        let statement = tx.prepare(sql)?;
        for row in rows {
            execute(&mut tx, &statement, row.iter())?;
        }
    }
    tx.commit()
}

/// After an import with explicit IDs: the ID sequences continue after the largest.
pub(crate) fn after_import(client: &mut Client) -> std::result::Result<(), postgres::Error> {
    client.batch_execute(
        "SELECT setval(pg_get_serial_sequence('documents', 'id'),
                       coalesce((SELECT max(id) FROM documents), 0) + 1, false);
         SELECT setval(pg_get_serial_sequence('obligations', 'id'),
                       coalesce((SELECT max(id) FROM obligations), 0) + 1, false);",
    )
}

/// Marks obligations done or not, all or none; returns the IDs not found.
pub(crate) fn set_done(
    client: &mut Client,
    ids: &[i64],
    done: bool,
) -> std::result::Result<Vec<i64>, postgres::Error> {
    let mut tx = client.transaction()?;
    let mut unknown = Vec::new();
    for &id in ids {
        if tx.execute(
            "UPDATE obligations SET done = $2 WHERE id = $1",
            &[&id, &done],
        )? == 0
        {
            unknown.push(id);
        }
    }
    if unknown.is_empty() {
        tx.commit()?;
    }
    Ok(unknown)
}

/// Moves the GIN index's pending entries into it and refreshes the planner's
/// statistics. Either may need the table's owner: without that right it is left to
/// autovacuum, not an error.
pub(crate) fn optimize(client: &mut Client) -> std::result::Result<(), postgres::Error> {
    for sql in [
        "SELECT gin_clean_pending_list('documents_fold'::regclass)",
        "ANALYZE documents",
    ] {
        match client.execute(sql, &[]) {
            Err(e) if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) => {}
            other => {
                other?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_settings_are_read_as_libpq_reads_them() {
        let (rest, mode, root) =
            split_tls("postgres://kho@db/vanban?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&connect_timeout=5")
                .unwrap();
        assert_eq!(rest, "postgres://kho@db/vanban?connect_timeout=5");
        assert_eq!(mode, SslMode::VerifyFull);
        assert_eq!(root.as_deref(), Some("/etc/ca.pem"));
        let (rest, mode, _) = split_tls("postgres://kho@db/vanban").unwrap();
        assert_eq!(
            (rest.as_str(), mode),
            ("postgres://kho@db/vanban", SslMode::Prefer)
        );
        let err = split_tls("postgres://db/x?sslmode=sometimes").unwrap_err();
        assert!(err.contains("sslmode=sometimes"), "{err}");
    }

    #[test]
    fn shared_sql_gets_dollar_parameters() {
        assert_eq!(
            dialect("SELECT a FROM t WHERE b = ?1 AND c LIKE ?12"),
            "SELECT a FROM t WHERE b = $1 AND c LIKE $12"
        );
    }

    #[test]
    fn the_index_reads_plain_words() {
        assert_eq!(
            plain_words("so 45-ct/tw, ngay 20/6"),
            "so 45 ct tw ngay 20 6"
        );
        assert_eq!(cut_words("aa bb cc", 5), "aa bb");
        assert_eq!(cut_words("aa bb cc", 4), "aa");
    }
}
