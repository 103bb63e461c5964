//! The archive through the real binary: index, search, cites, export, resume after a kill.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::cli::{Dir, vanban};

fn corpus() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/corpus/texts"
    ))
}

fn copy_corpus(dir: &Dir, into: &str, copies: usize) {
    for entry in std::fs::read_dir(corpus()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        for copy in 0..copies {
            dir.write(&format!("{into}/{copy}/{name}"), &bytes);
        }
    }
}

fn out(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn err(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn search_paths(dir: &Dir, args: &[&str]) -> Vec<String> {
    let mut argv = vec!["search", "--format", "json"];
    argv.extend_from_slice(args);
    let output = vanban(dir.path(), &argv, b"");
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    out(&output)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["path"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn search_ignores_diacritics_and_tone_style() {
    let dir = Dir::new("archive-search");
    copy_corpus(&dir, "kho", 1);
    let output = vanban(dir.path(), &["index", "-q", "kho"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    assert!(
        err(&output).contains("indexed 114, unchanged 0, failed 0"),
        "{}",
        err(&output)
    );

    let plain = search_paths(&dir, &["chi thi 45", "-n", "1"]);
    assert_eq!(plain, ["kho/0/2021-bac-kan-bau-cu.txt"]);
    assert_eq!(search_paths(&dir, &["Chỉ thị 45", "-n", "1"]), plain);
    // Old and new tone style find the same documents.
    let old = search_paths(&dir, &["Ủy ban nhân dân tỉnh Lào Cai", "-n", "0"]);
    let new = search_paths(&dir, &["Uỷ ban nhân dân tỉnh Lào Cai", "-n", "0"]);
    assert!(!old.is_empty());
    assert_eq!(old, new);
    // A snippet marks the match in the original spelling.
    let output = vanban(dir.path(), &["search", "chi thi 45", "-n", "1"], b"");
    assert!(
        out(&output).contains("[Chỉ] [thị] số [45]-CT/TW"),
        "{}",
        out(&output)
    );
    // Filters: kind and number.
    let decisions = search_paths(&dir, &["--kind", "qđ", "-n", "0"]);
    assert!(
        decisions
            .iter()
            .any(|p| p.ends_with("2008-23.QD-991-UBND.txt")),
        "{decisions:?}"
    );
    let by_number = search_paths(&dir, &["--number", "991 / QĐ-UBND"]);
    assert_eq!(by_number, ["kho/0/2008-23.QD-991-UBND.txt"]);
}

#[test]
fn malformed_queries_get_clear_errors() {
    let dir = Dir::new("archive-errors");
    dir.write("a.txt", "Chỉ thị số 45-CT/TW ngày 20/6/2020".as_bytes());
    assert_eq!(
        vanban(dir.path(), &["index", "-q", "a.txt"], b"")
            .status
            .code(),
        Some(0)
    );
    let output = vanban(
        dir.path(),
        &["search", "--from", "14/01/2021", "chi thi"],
        b"",
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        err(&output).contains("--from \"14/01/2021\""),
        "{}",
        err(&output)
    );
    let output = vanban(dir.path(), &["search", "*** ( \""], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        err(&output).contains("nothing to search for"),
        "{}",
        err(&output)
    );
    assert!(
        !err(&output).to_lowercase().contains("sql"),
        "{}",
        err(&output)
    );
    // FTS5 syntax in the query is taken as words, not as syntax.
    let output = vanban(dir.path(), &["search", "\"chi\" OR NEAR(thi"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    let output = vanban(
        Path::new("/"),
        &["search", "--db", "/nonexistent/x.db", "a"],
        b"",
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn reindexing_is_incremental_and_idempotent() {
    let dir = Dir::new("archive-incremental");
    dir.write(
        "kho/a.txt",
        "Kế hoạch số 18-KH/TU ngày 14/01/2021 về bầu cử".as_bytes(),
    );
    dir.write("kho/b.txt", "Quyết định số 991/QĐ-UBND về rừng".as_bytes());
    let first = vanban(dir.path(), &["index", "-q", "kho"], b"");
    assert!(
        err(&first).contains("indexed 2, unchanged 0"),
        "{}",
        err(&first)
    );
    let again = vanban(dir.path(), &["index", "-q", "kho"], b"");
    assert!(
        err(&again).contains("indexed 0, unchanged 2"),
        "{}",
        err(&again)
    );
    dir.write(
        "kho/b.txt",
        "Quyết định số 992/QĐ-UBND về đất đai".as_bytes(),
    );
    let changed = vanban(dir.path(), &["index", "-q", "kho"], b"");
    assert!(
        err(&changed).contains("indexed 1, unchanged 1"),
        "{}",
        err(&changed)
    );
    assert!(
        err(&changed).contains("holds 2 documents"),
        "{}",
        err(&changed)
    );
    assert_eq!(search_paths(&dir, &["dat dai"]), ["kho/b.txt"]);
    assert!(
        search_paths(&dir, &["rung"]).is_empty(),
        "the old version is still searchable"
    );
    let export = vanban(dir.path(), &["export"], b"");
    assert_eq!(out(&export).lines().count(), 2);
}

#[test]
fn a_bad_file_is_reported_and_indexing_goes_on() {
    let dir = Dir::new("archive-bad");
    dir.write("kho/a.txt", "Chỉ thị số 45-CT/TW".as_bytes());
    dir.write("kho/b.pdf", b"%PDF-1.4 junk");
    let output = vanban(dir.path(), &["index", "-q", "kho"], b"");
    assert_eq!(output.status.code(), Some(1));
    assert!(err(&output).contains("b.pdf"), "{}", err(&output));
    assert!(
        err(&output).contains("indexed 1, unchanged 0, failed 1"),
        "{}",
        err(&output)
    );
}

#[test]
fn citations_link_both_ways() {
    let dir = Dir::new("archive-cites");
    dir.write(
        "kho/ct.txt",
        "BỘ CHÍNH TRỊ\nSố 45-CT/TW\nHà Nội, ngày 20 tháng 6 năm 2020\nCHỈ THỊ\nVề lãnh đạo cuộc bầu cử\n"
            .as_bytes(),
    );
    dir.write(
        "kho/kh.txt",
        "THÀNH ỦY BẮC KẠN\nSố 18-KH/TU\nBắc Kạn, ngày 14 tháng 01 năm 2021\nKẾ HOẠCH\nThực hiện Chỉ thị số 45-CT/TW ngày 20/6/2020 của Bộ Chính trị\n"
            .as_bytes(),
    );
    assert_eq!(
        vanban(dir.path(), &["index", "-q", "kho"], b"")
            .status
            .code(),
        Some(0)
    );
    let output = vanban(dir.path(), &["cites", "45-CT/TW", "--format", "json"], b"");
    let graph: serde_json::Value = serde_json::from_str(&out(&output)).unwrap();
    assert_eq!(graph["cited_by"][0]["from"], "18-KH/TU", "{graph}");
    let output = vanban(dir.path(), &["cites", "18-KH/TU", "--format", "json"], b"");
    let graph: serde_json::Value = serde_json::from_str(&out(&output)).unwrap();
    assert_eq!(graph["cites"][0]["to"], "45-CT/TW", "{graph}");
    assert_eq!(graph["cites"][0]["archived"], true, "{graph}");
}

#[test]
fn a_killed_index_run_loses_nothing_and_resumes() {
    let dir = Dir::new("archive-kill");
    copy_corpus(&dir, "kho", 4);
    let mut child = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(["index", "-q", "-j", "1", "kho"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it as soon as some documents are in (or give up waiting after 60 s).
    let db = dir.path().join("vanban.db");
    for _ in 0..300 {
        std::thread::sleep(Duration::from_millis(200));
        if db.exists() && out(&vanban(dir.path(), &["export"], b"")).lines().count() > 0 {
            break;
        }
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    let resumed = vanban(dir.path(), &["index", "-q", "kho"], b"");
    assert_eq!(resumed.status.code(), Some(0), "{}", err(&resumed));
    assert!(
        err(&resumed).contains("holds 456 documents"),
        "{}",
        err(&resumed)
    );
    let skipped: usize = err(&resumed)
        .split("unchanged ")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    if !status.success() {
        assert!(
            skipped > 0,
            "the killed run stored nothing: {}",
            err(&resumed)
        );
    }
    let again = vanban(dir.path(), &["index", "-q", "kho"], b"");
    assert!(
        err(&again).contains("indexed 0, unchanged 456"),
        "{}",
        err(&again)
    );
}

fn month_fixture(dir: &Dir) {
    dir.write(
        "kho/kh-18.txt",
        "THÀNH ỦY BẮC KẠN\nSố 18-KH/TU\nBắc Kạn, ngày 14 tháng 01 năm 2021\nKẾ HOẠCH\nLãnh đạo cuộc bầu cử\n\
         Thực hiện Chỉ thị số 45-CT/TW ngày 20/6/2020 của Bộ Chính trị.\n\
         Giao Ban Tổ chức Thành ủy chủ trì tham mưu thành lập Ban Chỉ đạo bầu cử, hoàn thành trước ngày 20/01/2021.\n\
         Đề nghị Ủy ban nhân dân thành phố báo cáo kết quả chuẩn bị bầu cử trước ngày 15/3/2021.\n"
            .as_bytes(),
    );
    dir.write(
        "kho/kh-19.txt",
        "THÀNH ỦY BẮC KẠN\nSố 19-KH/TU\nBắc Kạn, ngày 20 tháng 01 năm 2021\nKẾ HOẠCH\nTuyên truyền bầu cử\n\
         Căn cứ Chỉ thị số 45-CT/TW ngày 20/6/2020 của Bộ Chính trị.\n\
         Giao Ban Tuyên giáo Thành ủy chủ trì xây dựng đề cương tuyên truyền, hoàn thành trước ngày 25/01/2021.\n"
            .as_bytes(),
    );
    dir.write(
        "kho/qd-5.txt",
        "ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC KẠN\nSố: 5/QĐ-UBND\nBắc Kạn, ngày 22 tháng 01 năm 2021\nQUYẾT ĐỊNH\nVề việc thành lập Ủy ban bầu cử\n\
         Căn cứ Kế hoạch số 18-KH/TU ngày 14/01/2021 của Thành ủy Bắc Kạn.\n"
            .as_bytes(),
    );
    dir.write(
        "kho/tb-2.txt",
        "THÀNH ỦY BẮC KẠN\nSố 2-TB/TU\nBắc Kạn, ngày 03 tháng 02 năm 2021\nTHÔNG BÁO\nKết luận hội nghị\n".as_bytes(),
    );
    let output = vanban(dir.path(), &["index", "-q", "kho"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
}

#[test]
fn monthly_summary_tables_hold_the_month() {
    let dir = Dir::new("archive-summary");
    month_fixture(&dir);
    let output = vanban(
        dir.path(),
        &[
            "summary",
            "--month",
            "2021-01",
            "-o",
            "bc.docx",
            "--set",
            "dia_danh=Bắc Kạn",
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    let first = std::fs::read(dir.path().join("bc.docx")).unwrap();
    let text = out(&vanban(dir.path(), &["normalize", "bc.docx"], b""));
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let after = |heading: &str| {
        lines
            .iter()
            .position(|l| l.contains(heading))
            .unwrap_or_else(|| panic!("{heading} missing in\n{text}"))
    };
    // By kind: 2 KH, 1 QĐ (the February notice is not counted), with bars.
    let kinds = after("Theo loại văn bản");
    assert_eq!(&lines[kinds + 5..kinds + 8], ["1", "KH", "2"], "{text}");
    assert!(lines[kinds + 8].starts_with('█'), "{text}");
    assert!(text.contains("ghi nhận 3 văn bản"), "{text}");
    // Due in January: the two tasks with January deadlines, in deadline order.
    let due = after("ĐẾN HẠN TRONG THÁNG");
    let due_rows = &text[text.find(lines[due]).unwrap()..text.find("QUÁ HẠN").unwrap()];
    assert!(
        due_rows.contains("Ban Tổ chức Thành ủy") && due_rows.contains("20/01/2021"),
        "{due_rows}"
    );
    assert!(
        due_rows.contains("Ban Tuyên giáo Thành ủy") && due_rows.contains("25/01/2021"),
        "{due_rows}"
    );
    assert!(!due_rows.contains("15/03/2021"), "{due_rows}");
    // Overdue at 1 February: the same two; March is not overdue yet.
    assert!(
        text.contains("Tính đến ngày 01/02/2021, có 2 nhiệm vụ đã quá hạn"),
        "{text}"
    );
    // Most cited: 45-CT/TW twice.
    let cited = after("VIỆN DẪN NHIỀU NHẤT");
    assert!(
        lines[cited..]
            .windows(3)
            .any(|w| w == ["1", "45-CT/TW", "2"]),
        "{text}"
    );
    // Same archive, same bytes.
    vanban(
        dir.path(),
        &[
            "summary",
            "--month",
            "2021-01",
            "-o",
            "bc.docx",
            "--set",
            "dia_danh=Bắc Kạn",
        ],
        b"",
    );
    assert_eq!(std::fs::read(dir.path().join("bc.docx")).unwrap(), first);

    let output = vanban(
        dir.path(),
        &["obligations", "--due", "2021-03", "--format", "json"],
        b"",
    );
    let rows: Vec<serde_json::Value> = out(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 1, "{}", out(&output));
    assert_eq!(rows[0]["due"], "2021-03-15");
    assert_eq!(rows[0]["document"], "18-KH/TU");
    let output = vanban(
        dir.path(),
        &["summary", "--month", "2021-13", "-o", "x.docx"],
        b"",
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        err(&output).contains("--month \"2021-13\""),
        "{}",
        err(&output)
    );
}

/// The obligations listed as JSON by `vanban obligations ARGS`.
fn obligation_rows(dir: &Dir, args: &[&str]) -> Vec<serde_json::Value> {
    let mut argv = vec!["obligations", "--format", "json"];
    argv.extend_from_slice(args);
    let output = vanban(dir.path(), &argv, b"");
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    out(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The ID of the listed obligation whose actor contains `actor`, as the CLI takes it.
fn obligation_id(rows: &[serde_json::Value], actor: &str) -> String {
    rows.iter()
        .find(|r| r["actor"].as_str().unwrap().contains(actor))
        .unwrap_or_else(|| panic!("no obligation of {actor} in {rows:?}"))["id"]
        .to_string()
}

/// The listed obligation with this ID.
fn obligation_by_id<'a>(rows: &'a [serde_json::Value], id: &str) -> &'a serde_json::Value {
    rows.iter()
        .find(|r| r["id"].as_i64().map(|n| n.to_string()).as_deref() == Some(id))
        .unwrap_or_else(|| panic!("no obligation {id} in {rows:?}"))
}

fn overdue_actors(dir: &Dir) -> Vec<String> {
    obligation_rows(dir, &["--due", "2021-01", "--overdue-at", "2021-02-01"])
        .iter()
        .filter(|r| r["status"] == "overdue")
        .map(|r| r["actor"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn obligations_are_marked_done_by_id_and_leave_the_overdue_lists() {
    let dir = Dir::new("archive-done");
    month_fixture(&dir);
    // Without --due: every obligation with a deadline, its ID and done state.
    let all = obligation_rows(&dir, &[]);
    assert_eq!(all.len(), 3, "{all:?}");
    assert!(all.iter().all(|r| r["done"] == false && r["id"].is_i64()));
    let table = out(&vanban(dir.path(), &["obligations"], b""));
    assert!(table.starts_with("ID\tdue\tstatus\t"), "{table}");
    assert_eq!(table.matches("\topen\t").count(), 3, "{table}");
    let organisation = obligation_id(&all, "Ban Tổ chức");
    let propaganda = obligation_id(&all, "Ban Tuyên giáo");
    assert_eq!(overdue_actors(&dir).len(), 2);

    let output = vanban(dir.path(), &["obligations", "--done", &organisation], b"");
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    assert!(
        err(&output).contains(&format!("marked done: {organisation}")),
        "{}",
        err(&output)
    );
    let all = obligation_rows(&dir, &[]);
    let marked = obligation_by_id(&all, &organisation);
    assert_eq!(marked["done"], true, "{all:?}");
    assert_eq!(marked["status"], "done", "{all:?}");
    let overdue = overdue_actors(&dir);
    assert!(
        overdue.len() == 1 && overdue[0].contains("Ban Tuyên giáo"),
        "{overdue:?}"
    );
    // The monthly summary's overdue table respects the mark.
    let output = vanban(
        dir.path(),
        &["summary", "--month", "2021-01", "-o", "bc.docx"],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    let text = out(&vanban(dir.path(), &["normalize", "bc.docx"], b""));
    assert!(
        text.contains("Tính đến ngày 01/02/2021, có 1 nhiệm vụ đã quá hạn"),
        "{text}"
    );

    // An unknown ID is named, and then nothing is marked.
    let output = vanban(
        dir.path(),
        &["obligations", "--done", &propaganda, "987654"],
        b"",
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        err(&output).contains("no obligation with ID 987654"),
        "{}",
        err(&output)
    );
    assert_eq!(overdue_actors(&dir).len(), 1);
    let output = vanban(dir.path(), &["obligations", "--done", "abc"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(err(&output).contains("abc"), "{}", err(&output));

    // --undone takes the mark back.
    let output = vanban(dir.path(), &["obligations", "--undone", &organisation], b"");
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    assert_eq!(overdue_actors(&dir).len(), 2);
}

#[test]
fn reindexing_keeps_the_done_mark_of_unchanged_obligations() {
    let dir = Dir::new("archive-done-reindex");
    month_fixture(&dir);
    let all = obligation_rows(&dir, &[]);
    let organisation = obligation_id(&all, "Ban Tổ chức");
    let city = obligation_id(&all, "Ủy ban nhân dân thành phố");
    let output = vanban(
        dir.path(),
        &["obligations", "--done", &organisation, &city],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));

    // An unchanged file is skipped: nothing moves.
    let output = vanban(dir.path(), &["index", "-q", "kho"], b"");
    assert!(
        err(&output).contains("indexed 0, unchanged 4"),
        "{}",
        err(&output)
    );
    assert_eq!(obligation_rows(&dir, &[]), {
        let mut expected = all.clone();
        for row in &mut expected {
            if [&organisation, &city].contains(&&row["id"].to_string()) {
                row["done"] = true.into();
                row["status"] = "done".into();
            }
        }
        expected
    });

    // A changed file: the obligation whose text is unchanged keeps its ID and mark; the
    // one whose deadline changed is a new obligation, not done.
    dir.write(
        "kho/kh-18.txt",
        "THÀNH ỦY BẮC KẠN\nSố 18-KH/TU\nBắc Kạn, ngày 14 tháng 01 năm 2021\nKẾ HOẠCH\nLãnh đạo cuộc bầu cử\n\
         Thực hiện Chỉ thị số 45-CT/TW ngày 20/6/2020 của Bộ Chính trị.\n\
         Giao Ban Tổ chức Thành ủy chủ trì tham mưu thành lập Ban Chỉ đạo bầu cử, hoàn thành trước ngày 20/01/2021.\n\
         Đề nghị Ủy ban nhân dân thành phố báo cáo kết quả chuẩn bị bầu cử trước ngày 30/3/2021.\n\
         Giao Văn phòng Thành ủy theo dõi, đôn đốc việc thực hiện kế hoạch này.\n"
            .as_bytes(),
    );
    let output = vanban(dir.path(), &["index", "-q", "kho"], b"");
    assert!(
        err(&output).contains("indexed 1, unchanged 3"),
        "{}",
        err(&output)
    );
    let after = obligation_rows(&dir, &[]);
    assert_eq!(
        obligation_by_id(&after, &organisation)["done"],
        true,
        "{after:?}"
    );
    let city_now = after
        .iter()
        .find(|r| {
            r["actor"]
                .as_str()
                .unwrap()
                .contains("Ủy ban nhân dân thành phố")
        })
        .unwrap();
    assert_eq!(city_now["due"], "2021-03-30", "{after:?}");
    assert_eq!(city_now["done"], false, "{after:?}");
    assert_ne!(city_now["id"].to_string(), city, "{after:?}");
    // The old ID is gone, not reused.
    let output = vanban(dir.path(), &["obligations", "--done", &city], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(err(&output).contains(&city), "{}", err(&output));
}

/// The tables of an archive written by vanban at schema version 1, as that version
/// created them: the file format an older archive still has on disk.
const SCHEMA_1: &str = r#"
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, hash TEXT NOT NULL,
        encoding TEXT NOT NULL, number TEXT, number_key TEXT, kind TEXT, kind_key TEXT,
        kind_name TEXT, standard TEXT, issuer TEXT, parent_issuer TEXT, place TEXT, date TEXT,
        title TEXT, text TEXT NOT NULL, record TEXT NOT NULL
    );
    CREATE INDEX documents_number_key ON documents(number_key);
    CREATE INDEX documents_date ON documents(date);
    CREATE INDEX documents_kind ON documents(kind_key);
    CREATE TABLE citations (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position INTEGER NOT NULL, number TEXT NOT NULL, number_key TEXT NOT NULL, kind TEXT,
        date TEXT, issuer_text TEXT, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL,
        PRIMARY KEY (document_id, position)
    );
    CREATE INDEX citations_number_key ON citations(number_key);
    CREATE TABLE dates (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position INTEGER NOT NULL, value TEXT NOT NULL, grain TEXT NOT NULL, text TEXT NOT NULL,
        span_start INTEGER NOT NULL, span_end INTEGER NOT NULL,
        PRIMARY KEY (document_id, position)
    );
    CREATE TABLE obligations (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position INTEGER NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL,
        action TEXT NOT NULL, deadline TEXT, grain TEXT, recurring TEXT,
        done INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (document_id, position)
    );
    CREATE INDEX obligations_deadline ON obligations(deadline);
    CREATE VIRTUAL TABLE documents_fold USING fts5(
        number, title, issuer, body,
        tokenize = "unicode61 remove_diacritics 2"
    );
    PRAGMA user_version = 1;
"#;

#[test]
fn an_archive_of_schema_1_is_migrated_and_keeps_its_contents() {
    let dir = Dir::new("archive-migrate");
    let db = dir.path().join("cu.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(SCHEMA_1).unwrap();
        let text =
            "THÀNH ỦY BẮC KẠN\nSố 18-KH/TU\nKẾ HOẠCH\nThực hiện Chỉ thị số 45-CT/TW về bầu cử";
        conn.execute(
            "INSERT INTO documents (id, path, hash, encoding, number, number_key, kind, kind_key,
                 issuer, date, title, text, record)
             VALUES (7, 'kho/kh-18.txt', 'x', 'utf-8', '18-KH/TU', '18KH/TU', 'KH', 'KH',
                 'THÀNH ỦY BẮC KẠN', '2021-01-14', 'Lãnh đạo cuộc bầu cử', ?1, '{}')",
            [text],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO documents_fold (rowid, number, title, issuer, body) VALUES (7, ?1, ?2, ?3, ?4)",
            [
                "18-kh/tu",
                "lanh dao cuoc bau cu",
                "thanh uy bac kan",
                &vanban::text::fold_key(text),
            ],
        )
        .unwrap();
        for (position, actor, done) in [(0, "Ban Tổ chức Thành ủy", 1), (1, "Ban Tuyên giáo", 0)]
        {
            conn.execute(
                "INSERT INTO obligations (document_id, position, actor, role, action, deadline,
                     done) VALUES (7, ?1, ?2, 'lead', 'báo cáo', '2021-01-20', ?3)",
                rusqlite::params![position, actor, done],
            )
            .unwrap();
        }
    }
    // Any command opens and migrates it; search and the obligations still work.
    assert_eq!(
        search_paths(&dir, &["Chỉ thị 45", "--db", "cu.db"]),
        ["kho/kh-18.txt"]
    );
    assert_eq!(
        search_paths(&dir, &["bau cu", "--kind", "kh", "--db", "cu.db"]),
        ["kho/kh-18.txt"]
    );
    let rows = obligation_rows(&dir, &["--db", "cu.db"]);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0]["done"], true, "{rows:?}");
    assert_eq!(rows[1]["done"], false, "{rows:?}");
    let output = vanban(
        dir.path(),
        &[
            "obligations",
            "--db",
            "cu.db",
            "--done",
            &rows[1]["id"].to_string(),
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, vanban::archive::SCHEMA_VERSION);
        let fts: String = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'documents_fold'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(fts.contains("content = ''"), "{fts}");
    }
    // New documents go in next to the migrated one.
    dir.write(
        "moi/qd.txt",
        "ỦY BAN NHÂN DÂN\nSố: 5/QĐ-UBND\nQUYẾT ĐỊNH\nVề bầu cử".as_bytes(),
    );
    let output = vanban(dir.path(), &["index", "-q", "--db", "cu.db", "moi"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    assert_eq!(search_paths(&dir, &["bau cu", "--db", "cu.db"]).len(), 2);
}

#[test]
fn a_huge_search_limit_is_not_a_datatype_mismatch() {
    let dir = Dir::new("archive-limit");
    dir.write("a.txt", "Chỉ thị số 45-CT/TW về bầu cử".as_bytes());
    vanban(dir.path(), &["index", "-q", "a.txt"], b"");
    for limit in ["9223372036854775807", "18446744073709551615"] {
        let paths = search_paths(&dir, &["chi thi", "-n", limit]);
        assert_eq!(paths.len(), 1, "-n {limit}");
        let paths = search_paths(&dir, &["--kind", "ct", "-n", limit]);
        assert_eq!(paths.len(), 1, "-n {limit}");
    }
}

#[test]
fn a_query_of_too_many_words_is_refused_with_the_limit() {
    // 400 words took 13.6 s and 10,000 more than a minute.
    let dir = Dir::new("archive-words");
    dir.write("a.txt", "Chỉ thị số 45-CT/TW về bầu cử".as_bytes());
    vanban(dir.path(), &["index", "-q", "a.txt"], b"");
    let most = ["bau"; 32].join(" ");
    assert_eq!(search_paths(&dir, &[&most]).len(), 1);
    let many = ["bau"; 33].join(" ");
    for args in [
        vec!["search", many.as_str()],
        vec!["search", "--issuer", many.as_str()],
    ] {
        let output = vanban(dir.path(), &args, b"");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            err(&output).contains("33 words") && err(&output).contains("at most 32"),
            "{}",
            err(&output)
        );
    }
}
