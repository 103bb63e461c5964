//! Values printed into a Word part: text (escaped), rich text, paragraphs and pictures.
//!
//! | data | prints |
//! |---|---|
//! | a text, a number | the text, XML-escaped; `\n` a line break, `\t` a tab, `\u{7}` a new paragraph, `\u{c}` a page break (as docxtpl) |
//! | `{"rich": "text", "bold": true}` or `{"rich": ["text", {"text": "…", "italic": true}]}` | runs with their formatting (docxtpl's `RichText`) |
//! | `{"paragraphs": ["text", {"rich": …, "style": "Heading1"}]}` | paragraphs (docxtpl's `RichTextParagraph`) |
//! | `{"picture": "logo.png", "width_mm": 30}` | an inline picture (docxtpl's `InlineImage`) |
//!
//! Formatting keys: `bold`, `italic`, `underline` (true or a Word kind: `double`…),
//! `strike`, `color` and `highlight` (`FF0000`), `size` (points), `font` (`Times New
//! Roman`, or `eastAsia:SimSun`), `style` (a character style of the form),
//! `subscript`, `superscript`, `rtl`, `lang`, `link` (a web address).
//! A picture is a path (read by the caller; relative to the data file in the CLI) or
//! base64 (`data:image/png;base64,…` or bare); `width_mm` and `height_mm` size it (one of
//! them keeps the proportions; none: its own size at its resolution).
//!
//! Where a value prints decides what it becomes: inside a run's text (`{{ x }}`), as runs
//! (`{{r x }}`) or as paragraphs (`{{p x }}`); a plain text printed with `{{r }}` or
//! `{{p }}` keeps the formatting of the run or paragraph the tag was in.

use std::collections::HashMap;
use std::sync::Arc;

use minijinja::value::ValueKind;
use minijinja::{Error, ErrorKind, State, Value};

use super::{image, xml};

/// Reads the bytes of a picture given by path. Supplied by the caller: the fill does no IO.
pub type PictureLoader = dyn Fn(&str) -> Result<Arc<Vec<u8>>, String> + Send + Sync;

/// What the printing functions share for a form.
pub(super) struct Config {
    /// Reads pictures given by path.
    pub(super) pictures: Arc<PictureLoader>,
    /// Prefix of the relationship ids added to a part (`rIdVb`), unused by the form.
    pub(super) rid_prefix: String,
    /// Run and paragraph properties of `{{r }}` and `{{p }}` tags.
    pub(super) styles: super::patch::Styles,
}

/// A file added to the package by one part's filling.
#[derive(Debug, Clone)]
pub(super) struct Media {
    /// Relationship id in the part's relationships.
    pub(super) rid: String,
    /// Target, relative to the part's folder (`media/vanban-document-1.png`).
    pub(super) target: String,
    pub(super) bytes: Arc<Vec<u8>>,
    pub(super) info: image::Info,
}

/// What one part's filling collects besides its text.
#[derive(Debug, Default)]
pub(super) struct Collected {
    pub(super) media: Vec<Media>,
    /// Hyperlinks: (relationship id, address).
    pub(super) links: Vec<(String, String)>,
    /// A printed value holds a line, paragraph or page break or a tab.
    pub(super) breaks: bool,
    /// Pictures already added, by their source text.
    by_source: HashMap<String, usize>,
    /// Pictures printed (their `wp:docPr` ids).
    drawings: u32,
}

/// Where a value prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Inside a run's text (`{{ x }}`).
    Text,
    /// Among runs (`{{r x }}`), with the properties of the run the tag was in.
    Runs(usize),
    /// Among paragraphs (`{{p x }}`), with the paragraph's properties.
    Paragraphs(usize),
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg.into())
}

/// The formatter of `{{ }}`: see the module doc.
pub(super) fn format(
    config: &Config,
    out: &mut minijinja::Output<'_>,
    state: &mut State<'_, '_>,
    value: &Value,
) -> Result<(), Error> {
    let text = print(config, state, value, Place::Text)?;
    out.write_str(&text).map_err(Into::into)
}

/// The `__vb_run(k)` filter: `value` as runs.
pub(super) fn run_filter(
    config: &Config,
    state: &mut State<'_, '_>,
    value: &Value,
    k: usize,
) -> Result<Value, Error> {
    Ok(Value::from_safe_string(print(
        config,
        state,
        value,
        Place::Runs(k),
    )?))
}

