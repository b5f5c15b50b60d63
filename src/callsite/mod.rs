//! Call sites: how a model-ID literal is used, found by following it a short way through
//! the file to the API call that receives it.
//!
//! A model-ID swap is only safe if the code that uses the ID keeps working. The request body
//! of `InvokeModel` is model-specific, the Converse API is not, LangChain's `ChatBedrock` sends
//! InvokeModel bodies while `ChatBedrockConverse` uses Converse, and some replacements reject
//! parameters (`temperature` with `top_p` on Claude Sonnet/Haiku 4.5). This module finds, for
//! each string literal that reaches a known Bedrock API, which API it reaches and which request
//! parameters are visible at that call; [`crate::plan`] turns that into a safety class.
//!
//! Each usage also carries the AWS Region of the client that makes the call
//! ([`Usage::region`]) when it is a literal in the same file: the analyser follows the
//! receiver (`client` of `client.converse(…)`, the client a command is sent with) through
//! names to its constructor and reads the Region argument (`region_name=`, `region:`,
//! `.region(Region::new(…))`). A receiver that cannot be traced to a constructor (a
//! parameter, a function's result) takes the file's Region when the recognised client
//! constructors of the file give exactly one; a constructor that is found but has no Region
//! literal (the default Region, an environment lookup) gives none, whatever other clients
//! say. The planner uses it to choose the geography of a cross-Region inference profile.
//!
//! Each language has its own analyser on the same parser as its extractor. A literal is
//! identified by the byte range of its contents — exactly the `range` of the extractor's
//! [`crate::extract::Span`] — so the planner can join the two.

use std::ops::Range;

use crate::extract::Language;

pub(crate) mod common;
pub mod python;
pub mod rust;
pub mod typescript;

/// The API a model ID is passed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Api {
    /// bedrock-runtime `Converse` (boto3 `converse`, SDK v3 `ConverseCommand`, Rust
    /// `.converse()`): a model-agnostic request.
    Converse,
    /// bedrock-runtime `ConverseStream`.
    ConverseStream,
    /// bedrock-runtime `InvokeModel`: the request body is the model's own format.
    InvokeModel,
    /// bedrock-runtime `InvokeModelWithResponseStream`.
    InvokeModelStream,
    /// LangChain `ChatBedrockConverse` (Python and JS): Converse underneath.
    LangChainConverse,
    /// LangChain `ChatBedrock`, `BedrockLLM` (Python) and `BedrockChat` (JS): InvokeModel
    /// bodies underneath.
    LangChainInvoke,
    /// LangChain `BedrockEmbeddings`.
    LangChainEmbeddings,
    /// LiteLLM `completion(model="bedrock/…")` and friends.
    LiteLlm,
    /// Anthropic's `AnthropicBedrock` client (`messages.create(model=…)`): the Messages API.
    AnthropicMessages,
    /// Vercel AI SDK `bedrock("…")`: Converse underneath.
    VercelAi,
    /// A `bedrock-agent` model field (`foundationModel`, `foundation_model`).
    Agent,
}

impl Api {
    /// True when the API sends a model-agnostic request (Converse and the libraries built
    /// on it), so a replacement with another request-body family still works.
    pub fn model_agnostic(self) -> bool {
        matches!(
            self,
            Api::Converse
                | Api::ConverseStream
                | Api::LangChainConverse
                | Api::LiteLlm
                | Api::VercelAi
                | Api::Agent
        )
    }

    /// Human name, as used in reasons.
    pub fn name(self) -> &'static str {
        match self {
            Api::Converse => "Converse",
            Api::ConverseStream => "ConverseStream",
            Api::InvokeModel => "InvokeModel",
            Api::InvokeModelStream => "InvokeModelWithResponseStream",
            Api::LangChainConverse => "LangChain ChatBedrockConverse",
            Api::LangChainInvoke => "LangChain ChatBedrock/BedrockLLM (InvokeModel)",
            Api::LangChainEmbeddings => "LangChain BedrockEmbeddings",
            Api::LiteLlm => "LiteLLM",
            Api::AnthropicMessages => "Anthropic Messages API (AnthropicBedrock)",
            Api::VercelAi => "Vercel AI SDK bedrock()",
            Api::Agent => "Bedrock agent",
        }
    }
}

/// A request parameter visible at the call, under its normalised name: `temperature`,
/// `top_p`, `top_k`, `additional_model_request_fields` (from `topP`, `top_p`, `topK`,
/// `additionalModelRequestFields`, also inside `inferenceConfig` or an InvokeModel body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Normalised name.
    pub name: String,
    /// Byte range of the parameter's name (key or keyword) in the file.
    pub range: Range<usize>,
}

/// The AWS Region literal of the client that makes a call, as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRegion {
    /// The Region, e.g. `eu-west-1` (only strings shaped like a Region: see
    /// [`crate::rules::lifecycle::is_region_name`]).
    pub region: String,
    /// Byte range of the Region literal's contents in the file.
    pub range: Range<usize>,
    /// How it is written, for messages: `region_name="eu-west-1"`, `region: "eu-west-1"`,
    /// `Region::new("eu-west-1")`; when the value went through a name, the binding follows
    /// (`region_name=REGION with REGION = "eu-west-1"`). Whitespace runs are collapsed and
    /// long text is cut.
    pub how: String,
}

/// One literal that reaches an API call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage {
    /// Byte range of the literal's contents (the extractor's `Span::range`).
    pub literal: Range<usize>,
    /// The API it reaches.
    pub api: Api,
    /// Byte range of the call (or constructor) expression.
    pub call: Range<usize>,
    /// Request parameters visible at that call.
    pub params: Vec<Param>,
    /// The variable or constant the value passed through, if any (`MODEL_ID`).
    pub via: Option<String>,
    /// The Region of the client that makes the call, when it is a literal in this file.
    pub region: Option<ClientRegion>,
}

/// Every literal in `source` that reaches a known Bedrock API, for the languages that have
/// an analyser (Python, TypeScript/JavaScript, Rust); empty for the others.
pub fn analyze(language: Language, source: &str) -> Vec<Usage> {
    analyze_in(language, source, None)
}

/// [`analyze`], reading the tree-sitter `tree` the extractor already parsed from `source`
/// (see [`crate::extract::read_document`]) instead of parsing the file again. Rust is
/// analysed from syn's tokens, which live on a thread of their own: it ignores `tree`.
pub fn analyze_in(
    language: Language,
    source: &str,
    tree: Option<&tree_sitter::Tree>,
) -> Vec<Usage> {
    use typescript::Dialect;
    match language {
        Language::Python => python::analyze_in(source, tree),
        Language::TypeScript => typescript::analyze_in(source, Dialect::TypeScript, tree),
        Language::Tsx => typescript::analyze_in(source, Dialect::Tsx, tree),
        Language::JavaScript => typescript::analyze_in(source, Dialect::JavaScript, tree),
        Language::Rust => rust::analyze(source),
        _ => Vec::new(),
    }
}
