//! `vanban score`: extraction accuracy against hand labels.

use std::path::{Path, PathBuf};

use anyhow::Context;
use vanban::extract;
use vanban::extract::score::{self, Label};
use vanban::pipeline::{self, Input};

/// Score extraction (or, with --obligations, obligations) against hand labels.
///
/// Per-field accuracy of the document's identity, precision / recall / F1 of citations
/// (by number, and number + date) and of dates.
///
/// Each `LABELS/<id>.json` is compared with the extraction of `TEXTS/<id>.txt`.
///
/// Examples:
///   vanban score
///   vanban score --verbose --labels my-labels/ --texts my-texts/
///   vanban score --obligations
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
    /// Score obligations instead, against `LABELS` = fixtures/corpus/obligations by default:
    /// precision, recall, F1 and deadline accuracy per file and in total.
    #[arg(long)]
    obligations: bool,
}

/// One obligations label file.
#[derive(serde::Deserialize)]
struct ObligationLabels {
    id: String,
    obligations: Vec<vanban::extract::obligations::GoldObligation>,
}

fn score_obligations(labels: &Path, texts: &Path) -> anyhow::Result<u8> {
    use vanban::extract::obligations::{Counts, score};
    let entries = label_files(labels)?;
    let mut total = Counts::default();
    let mut failed = 0;
    put!(
        "{:<40} {:>5} {:>5} {:>5} {:>6} {:>9}",
        "file",
        "gold",
        "pred",
        "match",
        "F1",
        "deadline"
    );
    for path in entries {
        let scored = (|| -> anyhow::Result<(String, Counts)> {
            let json = std::fs::read_to_string(&path)
                .with_context(|| format!("failed to read {}", path.display()))?;
            let label: ObligationLabels = serde_json::from_str(&json)
                .with_context(|| format!("failed to parse {}", path.display()))?;
            let record = extract_text(texts, &label.id)?;
            Ok((label.id, score(&record.obligations, &label.obligations)))
        })();
        match scored {
            Ok((id, counts)) => {
                put!(
                    "{:<40} {:>5} {:>5} {:>5} {:>6.3} {:>4}/{:<4}",
                    id,
                    counts.gold,
                    counts.predicted,
                    counts.matched,
                    counts.f1(),
                    counts.deadline_gold_set_equal,
                    counts.deadline_gold_set
                );
                total += counts;
            }
            Err(err) => {
                say!("vanban: {err:#}");
                failed += 1;
            }
        }
    }
    put!(
        "obligations  P {:.3} R {:.3} F1 {:.3} (gold {}, predicted {}, matched {})",
        total.precision(),
        total.recall(),
        total.f1(),
        total.gold,
        total.predicted,
        total.matched
    );
    put!(
        "deadlines    {:.3} on matched pairs with a labelled deadline ({}/{}); {:.3} on all matched pairs",
        total.deadline_accuracy_set(),
        total.deadline_gold_set_equal,
        total.deadline_gold_set,
        total.deadline_accuracy()
    );
    Ok(super::inputs::exit_code(failed))
}

/// The label files (`*.json`) in `dir`, in name order.
fn label_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("failed to read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    entries.sort();
    Ok(entries)
}

/// The record of the text `ID.txt` in `texts`, read through the pipeline.
fn extract_text(texts: &Path, id: &str) -> anyhow::Result<extract::Record> {
    let path = texts.join(format!("{id}.txt"));
    let document = pipeline::read_document(Input::File(&path), &pipeline::Options::default())?;
    Ok(document.record)
}

/// Reads the labels in `labels` and extracts their texts from `texts`.
pub(crate) fn load(
    labels: &Path,
    texts: &Path,
) -> anyhow::Result<(Vec<(Label, extract::Record)>, usize)> {
    let entries = label_files(labels)?;
    let mut pairs = Vec::new();
    let mut failed = 0;
    for path in entries {
        let loaded = (|| -> anyhow::Result<(Label, extract::Record)> {
            let json = std::fs::read_to_string(&path)
                .with_context(|| format!("failed to read {}", path.display()))?;
            let label: Label = serde_json::from_str(&json)
                .with_context(|| format!("failed to parse {}", path.display()))?;
            let record = extract_text(texts, &label.id)?;
            Ok((label, record))
        })();
        match loaded {
            Ok(pair) => pairs.push(pair),
            Err(err) => {
                say!("vanban: {err:#}");
                failed += 1;
            }
        }
    }
    Ok((pairs, failed))
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    if args.obligations {
        let labels = if args.labels == Path::new("fixtures/corpus/labels") {
            PathBuf::from("fixtures/corpus/obligations")
        } else {
            args.labels
        };
        return score_obligations(&labels, &args.texts);
    }
    let (pairs, failed) = load(&args.labels, &args.texts)?;
    let scores = score::score(&pairs);
    super::inputs::write_output(None, scores.report(args.verbose).as_bytes())?;
    Ok(super::inputs::exit_code(failed))
}
