//! Robustness: the bad-input corpus in `fixtures/bad/` through the real binary, big and
//! hostile inputs built at test time (a 50 MB text, zip bombs, an oversized file), a render
//! batch killed halfway, and properties of the template fill.
//!
//! Each bad input must get an error naming it, the batch must go on, nothing may be
//! written outside the output folder and nothing half-written may be left.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use serde_json::{Value, json};
use vanban::document;
use vanban::render::{self, RenderOptions};
use vanban::template::Templates;

use crate::cli::{Dir, vanban};

fn bad(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/bad")
        .join(rel)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn plans() -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/data/ke-hoach.json");
    vanban::template::data::from_json(&std::fs::read(path).unwrap()).unwrap()
}

/// Every file under `dir` with its size, paths relative to `dir`.
fn tree(dir: &Path) -> BTreeMap<PathBuf, u64> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, u64>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let size = std::fs::metadata(&path).unwrap().len();
                out.insert(path.strip_prefix(root).unwrap().to_path_buf(), size);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The file names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Asserts `bytes` is a complete DOCX whose XML parts are well-formed XML 1.0, and
/// returns the text of `word/document.xml`.
fn check_docx(name: &str, bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .unwrap_or_else(|e| panic!("{name} is not a complete zip: {e}"));
    let mut document = String::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        if !part.name().ends_with(".xml") && !part.name().ends_with(".rels") {
            continue;
        }
        let mut xml = String::new();
        part.read_to_string(&mut xml)
            .unwrap_or_else(|e| panic!("{name}/{}: {e}", part.name()));
        let forbidden = xml.chars().find(|&c| {
            matches!(c, '\0'..='\x08' | '\x0B' | '\x0C' | '\x0E'..='\x1F' | '\u{FFFE}' | '\u{FFFF}')
        });
        assert_eq!(
            forbidden,
            None,
            "{name}/{}: a character XML 1.0 forbids",
            part.name()
        );
        let mut reader = quick_xml::Reader::from_str(&xml);
        reader.config_mut().check_end_names = true;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Text(t)) => {
                    t.unescape()
                        .unwrap_or_else(|e| panic!("{name}/{}: {e}", part.name()));
                }
                Ok(_) => {}
                Err(e) => panic!("{name}/{}: not well-formed: {e}", part.name()),
            }
        }
        if part.name() == "word/document.xml" {
            document = xml;
        }
    }
    assert!(!document.is_empty(), "{name} has no word/document.xml");
    document
}

/// The visible text of `word/document.xml`: every `w:t`, entities decoded.
fn docx_text(xml: &str) -> String {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = String::new();
    let mut in_t = false;
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) if e.local_name().as_ref() == b"t" => in_t = true,
            quick_xml::events::Event::End(e) if e.local_name().as_ref() == b"t" => in_t = false,
            quick_xml::events::Event::Text(t) if in_t => out.push_str(&t.unescape().unwrap()),
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// A raw-deflate stream (fixed Huffman codes) of `len` spaces: one literal, then
/// length-258 distance-1 copies. About 13 bits per 258 bytes, like a real zip bomb.
pub(crate) fn deflate_spaces(len: u64) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u32,
        n: u32,
    }
    impl Bits {
        fn bit(&mut self, b: u32) {
            self.acc |= (b & 1) << self.n;
            self.n += 1;
            if self.n == 8 {
                self.out.push(self.acc as u8);
                self.acc = 0;
                self.n = 0;
            }
        }
        /// A header field, least significant bit first.
        fn value(&mut self, v: u32, n: u32) {
            (0..n).for_each(|i| self.bit(v >> i));
        }
        /// A Huffman code, most significant bit first.
        fn code(&mut self, c: u32, n: u32) {
            (0..n).rev().for_each(|i| self.bit(c >> i));
        }
    }
    let mut w = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    w.value(1, 1); // BFINAL
    w.value(1, 2); // BTYPE = fixed Huffman
    w.code(0x30 + u32::from(b' '), 8); // literal ' '
    let mut left = len - 1;
    while left >= 258 {
        w.code(0xC0 + 5, 8); // length code 285 = 258 bytes
        w.code(0, 5); // distance code 0 = 1 byte back
        left -= 258;
    }
    for _ in 0..left {
        w.code(0x30 + u32::from(b' '), 8);
    }
    w.code(0, 7); // end of block
    if w.n > 0 {
        w.out.push(w.acc as u8);
    }
    w.out
}

