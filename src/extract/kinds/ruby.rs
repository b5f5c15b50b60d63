//! Ruby (`.rb`, `.rake`, `.gemspec`, `Gemfile`, `Rakefile`), read with tree-sitter-ruby.
//!
//! - Strings in every quoting: `'…'`, `"…"`, `%q(…)`, `%Q{…}`, `%(…)`; each word of a
//!   `%w[…]` / `%W[…]` array; heredocs (`<<~EOS`, `<<-EOS`, `<<'EOS'`: the contents run from
//!   the end of the line that opens them to the line of the closing identifier); commands
//!   in backticks. `#{…}`, `#@ivar` and `#$gvar` interpolations are holes (single-quoted
//!   forms have none).
//! - The format string of `format`, `sprintf`, `printf` and the left operand of `%` are
//!   templates: their conversions (`%s`, `%<geo>s`, `%{geo}`) are holes.
//! - Symbols (`:anthropic`, `:"…"`, `%i[…]`, `key:`) are names, not model IDs, and give no
//!   span; nor do regular expressions and character literals (`?a`).
//! - Comments (`# …`, `=begin … =end`). Ruby documentation is written in ordinary
//!   comments; they are `SpanContext::Comment`s.
//! - Keys: the key of a hash pair `"k" => v` or `"k": v`, of its hash (or of the argument
//!   list of a call written with pairs).

use std::cell::RefCell;

use tree_sitter::{Node, Parser};

use super::templates::{self, Syntax};
use super::{NO_DOC_COMMENTS, Quotes, Table, comment, keyed, parent, quoted};
use crate::extract::{Extraction, Focus, Span};

