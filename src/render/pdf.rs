//! PDF writer: a [`Document`] → the bytes of a PDF, drawn directly (no LibreOffice), so a
//! batch of thousands takes seconds.
//!
//! The page layout ([`flow`]) mirrors the DOCX writer box for box, and lines break by the
//! metrics of the vendored Liberation Serif ([`fonts`], Times New Roman metrics), first fit
//! ([`lines`]), as LibreOffice and Word do; so the PDF breaks where LibreOffice breaks our
//! DOCX. Each face used is embedded as a subset (`subsetter`), written as a CID font with
//! a `ToUnicode` map, so `pdftotext` returns the document's text exactly. Text is NFC
//! before it is drawn: Liberation Serif has a precomposed glyph for every Vietnamese
//! letter, so no mark is ever drawn on its own.
//!
//! Pure: no IO, no clock. The creation date comes from [`RenderOptions::created`] and the
//! file identifier from [`RenderOptions::document_id`] (or a hash of the content), so the
//! same input gives the same bytes.

mod flow;
mod fonts;
mod lines;
mod strip;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Date, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use self::flow::{Item, Page};
use self::fonts::Face;
use super::RenderOptions;
use crate::Result;
use crate::document::Document;

/// Renders `doc` as PDF bytes (A4 or the layout's page size; Liberation Serif subsets).
pub fn pdf(doc: &Document, opts: &RenderOptions) -> Result<Vec<u8>> {
    let pages = flow::layout(doc);
    Ok(write(&pages, doc, opts))
}

/// Compression level of streams. zlib-rs at level 1 is three times faster than at 6 and
/// the ke-hoach fixture's PDF grows only from 37 to 43 KB (the budget is 60).
const LEVEL: u8 = 1;

/// A zlib compressor reused for every stream of a PDF (zlib-rs through flate2).
struct Deflater(flate2::Compress);

impl Deflater {
    fn new() -> Deflater {
        Deflater(flate2::Compress::new(
            flate2::Compression::new(u32::from(LEVEL)),
            true,
        ))
    }

    fn zlib(&mut self, input: &[u8]) -> Vec<u8> {
        self.0.reset();
        let mut out = Vec::with_capacity(input.len() / 2 + 64);
        loop {
            let before = self.0.total_in() as usize;
            let status = self.0.compress_vec(
                &input[before.min(input.len())..],
                &mut out,
                flate2::FlushCompress::Finish,
            );
            match status {
                Ok(flate2::Status::StreamEnd) => return out,
                Ok(_) => out.reserve(out.capacity().max(64)),
                // Only on a bug in the compressor: store the data uncompressed instead.
                Err(_) => return zlib_once(input),
            }
        }
    }
}

/// One-shot compression with a fresh compressor, should the reused one ever fail.
fn zlib_once(input: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(1));
    match e.write_all(input) {
        Ok(()) => e.finish().unwrap_or_default(),
        Err(_) => Vec::new(),
    }
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

/// A PDF date from W3CDTF text (`2021-01-14T08:30:00Z`); missing parts are left out.
fn pdf_date(s: &str) -> Option<Date> {
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|t| t.parse::<u8>().ok());
    let year = s.get(0..4)?.parse::<u16>().ok()?;
    let mut d = Date::new(year);
    if let Some(m) = num(5..7) {
        d = d.month(m);
        if let Some(day) = num(8..10) {
            d = d.day(day);
            if let (Some(h), Some(min)) = (num(11..13), num(14..16)) {
                d = d.hour(h).minute(min);
                if let Some(sec) = num(17..19) {
                    d = d.second(sec);
                }
                if s.ends_with('Z') {
                    d = d.utc_offset_hour(0).utc_offset_minute(0);
                }
            }
        }
    }
    Some(d)
}

struct FontRefs {
    face: Face,
    font: Ref,
    /// Original glyph id → glyph id (= CID) in the embedded font, indexed by the former.
    map: Vec<u16>,
    /// Codes are one byte (a face with at most 256 glyphs, the usual case) rather than
    /// two: the content streams shrink to a quarter.
    one_byte: bool,
}

