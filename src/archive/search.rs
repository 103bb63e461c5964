//! Search: accent-free full text (FTS5 over fold keys) with filters, ranked, with snippets.
//!
//! The query is folded the same way the index is (`chi thi 45` = `Chỉ thị 45`), split into
//! words, and each word is quoted for FTS5: user input never reaches SQL as syntax.

use std::ops::Range;

use rusqlite::params_from_iter;
use rusqlite::types::Value;
use serde::Serialize;

use super::{Archive, number_key};
use crate::text::{ceil_boundary, floor_boundary, fold_key, fold_key_with_offsets};
use crate::{Error, Result};

/// What to look for. Empty text with filters lists the filtered documents by date.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Words to find, with or without diacritics, in either tone style.
    pub text: String,
    /// Only documents of this kind (`KH`, `QĐ`, `CT`…; case-insensitive).
    pub kind: Option<String>,
    /// Only documents whose issuer contains these words (accent-insensitive).
    pub issuer: Option<String>,
    /// Only documents dated on or after this ISO date (`2021`, `2021-01`, `2021-01-31`).
    pub from: Option<String>,
    /// Only documents dated on or before this ISO date.
    pub to: Option<String>,
    /// Only the document with this number (`45-CT/TW`; spaces and dashes ignored).
    pub number: Option<String>,
    /// At most this many hits.
    pub limit: usize,
}

/// One document found.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Its number and symbol.
    pub number: Option<String>,
    /// Its date of issue.
    pub date: Option<String>,
    /// Its kind (`KH`, `QĐ`…).
    pub kind: Option<String>,
    /// Its issuing body.
    pub issuer: Option<String>,
    /// Its subject line.
    pub title: Option<String>,
    /// The input it was indexed from.
    pub path: String,
    /// A few words around the first match, the matched words between `[` and `]`.
    pub snippet: String,
    /// Relevance (higher is better); 0 for filter-only queries.
    pub score: f64,
}

/// The most words a query (or its issuer filter) may have. The work per matched document
/// grows with every word (the phrase tier, the snippet's scan): 400 words took 13.6 s,
/// 10,000 more than a minute. A subject line has a dozen.
pub const MAX_QUERY_WORDS: usize = 32;

/// Runs a query. A malformed filter, or a query or issuer of more than
/// [`MAX_QUERY_WORDS`] words, is an [`Error::Query`] naming it.
pub fn search(archive: &Archive, query: &Query) -> Result<Vec<Hit>> {
    let query_words = words(&query.text);
    let issuer_words = query.issuer.as_deref().map(words).unwrap_or_default();
    for (what, count) in [
        ("the query", query_words.len()),
        ("--issuer", issuer_words.len()),
    ] {
        if count > MAX_QUERY_WORDS {
            return Err(Error::Query(format!(
                "{what} has {count} words; at most {MAX_QUERY_WORDS} are searched"
            )));
        }
    }
    let filtered = query.kind.is_some()
        || query.issuer.is_some()
        || query.from.is_some()
        || query.to.is_some()
        || query.number.is_some();
    if query_words.is_empty() && !filtered {
        return Err(Error::Query(format!(
            "nothing to search for in {:?}: give words, a number or a filter",
            query.text
        )));
    }
    let limit = if query.limit == 0 {
        usize::MAX
    } else {
        query.limit
    };
    let mut hits = Vec::new();
    // Document IDs already in `hits`: two documents may show the same path (lossy).
    let mut seen = std::collections::HashSet::new();
    // Tier 1: the words close together, in order (a phrase with a gap or two: "chi thi
    // 45" finds "Chỉ thị số 45"); tier 2: all the words anywhere.
    let quoted: Vec<String> = query_words.iter().map(|w| format!("\"{w}\"")).collect();
    let mut tiers = Vec::new();
    if quoted.len() > 1 {
        tiers.push(format!("NEAR({}, {})", quoted.join(" "), quoted.len() + 2));
    }
    tiers.push(quoted.join(" "));
    if query_words.is_empty() {
        tiers = vec![String::new()];
    }
    for expression in tiers {
        run_tier(
            archive,
            query,
            &query_words,
            &expression,
            limit,
            &mut seen,
            &mut hits,
        )?;
        if hits.len() >= limit {
            break;
        }
    }
    Ok(hits)
}

