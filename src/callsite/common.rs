//! Pieces shared by the three analysers: parameter names, name bindings by scope, the
//! client Region of a call, and the final ordering of usages; and, for the two that read a
//! tree-sitter tree (Python, TypeScript), the tree itself, the scopes of their first pass,
//! following a name to its values, and the binding a Region literal came through.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::AhoCorasick;
use tree_sitter::{Node, Tree};

use super::{ClientRegion, Param, Usage};
use crate::extract::treesitter::{Enclosing, node_text};
use crate::rules::lifecycle::is_region_name;

/// How many variable or constant names a value may pass through between the literal and the
/// call. The issue asks for one hop (`MODEL = "…"` used at the call); two also covers a name
/// used inside a dict or object that is itself held in a variable
/// (`MODEL = "…"; params = {"modelId": MODEL}; converse(**params)`).
pub(super) const HOPS: usize = 2;

/// How many names a client may pass through between its constructor and the call that uses
/// it: the client variable, the session or config it was made from
/// (`session = boto3.Session(…)`, `client = session.client(…)`, `client.converse(…)`), one
/// more for an alias. The Region value itself is then followed [`HOPS`] names.
pub(super) const CLIENT_HOPS: usize = 3;

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
/// pattern through `analyze`, which applies this check first. Client constructors
/// (`boto3.client(…, region_name=…)`, `new BedrockRuntimeClient({ region })`,
/// `.region(Region::new(…))`) need no word of their own: they only give a Region to a usage,
/// and a usage needs one of the recognised calls.
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

/// What an analyser found out about the client that makes one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Client {
    /// The client's constructor is in the file and its Region is this literal.
    Region(ClientRegion),
    /// The client's constructor is in the file but gives no single Region literal: none
    /// (the SDK's default Region applies), an environment lookup without a default, a
    /// parameter, or several different Regions.
    NoRegion,
    /// The client's constructor was not found (a parameter, a function's return value, an
    /// attribute set elsewhere): the file-wide fallback of [`Found::finish`] applies.
    Unknown,
}

impl Client {
    /// The client behind a name bound to several values: no values, or only unknown ones,
    /// is unknown; constructors that all give the same Region give it (the first one's
    /// literal); anything else has no single Region.
    pub(super) fn combine(clients: impl IntoIterator<Item = Client>) -> Client {
        let mut region: Option<ClientRegion> = None;
        let mut unknown = false;
        for client in clients {
            match client {
                Client::Unknown => unknown = true,
                Client::NoRegion => return Client::NoRegion,
                Client::Region(other) => match &region {
                    None => region = Some(other),
                    Some(first) if first.region == other.region => {}
                    Some(_) => return Client::NoRegion,
                },
            }
        }
        match (region, unknown) {
            (None, _) => Client::Unknown,
            (Some(region), false) => Client::Region(region),
            (Some(_), true) => Client::NoRegion,
        }
    }
}

/// The client Region given by the literals a Region argument may have: the Region-shaped
/// ones (see [`is_region_name`]) must all be the same Region, whose first literal is kept,
/// with `how(literal)` describing it. No Region-shaped literal, or several different
/// Regions, give [`Client::NoRegion`].
pub(super) fn client_region(
    source: &str,
    literals: impl IntoIterator<Item = Range<usize>>,
    how: impl Fn(&Range<usize>) -> String,
) -> Client {
    let mut found: Option<ClientRegion> = None;
    for literal in literals {
        let Some(text) = source.get(literal.clone()) else {
            continue;
        };
        if !is_region_name(text) {
            continue;
        }
        match &found {
            None => {
                found = Some(ClientRegion {
                    region: text.to_owned(),
                    how: how(&literal),
                    range: literal,
                });
            }
            Some(first) if first.region == text => {}
            Some(_) => return Client::NoRegion,
        }
    }
    found.map_or(Client::NoRegion, Client::Region)
}

/// The longest [`ClientRegion::how`], in characters (longer text is cut with `…`).
const HOW_CHARS: usize = 120;