/// An embedded CMap from one-byte codes to the same CIDs (`<00>`-`<FF>` → 0-255).
const ONE_BYTE_CMAP: &[u8] = b"%!PS-Adobe-3.0 Resource-CMap
/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo 3 dict dup begin
/Registry (Adobe) def
/Ordering (Identity) def
/Supplement 0 def
end def
/CMapName /Vanban-OneByte def
/CMapType 1 def
1 begincodespacerange
<00> <FF>
endcodespacerange
1 begincidrange
<00> <FF> 0
endcidrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
";

fn write(pages: &[Page], doc: &Document, opts: &RenderOptions) -> Vec<u8> {
    let page_w = doc.layout.page.width as f32 / 20.0;
    let page_h = doc.layout.page.height as f32 / 20.0;

    // Glyphs used per face, indexed by glyph id: the character each stands for, or NUL.
    let mut used: [Vec<char>; 4] = Default::default();
    for page in pages {
        for item in &page.items {
            if let Item::Text(line) = item {
                for g in &line.glyphs {
                    let chars = &mut used[g.face.index()];
                    if chars.is_empty() {
                        chars.resize(g.face.metrics().num_glyphs.max(1), '\0');
                    }
                    if let Some(c) = chars.get_mut(usize::from(g.gid))
                        && *c == '\0'
                    {
                        *c = g.ch;
                    }
                }
            }
        }
    }

    let mut z = Deflater::new();
    let mut pdf = Pdf::with_capacity(64 * 1024);
    let mut one_byte_cmap: Option<Ref> = None;
    let mut next = Ref::new(1);
    let catalog_id = next.bump();
    let tree_id = next.bump();
    let info_id = next.bump();
    let mut hash_parts: Vec<Vec<u8>> = Vec::new();

    // Fonts: Type0 → CIDFontType2 → descriptor → subset program, plus ToUnicode.
    let mut fonts: Vec<Option<FontRefs>> = vec![None, None, None, None];
    for face in Face::ALL {
        let chars: Vec<(u16, char)> = used[face.index()]
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != '\0')
            .map(|(g, c)| (g as u16, *c))
            .collect();
        if chars.is_empty() {
            continue;
        }
        let gids: Vec<u16> = chars.iter().map(|(g, _)| *g).collect();
        let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&gids);
        let (program, pairs): (Vec<u8>, Vec<(u16, u16)>) =
            match subsetter::subset(face.data(), 0, &remapper) {
                Ok(bytes) => (
                    strip::unhinted(&bytes).unwrap_or(bytes),
                    gids.iter()
                        .map(|g| (*g, remapper.get(*g).unwrap_or(0)))
                        .collect(),
                ),
                // Never expected with the vendored fonts; the whole font still works.
                Err(_) => (
                    face.data().to_vec(),
                    gids.iter().map(|g| (*g, *g)).collect(),
                ),
            };
        let mut map = vec![0u16; used[face.index()].len()];
        for (old, new) in &pairs {
            map[usize::from(*old)] = *new;
        }
        let tag_hash = hash(&[face.postscript_name().as_bytes(), &program]);
        let tag: String = (0..6)
            .map(|i| char::from(b'A' + ((tag_hash >> (i * 5)) % 26) as u8))
            .collect();
        let name = format!("{tag}+{}", face.postscript_name());
        let m = face.metrics();
        let per_mille = |v: f32| v * 1000.0 / m.units_per_em;

        let font = next.bump();
        let cid = next.bump();
        let descriptor = next.bump();
        let file = next.bump();
        let cmap_id = next.bump();
        let one_byte = pairs.iter().all(|(_, cid)| *cid <= 0xFF);
        let mut type0 = pdf.type0_font(font);
        type0
            .base_font(Name(name.as_bytes()))
            .descendant_font(cid)
            .to_unicode(cmap_id);
        if one_byte {
            let id = *one_byte_cmap.get_or_insert_with(|| next.bump());
            type0.encoding_cmap(id);
        } else {
            type0.encoding_predefined(Name(b"Identity-H"));
        }
        type0.finish();
        let mut cid_font = pdf.cid_font(cid);
        cid_font
            .subtype(CidFontType::Type2)
            .base_font(Name(name.as_bytes()))
            .system_info(SystemInfo {
                registry: Str(b"Adobe"),
                ordering: Str(b"Identity"),
                supplement: 0,
            })
            .font_descriptor(descriptor)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        {
            let mut widths = cid_font.widths();
            for (old, new) in &pairs {
                widths.consecutive(*new, [per_mille(f32::from(m.advance(*old))).round()]);
            }
        }
        cid_font.finish();
        let mut flags = FontFlags::SERIF | FontFlags::NON_SYMBOLIC;
        if matches!(face, Face::Italic | Face::BoldItalic) {
            flags |= FontFlags::ITALIC;
        }
        let [x0, y0, x1, y1] = m.bbox.map(|v| per_mille(f32::from(v)).round());
        pdf.font_descriptor(descriptor)
            .name(Name(name.as_bytes()))
            .flags(flags)
            .bbox(Rect::new(x0, y0, x1, y1))
            .italic_angle(m.italic_angle)
            .ascent((m.ascent * 1000.0).round())
            .descent((-m.descent * 1000.0).round())
            .cap_height(per_mille(f32::from(m.cap_height)).round())
            .stem_v(if matches!(face, Face::Bold | Face::BoldItalic) {
                140.0
            } else {
                80.0
            })
            .font_file2(file);
        let compressed = z.zlib(&program);
        pdf.stream(file, &compressed)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), program.len() as i32);
        let info = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"UCS"),
            supplement: 0,
        };
        let cmap = if one_byte {
            let mut cmap = UnicodeCmap::<u8>::new(Name(b"Custom"), info);
            for ((_, new), (_, ch)) in pairs.iter().zip(&chars) {
                cmap.pair(*new as u8, *ch);
            }
            z.zlib(&cmap.finish())
        } else {
            let mut cmap = UnicodeCmap::new(Name(b"Custom"), info);
            for ((_, new), (_, ch)) in pairs.iter().zip(&chars) {
                cmap.pair(*new, *ch);
            }
            z.zlib(&cmap.finish())
        };
        pdf.cmap(cmap_id, &cmap).filter(Filter::FlateDecode);
        hash_parts.push(compressed);
        fonts[face.index()] = Some(FontRefs {
            face,
            font,
            map,
            one_byte,
        });
    }

    if let Some(id) = one_byte_cmap {
        pdf.cmap(id, ONE_BYTE_CMAP)
            .name(Name(b"Vanban-OneByte"))
            .system_info(SystemInfo {
                registry: Str(b"Adobe"),
                ordering: Str(b"Identity"),
                supplement: 0,
            });
    }

    // Pages.
    let mut page_ids = Vec::with_capacity(pages.len());
    for page in pages {
        let page_id = next.bump();
        let content_id = next.bump();
        page_ids.push(page_id);
        let content = z.zlib(&page_content(page, page_h, &fonts));
        pdf.stream(content_id, &content).filter(Filter::FlateDecode);
        let mut p = pdf.page(page_id);
        p.media_box(Rect::new(0.0, 0.0, page_w, page_h))
            .parent(tree_id)
            .contents(content_id);
        let mut res = p.resources();
        let mut dict = res.fonts();
        for f in fonts.iter().flatten() {
            dict.pair(font_key(f.face).as_name(), f.font);
        }
        dict.finish();
        res.finish();
        p.finish();
        hash_parts.push(content);
    }
    pdf.pages(tree_id)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    pdf.catalog(catalog_id).pages(tree_id).lang(TextStr("vi"));

    let title = if doc.subject.is_empty() {
        doc.kind.clone()
    } else {
        format!("{} {}", doc.kind, doc.subject)
    };
    let mut info = pdf.document_info(info_id);
    info.title(TextStr(&title)).producer(TextStr("vanban"));
    if let Some(date) = pdf_date(&opts.created) {
        info.creation_date(date).modified_date(date);
    }
    info.finish();

    let id = match &opts.document_id {
        Some(id) => id.as_bytes().to_vec(),
        None => {
            let parts: Vec<&[u8]> = hash_parts.iter().map(Vec::as_slice).collect();
            format!("{:032x}", hash(&parts)).into_bytes()
        }
    };
    pdf.set_file_id((id.clone(), id));
    pdf.finish()
}

