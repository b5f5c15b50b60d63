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
//! # Limits
//!
//! Same file only: imports are not followed and nothing is typed. Plain reassignments
//! (`model = "…"` without a declaration, except `this.NAME`), destructuring, computed keys,
//! function return values and arguments passed into a function are not followed; a name bound
//! several times in one scope yields every value.

use std::collections::HashSet;
use std::ops::Range;

use tree_sitter::Node;

use super::common::{
    self, BODY_DEPTH, Bindings, HOPS, MAX_DEPTH, Origin, Scope, additional_fields, sampling,
};
use super::{Api, Param, Usage};
use crate::extract::treesitter::{Step, for_each_node, node_text, walk};
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
    if !CALLEES.occur_in(source) {
        return Vec::new();
    }
    let Ok(tree) = parse_tree(source, dialect) else {
        return Vec::new();
    };
    let root = tree.root_node();
    let (file, nodes) = File::collect(root, source);
    let mut usages = Vec::new();
    for call in nodes.calls {
        match call {
            Call::New(node) => file.construction(node, &mut usages),
            Call::Call(node) => file.call(node, &mut usages),
        }
    }
    if usages.iter().any(|usage| usage.api == Api::VercelAi) {
        for object in nodes.objects {
            file.vercel_options(object, &mut usages);
        }
    }
    common::finish(usages)
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

/// A property of an object literal (`key: value`, or shorthand `key`).
#[derive(Debug, Clone)]
struct Entry<'t, 's> {
    name: &'s str,
    /// Byte range of the key as written (the contents of a quoted key).
    name_range: Range<usize>,
    value: Node<'t>,
    /// The name of the object the entry came from, when it came through one.
    via: Option<&'s str>,
}

/// The package of the Vercel AI SDK's Bedrock provider.
const VERCEL_PACKAGE: &str = "@ai-sdk/amazon-bedrock";

