//! TOML extractor (`.toml`), built on `toml_parser`, the lexer and parser under the `toml`
//! crate this tool already uses to read its own rules and configuration files.
//!
//! Why `toml_parser` rather than tree-sitter-toml-ng: it implements TOML 1.1 (the
//! tree-sitter grammar follows 1.0, and a syntax tree cannot see duplicate keys or tables),
//! it is already in the dependency tree, and it emits a flat stream of events — key, `=`, string, comment,
//! array open … — each with its exact byte span and, for strings, its quoting style. The
//! contents of a string are its span less the delimiters (`"`, `'`, `"""`, `'''`), with no
//! tree to walk. Its parser recurses on nested arrays and inline tables, so it runs behind
//! `toml_parser`'s recursion guard with the depth limit the `toml` crate uses. Whether the
//! file is valid is decided by the `toml` crate's full reader (`DeTable::parse`): string
//! escapes, dates, and duplicate keys and tables too, so that a rewrite which made two
//! quoted keys equal is caught when the rewritten file is read back.
//!
//! What becomes a [`Span`]:
//! - every string value — basic, literal, multi-line basic, multi-line literal — as
//!   [`SpanContext::Code`] over its contents between the delimiters, exactly as written
//!   (escapes stay escaped; a multi-line string's contents start right after `"""`, with
//!   the newline TOML trims);
//! - its `key_name` is the dotted key of the key/value pair that holds it, decoded
//!   (`bedrock.model_id = "…"` → `bedrock.model_id`; inside an inline table the inner key:
//!   `model = { id = "…" }` → `id`); strings in an array take the array's key. Table
//!   headers do not prefix the name;
//! - a quoted key segment, in a key/value pair or a table header, as a key span over its
//!   contents, whose mapping is the table it adds a key to ([`Mapping::Table`], by path:
//!   `[models."anthropic.claude-v2"]` adds to `models`, `a."k" = 1` under `[t]` to `t.a`;
//!   an element of an array of tables and an inline table are each a table of their own).
//!   A bare key cannot hold a model ID (it allows only letters, digits, `_` and `-`; a `.`
//!   separates segments) and gives no span;
//! - each comment (`# …`) as [`SpanContext::Comment`].

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use toml_parser::decoder::Encoding;
use toml_parser::parser::{Event, EventKind, RecursionGuard};

use super::{Extraction, Mapping, Span, SpanContext, SyntaxError, line_col};

/// Nesting depth of arrays and inline tables beyond which parsing stops, as in the `toml`
/// crate (which reports such a file as an error).
const DEPTH_LIMIT: u32 = 80;

/// Extract the string, quoted-key and comment spans of a TOML file.
///
/// Spans are sorted by start and never overlap. Never panics: the parser recovers from
/// errors, so a file that is not valid TOML still yields what could be read, with
/// `syntax_error` set to the first error.
pub fn extract(source: &str) -> Extraction {
    let input = toml_parser::Source::new(source);
    let tokens = input.lex().into_vec();
    let mut events: Vec<Event> = Vec::with_capacity(tokens.len());
    let mut guarded = RecursionGuard::new(&mut events, DEPTH_LIMIT);
    toml_parser::parser::parse_document(&tokens, &mut guarded, &mut ());
    let syntax_error = first_error(source);
    if let Some(error) = &syntax_error
        && error.message.contains("recursion")
    {
        // Nested deeper than the parsers go (valid TOML all the same): what lies deeper
        // was not read, so the whole text is searched, and every rewrite is review.
        let message =
            format!("nested more than {DEPTH_LIMIT} arrays or inline tables deep; read as text");
        return super::failed(
            source,
            SyntaxError {
                message,
                ..error.clone()
            },
        );
    }
    Extraction {
        spans: spans(source, input, &events),
        syntax_error,
    }
}

