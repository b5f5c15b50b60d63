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

use tree_sitter::Node;

use super::mapped::MappedText;
use super::treesitter::{failed, first_syntax_error, for_each_node};
use super::{Extraction, Focus, Span, SpanContext};

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
pub fn extract_focused(source: &str, focus: Focus) -> Extraction {
    let tree = match super::json::parse_tree(source) {
        Ok(tree) => tree,
        Err(error) => return failed(source, error),
    };
    let root = tree.root_node();
    let mut spans = Vec::new();
    if let Some(notebook) = named_children(root).find(|node| node.kind() == "object") {
        let worksheets = member(notebook, "worksheets", source)
            .into_iter()
            .flat_map(named_children)
            .filter_map(|sheet| member(sheet, "cells", source));
        for cells in member(notebook, "cells", source)
            .into_iter()
            .chain(worksheets)
        {
            for cell in named_children(cells)
                .filter(|node| node.kind() == "object" && focus.touches(node.byte_range()))
            {
                cell_spans(cell, source, &mut spans);
            }
        }
    }
    spans.sort_by_key(|span| span.range.start);
    Extraction {
        spans,
        syntax_error: first_syntax_error(root, source),
    }
}

/// The named children of `node` (values of an array, pairs of an object), comments left out.
fn named_children(node: Node) -> impl Iterator<Item = Node> {
    let mut cursor = node.walk();
    let children: Vec<Node> = node
        .named_children(&mut cursor)
        .filter(|child| child.kind() != "comment")
        .collect();
    children.into_iter()
}

/// The value of member `name` of a JSON object.
fn member<'tree>(object: Node<'tree>, name: &str, source: &str) -> Option<Node<'tree>> {
    named_children(object)
        .filter(|pair| pair.kind() == "pair")
        .find(|pair| {
            pair.child_by_field_name("key")
                .is_some_and(|key| decode(key, source).text == name)
        })
        .and_then(|pair| pair.child_by_field_name("value"))
}

/// The file range of a JSON string's contents, between its quotes.
fn contents(string: Node) -> Range<usize> {
    let mut range = string.byte_range();
    let count = string.child_count();
    if let Some(open) = string.child(0).filter(|c| c.kind() == "\"") {
        range.start = open.end_byte();
    }
    if count > 1
        && let Some(close) = string.child(count - 1).filter(|c| c.kind() == "\"")
    {
        range.end = close.start_byte();
    }
    range.start..range.end.max(range.start)
}

/// A JSON string decoded, mapped to the file.
fn decode(string: Node, source: &str) -> MappedText {
    let mut text = MappedText::new(contents(string).start);
    decode_into(&mut text, string, source);
    text
}

