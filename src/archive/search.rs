//! Search: accent-free full text (FTS5 over fold keys) with filters, ranked, with snippets.
//!
//! The query is folded the same way the index is (`chi thi 45` = `Chỉ thị 45`), split into
//! words (letters and digits), and each word is quoted for FTS5 or the tsquery: user
//! input never reaches SQL as syntax. The tiers, the filters, the issuer check and the
//! snippets are the same on both backends; the ranking SQL is each engine's own.

use std::ops::Range;

use serde::Serialize;

use super::{Archive, Value, number_key};
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
    // (PostgreSQL has no NEAR: its rank counts closeness instead.)
    if quoted.len() > 1 && !archive.is_postgres() {
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
    let filters = Filters::of(query)?;
    // Without an issuer filter (applied below) the first rows are the hits: let the
    // database stop there. The text is fetched for the hits only, never sorted along.
    let top =
        (query.issuer.is_none() && limit != usize::MAX).then(|| limit.saturating_add(seen.len()));
    let rows = if archive.is_postgres() {
        postgres_tier(archive, &filters, query_words, expression, top)?
    } else {
        sqlite_tier(archive, &filters, expression, top)?
    };
    keep_hits(archive, query, query_words, rows, limit, seen, hits)
}

/// Appends the rows of a tier not already found, after the issuer filter, with their
/// snippets, until `limit`.
fn keep_hits(
    archive: &Archive,
    query: &Query,
    query_words: &[String],
    rows: Vec<(Hit, i64)>,
    limit: usize,
    seen: &mut std::collections::HashSet<i64>,
    hits: &mut Vec<Hit>,
) -> Result<()> {
    let issuer_words = query.issuer.as_deref().map(words).unwrap_or_default();
    for (mut hit, id) in rows {
        if !issuer_words.is_empty() {
            let issuer = words(hit.issuer.as_deref().unwrap_or_default());
            if !issuer_words.iter().all(|w| issuer.contains(w)) {
                continue;
            }
        }
        if !seen.insert(id) {
            continue;
        }
        let text = archive.select(
            "SELECT text FROM documents WHERE id = ?1",
            &[Value::Integer(id)],
        )?;
        let text = text
            .first()
            .map(|row| super::text(row, 0))
            .unwrap_or_default();
        hit.snippet = snippet(&text, query_words);
        hits.push(hit);
        if hits.len() >= limit {
            break;
        }
    }
    Ok(())
}

/// The checked values of a query's filters.
struct Filters {
    kind: Option<String>,
    number: Option<String>,
    from: Option<String>,
    to: Option<String>,
    issuer: Vec<String>,
}

impl Filters {
    fn of(query: &Query) -> Result<Filters> {
        Ok(Filters {
            kind: query.kind.as_ref().map(|k| k.trim().to_uppercase()),
            number: query.number.as_deref().map(number_key),
            from: query
                .from
                .as_deref()
                .map(|f| date_bound(f, "--from", false))
                .transpose()?,
            to: query
                .to
                .as_deref()
                .map(|t| date_bound(t, "--to", true))
                .transpose()?,
            issuer: query.issuer.as_deref().map(words).unwrap_or_default(),
        })
    }

    /// SQL conditions on `d` (the documents table) with their values appended to
    /// `values` (numbered after what is already there).
    fn conditions(&self, values: &mut Vec<Value>) -> Vec<String> {
        let mut conditions = Vec::new();
        for (value, condition) in [
            (&self.kind, "d.kind_key = ?"),
            (&self.number, "d.number_key = ?"),
            (&self.from, "d.date >= ?"),
            (&self.to, "d.date <= ?"),
        ] {
            if let Some(value) = value {
                values.push(Value::Text(value.clone()));
                conditions.push(format!("{condition}{}", values.len()));
            }
        }
        conditions
    }
}

/// The columns of a hit, then its ID, then its score.
const HIT_COLUMNS: &str = "d.number, d.date, d.kind, d.issuer, d.title, d.path, d.id";

/// A hit (without its snippet) and its document ID from a row of [`HIT_COLUMNS`] and a
/// score, higher better.
fn hit_of(row: &[Value], score: f64) -> (Hit, i64) {
    use super::{opt_text, text};
    let id = match row.get(6) {
        Some(Value::Integer(id)) => *id,
        _ => 0,
    };
    let hit = Hit {
        number: opt_text(row, 0),
        date: opt_text(row, 1),
        kind: opt_text(row, 2),
        issuer: opt_text(row, 3),
        title: opt_text(row, 4),
        path: text(row, 5),
        snippet: String::new(),
        score,
    };
    (hit, id)
}

fn real(row: &[Value], column: usize) -> f64 {
    match row.get(column) {
        Some(Value::Real(x)) => *x,
        Some(Value::Integer(n)) => *n as f64,
        _ => 0.0,
    }
}

