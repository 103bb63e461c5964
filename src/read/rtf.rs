//! RTF documents: text runs, `\'xx` and `\uN` escapes, and the font table, whose `.Vn*`
//! (TCVN3) and `VNI-*` names say how each run's bytes were typed.
//!
//! The parser is a flat loop over the bytes with an explicit group stack: no recursion,
//! every index checked, so no input makes it panic.

use std::collections::HashMap;
use std::path::Path;

use super::legacy::{FontKind, Runs, cp1252_char, surface_byte};
use crate::decode::{Encoding, Source};
use crate::{Error, Result};

/// Reads an RTF file's body text (not headers, footers, field codes or pictures), detects
/// its encoding (font names as the first clue) and decodes it.
pub(crate) fn read_rtf(path: &Path, bytes: &[u8], forced: Option<Encoding>) -> Result<Source> {
    let runs = extract(bytes).map_err(|reason| Error::Corrupt {
        path: path.to_path_buf(),
        format: "rtf",
        reason,
    })?;
    Ok(runs.finish(forced))
}

/// Where the text of the current group goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dest {
    /// The document body: shown text.
    Body,
    /// The font table (names are collected).
    FontTable,
    /// Anything not shown: skipped.
    Skip,
}

#[derive(Debug, Clone, Copy)]
struct State {
    dest: Dest,
    /// The current font number (`\fN`).
    font: i32,
    /// Bytes to skip after `\uN` (`\ucN`).
    uc: u32,
}

#[derive(Debug, Clone)]
struct Font {
    name: String,
    kind: FontKind,
    /// `\fcharsetN`: 2 is a symbol font, 163 Vietnamese (CP1258).
    charset: i32,
}

/// Destinations whose text is not part of the body.
const SKIPPED: &[&str] = &[
    "colortbl",
    "stylesheet",
    "info",
    "pict",
    "object",
    "objdata",
    "objclass",
    "fldinst",
    "header",
    "headerl",
    "headerr",
    "headerf",
    "footer",
    "footerl",
    "footerr",
    "footerf",
    "footnote",
    "annotation",
    "atnid",
    "atnauthor",
    "ftnsep",
    "ftnsepc",
    "aftnsep",
    "aftnsepc",
    "listtable",
    "listoverridetable",
    "revtbl",
    "rsidtbl",
    "themedata",
    "colorschememapping",
    "datastore",
    "latentstyles",
    "xmlnstbl",
    "generator",
    "shpinst",
    "nonshppict",
    "shppict",
    "pntxta",
    "pntxtb",
    "xe",
    "tc",
    "bkmkstart",
    "bkmkend",
    "docvar",
    "userprops",
    "filetbl",
    "private",
    "pgdsctbl",
    "do",
];

/// A destination keyword that names shown text even though Word marks it with `\*`.
const SHOWN_STARRED: &[&str] = &["shptxt", "fldrslt", "result"];

/// Pulls the body text out of RTF bytes as [`Runs`].
fn extract(bytes: &[u8]) -> Result<Runs, String> {
    if !bytes.starts_with(b"{\\rtf") {
        return Err("does not start with {\\rtf".into());
    }
    let mut parser = Parser::default();
    parser.run(bytes)?;
    Ok(parser.finish())
}

#[derive(Default)]
struct Parser {
    stack: Vec<State>,
    fonts: HashMap<i32, Font>,
    default_font: i32,
    /// Whether the font table names any legacy font (then text in other fonts is
    /// taken as what it shows, not as legacy bytes).
    has_legacy_fonts: bool,
    /// The font entry being read in the font table: number, charset, name so far.
    entry: Option<(i32, i32, Vec<u8>)>,
    /// Bytes still to skip after a `\uN`.
    skip: u32,
    runs: Runs,
    /// Legacy bytes counted per font number, for the font clue.
    font_bytes: HashMap<i32, usize>,
    /// The last font looked up (number, kind, charset) and the legacy bytes met in it
    /// not yet added to `font_bytes`: one hash lookup per font change, not per byte.
    cache: Option<(i32, FontKind, i32)>,
    pending: usize,
}

impl Parser {
    fn state(&self) -> State {
        self.stack.last().copied().unwrap_or(State {
            dest: Dest::Body,
            font: self.default_font,
            uc: 1,
        })
    }

    /// The kind and charset of font number `n`.
    fn font_of(&mut self, n: i32) -> (FontKind, i32) {
        if let Some((f, kind, charset)) = self.cache
            && f == n
        {
            return (kind, charset);
        }
        self.flush_count();
        let (kind, charset) = self
            .fonts
            .get(&n)
            .map_or((FontKind::Other, 0), |f| (f.kind, f.charset));
        self.cache = Some((n, kind, charset));
        (kind, charset)
    }

