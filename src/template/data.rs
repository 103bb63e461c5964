//! Template data: records from JSON (an object or an array of objects), CSV (one record
//! per row, the delimiter sniffed) or a spreadsheet (.xlsx, .xls, .ods: one record per row
//! of a sheet), plus `--set key=value` overrides. In tables, `a.b` columns nest, `a.0.b`
//! columns build arrays, and a cell holding a JSON array or object is parsed. Pure: takes
//! bytes, returns records.

use serde_json::{Map, Value};

/// Why data could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError(pub String);

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Records from JSON: an array gives one record per element, an object one record.
pub fn from_json(bytes: &[u8]) -> Result<Vec<Value>, DataError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| DataError(format!("invalid JSON: {e}")))?;
    match value {
        Value::Array(items) => {
            if let Some(i) = items.iter().position(|v| !v.is_object()) {
                return Err(DataError(format!("record {} is not a JSON object", i + 1)));
            }
            Ok(items)
        }
        Value::Object(_) => Ok(vec![value]),
        _ => Err(DataError(
            "expected a JSON object or an array of objects".into(),
        )),
    }
}

/// What a data file holds, told from its bytes, not its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFormat {
    /// A JSON object or array.
    Json,
    /// Comma-, semicolon- or tab-separated values with a header row.
    Csv,
    /// An Excel (.xlsx, .xls) or OpenDocument (.ods) workbook.
    Spreadsheet,
}

/// Tells JSON, CSV and spreadsheets apart by their first bytes (after a BOM and spaces).
pub fn sniff(bytes: &[u8]) -> DataFormat {
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if body.starts_with(b"PK\x03\x04") || body.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return DataFormat::Spreadsheet;
    }
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[' | b'{') => DataFormat::Json,
        _ => DataFormat::Csv,
    }
}

/// Records from any data file: JSON, CSV or a spreadsheet (its `sheet`, or the first).
pub fn from_bytes(bytes: &[u8], sheet: Option<&str>) -> Result<Vec<Value>, DataError> {
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(DataError("no data: the file is empty".into()));
    }
    match sniff(bytes) {
        DataFormat::Json => from_json(bytes),
        DataFormat::Csv => from_csv(bytes),
        DataFormat::Spreadsheet => from_spreadsheet(bytes, sheet),
    }
}

/// Records from CSV with a header row, as Excel writes it in any locale: a UTF-8 BOM,
/// CRLF line ends, and `,`, `;` (Vietnamese and European locales) or tab as the
/// delimiter, whichever the header row uses most outside quotes. `a.b` columns become
/// nested objects, `a.0.b` arrays of objects; a cell that starts with `[` or `{` and
/// parses as JSON becomes that value; other cells are strings.
pub fn from_csv(bytes: &[u8]) -> Result<Vec<Value>, DataError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .delimiter(sniff_delimiter(bytes))
        .from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| DataError(format!("invalid CSV header: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| DataError(format!("invalid CSV row {}: {e}", i + 2)))?;
        rows.push(row.iter().map(cell_value).collect());
    }
    Ok(table_records(&headers, rows))
}

/// The delimiter a CSV's header row uses: the most frequent of `,`, `;` and tab outside
/// double quotes; `,` when none appears.
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in bytes {
        if !quoted && (b == b'\n' || b == b'\r') {
            break;
        }
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&k| (counts[k], 3 - k)).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b';', b'\t'][best]
    }
}

/// A text cell's value: JSON when it starts with `[` or `{` and parses, else the text.
fn cell_value(cell: &str) -> Value {
    let trimmed = cell.trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        serde_json::from_str(cell).unwrap_or_else(|_| Value::String(cell.to_string()))
    } else {
        Value::String(cell.to_string())
    }
}

/// One record per row: each cell set at its column's path. Array items left empty (a
/// row with fewer tasks than the widest) are dropped.
fn table_records(headers: &[String], rows: Vec<Vec<Value>>) -> Vec<Value> {
    rows.into_iter()
        .map(|row| {
            let mut record = Value::Object(Map::new());
            for (key, value) in headers.iter().zip(row) {
                let key = key.trim();
                if !key.is_empty() {
                    set_path(&mut record, key, value);
                }
            }
            drop_empty_items(&mut record);
            record
        })
        .collect()
}

