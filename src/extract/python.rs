//! Python extractor, built on tree-sitter-python.
//!
//! Returns one [`Span`] per string literal (the contents between the quotes, with the
//! prefix and the quotes left out), one per comment, and marks a string that is the
//! first statement of a module, class or function as a [`SpanContext::Docstring`].
//!
//! Spans are sorted by `range.start`. An f-string's `{…}` interpolations are its
//! `holes`; a string written inside such a hole (`f"{d['key']}"`) gets a span of its
//! own, which therefore lies inside that hole of the outer span. That is the only way
//! two spans overlap. A plain string that is a template filled in at run time has holes
//! too: the receiver of `.format(…)` (`"{}.anthropic.…".format(geo)`) its `{…}` fields,
//! the left operand of `%` (`"%s.anthropic.…" % geo`) its `%s`/`%(name)s` conversions.

use std::cell::RefCell;
use std::ops::Range;

use tree_sitter::{Language, Node, Parser};

use super::treesitter::{
    KindSet, comment_span, failed, finish, for_each_node_with_ancestors, key_of, named_children,
    node_text, parse,
};
use super::{Extraction, Focus, PrintfSyntax, Span, SpanContext, marked_holes, printf_holes};

thread_local! {
    /// This thread's Python parser, created on first use.
    ///
    /// A `Parser` owns sizeable internal buffers and has to be bound to a grammar
    /// before use; building one per file would redo that work for every file. Parsing
    /// needs `&mut Parser`, so one parser shared by the threads that read files in
    /// parallel would sit behind a lock they all queue on. One parser per thread gives
    /// reuse without any locking.
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Extract the string-literal and comment spans of a Python file.
///
/// Spans are sorted by start; a span nested in another's hole (a string inside an
/// f-string interpolation) lies inside that hole. Never panics: a file that does not
/// parse cleanly still yields every span tree-sitter recovered, with `syntax_error` set.
pub fn extract(source: &str) -> Extraction {
    extract_focused(source, Focus::Everything)
}

/// Like [`extract`], leaving out spans that `focus` rules out (see [`Focus`]).
pub fn extract_focused(source: &str, focus: Focus) -> Extraction {
    document(source, focus).0
}

/// [`extract_focused`], and the syntax tree it read (for the call-site analyser), if
/// `source` could be parsed at all.
pub(crate) fn document(source: &str, focus: Focus) -> (Extraction, Option<tree_sitter::Tree>) {
    match parse(&PARSER, grammar, "Python", source) {
        Ok(tree) => (extract_tree(source, &tree, focus), Some(tree)),
        Err(error) => (failed(source, error), None),
    }
}

/// The spans of `source`, read from its syntax tree `tree`.
fn extract_tree(source: &str, tree: &tree_sitter::Tree, focus: Focus) -> Extraction {
    let root = tree.root_node();
    let mut spans = Vec::new();
    // Most nodes are neither; numeric ids rule them out without reading their kind names.
    let language = root.language();
    let kinds = ["string", "comment"];
    let named = KindSet::new(&language, &kinds, true);
    let anonymous = KindSet::new(&language, &kinds, false);
    for_each_node_with_ancestors(root, focus, |node, ancestors| {
        if !named.contains(node) && !anonymous.contains(node) {
            return;
        }
        match node.kind() {
            "string" => spans.push(string_span(node, ancestors, source)),
            "comment" => spans.push(comment_span(node, SpanContext::Comment, source)),
            _ => {}
        }
    });
    finish(spans, root, source)
}

/// Parse `source` with this thread's Python parser (shared with [`extract`]); the call-site
/// analyser ([`crate::callsite::python`]) reads the same tree.
pub(crate) fn parse_tree(source: &str) -> Result<tree_sitter::Tree, super::SyntaxError> {
    parse(&PARSER, grammar, "Python", source)
}

/// The Python grammar.
fn grammar() -> Language {
    tree_sitter_python::LANGUAGE.into()
}

/// The contents of one `string` node: the bytes between `string_start` (prefix and opening
/// quotes) and `string_end` — the `range` of its [`Span`].
pub(crate) fn string_range(string: Node) -> Range<usize> {
    string_parts(string).0
}

/// The span of one `string` node whose ancestors (root first, parent last) are
/// `ancestors`: its [`string_range`], with each `interpolation` as a hole (or, for a plain
/// string used as a `.format` or `%` template, each field or conversion).
fn string_span(string: Node, ancestors: &[Node], source: &str) -> Span {
    let (range, mut holes) = string_parts(string);
    if holes.is_empty()
        && let Some(template) = template_of(string, ancestors, source)
    {
        let text = source.get(range.clone()).unwrap_or_default();
        holes = match template {
            Template::Format => format_fields(text),
            Template::Percent => printf_holes(text, &PERCENT),
        }
        .into_iter()
        .map(|hole| hole.start + range.start..hole.end + range.start)
        .collect();
    }
    let context = if is_docstring(string, ancestors, source) {
        SpanContext::Docstring
    } else {
        SpanContext::Code
    };
    Span {
        range,
        context,
        holes,
        key: match ancestors {
            [.., grandparent, parent] => key_of(string, Some(*parent), Some(*grandparent)),
            [parent] => key_of(string, Some(*parent), None),
            [] => None,
        },
        key_name: None,
    }
}

/// How a plain string literal is used as a template, filled in at run time.
enum Template {
    /// The receiver of `.format(…)` or `.format_map(…)`: `{…}` fields are holes.
    Format,
    /// The left operand of `%`: `%s`, `%(name)s` and the other conversions are holes.
    Percent,
}

/// Whether `string` (with `ancestors`, root first and parent last) is a template: the
/// receiver of a `.format` call or the left operand of `%`, possibly as a piece of an
/// implicit concatenation or in parentheses.
fn template_of(string: Node, ancestors: &[Node], source: &str) -> Option<Template> {
    let mut operand = string;
    let mut above = ancestors;
    while let Some((&parent, rest)) = above.split_last() {
        if !matches!(
            parent.kind(),
            "concatenated_string" | "parenthesized_expression"
        ) {
            break;
        }
        operand = parent;
        above = rest;
    }
    let (&parent, rest) = above.split_last()?;
    match parent.kind() {
        "attribute" if parent.child_by_field_name("object") == Some(operand) => {
            let method = parent.child_by_field_name("attribute")?;
            let called = rest.last().is_some_and(|call| {
                call.kind() == "call" && call.child_by_field_name("function") == Some(parent)
            });
            (called && matches!(node_text(method, source), "format" | "format_map"))
                .then_some(Template::Format)
        }
        "binary_operator"
            if parent.child_by_field_name("left") == Some(operand)
                && parent
                    .child_by_field_name("operator")
                    .is_some_and(|op| op.kind() == "%") =>
        {
            Some(Template::Percent)
        }
        _ => None,
    }
}

/// Ranges (relative to `text`) of the replacement fields of a `str.format` template: `{`, a
/// field name with an optional `!conversion` and `:spec` (which may hold nested fields), `}`.
/// `{{` and `}}` are escaped braces; a `{` without its `}` on the same line is text.
fn format_fields(text: &str) -> Vec<Range<usize>> {
    marked_holes(text, b'{', |bytes, i| {
        let mut depth = 0usize;
        let close = bytes[i..].iter().position(|&b| {
            match b {
                b'{' => depth += 1,
                b'}' => depth -= 1,
                _ => {}
            }
            depth == 0 || matches!(b, b'\n' | b'\r')
        });
        close
            .filter(|&len| bytes[i + len] == b'}')
            .map(|len| len + 1)
    })
}

/// Python's `%` templates: `%`, an optional `(name)`, flags, width, precision, length
/// modifier and the conversion type (`%s`, `%(geo)s`, `%-10.3f`).
const PERCENT: PrintfSyntax = PrintfSyntax {
    names: &[(b'(', b')', false)],
    names_cross_lines: true,
    positions: false,
    flags: b"#0- +",
    lengths: b"hlL",
    conversions: b"diouxXeEfFgGcrsab",
};

/// The contents of a `string` node and its interpolations.
fn string_parts(string: Node) -> (Range<usize>, Vec<Range<usize>>) {
    let mut range = string.byte_range();
    let mut holes = Vec::new();
    for child in string.children(&mut string.walk()) {
        match child.kind() {
            "string_start" => range.start = child.end_byte(),
            "string_end" => range.end = child.start_byte(),
            "interpolation" => holes.push(child.byte_range()),
            _ => {}
        }
    }
    range.end = range.end.max(range.start);
    (range, holes)
}

/// Whether `string` is (a piece of) the docstring of a module, class or function: the
/// only expression of the first statement of the body, with no `f`/`b`/`t` prefix on
/// any piece (Python does not treat f-strings or bytes as docstrings).
/// `ancestors` are the string's, root first and parent last.
fn is_docstring(string: Node, ancestors: &[Node], source: &str) -> bool {
    let Some((&parent, above_parent)) = ancestors.split_last() else {
        return false;
    };
    // The pieces of the expression that may form a statement, and that expression's
    // ancestors.
    let (pieces, above) = if parent.kind() == "concatenated_string" {
        (named_children(parent), above_parent)
    } else {
        (vec![string], ancestors)
    };
    pieces
        .iter()
        .all(|piece| has_docstring_prefix(*piece, source))
        && above
            .split_last()
            .is_some_and(|(&statement, above_statement)| {
                statement.kind() == "expression_statement"
                    && named_children(statement).len() == 1
                    && is_first_statement_of_body(statement, above_statement)
            })
}

/// Whether the string's prefix (the letters before its quotes) allows a docstring.
fn has_docstring_prefix(string: Node, source: &str) -> bool {
    let Some(start) = string.child(0).filter(|c| c.kind() == "string_start") else {
        return false;
    };
    node_text(start, source)
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .all(|c| matches!(c, 'r' | 'R' | 'u' | 'U'))
}

/// Whether `statement` is the first statement of a module or of a class or function body.
/// `ancestors` are the statement's, root first and parent last.
fn is_first_statement_of_body(statement: Node, ancestors: &[Node]) -> bool {
    let Some((&body, above_body)) = ancestors.split_last() else {
        return false;
    };
    let is_body = match body.kind() {
        "module" => true,
        "block" => above_body.last().is_some_and(|owner| {
            matches!(owner.kind(), "class_definition" | "function_definition")
        }),
        _ => false,
    };
    // Only comments (extras) may stand before it. Walking back from the statement costs
    // as much as the comments before it, where listing the body's children cost a pass
    // over the whole module for every module-level string.
    let mut previous = statement.prev_named_sibling();
    while let Some(node) = previous.filter(|n| n.is_extra()) {
        previous = node.prev_named_sibling();
    }
    is_body && previous.is_none()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{self, assert_in_bounds, assert_large, has_span};
    use super::super::treesitter::parsers_created;
    use super::*;
    use SpanContext::{Code, Comment, Docstring};

    /// The text and context of every span, in order; the file must parse cleanly.
    fn spans(source: &str) -> Vec<(&str, SpanContext)> {
        test_support::contexts(source, &extract(source))
    }

    #[test]
    fn dict_keys_are_marked() {
        let source = "d = {'k': 'v', \"k2\": ['x'], **rest}\ns = {'a', 'b'}\n";
        let keys = test_support::key_flags(source, &extract(source));
        assert_eq!(
            keys,
            [
                ("k", true),
                ("v", false),
                ("k2", true),
                ("x", false),
                ("a", false),
                ("b", false)
            ]
        );
    }

    #[test]
    fn keys_name_the_dict_that_holds_them() {
        let source = "a = {'k': 1}\nb = {'k': {'k': 2}}\n";
        assert_eq!(
            test_support::keys(source, &extract(source)),
            [
                ("k", "{'k': 1}".to_string()),
                ("k", "{'k': {'k': 2}}".to_string()),
                ("k", "{'k': 2}".to_string()),
            ]
        );
    }

    /// The text of every span's holes, in order.
    fn holes(source: &str) -> Vec<Vec<&str>> {
        test_support::holes(source, &extract(source))
    }

    #[test]
    fn plain_strings() {
        let source = "a = 'anthropic.claude-v2'\nb = \"x\\\"y\"\nc = ''\n";
        assert_eq!(
            spans(source),
            [("anthropic.claude-v2", Code), ("x\\\"y", Code), ("", Code)]
        );
        let empty = &extract(source).spans[2];
        let quotes = source.find("''").unwrap();
        assert_eq!(empty.range, quotes + 1..quotes + 1);
    }

    #[test]
    fn prefixed_strings_exclude_the_prefix() {
        let source = "x = [r'\\d+', b'id', rb\"a\", Rb'b', BR'c', u'd', U\"e\"]";
        assert_eq!(
            spans(source),
            [
                ("\\d+", Code),
                ("id", Code),
                ("a", Code),
                ("b", Code),
                ("c", Code),
                ("d", Code),
                ("e", Code),
            ]
        );
    }

    #[test]
    fn triple_quoted_strings() {
        let source = "x = '''one\n'two'\n'''\ny = rb\"\"\"b\"\"\"\nz = f\"\"\"{a}\n\"\"\"\n";
        assert_eq!(
            spans(source),
            [("one\n'two'\n", Code), ("b", Code), ("{a}\n", Code)]
        );
        assert_eq!(holes(source), [vec![], vec![], vec!["{a}"]]);
    }

    #[test]
    fn f_string_interpolations_are_holes() {
        let source = "m = f\"anthropic.{family}-{ver!r:>{width}}-v1{{literal}}\"";
        assert_eq!(
            spans(source),
            [("anthropic.{family}-{ver!r:>{width}}-v1{{literal}}", Code)]
        );
        assert_eq!(holes(source), [vec!["{family}", "{ver!r:>{width}}"]]);
    }

    #[test]
    fn format_and_percent_templates_have_holes() {
        let source = "a = '{}.anthropic.x'.format(geo)\n\
                      b = \"{geo}.x {{lit}} {0[k]!r:>{w}}\".format_map(d)\n\
                      c = ('%s.' 'x %(geo)s %-5.2f %%s %') % geo\n\
                      d = '{}.x'.upper()\n\
                      e = '%s.x' + geo\n\
                      f = ''.format\n\
                      g = 1 % '%s'\n";
        assert_eq!(
            holes(source),
            [
                vec!["{}"],
                vec!["{geo}", "{0[k]!r:>{w}}"],
                vec!["%s"],
                vec!["%(geo)s", "%-5.2f"],
                vec![],
                vec![],
                vec![],
                vec![],
            ]
        );
        // An f-string keeps its interpolations only; `{` without `}` is text.
        assert_eq!(
            holes("a = f'{x}.{{y}}'.format(z)\nb = '{x'.format(y)\n"),
            [vec!["{x}"], vec![]]
        );
    }

    #[test]
    fn f_string_prefixes_and_debug_form() {
        let source = "a = rf'{x}\\d'\nb = F\"{y=}\"\nc = fR'''{z}'''";
        assert_eq!(
            spans(source),
            [("{x}\\d", Code), ("{y=}", Code), ("{z}", Code)]
        );
        assert_eq!(holes(source), [vec!["{x}"], vec!["{y=}"], vec!["{z}"]]);
    }

    #[test]
    fn strings_nested_in_holes_are_spans_too() {
        let source = "s = f\"{d['anthropic.claude-v2']}:{f'{m}'}\"";
        let extraction = extract(source);
        let texts = test_support::texts(source, &extraction);
        assert_eq!(
            texts,
            [
                "{d['anthropic.claude-v2']}:{f'{m}'}",
                "anthropic.claude-v2",
                "{m}"
            ]
        );
        test_support::assert_inside_holes_of_first(&extraction);
        assert_eq!(holes(source)[2], ["{m}"]);
    }

    #[test]
    fn same_quote_nesting_and_strings_in_format_specs() {
        // Python 3.12 allows the outer quote inside a hole.
        let source = "a = f\"{d[\"k\"]}\"\nb = f'{x:{\"<\"}9}'";
        assert_eq!(
            spans(source),
            [
                ("{d[\"k\"]}", Code),
                ("k", Code),
                ("{x:{\"<\"}9}", Code),
                ("<", Code)
            ]
        );
    }

    #[test]
    fn implicit_concatenation_gives_one_span_per_piece() {
        let source = "ID = ('anthropic.'\n      \"claude-3\" f'-{v}'  # why\n)";
        assert_eq!(
            spans(source),
            [
                ("anthropic.", Code),
                ("claude-3", Code),
                ("-{v}", Code),
                ("# why", Comment),
            ]
        );
        assert_eq!(holes(source)[2], ["{v}"]);
    }

    #[test]
    fn comments_are_whole_nodes() {
        let source = "# model: anthropic.claude-v2\nx = 1  # trailing\n#\n";
        assert_eq!(
            spans(source),
            [
                ("# model: anthropic.claude-v2", Comment),
                ("# trailing", Comment),
                ("#", Comment),
            ]
        );
    }

    #[test]
    fn docstrings_of_module_class_and_function() {
        let source = r#""""Module doc."""
import os
"not a docstring"

class A:
    'Class doc.'
    x = "value"

    async def m(self):
        # a comment first
        r"""Method doc."""
        return "result"

@decorator
def f(): "One-line doc."
"#;
        assert_eq!(
            spans(source),
            [
                ("Module doc.", Docstring),
                ("not a docstring", Code),
                ("Class doc.", Docstring),
                ("value", Code),
                ("# a comment first", Comment),
                ("Method doc.", Docstring),
                ("result", Code),
                ("One-line doc.", Docstring),
            ]
        );
    }

    #[test]
    fn docstring_pieces_of_a_concatenation() {
        let source = "def f():\n    'one' \"two\"\n";
        assert_eq!(spans(source), [("one", Docstring), ("two", Docstring)]);
    }

    #[test]
    fn strings_that_are_not_docstrings() {
        let source = "def f():\n    f'{x}'\ndef g():\n    b'raw'\ndef h():\n    'a', 'b'\n\
                      if x:\n    'in if'\ndef k():\n    'a' f'b'\n";
        let contexts: Vec<_> = spans(source).into_iter().map(|(_, c)| c).collect();
        assert_eq!(contexts, [Code; 7]);
    }

    #[test]
    fn crlf_source() {
        let source = "# c\r\nx = '''a\r\nb'''  # d\r\ny = f\"{z}\"\r\n";
        assert_eq!(
            spans(source),
            [
                ("# c", Comment),
                ("a\r\nb", Code),
                ("# d", Comment),
                ("{z}", Code),
            ]
        );
        assert_eq!(holes(source)[3], ["{z}"]);
    }

    #[test]
    fn byte_offsets_after_non_ascii_text() {
        let source = "# Größe 🚀\nnäme = \"anthropic.claude-v2\"  # ü\n";
        let extraction = extract(source);
        let literal = &extraction.spans[1];
        let start = source.find("anthropic").unwrap();
        assert_eq!(literal.range, start..start + "anthropic.claude-v2".len());
        assert_eq!(spans(source)[2], ("# ü", Comment));
    }

    #[test]
    fn syntax_error_is_reported_with_spans() {
        let source = "ok = 'anthropic.claude-v2'\ndef f(:\n    return 'x'\n";
        let extraction = extract(source);
        let error = extraction.syntax_error.as_ref().expect("syntax error");
        assert_eq!((error.line, error.column), (2, 7));
        assert_eq!(error.message, "missing `)`");
        let texts = test_support::texts(source, &extraction);
        assert_eq!(texts, ["anthropic.claude-v2", "x"]);
    }

    #[test]
    fn error_node_is_reported_at_its_line_and_character_column() {
        let source = "a = 1\nü = (1, 2\nb = 3\n";
        let error = extract(source).syntax_error.expect("syntax error");
        assert_eq!(error.message, "syntax error");
        assert_eq!((error.line, error.column), (2, 1));
        // The `)` is byte 11 but character 10 (0-based): `é` is two bytes.
        let source = "x = ['é', )]\n";
        let error = extract(source).syntax_error.expect("syntax error");
        assert_eq!((error.line, error.column), (1, 11));
    }

    #[test]
    fn unterminated_string_does_not_panic() {
        let extraction = extract("s = \"unterminated\nt = 'ok'\n");
        assert!(extraction.syntax_error.is_some());
        let extraction = extract("s = '''never closed\n");
        assert!(extraction.syntax_error.is_some());
    }

    #[test]
    fn empty_and_blank_files() {
        assert_eq!(extract(""), Extraction::default());
        assert_eq!(extract("\n\n   \n"), Extraction::default());
        assert_eq!(spans("# only\n"), [("# only", Comment)]);
    }

    #[test]
    fn parser_is_created_once_per_thread_and_reused() {
        let first = "a = 'one'\n";
        let second = "# two\nb = f'{x}'\n";
        let before = parsers_created();
        assert_eq!(spans(first), [("one", Code)]);
        let after_first = parsers_created();
        assert!(after_first - before <= 1);
        assert_eq!(spans(second), [("# two", Comment), ("{x}", Code)]);
        assert_eq!(spans(first), [("one", Code)]);
        assert_eq!(parsers_created(), after_first);
    }

    #[test]
    fn parsers_on_other_threads_are_their_own() {
        let created = std::thread::spawn(|| {
            extract("x = 1");
            extract("y = 2");
            parsers_created()
        })
        .join()
        .unwrap();
        assert_eq!(created, 1);
    }

    #[test]
    fn never_panics_on_odd_input() {
        let inputs = [
            "\u{feff}x = 'bom'",
            "\0\0\0",
            "s = 'a\u{2028}b' # \u{202e}rtl\n",
            "x = 'e\u{301}'  # combining",
            "f'{'",
            "f'{x!}'",
            "'''",
            "\\",
            ")]}",
            "def (",
            "\r",
            "class A:\n\tdef f(self):\n  'mixed'\n",
        ];
        for input in inputs {
            assert_in_bounds(input, &extract(input));
        }
    }

    #[test]
    fn deeply_nested_and_large_input() {
        let deep = format!("x = {}'deep'{}\n", "[".repeat(20_000), "]".repeat(20_000));
        assert!(has_span(&deep, &extract(&deep), "deep"));

        let line = "m = f'anthropic.claude-{v}'  # c\n";
        let large = line.repeat(50_000);
        assert_large(&extract(&large), 100_000);
    }
}
