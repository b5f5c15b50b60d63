//! Tree-sitter plumbing shared by the extractors built on tree-sitter (Python,
//! TypeScript/JavaScript, JSON, YAML, HCL, properties): per-thread parsers, stack-free tree
//! walks and syntax-error reporting.

use std::cell::RefCell;
use std::thread::LocalKey;

use tree_sitter::{Language, Node, Parser, Tree};

pub(crate) use super::failed;
use super::{Extraction, Focus, Mapping, Span, SpanContext, SyntaxError, line_col};

/// A per-thread parser slot, as declared with `thread_local!`.
pub(crate) type ParserSlot = LocalKey<RefCell<Option<Parser>>>;

/// Parse `source` with this thread's parser in `slot`, creating and binding it to
/// `grammar` on first use. `name` is the grammar's name for error messages.
///
/// Never panics; if no tree can be produced (grammar cannot be loaded, file too large
/// for tree-sitter's 32-bit offsets, parse cancelled) the error says why.
pub(crate) fn parse(
    slot: &'static ParserSlot,
    grammar: fn() -> Language,
    name: &str,
    source: &str,
) -> Result<Tree, SyntaxError> {
    if u32::try_from(source.len()).is_err() {
        return Err(whole_file_error("file too large to parse"));
    }
    if let Some(limit) = indentation_limit(name) {
        let depth = indentation_depth(source, name == "YAML", limit);
        if depth > limit {
            return Err(whole_file_error(&format!(
                "nested more than {limit} levels deep; {name} files this deep are not read"
            )));
        }
    }
    let run = |parser: &mut Option<Parser>| parse_with(parser, grammar, name, source);
    let tree = slot
        .try_with(|cell| match cell.try_borrow_mut() {
            Ok(mut parser) => run(&mut parser),
            Err(_) => run(&mut None),
        })
        .unwrap_or_else(|_| run(&mut None))?;
    Ok(tree)
}

