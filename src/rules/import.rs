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
//! [`compare`] checks the observations against a loaded [`Rules`] as of a date and returns a
//! [`Comparison`]: the differences (new models, lifecycle dates, on-demand availability, new
//! profile prefixes), informational notes, warnings, and an overlay that records the
//! differences in the rules format ([`Comparison::overlay_toml`]). Nothing is printed here.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::Write as _;
use std::path::Path;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use toml::value::{Date as TomlDate, Datetime};

use super::lifecycle::{self, Status};
use super::load::is_well_formed_id;
use super::{Endpoint, Kind, Lifecycle, Model, Rules, State};

/// What a listing file must look like, for error messages.
const EXPECTED: &str = "expected the JSON output of `aws bedrock list-foundation-models` (an object with `modelSummaries`) or of `aws bedrock list-inference-profiles` (an object with `inferenceProfileSummaries`)";

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

/// One `FoundationModelSummary` of `aws bedrock list-foundation-models`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FoundationModelSummary {
    /// The model ID (`anthropic.claude-sonnet-4-6`).
    pub model_id: String,
    /// `arn:aws:bedrock:REGION::foundation-model/ID`; its Region is where the listing was made.
    #[serde(default)]
    pub model_arn: Option<String>,
    /// Display name (`Claude Sonnet 4.6`).
    #[serde(default)]
    pub model_name: Option<String>,
    /// Provider display name (`Anthropic`); not used for the table's `provider`, which is the
    /// ID's first dotted part.
    #[serde(default)]
    pub provider_name: Option<String>,
    /// `ON_DEMAND`, `PROVISIONED`, `INFERENCE_PROFILE`; absent means unknown.
    #[serde(default)]
    pub inference_types_supported: Option<Vec<String>>,
    /// `TEXT`, `IMAGE`, `EMBEDDING` …
    #[serde(default)]
    pub output_modalities: Option<Vec<String>>,
    /// Lifecycle status and dates.
    #[serde(default)]
    pub model_lifecycle: Option<FoundationModelLifecycle>,
}

/// `FoundationModelLifecycle`: status plus optional timestamps, converted to UTC dates.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FoundationModelLifecycle {
    /// `ACTIVE` or `LEGACY`.
    pub status: String,
    /// Launch date.
    #[serde(default, deserialize_with = "timestamp")]
    pub start_of_life_time: Option<NaiveDate>,
    /// Legacy from this date.
    #[serde(default, deserialize_with = "timestamp")]
    pub legacy_time: Option<NaiveDate>,
    /// Public extended access (higher prices) from this date.
    #[serde(default, deserialize_with = "timestamp")]
    pub public_extended_access_time: Option<NaiveDate>,
    /// End of life from this date.
    #[serde(default, deserialize_with = "timestamp")]
    pub end_of_life_time: Option<NaiveDate>,
}

/// One `InferenceProfileSummary` of `aws bedrock list-inference-profiles`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InferenceProfileSummary {
    /// `us.anthropic.claude-sonnet-4-6` for a system-defined profile; an opaque ID for an
    /// application profile.
    pub inference_profile_id: String,
    /// The profile's ARN; its Region is where the listing was made.
    #[serde(default)]
    pub inference_profile_arn: Option<String>,
    /// Display name.
    #[serde(default)]
    pub inference_profile_name: Option<String>,
    /// `SYSTEM_DEFINED` (cross-Region profiles by AWS) or `APPLICATION` (made by a user).
    #[serde(rename = "type")]
    pub profile_type: String,
    /// The foundation models the profile routes to.
    #[serde(default)]
    pub models: Vec<InferenceProfileModel>,
}

/// One `InferenceProfileModel`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InferenceProfileModel {
    /// `arn:aws:bedrock:REGION::foundation-model/ID`.
    #[serde(default)]
    pub model_arn: Option<String>,
}

/// What a listing file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListingContent {
    /// Output of `aws bedrock list-foundation-models`.
    FoundationModels(Vec<FoundationModelSummary>),
    /// Output of `aws bedrock list-inference-profiles`.
    InferenceProfiles(Vec<InferenceProfileSummary>),
}

/// A parsed listing file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// File name as given, for messages.
    pub path: String,
    /// The summaries.
    pub content: ListingContent,
}

/// The top level of either listing; which key is present decides the kind.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    #[serde(default)]
    model_summaries: Option<Vec<FoundationModelSummary>>,
    #[serde(default)]
    inference_profile_summaries: Option<Vec<InferenceProfileSummary>>,
}

/// Read and parse a listing file.
pub fn read_listing(path: &Path) -> Result<Listing, ImportError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| ImportError::Read {
        path: name.clone(),
        source,
    })?;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ImportError::Shape {
            path: name,
            message: "the file is UTF-16 (PowerShell's `>` writes UTF-16); save it as UTF-8, e.g. `aws bedrock list-foundation-models | Out-File -Encoding utf8 fm.json`".into(),
        });
    }
    let text = String::from_utf8(bytes).map_err(|e| ImportError::Shape {
        path: name.clone(),
        message: format!(
            "not UTF-8 text (invalid byte at offset {}); {EXPECTED}",
            e.utf8_error().valid_up_to()
        ),
    })?;
    parse_listing(&text, &name)
}

/// Parse the text of a listing file; `path` names it in errors.
pub fn parse_listing(text: &str, path: &str) -> Result<Listing, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let shape = |message: String| ImportError::Shape {
        path: path.to_string(),
        message,
    };
    match text.trim_start().chars().next() {
        None => return Err(shape(format!("empty file; {EXPECTED}"))),
        Some('{') => {}
        Some(_) => {
            // Either not JSON at all (report where it breaks) or JSON of another shape.
            let value: serde_json::Value =
                serde_json::from_str(text).map_err(|e| json_error(path, &e))?;
            let found = match value {
                serde_json::Value::Array(_) => {
                    return Err(shape(format!(
                        "found a JSON array; {EXPECTED}; save the command's whole output, without `--query`"
                    )));
                }
                serde_json::Value::String(_) => "a JSON string",
                serde_json::Value::Number(_) => "a JSON number",
                serde_json::Value::Bool(_) => "a JSON boolean",
                serde_json::Value::Null => "JSON null",
                serde_json::Value::Object(_) => "a JSON object",
            };
            return Err(shape(format!("found {found}; {EXPECTED}")));
        }
    }
    let envelope: Envelope = serde_json::from_str(text).map_err(|e| {
        let mut error = json_error(path, &e);
        // `aws bedrock list-custom-models` also prints `modelSummaries`, without IDs.
        if let ImportError::Json { message, .. } = &mut error
            && message.starts_with("missing field `modelId`")
        {
            message.push_str(
                " (the output of `aws bedrock list-custom-models`? custom models have no model ID to import)",
            );
        }
        error
    })?;
    let content = match (
        envelope.model_summaries,
        envelope.inference_profile_summaries,
    ) {
        (Some(models), None) => ListingContent::FoundationModels(models),
        (None, Some(profiles)) => ListingContent::InferenceProfiles(profiles),
        (Some(_), Some(_)) => {
            return Err(shape(
                "has both `modelSummaries` and `inferenceProfileSummaries`; save the output of each command to its own file".into(),
            ));
        }
        (None, None) => {
            let keys: Vec<String> =
                serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text)
                    .map(|m| m.keys().map(|k| format!("`{k}`")).collect())
                    .unwrap_or_default();
            let found = if keys.is_empty() {
                "an empty object".to_string()
            } else {
                format!("an object with {}", keys.join(", "))
            };
            return Err(shape(format!("found {found}; {EXPECTED}")));
        }
    };
    Ok(Listing {
        path: path.to_string(),
        content,
    })
}

fn json_error(path: &str, e: &serde_json::Error) -> ImportError {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    ImportError::Json {
        path: path.to_string(),
        line: e.line(),
        column: e.column(),
        message: full.strip_suffix(&suffix).unwrap_or(&full).to_string(),
    }
}

/// The UTC date of a timestamp as the AWS CLI prints it: RFC 3339
/// (`2025-01-21T00:00:00+00:00`, `2025-01-21T00:00:00Z`) or a plain `2025-01-21`.
pub fn parse_timestamp(text: &str) -> Result<NaiveDate, String> {
    let date = match DateTime::parse_from_rfc3339(text) {
        Ok(t) => t.with_timezone(&Utc).date_naive(),
        Err(_) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            format!(
                "invalid timestamp `{text}`: expected RFC 3339 such as 2025-01-21T00:00:00+00:00"
            )
        })?,
    };
    check_year(date).map_err(|e| format!("timestamp `{text}`: {e}"))
}

