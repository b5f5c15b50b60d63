//! The canonical text of a rules table: what `bedrock-migrate rules merge` writes and what
//! `rules/bedrock.toml` must be, byte for byte (a test checks it).
//!
//! One canonical form keeps the hand-maintained table reviewable: models sorted by ID (a
//! provisioned-throughput variant sorts right after its base), keys in a fixed order, a key
//! written only when it differs from the format's default, and nothing derived. Because the
//! text is rendered from the loaded [`Rules`], merging an overlay is "load the table with
//! the overlay layered on, render": the overlay semantics live in one place, the loader.
//! Comments do not survive rendering, so the table has none but its header; prose goes in
//! `notes` and `citation`.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::load::SCHEMA_VERSION;
use super::{Endpoint, Kind, Lifecycle, Model, Replacement, Rules, Source};

/// The comment that opens every rendered table (the embedded one and a company's own).
pub const HEADER: &str = "\
# Amazon Bedrock model lifecycle table in the bedrock-migrate rules format (rules/README.md
# of bedrock-migrate). Hand-maintained: every row cites its sources. Kept in the form that
# `bedrock-migrate rules merge --into FILE` writes (sorted by model ID, byte-stable); comments
# are not kept, so prose goes in `notes` or `citation`. bedrock-migrate's `cargo test`
# checks its embedded table row by row.
";

/// Arrays longer than this (rendered on one line) are written one element per line.
const MAX_INLINE: usize = 88;

/// A TOML string as the `toml` crate writes it (a literal string when that needs no
/// escapes, e.g. for text with double quotes).
fn string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn array(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| string(s)).collect();
    let inline = format!("[{}]", quoted.join(", "));
    if inline.len() <= MAX_INLINE {
        return inline;
    }
    let mut out = String::from("[\n");
    for q in quoted {
        let _ = writeln!(out, "  {q},");
    }
    out.push(']');
    out
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "text",
        Kind::Image => "image",
        Kind::Video => "video",
        Kind::Embedding => "embedding",
        Kind::Speech => "speech",
        Kind::Rerank => "rerank",
    }
}

fn date_line(out: &mut String, key: &str, date: Option<NaiveDate>) {
    if let Some(d) = date {
        let _ = writeln!(out, "{key} = {d}");
    }
}

fn lifecycle(out: &mut String, group: &Lifecycle) {
    out.push_str("\n[[model.lifecycle]]\n");
    if !group.regions.is_empty() {
        let _ = writeln!(out, "regions = {}", array(&group.regions));
    }
    date_line(out, "legacy", group.legacy);
    date_line(out, "extended_access", group.extended_access);
    date_line(out, "eol", group.eol);
}

fn replacement(out: &mut String, r: &Replacement) {
    out.push_str("\n[[model.replacement]]\n");
    let _ = writeln!(out, "id = {}", string(&r.id));
    let _ = writeln!(out, "provenance = {}", string(r.provenance.as_str()));
    if let Some(source) = &r.source {
        let _ = writeln!(out, "source = {}", string(source));
    }
}

/// One `[sources.KEY]` table: the short name, the link (an array when there are several)
/// and the description. An old-style string source is written in this form, with the name
/// it was given on loading.
fn source(out: &mut String, key: &str, s: &Source) {
    let _ = writeln!(out, "\n[sources.{}]", bare_key(key));
    let _ = writeln!(out, "name = {}", string(&s.name));
    match s.urls.as_slice() {
        [] => {}
        [url] => {
            let _ = writeln!(out, "url = {}", string(url));
        }
        urls => {
            let _ = writeln!(out, "url = {}", array(urls));
        }
    }
    if let Some(d) = &s.description {
        let _ = writeln!(out, "description = {}", string(d));
    }
}

/// One `[[model]]` table with its lifecycle groups and replacements; keys equal to the
/// defaults of [`Model::new`] are left out.
fn model(out: &mut String, m: &Model) {
    let default = Model::new(&m.id);
    out.push_str("\n[[model]]\n");
    let _ = writeln!(out, "id = {}", string(&m.id));
    let mut key = |name: &str, value: Option<String>| {
        if let Some(v) = value {
            let _ = writeln!(out, "{name} = {v}");
        }
    };
    key("name", (m.name != default.name).then(|| string(&m.name)));
    key(
        "provider",
        (m.provider != default.provider).then(|| string(&m.provider)),
    );
    key("body", (m.body != m.provider).then(|| string(&m.body)));
    key(
        "kind",
        (m.kind != Kind::Text).then(|| string(kind_name(m.kind))),
    );
    key("state", m.explicit_state.map(|s| string(s.as_str())));
    key("on_demand", (!m.on_demand).then(|| "false".to_string()));
    key(
        "on_demand_regions",
        (!m.on_demand_regions.is_empty()).then(|| array(&m.on_demand_regions)),
    );
    key(
        "profiles",
        (!m.profiles.is_empty()).then(|| array(&m.profiles)),
    );
    key(
        "endpoint",
        (m.endpoint == Endpoint::Mantle).then(|| string("mantle")),
    );
    key("variant_of", m.variant_of.as_deref().map(string));
    key(
        "rejects",
        (!m.rejects.is_empty()).then(|| array(&m.rejects)),
    );
    key(
        "rejects_together",
        (!m.rejects_together.is_empty()).then(|| array(&m.rejects_together)),
    );
    key("typos", (!m.typos.is_empty()).then(|| array(&m.typos)));
    key(
        "sources",
        (!m.sources.is_empty()).then(|| array(&m.sources)),
    );
    key("citation", m.citation.as_deref().map(string));
    key("notes", (!m.notes.is_empty()).then(|| array(&m.notes)));
    for group in &m.lifecycle {
        lifecycle(out, group);
    }
    for r in &m.replacements {
        replacement(out, r);
    }
}

