//! The on-disk format of a rules file (`rules/bedrock.toml` and user overlays), as serde
//! types. Every key is documented in `rules/README.md`.
//!
//! All model keys but `id` are optional here so that one format serves both the full table
//! and overlays that change a single field; [`super::load`] applies defaults and validates.
//! Values that errors must point at are [`Spanned`], so a bad date or an unknown replacement
//! is reported with the file, line and column where it is written.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use super::{Endpoint, Kind, Provenance, State};

/// A whole rules file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    /// Must be 1.
    pub schema_version: Option<Spanned<u32>>,
    /// The day the table was last checked against its sources (shown by `--version`).
    pub reviewed: Option<Spanned<Datetime>>,
    /// Geography prefixes of system-defined inference profiles.
    #[serde(default)]
    pub geo_prefixes: Vec<Spanned<String>>,
    /// Source key → what it stands for: a table `{ name, url, description }` (read by
    /// [`super::load`], which names the file, line and column of a malformed entry), or, in
    /// the old form still accepted from overlays, one string (see [`super::Source::from_text`]).
    #[serde(default)]
    pub sources: BTreeMap<String, Spanned<toml::Value>>,
    /// Strings shaped like model IDs that name no model (prompt-router IDs such as
    /// `anthropic.claude:1`) → what they are. Never reported.
    #[serde(default)]
    pub not_models: BTreeMap<String, String>,
    /// The models.
    #[serde(default)]
    pub model: Vec<ModelEntry>,
    /// Replacement policies that apply to every model whose ID matches a glob.
    #[serde(default)]
    pub policy: Vec<PolicyEntry>,
    /// Defaults for command-line options (a repository's `.bedrock-migrate.toml`).
    pub settings: Option<SettingsEntry>,
}

/// One `[[policy]]` table: "every model matching `match` is replaced by `replacement`".
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyEntry {
    /// A glob over model IDs (`*`, `?`, `[…]`, `{a,b}`), e.g. `anthropic.claude-3*-sonnet-*`.
    #[serde(rename = "match")]
    pub pattern: Spanned<String>,
    /// The model ID that replaces every match.
    pub replacement: Spanned<String>,
    /// Why (shown with every finding it decides).
    pub source: Option<String>,
}

/// The `[settings]` table: defaults for options that the command line can override.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsEntry {
    /// Default for `--profile-prefix`.
    pub profile_prefix: Option<Spanned<String>>,
    /// Defaults for `--prefix-map FROM=TO`, as a table `{ apac = "jp" }`.
    pub prefix_map: Option<BTreeMap<String, Spanned<String>>>,
    /// Paths never scanned or rewritten, walked or named on the command line: globs relative
    /// to the directory of the file that lists them (see `walk::Exclusions`).
    pub exclude: Option<Vec<Spanned<String>>>,
}

/// One `[[model]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelEntry {
    /// The model ID, e.g. `anthropic.claude-v2:1`.
    pub id: Spanned<String>,
    /// Human name.
    pub name: Option<String>,
    /// Provider (the ID's first dotted part when absent).
    pub provider: Option<String>,
    /// Request-body family (the provider when absent).
    pub body: Option<String>,
    /// Modality.
    pub kind: Option<Kind>,
    /// Explicit state, overriding the dates.
    pub state: Option<State>,
    /// Whether the bare ID can be invoked on demand.
    pub on_demand: Option<bool>,
    /// Regions where the bare ID was seen on demand.
    pub on_demand_regions: Option<Vec<String>>,
    /// Geography prefixes with a system inference profile for this model.
    pub profiles: Option<Vec<Spanned<String>>>,
    /// Endpoint that serves this ID.
    pub endpoint: Option<Endpoint>,
    /// For provisioned-throughput / context-window variants: the base model ID.
    pub variant_of: Option<Spanned<String>>,
    /// Source keys.
    pub sources: Option<Vec<String>>,
    /// Free-text citation.
    pub citation: Option<String>,
    /// Notes for users.
    pub notes: Option<Vec<String>>,
    /// Request parameters the model rejects (`temperature`, `top_p`, `top_k`).
    pub rejects: Option<Vec<String>>,
    /// Request parameters the model rejects when set together.
    pub rejects_together: Option<Vec<String>>,
    /// Misspellings of this ID seen in real code (`cohere.embed-english-v4:0` for
    /// `cohere.embed-v4:0`): reported as unknown with a "did you mean" pointing here.
    pub typos: Option<Vec<Spanned<String>>>,
    /// Lifecycle date groups.
    pub lifecycle: Option<Vec<LifecycleEntry>>,
    /// Replacements, preferred first.
    pub replacement: Option<Vec<ReplacementEntry>>,
}

/// One `[[model.lifecycle]]` table: dates that hold in a set of Regions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LifecycleEntry {
    /// Regions; absent for "all Regions named by AWS".
    #[serde(default)]
    pub regions: Vec<String>,
    /// Legacy date.
    pub legacy: Option<Spanned<Datetime>>,
    /// Start of public extended access.
    pub extended_access: Option<Spanned<Datetime>>,
    /// End of life.
    pub eol: Option<Spanned<Datetime>>,
}

/// One `[[model.replacement]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplacementEntry {
    /// The replacement model ID.
    pub id: Spanned<String>,
    /// Who recommends it.
    pub provenance: Provenance,
    /// Where the recommendation comes from.
    pub source: Option<String>,
}
