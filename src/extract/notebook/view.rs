//! Two ways of looking at a notebook's JSON, for the cell logic of the parent module.
//!
//! - [`Raw`]: serde_json's [`RawValue`], borrowed from the file, for a notebook that is valid
//!   JSON (nearly all of them). A value is the slice of the file it was written as, so its
//!   byte range is where that slice lies; a cell or an output is looked into only when the
//!   parent asks, and the rest of the file (base64 images, megabytes of outputs) is only
//!   skipped over by serde_json's scanner, at more than a gigabyte a second.
//! - tree-sitter-json's syntax tree, for a notebook that is not valid JSON: tree-sitter
//!   recovers the cells around the error, and the first error gives the notebook's
//!   `syntax_error`.
//!
//! Both give the same answers for valid JSON (the parent's tests read every fixture
//! notebook both ways).

use std::ops::Range;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use tree_sitter::Node;

use crate::extract::treesitter::for_each_node;

/// What a JSON value is, as far as the notebook reader cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ValueKind {
    Object,
    Array,
    String,
    /// A number, `true`, `false`, `null` (or, in a recovered tree, an error).
    Other,
}

/// A JSON value of the notebook, located in the file.
pub(super) trait JsonValue<'a>: Copy {
    /// What the value is.
    fn value_kind(self) -> ValueKind;
    /// Its byte range in the file.
    fn value_range(self) -> Range<usize>;
    /// For a string: the byte range of its contents, between the quotes.
    fn contents(self) -> Range<usize>;
    /// For an object: its members in order, each key (a string) with its value; duplicate
    /// keys are all kept.
    fn members(self) -> Vec<(Self, Option<Self>)>;
    /// For an array: its elements in order.
    fn elements(self) -> Vec<Self>;
    /// Every string inside the value (the value itself, object keys included), in order.
    fn strings(self) -> Vec<Self>;
}

/// A value of a notebook that serde_json read: `text` is the value as written, which lies
/// at `start` in the file.
#[derive(Debug, Clone, Copy)]
pub(super) struct Raw<'a> {
    text: &'a str,
    start: usize,
}

impl<'a> Raw<'a> {
    /// The whole notebook, if it is valid JSON (serde_json's strict reading: no comments,
    /// no trailing commas, no control characters in strings, at most 128 levels deep).
    pub(super) fn document(source: &'a str) -> Option<Raw<'a>> {
        let value: &RawValue = serde_json::from_str(source).ok()?;
        Some(Raw::locate(source, value))
    }

    /// `value`, a slice of `source`, with its offset.
    fn locate(source: &'a str, value: &'a RawValue) -> Raw<'a> {
        Raw {
            text: value.get(),
            start: value.get().as_ptr() as usize - source.as_ptr() as usize,
        }
    }

    /// `value`, a slice of this value's text, with its offset in the file.
    fn inner(self, value: &'a RawValue) -> Raw<'a> {
        let inner = Raw::locate(self.text, value);
        Raw {
            start: self.start + inner.start,
            ..inner
        }
    }
}

impl<'a> JsonValue<'a> for Raw<'a> {
    fn value_kind(self) -> ValueKind {
        match self.text.as_bytes().first() {
            Some(b'{') => ValueKind::Object,
            Some(b'[') => ValueKind::Array,
            Some(b'"') => ValueKind::String,
            _ => ValueKind::Other,
        }
    }

    fn value_range(self) -> Range<usize> {
        self.start..self.start + self.text.len()
    }

    fn contents(self) -> Range<usize> {
        match self.value_kind() {
            ValueKind::String => self.start + 1..self.start + self.text.len() - 1,
            _ => self.start..self.start,
        }
    }

    fn members(self) -> Vec<(Self, Option<Self>)> {
        if self.value_kind() != ValueKind::Object {
            return Vec::new();
        }
        // Already read once as valid JSON: this cannot fail.
        serde_json::from_str::<Members>(self.text)
            .map(|members| {
                members
                    .0
                    .into_iter()
                    .map(|(key, value)| (self.inner(key), Some(self.inner(value))))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn elements(self) -> Vec<Self> {
        if self.value_kind() != ValueKind::Array {
            return Vec::new();
        }
        serde_json::from_str::<Elements>(self.text)
            .map(|elements| {
                elements
                    .0
                    .into_iter()
                    .map(|value| self.inner(value))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn strings(self) -> Vec<Self> {
        let mut strings = Vec::new();
        let mut pending = vec![self];
        while let Some(value) = pending.pop() {
            match value.value_kind() {
                ValueKind::String => strings.push(value),
                ValueKind::Object => {
                    for (key, value) in value.members().into_iter().rev() {
                        pending.extend(value);
                        pending.push(key);
                    }
                }
                ValueKind::Array => pending.extend(value.elements().into_iter().rev()),
                ValueKind::Other => {}
            }
        }
        strings
    }
}

/// An object's members as written (a map type would keep only one of duplicate keys).
struct Members<'a>(Vec<(&'a RawValue, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

/// An array's elements as written.
struct Elements<'a>(Vec<&'a RawValue>);

impl<'de> Deserialize<'de> for Elements<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ElementsVisitor;
        impl<'de> Visitor<'de> for ElementsVisitor {
            type Value = Elements<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut elements = Vec::new();
                while let Some(element) = seq.next_element()? {
                    elements.push(element);
                }
                Ok(Elements(elements))
            }
        }
        deserializer.deserialize_seq(ElementsVisitor)
    }
}

impl<'a> JsonValue<'a> for Node<'a> {
    fn value_kind(self) -> ValueKind {
        match self.kind() {
            "object" => ValueKind::Object,
            "array" => ValueKind::Array,
            "string" => ValueKind::String,
            _ => ValueKind::Other,
        }
    }

    fn value_range(self) -> Range<usize> {
        self.byte_range()
    }

    fn contents(self) -> Range<usize> {
        let mut range = self.byte_range();
        let count = self.child_count();
        if let Some(open) = self.child(0).filter(|c| c.kind() == "\"") {
            range.start = open.end_byte();
        }
        if count > 1
            && let Some(close) = self.child(count - 1).filter(|c| c.kind() == "\"")
        {
            range.end = close.start_byte();
        }
        range.start..range.end.max(range.start)
    }

    fn members(self) -> Vec<(Self, Option<Self>)> {
        named_children(self)
            .into_iter()
            .filter(|pair| pair.kind() == "pair")
            .filter_map(|pair| {
                let key = pair.child_by_field_name("key")?;
                Some((key, pair.child_by_field_name("value")))
            })
            .collect()
    }

    fn elements(self) -> Vec<Self> {
        named_children(self)
    }

    fn strings(self) -> Vec<Self> {
        let mut strings = Vec::new();
        for_each_node(self, |node| {
            if node.kind() == "string" {
                strings.push(node);
            }
        });
        strings
    }
}

/// The named children of `node` (values of an array, pairs of an object), comments left out.
fn named_children(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|child| child.kind() != "comment")
        .collect()
}

/// The top-level value of a tree-sitter-json document, if it is an object.
pub(super) fn tree_object(root: Node) -> Option<Node> {
    named_children(root)
        .into_iter()
        .find(|node| node.kind() == "object")
}
