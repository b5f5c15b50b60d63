//! Extract: find the places in a source file where a model reference can live.
//!
//! Each language family has its own extractor built on a real parser (tree-sitter for
//! Python and TypeScript/JavaScript, `syn`/`proc-macro2` for Rust; for Java, Kotlin, C#,
//! Go, PHP, Ruby and Swift, tree-sitter read through tables of node kinds, see [`kinds`]).
//! An extractor never decides what a model ID is: it only returns [`Span`]s — the byte
//! ranges of string-literal contents and comments — and the model-ID grammar
//! ([`crate::model_ref`]) looks inside them.
//! Keeping the two apart means that one grammar serves every language and that an
//! extractor can be tested with nothing but source text.

use std::ops::Range;

pub mod dockerfile;
pub mod hcl;
pub mod ini;
pub mod json;
pub mod jsonl;
pub mod kinds;
mod mapped;
pub mod markdown;
pub mod notebook;
pub mod plain;
pub mod python;
pub mod rust;
pub mod shell;
pub mod toml;
pub(crate) mod treesitter;
pub mod typescript;
pub mod yaml;

/// Where a span sits in the program; decides whether a rewrite there can be safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanContext {
    /// The contents of a string literal that the program uses as a value.
    Code,
    /// A comment (`# …`, `// …`, `/* … */`); never executed, so rewrites are review.
    Comment,
    /// A docstring (Python) or doc comment (Rust `///`, `//!`, `/** */` in JS/TS). An
    /// explicit `#[doc = "…"]` attribute in Rust is an ordinary literal (`Code`). Code in a
    /// Markdown fence is documentation too, and gets this context.
    Docstring,
    /// Prose: the text of a Markdown document or notebook Markdown cell (paragraphs,
    /// headings, lists, tables, inline code). Documentation, read by people: rewrites are
    /// review, as in comments.
    Prose,
    /// Recorded output and text that is not prose: notebook outputs and raw cells, Markdown
    /// link destinations, front matter, HTML and code blocks in a language this tool does not
    /// read, files of unknown type named on the command line. Reported, never rewritten:
    /// changing a record or an address changes what it points at.
    Text,
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
    /// `{…}` in Python f-strings and `.format` templates, `%s` in `%` templates, `${…}` in
    /// template literals. A model reference that touches a hole is only part of an ID and is
    /// reported as review.
    pub holes: Vec<Range<usize>>,
    /// For a string used as a key — of a dict or object literal (`{"k": v}` in Python and
    /// JS/TS), an object in JSON or HCL, a mapping in YAML, a table in TOML, a section or
    /// file of settings in INI — the mapping that holds it; `None` for anything else. A
    /// key names an entry of a table (a model's price or context size), and rewriting it
    /// can collide with another key of the *same* mapping, so keys are compared per mapping.
    pub key: Option<Mapping>,
    /// For a value in a configuration file: the key, variable or attribute that holds it
    /// (`modelId`, `BEDROCK_MODEL_ID`, `model_id`), a hint about how the ID is used.
    pub key_name: Option<String>,
}

impl Span {
    /// This span moved `by` bytes later (holes and the key's mapping with it): a span of a
    /// piece of a file (a line, a cell) made a span of the file.
    pub(crate) fn shifted(self, by: usize) -> Span {
        let move_range = |r: Range<usize>| r.start + by..r.end + by;
        Span {
            range: move_range(self.range),
            holes: self.holes.into_iter().map(move_range).collect(),
            key: self.key.map(|mapping| mapping.map_range(move_range)),
            ..self
        }
    }

    /// A span of `range` in `context`, with no holes, not a key and without a key name.
    pub(crate) fn plain(range: Range<usize>, context: SpanContext) -> Span {
        Span {
            range,
            context,
            holes: Vec::new(),
            key: None,
            key_name: None,
        }
    }
}

/// The identity of the mapping that holds a key: two keys belong to the same mapping
/// exactly when their `Mapping`s are equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Mapping {
    /// The mapping written at this byte range of the file: a dict, an object, a YAML
    /// mapping, a TOML inline table, an INI section (absolute offsets, like a span's).
    At(Range<usize>),
    /// A TOML table, by its decoded key path from the root (`[models.prices]` and
    /// `models.prices."k" = …` both add to `["models", "prices"]`): `[table]` headers and
    /// dotted keys can add to one table from anywhere in the file. An element of an array
    /// of tables (`[[models]]`) is told apart by its header's offset, as a segment `#N`.
    Table(Vec<String>),
}