/// The `__vb_para(k)` filter: `value` as paragraphs.
pub(super) fn paragraph_filter(
    config: &Config,
    state: &mut State<'_, '_>,
    value: &Value,
    k: usize,
) -> Result<Value, Error> {
    Ok(Value::from_safe_string(print(
        config,
        state,
        value,
        Place::Paragraphs(k),
    )?))
}

/// The `picture(width_mm, height_mm)` filter: a path or base64 text (an Excel cell) made
/// a picture value, `{{ con_dau | picture(30) }}`; a picture value keeps its own size and
/// takes these where it has none; an empty or missing value stays empty.
pub(super) fn picture_filter(
    value: &Value,
    width_mm: Option<f64>,
    height_mm: Option<f64>,
) -> Result<Value, Error> {
    if value.is_undefined()
        || value.is_none()
        || value.as_str().is_some_and(|s| s.trim().is_empty())
    {
        return Ok(Value::from(""));
    }
    let mut map: std::collections::BTreeMap<String, Value> = std::collections::BTreeMap::new();
    if value.kind() == ValueKind::Map {
        for key in value.try_iter()? {
            let k = key.as_str().map_or_else(|| key.to_string(), str::to_string);
            map.insert(k, value.get_item(&key)?);
        }
        if !map.contains_key("picture") {
            return Err(invalid("picture: an object without a \"picture\" path"));
        }
    } else {
        map.insert("picture".into(), Value::from(value.to_string()));
    }
    for (key, size) in [("width_mm", width_mm), ("height_mm", height_mm)] {
        if let Some(size) = size
            && map.get(key).is_none_or(|v| v.is_none() || v.is_undefined())
        {
            map.insert(key.into(), Value::from(size));
        }
    }
    Ok(Value::from(map))
}

/// `value` as XML for `place`.
fn print(
    config: &Config,
    state: &mut State<'_, '_>,
    value: &Value,
    place: Place,
) -> Result<String, Error> {
    if value.is_safe() {
        let s = value.as_str().unwrap_or_default();
        if s.bytes().any(|b| matches!(b, b'\n' | b'\t' | 7 | 12)) {
            collected(state).breaks = true;
        }
        return Ok(s.to_string());
    }
    if value.kind() == ValueKind::Map {
        if let Some(source) = attr(value, "picture") {
            let drawing = picture(config, state, value, &source)?;
            return Ok(match place {
                Place::Text => {
                    format!("</w:t></w:r><w:r>{drawing}</w:r><w:r><w:t xml:space=\"preserve\">")
                }
                Place::Runs(_) => format!("<w:r>{drawing}</w:r>"),
                Place::Paragraphs(k) => {
                    let (ppr, _) = paragraph_style(config, k);
                    format!("<w:p>{ppr}<w:r>{drawing}</w:r></w:p>")
                }
            });
        }
        if let Ok(rich) = value.get_attr("rich")
            && !rich.is_undefined()
        {
            let runs = rich_runs(config, state, value, &rich)?;
            return Ok(match place {
                Place::Text => format!("</w:t></w:r>{runs}<w:r><w:t xml:space=\"preserve\">"),
                Place::Runs(_) => runs,
                Place::Paragraphs(k) => {
                    let (ppr, _) = paragraph_style(config, k);
                    format!("<w:p>{ppr}{runs}</w:p>")
                }
            });
        }
        if let Ok(paras) = value.get_attr("paragraphs")
            && !paras.is_undefined()
        {
            let xml = paragraphs(config, state, &paras)?;
            return Ok(match place {
                Place::Text => {
                    format!("</w:t></w:r></w:p>{xml}<w:p><w:r><w:t xml:space=\"preserve\">")
                }
                Place::Runs(_) => format!("</w:p>{xml}<w:p>"),
                Place::Paragraphs(_) => xml,
            });
        }
    }
    if value.is_none() || value.is_undefined() {
        return Ok(String::new());
    }
    let shown;
    let text = match value.as_str() {
        Some(s) => s,
        None => {
            shown = value.to_string();
            &shown
        }
    };
    let mut escaped = String::with_capacity(text.len() + 16);
    if xml::escape_into(text, &mut escaped) > 0 {
        collected(state).breaks = true;
    }
    Ok(match place {
        Place::Text => escaped,
        Place::Runs(k) => {
            let rpr = config.styles.runs.get(k).map_or("", String::as_str);
            format!("<w:r>{rpr}<w:t xml:space=\"preserve\">{escaped}</w:t></w:r>")
        }
        Place::Paragraphs(k) => {
            let (ppr, rpr) = paragraph_style(config, k);
            format!("<w:p>{ppr}<w:r>{rpr}<w:t xml:space=\"preserve\">{escaped}</w:t></w:r></w:p>")
        }
    })
}

