//! Dockerfiles (`Dockerfile`, `Dockerfile.*`, `*.dockerfile`), read with the Dockerfile
//! tree-sitter grammar as packaged by `arborium-dockerfile` (the `tree-sitter-dockerfile`
//! crate on crates.io is built for tree-sitter 0.20 and cannot be linked with this crate's
//! tree-sitter; the arborium package exposes the same grammar through `tree-sitter-language`).
//!
//! # What becomes a span
//!
//! - `ENV NAME=value` (and the old `ENV NAME value`), `ARG NAME=default` and
//!   `LABEL key=value`: the value, [`SpanContext::Code`], with `key_name` the name or label
//!   key. Quotes are left out; `$VAR` and `${VAR…}` are holes, and the default of
//!   `${VAR:-word}` / `${VAR:+word}` is a span of its own inside its hole.
//! - `RUN`, `CMD`, `ENTRYPOINT` (also under `ONBUILD` and `HEALTHCHECK`) in shell form: the
//!   command is put together as Docker does — `\`-newline continuations and the comment
//!   lines between them removed, the next line's indentation kept — and read by the shell
//!   extractor ([`super::shell::extract`]); its spans (strings and words as `Code`, comments as
//!   `Comment`, variable names) are mapped back to the file. A span that crosses a
//!   continuation covers it; model IDs never do. Shell syntax errors inside a command are
//!   ignored: a command may be for another shell (`SHELL ["powershell", …]`), and only the
//!   Dockerfile's own syntax decides whether the file parses.
//! - Exec form (`RUN ["python", "-c", "…"]`, `CMD […]`, `SHELL […]`, `VOLUME […]`): each JSON
//!   string's contents, `Code`.
//! - Heredocs (`RUN <<EOF … EOF`): the body is a script and goes to the shell extractor when
//!   the command is only the heredoc; otherwise (`RUN python3 <<EOF`, `COPY <<EOF /f`) the
//!   body is one `Code` span.
//! - Comments (parser directives too): [`SpanContext::Comment`].
//!
//! Image names, paths and other instruction arguments give no span.
//!
//! # Limits
//!
//! The grammar does not follow an `# escape=`` directive (backtick continuations), and the
//! old `ENV NAME value with spaces` form is a syntax error to it; such files are reported
//! with a syntax error, so their references get review fixes only. A file with CRLF line
//! endings is parsed with each `\r\n` read as `\n` (the grammar does not accept `\` followed
//! by `\r\n` as a continuation); spans are mapped back to the original bytes.

use std::cell::RefCell;
use std::ops::Range;

use tree_sitter::{Language, Node, Parser};

use super::mapped::MappedText;
use super::treesitter::{
    comment_span, failed, first_syntax_error, for_each_node, node_text, parse,
};
use super::{Extraction, Span, SpanContext};

