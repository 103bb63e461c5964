//! Simple-font encodings (WinAnsi, MacRoman, Standard) and glyph names → Unicode.
//!
//! The byte tables come from encoding_rs (Windows-1252, Mac Roman) and the PDF reference's
//! StandardEncoding. Glyph names are read the way the Adobe Glyph List builds them: `uniXXXX`
//! and `uXXXX`, a base letter followed by its mark names (`ohornhookabove` is `ở`,
//! `acircumflexdotbelow` is `ậ`), a short list of punctuation names, and suffixes after `.`
//! or ligatures joined by `_`.

use std::collections::HashMap;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

/// A simple font's base encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BaseEncoding {
    /// `WinAnsiEncoding` (Windows-1252).
    WinAnsi,
    /// `MacRomanEncoding`.
    MacRoman,
    /// `StandardEncoding`, the Type 1 default.
    Standard,
}

impl BaseEncoding {
    /// The encoding a PDF name stands for.
    pub(crate) fn from_name(name: &[u8]) -> Option<Self> {
        match name {
            b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
            b"MacRomanEncoding" | b"MacExpertEncoding" => Some(BaseEncoding::MacRoman),
            b"StandardEncoding" => Some(BaseEncoding::Standard),
            _ => None,
        }
    }

    /// The 256 characters of the encoding (`None` where a byte has none).
    pub(crate) fn table(self) -> [Option<char>; 256] {
        match self {
            BaseEncoding::WinAnsi => *WIN_ANSI,
            BaseEncoding::MacRoman => *MAC_ROMAN,
            BaseEncoding::Standard => *STANDARD,
        }
    }
}

fn single_byte_table(encoding: &'static encoding_rs::Encoding) -> [Option<char>; 256] {
    let mut table = [None; 256];
    for (byte, slot) in table.iter_mut().enumerate() {
        let input = [byte as u8];
        let (text, bad) = encoding.decode_without_bom_handling(&input);
        if !bad {
            *slot = text
                .chars()
                .next()
                .filter(|c| !c.is_control() || *c == '\t');
        }
    }
    table
}

static WIN_ANSI: LazyLock<[Option<char>; 256]> =
    LazyLock::new(|| single_byte_table(encoding_rs::WINDOWS_1252));
static MAC_ROMAN: LazyLock<[Option<char>; 256]> =
    LazyLock::new(|| single_byte_table(encoding_rs::MACINTOSH));

/// StandardEncoding: ASCII with curly quotes at 0x27 and 0x60, and the upper half by name
/// (PDF 32000-1, Annex D).
static STANDARD: LazyLock<[Option<char>; 256]> = LazyLock::new(|| {
    const UPPER: &[(u8, &str)] = &[
        (0xA1, "exclamdown"),
        (0xA2, "cent"),
        (0xA3, "sterling"),
        (0xA4, "fraction"),
        (0xA5, "yen"),
        (0xA6, "florin"),
        (0xA7, "section"),
        (0xA8, "currency"),
        (0xA9, "quotesingle"),
        (0xAA, "quotedblleft"),
        (0xAB, "guillemotleft"),
        (0xAC, "guilsinglleft"),
        (0xAD, "guilsinglright"),
        (0xAE, "fi"),
        (0xAF, "fl"),
        (0xB1, "endash"),
        (0xB2, "dagger"),
        (0xB3, "daggerdbl"),
        (0xB4, "periodcentered"),
        (0xB6, "paragraph"),
        (0xB7, "bullet"),
        (0xB8, "quotesinglbase"),
        (0xB9, "quotedblbase"),
        (0xBA, "quotedblright"),
        (0xBB, "guillemotright"),
        (0xBC, "ellipsis"),
        (0xBD, "perthousand"),
        (0xBF, "questiondown"),
        (0xC1, "grave"),
        (0xC2, "acute"),
        (0xC3, "circumflex"),
        (0xC4, "tilde"),
        (0xC5, "macron"),
        (0xC6, "breve"),
        (0xC7, "dotaccent"),
        (0xC8, "dieresis"),
        (0xCA, "ring"),
        (0xCB, "cedilla"),
        (0xCD, "hungarumlaut"),
        (0xCE, "ogonek"),
        (0xCF, "caron"),
        (0xD0, "emdash"),
        (0xE1, "AE"),
        (0xE3, "ordfeminine"),
        (0xE8, "Lslash"),
        (0xE9, "Oslash"),
        (0xEA, "OE"),
        (0xEB, "ordmasculine"),
        (0xF1, "ae"),
        (0xF5, "dotlessi"),
        (0xF8, "lslash"),
        (0xF9, "oslash"),
        (0xFA, "oe"),
        (0xFB, "germandbls"),
    ];
    let mut table = [None; 256];
    for b in 0x20u8..0x7F {
        table[usize::from(b)] = Some(b as char);
    }
    table[0x27] = Some('\u{2019}');
    table[0x60] = Some('\u{2018}');
    for &(b, name) in UPPER {
        table[usize::from(b)] = glyph_name(name.as_bytes()).and_then(|s| s.chars().next());
    }
    table
});

