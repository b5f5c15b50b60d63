//! Walk: discover files, detect their language, and drop every file whose bytes hold no
//! candidate before anything is parsed.
//!
//! Discovery uses `ignore`'s parallel walker (the one ripgrep uses), so `.gitignore`,
//! `.ignore` and hidden-file rules apply as users expect. Each file is read once; one
//! Aho-Corasick pass over its bytes for the table's provider prefixes (`anthropic.`,
//! `amazon.`, …) decides whether it is parsed at all. On a typical repository almost every
//! file stops there, which is what keeps a scan within reach of ripgrep.
//!
//! Like ripgrep, the walker never skips a path given on the command line for an ignore file
//! (`.gitignore`, `.ignore`): those rules decide what the walk discovers, not what the user
//! names (a pre-commit hook names staged files, which are tracked, ignored or not). The
//! repository's own `exclude` globs ([`Exclusions`]) are different: they say which files the
//! tool must leave alone, so, as with ruff's `--force-exclude`, a named file they cover is
//! skipped too, and the walk says so ([`Visit::Excluded`]).
//!
//! Files are decoded by [`crate::encoding`]: UTF-8, UTF-16 with a byte-order mark, or
//! windows-1252.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};

use crate::encoding::{self, TextEncoding, Undecodable};
use crate::extract::Language;
use crate::model_ref::Grammar;
use crate::progress::Counters;

/// Files larger than this are skipped with a warning: generated bundles and data dumps are
/// not where model IDs are maintained, and parsing them would dominate the run.
pub const DEFAULT_MAX_FILESIZE: u64 = 8 * 1024 * 1024;

/// How to walk.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Also walk hidden files and directories.
    pub hidden: bool,
    /// Do not honour `.gitignore`, `.ignore` and similar files.
    pub no_ignore: bool,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Skip files larger than this many bytes.
    pub max_filesize: u64,
    /// Paths never visited, walked or named (the repository's `exclude` globs).
    pub exclude: Exclusions,
    /// Counts every file walked (for the progress line), when set.
    pub progress: Option<Arc<Counters>>,
    /// Read text files of every type: those of no type this tool reads are reported as
    /// plain text (never rewritten), for inventories (`--all-text`).
    pub all_text: bool,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            hidden: false,
            no_ignore: false,
            threads: 0,
            max_filesize: DEFAULT_MAX_FILESIZE,
            exclude: Exclusions::default(),
            progress: None,
            all_text: false,
        }
    }
}

/// The `exclude` globs of the `[settings]` tables, each relative to the directory of the
/// file that lists it, matched the way ruff matches its `exclude`:
///
/// - a glob without `/` (`vendor`, `*.gen.ts`) matches a file or directory name at any depth;
/// - a glob with `/` (`src/legacy/*.py`, `/build`, `docs/**`) matches the path relative to
///   the base directory, where `*` does not cross a `/` and `**` does; a leading `/` or
///   `./` changes nothing (the path is relative to the base anyway);
/// - a trailing `/` is dropped: `build/` excludes the directory `build` at any depth.
///
/// A path is excluded when it or one of its parent directories below the base matches, so
/// naming a file of an excluded directory skips it too. Paths outside the base never match.
#[derive(Debug, Clone, Default)]
pub struct Exclusions {
    sets: Vec<ExcludeSet>,
    /// The current directory when built, to make walked paths absolute without a system
    /// call per file.
    cwd: PathBuf,
}

#[derive(Debug, Clone)]
struct ExcludeSet {
    /// Absolute, lexically normalised.
    base: PathBuf,
    /// Globs without `/`: matched against each name.
    names: GlobSet,
    /// Globs with `/`: matched against relative paths.
    paths: GlobSet,
    /// Where each glob of `names`, then of `paths`, comes from (by index).
    name_sources: Vec<ExcludeSource>,
    path_sources: Vec<ExcludeSource>,
}

/// An `exclude` glob as written, and the file that lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcludeSource {
    /// The glob as written.
    pub pattern: String,
    /// The rules or configuration file that lists it, when known.
    pub file: Option<PathBuf>,
}