thread_local! {
    /// This thread's Dockerfile parser, created on first use (see the Python extractor for
    /// why parsers are per thread).
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// The Dockerfile grammar.
fn grammar() -> Language {
    arborium_dockerfile::language().into()
}

/// Extract the value, command and comment spans of a Dockerfile.
///
/// Spans are sorted by start; a `${VAR:-default}` default lies inside its hole. Never
/// panics: a file that does not parse cleanly yields what tree-sitter recovered, with
/// `syntax_error` set.
pub fn extract(source: &str) -> Extraction {
    let lf = without_carriage_returns(source);
    let text = lf.as_ref().map_or(source, |lf| lf.text.as_str());
    let tree = match parse(&PARSER, grammar, "Dockerfile", text) {
        Ok(tree) => tree,
        Err(error) => return failed(source, error),
    };
    let root = tree.root_node();
    let mut spans = Vec::new();
    for_each_node(root, |node| node_spans(node, text, &mut spans));
    let syntax_error = first_syntax_error(root, text);
    if let Some(lf) = &lf {
        spans = spans.into_iter().map(|span| lf.span_to_raw(span)).collect();
    }
    spans.sort_by_key(|span| span.range.start);
    Extraction {
        spans,
        syntax_error,
    }
}

/// `source` with the `\r` of every `\r\n` left out, or `None` if it has no `\r\n`.
fn without_carriage_returns(source: &str) -> Option<MappedText> {
    if !source.contains("\r\n") {
        return None;
    }
    let mut lf = MappedText::new(0);
    let mut at = 0;
    for (cr, _) in source.match_indices("\r\n") {
        lf.push_copy(at, &source[at..cr]);
        at = cr + 1;
    }
    lf.push_copy(at, &source[at..]);
    Some(lf)
}

/// Add the spans that `node` contributes (its descendants are visited on their own).
fn node_spans(node: Node, text: &str, spans: &mut Vec<Span>) {
    match node.kind() {
        "comment" => spans.push(comment_span(node, SpanContext::Comment, text)),
        "env_pair" | "arg_instruction" | "label_pair" => {
            let name = ["name", "key"]
                .iter()
                .find_map(|field| node.child_by_field_name(field));
            let value = ["value", "default"]
                .iter()
                .find_map(|field| node.child_by_field_name(field));
            if let Some(value) = value {
                let key_name = name.map(|name| node_text(name, text).to_owned());
                value_spans(value, key_name, text, spans);
            }
        }
        "json_string" => spans.push(code_span(inside_quotes(node, text), Vec::new(), None)),
        "shell_command" => shell_command_spans(node, text, spans),
        "heredoc_block" => heredoc_spans(node, text, spans),
        _ => {}
    }
}

/// A `Code` span.
fn code_span(range: Range<usize>, holes: Vec<Range<usize>>, key_name: Option<String>) -> Span {
    Span {
        range,
        context: SpanContext::Code,
        holes,
        key: None,
        key_name,
    }
}

/// The contents of a quoted node: between its first and last child when both are quotes
/// (an unterminated string runs to its end).
fn inside_quotes(node: Node, text: &str) -> Range<usize> {
    let mut range = node.byte_range();
    let quote = |child: &Node| matches!(child.kind(), "\"" | "'");
    if let Some(open) = node.child(0).filter(quote) {
        range.start = open.end_byte();
    }
    if let Some(close) = node
        .child(node.child_count().saturating_sub(1))
        .filter(quote)
        && close.start_byte() >= range.start
        && node.child_count() > 1
    {
        range.end = close.start_byte();
    }
    // tree-sitter never reports ranges off character boundaries; stay safe regardless.
    if text.get(range.clone()).is_none() {
        return node.byte_range();
    }
    range.start..range.end.max(range.start)
}

/// The spans of an `ENV`/`ARG`/`LABEL` value: the value with its expansions as holes, and
/// each expansion's default word.
fn value_spans(value: Node, key_name: Option<String>, text: &str, spans: &mut Vec<Span>) {
    let range = match value.kind() {
        "double_quoted_string" | "single_quoted_string" => inside_quotes(value, text),
        _ => value.byte_range(),
    };
    let mut holes = Vec::new();
    let mut defaults = Vec::new();
    for child in value.children(&mut value.walk()) {
        if child.kind() == "expansion" {
            holes.push(child.byte_range());
            defaults.extend(default_word(child, text));
        }
    }
    spans.push(code_span(range, holes, key_name));
    for default in defaults {
        spans.push(code_span(default, Vec::new(), None));
    }
}

/// The `word` of `${VAR:-word}` or `${VAR:+word}` (also without the colon).
fn default_word(expansion: Node, text: &str) -> Option<Range<usize>> {
    let variable = expansion
        .children(&mut expansion.walk())
        .find(|child| child.kind() == "variable")?;
    let body = node_text(variable, text);
    let name_len = body
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let rest = &body[name_len..];
    let operator = [":-", ":+", "-", "+"]
        .into_iter()
        .find(|op| rest.starts_with(op))?;
    let start = variable.start_byte() + name_len + operator.len();
    Some(start..variable.end_byte())
}

/// Read a shell-form command with the shell extractor and add its spans, mapped back.
fn shell_command_spans(command: Node, text: &str, spans: &mut Vec<Span>) {
    let mut script = MappedText::new(command.start_byte());
    let mut joined = false;
    for child in command.children(&mut command.walk()) {
        if child.kind() != "shell_fragment" {
            continue;
        }
        if joined {
            // Docker drops the `\`-newline (and comment lines) and keeps the indentation
            // of the continued line.
            let before = &text[..child.start_byte()];
            let indent = before.len() - before.trim_end_matches([' ', '\t']).len();
            script.push_copy(
                child.start_byte() - indent,
                &before[before.len() - indent..],
            );
        }
        script.push_copy(child.start_byte(), node_text(child, text));
        joined = true;
    }
    if script.text.trim_start().starts_with("<<") {
        // `RUN <<EOF`: the script is the heredoc, read from the heredoc block.
        return;
    }
    let shell = super::shell::extract(&script.text);
    spans.extend(shell.spans.into_iter().map(|span| script.span_to_raw(span)));
}

/// The spans of a heredoc body: shell spans when the instruction runs it as the script
/// (`RUN <<EOF`), otherwise one `Code` span.
fn heredoc_spans(block: Node, text: &str, spans: &mut Vec<Span>) {
    let lines: Vec<Node> = block
        .children(&mut block.walk())
        .filter(|child| child.kind() == "heredoc_line")
        .collect();
    let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
        return;
    };
    let body = first.start_byte()..last.end_byte();
    let is_script = block.parent().is_some_and(|instruction| {
        instruction.kind() == "run_instruction"
            && instruction
                .children(&mut instruction.walk())
                .find(|child| child.kind() == "shell_command")
                .is_some_and(|command| node_text(command, text).trim_start().starts_with("<<"))
    });
    if !is_script {
        spans.push(code_span(body, Vec::new(), None));
        return;
    }
    let shell = super::shell::extract(&text[body.clone()]);
    let shift = |r: Range<usize>| r.start + body.start..r.end + body.start;
    spans.extend(shell.spans.into_iter().map(|span| Span {
        range: shift(span.range),
        holes: span.holes.into_iter().map(shift).collect(),
        ..span
    }));
}

