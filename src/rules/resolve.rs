//! Replacement chains: from a retired model to the end of its chain of replacements.
//!
//! Official replacements often point at models that retired later themselves (Titan Image v1
//! → Nova Canvas, EOL; Jurassic-2 → Jamba-Instruct, EOL → Jamba 1.5). A one-hop rewrite would
//! land on a dead model, so the chain is followed while the target is retired (legacy or EOL)
//! and has a replacement of its own, and stops at the first active target. When the chain
//! ends on retired models, the last one that still works (legacy) is the target and is
//! reported as such; when none works, there is no target.
//!
//! Following legacy hops too (DESIGN: "always resolve to the end of the chain") is what makes
//! `fix` idempotent: were the chain to stop at a legacy model that has a replacement, the next
//! run would rewrite that model again.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::{Model, Provenance, Replacement, Rules, State, Status, lifecycle};

/// How to evaluate replacements.
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions {
    /// The date to evaluate states on.
    pub as_of: NaiveDate,
    /// Evaluate one Region's dates instead of the most urgent ones.
    pub region: Option<String>,
    /// Follow only `policy` and `official` replacements (`--official-only`); by default a
    /// `suggested` one is followed where neither exists.
    pub official_only: bool,
}

/// One step of a replacement chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// The replacement's ID.
    pub id: String,
    /// Who recommends this step.
    pub provenance: Provenance,
    /// Where the recommendation comes from.
    pub source: Option<String>,
    /// The replacement's own status on the as-of date.
    pub status: Status,
}

/// The outcome of following a model's replacements.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resolution {
    /// Every step followed, in order; when `target` is set it is the last one.
    pub chain: Vec<Hop>,
    /// The model to migrate to: the first active step, else the last legacy one.
    pub target: Option<Hop>,
    /// Other replacements the table lists beside the first one at the first step.
    pub alternatives: Vec<String>,
    /// A suggested replacement that was not followed, shown to the user as a hint.
    pub suggestion: Option<Replacement>,
}

impl Resolution {
    /// True when the chain passed through end-of-life models without reaching a live one.
    pub fn dead_end(&self) -> bool {
        self.target.is_none() && !self.chain.is_empty()
    }
}

/// The replacement to follow from `model`: a user policy first, then AWS's official one,
/// then (unless `official_only`) a suggested one.
fn pick(model: &Model, official_only: bool) -> Option<&Replacement> {
    let by = |p: Provenance| model.replacements.iter().find(|r| r.provenance == p);
    by(Provenance::Policy)
        .or_else(|| by(Provenance::Official))
        .or_else(|| {
            (!official_only)
                .then(|| by(Provenance::Suggested))
                .flatten()
        })
}

