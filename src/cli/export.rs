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
    /// Output: jsonl (one record per line) or csv (one row per document).
    #[arg(long, short = 'f', default_value = "jsonl", value_parser = ["jsonl", "csv"])]
    format: String,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    #[command(flatten)]
    archive: super::inputs::ArchiveArg,
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let archive = vanban::archive::open_read_only(&args.archive.db)?;
    let records = archive.records()?;
    let bytes = if args.format == "csv" {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record([
            "path", "encoding", "number", "kind", "date", "place", "issuer", "title",
        ])?;
        for (path, json) in &records {
            let value: serde_json::Value = serde_json::from_str(json)?;
            let field = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
            let doc = &value["document"];
            writer.write_record([
                path.clone(),
                field(&value["encoding"]),
                field(&doc["number"]),
                field(&doc["kind"]),
                field(&doc["date"]),
                field(&doc["place"]),
                field(&doc["issuer"]),
                field(&doc["title"]),
            ])?;
        }
        writer.into_inner()?
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
