//! Batches: one function over many inputs, in parallel, outcomes kept in input order.
//!
//! The only module that knows threads. Each worker runs the whole job for one input; one
//! failed input is reported and the batch goes on.

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::{Error, Result};

/// What happened to one input of a batch.
#[derive(Debug)]
pub struct Outcome<T> {
    /// The input.
    pub path: PathBuf,
    /// Its result.
    pub result: Result<T>,
}

/// Per-item outcomes of a batch, in input order.
#[derive(Debug)]
pub struct Report<T> {
    /// One outcome per input, in the order given.
    pub outcomes: Vec<Outcome<T>>,
}

impl<T> Report<T> {
    /// How many inputs failed.
    pub fn failed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.result.is_err()).count()
    }
}

/// Runs `job` on every input on `jobs` threads (0 = one per core) and returns the outcomes
/// in input order. A panic in `job` is not caught: jobs are pure and do not panic.
pub fn run<T, F>(inputs: Vec<PathBuf>, jobs: usize, job: F) -> Report<T>
where
    T: Send,
    F: Fn(&Path) -> Result<T> + Sync,
{
    let work = || {
        inputs
            .into_par_iter()
            .map(|path| {
                let result = job(&path);
                Outcome { path, result }
            })
            .collect()
    };
    let outcomes = match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    };
    Report { outcomes }
}

/// How a streamed batch runs.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Worker threads (0 = one per core).
    pub jobs: usize,
    /// Draw a progress bar (count, rate, ETA) on stderr; only drawn when it is a terminal.
    pub progress: bool,
}

/// Runs `job` on every input on `jobs` threads and hands each outcome to `sink` on the
/// calling thread, in input order, as soon as its chunk is done. Memory stays flat however
/// many inputs there are, and `sink` can store each result in its own transaction.
pub fn stream<T, F, S>(inputs: Vec<PathBuf>, options: Options, job: F, mut sink: S)
where
    T: Send,
    F: Fn(&Path) -> Result<T> + Sync,
    S: FnMut(Outcome<T>),
{
    use std::io::IsTerminal;
    let bar = if options.progress && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(inputs.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} files, {per_sec}, ETA {eta} {msg}",
        ) {
            bar.set_style(style);
        }
        Some(bar)
    } else {
        None
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build()
        .ok();
    let threads = pool.as_ref().map_or(1, |p| p.current_num_threads());
    let chunk = (threads * 32).max(32);
    let mut inputs = inputs.into_iter().peekable();
    while inputs.peek().is_some() {
        let batch: Vec<PathBuf> = inputs.by_ref().take(chunk).collect();
        let work = || {
            batch
                .into_par_iter()
                .map(|path| {
                    let result = job(&path);
                    Outcome { path, result }
                })
                .collect::<Vec<_>>()
        };
        let outcomes = match &pool {
            Some(pool) => pool.install(work),
            None => work(),
        };
        for outcome in outcomes {
            sink(outcome);
            if let Some(bar) = &bar {
                bar.inc(1);
            }
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}

/// Lists the files under `paths` (files as given, folders walked recursively in name
/// order, hidden entries skipped). A path that cannot be read is an error outcome.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Error>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        walk(path, true, &mut files, &mut errors);
    }
    (files, errors)
}

fn walk(path: &Path, top: bool, files: &mut Vec<PathBuf>, errors: &mut Vec<Error>) {
    let io_error = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let hidden = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'));
    if hidden && !top {
        return;
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            let entries = match std::fs::read_dir(path) {
                Ok(entries) => entries,
                Err(e) => return errors.push(io_error(e)),
            };
            let mut children: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            children.sort();
            for child in children {
                walk(&child, false, files, errors);
            }
        }
        Ok(_) => files.push(path.to_path_buf()),
        Err(e) => errors.push(io_error(e)),
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, synced, then
/// renamed over the target. An interrupted write leaves no half-written `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io_error = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io_error(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_keep_input_order_and_failures_do_not_stop_the_batch() {
        let inputs: Vec<PathBuf> = (0..50).map(|i| PathBuf::from(format!("{i}"))).collect();
        let report = run(inputs, 2, |p| {
            let n: usize = p.to_str().and_then(|s| s.parse().ok()).unwrap_or(0);
            if n % 7 == 3 {
                Err(Error::Unsupported {
                    path: p.to_path_buf(),
                    what: "test".into(),
                })
            } else {
                Ok(n * 2)
            }
        });
        assert_eq!(report.outcomes.len(), 50);
        assert_eq!(report.failed(), 7);
        for (i, outcome) in report.outcomes.iter().enumerate() {
            assert_eq!(outcome.path, PathBuf::from(format!("{i}")));
            if i % 7 != 3 {
                assert_eq!(*outcome.result.as_ref().unwrap(), i * 2);
            }
        }
    }
}
