//! The font phase: each face the pages use, embedded as a subset. A face is a Type0 font
//! over a `CIDFontType2` font, its descriptor and program, and a `ToUnicode` map; when
//! the subset has at most 256 glyphs its codes are one byte through a shared embedded
//! CMap, which shrinks the content streams to a quarter.

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Rect, Ref, Str};

use super::flow::{Item, Page};
use super::{Writer, hash, strip};
use crate::document::fonts::{Face, Metrics};

/// Per face, indexed by glyph id: the character each used glyph stands for, or NUL.
pub(super) type Used = [Vec<char>; 4];

/// An embedded face, as the pages refer to it.
pub(super) struct FontRefs {
    pub(super) face: Face,
    /// The Type0 font object.
    pub(super) font: Ref,
    /// Original glyph id → glyph id (= CID) in the embedded font, indexed by the former.
    pub(super) map: Vec<u16>,
    /// Codes are one byte (a face with at most 256 glyphs, the usual case) rather than
    /// two.
    pub(super) one_byte: bool,
}

/// The embedded faces, indexed by [`Face::index`]; `None` for a face no page uses.
pub(super) type Fonts = [Option<FontRefs>; 4];

/// Resource name of a face's font: `/F0` … `/F3`.
pub(super) struct FontKey([u8; 2]);

impl FontKey {
    pub(super) fn as_name(&self) -> Name<'_> {
        Name(&self.0)
    }
}

pub(super) fn font_key(face: Face) -> FontKey {
    FontKey([b'F', b'0' + face.index() as u8])
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

const IDENTITY: SystemInfo<'static> = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// The glyphs the pages draw, per face, with the character each stands for.
pub(super) fn used_glyphs(pages: &[Page]) -> Used {
    let mut used = Used::default();
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
    used
}

/// Writes every face in `used`, then the one-byte CMap if a face needs it.
pub(super) fn write_fonts(w: &mut Writer, used: &Used) -> Fonts {
    let mut fonts = Fonts::default();
    let mut one_byte_cmap: Option<Ref> = None;
    for face in Face::ALL {
        let glyphs = &used[face.index()];
        let chars: Vec<(u16, char)> = glyphs
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != '\0')
            .map(|(g, c)| (g as u16, *c))
            .collect();
        if chars.is_empty() {
            continue;
        }
        fonts[face.index()] = Some(write_face(
            w,
            face,
            &chars,
            glyphs.len(),
            &mut one_byte_cmap,
        ));
    }
    if let Some(id) = one_byte_cmap {
        w.pdf
            .cmap(id, ONE_BYTE_CMAP)
            .name(Name(b"Vanban-OneByte"))
            .system_info(IDENTITY);
    }
    fonts
}

/// A face's subset: the program and, for every glyph used, its old and new id.
struct Subset {
    program: Vec<u8>,
    pairs: Vec<(u16, u16)>,
}

/// The subset of `face` holding `gids` (sorted), without hinting.
fn subset(face: Face, gids: &[u16]) -> Subset {
    let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(gids);
    match subsetter::subset(face.data(), 0, &remapper) {
        Ok(bytes) => Subset {
            program: strip::unhinted(&bytes).unwrap_or(bytes),
            pairs: gids
                .iter()
                .map(|g| (*g, remapper.get(*g).unwrap_or(0)))
                .collect(),
        },
        // Never expected with the vendored fonts; the whole font still works.
        Err(_) => Subset {
            program: face.data().to_vec(),
            pairs: gids.iter().map(|g| (*g, *g)).collect(),
        },
    }
}

/// `ABCDEF+LiberationSerif`: a tag of six capitals from a hash of the program, as the
/// PDF specification names subsets.
fn subset_name(face: Face, program: &[u8]) -> String {
    let tag_hash = hash(&[face.postscript_name().as_bytes(), program]);
    let tag: String = (0..6)
        .map(|i| char::from(b'A' + ((tag_hash >> (i * 5)) % 26) as u8))
        .collect();
    format!("{tag}+{}", face.postscript_name())
}

/// The objects of one face, numbered together.
struct FaceRefs {
    font: Ref,
    cid: Ref,
    descriptor: Ref,
    file: Ref,
    to_unicode: Ref,
}

