//! Writing files (issue 14, items 2, 3, 4 and 6, and the write half of 13): a full disk, a
//! kill in the middle of a write, an edit saved at the same moment, metadata beyond the
//! mode bits and symlinks out of the repository never cost a file or an edit; a fix that
//! cannot be written exits 2 and says "not written"; `check --fix` that rewrites exits 1.
//!
//! Faults are injected with `BEDROCK_MIGRATE_FAULT` and `BEDROCK_MIGRATE_BREAK_REWRITE_OF`,
//! which debug builds honour; the full disk is a real one (a small tmpfs) where the test may
//! mount one, and is skipped with a message where it may not.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

const OLD: &str = "m = \"us.anthropic.claude-3-5-sonnet-20240620-v1:0\"\n";
const NEW: &str = "m = \"us.anthropic.claude-sonnet-4-6\"\n";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bedrock-migrate"));
    command
        .args(args)
        .args(["--as-of", "2026-12-01", "--no-config"])
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .env_remove("BEDROCK_MIGRATE_FAULT")
        .env_remove("BEDROCK_MIGRATE_BREAK_REWRITE_OF");
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The temporary files and journals of this tool in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".bedrock-migrate-"))
        .collect();
    names.sort();
    names
}

fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path).unwrap()
}

/// Item 2: a hard-linked file is rewritten in place, so its other names see the new text,
/// and nothing is left beside it.
#[test]
fn hard_linked_files_are_rewritten_in_place_and_keep_sharing() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("src")).unwrap();
    fs::create_dir(dir.path().join("elsewhere")).unwrap();
    fs::write(dir.path().join("src/a.py"), OLD).unwrap();
    fs::hard_link(
        dir.path().join("src/a.py"),
        dir.path().join("elsewhere/b.py"),
    )
    .unwrap();
    let ino = fs::metadata(dir.path().join("src/a.py")).unwrap().ino();
    let r = run(dir.path(), &["fix", "src/a.py"], &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(read(dir.path().join("elsewhere/b.py")), NEW);
    assert_eq!(
        fs::metadata(dir.path().join("src/a.py")).unwrap().ino(),
        ino
    );
    assert!(leftovers(&dir.path().join("src")).is_empty());
    // Both names walked: the file is rewritten through one of them, and the other is
    // skipped with a warning (not "changed on disk").
    fs::write(dir.path().join("src/a.py"), OLD).unwrap();
    fs::hard_link(dir.path().join("src/a.py"), dir.path().join("src/c.py")).unwrap();
    for _ in 0..5 {
        fs::write(dir.path().join("src/a.py"), OLD).unwrap();
        let r = run(dir.path(), &["fix", "src"], &[]);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        assert!(
            r.stderr.contains("py: skipped: a hard link to src/"),
            "{}",
            r.stderr
        );
        assert_eq!(read(dir.path().join("src/c.py")), NEW);
    }
}

