//! Python call sites, on the tree-sitter-python tree the extractor also reads.
//!
//! # Approach
//!
//! Two passes over the file. The first records *bindings*: every simple assignment
//! `NAME = value` (also `NAME: str = value`, `a = b = value`, `(NAME := value)`), every
//! parameter default `def f(model_id="…")`, and `self.NAME = value` inside a class, each with
//! the scope it is visible in (the module, a function or lambda, a class body); it also notes
//! the names imported from `litellm`. The second visits every call and decides from the
//! callee's name which API it is (see the table below); the value of the model argument is
//! then followed back to string literals:
//!
//! - a literal (`modelId="…"`, an f-string — whose `{NAME}` holes are followed too);
//! - a name bound as above, looked up in the innermost scope that binds it (at most two
//!   names in a row, so `MODEL = "…"; params = {"modelId": MODEL}` works);
//! - both branches of `a if c else b` and `a or b`; the default of `os.environ.get(K, "…")`
//!   and `os.getenv(K, "…")`;
//! - a `**params` argument whose value is a dict literal or `dict(…)` (directly or through a
//!   name): its keys count as keyword arguments.
//!
//! | call | API | model argument |
//! | --- | --- | --- |
//! | `X.converse`, `X.converse_stream`, `X.invoke_model`, `X.invoke_model_with_response_stream` | Converse, ConverseStream, InvokeModel, InvokeModelStream | `modelId=` |
//! | `X.create_agent`, `X.update_agent` | Agent | `foundationModel=` |
//! | `ChatBedrock`, `BedrockChat`, `BedrockLLM`, `Bedrock` | LangChainInvoke | `model_id=`, `model=` |
//! | `ChatBedrockConverse` | LangChainConverse | `model=`, `model_id=` |
//! | `BedrockEmbeddings` | LangChainEmbeddings | `model_id=`, `model=` |
//! | `BedrockModel` (Strands) | Converse | `model_id=` |
//! | `completion`, `acompletion`, `embedding`, `aembedding`, `text_completion`, `atext_completion` (LiteLLM) | LiteLlm | `model=` or the first positional argument |
//! | `X.messages.create`, `X.messages.stream`, `X.beta.messages.…` (AnthropicBedrock) | AnthropicMessages | `model=` |
//!
//! Receivers are not typed: any `X` is accepted, except that when `X` is visibly a client of
//! another service (`X = boto3.client("s3")`, also `session.client(service_name=…)`) the call
//! is not a Bedrock call, and `X.messages.create` is rejected when `X` is visibly made by a
//! constructor other than `AnthropicBedrock`/`AsyncAnthropicBedrock`. A bare `completion(…)`
//! counts as LiteLLM when it was imported from `litellm` (`litellm.completion` always does),
//! or else when the model string starts with `bedrock/`.
//!
//! Parameters (normalised as in [`Param`]): Converse `inferenceConfig=` keys and
//! `additionalModelRequestFields=` (the keyword, and sampling keys inside it); InvokeModel
//! `body=json.dumps({…})` keys at any depth up to four levels of nesting
//! (Titan `textGenerationConfig`, Nova `inferenceConfig`), also when the body, the dict or
//! `.encode()` around it goes through a name; the sampling keywords of LangChain, Strands,
//! LiteLLM and Anthropic calls, LangChain `model_kwargs={…}` keys, and
//! `additional_model_request_fields=` / Strands `additional_request_fields=`.
//!
//! # Client Region
//!
//! [`Usage::region`] comes from the client that makes the call: for a method call, the
//! receiver followed through names (at most three names, `self.NAME` included) to
//! its constructor; LangChain, Strands and LiteLLM calls are their own constructor.
//!
//! | constructor | Region from (first that is present) | `how` |
//! | --- | --- | --- |
//! | `boto3.client(…)`, `X.client(…)` | `region_name=`, the second positional argument, `config=Config(region_name=…)`, else the session `X` (`boto3.Session(region_name=…)`, also through a name) | `region_name='…'`, `'…'` |
//! | `boto3.Session(…)`, `boto3.session.Session(…)` | `region_name=` | `region_name='…'` |
//! | `ChatBedrock`, `ChatBedrockConverse`, `BedrockLLM`, `BedrockEmbeddings`, `BedrockChat`, `Bedrock` | `client=` (followed), else `region_name=` / `region=`, else `config=Config(region_name=…)` | `region_name='…'` |
//! | `BedrockModel` (Strands) | `region_name=`, else `boto_session=` (followed) | `region_name='…'` |
//! | `AnthropicBedrock`, `AsyncAnthropicBedrock` | `aws_region=` | `aws_region='…'` |
//! | LiteLLM `completion` … | `aws_region_name=` | `aws_region_name='…'` |
//!
//! The Region value is followed as a model value is (names, `os.environ.get(K, "…")`, `a or
//! b`, conditionals); only Region-shaped literals count and they must all name one Region.
//! Through a name, `how` adds the binding: `region_name=REGION with REGION = 'eu-west-1'`.
//! The fallback for an untraced receiver counts the constructors above by their own
//! arguments, except clients of another service (`boto3.client("s3", region_name=…)`).
//!
//! # Limits
//!
//! Same file only; no imports are followed and nothing is typed. Attributes other than
//! `self.NAME` inside one class, subscripts (`CONFIG["model"]`), loop variables, tuple
//! unpacking, function return values and arguments passed to a function are not followed. A
//! name that is rebound anywhere in its scope yields every value it is bound to.

use std::collections::HashSet;

use tree_sitter::Node;

use super::common::{
    self, BODY_DEPTH, Bindings, CLIENT_HOPS, Client, Entry, Found, HOPS, MAX_DEPTH, Mappings,
    Names, Origin, Scopes, additional_fields, sampling,
};
use super::{Api, ClientRegion, Param, Usage};
use crate::extract::python::{parse_tree, string_range};
use crate::extract::treesitter::{Step, named_children, node_text, walk};

/// Every recognised callee holds one of these (see [`common::CalleeWords`]): the boto3
/// methods, LangChain's and Strands' `…Bedrock…` classes, Anthropic's `messages`, and LiteLLM's
/// `completion`/`embedding` functions (`acompletion`, `text_completion` … included).
static CALLEES: common::CalleeWords = common::CalleeWords::new(|| {
    common::words(&[
        "converse",
        "invoke_model",
        "create_agent",
        "update_agent",
        "Bedrock",
        "messages",
        "completion",
        "embedding",
    ])
});

/// Every string literal in the Python `source` that reaches a known Bedrock API call, with
/// the API and the request parameters visible at the call.
///
/// Sorted by literal, then call. Never panics: a file tree-sitter cannot parse at all gives
/// no usages; a file with syntax errors is analysed as far as tree-sitter recovered it.
pub fn analyze(source: &str) -> Vec<Usage> {
    analyze_in(source, None)
}

/// [`analyze`] on `tree`, the tree parsed from `source`, when the caller has it.
pub fn analyze_in(source: &str, tree: Option<&tree_sitter::Tree>) -> Vec<Usage> {
    if !CALLEES.occur_in(source) {
        return Vec::new();
    }
    let Some(tree) = common::tree_or_parse(tree, || parse_tree(source)) else {
        return Vec::new();
    };
    let root = tree.root_node();
    let (file, calls) = File::collect(root, source);
    let mut found = Found::default();
    for &call in &calls {
        file.call(call, &mut found);
    }
    found.finish(|| file.constructor_regions(&calls))
}

/// How the parameters of a call are found.
#[derive(Debug, Clone, Copy)]
enum Style {
    /// boto3 `converse`: `inferenceConfig=`, `additionalModelRequestFields=`.
    Converse,
    /// boto3 `invoke_model`: the keys of `body=json.dumps({…})`.
    Invoke,
    /// Sampling keywords, the keys of the dicts passed as `dicts`, and the
    /// additional-fields keywords `additional`.
    Keywords {
        dicts: &'static [&'static str],
        additional: &'static [&'static str],
    },
    /// No parameters.
    Nothing,
}

/// Where the client that makes a recognised call is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClientAt {
    /// The receiver: `X` of `X.converse(…)`.
    Receiver,
    /// The `X` of `X.messages.create(…)` (`X.beta.messages…`).
    AnthropicReceiver,
    /// The call itself constructs it (LangChain, Strands) or takes its settings (LiteLLM).
    Call,
}