/// A DOCX-shaped zip whose `word/document.xml` inflates to `real` bytes of spaces while its
/// headers claim `declared` bytes.
fn zip_bomb(real: u64, declared: u32) -> Vec<u8> {
    let data = deflate_spaces(real);
    let name = b"word/document.xml";
    let mut z = Vec::new();
    let u16le = |z: &mut Vec<u8>, v: u16| z.extend_from_slice(&v.to_le_bytes());
    let u32le = |z: &mut Vec<u8>, v: u32| z.extend_from_slice(&v.to_le_bytes());
    let csize = u32::try_from(data.len()).unwrap();
    // Local file header.
    u32le(&mut z, 0x0403_4b50);
    for v in [20, 0, 8, 0, 0x21] {
        u16le(&mut z, v);
    }
    for v in [0xDEAD_BEEF, csize, declared] {
        u32le(&mut z, v);
    }
    u16le(&mut z, name.len() as u16);
    u16le(&mut z, 0);
    z.extend_from_slice(name);
    z.extend_from_slice(&data);
    // Central directory.
    let cd = z.len() as u32;
    u32le(&mut z, 0x0201_4b50);
    for v in [20, 20, 0, 8, 0, 0x21] {
        u16le(&mut z, v);
    }
    for v in [0xDEAD_BEEF, csize, declared] {
        u32le(&mut z, v);
    }
    for v in [name.len() as u16, 0, 0, 0, 0] {
        u16le(&mut z, v);
    }
    u32le(&mut z, 0);
    u32le(&mut z, 0);
    z.extend_from_slice(name);
    let cd_size = z.len() as u32 - cd;
    // End of central directory.
    u32le(&mut z, 0x0605_4b50);
    for v in [0, 0, 1, 1] {
        u16le(&mut z, v);
    }
    u32le(&mut z, cd_size);
    u32le(&mut z, cd);
    u16le(&mut z, 0);
    z
}

const GOOD: &str = "UBND TỈNH BẮC KẠN\nSố: 05/KH-UBND     Bắc Kạn, ngày 14 tháng 01 năm 2021\n\nKẾ HOẠCH\nVề bầu cử\n";

#[test]
fn bad_inputs_are_refused_by_name_and_extract_goes_on() {
    let dir = Dir::new("robust-inputs");
    let inputs = bad("inputs");
    for name in names(&inputs) {
        dir.write(
            &format!("in/{name}"),
            &std::fs::read(inputs.join(&name)).unwrap(),
        );
    }
    dir.write("in/z-good.txt", GOOD.as_bytes());
    let before = tree(dir.path());
    let out = vanban(dir.path(), &["extract", "-f", "jsonl", "in"], b"");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for expected in [
        "junk.bin: unsupported input: binary data, not text",
        "scan.pdf: broken pdf file: no readable cross-reference table or page tree",
        "truncated.docx: broken docx file: not a readable zip archive",
    ] {
        assert!(err.contains(expected), "{expected:?} not in {err}");
    }
    // Three refusals, then the summary line.
    assert_eq!(err.lines().count(), 4, "{err}");
    assert!(
        err.lines()
            .last()
            .is_some_and(|l| l.starts_with("vanban: extracted 4 of 7 inputs, 3 failed, in ")),
        "{err}"
    );
    let records: BTreeMap<String, Value> = stdout(&out)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let path = v["path"].as_str().unwrap().rsplit('/').next().unwrap();
            (path.to_string(), v)
        })
        .collect();
    // One record per input, refused ones included (with an `unreadable` diagnostic).
    assert_eq!(records.len(), 7, "{records:?}");
    for name in ["junk.bin", "scan.pdf", "truncated.docx"] {
        assert_eq!(
            records[name]["diagnostics"][0]["code"], "unreadable",
            "{name}"
        );
    }
    let empty = &records["empty.txt"];
    assert_eq!(empty["dates"], json!([]));
    assert_eq!(empty["document"]["number"], Value::Null);
    // Damaged text is still read, and what is readable is found.
    assert_eq!(
        records["invalid-utf8.txt"]["document"]["number"],
        "991/QĐ-UBND"
    );
    assert_eq!(records["invalid-utf8.txt"]["encoding"], "utf-8");
    // The decoder's diagnostics come first in the record, with byte offsets into the file.
    let bad_bytes = &records["invalid-utf8.txt"]["diagnostics"];
    assert_eq!(bad_bytes.as_array().map(Vec::len), Some(4), "{bad_bytes}");
    assert_eq!(bad_bytes[0]["code"], "invalid-utf8", "{bad_bytes}");
    assert_eq!(bad_bytes[0]["span"], json!({"start": 85, "end": 86}));
    assert_eq!(
        bad_bytes[0]["message"],
        "invalid utf-8 at byte 85; replaced by U+FFFD"
    );
    let mixed = &records["mixed-encodings.txt"];
    assert_eq!(mixed["encoding"], "tcvn3", "{mixed}");
    // A guess is said to be one.
    assert_eq!(
        mixed["diagnostics"][0]["code"], "unsure-encoding",
        "{mixed}"
    );
    assert_eq!(mixed["diagnostics"].as_array().map(Vec::len), Some(1));
    assert_eq!(records["z-good.txt"]["document"]["date"], "2021-01-14");
    assert_eq!(tree(dir.path()), before, "extract wrote files");
}

