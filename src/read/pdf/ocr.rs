//! OCR for scanned pages: the page image taken straight out of the PDF, the `tesseract`
//! program over it (Vietnamese model, TSV with a confidence per word), the page text built
//! from the TSV, and the repairs vanban knows (NFC, the fixed header phrases, overprinted
//! months).
//!
//! Why the program and not libtesseract: the program needs nothing at build time (no
//! bindgen, no headers, no link against a C++ library whose ABI moves between Debian
//! releases), so vanban builds and runs everywhere and only the PDFs that need OCR need
//! tesseract; CI installs it with apt. The price is one process a page: on the dev set its
//! start (model load, about 0.15 s) is under a tenth of the 1.5-3 s a page takes to
//! recognise, and a process can be killed at a time bound, which a library call cannot.

use std::time::Duration;

use hayro_syntax::Filter;
use hayro_syntax::object::{Dict, Object, Stream};
use unicode_normalization::UnicodeNormalization;

use super::objects::{self, Budget};
use crate::{Diagnostic, Severity};

/// When pages are sent to OCR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OcrMode {
    /// The pages that need it: scans and layers that are not Vietnamese.
    Auto,
    /// Every page with a page image, whatever its layer.
    Always,
    /// None: a PDF without a usable layer is an error (the library's default; the CLI's is
    /// `auto`).
    #[default]
    Never,
}

impl std::str::FromStr for OcrMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auto" => Ok(OcrMode::Auto),
            "always" => Ok(OcrMode::Always),
            "never" => Ok(OcrMode::Never),
            _ => Err(format!(
                "unknown OCR mode `{s}` (expected auto, always or never)"
            )),
        }
    }
}

/// The longest one page may take in tesseract before it is killed.
pub(crate) const PAGE_TIMEOUT: Duration = Duration::from_secs(120);
/// Words read with less confidence (0-100) than this, if numbers or dates, are reported.
const LOW_CONFIDENCE: f32 = 60.0;
/// The program run, unless `VANBAN_TESSERACT` names another (tests, odd installs).
const TESSERACT: &str = "tesseract";
/// What to install when tesseract or its Vietnamese model is missing.
pub(crate) const INSTALL: &str = "apt-get install tesseract-ocr tesseract-ocr-vie";

/// Why a page could not be OCRed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum OcrFailure {
    /// The program or its `vie` model is not installed.
    Missing(String),
    /// It ran past [`PAGE_TIMEOUT`] and was killed.
    TimedOut,
    /// It failed on this image.
    Failed(String),
}

/// One page read by OCR.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OcrPage {
    /// The page's lines, repaired.
    pub(crate) lines: Vec<String>,
    /// The mean word confidence, 0-1.
    pub(crate) confidence: f32,
    /// Low-confidence numbers and dates, overprinted months.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// The image bytes of a page image XObject in a form tesseract reads: a JPEG as it is in
/// the file, raw samples (Flate or none) wrapped as PNM. Anything else is `Err` with what
/// it is, for a "needs rasterisation" diagnostic.
pub(crate) fn page_image(stream: &Stream<'_>, budget: &Budget) -> Result<Vec<u8>, String> {
    let filters = stream.filters();
    match filters.as_slice() {
        [Filter::DctDecode] => {
            let raw = stream.raw_data();
            if budget.take(raw.len() as u64) {
                Ok(raw.into_owned())
            } else {
                Err("an image over the decoding budget".into())
            }
        }
        [] | [Filter::FlateDecode] => {
            let data = objects::decode(stream, budget)
                .ok_or_else(|| "an image that does not decode".to_string())?;
            raw_to_pnm(stream.dict(), &data)
        }
        [Filter::CcittFaxDecode] => Err("a CCITT fax image".into()),
        other => Err(format!("an image with filters {other:?}")),
    }
}

