//! Command-line interface: clap types and one file per subcommand.

mod bench;
mod cites;
mod decode;
mod export;
mod extract;
mod index;
mod inputs;
mod normalize;
mod obligations;
mod render;
mod score;
mod search;
mod summary;
mod templates;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code when every input was handled.
pub(crate) const EXIT_OK: u8 = 0;
/// Exit code when some inputs failed (the others were still handled).
pub(crate) const EXIT_SOME_FAILED: u8 = 1;
/// Exit code for a usage error or a fatal error.
pub(crate) const EXIT_FATAL: u8 = 2;

const AFTER_HELP: &str = "\
Exit codes: 0 every input was handled; 1 some inputs failed (each is reported on stderr,
the others are still handled); 2 usage error or fatal error.

Examples:
  vanban decode luu-tru/                   # which encoding is each file in?
  vanban normalize --tone old qd-991.doc   # UTF-8, NFC, tones placed as in \"hòa\", \"Ủy\"
  vanban normalize --fold chi-thi.txt      # accent-free search key: \"chi thi so 45-ct/tw\"";

/// vanban: đọc, trích xuất, lưu trữ và soạn văn bản hành chính tiếng Việt.
///
/// Reads Vietnamese official documents in UTF-8, UTF-16, Windows-1258, TCVN3 (.VnTime),
/// VNI-Windows or VISCII, as .txt, .docx, Word 97-2003 .doc or RTF; extracts numbers,
/// dates, citations and obligations; keeps a searchable archive; and writes plans,
/// minutes and reports as DOCX and PDF laid out per Decree 30/2020 and HD 36.
#[derive(Debug, Parser)]
#[command(name = "vanban", version, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Decode(decode::Args),
    Normalize(normalize::Args),
    Bench(bench::Args),
    Extract(extract::Args),
    Score(score::Args),
    Render(render::Args),
    Templates(templates::Args),
    Index(index::Args),
    Search(search::Args),
    Cites(cites::Args),
    Export(export::Args),
    Summary(summary::Args),
    Obligations(obligations::Args),
}

/// Parses the arguments, runs the subcommand and returns the exit code.
pub(crate) fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                EXIT_FATAL
            } else {
                EXIT_OK
            });
        }
    };
    let outcome = match cli.command {
        Command::Decode(args) => decode::run(args),
        Command::Normalize(args) => normalize::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Extract(args) => extract::run(args),
        Command::Score(args) => score::run(args),
        Command::Render(args) => render::run(args),
        Command::Templates(args) => templates::run(args),
        Command::Index(args) => index::run(args),
        Command::Search(args) => search::run(args),
        Command::Cites(args) => cites::run(args),
        Command::Export(args) => export::run(args),
        Command::Summary(args) => summary::run(args),
        Command::Obligations(args) => obligations::run(args),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("vanban: {err:#}");
            ExitCode::from(EXIT_FATAL)
        }
    }
}
