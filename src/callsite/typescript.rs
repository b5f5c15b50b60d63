//! TypeScript, TSX and JavaScript call sites, on the tree-sitter tree the extractor also
//! reads (one parser per dialect and thread, shared with the extractor).
//!
//! # Approach
//!
//! Two passes over the file. The first records *bindings* — `const`/`let`/`var NAME = value`,
//! parameter defaults `(model = "…") => …`, class fields `modelId = "…"` and `this.NAME =
//! value` inside a class (looked up as `this.NAME`) — each with its scope (the program, a
//! block, a function, a class), and the names imported from `@ai-sdk/amazon-bedrock`. The
//! second visits every `new` and call expression, decides from the constructor's or callee's
//! name which API it is (table below), and follows the model value back to string literals:
//!
//! - a string or template literal (whose `${NAME}` substitutions are followed too);
//! - a name, looked up in the innermost scope that binds it (at most two names in a row); a
//!   shorthand property `{ modelId }` is such a name;
//! - both branches of `c ? a : b`, `a ?? b`, `a || b`; through `(…)`, `as T`, `satisfies T`,
//!   `x!` and `<T>x`;
//! - the input object itself may be an object literal or a name bound to one, and `...spread`
//!   objects inside it count.
//!
//! | expression | API | model property |
//! | --- | --- | --- |
//! | `new ConverseCommand(input)`, `new ConverseStreamCommand`, `new InvokeModelCommand`, `new InvokeModelWithResponseStreamCommand` | Converse, ConverseStream, InvokeModel, InvokeModelStream | `modelId` |
//! | `client.converse(input)`, `.converseStream`, `.invokeModel`, `.invokeModelWithResponseStream` (the aggregated `BedrockRuntime` client) | as above | `modelId` |
//! | `new ChatBedrockConverse({…})` | LangChainConverse | `model`, `modelId` |
//! | `new BedrockChat({…})`, `new Bedrock({…})` | LangChainInvoke | `model`, `modelId` |
//! | `new BedrockEmbeddings({…})` | LangChainEmbeddings | `model`, `modelId` |
//! | `bedrock("…")`, `bedrock.languageModel("…")`, `createAmazonBedrock(…)("…")`, `p("…")` with `p = createAmazonBedrock(…)` | VercelAi | first argument |
//!
//! `bedrock` counts when imported from `@ai-sdk/amazon-bedrock` (under any alias) or when it
//! is not bound in the file at all; `createAmazonBedrock` likewise.
//!
//! Parameters (normalised as in [`Param`]): Converse `inferenceConfig` keys and
//! `additionalModelRequestFields` (the key, and sampling keys inside it); InvokeModel `body:
//! JSON.stringify({…})` keys at any depth up to four levels of nesting
//! (also through a name, `new TextEncoder().encode(…)`, `Buffer.from(…)`); LangChain
//! `temperature`, `topP`, `topK`, `modelKwargs` keys and `additionalModelRequestFields`; for
//! the Vercel AI SDK, the object whose `model` is the `bedrock(…)` call (`generateText({
//! model: bedrock("…"), temperature })`, also with `model` through a name): its sampling
//! keys and `providerOptions.bedrock.additionalModelRequestFields`.
//!
//! # Client Region
//!
//! [`Usage::region`] comes from the client that makes the call: the receiver `X` of every
//! `X.send(command)` the command is sent with (inline or through a name), the receiver of an
//! aggregated client's method, a LangChain model itself, the factory of a Vercel model. The
//! receiver is followed through names (at most three names, `this.NAME`
//! included) to its constructor:
//!
//! | constructor | Region from | `how` |
//! | --- | --- | --- |
//! | `new BedrockRuntimeClient({…})`, `new BedrockRuntime({…})`, any `new …Bedrock…({…})` that is not a command | `region` | `region: '…'`, `region` (shorthand) |
//! | `new ChatBedrockConverse({…})`, `new BedrockChat({…})`, `new BedrockEmbeddings({…})` | `client` (followed), else `region` | as above |
//! | `createAmazonBedrock({…})` | `region` | as above |
//!
//! The default provider `bedrock` uses the default Region (none). The `region` value is
//! followed as a model value is (names, `process.env.X ?? "…"`, `||`, ternaries); only
//! Region-shaped literals count and they must all name one Region. Through a name, `how` adds
//! the binding: `region: REGION with REGION = "eu-west-1"`.
//!
//! # Limits
//!
//! Same file only: imports are not followed and nothing is typed. Plain reassignments
//! (`model = "…"` without a declaration, except `this.NAME`), destructuring, computed keys,
//! function return values and arguments passed into a function are not followed; a name bound
//! several times in one scope yields every value.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use tree_sitter::Node;

use super::common::{
    self, BODY_DEPTH, Bindings, CLIENT_HOPS, Client, Entry, Found, HOPS, MAX_DEPTH, Mappings,
    Names, Origin, Scopes, additional_fields, sampling,
};
use super::{Api, ClientRegion, Param, Usage};
use crate::extract::treesitter::{Step, for_each_node, named_children, node_text, walk};
pub use crate::extract::typescript::Dialect;
use crate::extract::typescript::{literal_span, parse_tree};

/// Every recognised callee holds one of these (see [`common::CalleeWords`]): the SDK v3
/// commands and client methods, LangChain's `…Bedrock…` classes, and the Vercel provider
/// (`bedrock`, `createAmazonBedrock`, or an alias imported from `@ai-sdk/amazon-bedrock`).
static CALLEES: common::CalleeWords = common::CalleeWords::new(|| {
    common::words(&[
        "Converse",
        "InvokeModel",
        "converse",
        "invokeModel",
        "Bedrock",
        "bedrock",
    ])
});

/// Every string or template literal in `source` (read as `dialect`) that reaches a known
/// Bedrock API call, with the API and the request parameters visible at the call.
///
/// Sorted by literal, then call. Never panics: a file tree-sitter cannot parse at all gives
/// no usages; a file with syntax errors is analysed as far as tree-sitter recovered it.
pub fn analyze(source: &str, dialect: Dialect) -> Vec<Usage> {
    analyze_in(source, dialect, None)
}

/// [`analyze`] on `tree`, the tree parsed from `source`, when the caller has it.
pub fn analyze_in(source: &str, dialect: Dialect, tree: Option<&tree_sitter::Tree>) -> Vec<Usage> {
    if !CALLEES.occur_in(source) {
        return Vec::new();
    }
    let Some(tree) = common::tree_or_parse(tree, || parse_tree(source, dialect)) else {
        return Vec::new();
    };
    let root = tree.root_node();
    let (file, nodes) = File::collect(root, source);
    let sends = Sends {
        calls: &nodes.calls,
        map: OnceCell::new(),
    };
    let mut found = Found::default();
    for &call in &nodes.calls {
        match call {
            Call::New(node) => file.construction(node, &sends, &mut found),
            Call::Call(node) => file.call(node, &mut found),
        }
    }
    if found.usages.iter().any(|usage| usage.api == Api::VercelAi) {
        for &object in &nodes.objects {
            file.vercel_options(object, &mut found.usages);
        }
    }
    found.finish(|| file.constructor_regions(&nodes.calls))
}

/// How the parameters of a call are found in its input object.
#[derive(Debug, Clone, Copy)]
enum Style {
    /// `inferenceConfig`, `additionalModelRequestFields`.
    Converse,
    /// The keys of `body: JSON.stringify({…})`.
    Invoke,
    /// LangChain: sampling keys, `modelKwargs` keys, `additionalModelRequestFields`.
    LangChain,
}