/// Raw samples as PNM: 8-bit grey (P5), 8-bit RGB (P6), 1-bit grey (P4).
fn raw_to_pnm(dict: &Dict<'_>, data: &[u8]) -> Result<Vec<u8>, String> {
    let int = |key: &[u8]| dict.get::<i64>(key).and_then(|v| usize::try_from(v).ok());
    let (Some(width), Some(height)) = (int(b"Width"), int(b"Height")) else {
        return Err("an image without its size".into());
    };
    let bits = int(b"BitsPerComponent").unwrap_or(8);
    let components = match dict.get::<Object<'_>>(b"ColorSpace") {
        Some(Object::Name(n)) => match n.as_ref() {
            b"DeviceGray" | b"CalGray" | b"G" => 1,
            b"DeviceRGB" | b"CalRGB" | b"RGB" => 3,
            _ => return Err("an image in a colour space other than grey or RGB".into()),
        },
        Some(Object::Array(a)) => {
            let mut items = a.iter::<Object<'_>>();
            let family = items.next();
            match (family, items.next()) {
                (Some(Object::Name(f)), Some(Object::Stream(icc))) if f.as_ref() == b"ICCBased" => {
                    match icc.dict().get::<i64>(b"N") {
                        Some(1) => 1,
                        Some(3) => 3,
                        _ => return Err("an ICC image that is neither grey nor RGB".into()),
                    }
                }
                _ => return Err("an indexed or separation-colour image".into()),
            }
        }
        _ if dict.get::<bool>(b"ImageMask") == Some(true) => 1,
        _ => return Err("an image without a colour space".into()),
    };
    let inverted = matches!(
        dict.get::<Object<'_>>(b"Decode"),
        Some(Object::Array(a)) if a.iter::<f32>().next().is_some_and(|v| v > 0.5)
    ) || dict.get::<bool>(b"ImageMask") == Some(true);
    let row = match (components, bits) {
        (1, 8) => width,
        (3, 8) => width * 3,
        (1, 1) => width.div_ceil(8),
        _ => return Err(format!("a {components}-component {bits}-bit image")),
    };
    let size = row
        .checked_mul(height)
        .filter(|&n| n > 0 && n <= data.len())
        .ok_or_else(|| "an image with fewer samples than its size".to_string())?;
    let magic = match (components, bits) {
        (1, 1) => "P4",
        (1, _) => "P5",
        _ => "P6",
    };
    let mut out = format!("{magic}\n{width} {height}\n").into_bytes();
    if bits == 8 {
        out.extend_from_slice(b"255\n");
    }
    let start = out.len();
    out.extend_from_slice(&data[..size]);
    // PDF grey: 0 is black; PBM: 1 is black. A Decode of [1 0] flips both.
    if (bits == 1) != inverted {
        for b in &mut out[start..] {
            *b = !*b;
        }
    }
    Ok(out)
}

/// Runs tesseract over one page image and builds the page from its TSV.
pub(crate) fn recognise(page: usize, image: &[u8]) -> Result<OcrPage, OcrFailure> {
    let program = std::env::var_os("VANBAN_TESSERACT").unwrap_or_else(|| TESSERACT.into());
    let mut command = std::process::Command::new(&program);
    command
        .args(["stdin", "stdout", "-l", "vie", "--psm", "3", "tsv"])
        // Pages are spread over cores by the batch; tesseract's own threads would fight them.
        .env("OMP_THREAD_LIMIT", "1");
    let output = match crate::batch::run_program(command, image, PAGE_TIMEOUT) {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(OcrFailure::Missing(format!(
                "`{}` is not installed",
                program.to_string_lossy()
            )));
        }
        Err(e) => return Err(OcrFailure::Failed(e.to_string())),
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    match output.status {
        None => Err(OcrFailure::TimedOut),
        Some(_) if stderr.contains("Failed loading language") => Err(OcrFailure::Missing(
            "tesseract has no Vietnamese model (vie)".into(),
        )),
        Some(status) if !status.success() => Err(OcrFailure::Failed(
            stderr.lines().last().unwrap_or("no message").to_string(),
        )),
        Some(_) => Ok(page_from_tsv(
            page,
            &String::from_utf8_lossy(&output.stdout),
        )),
    }
}

/// One word of tesseract's TSV.
#[derive(Debug, Clone, PartialEq)]
struct Word<'a> {
    block: u32,
    par: u32,
    line: u32,
    confidence: f32,
    text: &'a str,
}

