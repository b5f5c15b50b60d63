//! Rust extractor: string-literal contents, doc comments and comments of a `.rs` file.
//!
//! # Why tokens rather than `syn`'s syntax tree
//!
//! A model ID in Rust code very often sits inside a macro invocation —
//! `format!("…")`, `json!({"modelId": "…"})`, `vec!["…"]`, `concat!(…)` — or in an
//! attribute argument (`#[serde(rename = "…")]`). `syn` keeps the input of every macro
//! (and of most attributes) as an opaque token stream, so walking its syntax tree would
//! miss exactly these places. Instead the whole file is tokenized with
//! [`proc_macro2::TokenStream::from_str`] and every token is visited, descending into
//! every delimited group; each string [`proc_macro2::Literal`] yields a
//! [`SpanContext::Code`] span no matter where it sits.
//!
//! The tokenizer also turns doc comments (`///`, `//!`, `/** */`, `/*! */`) into
//! `#[doc = "…"]` tokens whose span covers the comment in the source, which is how they
//! become [`SpanContext::Docstring`] spans; ordinary comments are dropped by the
//! tokenizer and are found again in the bytes between tokens (see [`extract`]).
//!
//! `syn` is still used, but only to decide whether the file is valid Rust
//! ([`Extraction::syntax_error`]); it parses the very token stream that was walked, so
//! the file is tokenized once.
//!
//! # Byte offsets
//!
//! `proc-macro2` (with its `span-locations` feature) gives every token a line and a
//! character column in the string that was tokenized — `source` minus a shebang line, so
//! only that line's length has to be added back. They are turned into byte offsets by
//! counting characters along the text in file order (see `BytePositions`), which gives the
//! same answer as [`proc_macro2::Span::byte_range`] at a third of the cost.

use std::ops::Range;
use std::str::FromStr;

use proc_macro2::{Delimiter, LineColumn, TokenStream, TokenTree};

use super::{Extraction, Span, SpanContext, SyntaxError, failed, line_col, marked_holes};

/// Stack size of the thread that extracts one file (see [`extract`]).
///
/// `syn` parses by recursive descent. Measured with syn 3.0.9 in a debug build, a
/// 2 MiB thread (the size of `std::thread::spawn` and test threads) overflows on about
/// 90 nested blocks or 35 nested generic types (`Vec<Vec<…>>`); 64 MiB takes about
/// 3,000 nested blocks or 1,100 nested generics. The memory is reserved, not committed:
/// only the pages that a deep file really touches are used.
pub(crate) const EXTRACT_STACK_SIZE: usize = 64 << 20;

/// Deepest nesting of delimiters (`()`, `[]`, `{}`) that is handed to `syn`.
///
/// A file nested deeper than this (no hand-written code comes near it) is not parsed
/// by `syn`, so that a pathological file cannot overflow even the stack of
/// [`EXTRACT_STACK_SIZE`]: it is reported as a syntax error (the planner then only
/// reports on it) while its spans are still returned. Walking the tokens is iterative
/// and has no such limit.
pub(crate) const MAX_VERIFIED_DEPTH: usize = 512;

/// Largest file handed to the tokenizer, in bytes.
///
/// `proc-macro2` numbers characters with `u32` positions in its source map; this keeps
/// every file far away from that limit.
pub(crate) const MAX_SOURCE_LEN: usize = (u32::MAX / 4) as usize;

/// Extract the spans of a Rust source file.
///
/// - [`SpanContext::Code`]: the contents (between the quotes, without prefixes such as
///   `r#`, `b`, `br##`, `c`) of every string literal: `"…"`, `r"…"`, `r#"…"#`, byte
///   strings and C strings, anywhere in the file, including inside macro invocations and
///   attributes. Character literals and numbers are skipped. Format placeholders
///   (`{}`, `{geo}`, `{0:>8}`, not the escaped `{{`) are `holes`: `format!("{}.anthropic.…",
///   geo)` splices text into the ID at run time, so an ID touching one is only part of an
///   ID. The placeholder syntax is recognised in every literal, since whether a literal
///   reaches a formatting macro is not visible from the tokens.
/// - [`SpanContext::Docstring`]: each doc comment (`///`, `//!`, `/** */`, `/*! */`),
///   the whole comment text with its markers (without the `\r` of a CRLF line end).
/// - [`SpanContext::Comment`]: each ordinary comment (`//`, `////`, `/* */` with nested
///   block comments), found in the bytes between tokens: those bytes can hold only
///   whitespace and comments, so a small scanner finds them, and a `//` inside a string
///   literal is never mistaken for a comment.
///
/// A leading shebang line (`#!…` not followed by `[`) is skipped, as `rustc` does.
///
/// [`Extraction::syntax_error`] is `Some` when the file does not tokenize (unterminated
/// literal or block comment, unbalanced delimiters — then no spans are returned, since
/// token positions are unknown), when `syn` rejects it (spans are still returned), or
/// when it is nested too deeply to be checked (more than 512 levels of
/// `()`, `[]`, `{}`).
///
/// The work runs on a scoped thread with a large stack (64 MiB) because
/// `syn`'s recursive descent can overflow an ordinary thread's stack on deeply nested
/// but valid code, and a stack overflow aborts the whole process. Spawning costs about
/// 45 µs; if it fails, the work runs on the calling thread. A panic inside the
/// tokenizer or parser is caught and reported as a syntax error. What the delimiter
/// limit cannot bound is nesting without delimiters: a file with thousands of nested
/// `&&&…T` or `Vec<Vec<…>>` could still overflow 64 MiB (no real code comes close).
pub fn extract(source: &str) -> Extraction {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("rust-extract".to_owned())
            .stack_size(EXTRACT_STACK_SIZE)
            .spawn_scoped(scope, || extract_on_this_thread(source));
        let result = match worker {
            Ok(handle) => handle.join(),
            Err(_) => std::panic::catch_unwind(|| extract_on_this_thread(source)),
        };
        result.unwrap_or_else(|_| {
            failed(
                source,
                SyntaxError {
                    line: 1,
                    column: 1,
                    message: "internal error: the Rust tokenizer or parser panicked".to_owned(),
                },
            )
        })
    })
}