/// The spans of the events of `source`, in file order.
fn spans(source: &str, input: toml_parser::Source, events: &[Event]) -> Vec<Span> {
    let mut spans = Vec::new();
    // The decoded segments of the key being read.
    let mut key: Vec<String> = Vec::new();
    // The key that scalars belong to: the last entry is the current one; arrays and inline
    // tables push a copy on open and pop it on close, so an inline table's own keys do not
    // outlive it.
    let mut names: Vec<Option<String>> = vec![None];
    // Which table the keys being read add to (see `Mapping::Table`): the table of the last
    // header, with a `#N` segment after each array of tables for its last element; inside
    // inline tables, a path of their own per inline table, innermost last.
    let mut table: Vec<String> = Vec::new();
    let mut inline: Vec<Vec<String>> = Vec::new();
    // The open header, if one is being read: the offset of its `[[` for an array of tables.
    let mut header: Option<Option<usize>> = None;
    // The offset of the last `[[…]]` header of each array of tables, by its plain path.
    let mut arrays: HashMap<Vec<String>, usize> = HashMap::new();
    for event in events {
        let range = event.span().start()..event.span().end();
        match event.kind() {
            EventKind::SimpleKey => {
                if let Some(encoding) = event.encoding() {
                    let mapping = match (inline.last(), header) {
                        (Some(base), _) => [base.as_slice(), &key].concat(),
                        (None, Some(_)) => table_path(&key, &arrays),
                        (None, None) => [table.as_slice(), &key].concat(),
                    };
                    let key = Some(Mapping::Table(mapping));
                    spans.push(string_span(source, range, encoding, key, None));
                }
                key.push(decode_key(input, event));
            }
            EventKind::KeyValSep => {
                if let Some(name) = names.last_mut() {
                    *name = Some(key.join("."));
                }
                key.clear();
            }
            EventKind::StdTableOpen => header = Some(None),
            EventKind::ArrayTableOpen => header = Some(Some(range.start)),
            EventKind::StdTableClose | EventKind::ArrayTableClose => {
                if let Some(Some(offset)) = header {
                    arrays.insert(key.clone(), offset);
                }
                table = table_path(&key, &arrays);
                header = None;
                key.clear();
            }
            EventKind::InlineTableOpen => {
                inline.push(vec![format!("{{{}", range.start)]);
                names.push(names.last().cloned().flatten());
            }
            EventKind::InlineTableClose => {
                inline.pop();
                if names.len() > 1 {
                    names.pop();
                }
            }
            EventKind::Scalar => {
                if let Some(encoding) = event.encoding() {
                    let name = names.last().cloned().flatten();
                    spans.push(string_span(source, range, encoding, None, name));
                }
            }
            EventKind::ArrayOpen => {
                names.push(names.last().cloned().flatten());
            }
            EventKind::ArrayClose if names.len() > 1 => {
                names.pop();
            }
            EventKind::Comment => spans.push(Span::plain(range, SpanContext::Comment)),
            _ => {}
        }
    }
    spans.sort_by_key(|span| span.range.start);
    spans
}

/// The path of the table that a header's keys `path` name, each array of tables on the way
/// followed by a `#N` segment for its last element (`N`: the offset of its last header).
fn table_path(path: &[String], arrays: &HashMap<Vec<String>, usize>) -> Vec<String> {
    let mut resolved = Vec::with_capacity(path.len());
    for (i, segment) in path.iter().enumerate() {
        resolved.push(segment.clone());
        if let Some(offset) = arrays.get(&path[..=i]) {
            resolved.push(format!("#{offset}"));
        }
    }
    resolved
}

/// The span of a string (value or quoted key) written at `range`: its contents without
/// the delimiters. An unterminated string (an error) runs to the end of its token.
fn string_span(
    source: &str,
    range: Range<usize>,
    encoding: Encoding,
    key: Option<Mapping>,
    key_name: Option<String>,
) -> Span {
    let delimiter = match encoding {
        Encoding::BasicString => "\"",
        Encoding::LiteralString => "'",
        Encoding::MlBasicString => "\"\"\"",
        Encoding::MlLiteralString => "'''",
    };
    let text = source.get(range.clone()).unwrap_or_default();
    let start = if text.starts_with(delimiter) {
        range.start + delimiter.len()
    } else {
        range.start
    };
    let end = if text.len() >= 2 * delimiter.len() && text.ends_with(delimiter) {
        range.end - delimiter.len()
    } else {
        range.end
    };
    Span {
        key,
        key_name,
        ..Span::plain(start..end.max(start), SpanContext::Code)
    }
}

/// The decoded text of one key segment (as written if it cannot be decoded).
fn decode_key(input: toml_parser::Source, event: &Event) -> String {
    let Some(raw) = input.get(event) else {
        return String::new();
    };
    let mut decoded: Cow<str> = Cow::Borrowed("");
    raw.decode_key(&mut decoded, &mut ());
    decoded.into_owned()
}

