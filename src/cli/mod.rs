//! Command-line interface: clap types and one file per subcommand.

mod bench;
mod decode;
mod inputs;
mod normalize;
mod render;
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

/// vanban: đọc, chuẩn hoá và trích xuất văn bản hành chính tiếng Việt.
///
/// Reads Vietnamese official documents (directives, decisions, plans) in UTF-8, UTF-16,
/// Windows-1258, TCVN3 (ABC, .VnTime), VNI-Windows or VISCII, as .txt or .docx, detects
/// the encoding, and prints clean Unicode text.
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
    Render(render::Args),
    Templates(templates::Args),
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
        Command::Render(args) => render::run(args),
        Command::Templates(args) => templates::run(args),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("vanban: {err:#}");
            ExitCode::from(EXIT_FATAL)
        }
    }
}
