//! Jupyter notebooks (`.ipynb`), read with tree-sitter-json.
//!
//! A notebook is JSON: `{"cells": [{"cell_type": "code", "source": ["line\n", …],
//! "outputs": […]}, …], "metadata": …}` (nbformat 4; nbformat 3's `worksheets[].cells[]`
//! with `input` for the code is read too).
//!
//! # What becomes a span
//!
//! - **Code cells.** The `source` strings (an array of lines, or one string) are decoded —
//!   JSON escapes such as `\"`, `\n`, `\u00e9` and surrogate pairs resolved — into the cell's
//!   Python text, remembering for every piece of it where it lies in the file
//!   (`extract/mapped.rs`). The Python extractor reads that text, and every span it returns
//!   (with its holes) is mapped back to a byte range of the file, keeping its context
//!   ([`SpanContext::Code`], `Comment`, `Docstring`). Because spans are file ranges, a fix
//!   rewrites only the model ID's bytes inside the JSON string: indentation, key order, the
//!   trailing newline and every other byte of the notebook stay as they were. A span whose
//!   text crosses from one source line (one JSON string) to the next maps to the range from
//!   its first byte to its last, which includes the `\n", "` between the two strings; model
//!   IDs never cross a line, so no reference is found there.
//! - **IPython syntax.** Lines starting with `!` (shell escapes) or `%` (line magics) are not
//!   Python: they are blanked out before the Python extractor runs, so that the rest of the
//!   cell parses. `!cmd`, `%sx`, `%system`, `%env`, `%set_env`, `%pip`, `%conda` and `%mamba`
//!   lines are read by the shell extractor (`!aws … --model-id X` is code), `%time`,
//!   `%timeit`, `%prun` and `%debug` lines by the Python extractor, and any other line magic
//!   is reported as a comment. A cell starting with a cell magic is read as its language:
//!   `%%bash`, `%%sh`, `%%script bash|sh|zsh` and `%%!` as shell; `%%writefile PATH` /
//!   `%%file PATH` by the extractor for `PATH`'s file type; `%%javascript`/`%%js` as
//!   JavaScript; `%%time`, `%%timeit`, `%%capture`, `%%prun` and `%%debug` as Python; any
//!   other (`%%html`, `%%sql`, …) as text. Python (and shell) syntax errors inside cells are
//!   ignored: the notebook's `syntax_error` is only for JSON that does not parse.
//! - **Markdown cells.** Decoded and mapped like code cells, and read by the Markdown
//!   extractor: prose is [`SpanContext::Prose`] (rewritten as review, like comments), code
//!   fences of a known language are docstrings, link destinations and the like are text.
//! - **Outputs** (`outputs[].text`, `traceback`, `evalue`, and `data` except images, audio
//!   and video) and the source of **raw cells**: one [`SpanContext::Text`] span per JSON
//!   string's contents. Recorded output is reported, never rewritten.
//! - Notebook, cell and output metadata, attachments and execution counts give no span.
//!
//! # Limits
//!
//! The model-ID grammar sees a span's text as the file holds it, JSON escapes included. An
//! ID right after a Python escape sequence in a string (`"a\nanthropic.claude-v2"` in the
//! cell, `\\n` in the file) is therefore glued to an `n` and not found, and an ARN written
//! with JSON's optional `\/` escape is found only as the bare ID after it. nbformat writes
//! neither.

use std::ops::Range;

use super::mapped::MappedText;
use super::treesitter::{failed, first_syntax_error};
use super::{Extraction, Focus, Span, SpanContext};
use view::{JsonValue, Raw, ValueKind};

mod ipython;
mod view;

/// Extract the spans of a notebook: code cells through the Python extractor, outputs and
/// Markdown/raw cells as text.
///
/// Spans are sorted by start. Never panics: JSON that does not parse cleanly still yields
/// the cells tree-sitter recovered, with `syntax_error` set.
pub fn extract(source: &str) -> Extraction {
    extract_focused(source, Focus::Everything)
}

