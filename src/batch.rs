//! Batches: one function over many inputs, in parallel, outcomes kept in input order.
//!
//! The only module that knows threads. Each worker runs the whole job for one input; one
//! failed input is reported and the batch goes on. Outputs are written atomically, one at
//! a time ([`write_atomic`]) or staged and published in groups with one sync per group
//! ([`publish_staged`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::{Error, Result};

/// What happened to one input of a batch.
#[derive(Debug)]
pub struct Outcome<T> {
    /// The input.
    pub path: PathBuf,
    /// Its result.
    pub result: Result<T>,
}

/// Per-item outcomes of a batch, in input order.
#[derive(Debug)]
pub struct Report<T> {
    /// One outcome per input, in the order given.
    pub outcomes: Vec<Outcome<T>>,
}

impl<T> Report<T> {
    /// How many inputs failed.
    pub fn failed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.result.is_err()).count()
    }
}

/// Runs `job` on every input on `options.jobs` threads (0 = one per core), with a progress
/// bar when `options` asks for one, and returns the outcomes in input order. A panic in `job` is not caught: jobs are pure and do not panic.
pub fn run<T, F>(inputs: Vec<PathBuf>, options: Options, job: F) -> Report<T>
where
    T: Send,
    F: Fn(&Path) -> Result<T> + Sync,
{
    let bar = progress_bar(options, inputs.len());
    let work = || {
        inputs
            .into_par_iter()
            .map(|path| {
                let result = job(&path);
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                Outcome { path, result }
            })
            .collect()
    };
    let outcomes = match rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build()
    {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Report { outcomes }
}

/// A progress bar over `len` inputs (count, rate, ETA) when `options` asks for one and
/// stderr is a terminal; `None` otherwise, so pipes and logs stay clean.
fn progress_bar(options: Options, len: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !options.progress || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} files, {per_sec}, ETA {eta} {msg}",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}

/// How a streamed batch runs.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Worker threads (0 = one per core).
    pub jobs: usize,
    /// Draw a progress bar (count, rate, ETA) on stderr; only drawn when it is a terminal.
    pub progress: bool,
}

