//! The single-byte decoders and encoders: TCVN3 (ABC), VNI-Windows, VISCII, Windows-1258.
//!
//! Each decoder appends to `out` and reports unmapped bytes to a [`Diags`]. They are
//! table-driven: runs of plain ASCII are copied in one go, tone marks are composed with
//! the letter before them by table lookup, and a full NFC pass runs only when a mark was
//! left loose (which real files rarely have).

use std::collections::HashMap;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

use super::Diags;
use super::letters::{
    self, ROW_A, ROW_A_BREVE, ROW_A_CIRC, ROW_E, ROW_E_CIRC, ROW_I, ROW_O, ROW_O_CIRC, ROW_O_HORN,
    ROW_U, ROW_U_HORN, ROW_Y, compose_tone, tone_mark,
};
use super::tables::{TCVN3_HIGH, VISCII};
use crate::Severity;

/// Bytes that every decoder copies as they are: printable ASCII, tab, LF, CR, form feed.
static PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0x20;
    while b < 0x7F {
        t[b] = true;
        b += 1;
    }
    t[b'\t' as usize] = true;
    t[b'\n' as usize] = true;
    t[b'\r' as usize] = true;
    t[0x0C] = true;
    t
};

/// Copies the run of plain ASCII starting at `i`; returns where it stopped.
fn ascii_run(bytes: &[u8], mut i: usize, out: &mut String) -> usize {
    let start = i;
    while i < bytes.len() && PLAIN[usize::from(bytes[i])] {
        i += 1;
    }
    if i > start {
        // SAFETY: every byte in the run is ASCII (PLAIN is false for 0x80..=0xFF), so the
        // String stays valid UTF-8. Validating each short run costs more than decoding.
        unsafe { out.as_mut_vec().extend_from_slice(&bytes[start..i]) };
    }
    i
}

/// A C0 control byte (or DEL) no table maps: kept as the same code point, reported.
fn control(b: u8, at: usize, out: &mut String, d: &mut Diags) {
    out.push(char::from(b));
    d.push(Severity::Warning, "unmapped-byte", at, || {
        format!("control byte 0x{b:02X} kept as is")
    });
}

/// Adds tone `tone` to the last char of `out`, or appends the loose combining mark.
fn add_tone(out: &mut String, tone: u8, need_nfc: &mut bool) {
    if let Some(prev) = out.chars().next_back()
        && let Some(c) = compose_tone(prev, tone)
    {
        out.pop();
        out.push(c);
    } else {
        out.push(tone_mark(tone));
        *need_nfc = true;
    }
}

/// NFC of `out[from..]`, in place.
pub(crate) fn nfc_in_place(out: &mut String, from: usize) {
    let tail: String = out[from..].nfc().collect();
    out.truncate(from);
    out.push_str(&tail);
}

// ---------------------------------------------------------------------------------------
// TCVN3

/// Returns whether loose combining marks were left (the caller then runs NFC).
/// Decodes TCVN3 bytes per the iconv grid (text.md §4.3), composing the combining tone
/// bytes 0xB0..=0xB4 with the letter before them. Does not restore heading case.
pub(crate) fn decode_tcvn3(bytes: &[u8], out: &mut String, d: &mut Diags) -> bool {
    let mut need_nfc = false;
    let mut i = 0;
    while i < bytes.len() {
        i = ascii_run(bytes, i, out);
        let Some(&b) = bytes.get(i) else { break };
        match b {
            0x00..=0x7F => control(b, i, out, d),
            0xB0..=0xB4 => add_tone(out, TCVN3_TONE[usize::from(b - 0xB0)], &mut need_nfc),
            _ => out.push(TCVN3_HIGH[usize::from(b - 0x80)]),
        }
        i += 1;
    }
    need_nfc
}

/// Tones of the combining bytes 0xB0..=0xB4: grave, hook, tilde, acute, dot below.
const TCVN3_TONE: [u8; 5] = [1, 2, 3, 4, 5];

/// char → ABC byte. Capitals with a tone map to their small letter's byte (ABC has none).
static TCVN3_ENCODE: LazyLock<HashMap<char, u8>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for b in 0xA0u8..=0xFF {
        let c = TCVN3_HIGH[usize::from(b - 0x80)];
        let abc = b <= 0xAE || (0xB0..=0xB4).contains(&b) || letters::is_hidden_capital(c);
        if abc {
            map.insert(c, b);
            if letters::is_hidden_capital(c) {
                map.insert(letters::upper(c), b);
            }
        }
    }
    map
});

// ---------------------------------------------------------------------------------------
// VNI