/// A tmpfs of `size` mounted on a new directory, unmounted when dropped; `None` (with a
/// message) where this process may not mount.
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output();
        match out {
            Ok(out) if out.status.success() => Some(Tmpfs(dir)),
            Ok(out) => {
                eprintln!(
                    "ENOSPC test on a real full disk skipped: cannot mount a tmpfs ({}); \
                     the simulated one in src/apply/write.rs still runs",
                    String::from_utf8_lossy(&out.stderr).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("ENOSPC test on a real full disk skipped: no `mount` ({e})");
                None
            }
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

/// Fill the file system holding `filler` up, then free `pages` pages of it.
fn fill_leaving(filler: &Path, pages: u64) {
    use std::io::Write;
    let _ = fs::remove_file(filler);
    let mut f = fs::File::create(filler).unwrap();
    let block = vec![0u8; 4096];
    let mut written = 0u64;
    while f.write_all(&block).is_ok() {
        written += 4096;
    }
    let _ = f.flush();
    drop(f);
    let f = fs::OpenOptions::new().write(true).open(filler).unwrap();
    f.set_len(written.saturating_sub(pages * 4096)).unwrap();
    f.sync_all().unwrap();
}

/// Item 2, the fault test: on a real full disk (a small tmpfs), with free space growing a
/// page at a time, `fix` of a hard-linked file (written in place) and of a plain one
/// (written through a temporary file) leaves each exactly its old or its new text, the
/// links shared, and no temporary file; it fails with "not written"-class errors (exit 2)
/// until there is room, then succeeds.
#[test]
fn enospc_on_a_full_tmpfs_leaves_each_file_old_or_new() {
    let Some(fs_) = Tmpfs::mount("512k") else {
        return;
    };
    let root = fs_.0.path();
    fs::create_dir(root.join("src")).unwrap();
    fs::create_dir(root.join("store")).unwrap();
    // About 16 KiB that grow by about 1 KiB (a review fix adds `us.` and a longer name).
    let mut old = String::new();
    for i in 0..100 {
        old.push_str(&format!("m{i:03} = \"anthropic.claude-v2\"\n"));
        old.push_str(&"# padding padding padding padding padding padding padding\n".repeat(2));
    }
    // One thread: with two, which file gets the last free pages first varies between runs,
    // and so would the outcome near the threshold.
    let args = [
        "fix",
        "--unsafe-fixes",
        "--profile-prefix",
        "us",
        "-j",
        "1",
        "src/linked.py",
        "src/plain.py",
    ];
    // The new text, from a run with room enough.
    let roomy = tempfile::tempdir().unwrap();
    fs::create_dir(roomy.path().join("src")).unwrap();
    for name in ["src/linked.py", "src/plain.py"] {
        fs::write(roomy.path().join(name), &old).unwrap();
    }
    assert_eq!(run(roomy.path(), &args, &[]).code, Some(0));
    let new = read(roomy.path().join("src/linked.py"));
    assert!(new.len() > old.len() + 1000);
    let linked = root.join("src/linked.py");
    let plain = root.join("src/plain.py");
    let filler = root.join("filler");
    let mut outcomes = Vec::new();
    for pages in 0..24 {
        let _ = fs::remove_file(&filler);
        fs::write(&linked, &old).unwrap();
        if !root.join("store/linked.py").exists() {
            fs::hard_link(&linked, root.join("store/linked.py")).unwrap();
        }
        fs::write(&plain, &old).unwrap();
        fill_leaving(&filler, pages);
        let r = run(root, &args, &[]);
        let (a, b) = (read(&linked), read(&plain));
        for (name, text) in [("linked", &a), ("plain", &b)] {
            assert!(
                *text == old || *text == new,
                "{pages} pages free: {name} is neither old nor new\n{}",
                r.stderr
            );
        }
        assert_eq!(read(root.join("store/linked.py")), a, "the link was broken");
        assert!(
            leftovers(&root.join("src")).is_empty(),
            "{pages} pages: {:?}",
            leftovers(&root.join("src"))
        );
        match r.code {
            Some(0) => assert!(a == new && b == new, "{pages} pages"),
            Some(2) => assert!(
                r.stderr.contains("No space left on device"),
                "{pages} pages: {}",
                r.stderr
            ),
            other => panic!("{pages} pages: exit {other:?}: {}", r.stderr),
        }
        outcomes.push((pages, r.code, a == new, b == new));
    }
    eprintln!("(pages free, exit, linked is new, plain is new): {outcomes:?}");
    assert!(outcomes.iter().any(|o| o.1 == Some(2)), "{outcomes:?}");
    assert!(outcomes.iter().any(|o| o.1 == Some(0)), "{outcomes:?}");
    // Once a run succeeded, more room never made one fail.
    let first_ok = outcomes.iter().position(|o| o.1 == Some(0)).unwrap();
    assert!(
        outcomes[first_ok..].iter().all(|o| o.1 == Some(0)),
        "{outcomes:?}"
    );
}

/// Item 2: `kill -9` in the middle of an in-place write leaves its journal; the next run
/// that writes there finishes the rewrite, so the file ends as its new text, whole.
#[test]
fn a_kill_during_an_in_place_write_is_finished_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    fs::create_dir(&src).unwrap();
    fs::write(src.join("a.py"), OLD.repeat(50)).unwrap();
    fs::hard_link(src.join("a.py"), dir.path().join("link.py")).unwrap();
    let r = run(
        dir.path(),
        &["fix", "src/a.py"],
        &[("BEDROCK_MIGRATE_FAULT", "abort mid-write a.py")],
    );
    assert_eq!(r.code, None, "killed by a signal: {}", r.stderr);
    let torn = read(src.join("a.py"));
    assert!(torn != OLD.repeat(50) && torn != NEW.repeat(50), "{torn}");
    let left = leftovers(&src);
    assert!(left.len() == 1 && left[0].ends_with(".journal"), "{left:?}");
    // A scan does not report the journal, even with hidden files.
    let r = run(dir.path(), &["scan", "--hidden", "src"], &[]);
    assert!(!r.stdout.contains(".bedrock-migrate-"), "{}", r.stdout);
    let r = run(dir.path(), &["fix", "src/a.py"], &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("finished a rewrite that an interrupted run had left half-written"),
        "{}",
        r.stderr
    );
    assert_eq!(read(src.join("a.py")), NEW.repeat(50));
    assert_eq!(read(dir.path().join("link.py")), NEW.repeat(50));
    assert!(leftovers(&src).is_empty());
}

/// Item 13: a temporary file left by a killed run is never reported as a project file, and
/// the next run that writes in its directory removes it.
#[test]
fn temp_files_of_a_killed_run_are_skipped_and_cleaned_up() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.py"), OLD).unwrap();
    let r = run(
        dir.path(),
        &["fix", "a.py"],
        &[("BEDROCK_MIGRATE_FAULT", "abort temp-written a.py")],
    );
    assert_eq!(r.code, None, "{}", r.stderr);
    assert_eq!(read(dir.path().join("a.py")), OLD);
    let left = leftovers(dir.path());
    assert!(left.len() == 1 && left[0].ends_with(".tmp"), "{left:?}");
    // It holds an active model's ID; with hidden files walked it is still not reported.
    let r = run(dir.path(), &["scan", "--hidden", "."], &[]);
    assert!(!r.stdout.contains(".bedrock-migrate-"), "{}", r.stdout);
    assert!(r.stdout.contains("a.py:1:6"), "{}", r.stdout);
    // Named, it is skipped with a warning.
    let r = run(dir.path(), &["scan", &left[0]], &[]);
    assert!(
        r.stderr
            .contains("skipped: a temporary file of bedrock-migrate"),
        "{}",
        r.stderr
    );
    let r = run(dir.path(), &["fix", "."], &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(read(dir.path().join("a.py")), NEW);
    assert!(leftovers(dir.path()).is_empty());
}

/// Item 3: an edit saved while the file is being written — before the last comparison, or
/// after it and right before the swap — is kept, and the run says "not written".
#[test]
fn race_window_an_edit_saved_during_the_write_is_not_lost() {
    for stage in ["before-check", "temp-written", "before-rename"] {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.py"), OLD).unwrap();
        let fault = format!("edit {stage} a.py");
        let r = run(
            dir.path(),
            &["fix", "a.py"],
            &[("BEDROCK_MIGRATE_FAULT", &fault)],
        );
        assert_eq!(r.code, Some(2), "{stage}: {}", r.stderr);
        assert!(
            r.stderr
                .contains("a.py: not written: the file changed on disk while it was being fixed"),
            "{stage}: {}",
            r.stderr
        );
        assert_eq!(
            read(dir.path().join("a.py")),
            format!("{OLD}# edited meanwhile\n"),
            "{stage}"
        );
        assert!(leftovers(dir.path()).is_empty(), "{stage}");
    }
}

/// A POSIX ACL giving user 4242 read access, in the kernel's `system.posix_acl_access`
/// format (version 2; entries of tag, permissions, id).
fn acl_blob() -> Vec<u8> {
    const UNDEFINED: u32 = u32::MAX;
    let mut out = 2u32.to_le_bytes().to_vec();
    for (tag, perm, id) in [
        (0x01u16, 6u16, UNDEFINED), // user::rw-
        (0x02, 4, 4242),            // user:4242:r--
        (0x04, 4, UNDEFINED),       // group::r--
        (0x10, 4, UNDEFINED),       // mask::r--
        (0x20, 4, UNDEFINED),       // other::r--
    ] {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&perm.to_le_bytes());
        out.extend_from_slice(&id.to_le_bytes());
    }
    out
}

