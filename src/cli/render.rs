//! `vanban render`: fill a template for every record of a data file and write one
//! document per record.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use vanban::render::{self, RenderOptions, names};
use vanban::template::data;
use vanban::{Error, batch, document};

/// Word forms (`-t mau.docx`): their own batch, beside the Markdown one below.
pub(crate) mod docx;

/// How many records' outputs are published together by one `batch::commit`: one file
/// system sync per group instead of one per file. A killed batch leaves at most two
/// groups' temporary files, which the next run alone in the folder sweeps.
const COMMIT_EVERY: usize = 64;

/// Fill a template once per record and write one DOCX and/or PDF per record.
///
/// DATA is JSON (an object, or an array of objects), CSV or a spreadsheet (one record per
/// row; `a.b` columns nest, `a.0.b` columns make lists; a cell holding a JSON array is
/// parsed; a cell with line breaks is a list where the template loops over it). A record's `standard` field
/// (`nha-nuoc` or `dang`) overrides the template's. One failed record is reported with its
/// number, key field, template line and field; the others are still written (exit code 1).
///
/// Examples:
///   vanban render -t ke-hoach -d ke-hoach.json -o out/ --name "{{ so }}"
///   vanban render -t bien-ban -d hop.csv -o out/ --set dia_danh="Bắc Kạn"
///   vanban render -t ke-hoach-trien-khai -d ct.json -o out/ --set co_quan="UBND HUYỆN X"
///   vanban render -t mau-cong-van.docx -d danh-sach.xlsx -o out/
///
/// A Word form (`-t FORM.docx`, or a `.docx` in `--templates DIR`) is filled with
/// docxtpl's tags and written as DOCX, everything else in it kept as it is.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct Args {
    /// Template name (see `vanban templates`), or a Word form (`mau.docx`).
    #[arg(long, short = 't', value_name = "NAME")]
    template: String,
    /// Data file: JSON, CSV (`,` `;` or tab, as Excel saves it in any locale) or a
    /// spreadsheet (.xlsx, .xls, .ods), told apart by its bytes; `-` reads standard input.
    #[arg(long, short = 'd', value_name = "DATA")]
    data: PathBuf,
    /// With a spreadsheet: the sheet to read (default: the first).
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// Output folder (created if missing).
    #[arg(long, short = 'o', value_name = "DIR", default_value = ".")]
    out: PathBuf,
    /// Output formats, comma-separated: `docx`, `pdf` or `docx,pdf`.
    #[arg(long, short = 'f', default_value = "docx", value_delimiter = ',')]
    format: Vec<String>,
    /// Output file name pattern, filled per record (default: TEMPLATE-NNNN).
    #[arg(long, value_name = "PATTERN")]
    name: Option<String>,
    /// Set or override a field in every record (`key=value`, `a.b=value`; a JSON array or
    /// object value is parsed). Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Folder with your own templates (`*.md`) and Word forms (`*.docx`).
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Worker threads (0 = one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    jobs: usize,
    /// No progress bar (it is only drawn when stderr is a terminal).
    #[arg(long, short = 'q')]
    quiet: bool,
}

fn read_records(path: &Path, sheet: Option<&str>) -> anyhow::Result<Vec<serde_json::Value>> {
    // Data is an input like any other: regular files or `-`, read within the input cap.
    let limits = vanban::read::Limits::default();
    let bytes = if path.as_os_str() == "-" {
        vanban::read::load_stdin(limits)?
    } else {
        vanban::read::load_file(path, limits)?
    };
    data::from_bytes(&bytes, sheet).map_err(|e| {
        Error::Data {
            path: path.to_path_buf(),
            reason: e.0,
        }
        .into()
    })
}

/// Refuses a record whose date-shaped cells name days that do not exist, naming the
/// column and the value (`ngay: '31/02/2021' is not a date: …`).
fn check_dates(data: &Path, record: &serde_json::Value) -> vanban::Result<()> {
    let bad = data::impossible_dates(record);
    if bad.is_empty() {
        return Ok(());
    }
    let reason = bad
        .iter()
        .map(|(column, value, why)| format!("column '{column}': '{value}' is not a date ({why})"))
        .collect::<Vec<_>>()
        .join("; ");
    Err(Error::Data {
        path: data.to_path_buf(),
        reason,
    })
}

/// The output formats asked for, each once, in the order given.
fn output_formats(asked: &[String]) -> anyhow::Result<Vec<&'static str>> {
    let mut formats: Vec<&'static str> = Vec::new();
    for f in asked {
        let format = match f.trim() {
            "docx" => "docx",
            "pdf" => "pdf",
            f => anyhow::bail!("unsupported format '{f}' (supported: docx, pdf)"),
        };
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    anyhow::ensure!(
        !formats.is_empty(),
        "no output format given (supported: docx, pdf)"
    );
    Ok(formats)
}