/// Parse with the parser in `parser`, creating it first if it is `None`.
fn parse_with(
    parser: &mut Option<Parser>,
    grammar: fn() -> Language,
    name: &str,
    source: &str,
) -> Result<Tree, SyntaxError> {
    let ready = match parser.take() {
        Some(ready) => ready,
        None => new_parser(grammar).map_err(|error| {
            whole_file_error(&format!("cannot load the {name} grammar: {error}"))
        })?,
    };
    let parser = parser.insert(ready);
    #[cfg(test)]
    PARSES.with(|count| count.set(count.get() + 1));
    // A per-file budget ([`parse_budget`]): tree-sitter is linear on sane input, but error recovery on hostile
    // input can take far longer; past the budget the parse is cancelled and the file is
    // searched as text (see [`failed`]) instead of hanging the run.
    let started = std::time::Instant::now();
    let budget = parse_budget(source.len());
    let mut over_budget = |_: &tree_sitter::ParseState| {
        if started.elapsed() > budget {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    };
    let options = tree_sitter::ParseOptions::new().progress_callback(&mut over_budget);
    let bytes = source.as_bytes();
    let mut read = |offset: usize, _: tree_sitter::Point| bytes.get(offset..).unwrap_or_default();
    parser
        .parse_with_options(&mut read, None, Some(options))
        .ok_or_else(|| {
            parser.reset();
            if started.elapsed() > budget {
                whole_file_error(&format!(
                    "the {name} parser took longer than {} s; read as text",
                    budget.as_secs()
                ))
            } else {
                whole_file_error(&format!("the {name} parser gave up on this file"))
            }
        })
}

/// How long the parse of a file of `len` bytes may take before it is cancelled: a minute,
/// and a minute more per MiB. A sane file parses a thousand times faster than that even in
/// a debug build on a loaded machine; the budget only stops pathological error recovery
/// from hanging the run.
fn parse_budget(len: usize) -> std::time::Duration {
    let mib = u64::try_from(len >> 20).unwrap_or(u64::MAX);
    std::time::Duration::from_secs(60u64.saturating_add(mib.saturating_mul(60)))
}

/// A new parser bound to `grammar`.
fn new_parser(grammar: fn() -> Language) -> Result<Parser, tree_sitter::LanguageError> {
    let mut parser = Parser::new();
    parser.set_language(&grammar())?;
    #[cfg(test)]
    PARSERS_CREATED.with(|count| count.set(count.get() + 1));
    Ok(parser)
}

#[cfg(test)]
thread_local! {
    /// How many parsers this thread has created (tests check that they are reused).
    static PARSERS_CREATED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// How many parses this thread has run (tests check that a file is parsed once).
    static PARSES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many tree-sitter parses this thread has run so far.
#[cfg(test)]
pub(crate) fn parses() -> usize {
    PARSES.with(std::cell::Cell::get)
}

/// How many parsers (of any grammar) this thread has created so far.
#[cfg(test)]
pub(crate) fn parsers_created() -> usize {
    PARSERS_CREATED.with(std::cell::Cell::get)
}

/// The most levels of indentation a grammar's parser is given. The indentation-aware
/// grammars keep one entry per level in their scanner state, which tree-sitter must
/// serialise into 1 KiB: past about 250 levels (YAML) or 500 (Python) it aborts the whole
/// process instead of failing. CPython itself refuses more than 100 levels; for YAML the
/// caller falls back to libyaml, which has no such limit.
fn indentation_limit(name: &str) -> Option<usize> {
    match name {
        "Python" => Some(100),
        "YAML" => Some(200),
        _ => None,
    }
}

/// An upper bound on the number of nested indentation levels of `source`, counted up to
/// just past `limit`: every line's leading white space opens a level deeper than the
/// enclosing ones, and with `compact` (YAML) so does each `- `, `? ` or `: ` that starts
/// a nested block collection on the same line (`- - - x`). Blank and comment-only
/// lines do not count.
fn indentation_depth(source: &str, compact: bool, limit: usize) -> usize {
    let mut stack: Vec<usize> = Vec::new();
    let mut deepest = 0;
    for line in source.split('\n') {
        let bytes = line.as_bytes();
        let mut column = bytes
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        if matches!(bytes.get(column), None | Some(b'\r' | b'#')) {
            continue;
        }
        while stack.last().is_some_and(|&top| top >= column) {
            stack.pop();
        }
        stack.push(column);
        while compact && matches!(bytes.get(column..column + 2), Some(b"- " | b"? " | b": ")) {
            column += 2;
            while bytes.get(column) == Some(&b' ') {
                column += 1;
            }
            stack.push(column);
        }
        deepest = deepest.max(stack.len());
        if deepest > limit {
            break;
        }
    }
    deepest
}

/// A syntax error that concerns the whole file rather than a place in it.
fn whole_file_error(message: &str) -> SyntaxError {
    SyntaxError {
        line: 1,
        column: 1,
        message: message.to_owned(),
    }
}

/// Call `visit` on every node under `root` (included) in document order.
///
/// Uses a tree cursor instead of recursion so that deeply nested input cannot
/// overflow the stack.
pub(crate) fn for_each_node<'tree>(root: Node<'tree>, mut visit: impl FnMut(Node<'tree>)) {
    let mut cursor = root.walk();
    loop {
        visit(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// Like [`for_each_node`], but `visit` also gets the node's ancestors, the root first and
/// the parent last, and subtrees that `focus` rules out are skipped (the root is always
/// visited).
///
/// `Node::parent` searches down from the root of the tree, a pass over long sibling lists
/// on every call; the cursor knows the ancestors for free, so a caller that looks up (the
/// Python extractor, for every string) takes them from here instead.
pub(crate) fn for_each_node_with_ancestors<'tree>(
    root: Node<'tree>,
    focus: Focus,
    mut visit: impl FnMut(Node<'tree>, &[Node<'tree>]),
) {
    let mut cursor = root.walk();
    let mut ancestors = Vec::new();
    visit(root, &ancestors);
    if !cursor.goto_first_child() {
        return;
    }
    ancestors.push(root);
    loop {
        let node = cursor.node();
        let entered = focus.touches(node.byte_range());
        if entered {
            visit(node, &ancestors);
            if cursor.goto_first_child() {
                ancestors.push(node);
                continue;
            }
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() || ancestors.len() == 1 {
                return;
            }
            ancestors.pop();
        }
    }
}

/// A set of node kinds as tree-sitter's numeric kind ids, looked up once per tree.
///
/// `Node::kind` measures and UTF-8-checks the kind's name on every call; in a loop over
/// every node of a file that shows up in profiles, while comparing a `u16` does not.
/// Kinds are matched with their namedness: the anonymous `string` keyword of TypeScript
/// has another id than the named `string` literal.
pub(crate) struct KindSet(Vec<u16>);

impl KindSet {
    /// The ids of the named (`named`) or anonymous kinds `kinds` in `language`; a name the
    /// grammar does not have is left out.
    pub(crate) fn new(language: &Language, kinds: &[&str], named: bool) -> KindSet {
        KindSet(
            kinds
                .iter()
                .map(|kind| language.id_for_node_kind(kind, named))
                // 0 is what tree-sitter answers for an unknown name.
                .filter(|&id| id != 0)
                .collect(),
        )
    }

    /// Whether `node` is of one of the kinds.
    pub(crate) fn contains(&self, node: Node) -> bool {
        self.0.contains(&node.kind_id())
    }
}

/// One step of [`walk`]: a node is entered before its descendants and left after them.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step<'tree> {
    /// `node` is reached; `field` is its field name in its parent (`key`, `value` …).
    Enter {
        /// The node.
        node: Node<'tree>,
        /// Its field name in its parent, if it has one.
        field: Option<&'tree str>,
    },
    /// Every descendant of `node` has been visited.
    Leave(Node<'tree>),
}

/// Call `visit` on every node under `root` (included) in document order, once when it is
/// entered and once when it is left, so that a caller can keep a stack of enclosing
/// constructs (the key a value belongs to) without asking for parents — `Node::parent`
/// searches down from the root, which costs a pass over long sibling lists on every call.
///
/// Uses a tree cursor instead of recursion so that deeply nested input cannot overflow the
/// stack.
pub(crate) fn walk<'tree>(root: Node<'tree>, mut visit: impl FnMut(Step<'tree>)) {
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        visit(Step::Enter {
            node,
            field: cursor.field_name(),
        });
        if cursor.goto_first_child() {
            continue;
        }
        visit(Step::Leave(node));
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return;
            }
            visit(Step::Leave(cursor.node()));
        }
    }
}