/// [`ClientRegion::how`] for a Region argument written `written`, whose literal went
/// through the binding written `binding` (`REGION = "eu-west-1"`) if any. Whitespace runs
/// (a call split over lines) become one space.
pub(super) fn how(written: &str, binding: Option<&str>) -> String {
    let collapse = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut text = collapse(written);
    if let Some(binding) = binding {
        text.push_str(" with ");
        text.push_str(&collapse(binding));
    }
    if text.chars().count() > HOW_CHARS {
        text = text.chars().take(HOW_CHARS - 1).collect();
        text.push('…');
    }
    text
}

/// The usages an analyser records, and which of them have a client it could not trace.
#[derive(Debug, Default)]
pub(super) struct Found {
    /// The usages, in the order they were recorded.
    pub(super) usages: Vec<Usage>,
    /// Indexes in `usages` of those whose client is [`Client::Unknown`].
    unknown_client: Vec<usize>,
}

impl Found {
    /// Record usages of `origins` at a call made by `client`.
    pub(super) fn push(
        &mut self,
        origins: Vec<Origin>,
        api: super::Api,
        call: &Range<usize>,
        params: &[Param],
        client: &Client,
    ) {
        for origin in origins {
            if *client == Client::Unknown {
                self.unknown_client.push(self.usages.len());
            }
            self.usages.push(Usage {
                literal: origin.literal,
                api,
                call: call.clone(),
                params: params.to_vec(),
                via: origin.via,
                region: match client {
                    Client::Region(region) => Some(region.clone()),
                    Client::NoRegion | Client::Unknown => None,
                },
            });
        }
    }

    /// The usages, sorted and deduplicated as [`finish`] does. A usage whose client could
    /// not be traced gets the file's client Region when the recognised client constructors
    /// of the file (`constructors()`, asked only if needed) give exactly one distinct
    /// Region: the first literal of that Region.
    pub(super) fn finish(mut self, constructors: impl FnOnce() -> Vec<ClientRegion>) -> Vec<Usage> {
        if !self.unknown_client.is_empty()
            && let Some(only) = only_region(constructors())
        {
            for &index in &self.unknown_client {
                if let Some(usage) = self.usages.get_mut(index) {
                    usage.region = Some(only.clone());
                }
            }
        }
        finish(self.usages)
    }
}

/// The first of `regions` when they all name the same Region.
fn only_region(regions: Vec<ClientRegion>) -> Option<ClientRegion> {
    let mut regions = regions.into_iter();
    let first = regions.next()?;
    regions
        .all(|other| other.region == first.region)
        .then_some(first)
}

/// Sort usages by literal then call, drop a literal reaching the same call twice (through
/// two paths), and sort and deduplicate each usage's parameters.
fn finish(mut usages: Vec<Usage>) -> Vec<Usage> {
    for usage in &mut usages {
        usage.params.sort_by_key(|p| (p.range.start, p.range.end));
        usage.params.dedup();
    }
    usages.sort_by_key(|u| (u.literal.start, u.literal.end, u.call.start, u.call.end));
    usages.dedup_by(|b, a| a.literal == b.literal && a.call == b.call);
    usages
}

/// The tree of `source` for a tree-sitter analyser: `tree` when the caller has it, else the
/// one `parse` gives; `None` when the file cannot be parsed at all.
pub(super) fn tree_or_parse<'a, E>(
    tree: Option<&'a Tree>,
    parse: impl FnOnce() -> Result<Tree, E>,
) -> Option<Cow<'a, Tree>> {
    match tree {
        Some(tree) => Some(Cow::Borrowed(tree)),
        None => parse().ok().map(Cow::Owned),
    }
}

/// The scopes around the node that the first pass of a tree-sitter analyser (Python,
/// TypeScript) is at, the file's own outermost.
pub(super) struct Scopes(Enclosing<Scope>);

/// One of [`Scopes`].
struct Scope {
    /// The scope's byte range: where its bindings are visible.
    range: Range<usize>,
    /// True for a class body (where `self.NAME` / `this.NAME` bindings live).
    class: bool,
}

