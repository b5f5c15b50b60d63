//! C# (`.cs`), read with tree-sitter-c-sharp.
//!
//! - Regular `"…"` (also with a `u8` suffix), verbatim `@"…"` and raw `"""…"""` string
//!   literals; interpolated strings `$"…"`, `$@"…"`, `@$"…"` and `$$"""…"""`, whose
//!   `{…}` interpolations are holes (`{{` is text). The format string of `string.Format(…)`
//!   and `AppendFormat(…)` is a template: its items (`{0}`, `{1,-5:F2}`) are holes.
//!   Character literals are not strings.
//! - Comments; `/// …` XML documentation and `/** … */` are `SpanContext::Docstring`s.
//! - Keys: the key of a collection-initializer entry `{ "k", v }` and of an index
//!   initializer `["k"] = v`, of the initializer that holds them (`new Dictionary<string,
//!   double> { { "a", 1.0 }, ["b"] = 2.0 }`).

use std::cell::RefCell;

use tree_sitter::{Node, Parser};

use super::templates::{self, Syntax};
use super::{
    DocComments, Quotes, Table, argument_index, code_span, comment, keyed, parent, quoted,
};
use crate::extract::treesitter::node_text;
use crate::extract::{Extraction, Focus, Span};

thread_local! {
    /// This thread's C# parser, created on first use (see [`crate::extract::python`] for
    /// why parsers are per thread).
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// How C# is read.
pub(crate) static TABLE: Table = Table {
    name: "C#",
    slot: &PARSER,
    grammar: || tree_sitter_c_sharp::LANGUAGE.into(),
    kinds: &[
        "string_literal",
        "verbatim_string_literal",
        "raw_string_literal",
        "interpolated_string_expression",
        "comment",
    ],
    span,
};

/// The children of a regular, raw or interpolated string.
const QUOTES: Quotes = Quotes {
    delimiters: &[
        "\"",
        "interpolation_start",
        "interpolation_quote",
        "raw_string_start",
        "raw_string_end",
    ],
    text: &[
        "string_literal_content",
        "string_content",
        "raw_string_content",
        "escape_sequence",
    ],
    suffixes: &["string_literal_encoding"],
};

/// `/// …` and `/** … */`.
const DOC: DocComments = DocComments {
    block: true,
    triple_slash: true,
};

/// Extract the string-literal and comment spans of a C# file (see the module docs).
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
        "comment" => return Some(comment(node, source, DOC)),
        // One token: `@"`, the text (`""` is a quote), `"`, maybe `u8`.
        "verbatim_string_literal" => {
            let text = node_text(node, source);
            let close = text.rfind('"').filter(|&i| i >= 2).unwrap_or(text.len());
            let start = node.start_byte();
            code_span(node, start + 2..start + close)
        }
        _ => quoted(node, &QUOTES),
    };
    let mut span = span;
    if node.kind() != "interpolated_string_expression" {
        let called =
            templates::called_with(node, ancestors, &["argument_list"], &["argument"], source);
        if matches!(called, Some("Format" | "AppendFormat")) {
            templates::add_holes(&mut span, Syntax::Composite, source);
        }
    }
    Some(keyed(span, initializer(node, ancestors)))
}

