//! The strict reading of a YAML file: libyaml's event stream, through `libyaml-safer`
//! (a safe Rust port of libyaml, the parser behind PyYAML's C loader, Ruby's Psych and
//! Go's yaml.v3).
//!
//! tree-sitter-yaml follows the YAML 1.2 grammar to the letter, and some files that every
//! YAML reader in use accepts break that letter. The common case is a multi-line
//! double-quoted value whose continuation lines sit at its key's indentation:
//!
//! ```yaml
//! Instruction: "You are an insurance agent …
//! You can create new claims …"
//! FoundationModel: anthropic.claude-3-sonnet-20240229-v1:0
//! ```
//!
//! The spec wants those lines indented one more space; libyaml (and so PyYAML,
//! CloudFormation's and SAM's tooling, Ruby, Go) read them as one scalar. So a file with
//! a tree-sitter error is not called broken on tree-sitter's word: libyaml judges it. If
//! libyaml reads it, its spans come from libyaml's events ([`read`]) and the file is
//! valid; if libyaml does not, the file has a syntax error at libyaml's position, and the
//! spans tree-sitter recovered are used for reporting.
//!
//! The spans [`read`] returns follow the rules of the tree-sitter extractor (see the
//! parent module), and a test holds the two to the same output on valid files.

use std::ops::Range;

use libyaml_safer::{EventData, Parser, ScalarStyle};

use super::push_with_defaults;
use crate::extract::{Mapping, Span, SpanContext, SyntaxError};

/// A collection being read, for the scalars inside it.
enum Frame {
    /// A mapping: where it starts, whether its next node is a key, the text of the
    /// current entry's key (when that key is a scalar), and the spans of its keys, whose
    /// [`Mapping`] is known once the mapping ends.
    Mapping {
        start: usize,
        key_next: bool,
        key: Option<String>,
        keys: Vec<usize>,
    },
    /// A sequence.
    Sequence,
}

/// The scalar and comment spans of `source` as libyaml reads it, or the first error
/// libyaml finds, at its position.
pub(super) fn read(source: &str) -> Result<Vec<Span>, SyntaxError> {
    let mut input = source.as_bytes();
    let mut parser = Parser::new();
    parser.set_input_string(&mut input);
    let mut spans: Vec<Span> = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    // Byte ranges inside which a `#` is text, not a comment: every scalar as written.
    let mut literal_ranges: Vec<Range<usize>> = Vec::new();
    loop {
        let event = parser.parse().map_err(syntax_error)?;
        let start = offset(source, event.start_mark.index);
        let end = offset(source, event.end_mark.index);
        match event.data {
            EventData::StreamEnd => break,
            EventData::Scalar {
                value,
                style,
                anchor,
                tag,
                ..
            } => {
                let is_key = node_is_key(&frames);
                let at = if anchor.is_some() || tag.is_some() {
                    skip_properties(source, start, end)
                } else {
                    start
                };
                if let Some((contents, literal)) = contents(source, at, end, style) {
                    literal_ranges.push(literal);
                    let first = spans.len();
                    if is_key {
                        push_with_defaults(&mut spans, source, contents, None, None);
                        if let Some(Frame::Mapping { keys, .. }) = frames.last_mut() {
                            keys.push(first);
                        }
                    } else {
                        let key_name = enclosing_key(&frames);
                        push_with_defaults(&mut spans, source, contents, None, key_name);
                    }
                }
                if let Some(Frame::Mapping { key_next, key, .. }) = frames.last_mut()
                    && *key_next
                {
                    *key = Some(value.trim().to_owned());
                }
                node_done(&mut frames);
            }
            EventData::Alias { .. } => {
                clear_key_if_key(&mut frames);
                node_done(&mut frames);
            }
            EventData::MappingStart { .. } => {
                clear_key_if_key(&mut frames);
                frames.push(Frame::Mapping {
                    start,
                    key_next: true,
                    key: None,
                    keys: Vec::new(),
                });
            }
            EventData::SequenceStart { .. } => {
                clear_key_if_key(&mut frames);
                frames.push(Frame::Sequence);
            }
            EventData::MappingEnd => {
                if let Some(Frame::Mapping {
                    start: mapping_start,
                    keys,
                    ..
                }) = frames.pop()
                {
                    let mapping = mapping_start..end.max(mapping_start);
                    for index in keys {
                        spans[index].key = Some(Mapping::At(mapping.clone()));
                    }
                }
                node_done(&mut frames);
            }
            EventData::SequenceEnd => {
                frames.pop();
                node_done(&mut frames);
            }
            EventData::StreamStart { .. }
            | EventData::DocumentStart { .. }
            | EventData::DocumentEnd { .. } => {}
        }
    }
    spans.extend(comments(source, &literal_ranges));
    spans.sort_by_key(|span| span.range.start);
    Ok(spans)
}

