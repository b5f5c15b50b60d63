//! `--format sarif`: a SARIF 2.1.0 log for GitHub code scanning (`upload-sarif`) and other
//! SARIF viewers.
//!
//! One run with one result per reference that still needs attention: end-of-life, legacy
//! and unknown model IDs, and active models that fail because of `--eol-within`. Active
//! references that fail nothing are not results, and neither are references a `fix` run has
//! just rewritten (they are no longer in the tree).
//!
//! Positions: lines and columns are 1-based; columns count Unicode code points (characters,
//! as in the text report), which the run declares with `columnKind: "unicodeCodePoints"`;
//! `endColumn` is the column just past the reference. Positions are those of the files as
//! read, before any rewrite of the same run. A proposed fix also gives the byte range it
//! replaces (`byteOffset`/`byteLength`), which is exact whatever the column unit: offsets in
//! the file's own bytes, also for a file in UTF-16 or windows-1252, whose columns count the
//! characters of its decoded text.
//!
//! Every result has a `partialFingerprints` entry that does not move with line numbers: a
//! hash of the path, the model ID and which occurrence of that ID in the file it is, so code
//! scanning keeps tracking an alert when lines are inserted above it.
//!
//! The log is built from typed structs and serialised with `serde_json`, never by pasting
//! strings together.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use super::{FileReport, explanation};
use crate::encoding::ByteMap;
use crate::finding::{Edit, Finding, FindingState, Safety};

/// The `$schema` URI written into the log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF version written into the log.
pub const SARIF_VERSION: &str = "2.1.0";

/// The key of our entry in `partialFingerprints`. Bump the suffix if the hashed fields
/// change, so that consumers do not match old fingerprints against new ones.
pub const FINGERPRINT_KEY: &str = "bedrockMigrateReference/v1";

/// The `uriBaseId` of relative artifact locations: the directory the tool ran in, which
/// should be the repository root for code scanning.
pub const SRCROOT: &str = "%SRCROOT%";

/// A SARIF rule: one per kind of lifecycle problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable identifier (`BMG001`).
    pub id: &'static str,
    /// Readable name (`eol-model`).
    pub name: &'static str,
    /// One sentence.
    pub short: &'static str,
    /// What it means and what to do.
    pub full: &'static str,
    /// The README heading that documents it.
    pub anchor: &'static str,
    /// `error`, `warning` or `note`.
    pub level: &'static str,
    /// An AWS page to read when the tool has no repository URL to link its README.
    pub aws_help: &'static str,
}

/// The rules, in `tool.driver.rules` order (a result's `ruleIndex` points into this).
pub const RULES: [RuleInfo; 5] = [
    RuleInfo {
        id: "BMG001",
        name: "eol-model",
        short: "Reference to an end-of-life Amazon Bedrock model",
        full: "The model ID names a model past its end-of-life date: every call to it fails. \
               Rewrite it to its replacement (`bedrock-migrate fix` where the rewrite is safe; \
               review fixes need --unsafe-fixes; the rest by hand, as the result explains).",
        anchor: "bmg001-eol-model",
        level: "error",
        aws_help: super::AWS_LIFECYCLE_URL,
    },
    RuleInfo {
        id: "BMG002",
        name: "legacy-model",
        short: "Reference to a legacy Amazon Bedrock model",
        full: "The model is past its legacy date: calls still work (new accounts may be refused, \
               extended access may cost more) until its end-of-life date, when they fail. \
               Migrate before that date.",
        anchor: "bmg002-legacy-model",
        level: "warning",
        aws_help: super::AWS_LEGACY_URL,
    },
    RuleInfo {
        id: "BMG003",
        name: "unknown-model-id",
        short: "Unknown Amazon Bedrock model ID",
        full: "The string is shaped like a Bedrock model ID but is not in the lifecycle table: \
               a typo (the result names the closest known ID), a model newer than the table, \
               or one to add with a rules overlay (`bedrock-migrate rules import`).",
        anchor: "bmg003-unknown-model-id",
        level: "note",
        aws_help: "https://docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html",
    },
    RuleInfo {
        id: "BMG004",
        name: "eol-soon",
        short: "Amazon Bedrock model reaching its end of life soon",
        full: "The model is still active on the as-of date, but its announced end of life is \
               within the --eol-within window. Plan the migration.",
        anchor: "bmg004-eol-soon",
        level: "warning",
        aws_help: super::AWS_LIFECYCLE_URL,
    },
    RuleInfo {
        id: "BMG005",
        name: "region-unknown",
        short: "Amazon Bedrock model whose lifecycle in this Region is unknown",
        full: "The model is known, but no lifecycle notice names the Region the reference \
               runs in (--region, or the Region of its ARN): it may still answer there, or \
               never have been offered. The result says where it is retired and where it \
               still answers; check the model in that Region before relying on it.",
        anchor: "bmg005-region-unknown",
        level: "warning",
        aws_help: super::AWS_LIFECYCLE_URL,
    },
];