    fn flush_count(&mut self) {
        if let Some((f, ..)) = self.cache
            && self.pending > 0
        {
            *self.font_bytes.entry(f).or_default() += self.pending;
        }
        self.pending = 0;
    }

    fn state_mut(&mut self) -> Option<&mut State> {
        self.stack.last_mut()
    }

    /// Reads the whole document in one pass over its bytes.
    // One loop over RTF's tokens (groups, control words, escapes, text) sharing the group
    // stack and the skip state; split up, each piece would need all of that state passed in.
    fn run(&mut self, b: &[u8]) -> Result<(), String> {
        let mut i = 0;
        // After `{\*`: the next control word decides whether the group is skipped.
        let mut starred = false;
        // Right after `{`: the first control word may name a destination.
        let mut group_start = false;
        while i < b.len() {
            let c = b[i];
            match c {
                b'{' => {
                    let s = self.state();
                    self.stack.push(s);
                    self.skip = 0;
                    group_start = true;
                    starred = false;
                    i += 1;
                }
                b'}' => {
                    if self.state().dest == Dest::FontTable {
                        self.end_font_entry();
                    }
                    if self.stack.pop().is_none() {
                        // A stray closing brace: tolerated, like Word does.
                    }
                    self.skip = 0;
                    group_start = false;
                    starred = false;
                    i += 1;
                }
                b'\\' => {
                    let Some(&next) = b.get(i + 1) else {
                        break;
                    };
                    if next.is_ascii_alphabetic() {
                        let start = i + 1;
                        let mut j = start;
                        while j < b.len() && b[j].is_ascii_alphabetic() && j - start < 32 {
                            j += 1;
                        }
                        let word = std::str::from_utf8(&b[start..j]).unwrap_or("");
                        let mut param: Option<i32> = None;
                        let num_start = j;
                        if j < b.len() && (b[j] == b'-' || b[j].is_ascii_digit()) {
                            let neg = b[j] == b'-';
                            if neg {
                                j += 1;
                            }
                            let mut v: i64 = 0;
                            let digits = j;
                            while j < b.len() && b[j].is_ascii_digit() && j - digits < 10 {
                                v = v * 10 + (b[j] - b'0') as i64;
                                j += 1;
                            }
                            if j == digits {
                                j = num_start; // a lone '-' is text
                            } else {
                                let v = if neg { -v } else { v };
                                param = Some(v.clamp(i32::MIN as i64, i32::MAX as i64) as i32);
                            }
                        }
                        if j < b.len() && b[j] == b' ' {
                            j += 1;
                        }
                        i = j;
                        if word == "bin" {
                            // Binary data: skip N bytes.
                            let n = param.unwrap_or(0).max(0) as usize;
                            i = i.saturating_add(n);
                            continue;
                        }
                        let first = group_start;
                        group_start = false;
                        let was_starred = std::mem::take(&mut starred);
                        self.control_word(word, param, first, was_starred);
                    } else {
                        group_start = false;
                        match next {
                            b'\'' => {
                                let hex = b.get(i + 2..i + 4).and_then(|h| {
                                    let digit = |d: u8| (d as char).to_digit(16);
                                    Some((digit(h[0])? * 16 + digit(h[1])?) as u8)
                                });
                                i += if hex.is_some() { 4 } else { 2 };
                                if let Some(byte) = hex {
                                    self.text_byte(byte);
                                }
                            }
                            b'*' => {
                                starred = true;
                                group_start = true;
                                i += 2;
                            }
                            b'~' => {
                                self.text_char('\u{A0}');
                                i += 2;
                            }
                            b'_' => {
                                self.text_byte(b'-');
                                i += 2;
                            }
                            b'\r' | b'\n' => {
                                self.control_word("par", None, false, false);
                                i += 2;
                            }
                            b'\\' | b'{' | b'}' => {
                                self.text_byte(next);
                                i += 2;
                            }
                            _ => i += 2, // \- optional hyphen, \: index, \| formula, …
                        }
                    }
                }
                b'\r' | b'\n' => i += 1,
                _ => {
                    group_start = false;
                    self.text_byte(c);
                    i += 1;
                }
            }
        }
        Ok(())
    }

