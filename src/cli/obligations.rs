//! `vanban obligations`: list archived obligations with their IDs, and mark them done.

use vanban::archive;

/// List archived obligations with their IDs, and mark them done.
///
/// Without --due, lists every obligation that has a single deadline (recurring duties
/// such as hàng tháng or hàng năm have none): its ID, the last day it allows, whether it
/// is done, the document that assigns it, who and what. With --due, lists those whose
/// deadline falls in that month (`due`) and, with --overdue-at, those whose deadline
/// passed before that day and are not marked done (`overdue`).
///
/// --done ID... marks obligations done (they leave the overdue lists and the monthly
/// summary's overdue table); --undone ID... takes the mark back. An unknown ID is an
/// error naming it, and then nothing is marked. Re-indexing keeps the ID and done mark
/// of every obligation whose actor, action and deadline are unchanged.
///
/// Examples:
///   vanban obligations
///   vanban obligations --due 2021-01 --overdue-at 2021-02-01 --format csv > han.csv
///   vanban obligations --done 12 15
///   vanban obligations --undone 15
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct Args {
    /// Only obligations due in this month, as 2021-01.
    #[arg(long, value_name = "MONTH")]
    due: Option<String>,
    /// With --due, also list what is overdue at this day (ISO, 2021-02-01).
    #[arg(long, value_name = "DAY", requires = "due")]
    overdue_at: Option<String>,
    /// Mark these obligations done (IDs as listed).
    #[arg(long, value_name = "ID", num_args = 1..)]
    done: Vec<i64>,
    /// Mark these obligations not done.
    #[arg(long, value_name = "ID", num_args = 1..)]
    undone: Vec<i64>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(flatten)]
    sheet: super::sheet::SheetArgs,
    #[command(flatten)]
    archive: super::inputs::ArchiveArg,
}

/// How `obligations` prints its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Tab-separated lines for people.
    Table,
    /// One JSON object per line.
    Json,
    /// One row per obligation.
    Csv,
}

/// The columns of `obligations -f csv`.
const OBLIGATION_COLUMNS: [super::sheet::Column; 8] = [
    ("status", "Tình trạng"),
    ("id", "Mã"),
    ("due", "Hạn"),
    ("deadline", "Thời hạn (nguyên văn)"),
    ("done", "Đã xong"),
    ("document", "Văn bản giao"),
    ("actor", "Cơ quan, đơn vị"),
    ("action", "Nội dung công việc"),
];

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    if let Some(id) = args.done.iter().find(|id| args.undone.contains(id)) {
        anyhow::bail!("obligation {id} is given to both --done and --undone");
    }
    let marking = !args.done.is_empty() || !args.undone.is_empty();
    // Only marking writes: a listing reads a read-only archive too.
    let mut archive = if marking {
        args.archive.open()?
    } else {
        args.archive.open_read_only()?
    };
    for (ids, done, word) in [
        (&args.done, true, "done"),
        (&args.undone, false, "not done"),
    ] {
        if ids.is_empty() {
            continue;
        }
        archive.set_done(ids, done)?;
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        say!("vanban: marked {word}: {}", list.join(", "));
    }
    if marking && args.due.is_none() {
        return Ok(super::EXIT_OK);
    }
    let rows: Vec<(&str, archive::DueObligation)> = match &args.due {
        Some(month) => {
            let summary = archive::summary(&archive, month, args.overdue_at.as_deref(), None)?;
            let mut rows: Vec<_> = summary.due.into_iter().map(|o| ("due", o)).collect();
            if args.overdue_at.is_some() {
                rows.extend(summary.overdue.into_iter().map(|o| ("overdue", o)));
            }
            rows
        }
        None => archive::obligations(&archive)?
            .into_iter()
            .map(|o| (if o.done { "done" } else { "open" }, o))
            .collect(),
    };
    let out = match args.format {
        Format::Json => {
            let mut out = String::new();
            for (status, o) in &rows {
                let mut value = serde_json::to_value(o)?;
                value["status"] = (*status).into();
                out.push_str(&serde_json::to_string(&value)?);
                out.push('\n');
            }
            out
        }
        Format::Csv => {
            let rows = rows.iter().map(|(status, o)| {
                vec![
                    status.to_string(),
                    o.id.to_string(),
                    o.due.clone(),
                    o.deadline.clone(),
                    o.done.to_string(),
                    o.document.clone(),
                    o.actor.clone(),
                    o.action.clone(),
                ]
            });
            String::from_utf8(super::sheet::csv_bytes(
                &OBLIGATION_COLUMNS,
                rows,
                &args.sheet,
                None,
            )?)?
        }
        Format::Table => {
            let mut out = String::new();
            if !rows.is_empty() {
                out.push_str("ID\tdue\tstatus\tdocument\tactor\taction\n");
            }
            for (status, o) in &rows {
                // One status for people: a done mark outranks due/overdue/open.
                let status = if o.done { "done" } else { status };
                out.push_str(&format!(
                    "{}\t{}\t{status}\t{}\t{}\t{}\n",
                    o.id, o.due, o.document, o.actor, o.action
                ));
            }
            if rows.is_empty() && args.due.is_some() {
                out.push_str("no obligations due\n");
            } else if rows.is_empty() {
                out.push_str("no obligations with a deadline in the archive\n");
            }
            out
        }
    };
    super::inputs::write_output(None, out.as_bytes())?;
    Ok(super::EXIT_OK)
}
