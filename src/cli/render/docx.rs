//! `vanban render -t FORM.docx`: fill a Word form (docxtpl tags) once per record.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::Context;
use vanban::batch;
use vanban::template::Templates;
use vanban::template::docx::DocxForm;

use super::{Args, COMMIT_EVERY, check_dates, finish_batch, output_names, template_records};

/// The most bytes of one picture read from disk.
const MAX_PICTURE_BYTES: u64 = 32 * 1024 * 1024;

/// Reads pictures named in the data, relative to `base` (the data file's folder), each
/// file once per run.
fn picture_loader(base: PathBuf) -> Arc<vanban::template::docx::PictureLoader> {
    let cache: Mutex<HashMap<PathBuf, Arc<Vec<u8>>>> = Mutex::new(HashMap::new());
    Arc::new(move |name: &str| {
        let path = base.join(name);
        if let Some(bytes) = cache.lock().ok().and_then(|c| c.get(&path).cloned()) {
            return Ok(bytes);
        }
        let limits = vanban::read::Limits {
            max_bytes: MAX_PICTURE_BYTES,
            ..Default::default()
        };
        let bytes = vanban::read::load_file(&path, limits)
            .map(Arc::new)
            .map_err(|e| format!("{:#}", anyhow::Error::from(e)))?;
        if let Ok(mut c) = cache.lock() {
            c.insert(path, Arc::clone(&bytes));
        }
        Ok(bytes)
    })
}

/// Compiles the form at `path`; pictures in the data are read relative to `data`'s folder.
pub(crate) fn compile(path: &Path, data: Option<&Path>, origin: &str) -> anyhow::Result<DocxForm> {
    let bytes = vanban::read::load_file(path, vanban::read::Limits::default())?;
    let base = data
        .filter(|d| d.as_os_str() != "-")
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(DocxForm::compile(
        &file,
        origin,
        bytes,
        picture_loader(base),
    )?)
}

pub(super) fn run(args: Args, form_path: &Path) -> anyhow::Result<u8> {
    let started = std::time::Instant::now();
    for f in &args.format {
        match f.trim() {
            "docx" => {}
            "pdf" => anyhow::bail!(
                "{}: a Word form is filled as DOCX only; PDF from a .docx comes with DOCX → PDF conversion (use -f docx)",
                form_path.display()
            ),
            f => anyhow::bail!("unsupported format '{f}' (supported: docx)"),
        }
    }
    let origin = form_path
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let form = compile(form_path, Some(&args.data), &origin)?;
    let mut names_env = Templates::new();
    if let Some(pattern) = &args.name {
        names_env.set_name_pattern(pattern)?;
    }
    let records = template_records(&args, Some(form.info()))?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("failed to create {}", args.out.display()))?;

    let stem_default = form.info().name.clone();
    let (paths, jobs, failed) = output_names(&args, &records, &names_env, &stem_default, "docx");
    let claim = batch::claim_folder(&args.out, &paths);
    let options = batch::Options {
        jobs: args.jobs,
        progress: !args.quiet,
    };
    let report = batch::publish_staged(paths, options, COMMIT_EVERY, |path| {
        let i = jobs.get(path).copied().unwrap_or_default();
        check_dates(&args.data, &records[i])?;
        let bytes = form.fill(&records[i], None)?;
        Ok(vec![batch::stage(path, &bytes)?])
    });
    drop(claim);
    Ok(finish_batch(
        &args, &records, &jobs, report, failed, started,
    ))
}
