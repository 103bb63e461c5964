//! PDF writer: a [`Document`] → the bytes of a PDF, drawn directly (no LibreOffice), so a
//! batch of thousands takes seconds.
//!
//! The page layout ([`flow`]) draws the document's frame as the DOCX writer does, and lines
//! break by the metrics of the vendored Liberation Serif (`document::fonts`, Times New
//! Roman metrics), first fit ([`lines`]), as LibreOffice and Word do; so the PDF breaks where LibreOffice breaks our
//! DOCX. Each face used is embedded as a subset (`subsetter`), written as a CID font with
//! a `ToUnicode` map, so `pdftotext` returns the document's text exactly. Text is NFC
//! before it is drawn: Liberation Serif has a precomposed glyph for every Vietnamese
//! letter, so no mark is ever drawn on its own.
//!
//! The file is written in phases, each in its own module, in the order of the objects:
//! the fonts ([`font::write_fonts`]), the pages and their tree ([`page::write_pages`]),
//! then the catalog, the document information and the file identifier
//! ([`catalog::write_catalog`]). [`Writer`] carries what they share: the objects written
//! so far, the next free object number and the stream compressor.
//!
//! Pure: no IO, no clock. The creation date comes from [`RenderOptions::created`] and the
//! file identifier from [`RenderOptions::document_id`] (or a hash of the content), so the
//! same input gives the same bytes.

mod catalog;
mod deflate;
mod flow;
mod font;
mod lines;
mod page;
mod strip;

use pdf_writer::{Pdf, Ref};

use self::deflate::Deflater;
use self::flow::Page;
use super::RenderOptions;
use crate::Result;
use crate::document::Document;

/// Renders `doc` as PDF bytes (A4 or the layout's page size; Liberation Serif subsets).
pub fn pdf(doc: &Document, opts: &RenderOptions) -> Result<Vec<u8>> {
    let pages = flow::layout(doc);
    Ok(write(&pages, doc, opts))
}

/// What the writing phases share.
struct Writer {
    /// The objects written so far.
    pdf: Pdf,
    /// The next free object number.
    next: Ref,
    /// The compressor of every stream.
    deflate: Deflater,
    /// The compressed font programs and page contents, in writing order: what the file
    /// identifier is a hash of when the options give none.
    hashed: Vec<Vec<u8>>,
}

impl Writer {
    /// A fresh object number.
    fn bump(&mut self) -> Ref {
        self.next.bump()
    }
}

/// Writes the laid-out `pages` of `doc`: fonts, pages, catalog, in that order.
fn write(pages: &[Page], doc: &Document, opts: &RenderOptions) -> Vec<u8> {
    let mut w = Writer {
        pdf: Pdf::with_capacity(64 * 1024),
        next: Ref::new(1),
        deflate: Deflater::new(),
        hashed: Vec::new(),
    };
    let catalog = catalog::Refs {
        catalog: w.bump(),
        page_tree: w.bump(),
        info: w.bump(),
    };
    let fonts = font::write_fonts(&mut w, &font::used_glyphs(pages));
    page::write_pages(&mut w, pages, &doc.layout.page, catalog.page_tree, &fonts);
    catalog::write_catalog(w, &catalog, doc, opts)
}

/// A stable 128-bit hash (two multiply-rotate lanes over 8-byte words) for the file
/// identifier and subset tags: fast, and the same on every platform and release.
fn hash(parts: &[&[u8]]) -> u128 {
    let (mut a, mut b) = (0x9E37_79B9_7F4A_7C15u64, 0xC2B2_AE3D_27D4_EB4Fu64);
    let mut mix = |w: u64| {
        a = (a ^ w).wrapping_mul(0x0000_0100_0000_01B3).rotate_left(29);
        b = (b ^ w.rotate_left(17))
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(31);
    };
    for part in parts {
        let mut chunks = part.chunks_exact(8);
        for c in &mut chunks {
            mix(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        let mut last = [0u8; 8];
        last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        mix(u64::from_le_bytes(last) ^ (part.len() as u64) << 56);
    }
    (u128::from(a) << 64) | u128::from(b)
}
