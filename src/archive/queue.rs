//! The ingest queue, in PostgreSQL: many machines share one big ingest.
//!
//! `vanban queue add` records files (by canonical path on a shared mount, or their bytes);
//! any number of `vanban work` processes claim them one at a time (`FOR UPDATE SKIP
//! LOCKED`: two workers never claim one item), read and extract them, and store the
//! document and mark the item done in one transaction. A worker killed mid-file leaves
//! its claim to run out (`--lease`), and the item is claimed again; an item whose
//! third attempt fails (or whose third claim runs out) is `failed`, with its error.

use std::path::{Path, PathBuf};
use std::time::Duration;

use postgres::Client;

use super::{Archive, Backend, Entry, Rows, Stored};
use crate::pipeline::{self, Input};
use crate::{Error, Result};

/// How many times an item is tried before it is failed.
pub const MAX_ATTEMPTS: i64 = 3;

/// One claimed file.
#[derive(Debug, Clone)]
pub struct QueueItem {
    /// Its ID in the queue.
    pub id: i64,
    /// The file (its canonical path when added): the document's key.
    pub path: PathBuf,
    /// Its bytes, when they were uploaded with it.
    pub bytes: Option<Vec<u8>>,
    /// This is its `attempts`-th claim.
    pub attempts: i64,
}

/// The queue at a glance: `vanban queue status`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct QueueStatus {
    /// Waiting for a worker (never claimed, or a claim that ran out).
    pub waiting: u64,
    /// Claimed by a worker now.
    pub working: u64,
    /// Stored.
    pub done: u64,
    /// Failed three times.
    pub failed: u64,
    /// Files stored in the last minute, per second.
    pub rate_last_minute: f64,
    /// Files stored per second from the first claim to the last file stored.
    pub rate_overall: f64,
    /// The failed files (path, attempts, last error), at most 20, latest first.
    pub failures: Vec<(String, i64, String)>,
}

/// A worker's settings.
#[derive(Debug, Clone)]
pub struct Worker {
    /// The name claims carry (host and process ID by default).
    pub name: String,
    /// How long a claim holds before another worker may take the file.
    pub lease: Duration,
    /// How reading goes.
    pub read: pipeline::Options,
    /// Keep waiting for new files when the queue is empty, instead of returning.
    pub follow: bool,
}

/// What a worker did with one item.
#[derive(Debug)]
pub enum Worked {
    /// Stored (or found stored by another process with the same content).
    Stored(QueueItem, Stored),
    /// Failed this time; `failed` when it was the last attempt.
    Failed {
        /// The item.
        item: QueueItem,
        /// Why.
        error: Error,
        /// Whether it went to the failed list.
        failed: bool,
    },
}

fn client(archive: &mut Archive) -> Result<&mut Client> {
    let db = archive.location.name();
    match &mut archive.backend {
        Backend::Postgres(client) => Ok(client.get_mut()),
        Backend::Sqlite(_) => Err(Error::Database {
            db,
            what: "the ingest queue lives in PostgreSQL: give --db postgres://…".into(),
        }),
    }
}

/// The path a key names.
fn key_path(key: Vec<u8>) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(std::ffi::OsString::from_vec(key))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(&key).into_owned())
    }
}

impl Archive {
    /// Adds a file to the queue by its canonical path (and its bytes, when `bytes` is
    /// given: a worker then needs no access to the file). A file already queued is
    /// queued again from the start, unless it is waiting or being worked on.
    /// Returns whether anything changed.
    pub fn queue_add(&mut self, path: &Path, bytes: Option<&[u8]>) -> Result<bool> {
        let name = self.location.name();
        let pg = |cause| Error::Postgres {
            db: name.clone(),
            cause,
        };
        let key = super::path_key(path);
        let changed = client(self)?
            .execute(
                "INSERT INTO queue (key, path, bytes) VALUES ($1, $2, $3)
                 ON CONFLICT (key) DO UPDATE SET state = 'pending', attempts = 0,
                     error = NULL, claimed_by = NULL, claimed_until = NULL,
                     first_claimed = NULL, finished = NULL, bytes = excluded.bytes,
                     added = now()
                 WHERE queue.state <> 'pending'",
                &[&key, &path.to_string_lossy().as_ref(), &bytes],
            )
            .map_err(pg)?;
        Ok(changed > 0)
    }