/// The UTC date of a timestamp in seconds since 1970 (the API's wire format).
fn date_of_epoch(seconds: f64) -> Result<NaiveDate, String> {
    let date = (seconds.is_finite() && seconds.abs() < 1e12)
        .then(|| DateTime::from_timestamp(seconds.floor() as i64, 0))
        .flatten()
        .map(|t| t.date_naive())
        .ok_or_else(|| format!("timestamp {seconds} is out of range"))?;
    check_year(date).map_err(|e| format!("timestamp {seconds}: {e}"))
}

/// Dates must fit a TOML date (four-digit year).
fn check_year(date: NaiveDate) -> Result<NaiveDate, String> {
    if (1..=9999).contains(&date.year()) {
        Ok(date)
    } else {
        Err(format!("year {} is out of range", date.year()))
    }
}

/// serde helper: an optional timestamp (RFC 3339 string or epoch seconds) as a UTC date.
fn timestamp<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    struct TimestampVisitor;
    impl<'de> Visitor<'de> for TimestampVisitor {
        type Value = Option<NaiveDate>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(
                "an RFC 3339 timestamp such as 2025-01-21T00:00:00+00:00, or seconds since 1970",
            )
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            parse_timestamp(v).map(Some).map_err(E::custom)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            date_of_epoch(v as f64).map(Some).map_err(E::custom)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            date_of_epoch(v as f64).map(Some).map_err(E::custom)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            date_of_epoch(v).map(Some).map_err(E::custom)
        }
    }
    deserializer.deserialize_option(TimestampVisitor)
}

/// The Region of an ARN (`arn:aws:bedrock:us-east-1::foundation-model/…` → `us-east-1`), if it
/// names one.
pub fn region_of_arn(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let _partition = parts.next()?;
    let _service = parts.next()?;
    let region = parts.next()?;
    parts.next()?;
    lifecycle::is_region_name(region).then_some(region)
}

/// The model ID at the end of a foundation-model ARN.
fn model_of_arn(arn: &str) -> Option<&str> {
    arn.split_once(":foundation-model/").map(|(_, id)| id)
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
        let file = OverlayFile {
            schema_version: 1,
            geo_prefixes: self.overlay_geo_prefixes.clone(),
            model: self.overlay.values().cloned().collect(),
        };
        let body = toml::to_string(&file).expect("the overlay types always serialize");
        let mut out = String::new();
        for line in header {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
        if !header.is_empty() {
            out.push('\n');
        }
        out.push_str(&body);
        out
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The overlay file (serialized with the `toml` crate).
#[derive(Debug, Clone, Serialize)]
struct OverlayFile {
    schema_version: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    geo_prefixes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    model: Vec<OverlayModel>,
}

/// One `[[model]]` of the overlay: only the keys that change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
struct OverlayModel {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<Kind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    on_demand: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    on_demand_regions: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    profiles: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lifecycle: Option<Vec<OverlayLifecycle>>,
}

impl OverlayModel {
    /// True when the entry writes a key besides `id`.
    fn changes_something(&self) -> bool {
        *self
            != OverlayModel {
                id: self.id.clone(),
                ..OverlayModel::default()
            }
    }
}

/// One `[[model.lifecycle]]` of the overlay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct OverlayLifecycle {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    regions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    legacy: Option<Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extended_access: Option<Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    eol: Option<Datetime>,
}

fn toml_date(d: NaiveDate) -> Datetime {
    // Years were checked to be 1..=9999 when parsed, and month/day always fit.
    Datetime {
        date: Some(TomlDate {
            year: u16::try_from(d.year()).unwrap_or_default(),
            month: d.month() as u8,
            day: d.day() as u8,
        }),
        time: None,
        offset: None,
    }
}

impl From<&Lifecycle> for OverlayLifecycle {
    fn from(g: &Lifecycle) -> Self {
        OverlayLifecycle {
            regions: g.regions.clone(),
            legacy: g.legacy.map(toml_date),
            extended_access: g.extended_access.map(toml_date),
            eol: g.eol.map(toml_date),
        }
    }
}

/// Legacy, extended-access and end-of-life dates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Dates {
    legacy: Option<NaiveDate>,
    extended_access: Option<NaiveDate>,
    eol: Option<NaiveDate>,
}

impl Dates {
    fn of_status(s: &Status) -> Dates {
        Dates {
            legacy: s.legacy_date,
            extended_access: s.extended_access_date,
            eol: s.eol_date,
        }
    }

    fn is_empty(&self) -> bool {
        self.legacy.is_none() && self.extended_access.is_none() && self.eol.is_none()
    }

    /// legacy ≤ extended access ≤ EOL among the dates present (what the loader requires).
    fn in_order(&self) -> bool {
        let present: Vec<NaiveDate> = [self.legacy, self.extended_access, self.eol]
            .into_iter()
            .flatten()
            .collect();
        present.windows(2).all(|w| w[0] <= w[1])
    }

    /// True when a date given here differs from the same kind of date in `table`.
    fn differs_from(&self, table: &Dates) -> bool {
        let differs = |a: Option<NaiveDate>, b: Option<NaiveDate>| a.is_some() && a != b;
        differs(self.legacy, table.legacy)
            || differs(self.extended_access, table.extended_access)
            || differs(self.eol, table.eol)
    }

    /// `legacy 2026-10-08, extended access 2027-01-08, EOL 2027-04-08`.
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(d) = self.legacy {
            parts.push(format!("legacy {d}"));
        }
        if let Some(d) = self.extended_access {
            parts.push(format!("extended access {d}"));
        }
        if let Some(d) = self.eol {
            parts.push(format!("EOL {d}"));
        }
        parts.join(", ")
    }

    fn group(&self, regions: Vec<String>) -> Lifecycle {
        Lifecycle {
            regions,
            legacy: self.legacy,
            extended_access: self.extended_access,
            eol: self.eol,
        }
    }
}

/// The lifecycle status a listing gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ApiStatus {
    Active,
    Legacy,
}

/// How a listing says a model can be invoked (`inferenceTypesSupported`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Access {
    OnDemand,
    ProfileOnly,
    ProvisionedOnly,
    Neither,
}

impl Access {
    fn of(types: &[String]) -> Access {
        let has = |t: &str| types.iter().any(|x| x == t);
        if has("ON_DEMAND") {
            Access::OnDemand
        } else if has("INFERENCE_PROFILE") {
            Access::ProfileOnly
        } else if has("PROVISIONED") {
            Access::ProvisionedOnly
        } else {
            Access::Neither
        }
    }

    fn on_demand(self) -> bool {
        self == Access::OnDemand
    }

    fn describe(self) -> &'static str {
        match self {
            Access::OnDemand => "on demand",
            Access::ProfileOnly => "inference profile only",
            Access::ProvisionedOnly => "provisioned throughput only",
            Access::Neither => "not on demand",
        }
    }
}

/// One foundation model as one listing shows it in one Region.
#[derive(Debug, Clone)]
struct Observed {
    id: String,
    region: Option<String>,
    name: Option<String>,
    status: Option<ApiStatus>,
    dates: Dates,
    access: Option<Access>,
    kind: Option<Kind>,
}

/// The foundation-model listings of one Region, for "not listed" notes.
#[derive(Debug, Default)]
struct RegionListing {
    files: Vec<String>,
    ids: BTreeSet<String>,
    providers: BTreeSet<String>,
}

/// Everything gathered from the listings before comparing.
#[derive(Default)]
struct Gathered {
    /// By (model ID, Region); a later listing of the same model and Region wins.
    models: BTreeMap<(String, Option<String>), Observed>,
    /// Foundation-model listings by Region.
    listed: BTreeMap<Option<String>, RegionListing>,
    /// Base model ID → geography prefixes of its system-defined profiles.
    profiles: BTreeMap<String, BTreeSet<String>>,
    warnings: Vec<String>,
    skipped_application_profiles: BTreeMap<String, usize>,
}

