//! Input arguments shared by the subcommands that read documents: paths, stdin, encoding.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use vanban::archive::{self, Archive, Location};
use vanban::decode::Encoding;
use vanban::{batch, pipeline, read};

/// Documents to read and how.
#[derive(Debug, clap::Args)]
pub(crate) struct InputArgs {
    /// Files or folders (walked recursively); `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    /// Read every input in this encoding instead of detecting it: utf-8, utf-16le,
    /// utf-16be, windows-1258, tcvn3, vni, viscii.
    #[arg(long, short = 'e', value_name = "ENCODING", value_parser = parse_encoding)]
    pub(crate) encoding: Option<Encoding>,
    /// Worker threads (0 = one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub(crate) jobs: usize,
    /// No progress bar (it is only drawn when stderr is a terminal).
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
    /// Also read named pipes, devices and sockets (still capped at 256 MiB); without it
    /// only regular files and `-` are read.
    #[arg(long)]
    pub(crate) special_files: bool,
}

impl InputArgs {
    /// How each input is read.
    pub(crate) fn pipeline_options(&self) -> pipeline::Options {
        pipeline::Options {
            encoding: self.encoding,
            limits: read::Limits {
                special_files: self.special_files,
                ..read::Limits::default()
            },
        }
    }

    /// How the batch over these inputs runs.
    pub(crate) fn batch_options(&self) -> vanban::batch::Options {
        vanban::batch::Options {
            jobs: self.jobs,
            progress: !self.quiet,
        }
    }
}

fn parse_encoding(s: &str) -> Result<Encoding, String> {
    s.parse().map_err(|e: vanban::Error| e.to_string())
}

/// The path that stands for standard input.
pub(crate) fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Expands folders; paths that cannot be listed are reported and counted as failures.
pub(crate) fn expand(args: &InputArgs) -> (Vec<PathBuf>, usize) {
    let (stdin, files): (Vec<PathBuf>, Vec<PathBuf>) =
        args.paths.iter().cloned().partition(|p| is_stdin(p));
    let (mut inputs, errors) = batch::collect_inputs(&files);
    for err in &errors {
        super::report(err);
    }
    inputs.extend(stdin.into_iter().take(1));
    (inputs, errors.len())
}

/// Writes to a file atomically, or to standard output when `output` is `None`.
pub(crate) fn write_output(output: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    match output {
        Some(path) => batch::write_atomic(path, bytes)
            .with_context(|| format!("failed to write {}", path.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(bytes)
                .and_then(|()| stdout.flush())
                .context("failed to write to standard output")
        }
    }
}

/// The exit code for a batch with `failed` failed inputs.
pub(crate) fn exit_code(failed: usize) -> u8 {
    if failed == 0 {
        super::EXIT_OK
    } else {
        super::EXIT_SOME_FAILED
    }
}

/// Ends a batch: the summary line on stderr (`vanban: extracted 112 of 114 inputs, 2
/// failed, in 0.4 s`) and the exit code for `failed`.
pub(crate) fn finish(verb: &str, total: usize, failed: usize, started: Instant) -> u8 {
    say!(
        "vanban: {verb} {} of {total} inputs, {failed} failed, in {:.1} s",
        total.saturating_sub(failed),
        started.elapsed().as_secs_f64()
    );
    exit_code(failed)
}

/// The `--db` argument of the archive commands.
#[derive(Debug, clap::Args)]
pub(crate) struct ArchiveArg {
    /// The archive: a SQLite file (a path, or sqlite:PATH) or a PostgreSQL database
    /// (postgres://user@host/dbname; ?sslmode=require for TLS).
    #[arg(
        long,
        env = "VANBAN_DB",
        hide_env_values = true,
        default_value = "vanban.db",
        value_name = "DB",
        value_parser = clap::value_parser!(std::ffi::OsString)
    )]
    pub(crate) db: std::ffi::OsString,
}

impl ArchiveArg {
    /// Where the archive is.
    pub(crate) fn location(&self) -> Location {
        Location::parse(&self.db)
    }

    /// Opens an existing archive for writing; a missing file is an error that says what
    /// to run first.
    pub(crate) fn open(&self) -> anyhow::Result<Archive> {
        let location = self.location();
        if let Some(file) = location.file() {
            anyhow::ensure!(
                file.exists(),
                "{}: no archive here; run `vanban index` first",
                file.display()
            );
        }
        Ok(archive::open(&location)?)
    }

    /// Opens the archive for reading only.
    pub(crate) fn open_read_only(&self) -> anyhow::Result<Archive> {
        Ok(archive::open_read_only(&self.location())?)
    }
}
