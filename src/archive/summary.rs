//! The monthly summary: documents issued in a month by kind and issuer, obligations due in
//! it and overdue at a date, and the documents cited most. Pure queries; deterministic order.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Archive, Value, opt_text, text};
use crate::{Error, Result};

/// A label and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// What is counted (a kind, an issuer, a number).
    pub label: String,
    /// How many.
    pub count: u64,
}

/// One obligation in the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueObligation {
    /// Its ID in the archive: what `vanban obligations --done ID` takes.
    pub id: i64,
    /// Marked done (`vanban obligations --done`).
    pub done: bool,
    /// Number of the document that assigns it; without one, its subject line (cut to 80
    /// characters), then its file name: never a whole path.
    pub document: String,
    /// Who must act.
    pub actor: String,
    /// What they must do.
    pub action: String,
    /// The deadline as stored (`2021-01-15`, `2021-01`, `2021-Q1`…).
    pub deadline: String,
    /// The last day that deadline allows (ISO).
    pub due: String,
}

/// Everything the monthly report says, computed from the archive.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The month, `2021-01`.
    pub month: String,
    /// The day overdue is judged at (ISO).
    pub overdue_at: String,
    /// Documents dated in the month.
    pub issued: u64,
    /// Those documents by kind, most first.
    pub by_kind: Vec<Count>,
    /// Those documents by issuer, most first.
    pub by_issuer: Vec<Count>,
    /// Obligations whose deadline falls in the month.
    pub due: Vec<DueObligation>,
    /// Obligations whose deadline passed before `overdue_at`, on or after
    /// `overdue_since`, and that are not marked done.
    pub overdue: Vec<DueObligation>,
    /// The first day of the overdue window (ISO): older overdue obligations are only
    /// counted, in `overdue_before`.
    pub overdue_since: String,
    /// Obligations overdue since before `overdue_since`, not marked done.
    pub overdue_before: u64,
    /// Numbers cited most by the documents of the month (at most 10).
    pub most_cited: Vec<Count>,
}

