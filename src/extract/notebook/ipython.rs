//! IPython code cells: Python with `!` shell escapes and `%` magics, and cell magics that
//! name another language (see the parent module's documentation).

use std::ops::Range;

use super::text_span;
use crate::extract::{Language, Span, SpanContext};

/// Line magics whose argument is a shell command line (or, for `%env`, an assignment).
const SHELL_LINE_MAGICS: &[&str] = &["sx", "system", "env", "set_env"];

/// Line magics that run the package manager of their name with their arguments.
const PACKAGE_LINE_MAGICS: &[&str] = &["pip", "conda", "mamba"];

/// Line magics whose argument is a Python statement.
const PYTHON_LINE_MAGICS: &[&str] = &["time", "timeit", "prun", "debug"];

/// What a cell magic's body is.
enum Body {
    /// Read by this language's extractor.
    Language(Language),
    /// Reported as text.
    Text,
}

/// The spans of a code cell's text (offsets in that text): a cell magic picks the
/// language, otherwise the cell is IPython.
pub(super) fn code_cell_spans(text: &str) -> Vec<Span> {
    let Some(magic) = text.strip_prefix("%%") else {
        return ipython_spans(text);
    };
    let line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut words = magic[..line_end - 2].split_whitespace();
    let name = words.next().unwrap_or_default();
    let args: Vec<&str> = words.collect();
    let body = match name {
        "bash" | "sh" | "!" | "system" => Body::Language(Language::Shell),
        "script"
            if args.first().is_some_and(|program| {
                matches!(program.rsplit('/').next(), Some("bash" | "sh" | "zsh"))
            }) =>
        {
            Body::Language(Language::Shell)
        }
        "writefile" | "file" => args
            .iter()
            .rev()
            .find(|arg| !arg.starts_with('-'))
            .and_then(|path| Language::from_path(std::path::Path::new(path)))
            .filter(|language| *language != Language::Notebook)
            .map_or(Body::Text, Body::Language),
        "javascript" | "js" => Body::Language(Language::JavaScript),
        "time" | "timeit" | "capture" | "prun" | "debug" => Body::Language(Language::Python),
        _ => Body::Text,
    };
    let body_text = &text[line_end..];
    let spans = match body {
        Body::Language(Language::Python) => ipython_spans(body_text),
        Body::Language(language) => crate::extract::extract(language, body_text).spans,
        Body::Text if body_text.is_empty() => Vec::new(),
        Body::Text => vec![text_span(0..body_text.len())],
    };
    spans
        .into_iter()
        .map(|span| span.shifted(line_end))
        .collect()
}

/// The spans of IPython code: Python, with `!` and `%` lines read as described in the
/// module documentation.
fn ipython_spans(text: &str) -> Vec<Span> {
    let magics = magic_lines(text);
    if magics.is_empty() {
        return crate::extract::python::extract(text).spans;
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
    let mut spans = crate::extract::python::extract(&masked).spans;
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
        (crate::extract::shell::extract(command).spans, offset)
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
                crate::extract::shell::extract(magic).spans,
                indent + body.len() - magic.len(),
            )
        } else if SHELL_LINE_MAGICS.contains(&name) {
            (crate::extract::shell::extract(argument).spans, offset)
        } else if PYTHON_LINE_MAGICS.contains(&name) {
            (crate::extract::python::extract(argument).spans, offset)
        } else {
            let comment = Span::plain(0..body.len(), SpanContext::Comment);
            (vec![comment], indent)
        }
    };
    spans
        .into_iter()
        .map(|span| span.shifted(at + offset))
        .collect()
}
