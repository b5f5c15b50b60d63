//! The progress line: never on a standard error that is not a terminal (every other test
//! captures standard error exactly, which shows it too), and on a terminal drawn with `\r`
//! and erased before the report. The terminal is a pseudo-terminal made by `script`
//! (util-linux); without it that test says so and passes.

use std::path::Path;
use std::process::Command;

fn demo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/demo/input"))
}

#[test]
fn no_progress_line_when_stderr_is_not_a_terminal() {
    let out = Command::new(env!("CARGO_BIN_EXE_bedrock-migrate"))
        .args(["scan", "--as-of", "2026-11-21", "."])
        .current_dir(demo())
        .env("BEDROCK_MIGRATE_PROGRESS_DELAY_MS", "0")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains('\r'), "{stderr:?}");
    assert!(!stderr.contains("files walked"), "{stderr:?}");
}

/// Run `args` in the demo tree on a pseudo-terminal; `None` when `script` is missing.
fn on_a_terminal(args: &str) -> Option<String> {
    let command = format!(
        "{} {args}",
        env!("CARGO_BIN_EXE_bedrock-migrate").replace('\'', "'\\''")
    );
    let out = match Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .current_dir(demo())
        .env("BEDROCK_MIGRATE_PROGRESS_DELAY_MS", "0")
        .env("NO_COLOR", "1")
        .output()
    {
        Ok(out) => out,
        Err(_) => {
            eprintln!("skipped: `script` (util-linux) is not installed");
            return None;
        }
    };
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn on_a_terminal_the_line_is_drawn_then_erased_before_the_report() {
    // Standard output goes to /dev/null: what is left is standard error, on the terminal.
    let Some(text) = on_a_terminal("scan --as-of 2026-11-21 . > /dev/null") else {
        return;
    };
    assert!(text.starts_with("\rbedrock-migrate: "), "{text:?}");
    assert!(text.contains(" files walked, "), "{text:?}");
    // The last progress write blanks the line and returns to its start; nothing else was
    // written to standard error (the demo has no warnings).
    let last = text.rsplit('\r').nth(1).unwrap();
    assert!(
        !last.is_empty() && last.chars().all(|c| c == ' '),
        "{text:?}"
    );
    assert!(text.ends_with('\r'), "{text:?}");

    // With the report on the terminal too, the report starts on a clean line.
    let text = on_a_terminal("scan --as-of 2026-11-21 .").unwrap();
    let first_line = text.find('\n').expect("the report");
    // (the terminal ends lines with \r\n)
    let report = text[..first_line - 1].rfind('\r').unwrap() + 1;
    let before = &text[..report];
    assert!(before.ends_with(" \r"), "{before:?}");
    assert!(text[report..].starts_with(".github/workflows/"), "{text:?}");
    assert!(!text[report..].contains("files walked"), "{text:?}");

    // -q: no progress.
    let text = on_a_terminal("scan -q --as-of 2026-11-21 . > /dev/null").unwrap();
    assert_eq!(text, "");
}
