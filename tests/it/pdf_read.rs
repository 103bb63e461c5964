//! Reading PDFs (the text layer): facts of the fixture PDFs in `fixtures/pdf`, which are
//! byte-identical copies of `shared/corpus/pdf` files. The words-against-pdftotext check
//! needs poppler and lives in `.ci/check-pdf-words.py`.

use std::path::Path;

use vanban::pipeline::{self, Input, Options};
use vanban::read::{OcrMode, OcrReason, PageMethod};

fn read(name: &str) -> pipeline::Document {
    let path = format!("fixtures/pdf/{name}.pdf");
    pipeline::read_document(Input::File(Path::new(&path)), &Options::default())
        .unwrap_or_else(|e| panic!("{path}: {e:#}"))
}

fn source(name: &str) -> vanban::decode::Source {
    let path = format!("fixtures/pdf/{name}.pdf");
    pipeline::read_source(Input::File(Path::new(&path)), &Options::default())
        .unwrap_or_else(|e| panic!("{path}: {e:#}"))
}

#[test]
fn pdf_and_transcript_give_the_same_identity_and_citations() {
    let pdf = read("2026-qd-1074-bxd");
    let txt = pipeline::read_document(
        Input::File(Path::new("fixtures/corpus/texts/2026-qd-1074-bxd.txt")),
        &Options::default(),
    )
    .unwrap();
    let (a, b) = (&pdf.record.document, &txt.record.document);
    assert_eq!(a.number.as_deref(), Some("1074/QĐ-BXD"));
    assert_eq!(a.number, b.number);
    assert_eq!(a.kind, b.kind);
    assert_eq!(a.issuer, b.issuer);
    assert_eq!(a.date, b.date);
    let cites = |d: &pipeline::Document| {
        let mut v: Vec<String> = d
            .record
            .references
            .iter()
            .map(|r| r.number.clone())
            .collect();
        v.sort();
        v
    };
    assert_eq!(cites(&pdf), cites(&txt));
}

#[test]
fn letterhead_reads_as_two_blocks_left_then_right() {
    let text = source("2026-qd-1074-bxd").text;
    let lines: Vec<&str> = text.lines().take(6).collect();
    // Left block: issuer, then the number; right block: motto, then place and date.
    assert_eq!(lines[0], "BỘ XÂY DỰNG", "{lines:#?}");
    assert!(lines[1].starts_with("Số: 1074"), "{lines:#?}");
    assert_eq!(lines[2], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "{lines:#?}");
    assert_eq!(lines[3], "Độc lập - Tự do - Hạnh phúc", "{lines:#?}");
    assert!(
        lines[4].starts_with("Hà Nội, ngày 29 tháng 6 năm 2026"),
        "{lines:#?}"
    );
}

