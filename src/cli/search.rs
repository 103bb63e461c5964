//! `vanban search`: find archived documents, with or without diacritics.

use std::fmt::Write;

use vanban::archive::{self, Query};

/// Search the archive, with or without diacritics.
///
/// Diacritics and tone style do not matter: "chi thi 45", "Chỉ thị 45" and
/// "chỉ thị 45" find the same documents.
///
/// Examples:
///   vanban search "chi thi 45"
///   vanban search "bau cu" --kind KH --from 2021-01-01 --to 2021-06-30
///   vanban search --number 45-CT/TW --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct Args {
    /// Words to find (may be empty when a filter is given).
    #[arg(default_value = "")]
    query: String,
    /// Only this kind of document (KH, QĐ, CT, NQ, TB, BC…).
    #[arg(long)]
    kind: Option<String>,
    /// Only documents whose issuing body contains these words.
    #[arg(long)]
    issuer: Option<String>,
    /// Only documents dated on or after this day (2021, 2021-01 or 2021-01-31).
    #[arg(long)]
    from: Option<String>,
    /// Only documents dated on or before this day.
    #[arg(long)]
    to: Option<String>,
    /// Only the document with this number and symbol (45-CT/TW).
    #[arg(long)]
    number: Option<String>,
    /// At most this many results (0 = all).
    #[arg(long, short = 'n', default_value_t = 20)]
    limit: usize,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(flatten)]
    sheet: super::sheet::SheetArgs,
    #[command(flatten)]
    archive: super::inputs::ArchiveArg,
}

/// How `search` prints its hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// A numbered list for people.
    Table,
    /// One JSON object per line.
    Json,
    /// One row per hit.
    Csv,
}

/// The columns of `search -f csv`.
const HIT_COLUMNS: [super::sheet::Column; 7] = [
    ("number", "Số, ký hiệu"),
    ("date", "Ngày ban hành"),
    ("kind", "Loại"),
    ("issuer", "Cơ quan ban hành"),
    ("title", "Trích yếu"),
    ("path", "Tệp"),
    ("snippet", "Đoạn trích"),
];

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let archive = args.archive.open_read_only()?;
    archive.map_for_search()?;
    let query = Query {
        text: args.query,
        kind: args.kind,
        issuer: args.issuer,
        from: args.from,
        to: args.to,
        number: args.number,
        limit: args.limit,
    };
    let hits = archive::search(&archive, &query)?;
    let mut out = String::new();
    match args.format {
        Format::Json => {
            for hit in &hits {
                out.push_str(&serde_json::to_string(hit)?);
                out.push('\n');
            }
        }
        Format::Csv => {
            let field = |v: &Option<String>| v.clone().unwrap_or_default();
            let rows = hits.iter().map(|h| {
                vec![
                    field(&h.number),
                    field(&h.date),
                    field(&h.kind),
                    field(&h.issuer),
                    field(&h.title),
                    h.path.clone(),
                    h.snippet.clone(),
                ]
            });
            let bytes = super::sheet::csv_bytes(&HIT_COLUMNS, rows, &args.sheet, None)?;
            out = String::from_utf8(bytes)?;
        }
        Format::Table => {
            for (i, h) in hits.iter().enumerate() {
                let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "–".into());
                let _ = writeln!(
                    out,
                    "{}. {}  {}  {}  {}\n   {}\n   {}\n   {}",
                    i + 1,
                    dash(&h.number),
                    dash(&h.date),
                    dash(&h.kind),
                    dash(&h.issuer),
                    shorten(&dash(&h.title), TITLE_CHARS),
                    h.path,
                    h.snippet
                );
            }
            if hits.is_empty() {
                out.push_str("no documents found\n");
            }
        }
    }
    super::inputs::write_output(None, out.as_bytes())?;
    Ok(super::EXIT_OK)
}

/// The most characters of a subject line the table shows; JSON and CSV keep it whole.
const TITLE_CHARS: usize = 200;

/// `s` cut to `max` characters, with `…` when something was cut.
fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_subjects_are_cut_on_a_character() {
        assert_eq!(super::shorten("Kế hoạch", 8), "Kế hoạch");
        assert_eq!(super::shorten("Kế hoạch", 4), "Kế h…");
    }
}
