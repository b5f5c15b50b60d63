//! Markdown (`.md`, `.markdown`), read with pulldown-cmark (CommonMark with the GitHub
//! extensions: tables, footnotes, strikethrough, task lists, and YAML front matter).
//!
//! # What becomes a span
//!
//! - Fenced code blocks whose info string names a language this tool reads (```` ```python ````,
//!   `py`, `ts`, `tsx`, `js`, `jsx`, `rust`, `json`, `yaml`, `toml`, `bash`/`sh`/`shell`/`zsh`,
//!   `dockerfile`, `hcl`/`terraform`/`tf`, `ini`, `dotenv`/`env`, `java`, `kotlin`/`kt`/`kts`,
//!   `csharp`/`cs`/`c#`, `go`/`golang`, `php`, `ruby`/`rb`, `swift`, matched case-insensitively on
//!   the first word, also in the `{.python}` and `rust,ignore` spellings): the block's code is
//!   read by that language's extractor ([`super::extract`]) and its spans are mapped back to
//!   the file. Documentation is reviewed by people, so every such span is
//!   [`SpanContext::Docstring`] (a fix there is review, applied with `--unsafe-fixes`), except
//!   that [`SpanContext::Text`] spans stay `Text`. Syntax errors inside a block are ignored:
//!   snippets are often fragments.
//! - Prose — text in paragraphs, headings, lists, tables, block quotes, the text of links and
//!   images, inline code — gives [`SpanContext::Prose`] spans: documentation, rewritten as
//!   review (`--unsafe-fixes`), like comments.
//! - Everything else is markup, an address or a record, and gives [`SpanContext::Text`] spans
//!   (reported, never rewritten): HTML, math, footnote labels, code blocks in other or no
//!   language (indented ones too; often recorded output), the destination and title of links
//!   and images (`](https://…/model "title")`), autolinks (`<https://…>`), link reference
//!   definitions, front matter.
//!
//! A code block inside a list item or block quote loses the item's indentation or the `> `
//! markers before it is read; pulldown-cmark gives each line's position, and a span maps back
//! to the file through them (see `extract/mapped.rs`). Tabs that pulldown-cmark expands into
//! spaces map to the tab.
//!
//! Markdown has no syntax errors: every text is a document, so `syntax_error` is always
//! `None`.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::mapped::MappedText;
use super::{Extraction, Focus, Language, Span, SpanContext};

/// A fenced or indented code block being collected.
struct Block {
    /// The whole block in the file, fences included.
    range: Range<usize>,
    /// The language of a fence, if this tool reads it.
    language: Option<Language>,
    /// The code, as pulldown-cmark gives it, mapped to the file.
    code: MappedText,
    /// The file range of each piece of code.
    pieces: Vec<Range<usize>>,
}

/// A link or image being read: its whole range, and where its text (the part in `[…]`) ends.
struct Link {
    range: Range<usize>,
    text_end: usize,
    /// An autolink (`<https://…>`, `<a@b.c>`): its text is its destination.
    auto: bool,
}

/// Extract the spans of a Markdown file: prose as text, known code fences through their
/// language's extractor as docstrings.
pub fn extract(source: &str) -> Extraction {
    extract_focused(source, Focus::Everything)
}

/// Like [`extract`], parsing only the code blocks that `focus` touches (parsing a block
/// with its language's parser is what a Markdown file costs; its prose costs little).
pub fn extract_focused(source: &str, focus: Focus) -> Extraction {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let parser = Parser::new_ext(source, options);
    let mut spans: Vec<Span> = parser
        .reference_definitions()
        .iter()
        .map(|(_, definition)| text_span(definition.span.clone()))
        .collect();
    let mut block: Option<Block> = None;
    let mut links: Vec<Link> = Vec::new();
    let mut front_matter = false;
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => fence_language(&info),
                    CodeBlockKind::Indented => None,
                };
                block = Some(Block {
                    range: range.clone(),
                    language,
                    code: MappedText::new(range.start),
                    pieces: Vec::new(),
                });
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(block) = block.take() {
                    block_spans(block, &focus, &mut spans);
                }
            }
            Event::Text(text) if block.is_some() => {
                if let Some(block) = &mut block {
                    if source.get(range.clone()) == Some(text.as_ref()) {
                        block.code.push_copy(range.start, &text);
                    } else {
                        block.code.push_replacement(range.clone(), &text);
                    }
                    block.pieces.push(range.clone());
                }
            }
            Event::Start(Tag::Link { link_type, .. }) => {
                links.push(Link {
                    text_end: range.start,
                    range: range.clone(),
                    auto: matches!(link_type, LinkType::Autolink | LinkType::Email),
                });
                continue;
            }
            Event::Start(Tag::Image { .. }) => {
                links.push(Link {
                    text_end: range.start,
                    range: range.clone(),
                    auto: false,
                });
                continue;
            }
            Event::Start(Tag::MetadataBlock(_)) => front_matter = true,
            Event::End(TagEnd::MetadataBlock(_)) => front_matter = false,
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some(link) = links.pop()
                    && link.text_end < link.range.end
                {
                    spans.push(text_span(link.text_end..link.range.end));
                }
            }
            Event::Text(_) | Event::Code(_)
                if !front_matter && !links.last().is_some_and(|link| link.auto) =>
            {
                spans.push(prose_span(range.clone()));
            }
            Event::Text(_)
            | Event::Code(_)
            | Event::Html(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::FootnoteReference(_) => spans.push(text_span(range.clone())),
            _ => {}
        }
        if let Some(link) = links.last_mut() {
            link.text_end = link.text_end.max(range.end);
        }
    }
    spans.retain(|span| !span.range.is_empty() || !span.holes.is_empty());
    spans.sort_by_key(|span| span.range.start);
    Extraction {
        spans,
        syntax_error: None,
    }
}