/// Like [`extract`], reading only the cells that `focus` touches: in a notebook most cells
/// (and all outputs) hold no provider prefix, and reading a cell means decoding its JSON
/// strings and parsing it as Python or Markdown.
///
/// A notebook that is valid JSON is read with serde_json, which skips what is not looked
/// at (see the `view` module); one that is not is read with tree-sitter-json, which
/// recovers what it can and locates the error.
pub fn extract_focused(source: &str, focus: Focus) -> Extraction {
    if let Some(notebook) = Raw::document(source) {
        return Extraction {
            spans: notebook_spans(notebook, source, &focus),
            syntax_error: None,
        };
    }
    extract_recovered(source, focus)
}

/// [`extract_focused`] with tree-sitter-json, whatever the JSON.
fn extract_recovered(source: &str, focus: Focus) -> Extraction {
    let tree = match super::json::parse_tree(source) {
        Ok(tree) => tree,
        Err(error) => return failed(source, error),
    };
    let root = tree.root_node();
    let spans = match view::tree_object(root) {
        Some(notebook) => notebook_spans(notebook, source, &focus),
        None => Vec::new(),
    };
    Extraction {
        spans,
        syntax_error: first_syntax_error(root, source),
    }
}

/// The spans of the cells of `notebook` (the top-level object) that `focus` touches,
/// sorted by start.
fn notebook_spans<'a, J: JsonValue<'a>>(notebook: J, source: &str, focus: &Focus) -> Vec<Span> {
    let mut spans = Vec::new();
    let worksheets = member(notebook, "worksheets", source)
        .into_iter()
        .flat_map(JsonValue::elements)
        .filter_map(|sheet| member(sheet, "cells", source));
    for cells in member(notebook, "cells", source)
        .into_iter()
        .chain(worksheets)
    {
        for cell in cells.elements().into_iter().filter(|cell| {
            cell.value_kind() == ValueKind::Object && focus.touches(cell.value_range())
        }) {
            cell_spans(cell, source, &mut spans);
        }
    }
    spans.sort_by_key(|span| span.range.start);
    spans
}

/// The value of member `name` of a JSON object (the first, if the key is repeated).
fn member<'a, J: JsonValue<'a>>(object: J, name: &str, source: &str) -> Option<J> {
    object
        .members()
        .into_iter()
        .find(|(key, _)| decode(*key, source).text == name)
        .and_then(|(_, value)| value)
}

/// A JSON string decoded, mapped to the file.
fn decode<'a, J: JsonValue<'a>>(string: J, source: &str) -> MappedText {
    let mut text = MappedText::new(string.contents().start);
    decode_into(&mut text, string.contents(), source);
    text
}

/// Append the decoded contents of a JSON string (whose contents lie at `range`) to `text`.
fn decode_into(text: &mut MappedText, range: Range<usize>, source: &str) {
    let Some(raw) = source.get(range.clone()) else {
        return;
    };
    let base = range.start;
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = raw[at..].find('\\') {
        let escape = at + found;
        text.push_copy(base + copied, &raw[copied..escape]);
        let (decoded, len) = decode_escape(&raw[escape..]);
        match decoded {
            Some(c) => text.push_replacement(
                base + escape..base + escape + len,
                c.encode_utf8(&mut [0; 4]),
            ),
            None => text.push_copy(base + escape, &raw[escape..escape + len]),
        }
        at = escape + len;
        copied = at;
    }
    text.push_copy(base + copied, &raw[copied..]);
}

/// Decode the escape at the start of `escape` (which starts with `\`): the character and the
/// escape's length, or `None` and 1 for an invalid escape (the backslash is kept as is).
fn decode_escape(escape: &str) -> (Option<char>, usize) {
    let simple = match escape.as_bytes().get(1) {
        Some(b'"') => Some('"'),
        Some(b'\\') => Some('\\'),
        Some(b'/') => Some('/'),
        Some(b'b') => Some('\u{8}'),
        Some(b'f') => Some('\u{c}'),
        Some(b'n') => Some('\n'),
        Some(b'r') => Some('\r'),
        Some(b't') => Some('\t'),
        Some(b'u') => None,
        _ => return (None, 1),
    };
    if let Some(c) = simple {
        return (Some(c), 2);
    }
    let hex = |at: usize| {
        escape
            .get(at..at + 4)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    let Some(high) = hex(2) else {
        return (None, 1);
    };
    if (0xD800..0xDC00).contains(&high)
        && escape.get(6..8) == Some("\\u")
        && let Some(low) = hex(8).filter(|low| (0xDC00..0xE000).contains(low))
    {
        let c = char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00));
        return (Some(c.unwrap_or(char::REPLACEMENT_CHARACTER)), 12);
    }
    (
        Some(char::from_u32(high).unwrap_or(char::REPLACEMENT_CHARACTER)),
        6,
    )
}

