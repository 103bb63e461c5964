//! Template data: records from JSON (an object or an array of objects) or CSV (one record
//! per row; `a.b` columns nest; a cell holding a JSON array or object is parsed), plus
//! `--set key=value` overrides. Pure: takes bytes, returns records.

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

/// Records from CSV with a header row. `a.b` columns become nested objects; a cell that
/// starts with `[` or `{` and parses as JSON becomes that value; other cells are strings.
pub fn from_csv(bytes: &[u8]) -> Result<Vec<Value>, DataError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| DataError(format!("invalid CSV header: {e}")))?
        .clone();
    let mut records = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| DataError(format!("invalid CSV row {}: {e}", i + 2)))?;
        let mut record = Value::Object(Map::new());
        for (key, cell) in headers.iter().zip(row.iter()) {
            let trimmed = cell.trim_start();
            let value = if trimmed.starts_with('[') || trimmed.starts_with('{') {
                serde_json::from_str(cell).unwrap_or_else(|_| Value::String(cell.to_string()))
            } else {
                Value::String(cell.to_string())
            };
            set_path(&mut record, key.trim(), value);
        }
        records.push(record);
    }
    Ok(records)
}

/// Sets `path` (`a.b.c`) in `record` to `value`, creating objects on the way and
/// replacing non-objects in the way.
pub fn set_path(record: &mut Value, path: &str, value: Value) {
    let mut node = record;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        let Value::Object(map) = node else { return };
        if parts.peek().is_none() {
            map.insert(part.to_string(), value);
            return;
        }
        node = map
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
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
