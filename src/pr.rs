//! `pr`: the migration-PR bot. Fix on a new branch, commit, and write a pull-request body.
//!
//! The bot only prepares: it never pushes and never talks to a forge, so it runs the same on
//! a laptop, in a scheduled GitHub Actions job (examples/github-action.yml) and under a fleet
//! tool such as multi-gitter (docs/fleet.md); pushing and `gh pr create --body-file` are the
//! caller's. Git is driven through its command line, which is installed wherever the
//! repository was cloned and honours the user's configuration (identity, signing, hooks
//! path) without a library re-implementing it.
//!
//! Order matters for leaving a tree as it was found: the working tree must be clean, the
//! branch name free, and only then are files rewritten; when nothing was rewritten no branch
//! exists and the original checkout is restored.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use bedrock_migrate::report::{self, FileReport};

use crate::app::{self, Mode};
use crate::cli::PrArgs;

/// The commit subject: a Conventional Commits `chore(deps)`, which Renovate- and
/// Dependabot-style tooling and changelog generators already sort as dependency upkeep.
pub const COMMIT_SUBJECT: &str = "chore(deps): migrate retired Amazon Bedrock models";

/// Run the bot; returns the exit code (0 nothing to migrate, 1 branch created, 2 refused or
/// failed).
pub fn run(args: &PrArgs) -> Result<u8> {
    let toplevel = git(&["rev-parse", "--show-toplevel"])
        .context("`pr` must run inside a git working tree (a clone of the repository)")?;
    let toplevel = PathBuf::from(toplevel.trim_end());
    let body_file = match &args.body_file {
        Some(file) => absolute(file)?,
        None => {
            let git_dir = git(&["rev-parse", "--absolute-git-dir"])?;
            PathBuf::from(git_dir.trim_end()).join("bedrock-migrate-pr.md")
        }
    };
    // A commit without an identity fails after the branch and the index were changed: ask
    // git before touching anything.
    if !git_succeeds(&["var", "GIT_COMMITTER_IDENT"]) || !git_succeeds(&["var", "GIT_AUTHOR_IDENT"])
    {
        bail!(
            "git has no identity to commit with: set it (`git config user.name …` and \
             `git config user.email …`, or GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL) and run again"
        );
    }

    let dirty = dirty_paths(&toplevel, &body_file)?;
    if !dirty.is_empty() {
        let shown: Vec<&str> = dirty.iter().take(5).map(String::as_str).collect();
        let more = if dirty.len() > 5 {
            format!(" and {} more", dirty.len() - 5)
        } else {
            String::new()
        };
        eprintln!(
            "error: the working tree has changes ({}{more}); the migration commit must contain \
             only the migration: commit or stash them first (`git stash --include-untracked`)",
            shown.join(", ")
        );
        return Ok(2);
    }

    let as_of = args.run.rules.as_of.unwrap_or_else(app::today);
    let branch = args
        .branch
        .clone()
        .unwrap_or_else(|| format!("bedrock-migrate/{as_of}"));
    if git(&["check-ref-format", "--branch", &branch]).is_err() {
        bail!("`{branch}` is not a valid branch name; pass another with --branch");
    }
    if git_succeeds(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("refs/heads/{branch}"),
    ]) {
        bail!(
            "branch `{branch}` already exists (an earlier migration?); pass --branch NAME, or \
             delete it with `git branch -D {branch}`"
        );
    }

    let original = current_checkout()?;
    if let Some(base) = &args.base {
        git(&["switch", "--quiet", "--detach", base])
            .with_context(|| format!("cannot check out --base `{base}`"))?;
    }
    // A model migrated in some references and not others breaks code that compares them
    // (tests, fixtures): plan once without writing, and hold back such models.
    let hold = if args.allow_partial {
        Default::default()
    } else {
        match app::execute(&args.run, Mode::Scan) {
            Ok(planned) => report::partial_models(&planned.reports, args.run.unsafe_fixes)
                .into_iter()
                .map(|m| m.model_id)
                .collect(),
            Err(e) => {
                restore(&original, args.base.is_some())?;
                return Err(e);
            }
        }
    };
    let outcome = match app::execute_holding(&args.run, Mode::Fix, &hold) {
        Ok(outcome) => outcome,
        Err(e) => {
            restore(&original, args.base.is_some())?;
            return Err(e);
        }
    };
    // The report is the same as `fix` prints: what was rewritten and what is left.
    app::print(&args.run, Mode::Fix, &outcome)?;
    if outcome.failed_io() {
        eprintln!(
            "error: nothing committed because of the errors above; the files that were \
             rewritten are left as they are (`git diff` shows them, `git checkout -- .` undoes them)"
        );
        return Ok(2);
    }
    let changed: Vec<&FileReport> = outcome
        .reports
        .iter()
        .filter(|r| r.findings.iter().any(|f| f.applied))
        .collect();
    if changed.is_empty() {
        restore(&original, args.base.is_some())?;
        eprintln!("Nothing to migrate: no branch created.");
        return Ok(0);
    }

    git(&["switch", "--quiet", "--create", &branch])?;
    let paths: Vec<String> = changed.iter().map(|r| r.path.clone()).collect();
    let message = commit_message(&outcome.reports, outcome.as_of);
    let committed = (|| -> Result<()> {
        let mut add = vec!["add".to_string(), "--".to_string()];
        add.extend(paths.iter().cloned());
        git_with(&add, None, true)?;
        // --no-verify: the repository's own hooks may include bedrock-migrate's check,
        // which the pull request's CI runs anyway.
        git_with(
            &[
                "commit".into(),
                "--quiet".into(),
                "--no-verify".into(),
                "--file".into(),
                "-".into(),
            ],
            Some(&message),
            false,
        )?;
        Ok(())
    })();
    if let Err(e) = committed {
        roll_back(&original, &branch, &paths, args.base.is_some());
        return Err(e.context(
            "the commit failed: the branch, the index and the rewritten files were rolled back",
        ));
    }
    let commit = git(&["rev-parse", "--short", "HEAD"])?;

    let body = bedrock_migrate::report::markdown::render(
        &outcome.reports,
        &bedrock_migrate::report::markdown::MarkdownOptions {
            unsafe_fixes: args.run.unsafe_fixes,
            writes: true,
            as_of: Some(outcome.as_of),
            ..Default::default()
        },
        |f| {
            f.applied
                || f.is_retired()
                || f.state == bedrock_migrate::finding::FindingState::Unknown
        },
    );
    std::fs::write(&body_file, body)
        .with_context(|| format!("cannot write the PR body to {}", body_file.display()))?;
    let references: usize = changed
        .iter()
        .map(|r| r.findings.iter().filter(|f| f.applied).count())
        .sum();
    eprintln!(
        "Created branch {branch} with commit {}: {references} {} in {} {}. PR body: {}",
        commit.trim_end(),
        plural(references, "reference", "references"),
        changed.len(),
        plural(changed.len(), "file", "files"),
        body_file.display()
    );
    Ok(1)
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// The commit message: the subject, then one line per old → new model with its count.
pub fn commit_message(reports: &[FileReport], as_of: chrono::NaiveDate) -> String {
    let mut moves: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut files = 0;
    for r in reports {
        let mut any = false;
        for f in r.findings.iter().filter(|f| f.applied) {
            if let Some(to) = &f.replacement {
                *moves.entry((&f.model_id, &to.model_id)).or_default() += 1;
                any = true;
            }
        }
        files += usize::from(any);
    }
    let total: usize = moves.values().sum();
    let mut out = format!(
        "{COMMIT_SUBJECT}\n\nRewrite {total} {} in {files} {} (lifecycle as of {as_of}):\n\n",
        plural(total, "reference", "references"),
        plural(files, "file", "files"),
    );
    for ((from, to), n) in &moves {
        out.push_str(&format!(
            "- {from} → {to} ({n} {})\n",
            plural(*n, "reference", "references")
        ));
    }
    out.push_str(&format!(
        "\nGenerated by bedrock-migrate {}.\n",
        env!("CARGO_PKG_VERSION")
    ));
    out
}