/// Values that belong to the nodes enclosing the current node of a [`walk`], innermost
/// last: each is recorded when its node is entered and dropped when that node is left, so
/// that a walk keeps what surrounds a node (the key a value belongs to, the object that holds
/// a key, the scope a binding is visible in) without asking for parents.
#[derive(Debug)]
pub(crate) struct Enclosing<T>(Vec<(usize, T)>);

impl<T> Default for Enclosing<T> {
    fn default() -> Self {
        Enclosing(Vec::new())
    }
}

impl<T> Enclosing<T> {
    /// Record `value` for `node`, which is being entered.
    pub(crate) fn push(&mut self, node: Node, value: T) {
        self.0.push((node.id(), value));
    }

    /// Drop what was recorded for `node`, which is being left ([`Step::Leave`]).
    pub(crate) fn leave(&mut self, node: Node) {
        while self.0.last().is_some_and(|(id, _)| *id == node.id()) {
            self.0.pop();
        }
    }

    /// The innermost value.
    pub(crate) fn innermost(&self) -> Option<&T> {
        self.0.last().map(|(_, value)| value)
    }

    /// The innermost value for which `test` holds.
    pub(crate) fn innermost_where(&self, test: impl Fn(&T) -> bool) -> Option<&T> {
        self.0
            .iter()
            .rev()
            .map(|(_, value)| value)
            .find(|value| test(value))
    }
}