/// Resets `proc-macro2`'s thread-local source map when dropped.
///
/// With `span-locations`, every [`TokenStream::from_str`] appends a copy of its input
/// (plus line tables) to a thread-local source map that is never freed and whose `u32`
/// positions keep growing. A thread that extracts thousands of files would hold a copy
/// of all of them. [`proc_macro2::extra::invalidate_current_thread_spans`] empties the
/// map; afterwards every span created before is dangling (using one panics), so no
/// `proc-macro2` or `syn` value may outlive the guard: everything is converted to byte
/// offsets first. A guard rather than a call at the end makes the reset happen on every
/// return path, and during unwinding.
///
/// Caveat: this also invalidates spans that other code on the same thread holds. In this
/// crate only this module uses `proc-macro2`, and [`extract`] runs on its own thread.
pub(crate) struct SourceMapReset;

impl Drop for SourceMapReset {
    fn drop(&mut self) {
        proc_macro2::extra::invalidate_current_thread_spans();
    }
}

/// [`extract`] without the dedicated thread.
fn extract_on_this_thread(source: &str) -> Extraction {
    if source.len() > MAX_SOURCE_LEN {
        return failed(
            source,
            SyntaxError {
                line: 1,
                column: 1,
                message: format!("file too large to tokenize ({} bytes)", source.len()),
            },
        );
    }
    let _reset = SourceMapReset;

    let offset = shebang_len(source);
    let Some(code) = source.get(offset..) else {
        return Extraction::default();
    };
    let tokens = match TokenStream::from_str(code) {
        Ok(tokens) => tokens,
        Err(err) => {
            // Unbalanced delimiters (`fn broken( {`): nothing can be read as Rust, so the
            // whole text is searched and every rewrite in it is review.
            let at = err.span().byte_range().start.saturating_add(offset);
            return failed(source, error_at(source, at, lex_error_message(source, at)));
        }
    };

    let walk = Walk::run(source, offset, tokens.clone());
    let syntax_error = if let Some(at) = walk.too_deep_at {
        Some(error_at(
            source,
            at,
            format!(
                "delimiters nested {} deep (more than {MAX_VERIFIED_DEPTH}); not parsed",
                walk.max_depth
            ),
        ))
    } else {
        // The same check as `syn::parse_file(source)`, which strips a shebang and then
        // tokenizes and parses, but without tokenizing a second time.
        match syn::parse2::<syn::File>(tokens) {
            Ok(_) => None,
            Err(err) => {
                let range = err.span().byte_range();
                let at = if range.is_empty() && range.start == 0 {
                    // `Span::call_site()`: syn's position for "unexpected end of input"
                    // at the top level. Point just past the last token, as rustc does.
                    walk.last_token_end
                } else {
                    range.start.saturating_add(offset)
                };
                Some(error_at(source, at, err.to_string()))
            }
        }
    };
    Extraction {
        spans: walk.into_spans(),
        syntax_error,
    }
}

/// A [`SyntaxError`] at byte `offset` of `source`.
fn error_at(source: &str, offset: usize, message: String) -> SyntaxError {
    // Positions come from token boundaries; make sure anyway, since `line_col` slices.
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let (line, column) = line_col(source, offset);
    SyntaxError {
        line,
        column,
        message,
    }
}

/// Describe a tokenizer error from what is at its position (`proc-macro2` itself only
/// says "cannot parse string into token stream").
///
/// The tokenizer stops at the opening delimiter that is never closed, at a closing
/// delimiter that does not match, or at the start of a token it cannot read
/// (unterminated string, bad character, unterminated block comment).
fn lex_error_message(source: &str, at: usize) -> String {
    let rest = source.get(at..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return "cannot tokenize: unexpected end of file".to_owned();
    };
    let detail = match first {
        '(' | '[' | '{' => format!("unclosed delimiter `{first}`"),
        ')' | ']' | '}' => format!("unexpected closing delimiter `{first}`"),
        '"' | '\'' => "unterminated or invalid literal".to_owned(),
        'b' | 'c' | 'r' if literal_prefix_len(rest).is_some() || rest.starts_with("b'") => {
            "unterminated or invalid literal".to_owned()
        }
        '/' if rest.starts_with("/*") => "unterminated block comment".to_owned(),
        _ => format!("unexpected `{}`", first.escape_debug()),
    };
    format!("cannot tokenize: {detail}")
}

/// The state of one walk over a file's tokens.
struct Walk<'a> {
    source: &'a str,
    /// Length of the shebang line: token positions are relative to the text after it.
    offset: usize,
    /// Turns token positions into byte offsets of `source[offset..]`.
    positions: BytePositions<'a>,
    /// End of the last token or delimiter seen; comments are searched from here.
    cursor: usize,
    spans: Vec<Span>,
    /// Deepest nesting of delimited groups.
    max_depth: usize,
    /// Where the first group nested deeper than [`MAX_VERIFIED_DEPTH`] opens.
    too_deep_at: Option<usize>,
    /// End of the last top-level token, where "unexpected end of input" is reported.
    last_token_end: usize,
}