/// Resource name of a face's font: `/F0` … `/F3`.
struct FontKey([u8; 2]);

impl FontKey {
    fn as_name(&self) -> Name<'_> {
        Name(&self.0)
    }
}

fn font_key(face: Face) -> FontKey {
    FontKey([b'F', b'0' + face.index() as u8])
}

/// `v` to two decimals: a hundredth of a point is far below what a printer shows.
fn round(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// The content stream of one page: strokes first, then all text in reading order.
fn page_content(page: &Page, page_h: f32, fonts: &[Option<FontRefs>]) -> Vec<u8> {
    let mut c = Content::new();
    let mut width = -1.0;
    for item in &page.items {
        if let Item::Stroke(s) = item {
            if s.width != width {
                if width >= 0.0 {
                    c.stroke();
                }
                c.set_line_width(s.width);
                width = s.width;
            }
            c.move_to(round(s.x1), round(page_h - s.y1));
            c.line_to(round(s.x2), round(page_h - s.y2));
        }
    }
    if width >= 0.0 {
        c.stroke();
    }
    c.begin_text();
    let mut current: Option<(Face, f32)> = None;
    let mut buf: Vec<u8> = Vec::with_capacity(256);
    for item in &page.items {
        let Item::Text(line) = item else { continue };
        let mut x = line.x;
        let y = page_h - line.baseline;
        let mut i = 0;
        let glyphs = &line.glyphs;
        while i < glyphs.len() {
            let (face, size) = (glyphs[i].face, glyphs[i].size);
            let mut j = i;
            while j < glyphs.len() && glyphs[j].face == face && glyphs[j].size == size {
                j += 1;
            }
            if current != Some((face, size)) {
                c.set_font(font_key(face).as_name(), size);
                current = Some((face, size));
            }
            c.set_text_matrix([1.0, 0.0, 0.0, 1.0, round(x), round(y)]);
            let font = fonts[face.index()].as_ref();
            let map = font.map(|f| &f.map);
            let one_byte = font.is_some_and(|f| f.one_byte);
            let adjust = round(-line.word_extra * 1000.0 / size);
            let mut show = c.show_positioned();
            let mut items = show.items();
            buf.clear();
            for g in &glyphs[i..j] {
                let cid = map
                    .and_then(|m| m.get(usize::from(g.gid)))
                    .copied()
                    .unwrap_or(0);
                if one_byte {
                    buf.push(cid as u8);
                } else {
                    buf.extend_from_slice(&cid.to_be_bytes());
                }
                x += g.width;
                if g.is_space() && line.word_extra != 0.0 {
                    items.show(Str(&buf));
                    items.adjust(adjust);
                    buf.clear();
                    x += line.word_extra;
                }
            }
            if !buf.is_empty() {
                items.show(Str(&buf));
            }
            items.finish();
            show.finish();
            i = j;
        }
    }
    c.end_text();
    c.finish().into_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_w3cdtf() {
        let mut pdf = Pdf::new();
        let d = pdf_date("2021-01-14T08:30:05Z").unwrap();
        pdf.document_info(Ref::new(1)).creation_date(d);
        let bytes = pdf.finish();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("(D:20210114083005Z"), "{text}");
        assert!(pdf_date("bad").is_none());
    }
}
