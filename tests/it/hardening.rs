//! Regression tests for the hardening probe: inputs that used to hang, grow without
//! bound or lose data. Each test is named after what broke; each runs the real binary
//! under a watchdog, so a regression fails the test instead of hanging the suite.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::cli::{Dir, spawn};

/// How long any one command here may run before it counts as hung. Generous: the point
/// is "ends", not "fast" (speed belongs to `vanban bench`).
const HUNG_AFTER: Duration = Duration::from_secs(120);

/// Runs `vanban ARGS` in `dir`; kills it and fails the test if it has not ended within
/// [`HUNG_AFTER`].
fn run_bounded(dir: &Path, args: &[&str]) -> Output {
    let child = spawn(dir, args);
    let id = child.id();
    let (done, wait) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let output = child.wait_with_output().unwrap();
        let _ = done.send(());
        output
    });
    if wait.recv_timeout(HUNG_AFTER).is_err() {
        let _ = Command::new("kill").arg("-9").arg(id.to_string()).status();
        panic!("vanban {args:?} hung for {HUNG_AFTER:?}");
    }
    waiter.join().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

fn symlink(target: &str, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

const GOOD: &str = "UBND TỈNH BẮC KẠN\nSố: 05/KH-UBND     Bắc Kạn, ngày 14 tháng 01 năm 2021\n\nKẾ HOẠCH\nVề bầu cử\n";

#[test]
fn a_fifo_is_refused_at_once_instead_of_blocking() {
    let dir = Dir::new("hard-fifo");
    mkfifo(&dir.path().join("f"));
    let out = run_bounded(dir.path(), &["extract", "f"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("f: unsupported input: a named pipe (FIFO), not a regular file"),
        "{err}"
    );
}

#[test]
fn a_fifo_inside_a_folder_does_not_block_index() {
    let dir = Dir::new("hard-fifo-index");
    dir.write("docs/a.txt", GOOD.as_bytes());
    mkfifo(&dir.path().join("docs/b-pipe"));
    dir.write("docs/c.txt", GOOD.replace("05/KH", "06/KH").as_bytes());
    let out = run_bounded(dir.path(), &["index", "--db", "kho.db", "-q", "docs"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("b-pipe: unsupported input: a named pipe"),
        "{err}"
    );
    assert!(err.contains("indexed 2, unchanged 0, failed 1"), "{err}");
}

#[test]
fn dev_zero_and_a_link_to_it_are_refused_not_read() {
    let dir = Dir::new("hard-zero");
    dir.write("in/a.txt", GOOD.as_bytes());
    symlink("/dev/zero", &dir.path().join("in/zero.txt"));
    let out = run_bounded(dir.path(), &["extract", "/dev/zero", "in"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("/dev/zero: unsupported input: a character device"),
        "{err}"
    );
    assert!(
        err.contains("in/zero.txt: unsupported input: a character device"),
        "{err}"
    );
    assert!(stdout(&out).contains("05/KH-UBND"), "the batch stopped");
}

#[test]
fn special_files_are_read_only_when_asked_and_still_capped() {
    let limits = vanban::read::Limits {
        max_bytes: 4096,
        special_files: true,
    };
    // /dev/zero says it is 0 bytes long and never ends: only the reader's cap stops it.
    let err = vanban::read::load_file(Path::new("/dev/zero"), limits)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "/dev/zero: unsupported input: more than 4096 bytes, over the input limit"
    );
    let refused = vanban::read::load_file(Path::new("/dev/null"), Default::default());
    assert!(
        refused.is_err(),
        "a device was read without --special-files"
    );
    let empty = vanban::read::load_file(Path::new("/dev/null"), limits).unwrap();
    assert!(empty.is_empty());
}

#[test]
fn standard_input_is_read_through_the_cap() {
    let limits = vanban::read::Limits {
        max_bytes: 10,
        special_files: false,
    };
    let input = vanban::pipeline::Input::Bytes {
        name: Path::new("big.txt"),
        bytes: b"more than ten bytes",
    };
    let options = vanban::pipeline::Options {
        limits,
        ..Default::default()
    };
    let err = vanban::pipeline::load(input, &options)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("big.txt: unsupported input: 19 bytes, over the input limit"),
        "{err}"
    );
    // The real binary: standard input longer than the cap is refused by name.
    let mut child = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(["extract", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let block = vec![b'a'; 1 << 20];
        // 300 MiB, more than the 256 MiB cap; the write fails once vanban stops reading.
        for _ in 0..300 {
            if stdin.write_all(&block).is_err() {
                break;
            }
        }
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("<stdin>: unsupported input: more than 268435456 bytes, over the input limit"),
        "{err}"
    );
}

/// The CRC-32 (IEEE) of `len` spaces, which the zip reader checks at the end of a part.
fn crc32_of_spaces(len: u64) -> u32 {
    let table: Vec<u32> = (0..256u32)
        .map(|n| {
            (0..8).fold(n, |c, _| {
                if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                }
            })
        })
        .collect();
    let mut crc = !0u32;
    for _ in 0..len {
        crc = table[((crc ^ u32::from(b' ')) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

/// A zip with one part per `(name, bytes of spaces)`, each deflated as a bomb.
fn zip_of_spaces(parts: &[(&str, u64)]) -> Vec<u8> {
    let mut z = Vec::new();
    let mut central = Vec::new();
    let u16le = |z: &mut Vec<u8>, v: u16| z.extend_from_slice(&v.to_le_bytes());
    let u32le = |z: &mut Vec<u8>, v: u32| z.extend_from_slice(&v.to_le_bytes());
    for &(name, real) in parts {
        let data = crate::robust::deflate_spaces(real);
        let offset = z.len() as u32;
        let (csize, size) = (data.len() as u32, real as u32);
        let crc = crc32_of_spaces(real);
        u32le(&mut z, 0x0403_4b50);
        for v in [20, 0, 8, 0, 0x21] {
            u16le(&mut z, v);
        }
        for v in [crc, csize, size] {
            u32le(&mut z, v);
        }
        u16le(&mut z, name.len() as u16);
        u16le(&mut z, 0);
        z.extend_from_slice(name.as_bytes());
        z.extend_from_slice(&data);
        u32le(&mut central, 0x0201_4b50);
        for v in [20, 20, 0, 8, 0, 0x21] {
            u16le(&mut central, v);
        }
        for v in [crc, csize, size] {
            u32le(&mut central, v);
        }
        for v in [name.len() as u16, 0, 0, 0, 0] {
            u16le(&mut central, v);
        }
        u32le(&mut central, 0);
        u32le(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let cd = z.len() as u32;
    z.extend_from_slice(&central);
    u32le(&mut z, 0x0605_4b50);
    for v in [0, 0, parts.len() as u16, parts.len() as u16] {
        u16le(&mut z, v);
    }
    u32le(&mut z, central.len() as u32);
    u32le(&mut z, cd);
    u16le(&mut z, 0);
    z
}

#[test]
fn docx_parts_are_capped_in_total_not_only_one_by_one() {
    let dir = Dir::new("hard-parts");
    // Each part is under the 64 MiB per-part cap; together they pass the 128 MiB total.
    let mib = 1 << 20;
    let parts = [
        ("word/document.xml", 60 * mib),
        ("word/header1.xml", 60 * mib),
        ("word/header2.xml", 60 * mib),
    ];
    dir.write("many.docx", &zip_of_spaces(&parts));
    dir.write("z-good.txt", GOOD.as_bytes());
    let out = run_bounded(dir.path(), &["extract", "many.docx", "z-good.txt"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("many.docx: broken docx file: word/header2.xml: the parts unpack to more than 134217728 bytes together"),
        "{err}"
    );
    assert!(stdout(&out).contains("05/KH-UBND"), "the batch stopped");
}

#[test]
fn link_loops_end_and_list_each_file_once() {
    let dir = Dir::new("hard-loops");
    dir.write("docs/a/x.txt", GOOD.as_bytes());
    dir.write("docs/b/y.txt", GOOD.replace("05/KH", "06/KH").as_bytes());
    // Two loops that reach each other's folders, and one to the top.
    symlink("../b", &dir.path().join("docs/a/to-b"));
    symlink("../a", &dir.path().join("docs/b/to-a"));
    symlink("..", &dir.path().join("docs/a/up"));
    let out = run_bounded(dir.path(), &["extract", "docs"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let read: Vec<String> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|record| !record["encoding"].is_null())
        .map(|record| record["path"].as_str().unwrap().to_string())
        .collect();
    // docs/b is reached through docs/a/to-b first, and not walked again.
    assert_eq!(read, ["docs/a/to-b/y.txt", "docs/a/x.txt"], "{err}");
    assert!(
        err.contains("docs/a/to-b/to-a: a link back to a folder that contains it (a loop)"),
        "{err}"
    );
    assert!(
        err.contains("docs/a/up: a link back to a folder that contains it (a loop)"),
        "{err}"
    );
}

#[test]
fn index_stores_the_same_diagnostics_as_extract() {
    let dir = Dir::new("hard-index-diag");
    // A TCVN3 text with a byte no table maps: decode reports it with its offset.
    let mut bytes = GOOD.as_bytes().to_vec();
    bytes.extend_from_slice(b"\nabc \x81 def\n");
    dir.write("docs/a.txt", &bytes);
    let extracted = run_bounded(dir.path(), &["extract", "docs/a.txt"]);
    let indexed = run_bounded(dir.path(), &["index", "--db", "kho.db", "-q", "docs"]);
    assert_eq!(indexed.status.code(), Some(0), "{}", stderr(&indexed));
    let exported = run_bounded(dir.path(), &["export", "--db", "kho.db"]);
    let diagnostics = |out: &Output| {
        let line = stdout(out);
        let record: serde_json::Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
        record["diagnostics"].clone()
    };
    assert_ne!(
        diagnostics(&extracted),
        serde_json::json!([]),
        "nothing to compare"
    );
    assert_eq!(diagnostics(&exported), diagnostics(&extracted));
}

#[test]
fn index_of_the_archive_folder_skips_its_own_files() {
    let dir = Dir::new("hard-own-files");
    dir.write("a.txt", GOOD.as_bytes());
    for run in 0..2 {
        let out = run_bounded(dir.path(), &["index", "-q", "."]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(0), "run {run}: {err}");
        assert!(err.contains("failed 0"), "run {run}: {err}");
        assert!(!err.contains("vanban.db-"), "run {run}: {err}");
    }
    let out = run_bounded(dir.path(), &["export"]);
    let records = stdout(&out).lines().count();
    assert_eq!(records, 1, "{}", stdout(&out));
}

#[test]
fn normalize_to_one_folder_loses_no_input_with_the_same_name() {
    let dir = Dir::new("hard-normalize-names");
    dir.write("a/x.txt", GOOD.as_bytes());
    dir.write("b/x.txt", GOOD.replace("05/KH", "06/KH").as_bytes());
    let out = run_bounded(
        dir.path(),
        &["normalize", "-q", "-o", "out", "a/x.txt", "b/x.txt"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let first = std::fs::read_to_string(dir.path().join("out/x.txt")).unwrap();
    let second = std::fs::read_to_string(dir.path().join("out/x-2.txt")).unwrap();
    assert!(first.contains("05/KH") && second.contains("06/KH"));
}

#[test]
fn normalize_into_its_input_folder_never_writes_over_an_input() {
    let dir = Dir::new("hard-normalize-self");
    dir.write("d/x.txt", "qd cũ\r\n".as_bytes());
    dir.write("d/x.doc.txt", GOOD.as_bytes());
    let out = run_bounded(dir.path(), &["normalize", "-q", "-o", "d", "d"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let kept = std::fs::read(dir.path().join("d/x.txt")).unwrap();
    assert_eq!(kept, "qd cũ\r\n".as_bytes(), "an input was overwritten");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("d/x-2.txt")).unwrap(),
        "qd cũ\n"
    );
    assert!(
        std::fs::read_to_string(dir.path().join("d/x.doc-2.txt"))
            .unwrap()
            .contains("05/KH")
    );
}

#[test]
fn a_closed_pipe_on_stdout_ends_quietly_with_exit_0() {
    let dir = Dir::new("hard-pipe");
    for k in 0..400 {
        dir.write(&format!("docs/{k:03}.txt"), GOOD.as_bytes());
    }
    for args in [
        &["extract", "-q", "docs"][..],
        &["normalize", "-q", "docs"][..],
    ] {
        let mut child = spawn(dir.path(), args);
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        drop(stdout);
        let started = Instant::now();
        let out = child.wait_with_output().unwrap();
        assert!(started.elapsed() < HUNG_AFTER);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
    }
}

#[test]
fn a_full_stderr_never_panics() {
    let dir = Dir::new("hard-stderr");
    dir.write("bad.pdf", b"%PDF-1.7\n");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(["extract", "bad.pdf", "missing.txt"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::from(full))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "panicked or failed otherwise");
}

#[test]
fn read_and_write_errors_say_which_and_why() {
    let dir = Dir::new("hard-errors");
    dir.write("a.txt", GOOD.as_bytes());
    // Reading a path under a file: the OS reason is printed, not only "failed to read".
    let out = run_bounded(dir.path(), &["extract", "a.txt/x"]);
    let err = stderr(&out);
    assert!(
        err.contains("failed to read a.txt/x: Not a directory"),
        "{err}"
    );
    // Writing where no folder is: a write error says so.
    let out = run_bounded(dir.path(), &["extract", "-o", "none/x.json", "a.txt"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("failed to write none/x.json"), "{err}");
    assert!(err.contains("No such file or directory"), "{err}");
    assert!(!err.contains("failed to read"), "{err}");
}

#[test]
fn render_data_from_a_device_is_refused_not_read() {
    let dir = Dir::new("hard-render-zero");
    let out = run_bounded(
        dir.path(),
        &["render", "-t", "ke-hoach", "-d", "/dev/zero", "-o", "out"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("/dev/zero: unsupported input: a character device"),
        "{err}"
    );
}

#[test]
fn a_fifo_among_the_templates_is_reported_not_waited_for() {
    let dir = Dir::new("hard-template-fifo");
    std::fs::create_dir_all(dir.path().join("mau")).unwrap();
    mkfifo(&dir.path().join("mau/treo.md"));
    let out = run_bounded(dir.path(), &["templates", "--templates", "mau"]);
    let err = stderr(&out);
    assert!(
        err.contains("treo.md: unsupported input: a named pipe"),
        "{err}"
    );
    assert!(
        stdout(&out).contains("ke-hoach"),
        "the built-ins were not listed"
    );
}