/// Extract the spans of an MDX file: Markdown, except that JSX blocks (a line starting
/// with `<` and a capital letter, `</`, `<>` or `{`, up to the next blank line) and ESM lines
/// (`import …`, `export …` at the start of a line, up to the next blank line) are not
/// Markdown: they are reported as [`SpanContext::Text`] and never rewritten, since a
/// component's props are code this tool does not parse. Fenced code blocks are Markdown's.
pub fn extract_mdx(source: &str, focus: Focus) -> Extraction {
    let blocks = mdx_blocks(source);
    if blocks.is_empty() {
        return extract_focused(source, focus);
    }
    // The blocks are blanked out (line breaks kept) so that offsets stay those of the file.
    let mut masked = source.as_bytes().to_vec();
    for block in &blocks {
        for byte in &mut masked[block.clone()] {
            if *byte != b'\n' && *byte != b'\r' {
                *byte = b' ';
            }
        }
    }
    // Whole lines were replaced, so the text is still UTF-8.
    let masked = String::from_utf8(masked).unwrap_or_default();
    let mut extraction = extract_focused(&masked, focus);
    extraction.spans.extend(blocks.into_iter().map(text_span));
    extraction.spans.sort_by_key(|span| span.range.start);
    extraction
}

/// The byte ranges of an MDX file's JSX and ESM blocks (see [`extract_mdx`]), each from the
/// start of its first line to the end of its last (line break excluded).
fn mdx_blocks(source: &str) -> Vec<Range<usize>> {
    let mut blocks: Vec<Range<usize>> = Vec::new();
    let mut current: Option<Range<usize>> = None;
    let mut fence: Option<&str> = None;
    let mut start = 0;
    for line in source.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let range = start..start + content.len();
        start += line.len();
        let trimmed = content.trim_start();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            continue;
        }
        if current.is_none() && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            fence = Some(&trimmed[..3]);
            continue;
        }
        if content.trim().is_empty() {
            blocks.extend(current.take());
            continue;
        }
        if let Some(block) = &mut current {
            block.end = range.end;
            continue;
        }
        let jsx = trimmed.strip_prefix('<').is_some_and(|rest| {
            rest.starts_with(|c: char| c.is_ascii_uppercase() || c == '/' || c == '>')
        }) || trimmed.starts_with('{');
        let esm = content.starts_with("import ") || content.starts_with("export ");
        if jsx || esm {
            current = Some(range);
        }
    }
    blocks.extend(current);
    blocks
}

/// A [`SpanContext::Prose`] span.
fn prose_span(range: Range<usize>) -> Span {
    Span::plain(range, SpanContext::Prose)
}

/// A [`SpanContext::Text`] span.
fn text_span(range: Range<usize>) -> Span {
    Span::plain(range, SpanContext::Text)
}

/// Add the spans of a finished code block: its language's spans as documentation, or its
/// pieces as text. A block in a language that `focus` does not touch gives nothing: none of
/// its spans could overlap a provider prefix.
fn block_spans(block: Block, focus: &Focus, spans: &mut Vec<Span>) {
    let Some(language) = block.language else {
        spans.extend(block.pieces.into_iter().map(text_span));
        return;
    };
    if !focus.touches(block.range.clone()) {
        return;
    }
    let extraction = super::extract(language, &block.code.text);
    spans.extend(extraction.spans.into_iter().map(|span| {
        let context = match span.context {
            SpanContext::Text => SpanContext::Text,
            _ => SpanContext::Docstring,
        };
        Span {
            context,
            ..block.code.span_to_raw(span)
        }
    }));
}