impl Mapping {
    /// The same identity with its byte offsets (if any) moved by `map`.
    pub(crate) fn map_range(self, map: impl FnOnce(Range<usize>) -> Range<usize>) -> Mapping {
        match self {
            Mapping::At(range) => Mapping::At(map(range)),
            table => table,
        }
    }
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

/// Which literals and comments of a file an extractor has to return.
///
/// A literal that does not contain a provider prefix cannot hold a model reference. Given
/// the places where those prefixes occur ([`crate::model_ref::Grammar::anchors`]), the
/// tree-sitter extractors for Python and TypeScript/JavaScript skip every subtree that
/// contains none of them: in a candidate file most of the tree is code far from any model
/// ID, and walking it costs about as much as the call-site analysis. The syntax tree is
/// still parsed whole (a literal's meaning depends on everything before it), and syntax
/// errors are still looked for everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus<'a> {
    /// Every literal and comment of the file.
    Everything,
    /// At least the literals and comments that overlap one of these byte ranges (sorted
    /// and not overlapping, as [`crate::model_ref::Grammar::anchors`] returns them); other
    /// spans may be left out.
    Around(&'a [Range<usize>]),
}

impl Focus<'_> {
    /// Whether a node covering `range` may contain a span this focus asks for.
    pub(crate) fn touches(&self, range: Range<usize>) -> bool {
        match self {
            Focus::Everything => true,
            Focus::Around(anchors) => {
                // The first anchor that ends after the node starts; it overlaps the node
                // if it also starts before the node ends.
                let i = anchors.partition_point(|anchor| anchor.end <= range.start);
                anchors
                    .get(i)
                    .is_some_and(|anchor| anchor.start < range.end.max(range.start + 1))
            }
        }
    }
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
    /// `.json`, `.jsonc` (CloudFormation templates, IAM policies, `cdk.json`, `package.json`)
    Json,
    /// `.yml`, `.yaml`
    Yaml,
    /// `.toml`
    Toml,
    /// `.ini`, `.cfg`, `.properties`
    Ini,
    /// `.env`, `.env.*`
    Dotenv,
    /// `.tf`, `.tfvars`, `.hcl`
    Hcl,
    /// `.ipynb`
    Notebook,
    /// `Dockerfile`, `Dockerfile.*`, `*.dockerfile`
    Dockerfile,
    /// `.sh`, `.bash`, `.zsh`
    Shell,
    /// `.md`, `.markdown`
    Markdown,
    /// `.mdx`: Markdown with JSX blocks and `import`/`export` lines, which are left alone
    Mdx,
    /// `.jsonl`, `.ndjson`: one JSON document a line
    JsonLines,
    /// `.java`
    Java,
    /// `.kt`, `.kts`
    Kotlin,
    /// `.cs`
    CSharp,
    /// `.go`
    Go,
    /// `.php`
    Php,
    /// `.rb`, `.rake`, `.gemspec`, `Gemfile`, `Rakefile`
    Ruby,
    /// `.swift`
    Swift,
    /// Any other file named on the command line: scanned as text, never rewritten.
    PlainText,
}

