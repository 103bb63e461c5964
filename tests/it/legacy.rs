//! Legacy Word .doc and RTF files (TCVN3, VNI): every file of the legacy corpus decodes to
//! its transcript, and damaged files give errors, never panics.

use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;
use vanban::Error;
use vanban::decode::Encoding;
use vanban::read::read;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus")
}

/// `(id, encoding, file name)` for every row of `legacy/INDEX.tsv`.
fn index() -> Vec<(String, Encoding, String)> {
    let tsv = std::fs::read_to_string(corpus().join("legacy/INDEX.tsv")).unwrap();
    tsv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let ext = Path::new(cols[2]).extension().unwrap().to_str().unwrap();
            (
                cols[0].to_string(),
                cols[1].parse().unwrap(),
                format!("{}.{ext}", cols[0]),
            )
        })
        .collect()
}

/// NFC, whitespace runs collapsed to one space, trimmed.
fn collapse(s: &str) -> Vec<char> {
    let mut out = Vec::new();
    for c in s.nfc() {
        if c.is_whitespace() {
            if out.last().is_some_and(|&l| l != ' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    if out.last() == Some(&' ') {
        out.pop();
    }
    out
}

/// The length of the longest common subsequence of `a` and `b`, by Myers' O((N+M)·D)
/// greedy algorithm on the edit graph; `None` when more than `max_d` insertions and
/// deletions would be needed.
fn lcs_len(a: &[char], b: &[char], max_d: usize) -> Option<usize> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let offset = max_d as isize + 1;
    let mut v = vec![0isize; 2 * max_d + 3];
    for d in 0..=max_d as isize {
        let mut k = -d;
        while k <= d {
            let i = (k + offset) as usize;
            let mut x = if k == -d || (k != d && v[i - 1] < v[i + 1]) {
                v[i + 1]
            } else {
                v[i - 1] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[i] = x;
            if x >= n && y >= m {
                return Some(((n + m - d) / 2) as usize);
            }
            k += 2;
        }
    }
    None
}

/// Characters in common over the longer text's length: 1.0 for equal texts. Below
/// `floor` it only reports that it is below (the diff stops early).
fn similarity(got: &str, want: &str, floor: f64) -> f64 {
    let (a, b) = (collapse(got), collapse(want));
    let longest = a.len().max(b.len()).max(1);
    // LCS ≥ floor·longest needs D = N + M − 2·LCS ≤ N + M − 2·floor·longest.
    let max_d = (a.len() + b.len()).saturating_sub((2.0 * floor * longest as f64) as usize) + 1;
    match lcs_len(&a, &b, max_d) {
        Some(lcs) => lcs as f64 / longest as f64,
        None => floor - 0.0001,
    }
}

#[test]
fn similarity_counts_characters() {
    assert_eq!(similarity("a  b\nc", "a b c", 0.9), 1.0);
    assert!((similarity("abcd", "abxd", 0.5) - 0.75).abs() < 1e-9);
    assert!((similarity("Cộng hòa", "Cộng hoà", 0.5) - 6.0 / 8.0).abs() < 1e-9);
    assert!(similarity("abcdefgh", "hgfedcba", 0.9) < 0.9);
}

#[test]
fn legacy_corpus_decodes_to_its_transcripts() {
    let mut failures = Vec::new();
    for (id, encoding, file) in index() {
        let path = corpus().join("legacy").join(&file);
        let bytes = std::fs::read(&path).unwrap();
        let source = match read(&path, &bytes, None) {
            Ok(source) => source,
            Err(e) => {
                failures.push(format!("{id}: {e}"));
                continue;
            }
        };
        let want =
            std::fs::read_to_string(corpus().join("texts").join(format!("{id}.txt"))).unwrap();
        if let Ok(dir) = std::env::var("VANBAN_LEGACY_OUT") {
            // For looking at the differences with a diff tool.
            std::fs::write(Path::new(&dir).join(format!("{id}.txt")), &source.text).unwrap();
        }
        let ratio = similarity(&source.text, &want, 0.95);
        let folded = similarity(&source.text.to_lowercase(), &want.to_lowercase(), 0.95);
        eprintln!(
            "{id:40} {:<7} {ratio:.4} (case-folded {folded:.4})  {}",
            source.encoding, source.clue
        );
        if source.encoding != encoding {
            failures.push(format!("{id}: detected {} not {encoding}", source.encoding));
        }
        // Case-folded: the transcripts keep the lower case that TCVN3 heading fonts
        // (`.VnTimeH`) draw as capitals, which vanban restores (`cộng hòa xã hội chủ
        // nghĩa việt nam` in the transcript of 2003-A06 is upper case on paper).
        if folded < 0.99 {
            failures.push(format!("{id}: similarity {folded:.4} < 0.99 (case-folded)"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A tiny deterministic generator, so the damaged copies are the same on every run.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn damaged_legacy_files_give_errors_not_panics() {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for (_, _, file) in index() {
        let path = corpus().join("legacy").join(&file);
        let bytes = std::fs::read(&path).unwrap();
        // Truncated copies.
        for cut in [
            1,
            8,
            100,
            512,
            513,
            1536,
            bytes.len() / 3,
            bytes.len() / 2,
            bytes.len() - 1,
        ] {
            let _ = read(&path, &bytes[..cut.min(bytes.len())], None);
        }
        // Copies with bytes overwritten at random places (the FIB and tables included).
        for _ in 0..12 {
            let mut copy = bytes.clone();
            for _ in 0..8 {
                let at = (xorshift(&mut seed) as usize) % copy.len();
                copy[at] = xorshift(&mut seed) as u8;
            }
            // The first 2 KB hold the CFB header, FIB and often the table stream.
            let at = 512 + (xorshift(&mut seed) as usize) % 1536.min(copy.len() - 512);
            copy[at] ^= 0xFF;
            let _ = read(&path, &copy, None);
        }
    }
}

#[test]
fn truncated_doc_is_a_corrupt_error_naming_the_file() {
    let path = corpus().join("legacy/2004-B6.doc");
    let bytes = std::fs::read(&path).unwrap();
    let err = read(&path, &bytes[..bytes.len() / 2], None).unwrap_err();
    assert!(
        matches!(err, Error::Corrupt { format: "doc", .. }),
        "unexpected error: {err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("2004-B6.doc"), "{message}");
}

#[test]
fn ole_file_without_a_word_stream_is_unsupported() {
    // The smallest valid compound file: made by the cfb crate, no WordDocument stream.
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    file.create_stream("/Workbook").unwrap();
    let bytes = file.into_inner().into_inner();
    let err = read(Path::new("book.xls"), &bytes, None).unwrap_err();
    assert!(
        matches!(err, Error::Unsupported { .. }),
        "unexpected error: {err:?}"
    );
}

#[test]
fn truncated_rtf_still_reads_what_is_there() {
    let path = corpus().join("legacy/2003-A06.rtf");
    let bytes = std::fs::read(&path).unwrap();
    let source = read(&path, &bytes[..bytes.len() / 2], None).unwrap();
    assert!(source.text.len() > 1000);
}

#[test]
fn rtf_fonts_decide_case_and_family_of_their_runs() {
    let rtf = br"{\rtf1\ansi{\fonttbl{\f1 .VnTime;}{\f2 VNI-Times;}{\f3 .VnTimeH;}}
\f1 {\f3 c\'e9ng h\'dfa x\'b7 h\'e9i ch\'f1 ngh\'dca vi\'d6t nam}\par
\'a7\'e9c l\'cbp - T\'f9 do - H\'b9nh ph\'f3c\par
S\'e8: 12/Q\'a7-UBND, ng\'b5y 14 th\'b8ng 01 n\'a8m 2005\par
- {\f2 \'d6\'d9ng} d\'f4ng c\'abng ngh\'d6 m\'edi\par}";
    let source = read(Path::new("a.rtf"), rtf, None).unwrap();
    assert_eq!(source.encoding, Encoding::Tcvn3);
    assert_eq!(
        source.text,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\
         Số: 12/QĐ-UBND, ngày 14 tháng 01 năm 2005\n- Ứng dụng công nghệ mới\n"
    );
    assert!(source.clue.contains(".VnTime"), "{}", source.clue);
}
