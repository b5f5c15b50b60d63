//! Consistency checks over the embedded lifecycle table (`rules/bedrock.toml`).
//!
//! The table is maintained by hand; these tests are what keeps it consistent. Each test is one
//! invariant, checked over every row, and fails with the offending model IDs and what to do.
//! The loader itself rejects malformed files (unknown keys, malformed IDs, out-of-order dates
//! within a group, unknown replacement or `variant_of` targets, unknown profile prefixes,
//! duplicate IDs, replacement cycles over every provenance, typos and `not_models` clashes):
//! for those, [`embedded_table_loads_and_every_id_is_one_reference`] is the check, and
//! `load.rs` tests each rejection on a minimal table. Everything here is what the loader
//! accepts but the table must not contain. The list is mirrored in `rules/README.md`,
//! "Checks `cargo test` performs".

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::OnceLock;

use chrono::NaiveDate;

use super::cite::source_keys_in;
use super::load::{is_well_formed_id, load_default};
use super::schema::RulesFile;
use super::{DEFAULT_RULES, Endpoint, Kind, Lifecycle, Model, Provenance, Rules, State, lifecycle};
use crate::callsite::common::sampling_param;

/// The phrase a note must contain for a retired model that has no live successor on Bedrock
/// (see [`every_retired_model_reaches_an_active_successor_or_says_there_is_none`]). Write the
/// note as "No successor from <provider> on Bedrock" (e.g. "No successor from AI21 Labs on
/// Bedrock."); anything containing "No successor" (case-sensitive) is accepted.
const NO_SUCCESSOR: &str = "No successor";

/// The day [`every_retired_model_reaches_an_active_successor_or_says_there_is_none`] looks at.
const SUCCESSOR_DATE: (i32, u32, u32) = (2026, 12, 1);

/// What a `[sources]` citation without a link must say instead of a URL.
const NO_URL: &str = "no URL given";

/// The embedded table, loaded once for all tests of this module.
fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        load_default()
            .unwrap_or_else(|e| panic!("the embedded rules/bedrock.toml does not load: {e}"))
    })
}

/// The embedded table as written, before the loader merges or defaults anything.
fn raw() -> RulesFile {
    toml::from_str(DEFAULT_RULES)
        .unwrap_or_else(|e| panic!("the embedded rules/bedrock.toml does not parse: {e}"))
}

/// Fail with every problem found, one per line, under the invariant they break.
fn check(invariant: &str, problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "rules/bedrock.toml: {invariant}; {} problem(s):\n  {}\n",
        problems.len(),
        problems.join("\n  ")
    );
}

fn model<'a>(rules: &'a Rules, id: &str) -> &'a Model {
    rules
        .get(id)
        .unwrap_or_else(|| panic!("`{id}` is not in the table (the loader should have said so)"))
}

/// 1. The table loads (every loader check passes) and the table's own grammar reads each ID
///    as exactly one reference to itself — otherwise the scanner could never report it.
#[test]
fn embedded_table_loads_and_every_id_is_one_reference() {
    let rules = rules();
    assert!(
        rules.models().len() > 100,
        "the embedded table has only {} models; was it truncated?",
        rules.models().len()
    );
    let mut problems = Vec::new();
    for m in rules.models() {
        if !is_well_formed_id(&m.id) {
            problems.push(format!("`{}`: not a well-formed model ID", m.id));
            continue;
        }
        let found = rules.grammar().find(&m.id);
        let ids: Vec<&str> = found.iter().map(|r| r.id.as_str()).collect();
        if ids != [m.id.as_str()] {
            problems.push(format!(
                "`{}`: the ID grammar reads it as {ids:?}, not as itself once; fix the ID or `geo_prefixes`",
                m.id
            ));
        }
    }
    check(
        "every model ID must read as exactly one reference to itself",
        problems,
    );
}

/// The sort key of a date group: groups with Regions first, by EOL, then legacy, then
/// extended-access date (a missing date after every date), then by their Regions; the group
/// without Regions last.
fn group_key(
    g: &Lifecycle,
) -> (
    bool,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    &[String],
) {
    let later = |d: Option<NaiveDate>| d.or(Some(NaiveDate::MAX));
    (
        g.regions.is_empty(),
        later(g.eol),
        later(g.legacy),
        later(g.extended_access),
        &g.regions,
    )
}

