//! Extractors for Java, Kotlin, C#, Go, PHP, Ruby and Swift, built on their tree-sitter
//! grammars and described by tables of node kinds.
//!
//! The seven grammars write a string literal the same way: a node whose children are the
//! opening delimiter (`"`, `"""`, `$@"`, `%q(`, a backtick …), pieces of text (characters
//! and escape sequences, as written), holes (an interpolation: `${x}`, `{x}`, `#{x}`,
//! `\(x)`, `$var`) and the closing delimiter, sometimes followed by a suffix (`u8` in C#).
//! Each language module (`java.rs` … `swift.rs`) holds a `Table`: which node kinds are
//! strings and comments, and a function that turns such a node into a [`Span`] with the
//! helpers of this module — `quoted` for the common shape, `comment` for comments and
//! doc comments — and tells keys of map literals (`Map.of("k", v)`, `mapOf("k" to v)`,
//! `{ "k", v }`, `map[string]T{"k": v}`, `['k' => v]`, `{ "k" => v }`, `["k": v]`), which
//! [`crate::plan`] makes review and keeps from colliding; it also says which calls take a
//! printf-style format string, whose conversions `templates.rs` turns into holes. The walk,
//! the focus, sorting and the syntax error are shared.
//!
//! Spans are the *contents* of a literal as written (escapes stay escaped); a string nested
//! in an interpolation is a span of its own, lying inside a hole of the outer span, which is
//! the only way two spans overlap.

use std::ops::Range;

use tree_sitter::{Language, Node};

use super::treesitter::{
    KindSet, ParserSlot, comment_span, failed, finish, for_each_node_with_ancestors, node_text,
    parse,
};
use super::{Extraction, Focus, Mapping, Span, SpanContext};

pub mod csharp;
pub mod go;
pub mod java;
pub mod kotlin;
pub mod php;
pub mod ruby;
pub mod swift;
mod templates;

/// How one language is read: its grammar and what its nodes mean.
pub(crate) struct Table {
    /// The language's name, for error messages (`"Java"`).
    pub(crate) name: &'static str,
    /// This thread's parser for the grammar.
    pub(crate) slot: &'static ParserSlot,
    /// The grammar.
    pub(crate) grammar: fn() -> Language,
    /// The named node kinds that [`Table::span`] is asked about; the walk passes every
    /// other node by its numeric kind id.
    pub(crate) kinds: &'static [&'static str],
    /// The span of a node of one of [`Table::kinds`], whose ancestors are given (the root
    /// first, the parent last); `None` when it holds none (a symbol, an empty heredoc).
    pub(crate) span: fn(Node, &[Node], &str) -> Option<Span>,
}

/// Extract the spans of `source` read with `table`, leaving out those that `focus` rules
/// out. Never panics: a file that does not parse cleanly still yields every span
/// tree-sitter recovered, with `syntax_error` set; one that cannot be parsed at all is one
/// span of text with the error.
pub(crate) fn extract_focused(table: &Table, source: &str, focus: Focus) -> Extraction {
    let tree = match parse(table.slot, table.grammar, table.name, source) {
        Ok(tree) => tree,
        Err(error) => return failed(source, error),
    };
    let root = tree.root_node();
    let wanted = KindSet::new(&root.language(), table.kinds, true);
    let mut spans = Vec::new();
    for_each_node_with_ancestors(root, focus, |node, ancestors| {
        if wanted.contains(node)
            && let Some(span) = (table.span)(node, ancestors, source)
        {
            spans.push(span);
        }
    });
    finish(spans, root, source)
}

/// The shape of a quoted literal's children: which are delimiters, which are text.
pub(crate) struct Quotes {
    /// Kinds of the delimiter children, named or anonymous (`"`, `"""`, `interpolation_start`).
    /// The leading run of them opens the literal; the last one (before any suffix) closes it.
    pub(crate) delimiters: &'static [&'static str],
    /// Kinds of the children that are the literal's own text (characters, escape
    /// sequences). Every other child between the delimiters is part of a hole.
    pub(crate) text: &'static [&'static str],
    /// Kinds of the children that may follow the closing delimiter (`u8` in C#).
    pub(crate) suffixes: &'static [&'static str],
}

impl Quotes {
    /// Whether `node` is a delimiter.
    fn is_delimiter(&self, node: &Node) -> bool {
        self.delimiters.contains(&node.kind())
    }
}

