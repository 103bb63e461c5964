//! Extraction: the date vectors, the hand-labelled corpus (accuracy targets), properties,
//! and the `extract` / `score` commands.

use std::path::Path;

use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;
use vanban::extract::score::{self, Label};
use vanban::extract::{self, Record};
use vanban::text;

fn run(input: &str) -> Record {
    extract::extract(&text::normalize(input))
}

/// A record's dates in the grammar of `vectors/dates.tsv`.
fn vector_form(record: &Record) -> String {
    if record.dates.is_empty() {
        if record.diagnostics.iter().any(|d| d.code == "invalid-date") {
            return "invalid".into();
        }
        return "none".into();
    }
    record
        .dates
        .iter()
        .map(|d| d.vector_form())
        .collect::<Vec<_>>()
        .join(";")
}

#[test]
fn every_row_of_the_date_vectors() {
    let table = std::fs::read_to_string("fixtures/vectors/dates.tsv").unwrap();
    let mut wrong = Vec::new();
    let mut rows = 0;
    for line in table.lines().skip(1) {
        let mut cols = line.split('\t');
        let (Some(input), Some(expected)) = (cols.next(), cols.next()) else {
            continue;
        };
        rows += 1;
        let got = vector_form(&run(input));
        if got != expected {
            wrong.push(format!("{input:?}: got {got}, want {expected}"));
        }
        // The same input in either tone style must give the same value.
        for style in [text::ToneStyle::Old, text::ToneStyle::New] {
            let swapped = text::place_tones(input, style);
            let got = vector_form(&run(&swapped));
            if got != expected {
                wrong.push(format!("{style:?} {swapped:?}: got {got}, want {expected}"));
            }
        }
        // The same input in NFD must give the same value once normalised (NFC).
        let nfd: String = input.nfd().collect();
        if text::normalize(&nfd).as_str() == text::normalize(input).as_str() {
            let got = vector_form(&run(&nfd));
            if got != expected {
                wrong.push(format!("NFD {input:?}: got {got}, want {expected}"));
            }
        }
    }
    eprintln!("dates.tsv: {} of {rows} rows right", rows - wrong.len());
    assert!(rows >= 150);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn corpus() -> Vec<(Label, Record)> {
    let labels = Path::new("fixtures/corpus/labels");
    let mut paths: Vec<_> = std::fs::read_dir(labels)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let label: Label = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            let text_path = Path::new("fixtures/corpus/texts").join(format!("{}.txt", label.id));
            let source = vanban::read::read_file(&text_path, None).unwrap();
            let record = run(&source.text);
            (label, record)
        })
        .collect()
}

#[test]
fn accuracy_on_the_labelled_corpus() {
    let pairs = corpus();
    let s = score::score(&pairs);
    eprintln!("{}", s.report(true));
    assert!(s.files >= 20);
    let field = |name: &str| s.accuracy(score::FIELDS.iter().position(|f| *f == name).unwrap());
    assert!(field("number") >= 0.97, "number {}", field("number"));
    assert!(field("date") >= 0.97, "date {}", field("date"));
    assert!(
        s.references.f1() >= 0.95,
        "references F1 {}",
        s.references.f1()
    );
    assert!(
        s.references_dated.f1() >= 0.90,
        "references+date F1 {}",
        s.references_dated.f1()
    );
    assert!(s.dates.f1() >= 0.95, "dates F1 {}", s.dates.f1());
}

#[test]
fn the_worked_example_decision() {
    let r = run(
        "ỦY BAN NHÂN DÂN         \tCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH BÌNH PHƯỚC                                    Độc lập - Tự do - Hạnh phúc\n\n  Số: 991/QĐ-UBND                                           Đồng Xoài, ngày 14 tháng5 năm 2008\n\nQUYẾT ĐỊNH\nVề việc phê duyệt Kế hoạch\n\nCăn cứ Quyết định số 186/2006/QĐ-TTg ngày 14/8/2006 của Thủ tướng Chính phủ về việc ban hành quy chế;\n",
    );
    let d = &r.document;
    assert_eq!(d.number.as_deref(), Some("991/QĐ-UBND"));
    assert_eq!(d.kind.as_deref(), Some("QĐ"));
    assert_eq!(d.kind_name.as_deref(), Some("Quyết định"));
    assert_eq!(d.place.as_deref(), Some("Đồng Xoài"));
    assert_eq!(d.date.as_deref(), Some("2008-05-14"));
    assert_eq!(d.title.as_deref(), Some("Về việc phê duyệt Kế hoạch"));
    assert_eq!(d.issuer.as_deref(), Some("Ủy ban nhân dân tỉnh Bình Phước"));
    assert_eq!(r.references.len(), 1);
    let c = &r.references[0];
    assert_eq!(c.number, "186/2006/QĐ-TTg");
    assert_eq!(c.date.as_deref(), Some("2006-08-14"));
    assert_eq!(c.year, Some(2006));
    assert_eq!(c.issuer_code.as_deref(), Some("TTg"));
    assert_eq!(c.issuer_text.as_deref(), Some("Thủ tướng Chính phủ"));
}

