//! TypeScript, TSX and JavaScript (with JSX) extractor, built on tree-sitter-typescript
//! and tree-sitter-javascript.
//!
//! Returns one [`Span`] per string literal (`'…'`, `"…"`, JSX attribute strings, string
//! literal types), one per template literal (tagged or not, and template literal types)
//! with its `${…}` substitutions as holes, and one per comment; a `/** … */` comment is
//! a [`SpanContext::Docstring`]. Regular expression literals are not strings and give no
//! span.
//!
//! Spans are sorted by `range.start`. A string written inside a substitution
//! (`` `${f("x")}` ``) gets a span of its own, which therefore lies inside that hole of
//! the template's span. That is the only way two spans overlap.

use std::cell::RefCell;

use tree_sitter::{Language, Node, Parser};

use super::treesitter::{
    KindSet, ParserSlot, comment_span, failed, finish, for_each_node_with_ancestors, key_of,
    node_text, parse,
};
use super::{Extraction, Focus, Mapping, Span, SpanContext};

/// Which grammar reads the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// TypeScript without JSX (`.ts`, `.mts`, `.cts`).
    TypeScript,
    /// TypeScript with JSX (`.tsx`).
    Tsx,
    /// JavaScript, JSX included (`.js`, `.mjs`, `.cjs`, `.jsx`).
    JavaScript,
}

thread_local! {
    /// This thread's TypeScript parser, created on first use (likewise the two below).
    ///
    /// A `Parser` owns sizeable internal buffers and has to be bound to a grammar
    /// before use; building one per file would redo that work for every file. Parsing
    /// needs `&mut Parser`, so one parser shared by the threads that read files in
    /// parallel would sit behind a lock they all queue on. One parser per grammar and
    /// thread gives reuse without locking, and
    /// keeping the grammars apart avoids re-binding a parser when a project mixes
    /// `.ts`, `.tsx` and `.js` files.
    static TYPESCRIPT: RefCell<Option<Parser>> = const { RefCell::new(None) };
    /// This thread's TSX parser.
    static TSX: RefCell<Option<Parser>> = const { RefCell::new(None) };
    /// This thread's JavaScript parser.
    static JAVASCRIPT: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

impl Dialect {
    /// This thread's parser slot for the dialect.
    fn slot(self) -> &'static ParserSlot {
        match self {
            Dialect::TypeScript => &TYPESCRIPT,
            Dialect::Tsx => &TSX,
            Dialect::JavaScript => &JAVASCRIPT,
        }
    }

    /// The dialect's grammar.
    fn grammar(self) -> fn() -> Language {
        match self {
            Dialect::TypeScript => || tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Dialect::Tsx => || tree_sitter_typescript::LANGUAGE_TSX.into(),
            Dialect::JavaScript => || tree_sitter_javascript::LANGUAGE.into(),
        }
    }

    /// The dialect's name, for error messages.
    fn name(self) -> &'static str {
        match self {
            Dialect::TypeScript => "TypeScript",
            Dialect::Tsx => "TSX",
            Dialect::JavaScript => "JavaScript",
        }
    }
}

/// Extract the string-literal and comment spans of a TypeScript or JavaScript file.
///
/// Spans are sorted by start; a span nested in another's hole (a string inside a
/// template substitution) lies inside that hole. Never panics: a file that does not
/// parse cleanly still yields every span tree-sitter recovered, with `syntax_error` set.
pub fn extract(source: &str, dialect: Dialect) -> Extraction {
    extract_focused(source, dialect, Focus::Everything)
}

/// Like [`extract`], leaving out spans that `focus` rules out (see [`Focus`]).
pub fn extract_focused(source: &str, dialect: Dialect, focus: Focus) -> Extraction {
    document(source, dialect, focus).0
}

