//! Task tables: rows of content / performer / time.
//!
//! Two shapes occur in text taken from office files: tables laid out with spaces (PDF
//! text, columns side by side, a row's lines around its number), and tables with one
//! cell per line (DOCX text: the number, the content, the time, the performer).

use std::ops::Range;

use super::lexicon::{expand, is_actor};
use super::{Deadline, Obligation, Role, deadline};
use crate::extract::Grain;
use crate::extract::pattern::regexes;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Col {
    Number,
    Task,
    Target,
    Lead,
    Person,
    Support,
    Time,
    Other,
}

struct Line<'a> {
    text: &'a str,
    range: Range<usize>,
}

/// The lines of a text from its pieces `text.split_inclusive('\n')`.
fn lines<'a>(all: &[&'a str]) -> Vec<Line<'a>> {
    let mut out = Vec::with_capacity(all.len());
    let mut off = 0;
    for &l in all {
        let t = l.trim_end_matches(['\n', '\r']);
        out.push(Line {
            text: t,
            range: off..off + t.len(),
        });
        off += l.len();
    }
    out
}

/// Segments of a line separated by two or more spaces: (start column in chars, text).
fn segments(line: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = line
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while end < chars.len() {
            if chars[end] == ' ' && chars.get(end + 1).is_none_or(|c| *c == ' ') {
                break;
            }
            end += 1;
        }
        out.push((start, chars[start..end].iter().collect::<String>()));
        i = end;
    }
    out
}

fn header_columns(header: &[&str]) -> Vec<(usize, Col)> {
    let keys: &[(&str, Col)] = &[
        ("Nội dung", Col::Task),
        ("Nhiệm vụ", Col::Task),
        ("Công việc", Col::Task),
        ("Mục tiêu", Col::Target),
        ("Cơ quan", Col::Lead),
        ("Đơn vị chủ trì", Col::Lead),
        ("Chủ trì", Col::Lead),
        ("Cá nhân", Col::Person),
        ("phối hợp", Col::Support),
        ("Phối hợp", Col::Support),
        ("Thời hạn", Col::Time),
        ("Thời gian", Col::Time),
        ("Sản phẩm", Col::Other),
        ("Ghi chú", Col::Other),
    ];
    let mut cols: Vec<(usize, Col)> = Vec::new();
    for line in header {
        let chars: Vec<char> = line.chars().collect();
        let s: String = chars.iter().collect();
        for (k, col) in keys {
            if let Some(b) = s.find(k) {
                let c = s[..b].chars().count();
                if !cols.iter().any(|(_, x)| x == col) {
                    cols.push((c, *col));
                }
            }
        }
    }
    cols.push((0, Col::Number));
    cols.sort_by_key(|c| c.0);
    cols
}

regexes! {
    static ROW_NUMBER = r"^(\d{1,2})(?:\s+(.*))?$";
    static SECTION = r"^(?:[IVX]+(?:\.\d+)?|[A-Z])\.?$";
    static YEAR_RANGE = r"(?:^|\s)((?:19|20)\d{2})(?:\s*[-–]\s*((?:19|20)\d{2}))?(?:\s|$)";
    static ACTOR_TAIL = r"\s((?:Đảng [uủ]ỷ|Đảng ủy|Đảng uỷ|Các cấp ủy|Ủy ban|UBND|Sở|Ban|Đồng chí)\b.*)$";
    static PERSON = r"\s(Đồng chí\b.*)$";
    static TIME_TAIL = r"\s((?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?)$";
    static TIME_CUE = r"^(?i:trong|chậm nhất|tối đa|sau|ngay|trước|không quá|hàng|hằng|định kỳ|đến|từ ngày|quý|tháng|năm \d)";
    static ROMAN_HEADING = r"^[IVX]+\.\s";
}

#[derive(Default, Clone)]
struct Row {
    cells: Vec<(Col, String)>,
    lines: Vec<Range<usize>>,
    first_task: Option<Range<usize>>,
}

impl Row {
    fn push(&mut self, col: Col, s: &str) {
        let s = s.trim();
        if s.is_empty() {
            return;
        }
        match self.cells.iter_mut().find(|c| c.0 == col) {
            Some(c) => {
                c.1.push(' ');
                c.1.push_str(s);
            }
            None => self.cells.push((col, s.to_string())),
        }
    }
    fn get(&self, col: Col) -> Option<&str> {
        self.cells.iter().find(|c| c.0 == col).map(|c| c.1.as_str())
    }
}

