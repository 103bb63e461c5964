//! Speed of the PDF renderer: every record of the `ke-hoach` fixture rendered over and over
//! on all cores (rayon), the full pipeline (fill, layout, PDF) and the PDF step alone.
//!
//! ```text
//! cargo run --release --example pdf_speed -- fixtures/data/ke-hoach.json 4000
//! ```

use std::time::Instant;

use rayon::prelude::*;
use vanban::document;
use vanban::render::{self, RenderOptions};
use vanban::template::{Templates, data};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "fixtures/data/ke-hoach.json".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(4000);
    let records =
        data::from_json(&std::fs::read(&path).expect("readable data file")).expect("JSON records");
    let templates = Templates::builtin();
    let options = RenderOptions::default();
    let threads = rayon::current_num_threads();

    let t = Instant::now();
    let bytes: usize = (0..n)
        .into_par_iter()
        .map(|i| {
            let draft = templates
                .fill("ke-hoach", &records[i % records.len()])
                .expect("fill");
            render::pdf(&document::layout(&draft), &options)
                .expect("pdf")
                .len()
        })
        .sum();
    let full = t.elapsed().as_secs_f64();

    let docs: Vec<_> = records
        .iter()
        .map(|r| document::layout(&templates.fill("ke-hoach", r).expect("fill")))
        .collect();
    let t = Instant::now();
    (0..n).into_par_iter().for_each(|i| {
        render::pdf(&docs[i % docs.len()], &options).expect("pdf");
    });
    let pdf_only = t.elapsed().as_secs_f64();
    println!(
        "{n} ke-hoach PDFs on {threads} threads: fill+layout+pdf {:.0} PDFs/s, pdf alone {:.0} PDFs/s; {:.1} KB each",
        n as f64 / full,
        n as f64 / pdf_only,
        bytes as f64 / n as f64 / 1024.0
    );
}