/// Runs one tier of a search (an FTS5 expression, or none for filters only) and appends
/// the hits not already found.
fn run_tier(
    archive: &Archive,
    query: &Query,
    query_words: &[String],
    expression: &str,
    limit: usize,
    seen: &mut std::collections::HashSet<i64>,
    hits: &mut Vec<Hit>,
) -> Result<()> {
    // The filters on the documents table; for a text query they restrict the rows FTS5
    // ranks (`rowid IN (…)`), so bm25 runs only on documents that can be shown.
    let mut conditions = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let from_fts = !expression.is_empty();
    if from_fts {
        values.push(Value::Text(expression.to_string()));
    }
    if let Some(kind) = &query.kind {
        values.push(Value::Text(kind.trim().to_uppercase()));
        conditions.push(format!("d.kind_key = ?{}", values.len()));
    }
    if let Some(number) = &query.number {
        values.push(Value::Text(number_key(number)));
        conditions.push(format!("d.number_key = ?{}", values.len()));
    }
    if let Some(from) = &query.from {
        values.push(Value::Text(date_bound(from, "--from", false)?));
        conditions.push(format!("d.date >= ?{}", values.len()));
    }
    if let Some(to) = &query.to {
        values.push(Value::Text(date_bound(to, "--to", true)?));
        conditions.push(format!("d.date <= ?{}", values.len()));
    }
    // Without an issuer filter (applied below) the first rows are the hits: let SQLite
    // stop there. The text is fetched for the hits only, never sorted along.
    // SQLite's LIMIT is an i64: a larger number is a real, and "datatype mismatch".
    let top = if query.issuer.is_none() && limit != usize::MAX {
        let rows = limit.saturating_add(seen.len());
        format!(" LIMIT {}", i64::try_from(rows).unwrap_or(i64::MAX))
    } else {
        String::new()
    };
    let columns = "d.number, d.date, d.kind, d.issuer, d.title, d.path, d.id";
    let sql = if from_fts {
        // Rank inside FTS5 and keep the best rows only; the documents table is read for
        // those, not for every match of a common word.
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!(
                // `+rowid`: a filter applied to FTS5's rows, not a rowid lookup per
                // filtered document (each would run the whole match again).
                " AND +rowid IN (SELECT d.id FROM documents d WHERE {})",
                conditions.join(" AND ")
            )
        };
        format!(
            "SELECT {columns}, ranked.bm25 FROM (
                 SELECT rowid AS id, bm25(documents_fold, 10.0, 5.0, 2.0, 1.0) AS bm25
                 FROM documents_fold WHERE documents_fold MATCH ?1{filter}
                 ORDER BY bm25, rowid{top}
             ) ranked JOIN documents d ON d.id = ranked.id
             ORDER BY ranked.bm25, d.date DESC, d.path, d.id"
        )
    } else {
        if conditions.is_empty() {
            conditions.push("1".into());
        }
        format!(
            "SELECT {columns}, 0.0 FROM documents d WHERE {} ORDER BY d.date DESC, d.path, d.id{top}",
            conditions.join(" AND ")
        )
    };
    let issuer_words = query.issuer.as_deref().map(words).unwrap_or_default();
    let mut stmt = archive
        .conn()
        .prepare_cached(&sql)
        .map_err(|e| archive.error(e))?;
    let rows = stmt
        .query_map(params_from_iter(values), |row| {
            Ok((
                Hit {
                    number: row.get(0)?,
                    date: row.get(1)?,
                    kind: row.get(2)?,
                    issuer: row.get(3)?,
                    title: row.get(4)?,
                    path: row.get(5)?,
                    snippet: String::new(),
                    score: -row.get::<_, f64>(7)?,
                },
                row.get::<_, i64>(6)?,
            ))
        })
        .map_err(|e| archive.error(e))?;
    for row in rows {
        let (mut hit, id) = row.map_err(|e| archive.error(e))?;
        if !issuer_words.is_empty() {
            let issuer = words(hit.issuer.as_deref().unwrap_or_default());
            if !issuer_words.iter().all(|w| issuer.contains(w)) {
                continue;
            }
        }
        if !seen.insert(id) {
            continue;
        }
        let text: String = archive
            .conn()
            .prepare_cached("SELECT text FROM documents WHERE id = ?1")
            .and_then(|mut text| text.query_row([id], |r| r.get(0)))
            .map_err(|e| archive.error(e))?;
        hit.snippet = snippet(&text, query_words);
        hits.push(hit);
        if hits.len() >= limit {
            break;
        }
    }
    Ok(())
}

