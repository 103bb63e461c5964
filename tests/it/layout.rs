//! Pages a văn thư would pass, over every built-in template filled from its fixtures, in
//! both standards, read back from our own PDFs (no poppler): the signature and the
//! recipients share a page with body text, and the header's lines are drawn as the layout
//! decided them, none broken inside a place name or the date.

use serde_json::{Value, json};
use vanban::document::{self, Content, Document, Para, Standard};
use vanban::render::{self, RenderOptions};
use vanban::template::Templates;

use crate::pdf::page_texts;

/// Every built-in template but `bao-cao-thang` (filled by `vanban summary` from an
/// archive), its fixture and the fields set on each record (as `--set` would).
const CASES: [(&str, &str); 9] = [
    ("ke-hoach", "ke-hoach.json"),
    ("bien-ban", "bien-ban.json"),
    ("bao-cao", "bao-cao.json"),
    ("ke-hoach-trien-khai", "chi-thi-45.json"),
    ("cong-van", "cong-van.json"),
    ("quyet-dinh", "quyet-dinh.json"),
    ("to-trinh", "to-trinh.json"),
    ("thong-bao", "thong-bao.json"),
    ("giay-moi", "giay-moi.json"),
];

fn records(name: &str) -> Vec<Value> {
    let path = format!("{}/fixtures/data/{name}", env!("CARGO_MANIFEST_DIR"));
    vanban::template::data::from_json(&std::fs::read(path).unwrap()).unwrap()
}

/// Every (name, record, document) to check: each fixture record in both standards. The
/// drafted plan gets the issuing body's fields as `.ci/check-docx.sh` sets them.
fn documents() -> Vec<(String, Value, Document)> {
    let templates = Templates::builtin();
    let mut out = Vec::new();
    for (template, data) in CASES {
        for (i, mut record) in records(data).into_iter().enumerate() {
            if template == "ke-hoach-trien-khai" {
                for (k, v) in [
                    ("co_quan", "UBND HUYỆN CHỢ ĐỒN"),
                    ("so", "12/KH-UBND"),
                    ("dia_danh", "Chợ Đồn"),
                    ("ngay", "2020-07-02"),
                    ("nguoi_ky", "Hoàng Văn A"),
                    ("chuc_vu_ky", "CHỦ TỊCH"),
                ] {
                    record[k] = json!(v);
                }
            }
            for standard in [Standard::NhaNuoc, Standard::Dang] {
                record["standard"] = json!(standard.as_str());
                let draft = templates.fill(template, &record).unwrap();
                let name = format!("{template} #{} {}", i + 1, standard.as_str());
                out.push((name, record.clone(), document::layout(&draft)));
            }
        }
    }
    out
}

/// The lines of text of a paragraph of the frame, as the layout broke them.
fn lines(p: &Para) -> Vec<&str> {
    match &p.content {
        Content::Text { text, .. } if !text.is_empty() => text.split('\n').collect(),
        _ => Vec::new(),
    }
}

/// The lines of the closing table and of what follows it, as the layout decided them.
fn closing_lines(doc: &Document) -> Vec<&str> {
    let f = &doc.frame;
    f.closing
        .rows
        .iter()
        .flatten()
        .flatten()
        .chain(&f.after_closing)
        .flat_map(lines)
        .collect()
}

#[test]
fn the_signature_and_recipients_share_a_page_with_body_text() {
    let mut checked = 0;
    for (name, _, doc) in documents() {
        let pages = page_texts(&render::pdf(&doc, &RenderOptions::default()).unwrap());
        let closing = closing_lines(&doc);
        // Pages holding a line of the closing block (the page number aside).
        let holding: Vec<usize> = (0..pages.len())
            .filter(|&p| {
                pages[p]
                    .iter()
                    .skip(1)
                    .any(|l| closing.contains(&l.as_str()))
            })
            .collect();
        assert_eq!(
            holding.len(),
            1,
            "{name}: the closing block spans {holding:?}"
        );
        let page = holding[0];
        if page == 0 {
            continue;
        }
        // Drawn before the closing on its page: body text (after the page number).
        let lines = &pages[page][1..];
        let first_closing = lines
            .iter()
            .position(|l| closing.contains(&l.as_str()))
            .unwrap();
        let body = lines[..first_closing]
            .iter()
            .filter(|l| !l.trim().is_empty());
        assert!(
            body.count() >= 1,
            "{name}: page {} holds only the closing: {lines:?}",
            page + 1
        );
        checked += 1;
    }
    // The fixtures do put closing blocks on later pages.
    assert!(
        checked >= 10,
        "{checked} documents with a closing past page 1"
    );
}