/// Checks a `YYYY-MM` month.
pub fn parse_month(month: &str) -> Result<(i32, u32)> {
    let bad = || Error::Query(format!("--month {month:?}: expected a month like 2021-01"));
    let (y, m) = month.trim().split_once('-').ok_or_else(bad)?;
    let year: i32 = y.parse().map_err(|_| bad())?;
    let month: u32 = m.parse().map_err(|_| bad())?;
    if y.len() != 4 || m.len() != 2 || !(1..=12).contains(&month) {
        return Err(bad());
    }
    Ok((year, month))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The last day a deadline allows: `2021-01-15` → itself, `2021-01` → `2021-01-31`,
/// `2021-Q1` → `2021-03-31`, `2021-H2` → `2021-12-31`, `2021` → `2021-12-31`. Recurring and
/// unknown forms give `None`.
pub fn deadline_end(value: &str) -> Option<String> {
    let parts: Vec<&str> = value.split('-').collect();
    let year: i32 = parts
        .first()?
        .parse()
        .ok()
        .filter(|_| parts[0].len() == 4)?;
    let last = |m: u32| format!("{year:04}-{m:02}-{:02}", days_in_month(year, m));
    match parts.as_slice() {
        [_] => Some(last(12)),
        [_, q] if q.starts_with('Q') => q[1..]
            .parse::<u32>()
            .ok()
            .filter(|q| (1..=4).contains(q))
            .map(|q| last(q * 3)),
        [_, h] if h.starts_with('H') => h[1..]
            .parse::<u32>()
            .ok()
            .filter(|h| (1..=2).contains(h))
            .map(|h| last(h * 6)),
        [_, m] => m
            .parse::<u32>()
            .ok()
            .filter(|m| (1..=12).contains(m))
            .map(last),
        [_, m, d] => {
            let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
            ((1..=12).contains(&m) && (1..=days_in_month(year, m)).contains(&d))
                .then(|| format!("{year:04}-{m:02}-{d:02}"))
        }
        _ => None,
    }
}

/// Every obligation with a single deadline (recurring duties have none), in order of
/// the last day it allows, then document date and position: what `vanban obligations`
/// lists and the summary's due and overdue tables are cut from.
pub fn obligations(archive: &Archive) -> Result<Vec<DueObligation>> {
    let rows = archive.select(
        "SELECT o.id, o.done, d.number, d.title, d.path, o.actor, o.action, o.deadline
         FROM obligations o JOIN documents d ON d.id = o.document_id
         WHERE o.deadline IS NOT NULL AND o.recurring IS NULL
         ORDER BY d.date NULLS FIRST, d.path, o.position",
        &[],
    )?;
    let mut all = Vec::new();
    for row in rows {
        let deadline = text(&row, 7);
        let Some(due) = deadline_end(&deadline) else {
            continue;
        };
        all.push(DueObligation {
            id: match row.first() {
                Some(Value::Integer(id)) => *id,
                _ => 0,
            },
            done: matches!(row.get(1), Some(Value::Integer(n)) if *n != 0),
            document: document_label(opt_text(&row, 2), opt_text(&row, 3), &text(&row, 4)),
            actor: text(&row, 5),
            action: text(&row, 6),
            deadline,
            due,
        });
    }
    all.sort_by(|a, b| a.due.cmp(&b.due));
    Ok(all)
}

/// How a document is named in the summary's tables: its number; without one, its
/// subject line (cut to 80 characters); without that, its file name.
fn document_label(number: Option<String>, title: Option<String>, path: &str) -> String {
    if let Some(number) = number.filter(|n| !n.trim().is_empty()) {
        return number;
    }
    if let Some(title) = title.filter(|t| !t.trim().is_empty()) {
        return match title.char_indices().nth(80) {
            Some((cut, _)) => format!("{}…", &title[..cut]),
            None => title,
        };
    }
    std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// The same day `months` months earlier (the last day of that month when it is shorter).
fn months_before(day: &str, months: u32) -> Option<String> {
    let (y, m, d) = (
        day.get(0..4)?.parse::<i32>().ok()?,
        day.get(5..7)?.parse::<u32>().ok()?,
        day.get(8..10)?.parse::<u32>().ok()?,
    );
    let total = (y * 12 + m as i32 - 1) - months as i32;
    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    let last = deadline_end(&format!("{y:04}-{m:02}"))?;
    let last_day: u32 = last.get(8..10)?.parse().ok()?;
    Some(format!("{y:04}-{m:02}-{:02}", d.min(last_day)))
}

/// How many months back the summary lists overdue obligations by default.
pub const OVERDUE_WINDOW_MONTHS: u32 = 12;

/// Computes the summary of `month` (`2021-01`), judging overdue at `overdue_at` (ISO day;
/// default: the first day of the next month), listing overdue obligations due on or after
/// `overdue_since` (default: [`OVERDUE_WINDOW_MONTHS`] months before `overdue_at`) and
/// counting the older ones.
pub fn summary(
    archive: &Archive,
    month: &str,
    overdue_at: Option<&str>,
    overdue_since: Option<&str>,
) -> Result<Summary> {
    let (year, m) = parse_month(month)?;
    let month = format!("{year:04}-{m:02}");
    let overdue_at = match overdue_at {
        Some(day) => deadline_end(day)
            .filter(|_| day.len() == 10)
            .ok_or_else(|| {
                Error::Query(format!(
                    "--overdue-at {day:?}: expected a day like 2021-02-01"
                ))
            })?,
        None if m == 12 => format!("{:04}-01-01", year + 1),
        None => format!("{year:04}-{:02}-01", m + 1),
    };
    let overdue_since = match overdue_since {
        Some(day) => deadline_end(day)
            .filter(|_| day.len() == 10)
            .ok_or_else(|| {
                Error::Query(format!(
                    "--overdue-since {day:?}: expected a day like 2020-02-01"
                ))
            })?,
        None => months_before(&overdue_at, OVERDUE_WINDOW_MONTHS).ok_or_else(|| {
            Error::Query(format!(
                "no day {OVERDUE_WINDOW_MONTHS} months before {overdue_at}"
            ))
        })?,
    };
    let like = Value::Text(format!("{month}%"));
    let count_by = |column: &str| -> Result<Vec<Count>> {
        let sql = format!(
            "SELECT coalesce({column}, '(không rõ)'), count(*) FROM documents WHERE date LIKE ?1
             GROUP BY 1 ORDER BY 2 DESC, 1"
        );
        Ok(archive
            .select(&sql, std::slice::from_ref(&like))?
            .iter()
            .map(|r| Count {
                label: text(r, 0),
                count: match r.get(1) {
                    Some(Value::Integer(n)) => (*n).max(0) as u64,
                    _ => 0,
                },
            })
            .collect())
    };
    let by_kind = count_by("kind")?;
    let by_issuer = count_by("issuer")?;
    let issued = by_kind.iter().map(|c| c.count).sum();

    let mut due = Vec::new();
    let mut overdue = Vec::new();
    let mut overdue_before = 0;
    for item in obligations(archive)? {
        if item.due.starts_with(&month) {
            due.push(item.clone());
        }
        if item.due < overdue_at && !item.done {
            if item.due < overdue_since {
                overdue_before += 1;
            } else {
                overdue.push(item);
            }
        }
    }
    due.sort_by(|a, b| a.due.cmp(&b.due));
    overdue.sort_by(|a, b| a.due.cmp(&b.due));

    let mut cited: BTreeMap<String, (String, u64)> = BTreeMap::new();
    for row in archive.select(
        "SELECT c.number_key, c.number FROM citations c JOIN documents d ON d.id = c.document_id
         WHERE d.date LIKE ?1 ORDER BY d.path, c.position",
        std::slice::from_ref(&like),
    )? {
        cited.entry(text(&row, 0)).or_insert((text(&row, 1), 0)).1 += 1;
    }
    let mut most_cited: Vec<Count> = cited
        .into_values()
        .map(|(label, count)| Count { label, count })
        .collect();
    most_cited.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    most_cited.truncate(10);
    Ok(Summary {
        month,
        overdue_at,
        issued,
        by_kind,
        by_issuer,
        due,
        overdue,
        overdue_since,
        overdue_before,
        most_cited,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overdue_window_starts_months_before() {
        assert_eq!(
            months_before("2026-08-01", 12).as_deref(),
            Some("2025-08-01")
        );
        assert_eq!(
            months_before("2024-03-31", 1).as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(
            months_before("2026-01-15", 13).as_deref(),
            Some("2024-12-15")
        );
    }

    #[test]
    fn documents_are_named_by_number_then_subject_then_file_name() {
        assert_eq!(
            document_label(Some("45-CT/TW".into()), None, "/a/b.txt"),
            "45-CT/TW"
        );
        assert_eq!(
            document_label(None, Some("Về bầu cử".into()), "/a/b.txt"),
            "Về bầu cử"
        );
        assert_eq!(document_label(None, None, "/kho/2021/b.txt"), "b.txt");
    }

    #[test]
    fn deadline_ends() {
        for (value, end) in [
            ("2021-01-15", Some("2021-01-15")),
            ("2021-02", Some("2021-02-28")),
            ("2024-02", Some("2024-02-29")),
            ("2021-Q1", Some("2021-03-31")),
            ("2021-Q4", Some("2021-12-31")),
            ("2021-H1", Some("2021-06-30")),
            ("2021", Some("2021-12-31")),
            ("2021-02-30", None),
            ("monthly", None),
            ("2021-Q5", None),
        ] {
            assert_eq!(deadline_end(value).as_deref(), end, "{value}");
        }
    }

    #[test]
    fn months() {
        assert_eq!(parse_month("2021-01").unwrap(), (2021, 1));
        assert!(parse_month("2021-13").is_err());
        assert!(
            parse_month("01/2021")
                .unwrap_err()
                .to_string()
                .contains("01/2021")
        );
    }
}
