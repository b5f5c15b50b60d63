//! Shared by the unit tests: a small table and builders for listing text.

use chrono::NaiveDate;

use super::{ChangeKind, Comparison, ImportOptions, Listing, parse_listing};
use crate::rules::Rules;
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

pub(super) fn rules() -> Rules {
    load_sources(&[(TABLE, "table.toml")]).unwrap()
}

pub(super) fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub(super) fn opts() -> ImportOptions {
    ImportOptions {
        as_of: d("2026-11-21"),
        region: None,
    }
}

pub(super) fn fm(entries: &str) -> Listing {
    parse_listing(&format!("{{\"modelSummaries\": [{entries}]}}"), "fm.json").unwrap()
}

pub(super) fn ip(entries: &str) -> Listing {
    parse_listing(
        &format!("{{\"inferenceProfileSummaries\": [{entries}]}}"),
        "ip.json",
    )
    .unwrap()
}

/// A foundation-model summary in us-east-1.
pub(super) fn model(id: &str, types: &str, lifecycle: &str) -> String {
    format!(
        r#"{{"modelArn": "arn:aws:bedrock:us-east-1::foundation-model/{id}", "modelId": "{id}",
                "modelName": "Some Model", "providerName": "Anthropic", "responseStreamingSupported": true,
                "inferenceTypesSupported": [{types}], "modelLifecycle": {lifecycle}}}"#
    )
}

pub(super) fn profile(id: &str, kind: &str, model_id: &str) -> String {
    format!(
        r#"{{"inferenceProfileName": "P", "inferenceProfileArn": "arn:aws:bedrock:us-east-1:123456789012:inference-profile/{id}",
                "inferenceProfileId": "{id}", "status": "ACTIVE", "type": "{kind}",
                "models": [{{"modelArn": "arn:aws:bedrock:us-east-1::foundation-model/{model_id}"}}]}}"#
    )
}

pub(super) const ACTIVE: &str = r#"{"status": "ACTIVE"}"#;

pub(super) fn lines(c: &Comparison) -> Vec<String> {
    c.changes.iter().map(|c| c.message.clone()).collect()
}

pub(super) fn with_kind(c: &Comparison, kind: ChangeKind) -> Vec<String> {
    c.changes
        .iter()
        .filter(|c| c.kind == kind)
        .map(|c| c.message.clone())
        .collect()
}

/// The overlay layered on the test table; it must load.
pub(super) fn layered(c: &Comparison) -> Rules {
    let text = c.overlay_toml(&[]);
    load_sources(&[(TABLE, "table.toml"), (&text, "overlay.toml")])
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
}