/// The words of tesseract's TSV (level 5 rows), in its reading order.
fn words(tsv: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    for row in tsv.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let text = cols[11].trim();
        if text.is_empty() {
            continue;
        }
        let num = |i: usize| cols[i].parse::<u32>().unwrap_or(0);
        out.push(Word {
            block: num(2),
            par: num(3),
            line: num(4),
            confidence: cols[10].parse::<f32>().unwrap_or(0.0).clamp(0.0, 100.0),
            text,
        });
    }
    out
}

/// Builds a page from tesseract's TSV: one line per tesseract line, a line that carries on
/// a sentence (it starts in lower case, in the same paragraph) joined to the one before;
/// then the repairs, and the diagnostics for low-confidence numbers and overprinted months.
pub(crate) fn page_from_tsv(page: usize, tsv: &str) -> OcrPage {
    let words = words(tsv);
    let mut lines: Vec<String> = Vec::new();
    let mut diagnostics = Vec::new();
    let mut last: Option<(u32, u32, u32)> = None;
    for w in &words {
        let key = (w.block, w.par, w.line);
        let text: String = w.text.nfc().collect();
        match last {
            Some(k) if k == key => {
                if let Some(l) = lines.last_mut() {
                    l.push(' ');
                    l.push_str(&text);
                }
            }
            Some((b, p, _))
                if (b, p) == (w.block, w.par)
                    && text.chars().next().is_some_and(char::is_lowercase) =>
            {
                if let Some(l) = lines.last_mut() {
                    l.push(' ');
                    l.push_str(&text);
                }
            }
            _ => lines.push(text.clone()),
        }
        last = Some(key);
        if w.confidence < LOW_CONFIDENCE && is_number_or_date(&text) {
            diagnostics.push(Diagnostic::new(
                Severity::Warning,
                "ocr-low-confidence-number",
                format!(
                    "page {page}: `{text}` read with confidence {:.0} (stamped or handwritten?)",
                    w.confidence
                ),
                None,
            ));
        }
    }
    for line in &mut lines {
        repair_header_phrase(line);
        if let Some(what) = overprinted_month(line) {
            diagnostics.push(Diagnostic::new(
                Severity::Warning,
                "ocr-overprinted-month",
                format!("page {page}: {what}"),
                None,
            ));
        }
    }
    let confidence = if words.is_empty() {
        0.0
    } else {
        words.iter().map(|w| w.confidence).sum::<f32>() / words.len() as f32 / 100.0
    };
    OcrPage {
        lines,
        confidence,
        diagnostics,
    }
}

/// A word that is a number or a date: digits, with `.`, `/` or `-` between them.
fn is_number_or_date(word: &str) -> bool {
    let core = word.trim_matches(|c: char| !c.is_alphanumeric());
    core.chars().any(|c| c.is_ascii_digit())
        && core
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '/' | '-'))
}

/// The header phrases every document carries, as they are written.
const HEADER_PHRASES: &[&str] = &[
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
];

