//! Report: render findings. Every format reads the same [`FileReport`]s; none re-derives
//! what was found.
//!
//! `text` and `json` are for people and scripts; `sarif` (code scanning), `github` (workflow
//! annotations) and `markdown` (a pull-request body) are for CI and code review; `diff` is the
//! unified diff of the fixes.

use serde::Serialize;

use crate::extract::SyntaxError;
use crate::finding::{Finding, FindingState, Safety};

pub mod diff;
pub mod github;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;

/// The AWS page that lists every model's legacy and end-of-life dates and its recommended
/// replacement.
pub const AWS_LIFECYCLE_URL: &str =
    "https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle.html";

/// The AWS page that lists legacy models.
pub const AWS_LEGACY_URL: &str =
    "https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle-legacy.html";

/// The findings of one file, as reported.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The path as the user will recognise it (relative, `/`-separated, no leading `./`).
    pub path: String,
    /// Findings in file order.
    pub findings: Vec<Finding>,
    /// Set when the file did not parse (its findings are reported, never fixed).
    #[serde(skip)]
    pub syntax_error: Option<SyntaxError>,
    /// For a file not in UTF-8: how the findings' byte offsets (into its decoded text)
    /// translate into offsets in the file, for the formats that give bytes (JSON, SARIF).
    #[serde(skip)]
    pub byte_map: Option<crate::encoding::ByteMap>,
}

/// Counts over a whole run, for the closing summary line and exit codes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files with at least one reference.
    pub files: usize,
    /// All references.
    pub references: usize,
    /// References to end-of-life models.
    pub eol: usize,
    /// References to legacy models.
    pub legacy: usize,
    /// References to active models.
    pub active: usize,
    /// Unknown model IDs.
    pub unknown: usize,
    /// Fixes `fix` applies.
    pub safe_fixes: usize,
    /// Fixes that need `--unsafe-fixes`.
    pub review_fixes: usize,
    /// Retired references without any automatic fix.
    pub manual: usize,
    /// Of `manual`: references to models with no successor at all (a policy must choose).
    pub no_successor: usize,
    /// Fixes written in this run.
    pub applied: usize,
}

impl Summary {
    /// Count `files`.
    pub fn of(files: &[FileReport]) -> Summary {
        let mut s = Summary::default();
        for file in files {
            if !file.findings.is_empty() {
                s.files += 1;
            }
            for f in &file.findings {
                s.references += 1;
                match f.state {
                    FindingState::Eol => s.eol += 1,
                    FindingState::Legacy => s.legacy += 1,
                    FindingState::Active => s.active += 1,
                    FindingState::Unknown => s.unknown += 1,
                }
                if f.applied {
                    s.applied += 1;
                } else if f.is_retired() {
                    match f.fix.as_ref().map(|x| x.safety) {
                        Some(Safety::Safe) => s.safe_fixes += 1,
                        Some(Safety::Review) => s.review_fixes += 1,
                        None => {
                            s.manual += 1;
                            // No replacement and no suggestion left out by --official-only.
                            if f.replacement.is_none() && !f.reason.contains("; suggested: ") {
                                s.no_successor += 1;
                            }
                        }
                    }
                }
            }
        }
        s
    }
}

/// A model that a run migrates in some of its references in code and leaves in others: code
/// that compares old and new IDs (tests, fixtures, catalogs) may then disagree with itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartialModel {
    /// The retired model ID.
    pub model_id: String,
    /// References in code that were (or, without writes, would be) rewritten.
    pub migrated: usize,
    /// References in code to the same model that stay as they are.
    pub left: usize,
}

/// Every model whose references in code are partly migrated: rewritten (`applied`) or with
/// a fix that this run's `--unsafe-fixes` setting applies, beside others that are not.
/// Prose and comments do not count: they do not call the model.
pub fn partial_models(files: &[FileReport], unsafe_fixes: bool) -> Vec<PartialModel> {
    partial_models_of(files.iter().flat_map(|file| &file.findings), unsafe_fixes)
}

/// [`partial_models`] over any findings.
pub fn partial_models_of<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
    unsafe_fixes: bool,
) -> Vec<PartialModel> {
    let mut counts: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for f in findings {
        if !f.is_retired() || f.context != crate::extract::SpanContext::Code {
            continue;
        }
        let entry = counts.entry(f.model_id.as_str()).or_default();
        if f.applied || f.applicable_fix(unsafe_fixes).is_some() {
            entry.0 += 1;
        } else {
            entry.1 += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(_, (migrated, left))| *migrated > 0 && *left > 0)
        .map(|(model_id, (migrated, left))| PartialModel {
            model_id: model_id.to_string(),
            migrated,
            left,
        })
        .collect()
}

/// Make `path` read the way users typed it: no leading `./`. A `\` is part of a file name
/// on Unix (`a\b.py` is one file, not `a/b.py`) and is kept; only on Windows, where it
/// separates directories, is it shown as `/`.
pub fn display_path(path: &std::path::Path) -> String {
    let s = path.to_string_lossy();
    let s = if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    };
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}

