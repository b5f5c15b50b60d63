//! No tracked file may name a path outside the repository: a sibling checkout
//! (`../` + `shared`) or the absolute directory the project was developed in (`/` + `work/`).
//! Such paths work on one machine only. `fixtures/` is exempt (test inputs may hold any
//! text). The forbidden strings are built from parts so that this file does not trip the test.

use std::path::Path;
use std::process::Command;

#[test]
fn no_tracked_file_names_a_path_outside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let listing = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["ls-files", "-z"])
        .output();
    let listing = match listing {
        Ok(out) if out.status.success() => out.stdout,
        _ => {
            println!(
                "skipped: {} is not a git checkout (or git is not installed)",
                root.display()
            );
            return;
        }
    };
    let forbidden = [["..", "/", "shared"].concat(), ["/", "work", "/"].concat()];
    let mut problems = Vec::new();
    for path in listing.split(|&b| b == 0).filter(|p| !p.is_empty()) {
        let path = String::from_utf8_lossy(path);
        if path.starts_with("fixtures/") {
            continue;
        }
        // A tracked file deleted in the working tree has nothing left to check.
        let Ok(bytes) = std::fs::read(root.join(path.as_ref())) else {
            continue;
        };
        for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
            for f in &forbidden {
                if line.windows(f.len()).any(|w| w == f.as_bytes()) {
                    problems.push(format!("{path}:{}: names `{f}`", n + 1));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "tracked files name paths outside the repository; use paths relative to the repository root or describe the input instead:\n  {}\n",
        problems.join("\n  ")
    );
}
