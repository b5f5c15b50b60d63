//! Writing a rewritten file without ever leaving half of one, losing an edit made meanwhile
//! or dropping the file's metadata.
//!
//! # The atomic rewrite
//!
//! Normally the new text goes to a temporary file in the same directory
//! (`.bedrock-migrate-<pid>-<random>.tmp`), which is synced, given the original's owner,
//! extended attributes (POSIX ACLs are stored as the extended attribute
//! `system.posix_acl_access`, so they are copied with them) and mode bits (setuid, setgid and
//! sticky included, set last because a change of owner clears them), and then swapped with
//! the original. A crash leaves the old or the new file, never half of one; a temporary file
//! left by a killed run is removed by the next run that writes in its directory
//! ([`recover_directory`]).
//!
//! # Edits made meanwhile
//!
//! The file is compared with the text that was planned on three times: when it is opened for
//! the rewrite; again right before the swap (its content, and its inode, size, modification
//! and change times, so that a `chmod` or a same-size edit counts too); and once more after
//! the swap. On Linux the swap is `renameat2(RENAME_EXCHANGE)`, which leaves the file that
//! was replaced at the temporary name: if it is not, byte for byte, the file that was
//! checked (an editor saved, in place or by its own rename, between the last check and the
//! swap), the two are swapped back, so the editor's version is in place again, and the write
//! is refused as "changed on disk". What remains, as in editors that save by rename:
//!
//! - a process that keeps the file open and writes into it after that last comparison
//!   writes into the replaced file, which is then deleted; its write is lost. Nothing that
//!   renames can close this (an editor holds no file open between saves, so it is not
//!   concerned; a program appending to a log it keeps open is);
//! - a reader that opens the file between the swap and the swap back sees the new text for
//!   that moment;
//! - on a file system without `RENAME_EXCHANGE` (some network and FUSE file systems), a
//!   plain rename follows the second check, and a save between the two (a few system calls
//!   apart) is lost.
//!
//! # In place, with a journal
//!
//! A rename would break what the user has in three cases: a file with several hard links
//! (the other names would keep the old text), a file whose owner this user cannot give to a
//! new file (another user's file, writable through its group), and a file with an extended
//! attribute or mode bit that a new file cannot get. Those are written in place, as ruff,
//! black and vim write every file (so hard links keep sharing the text; a package store
//! linked into a project, as pnpm and uv make them, is rewritten with it), but never by
//! truncating first: the old and the new text are first written to a journal
//! (`.bedrock-migrate-<pid>-<random>.journal` in the same directory) and synced, the space
//! the longer text needs is reserved (`fallocate`), the new bytes are written over the old
//! ones, the file is cut to length and synced, and only then is the journal removed. A full
//! disk fails before the file is touched (the journal or the reservation cannot be made)
//! or, where the file system cannot reserve space, the old text is written back; a kill
//! during the write leaves the journal, and the next run that writes in that directory
//! finishes the rewrite (see [`recover_directory`]). A file in a directory where no journal
//! can be created is not written.

use std::ffi::{OsStr, OsString};
use std::fs::{self, File};
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileExt as _, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use xattr::FileExt as _;

use super::ApplyError;

/// The start of the name of every temporary file and journal this tool creates.
pub const TEMP_PREFIX: &str = ".bedrock-migrate-";

/// A temporary file or journal left by an interrupted run is removed (or, for a journal,
/// acted on) by a later run when the process that created it is gone, or when it is older
/// than this (its process number may have been reused).
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// How [`write_file`] may write.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions<'a> {
    /// The repository being processed (its git root, or the directory named on the command
    /// line). A path that leads outside it through a symlink is not written.
    pub root: Option<&'a Path>,
}

/// Points of a write where the tests inject faults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Before the file is opened and compared the first time.
    BeforeCheck,
    /// The temporary file holds the new text, synced (before the last comparison).
    TempWritten,
    /// After the last comparison, right before the swap.
    BeforeRename,
    /// The journal of an in-place write is durable; the file is untouched.
    JournalWritten,
    /// Half of the new bytes of an in-place write are written.
    MidWrite,
}

impl Stage {
    fn name(self) -> &'static str {
        match self {
            Stage::BeforeCheck => "before-check",
            Stage::TempWritten => "temp-written",
            Stage::BeforeRename => "before-rename",
            Stage::JournalWritten => "journal-written",
            Stage::MidWrite => "mid-write",
        }
    }
}