/// Paths with staged, unstaged or untracked changes (relative to the repository root),
/// leaving out the PR body file so that a second run is not refused because of the first.
fn dirty_paths(toplevel: &Path, body_file: &Path) -> Result<Vec<String>> {
    let status = git(&["status", "--porcelain=v1", "-z", "--untracked-files=all"])?;
    let body_rel = body_file
        .strip_prefix(toplevel)
        .ok()
        .map(|p| p.to_string_lossy().replace('\\', "/"));
    let mut out = Vec::new();
    let mut entries = status.split('\0');
    while let Some(entry) = entries.next() {
        if entry.len() < 4 {
            continue;
        }
        let (code, path) = entry.split_at(3);
        // A rename or copy is followed by its source path.
        if code.starts_with('R') || code.starts_with('C') {
            entries.next();
        }
        if body_rel.as_deref() != Some(path) {
            out.push(path.to_string());
        }
    }
    Ok(out)
}

/// What is checked out now: a branch name, or a commit when HEAD is detached.
fn current_checkout() -> Result<String> {
    match git(&["symbolic-ref", "--quiet", "--short", "HEAD"]) {
        Ok(branch) => Ok(branch.trim_end().to_string()),
        Err(_) => Ok(git(&["rev-parse", "HEAD"])?.trim_end().to_string()),
    }
}

