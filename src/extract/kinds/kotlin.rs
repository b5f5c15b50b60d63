//! Kotlin (`.kt`, `.kts`), read with tree-sitter-kotlin-ng.
//!
//! - String literals `"…"` and raw strings `"""…"""`; their templates `${expr}` and
//!   `$name` are holes. (The grammar reads `$name` in a `"…"` string as text; it is found
//!   here from the text: a `$` that starts an identifier, and is not the escape `\$`.)
//!   Character literals are not strings. The receiver of `.format(…)` and the format string
//!   of `String.format(…)` are templates: their conversions (`%s`) are holes.
//! - Comments (block comments nest); a `/** … */` KDoc comment is a
//!   `SpanContext::Docstring`.
//! - Keys: the key of a pair `"k" to v`, of the map whose arguments it is among
//!   (`mapOf("a" to 1, "b" to 2)`).

use std::cell::RefCell;
use std::ops::Range;

use tree_sitter::{Node, Parser};

use super::templates::{self, Syntax};
use super::{DocComments, Quotes, Table, comment, keyed, parent, quoted};
use crate::extract::treesitter::node_text;
use crate::extract::{Extraction, Focus, Span};

thread_local! {
    /// This thread's Kotlin parser, created on first use (see [`crate::extract::python`]
    /// for why parsers are per thread).
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// How Kotlin is read.
pub(crate) static TABLE: Table = Table {
    name: "Kotlin",
    slot: &PARSER,
    grammar: || tree_sitter_kotlin_ng::LANGUAGE.into(),
    kinds: &[
        "string_literal",
        "multiline_string_literal",
        "line_comment",
        "block_comment",
    ],
    span,
};

/// The children of a string literal. A raw string may end with `""""`: its first quote
/// is text.
const QUOTES: Quotes = Quotes {
    delimiters: &["\"", "\"\"\"", "\"\"\"\""],
    text: &["string_content", "escape_sequence"],
    suffixes: &[],
};

/// KDoc: `/** … */`.
const DOC: DocComments = DocComments {
    block: true,
    triple_slash: false,
};

/// Extract the string-literal and comment spans of a Kotlin file (see the module docs).
pub fn extract(source: &str) -> Extraction {
    extract_focused(source, Focus::Everything)
}

/// Like [`extract`], leaving out spans that `focus` rules out (see [`Focus`]).
pub fn extract_focused(source: &str, focus: Focus) -> Extraction {
    super::extract_focused(&TABLE, source, focus)
}

/// The span of a string literal or comment.
fn span(node: Node, ancestors: &[Node], source: &str) -> Option<Span> {
    if !node.kind().ends_with("string_literal") {
        return Some(comment(node, source, DOC));
    }
    let mut span = quoted(node, &QUOTES);
    let count = node.child_count();
    if let Some(close) = node.child(count.saturating_sub(1))
        && close.kind() == "\"\"\"\""
    {
        span.range.end = (close.start_byte() + 1).max(span.range.start);
    }
    let mut holes = span.holes;
    for piece in node.children(&mut node.walk()) {
        if piece.kind() == "string_content" {
            holes.extend(simple_templates(piece, &span.range, &holes, source));
        }
    }
    holes.sort_by_key(|hole| hole.start);
    span.holes = holes;
    if is_format_string(node, ancestors, source) {
        templates::add_holes(&mut span, Syntax::Printf, source);
    }
    Some(keyed(span, pair_map(node, ancestors, source)))
}

/// Whether `literal` is a format string: the receiver of `.format(…)`, or the first string
/// argument of `String.format(…)`.
fn is_format_string(literal: Node, ancestors: &[Node], source: &str) -> bool {
    let called = templates::called_with(
        literal,
        ancestors,
        &["value_arguments"],
        &["value_argument"],
        source,
    );
    if called == Some("format") {
        return true;
    }
    let Some((access, above)) = parent(ancestors) else {
        return false;
    };
    let count = access.named_child_count();
    access.kind() == "navigation_expression"
        && access.named_child(0) == Some(literal)
        && u32::try_from(count.saturating_sub(1))
            .ok()
            .and_then(|last| access.named_child(last))
            .is_some_and(|name| node_text(name, source) == "format")
        && parent(above).is_some_and(|(call, _)| call.kind() == "call_expression")
}

/// The `$name` templates that start in the text piece `piece`: a `$` followed by an
/// identifier, up to the identifier's end (which may lie in a following piece), never past
/// `contents` or into one of the `known` holes.
fn simple_templates(
    piece: Node,
    contents: &Range<usize>,
    known: &[Range<usize>],
    source: &str,
) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let text = node_text(piece, source);
    for (offset, _) in text.match_indices('$') {
        let start = piece.start_byte() + offset;
        let limit = known
            .iter()
            .map(|hole| hole.start)
            .filter(|&s| s > start)
            .min()
            .unwrap_or(contents.end)
            .min(contents.end);
        let rest = source.get(start + 1..limit).unwrap_or_default();
        let mut chars = rest.char_indices();
        if !chars
            .next()
            .is_some_and(|(_, c)| c.is_alphabetic() || c == '_')
        {
            continue;
        }
        let len = rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(rest.len(), |(i, _)| i);
        found.push(start..start + 1 + len);
    }
    found
}