/// Compare the listings with `rules` as of `options.as_of`.
pub fn compare(rules: &Rules, listings: &[Listing], options: &ImportOptions) -> Comparison {
    let mut g = Gathered::default();
    for listing in listings {
        match &listing.content {
            ListingContent::FoundationModels(list) => {
                gather_models(&mut g, &listing.path, list, options);
            }
            ListingContent::InferenceProfiles(list) => {
                gather_profiles(&mut g, rules, &listing.path, list);
            }
        }
    }

    let mut changes = Vec::new();
    let mut overlay: BTreeMap<String, OverlayModel> = BTreeMap::new();

    // Observations per model, in Region order (no Region first).
    let mut by_model: BTreeMap<&str, Vec<&Observed>> = BTreeMap::new();
    for obs in g.models.values() {
        by_model.entry(obs.id.as_str()).or_default().push(obs);
    }
    let mut new_ids: BTreeSet<&str> = by_model
        .keys()
        .copied()
        .filter(|id| rules.get(id).is_none())
        .collect();
    new_ids.extend(
        g.profiles
            .keys()
            .map(String::as_str)
            .filter(|id| rules.get(id).is_none()),
    );

    for id in &new_ids {
        let observed = by_model.get(id).map(Vec::as_slice).unwrap_or_default();
        let geos = g.profiles.get(*id).cloned().unwrap_or_default();
        let (change, entry) = new_model(rules, id, observed, &geos);
        changes.push(change);
        overlay.insert(id.to_string(), entry);
    }

    for (id, observed) in &by_model {
        let Some(model) = rules.get(id) else { continue };
        let mut entry = OverlayModel {
            id: id.to_string(),
            ..OverlayModel::default()
        };
        compare_lifecycle(model, observed, options.as_of, &mut changes, &mut entry);
        compare_on_demand(model, observed, &mut changes, &mut entry);
        if entry.changes_something() {
            overlay.insert(id.to_string(), entry);
        }
    }

    for (id, geos) in &g.profiles {
        let Some(model) = rules.get(id) else { continue };
        let missing: Vec<&String> = geos.iter().filter(|geo| !model.has_profile(geo)).collect();
        if missing.is_empty() {
            continue;
        }
        for geo in &missing {
            let unknown = if rules.geo_prefixes().contains(geo) {
                ""
            } else {
                " (a geography prefix the table does not know)"
            };
            changes.push(Change {
                kind: ChangeKind::ProfilePrefix,
                model: id.clone(),
                region: None,
                message: format!("new profile prefix: {id} {geo}.{unknown}"),
            });
        }
        let mut profiles = model.profiles.clone();
        profiles.extend(missing.into_iter().cloned());
        overlay
            .entry(id.clone())
            .or_insert_with(|| OverlayModel {
                id: id.clone(),
                ..OverlayModel::default()
            })
            .profiles = Some(profiles);
    }

    not_listed(rules, &g.listed, options.as_of, &mut changes);
    changes.sort();

    let overlay_geo_prefixes = geo_prefixes_to_declare(rules, &overlay);
    Comparison {
        changes,
        warnings: g.warnings,
        skipped_application_profiles: g.skipped_application_profiles,
        overlay,
        overlay_geo_prefixes,
    }
}

fn gather_models(
    g: &mut Gathered,
    path: &str,
    list: &[FoundationModelSummary],
    options: &ImportOptions,
) {
    let arn_regions: BTreeSet<&str> = list
        .iter()
        .filter_map(|s| s.model_arn.as_deref().and_then(region_of_arn))
        .collect();
    // The Region of the whole file, for "not listed" notes: every ARN must agree.
    let file_region = match (&options.region, arn_regions.len()) {
        (Some(r), _) => Some(r.clone()),
        (None, 1) => arn_regions.first().map(|r| r.to_string()),
        _ => None,
    };
    let listed = g.listed.entry(file_region).or_default();
    if !listed.files.iter().any(|f| f == path) {
        listed.files.push(path.to_string());
    }
    for s in list {
        let id = s.model_id.as_str();
        if !is_well_formed_id(id) {
            g.warnings.push(format!(
                "{path}: skipped model ID `{id}`: not a well-formed Bedrock model ID"
            ));
            continue;
        }
        listed.ids.insert(id.to_string());
        if let Some((provider, _)) = id.split_once('.') {
            listed.providers.insert(provider.to_string());
        }
        let region = options.region.clone().or_else(|| {
            s.model_arn
                .as_deref()
                .and_then(region_of_arn)
                .map(str::to_string)
        });
        let mut status = None;
        let mut dates = Dates::default();
        if let Some(l) = &s.model_lifecycle {
            status = match l.status.as_str() {
                "ACTIVE" => Some(ApiStatus::Active),
                "LEGACY" => Some(ApiStatus::Legacy),
                other => {
                    g.warnings.push(format!(
                        "{path}: `{id}`: unknown lifecycle status `{other}` (expected ACTIVE or LEGACY); its lifecycle is not compared"
                    ));
                    None
                }
            };
            dates = Dates {
                legacy: l.legacy_time,
                extended_access: l.public_extended_access_time,
                eol: l.end_of_life_time,
            };
            if !dates.in_order() {
                g.warnings.push(format!(
                    "{path}: `{id}`: lifecycle dates out of order ({}); they are ignored",
                    dates.describe()
                ));
                dates = Dates::default();
            }
        }
        let kind = s.output_modalities.as_deref().and_then(kind_of_outputs);
        g.models.insert(
            (id.to_string(), region.clone()),
            Observed {
                id: id.to_string(),
                region,
                name: s.model_name.clone(),
                status,
                dates,
                access: s.inference_types_supported.as_deref().map(Access::of),
                kind,
            },
        );
    }
}

/// The table's `kind` for a model that outputs only these modalities, when it is not text.
fn kind_of_outputs(outputs: &[String]) -> Option<Kind> {
    let has = |m: &str| outputs.iter().any(|x| x == m);
    if has("TEXT") {
        None
    } else if has("EMBEDDING") {
        Some(Kind::Embedding)
    } else if has("VIDEO") {
        Some(Kind::Video)
    } else if has("IMAGE") {
        Some(Kind::Image)
    } else {
        None
    }
}

fn gather_profiles(g: &mut Gathered, rules: &Rules, path: &str, list: &[InferenceProfileSummary]) {
    for p in list {
        match p.profile_type.as_str() {
            "SYSTEM_DEFINED" => {}
            "APPLICATION" => {
                *g.skipped_application_profiles
                    .entry(path.to_string())
                    .or_default() += 1;
                continue;
            }
            other => {
                g.warnings.push(format!(
                    "{path}: skipped inference profile `{}`: unknown type `{other}` (expected SYSTEM_DEFINED or APPLICATION)",
                    p.inference_profile_id
                ));
                continue;
            }
        }
        match split_profile_id(rules, p) {
            Ok((geo, id)) => {
                g.profiles.entry(id).or_default().insert(geo);
            }
            Err(reason) => g.warnings.push(format!(
                "{path}: skipped inference profile `{}`: {reason}",
                p.inference_profile_id
            )),
        }
    }
}

/// The geography prefix and base model ID of a system-defined profile ID. The table's
/// grammar reads it when it knows the provider and the prefix; otherwise the ID must be
/// `<prefix>.<model ID>` with the model ID that the profile's model ARNs name.
fn split_profile_id(
    rules: &Rules,
    p: &InferenceProfileSummary,
) -> Result<(String, String), String> {
    let text = p.inference_profile_id.as_str();
    let whole = rules
        .grammar()
        .find(text)
        .into_iter()
        .find(|r| r.profile_range == (0..text.len()) && r.arn.is_none());
    let (geo, id) = match whole {
        Some(r) => match r.geo {
            Some(geo) if is_well_formed_id(&r.id) => (geo, r.id),
            Some(_) => return Err("not a well-formed Bedrock model ID after the prefix".into()),
            None => return Err("no geography prefix (expected `<prefix>.<model ID>`)".into()),
        },
        None => {
            let Some((geo, id)) = text.split_once('.') else {
                return Err("expected `<prefix>.<model ID>`".into());
            };
            let geo_ok = !geo.is_empty()
                && geo.len() <= 16
                && geo
                    .split('-')
                    .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase()));
            if !geo_ok || !is_well_formed_id(id) {
                return Err(
                    "expected `<prefix>.<model ID>` with a lowercase prefix and a well-formed model ID"
                        .into(),
                );
            }
            (geo.to_string(), id.to_string())
        }
    };
    // A system-defined profile routes to its own model in several Regions.
    let named: Vec<&str> = p
        .models
        .iter()
        .filter_map(|m| m.model_arn.as_deref().and_then(model_of_arn))
        .collect();
    if !named.is_empty() && !named.contains(&id.as_str()) {
        return Err(format!(
            "its models are `{}`, not `{id}`",
            named.first().copied().unwrap_or_default()
        ));
    }
    Ok((geo, id))
}

