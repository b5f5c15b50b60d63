//! `rules import`: compare saved AWS listings with the table and build an overlay from what
//! differs.
//!
//! Two kinds of file are read, both exactly as the AWS CLI prints them (`--output json`):
//!
//! - `aws bedrock list-foundation-models` → `{"modelSummaries": [FoundationModelSummary…]}`;
//! - `aws bedrock list-inference-profiles` → `{"inferenceProfileSummaries": [InferenceProfileSummary…]}`.
//!
//! The kind is decided by the top-level key. Unknown fields are ignored, so newer CLI output
//! still reads. Timestamps (`legacyTime`, `endOfLifeTime` …) are RFC 3339 strings
//! (`2025-01-21T00:00:00+00:00`, the AWS CLI v2 default) or seconds since 1970 (the wire
//! format, which the AWS CLI v1 prints); they are converted to UTC, then to a date, because
//! the CLI may print them in the local time zone while AWS publishes the dates at midnight UTC.
//!
//! Every observation holds in one Region: `--region` when given ([`ImportOptions::region`]),
//! else the Region of the summary's `modelArn` / `inferenceProfileArn`, else all Regions.
//! [`compare`] checks the observations against a loaded [`Rules`](super::Rules) as of a date
//! and returns a [`Comparison`]: the differences (new models, lifecycle dates, on-demand
//! availability, new profile prefixes), informational notes, warnings, and an overlay that
//! records the differences in the rules format ([`Comparison::overlay_toml`]). Nothing is
//! printed here.
//!
//! One file per step; this one holds the entry points and the types that cross between them:
//!
//! - `listings.rs` — [`read_listing`] / [`parse_listing`]: a file → a [`Listing`] of
//!   summaries (timestamps, ARN Regions); knows nothing of the table.
//! - `observe.rs` — [`Listing`]s → observations per model and Region, the geography prefixes
//!   of system-defined profiles, and warnings for entries that cannot be used.
//! - `diff.rs` — [`compare`]: observations against the table as of a date → [`Change`]s
//!   and the overlay entries that record them.
//! - `overlay.rs` — the overlay's TOML ([`Comparison::overlay_toml`]) and
//!   [`write_overlay`].

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;

mod diff;
mod listings;
mod observe;
mod overlay;
#[cfg(test)]
mod test_support;

pub use diff::compare;
pub use listings::{
    FoundationModelLifecycle, FoundationModelSummary, InferenceProfileModel,
    InferenceProfileSummary, Listing, ListingContent, parse_listing, parse_timestamp, read_listing,
    region_of_arn,
};
use overlay::OverlayModel;
pub use overlay::write_overlay;

/// A listing file that cannot be used, or an overlay that cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("{path}: cannot read")]
    Read {
        /// File name as given.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid JSON, or a field has the wrong type.
    #[error("{path}:{line}:{column}: {message}")]
    Json {
        /// File name as given.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What serde_json found wrong.
        message: String,
    },
    /// The file is JSON, but not the output of one of the two listing commands.
    #[error("{path}: {message}")]
    Shape {
        /// File name as given.
        path: String,
        /// What was found and what was expected.
        message: String,
    },
    /// The output file exists and overwriting was not asked for.
    #[error("{path} already exists; pass --force to overwrite it, or choose another --output")]
    OutputExists {
        /// The output file.
        path: String,
    },
    /// The overlay could not be written.
    #[error("{path}: cannot write the overlay")]
    Write {
        /// The output file.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// How to compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    /// Evaluate the table on this date.
    pub as_of: NaiveDate,
    /// The Region every listing comes from (overrides the Regions of the ARNs).
    pub region: Option<String>,
}

/// What kind of difference or note a [`Change`] is. The order is the output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// A model ID the table does not know.
    NewModel,
    /// Listed as LEGACY where the table has the model active, or with other dates.
    Lifecycle,
    /// On-demand availability differs from the table's.
    OnDemand,
    /// A system-defined profile with a geography prefix the table lacks for the model.
    ProfilePrefix,
    /// Note: listed as ACTIVE where the table has the model legacy or end of life (the
    /// listing may predate the table's dates; the table is not changed).
    ListedActive,
    /// Note: a table model that a foundation-model listing does not contain.
    NotListed,
}

impl ChangeKind {
    /// True for informational notes, which neither count as differences nor change the
    /// overlay.
    pub fn is_note(self) -> bool {
        matches!(self, ChangeKind::ListedActive | ChangeKind::NotListed)
    }

    /// Short name used in the summary line (singular).
    fn label(self) -> &'static str {
        match self {
            ChangeKind::NewModel => "new model",
            ChangeKind::Lifecycle => "lifecycle change",
            ChangeKind::OnDemand => "on-demand change",
            ChangeKind::ProfilePrefix => "new profile prefix",
            ChangeKind::ListedActive | ChangeKind::NotListed => "note",
        }
    }
}

/// One difference or note, rendered as one line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// What kind.
    pub kind: ChangeKind,
    /// The model ID concerned.
    pub model: String,
    /// The Region it holds in, when known.
    pub region: Option<String>,
    /// The line shown to the user (without a `note: ` prefix).
    pub message: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The result of [`compare`].
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// Differences then notes, sorted by kind, model and Region.
    pub changes: Vec<Change>,
    /// Entries that were skipped, with the reason (`FILE: skipped …`).
    pub warnings: Vec<String>,
    /// Per file, how many application inference profiles were skipped (they name no model).
    pub skipped_application_profiles: BTreeMap<String, usize>,
    /// Overlay entries by model ID.
    overlay: BTreeMap<String, OverlayModel>,
    /// Geography prefixes the overlay must declare.
    overlay_geo_prefixes: Vec<String>,
}

impl Comparison {
    /// The differences (no notes).
    pub fn differences(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| !c.kind.is_note())
    }

    /// The notes.
    pub fn notes(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.kind.is_note())
    }

    /// True when something differs from the table.
    pub fn has_differences(&self) -> bool {
        self.differences().next().is_some()
    }

    /// How many `[[model]]` entries the overlay has.
    pub fn overlay_len(&self) -> usize {
        self.overlay.len()
    }

    /// `4 differences from the table (1 new model, …); 2 notes`.
    pub fn summary(&self) -> String {
        let mut counts: BTreeMap<ChangeKind, usize> = BTreeMap::new();
        for c in self.differences() {
            *counts.entry(c.kind).or_default() += 1;
        }
        let total: usize = counts.values().sum();
        let mut out = if total == 0 {
            "no differences from the table".to_string()
        } else {
            let parts: Vec<String> = counts.iter().map(|(k, n)| plural(*n, k.label())).collect();
            format!(
                "{} from the table ({})",
                plural(total, "difference"),
                parts.join(", ")
            )
        };
        let notes = self.notes().count();
        if notes > 0 {
            out.push_str(&format!("; {}", plural(notes, "note")));
        }
        out
    }

    /// The overlay as TOML: `schema_version = 1`, the geography prefixes it introduces, and
    /// one `[[model]]` per model with differences, holding only the keys that change.
    /// `header` lines are written first as comments.
    pub fn overlay_toml(&self, header: &[String]) -> String {
        overlay::to_toml(&self.overlay_geo_prefixes, &self.overlay, header)
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