/// The first error the `toml` crate reports for `source`, at its line and column.
fn first_error(source: &str) -> Option<SyntaxError> {
    let error = ::toml::de::DeTable::parse(source).err()?;
    let offset = error.span().map_or(0, |span| span.start);
    let (line, column) = line_col(source, offset);
    Some(SyntaxError {
        line,
        column,
        message: error.message().trim().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{self, assert_in_bounds, assert_large, n};
    use super::*;
    use SpanContext::{Code, Comment};

    /// A TOML array nested 90 deep (valid: Python's tomllib reads it) used to hide its ID:
    /// the parser stops at 80 levels. Now the whole text is searched.
    #[test]
    fn an_array_nested_deeper_than_the_parser_goes_is_searched_as_text() {
        let source = format!(
            "x = {}\"anthropic.claude-v2\"{}\n",
            "[".repeat(90),
            "]".repeat(90)
        );
        let extraction = extract(&source);
        let error = extraction.syntax_error.expect("reported");
        assert!(error.message.starts_with("nested more than 80"), "{error}");
        assert_eq!(extraction.spans.len(), 1);
        assert_eq!(extraction.spans[0].range, 0..source.len());
    }

    /// Text, context, key flag and key name of every span; the file must be valid.
    fn spans(source: &str) -> Vec<(&str, SpanContext, bool, Option<String>)> {
        test_support::rows(source, &extract(source))
    }

    #[test]
    fn quoted_keys_name_the_table_they_add_to() {
        let source = "\"k\" = 1\n[t]\n\"k\" = 2\na.\"k\" = 3\nx = { \"k\" = 4 }\n\
                      [models.\"k\"]\n[[runs]]\n\"k\" = 5\n[[runs]]\n\"k\" = 6\n[runs.\"k\"]\n";
        let runs = |n: usize| source.match_indices("[[runs]]").nth(n).unwrap().0;
        let inline = source.find('{').unwrap();
        let keys: Vec<(&str, String)> = test_support::keys(source, &extract(source));
        assert_eq!(
            keys,
            [
                ("k", "[]".to_string()),
                ("k", "t".to_string()),
                ("k", "t.a".to_string()),
                ("k", format!("{{{inline}")),
                ("k", "models".to_string()),
                ("k", format!("runs.#{}", runs(0))),
                ("k", format!("runs.#{}", runs(1))),
                ("k", format!("runs.#{}", runs(1))),
            ]
        );
    }

    #[test]
    fn string_kinds_and_exact_ranges() {
        let source = "a = \"anthropic.claude-v2\"\nb = 'lit\\eral'\nc = \"\"\"\nml \"q\" \"\"\"\nd = '''raw'''\ne = \"\"\nf = 1\n";
        assert_eq!(
            spans(source),
            [
                ("anthropic.claude-v2", Code, false, n("a")),
                ("lit\\eral", Code, false, n("b")),
                ("\nml \"q\" ", Code, false, n("c")),
                ("raw", Code, false, n("d")),
                ("", Code, false, n("e")),
            ]
        );
        let start = source.find("anthropic").unwrap();
        assert_eq!(
            extract(source).spans[0].range,
            start..start + "anthropic.claude-v2".len()
        );
        let empty = source.find("e = \"\"").unwrap() + 5;
        assert_eq!(extract(source).spans[4].range, empty..empty);
    }

    #[test]
    fn quotes_just_inside_multi_line_delimiters() {
        // Up to two quotes may end a multi-line string's contents before its delimiter.
        let source = "a = \"\"\"x\"\"\"\"\"\nb = '''y'''''\n";
        let texts: Vec<_> = spans(source).into_iter().map(|s| s.0).collect();
        assert_eq!(texts, ["x\"\"", "y''"]);
    }

    #[test]
    fn dotted_quoted_and_inline_keys() {
        let source = "[bedrock.\"models\"]\nmodel.id = \"x\"\n\"anthropic.claude-v2\".price = \"y\"\nm = { id = \"z\", t.u = [\"w\", { k = \"v\" }] }\nafter = \"q\"\n";
        assert_eq!(
            spans(source),
            [
                ("models", Code, true, None),
                ("x", Code, false, n("model.id")),
                ("anthropic.claude-v2", Code, true, None),
                ("y", Code, false, n("anthropic.claude-v2.price")),
                ("z", Code, false, n("id")),
                ("w", Code, false, n("t.u")),
                ("v", Code, false, n("k")),
                ("q", Code, false, n("after")),
            ]
        );
    }

    #[test]
    fn arrays_and_array_tables() {
        let source = "[[agents]]\nmodels = [\n  \"anthropic.claude-v2\", # old\n  'meta.llama2-13b-chat-v1',\n]\n['quoted table']\nx = \"\\u0041\"\n";
        assert_eq!(
            spans(source),
            [
                ("anthropic.claude-v2", Code, false, n("models")),
                ("# old", Comment, false, None),
                ("meta.llama2-13b-chat-v1", Code, false, n("models")),
                ("quoted table", Code, true, None),
                ("\\u0041", Code, false, n("x")),
            ]
        );
    }

    #[test]
    fn key_names_are_decoded() {
        let source = "\"a\\u0062\" = \"1\"\n'c\\d' = \"2\"\n";
        let names: Vec<_> = spans(source)
            .into_iter()
            .filter(|s| !s.2)
            .map(|s| s.3)
            .collect();
        assert_eq!(names, [n("ab"), n("c\\d")]);
    }

    #[test]
    fn comments() {
        let source = "# model: anthropic.claude-v2\nx = 1 # tail\n#\n";
        assert_eq!(
            spans(source),
            [
                ("# model: anthropic.claude-v2", Comment, false, None),
                ("# tail", Comment, false, None),
                ("#", Comment, false, None),
            ]
        );
    }

    #[test]
    fn crlf_source() {
        let source = "# c\r\n[t]\r\nm = \"anthropic.claude-v2\" # d\r\nml = '''a\r\nb'''\r\n";
        assert_eq!(
            spans(source),
            [
                ("# c", Comment, false, None),
                ("anthropic.claude-v2", Code, false, n("m")),
                ("# d", Comment, false, None),
                ("a\r\nb", Code, false, n("ml")),
            ]
        );
    }

    #[test]
    fn byte_offsets_after_non_ascii_text() {
        let source = "# Größe 🚀\n\"näme\" = \"anthropic.claude-v2\" # ü\n";
        let extraction = extract(source);
        let start = source.find("anthropic").unwrap();
        assert_eq!(
            extraction.spans[2].range,
            start..start + "anthropic.claude-v2".len()
        );
        assert_eq!(extraction.spans[2].key_name, n("näme"));
        assert_eq!(&source[extraction.spans[3].range.clone()], "# ü");
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let source = "ok = \"anthropic.claude-v2\"\nbad = \"unterminated\nnext = 1\n";
        let extraction = extract(source);
        let error = extraction.syntax_error.expect("syntax error");
        // Reported where the closing quote is missing: the end of line 2.
        assert_eq!(
            (error.line, error.column, &*error.message),
            (2, 20, "invalid basic string, expected `\"`")
        );
        assert!(
            extraction
                .spans
                .iter()
                .any(|s| &source[s.range.clone()] == "anthropic.claude-v2")
        );
        // A duplicate key is an error too.
        let error = extract("\"é\" = 1\n\"é\" = 2\n")
            .syntax_error
            .expect("error");
        assert_eq!((error.line, error.column), (2, 1));
        assert_eq!(error.message, "duplicate key");
        // Byte 9, character column 9 (1-based): `é` is two bytes.
        let error = extract("a = \"é\" b\n").syntax_error.expect("error");
        assert_eq!((error.line, error.column), (1, 9));
        let error = extract("[a]\nx = [1,,]\n").syntax_error.expect("error");
        assert_eq!(error.line, 2);
    }

    #[test]
    fn empty_and_blank_files() {
        assert_eq!(extract(""), Extraction::default());
        assert_eq!(extract("\n\r\n  \n"), Extraction::default());
    }

    #[test]
    fn tricky_strings_that_look_like_structure() {
        // `#`, `=`, brackets and quotes inside strings are text; a literal string has no
        // escapes, so its backslash does not escape the closing quote.
        let source = "a = \"# not = [a comment]\"\nb = 'C:\\dir\\'\nc = \"\"\"\\\n  anthropic.claude-v2\"\"\"\n";
        assert_eq!(
            spans(source),
            [
                ("# not = [a comment]", Code, false, n("a")),
                ("C:\\dir\\", Code, false, n("b")),
                ("\\\n  anthropic.claude-v2", Code, false, n("c")),
            ]
        );
    }

    #[test]
    fn deeply_nested_and_large_input() {
        let deep = format!("x = {}\"deep\"{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let extraction = extract(&deep);
        assert!(extraction.syntax_error.is_some());

        let large = (0..50_000)
            .map(|i| format!("k{i} = \"anthropic.claude-v2\" # c\n"))
            .collect::<String>();
        assert_large(&extract(&large), 100_000);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in [
            "\"",
            "'''",
            "a = \"\"\"",
            "[",
            "[[",
            "a.",
            "= 1",
            "a = {",
            "\0",
            "a = '\u{2028}'",
        ] {
            assert_in_bounds(input, &extract(input));
        }
    }
}