    fn control_word(&mut self, word: &str, param: Option<i32>, first: bool, starred: bool) {
        if first {
            // A destination.
            let dest = if word == "fonttbl" {
                Some(Dest::FontTable)
            } else if word == "result" {
                // An object's shown result, inside the skipped object.
                Some(Dest::Body)
            } else if SKIPPED.contains(&word) || (starred && !SHOWN_STARRED.contains(&word)) {
                Some(Dest::Skip)
            } else {
                None
            };
            if let Some(dest) = dest {
                let in_fonts = self.state().dest == Dest::FontTable;
                if let Some(s) = self.state_mut() {
                    // Groups nested in a font entry (panose, alt names) are skipped.
                    s.dest = if in_fonts { Dest::Skip } else { dest };
                }
                return;
            }
        }
        let state = self.state();
        if state.dest == Dest::FontTable {
            match (word, param) {
                ("f", Some(n)) => {
                    self.end_font_entry();
                    self.entry = Some((n, 0, Vec::new()));
                }
                ("fcharset", Some(n)) => {
                    if let Some(e) = self.entry.as_mut() {
                        e.1 = n;
                    }
                }
                _ => {}
            }
            return;
        }
        match (word, param) {
            ("deff", Some(n)) => self.default_font = n,
            ("f", Some(n)) => {
                if let Some(s) = self.state_mut() {
                    s.font = n;
                }
            }
            ("plain", _) => {
                let f = self.default_font;
                if let Some(s) = self.state_mut() {
                    s.font = f;
                }
            }
            ("uc", Some(n)) => {
                if let Some(s) = self.state_mut() {
                    s.uc = n.clamp(0, 16) as u32;
                }
            }
            ("u", Some(n)) => {
                let code = if n < 0 { n + 65536 } else { n };
                let c = char::from_u32(code as u32).unwrap_or('\u{FFFD}');
                self.unicode_char(c);
                self.skip = state.uc;
            }
            ("par" | "line" | "row" | "cell" | "sect" | "page" | "column", _)
                if state.dest == Dest::Body =>
            {
                self.runs.push_newline();
            }
            ("tab", _) if state.dest == Dest::Body => {
                self.runs.push_tab();
            }
            ("emdash", _) => self.text_char('—'),
            ("endash", _) => self.text_char('–'),
            ("lquote", _) => self.text_char('‘'),
            ("rquote", _) => self.text_char('’'),
            ("ldblquote", _) => self.text_char('“'),
            ("rdblquote", _) => self.text_char('”'),
            ("bullet", _) => self.text_char('•'),
            ("emspace" | "enspace" | "qmspace", _) => self.text_char(' '),
            _ => {}
        }
    }

    fn end_font_entry(&mut self) {
        if let Some((n, charset, name)) = self.entry.take() {
            let name: String = name.iter().map(|&b| b as char).collect();
            let name = name.trim().trim_end_matches(';').trim().to_string();
            let kind = FontKind::of(&name);
            self.has_legacy_fonts |= kind.encoding().is_some();
            self.flush_count();
            self.cache = None;
            self.fonts.insert(
                n,
                Font {
                    name,
                    kind,
                    charset,
                },
            );
        }
    }

    /// A byte of text (literal or `\'xx`), in the current font.
    fn text_byte(&mut self, byte: u8) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        let state = self.state();
        match state.dest {
            Dest::Skip => {}
            Dest::FontTable => {
                if let Some(e) = self.entry.as_mut() {
                    if byte == b';' {
                        self.end_font_entry();
                    } else if e.2.len() < 256 {
                        e.2.push(byte);
                    }
                }
            }
            Dest::Body => {
                let (kind, charset) = self.font_of(state.font);
                if kind.encoding().is_some() {
                    self.pending += 1;
                    self.runs.push_byte(byte, cp1252_char(byte), kind);
                } else if byte < 0x80 {
                    self.runs.push_byte(byte, byte as char, FontKind::Other);
                } else if charset == 2 {
                    // Symbol fonts: keep the glyph position as a private-use character.
                    self.runs
                        .push_char(char::from_u32(0xF000 + byte as u32).unwrap_or('\u{FFFD}'));
                } else if charset == 163 {
                    let one = [byte];
                    let (s, _, _) = encoding_rs::WINDOWS_1258.decode(&one);
                    self.runs.push_str(&s);
                } else if self.has_legacy_fonts {
                    self.runs.push_char(cp1252_char(byte));
                } else {
                    // No font says what the bytes are: let detection decide.
                    self.runs
                        .push_byte(byte, cp1252_char(byte), FontKind::Other);
                }
            }
        }
    }

    /// A `\uN` character: legacy bytes where old converters put them (U+00xx, U+F0xx in
    /// a legacy font), Unicode otherwise.
    fn unicode_char(&mut self, c: char) {
        let state = self.state();
        if state.dest != Dest::Body {
            return;
        }
        let (kind, _) = self.font_of(state.font);
        match surface_byte(c) {
            Some(byte) if kind.encoding().is_some() => {
                self.pending += 1;
                self.runs.push_byte(byte, c, kind);
            }
            _ => self.runs.push_char(c),
        }
    }

    /// A character that is Unicode whatever the font (`\emdash`, `\~`, …).
    fn text_char(&mut self, c: char) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        if self.state().dest == Dest::Body {
            self.runs.push_char(c);
        }
    }

    fn finish(mut self) -> Runs {
        self.flush_count();
        let mut counted: Vec<(i32, usize)> =
            self.font_bytes.iter().map(|(&f, &n)| (f, n)).collect();
        counted.sort();
        for (f, n) in counted {
            if let Some(font) = self.fonts.get(&f) {
                self.runs.note_font(&font.name, font.kind, n);
            }
        }
        self.runs
    }
}