#[derive(Debug, Clone, Copy)]
enum Vni {
    /// ASCII or a byte that stands for itself (its CP1252 character).
    Char(char),
    /// A vowel that a mark byte may follow (row into VOWELS, capital?).
    Base(u8, bool),
    /// A mark byte: modifier (0 none, 1 circumflex, 2 breve) and tone.
    Mark(u8, u8),
    /// A C0 control or DEL.
    Control,
    /// A byte CP1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D).
    Undefined,
}

/// VNI mark bytes (lower case; the capital form is 0x20 less): byte, modifier, tone.
const VNI_MARKS: [(u8, u8, u8); 17] = [
    (0xF8, 0, 1),
    (0xFB, 0, 2),
    (0xF5, 0, 3),
    (0xF9, 0, 4),
    (0xEF, 0, 5),
    (0xE2, 1, 0),
    (0xE0, 1, 1),
    (0xE5, 1, 2),
    (0xE3, 1, 3),
    (0xE1, 1, 4),
    (0xE4, 1, 5),
    (0xEA, 2, 0),
    (0xE8, 2, 1),
    (0xFA, 2, 2),
    (0xFC, 2, 3),
    (0xE9, 2, 4),
    (0xEB, 2, 5),
];

/// VNI single-byte letters (lower case; capital = byte − 0x20): byte, row, tone.
/// đ is handled apart (it is no vowel).
const VNI_SINGLE: [(u8, u8, u8); 6] = [
    (0xEC, ROW_I, 1),
    (0xE6, ROW_I, 2),
    (0xF3, ROW_I, 3),
    (0xED, ROW_I, 4),
    (0xF2, ROW_I, 5),
    (0xEE, ROW_Y, 5),
];

/// CP1252 as decoded by encoding_rs (undefined bytes come out as U+0080..=U+009F).
pub(crate) static CP1252: LazyLock<[char; 256]> =
    LazyLock::new(|| single_byte_table(encoding_rs::WINDOWS_1252));

/// Windows-1258 as decoded by encoding_rs.
static CP1258: LazyLock<[char; 256]> =
    LazyLock::new(|| single_byte_table(encoding_rs::WINDOWS_1258));

fn single_byte_table(enc: &'static encoding_rs::Encoding) -> [char; 256] {
    let mut t = ['\u{FFFD}'; 256];
    for (b, slot) in t.iter_mut().enumerate() {
        let byte = [b as u8];
        let (s, _) = enc.decode_without_bom_handling(&byte);
        *slot = s.chars().next().unwrap_or('\u{FFFD}');
    }
    t
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9F}').contains(&c)
}

static VNI: LazyLock<[Vni; 256]> = LazyLock::new(|| {
    let mut t = [Vni::Control; 256];
    for (b, slot) in t.iter_mut().enumerate() {
        let c = CP1252[b];
        *slot = if b < 0x80 {
            if PLAIN[b] { Vni::Char(c) } else { Vni::Control }
        } else if is_c1(c) {
            Vni::Undefined
        } else {
            Vni::Char(c)
        };
    }
    for (b, row) in [(b'a', ROW_A), (b'e', ROW_E), (b'i', ROW_I), (b'o', ROW_O)]
        .into_iter()
        .chain([
            (b'u', ROW_U),
            (b'y', ROW_Y),
            (0xF4, ROW_O_HORN),
            (0xF6, ROW_U_HORN),
        ])
    {
        t[usize::from(b)] = Vni::Base(row, false);
        t[usize::from(b - 0x20)] = Vni::Base(row, true);
    }
    for (b, m, tone) in VNI_MARKS {
        t[usize::from(b)] = Vni::Mark(m, tone);
        t[usize::from(b - 0x20)] = Vni::Mark(m, tone);
    }
    for (b, row, tone) in VNI_SINGLE {
        t[usize::from(b)] = Vni::Char(letters::vowel(row, tone, false));
        t[usize::from(b - 0x20)] = Vni::Char(letters::vowel(row, tone, true));
    }
    t[0xF1] = Vni::Char('đ');
    t[0xD1] = Vni::Char('Đ');
    t
});

/// The row a VNI base letter and modifier make, if they make a letter.
fn vni_row(base: u8, modifier: u8) -> Option<u8> {
    Some(match (base, modifier) {
        (ROW_A, 1) => ROW_A_CIRC,
        (ROW_A, 2) => ROW_A_BREVE,
        (ROW_E, 1) => ROW_E_CIRC,
        (ROW_O, 1) => ROW_O_CIRC,
        (row, 0) => row,
        _ => return None,
    })
}