/// The index in [`RULES`] of the rule a finding belongs to.
pub fn rule_index(f: &Finding) -> usize {
    match f.state {
        FindingState::Eol => 0,
        FindingState::Legacy => 1,
        FindingState::Unknown if super::is_region_unknown(f) => 4,
        FindingState::Unknown => 2,
        FindingState::Active => 3,
    }
}

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct SarifOptions {
    /// Whether `--unsafe-fixes` is on: review fixes are then proposed as SARIF `fixes` too
    /// (safe fixes always are).
    pub unsafe_fixes: bool,
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<String>,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: MultiformatMessage,
    full_description: MultiformatMessage,
    help_uri: String,
    help: MultiformatMessage,
    default_configuration: ReportingConfiguration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct MultiformatMessage {
    text: String,
}

#[derive(Serialize)]
struct ReportingConfiguration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
    properties: ResultProperties,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_length: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Message,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: ArtifactContent,
}

#[derive(Serialize)]
struct ArtifactContent {
    text: String,
}

/// Everything a script may want that SARIF has no field for, in the result's property bag.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties {
    state: &'static str,
    model_id: String,
    original: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    model_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    safety: Option<Safety>,
    #[serde(skip_serializing_if = "Option::is_none")]
    replacement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    replacement_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provenance: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    profile_evidence: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    legacy_date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extended_access_date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    eol_date: Option<NaiveDate>,
    reason: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
}

/// The repository URL from `Cargo.toml` (`package.repository`), if one is set.
fn repository() -> Option<&'static str> {
    Some(env!("CARGO_PKG_REPOSITORY").trim_end_matches('/')).filter(|r| !r.is_empty())
}

/// Where a rule is documented: the README heading when the package names its repository,
/// else the AWS page about the lifecycle state.
pub fn help_uri(rule: &RuleInfo) -> String {
    match repository() {
        Some(repo) => format!("{repo}#{}", rule.anchor),
        None => rule.aws_help.to_string(),
    }
}

fn descriptor(rule: &RuleInfo) -> ReportingDescriptor {
    ReportingDescriptor {
        id: rule.id,
        name: rule.name,
        short_description: MultiformatMessage {
            text: rule.short.into(),
        },
        full_description: MultiformatMessage {
            text: rule.full.into(),
        },
        help_uri: help_uri(rule),
        help: MultiformatMessage {
            text: format!("{}. {}", rule.short, rule.full),
        },
        default_configuration: ReportingConfiguration { level: rule.level },
        properties: RuleProperties {
            tags: vec!["bedrock", "model-lifecycle"],
        },
    }
}

/// Percent-encode a displayed path into a URI reference: relative paths stay relative (to
/// `%SRCROOT%`), absolute ones become `file://` URIs. Unreserved characters and `/` are
/// kept; everything else (spaces, `%`, `#`, `?`, `:`, non-ASCII bytes) is encoded, so the
/// first segment of a relative path can never read as a URI scheme.
pub fn path_uri(path: &str) -> (String, Option<&'static str>) {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    if path.starts_with('/') {
        (format!("file://{out}"), None)
    } else {
        (out, Some(SRCROOT))
    }
}

/// FNV-1a (64 bits) over the parts, each followed by a NUL byte: stable across runs,
/// platforms and Rust versions, unlike `std`'s hasher.
fn fnv1a(parts: &[&str]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    hash
}

