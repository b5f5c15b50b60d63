//! Rules: the lifecycle table — which IDs are known models, where each stands on a date,
//! and what replaces it.
//!
//! The table is data, not code: `rules/bedrock.toml` is embedded in the binary and users
//! layer overlays on it (`--rules FILE`). [`load`] turns files into a validated [`Rules`];
//! [`lifecycle`] derives a model's state from its dates (so a hook starts failing on the day
//! a model turns legacy without anyone editing the table); [`resolve`] follows replacement
//! chains to the first model that is still callable; [`import`] compares saved AWS listings
//! (`list-foundation-models`, `list-inference-profiles`) with the table and builds an overlay;
//! [`cite`] turns the source keys rows cite (`S20`) into the sources' short names for users.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model_ref::Grammar;

pub mod cite;
pub mod import;
pub mod lifecycle;
pub mod load;
pub mod render;
pub mod resolve;
pub mod schema;
#[cfg(test)]
mod table_checks;

pub use cite::Source;
pub use lifecycle::Status;
pub use load::{RulesError, load_default, load_with_overlays};
pub use resolve::{Resolution, ResolveOptions};

/// The AWS Regions as of December 2026 (commercial, GovCloud, China): a `--region` one or two
/// letters from one of these is a typo, while a new Region that resembles none is accepted.
pub const AWS_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
];

/// The rules table embedded in the binary.
pub const DEFAULT_RULES: &str = include_str!("../../rules/bedrock.toml");
/// The name the embedded table goes by in messages.
pub const DEFAULT_RULES_NAME: &str = "<embedded rules/bedrock.toml>";

/// Where a model stands in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Callable, no retirement announced.
    Active,
    /// Announced for retirement; new customers cannot use it; still callable.
    Legacy,
    /// End of life: every call fails.
    Eol,
    /// No lifecycle notice covers the Region evaluated (the model may not be offered there,
    /// or may still answer); also an explicit `state` for a model whose fate is unknown.
    Unknown,
}

impl State {
    /// Lowercase name as used in reports and flags.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Active => "active",
            State::Legacy => "legacy",
            State::Eol => "eol",
            State::Unknown => "unknown",
        }
    }
}

/// What a model produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Text / chat / multimodal understanding.
    #[default]
    Text,
    /// Image generation.
    Image,
    /// Video generation or understanding.
    Video,
    /// Embeddings: replacing one changes the vector space.
    Embedding,
    /// Speech-to-speech.
    Speech,
    /// Reranking.
    Rerank,
}

/// The endpoint that serves an ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Endpoint {
    /// `bedrock-runtime` (InvokeModel, Converse).
    #[default]
    Runtime,
    /// `bedrock-mantle` only (Messages/OpenAI-compatible API); not valid on runtime.
    Mantle,
}

/// Who recommends a replacement; decides whether `fix` applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provenance {
    /// Published by AWS.
    Official,
    /// Community or provider guidance; reported, applied only on request.
    Suggested,
    /// The user's own choice in an overlay; applied like official.
    Policy,
}

impl Provenance {
    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Official => "official",
            Provenance::Suggested => "suggested",
            Provenance::Policy => "policy",
        }
    }
}

/// Dates that hold in a set of Regions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifecycle {
    /// The Regions; empty means every Region AWS named for the model.
    pub regions: Vec<String>,
    /// Legacy from this date.
    pub legacy: Option<NaiveDate>,
    /// Public extended access from this date.
    pub extended_access: Option<NaiveDate>,
    /// End of life from this date.
    pub eol: Option<NaiveDate>,
}

/// A replacement for a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// The replacement's model ID.
    pub id: String,
    /// Who recommends it.
    pub provenance: Provenance,
    /// Where it comes from (source key or citation).
    pub source: Option<String>,
}

/// One model of the table, with defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// The model ID.
    pub id: String,
    /// Human name (the ID when the table has none).
    pub name: String,
    /// Provider (`anthropic`).
    pub provider: String,
    /// Request-body family (`anthropic-messages`): same family means the same InvokeModel
    /// request and response shapes.
    pub body: String,
    /// Modality.
    pub kind: Kind,
    /// Explicit state that overrides the dates.
    pub explicit_state: Option<State>,
    /// Whether the bare ID can be invoked on demand somewhere.
    pub on_demand: bool,
    /// Regions where the bare ID was seen on demand (empty: unknown or everywhere).
    pub on_demand_regions: Vec<String>,
    /// Geography prefixes with a system inference profile.
    pub profiles: Vec<String>,
    /// The endpoint that serves the ID.
    pub endpoint: Endpoint,
    /// For provisioned-throughput / context-window variants: the base model.
    pub variant_of: Option<String>,
    /// Source keys.
    pub sources: Vec<String>,
    /// Free-text citation.
    pub citation: Option<String>,
    /// Notes shown with every finding on this model.
    pub notes: Vec<String>,
    /// Request parameters the model rejects (HTTP 400), normalised names.
    pub rejects: Vec<String>,
    /// Request parameters the model rejects when all are set in one request.
    pub rejects_together: Vec<String>,
    /// Misspellings of this ID seen in real code.
    pub typos: Vec<String>,
    /// Date groups.
    pub lifecycle: Vec<Lifecycle>,
    /// Replacements, preferred first.
    pub replacements: Vec<Replacement>,
}