/// 2. Within a model, date groups are ordered by EOL, then legacy, then extended-access
///    date (missing dates last), ties by Regions, and the group without `regions` comes last.
///    (Date order inside one group, legacy ≤ extended access ≤ EOL, is a loader check.)
#[test]
fn lifecycle_groups_are_ordered_by_eol_then_legacy_then_extended_access() {
    let problems = rules()
        .models()
        .iter()
        .filter(|m| {
            m.lifecycle
                .windows(2)
                .any(|w| group_key(&w[0]) > group_key(&w[1]))
        })
        .map(|m| {
            format!(
                "`{}`: reorder its [[model.lifecycle]] groups: earliest EOL first (then legacy, then extended access; a missing date sorts after every date), the group without `regions` last",
                m.id
            )
        })
        .collect();
    check("date groups must be in canonical order", problems);
}

/// 2b. A group without dates names the Regions where the model is still active (a group
///     with neither dates nor Regions says nothing), and two groups of a model never carry
///     the same three dates (merge them).
#[test]
fn lifecycle_groups_have_dates_or_name_active_regions_and_differ_in_them() {
    let mut problems = Vec::new();
    for m in rules().models() {
        let mut seen = HashSet::new();
        for g in &m.lifecycle {
            let dates = (g.legacy, g.extended_access, g.eol);
            if dates == (None, None, None) && g.regions.is_empty() {
                problems.push(format!(
                    "`{}`: a date group has neither dates nor Regions; add the dates, name the Regions where the model is active, or remove the group",
                    m.id
                ));
            } else if !seen.insert(dates) {
                problems.push(format!(
                    "`{}`: two date groups have the same dates {dates:?}; merge their `regions`",
                    m.id
                ));
            }
        }
    }
    check("date groups must say something of their own", problems);
}

/// 3. Every group's `regions` is sorted, without duplicates, and each entry is a Region
///    name; no Region is named by two groups of one model; at most one group has no
///    `regions`.
#[test]
fn lifecycle_regions_are_sorted_valid_and_named_once_per_model() {
    let mut problems = Vec::new();
    for m in rules().models() {
        let mut named: HashSet<&str> = HashSet::new();
        for g in &m.lifecycle {
            if !g.regions.windows(2).all(|w| w[0] < w[1]) {
                problems.push(format!(
                    "`{}`: `regions = {:?}` must be sorted and without duplicates",
                    m.id, g.regions
                ));
            }
            for r in &g.regions {
                if !lifecycle::is_region_name(r) {
                    problems.push(format!(
                        "`{}`: `{r}` in `regions` is not an AWS Region name (like `us-east-1`)",
                        m.id
                    ));
                }
                if !named.insert(r) {
                    problems.push(format!(
                        "`{}`: Region `{r}` is named by two date groups; keep it in one",
                        m.id
                    ));
                }
            }
        }
        let unnamed = m.lifecycle.iter().filter(|g| g.regions.is_empty()).count();
        if unnamed > 1 {
            problems.push(format!(
                "`{}`: {unnamed} date groups without `regions`; at most one may apply to \"every other Region\"",
                m.id
            ));
        }
    }
    check(
        "lifecycle Regions must be sorted, valid and unique",
        problems,
    );
}

/// 3b. `on_demand_regions` is sorted, without duplicates, made of Region names, and only
///     written on a model that is on demand (with `on_demand = false` it would be ignored).
#[test]
fn on_demand_regions_are_sorted_valid_and_only_on_on_demand_models() {
    let mut problems = Vec::new();
    for m in rules().models() {
        let regions = &m.on_demand_regions;
        if !regions.windows(2).all(|w| w[0] < w[1]) {
            problems.push(format!(
                "`{}`: `on_demand_regions = {regions:?}` must be sorted and without duplicates",
                m.id
            ));
        }
        for r in regions.iter().filter(|r| !lifecycle::is_region_name(r)) {
            problems.push(format!(
                "`{}`: `{r}` in `on_demand_regions` is not an AWS Region name",
                m.id
            ));
        }
        if !m.on_demand && !regions.is_empty() {
            problems.push(format!(
                "`{}`: `on_demand = false` with `on_demand_regions`; drop one of them",
                m.id
            ));
        }
    }
    check("on_demand_regions must be consistent", problems);
}

