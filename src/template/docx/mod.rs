//! Word forms: a `.docx` made in Word, with docxtpl's tags in its text, filled once per
//! record into a new `.docx`, everything else in the package kept byte for byte.
//!
//! The tag language is docxtpl's (a docxtpl user's forms run unchanged), Jinja2 by
//! minijinja with vanban's Vietnamese filters (`{{ ngay | date_line(dia_danh) }}`):
//!
//! | tag | does |
//! |---|---|
//! | `{{ x }}`, `{% … %}`, `{# … #}` | print, control, comment, inside a paragraph |
//! | `{%p … %}`, `{%tr … %}`, `{%tc … %}`, `{%r … %}` | the tag takes the place of its paragraph, table row, cell or run: `{%tr for t in nhiem_vu %}` … `{%tr endfor %}` repeats the rows between |
//! | `{{p x }}`, `{{r x }}` | print paragraphs or runs (rich text, pictures; a plain text keeps the paragraph's or run's formatting) |
//! | `{#p … #}`, `{#tr … #}`, `{#tc … #}` | a comment that removes its paragraph, row or cell |
//! | `{%- … %}`, `{% … -%}` | merge the tag with the paragraph before / after |
//! | `{% colspan n %}`, `{% cellbg "FF0000" %}` | the cell spans n columns / gets a background |
//! | `{% vm %}`, `{% hm %}` | in a looped row / cell: merge the copies vertically / horizontally |
//! | `{_{ … }_}`, `{_% … %_}` | print `{{ … }}`, `{% … %}` as text |
//! | `{{ con_dau \| picture(30) }}` | a picture from a path or base64 text (an Excel cell), 30 mm wide |
//!
//! Tags work wherever Word puts text: the body, tables (nested too), headers, footers,
//! footnotes, endnotes, text boxes, and the document properties (title, subject…).
//! Word often splits a tag over several runs (spell-check marks, revision ids, a
//! formatting change): the runs between its delimiters are merged, and the printed value
//! takes the formatting of the run where the tag starts. What values can be (rich text,
//! paragraphs, pictures) is in [`value`](self#values); every printed text is XML-escaped.
//!
//! A form is compiled once ([`DocxForm::compile`]) and filled per record
//! ([`DocxForm::fill`]); the fill is pure (pictures given by path are read by the
//! [`PictureLoader`] the caller supplies). Differences from docxtpl: an undefined field
//! printed is an error naming it (as in the Markdown templates; test optional fields
//! with `is defined` or give a `default`); a text printed with `{{r }}` or `{{p }}` keeps
//! the run's or paragraph's formatting; cell properties are written in the schema's order.
//!
//! The package: parts without tags are copied as the form stores them, compressed bytes
//! and all; a form without tags gives back its own bytes. `docProps/core.xml` is kept
//! too (its tags, if any, filled), unless a creation date is given: then its created and
//! modified dates are set to it.
//!
//! # Values
//! See the table in the `value` module: texts and numbers, `{"rich": …}` (docxtpl's
//! `RichText`), `{"paragraphs": […]}` (`RichTextParagraph`), `{"picture": "logo.png",
//! "width_mm": 30}` (`InlineImage`).
//!
//! One part of one record has a budget, as the Markdown templates do: four million steps
//! or 256 MiB of text made, and 64 MiB printed.

mod image;
mod listing;
mod location;
mod package;
mod patch;
mod tables;
mod value;
mod xml;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};

pub use value::PictureLoader;

use super::{Budget, TemplateInfo};
use crate::document::Standard;
use crate::{Error, Result};

/// One part of one record: four million steps or 256 MiB of text made, 64 MiB printed.
const PART_BUDGET: Budget = Budget {
    fuel: 1 << 22,
    output: package::MAX_PART_BYTES as usize,
};

/// Content types of the parts that may hold tags.
const FILLED_TYPES: [&str; 9] = [
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
    "application/vnd.openxmlformats-package.core-properties+xml",
];

