//! `diff`: unified diffs with `a/` and `b/` headers, which `git apply` and `patch -p1` take.

use similar::TextDiff;

/// The unified diff that turns `old` into `new` for `path` (empty when they are equal).
pub fn unified(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
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
}