fn paragraph_style(config: &Config, k: usize) -> (&str, &str) {
    config
        .styles
        .paragraphs
        .get(k)
        .map_or(("", ""), |(p, r)| (p.as_str(), r.as_str()))
}

fn collected<'a>(state: &'a mut State<'_, '_>) -> &'a mut Collected {
    state.get_or_insert_extension_with(Collected::default)
}

/// The attribute `name` of a map as text, when it has one.
fn attr(value: &Value, name: &str) -> Option<String> {
    let v = value.get_attr(name).ok()?;
    if v.is_undefined() || v.is_none() {
        return None;
    }
    Some(v.as_str().map_or_else(|| v.to_string(), str::to_string))
}

fn number(value: &Value, name: &str) -> Result<Option<f64>, Error> {
    let Ok(v) = value.get_attr(name) else {
        return Ok(None);
    };
    if v.is_undefined() || v.is_none() {
        return Ok(None);
    }
    if let Ok(n) = f64::try_from(v.clone()) {
        return Ok(Some(n));
    }
    v.as_str()
        .and_then(|s| s.trim().replace(',', ".").parse().ok())
        .map(Some)
        .ok_or_else(|| invalid(format!("{name}: not a number: {v}")))
}

fn truthy(value: &Value, name: &str) -> bool {
    value.get_attr(name).is_ok_and(|v| v.is_true())
}

/// English Metric Units per millimetre.
const EMU_PER_MM: f64 = 36_000.0;
/// English Metric Units per inch.
const EMU_PER_INCH: f64 = 914_400.0;

/// The `<w:drawing>` of the picture `source`, added to the part's media.
fn picture(
    config: &Config,
    state: &mut State<'_, '_>,
    spec: &Value,
    source: &str,
) -> Result<String, Error> {
    let width = number(spec, "width_mm")?;
    let height = number(spec, "height_mm")?;
    let known = collected(state).by_source.get(source).copied();
    let index = match known {
        Some(i) => i,
        None => {
            let bytes = picture_bytes(config, source)?;
            let info = image::info(&bytes)
                .map_err(|e| invalid(format!("picture {}: {e}", shown(source))))?;
            let part = state
                .name()
                .rsplit('/')
                .next()
                .unwrap_or("part")
                .to_string();
            let stem = part.strip_suffix(".xml").unwrap_or(&part).to_string();
            let c = collected(state);
            let n = c.media.len() + 1;
            c.media.push(Media {
                rid: format!("{}{n}", config.rid_prefix),
                target: format!("media/vanban-{stem}-{n}.{}", info.ext),
                bytes,
                info,
            });
            c.by_source.insert(source.to_string(), n - 1);
            n - 1
        }
    };
    let c = collected(state);
    let media = c.media[index].clone();
    c.drawings += 1;
    let id = 10_000 + c.drawings;
    let info = media.info;
    let native = (
        (f64::from(info.width_px) / info.dpi.0 * EMU_PER_INCH).trunc(),
        (f64::from(info.height_px) / info.dpi.1 * EMU_PER_INCH).trunc(),
    );
    let (cx, cy) = match (width, height) {
        (None, None) => native,
        (Some(w), None) => {
            let w = (w * EMU_PER_MM).trunc();
            (w, (native.1 * w / native.0).round())
        }
        (None, Some(h)) => {
            let h = (h * EMU_PER_MM).trunc();
            ((native.0 * h / native.1).round(), h)
        }
        (Some(w), Some(h)) => ((w * EMU_PER_MM).trunc(), (h * EMU_PER_MM).trunc()),
    };
    if !(cx >= 1.0 && cy >= 1.0 && cx < 2e10 && cy < 2e10) {
        return Err(invalid(format!(
            "picture {}: width and height must be positive",
            shown(source)
        )));
    }
    let (cx, cy) = (cx as u64, cy as u64);
    let name = format!("vanban-{id}.{}", info.ext);
    Ok(format!(
        "<w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:docPr id=\"{id}\" name=\"Picture {id}\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" noChangeAspect=\"1\"/></wp:cNvGraphicFramePr><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:nvPicPr><pic:cNvPr id=\"0\" name=\"{name}\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" r:embed=\"{rid}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>",
        rid = media.rid,
    ))
}