/// One tier on SQLite: ranked by FTS5's bm25 inside the full-text table.
fn sqlite_tier(
    archive: &Archive,
    filters: &Filters,
    expression: &str,
    top: Option<usize>,
) -> Result<Vec<(Hit, i64)>> {
    // The filters on the documents table; for a text query they restrict the rows FTS5
    // ranks (`rowid IN (…)`), so bm25 runs only on documents that can be shown.
    let mut values: Vec<Value> = Vec::new();
    let from_fts = !expression.is_empty();
    if from_fts {
        values.push(Value::Text(expression.to_string()));
    }
    let mut conditions = filters.conditions(&mut values);
    // SQLite's LIMIT is an i64: a larger number is a real, and "datatype mismatch".
    let top = top
        .map(|rows| format!(" LIMIT {}", i64::try_from(rows).unwrap_or(i64::MAX)))
        .unwrap_or_default();
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
            "SELECT {HIT_COLUMNS}, ranked.bm25 FROM (
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
            "SELECT {HIT_COLUMNS}, 0.0 FROM documents d WHERE {} ORDER BY d.date DESC, d.path, d.id{top}",
            conditions.join(" AND ")
        )
    };
    Ok(archive
        .select(&sql, &values)?
        .iter()
        .map(|row| hit_of(row, -real(row, 7)))
        .collect())
}

/// The weights PostgreSQL's ranking gives the four fields, in its order (text, issuer,
/// subject, number): the ratios of SQLite's bm25 weights (1, 2, 5, 10).
const PG_WEIGHTS: &str = "'{0.1, 0.2, 0.5, 1.0}'";

/// How many candidates PostgreSQL ranks fully for `rows` hits: every match is ranked
/// by its number, subject and issuer (small, stored in the row) and its length; the
/// best of those by the whole text too.
fn pg_candidates(rows: usize) -> usize {
    rows.saturating_mul(10).max(200)
}

/// One tier on PostgreSQL: the words as a `simple` tsquery over `fold` (the words
/// anywhere; closeness counts in the rank), ranked in two steps: every match by
/// `ts_rank` over `head` (number, subject, issuer) and then shortness, and the best
/// [`pg_candidates`] of those by `ts_rank_cd` over the whole document (cover density:
/// words close together rank higher). No match at all: a third tier, trigram similarity
/// of the query to the folded number, subject and issuer (typos).
fn postgres_tier(
    archive: &Archive,
    filters: &Filters,
    query_words: &[String],
    expression: &str,
    top: Option<usize>,
) -> Result<Vec<(Hit, i64)>> {
    let mut values: Vec<Value> = Vec::new();
    let from_text = !expression.is_empty();
    if from_text {
        values.push(Value::Text(tsquery(query_words, None)));
    }
    let mut conditions = filters.conditions(&mut values);
    if !filters.issuer.is_empty() {
        values.push(Value::Text(tsquery(&filters.issuer, Some('C'))));
        conditions.push(format!("d.head @@ to_tsquery('simple', ?{})", values.len()));
    }
    let top_sql = top
        .map(|rows| format!(" LIMIT {}", i64::try_from(rows).unwrap_or(i64::MAX)))
        .unwrap_or_default();
    if !from_text {
        if conditions.is_empty() {
            conditions.push("true".into());
        }
        let sql = format!(
            "SELECT {HIT_COLUMNS}, 0.0::float8 FROM documents d WHERE {}
             ORDER BY d.date DESC NULLS LAST, d.path, d.id{top_sql}",
            conditions.join(" AND ")
        );
        return Ok(archive
            .select(&sql, &values)?
            .iter()
            .map(|row| hit_of(row, 0.0))
            .collect());
    }
    let filter: String = conditions.iter().map(|c| format!(" AND {c}")).collect();
    let candidates = top
        .map(|rows| {
            let rows = i64::try_from(pg_candidates(rows)).unwrap_or(i64::MAX);
            format!(" LIMIT {rows}")
        })
        .unwrap_or_default();
    let sql = format!(
        "SELECT {HIT_COLUMNS}, ts_rank_cd({PG_WEIGHTS}, d.fold, q, 1)::float8 AS rank
         FROM (SELECT d.id FROM documents d, to_tsquery('simple', ?1) q
               WHERE d.fold @@ q{filter}
               ORDER BY ts_rank({PG_WEIGHTS}, d.head, q) DESC, d.words, d.id{candidates}) c
         JOIN documents d ON d.id = c.id, to_tsquery('simple', ?1) q
         ORDER BY rank DESC, d.date DESC NULLS LAST, d.path, d.id{top_sql}"
    );
    let found: Vec<(Hit, i64)> = archive
        .select(&sql, &values)?
        .iter()
        .map(|row| hit_of(row, real(row, 7)))
        .collect();
    if !found.is_empty() {
        return Ok(found);
    }
    values[0] = Value::Text(query_words.join(" "));
    let sql = format!(
        "SELECT {HIT_COLUMNS}, word_similarity(?1, d.head_text)::float8 AS rank
         FROM documents d WHERE ?1 <% d.head_text{filter}
         ORDER BY rank DESC, d.date DESC NULLS LAST, d.path, d.id{top_sql}"
    );
    Ok(archive
        .select(&sql, &values)?
        .iter()
        .map(|row| hit_of(row, real(row, 7)))
        .collect())
}

/// The words as a tsquery all must match (`'chi' & 'thi' & '45'`), each restricted to
/// one field's weight when given. Words are letters and digits only: nothing in them is
/// tsquery syntax.
fn tsquery(words: &[String], weight: Option<char>) -> String {
    let suffix = weight.map(|w| format!(":{w}")).unwrap_or_default();
    words
        .iter()
        .map(|w| format!("'{w}'{suffix}"))
        .collect::<Vec<_>>()
        .join(" & ")
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
