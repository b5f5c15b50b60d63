//! YAML extractor (`.yml`, `.yaml`), built on tree-sitter-yaml.
//!
//! tree-sitter-yaml implements the YAML 1.2 block and flow syntax with an external scanner
//! for indentation, block scalars and multi-document streams, recovers from errors, and is
//! walked with a cursor, so nesting depth never costs stack.
//!
//! What becomes a [`Span`] ([`SpanContext::Code`] unless said otherwise):
//! - a plain scalar (`model: anthropic.claude-v2`): the whole scalar, which may run over
//!   several lines;
//! - a single- or double-quoted scalar: its contents between the quotes, as written
//!   (`''` and `\"` escapes stay escaped: a rewrite replaces raw bytes);
//! - a block scalar (`|`, `>`, with any chomping or indentation indicator): one span over
//!   its body, the lines after the header line, indentation included;
//! - a scalar that is the key of a mapping entry (block or flow) has `key` set to that
//!   mapping's byte range (a pair written alone in a flow sequence, `[k: v]`, is a mapping
//!   of its own), so that keys are compared only within their mapping; any other
//!   scalar has `key_name` set to the key of the innermost mapping entry holding it, also
//!   through sequences (`environment: [A, B]`, `- item` under a key);
//! - each comment as [`SpanContext::Comment`].
//!
//! Anchors (`&x`), aliases (`*x`), tags (`!Sub`, `!!str`) and directives are not spans;
//! the scalar after a tag is (`!Sub "arn:…"` yields the string).
//!
//! **Interpolations.** Every `${…}` in any scalar is a hole, whatever the tag: plain YAML
//! has no interpolation, but the tools that read these files do — CloudFormation and SAM
//! (`!Sub "arn:aws:bedrock:${AWS::Region}::…"`, also in a `Fn::Sub:` mapping or behind a
//! custom tag the parser cannot tell from `!Sub`), GitHub Actions (`${{ inputs.model }}`),
//! Docker Compose (`${MODEL}`), Spring (`${bedrock.model}`), Serverless. Treating `${…}`
//! as a hole everywhere costs nothing in files that do not interpolate (an ID is never
//! written as `${…}`) and makes an ID assembled from one (`${Geo}.anthropic.…`) be
//! reported as split instead of rewritten. Braces are matched, so `${{ … }}` is one hole.
//! A literal value inside a hole is a value of its own and gets its own span inside the
//! hole, like a string inside an f-string interpolation: a default in
//! `${NAME:-default}`, `${NAME-default}`, `${NAME:=default}`, `${NAME:+value}` (shell and
//! Docker Compose) or `${name.with.dots:default}` (Spring) — `${AWS::Region}` has none —
//! and each `'…'` string in a GitHub Actions expression
//! (`${{ inputs.model || 'anthropic.claude-v2' }}`). A `${` without its `}` is left as
//! text.

use std::cell::RefCell;
use std::ops::Range;

use tree_sitter::{Language, Node, Parser};

use super::treesitter::{
    Enclosing, Frame, Step, between_delimiters, comment_span, failed, finish, key_and_name,
    node_text, parse, walk,
};
use super::{Extraction, Mapping, Span, SpanContext};

