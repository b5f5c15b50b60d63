//! Reports name the rules table's sources, never their keys: a reader of "(S20)" cannot know
//! what it means. Every output format of the demo tree is checked for a bare key
//! (`\bS[0-9]+\b`), and an overlay written in the old one-string source form still loads and
//! is cited by the name derived from it.

use std::path::Path;
use std::process::Command;

use regex::Regex;

fn run(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_bedrock-migrate"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "bedrock-migrate {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn no_output_of_the_demo_shows_a_source_key() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/input");
    let key = Regex::new(r"\bS[0-9]+\b").unwrap();
    for format in ["text", "concise", "json", "sarif", "github", "markdown"] {
        let out = run(
            &demo,
            &[
                "scan",
                "--as-of",
                "2026-11-21",
                "--unsafe-fixes",
                "--format",
                format,
            ],
        );
        if let Some(m) = key.find(&out) {
            let line = out[..m.start()].lines().count();
            panic!(
                "--format {format} shows source key `{}` (line {line}): {}",
                m.as_str(),
                out.lines().nth(line.saturating_sub(1)).unwrap_or_default()
            );
        }
        // The demo does cite sources (in every format with notes): the check is not vacuous.
        assert!(
            format == "concise" || out.contains("OpenRouter: Claude 4.7 migration guide"),
            "--format {format} names no source:\n{out}"
        );
    }
}

/// An overlay from before sources had names: its string source loads, and a note citing it
/// shows the name derived from the string (its first clause), in text and JSON.
#[test]
fn an_old_style_overlay_source_is_cited_by_its_derived_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("overlay.toml"),
        "schema_version = 1\n\n[sources]\nS100 = \"Platform team model policy, 2026-11 — https://wiki.example.com/models\"\n\n\
         [[model]]\nid = \"anthropic.claude-3-haiku-20240307-v1:0\"\n\
         notes = [\"Our batch jobs must move first (S100).\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        "MODEL = \"anthropic.claude-3-haiku-20240307-v1:0\"\n",
    )
    .unwrap();
    let args = [
        "scan",
        "--as-of",
        "2026-11-21",
        "--rules",
        "overlay.toml",
        "app.py",
    ];
    let text = run(dir.path(), &args);
    assert!(
        text.contains("note: Our batch jobs must move first (source: Platform team model policy)."),
        "{text}"
    );
    let json = run(dir.path(), &[&args[..], &["--format", "json"]].concat());
    let findings: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        findings[0]["sources"][0],
        serde_json::json!({
            "name": "Platform team model policy",
            "urls": ["https://wiki.example.com/models"]
        }),
        "{json}"
    );
}