/// The package of the Vercel AI SDK's Bedrock provider.
const VERCEL_PACKAGE: &str = "@ai-sdk/amazon-bedrock";

/// What the first pass learnt about a file.
struct File<'t, 's> {
    source: &'s str,
    /// The program, to find the node of a literal from its range.
    root: Node<'t>,
    /// `NAME` and `this.NAME` bindings.
    bindings: Bindings<Node<'t>>,
    /// Local names of `bedrock` imported from the Vercel package.
    vercel_providers: HashSet<&'s str>,
    /// Local names of `createAmazonBedrock` imported from the Vercel package.
    vercel_factories: HashSet<&'s str>,
}

/// A call or construction found by the first pass, for the second.
#[derive(Clone, Copy)]
enum Call<'t> {
    /// A `new_expression`.
    New(Node<'t>),
    /// A `call_expression`.
    Call(Node<'t>),
}

/// The nodes the second pass looks at, gathered by the first pass in document order.
///
/// Gathering them during the first walk instead of walking the tree again (once for calls,
/// once more for the options objects of Vercel calls) saves whole passes over the tree,
/// which are a large part of the cost of a candidate file.
#[derive(Default)]
struct Gathered<'t> {
    /// Every `new_expression` and `call_expression`.
    calls: Vec<Call<'t>>,
    /// Every `object`.
    objects: Vec<Node<'t>>,
}

/// Which clients send each command: for each `new XCommand(…)` (by node id) sent by
/// `X.send(command)`, the receivers `X`; worked out from the gathered `calls` the first time
/// a command that reaches a model needs it.
struct Sends<'a, 't> {
    calls: &'a [Call<'t>],
    map: OnceCell<HashMap<usize, Vec<Node<'t>>>>,
}

/// Nodes that open a scope for declarations and parameters.
fn is_scope(kind: &str) -> bool {
    matches!(
        kind,
        "statement_block"
            | "function_declaration"
            | "function_expression"
            | "function"
            | "generator_function_declaration"
            | "generator_function"
            | "arrow_function"
            | "method_definition"
            | "for_statement"
            | "for_in_statement"
    ) || is_class(kind)
}

fn is_class(kind: &str) -> bool {
    matches!(
        kind,
        "class_declaration" | "class" | "abstract_class_declaration"
    )
}

/// Wrappers that do not change a value: `(x)`, `x as T`, `x satisfies T`, `x!`, `<T>x`,
/// `await x`.
fn is_transparent(kind: &str) -> bool {
    matches!(
        kind,
        "parenthesized_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression"
            | "type_assertion"
            | "await_expression"
    )
}

impl<'t, 's> File<'t, 's> {
    /// The first pass: bindings and imports, and the nodes the second pass looks at.
    fn collect(root: Node<'t>, source: &'s str) -> (File<'t, 's>, Gathered<'t>) {
        let mut file = File {
            source,
            root,
            bindings: Bindings::default(),
            vercel_providers: HashSet::new(),
            vercel_factories: HashSet::new(),
        };
        let mut scopes = Scopes::new(root);
        let mut gathered = Gathered::default();
        // Looked up once: comparing numeric kinds is far cheaper than `Node::kind`, which
        // measures and checks the kind's name on every call.
        let language = root.language();
        let new_kind = language.id_for_node_kind("new_expression", true);
        let call_kind = language.id_for_node_kind("call_expression", true);
        let object_kind = language.id_for_node_kind("object", true);
        walk(root, |step| match step {
            Step::Enter { node, .. } => {
                let id = node.kind_id();
                if id == call_kind {
                    gathered.calls.push(Call::Call(node));
                } else if id == new_kind {
                    gathered.calls.push(Call::New(node));
                } else if id == object_kind {
                    gathered.objects.push(node);
                }
                let kind = node.kind();
                if is_scope(kind) && node.id() != root.id() {
                    scopes.enter(node, is_class(kind));
                }
                match kind {
                    "formal_parameters" => file.parameter_defaults(node, &scopes),
                    "variable_declarator" => {
                        if let (Some(name), Some(value)) = (
                            node.child_by_field_name("name"),
                            node.child_by_field_name("value"),
                        ) && name.kind() == "identifier"
                            && let Some(scope) = scopes.innermost()
                        {
                            let name = file.text(name);
                            file.bindings.add(name, scope, value);
                        }
                    }
                    "public_field_definition" | "field_definition" => {
                        let name = node
                            .child_by_field_name("name")
                            .or_else(|| node.child_by_field_name("property"));
                        if let (Some(name), Some(value)) = (name, node.child_by_field_name("value"))
                            && let Some(class) = scopes.class()
                        {
                            let key = format!("this.{}", file.text(name));
                            file.bindings.add(&key, class, value);
                        }
                    }
                    "assignment_expression" => {
                        if let (Some(left), Some(value)) = (
                            node.child_by_field_name("left"),
                            node.child_by_field_name("right"),
                        ) && let Some(key) = file.this_member(left)
                            && let Some(class) = scopes.class()
                        {
                            file.bindings.add(&key, class, value);
                        }
                    }
                    "import_statement" => file.import(node),
                    _ => {}
                }
            }
            Step::Leave(node) => scopes.leave(node),
        });
        (file, gathered)
    }