#[cfg(test)]
pub(super) fn extract_for_test(bytes: &[u8]) -> Runs {
    extract(bytes).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::legacy::Run;

    fn runs(rtf: &str) -> Vec<Run> {
        let mut p = Parser::default();
        p.run(rtf.as_bytes()).unwrap();
        p.finish().runs().to_vec()
    }

    fn legacy(bytes: &[u8], upper: bool) -> Run {
        plain(bytes, upper, Some(Encoding::Tcvn3))
    }

    fn plain(bytes: &[u8], upper: bool, font: Option<Encoding>) -> Run {
        Run::Legacy {
            bytes: bytes.to_vec(),
            upper,
            font,
            surface: bytes.iter().map(|&b| cp1252_char(b)).collect(),
        }
    }

    #[test]
    fn font_table_decides_legacy_runs() {
        let rtf = r"{\rtf1\ansi\deff0{\fonttbl{\f0\froman Times New Roman;}{\f1\fswiss{\*\panose 020b}.VnTime;}{\f2 .VnTimeH;}}{\info{\title x\'e9}}\pard\plain\f1 C\'e9ng\par {\f2 h\'b5}\par}";
        assert_eq!(
            runs(rtf),
            vec![legacy(b"C\xe9ng\n", false), legacy(b"h\xb5\n", true),]
        );
    }

    #[test]
    fn unicode_escapes_skip_their_fallback() {
        let rtf = r"{\rtf1{\fonttbl{\f0 Times New Roman;}}\uc1\u7897?ng\u-3913 ?x}";
        assert_eq!(
            runs(rtf),
            vec![
                Run::Text("ộ".into()),
                plain(b"ng", false, None),
                Run::Text("\u{F0B7}".into()),
                plain(b"x", false, None)
            ]
        );
    }

    #[test]
    fn fields_show_results_and_headers_are_skipped() {
        let rtf = r"{\rtf1{\fonttbl{\f0 Arial;}}{\header page}{\field{\*\fldinst PAGE}{\fldrslt 5}}\bin3 {}}a}";
        assert_eq!(runs(rtf), vec![plain(b"5a", false, None)]);
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_rtf_never_panics(tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let mut bytes = br"{\rtf1{\fonttbl{\f1 .VnTime;}{\f2 VNI-Times;}}\f1 ".to_vec();
            bytes.extend_from_slice(&tail);
            let _ = extract(&bytes);
        }

        #[test]
        fn rtf_made_of_rtf_tokens_never_panics(tokens in proptest::collection::vec(
            proptest::sample::select(vec![
                "{", "}", "\\", "\\'e9", "\\'", "\\u", "\\u-3913", "\\uc2", "\\*", "\\f1", "\\f2",
                "\\fonttbl", "\\par", "\\bin5", "\\fldinst", "\\fldrslt", "a", "\\'b5", ";", " ",
            ]), 0..200)) {
            let body: String = tokens.concat();
            let _ = extract(format!("{{\\rtf1 {body}").as_bytes());
        }
    }

    #[test]
    fn truncated_and_garbage_input_never_panics() {
        let rtf =
            r"{\rtf1{\fonttbl{\f1 .VnTime;}}\f1 \'e9\'b\u-\u99999999999 \uc-5\bin99999999999 x";
        for end in 0..rtf.len() {
            let _ = extract(&rtf.as_bytes()[..end]);
        }
    }
}
