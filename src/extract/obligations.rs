//! Obligations: who must do what, by when.
//!
//! [`obligations`] finds every assignment in a document ("Giao X chủ trì, phối hợp với Y
//! …", "X có trách nhiệm …", "Đề nghị / Yêu cầu / Chỉ đạo X …", "X phải …", "… do X quy
//! định", list items under a lead-in such as "X có những nhiệm vụ sau:", the closing
//! "… chịu trách nhiệm thi hành Quyết định này") and returns one [`Obligation`] per
//! (actor, task), with the deadline read by a small phrase parser. [`score`] is the
//! matching rule of the hand labels (`corpus/obligations/README.md`).
//!
//! Pure: no IO, no clock, no panics; spans are byte ranges into the text passed in.

mod deadline;
mod lexicon;
mod score;
mod segment;
mod table;

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::Grain;

pub use score::{Counts, GoldObligation, jaccard, matches, normalize_deadline, score};

#[cfg(test)]
pub(crate) use deadline::regexes as deadline_regexes;
#[cfg(test)]
pub(crate) use segment::regexes as segment_regexes;
#[cfg(test)]
pub(crate) use table::regexes as table_regexes;

/// Who acts in an obligation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The body in charge (chủ trì), or the single body assigned.
    Lead,
    /// A partner (phối hợp với Y).
    Support,
    /// Several bodies, or an open class, assigned together with no lead.
    All,
}

/// When an obligation is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// `YYYY-MM-DD`, `YYYY-MM`, `YYYY-Qn`, `YYYY-Hn`, `YYYY`, the period word of a
    /// recurring duty, or `None` for a deadline relative to an event.
    pub value: Option<String>,
    /// Day, month, quarter, half-year, year, recurring or relative (never a range).
    pub grain: Grain,
    /// `monthly`, `quarterly`, `half-yearly` or `yearly` for recurring duties.
    pub recurring: Option<String>,
    /// The phrase as written.
    pub text: String,
}

/// One (actor, task) assignment found in a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obligation {
    /// The actor as written (whitespace collapsed); several co-assigned bodies stay one list.
    pub actor: String,
    /// The actor with abbreviations (UBND, HĐND, MTTQ …) written out, when it has any.
    pub actor_normalized: Option<String>,
    /// Lead, support or all.
    pub role: Role,
    /// The task clause.
    pub action: String,
    /// How it is imposed: giao, đề nghị, yêu cầu, chỉ đạo, có trách nhiệm, phải, chủ trì …
    pub modality: String,
    /// When it is due, if said.
    pub deadline: Option<Deadline>,
    /// The byte range of the sentence (clause) holding it.
    pub span: Range<usize>,
}

/// Finds the obligations in `text` (NFC). `document_date` (ISO `yyyy-mm-dd`) resolves
/// deadlines counted from the signing date ("trong 15 ngày kể từ ngày ký").
pub fn obligations(text: &str, document_date: Option<&str>) -> Vec<Obligation> {
    // the lines, cut once for the tables and the paragraphs
    let all: Vec<&str> = text.split_inclusive('\n').collect();
    let (tables, regions) = table::tables(text, &all, document_date);
    let mut out = segment::extract(text, &all, document_date, &regions);
    out.extend(tables);
    out.sort_by_key(|o| o.span.start);
    out
}