/// The map that holds `literal` as a key: the arguments of the call when `literal` is the
/// left side of a `to` pair passed to it, the pair itself when it stands alone.
fn pair_map<'t>(literal: Node<'t>, ancestors: &[Node<'t>], source: &str) -> Option<Node<'t>> {
    let (pair, above) = parent(ancestors)?;
    if pair.kind() != "infix_expression" || pair.named_child(0) != Some(literal) {
        return None;
    }
    let operator = pair.named_child(1)?;
    if operator.kind() != "identifier" || node_text(operator, source) != "to" {
        return None;
    }
    let arguments = parent(above).and_then(|(argument, rest)| {
        let list = parent(rest)?.0;
        (argument.kind() == "value_argument" && list.kind() == "value_arguments").then_some(list)
    });
    Some(arguments.unwrap_or(pair))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{ODD_INPUTS, keys, spans};
    use super::*;
    use crate::extract::SpanContext::{Code, Comment, Docstring};
    use crate::extract::test_support::{assert_in_bounds, assert_inside_holes_of_first};

    #[test]
    fn strings_raw_strings_and_comments() {
        let source = "/** KDoc anthropic.claude-v2 */\n// line\n/* block /* nested */ */\n\
                      val a = \"anthropic.claude-v2\"\nval c = \"\"\"raw\n  us.anthropic.x\"\"\"\n\
                      val d = 'c'\nval e = \"\"\nval q = \"\"\"say \"hi\"\"\"\"\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                ("/** KDoc anthropic.claude-v2 */", Docstring, vec![]),
                ("// line", Comment, vec![]),
                ("/* block /* nested */ */", Comment, vec![]),
                ("anthropic.claude-v2", Code, vec![]),
                ("raw\n  us.anthropic.x", Code, vec![]),
                ("", Code, vec![]),
                ("say \"hi\"", Code, vec![]),
            ]
        );
    }

    #[test]
    fn templates_are_holes() {
        let source = "val b = \"${geo}.anthropic.claude-v2 $name x\\$y $1 $ z$é\"\n\
                      val c = \"\"\"raw ${x} $y.z\"\"\"\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                (
                    "${geo}.anthropic.claude-v2 $name x\\$y $1 $ z$é",
                    Code,
                    vec!["${geo}", "$name", "$é"]
                ),
                ("raw ${x} $y.z", Code, vec!["${x}", "$y"]),
            ]
        );
    }

    #[test]
    fn strings_nested_in_templates_are_spans_too() {
        let source = "val f = \"a${m(\"anthropic.claude-v2\")}b\"\n";
        let extraction = extract(source);
        assert_eq!(
            spans(source, &extraction),
            [
                (
                    "a${m(\"anthropic.claude-v2\")}b",
                    Code,
                    vec!["${m(\"anthropic.claude-v2\")}"]
                ),
                ("anthropic.claude-v2", Code, vec![]),
            ]
        );
        assert_inside_holes_of_first(&extraction);
    }

    #[test]
    fn to_pairs_are_keys() {
        let source = "val m = mapOf(\"a\" to 1.0, \"b\" to \"c\")\nval p = \"k\" to 3\n\
                      val l = listOf(\"x\")\n";
        assert_eq!(
            keys(source, &extract(source)),
            [
                ("a", "(\"a\" to 1.0, \"b\" to \"c\")".to_string()),
                ("b", "(\"a\" to 1.0, \"b\" to \"c\")".to_string()),
                ("k", "\"k\" to 3".to_string()),
            ]
        );
    }

    #[test]
    fn format_strings_are_templates() {
        let source = "val a = \"%s.anthropic.claude-v2\".format(g)\nval b = String.format(\"%s.x\", g)\n\
                      val c = \"%s.y\".trim()\nval d = \"${g}.%s\".format(h)\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                ("%s.anthropic.claude-v2", Code, vec!["%s"]),
                ("%s.x", Code, vec!["%s"]),
                ("%s.y", Code, vec![]),
                ("${g}.%s", Code, vec!["${g}", "%s"]),
            ]
        );
    }

    #[test]
    fn syntax_errors_are_reported() {
        let source = "val a = \"anthropic.claude-v2\"\nfun f( {\n";
        assert!(extract(source).syntax_error.is_some());
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in ODD_INPUTS {
            assert_in_bounds(input, &extract(input));
        }
    }
}
