//! PHP (`.php`), read with tree-sitter-php's grammar for whole files (HTML around
//! `<?php … ?>`).
//!
//! - Single-quoted `'…'` and double-quoted `"…"` strings (also with the `b` prefix),
//!   heredocs and nowdocs (the contents run from the end of the `<<<EOT` line to the
//!   closing identifier's line), and shell commands in backticks. In double-quoted strings,
//!   heredocs and backticks, the interpolations are holes: `$var`, `$var[0]`, `$obj->p`,
//!   `{$expr}`, `${name}`.
//! - The format string of `sprintf(…)`, `printf(…)` and their `v`/`f` variants is a
//!   template: its conversions (`%s`, `%1$s`) are holes.
//! - Comments (`//`, `#`, `/* */`); a `/** … */` PHPDoc comment is a
//!   [`SpanContext::Docstring`].
//! - Text outside `<?php … ?>` (HTML the script prints) is [`SpanContext::Text`]:
//!   reported, never rewritten.
//! - Keys: the key of an array element `'k' => v`, of that array.

use std::cell::RefCell;

use tree_sitter::{Node, Parser};

use super::templates::{self, Syntax};
use super::{DocComments, Quotes, Table, code_span, comment, keyed, parent, quoted};
use crate::extract::{Extraction, Focus, Span, SpanContext};