/// The span of a quoted literal (context [`SpanContext::Code`], no key): its contents run from
/// the end of its opening delimiters to the start of its closing one (to its end when the
/// closing one is missing), and each run of children that are neither text nor delimiters
/// (`${`, an expression, `}`) is one hole.
pub(crate) fn quoted(literal: Node, quotes: &Quotes) -> Span {
    let children: Vec<Node> = literal.children(&mut literal.walk()).collect();
    let mut range = literal.byte_range();
    // The closing delimiter: the last child that is no suffix, if it is a delimiter.
    let mut close = children.len();
    while close > 0 && quotes.suffixes.contains(&children[close - 1].kind()) {
        close -= 1;
    }
    if close > 0 && quotes.is_delimiter(&children[close - 1]) {
        close -= 1;
        range.end = children[close].start_byte();
    }
    // The opening ones: the delimiters before any text (not the closing one: `""`).
    let mut open = 0;
    while open < close && quotes.is_delimiter(&children[open]) {
        range.start = children[open].end_byte();
        open += 1;
    }
    range.end = range.end.max(range.start);
    let mut holes: Vec<Range<usize>> = Vec::new();
    let mut previous_was_hole = false;
    for child in &children[open..close] {
        if quotes.text.contains(&child.kind()) {
            previous_was_hole = false;
            continue;
        }
        let piece = child.byte_range();
        match holes.last_mut() {
            Some(hole) if previous_was_hole => hole.end = piece.end.max(hole.end),
            _ => holes.push(piece),
        }
        previous_was_hole = true;
    }
    holes.retain(|hole| range.start <= hole.start && hole.end <= range.end);
    Span {
        range,
        context: SpanContext::Code,
        holes,
        key: None,
        key_name: None,
    }
}

/// A span of `range` in code, clamped into `node` (a range computed from the node's text
/// that a malformed node could make run outside it).
pub(crate) fn code_span(node: Node, range: Range<usize>) -> Span {
    let whole = node.byte_range();
    let start = range.start.clamp(whole.start, whole.end);
    let end = range.end.clamp(start, whole.end);
    Span::plain(start..end, SpanContext::Code)
}

/// Which comments of a language are documentation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DocComments {
    /// `/** … */` (not `/**/`): Javadoc, KDoc, PHPDoc, C# and Swift.
    pub(crate) block: bool,
    /// `/// …` (not `////`): C# XML documentation, Swift.
    pub(crate) triple_slash: bool,
}

/// No doc-comment syntax of its own (Go's and Ruby's documentation is written in ordinary
/// comments).
pub(crate) const NO_DOC_COMMENTS: DocComments = DocComments {
    block: false,
    triple_slash: false,
};

/// The span of a comment node, markers included: a [`SpanContext::Docstring`] when it is
/// documentation by `doc`, a [`SpanContext::Comment`] otherwise.
pub(crate) fn comment(node: Node, source: &str, doc: DocComments) -> Span {
    let text = node_text(node, source);
    let is_doc = (doc.block && text.starts_with("/**") && !text.starts_with("/**/"))
        || (doc.triple_slash && text.starts_with("///") && !text.starts_with("////"));
    let context = if is_doc {
        SpanContext::Docstring
    } else {
        SpanContext::Comment
    };
    comment_span(node, context, source)
}

/// `span` as a key of the mapping written at `mapping` (see [`Span::key`]).
pub(crate) fn keyed(mut span: Span, mapping: Option<Node>) -> Span {
    span.key = mapping.map(|m| Mapping::At(m.byte_range()));
    span
}

/// The parent of the node whose ancestors are `ancestors` (the root first, the parent
/// last), and the ancestors of that parent.
pub(crate) fn parent<'a, 'tree>(
    ancestors: &'a [Node<'tree>],
) -> Option<(Node<'tree>, &'a [Node<'tree>])> {
    ancestors
        .split_last()
        .map(|(parent, above)| (*parent, above))
}

/// The index of `node` among the named children of `parent` that are not extras
/// (comments), if it is one of them.
pub(crate) fn argument_index(parent: Node, node: Node) -> Option<usize> {
    parent
        .named_children(&mut parent.walk())
        .filter(|child| !child.is_extra())
        .position(|child| child == node)
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Helpers for the language modules' tests.

    use super::super::test_support;
    use super::super::{Extraction, SpanContext};

    /// Text, context and hole texts of every span of `extraction` (of `source`), which
    /// must have parsed cleanly.
    pub(crate) fn spans<'s>(
        source: &'s str,
        extraction: &Extraction,
    ) -> Vec<(&'s str, SpanContext, Vec<&'s str>)> {
        assert_eq!(extraction.syntax_error, None, "{source:?}");
        test_support::contexts(source, extraction)
            .into_iter()
            .zip(test_support::holes(source, extraction))
            .map(|((text, context), holes)| (text, context, holes))
            .collect()
    }

    /// The text of every key span of `extraction` (of `source`) with the text of its
    /// mapping.
    pub(crate) fn keys<'s>(source: &'s str, extraction: &Extraction) -> Vec<(&'s str, String)> {
        test_support::keys(source, extraction)
    }

    /// Odd inputs every extractor must survive: the spans stay in bounds.
    pub(crate) const ODD_INPUTS: &[&str] = &[
        "",
        "\0\0",
        "\u{feff}x",
        "\"",
        "\"\"\"",
        "'",
        "`",
        "/*",
        "/**",
        "//",
        "#",
        "${",
        "#{",
        "\\(",
        "@\"",
        "$\"{",
        "$\"\"\"{",
        "<<<EOT\n",
        "<<~EOS\n",
        "<?php \"$",
        "#\"",
        "##\"\"\"",
        "%q(",
        "%w[",
        "\r",
        "é\u{2028}\u{202e}",
        "}}}\"",
    ];
}

