//! `vanban migrate`: move an archive into PostgreSQL, counts checked.

use vanban::archive::{self, Location};

/// Move an archive into an empty PostgreSQL database, row for row.
///
/// Documents, citations, dates and obligations are copied with their IDs (obligation IDs
/// and done marks stay valid) and the full-text index is built; then the rows of each
/// table are counted on both sides, printed, and must agree. The source is only read.
///
/// Example:
///   vanban migrate --from vanban.db --to postgres://vanthu@kho.tinh.vn/vanban
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct Args {
    /// The archive to copy (a SQLite file, or a postgres:// URL).
    #[arg(long, value_name = "DB")]
    from: std::ffi::OsString,
    /// The empty PostgreSQL database to fill.
    #[arg(long, value_name = "DB")]
    to: std::ffi::OsString,
    /// No progress lines.
    #[arg(long, short = 'q')]
    quiet: bool,
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let started = std::time::Instant::now();
    let from = archive::open_read_only(&Location::parse(&args.from))?;
    let mut to = archive::open(&Location::parse(&args.to))?;
    let total = from.count()?;
    let (source, target) = archive::migrate(&from, &mut to, |copied| {
        if !args.quiet && (copied % 10_000 < 200 || copied == total) {
            say!("vanban: copied {copied} of {total} documents");
        }
    })?;
    put!("{:<12} {:>12} {:>12}", "table", "source", "target");
    for (table, a, b) in [
        ("documents", source.documents, target.documents),
        ("citations", source.citations, target.citations),
        ("dates", source.dates, target.dates),
        ("obligations", source.obligations, target.obligations),
        ("done", source.done, target.done),
    ] {
        put!("{table:<12} {a:>12} {b:>12}");
    }
    say!(
        "vanban: migrated {} documents from {} to {} in {:.1} s; counts agree",
        target.documents,
        from.location().name(),
        to.location().name(),
        started.elapsed().as_secs_f64()
    );
    Ok(super::EXIT_OK)
}
