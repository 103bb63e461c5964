//! The content-stream interpreter: text operators and the graphics state they depend on,
//! giving positioned glyphs (and the straight rules tables are drawn with) for one page.
//!
//! Coordinates are those of the displayed page: origin top left, y down, points, the page's
//! `/Rotate` and crop box applied (hayro-syntax's initial transform), so "left column" and
//! "next line" mean what a reader sees.

use std::collections::HashMap;

use hayro_syntax::content::UntypedIter;
use hayro_syntax::object::{Dict, Object, ObjectIdentifier, Stream};

use super::font::{Code, Font, Origin};
use super::objects::{self, Budget, IDENTITY, Matrix, apply, multiply, number};

/// How deep form XObjects may nest (a form drawing a form …); deeper ones are skipped.
const MAX_FORM_DEPTH: usize = 8;
/// How many q without Q are kept; more are counted but not stored.
const MAX_SAVE_DEPTH: usize = 64;
/// The most glyphs kept for one page (a bigger page is cut, and says so).
pub(crate) const MAX_GLYPHS: usize = 400_000;

/// One glyph as placed on the page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Glyph {
    /// Left edge of its advance, in points from the page's left.
    pub(crate) x0: f32,
    /// Right edge of its advance.
    pub(crate) x1: f32,
    /// Baseline, in points from the page's top.
    pub(crate) y: f32,
    /// Font size on the page (points).
    pub(crate) size: f32,
    /// Its text: a byte range into [`PageContent::text`].
    pub(crate) start: u32,
    /// End of the range.
    pub(crate) end: u32,
    /// How the text was found.
    pub(crate) origin: Origin,
    /// Drawn in rendering mode 3 or 7 (an OCR layer over a scan).
    pub(crate) invisible: bool,
    /// Runs left to right on the displayed page (not rotated text).
    pub(crate) upright: bool,
    /// Drawn by the page (0) or by its n-th annotation (n): what an e-office system
    /// stamps over the page (number, date) lies in a later layer.
    pub(crate) layer: u16,
}

/// A straight horizontal or vertical rule drawn on the page (table borders).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rule {
    /// Left or top end.
    pub(crate) x0: f32,
    /// Top end.
    pub(crate) y0: f32,
    /// Right end.
    pub(crate) x1: f32,
    /// Bottom end.
    pub(crate) y1: f32,
}

impl Rule {
    /// Whether the rule runs across (horizontal).
    pub(crate) fn horizontal(&self) -> bool {
        (self.x1 - self.x0) >= (self.y1 - self.y0)
    }
}

/// What one page draws, for the layout.
#[derive(Debug, Default)]
pub(crate) struct PageContent {
    /// The text of all glyphs, one after another.
    pub(crate) text: String,
    /// The glyphs in drawing order.
    pub(crate) glyphs: Vec<Glyph>,
    /// Straight rules.
    pub(crate) rules: Vec<Rule>,
    /// Images drawn (image XObjects and inline images), for telling scans apart.
    pub(crate) images: usize,
    /// Image XObjects drawn over at least half the page (a scan's page image), for OCR.
    pub(crate) covers: Vec<ObjectIdentifier>,
    /// Glyphs whose code no map gives text for (CID fonts without ToUnicode).
    pub(crate) unknown: usize,
    /// The page's size as displayed (width, height).
    pub(crate) size: (f32, f32),
    /// Something was cut: too many glyphs, too deep forms, or the stream budget spent.
    pub(crate) truncated: bool,
}

impl PageContent {
    /// The text of one glyph.
    pub(crate) fn glyph_text(&self, g: &Glyph) -> &str {
        self.text
            .get(g.start as usize..g.end as usize)
            .unwrap_or("")
    }
}

#[derive(Debug, Clone)]
struct State {
    ctm: Matrix,
    char_spacing: f32,
    word_spacing: f32,
    scale: f32,
    leading: f32,
    rise: f32,
    font: Option<usize>,
    size: f32,
    render: i32,
}

impl State {
    fn new(ctm: Matrix) -> Self {
        State {
            ctm,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            font: None,
            size: 0.0,
            render: 0,
        }
    }
}

