//! `vanban normalize`: decoded, normalised UTF-8 text of each input.

use std::path::PathBuf;

use anyhow::Context;
use vanban::pipeline::{self, Input};
use vanban::text::{self, ToneStyle};

use super::inputs::{self, InputArgs};

/// Print each input as normalised UTF-8: NFC, Đ not Ð, LF line ends, plain spaces.
///
/// Legacy encodings (TCVN3, VNI, VISCII, Windows-1258) are detected and decoded first.
/// With several inputs, each is preceded by a line `==> path (encoding, confidence) <==`
/// (or written to its own file with --output-dir).
///
/// Examples:
///   vanban normalize qd-991-ubnd.doc > qd-991-ubnd.txt
///   vanban normalize --tone new chi-thi-45.txt     # hoà, thuỷ, Uỷ ban
///   vanban normalize --fold -o khoa/ luu-tru/       # "cong hoa xa hoi chu nghia viet nam"
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct Args {
    #[command(flatten)]
    inputs: InputArgs,
    /// Tone mark placement (misplaced marks such as "qủa" are repaired with old and new).
    #[arg(long, value_enum, default_value_t = Tone::Keep)]
    tone: Tone,
    /// Print the accent-free search key instead ("Quyết định" → "quyet dinh").
    #[arg(long)]
    fold: bool,
    /// Write each input to DIR/<name>.txt (atomically) instead of standard output. Inputs
    /// with the same name get `<name>-2.txt`…, and no input is ever written over.
    #[arg(long = "output-dir", short = 'o', value_name = "DIR")]
    output_dir: Option<PathBuf>,
}

/// Where tone marks go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Tone {
    /// As written.
    Keep,
    /// "hòa", "thủy", "Ủy".
    Old,
    /// "hoà", "thuỷ", "Uỷ".
    New,
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let started = std::time::Instant::now();
    let style = match args.tone {
        Tone::Old => ToneStyle::Old,
        Tone::New => ToneStyle::New,
        Tone::Keep => ToneStyle::Keep,
    };
    let (paths, mut failed) = inputs::expand(&args.inputs);
    let expand_failed = failed;
    let targets = match &args.output_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("failed to create {}", dir.display()))?;
            vanban::batch::output_paths(&paths, dir, "txt")
        }
        None => Vec::new(),
    };
    let options = args.inputs.pipeline_options();
    let several = paths.len() > 1;
    let report = vanban::batch::run(paths, args.inputs.batch_options(), |path| {
        let source = pipeline::read_source(Input::from_arg(path), &options)?;
        let normalized = text::normalize(&source.text);
        let mut out = match style {
            ToneStyle::Keep => normalized.as_str().to_string(),
            style => text::place_tones(normalized.as_str(), style),
        };
        if args.fold {
            out = text::fold_key(&out);
        }
        Ok((out, source.encoding, source.confidence))
    });
    let mut stdout = String::new();
    for (k, outcome) in report.outcomes.iter().enumerate() {
        let (out, encoding, confidence) = match &outcome.result {
            Ok(found) => found,
            Err(err) => {
                super::report(err);
                continue;
            }
        };
        if let Some(target) = targets.get(k) {
            if let Err(err) = inputs::write_output(Some(target), out.as_bytes()) {
                say!("vanban: {err:#}");
                failed += 1;
            }
            continue;
        }
        if several {
            stdout.push_str(&format!(
                "==> {} ({encoding}, confidence {confidence:.2}) <==\n",
                outcome.path.display()
            ));
        }
        stdout.push_str(out);
        if several && !out.ends_with('\n') {
            stdout.push('\n');
        }
    }
    inputs::write_output(None, stdout.as_bytes())?;
    failed += report.failed();
    Ok(inputs::finish(
        "normalized",
        report.outcomes.len() + expand_failed,
        failed,
        started,
    ))
}
