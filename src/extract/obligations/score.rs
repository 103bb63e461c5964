//! The scorer of the obligation labels (`corpus/obligations/README.md`, "Matching rule").

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::Obligation;
use crate::extract::Grain;

/// One hand-labelled obligation, as stored in `corpus/obligations/<id>.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldObligation {
    /// The actor as written.
    pub actor: String,
    /// `lead`, `support` or `all`.
    #[serde(default)]
    pub role: String,
    /// The task.
    pub action: String,
    /// `YYYY-MM-DD`, `YYYY-MM`, `YYYY-Qn`, `YYYY-Hn`, `YYYY`, a period word, or null.
    #[serde(default)]
    pub deadline: Option<String>,
    /// The sentence holding the obligation.
    #[serde(default)]
    pub quote: String,
    /// The deadline phrase as written.
    #[serde(default)]
    pub deadline_text: Option<String>,
}

/// The counts of one scoring run; add them up over documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Obligations predicted.
    pub predicted: usize,
    /// Obligations labelled.
    pub gold: usize,
    /// One-to-one matches.
    pub matched: usize,
    /// Matched pairs whose deadlines are equal after normalisation (null equals null).
    pub deadline_equal: usize,
    /// Matched pairs whose gold deadline is set.
    pub deadline_gold_set: usize,
    /// Of those, the pairs whose deadlines are equal.
    pub deadline_gold_set_equal: usize,
}

impl Counts {
    /// Precision = matched / predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.predicted)
    }
    /// Recall = matched / gold.
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.gold)
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
    /// Share of matched pairs with equal deadlines.
    pub fn deadline_accuracy(&self) -> f64 {
        ratio(self.deadline_equal, self.matched)
    }
    /// Share of matched pairs with a set gold deadline whose deadlines are equal.
    pub fn deadline_accuracy_set(&self) -> f64 {
        ratio(self.deadline_gold_set_equal, self.deadline_gold_set)
    }
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.predicted += o.predicted;
        self.gold += o.gold;
        self.matched += o.matched;
        self.deadline_equal += o.deadline_equal;
        self.deadline_gold_set += o.deadline_gold_set;
        self.deadline_gold_set_equal += o.deadline_gold_set_equal;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// NFC, lower case, whitespace collapsed.
fn norm(s: &str) -> String {
    let lower: String = s.nfc().collect::<String>().to_lowercase();
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Runs of word characters (Vietnamese syllables), lower-cased.
fn tokens(s: &str) -> BTreeSet<String> {
    norm(s)
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Token Jaccard similarity of two strings.
pub fn jaccard(a: &str, b: &str) -> f64 {
    let (ta, tb) = (tokens(a), tokens(b));
    let union = ta.union(&tb).count();
    if union == 0 {
        return 0.0;
    }
    ta.intersection(&tb).count() as f64 / union as f64
}

fn actors_overlap(a: &str, b: &str) -> bool {
    let (na, nb) = (norm(a), norm(b));
    if na.is_empty() || nb.is_empty() {
        return false;
    }
    na.contains(&nb) || nb.contains(&na) || jaccard(&na, &nb) >= 0.5
}

/// Whether a prediction and a gold obligation match under the README's rule.
pub fn matches(p: &Obligation, g: &GoldObligation) -> bool {
    let actor = actors_overlap(&p.actor, &g.actor)
        || p.actor_normalized
            .as_deref()
            .is_some_and(|n| actors_overlap(n, &g.actor));
    actor && jaccard(&p.action, &g.action) >= 0.3
}

/// The deadline of a prediction in the label vocabulary: a period word for recurring
/// ones, the value cut to its grain for dated ones, `None` for relative ones and none.
pub fn normalize_deadline(p: &Obligation) -> Option<String> {
    let d = p.deadline.as_ref()?;
    if d.grain == Grain::Relative {
        return None;
    }
    if d.grain == Grain::Recurring {
        return d.recurring.clone().or_else(|| d.value.clone());
    }
    let v = d.value.as_deref()?;
    Some(cut_to_grain(v, d.grain))
}

fn cut_to_grain(v: &str, grain: Grain) -> String {
    let year = v.get(..4).unwrap_or(v);
    let month: Option<u32> = v.get(5..7).and_then(|m| m.parse().ok());
    match (grain, month) {
        (Grain::Year, _) => year.to_string(),
        (Grain::Month, Some(_)) => v.get(..7).unwrap_or(v).to_string(),
        (Grain::Quarter, Some(m)) if !v.contains('Q') => format!("{year}-Q{}", (m - 1) / 3 + 1),
        (Grain::HalfYear, Some(m)) if !v.contains('H') => {
            format!("{year}-H{}", if m <= 6 { 1 } else { 2 })
        }
        (Grain::Day, _) => v.get(..10).unwrap_or(v).to_string(),
        _ => v.to_string(),
    }
}

/// Scores predictions against the gold obligations of one document: a maximum
/// one-to-one matching (pairs with more similar actions are tried first), then the
/// deadline comparison on the matched pairs.
pub fn score(predicted: &[Obligation], gold: &[GoldObligation]) -> Counts {
    // candidate gold for each prediction, best action overlap first
    let cands: Vec<Vec<usize>> = predicted
        .iter()
        .map(|p| {
            let mut c: Vec<(usize, f64, bool)> = gold
                .iter()
                .enumerate()
                .filter(|(_, g)| matches(p, g))
                .map(|(j, g)| {
                    (
                        j,
                        jaccard(&p.action, &g.action),
                        normalize_deadline(p) == g.deadline,
                    )
                })
                .collect();
            c.sort_by(|a, b| b.2.cmp(&a.2).then(b.1.total_cmp(&a.1)));
            c.into_iter().map(|x| x.0).collect()
        })
        .collect();
    // first the pairs that agree on the deadline, then augmenting paths over all pairs:
    // still a maximum matching, and among those one that favours agreeing deadlines
    let agreeing: Vec<Vec<usize>> = predicted
        .iter()
        .zip(&cands)
        .map(|(p, c)| {
            c.iter()
                .copied()
                .filter(|&j| normalize_deadline(p) == gold[j].deadline)
                .collect()
        })
        .collect();
    let mut owner: Vec<Option<usize>> = vec![None; gold.len()];
    for c in [&agreeing, &cands] {
        for i in 0..predicted.len() {
            if owner.contains(&Some(i)) {
                continue;
            }
            let mut seen = vec![false; gold.len()];
            augment(i, c, &mut owner, &mut seen);
        }
    }
    let mut c = Counts {
        predicted: predicted.len(),
        gold: gold.len(),
        ..Counts::default()
    };
    for (j, o) in owner.iter().enumerate() {
        let Some(i) = *o else { continue };
        c.matched += 1;
        let equal = normalize_deadline(&predicted[i]) == gold[j].deadline;
        c.deadline_equal += usize::from(equal);
        if gold[j].deadline.is_some() {
            c.deadline_gold_set += 1;
            c.deadline_gold_set_equal += usize::from(equal);
        }
    }
    c
}

fn augment(i: usize, cands: &[Vec<usize>], owner: &mut [Option<usize>], seen: &mut [bool]) -> bool {
    for &j in &cands[i] {
        if seen[j] {
            continue;
        }
        seen[j] = true;
        if owner[j].is_none_or(|k| augment(k, cands, owner, seen)) {
            owner[j] = Some(i);
            return true;
        }
    }
    false
}
