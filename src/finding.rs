//! Findings and fixes: the one data model that every output renders.
//!
//! As in ruff's `Diagnostic`/`Fix`/`Edit`, a [`Finding`] says what was found and why it
//! matters; its optional [`Fix`] is a list of byte [`Edit`]s with an explicit [`Safety`]. The
//! text report, JSON, the unified diff and the in-place write all read the same findings, so
//! no output re-derives what was found.

use std::ops::Range;

use chrono::NaiveDate;
use serde::Serialize;

use crate::extract::SpanContext;
use crate::rules::Provenance;

/// Whether a rewrite can be applied without a person looking at it (ruff's applicability).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    /// The replacement takes the same request and gives the same response for the way the
    /// literal is used. `fix` applies it.
    Safe,
    /// Anything else: a person has to check (and often change more than the ID). Applied
    /// only with `--unsafe-fixes`, and only when a fix exists at all.
    Review,
}

impl Safety {
    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Safety::Safe => "safe",
            Safety::Review => "review",
        }
    }
}

/// Where a reference stands, as reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingState {
    /// Known model, no retirement announced (or not yet reached).
    Active,
    /// Known model past its legacy date.
    Legacy,
    /// Known model past its end-of-life date: calls fail.
    Eol,
    /// Shaped like a Bedrock model ID but not in the table — or (with a model name) a known
    /// model in a Region that no lifecycle notice names.
    Unknown,
}

impl FindingState {
    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingState::Active => "active",
            FindingState::Legacy => "legacy",
            FindingState::Eol => "eol",
            FindingState::Unknown => "unknown",
        }
    }
}

/// Replace the bytes `range` of the file with `content`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// Byte range in the original file.
    pub range: Range<usize>,
    /// The new text.
    pub content: String,
}

impl Edit {
    /// Why this edit must not be applied to `source`, if it must not.
    ///
    /// An edit replaces a model ID with a model ID and nothing else, so its content must be
    /// made of the characters IDs are written with (letters, digits, `.`, `-`, `:`, `_`,
    /// and `%` for a URL-encoded `:`): anything else (a quote, a newline, a `$` from a
    /// hostile setting) could change the file's syntax or inject code. And it must not
    /// follow a backslash: in a string with escapes the backslash and the edit's first
    /// character are one escape sequence, so `"\anthropic.…"` (`\a` is BEL in Python)
    /// rewritten to `"\us.anthropic.…"` starts a `\u` escape and breaks the file — and
    /// the string never held the ID as written anyway. Parsers that accept any escape
    /// cannot catch this after the fact, so it is refused up front.
    pub fn problem(&self, source: &str) -> Option<EditProblem> {
        if source.get(self.range.clone()).is_none() {
            return Some(EditProblem::OutOfRange);
        }
        if let Some(c) = self.content.chars().find(|&c| !is_id_char(c)) {
            return Some(EditProblem::NotAnId(c));
        }
        if source.as_bytes()[..self.range.start].last() == Some(&b'\\') {
            return Some(EditProblem::AfterBackslash);
        }
        None
    }
}

/// Whether `c` can be part of a model ID as an edit writes it.
fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '_' | '%')
}

/// Why an [`Edit`] must not be applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EditProblem {
    /// The edit's range is not a character range of the file.
    #[error("the edit lies outside the file's text")]
    OutOfRange,
    /// The new text has a character no model ID has.
    #[error("the new text has {0:?}, which no model ID contains")]
    NotAnId(char),
    /// The reference follows a backslash.
    #[error(
        "it follows a backslash, so in a string with escapes the rewrite would change an escape sequence (`\\a…` would become `\\u…`)"
    )]
    AfterBackslash,
}

/// A rewrite and how safe it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// Non-overlapping edits.
    pub edits: Vec<Edit>,
    /// Whether `fix` applies it without `--unsafe-fixes`.
    pub safety: Safety,
}

/// The replacement chosen for a retired model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplacementInfo {
    /// The replacement's model ID.
    pub model_id: String,
    /// The text that would stand in the file (with the geo prefix and encoding), when the
    /// tool can write it.
    pub text: Option<String>,
    /// Who recommends it.
    pub provenance: Provenance,
    /// The replacement's own state on the as-of date.
    pub state: FindingState,
    /// The replacement's end-of-life date, if announced.
    pub eol_date: Option<NaiveDate>,
    /// The IDs passed through to get here (retired intermediate replacements).
    pub via: Vec<String>,
}

/// A source of the rules table that a finding cites: its short name and links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CitedSource {
    /// The short name the notes and the reason use ("AWS model lifecycle page, 2025-11").
    pub name: String,
    /// Its links (none when the table has no public URL for it).
    pub urls: Vec<String>,
}

/// The API call a reference reaches, when it is visible in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallSite {
    /// The API.
    pub api: crate::callsite::Api,
    /// 1-based line of the call.
    pub line: usize,
    /// 1-based column of the call.
    pub column: usize,
    /// The variable or constant the ID passed through, if any.
    pub via: Option<String>,
}