/// A part of the form that holds tags.
#[derive(Debug)]
struct Part {
    /// Name in the package (`word/document.xml`), also its template's name.
    name: String,
    /// Its Jinja source, for error messages.
    source: String,
    /// The main document: its drawings are numbered again after filling.
    main: bool,
    /// A table of it has cells made by a loop: grids are fitted after filling.
    fit_grid: bool,
    /// Its relationships part and that part's XML, when it has one.
    rels: (String, Option<String>),
}

/// A compiled Word form. Cheap to share between threads; filling does no IO.
pub struct DocxForm {
    file: String,
    package: package::Package,
    parts: Vec<Part>,
    env: Environment<'static>,
    info: TemplateInfo,
    /// `[Content_Types].xml`.
    content_types: String,
    /// `docProps/core.xml`, when the form has one.
    core: Option<String>,
}

impl std::fmt::Debug for DocxForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocxForm")
            .field("file", &self.file)
            .field(
                "parts",
                &self.parts.iter().map(|p| &p.name).collect::<Vec<_>>(),
            )
            .finish()
    }
}

fn template_error(file: &str, reason: impl Into<String>) -> Error {
    Error::Template {
        template: file.to_string(),
        line: None,
        reason: reason.into(),
    }
}

/// The relationships part of `part` (`word/_rels/document.xml.rels`).
fn rels_name(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// (part name, content type) of every `Override` in `[Content_Types].xml`.
fn overrides(content_types: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for tag in content_types.split("<Override ").skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let attr = |name: &str| {
            let p = tag.find(&format!("{name}=\""))? + name.len() + 2;
            Some(tag[p..p + tag[p..].find('"')?].to_string())
        };
        if let (Some(part), Some(kind)) = (attr("PartName"), attr("ContentType")) {
            out.push((part.trim_start_matches('/').to_string(), kind));
        }
    }
    out
}

/// Marks the innermost table around each cell loop or computed span with
/// [`patch::FIT_GRID`]; true when it marked one.
fn mark_fitted_tables(source: &mut String) -> bool {
    let mut open: Vec<usize> = Vec::new();
    let mut marked = BTreeSet::new();
    let mut i = 0;
    while let Some(p) = source[i..].find(['<', '{', 'w']) {
        let j = i + p;
        let rest = &source[j..];
        if rest.starts_with("<w:tbl>") || rest.starts_with("<w:tbl ") {
            open.push(j + rest.find('>').unwrap_or(0) + 1);
        } else if rest.starts_with("</w:tbl>") {
            open.pop();
        } else if (rest.starts_with("{#tc#}") || rest.starts_with("w:gridSpan w:val=\"{{"))
            && let Some(t) = open.last()
        {
            marked.insert(*t);
        }
        i = j + 1;
    }
    for at in marked.iter().rev() {
        source.insert_str(*at, patch::FIT_GRID);
    }
    !marked.is_empty()
}

