//! Shell scripts (`.sh`, `.bash`, `.zsh`) and dotenv files (`.env`, `.env.*`), both read
//! with tree-sitter-bash.
//!
//! # What becomes a span
//!
//! Every place a shell script writes a value, as [`SpanContext::Code`]:
//! - double-quoted strings (`"…"`, also `$"…"`), with `$VAR`, `${…}`, `$(…)`, `` `…` ``,
//!   `$((…))` inside as holes;
//! - single-quoted (`'…'`) and ANSI-C (`$'…'`) strings, whose contents are literal;
//! - unquoted words that are arguments, assignment values, array elements, `${VAR:-default}`
//!   defaults, `case` patterns and redirection targets — not command names (`aws`, `python`);
//! - heredoc bodies (`<<EOF`), with their expansions as holes (a quoted `<<'EOF'` has none);
//! - a word glued to an expansion or to a quoted string (`us.${GEO}.anthropic.claude-v2`,
//!   `"us."$GEO'…'`) is one span over the whole concatenation, with the expansions and the
//!   quote characters as holes, so that a model ID assembled from pieces is reported as such
//!   and never rewritten as if it were whole. A concatenation without expansions
//!   (`--model-id="…"`) gives one span per piece.
//!
//! Comments (the shebang too) are [`SpanContext::Comment`]. `key_name` is the variable of an
//! assignment (`VAR=value`, `export VAR=value`, `declare -x VAR=value`, `local`, `readonly`,
//! `arr[0]=value`, `VAR=value cmd`) and, for a command-line argument, the long option it is
//! the value of (`--model-id X`, `--model-id=X`).
//!
//! Spans are sorted by start; a word or string inside a hole (`"$(cmd "x")"`,
//! `"${M:-default}"`) is a span of its own inside that hole, as for the other languages.
//!
//! # dotenv
//!
//! A dotenv file is a list of `KEY=value` lines with `#` comments, which is valid shell for
//! the files people write, so the same grammar reads it; the [`dotenvy`-style] crates parse
//! values but report no byte positions, and a rewrite needs those. Differences from shell
//! that matter here are handled:
//! - an unquoted value with spaces (`KEY=a b c`, accepted by most dotenv loaders) parses as an
//!   assignment followed by a command; every word of that line is a value of `KEY`
//!   (`key_name` set), including the one shell would call the command name;
//! - `${VAR}` in a double-quoted or unquoted value is a hole, as dotenv-expand treats it.
//!
//! Limits: a value that is not valid shell (`KEY=a)b`, an unbalanced quote) makes the file a
//! syntax error, so its references are reported and only review fixes are offered; `KEY: value`
//! lines (a YAML-like dialect a few loaders accept) give a span for `value` without a key
//! name.
//!
//! [`dotenvy`-style]: https://docs.rs/dotenvy

use std::cell::RefCell;
use std::collections::HashMap;

use tree_sitter::{Language, Node, Parser};

use super::treesitter::{
    comment_span, failed, finish, for_each_node_with_ancestors, node_text, parse,
};
use super::{Extraction, Focus, Span, SpanContext};

thread_local! {
    /// This thread's Bash parser, created on first use (see the Python extractor for why
    /// parsers are per thread).
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Which file format the text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A shell script.
    Script,
    /// A dotenv file: no commands, so a "command name" is part of an unquoted value.
    Dotenv,
}

/// Node kinds that substitute text at run time: holes inside strings and concatenations.
const EXPANSIONS: &[&str] = &[
    "simple_expansion",
    "expansion",
    "command_substitution",
    "arithmetic_expansion",
    "process_substitution",
];

/// Extract the string, word, heredoc and comment spans of a shell script.
///
/// Never panics: a script that does not parse cleanly yields every span tree-sitter
/// recovered, with `syntax_error` set.
pub fn extract(source: &str) -> Extraction {
    extract_with(source, Mode::Script)
}

