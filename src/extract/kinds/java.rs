//! Java (`.java`), read with tree-sitter-java.
//!
//! - String literals `"…"` and text blocks `"""…"""` (the contents start right after the
//!   opening `"""`, its line break included); the `\{…}` embedded expressions of string
//!   templates (`STR."…\{x}…"`) are holes. Character literals are not strings.
//! - The format string of `String.format(…)`, `printf(…)` and `"…".formatted(…)` is a
//!   template: its conversions (`%s`, `%1$s`) are holes.
//! - Comments; a `/** … */` Javadoc comment is a `SpanContext::Docstring`.
//! - Keys: the keys of `Map.of(k1, v1, k2, v2, …)` (a table of models whose rewrite to a
//!   key already present throws at run time) and the key of each `Map.entry(k, v)` /
//!   `entry(k, v)` written in a `Map.ofEntries(…)`, all keys of that one map.

use std::cell::RefCell;

use tree_sitter::{Node, Parser};

use super::templates::{self, Syntax};
use super::{DocComments, Quotes, Table, argument_index, comment, keyed, parent, quoted};
use crate::extract::treesitter::node_text;
use crate::extract::{Extraction, Focus, Span};

thread_local! {
    /// This thread's Java parser, created on first use (see [`crate::extract::python`] for
    /// why parsers are per thread).
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// How Java is read.
pub(crate) static TABLE: Table = Table {
    name: "Java",
    slot: &PARSER,
    grammar: || tree_sitter_java::LANGUAGE.into(),
    kinds: &["string_literal", "line_comment", "block_comment"],
    span,
};

/// The children of a string literal.
const QUOTES: Quotes = Quotes {
    delimiters: &["\"", "\"\"\""],
    text: &[
        "string_fragment",
        "multiline_string_fragment",
        "escape_sequence",
    ],
    suffixes: &[],
};

/// Javadoc: `/** … */`.
const DOC: DocComments = DocComments {
    block: true,
    triple_slash: false,
};

/// Extract the string-literal and comment spans of a Java file (see the module docs).
pub fn extract(source: &str) -> Extraction {
    extract_focused(source, Focus::Everything)
}

/// Like [`extract`], leaving out spans that `focus` rules out (see [`Focus`]).
pub fn extract_focused(source: &str, focus: Focus) -> Extraction {
    super::extract_focused(&TABLE, source, focus)
}

/// The span of a string literal or comment.
fn span(node: Node, ancestors: &[Node], source: &str) -> Option<Span> {
    Some(match node.kind() {
        "string_literal" => {
            let mut span = quoted(node, &QUOTES);
            if is_format_string(node, ancestors, source) {
                templates::add_holes(&mut span, Syntax::Printf, source);
            }
            keyed(span, map_of(node, ancestors, source))
        }
        _ => comment(node, source, DOC),
    })
}

/// Whether `literal` is a format string: the first string argument of `format` or `printf`
/// (`String.format`, `System.out.printf`), or the receiver of `formatted`.
fn is_format_string(literal: Node, ancestors: &[Node], source: &str) -> bool {
    let called = templates::called_with(literal, ancestors, &["argument_list"], &[], source);
    if matches!(called, Some("format" | "printf")) {
        return true;
    }
    parent(ancestors).is_some_and(|(call, _)| {
        call.kind() == "method_invocation"
            && call.child_by_field_name("object") == Some(literal)
            && call
                .child_by_field_name("name")
                .is_some_and(|name| node_text(name, source) == "formatted")
    })
}

/// The map that holds `literal` as a key: the arguments of `Map.of` when it is the first,
/// third, fifth … of them; the arguments of `Map.ofEntries` when it is the first argument
/// of an `entry` call written there (the entry call itself when it stands alone).
fn map_of<'t>(literal: Node<'t>, ancestors: &[Node<'t>], source: &str) -> Option<Node<'t>> {
    let (arguments, above) = parent(ancestors)?;
    let (call, above_call) = parent(above)?;
    if arguments.kind() != "argument_list" || call.kind() != "method_invocation" {
        return None;
    }
    let index = argument_index(arguments, literal)?;
    let method = call.child_by_field_name("name")?;
    let on_map = || {
        call.child_by_field_name("object")
            .is_some_and(|object| node_text(object, source).ends_with("Map"))
    };
    match node_text(method, source) {
        "of" if index % 2 == 0 && on_map() => Some(arguments),
        "entry" if index == 0 => {
            // `Map.ofEntries(Map.entry(k, v), …)`: every entry is a key of one map.
            let outer = parent(above_call).and_then(|(list, rest)| {
                let call = parent(rest)?.0;
                let named = call.child_by_field_name("name")?;
                (list.kind() == "argument_list"
                    && call.kind() == "method_invocation"
                    && node_text(named, source) == "ofEntries")
                    .then_some(list)
            });
            Some(outer.unwrap_or(arguments))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{ODD_INPUTS, keys, spans};
    use super::*;
    use crate::extract::SpanContext::{Code, Comment, Docstring};
    use crate::extract::test_support::assert_in_bounds;

    #[test]
    fn strings_text_blocks_and_comments() {
        let source = "/** Uses anthropic.claude-v2. */\nclass A {\n  // line\n  /* block */ /**/\n  \
                      String a = \"anthropic.claude-v2\";\n  String b = \"\"\"\n    us.anthropic.x\n    \\\"\"\"\";\n  \
                      char c = 'x';\n  String e = \"\";\n  String u = \"a\\nb\\u0041\";\n}\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                ("/** Uses anthropic.claude-v2. */", Docstring, vec![]),
                ("// line", Comment, vec![]),
                ("/* block */", Comment, vec![]),
                ("/**/", Comment, vec![]),
                ("anthropic.claude-v2", Code, vec![]),
                ("\n    us.anthropic.x\n    \\\"", Code, vec![]),
                ("", Code, vec![]),
                ("a\\nb\\u0041", Code, vec![]),
            ]
        );
    }

    #[test]
    fn string_template_expressions_are_holes() {
        let source = "class B { String t = STR.\"\\{geo}.anthropic.claude-v2 \\{f(\"x\")}\"; }\n";
        let extraction = extract(source);
        assert_eq!(
            spans(source, &extraction),
            [
                (
                    "\\{geo}.anthropic.claude-v2 \\{f(\"x\")}",
                    Code,
                    vec!["\\{geo}", "\\{f(\"x\")}"]
                ),
                ("x", Code, vec![]),
            ]
        );
        crate::extract::test_support::assert_inside_holes_of_first(&extraction);
    }

    #[test]
    fn map_of_and_entries_keys() {
        let source = "class M {\n  Map<String, Double> m = Map.of(\"a\", 1.0, \"b\", \"c\");\n  \
                      Map<String, Double> n = Map.ofEntries(Map.entry(\"k\", \"v\"), entry(\"l\", 2.0));\n  \
                      Object o = List.of(\"x\", \"y\");\n  Object p = Map.entry(\"e\", 1);\n}\n";
        let extraction = extract(source);
        assert_eq!(
            keys(source, &extraction),
            [
                ("a", "(\"a\", 1.0, \"b\", \"c\")".to_string()),
                ("b", "(\"a\", 1.0, \"b\", \"c\")".to_string()),
                (
                    "k",
                    "(Map.entry(\"k\", \"v\"), entry(\"l\", 2.0))".to_string()
                ),
                (
                    "l",
                    "(Map.entry(\"k\", \"v\"), entry(\"l\", 2.0))".to_string()
                ),
                ("e", "(\"e\", 1)".to_string()),
            ]
        );
    }

    #[test]
    fn format_strings_are_templates() {
        let source = "class F {\n  String a = String.format(\"%s.anthropic.claude-v2\", g);\n  \
                      String b = \"%1$s.x\".formatted(g);\n  String c = String.format(Locale.US, \"%s.y\", g);\n  \
                      String d = String.valueOf(\"%s.z\");\n}\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                ("%s.anthropic.claude-v2", Code, vec!["%s"]),
                ("%1$s.x", Code, vec!["%1$s"]),
                ("%s.y", Code, vec!["%s"]),
                ("%s.z", Code, vec![]),
            ]
        );
    }

    #[test]
    fn syntax_errors_are_reported_with_the_spans_found() {
        let source = "class A { String a = \"anthropic.claude-v2\"; void f( { }\n";
        let extraction = extract(source);
        assert!(extraction.syntax_error.is_some());
        assert!(crate::extract::test_support::has_span(
            source,
            &extraction,
            "anthropic.claude-v2"
        ));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in ODD_INPUTS {
            assert_in_bounds(input, &extract(input));
        }
    }
}
