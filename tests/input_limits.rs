//! Inputs that cannot be checked are errors (exit 2), never silent passes: a FIFO or a
//! device named on the command line, a file over `--max-filesize` that is named or holds a
//! model-ID prefix. A file whose name is not UTF-8 is read like any other.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const EOL: &str = "m = \"anthropic.claude-v2\"\n";

fn check(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bedrock-migrate"))
        .args(["check", "--as-of", "2026-12-01", "--no-config", "-q"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_named_fifo_or_device_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.py");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let out = check(dir.path(), &["pipe.py"]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert_eq!(
            stderr(&out),
            "error: pipe.py: not a regular file (a FIFO, socket or device); not read\n"
        );
        // Walked, it is passed over as ripgrep does.
        fs::write(dir.path().join("a.py"), "x = 1\n").unwrap();
        let out = check(dir.path(), &["."]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    } else {
        eprintln!("skipped the FIFO case: mkfifo is not available");
    }
    let out = check(dir.path(), &["/dev/zero"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("/dev/zero: not a regular file"));
}

#[test]
fn a_file_over_the_size_limit_is_never_a_silent_pass() {
    let dir = tempfile::tempdir().unwrap();
    let big_with_id = format!("{EOL}{}", "# padding\n".repeat(20));
    let big_without = "# padding\n".repeat(20);
    fs::create_dir(dir.path().join("src")).unwrap();
    fs::write(dir.path().join("src/models.py"), &big_with_id).unwrap();
    fs::write(dir.path().join("src/other.py"), &big_without).unwrap();

    // Walked: the one holding a provider prefix is an error, the other a warning.
    let out = check(dir.path(), &["--max-filesize", "100", "src"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "error: src/models.py: larger than 100 bytes and holds model-ID prefixes; not checked (raise the limit with --max-filesize)\n"
    );
    // Named: an error whatever it holds.
    let out = check(dir.path(), &["--max-filesize", "100", "src/other.py"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // Raised: checked, and the EOL ID fails the check.
    let out = check(dir.path(), &["--max-filesize", "1000", "src"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_read() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"bad\xff.py");
    if fs::write(dir.path().join(name), EOL).is_err() {
        eprintln!("skipped: this filesystem refuses non-UTF-8 names");
        return;
    }
    let out = check(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("bad\u{fffd}.py:1:6: EOL anthropic.claude-v2"),
        "{stdout}"
    );
}