/// One model reference in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Byte range of the whole reference (ARN prefix included) in the file.
    pub range: Range<usize>,
    /// 1-based line of the reference's start.
    pub line: usize,
    /// 1-based column (in characters) of the reference's start.
    pub column: usize,
    /// 1-based line of the reference's end.
    pub end_line: usize,
    /// 1-based column just past the reference's end.
    pub end_column: usize,
    /// The reference as written.
    pub original: String,
    /// The model ID it names (decoded, without geo prefix or ARN).
    pub model_id: String,
    /// Human name of the model, when known.
    pub model_name: Option<String>,
    /// Geography prefix, if the reference is an inference profile.
    pub geo: Option<String>,
    /// Code, comment, docstring, prose or text.
    pub context: SpanContext,
    /// In a configuration file, the key, variable or attribute that holds the reference
    /// (`modelId`, `BEDROCK_MODEL_ID`): a hint about how it is used.
    pub key: Option<String>,
    /// The API call the reference reaches, when visible (the first, if several).
    pub call: Option<CallSite>,
    /// Lifecycle state on the as-of date.
    pub state: FindingState,
    /// The state in words, with its dates ("end of life since 2026-03-01").
    pub lifecycle: String,
    /// Legacy date that applies.
    pub legacy_date: Option<NaiveDate>,
    /// Extended-access date that applies.
    pub extended_access_date: Option<NaiveDate>,
    /// End-of-life date that applies.
    pub eol_date: Option<NaiveDate>,
    /// Regions that the lifecycle notices name where the model still answers (active or
    /// legacy), when no Region was evaluated or the evaluated one is not named.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub still_answers_in: Vec<String>,
    /// The chosen replacement, if any.
    pub replacement: Option<ReplacementInfo>,
    /// Which evidence chose the geography prefix of the replacement, when one is written:
    /// `eu. from region_name="eu-west-1" at 3:37`, `us. from AWS_REGION=us-east-1 in .env:2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_evidence: Option<String>,
    /// `None` for references that need nothing (active models); otherwise how a rewrite
    /// of this reference is classified, even when no automatic rewrite exists.
    pub safety: Option<Safety>,
    /// The rewrite, when the tool can write one.
    pub fix: Option<Fix>,
    /// Why the finding is classified as it is, and what to do.
    pub reason: String,
    /// Notes that travel with the model or its replacement (parameter changes, caveats).
    /// Sources the rules table cites are named by their short names, never by key.
    pub notes: Vec<String>,
    /// The sources of the rules table that the notes and the reason cite, each once.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<CitedSource>,
    /// True when this run wrote the fix to disk.
    pub applied: bool,
    /// True when the replacement needs a geography prefix and nothing in the file or the
    /// options said where the code runs: the repository's own files may
    /// ([`crate::region_evidence`]).
    #[serde(skip)]
    pub wants_region: bool,
}

impl Finding {
    /// True when the reference needs migrating (legacy or end-of-life).
    pub fn is_retired(&self) -> bool {
        matches!(self.state, FindingState::Legacy | FindingState::Eol)
    }

    /// Classify this reference, and its fix if any, as review: applied only with
    /// `--unsafe-fixes`. Callers set the reason.
    pub fn make_review(&mut self) {
        self.safety = Some(Safety::Review);
        if let Some(fix) = &mut self.fix {
            fix.safety = Safety::Review;
        }
    }

    /// Give this finding a new reason; the reason it had (if any) becomes its first note.
    pub fn set_reason(&mut self, reason: String) {
        let before = std::mem::replace(&mut self.reason, reason);
        if !before.is_empty() {
            self.notes.insert(0, before);
        }
    }

    /// Take the fix away: the reference is migrated by hand, for `reason` (see
    /// [`Finding::set_reason`]).
    pub fn drop_fix(&mut self, reason: String) {
        self.fix = None;
        self.safety = Some(Safety::Review);
        self.set_reason(reason);
    }

    /// The fix, if it may be applied under the given `--unsafe-fixes` setting.
    pub fn applicable_fix(&self, unsafe_fixes: bool) -> Option<&Fix> {
        self.fix
            .as_ref()
            .filter(|f| f.safety == Safety::Safe || unsafe_fixes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(range: Range<usize>, content: &str) -> Edit {
        Edit {
            range,
            content: content.to_owned(),
        }
    }

    #[test]
    fn an_edit_after_a_backslash_is_unsound() {
        let source = r#"x = "\anthropic.claude-v2""#;
        let start = source.find("anthropic").unwrap();
        let e = edit(start..start + 19, "us.anthropic.claude-v2");
        assert_eq!(e.problem(source), Some(EditProblem::AfterBackslash));
        let source = r#"x = "anthropic.claude-v2""#;
        let start = source.find("anthropic").unwrap();
        assert_eq!(edit(start..start + 19, "us.x").problem(source), None);
    }

    #[test]
    fn new_text_must_be_an_id() {
        let source = "m = 'anthropic.claude-v2'";
        let start = source.find("anthropic").unwrap();
        for (content, bad) in [
            ("us.x\\", '\\'),
            ("a'b", '\''),
            ("a\nb", '\n'),
            ("$(rm)", '$'),
        ] {
            assert_eq!(
                edit(start..start + 19, content).problem(source),
                Some(EditProblem::NotAnId(bad)),
                "{content:?}"
            );
        }
        assert_eq!(
            edit(
                start..start + 19,
                "anthropic.claude-3-5-sonnet-20240620-v1%3A0"
            )
            .problem(source),
            None
        );
    }

    #[test]
    fn an_edit_outside_the_text_is_unsound() {
        assert_eq!(
            edit(3..9, "x").problem("abc"),
            Some(EditProblem::OutOfRange)
        );
        assert_eq!(edit(0..1, "x").problem("é"), Some(EditProblem::OutOfRange));
    }
}