/// Runs of words a line must not end inside: the place in the record's date line and in
/// its body names (the words after `TỈNH`, `HUYỆN`, … or after `HUYỆN ỦY`…), and the date.
fn units(record: &Value, doc: &Document) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let words = |s: &str| -> Vec<String> { s.split_whitespace().map(str::to_string).collect() };
    if let Some(place) = record["dia_danh"].as_str() {
        out.push(words(place));
    }
    for field in ["co_quan", "co_quan_chu_quan"] {
        let Some(name) = record[field].as_str() else {
            continue;
        };
        let upper = words(&vanban::document::vi::upper(name));
        let level = upper.iter().rposition(|w| {
            ["TỈNH", "HUYỆN", "XÃ", "PHƯỜNG", "QUẬN", "PHỐ", "ỦY", "UỶ"].contains(&w.as_str())
        });
        if let Some(i) = level {
            out.push(upper[i + 1..].to_vec());
        }
    }
    let date = &doc.header.date_line;
    if let Some(at) = date.find("ngày") {
        out.push(words(&date[at..]));
    }
    out.retain(|u| u.len() >= 2);
    out
}

/// Whether line `a` ends inside `unit` and line `b` goes on with it.
fn splits(a: &str, b: &str, unit: &[String]) -> bool {
    let (a, b) = (
        vanban::document::vi::upper(a),
        vanban::document::vi::upper(b),
    );
    let a: Vec<&str> = a.split_whitespace().collect();
    let b: Vec<&str> = b.split_whitespace().collect();
    let unit: Vec<String> = unit
        .iter()
        .map(|w| vanban::document::vi::upper(w))
        .collect();
    (1..unit.len()).any(|k| {
        a.ends_with(&unit[..k].iter().map(String::as_str).collect::<Vec<_>>())
            && b.starts_with(&unit[k..].iter().map(String::as_str).collect::<Vec<_>>())
    })
}

#[test]
fn header_lines_are_drawn_as_decided_and_never_break_inside_a_name() {
    for (name, record, doc) in documents() {
        let pages = page_texts(&render::pdf(&doc, &RenderOptions::default()).unwrap());
        let first = &pages[0];
        // Each header line the layout decided is drawn whole, as one line.
        for cell in doc.frame.header.rows.iter().flatten() {
            // A công văn's trích yếu under the number is a phrase the renderers wrap.
            let lines: Vec<&str> = cell
                .iter()
                .filter(
                    |p| !matches!(&p.content, Content::Text { text, .. } if *text == doc.subject),
                )
                .flat_map(lines)
                .collect();
            for line in &lines {
                assert!(
                    first.iter().any(|l| l == line),
                    "{name}: header line {line:?} not drawn whole: {first:?}"
                );
            }
            for pair in lines.windows(2) {
                for unit in units(&record, &doc) {
                    assert!(
                        !splits(pair[0], pair[1], &unit),
                        "{name}: {:?} / {:?} breaks {unit:?}",
                        pair[0],
                        pair[1]
                    );
                }
            }
        }
    }
}

#[test]
fn the_name_check_sees_a_broken_place() {
    let unit = ["Mường".to_string(), "Khương".to_string()];
    assert!(splits("HUYỆN ỦY MƯỜNG", "KHƯƠNG", &unit));
    assert!(!splits("HUYỆN ỦY", "MƯỜNG KHƯƠNG", &unit));
}