/// Extract the value and comment spans of a dotenv file (see the module documentation).
pub fn extract_dotenv(source: &str) -> Extraction {
    extract_with(source, Mode::Dotenv)
}

/// The Bash grammar.
fn grammar() -> Language {
    tree_sitter_bash::LANGUAGE.into()
}

fn extract_with(source: &str, mode: Mode) -> Extraction {
    let tree = match parse(&PARSER, grammar, "Bash", &defuse_brace_scanner(source)) {
        Ok(tree) => tree,
        Err(error) => return failed(source, error),
    };
    let root = tree.root_node();
    let mut spans = Vec::new();
    // Parents come from the walk's ancestor stack, never from `Node::parent`, which
    // tree-sitter answers by searching down from the root: asked for each of thousands of
    // siblings, that made a line of 4,000 `"",` take seconds. For the same reason whether
    // a concatenation is interpolated is computed once per concatenation.
    let mut interpolated = HashMap::new();
    for_each_node_with_ancestors(root, Focus::Everything, |node, ancestors| {
        if let Some(span) = node_span(node, ancestors, source, mode, &mut interpolated) {
            spans.push(span);
        }
    });
    finish(spans, root, source)
}

/// `source` as tree-sitter-bash can read it without crashing: byte for byte the same,
/// except for a character over U+00FF right after a `{` (digits skipped) or after a
/// `{N..` (digits skipped), which becomes as many `_` as it has bytes.
///
/// tree-sitter-bash 0.25's external scanner tests those characters for a brace expansion
/// (`{1..9}`) with C's `isdigit`, which indexes a 384-entry table with the code point: for
/// `{` followed by U+88B2D it read unmapped memory and the process died (SIGSEGV), a crash
/// no `catch_unwind` can turn into an error. Offsets are unchanged, so spans are still cut
/// from the original text; the stand-in is a word character, as the original is to Bash.
fn defuse_brace_scanner(source: &str) -> std::borrow::Cow<'_, str> {
    let bytes = source.as_bytes();
    let digits = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    // A character the scanner classifies at `i` that is over U+00FF: its byte range.
    let wide = |i: usize| {
        let c = source.get(i..)?.chars().next()?;
        (u32::from(c) > 0xff).then(|| i..i + c.len_utf8())
    };
    let mut wide_ranges = Vec::new();
    for brace in memchr::memchr_iter(b'{', bytes) {
        let after = digits(brace + 1);
        if let Some(range) = wide(after) {
            wide_ranges.push(range);
        } else if bytes.get(after..after + 2) == Some(b"..") {
            wide_ranges.extend(wide(digits(after + 2)));
        }
    }
    if wide_ranges.is_empty() {
        return std::borrow::Cow::Borrowed(source);
    }
    let mut defused = source.to_owned();
    for range in wide_ranges {
        let underscores = "_".repeat(range.len());
        defused.replace_range(range, &underscores);
    }
    std::borrow::Cow::Owned(defused)
}

/// The span of `node` (whose ancestors are `ancestors`, the parent last), if it is a
/// value, a heredoc body or a comment.
fn node_span(
    node: Node,
    ancestors: &[Node],
    source: &str,
    mode: Mode,
    interpolated: &mut HashMap<usize, bool>,
) -> Option<Span> {
    if !node.is_named() {
        return None;
    }
    let mut holes = Vec::new();
    let range = match node.kind() {
        "comment" => return Some(comment_span(node, SpanContext::Comment, source)),
        "concatenation" if is_interpolated(node) => {
            for child in node.children(&mut node.walk()) {
                collect_holes(child, source, &mut holes);
            }
            node.byte_range()
        }
        _ if in_interpolated_concatenation(node, ancestors, interpolated) => return None,
        "string" => {
            let mut range = node.byte_range();
            for child in node.children(&mut node.walk()) {
                match child.kind() {
                    "\"" if child.start_byte() == range.start => range.start = child.end_byte(),
                    "\"" => range.end = child.start_byte(),
                    kind if EXPANSIONS.contains(&kind) => holes.push(hole(child, source)),
                    _ => {}
                }
            }
            range.start..range.end.max(range.start)
        }
        "raw_string" => inside_quotes(node, 1, source),
        "ansi_c_string" => inside_quotes(node, 2, source),
        "word" | "extglob_pattern" => {
            let in_command_name = ancestors.last().is_some_and(|p| p.kind() == "command_name");
            if in_command_name && mode == Mode::Script {
                return None;
            }
            node.byte_range()
        }
        "heredoc_body" => {
            for child in node.children(&mut node.walk()) {
                if EXPANSIONS.contains(&child.kind()) {
                    holes.push(hole(child, source));
                }
            }
            node.byte_range()
        }
        _ => return None,
    };
    Some(Span {
        range,
        context: SpanContext::Code,
        holes,
        key: None,
        key_name: key_name(node, ancestors, source, mode),
    })
}

