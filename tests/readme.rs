//! The README's example outputs are what the binary prints: every ```text block that starts
//! with `$ bedrock-migrate …` is run (from the repository root, or from the fixture
//! directory that holds its files) and its output compared with the block.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `(command line, expected output)` of every example block.
fn examples(readme: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if line != "```text" {
            continue;
        }
        let Some(first) = lines.next() else { break };
        let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        if let Some(command) = first.strip_prefix("$ bedrock-migrate ") {
            out.push((command.to_string(), body.join("\n") + "\n"));
        }
    }
    out
}

/// Where the example's files are: the repository root or a fixture's `input/`.
fn working_dir(root: &Path, args: &[&str]) -> PathBuf {
    let files: Vec<&&str> = args
        .iter()
        .filter(|a| a.contains('.') && !a.starts_with('-'))
        .collect();
    let holds = |dir: &Path| files.iter().all(|f| dir.join(f).exists());
    if holds(root) {
        return root.to_path_buf();
    }
    std::fs::read_dir(root.join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path().join("input"))
        .find(|dir| holds(dir))
        .unwrap_or_else(|| panic!("no directory holds the files of `{}`", args.join(" ")))
}

#[test]
fn readme_examples_are_what_the_binary_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(examples.len() >= 2, "README examples not found");
    for (command, expected) in examples {
        let args: Vec<&str> = command.split_whitespace().collect();
        let out = Command::new(env!("CARGO_BIN_EXE_bedrock-migrate"))
            .args(&args)
            .current_dir(working_dir(root, &args))
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            stdout, expected,
            "README example `bedrock-migrate {command}` is stale: replace its output with what the binary prints"
        );
    }
}
