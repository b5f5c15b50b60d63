//! The pre-commit hooks of `.pre-commit-hooks.yaml`, run by the real `pre-commit` in
//! temporary git repositories, the way users run them.
//!
//! pre-commit builds the hooks with `cargo install --path .` from a git repository at a
//! commit. The tests therefore snapshot this working tree (tracked and untracked files that
//! are not ignored, so uncommitted work is what gets tested, as `pre-commit try-repo` does)
//! into a repository with one commit of fixed date and author: the same tree gives the same
//! commit, so the environment that pre-commit builds in `PRE_COMMIT_HOME` (kept under
//! `target/tmp/pre-commit/`) is reused across tests and runs. A shared `CARGO_TARGET_DIR`
//! keeps the dependencies compiled between builds, and the release profile is built at
//! `opt-level = 0` (`CARGO_PROFILE_RELEASE_OPT_LEVEL`), which halves a cold build on two
//! cores; neither changes what the hooks run. The first run takes a couple of minutes.
//!
//! Without `pre-commit` these tests are skipped with one line saying what to install;
//! `.ci/run` installs it and sets `BEDROCK_MIGRATE_REQUIRE_PRE_COMMIT=1`, which makes them
//! fail instead. `BEDROCK_MIGRATE_SKIP_PRE_COMMIT=1` skips them on purpose.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use bedrock_migrate::extract::Language;

/// Lifecycle date the hooks are evaluated on in these tests, so that they do not change
/// meaning as models retire.
const AS_OF: &str = "2026-11-21";

const APP_PY: &str = "import boto3\n\nMODEL_ID = \"anthropic.claude-3-5-sonnet-20240620-v1:0\"\n\
client = boto3.client(\"bedrock-runtime\", region_name=\"us-east-1\")\n\
client.converse(modelId=MODEL_ID, messages=[])\n";
const CONFIG_YAML: &str = "service:\n  modelId: eu.anthropic.claude-3-7-sonnet-20250219-v1:0\n";
const DOTENV: &str = "BEDROCK_MODEL_ID=us.anthropic.claude-3-5-sonnet-20241022-v2:0\n";
const VENDORED: &str = "DEFAULT = \"us.anthropic.claude-3-7-sonnet-20250219-v1:0\"\n";

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn work_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit")
}

/// The command that runs pre-commit, or `None` when the tests are skipped on purpose.
fn pre_commit() -> Option<&'static [String]> {
    static FOUND: OnceLock<Option<Vec<String>>> = OnceLock::new();
    if std::env::var_os("BEDROCK_MIGRATE_SKIP_PRE_COMMIT").is_some_and(|v| v == "1") {
        eprintln!("BEDROCK_MIGRATE_SKIP_PRE_COMMIT=1: pre-commit hook test skipped");
        return None;
    }
    let found = FOUND.get_or_init(|| {
        let candidates: [&[&str]; 2] = [&["pre-commit"], &["python3", "-m", "pre_commit"]];
        candidates.iter().find_map(|c| {
            let ok = Command::new(c[0])
                .args(&c[1..])
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success());
            ok.then(|| c.iter().map(|s| s.to_string()).collect())
        })
    });
    let required = std::env::var_os("BEDROCK_MIGRATE_REQUIRE_PRE_COMMIT").is_some_and(|v| v == "1");
    match found {
        Some(command) => Some(command),
        None if required => panic!(
            "pre-commit is not installed (neither `pre-commit` nor `python3 -m pre_commit` \
             runs) and BEDROCK_MIGRATE_REQUIRE_PRE_COMMIT=1 makes these tests mandatory: \
             install it with `pip install 'pre-commit==4.7.0'` as .ci/run does"
        ),
        None => {
            eprintln!(
                "pre-commit hook tests skipped: pre-commit is not installed \
                 (`pip install 'pre-commit==4.7.0'` to run them)"
            );
            None
        }
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "bedrock-migrate tests")
        .env("GIT_AUTHOR_EMAIL", "tests@example.com")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_NAME", "bedrock-migrate tests")
        .env("GIT_COMMITTER_EMAIL", "tests@example.com")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .output()
        .expect("git is installed");
    assert!(
        out.status.success(),
        "git {args:?} in {} failed: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim_end().to_string()
}

