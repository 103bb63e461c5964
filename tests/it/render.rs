//! Templates → Document → DOCX: the bytes are unzipped and `word/document.xml` is checked
//! for the layout rules and the filled values; `vanban render` is run for batches.

use std::io::Read;

use serde_json::{Value, json};
use vanban::document::{self, Standard};
use vanban::render::{self, RenderOptions};
use vanban::template::Templates;

use crate::cli::{Dir, vanban};

fn fixture(name: &str) -> String {
    let path = format!("{}/fixtures/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

fn records(name: &str) -> Vec<Value> {
    vanban::template::data::from_json(fixture(name).as_bytes()).unwrap()
}

fn docx_bytes(template: &str, record: &Value) -> Vec<u8> {
    let templates = Templates::builtin();
    let draft = templates.fill(template, record).unwrap();
    render::docx(&document::layout(&draft), &RenderOptions::default()).unwrap()
}

/// The parts of a DOCX package.
struct Package {
    document: String,
    styles: String,
    headers: Vec<String>,
    dates: Vec<String>,
}

fn unzip(bytes: &[u8]) -> Package {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let document = part("word/document.xml");
    let styles = part("word/styles.xml");
    let headers = (1..=2)
        .map(|i| part(&format!("word/header{i}.xml")))
        .collect();
    let dates = (0..zip.len())
        .map(|i| {
            let f = zip.by_index(i).unwrap();
            f.last_modified()
                .map(|d| d.year().to_string())
                .unwrap_or_default()
        })
        .collect();
    Package {
        document,
        styles,
        headers,
        dates,
    }
}

/// All `w:t` text, XML entities decoded: the runs of a paragraph joined without
/// separators, each paragraph on its own line.
fn text(xml: &str) -> String {
    let mut out = String::new();
    for chunk in xml.split("<w:t").skip(1) {
        if chunk.starts_with('>') || chunk.starts_with(' ') {
            // `<w:t>` or `<w:t xml:space=…>`, not `<w:tbl>`, `<w:tc>`, `<w:tr>`.
        } else {
            continue;
        }
        let Some(start) = chunk.find('>') else {
            continue;
        };
        let Some(end) = chunk.find("</w:t>") else {
            continue;
        };
        if start < end {
            out.push_str(&chunk[start + 1..end]);
        }
        // A paragraph's end or a line break the layout made: a new line.
        if chunk[end..].contains("</w:p>") || chunk[end..].contains("<w:br />") {
            out.push('\n');
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The run properties and text of the run holding `needle`.
fn run_with<'a>(xml: &'a str, needle: &str) -> &'a str {
    let at = xml
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in document"));
    let start = xml[..at].rfind("<w:r>").unwrap();
    &xml[start..at]
}

#[test]
fn ke_hoach_party_record_has_the_hd36_layout_and_every_value() {
    let record = &records("ke-hoach.json")[0];
    let pkg = unzip(&docx_bytes("ke-hoach", record));
    let xml = &pkg.document;
    // Page: A4, margins 20/20/30/15 mm, first page without number.
    assert!(
        xml.contains(r#"<w:pgSz w:w="11906" w:h="16838" />"#),
        "page size"
    );
    for m in [
        r#"w:top="1134""#,
        r#"w:bottom="1134""#,
        r#"w:left="1701""#,
        r#"w:right="850""#,
    ] {
        assert!(xml.contains(m), "margin {m}");
    }
    assert!(xml.contains("<w:titlePg"), "different first page");
    assert!(xml.contains(r#"w:type="first""#) && xml.contains(r#"w:type="default""#));
    let with_page: Vec<&String> = pkg.headers.iter().filter(|h| h.contains("PAGE")).collect();
    assert_eq!(with_page.len(), 1, "one header with a PAGE field");
    assert!(
        with_page[0].contains(r#"<w:jc w:val="center" />"#),
        "page number centred"
    );
    assert!(pkg.styles.contains(r#"w:ascii="Times New Roman""#), "font");
    assert!(
        pkg.dates.iter().all(|y| y == "1980"),
        "zip dates from no clock: {:?}",
        pkg.dates
    );

    // Header table, Party title 15 pt bold, the star, number without colon.
    assert_eq!(
        xml.matches("<w:tbl>").count(),
        3,
        "header, tasks, signature tables"
    );
    let title = run_with(xml, "ĐẢNG CỘNG SẢN VIỆT NAM");
    assert!(
        title.contains(r#"<w:sz w:val="30" />"#) && title.contains("<w:b />"),
        "{title}"
    );
    assert!(run_with(xml, "HUYỆN ỦY PHÚ LƯƠNG").contains("<w:b />"));
    assert!(!run_with(xml, "ĐẢNG BỘ TỈNH THÁI NGUYÊN").contains("<w:b />"));
    assert!(xml.contains(">*</w:t>"), "Party star");
    assert!(xml.contains(">Số 15-KH/HU</w:t>"));
    let date = run_with(xml, "Phú Lương, ngày 14 tháng 10 năm 2025");
    assert!(date.contains("<w:i />") && date.contains(r#"<w:sz w:val="28" />"#));
    let kind = run_with(xml, ">KẾ HOẠCH<");
    assert!(kind.contains(r#"<w:sz w:val="32" />"#) && kind.contains("<w:b />"));
    // Body: justified with a first-line indent; Nơi nhận 12 bold italic, lines 11.
    assert!(xml.contains(r#"<w:pStyle w:val="VbBody" />"#));
    let body_style = &pkg.styles[pkg.styles.find(r#"w:styleId="VbBody""#).unwrap()..];
    let body_style = &body_style[..body_style.find("</w:style>").unwrap()];
    for want in [
        r#"<w:jc w:val="both" />"#,
        r#"w:firstLine="720""#,
        r#"<w:sz w:val="28" />"#,
    ] {
        assert!(
            body_style.contains(want),
            "body style lacks {want}: {body_style}"
        );
    }
    let label = run_with(xml, "Nơi nhận:");
    assert!(label.contains(r#"<w:sz w:val="24" />"#) && label.contains("<w:i />"));
    assert!(run_with(xml, "- Ban Thường vụ Tỉnh ủy (b/c),").contains(r#"<w:sz w:val="22" />"#));

    // Every filled value is there, as text (the lines of a centred title joined).
    let all = text(xml);
    let all = all.split_whitespace().collect::<Vec<_>>().join(" ");
    for field in [
        "co_quan_chu_quan",
        "co_quan",
        "trich_yeu",
        "nguoi_ky",
        "chuc_vu_ky",
    ] {
        let v = record[field].as_str().unwrap();
        assert!(all.contains(v), "{field}: {v}");
    }
    for c in record["can_cu"].as_array().unwrap() {
        assert!(
            all.contains(&format!("Căn cứ {}", c.as_str().unwrap())),
            "{c}"
        );
    }
    let tasks = record["nhiem_vu"].as_array().unwrap();
    assert_eq!(tasks.len(), 20);
    for t in tasks {
        for k in ["noi_dung", "chu_tri", "phoi_hop"] {
            assert!(all.contains(t[k].as_str().unwrap()), "{k}: {}", t[k]);
        }
        let iso = t["thoi_han"].as_str().unwrap();
        let date = vanban::document::vi::Date::parse(iso).unwrap().numeric();
        assert!(all.contains(&date), "{date}");
    }
    for n in record["noi_nhan"].as_array().unwrap() {
        assert!(all.contains(n.as_str().unwrap()), "{n}");
    }
}

#[test]
fn a_record_can_switch_to_the_state_standard() {
    let mut record = records("ke-hoach.json")[0].clone();
    record["standard"] = json!("nha-nuoc");
    let xml = unzip(&docx_bytes("ke-hoach", &record)).document;
    let national = run_with(&xml, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    assert!(national.contains(r#"<w:sz w:val="26" />"#) && national.contains("<w:b />"));
    assert!(run_with(&xml, "Độc lập - Tự do - Hạnh phúc").contains(r#"<w:sz w:val="28" />"#));
    assert!(xml.contains(">Số: 15-KH/HU</w:t>"));
    assert!(!xml.contains("ĐẢNG CỘNG SẢN VIỆT NAM"));
    assert!(
        xml.contains(r#"<w:top w:val="single""#),
        "rules under motto and issuer"
    );
    assert!(text(&xml).contains("Ban hành Kế hoạch thực hiện như sau:"));
}

#[test]
fn same_input_gives_the_same_bytes_on_any_thread() {
    let record = records("ke-hoach.json")[1].clone();
    let a = docx_bytes("ke-hoach", &record);
    let _other = docx_bytes("bao-cao", &records("bao-cao.json")[0]);
    let b = docx_bytes("ke-hoach", &record);
    let c = std::thread::spawn(move || docx_bytes("ke-hoach", &record))
        .join()
        .unwrap();
    assert!(a == b && b == c, "bytes differ between runs");
}

#[test]
fn every_builtin_template_renders_its_fixture() {
    let cases: [(&str, &str, &[&str]); 3] = [
        (
            "bien-ban",
            "bien-ban.json",
            &[
                "BIÊN BẢN",
                "Số: 07/BB-NN",
                "Chợ Đồn, ngày 05 tháng 3 năm 2021",
                "THƯ KÝ",
                "CHỦ TỌA",
                "Nông Thị Huyền",
                "Hoàng Văn Thắng",
                "tập huấn kỹ thuật | che phủ nilon",
                "Vắng mặt: Đại diện Hội Nông dân huyện (có lý do).",
            ],
        ),
        (
            "bao-cao",
            "bao-cao.json",
            &[
                "BÁO CÁO",
                "Số: 05/BC-STTTT",
                "Bắc Kạn, ngày 01 tháng 7 năm 2021",
                "1.250.000.000 đồng",
                "Một tỷ hai trăm năm mươi triệu đồng",
                "31.250",
                "78,1",
                "KT. GIÁM ĐỐC",
                "Lường Văn Quân",
            ],
        ),
        (
            "ke-hoach-trien-khai",
            "chi-thi-45.json",
            &[
                "triển khai thực hiện Chỉ thị số 45-CT/TW của Bộ Chính trị",
                "Căn cứ Chỉ thị số 45-CT/TW ngày 20/6/2020 của Bộ Chính trị về lãnh đạo",
                "Lãnh đạo, chỉ đạo chặt chẽ công tác chuẩn bị và tổ chức bầu cử",
                "23/5/2021",
                "Thường xuyên",
                "*trên các phương tiện* | truyền thông",
                "Ban Tổ chức Trung ương (chủ trì)",
            ],
        ),
    ];
    for (template, data, wants) in cases {
        let xml = unzip(&docx_bytes(template, &records(data)[0])).document;
        let all = text(&xml);
        for want in wants {
            assert!(all.contains(want), "{template}: {want}");
        }
    }
}

#[test]
fn ke_hoach_trien_khai_without_obligations_has_an_empty_task_table() {
    let mut record = records("chi-thi-45.json")[0].clone();
    record.as_object_mut().unwrap().remove("obligations");
    let templates = Templates::builtin();
    let doc = document::layout(&templates.fill("ke-hoach-trien-khai", &record).unwrap());
    let tables: Vec<_> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            document::Block::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(tables.len(), 1);
    assert_eq!(tables[0].header.len(), 4);
    assert!(tables[0].rows.is_empty());
    assert_eq!(doc.layout.standard, Standard::NhaNuoc);
}

#[test]
fn values_cannot_break_a_table() {
    let mut record = records("ke-hoach.json")[0].clone();
    record["nhiem_vu"][0]["noi_dung"] = json!("Họp | bàn *gấp* _ngay_ [x](y) <b>& 1. - #");
    record["nhiem_vu"][0]["chu_tri"] = json!("dòng một\ndòng hai");
    let doc = document::layout(&Templates::builtin().fill("ke-hoach", &record).unwrap());
    let table = doc
        .blocks
        .iter()
        .find_map(|b| match b {
            document::Block::Table(t) => Some(t),
            _ => None,
        })
        .unwrap();
    assert_eq!(table.rows.len(), 20);
    assert!(table.rows.iter().all(|r| r.len() == 5));
    let cell: String = table.rows[0][1].iter().map(|s| s.text.as_str()).collect();
    assert_eq!(cell, "Họp | bàn *gấp* _ngay_ [x](y) <b>& 1. - #");
    assert!(table.rows[0][1].iter().all(|s| !s.bold && !s.italic));
    let lead: String = table.rows[0][2].iter().map(|s| s.text.as_str()).collect();
    assert_eq!(lead, "dòng một dòng hai");
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_bad_record_is_reported_and_the_batch_goes_on() {
    let dir = Dir::new("render-bad");
    let mut data = records("ke-hoach.json");
    data[1].as_object_mut().unwrap().remove("nhiem_vu");
    data[3]["nhiem_vu"][4]["thoi_han"] = json!("hôm qua");
    let so1 = data[1]["so"].as_str().unwrap().to_string();
    dir.write(
        "data.json",
        serde_json::to_string(&data).unwrap().as_bytes(),
    );
    let out = vanban(
        dir.path(),
        &[
            "render",
            "-t",
            "ke-hoach",
            "-d",
            "data.json",
            "-o",
            "out",
            "-f",
            "docx",
        ],
        b"",
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "record 2 (so={so1}): ke-hoach.md line 51: undefined field 'nhiem_vu'"
        )),
        "{err}"
    );
    assert!(
        err.contains("ke-hoach.md line 52: not a date: 'hôm qua'"),
        "{err}"
    );
    assert!(err.contains("record 4 (so="), "{err}");
    let written = std::fs::read_dir(dir.path().join("out")).unwrap().count();
    assert_eq!(written, 3, "{err}");
}

#[test]
fn output_names_are_safe_unique_and_inside_the_folder() {
    let dir = Dir::new("render-names");
    let mut data = records("ke-hoach.json");
    data.truncate(3);
    data[0]["so"] = json!("../../evil");
    data[1]["so"] = json!("15-KH/HU");
    data[2]["so"] = json!("15-KH/HU");
    dir.write(
        "data.json",
        serde_json::to_string(&data).unwrap().as_bytes(),
    );
    let out = vanban(
        dir.path(),
        &[
            "render",
            "-t",
            "ke-hoach",
            "-d",
            "data.json",
            "-o",
            "out",
            "--name",
            "{{ so }}",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["15-KH-HU-2.docx", "15-KH-HU.docx", "evil.docx"]);
    assert!(!dir.path().join("evil.docx").exists());
}

#[test]
fn csv_data_and_set_overrides() {
    let dir = Dir::new("render-csv");
    dir.write("kh.csv", fixture("ke-hoach.csv").as_bytes());
    let out = vanban(
        dir.path(),
        &[
            "render",
            "-t",
            "ke-hoach",
            "-d",
            "kh.csv",
            "-o",
            "out",
            "--set",
            "nguoi_ky=Trần Thị Mai",
            "--set",
            "standard=nha-nuoc",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bytes = std::fs::read(dir.path().join("out/ke-hoach-0002.docx")).unwrap();
    let xml = unzip(&bytes).document;
    assert!(text(&xml).contains("Trần Thị Mai"));
    assert!(xml.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
}

#[test]
fn templates_lists_builtin_and_user_templates_with_fields() {
    let dir = Dir::new("render-templates");
    dir.write(
        "mau/giay-moi.md",
        "---\nkind: Giấy mời\ndescription: Mời họp\nissuing_body: {{ co_quan }}\nnumber: {{ so }}\n---\nKính mời {{ khach }}.\n".as_bytes(),
    );
    let out = vanban(dir.path(), &["templates", "--templates", "mau"], b"");
    let listing = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    for want in [
        "ke-hoach  (Kế hoạch, dang, built-in)",
        "bien-ban",
        "bao-cao",
        "ke-hoach-trien-khai",
        "giay-moi  (Giấy mời, nha-nuoc, mau)",
        "fields: co_quan, khach, so",
        "nhiem_vu",
    ] {
        assert!(listing.contains(want), "{want}\n{listing}");
    }
    dir.write(
        "d.json",
        r#"{"co_quan": "UBND XÃ A", "so": "3/GM-UBND", "khach": "ông *B*"}"#.as_bytes(),
    );
    let out = vanban(
        dir.path(),
        &[
            "render",
            "--templates",
            "mau",
            "-t",
            "giay-moi",
            "-d",
            "d.json",
            "-o",
            "o",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let xml = unzip(&std::fs::read(dir.path().join("o/giay-moi-0001.docx")).unwrap()).document;
    assert!(text(&xml).contains("Kính mời ông *B*."));
    assert!(xml.contains(">Số: 03/GM-UBND</w:t>"));
}

#[test]
fn table_header_rows_repeat_on_every_page() {
    for (template, data) in [("ke-hoach", "ke-hoach.json"), ("bao-cao", "bao-cao.json")] {
        let record = &records(data)[0];
        let doc = unzip(&docx_bytes(template, record)).document;
        let header_rows: Vec<&str> = doc
            .split("<w:tr>")
            .filter(|row| row.contains("w:val=\"VbCellHead\""))
            .collect();
        assert!(!header_rows.is_empty(), "{template}: no table header row");
        for row in header_rows {
            assert!(
                row.starts_with("<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>"),
                "{template}: {}",
                &row[..80]
            );
        }
        // Layout tables (the letterhead, the signature block) do not repeat.
        assert_eq!(
            doc.matches("<w:tblHeader />").count(),
            doc.split("<w:tr>")
                .filter(|r| r.contains("VbCellHead"))
                .count()
        );
    }
}

#[test]
fn a_template_that_never_ends_fails_only_its_record() {
    let dir = Dir::new("render-fuel");
    let nested = |n: &str| {
        format!(
            "{{% if {n} is defined %}}{{% for a in range({n}) %}}{{% for b in range({n}) %}}x{{% endfor %}}{{% endfor %}}{{% endif %}}"
        )
    };
    dir.write(
        "mau/moi.md",
        format!(
            "---\nkind: Giấy mời\nnumber: {{{{ so }}}}\n---\n{}Kính mời {{{{ khach }}}}.\n",
            nested("vong")
        )
        .as_bytes(),
    );
    dir.write(
        "d.json",
        br#"[{"so": "1", "khach": "A"}, {"so": "2", "khach": "B", "vong": 100000},
            {"so": "3", "khach": "C"}, {"so": "4", "khach": "D", "dai": 100000}]"#,
    );
    let pattern = format!("{}gm-{{{{ so }}}}", nested("dai"));
    // Without a budget, 10^10 steps for record 2's body and for record 4's name.
    let out = vanban(
        dir.path(),
        &[
            "render",
            "--templates",
            "mau",
            "-t",
            "moi",
            "-d",
            "d.json",
            "-o",
            "o",
            "--name",
            &pattern,
        ],
        b"",
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("record 2 (so=2): moi.md line 5: too much work for one record"),
        "{err}"
    );
    assert!(
        err.contains("record 4 (so=4): --name line 1: too much work for one record"),
        "{err}"
    );
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("o"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["gm-1.docx", "gm-3.docx"], "{err}");
}

#[test]
fn two_renders_into_one_folder_keep_each_others_temporary_files() {
    let dir = Dir::new("render-two-runs");
    let base = records("ke-hoach.json");
    let data: Vec<&Value> = (0..256).map(|i| &base[i % base.len()]).collect();
    dir.write(
        "data.json",
        serde_json::to_string(&data).unwrap().as_bytes(),
    );
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let start = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_vanban"))
            .args([
                "render",
                "-t",
                "ke-hoach",
                "-d",
                "data.json",
                "-o",
                "out",
                "-q",
            ])
            .current_dir(dir.path())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut first = start();
    // The second run starts once the first has temporary files in the folder (its sweep
    // deleted them, and the first run failed to publish those outputs).
    for _ in 0..2000 {
        let in_flight = std::fs::read_dir(&out)
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".tmp"));
        if in_flight || first.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let second = start().wait_with_output().unwrap();
    let first = first.wait_with_output().unwrap();
    for run in [&first, &second] {
        let err = stderr(run);
        assert_eq!(run.status.code(), Some(0), "{err}");
        assert!(err.contains("wrote 256 of 256 documents"), "{err}");
    }
    let want: Vec<Vec<u8>> = base.iter().map(|r| docx_bytes("ke-hoach", r)).collect();
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 256, "{names:?}");
    for (i, name) in names.iter().enumerate() {
        assert_eq!(name, &format!("ke-hoach-{:04}.docx", i + 1));
        let bytes = std::fs::read(out.join(name)).unwrap();
        assert!(bytes == want[i % want.len()], "{name} is not complete");
    }
}

#[test]
fn templates_copy_starts_a_users_own_template_from_a_builtin() {
    let dir = Dir::new("render-copy");
    let out = vanban(dir.path(), &["templates", "--copy", "cong-van", "mau"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let copied = std::fs::read_to_string(dir.path().join("mau/cong-van.md")).unwrap();
    let builtin = vanban::template::BUILTIN
        .iter()
        .find(|(f, _)| *f == "cong-van.md")
        .unwrap()
        .1;
    assert_eq!(copied, builtin);
    // An existing file is not replaced; an unknown name lists the built-in ones.
    dir.write("mau/cong-van.md", b"---\nkind: A\n---\nmine\n");
    let again = vanban(dir.path(), &["templates", "--copy", "cong-van", "mau"], b"");
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("exists; not replaced"),
        "{}",
        stderr(&again)
    );
    let kept = std::fs::read_to_string(dir.path().join("mau/cong-van.md")).unwrap();
    assert_eq!(kept, "---\nkind: A\n---\nmine\n");
    let unknown = vanban(dir.path(), &["templates", "--copy", "cong-vn", "mau"], b"");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("built in: ke-hoach, bien-ban"),
        "{}",
        stderr(&unknown)
    );
    // The copy, edited, is used by name.
    let out = vanban(dir.path(), &["templates", "--copy", "giay-moi", "mau"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let listing = vanban(dir.path(), &["templates", "--templates", "mau"], b"");
    assert!(
        String::from_utf8_lossy(&listing.stdout).contains("giay-moi  (Giấy mời, nha-nuoc, mau)")
    );
}

/// A user's công văn came out with a `CÔNG VĂN` title and a centred bold `V/v` line.
#[test]
fn a_users_cong_van_has_no_title_and_its_subject_under_the_number() {
    let mut templates = Templates::new();
    templates
        .add(
            "cv.md",
            "---\nkind: Công văn\nissuing_body: {{ co_quan }}\nnumber: {{ so }}\nsubject: {{ v }}\naddressees:\n- {{ gui }}\n---\n{{ noi_dung }}\n",
            "test",
        )
        .unwrap();
    let record = json!({"co_quan": "UBND xã Bằng Lãng", "so": "12/UBND", "v": "báo cáo tình hình",
        "gui": "UBND huyện Chợ Đồn", "noi_dung": "Ủy ban nhân dân xã báo cáo như sau./."});
    let doc = document::layout(&templates.fill("cv", &record).unwrap());
    let xml = unzip(&render::docx(&doc, &RenderOptions::default()).unwrap()).document;
    let all = text(&xml);
    assert!(!all.contains("CÔNG VĂN"), "{all}");
    // In the header table, after the number, not bold.
    let header = &xml[..xml.find("</w:tbl>").unwrap()];
    let subject = run_with(header, "V/v báo cáo tình hình");
    assert!(!subject.contains("<w:b />"), "{subject}");
    assert!(subject.contains(r#"<w:sz w:val="24" />"#), "{subject}");
    assert!(all.contains("Kính gửi:\nUBND huyện Chợ Đồn."), "{all}");
}
