//! Word forms filled with docxtpl's tags: small forms built here, the Decree 30 forms in
//! `fixtures/docx-forms/`, and `vanban render -t FORM.docx` / `vanban templates`.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::sync::Arc;

use serde_json::{Value, json};
use vanban::template::docx::{DocxForm, PictureLoader};

use crate::cli::{Dir, vanban};

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

/// A 1×1 PNG.
const PNG_1X1: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

/// A Word package: `body` as the document's body, a header with `header`, and `core` as
/// `docProps/core.xml`'s title.
fn package(body: &str, header: &str, title: &str) -> Vec<u8> {
    let parts: Vec<(&str, String)> = vec![
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/></Types>".into(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/></Relationships>".into(),
        ),
        (
            "word/document.xml",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {W}><w:body>{body}<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId7\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:body></w:document>"),
        ),
        (
            "word/_rels/document.xml.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/></Relationships>".into(),
        ),
        (
            "word/header1.xml",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:hdr {W}>{header}</w:hdr>"),
        ),
        (
            "docProps/core.xml",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{title}</dc:title><dcterms:created xsi:type=\"dcterms:W3CDTF\">2020-03-05T00:00:00Z</dcterms:created></cp:coreProperties>"),
        ),
    ];
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A paragraph of one run with `text`.
fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

/// A table: rows of cells, each cell a paragraph with its text.
fn table(rows: &[&[&str]]) -> String {
    let mut s = String::from("<w:tbl><w:tblGrid>");
    for _ in rows[0].iter() {
        s.push_str("<w:gridCol w:w=\"2000\"/>");
    }
    s.push_str("</w:tblGrid>");
    for r in rows {
        s.push_str("<w:tr>");
        for c in r.iter() {
            s.push_str(&format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"2000\" w:type=\"dxa\"/></w:tcPr>{}</w:tc>",
                p(c)
            ));
        }
        s.push_str("</w:tr>");
    }
    s.push_str("</w:tbl>");
    s
}

fn no_pictures() -> Arc<PictureLoader> {
    Arc::new(|name: &str| Err(format!("no file {name}")))
}

fn compile(bytes: Vec<u8>) -> vanban::Result<DocxForm> {
    DocxForm::compile("mau.docx", "test", bytes, no_pictures())
}

/// Every entry of a zip, by name.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().to_string(), b)
        })
        .collect()
}

fn part(bytes: &[u8], name: &str) -> String {
    String::from_utf8(unzip(bytes).remove(name).unwrap_or_default()).unwrap()
}