/// This working tree as a one-commit repository: (path, commit).
fn hooks_repo() -> &'static (PathBuf, String) {
    static REPO: OnceLock<(PathBuf, String)> = OnceLock::new();
    REPO.get_or_init(|| {
        let repo = work_dir().join("hooks-repo");
        if repo.exists() {
            fs::remove_dir_all(&repo).unwrap();
        }
        fs::create_dir_all(&repo).unwrap();
        let listed = git(
            manifest_dir(),
            &[
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
        );
        for rel in listed.split('\0').filter(|s| !s.is_empty()) {
            let from = manifest_dir().join(rel);
            let Ok(meta) = fs::symlink_metadata(&from) else {
                continue; // deleted in the working tree
            };
            let to = repo.join(rel);
            fs::create_dir_all(to.parent().unwrap()).unwrap();
            if meta.file_type().is_symlink() {
                std::os::unix::fs::symlink(fs::read_link(&from).unwrap(), &to).unwrap();
            } else if meta.is_file() {
                fs::copy(&from, &to).unwrap();
            }
        }
        git(&repo, &["init", "--quiet", "--initial-branch=main"]);
        git(&repo, &["config", "core.autocrlf", "false"]);
        git(&repo, &["add", "--all"]);
        git(
            &repo,
            &[
                "-c",
                "commit.gpgsign=false",
                "commit",
                "--quiet",
                "--no-verify",
                "-m",
                "snapshot",
            ],
        );
        let rev = git(&repo, &["rev-parse", "HEAD"]);
        (repo, rev)
    })
}

struct Output {
    code: i32,
    text: String,
}

/// Run pre-commit in `dir` with a hermetic store and build settings.
fn run_pre_commit(command: &[String], dir: &Path, args: &[&str]) -> Output {
    let work = work_dir();
    let out = Command::new(&command[0])
        .args(&command[1..])
        .args(args)
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", work.join("home"))
        .env("CARGO_TARGET_DIR", work.join("cargo-target"))
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("NO_COLOR", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("pre-commit runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Output {
        code: out.status.code().unwrap_or(-1),
        text,
    }
}

/// A repository with legacy references staged: a .py, a .yaml and a .env (no identify tag;
/// reached through the `files` regex), plus a vendored file that the repository's
/// `exclude` leaves out and a generated one that .gitignore leaves out but that is tracked
/// (force-added), so pre-commit passes it and it is checked: ignore files decide what a walk
/// finds, not which named files are read.
fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "--quiet", "--initial-branch=main"]);
    for (path, text) in [
        ("app.py", APP_PY),
        ("deploy/config.yaml", CONFIG_YAML),
        (".env", DOTENV),
        ("vendor/sdk.py", VENDORED),
        ("generated/models.py", VENDORED),
        (
            "README.txt",
            "anthropic.claude-v2 is not looked at in .txt files\n",
        ),
        (".gitignore", "generated/\n"),
        (
            ".bedrock-migrate.toml",
            "schema_version = 1\n\n[settings]\nexclude = [\"vendor\"]\n",
        ),
        (".pre-commit-config.yaml", config),
    ] {
        let path = d.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    git(d, &["add", "--all"]);
    git(d, &["add", "--force", "generated/models.py"]);
    dir
}

