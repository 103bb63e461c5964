//! `vanban templates`: the built-in templates and the user's, with the fields they read;
//! `--copy` starts a user's own template from a built-in one.

use std::path::{Path, PathBuf};

use anyhow::Context;
use vanban::template::Templates;

/// List the templates `vanban render` can fill, with their standard and data fields.
///
/// Built-in templates come first; `--templates DIR` adds every `*.md` file in DIR (a file
/// with a built-in's name replaces it), then its Word forms (`*.docx`, filled with
/// docxtpl's tags), each with the fields its tags read. `--copy NAME DIR` writes the source
/// of built-in template NAME to DIR/NAME.md, to edit as your own (an existing file is not
/// replaced).
///
/// Examples:
///   vanban templates
///   vanban templates --templates mau/
///   vanban templates --copy cong-van mau/
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct Args {
    /// Folder with your own templates (`*.md`) and Word forms (`*.docx`).
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Write built-in template NAME's source into DIR (as NAME.md) to start your own.
    #[arg(long, num_args = 2, value_names = ["NAME", "DIR"])]
    copy: Option<Vec<String>>,
}

/// A user template that could not be loaded: its name (the file name without `.md`) and
/// why, naming the file and line.
pub(crate) type Broken = (String, anyhow::Error);

/// The built-in templates plus those in `dir`. A file that cannot be read or compiled is
/// returned in the second list instead of failing the rest, so one broken template does
/// not block the others (and never silently falls back to a built-in of the same name).
pub(crate) fn load(dir: Option<&Path>) -> anyhow::Result<(Templates, Vec<Broken>)> {
    let mut templates = Templates::builtin();
    let mut broken = Vec::new();
    let Some(dir) = dir else {
        return Ok((templates, broken));
    };
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("failed to read {}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    for path in files {
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = file.strip_suffix(".md").unwrap_or(&file).to_string();
        // A template is an input too: a regular file, within the input cap, in UTF-8.
        let added = vanban::read::load_file(&path, vanban::read::Limits::default())
            .map_err(anyhow::Error::from)
            .and_then(|bytes| {
                String::from_utf8(bytes)
                    .with_context(|| format!("{}: not UTF-8 text", path.display()))
            })
            .and_then(|source| Ok(templates.add(&file, &source, &dir.display().to_string())?));
        if let Err(e) = added {
            broken.push((name, e));
        }
    }
    Ok((templates, broken))
}

/// The Word form `-t NAME` means: `NAME` itself when it ends in `.docx` (looked up in
/// `dir` first), or `dir/NAME.docx` when `dir` has no `NAME.md`.
pub(crate) fn docx_form(name: &str, dir: Option<&Path>) -> Option<PathBuf> {
    if name.to_ascii_lowercase().ends_with(".docx") {
        let inside = dir.map(|d| d.join(name)).filter(|p| p.is_file());
        return Some(inside.unwrap_or_else(|| PathBuf::from(name)));
    }
    let dir = dir?;
    let form = dir.join(format!("{name}.docx"));
    (form.is_file() && !dir.join(format!("{name}.md")).exists()).then_some(form)
}

/// The Word forms in `dir`, sorted.
fn docx_forms(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("failed to read {}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("docx"))
                && !p
                    .file_name()
                    .is_some_and(|f| f.to_string_lossy().starts_with("~$"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Writes built-in template `name`'s source to `dir/name.md`, creating `dir`; refuses to
/// replace a file that is there.
fn copy(name: &str, dir: &Path) -> anyhow::Result<u8> {
    let file = format!("{}.md", name.strip_suffix(".md").unwrap_or(name));
    let Some((_, source)) = vanban::template::BUILTIN.iter().find(|(f, _)| *f == file) else {
        let names: Vec<&str> = vanban::template::BUILTIN
            .iter()
            .map(|(f, _)| f.strip_suffix(".md").unwrap_or(f))
            .collect();
        anyhow::bail!(
            "no built-in template '{name}' (built in: {})",
            names.join(", ")
        );
    };
    std::fs::create_dir_all(dir).with_context(|| format!("failed to create {}", dir.display()))?;
    let path = dir.join(&file);
    if path.exists() {
        anyhow::bail!("{} exists; not replaced", path.display());
    }
    vanban::batch::write_atomic(&path, source.as_bytes())
        .with_context(|| format!("failed to write {}", path.display()))?;
    say!(
        "wrote {} (use it with --templates {})",
        path.display(),
        dir.display()
    );
    Ok(super::EXIT_OK)
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    if let Some([name, dir]) = args.copy.as_deref() {
        return copy(name, Path::new(dir));
    }
    let (templates, mut broken) = load(args.templates.as_deref())?;
    let mut out = String::new();
    for t in templates.list() {
        out.push_str(&format!(
            "{}  ({}, {}, {})\n  {}\n  fields: {}\n\n",
            t.name,
            t.kind,
            t.standard.as_str(),
            t.origin,
            t.description,
            t.fields.join(", ")
        ));
    }
    if let Some(dir) = args.templates.as_deref() {
        for path in docx_forms(dir)? {
            match super::render::docx::compile(&path, None, &dir.display().to_string()) {
                Ok(form) => {
                    let t = form.info();
                    out.push_str(&format!("{}  (Word form, {})\n", t.file, t.origin));
                    if !t.description.is_empty() {
                        out.push_str(&format!("  {}\n", t.description));
                    }
                    out.push_str(&format!("  fields: {}\n\n", t.fields.join(", ")));
                }
                Err(e) => broken.push((path.display().to_string(), e)),
            }
        }
    }
    super::inputs::write_output(None, out.as_bytes())?;
    for (_, e) in &broken {
        say!("vanban: {e:#}");
    }
    Ok(if broken.is_empty() {
        super::EXIT_OK
    } else {
        super::EXIT_SOME_FAILED
    })
}