#[test]
fn a_draft_has_no_number_or_date() {
    let r = run(
        "UBND TỈNH X\n  Số:      /KH-UBND          X, ngày    tháng    năm 2021\n\nKẾ HOẠCH\nTriển khai\n",
    );
    assert_eq!(r.document.number, None);
    assert_eq!(r.document.date, None);
    assert_eq!(r.document.kind.as_deref(), Some("KH"));
}

#[test]
fn party_citation_with_issuer() {
    let r = run("Thực hiện Chỉ thị số 45-CT/TW ngày 20/6/2020 của Bộ Chính trị về lãnh đạo");
    let c = &r.references[0];
    assert_eq!(c.number, "45-CT/TW");
    assert_eq!(c.symbol.standard, extract::Standard::Party);
    assert_eq!(c.date.as_deref(), Some("2020-06-20"));
    assert_eq!(c.issuer_text.as_deref(), Some("Bộ Chính trị"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn extract_never_panics_and_spans_are_in_bounds(s in "(\\PC|\n| |ngày|tháng|năm|số|/|-|[0-9]{1,4}|QĐ|UBND|Số:|quý|khóa|nhiệm kỳ|từ|đến|trước){0,60}") {
        let text = text::normalize(&s);
        let r = extract::extract(&text);
        let t = text.as_str();
        let ok = |span: &std::ops::Range<usize>| span.start <= span.end && span.end <= t.len()
            && t.is_char_boundary(span.start) && t.is_char_boundary(span.end);
        for d in &r.dates { prop_assert!(ok(&d.span)); }
        for c in &r.references { prop_assert!(ok(&c.span)); }
        for term in &r.terms { prop_assert!(ok(&term.span)); }
        for d in &r.diagnostics { if let Some(sp) = &d.span { prop_assert!(ok(sp)); } }
    }
}

#[test]
fn extract_command_writes_records_and_reports_unreadable_inputs() {
    let dir = crate::cli::Dir::new("extract");
    dir.write(
        "kh.txt",
        "UBND TỈNH X\nSố: 05/KH-UBND     X, ngày 14 tháng 01 năm 2021\n\nKẾ HOẠCH\nVề bầu cử\n"
            .as_bytes(),
    );
    let out = crate::cli::vanban(dir.path(), &["extract", "kh.txt", "missing.txt"], b"");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["schema"], "vanban.record/1");
    assert_eq!(lines[0]["document"]["number"], "05/KH-UBND");
    assert_eq!(lines[0]["document"]["date"], "2021-01-14");
    assert_eq!(lines[1]["diagnostics"][0]["code"], "unreadable");

    let out = crate::cli::vanban(
        dir.path(),
        &["extract", "-f", "csv", "-o", "out.csv", "kh.txt"],
        b"",
    );
    assert_eq!(out.status.code(), Some(0));
    let csv = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    assert!(csv.starts_with("path,encoding,number,kind"), "{csv}");
    assert!(csv.contains("05/KH-UBND,KH,Kế hoạch,state"), "{csv}");

    let out = crate::cli::vanban(
        dir.path(),
        &["extract", "-"],
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020".as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["references"][0]["date"], "2020-03-05");
}

#[test]
fn score_command_prints_the_figures() {
    let root = std::env::current_dir().unwrap();
    let out = crate::cli::vanban(&root, &["score"], b"");
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("document.number"), "{stdout}");
    assert!(stdout.contains("references+date"), "{stdout}");
}
