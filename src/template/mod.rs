//! Templates: one text file each, a front matter block and a Markdown body, both filled
//! with Jinja2 syntax (minijinja) into a [`Draft`].
//!
//! ```text
//! ---
//! kind: Kế hoạch
//! standard: dang
//! description: one line for `vanban templates`
//! issuing_body: {{ co_quan }}
//! number: {{ so }}
//! place: {{ dia_danh }}
//! date: {{ ngay }}
//! recipients:
//! {%- for n in noi_nhan %}
//! - {{ n }}
//! {%- endfor %}
//! ---
//! # I. MỤC ĐÍCH, YÊU CẦU
//! {% for m in muc_dich %}
//! {{ loop.index }}. {{ m }}
//! {% endfor %}
//! ```
//!
//! Front matter keys: `kind`, `standard`, `description`, `parent_body`, `issuing_body` (a
//! `|` in either is a line break), `number`, `place`, `date`, `subject`, `enacted_by` (who
//! enacts a quyết định), `authority`, `position`, `signer`, `left_authority`,
//! `left_position`, `left_signer` (a second signature on the left, for minutes), and the
//! lists of `- ` lines `addressees` (Kính gửi), `bases` (căn cứ) and `recipients` (Nơi
//! nhận).
//!
//! Values are escaped for Markdown as they are printed (a `|` or `*` in data stays text);
//! `{{ x | safe }}` opts out. Printing or looping over an undefined field is an error, not
//! a blank; optional fields say so with `{% if x is defined %}` or `{{ x | default("") }}`.
//! Block tags trim the newline after them (`trim_blocks`), so end front matter lines with
//! an expression (`{{ "a" if x else "b" }}`), not with `{% endif %}`. The filling is pure:
//! templates are added as strings; reading files is the caller's job.
//!
//! One filling has a budget: a front matter or a body may take a million steps or make
//! 64 MiB of text, and print 4 MiB; a file name sixteen thousand steps or 1 MiB, and
//! 4 KiB. A template that goes over (a loop in a loop, a string doubled in a loop) fails
//! for that record with an error naming the template, in bounded time and memory.

pub mod data;
pub mod docx;
mod filters;

use std::collections::BTreeSet;

use minijinja::value::ValueKind;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value, context};

use crate::document::{Draft, Signature, Standard};
use crate::{Error, Result};

/// The built-in templates: (file name, source).
pub const BUILTIN: [(&str, &str); 10] = [
    ("ke-hoach.md", include_str!("../../templates/ke-hoach.md")),
    ("bien-ban.md", include_str!("../../templates/bien-ban.md")),
    ("bao-cao.md", include_str!("../../templates/bao-cao.md")),
    (
        "bao-cao-thang.md",
        include_str!("../../templates/bao-cao-thang.md"),
    ),
    (
        "ke-hoach-trien-khai.md",
        include_str!("../../templates/ke-hoach-trien-khai.md"),
    ),
    ("cong-van.md", include_str!("../../templates/cong-van.md")),
    (
        "quyet-dinh.md",
        include_str!("../../templates/quyet-dinh.md"),
    ),
    ("to-trinh.md", include_str!("../../templates/to-trinh.md")),
    ("thong-bao.md", include_str!("../../templates/thong-bao.md")),
    ("giay-moi.md", include_str!("../../templates/giay-moi.md")),
];

/// What `vanban templates` shows about one template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateInfo {
    /// Name used with `--template` (the file name without `.md`).
    pub name: String,
    /// File name used in error messages (`ke-hoach.md`).
    pub file: String,
    /// Where it came from: `built-in` or the folder given with `--templates`.
    pub origin: String,
    /// One-line description from the front matter.
    pub description: String,
    /// Type name (`Kế hoạch`).
    pub kind: String,
    /// Default standard; a record's `standard` field overrides it.
    pub standard: Standard,
    /// Top-level data fields the template reads, sorted.
    pub fields: Vec<String>,
    /// Fields the template can do without (tested with `is defined` or given a
    /// `default`), sorted.
    pub optional: Vec<String>,
    /// Fields the template iterates (`{% for x in FIELD %}`): a text there is a list, one
    /// item per line.
    pub iterated: Vec<String>,
    /// Column names a table may use for a field, from the front matter's `fields:` block
    /// (`so: Số văn bản`): (field, column name).
    pub labels: Vec<(String, String)>,
}

