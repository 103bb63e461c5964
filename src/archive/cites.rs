//! The citation graph: what a document cites and what cites it, transitively.
//!
//! Citations are linked to archived documents at query time by number key (and by date
//! when the citation prints one, since Party numbers repeat across terms), so documents
//! indexed later link up without rewriting older rows.

use std::collections::{BTreeSet, VecDeque};

use serde::Serialize;

use super::{Archive, Value, number_key, opt_text, text};
use crate::Result;

/// One citation: `from` (an archived document) cites `to` (a number, archived or not).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CitationEdge {
    /// Distance from the starting number (1 = direct).
    pub depth: u32,
    /// Number of the citing document (its path when it has no number).
    pub from: String,
    /// The number cited, as printed.
    pub to: String,
    /// The date printed with the citation.
    pub date: Option<String>,
    /// Whether `to` is in the archive.
    pub archived: bool,
}

/// What a number cites (`cites`) and what cites it (`cited_by`), up to a depth.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CiteGraph {
    /// The number asked about, as given.
    pub number: String,
    /// Archived documents with that number (path, date).
    pub documents: Vec<(String, Option<String>)>,
    /// Outgoing edges, breadth first.
    pub cites: Vec<CitationEdge>,
    /// Incoming edges, breadth first.
    pub cited_by: Vec<CitationEdge>,
}

/// Follows citations from and to `number`, `depth` levels deep (1 = direct only).
pub fn cites(archive: &Archive, number: &str, depth: u32) -> Result<CiteGraph> {
    let mut graph = CiteGraph {
        number: number.to_string(),
        ..CiteGraph::default()
    };
    let start = number_key(number);
    graph.documents = archive
        .select(
            "SELECT path, date FROM documents WHERE number_key = ?1
             ORDER BY date NULLS FIRST, path",
            &[Value::Text(start.clone())],
        )?
        .iter()
        .map(|r| (text(r, 0), opt_text(r, 1)))
        .collect();
    // Outgoing, breadth first.
    let mut seen = BTreeSet::from([start.clone()]);
    let mut queue = VecDeque::from([(start.clone(), number.to_string(), 1u32)]);
    while let Some((key, label, level)) = queue.pop_front() {
        if level > depth {
            continue;
        }
        let rows = archive.select(
            "SELECT c.number, c.number_key, c.date,
                    EXISTS (SELECT 1 FROM documents t WHERE t.number_key = c.number_key
                            AND (c.date IS NULL OR t.date IS NULL OR t.date = c.date))
             FROM citations c JOIN documents d ON d.id = c.document_id
             WHERE d.number_key = ?1 ORDER BY d.path, c.position",
            &[Value::Text(key)],
        )?;
        for row in rows {
            let (to, to_key, date) = (text(&row, 0), text(&row, 1), opt_text(&row, 2));
            let archived = matches!(row.get(3), Some(Value::Integer(n)) if *n != 0);
            graph.cites.push(CitationEdge {
                depth: level,
                from: label.clone(),
                to: to.clone(),
                date,
                archived,
            });
            if archived && seen.insert(to_key.clone()) {
                queue.push_back((to_key, to, level + 1));
            }
        }
    }
    // Incoming, breadth first.
    let mut seen = BTreeSet::from([start.clone()]);
    let mut queue = VecDeque::from([(start, number.to_string(), 1u32)]);
    while let Some((key, label, level)) = queue.pop_front() {
        if level > depth {
            continue;
        }
        let rows = archive.select(
            "SELECT coalesce(d.number, d.path), d.number_key, c.date
             FROM citations c JOIN documents d ON d.id = c.document_id
             WHERE c.number_key = ?1 ORDER BY d.date NULLS FIRST, d.path",
            &[Value::Text(key)],
        )?;
        for row in rows {
            let (from, from_key, date) = (text(&row, 0), opt_text(&row, 1), opt_text(&row, 2));
            graph.cited_by.push(CitationEdge {
                depth: level,
                from: from.clone(),
                to: label.clone(),
                date,
                archived: true,
            });
            if let Some(from_key) = from_key
                && seen.insert(from_key.clone())
            {
                queue.push_back((from_key, from, level + 1));
            }
        }
    }
    Ok(graph)
}