impl DocxForm {
    /// Compiles the form `file` (its name, for messages) from its bytes. `origin` says
    /// where it came from (for `vanban templates`); `pictures` reads pictures given by path.
    pub fn compile(
        file: &str,
        origin: &str,
        bytes: Vec<u8>,
        pictures: Arc<PictureLoader>,
    ) -> Result<DocxForm> {
        let broken =
            |reason: String| template_error(file, format!("not a usable Word file: {reason}"));
        let package = package::Package::read(bytes).map_err(broken)?;
        let mut budget = package::MAX_UNPACKED_BYTES;
        let text = |name: &str, budget: &mut u64| -> Result<Option<String>> {
            let Some(entry) = package.entry(name) else {
                return Ok(None);
            };
            let bytes = package.inflate(entry, *budget).map_err(broken)?;
            *budget = budget.saturating_sub(bytes.len() as u64);
            String::from_utf8(bytes)
                .map(Some)
                .map_err(|_| broken(format!("{name} is not UTF-8")))
        };
        let content_types = text("[Content_Types].xml", &mut budget)?
            .ok_or_else(|| broken("no [Content_Types].xml".into()))?;
        let candidates: Vec<(String, String)> = overrides(&content_types)
            .into_iter()
            .filter(|(_, kind)| FILLED_TYPES.contains(&kind.as_str()))
            .collect();
        if !candidates
            .iter()
            .any(|(_, kind)| kind.contains(".main+xml"))
        {
            return Err(broken(
                "no main document part (not a Word document?)".into(),
            ));
        }
        let core = text("docProps/core.xml", &mut budget)?;
        let mut styles = patch::Styles::default();
        let mut parts = Vec::new();
        let mut rel_ids = String::new();
        for (name, kind) in &candidates {
            let Some(xml) = text(name, &mut budget)? else {
                continue;
            };
            if !patch::has_tags(&xml) {
                continue;
            }
            let mut source = patch::patch(&xml, &mut styles)
                .map_err(|e| template_error(file, format!("{name}: {e}")))?;
            let fit_grid = mark_fitted_tables(&mut source);
            let rels = rels_name(name);
            let rels_xml = text(&rels, &mut budget)?;
            rel_ids.push_str(rels_xml.as_deref().unwrap_or_default());
            parts.push(Part {
                name: name.clone(),
                source,
                main: kind.contains(".main+xml"),
                fit_grid,
                rels: (rels, rels_xml),
            });
        }
        let mut rid_prefix = "rIdVb".to_string();
        while rel_ids.contains(&format!("Id=\"{rid_prefix}")) {
            rid_prefix.push('x');
        }
        let config = Arc::new(value::Config {
            pictures,
            rid_prefix,
            styles,
        });
        let mut env = environment(&config);
        let mut fields = BTreeSet::new();
        let mut sources = String::new();
        for part in &parts {
            env.add_template_owned(part.name.clone(), part.source.clone())
                .map_err(|e| compile_error(file, part, &e))?;
            if let Ok(t) = env.get_template(&part.name) {
                fields.extend(t.undeclared_variables(false));
            }
            sources.push_str(&part.source);
        }
        let name = file.strip_suffix(".docx").unwrap_or(file).to_string();
        let title = core
            .as_deref()
            .and_then(|c| {
                let start = c.find("<dc:title>")? + 10;
                Some(xml::unescape(&c[start..start + c[start..].find('<')?]).into_owned())
            })
            .filter(|t| !t.trim().is_empty() && !t.contains("{{"));
        let info = TemplateInfo {
            name,
            file: file.to_string(),
            origin: origin.to_string(),
            description: title.unwrap_or_default(),
            kind: "Word form".to_string(),
            standard: Standard::NhaNuoc,
            fields: fields.into_iter().collect(),
            optional: super::optional_fields(&sources),
            iterated: super::iterated_fields(&sources),
            labels: Vec::new(),
        };
        Ok(DocxForm {
            file: file.to_string(),
            package,
            parts,
            env,
            info,
            content_types,
            core,
        })
    }

    /// Name, fields and origin, as `vanban templates` lists them.
    pub fn info(&self) -> &TemplateInfo {
        &self.info
    }