/// Item 4: setuid and setgid bits, extended attributes and ACLs survive `fix`.
#[test]
fn permissions_setuid_xattrs_and_acls_survive_fix() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tool.py");
    fs::write(&path, OLD).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o6755)).unwrap();
    let user = xattr::set(&path, "user.origin", b"kept")
        .map_err(|e| eprintln!("user.* extended attributes not checked: {e}"))
        .is_ok();
    let acl = xattr::set(&path, "system.posix_acl_access", &acl_blob())
        .map_err(|e| eprintln!("ACLs not checked: the file system refuses them ({e})"))
        .is_ok();
    let before_mode = fs::metadata(&path).unwrap().mode() & 0o7777;
    let before_acl = xattr::get(&path, "system.posix_acl_access").unwrap();
    let r = run(dir.path(), &["fix", "tool.py"], &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(read(&path), NEW);
    assert_eq!(fs::metadata(&path).unwrap().mode() & 0o7777, before_mode);
    assert!(before_mode & 0o6000 == 0o6000, "{before_mode:o}");
    if user {
        assert_eq!(
            xattr::get(&path, "user.origin").unwrap().as_deref(),
            Some(&b"kept"[..])
        );
    }
    if acl {
        assert_eq!(
            xattr::get(&path, "system.posix_acl_access").unwrap(),
            before_acl
        );
    }
    assert!(leftovers(dir.path()).is_empty());
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git is installed")
        .status
        .success();
    assert!(ok, "git {args:?}");
}