/// Removes array items that hold nothing (null, or only empty strings) anywhere in `value`.
fn drop_empty_items(value: &mut Value) {
    match value {
        Value::Array(items) => {
            items.iter_mut().for_each(drop_empty_items);
            items.retain(|item| !is_blank(item));
        }
        Value::Object(map) => map.values_mut().for_each(drop_empty_items),
        _ => {}
    }
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Object(map) => map.values().all(is_blank),
        Value::Array(items) => items.iter().all(is_blank),
        _ => false,
    }
}

/// The most rows read from one sheet, and the most columns: a sheet claiming a million
/// rows of nothing stays a small error, not a big allocation.
const MAX_SHEET_ROWS: usize = 100_000;
const MAX_SHEET_COLUMNS: usize = 1_000;

/// Records from a workbook (.xlsx, .xls, .ods) read with calamine: the sheet named
/// `sheet`, or the first. The first non-empty row holds the column names; a header cell
/// merged across several columns over a second header row names them `parent.child`.
/// Dates are written as ISO `yyyy-mm-dd`, whole numbers without a decimal point, and a
/// cell with line breaks (Alt+Enter) keeps them.
pub fn from_spreadsheet(bytes: &[u8], sheet: Option<&str>) -> Result<Vec<Value>, DataError> {
    use calamine::Reader;
    let cursor = std::io::Cursor::new(bytes);
    let mut book = calamine::open_workbook_auto_from_rs(cursor)
        .map_err(|e| DataError(format!("not a readable spreadsheet ({e})")))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .cloned()
            .ok_or_else(|| {
                DataError(format!(
                    "no sheet named '{wanted}' (the sheets: {})",
                    names.join(", ")
                ))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| DataError("the workbook has no sheet".into()))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| DataError(format!("sheet '{name}': {e}")))?;
    let merged = match &mut book {
        calamine::Sheets::Xlsx(xlsx) => xlsx.merge_cells_by_sheet_name(&name).unwrap_or_default(),
        _ => Vec::new(),
    };
    let grid: Vec<Vec<Value>> = range
        .rows()
        .take(MAX_SHEET_ROWS + 1)
        .map(|row| row.iter().take(MAX_SHEET_COLUMNS).map(sheet_cell).collect())
        .collect();
    if grid.len() > MAX_SHEET_ROWS {
        return Err(DataError(format!(
            "sheet '{name}' has more than {MAX_SHEET_ROWS} rows"
        )));
    }
    let origin = range.start().unwrap_or((0, 0));
    let (headers, first_data_row) = sheet_headers(&grid, &merged, origin);
    let rows = grid
        .into_iter()
        .skip(first_data_row)
        .filter(|row| !row.iter().all(is_blank))
        .collect();
    Ok(table_records(&headers, rows))
}

/// The column names of a sheet and the index of its first data row.
///
/// Rows above the header that hold at most one value (a title such as "DANH SÁCH KẾ
/// HOẠCH NĂM 2025", usually merged across the table) are skipped. A header cell merged
/// across several columns with names in the row below is a group: the names below name
/// the columns, prefixed with the group (`nhiem_vu.0.noi_dung`) when the group is
/// written as a field path rather than as words.
fn sheet_headers(
    grid: &[Vec<Value>],
    merged: &[calamine::Dimensions],
    origin: (u32, u32),
) -> (Vec<String>, usize) {
    let text = |v: &Value| match v {
        Value::String(s) => s.trim().to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let filled = |row: &Vec<Value>| row.iter().filter(|v| !is_blank(v)).count();
    let widest = grid.iter().take(10).map(filled).max().unwrap_or(0);
    let Some(top) = grid
        .iter()
        .position(|row| filled(row) > 1 || (widest <= 1 && filled(row) == 1))
    else {
        return (Vec::new(), grid.len());
    };
    let mut headers: Vec<String> = grid[top].iter().map(text).collect();
    let mut spans: Vec<(usize, usize)> = merged
        .iter()
        .filter(|d| {
            d.start.0 == d.end.0 && d.start.0 == origin.0 + top as u32 && d.end.1 > d.start.1
        })
        .map(|d| {
            (
                d.start.1.saturating_sub(origin.1) as usize,
                d.end.1.saturating_sub(origin.1) as usize,
            )
        })
        .collect();
    if merged.is_empty()
        && let Some(below) = grid.get(top + 1)
    {
        // No merge records (OpenDocument, CSV): a header cell followed by blank header
        // cells with names below them spans those columns.
        spans = inferred_spans(&headers, &below.iter().map(text).collect::<Vec<_>>());
    }
    let Some(below) = grid.get(top + 1).filter(|_| !spans.is_empty()) else {
        return (headers, top + 1);
    };
    let is_path = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    };
    for &(from, to) in &spans {
        let group = headers.get(from).cloned().unwrap_or_default();
        for col in from..=to.min(headers.len().saturating_sub(1)) {
            let child = below.get(col).map(text).unwrap_or_default();
            headers[col] = match (child.is_empty(), is_path(&group)) {
                (true, _) => group.clone(),
                (false, true) => format!("{group}.{child}"),
                (false, false) => child,
            };
        }
    }
    // Under unmerged headers the second header row is blank or repeats nothing: skipped.
    (headers, top + 2)
}

