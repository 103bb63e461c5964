//! `vanban obligations`: obligations due in a month and overdue at a day, for scripts.

use vanban::archive;

/// List archived obligations due in a month, and overdue ones, for scripts.
///
/// Lists obligations whose deadline falls in a month (`due`) and, with
/// --overdue-at, those whose deadline passed before that day and are not marked done
/// (`overdue`). Recurring duties (hàng tháng, hàng năm) have no single deadline and are
/// not listed.
///
/// Examples:
///   vanban obligations --due 2021-01
///   vanban obligations --due 2021-01 --overdue-at 2021-02-01 --format csv > han.csv
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct Args {
    /// The month, as 2021-01.
    #[arg(long, value_name = "MONTH")]
    due: String,
    /// Also list what is overdue at this day (ISO, 2021-02-01).
    #[arg(long, value_name = "DAY")]
    overdue_at: Option<String>,
    /// Output: table, json (one object per line) or csv.
    #[arg(long, short = 'f', default_value = "table", value_parser = ["table", "json", "csv"])]
    format: String,
    #[command(flatten)]
    archive: super::inputs::ArchiveArg,
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let archive = args.archive.open()?;
    let summary = archive::summary(&archive, &args.due, args.overdue_at.as_deref())?;
    let mut rows: Vec<(&str, &archive::DueObligation)> =
        summary.due.iter().map(|o| ("due", o)).collect();
    if args.overdue_at.is_some() {
        rows.extend(summary.overdue.iter().map(|o| ("overdue", o)));
    }
    let out = match args.format.as_str() {
        "json" => {
            let mut out = String::new();
            for (status, o) in &rows {
                let mut value = serde_json::to_value(o)?;
                value["status"] = (*status).into();
                out.push_str(&serde_json::to_string(&value)?);
                out.push('\n');
            }
            out
        }
        "csv" => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(["status", "due", "deadline", "document", "actor", "action"])?;
            for (status, o) in &rows {
                writer.write_record([
                    status,
                    &o.due.as_str(),
                    &o.deadline.as_str(),
                    &o.document.as_str(),
                    &o.actor.as_str(),
                    &o.action.as_str(),
                ])?;
            }
            String::from_utf8(writer.into_inner()?)?
        }
        _ => {
            let mut out = String::new();
            for (status, o) in &rows {
                out.push_str(&format!(
                    "{status}\t{}\t{}\t{}\t{}\n",
                    o.due, o.document, o.actor, o.action
                ));
            }
            if rows.is_empty() {
                out.push_str("no obligations due\n");
            }
            out
        }
    };
    super::inputs::write_output(None, out.as_bytes())?;
    Ok(super::EXIT_OK)
}
