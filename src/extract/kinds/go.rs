//! Go (`.go`), read with tree-sitter-go.
//!
//! - Interpreted `"…"` and raw `` `…` `` string literals. Go has no interpolation, but the
//!   format string of `fmt.Sprintf` and the other printf-style functions is a template: its
//!   verbs (`%s`, `%[1]v`) are holes. Rune literals are not strings.
//! - Comments. Go's doc comments are ordinary `//` comments before a declaration, and are
//!   `SpanContext::Comment`s like the others (both are review).
//! - Keys: a string key of a composite literal (`map[string]float64{"k": 1}`), of that
//!   literal: Go rejects a map literal with two equal constant keys.

use std::cell::RefCell;

use tree_sitter::{Node, Parser};

use super::templates::{self, Syntax};
use super::{NO_DOC_COMMENTS, Quotes, Table, comment, keyed, parent, quoted};
use crate::extract::{Extraction, Focus, Span};

thread_local! {
    /// This thread's Go parser, created on first use (see [`crate::extract::python`] for
    /// why parsers are per thread).
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// How Go is read.
pub(crate) static TABLE: Table = Table {
    name: "Go",
    slot: &PARSER,
    grammar: || tree_sitter_go::LANGUAGE.into(),
    kinds: &[
        "interpreted_string_literal",
        "raw_string_literal",
        "comment",
    ],
    span,
};

/// The children of a string literal.
const QUOTES: Quotes = Quotes {
    delimiters: &["\"", "`"],
    text: &[
        "interpreted_string_literal_content",
        "raw_string_literal_content",
        "escape_sequence",
    ],
    suffixes: &[],
};

/// Extract the string-literal and comment spans of a Go file (see the module docs).
pub fn extract(source: &str) -> Extraction {
    extract_focused(source, Focus::Everything)
}

/// Like [`extract`], leaving out spans that `focus` rules out (see [`Focus`]).
pub fn extract_focused(source: &str, focus: Focus) -> Extraction {
    super::extract_focused(&TABLE, source, focus)
}

/// The span of a string literal or comment.
fn span(node: Node, ancestors: &[Node], source: &str) -> Option<Span> {
    if node.kind() == "comment" {
        return Some(comment(node, source, NO_DOC_COMMENTS));
    }
    let mut span = quoted(node, &QUOTES);
    let call = templates::called_with(node, ancestors, &["argument_list"], &[], source);
    if call.is_some_and(|name| PRINTF.contains(&name)) {
        templates::add_holes(&mut span, Syntax::Printf, source);
    }
    Some(keyed(span, composite_literal(node, ancestors)))
}

/// The functions whose first string argument is a printf template (`fmt.Sprintf`,
/// `log.Printf`, `t.Errorf` …).
const PRINTF: &[&str] = &[
    "Sprintf", "Printf", "Fprintf", "Errorf", "Appendf", "Fatalf", "Panicf", "Logf", "Skipf",
];

/// The composite literal's body (`{…}`) that holds `literal` as the key of a keyed
/// element (`"k": v`).
fn composite_literal<'t>(literal: Node<'t>, ancestors: &[Node<'t>]) -> Option<Node<'t>> {
    let (element, above) = parent(ancestors)?;
    let (keyed_element, above) = parent(above)?;
    let body = parent(above)?.0;
    (element.kind() == "literal_element"
        && element.named_child(0) == Some(literal)
        && keyed_element.kind() == "keyed_element"
        && keyed_element.child_by_field_name("key") == Some(element)
        && body.kind() == "literal_value")
        .then_some(body)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{ODD_INPUTS, keys, spans};
    use super::*;
    use crate::extract::SpanContext::{Code, Comment};
    use crate::extract::test_support::assert_in_bounds;

    #[test]
    fn strings_raw_strings_runes_and_comments() {
        let source = "// Package x uses anthropic.claude-v2.\npackage x\n\n/* block */\n\
                      var a = \"anthropic.claude-v2\\n\"\nvar b = `raw\nus.anthropic.x`\n\
                      var r = 'x'\nvar e = \"\"\nvar f = ``\nvar s = fmt.Sprintf(\"%s.anthropic\", g)\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                ("// Package x uses anthropic.claude-v2.", Comment, vec![]),
                ("/* block */", Comment, vec![]),
                ("anthropic.claude-v2\\n", Code, vec![]),
                ("raw\nus.anthropic.x", Code, vec![]),
                ("", Code, vec![]),
                ("", Code, vec![]),
                ("%s.anthropic", Code, vec!["%s"]),
            ]
        );
    }

    #[test]
    fn map_literal_keys() {
        let source = "package x\nvar m = map[string]float64{\"a\": 1, `b`: 2}\n\
                      var s = T{Name: \"v\"}\nvar l = []string{\"x\"}\n\
                      var n = map[string]T{\"k\": {\"in\": 1}}\n";
        assert_eq!(
            keys(source, &extract(source)),
            [
                ("a", "{\"a\": 1, `b`: 2}".to_string()),
                ("b", "{\"a\": 1, `b`: 2}".to_string()),
                ("k", "{\"k\": {\"in\": 1}}".to_string()),
                ("in", "{\"in\": 1}".to_string()),
            ]
        );
    }

    #[test]
    fn printf_format_strings_are_templates() {
        let source = "package x\nvar a = fmt.Sprintf(\"%s.anthropic.claude-v2 %[1]v\", g)\n\
                      var b = fmt.Fprintf(w, `%s.x`, g)\nvar c = f(\"%s.y\")\n\
                      var d = fmt.Sprintf(p, \"%s.z\")\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                ("%s.anthropic.claude-v2 %[1]v", Code, vec!["%s", "%[1]v"]),
                ("%s.x", Code, vec!["%s"]),
                ("%s.y", Code, vec![]),
                ("%s.z", Code, vec!["%s"]),
            ]
        );
    }

    #[test]
    fn syntax_errors_are_reported() {
        let source = "package x\nvar a = \"anthropic.claude-v2\"\nfunc f( {\n";
        assert!(extract(source).syntax_error.is_some());
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in ODD_INPUTS {
            assert_in_bounds(input, &extract(input));
        }
    }
}
