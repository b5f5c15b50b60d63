//! Reading saved listings: the JSON that `aws bedrock list-foundation-models` and
//! `aws bedrock list-inference-profiles` print, parsed into [`Listing`]s, with the timestamp
//! and ARN helpers they need. Nothing here knows the table.

use std::fmt;
use std::path::Path;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::ImportError;
use crate::rules::lifecycle;

/// What a listing file must look like, for error messages.
const EXPECTED: &str = "expected the JSON output of `aws bedrock list-foundation-models` (an object with `modelSummaries`) or of `aws bedrock list-inference-profiles` (an object with `inferenceProfileSummaries`)";

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
pub(super) fn model_of_arn(arn: &str) -> Option<&str> {
    arn.split_once(":foundation-model/").map(|(_, id)| id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::import::test_support::{d, fm, ip, profile};

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
}