/// A picture's source as shown in an error: a path, or the start of base64.
fn shown(source: &str) -> String {
    if source.len() > 60 {
        let end = crate::text::floor_boundary(source, 40);
        format!("'{}…'", &source[..end])
    } else {
        format!("'{source}'")
    }
}

/// The bytes of a picture: base64 in the data (`data:…;base64,` or a long run of base64
/// characters) or a path read by the caller.
fn picture_bytes(config: &Config, source: &str) -> Result<Arc<Vec<u8>>, Error> {
    let source = source.trim();
    let b64 = source
        .strip_prefix("data:")
        .and_then(|r| r.split_once(";base64,"))
        .map(|(_, data)| data)
        .or_else(|| (source.len() >= 64 && !source.contains(['.', '\\'])).then_some(source));
    if let Some(data) = b64
        && let Some(bytes) = image::base64(data)
    {
        return Ok(Arc::new(bytes));
    }
    (config.pictures)(source).map_err(|e| invalid(format!("picture {}: {e}", shown(source))))
}

/// The runs of a rich text value: `rich` a text (formatted by `spec`'s own keys) or a list
/// of segments (texts, or objects with `text` and formatting keys).
fn rich_runs(
    config: &Config,
    state: &mut State<'_, '_>,
    spec: &Value,
    rich: &Value,
) -> Result<String, Error> {
    let mut out = String::new();
    if rich.kind() == ValueKind::Seq {
        for segment in rich.try_iter()? {
            if segment.kind() == ValueKind::Map {
                let text = segment.get_attr("text").unwrap_or_default();
                run(config, state, &segment, &text, &mut out)?;
            } else {
                run(config, state, &Value::UNDEFINED, &segment, &mut out)?;
            }
        }
    } else {
        run(config, state, spec, rich, &mut out)?;
    }
    Ok(out)
}

/// One run: `text` formatted by the keys of `spec`.
fn run(
    config: &Config,
    state: &mut State<'_, '_>,
    spec: &Value,
    text: &Value,
    out: &mut String,
) -> Result<(), Error> {
    let text = if text.is_undefined() || text.is_none() {
        String::new()
    } else {
        text.as_str()
            .map_or_else(|| text.to_string(), str::to_string)
    };
    let mut escaped = String::with_capacity(text.len() + 8);
    if xml::escape_into(&text, &mut escaped) > 0 {
        collected(state).breaks = true;
    }
    let props = run_properties(spec)?;
    let run = if props.is_empty() {
        format!("<w:r><w:t xml:space=\"preserve\">{escaped}</w:t></w:r>")
    } else {
        format!("<w:r><w:rPr>{props}</w:rPr><w:t xml:space=\"preserve\">{escaped}</w:t></w:r>")
    };
    match spec.kind() {
        ValueKind::Map => match attr(spec, "link") {
            Some(url) => {
                let c = collected(state);
                let rid = format!("{}L{}", config.rid_prefix, c.links.len() + 1);
                c.links.push((rid.clone(), url));
                out.push_str(&format!(
                    "<w:hyperlink xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" r:id=\"{rid}\" w:tgtFrame=\"_blank\">{run}</w:hyperlink>"
                ));
            }
            None => out.push_str(&run),
        },
        _ => out.push_str(&run),
    }
    Ok(())
}

