//! A bug met in one file (a panic in an extractor, an analyser or the rewrite) is an error
//! for that file, not a dead process: every other file is still fixed, the file is left as
//! it was, no temporary file remains, and the run exits 2.
//!
//! The fault is injected with `BEDROCK_MIGRATE_PANIC_ON`, which debug builds honour.

use std::fs;
use std::process::Command;

const BROKEN: &str = "m = \"us.anthropic.claude-3-5-sonnet-20240620-v1:0\"\n";
const FINE: &str = "n = \"us.anthropic.claude-3-5-sonnet-20240620-v1:0\"\n";

#[test]
fn a_panic_in_one_file_skips_that_file_only() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("broken.py"), BROKEN).unwrap();
    fs::write(dir.path().join("fine.py"), FINE).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_bedrock-migrate"))
        .args(["fix", "--as-of", "2026-12-01", "--no-config", "."])
        .current_dir(dir.path())
        .env("BEDROCK_MIGRATE_PANIC_ON", "broken.py")
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "error: broken.py: internal error, file skipped: injected fault; please report this as a bug"
        ),
        "{stderr}"
    );
    // The panic itself is one line, not a backtrace.
    assert!(
        stderr.contains("bedrock-migrate: internal error: panicked at"),
        "{stderr}"
    );
    assert!(!stderr.contains("stack backtrace"), "{stderr}");
    assert_eq!(
        fs::read_to_string(dir.path().join("broken.py")).unwrap(),
        BROKEN
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("fine.py")).unwrap(),
        "n = \"us.anthropic.claude-sonnet-4-6\"\n"
    );
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["broken.py", "fine.py"]);
}