thread_local! {
    /// This thread's YAML parser, created on first use and reused for every file the
    /// thread reads (see the Python extractor for why parsers are per thread).
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

mod strict;

/// Extract the scalar and comment spans of a YAML file (every document of it).
///
/// Spans are sorted by start; a span for a default value inside `${…}` lies inside that
/// hole of the enclosing span, otherwise spans do not overlap. A file tree-sitter-yaml
/// reads cleanly is valid; one it does not is judged by libyaml (the `strict` module): when
/// libyaml reads it, it is valid and its spans come from libyaml; otherwise
/// `syntax_error` is libyaml's first error and the spans are those tree-sitter recovered.
/// Never panics.
pub fn extract(source: &str) -> Extraction {
    let extraction = tree_sitter_extract(source);
    if extraction.syntax_error.is_none() {
        return extraction;
    }
    match strict::read(source) {
        Ok(spans) => Extraction {
            spans,
            syntax_error: None,
        },
        Err(error) => Extraction {
            syntax_error: Some(error),
            ..extraction
        },
    }
}

/// The spans of a YAML file as tree-sitter-yaml reads it, with its first error if any.
fn tree_sitter_extract(source: &str) -> Extraction {
    let tree = match parse(&PARSER, grammar, "YAML", source) {
        Ok(tree) => tree,
        Err(error) => return failed(source, error),
    };
    let root = tree.root_node();
    let mut spans = Vec::new();
    // Mapping entries (named by their key, when it is a scalar), and keys.
    let mut frames: Enclosing<Frame> = Enclosing::default();
    // The collections enclosing the current node: (byte range, whether it is a mapping
    // rather than a flow sequence).
    let mut collections: Enclosing<(Range<usize>, bool)> = Enclosing::default();
    walk(root, |step| match step {
        Step::Enter { node, field } => {
            let kind = node.kind();
            if field == Some("key") {
                frames.push(node, Frame::Key);
            }
            match kind {
                "block_mapping" | "flow_mapping" => {
                    collections.push(node, (node.byte_range(), true))
                }
                "flow_sequence" => collections.push(node, (node.byte_range(), false)),
                // `[k: v]`: a pair directly in a flow sequence is a one-entry mapping.
                "flow_pair" if collections.innermost().is_some_and(|(_, mapping)| !mapping) => {
                    collections.push(node, (node.byte_range(), true));
                }
                _ => {}
            }
            if matches!(kind, "block_mapping_pair" | "flow_pair") {
                let key = node
                    .child_by_field_name("key")
                    .and_then(|key| key_text(key, source));
                frames.push(node, Frame::Named(key));
            } else if kind == "comment" {
                spans.push(comment_span(node, SpanContext::Comment, source));
            } else if let Some(range) = scalar_contents(node, source) {
                let (key, key_name) = key_and_name(frames.innermost(), || {
                    let mapping = collections
                        .innermost_where(|(_, mapping)| *mapping)
                        .map_or(0..source.len(), |(range, _)| range.clone());
                    Some(Mapping::At(mapping))
                });
                push_with_defaults(&mut spans, source, range, key, key_name);
            }
        }
        Step::Leave(node) => {
            frames.leave(node);
            collections.leave(node);
        }
    });
    finish(spans, root, source)
}

/// Parse `source` with this thread's YAML parser (shared with [`extract`]);
/// [`crate::region_evidence`] reads the tree.
pub(crate) fn parse_tree(source: &str) -> Result<tree_sitter::Tree, super::SyntaxError> {
    parse(&PARSER, grammar, "YAML", source)
}

/// The YAML grammar.
fn grammar() -> Language {
    tree_sitter_yaml::LANGUAGE.into()
}

/// The byte range of a scalar's contents, if `node` is a scalar: a plain scalar whole,
/// a quoted one between its quotes, a block scalar's body after its header line.
pub(crate) fn scalar_contents(node: Node, source: &str) -> Option<Range<usize>> {
    match node.kind() {
        "plain_scalar" => Some(node.byte_range()),
        "single_quote_scalar" => Some(between_delimiters(node, "'", "'")),
        "double_quote_scalar" => Some(between_delimiters(node, "\"", "\"")),
        "block_scalar" => {
            let range = node.byte_range();
            let header_end = memchr::memchr(b'\n', source.get(range.clone())?.as_bytes())?;
            Some(range.start + header_end + 1..range.end)
        }
        _ => None,
    }
}

/// Push the span of a scalar's contents with its `${…}` holes, and a span for each literal
/// inside a hole (and for literals inside those).
fn push_with_defaults(
    spans: &mut Vec<Span>,
    source: &str,
    range: Range<usize>,
    key: Option<Mapping>,
    key_name: Option<String>,
) {
    let mut pending = vec![(range, key)];
    while let Some((range, key)) = pending.pop() {
        let (holes, literals) = interpolations(source, range.clone());
        pending.extend(literals.into_iter().map(|literal| (literal, None)));
        spans.push(Span {
            range,
            context: SpanContext::Code,
            holes,
            key_name: if key.is_some() {
                None
            } else {
                key_name.clone()
            },
            key,
        });
    }
}

/// The `${…}` holes in `range` of `source`, and the ranges of the literal values inside
/// them: a default (see [`default_value`]) or, in a GitHub Actions expression `${{ … }}`,
/// each `'…'` string.
fn interpolations(source: &str, range: Range<usize>) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let bytes = source.as_bytes();
    let mut holes = Vec::new();
    let mut literals = Vec::new();
    let mut at = range.start;
    while let Some(found) = memchr::memmem::find(&bytes[at..range.end], b"${") {
        let start = at + found;
        let Some(close) = closing_brace(&bytes[start + 2..range.end]).map(|i| start + 2 + i) else {
            at = start + 2;
            continue;
        };
        holes.push(start..close + 1);
        let inner = start + 2..close;
        if bytes.get(inner.start) == Some(&b'{') {
            let base = inner.start;
            literals.extend(
                expression_strings(&bytes[inner])
                    .map(|literal| base + literal.start..base + literal.end),
            );
        } else if let Some(default) = default_value(&source[inner.clone()]) {
            literals.push(inner.start + default.start..inner.start + default.end);
        }
        at = close + 1;
    }
    (holes, literals)
}

