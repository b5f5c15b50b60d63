//! INI-style extractor: `.ini`, `.cfg` and Java `.properties` files.
//!
//! The extractor is handed only the text (one [`super::Language::Ini`] covers the three
//! extensions), so it picks the dialect from the text: a file with a `[section]` header or
//! a `;` comment line is INI; anything else is read as a properties file. A
//! `.properties` file has neither (a line starting with `[` or `;` would be a key there);
//! an INI file without sections and without `;` comments is a list of `key = value` lines,
//! which both dialects read alike.
//!
//! **Properties: tree-sitter-properties.** It implements the `java.util.Properties` format
//! (`=`, `:` or whitespace between key and value, `#` and `!` comments, backslash escapes and
//! line continuations) plus `${…}` substitutions as nodes, and recovers from errors.
//!
//! **INI: a line reader written here, on purpose.** INI has no standard; the `.ini` and
//! `.cfg` files in a code base are overwhelmingly read by Python's `configparser`
//! (`setup.cfg`, `tox.ini`, `.flake8`, `pytest.ini`, `alembic.ini`, `mypy.ini`) or are
//! Windows-style `key=value` files, which are a subset of it. tree-sitter-ini 1.4 builds
//! with our tree-sitter but rejects two things `configparser` accepts by default and that
//! are common in those files: `key: value` (`:` as the delimiter) and values continued on
//! indented lines (`install_requires =` followed by one requirement per line) — each gives
//! an `ERROR` node, which would mark ordinary files as broken and leave their fixes
//! review-only. The INI crates on crates.io (`rust-ini`, `configparser`, `ini_core`) either
//! give no byte positions or accept only `=` and no continuation lines. So this module reads
//! the `configparser` default syntax itself, line by line:
//! - a line whose first non-blank character is `#` or `;` is a comment (there are no inline
//!   comments, as in `configparser`'s default: `a = b ; c` has the value `b ; c`);
//! - `[name]` starts a section (text after the last `]` is ignored, as `configparser`
//!   does; a comment there is still a comment span);
//! - `name = value` or `name: value` — split at the first `=` or `:` — is a setting;
//! - a line indented deeper than the setting line before it continues that setting's
//!   value (blank and comment lines in between do not end it);
//! - a line with no delimiter is a setting without a value (`allow_no_value`).
//!
//! Errors: a `[` without its `]`, and a delimiter with no name before it.
//!
//! What becomes a [`Span`], in both dialects:
//! - each value line, trimmed of surrounding whitespace and then of one pair of matching
//!   surrounding quotes (`"…"` or `'…'`), as [`SpanContext::Code`] with `key_name` set to the
//!   setting's name; each continuation line of a value is a span of its own. An empty value
//!   gives no span;
//! - setting names (and INI section names) as key spans: a file keyed by model ID
//!   (`[anthropic.claude-v2]`, `price.anthropic.claude-v2 = 3`) must not get two equal keys.
//!   A setting's mapping is its section (identified by the section header's range), a
//!   section name's the whole file, as is a `.properties` key's;
//! - comments as [`SpanContext::Comment`];
//! - in properties values, each `${…}` substitution is a hole, and its default
//!   (`${name:default}`, Spring style) is a span of its own inside the hole. Escapes stay
//!   as written: an ID whose colon is written `\:` (as `Properties.store` does) is not
//!   read as that ID, and is reported as incomplete rather than rewritten.

use std::cell::RefCell;
use std::ops::Range;

use tree_sitter::{Language, Node, Parser};

use super::treesitter::{comment_span, failed, finish, for_each_node, node_text, parse};
use super::{Extraction, Mapping, Span, SpanContext, SyntaxError, line_col};

