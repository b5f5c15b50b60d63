//! `--format sarif` of the real binary, validated against the official SARIF 2.1.0 JSON
//! schema (vendored in `tests/data/`, see its README), with format checks on (`uri`,
//! `uri-reference`, …), and checked for what it says: rule IDs, levels, fixes, fingerprints.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn schema_validator() -> jsonschema::Validator {
    let text = include_str!("data/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(text).expect("the vendored schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the vendored schema compiles")
}

fn fixture_input() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/reports/input")
}

/// Run the binary in `dir`; return its exit code and the parsed SARIF log.
fn sarif(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_bedrock-migrate"))
        .args(args)
        .args(["--format", "sarif", "--no-config"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let log = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}\nstderr: {:?}", out.stderr));
    (out.status.code().unwrap_or(-1), log)
}

fn assert_valid(log: &Value) {
    let validator = schema_validator();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF log does not match the 2.1.0 schema:\n{}",
        errors.join("\n")
    );
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

/// `(ruleId, level, uri, startLine)` of every result.
fn summary(log: &Value) -> Vec<(String, String, String, u64)> {
    results(log)
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["level"].as_str().unwrap().to_string(),
                loc["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                loc["region"]["startLine"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn result_at<'a>(log: &'a Value, uri: &str, line: u64) -> &'a Value {
    results(log)
        .iter()
        .find(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            loc["artifactLocation"]["uri"] == uri && loc["region"]["startLine"] == line
        })
        .unwrap_or_else(|| panic!("no result at {uri}:{line}"))
}

fn inserted(result: &Value) -> Vec<&str> {
    result["fixes"]
        .as_array()
        .map(|fixes| {
            fixes
                .iter()
                .flat_map(|f| f["artifactChanges"].as_array().unwrap())
                .flat_map(|c| c["replacements"].as_array().unwrap())
                .map(|r| r["insertedContent"]["text"].as_str().unwrap())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn schema_rejects_a_broken_log() {
    // The validator is really at work: a wrong level, a helpUri that is no URI and a
    // property SARIF does not define all fail.
    let (_, mut log) = sarif(&fixture_input(), &["scan", "--as-of", "2026-11-21"]);
    assert_valid(&log);
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    log["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = "not a uri".into();
    log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startCol"] =
        3.into();
    let validator = schema_validator();
    assert_eq!(validator.iter_errors(&log).count(), 3);
}

#[test]
fn scan_of_the_fixture_tree() {
    let (code, log) = sarif(&fixture_input(), &["scan", "--as-of", "2026-11-21"]);
    assert_eq!(code, 1);
    assert_valid(&log);
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "bedrock-migrate");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rule_ids: Vec<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rule_ids, ["BMG001", "BMG002", "BMG003", "BMG004", "BMG005"]);

    let s = |rule: &str, level: &str, uri: &str, line: u64| {
        (rule.to_string(), level.to_string(), uri.to_string(), line)
    };
    // Active references (app/chat.py:12, web/src/bedrock.ts:6) are not results.
    assert_eq!(
        summary(&log),
        [
            s("BMG001", "error", "app/chat.py", 3),
            s("BMG001", "error", "app/chat.py", 8),
            s("BMG001", "error", "app/chat.py", 9),
            s("BMG002", "warning", "app/chat.py", 10),
            s("BMG003", "note", "app/chat.py", 11),
            s("BMG001", "error", "web/src/bedrock.ts", 3),
            s("BMG001", "error", "web/src/bedrock.ts", 4),
            s("BMG002", "warning", "web/src/bedrock.ts", 5),
        ]
    );
    for r in results(&log) {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(driver["rules"][index]["id"], r["ruleId"]);
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"],
            "%SRCROOT%"
        );
    }

    // Only safe fixes are proposed without --unsafe-fixes.
    let safe = result_at(&log, "app/chat.py", 8);
    assert_eq!(inserted(safe), ["us.anthropic.claude-sonnet-4-6"]);
    let deleted = &safe["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"];
    assert_eq!(
        (
            &deleted["startLine"],
            &deleted["startColumn"],
            &deleted["endColumn"]
        ),
        (&8.into(), &13.into(), &57.into())
    );
    assert_eq!(
        inserted(result_at(&log, "web/src/bedrock.ts", 4)),
        ["eu.anthropic.claude-sonnet-4-6"]
    );
    assert!(
        inserted(result_at(&log, "app/chat.py", 3)).is_empty(),
        "docstring: review"
    );
    assert!(
        inserted(result_at(&log, "app/chat.py", 9)).is_empty(),
        "nothing says where it runs: global., as review"
    );
    let legacy = result_at(&log, "app/chat.py", 10);
    assert_eq!(legacy["properties"]["eolDate"], "2027-04-08");
    assert_eq!(legacy["properties"]["state"], "legacy");

    // Fingerprints: present, distinct, and the same in a second run.
    let fingerprints: BTreeSet<String> = results(&log)
        .iter()
        .map(|r| r["partialFingerprints"]["bedrockMigrateReference/v1"].to_string())
        .collect();
    assert_eq!(fingerprints.len(), results(&log).len());
    let (_, again) = sarif(&fixture_input(), &["scan", "--as-of", "2026-11-21"]);
    assert_eq!(again, log);
}

#[test]
fn unsafe_fixes_and_profile_prefix_propose_more_fixes() {
    let (_, log) = sarif(
        &fixture_input(),
        &[
            "scan",
            "--as-of",
            "2026-11-21",
            "--profile-prefix",
            "us",
            "--unsafe-fixes",
        ],
    );
    assert_valid(&log);
    assert_eq!(
        inserted(result_at(&log, "web/src/bedrock.ts", 3)),
        ["us.amazon.nova-micro-v1:0"]
    );
    assert_eq!(
        inserted(result_at(&log, "app/chat.py", 9)),
        ["us.anthropic.claude-sonnet-4-6"]
    );
    let docstring = result_at(&log, "app/chat.py", 3);
    assert_eq!(docstring["properties"]["safety"], "review");
    assert_eq!(inserted(docstring), ["us.anthropic.claude-sonnet-4-6"]);
}

#[test]
fn eol_within_reports_active_models_as_eol_soon() {
    // On 2026-09-01 Claude Sonnet 4.5 is still active, with its end of life announced for
    // 2027-04-08: inside a 365-day window.
    let (code, log) = sarif(
        &fixture_input(),
        &[
            "check",
            "--as-of",
            "2026-09-01",
            "--eol-within",
            "365",
            "app/chat.py",
        ],
    );
    assert_eq!(code, 1);
    assert_valid(&log);
    let soon = result_at(&log, "app/chat.py", 10);
    assert_eq!(soon["ruleId"], "BMG004");
    assert_eq!(soon["ruleIndex"], 3);
    assert_eq!(soon["level"], "warning");
    assert_eq!(soon["properties"]["state"], "active");
}

#[test]
fn paths_that_need_encoding_stay_valid_uris() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("my app #1");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(
        sub.join("modèle 100%.py"),
        "M = 'us.anthropic.claude-3-5-sonnet-20240620-v1:0'\n",
    )
    .unwrap();
    let (code, log) = sarif(dir.path(), &["scan", "--as-of", "2026-11-21"]);
    assert_eq!(code, 1);
    assert_valid(&log);
    assert_eq!(
        results(&log)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "my%20app%20%231/mod%C3%A8le%20100%25.py"
    );

    // An absolute path on the command line becomes a file:// URI without a base.
    let absolute = sub.join("modèle 100%.py");
    let (_, log) = sarif(
        dir.path(),
        &["scan", "--as-of", "2026-11-21", absolute.to_str().unwrap()],
    );
    assert_valid(&log);
    let location = &results(&log)[0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert!(
        location["uri"].as_str().unwrap().starts_with("file:///"),
        "{location}"
    );
    assert!(location.get("uriBaseId").is_none());
}

#[test]
fn an_empty_run_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.py"),
        "M = 'global.anthropic.claude-sonnet-4-6'\n",
    )
    .unwrap();
    let (code, log) = sarif(dir.path(), &["scan", "--as-of", "2026-11-21"]);
    assert_eq!(code, 0);
    assert_valid(&log);
    assert_eq!(results(&log).len(), 0);
}