impl<'a> Walk<'a> {
    /// Visit every token of `tokens` (which were read from `source[offset..]`) in file
    /// order, with an explicit stack instead of recursion so that nesting depth cannot
    /// overflow the stack.
    fn run(source: &'a str, offset: usize, tokens: TokenStream) -> Walk<'a> {
        let mut walk = Walk {
            source,
            offset,
            positions: BytePositions::new(source.get(offset..).unwrap_or("")),
            cursor: offset,
            spans: Vec::new(),
            max_depth: 0,
            too_deep_at: None,
            last_token_end: offset,
        };
        // Each entry: the tokens of a group still to visit, and its closing delimiter
        // (converted only when reached, so that positions are asked for in file order).
        let mut stack = vec![(tokens.into_iter(), None)];
        while let Some((tokens, _)) = stack.last_mut() {
            match tokens.next() {
                Some(TokenTree::Group(group)) => {
                    let open = walk.range(group.span_open());
                    if let Some(open) = &open {
                        walk.token(open);
                    }
                    // `None`-delimited groups have no delimiters in the text; they do not
                    // come out of the tokenizer, but do not count them as nesting.
                    let depth = stack.len();
                    if group.delimiter() != Delimiter::None && depth > walk.max_depth {
                        walk.max_depth = depth;
                        if depth > MAX_VERIFIED_DEPTH && walk.too_deep_at.is_none() {
                            walk.too_deep_at = Some(open.as_ref().map_or(walk.cursor, |r| r.start));
                        }
                    }
                    stack.push((group.stream().into_iter(), Some(group.span_close())));
                }
                Some(TokenTree::Literal(literal)) => {
                    if let Some(range) = walk.range(literal.span()) {
                        walk.token(&range);
                        walk.literal(range);
                    }
                }
                Some(other) => {
                    if let Some(range) = walk.range(other.span()) {
                        walk.token(&range);
                    }
                }
                None => {
                    if let Some((_, Some(close))) = stack.pop()
                        && let Some(close) = walk.range(close)
                    {
                        walk.token(&close);
                    }
                }
            }
            if stack.len() == 1 {
                walk.last_token_end = walk.cursor;
            }
        }
        walk.comments(source.len());
        walk
    }

    /// The byte range in `source` of a token's span, if it lies inside `source`.
    fn range(&mut self, span: proc_macro2::Span) -> Option<Range<usize>> {
        let start = self
            .positions
            .byte(span.start())?
            .checked_add(self.offset)?;
        let end = self.positions.byte(span.end())?.checked_add(self.offset)?;
        (start <= end && end <= self.source.len()).then_some(start..end)
    }

    /// A token (or delimiter) covers `range`: look for comments in the gap before it.
    fn token(&mut self, range: &Range<usize>) {
        self.comments(range.start);
        self.cursor = self.cursor.max(range.end);
    }

    /// Find the comments between the cursor and `end`.
    ///
    /// The tokenizer skipped these bytes, so they hold only whitespace and ordinary
    /// comments (doc comments became tokens): no string literal can start here.
    fn comments(&mut self, end: usize) {
        let bytes = self.source.as_bytes();
        let end = end.min(bytes.len());
        let mut i = self.cursor;
        while i < end {
            let gap = bytes.get(i..end).unwrap_or_default();
            let Some(slash) = memchr::memchr(b'/', gap) else {
                break;
            };
            i += slash;
            let rest = bytes.get(i..end).unwrap_or_default();
            let comment_end = match rest.get(1) {
                Some(b'/') => line_comment_end(rest).map_or(end, |len| i + len),
                Some(b'*') => i + block_comment_len(rest),
                _ => {
                    i += 1;
                    continue;
                }
            };
            self.push(i..comment_end, SpanContext::Comment);
            i = comment_end.max(i + 2);
        }
        self.cursor = self.cursor.max(end);
    }

    /// A literal token at `range`: a string literal, a doc comment, or neither.
    fn literal(&mut self, range: Range<usize>) {
        let Some(text) = self.source.get(range.clone()) else {
            return;
        };
        if text.starts_with("//") || text.starts_with("/*") {
            // The `#[doc = "…"]` that the tokenizer made of a doc comment: its span is
            // the comment itself. A line doc comment's span takes in the `\r` of `\r\n`.
            let end = range.start + text.strip_suffix('\r').unwrap_or(text).len();
            self.push(range.start..end, SpanContext::Docstring);
        } else if let Some(contents) = string_contents(text) {
            let start = range.start + contents.start;
            let holes = format_placeholders(&text[contents.clone()])
                .into_iter()
                .map(|h| h.start + start..h.end + start)
                .collect();
            self.spans.push(Span {
                range: start..range.start + contents.end,
                context: SpanContext::Code,
                holes,
                key: None,
                key_name: None,
            });
        }
    }

    fn push(&mut self, range: Range<usize>, context: SpanContext) {
        self.spans.push(Span::plain(range, context));
    }

    /// The spans sorted by start, without overlaps.
    ///
    /// The walk already produces them in file order and tokens never overlap; this only
    /// makes the documented guarantee hold whatever the tokenizer does.
    fn into_spans(self) -> Vec<Span> {
        let mut spans = self.spans;
        spans.sort_by_key(|span| (span.range.start, span.range.end));
        let mut end = 0;
        spans.retain(|span| {
            let keep = span.range.start >= end;
            if keep {
                end = span.range.end;
            }
            keep
        });
        spans
    }
}

/// Converts token positions (line, column in characters) into byte offsets.
///
/// [`proc_macro2::Span::byte_range`] would do this, but it caches every answer in a
/// `BTreeMap` inside the shared source map, which made it the largest cost of the whole
/// extraction (on a 145 KB file, 19 ms against 6 ms to tokenize it). Asked in file order, as
/// the walk does, each conversion here only counts the characters since the previous
/// one, so a whole file costs one pass over its text.
pub(crate) struct BytePositions<'a> {
    text: &'a str,
    /// Byte offset of the start of each line (line 1 first).
    line_starts: Vec<usize>,
    /// The previous conversion; the next one on the same line counts from it.
    last: (LineColumn, usize),
}

