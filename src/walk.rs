//! Walk: discover files, detect their language, and drop every file whose bytes hold no
//! candidate before anything is parsed.
//!
//! Discovery uses `ignore`'s parallel walker (the one ripgrep uses), so `.gitignore`,
//! `.ignore` and hidden-file rules apply as users expect. Each file is read once; one
//! Aho-Corasick pass over its bytes for the table's provider prefixes (`anthropic.`,
//! `amazon.`, …) decides whether it is parsed at all. On a typical repository almost every
//! file stops there, which is what keeps a scan within reach of ripgrep.

use std::path::{Path, PathBuf};

use ignore::{WalkBuilder, WalkState};

use crate::extract::Language;
use crate::model_ref::Grammar;

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
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            hidden: false,
            no_ignore: false,
            threads: 0,
            max_filesize: DEFAULT_MAX_FILESIZE,
        }
    }
}

/// A file that passed the prefilter and reads as UTF-8 text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as walked (relative when the user gave a relative path).
    pub path: PathBuf,
    /// Its language.
    pub language: Language,
    /// Its whole text, byte-order mark included.
    pub text: String,
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
}

/// Walk `paths` in parallel and call `visit` for every candidate file, skipped file and
/// error, from several threads at once and in no particular order.
pub fn walk(
    paths: &[PathBuf],
    options: &WalkOptions,
    grammar: &Grammar,
    visit: &(dyn Fn(Visit) + Sync),
) {
    let Some((first, rest)) = paths.split_first() else {
        return;
    };
    let mut builder = WalkBuilder::new(first);
    for p in rest {
        builder.add(p);
    }
    // Hidden files are skipped as in ripgrep, with two exceptions that are where model IDs
    // live: dotenv files (`.env`, `.env.production`) and `.github` (workflows).
    if !options.hidden {
        builder.filter_entry(|entry| entry.depth() == 0 || !is_hidden_skipped(entry));
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
    // A file named on the command line is always read: as text when its type is unknown.
    let language = match Language::from_path(path) {
        Some(language) => language,
        None if explicit => Language::PlainText,
        None => return None,
    };
    let metadata = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(_) if path.is_symlink() => return skipped("broken symlink"),
        Err(e) => {
            return Some(Visit::Error {
                path: Some(path.to_path_buf()),
                message: e.to_string(),
            });
        }
    };
    if metadata.len() > options.max_filesize {
        return skipped(&format!(
            "larger than {} bytes (generated or vendored?)",
            options.max_filesize
        ));
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return Some(Visit::Error {
                path: Some(path.to_path_buf()),
                message: e.to_string(),
            });
        }
    };
    if !grammar.may_contain_reference(&bytes) {
        return None;
    }
    if memchr::memchr(0, &bytes).is_some() {
        return skipped("binary file (contains NUL bytes)");
    }
    match String::from_utf8(bytes) {
        Ok(text) => Some(Visit::File(SourceFile {
            path: path.to_path_buf(),
            language,
            text,
        })),
        Err(e) => {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
            let line = memchr::memchr_iter(b'\n', &bytes[..at]).count() + 1;
            // The prefix is valid UTF-8 up to `at`, so the column counts characters.
            let column = String::from_utf8_lossy(&bytes[line_start..at])
                .chars()
                .count()
                + 1;
            skipped(&format!(
                "not valid UTF-8 (first invalid byte at line {line}, column {column}); convert it to UTF-8 to have it checked"
            ))
        }
    }
}