/// What the first pass learnt about a file.
struct File<'t, 's> {
    source: &'s str,
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
            bindings: Bindings::default(),
            vercel_providers: HashSet::new(),
            vercel_factories: HashSet::new(),
        };
        let mut scopes = vec![Scope {
            id: root.id(),
            range: root.byte_range(),
            class: false,
        }];
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
                    scopes.push(Scope {
                        id: node.id(),
                        range: node.byte_range(),
                        class: is_class(kind),
                    });
                }
                match kind {
                    "formal_parameters" => file.parameter_defaults(node, &scopes),
                    "variable_declarator" => {
                        if let (Some(name), Some(value)) = (
                            node.child_by_field_name("name"),
                            node.child_by_field_name("value"),
                        ) && name.kind() == "identifier"
                            && let Some(scope) = scopes.last()
                        {
                            let name = file.text(name);
                            file.bindings.add(name, scope.range.clone(), value);
                        }
                    }
                    "public_field_definition" | "field_definition" => {
                        let name = node
                            .child_by_field_name("name")
                            .or_else(|| node.child_by_field_name("property"));
                        if let (Some(name), Some(value)) = (name, node.child_by_field_name("value"))
                            && let Some(class) = scopes.iter().rev().find(|s| s.class)
                        {
                            let key = format!("this.{}", file.text(name));
                            file.bindings.add(&key, class.range.clone(), value);
                        }
                    }
                    "assignment_expression" => {
                        if let (Some(left), Some(value)) = (
                            node.child_by_field_name("left"),
                            node.child_by_field_name("right"),
                        ) && let Some(key) = file.this_member(left)
                            && let Some(class) = scopes.iter().rev().find(|s| s.class)
                        {
                            file.bindings.add(&key, class.range.clone(), value);
                        }
                    }
                    "import_statement" => file.import(node),
                    _ => {}
                }
            }
            Step::Leave(node) => {
                if scopes.len() > 1 && scopes.last().is_some_and(|scope| scope.id == node.id()) {
                    scopes.pop();
                }
            }
        });
        (file, gathered)
    }

    fn text(&self, node: Node) -> &'s str {
        node_text(node, self.source)
    }

    /// `(model = "…") => …`: a parameter bound to its default inside the function (the
    /// scope on top of the stack, pushed when the function was entered).
    fn parameter_defaults(&mut self, parameters: Node<'t>, scopes: &[Scope]) {
        let Some(scope) = scopes.last() else {
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
                self.bindings.add(name, scope.range.clone(), value);
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

    /// The values bound to the name `node` (an identifier, a shorthand property or
    /// `this.NAME`) where it is used.
    fn resolve(&self, node: Node<'t>) -> Option<(String, Vec<Node<'t>>)> {
        let key = match node.kind() {
            "identifier" | "shorthand_property_identifier" => self.text(node).to_owned(),
            "member_expression" => self.this_member(node)?,
            _ => return None,
        };
        let values = self.bindings.lookup(&key, node.start_byte());
        Some((key, values))
    }

    /// `new XCommand(input)` and the LangChain constructors.
    fn construction(&self, node: Node<'t>, usages: &mut Vec<Usage>) {
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
        self.input_object(node, api, style, model_keys, usages);
    }

    /// The model and parameters in the first argument of `call` (an input object).
    fn input_object(
        &self,
        call: Node<'t>,
        api: Api,
        style: Style,
        model_keys: &[&str],
        usages: &mut Vec<Usage>,
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
        common::push_usages(usages, origins, api, &call.byte_range(), &params);
    }

    /// The aggregated client's methods and the Vercel provider.
    fn call(&self, call: Node<'t>, usages: &mut Vec<Usage>) {
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
                self.input_object(call, api, style, &["modelId"], usages);
                return;
            }
        }
        if self.is_vercel_model_factory(function, MAX_DEPTH)
            && let Some(first) = self.arguments(call).into_iter().next()
        {
            let origins = self.origins(first, HOPS, MAX_DEPTH);
            common::push_usages(usages, origins, Api::VercelAi, &call.byte_range(), &[]);
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
                let Some(hops) = hops.checked_sub(1) else {
                    return Vec::new();
                };
                let Some((_, values)) = self.resolve(node) else {
                    return Vec::new();
                };
                let name = self.text(node);
                values
                    .into_iter()
                    .filter(|value| !contains(*value, node))
                    .flat_map(|value| self.entries(value, hops, depth))
                    .map(|mut entry| {
                        entry.via.get_or_insert(name);
                        entry
                    })
                    .collect()
            }
        }
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
                let Some(hops) = hops.checked_sub(1) else {
                    return Vec::new();
                };
                let Some((key, values)) = self.resolve(node) else {
                    return Vec::new();
                };
                values
                    .into_iter()
                    .filter(|value| !contains(*value, node))
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

    /// The sampling keys of an object expression.
    fn sampling_keys(&self, node: Node<'t>) -> Vec<Param> {
        self.entries(node, HOPS, MAX_DEPTH)
            .into_iter()
            .filter_map(|entry| sampling(entry.name, entry.name_range))
            .collect()
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
                let Some(hops) = hops.checked_sub(1) else {
                    return Vec::new();
                };
                let Some((_, values)) = self.resolve(node) else {
                    return Vec::new();
                };
                values
                    .into_iter()
                    .filter(|value| !contains(*value, node))
                    .flat_map(|value| self.bodies(value, hops, depth))
                    .collect()
            }
        }
    }

    /// The sampling keys of a body object, also in nested objects (Titan
    /// `textGenerationConfig`), `depth` levels down.
    fn body_params(&self, object: Node<'t>, depth: usize, params: &mut Vec<Param>) {
        for entry in self.entries(object, HOPS, MAX_DEPTH) {
            params.extend(sampling(entry.name, entry.name_range));
            if let Some(depth) = depth.checked_sub(1) {
                self.body_params(entry.value, depth, params);
            }
        }
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

/// Whether `outer` contains `inner` (a binding used in its own value).
fn contains(outer: Node, inner: Node) -> bool {
    outer.start_byte() <= inner.start_byte() && inner.end_byte() <= outer.end_byte()
}

/// The named children of `node`, without comments.
fn named_children(node: Node) -> Vec<Node> {
    node.named_children(&mut node.walk())
        .filter(|child| !child.is_extra())
        .collect()
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
    use super::*;
    use crate::extract::{Language, SpanContext, extract};
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
        let usages = analyze(source, dialect);
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

    /// The only usage of `source`.
    fn one(source: &str, dialect: Dialect) -> Usage {
        let mut all = usages(source, dialect);
        assert_eq!(all.len(), 1, "{dialect:?}: {source}\n{all:#?}");
        all.remove(0)
    }

    fn literal<'s>(source: &'s str, usage: &Usage) -> &'s str {
        &source[usage.literal.clone()]
    }

    /// Each parameter as (normalised name, text at its range).
    fn params(source: &str, usage: &Usage) -> Vec<(String, String)> {
        usage
            .params
            .iter()
            .map(|p| (p.name.clone(), source[p.range.clone()].to_owned()))
            .collect()
    }

    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
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
    }
}
