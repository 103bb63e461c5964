//! `vanban summary`: the monthly report (Báo cáo) written from the archive.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::{Value, json};
use vanban::archive;
use vanban::render::{self, RenderOptions};
use vanban::{batch, document};

/// Write the monthly report (Báo cáo) from the archive as DOCX or PDF.
///
/// Documents issued in the month by kind (with a bar chart) and by issuer, obligations
/// due in the month and overdue, and the numbers cited most. The same archive gives the
/// same bytes.
///
/// The header, signature and recipients come from --set (fields of the `bao-cao-thang`
/// template: co_quan_chu_quan, co_quan, co_quan_ten, so, dia_danh, ngay, quyen_han_ky,
/// chuc_vu_ky, nguoi_ky, noi_nhan); the report date defaults to the day overdue is
/// judged at.
///
/// Examples:
///   vanban summary --month 2021-01 -o bc-thang-01.docx
///   vanban summary --month 2021-01 --standard dang -f docx,pdf -o bc.docx \
///       --set co_quan="VĂN PHÒNG THÀNH ỦY" --set so=12-BC/VPTU
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct Args {
    /// The month, as 2021-01.
    #[arg(long)]
    month: String,
    /// Judge overdue at this day (default: the first day of the next month).
    #[arg(long, value_name = "DAY")]
    overdue_at: Option<String>,
    /// List overdue obligations due on or after this day; older ones are counted in one
    /// line (default: 12 months before --overdue-at).
    #[arg(long, value_name = "DAY")]
    overdue_since: Option<String>,
    /// Output file: `bc.docx` or `bc.pdf` (the format follows the extension); with
    /// several formats, the extension is replaced per format.
    #[arg(long, short = 'o')]
    output: PathBuf,
    /// Output formats, comma-separated (default: from the output's extension, else docx).
    #[arg(long, short = 'f', value_enum, value_delimiter = ',')]
    format: Vec<Format>,
    /// Layout standard.
    #[arg(long, value_enum, default_value_t = StandardArg::NhaNuoc)]
    standard: StandardArg,
    /// Set a field of the report (`key=value`). Repeatable.
    #[arg(long, value_name = "KEY=VALUE")]
    set: Vec<String>,
    #[command(flatten)]
    archive: super::inputs::ArchiveArg,
}

/// Bars of at most this many blocks in the chart column.
const BAR_WIDTH: u64 = 24;

/// A format the report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Word.
    Docx,
    /// PDF.
    Pdf,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }
}

/// The layout standard, as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum StandardArg {
    /// Decree 30/2020/NĐ-CP (state bodies).
    NhaNuoc,
    /// Hướng dẫn 36-HD/VPTW (Party bodies).
    Dang,
}

/// The formats to write: as given, else the one the output's extension names, else DOCX.
fn formats(args: &Args) -> Vec<Format> {
    if !args.format.is_empty() {
        let mut formats = args.format.clone();
        formats.dedup();
        return formats;
    }
    let by_extension = args
        .output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match by_extension.as_deref() {
        Some("pdf") => vec![Format::Pdf],
        _ => vec![Format::Docx],
    }
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let formats = formats(&args);
    let archive = args.archive.open_read_only()?;
    let summary = archive::summary(
        &archive,
        &args.month,
        args.overdue_at.as_deref(),
        args.overdue_since.as_deref(),
    )?;
    let data = report_data(&summary, &args)?;
    let templates = vanban::template::Templates::builtin();
    let draft = templates
        .fill("bao-cao-thang", &data)
        .context("failed to fill bao-cao-thang")?;
    let doc = document::layout(&draft);
    let options = RenderOptions {
        created: format!("{}T00:00:00Z", summary.overdue_at),
        ..RenderOptions::default()
    };
    let several = formats.len() > 1;
    for format in formats {
        let path = output_path(&args.output, format.extension(), several);
        let bytes = match format {
            Format::Pdf => render_pdf(&doc, &options)?,
            Format::Docx => render::docx(&doc, &options)?,
        };
        batch::write_atomic(&path, &bytes)
            .with_context(|| format!("failed to write {}", path.display()))?;
        say!("wrote {}", path.display());
    }
    Ok(super::EXIT_OK)
}

fn render_pdf(doc: &document::Document, options: &RenderOptions) -> anyhow::Result<Vec<u8>> {
    Ok(render::pdf(doc, options)?)
}

fn output_path(output: &Path, format: &str, several: bool) -> PathBuf {
    let matches = output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(format));
    if several || !matches {
        output.with_extension(format)
    } else {
        output.to_path_buf()
    }
}

/// The template data: the summary (with chart bars) plus header fields and --set values.
fn report_data(summary: &archive::Summary, args: &Args) -> anyhow::Result<Value> {
    let (year, month) = archive::parse_month(&summary.month)?;
    let max = summary
        .by_kind
        .iter()
        .map(|c| c.count)
        .max()
        .unwrap_or(1)
        .max(1);
    let by_kind: Vec<Value> = summary
        .by_kind
        .iter()
        .map(|c| {
            let blocks = (c.count * BAR_WIDTH).div_ceil(max) as usize;
            json!({"label": c.label, "count": c.count, "bar": "█".repeat(blocks)})
        })
        .collect();
    let mut summary_value = serde_json::to_value(summary)?;
    summary_value["by_kind"] = Value::Array(by_kind);
    // Decree 30 writes months 1 and 2 with a leading zero, the others without: the same
    // form as the date line.
    let month_words = if month < 3 {
        format!("tháng {month:02} năm {year}")
    } else {
        format!("tháng {month} năm {year}")
    };
    let standard = match args.standard {
        StandardArg::NhaNuoc => "nha-nuoc",
        StandardArg::Dang => "dang",
    };
    let mut data = json!({
        "standard": standard,
        "co_quan_chu_quan": "",
        "co_quan": "VĂN PHÒNG",
        "so": "   /BC-VP",
        "dia_danh": "",
        "ngay": summary.overdue_at,
        "trich_yeu": format!("Tình hình ban hành văn bản và thực hiện nhiệm vụ {month_words}"),
        "ky_bao_cao": month_words,
        "quyen_han_ky": "",
        "chuc_vu_ky": "CHÁNH VĂN PHÒNG",
        "nguoi_ky": "",
        "noi_nhan": ["Lãnh đạo cơ quan", "Lưu: VT"],
        "summary": summary_value,
    });
    for assignment in &args.set {
        let (key, value) = assignment
            .split_once('=')
            .with_context(|| format!("--set {assignment:?}: expected key=value"))?;
        let value = serde_json::from_str::<Value>(value)
            .ok()
            .filter(|v| v.is_array() || v.is_object())
            .unwrap_or_else(|| Value::String(value.to_string()));
        data[key.trim()] = value;
    }
    // The body names the issuing body as running text, unless told otherwise.
    if data.get("co_quan_ten").is_none() {
        let body = data["co_quan"].as_str().unwrap_or_default();
        data["co_quan_ten"] = vanban::text::body_name(body).into();
    }
    Ok(data)
}