#[cfg(test)]
mod tests {
    use super::{csharp, go, java, kotlin, php, ruby, swift};
    use crate::extract::test_support::{assert_in_bounds, assert_large, has_span};
    use crate::extract::treesitter::parsers_created;
    use crate::extract::{Extraction, SpanContext};

    /// Every language of this module, with a line holding one string and one comment, and
    /// a string nested `depth` deep in interpolations (or brackets where the language has
    /// none).
    type Case = (
        &'static str,
        fn(&str) -> Extraction,
        &'static str,
        fn(usize) -> String,
    );

    fn nested(open: &str, inner: &str, close: &str, depth: usize) -> String {
        format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
    }

    const CASES: [Case; 7] = [
        (
            "java",
            java::extract,
            "class A { String m = \"anthropic.claude-v2\"; } // c\n",
            |d| {
                format!(
                    "class A {{ Object o = {}; }}\n",
                    nested("f(", "\"deep\"", ")", d)
                )
            },
        ),
        (
            "kotlin",
            kotlin::extract,
            "val m = \"anthropic.claude-v2\" // c\n",
            |d| format!("val s = {}\n", nested("\"${", "\"deep\"", "}\"", d)),
        ),
        (
            "csharp",
            csharp::extract,
            "var m = \"anthropic.claude-v2\"; // c\n",
            |d| format!("var s = {};\n", nested("$\"{", "\"deep\"", "}\"", d)),
        ),
        (
            "go",
            go::extract,
            "var m = \"anthropic.claude-v2\" // c\n",
            |d| format!("package x\nvar s = {}\n", nested("f(", "\"deep\"", ")", d)),
        ),
        (
            "php",
            php::extract,
            "$m = 'anthropic.claude-v2'; // c\n",
            |d| format!("<?php\n$s = {};\n", nested("\"{$a[", "'deep'", "]}\"", d)),
        ),
        (
            "ruby",
            ruby::extract,
            "m = 'anthropic.claude-v2' # c\n",
            |d| format!("s = {}\n", nested("\"#{", "'deep'", "}\"", d)),
        ),
        (
            "swift",
            swift::extract,
            "let m = \"anthropic.claude-v2\" // c\n",
            |d| format!("let s = {}\n", nested("\"\\(", "\"deep\"", ")\"", d)),
        ),
    ];

    #[test]
    fn deeply_nested_input_is_read_or_reported() {
        for (name, extract, _, deep) in CASES {
            for depth in [3, 300, 5_000] {
                let source = deep(depth);
                let extraction = extract(&source);
                assert_in_bounds(&source, &extraction);
                if depth == 3 {
                    assert_eq!(extraction.syntax_error, None, "{name}");
                    assert!(has_span(&source, &extraction, "deep"), "{name}");
                }
            }
        }
    }

    #[test]
    fn large_input() {
        for (name, extract, line, _) in CASES {
            let source = if name == "php" {
                format!("<?php\n{}", line.repeat(20_000))
            } else if name == "go" {
                format!("package x\n{}", line.repeat(20_000))
            } else {
                line.repeat(20_000)
            };
            let extraction = extract(&source);
            assert_large(&extraction, 40_000);
            assert_eq!(extraction.spans[1].context, SpanContext::Comment, "{name}");
        }
    }

    #[test]
    fn crlf_and_non_ascii_offsets() {
        for (name, extract, line, _) in CASES {
            let source = format!("// Größe 🚀\r\n{}", line.replace('\n', "\r\n"));
            let source = if name == "php" {
                format!("<?php\r\n{source}")
            } else if name == "ruby" {
                source.replacen("//", "#", 1)
            } else {
                source
            };
            let extraction = extract(&source);
            assert_eq!(extraction.syntax_error, None, "{name}: {source:?}");
            let texts = crate::extract::test_support::texts(&source, &extraction);
            let comments: Vec<&str> = texts
                .iter()
                .filter(|t| t.ends_with('c') || t.contains("🚀"))
                .copied()
                .collect();
            assert!(
                comments.iter().all(|c| !c.ends_with('\r')),
                "{name}: {texts:?}"
            );
            let start = source.find("anthropic").unwrap();
            assert!(
                extraction
                    .spans
                    .iter()
                    .any(|s| s.range == (start..start + "anthropic.claude-v2".len())),
                "{name}: {texts:?}"
            );
        }
    }

    #[test]
    fn parsers_are_created_once_per_grammar_and_reused() {
        for (_, extract, line, _) in CASES {
            extract(line);
        }
        let before = parsers_created();
        for (_, extract, line, _) in CASES {
            extract(line);
            extract(line);
        }
        assert_eq!(parsers_created(), before);
    }

    #[test]
    fn empty_files() {
        for (name, extract, _, _) in CASES {
            assert_eq!(extract(""), Extraction::default(), "{name}");
        }
    }
}