    fn text(&self, node: Node) -> &'s str {
        node_text(node, self.source)
    }

    /// `(model = "…") => …`: a parameter bound to its default inside the function (the
    /// scope on top of the stack, pushed when the function was entered).
    fn parameter_defaults(&mut self, parameters: Node<'t>, scopes: &Scopes) {
        let Some(scope) = scopes.innermost() else {
            return;
        };
        for parameter in named_children(parameters) {
            let (name, value) = match parameter.kind() {
                "required_parameter" | "optional_parameter" => (
                    parameter.child_by_field_name("pattern"),
                    parameter.child_by_field_name("value"),
                ),
                "assignment_pattern" => (
                    parameter.child_by_field_name("left"),
                    parameter.child_by_field_name("right"),
                ),
                _ => continue,
            };
            if let (Some(name), Some(value)) = (name, value)
                && name.kind() == "identifier"
            {
                let name = self.text(name);
                self.bindings.add(name, scope.clone(), value);
            }
        }
    }

    /// `this.NAME` as the binding key `this.NAME`.
    fn this_member(&self, node: Node) -> Option<String> {
        if node.kind() != "member_expression" {
            return None;
        }
        let object = node.child_by_field_name("object")?;
        let property = node.child_by_field_name("property")?;
        (object.kind() == "this").then(|| format!("this.{}", self.text(property)))
    }

    /// `import { bedrock as b, createAmazonBedrock } from "@ai-sdk/amazon-bedrock"`.
    fn import(&mut self, statement: Node<'t>) {
        let from_vercel = statement
            .child_by_field_name("source")
            .is_some_and(|source| self.string_contents(source) == Some(VERCEL_PACKAGE));
        if !from_vercel {
            return;
        }
        for_each_node(statement, |node| {
            if node.kind() != "import_specifier" {
                return;
            }
            let Some(name) = node.child_by_field_name("name") else {
                return;
            };
            let local = node.child_by_field_name("alias").unwrap_or(name);
            let imported = match name.kind() {
                "string" => self.string_contents(name).unwrap_or_default(),
                _ => self.text(name),
            };
            match imported {
                "bedrock" => {
                    self.vercel_providers.insert(self.text(local));
                }
                "createAmazonBedrock" => {
                    self.vercel_factories.insert(self.text(local));
                }
                _ => {}
            }
        });
    }

    /// The contents of a quoted string (not a template).
    fn string_contents(&self, node: Node) -> Option<&'s str> {
        (node.kind() == "string")
            .then(|| self.source.get(literal_span(node, None).range))
            .flatten()
    }

    /// `new XCommand(input)` and the LangChain constructors; `sends` gives the clients a
    /// command is sent with.
    fn construction(&self, node: Node<'t>, sends: &Sends<'_, 't>, found: &mut Found) {
        let Some(constructor) = node.child_by_field_name("constructor") else {
            return;
        };
        let name = match constructor.kind() {
            "identifier" => self.text(constructor),
            "member_expression" => match constructor.child_by_field_name("property") {
                Some(property) => self.text(property),
                None => return,
            },
            _ => return,
        };
        let (api, style, model_keys): (Api, Style, &[&str]) = match name {
            "ConverseCommand" => (Api::Converse, Style::Converse, &["modelId"]),
            "ConverseStreamCommand" => (Api::ConverseStream, Style::Converse, &["modelId"]),
            "InvokeModelCommand" => (Api::InvokeModel, Style::Invoke, &["modelId"]),
            "InvokeModelWithResponseStreamCommand" => {
                (Api::InvokeModelStream, Style::Invoke, &["modelId"])
            }
            "ChatBedrockConverse" => (
                Api::LangChainConverse,
                Style::LangChain,
                &["model", "modelId"],
            ),
            "BedrockChat" | "Bedrock" => (
                Api::LangChainInvoke,
                Style::LangChain,
                &["model", "modelId"],
            ),
            "BedrockEmbeddings" => (
                Api::LangChainEmbeddings,
                Style::LangChain,
                &["model", "modelId"],
            ),
            _ => return,
        };
        let client = || match api {
            Api::Converse | Api::ConverseStream | Api::InvokeModel | Api::InvokeModelStream => {
                let sends = sends.map.get_or_init(|| self.sends(sends.calls));
                Client::combine(
                    sends
                        .get(&node.id())
                        .into_iter()
                        .flatten()
                        .map(|receiver| self.client_of(*receiver, CLIENT_HOPS, MAX_DEPTH)),
                )
            }
            _ => self.constructed(node, CLIENT_HOPS, MAX_DEPTH),
        };
        self.input_object(node, api, style, model_keys, client, found);
    }

    /// The model and parameters in the first argument of `call` (an input object), made by
    /// `client()`.
    fn input_object(
        &self,
        call: Node<'t>,
        api: Api,
        style: Style,
        model_keys: &[&str],
        client: impl FnOnce() -> Client,
        found: &mut Found,
    ) {
        let Some(input) = self.arguments(call).into_iter().next() else {
            return;
        };
        let entries = self.entries(input, HOPS, MAX_DEPTH);
        let mut origins = Vec::new();
        for entry in entries
            .iter()
            .filter(|entry| model_keys.contains(&entry.name))
        {
            for origin in self.origins(entry.value, HOPS, MAX_DEPTH) {
                origins.push(match entry.via {
                    Some(object) => origin.through(object),
                    None => origin,
                });
            }
        }
        if origins.is_empty() {
            return;
        }
        let params = self.params(style, &entries);
        found.push(origins, api, &call.byte_range(), &params, &client());
    }

    /// The aggregated client's methods and the Vercel provider.
    fn call(&self, call: Node<'t>, found: &mut Found) {
        let Some(function) = call.child_by_field_name("function") else {
            return;
        };
        if function.kind() == "member_expression"
            && let Some(property) = function.child_by_field_name("property")
        {
            let runtime = match self.text(property) {
                "converse" => Some((Api::Converse, Style::Converse)),
                "converseStream" => Some((Api::ConverseStream, Style::Converse)),
                "invokeModel" => Some((Api::InvokeModel, Style::Invoke)),
                "invokeModelWithResponseStream" => Some((Api::InvokeModelStream, Style::Invoke)),
                _ => None,
            };
            if let Some((api, style)) = runtime {
                let client = || {
                    function
                        .child_by_field_name("object")
                        .map_or(Client::Unknown, |receiver| {
                            self.client_of(receiver, CLIENT_HOPS, MAX_DEPTH)
                        })
                };
                self.input_object(call, api, style, &["modelId"], client, found);
                return;
            }
        }
        if self.is_vercel_model_factory(function, MAX_DEPTH)
            && let Some(first) = self.arguments(call).into_iter().next()
        {
            let origins = self.origins(first, HOPS, MAX_DEPTH);
            if !origins.is_empty() {
                let client = self.vercel_client(function, MAX_DEPTH);
                found.push(origins, Api::VercelAi, &call.byte_range(), &[], &client);
            }
        }
    }

    /// Whether calling `callee` with a model ID gives a Vercel AI SDK Bedrock model:
    /// `bedrock`, `bedrock.languageModel`, `createAmazonBedrock(…)`, or a name bound to
    /// `createAmazonBedrock(…)`.
    fn is_vercel_model_factory(&self, callee: Node<'t>, depth: usize) -> bool {
        let Some(depth) = depth.checked_sub(1) else {
            return false;
        };
        match callee.kind() {
            "identifier" => {
                let name = self.text(callee);
                if self.vercel_providers.contains(name) {
                    return true;
                }
                let values = self.bindings.lookup(name, callee.start_byte());
                if values.is_empty() {
                    return name == "bedrock";
                }
                values
                    .into_iter()
                    .any(|value| self.is_vercel_provider_made(value))
            }
            "call_expression" => self.is_vercel_provider_made(callee),
            "member_expression" => {
                callee
                    .child_by_field_name("property")
                    .is_some_and(|p| self.text(p) == "languageModel")
                    && callee
                        .child_by_field_name("object")
                        .is_some_and(|object| self.is_vercel_model_factory(object, depth))
            }
            _ if is_transparent(callee.kind()) => {
                first_named(callee).is_some_and(|inner| self.is_vercel_model_factory(inner, depth))
            }
            _ => false,
        }
    }

    /// Whether `node` is `createAmazonBedrock(…)`.
    fn is_vercel_provider_made(&self, node: Node<'t>) -> bool {
        node.kind() == "call_expression"
            && node
                .child_by_field_name("function")
                .filter(|f| f.kind() == "identifier")
                .is_some_and(|f| {
                    let name = self.text(f);
                    self.vercel_factories.contains(name)
                        || (name == "createAmazonBedrock"
                            && self.bindings.lookup(name, f.start_byte()).is_empty())
                })
    }

    /// The parameters of a Vercel AI SDK call: an object literal whose `model` is (or is a
    /// name bound to) a recorded `bedrock(…)` call gives its sampling keys and
    /// `providerOptions.bedrock.additionalModelRequestFields` to that usage.
    fn vercel_options(&self, object: Node<'t>, usages: &mut [Usage]) {
        let entries = self.entries(object, 0, 1);
        let Some(model) = entries.iter().find(|entry| entry.name == "model") else {
            return;
        };
        let mut calls = vec![model.value];
        if let Some((_, values)) = self.resolve(model.value) {
            calls.extend(values);
        }
        let calls: Vec<Range<usize>> = calls
            .into_iter()
            .map(|node| unwrap_transparent(node, MAX_DEPTH))
            .filter(|node| node.kind() == "call_expression")
            .map(|node| node.byte_range())
            .collect();
        if calls.is_empty() {
            return;
        }
        let mut params = Vec::new();
        for entry in &entries {
            params.extend(sampling(entry.name, entry.name_range.clone()));
            if entry.name == "providerOptions" {
                for provider in self.entries(entry.value, HOPS, MAX_DEPTH) {
                    if provider.name != "bedrock" {
                        continue;
                    }
                    for option in self.entries(provider.value, HOPS, MAX_DEPTH) {
                        if option.name == "additionalModelRequestFields" {
                            params.push(additional_fields(option.name_range.clone()));
                            params.extend(self.sampling_keys(option.value));
                        }
                    }
                }
            }
        }
        for usage in usages
            .iter_mut()
            .filter(|usage| usage.api == Api::VercelAi && calls.contains(&usage.call))
        {
            usage.params.extend(params.iter().cloned());
        }
    }

    /// The arguments of a call or `new` expression, without comments.
    fn arguments(&self, call: Node<'t>) -> Vec<Node<'t>> {
        call.child_by_field_name("arguments")
            .filter(|arguments| arguments.kind() == "arguments")
            .map(named_children)
            .unwrap_or_default()
    }

    /// The string and template literals whose value `node` may have.
    fn origins(&self, node: Node<'t>, hops: usize, depth: usize) -> Vec<Origin> {
        let Some(depth) = depth.checked_sub(1) else {
            return Vec::new();
        };
        match node.kind() {
            "string" => vec![Origin {
                literal: literal_span(node, None).range,
                via: None,
            }],
            "template_string" => {
                let mut origins = vec![Origin {
                    literal: literal_span(node, Some("template_substitution")).range,
                    via: None,
                }];
                // `` `bedrock/${MODEL}` ``: the literal behind `MODEL` reaches the call too.
                for hole in named_children(node)
                    .into_iter()
                    .filter(|child| child.kind() == "template_substitution")
                {
                    if let Some(expression) = first_named(hole) {
                        origins.extend(self.origins(expression, hops, depth));
                    }
                }
                origins
            }
            "ternary_expression" => ["consequence", "alternative"]
                .into_iter()
                .filter_map(|field| node.child_by_field_name(field))
                .flat_map(|branch| self.origins(branch, hops, depth))
                .collect(),
            "binary_expression" => {
                let fallback = node
                    .child_by_field_name("operator")
                    .is_some_and(|op| matches!(op.kind(), "??" | "||"));
                if !fallback {
                    return Vec::new();
                }
                ["left", "right"]
                    .into_iter()
                    .filter_map(|field| node.child_by_field_name(field))
                    .flat_map(|side| self.origins(side, hops, depth))
                    .collect()
            }
            "identifier" | "shorthand_property_identifier" | "member_expression" => {
                let Some((key, values, hops)) = self.follow(node, hops) else {
                    return Vec::new();
                };
                values
                    .into_iter()
                    .flat_map(|value| self.origins(value, hops, depth))
                    .map(|origin| origin.through(&key))
                    .collect()
            }
            kind if is_transparent(kind) => first_named(node)
                .map(|inner| self.origins(inner, hops, depth))
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// The parameters visible in the input object's `entries` for a call of `style`.
    fn params(&self, style: Style, entries: &[Entry<'t, 's>]) -> Vec<Param> {
        let mut params = Vec::new();
        for entry in entries {
            match (style, entry.name) {
                (Style::Converse, "inferenceConfig") => {
                    params.extend(self.sampling_keys(entry.value));
                }
                (Style::Converse | Style::LangChain, "additionalModelRequestFields") => {
                    params.push(additional_fields(entry.name_range.clone()));
                    params.extend(self.sampling_keys(entry.value));
                }
                (Style::Invoke, "body") => {
                    for body in self.bodies(entry.value, HOPS, MAX_DEPTH) {
                        self.body_params(body, BODY_DEPTH, &mut params);
                    }
                }
                (Style::LangChain, "modelKwargs") => {
                    params.extend(self.sampling_keys(entry.value));
                }
                (Style::LangChain, name) => {
                    params.extend(sampling(name, entry.name_range.clone()));
                }
                _ => {}
            }
        }
        params
    }

    /// The objects serialised into an InvokeModel body: the argument of
    /// `JSON.stringify(…)`, found through names and wrapping calls
    /// (`new TextEncoder().encode(…)`, `Buffer.from(…)`).
    fn bodies(&self, node: Node<'t>, hops: usize, depth: usize) -> Vec<Node<'t>> {
        let Some(depth) = depth.checked_sub(1) else {
            return Vec::new();
        };
        match node.kind() {
            "object" => vec![node],
            "call_expression" | "new_expression" => {
                let arguments = self.arguments(node);
                let function = node
                    .child_by_field_name("function")
                    .or_else(|| node.child_by_field_name("constructor"));
                if function.is_some_and(|f| self.text(f).ends_with("JSON.stringify")) {
                    return arguments.into_iter().take(1).collect();
                }
                let mut inner = arguments;
                if let Some(object) = function
                    .filter(|f| f.kind() == "member_expression")
                    .and_then(|f| f.child_by_field_name("object"))
                {
                    inner.push(object);
                }
                inner
                    .into_iter()
                    .flat_map(|arg| self.bodies(arg, hops, depth))
                    .collect()
            }
            kind if is_transparent(kind) => first_named(node)
                .map(|inner| self.bodies(inner, hops, depth))
                .unwrap_or_default(),
            _ => {
                let Some((_, values, hops)) = self.follow(node, hops) else {
                    return Vec::new();
                };
                values
                    .into_iter()
                    .flat_map(|value| self.bodies(value, hops, depth))
                    .collect()
            }
        }
    }
}

impl<'t> Names<'t> for File<'t, '_> {
    fn bindings(&self) -> &Bindings<Node<'t>> {
        &self.bindings
    }

    /// The key of an identifier, a shorthand property or `this.NAME`.
    fn key(&self, node: Node<'t>) -> Option<String> {
        match node.kind() {
            "identifier" | "shorthand_property_identifier" => Some(self.text(node).to_owned()),
            "member_expression" => self.this_member(node),
            _ => None,
        }
    }
}

impl<'t, 's> Mappings<'t, 's> for File<'t, 's> {
    /// The properties of an object expression: an object literal (with its `...spread`
    /// objects), or a name bound to one.
    fn entries(&self, node: Node<'t>, hops: usize, depth: usize) -> Vec<Entry<'t, 's>> {
        let Some(depth) = depth.checked_sub(1) else {
            return Vec::new();
        };
        match node.kind() {
            "object" => {
                let mut entries = Vec::new();
                for child in named_children(node) {
                    match child.kind() {
                        "pair" => {
                            let (Some(key), Some(value)) = (
                                child.child_by_field_name("key"),
                                child.child_by_field_name("value"),
                            ) else {
                                continue;
                            };
                            let (name, name_range) = match key.kind() {
                                "property_identifier" => (self.text(key), key.byte_range()),
                                "string" => {
                                    let range = literal_span(key, None).range;
                                    match self.source.get(range.clone()) {
                                        Some(name) => (name, range),
                                        None => continue,
                                    }
                                }
                                _ => continue,
                            };
                            entries.push(Entry {
                                name,
                                name_range,
                                value,
                                via: None,
                            });
                        }
                        "shorthand_property_identifier" => entries.push(Entry {
                            name: self.text(child),
                            name_range: child.byte_range(),
                            value: child,
                            via: None,
                        }),
                        "spread_element" => {
                            if let Some(inner) = first_named(child) {
                                entries.extend(self.entries(inner, hops, depth));
                            }
                        }
                        _ => {}
                    }
                }
                entries
            }
            kind if is_transparent(kind) => first_named(node)
                .map(|inner| self.entries(inner, hops, depth))
                .unwrap_or_default(),
            _ => {
                let Some((_, values, hops)) = self.follow(node, hops) else {
                    return Vec::new();
                };
                let name = self.text(node);
                values
                    .into_iter()
                    .flat_map(|value| self.entries(value, hops, depth))
                    .map(|mut entry| {
                        entry.via.get_or_insert(name);
                        entry
                    })
                    .collect()
            }
        }
    }
}

/// The nodes whose text a Region that went through a name is shown with
/// (`REGION = "eu-west-1"`, a class field, a parameter default).
const BINDINGS: &[&str] = &[
    "variable_declarator",
    "public_field_definition",
    "field_definition",
    "assignment_expression",
    "required_parameter",
    "optional_parameter",
    "assignment_pattern",
];

/// Whether `name` is the constructor of a Bedrock client or of a LangChain model that makes
/// one (`BedrockRuntimeClient`, `BedrockRuntime`, `BedrockAgentClient`,
/// `ChatBedrockConverse`, `BedrockChat`, `BedrockEmbeddings`…), not a command.
fn is_client_constructor(name: &str) -> bool {
    name.contains("Bedrock") && !name.ends_with("Command")
}

/// The client Region of a call: the constructor of the client it is made by, found in the
/// file through names, and the `region` it is given.
impl<'t, 's> File<'t, 's> {
    /// For each `new XCommand(…)` (by node id) sent by `X.send(command)`, directly or
    /// through a name, the receivers `X`.
    fn sends(&self, calls: &[Call<'t>]) -> HashMap<usize, Vec<Node<'t>>> {
        let mut sends: HashMap<usize, Vec<Node<'t>>> = HashMap::new();
        for call in calls {
            let Call::Call(call) = *call else {
                continue;
            };
            let Some(function) = call
                .child_by_field_name("function")
                .filter(|function| function.kind() == "member_expression")
            else {
                continue;
            };
            let is_send = function
                .child_by_field_name("property")
                .is_some_and(|property| self.text(property) == "send");
            let (true, Some(receiver)) = (is_send, function.child_by_field_name("object")) else {
                continue;
            };
            let Some(first) = self.arguments(call).into_iter().next() else {
                continue;
            };
            let first = unwrap_transparent(first, MAX_DEPTH);
            let commands = match first.kind() {
                "new_expression" => vec![first],
                _ => self
                    .resolve(first)
                    .map(|(_, values)| values)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|value| unwrap_transparent(value, MAX_DEPTH))
                    .filter(|value| value.kind() == "new_expression")
                    .collect(),
            };
            for command in commands {
                sends.entry(command.id()).or_default().push(receiver);
            }
        }
        sends
    }

    /// The client that `node` (a receiver) is: the constructors it may be made by.
    fn client_of(&self, node: Node<'t>, hops: usize, depth: usize) -> Client {
        let Some(depth) = depth.checked_sub(1) else {
            return Client::Unknown;
        };
        match node.kind() {
            "new_expression" | "call_expression" => self.constructed(node, hops, depth),
            "identifier" | "member_expression" => {
                let Some((_, values, hops)) = self.follow(node, hops) else {
                    return Client::Unknown;
                };
                Client::combine(
                    values
                        .into_iter()
                        .map(|value| self.client_of(value, hops, depth)),
                )
            }
            kind if is_transparent(kind) => first_named(node)
                .map_or(Client::Unknown, |inner| self.client_of(inner, hops, depth)),
            _ => Client::Unknown,
        }
    }

    /// The client the constructor `node` makes: a LangChain model's `client` (followed at
    /// most `hops` names), else its `region`, else the default Region; `depth` bounds the
    /// constructors followed in a row.
    fn constructed(&self, node: Node<'t>, hops: usize, depth: usize) -> Client {
        let Some(entries) = self.constructor_entries(node) else {
            return Client::Unknown;
        };
        if let Some(client) = entries.iter().find(|entry| entry.name == "client") {
            return self.client_of(client.value, hops, depth);
        }
        self.direct_region(&entries).unwrap_or(Client::NoRegion)
    }

    /// The properties of the options object of a client constructor (`new
    /// BedrockRuntimeClient({…})`, `createAmazonBedrock({…})`), if `node` is one; none
    /// when it is called without options.
    fn constructor_entries(&self, node: Node<'t>) -> Option<Vec<Entry<'t, 's>>> {
        let is_constructor = match node.kind() {
            "new_expression" => {
                let constructor = node.child_by_field_name("constructor")?;
                let name = match constructor.kind() {
                    "identifier" => self.text(constructor),
                    "member_expression" => self.text(constructor.child_by_field_name("property")?),
                    _ => return None,
                };
                is_client_constructor(name)
            }
            "call_expression" => self.is_vercel_provider_made(node),
            _ => false,
        };
        if !is_constructor {
            return None;
        }
        Some(
            self.arguments(node)
                .into_iter()
                .next()
                .map(|options| self.entries(options, HOPS, MAX_DEPTH))
                .unwrap_or_default(),
        )
    }

    /// The Region the `region` property among `entries` gives, if there is one.
    fn direct_region(&self, entries: &[Entry<'t, 's>]) -> Option<Client> {
        let entry = entries.iter().find(|entry| entry.name == "region")?;
        let value = entry.value;
        let written = match value.kind() {
            "shorthand_property_identifier" => entry.name.to_owned(),
            _ => format!("{}: {}", entry.name, self.text(value)),
        };
        let origins = self.origins(value, HOPS, MAX_DEPTH);
        Some(common::region_argument(
            self.source,
            self.root,
            value,
            &written,
            origins,
            BINDINGS,
        ))
    }

    /// The client of a Vercel AI SDK model factory `callee`: the default `bedrock` provider
    /// uses the default Region; `createAmazonBedrock({ region })` gives its own.
    fn vercel_client(&self, callee: Node<'t>, depth: usize) -> Client {
        let Some(depth) = depth.checked_sub(1) else {
            return Client::Unknown;
        };
        match callee.kind() {
            "identifier" => {
                let name = self.text(callee);
                if self.vercel_providers.contains(name)
                    || (name == "bedrock"
                        && self.bindings.lookup(name, callee.start_byte()).is_empty())
                {
                    Client::NoRegion
                } else {
                    self.client_of(callee, CLIENT_HOPS, depth)
                }
            }
            "member_expression" => callee
                .child_by_field_name("object")
                .map_or(Client::Unknown, |object| self.vercel_client(object, depth)),
            "call_expression" => self.constructed(callee, CLIENT_HOPS, depth),
            kind if is_transparent(kind) => first_named(callee)
                .map_or(Client::Unknown, |inner| self.vercel_client(inner, depth)),
            _ => Client::Unknown,
        }
    }

    /// The Regions the recognised client constructors of the file give by their own
    /// `region` (for the fallback of [`Found::finish`]).
    fn constructor_regions(&self, calls: &[Call<'t>]) -> Vec<ClientRegion> {
        calls
            .iter()
            .filter_map(|call| {
                let node = match *call {
                    Call::New(node) | Call::Call(node) => node,
                };
                match self.direct_region(&self.constructor_entries(node)?)? {
                    Client::Region(region) => Some(region),
                    Client::NoRegion | Client::Unknown => None,
                }
            })
            .collect()
    }
}

/// `node` without the wrappers of [`is_transparent`].
fn unwrap_transparent(mut node: Node, depth: usize) -> Node {
    for _ in 0..depth {
        match first_named(node).filter(|_| is_transparent(node.kind())) {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// The first named child of `node` that is not a comment; for `<T>x`, the expression `x`.
fn first_named(node: Node) -> Option<Node> {
    let children = named_children(node);
    if node.kind() == "type_assertion" {
        children.last().copied()
    } else {
        children.first().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::super::common::test_support::{checked, literal, owned, params, region_of, regions};
    use super::*;
    use crate::extract::{Language, extract};
    use Dialect::{JavaScript, Tsx, TypeScript};

    const ALL: [Dialect; 3] = [TypeScript, Tsx, JavaScript];
    const SONNET_35: &str = "anthropic.claude-3-5-sonnet-20240620-v1:0";

    fn language(dialect: Dialect) -> Language {
        match dialect {
            TypeScript => Language::TypeScript,
            Tsx => Language::Tsx,
            JavaScript => Language::JavaScript,
        }
    }

    /// The usages of `source`, after checking that every literal range is exactly the
    /// extractor's span of a code literal and that every range lies in the file.
    fn usages(source: &str, dialect: Dialect) -> Vec<Usage> {
        let extraction = extract(language(dialect), source);
        assert_eq!(extraction.syntax_error, None, "{dialect:?}: {source}");
        checked(source, &extraction, analyze(source, dialect))
    }

    /// The only usage of `source`.
    fn one(source: &str, dialect: Dialect) -> Usage {
        let mut all = usages(source, dialect);
        assert_eq!(all.len(), 1, "{dialect:?}: {source}\n{all:#?}");
        all.remove(0)
    }

    #[test]
    fn every_listed_pattern_is_recognised() {
        let table: &[(&str, Api)] = &[
            // AWS SDK v3 commands, input inline or in a variable.
            (
                "const r = await client.send(new ConverseCommand({ modelId: 'M', messages }));\n",
                Api::Converse,
            ),
            (
                "const command = new ConverseStreamCommand({ modelId: \"M\", messages });\n",
                Api::ConverseStream,
            ),
            (
                "const input = { modelId: 'M', body: JSON.stringify(payload) };\nawait client.send(new InvokeModelCommand(input));\n",
                Api::InvokeModel,
            ),
            (
                "await client.send(new InvokeModelWithResponseStreamCommand({ modelId: `M`, body }));\n",
                Api::InvokeModelStream,
            ),
            (
                "const c = new sdk.ConverseCommand({ modelId: 'M' });\n",
                Api::Converse,
            ),
            // Aggregated client.
            (
                "await runtime.converse({ modelId: 'M', messages });\n",
                Api::Converse,
            ),
            (
                "await runtime.invokeModel({ modelId: 'M', body });\n",
                Api::InvokeModel,
            ),
            // LangChain JS.
            (
                "const llm = new ChatBedrockConverse({ model: 'M', region: 'us-east-1' });\n",
                Api::LangChainConverse,
            ),
            (
                "const llm = new BedrockChat({ model: 'M', region });\n",
                Api::LangChainInvoke,
            ),
            (
                "const e = new BedrockEmbeddings({ model: 'M' });\n",
                Api::LangChainEmbeddings,
            ),
            // Vercel AI SDK.
            (
                "import { bedrock } from '@ai-sdk/amazon-bedrock';\nconst { text } = await generateText({ model: bedrock('M'), prompt });\n",
                Api::VercelAi,
            ),
            (
                "import { bedrock as aws } from '@ai-sdk/amazon-bedrock';\nconst model = aws('M');\n",
                Api::VercelAi,
            ),
            ("const model = bedrock.languageModel('M');\n", Api::VercelAi),
            (
                "import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';\nconst model = createAmazonBedrock({ region: 'us-east-1' })('M');\n",
                Api::VercelAi,
            ),
            (
                "const provider = createAmazonBedrock({ region });\nconst model = provider('M');\n",
                Api::VercelAi,
            ),
            // One hop: a constant, a shorthand property, a spread object.
            (
                "const MODEL_ID = 'M';\nnew ConverseCommand({ modelId: MODEL_ID, messages });\n",
                Api::Converse,
            ),
            (
                "function ask(messages) {\n  const modelId = 'M';\n  return new ConverseCommand({ modelId, messages });\n}\n",
                Api::Converse,
            ),
            (
                "const base = { modelId: 'M' };\nnew ConverseCommand({ ...base, messages });\n",
                Api::Converse,
            ),
            (
                "const model = process.env.MODEL_ID ?? 'M';\nconst llm = new ChatBedrockConverse({ model });\n",
                Api::LangChainConverse,
            ),
        ];
        for dialect in ALL {
            for (snippet, api) in table {
                let usage = one(snippet, dialect);
                assert_eq!(usage.api, *api, "{dialect:?}: {snippet}");
                assert_eq!(literal(snippet, &usage), "M", "{snippet}");
            }
        }
    }

    /// The client Region of the only usage of `source`, as (Region, how), after checking
    /// that its range is the Region literal's contents.
    fn region(source: &str, dialect: Dialect) -> Option<(String, String)> {
        region_of(source, one(source, dialect))
    }

    #[test]
    fn every_listed_client_region_is_recognised() {
        let table: &[(&str, &str, &str)] = &[
            // SDK v3: the client a command is sent with, inline or through a name.
            (
                "const client = new BedrockRuntimeClient({ region: 'eu-west-1' });\nawait client.send(new ConverseCommand({ modelId: 'M', messages }));\n",
                "eu-west-1",
                "region: 'eu-west-1'",
            ),
            (
                "const REGION = \"eu-central-1\";\nconst client = new BedrockRuntimeClient({ region: REGION, maxAttempts: 3 });\nconst command = new ConverseCommand({ modelId: \"M\" });\nconst r = await client.send(command);\n",
                "eu-central-1",
                "region: REGION with REGION = \"eu-central-1\"",
            ),
            (
                "const region = 'ap-northeast-1';\nconst client = new BedrockRuntimeClient({ region });\nawait client.send(new InvokeModelCommand({ modelId: 'M', body }));\n",
                "ap-northeast-1",
                "region with region = 'ap-northeast-1'",
            ),
            (
                "const client = new BedrockRuntimeClient({\n  region: process.env.AWS_REGION ?? \"us-west-2\",\n});\nawait client.send(new ConverseStreamCommand({ modelId: 'M' }));\n",
                "us-west-2",
                "region: process.env.AWS_REGION ?? \"us-west-2\"",
            ),
            (
                "const client = new BedrockRuntimeClient({ region: process.env.AWS_REGION || 'eu-west-2' });\nawait client.send(new InvokeModelWithResponseStreamCommand({ modelId: 'M', body }));\n",
                "eu-west-2",
                "region: process.env.AWS_REGION || 'eu-west-2'",
            ),
            (
                "const client = new sdk.BedrockRuntimeClient({ region: `us-east-1` });\nawait client.send(new ConverseCommand({ modelId: 'M' }));\n",
                "us-east-1",
                "region: `us-east-1`",
            ),
            (
                "await new BedrockRuntimeClient({ region: 'ca-central-1' }).send(new ConverseCommand({ modelId: 'M' }));\n",
                "ca-central-1",
                "region: 'ca-central-1'",
            ),
            // The aggregated client.
            (
                "const runtime = new BedrockRuntime({ region: 'us-east-1' });\nawait runtime.converse({ modelId: 'M', messages });\n",
                "us-east-1",
                "region: 'us-east-1'",
            ),
            // A client in a class field or set in the constructor.
            (
                "class Bot {\n  client = new BedrockRuntimeClient({ region: 'eu-west-1' });\n  run() { return this.client.send(new ConverseCommand({ modelId: 'M' })); }\n}\n",
                "eu-west-1",
                "region: 'eu-west-1'",
            ),
            (
                "class Bot {\n  constructor() { this.runtime = new BedrockRuntimeClient({ region: 'eu-south-2' }); }\n  run() { return this.runtime.send(new ConverseCommand({ modelId: 'M' })); }\n}\n",
                "eu-south-2",
                "region: 'eu-south-2'",
            ),
            // LangChain JS: `region`, or the `client` it is given.
            (
                "const llm = new ChatBedrockConverse({ model: 'M', region: 'us-east-1' });\n",
                "us-east-1",
                "region: 'us-east-1'",
            ),
            (
                "const llm = new BedrockChat({ model: 'M', region: 'ap-northeast-1' });\n",
                "ap-northeast-1",
                "region: 'ap-northeast-1'",
            ),
            (
                "const REGION = 'eu-west-3';\nconst e = new BedrockEmbeddings({ model: 'M', region: REGION });\n",
                "eu-west-3",
                "region: REGION with REGION = 'eu-west-3'",
            ),
            (
                "const client = new BedrockRuntimeClient({ region: 'eu-west-1' });\nconst llm = new ChatBedrockConverse({ model: 'M', client });\n",
                "eu-west-1",
                "region: 'eu-west-1'",
            ),
            // Vercel AI SDK: `createAmazonBedrock({ region })`.
            (
                "import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';\nconst model = createAmazonBedrock({ region: 'eu-west-1' })('M');\n",
                "eu-west-1",
                "region: 'eu-west-1'",
            ),
            (
                "const provider = createAmazonBedrock({ region: 'eu-central-1' });\nconst model = provider('M');\n",
                "eu-central-1",
                "region: 'eu-central-1'",
            ),
            (
                "const provider = createAmazonBedrock({ region: 'ap-south-1' });\nconst model = provider.languageModel('M');\n",
                "ap-south-1",
                "region: 'ap-south-1'",
            ),
            // The client is a parameter, or the command is never sent in the file: the file's
            // only client Region.
            (
                "const client = new BedrockRuntimeClient({ region: 'eu-west-1' });\nexport function ask(c) {\n  return c.send(new ConverseCommand({ modelId: 'M' }));\n}\n",
                "eu-west-1",
                "region: 'eu-west-1'",
            ),
            (
                "export const client = new BedrockRuntimeClient({ region: 'eu-west-1' });\nexport const command = new ConverseCommand({ modelId: 'M' });\n",
                "eu-west-1",
                "region: 'eu-west-1'",
            ),
        ];
        for dialect in ALL {
            for (snippet, expected_region, expected_how) in table {
                assert_eq!(
                    region(snippet, dialect),
                    Some(((*expected_region).to_owned(), (*expected_how).to_owned())),
                    "{dialect:?}: {snippet}"
                );
            }
        }
    }

    #[test]
    fn the_receiver_chooses_among_several_client_regions() {
        let source = "const us = new BedrockRuntimeClient({ region: 'us-east-1' });\nconst eu = new BedrockRuntimeClient({ region: 'eu-west-1' });\nawait us.send(new ConverseCommand({ modelId: 'a-v1' }));\nconst command = new ConverseCommand({ modelId: 'b-v1' });\nawait eu.send(command);\n";
        for dialect in ALL {
            let all = usages(source, dialect);
            let found = regions(source, &all);
            assert_eq!(
                found,
                [("a-v1", Some("us-east-1")), ("b-v1", Some("eu-west-1"))]
            );
            let start = source.find("eu-west-1").unwrap();
            assert_eq!(all[1].region.as_ref().unwrap().range, start..start + 9);
        }
    }

    #[test]
    fn client_regions_that_are_not_literals_or_are_ambiguous_give_none() {
        for source in [
            // Environment lookups without a default, a parameter, a string that is no Region.
            "const client = new BedrockRuntimeClient({ region: process.env.AWS_REGION });\nawait client.send(new ConverseCommand({ modelId: 'M' }));\n",
            "export function make(region) {\n  const client = new BedrockRuntimeClient({ region });\n  return client.send(new ConverseCommand({ modelId: 'M' }));\n}\n",
            "const client = new BedrockRuntimeClient({ region: 'local' });\nawait client.send(new ConverseCommand({ modelId: 'M' }));\n",
            "const llm = new ChatBedrockConverse({ model: 'M', region: process.env.BEDROCK_AWS_REGION });\n",
            // Two clients with different Regions, the receiver unknown; one command sent by
            // both.
            "const a = new BedrockRuntimeClient({ region: 'us-east-1' });\nconst b = new BedrockRuntimeClient({ region: 'eu-west-1' });\nexport const ask = (c) => c.send(new ConverseCommand({ modelId: 'M' }));\n",
            "const a = new BedrockRuntimeClient({ region: 'us-east-1' });\nconst b = new BedrockRuntimeClient({ region: 'eu-west-1' });\nconst command = new ConverseCommand({ modelId: 'M' });\nawait a.send(command);\nawait b.send(command);\n",
            // The client is in the file without a Region: the default applies.
            "const other = new BedrockRuntimeClient({ region: 'eu-west-1' });\nconst client = new BedrockRuntimeClient({});\nawait client.send(new ConverseCommand({ modelId: 'M' }));\n",
            "const other = new BedrockRuntimeClient({ region: 'eu-west-1' });\nconst llm = new BedrockChat({ model: 'M' });\n",
            "import { bedrock } from '@ai-sdk/amazon-bedrock';\nconst eu = createAmazonBedrock({ region: 'eu-west-1' });\nconst model = bedrock('M');\n",
            // Another service's Region is no evidence.
            "const s3 = new S3Client({ region: 'eu-west-1' });\nexport const ask = (c) => c.send(new ConverseCommand({ modelId: 'M' }));\n",
        ] {
            for dialect in ALL {
                assert_eq!(region(source, dialect), None, "{dialect:?}: {source}");
            }
        }
    }

    #[test]
    fn direct_literal_range_matches_the_extractor() {
        let source = format!(
            "const response = await client.send(\n  new ConverseCommand({{ modelId: \"{SONNET_35}\", messages }}),\n);\n"
        );
        for dialect in ALL {
            let usage = one(&source, dialect);
            let start = source.find(SONNET_35).unwrap();
            assert_eq!(usage.literal, start..start + SONNET_35.len());
            assert!(source[usage.call.clone()].starts_with("new ConverseCommand({"));
            assert!(source[usage.call.clone()].ends_with("})"));
            assert_eq!(usage.via, None);
        }
    }

    #[test]
    fn one_hop_through_a_constant() {
        let source = format!(
            "export const CHAT_MODEL = \"{SONNET_35}\";\n\nexport async function chat(messages) {{\n  return client.send(new ConverseCommand({{ modelId: CHAT_MODEL, messages }}));\n}}\n"
        );
        for dialect in ALL {
            let usage = one(&source, dialect);
            assert_eq!(literal(&source, &usage), SONNET_35);
            assert_eq!(usage.via.as_deref(), Some("CHAT_MODEL"));
        }
    }

    #[test]
    fn typescript_wrappers_and_typed_inputs() {
        let source = "const MODEL = 'a-v1' as const;\nconst input: ConverseCommandInput = { modelId: MODEL, messages } satisfies ConverseCommandInput;\nawait client.send(new ConverseCommand(input!));\nclass Bot {\n  private readonly model = 'b-v1';\n  run() { return new ConverseCommand({ modelId: this.model }); }\n}\n";
        let found: Vec<(&str, Option<String>)> = usages(source, TypeScript)
            .iter()
            .map(|u| (literal(source, u), u.via.clone()))
            .collect();
        assert_eq!(
            found,
            [
                ("a-v1", Some("MODEL".to_owned())),
                ("b-v1", Some("this.model".to_owned()))
            ]
        );
    }

    #[test]
    fn a_literal_used_twice_gives_two_usages() {
        let source = "const M = 'a-v1';\nnew ConverseCommand({ modelId: M });\nnew InvokeModelCommand({ modelId: M, body });\n";
        for dialect in ALL {
            let all = usages(source, dialect);
            assert_eq!(all.len(), 2);
            assert_eq!(all[0].literal, all[1].literal);
            assert_eq!(
                all.iter().map(|u| u.api).collect::<Vec<_>>(),
                [Api::Converse, Api::InvokeModel]
            );
        }
    }

    #[test]
    fn literals_not_at_a_call_give_no_usage() {
        let source = format!(
            "const MODELS = ['{SONNET_35}'];\nconsole.log('{SONNET_35}');\nconst unused = '{SONNET_35}';\nconst config = {{ modelId: '{SONNET_35}' }};\nnew OtherCommand({{ modelId: '{SONNET_35}' }});\nnew ConverseCommand({{ messages: ['{SONNET_35}'] }});\nconst bedrock = makeThing();\nbedrock('{SONNET_35}');\n// new ConverseCommand({{ modelId: '{SONNET_35}' }})\n"
        );
        for dialect in ALL {
            assert_eq!(usages(&source, dialect), [], "{dialect:?}");
        }
    }

    #[test]
    fn template_substitutions_and_ternaries() {
        let source = "const GEO = 'us';\nconst M = prod ? 'a-v1' : 'b-v1';\nnew ConverseCommand({ modelId: `${GEO}.anthropic.x` });\nnew ConverseCommand({ modelId: M });\n";
        for dialect in ALL {
            let found: Vec<&str> = usages(source, dialect)
                .iter()
                .map(|u| literal(source, u))
                .collect();
            assert_eq!(found, ["us", "a-v1", "b-v1", "${GEO}.anthropic.x"]);
        }
    }

    #[test]
    fn converse_inference_config_and_additional_fields() {
        let source = "const inferenceConfig = { temperature: 0.2, topP: 0.9, maxTokens: 512 };\nawait client.send(new ConverseCommand({\n  modelId: 'a-v1',\n  messages,\n  inferenceConfig,\n  additionalModelRequestFields: { top_k: 250 },\n}));\n";
        for dialect in ALL {
            let usage = one(source, dialect);
            assert_eq!(
                params(source, &usage),
                owned(&[
                    ("temperature", "temperature"),
                    ("top_p", "topP"),
                    (
                        "additional_model_request_fields",
                        "additionalModelRequestFields"
                    ),
                    ("top_k", "top_k"),
                ])
            );
            assert_eq!(
                usage.params[0].range.start,
                source.find("temperature").unwrap()
            );
        }
        let source = "new ConverseStreamCommand({ modelId: 'a-v1', inferenceConfig: { 'temperature': 1, \"topP\": 1 } });\n";
        let usage = one(source, JavaScript);
        assert_eq!(
            params(source, &usage),
            owned(&[("temperature", "temperature"), ("top_p", "topP")])
        );
    }

    #[test]
    fn invoke_model_body_keys() {
        let source = "const body = JSON.stringify({\n  inputText: prompt,\n  textGenerationConfig: { temperature: 0.2, topP: 0.9, maxTokenCount: 512 },\n});\nconst res = await client.send(new InvokeModelCommand({ modelId: 'amazon.titan-text-express-v1', contentType: 'application/json', body }));\n";
        for dialect in ALL {
            let usage = one(source, dialect);
            assert_eq!(usage.api, Api::InvokeModel);
            assert_eq!(
                params(source, &usage),
                owned(&[("temperature", "temperature"), ("top_p", "topP")])
            );
        }
        let source = "const payload = { anthropic_version: 'bedrock-2023-05-31', temperature: 1, top_k: 5, messages };\nnew InvokeModelWithResponseStreamCommand({ modelId: 'a-v1', body: new TextEncoder().encode(JSON.stringify(payload)) });\n";
        let usage = one(source, TypeScript);
        assert_eq!(
            params(source, &usage),
            owned(&[("temperature", "temperature"), ("top_k", "top_k")])
        );
    }

    #[test]
    fn langchain_and_vercel_parameters() {
        let source = "const llm = new BedrockChat({ model: 'anthropic.claude-v2', temperature: 0, modelKwargs: { top_p: 0.9 } });\n";
        assert_eq!(
            params(source, &one(source, JavaScript)),
            owned(&[("temperature", "temperature"), ("top_p", "top_p")])
        );
        let source = "const llm = new ChatBedrockConverse({ model: 'a-v1', temperature: 0.1, topP: 0.5 });\n";
        assert_eq!(
            params(source, &one(source, TypeScript)),
            owned(&[("temperature", "temperature"), ("top_p", "topP")])
        );
        let source = "import { bedrock } from '@ai-sdk/amazon-bedrock';\nconst model = bedrock('a-v1');\nawait generateText({\n  model,\n  temperature: 0.3,\n  topP: 0.9,\n  providerOptions: { bedrock: { additionalModelRequestFields: { top_k: 9 } } },\n  prompt,\n});\n";
        for dialect in ALL {
            assert_eq!(
                params(source, &one(source, dialect)),
                owned(&[
                    ("temperature", "temperature"),
                    ("top_p", "topP"),
                    (
                        "additional_model_request_fields",
                        "additionalModelRequestFields"
                    ),
                    ("top_k", "top_k"),
                ])
            );
        }
    }

    #[test]
    fn bad_input_never_panics() {
        for source in [
            "",
            "new ConverseCommand({ modelId: ",
            "new ConverseCommand({ modelId: 'a-v1'",
            "const = ;; {{{ bedrock(",
            "`${`${`",
        ] {
            for dialect in ALL {
                let _ = analyze(source, dialect);
            }
        }
        let deep = format!(
            "const M = {}'a-v1'{};\nnew ConverseCommand({{ modelId: M }});\n",
            "(".repeat(3000),
            ")".repeat(3000)
        );
        let _ = analyze(&deep, TypeScript);
        let chain = format!(
            "const M = 'a-v1'{};\nnew ConverseCommand({{ modelId: M }});\n",
            " ?? 'b'".repeat(3000)
        );
        let _ = analyze(&chain, JavaScript);
        // Constructors nested in constructors: bounded too.
        let clients = format!(
            "const llm = new ChatBedrockConverse({{ model: 'a-v1', client: {}{{}}{} }});\n",
            "new ChatBedrockConverse({ client: ".repeat(3000),
            " })".repeat(3000)
        );
        let _ = analyze(&clients, TypeScript);
    }
}
