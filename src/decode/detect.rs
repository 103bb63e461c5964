//! Encoding detection (text.md §6): byte order marks, valid UTF-8 (and UTF-8 that is a
//! CP1252 reading of legacy bytes), then a score of each legacy reading: how many of its
//! non-ASCII words are well-formed Vietnamese syllables, plus fixed header phrases, with
//! guards against French, German, Spanish and English.

use std::borrow::Cow;
use std::sync::LazyLock;

use super::legacy::nfc_in_place;
use super::letters::{self, ROW_I, ROW_U};
use super::{Detection, Diags, Encoding, cp1252_byte, decode_loose};
use crate::Diagnostic;

/// What detection found, plus the bytes a CP1252 surface stands for.
pub(crate) struct Found {
    pub(crate) detection: Detection,
    pub(crate) recovered: Option<Vec<u8>>,
    /// The whole input already decoded as the chosen encoding while scoring (raw: no
    /// heading-case repair), with its diagnostics.
    pub(crate) decoded: Option<(String, Vec<Diagnostic>)>,
}

/// The legacy candidates, in the order ties are resolved (most common first).
const LEGACY: [Encoding; 4] = [
    Encoding::Tcvn3,
    Encoding::Vni,
    Encoding::Windows1258,
    Encoding::Viscii,
];

/// Bytes scored per candidate: the start, plus a spread over big inputs.
const HEAD: usize = 64 * 1024;
const CHUNK: usize = 16 * 1024;
const SPREAD: usize = 4;

fn found(encoding: Encoding, confidence: f32, clue: impl Into<String>) -> Found {
    Found {
        detection: Detection {
            encoding,
            confidence,
            clue: clue.into(),
        },
        recovered: None,
        decoded: None,
    }
}

pub(crate) fn detect(bytes: &[u8], hint: Option<Encoding>) -> Found {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return found(Encoding::Utf8, 1.0, "utf-8 byte order mark");
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return found(Encoding::Utf16Le, 1.0, "utf-16le byte order mark");
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return found(Encoding::Utf16Be, 1.0, "utf-16be byte order mark");
    }
    if let Some(f) = utf16_without_bom(bytes) {
        return f;
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        if s.is_ascii() {
            return found(Encoding::Utf8, 0.99, "ascii");
        }
        if let Some(raw) = surface_bytes(s) {
            let utf8 = score_text(s);
            let mut legacy = score_legacy(&raw);
            let best = &legacy[0];
            let wins = best.score.ratio() >= 0.6
                && best.score.words >= 2
                && best.score.key() - utf8.key() >= 0.25
                && !best.score.foreign();
            if wins {
                let conf = confidence(
                    best.score,
                    best.score.key() - utf8.key().max(legacy[1].score.key()),
                );
                let clue = format!("cp1252 surface, {}", best.score.describe());
                let encoding = best.encoding;
                return Found {
                    detection: Detection {
                        encoding,
                        confidence: conf,
                        clue,
                    },
                    recovered: Some(raw),
                    decoded: legacy.swap_remove(0).into_decoded(),
                };
            }
        }
        let clue = match hint {
            Some(h) if h != Encoding::Utf8 => format!("valid utf-8 (font hint {h} not borne out)"),
            _ => "valid utf-8".to_string(),
        };
        return found(Encoding::Utf8, 1.0, clue);
    }
    legacy_detect(bytes, hint)
}

/// The bytes behind UTF-8 text that is a CP1252 reading of legacy bytes, for a forced
/// legacy decode: `None` unless `bytes` is valid UTF-8, not ASCII, and all CP1252.
pub(crate) fn cp1252_surface(bytes: &[u8]) -> Option<Vec<u8>> {
    let s = std::str::from_utf8(bytes).ok()?;
    if s.is_ascii() || bytes.starts_with(b"\xEF\xBB\xBF") {
        return None;
    }
    surface_bytes(s)
}

fn surface_bytes(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        out.push(cp1252_byte(c)?);
    }
    Some(out)
}

/// UTF-16 without a byte order mark: many zero bytes on one side only.
fn utf16_without_bom(bytes: &[u8]) -> Option<Found> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    let pairs = head.len() / 2;
    if pairs < 4 {
        return None;
    }
    let zeros = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    if odd * 10 >= pairs * 3 && even * 20 < pairs {
        return Some(found(
            Encoding::Utf16Le,
            0.8,
            "utf-16le without byte order mark (zero bytes)",
        ));
    }
    if even * 10 >= pairs * 3 && odd * 20 < pairs {
        return Some(found(
            Encoding::Utf16Be,
            0.8,
            "utf-16be without byte order mark (zero bytes)",
        ));
    }
    None
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Score {
    /// Words with a non-ASCII character.
    words: usize,
    /// Of those, well-formed Vietnamese syllables.
    valid: usize,
    /// Header phrases found (distinct).
    phrases: usize,
    /// Words with a small letter (abbreviations left out), for the foreign-text guards.
    plain_words: usize,
    /// Of those, words with f, j, w or z.
    fjwz: usize,
    /// Of those, words over 7 letters.
    long: usize,
}