/// Column spans of a header row without merge records: a named cell and the blank cells
/// after it, where the row below names each of them.
fn inferred_spans(headers: &[String], below: &[String]) -> Vec<(usize, usize)> {
    let named_below = |col: usize| below.get(col).is_some_and(|s| !s.is_empty());
    let mut spans = Vec::new();
    let mut col = 0;
    while col < headers.len() {
        let mut end = col;
        if !headers[col].is_empty() && named_below(col) {
            while end + 1 < headers.len() && headers[end + 1].is_empty() && named_below(end + 1) {
                end += 1;
            }
        }
        if end > col {
            spans.push((col, end));
        }
        col = end + 1;
    }
    spans
}

/// A spreadsheet cell as a data value.
fn sheet_cell(cell: &calamine::Data) -> Value {
    use calamine::Data;
    match cell {
        Data::Empty => Value::Null,
        Data::String(s) => cell_value(&s.replace("\r\n", "\n")),
        Data::Bool(b) => Value::Bool(*b),
        Data::Int(n) => Value::String(n.to_string()),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Value::String(format!("{f:.0}")),
        Data::Float(f) => Value::String(f.to_string()),
        Data::DateTime(dt) if dt.is_datetime() => excel_serial_date(dt.as_f64())
            .map_or_else(|| Value::String(dt.as_f64().to_string()), Value::String),
        Data::DateTime(dt) => Value::String(dt.as_f64().to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Value::String(s.clone()),
        Data::Error(e) => Value::String(format!("#{e:?}")),
    }
}

/// An Excel serial day number (1900 date system: day 1 is 1900-01-01, with Excel's
/// phantom 1900-02-29) as `yyyy-mm-dd`; `None` outside years 1900-9999.
pub fn excel_serial_date(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Serial 60 is Excel's 1900-02-29, which never was; from 61 on, day 0 is 1899-12-30.
    let day = serial.floor() as i64;
    let days_since_epoch = if day < 60 { day - 25_568 } else { day - 25_569 };
    let (y, m, d) = civil_from_days(days_since_epoch);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// The proleptic Gregorian date of a day count from 1970-01-01 (Howard Hinnant's method).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// What a date-shaped text says: `Some(Ok(iso))` for a real day, `Some(Err(why))` for a
/// date-shaped text naming a day that does not exist (`31/02/2021`, month 13), `None`
/// for text that is not shaped like a date. Shapes: ISO `yyyy-mm-dd` (a time after it is
/// ignored), `d/m/yyyy` (also with `-` or `.`), `ngày d tháng m năm yyyy`, and with
/// `serials`, an Excel serial day number of five digits (`44260` = 2021-03-05).
pub fn date_text(s: &str, serials: bool) -> Option<Result<String, String>> {
    let s = s.trim();
    if serials && s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse::<f64>().ok().and_then(excel_serial_date).map(Ok);
    }
    let (y, m, d) = ymd_of(s)?;
    Some(valid_day(y, m, d).map(|()| format!("{y:04}-{m:02}-{d:02}")))
}

/// Year, month and day of a date-shaped text, whether or not that day exists.
fn ymd_of(s: &str) -> Option<(i64, i64, i64)> {
    let num = |x: &str| -> Option<i64> {
        (!x.is_empty() && x.len() <= 4 && x.bytes().all(|b| b.is_ascii_digit()))
            .then(|| x.parse().ok())
            .flatten()
    };
    let lower = s.to_lowercase();
    if let Some(rest) = lower.strip_prefix("ngày") {
        // ngày 14 tháng 01 năm 2021
        let words: Vec<&str> = rest.split_whitespace().collect();
        if let [d, "tháng", m, "năm", y] = words.as_slice() {
            return Some((num(y)?, num(m)?, num(d)?));
        }
        return None;
    }
    let head = match s.as_bytes().get(10) {
        Some(b'T' | b' ') if s.len() > 10 => s.get(..10)?,
        _ => s,
    };
    let parts: Vec<&str> = head.split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    if a.len() == 4 {
        Some((num(a)?, num(b)?, num(c)?))
    } else if c.len() == 4 && a.len() <= 2 && b.len() <= 2 {
        Some((num(c)?, num(b)?, num(a)?))
    } else {
        None
    }
}

/// `Ok` when day `d` of month `m` of year `y` exists, else why not, in Vietnamese terms a
/// văn thư reads (`tháng 2 năm 2021 chỉ có 28 ngày`).
fn valid_day(y: i64, m: i64, d: i64) -> Result<(), String> {
    if !(1..=12).contains(&m) {
        return Err(format!("không có tháng {m}"));
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        _ => 28,
    };
    if y < 1 || d < 1 || d > days {
        return Err(format!("tháng {m} năm {y} chỉ có {days} ngày"));
    }
    Ok(())
}

/// The date-shaped texts in `record` that name no real day, with their column path:
/// (`ngay`, `31/02/2021`, why). Numbers are not checked (they may be anything).
pub fn impossible_dates(record: &Value) -> Vec<(String, String, String)> {
    fn walk(value: &Value, path: &mut String, out: &mut Vec<(String, String, String)>) {
        match value {
            Value::String(s) => {
                if let Some(Err(why)) = date_text(s, false) {
                    out.push((path.clone(), s.clone(), why));
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!(".{i}"));
                    walk(item, path, out);
                    path.truncate(len);
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                    walk(item, path, out);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(record, &mut String::new(), &mut out);
    out
}

/// The largest array index a column name may give (`nhiem_vu.999.noi_dung`); a bigger
/// number is taken as an object key, so a hostile header cannot allocate gigabytes.
const MAX_COLUMN_INDEX: usize = 9_999;

/// Sets `path` (`a.b.c`, or `a.0.b` for arrays) in `record` to `value`, creating objects
/// and arrays on the way and replacing values of another shape in the way.
pub fn set_path(record: &mut Value, path: &str, value: Value) {
    let parts: Vec<&str> = path.split('.').collect();
    let index = |part: &str| {
        part.parse::<usize>()
            .ok()
            .filter(|&i| i <= MAX_COLUMN_INDEX && !part.starts_with('+'))
    };
    let mut node = record;
    for (k, part) in parts.iter().enumerate() {
        let last = k + 1 == parts.len();
        let fresh = || match parts.get(k + 1).copied().and_then(index) {
            Some(_) => Value::Array(Vec::new()),
            None => Value::Object(Map::new()),
        };
        let slot = match (index(part), &mut *node) {
            (Some(i), Value::Array(items)) => {
                if items.len() <= i {
                    items.resize(i + 1, Value::Null);
                }
                &mut items[i]
            }
            (_, Value::Object(map)) => map.entry(part.to_string()).or_insert(Value::Null),
            (_, other) => {
                *other = Value::Object(Map::new());
                let Value::Object(map) = other else { return };
                map.entry(part.to_string()).or_insert(Value::Null)
            }
        };
        if last {
            *slot = value;
            return;
        }
        let expects_array = parts.get(k + 1).copied().and_then(index).is_some();
        let shape_ok = if expects_array {
            slot.is_array()
        } else {
            slot.is_object()
        };
        if !shape_ok {
            *slot = fresh();
        }
        node = slot;
    }
}

/// Parses `key=value` (from `--set`); the value is JSON when it parses as an array or
/// object, else a string.
pub fn parse_set(arg: &str) -> Result<(String, Value), DataError> {
    let (key, value) = arg
        .split_once('=')
        .ok_or_else(|| DataError(format!("--set expects key=value, got '{arg}'")))?;
    let key = key.trim();
    if key.is_empty() {
        return Err(DataError(format!("--set has an empty key in '{arg}'")));
    }
    let t = value.trim_start();
    let value = if t.starts_with('[') || t.starts_with('{') {
        serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_string()))
    } else {
        Value::String(value.to_string())
    };
    Ok((key.to_string(), value))
}

/// The field that names a record in messages: `so`, `number`, `document.number`, `id`,
/// or `name`, whichever is set first; as `key=value`.
pub fn key_field(record: &Value) -> Option<String> {
    for path in ["so", "number", "document.number", "id", "name"] {
        let node = path
            .split('.')
            .try_fold(record, |node, part| node.get(part));
        match node {
            Some(Value::String(s)) if !s.is_empty() => return Some(format!("{path}={s}")),
            Some(Value::Number(n)) => return Some(format!("{path}={n}")),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn csv_nests_dotted_columns_and_parses_json_cells() {
        let csv =
            "so,ky.ten,nhiem_vu\n18-KH/TU,Nguyễn Văn A,\"[{\"\"noi_dung\"\": \"\"Họp\"\"}]\"\n";
        let records = from_csv(csv.as_bytes()).unwrap();
        assert_eq!(
            records,
            [
                json!({"so": "18-KH/TU", "ky": {"ten": "Nguyễn Văn A"}, "nhiem_vu": [{"noi_dung": "Họp"}]})
            ]
        );
    }

    #[test]
    fn csv_delimiter_bom_and_crlf_as_excel_writes_them() {
        let semicolons = "\u{feff}so;ngay;ghi_chu\r\n05/KH;14/01/2021;\"a; b\"\r\n";
        assert_eq!(
            from_csv(semicolons.as_bytes()).unwrap(),
            [json!({"so": "05/KH", "ngay": "14/01/2021", "ghi_chu": "a; b"})]
        );
        assert_eq!(sniff_delimiter(b"a\tb\tc\n"), b'\t');
        assert_eq!(sniff_delimiter(b"\"x;y\",b,c\n"), b',');
        assert_eq!(sniff_delimiter(b"only\n"), b',');
    }

    #[test]
    fn indexed_columns_build_arrays_and_drop_empty_items() {
        let csv = "nv.0.nd,nv.0.han,nv.1.nd,nv.1.han,nv.2.nd\nHọp,2021-01-14,Báo cáo,,\n";
        assert_eq!(
            from_csv(csv.as_bytes()).unwrap(),
            [json!({"nv": [{"nd": "Họp", "han": "2021-01-14"}, {"nd": "Báo cáo", "han": ""}]})]
        );
        // A hostile index is a key, not a billion-item array.
        let mut r = json!({});
        set_path(&mut r, "a.4000000000.b", json!(1));
        assert_eq!(r, json!({"a": {"4000000000": {"b": 1}}}));
    }

    #[test]
    fn dates_in_every_form_data_gives_them() {
        assert_eq!(excel_serial_date(44260.0).as_deref(), Some("2021-03-05"));
        assert_eq!(excel_serial_date(61.0).as_deref(), Some("1900-03-01"));
        assert_eq!(excel_serial_date(0.5), None);
        let ok = |s: &str| date_text(s, true).unwrap().unwrap();
        assert_eq!(ok("14/01/2021"), "2021-01-14");
        assert_eq!(ok("ngày 14 tháng 01 năm 2021"), "2021-01-14");
        assert_eq!(ok("2021-01-14T00:00:00"), "2021-01-14");
        assert_eq!(ok("44260"), "2021-03-05");
        assert_eq!(
            date_text("29/02/2021", false),
            Some(Err("tháng 2 năm 2021 chỉ có 28 ngày".into()))
        );
        assert_eq!(
            date_text("1/13/2021", false),
            Some(Err("không có tháng 13".into()))
        );
        assert_eq!(date_text("44260", false), None);
        assert_eq!(date_text("Quý III/2024", true), None);
        let bad = impossible_dates(
            &json!({"ngay": "31/02/2021", "nv": [{"han": "30/4/2021"}, {"han": "31/4/2021"}]}),
        );
        let columns: Vec<&str> = bad.iter().map(|(c, _, _)| c.as_str()).collect();
        assert_eq!(columns, ["ngay", "nv.1.han"]);
    }

    #[test]
    fn json_object_or_array() {
        assert_eq!(from_json(br#"{"a": 1}"#).unwrap().len(), 1);
        assert_eq!(from_json(br#"[{"a": 1}, {"a": 2}]"#).unwrap().len(), 2);
        assert!(from_json(b"[1]").is_err());
        assert!(from_json(b"{").is_err());
    }

    #[test]
    fn set_and_key() {
        let mut r = json!({"so": "05/KH-UBND"});
        let (k, v) = parse_set("ky.ten=Lê B").unwrap();
        set_path(&mut r, &k, v);
        assert_eq!(r["ky"]["ten"], "Lê B");
        assert_eq!(key_field(&r).as_deref(), Some("so=05/KH-UBND"));
        assert_eq!(
            key_field(&json!({"document": {"number": "45-CT/TW"}})).as_deref(),
            Some("document.number=45-CT/TW")
        );
        assert!(parse_set("novalue").is_err());
    }
}