impl Language {
    /// The language of a file, from its name or extension; `None` for files this tool does
    /// not read when walking ([`Language::PlainText`] is only for files named explicitly).
    pub fn from_path(path: &std::path::Path) -> Option<Language> {
        // A name that is not valid UTF-8 (`bad\xff.py`) still has its extension.
        let name = path.file_name()?.to_string_lossy();
        let name = name.as_ref();
        if name == "Dockerfile" || name.starts_with("Dockerfile.") {
            return Some(Language::Dockerfile);
        }
        if name == ".env" || name.starts_with(".env.") {
            return Some(Language::Dotenv);
        }
        if name == "Gemfile" || name == "Rakefile" {
            return Some(Language::Ruby);
        }
        let ext = path.extension()?.to_string_lossy();
        let ext = ext.as_ref();
        Some(match ext {
            "py" | "pyi" => Language::Python,
            "ts" | "mts" | "cts" => Language::TypeScript,
            "tsx" => Language::Tsx,
            "js" | "mjs" | "cjs" | "jsx" => Language::JavaScript,
            "rs" => Language::Rust,
            "json" | "jsonc" => Language::Json,
            "jsonl" | "ndjson" => Language::JsonLines,
            "yml" | "yaml" => Language::Yaml,
            "toml" => Language::Toml,
            "ini" | "cfg" | "properties" => Language::Ini,
            "env" => Language::Dotenv,
            "tf" | "tfvars" | "hcl" => Language::Hcl,
            "ipynb" => Language::Notebook,
            "dockerfile" => Language::Dockerfile,
            "sh" | "bash" | "zsh" => Language::Shell,
            "md" | "markdown" => Language::Markdown,
            "mdx" => Language::Mdx,
            "java" => Language::Java,
            "kt" | "kts" => Language::Kotlin,
            "cs" => Language::CSharp,
            "go" => Language::Go,
            "php" => Language::Php,
            "rb" | "rake" | "gemspec" => Language::Ruby,
            "swift" => Language::Swift,
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
            Language::Json => "json",
            Language::Yaml => "yaml",
            Language::Toml => "toml",
            Language::Ini => "ini",
            Language::Dotenv => "dotenv",
            Language::Hcl => "hcl",
            Language::Notebook => "notebook",
            Language::Dockerfile => "dockerfile",
            Language::Shell => "shell",
            Language::Markdown => "markdown",
            Language::JsonLines => "jsonl",
            Language::Mdx => "mdx",
            Language::Java => "java",
            Language::Kotlin => "kotlin",
            Language::CSharp => "csharp",
            Language::Go => "go",
            Language::Php => "php",
            Language::Ruby => "ruby",
            Language::Swift => "swift",
            Language::PlainText => "text",
        }
    }
}

/// Extract the spans of `source` (a whole file, without a byte-order mark) in `language`.
///
/// tree-sitter parsers are created once per thread and reused; the Rust extractor runs each
/// file on a helper thread with a large stack, because `syn` recurses deeply (see each
/// extractor).
pub fn extract(language: Language, source: &str) -> Extraction {
    extract_focused(language, source, Focus::Everything)
}

/// Like [`extract`], but the extractors that can skip parts of the file (Python,
/// TypeScript/JavaScript, Java, Kotlin, C#, Go, PHP, Ruby, Swift, notebooks, Markdown)
/// return only the spans `focus` asks for; the
/// others return every span.
pub fn extract_focused(language: Language, source: &str, focus: Focus) -> Extraction {
    use typescript::Dialect;
    match language {
        Language::Python => python::extract_focused(source, focus),
        Language::TypeScript => typescript::extract_focused(source, Dialect::TypeScript, focus),
        Language::Tsx => typescript::extract_focused(source, Dialect::Tsx, focus),
        Language::JavaScript => typescript::extract_focused(source, Dialect::JavaScript, focus),
        Language::Rust => rust::extract(source),
        Language::Json => json::extract(source),
        Language::Yaml => yaml::extract(source),
        Language::Toml => toml::extract(source),
        Language::Ini => ini::extract(source),
        Language::Dotenv => shell::extract_dotenv(source),
        Language::Hcl => hcl::extract(source),
        Language::Notebook => notebook::extract_focused(source, focus),
        Language::Dockerfile => dockerfile::extract(source),
        Language::Shell => shell::extract(source),
        Language::Markdown => markdown::extract_focused(source, focus),
        Language::JsonLines => jsonl::extract_focused(source, focus),
        Language::Mdx => markdown::extract_mdx(source, focus),
        Language::Java => kinds::java::extract_focused(source, focus),
        Language::Kotlin => kinds::kotlin::extract_focused(source, focus),
        Language::CSharp => kinds::csharp::extract_focused(source, focus),
        Language::Go => kinds::go::extract_focused(source, focus),
        Language::Php => kinds::php::extract_focused(source, focus),
        Language::Ruby => kinds::ruby::extract_focused(source, focus),
        Language::Swift => kinds::swift::extract_focused(source, focus),
        Language::PlainText => plain::extract(source),
    }
}

/// A file as its language's parser read it: the spans extracted, and — for the languages
/// whose call-site analyser reads a tree-sitter tree (Python, TypeScript/JavaScript) — that
/// tree, handed on explicitly so the file is parsed once (see [`crate::callsite::analyze_in`]).
#[derive(Debug)]
pub struct Document {
    /// The spans and the first syntax error.
    pub extraction: Extraction,
    /// The syntax tree, when the language's analyser reads one and the file could be parsed.
    pub tree: Option<tree_sitter::Tree>,
}

/// Read `source` as `language`: [`extract_focused`], keeping the syntax tree the call-site
/// analyser needs.
pub fn read_document(language: Language, source: &str, focus: Focus) -> Document {
    use typescript::Dialect;
    let (extraction, tree) = match language {
        Language::Python => python::document(source, focus),
        Language::TypeScript => typescript::document(source, Dialect::TypeScript, focus),
        Language::Tsx => typescript::document(source, Dialect::Tsx, focus),
        Language::JavaScript => typescript::document(source, Dialect::JavaScript, focus),
        _ => (extract_focused(language, source, focus), None),
    };
    Document { extraction, tree }
}

/// The holes of a template `text` whose holes start with the byte `marker` (`{` of a format
/// string, `%` of a printf-style one), as ranges relative to `text`. At each `marker`,
/// `hole(bytes, i)` gives the length of the hole that starts at byte `i` of `text`, or `None`
/// when none does; a doubled marker (`{{`, `%%`) is an escaped one and starts no hole. The
/// scan resumes after each hole, so holes never overlap.
pub(crate) fn marked_holes(
    text: &str,
    marker: u8,
    hole: impl Fn(&[u8], usize) -> Option<usize>,
) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut holes = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != marker {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) == Some(&marker) {
            i += 2;
            continue;
        }
        match hole(bytes, i) {
            Some(len) => {
                holes.push(i..i + len);
                i += len;
            }
            None => i += 1,
        }
    }
    holes
}

