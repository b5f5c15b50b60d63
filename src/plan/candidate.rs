//! Confirming a candidate file before it is parsed.
//!
//! The walker's prefilter passes every file that holds a provider prefix, and real code is
//! full of them: `amazon.com`, `software.amazon.awssdk`, `import.meta.url`, `csv.writer`,
//! `openai.ChatCompletion`. Parsing dominates the cost of a candidate, so — as ripgrep
//! confirms a literal hit with the full regex — the model-ID grammar is run over the raw
//! text first, and a file is parsed only when some hit could become a finding.
//!
//! The test is a superset of what the planner reports (its `judge` step), on raw text
//! rather than on literals: holes in a template shorten an ID (`anthropic.claude-{v}` is the family prefix
//! `anthropic.claude-`), a file extension or a client alias lengthens one
//! (`anthropic.claude-v2.json`, `anthropic.claude-v2:beta`). A test plans every fixture
//! file with and without this step and requires the same result.

use crate::model_ref::looks_like_model_id;
use crate::rules::Rules;

/// True when `text` holds a hit of the model-ID grammar that could be reported: at some
/// provider prefix, the run of ID characters (a URL-encoded `:` included) is a known model,
/// a known misspelling, a strict prefix of a known ID, something shaped like a model ID, or
/// a known ID followed by a `.suffix` or `:suffix`; and the prefix is not glued to a word
/// before it that cannot be a geography prefix or end an interpolation
/// ([`crate::model_ref::Grammar::may_start_reference`]: `software.amazon.awssdk:bom:2.25.0`
/// is not a candidate, `{geo}.anthropic.…` and `%s.anthropic.…` in templates are).
pub fn is_candidate(text: &str, rules: &Rules) -> bool {
    let bytes = text.as_bytes();
    let grammar = rules.grammar();
    grammar.anchors(text).into_iter().any(|anchor| {
        if !grammar.may_start_reference(bytes, anchor.start) {
            return false;
        }
        let mut id = String::new();
        let mut at = anchor.start;
        while at < bytes.len() {
            match bytes[at] {
                b if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'_') => {
                    id.push(char::from(b));
                    at += 1;
                }
                b'%' if bytes[at..].len() >= 3
                    && bytes[at + 1..at + 3].eq_ignore_ascii_case(b"3a") =>
                {
                    id.push(':');
                    at += 3;
                }
                _ => break,
            }
        }
        let id = id.trim_end_matches(['.', ':']);
        rules.get(id).is_some()
            || rules.typo_of(id).is_some()
            || rules.is_family_prefix(id)
            || looks_like_model_id(id)
            || id
                .rsplit_once(['.', ':'])
                .is_some_and(|(base, _)| rules.get(base).is_some())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::load_default;

    #[test]
    fn noise_is_not_a_candidate() {
        let rules = load_default().unwrap();
        for noise in [
            "see https://aws.amazon.com/bedrock and import.meta.url",
            "import software.amazon.awssdk.core; w = csv.writer(f); openai.ChatCompletion",
            "meta.description = 'x'; google.cloud; mistral.client",
            "<artifactId>software.amazon.awssdk:bedrockruntime:2.25.0</artifactId>",
            "com.amazon.nova-pro-v1:0 www.amazon.titan-v1:0 my_anthropic.claude-v2",
            "x-anthropic.claude-v2 import.meta.llama3-8b-instruct-v1:0",
        ] {
            assert!(!is_candidate(noise, &rules), "{noise}");
        }
    }

    #[test]
    fn every_reportable_shape_is_a_candidate() {
        let rules = load_default().unwrap();
        for text in [
            "m = 'anthropic.claude-v2'",
            "m = 'us.anthropic.claude-3-haiku-20240307-v1:0'",
            "arn:aws:bedrock:us-east-1::foundation-model/meta.llama2-13b-chat-v1",
            "f'anthropic.claude-{version}'",
            "/model/anthropic.claude-3-sonnet-20240229-v1%3A0/invoke",
            "anthropic.claude-v2.json",
            "anthropic.claude-9-9-v1:0",
            "cohere.embed-english-v4:0",
            "format!(\"{geo}.anthropic.claude-3-5-sonnet-20240620-v1:0\")",
            "'%s.anthropic.claude-v2' % geo",
            "'%(geo)s.anthropic.claude-v2' % d",
            "\"%-3s.anthropic.claude-v2\"",
            "M=$GEO.anthropic.claude-v2",
            "`${geo}.anthropic.claude-v2`",
            "\"${var.geo}.anthropic.claude-v2\"",
            "\"\\(geo).anthropic.claude-v2\"",
            "\"models:\\nanthropic.claude-v2\"",
            "m = 'eu.anthropic.claude-v2'",
        ] {
            assert!(is_candidate(text, &rules), "{text}");
        }
    }
}