/// The folded words of a query: letters and digits only, so nothing reaches FTS5 as syntax.
fn words(text: &str) -> Vec<String> {
    fold_key(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Checks a `--from`/`--to` date and widens a year or month to its first or last day.
fn date_bound(value: &str, flag: &str, upper: bool) -> Result<String> {
    let bad = || {
        Error::Query(format!(
            "{flag} {value:?}: expected a date like 2021, 2021-01 or 2021-01-31"
        ))
    };
    let parts: Vec<&str> = value.trim().split('-').collect();
    let numbers: Vec<u32> = parts
        .iter()
        .map(|p| {
            if p.chars().all(|c| c.is_ascii_digit()) {
                p.parse().ok()
            } else {
                None
            }
        })
        .collect::<Option<_>>()
        .ok_or_else(bad)?;
    match numbers.as_slice() {
        [y] if parts[0].len() == 4 => Ok(if upper {
            format!("{y:04}-12-31")
        } else {
            format!("{y:04}")
        }),
        [y, m] if parts[0].len() == 4 && (1..=12).contains(m) => Ok(if upper {
            format!("{y:04}-{m:02}-31")
        } else {
            format!("{y:04}-{m:02}")
        }),
        [y, m, d] if parts[0].len() == 4 && (1..=12).contains(m) && (1..=31).contains(d) => {
            Ok(format!("{y:04}-{m:02}-{d:02}"))
        }
        _ => Err(bad()),
    }
}

/// The snippet window, in bytes of the original text.
const WIDTH: usize = 160;

/// About 20 words around the first match of any query word, matches in brackets.
///
/// The window starts at the first match with the most distinct query words close after
/// it. When the first 4 KB (then 32 KB) already hold a window with every query word, that
/// is the one the whole text would give, and the rest of a long document is never folded.
fn snippet(text: &str, words: &[String]) -> String {
    // The fold of `text[..folded_to]`, extended as the scan widens: each byte is folded once.
    let mut folded = String::new();
    let mut offsets = vec![0];
    let mut folded_to = 0;
    for head in [4 * 1024, 32 * 1024] {
        if text.len() <= 2 * head {
            break;
        }
        let cut = floor_boundary(text, head);
        let cut = text[..cut].rfind(char::is_whitespace).unwrap_or(cut);
        fold_more(text, folded_to..cut, &mut folded, &mut offsets);
        folded_to = cut;
        if let Some(found) = snippet_within(text, cut, &folded, &offsets, words) {
            return found;
        }
    }
    fold_more(text, folded_to..text.len(), &mut folded, &mut offsets);
    snippet_within(text, text.len(), &folded, &offsets, words).unwrap_or_default()
}

/// Appends the fold of `text[range]` to `folded`, and to `offsets` (which ends at
/// `range.start`) the offset in `text` of each of its chars, ending at `range.end`.
fn fold_more(text: &str, range: Range<usize>, folded: &mut String, offsets: &mut Vec<usize>) {
    let (more, more_offsets) = fold_key_with_offsets(&text[range.clone()]);
    offsets.pop();
    offsets.extend(more_offsets.iter().map(|o| o + range.start));
    folded.push_str(&more);
}

/// [`snippet`] looking for matches in `text[..scan]` only, given its fold and offsets
/// ([`fold_key_with_offsets`]). `None` when `scan` is short of the text and the best window
/// there lacks a query word or runs past `scan`.
fn snippet_within(
    text: &str,
    scan: usize,
    folded: &str,
    offsets: &[usize],
    words: &[String],
) -> Option<String> {
    let folded_chars: Vec<(usize, char)> = folded.char_indices().collect();
    // Word starts in the folded text (byte offsets), with their char index.
    let mut matches: Vec<(usize, usize)> = Vec::new(); // char ranges of the key
    let mut char_index = 0;
    while char_index < folded_chars.len() {
        let (byte, c) = folded_chars[char_index];
        let at_word_start = c.is_alphanumeric()
            && (char_index == 0 || !folded_chars[char_index - 1].1.is_alphanumeric());
        if at_word_start {
            let end = folded_chars[char_index..]
                .iter()
                .position(|(_, c)| !c.is_alphanumeric())
                .map_or(folded_chars.len(), |n| char_index + n);
            let end_byte = folded_chars.get(end).map_or(folded.len(), |(b, _)| *b);
            if words.iter().any(|w| folded[byte..end_byte] == **w) {
                matches.push((char_index, end));
            }
            char_index = end;
        } else {
            char_index += 1;
        }
    }
    // Start at the match with the most distinct query words close after it.
    let mut best = (0usize, 0usize); // (distinct words, match index)
    for (i, &(a, _)) in matches.iter().enumerate() {
        let window_end = offsets[a] + WIDTH / 2;
        let mut distinct: Vec<&str> = matches[i..]
            .iter()
            .take_while(|&&(x, _)| offsets[x] <= window_end)
            .map(|&(x, y)| {
                &folded[folded_chars[x].0..folded_chars.get(y).map_or(folded.len(), |c| c.0)]
            })
            .collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() > best.0 {
            best = (distinct.len(), i);
        }
    }
    let first = matches.get(best.1).map_or(0, |m| offsets[m.0]);
    if scan < text.len() {
        let mut distinct_words: Vec<&String> = words.iter().collect();
        distinct_words.sort_unstable();
        distinct_words.dedup();
        if best.0 < distinct_words.len() || first + WIDTH > scan {
            return None;
        }
    }
    let start = floor_boundary(text, first.saturating_sub(WIDTH / 3));
    let start = text[start..first]
        .find(char::is_whitespace)
        .map_or(start, |i| start + i + 1);
    let end = ceil_boundary(text, (first + WIDTH).min(text.len()));
    let mut out = String::new();
    let mut at = start;
    for &(a, b) in &matches {
        let (a, b) = (offsets[a], offsets[b]);
        if a < start || b > end {
            continue;
        }
        out.push_str(&text[at..a]);
        out.push('[');
        out.push_str(&text[a..b]);
        out.push(']');
        at = b;
    }
    out.push_str(&text[at..end]);
    let mut out: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if end < text.len() {
        out.push('…');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_words_are_folded_and_stripped_of_syntax() {
        assert_eq!(
            words("Chỉ thị số 45-CT/TW"),
            ["chi", "thi", "so", "45", "ct", "tw"]
        );
        assert_eq!(
            words("\" OR 1=1; DROP TABLE documents --"),
            ["or", "1", "1", "drop", "table", "documents"]
        );
        assert!(words("*** ()").is_empty());
    }

    #[test]
    fn date_bounds() {
        assert_eq!(date_bound("2021", "--from", false).unwrap(), "2021");
        assert_eq!(date_bound("2021", "--to", true).unwrap(), "2021-12-31");
        assert_eq!(date_bound("2021-01", "--to", true).unwrap(), "2021-01-31");
        assert_eq!(
            date_bound("2021-01-14", "--from", false).unwrap(),
            "2021-01-14"
        );
        let err = date_bound("14/01/2021", "--from", false)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("--from") && err.contains("14/01/2021"),
            "{err}"
        );
        assert!(date_bound("2021-13", "--to", true).is_err());
    }

    #[test]
    fn a_long_text_gives_the_snippet_a_full_scan_gives() {
        let filler = "Điều khoản thi hành văn bản này. ".repeat(1200);
        let short = "Điều khoản thi hành văn bản này. ".repeat(150);
        let early = format!("Căn cứ Nghị định của Chính phủ. {filler} Nghị định số 5. {filler}");
        let late = format!("{filler} Nghị định số 5 của Chính phủ. {filler} Chính phủ");
        let middle = format!("{short} Nghị định số 5 của Chính phủ. {filler}");
        for (text, query) in [
            (&early, "nghi dinh chinh phu"),
            (&middle, "nghi dinh chinh phu"),
            (&late, "nghi dinh chinh phu"),
            (&late, "chinh phu"),
            (&early, "khong co"),
            (&early, ""),
        ] {
            let (folded, offsets) = fold_key_with_offsets(text);
            let whole = snippet_within(text, text.len(), &folded, &offsets, &words(query)).unwrap();
            assert_eq!(snippet(text, &words(query)), whole, "{query}");
        }
        let s = snippet(&late, &words("nghi dinh chinh phu"));
        assert!(s.contains("[Nghị] [định] số 5 của [Chính] [phủ]"), "{s}");
    }

    #[test]
    fn snippet_marks_matches_in_the_original_spelling() {
        let text = "Thực hiện Chỉ thị số 45-CT/TW ngày 20/6/2020 của Bộ Chính trị về lãnh đạo";
        let s = snippet(text, &words("chi thi 45"));
        assert!(s.contains("[Chỉ] [thị] số [45]-CT/TW"), "{s}");
    }
}