/// What a node around a string is, for the extractors of formats whose entries have names
/// and keys (HCL, YAML): kept in an [`Enclosing`] while walking.
pub(crate) enum Frame {
    /// An entry (an attribute, an object element, a mapping pair) with its name when it
    /// has a simple one: a string inside is a value of that name.
    Named(Option<String>),
    /// The key of an entry: a string inside is a key.
    Key,
}

/// The `key` and `key_name` of a string whose innermost frame is `frame`: a key of the
/// mapping that `mapping()` gives, a value with its entry's name, or neither.
pub(crate) fn key_and_name(
    frame: Option<&Frame>,
    mapping: impl FnOnce() -> Option<Mapping>,
) -> (Option<Mapping>, Option<String>) {
    match frame {
        Some(Frame::Key) => (mapping(), None),
        Some(Frame::Named(name)) => (None, name.clone()),
        None => (None, None),
    }
}

/// The named children of `node`, leaving out extras (comments).
pub(crate) fn named_children(node: Node) -> Vec<Node> {
    node.named_children(&mut node.walk())
        .filter(|child| !child.is_extra())
        .collect()
}

/// The contents of a quoted node: the bytes between its first child and its last child
/// when those are the anonymous tokens `open` and `close` (a missing closing token has no
/// width, so an unterminated literal runs to the node's end).
pub(crate) fn between_delimiters(node: Node, open: &str, close: &str) -> std::ops::Range<usize> {
    let mut range = node.byte_range();
    let count = node.child_count();
    if let Some(first) = node.child(0).filter(|c| !c.is_named() && c.kind() == open) {
        range.start = first.end_byte();
    }
    if count >= 2
        && let Some(last) = node
            .child(count - 1)
            .filter(|c| !c.is_named() && c.kind() == close)
    {
        range.end = last.start_byte();
    }
    range.end = range.end.max(range.start);
    range
}

/// A span covering a whole comment node, markers included.
///
/// tree-sitter-python's line comments run up to the `\n`, so in a CRLF file they would
/// end with the `\r`; that is line ending, not comment, and is left out.
pub(crate) fn comment_span(comment: Node, context: SpanContext, source: &str) -> Span {
    let mut range = comment.byte_range();
    let text = node_text(comment, source);
    range.end -= text.len() - text.trim_end_matches('\r').len();
    Span::plain(range, context)
}

/// The source text of `node` (empty, rather than a panic, should tree-sitter ever
/// report a range that is not on character boundaries).
pub(crate) fn node_text<'s>(node: Node, source: &'s str) -> &'s str {
    source.get(node.byte_range()).unwrap_or_default()
}

/// Sort `spans` by start and attach the first syntax error of the tree, if any.
pub(crate) fn finish(mut spans: Vec<Span>, root: Node, source: &str) -> Extraction {
    spans.sort_by_key(|span| span.range.start);
    Extraction {
        spans,
        syntax_error: first_syntax_error(root, source),
    }
}

/// The first `ERROR` or `MISSING` node in document order, as a [`SyntaxError`].
///
/// Only descends into subtrees that contain an error.
pub(crate) fn first_syntax_error(root: Node, source: &str) -> Option<SyntaxError> {
    first_syntax_error_except(root, source, |_| false)
}

/// Like [`first_syntax_error`], but an `ERROR` or `MISSING` node for which `tolerated`
/// holds (a construct the grammar rejects but the format's readers accept) is passed over;
/// a tree whose only errors are tolerated has none.
pub(crate) fn first_syntax_error_except(
    root: Node,
    source: &str,
    tolerated: impl Fn(Node) -> bool,
) -> Option<SyntaxError> {
    if !root.has_error() {
        return None;
    }
    let mut skipped = false;
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        let descend = if node.is_error() || node.is_missing() {
            if !tolerated(node) {
                return Some(syntax_error_at(node, source));
            }
            skipped = true;
            false
        } else {
            node.has_error()
        };
        if descend && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                // `has_error` was set but no node carries it: report the file start.
                return (!skipped).then(|| syntax_error_at_offset(0, "syntax error", source));
            }
        }
    }
}

