//! Scoring extraction against hand labels (`fixtures/corpus/labels/*.json`), following the
//! rules in the labels' README: document fields as accuracy; references (number, and number
//! + date) and dates as micro precision / recall / F1.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::Record;
use super::refs::number_key;

/// One hand-labelled text.
#[derive(Debug, Clone, Deserialize)]
pub struct Label {
    /// The text's id (file stem in `texts/`).
    pub id: String,
    /// Its own identity.
    pub document: LabelDocument,
    /// Distinct citations in order of first appearance.
    #[serde(default)]
    pub references: Vec<LabelReference>,
    /// Distinct calendar days in order of first appearance.
    #[serde(default)]
    pub dates: Vec<String>,
}

/// The labelled identity fields.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LabelDocument {
    /// Number and symbol.
    pub number: Option<String>,
    /// Type code.
    pub kind: Option<String>,
    /// Issuing body.
    pub issuer: Option<String>,
    /// Place of issue.
    pub place: Option<String>,
    /// ISO date of issue.
    pub date: Option<String>,
    /// Subject line.
    pub title: Option<String>,
}

/// One labelled citation.
#[derive(Debug, Clone, Deserialize)]
pub struct LabelReference {
    /// Number and symbol.
    pub number: String,
    /// ISO date given with it.
    pub date: Option<String>,
}

/// Precision / recall counts.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Counts {
    /// Found and right.
    pub tp: usize,
    /// Found but not labelled.
    pub fp: usize,
    /// Labelled but not found.
    pub fn_: usize,
}

impl Counts {
    /// Precision (1 when nothing was found).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// Recall (1 when nothing was labelled).
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// The document fields scored as accuracy.
pub const FIELDS: [&str; 6] = ["number", "kind", "issuer", "place", "date", "title"];

/// The scores of a set of files.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Scores {
    /// Files scored.
    pub files: usize,
    /// Per field of [`FIELDS`]: how many files were right.
    pub right: [usize; 6],
    /// References by number.
    pub references: Counts,
    /// References by number and date.
    pub references_dated: Counts,
    /// Calendar days.
    pub dates: Counts,
    /// What was missed or wrong, per file: `(id, message)`.
    pub misses: Vec<(String, String)>,
}

impl Scores {
    /// Accuracy of field `i` of [`FIELDS`].
    pub fn accuracy(&self, i: usize) -> f64 {
        ratio(self.right[i], self.files)
    }

    /// A plain-text report; `verbose` adds the per-file misses.
    pub fn report(&self, verbose: bool) -> String {
        let mut out = format!("files scored: {}\n", self.files);
        for (i, f) in FIELDS.iter().enumerate() {
            out.push_str(&format!(
                "document.{f:<7} accuracy {:.3} ({}/{})\n",
                self.accuracy(i),
                self.right[i],
                self.files
            ));
        }
        for (name, c) in [
            ("references", self.references),
            ("references+date", self.references_dated),
            ("dates", self.dates),
        ] {
            out.push_str(&format!(
                "{name:<16} P {:.3} R {:.3} F1 {:.3} (tp {} fp {} fn {})\n",
                c.precision(),
                c.recall(),
                c.f1(),
                c.tp,
                c.fp,
                c.fn_
            ));
        }
        if verbose {
            for (id, msg) in &self.misses {
                out.push_str(&format!("  {id}: {msg}\n"));
            }
        }
        out
    }
}

fn text_key(s: &str) -> String {
    let s: String = s.nfc().collect::<String>().to_lowercase();
    let s: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c.is_whitespace() {
                c
            } else {
                ' '
            }
        })
        .collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn num_key(s: &str) -> String {
    number_key(&s.nfc().collect::<String>())
}

/// The distinct calendar days of a record, in order of first appearance.
pub fn record_days(record: &Record) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for d in &record.dates {
        for day in d.days() {
            if seen.insert(day.clone()) {
                out.push(day);
            }
        }
    }
    out
}

/// The distinct references of a record (by number key), each with the first date given.
pub fn record_references(record: &Record) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for r in &record.references {
        let key = num_key(&r.number);
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, date)) => {
                if date.is_none() {
                    date.clone_from(&r.date);
                }
            }
            None => out.push((key, r.date.clone())),
        }
    }
    out
}

fn prf<T: Eq + std::hash::Hash + Clone + std::fmt::Debug>(
    got: &[T],
    want: &[T],
    id: &str,
    what: &str,
    misses: &mut Vec<(String, String)>,
) -> Counts {
    let g: HashSet<&T> = got.iter().collect();
    let w: HashSet<&T> = want.iter().collect();
    let mut c = Counts::default();
    for x in &g {
        if w.contains(x) {
            c.tp += 1;
        } else {
            c.fp += 1;
            misses.push((id.to_string(), format!("{what}: extra {x:?}")));
        }
    }
    for x in &w {
        if !g.contains(x) {
            c.fn_ += 1;
            misses.push((id.to_string(), format!("{what}: missed {x:?}")));
        }
    }
    c
}

/// Scores records against labels (pairs of a label and the record of its text).
pub fn score(pairs: &[(Label, Record)]) -> Scores {
    let mut sc = Scores {
        files: pairs.len(),
        ..Scores::default()
    };
    for (label, rec) in pairs {
        let id = label.id.as_str();
        let d = &rec.document;
        let l = &label.document;
        let checks: [(Option<String>, Option<String>); 6] = [
            (
                d.number.as_deref().map(num_key),
                l.number.as_deref().map(num_key),
            ),
            (
                d.kind.as_deref().map(str::to_lowercase),
                l.kind.as_deref().map(str::to_lowercase),
            ),
            (
                d.issuer.as_deref().map(text_key),
                l.issuer.as_deref().map(text_key),
            ),
            (
                d.place.as_deref().map(text_key),
                l.place.as_deref().map(text_key),
            ),
            (d.date.clone(), l.date.clone()),
            (
                d.title.as_deref().map(text_key),
                l.title.as_deref().map(text_key),
            ),
        ];
        for (i, (got, want)) in checks.into_iter().enumerate() {
            if got == want {
                sc.right[i] += 1;
            } else {
                sc.misses.push((
                    id.to_string(),
                    format!("document.{}: got {got:?}, want {want:?}", FIELDS[i]),
                ));
            }
        }
        let got_refs = record_references(rec);
        let want_refs: Vec<(String, Option<String>)> = label
            .references
            .iter()
            .map(|r| (num_key(&r.number), r.date.clone()))
            .collect();
        let gn: Vec<String> = got_refs.iter().map(|(k, _)| k.clone()).collect();
        let wn: Vec<String> = want_refs.iter().map(|(k, _)| k.clone()).collect();
        sc.references
            .add(prf(&gn, &wn, id, "reference", &mut sc.misses));
        let mut dated_misses = Vec::new();
        sc.references_dated.add(prf(
            &got_refs,
            &want_refs,
            id,
            "reference+date",
            &mut dated_misses,
        ));
        // Number misses are reported above; here only dates of numbers found and labelled.
        let in_both = |m: &str| {
            let quoted = |k: &String| m.contains(&format!("\"{k}\""));
            gn.iter().any(quoted) && wn.iter().any(quoted)
        };
        sc.misses
            .extend(dated_misses.into_iter().filter(|(_, m)| in_both(m)));
        sc.dates.add(prf(
            &record_days(rec),
            &label.dates,
            id,
            "date",
            &mut sc.misses,
        ));
    }
    sc
}