/// Item 6: a symlink named on the command line (as a pre-commit hook names a staged one)
/// is not written through when it leads outside the repository: exit 2, "not written", the
/// file outside untouched. A symlink within the repository is followed and stays a link.
#[test]
fn a_symlink_out_of_the_repository_is_not_written() {
    let top = tempfile::tempdir().unwrap();
    let repo = top.path().join("repo");
    fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "--quiet"]);
    let outside = top.path().join("outside.py");
    fs::write(&outside, OLD).unwrap();
    std::os::unix::fs::symlink("../outside.py", repo.join("link.py")).unwrap();
    fs::write(repo.join("real.py"), OLD).unwrap();
    std::os::unix::fs::symlink("real.py", repo.join("inner.py")).unwrap();
    let r = run(&repo, &["check", "--fix", "link.py", "inner.py"], &[]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("link.py: not written: it is a symlink to")
            && r.stderr.contains("outside.py, outside the repository"),
        "{}",
        r.stderr
    );
    assert_eq!(read(&outside), OLD);
    assert_eq!(read(repo.join("real.py")), NEW);
    assert!(
        fs::symlink_metadata(repo.join("inner.py"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // Outside a repository, the directory named on the command line is the limit.
    let plain = top.path().join("plain");
    fs::create_dir_all(&plain).unwrap();
    std::os::unix::fs::symlink("../outside.py", plain.join("link.py")).unwrap();
    let r = run(top.path(), &["fix", "plain"], &[]);
    // (the walk does not follow symlinks: nothing to do)
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let r = run(&plain, &["fix", "link.py"], &[]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("not written: it is a symlink to"),
        "{}",
        r.stderr
    );
    assert_eq!(read(&outside), OLD);
}

/// A fix that cannot be written — a read-only file, a file changed on disk meanwhile, a
/// rewrite that would not parse — exits 2 with "not written", leaves that file as it was,
/// and still fixes the others.
#[test]
fn a_fix_that_cannot_be_written_exits_2_with_not_written() {
    type Setup = fn(&Path);
    type Env = &'static [(&'static str, &'static str)];
    let cases: [(&str, Setup, Env, &str); 3] = [
        (
            "read-only",
            |p| fs::set_permissions(p, fs::Permissions::from_mode(0o444)).unwrap(),
            &[],
            "bad.py: not written: the file is read-only",
        ),
        (
            "changed on disk",
            |_| {},
            &[("BEDROCK_MIGRATE_FAULT", "edit before-check bad.py")],
            "bad.py: not written: the file changed on disk while it was being fixed",
        ),
        (
            "would not parse",
            |_| {},
            &[("BEDROCK_MIGRATE_BREAK_REWRITE_OF", "bad.py")],
            "bad.py: not written: the rewrite would break the file",
        ),
    ];
    for (case, setup, env, message) in cases {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.py");
        fs::write(&bad, OLD).unwrap();
        fs::write(dir.path().join("good.py"), OLD).unwrap();
        setup(&bad);
        let before = read(&bad);
        let r = run(dir.path(), &["fix", "."], env);
        assert_eq!(r.code, Some(2), "{case}: {}", r.stderr);
        assert!(r.stderr.contains(message), "{case}: {}", r.stderr);
        if case == "changed on disk" {
            assert_eq!(
                read(&bad),
                format!("{before}# edited meanwhile\n"),
                "{case}"
            );
        } else {
            assert_eq!(read(&bad), before, "{case}");
        }
        assert_eq!(read(dir.path().join("good.py")), NEW, "{case}");
        assert!(leftovers(dir.path()).is_empty(), "{case}");
    }
}

/// `check --fix` that rewrites a file and leaves nothing failing exits 1 (the pre-commit
/// fix hook relies on it: the commit must stop so that the rewrite is staged); run again,
/// with nothing left to do, it exits 0.
#[test]
fn check_fix_that_rewrites_everything_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.py"), OLD).unwrap();
    let r = run(dir.path(), &["check", "--fix", "a.py"], &[]);
    assert_eq!(r.code, Some(1), "{}\n{}", r.stdout, r.stderr);
    assert_eq!(read(dir.path().join("a.py")), NEW);
    let r = run(dir.path(), &["check", "--fix", "a.py"], &[]);
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);
}