thread_local! {
    /// This thread's Ruby parser, created on first use (see [`crate::extract::python`] for
    /// why parsers are per thread).
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// How Ruby is read.
pub(crate) static TABLE: Table = Table {
    name: "Ruby",
    slot: &PARSER,
    grammar: || tree_sitter_ruby::LANGUAGE.into(),
    kinds: &[
        "string",
        "bare_string",
        "heredoc_body",
        "subshell",
        "comment",
    ],
    span,
};

/// The children of a string, a word of a `%w` array, a heredoc body or a command: every
/// opening and closing token of a string is the anonymous `"` in this grammar (`%q(` and
/// its `)` too).
const QUOTES: Quotes = Quotes {
    delimiters: &["\"", "`"],
    text: &["string_content", "heredoc_content", "escape_sequence"],
    suffixes: &["heredoc_end"],
};

/// Extract the string-literal and comment spans of a Ruby file (see the module docs).
pub fn extract(source: &str) -> Extraction {
    extract_focused(source, Focus::Everything)
}

/// Like [`extract`], leaving out spans that `focus` rules out (see [`Focus`]).
pub fn extract_focused(source: &str, focus: Focus) -> Extraction {
    super::extract_focused(&TABLE, source, focus)
}

/// The span of a string, word, heredoc body, command or comment.
fn span(node: Node, ancestors: &[Node], source: &str) -> Option<Span> {
    match node.kind() {
        "comment" => Some(comment(node, source, NO_DOC_COMMENTS)),
        "heredoc_body" => {
            let mut span = quoted(node, &QUOTES);
            // The body ends where the line of its closing identifier starts.
            if let Some(end) = node
                .children(&mut node.walk())
                .find(|child| child.kind() == "heredoc_end")
            {
                span.range.end = end.start_byte().max(span.range.start);
                let text = source.get(span.range.clone()).unwrap_or_default();
                let indent = text.len() - text.trim_end_matches([' ', '\t']).len();
                span.range.end -= indent;
            }
            Some(span)
        }
        "string" => {
            let mut span = quoted(node, &QUOTES);
            if is_format_string(node, ancestors, source) {
                templates::add_holes(&mut span, Syntax::Printf, source);
            }
            Some(keyed(span, hash(node, ancestors)))
        }
        _ => Some(quoted(node, &QUOTES)),
    }
}

/// Whether `literal` is a format string: the first string argument of `format`, `sprintf`
/// or `printf`, or the left operand of `%`.
fn is_format_string(literal: Node, ancestors: &[Node], source: &str) -> bool {
    let called = templates::called_with(literal, ancestors, &["argument_list"], &[], source);
    if matches!(called, Some("format" | "sprintf" | "printf")) {
        return true;
    }
    parent(ancestors).is_some_and(|(binary, _)| {
        binary.kind() == "binary"
            && binary.child_by_field_name("left") == Some(literal)
            && binary
                .child_by_field_name("operator")
                .is_some_and(|operator| operator.kind() == "%")
    })
}

/// The hash (or argument list) that holds `literal` as the key of a pair.
fn hash<'t>(literal: Node<'t>, ancestors: &[Node<'t>]) -> Option<Node<'t>> {
    let (pair, above) = parent(ancestors)?;
    (pair.kind() == "pair" && pair.child_by_field_name("key") == Some(literal))
        .then(|| parent(above).map_or(pair, |(holder, _)| holder))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{ODD_INPUTS, keys, spans};
    use super::*;
    use crate::extract::SpanContext::{Code, Comment};
    use crate::extract::test_support::{assert_in_bounds, assert_inside_holes_of_first};

    #[test]
    fn every_quoting() {
        let source = "# comment\n=begin\nblock\n=end\na = 'anthropic.claude-v2 \\' x'\n\
                      c = %q(paren (nested) anthropic.claude-v2)\nw = %w[anthropic.claude-v2 b]\n\
                      e = \"\"\nf = \"a\" \"b\"\ng = `cmd anthropic.claude-v2`\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                ("# comment", Comment, vec![]),
                ("=begin\nblock\n=end", Comment, vec![]),
                ("anthropic.claude-v2 \\' x", Code, vec![]),
                ("paren (nested) anthropic.claude-v2", Code, vec![]),
                ("anthropic.claude-v2", Code, vec![]),
                ("b", Code, vec![]),
                ("", Code, vec![]),
                ("a", Code, vec![]),
                ("b", Code, vec![]),
                ("cmd anthropic.claude-v2", Code, vec![]),
            ]
        );
    }

    #[test]
    fn interpolations_are_holes() {
        let source = "b = \"#{geo}.anthropic.claude-v2 #@iv #$g \\#{no}\"\nd = %Q{x #{y} z}\n\
                      w = %W[x#{y}z plain]\nq = '#{not}'\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                (
                    "#{geo}.anthropic.claude-v2 #@iv #$g \\#{no}",
                    Code,
                    vec!["#{geo}", "#@iv", "#$g"]
                ),
                ("x #{y} z", Code, vec!["#{y}"]),
                ("x#{y}z", Code, vec!["#{y}"]),
                ("plain", Code, vec![]),
                ("#{not}", Code, vec![]),
            ]
        );
        let nested = "s = \"a#{m('anthropic.claude-v2')}b\"\n";
        assert_inside_holes_of_first(&extract(nested));
    }

    #[test]
    fn symbols_regexes_and_characters_are_not_strings() {
        let source = "s = :anthropic\nt = :\"anthropic.claude-v2\"\ni = %i[a b]\n\
                      r = /anthropic\\.claude/\nc = ?a\nh = { key: 1 }\n";
        assert_eq!(spans(source, &extract(source)), []);
    }

    #[test]
    fn heredocs() {
        let source = "x = <<~EOS\n  heredoc #{z} anthropic.claude-v2\nEOS\n\
                      foo(<<-'RAW', \"s\")\n  raw #{z}\n  RAW\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                ("\n  heredoc #{z} anthropic.claude-v2\n", Code, vec!["#{z}"]),
                ("s", Code, vec![]),
                ("\n  raw #{z}\n", Code, vec![]),
            ]
        );
    }

    #[test]
    fn hash_keys() {
        let source = "h = { \"a\" => 1, 'b': 'v', key: 'w' }\nf(\"k\" => 2)\nl = ['x']\n";
        assert_eq!(
            keys(source, &extract(source)),
            [
                ("a", "{ \"a\" => 1, 'b': 'v', key: 'w' }".to_string()),
                ("b", "{ \"a\" => 1, 'b': 'v', key: 'w' }".to_string()),
                ("k", "(\"k\" => 2)".to_string()),
            ]
        );
    }

    #[test]
    fn format_strings_are_templates() {
        let source = "a = format('%s.anthropic.claude-v2', g)\nb = '%<geo>s.x' % { geo: g }\n\
                      c = Kernel.sprintf(\"%{geo}.y\", geo: g)\nd = puts('%s.z')\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                ("%s.anthropic.claude-v2", Code, vec!["%s"]),
                ("%<geo>s.x", Code, vec!["%<geo>s"]),
                ("%{geo}.y", Code, vec!["%{geo}"]),
                ("%s.z", Code, vec![]),
            ]
        );
    }

    #[test]
    fn syntax_errors_are_reported() {
        let source = "a = 'anthropic.claude-v2'\ndef f(\n";
        assert!(extract(source).syntax_error.is_some());
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in ODD_INPUTS {
            assert_in_bounds(input, &extract(input));
        }
    }
}