/// Writes one face: `chars` are the glyphs used and their characters, `glyph_count` the
/// length of the map from old to new glyph ids.
fn write_face(
    w: &mut Writer,
    face: Face,
    chars: &[(u16, char)],
    glyph_count: usize,
    one_byte_cmap: &mut Option<Ref>,
) -> FontRefs {
    let gids: Vec<u16> = chars.iter().map(|(g, _)| *g).collect();
    let Subset { program, pairs } = subset(face, &gids);
    let mut map = vec![0u16; glyph_count];
    for (old, new) in &pairs {
        map[usize::from(*old)] = *new;
    }
    let name = subset_name(face, &program);
    let refs = FaceRefs {
        font: w.bump(),
        cid: w.bump(),
        descriptor: w.bump(),
        file: w.bump(),
        to_unicode: w.bump(),
    };
    let one_byte = pairs.iter().all(|(_, cid)| *cid <= 0xFF);
    let encoding = if one_byte {
        Some(*one_byte_cmap.get_or_insert_with(|| w.bump()))
    } else {
        None
    };
    write_type0(w, &refs, &name, encoding);
    write_cid_font(w, face, &refs, &name, &pairs);
    write_descriptor(w, face, &refs, &name);
    write_program(w, refs.file, &program);
    write_to_unicode(w, refs.to_unicode, &pairs, chars, one_byte);
    FontRefs {
        face,
        font: refs.font,
        map,
        one_byte,
    }
}

/// The Type0 font: its descendant, its `ToUnicode` map and its encoding, the one-byte
/// CMap `encoding` or `Identity-H`.
fn write_type0(w: &mut Writer, refs: &FaceRefs, name: &str, encoding: Option<Ref>) {
    let mut type0 = w.pdf.type0_font(refs.font);
    type0
        .base_font(Name(name.as_bytes()))
        .descendant_font(refs.cid)
        .to_unicode(refs.to_unicode);
    match encoding {
        Some(id) => type0.encoding_cmap(id),
        None => type0.encoding_predefined(Name(b"Identity-H")),
    };
    type0.finish();
}

/// `v` font units of `m` in thousandths of an em.
fn per_mille(m: &Metrics, v: f32) -> f32 {
    v * 1000.0 / m.units_per_em
}

/// The CID font, with the advance of every glyph used.
fn write_cid_font(w: &mut Writer, face: Face, refs: &FaceRefs, name: &str, pairs: &[(u16, u16)]) {
    let m = face.metrics();
    let mut cid_font = w.pdf.cid_font(refs.cid);
    cid_font
        .subtype(CidFontType::Type2)
        .base_font(Name(name.as_bytes()))
        .system_info(IDENTITY)
        .font_descriptor(refs.descriptor)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    {
        let mut widths = cid_font.widths();
        for (old, new) in pairs {
            widths.consecutive(*new, [per_mille(m, f32::from(m.advance(*old))).round()]);
        }
    }
    cid_font.finish();
}

/// The font descriptor: flags, box, angle and vertical metrics from the face.
fn write_descriptor(w: &mut Writer, face: Face, refs: &FaceRefs, name: &str) {
    let m = face.metrics();
    let mut flags = FontFlags::SERIF | FontFlags::NON_SYMBOLIC;
    if matches!(face, Face::Italic | Face::BoldItalic) {
        flags |= FontFlags::ITALIC;
    }
    let [x0, y0, x1, y1] = m.bbox.map(|v| per_mille(m, f32::from(v)).round());
    w.pdf
        .font_descriptor(refs.descriptor)
        .name(Name(name.as_bytes()))
        .flags(flags)
        .bbox(Rect::new(x0, y0, x1, y1))
        .italic_angle(m.italic_angle)
        .ascent((m.ascent * 1000.0).round())
        .descent((-m.descent * 1000.0).round())
        .cap_height(per_mille(m, f32::from(m.cap_height)).round())
        .stem_v(if matches!(face, Face::Bold | Face::BoldItalic) {
            140.0
        } else {
            80.0
        })
        .font_file2(refs.file);
}

/// The subset program, compressed; it is part of what the file identifier hashes.
fn write_program(w: &mut Writer, id: Ref, program: &[u8]) {
    let compressed = w.deflate.zlib(program);
    w.pdf
        .stream(id, &compressed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), program.len() as i32);
    w.hashed.push(compressed);
}

/// The `ToUnicode` map: every new glyph id (one or two bytes) to its character.
fn write_to_unicode(
    w: &mut Writer,
    id: Ref,
    pairs: &[(u16, u16)],
    chars: &[(u16, char)],
    one_byte: bool,
) {
    let info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"UCS"),
        supplement: 0,
    };
    let cmap = if one_byte {
        let mut cmap = UnicodeCmap::<u8>::new(Name(b"Custom"), info);
        for ((_, new), (_, ch)) in pairs.iter().zip(chars) {
            cmap.pair(*new as u8, *ch);
        }
        w.deflate.zlib(&cmap.finish())
    } else {
        let mut cmap = UnicodeCmap::new(Name(b"Custom"), info);
        for ((_, new), (_, ch)) in pairs.iter().zip(chars) {
            cmap.pair(*new, *ch);
        }
        w.deflate.zlib(&cmap.finish())
    };
    w.pdf.cmap(id, &cmap).filter(Filter::FlateDecode);
}