/// [`extract_focused`], and the syntax tree it read (for the call-site analyser), if
/// `source` could be parsed at all.
pub(crate) fn document(
    source: &str,
    dialect: Dialect,
    focus: Focus,
) -> (Extraction, Option<tree_sitter::Tree>) {
    match parse(dialect.slot(), dialect.grammar(), dialect.name(), source) {
        Ok(tree) => (extract_tree(source, &tree, focus), Some(tree)),
        Err(error) => (failed(source, error), None),
    }
}

/// The spans of `source`, read from its syntax tree `tree`.
fn extract_tree(source: &str, tree: &tree_sitter::Tree, focus: Focus) -> Extraction {
    let root = tree.root_node();
    let mut spans = Vec::new();
    // The kinds `node_span` accepts (all named); numeric ids rule out every other node
    // without reading its kind name.
    let wanted = KindSet::new(
        &root.language(),
        &[
            "string",
            "template_string",
            "template_literal_type",
            "comment",
            "html_comment",
        ],
        true,
    );
    for_each_node_with_ancestors(root, focus, |node, ancestors| {
        if !wanted.contains(node) {
            return;
        }
        if let Some(span) = node_span(node, ancestors, source) {
            spans.push(span);
        }
    });
    finish(spans, root, source)
}

/// Parse `source` with this thread's parser for `dialect` (shared with [`extract`]); the
/// call-site analyser ([`crate::callsite::typescript`]) reads the same tree.
pub(crate) fn parse_tree(
    source: &str,
    dialect: Dialect,
) -> Result<tree_sitter::Tree, super::SyntaxError> {
    parse(dialect.slot(), dialect.grammar(), dialect.name(), source)
}

/// The span of `node`, whose ancestors are `ancestors` (the root first, the parent last), if
/// it is a string, template or comment.
fn node_span(node: Node, ancestors: &[Node], source: &str) -> Option<Span> {
    // `string` is also the name of the anonymous `string` type keyword in TypeScript.
    if !node.is_named() {
        return None;
    }
    let key = || match ancestors {
        [.., grandparent, parent] => key_of(node, Some(*parent), Some(*grandparent)),
        [parent] => key_of(node, Some(*parent), None),
        [] => None,
    };
    match node.kind() {
        "string" => Some(literal_span_in(node, None, key())),
        "template_string" => Some(literal_span_in(node, Some("template_substitution"), key())),
        "template_literal_type" => Some(literal_span_in(node, Some("template_type"), key())),
        "comment" | "html_comment" => {
            let context = comment_context(node, source);
            Some(comment_span(node, context, source))
        }
        _ => None,
    }
}

/// The span of a quoted literal: its contents between the opening and closing quote
/// or backtick, with the children of kind `hole_kind` as holes.
pub(crate) fn literal_span(literal: Node, hole_kind: Option<&str>) -> Span {
    let parent = literal.parent();
    let grandparent = parent
        .filter(|parent| parent.kind() == "pair")
        .and_then(|pair| pair.parent());
    literal_span_in(literal, hole_kind, key_of(literal, parent, grandparent))
}

/// [`literal_span`] for a caller that already knows whether the literal is a key, and of
/// which object: `Node::parent` searches down from the root, which the extractor's walk
/// avoids by keeping ancestors.
fn literal_span_in(literal: Node, hole_kind: Option<&str>, key: Option<Mapping>) -> Span {
    let children: Vec<Node> = literal.children(&mut literal.walk()).collect();
    let mut range = literal.byte_range();
    if let Some(open) = children.first().filter(|open| is_quote(open)) {
        range.start = open.end_byte();
    }
    if let [_, .., close] = children.as_slice()
        && is_quote(close)
    {
        range.end = close.start_byte().max(range.start);
    }
    let holes = children
        .iter()
        .filter(|child| Some(child.kind()) == hole_kind)
        .map(Node::byte_range)
        .collect();
    Span {
        range,
        context: SpanContext::Code,
        holes,
        key,
        key_name: None,
    }
}

/// Whether `node` is a quote or backtick token.
fn is_quote(node: &Node) -> bool {
    !node.is_named() && matches!(node.kind(), "\"" | "'" | "`")
}