/// The contents of a quoted leaf string: without `open` bytes of opening quote (`'`, `$'`)
/// and the closing `'` (absent when the string is unterminated).
fn inside_quotes(node: Node, open: usize, source: &str) -> std::ops::Range<usize> {
    let range = node.byte_range();
    let text = node_text(node, source);
    let start = (range.start + open).min(range.end);
    let end = if text.len() > open && text.ends_with('\'') {
        range.end - 1
    } else {
        range.end
    };
    start..end.max(start)
}

/// The range of an expansion used as a hole. tree-sitter-bash lets a command substitution
/// inside a string start at the blank before `$(`; the blank is text, not part of the hole.
fn hole(node: Node, source: &str) -> std::ops::Range<usize> {
    let text = node_text(node, source);
    let blank = text.len() - text.trim_start().len();
    node.start_byte() + blank..node.end_byte()
}

/// Whether a concatenation has an expansion among its pieces or inside a quoted piece.
fn is_interpolated(concatenation: Node) -> bool {
    concatenation
        .children(&mut concatenation.walk())
        .any(|child| {
            EXPANSIONS.contains(&child.kind())
                || (matches!(child.kind(), "string" | "translated_string")
                    && has_expansion_inside(child))
        })
}

/// Whether a (possibly translated) double-quoted string holds an expansion.
fn has_expansion_inside(string: Node) -> bool {
    string.children(&mut string.walk()).any(|child| {
        EXPANSIONS.contains(&child.kind())
            || (child.kind() == "string" && has_expansion_inside(child))
    })
}

/// Whether `node` is a direct piece of an interpolated concatenation (then the
/// concatenation's span covers it), or the string inside such a piece's `$"…"`.
fn in_interpolated_concatenation(
    node: Node,
    ancestors: &[Node],
    interpolated: &mut HashMap<usize, bool>,
) -> bool {
    let mut up = ancestors.iter().rev();
    let mut parent = up.next();
    if node.kind() == "string" && parent.is_some_and(|p| p.kind() == "translated_string") {
        parent = up.next();
    }
    parent.is_some_and(|p| {
        p.kind() == "concatenation"
            && *interpolated
                .entry(p.id())
                .or_insert_with(|| is_interpolated(*p))
    })
}

/// The holes that one piece of an interpolated concatenation contributes: an expansion
/// whole, and for a quoted piece its quote characters and the expansions inside it.
fn collect_holes(piece: Node, source: &str, holes: &mut Vec<std::ops::Range<usize>>) {
    let range = piece.byte_range();
    match piece.kind() {
        kind if EXPANSIONS.contains(&kind) => holes.push(hole(piece, source)),
        "string" | "translated_string" => {
            for child in piece.children(&mut piece.walk()) {
                match child.kind() {
                    "\"" | "$" => holes.push(child.byte_range()),
                    "string" => collect_holes(child, source, holes),
                    kind if EXPANSIONS.contains(&kind) => holes.push(hole(child, source)),
                    _ => {}
                }
            }
        }
        "raw_string" | "ansi_c_string" => {
            let open = if piece.kind() == "raw_string" { 1 } else { 2 };
            let inside = inside_quotes(piece, open, source);
            holes.push(range.start..inside.start);
            if inside.end < range.end {
                holes.push(inside.end..range.end);
            }
        }
        _ => {}
    }
}