/// The fonts of one PDF, loaded once each (by object id) and shared by its pages.
#[derive(Debug, Default)]
pub(crate) struct Fonts {
    loaded: Vec<Font>,
    by_id: HashMap<ObjectIdentifier, usize>,
}

impl Fonts {
    fn get(&mut self, dict: &Dict<'_>, budget: &Budget) -> usize {
        if let Some(id) = dict.obj_id()
            && let Some(&i) = self.by_id.get(&id)
        {
            return i;
        }
        self.loaded.push(Font::load(dict, budget));
        let i = self.loaded.len() - 1;
        if let Some(id) = dict.obj_id() {
            self.by_id.insert(id, i);
        }
        i
    }

    /// Every font loaded so far.
    pub(crate) fn all(&self) -> &[Font] {
        &self.loaded
    }
}

/// Interprets one content stream (a page's, or a form's) into `out`.
pub(crate) struct Interpreter<'f, 'b> {
    fonts: &'f mut Fonts,
    budget: &'b Budget,
    out: PageContent,
    forms: Vec<ObjectIdentifier>,
    codes: Vec<Code>,
    path: Vec<(f32, f32, f32, f32)>,
    current: Option<(f32, f32)>,
    layer: u16,
}

impl<'f, 'b> Interpreter<'f, 'b> {
    /// An interpreter for one page of `size` (displayed width, height).
    pub(crate) fn new(fonts: &'f mut Fonts, budget: &'b Budget, size: (f32, f32)) -> Self {
        Interpreter {
            fonts,
            budget,
            out: PageContent {
                size,
                ..PageContent::default()
            },
            forms: Vec::new(),
            codes: Vec::new(),
            path: Vec::new(),
            current: None,
            layer: 0,
        }
    }

    /// Runs a page's content with `base` as the initial transform.
    pub(crate) fn page(
        &mut self,
        content: &[u8],
        fonts: &Dict<'_>,
        xobjects: &Dict<'_>,
        base: Matrix,
    ) {
        self.run(content, fonts, xobjects, State::new(base));
    }

