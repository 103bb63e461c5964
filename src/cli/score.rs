//! `vanban score`: extraction accuracy against hand labels.

use std::path::{Path, PathBuf};

use anyhow::Context;
use vanban::extract::score::{self, Label};
use vanban::{extract, read, text};

/// Score extraction against hand labels: per-field accuracy of the document's identity,
/// precision / recall / F1 of citations (by number, and number + date) and of dates.
///
/// Each `LABELS/<id>.json` is compared with the extraction of `TEXTS/<id>.txt`.
///
/// Examples:
///   vanban score
///   vanban score --verbose --labels my-labels/ --texts my-texts/
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct Args {
    /// Folder of label files.
    #[arg(long, default_value = "fixtures/corpus/labels", value_name = "DIR")]
    labels: PathBuf,
    /// Folder of the labelled texts.
    #[arg(long, default_value = "fixtures/corpus/texts", value_name = "DIR")]
    texts: PathBuf,
    /// Also list every miss, per file.
    #[arg(long, short = 'v')]
    verbose: bool,
}

/// Reads the labels in `labels` and extracts their texts from `texts`.
pub(crate) fn load(
    labels: &Path,
    texts: &Path,
) -> anyhow::Result<(Vec<(Label, extract::Record)>, usize)> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(labels)
        .with_context(|| format!("failed to read {}", labels.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    entries.sort();
    let mut pairs = Vec::new();
    let mut failed = 0;
    for path in entries {
        let loaded = (|| -> anyhow::Result<(Label, extract::Record)> {
            let json = std::fs::read_to_string(&path)
                .with_context(|| format!("failed to read {}", path.display()))?;
            let label: Label = serde_json::from_str(&json)
                .with_context(|| format!("failed to parse {}", path.display()))?;
            let text_path = texts.join(format!("{}.txt", label.id));
            let source = read::read_file(&text_path, None)?;
            let record = extract::extract(&text::normalize(&source.text));
            Ok((label, record))
        })();
        match loaded {
            Ok(pair) => pairs.push(pair),
            Err(err) => {
                eprintln!("vanban: {err:#}");
                failed += 1;
            }
        }
    }
    Ok((pairs, failed))
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let (pairs, failed) = load(&args.labels, &args.texts)?;
    let scores = score::score(&pairs);
    print!("{}", scores.report(args.verbose));
    Ok(super::inputs::exit_code(failed))
}