/// Decodes VNI-Windows greedily (text.md §5.4): a base vowel followed by a mark byte is
/// one letter; the variants of §5.3 (`i`+F8/F9, `y`+EF) fall out of the same rule.
/// A mark byte after anything else becomes combining marks (what the font would draw).
pub(crate) fn decode_vni(bytes: &[u8], out: &mut String, d: &mut Diags) -> bool {
    let table = &*VNI;
    let mut need_nfc = false;
    let mut i = 0;
    while i < bytes.len() {
        i = ascii_run(bytes, i, out);
        let Some(&b) = bytes.get(i) else { break };
        match table[usize::from(b)] {
            Vni::Char(c) => out.push(c),
            Vni::Base(row, upper) => out.push(letters::vowel(row, 0, upper)),
            Vni::Mark(modifier, tone) => {
                let prev = i.checked_sub(1).map(|p| table[usize::from(bytes[p])]);
                let composed = match prev {
                    Some(Vni::Base(row, upper)) => {
                        vni_row(row, modifier).map(|r| letters::vowel(r, tone, upper))
                    }
                    _ => None,
                };
                if let Some(c) = composed {
                    out.pop();
                    out.push(c);
                } else {
                    match modifier {
                        1 => out.push('\u{302}'),
                        2 => out.push('\u{306}'),
                        _ => {}
                    }
                    if tone != 0 {
                        out.push(tone_mark(tone));
                    }
                    need_nfc = true;
                }
            }
            Vni::Control => control(b, i, out, d),
            Vni::Undefined => undefined(b, i, out, d, "vni"),
        }
        i += 1;
    }
    need_nfc
}

fn undefined(b: u8, at: usize, out: &mut String, d: &mut Diags, name: &str) {
    out.push(char::from(b));
    d.push(Severity::Error, "unmapped-byte", at, || {
        format!("byte 0x{b:02X} has no character in {name}; kept as U+00{b:02X}")
    });
}

/// char → VNI bytes (one or two).
static VNI_ENCODE: LazyLock<HashMap<char, (u8, Option<u8>)>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    // Characters that stand for themselves (CP1252 punctuation and symbols).
    for (b, v) in VNI.iter().enumerate() {
        if b >= 0x80
            && let Vni::Char(c) = v
        {
            map.insert(*c, (b as u8, None));
        }
    }
    let base_byte = |row: u8| match row {
        ROW_A | ROW_A_BREVE | ROW_A_CIRC => b'a',
        ROW_E | ROW_E_CIRC => b'e',
        ROW_I => b'i',
        ROW_O | ROW_O_CIRC => b'o',
        ROW_O_HORN => 0xF4,
        ROW_U => b'u',
        ROW_U_HORN => 0xF6,
        _ => b'y',
    };
    let modifier = |row: u8| match row {
        ROW_A_CIRC | ROW_E_CIRC | ROW_O_CIRC => 1,
        ROW_A_BREVE => 2,
        _ => 0,
    };
    for row in 0..12u8 {
        for tone in 0..6u8 {
            for upper in [false, true] {
                let c = letters::vowel(row, tone, upper);
                let single = (row == ROW_I && tone != 0) || (row, tone) == (ROW_Y, 5);
                if c.is_ascii() || single {
                    continue;
                }
                let base = if upper {
                    base_byte(row) - 0x20
                } else {
                    base_byte(row)
                };
                let m = modifier(row);
                let mark = VNI_MARKS
                    .iter()
                    .find(|&&(_, mm, t)| (mm, t) == (m, tone))
                    .map(|&(b, _, _)| if upper { b - 0x20 } else { b });
                map.insert(c, (base, mark));
            }
        }
    }
    // Single-byte letters win over anything above.
    for (b, row, tone) in VNI_SINGLE {
        map.insert(letters::vowel(row, tone, false), (b, None));
        map.insert(letters::vowel(row, tone, true), (b - 0x20, None));
    }
    map.insert('đ', (0xF1, None));
    map.insert('Đ', (0xD1, None));
    map
});

// ---------------------------------------------------------------------------------------
// VISCII and Windows-1258

/// Decodes VISCII with the iconv table; C0 bytes other than its six capitals are controls.
pub(crate) fn decode_viscii(bytes: &[u8], out: &mut String, d: &mut Diags) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        i = ascii_run(bytes, i, out);
        let Some(&b) = bytes.get(i) else { break };
        let c = VISCII[usize::from(b)];
        if b < 0x80 && c == char::from(b) {
            control(b, i, out, d);
        } else {
            out.push(c);
        }
        i += 1;
    }
    false
}

static VISCII_ENCODE: LazyLock<HashMap<char, u8>> = LazyLock::new(|| {
    (0x80..=0xFF)
        .chain([0x02, 0x05, 0x06, 0x14, 0x19, 0x1E])
        .map(|b: usize| (VISCII[b], b as u8))
        .collect()
});