impl Score {
    fn ratio(self) -> f32 {
        if self.words == 0 {
            0.0
        } else {
            self.valid as f32 / self.words as f32
        }
    }

    fn key(self) -> f32 {
        self.ratio() + 0.04 * self.phrases.min(5) as f32
    }

    /// Reads as another language (viparse's guards: > 5 % f/j/w/z words, > 4 % long words).
    fn foreign(self) -> bool {
        self.phrases == 0
            && self.plain_words >= 20
            && (self.fjwz * 20 > self.plain_words || self.long * 25 > self.plain_words)
    }

    fn describe(self) -> String {
        let mut s = format!("{}/{} syllables valid", self.valid, self.words);
        if self.phrases > 0 {
            s.push_str(&format!(", {} header phrases", self.phrases));
        }
        s
    }
}

struct Candidate {
    encoding: Encoding,
    score: Score,
    /// The decoded sample when it is the whole input; `true` if it still needs NFC.
    decoded: Option<(String, Vec<Diagnostic>, bool)>,
}

impl Candidate {
    fn into_decoded(self) -> Option<(String, Vec<Diagnostic>)> {
        let (mut text, diagnostics, loose) = self.decoded?;
        if loose {
            nfc_in_place(&mut text, 0);
        }
        Some((text, diagnostics))
    }
}

/// Bytes scored first; the full sample only when they leave a doubt.
const QUICK: usize = 2 * 1024;

fn clear_winner(c: &[Candidate]) -> bool {
    let (best, second) = (c[0].score, c[1].score);
    best.words >= 60 && best.ratio() >= 0.8 && best.key() - second.key() >= 0.3
}

fn sample(bytes: &[u8]) -> Cow<'_, [u8]> {
    if bytes.len() <= HEAD + SPREAD * CHUNK * 2 {
        return Cow::Borrowed(bytes);
    }
    let mut s = bytes[..HEAD].to_vec();
    for k in 1..=SPREAD {
        let at = bytes.len() / (SPREAD + 1) * k;
        s.push(b'\n');
        s.extend_from_slice(&bytes[at..(at + CHUNK).min(bytes.len())]);
    }
    Cow::Owned(s)
}

/// Scores every legacy reading of `bytes`; best first (ties keep [`LEGACY`] order).
/// Scores the first [`QUICK`] bytes, then (unless one reading clearly wins) a sample.
fn score_legacy(bytes: &[u8]) -> Vec<Candidate> {
    if bytes.len() > QUICK {
        let quick = score_sample(&bytes[..QUICK], false);
        if clear_winner(&quick) {
            return quick;
        }
    }
    let sample = sample(bytes);
    let whole = matches!(sample, Cow::Borrowed(_));
    score_sample(&sample, whole)
}

/// Scores each reading of `sample`; keeps the decoded texts when `keep` (the sample is
/// the whole input, so the caller need not decode again).
fn score_sample(sample: &[u8], keep: bool) -> Vec<Candidate> {
    let mut text = String::new();
    let mut out: Vec<Candidate> = LEGACY
        .iter()
        .map(|&encoding| {
            text.clear();
            text.reserve(sample.len() + sample.len() / 2);
            let mut d = Diags::new();
            let loose = decode_loose(sample, encoding, &mut text, &mut d);
            let score = score_text(&text);
            let decoded = keep.then(|| (std::mem::take(&mut text), d.finish(), loose));
            Candidate {
                encoding,
                score,
                decoded,
            }
        })
        .collect();
    out.sort_by(|a, b| b.score.key().total_cmp(&a.score.key()));
    out
}

fn confidence(best: Score, separation: f32) -> f32 {
    let mut c =
        0.3 + 0.4 * best.ratio() + separation.clamp(0.0, 0.3) + 0.03 * best.phrases.min(5) as f32;
    c *= 0.5 + 0.5 * (best.words as f32 / 20.0).min(1.0);
    c.clamp(0.05, 0.99)
}

fn legacy_detect(bytes: &[u8], hint: Option<Encoding>) -> Found {
    let mut cands = score_legacy(bytes);
    let mut result = legacy_choice(&cands, hint);
    if let Some(i) = cands
        .iter()
        .position(|c| c.encoding == result.detection.encoding)
    {
        result.decoded = cands.swap_remove(i).into_decoded();
    }
    result
}