/// The canonical text of `rules` (see the module docs). Settings are not part of a table
/// and are not written.
pub fn render(rules: &Rules) -> String {
    let mut out = String::from(HEADER);
    let _ = writeln!(out, "\nschema_version = {SCHEMA_VERSION}");
    if let Some(day) = rules.reviewed() {
        let _ = writeln!(out, "reviewed = {day}");
    }
    let _ = writeln!(out, "geo_prefixes = {}", array(rules.geo_prefixes()));
    let mut sources: Vec<(&String, &Source)> = rules.sources().iter().collect();
    sources.sort_by_key(|(key, _)| natural_key(key));
    for (key, s) in sources {
        source(&mut out, key, s);
    }
    let not_models = rules.not_models();
    if !not_models.is_empty() {
        out.push_str("\n[not_models]\n");
        for (id, what) in not_models {
            let _ = writeln!(out, "{} = {}", string(id), string(what));
        }
    }
    let mut models: Vec<&Model> = rules.models().iter().collect();
    models.sort_by(|a, b| a.id.cmp(&b.id));
    for m in models {
        model(&mut out, m);
    }
    out
}

/// Orders `S2` before `S10`: the text before a trailing number, then the number.
fn natural_key(key: &str) -> (&str, u64, &str) {
    let digits = key.len() - key.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (stem, number) = key.split_at(key.len() - digits);
    (stem, number.parse().unwrap_or(0), key)
}

/// A table key: bare when TOML allows it, quoted otherwise.
fn bare_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if bare { key.to_string() } else { string(key) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::load::load_from_str;

    const TABLE: &str = r#"
schema_version = 1
geo_prefixes = ["us", "global"]

[sources]
S10 = { name = "Ten", url = ["https://a.example/1", "https://a.example/2"], description = "the tenth" }
S1 = "AWS lifecycle page, 2025 — https://docs.aws.amazon.com/"
"odd key" = { name = "quoted \"text\"" }
S2 = "two"

[not_models]
"anthropic.claude:1" = "prompt router"

[[model]]
id = "b.model-v1"
notes = ["one", "two"]
lifecycle = [{ regions = ["us-east-1"], legacy = 2026-01-01, eol = 2026-07-01 }, { regions = ["ca-central-1"] }]
replacement = [{ id = "a.model-v2", provenance = "suggested", source = "S1" }]

[[model]]
id = "a.model-v2"
name = "A model v2"
provider = "a"
body = "a"
kind = "text"
on_demand = false
profiles = ["us", "global"]
rejects_together = ["temperature", "top_p"]
"#;

    #[test]
    fn renders_sorted_with_defaults_left_out() {
        let rules = load_from_str(TABLE, "t.toml").unwrap();
        let text = render(&rules);
        let body = text.strip_prefix(HEADER).unwrap();
        assert_eq!(
            body,
            r#"
schema_version = 1
geo_prefixes = ["us", "global"]

[sources.S1]
name = "AWS lifecycle page"
url = "https://docs.aws.amazon.com/"
description = "AWS lifecycle page, 2025"

[sources.S2]
name = "two"

[sources.S10]
name = "Ten"
url = ["https://a.example/1", "https://a.example/2"]
description = "the tenth"

[sources."odd key"]
name = 'quoted "text"'

[not_models]
"anthropic.claude:1" = "prompt router"

[[model]]
id = "a.model-v2"
name = "A model v2"
on_demand = false
profiles = ["us", "global"]
rejects_together = ["temperature", "top_p"]

[[model]]
id = "b.model-v1"
notes = ["one", "two"]

[[model.lifecycle]]
regions = ["us-east-1"]
legacy = 2026-01-01
eol = 2026-07-01

[[model.lifecycle]]
regions = ["ca-central-1"]

[[model.replacement]]
id = "a.model-v2"
provenance = "suggested"
source = "S1"
"#
        );
    }

    /// The embedded table is in canonical form: sorted by ID, byte-stable. A hand edit that
    /// breaks this is mended by `bedrock-migrate rules merge --into rules/bedrock.toml`.
    #[test]
    fn the_embedded_table_is_in_canonical_form() {
        let rules = crate::rules::load_default().unwrap();
        let text = render(&rules);
        if text != crate::rules::DEFAULT_RULES {
            let diff = similar::TextDiff::from_lines(crate::rules::DEFAULT_RULES, &text);
            panic!(
                "rules/bedrock.toml is not in canonical form; run `cargo run -- rules merge --into rules/bedrock.toml` and review the diff:\n{}",
                diff.unified_diff()
                    .context_radius(2)
                    .header("rules/bedrock.toml", "canonical")
            );
        }
    }

    #[test]
    fn rendering_round_trips() {
        let rules = load_from_str(TABLE, "t.toml").unwrap();
        let text = render(&rules);
        let again = load_from_str(&text, "rendered.toml").unwrap();
        assert_eq!(again.models().len(), rules.models().len());
        for m in rules.models() {
            assert_eq!(again.get(&m.id), Some(m));
        }
        assert_eq!(again.sources(), rules.sources());
        assert_eq!(render(&again), text);
    }

    #[test]
    fn long_arrays_go_one_element_per_line() {
        let items: Vec<String> = (0..12).map(|i| format!("region-{i}")).collect();
        assert_eq!(array(&items[..2]), r#"["region-0", "region-1"]"#);
        let long = array(&items);
        assert!(long.starts_with("[\n  \"region-0\",\n"), "{long}");
        assert!(long.ends_with("  \"region-11\",\n]"), "{long}");
    }
}