impl Exclusions {
    /// Compile `(base directory, glob)` pairs; relative bases are taken from the current
    /// directory.
    pub fn new<'a>(
        patterns: impl IntoIterator<Item = (&'a Path, &'a str)>,
    ) -> Result<Exclusions, globset::Error> {
        Self::with_files(patterns.into_iter().map(|(base, p)| (base, p, None)))
    }

    /// [`Exclusions::new`] from the `exclude` globs of loaded rules files, remembering which
    /// file lists each glob (for [`Exclusions::excluded_by`]).
    pub fn from_patterns(
        patterns: &[crate::rules::ExcludePattern],
    ) -> Result<Exclusions, globset::Error> {
        Self::with_files(
            patterns
                .iter()
                .map(|e| (e.base.as_path(), e.pattern.as_str(), Some(e.file.as_path()))),
        )
    }

    fn with_files<'a>(
        patterns: impl IntoIterator<Item = (&'a Path, &'a str, Option<&'a Path>)>,
    ) -> Result<Exclusions, globset::Error> {
        type Builders = (
            GlobSetBuilder,
            GlobSetBuilder,
            Vec<ExcludeSource>,
            Vec<ExcludeSource>,
        );
        let cwd = std::env::current_dir().unwrap_or_default();
        let mut by_base: BTreeMap<PathBuf, Builders> = BTreeMap::new();
        for (base, pattern, file) in patterns {
            let base = normalize(&cwd.join(base));
            let (names, paths, name_sources, path_sources) =
                by_base.entry(base).or_insert_with(|| {
                    (
                        GlobSetBuilder::new(),
                        GlobSetBuilder::new(),
                        Vec::new(),
                        Vec::new(),
                    )
                });
            let (anchored, glob) = Self::compile(pattern)?;
            let source = ExcludeSource {
                pattern: pattern.to_string(),
                file: file.map(Path::to_path_buf),
            };
            if anchored {
                paths.add(glob);
                path_sources.push(source);
            } else {
                names.add(glob);
                name_sources.push(source);
            }
        }
        let mut sets = Vec::new();
        for (base, (names, paths, name_sources, path_sources)) in by_base {
            sets.push(ExcludeSet {
                base,
                names: names.build()?,
                paths: paths.build()?,
                name_sources,
                path_sources,
            });
        }
        Ok(Exclusions { sets, cwd })
    }

    /// Check that `pattern` is a usable glob (for rules-file errors with a position).
    pub fn check_glob(pattern: &str) -> Result<(), String> {
        Self::compile(pattern)
            .map(|_| ())
            .map_err(|e| e.kind().to_string())
    }

    /// The glob and whether it is matched against relative paths (it has a `/`).
    fn compile(pattern: &str) -> Result<(bool, globset::Glob), globset::Error> {
        let trimmed = pattern.trim_end_matches('/');
        let trimmed = trimmed.strip_prefix("./").unwrap_or(trimmed);
        let anchored = trimmed.contains('/');
        let trimmed = trimmed.trim_start_matches('/');
        let glob = GlobBuilder::new(trimmed)
            .literal_separator(true)
            .backslash_escape(true)
            .build()?;
        Ok((anchored, glob))
    }

    /// True when there are no globs.
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Whether `path` (a file or directory, relative to the current directory or absolute)
    /// or one of its parent directories below a glob's base is excluded.
    pub fn is_excluded(&self, path: &Path) -> bool {
        self.excluded_by(path).is_some()
    }

    /// The glob that excludes `path` (see [`Exclusions::is_excluded`]), if one does.
    pub fn excluded_by(&self, path: &Path) -> Option<&ExcludeSource> {
        if self.sets.is_empty() {
            return None;
        }
        let path = normalize(&self.cwd.join(path));
        self.sets.iter().find_map(|set| {
            let rel = path.strip_prefix(&set.base).ok()?;
            let mut prefix = PathBuf::new();
            rel.components().find_map(|c| {
                prefix.push(c);
                let by_name = set.names.matches(c.as_os_str());
                if let Some(&i) = by_name.first() {
                    return set.name_sources.get(i);
                }
                let by_path = set.paths.matches(&prefix);
                by_path.first().and_then(|&i| set.path_sources.get(i))
            })
        })
    }

    /// Whether a walked entry is excluded, its parents having been checked already.
    fn is_entry_excluded(&self, path: &Path) -> bool {
        let path = normalize(&self.cwd.join(path));
        self.sets.iter().any(|set| {
            let Ok(rel) = path.strip_prefix(&set.base) else {
                return false;
            };
            rel.file_name().is_some_and(|n| set.names.is_match(n)) || set.paths.is_match(rel)
        })
    }
}