/// The language a fence's info string names, if this tool reads it: the first word,
/// lowercased, without a `{.` … `}` wrapper or `,attributes`.
fn fence_language(info: &str) -> Option<Language> {
    let word = info
        .trim()
        .trim_start_matches('{')
        .trim_start_matches('.')
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '{' | '}'))
        .next()?
        .to_ascii_lowercase();
    Some(match word.as_str() {
        "python" | "py" | "python3" | "py3" => Language::Python,
        "typescript" | "ts" => Language::TypeScript,
        "tsx" => Language::Tsx,
        "javascript" | "js" | "jsx" | "mjs" | "cjs" => Language::JavaScript,
        "rust" | "rs" => Language::Rust,
        "json" | "jsonc" => Language::Json,
        "yaml" | "yml" => Language::Yaml,
        "toml" => Language::Toml,
        "bash" | "sh" | "shell" | "zsh" => Language::Shell,
        "dockerfile" | "docker" => Language::Dockerfile,
        "hcl" | "terraform" | "tf" => Language::Hcl,
        "ini" => Language::Ini,
        "dotenv" | "env" => Language::Dotenv,
        "java" => Language::Java,
        "kotlin" | "kt" | "kts" => Language::Kotlin,
        "csharp" | "cs" | "c#" => Language::CSharp,
        "go" | "golang" => Language::Go,
        "php" => Language::Php,
        "ruby" | "rb" => Language::Ruby,
        "swift" => Language::Swift,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use SpanContext::{Docstring, Prose, Text};

    /// Text and context of every span.
    fn spans(source: &str) -> Vec<(&str, SpanContext)> {
        super::super::test_support::contexts(source, &extract(source))
    }

    #[test]
    fn prose_and_inline_code_are_prose_and_html_is_text() {
        let source = "# Models *anthropic.claude-v2*\n\nUse `anthropic.claude-v2` <b>now</b>.\n\
                      <!-- anthropic.claude-v2 -->\n";
        assert_eq!(
            spans(source),
            [
                ("Models ", Prose),
                ("anthropic.claude-v2", Prose),
                ("Use ", Prose),
                ("`anthropic.claude-v2`", Prose),
                (" ", Prose),
                ("<b>", Text),
                ("now", Prose),
                ("</b>", Text),
                (".", Prose),
                ("<!-- anthropic.claude-v2 -->\n", Text),
            ]
        );
        let extraction = extract(source);
        assert_eq!(extraction.spans[1].range, 10..29);
    }

    #[test]
    fn known_fences_are_read_by_their_language_as_docstrings() {
        let source = "Intro\n\n```python\n# pick\nMODEL_ID = \"anthropic.claude-v2\"\n```\n\n\
                      ```bash title=\"run.sh\"\nexport M=us.anthropic.claude-v2\n```\n";
        assert_eq!(
            spans(source),
            [
                ("Intro", Prose),
                ("# pick", Docstring),
                ("anthropic.claude-v2", Docstring),
                ("us.anthropic.claude-v2", Docstring),
            ]
        );
        let extraction = extract(source);
        let start = source.find("anthropic").unwrap();
        assert_eq!(extraction.spans[2].range, start..start + 19);
        assert_eq!(extraction.spans[3].key_name.as_deref(), Some("M"));
    }

    #[test]
    fn unknown_and_missing_info_strings_are_text() {
        let source = "```text\nanthropic.claude-v2\n```\n\n~~~\nplain\n~~~\n\n    indented\n";
        assert_eq!(
            spans(source),
            [
                ("anthropic.claude-v2\n", Text),
                ("plain\n", Text),
                ("indented\n", Text),
            ]
        );
    }

    #[test]
    fn link_destinations_and_definitions_are_text() {
        let source = "See [docs](https://x/anthropic.claude-v2 \"t\") and ![i](a.png).\n\n\
                      [ref]: https://y/anthropic.claude-v2\n";
        assert_eq!(
            spans(source),
            [
                ("See ", Prose),
                ("docs", Prose),
                ("](https://x/anthropic.claude-v2 \"t\")", Text),
                (" and ", Prose),
                ("i", Prose),
                ("](a.png)", Text),
                (".", Prose),
                ("[ref]: https://y/anthropic.claude-v2", Text),
            ]
        );
    }

    #[test]
    fn autolinks_are_addresses() {
        let source = "Docs: <https://x/anthropic.claude-v2> or [anthropic.claude-v2][ref].\n\n\
                      [ref]: https://y\n";
        assert_eq!(
            spans(source),
            [
                ("Docs: ", Prose),
                ("https://x/anthropic.claude-v2", Text),
                (">", Text),
                (" or ", Prose),
                ("anthropic.claude-v2", Prose),
                ("][ref]", Text),
                (".", Prose),
                ("[ref]: https://y", Text),
            ]
        );
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn fences_in_block_quotes_and_lists_map_through_the_markers() {
        let source = "> ```sh\n> export A=anthropic.claude-v2\n> echo \"$A\"\n> ```\n\n\
                      - item\n\n  ```py\n  x = 'anthropic.claude-v2'\n  ```\n";
        let extraction = extract(source);
        let found: Vec<_> = extraction
            .spans
            .iter()
            .map(|span| (&source[span.range.clone()], span.context))
            .collect();
        assert_eq!(
            found,
            [
                ("anthropic.claude-v2", Docstring),
                ("$A", Docstring),
                ("item", Prose),
                ("anthropic.claude-v2", Docstring),
            ]
        );
        let dollar = source.find("$A").unwrap();
        assert_eq!(extraction.spans[1].holes, [dollar..dollar + 2]);
    }

    #[test]
    fn crlf_and_tabs() {
        let source = "Text\r\n\r\n```python\r\nA = 'x'\r\nB = \"anthropic.claude-v2\"\r\n```\r\n\r\n\
                      - ```py\n\tx = \"tab\"\n  ```\n";
        assert_eq!(
            spans(source),
            [
                ("Text", Prose),
                ("x", Docstring),
                ("anthropic.claude-v2", Docstring),
                ("tab", Docstring),
            ]
        );
    }

    #[test]
    fn non_ascii_front_matter_and_empty() {
        let source =
            "---\ntitle: Größe anthropic.claude-v2\n---\n\nÜber 🚀 `anthropic.claude-v2`\n";
        let extraction = extract(source);
        let code = source.find('`').unwrap();
        assert_eq!(
            extraction.spans.last().unwrap().range,
            code..code + "`anthropic.claude-v2`".len()
        );
        assert_eq!(
            spans(source)[0],
            ("title: Größe anthropic.claude-v2\n", Text)
        );
        assert_eq!(extract(""), Extraction::default());
    }

    #[test]
    fn fence_info_strings() {
        for (info, language) in [
            ("python", Some(Language::Python)),
            ("Python", Some(Language::Python)),
            ("{.python}", Some(Language::Python)),
            ("rust,ignore", Some(Language::Rust)),
            ("ts title=a.ts", Some(Language::TypeScript)),
            ("Dockerfile", Some(Language::Dockerfile)),
            ("terraform", Some(Language::Hcl)),
            ("env", Some(Language::Dotenv)),
            ("java", Some(Language::Java)),
            ("kotlin", Some(Language::Kotlin)),
            ("C#", Some(Language::CSharp)),
            ("go", Some(Language::Go)),
            ("php", Some(Language::Php)),
            ("ruby", Some(Language::Ruby)),
            ("swift", Some(Language::Swift)),
            ("console", None),
            ("", None),
        ] {
            assert_eq!(fence_language(info), language, "{info:?}");
        }
    }

    #[test]
    fn broken_code_in_a_fence_is_no_error() {
        let source = "```python\ndef f(:\n    return 'anthropic.claude-v2'\n```\n";
        assert_eq!(spans(source), [("anthropic.claude-v2", Docstring)]);
    }

    #[test]
    fn mdx_jsx_and_esm_blocks_are_text() {
        let source = "import { Tabs } from '@site/x';\n\n# Models\n\nUse `anthropic.claude-v2`.\n\n\
                      <Tabs items={[\"anthropic.claude-instant-v1\"]}>\n  <Tab>amazon.titan-text-express-v1</Tab>\n</Tabs>\n\n\
                      ```python\nm = \"anthropic.claude-v2\"\n<Not a block>\n```\n";
        let extraction = extract_mdx(source, Focus::Everything);
        let found = super::super::test_support::contexts(source, &extraction);
        assert_eq!(
            found,
            [
                ("import { Tabs } from '@site/x';", Text),
                ("Models", Prose),
                ("Use ", Prose),
                ("`anthropic.claude-v2`", Prose),
                (".", Prose),
                (
                    "<Tabs items={[\"anthropic.claude-instant-v1\"]}>\n  <Tab>amazon.titan-text-express-v1</Tab>\n</Tabs>",
                    Text
                ),
                ("anthropic.claude-v2", Docstring),
            ]
        );
        assert_eq!(
            extract_mdx("# Plain", Focus::Everything),
            extract("# Plain")
        );
    }
}
