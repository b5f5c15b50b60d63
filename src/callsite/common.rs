//! Pieces shared by the three analysers: parameter names, name bindings by scope, and the
//! final ordering of usages.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::AhoCorasick;

use super::{Param, Usage};

/// How many variable or constant names a value may pass through between the literal and the
/// call. The issue asks for one hop (`MODEL = "…"` used at the call); two also covers a name
/// used inside a dict or object that is itself held in a variable
/// (`MODEL = "…"; params = {"modelId": MODEL}; converse(**params)`).
pub(super) const HOPS: usize = 2;

/// How deep the analysers recurse into one expression (parentheses, conditionals, nested
/// calls around a JSON body, nested spreads). Real code needs a handful of levels; the limit
/// keeps a pathological file (ten thousand nested parentheses) from exhausting the stack.
pub(super) const MAX_DEPTH: usize = 16;

/// How deep nested dicts or objects of an InvokeModel body are searched for parameters
/// (`textGenerationConfig.temperature` is depth 1).
pub(super) const BODY_DEPTH: usize = 4;

/// The normalised name of a sampling parameter as written in any of the APIs (`topP` and
/// `top_p` are the same parameter), or `None` for other names.
pub(crate) fn sampling_param(name: &str) -> Option<&'static str> {
    match name {
        "temperature" => Some("temperature"),
        "top_p" | "topP" => Some("top_p"),
        "top_k" | "topK" => Some("top_k"),
        _ => None,
    }
}

/// A [`Param`] for a sampling parameter named `name` at `range`, if it is one.
pub(super) fn sampling(name: &str, range: Range<usize>) -> Option<Param> {
    sampling_param(name).map(|normalised| Param {
        name: normalised.to_owned(),
        range,
    })
}

/// The `additional_model_request_fields` parameter at `range`.
pub(super) fn additional_fields(range: Range<usize>) -> Param {
    Param {
        name: "additional_model_request_fields".to_owned(),
        range,
    }
}

/// The words an analyser's recognised calls are spelled with: every call it can recognise
/// has one of them in its callee (`converse`, `ChatBedrockConverse`, `InvokeModelCommand`,
/// `completion`) or in the import that names the callee (`@ai-sdk/amazon-bedrock`).
///
/// A file that holds none of them cannot reach a known API, so its tree is not walked at
/// all: most files with a model ID only define it (a constant, a config value) and call
/// nothing, and the bindings walk is the largest cost after parsing. The analysers' tables
/// of recognised calls and this list must grow together; their tests run every recognised
/// pattern through `analyze`, which applies this check first.
pub(super) struct CalleeWords(std::sync::LazyLock<AhoCorasick>);

impl CalleeWords {
    /// The words `words`, matched as plain substrings (case-sensitive).
    pub(super) const fn new(build: fn() -> AhoCorasick) -> CalleeWords {
        CalleeWords(std::sync::LazyLock::new(build))
    }

    /// Whether `source` holds one of the words anywhere.
    pub(super) fn occur_in(&self, source: &str) -> bool {
        self.0.is_match(source)
    }
}

/// An automaton for [`CalleeWords::new`].
pub(super) fn words(words: &[&str]) -> AhoCorasick {
    AhoCorasick::new(words).expect("callee words are plain strings and always build")
}

/// One literal that reaches a value, and the innermost name it went through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Origin {
    /// Byte range of the literal's contents (the extractor's span).
    pub literal: Range<usize>,
    /// The variable or constant directly bound to the literal, if any.
    pub via: Option<String>,
}

impl Origin {
    /// This origin as seen through `name`: keeps an inner name if there is one.
    pub(super) fn through(mut self, name: &str) -> Origin {
        if self.via.is_none() {
            self.via = Some(name.to_owned());
        }
        self
    }
}

/// Simple name bindings (`NAME = value`) of one file, each visible in a scope given by its
/// byte range (a function, a block, the module).
///
/// A name is looked up in the innermost scope that binds it and contains the use; every
/// binding of the name in that scope is returned (`if …: model = "a" else: model = "b"` lets
/// both literals reach the call). Order in the file is ignored: a module-level constant
/// defined below the function that uses it is still found.
#[derive(Debug)]
pub(super) struct Bindings<V> {
    by_name: HashMap<String, Vec<(Range<usize>, V)>>,
}

impl<V> Default for Bindings<V> {
    fn default() -> Self {
        Bindings {
            by_name: HashMap::new(),
        }
    }
}

impl<V: Copy> Bindings<V> {
    /// Record that `name` is bound to `value` in the scope spanning `scope`.
    pub(super) fn add(&mut self, name: &str, scope: Range<usize>, value: V) {
        self.by_name
            .entry(name.to_owned())
            .or_default()
            .push((scope, value));
    }

    /// The values bound to `name` in the innermost scope that binds it and contains byte
    /// `at`, in file order.
    pub(super) fn lookup(&self, name: &str, at: usize) -> Vec<V> {
        let Some(all) = self.by_name.get(name) else {
            return Vec::new();
        };
        let innermost = all
            .iter()
            .filter(|(scope, _)| scope.start <= at && at <= scope.end)
            .map(|(scope, _)| scope.clone())
            .min_by_key(|scope| scope.len());
        let Some(innermost) = innermost else {
            return Vec::new();
        };
        all.iter()
            .filter(|(scope, _)| *scope == innermost)
            .map(|(_, value)| *value)
            .collect()
    }
}

/// Record usages of `origins` at a call.
pub(super) fn push_usages(
    usages: &mut Vec<Usage>,
    origins: Vec<Origin>,
    api: super::Api,
    call: &Range<usize>,
    params: &[Param],
) {
    for origin in origins {
        usages.push(Usage {
            literal: origin.literal,
            api,
            call: call.clone(),
            params: params.to_vec(),
            via: origin.via,
        });
    }
}

/// Sort usages by literal then call, drop a literal reaching the same call twice (through
/// two paths), and sort and deduplicate each usage's parameters.
pub(super) fn finish(mut usages: Vec<Usage>) -> Vec<Usage> {
    for usage in &mut usages {
        usage.params.sort_by_key(|p| (p.range.start, p.range.end));
        usage.params.dedup();
    }
    usages.sort_by_key(|u| (u.literal.start, u.literal.end, u.call.start, u.call.end));
    usages.dedup_by(|b, a| a.literal == b.literal && a.call == b.call);
    usages
}

/// A scope on the stack of an analyser's first pass (Python and TypeScript share it).
pub(super) struct Scope {
    /// The node that opened the scope (`tree_sitter::Node::id`), so that leaving it is
    /// recognised without asking for its kind again.
    pub(super) id: usize,
    /// The scope's byte range: where its bindings are visible.
    pub(super) range: Range<usize>,
    /// True for a class body (where `self.NAME` / `this.NAME` bindings live).
    pub(super) class: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn innermost_scope_wins_and_keeps_every_binding_there() {
        let mut b = Bindings::default();
        b.add("M", 0..100, 1);
        b.add("M", 10..20, 2);
        b.add("M", 10..20, 3);
        assert_eq!(b.lookup("M", 15), [2, 3]);
        assert_eq!(b.lookup("M", 50), [1]);
        assert_eq!(b.lookup("M", 101), Vec::<i32>::new());
        assert_eq!(b.lookup("N", 15), Vec::<i32>::new());
    }

    #[test]
    fn sampling_names_are_normalised() {
        assert_eq!(sampling_param("topP"), Some("top_p"));
        assert_eq!(sampling_param("top_k"), Some("top_k"));
        assert_eq!(sampling_param("maxTokens"), None);
    }
}