impl Rules {
    /// Follow the replacements of `id` (see the module docs).
    pub fn resolve(&self, id: &str, options: &ResolveOptions) -> Resolution {
        let mut resolution = Resolution::default();
        let Some(mut current) = self.get(id) else {
            return resolution;
        };
        let mut seen: HashSet<&str> = HashSet::from([current.id.as_str()]);
        while let Some(next) = pick(current, options.official_only) {
            if resolution.chain.is_empty() {
                resolution.alternatives = current
                    .replacements
                    .iter()
                    .filter(|r| r.id != next.id && r.provenance == next.provenance)
                    .map(|r| r.id.clone())
                    .collect();
            }
            // The loader rejects cycles and unknown IDs; stop quietly if one slipped in.
            let Some(model) = self.get(&next.id) else {
                break;
            };
            if !seen.insert(model.id.as_str()) {
                break;
            }
            let status = lifecycle::status(model, options.as_of, options.region.as_deref());
            let hop = Hop {
                id: model.id.clone(),
                provenance: next.provenance,
                source: next.source.clone(),
                status,
            };
            resolution.chain.push(hop.clone());
            match status.state {
                State::Active => {
                    resolution.target = Some(hop);
                    break;
                }
                // Unknown (no notice covers the Region): callable as far as anyone knows,
                // so a candidate like a legacy hop, but a live successor is preferred.
                State::Legacy | State::Unknown => resolution.target = Some(hop),
                State::Eol => {}
            }
            current = model;
        }
        if resolution.target.is_none() && options.official_only {
            let start = self.get(id).into_iter();
            let along = resolution.chain.iter().filter_map(|h| self.get(&h.id));
            resolution.suggestion = start.chain(along).find_map(|m| {
                m.replacements
                    .iter()
                    .find(|r| r.provenance == Provenance::Suggested)
                    .cloned()
            });
        }
        resolution
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::load::load_from_str;

    const TABLE: &str = r#"
schema_version = 1
geo_prefixes = ["us"]

[[model]]
id = "amazon.titan-image-generator-v1"
body = "titan-image"
kind = "image"
lifecycle = [{ legacy = 2024-01-01, eol = 2025-01-01 }]
replacement = [{ id = "amazon.nova-canvas-v1:0", provenance = "official", source = "S1" }]

[[model]]
id = "amazon.nova-canvas-v1:0"
body = "nova-canvas"
kind = "image"
lifecycle = [{ legacy = 2026-03-01, eol = 2026-09-30 }]

[[model]]
id = "ai21.j2-ultra-v1"
lifecycle = [{ eol = 2024-01-01 }]
replacement = [{ id = "ai21.jamba-instruct-v1:0", provenance = "official" }]

[[model]]
id = "ai21.jamba-instruct-v1:0"
lifecycle = [{ eol = 2025-08-01 }]
replacement = [
  { id = "ai21.jamba-1-5-mini-v1:0", provenance = "official" },
  { id = "ai21.jamba-1-5-large-v1:0", provenance = "official" },
]

[[model]]
id = "ai21.jamba-1-5-mini-v1:0"
lifecycle = [{ legacy = 2026-05-26, eol = 2026-11-26 }]

[[model]]
id = "ai21.jamba-1-5-large-v1:0"
lifecycle = [{ legacy = 2026-05-26, eol = 2026-11-26 }]

[[model]]
id = "anthropic.claude-3-haiku-20240307-v1:0"
lifecycle = [{ legacy = 2026-03-10, eol = 2026-09-10 }]
replacement = [{ id = "anthropic.claude-haiku-4-5-20251001-v1:0", provenance = "suggested", source = "S17" }]

[[model]]
id = "anthropic.claude-haiku-4-5-20251001-v1:0"
on_demand = false
profiles = ["us"]
"#;

    fn opts(date: &str) -> ResolveOptions {
        ResolveOptions {
            as_of: date.parse().unwrap(),
            region: None,
            official_only: true,
        }
    }

    #[test]
    fn one_hop_to_a_live_model() {
        let rules = load_from_str(TABLE, "t.toml").unwrap();
        let r = rules.resolve("amazon.titan-image-generator-v1", &opts("2026-01-01"));
        assert_eq!(r.target.unwrap().id, "amazon.nova-canvas-v1:0");
    }

    #[test]
    fn chain_ending_in_an_eol_model_is_a_dead_end() {
        let rules = load_from_str(TABLE, "t.toml").unwrap();
        let r = rules.resolve("amazon.titan-image-generator-v1", &opts("2026-11-21"));
        assert_eq!(r.target, None);
        assert!(r.dead_end());
        assert_eq!(r.chain.len(), 1);
        assert_eq!(r.chain[0].status.state, State::Eol);
    }

    #[test]
    fn chain_skips_eol_hops_and_lists_alternatives() {
        let rules = load_from_str(TABLE, "t.toml").unwrap();
        let r = rules.resolve("ai21.j2-ultra-v1", &opts("2026-11-21"));
        let target = r.target.unwrap();
        assert_eq!(target.id, "ai21.jamba-1-5-mini-v1:0");
        assert_eq!(target.status.state, State::Legacy);
        assert_eq!(r.chain.len(), 2);
        // Alternatives are listed at the first hop only (Jurassic has one official target).
        assert!(r.alternatives.is_empty());
        let r = rules.resolve("ai21.jamba-instruct-v1:0", &opts("2026-11-21"));
        assert_eq!(r.alternatives, ["ai21.jamba-1-5-large-v1:0"]);
        // After Jamba 1.5's EOL the whole chain is dead.
        let r = rules.resolve("ai21.j2-ultra-v1", &opts("2026-11-26"));
        assert!(r.dead_end());
    }

    #[test]
    fn legacy_hops_are_followed_to_the_end_of_the_chain() {
        // Opus 3 → Opus 4.1 (legacy) → Opus 4.8 (suggested, active): with --suggested the
        // target is the end of the chain, so a second fix has nothing left to do.
        let table = r#"
schema_version = 1
[[model]]
id = "anthropic.claude-3-opus-20240229-v1:0"
lifecycle = [{ legacy = 2025-07-15, eol = 2026-01-15 }]
replacement = [{ id = "anthropic.claude-opus-4-1-20250805-v1:0", provenance = "official" }]
[[model]]
id = "anthropic.claude-opus-4-1-20250805-v1:0"
lifecycle = [{ legacy = 2026-07-08, eol = 2027-01-08 }]
replacement = [{ id = "anthropic.claude-opus-4-8", provenance = "suggested" }]
[[model]]
id = "anthropic.claude-opus-4-8"
"#;
        let rules = load_from_str(table, "t.toml").unwrap();
        let id = "anthropic.claude-3-opus-20240229-v1:0";
        let r = rules.resolve(id, &opts("2026-11-21"));
        assert_eq!(
            r.target.unwrap().id,
            "anthropic.claude-opus-4-1-20250805-v1:0"
        );
        let mut o = opts("2026-11-21");
        o.official_only = false;
        let r = rules.resolve(id, &o);
        assert_eq!(r.target.unwrap().id, "anthropic.claude-opus-4-8");
        assert_eq!(r.chain.len(), 2);
        let again = rules.resolve("anthropic.claude-opus-4-8", &o);
        assert_eq!(again.target, None);
    }

    #[test]
    fn suggested_is_a_hint_unless_followed() {
        let rules = load_from_str(TABLE, "t.toml").unwrap();
        let id = "anthropic.claude-3-haiku-20240307-v1:0";
        let r = rules.resolve(id, &opts("2026-11-21"));
        assert_eq!(r.target, None);
        assert!(!r.dead_end());
        assert_eq!(
            r.suggestion.unwrap().id,
            "anthropic.claude-haiku-4-5-20251001-v1:0"
        );
        let mut o = opts("2026-11-21");
        o.official_only = false;
        let r = rules.resolve(id, &o);
        let t = r.target.unwrap();
        assert_eq!(t.provenance, Provenance::Suggested);
        assert_eq!(r.suggestion, None);
    }

    #[test]
    fn policy_wins_over_official() {
        let table = format!("{TABLE}\n[[model]]\nid = \"amazon.nova-2-canvas-v1:0\"\n");
        let overlay = r#"
schema_version = 1
[[model]]
id = "amazon.titan-image-generator-v1"
replacement = [
  { id = "amazon.nova-canvas-v1:0", provenance = "official" },
  { id = "amazon.nova-2-canvas-v1:0", provenance = "policy", source = "team decision" },
]
"#;
        let rules =
            crate::rules::load::load_sources(&[(&table, "t.toml"), (overlay, "o.toml")]).unwrap();
        let r = rules.resolve("amazon.titan-image-generator-v1", &opts("2026-11-21"));
        let t = r.target.unwrap();
        assert_eq!(t.id, "amazon.nova-2-canvas-v1:0");
        assert_eq!(t.provenance, Provenance::Policy);
    }
}