/// Names that are not built from letters and marks.
const NAMED: &[(&str, char)] = &[
    ("space", ' '),
    ("nbspace", '\u{A0}'),
    ("exclam", '!'),
    ("quotedbl", '"'),
    ("numbersign", '#'),
    ("dollar", '$'),
    ("percent", '%'),
    ("ampersand", '&'),
    ("quotesingle", '\''),
    ("parenleft", '('),
    ("parenright", ')'),
    ("asterisk", '*'),
    ("plus", '+'),
    ("comma", ','),
    ("hyphen", '-'),
    ("sfthyphen", '\u{AD}'),
    ("period", '.'),
    ("slash", '/'),
    ("zero", '0'),
    ("one", '1'),
    ("two", '2'),
    ("three", '3'),
    ("four", '4'),
    ("five", '5'),
    ("six", '6'),
    ("seven", '7'),
    ("eight", '8'),
    ("nine", '9'),
    ("colon", ':'),
    ("semicolon", ';'),
    ("less", '<'),
    ("equal", '='),
    ("greater", '>'),
    ("question", '?'),
    ("at", '@'),
    ("bracketleft", '['),
    ("backslash", '\\'),
    ("bracketright", ']'),
    ("asciicircum", '^'),
    ("underscore", '_'),
    ("braceleft", '{'),
    ("bar", '|'),
    ("braceright", '}'),
    ("asciitilde", '~'),
    ("quoteleft", '\u{2018}'),
    ("quoteright", '\u{2019}'),
    ("quotedblleft", '\u{201C}'),
    ("quotedblright", '\u{201D}'),
    ("quotesinglbase", '\u{201A}'),
    ("quotedblbase", '\u{201E}'),
    ("guillemotleft", '\u{AB}'),
    ("guillemotright", '\u{BB}'),
    ("guilsinglleft", '\u{2039}'),
    ("guilsinglright", '\u{203A}'),
    ("endash", '\u{2013}'),
    ("emdash", '\u{2014}'),
    ("minus", '\u{2212}'),
    ("bullet", '\u{2022}'),
    ("ellipsis", '\u{2026}'),
    ("dagger", '\u{2020}'),
    ("daggerdbl", '\u{2021}'),
    ("periodcentered", '\u{B7}'),
    ("section", '\u{A7}'),
    ("paragraph", '\u{B6}'),
    ("degree", '\u{B0}'),
    ("copyright", '\u{A9}'),
    ("registered", '\u{AE}'),
    ("trademark", '\u{2122}'),
    ("exclamdown", '\u{A1}'),
    ("questiondown", '\u{BF}'),
    ("cent", '\u{A2}'),
    ("sterling", '\u{A3}'),
    ("yen", '\u{A5}'),
    ("Euro", '\u{20AC}'),
    ("currency", '\u{A4}'),
    ("florin", '\u{192}'),
    ("fraction", '\u{2044}'),
    ("perthousand", '\u{2030}'),
    ("ordfeminine", '\u{AA}'),
    ("ordmasculine", '\u{BA}'),
    ("multiply", '\u{D7}'),
    ("divide", '\u{F7}'),
    ("plusminus", '\u{B1}'),
    ("logicalnot", '\u{AC}'),
    ("brokenbar", '\u{A6}'),
    ("mu", '\u{B5}'),
    ("onehalf", '\u{BD}'),
    ("onequarter", '\u{BC}'),
    ("threequarters", '\u{BE}'),
    ("onesuperior", '\u{B9}'),
    ("twosuperior", '\u{B2}'),
    ("threesuperior", '\u{B3}'),
    ("AE", '\u{C6}'),
    ("ae", '\u{E6}'),
    ("OE", '\u{152}'),
    ("oe", '\u{153}'),
    ("Oslash", '\u{D8}'),
    ("oslash", '\u{F8}'),
    ("Lslash", '\u{141}'),
    ("lslash", '\u{142}'),
    ("germandbls", '\u{DF}'),
    ("dotlessi", '\u{131}'),
    ("Eth", '\u{D0}'),
    ("eth", '\u{F0}'),
    ("Thorn", '\u{DE}'),
    ("thorn", '\u{FE}'),
    ("Dcroat", '\u{110}'),
    ("dcroat", '\u{111}'),
    ("Dslash", '\u{110}'),
    ("dmacron", '\u{111}'),
    ("grave", '`'),
    ("acute", '\u{B4}'),
    ("circumflex", '\u{2C6}'),
    ("tilde", '\u{2DC}'),
    ("macron", '\u{AF}'),
    ("breve", '\u{2D8}'),
    ("dotaccent", '\u{2D9}'),
    ("dieresis", '\u{A8}'),
    ("ring", '\u{2DA}'),
    ("cedilla", '\u{B8}'),
    ("hungarumlaut", '\u{2DD}'),
    ("ogonek", '\u{2DB}'),
    ("caron", '\u{2C7}'),
    ("gravecomb", '\u{300}'),
    ("acutecomb", '\u{301}'),
    ("tildecomb", '\u{303}'),
    ("hookabovecomb", '\u{309}'),
    ("dotbelowcomb", '\u{323}'),
];