fn legacy_choice(cands: &[Candidate], hint: Option<Encoding>) -> Found {
    let best = &cands[0];
    let second = &cands[1];
    let hinted = hint.and_then(|h| cands.iter().find(|c| c.encoding == h));
    if best.score.words == 0 {
        if let Some(h) = hinted {
            return found(
                h.encoding,
                0.5,
                format!("font hint {}, no letters to check it", h.encoding),
            );
        }
        return found(
            Encoding::Windows1258,
            0.2,
            "no vietnamese letters; read as windows-1258",
        );
    }
    if best.score.foreign() {
        return found(
            Encoding::Windows1258,
            0.3,
            "reads as another language (f/j/w/z or long words); read as windows-1258",
        );
    }
    if let Some(h) = hinted {
        if h.score.ratio() >= 0.5 && h.score.key() >= best.score.key() - 0.05 {
            let other = cands
                .iter()
                .filter(|c| c.encoding != h.encoding)
                .map(|c| c.score.key());
            let sep = h.score.key() - other.fold(0.0, f32::max);
            let conf = (confidence(h.score, sep) + 0.1).min(0.99);
            return found(
                h.encoding,
                conf,
                format!("font hint, checked: {}", h.score.describe()),
            );
        }
        let conf = confidence(best.score, best.score.key() - second.score.key());
        return found(
            best.encoding,
            conf,
            format!(
                "{} (font hint {} contradicted by the text)",
                best.score.describe(),
                h.encoding
            ),
        );
    }
    let conf = confidence(best.score, best.score.key() - second.score.key());
    found(best.encoding, conf, best.score.describe())
}

// ---------------------------------------------------------------------------------------
// Scoring a decoded text

/// Header phrases of official documents, lower case, in the form `phrase_key` produces.
const PHRASES: [&str; 14] = [
    "cộng hòa xã hội chủ nghĩa việt nam",
    "cộng hoà xã hội chủ nghĩa việt nam",
    "độc lập tự do hạnh phúc",
    "ủy ban nhân dân",
    "uỷ ban nhân dân",
    "đảng cộng sản việt nam",
    "quyết định",
    "số:",
    "kế hoạch",
    "báo cáo",
    "biên bản",
    "nghị định",
    "chỉ thị",
    "hội đồng nhân dân",
];

/// How much decoded text is searched for header phrases.
const PHRASE_WINDOW: usize = 3 * 1024;

fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        !c.is_ascii_alphabetic()
    } else {
        c.is_whitespace() || ('\u{2000}'..='\u{206F}').contains(&c)
    }
}

pub(crate) fn score_text(text: &str) -> Score {
    let mut s = Score::default();
    // One pass over the chars; a word is a run of non-separators.
    let mut start = 0;
    let (mut len, mut nonascii, mut lower, mut fjwz) = (0usize, false, false, false);
    let end_word =
        |s: &mut Score, word: &str, len: usize, nonascii: bool, lower: bool, fjwz: bool| {
            if len == 0 {
                return;
            }
            if nonascii {
                s.words += 1;
                if syllable_ok(word) {
                    s.valid += 1;
                }
            }
            if lower {
                s.plain_words += 1;
                s.long += usize::from(len > 7);
                s.fjwz += usize::from(fjwz);
            }
        };
    for (i, c) in text.char_indices() {
        let sep = if c.is_ascii() {
            if c.is_ascii_alphabetic() {
                lower |= c.is_ascii_lowercase();
                fjwz |= matches!(c as u8 | 0x20, b'f' | b'j' | b'w' | b'z');
                false
            } else {
                true
            }
        } else if let Some(l) = letters::letter(c) {
            nonascii = true;
            lower |= !l.upper;
            false
        } else if is_separator(c) {
            true
        } else {
            nonascii = true;
            lower |= c.is_lowercase();
            false
        };
        if sep {
            end_word(&mut s, &text[start..i], len, nonascii, lower, fjwz);
            start = i + c.len_utf8();
            (len, nonascii, lower, fjwz) = (0, false, false, false);
        } else {
            len += 1;
        }
    }
    end_word(&mut s, &text[start..], len, nonascii, lower, fjwz);
    if s.words > 0 && s.valid * 10 >= s.words * 7 {
        let mut end = text.len().min(PHRASE_WINDOW);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let key = phrase_key(&text[..end]);
        s.phrases = PHRASES.iter().filter(|p| key.contains(*p)).count();
    }
    s
}

/// Lower case, letters, digits and `:` kept, every other run of characters one space.
fn phrase_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric()
            || c == ':'
            || (!c.is_ascii() && (letters::letter(c).is_some() || c.is_alphanumeric()))
        {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(letters::lower(c));
        } else {
            space = true;
        }
    }
    out
}