/// A fault-injection hook: called at each [`Stage`] with the file being written.
pub(crate) type Hook<'a> = &'a dyn Fn(Stage, &Path) -> std::io::Result<()>;

/// Replace the contents of `path` with `new_text`, which was planned on `original` (see the
/// module documentation for how).
pub fn write_file(
    path: &Path,
    original: &[u8],
    new_text: &[u8],
    options: &WriteOptions,
) -> Result<(), ApplyError> {
    write_with_hook(path, original, new_text, options, &env_fault)
}

/// Fault injection for the tests, in debug builds only: `BEDROCK_MIGRATE_FAULT="ACTION
/// STAGE NAME"` does ACTION at STAGE ([`Stage::name`]) of the write of the file named NAME.
/// ACTION is `edit` (append a line to the file, as an editor saving meanwhile would),
/// `enospc` (fail as a full disk does) or `abort` (die at once, as `kill -9` does).
fn env_fault(stage: Stage, target: &Path) -> std::io::Result<()> {
    if !cfg!(debug_assertions) {
        return Ok(());
    }
    let Some(spec) = std::env::var_os("BEDROCK_MIGRATE_FAULT") else {
        return Ok(());
    };
    let spec = spec.to_string_lossy();
    let mut parts = spec.splitn(3, ' ');
    let (Some(action), Some(at), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
        return Ok(());
    };
    if at != stage.name() || target.file_name() != Some(OsStr::new(name)) {
        return Ok(());
    }
    match action {
        "edit" => fs::OpenOptions::new()
            .append(true)
            .open(target)?
            .write_all(b"# edited meanwhile\n"),
        "enospc" => Err(std::io::Error::from_raw_os_error(28)),
        "abort" => std::process::abort(),
        _ => Ok(()),
    }
}

/// What [`stamp`] compares: a change to the file's content or metadata changes one of them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

fn stamp(m: &fs::Metadata) -> Stamp {
    Stamp {
        dev: m.dev(),
        ino: m.ino(),
        size: m.size(),
        mtime: (m.mtime(), m.mtime_nsec()),
        ctime: (m.ctime(), m.ctime_nsec()),
    }
}

pub(crate) fn write_with_hook(
    path: &Path,
    original: &[u8],
    new_text: &[u8],
    options: &WriteOptions,
    hook: Hook,
) -> Result<(), ApplyError> {
    let io = |source| ApplyError::Io {
        path: path.to_path_buf(),
        source,
    };
    let changed = || ApplyError::Changed {
        path: path.to_path_buf(),
    };
    let target = fs::canonicalize(path).map_err(io)?;
    if let Some(root) = options.root {
        let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        if !target.starts_with(&root) {
            return Err(ApplyError::LeavesRepository {
                path: path.to_path_buf(),
                target,
                root,
            });
        }
    }
    hook(Stage::BeforeCheck, &target).map_err(io)?;
    // The file stays open: its metadata and extended attributes are read from it, so they
    // are those of the file that was compared.
    let mut file = File::open(&target).map_err(io)?;
    let metadata = file.metadata().map_err(io)?;
    if !metadata.is_file() {
        return Err(io(std::io::Error::other("not a regular file")));
    }
    let mut current = Vec::with_capacity(original.len());
    file.read_to_end(&mut current).map_err(io)?;
    if current != original {
        // Already rewritten, through another of its names (a hard link walked too).
        if current == new_text {
            return Ok(());
        }
        return Err(changed());
    }
    if metadata.permissions().readonly() {
        return Err(ApplyError::ReadOnly {
            path: path.to_path_buf(),
        });
    }
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    if metadata.nlink() > 1 {
        return write_in_place(path, &target, &metadata, original, new_text, hook);
    }
    let pid = std::process::id();
    let mut temp = match tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{pid}-"))
        .suffix(".tmp")
        .rand_bytes(6)
        .tempfile_in(dir)
    {
        Ok(temp) => temp,
        Err(e) => return Err(no_temp_file(path, dir, e)),
    };
    temp.write_all(new_text).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    hook(Stage::TempWritten, &target).map_err(io)?;
    if copy_metadata(&file, &metadata, temp.as_file()).is_err() {
        // A new file cannot have what this one has (another user's file; an attribute this
        // user may not set): rewrite this one instead.
        drop(temp);
        return write_in_place(path, &target, &metadata, original, new_text, hook);
    }
    // The last comparison, as close to the swap as it can be.
    let now = fs::symlink_metadata(&target).map_err(io)?;
    if stamp(&now) != stamp(&metadata) || fs::read(&target).map_err(io)? != original {
        return Err(changed());
    }
    hook(Stage::BeforeRename, &target).map_err(io)?;
    match exchange(temp.path(), &target) {
        Ok(()) => {
            // The temporary name now holds what the path held at the swap.
            let swapped_out = fs::symlink_metadata(temp.path()).map_err(io)?;
            let same = swapped_out.ino() == metadata.ino()
                && swapped_out.dev() == metadata.dev()
                && fs::read(temp.path()).map_err(io)? == original;
            if !same {
                if let Err(e) = exchange(temp.path(), &target) {
                    // The other version stays where it is; it must not be deleted.
                    let kept = temp.into_temp_path().keep().map_err(|e| io(e.error))?;
                    return Err(io(std::io::Error::other(format!(
                        "the file changed on disk while it was being written, and putting \
                         the other version back failed ({e}); it is kept in {}",
                        kept.display()
                    ))));
                }
                return Err(changed());
            }
            // Dropping the temporary file deletes the old one, now at its name.
            drop(temp);
        }
        Err(e) if exchange_unsupported(&e) => {
            temp.persist(&target).map_err(|e| io(e.error))?;
        }
        Err(e) => return Err(io(e)),
    }
    sync_dir(dir).map_err(io)
}

