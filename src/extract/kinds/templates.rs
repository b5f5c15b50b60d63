//! Plain string literals that are templates filled in at run time: the format string of a
//! printf-style call (`fmt.Sprintf("%s.anthropic.…", geo)`, `String.format`, `sprintf`,
//! `format`, `String(format:)`, Ruby's `"…" % geo`) or of .NET composite formatting
//! (`string.Format("{0}.anthropic.…", geo)`). Their conversions (`%s`, `%[1]v`, `%@`,
//! `%<geo>s`, `%{geo}`) and format items (`{0}`, `{0,-5:F2}`) are holes, like the `{…}`
//! fields of a Python `.format` template: an ID after one is a templated ID (a review fix of
//! its base ID), an ID that one continues is not rewritten.
//!
//! Each language module says which calls take a format string; this module finds the call
//! around a literal and the holes in its text.

use std::ops::Range;

use tree_sitter::Node;

use super::parent;
use crate::extract::{PrintfSyntax, marked_holes, printf_holes};

/// How a template's holes are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// printf conversions: `%` with an optional argument index (`%[1]s`, `%1$s`) or Ruby
    /// name (`%<geo>s`, `%{geo}`), flags, width, precision, length and the conversion.
    Printf,
    /// .NET composite format items: `{` index, optional `,alignment` and `:format`, `}`.
    Composite,
}

/// The holes of the template `text` (ranges relative to it), written in `syntax`.
pub(crate) fn holes(text: &str, syntax: Syntax) -> Vec<Range<usize>> {
    match syntax {
        Syntax::Printf => printf_holes(text, &PRINTF),
        Syntax::Composite => composite_items(text),
    }
}

/// printf conversions as the SDK languages write them: Go's `%[1]s`, `%1$s`, Ruby's
/// `%<geo>s` and `%{geo}` (the whole hole), Swift's `%@`, Go's `%v`/`%q`/`%T`.
const PRINTF: PrintfSyntax = PrintfSyntax {
    names: &[(b'{', b'}', true), (b'<', b'>', false), (b'[', b']', false)],
    names_cross_lines: false,
    positions: true,
    flags: b"-+ #0'",
    lengths: b"hlLjz",
    conversions: b"diouxXeEfFgGaAcCsSpqvTbBUn@",
};

/// The format items of a .NET composite format string; `{{` and `}}` are braces.
fn composite_items(text: &str) -> Vec<Range<usize>> {
    marked_holes(text, b'{', |bytes, i| {
        if !bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        bytes[i + 1..]
            .iter()
            .take_while(|&&b| b != b'\n' && b != b'{')
            .position(|&b| b == b'}')
            .map(|n| n + 2)
    })
}

/// The call that receives `literal` as its format string, and that call's name: `literal`
/// (whose ancestors are given, the root first) must be the first argument of its kind in the
/// argument list of a call. `lists` are the kinds of argument lists, `wrappers` the kinds of
/// nodes that wrap one argument (`value_argument`); the name is the identifier that ends
/// the callee (`Sprintf` of `fmt.Sprintf`).
pub(crate) fn called_with<'s>(
    literal: Node,
    ancestors: &[Node],
    lists: &[&str],
    wrappers: &[&str],
    source: &'s str,
) -> Option<&'s str> {
    let (mut up, mut above) = parent(ancestors)?;
    let mut argument = literal;
    if wrappers.contains(&up.kind()) {
        argument = up;
        (up, above) = parent(above)?;
    }
    if !lists.contains(&up.kind()) {
        return None;
    }
    let first = up
        .named_children(&mut up.walk())
        .find(|child| unwrap(*child, wrappers).kind() == literal.kind())?;
    if first != argument {
        return None;
    }
    let call = parent(above)?.0;
    let callee = source.get(call.start_byte()..up.start_byte())?;
    Some(last_identifier(callee))
}

/// `node`, or the only named child of a wrapper node.
fn unwrap<'t>(node: Node<'t>, wrappers: &[&str]) -> Node<'t> {
    if wrappers.contains(&node.kind()) {
        node.named_children(&mut node.walk())
            .filter(|child| !child.is_extra())
            .last()
            .unwrap_or(node)
    } else {
        node
    }
}

/// The identifier at the end of `text` (`Sprintf` of `fmt.Sprintf`), after trailing
/// white space and generic arguments (`Format<T>`) are left out.
fn last_identifier(text: &str) -> &str {
    let text = text.trim_end();
    let text = if text.ends_with('>') {
        text.rfind('<').map_or(text, |i| text[..i].trim_end())
    } else {
        text
    };
    let start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
        .last()
        .map_or(text.len(), |(i, _)| i);
    &text[start..]
}

/// Add to `span` (a literal of `source`) the holes of its text read as a template written
/// in `syntax`, except those that overlap a hole it has already (an interpolation).
pub(crate) fn add_holes(span: &mut crate::extract::Span, syntax: Syntax, source: &str) {
    let text = source.get(span.range.clone()).unwrap_or_default();
    let start = span.range.start;
    let own = std::mem::take(&mut span.holes);
    let mut all: Vec<Range<usize>> = holes(text, syntax)
        .into_iter()
        .map(|hole| hole.start + start..hole.end + start)
        .filter(|hole| !own.iter().any(|o| o.start < hole.end && hole.start < o.end))
        .collect();
    all.extend(own);
    all.sort_by_key(|hole| hole.start);
    span.holes = all;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, syntax: Syntax) -> Vec<&str> {
        holes(text, syntax).into_iter().map(|h| &text[h]).collect()
    }

    #[test]
    fn printf_conversions_of_every_dialect() {
        assert_eq!(
            texts(
                "%s.anthropic %v %[1]q %1$s %-10.3f %@ %<geo>s %{geo} %% %lld %5 %",
                Syntax::Printf
            ),
            [
                "%s", "%v", "%[1]q", "%1$s", "%-10.3f", "%@", "%<geo>s", "%{geo}", "%lld"
            ]
        );
        assert_eq!(texts("100%", Syntax::Printf), Vec::<&str>::new());
        assert_eq!(texts("%{open\n}", Syntax::Printf), Vec::<&str>::new());
    }

    #[test]
    fn composite_format_items() {
        assert_eq!(
            texts("{0}.anthropic {1,-5:F2} {{0}} {name} {2", Syntax::Composite),
            ["{0}", "{1,-5:F2}"]
        );
    }

    #[test]
    fn last_identifiers() {
        assert_eq!(last_identifier("fmt.Sprintf"), "Sprintf");
        assert_eq!(last_identifier("string.Format "), "Format");
        assert_eq!(last_identifier("Format<int>"), "Format");
        assert_eq!(last_identifier("sprintf"), "sprintf");
        assert_eq!(last_identifier("f()"), "");
        assert_eq!(last_identifier(""), "");
    }
}