/// A walker of `root` that honours ignore files as git does (`.gitignore`, `.ignore`, the
/// global and the repository's excludes, parents' ignore files, also outside a git
/// repository), and does not skip hidden entries by itself: callers decide about those.
pub fn ignore_aware(root: &Path) -> WalkBuilder {
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .ignore(true)
        .git_ignore(true)
        .git_global(true)
        .git_exclude(true)
        .parents(true)
        .require_git(false);
    builder
}

/// `path` without `.` components and with `..` applied to the component before it (lexically,
/// as git and the ignore files see paths).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// The largest read buffer a thread keeps between files (see [`read_candidate`]).
const KEPT_BUFFER_CAPACITY: usize = 1 << 20;

thread_local! {
    /// The buffer this thread reads files into (see [`read_candidate`]).
    static READ_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A file that passed the prefilter and reads as text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as walked (relative when the user gave a relative path).
    pub path: PathBuf,
    /// Its language.
    pub language: Language,
    /// Its whole text, decoded, byte-order mark included (as U+FEFF).
    pub text: String,
    /// The encoding of its bytes, in which a rewrite is written back.
    pub encoding: TextEncoding,
}

/// What the walker tells its visitor about one path.
#[derive(Debug)]
pub enum Visit {
    /// A candidate file to plan.
    File(SourceFile),
    /// A file skipped on purpose; the message says why (shown as a warning).
    Skipped {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A path that could not be read (missing, permission denied): an error.
    Error {
        /// The path, if known.
        path: Option<PathBuf>,
        /// What went wrong.
        message: String,
    },
    /// A file whose bytes are no text encoding this tool reads ([`crate::encoding`]).
    Undecodable {
        /// The file.
        path: PathBuf,
        /// Why, and where the bytes go wrong.
        reason: String,
        /// True when it was named on the command line.
        named: bool,
    },
    /// A path named on the command line that an `exclude` glob covers: not read.
    Excluded {
        /// The path as named.
        path: PathBuf,
        /// The glob, and the file that lists it.
        by: ExcludeSource,
    },
}

/// Walk `paths` in parallel and call `visit` for every candidate file, skipped file and
/// error, from several threads at once and in no particular order.
pub fn walk(
    paths: &[PathBuf],
    options: &WalkOptions,
    grammar: &Grammar,
    visit: &(dyn Fn(Visit) + Sync),
) {
    // Named paths get the `exclude` globs that the walker applies to what it finds (not the
    // ignore files: see the module documentation); a path that does not exist goes on to
    // the walker, which reports it.
    let mut roots: Vec<PathBuf> = Vec::with_capacity(paths.len());
    for path in paths {
        match options.exclude.excluded_by(path) {
            Some(by) => visit(Visit::Excluded {
                path: path.clone(),
                by: by.clone(),
            }),
            None => roots.push(path.clone()),
        }
    }
    let Some((first, rest)) = roots.split_first() else {
        return;
    };
    let mut builder = WalkBuilder::new(first);
    for p in rest {
        builder.add(p);
    }
    // Hidden files are skipped as in ripgrep, with two exceptions that are where model IDs
    // live: dotenv files (`.env`, `.env.production`) and `.github` (workflows).
    let hidden = options.hidden;
    let exclude = options.exclude.clone();
    if !hidden || !exclude.is_empty() {
        builder.filter_entry(move |entry| {
            entry.depth() == 0
                || ((hidden || !is_hidden_skipped(entry))
                    && (exclude.is_empty() || !exclude.is_entry_excluded(entry.path())))
        });
    }
    builder
        .hidden(false)
        .ignore(!options.no_ignore)
        .git_ignore(!options.no_ignore)
        .git_global(!options.no_ignore)
        .git_exclude(!options.no_ignore)
        .parents(!options.no_ignore)
        .require_git(false)
        .follow_links(false)
        .threads(options.threads);
    builder.build_parallel().run(|| {
        Box::new(move |entry| {
            match entry {
                Ok(entry) => {
                    let explicit = entry.depth() == 0;
                    let is_file = if explicit {
                        entry.path().is_file() || entry.path_is_symlink()
                    } else {
                        entry.file_type().is_some_and(|t| t.is_file())
                    };
                    // A FIFO, socket or device named on the command line is not a file
                    // that can be checked: an error, never a silent pass (walked ones
                    // are passed over, as ripgrep does).
                    if explicit && !is_file && !entry.path().is_dir() {
                        visit(Visit::Error {
                            path: Some(entry.path().to_path_buf()),
                            message: "not a regular file (a FIFO, socket or device); not read"
                                .to_string(),
                        });
                        return WalkState::Continue;
                    }
                    if is_file && let Some(counters) = &options.progress {
                        counters.walked();
                    }
                    if is_file
                        && let Some(v) = read_candidate(entry.path(), explicit, options, grammar)
                    {
                        visit(v);
                    }
                }
                Err(err) => visit(Visit::Error {
                    path: error_path(&err),
                    message: err.to_string(),
                }),
            }
            WalkState::Continue
        })
    });
}

/// True for a hidden file or directory that the default walk skips.
fn is_hidden_skipped(entry: &ignore::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    if !name.starts_with('.') {
        return false;
    }
    let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
    let dotenv = !is_dir && (name == ".env" || name.starts_with(".env."));
    let github = is_dir && name == ".github";
    !(dotenv || github)
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

/// The language of a file whose name does not tell, from its text:
/// - a CloudFormation or SAM template, whatever its extension (`template`, `*.template`,
///   `*.cfn`): it has `AWSTemplateFormatVersion`, or `Resources` with an `AWS::` type; JSON
///   when it starts with `{`, YAML otherwise;
/// - a Jest or Vitest snapshot (`__snapshots__/*.snap`), which is JavaScript: its first line
///   is `// Jest Snapshot v1, …` or `// Vitest Snapshot v1, …` (other tools' `.snap` files,
///   such as insta's, are not).
pub fn sniff(path: &Path, text: &str) -> Option<Language> {
    let text = text.trim_start_matches('\u{feff}');
    if path.extension().is_some_and(|e| e == "snap") {
        return (text.starts_with("// Jest Snapshot") || text.starts_with("// Vitest Snapshot"))
            .then_some(Language::JavaScript);
    }
    let template = text.contains("AWSTemplateFormatVersion")
        || (text.contains("Resources") && text.contains("AWS::"));
    if !template {
        return None;
    }
    Some(if text.trim_start().starts_with('{') {
        Language::Json
    } else {
        Language::Yaml
    })
}

/// Whether a file's name says it is binary (an image, an archive, a font, a compiled
/// object…): such files of no known type are not even read when walking.
fn is_binary_name(path: &Path) -> bool {
    const BINARY: &[&str] = &[
        "png",
        "jpg",
        "jpeg",
        "gif",
        "bmp",
        "ico",
        "icns",
        "webp",
        "svgz",
        "tif",
        "tiff",
        "psd",
        "pdf",
        "zip",
        "gz",
        "tgz",
        "bz2",
        "xz",
        "zst",
        "7z",
        "rar",
        "tar",
        "jar",
        "war",
        "whl",
        "egg",
        "so",
        "dylib",
        "dll",
        "exe",
        "o",
        "a",
        "lib",
        "class",
        "pyc",
        "pyo",
        "wasm",
        "woff",
        "woff2",
        "ttf",
        "otf",
        "eot",
        "mp3",
        "mp4",
        "m4a",
        "wav",
        "ogg",
        "flac",
        "mov",
        "avi",
        "mkv",
        "webm",
        "parquet",
        "avro",
        "orc",
        "pkl",
        "pickle",
        "npy",
        "npz",
        "h5",
        "hdf5",
        "onnx",
        "pt",
        "pth",
        "bin",
        "safetensors",
        "db",
        "sqlite",
        "sqlite3",
        "xlsx",
        "xls",
        "docx",
        "doc",
        "pptx",
        "ppt",
        "key",
        "numbers",
        "pages",
        "dmg",
        "iso",
        "img",
    ];
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| BINARY.iter().any(|b| e.eq_ignore_ascii_case(b)))
}

/// Read one file and decide what it is. `explicit` files (named on the command line) get a
/// warning when they are skipped; walked files of other types are passed over silently.
pub fn read_candidate(
    path: &Path,
    explicit: bool,
    options: &WalkOptions,
    grammar: &Grammar,
) -> Option<Visit> {
    let skipped = |reason: &str| {
        Some(Visit::Skipped {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        })
    };
    // A temporary file or journal of this tool (left by an interrupted run) is never a
    // project file, even when hidden files are walked or it is named.
    if path.file_name().is_some_and(crate::apply::is_temp_name) {
        return if explicit {
            skipped("a temporary file of bedrock-migrate (left by an interrupted run)")
        } else {
            None
        };
    }
    // A file named on the command line is always read: as text when its type is unknown.
    // A walked file whose name says nothing may still be a CloudFormation template or a
    // Jest snapshot, told by its contents once read (see `sniff`); files whose name says
    // they are binary are not read at all.
    let by_name = Language::from_path(path);
    if by_name.is_none() && !explicit && is_binary_name(path) {
        return None;
    }
    let error = |e: std::io::Error| {
        Some(Visit::Error {
            path: Some(path.to_path_buf()),
            message: e.to_string(),
        })
    };
    // One open and nothing else by path: asking for the metadata by path as well would
    // resolve the path twice, and path lookups are a large part of walking.
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(_) if path.is_symlink() && !path.exists() => return skipped("broken symlink"),
        Err(e) => return error(e),
    };
    let mut bytes = READ_BUFFER
        .try_with(|buffer| std::mem::take(&mut *buffer.borrow_mut()))
        .unwrap_or_default();
    bytes.clear();
    // No `fstat` for the size: reading at most one byte more than the limit tells as much,
    // costs one system call less per file, and stops on files that never end (a device or
    // a pipe named on the command line).
    let limit = options.max_filesize.saturating_add(1);
    if let Err(e) =
        std::io::Read::read_to_end(&mut std::io::Read::take(&mut file, limit), &mut bytes)
    {
        return error(e);
    }
    if bytes.len() as u64 > options.max_filesize {
        // A walked file whose name says nothing is read only to tell templates and
        // snapshots by their text: a large one (a log, a dump) is passed over as before.
        if by_name.is_none() && !explicit && !options.all_text {
            return None;
        }
        // Skipping a large file is fine only when nothing in it looks like a model ID (as
        // far as the bytes read tell) and nobody asked for it by name; otherwise it is a
        // file that could not be checked, an error.
        if explicit || grammar.may_contain_reference(&bytes) {
            return Some(Visit::Error {
                path: Some(path.to_path_buf()),
                message: format!(
                    "larger than {} bytes{}; not checked (raise the limit with --max-filesize)",
                    options.max_filesize,
                    if explicit {
                        ""
                    } else {
                        " and holds model-ID prefixes"
                    }
                ),
            });
        }
        return skipped(&format!(
            "larger than {} bytes (generated or vendored?)",
            options.max_filesize
        ));
    }
    drop(file);
    // Most files stop at the prefilter; their buffer goes back for the next file, so
    // that walking a tree does not allocate (and fault in) a buffer per file.
    // A buffer grown by an unusually large file is dropped rather than kept.
    let give_back = |bytes: Vec<u8>| {
        if bytes.capacity() <= KEPT_BUFFER_CAPACITY {
            let _ = READ_BUFFER.try_with(|buffer| *buffer.borrow_mut() = bytes);
        }
    };
    // UTF-16 is decoded before the prefilter, which looks for ASCII prefixes; every other
    // encoding this tool reads is ASCII-compatible, so most files stop at the prefilter
    // without being decoded.
    let utf16 = matches!(bytes.get(..2), Some([0xFF, 0xFE] | [0xFE, 0xFF]));
    if !utf16 && !grammar.may_contain_reference(&bytes) {
        give_back(bytes);
        return None;
    }
    match encoding::decode(bytes) {
        Ok((text, _)) if utf16 && !grammar.may_contain_reference(text.as_bytes()) => None,
        Ok((text, encoding)) => {
            let language = match by_name.or_else(|| sniff(path, &text)) {
                Some(language) => language,
                None if explicit || options.all_text => Language::PlainText,
                None => return None,
            };
            Some(Visit::File(SourceFile {
                path: path.to_path_buf(),
                language,
                text,
                encoding,
            }))
        }
        Err((bytes, Undecodable::Binary)) => {
            give_back(bytes);
            skipped("binary file (contains NUL bytes)")
        }
        Err((bytes, Undecodable::Invalid(reason))) => {
            give_back(bytes);
            Some(Visit::Undecodable {
                path: path.to_path_buf(),
                reason,
                named: explicit,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A walked file of unknown type is read only to tell templates and snapshots by their
    /// text: a binary name is not even opened, a large one is passed over silently (a log
    /// full of `amazon.com` is no error), and one that is no template is not reported,
    /// except with `--all-text`; a named one is still read as text.
    #[test]
    fn files_of_unknown_type_are_read_only_to_tell_what_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let grammar = Grammar::new(&["anthropic", "amazon"], &["us"]);
        let options = WalkOptions {
            max_filesize: 64,
            ..WalkOptions::default()
        };
        let log = dir.path().join("server.log");
        std::fs::write(&log, "GET https://amazon.com/\n".repeat(10)).unwrap();
        assert!(read_candidate(&log, false, &options, &grammar).is_none());
        assert!(matches!(
            read_candidate(&log, true, &options, &grammar),
            Some(Visit::Error { .. })
        ));
        let notes = dir.path().join("notes.txt");
        std::fs::write(&notes, "uses anthropic.claude-v2\n").unwrap();
        assert!(read_candidate(&notes, false, &options, &grammar).is_none());
        let all_text = WalkOptions {
            all_text: true,
            ..options.clone()
        };
        match read_candidate(&notes, false, &all_text, &grammar) {
            Some(Visit::File(file)) => assert_eq!(file.language, Language::PlainText),
            other => panic!("{other:?}"),
        }
        let template = dir.path().join("stack.template");
        std::fs::write(&template, "Resources:\n  A:\n    Type: AWS::X\n").unwrap();
        let no_prefix = read_candidate(&template, false, &options, &grammar);
        assert!(no_prefix.is_none(), "no provider prefix: {no_prefix:?}");
        std::fs::write(&template, "Resources: {M: anthropic.claude-v2}\n# AWS::X\n").unwrap();
        match read_candidate(&template, false, &options, &grammar) {
            Some(Visit::File(file)) => assert_eq!(file.language, Language::Yaml),
            other => panic!("{other:?}"),
        }
        let image = dir.path().join("logo.png");
        std::fs::write(&image, "anthropic.claude-v2").unwrap();
        assert!(read_candidate(&image, false, &all_text, &grammar).is_none());
    }

    #[test]
    fn templates_and_snapshots_are_told_by_their_text() {
        let p = Path::new;
        let yaml = "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n";
        assert_eq!(sniff(p("x.template"), yaml), Some(Language::Yaml));
        let sam = "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n";
        assert_eq!(sniff(p("template"), sam), Some(Language::Yaml));
        let json = "\u{feff}  {\"Resources\": {\"A\": {\"Type\": \"AWS::Bedrock::Agent\"}}}";
        assert_eq!(sniff(p("stack.cfn"), json), Some(Language::Json));
        assert_eq!(sniff(p("page.template"), "<p>{{model}}</p>"), None);
        let jest = "// Jest Snapshot v1, https://goo.gl/fbAQLP\n\nexports[`a 1`] = `x`;\n";
        assert_eq!(
            sniff(p("__snapshots__/a.test.ts.snap"), jest),
            Some(Language::JavaScript)
        );
        let vitest = "// Vitest Snapshot v1, https://vitest.dev/guide/snapshot.html\n";
        assert_eq!(sniff(p("a.snap"), vitest), Some(Language::JavaScript));
        // insta's snapshots (and a snapshot of a template) are not JavaScript.
        let insta = "---\nsource: src/main.rs\n---\nResources AWS::X\n";
        assert_eq!(sniff(p("a.snap"), insta), None);
        assert!(is_binary_name(p("logo.PNG")) && is_binary_name(p("m.safetensors")));
        assert!(!is_binary_name(p("Gateway.template")) && !is_binary_name(p("Makefile")));
    }

    fn exclusions(base: &str, globs: &[&str]) -> Exclusions {
        Exclusions::new(globs.iter().map(|g| (Path::new(base), *g))).unwrap()
    }

    #[test]
    fn globs_without_a_slash_match_names_at_any_depth() {
        let ex = exclusions("/repo", &["vendor", "*.gen.ts"]);
        assert!(ex.is_excluded(Path::new("/repo/vendor")));
        assert!(ex.is_excluded(Path::new("/repo/vendor/lib/a.py")));
        assert!(ex.is_excluded(Path::new("/repo/web/vendor/a.py")));
        assert!(ex.is_excluded(Path::new("/repo/web/api.gen.ts")));
        assert!(!ex.is_excluded(Path::new("/repo/vendors/a.py")));
        assert!(!ex.is_excluded(Path::new("/repo/web/api.ts")));
        // Outside the base nothing matches, even a name that would.
        assert!(!ex.is_excluded(Path::new("/elsewhere/vendor/a.py")));
    }

    #[test]
    fn globs_with_a_slash_match_relative_paths() {
        let ex = exclusions("/repo", &["src/legacy/*.py", "/build/", "./docs/**/*.md"]);
        assert!(ex.is_excluded(Path::new("/repo/src/legacy/a.py")));
        assert!(!ex.is_excluded(Path::new("/repo/src/legacy/deep/a.py")));
        assert!(!ex.is_excluded(Path::new("/repo/other/src/legacy/a.py")));
        assert!(ex.is_excluded(Path::new("/repo/build/out.json")));
        assert!(!ex.is_excluded(Path::new("/repo/web/build/out.json")));
        assert!(ex.is_excluded(Path::new("/repo/docs/a/b/c.md")));
        assert!(ex.is_excluded(Path::new("/repo/docs/c.md")));
        // Lexical normalisation: `..` and `.` do not hide a path.
        assert!(ex.is_excluded(Path::new("/repo/src/./x/../legacy/a.py")));
    }

    #[test]
    fn walked_entries_check_their_own_name_and_path() {
        let ex = exclusions("/repo", &["vendor", "src/gen"]);
        assert!(ex.is_entry_excluded(Path::new("/repo/a/vendor")));
        assert!(ex.is_entry_excluded(Path::new("/repo/src/gen")));
        assert!(!ex.is_entry_excluded(Path::new("/repo/src/generated")));
    }

    #[test]
    fn bad_globs_are_reported() {
        assert!(Exclusions::check_glob("a[").is_err());
        assert!(Exclusions::check_glob("**/*.py").is_ok());
    }

    /// Named files: ignored ones are dropped by the same rules as the walk, without walking
    /// the tree.
    #[test]
    fn files_over_the_size_limit_are_skipped_and_the_buffer_is_reused_safely() {
        let dir = tempfile::tempdir().unwrap();
        let grammar = Grammar::new(&["anthropic"], &["us"]);
        let text = "x = 'anthropic.claude-v2'\n";
        let options = WalkOptions {
            max_filesize: text.len() as u64,
            ..WalkOptions::default()
        };
        let at_limit = dir.path().join("a.py");
        std::fs::write(&at_limit, text).unwrap();
        let over = dir.path().join("b.py");
        std::fs::write(&over, format!("{} ", "#".repeat(text.len()))).unwrap();
        let over_with_id = dir.path().join("e.py");
        std::fs::write(&over_with_id, format!("{text} ")).unwrap();
        let short = dir.path().join("c.py");
        std::fs::write(&short, "y = 'anthropic.x'\n").unwrap();
        for _ in 0..2 {
            match read_candidate(&at_limit, false, &options, &grammar) {
                Some(Visit::File(file)) => assert_eq!(file.text, text),
                other => panic!("{other:?}"),
            }
            match read_candidate(&over, false, &options, &grammar) {
                Some(Visit::Skipped { reason, .. }) => {
                    assert_eq!(
                        reason,
                        format!("larger than {} bytes (generated or vendored?)", text.len())
                    )
                }
                other => panic!("{other:?}"),
            }
            // Over the limit with a provider prefix: not checked, an error.
            match read_candidate(&over_with_id, false, &options, &grammar) {
                Some(Visit::Error { message, .. }) => {
                    assert!(message.contains("holds model-ID prefixes"), "{message}")
                }
                other => panic!("{other:?}"),
            }
            // A file without a reference leaves its bytes in the reused buffer; a shorter
            // file read next gets only its own.
            let plain = dir.path().join("d.py");
            std::fs::write(&plain, "z = 'zzzzzzzzzzzzzzzzz'\n").unwrap();
            assert!(read_candidate(&plain, false, &options, &grammar).is_none());
            match read_candidate(&short, false, &options, &grammar) {
                Some(Visit::File(file)) => assert_eq!(file.text, "y = 'anthropic.x'\n"),
                other => panic!("{other:?}"),
            }
        }
    }

    /// What walking `named` (relative to `root`) visits, as sorted `kind path detail` lines.
    fn visits(root: &Path, named: &[&str], options: &WalkOptions) -> Vec<String> {
        let grammar = Grammar::new(&["anthropic"], &["us"]);
        let seen = std::sync::Mutex::new(Vec::new());
        let paths: Vec<PathBuf> = named.iter().map(|f| root.join(f)).collect();
        let rel = |p: &Path| p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        walk(&paths, options, &grammar, &|visit| {
            let line = match visit {
                Visit::File(f) => format!("file {} {}", rel(&f.path), f.encoding.name()),
                Visit::Skipped { path, reason } => format!("skipped {} {reason}", rel(&path)),
                Visit::Error { path, .. } => format!("error {}", rel(&path.unwrap())),
                Visit::Undecodable { path, named, .. } => {
                    format!("undecodable {} named={named}", rel(&path))
                }
                Visit::Excluded { path, by } => format!("excluded {} {}", rel(&path), by.pattern),
            };
            seen.lock().unwrap().push(line);
        });
        let mut seen = seen.into_inner().unwrap();
        seen.sort();
        seen
    }

    /// Named files are read whatever the ignore files say (as ripgrep does); the walk
    /// below a named directory honours them; `exclude` globs skip named files too.
    #[test]
    fn named_files_ignore_the_ignore_files_but_not_the_excludes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("gen")).unwrap();
        std::fs::create_dir_all(root.join("vendor")).unwrap();
        std::fs::write(root.join(".gitignore"), "gen/\n*.log\n").unwrap();
        let text = "x = 'anthropic.claude-v2'\n";
        for f in ["a.py", "gen/b.py", "x.log", "vendor/c.py"] {
            std::fs::write(root.join(f), text).unwrap();
        }
        let options = WalkOptions {
            exclude: Exclusions::new([(root, "vendor")]).unwrap(),
            ..WalkOptions::default()
        };
        assert_eq!(
            visits(
                root,
                &["a.py", "gen/b.py", "x.log", "vendor/c.py"],
                &options
            ),
            [
                "excluded vendor/c.py vendor",
                "file a.py UTF-8",
                "file gen/b.py UTF-8",
                "file x.log UTF-8",
            ]
        );
        assert_eq!(visits(root, &["."], &options), ["file a.py UTF-8"]);
    }

    #[test]
    fn files_are_decoded_and_undecodable_ones_reported() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let id = "m = 'anthropic.claude-v2'\n";
        let mut utf16: Vec<u8> = vec![0xFF, 0xFE];
        utf16.extend(id.encode_utf16().flat_map(u16::to_le_bytes));
        std::fs::write(root.join("u16.py"), &utf16).unwrap();
        let mut latin = b"# caf\xE9\n".to_vec();
        latin.extend(id.as_bytes());
        std::fs::write(root.join("latin.py"), &latin).unwrap();
        let mut bad = b"# \x81\n".to_vec();
        bad.extend(id.as_bytes());
        std::fs::write(root.join("bad.py"), &bad).unwrap();
        // UTF-16 without the ID is dropped by the prefilter after decoding.
        let mut empty16: Vec<u8> = vec![0xFE, 0xFF];
        empty16.extend("x = 1\n".encode_utf16().flat_map(u16::to_be_bytes));
        std::fs::write(root.join("plain16.py"), &empty16).unwrap();
        let options = WalkOptions::default();
        assert_eq!(
            visits(root, &["."], &options),
            [
                "file latin.py windows-1252",
                "file u16.py UTF-16LE",
                "undecodable bad.py named=false",
            ]
        );
        assert_eq!(
            visits(root, &["bad.py"], &options),
            ["undecodable bad.py named=true"]
        );
    }
}