/// The fingerprint of the `occurrence`-th (0-based) reference to `model_id` in `path`.
pub fn fingerprint(path: &str, model_id: &str, occurrence: usize) -> String {
    format!("{:016x}", fnv1a(&[path, model_id, &occurrence.to_string()]))
}

/// Line and column of byte `offset`, which lies inside the finding's reference: counted on
/// from the reference's start through its text. `None` outside the reference.
fn position_in(f: &Finding, offset: usize) -> Option<(usize, usize)> {
    let within = f.original.get(..offset.checked_sub(f.range.start)?)?;
    let (mut line, mut column) = (f.line, f.column);
    for c in within.chars() {
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    Some((line, column))
}

/// The region an edit deletes. An edit lies inside its finding's reference (the planner
/// replaces the ID, or the ID with its prefix, within it); should one not, the whole
/// reference's lines and columns are given, with the edit's exact bytes.
fn edit_region(f: &Finding, edit: &Edit, map: Option<&ByteMap>) -> Region {
    let start = position_in(f, edit.range.start);
    let end = position_in(f, edit.range.end);
    let ((start_line, start_column), (end_line, end_column)) = match (start, end) {
        (Some(s), Some(e)) => (s, e),
        _ => ((f.line, f.column), (f.end_line, f.end_column)),
    };
    // Offsets in the file's own bytes, also for a file in another encoding than UTF-8.
    let bytes = map.map_or(edit.range.clone(), |map| map.file_range(&edit.range));
    Region {
        start_line,
        start_column,
        end_line,
        end_column,
        byte_offset: Some(bytes.start),
        byte_length: Some(bytes.len()),
    }
}

fn result(
    path: &str,
    f: &Finding,
    occurrence: usize,
    options: &SarifOptions,
    map: Option<&ByteMap>,
) -> SarifResult {
    let index = rule_index(f);
    let rule = &RULES[index];
    let (uri, uri_base_id) = path_uri(path);
    let artifact = ArtifactLocation { uri, uri_base_id };
    let fixes = f
        .applicable_fix(options.unsafe_fixes)
        .filter(|fix| !fix.edits.is_empty())
        .map(|fix| {
            let new = fix
                .edits
                .iter()
                .map(|e| e.content.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            SarifFix {
                description: Message {
                    text: format!(
                        "Replace {} with {new} ({} fix)",
                        f.original,
                        fix.safety.as_str()
                    ),
                },
                artifact_changes: vec![ArtifactChange {
                    artifact_location: artifact.clone(),
                    replacements: fix
                        .edits
                        .iter()
                        .map(|e| Replacement {
                            deleted_region: edit_region(f, e, map),
                            inserted_content: ArtifactContent {
                                text: e.content.clone(),
                            },
                        })
                        .collect(),
                }],
            }
        })
        .into_iter()
        .collect();
    let message = explanation(f).join("\n");
    SarifResult {
        rule_id: rule.id,
        rule_index: index,
        level: rule.level,
        message: Message { text: message },
        locations: vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: artifact,
                region: Region {
                    start_line: f.line,
                    start_column: f.column,
                    end_line: f.end_line,
                    end_column: f.end_column,
                    byte_offset: None,
                    byte_length: None,
                },
            },
        }],
        partial_fingerprints: BTreeMap::from([(
            FINGERPRINT_KEY,
            fingerprint(path, &f.model_id, occurrence),
        )]),
        fixes,
        properties: ResultProperties {
            state: f.state.as_str(),
            model_id: f.model_id.clone(),
            original: f.original.clone(),
            model_name: f.model_name.clone(),
            key: f.key.clone(),
            safety: f.safety,
            replacement: f.replacement.as_ref().map(|r| r.model_id.clone()),
            replacement_text: f.replacement.as_ref().and_then(|r| r.text.clone()),
            provenance: f.replacement.as_ref().map(|r| r.provenance.as_str()),
            profile_evidence: f.profile_evidence.clone(),
            legacy_date: f.legacy_date,
            extended_access_date: f.extended_access_date,
            eol_date: f.eol_date,
            reason: f.reason.clone(),
            notes: f.notes.clone(),
        },
    }
}