/// Undo a migration whose commit failed: unstage and restore the rewritten files, go back
/// to the original checkout and delete the new branch. Best effort: each step is tried.
fn roll_back(original: &str, branch: &str, paths: &[String], based: bool) {
    let mut reset = vec!["reset".to_string(), "--quiet".to_string(), "--".to_string()];
    reset.extend(paths.iter().cloned());
    let _ = git_with(&reset, None, true);
    let mut checkout = vec!["checkout".to_string(), "--".to_string()];
    checkout.extend(paths.iter().cloned());
    let _ = git_with(&checkout, None, true);
    let back = if git_succeeds(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("refs/heads/{original}"),
    ]) {
        git(&["switch", "--quiet", original])
    } else {
        git(&["switch", "--quiet", "--detach", original])
    };
    if back.is_ok() || !based {
        let _ = git(&["branch", "--quiet", "-D", branch]);
    }
}

/// Check out `original` again after `--base` switched away from it.
fn restore(original: &str, switched: bool) -> Result<()> {
    if !switched {
        return Ok(());
    }
    if git_succeeds(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("refs/heads/{original}"),
    ]) {
        git(&["switch", "--quiet", original])?;
    } else {
        git(&["switch", "--quiet", "--detach", original])?;
    }
    Ok(())
}

/// `path` made absolute through its canonical parent directory (the file need not exist),
/// so that it compares with `git rev-parse --show-toplevel`, which resolves symlinks.
fn absolute(path: &Path) -> Result<PathBuf> {
    let path = std::env::current_dir()?.join(path);
    let name = path
        .file_name()
        .with_context(|| format!("--body-file {} is not a file name", path.display()))?;
    let parent = path.parent().unwrap_or(Path::new("/"));
    let parent = parent
        .canonicalize()
        .with_context(|| format!("--body-file: directory {} not found", parent.display()))?;
    Ok(parent.join(name))
}

fn git(args: &[&str]) -> Result<String> {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    git_with(&args, None, false)
}

fn git_succeeds(args: &[&str]) -> bool {
    Command::new("git")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Run git in the current directory; its standard output, or an error quoting its
/// standard error. `literal` makes pathspecs plain paths (a file named `*.py` is one file).
fn git_with(args: &[String], stdin: Option<&str>, literal: bool) -> Result<String> {
    let mut command = Command::new("git");
    command
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if literal {
        command.env("GIT_LITERAL_PATHSPECS", "1");
    }
    let mut child = command
        .spawn()
        .context("cannot run git (is it installed and on PATH?)")?;
    if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(text.as_bytes())?;
    }
    let output = child.wait_with_output()?;
    if !output.status.success() {
        bail!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim_end()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
