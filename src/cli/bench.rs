//! `vanban bench`: throughput of each stage on the corpus, against a baseline in the same run.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use unicode_normalization::UnicodeNormalization;
use vanban::decode::{self, Encoding};
use vanban::text;

/// Measure throughput of each stage against a baseline in the same run.
///
/// Single-core MB/s of detection + decoding, normalisation and extraction over a corpus,
/// next to a baseline measured in the same run.
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
    /// Folder of legacy .doc/.rtf files to measure the Word/RTF readers on.
    #[arg(long, default_value = "fixtures/corpus/legacy", value_name = "DIR")]
    legacy: PathBuf,
    /// Also measure search latency (p50, p95) on this archive (a SQLite file or a
    /// postgres:// URL), against a LIKE scan, and print each query's first hit.
    #[arg(long, value_name = "DB")]
    db: Option<std::ffi::OsString>,
}

/// Queries the search benchmark runs: words with and without diacritics, numbers, filters.
const SEARCH_QUERIES: &[(&str, Option<&str>)] = &[
    ("chi thi 45", None),
    ("Quyết định Ủy ban nhân dân", None),
    ("bau cu dai bieu quoc hoi", None),
    ("ke hoach", Some("KH")),
    ("nghi dinh chinh phu", None),
    ("thong tu bo tai chinh", None),
    ("phong chay chua chay", None),
    ("ngân sách nhà nước", None),
    ("991/QĐ-UBND", None),
    ("rung", Some("QĐ")),
];

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e3)
}

fn bench_search(db: &std::ffi::OsStr) -> anyhow::Result<()> {
    use vanban::archive::{self, Location, Query};
    let location = Location::parse(db);
    let archive = archive::open(&location)?;
    archive.map_for_search()?;
    let documents = archive.count()?;
    let mut indexed = Vec::new();
    let mut scanned = Vec::new();
    let mut first_hits = Vec::new();
    for round in 0..5 {
        for &(text, kind) in SEARCH_QUERIES {
            let query = Query {
                text: text.into(),
                kind: kind.map(str::to_string),
                limit: 20,
                ..Query::default()
            };
            let start = Instant::now();
            let hits = black_box(archive::search(&archive, &query)?);
            indexed.push(start.elapsed());
            if round == 0 {
                first_hits.push((text, hits.first().map(|h| h.path.clone())));
                // The scan reads every text: once per query is enough to compare.
                let start = Instant::now();
                black_box(archive.like_scan_count(text)?);
                scanned.push(start.elapsed());
            }
        }
    }
    indexed.sort();
    scanned.sort();
    put!(
        "search over {documents} documents in {} ({} queries)",
        location.name(),
        indexed.len()
    );
    put!("{:<50} {:>10} {:>10}", "stage", "p50 ms", "p95 ms");
    put!(
        "{:<50} {:>10.2} {:>10.2}",
        "baseline: LIKE scan of the text",
        percentile(&scanned, 0.5),
        percentile(&scanned, 0.95)
    );
    put!(
        "{:<50} {:>10.2} {:>10.2}",
        "search (full text over fold keys, top 20 + snippets)",
        percentile(&indexed, 0.5),
        percentile(&indexed, 0.95)
    );
    for (query, hit) in first_hits {
        put!(
            "first hit: {query:<30} {}",
            hit.as_deref().unwrap_or("(none)")
        );
    }
    Ok(())
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
    let date_regex = regex::Regex::new(r"\b\d{1,2}[/-]\d{1,2}[/-]\d{4}\b")?;
    let (legacy_paths, _) = vanban::batch::collect_inputs(std::slice::from_ref(&args.legacy));
    let mut legacy = Vec::new();
    for path in legacy_paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "doc" || e == "rtf"))
    {
        legacy.push(
            std::fs::read(path).with_context(|| format!("failed to read {}", path.display()))?,
        );
    }
    let legacy_name = std::path::Path::new("bench.doc");
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
                "baseline: one date regex over the text (regex)",
                s,
                &utf8,
                |_| {
                    black_box(date_regex.find_iter(nth()).count());
                },
            ),
            measure("normalize + extract (extract::extract)", s, &utf8, |_| {
                black_box(vanban::extract::extract(&text::normalize(nth())));
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
        (
            measure(
                "baseline: decode as windows-1252 (encoding_rs)",
                s,
                &legacy,
                |b| {
                    black_box(encoding_rs::WINDOWS_1252.decode(b));
                },
            ),
            measure(
                "read .doc/.rtf + detect + decode (read::read)",
                s,
                &legacy,
                |b| {
                    black_box(vanban::read::read(legacy_name, b, None).ok());
                },
            ),
        ),
    ];
    put!(
        "corpus: {} ({} files), one core, best of 3 rounds",
        args.corpus.display(),
        texts.len()
    );
    put!("{:<50} {:>10} {:>10}", "stage", "MB/s", "ratio");
    for (baseline, stage) in &stages {
        put!(
            "{:<50} {:>10.1} {:>10}",
            baseline.name,
            baseline.mb_per_s(),
            "1.00"
        );
        put!(
            "{:<50} {:>10.1} {:>10.2}",
            stage.name,
            stage.mb_per_s(),
            stage.mb_per_s() / baseline.mb_per_s()
        );
    }
    if let Some(db) = &args.db {
        bench_search(db)?;
    }
    Ok(super::EXIT_OK)
}