/// Letters and digits of the fold key: what a header phrase is matched on.
fn phrase_key(s: &str) -> Vec<char> {
    crate::text::fold_key(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Replaces a header phrase tesseract misread (a mark lost or wrong, a letter off) at the
/// end of a line (the right column of the letterhead, the left one read before it on the
/// same line) by the phrase as written. The match is on fold keys with at most one edit in
/// eight letters, so only the phrase itself is ever replaced.
fn repair_header_phrase(line: &mut String) {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(line.match_indices(' ').map(|(i, _)| i + 1))
        .collect();
    for phrase in HEADER_PHRASES {
        let want = phrase_key(phrase);
        // The closest tail wins (`DÂN CỘNG HÒA …` is one edit further than `CỘNG HÒA …`).
        let mut best: Option<(usize, usize)> = None;
        for &start in &starts {
            let key = phrase_key(&line[start..]);
            if key.len() + 4 < want.len() {
                break;
            }
            if key.len() > want.len() + 4 {
                continue;
            }
            let d = edit_distance(&key, &want);
            if d * 8 <= want.len() && best.is_none_or(|(bd, _)| d <= bd) {
                best = Some((d, start));
            }
        }
        if let Some((_, start)) = best
            && &line[start..] != *phrase
        {
            line.replace_range(start.., phrase);
            return;
        }
    }
}

/// Levenshtein distance between two char slices.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// A date line whose month has two digits and is over 12 (`ngày 15 tháng 54 năm 2026`):
/// the stamped month printed over the drafted one, not a month. Says so.
fn overprinted_month(line: &str) -> Option<String> {
    static DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)ngày\s*(\d{1,2})\s*tháng\s*(\d{2})\s*năm\s*(\d{4})")
            .expect("literal regex")
    });
    let caps = DATE.captures(line)?;
    let month: u32 = caps[2].parse().ok()?;
    (month > 12).then(|| {
        format!(
            "`{}`: month {month} is two overprinted digits (a stamped month over the drafted one), not a month",
            &caps[0]
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV_HEAD: &str = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n";

    fn tsv(rows: &[(u32, u32, u32, f32, &str)]) -> String {
        let mut s = TSV_HEAD.to_string();
        for (b, p, l, c, t) in rows {
            s.push_str(&format!("5\t1\t{b}\t{p}\t{l}\t1\t0\t0\t1\t1\t{c}\t{t}\n"));
        }
        s
    }

    #[test]
    fn lines_from_tsv_join_a_sentence_that_carries_on() {
        let page = page_from_tsv(
            1,
            &tsv(&[
                (1, 1, 1, 95.0, "Căn"),
                (1, 1, 1, 95.0, "cứ"),
                (1, 1, 2, 90.0, "Luật"),
                (1, 1, 3, 90.0, "ngày"),
                (2, 1, 1, 80.0, "Điều"),
            ]),
        );
        assert_eq!(page.lines, ["Căn cứ", "Luật ngày", "Điều"]);
        assert!((page.confidence - 0.9).abs() < 1e-4, "{}", page.confidence);
    }

    #[test]
    fn a_low_confidence_number_is_reported_a_low_confidence_word_is_not() {
        let page = page_from_tsv(
            2,
            &tsv(&[
                (1, 1, 1, 41.0, "2507"),
                (1, 1, 1, 30.0, "phép"),
                (1, 1, 1, 95.0, "15/5/2026"),
            ]),
        );
        assert_eq!(page.diagnostics.len(), 1);
        assert!(page.diagnostics[0].message.contains("page 2: `2507`"));
    }

    #[test]
    fn text_from_tsv_is_nfc() {
        let page = page_from_tsv(1, &tsv(&[(1, 1, 1, 90.0, "Vie\u{0323}\u{0302}t")]));
        assert_eq!(page.lines, ["Việt"]);
    }

    #[test]
    fn misread_header_phrases_are_restored_at_the_end_of_a_line() {
        let mut motto = "Độc lập - Tự đo - Hạnh phủc".to_string();
        repair_header_phrase(&mut motto);
        assert_eq!(motto, "Độc lập - Tự do - Hạnh phúc");
        let mut both = "ỦY BAN NHÂN DÂN CỘNG HOÀ XÃ HỘI CHỦ NGHIA VIỆT NAM".to_string();
        repair_header_phrase(&mut both);
        assert_eq!(both, "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
        let mut other = "Độc lập với các cơ quan khác".to_string();
        repair_header_phrase(&mut other);
        assert_eq!(other, "Độc lập với các cơ quan khác");
    }

    #[test]
    fn a_two_digit_month_over_12_is_an_overprint_not_a_month() {
        let what = overprinted_month("Lào Cai, ngày15 tháng 54 năm 2026").unwrap();
        assert!(what.contains("month 54"), "{what}");
        assert_eq!(overprinted_month("ngày 15 tháng 5 năm 2026"), None);
        assert_eq!(overprinted_month("ngày 15 tháng 12 năm 2026"), None);
    }

    #[test]
    fn numbers_and_dates_are_told_from_words() {
        assert!(is_number_or_date("15/5/2026,"));
        assert!(is_number_or_date("2507"));
        assert!(!is_number_or_date("GP-UBND"));
        assert!(!is_number_or_date("Điều"));
    }
}