/// The change line and overlay entry for a model the table does not know.
fn new_model(
    rules: &Rules,
    id: &str,
    observed: &[&Observed],
    geos: &BTreeSet<String>,
) -> (Change, OverlayModel) {
    let mut parts: Vec<String> = Vec::new();
    let legacy = observed.iter().any(|o| o.status == Some(ApiStatus::Legacy));
    let any_status = observed.iter().any(|o| o.status.is_some());
    // The most urgent date of each kind, as the table evaluates several groups.
    let earliest =
        |f: fn(&Dates) -> Option<NaiveDate>| observed.iter().filter_map(|o| f(&o.dates)).min();
    let dates = Dates {
        legacy: earliest(|d| d.legacy),
        extended_access: earliest(|d| d.extended_access),
        eol: earliest(|d| d.eol),
    };
    if any_status {
        let mut s = if legacy { "LEGACY" } else { "ACTIVE" }.to_string();
        if !dates.is_empty() {
            s.push_str(", ");
            s.push_str(&dates.describe());
        } else if legacy {
            s.push_str(" (no dates in the listing)");
        }
        parts.push(s);
    }
    // Access by Region: "on demand in us-east-1, inference profile only in eu-west-1".
    let mut access: BTreeMap<Access, Vec<&str>> = BTreeMap::new();
    for o in observed {
        if let Some(a) = o.access {
            let regions = access.entry(a).or_default();
            if let Some(r) = &o.region {
                regions.push(r);
            }
        }
    }
    for (a, regions) in &access {
        if regions.is_empty() {
            parts.push(a.describe().to_string());
        } else {
            parts.push(format!("{} in {}", a.describe(), regions.join(", ")));
        }
    }
    if observed.is_empty() {
        parts.push("seen only in inference profiles".into());
    }
    let mut profiles: Vec<String> = geos.iter().cloned().collect();
    sort_geos(rules, &mut profiles);
    if !profiles.is_empty() {
        let list: Vec<String> = profiles.iter().map(|g| format!("{g}.")).collect();
        parts.push(format!("profiles {}", list.join(" ")));
    }
    let change = Change {
        kind: ChangeKind::NewModel,
        model: id.to_string(),
        region: None,
        message: format!("new model: {id} ({})", parts.join(", ")),
    };

    let mut groups: Vec<Lifecycle> = Vec::new();
    for o in observed.iter().filter(|o| !o.dates.is_empty()) {
        set_dates(&mut groups, o.region.as_deref(), o.dates);
    }
    let with_access: Vec<&&Observed> = observed.iter().filter(|o| o.access.is_some()).collect();
    let on: Vec<&&Observed> = with_access
        .iter()
        .copied()
        .filter(|o| o.access.is_some_and(Access::on_demand))
        .collect();
    let on_demand = (!with_access.is_empty()).then_some(!on.is_empty());
    let on_demand_regions = if !on.is_empty() && on.iter().all(|o| o.region.is_some()) {
        let mut regions: Vec<String> = on.iter().filter_map(|o| o.region.clone()).collect();
        regions.sort();
        regions.dedup();
        Some(regions)
    } else {
        None
    };
    let entry = OverlayModel {
        id: id.to_string(),
        name: observed.iter().find_map(|o| o.name.clone()),
        provider: id.split_once('.').map(|(p, _)| p.to_string()),
        kind: observed.iter().find_map(|o| o.kind),
        on_demand,
        on_demand_regions,
        profiles: (!profiles.is_empty()).then_some(profiles),
        lifecycle: (!groups.is_empty())
            .then(|| groups.iter().map(OverlayLifecycle::from).collect()),
    };
    (change, entry)
}

/// Order geography prefixes as the table lists them; unknown ones last, alphabetically.
fn sort_geos(rules: &Rules, geos: &mut [String]) {
    let known = rules.geo_prefixes();
    geos.sort_by_key(|g| {
        (
            known.iter().position(|k| k == g).unwrap_or(usize::MAX),
            g.clone(),
        )
    });
}

fn in_region(region: Option<&str>) -> String {
    region.map_or_else(String::new, |r| format!(" in {r}"))
}

/// `active`, `legacy; legacy 2026-10-08, EOL 2027-04-08`.
fn describe_table(status: &Status) -> String {
    let dates = Dates::of_status(status);
    if dates.is_empty() {
        status.state.as_str().to_string()
    } else {
        format!("{}; {}", status.state.as_str(), dates.describe())
    }
}

fn compare_lifecycle(
    model: &Model,
    observed: &[&Observed],
    as_of: NaiveDate,
    changes: &mut Vec<Change>,
    entry: &mut OverlayModel,
) {
    let mut groups = model.lifecycle.clone();
    let mut changed = false;
    for o in observed {
        let region = o.region.as_deref();
        let status = lifecycle::status(model, as_of, region);
        let table = Dates::of_status(&status);
        // `what in REGION: ID DATES (EXTRA table: …)`
        let push = |changes: &mut Vec<Change>, kind, what: &str, extra: &str| {
            let dates = if o.dates.is_empty() {
                String::new()
            } else {
                format!(" {}", o.dates.describe())
            };
            changes.push(Change {
                kind,
                model: model.id.clone(),
                region: o.region.clone(),
                message: format!(
                    "{what}{}: {}{dates} ({extra}table: {})",
                    in_region(region),
                    model.id,
                    describe_table(&status)
                ),
            });
        };
        if o.status == Some(ApiStatus::Legacy)
            && matches!(status.state, State::Active | State::Unknown)
        {
            let extra = if o.dates.is_empty() {
                "no dates in the listing, so none are written to the overlay; "
            } else {
                ""
            };
            push(changes, ChangeKind::Lifecycle, "now legacy", extra);
        } else if o.dates.differs_from(&table) {
            push(changes, ChangeKind::Lifecycle, "dates differ", "");
        } else {
            if o.status == Some(ApiStatus::Active) && status.state != State::Active {
                push(changes, ChangeKind::ListedActive, "listed as ACTIVE", "");
            }
            continue;
        }
        if !o.dates.is_empty() {
            set_dates(&mut groups, region, o.dates);
            changed = true;
        }
    }
    if changed {
        entry.lifecycle = Some(groups.iter().map(OverlayLifecycle::from).collect());
    }
}

/// Make `dates` hold in `region` (all Regions when `None`): the Region leaves the groups
/// that named it (a group left naming none is dropped, so that it does not turn into a
/// group for every Region) and joins a group with equal dates, or a new one. Groups are
/// then ordered as the generator orders them: by EOL, legacy and extended-access date,
/// the group without Regions last.
fn set_dates(groups: &mut Vec<Lifecycle>, region: Option<&str>, dates: Dates) {
    let Some(region) = region else {
        *groups = vec![dates.group(vec![])];
        return;
    };
    groups.retain_mut(|g| {
        let named = !g.regions.is_empty();
        g.regions.retain(|r| r != region);
        !named || !g.regions.is_empty()
    });
    let same = groups.iter_mut().find(|g| {
        !g.regions.is_empty()
            && g.legacy == dates.legacy
            && g.extended_access == dates.extended_access
            && g.eol == dates.eol
    });
    match same {
        Some(g) => {
            g.regions.push(region.to_string());
            g.regions.sort();
        }
        None => groups.push(dates.group(vec![region.to_string()])),
    }
    groups.sort_by_key(|g| (g.regions.is_empty(), g.eol, g.legacy, g.extended_access));
}

/// Can the bare ID be invoked on demand in `region`, by the table?
fn table_on_demand(model: &Model, region: Option<&str>) -> bool {
    match region {
        Some(_) => model.invocable_bare(region),
        None => model.on_demand,
    }
}

fn describe_table_access(model: &Model) -> String {
    if !model.on_demand {
        "not on demand".into()
    } else if model.on_demand_regions.is_empty() {
        "on demand".into()
    } else {
        format!("on demand only in {}", model.on_demand_regions.join(", "))
    }
}

fn compare_on_demand(
    model: &Model,
    observed: &[&Observed],
    changes: &mut Vec<Change>,
    entry: &mut OverlayModel,
) {
    if model.endpoint == Endpoint::Mantle {
        return;
    }
    let seen: Vec<(Option<&str>, bool)> = observed
        .iter()
        .filter_map(|o| o.access.map(|a| (o.region.as_deref(), a.on_demand())))
        .collect();
    let mut differs = false;
    for o in observed {
        let Some(access) = o.access else { continue };
        let region = o.region.as_deref();
        if access.on_demand() == table_on_demand(model, region) {
            continue;
        }
        differs = true;
        changes.push(Change {
            kind: ChangeKind::OnDemand,
            model: model.id.clone(),
            region: o.region.clone(),
            message: format!(
                "on demand differs{}: {} {} (table: {})",
                in_region(region),
                model.id,
                access.describe(),
                describe_table_access(model)
            ),
        });
    }
    if !differs {
        return;
    }
    let (on_demand, regions) = on_demand_after(model, &seen);
    if on_demand != model.on_demand {
        entry.on_demand = Some(on_demand);
    }
    if regions != model.on_demand_regions {
        entry.on_demand_regions = Some(regions);
    }
}