/// The initializer that holds `literal` as a key: the outer initializer of an entry
/// `{ "k", v }` whose first element it is, or the initializer of an index initializer
/// `["k"] = v`.
fn initializer<'t>(literal: Node<'t>, ancestors: &[Node<'t>]) -> Option<Node<'t>> {
    let (up, above) = parent(ancestors)?;
    match up.kind() {
        "initializer_expression" => {
            let outer = parent(above)?.0;
            (outer.kind() == "initializer_expression" && argument_index(up, literal) == Some(0))
                .then_some(outer)
        }
        "argument" => {
            let (binding, above) = parent(above)?;
            let (assignment, above) = parent(above)?;
            let holder = parent(above)?.0;
            (binding.kind() == "element_binding_expression"
                && assignment.kind() == "assignment_expression"
                && assignment.child_by_field_name("left") == Some(binding)
                && holder.kind() == "initializer_expression")
                .then_some(holder)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{ODD_INPUTS, keys, spans};
    use super::*;
    use crate::extract::SpanContext::{Code, Comment, Docstring};
    use crate::extract::test_support::{assert_in_bounds, assert_inside_holes_of_first};

    #[test]
    fn every_string_form() {
        let source = "class A {\n  string a = \"anthropic.claude-v2\";\n  \
                      string b = @\"C:\\x \"\"q\"\" anthropic.claude-v2\";\n  \
                      string e = \"\"\"\n    raw \"anthropic.claude-v2\"\n    \"\"\";\n  \
                      char ch = 'c';\n  var u = \"x\"u8;\n  var v = @\"y\"u8;\n  var w = \"\"\"z\"\"\"u8;\n  \
                      string g = \"\";\n}\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                ("anthropic.claude-v2", Code, vec![]),
                ("C:\\x \"\"q\"\" anthropic.claude-v2", Code, vec![]),
                ("\n    raw \"anthropic.claude-v2\"\n    ", Code, vec![]),
                ("x", Code, vec![]),
                ("y", Code, vec![]),
                ("z", Code, vec![]),
                ("", Code, vec![]),
            ]
        );
    }

    #[test]
    fn interpolations_are_holes() {
        let source = "var c = $\"{geo}.anthropic.claude-v2 {{x}} {n,5:F2}\";\n\
                      var d = $@\"{g}\\x\";\nvar e = @$\"a{b}\";\n\
                      var f = $$\"\"\"{{g}}.anthropic {x}\"\"\";\n\
                      var h = $\"\"\"\n  a{x}b\n  \"\"\";\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                (
                    "{geo}.anthropic.claude-v2 {{x}} {n,5:F2}",
                    Code,
                    vec!["{geo}", "{n,5:F2}"]
                ),
                ("{g}\\x", Code, vec!["{g}"]),
                ("a{b}", Code, vec!["{b}"]),
                ("{{g}}.anthropic {x}", Code, vec!["{{g}}"]),
                ("\n  a{x}b\n  ", Code, vec!["{x}"]),
            ]
        );
    }

    #[test]
    fn strings_nested_in_interpolations_are_spans_too() {
        let source = "var h = $\"a{M(\"anthropic.claude-v2\")}b\";\n";
        let extraction = extract(source);
        assert_eq!(
            spans(source, &extraction),
            [
                (
                    "a{M(\"anthropic.claude-v2\")}b",
                    Code,
                    vec!["{M(\"anthropic.claude-v2\")}"]
                ),
                ("anthropic.claude-v2", Code, vec![]),
            ]
        );
        assert_inside_holes_of_first(&extraction);
    }

    #[test]
    fn comments_and_doc_comments() {
        let source = "/// <summary>Doc anthropic.claude-v2</summary>\n// line\n/* block */\n\
                      /** doc */\n//// not doc\nclass A {}\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                (
                    "/// <summary>Doc anthropic.claude-v2</summary>",
                    Docstring,
                    vec![]
                ),
                ("// line", Comment, vec![]),
                ("/* block */", Comment, vec![]),
                ("/** doc */", Docstring, vec![]),
                ("//// not doc", Comment, vec![]),
            ]
        );
    }

    #[test]
    fn dictionary_initializer_keys() {
        let source = "var d = new Dictionary<string, object> { { \"a\", \"v\" }, [\"b\"] = 2.0 };\n\
                      var l = new List<string> { \"x\" };\nvar e = M(\"y\");\n";
        let whole = "{ { \"a\", \"v\" }, [\"b\"] = 2.0 }".to_string();
        assert_eq!(
            keys(source, &extract(source)),
            [("a", whole.clone()), ("b", whole)]
        );
    }

    #[test]
    fn composite_format_strings_are_templates() {
        let source = "var a = string.Format(\"{0}.anthropic.claude-v2 {{x}}\", g);\n\
                      var b = String.Format(@\"{0,-5}.x\", g);\nsb.AppendFormat(\"{1}.y\", g);\n\
                      var c = Console.WriteLine(\"{0}.z\", g);\nvar d = string.Format($\"{g}.{{0}}\", h);\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                ("{0}.anthropic.claude-v2 {{x}}", Code, vec!["{0}"]),
                ("{0,-5}.x", Code, vec!["{0,-5}"]),
                ("{1}.y", Code, vec!["{1}"]),
                ("{0}.z", Code, vec![]),
                ("{g}.{{0}}", Code, vec!["{g}"]),
            ]
        );
    }

    #[test]
    fn syntax_errors_are_reported() {
        let source = "class A { string a = \"anthropic.claude-v2\"; void F( { } }\n";
        assert!(extract(source).syntax_error.is_some());
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in ODD_INPUTS {
            assert_in_bounds(input, &extract(input));
        }
    }
}