/// What a recognised call is.
#[derive(Debug, Clone, Copy)]
struct Target {
    api: Api,
    /// Where its client is.
    client: ClientAt,
    /// Keyword arguments that carry the model.
    model_keys: &'static [&'static str],
    /// The first positional argument carries the model too (LiteLLM).
    positional_model: bool,
    /// Only a value one of whose literals starts with `bedrock/` counts (a bare
    /// `completion` not imported from `litellm`).
    needs_bedrock_prefix: bool,
    style: Style,
}

impl Target {
    const fn new(api: Api, model_keys: &'static [&'static str], style: Style) -> Target {
        Target {
            api,
            client: ClientAt::Receiver,
            model_keys,
            positional_model: false,
            needs_bedrock_prefix: false,
            style,
        }
    }

    /// This target, with its client at `client`.
    const fn at(self, client: ClientAt) -> Target {
        Target { client, ..self }
    }
}

/// The LiteLLM functions that take a model.
const LITELLM_FUNCTIONS: &[&str] = &[
    "completion",
    "acompletion",
    "embedding",
    "aembedding",
    "text_completion",
    "atext_completion",
];

/// What the first pass learnt about a file.
struct File<'t, 's> {
    source: &'s str,
    /// The module, to find the node of a literal from its range.
    root: Node<'t>,
    /// `NAME` and `self.NAME` bindings.
    bindings: Bindings<Node<'t>>,
    /// Local names of functions imported from `litellm`.
    litellm_functions: HashSet<&'s str>,
    /// Local names of the `litellm` module.
    litellm_modules: HashSet<&'s str>,
}

impl<'t, 's> File<'t, 's> {
    /// The first pass: bindings and imports, and every `call` node in document order.
    ///
    /// The calls are gathered here rather than by a second walk over the tree: walking is
    /// a large part of the cost of a candidate file, and the second pass only needs the
    /// bindings to be complete before it looks at a call, not a walk of its own.
    fn collect(root: Node<'t>, source: &'s str) -> (File<'t, 's>, Vec<Node<'t>>) {
        let mut file = File {
            source,
            root,
            bindings: Bindings::default(),
            litellm_functions: HashSet::new(),
            litellm_modules: HashSet::from(["litellm"]),
        };
        let mut scopes = Scopes::new(root);
        let mut calls = Vec::new();
        // Looked up once: comparing the numeric kind is far cheaper than `Node::kind`,
        // which measures and checks the kind's name on every call.
        let call_kind = root.language().id_for_node_kind("call", true);
        walk(root, |step| match step {
            Step::Enter { node, .. } if node.kind_id() == call_kind => calls.push(node),
            Step::Enter { node, .. } => match node.kind() {
                "function_definition" | "lambda" => {
                    scopes.enter(node, false);
                    file.parameter_defaults(node);
                }
                "class_definition" => scopes.enter(node, true),
                "assignment" => file.assignment(node, &scopes),
                "named_expression" => {
                    if let (Some(name), Some(value)) = (
                        node.child_by_field_name("name"),
                        node.child_by_field_name("value"),
                    ) && let Some(scope) = scopes.innermost()
                    {
                        let name = file.text(name);
                        file.bindings.add(name, scope, value);
                    }
                }
                "import_from_statement" => file.import_from(node),
                "import_statement" => file.import(node),
                _ => {}
            },
            Step::Leave(node) => scopes.leave(node),
        });
        (file, calls)
    }