/// Runs `job` on every input on `jobs` threads and hands each outcome to `sink` on the
/// calling thread, in input order, as soon as its chunk is done. Memory stays flat however
/// many inputs there are, and `sink` can store each result in its own transaction.
pub fn stream<T, F, S>(inputs: Vec<PathBuf>, options: Options, job: F, mut sink: S)
where
    T: Send,
    F: Fn(&Path) -> Result<T> + Sync,
    S: FnMut(Outcome<T>),
{
    let bar = progress_bar(options, inputs.len());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build()
        .ok();
    let threads = pool.as_ref().map_or(1, |p| p.current_num_threads());
    let chunk = (threads * 32).max(32);
    let mut inputs = inputs.into_iter().peekable();
    while inputs.peek().is_some() {
        let batch: Vec<PathBuf> = inputs.by_ref().take(chunk).collect();
        let work = || {
            batch
                .into_par_iter()
                .map(|path| {
                    let result = job(&path);
                    Outcome { path, result }
                })
                .collect::<Vec<_>>()
        };
        let outcomes = match &pool {
            Some(pool) => pool.install(work),
            None => work(),
        };
        for outcome in outcomes {
            sink(outcome);
            if let Some(bar) = &bar {
                bar.inc(1);
            }
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}

/// Runs `job` on every input on `options.jobs` threads, like [`stream`], where each job
/// stages its output files ([`stage`]) instead of writing them. Every `group` inputs, the
/// staged files go to a committer thread that publishes them with one [`commit`] while the
/// workers render the next group. The channel between them holds nothing, so at most two
/// groups are in flight and a killed batch leaves at most two groups' temporary files.
/// Outcomes come back in input order; `Ok` means every file of that input was published.
pub fn publish_staged<F>(inputs: Vec<PathBuf>, options: Options, group: usize, job: F) -> Report<()>
where
    F: Fn(&Path) -> Result<Vec<Staged>> + Sync,
{
    std::thread::scope(|scope| {
        let (to_committer, groups) = std::sync::mpsc::sync_channel::<Vec<Outcome<Vec<Staged>>>>(0);
        let committer = scope.spawn(move || {
            let mut outcomes = Vec::new();
            for staged in groups {
                outcomes.extend(publish_group(staged));
            }
            outcomes
        });
        let mut pending = Vec::with_capacity(group);
        stream(inputs, options, job, |outcome| {
            pending.push(outcome);
            if pending.len() >= group.max(1) {
                // Fails only if the committer is gone, which the join below reports.
                let _ = to_committer.send(std::mem::take(&mut pending));
            }
        });
        let _ = to_committer.send(pending);
        drop(to_committer);
        let outcomes = committer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Report { outcomes }
    })
}

/// Publishes the staged files of one group with a single [`commit`]. An input whose job
/// failed keeps its error; one whose file could not be published gets that error.
fn publish_group(group: Vec<Outcome<Vec<Staged>>>) -> Vec<Outcome<()>> {
    let mut owners = Vec::new();
    let mut staged = Vec::new();
    let mut outcomes: Vec<Outcome<()>> = group
        .into_iter()
        .enumerate()
        .map(|(k, outcome)| {
            let result = outcome.result.map(|files| {
                owners.extend(std::iter::repeat_n(k, files.len()));
                staged.extend(files);
            });
            Outcome {
                path: outcome.path,
                result,
            }
        })
        .collect();
    for (k, result) in owners.into_iter().zip(commit(staged)) {
        if let Err(e) = result
            && outcomes[k].result.is_ok()
        {
            outcomes[k].result = Err(e);
        }
    }
    outcomes
}

/// Lists the files under `paths` (files as given, folders walked recursively in name
/// order, hidden entries skipped). A path that cannot be read is an error outcome.
///
/// Symbolic links are followed, but a folder is entered once per walk: a link back to a
/// folder being walked (a loop) is an error naming it, and a folder reached again by
/// another link is skipped, so every file is listed once however the links run.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Error>) {
    let mut walk = Walk::default();
    for path in paths {
        walk.visit(path, true);
    }
    (walk.files, walk.errors)
}

/// The state of one [`collect_inputs`] walk.
#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    errors: Vec<Error>,
    /// The folders entered so far, by device and inode.
    entered: std::collections::HashSet<(u64, u64)>,
    /// The folders on the current path from the top, by device and inode.
    open: Vec<(u64, u64)>,
}

impl Walk {
    fn visit(&mut self, path: &Path, top: bool) {
        let io_error = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden && !top {
            return;
        }
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) => return self.errors.push(io_error(e)),
        };
        if !meta.is_dir() {
            return self.files.push(path.to_path_buf());
        }
        let id = folder_id(path, &meta);
        if self.open.contains(&id) {
            return self.errors.push(Error::LinkLoop {
                path: path.to_path_buf(),
            });
        }
        if !self.entered.insert(id) {
            return;
        }
        let entries = match std::fs::read_dir(path) {
            Ok(entries) => entries,
            Err(e) => return self.errors.push(io_error(e)),
        };
        let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        children.sort();
        self.open.push(id);
        for child in children {
            self.visit(&child, false);
        }
        self.open.pop();
    }
}