/// Describe an `ERROR` or `MISSING` node.
fn syntax_error_at(node: Node, source: &str) -> SyntaxError {
    let message = if !node.is_missing() {
        "syntax error".to_owned()
    } else if node.is_named() {
        format!("missing {}", node.kind())
    } else {
        format!("missing `{}`", node.kind())
    };
    syntax_error_at_offset(node.start_byte(), &message, source)
}

/// A syntax error at byte `offset`.
fn syntax_error_at_offset(offset: usize, message: &str, source: &str) -> SyntaxError {
    let (line, column) = line_col(source, offset);
    SyntaxError {
        line,
        column,
        message: message.to_owned(),
    }
}

/// The mapping that holds `node` as a key, when `node` is the key of a `pair` (a dict entry
/// in Python, an object property in JavaScript and TypeScript; both grammars name the field
/// `key`): the dict or object `grandparent`, or the pair itself should it have no parent.
/// The parent and grandparent are passed in because `Node::parent` searches down from the
/// root of the tree; the extractors' walks keep the ancestors at hand.
pub(crate) fn key_of(
    node: Node,
    parent: Option<Node>,
    grandparent: Option<Node>,
) -> Option<Mapping> {
    let pair = parent.filter(|parent| {
        parent.kind() == "pair" && parent.child_by_field_name("key") == Some(node)
    })?;
    Some(Mapping::At(grandparent.unwrap_or(pair).byte_range()))
}

#[cfg(test)]
mod depth_tests {
    use super::indentation_depth;
    use crate::extract::{SpanContext, python, yaml};

    /// `n` nested blocks of `open` (indented one space more each time) around `inner`.
    fn nested(n: usize, open: &str, inner: &str) -> String {
        let mut s: String = (0..n)
            .map(|i| format!("{}{open}\n", " ".repeat(i)))
            .collect();
        s.push_str(&" ".repeat(n));
        s.push_str(inner);
        s
    }

    #[test]
    fn indentation_depth_counts_levels_not_columns() {
        assert_eq!(indentation_depth("a\n        b\n  c\n", false, 100), 2);
        assert_eq!(indentation_depth("a\n\n   # c\n  b\n", false, 100), 2);
        assert_eq!(indentation_depth("- - - x\n", true, 100), 4);
        assert_eq!(indentation_depth("- - - x\n", false, 100), 1);
        assert_eq!(indentation_depth(&nested(500, "k:", "v"), true, 10), 11);
    }

    /// Past ~250 levels tree-sitter-yaml aborted the process (a C assertion on the size
    /// of its scanner state); libyaml reads such a file instead.
    #[test]
    fn a_yaml_file_too_deep_for_tree_sitter_is_read_by_libyaml() {
        let source = nested(300, "k:", "m: anthropic.claude-v2\n");
        let extraction = yaml::extract(&source);
        assert_eq!(extraction.syntax_error, None);
        let last = extraction.spans.last().unwrap();
        assert_eq!(&source[last.range.clone()], "anthropic.claude-v2");
        assert_eq!(last.key_name.as_deref(), Some("m"));
    }

    /// CPython refuses more than 100 levels; past ~500 tree-sitter-python aborted the
    /// process. The file is a syntax error whose references are still found.
    #[test]
    fn a_python_file_too_deep_is_a_syntax_error_with_its_text_searched() {
        let source = nested(1_100, "if x:", "m = 'anthropic.claude-v2'\n");
        let extraction = python::extract(&source);
        let error = extraction.syntax_error.expect("too deep");
        assert_eq!(
            error.message,
            "nested more than 100 levels deep; Python files this deep are not read"
        );
        assert_eq!(extraction.spans.len(), 1);
        assert_eq!(extraction.spans[0].context, SpanContext::Code);
        assert_eq!(extraction.spans[0].range, 0..source.len());
    }
}
