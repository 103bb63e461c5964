//! Fonts: how the bytes of a shown string become character codes, text and advances.
//!
//! Simple fonts (Type1, TrueType, Type3): one byte a code, text from the ToUnicode map, else
//! the encoding (WinAnsi, MacRoman, Standard, with `Differences` by glyph name), widths from
//! `Widths`. Type0 fonts: codes by the encoding CMap (Identity-H: two bytes, code = CID),
//! text from ToUnicode, widths from the descendant's `W` and `DW`.
//!
//! Where the ToUnicode map cannot be trusted it is checked against the embedded TrueType
//! program's own `cmap`, glyph by glyph: the Word 2010 bug wrote bfranges that run on past a
//! gap in Unicode (`<046A> <046D> <01A0>` gives `Ơ ơ Ƣ ƣ` where the glyphs are `Ơ ơ Ư ư`),
//! and Ghostscript rewrites drop ToUnicode altogether. A code is re-mapped only when the
//! font's cmap names its glyph and does not give the mapped letter that glyph.

use std::collections::HashMap;

use hayro_syntax::object::{Array, Dict, Name, Object, Stream};

use super::cmap::CMap;
use super::encoding::{BaseEncoding, glyph_name};
use super::objects::{Budget, decode, number};

/// One character code read from a string.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Code {
    /// The code's value.
    pub(crate) code: u32,
    /// How many bytes it took.
    pub(crate) len: usize,
    /// Its advance in text space (glyph width / 1000 for most fonts).
    pub(crate) width: f32,
}

/// How the text of a code was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// From the ToUnicode map or the encoding, as written.
    Layer,
    /// Re-mapped through the embedded font's own cmap (a broken ToUnicode repaired).
    Repaired,
    /// Nothing maps it.
    Unknown,
}

/// A font ready to decode strings.
#[derive(Debug)]
pub(crate) struct Font {
    codes: Codes,
    to_unicode: Option<CMap>,
    /// Text per code from the encoding (simple fonts) or the font's cmap (composite fonts
    /// without ToUnicode).
    fallback: HashMap<u32, String>,
    /// Codes whose ToUnicode text the embedded font contradicts, with the font's letter.
    fixes: HashMap<u32, String>,
    widths: Widths,
    /// Text space per glyph-space unit (1/1000, or Type3's FontMatrix).
    scale: f32,
}

#[derive(Debug)]
enum Codes {
    /// One byte a code.
    Simple,
    /// Two bytes a code, code = CID.
    Identity,
    /// By an embedded encoding CMap's code space and CID ranges.
    CMap(Box<CMap>),
}

#[derive(Debug)]
enum Widths {
    /// `Widths` from `FirstChar`, with `MissingWidth` for the rest.
    Simple {
        first: u32,
        widths: Vec<f32>,
        missing: f32,
    },
    /// `W` per CID, `DW` for the rest.
    Cid {
        widths: HashMap<u32, f32>,
        default: f32,
    },
}

/// The most CIDs one `W` range may give widths to (a bigger range gets the default).
const MAX_W_RANGE: u32 = 65_536;

impl Font {
    /// Reads a font dictionary. Never fails: what is missing falls back to defaults.
    pub(crate) fn load(dict: &Dict<'_>, budget: &Budget) -> Font {
        let to_unicode = dict
            .get::<Stream<'_>>(b"ToUnicode")
            .and_then(|s| decode(&s, budget))
            .map(|data| CMap::parse(&data))
            .filter(|c| !c.entries().is_empty());
        let subtype = dict.get::<Name<'_>>(b"Subtype");
        if subtype.as_deref() == Some(b"Type0".as_slice()) {
            Self::composite(dict, to_unicode, budget)
        } else {
            Self::simple(dict, to_unicode, subtype.as_deref() == Some(b"Type3"))
        }
    }

