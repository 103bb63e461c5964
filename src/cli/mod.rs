//! Command-line interface: clap types and one file per subcommand.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code when every input was handled.
pub(crate) const EXIT_OK: u8 = 0;
/// Exit code when some inputs failed (the others were still handled).
pub(crate) const EXIT_SOME_FAILED: u8 = 1;
/// Exit code for a usage error or a fatal error.
pub(crate) const EXIT_FATAL: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "vanban",
    version,
    about = "Vietnamese official documents: decode, normalise, extract"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {}

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
    match cli.command {}
}
