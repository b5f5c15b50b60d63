//! Apply: splice edits into a file's text, verify the result, and write it atomically.
//!
//! Only the bytes of each reference change; everything else — line endings, byte-order mark,
//! indentation, quotes, the trailing newline — is copied through untouched, because the new
//! text is built by splicing the original, never by re-serialising a syntax tree.
//!
//! How a file is written — atomically, or in place with a journal for hard-linked files;
//! compared again right before it is replaced; with its owner, mode bits and extended
//! attributes kept; never through a symlink that leaves the repository — and what an edit
//! saved at the same moment can still meet, is told at [`write_file`] and in the module
//! `write` (`src/apply/write.rs`).

use std::path::{Path, PathBuf};

use crate::extract::{self, Language, SyntaxError};
use crate::text::bom_len;
pub use crate::text::splice;

mod write;

pub use write::{TEMP_PREFIX, WriteOptions, is_temp_name, recover_directory, write_file};

/// Why a rewritten file was not written.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The file parsed before the rewrite and not after: the rewrite would break it.
    #[error(
        "{path}: not written: the rewrite would break the file ({error}); please report this as a bug"
    )]
    WouldBreak {
        /// The file.
        path: PathBuf,
        /// The parser's complaint about the rewritten text.
        error: SyntaxError,
    },
    /// The file already had a syntax error, and after the rewrite the parser reports
    /// another one: error recovery reads the broken file differently, so the rewrite
    /// cannot be verified. Not a bug: fix the syntax error, or change the ID by hand.
    #[error(
        "{path}: not written: the file does not parse ({before}), and after the rewrite the parser stops elsewhere ({after}), so the rewrite cannot be verified; fix the syntax error first or change the ID by hand"
    )]
    ErrorMoved {
        /// The file.
        path: PathBuf,
        /// The syntax error the file had.
        before: SyntaxError,
        /// The syntax error of the rewritten text.
        after: SyntaxError,
    },
    /// An edit that must never be applied (see [`crate::finding::Edit::problem`]); the
    /// planner drops such fixes, so this is the last line of defence.
    #[error(
        "{path}: not written: the edit at byte {offset} is unsound ({problem}); please report this as a bug"
    )]
    Unsound {
        /// The file.
        path: PathBuf,
        /// Where the edit starts.
        offset: usize,
        /// What is wrong with it.
        problem: crate::finding::EditProblem,
    },
    /// The file changed on disk between reading and writing.
    #[error("{path}: not written: the file changed on disk while it was being fixed; run again")]
    Changed {
        /// The file.
        path: PathBuf,
    },
    /// The rewritten text holds a character that the file's encoding cannot represent
    /// (see [`crate::encoding`]); the file is left as it was.
    #[error("{path}: not written: {error} (the file's encoding)")]
    Unencodable {
        /// The file.
        path: PathBuf,
        /// The character and the encoding.
        error: crate::encoding::Unencodable,
    },
    /// The file is read-only.
    #[error("{path}: not written: the file is read-only")]
    ReadOnly {
        /// The file.
        path: PathBuf,
    },
    /// The path leads, through a symlink, to a file outside the repository being processed
    /// (a staged symlink must not make a hook write elsewhere).
    #[error("{path}: not written: it is a symlink to {target}, outside the repository {root}")]
    LeavesRepository {
        /// The path as given.
        path: PathBuf,
        /// Where it leads.
        target: PathBuf,
        /// The repository (git root, or the directory named on the command line).
        root: PathBuf,
    },
    /// No temporary file (or journal) can be created beside the file, and writing it in
    /// place without one could lose it on a crash.
    #[error(
        "{path}: not written: no temporary file can be created in {dir} ({source}), and writing in place without one could lose the file on a crash"
    )]
    NoTempFile {
        /// The file.
        path: PathBuf,
        /// Its directory.
        dir: PathBuf,
        /// Why the temporary file could not be created.
        #[source]
        source: std::io::Error,
    },
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// Re-parse `after` with the parser that read `before`: an error when the rewrite broke a
/// file that parsed, or made a file that already had a syntax error fail differently (another
/// line or message). Edits only ever replace model-ID characters inside literals, so a rewrite
/// that passes this check left the file's syntax exactly as it was.
pub fn verify(language: Language, before: &str, after: &str) -> Result<(), SyntaxError> {
    verify_against(language, syntax_error(language, before).as_ref(), after)
}

/// [`verify`] for a caller that already knows how `before` parsed: `before_error` is its
/// first syntax error (the planner's [`crate::plan::FilePlan::syntax_error`]), so only
/// `after` is parsed.
pub fn verify_against(
    language: Language,
    before_error: Option<&SyntaxError>,
    after: &str,
) -> Result<(), SyntaxError> {
    match (before_error, syntax_error(language, after)) {
        (_, None) => Ok(()),
        (Some(b), Some(a)) if a.line == b.line && a.message == b.message => Ok(()),
        (_, Some(a)) => Err(a),
    }
}

/// The first syntax error of `text` (byte-order mark allowed) read as `language`. No
/// literal is asked for, so the extractors that can skip their walk do.
fn syntax_error(language: Language, text: &str) -> Option<SyntaxError> {
    extract::extract_focused(
        language,
        &text[bom_len(text)..],
        extract::Focus::Around(&[]),
    )
    .syntax_error
}

