//! `vanban migrate`: an archive moved into an empty PostgreSQL database, row for row.
//!
//! Documents keep their IDs and obligations their IDs and done marks (what `vanban
//! obligations --done ID` names stays valid); the full-text index is built from the
//! same folded fields `store` folds. Batches of documents are copied in one transaction
//! each; at the end the rows of each table are counted on both sides and must agree.

use serde::Serialize;

use super::{Archive, Backend, Value};
use crate::text::fold_key;
use crate::{Error, Result};

/// How many documents one transaction copies.
const BATCH: i64 = 200;

/// The rows of each table, on one side of a migration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Documents.
    pub documents: u64,
    /// Citations.
    pub citations: u64,
    /// Dates.
    pub dates: u64,
    /// Obligations.
    pub obligations: u64,
    /// Obligations marked done.
    pub done: u64,
}

/// Counts the rows of `archive`.
pub fn counts(archive: &Archive) -> Result<Counts> {
    let rows = archive.select(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM citations),
                (SELECT count(*) FROM dates), (SELECT count(*) FROM obligations),
                (SELECT count(*) FROM obligations WHERE done)",
        &[],
    )?;
    let n = |i| super::int(&rows, 0, i).max(0) as u64;
    Ok(Counts {
        documents: n(0),
        citations: n(1),
        dates: n(2),
        obligations: n(3),
        done: n(4),
    })
}

/// The columns copied from each table, in the order the target inserts them.
const DOCUMENT_COLUMNS: &str = "id, key, path, hash, encoding, number, number_key, kind, \
    kind_key, kind_name, standard, issuer, parent_issuer, place, date, title, text, record";
const CITATION_COLUMNS: &str =
    "document_id, position, number, number_key, kind, date, issuer_text, span_start, span_end";
const DATE_COLUMNS: &str = "document_id, position, value, grain, text, span_start, span_end";
const OBLIGATION_COLUMNS: &str =
    "id, document_id, position, actor, role, action, deadline, grain, recurring, done";

/// One batch read from the source.
pub(crate) struct Batch {
    pub(crate) documents: Vec<Vec<Value>>,
    /// The folded number, subject, issuer and text of each document.
    pub(crate) folds: Vec<[String; 4]>,
    pub(crate) citations: Vec<Vec<Value>>,
    pub(crate) dates: Vec<Vec<Value>>,
    pub(crate) obligations: Vec<Vec<Value>>,
}

/// Copies every row of `from` into `to`, an empty PostgreSQL archive, calling
/// `progress` with the documents copied so far; returns the counts of both sides,
/// which agree (or it is an error saying how they differ).
pub fn migrate(
    from: &Archive,
    to: &mut Archive,
    mut progress: impl FnMut(u64),
) -> Result<(Counts, Counts)> {
    let target = to.location.name();
    let refuse = |what: String| Error::Database {
        db: target.clone(),
        what,
    };
    if !to.is_postgres() {
        return Err(refuse(
            "vanban migrate writes into a PostgreSQL database: give --to postgres://…".into(),
        ));
    }
    let before = to.count()?;
    if before > 0 {
        return Err(refuse(format!(
            "holds {before} documents already; migrate fills an empty archive"
        )));
    }
    let source = counts(from)?;
    let mut last = 0i64;
    let mut copied = 0u64;
    loop {
        let documents = from.select(
            &format!(
                "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id > ?1 ORDER BY id LIMIT {BATCH}"
            ),
            &[Value::Integer(last)],
        )?;
        let Some(end) = documents.last().map(|row| match row.first() {
            Some(Value::Integer(id)) => *id,
            _ => last,
        }) else {
            break;
        };
        let range = [Value::Integer(last + 1), Value::Integer(end)];
        let children = |columns: &str, table: &str| {
            from.select(
                &format!(
                    "SELECT {columns} FROM {table} WHERE document_id BETWEEN ?1 AND ?2
                     ORDER BY document_id, position"
                ),
                &range,
            )
        };
        let folds = documents
            .iter()
            .map(|row| {
                let field = |i| fold_key(&super::text(row, i));
                [field(5), field(15), field(11), field(16)]
            })
            .collect();
        let batch = Batch {
            folds,
            citations: children(CITATION_COLUMNS, "citations")?,
            dates: children(DATE_COLUMNS, "dates")?,
            obligations: children(OBLIGATION_COLUMNS, "obligations")?,
            documents,
        };
        copied += batch.documents.len() as u64;
        if let Backend::Postgres(client) = &mut to.backend {
            super::postgres::import(client.get_mut(), &batch).map_err(|cause| Error::Postgres {
                db: target.clone(),
                cause,
            })?;
        }
        progress(copied);
        last = end;
    }
    if let Backend::Postgres(client) = &mut to.backend {
        super::postgres::after_import(client.get_mut()).map_err(|cause| Error::Postgres {
            db: target.clone(),
            cause,
        })?;
    }
    to.optimize()?;
    let target_counts = counts(to)?;
    if target_counts != source {
        return Err(refuse(format!(
            "the counts differ after copying: source {source:?}, target {target_counts:?}"
        )));
    }
    Ok((source, target_counts))
}
