//! The real `vanban` binary, run in a temporary folder.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A temporary folder that is removed when dropped.
pub(crate) struct Dir {
    path: PathBuf,
}

impl Dir {
    pub(crate) fn new(name: &str) -> Dir {
        let path = std::env::temp_dir().join(format!("vanban-it-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Dir { path }
    }

    pub(crate) fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Runs `vanban ARGS` in `dir` with `stdin`, returning its output.
pub(crate) fn vanban(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// Starts `vanban ARGS` in `dir` without waiting for it (stdin empty, stdout and stderr
/// piped).
pub(crate) fn spawn(dir: &Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn usage_error_exits_2() {
    let dir = Dir::new("usage");
    let output = vanban(dir.path(), &["frobnicate"], b"");
    assert_eq!(output.status.code(), Some(2));
    let output = vanban(
        dir.path(),
        &["normalize", "--tone", "sideways", "x.txt"],
        b"",
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn help_documents_exit_codes() {
    let dir = Dir::new("help");
    let output = vanban(dir.path(), &["--help"], b"");
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout(&output).contains("Exit codes: 0"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_bad_input_is_reported_and_the_batch_goes_on() {
    let dir = Dir::new("batch");
    dir.write("a.txt", "Cộng hòa xã hội chủ nghĩa Việt Nam\n".as_bytes());
    dir.write("b.pdf", b"%PDF-1.4\n1 0 obj\n");
    dir.write("c.txt", "Độc lập - Tự do - Hạnh phúc\n".as_bytes());
    let output = vanban(
        dir.path(),
        &["normalize", "a.txt", "b.pdf", "missing.txt", "c.txt"],
        b"",
    );
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(
        out.contains("Cộng hòa xã hội") && out.contains("Độc lập - Tự do"),
        "{out}"
    );
    let err = stderr(&output);
    assert!(err.contains("b.pdf: broken pdf file"), "{err}");
    assert!(err.contains("missing.txt"), "{err}");
}

#[test]
fn normalize_reads_stdin_and_folds() {
    let dir = Dir::new("stdin");
    let output = vanban(
        dir.path(),
        &["normalize", "--fold", "-"],
        "Chỉ thị số 45-CT/TW của Đảng".as_bytes(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "chi thi so 45-ct/tw cua dang");
}

#[test]
fn normalize_writes_one_file_per_input() {
    let dir = Dir::new("outdir");
    dir.write("in/a.txt", "Ủy ban nhân dân\r\n".as_bytes());
    let output = vanban(dir.path(), &["normalize", "-o", "out", "in"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written = std::fs::read_to_string(dir.path().join("out/a.txt")).unwrap();
    assert_eq!(written, "Ủy ban nhân dân\n");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("out")).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "temporary files left behind");
}

#[test]
fn decode_reports_encoding_per_file() {
    let dir = Dir::new("decode");
    dir.write("u.txt", "Quyết định số 991/QĐ-UBND".as_bytes());
    let output = vanban(dir.path(), &["decode", "--format", "json", "u.txt"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let line: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(line["encoding"], "utf-8");
    assert_eq!(line["path"], "u.txt");
}

#[test]
fn extract_csv_has_one_row_per_obligation() {
    let dir = Dir::new("obligations-csv");
    dir.write(
        "qd.txt",
        "Điều 2. Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ hướng dẫn thực hiện, báo cáo trước ngày 30/6/2021.\n"
            .as_bytes(),
    );
    let output = vanban(
        dir.path(),
        &["extract", "-f", "csv", "--table", "obligations", "qd.txt"],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let actors: Vec<(&str, &str)> = rows.iter().map(|r| (&r[2], &r[4])).collect();
    assert_eq!(
        actors,
        [("Sở Tài chính", "lead"), ("Sở Nội vụ", "support")],
        "{rows:?}"
    );
    assert_eq!(&rows[0][7], "2021-06-30");
}