    /// Claims the next waiting file for `lease`, or says whether files are still being
    /// worked on (`Ok(Err(true))`) or the queue is empty (`Ok(Err(false))`). Items whose
    /// last claim ran out on their last attempt are failed first.
    pub fn queue_claim(
        &mut self,
        worker: &str,
        lease: Duration,
    ) -> Result<std::result::Result<QueueItem, bool>> {
        let name = self.location.name();
        let pg = |cause| Error::Postgres {
            db: name.clone(),
            cause,
        };
        let client = client(self)?;
        client
            .execute(
                "UPDATE queue SET state = 'failed', finished = now(), claimed_until = NULL,
                     error = coalesce(error || '; ', '')
                         || 'the claim ran out on the last attempt (worker killed, or slower than --lease)'
                 WHERE state = 'pending' AND attempts >= $1 AND claimed_until < now()",
                &[&MAX_ATTEMPTS],
            )
            .map_err(pg)?;
        let claimed = client
            .query_opt(
                "UPDATE queue SET attempts = attempts + 1, claimed_by = $1,
                     claimed_until = now() + make_interval(secs => $2),
                     first_claimed = coalesce(first_claimed, now())
                 WHERE id = (SELECT id FROM queue
                             WHERE state = 'pending'
                               AND (claimed_until IS NULL OR claimed_until < now())
                             ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
                 RETURNING id, key, bytes, attempts",
                &[&worker, &lease.as_secs_f64()],
            )
            .map_err(pg)?;
        if let Some(row) = claimed {
            return Ok(Ok(QueueItem {
                id: row.get(0),
                path: key_path(row.get(1)),
                bytes: row.get(2),
                attempts: row.get(3),
            }));
        }
        let busy: bool = client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM queue WHERE state = 'pending')",
                &[],
            )
            .map_err(pg)?
            .get(0);
        Ok(Err(busy))
    }

    /// Records a failed attempt: back to waiting, or failed after the last attempt.
    /// Returns whether it is now failed.
    pub fn queue_fail(&mut self, id: i64, error: &str) -> Result<bool> {
        let name = self.location.name();
        let row = client(self)?
            .query_one(
                "UPDATE queue SET error = $2, claimed_by = NULL, claimed_until = NULL,
                     state = CASE WHEN attempts >= $3 THEN 'failed' ELSE 'pending' END,
                     finished = CASE WHEN attempts >= $3 THEN now() END
                 WHERE id = $1 RETURNING state = 'failed'",
                &[&id, &error, &MAX_ATTEMPTS],
            )
            .map_err(|cause| Error::Postgres { db: name, cause })?;
        Ok(row.get(0))
    }

    /// Stores a claimed file's document and marks the item done, in one transaction.
    pub fn store_queued(&mut self, entry: &Entry<'_>, id: i64) -> Result<Stored> {
        let rows = Rows::of(entry)?;
        let name = self.location.name();
        super::postgres::store(client(self)?, &rows, Some(id))
            .map_err(|cause| Error::Postgres { db: name, cause })
    }

    /// Counts, rates and the failed files.
    pub fn queue_status(&mut self) -> Result<QueueStatus> {
        let name = self.location.name();
        let pg = |cause| Error::Postgres {
            db: name.clone(),
            cause,
        };
        let client = client(self)?;
        let row = client
            .query_one(
                "SELECT
                     count(*) FILTER (WHERE state = 'pending'
                         AND (claimed_until IS NULL OR claimed_until < now())),
                     count(*) FILTER (WHERE state = 'pending' AND claimed_until >= now()),
                     count(*) FILTER (WHERE state = 'done'),
                     count(*) FILTER (WHERE state = 'failed'),
                     count(*) FILTER (WHERE state = 'done' AND finished > now() - interval '1 minute'),
                     coalesce(extract(epoch FROM max(finished) FILTER (WHERE state = 'done')
                                              - min(first_claimed))::float8, 0)
                 FROM queue",
                &[],
            )
            .map_err(pg)?;
        let count = |i: usize| row.get::<_, i64>(i).max(0) as u64;
        let done = count(2);
        let span: f64 = row.get(5);
        let failures = client
            .query(
                "SELECT path, attempts, coalesce(error, '') FROM queue WHERE state = 'failed'
                 ORDER BY finished DESC, id LIMIT 20",
                &[],
            )
            .map_err(pg)?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        Ok(QueueStatus {
            waiting: count(0),
            working: count(1),
            done,
            failed: count(3),
            rate_last_minute: count(4) as f64 / 60.0,
            rate_overall: if span > 0.0 { done as f64 / span } else { 0.0 },
            failures,
        })
    }
}

/// How long a worker waits before looking again while other workers hold every waiting
/// file (their claims may run out) or, with `follow`, while the queue is empty.
const POLL: Duration = Duration::from_millis(500);

/// Works the queue: claims, reads, extracts and stores file after file, calling
/// `report` after each, until no file is waiting or being worked on (or forever, with
/// `worker.follow`). A file that cannot be read or stored is recorded as a failed
/// attempt; only losing the database stops the worker.
pub fn work(
    archive: &mut Archive,
    worker: &Worker,
    mut report: impl FnMut(&Worked),
) -> Result<usize> {
    let mut handled = 0;
    loop {
        let item = match archive.queue_claim(&worker.name, worker.lease)? {
            Ok(item) => item,
            Err(busy) if busy || worker.follow => {
                std::thread::sleep(POLL);
                continue;
            }
            Err(_) => return Ok(handled),
        };
        let outcome = process(archive, &item, &worker.read);
        let worked = match outcome {
            Ok(stored) => Worked::Stored(item, stored),
            Err(error) => {
                let failed = archive.queue_fail(item.id, &error.to_string())?;
                Worked::Failed {
                    item,
                    error,
                    failed,
                }
            }
        };
        report(&worked);
        handled += 1;
    }
}

/// Reads, extracts and stores one claimed file.
fn process(archive: &mut Archive, item: &QueueItem, read: &pipeline::Options) -> Result<Stored> {
    let input = match &item.bytes {
        Some(bytes) => Input::Bytes {
            name: &item.path,
            bytes,
        },
        None => Input::File(&item.path),
    };
    let loaded = pipeline::load(input, read)?;
    let hash = loaded.content_hash();
    let source = pipeline::decode(&loaded, read)?;
    let document = pipeline::analyse(source, &item.path.to_string_lossy());
    let entry = Entry {
        path: &item.path,
        hash: &hash,
        encoding: document.encoding.name(),
        text: document.text.as_str(),
        record: &document.record,
    };
    archive.store_queued(&entry, item.id)
}