    fn simple(dict: &Dict<'_>, to_unicode: Option<CMap>, type3: bool) -> Font {
        let encoding = dict.get::<Object<'_>>(b"Encoding");
        let (base, differences) = match &encoding {
            Some(Object::Name(n)) => (BaseEncoding::from_name(n), None),
            Some(Object::Dict(d)) => (
                d.get::<Name<'_>>(b"BaseEncoding")
                    .and_then(|n| BaseEncoding::from_name(&n)),
                d.get::<Array<'_>>(b"Differences"),
            ),
            _ => (None, None),
        };
        let table = base.unwrap_or(BaseEncoding::WinAnsi).table();
        let mut fallback: HashMap<u32, String> = table
            .iter()
            .enumerate()
            .filter_map(|(code, c)| c.map(|c| (code as u32, c.to_string())))
            .collect();
        if let Some(differences) = differences {
            let mut code = 0u32;
            for item in differences.iter::<Object<'_>>() {
                match item {
                    Object::Number(n) => code = n.as_f32().max(0.0) as u32,
                    Object::Name(n) => {
                        match glyph_name(&n) {
                            Some(text) => fallback.insert(code, text),
                            None => fallback.remove(&code),
                        };
                        code = code.saturating_add(1);
                    }
                    _ => {}
                }
            }
        }
        let first = dict.get::<u32>(b"FirstChar").unwrap_or(0);
        let widths: Vec<f32> = dict
            .get::<Array<'_>>(b"Widths")
            .map(|a| a.iter::<f32>().take(256).collect())
            .unwrap_or_default();
        let missing = dict
            .get::<Dict<'_>>(b"FontDescriptor")
            .and_then(|d| d.get::<f32>(b"MissingWidth"))
            .filter(|w| *w > 0.0)
            .unwrap_or(if widths.is_empty() { 500.0 } else { 0.0 });
        let scale = if type3 {
            super::objects::dict_matrix(dict, b"FontMatrix").map_or(0.001, |m| m[0].abs())
        } else {
            0.001
        };
        Font {
            codes: Codes::Simple,
            to_unicode,
            fallback,
            fixes: HashMap::new(),
            widths: Widths::Simple {
                first,
                widths,
                missing,
            },
            scale,
        }
    }

    fn composite(dict: &Dict<'_>, to_unicode: Option<CMap>, budget: &Budget) -> Font {
        let codes = match dict.get::<Object<'_>>(b"Encoding") {
            Some(Object::Stream(s)) => decode(&s, budget)
                .map(|d| CMap::parse(&d))
                .filter(CMap::has_spaces)
                .map_or(Codes::Identity, |c| Codes::CMap(Box::new(c))),
            _ => Codes::Identity,
        };
        let descendant = dict
            .get::<Array<'_>>(b"DescendantFonts")
            .and_then(|a| a.iter::<Dict<'_>>().next());
        let mut widths = HashMap::new();
        let mut default = 1000.0;
        if let Some(d) = &descendant {
            default = d.get::<f32>(b"DW").unwrap_or(1000.0);
            if let Some(w) = d.get::<Array<'_>>(b"W") {
                read_w(&w, &mut widths);
            }
        }
        let mut font = Font {
            codes,
            to_unicode,
            fallback: HashMap::new(),
            fixes: HashMap::new(),
            widths: Widths::Cid { widths, default },
            scale: 0.001,
        };
        if let Some(d) = &descendant {
            font.check_against_program(d, budget);
        }
        font
    }

    /// Compares ToUnicode with the embedded TrueType program's cmap where ToUnicode may be
    /// wrong (incremented bfranges into non-ASCII letters), or fills in text from that cmap
    /// when there is no ToUnicode at all.
    fn check_against_program(&mut self, descendant: &Dict<'_>, budget: &Budget) {
        let suspect: Vec<(u32, String)> = match &self.to_unicode {
            Some(map) => map
                .entries()
                .into_iter()
                .filter(|(_, m)| m.incremented && !m.text.is_ascii())
                .map(|(code, m)| (code, m.text))
                .collect(),
            None => Vec::new(),
        };
        if self.to_unicode.is_some() && suspect.is_empty() {
            return;
        }
        let Some(program) = descendant
            .get::<Dict<'_>>(b"FontDescriptor")
            .and_then(|fd| fd.get::<Stream<'_>>(b"FontFile2"))
            .and_then(|s| decode(&s, budget))
        else {
            return;
        };
        let Some(glyph_chars) = glyph_chars(&program) else {
            return;
        };
        let cid_to_gid = match descendant.get::<Object<'_>>(b"CIDToGIDMap") {
            Some(Object::Stream(s)) => decode(&s, budget),
            _ => None,
        };
        let gid = |cid: u32| -> u16 {
            match &cid_to_gid {
                Some(map) => {
                    let at = cid as usize * 2;
                    map.get(at..at + 2)
                        .map_or(0, |b| u16::from_be_bytes([b[0], b[1]]))
                }
                None => u16::try_from(cid).unwrap_or(0),
            }
        };
        if self.to_unicode.is_none() {
            // Codes are CIDs here unless an embedded CMap says otherwise; only Identity is
            // filled in.
            if matches!(self.codes, Codes::Identity) {
                let count = cid_to_gid.as_ref().map_or(65_536, |m| m.len() / 2);
                for cid in 0..count.min(65_536) as u32 {
                    if let Some(chars) = glyph_chars.get(&gid(cid)) {
                        self.fallback.insert(cid, best_char(chars).to_string());
                    }
                }
            }
            return;
        }
        for (code, text) in suspect {
            let cid = self.cid(code);
            let Some(chars) = glyph_chars.get(&gid(cid)) else {
                continue;
            };
            let mut mapped = text.chars();
            let (Some(c), None) = (mapped.next(), mapped.next()) else {
                continue;
            };
            if !chars.contains(&c) {
                self.fixes.insert(code, best_char(chars).to_string());
            }
        }
    }

    /// Splits a shown string into codes.
    pub(crate) fn codes(&self, bytes: &[u8], out: &mut Vec<Code>) {
        out.clear();
        let mut at = 0;
        while at < bytes.len() {
            let len = match &self.codes {
                Codes::Simple => 1,
                Codes::Identity => 2,
                Codes::CMap(cmap) => cmap.code_len(&bytes[at..]).unwrap_or(1),
            }
            .min(bytes.len() - at);
            let code = bytes[at..at + len]
                .iter()
                .fold(0u32, |v, &b| (v << 8) | u32::from(b));
            out.push(Code {
                code,
                len,
                width: self.width(code) * self.scale,
            });
            at += len;
        }
    }

    fn cid(&self, code: u32) -> u32 {
        match &self.codes {
            Codes::CMap(cmap) => cmap.cid(code).unwrap_or(code),
            _ => code,
        }
    }

    fn width(&self, code: u32) -> f32 {
        match &self.widths {
            Widths::Simple {
                first,
                widths,
                missing,
            } => code
                .checked_sub(*first)
                .and_then(|i| widths.get(i as usize))
                .copied()
                .unwrap_or(*missing),
            Widths::Cid { widths, default } => {
                widths.get(&self.cid(code)).copied().unwrap_or(*default)
            }
        }
    }

    /// The text of one code, appended to `out`, and how it was found.
    pub(crate) fn text(&self, code: u32, out: &mut String) -> Origin {
        if let Some(fixed) = self.fixes.get(&code) {
            out.push_str(fixed);
            return Origin::Repaired;
        }
        if let Some(mapped) = self.to_unicode.as_ref().and_then(|m| m.lookup(code)) {
            out.push_str(&mapped.text);
            return Origin::Layer;
        }
        if let Some(text) = self.fallback.get(&code) {
            out.push_str(text);
            return if self.to_unicode.is_none() && !matches!(self.codes, Codes::Simple) {
                Origin::Repaired
            } else {
                Origin::Layer
            };
        }
        Origin::Unknown
    }

    /// Whether a one-byte code 32 is a word space here (Tw applies).
    pub(crate) fn single_byte(&self) -> bool {
        matches!(self.codes, Codes::Simple)
    }
}