thread_local! {
    /// This thread's properties parser, created on first use and reused for every file the
    /// thread reads (see the Python extractor for why parsers are per thread).
    static PROPERTIES: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Extract the value, key and comment spans of an INI, `.cfg` or `.properties` file.
///
/// Spans are sorted by start; a span for a substitution default lies inside that hole of
/// the enclosing value span, otherwise spans do not overlap. Never panics.
pub fn extract(source: &str) -> Extraction {
    if is_ini(source) {
        extract_ini(source)
    } else {
        extract_properties(source)
    }
}

/// Whether `source` is in the INI dialect: some line starts (after blanks) with `[` or `;`.
fn is_ini(source: &str) -> bool {
    source
        .lines()
        .any(|line| matches!(line.trim_start().as_bytes().first(), Some(b'[' | b';')))
}

/// A span of `range` with no holes.
fn span(
    range: Range<usize>,
    context: SpanContext,
    key: Option<Mapping>,
    key_name: Option<String>,
) -> Span {
    Span {
        key,
        key_name,
        ..Span::plain(range, context)
    }
}

/// `range` of `source` without surrounding whitespace, then without one pair of matching
/// surrounding quotes.
fn value_range(source: &str, range: Range<usize>) -> Range<usize> {
    let text = &source[range.clone()];
    let start = range.start + (text.len() - text.trim_start().len());
    let end = range.end - (text.len() - text.trim_end().len());
    let trimmed = source.as_bytes().get(start..end).unwrap_or_default();
    match trimmed {
        [open @ (b'"' | b'\''), .., close] if open == close => start + 1..end - 1,
        _ => start..end.max(start),
    }
}

/// The INI (`configparser`) dialect, read line by line.
fn extract_ini(source: &str) -> Extraction {
    let mut spans = Vec::new();
    let mut error: Option<SyntaxError> = None;
    let mut report = |offset: usize, message: &str| {
        if error.is_none() {
            let (line, column) = line_col(source, offset);
            error = Some(SyntaxError {
                line,
                column,
                message: message.to_owned(),
            });
        }
    };
    // The setting whose value continues on deeper-indented lines: (name, indentation).
    let mut setting: Option<(String, usize)> = None;
    // The mapping of setting names: the current section, by its header's range.
    let file = Mapping::At(0..source.len());
    let mut section = file.clone();
    let mut line_start = 0;
    while line_start < source.len() {
        let line_end = memchr::memchr(b'\n', &source.as_bytes()[line_start..])
            .map_or(source.len(), |i| line_start + i);
        let line = source[line_start..line_end].trim_end_matches('\r');
        let next = line_end + 1;
        let indent = line.len() - line.trim_start().len();
        let rest = &line[indent..];
        let at = line_start + indent;
        let end = line_start + line.len();
        line_start = next;
        if rest.trim().is_empty() {
            continue;
        }
        if rest.starts_with(['#', ';']) {
            spans.push(span(at..end, SpanContext::Comment, None, None));
            continue;
        }
        if let Some((name, setting_indent)) = &setting
            && indent > *setting_indent
        {
            let range = value_range(source, at..end);
            if !range.is_empty() {
                spans.push(span(range, SpanContext::Code, None, Some(name.clone())));
            }
            continue;
        }
        setting = None;
        if rest.starts_with('[') {
            let Some(close) = rest.rfind(']') else {
                report(at, "missing `]` after the section name");
                continue;
            };
            let name = value_range(source, at + 1..at + close);
            spans.push(span(name, SpanContext::Code, Some(file.clone()), None));
            section = Mapping::At(at..at + close + 1);
            let after = &rest[close + 1..];
            let comment = after.trim_start();
            if comment.starts_with(['#', ';']) {
                let start = end - comment.len();
                spans.push(span(start..end, SpanContext::Comment, None, None));
            }
            continue;
        }
        let delimiter = rest.find(['=', ':']);
        let name_end = at + delimiter.unwrap_or(rest.len());
        let name = source[at..name_end].trim_end();
        if name.is_empty() {
            report(at, "setting without a name");
            continue;
        }
        spans.push(span(
            at..at + name.len(),
            SpanContext::Code,
            Some(section.clone()),
            None,
        ));
        let Some(delimiter) = delimiter else {
            continue;
        };
        let range = value_range(source, at + delimiter + 1..end);
        if !range.is_empty() {
            spans.push(span(range, SpanContext::Code, None, Some(name.to_owned())));
        }
        setting = Some((name.to_owned(), indent));
    }
    Extraction {
        spans,
        syntax_error: error,
    }
}

/// The properties dialect, with tree-sitter-properties.
fn extract_properties(source: &str) -> Extraction {
    let tree = match parse(&PROPERTIES, properties_grammar, "properties", source) {
        Ok(tree) => tree,
        Err(error) => return failed(source, error),
    };
    let root = tree.root_node();
    let mut spans = Vec::new();
    for_each_node(root, |node| match node.kind() {
        "comment" => spans.push(comment_span(node, SpanContext::Comment, source)),
        "property" => property_spans(node, source, &mut spans),
        _ => {}
    });
    finish(spans, root, source)
}

/// The properties grammar.
fn properties_grammar() -> Language {
    tree_sitter_properties::LANGUAGE.into()
}

/// The spans of one `property`: its key, its value with substitutions as holes, and the
/// defaults inside those substitutions.
fn property_spans(property: Node, source: &str, spans: &mut Vec<Span>) {
    let mut cursor = property.walk();
    let children: Vec<Node> = property.named_children(&mut cursor).collect();
    let Some(key) = children.iter().find(|child| child.kind() == "key") else {
        return;
    };
    let file = Mapping::At(0..source.len());
    spans.push(span(key.byte_range(), SpanContext::Code, Some(file), None));
    let Some(value) = children.iter().find(|child| child.kind() == "value") else {
        return;
    };
    let name = unescape_key(node_text(*key, source));
    // (range of a value or default, the node whose `substitution` children are its holes)
    let mut pending = vec![(value_range(source, value.byte_range()), *value)];
    while let Some((range, owner)) = pending.pop() {
        let mut holes = Vec::new();
        for child in owner.named_children(&mut owner.walk()) {
            if child.kind() != "substitution" || child.start_byte() < range.start {
                continue;
            }
            holes.push(child.byte_range());
            if let Some(default) = substitution_default(child) {
                pending.push((default, child));
            }
        }
        if !range.is_empty() {
            spans.push(Span {
                range,
                context: SpanContext::Code,
                holes,
                key: None,
                key_name: Some(name.clone()),
            });
        }
    }
}

/// The range of the default in `${name:default}`: from after the `:` to the closing `}`.
fn substitution_default(substitution: Node) -> Option<Range<usize>> {
    let mut cursor = substitution.walk();
    let children: Vec<Node> = substitution.children(&mut cursor).collect();
    let colon = children.iter().find(|c| !c.is_named() && c.kind() == ":")?;
    let close = children
        .iter()
        .rev()
        .find(|c| !c.is_named() && c.kind() == "}")?;
    (colon.end_byte() < close.start_byte()).then(|| colon.end_byte()..close.start_byte())
}

/// A properties key with its backslash escapes of single characters undone (`\:` → `:`);
/// `\uXXXX` is kept as written. Only used for key names, which are hints.
fn unescape_key(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(&next)) if next != 'u' => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{self, assert_in_bounds, assert_large, n};
    use super::*;
    use SpanContext::{Code, Comment};

    /// Text, context, key flag and key name of every span; the file must parse cleanly.
    fn spans(source: &str) -> Vec<(&str, SpanContext, bool, Option<String>)> {
        test_support::rows(source, &extract(source))
    }

    #[test]
    fn dialect_is_chosen_from_the_text() {
        assert!(is_ini("[bedrock]\nmodel = x\n"));
        assert!(is_ini("; comment\nmodel = x\n"));
        assert!(is_ini("a = 1\n  [b]\n"));
        assert!(!is_ini("spring.ai.model=x\n# c\n! c\n"));
        assert!(!is_ini(""));
    }

    #[test]
    fn settings_are_keys_of_their_section_and_sections_of_the_file() {
        let source = "[a]\nk = 1\n[b]\nk = 2\n";
        assert_eq!(
            test_support::keys(source, &extract(source)),
            [
                ("a", source.to_string()),
                ("k", "[a]".to_string()),
                ("b", source.to_string()),
                ("k", "[b]".to_string()),
            ]
        );
        let source = "k=1\nk2=2\n";
        assert_eq!(
            test_support::keys(source, &extract(source)),
            [("k", source.to_string()), ("k2", source.to_string())]
        );
    }

    #[test]
    fn ini_sections_settings_and_comments() {
        let source = "; top\n[bedrock]\nmodel_id = anthropic.claude-v2\nfallback: \"meta.llama2-13b-chat-v1\"  \n# note\nempty =\nflag\n";
        assert_eq!(
            spans(source),
            [
                ("; top", Comment, false, None),
                ("bedrock", Code, true, None),
                ("model_id", Code, true, None),
                ("anthropic.claude-v2", Code, false, n("model_id")),
                ("fallback", Code, true, None),
                ("meta.llama2-13b-chat-v1", Code, false, n("fallback")),
                ("# note", Comment, false, None),
                ("empty", Code, true, None),
                ("flag", Code, true, None),
            ]
        );
        let start = source.find("anthropic").unwrap();
        assert_eq!(
            extract(source).spans[3].range,
            start..start + "anthropic.claude-v2".len()
        );
    }

    #[test]
    fn ini_continuation_lines_are_values_of_their_setting() {
        let source = "[options]\nmodels =\n    anthropic.claude-v2\n\n    # not a value\n    'meta.llama2-13b-chat-v1'\nnext = 1\n  x = y\n";
        assert_eq!(
            spans(source),
            [
                ("options", Code, true, None),
                ("models", Code, true, None),
                ("anthropic.claude-v2", Code, false, n("models")),
                ("# not a value", Comment, false, None),
                ("meta.llama2-13b-chat-v1", Code, false, n("models")),
                ("next", Code, true, None),
                ("1", Code, false, n("next")),
                ("x = y", Code, false, n("next")),
            ]
        );
    }

    #[test]
    fn ini_splits_at_the_first_delimiter_and_has_no_inline_comments() {
        // As configparser reads it: the first `=` or `:` ends the name.
        let source =
            "[m]\nurl = https://x:8080/a=b ; kept\nus.anthropic.claude-v2:1 = p\n[a] ; why\n";
        assert_eq!(
            spans(source),
            [
                ("m", Code, true, None),
                ("url", Code, true, None),
                ("https://x:8080/a=b ; kept", Code, false, n("url")),
                ("us.anthropic.claude-v2", Code, true, None),
                ("1 = p", Code, false, n("us.anthropic.claude-v2")),
                ("a", Code, true, None),
                ("; why", Comment, false, None),
            ]
        );
    }

    #[test]
    fn ini_crlf_and_tabs() {
        let source = "[s]\r\n\tmodel\t=\t'anthropic.claude-v2'\t\r\n; c\r\nlist =\r\n\tx\r\n";
        assert_eq!(
            spans(source),
            [
                ("s", Code, true, None),
                ("model", Code, true, None),
                ("anthropic.claude-v2", Code, false, n("model")),
                ("; c", Comment, false, None),
                ("list", Code, true, None),
                ("x", Code, false, n("list")),
            ]
        );
    }

    #[test]
    fn ini_mismatched_quotes_are_kept() {
        let source = "[s]\na = \"x'\nb = \"\nc = \"\"\n";
        let values: Vec<_> = spans(source)
            .into_iter()
            .filter(|s| !s.2)
            .map(|s| s.0)
            .collect();
        assert_eq!(values, ["\"x'", "\""]);
    }

    #[test]
    fn ini_syntax_errors() {
        let source = "[ok]\nmodel = anthropic.claude-v2\n[broken\n= 1\n";
        let extraction = extract(source);
        let error = extraction.syntax_error.expect("error");
        assert_eq!((error.line, error.column), (3, 1));
        assert_eq!(error.message, "missing `]` after the section name");
        assert!(
            extraction
                .spans
                .iter()
                .any(|s| &source[s.range.clone()] == "anthropic.claude-v2")
        );
        let error = extract("[é]\n  ü = 1\n  : 2\n")
            .syntax_error
            .expect("error");
        assert_eq!(
            (error.line, error.column, &*error.message),
            (3, 3, "setting without a name")
        );
    }

    #[test]
    fn ini_byte_offsets_after_non_ascii_text() {
        let source = "; Größe 🚀\n[sèction]\nnäme = anthropic.claude-v2\n";
        let extraction = extract(source);
        let start = source.find("anthropic").unwrap();
        assert_eq!(
            extraction.spans[3].range,
            start..start + "anthropic.claude-v2".len()
        );
        assert_eq!(extraction.spans[3].key_name, n("näme"));
    }

    #[test]
    fn ini_no_trailing_newline() {
        assert_eq!(
            spans("[s]\nm = x"),
            [
                ("s", Code, true, None),
                ("m", Code, true, None),
                ("x", Code, false, n("m"))
            ]
        );
    }

    #[test]
    fn properties_separators_comments_and_quotes() {
        let source = "# c\n! bang\nspring.ai.bedrock.converse.chat.options.model=anthropic.claude-v2\nkey2 : \"quoted value\"  \nkey3 value with spaces\nempty=\n";
        assert_eq!(
            spans(source),
            [
                ("# c", Comment, false, None),
                ("! bang", Comment, false, None),
                (
                    "spring.ai.bedrock.converse.chat.options.model",
                    Code,
                    true,
                    None
                ),
                (
                    "anthropic.claude-v2",
                    Code,
                    false,
                    n("spring.ai.bedrock.converse.chat.options.model")
                ),
                ("key2", Code, true, None),
                ("quoted value", Code, false, n("key2")),
                ("key3", Code, true, None),
                ("value with spaces", Code, false, n("key3")),
                ("empty", Code, true, None),
            ]
        );
    }

    #[test]
    fn properties_substitutions_are_holes_with_their_defaults_as_spans() {
        let source =
            "m=${BEDROCK_MODEL:${FALLBACK:anthropic.claude-v2}}\nn = ${geo}.anthropic.claude-v2\n";
        let extraction = extract(source);
        assert_eq!(extraction.syntax_error, None);
        let view: Vec<(&str, Vec<&str>)> = extraction
            .spans
            .iter()
            .filter(|s| s.key.is_none())
            .map(|s| {
                (
                    &source[s.range.clone()],
                    s.holes.iter().map(|h| &source[h.clone()]).collect(),
                )
            })
            .collect();
        assert_eq!(
            view,
            [
                (
                    "${BEDROCK_MODEL:${FALLBACK:anthropic.claude-v2}}",
                    vec!["${BEDROCK_MODEL:${FALLBACK:anthropic.claude-v2}}"]
                ),
                (
                    "${FALLBACK:anthropic.claude-v2}",
                    vec!["${FALLBACK:anthropic.claude-v2}"]
                ),
                ("anthropic.claude-v2", vec![]),
                ("${geo}.anthropic.claude-v2", vec!["${geo}"]),
            ]
        );
        assert!(
            extraction
                .spans
                .iter()
                .all(|s| s.key.is_some() || s.key_name == n("m") || s.key_name == n("n"))
        );
    }

    #[test]
    fn properties_escapes_continuations_and_crlf() {
        let source = "key\\:with\\ space = val\r\nlist = a,\\\r\n   anthropic.claude-v2\r\n# x\r\n";
        assert_eq!(
            spans(source),
            [
                ("key\\:with\\ space", Code, true, None),
                ("val", Code, false, n("key:with space")),
                ("list", Code, true, None),
                ("a,\\\r\n   anthropic.claude-v2", Code, false, n("list")),
                ("# x", Comment, false, None),
            ]
        );
    }

    #[test]
    fn properties_byte_offsets_after_non_ascii_text() {
        let source = "# Größe 🚀\nnäme=anthropic.claude-v2";
        let extraction = extract(source);
        let start = source.find("anthropic").unwrap();
        assert_eq!(
            extraction.spans[2].range,
            start..start + "anthropic.claude-v2".len()
        );
    }

    #[test]
    fn empty_and_blank_files() {
        assert_eq!(extract(""), Extraction::default());
        assert_eq!(extract("\n  \r\n"), Extraction::default());
        assert_eq!(spans("[s]\n"), [("s", Code, true, None)]);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in [
            "[", "]", "=", ":", "\\", "${", "a=${", "a=${b:", "\"", "[s]\n\"", "\0", "[s]\n  x",
        ] {
            assert_in_bounds(input, &extract(input));
        }
    }

    #[test]
    fn large_input() {
        let large = format!(
            "[s]\n{}",
            "model = anthropic.claude-v2 ; x\n".repeat(20_000)
        );
        let extraction = extract(&large);
        assert_eq!(extraction.syntax_error, None);
        assert_eq!(extraction.spans.len(), 40_001);
        let large = "m=${A:anthropic.claude-v2}\n".repeat(20_000);
        assert_large(&extract(&large), 60_000);
    }
}
