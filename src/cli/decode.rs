//! `vanban decode`: which encoding each input is in, how sure, and why.

use std::fmt::Write;

use serde::Serialize;
use vanban::pipeline::{self, Input};

use super::inputs::{self, InputArgs};

/// Detect the encoding of each input and print it with a confidence and the clue used.
///
/// Prints one line per input: path, encoding, confidence (0-1), clue. Unmapped bytes are
/// counted (`--format json` lists them with their byte offsets).
///
/// Examples:
///   vanban decode cong-van-cu.txt
///   vanban decode --format json luu-tru/2004/
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct Args {
    #[command(flatten)]
    inputs: InputArgs,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// How `decode` prints its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Tab-separated: path, encoding, confidence, clue, unmapped bytes.
    Table,
    /// One JSON object per line, with the unmapped bytes and their offsets.
    Json,
}

#[derive(Serialize)]
struct Line<'a> {
    path: String,
    encoding: &'a str,
    confidence: f32,
    clue: &'a str,
    chars: usize,
    diagnostics: &'a [vanban::Diagnostic],
    /// A PDF's pages: how each page's text was got, and what was taken out of its body.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pages: &'a [vanban::read::PageInfo],
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let started = std::time::Instant::now();
    let (paths, mut failed) = inputs::expand(&args.inputs);
    let expand_failed = failed;
    let options = args.inputs.pipeline_options();
    let report = vanban::batch::run(paths, args.inputs.batch_options(), |path| {
        pipeline::read_source(Input::from_arg(path), &options)
    });
    let mut out = String::new();
    for outcome in &report.outcomes {
        let source = match &outcome.result {
            Ok(source) => source,
            Err(err) => {
                super::report(err);
                continue;
            }
        };
        let line = Line {
            path: outcome.path.display().to_string(),
            encoding: source.encoding.name(),
            confidence: source.confidence,
            clue: &source.clue,
            chars: source.text.chars().count(),
            diagnostics: &source.diagnostics,
            pages: &source.pages,
        };
        if args.format == Format::Json {
            out.push_str(&serde_json::to_string(&line)?);
            out.push('\n');
        } else {
            let _ = writeln!(
                out,
                "{}\t{}\t{:.2}\t{}\t{} unmapped",
                line.path,
                line.encoding,
                line.confidence,
                line.clue,
                source
                    .diagnostics
                    .iter()
                    .filter(|d| d.code == "unmapped-byte")
                    .count()
            );
        }
    }
    inputs::write_output(None, out.as_bytes())?;
    failed += report.failed();
    Ok(inputs::finish(
        "decoded",
        report.outcomes.len() + expand_failed,
        failed,
        started,
    ))
}
