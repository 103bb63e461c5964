//! PDF: the text layer, page by page, in the order a person reads it.
//!
//! hayro-syntax parses the file (xref, objects, page tree); vanban interprets the content
//! streams itself (`content.rs`), decodes fonts (`font.rs`, `cmap.rs`, `encoding.rs`),
//! rebuilds reading order (`layout.rs`, `table.rs`) and judges each page's layer
//! (`repair.rs`). Digital signatures are checked by [`signature`].
//!
//! Each page gets a [`PageInfo`] saying how its text was got ([`PageMethod`]): the layer as
//! written, a repaired layer, or nothing usable (OCR needed, or no text at all). Pages are
//! joined in order, each ending in a newline, with a form feed line (`"\x0C\n"`) between two
//! pages; [`PageInfo::range`] is each page's byte range in the text.
//!
//! Bounds: the input cap applies to the file; decoded streams are capped in total
//! ([`MAX_DECODED_BYTES`]); form XObjects nest at most 8 deep and never re-enter; the page
//! tree is walked by hayro-syntax with loop detection; at most [`MAX_PAGES`] pages.

mod cmap;
mod content;
mod encoding;
mod font;
mod layout;
mod objects;
mod ocr;
mod repair;
pub mod signature;
mod table;

pub use ocr::OcrMode;

use std::ops::Range;
use std::path::Path;
use std::sync::LazyLock;

use hayro_syntax::object::{Object, Stream};
use hayro_syntax::{LoadPdfError, Pdf};
use regex::Regex;
use serde::Serialize;

use crate::{Diagnostic, Error, Result, Severity};
use content::{Fonts, Interpreter, PageContent};
use font::Origin;
use objects::Budget;

/// The most decoded stream bytes (content, forms, CMaps, fonts) read from one PDF.
pub const MAX_DECODED_BYTES: u64 = 256 * 1024 * 1024;
/// The most annotations drawn on one page.
const MAX_ANNOTATIONS: usize = 1000;
/// The most pages read from one PDF; later pages are reported, not read.
pub const MAX_PAGES: usize = 20_000;

/// How one page's text was got.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageMethod {
    /// The text layer, as written.
    Layer,
    /// The text layer, repaired: a wrong ToUnicode map checked against the font's glyphs,
    /// glyph ids mapped back through the embedded font, look-alike letters replaced.
    RepairedLayer,
    /// The page needs OCR: it is an image, or its layer is not Vietnamese.
    NeedsOcr,
    /// Read by OCR (tesseract), with its mean word confidence (0-1).
    Ocr {
        /// The mean word confidence, 0-1.
        confidence: f32,
    },
    /// Nothing is drawn on the page that could hold text.
    NoText,
}

/// Why a page needs OCR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OcrReason {
    /// An image with no text layer (a scan), or only an e-signature caption.
    NoLayer,
    /// A layer that is not Vietnamese (an OCR engine without Vietnamese, glyph ids).
    NotVietnamese,
}

/// What vanban knows about one page of a PDF.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageInfo {
    /// The page number, from 1.
    pub number: usize,
    /// How its text was got.
    pub method: PageMethod,
    /// Why it needs OCR, when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocr: Option<OcrReason>,
    /// Its byte range in the text (empty for a page without text).
    pub range: Range<usize>,
    /// Vietnamese syllables with marks per word of its layer (0-1; about 0.5-0.8 for
    /// Vietnamese text).
    pub vietnamese: f32,
    /// Characters repaired (re-mapped glyphs, look-alike letters).
    pub repaired: usize,
    /// Lines taken out of the body: page numbers, running headers, e-signature captions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub furniture: Vec<String>,
}