/// A set of templates compiled into one minijinja environment (and the `--name` pattern
/// into a second one, with a smaller budget). Cheap to share between threads; filling does
/// no IO.
pub struct Templates {
    env: Environment<'static>,
    /// Holds the `--name` pattern only.
    names: Environment<'static>,
    infos: Vec<TemplateInfo>,
    /// (front source, body source) per template, same order as `infos`, for error spans.
    sources: Vec<(String, String)>,
    name_pattern: Option<String>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("templates", &self.infos)
            .finish()
    }
}

/// How much one filling may do. minijinja charges one unit of fuel per instruction and
/// one per 64 bytes of text the template makes (printed, joined with `~`, returned by a
/// filter), and refuses to make a string the remaining fuel cannot pay for; so the fuel
/// bounds both the time and the memory of one filling, even inside one expression
/// (`{% set ns.s = ns.s ~ ns.s %}` forty times round a loop stops below 64 MiB instead of
/// asking for a terabyte). `output` caps what the filling prints.
#[derive(Debug, Clone, Copy)]
struct Budget {
    /// minijinja fuel.
    fuel: u64,
    /// Bytes the filling may print.
    output: usize,
}

/// A record's front matter or body: a million steps or 64 MiB of text made, and 4 MiB
/// printed. The fixtures' records take under a thousand steps; `ke-hoach`'s task table
/// takes 29 steps and prints 223 bytes a row, so 4 MiB (some 19,000 rows) is reached first.
const DOCUMENT_BUDGET: Budget = Budget {
    fuel: 1 << 20,
    output: 4 << 20,
};

/// A `--name` pattern: sixteen thousand steps or 1 MiB of text made, and 4 KiB printed
/// (a file name keeps 100 characters of it).
const NAME_BUDGET: Budget = Budget {
    fuel: 16 << 10,
    output: 4 << 10,
};

/// Bytes of text one unit of fuel pays for (`Environment::set_fuel`: "roughly one fuel per
/// 64 bytes"); only used to say the budget in words.
const BYTES_PER_FUEL: usize = 64;

/// `bytes` in words: `4 MiB`, `4 KiB`.
fn size_words(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{} KiB", bytes >> 10)
    }
}

/// Output that refuses to grow past its limit: the write that would cross it fails, which
/// stops the filling with a `WriteFailure`.
struct Capped {
    bytes: Vec<u8>,
    limit: usize,
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > self.limit {
            return Err(std::io::Error::other("output limit"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Fills `template` with `ctx`, printing at most `budget.output` bytes.
fn render_capped(
    template: &minijinja::Template<'_, '_>,
    ctx: &Value,
    budget: Budget,
) -> std::result::Result<String, minijinja::Error> {
    let mut out = Capped {
        bytes: Vec::with_capacity(8 << 10),
        limit: budget.output,
    };
    template.render_captured_to(ctx, &mut out)?;
    // minijinja writes whole `str`s, so the bytes are UTF-8.
    String::from_utf8(out.bytes)
        .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string()))
}

/// A minijinja environment with vanban's syntax, escaping, formatter and filters, where
/// one filling may use `fuel`.
fn environment(fuel: u64) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_fuel(Some(fuel));
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(BODY) {
            AutoEscape::Custom("markdown".into())
        } else {
            AutoEscape::Custom("line".into())
        }
    });
    env.set_formatter(formatter);
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    filters::register(&mut env);
    env
}

const FRONT: &str = "front";
const BODY: &str = "body";
const NAME: &str = "--name";

fn template_error(file: &str, line: Option<usize>, reason: impl Into<String>) -> Error {
    Error::Template {
        template: file.to_string(),
        line,
        reason: reason.into(),
    }
}

