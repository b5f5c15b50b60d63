//! `diff` of a path typed as `../repo` or as an absolute path still gives a patch that
//! `git apply` accepts in the repository: its file names are relative to the repository root.

use std::fs;
use std::process::Command;

const APP: &str = "import boto3\n\
c = boto3.client(\"bedrock-runtime\", region_name=\"us-east-1\")\n\
c.converse(modelId=\"anthropic.claude-3-5-sonnet-20240620-v1:0\", messages=[])\n";

fn git(dir: &std::path::Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git is installed")
        .success();
    assert!(ok, "git {args:?}");
}

#[test]
fn patches_of_relative_and_absolute_paths_apply_at_the_repository_root() {
    let top = tempfile::tempdir().unwrap();
    let repo = top.path().join("repo");
    let elsewhere = top.path().join("elsewhere");
    fs::create_dir_all(repo.join("src")).unwrap();
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(repo.join("src/app.py"), APP).unwrap();
    git(&repo, &["init", "--quiet"]);
    let absolute = repo.join("src/app.py");
    for target in ["../repo", absolute.to_str().unwrap()] {
        let out = Command::new(env!("CARGO_BIN_EXE_bedrock-migrate"))
            .args(["diff", "--as-of", "2026-12-01", "--no-config", target])
            .current_dir(&elsewhere)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let patch = String::from_utf8(out.stdout).unwrap();
        assert!(
            patch.starts_with("--- a/src/app.py\n+++ b/src/app.py\n"),
            "{patch}"
        );
        let file = top.path().join("p.patch");
        fs::write(&file, &patch).unwrap();
        git(&repo, &["apply", "--check", file.to_str().unwrap()]);
    }
}