/// libyaml's error as a [`SyntaxError`] (1-based line and column; libyaml counts
/// columns in characters, as [`SyntaxError`] does).
fn syntax_error(error: libyaml_safer::Error) -> SyntaxError {
    let (line, column) = error.problem_mark().map_or((1, 1), |mark| {
        (mark.line as usize + 1, mark.column as usize + 1)
    });
    let message = match (error.context(), error.context_mark()) {
        (Some(context), Some(mark)) => format!(
            "{}, {context} at {}:{}",
            error.problem(),
            mark.line + 1,
            mark.column + 1
        ),
        (Some(context), None) => format!("{}, {context}", error.problem()),
        _ => error.problem().to_owned(),
    };
    SyntaxError {
        line,
        column,
        message,
    }
}

/// A libyaml byte index as an offset into `source`, clamped to it.
fn offset(source: &str, index: u64) -> usize {
    usize::try_from(index).map_or(source.len(), |i| i.min(source.len()))
}

/// Whether the node starting now is the key of a mapping entry.
fn node_is_key(frames: &[Frame]) -> bool {
    matches!(frames.last(), Some(Frame::Mapping { key_next: true, .. }))
}

/// A node that is not a scalar starting as a key: that entry's key has no text.
fn clear_key_if_key(frames: &mut [Frame]) {
    if let Some(Frame::Mapping {
        key_next: true,
        key,
        ..
    }) = frames.last_mut()
    {
        *key = None;
    }
}

/// A node ended: in a mapping, a key is followed by its value and a value by the next key.
fn node_done(frames: &mut [Frame]) {
    if let Some(Frame::Mapping { key_next, .. }) = frames.last_mut() {
        *key_next = !*key_next;
    }
}

/// The key of the innermost mapping entry holding a value, through sequences.
fn enclosing_key(frames: &[Frame]) -> Option<String> {
    frames.iter().rev().find_map(|frame| match frame {
        Frame::Mapping { key, .. } => Some(key.clone()),
        Frame::Sequence => None,
    })?
}