#[test]
fn check_fails_fix_rewrites_then_check_and_commit_pass() {
    let Some(pc) = pre_commit() else { return };
    let (repo, rev) = hooks_repo();
    // The README's configuration: no flags but a fixed date for a stable test.
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      \
         - id: bedrock-migrate-check\n        args: [--as-of, \"{AS_OF}\"]\n      \
         - id: bedrock-migrate-fix\n        args: [--as-of, \"{AS_OF}\"]\n        stages: [manual]\n",
        repo.display()
    );
    let dir = project(&config);
    let d = dir.path();

    // 1. The check hook fails on the staged legacy references (this builds the hook).
    let started = std::time::Instant::now();
    let out = run_pre_commit(pc, d, &["run", "bedrock-migrate-check", "--color", "never"]);
    eprintln!(
        "first pre-commit run (with the build): {:?}",
        started.elapsed()
    );
    assert_eq!(out.code, 1, "{}", out.text);
    for expected in [
        "app.py:3:13: EOL anthropic.claude-3-5-sonnet-20240620-v1:0",
        "deploy/config.yaml:2:12: EOL eu.anthropic.claude-3-7-sonnet-20250219-v1:0",
        ".env:1:18: EOL us.anthropic.claude-3-5-sonnet-20241022-v2:0",
        "generated/models.py:1:12: EOL us.anthropic.claude-3-7-sonnet-20250219-v1:0",
    ] {
        assert!(
            out.text.contains(expected),
            "missing {expected}:\n{}",
            out.text
        );
    }
    assert!(!out.text.contains("vendor/"), "{}", out.text);
    assert!(!out.text.contains("README.txt"), "{}", out.text);

    // ... and so does `git commit` once the hooks are installed.
    let out = run_pre_commit(pc, d, &["install"]);
    assert_eq!(out.code, 0, "{}", out.text);
    let commit = Command::new("git")
        .args([
            "-c",
            "commit.gpgsign=false",
            "commit",
            "--quiet",
            "-m",
            "add app",
        ])
        .current_dir(d)
        .env("PRE_COMMIT_HOME", work_dir().join("home"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!commit.status.success(), "the commit went through");

    // 2. The fix hook rewrites the files and fails because it modified them.
    let out = run_pre_commit(
        pc,
        d,
        &[
            "run",
            "bedrock-migrate-fix",
            "--hook-stage",
            "manual",
            "--color",
            "never",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.text);
    assert!(
        out.text.contains("files were modified by this hook"),
        "{}",
        out.text
    );
    assert_eq!(
        fs::read_to_string(d.join("app.py")).unwrap(),
        // A bare ID, a profile-only successor, and the client's Region chose `us.`.
        APP_PY.replace(
            "\"anthropic.claude-3-5-sonnet-20240620-v1:0",
            "\"us.anthropic.claude-sonnet-4-6"
        )
    );
    assert_eq!(
        fs::read_to_string(d.join("deploy/config.yaml")).unwrap(),
        CONFIG_YAML.replace(
            "eu.anthropic.claude-3-7-sonnet-20250219-v1:0",
            "eu.anthropic.claude-sonnet-4-6"
        )
    );
    assert!(
        fs::read_to_string(d.join(".env"))
            .unwrap()
            .contains("us.anthropic.claude-sonnet-4-6")
    );
    assert_eq!(
        fs::read_to_string(d.join("vendor/sdk.py")).unwrap(),
        VENDORED
    );
    assert_eq!(
        fs::read_to_string(d.join("generated/models.py")).unwrap(),
        VENDORED.replace(
            "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
            "us.anthropic.claude-sonnet-4-6"
        )
    );

    // 3. Staged again, the check passes with the default --fail-on legacy (every reference
    //    moved to an active model: the suggested successor where AWS published none) and the
    //    commit goes through.
    git(d, &["add", "--all"]);
    let out = run_pre_commit(pc, d, &["run", "bedrock-migrate-check", "--color", "never"]);
    assert_eq!(out.code, 0, "{}", out.text);
    assert!(out.text.contains("Passed"), "{}", out.text);
    let commit = Command::new("git")
        .args([
            "-c",
            "commit.gpgsign=false",
            "commit",
            "--quiet",
            "-m",
            "add app",
        ])
        .current_dir(d)
        .env("PRE_COMMIT_HOME", work_dir().join("home"))
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(
        commit.status.success(),
        "{}{}",
        String::from_utf8_lossy(&commit.stdout),
        String::from_utf8_lossy(&commit.stderr)
    );
}

/// `pre-commit try-repo`, the way a hook author tries the hooks before tagging a release:
/// no `args`, so the defaults apply (`--fail-on legacy`, today's date).
#[test]
fn try_repo_check_fails_on_a_retired_model() {
    let Some(pc) = pre_commit() else { return };
    let (repo, rev) = hooks_repo();
    let dir = project("repos: []\n");
    let repo = repo.to_string_lossy();
    let out = run_pre_commit(
        pc,
        dir.path(),
        &[
            "try-repo",
            &repo,
            "bedrock-migrate-check",
            "--ref",
            rev,
            "--color",
            "never",
            "--files",
            "app.py",
            "deploy/config.yaml",
            "vendor/sdk.py",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.text);
    assert!(out.text.contains("bedrock-migrate check"), "{}", out.text);
    assert!(
        out.text
            .contains("app.py:3:13: EOL anthropic.claude-3-5-sonnet-20240620-v1:0"),
        "{}",
        out.text
    );
    assert!(
        out.text.contains("deploy/config.yaml:2:12: EOL"),
        "{}",
        out.text
    );
    assert!(!out.text.contains("vendor/"), "{}", out.text);
}

/// The `files` regex of both hooks accepts exactly the files the tool parses (checked with
/// the regex crate, whose syntax agrees with Python's `re` for this pattern).
#[test]
fn hook_files_regex_matches_the_supported_files() {
    let manifest = fs::read_to_string(manifest_dir().join(".pre-commit-hooks.yaml")).unwrap();
    let patterns: Vec<&str> = manifest
        .lines()
        .filter_map(|l| l.trim().strip_prefix("files: '"))
        .map(|l| l.strip_suffix('\'').unwrap())
        .collect();
    assert_eq!(patterns.len(), 2, "one `files` per hook");
    assert_eq!(patterns[0], patterns[1], "both hooks take the same files");
    for (id, entry) in [
        ("bedrock-migrate-check", "bedrock-migrate check"),
        ("bedrock-migrate-fix", "bedrock-migrate check --fix"),
    ] {
        assert!(manifest.contains(&format!("- id: {id}\n")), "{id}");
        assert!(manifest.contains(&format!("  entry: {entry}\n")), "{entry}");
    }
    let files = regex::Regex::new(patterns[0]).unwrap();
    let names = [
        "a.py",
        "a.pyi",
        "a.ts",
        "a.mts",
        "a.cts",
        "a.tsx",
        "a.js",
        "a.mjs",
        "a.cjs",
        "a.jsx",
        "a.rs",
        "a.json",
        "a.jsonc",
        "a.yml",
        "a.yaml",
        "a.toml",
        "a.ini",
        "a.cfg",
        "a.properties",
        "prod.env",
        "main.tf",
        "x.tfvars",
        "x.hcl",
        "n.ipynb",
        "x.dockerfile",
        "s.sh",
        "s.bash",
        "s.zsh",
        "README.md",
        "a.markdown",
        ".env",
        ".env.production",
        "Dockerfile",
        "Dockerfile.dev",
        "deep/dir/.env.local",
        "deep/Dockerfile",
        "A.java",
        "a.kt",
        "build.gradle.kts",
        "a.cs",
        "a.go",
        "a.php",
        "a.rb",
        "x.rake",
        "x.gemspec",
        "Gemfile",
        "Rakefile",
        "a.swift",
        "guide.mdx",
        "a.jsonl",
        "a.ndjson",
        // Not parsed: never passed to the hook.
        "a.txt",
        "Makefile",
        "Gemfile.lock",
        "a.class",
        "a.csproj",
        "a.mod",
        "Podfile",
        "x.envrc",
        ".bashrc",
        "a.py.orig",
        ".py",
        "Containerfile",
        "a.PY",
        "env",
        "dockerfile",
    ];
    // Passed to the hook although their names say nothing: the tool tells CloudFormation
    // templates and test snapshots by their text (`walk::sniff`).
    for name in [
        "Gateway.template",
        "stack.cfn",
        "__snapshots__/a.test.ts.snap",
    ] {
        assert!(Language::from_path(Path::new(name)).is_none(), "{name}");
        assert!(files.is_match(name), "{name}");
    }
    for name in names {
        let parsed = Language::from_path(Path::new(name)).is_some();
        assert_eq!(
            files.is_match(name),
            parsed,
            "{name}: hook regex and Language::from_path disagree"
        );
        assert_eq!(files.is_match(&format!("src/{name}")), parsed, "src/{name}");
    }
}
