//! `vanban work`: index the files of the PostgreSQL ingest queue, on any number of machines.

use std::time::{Duration, Instant};

use vanban::archive::{self, Worked};

/// Index the files `vanban queue add` recorded, alongside any number of other workers.
///
/// Claims one waiting file at a time (no two workers get the same one), reads and
/// extracts it, and stores its document and marks it done in one transaction. A worker
/// killed mid-file leaves its claim to run out after --lease seconds; another worker then
/// takes the file again. A file that fails three times goes to the failed list (`vanban
/// queue status`). Stops when no file is waiting or being worked on, unless --follow.
///
/// Examples:
///   vanban work --db postgres://vanthu@kho/vanban
///   VANBAN_DB=postgres://vanthu@kho/vanban vanban work --follow --lease 900
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct Args {
    /// Seconds a claim holds: longer than the slowest file takes (OCR of a long scan).
    #[arg(long, default_value_t = 600.0, value_name = "SECONDS")]
    lease: f64,
    /// Keep waiting for new files when the queue is empty.
    #[arg(long)]
    follow: bool,
    /// The name this worker's claims carry (default: host name and process ID).
    #[arg(long)]
    name: Option<String>,
    /// Print nothing per file.
    #[arg(long, short = 'q')]
    quiet: bool,
    #[command(flatten)]
    archive: super::inputs::ArchiveArg,
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    anyhow::ensure!(
        args.lease.is_finite() && args.lease > 0.0,
        "--lease {}: expected a number of seconds above 0",
        args.lease
    );
    let started = Instant::now();
    let mut archive = archive::open(&args.archive.location())?;
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "vanban".into());
    let worker = archive::Worker {
        name: args
            .name
            .unwrap_or_else(|| format!("{host}:{}", std::process::id())),
        lease: Duration::from_secs_f64(args.lease),
        read: Default::default(),
        follow: args.follow,
    };
    let (mut stored, mut retried, mut failed) = (0usize, 0usize, 0usize);
    archive::work(&mut archive, &worker, |worked| match worked {
        Worked::Stored(item, _) => {
            stored += 1;
            if !args.quiet {
                say!("stored {}", item.path.display());
            }
        }
        Worked::Failed {
            item,
            error,
            failed: last,
        } => {
            let what = if *last { "failed" } else { "will retry" };
            if *last {
                failed += 1;
            } else {
                retried += 1;
            }
            say!(
                "vanban: {}: {} (attempt {}, {what})",
                item.path.display(),
                super::with_causes(error),
                item.attempts
            );
        }
    })?;
    say!(
        "vanban: worker {} stored {stored}, retried {retried}, failed {failed} in {:.1} s",
        worker.name,
        started.elapsed().as_secs_f64()
    );
    Ok(super::inputs::exit_code(failed))
}
