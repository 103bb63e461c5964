//! The four vendored Liberation Serif faces (OFL-1.1, Times New Roman metrics): glyph ids,
//! advance widths and the vertical metrics LibreOffice lays lines out with. The one source
//! of text widths: the layout step measures the rules under the header with them
//! ([`width`]), the PDF writer breaks lines by them and embeds subsets of these faces.

use std::sync::LazyLock;

use super::TextStyle;

/// One of the four faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Face {
    Regular = 0,
    Bold = 1,
    Italic = 2,
    BoldItalic = 3,
}

impl Face {
    pub(crate) const ALL: [Face; 4] = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic];

    pub(crate) fn of(bold: bool, italic: bool) -> Face {
        match (bold, italic) {
            (false, false) => Face::Regular,
            (true, false) => Face::Bold,
            (false, true) => Face::Italic,
            (true, true) => Face::BoldItalic,
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    pub(crate) fn data(self) -> &'static [u8] {
        match self {
            Face::Regular => include_bytes!("../../fonts/LiberationSerif-Regular.ttf"),
            Face::Bold => include_bytes!("../../fonts/LiberationSerif-Bold.ttf"),
            Face::Italic => include_bytes!("../../fonts/LiberationSerif-Italic.ttf"),
            Face::BoldItalic => include_bytes!("../../fonts/LiberationSerif-BoldItalic.ttf"),
        }
    }

    /// PostScript name, as in the font's `name` table.
    pub(crate) fn postscript_name(self) -> &'static str {
        match self {
            Face::Regular => "LiberationSerif",
            Face::Bold => "LiberationSerif-Bold",
            Face::Italic => "LiberationSerif-Italic",
            Face::BoldItalic => "LiberationSerif-BoldItalic",
        }
    }

    pub(crate) fn metrics(self) -> &'static Metrics {
        &METRICS[self.index()]
    }
}

/// Characters below this get their glyph and advance from a table built once.
const TABLE_END: u32 = 0x2200;

/// Metrics of one face, in font units unless said otherwise.
pub(crate) struct Metrics {
    pub(crate) units_per_em: f32,
    /// hhea ascender, descender (positive) and line gap, in em.
    pub(crate) ascent: f32,
    pub(crate) descent: f32,
    pub(crate) line_gap: f32,
    pub(crate) bbox: [i16; 4],
    pub(crate) italic_angle: f32,
    pub(crate) cap_height: i16,
    /// Number of glyphs in the font.
    pub(crate) num_glyphs: usize,
    face: ttf_parser::Face<'static>,
    /// (glyph id, advance) for every char below [`TABLE_END`]; glyph 0 when missing.
    table: Vec<(u16, u16)>,
}

impl Metrics {
    fn load(face: Face) -> Metrics {
        // The fonts are part of the binary; a test forces this for every face.
        let f = ttf_parser::Face::parse(face.data(), 0).expect("vendored font parses");
        let upem = f32::from(f.units_per_em());
        let advance = |g: ttf_parser::GlyphId| f.glyph_hor_advance(g).unwrap_or(0);
        let table = (0..TABLE_END)
            .map(|c| {
                char::from_u32(c)
                    .and_then(|c| f.glyph_index(c))
                    .map_or((0, 0), |g| (g.0, advance(g)))
            })
            .collect();
        let bb = f.global_bounding_box();
        Metrics {
            units_per_em: upem,
            ascent: f32::from(f.ascender()) / upem,
            descent: -f32::from(f.descender()) / upem,
            line_gap: f32::from(f.line_gap()) / upem,
            bbox: [bb.x_min, bb.y_min, bb.x_max, bb.y_max],
            italic_angle: f.italic_angle(),
            cap_height: f.capital_height().unwrap_or(1341),
            num_glyphs: usize::from(f.number_of_glyphs()),
            table,
            face: f,
        }
    }

