//! `vanban extract`: a [`Record`](vanban::extract::Record) per input, as JSON, JSON Lines or CSV.

use std::path::PathBuf;

use vanban::extract::{self, Record};
use vanban::{Diagnostic, Severity, text};

use super::inputs::{self, InputArgs};

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
    /// Output format: jsonl (one record per line), json (an array) or csv (one row per
    /// document with its identity fields).
    #[arg(long, short = 'f', default_value = "jsonl", value_parser = ["jsonl", "json", "csv"])]
    format: String,
    /// With csv: `documents` (one row per document) or `obligations` (one row per
    /// obligation: path, number, actor, role, action, modality, deadline…).
    #[arg(long, default_value = "documents", value_parser = ["documents", "obligations"])]
    table: String,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

const CSV_HEADER: [&str; 16] = [
    "path",
    "encoding",
    "number",
    "kind",
    "kind_name",
    "standard",
    "issuer",
    "parent_issuer",
    "place",
    "date",
    "title",
    "signer",
    "references",
    "dates",
    "terms",
    "errors",
];

const OBLIGATION_HEADER: [&str; 12] = [
    "path",
    "number",
    "actor",
    "actor_normalized",
    "role",
    "action",
    "modality",
    "deadline",
    "deadline_grain",
    "recurring",
    "deadline_text",
    "span",
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

fn csv_row(r: &Record) -> Vec<String> {
    let d = &r.document;
    let o = |s: &Option<String>| s.clone().unwrap_or_default();
    vec![
        o(&r.path),
        o(&r.encoding),
        o(&d.number),
        o(&d.kind),
        o(&d.kind_name),
        d.standard
            .map(|s| {
                serde_json::to_string(&s)
                    .unwrap_or_default()
                    .trim_matches('"')
                    .to_string()
            })
            .unwrap_or_default(),
        o(&d.issuer),
        o(&d.parent_issuer),
        o(&d.place),
        o(&d.date),
        o(&d.title),
        d.signer
            .as_ref()
            .and_then(|s| s.name.clone())
            .unwrap_or_default(),
        r.references
            .iter()
            .map(|r| r.number.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        r.dates.len().to_string(),
        r.terms.len().to_string(),
        r.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
            .to_string(),
    ]
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let started = std::time::Instant::now();
    // Expand folders here rather than with `inputs::expand`, so that an input that cannot
    // even be listed still gets its diagnostic record.
    let mut paths = Vec::new();
    let mut plan: Vec<Option<(String, vanban::Error)>> = Vec::new();
    let mut stdin_seen = false;
    for path in &args.inputs.paths {
        if inputs::is_stdin(path) {
            if !stdin_seen {
                paths.push(path.clone());
                plan.push(None);
            }
            stdin_seen = true;
            continue;
        }
        let (found, errors) = vanban::batch::collect_inputs(std::slice::from_ref(path));
        plan.extend(found.iter().map(|_| None));
        paths.extend(found);
        for err in errors {
            plan.push(Some((path.display().to_string(), err)));
        }
    }
    let mut failed = 0;
    let encoding = args.inputs.encoding;
    let report = vanban::batch::run(paths, args.inputs.batch_options(), |path| {
        let source = inputs::read_source(path, encoding)?;
        let mut record = extract::extract(&text::normalize(&source.text));
        record.encoding = Some(source.encoding.name().to_string());
        // What decoding noticed comes first; its spans are byte ranges into the input file.
        record.diagnostics.splice(0..0, source.diagnostics);
        Ok(record)
    });
    let mut records = Vec::new();
    let failure = |path: String, err: &dyn std::fmt::Display| Record {
        schema: extract::SCHEMA,
        path: Some(path),
        diagnostics: vec![Diagnostic::new(
            Severity::Error,
            "unreadable",
            err.to_string(),
            None,
        )],
        ..Record::default()
    };
    let mut outcomes = report.outcomes.into_iter();
    for step in plan {
        if let Some((path, err)) = step {
            eprintln!("vanban: {err}");
            failed += 1;
            records.push(failure(path, &err));
            continue;
        }
        let Some(outcome) = outcomes.next() else {
            break;
        };
        let path = outcome.path.display().to_string();
        match outcome.result {
            Ok(mut record) => {
                record.path = Some(path);
                records.push(record);
            }
            Err(err) => {
                eprintln!("vanban: {err}");
                failed += 1;
                records.push(failure(path, &err));
            }
        }
    }
    let bytes = match args.format.as_str() {
        "json" => {
            let mut v = serde_json::to_vec_pretty(&records)?;
            v.push(b'\n');
            v
        }
        "csv" if args.table == "obligations" => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(OBLIGATION_HEADER)?;
            for r in &records {
                for row in obligation_rows(r) {
                    w.write_record(row)?;
                }
            }
            w.into_inner()?
        }
        "csv" => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(CSV_HEADER)?;
            for r in &records {
                w.write_record(csv_row(r))?;
            }
            w.into_inner()?
        }
        _ => {
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
