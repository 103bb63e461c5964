//! CMaps: ToUnicode maps (character code → text) and the code spaces and CID maps of
//! Type0 font encodings, parsed from their PostScript-like syntax.
//!
//! Only the operators that carry data are read (`begincodespacerange`, `beginbfchar`,
//! `beginbfrange`, `begincidchar`, `begincidrange`); everything else is skipped. A bfrange
//! whose destination is one string is remembered as *incremented*: that is where Word 2010
//! wrote wrong letters, and where [`super::font`] checks the map against the font's glyphs.

use std::collections::HashMap;

/// One code space range: codes of `len` bytes from `lo` to `hi`.
#[derive(Debug, Clone, Copy)]
struct Space {
    len: u8,
    lo: u32,
    hi: u32,
}

/// A bfrange or cidrange: codes `lo..=hi` of `len` bytes.
#[derive(Debug, Clone)]
struct RangeMap<T> {
    lo: u32,
    hi: u32,
    dest: T,
}

/// Where a bfrange sends its codes.
#[derive(Debug, Clone)]
enum BfDest {
    /// The first code's text; the next codes add 1 to its last UTF-16 unit.
    Incremented(Vec<u16>),
    /// One text per code.
    List(Vec<String>),
}

/// A parsed CMap.
#[derive(Debug, Clone, Default)]
pub(crate) struct CMap {
    spaces: Vec<Space>,
    chars: HashMap<u32, String>,
    ranges: Vec<RangeMap<BfDest>>,
    cid_chars: HashMap<u32, u32>,
    cid_ranges: Vec<RangeMap<u32>>,
}

/// The text a ToUnicode map gives for one code, and whether it came from an incremented
/// bfrange (the only form the Word 2010 bug takes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mapped {
    pub(crate) text: String,
    pub(crate) incremented: bool,
}

impl CMap {
    /// Parses CMap bytes; what cannot be understood is skipped.
    pub(crate) fn parse(data: &[u8]) -> CMap {
        let mut cmap = CMap::default();
        let mut lexer = Lexer { data, pos: 0 };
        let mut operands: Vec<Token<'_>> = Vec::new();
        while let Some(token) = lexer.next() {
            match token {
                Token::Keyword(b"begincodespacerange") => {
                    cmap.read_section(&mut lexer, b"endcodespacerange", 2, |c, t| {
                        if let (Some((len, lo)), Some((_, hi))) = (code(&t[0]), code(&t[1])) {
                            c.spaces.push(Space { len, lo, hi });
                        }
                    });
                }
                Token::Keyword(b"beginbfchar") => {
                    cmap.read_section(&mut lexer, b"endbfchar", 2, |c, t| {
                        if let (Some((_, src)), Some(text)) = (code(&t[0]), text(&t[1])) {
                            c.chars.insert(src, text);
                        }
                    });
                }
                Token::Keyword(b"beginbfrange") => {
                    cmap.read_section(&mut lexer, b"endbfrange", 3, |c, t| c.bf_range(t));
                }
                Token::Keyword(b"begincidchar") => {
                    cmap.read_section(&mut lexer, b"endcidchar", 2, |c, t| {
                        if let (Some((_, src)), Token::Number(cid)) = (code(&t[0]), &t[1]) {
                            c.cid_chars.insert(src, *cid);
                        }
                    });
                }
                Token::Keyword(b"begincidrange") => {
                    cmap.read_section(&mut lexer, b"endcidrange", 3, |c, t| {
                        if let (Some((_, lo)), Some((_, hi)), Token::Number(cid)) =
                            (code(&t[0]), code(&t[1]), &t[2])
                            && lo <= hi
                        {
                            c.cid_ranges.push(RangeMap { lo, hi, dest: *cid });
                        }
                    });
                }
                _ => {
                    operands.clear();
                }
            }
        }
        cmap
    }

