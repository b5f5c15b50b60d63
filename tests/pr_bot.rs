//! The migration-PR bot (`bedrock-migrate pr`) against real temporary git repositories:
//! a clean tree gets a branch, one commit and a PR body; a dirty tree is refused and left
//! alone; a tree with nothing to migrate gets nothing.

use std::fs;
use std::path::Path;
use std::process::Command;

const LEGACY_PY: &str = "MODEL_ID = \"us.anthropic.claude-3-5-sonnet-20240620-v1:0\"\n";
const LEGACY_YAML: &str = "model: eu.anthropic.claude-3-7-sonnet-20250219-v1:0\n";
const ACTIVE_PY: &str = "MODEL_ID = \"global.anthropic.claude-sonnet-4-6\"\n";

/// Run git in `dir` and return its trimmed standard output; panics on failure.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git is installed");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim_end().to_string()
}

/// A repository on branch `main` with `files` committed.
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "--quiet", "--initial-branch=main"]);
    git(dir.path(), &["config", "user.name", "Test"]);
    git(dir.path(), &["config", "user.email", "test@example.com"]);
    git(dir.path(), &["config", "commit.gpgsign", "false"]);
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    git(dir.path(), &["add", "--all"]);
    git(dir.path(), &["commit", "--quiet", "--message", "initial"]);
    dir
}

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