/// Tone of a Windows-1258 combining byte.
fn cp1258_tone(b: u8) -> Option<u8> {
    match b {
        0xCC => Some(1),
        0xD2 => Some(2),
        0xDE => Some(3),
        0xEC => Some(4),
        0xF2 => Some(5),
        _ => None,
    }
}

/// Decodes Windows-1258, composing its combining tone bytes (text.md §7). Modifiers
/// (â ă ê ô ơ ư) are precomposed in CP1258, so the tone always follows them and the
/// tone-before-modifier trap of text.md §1.3 cannot arise from these bytes.
pub(crate) fn decode_cp1258(bytes: &[u8], out: &mut String, d: &mut Diags) -> bool {
    let table = &*CP1258;
    let mut need_nfc = false;
    let mut i = 0;
    while i < bytes.len() {
        i = ascii_run(bytes, i, out);
        let Some(&b) = bytes.get(i) else { break };
        if let Some(tone) = cp1258_tone(b) {
            add_tone(out, tone, &mut need_nfc);
        } else if b < 0x80 {
            control(b, i, out, d);
        } else if is_c1(table[usize::from(b)]) {
            undefined(b, i, out, d, "windows-1258");
        } else {
            out.push(table[usize::from(b)]);
        }
        i += 1;
    }
    need_nfc
}

static CP1258_ENCODE: LazyLock<HashMap<char, u8>> = LazyLock::new(|| {
    CP1258
        .iter()
        .enumerate()
        .filter(|&(b, &c)| b >= 0x80 && !is_c1(c) && cp1258_tone(b as u8).is_none())
        .map(|(b, &c)| (c, b as u8))
        .collect()
});

fn encode_cp1258_char(c: char, out: &mut Vec<u8>) -> bool {
    if let Some(&b) = CP1258_ENCODE.get(&c) {
        out.push(b);
        return true;
    }
    // Decompose, keep the tone apart, recompose the rest (â ê ô ơ ư ă are precomposed).
    let mut base: Option<char> = None;
    let mut tones = Vec::new();
    let mut ok = true;
    unicode_normalization::char::decompose_canonical(c, |m| {
        if let Some(t) = (1..6u8).find(|&t| tone_mark(t) == m) {
            tones.push(t);
        } else if let Some(b) = base {
            match unicode_normalization::char::compose(b, m) {
                Some(x) => base = Some(x),
                None => ok = false,
            }
        } else {
            base = Some(m);
        }
    });
    let Some(base) = base else {
        // A lone combining tone mark.
        if let [t] = tones[..] {
            out.push(CP1258_TONE_BYTES[usize::from(t)]);
            return true;
        }
        return false;
    };
    let base_byte = if base.is_ascii() {
        Some(base as u8)
    } else {
        CP1258_ENCODE.get(&base).copied()
    };
    match base_byte {
        Some(b) if ok => {
            out.push(b);
            out.extend(tones.iter().map(|&t| CP1258_TONE_BYTES[usize::from(t)]));
            true
        }
        _ => false,
    }
}

const CP1258_TONE_BYTES: [u8; 6] = [0, 0xCC, 0xD2, 0xDE, 0xEC, 0xF2];

// ---------------------------------------------------------------------------------------
// Encoding

/// Appends the bytes for `c` in a single-byte legacy encoding; false if it cannot be held.
pub(crate) fn encode_char(c: char, enc: super::Encoding, out: &mut Vec<u8>) -> bool {
    use super::Encoding::*;
    if c.is_ascii() && !(enc == Viscii && [0x02, 0x05, 0x06, 0x14, 0x19, 0x1E].contains(&(c as u8)))
    {
        out.push(c as u8);
        return true;
    }
    match enc {
        Tcvn3 => TCVN3_ENCODE.get(&c).map(|&b| out.push(b)).is_some(),
        Vni => VNI_ENCODE
            .get(&c)
            .map(|&(b, m)| {
                out.push(b);
                out.extend(m);
            })
            .is_some(),
        Viscii => VISCII_ENCODE.get(&c).map(|&b| out.push(b)).is_some(),
        Windows1258 => encode_cp1258_char(c, out),
        Utf8 | Utf16Le | Utf16Be => false,
    }
}

/// Forces every lazily built table (for tests).
#[cfg(test)]
pub(crate) fn force_tables() {
    let _ = (
        &*TCVN3_ENCODE,
        &*VNI,
        &*VNI_ENCODE,
        &*VISCII_ENCODE,
        &*CP1258_ENCODE,
        &*CP1252,
    );
}
