//! `vanban export`: every archived record, as JSON Lines or CSV.

use std::path::PathBuf;

/// Export every archived record as JSON Lines or CSV.
///
/// Writes every archived document's record (the `vanban extract` schema) to standard
/// output or a file.
///
/// Examples:
///   vanban export > kho.jsonl
///   vanban export --format csv -o kho.csv
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct Args {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    #[command(flatten)]
    sheet: super::sheet::SheetArgs,
    #[command(flatten)]
    archive: super::inputs::ArchiveArg,
}

/// How `export` writes the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// One record per line, as `vanban extract` writes it.
    Jsonl,
    /// One row per document (the columns of `extract -f csv`), signer and recipients
    /// included.
    Csv,
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let archive = args.archive.open_read_only()?;
    let records = archive.records()?;
    let bytes = if args.format == Format::Csv {
        let rows = records
            .iter()
            .map(|(_, json)| serde_json::from_str(json).map(|v| super::sheet::document_row(&v)))
            .collect::<Result<Vec<_>, _>>()?;
        super::sheet::csv_bytes(
            &super::sheet::DOCUMENT_COLUMNS,
            rows,
            &args.sheet,
            args.output.as_deref(),
        )?
    } else {
        let mut out = String::new();
        for (_, json) in &records {
            out.push_str(json);
            out.push('\n');
        }
        out.into_bytes()
    };
    super::inputs::write_output(args.output.as_deref(), &bytes)?;
    Ok(super::EXIT_OK)
}
