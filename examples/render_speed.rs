//! Rough speed of the render pipeline without the file system: fill, layout and DOCX
//! for every record of a `make_data.py` file, each stage timed on one thread.
//!
//! ```text
//! python3 make_data.py kh.json -n 2000
//! cargo run --release --example render_speed -- kh.json
//! ```

use std::time::{Duration, Instant};

use vanban::document;
use vanban::render::{self, RenderOptions};
use vanban::template::{Templates, data};

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: render_speed DATA.json");
    let bytes = std::fs::read(&path).expect("readable data file");
    let records = data::from_json(&bytes).expect("JSON records");
    let templates = Templates::builtin();
    let options = RenderOptions::default();
    let (mut fill, mut layout, mut docx) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut size = 0;
    for record in &records {
        let t = Instant::now();
        let draft = templates.fill("ke-hoach", record).expect("fill");
        let t1 = Instant::now();
        let doc = document::layout(&draft);
        let t2 = Instant::now();
        let bytes = render::docx(&doc, &options).expect("docx");
        let t3 = Instant::now();
        size += bytes.len();
        fill += t1 - t;
        layout += t2 - t1;
        docx += t3 - t2;
    }
    let n = records.len() as f64;
    let total = fill + layout + docx;
    println!(
        "{} records, one thread: fill {:.0} µs, layout {:.0} µs, docx {:.0} µs per record; {:.0} records/s; {} KB each",
        records.len(),
        fill.as_secs_f64() * 1e6 / n,
        layout.as_secs_f64() * 1e6 / n,
        docx.as_secs_f64() * 1e6 / n,
        n / total.as_secs_f64(),
        size / records.len() / 1024
    );
}
