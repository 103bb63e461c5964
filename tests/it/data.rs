//! Template data as offices keep it: a CSV saved by Excel in a Vietnamese locale, an
//! .xlsx with a title row, merged group headers and Alt+Enter lists, and the same sheet
//! saved by LibreOffice as .ods (`fixtures/data/office/`, made by `make.py` there).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::cli::{Dir, vanban};

fn office(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/data/office")
        .join(name)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `word/document.xml` of a DOCX.
fn document_xml(path: &Path) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// The records the office files were typed from: the first two of `ke-hoach.json`, with
/// the three tasks the sheets have room for.
fn typed_records() -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/data/ke-hoach.json");
    let mut records: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    records.truncate(2);
    for r in &mut records {
        r["nhiem_vu"].as_array_mut().unwrap().truncate(3);
    }
    serde_json::Value::Array(records)
}

#[test]
fn excel_csv_xlsx_and_ods_fill_the_plan_as_the_json_does() {
    let dir = Dir::new("data-office");
    dir.write(
        "typed.json",
        serde_json::to_string(&typed_records()).unwrap().as_bytes(),
    );
    let render = |data: &str, out: &str| {
        let o = vanban(
            dir.path(),
            &["render", "-q", "-t", "ke-hoach", "-d", data, "-o", out],
            b"",
        );
        assert_eq!(o.status.code(), Some(0), "{data}: {}", stderr(&o));
    };
    render("typed.json", "json");
    for (name, out) in [
        ("ke-hoach-excel-vi.csv", "csv"),
        ("ke-hoach.xlsx", "xlsx"),
        ("ke-hoach.ods", "ods"),
    ] {
        render(office(name).to_str().unwrap(), out);
        for k in 1..=2 {
            let file = format!("ke-hoach-{k:04}.docx");
            let want = document_xml(&dir.path().join("json").join(&file));
            let got = document_xml(&dir.path().join(out).join(&file));
            assert!(got == want, "{name} record {k} differs from the JSON's");
        }
    }
    // The Alt+Enter cell became two căn cứ paragraphs, not one per character.
    let xml = document_xml(&dir.path().join("csv/ke-hoach-0001.docx"));
    assert_eq!(xml.matches("Căn cứ").count(), 2, "{xml}");
}

#[test]
fn a_missing_column_is_one_error_listing_the_columns_expected() {
    let dir = Dir::new("data-missing");
    dir.write(
        "ds.csv",
        "Họ tên;Chức vụ\r\nNguyễn Văn A;Trưởng phòng\r\n".as_bytes(),
    );
    let out = vanban(
        dir.path(),
        &[
            "render", "-q", "-t", "ke-hoach", "-d", "ds.csv", "-o", "out",
        ],
        b"",
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("the data has no column for can_cu (Căn cứ), "),
        "{err}"
    );
    assert!(err.contains("co_quan (Cơ quan ban hành)"), "{err}");
    assert!(err.contains("so (Số văn bản)"), "{err}");
    assert!(err.contains("the data's columns: Chức vụ, Họ tên"), "{err}");
}

#[test]
fn a_date_that_does_not_exist_names_the_record_column_and_value() {
    let dir = Dir::new("data-bad-date");
    let mut records = typed_records();
    records[0]["ngay"] = "31/02/2021".into();
    records[1]["nhiem_vu"][2]["thoi_han"] = "44260".into();
    dir.write(
        "ds.json",
        serde_json::to_string(&records).unwrap().as_bytes(),
    );
    let out = vanban(
        dir.path(),
        &[
            "render", "-q", "-t", "ke-hoach", "-d", "ds.json", "-o", "out", "-f", "docx,pdf",
        ],
        b"",
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("record 1 (so=15-KH/HU): ds.json: column 'ngay': '31/02/2021' is not a date (tháng 2 năm 2021 chỉ có 28 ngày)"),
        "{err}"
    );
    // The Excel serial in record 2 is a date: 44260 is 5 March 2021.
    let xml = document_xml(&dir.path().join("out/ke-hoach-0002.docx"));
    assert!(xml.contains("05/3/2021"), "{xml}");
}

#[test]
fn a_sheet_is_chosen_by_name_and_an_unknown_one_is_named() {
    let dir = Dir::new("data-sheet");
    let xlsx = office("ke-hoach.xlsx");
    let out = vanban(
        dir.path(),
        &[
            "render",
            "-q",
            "-t",
            "ke-hoach",
            "-d",
            xlsx.to_str().unwrap(),
            "--sheet",
            "Kế hoạch",
            "-o",
            "out",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = vanban(
        dir.path(),
        &[
            "render",
            "-q",
            "-t",
            "ke-hoach",
            "-d",
            xlsx.to_str().unwrap(),
            "--sheet",
            "Sheet9",
            "-o",
            "out",
        ],
        b"",
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("no sheet named 'Sheet9' (the sheets: Kế hoạch, Ghi chú)"),
        "{err}"
    );
}

fn corpus_text(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/corpus/texts")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_csv_file_for_excel_has_a_bom_and_the_signer() {
    let dir = Dir::new("data-export");
    let text = corpus_text("2008-23.QD-991-UBND.txt");
    let out = vanban(dir.path(), &["index", "-q", "--db", "kho.db", &text], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = vanban(
        dir.path(),
        &["export", "--db", "kho.db", "-f", "csv", "-o", "kho.csv"],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bytes = std::fs::read(dir.path().join("kho.csv")).unwrap();
    let body = std::str::from_utf8(&bytes).unwrap();
    let body = body
        .strip_prefix('\u{feff}')
        .expect("no BOM: Excel shows mojibake");
    let mut lines = body.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert!(
        header.contains(&"signer") && header.contains(&"recipients"),
        "{header:?}"
    );
    assert!(body.contains("Trương Tấn Thiệu"), "{body}");
    // To standard output, for scripts: no BOM unless asked.
    let out = vanban(dir.path(), &["export", "--db", "kho.db", "-f", "csv"], b"");
    assert!(out.stdout.starts_with(b"path,"));
}

#[test]
fn excel_mode_writes_semicolons_crlf_and_vietnamese_headers() {
    let dir = Dir::new("data-excel");
    let text = corpus_text("2008-23.QD-991-UBND.txt");
    let out = vanban(
        dir.path(),
        &["extract", "-f", "csv", "--excel", "--headers", "vi", &text],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let body = String::from_utf8(out.stdout).unwrap();
    let body = body.strip_prefix('\u{feff}').expect("no BOM");
    let header = body.split("\r\n").next().unwrap();
    assert!(header.starts_with("Tệp;Bảng mã;Số, ký hiệu;"), "{header}");
    assert!(
        header.contains(";Người ký;Chức vụ người ký;Nơi nhận;"),
        "{header}"
    );
    assert!(body.contains(";991/QĐ-UBND;"), "{body}");
}