/// 4. A provisioned-throughput / context-window variant points at a base model that is not
///    itself a variant, its ID is the base ID plus a `:suffix`, it has the base's `body` and
///    `kind`, no replacements (a purchase cannot be rewritten by text), and
///    `on_demand = false`. (That `variant_of` and replacement targets exist is a loader check.)
#[test]
fn variants_match_their_base_and_are_never_rewritten() {
    let rules = rules();
    let mut problems = Vec::new();
    for m in rules.models() {
        let Some(base_id) = &m.variant_of else {
            continue;
        };
        let base = model(rules, base_id);
        if let Some(grand) = &base.variant_of {
            problems.push(format!(
                "`{}`: its base `{base_id}` is itself a variant (of `{grand}`); point `variant_of` at `{grand}`",
                m.id
            ));
        }
        if !m.id.starts_with(&format!("{base_id}:")) {
            problems.push(format!(
                "`{}`: a variant's ID must be its base ID `{base_id}` plus `:suffix`; check `variant_of`",
                m.id
            ));
        }
        if (&m.body, m.kind) != (&base.body, base.kind) {
            problems.push(format!(
                "`{}`: body/kind {}/{:?} differ from its base `{base_id}` ({}/{:?}); copy the base's",
                m.id, m.body, m.kind, base.body, base.kind
            ));
        }
        if !m.replacements.is_empty() {
            problems.push(format!(
                "`{}`: a variant takes no [[model.replacement]]; remove them (the base's replacements are what users migrate to)",
                m.id
            ));
        }
        if m.on_demand {
            problems.push(format!(
                "`{}`: a variant is never invocable on demand; write `on_demand = false`",
                m.id
            ));
        }
    }
    check("variants must follow their base model", problems);
}

/// 5. A model lists each replacement once. (Cycles over every provenance together —
///    official, suggested and policy — are a loader check: its search follows all of them.)
///    The embedded table never has `policy` replacements (those are the user's, in
///    overlays), and lists `official` ones before `suggested` ones.
#[test]
fn replacements_are_listed_once_official_first_and_never_policy() {
    let mut problems = Vec::new();
    for m in rules().models() {
        let mut seen = HashSet::new();
        for r in &m.replacements {
            if !seen.insert(r.id.as_str()) {
                problems.push(format!(
                    "`{}`: replacement `{}` is listed twice; keep the first",
                    m.id, r.id
                ));
            }
            if r.provenance == Provenance::Policy {
                problems.push(format!(
                    "`{}`: replacement `{}` has provenance `policy`, which belongs in a user overlay; use `official` or `suggested`",
                    m.id, r.id
                ));
            }
        }
        if m.replacements.windows(2).any(|w| {
            w[0].provenance == Provenance::Suggested && w[1].provenance == Provenance::Official
        }) {
            problems.push(format!(
                "`{}`: put the `official` replacements before the `suggested` ones",
                m.id
            ));
        }
    }
    check("replacement lists must be well-formed", problems);
}

/// 6. `geo_prefixes` has no duplicates (the loader merges them silently) and each is a
///    lowercase word or words joined by `-`; a model's `profiles` names each prefix once.
///    (That every profile prefix is in `geo_prefixes` is a loader check.)
#[test]
fn geo_prefixes_and_profiles_are_unique() {
    let mut problems = Vec::new();
    let raw = raw();
    let mut seen = HashSet::new();
    for g in raw.geo_prefixes.iter().map(|g| g.get_ref()) {
        if !seen.insert(g.as_str()) {
            problems.push(format!("`geo_prefixes`: `{g}` is listed twice; remove one"));
        }
        let word = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase());
        if !g.split('-').all(word) {
            problems.push(format!(
                "`geo_prefixes`: `{g}` is not a prefix like `us` or `us-gov`"
            ));
        }
    }
    for m in rules().models() {
        let mut seen = HashSet::new();
        for p in m.profiles.iter().filter(|p| !seen.insert(p.as_str())) {
            problems.push(format!(
                "`{}`: profile prefix `{p}` is listed twice; remove one",
                m.id
            ));
        }
    }
    check("geography prefixes must be unique", problems);
}

/// 7a. Every source key a row cites — in `sources`, in a replacement's `source` (bare, like
///     `S1`, or within text, like `S17, S10 PR#307`) — is defined in `[sources]`.
#[test]
fn every_cited_source_key_is_defined() {
    let rules = rules();
    let mut problems = Vec::new();
    for m in rules.models() {
        let cited = m.sources.iter().map(String::as_str).chain(
            m.replacements
                .iter()
                .flat_map(|r| source_keys_in(r.source.as_deref().unwrap_or_default())),
        );
        for key in cited.collect::<BTreeSet<_>>() {
            if rules.source(key).is_none() {
                problems.push(format!(
                    "`{}`: cites source `{key}`, which `[sources]` does not define; add it or fix the key",
                    m.id
                ));
            }
        }
    }
    check("every cited source must be defined", problems);
}