/// How one language writes printf-style conversions (`%s`, `%-10.3f`): what may stand
/// between the `%` and the flags, and which flags, length modifiers and conversion letters
/// there are.
pub(crate) struct PrintfSyntax {
    /// Brackets that may follow the `%` around an argument name or index (`(name)` in
    /// Python, `<name>`/`{name}` in Ruby, `[1]` in Go), and whether the bracketed part is
    /// then the whole conversion (Ruby's `%{name}`).
    pub names: &'static [(u8, u8, bool)],
    /// Whether a name may run over a line break.
    pub names_cross_lines: bool,
    /// Whether `%1$s` (an argument position) is written.
    pub positions: bool,
    /// Flag characters.
    pub flags: &'static [u8],
    /// Length modifiers.
    pub lengths: &'static [u8],
    /// Conversion letters.
    pub conversions: &'static [u8],
}

/// The conversions of a printf-style template `text` written in `syntax`, as ranges
/// relative to `text`; `%%` is a percent sign.
pub(crate) fn printf_holes(text: &str, syntax: &PrintfSyntax) -> Vec<Range<usize>> {
    marked_holes(text, b'%', |bytes, i| {
        let mut j = i + 1;
        let skip = |j: &mut usize, allowed: &dyn Fn(u8) -> bool| {
            while bytes.get(*j).copied().is_some_and(allowed) {
                *j += 1;
            }
        };
        let closing = |j: usize, close: u8| {
            bytes[j..]
                .iter()
                .take_while(|&&b| syntax.names_cross_lines || b != b'\n')
                .position(|&b| b == close)
                .map(|n| j + n + 1)
        };
        match syntax
            .names
            .iter()
            .find(|(open, _, _)| bytes.get(j) == Some(open))
        {
            Some(&(_, close, true)) => return closing(j, close).map(|end| end - i),
            Some(&(_, close, false)) => j = closing(j, close)?,
            None if syntax.positions => {
                let mut k = j;
                skip(&mut k, &|b| b.is_ascii_digit());
                if k > j && bytes.get(k) == Some(&b'$') {
                    j = k + 1;
                }
            }
            None => {}
        }
        skip(&mut j, &|b| syntax.flags.contains(&b));
        skip(&mut j, &|b| b.is_ascii_digit() || b == b'*');
        if bytes.get(j) == Some(&b'.') {
            j += 1;
            skip(&mut j, &|b| b.is_ascii_digit() || b == b'*');
        }
        skip(&mut j, &|b| syntax.lengths.contains(&b));
        bytes
            .get(j)
            .is_some_and(|b| syntax.conversions.contains(b))
            .then(|| j + 1 - i)
    })
}

