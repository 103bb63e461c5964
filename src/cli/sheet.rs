//! CSV for people and for scripts: the columns of each table, English or Vietnamese
//! headers, and the bytes Excel opens correctly (a BOM, and with `--excel` the `;` and
//! CRLF of a Vietnamese locale).

use std::path::Path;

use serde_json::Value;

/// How a CSV table is written.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct SheetArgs {
    /// Write CSV as Excel opens it in a Vietnamese locale: a UTF-8 BOM, `;` between
    /// cells and CRLF line ends. (A CSV written to a `.csv` file always gets the BOM.)
    #[arg(long)]
    pub(crate) excel: bool,
    /// Column headers: `en` (field names, for scripts) or `vi` (Vietnamese, for people).
    #[arg(long, value_enum, default_value_t = Headers::En)]
    pub(crate) headers: Headers,
}

/// The language of a CSV's header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Headers {
    /// Field names (`number`, `issuer`).
    En,
    /// Vietnamese (`Số, ký hiệu`, `Cơ quan ban hành`).
    Vi,
}

/// One column: its field name and its Vietnamese header.
pub(crate) type Column = (&'static str, &'static str);

/// The bytes of a CSV table with `columns` and `rows`, for `output` (`None` is standard
/// output): a UTF-8 BOM when asked for Excel or written to a `.csv` file, so Excel does
/// not show "Bá»™ TÃ i chÃ­nh".
pub(crate) fn csv_bytes(
    columns: &[Column],
    rows: impl IntoIterator<Item = Vec<String>>,
    sheet: &SheetArgs,
    output: Option<&Path>,
) -> anyhow::Result<Vec<u8>> {
    let to_csv_file = output
        .and_then(Path::extension)
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let mut builder = csv::WriterBuilder::new();
    if sheet.excel {
        builder.delimiter(b';').terminator(csv::Terminator::CRLF);
    }
    let mut bytes = Vec::new();
    if sheet.excel || to_csv_file {
        bytes.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut writer = builder.from_writer(bytes);
    writer.write_record(columns.iter().map(|&(en, vi)| match sheet.headers {
        Headers::En => en,
        Headers::Vi => vi,
    }))?;
    for row in rows {
        writer.write_record(row)?;
    }
    Ok(writer.into_inner()?)
}

/// The columns of the documents table (`extract -f csv`, `export -f csv`).
pub(crate) const DOCUMENT_COLUMNS: [Column; 19] = [
    ("path", "Tệp"),
    ("encoding", "Bảng mã"),
    ("number", "Số, ký hiệu"),
    ("kind", "Loại (viết tắt)"),
    ("kind_name", "Loại văn bản"),
    ("standard", "Hệ thống văn bản"),
    ("issuer", "Cơ quan ban hành"),
    ("parent_issuer", "Cơ quan chủ quản"),
    ("place", "Địa danh"),
    ("date", "Ngày ban hành"),
    ("title", "Trích yếu"),
    ("signer", "Người ký"),
    ("signer_position", "Chức vụ người ký"),
    ("recipients", "Nơi nhận"),
    ("references", "Văn bản viện dẫn"),
    ("dates", "Số mốc thời gian"),
    ("terms", "Số thuật ngữ"),
    ("errors", "Số lỗi"),
    ("warnings", "Số cảnh báo"),
];

/// One row of the documents table from a record as JSON (`vanban.record/1`).
pub(crate) fn document_row(record: &Value) -> Vec<String> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let doc = &record["document"];
    let list = |v: &Value, field: Option<&str>| {
        v.as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|item| match field {
                        Some(f) => text(&item[f]),
                        None => text(item),
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default()
    };
    let count = |v: &Value| v.as_array().map_or(0, Vec::len).to_string();
    let severity = |level: &str| {
        record["diagnostics"]
            .as_array()
            .map_or(0, |d| d.iter().filter(|d| d["severity"] == level).count())
            .to_string()
    };
    vec![
        text(&record["path"]),
        text(&record["encoding"]),
        text(&doc["number"]),
        text(&doc["kind"]),
        text(&doc["kind_name"]),
        text(&doc["standard"]),
        text(&doc["issuer"]),
        text(&doc["parent_issuer"]),
        text(&doc["place"]),
        text(&doc["date"]),
        text(&doc["title"]),
        text(&doc["signer"]["name"]),
        text(&doc["signer"]["position"]),
        list(&doc["recipients"], None),
        list(&record["references"], Some("number")),
        count(&record["dates"]),
        count(&record["terms"]),
        severity("error"),
        severity("warning"),
    ]
}
