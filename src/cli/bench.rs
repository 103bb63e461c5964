//! `vanban bench`: throughput of each stage on the corpus, against a baseline in the same run.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use unicode_normalization::UnicodeNormalization;
use vanban::decode::{self, Encoding};
use vanban::text;

/// Measure single-core throughput (MB/s) of detection + decoding and normalisation over a
/// corpus of texts, next to a baseline measured in the same run.
///
/// Build with --release for meaningful figures. Each stage is repeated for at least
/// --seconds; the best of three rounds is printed.
///
/// Example:
///   cargo run --release -- bench fixtures/corpus/texts
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Folder of UTF-8 .txt files to measure on.
    #[arg(default_value = "fixtures/corpus/texts")]
    corpus: PathBuf,
    /// Minimum time per round, in seconds.
    #[arg(long, default_value_t = 0.5)]
    seconds: f64,
}

/// One measured stage.
struct Stage {
    name: &'static str,
    bytes: usize,
    best: Duration,
}

impl Stage {
    fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.best.as_secs_f64()
    }
}

fn measure(
    name: &'static str,
    seconds: f64,
    inputs: &[Vec<u8>],
    mut f: impl FnMut(&[u8]),
) -> Stage {
    let bytes: usize = inputs.iter().map(Vec::len).sum();
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        let mut rounds = 0u32;
        while start.elapsed().as_secs_f64() < seconds || rounds == 0 {
            for input in inputs {
                f(input);
            }
            rounds += 1;
        }
        best = best.min(start.elapsed() / rounds);
    }
    Stage { name, bytes, best }
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let (paths, errors) = vanban::batch::collect_inputs(std::slice::from_ref(&args.corpus));
    if let Some(err) = errors.first() {
        anyhow::bail!("{err}");
    }
    let mut texts = Vec::new();
    for path in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
    {
        let bytes =
            std::fs::read(path).with_context(|| format!("failed to read {}", path.display()))?;
        texts.push(String::from_utf8_lossy(&bytes).nfc().collect::<String>());
    }
    anyhow::ensure!(
        !texts.is_empty(),
        "no .txt files in {}",
        args.corpus.display()
    );
    let utf8: Vec<Vec<u8>> = texts.iter().map(|t| t.as_bytes().to_vec()).collect();
    let tcvn3: Vec<Vec<u8>> = texts
        .iter()
        .filter_map(|t| decode::encode(&t.to_lowercase(), Encoding::Tcvn3).ok())
        .collect();
    let vni: Vec<Vec<u8>> = texts
        .iter()
        .filter_map(|t| decode::encode(t, Encoding::Vni).ok())
        .collect();
    let s = args.seconds;
    let as_str = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let strings: Vec<String> = utf8.iter().map(|b| as_str(b)).collect();
    let mut next = 0usize;
    let mut nth = || {
        next = (next + 1) % strings.len();
        &strings[next]
    };
    let stages = [
        (
            measure("baseline: NFC via unicode-normalization", s, &utf8, |_| {
                black_box(nth().nfc().collect::<String>());
            }),
            measure("normalize (text::normalize)", s, &utf8, |_| {
                black_box(text::normalize(nth()));
            }),
        ),
        (
            measure(
                "baseline: decode as windows-1252 (encoding_rs)",
                s,
                &tcvn3,
                |b| {
                    black_box(encoding_rs::WINDOWS_1252.decode(b));
                },
            ),
            measure("detect + decode TCVN3 (decode::decode)", s, &tcvn3, |b| {
                black_box(decode::decode(b, None));
            }),
        ),
        (
            measure(
                "baseline: decode as windows-1252 (encoding_rs)",
                s,
                &vni,
                |b| {
                    black_box(encoding_rs::WINDOWS_1252.decode(b));
                },
            ),
            measure("detect + decode VNI (decode::decode)", s, &vni, |b| {
                black_box(decode::decode(b, None));
            }),
        ),
    ];
    println!(
        "corpus: {} ({} files), one core, best of 3 rounds",
        args.corpus.display(),
        texts.len()
    );
    println!("{:<50} {:>10} {:>10}", "stage", "MB/s", "ratio");
    for (baseline, stage) in &stages {
        println!(
            "{:<50} {:>10.1} {:>10}",
            baseline.name,
            baseline.mb_per_s(),
            "1.00"
        );
        println!(
            "{:<50} {:>10.1} {:>10.2}",
            stage.name,
            stage.mb_per_s(),
            stage.mb_per_s() / baseline.mb_per_s()
        );
    }
    Ok(super::EXIT_OK)
}
