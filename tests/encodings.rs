//! Files that are not UTF-8, and files that cannot be read: a named file that cannot be
//! checked fails the run (exit 2) and is named; byte offsets in JSON and SARIF are offsets
//! in the file's own bytes whatever its encoding.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const ID: &str = "us.anthropic.claude-3-5-sonnet-20240620-v1:0";

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bedrock-migrate"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn a_named_file_that_cannot_be_read_fails_check_and_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("ok.py"), "x = 1\n").unwrap();
    // Bytes that no encoding explains (0x81 is undefined in windows-1252).
    let mut bad = b"# \x81\x40\n".to_vec();
    bad.extend(format!("M = '{ID}'\n").as_bytes());
    fs::write(d.join("bad.py"), bad).unwrap();
    let out = run(d, &["check", "--as-of", "2026-11-21", "ok.py", "bad.py"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: bad.py: cannot be read: neither UTF-8"),
        "{stderr}"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "1 file could not be read (see the messages above).\n"
    );
    // Walked rather than named, it is a warning, counted, and the run goes on.
    let out = run(d, &["check", "--as-of", "2026-11-21", "."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.starts_with("warning: bad.py: skipped: cannot be read:"),
        "{stderr}"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .ends_with("1 file could not be read (see the messages above).\n")
    );

    // Permission denied. Root reads anything, so as root the binary is run as `nobody`
    // (with setpriv, when there is one).
    use std::os::unix::fs::PermissionsExt;
    fs::write(d.join("locked.py"), format!("M = '{ID}'\n")).unwrap();
    fs::set_permissions(d.join("locked.py"), fs::Permissions::from_mode(0o000)).unwrap();
    let args = ["check", "--as-of", "2026-11-21", "-q", "locked.py"];
    let out = if is_root() {
        fs::set_permissions(d, fs::Permissions::from_mode(0o755)).unwrap();
        let as_nobody = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_bedrock-migrate"))
            .args(args)
            .current_dir(d)
            .output();
        match as_nobody {
            Ok(out) => out,
            Err(_) => {
                eprintln!("running as root without setpriv: permission denied is not checked");
                return;
            }
        }
    } else {
        run(d, &args)
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("locked.py"), "{stderr}");
    assert!(stderr.contains("ermission denied"), "{stderr}");
}

/// The bytes of `file` at the JSON finding's `range` are the reference, in the file's
/// encoding; so are those at the SARIF fix's `byteOffset`/`byteLength`.
#[test]
fn byte_offsets_are_offsets_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = format!("# naïve 🙂\r\ncafé = \"{ID}\"\r\n");
    fs::write(d.join("u16.py"), utf16le(&text)).unwrap();
    let mut latin = b"# caf\xE9 \x80\n".to_vec();
    latin.extend(format!("m = \"{ID}\"\n").as_bytes());
    fs::write(d.join("latin.py"), &latin).unwrap();

    let out = run(
        d,
        &["scan", "--as-of", "2026-11-21", "--format", "json", "."],
    );
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = findings.as_array().unwrap();
    assert_eq!(findings.len(), 2);
    for f in findings {
        let path = f["path"].as_str().unwrap();
        let bytes = fs::read(d.join(path)).unwrap();
        let (start, end) = (
            f["range"]["start"].as_u64().unwrap() as usize,
            f["range"]["end"].as_u64().unwrap() as usize,
        );
        let expected: Vec<u8> = if path == "u16.py" {
            utf16le(ID)[2..].to_vec()
        } else {
            ID.as_bytes().to_vec()
        };
        assert_eq!(&bytes[start..end], expected.as_slice(), "{path}");
        // Columns count characters of the decoded text.
        assert_eq!(f["line"], 2, "{path}");
        assert_eq!(f["column"], if path == "u16.py" { 9 } else { 6 }, "{path}");
        let edit = &f["fix"]["edits"][0]["range"];
        assert_eq!(edit["start"].as_u64().unwrap() as usize, start, "{path}");
    }

    let out = run(
        d,
        &["scan", "--as-of", "2026-11-21", "--format", "sarif", "."],
    );
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for r in results {
        let path = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        let bytes = fs::read(d.join(path)).unwrap();
        let region = &r["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"];
        let offset = region["byteOffset"].as_u64().unwrap() as usize;
        let length = region["byteLength"].as_u64().unwrap() as usize;
        let deleted = &bytes[offset..offset + length];
        let deleted = if path == "u16.py" {
            String::from_utf16(
                &deleted
                    .chunks(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .collect::<Vec<_>>(),
            )
            .unwrap()
        } else {
            String::from_utf8(deleted.to_vec()).unwrap()
        };
        assert!(
            ID.contains(&deleted) && !deleted.is_empty(),
            "{path}: {deleted}"
        );
    }
}