    /// Glyph id and advance (font units) of `c`; glyph 0 (.notdef) when the font lacks it.
    pub(crate) fn glyph(&self, c: char) -> (u16, u16) {
        if let Some(g) = self.table.get(c as usize) {
            return *g;
        }
        match self.face.glyph_index(c) {
            Some(g) => (g.0, self.face.glyph_hor_advance(g).unwrap_or(0)),
            None => (
                0,
                self.face
                    .glyph_hor_advance(ttf_parser::GlyphId(0))
                    .unwrap_or(0),
            ),
        }
    }

    /// Advance of glyph `gid` in font units.
    pub(crate) fn advance(&self, gid: u16) -> u16 {
        self.face
            .glyph_hor_advance(ttf_parser::GlyphId(gid))
            .unwrap_or(0)
    }

    /// Height of one single-spaced line at `size` points, as LibreOffice computes it
    /// (ascent + descent + line gap).
    pub(crate) fn line_height(&self, size: f32) -> f32 {
        (self.ascent + self.descent + self.line_gap) * size
    }
}

static METRICS: LazyLock<[Metrics; 4]> = LazyLock::new(|| Face::ALL.map(Metrics::load));

/// Width of `text` on one line in `style`, in whole twips (rounded down): the sum of its
/// characters' advances in the face of the style.
pub(crate) fn width(text: &str, style: TextStyle) -> u32 {
    let m = Face::of(style.bold, style.italic).metrics();
    let units: u64 = text.chars().map(|c| u64::from(m.glyph(c).1)).sum();
    // units / units_per_em × (size / 2) pt × 20 twips/pt
    let twips = units * u64::from(style.size) * 10 / m.units_per_em as u64;
    u32::try_from(twips).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_face_loads_and_has_every_vietnamese_letter() {
        let letters = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵÀẢÃÁẠẰẲẴẮẶẦẨẪẤẬÈẺẼÉẸỀỂỄẾỆÌỈĨÍỊÒỎÕÓỌỒỔỖỐỘỜỞỠỚỢÙỦŨÚỤỪỬỮỨỰỲỶỸÝỴ“”–…";
        for face in Face::ALL {
            let m = face.metrics();
            assert_eq!(m.units_per_em, 2048.0);
            for c in letters.chars() {
                let (gid, adv) = m.glyph(c);
                assert!(gid != 0 && adv > 0, "{face:?} lacks {c}");
            }
        }
        // Times metrics: a = 444/1000 em regular, space 250/1000.
        let m = Face::Regular.metrics();
        assert_eq!((f32::from(m.glyph('a').1) / 2.048).round(), 444.0);
        assert_eq!((f32::from(m.glyph(' ').1) / 2.048).round(), 250.0);
        assert!((m.line_height(14.0) - 16.1).abs() < 0.05);
    }

    fn style(size: u32, bold: bool) -> TextStyle {
        TextStyle {
            size,
            bold,
            italic: false,
            caps: false,
        }
    }

    #[test]
    fn widths_follow_times_metrics() {
        // "W" bold 1000/1000 em at 14 pt = 14 pt = 280 twips.
        assert_eq!(width("W", style(28, true)), 280);
        // "a" 444/1000 em at 14 pt: 124.3 twips.
        assert_eq!(width("a", style(28, false)), 124);
        // A letter with a tone mark is as wide as its base letter.
        assert_eq!(width("Ộ", style(26, true)), width("O", style(26, true)));
        let motto = width("Độc lập - Tự do - Hạnh phúc", style(28, true));
        assert_eq!(motto, 3427);
    }

    /// The Times table this replaced gave `ư ơ` a flat 60/1000 em over `u o`, their toned
    /// forms nothing, and every non-ASCII punctuation mark the width of `n`.
    #[test]
    fn horned_letters_and_quotes_are_measured_by_the_font() {
        let bold = style(28, true);
        for c in ["Ư", "Ừ", "ư", "ự", "Ơ", "ợ", "“", "…"] {
            let (_, advance) = Face::Bold.metrics().glyph(c.chars().next().unwrap());
            assert_eq!(width(c, bold), u32::from(advance) * 280 / 2048, "{c}");
        }
        assert!(width("ừ", bold) > width("u", bold));
        assert_eq!(width("ừ", bold), width("ư", bold));
        assert_eq!(width("…", bold), width("W", bold));
    }
}