thread_local! {
    /// This thread's PHP parser, created on first use (see [`crate::extract::python`] for
    /// why parsers are per thread).
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// How PHP is read.
pub(crate) static TABLE: Table = Table {
    name: "PHP",
    slot: &PARSER,
    grammar: || tree_sitter_php::LANGUAGE_PHP.into(),
    kinds: &[
        "string",
        "encapsed_string",
        "heredoc_body",
        "nowdoc_body",
        "shell_command_expression",
        "comment",
        "text",
    ],
    span,
};

/// The children of a quoted string, a heredoc's body or a shell command: everything but
/// text and escapes is part of an interpolation.
const QUOTES: Quotes = Quotes {
    delimiters: &["'", "\"", "`"],
    text: &["string_content", "escape_sequence", "nowdoc_string"],
    suffixes: &[],
};

/// PHPDoc: `/** … */`.
const DOC: DocComments = DocComments {
    block: true,
    triple_slash: false,
};

/// Extract the string-literal and comment spans of a PHP file (see the module docs).
pub fn extract(source: &str) -> Extraction {
    extract_focused(source, Focus::Everything)
}

/// Like [`extract`], leaving out spans that `focus` rules out (see [`Focus`]).
pub fn extract_focused(source: &str, focus: Focus) -> Extraction {
    super::extract_focused(&TABLE, source, focus)
}

/// The span of a string, heredoc or nowdoc body, comment or HTML text.
fn span(node: Node, ancestors: &[Node], source: &str) -> Option<Span> {
    match node.kind() {
        "comment" => Some(comment(node, source, DOC)),
        "text" => Some(Span::plain(node.byte_range(), SpanContext::Text)),
        "heredoc_body" | "nowdoc_body" => Some(quoted(node, &QUOTES)),
        "string" | "encapsed_string" if node.is_named() => {
            let mut span = quoted(node, &QUOTES);
            // The grammar keeps the opening `b'` / `b"` of a binary string out of the
            // children: the contents start after the first quote.
            if node
                .child(0)
                .is_none_or(|first| !QUOTES.is_delimiter(&first))
            {
                let text = source.get(node.byte_range()).unwrap_or_default();
                if let Some(quote) = text.find(['\'', '"']).filter(|&i| i <= 1) {
                    let start = node.start_byte() + quote + 1;
                    span.range = code_span(node, start..span.range.end.max(start)).range;
                    span.holes.retain(|hole| hole.start >= start);
                }
            }
            let called =
                templates::called_with(node, ancestors, &["arguments"], &["argument"], source);
            if called.is_some_and(|name| PRINTF.contains(&name.to_ascii_lowercase().as_str())) {
                templates::add_holes(&mut span, Syntax::Printf, source);
            }
            Some(keyed(span, array(node, ancestors)))
        }
        "shell_command_expression" => Some(quoted(node, &QUOTES)),
        _ => None,
    }
}

/// The functions whose first string argument is a printf template.
const PRINTF: &[&str] = &[
    "sprintf", "printf", "vsprintf", "vprintf", "fprintf", "vfprintf",
];

/// The array that holds `literal` as the key of an element `'k' => v`.
fn array<'t>(literal: Node<'t>, ancestors: &[Node<'t>]) -> Option<Node<'t>> {
    let (element, above) = parent(ancestors)?;
    let array = parent(above)?.0;
    let arrow = element.child(1)?;
    (element.kind() == "array_element_initializer"
        && element.child(0) == Some(literal)
        && arrow.kind() == "=>")
        .then_some(array)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{ODD_INPUTS, keys, spans};
    use super::*;
    use crate::extract::SpanContext::{Code, Comment, Docstring, Text};
    use crate::extract::test_support::{assert_in_bounds, assert_inside_holes_of_first};

    #[test]
    fn strings_comments_and_html() {
        let source = "<p>anthropic.claude-v2</p>\n<?php\n/** Doc */\n// line\n# hash\n/* block */\n\
                      $a = 'anthropic.claude-v2 \\' x';\n$e = '';\n$f = \"\";\n$g = b'bin';\n\
                      $h = \"plain\";\n?>\n<b>after</b>\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                ("<p>anthropic.claude-v2</p>\n", Text, vec![]),
                ("/** Doc */", Docstring, vec![]),
                ("// line", Comment, vec![]),
                ("# hash", Comment, vec![]),
                ("/* block */", Comment, vec![]),
                ("anthropic.claude-v2 \\' x", Code, vec![]),
                ("", Code, vec![]),
                ("", Code, vec![]),
                ("bin", Code, vec![]),
                ("plain", Code, vec![]),
                ("<b>after</b>\n", Text, vec![]),
            ]
        );
    }

    #[test]
    fn interpolations_are_holes() {
        let source = "<?php\n$b = \"us.$geo.anthropic.claude-v2 {$x['k']} ${y} \\$z $o->p $a[0]\";\n\
                      $c = b\"bin $x\";\n$d = `ls $dir`;\n";
        let extraction = extract(source);
        assert_eq!(
            spans(source, &extraction),
            [
                (
                    "us.$geo.anthropic.claude-v2 {$x['k']} ${y} \\$z $o->p $a[0]",
                    Code,
                    vec!["$geo", "{$x['k']}", "${y}", "$o->p", "$a[0]"]
                ),
                ("k", Code, vec![]),
                ("bin $x", Code, vec!["$x"]),
                ("ls $dir", Code, vec!["$dir"]),
            ]
        );
    }

    #[test]
    fn heredocs_and_nowdocs() {
        let source = "<?php\n$c = <<<EOT\n  heredoc $var anthropic.claude-v2\n  {$obj->m} x\n  EOT;\n\
                      $d = <<<'EOT'\n  nowdoc anthropic.claude-v2 $x\n  EOT;\n$e = <<<EOT\nEOT;\n";
        let extraction = extract(source);
        assert_eq!(
            spans(source, &extraction),
            [
                (
                    "\n  heredoc $var anthropic.claude-v2\n  {$obj->m} x",
                    Code,
                    vec!["$var", "{$obj->m}"]
                ),
                ("\n  nowdoc anthropic.claude-v2 $x", Code, vec![]),
            ]
        );
    }

    #[test]
    fn nested_strings_lie_in_holes() {
        let source = "<?php\n$s = \"a{$m['anthropic.claude-v2']}b\";\n";
        assert_inside_holes_of_first(&extract(source));
    }

    #[test]
    fn array_keys() {
        let source = "<?php\n$m = ['a' => 1, \"b\" => 'v', 'c'];\n$n = array('k' => ['x' => 2]);\n";
        assert_eq!(
            keys(source, &extract(source)),
            [
                ("a", "['a' => 1, \"b\" => 'v', 'c']".to_string()),
                ("b", "['a' => 1, \"b\" => 'v', 'c']".to_string()),
                ("k", "array('k' => ['x' => 2])".to_string()),
                ("x", "['x' => 2]".to_string()),
            ]
        );
    }

    #[test]
    fn sprintf_format_strings_are_templates() {
        let source = "<?php\n$a = sprintf('%s.anthropic.claude-v2', $g);\n$b = printf(\"%1\\$s.x $y\", $g);\n\
                      $c = strtoupper('%s.z');\n";
        assert_eq!(
            spans(source, &extract(source)),
            [
                ("%s.anthropic.claude-v2", Code, vec!["%s"]),
                ("%1\\$s.x $y", Code, vec!["$y"]),
                ("%s.z", Code, vec![]),
            ]
        );
    }

    #[test]
    fn syntax_errors_are_reported() {
        let source = "<?php\n$a = 'anthropic.claude-v2';\nfunction f( {\n";
        assert!(extract(source).syntax_error.is_some());
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in ODD_INPUTS {
            assert_in_bounds(input, &extract(input));
        }
    }
}