/// The text of the `w:t` elements of a part, paragraphs on their own lines.
fn text(xml: &str) -> String {
    let mut out = String::new();
    for para in xml.split("</w:p>") {
        let mut line = String::new();
        let mut rest = para;
        while let Some(s) = rest.find("<w:t") {
            let after = &rest[s + 4..];
            if !(after.starts_with('>') || after.starts_with(' ')) {
                rest = after;
                continue;
            }
            let open_end = after.find('>').unwrap() + 1;
            let close = after.find("</w:t>").unwrap_or(open_end);
            line.push_str(&after[open_end..close.max(open_end)]);
            rest = &after[close.max(open_end)..];
        }
        if !line.is_empty() {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

fn fill(form: &DocxForm, data: Value) -> Vec<u8> {
    form.fill(&data, None).unwrap()
}

#[test]
fn a_form_without_tags_comes_back_byte_for_byte() {
    let bytes = package(&p("Kính gửi: Sở Nội vụ"), &p("Đầu trang"), "Mẫu");
    let form = compile(bytes.clone()).unwrap();
    assert_eq!(fill(&form, json!({"so": "1"})), bytes);
    // A creation date changes docProps/core.xml only.
    let dated = form.fill(&json!({}), Some("2025-01-14T00:00:00Z")).unwrap();
    let (before, after) = (unzip(&bytes), unzip(&dated));
    for (name, content) in &before {
        if name != "docProps/core.xml" {
            assert_eq!(&after[name], content, "{name}");
        }
    }
    assert!(part(&dated, "docProps/core.xml").contains(">2025-01-14T00:00:00Z</dcterms:created>"));
}

#[test]
fn only_parts_with_tags_change() {
    let bytes = package(&p("Số: {{ so }}"), &p("Đầu trang"), "Mẫu");
    let form = compile(bytes.clone()).unwrap();
    let out = fill(&form, json!({"so": "12/UBND-VP"}));
    let (before, after) = (unzip(&bytes), unzip(&out));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (name, content) in &before {
        if name != "word/document.xml" {
            assert_eq!(&after[name], content, "{name}");
        }
    }
    assert_eq!(text(&part(&out, "word/document.xml")), "Số: 12/UBND-VP\n");
}

#[test]
fn a_tag_split_across_runs_takes_the_formatting_of_its_first_run() {
    // As Word saves `{{ so_van_ban }}` after a spell-check and a bold change.
    let body = "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Số: {</w:t></w:r><w:r><w:t>{ so_</w:t></w:r><w:proofErr w:type=\"spellStart\"/><w:r><w:rPr><w:i/></w:rPr><w:t>van_ban</w:t></w:r><w:proofErr w:type=\"spellEnd\"/><w:r><w:t xml:space=\"preserve\"> }}</w:t></w:r></w:p>";
    let form = compile(package(body, "", "")).unwrap();
    let xml = part(
        &fill(&form, json!({"so_van_ban": "05/QĐ-UBND"})),
        "word/document.xml",
    );
    assert!(
        xml.contains(
            "<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">Số: 05/QĐ-UBND</w:t></w:r></w:p>"
        ),
        "{xml}"
    );
}

#[test]
fn values_are_escaped_for_xml() {
    let form = compile(package(&p("{{ a }} {{ b|e }}"), "", "")).unwrap();
    let xml = part(
        &fill(&form, json!({"a": "Phòng NN & PTNT <x>", "b": "\"c\" < d"})),
        "word/document.xml",
    );
    assert!(
        xml.contains("Phòng NN &amp; PTNT &lt;x&gt; &quot;c&quot; &lt; d"),
        "{xml}"
    );
}

#[test]
fn a_row_loop_repeats_its_rows() {
    let body = table(&[
        &["TT", "Nội dung", "Hạn"],
        &["{%tr for t in nhiem_vu %}", "", ""],
        &["{{ loop.index }}", "{{ t.noi_dung }}", "{{ t.han | dmy }}"],
        &["{%tr endfor %}", "", ""],
    ]);
    let form = compile(package(&body, "", "")).unwrap();
    let tasks: Vec<Value> = (1..=20)
        .map(|i| json!({"noi_dung": format!("Việc {i}"), "han": "2025-03-05"}))
        .collect();
    let xml = part(
        &fill(&form, json!({"nhiem_vu": tasks})),
        "word/document.xml",
    );
    assert_eq!(xml.matches("<w:tr>").count(), 21);
    assert!(
        text(&xml).contains("20\nViệc 20\n05/3/2025\n"),
        "{}",
        text(&xml)
    );
    assert!(!xml.contains("{%"));
}

#[test]
fn headers_footnotes_and_properties_are_filled() {
    let form = compile(package(
        &p("{{ a }}"),
        &p("Đầu trang {{ co_quan }}"),
        "{{ tieu_de }}",
    ))
    .unwrap();
    let out = fill(
        &form,
        json!({"a": "x", "co_quan": "UBND XÃ A", "tieu_de": "Công văn số 5"}),
    );
    assert_eq!(
        text(&part(&out, "word/header1.xml")),
        "Đầu trang UBND XÃ A\n"
    );
    assert!(part(&out, "docProps/core.xml").contains("<dc:title>Công văn số 5</dc:title>"));
    assert_eq!(form.info().fields, ["a", "co_quan", "tieu_de"]);
}

#[test]
fn paragraph_tags_and_comments_remove_their_paragraph() {
    let body = [
        p("{%p if co %}"),
        p("Có"),
        p("{%p else %}"),
        p("Không"),
        p("{%p endif %}"),
        p("{#p ghi chú #}"),
        p("Hết"),
    ]
    .concat();
    let form = compile(package(&body, "", "")).unwrap();
    let xml = part(&fill(&form, json!({"co": false})), "word/document.xml");
    assert_eq!(text(&xml), "Không\nHết\n");
}

#[test]
fn breaks_in_values_become_line_and_paragraph_breaks() {
    let form = compile(package(&p("{{ a }}"), "", "")).unwrap();
    let xml = part(
        &fill(&form, json!({"a": "dòng 1\ndòng 2\u{7}đoạn 2\tcột"})),
        "word/document.xml",
    );
    assert!(
        xml.contains("dòng 1</w:t><w:br/><w:t xml:space=\"preserve\">dòng 2"),
        "{xml}"
    );
    assert_eq!(xml.matches("<w:p>").count(), 2);
    assert!(xml.contains("<w:tab/>"));
}

#[test]
fn rich_text_and_paragraph_values() {
    let body = [p("A {{r r }}B"), p("{{p ps }}")].concat();
    let form = compile(package(&body, "", "")).unwrap();
    let data = json!({
        "r": {"rich": ["đậm", {"text": " đỏ", "bold": true, "color": "#FF0000", "size": 13}]},
        "ps": {"paragraphs": ["Một", {"rich": "Hai", "style": "Heading1"}]},
    });
    let xml = part(&fill(&form, data), "word/document.xml");
    assert!(xml.contains("<w:r><w:rPr><w:b/><w:color w:val=\"FF0000\"/><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr><w:t xml:space=\"preserve\"> đỏ</w:t></w:r>"), "{xml}");
    assert!(xml.contains("<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t xml:space=\"preserve\">Hai</w:t></w:r></w:p>"), "{xml}");
    assert_eq!(text(&xml), "A đậm đỏB\nMột\nHai\n");
}

#[test]
fn pictures_from_base64_and_paths_in_body_and_header() {
    let loader: Arc<PictureLoader> = Arc::new(|name: &str| match name {
        "dau.png" => Ok(Arc::new(vanban_png())),
        _ => Err(format!("no file {name}")),
    });
    let bytes = package(&p("Ảnh: {{ logo }}"), &p("{{ dau }}"), "");
    let form = DocxForm::compile("mau.docx", "test", bytes, loader).unwrap();
    let out = fill(
        &form,
        json!({
            "logo": {"picture": format!("data:image/png;base64,{PNG_1X1}"), "width_mm": 30},
            "dau": {"picture": "dau.png", "height_mm": 10},
        }),
    );
    let files = unzip(&out);
    let doc = part(&out, "word/document.xml");
    // 30 mm wide, square: 1,080,000 EMU both ways.
    assert!(
        doc.contains("<wp:extent cx=\"1080000\" cy=\"1080000\"/>"),
        "{doc}"
    );
    assert!(files.contains_key("word/media/vanban-document-1.png"));
    assert!(files.contains_key("word/media/vanban-header1-1.png"));
    let rels = part(&out, "word/_rels/header1.xml.rels");
    assert!(
        rels.contains("Target=\"media/vanban-header1-1.png\""),
        "{rels}"
    );
    assert!(
        part(&out, "[Content_Types].xml")
            .contains("<Default Extension=\"png\" ContentType=\"image/png\"/>")
    );
    // A picture that is not there names itself.
    let err = form
        .fill(
            &json!({"logo": {"picture": "khong-co.png"}, "dau": ""}),
            None,
        )
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("picture 'khong-co.png': no file khong-co.png"),
        "{err}"
    );
}

/// A valid 2×1 PNG (grey pixels).
fn vanban_png() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&2u32.to_be_bytes());
    ihdr.extend_from_slice(&1u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&[0, 128, 128]).unwrap();
    chunk(&mut png, b"IDAT", &z.finish().unwrap());
    chunk(&mut png, b"IEND", &[]);
    png
}

