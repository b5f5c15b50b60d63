//! Text primitives that several stages share: the byte-order mark, splicing edits into a
//! file's text, and byte offset → line and column. Both `plan` (which computes positions and
//! checks its own edits) and `apply` (which writes them) build on this module, so neither
//! depends on the other.

use crate::finding::Edit;

/// Byte length of a UTF-8 byte-order mark at the start of `source`, if any.
pub fn bom_len(source: &str) -> usize {
    if source.starts_with('\u{feff}') { 3 } else { 0 }
}

/// `source` with `edits` applied. Edits must be sorted by start and not overlap; an edit that
/// overlaps the previous one is skipped (the planner never produces those).
pub fn splice<'a>(source: &str, edits: impl IntoIterator<Item = &'a Edit>) -> String {
    let mut out = String::with_capacity(source.len() + 64);
    let mut at = 0;
    for edit in edits {
        if edit.range.start < at || edit.range.end > source.len() {
            continue;
        }
        out.push_str(&source[at..edit.range.start]);
        out.push_str(&edit.content);
        at = edit.range.end;
    }
    out.push_str(&source[at..]);
    out
}

/// The text of `range` of `source` once the `edits` that lie inside it are applied (edits
/// sorted, as for [`splice`]); borrowed when none does. Keys compare their rewritten text,
/// snapshots the rewrite of each reference.
pub fn splice_within<'s, 'a>(
    source: &'s str,
    range: std::ops::Range<usize>,
    edits: impl IntoIterator<Item = &'a Edit>,
) -> Option<std::borrow::Cow<'s, str>> {
    let text = source.get(range.clone())?;
    let inside: Vec<Edit> = edits
        .into_iter()
        .filter(|e| range.start <= e.range.start && e.range.end <= range.end)
        .map(|e| Edit {
            range: e.range.start - range.start..e.range.end - range.start,
            content: e.content.clone(),
        })
        .collect();
    Some(if inside.is_empty() {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(splice(text, &inside))
    })
}

/// Line starts of a file, for byte offset → line and column.
///
/// Columns count characters, so each query counts from the line start — unless it lies on
/// the line of the previous query and after it, when counting resumes from there. Findings
/// are looked up in file order, so a minified file with thousands of references on one line
/// costs one pass over the line instead of one per reference.
pub(crate) struct LineIndex<'a> {
    source: &'a str,
    starts: Vec<usize>,
    /// The previous query: (line, byte offset, column).
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> LineIndex<'a> {
    /// Index the line starts of `source`.
    pub(crate) fn new(source: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex {
            source,
            starts,
            last: std::cell::Cell::new((0, 0, 0)),
        }
    }

    /// 1-based line and character column; a byte-order mark is not a column.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset);
        let (last_line, last_offset, last_column) = self.last.get();
        let (from, base) = if last_line == line && last_offset <= offset {
            (last_offset, last_column)
        } else {
            let start = self.starts[line - 1];
            let bom = if start == 0 { bom_len(self.source) } else { 0 };
            (start + bom.min(offset), 1)
        };
        let column = base
            + self
                .source
                .get(from..offset)
                .map_or(0, |s| s.chars().count());
        self.last.set((line, offset, column));
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(range: std::ops::Range<usize>, content: &str) -> Edit {
        Edit {
            range,
            content: content.into(),
        }
    }

    #[test]
    fn splice_within_applies_only_the_edits_inside_the_range() {
        let source = "k = {'a.v1': 1, 'b.v1': 2}";
        let edits = [edit(6..10, "a.v2"), edit(17..21, "b.v2")];
        let first = splice_within(source, 6..10, &edits).unwrap();
        assert_eq!(first, "a.v2");
        assert!(matches!(
            splice_within(source, 0..3, &edits),
            Some(std::borrow::Cow::Borrowed("k ="))
        ));
        assert_eq!(
            splice_within(source, 5..22, &edits).unwrap(),
            "'a.v2': 1, 'b.v2'"
        );
        assert_eq!(splice_within(source, 20..99, &edits), None);
    }

    #[test]
    fn splice_keeps_everything_else() {
        let src = "\u{feff}a = 'x'\r\nb = 'yy'\r\n";
        let edits = [edit(8..9, "XYZ"), edit(17..19, "")];
        assert_eq!(splice(src, &edits), "\u{feff}a = 'XYZ'\r\nb = ''\r\n");
        // Overlapping and out-of-range edits are skipped.
        let edits = [edit(0..4, "Q"), edit(2..5, "R"), edit(90..99, "S")];
        assert_eq!(splice("abcdef", &edits), "Qef");
    }

    #[test]
    fn line_columns_count_characters_after_a_bom() {
        let src = "\u{feff}ab\néx y";
        let lines = LineIndex::new(src);
        assert_eq!(lines.line_col(3), (1, 1));
        assert_eq!(lines.line_col(src.find('x').unwrap()), (2, 2));
        assert_eq!(lines.line_col(src.find('y').unwrap()), (2, 4));
        assert_eq!(bom_len(src), 3);
        assert_eq!(bom_len("ab"), 0);
    }
}