/// The records of `--data`, with `--set` applied and fitted to the template's fields
/// (`info`: a Markdown template's or a Word form's).
fn template_records(
    args: &Args,
    info: Option<&vanban::template::TemplateInfo>,
) -> anyhow::Result<Vec<serde_json::Value>> {
    let mut records = read_records(&args.data, args.sheet.as_deref())?;
    let sets: Vec<(String, serde_json::Value)> = args
        .set
        .iter()
        .map(|s| data::parse_set(s).map_err(|e| anyhow::anyhow!(e.0)))
        .collect::<anyhow::Result<_>>()?;
    for record in &mut records {
        for (key, value) in &sets {
            data::set_path(record, key, value.clone());
        }
    }
    if let Some(info) = info {
        vanban::template::fit_records(info, &mut records)?;
    }
    Ok(records)
}

/// Output paths in `args.out`, in input order (so that uniqueness does not depend on
/// threads): the `--name` pattern filled per record, or `DEFAULT-NNNN`, made safe and
/// unique, with extension `ext`; and which record each path is for. A record whose name
/// cannot be filled is reported and counted in the returned number of failures.
fn output_names(
    args: &Args,
    records: &[serde_json::Value],
    names_from: &vanban::template::Templates,
    default: &str,
    ext: &str,
) -> (Vec<PathBuf>, HashMap<PathBuf, usize>, usize) {
    let mut unique = names::Unique::default();
    let mut failed = 0;
    let mut jobs: HashMap<PathBuf, usize> = HashMap::new();
    let mut paths = Vec::with_capacity(records.len());
    for (i, record) in records.iter().enumerate() {
        let fallback = format!("{default}-{:04}", i + 1);
        let stem = match &args.name {
            Some(_) => match names_from.name(record) {
                Ok(n) => names::safe_name(&n, &fallback),
                Err(e) => {
                    say!("vanban: {}", record_error(i, record, e));
                    failed += 1;
                    continue;
                }
            },
            None => fallback,
        };
        let path = args.out.join(format!("{}.{ext}", unique.claim(&stem)));
        jobs.insert(path.clone(), i);
        paths.push(path);
    }
    (paths, jobs, failed)
}

/// The error of record `i` (0-based), named by its key field.
fn record_error(i: usize, record: &serde_json::Value, error: Error) -> Error {
    Error::Record {
        index: i + 1,
        key: data::key_field(record),
        error: Box::new(error),
    }
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    if let Some(form) = super::templates::docx_form(&args.template, args.templates.as_deref()) {
        return docx::run(args, &form);
    }
    let started = std::time::Instant::now();
    let formats = output_formats(&args.format)?;
    let first_format = formats[0];
    let (mut templates, broken) = super::templates::load(args.templates.as_deref())?;
    for (name, e) in broken {
        if name == args.template {
            return Err(e);
        }
        say!("vanban: warning: skipped {e:#}");
    }
    let info = templates
        .get(&args.template)
        .ok_or_else(|| Error::UnknownTemplate(args.template.clone()))?;
    let template_name = info.name.clone();
    if let Some(pattern) = &args.name {
        templates.set_name_pattern(pattern)?;
    }
    let records = template_records(&args, templates.get(&template_name))?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("failed to create {}", args.out.display()))?;

    let (paths, jobs, failed) =
        output_names(&args, &records, &templates, &template_name, first_format);

    // A killed earlier run may have left temporary files for these outputs; they are swept
    // unless another run is writing to the folder, and the claim keeps other runs from
    // sweeping ours until it is dropped.
    let targets: Vec<PathBuf> = paths
        .iter()
        .flat_map(|p| formats.iter().map(|f| p.with_extension(f)))
        .collect();
    let claim = batch::claim_folder(&args.out, &targets);
    let options = RenderOptions::default();
    // Workers stage each output under its temporary name; every `COMMIT_EVERY` records a
    // committer thread syncs the group in one go and renames its files into place.
    let stream_options = batch::Options {
        jobs: args.jobs,
        progress: !args.quiet,
    };
    let report = batch::publish_staged(paths, stream_options, COMMIT_EVERY, |path| {
        let i = jobs.get(path).copied().unwrap_or_default();
        check_dates(&args.data, &records[i])?;
        let draft = templates.fill(&template_name, &records[i])?;
        let doc = document::layout(&draft);
        let mut staged = Vec::with_capacity(formats.len());
        for format in &formats {
            let bytes = match *format {
                "pdf" => render::pdf(&doc, &options)?,
                _ => render::docx(&doc, &options)?,
            };
            staged.push(batch::stage(&path.with_extension(format), &bytes)?);
        }
        Ok(staged)
    });
    drop(claim);
    Ok(finish_batch(
        &args, &records, &jobs, report, failed, started,
    ))
}

/// Ends a render batch: each failed record reported with its number and key, the summary
/// line on stderr (`wrote 4 of 5 documents …`), and the exit code.
fn finish_batch(
    args: &Args,
    records: &[serde_json::Value],
    jobs: &HashMap<PathBuf, usize>,
    report: batch::Report<()>,
    failed_before: usize,
    started: std::time::Instant,
) -> u8 {
    let failed = failed_before + report.failed();
    let written = report.outcomes.len() - report.failed();
    for outcome in report.outcomes {
        if let Err(e) = outcome.result {
            let i = jobs.get(&outcome.path).copied().unwrap_or_default();
            say!("vanban: {}", record_error(i, &records[i], e));
        }
    }
    say!(
        "vanban: wrote {written} of {} documents to {}, {failed} failed, in {:.1} s",
        records.len(),
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    super::inputs::exit_code(failed)
}