#[cfg(test)]
mod tests {
    use super::super::test_support::n as k;
    use super::*;
    use SpanContext::{Code, Comment};

    /// Text, context and key name of every span of a file that must parse cleanly.
    fn spans(source: &str) -> Vec<(&str, SpanContext, Option<String>)> {
        let extraction = extract(source);
        assert_eq!(extraction.syntax_error, None, "{source:?}");
        extraction
            .spans
            .into_iter()
            .map(|span| (&source[span.range], span.context, span.key_name))
            .collect()
    }

    #[test]
    fn env_arg_and_label_values_with_names() {
        let source = "# syntax=docker/dockerfile:1\nFROM python:3.12-slim AS base\n\
            ARG MODEL=anthropic.claude-v2\nARG NO_DEFAULT\n\
            ENV MODEL_ID=us.anthropic.claude-3-5-sonnet-20240620-v1:0 \\\n    R=\"us-east-1\" S='x y'\n\
            ENV OLD anthropic.claude-v2\n\
            LABEL com.example.model=\"anthropic.claude-v2\" other=v\n";
        assert_eq!(
            spans(source),
            [
                ("# syntax=docker/dockerfile:1", Comment, None),
                ("anthropic.claude-v2", Code, k("MODEL")),
                (
                    "us.anthropic.claude-3-5-sonnet-20240620-v1:0",
                    Code,
                    k("MODEL_ID")
                ),
                ("us-east-1", Code, k("R")),
                ("x y", Code, k("S")),
                ("anthropic.claude-v2", Code, k("OLD")),
                ("anthropic.claude-v2", Code, k("com.example.model")),
                ("v", Code, k("other")),
            ]
        );
        let extraction = extract(source);
        assert_eq!(extraction.spans[1].range, 69..88);
        assert_eq!(extraction.spans[2].range, 117..161);
    }