fn pr(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_bedrock-migrate"))
        .arg("pr")
        .args(["--as-of", "2026-11-21", "--no-config"])
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn clean_tree_gets_a_branch_a_commit_and_a_body() {
    let dir = repo(&[("app.py", LEGACY_PY), ("deploy/config.yaml", LEGACY_YAML)]);
    let d = dir.path();
    let main_before = git(d, &["rev-parse", "main"]);

    let out = pr(d, &[]);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("Created branch bedrock-migrate/2026-11-21"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("[fixed]"), "{}", out.stdout);

    // On the new branch, one commit on top of main, main untouched.
    assert_eq!(
        git(d, &["branch", "--show-current"]),
        "bedrock-migrate/2026-11-21"
    );
    assert_eq!(git(d, &["rev-parse", "HEAD~1"]), main_before);
    assert_eq!(git(d, &["rev-parse", "main"]), main_before);
    let message = git(d, &["log", "-1", "--format=%B"]);
    assert!(
        message.starts_with("chore(deps): migrate retired Amazon Bedrock models\n\n"),
        "{message}"
    );
    assert!(
        message.contains(
            "- anthropic.claude-3-5-sonnet-20240620-v1:0 → \
             anthropic.claude-sonnet-4-6 (1 reference)"
        ),
        "{message}"
    );
    assert!(
        message.contains(
            "- anthropic.claude-3-7-sonnet-20250219-v1:0 → \
             anthropic.claude-sonnet-4-6 (1 reference)"
        ),
        "{message}"
    );
    // The commit holds the rewritten files and nothing else; the body is not committed.
    let changed = git(d, &["diff", "--name-only", "HEAD~1", "HEAD"]);
    assert_eq!(changed, "app.py\ndeploy/config.yaml");
    assert_eq!(
        fs::read_to_string(d.join("app.py")).unwrap(),
        "MODEL_ID = \"us.anthropic.claude-sonnet-4-6\"\n"
    );
    // The body is written under .git/, outside the work tree: the tree stays clean and no
    // later scan reads it.
    assert_eq!(
        git(d, &["status", "--porcelain", "--untracked-files=all"]),
        ""
    );
    let body = fs::read_to_string(d.join(".git/bedrock-migrate-pr.md")).unwrap();
    assert!(
        body.contains("# Migrate retired Amazon Bedrock model IDs"),
        "{body}"
    );
    assert!(
        body.contains(
            "| `deploy/config.yaml` | 1 | `eu.anthropic.claude-3-7-sonnet-20250219-v1:0` → \
             `eu.anthropic.claude-sonnet-4-6` | EOL | 2026-04-28 | safe, **fixed** |"
        ),
        "{body}"
    );
    assert!(body.contains("model-lifecycle.html"), "{body}");

    // The body file left behind does not make the tree dirty for the next run.
    let again = pr(d, &["--branch", "bedrock-migrate/second"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stderr.contains("Nothing to migrate"),
        "{}",
        again.stderr
    );
}

#[test]
fn branch_and_body_file_can_be_named() {
    let dir = repo(&[("app.py", LEGACY_PY)]);
    let d = dir.path();
    let body = d.join("..").join(format!(
        "{}-body.md",
        d.file_name().unwrap().to_string_lossy()
    ));
    let out = pr(
        d,
        &[
            "--branch",
            "migrate/claude",
            "--body-file",
            body.to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(git(d, &["branch", "--show-current"]), "migrate/claude");
    assert!(fs::read_to_string(&body).unwrap().contains("app.py"));
    fs::remove_file(&body).unwrap();
    assert_eq!(git(d, &["status", "--porcelain"]), "");

    // An existing branch is not reused.
    git(d, &["switch", "--quiet", "main"]);
    let out = pr(d, &["--branch", "migrate/claude"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("already exists"), "{}", out.stderr);
    assert_eq!(fs::read_to_string(d.join("app.py")).unwrap(), LEGACY_PY);
}

#[test]
fn dirty_tree_is_refused_and_left_alone() {
    let dir = repo(&[("app.py", LEGACY_PY), ("notes.txt", "x\n")]);
    let d = dir.path();
    let head = git(d, &["rev-parse", "HEAD"]);

    // A modified tracked file.
    fs::write(d.join("notes.txt"), "changed\n").unwrap();
    let out = pr(d, &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("the working tree has changes (notes.txt)"),
        "{}",
        out.stderr
    );
    assert_eq!(fs::read_to_string(d.join("app.py")).unwrap(), LEGACY_PY);
    assert_eq!(
        fs::read_to_string(d.join("notes.txt")).unwrap(),
        "changed\n"
    );
    assert_eq!(git(d, &["rev-parse", "HEAD"]), head);
    assert_eq!(git(d, &["branch", "--list"]), "* main");
    assert!(!d.join(".git/bedrock-migrate-pr.md").exists());

    // A staged change, and an untracked file, count too.
    git(d, &["checkout", "--quiet", "--", "notes.txt"]);
    fs::write(d.join("new.py"), LEGACY_PY).unwrap();
    let out = pr(d, &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("(new.py)"), "{}", out.stderr);
    git(d, &["add", "new.py"]);
    let out = pr(d, &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(fs::read_to_string(d.join("new.py")).unwrap(), LEGACY_PY);
    assert_eq!(git(d, &["branch", "--list"]), "* main");
}

#[test]
fn nothing_to_migrate_changes_nothing() {
    let dir = repo(&[("app.py", ACTIVE_PY)]);
    let d = dir.path();
    let head = git(d, &["rev-parse", "HEAD"]);
    let out = pr(d, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("Nothing to migrate: no branch created."),
        "{}",
        out.stderr
    );
    assert_eq!(git(d, &["branch", "--list"]), "* main");
    assert_eq!(git(d, &["rev-parse", "HEAD"]), head);
    assert_eq!(
        git(d, &["status", "--porcelain", "--untracked-files=all"]),
        ""
    );
}

#[test]
fn base_starts_the_branch_elsewhere_and_is_undone_when_idle() {
    // main has the legacy reference; the checked-out branch has migrated already.
    let dir = repo(&[("app.py", LEGACY_PY)]);
    let d = dir.path();
    let main = git(d, &["rev-parse", "main"]);
    git(d, &["switch", "--quiet", "--create", "feature"]);
    fs::write(d.join("app.py"), ACTIVE_PY).unwrap();
    git(
        d,
        &["commit", "--quiet", "--all", "--message", "migrate by hand"],
    );

    let out = pr(d, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(git(d, &["branch", "--show-current"]), "feature");

    let out = pr(d, &["--base", "main"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        git(d, &["branch", "--show-current"]),
        "bedrock-migrate/2026-11-21"
    );
    assert_eq!(git(d, &["rev-parse", "HEAD~1"]), main);

    // Nothing to do from `feature`'s tip: back on feature, no branch.
    git(d, &["switch", "--quiet", "feature"]);
    let out = pr(d, &["--base", "feature", "--branch", "unused"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(git(d, &["branch", "--show-current"]), "feature");
    assert!(!git(d, &["branch", "--list"]).contains("unused"));
}

#[test]
fn outside_a_repository_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("app.py"), LEGACY_PY).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_bedrock-migrate"))
        .args(["pr", "--as-of", "2026-11-21"])
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("must run inside a git working tree"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("app.py")).unwrap(),
        LEGACY_PY
    );
}

/// A model that can be rewritten in only some of its references in code (here `apac.`,
/// which Haiku 4.5 has no profile for) is left whole: a PR that mixes old and new IDs of one
/// model breaks code that compares them. `--allow-partial` migrates what it can.
#[test]
fn a_model_fixable_in_only_some_references_is_left_whole() {
    let dir = repo(&[
        (
            "a.py",
            "FAST = \"us.anthropic.claude-3-haiku-20240307-v1:0\"\n",
        ),
        (
            "b.py",
            "FAST = \"apac.anthropic.claude-3-haiku-20240307-v1:0\"\n",
        ),
        ("c.py", LEGACY_PY),
    ]);
    let d = dir.path();
    let out = pr(d, &[]);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(git(d, &["diff", "--name-only", "HEAD~1", "HEAD"]), "c.py");
    assert!(
        out.stdout.contains("left as is: `anthropic.claude-3-haiku-20240307-v1:0` can be migrated automatically in only some"),
        "{}",
        out.stdout
    );
    let dir = repo(&[
        (
            "a.py",
            "FAST = \"us.anthropic.claude-3-haiku-20240307-v1:0\"\n",
        ),
        (
            "b.py",
            "FAST = \"apac.anthropic.claude-3-haiku-20240307-v1:0\"\n",
        ),
    ]);
    let d = dir.path();
    let out = pr(d, &["--allow-partial"]);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(git(d, &["diff", "--name-only", "HEAD~1", "HEAD"]), "a.py");
    assert!(
        out.stdout.contains(
            "Partly migrated: `anthropic.claude-3-haiku-20240307-v1:0` in 1 of 2 references in code, 1 keep the old ID"
        ),
        "{}",
        out.stdout
    );
    let body = fs::read_to_string(d.join(".git/bedrock-migrate-pr.md")).unwrap();
    assert!(body.contains("**Partly migrated:**"), "{body}");
}

/// Without a git identity the commit would fail after the branch and the index changed:
/// `pr` refuses before touching anything.
#[test]
fn no_git_identity_is_refused_before_anything_changes() {
    let dir = repo(&[("app.py", LEGACY_PY)]);
    let d = dir.path();
    git(d, &["config", "--unset", "user.name"]);
    git(d, &["config", "--unset", "user.email"]);
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_bedrock-migrate"))
        .args(["pr", "--as-of", "2026-11-21", "--no-config"])
        .current_dir(d)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_AUTHOR_NAME")
        .env_remove("GIT_AUTHOR_EMAIL")
        .env_remove("GIT_COMMITTER_NAME")
        .env_remove("GIT_COMMITTER_EMAIL")
        .env_remove("EMAIL")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("git has no identity"), "{stderr}");
    assert_eq!(git(d, &["branch", "--list"]), "* main");
    assert_eq!(
        git(d, &["status", "--porcelain", "--untracked-files=all"]),
        ""
    );
    assert_eq!(fs::read_to_string(d.join("app.py")).unwrap(), LEGACY_PY);
}