/// The JSON strings of a cell's source: the elements of an array, or the one string.
fn source_strings<'a, J: JsonValue<'a>>(value: J) -> Vec<J> {
    match value.value_kind() {
        ValueKind::String => vec![value],
        ValueKind::Array => value
            .elements()
            .into_iter()
            .filter(|node| node.value_kind() == ValueKind::String)
            .collect(),
        _ => Vec::new(),
    }
}

/// A [`SpanContext::Text`] span.
fn text_span(range: Range<usize>) -> Span {
    Span::plain(range, SpanContext::Text)
}

/// The decoded text of a cell's source strings, mapped to the file.
fn cell_text<'a, J: JsonValue<'a>>(strings: &[J], source: &str) -> Option<MappedText> {
    let first = strings.first()?;
    let mut text = MappedText::new(first.contents().start);
    for string in strings {
        decode_into(&mut text, string.contents(), source);
    }
    Some(text)
}

/// Add the spans of one cell.
fn cell_spans<'a, J: JsonValue<'a>>(cell: J, source: &str, spans: &mut Vec<Span>) {
    let cell_type = member(cell, "cell_type", source)
        .filter(|value| value.value_kind() == ValueKind::String)
        .map(|value| decode(value, source).text);
    let code = member(cell, "source", source).or_else(|| member(cell, "input", source));
    let strings = code.map(source_strings).unwrap_or_default();
    if cell_type.as_deref() == Some("markdown") {
        if let Some(text) = cell_text(&strings, source) {
            spans.extend(
                super::markdown::extract(&text.text)
                    .spans
                    .into_iter()
                    .map(|span| text.span_to_raw(span)),
            );
        }
        return;
    }
    if cell_type.as_deref() != Some("code") {
        spans.extend(
            strings
                .iter()
                .map(|string| text_span(string.contents()))
                .filter(|span| !span.range.is_empty()),
        );
        return;
    }
    if let Some(text) = cell_text(&strings, source) {
        spans.extend(
            ipython::code_cell_spans(&text.text)
                .into_iter()
                .map(|span| text.span_to_raw(span)),
        );
    }
    if let Some(outputs) = member(cell, "outputs", source) {
        for output in outputs
            .elements()
            .into_iter()
            .filter(|node| node.value_kind() == ValueKind::Object)
        {
            output_spans(output, source, spans);
        }
    }
}

