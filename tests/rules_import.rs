//! `rules import --output`: the overlay it writes is recorded in
//! `fixtures/rules-import/expected-overlay.toml`, loads with `rules validate`, makes a second
//! import report no differences, and is never overwritten without `--force`.
//!
//! (`tests/fixtures.rs` runs every command line of a fixture in a fresh copy of its input, so
//! it cannot look at a file one command writes; this test can.)
//! `BLESS=1 cargo test --test rules_import` re-records the expected overlay.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const LISTINGS: [&str; 3] = [
    "fm-us-east-1.json",
    "ip-us-east-1.json",
    "ip-ap-south-1.json",
];

fn case_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules-import")
}

/// Run the binary in `dir`; (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bedrock-migrate"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn import_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["rules", "import"];
    args.extend(LISTINGS);
    args.extend(["--as-of", "2026-11-21"]);
    args.extend(extra);
    args
}

#[test]
fn written_overlay_validates_and_matches_the_record() {
    let work = tempfile::tempdir().unwrap();
    for name in LISTINGS {
        fs::copy(case_dir().join("input").join(name), work.path().join(name)).unwrap();
    }

    let (code, stdout, stderr) = run(work.path(), &import_args(&["--output", "overlay.toml"]));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("wrote overlay.toml (3 models)"), "{stderr}");
    let overlay = fs::read_to_string(work.path().join("overlay.toml")).unwrap();
    let expected_path = case_dir().join("expected-overlay.toml");
    if std::env::var_os("BLESS").is_some() {
        fs::write(&expected_path, &overlay).unwrap();
    }
    let expected = fs::read_to_string(&expected_path).unwrap_or_else(|_| {
        panic!(
            "{} is missing; run with BLESS=1 to record it",
            expected_path.display()
        )
    });
    assert_eq!(
        overlay,
        expected,
        "the written overlay differs from {}",
        expected_path.display()
    );

    // It loads on the embedded table alone.
    let (code, stdout, stderr) = run(work.path(), &["rules", "validate", "overlay.toml"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "ok: overlay.toml (241 models after layering on the embedded table)\n"
    );

    // With it layered on, the same listings show no differences (only the notes remain).
    let (code, stdout, stderr) = run(work.path(), &import_args(&["--rules", "overlay.toml"]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.ends_with("no differences from the table; 5 notes\n"),
        "{stdout}"
    );

    // And the rest of the tool sees the imported facts.
    fs::write(
        work.path().join("app.py"),
        "MODEL = 'us.anthropic.claude-opus-4-5-20251101-v1:0'\n",
    )
    .unwrap();
    let scan = [
        "scan",
        "--as-of",
        "2026-11-21",
        "--region",
        "us-east-1",
        "app.py",
    ];
    let (code, stdout, _) = run(work.path(), &scan);
    assert_eq!(code, 0, "{stdout}");
    let mut with_overlay = scan.to_vec();
    with_overlay.extend(["--rules", "overlay.toml"]);
    let (code, stdout, _) = run(work.path(), &with_overlay);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("legacy us.anthropic.claude-opus-4-5-20251101-v1:0"),
        "{stdout}"
    );
}

#[test]
fn existing_output_is_replaced_only_with_force() {
    let work = tempfile::tempdir().unwrap();
    for name in LISTINGS {
        fs::copy(case_dir().join("input").join(name), work.path().join(name)).unwrap();
    }
    let target = work.path().join("overlay.toml");
    fs::write(&target, "# mine\nschema_version = 1\n").unwrap();

    let (code, stdout, stderr) = run(work.path(), &import_args(&["--output", "overlay.toml"]));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert_eq!(
        stderr,
        "error: overlay.toml already exists; pass --force to overwrite it, or choose another --output\n"
    );
    assert_eq!(stdout, "");
    assert_eq!(
        fs::read_to_string(&target).unwrap(),
        "# mine\nschema_version = 1\n"
    );

    let (code, _, stderr) = run(
        work.path(),
        &import_args(&["--output", "overlay.toml", "--force"]),
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        fs::read_to_string(&target).unwrap(),
        fs::read_to_string(case_dir().join("expected-overlay.toml")).unwrap()
    );
    // Nothing but the inputs and the overlay: no temporary file left behind.
    assert_eq!(
        fs::read_dir(work.path()).unwrap().count(),
        LISTINGS.len() + 1
    );
}
