//! JSON extractor (`.json`, `.jsonc`), built on tree-sitter-json.
//!
//! tree-sitter-json reads strict JSON and also the common extensions found in real
//! configuration files (`//` and `/* */` comments in `tsconfig.json`, `.vscode/*.json`,
//! `.jsonc`), recovers from errors so that a broken file still yields its strings, and is
//! walked with a cursor, so a deeply nested or minified one-line file of several megabytes
//! costs neither recursion nor quadratic time.
//!
//! What becomes a [`Span`]:
//! - every string, object keys included, as [`SpanContext::Code`] over its contents
//!   between the quotes, exactly as written: escapes stay escaped (`\n`, `\"`, `\u002e`),
//!   because a rewrite replaces raw bytes;
//! - a key of an object has `key` set to that object (its byte range), so that keys are
//!   compared only with the keys of their own object;
//! - a string value has `key_name` set to the key of the pair that holds it (unescaped),
//!   also through arrays: in `"Resource": ["arn…", "arn…"]` both ARNs belong to `Resource`;
//!   a string that is not inside any pair (a top-level array of IDs) has none;
//! - each comment, markers included, as [`SpanContext::Comment`].
//!
//! A trailing comma before `}` or `]` is not reported as a syntax error: JSONC readers
//! accept it, and it cannot change how a rewrite is verified.
//!
//! Numbers, booleans and `null` cannot hold a model ID and give no span.

use std::cell::RefCell;

use tree_sitter::{Language, Node, Parser};

use super::treesitter::{
    Enclosing, Step, between_delimiters, comment_span, failed, first_syntax_error_except,
    node_text, parse, walk,
};
use super::{Extraction, Mapping, Span, SpanContext};

