//! `diff`: unified diffs with `a/` and `b/` headers, which `git apply` and `patch -p1` take.
//!
//! Lines are split at `\n` only, as `git apply` and `patch` read them: a `\r` before it
//! stays part of the line (CRLF files), and a file with CR-only line ends is one long line,
//! its `\r`s carried inside it, so that the patch gives back every byte. A file name that
//! holds a control character, a `"` or a `\` is quoted as git quotes it (`"a/we\tird.py"`,
//! C-style escapes), and a name with a space gets a tab after it, as in git's own diffs, so
//! that `patch` knows where the name ends.

use std::fmt::Write as _;

use similar::udiff::UnifiedHunkHeader;
use similar::{Algorithm, TextDiff};

/// The unified diff that turns `old` into `new` for `path` (empty when they are equal).
pub fn unified(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let old_lines = lines(old);
    let new_lines = lines(new);
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_slices(&old_lines, &new_lines);
    let mut out = String::with_capacity(256);
    let _ = writeln!(out, "--- {}", header_name("a/", path));
    let _ = writeln!(out, "+++ {}", header_name("b/", path));
    for group in diff.grouped_ops(3) {
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{}", UnifiedHunkHeader::new(&group));
        for op in &group {
            for change in diff.iter_changes(op) {
                let line = change.value();
                let _ = write!(out, "{}{line}", change.tag());
                if !line.ends_with('\n') {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

/// `text` split after each `\n` (the last line may lack one).
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// `prefix` and `path` as a diff header names them: quoted as git quotes (control
/// characters, `"`, `\` and DEL escaped C-style; other bytes, UTF-8 included, as they are,
/// which `git apply` reads either way), and followed by a tab when the name holds a space.
pub fn header_name(prefix: &str, path: &str) -> String {
    let name = format!("{prefix}{path}");
    let needs_quotes = name
        .bytes()
        .any(|b| b < 0x20 || b == b'"' || b == b'\\' || b == 0x7f);
    let mut out = if needs_quotes {
        let mut q = String::with_capacity(name.len() + 8);
        q.push('"');
        for c in name.chars() {
            match c {
                '"' => q.push_str("\\\""),
                '\\' => q.push_str("\\\\"),
                '\u{7}' => q.push_str("\\a"),
                '\u{8}' => q.push_str("\\b"),
                '\t' => q.push_str("\\t"),
                '\n' => q.push_str("\\n"),
                '\u{b}' => q.push_str("\\v"),
                '\u{c}' => q.push_str("\\f"),
                '\r' => q.push_str("\\r"),
                c if (c as u32) < 0x20 || c == '\u{7f}' => {
                    let _ = write!(q, "\\{:03o}", c as u32);
                }
                c => q.push(c),
            }
        }
        q.push('"');
        q
    } else {
        name
    };
    if path.contains(' ') {
        out.push('\t');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_hunks() {
        let d = unified("src/a.py", "x = 1\ny = 'a'\n", "x = 1\ny = 'b'\n");
        assert_eq!(
            d,
            "--- a/src/a.py\n+++ b/src/a.py\n@@ -1,2 +1,2 @@\n x = 1\n-y = 'a'\n+y = 'b'\n"
        );
        assert_eq!(unified("a", "same", "same"), "");
    }

    #[test]
    fn missing_final_newline_is_marked() {
        let d = unified("a.py", "y = 'a'", "y = 'b'");
        assert!(d.contains("\\ No newline at end of file"), "{d}");
    }

    /// A CR-only file is one line to `git apply` and `patch`; its `\r`s stay inside it.
    #[test]
    fn cr_only_line_ends_are_one_line() {
        let d = unified("a.py", "x = 1\ry = 'a'\r", "x = 1\ry = 'b'\r");
        assert_eq!(
            d,
            "--- a/a.py\n+++ b/a.py\n@@ -1 +1 @@\n-x = 1\ry = 'a'\r\n\\ No newline at end of file\n\
             +x = 1\ry = 'b'\r\n\\ No newline at end of file\n"
        );
        let d = unified("a.py", "x\r\ny = 'a'\r\n", "x\r\ny = 'b'\r\n");
        assert!(d.ends_with(" x\r\n-y = 'a'\r\n+y = 'b'\r\n"), "{d:?}");
    }

    #[test]
    fn names_are_quoted_as_git_quotes_them() {
        assert_eq!(header_name("a/", "src/app.py"), "a/src/app.py");
        assert_eq!(header_name("a/", "we\tird.py"), "\"a/we\\tird.py\"");
        assert_eq!(
            header_name("a/", "back\\slash.py"),
            "\"a/back\\\\slash.py\""
        );
        assert_eq!(header_name("b/", "q\"uote\n.py"), "\"b/q\\\"uote\\n.py\"");
        assert_eq!(header_name("a/", "esc\u{1b}.py"), "\"a/esc\\033.py\"");
        assert_eq!(header_name("a/", "my app.py"), "a/my app.py\t");
        assert_eq!(header_name("a/", "é.py"), "a/é.py");
    }
}