/// Where a node's text starts after its properties: the anchor (`&a`) and tag (`!Sub`,
/// `!!str`, `!<…>`) that libyaml counts into the node's range, with the white space and
/// comments after them.
fn skip_properties(source: &str, start: usize, end: usize) -> usize {
    let bytes = source.as_bytes();
    let mut at = start;
    while at < end {
        match bytes[at] {
            b'!' | b'&' => {
                while at < end && !matches!(bytes[at], b' ' | b'\t' | b'\r' | b'\n') {
                    at += 1;
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => at += 1,
            b'#' => {
                while at < end && bytes[at] != b'\n' {
                    at += 1;
                }
            }
            _ => break,
        }
    }
    at
}

/// The contents of a scalar written at `at..end` in `style` (between its quotes; a block
/// scalar's body after its header line, trailing blank lines left out), and the range in
/// which a `#` is part of the scalar. `None` for an empty plain scalar (an entry with no
/// value, which the file does not write) and for ranges that do not look like the style.
fn contents(
    source: &str,
    at: usize,
    end: usize,
    style: ScalarStyle,
) -> Option<(Range<usize>, Range<usize>)> {
    let text = source.get(at..end)?;
    match style {
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
            let quote = if style == ScalarStyle::SingleQuoted {
                '\''
            } else {
                '"'
            };
            (text.len() >= 2 && text.starts_with(quote) && text.ends_with(quote))
                .then(|| (at + 1..end - 1, at..end))
        }
        ScalarStyle::Literal | ScalarStyle::Folded => {
            let header = memchr::memchr(b'\n', text.as_bytes())?;
            let body = &text[header + 1..];
            let trimmed = body.trim_end_matches(['\n', '\r', ' ', '\t']);
            let body_start = at + header + 1;
            Some((body_start..body_start + trimmed.len(), body_start..end))
        }
        _ => (!text.is_empty()).then_some((at..end, at..end)),
    }
}

/// The comments of `source`: a `#` at the start of a line or after white space that is
/// not inside a scalar (`literal_ranges`, in document order), to the end of its line.
fn comments(source: &str, literal_ranges: &[Range<usize>]) -> Vec<Span> {
    let bytes = source.as_bytes();
    let mut spans = Vec::new();
    let mut literal = literal_ranges.iter().peekable();
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'#', &bytes[at..]) {
        let hash = at + found;
        while literal.peek().is_some_and(|range| range.end <= hash) {
            literal.next();
        }
        let inside = literal
            .peek()
            .is_some_and(|range| range.start <= hash && hash < range.end);
        let after_space = hash == 0 || matches!(bytes[hash - 1], b' ' | b'\t' | b'\n' | b'\r');
        if inside || !after_space {
            at = hash + 1;
            continue;
        }
        let line_end = memchr::memchr(b'\n', &bytes[hash..]).map_or(bytes.len(), |i| hash + i);
        let text = &source[hash..line_end];
        let end = hash + text.trim_end_matches('\r').len();
        spans.push(Span::plain(hash..end, SpanContext::Comment));
        at = line_end;
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::test_support::rows;
    use crate::extract::{Extraction, SpanContext::Code};

    /// Rows of the strict reading, block-scalar bodies compared without trailing space.
    fn strict_rows(source: &str) -> Vec<(String, SpanContext, bool, Option<String>)> {
        let extraction = Extraction {
            spans: read(source).expect("libyaml reads it"),
            syntax_error: None,
        };
        normalise(rows(source, &extraction))
    }

    fn normalise(
        rows: Vec<(&str, SpanContext, bool, Option<String>)>,
    ) -> Vec<(String, SpanContext, bool, Option<String>)> {
        rows.into_iter()
            .map(|(text, context, key, name)| (text.trim_end().to_owned(), context, key, name))
            .collect()
    }

    /// Valid files on which tree-sitter-yaml and libyaml must give the same spans.
    const AGREE: &[&str] = &[
        "a: anthropic.claude-v2\nb: 'it''s'\nc: \"x\\\"y\"\nd: |-\n  one\n  two\ne: >\n  folded\n",
        "a: ''\nb: \"\"\n",
        "env:\n  - A=anthropic.claude-v2\n  - [x, {k: v}]\nflow: {\"q k\": [y], 'p': z}\n",
        "- a\n- b\n",
        "# head\nbase: &b\n  model: !!str anthropic.claude-v2 # why\nother:\n  <<: *b\n  id: !Ref Model\n",
        "Arn: !Sub \"arn:aws:bedrock:${AWS::Region}::foundation-model/anthropic.claude-v2\"\nId: !Sub '${Geo}.anthropic.claude-v2'\n",
        "run: echo ${{ inputs.model || 'anthropic.claude-v2' }} ${unclosed\nx: ${{ format('{0}''s', 'a') }}\n",
        "a:\n  k: 1\nb:\n  k: {k: 2}\nc: [k: 3, {k: 4}]\n",
        "---\nx: 1 # one\n...\n---\n# two\ny: \"a # b\" #c\nz: |  # header\n  # body\n  text\n",
        "Resources:\n  Fn:\n    Properties:\n      Environment:\n        Variables:\n          MODEL_ID: !Sub \"${Geo}.anthropic.claude-3-haiku-20240307-v1:0\"\n          plain: a\n            b\n",
    ];

    #[test]
    fn agrees_with_tree_sitter_on_valid_files() {
        for source in AGREE {
            let tree_sitter = super::super::tree_sitter_extract(source);
            assert_eq!(
                strict_rows(source),
                normalise(rows(source, &tree_sitter)),
                "{source:?}"
            );
        }
    }

    #[test]
    fn keys_of_one_mapping_share_it() {
        let source = "a:\n  k: 1\n  j: 2\nb: {k: 3}\n";
        let spans = read(source).unwrap();
        let key_of = |text: &str| {
            spans
                .iter()
                .find(|s| &source[s.range.clone()] == text && s.key.is_some())
                .and_then(|s| s.key.clone())
                .unwrap()
        };
        assert_eq!(key_of("j"), key_of("k"));
        assert_ne!(key_of("a"), key_of("j"));
        let Mapping::At(inner) = key_of("j") else {
            panic!("a YAML mapping is a range")
        };
        assert!(source[inner].starts_with("k: 1\n  j: 2"));
    }

    #[test]
    fn quoted_continuation_at_the_key_indentation_is_read() {
        let source = "Agent:\n  Properties:\n    Instruction: \"You are an agent.\n    You can help.\"\n    FoundationModel: anthropic.claude-3-sonnet-20240229-v1:0\n";
        let rows = strict_rows(source);
        assert_eq!(
            rows.last().unwrap(),
            &(
                "anthropic.claude-3-sonnet-20240229-v1:0".to_owned(),
                Code,
                false,
                Some("FoundationModel".to_owned())
            )
        );
        assert!(rows.contains(&(
            "You are an agent.\n    You can help.".to_owned(),
            Code,
            false,
            Some("Instruction".to_owned())
        )));
    }

    #[test]
    fn errors_carry_libyaml_position() {
        let error = read("a: [b\nc: d\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "2:2: did not find expected ',' or ']', while parsing a flow sequence at 1:4"
        );
        let error = read("a: b\n c: d: e\n").unwrap_err();
        assert_eq!(error.line, 2, "{error}");
    }

    #[test]
    fn never_panics_on_odd_input() {
        for source in [
            "",
            "#",
            "&a",
            "!t",
            "- &a !t",
            "'",
            "\"",
            "|",
            "? a\n: b\n",
            "[",
            "{a: *",
        ] {
            let _ = read(source);
        }
    }
}