/// A PDF's text and its pages.
#[derive(Debug, Clone, Default)]
pub(crate) struct PdfText {
    pub(crate) text: String,
    pub(crate) pages: Vec<PageInfo>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Reads the text layer of a PDF, and OCRs the pages `ocr` asks for. Fails only when the
/// file cannot be parsed at all, is encrypted, has no text on any page (it then needs OCR,
/// which the error says), or needs OCR and tesseract is not installed.
pub(crate) fn read_pdf(path: &Path, bytes: &[u8], ocr: OcrMode) -> Result<PdfText> {
    let pdf = Pdf::new(bytes.to_vec()).map_err(|e| match e {
        LoadPdfError::Decryption(_) => Error::Unsupported {
            path: path.to_path_buf(),
            what: "an encrypted PDF (it needs a password)".into(),
        },
        LoadPdfError::Invalid => Error::Corrupt {
            path: path.to_path_buf(),
            format: "pdf",
            reason: "no readable cross-reference table or page tree".into(),
        },
    })?;
    let budget = Budget::new(MAX_DECODED_BYTES);
    let mut fonts = Fonts::default();
    let mut out = PdfText::default();
    let pages = pdf.pages();
    let mut texts: Vec<PageText> = Vec::with_capacity(pages.len().min(MAX_PAGES));
    let mut covers = Vec::with_capacity(texts.capacity());
    for page in pages.iter().take(MAX_PAGES) {
        let content = page_content(page, &mut fonts, &budget);
        texts.push(page_text(&content));
        covers.push(content.covers);
    }
    if ocr != OcrMode::Never {
        ocr_pages(path, &pdf, ocr, &covers, &budget, &mut texts, &mut out)?;
    }
    if pages.len() > MAX_PAGES {
        out.diagnostics.push(Diagnostic::new(
            Severity::Error,
            "pdf-too-many-pages",
            format!(
                "{} pages; only the first {MAX_PAGES} were read",
                pages.len()
            ),
            None,
        ));
    }
    remove_running_headers(&mut texts);
    assemble(texts, &mut out);
    if !out.pages.is_empty() && out.pages.iter().all(|p| p.range.is_empty()) {
        let scans = out
            .pages
            .iter()
            .filter(|p| p.method == PageMethod::NeedsOcr)
            .count();
        return Err(Error::Unsupported {
            path: path.to_path_buf(),
            what: format!(
                "a PDF without a usable text layer ({scans} of {} pages need OCR{})",
                out.pages.len(),
                if ocr == OcrMode::Never {
                    ", which is off: run with --ocr auto"
                } else {
                    " and have no single page image to give it"
                }
            ),
        });
    }
    if out.pages.is_empty() {
        return Err(Error::Corrupt {
            path: path.to_path_buf(),
            format: "pdf",
            reason: "no pages".into(),
        });
    }
    Ok(out)
}

/// OCRs the pages `mode` asks for, in parallel (`batch::par_map`), each from its page image;
/// a page without a single page image is reported as needing rasterisation. Missing
/// tesseract is an error naming the file and what to install.
fn ocr_pages(
    path: &Path,
    pdf: &Pdf,
    mode: OcrMode,
    covers: &[Vec<hayro_syntax::object::ObjectIdentifier>],
    budget: &Budget,
    texts: &mut [PageText],
    out: &mut PdfText,
) -> Result<()> {
    let mut jobs = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let wanted = match mode {
            OcrMode::Never => false,
            OcrMode::Auto => text.method == PageMethod::NeedsOcr,
            OcrMode::Always => true,
        };
        if !wanted {
            continue;
        }
        let image = match covers[i].as_slice() {
            [id] => pdf
                .xref()
                .get::<Stream<'_>>(*id)
                .ok_or_else(|| "an image object that cannot be read".to_string())
                .and_then(|s| ocr::page_image(&s, budget)),
            [] => Err("no image covers the page".into()),
            many => Err(format!("{} images cover the page", many.len())),
        };
        match image {
            Ok(image) => jobs.push((i, image)),
            Err(what) if mode == OcrMode::Always && text.method != PageMethod::NeedsOcr => {
                // Its layer stays; OCR was only asked for, not needed.
                out.diagnostics.push(Diagnostic::new(
                    Severity::Note,
                    "pdf-ocr-skipped",
                    format!("page {}: not OCRed ({what}); its text layer kept", i + 1),
                    None,
                ));
            }
            Err(what) => out.diagnostics.push(page_note(
                i + 1,
                "pdf-needs-rasterisation",
                &format!("{what}: it must be rasterised for OCR, which vanban cannot do yet"),
            )),
        }
    }
    let results = crate::batch::par_map(jobs, |(i, image)| (i, ocr::recognise(i + 1, &image)));
    for (i, result) in results {
        match result {
            Ok(page) => {
                let text = &mut texts[i];
                if text.method != PageMethod::NeedsOcr {
                    // `always` over a layer: the layer's lines are kept aside.
                    text.furniture.append(&mut text.lines);
                }
                text.lines = page.lines;
                text.method = PageMethod::Ocr {
                    confidence: page.confidence,
                };
                out.diagnostics.extend(page.diagnostics);
            }
            Err(ocr::OcrFailure::Missing(what)) => {
                return Err(Error::Unsupported {
                    path: path.to_path_buf(),
                    what: format!(
                        "a PDF with {} pages that need OCR, and {what}: {}",
                        texts
                            .iter()
                            .filter(|t| t.method == PageMethod::NeedsOcr)
                            .count(),
                        ocr::INSTALL
                    ),
                });
            }
            Err(ocr::OcrFailure::TimedOut) => out.diagnostics.push(page_note(
                i + 1,
                "pdf-ocr-failed",
                &format!(
                    "tesseract ran over {} s and was stopped",
                    ocr::PAGE_TIMEOUT.as_secs()
                ),
            )),
            Err(ocr::OcrFailure::Failed(why)) => out.diagnostics.push(page_note(
                i + 1,
                "pdf-ocr-failed",
                &format!("tesseract failed: {why}"),
            )),
        }
    }
    Ok(())
}