/// The table's `on_demand` and `on_demand_regions` after the observations: an observation
/// without a Region holds everywhere; Regions seen on demand are added, Regions seen
/// without it removed. The format cannot say "everywhere but R", so a model on demand
/// everywhere that a listing shows without on demand keeps only the Regions seen with it
/// (none: not on demand) — a bare rewrite that fails at run time is worse than a review.
fn on_demand_after(model: &Model, seen: &[(Option<&str>, bool)]) -> (bool, Vec<String>) {
    let mut on_demand = model.on_demand;
    let mut regions: BTreeSet<String> = model.on_demand_regions.iter().cloned().collect();
    for (_, on) in seen.iter().filter(|(r, _)| r.is_none()) {
        on_demand = *on;
        regions.clear();
    }
    let on: BTreeSet<String> = seen
        .iter()
        .filter_map(|(r, on)| r.filter(|_| *on).map(str::to_string))
        .collect();
    let off: BTreeSet<String> = seen
        .iter()
        .filter_map(|(r, on)| r.filter(|_| !*on).map(str::to_string))
        .collect();
    if on_demand && regions.is_empty() {
        if !off.is_empty() {
            on_demand = !on.is_empty();
            regions = on;
        }
    } else if !on_demand {
        if !on.is_empty() {
            on_demand = true;
            regions = on;
        }
    } else {
        regions.extend(on);
        regions.retain(|r| !off.contains(r));
        if regions.is_empty() {
            on_demand = false;
        }
    }
    (on_demand, regions.into_iter().collect())
}

/// Notes for table models that a Region's foundation-model listings do not contain. Only
/// models whose provider appears in the listings count (a listing made with `--by-provider`
/// says nothing about other providers), and not end-of-life models, provisioned-throughput
/// variants (listed only where they are sold), bedrock-mantle IDs (not on the runtime) or
/// models that no lifecycle notice covers in that Region (perhaps never offered there).
fn not_listed(
    rules: &Rules,
    listed: &BTreeMap<Option<String>, RegionListing>,
    as_of: NaiveDate,
    changes: &mut Vec<Change>,
) {
    for (region, l) in listed {
        for m in rules.models() {
            if l.ids.contains(&m.id)
                || !l.providers.contains(&m.provider)
                || m.variant_of.is_some()
                || m.endpoint == Endpoint::Mantle
                || matches!(
                    lifecycle::status(m, as_of, region.as_deref()).state,
                    State::Eol | State::Unknown
                )
            {
                continue;
            }
            changes.push(Change {
                kind: ChangeKind::NotListed,
                model: m.id.clone(),
                region: region.clone(),
                message: format!(
                    "not listed in {}: {} (retired, or not offered in that Region)",
                    l.files.join(", "),
                    m.id
                ),
            });
        }
    }
}

/// Geography prefixes the overlay's `profiles` use that it must declare so that it loads on
/// the embedded table alone (`rules validate FILE`): those the loaded rules do not know, and
/// those only a `--rules` overlay declared.
fn geo_prefixes_to_declare(rules: &Rules, overlay: &BTreeMap<String, OverlayModel>) -> Vec<String> {
    let embedded: Vec<String> = super::load_default()
        .map(|r| r.geo_prefixes().to_vec())
        .unwrap_or_default();
    let mut geos: Vec<String> = overlay
        .values()
        .flat_map(|m| m.profiles.iter().flatten())
        .filter(|g| !(rules.geo_prefixes().contains(g) && embedded.contains(g)))
        .cloned()
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect();
    sort_geos(rules, &mut geos);
    geos
}

