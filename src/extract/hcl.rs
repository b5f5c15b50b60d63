//! HCL extractor (Terraform `.tf`, `.tfvars`, and `.hcl` such as Terragrunt or Packer),
//! built on tree-sitter-hcl.
//!
//! tree-sitter-hcl parses HCL2's native syntax, templates included: a quoted string is a
//! `string_lit` when it is plain text and a `quoted_template` when it holds `${…}`
//! interpolations or `%{…}` directives, and heredocs (`<<EOT`, `<<-EOT`) are templates too.
//! It recovers from errors and is walked with a cursor, so nesting costs no stack.
//!
//! What becomes a [`Span`] ([`SpanContext::Code`] unless said otherwise):
//! - each quoted string, over its contents between the quotes, as written (escapes such
//!   as `\"` and `$${` stay as they are);
//! - each heredoc, over its body: the lines between the opening `<<EOT` line and the line of
//!   the closing `EOT`, indentation included;
//! - in both, every `${…}` interpolation is a hole, and so is every `%{…}` directive marker
//!   (`%{ if … }`, `%{ else }`, `%{ endif }`, `%{ for … }`, `%{ endfor }`) — the text
//!   between the markers stays searchable. A string written inside an interpolation
//!   (`"${lookup(var.m, "anthropic.claude-v2")}"`) is a span of its own, inside that hole;
//! - `key_name` is the name of the attribute the string belongs to (`model_id = "…"`), or,
//!   inside an object, of the object element (`{ model_id = "…" }`, `{ "model_id" = … }`),
//!   the innermost one winning; block labels (`resource "aws_…" "name"`) have none;
//! - a string that is the key of an object element (`{ "anthropic.claude-v2" = 3 }`) has
//!   `key` set to that object's byte range (keys are compared only within their object);
//! - each comment (`#`, `//`, `/* */`) as [`SpanContext::Comment`].

use std::cell::RefCell;
use std::ops::Range;

use tree_sitter::{Language, Node, Parser};

use super::treesitter::{
    Enclosing, Frame, Step, comment_span, failed, finish, key_and_name, node_text, parse, walk,
};
use super::{Extraction, Mapping, Span, SpanContext};

