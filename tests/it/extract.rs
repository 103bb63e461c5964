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
    assert_eq!(c.symbol.standard, extract::Standard::Dang);
    assert_eq!(c.date.as_deref(), Some("2020-06-20"));
    assert_eq!(c.issuer_text.as_deref(), Some("Bộ Chính trị"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn extract_never_panics_and_spans_are_in_bounds(s in "(\\PC|\n| |ngày|tháng|năm|số|/|-|[0-9]{1,4}|QĐ|UBND|Số:|quý|khóa|nhiệm kỳ|từ|đến|trước|Nơi nhận:|TM\\.|KT\\.|\t|\\||Căn cứ|của|CỘNG HÒA|, ngày|Phụ lục|Mẫu số|   |[A-ZĐ]{2,5}){0,80}") {
        let text = text::normalize(&s);
        let r = extract::extract(&text);
        let t = text.as_str();
        let ok = |span: &std::ops::Range<usize>| span.start <= span.end && span.end <= t.len()
            && t.is_char_boundary(span.start) && t.is_char_boundary(span.end);
        for d in &r.dates { prop_assert!(ok(&d.span)); }
        for c in &r.references { prop_assert!(ok(&c.span)); }
        for term in &r.terms { prop_assert!(ok(&term.span)); }
        for d in &r.diagnostics { if let Some(sp) = &d.span { prop_assert!(ok(sp)); } }
        let doc = &r.document;
        for sp in [&doc.number_span, &doc.date_span].into_iter().flatten() { prop_assert!(ok(sp)); }
        if let Some(sg) = &doc.signer { prop_assert!(ok(&sg.span)); }
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
    // A CSV file gets a BOM, so Excel reads it as UTF-8.
    assert!(
        csv.starts_with("\u{feff}path,encoding,number,kind"),
        "{csv}"
    );
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

/// Input, number, kind, first issuer code, year, date.
type Row = (
    &'static str,
    u32,
    Option<&'static str>,
    &'static str,
    Option<i32>,
    Option<&'static str>,
);

/// documents.md §9, the worked examples: number, kind, first issuer code, year (from the
/// number, else from the date) and date, from the document's header or its first citation.
#[test]
fn worked_examples_of_documents_md() {
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("Số: 991/QĐ-UBND", 991, Some("QĐ"), "UBND", None, None),
        ("Số: 12/QĐ-UBND", 12, Some("QĐ"), "UBND", None, None),
        ("Số: 05/KH-UBND", 5, Some("KH"), "UBND", None, None),
        ("Số: 66/TTr-SNN", 66, Some("TTr"), "SNN", None, None),
        ("Thông báo số 39/TB-VPCP ngày 25/2/2008", 39, Some("TB"), "VPCP", Some(2008), Some("2008-02-25")),
        ("Số: 123/UBND-VX", 123, None, "UBND", None, None),
        ("Số: 155/QĐ-BGDĐT … Hà Nội, ngày 10 tháng 01 năm 2013", 155, Some("QĐ"), "BGDĐT", Some(2013), Some("2013-01-10")),
        ("Số: 1893/QĐ-ĐDN", 1893, Some("QĐ"), "ĐDN", None, None),
        ("Nghị quyết 85/NQ-HĐBCQG", 85, Some("NQ"), "HĐBCQG", None, None),
        ("Số: 30/2020/NĐ-CP", 30, Some("NĐ"), "CP", Some(2020), None),
        ("Nghị định số 30/2020/NĐ-CP ngày 05/3/2020", 30, Some("NĐ"), "CP", Some(2020), Some("2020-03-05")),
        ("Quyết định số 186/2006/QĐ-TTg ngày 14/8/2006", 186, Some("QĐ"), "TTg", Some(2006), Some("2006-08-14")),
        ("Chỉ thị số 38/2005/CT-TTg ngày 05/12/2005", 38, Some("CT"), "TTg", Some(2005), Some("2005-12-05")),
        ("11/2007/QĐ-UBND", 11, Some("QĐ"), "UBND", Some(2007), None),
        ("Số: 666/2015/QĐ-UBND", 666, Some("QĐ"), "UBND", Some(2015), None),
        ("Số : 01/2006/TT-NHNN", 1, Some("TT"), "NHNN", Some(2006), None),
        ("Thông tư 01/2011/TT-BNV", 1, Some("TT"), "BNV", Some(2011), None),
        ("Thông tư 20/2011/TT-BCT của Bộ Công Thương", 20, Some("TT"), "BCT", Some(2011), None),
        ("120/2000/TTLT-BTC-BCN-TCHQ", 120, Some("TTLT"), "BTC", Some(2000), None),
        ("12/1999/PL-UBTVQH10", 12, Some("PL"), "UBTVQH10", Some(1999), None),
        ("Bộ luật số: 45/2019/QH14", 45, None, "QH14", Some(2019), None),
        ("Luật số: 91/2015/QH13 … Hà Nội, ngày 24 tháng 11 năm 2015", 91, None, "QH13", Some(2015), Some("2015-11-24")),
        ("Số: 100/2015/QH13", 100, None, "QH13", Some(2015), None),
        ("1141-TC/QĐ", 1141, Some("QĐ"), "TC", None, None),
        ("Số 36-HD/VPTW … Hà Nội, ngày 03 tháng 4 năm 2018", 36, Some("HD"), "VPTW", Some(2018), Some("2018-04-03")),
        ("Chỉ thị số 45-CT/TW ngày 20/6/2020 của Bộ Chính trị", 45, Some("CT"), "TW", Some(2020), Some("2020-06-20")),
        ("Chỉ thị số 45-CT/TW, ngày 14/4/2025 của Bộ Chính trị", 45, Some("CT"), "TW", Some(2025), Some("2025-04-14")),
        ("Nghị quyết số 41-NQ/TW", 41, Some("NQ"), "TW", None, None),
        ("Kết luận số 06-KL/TU ngày 19/5/2004", 6, Some("KL"), "TU", Some(2004), Some("2004-05-19")),
        ("Quy định số 08-QĐi/TW ngày 25/10/2018", 8, Some("QĐi"), "TW", Some(2018), Some("2018-10-25")),
        ("Quy định số 97-QĐ/TW ngày 7/2/2023", 97, Some("QĐ"), "TW", Some(2023), Some("2023-02-07")),
        ("Quyết định … số 31-QĐ/TW, ngày 01-10-1997", 31, Some("QĐ"), "TW", Some(1997), Some("1997-10-01")),
        ("Kế hoạch số 194-KH/TU ngày 16/5/2023", 194, Some("KH"), "TU", Some(2023), Some("2023-05-16")),
        ("Kế hoạch số 18-KH/TU ngày 14/01/2021về lãnh đạo…", 18, Some("KH"), "TU", Some(2021), Some("2021-01-14")),
        ("Báo cáo số 493-BC/VPTW, ngày 16/10/2025", 493, Some("BC"), "VPTW", Some(2025), Some("2025-10-16")),
        ("Công văn số 8011-CV/BTCTW, ngày 27/02/2025", 8011, Some("CV"), "BTCTW", Some(2025), Some("2025-02-27")),
        ("Kế hoạch số 128-KH/HU ngày 10/7/2019", 128, Some("KH"), "HU", Some(2019), Some("2019-07-10")),
        ("Nghị quyết 2537-NQ/ĐU ngày 06/03/2025", 2537, Some("NQ"), "ĐU", Some(2025), Some("2025-03-06")),
        ("Nghị quyết số 55-NQ/ĐUTCT", 55, Some("NQ"), "ĐUTCT", None, None),
        ("Số: 367 - QĐ/TWĐTN-VP", 367, Some("QĐ"), "TWĐTN", None, None),
        ("số 45 - CT/TW", 45, Some("CT"), "TW", None, None),
        ("Số:  1927/QĐ-UBND", 1927, Some("QĐ"), "UBND", None, None),
        ("Số: 12/QĐ–UBND", 12, Some("QĐ"), "UBND", None, None),
        ("SỐ: 28 /2003/NĐ-CP", 28, Some("NĐ"), "CP", Some(2003), None),
        ("3027/QĐUBND", 3027, Some("QĐ"), "UBND", None, None),
        ("63/2010/NĐCP", 63, Some("NĐ"), "CP", Some(2010), None),
        ("Quyết định số: 1206 /QĐ-HVTC", 1206, Some("QĐ"), "HVTC", None, None),
        ("Tờ trình số 66/TTr-SNN ngày 29/4/2008", 66, Some("TTr"), "SNN", Some(2008), Some("2008-04-29")),
        ("Nghị định số 30/2020/NĐ-CP", 30, Some("NĐ"), "CP", Some(2020), None),
        ("Quyết định số 90/QĐ-TTg ngày 18/01/2022", 90, Some("QĐ"), "TTg", Some(2022), Some("2022-01-18")),
        ("Quyết định số 1662/QĐ-TTg ngày 04 tháng 10 năm 2021", 1662, Some("QĐ"), "TTg", Some(2021), Some("2021-10-04")),
        ("Kế hoạch số 7308/KH-BNN-TCLN ngày 04 tháng 11 năm 2021", 7308, Some("KH"), "BNN", Some(2021), Some("2021-11-04")),
        ("Số: 4544/KH-UBND … Quảng Nam, ngày 13 tháng 7 năm 2023", 4544, Some("KH"), "UBND", Some(2023), Some("2023-07-13")),
        ("Nghị quyết 131/2020/QH14", 131, None, "QH14", Some(2020), None),
        ("Số: 55/2007/CT-UBND", 55, Some("CT"), "UBND", Some(2007), None),
        ("Tờ trình số 126/SKHĐT ngày 23/01/2007", 126, None, "SKHĐT", Some(2007), Some("2007-01-23")),
    ];
    let mut wrong = Vec::new();
    for &(input, number, kind, issuer, year, date) in rows {
        let r = run(input);
        let (symbol, got_year, got_date) = match (&r.document.symbol, r.references.first()) {
            (Some(s), _) => (
                s.clone(),
                s.year
                    .or_else(|| r.document.date.as_deref().and_then(|d| d[..4].parse().ok())),
                r.document.date.clone(),
            ),
            (None, Some(c)) => (c.symbol.clone(), c.year, c.date.clone()),
            (None, None) => {
                wrong.push(format!("{input}: no number found"));
                continue;
            }
        };
        let got = (
            symbol.number,
            symbol.kind.as_deref(),
            symbol.issuers.first().map(String::as_str),
            got_year,
            got_date.as_deref(),
        );
        if got != (Some(number), kind, Some(issuer), year, date) {
            wrong.push(format!("{input}: got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn gazette_heading_over_two_lines_gives_number_issuer_and_date() {
    let r = run(
        "Thông tư \nliên tịch của Bộ Tài chính - Công nghiệp -\nTổng cục Hải quan  số 176/1998/TTLT-BTC-BCN-TCHQ \nngày 25 tháng 12 năm1998 Hướng dẫn thực hiện chính sách thuế\n\nCăn cứ ý kiến",
    );
    let d = &r.document;
    assert_eq!(d.number.as_deref(), Some("176/1998/TTLT-BTC-BCN-TCHQ"));
    assert_eq!(
        d.issuer.as_deref(),
        Some("Bộ Tài chính - Công nghiệp - Tổng cục Hải quan")
    );
    assert_eq!(d.date.as_deref(), Some("1998-12-25"));
    assert_eq!(d.place, None);
    assert_eq!(
        d.title.as_deref(),
        Some("Hướng dẫn thực hiện chính sách thuế")
    );
}

#[test]
fn ministerial_gazette_issuer_is_the_ministry() {
    let r = run(
        "Quyết định\ncủa Bộ trưởng Bộ Tài chính số 1141-TC/QĐ/CĐKT\nngày 01 tháng 11 năm 1995 Về việc ban hành\nchế độ kế toán doanh nghiệp\n\nBộ trưởng Bộ Tài chính\n",
    );
    assert_eq!(r.document.issuer.as_deref(), Some("Bộ Tài chính"));
    assert_eq!(r.document.kind.as_deref(), Some("QĐ"));
    assert!(r.diagnostics.iter().any(|d| d.code == "old-symbol-order"));
}

#[test]
fn a_number_with_a_colon_wins_over_a_letterhead_citation() {
    let r = run(
        "   SỞ CÔNG THƯƠNG          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n    ĐOÀN KIỂM TRA              Độc lập - Tự do - Hạnh phúc\n  THEO QUYẾT ĐỊNH\n   SỐ 1050/QĐ-SCT             Lào Cai, ngày 10 tháng 3 năm 2026\n\n     Số: 1105/KH-ĐKT\n\n           KẾ HOẠCH\nKiểm tra việc chấp hành\n",
    );
    assert_eq!(r.document.number.as_deref(), Some("1105/KH-ĐKT"));
    assert_eq!(r.document.issuer.as_deref(), Some("Đoàn kiểm tra"));
    assert_eq!(r.document.parent_issuer.as_deref(), Some("Sở Công thương"));
    assert_eq!(r.references[0].number, "1050/QĐ-SCT");
}

#[test]
fn subject_in_the_number_cell_of_a_markdown_table() {
    let r = run(
        "| VĂN PHÒNG CHÍNH PHỦ ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n| --- | --- |\n| Số: 3479/VPCP-NN *V/v xây dựng Đề án* | *Hà Nội, ngày 26 tháng* *5 năm 2021* |\n| Kính gửi: | - Bộ Nông nghiệp |\n",
    );
    let d = &r.document;
    assert_eq!(d.number.as_deref(), Some("3479/VPCP-NN"));
    assert_eq!(d.kind.as_deref(), Some("CV"));
    assert_eq!(d.issuer.as_deref(), Some("Văn phòng chính phủ"));
    assert_eq!(d.place.as_deref(), Some("Hà Nội"));
    assert_eq!(d.date.as_deref(), Some("2021-05-26"));
    assert_eq!(d.title.as_deref(), Some("V/v xây dựng Đề án"));
}

#[test]
fn misprinted_header_date_falls_back_to_the_repeated_own_number() {
    let r = run(
        "UBND TỈNH LÀO CAI\nSố: 1696/QĐ-UBND     Lào Cai, ngày15 tháng 54 năm 2026\n\nQUYẾT ĐỊNH\nVề việc ủy quyền\n\nCăn cứ Luật.\n\nPhụ lục\n(Ban hành kèm theo Quyết định số 1696/QĐ-UBND ngày 15 / 5 /2026 của UBND tỉnh)\n",
    );
    let d = &r.document;
    assert_eq!(d.place.as_deref(), Some("Lào Cai"));
    assert_eq!(d.date.as_deref(), Some("2026-05-15"));
    assert!(r.references.is_empty());
    assert!(r.diagnostics.iter().any(|d| d.code == "invalid-date"));
}

#[test]
fn annex_has_no_number_and_cites_its_parent() {
    let r = run(
        "Phụ lục 3\n\nQuy trình tổng thể các bước công việc\nĐánh giá kết quả\n (Kèm theo Quyết định số  13/2004/QĐ-BKHCN ngày 25/5/2004\ncủa Bộ trưởng Bộ Khoa học và Công nghệ)\n",
    );
    let d = &r.document;
    assert_eq!(d.number, None);
    assert_eq!(d.kind, None);
    assert_eq!(
        d.title.as_deref(),
        Some("Quy trình tổng thể các bước công việc Đánh giá kết quả")
    );
    assert_eq!(r.references[0].number, "13/2004/QĐ-BKHCN");
    assert_eq!(r.references[0].date.as_deref(), Some("2004-05-25"));
}

#[test]
fn title_goes_on_across_blank_lines_of_converted_docx() {
    let r = run(
        "ỦY BAN BẦU CỬ XÃ PHỐ BẢNG\n\nTIỂU BAN THÔNG TIN\n\nSố: 01/KH-TBTTKT\n\nPhố Bảng, ngày 10 tháng 12 năm 2025\n\nKẾ HOẠCH\n\nBầu cử đại biểu các cấp,\n\nnhiệm kỳ 2026 - 2031 trên địa bàn xã\n\nCăn cứ Quyết định",
    );
    assert_eq!(
        r.document.title.as_deref(),
        Some("Bầu cử đại biểu các cấp, nhiệm kỳ 2026 - 2031 trên địa bàn xã")
    );
    assert_eq!(r.document.issuer.as_deref(), Some("Tiểu ban thông tin"));
}

#[test]
fn place_on_the_line_above_the_date() {
    let r = run(
        "UBND TỈNH X\nSố: 12/QĐ-UBND\nHà Nội,\nngày 5 tháng 3 năm 2020\n\nQUYẾT ĐỊNH\nVề việc A\n",
    );
    assert_eq!(r.document.place.as_deref(), Some("Hà Nội"));
    assert_eq!(r.document.date.as_deref(), Some("2020-03-05"));
    assert_eq!(r.document.title.as_deref(), Some("Về việc A"));
}