    fn text(&self, node: Node) -> &'s str {
        node_text(node, self.source)
    }

    /// `def f(model_id="…")`: the parameter is bound to its default inside the function.
    fn parameter_defaults(&mut self, function: Node<'t>) {
        let Some(parameters) = function.child_by_field_name("parameters") else {
            return;
        };
        for parameter in named_children(parameters) {
            if !matches!(
                parameter.kind(),
                "default_parameter" | "typed_default_parameter"
            ) {
                continue;
            }
            if let (Some(name), Some(value)) = (
                parameter.child_by_field_name("name"),
                parameter.child_by_field_name("value"),
            ) && name.kind() == "identifier"
            {
                let name = self.text(name);
                self.bindings.add(name, function.byte_range(), value);
            }
        }
    }

    /// `NAME = value` (also chained and annotated) and `self.NAME = value`.
    fn assignment(&mut self, assignment: Node<'t>, scopes: &Scopes) {
        let Some(left) = assignment.child_by_field_name("left") else {
            return;
        };
        // `a = b = value`: the right side of `a` is the assignment `b = value`, which is
        // visited on its own; `a` gets the innermost value.
        let mut right = assignment.child_by_field_name("right");
        let mut depth = 0;
        while let Some(node) = right.filter(|r| r.kind() == "assignment") {
            right = node.child_by_field_name("right");
            depth += 1;
            if depth > MAX_DEPTH {
                return;
            }
        }
        let Some(value) = right else {
            return;
        };
        let Some(scope) = scopes.innermost() else {
            return;
        };
        match left.kind() {
            "identifier" => {
                let name = self.text(left);
                self.bindings.add(name, scope.clone(), value);
                if scopes.in_class_body() {
                    let key = format!("self.{name}");
                    self.bindings.add(&key, scope, value);
                }
            }
            "attribute" => {
                if let Some(key) = self.self_attribute(left)
                    && let Some(class) = scopes.class()
                {
                    self.bindings.add(&key, class, value);
                }
            }
            _ => {}
        }
    }

    /// `self.NAME` or `cls.NAME` as the binding key `self.NAME`.
    fn self_attribute(&self, attribute: Node) -> Option<String> {
        let object = attribute.child_by_field_name("object")?;
        let name = attribute.child_by_field_name("attribute")?;
        matches!(self.text(object), "self" | "cls").then(|| format!("self.{}", self.text(name)))
    }

    /// `from litellm import completion, acompletion as ac`.
    fn import_from(&mut self, statement: Node<'t>) {
        let from_litellm = statement
            .child_by_field_name("module_name")
            .is_some_and(|module| self.text(module) == "litellm");
        if !from_litellm {
            return;
        }
        let mut cursor = statement.walk();
        for name in statement.children_by_field_name("name", &mut cursor) {
            let local = match name.kind() {
                "aliased_import" => name.child_by_field_name("alias"),
                _ => Some(name),
            };
            if let Some(local) = local {
                self.litellm_functions.insert(self.text(local));
            }
        }
    }

    /// `import litellm as llm`.
    fn import(&mut self, statement: Node<'t>) {
        let mut cursor = statement.walk();
        for name in statement.children_by_field_name("name", &mut cursor) {
            if name.kind() == "aliased_import"
                && let (Some(module), Some(alias)) = (
                    name.child_by_field_name("name"),
                    name.child_by_field_name("alias"),
                )
                && self.text(module) == "litellm"
            {
                self.litellm_modules.insert(self.text(alias));
            }
        }
    }

    /// The second pass, for one call.
    fn call(&self, call: Node<'t>, found: &mut Found) {
        let (Some(function), Some(arguments)) = (
            call.child_by_field_name("function"),
            call.child_by_field_name("arguments"),
        ) else {
            return;
        };
        if arguments.kind() != "argument_list" {
            return;
        }
        let Some(target) = self.classify(function) else {
            return;
        };
        let (positional, keywords) = self.arguments(arguments);

        let mut origins = Vec::new();
        for entry in keywords
            .iter()
            .filter(|entry| target.model_keys.contains(&entry.name))
        {
            for origin in self.origins(entry.value, HOPS, MAX_DEPTH) {
                origins.push(match entry.via {
                    Some(dict) => origin.through(dict),
                    None => origin,
                });
            }
        }
        if target.positional_model
            && let Some(first) = positional.first()
        {
            origins.extend(self.origins(*first, HOPS, MAX_DEPTH));
        }
        if target.needs_bedrock_prefix
            && !origins.iter().any(|origin| {
                self.source
                    .get(origin.literal.clone())
                    .is_some_and(|text| text.starts_with("bedrock/"))
            })
        {
            return;
        }
        if origins.is_empty() {
            return;
        }
        let params = self.params(target.style, &keywords);
        let client = match target.client {
            ClientAt::Call => self.constructed(call, CLIENT_HOPS, MAX_DEPTH),
            ClientAt::Receiver => function
                .child_by_field_name("object")
                .map_or(Client::Unknown, |receiver| {
                    self.client_of(receiver, CLIENT_HOPS, MAX_DEPTH)
                }),
            ClientAt::AnthropicReceiver => function
                .child_by_field_name("object")
                .and_then(|receiver| self.anthropic_client(receiver))
                .map_or(Client::Unknown, |client| {
                    self.client_of(client, CLIENT_HOPS, MAX_DEPTH)
                }),
        };
        found.push(origins, target.api, &call.byte_range(), &params, &client);
    }

    /// Which API a call with callee `function` reaches, if any.
    fn classify(&self, function: Node<'t>) -> Option<Target> {
        let (name, receiver) = match function.kind() {
            "identifier" => (self.text(function), None),
            "attribute" => (
                self.text(function.child_by_field_name("attribute")?),
                Some(function.child_by_field_name("object")?),
            ),
            _ => return None,
        };
        let runtime = |api| Target::new(api, &["modelId"], Style::Converse);
        let invoke = |api| Target::new(api, &["modelId"], Style::Invoke);
        let langchain = |api| {
            Target::new(
                api,
                &["model_id", "model"],
                Style::Keywords {
                    dicts: &["model_kwargs"],
                    additional: &["additional_model_request_fields"],
                },
            )
            .at(ClientAt::Call)
        };
        let sampling_only = Style::Keywords {
            dicts: &[],
            additional: &[],
        };
        let target = match name {
            "converse" => runtime(Api::Converse),
            "converse_stream" => runtime(Api::ConverseStream),
            "invoke_model" => invoke(Api::InvokeModel),
            "invoke_model_with_response_stream" => invoke(Api::InvokeModelStream),
            "create_agent" | "update_agent" => {
                Target::new(Api::Agent, &["foundationModel"], Style::Nothing)
            }
            "ChatBedrock" | "BedrockChat" | "BedrockLLM" | "Bedrock" => {
                langchain(Api::LangChainInvoke)
            }
            "ChatBedrockConverse" => langchain(Api::LangChainConverse),
            "BedrockEmbeddings" => langchain(Api::LangChainEmbeddings),
            "BedrockModel" => Target::new(
                Api::Converse,
                &["model_id"],
                Style::Keywords {
                    dicts: &[],
                    additional: &["additional_request_fields"],
                },
            )
            .at(ClientAt::Call),
            "create" | "stream" => {
                let client = self.anthropic_client(receiver?)?;
                if !self.anthropic_client_ok(client) {
                    return None;
                }
                Target::new(Api::AnthropicMessages, &["model"], sampling_only)
                    .at(ClientAt::AnthropicReceiver)
            }
            _ if LITELLM_FUNCTIONS.contains(&name) => {
                let explicit = match receiver {
                    None => self.litellm_functions.contains(name),
                    Some(module) => {
                        module.kind() == "identifier"
                            && self.litellm_modules.contains(self.text(module))
                    }
                };
                if receiver.is_some() && !explicit {
                    return None;
                }
                Target {
                    positional_model: true,
                    needs_bedrock_prefix: !explicit,
                    ..Target::new(Api::LiteLlm, &["model"], sampling_only).at(ClientAt::Call)
                }
            }
            _ => return None,
        };
        // A method of a boto3 client must not be visibly a client of another service.
        let service = match target.api {
            Api::Agent => Some("bedrock-agent"),
            Api::Converse if name != "BedrockModel" => Some("bedrock-runtime"),
            Api::ConverseStream | Api::InvokeModel | Api::InvokeModelStream => {
                Some("bedrock-runtime")
            }
            _ => None,
        };
        if let Some(expected) = service {
            let receiver = receiver?;
            if self
                .client_service(receiver)
                .is_some_and(|service| service != expected)
            {
                return None;
            }
        }
        Some(target)
    }

    /// The service name of a boto3 client: `boto3.client("bedrock-runtime")`,
    /// `session.client(service_name="…")`, directly or through a name.
    fn client_service(&self, receiver: Node<'t>) -> Option<&'s str> {
        let values = match receiver.kind() {
            "call" => vec![receiver],
            _ => self.resolve(receiver)?.1,
        };
        values.into_iter().find_map(|value| {
            let function = value
                .child_by_field_name("function")
                .filter(|_| value.kind() == "call")?;
            if self.last_segment(function) != Some("client") {
                return None;
            }
            let (positional, keywords) = self.arguments(value.child_by_field_name("arguments")?);
            let service = keywords
                .iter()
                .find(|entry| entry.name == "service_name")
                .map(|entry| entry.value)
                .or_else(|| positional.first().copied())?;
            self.plain_string(service)
        })
    }

    /// For `X.messages.create` or `X.beta.messages.create` (`receiver` is `X.messages`…),
    /// the client `X`.
    fn anthropic_client(&self, receiver: Node<'t>) -> Option<Node<'t>> {
        if receiver.kind() != "attribute"
            || self.text(receiver.child_by_field_name("attribute")?) != "messages"
        {
            return None;
        }
        let client = receiver.child_by_field_name("object")?;
        if client.kind() == "attribute"
            && self.text(client.child_by_field_name("attribute")?) == "beta"
        {
            return client.child_by_field_name("object");
        }
        Some(client)
    }

    /// False when the client is visibly made by a constructor other than
    /// `AnthropicBedrock`/`AsyncAnthropicBedrock`.
    fn anthropic_client_ok(&self, client: Node<'t>) -> bool {
        let values = match client.kind() {
            "call" => vec![client],
            _ => match self.resolve(client) {
                Some((_, values)) => values,
                None => return true,
            },
        };
        let constructors: Vec<&str> = values
            .iter()
            .filter(|value| value.kind() == "call")
            .filter_map(|value| self.last_segment(value.child_by_field_name("function")?))
            .collect();
        constructors.is_empty()
            || constructors
                .iter()
                .any(|name| matches!(*name, "AnthropicBedrock" | "AsyncAnthropicBedrock"))
    }

    /// The last name of a dotted callee (`boto3.client` → `client`).
    fn last_segment(&self, function: Node) -> Option<&'s str> {
        match function.kind() {
            "identifier" => Some(self.text(function)),
            "attribute" => Some(self.text(function.child_by_field_name("attribute")?)),
            _ => None,
        }
    }

    /// The contents of a string literal without interpolations.
    fn plain_string(&self, node: Node) -> Option<&'s str> {
        if node.kind() != "string" || has_child(node, "interpolation") {
            return None;
        }
        self.source.get(string_range(node))
    }

    /// Positional arguments, and keyword arguments with the entries of `**dict` splats.
    fn arguments(&self, arguments: Node<'t>) -> (Vec<Node<'t>>, Vec<Entry<'t, 's>>) {
        let mut positional = Vec::new();
        let mut keywords = Vec::new();
        for argument in named_children(arguments) {
            match argument.kind() {
                "keyword_argument" => {
                    if let (Some(name), Some(value)) = (
                        argument.child_by_field_name("name"),
                        argument.child_by_field_name("value"),
                    ) {
                        keywords.push(Entry {
                            name: self.text(name),
                            name_range: name.byte_range(),
                            value,
                            via: None,
                        });
                    }
                }
                "dictionary_splat" => {
                    if let Some(dict) = first_named(argument) {
                        keywords.extend(self.entries(dict, HOPS, MAX_DEPTH));
                    }
                }
                "list_splat" => {}
                _ => positional.push(argument),
            }
        }
        (positional, keywords)
    }

    /// If `node` is a name, apply `follow` to each value it is bound to (with one hop
    /// fewer) and tag each result with the name (as `&'s str`, the text of the use).
    fn through_names<T>(
        &self,
        node: Node<'t>,
        hops: usize,
        follow: impl Fn(Node<'t>, usize) -> Vec<(T, Option<&'s str>)>,
    ) -> Vec<(T, Option<&'s str>)> {
        let Some((_, values, hops)) = self.follow(node, hops) else {
            return Vec::new();
        };
        let name = self.text(node);
        values
            .into_iter()
            .flat_map(|value| follow(value, hops))
            .map(|(item, _)| (item, Some(name)))
            .collect()
    }

    /// The string literals whose value `node` may have.
    fn origins(&self, node: Node<'t>, hops: usize, depth: usize) -> Vec<Origin> {
        let Some(depth) = depth.checked_sub(1) else {
            return Vec::new();
        };
        match node.kind() {
            "string" => {
                let mut origins = vec![Origin {
                    literal: string_range(node),
                    via: None,
                }];
                // `f"bedrock/{MODEL}"`: the literal behind `MODEL` reaches the call too.
                for hole in named_children(node)
                    .into_iter()
                    .filter(|c| c.kind() == "interpolation")
                {
                    if let Some(expression) = hole.child_by_field_name("expression") {
                        origins.extend(self.origins(expression, hops, depth));
                    }
                }
                origins
            }
            "concatenated_string" | "parenthesized_expression" | "conditional_expression" => {
                // The pieces; the value branches of `a if c else b` (not the condition).
                let children = named_children(node);
                children
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| node.kind() != "conditional_expression" || *i != 1)
                    .flat_map(|(_, child)| self.origins(*child, hops, depth))
                    .collect()
            }
            "boolean_operator" => ["left", "right"]
                .into_iter()
                .filter_map(|field| node.child_by_field_name(field))
                .flat_map(|side| self.origins(side, hops, depth))
                .collect(),
            "call" => self
                .environment_default(node)
                .map(|default| self.origins(default, hops, depth))
                .unwrap_or_default(),
            "identifier" | "attribute" => {
                let Some((key, values, hops)) = self.follow(node, hops) else {
                    return Vec::new();
                };
                values
                    .into_iter()
                    .flat_map(|value| self.origins(value, hops, depth))
                    .map(|origin| origin.through(&key))
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// The default of `os.environ.get(K, default)`, `os.getenv(K, default)`.
    fn environment_default(&self, call: Node<'t>) -> Option<Node<'t>> {
        let function = call.child_by_field_name("function")?;
        let text = self.text(function);
        let is_getenv = text == "getenv" || text.ends_with(".getenv");
        let is_environ_get = text.ends_with("environ.get");
        if !is_getenv && !is_environ_get {
            return None;
        }
        let (positional, keywords) = self.arguments(call.child_by_field_name("arguments")?);
        keywords
            .iter()
            .find(|entry| entry.name == "default")
            .map(|entry| entry.value)
            .or_else(|| positional.get(1).copied())
    }

    /// The parameters visible in `keywords` for a call of `style`.
    fn params(&self, style: Style, keywords: &[Entry<'t, 's>]) -> Vec<Param> {
        let mut params = Vec::new();
        for keyword in keywords {
            match style {
                Style::Converse => match keyword.name {
                    "inferenceConfig" => params.extend(self.sampling_keys(keyword.value)),
                    "additionalModelRequestFields" => {
                        params.push(additional_fields(keyword.name_range.clone()));
                        params.extend(self.sampling_keys(keyword.value));
                    }
                    _ => {}
                },
                Style::Invoke => {
                    if keyword.name == "body" {
                        for body in self.bodies(keyword.value, HOPS, MAX_DEPTH) {
                            self.body_params(body, BODY_DEPTH, &mut params);
                        }
                    }
                }
                Style::Keywords { dicts, additional } => {
                    params.extend(sampling(keyword.name, keyword.name_range.clone()));
                    if dicts.contains(&keyword.name) {
                        params.extend(self.sampling_keys(keyword.value));
                    }
                    if additional.contains(&keyword.name) {
                        params.push(additional_fields(keyword.name_range.clone()));
                        params.extend(self.sampling_keys(keyword.value));
                    }
                }
                Style::Nothing => {}
            }
        }
        params
    }

    /// The dicts serialised into an InvokeModel body: the argument of `json.dumps(…)`,
    /// found through names, `.encode()` and wrapping calls (`bytes(json.dumps(…), "utf-8")`).
    fn bodies(&self, node: Node<'t>, hops: usize, depth: usize) -> Vec<Node<'t>> {
        let Some(depth) = depth.checked_sub(1) else {
            return Vec::new();
        };
        match node.kind() {
            "dictionary" => vec![node],
            "call" => {
                let Some(function) = node.child_by_field_name("function") else {
                    return Vec::new();
                };
                let Some(arguments) = node
                    .child_by_field_name("arguments")
                    .filter(|a| a.kind() == "argument_list")
                else {
                    return Vec::new();
                };
                let (positional, keywords) = self.arguments(arguments);
                if self.last_segment(function) == Some("dumps") {
                    return keywords
                        .iter()
                        .find(|entry| entry.name == "obj")
                        .map(|entry| entry.value)
                        .or_else(|| positional.first().copied())
                        .into_iter()
                        .collect();
                }
                let mut inner: Vec<Node> = positional;
                if function.kind() == "attribute"
                    && let Some(object) = function.child_by_field_name("object")
                {
                    inner.push(object);
                }
                inner
                    .into_iter()
                    .flat_map(|arg| self.bodies(arg, hops, depth))
                    .collect()
            }
            "parenthesized_expression" => first_named(node)
                .map(|inner| self.bodies(inner, hops, depth))
                .unwrap_or_default(),
            _ => self
                .through_names(node, hops, |value, hops| {
                    self.bodies(value, hops, depth)
                        .into_iter()
                        .map(|body| (body, None))
                        .collect()
                })
                .into_iter()
                .map(|(body, _)| body)
                .collect(),
        }
    }
}

impl<'t> Names<'t> for File<'t, '_> {
    fn bindings(&self) -> &Bindings<Node<'t>> {
        &self.bindings
    }

    /// The key of an identifier, or of `self.NAME` (also written `cls.NAME`).
    fn key(&self, node: Node<'t>) -> Option<String> {
        match node.kind() {
            "identifier" => Some(self.text(node).to_owned()),
            "attribute" => self.self_attribute(node),
            _ => None,
        }
    }
}

impl<'t, 's> Mappings<'t, 's> for File<'t, 's> {
    /// The entries of a mapping expression: a dict literal, `dict(k=v, …)`, or a name bound
    /// to one.
    fn entries(&self, node: Node<'t>, hops: usize, depth: usize) -> Vec<Entry<'t, 's>> {
        let Some(depth) = depth.checked_sub(1) else {
            return Vec::new();
        };
        match node.kind() {
            "dictionary" => {
                let mut entries = Vec::new();
                for child in named_children(node) {
                    match child.kind() {
                        "pair" => {
                            if let (Some(key), Some(value)) = (
                                child.child_by_field_name("key"),
                                child.child_by_field_name("value"),
                            ) && let Some(name) = self.plain_string(key)
                            {
                                entries.push(Entry {
                                    name,
                                    name_range: string_range(key),
                                    value,
                                    via: None,
                                });
                            }
                        }
                        "dictionary_splat" => {
                            if let Some(inner) = first_named(child) {
                                entries.extend(self.entries(inner, hops, depth));
                            }
                        }
                        _ => {}
                    }
                }
                entries
            }
            "call" => {
                let is_dict = node
                    .child_by_field_name("function")
                    .is_some_and(|f| f.kind() == "identifier" && self.text(f) == "dict");
                let arguments = node
                    .child_by_field_name("arguments")
                    .filter(|a| a.kind() == "argument_list");
                match (is_dict, arguments) {
                    (true, Some(arguments)) => {
                        let (positional, mut keywords) = self.arguments(arguments);
                        if let Some(first) = positional.first() {
                            keywords.extend(self.entries(*first, hops, depth));
                        }
                        keywords
                    }
                    _ => Vec::new(),
                }
            }
            "parenthesized_expression" => first_named(node)
                .map(|inner| self.entries(inner, hops, depth))
                .unwrap_or_default(),
            _ => self
                .through_names(node, hops, |value, hops| {
                    self.entries(value, hops, depth)
                        .into_iter()
                        .map(|entry| (entry, None))
                        .collect()
                })
                .into_iter()
                .map(|(mut entry, name)| {
                    if entry.via.is_none() {
                        entry.via = name;
                    }
                    entry
                })
                .collect(),
        }
    }
}

/// The nodes whose text a Region that went through a name is shown with
/// (`REGION = "eu-west-1"`, a parameter default).
const BINDINGS: &[&str] = &[
    "assignment",
    "named_expression",
    "default_parameter",
    "typed_default_parameter",
];

/// The LangChain classes, whose client is made from `client=`, `region_name=` (or its
/// alias `region=`) or `config=`.
const LANGCHAIN_CLASSES: &[&str] = &[
    "ChatBedrock",
    "BedrockChat",
    "BedrockLLM",
    "Bedrock",
    "ChatBedrockConverse",
    "BedrockEmbeddings",
];

/// The keywords that give the Region of a client constructor's client.
struct RegionKeys {
    /// Keywords whose value is the Region.
    region: &'static [&'static str],
    /// The keyword whose value is a botocore `Config(region_name=…)`, if the constructor
    /// takes one.
    config: Option<&'static str>,
}

/// The Region keywords of the client constructor (or LiteLLM function) named `name`, if it
/// is one: boto3 `client`, `Session`, the LangChain classes, Strands' `BedrockModel`,
/// `AnthropicBedrock`, and LiteLLM's functions.
fn region_keys(name: &str) -> Option<RegionKeys> {
    let keys = |region, config| Some(RegionKeys { region, config });
    match name {
        "client" => keys(&["region_name"], Some("config")),
        "Session" | "BedrockModel" => keys(&["region_name"], None),
        "AnthropicBedrock" | "AsyncAnthropicBedrock" => keys(&["aws_region"], None),
        _ if LANGCHAIN_CLASSES.contains(&name) => keys(&["region_name", "region"], Some("config")),
        _ if LITELLM_FUNCTIONS.contains(&name) => keys(&["aws_region_name"], None),
        _ => None,
    }
}

/// The client Region of a call: the constructor of the client it is made by, found in the
/// file through names, and the Region literal that constructor is given.
impl<'t, 's> File<'t, 's> {
    /// The client that the receiver `node` is: the constructors it may be made by.
    fn client_of(&self, node: Node<'t>, hops: usize, depth: usize) -> Client {
        let Some(depth) = depth.checked_sub(1) else {
            return Client::Unknown;
        };
        Client::combine(
            self.calls_of(node, hops, depth)
                .into_iter()
                .map(|(call, hops)| self.constructed(call, hops, depth)),
        )
    }

    /// The calls whose value `node` may be, through names, each with the name hops left.
    fn calls_of(&self, node: Node<'t>, hops: usize, depth: usize) -> Vec<(Node<'t>, usize)> {
        let Some(depth) = depth.checked_sub(1) else {
            return Vec::new();
        };
        match node.kind() {
            "call" => vec![(node, hops)],
            "parenthesized_expression" | "await" => first_named(node)
                .map(|inner| self.calls_of(inner, hops, depth))
                .unwrap_or_default(),
            "identifier" | "attribute" => {
                let Some((_, values, hops)) = self.follow(node, hops) else {
                    return Vec::new();
                };
                values
                    .into_iter()
                    .flat_map(|value| self.calls_of(value, hops, depth))
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// The client the call `call` makes (or, for LiteLLM, is made with), following its
    /// `client=` (LangChain), `boto_session=` (Strands) or session receiver
    /// (`session.client(…)`) at most `hops` names; `depth` bounds the constructors followed
    /// in a row (`ChatBedrock(client=ChatBedrock(client=…))`).
    fn constructed(&self, call: Node<'t>, hops: usize, depth: usize) -> Client {
        let Some(function) = call.child_by_field_name("function") else {
            return Client::Unknown;
        };
        let Some(name) = self.last_segment(function) else {
            return Client::Unknown;
        };
        let Some(keys) = region_keys(name) else {
            return Client::Unknown;
        };
        let Some(arguments) = call
            .child_by_field_name("arguments")
            .filter(|a| a.kind() == "argument_list")
        else {
            return Client::Unknown;
        };
        let (positional, keywords) = self.arguments(arguments);
        let keyword = |key: &str| keywords.iter().find(|entry| entry.name == key);
        let follow = |key: &str| keyword(key).map(|entry| self.client_of(entry.value, hops, depth));
        // A LangChain model given a client uses it as it is.
        if LANGCHAIN_CLASSES.contains(&name)
            && let Some(client) = follow("client")
        {
            return client;
        }
        if let Some(client) = self.direct_region(name, &keys, &positional, &keywords) {
            return client;
        }
        match name {
            "BedrockModel" => follow("boto_session").unwrap_or(Client::NoRegion),
            // `session.client(…)`: the session's Region; `boto3.client(…)`: the default one.
            "client" => match function.child_by_field_name("object") {
                Some(object)
                    if !(object.kind() == "identifier" && self.text(object) == "boto3") =>
                {
                    self.client_of(object, hops, depth)
                }
                _ => Client::NoRegion,
            },
            _ => Client::NoRegion,
        }
    }

    /// The Region a constructor's own arguments give: a Region keyword (`region_name=`; also
    /// the second positional argument of `client`), else the `region_name=` of the
    /// `Config(…)` passed as its config keyword. `None` when it has neither.
    fn direct_region(
        &self,
        name: &str,
        keys: &RegionKeys,
        positional: &[Node<'t>],
        keywords: &[Entry<'t, 's>],
    ) -> Option<Client> {
        if let Some(entry) = keywords
            .iter()
            .find(|entry| keys.region.contains(&entry.name))
        {
            return Some(self.region_argument(&format!("{}=", entry.name), entry.value));
        }
        if name == "client"
            && let Some(second) = positional.get(1)
        {
            return Some(self.region_argument("", *second));
        }
        let config = keywords
            .iter()
            .find(|entry| keys.config == Some(entry.name))?;
        let configs: Vec<Client> = self
            .calls_of(config.value, HOPS, MAX_DEPTH)
            .into_iter()
            .filter(|(call, _)| {
                call.child_by_field_name("function")
                    .and_then(|function| self.last_segment(function))
                    == Some("Config")
            })
            .filter_map(|(call, _)| {
                let arguments = call
                    .child_by_field_name("arguments")
                    .filter(|a| a.kind() == "argument_list")?;
                let (_, keywords) = self.arguments(arguments);
                let entry = keywords.iter().find(|entry| entry.name == "region_name")?;
                Some(self.region_argument("region_name=", entry.value))
            })
            .collect();
        (!configs.is_empty()).then(|| Client::combine(configs))
    }

    /// The Region a Region argument `value` gives, written `prefix` + its text.
    fn region_argument(&self, prefix: &str, value: Node<'t>) -> Client {
        let written = format!("{prefix}{}", self.text(value));
        let origins = self.origins(value, HOPS, MAX_DEPTH);
        common::region_argument(self.source, self.root, value, &written, origins, BINDINGS)
    }

    /// The Regions the recognised client constructors of the file give by their own
    /// arguments (for the fallback of [`Found::finish`]); clients of services other than
    /// Bedrock (`boto3.client("s3", region_name=…)`) do not count.
    fn constructor_regions(&self, calls: &[Node<'t>]) -> Vec<ClientRegion> {
        calls
            .iter()
            .filter_map(|call| {
                let name = self.last_segment(call.child_by_field_name("function")?)?;
                let keys = region_keys(name)?;
                let arguments = call
                    .child_by_field_name("arguments")
                    .filter(|a| a.kind() == "argument_list")?;
                let (positional, keywords) = self.arguments(arguments);
                if name == "client" {
                    let service = keywords
                        .iter()
                        .find(|entry| entry.name == "service_name")
                        .map(|entry| entry.value)
                        .or_else(|| positional.first().copied())
                        .and_then(|service| self.plain_string(service));
                    if service.is_some_and(|service| !service.starts_with("bedrock")) {
                        return None;
                    }
                }
                match self.direct_region(name, &keys, &positional, &keywords)? {
                    Client::Region(region) => Some(region),
                    Client::NoRegion | Client::Unknown => None,
                }
            })
            .collect()
    }
}

/// The first named child of `node` that is not a comment.
fn first_named(node: Node) -> Option<Node> {
    named_children(node).into_iter().next()
}

/// Whether `node` has a direct child of kind `kind`.
fn has_child(node: Node, kind: &str) -> bool {
    node.children(&mut node.walk())
        .any(|child| child.kind() == kind)
}

#[cfg(test)]
mod tests {
    use super::super::common::test_support::{checked, literal, owned, region_of};
    use super::*;
    use crate::extract::{Language, extract};

    const SONNET_35: &str = "anthropic.claude-3-5-sonnet-20240620-v1:0";

    #[test]
    fn files_without_a_callee_word_are_not_analysed() {
        let defines_only = format!("MODEL_ID = \"{SONNET_35}\"\nprint(MODEL_ID)\n");
        assert!(!CALLEES.occur_in(&defines_only));
        let calls = format!("{defines_only}client.converse(modelId=MODEL_ID)\n");
        assert!(CALLEES.occur_in(&calls));
        assert_eq!(usages(&calls).len(), 1);
    }

    /// The usages of `source`, after checking that every literal range is exactly the
    /// extractor's span of a code literal and that every range lies in the file.
    fn usages(source: &str) -> Vec<Usage> {
        checked(source, &extract(Language::Python, source), analyze(source))
    }

    /// The only usage of `source`.
    fn one(source: &str) -> Usage {
        let mut all = usages(source);
        assert_eq!(all.len(), 1, "{source}\n{all:#?}");
        all.remove(0)
    }

    /// Each parameter as (normalised name, text at its range).
    fn params<'s>(source: &'s str, usage: &Usage) -> Vec<(String, &'s str)> {
        usage
            .params
            .iter()
            .map(|p| (p.name.clone(), &source[p.range.clone()]))
            .collect()
    }

    fn texts(pairs: Vec<(String, &str)>) -> Vec<(String, String)> {
        pairs.into_iter().map(|(a, b)| (a, b.to_owned())).collect()
    }

    #[test]
    fn every_listed_pattern_is_recognised() {
        let table: &[(&str, Api)] = &[
            // boto3 bedrock-runtime, receiver created in the file.
            (
                "import boto3\nclient = boto3.client('bedrock-runtime')\nclient.converse(modelId='M', messages=[])\n",
                Api::Converse,
            ),
            (
                "client = boto3.client(service_name='bedrock-runtime')\nclient.converse_stream(modelId='M', messages=[])\n",
                Api::ConverseStream,
            ),
            (
                "client.invoke_model(modelId='M', body=body)\n",
                Api::InvokeModel,
            ),
            (
                "client.invoke_model_with_response_stream(modelId='M', body=body)\n",
                Api::InvokeModelStream,
            ),
            // Any receiver.
            (
                "self.runtime.converse(modelId='M', messages=m)\n",
                Api::Converse,
            ),
            (
                "boto3.client('bedrock-runtime').converse(modelId='M', messages=m)\n",
                Api::Converse,
            ),
            // bedrock-agent.
            (
                "agent = boto3.client('bedrock-agent')\nagent.create_agent(agentName='a', foundationModel='M')\n",
                Api::Agent,
            ),
            (
                "agent.update_agent(agentId=i, foundationModel='M')\n",
                Api::Agent,
            ),
            // LangChain.
            (
                "from langchain_aws import ChatBedrock\nllm = ChatBedrock(model_id='M')\n",
                Api::LangChainInvoke,
            ),
            ("llm = ChatBedrock(model='M')\n", Api::LangChainInvoke),
            (
                "llm = langchain_aws.ChatBedrockConverse(model='M')\n",
                Api::LangChainConverse,
            ),
            (
                "llm = ChatBedrockConverse(model_id='M')\n",
                Api::LangChainConverse,
            ),
            ("llm = BedrockLLM(model_id='M')\n", Api::LangChainInvoke),
            (
                "emb = BedrockEmbeddings(model_id='M')\n",
                Api::LangChainEmbeddings,
            ),
            // LiteLLM.
            (
                "from litellm import completion\ncompletion(model='bedrock/M', messages=m)\n",
                Api::LiteLlm,
            ),
            (
                "from litellm import acompletion\nawait acompletion(model='M', messages=m)\n",
                Api::LiteLlm,
            ),
            (
                "import litellm\nlitellm.completion(model='bedrock/M', messages=m)\n",
                Api::LiteLlm,
            ),
            (
                "import litellm as llm\nllm.acompletion('bedrock/M', messages=m)\n",
                Api::LiteLlm,
            ),
            ("embedding(model='bedrock/M', input=['x'])\n", Api::LiteLlm),
            // Strands.
            (
                "from strands.models import BedrockModel\nmodel = BedrockModel(model_id='M')\n",
                Api::Converse,
            ),
            // AnthropicBedrock.
            (
                "client = AnthropicBedrock()\nclient.messages.create(model='M', max_tokens=10, messages=m)\n",
                Api::AnthropicMessages,
            ),
            (
                "with client.messages.stream(model='M', max_tokens=10, messages=m) as s:\n    pass\n",
                Api::AnthropicMessages,
            ),
            (
                "client = AsyncAnthropicBedrock(aws_region='us-east-1')\nawait client.beta.messages.create(model='M', messages=m)\n",
                Api::AnthropicMessages,
            ),
            // Through a name, a dict and `**` (one hop).
            (
                "MODEL_ID = 'M'\nclient.converse(modelId=MODEL_ID, messages=m)\n",
                Api::Converse,
            ),
            (
                "def f():\n    model = 'M'\n    return client.invoke_model(modelId=model, body=b)\n",
                Api::InvokeModel,
            ),
            (
                "request = {'modelId': 'M', 'messages': m}\nclient.converse(**request)\n",
                Api::Converse,
            ),
            (
                "params = dict(modelId='M', messages=m)\nclient.converse_stream(**params)\n",
                Api::ConverseStream,
            ),
            (
                "client.converse(**{'modelId': 'M', 'messages': m})\n",
                Api::Converse,
            ),
        ];
        for (snippet, api) in table {
            let usage = one(snippet);
            assert_eq!(usage.api, *api, "{snippet}");
            assert!(
                literal(snippet, &usage).ends_with('M'),
                "{snippet}: {usage:?}"
            );
            let call = &snippet[usage.call.clone()];
            assert!(
                call.contains(literal(snippet, &usage)) || usage.via.is_some(),
                "{call}"
            );
        }
    }

    /// The client Region of the only usage of `source`, as (Region, how), after checking
    /// that its range is the Region literal's contents.
    fn region(source: &str) -> Option<(String, String)> {
        region_of(source, one(source))
    }

    #[test]
    fn every_listed_client_region_is_recognised() {
        let table: &[(&str, &str, &str)] = &[
            // boto3: the client's own `region_name`, positional or in a `Config`.
            (
                "import boto3\nclient = boto3.client('bedrock-runtime', region_name='eu-west-1')\nclient.converse(modelId='M', messages=[])\n",
                "eu-west-1",
                "region_name='eu-west-1'",
            ),
            (
                "client = boto3.client(\n    service_name=\"bedrock-runtime\",\n    region_name=\"ap-south-1\",\n)\nclient.invoke_model(modelId='M', body=b)\n",
                "ap-south-1",
                "region_name=\"ap-south-1\"",
            ),
            (
                "boto3.client('bedrock-runtime', 'eu-west-2').converse(modelId='M')\n",
                "eu-west-2",
                "'eu-west-2'",
            ),
            (
                "client = boto3.client('bedrock-runtime', config=Config(region_name='eu-north-1', retries=r))\nclient.converse_stream(modelId='M')\n",
                "eu-north-1",
                "region_name='eu-north-1'",
            ),
            (
                "cfg = botocore.config.Config(region_name='ca-central-1')\nclient = boto3.client('bedrock-runtime', config=cfg)\nclient.converse(modelId='M')\n",
                "ca-central-1",
                "region_name='ca-central-1'",
            ),
            // A session's Region, inline or through a name.
            (
                "boto3.Session(region_name='eu-central-1').client('bedrock-runtime').converse(modelId='M')\n",
                "eu-central-1",
                "region_name='eu-central-1'",
            ),
            (
                "session = boto3.Session(profile_name='p', region_name='ap-northeast-1')\nclient = session.client('bedrock-runtime')\nclient.converse(modelId='M')\n",
                "ap-northeast-1",
                "region_name='ap-northeast-1'",
            ),
            (
                "session = boto3.session.Session(region_name='us-east-2')\nruntime = session.client(service_name='bedrock-runtime')\n\ndef ask():\n    return runtime.converse(modelId='M')\n",
                "us-east-2",
                "region_name='us-east-2'",
            ),
            // A module constant, an environment lookup with a default.
            (
                "REGION = 'eu-west-3'\nclient = boto3.client('bedrock-runtime', region_name=REGION)\nclient.converse(modelId='M')\n",
                "eu-west-3",
                "region_name=REGION with REGION = 'eu-west-3'",
            ),
            (
                "client = boto3.client('bedrock-runtime', region_name=os.environ.get('AWS_REGION', 'us-west-2'))\nclient.converse(modelId='M')\n",
                "us-west-2",
                "region_name=os.environ.get('AWS_REGION', 'us-west-2')",
            ),
            (
                "REGION = os.getenv('AWS_REGION') or 'us-east-1'\nclient = boto3.client('bedrock-runtime', region_name=REGION)\nclient.converse(modelId='M')\n",
                "us-east-1",
                "region_name=REGION with REGION = os.getenv('AWS_REGION') or 'us-east-1'",
            ),
            // `self.client` set in `__init__`; the agent client.
            (
                "class Bot:\n    def __init__(self):\n        self.client = boto3.client('bedrock-runtime', region_name='eu-west-1')\n\n    def run(self):\n        return self.client.converse(modelId='M')\n",
                "eu-west-1",
                "region_name='eu-west-1'",
            ),
            (
                "agent = boto3.client('bedrock-agent', region_name='us-west-2')\nagent.create_agent(agentName='a', foundationModel='M')\n",
                "us-west-2",
                "region_name='us-west-2'",
            ),
            // LangChain: `region_name=` (or `region=`), or the `client=` it is given.
            (
                "llm = ChatBedrock(model_id='M', region_name='eu-west-1')\n",
                "eu-west-1",
                "region_name='eu-west-1'",
            ),
            (
                "REGION = 'eu-central-1'\nllm = ChatBedrockConverse(model='M', region_name=REGION)\n",
                "eu-central-1",
                "region_name=REGION with REGION = 'eu-central-1'",
            ),
            (
                "llm = ChatBedrockConverse(model='M', region='ap-southeast-2')\n",
                "ap-southeast-2",
                "region='ap-southeast-2'",
            ),
            (
                "llm = BedrockLLM(model_id='M', region_name='us-east-1')\n",
                "us-east-1",
                "region_name='us-east-1'",
            ),
            (
                "emb = BedrockEmbeddings(model_id='M', region_name='eu-west-2')\n",
                "eu-west-2",
                "region_name='eu-west-2'",
            ),
            (
                "rt = boto3.client('bedrock-runtime', region_name='ap-northeast-1')\nllm = ChatBedrock(client=rt, model_id='M')\n",
                "ap-northeast-1",
                "region_name='ap-northeast-1'",
            ),
            (
                "llm = ChatBedrockConverse(model='M', config=Config(region_name='eu-south-1'))\n",
                "eu-south-1",
                "region_name='eu-south-1'",
            ),
            // Strands: `region_name=`, or its `boto_session=`.
            (
                "model = BedrockModel(model_id='M', region_name='us-west-2')\n",
                "us-west-2",
                "region_name='us-west-2'",
            ),
            (
                "session = boto3.Session(region_name='eu-west-1')\nmodel = BedrockModel(model_id='M', boto_session=session)\n",
                "eu-west-1",
                "region_name='eu-west-1'",
            ),
            // Anthropic's client.
            (
                "client = AnthropicBedrock(aws_region='eu-west-1')\nclient.messages.create(model='M', max_tokens=10, messages=m)\n",
                "eu-west-1",
                "aws_region='eu-west-1'",
            ),
            (
                "client = AsyncAnthropicBedrock(aws_region='us-east-1')\nawait client.beta.messages.create(model='M', messages=m)\n",
                "us-east-1",
                "aws_region='us-east-1'",
            ),
            // LiteLLM's own keyword.
            (
                "import litellm\nlitellm.completion(model='bedrock/M', messages=m, aws_region_name='eu-central-1')\n",
                "eu-central-1",
                "aws_region_name='eu-central-1'",
            ),
            // The receiver is a parameter: the file's only client Region.
            (
                "runtime = boto3.client('bedrock-runtime', region_name='eu-west-1')\n\ndef ask(client):\n    return client.converse(modelId='M')\n",
                "eu-west-1",
                "region_name='eu-west-1'",
            ),
            (
                "A = boto3.client('bedrock-runtime', region_name='eu-west-1')\nB = boto3.Session(region_name='eu-west-1')\n\ndef ask(client):\n    return client.converse(modelId='M')\n",
                "eu-west-1",
                "region_name='eu-west-1'",
            ),
        ];
        for (snippet, expected_region, expected_how) in table {
            assert_eq!(
                region(snippet),
                Some(((*expected_region).to_owned(), (*expected_how).to_owned())),
                "{snippet}"
            );
        }
    }

    #[test]
    fn the_receiver_chooses_among_several_client_regions() {
        let source = "us = boto3.client('bedrock-runtime', region_name='us-east-1')\neu = boto3.client('bedrock-runtime', region_name='eu-west-1')\nus.converse(modelId='a-v1')\neu.converse(modelId='b-v1')\n";
        let found: Vec<(&str, Option<String>)> = usages(source)
            .iter()
            .map(|u| {
                (
                    literal(source, u),
                    u.region.as_ref().map(|r| r.region.clone()),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("a-v1", Some("us-east-1".to_owned())),
                ("b-v1", Some("eu-west-1".to_owned()))
            ]
        );
        let start = source.find("eu-west-1").unwrap();
        assert_eq!(
            usages(source)[1].region.as_ref().unwrap().range,
            start..start + 9
        );
    }

    #[test]
    fn client_regions_that_are_not_literals_or_are_ambiguous_give_none() {
        for source in [
            // Environment lookups without a default.
            "client = boto3.client('bedrock-runtime', region_name=os.environ['AWS_REGION'])\nclient.converse(modelId='M')\n",
            "client = boto3.client('bedrock-runtime', region_name=os.getenv('AWS_REGION'))\nclient.converse(modelId='M')\n",
            "llm = ChatBedrockConverse(model='M', region_name=os.environ.get('AWS_REGION'))\n",
            // A name that is not a Region literal, a string that is not a Region.
            "def make(region):\n    client = boto3.client('bedrock-runtime', region_name=region)\n    return client.converse(modelId='M')\n",
            "client = boto3.client('bedrock-runtime', region_name='local')\nclient.converse(modelId='M')\n",
            "client = boto3.client('bedrock-runtime', region_name='eu-west-1' if eu else 'us-east-1')\nclient.converse(modelId='M')\n",
            // Two clients with different Regions, the receiver unknown.
            "a = boto3.client('bedrock-runtime', region_name='us-east-1')\nb = boto3.client('bedrock-runtime', region_name='eu-west-1')\n\ndef ask(client):\n    return client.converse(modelId='M')\n",
            // The client is in the file without a Region: the default applies, whatever
            // other clients say.
            "other = boto3.client('bedrock-runtime', region_name='eu-west-1')\nclient = boto3.client('bedrock-runtime')\nclient.converse(modelId='M')\n",
            "other = boto3.client('bedrock-runtime', region_name='eu-west-1')\nllm = ChatBedrock(model_id='M')\n",
            "session = boto3.Session()\nclient = session.client('bedrock-runtime')\nclient.converse(modelId='M')\n",
            "other = AnthropicBedrock(aws_region='eu-west-1')\nlitellm.completion(model='bedrock/M')\n",
            // Another service's Region is no evidence.
            "s3 = boto3.client('s3', region_name='eu-west-1')\n\ndef ask(client):\n    return client.converse(modelId='M')\n",
            // No client anywhere.
            "def ask(client):\n    return client.converse(modelId='M')\n",
        ] {
            assert_eq!(region(source), None, "{source}");
        }
    }

    #[test]
    fn direct_literal_range_matches_the_extractor() {
        let source = format!("resp = client.converse(modelId=\"{SONNET_35}\", messages=m)\n");
        let usage = one(&source);
        let start = source.find(SONNET_35).unwrap();
        assert_eq!(usage.literal, start..start + SONNET_35.len());
        assert_eq!(usage.via, None);
        assert_eq!(
            &source[usage.call.clone()],
            format!("client.converse(modelId=\"{SONNET_35}\", messages=m)")
        );
        assert!(usage.params.is_empty());
    }

    #[test]
    fn one_hop_through_a_module_constant() {
        let source = format!(
            "import boto3\n\nCHAT_MODEL_ID = \"{SONNET_35}\"\nruntime = boto3.client(\"bedrock-runtime\")\n\n\ndef chat(messages):\n    return runtime.converse(modelId=CHAT_MODEL_ID, messages=messages)\n"
        );
        let usage = one(&source);
        assert_eq!(literal(&source, &usage), SONNET_35);
        assert_eq!(usage.via.as_deref(), Some("CHAT_MODEL_ID"));
        assert_eq!(usage.api, Api::Converse);
        assert!(source[usage.call.clone()].starts_with("runtime.converse("));
    }

    #[test]
    fn one_hop_through_locals_defaults_and_self() {
        let source = "def f(model_id='a.b-v1'):\n    return client.converse(modelId=model_id)\n\nclass Bot:\n    def __init__(self):\n        self.model = 'c.d-v1'\n\n    def run(self):\n        return self.client.converse(modelId=self.model)\n";
        let found: Vec<(&str, Option<String>)> = usages(source)
            .iter()
            .map(|u| (literal(source, u), u.via.clone()))
            .collect();
        assert_eq!(
            found,
            [
                ("a.b-v1", Some("model_id".to_owned())),
                ("c.d-v1", Some("self.model".to_owned()))
            ]
        );
    }

    #[test]
    fn two_hops_through_a_dict_variable_keep_the_inner_name() {
        let source = "MODEL = 'm-v1'\nrequest = {'modelId': MODEL, 'inferenceConfig': {'temperature': 0.1}}\nclient.converse(**request)\n";
        let usage = one(source);
        assert_eq!(literal(source, &usage), "m-v1");
        assert_eq!(usage.via.as_deref(), Some("MODEL"));
        assert_eq!(
            texts(params(source, &usage)),
            owned(&[("temperature", "temperature")])
        );
        let source = "request = {'modelId': 'm-v1'}\nclient.converse(**request)\n";
        assert_eq!(one(source).via.as_deref(), Some("request"));
    }

    #[test]
    fn a_literal_used_twice_gives_two_usages() {
        let source = "MODEL = 'm-v1'\nclient.converse(modelId=MODEL, messages=m)\nclient.invoke_model(modelId=MODEL, body=b)\n";
        let all = usages(source);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].literal, all[1].literal);
        assert_eq!(
            all.iter().map(|u| u.api).collect::<Vec<_>>(),
            [Api::Converse, Api::InvokeModel]
        );
        assert_ne!(all[0].call, all[1].call);
    }

    #[test]
    fn both_values_of_a_rebound_name_or_conditional_reach_the_call() {
        let source = "if prod:\n    M = 'a-v1'\nelse:\n    M = 'b-v1'\nN = 'c-v1' if x else 'd-v1'\nclient.converse(modelId=M)\nclient.converse(modelId=N)\n";
        let found: Vec<&str> = usages(source).iter().map(|u| literal(source, u)).collect();
        assert_eq!(found, ["a-v1", "b-v1", "c-v1", "d-v1"]);
    }

    #[test]
    fn environment_defaults_and_f_string_holes() {
        let source = "M = os.environ.get('MODEL_ID', 'a-v1')\nN = os.getenv('X') or 'b-v1'\nclient.converse(modelId=M)\nclient.converse(modelId=N)\nP = 'c-v1'\ncompletion(model=f'bedrock/{P}', messages=m)\n";
        let found: Vec<(&str, Api)> = usages(source)
            .iter()
            .map(|u| (literal(source, u), u.api))
            .collect();
        assert_eq!(
            found,
            [
                ("a-v1", Api::Converse),
                ("b-v1", Api::Converse),
                ("c-v1", Api::LiteLlm),
                ("bedrock/{P}", Api::LiteLlm)
            ]
        );
    }

    #[test]
    fn literals_not_at_a_call_give_no_usage() {
        let source = format!(
            "MODELS = ['{SONNET_35}']\nprint('{SONNET_35}')\nUNUSED = '{SONNET_35}'\nconfig = {{'modelId': '{SONNET_35}'}}\nother(modelId='{SONNET_35}')\nclient.converse(messages=['{SONNET_35}'])\nx.completion(model='bedrock/{SONNET_35}')\ncompletion(model='{SONNET_35}')\ncreate(model='{SONNET_35}')\n# client.converse(modelId='{SONNET_35}')\n"
        );
        assert_eq!(usages(&source), []);
    }

    #[test]
    fn clients_of_other_services_are_not_bedrock() {
        let source = "s3 = boto3.client('s3')\ns3.converse(modelId='a-v1')\nc = Anthropic()\nc.messages.create(model='b-v1')\nrt = boto3.client('bedrock-runtime')\nrt.create_agent(foundationModel='c-v1')\n";
        assert_eq!(usages(source), []);
    }

    #[test]
    fn converse_inference_config_and_additional_fields() {
        let source = format!(
            "response = client.converse(\n    modelId=\"{SONNET_35}\",\n    messages=messages,\n    inferenceConfig={{\"temperature\": 0.2, \"topP\": 0.9, \"maxTokens\": 512}},\n    additionalModelRequestFields={{\"top_k\": 250}},\n)\n"
        );
        let usage = one(&source);
        assert_eq!(
            texts(params(&source, &usage)),
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
        let start = source.find("\"topP\"").unwrap() + 1;
        assert_eq!(usage.params[1].range, start..start + 4);
    }

    #[test]
    fn inference_config_through_a_variable() {
        let source = "CONFIG = {'temperature': 0.5, 'topP': 0.9}\nclient.converse_stream(modelId='a-v1', inferenceConfig=CONFIG)\n";
        let usage = one(source);
        assert_eq!(
            texts(params(source, &usage)),
            owned(&[("temperature", "temperature"), ("top_p", "topP")])
        );
    }

    #[test]
    fn invoke_model_body_keys() {
        // Titan: nested textGenerationConfig.
        let source = "body = json.dumps({\n    \"inputText\": prompt,\n    \"textGenerationConfig\": {\"temperature\": 0.2, \"topP\": 0.9, \"maxTokenCount\": 512},\n})\nresponse = client.invoke_model(modelId=\"amazon.titan-text-express-v1\", body=body)\n";
        let usage = one(source);
        assert_eq!(usage.api, Api::InvokeModel);
        assert_eq!(
            texts(params(source, &usage)),
            owned(&[("temperature", "temperature"), ("top_p", "topP")])
        );
        // Anthropic body inline, with `.encode()`.
        let source = "client.invoke_model_with_response_stream(modelId='a-v1', body=json.dumps({'anthropic_version': 'bedrock-2023-05-31', 'temperature': 1, 'top_p': 0.9, 'top_k': 5, 'messages': m}).encode('utf-8'))\n";
        let usage = one(source);
        assert_eq!(
            texts(params(source, &usage)),
            owned(&[
                ("temperature", "temperature"),
                ("top_p", "top_p"),
                ("top_k", "top_k")
            ])
        );
        // The dict in a variable, serialised at the call.
        let source = "payload = {'prompt': p, 'temperature': 0.3}\nclient.invoke_model(modelId='a-v1', body=json.dumps(payload))\n";
        assert_eq!(
            texts(params(source, &one(source))),
            owned(&[("temperature", "temperature")])
        );
    }

    #[test]
    fn langchain_litellm_anthropic_and_strands_keywords() {
        let source = "llm = ChatBedrock(model_id='anthropic.claude-v2', model_kwargs={'temperature': 0.1, 'top_p': 0.9})\n";
        assert_eq!(
            texts(params(source, &one(source))),
            owned(&[("temperature", "temperature"), ("top_p", "top_p")])
        );
        let source = "llm = ChatBedrockConverse(model='a-v1', temperature=0, top_p=1, additional_model_request_fields={'top_k': 3})\n";
        assert_eq!(
            texts(params(source, &one(source))),
            owned(&[
                ("temperature", "temperature"),
                ("top_p", "top_p"),
                (
                    "additional_model_request_fields",
                    "additional_model_request_fields"
                ),
                ("top_k", "top_k")
            ])
        );
        let source = "import litellm\nlitellm.completion(model='bedrock/a-v1', messages=m, temperature=0.2, top_p=0.8)\n";
        assert_eq!(
            texts(params(source, &one(source))),
            owned(&[("temperature", "temperature"), ("top_p", "top_p")])
        );
        let source = "client = AnthropicBedrock()\nclient.messages.create(model='a-v1', max_tokens=1, temperature=0.2, top_p=0.8, top_k=4, messages=m)\n";
        assert_eq!(
            texts(params(source, &one(source))),
            owned(&[
                ("temperature", "temperature"),
                ("top_p", "top_p"),
                ("top_k", "top_k")
            ])
        );
        let source = "model = BedrockModel(model_id='a-v1', temperature=0.3, additional_request_fields={'thinking': t})\n";
        assert_eq!(
            texts(params(source, &one(source))),
            owned(&[
                ("temperature", "temperature"),
                (
                    "additional_model_request_fields",
                    "additional_request_fields"
                )
            ])
        );
    }

    #[test]
    fn bad_input_never_panics() {
        for source in [
            "",
            "client.converse(modelId=",
            "client.converse(modelId='a-v1'",
            "def (:\n  client.converse(**",
            "\u{0}\u{feff}'''",
        ] {
            let _ = analyze(source);
        }
        // Deep nesting: bounded recursion.
        let deep = format!(
            "M = {}'a-v1'{}\nclient.converse(modelId=M)\n",
            "(".repeat(3000),
            ")".repeat(3000)
        );
        let _ = analyze(&deep);
        let chain = format!(
            "M = 'a-v1'{}\nclient.converse(modelId=M)\n",
            " or 'b'".repeat(3000)
        );
        let _ = analyze(&chain);
        // Constructors nested in constructors, sessions of sessions: bounded too.
        let clients = format!(
            "llm = ChatBedrock(model_id='a-v1', client={}None{})\n",
            "ChatBedrock(client=".repeat(3000),
            ")".repeat(3000)
        );
        let _ = analyze(&clients);
        let sessions = format!(
            "boto3.Session(){}.converse(modelId='a-v1')\n",
            ".client('bedrock-runtime')".repeat(3000)
        );
        let _ = analyze(&sessions);
    }

    #[test]
    fn syntax_errors_elsewhere_still_give_usages() {
        let source = "client.converse(modelId='a-v1')\ndef broken(:\n";
        assert_eq!(one(source).api, Api::Converse);
    }
}
