//! Fixture tests: run the real binary on copies of the trees under `fixtures/` and compare
//! everything it prints, and every byte of the tree it leaves behind, with what is recorded.
//!
//! Layout of a case `fixtures/<case>/`:
//! - `input/`: the tree (a file named `_gitignore` is copied as `.gitignore`, so that the
//!   fixture's ignore rules do not apply to this repository itself);
//! - `commands.txt`: one command line per line, run in a fresh copy of `input/`;
//! - `expected.txt`: the transcript of those commands (exit code, stdout, stderr);
//! - `fix.txt` (optional): arguments for `fix`; `fixed/` is then the expected tree after
//!   `fix`, which must also be what `git apply` of the `diff` output produces (except for
//!   the files that `diff` reports as `not in the diff`, UTF-16 text, which must stay as in
//!   `input/`), and a second `fix` must change nothing.
//!
//! `BLESS=1 cargo test --test fixtures` rewrites `expected.txt` and `fixed/` from the actual
//! output; review the change with `git diff` before committing it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn bless() -> bool {
    std::env::var_os("BLESS").is_some()
}

/// Copy `src` into `dst`, renaming `_gitignore` to `.gitignore`.
fn copy_tree(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for entry in fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let target_name = if name == "_gitignore" {
            ".gitignore".into()
        } else {
            name
        };
        let target = dst.join(target_name);
        let ty = entry.file_type().unwrap();
        if ty.is_dir() {
            copy_tree(&entry.path(), &target);
        } else if ty.is_symlink() {
            let link = fs::read_link(entry.path()).unwrap();
            std::os::unix::fs::symlink(link, &target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every regular file under `root`, by relative path, with its bytes (`.gitignore` is
/// reported as `_gitignore`, as stored in fixtures).
fn read_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let ty = entry.file_type().unwrap();
            if ty.is_dir() {
                walk(root, &path, out);
            } else if ty.is_file() {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace(".gitignore", "_gitignore");
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn write_tree(root: &Path, tree: &BTreeMap<String, Vec<u8>>) {
    if root.exists() {
        fs::remove_dir_all(root).unwrap();
    }
    for (rel, bytes) in tree {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
}

struct Output {
    code: i32,
    stdout: String,
    /// Standard output as printed: a diff of a windows-1252 file is not UTF-8.
    stdout_bytes: Vec<u8>,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_bedrock-migrate"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stdout_bytes: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn args_of(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

/// Compare with the recorded text, or record it under BLESS.
fn check_text(path: &Path, actual: &str) {
    if bless() {
        fs::write(path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(path).unwrap_or_else(|_| {
        panic!(
            "{} is missing; run with BLESS=1 to record it",
            path.display()
        )
    });
    if expected != actual {
        let diff = similar::TextDiff::from_lines(&expected, actual)
            .unified_diff()
            .header("expected", "actual")
            .to_string();
        panic!("{} differs:\n{diff}", path.display());
    }
}

fn check_tree(expected_root: &Path, actual: &BTreeMap<String, Vec<u8>>, what: &str) {
    check_tree_except(expected_root, actual, what, &BTreeMap::new());
}

/// [`check_tree`], where the files of `instead` are expected to hold its bytes.
fn check_tree_except(
    expected_root: &Path,
    actual: &BTreeMap<String, Vec<u8>>,
    what: &str,
    instead: &BTreeMap<String, Vec<u8>>,
) {
    if bless() && what == "fix" {
        write_tree(expected_root, actual);
        return;
    }
    let mut expected = read_tree(expected_root);
    expected.extend(instead.clone());
    let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&expected), names(actual), "{what}: file sets differ");
    for (rel, bytes) in &expected {
        if &actual[rel] != bytes {
            panic!(
                "{what}: {rel} differs from {}:\n--- expected\n{}\n--- actual\n{}",
                expected_root.display(),
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&actual[rel])
            );
        }
    }
}

fn run_case(case: &Path) {
    let input = case.join("input");
    let mut transcript = String::new();
    if let Ok(commands) = fs::read_to_string(case.join("commands.txt")) {
        for line in commands.lines().filter(|l| !l.trim().is_empty()) {
            let work = tempfile::tempdir().unwrap();
            copy_tree(&input, work.path());
            let out = run(work.path(), &args_of(line));
            transcript.push_str(&format!(
                "$ bedrock-migrate {line}\nexit: {}\n--- stdout\n{}--- stderr\n{}\n",
                out.code, out.stdout, out.stderr
            ));
        }
        check_text(&case.join("expected.txt"), &transcript);
    }

    let Ok(fix_args) = fs::read_to_string(case.join("fix.txt")) else {
        return;
    };
    let fix_args = args_of(fix_args.trim());
    let work = tempfile::tempdir().unwrap();
    copy_tree(&input, work.path());
    let first = run(work.path(), &[&["fix"], fix_args.as_slice()].concat());
    assert_ne!(first.code, 2, "fix failed: {}", first.stderr);
    let fixed = read_tree(work.path());
    check_tree(&case.join("fixed"), &fixed, "fix");

    // Idempotent: a second fix changes nothing, and diff has nothing left to show.
    let second = run(work.path(), &[&["fix"], fix_args.as_slice()].concat());
    assert_ne!(second.code, 2, "second fix failed: {}", second.stderr);
    assert_eq!(
        read_tree(work.path()),
        fixed,
        "a second fix changed the tree"
    );
    let diff = run(work.path(), &[&["diff"], fix_args.as_slice()].concat());
    assert_eq!(
        (diff.code, diff.stdout.as_str()),
        (0, ""),
        "diff after fix is not empty"
    );

    // The diff of the untouched tree, applied with git, gives the same tree as fix.
    let work = tempfile::tempdir().unwrap();
    copy_tree(&input, work.path());
    let diff = run(work.path(), &[&["diff"], fix_args.as_slice()].concat());
    let patch = work.path().join("..").join(format!(
        "{}.patch",
        work.path().file_name().unwrap().to_string_lossy()
    ));
    fs::write(&patch, &diff.stdout_bytes).unwrap();
    if !diff.stdout.is_empty() {
        let applied = Command::new("git")
            .args(["apply", "--whitespace=nowarn"])
            .arg(&patch)
            .current_dir(work.path())
            .output()
            .expect("git is installed");
        assert!(
            applied.status.success(),
            "git apply failed: {}\n{}",
            String::from_utf8_lossy(&applied.stderr),
            diff.stdout
        );
    }
    fs::remove_file(&patch).unwrap();
    // Files that `diff` leaves out (UTF-16, which no text patch carries) stay as they were.
    let input_tree = read_tree(&input);
    let left_out: BTreeMap<String, Vec<u8>> = diff
        .stderr
        .lines()
        .filter_map(|l| {
            l.strip_prefix("warning: ")?
                .split_once(": not in the diff:")
        })
        .map(|(path, _)| (path.to_string(), input_tree[path].clone()))
        .collect();
    check_tree_except(
        &case.join("fixed"),
        &read_tree(work.path()),
        "git apply of diff",
        &left_out,
    );
}

macro_rules! fixture {
    ($name:ident) => {
        #[test]
        fn $name() {
            run_case(&fixtures_dir().join(stringify!($name).replace('_', "-")));
        }
    };
}

fixture!(python);
fixture!(typescript);
fixture!(encodings);
fixture!(rust);
fixture!(demo);
fixture!(rules);
fixture!(regressions);
fixture!(config);
fixture!(rules_import);
fixture!(notebook);
fixture!(markdown);
fixture!(shell);
fixture!(dockerfile);
fixture!(json);
fixture!(yaml);
fixture!(toml);
fixture!(ini);
fixture!(hcl);
fixture!(callsite_python);
fixture!(callsite_typescript);
fixture!(callsite_rust);
fixture!(reports);
fixture!(exclude);
fixture!(reference_shapes);
fixture!(migrate_by_default);
fixture!(config_discovery);
fixture!(snapshots);
fixture!(file_types);
fixture!(java);
fixture!(kotlin);
fixture!(csharp);
fixture!(go);
fixture!(php);
fixture!(ruby);
fixture!(swift);

#[test]
fn every_fixture_has_a_test() {
    let source = include_str!("fixtures.rs");
    for entry in fs::read_dir(fixtures_dir()).unwrap() {
        let name = entry
            .unwrap()
            .file_name()
            .to_string_lossy()
            .replace('-', "_");
        assert!(
            source.contains(&format!("fixture!({name});")),
            "fixtures/{name} has no fixture!({name}) line in tests/fixtures.rs"
        );
    }
}