#[test]
fn body_lines_are_joined_into_paragraphs() {
    let text = source("2026-qd-1074-bxd").text;
    // A justified paragraph wraps over several lines in the PDF; it is one line here.
    let para = text
        .lines()
        .find(|l| l.starts_with("Căn cứ Luật Phòng cháy"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(para.contains("ngày 29 tháng 11 năm 2024"), "{para}");
}

#[test]
fn every_page_is_accounted_for_with_its_range() {
    let src = source("2026-qd-1074-bxd");
    assert_eq!(src.pages.len(), 2);
    for (i, page) in src.pages.iter().enumerate() {
        assert_eq!(page.number, i + 1);
        assert_eq!(page.method, PageMethod::Layer);
        assert!(!page.range.is_empty());
        assert!(src.text.is_char_boundary(page.range.start));
        assert!(page.vietnamese > 0.6, "{page:?}");
    }
    // Pages are parted by a form feed line.
    let between = &src.text[src.pages[0].range.end..src.pages[1].range.start];
    assert_eq!(between, "\x0C\n");
}

#[test]
fn word_2010_tounicode_bug_leaves_no_gha() {
    let src = source("2025-cv-1178-dck-bct");
    assert!(!src.text.contains(['ƣ', 'Ƣ']), "{}", src.text);
    assert!(src.text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert!(src.text.contains("BỘ CÔNG THƯƠNG"));
    let page = &src.pages[0];
    assert_eq!(page.method, PageMethod::RepairedLayer);
    // 18 ư and 1 Ò re-mapped through the embedded font's own cmap.
    assert_eq!(page.repaired, 19);
}

#[test]
fn a_table_is_read_row_by_row_one_cell_a_line() {
    let text = source("2021-dm-kem-cv-1043-btp").text;
    let lines: Vec<&str> = text.lines().collect();
    let header = lines
        .iter()
        .position(|l| *l == "STT")
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(
        lines[header..header + 7],
        [
            "STT",
            "Tên văn bản/văn bản được quy định chi tiết",
            "Nội dung liên quan",
            "Nội dung giao quy định chi tiết",
            "Tên văn bản quy định chi tiết",
            "Tình trạng ban hành/hiệu lực",
            "Ghi chú",
        ]
    );
    // A wrapped cell is one line.
    assert!(lines.contains(&"Luật Đất đai (số 45/2013/QH13 ngày 29/11/2013)"));
}

#[test]
fn a_layer_of_glyph_ids_needs_ocr_and_is_not_passed_off_as_text() {
    let err = pipeline::read_source(
        Input::File(Path::new("fixtures/pdf/2026-cv-3036-sct-lao-cai.pdf")),
        &Options::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("2026-cv-3036-sct-lao-cai.pdf"), "{err}");
    assert!(err.contains("OCR"), "{err}");
}

#[test]
fn a_scan_without_text_is_an_error_naming_the_file_and_ocr() {
    let dir = tempfile_dir();
    let out = crate::cli::vanban(
        &dir,
        &[
            "extract",
            "--ocr",
            "never",
            &std::fs::canonicalize("fixtures/pdf/2026-cv-813-cuc-hoa-chat.pdf")
                .unwrap()
                .display()
                .to_string(),
        ],
        b"",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!out.status.success());
    assert!(stderr.contains("2026-cv-813-cuc-hoa-chat.pdf"), "{stderr}");
    assert!(stderr.contains("OCR"), "{stderr}");
    assert!(stderr.contains("--ocr auto"), "{stderr}");
}

/// Whether the tesseract program runs here; in CI it must.
fn tesseract_installed() -> bool {
    let found = std::process::Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains("vie"));
    if std::env::var("CI").as_deref() == Ok("true") {
        assert!(found, "CI must install tesseract-ocr tesseract-ocr-vie");
    }
    found
}

#[test]
fn a_scan_is_read_by_ocr_or_is_an_error_saying_what_to_install() {
    let path = Path::new("fixtures/pdf/2026-cv-813-cuc-hoa-chat.pdf");
    let options = Options {
        ocr: OcrMode::Auto,
        ..Options::default()
    };
    let result = pipeline::read_source(Input::File(path), &options);
    if tesseract_installed() {
        let source = result.unwrap();
        assert_eq!(source.pages.len(), 2);
        for page in &source.pages {
            let PageMethod::Ocr { confidence } = page.method else {
                panic!("page {} not OCRed: {:?}", page.number, page.method);
            };
            assert!(confidence > 0.5, "page {}: {confidence}", page.number);
            assert!(!page.range.is_empty());
        }
        let text = source.text.as_str();
        assert!(
            text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            "{text}"
        );
        assert!(text.contains("Độc lập - Tự do - Hạnh phúc"), "{text}");
        assert!(
            text.contains("Cục Hóa chất") || text.contains("CỤC HÓA CHẤT"),
            "{text}"
        );
    } else {
        let err = result.unwrap_err().to_string();
        assert!(err.contains("2026-cv-813-cuc-hoa-chat.pdf"), "{err}");
        assert!(
            err.contains("apt-get install tesseract-ocr tesseract-ocr-vie"),
            "{err}"
        );
    }
}

#[test]
fn without_tesseract_a_scan_is_an_error_naming_the_package_and_the_batch_goes_on() {
    let dir = tempfile_dir().join("no-tesseract");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("a.txt"),
        "Số: 5/QĐ-UBND\nHà Nội, ngày 2 tháng 3 năm 2024\n",
    )
    .unwrap();
    let scan = std::fs::canonicalize("fixtures/pdf/2026-cv-813-cuc-hoa-chat.pdf").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vanban"))
        .current_dir(&dir)
        .env("VANBAN_TESSERACT", dir.join("no-such-tesseract"))
        .args(["extract", "-q", &scan.display().to_string(), "a.txt"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("2026-cv-813-cuc-hoa-chat.pdf"), "{stderr}");
    assert!(
        stderr.contains("apt-get install tesseract-ocr tesseract-ocr-vie"),
        "{stderr}"
    );
    assert!(stdout.contains("5/QĐ-UBND"), "{stdout}");
}

#[test]
fn pages_are_serialised_only_for_pdfs() {
    let json = serde_json::to_value(source("2026-qd-1074-bxd")).unwrap();
    assert_eq!(json["pages"][0]["method"], "layer");
    let txt = pipeline::read_source(
        Input::Bytes {
            name: Path::new("a.txt"),
            bytes: "Số: 1/QĐ".as_bytes(),
        },
        &Options::default(),
    )
    .unwrap();
    assert!(serde_json::to_value(txt).unwrap().get("pages").is_none());
}

#[test]
fn a_scan_page_is_marked_as_needing_ocr_with_its_reason() {
    // Read the scan's bytes through `read` directly: the page account is built before the
    // whole-document error, and its reason is what the OCR reader will look at.
    let bytes = std::fs::read("fixtures/pdf/2026-cv-813-cuc-hoa-chat.pdf").unwrap();
    let err = vanban::read::read(Path::new("scan.pdf"), &bytes, None).unwrap_err();
    assert!(err.to_string().contains("2 of 2 pages need OCR"), "{err}");
    let _ = OcrReason::NoLayer;
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("vanban-pdf-read-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