/// 7b. A row's `sources` lists every source key its `citation`, `notes` and replacement
///     `source`s name, so that `sources` alone says what the row rests on.
#[test]
fn row_sources_list_every_key_the_row_cites() {
    let mut problems = Vec::new();
    for m in rules().models() {
        let texts = m
            .citation
            .iter()
            .chain(&m.notes)
            .chain(m.replacements.iter().filter_map(|r| r.source.as_ref()));
        let named: BTreeSet<&str> = texts.flat_map(|t| source_keys_in(t)).collect();
        let missing: Vec<&str> = named
            .into_iter()
            .filter(|k| !m.sources.iter().any(|s| s == k))
            .collect();
        if !missing.is_empty() {
            problems.push(format!(
                "`{}`: cites {missing:?} in its citation, notes or replacements but not in `sources`; add them to `sources`",
                m.id
            ));
        }
    }
    check("`sources` must list every key the row cites", problems);
}

/// 7c. Every `[sources]` key is cited by some row (no dead sources).
#[test]
fn every_defined_source_is_cited() {
    let rules = rules();
    let cited: HashSet<&str> = rules
        .models()
        .iter()
        .flat_map(|m| {
            m.sources.iter().map(String::as_str).chain(
                m.replacements
                    .iter()
                    .flat_map(|r| source_keys_in(r.source.as_deref().unwrap_or_default())),
            )
        })
        .collect();
    let problems = raw()
        .sources
        .keys()
        .filter(|k| !cited.contains(k.as_str()))
        .map(|k| format!("`[sources]` key `{k}` is cited by no model; remove it"))
        .collect();
    check("every source must be cited", problems);
}

/// 7d. Every source has a link (`url`) or its `description` says "no URL given".
#[test]
fn every_source_has_a_url_or_says_none_was_given() {
    let problems = rules()
        .sources()
        .iter()
        .filter(|(_, s)| {
            s.urls.is_empty() && !s.description.as_deref().unwrap_or_default().contains(NO_URL)
        })
        .map(|(k, _)| {
            format!("`[sources.{k}]`: add its `url`, or write \"{NO_URL}\" in its `description` when there is none")
        })
        .collect();
    check("every source must have a URL", problems);
}

/// The longest short name of a source: it stands inside every note that cites the source.
const MAX_SOURCE_NAME: usize = 60;

/// 7f. Every source is written as a table with a short human `name` (not the old one-string
///     form, whose name the loader would derive): at most [`MAX_SOURCE_NAME`] characters,
///     without `;` (names in one citation are joined with it) and without a source key, each
///     name used by one source only — reports show the name where the table writes the key.
#[test]
fn every_source_has_a_short_distinct_name() {
    let mut problems = Vec::new();
    for (key, entry) in &raw().sources {
        if !entry
            .get_ref()
            .as_table()
            .is_some_and(|t| t.contains_key("name"))
        {
            problems.push(format!(
                "`[sources]` `{key}`: write it as `[sources.{key}]` with `name`, `url` and `description`"
            ));
        }
    }
    let mut names: BTreeMap<&str, &str> = BTreeMap::new();
    for (key, source) in rules().sources() {
        let name = source.name.as_str();
        if name.chars().count() > MAX_SOURCE_NAME || name.contains(';') {
            problems.push(format!(
                "`[sources.{key}]`: name {name:?} must be at most {MAX_SOURCE_NAME} characters and have no `;`; move the detail to `description`"
            ));
        }
        if !source_keys_in(name).is_empty() {
            problems.push(format!(
                "`[sources.{key}]`: name {name:?} contains a source key; reports would show it bare"
            ));
        }
        if let Some(other) = names.insert(name, key) {
            problems.push(format!(
                "`[sources.{key}]` and `[sources.{other}]` are both named {name:?}; tell them apart (a date, an edition)"
            ));
        }
    }
    check("every source must have a short, distinct name", problems);
}