/// `text` with every control character escaped as Rust writes it (`\u{1b}`, `\n`, `\t`),
/// for output meant for a terminal: an escape sequence in a file name, a key or a rules
/// note must not move the cursor, recolour the screen or set the window title.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The short name of a finding's state, as the text report writes it (`EOL`, `legacy`, …).
pub fn state_label(state: FindingState) -> &'static str {
    match state {
        FindingState::Eol => "EOL",
        FindingState::Legacy => "legacy",
        FindingState::Active => "active",
        FindingState::Unknown => "unknown",
    }
}

/// True when a finding names a known model in a Region that no lifecycle notice names
/// (rather than an ID the table does not know).
pub fn is_region_unknown(f: &Finding) -> bool {
    f.state == FindingState::Unknown && f.model_name.is_some()
}

/// A one-line title for a finding in CI outputs (an annotation's title, a SARIF rule). An
/// active reference reaches these outputs only when `--eol-within` makes it fail.
pub fn headline(f: &Finding) -> &'static str {
    match f.state {
        FindingState::Eol => "End-of-life Bedrock model",
        FindingState::Legacy => "Legacy Bedrock model",
        FindingState::Unknown if is_region_unknown(f) => {
            "Bedrock model of unknown lifecycle in this Region"
        }
        FindingState::Unknown => "Unknown Bedrock model ID",
        FindingState::Active => "Bedrock model near its end of life",
    }
}

/// How a finding's rewrite stands: `fixed`, `safe fix`, `review fix (--unsafe-fixes)` or
/// `no automatic fix` (the bracketed part of the text report).
pub fn fix_status(f: &Finding) -> &'static str {
    if f.applied {
        return "fixed";
    }
    match &f.fix {
        Some(fix) if fix.safety == Safety::Safe => "safe fix",
        Some(_) => "review fix (--unsafe-fixes)",
        None => "no automatic fix",
    }
}

/// The replacement as it would stand in the file (with geo prefix and encoding), or its
/// model ID when the tool cannot write it.
pub fn replacement_text(f: &Finding) -> Option<&str> {
    f.replacement
        .as_ref()
        .map(|r| r.text.as_deref().unwrap_or(&r.model_id))
}

/// Which evidence chose the replacement's geography prefix, when it is worth a line: a
/// prefix kept from the reference goes without saying (JSON still records it).
pub fn profile_line(f: &Finding) -> Option<&str> {
    f.profile_evidence
        .as_deref()
        .filter(|e| !e.ends_with("kept from the reference"))
}

/// A finding explained in plain-text lines, the same facts as the text report without its
/// `path:line:col:` prefix and colors: the reference and its state with dates, then
/// `replacement:`, `why:` and `note:` lines. Plain text: CI outputs escape it themselves.
pub fn explanation(f: &Finding) -> Vec<String> {
    let label = state_label(f.state);
    let mut head = format!("{label} {}", f.original);
    if let Some(n) = &f.model_name
        && n != &f.model_id
    {
        head.push_str(&format!(" ({n})"));
    }
    if let Some(key) = &f.key {
        head.push_str(&format!(" in `{key}`"));
    }
    if f.lifecycle != label {
        head.push_str(&format!(": {}", f.lifecycle));
    }
    let mut lines = vec![head];
    if f.state == FindingState::Active {
        return lines;
    }
    if let (Some(r), Some(shown)) = (&f.replacement, replacement_text(f)) {
        let via = if r.via.is_empty() {
            String::new()
        } else {
            format!(", via {}", r.via.join(" → "))
        };
        lines.push(format!(
            "replacement: {shown} ({}{via}) [{}]",
            r.provenance.as_str(),
            fix_status(f)
        ));
    }
    if let Some(evidence) = profile_line(f) {
        lines.push(format!("profile: {evidence}"));
    }
    if !f.reason.is_empty() {
        lines.push(format!("why: {}", f.reason));
    }
    if let Some(call) = &f.call {
        let via = call
            .via
            .as_deref()
            .map(|v| format!(" (through `{v}`)"))
            .unwrap_or_default();
        lines.push(format!(
            "used: {} at {}:{}{via}",
            call.api.name(),
            call.line,
            call.column
        ));
    }
    lines.extend(f.notes.iter().map(|n| format!("note: {n}")));
    lines
}