#[test]
fn index_reports_bad_inputs_and_stores_the_rest() {
    let dir = Dir::new("robust-index");
    let inputs = bad("inputs");
    for name in names(&inputs) {
        dir.write(
            &format!("in/{name}"),
            &std::fs::read(inputs.join(&name)).unwrap(),
        );
    }
    dir.write("in/z-good.txt", GOOD.as_bytes());
    let out = vanban(dir.path(), &["index", "-q", "--db", "kho.db", "in"], b"");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for name in ["junk.bin", "scan.pdf", "truncated.docx"] {
        assert!(err.contains(name), "{name} not in {err}");
    }
    let out = vanban(
        dir.path(),
        &["export", "--db", "kho.db", "-f", "jsonl"],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stored = stdout(&out);
    assert_eq!(stored.lines().count(), 4, "{stored}");
    assert!(stored.contains("05/KH-UBND"), "{stored}");
    let mut files = names(dir.path());
    files.retain(|n| n != "in");
    assert_eq!(files, ["kho.db"], "index wrote something else");
}

#[test]
fn zip_bombs_are_refused_by_size() {
    let dir = Dir::new("robust-bomb");
    // Honest headers: refused from the declared size, nothing inflated.
    dir.write("honest.docx", &zip_bomb(100 << 20, 100 << 20));
    // Lying headers: inflation stops at the limit.
    dir.write("liar.docx", &zip_bomb(65 << 20, 1000));
    dir.write("z-good.txt", GOOD.as_bytes());
    let out = vanban(
        dir.path(),
        &["extract", "honest.docx", "liar.docx", "z-good.txt"],
        b"",
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("honest.docx: broken docx file: word/document.xml unpacks to 104857600 bytes, over the limit"),
        "{err}"
    );
    let liar = err.lines().find(|l| l.contains("liar.docx")).unwrap_or("");
    assert!(liar.contains("broken docx file"), "{err}");
    assert!(stdout(&out).contains("05/KH-UBND"), "the batch stopped");
}

#[test]
fn a_50_mb_text_is_read_and_an_oversized_file_is_refused() {
    let dir = Dir::new("robust-big");
    let texts = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus/texts");
    let mut corpus = String::new();
    for name in names(&texts) {
        corpus.push_str(&std::fs::read_to_string(texts.join(name)).unwrap());
    }
    let mut big = corpus.repeat(50_000_000 / corpus.len() + 1);
    let mut cut = 50_000_000;
    while !big.is_char_boundary(cut) {
        cut -= 1;
    }
    big.truncate(cut);
    dir.write("big.txt", big.as_bytes());
    drop(big);
    // Over the 256 MiB input limit; sparse, so it costs no disk.
    let huge = std::fs::File::create(dir.path().join("huge.txt")).unwrap();
    huge.set_len(vanban::read::MAX_INPUT_BYTES + 1).unwrap();
    let out = vanban(
        dir.path(),
        &["decode", "-f", "json", "huge.txt", "big.txt"],
        b"",
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("huge.txt: unsupported input: 268435457 bytes, over the limit"),
        "{err}"
    );
    let line: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(line["path"], "big.txt");
    assert_eq!(line["encoding"], "utf-8");
}

/// Runs `vanban render -t TEMPLATE -d DATA -o out` plus `extra` in `dir`.
fn render(dir: &Dir, template: &str, data: &Path, extra: &[&str]) -> Output {
    let data = data.to_str().unwrap();
    let mut args = vec!["render", "-t", template, "-d", data, "-o", "out"];
    args.extend_from_slice(extra);
    vanban(dir.path(), &args, b"")
}

/// Asserts that `out/` holds exactly `expected` documents, each complete, no temp files.
fn check_out(dir: &Dir, expected: usize) -> Vec<String> {
    let out = dir.path().join("out");
    let files = if out.exists() {
        names(&out)
    } else {
        Vec::new()
    };
    for name in &files {
        assert!(name.ends_with(".docx"), "left in out/: {name}");
        check_docx(
            name,
            &std::fs::read(dir.path().join("out").join(name)).unwrap(),
        );
    }
    assert_eq!(files.len(), expected, "{files:?}");
    files
}

#[test]
fn records_with_wrong_types_are_reported_and_the_rest_written() {
    let dir = Dir::new("robust-types");
    let out = render(&dir, "ke-hoach", &bad("render/wrong-types.json"), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    // A text where the task list goes is a list of its lines: its items have no fields.
    assert!(
        err.contains("record 1 (so=15-KH/HU): ke-hoach.md line 52: undefined field 't.noi_dung'"),
        "{err}"
    );
    assert!(err.contains("record 4 (so="), "{err}");
    assert!(
        err.contains("ke-hoach.md line 29: number is not iterable"),
        "{err}"
    );
    // A list where the date goes and an object where the number goes are refused, not
    // printed as `[..]` or `{..}` in a document.
    assert!(
        err.contains(
            "record 2 (so=26-KH/HU): ke-hoach.md line 9: a list where text is expected: ['2025', '10', '14']"
        ),
        "{err}"
    );
    assert!(
        err.contains("record 3: ke-hoach.md line 7: an object where text is expected: {'so': 15}"),
        "{err}"
    );
    assert!(err.contains("wrote 1 of 5 documents"), "{err}");
    check_out(&dir, 1);
}

#[test]
fn csv_without_a_column_names_the_record_and_the_field() {
    // A column no record has is one error naming it (with its Vietnamese label) and the
    // columns the data has, not one error per record.
    let dir = Dir::new("robust-csv");
    let out = render(&dir, "ke-hoach", &bad("render/missing-column.csv"), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("ke-hoach.md: the data has no column for nhiem_vu (Nhiệm vụ) (it has:"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!dir.path().join("out").exists() || names(&dir.path().join("out")).is_empty());
}

#[test]
fn unreadable_data_is_a_fatal_error_naming_the_file() {
    let dir = Dir::new("robust-data");
    dir.write("ragged.csv", "so,co_quan\n1,A,extra\n".as_bytes());
    dir.write("list.json", b"[1, 2]");
    dir.write("empty.json", b"");
    for (file, expected) in [
        ("ragged.csv", "ragged.csv: invalid CSV row 2"),
        ("list.json", "list.json: record 1 is not a JSON object"),
        ("empty.json", "empty.json: no data: the file is empty"),
        ("missing.json", "failed to read missing.json"),
    ] {
        let out = render(&dir, "ke-hoach", Path::new(file), &[]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{file}: {err}");
        assert!(err.contains(expected), "{expected:?} not in {err}");
    }
    assert!(!dir.path().join("out").exists() || names(&dir.path().join("out")).is_empty());
}

#[test]
fn a_template_with_a_syntax_error_is_named_and_does_not_block_the_others() {
    let dir = Dir::new("robust-template");
    let templates = bad("render/templates");
    let templates = templates.to_str().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/data/ke-hoach.json");
    let out = render(&dir, "hong", &data, &["--templates", templates]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("hong.md line 9: unexpected `{`, expected end of variable block"),
        "{err}"
    );
    check_out(&dir, 0);
    // Another template from the same folder set still renders; the broken one is named.
    let out = render(&dir, "ke-hoach", &data, &["--templates", templates]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("warning: skipped hong.md line 9"), "{err}");
    check_out(&dir, 5);
}

#[test]
fn output_names_cannot_leave_the_output_folder() {
    let dir = Dir::new("robust-traversal");
    dir.write(
        "work/data.json",
        &std::fs::read(bad("render/traversal.json")).unwrap(),
    );
    let before = tree(dir.path());
    let out = vanban(
        &dir.path().join("work"),
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
    let after = tree(dir.path());
    let new: Vec<&PathBuf> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    assert_eq!(
        new,
        [
            Path::new("work/out/ngoai.docx"),
            Path::new("work/out/tmp-tuyet-doi.docx"),
            Path::new("work/out/win.docx"),
        ],
        "written outside work/out"
    );
    assert!(!Path::new("/tmp/tuyet-doi.docx").exists());
}

#[test]
fn markdown_xml_and_control_characters_stay_text_in_valid_xml() {
    let dir = Dir::new("robust-specials");
    let out = render(&dir, "ke-hoach", &bad("render/specials.json"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let files = check_out(&dir, 1);
    let xml = check_docx(
        &files[0],
        &std::fs::read(dir.path().join("out").join(&files[0])).unwrap(),
    );
    let text = docx_text(&xml);
    for value in [
        "**đậm** _nghiêng_ `mã` [liên kết](http://x) <b>thẻ</b> & \"nháy\" 'đơn' ]]> | ô | # 1. - +",
        "<w:t>&amp;</w:t>",
        "Nguyễn <Văn> & A",
    ] {
        assert!(text.contains(value), "{value:?} not in {text}");
    }
    assert!(text.contains("Họp") && text.contains("gấp"), "{text}");

    // The same record as PDF: rendered, complete.
    let data = bad("render/specials.json");
    let out = vanban(
        dir.path(),
        &[
            "render",
            "-t",
            "ke-hoach",
            "-d",
            data.to_str().unwrap(),
            "-o",
            "pdf",
            "-f",
            "pdf",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(names(&dir.path().join("pdf")), ["ke-hoach-0001.pdf"]);
    let pdf = std::fs::read(dir.path().join("pdf/ke-hoach-0001.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"), "PDF not complete");
}

#[test]
fn a_killed_render_batch_leaves_only_complete_documents() {
    let dir = Dir::new("robust-kill");
    let base = plans();
    let records: Vec<Value> = (0..600)
        .map(|i| {
            let mut r = base[i % base.len()].clone();
            r["so"] = json!(format!("{}-KH/HU", i + 1));
            r
        })
        .collect();
    dir.write(
        "data.json",
        serde_json::to_string(&records).unwrap().as_bytes(),
    );
    let args = ["render", "-t", "ke-hoach", "-d", "data.json", "-o", "out"];
    let mut child = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(args)
        .args(["-j", "1"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out_dir = dir.path().join("out");
    let start = Instant::now();
    let mut finished = false;
    loop {
        let written = std::fs::read_dir(&out_dir).map_or(0, |d| d.count());
        if written >= 20 {
            break;
        }
        if child.try_wait().unwrap().is_some() {
            finished = true;
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "render stalled");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!finished, "the batch finished before it could be killed");
    // Every visible output is a complete document; temporary files of at most two groups
    // of records (64 each, published together by one sync) are left.
    let files = names(&out_dir);
    let docs: Vec<&String> = files.iter().filter(|n| !n.starts_with('.')).collect();
    assert!(docs.len() < records.len(), "nothing left to kill");
    for name in &docs {
        assert!(name.ends_with(".docx"), "{name}");
        check_docx(name, &std::fs::read(out_dir.join(name)).unwrap());
    }
    let temps: Vec<&String> = files.iter().filter(|n| n.starts_with('.')).collect();
    assert!(
        temps.iter().all(|n| n.ends_with(".tmp")) && temps.len() <= 128,
        "{temps:?}"
    );
    // The same command again completes the batch and sweeps the stale temporary files.
    let out = vanban(dir.path(), &args, b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    check_out(&dir, records.len());
}

/// Any JSON value, a few levels deep, strings drawn from text that trips escaping.
fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        "(\\PC|[\\x00-\\x1F]|\\*|_|`|\\||<|>|&|\\]\\]>|\\{\\{|\\{%|#|-|1\\. |\n|\\\\|ngày){0,12}"
            .prop_map(Value::from),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("noi_dung|chu_tri|phoi_hop|thoi_han|x", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any record, with any field replaced by any value: the fill either fails with a
    /// template error or gives a draft that lays out and renders to well-formed XML.
    #[test]
    fn template_fill_never_panics_and_renders_valid_xml(
        which in 0usize..5,
        edits in prop::collection::vec(("[a-z_]{2,16}|so|ngay|nhiem_vu|noi_nhan|muc_dich|can_cu|trich_yeu|standard", any_value()), 0..4),
        template in prop::sample::select(vec!["ke-hoach", "bien-ban", "bao-cao", "ke-hoach-trien-khai"]),
    ) {
        let templates = Templates::builtin();
        let mut record = plans()[which].clone();
        for (key, value) in edits {
            record[key] = value;
        }
        match templates.fill(template, &record) {
            Ok(draft) => {
                let doc = document::layout(&draft);
                let bytes = render::docx(&doc, &RenderOptions::default()).unwrap();
                check_docx(template, &bytes);
            }
            Err(e) => prop_assert!(e.to_string().contains(".md"), "{e}"),
        }
    }

    /// The output name pattern never leaves the folder, whatever the data.
    #[test]
    fn output_names_are_always_plain_file_names(s in "(\\PC|/|\\\\|\\.\\.|:|\\x00|\n| ){0,40}") {
        let name = vanban::render::names::safe_name(&s, "x");
        prop_assert!(!name.is_empty());
        prop_assert!(!name.contains(['/', '\\', '\0']), "{name}");
        prop_assert!(name != "." && name != ".." && !name.starts_with('.'), "{name}");
    }
}
