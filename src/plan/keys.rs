//! Model IDs used as mapping keys: `{"anthropic.claude-v2": 3.0}` in a dict, an object, a
//! JSON/YAML mapping, a TOML table, an INI section.
//!
//! A key names an entry of a table *about* a model — its price, context size, display name —
//! so rewriting the key keeps the old model's value under the new model's name. That is a
//! change a person has to look at: every fix of a key is review, never safe. And a rewrite must
//! never make two keys of one mapping equal (`{"old": 3.0, "new": 3.3}` → `{"new": 3.0,
//! "new": 3.3}`: TypeScript rejects it, Python silently keeps one entry); keys are compared
//! only with the keys of the same mapping, so two tables that each list the old model are each
//! rewritten.

use std::ops::Range;

use crate::extract::{Mapping, SpanContext};
use crate::finding::Finding;

/// One key of a file, with the findings inside it.
#[derive(Debug, Clone)]
pub(super) struct Key {
    /// Byte range of the key's contents in the file.
    pub range: Range<usize>,
    /// The mapping that holds it.
    pub mapping: Mapping,
    /// Indices of the findings inside the key.
    pub findings: Range<usize>,
}

/// Why a fix of a key is review.
pub(super) const KEY_REASON: &str = "a key of a mapping (a table keyed by model ID: price, context size, label): the rewritten key keeps the old model's value; check the entry";

/// Make every fix of a reference in a key review, saying why; the reason the rewrite had
/// before becomes the first note.
pub(super) fn review_keys(keys: &[Key], findings: &mut [Finding]) {
    for key in keys {
        for finding in &mut findings[key.findings.clone()] {
            if finding.context != SpanContext::Code {
                continue;
            }
            if finding.fix.is_none() {
                continue;
            }
            finding.make_review();
            finding.set_reason(KEY_REASON.to_string());
        }
    }
}

