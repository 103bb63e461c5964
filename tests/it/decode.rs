//! Acceptance test for decoding over the whole corpus: every text, encoded in each
//! encoding vanban reads, is detected and decodes back to itself.
//!
//! Characters an encoding cannot hold (“ ” – … in TCVN3/VNI, private-use bullets) are
//! replaced by `?` on both sides and counted. TCVN3 (ABC) has no capitals with a tone:
//! they are written with the small letter's byte, compared case-folded, and the heading
//! case repair is scored separately (restored / wrongly raised).

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use vanban::decode::{self, Encoding};

fn corpus() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus/texts");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("failed to read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let nfc = unicode_normalization::UnicodeNormalization::nfc(text.as_str()).collect();
            (p.file_name().unwrap().to_string_lossy().into_owned(), nfc)
        })
        .collect()
}

/// A capital with a tone: TCVN3 (ABC) writes it with its small letter's byte.
fn toned_capital(c: char) -> bool {
    static SET: OnceLock<HashSet<char>> = OnceLock::new();
    let set = SET.get_or_init(|| {
        ('\u{C0}'..='\u{1EFF}')
            .filter(|&c| {
                let l = c.to_lowercase().next().unwrap_or(c);
                l != c
                    && decode::can_encode(c, Encoding::Tcvn3)
                    && decode::encode(&c.to_string(), Encoding::Tcvn3).ok()
                        == decode::encode(&l.to_string(), Encoding::Tcvn3).ok()
            })
            .collect()
    });
    set.contains(&c)
}

fn fold_capitals(s: &str) -> String {
    s.chars()
        .map(|c| {
            if toned_capital(c) {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// Bytes read as CP1252 characters and written as UTF-8 (what Word hands out).
fn cp1252_surface(bytes: &[u8]) -> Vec<u8> {
    let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    s.into_owned().into_bytes()
}

#[derive(Default)]
struct Tally {
    files: usize,
    chars: usize,
    excluded: usize,
    lowered: usize,
    restored: usize,
    wrongly_raised: usize,
}

fn first_difference(a: &str, b: &str) -> String {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let i = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let ctx = |v: &[char]| {
        v[i.saturating_sub(20)..(i + 20).min(v.len())]
            .iter()
            .collect::<String>()
    };
    format!("at char {i}: expected {:?}, got {:?}", ctx(&a), ctx(&b))
}

fn run(label: &str, enc: Encoding, surface: bool) {
    let mut t = Tally::default();
    for (name, text) in corpus() {
        let mapped: String = text
            .chars()
            .map(|c| {
                if decode::can_encode(c, enc) {
                    c
                } else {
                    t.excluded += 1;
                    '?'
                }
            })
            .collect();
        let mut bytes = decode::encode(&mapped, enc).unwrap_or_else(|e| panic!("{name}: {e}"));
        if surface {
            bytes = cp1252_surface(&bytes);
        }
        let src = decode::decode(&bytes, None);
        assert_eq!(
            src.encoding, enc,
            "{label} {name}: detected {} ({})",
            src.encoding, src.clue
        );
        if enc == Encoding::Tcvn3 {
            let (want, got) = (fold_capitals(&mapped), fold_capitals(&src.text));
            assert!(
                want == got,
                "{label} {name}: {}",
                first_difference(&want, &got)
            );
            for (w, g) in mapped.chars().zip(src.text.chars()) {
                if toned_capital(w) {
                    t.lowered += 1;
                    t.restored += usize::from(g == w);
                } else if toned_capital(g) {
                    t.wrongly_raised += 1;
                }
            }
        } else {
            assert!(
                mapped == src.text,
                "{label} {name}: {}",
                first_difference(&mapped, &src.text)
            );
        }
        t.files += 1;
        t.chars += mapped.chars().count();
    }
    eprintln!(
        "decode corpus {label}: {} files, {} chars compared, {} excluded (not encodable){}",
        t.files,
        t.chars,
        t.excluded,
        if enc == Encoding::Tcvn3 {
            format!(
                ", {} toned capitals lowered, {} restored by heading case, {} wrongly raised",
                t.lowered, t.restored, t.wrongly_raised
            )
        } else {
            String::new()
        }
    );
    assert_eq!(t.files, 114, "corpus size");
}

#[test]
fn corpus_round_trips_through_tcvn3() {
    run("tcvn3", Encoding::Tcvn3, false);
}

#[test]
fn corpus_round_trips_through_tcvn3_cp1252_surface() {
    run("tcvn3 as cp1252 surface", Encoding::Tcvn3, true);
}

#[test]
fn corpus_round_trips_through_vni() {
    run("vni", Encoding::Vni, false);
}

#[test]
fn corpus_round_trips_through_windows_1258() {
    run("windows-1258", Encoding::Windows1258, false);
}

#[test]
fn corpus_round_trips_through_utf16le() {
    run("utf-16le", Encoding::Utf16Le, false);
}

#[test]
fn corpus_round_trips_through_utf16be() {
    run("utf-16be", Encoding::Utf16Be, false);
}

#[test]
fn corpus_as_utf8_is_detected_as_utf8() {
    let corpus = corpus();
    for (name, text) in &corpus {
        let src = decode::decode(text.as_bytes(), None);
        assert_eq!(src.encoding, Encoding::Utf8, "{name}: {}", src.clue);
        assert_eq!(&src.text, text, "{name}");
    }
    eprintln!(
        "decode corpus utf-8: {} files detected as utf-8",
        corpus.len()
    );
}