/// Item 13: the diff of files with a tab, a backslash, a double quote, a newline or a space
/// in their names, and of files with CR-only and CRLF line ends, is taken by `git apply`
/// and `patch -p1`, and applying it gives exactly what `fix` writes.
#[test]
fn diffs_of_odd_names_and_line_ends_apply_with_git_and_patch() {
    let top = tempfile::tempdir().unwrap();
    let repo = top.path().join("repo");
    fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "--quiet"]);
    let names = [
        "we\tird.py",
        "back\\slash.py",
        "quo\"te.py",
        "new\nline.py",
        "my app.py",
    ];
    for name in names {
        fs::write(repo.join(name), OLD).unwrap();
    }
    let cr = "a: 1\rmodel: anthropic.claude-3-5-sonnet-20240620-v1:0\rb: 2\r";
    fs::write(repo.join("cr.yaml"), cr).unwrap();
    let crlf = "a: 1\r\nmodel: anthropic.claude-3-5-sonnet-20240620-v1:0\r\nb: 2\r\n";
    fs::write(repo.join("crlf.yaml"), crlf).unwrap();
    let fixed = top.path().join("fixed");
    copy_dir(&repo, &fixed);
    let r = run(&repo, &["diff", "--unsafe-fixes", "."], &[]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let patch = r.stdout;
    assert!(patch.contains("--- \"a/we\\tird.py\"\n"), "{patch}");
    assert!(patch.contains("--- \"a/back\\\\slash.py\"\n"), "{patch}");
    assert!(patch.contains("--- \"a/new\\nline.py\"\n"), "{patch}");
    assert!(patch.contains("--- a/my app.py\t\n"), "{patch}");
    assert!(!patch.contains("back/slash"), "{patch}");
    let file = top.path().join("p.patch");
    fs::write(&file, &patch).unwrap();
    git(&repo, &["apply", "--check", file.to_str().unwrap()]);
    let out = Command::new("patch")
        .args(["-p1", "--dry-run", "-i"])
        .arg(&file)
        .current_dir(&repo)
        .output();
    match out {
        Ok(out) => assert!(
            out.status.success(),
            "patch -p1 --dry-run: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => eprintln!("patch -p1 not checked: GNU patch is not installed ({e})"),
    }
    git(&repo, &["apply", file.to_str().unwrap()]);
    let r = run(&fixed, &["fix", "--unsafe-fixes", "."], &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for name in names.iter().chain(&["cr.yaml", "crlf.yaml"]) {
        assert_eq!(
            fs::read(repo.join(name)).unwrap(),
            fs::read(fixed.join(name)).unwrap(),
            "{name:?}"
        );
    }
    assert!(read(repo.join("cr.yaml")).ends_with("b: 2\r"));
    // Other formats keep the backslash too.
    let r = run(&repo, &["scan", "--format", "json", "back\\slash.py"], &[]);
    assert!(r.stdout.contains("\"back\\\\slash.py\""), "{}", r.stdout);
}

fn copy_dir(from: &Path, to: &PathBuf) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}