    /// Draws an annotation's normal appearance (text the e-office system stamped on the
    /// page: the number, the date, a signature caption), unless it is hidden.
    pub(crate) fn annotation(&mut self, annot: &Dict<'_>, base: Matrix) {
        let flags = annot.get::<i32>(b"F").unwrap_or(0);
        if flags & (2 | 32) != 0 {
            return;
        }
        let Some(ap) = annot.get::<Dict<'_>>(b"AP") else {
            return;
        };
        let stream = match ap.get::<Object<'_>>(b"N") {
            Some(Object::Stream(s)) => s,
            Some(Object::Dict(states)) => {
                let Some(state) = annot.get::<hayro_syntax::object::Name<'_>>(b"AS") else {
                    return;
                };
                let Some(s) = states.get::<Stream<'_>>(state.as_ref()) else {
                    return;
                };
                s
            }
            _ => return,
        };
        let Some(rect) = annot
            .get::<hayro_syntax::object::Rect>(b"Rect")
            .map(|r| [r.x0 as f32, r.y0 as f32, r.x1 as f32, r.y1 as f32])
        else {
            return;
        };
        let dict = stream.dict();
        let matrix = objects::dict_matrix(dict, b"Matrix").unwrap_or(IDENTITY);
        let Some(bbox) = dict
            .get::<hayro_syntax::object::Rect>(b"BBox")
            .map(|r| [r.x0 as f32, r.y0 as f32, r.x1 as f32, r.y1 as f32])
        else {
            return;
        };
        // The appearance's box, through its matrix, is fitted onto the annotation's Rect.
        let corners = [
            (bbox[0], bbox[1]),
            (bbox[2], bbox[1]),
            (bbox[0], bbox[3]),
            (bbox[2], bbox[3]),
        ]
        .map(|(x, y)| apply(&matrix, x, y));
        let (mut bx0, mut by0, mut bx1, mut by1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for (x, y) in corners {
            (bx0, by0, bx1, by1) = (bx0.min(x), by0.min(y), bx1.max(x), by1.max(y));
        }
        let (rx0, ry0) = (rect[0].min(rect[2]), rect[1].min(rect[3]));
        let (rx1, ry1) = (rect[0].max(rect[2]), rect[1].max(rect[3]));
        if bx1 - bx0 <= 0.0 || by1 - by0 <= 0.0 {
            return;
        }
        let sx = (rx1 - rx0) / (bx1 - bx0);
        let sy = (ry1 - ry0) / (by1 - by0);
        let fit = [sx, 0.0, 0.0, sy, rx0 - bx0 * sx, ry0 - by0 * sy];
        let ctm = multiply(&fit, &base);
        let empty = Dict::empty();
        self.layer = self.layer.saturating_add(1);
        // The form's own Matrix is applied by draw_xobject.
        self.draw_xobject(&stream, &empty, &empty, &State::new(ctm));
    }

    /// What the page drew.
    pub(crate) fn finish(mut self) -> PageContent {
        if self.budget.exhausted() {
            self.out.truncated = true;
        }
        self.out
    }

    /// The operators of one stream, with the text state local to it.
    // One match over the operators the text layer needs, in the order of the PDF reference's
    // tables; splitting it would only scatter the state machine.
    fn run(&mut self, content: &[u8], fonts_dict: &Dict<'_>, xobjects: &Dict<'_>, mut gs: State) {
        let mut stack: Vec<State> = Vec::new();
        let mut unmatched_saves = 0usize;
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        let mut ops = UntypedIter::new(content);
        while let Some(op) = ops.next() {
            let args: Vec<&Object<'_>> = op.operands().collect();
            let num = |i: usize| args.get(i).and_then(|o| number(o));
            match &**op.operator {
                b"q" => {
                    if stack.len() < MAX_SAVE_DEPTH {
                        stack.push(gs.clone());
                    } else {
                        unmatched_saves += 1;
                    }
                }
                b"Q" => {
                    if unmatched_saves > 0 {
                        unmatched_saves -= 1;
                    } else if let Some(saved) = stack.pop() {
                        gs = saved;
                    }
                }
                b"cm" => {
                    if let Some(m) = objects::matrix(args.iter().copied()) {
                        gs.ctm = multiply(&m, &gs.ctm);
                    }
                }
                b"BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                b"Tf" => {
                    if let (Some(Object::Name(name)), Some(size)) = (args.first(), num(1)) {
                        gs.size = size;
                        gs.font = fonts_dict
                            .get::<Dict<'_>>(name.as_ref())
                            .map(|d| self.fonts.get(&d, self.budget));
                    }
                }
                b"Tc" => gs.char_spacing = num(0).unwrap_or(0.0),
                b"Tw" => gs.word_spacing = num(0).unwrap_or(0.0),
                b"Tz" => gs.scale = num(0).unwrap_or(100.0) / 100.0,
                b"TL" => gs.leading = num(0).unwrap_or(0.0),
                b"Ts" => gs.rise = num(0).unwrap_or(0.0),
                b"Tr" => gs.render = num(0).unwrap_or(0.0) as i32,
                b"Td" | b"TD" => {
                    let (tx, ty) = (num(0).unwrap_or(0.0), num(1).unwrap_or(0.0));
                    if &**op.operator == b"TD" {
                        gs.leading = -ty;
                    }
                    tlm = multiply(&[1.0, 0.0, 0.0, 1.0, tx, ty], &tlm);
                    tm = tlm;
                }
                b"Tm" => {
                    if let Some(m) = objects::matrix(args.iter().copied()) {
                        tm = m;
                        tlm = m;
                    }
                }
                b"T*" => {
                    tlm = multiply(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                    tm = tlm;
                }
                b"Tj" => {
                    if let Some(Object::String(s)) = args.first() {
                        self.show(s.as_bytes(), &gs, &mut tm);
                    }
                }
                b"'" | b"\"" => {
                    if &**op.operator == b"\"" {
                        gs.word_spacing = num(0).unwrap_or(gs.word_spacing);
                        gs.char_spacing = num(1).unwrap_or(gs.char_spacing);
                    }
                    tlm = multiply(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                    tm = tlm;
                    if let Some(Object::String(s)) = args.last() {
                        self.show(s.as_bytes(), &gs, &mut tm);
                    }
                }
                b"TJ" => {
                    if let Some(Object::Array(items)) = args.first() {
                        for item in items.iter::<Object<'_>>() {
                            match item {
                                Object::String(s) => self.show(s.as_bytes(), &gs, &mut tm),
                                Object::Number(n) => {
                                    let tx = -n.as_f32() / 1000.0 * gs.size * gs.scale;
                                    if tx.is_finite() {
                                        tm = multiply(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                }
                b"Do" => {
                    if let Some(Object::Name(name)) = args.first()
                        && let Some(stream) = xobjects.get::<Stream<'_>>(name.as_ref())
                    {
                        self.draw_xobject(&stream, fonts_dict, xobjects, &gs);
                    }
                }
                b"BI" => self.out.images += 1,
                b"m" => {
                    if let (Some(x), Some(y)) = (num(0), num(1)) {
                        self.current = Some(apply(&gs.ctm, x, y));
                    }
                }
                b"l" => {
                    if let (Some(x), Some(y), Some(from)) = (num(0), num(1), self.current) {
                        let to = apply(&gs.ctm, x, y);
                        self.path.push((from.0, from.1, to.0, to.1));
                        self.current = Some(to);
                    }
                }
                b"re" => {
                    if let (Some(x), Some(y), Some(w), Some(h)) = (num(0), num(1), num(2), num(3)) {
                        let corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                            .map(|(px, py)| apply(&gs.ctm, px, py));
                        for i in 0..4 {
                            let (a, b) = (corners[i], corners[(i + 1) % 4]);
                            self.path.push((a.0, a.1, b.0, b.1));
                        }
                    }
                }
                b"S" | b"s" | b"B" | b"B*" | b"b" | b"b*" => self.paint_path(true),
                b"f" | b"F" | b"f*" => self.paint_path(false),
                b"n" => {
                    self.path.clear();
                    self.current = None;
                }
                _ => {}
            }
            if self.out.glyphs.len() >= MAX_GLYPHS {
                self.out.truncated = true;
                break;
            }
        }
    }

    /// Keeps the axis-aligned segments of a painted path as rules; a thin rectangle (how
    /// Word draws table borders) becomes one rule along its length. A filled area that is
    /// not thin (shading, a highlight behind words) draws no rule.
    fn paint_path(&mut self, stroked: bool) {
        const THIN: f32 = 2.5;
        let segments = std::mem::take(&mut self.path);
        self.current = None;
        let mut i = 0;
        while i < segments.len() {
            // A rectangle: four segments; thin → its centre line, else its edges.
            if i + 4 <= segments.len() {
                let quad = &segments[i..i + 4];
                let xs = quad.iter().flat_map(|s| [s.0, s.2]);
                let ys = quad.iter().flat_map(|s| [s.1, s.3]);
                let (x0, x1) = xs.fold((f32::MAX, f32::MIN), |(a, b), v| (a.min(v), b.max(v)));
                let (y0, y1) = ys.fold((f32::MAX, f32::MIN), |(a, b), v| (a.min(v), b.max(v)));
                if x1 - x0 < THIN && y1 - y0 > THIN {
                    let x = (x0 + x1) / 2.0;
                    self.push_rule(x, y0, x, y1);
                    i += 4;
                    continue;
                }
                if y1 - y0 < THIN && x1 - x0 > THIN {
                    let y = (y0 + y1) / 2.0;
                    self.push_rule(x0, y, x1, y);
                    i += 4;
                    continue;
                }
            }
            if !stroked {
                i += 4;
                continue;
            }
            let (ax, ay, bx, by) = segments[i];
            if (ay - by).abs() < 0.5 || (ax - bx).abs() < 0.5 {
                self.push_rule(ax, ay, bx, by);
            }
            i += 1;
        }
    }

    fn push_rule(&mut self, ax: f32, ay: f32, bx: f32, by: f32) {
        if self.out.rules.len() >= MAX_GLYPHS {
            return;
        }
        let rule = Rule {
            x0: ax.min(bx),
            y0: ay.min(by),
            x1: ax.max(bx),
            y1: ay.max(by),
        };
        if (rule.x1 - rule.x0).max(rule.y1 - rule.y0) > 3.0 {
            self.out.rules.push(rule);
        }
    }

    fn draw_xobject(
        &mut self,
        stream: &Stream<'_>,
        fonts: &Dict<'_>,
        xobjects: &Dict<'_>,
        gs: &State,
    ) {
        let dict = stream.dict();
        match dict
            .get::<hayro_syntax::object::Name<'_>>(b"Subtype")
            .as_deref()
        {
            Some(b"Image") => {
                self.out.images += 1;
                let m = gs.ctm;
                let area = (m[0] * m[3] - m[1] * m[2]).abs();
                let page = (self.out.size.0 * self.out.size.1).max(1.0);
                if area.is_finite() && area >= 0.5 * page {
                    self.out.covers.push(stream.obj_id());
                }
                return;
            }
            Some(b"Form") | None => {}
            _ => return,
        }
        let id = stream.obj_id();
        if self.forms.len() >= MAX_FORM_DEPTH || self.forms.contains(&id) {
            self.out.truncated = true;
            return;
        }
        let Some(content) = objects::decode(stream, self.budget) else {
            self.out.truncated = true;
            return;
        };
        let mut inner = gs.clone();
        if let Some(m) = objects::dict_matrix(dict, b"Matrix") {
            inner.ctm = multiply(&m, &inner.ctm);
        }
        let form_resources = dict.get::<Dict<'_>>(b"Resources");
        let form_fonts = form_resources
            .as_ref()
            .and_then(|r| r.get::<Dict<'_>>(b"Font"));
        let form_xobjects = form_resources
            .as_ref()
            .and_then(|r| r.get::<Dict<'_>>(b"XObject"));
        self.forms.push(id);
        self.run(
            &content,
            form_fonts.as_ref().unwrap_or(fonts),
            form_xobjects.as_ref().unwrap_or(xobjects),
            inner,
        );
        self.forms.pop();
    }

    /// Shows one string: a glyph per code, the text matrix advanced past each.
    fn show(&mut self, bytes: &[u8], gs: &State, tm: &mut Matrix) {
        let Some(font_index) = gs.font else {
            return;
        };
        let mut codes = std::mem::take(&mut self.codes);
        let font = &self.fonts.all()[font_index];
        font.codes(bytes, &mut codes);
        let single_byte = font.single_byte();
        let invisible = matches!(gs.render, 3 | 7);
        for code in &codes {
            let m = multiply(tm, &gs.ctm);
            let advance = code.width * gs.size * gs.scale;
            let (x0, y0) = apply(&m, 0.0, gs.rise);
            let (x1, y1) = apply(&m, advance, gs.rise);
            let (ux, uy) = apply(&m, 0.0, gs.rise + gs.size);
            let size = ((ux - x0).powi(2) + (uy - y0).powi(2)).sqrt();
            let start = self.out.text.len() as u32;
            let origin = self.fonts.all()[font_index].text(code.code, &mut self.out.text);
            let end = self.out.text.len() as u32;
            if origin == Origin::Unknown {
                self.out.unknown += 1;
            }
            let upright = (y1 - y0).abs() <= 0.2 * (x1 - x0).abs().max(0.01) && x1 >= x0;
            if end > start && x0.is_finite() && y0.is_finite() && size.is_finite() {
                self.out.glyphs.push(Glyph {
                    x0: x0.min(x1),
                    x1: x0.max(x1),
                    y: y0,
                    size,
                    start,
                    end,
                    origin,
                    invisible,
                    upright,
                    layer: self.layer,
                });
            }
            let space = single_byte && code.len == 1 && code.code == 32;
            let tx = (code.width * gs.size
                + gs.char_spacing
                + if space { gs.word_spacing } else { 0.0 })
                * gs.scale;
            if tx.is_finite() {
                *tm = multiply(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], tm);
            }
        }
        self.codes = codes;
    }
}