/// Drop the fixes that would make two keys of one mapping equal: a table keyed by model ID
/// (prices, limits, display names) often lists the replacement already.
pub(super) fn drop_colliding(source: &str, keys: &[Key], findings: &mut [Finding]) {
    // Each key's text once every fix inside it is applied (only the key's own bytes are
    // copied: a minified file holds thousands of keys).
    let finals: Vec<std::borrow::Cow<str>> = keys
        .iter()
        .map(|key| {
            let edits = findings[key.findings.clone()]
                .iter()
                .filter_map(|f| f.fix.as_ref())
                .flat_map(|fix| fix.edits.iter());
            crate::text::splice_within(source, key.range.clone(), edits).unwrap_or_default()
        })
        .collect();
    // The first key of each mapping with each final text.
    let mut first: std::collections::HashMap<(&Mapping, &str), Vec<usize>> =
        std::collections::HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        first.entry((&key.mapping, &finals[i])).or_default().push(i);
    }
    for (i, key) in keys.iter().enumerate() {
        if !findings[key.findings.clone()]
            .iter()
            .any(|f| f.fix.is_some())
        {
            continue;
        }
        let clash = first[&(&key.mapping, &*finals[i])]
            .iter()
            .copied()
            .find(|&j| j != i);
        let Some(j) = clash else {
            continue;
        };
        let (line, _) = crate::extract::line_col(source, keys[j].range.start);
        for f in &mut findings[key.findings.clone()] {
            if f.fix.take().is_some() {
                f.reason = format!(
                    "`{}` is already a key on line {line}: this looks like a table of models, and rewriting would duplicate a key; merge the entries by hand",
                    finals[i]
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::Language;
    use crate::finding::{Finding, Safety};
    use crate::plan::{PlanOptions, plan_file};
    use crate::rules::ResolveOptions;
    use crate::rules::load::load_from_str;

    const TABLE: &str = r#"
schema_version = 1
[[model]]
id = "meta.llama2-13b-chat-v1"
body = "meta-llama"
lifecycle = [{ eol = 2024-10-30 }]
replacement = [{ id = "meta.llama3-1-8b-instruct-v1:0", provenance = "official" }]
[[model]]
id = "meta.llama3-1-8b-instruct-v1:0"
body = "meta-llama"
"#;

    fn plan(src: &str, language: Language) -> Vec<Finding> {
        let rules = load_from_str(TABLE, "t.toml").unwrap();
        let options = PlanOptions {
            resolve: ResolveOptions {
                as_of: "2026-11-21".parse().unwrap(),
                ..Default::default()
            },
            ..Default::default()
        };
        plan_file(src, language, &rules, &options).findings
    }

    #[test]
    fn a_key_gets_a_review_fix_that_says_why() {
        let found = plan(
            "PRICES = {'meta.llama2-13b-chat-v1': 1.0}\nM = 'meta.llama2-13b-chat-v1'\n",
            Language::Python,
        );
        let (key, value) = (&found[0], &found[1]);
        assert_eq!(key.fix.as_ref().unwrap().safety, Safety::Review);
        assert_eq!(key.safety, Some(Safety::Review));
        assert!(
            key.reason.starts_with("a key of a mapping"),
            "{}",
            key.reason
        );
        assert_eq!(key.notes[0], "same request format (meta-llama)");
        // The same ID as a value is a model call: safe.
        assert_eq!(value.fix.as_ref().unwrap().safety, Safety::Safe);
    }

    #[test]
    fn keys_collide_only_within_their_mapping() {
        // Two tables that each list the old model: each key is rewritten.
        let src = "PRICES = {\n    'meta.llama2-13b-chat-v1': 1.0,\n}\nLABELS = {\n    'meta.llama2-13b-chat-v1': 'Llama 2',\n}\n";
        let found = plan(src, Language::Python);
        assert_eq!(found.len(), 2);
        for f in &found {
            assert_eq!(
                f.fix.as_ref().map(|f| f.safety),
                Some(Safety::Review),
                "{f:#?}"
            );
        }
        // One table with the old and the new model: the old key is not rewritten, and the
        // line named is in this table.
        let src = "PRICES = {\n    'meta.llama2-13b-chat-v1': 1.0,\n}\nLABELS = {\n    'meta.llama2-13b-chat-v1': 'Llama 2',\n    'meta.llama3-1-8b-instruct-v1:0': 'Llama 3.1',\n}\n";
        let found = plan(src, Language::Python);
        assert!(found[0].fix.is_some(), "{:#?}", found[0]);
        assert_eq!(found[1].fix, None);
        assert!(
            found[1].reason.contains("already a key on line 6"),
            "{}",
            found[1].reason
        );
        // Nested objects are mappings of their own.
        let src =
            r#"{"a": {"meta.llama2-13b-chat-v1": 1}, "b": {"meta.llama3-1-8b-instruct-v1:0": 2}}"#;
        let found = plan(src, Language::Json);
        assert!(found[0].fix.is_some(), "{:#?}", found[0]);
    }

    #[test]
    fn a_key_with_the_id_inside_collides_on_its_rewritten_text() {
        let src =
            "T = {'price/meta.llama2-13b-chat-v1': 1, 'price/meta.llama3-1-8b-instruct-v1:0': 2}\n";
        let found = plan(src, Language::Python);
        assert_eq!(found[0].fix, None, "{:#?}", found[0]);
        assert!(found[0].reason.contains("already a key on line 1"));
    }

    #[test]
    fn toml_tables_and_yaml_mappings_are_compared_by_table() {
        let src = "[prices]\n\"meta.llama2-13b-chat-v1\" = 1\n[labels]\n\"meta.llama2-13b-chat-v1\" = \"x\"\n\"meta.llama3-1-8b-instruct-v1:0\" = \"y\"\n";
        let found = plan(src, Language::Toml);
        assert!(found[0].fix.is_some());
        assert_eq!(found[1].fix, None);
        let src = "prices:\n  meta.llama2-13b-chat-v1: 1\nlabels:\n  meta.llama2-13b-chat-v1: x\n  meta.llama3-1-8b-instruct-v1:0: y\n";
        let found = plan(src, Language::Yaml);
        assert!(found[0].fix.is_some());
        assert_eq!(found[1].fix, None);
    }
}
