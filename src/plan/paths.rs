//! References that are a segment of a storage path or of a URL other than a Bedrock endpoint:
//! `s3://bucket/eval-results/anthropic.claude-3-5-sonnet-20240620-v1:0/results.jsonl`.
//!
//! There the ID names *where data is* — results of an evaluation, a cache, a prompt library —
//! not the model a call reaches. Renaming it moves where the program reads or writes, and
//! the data at the old place does not move with it; so a rewrite is review, never safe. The
//! Bedrock runtime URL (`…/model/<id>/invoke`), LiteLLM's `bedrock/<id>` and ARNs name the
//! model called and are judged like any other reference ([`crate::model_ref::InPath`]).

use crate::extract::SpanContext;
use crate::finding::Finding;
use crate::model_ref::{InPath, ModelRef};

/// Why a rewrite inside a storage path or URL is review.
pub(super) const PATH_REASON: &str =
    "part of a storage path or URL: renaming it moves where data is read or written";

/// Make the fix of `finding` (for the reference `r`) review when `r` is a segment of a
/// storage path or non-Bedrock URL in code, saying why; the reason the rewrite had before
/// becomes the first note. Comments and docstrings are review already and keep their reason.
pub(super) fn review_paths(finding: &mut Finding, r: &ModelRef) {
    if r.in_path != InPath::Storage || finding.context != SpanContext::Code {
        return;
    }
    if finding.fix.is_none() {
        return;
    }
    finding.make_review();
    finding.set_reason(PATH_REASON.to_string());
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
geo_prefixes = ["us"]
[[model]]
id = "anthropic.claude-3-5-sonnet-20240620-v1:0"
body = "anthropic-messages"
profiles = ["us"]
lifecycle = [{ legacy = 2025-08-25, eol = 2026-03-01 }]
replacement = [{ id = "anthropic.claude-3-7-sonnet-20250219-v1:0", provenance = "official" }]
[[model]]
id = "anthropic.claude-3-7-sonnet-20250219-v1:0"
body = "anthropic-messages"
profiles = ["us"]
"#;

    fn one(src: &str) -> Finding {
        let rules = load_from_str(TABLE, "t.toml").unwrap();
        let options = PlanOptions {
            resolve: ResolveOptions {
                as_of: "2026-11-21".parse().unwrap(),
                ..Default::default()
            },
            ..Default::default()
        };
        let mut found = plan_file(src, Language::Python, &rules, &options).findings;
        assert_eq!(found.len(), 1, "{found:#?}");
        found.remove(0)
    }

    #[test]
    fn an_id_in_a_storage_path_is_review() {
        for src in [
            "p = 's3://bucket/eval-results/anthropic.claude-3-5-sonnet-20240620-v1:0/results.jsonl'\n",
            "p = 'file:///data/anthropic.claude-3-5-sonnet-20240620-v1:0/out'\n",
            "p = f'{root}/anthropic.claude-3-5-sonnet-20240620-v1:0/cache.db'\n",
            "p = 'https://example.com/models/anthropic.claude-3-5-sonnet-20240620-v1:0'\n",
        ] {
            let f = one(src);
            let fix = f.fix.as_ref().expect(src);
            assert_eq!(fix.safety, Safety::Review, "{src}");
            assert_eq!(f.safety, Some(Safety::Review));
            assert_eq!(
                f.reason,
                "part of a storage path or URL: renaming it moves where data is read or written"
            );
            assert_eq!(f.notes[0], "same request format (anthropic-messages)");
            assert_eq!(
                fix.edits[0].content,
                "anthropic.claude-3-7-sonnet-20250219-v1:0"
            );
        }
    }

    #[test]
    fn bedrock_urls_litellm_strings_and_arns_stay_safe() {
        for src in [
            "u = 'https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke'\n",
            "u = f'{endpoint}/model/anthropic.claude-3-5-sonnet-20240620-v1:0/converse'\n",
            "m = 'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0'\n",
            "m = 'bedrock/converse/us.anthropic.claude-3-5-sonnet-20240620-v1:0'\n",
            "a = 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0'\n",
        ] {
            let f = one(src);
            assert_eq!(
                f.fix.as_ref().map(|f| f.safety),
                Some(Safety::Safe),
                "{src}: {f:#?}"
            );
        }
    }

    #[test]
    fn a_path_in_a_comment_keeps_the_comment_reason() {
        let f = one("# results in s3://b/anthropic.claude-3-5-sonnet-20240620-v1:0/\n");
        assert_eq!(f.fix.unwrap().safety, Safety::Review);
        assert!(f.reason.starts_with("in a comment"), "{}", f.reason);
    }
}