#[test]
fn merged_cells_in_loops() {
    let body = table(&[
        &["Nhóm", "Việc"],
        &["{%tr for t in v %}", ""],
        &["{% vm %}{{ nhom }}", "{{ t }}"],
        &["{%tr endfor %}", ""],
    ]);
    let form = compile(package(&body, "", "")).unwrap();
    let xml = part(
        &fill(&form, json!({"nhom": "A", "v": ["x", "y", "z"]})),
        "word/document.xml",
    );
    assert_eq!(xml.matches("<w:vMerge w:val=\"restart\"/>").count(), 1);
    assert_eq!(xml.matches("<w:vMerge w:val=\"continue\"/>").count(), 2);
    // The cell's properties stay in the schema's order: tcW, then vMerge.
    assert!(
        xml.contains("<w:tcW w:w=\"2000\" w:type=\"dxa\"/><w:vMerge w:val=\"restart\"/>"),
        "{xml}"
    );
}

#[test]
fn a_syntax_error_names_the_table_row_cell_paragraph_and_tag() {
    let body = table(&[&["Số", "Ngày"], &["{{ so }}", "Ngày {{ ngay | dmy }"]]);
    let err = compile(package(&body, "", "")).unwrap_err().to_string();
    assert!(
        err.starts_with("mau.docx: body (word/document.xml), table 1, row 2, cell 2, paragraph \"Ngày {{ ngay | dmy }\", tag {{ ngay | dmy }"),
        "{err}"
    );
}