fn nearest(cols: &[(usize, Col)], at: usize) -> Col {
    // the column whose header starts nearest to the segment, the task column taking
    // everything left of the next header
    let mut best = (usize::MAX, Col::Other);
    for (c, col) in cols {
        if *col == Col::Number {
            continue;
        }
        let d = c.abs_diff(at);
        let d = if *col == Col::Task && at < *c { 0 } else { d };
        if d < best.0 {
            best = (d, *col);
        }
    }
    best.1
}

fn table_deadline(cell: &str, document_date: Option<&str>) -> Option<Deadline> {
    if let Some(f) = deadline::find(cell, document_date) {
        return Some(f.deadline);
    }
    let c = YEAR_RANGE.captures(cell)?;
    let y = c.get(2).or(c.get(1))?.as_str().to_string();
    Some(Deadline {
        value: Some(y),
        grain: Grain::Year,
        recurring: None,
        text: cell.trim().to_string(),
    })
}

/// Obligations from the task tables of both shapes ([`layout`], then [`cells`]), and
/// the byte ranges the tables cover.
/// `all` is `text.split_inclusive('\n')`, cut once for this and the paragraphs.
pub(crate) fn tables(
    text: &str,
    all: &[&str],
    document_date: Option<&str>,
) -> (Vec<Obligation>, Vec<Range<usize>>) {
    // both shapes start at a header line that opens with "TT" or "STT": a text with
    // none has no table, and its lines need not be cut
    if !may_have_header(all) {
        return (Vec::new(), Vec::new());
    }
    let ls = lines(all);
    let (mut out, mut regions) = layout(text, &ls, document_date);
    let (more, more_regions) = cells(&ls, document_date);
    out.extend(more);
    regions.extend(more_regions);
    (out, regions)
}

/// Whether some line of `all`, white space trimmed at its start, opens with "TT" or
/// "STT": the header line both [`layout`] ("TT …", "STT …") and [`cells`] ("TT",
/// "STT") start from. (A look at the start of every line, without the [`lines`] list.)
fn may_have_header(all: &[&str]) -> bool {
    // (a line's end, kept in `all`, is white space after what is looked at)
    all.iter().any(|l| {
        let t = l.trim_start();
        t.starts_with("TT") || t.starts_with("STT")
    })
}