/// Append the decoded contents of a JSON string to `text`.
fn decode_into(text: &mut MappedText, string: Node, source: &str) {
    let range = contents(string);
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
fn source_strings(value: Node) -> Vec<Node> {
    match value.kind() {
        "string" => vec![value],
        "array" => named_children(value)
            .filter(|node| node.kind() == "string")
            .collect(),
        _ => Vec::new(),
    }
}

/// A [`SpanContext::Text`] span.
fn text_span(range: Range<usize>) -> Span {
    Span::plain(range, SpanContext::Text)
}

/// Add the spans of one cell.
fn cell_spans(cell: Node, source: &str, spans: &mut Vec<Span>) {
    let cell_type = member(cell, "cell_type", source)
        .filter(|value| value.kind() == "string")
        .map(|value| decode(value, source).text);
    let code = member(cell, "source", source).or_else(|| member(cell, "input", source));
    let strings = code.map(source_strings).unwrap_or_default();
    if cell_type.as_deref() == Some("markdown") {
        if let Some(first) = strings.first() {
            let mut text = MappedText::new(contents(*first).start);
            for string in &strings {
                decode_into(&mut text, *string, source);
            }
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
                .map(|string| text_span(contents(*string)))
                .filter(|span| !span.range.is_empty()),
        );
        return;
    }
    if let Some(first) = strings.first() {
        let mut text = MappedText::new(contents(*first).start);
        for string in &strings {
            decode_into(&mut text, *string, source);
        }
        spans.extend(
            code_cell_spans(&text.text)
                .into_iter()
                .map(|span| text.span_to_raw(span)),
        );
    }
    if let Some(outputs) = member(cell, "outputs", source) {
        for output in named_children(outputs).filter(|node| node.kind() == "object") {
            output_spans(output, source, spans);
        }
    }
}

/// Add a text span for every string of an output, except metadata and binary data.
fn output_spans(output: Node, source: &str, spans: &mut Vec<Span>) {
    let mut add_strings = |value: Node| {
        for_each_node(value, |node| {
            if node.kind() == "string" {
                let range = contents(node);
                if !range.is_empty() {
                    spans.push(text_span(range));
                }
            }
        });
    };
    for pair in named_children(output).filter(|node| node.kind() == "pair") {
        let (Some(key), Some(value)) = (
            pair.child_by_field_name("key"),
            pair.child_by_field_name("value"),
        ) else {
            continue;
        };
        match decode(key, source).text.as_str() {
            "metadata" | "output_type" | "execution_count" | "prompt_number" | "name" => {}
            "png" | "jpeg" | "gif" | "pdf" => {}
            "data" if value.kind() == "object" => {
                for item in named_children(value).filter(|node| node.kind() == "pair") {
                    let binary = item.child_by_field_name("key").is_some_and(|mime| {
                        let mime = decode(mime, source).text;
                        ["image/", "audio/", "video/", "application/pdf"]
                            .iter()
                            .any(|prefix| mime.starts_with(prefix))
                    });
                    if let Some(data) = item.child_by_field_name("value")
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

/// Line magics whose argument is a shell command line (or, for `%env`, an assignment).
const SHELL_LINE_MAGICS: &[&str] = &["sx", "system", "env", "set_env"];

/// Line magics that run the package manager of their name with their arguments.
const PACKAGE_LINE_MAGICS: &[&str] = &["pip", "conda", "mamba"];

/// Line magics whose argument is a Python statement.
const PYTHON_LINE_MAGICS: &[&str] = &["time", "timeit", "prun", "debug"];

/// What a cell magic's body is.
enum Body {
    /// Read by this language's extractor.
    Language(super::Language),
    /// Reported as text.
    Text,
}

/// The spans of a code cell's text (offsets in that text): a cell magic picks the
/// language, otherwise the cell is IPython.
fn code_cell_spans(text: &str) -> Vec<Span> {
    let Some(magic) = text.strip_prefix("%%") else {
        return ipython_spans(text);
    };
    let line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut words = magic[..line_end - 2].split_whitespace();
    let name = words.next().unwrap_or_default();
    let args: Vec<&str> = words.collect();
    let body = match name {
        "bash" | "sh" | "!" | "system" => Body::Language(super::Language::Shell),
        "script"
            if args.first().is_some_and(|program| {
                matches!(program.rsplit('/').next(), Some("bash" | "sh" | "zsh"))
            }) =>
        {
            Body::Language(super::Language::Shell)
        }
        "writefile" | "file" => args
            .iter()
            .rev()
            .find(|arg| !arg.starts_with('-'))
            .and_then(|path| super::Language::from_path(std::path::Path::new(path)))
            .filter(|language| *language != super::Language::Notebook)
            .map_or(Body::Text, Body::Language),
        "javascript" | "js" => Body::Language(super::Language::JavaScript),
        "time" | "timeit" | "capture" | "prun" | "debug" => Body::Language(super::Language::Python),
        _ => Body::Text,
    };
    let body_text = &text[line_end..];
    let spans = match body {
        Body::Language(super::Language::Python) => ipython_spans(body_text),
        Body::Language(language) => super::extract(language, body_text).spans,
        Body::Text if body_text.is_empty() => Vec::new(),
        Body::Text => vec![text_span(0..body_text.len())],
    };
    spans
        .into_iter()
        .map(|span| shift(span, line_end))
        .collect()
}

/// `span` moved `by` bytes later.
fn shift(span: Span, by: usize) -> Span {
    let move_range = |r: Range<usize>| r.start + by..r.end + by;
    Span {
        range: move_range(span.range),
        holes: span.holes.into_iter().map(move_range).collect(),
        key: span.key.map(|mapping| mapping.map_range(move_range)),
        ..span
    }
}

/// The spans of IPython code: Python, with `!` and `%` lines read as described in the
/// module documentation.
fn ipython_spans(text: &str) -> Vec<Span> {
    let magics = magic_lines(text);
    if magics.is_empty() {
        return super::python::extract(text).spans;
    }
    let mut masked = text.as_bytes().to_vec();
    for line in &magics {
        for byte in &mut masked[line.clone()] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
    }
    // Only whole characters were replaced, by ASCII spaces.
    let masked = String::from_utf8(masked).unwrap_or_default();
    let mut spans = super::python::extract(&masked).spans;
    for line in magics {
        spans.extend(magic_spans(&text[line.clone()], line.start));
    }
    spans
}

/// The ranges of `!`/`%` lines (with the lines a trailing `\` continues them onto), each
/// without its line break.
fn magic_lines(text: &str) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut current: Option<Range<usize>> = None;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let range = start..start + content.len();
        start += line.len();
        let continued = match &mut current {
            Some(block) => {
                block.end = range.end;
                true
            }
            None if content.trim_start().starts_with(['!', '%']) => {
                current = Some(range);
                true
            }
            None => false,
        };
        if continued && !content.ends_with('\\') {
            lines.extend(current.take());
        }
    }
    lines.extend(current);
    lines
}

/// The spans of one `!`/`%` line (block) `line` at offset `at` of the cell.
fn magic_spans(line: &str, at: usize) -> Vec<Span> {
    let indent = line.len() - line.trim_start().len();
    let body = &line[indent..];
    let (spans, offset) = if let Some(command) = body.strip_prefix('!') {
        let command = command.trim_start_matches('!');
        let offset = indent + body.len() - command.len();
        (super::shell::extract(command).spans, offset)
    } else {
        let magic = body.trim_start_matches('%');
        let name_len = magic
            .find(|c: char| c.is_whitespace())
            .unwrap_or(magic.len());
        let name = &magic[..name_len];
        let argument = &magic[name_len..];
        let offset = indent + body.len() - argument.len();
        if PACKAGE_LINE_MAGICS.contains(&name) {
            // `%pip install x` runs `pip install x`: the name is the command.
            (
                super::shell::extract(magic).spans,
                indent + body.len() - magic.len(),
            )
        } else if SHELL_LINE_MAGICS.contains(&name) {
            (super::shell::extract(argument).spans, offset)
        } else if PYTHON_LINE_MAGICS.contains(&name) {
            (super::python::extract(argument).spans, offset)
        } else {
            let comment = Span::plain(0..body.len(), SpanContext::Comment);
            (vec![comment], indent)
        }
    };
    spans
        .into_iter()
        .map(|span| shift(span, at + offset))
        .collect()
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
}
