//! The page phase: each page's content stream and page object, then the page tree.

use pdf_writer::{Content, Filter, Finish, Rect, Ref, Str};

use super::Writer;
use super::flow::{Item, Page};
use super::font::{FontRefs, Fonts, font_key};
use super::lines::Glyph;
use crate::document;
use crate::document::fonts::Face;

/// Writes every page (its content stream, then the page object naming every embedded
/// font), then the page tree `tree`.
pub(super) fn write_pages(
    w: &mut Writer,
    pages: &[Page],
    paper: &document::Page,
    tree: Ref,
    fonts: &Fonts,
) {
    let page_w = paper.width as f32 / 20.0;
    let page_h = paper.height as f32 / 20.0;
    let mut page_ids = Vec::with_capacity(pages.len());
    for page in pages {
        let page_id = w.bump();
        let content_id = w.bump();
        page_ids.push(page_id);
        let content = w.deflate.zlib(&page_content(page, page_h, fonts));
        w.pdf
            .stream(content_id, &content)
            .filter(Filter::FlateDecode);
        let mut p = w.pdf.page(page_id);
        p.media_box(Rect::new(0.0, 0.0, page_w, page_h))
            .parent(tree)
            .contents(content_id);
        let mut res = p.resources();
        let mut dict = res.fonts();
        for f in fonts.iter().flatten() {
            dict.pair(font_key(f.face).as_name(), f.font);
        }
        dict.finish();
        res.finish();
        p.finish();
        w.hashed.push(content);
    }
    w.pdf
        .pages(tree)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
}

/// `v` to two decimals: a hundredth of a point is far below what a printer shows.
fn round(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// The content stream of one page: strokes first, then all text in reading order.
fn page_content(page: &Page, page_h: f32, fonts: &Fonts) -> Vec<u8> {
    let mut c = Content::new();
    draw_fills(&mut c, page, page_h);
    draw_strokes(&mut c, page, page_h);
    draw_text(&mut c, page, page_h, fonts);
    c.finish().into_vec()
}

/// The page's filled rectangles (a chart's bars) as one grey path, colour restored after.
fn draw_fills(c: &mut Content, page: &Page, page_h: f32) {
    let mut fills = page.items.iter().filter_map(|item| match item {
        Item::Fill(f) => Some(f),
        _ => None,
    });
    let Some(first) = fills.next() else {
        return;
    };
    c.save_state();
    c.set_fill_gray(0.45);
    for f in std::iter::once(first).chain(fills) {
        c.rect(
            round(f.x),
            round(page_h - f.y - f.height),
            round(f.width),
            round(f.height),
        );
    }
    c.fill_nonzero();
    c.restore_state();
}

/// The page's strokes as one path per line width.
fn draw_strokes(c: &mut Content, page: &Page, page_h: f32) {
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
}

/// The page's lines in one text object, a font change only where the face or size does.
fn draw_text(c: &mut Content, page: &Page, page_h: f32, fonts: &Fonts) {
    c.begin_text();
    let mut current: Option<(Face, f32)> = None;
    let mut buf: Vec<u8> = Vec::with_capacity(256);
    for item in &page.items {
        let Item::Text(line) = item else { continue };
        let mut x = line.x;
        let y = page_h - line.baseline;
        let glyphs = &line.glyphs;
        let mut i = 0;
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
            x = show_run(c, &glyphs[i..j], x, line.word_extra, font, &mut buf);
            i = j;
        }
    }
    c.end_text();
}

/// Shows `run` (one face and size) starting at `x`, every space widened by `word_extra`;
/// returns where the run ends. `buf` is scratch space for the codes.
fn show_run(
    c: &mut Content,
    run: &[Glyph],
    mut x: f32,
    word_extra: f32,
    font: Option<&FontRefs>,
    buf: &mut Vec<u8>,
) -> f32 {
    let Some(size) = run.first().map(|g| g.size) else {
        return x;
    };
    let map = font.map(|f| &f.map);
    let one_byte = font.is_some_and(|f| f.one_byte);
    let adjust = round(-word_extra * 1000.0 / size);
    let mut show = c.show_positioned();
    let mut items = show.items();
    buf.clear();
    for g in run {
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
        if g.is_space() && word_extra != 0.0 {
            items.show(Str(buf));
            items.adjust(adjust);
            buf.clear();
            x += word_extra;
        }
    }
    if !buf.is_empty() {
        items.show(Str(buf));
    }
    items.finish();
    show.finish();
    x
}