/// `<w:rPr>` children for the formatting keys of `spec`, in the schema's order.
fn run_properties(spec: &Value) -> Result<String, Error> {
    if spec.kind() != ValueKind::Map {
        return Ok(String::new());
    }
    let esc = |s: &str| {
        let mut o = String::new();
        xml::escape_into(s, &mut o);
        o
    };
    let mut p = String::new();
    if let Some(style) = attr(spec, "style") {
        p.push_str(&format!("<w:rStyle w:val=\"{}\"/>", esc(&style)));
    }
    if let Some(font) = attr(spec, "font") {
        let (region, name) = match font.split_once(':') {
            Some((r, n)) => (Some(r.to_string()), n.to_string()),
            None => (None, font.clone()),
        };
        let name = esc(&name);
        let extra = region.map_or(String::new(), |r| format!(" w:{}=\"{name}\"", esc(&r)));
        p.push_str(&format!(
            "<w:rFonts w:ascii=\"{name}\" w:hAnsi=\"{name}\" w:cs=\"{name}\"{extra}/>"
        ));
    }
    let rtl = truthy(spec, "rtl");
    if truthy(spec, "bold") {
        p.push_str(if rtl { "<w:b/><w:bCs/>" } else { "<w:b/>" });
    }
    if truthy(spec, "italic") {
        p.push_str(if rtl { "<w:i/><w:iCs/>" } else { "<w:i/>" });
    }
    if truthy(spec, "strike") {
        p.push_str("<w:strike/>");
    }
    if let Some(color) = attr(spec, "color") {
        p.push_str(&format!(
            "<w:color w:val=\"{}\"/>",
            esc(color.trim_start_matches('#'))
        ));
    }
    if let Some(size) = number(spec, "size")? {
        let half_points = (size * 2.0).round();
        if !(1.0..=3276.0).contains(&half_points) {
            return Err(invalid(format!("size: {size} points is not a font size")));
        }
        p.push_str(&format!(
            "<w:sz w:val=\"{half_points}\"/><w:szCs w:val=\"{half_points}\"/>"
        ));
    }
    if let Ok(u) = spec.get_attr("underline")
        && u.is_true()
    {
        const KINDS: [&str; 8] = [
            "single",
            "double",
            "thick",
            "dotted",
            "dash",
            "dotDash",
            "dotDotDash",
            "wave",
        ];
        let kind = u.as_str().filter(|k| KINDS.contains(k)).unwrap_or("single");
        p.push_str(&format!("<w:u w:val=\"{kind}\"/>"));
    }
    if let Some(fill) = attr(spec, "highlight") {
        p.push_str(&format!(
            "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{}\"/>",
            esc(fill.trim_start_matches('#'))
        ));
    }
    if truthy(spec, "subscript") {
        p.push_str("<w:vertAlign w:val=\"subscript\"/>");
    } else if truthy(spec, "superscript") {
        p.push_str("<w:vertAlign w:val=\"superscript\"/>");
    }
    if rtl {
        p.push_str("<w:rtl/>");
    }
    if let Some(lang) = attr(spec, "lang") {
        p.push_str(&format!("<w:lang w:val=\"{}\"/>", esc(&lang)));
    }
    Ok(p)
}

/// The paragraphs of a `paragraphs` value: each a text, or an object with `rich` (text or
/// segments) and `style` (a paragraph style of the form).
fn paragraphs(config: &Config, state: &mut State<'_, '_>, list: &Value) -> Result<String, Error> {
    let mut out = String::new();
    let items: Vec<Value> = if list.kind() == ValueKind::Seq {
        list.try_iter()?.collect()
    } else {
        vec![list.clone()]
    };
    for item in items {
        out.push_str("<w:p>");
        if item.kind() == ValueKind::Map {
            if let Some(style) = attr(&item, "style") {
                let mut s = String::new();
                xml::escape_into(&style, &mut s);
                out.push_str(&format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>"));
            }
            let rich = item.get_attr("rich").unwrap_or_default();
            let runs = if rich.kind() == ValueKind::Map {
                let inner = rich.get_attr("rich").unwrap_or_default();
                rich_runs(config, state, &rich, &inner)?
            } else {
                rich_runs(config, state, &Value::UNDEFINED, &rich)?
            };
            out.push_str(&runs);
        } else {
            let mut runs = String::new();
            run(config, state, &Value::UNDEFINED, &item, &mut runs)?;
            out.push_str(&runs);
        }
        out.push_str("</w:p>");
    }
    Ok(out)
}
