//! Drops the TrueType hinting from a font subset: the `cvt `, `fpgm` and `prep` tables,
//! every glyph's instructions, and the glyph names of `post`. A PDF viewer rasterises
//! without them (LibreOffice's own subsets carry none); it makes a subset about a third
//! smaller. The outlines, metrics and the `name` table (copyright, licence) stay as they
//! are.

/// `font` without hinting, or `None` when it is not a TrueType font this understands
/// (the caller then embeds it as it is).
pub(crate) fn unhinted(font: &[u8]) -> Option<Vec<u8>> {
    let num_tables = usize::from(u16_at(font, 4)?);
    let mut tables: Vec<([u8; 4], Vec<u8>)> = Vec::with_capacity(num_tables);
    for i in 0..num_tables {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        let offset = u32_at(font, rec + 8)? as usize;
        let len = u32_at(font, rec + 12)? as usize;
        let data = font.get(offset..offset.checked_add(len)?)?.to_vec();
        if !matches!(&tag, b"cvt " | b"fpgm" | b"prep") {
            tables.push((tag, data));
        }
    }
    let find =
        |tables: &[([u8; 4], Vec<u8>)], tag: &[u8; 4]| tables.iter().position(|t| &t.0 == tag);
    let head = find(&tables, b"head")?;
    let loca = find(&tables, b"loca")?;
    let glyf = find(&tables, b"glyf")?;
    let long = i16::from_be_bytes(tables[head].1.get(50..52)?.try_into().ok()?) == 1;
    let offsets: Vec<usize> = if long {
        tables[loca]
            .1
            .chunks_exact(4)
            .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize)
            .collect()
    } else {
        tables[loca]
            .1
            .chunks_exact(2)
            .map(|c| usize::from(u16::from_be_bytes([c[0], c[1]])) * 2)
            .collect()
    };
    let old = &tables[glyf].1;
    let mut new_glyf = Vec::with_capacity(old.len());
    let mut new_loca = Vec::with_capacity(offsets.len() * 4);
    for pair in offsets.windows(2) {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        let glyph = old.get(pair[0]..pair[1])?;
        if !glyph.is_empty() {
            new_glyf.extend_from_slice(&strip_glyph(glyph)?);
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
    tables[glyf].1 = new_glyf;
    tables[loca].1 = new_loca;
    let head_data = &mut tables[head].1;
    head_data
        .get_mut(50..52)?
        .copy_from_slice(&1i16.to_be_bytes());
    head_data.get_mut(8..12)?.copy_from_slice(&[0; 4]);
    if let Some(maxp) = find(&tables, b"maxp")
        && let Some(b) = tables[maxp].1.get_mut(26..28)
    {
        b.copy_from_slice(&[0, 0]); // maxSizeOfInstructions
    }
    if let Some(post) = find(&tables, b"post") {
        let p = &mut tables[post].1;
        if p.len() >= 32 {
            p.truncate(32);
            p[0..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
        }
    }
    tables.sort_by_key(|t| t.0);
    Some(assemble(font.get(0..4)?, &tables))
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// One glyph without its instructions.
fn strip_glyph(g: &[u8]) -> Option<Vec<u8>> {
    let contours = i16::from_be_bytes(g.get(0..2)?.try_into().ok()?);
    if contours >= 0 {
        let n = usize::try_from(contours).ok()?;
        let at = 10 + 2 * n;
        let len = usize::from(u16_at(g, at)?);
        let mut out = Vec::with_capacity(g.len() - len);
        out.extend_from_slice(g.get(..at)?);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(g.get(at + 2 + len..)?);
        return Some(out);
    }
    // Composite: clear WE_HAVE_INSTRUCTIONS and cut what follows the last component.
    let mut out = g.to_vec();
    let mut at = 10;
    loop {
        let flags = u16_at(&out, at)?;
        let cleared = flags & !0x0100;
        out.get_mut(at..at + 2)?
            .copy_from_slice(&cleared.to_be_bytes());
        let mut size = 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
        size += match flags {
            f if f & 0x0008 != 0 => 2,
            f if f & 0x0040 != 0 => 4,
            f if f & 0x0080 != 0 => 8,
            _ => 0,
        };
        at += size;
        if flags & 0x0020 == 0 {
            break;
        }
    }
    out.truncate(at);
    Some(out)
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut word = [0u8; 4];
        word[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

fn assemble(version: &[u8], tables: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let n = tables.len() as u16;
    let entry_selector = 15 - n.max(1).leading_zeros() as u16;
    let search_range = (1u16 << entry_selector) * 16;
    let mut out = Vec::with_capacity(
        12 + 16 * tables.len() + tables.iter().map(|t| t.1.len() + 3).sum::<usize>(),
    );
    out.extend_from_slice(version);
    for v in [n, search_range, entry_selector, n * 16 - search_range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    for (tag, data) in tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    for (_, data) in tables {
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::fonts::Face;

    #[test]
    fn stripped_fonts_keep_outlines_and_metrics() {
        for face in Face::ALL {
            let full = face.data();
            let stripped = unhinted(full).expect("TrueType");
            assert!(stripped.len() < full.len() * 3 / 4, "{face:?}");
            let a = ttf_parser::Face::parse(full, 0).unwrap();
            let b = ttf_parser::Face::parse(&stripped, 0).expect("stripped font parses");
            assert_eq!(a.number_of_glyphs(), b.number_of_glyphs());
            for c in "Aaậ Ữ“”".chars() {
                let g = a.glyph_index(c).unwrap();
                assert_eq!(a.glyph_hor_advance(g), b.glyph_hor_advance(g));
                assert_eq!(
                    a.glyph_bounding_box(g),
                    b.glyph_bounding_box(g),
                    "{face:?} {c}"
                );
            }
        }
        assert!(unhinted(b"not a font").is_none());
    }
}