    /// Reads groups of `arity` operands until `end`, handing each group to `f`. Arrays
    /// count as one operand.
    fn read_section(
        &mut self,
        lexer: &mut Lexer<'_>,
        end: &[u8],
        arity: usize,
        mut f: impl FnMut(&mut CMap, &[Token<'_>]),
    ) {
        let mut group: Vec<Token<'_>> = Vec::with_capacity(arity);
        while let Some(token) = lexer.next() {
            match token {
                Token::Keyword(k) if k == end => return,
                Token::Keyword(_) => return,
                Token::ArrayStart => {
                    let mut items = Vec::new();
                    while let Some(t) = lexer.next() {
                        match t {
                            Token::ArrayEnd => break,
                            Token::Hex(h) => items.push(h),
                            Token::Keyword(_) => return,
                            _ => {}
                        }
                    }
                    group.push(Token::Array(items));
                }
                t => group.push(t),
            }
            if group.len() == arity {
                f(self, &group);
                group.clear();
            }
        }
    }

    fn bf_range(&mut self, t: &[Token<'_>]) {
        let (Some((_, lo)), Some((_, hi))) = (code(&t[0]), code(&t[1])) else {
            return;
        };
        if lo > hi {
            return;
        }
        let dest = match &t[2] {
            Token::Hex(h) => BfDest::Incremented(utf16_units(h)),
            Token::Array(items) => BfDest::List(items.iter().map(|h| decode_utf16(h)).collect()),
            _ => return,
        };
        self.ranges.push(RangeMap { lo, hi, dest });
    }

    /// True when the map has no code space ranges (ToUnicode maps often omit them).
    pub(crate) fn has_spaces(&self) -> bool {
        !self.spaces.is_empty()
    }

    /// The byte length of the code that starts `bytes`, by the code space ranges: the
    /// shortest length whose range holds the prefix; `None` if no range does.
    pub(crate) fn code_len(&self, bytes: &[u8]) -> Option<usize> {
        for len in 1..=4usize {
            if bytes.len() < len {
                break;
            }
            let value = be(&bytes[..len]);
            if self
                .spaces
                .iter()
                .any(|s| usize::from(s.len) == len && s.lo <= value && value <= s.hi)
            {
                return Some(len);
            }
        }
        None
    }

    /// The text for a code, if the map has one.
    pub(crate) fn lookup(&self, code: u32) -> Option<Mapped> {
        if let Some(text) = self.chars.get(&code) {
            return Some(Mapped {
                text: text.clone(),
                incremented: false,
            });
        }
        let range = self.ranges.iter().find(|r| r.lo <= code && code <= r.hi)?;
        let offset = code - range.lo;
        match &range.dest {
            BfDest::Incremented(units) => {
                let mut units = units.clone();
                let last = units.last_mut()?;
                *last = u16::try_from(u32::from(*last) + offset).ok()?;
                Some(Mapped {
                    text: String::from_utf16_lossy(&units),
                    incremented: offset > 0,
                })
            }
            BfDest::List(items) => items.get(offset as usize).map(|text| Mapped {
                text: text.clone(),
                incremented: false,
            }),
        }
    }

    /// The CID for a code by the cidchar and cidrange entries.
    pub(crate) fn cid(&self, code: u32) -> Option<u32> {
        if let Some(&cid) = self.cid_chars.get(&code) {
            return Some(cid);
        }
        self.cid_ranges
            .iter()
            .find(|r| r.lo <= code && code <= r.hi)
            .map(|r| r.dest.saturating_add(code - r.lo))
    }

    /// Every code the map gives text for, with the text (ranges capped at 65,536 codes).
    pub(crate) fn entries(&self) -> Vec<(u32, Mapped)> {
        let mut out: Vec<(u32, Mapped)> = Vec::new();
        for r in &self.ranges {
            let hi = r.hi.min(r.lo.saturating_add(0xFFFF));
            for code in r.lo..=hi {
                if let Some(m) = self.lookup(code) {
                    out.push((code, m));
                }
            }
        }
        for (&code, text) in &self.chars {
            out.push((
                code,
                Mapped {
                    text: text.clone(),
                    incremented: false,
                },
            ));
        }
        out
    }
}

/// The code (byte length, big-endian value) written as a hex string token.
fn code(token: &Token<'_>) -> Option<(u8, u32)> {
    match token {
        Token::Hex(h) if !h.is_empty() && h.len() <= 4 => Some((h.len() as u8, be(h))),
        _ => None,
    }
}

/// The text of a bfchar destination: UTF-16BE hex, or a glyph name.
fn text(token: &Token<'_>) -> Option<String> {
    match token {
        Token::Hex(h) => Some(decode_utf16(h)),
        Token::Name(n) => super::encoding::glyph_name(n),
        _ => None,
    }
}

fn be(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |v, &b| (v << 8) | u32::from(b))
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    if bytes.len() == 1 {
        return vec![u16::from(bytes[0])];
    }
    bytes
        .chunks(2)
        .map(|c| {
            if c.len() == 2 {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from(c[0])
            }
        })
        .collect()
}

fn decode_utf16(bytes: &[u8]) -> String {
    String::from_utf16_lossy(&utf16_units(bytes))
}

#[derive(Debug, Clone, PartialEq)]
enum Token<'a> {
    Hex(Vec<u8>),
    Name(&'a [u8]),
    Number(u32),
    Keyword(&'a [u8]),
    ArrayStart,
    ArrayEnd,
    Array(Vec<Vec<u8>>),
    Other,
}

struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_delimiter(b: u8) -> bool {
    b.is_ascii_whitespace()
        || matches!(
            b,
            b'<' | b'>' | b'[' | b']' | b'(' | b')' | b'/' | b'{' | b'}' | b'%' | 0
        )
}

impl<'a> Lexer<'a> {
    fn next(&mut self) -> Option<Token<'a>> {
        let data = self.data;
        loop {
            let &b = data.get(self.pos)?;
            if b.is_ascii_whitespace() || b == 0 {
                self.pos += 1;
            } else if b == b'%' {
                while self.pos < data.len() && !matches!(data[self.pos], b'\n' | b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
        let start = self.pos;
        let b = data[start];
        self.pos += 1;
        Some(match b {
            b'[' => Token::ArrayStart,
            b']' => Token::ArrayEnd,
            b'<' if data.get(self.pos) == Some(&b'<') => {
                self.pos += 1;
                Token::Other
            }
            b'>' => {
                if data.get(self.pos) == Some(&b'>') {
                    self.pos += 1;
                }
                Token::Other
            }
            b'<' => {
                let mut nibbles = Vec::new();
                while let Some(&c) = data.get(self.pos) {
                    self.pos += 1;
                    if c == b'>' {
                        break;
                    }
                    if let Some(v) = (c as char).to_digit(16) {
                        nibbles.push(v as u8);
                    }
                }
                if nibbles.len() % 2 == 1 {
                    nibbles.push(0);
                }
                Token::Hex(nibbles.chunks(2).map(|p| (p[0] << 4) | p[1]).collect())
            }
            b'(' => {
                let mut depth = 1usize;
                while let Some(&c) = data.get(self.pos) {
                    self.pos += 1;
                    match c {
                        b'\\' => self.pos += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                Token::Other
            }
            b'/' => {
                while self.pos < data.len() && !is_delimiter(data[self.pos]) {
                    self.pos += 1;
                }
                Token::Name(&data[start + 1..self.pos])
            }
            b'{' | b'}' | b')' => Token::Other,
            _ => {
                while self.pos < data.len() && !is_delimiter(data[self.pos]) {
                    self.pos += 1;
                }
                let word = &data[start..self.pos];
                match std::str::from_utf8(word)
                    .ok()
                    .and_then(|s| s.parse::<u32>().ok())
                {
                    Some(n) => Token::Number(n),
                    None if word
                        .first()
                        .is_some_and(|c| c.is_ascii_digit() || *c == b'-') =>
                    {
                        Token::Other
                    }
                    None => Token::Keyword(word),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORD_2010: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0003> <0020> <00FF> <0111> endbfchar
3 beginbfrange
<0044> <0048> <0061>
<0069> <006B> [<00E1> <00E0> <00E2>]
<046A> <046D> <01A0>
endbfrange
endcmap end end";

    #[test]
    fn bfchar_bfrange_and_arrays() {
        let cmap = CMap::parse(WORD_2010);
        let text = |code| cmap.lookup(code).map(|m| m.text);
        assert_eq!(text(0x03).as_deref(), Some(" "));
        assert_eq!(text(0xFF).as_deref(), Some("đ"));
        assert_eq!(text(0x44).as_deref(), Some("a"));
        assert_eq!(text(0x48).as_deref(), Some("e"));
        assert_eq!(text(0x6A).as_deref(), Some("à"));
        assert_eq!(text(0x46D).as_deref(), Some("ƣ"));
        assert!(cmap.lookup(0x46D).unwrap().incremented);
        assert!(!cmap.lookup(0x46A).unwrap().incremented);
        assert_eq!(text(0x49), None);
        assert_eq!(cmap.code_len(&[0x04, 0x6A]), Some(2));
    }

    #[test]
    fn cid_ranges_and_one_byte_spaces() {
        let cmap = CMap::parse(
            b"2 begincodespacerange <00> <80> <8140> <9FFC> endcodespacerange
1 begincidrange <20> <7e> 1 endcidrange 1 begincidchar <8140> 633 endcidchar",
        );
        assert_eq!(cmap.code_len(&[0x41, 0x81]), Some(1));
        assert_eq!(cmap.code_len(&[0x81, 0x40]), Some(2));
        assert_eq!(cmap.cid(0x41), Some(0x22));
        assert_eq!(cmap.cid(0x8140), Some(633));
    }

    #[test]
    fn surrogate_pairs_and_ligatures() {
        let cmap = CMap::parse(b"2 beginbfchar <01> <D835DC00> <02> <00660069> endbfchar");
        assert_eq!(cmap.lookup(1).unwrap().text, "\u{1D400}");
        assert_eq!(cmap.lookup(2).unwrap().text, "fi");
    }

    #[test]
    fn junk_does_not_panic() {
        for junk in [
            &b"beginbfrange <01> [ <02"[..],
            b"<<<<",
            b"begincidrange <FFFFFFFF> <00> 5",
            b"(\\",
        ] {
            let _ = CMap::parse(junk).entries();
        }
    }
}