impl Model {
    /// A model with only an ID and the defaults of the table format: provider from the ID,
    /// body family = provider, text, on demand, no dates, no replacements.
    pub fn new(id: &str) -> Model {
        let provider = id.split('.').next().unwrap_or_default().to_string();
        Model {
            id: id.to_string(),
            name: id.to_string(),
            body: provider.clone(),
            provider,
            kind: Kind::Text,
            explicit_state: None,
            on_demand: true,
            on_demand_regions: vec![],
            profiles: vec![],
            endpoint: Endpoint::Runtime,
            variant_of: None,
            sources: vec![],
            citation: None,
            notes: vec![],
            rejects: vec![],
            rejects_together: vec![],
            typos: vec![],
            lifecycle: vec![],
            replacements: vec![],
        }
    }

    /// True when the ID can be invoked without an inference profile in `region`. With no
    /// Region, only a model that is on demand everywhere qualifies: Opus 4.6 is on demand in
    /// eu-west-2 alone, so a bare rewrite to it would fail wherever else the code runs.
    pub fn invocable_bare(&self, region: Option<&str>) -> bool {
        if !self.on_demand {
            return false;
        }
        match region {
            _ if self.on_demand_regions.is_empty() => true,
            Some(r) => self.on_demand_regions.iter().any(|x| x == r),
            None => false,
        }
    }

    /// True when a system inference profile with geography prefix `geo` exists.
    pub fn has_profile(&self, geo: &str) -> bool {
        self.profiles.iter().any(|p| p == geo)
    }
}

/// The validated lifecycle table.
#[derive(Debug, Clone)]
pub struct Rules {
    models: Vec<Model>,
    index: HashMap<String, usize>,
    geo_prefixes: Vec<String>,
    sources: BTreeMap<String, Source>,
    grammar: Grammar,
    /// Sorted IDs, for the "is this a strict prefix of a known ID" question.
    sorted_ids: Vec<String>,
    /// `provider.family` of every ID (see [`family_of`]).
    families: HashSet<String>,
    settings: Settings,
    /// Strings that look like model IDs but name no model → what they are.
    not_models: BTreeMap<String, String>,
    /// Misspelling → the model ID it means.
    typos: HashMap<String, String>,
    /// The day the table was last checked against its sources (the last file that says).
    reviewed: Option<NaiveDate>,
}

/// Option defaults from the `[settings]` tables of the loaded files (later files win; the
/// command line wins over all of them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Default `--profile-prefix`.
    pub profile_prefix: Option<String>,
    /// Default `--prefix-map` entries: old geography prefix → new one.
    pub prefix_map: BTreeMap<String, String>,
    /// `exclude` globs of every loaded file (they add up), each with the directory it is
    /// relative to.
    pub exclude: Vec<ExcludePattern>,
}

/// One `exclude` glob of a `[settings]` table, already checked to compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcludePattern {
    /// The glob as written (`vendor`, `build/**`, `*.generated.ts`).
    pub pattern: String,
    /// The directory of the file that lists it, as that file was named (empty: the current
    /// directory); the glob is matched against paths relative to it.
    pub base: std::path::PathBuf,
    /// The file that lists it, as that file was named (for messages).
    pub file: std::path::PathBuf,
}

/// The family of an ID: provider and the first word of the name without trailing digits
/// (`anthropic.claude`, `meta.llama`, `amazon.titan`, `openai.gpt`). Unknown IDs are only
/// reported when their family is known, which keeps `google.com:80`, `writer.write-2` or
/// `amazon.aws-cdk-lib-2.0` out of the report.
pub fn family_of(id: &str) -> Option<String> {
    let (provider, name) = id.split_once('.')?;
    let word = name.split(['-', '.', ':']).next()?;
    let word = word.trim_end_matches(|c: char| c.is_ascii_digit());
    (!word.is_empty()).then(|| format!("{provider}.{word}"))
}

