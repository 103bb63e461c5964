//! The citation graph: what a document cites and what cites it, transitively.
//!
//! Citations are linked to archived documents at query time by number key (and by date
//! when the citation prints one, since Party numbers repeat across terms), so documents
//! indexed later link up without rewriting older rows.

use std::collections::{BTreeSet, VecDeque};

use serde::Serialize;

use super::{Archive, number_key};
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
    let conn = archive.conn();
    let err = |e| archive.error(e);
    let mut graph = CiteGraph {
        number: number.to_string(),
        ..CiteGraph::default()
    };
    {
        let mut stmt = conn
            .prepare("SELECT path, date FROM documents WHERE number_key = ?1 ORDER BY date, path")
            .map_err(err)?;
        let rows = stmt
            .query_map([number_key(number)], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(err)?;
        graph.documents = rows.collect::<rusqlite::Result<_>>().map_err(err)?;
    }
    let mut outgoing = conn
        .prepare(
            "SELECT c.number, c.number_key, c.date,
                    EXISTS (SELECT 1 FROM documents t WHERE t.number_key = c.number_key
                            AND (c.date IS NULL OR t.date IS NULL OR t.date = c.date))
             FROM citations c JOIN documents d ON d.id = c.document_id
             WHERE d.number_key = ?1 ORDER BY d.path, c.position",
        )
        .map_err(err)?;
    let mut incoming = conn
        .prepare(
            "SELECT coalesce(d.number, d.path), d.number_key, c.date
             FROM citations c JOIN documents d ON d.id = c.document_id
             WHERE c.number_key = ?1 ORDER BY d.date, d.path",
        )
        .map_err(err)?;
    // Outgoing, breadth first.
    let mut seen = BTreeSet::from([number_key(number)]);
    let mut queue = VecDeque::from([(number_key(number), number.to_string(), 1u32)]);
    while let Some((key, label, level)) = queue.pop_front() {
        if level > depth {
            continue;
        }
        let rows = outgoing
            .query_map([&key], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get(2)?,
                    r.get(3)?,
                ))
            })
            .map_err(err)?;
        for row in rows {
            let (to, to_key, date, archived): (String, String, Option<String>, bool) =
                row.map_err(err)?;
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
    let mut seen = BTreeSet::from([number_key(number)]);
    let mut queue = VecDeque::from([(number_key(number), number.to_string(), 1u32)]);
    while let Some((key, label, level)) = queue.pop_front() {
        if level > depth {
            continue;
        }
        let rows = incoming
            .query_map([&key], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get(2)?,
                ))
            })
            .map_err(err)?;
        for row in rows {
            let (from, from_key, date): (String, Option<String>, Option<String>) =
                row.map_err(err)?;
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
