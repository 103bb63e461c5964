//! Command-line interface: clap types and one file per subcommand.

/// Writes one line to standard error, like `eprintln!`, but a closed or full stderr is
/// ignored instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::say_line(format_args!($($arg)*))
    };
}

/// Writes one line to standard output, like `println!`, for commands that print as they
/// go. A reader that went away ends the process quietly with exit code 0 (as ripgrep
/// does); any other write error is reported and ends it with exit code 2.
macro_rules! put {
    ($($arg:tt)*) => {
        $crate::cli::put_line(format_args!($($arg)*))
    };
}

mod bench;
mod cites;
mod decode;
mod export;
mod extract;
mod index;
mod inputs;
mod migrate;
mod normalize;
mod obligations;
mod queue;
mod render;
mod score;
mod search;
mod sheet;
mod summary;
mod templates;
mod work;

use std::io::Write;
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
    Migrate(migrate::Args),
    Queue(queue::Args),
    Work(work::Args),
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
        Command::Migrate(args) => migrate::run(args),
        Command::Queue(args) => queue::run(args),
        Command::Work(args) => work::run(args),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        // A reader that went away (`vanban export | head`) is not an error: stop quietly,
        // as ripgrep does.
        Err(err) if is_broken_pipe(&err) => ExitCode::from(EXIT_OK),
        Err(err) => {
            say!("vanban: {err:#}");
            ExitCode::from(EXIT_FATAL)
        }
    }
}

/// True when some cause of `err` is a write to a pipe whose reader has gone.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<vanban::Error>()
                .is_some_and(|e| matches!(e, vanban::Error::Io { source, .. } | vanban::Error::Write { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe))
    })
}

/// Writes one line to standard output; see [`put!`].
pub(crate) fn put_line(args: std::fmt::Arguments<'_>) {
    let written = writeln!(std::io::stdout().lock(), "{args}");
    if let Err(err) = written {
        if err.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(i32::from(EXIT_OK));
        }
        say!("vanban: failed to write to standard output: {err}");
        std::process::exit(i32::from(EXIT_FATAL));
    }
}

/// Writes one line to standard error; see [`say!`].
pub(crate) fn say_line(args: std::fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr().lock(), "{args}");
}

/// An error with every cause after it, on one line: `failed to read a.txt: Permission
/// denied (os error 13)`.
pub(crate) fn with_causes(err: &dyn std::error::Error) -> String {
    let mut line = err.to_string();
    let mut cause = err.source();
    while let Some(next) = cause {
        let text = next.to_string();
        if !line.ends_with(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        cause = next.source();
    }
    line
}

/// Reports one failed input on stderr with its causes: `vanban: failed to read a.txt: …`.
pub(crate) fn report(err: &dyn std::error::Error) {
    say!("vanban: {}", with_causes(err));
}