#[test]
fn an_undefined_field_is_named() {
    let form = compile(package(&table(&[&["{{ so }}"]]), "", "")).unwrap();
    let err = form.fill(&json!({"s": 1}), None).unwrap_err().to_string();
    assert_eq!(
        err,
        "mau.docx: body (word/document.xml), table 1, row 1, cell 1, tag {{ so }}: undefined field 'so'"
    );
}

#[test]
fn a_loop_that_runs_too_long_stops_with_an_error() {
    let form = compile(package(
        &p("{% for a in range(n) %}{% for b in range(n) %}x{% endfor %}{% endfor %}"),
        "",
        "",
    ))
    .unwrap();
    let err = form
        .fill(&json!({"n": 100000}), None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("too much work for one record"), "{err}");
    assert!(form.fill(&json!({"n": 3}), None).is_ok());
}

#[test]
fn a_broken_file_is_refused_by_name() {
    let err = compile(b"PK\x03\x04 not really".to_vec())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("mau.docx: not a usable Word file:"),
        "{err}"
    );
}

#[test]
fn cli_renders_a_form_per_record_and_refuses_pdf() {
    let dir = Dir::new("docx-form-cli");
    dir.write(
        "mau.docx",
        &package(&p("Số {{ so }}, {{ ngay | date_line(dia_danh) }}"), "", ""),
    );
    dir.write(
        "data.json",
        r#"[{"so": "1/UBND", "ngay": "2025-01-14", "dia_danh": "Bắc Kạn"}, {"so": "2/UBND", "ngay": "2025-03-05", "dia_danh": "Chợ Đồn"}, {"so": "3/UBND", "dia_danh": "Na Rì"}]"#
            .as_bytes(),
    );
    let out = vanban(
        dir.path(),
        &[
            "render",
            "-q",
            "-t",
            "mau.docx",
            "-d",
            "data.json",
            "-o",
            "out",
            "--name",
            "cv-{{ so }}",
        ],
        b"",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("record 3 (so=3/UBND): mau.docx: body (word/document.xml), paragraph \"Số {{ so }}, {{ ngay | date_line(dia_danh) }}\", tag {{ ngay | date_line(dia_danh) }}: undefined field 'ngay'"),
        "{stderr}"
    );
    let first = std::fs::read(dir.path().join("out/cv-1-UBND.docx")).unwrap();
    assert_eq!(
        text(&part(&first, "word/document.xml")),
        "Số 1/UBND, Bắc Kạn, ngày 14 tháng 01 năm 2025\n"
    );
    assert!(dir.path().join("out/cv-2-UBND.docx").exists());

    let out = vanban(
        dir.path(),
        &["render", "-t", "mau.docx", "-d", "data.json", "-f", "pdf"],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("a Word form is filled as DOCX only"),
        "{stderr}"
    );
}