/// A folder's identity on this machine: device and inode.
#[cfg(unix)]
fn folder_id(_: &Path, meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

/// Elsewhere: a hash of the canonical path.
#[cfg(not(unix))]
fn folder_id(path: &Path, _: &std::fs::Metadata) -> (u64, u64) {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .hash(&mut hasher);
    (0, hasher.finish())
}

/// One output path in `dir` per input: `STEM.EXT`, where STEM is the input's file name
/// without its extension (`stdin` for `-`). No two inputs get the same path and no input
/// is written over: a clash takes the first free `STEM-2.EXT`, `STEM-3.EXT`… `dir` must
/// exist (the comparison is by canonical path).
pub fn output_paths(inputs: &[PathBuf], dir: &Path, ext: &str) -> Vec<PathBuf> {
    let canonical_dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut taken: std::collections::HashSet<PathBuf> = inputs
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    inputs
        .iter()
        .map(|input| {
            let stem = match input.file_stem() {
                Some(stem) if input.as_os_str() != "-" => stem.to_os_string(),
                _ => "stdin".into(),
            };
            let name = |k: usize| {
                let mut name = stem.clone();
                if k > 1 {
                    name.push(format!("-{k}"));
                }
                name.push(".");
                name.push(ext);
                name
            };
            let k = (1..)
                .find(|&k| !taken.contains(&canonical_dir.join(name(k))))
                .unwrap_or(1);
            taken.insert(canonical_dir.join(name(k)));
            dir.join(name(k))
        })
        .collect()
}

/// The temporary name [`write_atomic`] and [`stage`] write `path` under: `.NAME.PID.tmp`
/// in the same folder, so the rename that publishes it stays on one file system.
fn temp_path(path: &Path) -> PathBuf {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, synced, then
/// renamed over the target. An interrupted write leaves no half-written `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let staged = stage(path, bytes)?;
    let synced = staged.file.sync_data();
    staged.publish(synced)
}

/// A file written under its temporary name and not yet visible under its own: see
/// [`commit`].
#[derive(Debug)]
pub struct Staged {
    /// The temporary file, open.
    file: std::fs::File,
    /// Its temporary path.
    temp: PathBuf,
    /// The path it is published under.
    path: PathBuf,
}

impl Staged {
    /// The path the file is published under.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Renames the temporary file over the target once `synced` says its data is on disk;
    /// on any error the temporary file is removed and the target left as it was.
    fn publish(self, synced: std::io::Result<()>) -> Result<()> {
        let Staged { file, temp, path } = self;
        drop(file);
        let renamed = synced.and_then(|()| std::fs::rename(&temp, &path));
        renamed.map_err(|source| {
            let _ = std::fs::remove_file(&temp);
            Error::Write { path, source }
        })
    }
}

/// Writes `bytes` under the temporary name of `path`, without syncing it: [`commit`] makes
/// a group of staged files durable and visible at once.
pub fn stage(path: &Path, bytes: &[u8]) -> Result<Staged> {
    let temp = temp_path(path);
    let written = std::fs::File::create(&temp).and_then(|mut file| {
        file.write_all(bytes)?;
        Ok(file)
    });
    match written {
        Ok(file) => Ok(Staged {
            file,
            temp,
            path: path.to_path_buf(),
        }),
        Err(source) => {
            let _ = std::fs::remove_file(&temp);
            Err(Error::Write {
                path: path.to_path_buf(),
                source,
            })
        }
    }
}

/// Publishes staged files: their data is put on disk first, then each is renamed over its
/// target, so a crash or a kill at any point leaves every target either as it was or
/// complete (and at most this group's temporary files, which the next run's
/// [`claim_folder`] sweeps). On Linux one `syncfs` per folder puts the whole group on
/// disk, which costs about what one `fsync` does instead of one per file; elsewhere, or if
/// that fails, each file is synced on its own. Returns one result per file, in order.
pub fn commit(staged: Vec<Staged>) -> Vec<Result<()>> {
    let synced_together = sync_file_systems(&staged);
    staged
        .into_iter()
        .map(|s| {
            let synced = if synced_together {
                Ok(())
            } else {
                s.file.sync_data()
            };
            s.publish(synced)
        })
        .collect()
}

/// Syncs the file system of every folder the staged files are in; `false` when that is
/// not possible here and each file must be synced itself.
#[cfg(target_os = "linux")]
fn sync_file_systems(staged: &[Staged]) -> bool {
    use std::os::fd::AsRawFd;
    let mut done: Vec<&Path> = Vec::new();
    for s in staged {
        let dir = s.temp.parent().unwrap_or(Path::new("."));
        if done.contains(&dir) {
            continue;
        }
        // SAFETY: `syncfs` only reads the descriptor, which `s.file` keeps open.
        if unsafe { libc::syncfs(s.file.as_raw_fd()) } != 0 {
            return false;
        }
        done.push(dir);
    }
    true
}

#[cfg(not(target_os = "linux"))]
fn sync_file_systems(_staged: &[Staged]) -> bool {
    false
}

/// A run's hold on its output folder, taken by [`claim_folder`]: while it lives, no other
/// run sweeps the folder's temporary files. Dropping it lets go.
#[derive(Debug)]
pub struct FolderClaim {
    /// The folder, open and holding a shared lock; `None` where there is no lock.
    _lock: Option<std::fs::File>,
    /// How many leftover temporary files were removed.
    swept: usize,
}

impl FolderClaim {
    /// How many temporary files of killed runs were removed.
    pub fn swept(&self) -> usize {
        self.swept
    }
}

/// Claims `dir` for a run that will write `targets` there, first removing the temporary
/// files (`.NAME.PID.tmp`) that killed runs left for any of them. Every run holds a shared
/// lock (`flock`) on the folder for as long as the claim lives, and sweeps only if it can
/// take the lock alone: a run that is still writing keeps its temporary files however its
/// steps and another run's interleave. With another run in the folder, or where the file
/// system has no locks, nothing is swept; the leftovers wait for a run that is alone.
pub fn claim_folder(dir: &Path, targets: &[PathBuf]) -> FolderClaim {
    let Ok(folder) = std::fs::File::open(dir) else {
        return FolderClaim {
            _lock: None,
            swept: 0,
        };
    };
    let swept = if lock(&folder, Lock::ExclusiveNow) {
        remove_stale_temps(dir, targets)
    } else {
        0
    };
    // Turning the exclusive lock into a shared one lets go for a moment; a run that takes
    // the folder alone then finds no temporary file of ours, as we have not written any.
    let locked = lock(&folder, Lock::Shared);
    FolderClaim {
        _lock: locked.then_some(folder),
        swept,
    }
}

/// The locks [`claim_folder`] takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lock {
    /// Exclusive, or nothing if another run holds the folder.
    ExclusiveNow,
    /// Shared, waiting while a run that is alone sweeps.
    Shared,
}