/// Reads a `W` array: `c [w1 w2 …]` or `cfirst clast w`.
fn read_w(w: &Array<'_>, widths: &mut HashMap<u32, f32>) {
    let items: Vec<Object<'_>> = w.iter::<Object<'_>>().take(1 << 16).collect();
    let mut i = 0;
    while i < items.len() {
        let Some(first) = number(&items[i]).map(|v| v.max(0.0) as u32) else {
            i += 1;
            continue;
        };
        match items.get(i + 1) {
            Some(Object::Array(list)) => {
                for (k, width) in list.iter::<f32>().enumerate().take(MAX_W_RANGE as usize) {
                    widths.insert(first.saturating_add(k as u32), width);
                }
                i += 2;
            }
            Some(last) => {
                let (Some(last), Some(width)) = (number(last), items.get(i + 2).and_then(number))
                else {
                    i += 3;
                    continue;
                };
                let last = last.max(0.0) as u32;
                if last >= first && last - first < MAX_W_RANGE {
                    for cid in first..=last {
                        widths.insert(cid, width);
                    }
                }
                i += 3;
            }
            None => break,
        }
    }
}

/// Glyph id → the characters the program's Unicode cmap gives it.
fn glyph_chars(program: &[u8]) -> Option<HashMap<u16, Vec<char>>> {
    let face = ttf_parser::Face::parse(program, 0).ok()?;
    let cmap = face.tables().cmap?;
    let mut map: HashMap<u16, Vec<char>> = HashMap::new();
    for subtable in cmap.subtables {
        if !subtable.is_unicode() {
            continue;
        }
        subtable.codepoints(|cp| {
            if let (Some(c), Some(gid)) = (char::from_u32(cp), subtable.glyph_index(cp))
                && !c.is_control()
            {
                let chars = map.entry(gid.0).or_default();
                if !chars.contains(&c) {
                    chars.push(c);
                }
            }
        });
    }
    (!map.is_empty()).then_some(map)
}

/// Of the characters one glyph draws, the one text should use: a Vietnamese letter first
/// (`Đ` over `Ð`, which share a glyph in Times New Roman), then the lowest code point.
fn best_char(chars: &[char]) -> char {
    let viet = |c: char| {
        matches!(c, 'Đ' | 'đ')
            || crate::decode::is_vietnamese_letter(c)
            || c.is_ascii_alphanumeric()
    };
    chars
        .iter()
        .copied()
        .filter(|&c| viet(c))
        .min()
        .or_else(|| chars.iter().copied().min())
        .unwrap_or('\u{FFFD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_char_prefers_vietnamese_letters() {
        assert_eq!(best_char(&['Ð', 'Đ']), 'Đ');
        assert_eq!(best_char(&['ư']), 'ư');
        assert_eq!(best_char(&[' ', '\u{A0}']), ' ');
    }
}