thread_local! {
    /// This thread's HCL parser, created on first use and reused for every file the
    /// thread reads (see the Python extractor for why parsers are per thread).
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Extract the string, heredoc and comment spans of an HCL file.
///
/// Spans are sorted by start; a string nested in an interpolation lies inside that hole of
/// the enclosing span, otherwise spans do not overlap. Never panics: a file that does not
/// parse cleanly still yields every string tree-sitter recovered, with `syntax_error` set.
pub fn extract(source: &str) -> Extraction {
    let tree = match parse(&PARSER, grammar, "HCL", source) {
        Ok(tree) => tree,
        Err(error) => return failed(source, error),
    };
    let root = tree.root_node();
    let mut spans = Vec::new();
    // Attributes and object elements (named by their name), and object keys.
    let mut frames: Enclosing<Frame> = Enclosing::default();
    // The byte ranges of the objects enclosing the current node.
    let mut objects: Enclosing<Range<usize>> = Enclosing::default();
    walk(root, |step| match step {
        Step::Enter { node, field } => {
            if field == Some("key") {
                frames.push(node, Frame::Key);
            }
            let range = match node.kind() {
                "object" => {
                    objects.push(node, node.byte_range());
                    return;
                }
                "attribute" => {
                    let name = node
                        .named_child(0)
                        .filter(|n| n.kind() == "identifier")
                        .map(|n| node_text(n, source).to_owned());
                    frames.push(node, Frame::Named(name));
                    return;
                }
                "object_elem" => {
                    let name = node
                        .child_by_field_name("key")
                        .and_then(|key| element_name(key, source));
                    frames.push(node, Frame::Named(name));
                    return;
                }
                "comment" => {
                    spans.push(comment_span(node, SpanContext::Comment, source));
                    return;
                }
                "string_lit" | "quoted_template" => quoted_contents(node),
                "heredoc_template" => heredoc_body(node, source),
                _ => return,
            };
            let (key, key_name) = key_and_name(frames.innermost(), || {
                objects
                    .innermost()
                    .map(|object| Mapping::At(object.clone()))
            });
            spans.push(Span {
                range,
                context: SpanContext::Code,
                holes: template_holes(node),
                key,
                key_name,
            });
        }
        Step::Leave(node) => {
            frames.leave(node);
            objects.leave(node);
        }
    });
    finish(spans, root, source)
}

/// Parse `source` with this thread's HCL parser (shared with [`extract`]);
/// [`crate::region_evidence`] reads the tree.
pub(crate) fn parse_tree(source: &str) -> Result<tree_sitter::Tree, super::SyntaxError> {
    parse(&PARSER, grammar, "HCL", source)
}

/// The HCL grammar.
fn grammar() -> Language {
    tree_sitter_hcl::LANGUAGE.into()
}

/// The contents of a quoted string or template: between `quoted_template_start` and
/// `quoted_template_end` (to the node's end if the closing quote is missing).
pub(crate) fn quoted_contents(node: Node) -> Range<usize> {
    let mut range = node.byte_range();
    for child in node.children(&mut node.walk()) {
        match child.kind() {
            "quoted_template_start" => range.start = child.end_byte(),
            "quoted_template_end" => range.end = child.start_byte(),
            _ => {}
        }
    }
    range.start..range.end.max(range.start)
}

/// The body of a heredoc: from the line after the opening identifier to the start of the
/// line that holds the closing identifier.
fn heredoc_body(node: Node, source: &str) -> Range<usize> {
    let bytes = source.as_bytes();
    let mut cursor = node.walk();
    let identifiers: Vec<Node> = node
        .children(&mut cursor)
        .filter(|child| child.kind() == "heredoc_identifier")
        .collect();
    let node_range = node.byte_range();
    // Ranges are sliced with `get`: in a tree recovered from an error, an identifier can
    // end after the heredoc node or start before the body (`d="anthropic.${${2:0`).
    let start = identifiers.first().map_or(node_range.start, |open| {
        bytes
            .get(open.end_byte()..node_range.end)
            .and_then(|after| memchr::memchr(b'\n', after))
            .map_or(node_range.end, |i| open.end_byte() + i + 1)
    });
    let end = match identifiers.as_slice() {
        [_, .., close] => bytes
            .get(start..close.start_byte())
            .and_then(|body| memchr::memrchr(b'\n', body))
            .map_or(start, |i| start + i + 1),
        _ => node_range.end,
    };
    start..end.max(start)
}

/// The holes of a template: its `${…}` interpolations and `%{…}` directive markers, in
/// order, not counting those inside an interpolation (they belong to nested strings).
fn template_holes(template: Node) -> Vec<Range<usize>> {
    let mut holes = Vec::new();
    let mut cursor = template.walk();
    let mut pending: Vec<Node> = template.children(&mut cursor).collect();
    pending.reverse();
    while let Some(node) = pending.pop() {
        match node.kind() {
            "template_interpolation"
            | "template_for_start"
            | "template_for_end"
            | "template_if_intro"
            | "template_else_intro"
            | "template_if_end" => {
                holes.push(node.byte_range());
            }
            "template_directive" | "template_for" | "template_if" => {
                let mut children: Vec<Node> = node.children(&mut node.walk()).collect();
                children.reverse();
                pending.extend(children);
            }
            _ => {}
        }
    }
    holes
}

/// The name of an object element from its key expression: an identifier (`model_id = …`)
/// or a plain quoted string (`"model_id" = …`) without interpolation.
fn element_name(key: Node, source: &str) -> Option<String> {
    let inner = key.named_child(0)?;
    match inner.kind() {
        "variable_expr" => Some(node_text(inner, source).to_owned()),
        "literal_value" => {
            let string = inner.named_child(0).filter(|s| s.kind() == "string_lit")?;
            Some(source.get(quoted_contents(string))?.to_owned())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{self, assert_in_bounds, assert_large, has_span, n};
    use super::*;
    use SpanContext::{Code, Comment};

    /// Text, context, key flag and key name of every span; the file must parse cleanly.
    fn spans(source: &str) -> Vec<(&str, SpanContext, bool, Option<String>)> {
        test_support::rows(source, &extract(source))
    }

    /// The text of every span's holes, in span order.
    fn holes(source: &str) -> Vec<Vec<&str>> {
        test_support::holes(source, &extract(source))
    }

    #[test]
    fn attributes_blocks_and_comments() {
        let source = "# hash\n// slashes\n/* block\n */\nresource \"aws_x\" \"main\" {\n  model_id = \"anthropic.claude-v2\" # why\n  n = 1\n}\n";
        assert_eq!(
            spans(source),
            [
                ("# hash", Comment, false, None),
                ("// slashes", Comment, false, None),
                ("/* block\n */", Comment, false, None),
                ("aws_x", Code, false, None),
                ("main", Code, false, None),
                ("anthropic.claude-v2", Code, false, n("model_id")),
                ("# why", Comment, false, None),
            ]
        );
        let start = source.find("anthropic").unwrap();
        assert_eq!(
            extract(source).spans[5].range,
            start..start + "anthropic.claude-v2".len()
        );
    }

    #[test]
    fn interpolations_and_directives_are_holes() {
        let source = "a = \"${var.geo}.anthropic.claude-v2\"\nb = \"%{ if var.x }anthropic.claude-v2%{ else }${y}%{ endif }\"\nc = \"%{ for m in var.l }${m}:x,%{ endfor }\"\nd = \"a\\\"b$${lit}\"\n";
        assert_eq!(
            holes(source),
            [
                vec!["${var.geo}"],
                vec!["%{ if var.x }", "%{ else }", "${y}", "%{ endif }"],
                vec!["%{ for m in var.l }", "${m}", "%{ endfor }"],
                vec![],
            ]
        );
        let texts: Vec<_> = spans(source).into_iter().map(|s| s.0).collect();
        assert_eq!(texts[3], "a\\\"b$${lit}");
        let hole = &extract(source).spans[0].holes[0];
        let start = source.find("${var.geo}").unwrap();
        assert_eq!(*hole, start..start + "${var.geo}".len());
    }

    #[test]
    fn strings_inside_interpolations_are_spans_inside_the_hole() {
        let source = "m = \"${lookup(var.models, \"anthropic.claude-v2\")}-x\"\n";
        let extraction = extract(source);
        let texts = test_support::texts(source, &extraction);
        assert_eq!(
            texts,
            [
                "${lookup(var.models, \"anthropic.claude-v2\")}-x",
                "anthropic.claude-v2"
            ]
        );
        let (outer, inner) = (&extraction.spans[0], &extraction.spans[1]);
        assert!(outer.holes[0].start <= inner.range.start && inner.range.end <= outer.holes[0].end);
        assert_eq!(inner.key_name, n("m"));
    }

    #[test]
    fn heredocs() {
        let source = "doc = <<-EOT\n    model: anthropic.claude-v2\n    ${var.x}\n    EOT\nplain = <<EOT\nx\nEOT\nempty = <<EOT\nEOT\n";
        assert_eq!(
            spans(source),
            [
                (
                    "    model: anthropic.claude-v2\n    ${var.x}\n",
                    Code,
                    false,
                    n("doc")
                ),
                ("x\n", Code, false, n("plain")),
                ("", Code, false, n("empty")),
            ]
        );
        assert_eq!(holes(source)[0], ["${var.x}"]);
    }

    #[test]
    fn object_elements_name_their_values_and_string_keys_are_keys() {
        let source = "m = {\n  model_id = \"x\"\n  \"anthropic.claude-v2\" = { price = \"3\" }\n  k: [\"a\", \"b\"]\n  (var.k) = \"c\"\n}\nafter = \"d\"\n";
        assert_eq!(
            spans(source),
            [
                ("x", Code, false, n("model_id")),
                ("anthropic.claude-v2", Code, true, None),
                ("3", Code, false, n("price")),
                ("a", Code, false, n("k")),
                ("b", Code, false, n("k")),
                ("c", Code, false, None),
                ("d", Code, false, n("after")),
            ]
        );
    }

    #[test]
    fn string_keys_name_the_object_that_holds_them() {
        let source = "a = { \"k\" = 1 }\nb = { \"k\" = { \"k\" = 2 } }\n";
        assert_eq!(
            test_support::keys(source, &extract(source)),
            [
                ("k", "{ \"k\" = 1 }".to_string()),
                ("k", "{ \"k\" = { \"k\" = 2 } }".to_string()),
                ("k", "{ \"k\" = 2 }".to_string()),
            ]
        );
    }

    #[test]
    fn tfvars_and_crlf() {
        let source = "model_id = \"anthropic.claude-v2\"\r\n# c\r\nlist = [\r\n  \"meta.llama2-13b-chat-v1\",\r\n]\r\ndoc = <<EOT\r\nbody\r\nEOT\r\n";
        assert_eq!(
            spans(source),
            [
                ("anthropic.claude-v2", Code, false, n("model_id")),
                ("# c", Comment, false, None),
                ("meta.llama2-13b-chat-v1", Code, false, n("list")),
                ("body\r\n", Code, false, n("doc")),
            ]
        );
    }

    #[test]
    fn byte_offsets_after_non_ascii_text() {
        let source = "# Größe 🚀\nnäme = \"anthropic.claude-v2\" # ü\n";
        let extraction = extract(source);
        let start = source.find("anthropic").unwrap();
        let literal = extraction
            .spans
            .iter()
            .find(|s| s.context == Code)
            .expect("string");
        assert_eq!(literal.range, start..start + "anthropic.claude-v2".len());
        assert_eq!(
            &source[extraction.spans.last().unwrap().range.clone()],
            "# ü"
        );
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let source = "ok = \"anthropic.claude-v2\"\nbad = [1, 2\nnext = \"x\"\n";
        let extraction = extract(source);
        let error = extraction.syntax_error.expect("syntax error");
        // The unclosed `[` swallows the newline; `next` is where it cannot go on.
        assert_eq!((error.line, error.column), (3, 1));
        assert!(
            extraction
                .spans
                .iter()
                .any(|s| &source[s.range.clone()] == "anthropic.claude-v2")
        );
    }

    #[test]
    fn syntax_error_column_counts_characters() {
        // The stray `]` comes 12 bytes but 10 characters into line 2: `ü` and `é` are
        // two bytes each.
        let error = extract("a = {\n  ü = \"é\" ]\n}\n")
            .syntax_error
            .expect("error");
        assert_eq!((error.line, error.column), (2, 11));
    }

    #[test]
    fn empty_and_blank_files() {
        assert_eq!(extract(""), Extraction::default());
        assert_eq!(extract("\n\r\n "), Extraction::default());
    }

    #[test]
    fn deeply_nested_and_large_input() {
        let deep = format!("x = {}\"deep\"{}\n", "[".repeat(5_000), "]".repeat(5_000));
        assert!(has_span(&deep, &extract(&deep), "deep"));

        let large = "m = \"${var.geo}.anthropic.claude-v2\" # c\n".repeat(15_000);
        assert_large(&extract(&large), 30_000);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in [
            "\"",
            "a = \"",
            "a = \"${",
            "a = <<EOT\n",
            "a = <<-EOT\nx",
            "/*",
            "{",
            "a = {\"k\" =",
            "%{",
            // Found by fuzzing: a heredoc identifier outside its recovered node.
            "d=\"anthropic.${${2:0",
        ] {
            assert_in_bounds(input, &extract(input));
        }
    }
}