impl Rules {
    /// Build from validated models. Use [`load_default`] or [`load_with_overlays`].
    pub(crate) fn new(
        models: Vec<Model>,
        geo_prefixes: Vec<String>,
        sources: BTreeMap<String, Source>,
    ) -> Rules {
        let index = models
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.clone(), i))
            .collect();
        let mut providers: Vec<&str> = models.iter().map(|m| m.provider.as_str()).collect();
        providers.sort_unstable();
        providers.dedup();
        let grammar = Grammar::new(&providers, &geo_prefixes);
        let mut sorted_ids: Vec<String> = models.iter().map(|m| m.id.clone()).collect();
        sorted_ids.sort();
        let families = models.iter().filter_map(|m| family_of(&m.id)).collect();
        let typos = models
            .iter()
            .flat_map(|m| m.typos.iter().map(|t| (t.clone(), m.id.clone())))
            .collect();
        Rules {
            models,
            index,
            geo_prefixes,
            sources,
            grammar,
            sorted_ids,
            families,
            settings: Settings::default(),
            not_models: BTreeMap::new(),
            typos,
            reviewed: None,
        }
    }

    /// Option defaults from the loaded files.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub(crate) fn with_settings(mut self, settings: Settings) -> Rules {
        self.settings = settings;
        self
    }

    pub(crate) fn with_reviewed(mut self, reviewed: Option<NaiveDate>) -> Rules {
        self.reviewed = reviewed;
        self
    }

    /// The day the table was last checked against its sources, when it says.
    pub fn reviewed(&self) -> Option<NaiveDate> {
        self.reviewed
    }

    pub(crate) fn with_not_models(mut self, not_models: BTreeMap<String, String>) -> Rules {
        self.not_models = not_models;
        self
    }

    /// What a string that looks like a model ID but names no model is (a prompt router),
    /// when the table lists it.
    pub fn not_model(&self, id: &str) -> Option<&str> {
        self.not_models.get(id).map(String::as_str)
    }

    /// Every string the table lists as not a model, with what it is.
    pub fn not_models(&self) -> &BTreeMap<String, String> {
        &self.not_models
    }

    /// The model a known misspelling means (`cohere.embed-english-v4:0` →
    /// `cohere.embed-v4:0`).
    pub fn typo_of(&self, id: &str) -> Option<&str> {
        self.typos.get(id).map(String::as_str)
    }

    /// The model with this exact ID.
    pub fn get(&self, id: &str) -> Option<&Model> {
        self.index.get(id).map(|&i| &self.models[i])
    }

    /// Every model, in table order.
    pub fn models(&self) -> &[Model] {
        &self.models
    }

    /// Geography prefixes of system inference profiles.
    pub fn geo_prefixes(&self) -> &[String] {
        &self.geo_prefixes
    }

    /// Every Region the table names (in lifecycle groups and on-demand lists) and every AWS
    /// Region of [`AWS_REGIONS`], sorted.
    pub fn known_regions(&self) -> std::collections::BTreeSet<&str> {
        self.models
            .iter()
            .flat_map(|m| {
                m.lifecycle
                    .iter()
                    .flat_map(|g| g.regions.iter())
                    .chain(m.on_demand_regions.iter())
            })
            .map(String::as_str)
            .chain(AWS_REGIONS.iter().copied())
            .collect()
    }

    /// Every source key with what it stands for.
    pub fn sources(&self) -> &BTreeMap<String, Source> {
        &self.sources
    }

    /// The source a key stands for.
    pub fn source(&self, key: &str) -> Option<&Source> {
        self.sources.get(key)
    }

    /// Text of the table (a note, a replacement's `source`) as users read it: every source
    /// key this table defines replaced by the source's short name, `(S20)` by
    /// `(source: NAME)` (see [`cite::cite`]). Every note and reason that reaches a report
    /// goes through here once; `citation` stays with its keys (`rules show` lists them).
    pub fn cite(&self, text: &str) -> String {
        cite::cite(text, |key| self.source(key).map(|s| s.name.as_str()))
    }

    /// The sources `text` cites by a key this table defines, in order, each once.
    pub fn cited_sources<'a>(&'a self, text: &'a str) -> Vec<(&'a str, &'a Source)> {
        let mut out: Vec<(&str, &Source)> = Vec::new();
        for key in cite::source_keys_in(text) {
            if let Some(source) = self.source(key)
                && !out.iter().any(|(k, _)| *k == key)
            {
                out.push((key, source));
            }
        }
        out
    }

    /// The model-ID grammar built from this table's providers and prefixes.
    pub fn grammar(&self) -> &Grammar {
        &self.grammar
    }

    /// True when `id` belongs to a family of known models (see [`family_of`]).
    pub fn is_known_family(&self, id: &str) -> bool {
        family_of(id).is_some_and(|f| self.families.contains(&f))
    }

    /// The known ID that `id` is missing a `:N` suffix of (`meta.llama3-2-11b-instruct-v1`
    /// for `…-v1:0`), if any: such a truncated ID fails at run time, unlike a family prefix.
    pub fn completion_after_colon(&self, id: &str) -> Option<&str> {
        let with_colon = format!("{id}:");
        let i = self
            .sorted_ids
            .partition_point(|k| k.as_str() < with_colon.as_str());
        self.sorted_ids
            .get(i)
            .filter(|k| k.starts_with(&with_colon))
            .map(String::as_str)
    }

    /// True when `text` is a strict prefix of a known ID (`anthropic.claude-3` in a
    /// `startswith` check): a family prefix, not a reference.
    pub fn is_family_prefix(&self, text: &str) -> bool {
        let i = self.sorted_ids.partition_point(|id| id.as_str() <= text);
        self.sorted_ids
            .get(i)
            .is_some_and(|id| id.starts_with(text) && id.len() > text.len())
    }
}