/// Combining marks by the name glyph names give them; the first three change the letter
/// (they come first in a name: `acircumflexacute`), the rest are tones and others.
const MARKS: &[(char, &str)] = &[
    ('\u{302}', "circumflex"),
    ('\u{306}', "breve"),
    ('\u{31B}', "horn"),
    ('\u{300}', "grave"),
    ('\u{301}', "acute"),
    ('\u{303}', "tilde"),
    ('\u{304}', "macron"),
    ('\u{307}', "dotaccent"),
    ('\u{308}', "dieresis"),
    ('\u{309}', "hookabove"),
    ('\u{30A}', "ring"),
    ('\u{30B}', "hungarumlaut"),
    ('\u{30C}', "caron"),
    ('\u{323}', "dotbelow"),
    ('\u{327}', "cedilla"),
    ('\u{328}', "ogonek"),
];

/// Letters with marks named base + marks: Latin-1, Latin Extended-A and B (ơ, ư), and the
/// Vietnamese block.
static COMPOSED: LazyLock<HashMap<String, char>> = LazyLock::new(|| {
    let ranges = [0xC0u32..=0x17F, 0x1A0..=0x1B0, 0x1EA0..=0x1EF9];
    let mut map = HashMap::new();
    for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
        let decomposed: Vec<char> = std::iter::once(c).nfd().collect();
        let Some((&base, marks)) = decomposed.split_first() else {
            continue;
        };
        if marks.is_empty() || !base.is_ascii_alphabetic() {
            continue;
        }
        let named: Option<Vec<(usize, &str)>> = marks
            .iter()
            .map(|m| {
                MARKS
                    .iter()
                    .position(|(c, _)| c == m)
                    .map(|i| (i, MARKS[i].1))
            })
            .collect();
        let Some(mut named) = named else {
            continue;
        };
        // Quality marks (circumflex, breve, horn) first, then the rest in NFD order.
        named.sort_by_key(|&(i, _)| i >= 3);
        let mut name = base.to_string();
        for (_, n) in named {
            name.push_str(n);
        }
        map.entry(name).or_insert(c);
    }
    map
});

static NAMES: LazyLock<HashMap<&'static str, char>> =
    LazyLock::new(|| NAMED.iter().copied().collect());

/// The text a glyph name stands for, if vanban knows the name.
pub(crate) fn glyph_name(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    let name = name.split('.').next().unwrap_or(name);
    if name.is_empty() {
        return None;
    }
    if name.contains('_') {
        let parts: Option<String> = name.split('_').map(|p| glyph_name(p.as_bytes())).collect();
        return parts;
    }
    if name.len() == 1 && name.as_bytes()[0].is_ascii_alphabetic() {
        return Some(name.to_string());
    }
    if let Some(&c) = NAMES.get(name) {
        return Some(c.to_string());
    }
    if let Some(&c) = COMPOSED.get(name) {
        return Some(c.to_string());
    }
    if let Some(hex) = name.strip_prefix("uni")
        && hex.len() >= 4
        && hex.len() % 4 == 0
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        let units: Vec<u16> = hex
            .as_bytes()
            .chunks(4)
            .filter_map(|c| u16::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
            .collect();
        return Some(String::from_utf16_lossy(&units));
    }
    if let Some(hex) = name.strip_prefix('u')
        && (4..=6).contains(&hex.len())
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return u32::from_str_radix(hex, 16)
            .ok()
            .and_then(char::from_u32)
            .map(String::from);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names() {
        let check = |name: &str, expected: Option<&str>| {
            assert_eq!(glyph_name(name.as_bytes()).as_deref(), expected, "{name}");
        };
        check("A", Some("A"));
        check("eacute", Some("é"));
        check("Ccedilla", Some("Ç"));
        check("ohornhookabove", Some("ở"));
        check("acircumflexdotbelow", Some("ậ"));
        check("Uhorngrave", Some("Ừ"));
        check("abrevetilde", Some("ẵ"));
        check("ytilde", Some("ỹ"));
        check("dcroat", Some("đ"));
        check("Dcroat", Some("Đ"));
        check("uni1EA0", Some("Ạ"));
        check("uni00660069", Some("fi"));
        check("u1EF9", Some("ỹ"));
        check("f_i", Some("fi"));
        check("a.sc", Some("a"));
        check("quotedblleft", Some("\u{201C}"));
        check("hookabovecomb", Some("\u{309}"));
        check("g123", None);
        check("", None);
    }

    #[test]
    fn tables() {
        assert_eq!(BaseEncoding::WinAnsi.table()[0x93], Some('\u{201C}'));
        assert_eq!(BaseEncoding::WinAnsi.table()[0xC0], Some('À'));
        assert_eq!(BaseEncoding::MacRoman.table()[0x80], Some('Ä'));
        assert_eq!(BaseEncoding::Standard.table()[0x27], Some('\u{2019}'));
        assert_eq!(BaseEncoding::Standard.table()[0xD0], Some('\u{2014}'));
    }
}
