//! JSON Lines (`.jsonl`, `.ndjson`): one JSON document a line, each read by the JSON
//! extractor ([`super::json`]) and its spans moved to the line's place in the file.
//!
//! Blank lines are skipped. A line that is not valid JSON makes the file's `syntax_error`
//! (the first such line, with its line number); its references are still reported, and the
//! file's rewrites become review, as for any file that does not parse.

use super::{Extraction, Focus, SyntaxError};

/// Extract the spans of every line.
pub fn extract(source: &str) -> Extraction {
    extract_focused(source, Focus::Everything)
}

/// Like [`extract`], reading only the lines that `focus` touches (a dataset of thousands of
/// lines usually names a model in a few).
pub fn extract_focused(source: &str, focus: Focus) -> Extraction {
    let mut spans = Vec::new();
    let mut syntax_error = None;
    let mut start = 0;
    for (index, line) in source.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        let range = start..start + content.len();
        start += line.len();
        if content.trim().is_empty() || !focus.touches(range.clone()) {
            continue;
        }
        let extraction = super::json::extract(content);
        spans.extend(
            extraction
                .spans
                .into_iter()
                .map(|span| span.shifted(range.start)),
        );
        if syntax_error.is_none()
            && let Some(error) = extraction.syntax_error
        {
            // A line holds no line break, so the error is on line 1 of the document.
            syntax_error = Some(SyntaxError {
                line: index + 1,
                ..error
            });
        }
    }
    Extraction {
        spans,
        syntax_error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::SpanContext::Code;

    #[test]
    fn every_line_is_a_document_mapped_to_the_file() {
        let source = "{\"modelId\": \"anthropic.claude-v2\", \"n\": 1}\n\n\
                      {\"modelId\": \"meta.llama3-8b-instruct-v1:0\"}\r\n[\"amazon.titan-text-express-v1\"]";
        let extraction = extract(source);
        assert_eq!(extraction.syntax_error, None);
        let found = crate::extract::test_support::contexts(source, &extraction);
        assert_eq!(
            found,
            [
                ("modelId", Code),
                ("anthropic.claude-v2", Code),
                ("n", Code),
                ("modelId", Code),
                ("meta.llama3-8b-instruct-v1:0", Code),
                ("amazon.titan-text-express-v1", Code),
            ]
        );
        let value = &extraction.spans[4];
        assert_eq!(value.key_name.as_deref(), Some("modelId"));
        // Keys of one line's object are one mapping; another line's are another.
        assert_ne!(extraction.spans[0].key, extraction.spans[3].key);
    }

    #[test]
    fn a_broken_line_is_the_syntax_error_and_others_still_count() {
        let source =
            "{\"m\": \"anthropic.claude-v2\"}\n{\"m\": \"amazon.titan-text-express-v1\",\n";
        let extraction = extract(source);
        let error = extraction.syntax_error.clone().unwrap();
        assert_eq!(error.line, 2);
        assert!(
            extraction
                .spans
                .iter()
                .any(|s| &source[s.range.clone()] == "anthropic.claude-v2")
        );
        crate::extract::test_support::assert_in_bounds(source, &extraction);
    }

    #[test]
    fn focus_skips_lines_without_a_prefix() {
        let source = "{\"a\": \"x\"}\n{\"m\": \"anthropic.claude-v2\"}\n";
        let at = source.find("anthropic").unwrap();
        let anchor = at..at + 10;
        let focused = extract_focused(source, Focus::Around(std::slice::from_ref(&anchor)));
        assert!(focused.spans.iter().all(|s| s.range.start > 11));
        assert_eq!(focused.spans.len(), 2);
    }
}