/// A JSDoc comment (`/**` not followed by `/`) is a docstring; anything else a comment.
fn comment_context(comment: Node, source: &str) -> SpanContext {
    let text = node_text(comment, source);
    if text.starts_with("/**") && !text.starts_with("/**/") {
        SpanContext::Docstring
    } else {
        SpanContext::Comment
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{self, assert_in_bounds, assert_large, has_span};
    use super::super::treesitter::parsers_created;
    use super::*;
    use Dialect::{JavaScript, Tsx, TypeScript};
    use SpanContext::{Code, Comment, Docstring};

    const ALL: [Dialect; 3] = [TypeScript, Tsx, JavaScript];

    /// The text and context of every span, in order; the file must parse cleanly.
    fn spans(source: &str, dialect: Dialect) -> Vec<(&str, SpanContext)> {
        let extraction = extract(source, dialect);
        assert_eq!(extraction.syntax_error, None, "{dialect:?}: {source:?}");
        test_support::contexts(source, &extraction)
    }

    #[test]
    fn object_keys_are_marked() {
        let source = "const o = { 'k': 'v', \"k2\": `t`, plain: 'p' };\n";
        for dialect in ALL {
            let keys = test_support::key_flags(source, &extract(source, dialect));
            assert_eq!(
                keys,
                [
                    ("k", true),
                    ("v", false),
                    ("k2", true),
                    ("t", false),
                    ("p", false)
                ]
            );
        }
    }

    #[test]
    fn keys_name_the_object_that_holds_them() {
        let source = "const a = { 'k': 1 };\nconst b = { 'k': { \"k\": `t` } };\n";
        for dialect in ALL {
            assert_eq!(
                test_support::keys(source, &extract(source, dialect)),
                [
                    ("k", "{ 'k': 1 }".to_string()),
                    ("k", "{ 'k': { \"k\": `t` } }".to_string()),
                    ("k", "{ \"k\": `t` }".to_string()),
                ]
            );
        }
        // The call-site analyser's entry point knows keys too.
        let tree = parse_tree(source, TypeScript).unwrap();
        let mut found = Vec::new();
        super::super::treesitter::for_each_node(tree.root_node(), |node| {
            if node.kind() == "string" {
                found.push(literal_span(node, None).key);
            }
        });
        let first = source.find("{ 'k'").unwrap();
        assert_eq!(found[0], Some(Mapping::At(first..first + 10)));
    }

    /// The text of every span's holes, in order.
    fn holes(source: &str, dialect: Dialect) -> Vec<Vec<&str>> {
        test_support::holes(source, &extract(source, dialect))
    }

    #[test]
    fn quoted_strings_in_every_dialect() {
        let source = "const a = 'anthropic.claude-v2';\nconst b = \"x\\\"y\" + '';\n";
        for dialect in ALL {
            assert_eq!(
                spans(source, dialect),
                [("anthropic.claude-v2", Code), ("x\\\"y", Code), ("", Code)],
                "{dialect:?}"
            );
            let empty = &extract(source, dialect).spans[2];
            let quotes = source.find("''").unwrap();
            assert_eq!(empty.range, quotes + 1..quotes + 1);
        }
    }

    #[test]
    fn template_literals_with_substitutions_as_holes() {
        let source = "const id = `anthropic.${family}-${v + 1}-v1:0 \\${not}`;\n";
        for dialect in ALL {
            assert_eq!(
                spans(source, dialect),
                [("anthropic.${family}-${v + 1}-v1:0 \\${not}", Code)]
            );
            assert_eq!(holes(source, dialect), [vec!["${family}", "${v + 1}"]]);
        }
    }

    #[test]
    fn tagged_and_multiline_templates() {
        let source = "const q = sql`select\n${id}`;\nconst e = ``;\n";
        for dialect in ALL {
            assert_eq!(
                spans(source, dialect),
                [("select\n${id}", Code), ("", Code)]
            );
            assert_eq!(holes(source, dialect), [vec!["${id}"], vec![]]);
        }
    }

    #[test]
    fn strings_nested_in_substitutions_are_spans_too() {
        let source = "const s = `a${f(\"anthropic.claude-v2\")}b${`in${'q'}`}`;\n";
        for dialect in ALL {
            let extraction = extract(source, dialect);
            let texts = test_support::texts(source, &extraction);
            assert_eq!(
                texts,
                [
                    "a${f(\"anthropic.claude-v2\")}b${`in${'q'}`}",
                    "anthropic.claude-v2",
                    "in${'q'}",
                    "q",
                ]
            );
            test_support::assert_inside_holes_of_first(&extraction);
            assert_eq!(holes(source, dialect)[2], ["${'q'}"]);
        }
    }

    #[test]
    fn regex_literals_are_not_strings() {
        let source = "const r = /anthropic\\.claude\"-v2/g; const s = 'x';\n";
        for dialect in ALL {
            assert_eq!(spans(source, dialect), [("x", Code)]);
        }
    }

    #[test]
    fn import_specifiers_are_plain_strings() {
        let source = "import { a } from \"./models\";\nexport * from './b';\n";
        for dialect in ALL {
            assert_eq!(spans(source, dialect), [("./models", Code), ("./b", Code)]);
        }
    }

    #[test]
    fn jsx_attribute_strings() {
        let source =
            "const e = <Chat model=\"anthropic.claude-v2\" alt='a&amp;b' n={'x'}>hi</Chat>;\n";
        for dialect in [Tsx, JavaScript] {
            assert_eq!(
                spans(source, dialect),
                [
                    ("anthropic.claude-v2", Code),
                    ("a&amp;b", Code),
                    ("x", Code)
                ]
            );
        }
    }

    #[test]
    fn typescript_type_positions() {
        let source = "type M = \"anthropic.claude-v2\" | `anthropic.${string}-v1`;\n\
                      let s: string = 'x';\n";
        for dialect in [TypeScript, Tsx] {
            assert_eq!(
                spans(source, dialect),
                [
                    ("anthropic.claude-v2", Code),
                    ("anthropic.${string}-v1", Code),
                    ("x", Code),
                ]
            );
            assert_eq!(holes(source, dialect)[1], ["${string}"]);
        }
    }

    #[test]
    fn comments_and_doc_comments() {
        let source = "/** Uses anthropic.claude-v2. */\nconst a = 1; // line\n\
                      /* block */ /**/ /*** stars ***/\n";
        for dialect in ALL {
            assert_eq!(
                spans(source, dialect),
                [
                    ("/** Uses anthropic.claude-v2. */", Docstring),
                    ("// line", Comment),
                    ("/* block */", Comment),
                    ("/**/", Comment),
                    ("/*** stars ***/", Docstring),
                ],
                "{dialect:?}"
            );
        }
    }

    #[test]
    fn comment_inside_a_substitution() {
        let source = "const s = `${ /* why */ x}`;\n";
        for dialect in ALL {
            assert_eq!(
                spans(source, dialect),
                [("${ /* why */ x}", Code), ("/* why */", Comment)]
            );
        }
    }

    #[test]
    fn crlf_source() {
        let source = "// c\r\nconst a = 'x';\r\n/* a\r\n b */\r\nconst t = `l1\r\n${y}`;\r\n";
        for dialect in ALL {
            assert_eq!(
                spans(source, dialect),
                [
                    ("// c", Comment),
                    ("x", Code),
                    ("/* a\r\n b */", Comment),
                    ("l1\r\n${y}", Code),
                ]
            );
        }
    }

    #[test]
    fn byte_offsets_after_non_ascii_text() {
        let source = "// Größe 🚀\nconst näme = \"anthropic.claude-v2\"; // ü\n";
        for dialect in ALL {
            let extraction = extract(source, dialect);
            let start = source.find("anthropic").unwrap();
            assert_eq!(
                extraction.spans[1].range,
                start..start + "anthropic.claude-v2".len()
            );
            assert_eq!(spans(source, dialect)[2], ("// ü", Comment));
        }
    }

    #[test]
    fn missing_token_is_reported_with_spans() {
        let source = "const a = 'anthropic.claude-v2';\nif (x { f('y'); }\n";
        for dialect in ALL {
            let extraction = extract(source, dialect);
            let error = extraction.syntax_error.as_ref().expect("syntax error");
            assert_eq!((error.line, error.column), (2, 6), "{dialect:?}");
            assert_eq!(error.message, "missing `)`");
            let texts = test_support::texts(source, &extraction);
            assert_eq!(texts, ["anthropic.claude-v2", "y"]);
        }
    }

    #[test]
    fn error_node_column_counts_characters() {
        // The stray `)` is byte 14 but character 12 (0-based): `é` and `ü` are two bytes.
        let source = "let a = 1;\nf(['é', 'ü' )];\n";
        for dialect in ALL {
            let error = extract(source, dialect).syntax_error.expect("syntax error");
            assert_eq!(error.message, "syntax error");
            assert_eq!((error.line, error.column), (2, 13), "{dialect:?}");
        }
    }

    #[test]
    fn jsx_is_an_error_in_plain_typescript() {
        let source = "const e = <a href=\"x\">t</a>;\n";
        assert!(extract(source, TypeScript).syntax_error.is_some());
        assert!(extract(source, Tsx).syntax_error.is_none());
    }

    #[test]
    fn unterminated_literals_do_not_panic() {
        for source in [
            "let s = \"abc\nlet t = 1;\n",
            "let x = `abc",
            "let y = `${",
            "/* open",
        ] {
            for dialect in ALL {
                assert!(
                    extract(source, dialect).syntax_error.is_some(),
                    "{source:?}"
                );
            }
        }
    }

    #[test]
    fn empty_and_blank_files() {
        for dialect in ALL {
            assert_eq!(extract("", dialect), Extraction::default());
            assert_eq!(extract(" \n\t\n", dialect), Extraction::default());
        }
    }

    #[test]
    fn parsers_are_created_once_per_grammar_and_reused() {
        let first = "const a = 'one';\n";
        let second = "// two\nconst b = `${x}`;\n";
        let before = parsers_created();
        assert_eq!(spans(first, TypeScript), [("one", Code)]);
        assert_eq!(
            spans(second, TypeScript),
            [("// two", Comment), ("${x}", Code)]
        );
        assert_eq!(spans(first, JavaScript), [("one", Code)]);
        assert_eq!(spans(second, Tsx), [("// two", Comment), ("${x}", Code)]);
        let after = parsers_created();
        assert!(after - before <= 3);
        for dialect in ALL {
            assert_eq!(spans(first, dialect), [("one", Code)]);
            assert_eq!(
                spans(second, dialect),
                [("// two", Comment), ("${x}", Code)]
            );
        }
        assert_eq!(parsers_created(), after);
    }

    #[test]
    fn never_panics_on_odd_input() {
        let inputs = [
            "\u{feff}const a = 'bom';",
            "\0\0",
            "const s = 'a\u{2028}b'; // \u{202e}rtl",
            "const e = 'e\u{301}';",
            "#!/usr/bin/env node\n'x'",
            "`${`${`${",
            "}}}`",
            "<div attr=",
            "<!-- html comment",
            "/",
            "\r",
        ];
        for input in inputs {
            for dialect in ALL {
                assert_in_bounds(input, &extract(input, dialect));
            }
        }
    }

    #[test]
    fn deeply_nested_and_large_input() {
        let deep = format!("x = {}'deep'{};\n", "[".repeat(20_000), "]".repeat(20_000));
        assert!(has_span(&deep, &extract(&deep, TypeScript), "deep"));

        let line = "const m = `anthropic.claude-${v}`; // c\n";
        let large = line.repeat(50_000);
        assert_large(&extract(&large, JavaScript), 100_000);
    }
}
