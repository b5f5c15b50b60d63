//! Text assembled from pieces of a file, with a map back to the file's bytes.
//!
//! Some formats hold code that is not a contiguous run of the file: a notebook cell's Python
//! is spread over JSON string elements with escapes (`\"`, `\n`, `\u00e9`), a Markdown code
//! block inside a list or block quote loses each line's indentation or `> ` marker, and a
//! Dockerfile `RUN` command is split by `\`-newline continuations and comment lines. Such an
//! extractor builds the code's text as a [`MappedText`] — runs copied verbatim from the file
//! and replacements (an escape decoded, a separator inserted) that stand for a range of the
//! file — runs another extractor on it, and maps the spans it returns back with
//! [`MappedText::span_to_raw`].
//!
//! A span whose text lies in one copied run maps to exactly its bytes in the file. A span that
//! crosses pieces maps to the file range from its first to its last byte, which then includes
//! whatever lies between the pieces (JSON syntax between two string elements, a `> ` marker, a
//! continuation). That is harmless for this tool: model references never span a line break,
//! and every piece boundary is at one, or at an escape that cannot occur inside a model ID.

use std::ops::Range;

use super::Span;

/// One piece of the assembled text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Segment {
    /// Offset of the piece in the assembled text.
    decoded: usize,
    /// The file range it comes from.
    raw: Range<usize>,
    /// True when the piece is a verbatim copy of `raw` (so offsets inside it map one to one);
    /// false for a replacement, whose every byte stands for the whole of `raw`.
    copy: bool,
}

/// Text assembled from pieces of a file, with the file range of every piece.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MappedText {
    /// The assembled text.
    pub text: String,
    /// Pieces in order; together they cover `text` without gaps.
    segments: Vec<Segment>,
    /// Where an empty text maps to.
    origin: usize,
}

impl MappedText {
    /// An empty text; empty spans of an empty text map to file offset `origin`.
    pub fn new(origin: usize) -> Self {
        MappedText {
            text: String::new(),
            segments: Vec::new(),
            origin,
        }
    }

    /// Append `text`, a verbatim copy of the file's bytes starting at `raw_start`.
    pub fn push_copy(&mut self, raw_start: usize, text: &str) {
        if text.is_empty() {
            return;
        }
        let decoded = self.text.len();
        self.text.push_str(text);
        let raw = raw_start..raw_start + text.len();
        if let Some(last) = self.segments.last_mut()
            && last.copy
            && last.raw.end == raw.start
        {
            last.raw.end = raw.end;
            return;
        }
        self.segments.push(Segment {
            decoded,
            raw,
            copy: true,
        });
    }

    /// Append `text`, which stands for the file's bytes `raw` (a decoded escape, an inserted
    /// separator, text the parser produced that the file does not hold literally).
    pub fn push_replacement(&mut self, raw: Range<usize>, text: &str) {
        if text.is_empty() {
            return;
        }
        let decoded = self.text.len();
        self.text.push_str(text);
        self.segments.push(Segment {
            decoded,
            raw,
            copy: false,
        });
    }

    /// The segment holding byte `p` of the text (`p < text.len()`).
    fn segment(&self, p: usize) -> &Segment {
        let index = self.segments.partition_point(|s| s.decoded <= p);
        &self.segments[index.saturating_sub(1)]
    }

    /// File offset where a range of the text that starts at `p` starts.
    fn start_to_raw(&self, p: usize) -> usize {
        if p >= self.text.len() {
            return self.segments.last().map_or(self.origin, |s| s.raw.end);
        }
        let s = self.segment(p);
        if s.copy {
            s.raw.start + (p - s.decoded)
        } else {
            s.raw.start
        }
    }

    /// File offset where a range of the text that ends at `p` (exclusive, `p > 0`) ends.
    fn end_to_raw(&self, p: usize) -> usize {
        let p = p.min(self.text.len());
        if p == 0 {
            return self.start_to_raw(0);
        }
        let s = self.segment(p - 1);
        if s.copy {
            s.raw.start + (p - s.decoded)
        } else {
            s.raw.end
        }
    }

    /// The file range of `range` of the text: from the file position of its first byte to
    /// the end of its last byte's origin; an empty range maps to an empty range.
    pub fn range_to_raw(&self, range: Range<usize>) -> Range<usize> {
        let start = self.start_to_raw(range.start);
        if range.is_empty() {
            return start..start;
        }
        let end = self.end_to_raw(range.end).max(start);
        start..end
    }

    /// `span` (found in the text) with its range, holes and the range of its key's mapping
    /// moved to file offsets. Holes are kept inside the span's range.
    pub fn span_to_raw(&self, span: Span) -> Span {
        let range = self.range_to_raw(span.range);
        let key = span
            .key
            .map(|mapping| mapping.map_range(|r| self.range_to_raw(r)));
        let holes = span
            .holes
            .into_iter()
            .map(|hole| {
                let hole = self.range_to_raw(hole);
                hole.start.clamp(range.start, range.end)..hole.end.clamp(range.start, range.end)
            })
            .collect();
        Span {
            range,
            holes,
            key,
            ..span
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Mapping, SpanContext};
    use super::*;

    #[test]
    fn copies_map_one_to_one_and_replacements_as_a_whole() {
        // File: `["ab\"c", "de"]`; text: `ab"cde`.
        let mut m = MappedText::new(0);
        m.push_copy(2, "ab");
        m.push_replacement(4..6, "\"");
        m.push_copy(6, "c");
        m.push_copy(11, "de");
        assert_eq!(m.text, "ab\"cde");
        assert_eq!(m.range_to_raw(0..2), 2..4);
        assert_eq!(m.range_to_raw(1..3), 3..6);
        assert_eq!(m.range_to_raw(2..3), 4..6);
        assert_eq!(m.range_to_raw(3..4), 6..7);
        // Across pieces: from the first byte to the last, JSON between included.
        assert_eq!(m.range_to_raw(3..5), 6..12);
        assert_eq!(m.range_to_raw(4..6), 11..13);
        // Empty ranges stay empty.
        assert_eq!(m.range_to_raw(3..3), 6..6);
        assert_eq!(m.range_to_raw(6..6), 13..13);
        assert_eq!(MappedText::new(7).range_to_raw(0..0), 7..7);
    }

    #[test]
    fn adjacent_copies_merge() {
        let mut m = MappedText::new(0);
        m.push_copy(0, "ab");
        m.push_copy(2, "cd");
        m.push_copy(9, "e");
        assert_eq!(m.segments.len(), 2);
        assert_eq!(m.range_to_raw(1..4), 1..4);
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn spans_and_holes_are_mapped() {
        let mut m = MappedText::new(0);
        m.push_copy(10, "f'{x}'");
        let span = Span {
            range: 2..5,
            context: SpanContext::Code,
            holes: vec![2..5],
            key: Some(Mapping::At(0..6)),
            key_name: Some("k".into()),
        };
        let mapped = m.span_to_raw(span);
        assert_eq!(mapped.range, 12..15);
        assert_eq!(mapped.holes, [12..15]);
        assert_eq!(mapped.key, Some(Mapping::At(10..16)));
        assert_eq!(mapped.key_name.as_deref(), Some("k"));
    }
}