impl<'a> BytePositions<'a> {
    pub(crate) fn new(text: &'a str) -> BytePositions<'a> {
        let newlines = memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1);
        BytePositions {
            text,
            line_starts: std::iter::once(0).chain(newlines).collect(),
            last: (LineColumn { line: 1, column: 0 }, 0),
        }
    }

    /// Byte offset of `at` in the text, or `None` if it lies outside.
    ///
    /// A position before the previous one (doc comments give all their tokens the
    /// comment's span) counts backwards on the same line.
    pub(crate) fn byte(&mut self, at: LineColumn) -> Option<usize> {
        let (from_column, from) = if at.line == self.last.0.line {
            (self.last.0.column, self.last.1)
        } else {
            (0, *self.line_starts.get(at.line.checked_sub(1)?)?)
        };
        let byte = if at.column >= from_column {
            match at.column - from_column {
                0 => from,
                n => {
                    let (i, c) = self.text.get(from..)?.char_indices().nth(n - 1)?;
                    from + i + c.len_utf8()
                }
            }
        } else {
            let n = from_column - at.column;
            self.text.get(..from)?.char_indices().nth_back(n - 1)?.0
        };
        self.last = (at, byte);
        Some(byte)
    }
}

/// Ranges (relative to `text`) of `format!`-style placeholders: `{` + an optional argument
/// and format spec + `}`. `{{` and `}}` are escapes, and braces around anything else (JSON
/// such as `{"modelId": …}`) are not placeholders.
fn format_placeholders(text: &str) -> Vec<Range<usize>> {
    marked_holes(text, b'{', |bytes, i| {
        let inner = bytes[i + 1..]
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b"_:.?#<>^+-$ ".contains(&b))
            .count();
        (bytes.get(i + 1 + inner) == Some(&b'}')).then_some(inner + 2)
    })
}

fn line_comment_end(text: &[u8]) -> Option<usize> {
    let newline = memchr::memchr(b'\n', text)?;
    let before = text.get(..newline).unwrap_or_default();
    Some(match before.last() {
        Some(b'\r') => newline - 1,
        _ => newline,
    })
}

/// Length of the block comment at the start of `text` (which starts with `/*`),
/// counting nested `/* */` pairs as Rust does; all of `text` if it is unterminated.
fn block_comment_len(text: &[u8]) -> usize {
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&[first, second]) = text.get(i..i + 2) {
        match (first, second) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth = depth.saturating_sub(1);
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    text.len()
}

/// Length of the shebang line at the start of `source` (without its `\n`), or 0.
///
/// Like `rustc`, `#!` starts a shebang unless the next thing after whitespace and
/// ordinary comments is `[` (then it is an inner attribute, `#![…]`). The tokenizer
/// would choke on many shebangs (`#!/bin/sh "$0"`), so the line is left out of what it
/// reads.
pub(crate) fn shebang_len(source: &str) -> usize {
    let Some(mut rest) = source.strip_prefix("#!") else {
        return 0;
    };
    loop {
        rest = rest
            .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{200e}' || c == '\u{200f}');
        if rest.starts_with("//") && !is_doc_comment(rest) {
            rest = rest.find('\n').and_then(|i| rest.get(i..)).unwrap_or("");
        } else if rest.starts_with("/*") && !is_doc_comment(rest) {
            rest = rest.get(block_comment_len(rest.as_bytes())..).unwrap_or("");
        } else {
            break;
        }
    }
    if rest.starts_with('[') {
        0
    } else {
        source.find('\n').unwrap_or(source.len())
    }
}

/// Whether `text` starts with a doc comment: `///` (not `////`), `//!`, `/**` (not
/// `/***` or `/**/`), `/*!`.
fn is_doc_comment(text: &str) -> bool {
    (text.starts_with("///") && !text.starts_with("////"))
        || text.starts_with("//!")
        || (text.starts_with("/**") && !text.starts_with("/***") && !text.starts_with("/**/"))
        || text.starts_with("/*!")
}

/// Length of the prefix of a string literal before its contents (`"`, `r#"`, `b"`,
/// `br##"`, `c"`, `cr"`), or `None` if `text` does not start like a string literal.
fn literal_prefix_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    if matches!(bytes.first(), Some(b'b' | b'c')) {
        i += 1;
    }
    if bytes.get(i) == Some(&b'r') {
        i += 1;
        while bytes.get(i) == Some(&b'#') {
            i += 1;
        }
    }
    (bytes.get(i) == Some(&b'"')).then_some(i + 1)
}