/// The variable or long option that the value `node` is assigned to (see the module
/// documentation).
fn key_name(node: Node, ancestors: &[Node], source: &str, mode: Mode) -> Option<String> {
    // Climb from the span's node to the value as a whole: `$"…"` around a string, the
    // concatenation a piece belongs to, the array an element belongs to. `ancestors[..up]`
    // are the ancestors of `value`.
    let mut value = node;
    let mut up = ancestors.len();
    let parent_of = |up: usize| up.checked_sub(1).map(|i| ancestors[i]);
    if value.kind() == "string"
        && let Some(parent) = parent_of(up).filter(|p| p.kind() == "translated_string")
    {
        (value, up) = (parent, up - 1);
    }
    if let Some(parent) = parent_of(up).filter(|p| p.kind() == "concatenation") {
        (value, up) = (parent, up - 1);
    }
    if let Some(parent) = parent_of(up).filter(|p| p.kind() == "array") {
        (value, up) = (parent, up - 1);
    }
    let parent = parent_of(up)?;
    match parent.kind() {
        "variable_assignment" if parent.child_by_field_name("value") == Some(value) => {
            assigned_name(parent, source)
        }
        "command_name" if mode == Mode::Dotenv => dotenv_key(parent_of(up - 1)?, source),
        "command" => {
            if mode == Mode::Dotenv
                && let Some(key) = dotenv_key(parent, source)
            {
                return Some(key);
            }
            option_name(value, source)
        }
        _ => None,
    }
}

/// The name assigned by a `variable_assignment` (`arr` for `arr[0]=…`).
fn assigned_name(assignment: Node, source: &str) -> Option<String> {
    let name = assignment.child_by_field_name("name")?;
    let name = match name.kind() {
        "subscript" => name.child_by_field_name("name")?,
        _ => name,
    };
    Some(node_text(name, source).to_owned())
}

/// In a dotenv file, the key of `KEY=a b c`: the last assignment before the words.
fn dotenv_key(command: Node, source: &str) -> Option<String> {
    let assignment = command
        .children(&mut command.walk())
        .take_while(|child| child.kind() == "variable_assignment")
        .last()?;
    assigned_name(assignment, source)
}

/// The long option an argument is the value of: `--model-id X` (the previous argument) or
/// `--model-id=X` (the argument's own prefix).
fn option_name(argument: Node, source: &str) -> Option<String> {
    let text = node_text(argument, source);
    if let Some((option, _)) = text.split_once('=')
        && is_long_option(option)
    {
        return Some(option.to_owned());
    }
    let previous = argument.prev_named_sibling()?;
    let option = node_text(previous, source);
    (previous.kind() == "word" && is_long_option(option)).then(|| option.to_owned())
}