/// Replace the contents of `path` with `new_text`, which was planned on `original` (see
/// [`write_file`]).
pub fn write_atomic(path: &Path, original: &str, new_text: &str) -> Result<(), ApplyError> {
    write_atomic_bytes(path, original.as_bytes(), new_text.as_bytes())
}

/// [`write_atomic`] for text already encoded (a file in UTF-16 or windows-1252 is written
/// back in its own encoding).
pub fn write_atomic_bytes(path: &Path, original: &[u8], new_text: &[u8]) -> Result<(), ApplyError> {
    write_file(path, original, new_text, &WriteOptions::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A rewrite refused in a file that was already broken is not called a bug.
    #[test]
    fn a_moved_syntax_error_is_not_called_a_bug() {
        let error = |line| SyntaxError {
            line,
            column: 1,
            message: "syntax error".into(),
        };
        let moved = ApplyError::ErrorMoved {
            path: "a.py".into(),
            before: error(1),
            after: error(2),
        }
        .to_string();
        assert!(moved.starts_with("a.py: not written: the file does not parse (1:1: syntax error), and after the rewrite the parser stops elsewhere (2:1: syntax error)"), "{moved}");
        assert!(!moved.contains("bug"), "{moved}");
    }

    #[test]
    fn verify_refuses_a_broken_rewrite() {
        assert!(verify(Language::Rust, "fn main() {}", "fn main() {}").is_ok());
        assert!(verify(Language::Rust, "fn main() {}", "fn main() {").is_err());
        // A file that was broken before cannot be blamed on the rewrite, as long as it
        // breaks in the same place.
        assert!(verify(Language::Rust, "fn main() {", "fn main() {").is_ok());
        let before = "x = 'a'\ndef f(:\n";
        assert!(verify(Language::Python, before, "x = 'b'\ndef f(:\n").is_ok());
        assert!(verify(Language::Python, before, "x = ('b'\ndef f(:\n").is_err());
    }

    #[test]
    fn atomic_write_keeps_permissions_and_detects_changes() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        fs::write(&path, "old\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o751)).unwrap();
        write_atomic(&path, "old\n", "new\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new\n");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o751
        );
        let err = write_atomic(&path, "old\n", "newer\n").unwrap_err();
        assert!(matches!(err, ApplyError::Changed { .. }));
        assert_eq!(fs::read_to_string(&path).unwrap(), "new\n");
        // No temporary file is left behind.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn read_only_files_are_not_written() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        let err = write_atomic(&path, "old", "new").unwrap_err();
        assert!(matches!(err, ApplyError::ReadOnly { .. }), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
    }

    #[test]
    fn hard_links_keep_sharing_the_text() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.py");
        let b = dir.path().join("b.py");
        fs::write(&a, "old").unwrap();
        fs::hard_link(&a, &b).unwrap();
        write_atomic(&a, "old", "new").unwrap();
        assert_eq!(fs::read_to_string(&b).unwrap(), "new");
    }

    #[test]
    fn atomic_write_through_a_symlink_updates_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.py");
        let link = dir.path().join("link.py");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, "old", "new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
    }

    /// The atomic rewrite keeps setuid, setgid and sticky bits and every extended attribute
    /// (ACLs are extended attributes), and removes none that the original did not have.
    #[test]
    fn permissions_setuid_bits_and_xattrs_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tool.sh");
        fs::write(&path, "old\n").unwrap();
        let xattrs = match xattr::set(&path, "user.origin", b"kept") {
            Ok(()) => true,
            Err(e) => {
                eprintln!("extended attributes not checked: the file system refuses them ({e})");
                false
            }
        };
        fs::set_permissions(&path, fs::Permissions::from_mode(0o6755)).unwrap();
        write_atomic(&path, "old\n", "new\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new\n");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o7777,
            0o6755
        );
        if xattrs {
            assert_eq!(
                xattr::get(&path, "user.origin").unwrap().as_deref(),
                Some(&b"kept"[..])
            );
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// A symlink is followed within the repository (it stays a link) and refused when it
    /// leads outside.
    #[test]
    fn symlink_leaving_the_repository_is_not_written() {
        let top = tempfile::tempdir().unwrap();
        let repo = top.path().join("repo");
        fs::create_dir_all(&repo).unwrap();
        let outside = top.path().join("outside.py");
        fs::write(&outside, "old").unwrap();
        let link = repo.join("link.py");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        let options = WriteOptions { root: Some(&repo) };
        let err = write_file(&link, b"old", b"new", &options).unwrap_err();
        assert!(matches!(err, ApplyError::LeavesRepository { .. }), "{err}");
        assert!(
            err.to_string().contains("not written: it is a symlink to"),
            "{err}"
        );
        assert_eq!(fs::read_to_string(&outside).unwrap(), "old");
        let inside = repo.join("real.py");
        fs::write(&inside, "old").unwrap();
        let link = repo.join("inner.py");
        std::os::unix::fs::symlink("real.py", &link).unwrap();
        write_file(&link, b"old", b"new", &options).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&inside).unwrap(), "new");
    }
}
