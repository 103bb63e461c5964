//! Obligations: scored against the hand labels in fixtures/corpus/obligations.

use std::path::Path;

use proptest::prelude::*;
use regex::Regex;
use vanban::extract::obligations::{
    Counts, GoldObligation, Obligation, matches, normalize_deadline, obligations, score,
};

#[derive(serde::Deserialize)]
struct LabelFile {
    id: String,
    obligations: Vec<GoldObligation>,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The signing date of the header ("…, ngày 14 tháng 5 năm 2008"), ISO.
fn document_date(text: &str) -> Option<String> {
    let head: String = text.chars().take(1500).collect();
    let re = Regex::new(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})").unwrap();
    let c = re.captures(&head)?;
    let (d, m, y): (u32, u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn load(id: &str) -> String {
    let raw = std::fs::read_to_string(root().join(format!("fixtures/corpus/texts/{id}.txt")))
        .expect("text fixture");
    vanban::text::normalize(&raw).as_str().to_string()
}

fn run(id: &str) -> Vec<Obligation> {
    let text = load(id);
    let date = document_date(&text);
    obligations(&text, date.as_deref())
}

fn labels() -> Vec<LabelFile> {
    let dir = root().join("fixtures/corpus/obligations");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("labels dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect()
}

/// Set OBLIGATIONS_DEBUG=<id> to see the unmatched predictions and labels of a document.
fn debug(id: &str, pred: &[Obligation], gold: &[GoldObligation]) {
    if std::env::var("OBLIGATIONS_DEBUG").ok().as_deref() != Some(id) {
        return;
    }
    for p in pred {
        let hit = gold.iter().any(|g| matches(p, g));
        eprintln!(
            "{} P [{}] {} | {} | {:?}",
            if hit { "  " } else { "FP" },
            p.modality,
            p.actor,
            p.action.chars().take(110).collect::<String>(),
            normalize_deadline(p)
        );
    }
    for g in gold {
        if !pred.iter().any(|p| matches(p, g)) {
            eprintln!("FN G {} | {} | {:?}", g.actor, g.action.chars().take(110).collect::<String>(), g.deadline);
        }
    }
    for g in gold.iter().filter(|g| g.deadline.is_some()) {
        if let Some(p) = pred.iter().find(|p| matches(p, g)) {
            if normalize_deadline(p) != g.deadline {
                eprintln!("DL {} | {:?} vs gold {:?}", g.action.chars().take(60).collect::<String>(), normalize_deadline(p), g.deadline);
            }
        }
    }
}

#[test]
fn obligations_against_labels() {
    let mut total = Counts::default();
    for f in labels() {
        let pred = run(&f.id);
        let c = score(&pred, &f.obligations);
        debug(&f.id, &pred, &f.obligations);
        eprintln!(
            "{:40} gold {:3} pred {:3} match {:3}  P {:.2} R {:.2} F1 {:.2}  deadline(set) {}/{}",
            f.id,
            c.gold,
            c.predicted,
            c.matched,
            c.precision(),
            c.recall(),
            c.f1(),
            c.deadline_gold_set_equal,
            c.deadline_gold_set
        );
        total += c;
    }
    eprintln!(
        "TOTAL gold {} pred {} match {}  P {:.3} R {:.3} F1 {:.3}  deadline acc {:.3} (all matched) {:.3} (gold set: {}/{})",
        total.gold,
        total.predicted,
        total.matched,
        total.precision(),
        total.recall(),
        total.f1(),
        total.deadline_accuracy(),
        total.deadline_accuracy_set(),
        total.deadline_gold_set_equal,
        total.deadline_gold_set
    );
    assert!(total.f1() >= 0.0);
}

/// Set OBLIGATIONS_TEXT to a sentence to see what the extractor makes of it.
#[test]
fn obligations_of_env_text() {
    if let Ok(t) = std::env::var("OBLIGATIONS_TEXT") {
        for o in obligations(&t, None) {
            eprintln!("{o:?}");
        }
    }
}
