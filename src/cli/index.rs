//! `vanban index`: decode, normalise, extract and store documents in the archive.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use vanban::archive::{self, Entry};
use vanban::batch::{self, Options};
use vanban::extract;
use vanban::pipeline::{self, Input};

/// Add documents to the archive, skipping files that have not changed.
///
/// Every file is decoded (any encoding), normalised and extracted, then stored in its own
/// transaction: stopping a run loses nothing already stored, and running it again resumes
/// where it stopped. Unchanged files (same content hash) are skipped. The archive is a
/// SQLite file, or a PostgreSQL database that several `vanban index` runs, on any
/// machines, may fill at once: each file (by its canonical path) is stored once.
///
/// Examples:
///   vanban index luu-tru/                    # into ./vanban.db
///   vanban index --db kho.db chi-thi/ quyet-dinh/
///   vanban index --db postgres://vanthu@kho.tinh.vn/vanban /mnt/kho/2024/
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct Args {
    /// Files or folders (walked recursively).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    archive: super::inputs::ArchiveArg,
    /// Worker threads (0 = one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    jobs: usize,
    /// No progress bar (it is only drawn when stderr is a terminal).
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Also read named pipes, devices and sockets (still capped at 256 MiB).
    #[arg(long)]
    special_files: bool,
}

/// What a worker hands back for one file.
enum Indexed {
    Unchanged,
    New {
        key: PathBuf,
        hash: String,
        encoding: &'static str,
        text: String,
        record: Box<extract::Record>,
    },
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let started = Instant::now();
    let location = args.archive.location();
    let mut archive = archive::open(&location)?;
    let known: HashMap<Vec<u8>, String> = archive.hashes()?;
    let (mut paths, errors) = batch::collect_inputs(&args.paths);
    for err in &errors {
        super::report(err);
    }
    // The archive's own files (`vanban.db`, its `-wal`, `-shm` and `-journal`) are never
    // documents, even when the folder being indexed holds them.
    let own = location.file().map(archive_files).unwrap_or_default();
    paths.retain(|path| std::fs::canonicalize(path).map_or(true, |p| !own.contains(&p)));
    let read_options = pipeline::Options {
        limits: vanban::read::Limits {
            special_files: args.special_files,
            ..Default::default()
        },
        ..Default::default()
    };
    let (mut stored, mut unchanged, mut failed) = (0usize, 0usize, errors.len());
    let options = Options {
        jobs: args.jobs,
        progress: !args.quiet,
    };
    batch::stream(
        paths,
        options,
        |path| {
            // The key: the same file from any folder or spelling is one document.
            let key = std::fs::canonicalize(path).map_err(|source| vanban::Error::Io {
                path: path.to_path_buf(),
                source,
            })?;
            let loaded = pipeline::load(Input::File(path), &read_options)?;
            let hash = loaded.content_hash();
            if known.get(archive::path_key(&key)) == Some(&hash) {
                return Ok(Indexed::Unchanged);
            }
            let source = pipeline::decode(&loaded, &read_options)?;
            let document = pipeline::analyse(source, &key.to_string_lossy());
            Ok(Indexed::New {
                key,
                hash,
                encoding: document.encoding.name(),
                text: document.text.as_str().to_string(),
                record: Box::new(document.record),
            })
        },
        |outcome| match outcome.result {
            Ok(Indexed::Unchanged) => unchanged += 1,
            Ok(Indexed::New {
                key,
                hash,
                encoding,
                text,
                record,
            }) => {
                let entry = Entry {
                    path: &key,
                    hash: &hash,
                    encoding,
                    text: &text,
                    record: &record,
                };
                match archive.store(&entry) {
                    Ok(archive::Stored::Written) => stored += 1,
                    // Another run stored this very file meanwhile.
                    Ok(archive::Stored::AlreadyThere) => unchanged += 1,
                    Err(err) => {
                        say!(
                            "vanban: {}: {}",
                            outcome.path.display(),
                            super::with_causes(&err)
                        );
                        failed += 1;
                    }
                }
            }
            Err(err) => {
                super::report(&err);
                failed += 1;
            }
        },
    );
    if stored > 0 {
        archive
            .optimize()
            .context("failed to merge the full-text index")?;
    }
    let total = archive.count().context("failed to count the archive")?;
    say!(
        "indexed {stored}, unchanged {unchanged}, failed {failed} in {:.1} s; {} holds {total} documents",
        started.elapsed().as_secs_f64(),
        location.name()
    );
    Ok(super::inputs::exit_code(failed))
}

/// The archive file and the files SQLite keeps beside it, by canonical path. The archive
/// exists by now (it was just opened), so its folder can be resolved.
fn archive_files(db: &std::path::Path) -> Vec<PathBuf> {
    let Ok(db) = std::fs::canonicalize(db) else {
        return Vec::new();
    };
    let mut files = vec![db.clone()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = db.clone().into_os_string();
        name.push(suffix);
        files.push(PathBuf::from(name));
    }
    files
}