/// Vowel nuclei (toneless) of Vietnamese syllables, text.md §2.2.
const NUCLEI: &str = "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi \
    oo ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê iêu yêu oai oao oay oeo uây uôi ươi ươu uya uyê uyu";

/// Nuclei as 12-bit keys (4 bits per vowel, row + 1), as a 4096-entry bitmap.
static NUCLEUS_SET: LazyLock<Vec<bool>> = LazyLock::new(|| {
    let mut set = vec![false; 1 << 12];
    for n in NUCLEI.split(' ').filter(|n| !n.is_empty()) {
        let key = n
            .chars()
            .filter_map(letters::letter)
            .fold(0usize, |k, l| (k << 4) | usize::from(l.row + 1));
        set[key & 0xFFF] = true;
    }
    set
});

const VOWEL: u8 = 0x80;

fn is_vowel(code: u8) -> bool {
    code >= VOWEL
}

/// Whether `word` has the shape of a Vietnamese syllable: initial consonant, vowel
/// nucleus, allowed final, at most one tone, and no huyền/hỏi/ngã before c, ch, k, p, t.
pub(crate) fn syllable_ok(word: &str) -> bool {
    let mut codes = [0u8; 8];
    let mut n = 0;
    let mut tone = 0;
    for c in word.chars() {
        if n == 7 {
            return false;
        }
        let code = if let Some(l) = letters::letter(c) {
            if l.tone != 0 {
                if tone != 0 {
                    return false;
                }
                tone = l.tone;
            }
            VOWEL + l.row
        } else if c.is_ascii_alphabetic() {
            let lc = c.to_ascii_lowercase() as u8;
            if matches!(lc, b'f' | b'j' | b'w' | b'z') {
                return false;
            }
            lc
        } else if c == 'đ' || c == 'Đ' {
            b'D'
        } else {
            return false;
        };
        codes[n] = code;
        n += 1;
    }
    let v = &codes[..n];
    let Some(init) = initial_len(v) else {
        return false;
    };
    let rest = &v[init..];
    let nuc = rest.iter().take_while(|&&c| is_vowel(c)).count();
    if nuc == 0 || nuc > 3 {
        return false;
    }
    let key = rest[..nuc]
        .iter()
        .fold(0usize, |k, &c| (k << 4) | usize::from(c - VOWEL + 1));
    if !NUCLEUS_SET[key & 0xFFF] {
        return false;
    }
    let fin = &rest[nuc..];
    let stop = match fin {
        [] | b"m" | b"n" | b"ng" | b"nh" => false,
        b"c" | b"ch" | b"k" | b"p" | b"t" => true,
        _ => return false,
    };
    !(stop && matches!(tone, 1..=3))
}

/// Length of the initial consonant (text.md §2.2 step 3); `None` if none fits.
fn initial_len(v: &[u8]) -> Option<usize> {
    let vowel_at = |i: usize| v.get(i).is_some_and(|&c| is_vowel(c));
    match v {
        [b'n', b'g', b'h', ..] => Some(3),
        [b'q', u, ..] if *u == VOWEL + ROW_U && vowel_at(2) => Some(2),
        [b'q', ..] => None,
        [b'g', i, ..] if *i == VOWEL + ROW_I && vowel_at(2) => Some(2),
        [b'n', b'g' | b'h', ..]
        | [b'c' | b'g' | b'k' | b'p' | b't', b'h', ..]
        | [b't', b'r', ..] => Some(2),
        [c, ..] if is_vowel(*c) => Some(0),
        [
            b'b' | b'c' | b'd' | b'D' | b'g' | b'h' | b'k' | b'l' | b'm' | b'n' | b'p' | b'r'
            | b's' | b't' | b'v' | b'x',
            ..,
        ] => Some(1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables() {
        for w in [
            "Cộng",
            "hòa",
            "xã",
            "hội",
            "chủ",
            "nghĩa",
            "Việt",
            "NGHIÊNG",
            "quyết",
            "giường",
            "gì",
            "khuỷu",
            "người",
            "Đắk",
            "tháng",
            "oanh",
            "ủy",
            "uỷ",
            "thuở",
            "hoạch",
        ] {
            assert!(syllable_ok(w), "{w} should be a syllable");
        }
        for w in [
            "été",
            "hßa",
            "x·",
            "Coäng",
            "où",
            "déjà",
            "nghìềng",
            "tàc",
            "qa",
            "Straße",
            "bbb",
        ] {
            assert!(!syllable_ok(w), "{w} should not be a syllable");
        }
    }

    #[test]
    fn phrase_keys() {
        assert_eq!(
            phrase_key("Độc  lập – Tự do -\tHạnh phúc"),
            "độc lập tự do hạnh phúc"
        );
        assert_eq!(phrase_key("CỘNG HÒA XÃ"), "cộng hòa xã");
    }
}