/// The extraction of a file that could not be parsed at all (too large, too deeply nested,
/// untokenizable Rust, TOML deeper than its parser goes):
/// its whole text is one span, so its references are still found, and the syntax error
/// makes every rewrite in it review.
pub(crate) fn failed(source: &str, error: SyntaxError) -> Extraction {
    Extraction {
        spans: vec![Span::plain(0..source.len(), SpanContext::Code)],
        syntax_error: Some(error),
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

/// Helpers shared by the extractors' unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{Extraction, Mapping, SpanContext};

    /// Text of every key span of `extraction` (of `source`), with its mapping: the text of
    /// the mapping written at a range, or a table's path joined with `.` (`"[]"` for the
    /// root).
    pub(crate) fn keys<'s>(source: &'s str, extraction: &Extraction) -> Vec<(&'s str, String)> {
        extraction
            .spans
            .iter()
            .filter_map(|s| {
                let mapping = match s.key.as_ref()? {
                    Mapping::At(range) => source[range.clone()].to_string(),
                    Mapping::Table(path) if path.is_empty() => "[]".to_string(),
                    Mapping::Table(path) => path.join("."),
                };
                Some((&source[s.range.clone()], mapping))
            })
            .collect()
    }

    /// Text, context, key flag and key name of every span of `extraction` (of `source`),
    /// which must have parsed cleanly.
    pub(crate) fn rows<'s>(
        source: &'s str,
        extraction: &Extraction,
    ) -> Vec<(&'s str, SpanContext, bool, Option<String>)> {
        assert_eq!(extraction.syntax_error, None, "{source:?}");
        extraction
            .spans
            .iter()
            .map(|s| {
                (
                    &source[s.range.clone()],
                    s.context,
                    s.key.is_some(),
                    s.key_name.clone(),
                )
            })
            .collect()
    }

    /// A key name, as expected in [`rows`].
    pub(crate) fn n(name: &str) -> Option<String> {
        Some(name.to_owned())
    }

    /// Text and context of every span of `extraction` (of `source`), which must have parsed
    /// cleanly.
    pub(crate) fn contexts<'s>(
        source: &'s str,
        extraction: &Extraction,
    ) -> Vec<(&'s str, SpanContext)> {
        assert_eq!(extraction.syntax_error, None, "{source:?}");
        extraction
            .spans
            .iter()
            .map(|span| (&source[span.range.clone()], span.context))
            .collect()
    }

    /// The text of every span of `extraction` (of `source`).
    pub(crate) fn texts<'s>(source: &'s str, extraction: &Extraction) -> Vec<&'s str> {
        extraction
            .spans
            .iter()
            .map(|span| &source[span.range.clone()])
            .collect()
    }

    /// The text of every span of `extraction` (of `source`), with whether it is a key.
    pub(crate) fn key_flags<'s>(source: &'s str, extraction: &Extraction) -> Vec<(&'s str, bool)> {
        extraction
            .spans
            .iter()
            .map(|span| (&source[span.range.clone()], span.key.is_some()))
            .collect()
    }

    /// The text of every span of `extraction` (of `source`), with the text of its holes.
    pub(crate) fn texts_and_holes<'s>(
        source: &'s str,
        extraction: &Extraction,
    ) -> Vec<(&'s str, Vec<&'s str>)> {
        texts(source, extraction)
            .into_iter()
            .zip(holes(source, extraction))
            .collect()
    }

    /// The text of every span's holes in `extraction` (of `source`), in span order.
    pub(crate) fn holes<'s>(source: &'s str, extraction: &Extraction) -> Vec<Vec<&'s str>> {
        extraction
            .spans
            .iter()
            .map(|span| span.holes.iter().map(|h| &source[h.clone()]).collect())
            .collect()
    }

    /// Check that every span of `extraction` after the first lies inside a hole of the
    /// first (strings nested in the interpolations of one template).
    pub(crate) fn assert_inside_holes_of_first(extraction: &Extraction) {
        let outer = &extraction.spans[0];
        for inner in &extraction.spans[1..] {
            assert!(
                outer
                    .holes
                    .iter()
                    .any(|hole| hole.start <= inner.range.start && inner.range.end <= hole.end),
                "{inner:?} is not inside a hole of {outer:?}"
            );
        }
    }

    /// Whether one of the spans of `extraction` (of `source`) is exactly `text`.
    pub(crate) fn has_span(source: &str, extraction: &Extraction, text: &str) -> bool {
        extraction
            .spans
            .iter()
            .any(|s| &source[s.range.clone()] == text)
    }

    /// Check the extraction of a large generated file: no syntax error, and `count` spans
    /// in order.
    pub(crate) fn assert_large(extraction: &Extraction, count: usize) {
        assert_eq!(extraction.syntax_error, None);
        assert_eq!(extraction.spans.len(), count);
        assert!(extraction.spans.is_sorted_by_key(|s| s.range.start));
    }

    /// Check that every span of `extraction` lies in `input`, however odd the input.
    pub(crate) fn assert_in_bounds(input: &str, extraction: &Extraction) {
        for span in &extraction.spans {
            assert!(
                input.get(span.range.clone()).is_some(),
                "{input:?}: {span:?}"
            );
        }
    }
}