/// Write `text` to `path` atomically: a temporary file in the same directory, synced, then
/// renamed. Without `force` an existing file is never replaced (the rename refuses to
/// clobber, so a file created meanwhile is safe too); with `force` its permissions are kept.
pub fn write_overlay(path: &Path, text: &str, force: bool) -> Result<(), ImportError> {
    use std::os::unix::fs::PermissionsExt;
    let name = path.display().to_string();
    let io = |source| ImportError::Write {
        path: name.clone(),
        source,
    };
    let existing = std::fs::metadata(path).ok();
    if existing.is_some() && !force {
        return Err(ImportError::OutputExists { path: name });
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".bedrock-migrate-")
        .suffix(".toml")
        .tempfile_in(dir)
        .map_err(io)?;
    temp.write_all(text.as_bytes()).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    let permissions = existing.map_or_else(
        || std::fs::Permissions::from_mode(0o644),
        |m| m.permissions(),
    );
    std::fs::set_permissions(temp.path(), permissions).map_err(io)?;
    if force {
        temp.persist(path).map_err(|e| io(e.error))?;
    } else {
        temp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                ImportError::OutputExists { path: name.clone() }
            } else {
                io(e.error)
            }
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::load::load_sources;

    const TABLE: &str = r#"schema_version = 1
geo_prefixes = ["us", "eu", "global"]

[[model]]
id = "anthropic.claude-sonnet-4-5-20250929-v1:0"
on_demand = false
profiles = ["us", "eu", "global"]
lifecycle = [{ legacy = 2026-10-08, extended_access = 2027-01-08, eol = 2027-04-08 }]

[[model]]
id = "anthropic.claude-sonnet-4-6"
on_demand = true
on_demand_regions = ["eu-west-2"]
profiles = ["us", "eu"]

[[model]]
id = "anthropic.claude-opus-4-5-20251101-v1:0"
on_demand = false
profiles = ["us"]

[[model]]
id = "anthropic.claude-3-haiku-20240307-v1:0"
lifecycle = [
  { regions = ["us-east-1", "us-west-2"], legacy = 2026-03-10, eol = 2026-09-10 },
  { regions = ["eu-west-1"], legacy = 2026-03-10, eol = 2026-10-10 },
]

[[model]]
id = "anthropic.claude-3-haiku-20240307-v1:0:200k"
variant_of = "anthropic.claude-3-haiku-20240307-v1:0"
on_demand = false

[[model]]
id = "amazon.nova-pro-v1:0"

[[model]]
id = "anthropic.claude-haiku-4-5"
endpoint = "mantle"
"#;

    fn rules() -> Rules {
        load_sources(&[(TABLE, "table.toml")]).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn opts() -> ImportOptions {
        ImportOptions {
            as_of: d("2026-11-21"),
            region: None,
        }
    }

    fn fm(entries: &str) -> Listing {
        parse_listing(&format!("{{\"modelSummaries\": [{entries}]}}"), "fm.json").unwrap()
    }

    fn ip(entries: &str) -> Listing {
        parse_listing(
            &format!("{{\"inferenceProfileSummaries\": [{entries}]}}"),
            "ip.json",
        )
        .unwrap()
    }

    /// A foundation-model summary in us-east-1.
    fn model(id: &str, types: &str, lifecycle: &str) -> String {
        format!(
            r#"{{"modelArn": "arn:aws:bedrock:us-east-1::foundation-model/{id}", "modelId": "{id}",
                "modelName": "Some Model", "providerName": "Anthropic", "responseStreamingSupported": true,
                "inferenceTypesSupported": [{types}], "modelLifecycle": {lifecycle}}}"#
        )
    }

    fn profile(id: &str, kind: &str, model_id: &str) -> String {
        format!(
            r#"{{"inferenceProfileName": "P", "inferenceProfileArn": "arn:aws:bedrock:us-east-1:123456789012:inference-profile/{id}",
                "inferenceProfileId": "{id}", "status": "ACTIVE", "type": "{kind}",
                "models": [{{"modelArn": "arn:aws:bedrock:us-east-1::foundation-model/{model_id}"}}]}}"#
        )
    }

    const ACTIVE: &str = r#"{"status": "ACTIVE"}"#;

    fn lines(c: &Comparison) -> Vec<String> {
        c.changes.iter().map(|c| c.message.clone()).collect()
    }

    fn with_kind(c: &Comparison, kind: ChangeKind) -> Vec<String> {
        c.changes
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| c.message.clone())
            .collect()
    }

    /// The overlay layered on the test table; it must load.
    fn layered(c: &Comparison) -> Rules {
        let text = c.overlay_toml(&[]);
        load_sources(&[(TABLE, "table.toml"), (&text, "overlay.toml")])
            .unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    #[test]
    fn parses_a_foundation_model_listing() {
        let text = r#"{
  "modelSummaries": [
    {
      "modelArn": "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
      "modelId": "anthropic.claude-sonnet-4-5-20250929-v1:0",
      "modelName": "Claude Sonnet 4.5",
      "providerName": "Anthropic",
      "inputModalities": ["TEXT", "IMAGE"],
      "outputModalities": ["TEXT"],
      "responseStreamingSupported": true,
      "customizationsSupported": [],
      "inferenceTypesSupported": ["INFERENCE_PROFILE"],
      "modelLifecycle": {
        "status": "LEGACY",
        "startOfLifeTime": "2025-09-29T00:00:00+00:00",
        "legacyTime": "2026-10-08T00:00:00+00:00",
        "publicExtendedAccessTime": "2027-01-08T00:00:00+00:00",
        "endOfLifeTime": "2027-04-08T00:00:00+00:00"
      },
      "someFutureField": {"nested": [1, 2]}
    }
  ]
}"#;
        let listing = parse_listing(text, "fm.json").unwrap();
        let ListingContent::FoundationModels(models) = listing.content else {
            panic!("wrong kind")
        };
        let m = &models[0];
        assert_eq!(m.model_id, "anthropic.claude-sonnet-4-5-20250929-v1:0");
        assert_eq!(m.model_name.as_deref(), Some("Claude Sonnet 4.5"));
        assert_eq!(
            m.inference_types_supported.as_deref(),
            Some(&["INFERENCE_PROFILE".to_string()][..])
        );
        let l = m.model_lifecycle.as_ref().unwrap();
        assert_eq!(l.status, "LEGACY");
        assert_eq!(l.start_of_life_time, Some(d("2025-09-29")));
        assert_eq!(l.legacy_time, Some(d("2026-10-08")));
        assert_eq!(l.public_extended_access_time, Some(d("2027-01-08")));
        assert_eq!(l.end_of_life_time, Some(d("2027-04-08")));
    }

    #[test]
    fn parses_an_inference_profile_listing() {
        let listing = ip(&format!(
            "{}, {}",
            profile(
                "us.anthropic.claude-sonnet-4-6",
                "SYSTEM_DEFINED",
                "anthropic.claude-sonnet-4-6"
            ),
            profile("a1b2c3d4e5f6", "APPLICATION", "anthropic.claude-sonnet-4-6")
        ));
        let ListingContent::InferenceProfiles(profiles) = listing.content else {
            panic!("wrong kind")
        };
        assert_eq!(profiles.len(), 2);
        assert_eq!(
            profiles[0].inference_profile_id,
            "us.anthropic.claude-sonnet-4-6"
        );
        assert_eq!(profiles[0].profile_type, "SYSTEM_DEFINED");
        assert_eq!(profiles[1].profile_type, "APPLICATION");
        assert_eq!(
            profiles[0].models[0].model_arn.as_deref(),
            Some("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6")
        );
    }

    #[test]
    fn file_errors_say_what_is_wrong_and_where() {
        let err = |text: &str| parse_listing(text, "f.json").unwrap_err().to_string();
        assert_eq!(
            err("{\n  \"modelSummaries\": [\n    {\"modelId\": \"a.b-1\",}\n  ]\n}"),
            "f.json:3:25: trailing comma"
        );
        assert_eq!(
            err("{\"modelSummaries\": [{\"modelArn\": \"x\"}]}"),
            "f.json:1:37: missing field `modelId` (the output of `aws bedrock list-custom-models`? custom models have no model ID to import)"
        );
        let e = err("[{\"modelId\": \"a.b-1\"}]");
        assert!(e.starts_with("f.json: found a JSON array"), "{e}");
        assert!(e.contains("`modelSummaries`"), "{e}");
        let e = err("{\"customModelSummaries\": []}");
        assert!(
            e.starts_with("f.json: found an object with `customModelSummaries`; expected the JSON output of `aws bedrock list-foundation-models`"),
            "{e}"
        );
        assert!(err("  \n").starts_with("f.json: empty file"));
        assert!(err("modelSummaries:\n- x\n").starts_with("f.json:1:1: expected value"));
        assert!(
            err("{\"modelSummaries\": [], \"inferenceProfileSummaries\": []}").contains("has both")
        );
        let e = err(
            "{\"modelSummaries\": [{\"modelId\": \"a.b-1\", \"modelLifecycle\": {\"status\": \"LEGACY\", \"legacyTime\": \"next week\"}}]}",
        );
        assert!(e.contains("invalid timestamp `next week`"), "{e}");
        assert!(e.starts_with("f.json:1:"), "{e}");
        // A byte-order mark is not an error.
        assert!(parse_listing("\u{feff}{\"modelSummaries\": []}", "f.json").is_ok());
    }

    #[test]
    fn timestamps() {
        assert_eq!(
            parse_timestamp("2025-01-21T00:00:00+00:00"),
            Ok(d("2025-01-21"))
        );
        assert_eq!(parse_timestamp("2025-01-21T00:00:00Z"), Ok(d("2025-01-21")));
        assert_eq!(
            parse_timestamp("2025-01-21T00:00:00.000000+00:00"),
            Ok(d("2025-01-21"))
        );
        // Local-time output (midnight UTC printed in US Pacific time) is the same UTC day.
        assert_eq!(
            parse_timestamp("2025-01-20T16:00:00-08:00"),
            Ok(d("2025-01-21"))
        );
        assert_eq!(parse_timestamp("2025-01-21"), Ok(d("2025-01-21")));
        assert!(parse_timestamp("21/01/2025").is_err());
        // Epoch seconds (the AWS CLI v1 prints the wire format).
        let listing = fm(
            r#"{"modelId": "a.b-1", "modelLifecycle": {"status": "LEGACY", "legacyTime": 1737417600.0, "endOfLifeTime": 1753056000, "publicExtendedAccessTime": null}}"#,
        );
        let ListingContent::FoundationModels(models) = listing.content else {
            panic!()
        };
        let l = models[0].model_lifecycle.as_ref().unwrap();
        assert_eq!(l.legacy_time, Some(d("2025-01-21")));
        assert_eq!(l.end_of_life_time, Some(d("2025-07-21")));
        assert_eq!(l.public_extended_access_time, None);
    }

    #[test]
    fn region_from_arn() {
        assert_eq!(
            region_of_arn("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2"),
            Some("us-east-1")
        );
        assert_eq!(
            region_of_arn(
                "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/us-gov.a.b-1"
            ),
            Some("us-gov-west-1")
        );
        assert_eq!(
            region_of_arn("arn:aws:bedrock:::foundation-model/a.b-1"),
            None
        );
        assert_eq!(region_of_arn("us-east-1"), None);
        assert_eq!(region_of_arn("arn:aws:bedrock:us-east-1"), None);
    }

    #[test]
    fn region_comes_from_the_flag_then_the_arn() {
        let r = rules();
        let listing = fm(&model(
            "anthropic.claude-sonnet-4-6",
            r#""ON_DEMAND""#,
            ACTIVE,
        ));
        let c = compare(&r, std::slice::from_ref(&listing), &opts());
        assert_eq!(
            with_kind(&c, ChangeKind::OnDemand),
            [
                "on demand differs in us-east-1: anthropic.claude-sonnet-4-6 on demand (table: on demand only in eu-west-2)"
            ]
        );
        let flagged = ImportOptions {
            region: Some("eu-west-2".into()),
            ..opts()
        };
        let c = compare(&r, &[listing], &flagged);
        assert!(
            with_kind(&c, ChangeKind::OnDemand).is_empty(),
            "{:?}",
            lines(&c)
        );
        // Without an ARN and without --region the observation holds in every Region.
        let bare = fm(
            r#"{"modelId": "anthropic.claude-opus-4-5-20251101-v1:0", "inferenceTypesSupported": ["ON_DEMAND"]}"#,
        );
        let c = compare(&r, &[bare], &opts());
        assert_eq!(
            with_kind(&c, ChangeKind::OnDemand),
            [
                "on demand differs: anthropic.claude-opus-4-5-20251101-v1:0 on demand (table: not on demand)"
            ]
        );
        let m = layered(&c)
            .get("anthropic.claude-opus-4-5-20251101-v1:0")
            .unwrap()
            .clone();
        assert!(m.on_demand && m.on_demand_regions.is_empty());
    }

    #[test]
    fn new_models() {
        let r = rules();
        let c = compare(
            &r,
            &[
                fm(&model(
                    "writer.palmyra-x6-v1:0",
                    r#""ON_DEMAND", "INFERENCE_PROFILE""#,
                    ACTIVE,
                )),
                ip(&profile(
                    "us.writer.palmyra-x6-v1:0",
                    "SYSTEM_DEFINED",
                    "writer.palmyra-x6-v1:0",
                )),
            ],
            &opts(),
        );
        assert_eq!(
            with_kind(&c, ChangeKind::NewModel),
            ["new model: writer.palmyra-x6-v1:0 (ACTIVE, on demand in us-east-1, profiles us.)"]
        );
        assert!(c.has_differences());
        let text = c.overlay_toml(&["header".into()]);
        assert!(
            text.starts_with("# header\n\nschema_version = 1\n"),
            "{text}"
        );
        let layered = layered(&c);
        let m = layered.get("writer.palmyra-x6-v1:0").unwrap();
        assert_eq!(m.name, "Some Model");
        assert_eq!(m.provider, "writer");
        assert!(m.on_demand);
        assert_eq!(m.on_demand_regions, ["us-east-1"]);
        assert_eq!(m.profiles, ["us"]);
        assert!(m.lifecycle.is_empty());
        // The new model is a known model of the layered table; the grammar now finds it.
        assert_eq!(layered.grammar().find("us.writer.palmyra-x6-v1:0").len(), 1);
    }

    #[test]
    fn new_legacy_embedding_model_and_profile_only_models() {
        let r = rules();
        let embed = r#"{"modelArn": "arn:aws:bedrock:eu-west-1::foundation-model/cohere.embed-v9:0",
            "modelId": "cohere.embed-v9:0", "outputModalities": ["EMBEDDING"],
            "inferenceTypesSupported": ["ON_DEMAND"],
            "modelLifecycle": {"status": "LEGACY", "legacyTime": "2026-09-01T00:00:00+00:00", "endOfLifeTime": "2027-03-01T00:00:00+00:00"}}"#;
        let c = compare(
            &r,
            &[
                fm(embed),
                ip(&profile(
                    "eu.mistral.large-9",
                    "SYSTEM_DEFINED",
                    "mistral.large-9",
                )),
            ],
            &opts(),
        );
        assert_eq!(
            with_kind(&c, ChangeKind::NewModel),
            [
                "new model: cohere.embed-v9:0 (LEGACY, legacy 2026-09-01, EOL 2027-03-01, on demand in eu-west-1)",
                "new model: mistral.large-9 (seen only in inference profiles, profiles eu.)",
            ]
        );
        let layered = layered(&c);
        let m = layered.get("cohere.embed-v9:0").unwrap();
        assert_eq!(m.kind, Kind::Embedding);
        assert_eq!(m.lifecycle.len(), 1);
        assert_eq!(m.lifecycle[0].regions, ["eu-west-1"]);
        assert_eq!(m.lifecycle[0].eol, Some(d("2027-03-01")));
        assert_eq!(
            lifecycle::status(m, d("2026-11-21"), None).state,
            State::Legacy
        );
        let m = layered.get("mistral.large-9").unwrap();
        assert_eq!(m.profiles, ["eu"]);
    }

    #[test]
    fn now_legacy_and_changed_dates() {
        let r = rules();
        let legacy = r#"{"status": "LEGACY", "legacyTime": "2026-11-05T00:00:00+00:00",
            "publicExtendedAccessTime": "2027-02-05T00:00:00+00:00", "endOfLifeTime": "2027-05-05T00:00:00+00:00"}"#;
        let moved = r#"{"status": "LEGACY", "legacyTime": "2026-10-08T00:00:00+00:00",
            "endOfLifeTime": "2027-06-08T00:00:00+00:00"}"#;
        let same = r#"{"status": "LEGACY", "legacyTime": "2026-10-08T00:00:00+00:00",
            "endOfLifeTime": "2027-04-08T00:00:00+00:00"}"#;
        let c = compare(
            &r,
            &[fm(&[
                model(
                    "anthropic.claude-opus-4-5-20251101-v1:0",
                    r#""INFERENCE_PROFILE""#,
                    legacy,
                ),
                model(
                    "anthropic.claude-sonnet-4-5-20250929-v1:0",
                    r#""INFERENCE_PROFILE""#,
                    moved,
                ),
            ]
            .join(","))],
            &opts(),
        );
        assert_eq!(
            with_kind(&c, ChangeKind::Lifecycle),
            [
                "now legacy in us-east-1: anthropic.claude-opus-4-5-20251101-v1:0 legacy 2026-11-05, extended access 2027-02-05, EOL 2027-05-05 (table: active)",
                "dates differ in us-east-1: anthropic.claude-sonnet-4-5-20250929-v1:0 legacy 2026-10-08, EOL 2027-06-08 (table: legacy; legacy 2026-10-08, extended access 2027-01-08, EOL 2027-04-08)",
            ]
        );
        let layered = layered(&c);
        let opus = layered
            .get("anthropic.claude-opus-4-5-20251101-v1:0")
            .unwrap();
        let s = lifecycle::status(opus, d("2026-11-21"), Some("us-east-1"));
        assert_eq!(
            (s.state, s.eol_date),
            (State::Legacy, Some(d("2027-05-05")))
        );
        // Keys that did not change are not written: the profiles stay the table's.
        assert_eq!(opus.profiles, ["us"]);
        assert!(!opus.on_demand);
        // Sonnet 4.5: us-east-1 gets its own group, the group for all Regions stays.
        let sonnet = layered
            .get("anthropic.claude-sonnet-4-5-20250929-v1:0")
            .unwrap();
        assert_eq!(sonnet.lifecycle.len(), 2);
        assert_eq!(sonnet.lifecycle[0].regions, ["us-east-1"]);
        assert!(sonnet.lifecycle[1].regions.is_empty());
        assert_eq!(
            lifecycle::status(sonnet, d("2027-05-01"), Some("us-east-1")).state,
            State::Legacy
        );
        assert_eq!(
            lifecycle::status(sonnet, d("2027-05-01"), Some("eu-west-1")).state,
            State::Eol
        );
        // Dates equal to the table's (extended access not given) are no difference.
        let c = compare(
            &r,
            &[fm(&model(
                "anthropic.claude-sonnet-4-5-20250929-v1:0",
                r#""INFERENCE_PROFILE""#,
                same,
            ))],
            &opts(),
        );
        assert!(!c.has_differences(), "{:?}", lines(&c));
        assert_eq!(c.overlay_len(), 0);
    }

    #[test]
    fn a_region_leaves_its_old_group() {
        let r = rules();
        let moved = r#"{"status": "LEGACY", "legacyTime": "2026-03-10T00:00:00+00:00",
            "endOfLifeTime": "2026-10-10T00:00:00+00:00"}"#;
        let c = compare(
            &r,
            &[fm(&model(
                "anthropic.claude-3-haiku-20240307-v1:0",
                r#""ON_DEMAND""#,
                moved,
            ))],
            &opts(),
        );
        let layered = layered(&c);
        let m = layered
            .get("anthropic.claude-3-haiku-20240307-v1:0")
            .unwrap();
        // us-east-1 joins eu-west-1, whose dates are equal; us-west-2 keeps its group.
        let groups: Vec<(Vec<String>, Option<NaiveDate>)> = m
            .lifecycle
            .iter()
            .map(|g| (g.regions.clone(), g.eol))
            .collect();
        assert_eq!(
            groups,
            [
                (vec!["us-west-2".to_string()], Some(d("2026-09-10"))),
                (
                    vec!["eu-west-1".to_string(), "us-east-1".to_string()],
                    Some(d("2026-10-10"))
                ),
            ]
        );
        // A group whose only Region leaves is dropped, not turned into one for all Regions.
        let mut groups = vec![
            Dates {
                legacy: Some(d("2026-01-01")),
                extended_access: None,
                eol: Some(d("2026-07-01")),
            }
            .group(vec!["us-east-1".into()]),
        ];
        set_dates(
            &mut groups,
            Some("us-east-1"),
            Dates {
                legacy: Some(d("2026-02-01")),
                ..Dates::default()
            },
        );
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].eol, None);
    }

    #[test]
    fn listed_active_is_a_note() {
        let r = rules();
        let c = compare(
            &r,
            &[fm(&model(
                "anthropic.claude-3-haiku-20240307-v1:0",
                r#""ON_DEMAND""#,
                ACTIVE,
            ))],
            &opts(),
        );
        assert_eq!(
            with_kind(&c, ChangeKind::ListedActive),
            [
                "listed as ACTIVE in us-east-1: anthropic.claude-3-haiku-20240307-v1:0 (table: eol; legacy 2026-03-10, EOL 2026-09-10)"
            ]
        );
        assert!(!c.has_differences());
        assert_eq!(c.overlay_len(), 0);
    }

    #[test]
    fn on_demand_changes() {
        let r = rules();
        // Nova Pro is on demand everywhere by the table; us-east-1 lists it profile-only.
        let c = compare(
            &r,
            &[fm(&[
                model("amazon.nova-pro-v1:0", r#""INFERENCE_PROFILE""#, ACTIVE),
                model(
                    "anthropic.claude-sonnet-4-6",
                    r#""ON_DEMAND", "INFERENCE_PROFILE""#,
                    ACTIVE,
                ),
                model(
                    "anthropic.claude-3-haiku-20240307-v1:0:200k",
                    r#""PROVISIONED""#,
                    ACTIVE,
                ),
            ]
            .join(","))],
            &opts(),
        );
        assert_eq!(
            with_kind(&c, ChangeKind::OnDemand),
            [
                "on demand differs in us-east-1: amazon.nova-pro-v1:0 inference profile only (table: on demand)",
                "on demand differs in us-east-1: anthropic.claude-sonnet-4-6 on demand (table: on demand only in eu-west-2)",
            ]
        );
        let layered = layered(&c);
        let nova = layered.get("amazon.nova-pro-v1:0").unwrap();
        assert!(!nova.on_demand);
        let sonnet = layered.get("anthropic.claude-sonnet-4-6").unwrap();
        assert!(sonnet.on_demand);
        assert_eq!(sonnet.on_demand_regions, ["eu-west-2", "us-east-1"]);
        let text = c.overlay_toml(&[]);
        assert!(!text.contains("profiles"), "{text}");
    }

    #[test]
    fn on_demand_bookkeeping() {
        let mut m = Model::new("a.b-1");
        assert_eq!(
            on_demand_after(&m, &[(Some("us-east-1"), false), (Some("eu-west-1"), true)]),
            (true, vec!["eu-west-1".to_string()])
        );
        m.on_demand_regions = vec!["eu-west-2".into()];
        assert_eq!(
            on_demand_after(&m, &[(Some("eu-west-2"), false)]),
            (false, vec![])
        );
        m.on_demand = false;
        m.on_demand_regions = vec![];
        assert_eq!(
            on_demand_after(&m, &[(Some("us-east-1"), true)]),
            (true, vec!["us-east-1".to_string()])
        );
        assert_eq!(on_demand_after(&m, &[(None, true)]), (true, vec![]));
    }

    #[test]
    fn profile_prefixes() {
        let r = rules();
        let c = compare(
            &r,
            &[ip(&[
                profile(
                    "us.anthropic.claude-sonnet-4-6",
                    "SYSTEM_DEFINED",
                    "anthropic.claude-sonnet-4-6",
                ),
                profile(
                    "global.anthropic.claude-sonnet-4-6",
                    "SYSTEM_DEFINED",
                    "anthropic.claude-sonnet-4-6",
                ),
                profile(
                    "mx.anthropic.claude-sonnet-4-6",
                    "SYSTEM_DEFINED",
                    "anthropic.claude-sonnet-4-6",
                ),
                profile("a1b2c3d4e5f6", "APPLICATION", "anthropic.claude-sonnet-4-6"),
                profile(
                    "us.Anthropic.Claude",
                    "SYSTEM_DEFINED",
                    "anthropic.claude-sonnet-4-6",
                ),
                profile(
                    "eu.anthropic.claude-sonnet-9",
                    "SYSTEM_DEFINED",
                    "anthropic.claude-sonnet-4-6",
                ),
            ]
            .join(","))],
            &opts(),
        );
        assert_eq!(
            with_kind(&c, ChangeKind::ProfilePrefix),
            [
                "new profile prefix: anthropic.claude-sonnet-4-6 global.",
                "new profile prefix: anthropic.claude-sonnet-4-6 mx. (a geography prefix the table does not know)",
            ]
        );
        assert_eq!(c.skipped_application_profiles["ip.json"], 1);
        assert_eq!(c.warnings.len(), 2, "{:?}", c.warnings);
        assert!(
            c.warnings[0].starts_with("ip.json: skipped inference profile `us.Anthropic.Claude`")
        );
        assert!(
            c.warnings[1].contains(
                "its models are `anthropic.claude-sonnet-4-6`, not `anthropic.claude-sonnet-9`"
            ),
            "{}",
            c.warnings[1]
        );
        let text = c.overlay_toml(&[]);
        assert!(text.contains("geo_prefixes = [\"mx\"]"), "{text}");
        let layered = layered(&c);
        assert_eq!(
            layered.get("anthropic.claude-sonnet-4-6").unwrap().profiles,
            ["us", "eu", "global", "mx"]
        );
        assert!(layered.geo_prefixes().contains(&"mx".to_string()));
    }

    #[test]
    fn not_listed_notes() {
        let r = rules();
        let c = compare(
            &r,
            &[fm(&model(
                "anthropic.claude-sonnet-4-6",
                r#""ON_DEMAND""#,
                ACTIVE,
            ))],
            &ImportOptions {
                region: Some("eu-west-2".into()),
                ..opts()
            },
        );
        // Other Anthropic models that are not end of life; no variants, no mantle IDs, no
        // other providers (the listing may be filtered by provider).
        assert_eq!(
            with_kind(&c, ChangeKind::NotListed),
            [
                "not listed in fm.json: anthropic.claude-opus-4-5-20251101-v1:0 (retired, or not offered in that Region)",
                "not listed in fm.json: anthropic.claude-sonnet-4-5-20250929-v1:0 (retired, or not offered in that Region)",
            ]
        );
        assert!(!c.has_differences());
        assert_eq!(c.summary(), "no differences from the table; 2 notes");
    }

    #[test]
    fn malformed_ids_are_skipped_with_a_warning() {
        let r = rules();
        let c = compare(
            &r,
            &[fm(
                r#"{"modelId": "Amazon.Titan"}, {"modelId": "amazon.rerank-v1:0/a1b2c3d4e5f6"}"#,
            )],
            &opts(),
        );
        assert_eq!(
            c.warnings,
            [
                "fm.json: skipped model ID `Amazon.Titan`: not a well-formed Bedrock model ID",
                "fm.json: skipped model ID `amazon.rerank-v1:0/a1b2c3d4e5f6`: not a well-formed Bedrock model ID",
            ]
        );
        assert!(c.changes.is_empty());
    }

    #[test]
    fn summary_and_order() {
        let r = rules();
        let c = compare(
            &r,
            &[
                fm(&[
                    model("writer.palmyra-x6-v1:0", r#""ON_DEMAND""#, ACTIVE),
                    model("amazon.nova-pro-v1:0", r#""INFERENCE_PROFILE""#, ACTIVE),
                    model("amazon.nova-2-v1:0", r#""ON_DEMAND""#, ACTIVE),
                ]
                .join(",")),
                ip(&profile(
                    "global.anthropic.claude-sonnet-4-6",
                    "SYSTEM_DEFINED",
                    "anthropic.claude-sonnet-4-6",
                )),
            ],
            &opts(),
        );
        assert_eq!(
            lines(&c),
            [
                "new model: amazon.nova-2-v1:0 (ACTIVE, on demand in us-east-1)",
                "new model: writer.palmyra-x6-v1:0 (ACTIVE, on demand in us-east-1)",
                "on demand differs in us-east-1: amazon.nova-pro-v1:0 inference profile only (table: on demand)",
                "new profile prefix: anthropic.claude-sonnet-4-6 global.",
            ]
        );
        assert_eq!(
            c.summary(),
            "4 differences from the table (2 new models, 1 on-demand change, 1 new profile prefix)"
        );
    }

    #[test]
    fn overlay_text_is_plain_toml_with_local_dates() {
        let r = rules();
        let legacy = r#"{"status": "LEGACY", "legacyTime": "2026-11-05T00:00:00+00:00", "endOfLifeTime": "2027-05-05T00:00:00+00:00"}"#;
        let c = compare(
            &r,
            &[fm(&model(
                "anthropic.claude-opus-4-5-20251101-v1:0",
                r#""INFERENCE_PROFILE""#,
                legacy,
            ))],
            &opts(),
        );
        let text = c.overlay_toml(&[]);
        assert_eq!(
            text,
            "schema_version = 1\n\n[[model]]\nid = \"anthropic.claude-opus-4-5-20251101-v1:0\"\n\n\
             [[model.lifecycle]]\nregions = [\"us-east-1\"]\nlegacy = 2026-11-05\neol = 2027-05-05\n"
        );
    }

    #[test]
    fn writes_atomically_and_never_clobbers_without_force() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("o.toml");
        write_overlay(&path, "schema_version = 1\n", false).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "schema_version = 1\n"
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o644
        );
        let e = write_overlay(&path, "x", false).unwrap_err();
        assert!(matches!(e, ImportError::OutputExists { .. }), "{e}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "schema_version = 1\n"
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_overlay(&path, "schema_version = 1\n# 2\n", true).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "schema_version = 1\n# 2\n"
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