/// Obligations from tables laid out with spaces, and the byte ranges the tables cover.
fn layout(
    text: &str,
    ls: &[Line<'_>],
    document_date: Option<&str>,
) -> (Vec<Obligation>, Vec<Range<usize>>) {
    let mut out = Vec::new();
    let mut regions = Vec::new();
    let mut i = 0;
    while i < ls.len() {
        let Some(LayoutHeader {
            from,
            end: header_end,
            cols,
        }) = layout_header(ls, i)
        else {
            i += 1;
            continue;
        };
        let (rows, j) = layout_rows(ls, header_end, &cols);
        for r in rows {
            emit_row(&r, document_date, &mut out);
        }
        let end = ls
            .get(j.saturating_sub(1))
            .map_or(text.len(), |l| l.range.end);
        regions.push(ls[from].range.start..end);
        i = j.max(i + 1);
    }
    (out, regions)
}

/// The header of a table laid out with spaces.
struct LayoutHeader {
    /// The first line the table covers (a few lines above the header).
    from: usize,
    /// The line after the header.
    end: usize,
    /// Where each column starts, and what it holds.
    cols: Vec<(usize, Col)>,
}

/// The header of a table laid out with spaces at line `i` ("TT   Nội dung   Chủ trì …"),
/// when it names a task column and an actor column.
fn layout_header(ls: &[Line<'_>], i: usize) -> Option<LayoutHeader> {
    let t = ls[i].text.trim_start();
    let is_header = (t.starts_with("TT ") || t.starts_with("STT ")) && ls[i].text.contains("   ");
    if !is_header {
        return None;
    }
    let from = i.saturating_sub(4);
    let to = (i + 5).min(ls.len());
    let mut header_end = i + 1;
    while header_end < to
        && !ls[header_end].text.trim().is_empty()
        && !starts_row(ls[header_end].text)
        && !is_section(ls[header_end].text)
    {
        header_end += 1;
    }
    let header: Vec<&str> = ls[from..header_end].iter().map(|l| l.text).collect();
    let cols = header_columns(&header);
    let task_col = cols.iter().any(|c| c.1 == Col::Task);
    let has_actor = cols.iter().any(|c| matches!(c.1, Col::Lead | Col::Person));
    (task_col && has_actor).then_some(LayoutHeader {
        from,
        end: header_end,
        cols,
    })
}

/// The rows of a table laid out with spaces, from line `start` up to the next header or
/// appendix, and the line it stops at. A row opens at its number; lines with a new task
/// before the number line belong to the row below.
fn layout_rows(ls: &[Line<'_>], start: usize, cols: &[(usize, Col)]) -> (Vec<Row>, usize) {
    // collect rows up to the next header or appendix
    let mut rows: Vec<Row> = Vec::new();
    let mut pending: Row = Row::default(); // lines before the row's number
    let mut current: Option<Row> = None;
    let mut j = start;
    while j < ls.len() {
        let raw = ls[j].text;
        let tt = raw.trim();
        if tt.starts_with("PHỤ LỤC")
            || tt.starts_with("Phụ lục")
            || (tt.starts_with("TT ") && raw.contains("   "))
            || tt.starts_with("Nơi nhận")
        {
            break;
        }
        if tt.is_empty()
            || tt.chars().all(|c| c.is_ascii_digit()) && raw.len() - raw.trim_start().len() > 20
        {
            j += 1;
            continue;
        }
        if header_repeat(tt) {
            j += 1;
            continue;
        }
        let mut segs = segments(raw);
        let mut number = None;
        if let Some((c0, s0)) = segs.first().cloned()
            && c0 <= 3
        {
            if SECTION.is_match(s0.trim())
                || s0.trim().starts_with(['I', 'V', 'X'])
                    && s0.contains(' ')
                    && s0.split(' ').next().is_some_and(|x| SECTION.is_match(x))
            {
                // a section heading inside the table
                if let Some(r) = current.take() {
                    rows.push(r);
                }
                pending = Row::default();
                j += 1;
                continue;
            }
            if let Some(c) = ROW_NUMBER.captures(s0.trim()) {
                number = Some(c[1].to_string());
                let rest = c.get(2).map_or("", |g| g.as_str()).to_string();
                segs.remove(0);
                if !rest.is_empty() {
                    let at = c0 + s0.chars().count() - rest.chars().count();
                    segs.insert(0, (at, rest));
                }
            }
        }
        // where a new row's text starts before its number line
        let task_text: String = segs
            .iter()
            .filter(|(c, _)| nearest(cols, *c) == Col::Task)
            .map(|(_, s)| s.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let starts_task = task_text.chars().next().is_some_and(char::is_uppercase);
        if number.is_some() {
            let mut row = std::mem::take(&mut pending);
            if let Some(r) = current.take() {
                rows.push(r);
            }
            if row.cells.is_empty() {
                row = Row::default();
            }
            add_line(&mut row, cols, &segs, ls[j].range.clone());
            current = Some(row);
        } else if current.is_some()
            && starts_task
            && !pending_started(&pending)
            && next_number_before_task(ls, j, cols)
        {
            pending = Row::default();
            add_line(&mut pending, cols, &segs, ls[j].range.clone());
        } else if !pending.cells.is_empty() || current.is_none() {
            add_line(&mut pending, cols, &segs, ls[j].range.clone());
        } else if let Some(r) = current.as_mut() {
            add_line(r, cols, &segs, ls[j].range.clone());
        }
        j += 1;
    }
    if let Some(r) = current.take() {
        rows.push(r);
    }
    (rows, j)
}

fn pending_started(p: &Row) -> bool {
    !p.cells.is_empty()
}

/// Whether a row number comes after line `j` before the next line whose task cell
/// starts a new sentence; i.e. the text at `j` belongs to a row numbered below it.
fn next_number_before_task(ls: &[Line<'_>], j: usize, cols: &[(usize, Col)]) -> bool {
    for l in ls.iter().skip(j + 1).take(12) {
        let segs = segments(l.text);
        if let Some((c0, s0)) = segs.first()
            && *c0 <= 3
        {
            if ROW_NUMBER.is_match(s0.trim()) {
                return true;
            }
            if SECTION.is_match(s0.trim()) {
                return false;
            }
        }
        let task: String = segs
            .iter()
            .filter(|(c, _)| nearest(cols, *c) == Col::Task)
            .map(|(_, s)| s.as_str())
            .collect();
        if task.chars().next().is_some_and(char::is_uppercase) {
            return false;
        }
    }
    false
}

fn header_repeat(t: &str) -> bool {
    let l = t.to_lowercase();
    l.starts_with("cơ quan,")
        || l.starts_with("tổ chức cá nhân")
        || l.starts_with("đảng   ")
        || l.starts_with("chủ trì")
        || l == "(*)"
        || l.starts_with("thời hạn")
}

fn starts_row(line: &str) -> bool {
    segments(line)
        .first()
        .is_some_and(|(c, s)| *c <= 3 && ROW_NUMBER.is_match(s.trim()))
}

fn is_section(line: &str) -> bool {
    segments(line)
        .first()
        .is_some_and(|(c, s)| *c <= 3 && s.split(' ').next().is_some_and(|x| SECTION.is_match(x)))
}

fn add_line(row: &mut Row, cols: &[(usize, Col)], segs: &[(usize, String)], range: Range<usize>) {
    row.lines.push(range.clone());
    for (c, s) in segs {
        let mut col = nearest(cols, *c);
        let mut s = s.clone();
        if col == Col::Task {
            if row.first_task.is_none() {
                row.first_task = Some(range.clone());
            }
            if let Some(m) = ACTOR_TAIL.captures(&s)
                && let Some(g) = m.get(1)
                && cols.iter().any(|x| x.1 == Col::Lead)
            {
                let tail = g.as_str().to_string();
                s.truncate(g.start());
                row.push(Col::Task, &s);
                let tail_col = if tail.starts_with("Đồng chí") {
                    Col::Person
                } else {
                    Col::Lead
                };
                row.push(tail_col, &tail);
                continue;
            }
        }
        if col == Col::Lead
            && let Some(m) = PERSON.captures(&s)
            && let Some(g) = m.get(1)
        {
            let tail = g.as_str().to_string();
            s.truncate(g.start());
            row.push(Col::Lead, &s);
            s = tail;
            col = Col::Person;
        }
        if matches!(col, Col::Person | Col::Lead)
            && let Some(m) = TIME_TAIL.captures(&s)
            && let Some(g) = m.get(1)
        {
            let tail = g.as_str().to_string();
            s.truncate(g.start());
            row.push(Col::Time, &tail);
        }
        row.push(col, &s);
    }
}

fn emit_row(r: &Row, document_date: Option<&str>, out: &mut Vec<Obligation>) {
    let Some(task) = r.get(Col::Task) else { return };
    let mut action = task.trim().trim_end_matches('.').to_string();
    if let Some(t) = r.get(Col::Target) {
        action = format!("{action} {t}");
    }
    let deadline = r
        .get(Col::Time)
        .and_then(|t| table_deadline(t, document_date));
    let span = r
        .first_task
        .clone()
        .or_else(|| r.lines.first().cloned())
        .unwrap_or(0..0);
    for (col, role) in [
        (Col::Lead, None),
        (Col::Person, Some(Role::Lead)),
        (Col::Support, Some(Role::Support)),
    ] {
        let Some(a) = r.get(col) else { continue };
        let actor = a.split_whitespace().collect::<Vec<_>>().join(" ");
        if !is_actor(&actor) && !actor.starts_with("Đồng chí") {
            continue;
        }
        let role = role.unwrap_or(
            if actor.contains(',') || actor.contains(';') || actor.to_lowercase().starts_with("các")
            {
                Role::All
            } else {
                Role::Lead
            },
        );
        out.push(Obligation {
            actor_normalized: expand(&actor),
            actor,
            role,
            action: action.clone(),
            modality: if col == Col::Support {
                "phối hợp".into()
            } else {
                "chủ trì".into()
            },
            deadline: deadline.clone(),
            span: span.clone(),
        });
    }
}

/// Obligations from tables with one cell per line, and the byte ranges they cover.
fn cells(ls: &[Line<'_>], document_date: Option<&str>) -> (Vec<Obligation>, Vec<Range<usize>>) {
    let mut out = Vec::new();
    let mut regions = Vec::new();
    let mut i = 0;
    while i < ls.len() {
        let Some(mut j) = cells_header(ls, i) else {
            i += 1;
            continue;
        };
        let start = ls[i].range.start;
        let mut last_actor: Option<String> = None;
        let mut end = ls[j].range.end;
        while j < ls.len() {
            let h = ls[j].text.trim();
            if !h.chars().all(|c| c.is_ascii_digit()) || h.is_empty() {
                break;
            }
            let row = cell_row(ls, j + 1);
            j = row.next;
            end = row.end.unwrap_or(end);
            let Some(o) = cell_obligation(row, &mut last_actor, document_date) else {
                continue;
            };
            out.push(o);
            // a new header inside the table: skip it
            while j < ls.len() {
                let l = ls[j].text.trim();
                if l.is_empty() || ROMAN_HEADING.is_match(l) {
                    j += 1;
                    continue;
                }
                break;
            }
            if j < ls.len() && matches!(ls[j].text.trim(), "TT" | "STT") {
                break;
            }
        }
        regions.push(start..end);
        i = j.max(i + 1);
    }
    (out, regions)
}

/// The header of a table with one cell per line at line `i` ("TT", then its cells), when
/// it names who carries the tasks out: the line of the first row number.
fn cells_header(ls: &[Line<'_>], i: usize) -> Option<usize> {
    let t = ls[i].text.trim();
    if !(t == "TT" || t == "STT") {
        return None;
    }
    // header cells up to the first row number
    let mut j = i + 1;
    let mut header = String::new();
    while j < ls.len() && j < i + 10 {
        let h = ls[j].text.trim();
        if ROW_NUMBER.is_match(h) && h.chars().all(|c| c.is_ascii_digit()) {
            break;
        }
        header.push(' ');
        header.push_str(h);
        j += 1;
    }
    let hl = header.to_lowercase();
    ((hl.contains("thực hiện") || hl.contains("chủ trì")) && j < ls.len()).then_some(j)
}

/// One row of a table with one cell per line, after its number: the task, then time and
/// performer lines.
struct CellRow {
    task: Option<(String, Range<usize>)>,
    time: String,
    actor: String,
    /// The line after the row.
    next: usize,
    /// Where the row's last line ends, if it has one.
    end: Option<usize>,
}

/// The row whose cells start at line `j`, up to the next number, section or header.
fn cell_row(ls: &[Line<'_>], mut j: usize) -> CellRow {
    let mut task: Option<(String, Range<usize>)> = None;
    let mut time = String::new();
    let mut actor = String::new();
    let mut end = None;
    let mut mode = 0; // 1 time, 2 performer
    while j < ls.len() {
        let l = ls[j].text.trim();
        if l.is_empty() {
            j += 1;
            continue;
        }
        if l.chars().all(|c| c.is_ascii_digit())
            || ROMAN_HEADING.is_match(l)
            || l == "TT"
            || l == "STT"
        {
            break;
        }
        end = Some(ls[j].range.end);
        if task.is_none() {
            task = Some((l.to_string(), ls[j].range.clone()));
        } else if TIME_CUE.is_match(l) && mode != 2 {
            mode = 1;
            time.push_str(l);
            time.push(' ');
        } else if l.starts_with(|c: char| c.is_lowercase() || c.is_ascii_digit() || c == '(')
            && mode != 0
        {
            let target = if mode == 1 { &mut time } else { &mut actor };
            target.push_str(l);
            target.push(' ');
        } else {
            mode = 2;
            actor.push_str(l.trim_start_matches(['-', ' ']));
            actor.push(' ');
        }
        j += 1;
    }
    CellRow {
        task,
        time,
        actor,
        next: j,
        end,
    }
}

/// The obligation of a row: its performer, or the last row's (`last_actor`) when it names
/// none; `None` for a row with no task or no performer.
fn cell_obligation(
    row: CellRow,
    last_actor: &mut Option<String>,
    document_date: Option<&str>,
) -> Option<Obligation> {
    let (task, span) = row.task?;
    let mut actor = row.actor.split_whitespace().collect::<Vec<_>>().join(" ");
    if actor.is_empty() {
        actor = last_actor.clone().unwrap_or_default();
    }
    if actor.is_empty() {
        return None;
    }
    *last_actor = Some(actor.clone());
    let time = row.time.trim();
    let deadline = deadline::find(time, document_date)
        .map(|f| f.deadline)
        .or_else(|| {
            (!time.is_empty()).then(|| Deadline {
                value: None,
                grain: Grain::Relative,
                recurring: None,
                text: time.to_string(),
            })
        });
    let role = if actor.contains(',') || actor.contains(" và ") {
        Role::All
    } else {
        Role::Lead
    };
    Some(Obligation {
        actor_normalized: expand(&actor),
        actor,
        role,
        action: task,
        modality: "thực hiện".into(),
        deadline,
        span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`may_have_header`] stands for: a line that, trimmed at its start, opens
    /// with "TT" or "STT".
    fn header_line_by_lines(text: &str) -> bool {
        text.lines().any(|l| {
            let t = l.trim_start();
            t.starts_with("TT") || t.starts_with("STT")
        })
    }

    #[test]
    fn may_have_header_agrees_with_the_lines() {
        let mut texts: Vec<String> = [
            "TT",
            "STT",
            "  TT Nội dung",
            "a\n\u{a0}STT  x",
            "QĐ-TTg\nTTT",
            "x TT\nSTTT",
            "ST T\nS TT",
            "SSTT",
            "\tTT\r\n",
            "TTg",
            "",
            "T\nT",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for text in crate::extract::corpus_texts() {
            texts.extend(text.lines().map(str::to_string));
            texts.push(text);
        }
        for t in &texts {
            let all: Vec<&str> = t.split_inclusive('\n').collect();
            assert_eq!(may_have_header(&all), header_line_by_lines(t), "{t:?}");
        }
    }
}
