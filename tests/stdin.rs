//! `-` reads standard input, as ruff and black do: `check -` reports, `fix -` writes the
//! fixed text to standard output (its report to standard error), `--stdin-filename` names
//! the language and the path in reports. A path that does not exist is an error, never
//! "nothing found".

use assert_cmd::Command;

const SOURCE: &str = "import boto3\n\
c = boto3.client(\"bedrock-runtime\", region_name=\"us-east-1\")\n\
c.converse(modelId=\"anthropic.claude-3-5-sonnet-20240620-v1:0\", messages=[])\n";

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut cmd = Command::cargo_bin("bedrock-migrate").unwrap();
    let out = cmd
        .env("NO_COLOR", "1")
        .args(args)
        .args(["--as-of", "2026-12-01", "--no-config"])
        .write_stdin(stdin)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn check_reads_standard_input() {
    let (code, stdout, _) = run(&["check", "-"], "m = \"anthropic.claude-v2\"\n");
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("-:1:6: EOL anthropic.claude-v2"),
        "{stdout}"
    );
}

#[test]
fn fix_writes_the_fixed_text_to_standard_output() {
    let (code, stdout, stderr) = run(&["fix", "--stdin-filename", "app.py", "-"], SOURCE);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        SOURCE.replace(
            "anthropic.claude-3-5-sonnet-20240620-v1:0",
            "us.anthropic.claude-sonnet-4-6"
        )
    );
    assert!(stderr.starts_with("app.py:3:21: EOL"), "{stderr}");
    assert!(stderr.contains("[fixed]"), "{stderr}");
    // Nothing to fix: the text comes back unchanged.
    let (code, stdout, _) = run(&["fix", "--stdin-filename", "app.py", "-"], "x = 1\n");
    assert_eq!((code, stdout.as_str()), (0, "x = 1\n"));
}

#[test]
fn diff_of_standard_input_names_the_stdin_filename() {
    let (code, stdout, _) = run(&["diff", "--stdin-filename", "app.py", "-"], SOURCE);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("--- a/app.py\n+++ b/app.py\n"),
        "{stdout}"
    );
}

#[test]
fn standard_input_cannot_be_mixed_with_paths() {
    let (code, _, stderr) = run(&["check", "-", "a.py"], SOURCE);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot be combined with other paths"),
        "{stderr}"
    );
}

#[test]
fn a_missing_path_is_an_error_not_nothing_found() {
    let out = Command::cargo_bin("bedrock-migrate")
        .unwrap()
        .args(["check", "--as-of", "2026-12-01", "no/such/file.py"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/file.py"));
}