/// A known model in a Region that no lifecycle notice names is BMG005 (a warning), not an
/// end-of-life error; in a Region whose notice keeps it active it is not reported at all.
#[test]
fn a_region_no_notice_names_is_bmg005() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        "MODEL = \"anthropic.claude-3-haiku-20240307-v1:0\"\n",
    )
    .unwrap();
    let (code, log) = sarif(
        dir.path(),
        &["scan", "--as-of", "2026-12-01", "--region", "eu-south-1"],
    );
    assert_valid(&log);
    assert_eq!(code, 0, "an unknown state fails no --fail-on");
    assert_eq!(
        summary(&log),
        [("BMG005".into(), "warning".into(), "app.py".into(), 1)]
    );
    let text = results(&log)[0]["message"]["text"].as_str().unwrap();
    assert!(
        text.contains(
            "no lifecycle notice names eu-south-1; elsewhere end of life since 2026-09-10"
        ),
        "{text}"
    );
    let (code, log) = sarif(
        dir.path(),
        &["scan", "--as-of", "2026-12-01", "--region", "ca-central-1"],
    );
    assert_eq!(code, 0);
    assert!(results(&log).is_empty(), "{log:#}");
    let (code, log) = sarif(dir.path(), &["scan", "--as-of", "2026-12-01"]);
    assert_eq!(code, 1);
    assert_eq!(summary(&log)[0].0, "BMG001");
}