/// Splits a template file into (front matter, body), each padded with empty lines so
/// that minijinja's line numbers are the file's.
fn split(file: &str, source: &str) -> Result<(String, String)> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut lines = source.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(template_error(
            file,
            Some(1),
            "expected a front matter block opening with `---`",
        ));
    }
    let mut front = String::from("\n");
    let mut n = 1;
    for line in lines.by_ref() {
        n += 1;
        if line.trim_end() == "---" {
            let mut body = "\n".repeat(n);
            body.extend(lines);
            return Ok((front, body));
        }
        front.push_str(line);
    }
    Err(template_error(
        file,
        Some(n),
        "front matter block is not closed with `---`",
    ))
}

/// Escapes `s` so that Markdown prints it as text: punctuation that starts emphasis,
/// tables, links, code, HTML or entities gets a backslash; line-start markers (`-`, `+`,
/// `#`, `1.`) too; newlines become spaces so a value cannot end a table row.
pub fn escape_markdown(s: &str, out: &mut String) {
    let mut line_start = true;
    let bytes = s.as_bytes();
    for (i, c) in s.char_indices() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '-' | '+' | '=' if line_start => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')'
                if i > 0
                    && bytes[..i].iter().all(|b| b.is_ascii_digit())
                    && bytes.get(i + 1).is_none_or(|b| *b == b' ') =>
            {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
        line_start = false;
    }
}

/// A list or an object printed with `{{ … }}` is a mistake in the data (a list where a
/// date goes, an object where a number goes): an error naming the value, not `[…]` in a
/// document.
fn refuse_containers(value: &Value) -> std::result::Result<(), minijinja::Error> {
    let what = match value.kind() {
        ValueKind::Seq | ValueKind::Iterable => "a list",
        ValueKind::Map | ValueKind::Plain => "an object",
        _ => return Ok(()),
    };
    let mut shown = value.to_string();
    if shown.len() > 60 {
        let end = crate::text::floor_boundary(&shown, 57);
        shown.truncate(end);
        shown.push_str("...");
    }
    Err(minijinja::Error::new(
        minijinja::ErrorKind::InvalidOperation,
        format!("{what} where text is expected: {shown}"),
    ))
}

fn formatter(
    out: &mut minijinja::Output<'_>,
    state: &mut minijinja::State<'_, '_>,
    value: &Value,
) -> std::result::Result<(), minijinja::Error> {
    if value.is_safe() {
        return out
            .write_str(value.as_str().unwrap_or_default())
            .map_err(Into::into);
    }
    refuse_containers(value)?;
    let owned;
    let text = match value.as_str() {
        Some(s) => s,
        None if value.is_none() => "",
        None => {
            owned = value.to_string();
            &owned
        }
    };
    let mut escaped = String::with_capacity(text.len() + 8);
    match state.auto_escape() {
        AutoEscape::Custom(kind) if kind == "markdown" => escape_markdown(text, &mut escaped),
        _ => escaped.extend(
            text.chars()
                .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
        ),
    }
    out.write_str(&escaped).map_err(Into::into)
}

/// Top-level names that a template's `for` loops iterate, sorted.
fn iterated_fields(source: &str) -> Vec<String> {
    static FOR: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\{%-?\s*for\s+[\w\s,()]+?\s+in\s+([A-Za-z_]\w*)\s*(?:-?%\}|\||if\b)")
            .expect("literal regex")
    });
    let set: BTreeSet<String> = FOR
        .captures_iter(source)
        .map(|c| c[1].to_string())
        .collect();
    set.into_iter().collect()
}

/// Top-level names a template tests with `is defined` or gives a `default`, sorted.
fn optional_fields(source: &str) -> Vec<String> {
    static OPTIONAL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"\b([A-Za-z_]\w*)\s+is\s+(?:not\s+)?defined\b|\b([A-Za-z_]\w*)\s*\|\s*(?:default|d)\b",
        )
        .expect("literal regex")
    });
    let set: BTreeSet<String> = OPTIONAL
        .captures_iter(source)
        .filter_map(|c| c.get(1).or(c.get(2)).map(|m| m.as_str().to_string()))
        .collect();
    set.into_iter().collect()
}

