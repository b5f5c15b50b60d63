//! Swift (`.swift`), read with tree-sitter-swift.
//!
//! - Single-line `"…"`, multi-line `"""…"""` and raw `#"…"#` / `##"""…"""##` string
//!   literals; `\(…)` interpolations (`\#(…)` in a raw string) are holes. Regex literals are
//!   not strings. The `format:` argument of a call (`String(format: "%@.…", geo)`) is a
//!   template: its conversions are holes.
//! - Comments (block comments nest); `/// …` and `/** … */` are
//!   `SpanContext::Docstring`s.
//! - Keys: the keys of a dictionary literal (`["k": v]`), of that dictionary.

use std::cell::RefCell;

use tree_sitter::{Node, Parser};

use super::templates::{self, Syntax};
use super::{DocComments, Quotes, Table, code_span, comment, keyed, parent, quoted};
use crate::extract::treesitter::node_text;
use crate::extract::{Extraction, Focus, Span};

thread_local! {
    /// This thread's Swift parser, created on first use (see [`crate::extract::python`] for
    /// why parsers are per thread).
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// How Swift is read.
pub(crate) static TABLE: Table = Table {
    name: "Swift",
    slot: &PARSER,
    grammar: || tree_sitter_swift::LANGUAGE.into(),
    kinds: &[
        "line_string_literal",
        "multi_line_string_literal",
        "raw_string_literal",
        "comment",
        "multiline_comment",
    ],
    span,
};

/// The children of a single-line or multi-line string: `\(`, the expression and `)` form
/// one hole.
const QUOTES: Quotes = Quotes {
    delimiters: &["\"", "\"\"\""],
    text: &["line_str_text", "multi_line_str_text", "str_escaped_char"],
    suffixes: &[],
};

/// `/// …` and `/** … */`.
const DOC: DocComments = DocComments {
    block: true,
    triple_slash: true,
};

/// Extract the string-literal and comment spans of a Swift file (see the module docs).
pub fn extract(source: &str) -> Extraction {
    extract_focused(source, Focus::Everything)
}

/// Like [`extract`], leaving out spans that `focus` rules out (see [`Focus`]).
pub fn extract_focused(source: &str, focus: Focus) -> Extraction {
    super::extract_focused(&TABLE, source, focus)
}

/// The span of a string literal or comment.
fn span(node: Node, ancestors: &[Node], source: &str) -> Option<Span> {
    let span = match node.kind() {
        "comment" | "multiline_comment" => return Some(comment(node, source, DOC)),
        "raw_string_literal" => raw(node, source),
        _ => quoted(node, &QUOTES),
    };
    let mut span = span;
    if is_format_string(node, ancestors, source) {
        templates::add_holes(&mut span, Syntax::Printf, source);
    }
    Some(keyed(span, dictionary(node, ancestors)))
}

/// Whether `literal` is the `format:` argument of a call (`String(format: "%@.…", geo)`).
fn is_format_string(literal: Node, ancestors: &[Node], source: &str) -> bool {
    parent(ancestors).is_some_and(|(argument, _)| {
        argument.kind() == "value_argument"
            && argument.child_by_field_name("value") == Some(literal)
            && argument
                .child_by_field_name("name")
                .is_some_and(|label| node_text(label, source) == "format")
    })
}

/// The span of a raw string: its delimiters are read from its text (`#` × n, then `"""`
/// and a line break or `"`; the same quotes and n × `#` at the end), its holes are its
/// `raw_str_interpolation` children.
fn raw(node: Node, source: &str) -> Span {
    let text = node_text(node, source);
    let hashes = text.len() - text.trim_start_matches('#').len();
    let after = &text[hashes..];
    let multi = after.starts_with("\"\"\"\n") || after.starts_with("\"\"\"\r\n");
    let quotes = if multi { 3 } else { 1 };
    let closing = format!("{}{}", "\"".repeat(quotes), "#".repeat(hashes));
    let start = node.start_byte() + hashes + quotes;
    let end = if text.len() >= hashes + quotes + closing.len() && text.ends_with(&closing) {
        node.end_byte() - closing.len()
    } else {
        node.end_byte()
    };
    let mut span = code_span(node, start..end);
    span.holes = node
        .children(&mut node.walk())
        .filter(|child| child.kind() == "raw_str_interpolation")
        .map(|child| child.byte_range())
        .filter(|hole| span.range.start <= hole.start && hole.end <= span.range.end)
        .collect();
    span
}

/// The dictionary literal that holds `literal` as a key.
fn dictionary<'t>(literal: Node<'t>, ancestors: &[Node<'t>]) -> Option<Node<'t>> {
    let dictionary = parent(ancestors)?.0;
    let is_key = dictionary.kind() == "dictionary_literal"
        && dictionary
            .children_by_field_name("key", &mut dictionary.walk())
            .any(|key| key == literal);
    is_key.then_some(dictionary)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{ODD_INPUTS, keys, spans};
    use super::*;
    use crate::extract::SpanContext::{Code, Comment, Docstring};
    use crate::extract::test_support::{assert_in_bounds, assert_inside_holes_of_first};

    #[test]
    fn strings_and_comments() {
        let source = "/// Doc anthropic.claude-v2\n/** Block doc */\n// line\n\
                      /* block /* nested */ */\nlet a = \"anthropic.claude-v2\"\n\
                      let c = \"\"\"\n    multi us.anthropic.x\n    \"\"\"\nlet e = \"\"\n\
                      let r = /anthropic\\.claude/\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                ("/// Doc anthropic.claude-v2", Docstring, vec![]),
                ("/** Block doc */", Docstring, vec![]),
                ("// line", Comment, vec![]),
                ("/* block /* nested */ */", Comment, vec![]),
                ("anthropic.claude-v2", Code, vec![]),
                ("\n    multi us.anthropic.x\n    ", Code, vec![]),
                ("", Code, vec![]),
            ]
        );
    }

    #[test]
    fn interpolations_are_holes() {
        let source = "let b = \"\\(geo).anthropic.claude-v2 \\\\ x\"\n\
                      let c = \"\"\"\n  m \\(x) y\n  \"\"\"\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                ("\\(geo).anthropic.claude-v2 \\\\ x", Code, vec!["\\(geo)"]),
                ("\n  m \\(x) y\n  ", Code, vec!["\\(x)"]),
            ]
        );
        let nested = "let g = \"a\\(m(\"anthropic.claude-v2\"))b\"\n";
        let extraction = extract(nested);
        assert_eq!(extraction.spans.len(), 2);
        assert_inside_holes_of_first(&extraction);
    }

    #[test]
    fn raw_strings() {
        let source = "let d = #\"raw \\(no) \\#(yes) anthropic.claude-v2\"#\nlet g = #\"\"#\n\
                      let f = ##\"\"\"\n  raw multi \"# x\n  \"\"\"##\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                (
                    "raw \\(no) \\#(yes) anthropic.claude-v2",
                    Code,
                    vec!["\\#(yes)"]
                ),
                ("", Code, vec![]),
                ("\n  raw multi \"# x\n  ", Code, vec![]),
            ]
        );
    }

    #[test]
    fn dictionary_keys() {
        let source = "let m = [\"a\": 1, \"b\": \"v\"]\nlet l = [\"x\"]\n";
        assert_eq!(
            keys(source, &extract(source)),
            [
                ("a", "[\"a\": 1, \"b\": \"v\"]".to_string()),
                ("b", "[\"a\": 1, \"b\": \"v\"]".to_string()),
            ]
        );
    }

    #[test]
    fn format_arguments_are_templates() {
        let source = "let a = String(format: \"%@.anthropic.claude-v2\", g)\n\
                      let b = f(name: \"%@.x\")\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                ("%@.anthropic.claude-v2", Code, vec!["%@"]),
                ("%@.x", Code, vec![]),
            ]
        );
    }

    #[test]
    fn syntax_errors_are_reported() {
        let source = "let a = \"anthropic.claude-v2\"\nfunc f( {\n";
        assert!(extract(source).syntax_error.is_some());
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in ODD_INPUTS {
            assert_in_bounds(input, &extract(input));
        }
    }
}