/// A directory where no temporary file can be created: the file is not written, since
/// writing it in place without a journal could lose it on a crash.
fn no_temp_file(path: &Path, dir: &Path, error: std::io::Error) -> ApplyError {
    ApplyError::NoTempFile {
        path: path.to_path_buf(),
        dir: dir.to_path_buf(),
        source: error,
    }
}

/// Swap two paths atomically (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// The file system (or kernel) cannot swap: a plain rename does instead.
fn exchange_unsupported(e: &std::io::Error) -> bool {
    const EINVAL: i32 = 22;
    const ENOSYS: i32 = 38;
    const EOPNOTSUPP: i32 = 95;
    e.kind() == std::io::ErrorKind::Unsupported
        || matches!(e.raw_os_error(), Some(EINVAL | ENOSYS | EOPNOTSUPP))
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Give `to` (a new file) the owner, extended attributes and mode of `from`. An error means
/// that something could not be given.
fn copy_metadata(from: &File, metadata: &fs::Metadata, to: &File) -> std::io::Result<()> {
    let theirs = to.metadata()?;
    // The owner first: a change of owner clears the setuid and setgid bits, and file
    // capabilities (`security.capability`).
    if theirs.uid() != metadata.uid() || theirs.gid() != metadata.gid() {
        std::os::unix::fs::fchown(to, Some(metadata.uid()), Some(metadata.gid()))?;
    }
    copy_xattrs(from, to)?;
    to.set_permissions(fs::Permissions::from_mode(metadata.mode() & 0o7777))?;
    // A mode bit the kernel would not set (setgid for a group this user is not in) is
    // dropped silently: check.
    if to.metadata()?.mode() & 0o7777 != metadata.mode() & 0o7777 {
        return Err(std::io::Error::other("mode bits not kept"));
    }
    Ok(())
}

/// The extended attributes of `file`: none where the file system has none.
fn xattrs(file: &File) -> std::io::Result<Vec<(OsString, Vec<u8>)>> {
    let names = match file.list_xattr() {
        Ok(names) => names,
        Err(e) if xattrs_unsupported(&e) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for name in names {
        if let Some(value) = file.get_xattr(&name)? {
            out.push((name, value));
        }
    }
    out.sort();
    Ok(out)
}

fn xattrs_unsupported(e: &std::io::Error) -> bool {
    const EOPNOTSUPP: i32 = 95;
    e.kind() == std::io::ErrorKind::Unsupported || e.raw_os_error() == Some(EOPNOTSUPP)
}

/// Make the extended attributes of `to` exactly those of `from`.
fn copy_xattrs(from: &File, to: &File) -> std::io::Result<()> {
    let wanted = xattrs(from)?;
    let present = xattrs(to)?;
    for (name, value) in &wanted {
        if !present.iter().any(|(n, v)| n == name && v == value) {
            to.set_xattr(name, value)?;
        }
    }
    for (name, _) in &present {
        if !wanted.iter().any(|(n, _)| n == name) {
            to.remove_xattr(name)?;
        }
    }
    Ok(())
}

/// The journal of an in-place write: the file's name in its directory, its old and its new
/// bytes, each with its length, between a header and an end mark (a journal cut short by a
/// crash was written before the file was touched).
const JOURNAL_MAGIC: &[u8] = b"bedrock-migrate journal 1\n";
const JOURNAL_END: &[u8] = b"\nend\n";

fn journal_bytes(name: &OsStr, old: &[u8], new: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(JOURNAL_MAGIC.len() + 32 + old.len() + new.len());
    out.extend_from_slice(JOURNAL_MAGIC);
    for part in [name.as_bytes(), old, new] {
        out.extend_from_slice(&(part.len() as u64).to_le_bytes());
        out.extend_from_slice(part);
    }
    out.extend_from_slice(JOURNAL_END);
    out
}

/// `(name, old, new)` of a complete journal.
fn parse_journal(bytes: &[u8]) -> Option<(OsString, Vec<u8>, Vec<u8>)> {
    let mut rest = bytes.strip_prefix(JOURNAL_MAGIC)?;
    let mut parts = Vec::new();
    for _ in 0..3 {
        let (len, tail) = rest.split_first_chunk::<8>()?;
        let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
        if tail.len() < len {
            return None;
        }
        parts.push(tail[..len].to_vec());
        rest = &tail[len..];
    }
    if rest != JOURNAL_END {
        return None;
    }
    let new = parts.pop()?;
    let old = parts.pop()?;
    let name = OsString::from(std::ffi::OsStr::from_bytes(&parts.pop()?));
    Some((name, old, new))
}

/// Rewrite `target` in place, journaled (see the module documentation).
fn write_in_place(
    path: &Path,
    target: &Path,
    metadata: &fs::Metadata,
    original: &[u8],
    new_text: &[u8],
    hook: Hook,
) -> Result<(), ApplyError> {
    let io = |source| ApplyError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    let name = target.file_name().unwrap_or_default();
    let pid = std::process::id();
    let mut journal = match tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{pid}-"))
        .suffix(".journal")
        .rand_bytes(6)
        .tempfile_in(dir)
    {
        Ok(journal) => journal,
        Err(e) => return Err(no_temp_file(path, dir, e)),
    };
    // A full disk stops here, before the file is touched (the journal is removed as it is
    // dropped).
    journal
        .write_all(&journal_bytes(name, original, new_text))
        .and_then(|()| journal.as_file().sync_all())
        .and_then(|()| sync_dir(dir))
        .map_err(io)?;
    hook(Stage::JournalWritten, target).map_err(io)?;
    let file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(target)
        .map_err(io)?;
    let now = file.metadata().map_err(io)?;
    if stamp(&now) != stamp(metadata) || fs::read(target).map_err(io)? != original {
        return Err(ApplyError::Changed {
            path: path.to_path_buf(),
        });
    }
    if let Err(e) = reserve(&file, new_text.len() as u64) {
        return Err(io(e));
    }
    match overwrite(&file, new_text, metadata, target, hook) {
        Ok(()) => {}
        Err(e) => {
            // Put the old text back; it fits where it was.
            return match overwrite(&file, original, metadata, target, &|_, _| Ok(())) {
                Ok(()) => Err(io(e)),
                Err(_) => {
                    let kept = journal.into_temp_path().keep().map_err(|e| io(e.error))?;
                    Err(io(std::io::Error::other(format!(
                        "{e}; the file could not be restored: its old and new text are in {}, \
                         and the next run that writes in this directory finishes the rewrite",
                        kept.display()
                    ))))
                }
            };
        }
    }
    drop(journal);
    sync_dir(dir).map_err(io)
}

/// Reserve the blocks of a file of `len` bytes, so that writing it cannot run out of space.
/// Where the file system cannot reserve, nothing is done.
#[cfg(target_os = "linux")]
fn reserve(file: &File, len: u64) -> std::io::Result<()> {
    use rustix::fs::{FallocateFlags, fallocate};
    if len == 0 {
        return Ok(());
    }
    match fallocate(file, FallocateFlags::KEEP_SIZE, 0, len) {
        Ok(()) => Ok(()),
        Err(e) if e == rustix::io::Errno::OPNOTSUPP || e == rustix::io::Errno::NOSYS => Ok(()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn reserve(_: &File, _: u64) -> std::io::Result<()> {
    Ok(())
}

/// Write `bytes` over the file from its start, cut it to their length and sync it; the
/// mode is put back if writing cleared its setuid or setgid bit.
fn overwrite(
    file: &File,
    bytes: &[u8],
    metadata: &fs::Metadata,
    target: &Path,
    hook: Hook,
) -> std::io::Result<()> {
    let half = bytes.len() / 2;
    file.write_all_at(&bytes[..half], 0)?;
    hook(Stage::MidWrite, target)?;
    file.write_all_at(&bytes[half..], half as u64)?;
    file.set_len(bytes.len() as u64)?;
    let mode = metadata.mode() & 0o7777;
    if file.metadata()?.mode() & 0o7777 != mode {
        file.set_permissions(fs::Permissions::from_mode(mode))?;
    }
    file.sync_all()
}

/// True for a name this tool gives its temporary files and journals
/// (`.bedrock-migrate-<pid>-<6 letters or digits>.tmp` or `.journal`), and for those of
/// earlier versions (`.bedrock-migrate-<6 letters or digits>`): never a project file.
pub fn is_temp_name(name: &OsStr) -> bool {
    temp_name_parts(name).is_some() || {
        let name = name.as_bytes();
        name.strip_prefix(TEMP_PREFIX.as_bytes())
            .is_some_and(|rest| rest.len() == 6 && rest.iter().all(u8::is_ascii_alphanumeric))
    }
}

/// `(pid, is_journal)` of a current temporary name.
fn temp_name_parts(name: &OsStr) -> Option<(u32, bool)> {
    let rest = name.to_str()?.strip_prefix(TEMP_PREFIX)?;
    let (rest, journal) = match rest.strip_suffix(".tmp") {
        Some(rest) => (rest, false),
        None => (rest.strip_suffix(".journal")?, true),
    };
    let (pid, random) = rest.split_once('-')?;
    let ok = !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && random.len() == 6
        && random.bytes().all(|b| b.is_ascii_alphanumeric());
    ok.then(|| pid.parse().ok().map(|pid| (pid, journal)))?
}

/// Whether a process with this number runs (on this machine, in this PID namespace).
fn process_exists(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e != rustix::io::Errno::SRCH,
    }
}

/// Clean up after interrupted runs in `dir`; run before writing there. A temporary file or
/// journal of this tool is acted on when the process that created it no longer runs, or
/// when it is more than an hour old:
///
/// - a temporary file (`….tmp`, the new text of a rewrite that was never swapped in) is
///   removed;
/// - a journal (`….journal`) names a file that a run was rewriting in place. If the file is
///   its old or its new text, the journal is removed. If it is a mix of the two, byte by
///   byte, as a write cut short leaves it, the rewrite is finished (the new text is written
///   in place) and then the journal is removed. Anything else means that the file was
///   edited since: the journal is kept, and the message says where.
///
/// Returns `(file, message)` for each file that was acted on or needs the user.
pub fn recover_directory(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut messages = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return messages;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some((pid, journal)) = temp_name_parts(&name) else {
            continue;
        };
        let path = entry.path();
        let Ok(metadata) = fs::symlink_metadata(&path) else {
            continue;
        };
        let old = metadata
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if !metadata.is_file() || (pid == std::process::id() && !old) {
            continue;
        }
        if !old && process_exists(pid) {
            continue;
        }
        if !journal {
            let _ = fs::remove_file(&path);
            continue;
        }
        if let Some(message) = recover_journal(dir, &path) {
            messages.push(message);
        }
    }
    messages
}

/// Act on one stale journal (see [`recover_directory`]).
fn recover_journal(dir: &Path, journal: &Path) -> Option<(PathBuf, String)> {
    let Some((name, old, new)) = fs::read(journal).ok().as_deref().and_then(parse_journal) else {
        // Cut short: written before the file was touched.
        let _ = fs::remove_file(journal);
        return None;
    };
    let target = dir.join(&name);
    let current = match fs::symlink_metadata(&target) {
        Ok(m) if m.is_file() => fs::read(&target).ok()?,
        _ => {
            let _ = fs::remove_file(journal);
            return None;
        }
    };
    if current == old || current == new {
        let _ = fs::remove_file(journal);
        return None;
    }
    if !is_torn(&current, &old, &new) {
        return Some((
            target,
            format!(
                "a run that was rewriting it was interrupted, and it was changed since; \
                 its text before and after that rewrite are kept in {} (remove it when done)",
                journal.display()
            ),
        ));
    }
    let finish = || -> std::io::Result<()> {
        let file = fs::OpenOptions::new().write(true).open(&target)?;
        let metadata = file.metadata()?;
        reserve(&file, new.len() as u64)?;
        overwrite(&file, &new, &metadata, &target, &|_, _| Ok(()))
    };
    match finish() {
        Ok(()) => {
            let _ = fs::remove_file(journal);
            let _ = sync_dir(dir);
            Some((
                target,
                "finished a rewrite that an interrupted run had left half-written".to_string(),
            ))
        }
        Err(e) => {
            let message = format!(
                "half-written by an interrupted run, and finishing the rewrite failed ({e}); \
                 its old and new text are kept in {}",
                journal.display()
            );
            Some((target, message))
        }
    }
}

/// True when `current` is what writing `new` over `old` from the start can leave when it
/// stops anywhere: every byte is the old or the new one at its offset, and the length is
/// between the two lengths.
fn is_torn(current: &[u8], old: &[u8], new: &[u8]) -> bool {
    let (short, long) = (old.len().min(new.len()), old.len().max(new.len()));
    (short..=long).contains(&current.len())
        && current
            .iter()
            .enumerate()
            .all(|(i, b)| old.get(i) == Some(b) || new.get(i) == Some(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(TEMP_PREFIX))
            .collect();
        names.sort();
        names
    }

    fn write(path: &Path, old: &str, new: &str, hook: Hook) -> Result<(), ApplyError> {
        write_with_hook(
            path,
            old.as_bytes(),
            new.as_bytes(),
            &WriteOptions::default(),
            hook,
        )
    }

    /// An edit saved after the temporary file is written and before the last comparison
    /// is caught by that comparison.
    #[test]
    fn race_window_an_edit_before_the_last_check_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        fs::write(&path, "old\n").unwrap();
        let hook = |stage: Stage, target: &Path| {
            if stage == Stage::TempWritten {
                fs::write(target, "theirs\n")?;
            }
            Ok(())
        };
        let err = write(&path, "old\n", "new\n", &hook).unwrap_err();
        assert!(matches!(err, ApplyError::Changed { .. }), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "theirs\n");
        assert!(temp_files(dir.path()).is_empty());
    }

    /// An edit saved after the last comparison, right before the swap, in place or by an
    /// editor's own rename: the check after the swap sees it and swaps back.
    #[test]
    fn race_window_a_save_after_the_last_check_is_swapped_back() {
        for by_rename in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("a.py");
            fs::write(&path, "old\n").unwrap();
            let hook = |stage: Stage, target: &Path| {
                if stage == Stage::BeforeRename {
                    if by_rename {
                        let saved = target.with_file_name("a.py~");
                        fs::write(&saved, "theirs\n")?;
                        fs::rename(&saved, target)?;
                    } else {
                        // Same size: only the content tells.
                        fs::write(target, "OLD\n")?;
                    }
                }
                Ok(())
            };
            let err = write(&path, "old\n", "new\n", &hook).unwrap_err();
            assert!(matches!(err, ApplyError::Changed { .. }), "{err}");
            let expected = if by_rename { "theirs\n" } else { "OLD\n" };
            assert_eq!(fs::read_to_string(&path).unwrap(), expected);
            assert!(temp_files(dir.path()).is_empty());
        }
    }

    #[test]
    fn hard_links_are_written_in_place_with_a_journal() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.py");
        let b = dir.path().join("b.py");
        fs::write(&a, "old text\n").unwrap();
        fs::hard_link(&a, &b).unwrap();
        let saw_journal = std::cell::Cell::new(false);
        let hook = |stage: Stage, _: &Path| {
            if stage == Stage::MidWrite {
                saw_journal.set(
                    temp_files(dir.path())
                        .iter()
                        .any(|n| n.ends_with(".journal")),
                );
            }
            Ok(())
        };
        write(&a, "old text\n", "a new, longer text\n", &hook).unwrap();
        assert!(saw_journal.get());
        assert_eq!(fs::read_to_string(&b).unwrap(), "a new, longer text\n");
        assert!(temp_files(dir.path()).is_empty());
    }

    /// A full disk in the middle of an in-place write: the old text is put back.
    #[test]
    fn hard_links_enospc_mid_write_restores_the_old_text() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.py");
        let b = dir.path().join("b.py");
        fs::write(&a, "old text\n").unwrap();
        fs::hard_link(&a, &b).unwrap();
        let hook = |stage: Stage, _: &Path| {
            if stage == Stage::MidWrite {
                return Err(std::io::Error::from_raw_os_error(28));
            }
            Ok(())
        };
        let err = write(&a, "old text\n", "a new, longer text\n", &hook).unwrap_err();
        assert!(err.to_string().contains("No space left on device"), "{err}");
        assert_eq!(fs::read_to_string(&b).unwrap(), "old text\n");
        assert!(temp_files(dir.path()).is_empty());
    }

    #[test]
    fn journals_are_recovered() {
        let dir = tempfile::tempdir().unwrap();
        let dead = {
            let mut child = std::process::Command::new("true").spawn().unwrap();
            let pid = child.id();
            child.wait().unwrap();
            pid
        };
        let journal = |file: &str, old: &str, new: &str, tag: &str| {
            let p = dir
                .path()
                .join(format!("{TEMP_PREFIX}{dead}-{tag}.journal"));
            fs::write(
                &p,
                journal_bytes(OsStr::new(file), old.as_bytes(), new.as_bytes()),
            )
            .unwrap();
            p
        };
        // Torn: the first half of the new text over the old one.
        fs::write(dir.path().join("torn.py"), "new_xxxxxx\n").unwrap();
        journal("torn.py", "xxxxxxxxxx\n", "new_text_longer\n", "aaaaaa");
        // Edited since: kept.
        fs::write(dir.path().join("edited.py"), "something else\n").unwrap();
        let kept = journal("edited.py", "old\n", "new\n", "bbbbbb");
        // Already complete.
        fs::write(dir.path().join("done.py"), "new\n").unwrap();
        journal("done.py", "old\n", "new\n", "cccccc");
        // Cut short (the crash came while writing the journal).
        let cut = dir
            .path()
            .join(format!("{TEMP_PREFIX}{dead}-dddddd.journal"));
        fs::write(&cut, &journal_bytes(OsStr::new("x"), b"old", b"new")[..20]).unwrap();
        // A temporary file of a dead run; one of this (live) process stays.
        fs::write(
            dir.path().join(format!("{TEMP_PREFIX}{dead}-eeeeee.tmp")),
            "x",
        )
        .unwrap();
        let live = format!("{TEMP_PREFIX}{}-ffffff.tmp", std::process::id());
        fs::write(dir.path().join(&live), "x").unwrap();
        let messages = recover_directory(dir.path());
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages.iter().any(|(p, m)| p.ends_with("torn.py")
                && m == "finished a rewrite that an interrupted run had left half-written"),
            "{messages:?}"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("torn.py")).unwrap(),
            "new_text_longer\n"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("edited.py")).unwrap(),
            "something else\n"
        );
        let mut expected = vec![
            kept.file_name().unwrap().to_string_lossy().into_owned(),
            live,
        ];
        expected.sort();
        assert_eq!(temp_files(dir.path()), expected);
    }

    #[test]
    fn torn_means_old_or_new_byte_by_byte() {
        assert!(is_torn(b"nex", b"old", b"nex"));
        assert!(is_torn(b"nld", b"old", b"new"));
        assert!(is_torn(b"newer", b"old", b"newer!"));
        assert!(!is_torn(b"oxd", b"old", b"new"));
        assert!(!is_torn(b"o", b"old", b"new"));
    }

    #[test]
    fn temp_names() {
        assert!(is_temp_name(OsStr::new(".bedrock-migrate-123-aB3xYz.tmp")));
        assert!(is_temp_name(OsStr::new(
            ".bedrock-migrate-9-000000.journal"
        )));
        assert!(is_temp_name(OsStr::new(".bedrock-migrate-aB3xYz")));
        assert!(!is_temp_name(OsStr::new(".bedrock-migrate.toml")));
        assert!(!is_temp_name(OsStr::new(".bedrock-migrate-notes.md")));
        assert!(!is_temp_name(OsStr::new(".bedrock-migrate-12-abc.tmp")));
    }
}