/// 7g. What users read has no source key: every note and replacement `source`, as a finding
///     or `rules show` shows it ([`Rules::cite`]), names its sources instead.
#[test]
fn cited_notes_and_replacement_sources_show_no_key() {
    let rules = rules();
    let mut problems = Vec::new();
    for m in rules.models() {
        let texts = m
            .notes
            .iter()
            .chain(m.replacements.iter().filter_map(|r| r.source.as_ref()));
        for text in texts {
            let shown = rules.cite(text);
            let keys = source_keys_in(&shown);
            if !keys.is_empty() {
                problems.push(format!(
                    "`{}`: {shown:?} still shows {keys:?}; define the key in `[sources]` or reword",
                    m.id
                ));
            }
        }
    }
    check(
        "notes and replacement sources must name their sources",
        problems,
    );
}

/// 7e. Every replacement says where it comes from (`source`).
#[test]
fn every_replacement_has_a_source() {
    let mut problems = Vec::new();
    for m in rules().models() {
        for r in &m.replacements {
            if r.source.as_deref().is_none_or(|s| s.trim().is_empty()) {
                problems.push(format!(
                    "`{}`: replacement `{}` has no `source`; cite a `[sources]` key or the page it comes from",
                    m.id, r.id
                ));
            }
        }
    }
    check("every replacement must have a source", problems);
}

/// 8. An explicit `state` is only written on a row without dates, and is not `active`.
///    With dates it would override them on every day (dead data, and wrong on the days before
///    the dates reach that state); `active` is what a row without dates is anyway.
#[test]
fn explicit_state_is_only_on_rows_without_dates() {
    let mut problems = Vec::new();
    for m in rules().models() {
        let Some(state) = m.explicit_state else {
            continue;
        };
        if !m.lifecycle.is_empty() {
            problems.push(format!(
                "`{}`: `state = \"{}\"` with date groups; remove `state` (the dates give the state) or the dates",
                m.id,
                state.as_str()
            ));
        }
        if state == State::Active {
            problems.push(format!(
                "`{}`: `state = \"active\"` is the default; remove it",
                m.id
            ));
        }
    }
    check("an explicit state must not contradict dates", problems);
}

/// 9a. A replacement is served by the same endpoint as the model it replaces (a runtime
///     model is never replaced by a bedrock-mantle-only ID) and is not a
///     provisioned-throughput variant.
#[test]
fn replacement_targets_share_the_endpoint_and_are_not_variants() {
    let rules = rules();
    let mut problems = Vec::new();
    for m in rules.models() {
        for r in &m.replacements {
            let t = model(rules, &r.id);
            if t.endpoint != m.endpoint {
                let name = |e: Endpoint| match e {
                    Endpoint::Runtime => "runtime",
                    Endpoint::Mantle => "mantle",
                };
                problems.push(format!(
                    "`{}` ({}): replacement `{}` is served by {} only; replace it with a {} model",
                    m.id,
                    name(m.endpoint),
                    t.id,
                    name(t.endpoint),
                    name(m.endpoint)
                ));
            }
            if let Some(base) = &t.variant_of {
                problems.push(format!(
                    "`{}`: replacement `{}` is a provisioned-throughput variant; use its base `{base}`",
                    m.id, t.id
                ));
            }
        }
    }
    check("replacements must be callable the same way", problems);
}

/// 9c. A bedrock-mantle-only model has no `profiles` and no `on_demand = false`: mantle IDs
///     take no geography prefix, so neither says anything about them.
#[test]
fn mantle_models_have_no_profile_information() {
    let problems = rules()
        .models()
        .iter()
        .filter(|m| m.endpoint == Endpoint::Mantle && (!m.profiles.is_empty() || !m.on_demand))
        .map(|m| {
            format!(
                "`{}`: `endpoint = \"mantle\"` with `profiles` or `on_demand = false`; remove them (mantle IDs take no geography prefix)",
                m.id
            )
        })
        .collect();
    check("mantle models carry no profile information", problems);
}

/// 9b. Embedding models are replaced only by embedding models and vice versa (a swap across
///     would change what the call returns).
#[test]
fn embeddings_are_replaced_only_by_embeddings() {
    let rules = rules();
    let mut problems = Vec::new();
    for m in rules.models() {
        for r in &m.replacements {
            let t = model(rules, &r.id);
            if (m.kind == Kind::Embedding) != (t.kind == Kind::Embedding) {
                problems.push(format!(
                    "`{}` ({:?}): replacement `{}` is {:?}; pick a replacement of the same kind",
                    m.id, m.kind, t.id, t.kind
                ));
            }
        }
    }
    check("embedding replacements must be embeddings", problems);
}

