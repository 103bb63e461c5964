//! What the legacy containers (.doc, .rtf) have in common: text pulled out as runs of
//! either Unicode or legacy 8-bit bytes, detected once and decoded run by run.

use crate::decode::{self, Detection, Encoding, Source};
use crate::{Diagnostic, Severity};

/// The family of a font name, as far as encodings go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FontKind {
    /// `.VnTime`, `.VnArial`, …: TCVN3 (ABC).
    Tcvn3,
    /// `.VnTimeH`, `.VnArialH`, …: TCVN3 drawn in capitals from lower-case bytes.
    Tcvn3Upper,
    /// `VNI-Times`, `VNI-Helve`, …: VNI-Windows.
    Vni,
    /// Anything else (Times New Roman, Symbol, …).
    Other,
}

impl FontKind {
    /// Classifies a font name. Charset suffixes Word adds (`.VnTimeH Tur`) are ignored.
    pub(super) fn of(name: &str) -> FontKind {
        let name = name.trim();
        let lower = name.to_ascii_lowercase();
        if lower.starts_with(".vn") {
            // ".VnTimeH", ".VnArial NarrowH", ".VnTimeH Tur", ".VnTimeH (Vietnamese)".
            let base = strip_charset_suffix(name);
            if base.ends_with('H') {
                FontKind::Tcvn3Upper
            } else {
                FontKind::Tcvn3
            }
        } else if lower.starts_with("vni") {
            FontKind::Vni
        } else {
            FontKind::Other
        }
    }

    /// The encoding text in this font is typed in, if it is a legacy one.
    pub(super) fn encoding(self) -> Option<Encoding> {
        match self {
            FontKind::Tcvn3 | FontKind::Tcvn3Upper => Some(Encoding::Tcvn3),
            FontKind::Vni => Some(Encoding::Vni),
            FontKind::Other => None,
        }
    }
}

fn strip_charset_suffix(name: &str) -> &str {
    let mut base = name.trim();
    if let Some(open) = base.rfind(" (")
        && base.ends_with(')')
    {
        base = base[..open].trim_end();
    }
    for suffix in [" Tur", " CE", " Cyr", " Greek", " Baltic", " Vietnamese"] {
        if let Some(stripped) = base.strip_suffix(suffix) {
            return stripped.trim_end();
        }
    }
    base
}

/// The CP1252 byte that shows as `c`, as Word and converters present legacy bytes:
/// U+0000-U+00FF (including the C1 range CP1252 leaves undefined), the 27 CP1252
/// punctuation and letter positions 0x80-0x9F, and the symbol-font range U+F000-U+F0FF.
pub(super) fn surface_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if (0xF000..=0xF0FF).contains(&u) {
        return Some((u & 0xFF) as u8);
    }
    crate::decode::cp1252_byte(c)
}

/// How a byte shows in CP1252, as Word shows 8-bit text (its five holes as C1 controls).
pub(super) fn cp1252_char(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// Whether `font` is the other of the two legacy families from `detected`.
fn minority_family(font: Encoding, detected: Encoding) -> bool {
    matches!(
        (font, detected),
        (Encoding::Tcvn3, Encoding::Vni) | (Encoding::Vni, Encoding::Tcvn3)
    )
}

/// One stretch of extracted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Run {
    /// Text that is Unicode already.
    Text(String),
    /// Legacy bytes, to be decoded with the detected encoding.
    Legacy {
        /// The bytes; line breaks are `\n` bytes inside the run.
        bytes: Vec<u8>,
        /// Drawn in capitals (a TCVN3 `…H` font): upper-case after decoding.
        upper: bool,
        /// The legacy encoding its font names, if any.
        font: Option<Encoding>,
        /// What the bytes showed as before decoding (the text to keep if detection
        /// finds no legacy encoding).
        surface: String,
    },
}

/// Extracted text under construction: appends merge into the last run when they can.
#[derive(Debug, Default)]
pub(super) struct Runs {
    runs: Vec<Run>,
    /// Legacy bytes seen per legacy font: name, encoding, count (the font clue).
    fonts: Vec<(String, Encoding, usize)>,
}

impl Runs {
    /// Appends Unicode text.
    pub(super) fn push_str(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if let Some(Run::Text(last)) = self.runs.last_mut() {
            last.push_str(s);
        } else {
            self.runs.push(Run::Text(s.to_string()));
        }
    }