/// `--name`: two dashes and a name of letters, digits, `-` and `_`.
fn is_long_option(text: &str) -> bool {
    text.strip_prefix("--").is_some_and(|name| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use SpanContext::{Code, Comment};

    #[test]
    fn a_wide_character_after_a_brace_does_not_crash_the_bash_scanner() {
        // Found by tests/fuzz.rs: `{` then U+88B2D in a dotenv file killed the process
        // (SIGSEGV in tree-sitter-bash's scanner, see `defuse_brace_scanner`).
        for source in [
            "{\u{88b2d}",
            "{12\u{100000}",
            "{1..\u{f0000}}",
            "echo {\u{e0000}} anthropic.claude-v2\n",
            "K=\"{\u{88b2d}\" # anthropic.claude-v2\n",
        ] {
            let script = extract(source);
            let dotenv = extract_dotenv(source);
            for extraction in [&script, &dotenv] {
                for span in &extraction.spans {
                    assert!(source.get(span.range.clone()).is_some(), "{source:?}");
                }
            }
        }
        // The original text is what spans hold.
        let source = "M=\"anthropic.claude-v2 {\u{88b2d}\"\n";
        assert_eq!(
            spans_of(&extract_dotenv(source), source),
            [(
                "anthropic.claude-v2 {\u{88b2d}".to_owned(),
                Code,
                Some("M".to_owned())
            )]
        );
        assert_eq!(defuse_brace_scanner("{é} {1..ā}"), "{é} {1..__}");
        assert!(matches!(
            defuse_brace_scanner("{1..9} é ā"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    /// Text, context and key name of every span, in order.
    fn spans_of(
        extraction: &Extraction,
        source: &str,
    ) -> Vec<(String, SpanContext, Option<String>)> {
        extraction
            .spans
            .iter()
            .map(|span| {
                (
                    source[span.range.clone()].to_owned(),
                    span.context,
                    span.key_name.clone(),
                )
            })
            .collect()
    }

    /// Spans of a script that must parse cleanly.
    fn spans(source: &str) -> Vec<(String, SpanContext, Option<String>)> {
        let extraction = extract(source);
        assert_eq!(extraction.syntax_error, None, "{source:?}");
        spans_of(&extraction, source)
    }

    /// Spans of a dotenv file that must parse cleanly.
    fn dotenv(source: &str) -> Vec<(String, SpanContext, Option<String>)> {
        let extraction = extract_dotenv(source);
        assert_eq!(extraction.syntax_error, None, "{source:?}");
        spans_of(&extraction, source)
    }

    /// The holes of every span, as text.
    fn holes(source: &str) -> Vec<Vec<&str>> {
        super::super::test_support::holes(source, &extract(source))
    }

    fn s(
        text: &str,
        context: SpanContext,
        key: Option<&str>,
    ) -> (String, SpanContext, Option<String>) {
        (text.to_owned(), context, key.map(str::to_owned))
    }

    #[test]
    fn assignments_exports_and_their_names() {
        let source = "#!/bin/bash\n\
            export BEDROCK_MODEL_ID=us.anthropic.claude-3-5-sonnet-20240620-v1:0\n\
            MODEL=\"anthropic.claude-v2\"\n\
            declare -x D='raw' L=$'ansi\\n'\n\
            arr[0]=x list=(a \"b\")\n";
        assert_eq!(
            spans(source),
            [
                s("#!/bin/bash", Comment, None),
                s(
                    "us.anthropic.claude-3-5-sonnet-20240620-v1:0",
                    Code,
                    Some("BEDROCK_MODEL_ID")
                ),
                s("anthropic.claude-v2", Code, Some("MODEL")),
                s("-x", Code, None),
                s("raw", Code, Some("D")),
                s("ansi\\n", Code, Some("L")),
                s("x", Code, Some("arr")),
                s("a", Code, Some("list")),
                s("b", Code, Some("list")),
            ]
        );
        // Exact byte ranges.
        let extraction = extract(source);
        assert_eq!(extraction.spans[1].range, 36..80);
        assert_eq!(extraction.spans[2].range, 88..107);
    }

    #[test]
    fn command_arguments_but_not_command_names() {
        let source = "aws bedrock-runtime converse --model-id anthropic.claude-v2 \\\n  \
                      --region=us-east-1 --other \"x\" -v y # trailing\n";
        assert_eq!(
            spans(source),
            [
                s("bedrock-runtime", Code, None),
                s("converse", Code, None),
                s("--model-id", Code, None),
                s("anthropic.claude-v2", Code, Some("--model-id")),
                s("--region=us-east-1", Code, Some("--region")),
                s("--other", Code, None),
                s("x", Code, Some("--other")),
                s("-v", Code, None),
                s("y", Code, None),
                s("# trailing", Comment, None),
            ]
        );
    }

    #[test]
    fn expansions_in_double_quotes_are_holes() {
        let source = "M=\"us.$GEO.anthropic.claude-v2 ${X:-d} $(date) `id` $((1+2))\"\n";
        assert_eq!(
            holes(source)[0],
            ["$GEO", "${X:-d}", "$(date)", "`id`", "$((1+2))"]
        );
        // The blank before `$(` is text, not part of the hole (tree-sitter puts it there).
        let extraction = extract(source);
        let span = &extraction.spans[0];
        assert_eq!(span.range, 3..source.len() - 2);
        assert_eq!(span.key_name.as_deref(), Some("M"));
        // The default `d` is a word inside a hole, a span of its own; `date` and `id` are
        // command names.
        let texts: Vec<_> = spans(source).into_iter().map(|(t, _, _)| t).collect();
        assert_eq!(texts[1..], ["d"]);
    }

    #[test]
    fn glued_expansions_make_one_span_with_holes() {
        let source = "X=us.${GEO}.anthropic.claude-v2\nY=\"us.\"$GEO'anthropic.claude-v2'\n\
                      Z=--model-id=\"a\"\n";
        let extraction = extract(source);
        let texts: Vec<_> = spans(source).into_iter().map(|(t, _, k)| (t, k)).collect();
        assert_eq!(
            texts,
            [
                (
                    "us.${GEO}.anthropic.claude-v2".to_owned(),
                    Some("X".to_owned())
                ),
                (
                    "\"us.\"$GEO'anthropic.claude-v2'".to_owned(),
                    Some("Y".to_owned())
                ),
                ("--model-id=".to_owned(), Some("Z".to_owned())),
                ("a".to_owned(), Some("Z".to_owned())),
            ]
        );
        assert_eq!(holes(source)[0], ["${GEO}"]);
        assert_eq!(holes(source)[1], ["\"", "\"", "$GEO", "'", "'"]);
        assert!(extraction.spans[2].holes.is_empty());
    }

    #[test]
    fn heredocs_and_strings_inside_substitutions() {
        let source = "cat <<EOF\nmodel $M anthropic.claude-v2\nEOF\ncat <<'EOF'\nraw $M\nEOF\n\
                      R=\"$(get \"inner\")\"\necho ${M:-anthropic.claude-v2}\n";
        assert_eq!(
            spans(source),
            [
                s("model $M anthropic.claude-v2\n", Code, None),
                s("raw $M\n", Code, None),
                s("$(get \"inner\")", Code, Some("R")),
                s("inner", Code, None),
                s("anthropic.claude-v2", Code, None),
            ]
        );
        assert_eq!(holes(source)[0], ["$M"]);
        assert!(holes(source)[1].is_empty());
        assert_eq!(holes(source)[2], ["$(get \"inner\")"]);
    }

    #[test]
    fn tests_and_case_patterns() {
        let source = "if [[ $M == \"anthropic.claude-v2\" ]]; then :; fi\n\
                      case $M in anthropic.claude-v2) echo hi;; esac\n";
        let texts: Vec<_> = spans(source).into_iter().map(|(t, _, _)| t).collect();
        assert_eq!(texts, ["anthropic.claude-v2", "anthropic.claude-v2", "hi"]);
    }

    #[test]
    fn crlf_script() {
        let source = "# c\r\nexport M=anthropic.claude-v2\r\necho \"a\r\nb\"\r\n";
        assert_eq!(
            spans(source),
            [
                s("# c", Comment, None),
                s("anthropic.claude-v2", Code, Some("M")),
                s("a\r\nb", Code, None),
            ]
        );
    }

    #[test]
    fn byte_offsets_after_non_ascii_text() {
        let source = "# Größe 🚀\nM=\"ü anthropic.claude-v2\"\n";
        let extraction = extract(source);
        let start = source.find('ü').unwrap();
        assert_eq!(
            extraction.spans[1].range,
            start..start + "ü anthropic.claude-v2".len()
        );
    }

    #[test]
    fn syntax_error_is_reported_with_spans() {
        let source = "M=\"anthropic.claude-v2\"\necho a )\n";
        let extraction = extract(source);
        let error = extraction.syntax_error.expect("syntax error");
        assert_eq!((error.line, error.column), (2, 8));
        assert_eq!(
            &source[extraction.spans[0].range.clone()],
            "anthropic.claude-v2"
        );
        assert!(extract("echo \"unterminated\n").syntax_error.is_some());
    }

    #[test]
    fn empty_and_odd_files() {
        assert_eq!(extract(""), Extraction::default());
        assert_eq!(extract_dotenv(""), Extraction::default());
        for input in [
            "\0", "'", "$'", "\"$(", "<<EOF", "${", "`", "\r", "a=(", "\\",
        ] {
            for extraction in [extract(input), extract_dotenv(input)] {
                super::super::test_support::assert_in_bounds(input, &extraction);
                for span in &extraction.spans {
                    for hole in &span.holes {
                        assert!(span.range.start <= hole.start && hole.end <= span.range.end);
                    }
                }
            }
        }
    }

    #[test]
    fn dotenv_values_and_keys() {
        let source = "# Bedrock\nBEDROCK_MODEL_ID=us.anthropic.claude-3-5-sonnet-20240620-v1:0\n\
                      export REGION=\"us-east-1\"\nQUOTED='anthropic.claude-v2' # why\n\
                      EMPTY=\nSPACED=value with spaces\nEXPANDED=\"${BASE}/x\"\n";
        assert_eq!(
            dotenv(source),
            [
                s("# Bedrock", Comment, None),
                s(
                    "us.anthropic.claude-3-5-sonnet-20240620-v1:0",
                    Code,
                    Some("BEDROCK_MODEL_ID")
                ),
                s("us-east-1", Code, Some("REGION")),
                s("anthropic.claude-v2", Code, Some("QUOTED")),
                s("# why", Comment, None),
                s("value", Code, Some("SPACED")),
                s("with", Code, Some("SPACED")),
                s("spaces", Code, Some("SPACED")),
                s("${BASE}/x", Code, Some("EXPANDED")),
            ]
        );
        let extraction = extract_dotenv(source);
        assert_eq!(extraction.spans[1].range, 27..71);
        let expanded = extraction.spans.last().unwrap();
        assert_eq!(
            expanded
                .holes
                .iter()
                .map(|h| &source[h.clone()])
                .collect::<Vec<_>>(),
            ["${BASE}"]
        );
    }

    /// A line of 4,000 `"",` took 50 s and 8,000 `[` took 24 s: every node asked
    /// tree-sitter for its parent, which tree-sitter finds by searching from the root.
    /// Now parents come from the walk, and both are read in milliseconds (no time is
    /// asserted; a regression shows as a test that takes minutes).
    #[test]
    fn many_siblings_and_deep_brackets_are_linear() {
        let siblings = format!("x=({} anthropic.claude-v2)\n", "\"\",".repeat(4_000));
        let extraction = extract(&siblings);
        assert!(
            extraction
                .spans
                .iter()
                .any(|s| siblings[s.range.clone()].contains("anthropic.claude-v2"))
        );
        let brackets = format!("{}\nm=\"anthropic.claude-v2\"\n", "[".repeat(8_000));
        let extraction = extract(&brackets);
        assert!(
            extraction
                .spans
                .iter()
                .any(|s| &brackets[s.range.clone()] == "anthropic.claude-v2")
        );
    }

    #[test]
    fn dotenv_crlf_non_ascii_and_errors() {
        let source = "A=anthropic.claude-v2\r\nB=\"Größe\"\r\n";
        assert_eq!(
            dotenv(source),
            [
                s("anthropic.claude-v2", Code, Some("A")),
                s("Größe", Code, Some("B")),
            ]
        );
        // Not valid shell: reported, so the planner only offers review fixes.
        let source = "A=anthropic.claude-v2\nB=a)b\n";
        let extraction = extract_dotenv(source);
        assert_eq!(extraction.syntax_error.map(|e| e.line), Some(2));
        assert_eq!(
            &source[extraction.spans[0].range.clone()],
            "anthropic.claude-v2"
        );
    }
}