/// The range of the contents of the string literal `text` (a whole literal token as
/// written), or `None` if it is another kind of literal (character, byte, number).
///
/// The contents end at the last `"`: a raw string's closing hashes and a literal's
/// suffix (`"…"suffix`, an identifier) cannot contain one.
pub(crate) fn string_contents(text: &str) -> Option<Range<usize>> {
    let start = literal_prefix_len(text)?;
    let end = text.rfind('"')?;
    (start <= end).then_some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spans of `source` as (context, text) pairs.
    fn texts(source: &str) -> Vec<(SpanContext, &str)> {
        let extraction = extract(source);
        check_invariants(source, &extraction);
        extraction
            .spans
            .iter()
            .map(|span| (span.context, &source[span.range.clone()]))
            .collect()
    }

    /// Only the string-literal contents of `source`.
    fn code(source: &str) -> Vec<&str> {
        texts(source)
            .into_iter()
            .filter(|(context, _)| *context == SpanContext::Code)
            .map(|(_, text)| text)
            .collect()
    }

    /// Sorted, non-overlapping, in bounds, on character boundaries, holes inside spans.
    fn check_invariants(source: &str, extraction: &Extraction) {
        let mut end = 0;
        for span in &extraction.spans {
            assert!(
                span.range.start >= end,
                "overlap or disorder: {extraction:?}"
            );
            assert!(span.range.start <= span.range.end);
            assert!(
                source.get(span.range.clone()).is_some(),
                "bad range {span:?}"
            );
            for hole in &span.holes {
                assert!(span.range.start <= hole.start && hole.end <= span.range.end);
            }
            end = span.range.end;
        }
    }

    fn error(source: &str) -> SyntaxError {
        extract(source)
            .syntax_error
            .unwrap_or_else(|| panic!("expected a syntax error in {source:?}"))
    }

    #[test]
    fn plain_string_has_exact_content_range() {
        let source = r#"const M: &str = "anthropic.claude-3-5-sonnet-20240620-v1:0";"#;
        let extraction = extract(source);
        assert_eq!(extraction.syntax_error, None);
        assert_eq!(
            extraction.spans,
            vec![Span {
                range: 17..58,
                context: SpanContext::Code,
                holes: vec![],
                key: None,
                key_name: None,
            }]
        );
        assert_eq!(&source[17..58], "anthropic.claude-3-5-sonnet-20240620-v1:0");
    }

    #[test]
    fn escapes_are_kept_as_written() {
        let source = r#"const M: &str = "a\"b\\c\n";"#;
        assert_eq!(code(source), vec![r#"a\"b\\c\n"#]);
    }

    #[test]
    fn empty_string_gives_an_empty_span() {
        let source = r#"const M: &str = "";"#;
        let spans = extract(source).spans;
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].range, 17..17);
    }

    #[test]
    fn raw_strings_exclude_prefix_and_hashes() {
        let source = r###"
            const A: &str = r"x\y";
            const B: &str = r#"say "hi""#;
            const C: &str = r##"has "# inside"##;
        "###;
        assert_eq!(
            code(source),
            vec![r"x\y", r#"say "hi""#, r##"has "# inside"##]
        );
        let spans = extract(source).spans;
        let start = source.find("has").unwrap();
        assert_eq!(spans[2].range, start..start + "has \"# inside".len());
    }

    #[test]
    fn byte_and_c_strings() {
        let source = r###"
            const A: &[u8] = b"bytes";
            const B: &[u8] = br#"raw "bytes""#;
            const C: &CStr = c"cstr";
            const D: &CStr = cr##"raw cstr"##;
        "###;
        assert_eq!(
            code(source),
            vec!["bytes", r#"raw "bytes""#, "cstr", "raw cstr"]
        );
        assert_eq!(extract(source).syntax_error, None);
    }

    #[test]
    fn chars_bytes_and_numbers_are_skipped() {
        let source = r#"fn f() { let _ = ('a', '"', '\'', b'x', b'"', 42u8, 1.5e3, "s"); }"#;
        assert_eq!(texts(source), vec![(SpanContext::Code, "s")]);
    }

    #[test]
    fn literal_suffix_is_not_content() {
        let source = r##"fn f() { let _ = ("abc"suf, r#"raw"#suf); }"##;
        assert_eq!(code(source), vec!["abc", "raw"]);
    }

    #[test]
    fn literals_inside_macros_and_attributes() {
        let source = r#"
            #[derive(serde::Serialize)]
            #[serde(rename = "modelId")]
            struct S;
            #[cfg(feature = "bedrock")]
            fn f(x: u8) {
                let a = format!("{} anthropic.claude-v2 {x}", x);
                let b = json!({"modelId": "anthropic.claude-instant-v1", "n": [1, "deep"]});
                let c = vec!["one", "two"];
                println!("printed");
                let d = concat!("con", "cat");
            }
            macro_rules! m {
                () => { "in macro_rules" };
            }
        "#;
        assert_eq!(
            code(source),
            vec![
                "modelId",
                "bedrock",
                "{} anthropic.claude-v2 {x}",
                "modelId",
                "anthropic.claude-instant-v1",
                "n",
                "deep",
                "one",
                "two",
                "printed",
                "con",
                "cat",
                "in macro_rules",
            ]
        );
        assert_eq!(extract(source).syntax_error, None);
    }

    #[test]
    fn format_placeholders_are_holes() {
        let source = r#"fn f() { let _ = format!("{}-{model:>8}{{x}}", 1); }"#;
        let spans = extract(source).spans;
        assert_eq!(spans.len(), 1);
        let holes: Vec<&str> = spans[0].holes.iter().map(|h| &source[h.clone()]).collect();
        assert_eq!(holes, ["{}", "{model:>8}"]);
        // JSON braces are not placeholders.
        let source = r##"const J: &str = r#"{"modelId": "x"}"#;"##;
        assert!(extract(source).spans[0].holes.is_empty());
    }

    #[test]
    fn doc_comments_are_docstrings_with_whole_comment_range() {
        let source = "//! Crate doc: anthropic.claude-v2\n\
                      /*! Inner block doc */\n\
                      /// Item doc\n\
                      /** Block doc */\n\
                      fn f() {}\n";
        let extraction = extract(source);
        assert_eq!(extraction.syntax_error, None);
        let expected = [
            "//! Crate doc: anthropic.claude-v2",
            "/*! Inner block doc */",
            "/// Item doc",
            "/** Block doc */",
        ];
        assert_eq!(extraction.spans.len(), expected.len());
        for (span, text) in extraction.spans.iter().zip(expected) {
            assert_eq!(span.context, SpanContext::Docstring);
            let start = source.find(text).unwrap();
            assert_eq!(span.range, start..start + text.len());
        }
    }

    #[test]
    fn doc_comment_inside_macro_and_multiline_block_doc() {
        let source = "macro_rules! m { () => { /// in macro\n fn g() {} }; }\n\
                      /**\n * multi\n * line\n */\nfn f() {}\n";
        assert_eq!(
            texts(source),
            vec![
                (SpanContext::Docstring, "/// in macro"),
                (SpanContext::Docstring, "/**\n * multi\n * line\n */"),
            ]
        );
    }

    #[test]
    fn explicit_doc_attribute_is_code() {
        let source = "#[doc = \"written out\"]\nfn f() {}\n";
        assert_eq!(texts(source), vec![(SpanContext::Code, "written out")]);
    }

    #[test]
    fn ordinary_comments() {
        let source = "// line one\n\
                      fn f(/* in parens */ x: u8) {\n\
                      \x20   /* outer /* nested */ still outer */ let y = x; // trailing\n\
                      \x20   //// four slashes\n\
                      \x20   /*** three stars */ /**/\n\
                      }\n\
                      // at end without newline";
        assert_eq!(
            texts(source),
            vec![
                (SpanContext::Comment, "// line one"),
                (SpanContext::Comment, "/* in parens */"),
                (SpanContext::Comment, "/* outer /* nested */ still outer */"),
                (SpanContext::Comment, "// trailing"),
                (SpanContext::Comment, "//// four slashes"),
                (SpanContext::Comment, "/*** three stars */"),
                (SpanContext::Comment, "/**/"),
                (SpanContext::Comment, "// at end without newline"),
            ]
        );
        assert_eq!(extract(source).syntax_error, None);
    }

    #[test]
    fn comments_between_tokens_in_macro_arguments() {
        let source = "fn f() { let v = vec![1, // one\n 2 /* two */, 3]; }";
        assert_eq!(
            texts(source),
            vec![
                (SpanContext::Comment, "// one"),
                (SpanContext::Comment, "/* two */"),
            ]
        );
    }

    #[test]
    fn comment_markers_inside_strings_are_not_comments() {
        let source = r#"const U: &str = "https://example.com/* not a comment */"; // real"#;
        assert_eq!(
            texts(source),
            vec![
                (SpanContext::Code, "https://example.com/* not a comment */"),
                (SpanContext::Comment, "// real"),
            ]
        );
    }

    #[test]
    fn string_markers_inside_comments_are_not_strings() {
        let source = "/* \"not a string\" */ // \"nor this\nfn f() {}\n";
        assert_eq!(
            texts(source),
            vec![
                (SpanContext::Comment, "/* \"not a string\" */"),
                (SpanContext::Comment, "// \"nor this"),
            ]
        );
    }

    #[test]
    fn crlf_source() {
        let source = "// comment\r\n/// doc\r\nfn f() {\r\n    let s = \"str\";\r\n}\r\n";
        let extraction = extract(source);
        assert_eq!(extraction.syntax_error, None);
        assert_eq!(
            texts(source),
            vec![
                (SpanContext::Comment, "// comment"),
                (SpanContext::Docstring, "/// doc"),
                (SpanContext::Code, "str"),
            ]
        );
        let start = source.find("str\"").unwrap();
        assert_eq!(extraction.spans[2].range, start..start + 3);
    }

    #[test]
    fn non_ascii_before_literals_keeps_byte_offsets() {
        let source = "// héllo wörld ✓ 日本語\n\
                      const A: &str = \"日本\"; const B: &str = \"x\"; /* é */\n\
                      const C: &str = \"🦀 anthropic.claude-v2\";\n";
        let extraction = extract(source);
        assert_eq!(extraction.syntax_error, None);
        let ranges: Vec<_> = extraction.spans.iter().map(|s| s.range.clone()).collect();
        let find = |needle: &str| {
            let start = source.find(needle).unwrap();
            start..start + needle.len()
        };
        // Inside the quotes of the literal `"text"`.
        let quoted = |text: &str| {
            let range = find(&format!("\"{text}\""));
            range.start + 1..range.end - 1
        };
        assert_eq!(
            ranges,
            vec![
                find("// héllo wörld ✓ 日本語"),
                quoted("日本"),
                quoted("x"),
                find("/* é */"),
                quoted("🦀 anthropic.claude-v2"),
            ]
        );
    }

    #[test]
    fn shebang_line_is_skipped_and_offsets_stay_right() {
        let source = "#!/usr/bin/env -S sh -c 'exec \"$0\"' é\nfn main() { let s = \"after\"; }\n";
        let extraction = extract(source);
        assert_eq!(extraction.syntax_error, None);
        let start = source.find("after").unwrap();
        assert_eq!(
            extraction.spans,
            vec![Span {
                range: start..start + 5,
                context: SpanContext::Code,
                holes: vec![],
                key: None,
                key_name: None,
            }]
        );
    }

    #[test]
    fn inner_attribute_is_not_a_shebang() {
        let source = "#![doc = \"crate\"]\nfn f() {}\n";
        assert_eq!(extract(source).syntax_error, None);
        assert_eq!(code(source), vec!["crate"]);
        let spaced = "#! // comment\n [allow(dead_code)]\nfn f() { \"s\"; }\n";
        assert_eq!(extract(spaced).syntax_error, None);
        assert_eq!(
            texts(spaced),
            vec![
                (SpanContext::Comment, "// comment"),
                (SpanContext::Code, "s")
            ]
        );
    }

    #[test]
    fn shebang_only_file() {
        assert_eq!(extract("#!/bin/sh"), Extraction::default());
    }

    #[test]
    fn syntax_error_position_and_message() {
        let source = "fn main() {\n    let s = \"kept\";\n    let x = ;\n}\n";
        let extraction = extract(source);
        let err = extraction.syntax_error.clone().expect("syntax error");
        assert_eq!((err.line, err.column), (3, 13));
        assert_eq!(err.message, "expected an expression");
        // A file that tokenizes still yields its spans.
        assert_eq!(code(source), vec!["kept"]);
    }

    #[test]
    fn syntax_error_column_counts_characters() {
        let source = "fn f() { let é = \"日本\"; let x = ; }";
        let err = error(source);
        assert_eq!((err.line, err.column), (1, 32));
        assert_eq!(source.chars().nth(31), Some(';'));
    }

    #[test]
    fn syntax_error_after_shebang_has_file_position() {
        let source = "#!/usr/bin/env run\nfn f() { let x = ; }\n";
        let err = error(source);
        assert_eq!((err.line, err.column), (2, 18));
    }

    #[test]
    fn unexpected_end_of_input_points_after_last_token() {
        let err = error("fn f()\n   // trailing comment\n");
        assert_eq!((err.line, err.column), (1, 7));
        assert!(err.message.contains("end of input"), "{err:?}");
        let err = error("\n\nstruct");
        assert_eq!((err.line, err.column), (3, 7));
    }

    /// Found with the noisy benchmark corpus: `pub fn broken( {` later in a file hid the
    /// model ID of an earlier line (the tokenizer fails on unbalanced delimiters).
    #[test]
    fn unbalanced_delimiters_do_not_hide_references() {
        let source = "const MODEL_ID: &str = \"eu.anthropic.claude-3-7-sonnet-20250219-v1:0\";\npub fn broken( {\n";
        let extraction = extract(source);
        assert!(extraction.syntax_error.is_some());
        assert!(
            extraction
                .spans
                .iter()
                .any(|s| source[s.range.clone()].contains("eu.anthropic.claude-3-7-sonnet"))
        );
    }

    #[test]
    fn unterminated_string_does_not_panic() {
        let source = "fn f() {\n    let s = \"abc;\n}\n";
        let extraction = extract(source);
        let err = extraction.syntax_error.expect("syntax error");
        assert_eq!((err.line, err.column), (2, 13));
        assert_eq!(
            err.message,
            "cannot tokenize: unterminated or invalid literal"
        );
        // Nothing can be read as Rust: the whole text is one span, so its references are
        // still found (a syntax error makes their rewrites review).
        assert_eq!(extraction.spans.len(), 1);
        assert_eq!(extraction.spans[0].range, 0..source.len());
        let raw = error("const S: &str = r#\"never closed\";");
        assert_eq!((raw.line, raw.column), (1, 17));
        assert_eq!(
            raw.message,
            "cannot tokenize: unterminated or invalid literal"
        );
    }

    #[test]
    fn unbalanced_delimiters_do_not_panic() {
        let err = error("fn f() {\n    let v = (1, 2;\n}\n");
        assert_eq!(
            err.message,
            "cannot tokenize: unexpected closing delimiter `}`"
        );
        assert_eq!((err.line, err.column), (3, 1));
        let err = error("fn f() {\n    g(\n");
        assert_eq!(err.message, "cannot tokenize: unclosed delimiter `(`");
        assert_eq!((err.line, err.column), (2, 6));
        let err = error("fn f() {} }");
        assert_eq!(
            err.message,
            "cannot tokenize: unexpected closing delimiter `}`"
        );
        assert_eq!((err.line, err.column), (1, 11));
    }

    #[test]
    fn other_lex_errors_do_not_panic() {
        let err = error("/* never closed");
        assert_eq!(err.message, "cannot tokenize: unterminated block comment");
        assert_eq!((err.line, err.column), (1, 1));
        let err = error("fn f() { let c = '\n; }");
        assert!(err.message.starts_with("cannot tokenize"), "{err:?}");
        let err = error("fn f() {}\n\u{1}");
        assert_eq!(err.message, "cannot tokenize: unexpected `\\u{1}`");
        assert_eq!((err.line, err.column), (2, 1));
    }

    #[test]
    fn empty_and_trivia_only_files() {
        assert_eq!(extract(""), Extraction::default());
        assert_eq!(extract(" \n\t\r\n"), Extraction::default());
        assert_eq!(texts("// only\n"), vec![(SpanContext::Comment, "// only")]);
    }

    #[test]
    fn two_files_in_a_row_on_the_same_thread() {
        // Without the dedicated thread, so that both files go through one source map
        // and the reset between them.
        let first = "/* a */ const A: &str = \"first file, longer than the second\";";
        let second = "const B: &str = \"2nd\"; // c";
        for _ in 0..3 {
            let a = extract_on_this_thread(first);
            let start = first.find("first").unwrap();
            assert_eq!(a.spans[1].range, start..start + 34);
            let b = extract_on_this_thread(second);
            assert_eq!(b.syntax_error, None);
            let ranges: Vec<_> = b.spans.iter().map(|s| s.range.clone()).collect();
            assert_eq!(ranges, vec![17..20, 23..27]);
            // An error position is right after a reset too.
            let err = extract_on_this_thread("\nfn f() { let x = ; }").syntax_error;
            assert_eq!(err.map(|e| (e.line, e.column)), Some((2, 18)));
        }
    }

    #[test]
    fn source_map_is_reset_after_each_file() {
        // proc-macro2 prints a fallback span as its raw position in the thread's source
        // map, `bytes(lo..hi)`; the first file after a reset starts at position 1.
        let first_position = || {
            let tokens = TokenStream::from_str("x").unwrap();
            let span = tokens.into_iter().next().unwrap().span();
            format!("{span:?}")
        };
        let source = "const A: &str = \"some text to fill the source map\";\n".repeat(100);
        for _ in 0..2 {
            extract_on_this_thread(&source);
            assert_eq!(first_position(), "bytes(1..2)");
            proc_macro2::extra::invalidate_current_thread_spans();
        }
        // A file that fails to tokenize resets it too.
        extract_on_this_thread(&format!("{source} \"unterminated"));
        assert_eq!(first_position(), "bytes(1..2)");
        proc_macro2::extra::invalidate_current_thread_spans();
    }

    #[test]
    fn deep_valid_nesting_parses_on_the_large_stack() {
        // About 90 nested blocks overflow a 2 MiB thread in a debug build.
        let depth = 300;
        let source = format!(
            "fn f() {{ {} \"deep\" {} }}",
            "{ ".repeat(depth),
            "} ".repeat(depth)
        );
        let extraction = extract(&source);
        assert_eq!(extraction.syntax_error, None);
        assert_eq!(extraction.spans.len(), 1);
    }

    #[test]
    fn pathological_nesting_is_reported_not_parsed() {
        let depth = 100_000;
        let source = format!(
            "fn f() {{ {}\"deep\"{} }}",
            "(".repeat(depth),
            ")".repeat(depth)
        );
        let extraction = extract(&source);
        let err = extraction.syntax_error.expect("syntax error");
        assert!(err.message.contains("nested"), "{err:?}");
        // `{` is depth 1 at column 8, so the `(` of depth d is at column d + 8; the
        // first group deeper than the limit is reported.
        assert_eq!((err.line, err.column), (1, MAX_VERIFIED_DEPTH + 9));
        assert_eq!(
            err.message,
            format!("delimiters nested 100001 deep (more than {MAX_VERIFIED_DEPTH}); not parsed")
        );
        assert_eq!(code(&source), vec!["deep"]);
    }

    #[test]
    fn no_panic_on_any_prefix_of_a_file() {
        let source = "#!/usr/bin/env x\n//! doc ✓\n/* c /* n */ */\n\
                      #[attr(k = \"v\")]\nfn f<'a>(x: &'a str) -> String {\n\
                      \x20   let r = r##\"raw \"# é\"##; let b = br\"b\"; let c = '\\'';\n\
                      \x20   format!(\"{x}{}\", json!({\"k\": [1, 2.5]})) // end\n}\n";
        assert_eq!(extract(source).syntax_error, None);
        for (end, _) in source.char_indices() {
            let prefix = &source[..end];
            check_invariants(prefix, &extract_on_this_thread(prefix));
        }
    }

    #[test]
    fn spans_are_sorted_across_kinds() {
        let source = "/// d\n#[a = \"x\"] // c\nfn f() { /* b */ g(\"y\"); }\n";
        assert_eq!(
            texts(source),
            vec![
                (SpanContext::Docstring, "/// d"),
                (SpanContext::Code, "x"),
                (SpanContext::Comment, "// c"),
                (SpanContext::Comment, "/* b */"),
                (SpanContext::Code, "y"),
            ]
        );
    }

    #[test]
    fn byte_positions_agree_with_proc_macro2() {
        let text = "//! ✓ doc\r\n/** multi\n line é */\nfn f<'a>() { /* 日本 */ g(\"é\", r#\"🦀\"#, '✓');\n\
                    \t[1, 2] }\n/// tail\nconst X: u8 = 1;";
        let tokens = TokenStream::from_str(text).unwrap();
        let mut positions = BytePositions::new(text);
        let mut checked = 0;
        let mut check = |span: proc_macro2::Span| {
            let expected = span.byte_range();
            assert_eq!(
                positions.byte(span.start()),
                Some(expected.start),
                "{span:?}"
            );
            assert_eq!(positions.byte(span.end()), Some(expected.end), "{span:?}");
            checked += 1;
        };
        // The same order as the walk: open delimiter, contents, close delimiter.
        let mut stack = vec![(tokens.into_iter(), None)];
        while let Some((tokens, _)) = stack.last_mut() {
            match tokens.next() {
                Some(TokenTree::Group(group)) => {
                    check(group.span_open());
                    stack.push((group.stream().into_iter(), Some(group.span_close())));
                }
                Some(token) => check(token.span()),
                None => {
                    if let Some((_, Some(close))) = stack.pop() {
                        check(close);
                    }
                }
            }
        }
        assert!(checked > 30, "{checked}");
        proc_macro2::extra::invalidate_current_thread_spans();
    }

    #[test]
    fn long_single_line_file() {
        // Minified or generated code: positions are counted along one long line.
        let item = "/** d */ const A: [&str; 2] = [\"é\", /* c */ \"x\"]; ";
        let source = item.repeat(2_000);
        let extraction = extract(&source);
        assert_eq!(extraction.syntax_error, None);
        assert_eq!(extraction.spans.len(), 4 * 2_000);
        for (i, span) in extraction.spans.iter().enumerate() {
            let base = i / 4 * item.len();
            let expected = match i % 4 {
                0 => base..base + 8,
                1 => base + 32..base + 34,
                2 => base + 37..base + 44,
                _ => base + 46..base + 47,
            };
            assert_eq!(span.range, expected, "span {i}");
        }
    }

    #[test]
    fn error_position_inside_a_character_is_clamped() {
        let source = "é";
        assert_eq!(error_at(source, 1, String::new()).column, 1);
        assert_eq!(error_at(source, 9, String::new()).column, 2);
    }

    #[test]
    fn helpers() {
        assert_eq!(string_contents("\"ab\""), Some(1..3));
        assert_eq!(string_contents("r#\"ab\"#"), Some(3..5));
        assert_eq!(string_contents("cr##\"\"##"), Some(5..5));
        assert_eq!(string_contents("'a'"), None);
        assert_eq!(string_contents("b'\"'"), None);
        assert_eq!(string_contents("1"), None);
        assert_eq!(block_comment_len(b"/* /* */ */ x"), 11);
        assert_eq!(block_comment_len(b"/*/ x"), 5);
        assert_eq!(line_comment_end(b"// a\r\nb"), Some(4));
        assert_eq!(line_comment_end(b"// a"), None);
        assert_eq!(shebang_len("#!/bin/sh\nx"), 9);
        assert_eq!(shebang_len("#![no_std]"), 0);
        assert_eq!(shebang_len("#! /// doc\n[x]"), 10);
        assert_eq!(shebang_len("fn"), 0);
    }
}