/// The `fields:` block of a front matter: indented `field: Column name` lines.
fn field_labels(front: &str) -> Vec<(String, String)> {
    let mut labels = Vec::new();
    let mut inside = false;
    for line in front.lines() {
        let indented = line.starts_with([' ', '\t']);
        if inside && indented {
            if let Some((field, label)) = line.trim().split_once(':') {
                let label = label.trim().trim_matches('"');
                if !field.trim().is_empty() && !label.is_empty() {
                    labels.push((field.trim().to_string(), label.to_string()));
                }
            }
            continue;
        }
        inside = line.trim_end() == "fields:";
    }
    labels
}

/// Fits records to template `info` before filling: a column named by its label in the
/// front matter's `fields:` block takes the field's name; a text in a field the template
/// iterates becomes a list, one item per non-empty line (an Excel cell typed with
/// Alt+Enter); and a required field that no record has is one error that lists the
/// columns expected and the columns found, instead of one error per record.
pub fn fit_records(info: &TemplateInfo, records: &mut [serde_json::Value]) -> Result<()> {
    for record in records.iter_mut() {
        let serde_json::Value::Object(map) = record else {
            continue;
        };
        for (field, label) in &info.labels {
            if map.contains_key(field) {
                continue;
            }
            let found = map
                .keys()
                .find(|k| crate::text::fold_key(k.trim()) == crate::text::fold_key(label))
                .cloned();
            if let Some(key) = found
                && let Some(value) = map.remove(&key)
            {
                map.insert(field.clone(), value);
            }
        }
        for field in &info.iterated {
            if let Some(serde_json::Value::String(text)) = map.get(field) {
                let items = text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| serde_json::Value::String(l.to_string()))
                    .collect();
                map.insert(field.clone(), serde_json::Value::Array(items));
            }
        }
    }
    if records.is_empty() {
        return Ok(());
    }
    let has = |field: &str| records.iter().any(|r| r.get(field).is_some());
    let missing: Vec<&String> = info
        .fields
        .iter()
        .filter(|f| !info.optional.contains(f) && !has(f))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let label = |field: &str| match info.labels.iter().find(|(f, _)| f == field) {
        Some((_, label)) => format!("{field} ({label})"),
        None => field.to_string(),
    };
    let mut found: Vec<String> = records
        .iter()
        .filter_map(|r| r.as_object())
        .flat_map(|m| m.keys().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    found.truncate(60);
    let present: Vec<String> = info
        .fields
        .iter()
        .filter(|f| !missing.contains(f))
        .map(|f| label(f))
        .collect();
    let mut reason = format!(
        "the data has no column for {}",
        missing
            .iter()
            .map(|f| label(f))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !present.is_empty() {
        reason.push_str(&format!(" (it has: {})", present.join(", ")));
    }
    let found = if found.is_empty() {
        "none".to_string()
    } else {
        found.join(", ")
    };
    reason.push_str(&format!("; the data's columns: {found}"));
    Err(template_error(&info.file, None, reason))
}

/// The static fields of a front matter (before filling): kind, standard, description.
fn static_fields(file: &str, front: &str) -> Result<(String, Standard, String)> {
    let mut kind = String::new();
    let mut standard = Standard::NhaNuoc;
    let mut description = String::new();
    for (i, line) in front.lines().enumerate() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match key.trim() {
            "kind" => kind = value.to_string(),
            "description" => description = value.to_string(),
            "standard" => {
                standard = Standard::parse(value).ok_or_else(|| {
                    template_error(
                        file,
                        Some(i + 1),
                        format!("unknown standard '{value}' (expected nha-nuoc or dang)"),
                    )
                })?
            }
            _ => {}
        }
    }
    Ok((kind, standard, description))
}