impl Scopes {
    /// The scopes at the top of the file whose tree is rooted at `root`: its own.
    pub(super) fn new(root: Node) -> Scopes {
        let mut scopes = Scopes(Enclosing::default());
        scopes.enter(root, false);
        scopes
    }

    /// `node`, being entered, opens a scope: a class body when `class`.
    pub(super) fn enter(&mut self, node: Node, class: bool) {
        let range = node.byte_range();
        self.0.push(node, Scope { range, class });
    }

    /// `node` is left: the scope it opened, if it did, ends.
    pub(super) fn leave(&mut self, node: Node) {
        self.0.leave(node);
    }

    /// The innermost scope's range: where a binding made here is visible.
    pub(super) fn innermost(&self) -> Option<Range<usize>> {
        self.0.innermost().map(|scope| scope.range.clone())
    }

    /// Whether the innermost scope is a class body.
    pub(super) fn in_class_body(&self) -> bool {
        self.0.innermost().is_some_and(|scope| scope.class)
    }

    /// The innermost class body's range: where a `self.NAME` / `this.NAME` binding made
    /// here is visible.
    pub(super) fn class(&self) -> Option<Range<usize>> {
        self.0
            .innermost_where(|scope| scope.class)
            .map(|scope| scope.range.clone())
    }
}

/// The name bindings of a file as a tree-sitter analyser (Python, TypeScript) looks them
/// up.
pub(super) trait Names<'t> {
    /// The file's bindings (recorded by the first pass).
    fn bindings(&self) -> &Bindings<Node<'t>>;

    /// The binding key of the name `node` (`MODEL`, `self.model`); `None` when `node` is
    /// not a name.
    fn key(&self, node: Node<'t>) -> Option<String>;

    /// The binding key of the name `node` and the values bound to it where it is used;
    /// `None` when `node` is not a name.
    fn resolve(&self, node: Node<'t>) -> Option<(String, Vec<Node<'t>>)> {
        let key = self.key(node)?;
        let values = self.bindings().lookup(&key, node.start_byte());
        Some((key, values))
    }

    /// The name `node` followed one name further, with `hops` names left: its binding key,
    /// its values and the hops left after this one; `None` when no hops are left or `node`
    /// is not a name. A value that holds the use itself (`m = m or "…"`) is left out, so
    /// that following names cannot go round in circles.
    fn follow(&self, node: Node<'t>, hops: usize) -> Option<(String, Vec<Node<'t>>, usize)> {
        let hops = hops.checked_sub(1)?;
        let (key, values) = self.resolve(node)?;
        let values = values
            .into_iter()
            .filter(|value| !contains(*value, node))
            .collect();
        Some((key, values, hops))
    }
}

/// A named value of a mapping expression: a keyword argument, an entry of a dict or a
/// property of an object.
#[derive(Debug, Clone)]
pub(super) struct Entry<'t, 's> {
    pub(super) name: &'s str,
    /// Byte range of the keyword or key as written (the contents of a quoted key).
    pub(super) name_range: Range<usize>,
    pub(super) value: Node<'t>,
    /// The name of the dict or object the entry came from, when it came through one.
    pub(super) via: Option<&'s str>,
}

