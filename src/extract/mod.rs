//! Extract: find the places in a source file where a model reference can live.
//!
//! Each language family has its own extractor built on a real parser (tree-sitter for
//! Python and TypeScript/JavaScript, `syn`/`proc-macro2` for Rust). An extractor never
//! decides what a model ID is: it only returns [`Span`]s — the byte ranges of string-literal
//! contents and comments — and the model-ID grammar ([`crate::model_ref`]) looks inside them.
//! Keeping the two apart means that one grammar serves every language and that an
//! extractor can be tested with nothing but source text.

use std::ops::Range;

pub mod python;
pub mod rust;
mod treesitter;
pub mod typescript;

/// Where a span sits in the program; decides whether a rewrite there can be safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanContext {
    /// The contents of a string literal that the program uses as a value.
    Code,
    /// A comment (`# …`, `// …`, `/* … */`); never executed, so rewrites are review.
    Comment,
    /// A docstring (Python) or doc comment (Rust `///`, `//!`, `/** */` in JS/TS). An
    /// explicit `#[doc = "…"]` attribute in Rust is an ordinary literal (`Code`).
    Docstring,
}

/// One region of a file that may hold model references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Byte range in the file of the literal's *contents* as written (without the
    /// quotes and prefixes such as `r#"`, `f"`, `b'`, backticks); for comments, the
    /// comment text including its markers.
    pub range: Range<usize>,
    /// Code, comment or docstring.
    pub context: SpanContext,
    /// Byte ranges (absolute in the file, inside `range`) of interpolation holes:
    /// `{…}` in Python f-strings, `${…}` in template literals. A model reference that
    /// touches a hole is only part of an ID and is reported as review.
    pub holes: Vec<Range<usize>>,
    /// True for a string used as a key of a dict or object literal (`{"k": v}` in Python
    /// and JS/TS). Rewriting a key can collide with another key of the same table.
    pub key: bool,
}

/// A source file that the parser could not read as valid code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct SyntaxError {
    /// 1-based line of the first error.
    pub line: usize,
    /// 1-based column (in characters) of the first error.
    pub column: usize,
    /// What the parser said.
    pub message: String,
}

/// The result of extracting one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extraction {
    /// Spans sorted by `range.start`. Spans do not overlap, except that a literal nested in
    /// an interpolation (`f"{d['x']}"`) is a span of its own that lies inside a hole of the
    /// enclosing span; the grammar skips hole text, so nothing is found twice.
    pub spans: Vec<Span>,
    /// `Some` when the file does not parse cleanly. Extraction still returns what it
    /// could find (tree-sitter recovers), but a file that did not parse before a rewrite
    /// cannot be verified after it, so the planner only reports on such files.
    pub syntax_error: Option<SyntaxError>,
}

/// The language families that have an extractor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// `.py`, `.pyi`
    Python,
    /// `.ts`, `.mts`, `.cts`
    TypeScript,
    /// `.tsx`
    Tsx,
    /// `.js`, `.mjs`, `.cjs`, `.jsx`
    JavaScript,
    /// `.rs`
    Rust,
}

impl Language {
    /// The language of a file, from its extension; `None` for files this tool does not read.
    pub fn from_path(path: &std::path::Path) -> Option<Language> {
        let ext = path.extension()?.to_str()?;
        Some(match ext {
            "py" | "pyi" => Language::Python,
            "ts" | "mts" | "cts" => Language::TypeScript,
            "tsx" => Language::Tsx,
            "js" | "mjs" | "cjs" | "jsx" => Language::JavaScript,
            "rs" => Language::Rust,
            _ => return None,
        })
    }

    /// A short lowercase name, as used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::TypeScript => "typescript",
            Language::Tsx => "tsx",
            Language::JavaScript => "javascript",
            Language::Rust => "rust",
        }
    }
}

/// Extract the spans of `source` (a whole file, without a byte-order mark) in `language`.
///
/// tree-sitter parsers are created once per thread and reused; the Rust extractor runs each
/// file on a helper thread with a large stack, because `syn` recurses deeply (see each
/// extractor).
pub fn extract(language: Language, source: &str) -> Extraction {
    match language {
        Language::Python => python::extract(source),
        Language::TypeScript => typescript::extract(source, typescript::Dialect::TypeScript),
        Language::Tsx => typescript::extract(source, typescript::Dialect::Tsx),
        Language::JavaScript => typescript::extract(source, typescript::Dialect::JavaScript),
        Language::Rust => rust::extract(source),
    }
}

/// 1-based line and character column of byte `offset` in `source`.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source.as_bytes()[..offset];
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}