/// Interprets one page's content streams.
fn page_content(
    page: &hayro_syntax::page::Page<'_>,
    fonts: &mut Fonts,
    budget: &Budget,
) -> PageContent {
    let mut data = Vec::new();
    match page.raw().get::<Object<'_>>(b"Contents") {
        Some(Object::Stream(s)) => data.extend(objects::decode(&s, budget).unwrap_or_default()),
        Some(Object::Array(a)) => {
            for s in a.iter::<Stream<'_>>() {
                data.extend(objects::decode(&s, budget).unwrap_or_default());
                data.push(b'\n');
            }
        }
        _ => {}
    }
    let base = page.initial_transform(true).as_coeffs().map(|v| v as f32);
    let (w, h) = page.render_dimensions();
    let resources = page.resources();
    let mut interpreter = Interpreter::new(fonts, budget, (w, h));
    interpreter.page(&data, &resources.fonts, &resources.x_objects, base);
    if let Some(annots) = page.raw().get::<hayro_syntax::object::Array<'_>>(b"Annots") {
        for annot in annots
            .iter::<hayro_syntax::object::Dict<'_>>()
            .take(MAX_ANNOTATIONS)
        {
            interpreter.annotation(&annot, base);
        }
    }
    interpreter.finish()
}

/// One page laid out and judged, before pages are joined.
#[derive(Debug, Clone)]
struct PageText {
    lines: Vec<String>,
    method: PageMethod,
    ocr: Option<OcrReason>,
    vietnamese: f32,
    repaired: usize,
    furniture: Vec<String>,
    truncated: bool,
}

static PAGE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[-–—\s]*\d{1,4}[-–—\s]*$").expect("literal regex"));
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\w.+-]+@[\w-]+\.[\w.]+").expect("literal regex"));
static UTC_OFFSET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[+-]\d{2}:?\d{2}$").expect("literal regex"));
static SIGNED_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d{1,2}[./]\d{1,2}[./]\d{4}\s+\d{1,2}:\d{2}(:\d{2})?(\s*[+-]\d{2}:?\d{2})?")
        .expect("literal regex")
});

/// Lays a page out, takes out its furniture and judges its layer.
fn page_text(content: &PageContent) -> PageText {
    let laid = layout::layout(content);
    let height = content.size.1.max(1.0);
    let mut lines: Vec<String> = Vec::with_capacity(laid.len());
    let mut furniture = Vec::new();
    let mut caption = false;
    let last_body = laid.len().saturating_sub(1);
    for (i, line) in laid.iter().enumerate() {
        let text = line.text.trim();
        let edge = line.y < 0.1 * height || line.y > 0.9 * height;
        let page_number = PAGE_NUMBER.is_match(text) && (edge || i == 0 || i == last_body);
        if text.starts_with("Ký bởi") || text.starts_with("Người ký") {
            caption = true;
        }
        if page_number || caption || caption_line(text) {
            furniture.push(text.to_string());
            if text.starts_with("Thời gian ký") || SIGNED_AT.is_match(text) {
                // The caption ends with its time, on this line or the next.
                caption = text.starts_with("Thời gian ký") && !SIGNED_AT.is_match(text);
            }
            continue;
        }
        lines.push(line.text.clone());
    }
    let mut text = lines.join("\n");
    let mut repaired = 0;
    repaired += repair::homoglyphs(&mut text);
    repaired += repair::gha(&mut text);
    let glyph_repairs = content
        .glyphs
        .iter()
        .filter(|g| g.origin == Origin::Repaired)
        .count();
    repaired += glyph_repairs;
    let unknown = content.unknown;
    let score = repair::score(&text);
    let (method, ocr) = judge(content, &text, score, unknown, repaired);
    let lines = if method == PageMethod::NeedsOcr || method == PageMethod::NoText {
        // What little text a scan holds (a stamp's words) is kept with the furniture.
        furniture.extend(text.lines().map(str::to_string));
        Vec::new()
    } else {
        text.lines().map(str::to_string).collect()
    };
    PageText {
        lines,
        method,
        ocr,
        vietnamese: score.rate(),
        repaired,
        furniture,
        truncated: content.truncated,
    }
}

/// A page with an image and fewer letters than this in its body is a scan: the letters are
/// a stamp's, not a text layer.
const MIN_SCAN_LAYER_LETTERS: usize = 120;