/// The error for a filling of `file` (from `source`) that failed with `e` under `budget`:
/// the template line and, in words, what went wrong.
fn describe(file: &str, source: &str, e: &minijinja::Error, budget: Budget) -> Error {
    let reason = match e.kind() {
        minijinja::ErrorKind::UndefinedError => {
            let expr = e.range().and_then(|r| source.get(r)).map(|s| {
                s.trim()
                    .trim_start_matches("{{")
                    .trim_end_matches("}}")
                    .trim()
            });
            match expr {
                Some(field) if !field.is_empty() => {
                    let field = field.split('|').next().unwrap_or(field).trim();
                    format!("undefined field '{field}'")
                }
                _ => "undefined field".to_string(),
            }
        }
        minijinja::ErrorKind::OutOfFuel => format!(
            "too much work for one record: over {} steps or {} of text made (a loop too long, or text that keeps growing?)",
            budget.fuel,
            size_words((budget.fuel as usize).saturating_mul(BYTES_PER_FUEL)),
        ),
        minijinja::ErrorKind::WriteFailure => {
            format!("output over {} for one record", size_words(budget.output))
        }
        _ => e
            .detail()
            .map_or_else(|| e.kind().to_string(), str::to_string),
    };
    template_error(file, e.line(), reason)
}

impl Templates {
    /// An empty set (add templates with [`Templates::add`]).
    pub fn new() -> Templates {
        Templates {
            env: environment(DOCUMENT_BUDGET.fuel),
            names: environment(NAME_BUDGET.fuel),
            infos: Vec::new(),
            sources: Vec::new(),
            name_pattern: None,
        }
    }

    /// The built-in templates.
    pub fn builtin() -> Templates {
        let mut t = Templates::new();
        for (file, source) in BUILTIN {
            // Built-in templates are tested; a broken one is a bug caught by the tests.
            if let Err(e) = t.add(file, source, "built-in") {
                debug_assert!(false, "{e}");
            }
        }
        t
    }

    /// Adds (or replaces) the template in `source`, known by `file` (`plan.md` →
    /// `plan`); `origin` says where it came from.
    pub fn add(&mut self, file: &str, source: &str, origin: &str) -> Result<()> {
        let name = file.strip_suffix(".md").unwrap_or(file).to_string();
        let (front, body) = split(file, source)?;
        let (kind, standard, description) = static_fields(file, &front)?;
        let compile = |env: &mut Environment<'static>, key: String, src: String| {
            env.add_template_owned(key, src)
                .map_err(|e| template_error(file, e.line(), e.detail().unwrap_or("syntax error")))
        };
        compile(&mut self.env, format!("{name}.{FRONT}"), front.clone())?;
        compile(&mut self.env, format!("{name}.{BODY}"), body.clone())?;
        let mut fields = BTreeSet::new();
        for key in [FRONT, BODY] {
            if let Ok(t) = self.env.get_template(&format!("{name}.{key}")) {
                fields.extend(t.undeclared_variables(false));
            }
        }
        fields.remove("standard");
        // Functions such as `range` and `namespace` are globals, not data.
        let globals: BTreeSet<String> = self.env.globals().map(|(k, _)| k.to_string()).collect();
        fields.retain(|f| !globals.contains(f));
        let sources = format!("{front}\n{body}");
        let info = TemplateInfo {
            name: name.clone(),
            file: file.to_string(),
            origin: origin.to_string(),
            description,
            kind,
            standard,
            fields: fields.into_iter().collect(),
            optional: optional_fields(&sources),
            iterated: iterated_fields(&sources),
            labels: field_labels(&front),
        };
        match self.infos.iter().position(|i| i.name == name) {
            Some(i) => {
                self.infos[i] = info;
                self.sources[i] = (front, body);
            }
            None => {
                self.infos.push(info);
                self.sources.push((front, body));
            }
        }
        Ok(())
    }

    /// Every template, built-in first, in the order added.
    pub fn list(&self) -> &[TemplateInfo] {
        &self.infos
    }

    /// The template called `name`.
    pub fn get(&self, name: &str) -> Option<&TemplateInfo> {
        self.infos.iter().find(|i| i.name == name)
    }

    /// Sets the output name pattern (`{{ so }}`) used by [`Templates::name`].
    pub fn set_name_pattern(&mut self, pattern: &str) -> Result<()> {
        self.names
            .add_template_owned(NAME, pattern.to_string())
            .map_err(|e| template_error(NAME, None, e.detail().unwrap_or("syntax error")))?;
        self.name_pattern = Some(pattern.to_string());
        Ok(())
    }

    /// Fills the name pattern with `data` (not yet made safe for a file system). A pattern
    /// that goes over its budget (see the module doc) is an error naming `--name`.
    pub fn name(&self, data: &serde_json::Value) -> Result<String> {
        let pattern = self.name_pattern.as_deref().unwrap_or_default();
        let t = self
            .names
            .get_template(NAME)
            .map_err(|e| template_error(NAME, None, e.to_string()))?;
        let ctx = Value::from(minijinja::value::Serde(data));
        render_capped(&t, &ctx, NAME_BUDGET).map_err(|e| describe(NAME, pattern, &e, NAME_BUDGET))
    }

    /// Fills template `name` with one record. The record's `standard` field, when set,
    /// overrides the template's default and is visible to the template as `standard`. A
    /// filling that goes over its budget (see the module doc) is an error naming the
    /// template.
    pub fn fill(&self, name: &str, data: &serde_json::Value) -> Result<Draft> {
        let index = self
            .infos
            .iter()
            .position(|i| i.name == name)
            .ok_or_else(|| Error::UnknownTemplate(name.to_string()))?;
        let info = &self.infos[index];
        let (front_src, body_src) = &self.sources[index];
        let standard = match data.get("standard") {
            Some(serde_json::Value::String(s)) => Standard::parse(s).ok_or_else(|| {
                template_error(
                    &info.file,
                    None,
                    format!("unknown standard '{s}' in data (expected nha-nuoc or dang)"),
                )
            })?,
            _ => info.standard,
        };
        let ctx = context! { standard => standard.as_str(), ..Value::from(minijinja::value::Serde(data)) };
        let render = |key: &str, src: &str| -> Result<String> {
            let t = self
                .env
                .get_template(&format!("{name}.{key}"))
                .map_err(|e| template_error(&info.file, None, e.to_string()))?;
            render_capped(&t, &ctx, DOCUMENT_BUDGET)
                .map_err(|e| describe(&info.file, src, &e, DOCUMENT_BUDGET))
        };
        let front = render(FRONT, front_src)?;
        let body = render(BODY, body_src)?;
        let mut draft = parse_front(&info.file, &front)?;
        draft.standard = Some(standard);
        draft.body = body;
        Ok(draft)
    }
}

