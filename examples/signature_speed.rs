//! Time to find and check the digital signatures of PDFs: each file read once, then
//! `signatures` run over it `n` times; prints each signature (signer, time, integrity) and
//! the time per file and per signature.
//!
//! ```text
//! cargo run --release --example signature_speed -- ../shared/corpus/pdf/*.pdf
//! ```

use std::time::Instant;

use vanban::read::pdf::signature;

fn main() {
    let mut runs = 5usize;
    let mut paths = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.strip_prefix("--runs=") {
            Some(n) => runs = n.parse().expect("--runs=N"),
            None => paths.push(arg),
        }
    }
    let (mut total_secs, mut total_signatures) = (0.0, 0usize);
    for path in &paths {
        let bytes = std::fs::read(path).expect("readable file");
        let start = Instant::now();
        let mut found = Vec::new();
        for _ in 0..runs {
            found = signature::signatures(&bytes);
        }
        let secs = start.elapsed().as_secs_f64() / runs as f64;
        total_secs += secs;
        total_signatures += found.len();
        println!(
            "{path}: {} signature(s), {:.2} ms a file, {:.2} ms a signature ({:.1} MB)",
            found.len(),
            secs * 1e3,
            secs * 1e3 / found.len().max(1) as f64,
            bytes.len() as f64 / 1e6
        );
        for s in &found {
            println!("  {}", serde_json::to_string(s).expect("serialisable"));
        }
    }
    println!(
        "total: {total_signatures} signatures in {:.1} ms, {:.2} ms a signature",
        total_secs * 1e3,
        total_secs * 1e3 / total_signatures.max(1) as f64
    );
}