    /// The filled document for one record, as DOCX bytes. `created` (W3CDTF,
    /// `2021-01-14T00:00:00Z`), when given, becomes the document's creation and
    /// modification date; otherwise `docProps/core.xml` is the form's.
    pub fn fill(&self, data: &serde_json::Value, created: Option<&str>) -> Result<Vec<u8>> {
        if self.parts.is_empty() && created.is_none() {
            return Ok(self.package.bytes.clone());
        }
        let ctx = Value::from(minijinja::value::Serde(data));
        let mut filled: HashMap<&str, String> = HashMap::new();
        let mut added: Vec<(String, Vec<u8>)> = Vec::new();
        let mut content_types = None;
        for part in &self.parts {
            let (xml, collected) = self.fill_part(part, &ctx, data)?;
            if !collected.media.is_empty() || !collected.links.is_empty() {
                let rels = relationships(part.rels.1.as_deref(), &collected);
                if part.rels.1.is_none() {
                    added.push((part.rels.0.clone(), rels.into_bytes()));
                } else {
                    filled.insert(part.rels.0.as_str(), rels);
                }
                let dir = part.name.rsplit_once('/').map_or("", |(d, _)| d);
                for m in &collected.media {
                    let name = if dir.is_empty() {
                        m.target.clone()
                    } else {
                        format!("{dir}/{}", m.target)
                    };
                    added.push((name, m.bytes.to_vec()));
                    let types = content_types.get_or_insert_with(|| self.content_types.clone());
                    add_default_type(types, m.info.ext, m.info.mime);
                }
            }
            filled.insert(part.name.as_str(), xml);
        }
        if let Some(date) = created {
            let core = filled
                .remove("docProps/core.xml")
                .or_else(|| self.core.clone());
            if let Some(core) = core {
                filled.insert("docProps/core.xml", set_dates(&core, date));
            }
        }
        if let Some(types) = &content_types {
            filled.insert("[Content_Types].xml", types.clone());
        }
        let mut contents = Vec::with_capacity(self.package.entries.len() + added.len());
        for entry in &self.package.entries {
            contents.push(match filled.get(entry.name.as_str()) {
                Some(xml) => package::Content::New(&entry.name, xml.as_bytes()),
                None => package::Content::Form(entry),
            });
        }
        for (name, bytes) in &added {
            contents.push(package::Content::New(name, bytes));
        }
        package::write(&self.package, &contents)
            .map_err(|e| template_error(&self.file, format!("failed to write the document: {e}")))
    }

    /// Fills one part: its XML, then breaks, grids and drawing ids fixed; and what it
    /// added (pictures, links).
    fn fill_part(
        &self,
        part: &Part,
        ctx: &Value,
        data: &serde_json::Value,
    ) -> Result<(String, value::Collected)> {
        let t = self
            .env
            .get_template(&part.name)
            .map_err(|e| template_error(&self.file, e.to_string()))?;
        let mut out = super::Capped {
            bytes: Vec::with_capacity(part.source.len() + 16 * 1024),
            limit: PART_BUDGET.output,
        };
        let mut captured = t
            .render_captured_to(ctx, &mut out)
            .map_err(|e| self.fill_error(part, &e, data))?;
        let collected = captured
            .with_state_mut(|s| {
                s.get_extension_mut::<value::Collected>()
                    .map(std::mem::take)
            })
            .unwrap_or_default();
        // minijinja writes whole `str`s, so the bytes are UTF-8.
        let mut xml = String::from_utf8(out.bytes)
            .map_err(|e| template_error(&self.file, format!("{}: {e}", part.name)))?;
        if collected.breaks {
            xml = listing::resolve(&xml);
        }
        if part.fit_grid {
            xml = tables::fit_grids(&xml);
        }
        if part.main {
            xml = tables::number_drawings(&xml);
        }
        Ok((xml, collected))
    }

    /// The error for a filling of `part` with `data` that failed with `e`: where the tag
    /// is, and why. A filter that failed on a field the record lacks (`not a date: ''`
    /// for a missing `ngay`) is reported as that undefined field.
    fn fill_error(&self, part: &Part, e: &minijinja::Error, data: &serde_json::Value) -> Error {
        let at = e.range().map_or(part.source.len(), |r| r.start);
        let place = location::describe(&part.name, &part.source, at);
        let missing = (e.kind() == minijinja::ErrorKind::InvalidOperation)
            .then(|| location::tag_at(&part.source, at))
            .flatten()
            .and_then(|tag| {
                location::names(&tag).into_iter().find(|name| {
                    self.info.fields.contains(name) && data.get(name.as_str()).is_none()
                })
            });
        let reason = match missing {
            Some(name) => format!("undefined field '{name}'"),
            None => match super::describe(&self.file, &part.source, e, PART_BUDGET) {
                Error::Template { reason, .. } => reason.replace("'(", "'").replace(")'", "'"),
                other => other.to_string(),
            },
        };
        template_error(&self.file, format!("{place}: {reason}"))
    }
}