/// Takes `lock` on the open folder; `false` if it is held elsewhere or locks are not
/// available here.
#[cfg(unix)]
fn lock(folder: &std::fs::File, lock: Lock) -> bool {
    use std::os::fd::AsRawFd;
    let operation = match lock {
        Lock::ExclusiveNow => libc::LOCK_EX | libc::LOCK_NB,
        Lock::Shared => libc::LOCK_SH,
    };
    loop {
        // SAFETY: `flock` only reads the descriptor, which `folder` keeps open.
        if unsafe { libc::flock(folder.as_raw_fd(), operation) } == 0 {
            return true;
        }
        if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return false;
        }
    }
}

#[cfg(not(unix))]
fn lock(_folder: &std::fs::File, _lock: Lock) -> bool {
    false
}

/// Removes the temporary files that a killed run left in `dir` for any of `targets`
/// (`.NAME.PID.tmp`, as [`write_atomic`] names them). Only files named after a target are
/// touched. Returns how many were removed. Safe only while no other run writes to `dir`.
fn remove_stale_temps(dir: &Path, targets: &[PathBuf]) -> usize {
    let wanted: std::collections::HashSet<&std::ffi::OsStr> =
        targets.iter().filter_map(|t| t.file_name()).collect();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(stem) = name
            .to_str()
            .and_then(|n| n.strip_prefix('.'))
            .and_then(|n| n.strip_suffix(".tmp"))
        else {
            continue;
        };
        let Some((target, pid)) = stem.rsplit_once('.') else {
            continue;
        };
        let ours = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
        if ours
            && wanted.contains(std::ffi::OsStr::new(target))
            && std::fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// Maps `items` in parallel on the current pool (the batch's `-j` threads when called from a
/// batch job), results in input order. For work inside one input that is worth spreading,
/// such as the pages of a scan sent to OCR.
pub fn par_map<I, T, F>(items: Vec<I>, f: F) -> Vec<T>
where
    I: Send,
    T: Send,
    F: Fn(I) -> T + Sync + Send,
{
    items.into_par_iter().map(f).collect()
}

/// What a program run with [`run_program`] gave.
#[derive(Debug)]
pub struct ProgramOutput {
    /// Its exit status, `None` when it was killed at the time bound.
    pub status: Option<std::process::ExitStatus>,
    /// What it wrote to standard output.
    pub stdout: Vec<u8>,
    /// What it wrote to standard error.
    pub stderr: Vec<u8>,
}

/// Runs `command` with `input` on its standard input, and kills it after `timeout`: a hung
/// helper program never hangs vanban. Standard input is written and the outputs are read on
/// threads of their own, so a program that writes before it has read everything cannot
/// deadlock against us.
pub fn run_program(
    mut command: std::process::Command,
    input: &[u8],
    timeout: std::time::Duration,
) -> std::io::Result<ProgramOutput> {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take();
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let started = std::time::Instant::now();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            if let Some(pipe) = stdin.as_mut() {
                // A program that exits early closes the pipe: its status says why.
                let _ = pipe.write_all(input);
            }
            drop(stdin);
        });
        let out = scope.spawn(move || {
            let mut buf = Vec::new();
            if let Some(pipe) = stdout.as_mut() {
                let _ = pipe.read_to_end(&mut buf);
            }
            buf
        });
        let err = scope.spawn(move || {
            let mut buf = Vec::new();
            if let Some(pipe) = stderr.as_mut() {
                let _ = pipe.read_to_end(&mut buf);
            }
            buf
        });
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break Some(status);
            }
            if started.elapsed() >= timeout {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        };
        Ok(ProgramOutput {
            status,
            stdout: out.join().unwrap_or_default(),
            stderr: err.join().unwrap_or_default(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_gets_its_input_and_gives_its_output() {
        let out = run_program(
            std::process::Command::new("cat"),
            b"trang 1",
            std::time::Duration::from_secs(60),
        )
        .unwrap();
        assert!(out.status.is_some_and(|s| s.success()));
        assert_eq!(out.stdout, b"trang 1");
    }

    #[test]
    fn a_program_past_its_bound_is_killed_not_waited_for() {
        let mut command = std::process::Command::new("sleep");
        command.arg("600");
        let out = run_program(command, b"", std::time::Duration::from_millis(100)).unwrap();
        assert!(out.status.is_none());
    }

    #[test]
    fn par_map_keeps_input_order() {
        assert_eq!(
            par_map((0..100).collect(), |i: i32| i * 2),
            (0..100).map(|i| i * 2).collect::<Vec<_>>()
        );
    }

    /// The names of the files in `dir`, sorted.
    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn staged_files_appear_only_when_committed_and_leave_no_temps() {
        let dir = std::env::temp_dir().join(format!("vanban-stage-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("b.docx"), b"old").unwrap();
        let staged = vec![
            stage(&dir.join("a.docx"), b"first").unwrap(),
            stage(&dir.join("b.docx"), b"second").unwrap(),
        ];
        assert_eq!(staged[1].path(), dir.join("b.docx"));
        assert!(!dir.join("a.docx").exists(), "visible before commit");
        assert_eq!(std::fs::read(dir.join("b.docx")).unwrap(), b"old");
        let results = commit(staged);
        assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
        assert_eq!(std::fs::read(dir.join("a.docx")).unwrap(), b"first");
        assert_eq!(std::fs::read(dir.join("b.docx")).unwrap(), b"second");
        let left = names_in(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(left, ["a.docx", "b.docx"]);
    }

    #[test]
    fn staged_batches_publish_every_group_in_input_order() {
        let dir = std::env::temp_dir().join(format!("vanban-publish-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let inputs: Vec<PathBuf> = (0..10).map(|i| dir.join(format!("{i}.docx"))).collect();
        let options = Options {
            jobs: 2,
            progress: false,
        };
        let report = publish_staged(inputs.clone(), options, 3, |path| {
            if path.ends_with("4.docx") {
                return Err(Error::Unsupported {
                    path: path.to_path_buf(),
                    what: "test".into(),
                });
            }
            Ok(vec![stage(path, path.to_string_lossy().as_bytes())?])
        });
        let paths: Vec<&PathBuf> = report.outcomes.iter().map(|o| &o.path).collect();
        assert_eq!(paths, inputs.iter().collect::<Vec<_>>());
        assert_eq!(report.failed(), 1);
        assert!(report.outcomes[4].result.is_err());
        let left = names_in(&dir);
        for input in inputs.iter().filter(|p| !p.ends_with("4.docx")) {
            assert_eq!(
                std::fs::read(input).unwrap(),
                input.to_string_lossy().as_bytes()
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(left.len(), 9, "{left:?}");
    }

    #[test]
    fn stale_temps_of_targets_are_removed_and_nothing_else() {
        let dir = std::env::temp_dir().join(format!("vanban-sweep-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for name in [
            ".a.docx.123.tmp",
            ".b.docx.9.tmp",
            ".a.docx.x.tmp",
            "a.docx",
            ".keep",
        ] {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
        let removed = claim_folder(&dir, &[dir.join("a.docx")]).swept();
        let left = names_in(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(removed, 1);
        assert_eq!(left, [".a.docx.x.tmp", ".b.docx.9.tmp", ".keep", "a.docx"]);
    }

    #[test]
    fn a_run_in_the_folder_keeps_its_temps_from_another_runs_sweep() {
        let dir = std::env::temp_dir().join(format!("vanban-claim-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let targets = [dir.join("a.docx")];
        std::fs::write(dir.join(".a.docx.1.tmp"), b"killed run").unwrap();
        let first = claim_folder(&dir, &targets);
        let in_flight = stage(&targets[0], b"first run").unwrap();
        let second = claim_folder(&dir, &targets);
        let results = commit(vec![in_flight]);
        let after_second = (first.swept(), second.swept());
        drop((first, second));
        std::fs::write(dir.join(".a.docx.2.tmp"), b"killed run").unwrap();
        let third = claim_folder(&dir, &targets).swept();
        let left = names_in(&dir);
        let published = std::fs::read(&targets[0]).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(after_second, (1, 0));
        assert!(results[0].is_ok(), "{results:?}");
        assert_eq!(published, b"first run");
        assert_eq!(third, 1);
        assert_eq!(left, ["a.docx"]);
    }

    #[test]
    fn outcomes_keep_input_order_and_failures_do_not_stop_the_batch() {
        let inputs: Vec<PathBuf> = (0..50).map(|i| PathBuf::from(format!("{i}"))).collect();
        let options = Options {
            jobs: 2,
            progress: false,
        };
        let report = run(inputs, options, |p| {
            let n: usize = p.to_str().and_then(|s| s.parse().ok()).unwrap_or(0);
            if n % 7 == 3 {
                Err(Error::Unsupported {
                    path: p.to_path_buf(),
                    what: "test".into(),
                })
            } else {
                Ok(n * 2)
            }
        });
        assert_eq!(report.outcomes.len(), 50);
        assert_eq!(report.failed(), 7);
        for (i, outcome) in report.outcomes.iter().enumerate() {
            assert_eq!(outcome.path, PathBuf::from(format!("{i}")));
            if i % 7 != 3 {
                assert_eq!(*outcome.result.as_ref().unwrap(), i * 2);
            }
        }
    }
}
