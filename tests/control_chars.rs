//! Control characters in file names and rules notes never reach the terminal raw: an
//! OSC sequence in a file name could set the window title, an ANSI sequence in a note
//! could hide lines. Text, concise and GitHub output escape them; JSON escapes by itself.

use std::fs;
use std::process::Command;

const OVERLAY: &str = "schema_version = 1\n\
[[model]]\n\
id = \"anthropic.claude-v2\"\n\
notes = [\"hidden\\u001b[8m text\"]\n";

#[test]
fn control_characters_in_names_and_notes_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\u{1b}]0;pwned\u{7}.py";
    fs::write(dir.path().join(name), "m = \"anthropic.claude-v2\"\n").unwrap();
    fs::write(dir.path().join("overlay.toml"), OVERLAY).unwrap();
    for format in ["text", "concise", "github", "json"] {
        let out = Command::new(env!("CARGO_BIN_EXE_bedrock-migrate"))
            .args([
                "scan",
                "--as-of",
                "2026-12-01",
                "--no-config",
                "--color",
                "never",
            ])
            .args(["--rules", "overlay.toml", "--format", format, "."])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}: {stderr}");
        assert!(
            !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
            "{format}: {stdout:?}"
        );
        let escaped = if format == "json" {
            r"evil\u001b]0;pwned\u0007.py"
        } else {
            r"evil\u{1b}]0;pwned\u{7}.py"
        };
        assert!(stdout.contains(escaped), "{format}: {stdout}");
        if format == "text" {
            assert!(stdout.contains(r"hidden\u{1b}[8m text"), "{stdout}");
        }
    }
}
