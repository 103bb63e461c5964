//! `vanban queue`: files waiting for the `vanban work` processes, in PostgreSQL.

use std::path::PathBuf;

use anyhow::Context;

/// Record files for `vanban work` to index, or show how the ingest goes.
///
/// The queue lives in the PostgreSQL archive. `add` records each file by its canonical
/// path (a path every worker can read: a shared mount, the same on every machine), or
/// with --upload its bytes too (workers then need no access to it). A file already done
/// or failed is queued again. `status` shows how many files wait, are being worked on,
/// are done and failed (with their errors), and the rate.
///
/// Examples:
///   vanban queue add --db postgres://vanthu@kho/vanban /mnt/kho/den/2024/
///   vanban queue status --db postgres://vanthu@kho/vanban
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Queue files or folders (walked recursively).
    Add {
        /// Files or folders.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Store each file's bytes in the queue too.
        #[arg(long)]
        upload: bool,
        #[command(flatten)]
        archive: super::inputs::ArchiveArg,
    },
    /// Counts, rate and failed files.
    Status {
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        archive: super::inputs::ArchiveArg,
    },
}

/// How `queue status` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Lines for people.
    Table,
    /// One JSON object.
    Json,
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    match args.action {
        Action::Add {
            paths,
            upload,
            archive,
        } => {
            let mut archive = vanban::archive::open(&archive.location())?;
            let (files, errors) = vanban::batch::collect_inputs(&paths);
            for err in &errors {
                super::report(err);
            }
            let (mut added, mut already) = (0usize, 0usize);
            let mut failed = errors.len();
            for file in files {
                let canonical = match std::fs::canonicalize(&file) {
                    Ok(path) => path,
                    Err(err) => {
                        say!("vanban: {}: {err}", file.display());
                        failed += 1;
                        continue;
                    }
                };
                let bytes = if upload {
                    Some(
                        std::fs::read(&canonical)
                            .with_context(|| format!("failed to read {}", file.display()))?,
                    )
                } else {
                    None
                };
                if archive.queue_add(&canonical, bytes.as_deref())? {
                    added += 1;
                } else {
                    already += 1;
                }
            }
            say!(
                "vanban: queued {added}, already waiting {already}, failed {failed} in {}",
                archive.location().name()
            );
            Ok(super::inputs::exit_code(failed))
        }
        Action::Status { format, archive } => {
            let mut archive = archive.open_read_only()?;
            let status = archive.queue_status()?;
            if format == Format::Json {
                put!("{}", serde_json::to_string(&status)?);
            } else {
                put!(
                    "waiting {}, working {}, done {}, failed {}",
                    status.waiting,
                    status.working,
                    status.done,
                    status.failed
                );
                put!(
                    "rate: {:.1} files/s over the last minute, {:.1} files/s overall",
                    status.rate_last_minute,
                    status.rate_overall
                );
                for (path, attempts, error) in &status.failures {
                    put!("failed after {attempts} attempts: {path}: {error}");
                }
            }
            Ok(super::EXIT_OK)
        }
    }
}
