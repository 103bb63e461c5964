//! `vanban extract`: a [`Record`](vanban::extract::Record) per input, as JSON, JSON Lines or CSV.

use std::path::PathBuf;

use vanban::extract::{self, Record};
use vanban::pipeline::{self, Input};
use vanban::{Diagnostic, Severity};

use super::inputs::{self, InputArgs};
use super::sheet::{self, Column, SheetArgs};

/// Extract identity, citations, dates, terms and obligations as JSON or CSV.
///
/// What each document says about itself, what it cites, the dates, terms and periods
/// it names, and who must do what by when.
///
/// Output follows the versioned schema `vanban.record/1` (docs/record-schema.md). An input
/// that cannot be read still gives a record, with an error diagnostic, and exit code 1.
///
/// Examples:
///   vanban extract qd-991-ubnd.txt
///   vanban extract --format csv -o so-van-ban.csv luu-tru/
///   cat chi-thi.txt | vanban extract -
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct Args {
    #[command(flatten)]
    inputs: InputArgs,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    /// With csv, what a row is.
    #[arg(long, value_enum, default_value_t = Table::Documents)]
    table: Table,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    sheet: SheetArgs,
}

/// How `extract` writes its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// One record per line.
    Jsonl,
    /// One array of records.
    Json,
    /// A table (see `--table`).
    Csv,
}

/// What one CSV row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Table {
    /// One row per document with its identity fields.
    Documents,
    /// One row per obligation: path, number, actor, role, action, modality, deadline…
    Obligations,
}

const OBLIGATION_COLUMNS: [Column; 12] = [
    ("path", "Tệp"),
    ("number", "Số, ký hiệu văn bản"),
    ("actor", "Cơ quan, đơn vị"),
    ("actor_normalized", "Cơ quan, đơn vị (tên đầy đủ)"),
    ("role", "Vai trò"),
    ("action", "Nội dung công việc"),
    ("modality", "Mức độ"),
    ("deadline", "Thời hạn"),
    ("deadline_grain", "Đơn vị thời hạn"),
    ("recurring", "Định kỳ"),
    ("deadline_text", "Thời hạn (nguyên văn)"),
    ("span", "Vị trí"),
];

fn obligation_rows(r: &Record) -> Vec<[String; 12]> {
    let o = |s: &Option<String>| s.clone().unwrap_or_default();
    r.obligations
        .iter()
        .map(|ob| {
            let deadline = ob.deadline.as_ref();
            let role = serde_json::to_string(&ob.role).unwrap_or_default();
            [
                o(&r.path),
                o(&r.document.number),
                ob.actor.clone(),
                o(&ob.actor_normalized),
                role.trim_matches('"').to_string(),
                ob.action.clone(),
                ob.modality.clone(),
                deadline.and_then(|d| d.value.clone()).unwrap_or_default(),
                deadline
                    .map(|d| d.grain.as_str().to_string())
                    .unwrap_or_default(),
                deadline
                    .and_then(|d| d.recurring.clone())
                    .unwrap_or_default(),
                deadline.map(|d| d.text.clone()).unwrap_or_default(),
                format!("{}..{}", ob.span.start, ob.span.end),
            ]
        })
        .collect()
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let started = std::time::Instant::now();
    let plan = plan_inputs(&args.inputs);
    let paths: Vec<PathBuf> = plan
        .iter()
        .filter_map(|step| match step {
            Step::Read(path) => Some(path.clone()),
            Step::Unlisted(..) => None,
        })
        .collect();
    let options = args.inputs.pipeline_options();
    let report = vanban::batch::run(paths, args.inputs.batch_options(), |path| {
        pipeline::read_document(Input::from_arg(path), &options).map(|document| document.record)
    });
    let mut failed = 0;
    let mut records = Vec::new();
    let mut outcomes = report.outcomes.into_iter();
    for step in plan {
        let (label, result) = match step {
            Step::Unlisted(path, err) => (path, Err(err)),
            Step::Read(_) => match outcomes.next() {
                Some(outcome) => (outcome.path.display().to_string(), outcome.result),
                None => break,
            },
        };
        match result {
            Ok(record) => records.push(record),
            Err(err) => {
                super::report(&err);
                failed += 1;
                records.push(failure(label, &err));
            }
        }
    }
    let bytes = match (args.format, args.table) {
        (Format::Json, _) => {
            let mut v = serde_json::to_vec_pretty(&records)?;
            v.push(b'\n');
            v
        }
        (Format::Csv, Table::Obligations) => sheet::csv_bytes(
            &OBLIGATION_COLUMNS,
            records.iter().flat_map(obligation_rows).map(Vec::from),
            &args.sheet,
            args.output.as_deref(),
        )?,
        (Format::Csv, Table::Documents) => {
            let rows = records
                .iter()
                .map(|r| serde_json::to_value(r).map(|v| sheet::document_row(&v)))
                .collect::<Result<Vec<_>, _>>()?;
            sheet::csv_bytes(
                &sheet::DOCUMENT_COLUMNS,
                rows,
                &args.sheet,
                args.output.as_deref(),
            )?
        }
        (Format::Jsonl, _) => {
            let mut v = Vec::new();
            for r in &records {
                serde_json::to_writer(&mut v, r)?;
                v.push(b'\n');
            }
            v
        }
    };
    inputs::write_output(args.output.as_deref(), &bytes)?;
    Ok(inputs::finish("extracted", records.len(), failed, started))
}

/// One input of `extract`, in the order given: a path to read, or a path that could not
/// even be listed, which still gets its record.
enum Step {
    Read(PathBuf),
    Unlisted(String, vanban::Error),
}

/// Expands folders in place, so that an input that cannot be listed keeps its position
/// in the output; standard input is read once.
fn plan_inputs(args: &InputArgs) -> Vec<Step> {
    let mut plan = Vec::new();
    let mut stdin_seen = false;
    for path in &args.paths {
        if inputs::is_stdin(path) {
            if !stdin_seen {
                plan.push(Step::Read(path.clone()));
            }
            stdin_seen = true;
            continue;
        }
        let (found, errors) = vanban::batch::collect_inputs(std::slice::from_ref(path));
        plan.extend(found.into_iter().map(Step::Read));
        let label = path.display().to_string();
        plan.extend(
            errors
                .into_iter()
                .map(|err| Step::Unlisted(label.clone(), err)),
        );
    }
    plan
}

/// The record of an input that could not be read: its path and one error diagnostic.
fn failure(path: String, err: &vanban::Error) -> Record {
    Record {
        schema: extract::SCHEMA,
        path: Some(path),
        diagnostics: vec![Diagnostic::new(
            Severity::Error,
            "unreadable",
            super::with_causes(err),
            None,
        )],
        ..Record::default()
    }
}
