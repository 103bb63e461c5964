//! Tone placement against `fixtures/vectors/tone-pairs.tsv`, and properties of
//! `normalize` and `place_tones`.

use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;
use vanban::text::{ToneStyle, normalize, place_tones};

const TONE_PAIRS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/vectors/tone-pairs.tsv"
));

#[test]
fn tone_pairs_both_styles_both_directions_nfc_and_nfd() {
    let mut rows = 0;
    let mut failures = Vec::new();
    for line in TONE_PAIRS.lines().skip(1).filter(|l| !l.is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [input, old, new, _source] = fields[..] else {
            panic!("bad row: {line:?}");
        };
        rows += 1;
        for (form, text) in [("nfc", input.to_string()), ("nfd", input.nfd().collect())] {
            let old_in: String = if form == "nfc" {
                old.into()
            } else {
                old.nfd().collect()
            };
            let new_in: String = if form == "nfc" {
                new.into()
            } else {
                new.nfd().collect()
            };
            for (what, from, style, expected) in [
                ("input→Old", &text, ToneStyle::Old, old),
                ("input→New", &text, ToneStyle::New, new),
                ("old→New", &old_in, ToneStyle::New, new),
                ("new→Old", &new_in, ToneStyle::Old, old),
            ] {
                let got = place_tones(from, style);
                if got != expected {
                    failures.push(format!(
                        "{form} {what}: {from:?} gave {got:?}, want {expected:?}"
                    ));
                }
            }
        }
    }
    eprintln!(
        "tone-pairs.tsv: {rows} rows checked ({} failures)",
        failures.len()
    );
    assert!(rows >= 2600, "only {rows} rows read");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Strings rich in Vietnamese letters, loose combining marks and the characters
/// `normalize` rewrites.
fn messy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<char>().prop_map(String::from),
        prop::sample::select(vec![
            "a", "e", "o", "u", "y", "i", "q", "g", "h", "n", "đ", "Đ", "Ð", "ð", "ư", "ơ", "ê",
            "ă", "ế", "Ủ", "ỷ", " ", "\r", "\n", "\r\n", "\t", "\u{A0}", "\u{2003}", "\u{3000}",
            "\u{200B}", "\u{200D}", "\u{FEFF}", "\u{300}", "\u{301}", "\u{302}", "\u{303}",
            "\u{306}", "\u{309}", "\u{31B}", "\u{323}", "\u{334}", "\u{345}", "\u{2126}", "1", "-",
            "ᄀ", "ᅡ", "ᆨ",
        ])
        .prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn normalize_is_idempotent(s in messy()) {
        let once = normalize(&s);
        let twice = normalize(once.as_str());
        prop_assert_eq!(twice.as_str(), once.as_str());
        prop_assert_eq!(once.original(), s.as_str());
    }

    #[test]
    fn normalize_never_panics_on_any_string(s in any::<String>()) {
        let t = normalize(&s);
        let twice = normalize(t.as_str());
        prop_assert_eq!(twice.as_str(), t.as_str());
    }

    #[test]
    fn normalized_text_is_nfc(s in messy()) {
        let t = normalize(&s);
        prop_assert!(unicode_normalization::is_nfc(t.as_str()));
    }

    #[test]
    fn spans_map_to_boundaries_in_bounds_and_monotonic(s in messy(), a in 0usize..200, b in 0usize..200) {
        let t = normalize(&s);
        let norm = t.as_str();
        let orig = t.original();
        let bounds: Vec<usize> = norm.char_indices().map(|(i, _)| i).chain([norm.len()]).collect();
        let (a, b) = (bounds[a % bounds.len()], bounds[b % bounds.len()]);
        let (a, b) = (a.min(b), a.max(b));
        let r = t.to_original(a..b);
        prop_assert!(r.start <= r.end && r.end <= orig.len(), "{:?} → {:?}", a..b, r);
        prop_assert!(orig.is_char_boundary(r.start) && orig.is_char_boundary(r.end));
        // Monotonic: a later start maps to a later start, a later end to a later end.
        let whole = t.to_original(0..norm.len());
        // (An empty span is a position: after a deletion there, it may sit past `whole`.)
        prop_assert!(a == b || (whole.start <= r.start && whole.end >= r.end));
        prop_assert!(t.to_original(a..norm.len()).start <= t.to_original(b..norm.len()).start);
        prop_assert!(t.to_original(0..a).end <= t.to_original(0..b).end);
    }

    #[test]
    fn place_tones_never_panics_and_is_idempotent(s in messy()) {
        for style in [ToneStyle::Old, ToneStyle::New, ToneStyle::Keep] {
            let once = place_tones(&s, style);
            prop_assert_eq!(place_tones(&once, style), once.clone(), "{:?}", style);
        }
    }

    #[test]
    fn place_tones_is_idempotent_on_any_string(s in any::<String>()) {
        for style in [ToneStyle::Old, ToneStyle::New] {
            let once = place_tones(&s, style);
            prop_assert_eq!(place_tones(&once, style), once);
        }
    }
}