/// The error for a part whose tags minijinja cannot compile.
fn compile_error(file: &str, part: &Part, e: &minijinja::Error) -> Error {
    let at = e.range().map_or(part.source.len(), |r| r.start);
    let place = location::describe(&part.name, &part.source, at);
    let reason = e
        .detail()
        .map_or_else(|| e.kind().to_string(), str::to_string);
    template_error(file, format!("{place}: {reason}"))
}

/// The minijinja environment of a form: docxtpl's syntax (no block trimming), XML escaping
/// through [`value::format`], the Vietnamese filters and the `{{r }}` / `{{p }}` filters.
fn environment(config: &Arc<value::Config>) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_fuel(Some(PART_BUDGET.fuel));
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.set_auto_escape_callback(|_| AutoEscape::Custom("xml".into()));
    let c = Arc::clone(config);
    env.set_formatter(move |out, state, v| value::format(&c, out, state, v));
    super::filters::register(&mut env);
    env.add_filter("picture", value::picture_filter);
    let c = Arc::clone(config);
    env.add_filter(
        patch::RUN_FILTER,
        move |state: &mut minijinja::State<'_, '_>, v: Value, k: usize| {
            value::run_filter(&c, state, &v, k)
        },
    );
    let c = Arc::clone(config);
    env.add_filter(
        patch::PARAGRAPH_FILTER,
        move |state: &mut minijinja::State<'_, '_>, v: Value, k: usize| {
            value::paragraph_filter(&c, state, &v, k)
        },
    );
    env
}

/// The relationships XML of a part with the pictures and links it added.
fn relationships(existing: Option<&str>, added: &value::Collected) -> String {
    let mut new = String::new();
    for m in &added.media {
        new.push_str(&format!(
            "<Relationship Id=\"{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"{}\"/>",
            m.rid, m.target
        ));
    }
    for (rid, url) in &added.links {
        let mut target = String::new();
        xml::escape_into(url, &mut target);
        new.push_str(&format!(
            "<Relationship Id=\"{rid}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\" Target=\"{target}\" TargetMode=\"External\"/>"
        ));
    }
    match existing.and_then(|x| x.rfind("</Relationships>").map(|p| (x, p))) {
        Some((x, p)) => format!("{}{new}{}", &x[..p], &x[p..]),
        None => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{new}</Relationships>"
        ),
    }
}

/// Adds `<Default Extension="ext" …/>` to `[Content_Types].xml` unless it has one.
fn add_default_type(types: &mut String, ext: &str, mime: &str) {
    let has = types
        .to_ascii_lowercase()
        .contains(&format!("extension=\"{ext}\""));
    if has {
        return;
    }
    if let Some(p) = types.find("<Default ").or_else(|| types.find("<Override ")) {
        types.insert_str(
            p,
            &format!("<Default Extension=\"{ext}\" ContentType=\"{mime}\"/>"),
        );
    }
}

/// `core` with its created and modified dates set to `date`.
fn set_dates(core: &str, date: &str) -> String {
    let mut out = core.to_string();
    for name in ["dcterms:created", "dcterms:modified"] {
        let open = format!("<{name}");
        let close = format!("</{name}>");
        if let (Some(s), Some(e)) = (out.find(&open), out.find(&close))
            && let Some(gt) = out[s..e].find('>')
        {
            out.replace_range(s + gt + 1..e, date);
        } else if out.contains("xmlns:dcterms=")
            && out.contains("xmlns:xsi=")
            && let Some(p) = out.rfind("</cp:coreProperties>")
        {
            out.insert_str(
                p,
                &format!("<{name} xsi:type=\"dcterms:W3CDTF\">{date}</{name}>"),
            );
        }
    }
    out
}