/// The mappings of a file (Python dicts and keyword arguments, JavaScript objects) as a
/// tree-sitter analyser reads them.
pub(super) trait Mappings<'t, 's> {
    /// The entries of the mapping expression `node`, following at most `hops` names and
    /// `depth` levels of nesting; none when `node` is not a mapping.
    fn entries(&self, node: Node<'t>, hops: usize, depth: usize) -> Vec<Entry<'t, 's>>;

    /// The sampling keys of the mapping expression `node`.
    fn sampling_keys(&self, node: Node<'t>) -> Vec<Param> {
        self.entries(node, HOPS, MAX_DEPTH)
            .into_iter()
            .filter_map(|entry| sampling(entry.name, entry.name_range))
            .collect()
    }

    /// The sampling keys of an InvokeModel body mapping, also in nested mappings (Titan
    /// `textGenerationConfig`), `depth` levels down.
    fn body_params(&self, body: Node<'t>, depth: usize, params: &mut Vec<Param>) {
        for entry in self.entries(body, HOPS, MAX_DEPTH) {
            params.extend(sampling(entry.name, entry.name_range));
            if let Some(depth) = depth.checked_sub(1) {
                self.body_params(entry.value, depth, params);
            }
        }
    }
}

/// Whether `outer` contains `inner` (a binding used in its own value, `m = m or "…"`).
fn contains(outer: Node, inner: Node) -> bool {
    outer.start_byte() <= inner.start_byte() && inner.end_byte() <= outer.end_byte()
}

/// The client Region that a Region argument `value` of a tree-sitter analyser gives, with
/// `origins` the literals it may have and `written` how it is written (see
/// [`client_region`]). A literal outside `value` came through a name: [`how`] then adds the
/// text of its binding, the nearest node around the literal (in the tree rooted at `root`)
/// of one of the `binding_kinds`.
pub(super) fn region_argument(
    source: &str,
    root: Node,
    value: Node,
    written: &str,
    origins: Vec<Origin>,
    binding_kinds: &[&str],
) -> Client {
    client_region(
        source,
        origins.into_iter().map(|origin| origin.literal),
        |literal| {
            let inside = value.start_byte() <= literal.start && literal.end <= value.end_byte();
            let binding = (!inside)
                .then(|| binding_text(source, root, literal, binding_kinds))
                .flatten();
            how(written, binding)
        },
    )
}

/// The text of the binding whose value holds the literal at `literal`: the nearest node of
/// one of `kinds` around it, at most [`MAX_DEPTH`] levels up.
fn binding_text<'s>(
    source: &'s str,
    root: Node,
    literal: &Range<usize>,
    kinds: &[&str],
) -> Option<&'s str> {
    let mut node = root.descendant_for_byte_range(literal.start, literal.end)?;
    for _ in 0..MAX_DEPTH {
        if kinds.contains(&node.kind()) {
            return Some(node_text(node, source));
        }
        node = node.parent()?;
    }
    None
}

/// Helpers shared by the analysers' unit tests.
#[cfg(test)]
pub(super) mod test_support {
    use super::super::Usage;
    use crate::extract::{Extraction, SpanContext};

    /// `usages` of `source`, after checking that every literal range is exactly the span of
    /// a code literal in `extraction` (the extractor's reading of `source`) and that every
    /// range lies in the file.
    pub(crate) fn checked(source: &str, extraction: &Extraction, usages: Vec<Usage>) -> Vec<Usage> {
        for usage in &usages {
            assert!(
                extraction
                    .spans
                    .iter()
                    .any(|span| span.range == usage.literal && span.context == SpanContext::Code),
                "{usage:?} is not an extractor span in {source:?}"
            );
            assert!(source.get(usage.call.clone()).is_some());
            for param in &usage.params {
                assert!(source.get(param.range.clone()).is_some());
            }
        }
        usages
    }

