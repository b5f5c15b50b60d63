//! Plain text: files of unknown type that the user named on the command line.
//!
//! There is no syntax to follow, so the whole file is one [`SpanContext::Text`] span: every
//! model reference in it is reported, and none is rewritten, because without knowing the
//! format nothing can tell a value from prose.

use super::{Extraction, Span, SpanContext};

/// The whole file as one text span.
pub fn extract(source: &str) -> Extraction {
    Extraction {
        spans: vec![Span::plain(0..source.len(), SpanContext::Text)],
        syntax_error: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_file_is_text() {
        let e = extract("model: anthropic.claude-v2\n");
        assert_eq!(e.spans.len(), 1);
        assert_eq!(e.spans[0].range, 0..27);
        assert_eq!(e.spans[0].context, SpanContext::Text);
    }
}