/// A line of an e-signature caption: its labelled fields, an e-mail address, a signing time.
fn caption_line(text: &str) -> bool {
    const LABELS: &[&str] = &[
        "Ký bởi",
        "Người ký",
        "Thời gian ký",
        "Cơ quan:",
        "Email:",
        "Chức vụ:",
    ];
    LABELS.iter().any(|l| text.starts_with(l))
        || (text.len() < 200
            && (EMAIL.is_match(text) || SIGNED_AT.is_match(text) && text.len() < 60))
        || UTC_OFFSET.is_match(text)
        || (text.contains(';') && SIGNED_AT.is_match(text) && text.len() < 200)
}

/// Decides how a page's text was got.
fn judge(
    content: &PageContent,
    text: &str,
    score: repair::Score,
    unknown: usize,
    repaired: usize,
) -> (PageMethod, Option<OcrReason>) {
    let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
    if letters == 0 {
        return if content.images > 0 {
            (PageMethod::NeedsOcr, Some(OcrReason::NoLayer))
        } else {
            (PageMethod::NoText, None)
        };
    }
    // A scan whose only text is a stamp or two (the e-signature appearance of a copy).
    if content.images > 0 && letters < MIN_SCAN_LAYER_LETTERS {
        return (PageMethod::NeedsOcr, Some(OcrReason::NoLayer));
    }
    let glyphs = content.glyphs.len() + unknown;
    if !score.vietnamese() || unknown * 10 > glyphs {
        return (PageMethod::NeedsOcr, Some(OcrReason::NotVietnamese));
    }
    if repaired > 0 {
        (PageMethod::RepairedLayer, None)
    } else {
        (PageMethod::Layer, None)
    }
}

/// Takes out a line that heads most pages after the first (a running header), page
/// numbers in it ignored.
fn remove_running_headers(pages: &mut [PageText]) {
    if pages.len() < 3 {
        return;
    }
    let key = |s: &str| -> String { s.chars().filter(|c| !c.is_ascii_digit()).collect() };
    let firsts: Vec<Option<String>> = pages[1..]
        .iter()
        .map(|p| p.lines.first().map(|l| key(l)))
        .collect();
    let Some(Some(candidate)) = firsts.first().cloned() else {
        return;
    };
    let same = firsts
        .iter()
        .filter(|f| f.as_deref() == Some(candidate.as_str()))
        .count();
    if candidate.trim().is_empty() || same * 2 <= firsts.len() {
        return;
    }
    for page in pages[1..].iter_mut() {
        if page.lines.first().map(|l| key(l)).as_deref() == Some(candidate.as_str()) {
            let header = page.lines.remove(0);
            page.furniture.insert(0, header);
        }
    }
}

/// Joins the pages' text and writes their accounts and diagnostics.
fn assemble(pages: Vec<PageText>, out: &mut PdfText) {
    for (i, page) in pages.into_iter().enumerate() {
        let number = i + 1;
        if !out.text.is_empty() {
            out.text.push_str("\x0C\n");
        }
        let start = out.text.len();
        for line in &page.lines {
            out.text.push_str(line);
            out.text.push('\n');
        }
        let end = out.text.len();
        match (page.method, page.ocr) {
            (PageMethod::NeedsOcr, Some(OcrReason::NoLayer)) => out.diagnostics.push(page_note(
                number,
                "pdf-needs-ocr",
                "no text layer (scan); OCR needed",
            )),
            (PageMethod::NeedsOcr, _) => out.diagnostics.push(page_note(
                number,
                "pdf-needs-ocr",
                &format!(
                    "text layer is not Vietnamese ({:.2} marked syllables a word); OCR needed",
                    page.vietnamese
                ),
            )),
            (PageMethod::NoText, _) => out.diagnostics.push(page_note(
                number,
                "pdf-no-text",
                "nothing on the page holds text",
            )),
            (PageMethod::RepairedLayer, _) => out.diagnostics.push(Diagnostic::new(
                Severity::Note,
                "pdf-repaired-layer",
                format!(
                    "page {number}: text layer repaired ({} characters)",
                    page.repaired
                ),
                None,
            )),
            (PageMethod::Layer, _) => {}
            (PageMethod::Ocr { confidence }, _) => out.diagnostics.push(Diagnostic::new(
                Severity::Note,
                "pdf-ocr",
                format!("page {number}: read by OCR, mean word confidence {confidence:.2}"),
                None,
            )),
        }
        if page.truncated {
            out.diagnostics.push(page_note(
                number,
                "pdf-page-cut",
                "page cut short (too much content, nested forms or the stream cap)",
            ));
        }
        out.pages.push(PageInfo {
            number,
            method: page.method,
            ocr: page.ocr,
            range: start..end,
            vietnamese: page.vietnamese,
            repaired: page.repaired,
            furniture: page.furniture,
        });
    }
}

fn page_note(number: usize, code: &'static str, what: &str) -> Diagnostic {
    Diagnostic::new(
        Severity::Warning,
        code,
        format!("page {number}: {what}"),
        None,
    )
}