    /// Appends one Unicode character.
    pub(super) fn push_char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.push_str(c.encode_utf8(&mut buf));
    }

    /// Appends one legacy byte, `surface` being how it showed, typed in a font of `kind`.
    /// A run holds bytes of one font family: a byte in a TCVN3 font does not join a run
    /// in a VNI font (bytes in other fonts join any run).
    pub(super) fn push_byte(&mut self, byte: u8, surface: char, kind: FontKind) {
        let upper = kind == FontKind::Tcvn3Upper;
        let family = kind.encoding();
        if let Some(Run::Legacy {
            bytes,
            upper: u,
            font,
            surface: s,
        }) = self.runs.last_mut()
            && *u == upper
            && (family.is_none() || font.is_none() || *font == family)
        {
            bytes.push(byte);
            s.push(surface);
            if font.is_none() {
                *font = family;
            }
            return;
        }
        self.runs.push(Run::Legacy {
            bytes: vec![byte],
            upper,
            font: family,
            surface: surface.to_string(),
        });
    }

    /// Appends a line break: inside the current legacy run when there is one, so that
    /// decoding sees whole lines.
    pub(super) fn push_newline(&mut self) {
        match self.runs.last_mut() {
            Some(Run::Legacy { bytes, surface, .. }) => {
                bytes.push(b'\n');
                surface.push('\n');
            }
            _ => self.push_char('\n'),
        }
    }

    /// Appends a tab, like [`Runs::push_newline`].
    pub(super) fn push_tab(&mut self) {
        match self.runs.last_mut() {
            Some(Run::Legacy { bytes, surface, .. }) => {
                bytes.push(b'\t');
                surface.push('\t');
            }
            _ => self.push_char('\t'),
        }
    }

    /// Counts `n` legacy bytes towards the font clue of `font`.
    pub(super) fn note_font(&mut self, font: &str, kind: FontKind, n: usize) {
        let Some(encoding) = kind.encoding() else {
            return;
        };
        match self.fonts.iter_mut().find(|(name, ..)| name == font) {
            Some(entry) => entry.2 += n,
            None => self.fonts.push((font.to_string(), encoding, n)),
        }
    }

    /// The runs so far.
    #[cfg(test)]
    pub(super) fn runs(&self) -> &[Run] {
        &self.runs
    }

    /// All legacy bytes, concatenated (what detection looks at).
    pub(super) fn legacy_bytes(&self) -> Vec<u8> {
        let mut all = Vec::new();
        for run in &self.runs {
            if let Run::Legacy { bytes, .. } = run {
                all.extend_from_slice(bytes);
            }
        }
        all
    }

    /// The font clue: the legacy encoding most legacy bytes were typed in, and the font
    /// that holds most of them.
    fn font_hint(&self) -> Option<(Encoding, &str)> {
        let total =
            |e: Encoding| -> usize { self.fonts.iter().filter(|f| f.1 == e).map(|f| f.2).sum() };
        let (tcvn3, vni) = (total(Encoding::Tcvn3), total(Encoding::Vni));
        if tcvn3 == 0 && vni == 0 {
            return None;
        }
        let encoding = if vni > tcvn3 {
            Encoding::Vni
        } else {
            Encoding::Tcvn3
        };
        let font = self
            .fonts
            .iter()
            .filter(|f| f.1 == encoding)
            .max_by_key(|f| f.2)
            .map(|f| f.0.as_str())?;
        Some((encoding, font))
    }

    /// Detects the encoding once over all legacy bytes (font clue as the hint), decodes
    /// every legacy run with it and joins everything into a [`Source`].
    pub(super) fn finish(self, forced: Option<Encoding>) -> Source {
        let all = self.legacy_bytes();
        let hint = self.font_hint();
        let detection = match forced {
            Some(encoding) => Detection {
                encoding,
                confidence: 1.0,
                clue: "user".into(),
            },
            None if all.is_empty() => Detection {
                encoding: Encoding::Utf16Le,
                confidence: 1.0,
                clue: "unicode text".into(),
            },
            None => decode::detect(&all, hint.map(|(e, _)| e)),
        };
        let clue = match (forced, hint) {
            (None, Some((_, font))) if !all.is_empty() => {
                if detection.clue.contains("font hint") {
                    detection
                        .clue
                        .replacen("font hint", &format!("font {font}"), 1)
                } else {
                    format!("font {font}; {}", detection.clue)
                }
            }
            _ => detection.clue.clone(),
        };
        // Windows-1258 or UTF-8 for bytes Word and RTF hold as CP1252: no legacy
        // Vietnamese encoding, keep the CP1252 surface.
        let legacy = matches!(
            detection.encoding,
            Encoding::Tcvn3 | Encoding::Vni | Encoding::Viscii
        );
        let mut text = String::new();
        let mut diagnostics = Vec::new();
        let mut offset = 0;
        for run in self.runs {
            match run {
                Run::Text(s) => text.push_str(&s),
                Run::Legacy {
                    bytes,
                    upper,
                    font,
                    surface,
                } => {
                    if legacy {
                        // A run in a font of the other legacy family (a VNI-Times phrase
                        // pasted into a .VnTime document) is decoded as its font says.
                        let encoding = match font {
                            Some(f)
                                if forced.is_none() && minority_family(f, detection.encoding) =>
                            {
                                f
                            }
                            _ => detection.encoding,
                        };
                        let (decoded, diags) = decode::decode_as(&bytes, encoding);
                        if upper {
                            text.push_str(&decoded.to_uppercase());
                        } else {
                            text.push_str(&decoded);
                        }
                        // Spans count bytes of the extracted legacy text (all runs end
                        // to end), not of the container file.
                        diagnostics.extend(diags.into_iter().map(|mut d| {
                            d.span = d.span.map(|s| s.start + offset..s.end + offset);
                            d
                        }));
                    } else {
                        text.push_str(&surface);
                    }
                    offset += bytes.len();
                }
            }
        }
        if forced.is_none() && !all.is_empty() && detection.confidence < 0.5 {
            diagnostics.push(Diagnostic::new(
                Severity::Warning,
                "low-confidence",
                format!(
                    "encoding {} guessed with low confidence ({})",
                    detection.encoding, detection.clue
                ),
                None,
            ));
        }
        Source {
            text,
            encoding: detection.encoding,
            confidence: detection.confidence,
            clue,
            diagnostics,
            pages: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_kinds() {
        let check = |name: &str, want: FontKind| assert_eq!(FontKind::of(name), want, "{name}");
        check(".VnTime", FontKind::Tcvn3);
        check(".VnTimeH", FontKind::Tcvn3Upper);
        check(".VnTimeH Tur", FontKind::Tcvn3Upper);
        check(".VnArial NarrowH", FontKind::Tcvn3Upper);
        check(".VnArial Narrow", FontKind::Tcvn3);
        check("VNI-Times", FontKind::Vni);
        check("Times New Roman", FontKind::Other);
        check("Symbol", FontKind::Other);
    }

    #[test]
    fn surface_bytes() {
        assert_eq!(surface_byte('é'), Some(0xE9));
        assert_eq!(surface_byte('–'), Some(0x96));
        assert_eq!(surface_byte('\u{F0B7}'), Some(0xB7));
        assert_eq!(surface_byte('ộ'), None);
    }

    #[test]
    fn runs_merge_and_newlines_join_legacy_runs() {
        let mut runs = Runs::default();
        runs.push_byte(b'a', 'a', FontKind::Other);
        runs.push_newline();
        runs.push_byte(0xB5, 'µ', FontKind::Tcvn3);
        runs.push_byte(b'b', 'b', FontKind::Tcvn3Upper);
        runs.push_byte(0xD6, 'Ö', FontKind::Vni);
        runs.push_str("ư");
        runs.push_newline();
        assert_eq!(
            runs.runs(),
            &[
                Run::Legacy {
                    bytes: vec![b'a', b'\n', 0xB5],
                    upper: false,
                    font: Some(Encoding::Tcvn3),
                    surface: "a\nµ".into()
                },
                Run::Legacy {
                    bytes: vec![b'b'],
                    upper: true,
                    font: Some(Encoding::Tcvn3),
                    surface: "b".into()
                },
                Run::Legacy {
                    bytes: vec![0xD6],
                    upper: false,
                    font: Some(Encoding::Vni),
                    surface: "Ö".into()
                },
                Run::Text("ư\n".into()),
            ]
        );
    }
}

/// Writes the legacy bytes of every fixture to `$VANBAN_DUMP/<id>.bin` (a debugging aid
/// for the container layer; does nothing unless the variable is set).
#[cfg(test)]
mod dump {
    #[test]
    fn dump_fixtures() {
        let Ok(dir) = std::env::var("VANBAN_DUMP") else {
            return;
        };
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/corpus/legacy");
        for entry in std::fs::read_dir(root).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let runs = match path.extension().and_then(|e| e.to_str()) {
                Some("doc") => super::super::doc::extract_for_test(&bytes),
                Some("rtf") => super::super::rtf::extract_for_test(&bytes),
                _ => continue,
            };
            let mut out = Vec::new();
            let mut text = 0;
            let mut upper_bytes = 0;
            for run in runs.runs() {
                match run {
                    super::Run::Legacy { bytes, upper, .. } => {
                        out.extend_from_slice(bytes);
                        if *upper {
                            upper_bytes += bytes.len();
                            if std::env::var("VANBAN_DUMP_UPPER").is_ok() {
                                eprintln!("  upper: {:?}", String::from_utf8_lossy(bytes));
                            }
                        }
                    }
                    super::Run::Text(s) => {
                        text += s.chars().count();
                        out.extend_from_slice(s.as_bytes());
                    }
                }
            }
            let stem = path.file_stem().unwrap().to_str().unwrap();
            eprintln!(
                "{stem}: {} legacy bytes ({upper_bytes} upper), {text} unicode chars, hint {:?}",
                out.len(),
                runs.font_hint()
            );
            std::fs::write(format!("{dir}/{stem}.bin"), out).unwrap();
        }
    }
}