    #[test]
    fn expansions_are_holes_and_defaults_are_spans() {
        let source = "ENV A=\"us.${GEO}.anthropic.claude-v2\" B=${M:-anthropic.claude-v2}\n";
        let extraction = extract(source);
        assert_eq!(extraction.syntax_error, None);
        let found = super::super::test_support::texts_and_holes(source, &extraction);
        assert_eq!(
            found,
            [
                ("us.${GEO}.anthropic.claude-v2", vec!["${GEO}"]),
                (
                    "${M:-anthropic.claude-v2}",
                    vec!["${M:-anthropic.claude-v2}"]
                ),
                ("anthropic.claude-v2", vec![]),
            ]
        );
    }

    #[test]
    fn run_commands_go_through_the_shell_extractor() {
        let source = "RUN pip install boto3 && \\\n    # a comment line\n    \
            aws bedrock-runtime converse --model-id \"$MODEL\" \\\n    --x anthropic.claude-v2\n\
            CMD python app.py --model anthropic.claude-v2 # why\n";
        assert_eq!(
            spans(source),
            [
                ("install", Code, None),
                ("boto3", Code, None),
                ("# a comment line", Comment, None),
                ("bedrock-runtime", Code, None),
                ("converse", Code, None),
                ("--model-id", Code, None),
                ("$MODEL", Code, k("--model-id")),
                ("--x", Code, None),
                ("anthropic.claude-v2", Code, k("--x")),
                ("app.py", Code, None),
                ("--model", Code, None),
                ("anthropic.claude-v2", Code, k("--model")),
                ("# why", Comment, None),
            ]
        );
        let extraction = extract(source);
        let model = &extraction.spans[6];
        assert_eq!(
            model
                .holes
                .iter()
                .map(|h| &source[h.clone()])
                .collect::<Vec<_>>(),
            ["$MODEL"]
        );
    }

    #[test]
    fn exec_form_heredocs_and_nested_instructions() {
        let source = "RUN [\"python\", \"-c\", \"print('anthropic.claude-v2')\"]\n\
            RUN <<EOT\nexport M=anthropic.claude-v2\nEOT\n\
            RUN python3 <<EOF\nprint('x')\nEOF\n\
            ONBUILD RUN echo hi\nHEALTHCHECK CMD curl \"$URL\"\n\
            COPY --chown=a:b src/ /app/\n";
        assert_eq!(
            spans(source),
            [
                ("python", Code, None),
                ("-c", Code, None),
                ("print('anthropic.claude-v2')", Code, None),
                ("anthropic.claude-v2", Code, k("M")),
                ("print('x')", Code, None),
                ("hi", Code, None),
                ("$URL", Code, None),
            ]
        );
    }

    #[test]
    fn crlf_file_maps_back_to_original_bytes() {
        let source = "# c\r\nENV M=anthropic.claude-v2\r\nRUN echo a \\\r\n  && echo \"b\"\r\n";
        assert_eq!(
            spans(source),
            [
                ("# c", Comment, None),
                ("anthropic.claude-v2", Code, k("M")),
                ("a", Code, None),
                ("b", Code, None),
            ]
        );
        let extraction = extract(source);
        assert_eq!(extraction.spans[1].range, 11..30);
        assert_eq!(extraction.spans[3].range, 57..58);
    }

    #[test]
    fn non_ascii_offsets() {
        let source = "LABEL description=\"Größe 🚀\" model=anthropic.claude-v2\n";
        let extraction = extract(source);
        let start = source.find("anthropic").unwrap();
        assert_eq!(extraction.spans[1].range, start..start + 19);
        assert_eq!(spans(source)[0], ("Größe 🚀", Code, k("description")));
    }

    #[test]
    fn syntax_errors_and_odd_input() {
        let source = "ENV M=anthropic.claude-v2\nENV OLD value with spaces\n";
        let extraction = extract(source);
        let error = extraction.syntax_error.expect("syntax error");
        assert_eq!(error.line, 2);
        assert_eq!(
            &source[extraction.spans[0].range.clone()],
            "anthropic.claude-v2"
        );
        assert_eq!(extract(""), Extraction::default());
        for input in [
            "RUN",
            "ENV",
            "ENV A=\"",
            "RUN [\"",
            "RUN <<EOF\n",
            "\r\n\r",
            "\\\r\n",
        ] {
            super::super::test_support::assert_in_bounds(input, &extract(input));
        }
    }
}