/// Render the findings that `keep` accepts as a SARIF 2.1.0 log (pretty JSON and a final
/// newline). Active references that `keep` lets through become `eol-soon` results; the
/// caller keeps out active references that fail nothing. Findings already fixed are left out.
pub fn render(
    files: &[FileReport],
    options: &SarifOptions,
    keep: impl Fn(&Finding) -> bool,
) -> String {
    let mut results = Vec::new();
    for file in files {
        // Occurrences count every reference of the file, reported or not, so that a
        // fingerprint does not depend on --fail-on or the command.
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for f in &file.findings {
            let n = seen.entry(f.model_id.as_str()).or_default();
            let occurrence = *n;
            *n += 1;
            if f.applied || !keep(f) {
                continue;
            }
            results.push(result(
                &file.path,
                f,
                occurrence,
                options,
                file.byte_map.as_ref(),
            ));
        }
    }
    let log = Log {
        schema: SCHEMA_URI,
        version: SARIF_VERSION,
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: env!("CARGO_PKG_NAME"),
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: repository().map(str::to_string),
                    rules: RULES.iter().map(descriptor).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut out = serde_json::to_string_pretty(&log).expect("a SARIF log always serialises");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Language;
    use crate::plan::{PlanOptions, plan_file};
    use crate::rules::{ResolveOptions, load_default};

    fn files(source: &str, path: &str) -> Vec<FileReport> {
        let rules = load_default().unwrap();
        let options = PlanOptions {
            // Official chains only: these tests are about rendering, and must not move
            // when the table's suggested successors change.
            resolve: ResolveOptions {
                as_of: "2026-11-21".parse().unwrap(),
                official_only: true,
                ..Default::default()
            },
            profile_prefix: Some("us".into()),
            ..Default::default()
        };
        let plan = plan_file(source, Language::Python, &rules, &options);
        vec![FileReport {
            path: path.into(),
            findings: plan.findings,
            syntax_error: None,
            byte_map: None,
        }]
    }

    fn log(files: &[FileReport], unsafe_fixes: bool) -> serde_json::Value {
        let out = render(files, &SarifOptions { unsafe_fixes }, |_| true);
        serde_json::from_str(&out).unwrap()
    }

    #[test]
    fn fingerprints_are_stable_and_do_not_use_lines() {
        let a = fingerprint("app/a.py", "anthropic.claude-v2", 0);
        assert_eq!(a, fingerprint("app/a.py", "anthropic.claude-v2", 0));
        assert_eq!(a.len(), 16);
        assert_ne!(a, fingerprint("app/a.py", "anthropic.claude-v2", 1));
        assert_ne!(a, fingerprint("app/b.py", "anthropic.claude-v2", 0));
        // Parts are separated: ("ab", "c") is not ("a", "bc").
        assert_ne!(fingerprint("ab", "c", 0), fingerprint("a", "bc", 0));
        // A line inserted above moves the reference but not its fingerprint.
        let id = "us.anthropic.claude-3-5-sonnet-20240620-v1:0";
        let before = log(&files(&format!("M = '{id}'\n"), "a.py"), false);
        let after = log(&files(&format!("import os\n\nM = '{id}'\n"), "a.py"), false);
        let fp = |l: &serde_json::Value| l["runs"][0]["results"][0]["partialFingerprints"].clone();
        assert_eq!(fp(&before), fp(&after));
        assert_eq!(
            after["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"],
            3
        );
    }

    #[test]
    fn repeated_ids_get_distinct_fingerprints() {
        let id = "us.anthropic.claude-3-5-sonnet-20240620-v1:0";
        let l = log(&files(&format!("A = '{id}'\nB = '{id}'\n"), "a.py"), false);
        let results = l["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 2);
        assert_ne!(
            results[0]["partialFingerprints"],
            results[1]["partialFingerprints"]
        );
    }

    #[test]
    fn levels_rules_and_fixes() {
        let source = "A = 'us.anthropic.claude-3-5-sonnet-20240620-v1:0'\n\
                      B = 'anthropic.claude-sonnet-4-5-20250929-v1:0'\n\
                      C = 'anthropic.claude-3-5-sonet-20240620-v1:0'\n\
                      D = 'global.anthropic.claude-sonnet-4-6'\n\
                      # E: us.anthropic.claude-3-5-sonnet-20240620-v1:0\n";
        let reports = files(source, "src/app.py");
        // The caller keeps active references out, as `scan` does.
        let out = render(&reports, &SarifOptions::default(), |f| {
            f.state != FindingState::Active
        });
        let l: serde_json::Value = serde_json::from_str(&out).unwrap();
        let results = l["runs"][0]["results"].as_array().unwrap();
        let summary: Vec<(String, String, bool)> = results
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_string(),
                    r["level"].as_str().unwrap().to_string(),
                    r.get("fixes").is_some(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("BMG001".into(), "error".into(), true),
                ("BMG002".into(), "warning".into(), false),
                ("BMG003".into(), "note".into(), false),
                // The comment's fix is review: not proposed without --unsafe-fixes.
                ("BMG001".into(), "error".into(), false),
            ]
        );
        let first = &results[0];
        assert_eq!(first["ruleIndex"], 0);
        assert_eq!(
            first["locations"][0]["physicalLocation"]["artifactLocation"],
            serde_json::json!({"uri": "src/app.py", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            first["locations"][0]["physicalLocation"]["region"],
            serde_json::json!({"startLine": 1, "startColumn": 6, "endLine": 1, "endColumn": 50})
        );
        let replacement = &first["fixes"][0]["artifactChanges"][0]["replacements"][0];
        assert_eq!(
            replacement["insertedContent"]["text"],
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
        );
        assert_eq!(
            replacement["deletedRegion"],
            serde_json::json!({"startLine": 1, "startColumn": 6, "endLine": 1, "endColumn": 50,
                               "byteOffset": 5, "byteLength": 44})
        );
        assert_eq!(first["properties"]["safety"], "safe");
        assert_eq!(first["properties"]["eolDate"], "2026-03-01");
        assert!(
            first["message"]["text"]
                .as_str()
                .unwrap()
                .starts_with("EOL us.anthropic.claude-3-5-sonnet-20240620-v1:0 (Claude 3.5 Sonnet (v1)): end of life since 2026-03-01\nreplacement: ")
        );

        // With --unsafe-fixes the comment's review fix is proposed too.
        let l = log(&reports, true);
        let comment = l["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"] == 5)
            .unwrap()
            .clone();
        assert_eq!(comment["properties"]["safety"], "review");
        assert!(comment.get("fixes").is_some());
    }

    #[test]
    fn driver_lists_every_rule_once() {
        let l = log(&[], false);
        let rules = l["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["BMG001", "BMG002", "BMG003", "BMG004", "BMG005"]);
        assert_eq!(l["version"], "2.1.0");
        assert_eq!(l["runs"][0]["columnKind"], "unicodeCodePoints");
        assert_eq!(l["runs"][0]["results"], serde_json::json!([]));
    }

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(path_uri("src/app.py"), ("src/app.py".into(), Some(SRCROOT)));
        assert_eq!(
            path_uri("my dir/a#1:b.py"),
            ("my%20dir/a%231%3Ab.py".into(), Some(SRCROOT))
        );
        assert_eq!(path_uri("é.py").0, "%C3%A9.py");
        assert_eq!(path_uri("/abs/x.py"), ("file:///abs/x.py".into(), None));
    }

    #[test]
    fn edit_positions_count_characters_and_lines() {
        // Columns count characters: the "é" before the reference is one column.
        let reports = files(
            "X = 'é'; A = 'us.anthropic.claude-3-5-sonnet-20240620-v1:0'\n",
            "a.py",
        );
        let f = &reports[0].findings[0];
        assert_eq!((f.line, f.column), (1, 15));
        let edit = &f.fix.as_ref().unwrap().edits[0];
        let region = edit_region(f, edit, None);
        assert_eq!((region.start_line, region.start_column), (1, 15));
        assert_eq!(region.end_column, 15 + 44);
        assert_eq!(region.byte_offset, Some(15));
        // A position in a multi-line reference moves to the next line after a newline.
        let mut multi = f.clone();
        multi.original = "ab\ncd".into();
        multi.range = 10..15;
        assert_eq!(position_in(&multi, 14), Some((2, 2)));
        assert_eq!(position_in(&multi, 9), None);
        assert_eq!(position_in(&multi, 16), None);
    }
}