thread_local! {
    /// This thread's JSON parser, created on first use and reused for every file the
    /// thread reads (see the Python extractor for why parsers are per thread).
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Extract the string and comment spans of a JSON file.
///
/// Spans are sorted by start and never overlap. Never panics: a file that does not parse
/// cleanly still yields every string tree-sitter recovered, with `syntax_error` set.
pub fn extract(source: &str) -> Extraction {
    let tree = match parse(&PARSER, grammar, "JSON", source) {
        Ok(tree) => tree,
        Err(error) => return failed(source, error),
    };
    let root = tree.root_node();
    let mut spans = Vec::new();
    // The keys of the pairs enclosing the current node.
    let mut keys: Enclosing<Option<String>> = Enclosing::default();
    // The byte ranges of the objects enclosing the current node.
    let mut objects: Enclosing<std::ops::Range<usize>> = Enclosing::default();
    walk(root, |step| match step {
        Step::Enter { node, field } => match node.kind() {
            "object" => objects.push(node, node.byte_range()),
            "pair" => {
                let key = node
                    .child_by_field_name("key")
                    .filter(|key| key.kind() == "string")
                    .map(|key| unescape(key, source));
                keys.push(node, key);
            }
            "string" => {
                let is_key = field == Some("key");
                spans.push(Span {
                    range: between_delimiters(node, "\"", "\""),
                    context: SpanContext::Code,
                    holes: Vec::new(),
                    key: if is_key {
                        objects.innermost().map(|range| Mapping::At(range.clone()))
                    } else {
                        None
                    },
                    key_name: if is_key {
                        None
                    } else {
                        keys.innermost().cloned().flatten()
                    },
                });
            }
            // A comment inside a string is the string's text: tree-sitter-json puts one
            // there only when it recovers an unterminated string (`",\n/* … */`), whose
            // span already covers it.
            "comment" if node.parent().is_some_and(|p| p.kind() == "string") => {}
            "comment" => spans.push(comment_span(node, SpanContext::Comment, source)),
            _ => {}
        },
        Step::Leave(node) => {
            keys.leave(node);
            objects.leave(node);
        }
    });
    spans.sort_by_key(|span| span.range.start);
    Extraction {
        spans,
        syntax_error: first_syntax_error_except(root, source, is_trailing_comma),
    }
}

/// Whether an error node is only a trailing comma after the last element of an object or
/// array (`{"a": 1,}`, `[1, 2,]`): not JSON, but accepted by the readers of JSONC files
/// (VS Code settings, `tsconfig.json`), and harmless to a rewrite. tree-sitter-json reports
/// it as an `ERROR` holding the comma in an object, and as a `MISSING` value after the comma
/// in an array. A lone comma (`[,]`) is still an error.
fn is_trailing_comma(node: Node) -> bool {
    let comma = if node.is_missing() {
        previous(node).filter(|before| before.kind() == ",")
    } else if node.is_error() && node.child_count() == 1 {
        node.child(0)
            .filter(|child| child.kind() == ",")
            .map(|_| node)
    } else {
        None
    };
    let Some(comma) = comma else {
        return false;
    };
    let closes = next(node).is_some_and(|after| matches!(after.kind(), "}" | "]"));
    let follows_element = previous(comma).is_some_and(|before| before.is_named());
    closes && follows_element
}

/// The previous sibling of `node` that is not a comment.
fn previous(node: Node) -> Option<Node> {
    let mut sibling = node.prev_sibling();
    while let Some(extra) = sibling.filter(Node::is_extra) {
        sibling = extra.prev_sibling();
    }
    sibling
}

/// The next sibling of `node` that is not a comment.
fn next(node: Node) -> Option<Node> {
    let mut sibling = node.next_sibling();
    while let Some(extra) = sibling.filter(Node::is_extra) {
        sibling = extra.next_sibling();
    }
    sibling
}

/// Parse `source` with this thread's JSON parser (shared with [`extract`]); the notebook
/// extractor and [`crate::region_evidence`] read the tree.
pub(crate) fn parse_tree(source: &str) -> Result<tree_sitter::Tree, super::SyntaxError> {
    parse(&PARSER, grammar, "JSON", source)
}

/// The JSON grammar.
fn grammar() -> Language {
    tree_sitter_json::LANGUAGE.into()
}

/// The value of a key string: its contents with JSON escapes decoded (as written if the
/// escapes are malformed, which only a file with a syntax error has).
pub(crate) fn unescape(string: Node, source: &str) -> String {
    let raw = source
        .get(between_delimiters(string, "\"", "\""))
        .unwrap_or_default();
    if !raw.contains('\\') {
        return raw.to_owned();
    }
    serde_json::from_str::<String>(node_text(string, source)).unwrap_or_else(|_| raw.to_owned())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{self, assert_in_bounds, assert_large, n as name};
    use super::*;
    use SpanContext::{Code, Comment};

    /// Text, context, key flag and key name of every span; the file must parse cleanly.
    fn spans(source: &str) -> Vec<(&str, SpanContext, bool, Option<String>)> {
        test_support::rows(source, &extract(source))
    }

    /// The text of every span.
    fn texts(source: &str) -> Vec<&str> {
        test_support::texts(source, &extract(source))
    }

    #[test]
    fn keys_values_and_key_names() {
        let source = r#"{"ModelId": "anthropic.claude-v2", "n": 1, "ok": true, "e": ""}"#;
        assert_eq!(
            spans(source),
            [
                ("ModelId", Code, true, None),
                ("anthropic.claude-v2", Code, false, name("ModelId")),
                ("n", Code, true, None),
                ("ok", Code, true, None),
                ("e", Code, true, None),
                ("", Code, false, name("e")),
            ]
        );
        let start = source.find("anthropic").unwrap();
        assert_eq!(
            extract(source).spans[1].range,
            start..start + "anthropic.claude-v2".len()
        );
        let empty = source.rfind("\"\"").unwrap() + 1;
        assert_eq!(extract(source).spans[5].range, empty..empty);
    }

    #[test]
    fn keys_name_the_object_that_holds_them() {
        let source = r#"{"a": {"k": 1}, "b": [{"k": 2}], "k": 3}"#;
        assert_eq!(
            test_support::keys(source, &extract(source)),
            [
                ("a", source.to_string()),
                ("k", r#"{"k": 1}"#.to_string()),
                ("b", source.to_string()),
                ("k", r#"{"k": 2}"#.to_string()),
                ("k", source.to_string()),
            ]
        );
    }

    #[test]
    fn array_elements_take_the_key_of_the_pair_holding_the_array() {
        let source = r#"{"Statement": [{"Resource": ["arn:a", ["nested"]], "Effect": "Allow"}],
 "top": [{"inner": "x"}, "y"]}"#;
        let named: Vec<(&str, Option<String>)> = spans(source)
            .into_iter()
            .filter(|s| !s.2)
            .map(|s| (s.0, s.3))
            .collect();
        assert_eq!(
            named,
            [
                ("arn:a", name("Resource")),
                ("nested", name("Resource")),
                ("Allow", name("Effect")),
                ("x", name("inner")),
                ("y", name("top")),
            ]
        );
    }

    #[test]
    fn top_level_strings_have_no_key_name() {
        assert_eq!(
            spans(r#"["anthropic.claude-v2", "x"]"#),
            [
                ("anthropic.claude-v2", Code, false, None),
                ("x", Code, false, None)
            ]
        );
        assert_eq!(spans(r#""alone""#), [("alone", Code, false, None)]);
    }

    #[test]
    fn escapes_stay_as_written_and_key_names_are_unescaped() {
        let source = r#"{"model\u005fid": "\nanthropic.claude-v2\"", "a\"b": ["\\"]}"#;
        assert_eq!(
            spans(source),
            [
                ("model\\u005fid", Code, true, None),
                ("\\nanthropic.claude-v2\\\"", Code, false, name("model_id")),
                ("a\\\"b", Code, true, None),
                ("\\\\", Code, false, name("a\"b")),
            ]
        );
    }

    #[test]
    fn comments_in_jsonc() {
        let source = "// model: anthropic.claude-v2\n{\n  /* block\n */ \"k\": \"v\" // tail\n}\n";
        assert_eq!(
            spans(source),
            [
                ("// model: anthropic.claude-v2", Comment, false, None),
                ("/* block\n */", Comment, false, None),
                ("k", Code, true, None),
                ("v", Code, false, name("k")),
                ("// tail", Comment, false, None),
            ]
        );
    }

    #[test]
    fn a_comment_inside_an_unterminated_string_is_not_a_second_span() {
        // Found by tests/fuzz.rs: the recovered string held the comment and the comment
        // was a span of its own, so the reference was reported twice and its two fixes
        // overlapped.
        let source = "\",\n/*meta.llama2-13b-v1*/";
        let extraction = extract(source);
        assert!(extraction.syntax_error.is_some());
        assert_eq!(texts(source), [",\n/*meta.llama2-13b-v1*/"]);
        assert!(
            extraction
                .spans
                .windows(2)
                .all(|w| w[0].range.end <= w[1].range.start)
        );
    }

    #[test]
    fn crlf_source() {
        let source = "{\r\n  \"ModelId\": \"anthropic.claude-v2\", // c\r\n  \"x\": [\r\n    \"y\"\r\n  ]\r\n}\r\n";
        assert_eq!(
            spans(source),
            [
                ("ModelId", Code, true, None),
                ("anthropic.claude-v2", Code, false, name("ModelId")),
                ("// c", Comment, false, None),
                ("x", Code, true, None),
                ("y", Code, false, name("x")),
            ]
        );
    }

    #[test]
    fn byte_offsets_after_non_ascii_text() {
        let source = "{\"größe 🚀\": \"x\", \"ü\": \"anthropic.claude-v2\"}";
        let extraction = extract(source);
        let start = source.find("anthropic").unwrap();
        assert_eq!(
            extraction.spans[3].range,
            start..start + "anthropic.claude-v2".len()
        );
        assert_eq!(extraction.spans[3].key_name, name("ü"));
        assert_eq!(&source[extraction.spans[0].range.clone()], "größe 🚀");
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let source = "{\n  \"a\": \"anthropic.claude-v2\",\n  \"b\": [1, }\n";
        let extraction = extract(source);
        let error = extraction.syntax_error.expect("syntax error");
        // tree-sitter recovers by skipping from the comma that led to the broken pair.
        assert_eq!((error.line, error.column), (2, 29));
        assert_eq!(error.message, "syntax error");
        assert!(texts(source).contains(&"anthropic.claude-v2"));

        // Byte 9, but character column 9 (1-based): `é` is two bytes.
        let error = extract("[\"é\", 1 2]").syntax_error.expect("error");
        assert_eq!((error.line, error.column), (1, 9));

        let extraction = extract("{\"a\": \"unterminated}\n");
        assert!(extraction.syntax_error.is_some());
    }

    #[test]
    fn trailing_commas_are_accepted_as_in_jsonc() {
        let source = "{\"a\": [1, \"x\", /* c */ ], \"b\": {\"c\": \"y\",\n},}\n";
        assert_eq!(extract(source).syntax_error, None);
        assert_eq!(texts(source), ["a", "x", "/* c */", "b", "c", "y"]);
        for broken in ["[,]", "{,}", "[1,,]", "{\"a\": 1,, }", "[1, 2,"] {
            assert!(extract(broken).syntax_error.is_some(), "{broken}");
        }
    }

    #[test]
    fn empty_and_blank_files() {
        assert_eq!(extract(""), Extraction::default());
        assert_eq!(extract(" \n\r\n"), Extraction::default());
        assert_eq!(spans("{}"), []);
    }

    #[test]
    fn minified_one_line_file() {
        let source = r#"{"a":{"ModelId":"anthropic.claude-v2","List":["meta.llama2-13b-chat-v1","x"]},"b":"y"}"#;
        assert_eq!(
            spans(source),
            [
                ("a", Code, true, None),
                ("ModelId", Code, true, None),
                ("anthropic.claude-v2", Code, false, name("ModelId")),
                ("List", Code, true, None),
                ("meta.llama2-13b-chat-v1", Code, false, name("List")),
                ("x", Code, false, name("List")),
                ("b", Code, true, None),
                ("y", Code, false, name("b")),
            ]
        );
    }

    #[test]
    fn tricky_strings_that_look_like_structure() {
        // Braces, brackets, colons, comment markers and quotes inside strings are text.
        let source =
            r#"{"k": "{\"ModelId\": [1]} // not a comment /* nor this */", "u": "\u0022"}"#;
        assert_eq!(
            spans(source),
            [
                ("k", Code, true, None),
                (
                    r#"{\"ModelId\": [1]} // not a comment /* nor this */"#,
                    Code,
                    false,
                    name("k")
                ),
                ("u", Code, true, None),
                ("\\u0022", Code, false, name("u")),
            ]
        );
    }

    #[test]
    fn deeply_nested_and_large_input() {
        let deep = format!(
            "{}\"deep\"{}",
            "{\"k\": [".repeat(20_000),
            "]}".repeat(20_000)
        );
        let extraction = extract(&deep);
        let last = extraction
            .spans
            .iter()
            .find(|s| &deep[s.range.clone()] == "deep")
            .expect("deep string");
        assert_eq!(last.key_name, name("k"));

        let item = r#"{"ModelId": "anthropic.claude-v2", "n": [1, "x"]},"#;
        let large = format!("[{}{{}}]", item.repeat(20_000));
        assert_large(&extract(&large), 80_000);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in [
            "\"",
            "{\"",
            "[\"a\\",
            "}",
            "\0",
            "{\"a\": \"\\u12\"}",
            "/*",
            "//",
        ] {
            assert_in_bounds(input, &extract(input));
        }
    }
}
