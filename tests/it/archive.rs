//! The archive through the real binary: index, search, cites, export, resume after a kill.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::cli::Dir;

/// The backend an archive test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    /// A SQLite file in the test's folder (`vanban.db`, or what `--db` names).
    Sqlite,
    /// A database of its own on the server `VANBAN_TEST_PG` names.
    Postgres,
}

/// The server the PostgreSQL runs use: `VANBAN_TEST_PG=postgres://user@127.0.0.1:PORT/postgres`
/// (`.ci/run` starts one and sets it). Without it the PostgreSQL runs are skipped with a
/// note, except in CI (`CI=true`), where that is a failure: they must not be skipped
/// silently there.
pub(crate) fn test_server() -> Option<String> {
    match std::env::var("VANBAN_TEST_PG") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but VANBAN_TEST_PG is not set: the PostgreSQL runs would be skipped"
            );
            eprintln!("note: VANBAN_TEST_PG not set; the PostgreSQL run of this test is skipped");
            None
        }
    }
}

/// `url` with its database name replaced by `name`.
pub(crate) fn with_database(url: &str, name: &str) -> String {
    let (head, query) = url
        .split_once('?')
        .map_or((url, None), |(h, q)| (h, Some(q)));
    let authority_end = head
        .find("://")
        .map(|i| i + 3)
        .and_then(|start| head[start..].find('/').map(|j| start + j))
        .unwrap_or(head.len());
    let mut out = format!("{}/{name}", &head[..authority_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// A database of its own on the test server, dropped at the end.
pub(crate) struct TestDatabase {
    server: String,
    name: String,
    pub(crate) url: String,
}

impl TestDatabase {
    pub(crate) fn new(server: &str, name: &str) -> TestDatabase {
        let name = format!(
            "vt_{}_{}",
            name.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
            std::process::id()
        );
        let mut admin = ::postgres::Client::connect(server, ::postgres::NoTls).unwrap();
        for sql in [
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            format!("CREATE DATABASE {name}"),
        ] {
            admin.batch_execute(&sql).unwrap();
        }
        TestDatabase {
            server: server.to_string(),
            url: with_database(server, &name),
            name,
        }
    }

    /// A client on this database.
    pub(crate) fn client(&self) -> ::postgres::Client {
        ::postgres::Client::connect(&self.url, ::postgres::NoTls).unwrap()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = ::postgres::Client::connect(&self.server, ::postgres::NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// A test's folder and the archive its commands use: `vanban.db` there, or a database of
/// its own (`VANBAN_DB` set for every command).
pub(crate) struct Kho {
    dir: Dir,
    pub(crate) db: Option<TestDatabase>,
}

impl std::ops::Deref for Kho {
    type Target = Dir;

    fn deref(&self) -> &Dir {
        &self.dir
    }
}

impl Kho {
    pub(crate) fn new(name: &str, backend: Backend) -> Kho {
        let db = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(TestDatabase::new(
                &test_server().expect("the PostgreSQL runs need VANBAN_TEST_PG"),
                name,
            )),
        };
        Kho {
            dir: Dir::new(&format!(
                "{name}-{}",
                if db.is_some() { "pg" } else { "sqlite" }
            )),
            db,
        }
    }

    /// `vanban ARGS` in `dir`, not started.
    pub(crate) fn command_in(&self, dir: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_vanban"));
        command.args(args).current_dir(dir);
        match &self.db {
            Some(db) => command.env("VANBAN_DB", &db.url),
            None => command.env_remove("VANBAN_DB"),
        };
        command
    }

    /// `vanban ARGS` in the test's folder, not started.
    pub(crate) fn command(&self, args: &[&str]) -> Command {
        self.command_in(self.path(), args)
    }

    /// Runs `vanban ARGS` in the test's folder with `stdin`.
    pub(crate) fn run(&self, args: &[&str], stdin: &[u8]) -> std::process::Output {
        use std::io::Write;
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin).unwrap();
        child.wait_with_output().unwrap()
    }

    /// Runs `vanban ARGS` in another folder.
    pub(crate) fn run_in(&self, dir: &Path, args: &[&str]) -> std::process::Output {
        self.command_in(dir, args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// Starts `vanban ARGS` without waiting (stdout and stderr piped).
    pub(crate) fn spawn(&self, args: &[&str]) -> std::process::Child {
        self.command(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// What `--db` says for this archive: the file named, or the test database.
    pub(crate) fn db_flag(&self, file: &str) -> String {
        self.db
            .as_ref()
            .map_or(file.to_string(), |db| db.url.clone())
    }
}

/// Each test named runs twice: in `sqlite::NAME` on a SQLite file, and in
/// `postgres::NAME` on a PostgreSQL database (skipped with a note when `VANBAN_TEST_PG` is
/// not set, outside CI).
macro_rules! on_both_backends {
    ($($(#[$attr:meta])* $name:ident),* $(,)?) => {
        mod sqlite {
            $( $(#[$attr])* #[test] fn $name() { super::$name(super::Backend::Sqlite) } )*
        }
        mod postgres {
            $( $(#[$attr])* #[test] fn $name() {
                if super::test_server().is_some() {
                    super::$name(super::Backend::Postgres)
                }
            } )*
        }
    };
}

on_both_backends!(
    search_ignores_diacritics_and_tone_style,
    malformed_queries_get_clear_errors,
    reindexing_is_incremental_and_idempotent,
    a_bad_file_is_reported_and_indexing_goes_on,
    citations_link_both_ways,
    a_killed_index_run_loses_nothing_and_resumes,
    the_summary_lists_a_year_of_overdue_names_the_body_and_writes_what_the_name_says,
    monthly_summary_tables_hold_the_month,
    obligations_are_marked_done_by_id_and_leave_the_overdue_lists,
    reindexing_keeps_the_done_mark_of_unchanged_obligations,
    two_index_runs_on_one_archive_at_once_both_store_everything,
    two_indexers_racing_on_one_folder_store_every_document_once,
    a_huge_search_limit_is_not_a_datatype_mismatch,
    a_query_of_too_many_words_is_refused_with_the_limit,
    the_same_tree_indexed_from_two_folders_keeps_both_offices_documents,
    #[cfg(unix)]
    file_names_that_are_not_utf8_are_two_documents,
);

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

/// The paths `vanban search --format json ARGS` finds, relative to `dir` when they are in
/// it (the archive keeps canonical paths).
fn search_paths(dir: &Kho, args: &[&str]) -> Vec<String> {
    let mut argv = vec!["search", "--format", "json"];
    argv.extend_from_slice(args);
    let output = dir.run(&argv, b"");
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    let base = format!("{}/", std::fs::canonicalize(dir.path()).unwrap().display());
    out(&output)
        .lines()
        .map(|l| {
            let path = serde_json::from_str::<serde_json::Value>(l).unwrap()["path"]
                .as_str()
                .unwrap()
                .to_string();
            path.strip_prefix(&base)
                .map_or(path.clone(), str::to_string)
        })
        .collect()
}

fn search_ignores_diacritics_and_tone_style(db: Backend) {
    let dir = Kho::new("archive-search", db);
    copy_corpus(&dir, "kho", 1);
    let output = dir.run(&["index", "-q", "kho"], b"");
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
    let output = dir.run(&["search", "chi thi 45", "-n", "1"], b"");
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

fn malformed_queries_get_clear_errors(db: Backend) {
    let dir = Kho::new("archive-errors", db);
    dir.write("a.txt", "Chỉ thị số 45-CT/TW ngày 20/6/2020".as_bytes());
    assert_eq!(
        dir.run(&["index", "-q", "a.txt"], b"").status.code(),
        Some(0)
    );
    let output = dir.run(&["search", "--from", "14/01/2021", "chi thi"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        err(&output).contains("--from \"14/01/2021\""),
        "{}",
        err(&output)
    );
    let output = dir.run(&["search", "*** ( \""], b"");
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
    let output = dir.run(&["search", "\"chi\" OR NEAR(thi"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    let output = dir.run_in(
        Path::new("/"),
        &["search", "--db", "/nonexistent/x.db", "a"],
    );
    assert_eq!(output.status.code(), Some(2));
}

fn reindexing_is_incremental_and_idempotent(db: Backend) {
    let dir = Kho::new("archive-incremental", db);
    dir.write(
        "kho/a.txt",
        "Kế hoạch số 18-KH/TU ngày 14/01/2021 về bầu cử".as_bytes(),
    );
    dir.write("kho/b.txt", "Quyết định số 991/QĐ-UBND về rừng".as_bytes());
    let first = dir.run(&["index", "-q", "kho"], b"");
    assert!(
        err(&first).contains("indexed 2, unchanged 0"),
        "{}",
        err(&first)
    );
    let again = dir.run(&["index", "-q", "kho"], b"");
    assert!(
        err(&again).contains("indexed 0, unchanged 2"),
        "{}",
        err(&again)
    );
    dir.write(
        "kho/b.txt",
        "Quyết định số 992/QĐ-UBND về đất đai".as_bytes(),
    );
    let changed = dir.run(&["index", "-q", "kho"], b"");
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
    let export = dir.run(&["export"], b"");
    assert_eq!(out(&export).lines().count(), 2);
}

fn a_bad_file_is_reported_and_indexing_goes_on(db: Backend) {
    let dir = Kho::new("archive-bad", db);
    dir.write("kho/a.txt", "Chỉ thị số 45-CT/TW".as_bytes());
    dir.write("kho/b.pdf", b"%PDF-1.4 junk");
    let output = dir.run(&["index", "-q", "kho"], b"");
    assert_eq!(output.status.code(), Some(1));
    assert!(err(&output).contains("b.pdf"), "{}", err(&output));
    assert!(
        err(&output).contains("indexed 1, unchanged 0, failed 1"),
        "{}",
        err(&output)
    );
}

fn citations_link_both_ways(db: Backend) {
    let dir = Kho::new("archive-cites", db);
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
    assert_eq!(dir.run(&["index", "-q", "kho"], b"").status.code(), Some(0));
    let output = dir.run(&["cites", "45-CT/TW", "--format", "json"], b"");
    let graph: serde_json::Value = serde_json::from_str(&out(&output)).unwrap();
    assert_eq!(graph["cited_by"][0]["from"], "18-KH/TU", "{graph}");
    let output = dir.run(&["cites", "18-KH/TU", "--format", "json"], b"");
    let graph: serde_json::Value = serde_json::from_str(&out(&output)).unwrap();
    assert_eq!(graph["cites"][0]["to"], "45-CT/TW", "{graph}");
    assert_eq!(graph["cites"][0]["archived"], true, "{graph}");
}

fn a_killed_index_run_loses_nothing_and_resumes(db: Backend) {
    let dir = Kho::new("archive-kill", db);
    copy_corpus(&dir, "kho", 4);
    let mut child = dir
        .command(&["index", "-q", "-j", "1", "kho"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it as soon as some documents are in (or give up waiting after 60 s).
    for _ in 0..300 {
        std::thread::sleep(Duration::from_millis(200));
        if out(&dir.run(&["export"], b"")).lines().count() > 0 {
            break;
        }
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    let resumed = dir.run(&["index", "-q", "kho"], b"");
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
    let again = dir.run(&["index", "-q", "kho"], b"");
    assert!(
        err(&again).contains("indexed 0, unchanged 456"),
        "{}",
        err(&again)
    );
}

fn month_fixture(dir: &Kho) {
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
    let output = dir.run(&["index", "-q", "kho"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
}

fn the_summary_lists_a_year_of_overdue_names_the_body_and_writes_what_the_name_says(db: Backend) {
    let dir = Kho::new("archive-summary-window", db);
    month_fixture(&dir);
    // Overdue judged in 2022: the January 2021 tasks are over a year old.
    let output = dir.run(
        &[
            "summary",
            "--month",
            "2022-02",
            "--overdue-at",
            "2022-03-01",
            "-o",
            "bc.pdf",
            "--set",
            "co_quan=SỞ CÔNG THƯƠNG TỈNH LÀO CAI",
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    let pdf = std::fs::read(dir.path().join("bc.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "-o bc.pdf wrote something else");
    let output = dir.run(
        &[
            "summary",
            "--month",
            "2022-02",
            "--overdue-at",
            "2022-03-01",
            "-o",
            "bc.docx",
            "--set",
            "co_quan=SỞ CÔNG THƯƠNG TỈNH LÀO CAI",
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    let text = out(&dir.run(&["normalize", "bc.docx"], b""));
    assert!(
        text.contains("Sở Công Thương tỉnh Lào Cai báo cáo"),
        "{text}"
    );
    assert!(
        text.contains("tình hình ban hành văn bản và thực hiện nhiệm vụ tháng 02 năm 2022"),
        "{text}"
    );
    // The March 2021 task is inside the 12 months; the two January ones are counted.
    assert!(
        text.contains("có 1 nhiệm vụ có thời hạn từ ngày 01/3/2021 đã quá hạn"),
        "{text}"
    );
    assert!(
        text.contains(
            "còn 2 nhiệm vụ có thời hạn trước ngày 01/3/2021 chưa được đánh dấu hoàn thành"
        ),
        "{text}"
    );
}

fn monthly_summary_tables_hold_the_month(db: Backend) {
    let dir = Kho::new("archive-summary", db);
    month_fixture(&dir);
    let output = dir.run(
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
    let text = out(&dir.run(&["normalize", "bc.docx"], b""));
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
        text.contains(
            "Tính đến ngày 01/02/2021, có 2 nhiệm vụ có thời hạn từ ngày 01/02/2020 đã quá hạn"
        ),
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
    dir.run(
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

    let output = dir.run(
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
    let output = dir.run(&["summary", "--month", "2021-13", "-o", "x.docx"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        err(&output).contains("--month \"2021-13\""),
        "{}",
        err(&output)
    );
}

/// The obligations listed as JSON by `vanban obligations ARGS`.
fn obligation_rows(dir: &Kho, args: &[&str]) -> Vec<serde_json::Value> {
    let mut argv = vec!["obligations", "--format", "json"];
    argv.extend_from_slice(args);
    let output = dir.run(&argv, b"");
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

fn overdue_actors(dir: &Kho) -> Vec<String> {
    obligation_rows(dir, &["--due", "2021-01", "--overdue-at", "2021-02-01"])
        .iter()
        .filter(|r| r["status"] == "overdue")
        .map(|r| r["actor"].as_str().unwrap().to_string())
        .collect()
}

fn obligations_are_marked_done_by_id_and_leave_the_overdue_lists(db: Backend) {
    let dir = Kho::new("archive-done", db);
    month_fixture(&dir);
    // Without --due: every obligation with a deadline, its ID and done state.
    let all = obligation_rows(&dir, &[]);
    assert_eq!(all.len(), 3, "{all:?}");
    assert!(all.iter().all(|r| r["done"] == false && r["id"].is_i64()));
    let table = out(&dir.run(&["obligations"], b""));
    assert!(table.starts_with("ID\tdue\tstatus\t"), "{table}");
    assert_eq!(table.matches("\topen\t").count(), 3, "{table}");
    let organisation = obligation_id(&all, "Ban Tổ chức");
    let propaganda = obligation_id(&all, "Ban Tuyên giáo");
    assert_eq!(overdue_actors(&dir).len(), 2);

    let output = dir.run(&["obligations", "--done", &organisation], b"");
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
    let output = dir.run(&["summary", "--month", "2021-01", "-o", "bc.docx"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    let text = out(&dir.run(&["normalize", "bc.docx"], b""));
    assert!(
        text.contains(
            "Tính đến ngày 01/02/2021, có 1 nhiệm vụ có thời hạn từ ngày 01/02/2020 đã quá hạn"
        ),
        "{text}"
    );

    // An unknown ID is named, and then nothing is marked.
    let output = dir.run(&["obligations", "--done", &propaganda, "987654"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        err(&output).contains("no obligation with ID 987654"),
        "{}",
        err(&output)
    );
    assert_eq!(overdue_actors(&dir).len(), 1);
    let output = dir.run(&["obligations", "--done", "abc"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(err(&output).contains("abc"), "{}", err(&output));

    // --undone takes the mark back.
    let output = dir.run(&["obligations", "--undone", &organisation], b"");
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    assert_eq!(overdue_actors(&dir).len(), 2);
}

fn reindexing_keeps_the_done_mark_of_unchanged_obligations(db: Backend) {
    let dir = Kho::new("archive-done-reindex", db);
    month_fixture(&dir);
    let all = obligation_rows(&dir, &[]);
    let organisation = obligation_id(&all, "Ban Tổ chức");
    let city = obligation_id(&all, "Ủy ban nhân dân thành phố");
    let output = dir.run(&["obligations", "--done", &organisation, &city], b"");
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));

    // An unchanged file is skipped: nothing moves.
    let output = dir.run(&["index", "-q", "kho"], b"");
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
    let output = dir.run(&["index", "-q", "kho"], b"");
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
    let output = dir.run(&["obligations", "--done", &city], b"");
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
    let dir = Kho::new("archive-migrate", Backend::Sqlite);
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
    // Read commands do not write: they say what upgrades it.
    let output = dir.run(&["search", "--db", "cu.db", "bau cu"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        err(&output).contains("cu.db: archive schema version 1 is older than this vanban reads (3 to 4); `vanban index --db cu.db` upgrades it"),
        "{}",
        err(&output)
    );
    // `index` migrates it, adding new documents next to the migrated one; search and
    // the obligations still work.
    dir.write(
        "moi/qd.txt",
        "ỦY BAN NHÂN DÂN\nSố: 5/QĐ-UBND\nQUYẾT ĐỊNH\nVề bầu cử".as_bytes(),
    );
    let output = dir.run(&["index", "-q", "--db", "cu.db", "moi"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
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
    let output = dir.run(
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
    assert_eq!(search_paths(&dir, &["bau cu", "--db", "cu.db"]).len(), 2);
}

fn two_index_runs_on_one_archive_at_once_both_store_everything(db: Backend) {
    // A deferred transaction read the old row, then could not upgrade to a write lock
    // once the other run had written: "archive error" for 363 of 935 files.
    let dir = Kho::new("archive-concurrent", db);
    copy_corpus(&dir, "a", 2);
    copy_corpus(&dir, "b", 2);
    // The archive exists already: this is about storing, not creating the schema.
    dir.write("seed.txt", "Chỉ thị số 45-CT/TW".as_bytes());
    let seed = dir.run(&["index", "-q", "seed.txt"], b"");
    assert_eq!(seed.status.code(), Some(0), "{}", err(&seed));
    let runs: Vec<_> = ["a", "b"]
        .map(|folder| dir.spawn(&["index", "-q", "-j", "1", folder]))
        .into_iter()
        .collect();
    for run in runs {
        let output = run.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", err(&output));
        assert!(
            err(&output).contains("indexed 228, unchanged 0, failed 0"),
            "{}",
            err(&output)
        );
    }
    let again = dir.run(&["index", "-q", "a", "b"], b"");
    assert!(
        err(&again).contains("indexed 0, unchanged 456, failed 0")
            && err(&again).contains("holds 457 documents"),
        "{}",
        err(&again)
    );
}

fn two_indexers_racing_on_one_folder_store_every_document_once(db: Backend) {
    // Both runs see an empty archive and extract every file; each file is stored by one
    // of them, and the other finds it there (same path, same content) and counts it
    // unchanged.
    let dir = Kho::new("archive-race", db);
    copy_corpus(&dir, "kho", 2);
    let runs: Vec<_> = (0..2)
        .map(|_| dir.spawn(&["index", "-q", "-j", "1", "kho"]))
        .collect();
    let mut indexed = 0;
    for run in runs {
        let output = run.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", err(&output));
        assert!(err(&output).contains("failed 0"), "{}", err(&output));
        indexed += err(&output)
            .split("indexed ")
            .nth(1)
            .and_then(|s| s.split(',').next())
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap();
    }
    assert_eq!(indexed, 228);
    let again = dir.run(&["index", "-q", "kho"], b"");
    assert!(
        err(&again).contains("indexed 0, unchanged 228, failed 0")
            && err(&again).contains("holds 228 documents"),
        "{}",
        err(&again)
    );
    let exported = out(&dir.run(&["export"], b""));
    assert_eq!(exported.lines().count(), 228);
}

#[test]
fn a_fresh_archive_opened_by_many_processes_at_once_gets_one_schema() {
    // Every process saw version 0 and created the tables: "table documents already exists".
    let dir = Kho::new("archive-fresh-race", Backend::Sqlite);
    dir.write("a.txt", "Chỉ thị số 45-CT/TW ngày 20/6/2020".as_bytes());
    for round in 0..3 {
        let db = format!("kho-{round}.db");
        let runs: Vec<_> = (0..8)
            .map(|_| dir.spawn(&["index", "-q", "--db", &db, "a.txt"]))
            .collect();
        for run in runs {
            let output = run.wait_with_output().unwrap();
            assert_eq!(output.status.code(), Some(0), "{}", err(&output));
            assert!(
                err(&output).contains("holds 1 documents"),
                "{}",
                err(&output)
            );
        }
    }
}

#[test]
fn per_file_archive_errors_say_what_sqlite_said() {
    // `{err}` printed "kho.db: archive error" and dropped the cause.
    let dir = Kho::new("archive-cause", Backend::Sqlite);
    dir.write("a.txt", "Chỉ thị số 45-CT/TW".as_bytes());
    dir.write("kho.db", &[b'x'; 4096]);
    let error = vanban::archive::open(&vanban::archive::Location::File(dir.path().join("kho.db")))
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("kho.db: archive error: file is not a database"),
        "{error}"
    );
    let output = dir.run(&["search", "--db", "kho.db", "chi thi"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        err(&output).contains("kho.db: archive error: file is not a database"),
        "{}",
        err(&output)
    );
}

fn a_huge_search_limit_is_not_a_datatype_mismatch(db: Backend) {
    let dir = Kho::new("archive-limit", db);
    dir.write("a.txt", "Chỉ thị số 45-CT/TW về bầu cử".as_bytes());
    dir.run(&["index", "-q", "a.txt"], b"");
    for limit in ["9223372036854775807", "18446744073709551615"] {
        let paths = search_paths(&dir, &["chi thi", "-n", limit]);
        assert_eq!(paths.len(), 1, "-n {limit}");
        let paths = search_paths(&dir, &["--kind", "ct", "-n", limit]);
        assert_eq!(paths.len(), 1, "-n {limit}");
    }
}

fn a_query_of_too_many_words_is_refused_with_the_limit(db: Backend) {
    // 400 words took 13.6 s and 10,000 more than a minute.
    let dir = Kho::new("archive-words", db);
    dir.write("a.txt", "Chỉ thị số 45-CT/TW về bầu cử".as_bytes());
    dir.run(&["index", "-q", "a.txt"], b"");
    let most = ["bau"; 32].join(" ");
    assert_eq!(search_paths(&dir, &[&most]).len(), 1);
    let many = ["bau"; 33].join(" ");
    for args in [
        vec!["search", many.as_str()],
        vec!["search", "--issuer", many.as_str()],
    ] {
        let output = dir.run(&args, b"");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            err(&output).contains("33 words") && err(&output).contains("at most 32"),
            "{}",
            err(&output)
        );
    }
}

/// The `vanban` binary as a user other than root can run it: itself when every folder
/// above it and the file are open to others, else a copy in `dir`.
#[cfg(unix)]
fn binary_for_others(dir: &Kho) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let binary = Path::new(env!("CARGO_BIN_EXE_vanban"));
    let open_to_others = |path: &Path, bits: u32| {
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & bits == bits)
    };
    if open_to_others(binary, 0o005) && binary.ancestors().skip(1).all(|a| open_to_others(a, 0o001))
    {
        return binary.to_path_buf();
    }
    let copy = dir.path().join("vanban-bin");
    std::fs::copy(binary, &copy).unwrap();
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
    copy
}

/// Runs `binary ARGS` in `dir` as a user whom file permissions stop: the tests' own user,
/// or `nobody` (uid 65534) when the tests run as root (as in CI), whom they do not stop.
#[cfg(unix)]
fn vanban_unprivileged(binary: &Path, dir: &Path, args: &[&str]) -> std::process::Output {
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::process::CommandExt;
    let mut command = Command::new(binary);
    command.args(args).current_dir(dir).stdin(Stdio::null());
    if std::fs::metadata(dir).unwrap().uid() == 0 {
        command.uid(65534).gid(65534);
    }
    command.output().unwrap()
}

#[cfg(unix)]
#[test]
fn a_read_only_archive_is_searched_listed_and_summarised() {
    // Search opened the archive for writing: "attempt to write a readonly database".
    use std::os::unix::fs::PermissionsExt;
    let dir = Kho::new("archive-read-only", Backend::Sqlite);
    month_fixture(&dir);
    let binary = binary_for_others(&dir);
    let db = dir.path().join("vanban.db");
    let before = std::fs::read(&db).unwrap();
    // A reader leaves the archive as it found it: same bytes, no -wal or -shm beside it.
    let output = dir.run(&["search", "bau cu"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    assert!(std::fs::read(&db).unwrap() == before, "the archive changed");
    let mut files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with("vanban.db"))
        .collect();
    files.sort();
    assert_eq!(files, ["vanban.db"]);
    let mode = |path: &Path, mode| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    // A read-only file in a folder others may write to (where SQLite can keep the
    // readers' shared memory next to it).
    mode(&db, 0o444);
    mode(dir.path(), 0o777);
    for (args, expected) in [
        (&["search", "bau cu"][..], "18-KH/TU"),
        (&["search", "--kind", "kh"], "19-KH/TU"),
        (&["cites", "45-CT/TW"], "← 18-KH/TU"),
        (&["export"], "5/QĐ-UBND"),
        (&["obligations"], "Ban Tổ chức"),
        (
            &[
                "obligations",
                "--due",
                "2021-01",
                "--overdue-at",
                "2021-02-01",
            ],
            "overdue",
        ),
        (&["summary", "--month", "2021-01", "-o", "bc.docx"], ""),
    ] {
        let output = vanban_unprivileged(&binary, dir.path(), args);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", err(&output));
        assert!(
            out(&output).contains(expected),
            "{args:?}: {}",
            out(&output)
        );
    }
    assert!(dir.path().join("bc.docx").exists());
    // Marking is a write: refused, and said so.
    let output = vanban_unprivileged(&binary, dir.path(), &["obligations", "--done", "1"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(err(&output).contains("readonly"), "{}", err(&output));
    // A read-only folder: no shared memory file can be made, and none is left over.
    for sidecar in ["vanban.db-wal", "vanban.db-shm"] {
        let _ = std::fs::remove_file(dir.path().join(sidecar));
    }
    mode(dir.path(), 0o555);
    let output = vanban_unprivileged(&binary, dir.path(), &["search", "chi thi 45"]);
    mode(dir.path(), 0o755);
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    assert!(out(&output).contains("18-KH/TU"), "{}", out(&output));
    assert!(std::fs::read(&db).unwrap() == before, "the archive changed");
}

#[test]
fn an_archive_of_a_newer_schema_is_refused_before_any_write() {
    // It was switched to WAL (header bytes 18-19 from 1 to 2), then refused.
    let dir = Kho::new("archive-newer", Backend::Sqlite);
    let db = dir.path().join("neu.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("CREATE TABLE documents (id INTEGER); PRAGMA user_version = 99;")
            .unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    for args in [
        &["search", "--db", "neu.db", "bau cu"][..],
        &["index", "-q", "--db", "neu.db", "."],
        &["obligations", "--db", "neu.db", "--done", "1"],
    ] {
        let output = dir.run(args, b"");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            err(&output)
                .contains("neu.db: archive schema version 99 is newer than this vanban knows (4)"),
            "{args:?}: {}",
            err(&output)
        );
        assert!(
            std::fs::read(&db).unwrap() == before,
            "{args:?} changed the archive"
        );
    }
}

fn the_same_tree_indexed_from_two_folders_keeps_both_offices_documents(db: Backend) {
    // The key was the path as typed: office B's docs/qd.txt replaced office A's.
    let dir = Kho::new("archive-two-offices", db);
    dir.write(
        "a/docs/qd.txt",
        "Quyết định số 991/QĐ-UBND về rừng".as_bytes(),
    );
    dir.write(
        "b/docs/qd.txt",
        "Quyết định số 992/QĐ-UBND về đất đai".as_bytes(),
    );
    for office in ["a", "b"] {
        let output = dir.run_in(
            &dir.path().join(office),
            &["index", "-q", "--db", &dir.db_flag("../kho.db"), "docs"],
        );
        assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    }
    let kho = dir.db_flag("kho.db");
    let forest = search_paths(&dir, &["rung", "--db", &kho]);
    let land = search_paths(&dir, &["dat dai", "--db", &kho]);
    assert_eq!(forest, ["a/docs/qd.txt"]);
    assert_eq!(land, ["b/docs/qd.txt"]);
    // The same files reached another way are the same documents.
    let again = dir.run(
        &[
            "index",
            "-q",
            "--db",
            &dir.db_flag("./kho.db"),
            "a/docs",
            "./b/../b/docs",
        ],
        b"",
    );
    assert!(
        err(&again).contains("indexed 0, unchanged 2, failed 0")
            && err(&again).contains("holds 2 documents"),
        "{}",
        err(&again)
    );
}

#[cfg(unix)]
fn file_names_that_are_not_utf8_are_two_documents(db: Backend) {
    // Both names were stored as "x\u{FFFD}.txt", so the second replaced the first.
    use std::os::unix::ffi::OsStrExt;
    let dir = Kho::new("archive-bytes", db);
    std::fs::create_dir_all(dir.path().join("kho")).unwrap();
    for (byte, number) in [(0xff, "991"), (0xfe, "992")] {
        let name = [b'x', byte, b'.', b't', b'x', b't'];
        let name = std::ffi::OsStr::from_bytes(&name);
        let text = format!("Quyết định số {number}/QĐ-UBND");
        std::fs::write(dir.path().join("kho").join(name), text).unwrap();
    }
    let output = dir.run(&["index", "-q", "kho"], b"");
    assert!(
        err(&output).contains("indexed 2, unchanged 0, failed 0")
            && err(&output).contains("holds 2 documents"),
        "{}",
        err(&output)
    );
    let again = dir.run(&["index", "-q", "kho"], b"");
    assert!(
        err(&again).contains("indexed 0, unchanged 2"),
        "{}",
        err(&again)
    );
    let decisions = search_paths(&dir, &["--kind", "qđ", "-n", "0"]);
    assert_eq!(decisions.len(), 2, "{decisions:?}");
    assert_eq!(decisions, ["kho/x\u{FFFD}.txt"; 2]);
}

/// The tables of an archive written by vanban at schema version 3 (documents keyed by
/// the path as typed), as that version left them.
const SCHEMA_3: &str = r#"
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
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position INTEGER NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL,
        action TEXT NOT NULL, deadline TEXT, grain TEXT, recurring TEXT,
        done INTEGER NOT NULL DEFAULT 0,
        UNIQUE (document_id, position)
    );
    CREATE INDEX obligations_deadline ON obligations(deadline);
    CREATE VIRTUAL TABLE documents_fold USING fts5(
        number, title, issuer, body,
        content = '', contentless_delete = 1,
        tokenize = "unicode61 remove_diacritics 2"
    );
    PRAGMA user_version = 3;
"#;

#[test]
fn an_archive_of_schema_3_is_read_as_it_is_and_rekeyed_by_index() {
    let dir = Kho::new("archive-v3", Backend::Sqlite);
    let text = "THÀNH ỦY BẮC KẠN\nSố 18-KH/TU\nKẾ HOẠCH\nThực hiện Chỉ thị số 45-CT/TW về bầu cử";
    dir.write("kho/kh-18.txt", text.as_bytes());
    let db = dir.path().join("cu.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(SCHEMA_3).unwrap();
        // kho/kh-18.txt is still there, unchanged; mat/qd.txt is gone.
        let hash = vanban::archive::content_hash(text.as_bytes());
        for (id, path, hash, body) in [
            (7, "kho/kh-18.txt", hash.as_str(), text),
            (8, "mat/qd.txt", "x", "Quyết định số 5/QĐ-UBND về đất đai"),
        ] {
            conn.execute(
                "INSERT INTO documents (id, path, hash, encoding, text, record)
                 VALUES (?1, ?2, ?3, 'utf-8', ?4, json_object('path', ?2))",
                rusqlite::params![id, path, hash, body],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO documents_fold (rowid, number, title, issuer, body)
                 VALUES (?1, '', '', '', ?2)",
                rusqlite::params![id, vanban::text::fold_key(body)],
            )
            .unwrap();
        }
        conn.execute(
            "INSERT INTO obligations (document_id, position, actor, role, action, deadline, done)
             VALUES (7, 0, 'Ban Tổ chức', 'lead', 'báo cáo', '2021-01-20', 1)",
            [],
        )
        .unwrap();
    }
    // Read commands read it as it is: no switch to WAL, no migration.
    let before = std::fs::read(&db).unwrap();
    assert_eq!(
        search_paths(&dir, &["Chỉ thị 45", "--db", "cu.db"]),
        ["kho/kh-18.txt"]
    );
    assert_eq!(obligation_rows(&dir, &["--db", "cu.db"]).len(), 1);
    assert!(std::fs::read(&db).unwrap() == before, "the archive changed");

    // `index` upgrades it: the row of a file still there is keyed by its canonical path
    // (so the file is unchanged, not a second document); the other keeps its old key.
    let output = dir.run(&["index", "-q", "--db", "cu.db", "kho"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    assert!(
        err(&output).contains("indexed 0, unchanged 1, failed 0")
            && err(&output).contains("holds 2 documents"),
        "{}",
        err(&output)
    );
    let canonical = std::fs::canonicalize(dir.path().join("kho/kh-18.txt")).unwrap();
    let canonical = canonical.to_str().unwrap();
    let output = dir.run(&["search", "chi thi 45", "--db", "cu.db"], b"");
    assert!(out(&output).contains(canonical), "{}", out(&output));
    assert_eq!(
        search_paths(&dir, &["dat dai", "--db", "cu.db"]),
        ["mat/qd.txt"]
    );
    let export = out(&dir.run(&["export", "--db", "cu.db"], b""));
    assert!(
        export.contains(&format!("{{\"path\":\"{canonical}\"}}")),
        "{export}"
    );
    // The obligations, their IDs and done marks, came through the rebuilt table.
    let rows = obligation_rows(&dir, &["--db", "cu.db"]);
    assert!(rows.len() == 1 && rows[0]["done"] == true, "{rows:?}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 4);
}
