//! `vanban cites`: the citation graph around one document number.

use std::fmt::Write;

use vanban::archive;

/// What a document cites and what cites it, following citations --depth levels.
///
/// Party numbers repeat across terms (45-CT/TW of 2020 is not that of 1999): a citation
/// links to an archived document only when the dates agree (or one is missing).
///
/// Examples:
///   vanban cites 45-CT/TW
///   vanban cites 991/QĐ-UBND --depth 3 --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct Args {
    /// The document number and symbol.
    number: String,
    /// How many levels to follow (1 = direct citations only).
    #[arg(long, default_value_t = 1)]
    depth: u32,
    /// Output: table or json.
    #[arg(long, short = 'f', default_value = "table", value_parser = ["table", "json"])]
    format: String,
    #[command(flatten)]
    archive: super::inputs::ArchiveArg,
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let archive = args.archive.open_read_only()?;
    let graph = archive::cites(&archive, &args.number, args.depth.max(1))?;
    let mut out = String::new();
    if args.format == "json" {
        out = serde_json::to_string_pretty(&graph)? + "\n";
    } else {
        let _ = writeln!(
            out,
            "{}: {} archived document(s)",
            graph.number,
            graph.documents.len()
        );
        for (path, date) in &graph.documents {
            let _ = writeln!(out, "  {path} ({})", date.as_deref().unwrap_or("no date"));
        }
        let _ = writeln!(out, "cites:");
        for e in &graph.cites {
            let mark = if e.archived { "" } else { "  (not archived)" };
            let date = e
                .date
                .as_deref()
                .map(|d| format!(" of {d}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}{} → {}{date}{mark}",
                "  ".repeat(e.depth as usize - 1),
                e.from,
                e.to
            );
        }
        let _ = writeln!(out, "cited by:");
        for e in &graph.cited_by {
            let _ = writeln!(
                out,
                "  {}{} ← {}",
                "  ".repeat(e.depth as usize - 1),
                e.to,
                e.from
            );
        }
    }
    super::inputs::write_output(None, out.as_bytes())?;
    Ok(super::EXIT_OK)
}