/// Add a text span for every string of an output, except metadata and binary data.
fn output_spans<'a, J: JsonValue<'a>>(output: J, source: &str, spans: &mut Vec<Span>) {
    let mut add_strings = |value: J| {
        for string in value.strings() {
            let range = string.contents();
            if !range.is_empty() {
                spans.push(text_span(range));
            }
        }
    };
    for (key, value) in output.members() {
        let Some(value) = value else {
            continue;
        };
        match decode(key, source).text.as_str() {
            "metadata" | "output_type" | "execution_count" | "prompt_number" | "name" => {}
            "png" | "jpeg" | "gif" | "pdf" => {}
            "data" if value.value_kind() == ValueKind::Object => {
                for (mime, data) in value.members() {
                    let mime = decode(mime, source).text;
                    let binary = ["image/", "audio/", "video/", "application/pdf"]
                        .iter()
                        .any(|prefix| mime.starts_with(prefix));
                    if let Some(data) = data
                        && !binary
                    {
                        add_strings(data);
                    }
                }
            }
            _ => add_strings(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SpanContext::{Code, Comment, Docstring, Prose, Text};

    /// Text and context of every span of a notebook that must parse.
    fn spans(source: &str) -> Vec<(&str, SpanContext)> {
        super::super::test_support::contexts(source, &extract(source))
    }

    /// A notebook with these cells (JSON objects), in nbformat's layout.
    fn notebook(cells: &[&str]) -> String {
        format!(
            "{{\n \"cells\": [\n  {}\n ],\n \"metadata\": {{\"kernelspec\": {{\"name\": \"anthropic.claude-v2\"}}}},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}}\n",
            cells.join(",\n  ")
        )
    }

    #[test]
    fn code_cells_are_python_mapped_to_the_file() {
        let source = notebook(&[
            r##"{"cell_type": "code", "metadata": {}, "outputs": [], "source": ["\"\"\"Doc.\"\"\"\n", "# pick\n", "MODEL_ID = \"us.anthropic.claude-3-5-sonnet-20240620-v1:0\"\n", "r = bedrock.converse(modelId=MODEL_ID, messages=[])"]}"##,
        ]);
        assert_eq!(
            spans(&source),
            [
                ("Doc.", Docstring),
                ("# pick", Comment),
                ("us.anthropic.claude-3-5-sonnet-20240620-v1:0", Code),
            ]
        );
        let extraction = extract(&source);
        let start = source.find("us.anthropic").unwrap();
        assert_eq!(extraction.spans[2].range, start..start + 44);
    }

    #[test]
    fn escapes_are_decoded_for_python_and_mapped_back() {
        // `f"{d[\"k\"]}é"` as Python; the JSON writes the quotes and the é as escapes.
        let source = notebook(&[
            r##"{"cell_type": "code", "source": "x = f\"{d['k']}\u00e9 anthropic.claude-v2\"\ny = 'a\tb'"}"##,
        ]);
        let extraction = extract(&source);
        let found = super::super::test_support::texts_and_holes(&source, &extraction);
        assert_eq!(
            found,
            [
                ("{d['k']}\\u00e9 anthropic.claude-v2", vec!["{d['k']}"]),
                ("k", vec![]),
                ("a\\tb", vec![]),
            ]
        );
    }

    #[test]
    fn a_literal_across_source_lines_spans_the_json_between() {
        let source = notebook(&[
            r##"{"cell_type": "code", "source": ["p = '''one\n", "anthropic.claude-v2'''\n"]}"##,
        ]);
        assert_eq!(spans(&source), [("one\\n\", \"anthropic.claude-v2", Code)]);
    }

    #[test]
    fn markdown_cells_are_read_as_markdown_and_mapped_to_the_file() {
        let source = notebook(&[
            r##"{"cell_type": "markdown", "source": ["See [docs](https://x/anthropic.claude-v2) and `anthropic.claude-v2`.\n", "```python\n", "m = \"anthropic.claude-v2\"\n", "```\n"]}"##,
        ]);
        assert_eq!(
            spans(&source),
            [
                ("See ", Prose),
                ("docs", Prose),
                ("](https://x/anthropic.claude-v2)", Text),
                (" and ", Prose),
                ("`anthropic.claude-v2`", Prose),
                (".", Prose),
                ("anthropic.claude-v2", Docstring),
            ]
        );
    }

    #[test]
    fn markdown_cells_are_prose_raw_cells_and_outputs_text() {
        let source = notebook(&[
            r##"{"cell_type": "markdown", "metadata": {}, "source": ["# Uses anthropic.claude-v2\n", "text"]}"##,
            r##"{"cell_type": "raw", "source": "raw anthropic.claude-v2"}"##,
            r##"{"cell_type": "code", "execution_count": 1, "metadata": {"tags": ["x"]}, "outputs": [{"name": "stdout", "output_type": "stream", "text": ["model: anthropic.claude-v2\n"]}, {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/plain": ["'anthropic.claude-v2'"], "image/png": "iVBOR", "application/json": {"m": "x"}}}, {"output_type": "error", "ename": "E", "evalue": "v", "traceback": ["t"]}], "source": []}"##,
        ]);
        assert_eq!(
            spans(&source),
            [
                ("Uses anthropic.claude-v2", Prose),
                ("text", Prose),
                ("raw anthropic.claude-v2", Text),
                ("model: anthropic.claude-v2\\n", Text),
                ("'anthropic.claude-v2'", Text),
                ("m", Text),
                ("x", Text),
                ("E", Text),
                ("v", Text),
                ("t", Text),
            ]
        );
    }

    #[test]
    fn ipython_magics_and_shell_escapes() {
        let source = notebook(&[
            r##"{"cell_type": "code", "source": ["%pip install boto3\n", "!aws bedrock-runtime converse --model-id anthropic.claude-v2 \\\n", "  --region us-east-1\n", "%matplotlib inline\n", "%env MODEL=anthropic.claude-v2\n", "if True:\n", "    %time r = f('anthropic.claude-v2')\n", "m = 'ok'"]}"##,
        ]);
        let extraction = extract(&source);
        assert_eq!(extraction.syntax_error, None);
        let found: Vec<_> = extraction
            .spans
            .iter()
            .map(|span| {
                (
                    &source[span.range.clone()],
                    span.context,
                    span.key_name.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("install", Code, None),
                ("boto3", Code, None),
                ("bedrock-runtime", Code, None),
                ("converse", Code, None),
                ("--model-id", Code, None),
                ("anthropic.claude-v2", Code, Some("--model-id")),
                ("--region", Code, None),
                ("us-east-1", Code, Some("--region")),
                ("%matplotlib inline", Comment, None),
                ("anthropic.claude-v2", Code, Some("MODEL")),
                ("anthropic.claude-v2", Code, None),
                ("ok", Code, None),
            ]
        );
    }

    #[test]
    fn cell_magics_pick_the_language() {
        let source = notebook(&[
            r##"{"cell_type": "code", "source": ["%%bash\n", "export M=anthropic.claude-v2\n"]}"##,
            r##"{"cell_type": "code", "source": ["%%writefile app.py\n", "M = 'anthropic.claude-v2'\n"]}"##,
            r##"{"cell_type": "code", "source": ["%%writefile notes.txt\n", "anthropic.claude-v2\n"]}"##,
            r##"{"cell_type": "code", "source": ["%%html\n", "<p>anthropic.claude-v2</p>"]}"##,
            r##"{"cell_type": "code", "source": ["%%time\n", "x = 'anthropic.claude-v2'"]}"##,
        ]);
        assert_eq!(
            spans(&source),
            [
                ("anthropic.claude-v2", Code),
                ("anthropic.claude-v2", Code),
                ("anthropic.claude-v2\\n", Text),
                ("<p>anthropic.claude-v2</p>", Text),
                ("anthropic.claude-v2", Code),
            ]
        );
    }

    #[test]
    fn crlf_non_ascii_and_surrogates() {
        let source = "{\r\n \"cells\": [\r\n  {\"cell_type\": \"code\", \"source\": [\"# Größe \\ud83d\\ude80\\r\\n\", \"x = 'anthropic.claude-v2'\"]}\r\n ]\r\n}\r\n";
        let extraction = extract(source);
        assert_eq!(extraction.syntax_error, None);
        let texts = super::super::test_support::texts(source, &extraction);
        assert_eq!(texts, ["# Größe \\ud83d\\ude80", "anthropic.claude-v2"]);
        let start = source.find("anthropic").unwrap();
        assert_eq!(extraction.spans[1].range, start..start + 19);
    }

    #[test]
    fn escape_decoding() {
        assert_eq!(decode_escape("\\n"), (Some('\n'), 2));
        assert_eq!(decode_escape("\\u00e9x"), (Some('é'), 6));
        assert_eq!(decode_escape("\\ud83d\\ude80"), (Some('🚀'), 12));
        assert_eq!(decode_escape("\\ud83dx"), (Some('\u{fffd}'), 6));
        assert_eq!(decode_escape("\\u+0e9"), (None, 1));
        assert_eq!(decode_escape("\\q"), (None, 1));
        assert_eq!(decode_escape("\\"), (None, 1));
        assert_eq!(decode_escape("\\é"), (None, 1));
    }

    #[test]
    fn nbformat_3_worksheets() {
        let source = "{\"worksheets\": [{\"cells\": [{\"cell_type\": \"code\", \"input\": [\"m = 'anthropic.claude-v2'\"], \"outputs\": [{\"output_type\": \"pyout\", \"text\": [\"x\"], \"png\": \"iVBOR\"}]}]}], \"nbformat\": 3}";
        assert_eq!(spans(source), [("anthropic.claude-v2", Code), ("x", Text)]);
    }

    #[test]
    fn invalid_json_and_odd_input() {
        let source =
            "{\"cells\": [{\"cell_type\": \"code\", \"source\": [\"m = 'anthropic.claude-v2'\"]}\n";
        let extraction = extract(source);
        assert!(extraction.syntax_error.is_some());
        assert_eq!(extract(""), Extraction::default());
        for input in [
            "[]",
            "{\"cells\": 3}",
            "{\"cells\": [{\"cell_type\": \"code\", \"source\": \"\\",
            "{\"cells\": [{\"source\": [\"x\"]}]}",
            "{\"cells\": [{\"cell_type\": \"code\", \"source\": [\"%%\"]}]}",
            "{\"cells\": [{\"cell_type\": \"code\", \"source\": [\"!\"]}]}",
            "{\"cells\": [{\"cell_type\": \"code\", \"source\": [\"%%writefile\\n\"]}]}",
        ] {
            super::super::test_support::assert_in_bounds(input, &extract(input));
        }
    }

    /// serde_json's reading of a valid notebook gives exactly tree-sitter's spans: every
    /// notebook of the fixtures and of these tests, whole and focused on each cell.
    #[test]
    fn both_readers_agree_on_valid_notebooks() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut sources: Vec<String> = ignore::WalkBuilder::new(&root)
            .standard_filters(false)
            .build()
            .flatten()
            .filter(|entry| entry.path().extension().is_some_and(|e| e == "ipynb"))
            .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
            .collect();
        assert!(sources.len() >= 5, "{} fixture notebooks", sources.len());
        sources.push(notebook(&[
            r##"{"cell_type": "code", "source": "a = 'anthropic.claude-v2'", "outputs": [{"output_type": "execute_result", "data": {"text/plain": ["'anthropic.claude-v2'"], "application/json": {"anthropic.claude-v2": ["x", {"k": "meta.llama3-8b-instruct-v1:0"}]}, "image/png": "anthropic.claude-v2"}, "metadata": {"m": "anthropic.claude-v2"}}]}"##,
            r##"{"cell_type": "markdown", "source": ["# Title\n", "Use `anthropic.claude-v2`."]}"##,
            r##"{"cell_type": "raw", "source": ["anthropic.claude-v2"], "cell_type": "code"}"##,
            r##"{"cell_type": "code", "source": ["x = 1\n"], "source": ["y = 'anthropic.claude-v2'"]}"##,
            r##"["not", "a", "cell"]"##,
        ]));
        let texts: Vec<&str> = spans(sources.last().unwrap())
            .into_iter()
            .map(|(text, _)| text)
            .collect();
        // Output data is read to its nested keys; images and metadata are not.
        for expected in [
            "'anthropic.claude-v2'",
            "anthropic.claude-v2",
            "meta.llama3-8b-instruct-v1:0",
        ] {
            assert!(texts.contains(&expected), "{expected}: {texts:?}");
        }
        // The code literal, the key in the JSON output and the raw cell (its first `cell_type`).
        assert_eq!(
            texts
                .iter()
                .filter(|t| **t == "anthropic.claude-v2")
                .count(),
            3,
            "{texts:?}"
        );
        sources.push(r#"{"worksheets": [{"cells": [{"cell_type": "code", "input": ["m = \"anthropic.claude-v2\""]}]}]}"#.to_owned());
        sources.push("[{\"cells\": []}]".to_owned());
        for source in &sources {
            assert!(Raw::document(source).is_some());
            let recovered = extract_recovered(source, Focus::Everything);
            assert_eq!(extract(source), recovered);
            for span in &recovered.spans {
                let anchors = [span.range.clone()];
                let focus = Focus::Around(&anchors);
                assert_eq!(
                    extract_focused(source, Focus::Around(&anchors)),
                    extract_recovered(source, focus)
                );
            }
        }
    }
}