#[test]
fn cli_finds_forms_in_the_templates_folder_and_lists_their_fields() {
    let dir = Dir::new("docx-form-list");
    dir.write(
        "mau/giay-moi.docx",
        &package(
            &p("Kính mời {{ nguoi }} dự {{ cuoc_hop }}"),
            &p("{{ co_quan }}"),
            "",
        ),
    );
    let out = vanban(dir.path(), &["templates", "--templates", "mau"], b"");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("giay-moi.docx  (Word form, mau)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("fields: co_quan, cuoc_hop, nguoi"),
        "{stdout}"
    );
    dir.write(
        "data.json",
        r#"{"nguoi": "ông A", "cuoc_hop": "họp", "co_quan": "UBND"}"#.as_bytes(),
    );
    let out = vanban(
        dir.path(),
        &[
            "render",
            "-q",
            "-t",
            "giay-moi",
            "--templates",
            "mau",
            "-d",
            "data.json",
            "-o",
            "out",
        ],
        b"",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(dir.path().join("out/giay-moi-0001.docx").exists());
}

#[test]
fn cli_reads_pictures_next_to_the_data() {
    let dir = Dir::new("docx-form-picture");
    dir.write("mau.docx", &package(&p("{{ anh }}"), "", ""));
    dir.write("du-lieu/dau.png", &vanban_png());
    dir.write(
        "du-lieu/data.json",
        br#"{"anh": {"picture": "dau.png", "width_mm": 20}}"#,
    );
    let out = vanban(
        dir.path(),
        &[
            "render",
            "-q",
            "-t",
            "mau.docx",
            "-d",
            "du-lieu/data.json",
            "-o",
            "out",
        ],
        b"",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let bytes = std::fs::read(dir.path().join("out/mau-0001.docx")).unwrap();
    assert_eq!(
        unzip(&bytes)["word/media/vanban-document-1.png"],
        vanban_png()
    );
    // 20 mm wide, half as high.
    assert!(part(&bytes, "word/document.xml").contains("cx=\"720000\" cy=\"360000\""));
}

/// The text values of a record (dates and pictures left out).
fn leaves(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k != "ngay" && k != "chu_ky" {
                    leaves(x, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| leaves(x, out)),
        Value::String(s) if !s.is_empty() => out.push(s.clone()),
        _ => {}
    }
}

#[test]
fn decree_30_forms_are_filled_from_their_data() {
    let dir = format!("{}/fixtures/docx-forms", env!("CARGO_MANIFEST_DIR"));
    let base = dir.clone();
    let loader: Arc<PictureLoader> = Arc::new(move |name: &str| {
        std::fs::read(format!("{base}/{name}"))
            .map(Arc::new)
            .map_err(|e| e.to_string())
    });
    for name in [
        "cong-van",
        "quyet-dinh",
        "to-trinh",
        "thong-bao",
        "giay-moi",
    ] {
        let bytes = std::fs::read(format!("{dir}/{name}.docx")).unwrap();
        let form = DocxForm::compile(
            &format!("{name}.docx"),
            "fixtures",
            bytes.clone(),
            Arc::clone(&loader),
        )
        .unwrap();
        let records: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(format!("{dir}/{name}.json")).unwrap())
                .unwrap();
        for record in &records {
            let out = form.fill(record, None).unwrap();
            let body = text(&part(&out, "word/document.xml")).to_lowercase();
            let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut values = Vec::new();
            leaves(record, &mut values);
            for v in values {
                let v = v.to_lowercase().trim_end_matches('.').to_string();
                assert!(body.contains(&v), "{name}: {v:?} not in {body}");
            }
            assert!(
                !body.contains("{{") && !body.contains("{%"),
                "{name}: {body}"
            );
            // The headers (page numbers from page 2) and the styles are the form's.
            assert_eq!(
                unzip(&out)["word/styles.xml"],
                unzip(&bytes)["word/styles.xml"]
            );
        }
    }
}

#[test]
fn a_cell_loop_widens_the_table_grid() {
    let body = table(&[
        &["Tên", "{%tc for c in cot %}", "{{ c }}", "{%tc endfor %}"],
        &["{% colspan cot|length %}Gộp", "", "", ""],
    ]);
    let form = compile(package(&body, "", "")).unwrap();
    let xml = part(
        &fill(&form, json!({"cot": ["a", "b", "c", "d", "e"]})),
        "word/document.xml",
    );
    // Six cells in the first row: the grid of four columns (8000) becomes six of 1333.
    assert_eq!(xml.matches("<w:gridCol w:w=\"1333\"/>").count(), 6, "{xml}");
    assert!(xml.contains("<w:gridSpan w:val=\"5\"/>"), "{xml}");
    assert!(!xml.contains("vanban:grid"));
}

#[test]
fn the_picture_filter_makes_a_path_from_a_spreadsheet_a_picture() {
    let loader: Arc<PictureLoader> = Arc::new(|_: &str| Ok(Arc::new(vanban_png())));
    let bytes = package(
        &p("{{ dau | picture(20) }}{{ khong | default('') | picture(20) }}"),
        "",
        "",
    );
    let form = DocxForm::compile("mau.docx", "test", bytes, loader).unwrap();
    let doc = part(&fill(&form, json!({"dau": "dau.png"})), "word/document.xml");
    assert!(doc.contains("cx=\"720000\" cy=\"360000\""), "{doc}");
    assert_eq!(doc.matches("<w:drawing>").count(), 1);
    // A size in the data wins over the form's.
    let doc = part(
        &fill(
            &form,
            json!({"dau": {"picture": "dau.png", "width_mm": 40}}),
        ),
        "word/document.xml",
    );
    assert!(doc.contains("cx=\"1440000\" cy=\"720000\""), "{doc}");
}