/// The contents of the `'…'` string literals in a GitHub Actions expression (`''` is an
/// escaped quote inside one); an unterminated one is not a literal.
fn expression_strings(expression: &[u8]) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let open = at + memchr::memchr(b'\'', &expression[at..])?;
        let mut i = open + 1;
        loop {
            let quote = i + memchr::memchr(b'\'', &expression[i..])?;
            if expression.get(quote + 1) == Some(&b'\'') {
                i = quote + 2;
                continue;
            }
            at = quote + 1;
            return Some(open + 1..quote);
        }
    })
}

/// The index of the `}` that closes a `${` whose contents start `inner`, counting nested
/// braces (`${{ x }}`, `${a:${b}}`).
fn closing_brace(inner: &[u8]) -> Option<usize> {
    let mut depth = 1usize;
    for (i, &b) in inner.iter().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The range, within the contents of a `${…}`, of a literal default value: Spring's
/// `name:default` (a name of letters, digits, `_`, `.`, `-`, then one `:` not followed by
/// `:`, `-`, `=`, `+` or `?`), or the shell's `NAME:-default`, `NAME-default`,
/// `NAME:=default`, `NAME=default`, `NAME:+value`, `NAME+value`.
fn default_value(inner: &str) -> Option<Range<usize>> {
    let bytes = inner.as_bytes();
    let spring_name = bytes
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        .count();
    let start = if spring_name > 0
        && bytes.get(spring_name) == Some(&b':')
        && !matches!(
            bytes.get(spring_name + 1),
            Some(b':' | b'-' | b'=' | b'+' | b'?')
        ) {
        spring_name + 1
    } else {
        let shell_name = if bytes.first().is_some_and(|b| b.is_ascii_digit()) {
            0
        } else {
            bytes
                .iter()
                .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_')
                .count()
        };
        if shell_name == 0 {
            return None;
        }
        match &bytes[shell_name..] {
            [b':', b'-' | b'=' | b'+', ..] => shell_name + 2,
            [b'-' | b'=' | b'+', ..] => shell_name + 1,
            _ => return None,
        }
    };
    (start < bytes.len()).then_some(start..bytes.len())
}

/// The text of a mapping key, when it is a scalar (possibly tagged or anchored): a plain
/// scalar as written, a quoted one with its quoting undone.
pub(crate) fn key_text(key: Node, source: &str) -> Option<String> {
    let scalar = if scalar_kind(key.kind()) {
        key
    } else {
        key.named_children(&mut key.walk())
            .find(|child| scalar_kind(child.kind()))?
    };
    let contents = source.get(scalar_contents(scalar, source)?)?;
    Some(match scalar.kind() {
        "single_quote_scalar" => contents.replace("''", "'"),
        "double_quote_scalar" => unescape_double_quoted(contents),
        _ => node_text(scalar, source).trim().to_owned(),
    })
}

/// Whether a node kind is a scalar whose text can name a key.
fn scalar_kind(kind: &str) -> bool {
    matches!(
        kind,
        "plain_scalar" | "single_quote_scalar" | "double_quote_scalar"
    )
}

/// Undo the common escapes of a double-quoted YAML scalar (`\"`, `\\`, `\/`, `\n`, `\t`,
/// `\uXXXX` …); an escape this does not know is kept as written. Only used for key names,
/// which are hints.
fn unescape_double_quoted(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(escape) = chars.next() else {
            out.push('\\');
            break;
        };
        match escape {
            '"' | '\\' | '/' | ' ' => out.push(escape),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '0' => out.push('\0'),
            'u' | 'x' | 'U' => {
                let len = match escape {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = chars.clone().take(len).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(decoded) if hex.len() == len => {
                        out.push(decoded);
                        chars.nth(len - 1);
                    }
                    _ => {
                        out.push('\\');
                        out.push(escape);
                    }
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{self, assert_in_bounds, assert_large, has_span, n};
    use super::*;
    use SpanContext::{Code, Comment};

    /// Text, context, key flag and key name of every span; the file must parse cleanly.
    fn spans(source: &str) -> Vec<(&str, SpanContext, bool, Option<String>)> {
        test_support::rows(source, &extract(source))
    }

    /// The text of every span's holes, in span order.
    fn holes(source: &str) -> Vec<Vec<&str>> {
        test_support::holes(source, &extract(source))
    }

    #[test]
    fn keys_name_the_mapping_that_holds_them() {
        let source = "a:\n  k: 1\nb:\n  k: {k: 2}\nc: [k: 3, {k: 4}]\n";
        let keys = test_support::keys(source, &extract(source));
        let texts: Vec<(&str, &str)> = keys.iter().map(|(k, m)| (*k, m.trim_end())).collect();
        assert_eq!(
            texts,
            [
                ("a", source.trim_end()),
                ("k", "k: 1"),
                ("b", source.trim_end()),
                ("k", "k: {k: 2}"),
                ("k", "{k: 2}"),
                ("c", source.trim_end()),
                ("k", "k: 3"),
                ("k", "{k: 4}"),
            ]
        );
    }

    #[test]
    fn scalar_styles() {
        let source = "a: anthropic.claude-v2\nb: 'it''s'\nc: \"x\\\"y\"\nd: |-\n  one\n  two\ne: >\n  folded\n";
        assert_eq!(
            spans(source),
            [
                ("a", Code, true, None),
                ("anthropic.claude-v2", Code, false, n("a")),
                ("b", Code, true, None),
                ("it''s", Code, false, n("b")),
                ("c", Code, true, None),
                ("x\\\"y", Code, false, n("c")),
                ("d", Code, true, None),
                ("  one\n  two", Code, false, n("d")),
                ("e", Code, true, None),
                ("  folded\n", Code, false, n("e")),
            ]
        );
        let start = source.find("anthropic").unwrap();
        assert_eq!(
            extract(source).spans[1].range,
            start..start + "anthropic.claude-v2".len()
        );
    }

    #[test]
    fn empty_quoted_scalars_give_empty_spans() {
        let source = "a: ''\nb: \"\"\n";
        let extraction = extract(source);
        let quote = source.find("''").unwrap() + 1;
        assert_eq!(extraction.spans[1].range, quote..quote);
        assert_eq!(spans(source)[3], ("", Code, false, n("b")));
    }

    #[test]
    fn sequences_and_flow_collections_take_the_enclosing_key() {
        let source = "env:\n  - A=anthropic.claude-v2\n  - [x, {k: v}]\nflow: {\"q k\": [y], 'p': z}\n- top\n";
        let source = &source[..source.find("- top").unwrap()];
        assert_eq!(
            spans(source),
            [
                ("env", Code, true, None),
                ("A=anthropic.claude-v2", Code, false, n("env")),
                ("x", Code, false, n("env")),
                ("k", Code, true, None),
                ("v", Code, false, n("k")),
                ("flow", Code, true, None),
                ("q k", Code, true, None),
                ("y", Code, false, n("q k")),
                ("p", Code, true, None),
                ("z", Code, false, n("p")),
            ]
        );
        assert_eq!(
            spans("- a\n- b\n"),
            [("a", Code, false, None), ("b", Code, false, None)]
        );
    }

    #[test]
    fn anchors_aliases_tags_and_comments() {
        let source = "# head\nbase: &b\n  model: !!str anthropic.claude-v2 # why\nother:\n  <<: *b\n  id: !Ref Model\n";
        assert_eq!(
            spans(source),
            [
                ("# head", Comment, false, None),
                ("base", Code, true, None),
                ("model", Code, true, None),
                ("anthropic.claude-v2", Code, false, n("model")),
                ("# why", Comment, false, None),
                ("other", Code, true, None),
                ("<<", Code, true, None),
                ("id", Code, true, None),
                ("Model", Code, false, n("id")),
            ]
        );
    }

    #[test]
    fn cloudformation_sub_keeps_interpolations_as_holes() {
        let source = "Arn: !Sub \"arn:aws:bedrock:${AWS::Region}::foundation-model/anthropic.claude-v2\"\nId: !Sub '${Geo}.anthropic.claude-v2'\n";
        let texts: Vec<_> = spans(source).into_iter().map(|s| s.0).collect();
        assert_eq!(
            texts,
            [
                "Arn",
                "arn:aws:bedrock:${AWS::Region}::foundation-model/anthropic.claude-v2",
                "Id",
                "${Geo}.anthropic.claude-v2",
            ]
        );
        assert_eq!(
            holes(source),
            [vec![], vec!["${AWS::Region}"], vec![], vec!["${Geo}"]]
        );
        let hole = &extract(source).spans[1].holes[0];
        let start = source.find("${AWS").unwrap();
        assert_eq!(*hole, start..start + "${AWS::Region}".len());
    }

    #[test]
    fn github_expressions_are_one_hole_with_their_strings_as_spans() {
        let source = "run: echo ${{ inputs.model || 'anthropic.claude-v2' }} ${unclosed\nx: ${{ format('{0}''s', 'a') }}\n";
        let extraction = extract(source);
        let texts = test_support::texts(source, &extraction);
        assert_eq!(
            texts,
            [
                "run",
                "echo ${{ inputs.model || 'anthropic.claude-v2' }} ${unclosed",
                "anthropic.claude-v2",
                "x",
                "${{ format('{0}''s', 'a') }}",
                "{0}''s",
                "a",
            ]
        );
        assert_eq!(
            holes(source)[1],
            ["${{ inputs.model || 'anthropic.claude-v2' }}"]
        );
        assert_eq!(extraction.spans[2].key_name.as_deref(), Some("run"));
        let unterminated: Vec<_> = expression_strings(b" 'a' 'b").collect();
        assert_eq!(unterminated, vec![Range { start: 2, end: 3 }]);
    }

    #[test]
    fn literal_defaults_inside_holes_are_spans_of_their_own() {
        let source = "a: ${MODEL:-anthropic.claude-v2}\nb: \"${spring.model:${X:meta.llama2-13b-chat-v1}}\"\nc: ${AWS::Region}\nd: ${N:?message}\n";
        let extraction = extract(source);
        let texts: Vec<(&str, Option<&str>)> = extraction
            .spans
            .iter()
            .map(|s| (&source[s.range.clone()], s.key_name.as_deref()))
            .collect();
        assert_eq!(
            texts,
            [
                ("a", None),
                ("${MODEL:-anthropic.claude-v2}", Some("a")),
                ("anthropic.claude-v2", Some("a")),
                ("b", None),
                ("${spring.model:${X:meta.llama2-13b-chat-v1}}", Some("b")),
                ("${X:meta.llama2-13b-chat-v1}", Some("b")),
                ("meta.llama2-13b-chat-v1", Some("b")),
                ("c", None),
                ("${AWS::Region}", Some("c")),
                ("d", None),
                ("${N:?message}", Some("d")),
            ]
        );
        // Each nested span lies inside a hole of the span before it.
        for pair in [(1, 2), (4, 5), (5, 6)] {
            let (outer, inner) = (&extraction.spans[pair.0], &extraction.spans[pair.1]);
            assert!(
                outer
                    .holes
                    .iter()
                    .any(|h| h.start <= inner.range.start && inner.range.end <= h.end),
                "{inner:?} not in a hole of {outer:?}"
            );
        }
    }

    #[test]
    fn default_value_forms() {
        let cases = [
            ("VAR:-x", Some("x")),
            ("VAR-x", Some("x")),
            ("VAR:=x", Some("x")),
            ("VAR=x", Some("x")),
            ("VAR:+x", Some("x")),
            ("VAR+x", Some("x")),
            ("my-prop.name:x:y", Some("x:y")),
            ("VAR:?x", None),
            ("VAR:-", None),
            ("AWS::Region", None),
            ("Bucket.Arn", None),
            ("{ x }", None),
            ("1X-y", None),
        ];
        for (inner, expected) in cases {
            assert_eq!(default_value(inner).map(|r| &inner[r]), expected, "{inner}");
        }
    }

    #[test]
    fn block_scalar_header_comment_and_crlf() {
        let source = "a: |-  # hdr\r\n  body ${{ x }}\r\n\r\n  more\r\nb: \"x\r\n  y\"\r\nc: plain\r\n  cont\r\n";
        assert_eq!(
            spans(source),
            [
                ("a", Code, true, None),
                ("# hdr", Comment, false, None),
                ("  body ${{ x }}\r\n\r\n  more", Code, false, n("a")),
                ("b", Code, true, None),
                ("x\r\n  y", Code, false, n("b")),
                ("c", Code, true, None),
                ("plain\r\n  cont", Code, false, n("c")),
            ]
        );
        assert_eq!(holes(source)[2], ["${{ x }}"]);
    }

    #[test]
    fn multiple_documents() {
        let source = "%YAML 1.2\n---\na: x\n...\n---\nb: anthropic.claude-v2\n--- plain\n";
        let texts: Vec<_> = spans(source).into_iter().map(|s| s.0).collect();
        assert_eq!(texts, ["a", "x", "b", "anthropic.claude-v2", "plain"]);
    }

    #[test]
    fn quoted_and_complex_keys() {
        let source = "\"a\\u0062\\\"\": 1\n'it''s': 2\n? complex\n: 3\n[x]: 4\n";
        let names: Vec<_> = spans(source)
            .into_iter()
            .filter(|s| !s.2)
            .map(|s| (s.0, s.3))
            .collect();
        assert_eq!(
            names,
            [
                ("1", n("ab\"")),
                ("2", n("it's")),
                ("3", n("complex")),
                ("4", None)
            ]
        );
    }

    #[test]
    fn byte_offsets_after_non_ascii_text() {
        let source = "# Größe 🚀\nnäme: anthropic.claude-v2  # ü\n";
        let extraction = extract(source);
        let start = source.find("anthropic").unwrap();
        assert_eq!(
            extraction.spans[2].range,
            start..start + "anthropic.claude-v2".len()
        );
        assert_eq!(extraction.spans[2].key_name.as_deref(), Some("näme"));
        assert_eq!(&source[extraction.spans[3].range.clone()], "# ü");
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let source = "ok: anthropic.claude-v2\nbad: [1, 2\nnext: x\n";
        let extraction = extract(source);
        let error = extraction.syntax_error.expect("syntax error");
        // libyaml notices the unclosed `[` of line 2 at the `:` of line 3 and names both.
        assert_eq!(
            error.to_string(),
            "3:5: did not find expected ',' or ']', while parsing a flow sequence at 2:6"
        );
        assert!(
            extraction
                .spans
                .iter()
                .any(|s| &source[s.range.clone()] == "anthropic.claude-v2")
        );
        // Columns count characters: `ü` is two bytes.
        let error = extract("ok: x\nü: [1, 2\nnext: x\n")
            .syntax_error
            .expect("error");
        assert!(error.message.ends_with("at 2:4"), "{error}");
        // An unterminated quote is placed where the input ends.
        let error = extract("a: b\nü: \"x\n").syntax_error.expect("error");
        assert_eq!(
            error.to_string(),
            "3:1: found unexpected end of stream, while scanning a quoted scalar at 2:4"
        );
    }

    #[test]
    fn empty_and_blank_files() {
        assert_eq!(extract(""), Extraction::default());
        assert_eq!(extract("\n\n"), Extraction::default());
        assert_eq!(spans("---\n"), []);
        assert_eq!(spans("# only\n"), [("# only", Comment, false, None)]);
    }

    #[test]
    fn deeply_nested_and_large_input() {
        let deep = format!("{}deep{}", "[".repeat(5_000), "]".repeat(5_000));
        assert!(has_span(&deep, &extract(&deep), "deep"));

        let large = "- model: anthropic.claude-v2 # c\n".repeat(30_000);
        assert_large(&extract(&large), 90_000);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in [
            "\"", "'", "a: |", "a: >\n", "- [", "{", "? ", ":", "&", "*", "!", "${", "a: ${",
        ] {
            assert_in_bounds(input, &extract(input));
        }
    }

    #[test]
    fn unescape_double_quoted_keys() {
        assert_eq!(
            unescape_double_quoted(r#"a\"b\\c\/d\x41\u00e9\n\q"#),
            "a\"b\\c/dAé\n\\q"
        );
        assert_eq!(unescape_double_quoted(r"\u12"), r"\u12");
        assert_eq!(unescape_double_quoted("\\"), "\\");
    }
}