    /// The literal's text.
    pub(crate) fn literal<'s>(source: &'s str, usage: &Usage) -> &'s str {
        &source[usage.literal.clone()]
    }

    /// Each of `usages` (of `source`) as (literal's text, client Region).
    pub(crate) fn regions<'s>(
        source: &'s str,
        usages: &'s [Usage],
    ) -> Vec<(&'s str, Option<&'s str>)> {
        usages
            .iter()
            .map(|u| {
                (
                    literal(source, u),
                    u.region.as_ref().map(|r| r.region.as_str()),
                )
            })
            .collect()
    }

    /// Each parameter as (normalised name, text at its range).
    pub(crate) fn params(source: &str, usage: &Usage) -> Vec<(String, String)> {
        usage
            .params
            .iter()
            .map(|p| (p.name.clone(), source[p.range.clone()].to_owned()))
            .collect()
    }

    /// The client Region of `usage` (of `source`), as (Region, how), after checking that its
    /// range is the contents of a quoted literal.
    pub(crate) fn region_of(source: &str, usage: Usage) -> Option<(String, String)> {
        let region = usage.region?;
        assert_eq!(&source[region.range.clone()], region.region, "{source}");
        assert_eq!(
            &source[region.range.start - 1..region.range.start],
            &source[region.range.end..region.range.end + 1],
            "the range is a quoted literal's contents: {source}"
        );
        Some((region.region, region.how))
    }

    /// `pairs` as owned strings, to compare with [`params`].
    pub(crate) fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::Api;
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

    fn at(region: &str, start: usize) -> ClientRegion {
        ClientRegion {
            region: region.to_owned(),
            range: start..start + region.len(),
            how: format!("region: '{region}'"),
        }
    }

    #[test]
    fn clients_of_a_name_must_agree() {
        use Client::{NoRegion, Region, Unknown};
        let eu = || Region(at("eu-west-1", 10));
        assert_eq!(Client::combine([]), Unknown);
        assert_eq!(Client::combine([Unknown, Unknown]), Unknown);
        assert_eq!(
            Client::combine([eu(), Region(at("eu-west-1", 50))]),
            eu(),
            "the first literal is kept"
        );
        assert_eq!(
            Client::combine([eu(), Region(at("us-east-1", 50))]),
            NoRegion
        );
        assert_eq!(Client::combine([eu(), NoRegion]), NoRegion);
        assert_eq!(Client::combine([Unknown, eu()]), NoRegion);
        assert_eq!(Client::combine([eu(), Unknown]), NoRegion);
    }

    #[test]
    fn only_region_shaped_literals_count() {
        let source = "'eu-west-1' 'local' 'us-east-1' 'eu-west-1'";
        let how = |_: &Range<usize>| "how".to_owned();
        assert_eq!(
            client_region(source, [13..18, 1..10, 35..44], how),
            Client::Region(ClientRegion {
                region: "eu-west-1".to_owned(),
                range: 1..10,
                how: "how".to_owned(),
            })
        );
        assert_eq!(
            client_region(source, [1..10, 21..30], how),
            Client::NoRegion
        );
        assert_eq!(
            client_region(source, std::iter::once(13..18), how),
            Client::NoRegion
        );
        assert_eq!(client_region(source, [], how), Client::NoRegion);
    }

    #[test]
    fn how_collapses_whitespace_and_cuts_long_text() {
        assert_eq!(how("region:\n    'eu-west-1'", None), "region: 'eu-west-1'");
        assert_eq!(
            how("region_name=REGION", Some("REGION  =  'eu-west-1'")),
            "region_name=REGION with REGION = 'eu-west-1'"
        );
        let long = how(&format!("region: {}", "x".repeat(500)), None);
        assert_eq!(long.chars().count(), HOW_CHARS);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn untraced_clients_take_the_files_only_region() {
        let origin = |start| Origin {
            literal: start..start + 1,
            via: None,
        };
        let mut found = Found::default();
        found.push(
            vec![origin(0)],
            Api::Converse,
            &(0..5),
            &[],
            &Client::Unknown,
        );
        found.push(
            vec![origin(5)],
            Api::Converse,
            &(5..9),
            &[],
            &Client::NoRegion,
        );
        let regions = |found: Found, files: Vec<ClientRegion>| -> Vec<Option<String>> {
            found
                .finish(|| files)
                .into_iter()
                .map(|u| u.region.map(|r| r.region))
                .collect()
        };
        let copy = |found: &Found| Found {
            usages: found.usages.clone(),
            unknown_client: found.unknown_client.clone(),
        };
        assert_eq!(
            regions(copy(&found), vec![at("eu-west-1", 10), at("eu-west-1", 40)]),
            [Some("eu-west-1".to_owned()), None]
        );
        assert_eq!(
            regions(copy(&found), vec![at("eu-west-1", 10), at("us-east-1", 40)]),
            [None, None]
        );
        assert_eq!(regions(found, Vec::new()), [None, None]);
    }

    #[test]
    fn sampling_names_are_normalised() {
        assert_eq!(sampling_param("topP"), Some("top_p"));
        assert_eq!(sampling_param("top_k"), Some("top_k"));
        assert_eq!(sampling_param("maxTokens"), None);
    }
}