/// 10. On 2026-12-01, every legacy or EOL model except provisioned-throughput variants
///     either has a replacement from which some chain of replacements (`official` and
///     `suggested` alike) reaches a model that is active that day (default, most urgent
///     dates), or has a note containing [`NO_SUCCESSOR`] ("No successor from <provider> on
///     Bedrock"). A dead end fails on every row that leads to it; fixing the row where the
///     chains stop fixes them all.
#[test]
fn every_retired_model_reaches_an_active_successor_or_says_there_is_none() {
    let (y, m, d) = SUCCESSOR_DATE;
    let as_of = NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN);
    let rules = rules();
    let state_of = |m: &Model| lifecycle::status(m, as_of, None).state;
    let mut problems = Vec::new();
    for m in rules.models() {
        if m.variant_of.is_some() || m.notes.iter().any(|n| n.contains(NO_SUCCESSOR)) {
            continue;
        }
        let state = state_of(m);
        if state == State::Active {
            continue;
        }
        // Breadth-first over every replacement of every provenance.
        let mut seen: HashSet<&str> = HashSet::from([m.id.as_str()]);
        let mut queue: Vec<&Model> = vec![m];
        let mut reached: Vec<String> = Vec::new();
        let mut live = false;
        while let Some(current) = queue.pop() {
            for r in &current.replacements {
                if !seen.insert(r.id.as_str()) {
                    continue;
                }
                let next = model(rules, &r.id);
                let next_state = state_of(next);
                if next_state == State::Active {
                    live = true;
                    break;
                }
                reached.push(format!("{} ({})", next.id, next_state.as_str()));
                queue.insert(0, next);
            }
            if live {
                break;
            }
        }
        if live {
            continue;
        }
        let reached = if reached.is_empty() {
            "has no replacement".to_string()
        } else {
            format!("reaches only {}", reached.join(", "))
        };
        problems.push(format!(
            "`{}` ({}): {reached}; add a replacement leading to an active model, or a note \"{NO_SUCCESSOR} from {} on Bedrock\"",
            m.id,
            state.as_str(),
            m.provider
        ));
    }
    check(
        &format!("every retired model must have a live successor on {as_of} or say it has none"),
        problems,
    );
}

/// 11. `rejects` and `rejects_together` use only the normalised parameter names the
///     call-site analysers produce (`temperature`, `top_p`, `top_k`), each once;
///     `rejects_together` names at least two (one alone belongs in `rejects`).
#[test]
fn parameter_constraints_use_the_analysers_normalised_names() {
    let mut problems = Vec::new();
    for m in rules().models() {
        for (key, names) in [
            ("rejects", &m.rejects),
            ("rejects_together", &m.rejects_together),
        ] {
            let mut seen = HashSet::new();
            for name in names {
                if sampling_param(name) != Some(name.as_str()) {
                    let hint =
                        sampling_param(name).map_or(String::new(), |n| format!(" (write `{n}`)"));
                    problems.push(format!(
                        "`{}`: `{key}` names `{name}`, which the call-site analysers never report{hint}; use temperature, top_p or top_k",
                        m.id
                    ));
                }
                if !seen.insert(name) {
                    problems.push(format!("`{}`: `{key}` names `{name}` twice", m.id));
                }
            }
        }
        if m.rejects_together.len() == 1 {
            problems.push(format!(
                "`{}`: `rejects_together` needs two or more names; move `{}` to `rejects`",
                m.id, m.rejects_together[0]
            ));
        }
    }
    check("parameter constraints must use normalised names", problems);
}

/// The table says when it was last checked against its sources (`--version` prints it), and
/// no announced date in it lies more than two years after that day (a typo in a year).
#[test]
fn the_table_says_when_it_was_reviewed() {
    let rules = rules();
    let reviewed = rules
        .reviewed()
        .expect("rules/bedrock.toml must set `reviewed = YYYY-MM-DD` (the day of the last review)");
    let limit = reviewed + chrono::Days::new(730);
    let late: Vec<String> = rules
        .models()
        .iter()
        .filter(|m| {
            m.lifecycle
                .iter()
                .flat_map(|g| [g.legacy, g.extended_access, g.eol])
                .flatten()
                .any(|d| d > limit)
        })
        .map(|m| {
            format!(
                "`{}` has a date more than two years after {reviewed}; check the year",
                m.id
            )
        })
        .collect();
    check("dates must be plausible for the review day", late);
}