impl Default for Templates {
    fn default() -> Self {
        Templates::builtin()
    }
}

/// Reads the filled front matter into a [`Draft`] (body empty).
fn parse_front(file: &str, front: &str) -> Result<Draft> {
    let mut d = Draft::default();
    let mut left = Signature::default();
    // The list the `- ` lines go to.
    let mut list: Option<&mut Vec<String>> = None;
    let mut in_fields = false;
    for (i, line) in front.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        // The `fields:` block names columns for fields (see `fit_records`): not content.
        if in_fields && line.starts_with([' ', '\t']) {
            continue;
        }
        in_fields = trimmed == "fields:";
        if in_fields {
            list = None;
            continue;
        }
        if let Some(item) =
            trimmed
                .strip_prefix("- ")
                .or(if trimmed == "-" { Some("") } else { None })
        {
            let Some(items) = list.as_mut() else {
                return Err(template_error(
                    file,
                    Some(line_no),
                    "list item outside `recipients:`, `addressees:` or `bases:`",
                ));
            };
            if !item.trim().is_empty() {
                items.push(item.trim().to_string());
            }
            continue;
        }
        let Some((key, value)) = trimmed.split_once(':') else {
            return Err(template_error(
                file,
                Some(line_no),
                format!("expected `key: value`, found '{trimmed}'"),
            ));
        };
        let value = value.trim().to_string();
        list = None;
        match key.trim() {
            "kind" => d.kind = value,
            "standard" | "description" => {}
            "parent_body" => d.parent_body = value,
            "issuing_body" => d.issuing_body = value,
            "number" => d.number = value,
            "place" => d.place = value,
            "date" => d.date = value,
            "subject" => d.subject = value,
            "authority" => d.authority = value,
            "position" => d.position = value,
            "signer" => d.signer = value,
            "left_authority" => left.authority = value,
            "left_position" => left.position = value,
            "left_signer" => left.name = value,
            "enacted_by" => d.enacted_by = value,
            "recipients" => list = Some(&mut d.recipients),
            "addressees" => list = Some(&mut d.addressees),
            "bases" => list = Some(&mut d.bases),
            other => {
                return Err(template_error(
                    file,
                    Some(line_no),
                    format!("unknown front matter key '{other}'"),
                ));
            }
        }
    }
    if left != Signature::default() {
        d.signatures.push(left);
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const T: &str = "---\nkind: Kế hoạch\nstandard: dang\nnumber: {{ so }}\nrecipients:\n{% for n in noi_nhan %}\n- {{ n }}\n{% endfor %}\n---\n# I. VIỆC\n\n| Nội dung | Hạn |\n|---|---|\n{% for t in viec %}\n| {{ t.noi_dung }} | {{ t.han | dmy }} |\n{% endfor %}\n";

    fn check_err(data: serde_json::Value, want: &str) {
        let mut ts = Templates::new();
        ts.add("t.md", T, "test").unwrap();
        let err = ts.fill("t", &data).unwrap_err().to_string();
        assert_eq!(err, want);
    }

    #[test]
    fn fills_front_matter_and_escapes_values_in_tables() {
        let mut ts = Templates::new();
        ts.add("t.md", T, "test").unwrap();
        let data = json!({"so": "18-KH/TU", "noi_nhan": ["A", "B"],
            "viec": [{"noi_dung": "Họp | bàn *gấp*", "han": "2021-01-14"}]});
        let d = ts.fill("t", &data).unwrap();
        assert_eq!(d.number, "18-KH/TU");
        assert_eq!(d.recipients, ["A", "B"]);
        assert_eq!(d.standard, Some(Standard::Dang));
        assert!(
            d.body.contains(r"| Họp \| bàn \*gấp\* | 14/01/2021 |"),
            "{}",
            d.body
        );
        let doc = crate::document::layout(&d);
        let crate::document::Block::Table(t) = &doc.blocks[1] else {
            panic!()
        };
        assert_eq!(t.rows[0][0][0].text, "Họp | bàn *gấp*");
        assert_eq!(ts.list()[0].fields, ["noi_nhan", "so", "viec"]);
    }

    #[test]
    fn errors_name_the_template_line_and_field() {
        check_err(
            json!({"so": "1", "noi_nhan": []}),
            "t.md line 14: undefined field 'viec'",
        );
        check_err(
            json!({"noi_nhan": [], "viec": []}),
            "t.md line 4: undefined field 'so'",
        );
        check_err(
            json!({"so": "1", "noi_nhan": [], "viec": [{"noi_dung": "x", "han": "hôm qua"}]}),
            "t.md line 15: not a date: 'hôm qua'",
        );
        check_err(
            json!({"so": ["1", "2"], "noi_nhan": [], "viec": []}),
            "t.md line 4: a list where text is expected: ['1', '2']",
        );
        let long: Vec<String> = (0..40).map(|i| format!("mục {i}")).collect();
        check_err(
            json!({"so": {"a": long}, "noi_nhan": [], "viec": []}),
            "t.md line 4: an object where text is expected: {'a': ['mục 0', 'mục 1', 'mục 2', 'mục 3', 'mục...",
        );
    }

    #[test]
    fn broken_templates_name_their_line() {
        let mut ts = Templates::new();
        let err = ts
            .add("x.md", "---\nkind: A\n---\nok\n{% for a in b %}\n", "test")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("x.md line 5:"), "{err}");
        let err = ts.add("y.md", "kind: A\n", "test").unwrap_err().to_string();
        assert!(err.starts_with("y.md line 1:"), "{err}");
        ts.add("z.md", "---\nkind: A\nsignr: {{ a }}\n---\n", "test")
            .unwrap();
        let err = ts.fill("z", &json!({"a": 1})).unwrap_err().to_string();
        assert_eq!(err, "z.md line 3: unknown front matter key 'signr'");
    }

    #[test]
    fn escaping_keeps_markdown_text() {
        let cases = [
            ("a | b", r"a \| b"),
            ("*x*", r"\*x\*"),
            ("- đầu", r"\- đầu"),
            ("1. Một", r"1\. Một"),
            ("Phòng NN & PTNT", r"Phòng NN \& PTNT"),
            ("dòng\nhai", "dòng hai"),
            ("10/11/2025", "10/11/2025"),
        ];
        for (input, want) in cases {
            let mut out = String::new();
            escape_markdown(input, &mut out);
            assert_eq!(out, want, "{input}");
        }
    }

    /// Fills a one-line body with `{"so": "1"}`.
    fn fill_body(body: &str) -> Result<Draft> {
        let mut ts = Templates::new();
        ts.add("b.md", &format!("---\nkind: A\n---\n{body}\n"), "test")
            .unwrap();
        ts.fill("b", &json!({"so": "1"}))
    }

    const NESTED: &str = "{% for a in range(n) %}{% for b in range(n) %}x{% endfor %}{% endfor %}";

    #[test]
    fn nested_loops_run_out_of_fuel_instead_of_hanging() {
        let mut ts = Templates::new();
        ts.add("l.md", &format!("---\nkind: A\n---\n{NESTED}\n"), "test")
            .unwrap();
        // 10^10 steps without a budget.
        let err = ts.fill("l", &json!({"n": 100000})).unwrap_err().to_string();
        assert_eq!(
            err,
            "l.md line 4: too much work for one record: over 1048576 steps or 64 MiB of text made (a loop too long, or text that keeps growing?)"
        );
        // The budget is per filling: the same set fills the next record.
        assert_eq!(
            ts.fill("l", &json!({"n": 3})).unwrap().body.trim(),
            "xxxxxxxxx"
        );
    }

    #[test]
    fn string_doubling_stops_before_it_takes_gigabytes() {
        let doubled = |times: usize| {
            fill_body(&format!(
                "{{% set ns = namespace(s='x') %}}{{% for i in range({times}) %}}{{% set ns.s = ns.s ~ ns.s %}}{{% endfor %}}{{{{ ns.s | length }}}}"
            ))
        };
        // 2^40 bytes without a budget: aborted at 1.5 GB under `ulimit -v`. (A plain `set`
        // in a loop does not grow: it is the loop's own and starts over each time round.)
        let err = doubled(40).unwrap_err().to_string();
        assert!(
            err.starts_with("b.md line 4: too much work for one record: over 1048576 steps"),
            "{err}"
        );
        // 1 MiB of text is within the budget.
        assert_eq!(doubled(20).unwrap().body.trim(), "1048576");
    }

    #[test]
    fn output_over_the_cap_is_an_error_for_that_record() {
        let err = fill_body("{{ 'x' * 5000000 }}").unwrap_err().to_string();
        assert_eq!(err, "b.md: output over 4 MiB for one record");
        let body = fill_body("{{ 'x' * 4000000 }}").unwrap().body;
        assert_eq!(body.trim().len(), 4_000_000);
    }

    #[test]
    fn name_patterns_have_a_smaller_budget() {
        let name = |pattern: &str| {
            let mut ts = Templates::new();
            ts.set_name_pattern(pattern).unwrap();
            ts.name(&json!({"so": "1", "n": 100000}))
        };
        let err = name(NESTED).unwrap_err().to_string();
        assert!(
            err.starts_with(
                "--name line 1: too much work for one record: over 16384 steps or 1 MiB"
            ),
            "{err}"
        );
        let err = name("{{ 'x' * 5000 }}").unwrap_err().to_string();
        assert_eq!(err, "--name: output over 4 KiB for one record");
        assert_eq!(name("KH-{{ so }}").unwrap(), "KH-1");
    }

    #[test]
    fn builtin_templates_compile() {
        let ts = Templates::builtin();
        let names: Vec<&str> = ts.list().iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "ke-hoach",
                "bien-ban",
                "bao-cao",
                "bao-cao-thang",
                "ke-hoach-trien-khai",
                "cong-van",
                "quyet-dinh",
                "to-trinh",
                "thong-bao",
                "giay-moi"
            ]
        );
    }
}
