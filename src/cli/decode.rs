//! `vanban decode`: which encoding each input is in, how sure, and why.

use std::fmt::Write;

use serde::Serialize;

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
    /// Output format: table (tab-separated) or json (one object per line).
    #[arg(long, short = 'f', default_value = "table", value_parser = ["table", "json"])]
    format: String,
}

#[derive(Serialize)]
struct Line<'a> {
    path: String,
    encoding: &'a str,
    confidence: f32,
    clue: &'a str,
    chars: usize,
    diagnostics: &'a [vanban::Diagnostic],
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let started = std::time::Instant::now();
    let (paths, mut failed) = inputs::expand(&args.inputs);
    let expand_failed = failed;
    let encoding = args.inputs.encoding;
    let report = vanban::batch::run(paths, args.inputs.batch_options(), |path| {
        inputs::read_source(path, encoding)
    });
    let mut out = String::new();
    for outcome in &report.outcomes {
        let source = match &outcome.result {
            Ok(source) => source,
            Err(err) => {
                eprintln!("vanban: {err}");
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
        };
        if args.format == "json" {
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
