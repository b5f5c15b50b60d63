//! Rust call sites: `aws-sdk-bedrockruntime` fluent builders, read with `syn`.
//!
//! # Approach
//!
//! The file is tokenized with `proc-macro2` (after a shebang line, as the extractor does),
//! parsed with `syn` and walked with a [`syn::visit::Visit`] visitor. Every chain of method
//! calls (through `.await` and `?`) is looked at once, from its outermost call: when a link is
//! one of the bedrock-runtime operations
//!
//! | operation | API |
//! | --- | --- |
//! | `.converse()` | Converse |
//! | `.converse_stream()` | ConverseStream |
//! | `.invoke_model()` | InvokeModel |
//! | `.invoke_model_with_response_stream()` | InvokeModelStream |
//!
//! the links after it, up to `.send()`, are read: `.model_id(x)` / `.set_model_id(Some(x))`
//! gives the model, and
//!
//! - `.inference_config(InferenceConfiguration::builder().temperature(…).top_p(…)…)` (also
//!   `set_…` forms, and a `let` binding of the builder) gives `temperature`, `top_p`, `top_k`
//!   at the builder method's name;
//! - `.additional_model_request_fields(…)` gives `additional_model_request_fields`;
//! - `.body(…)` of InvokeModel: the string keys of `json!({…})` macros inside it (at any
//!   depth, through `Blob::new`, `serde_json::to_vec(&…)`, `.to_string()` and `let`
//!   bindings) give the sampling parameters (`"temperature"`, `"top_p"`, Titan's
//!   `"textGenerationConfig": {"topP": …}`).
//!
//! The model value `x` is followed to string literals through `&`, `(…)`, `.to_string()`,
//! `.to_owned()`, `.into()`, `String::from(…)`, `Some(…)`, the fallback of `.unwrap_or(…)` /
//! `.unwrap_or_else(|_| …)` (as after `std::env::var`), both branches of `if`/`match`, and
//! names: a local `let NAME = …` visible at the call (the latest one in the innermost block
//! that has one, as Rust shadowing works), else a `const`/`static` (also associated
//! `Self::NAME` or a path `models::NAME`, matched by its last segment) anywhere in the file;
//! at most two names in a row.
//!
//! # Client Region
//!
//! [`Usage::region`]: the receiver of the operation is followed through `let` bindings (at
//! most three names) and `Client::new(&config)`, `Client::from_conf(conf)`,
//! `config::Builder::from(&sdk_config)` to the config loader or builder; the last
//! `.region(x)` / `.set_region(x)` in its chain gives the Region (`how` is `x` as written,
//! `.region("…")` for a bare literal or name): `Region::new("…")`,
//! `Region::from_static("…")`, `Some(…)`, a literal, the first provider of a
//! `RegionProviderChain` that has one (`first_try(…)`, then `.or_else("…")`), the fallback
//! of `.unwrap_or(…)` / `.unwrap_or_else(|_| …)`, through `let` and `const` names (`how`
//! then adds the binding, `Region::new(REGION) with REGION = "eu-west-1"`). A loader without
//! `.region` (`aws_config::load_defaults(…)`, `defaults(…)…load()`, `from_env()`) uses the
//! default Region (none). The fallback for an untraced receiver (a parameter, a struct
//! field) counts every `.region(…)` of the file.
//!
//! `Usage::call` is the whole chain up to its outermost method call
//! (`client.converse().model_id(M)….send()`, without the `.await`).
//!
//! # Byte offsets
//!
//! As in [`crate::extract::rust`]: token positions (line, column) from `proc-macro2`'s
//! `span-locations` are turned into byte offsets by counting characters, and a literal's
//! range is the contents between its quotes (prefixes and raw-string hashes left out), which
//! is exactly the extractor's span.
//!
//! # Limits
//!
//! Same file only; nothing is typed, so any receiver of `.converse()` is accepted. A builder
//! held in a variable and continued in another statement (`let b = client.converse(); b
//! .model_id(M)`) is not joined; struct fields, function arguments and return values are not
//! followed; `Document` values built by hand give only the `additional_model_request_fields`
//! name. Code inside macro invocations other than `json!` keys is not read. Like the
//! extractor, the work runs on a thread with a large stack, files nested more than 512
//! delimiters deep are skipped, and a panic in the parser gives no usages.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::str::FromStr;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, ExprMethodCall, Lit, Pat, Stmt};

use super::common::{
    self, BODY_DEPTH, CLIENT_HOPS, Client, Found, HOPS, MAX_DEPTH, Origin, additional_fields,
    sampling,
};
use super::{Api, ClientRegion, Param, Usage};
use crate::extract::rust::{
    BytePositions, EXTRACT_STACK_SIZE, MAX_SOURCE_LEN, MAX_VERIFIED_DEPTH, SourceMapReset,
    shebang_len, string_contents,
};

/// Every recognised operation holds one of these (see [`common::CalleeWords`]):
/// `.converse()`, `.converse_stream()`, `.invoke_model()`, `.invoke_model_with_response_stream()`.
static CALLEES: common::CalleeWords =
    common::CalleeWords::new(|| common::words(&["converse", "invoke_model"]));

/// Every string literal in the Rust `source` that reaches a bedrock-runtime operation's
/// `.model_id(…)`, with the API and the request parameters visible in the chain.
///
/// Sorted by literal, then call. Never panics: a file that does not tokenize or parse, or
/// that is nested too deeply, gives no usages. Runs on a helper thread with a large stack,
/// as [`crate::extract::rust::extract`] does.
pub fn analyze(source: &str) -> Vec<Usage> {
    if !CALLEES.occur_in(source) {
        return Vec::new();
    }
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("rust-callsite".to_owned())
            .stack_size(EXTRACT_STACK_SIZE)
            .spawn_scoped(scope, || analyze_on_this_thread(source));
        let result = match worker {
            Ok(handle) => handle.join(),
            Err(_) => std::panic::catch_unwind(|| analyze_on_this_thread(source)),
        };
        result.unwrap_or_default()
    })
}

/// [`analyze`] without the dedicated thread.
fn analyze_on_this_thread(source: &str) -> Vec<Usage> {
    if source.len() > MAX_SOURCE_LEN {
        return Vec::new();
    }
    // Every span is converted to byte offsets before this guard drops the source map.
    let _reset = SourceMapReset;
    let offset = shebang_len(source);
    let Some(code) = source.get(offset..) else {
        return Vec::new();
    };
    let Ok(tokens) = TokenStream::from_str(code) else {
        return Vec::new();
    };
    if nesting_depth(tokens.clone()) > MAX_VERIFIED_DEPTH {
        return Vec::new();
    }
    let Ok(file) = syn::parse2::<syn::File>(tokens) else {
        return Vec::new();
    };
    let mut constants = Constants::default();
    constants.visit_file(&file);
    let mut analyser = Analyser {
        source,
        offset,
        positions: RefCell::new(BytePositions::new(code)),
        constants: constants.0,
        blocks: Vec::new(),
        found: Found::default(),
        regions: Vec::new(),
    };
    analyser.visit_file(&file);
    let Analyser { found, regions, .. } = analyser;
    found.finish(move || regions)
}

/// Deepest nesting of delimited groups in `tokens`, counted without recursion.
fn nesting_depth(tokens: TokenStream) -> usize {
    let mut deepest = 0;
    let mut stack = vec![tokens.into_iter()];
    while let Some(top) = stack.last_mut() {
        match top.next() {
            Some(TokenTree::Group(group)) => {
                stack.push(group.stream().into_iter());
                deepest = deepest.max(stack.len() - 1);
            }
            Some(_) => {}
            None => {
                stack.pop();
            }
        }
    }
    deepest
}

/// The bedrock-runtime operation named `method`, if it is one.
fn operation(method: &str) -> Option<Api> {
    match method {
        "converse" => Some(Api::Converse),
        "converse_stream" => Some(Api::ConverseStream),
        "invoke_model" => Some(Api::InvokeModel),
        "invoke_model_with_response_stream" => Some(Api::InvokeModelStream),
        _ => None,
    }
}

/// Every `const` and `static` of the file (also associated constants), by name.
#[derive(Default)]
struct Constants<'ast>(HashMap<String, Vec<&'ast Expr>>);

impl<'ast> Constants<'ast> {
    /// Record that the constant or static `name` has the value `value`.
    fn add(&mut self, name: &syn::Ident, value: &'ast Expr) {
        self.0.entry(name.to_string()).or_default().push(value);
    }
}

impl<'ast> Visit<'ast> for Constants<'ast> {
    fn visit_item_const(&mut self, item: &'ast syn::ItemConst) {
        self.add(&item.ident, &item.expr);
        visit::visit_item_const(self, item);
    }

    fn visit_item_static(&mut self, item: &'ast syn::ItemStatic) {
        self.add(&item.ident, &item.expr);
        visit::visit_item_static(self, item);
    }

    fn visit_impl_item_const(&mut self, item: &'ast syn::ImplItemConst) {
        self.add(&item.ident, &item.expr);
        visit::visit_impl_item_const(self, item);
    }
}

/// The second pass: chains of method calls, with the `let` bindings in scope.
struct Analyser<'ast, 's> {
    source: &'s str,
    /// Length of the shebang line: token positions are relative to the text after it.
    offset: usize,
    positions: RefCell<BytePositions<'s>>,
    constants: HashMap<String, Vec<&'ast Expr>>,
    /// The `let NAME = value` bindings of each enclosing block, innermost last, in order.
    blocks: Vec<Vec<(String, &'ast Expr)>>,
    found: Found,
    /// The Region of every `.region(…)` call of the file that gives one, in file order (the
    /// fallback of [`Found::finish`]).
    regions: Vec<ClientRegion>,
}

impl<'ast> Visit<'ast> for Analyser<'ast, '_> {
    fn visit_block(&mut self, block: &'ast syn::Block) {
        self.blocks.push(Vec::new());
        visit::visit_block(self, block);
        self.blocks.pop();
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        visit::visit_local(self, local);
        let Some(init) = &local.init else {
            return;
        };
        let mut pattern = &local.pat;
        if let Pat::Type(typed) = pattern {
            pattern = &typed.pat;
        }
        if let Pat::Ident(ident) = pattern
            && ident.subpat.is_none()
            && let Some(block) = self.blocks.last_mut()
        {
            block.push((ident.ident.to_string(), &init.expr));
        }
    }

    fn visit_expr(&mut self, expr: &'ast Expr) {
        if !matches!(expr, Expr::MethodCall(_) | Expr::Await(_) | Expr::Try(_)) {
            visit::visit_expr(self, expr);
            return;
        }
        let (links, base) = flatten(expr);
        if links.is_empty() {
            visit::visit_expr(self, expr);
            return;
        }
        self.chain(&links);
        self.visit_expr(base);
        for link in links {
            for argument in &link.args {
                self.visit_expr(argument);
            }
        }
    }
}

/// The method calls of a chain from its innermost to its outermost (looking through
/// `.await` and `?`), and the expression the chain starts from.
fn flatten(expr: &Expr) -> (Vec<&ExprMethodCall>, &Expr) {
    let mut links = Vec::new();
    let mut current = expr;
    loop {
        match current {
            Expr::MethodCall(call) => {
                links.push(call);
                current = &call.receiver;
            }
            Expr::Await(awaited) => current = &awaited.base,
            Expr::Try(tried) => current = &tried.expr,
            _ => break,
        }
    }
    links.reverse();
    (links, current)
}

/// The only argument of a method call.
fn single_argument(call: &ExprMethodCall) -> Option<&Expr> {
    let mut args = call.args.iter();
    match (args.next(), args.next()) {
        (Some(argument), None) => Some(argument),
        _ => None,
    }
}

impl<'ast> Analyser<'ast, '_> {
    /// Record the usages of one chain (`links` from the innermost call), and the Regions
    /// its `.region(…)` calls give.
    fn chain(&mut self, links: &[&'ast ExprMethodCall]) {
        for link in links {
            if is_region_method(link)
                && let Client::Region(region) = self.region_site(link)
            {
                self.regions.push(region);
            }
        }
        for (i, link) in links.iter().enumerate() {
            let Some(api) = operation(&link.method.to_string()).filter(|_| link.args.is_empty())
            else {
                continue;
            };
            let mut origins = Vec::new();
            let mut params = Vec::new();
            for later in &links[i + 1..] {
                let method = later.method.to_string();
                if method == "send" || operation(&method).is_some() {
                    break;
                }
                let Some(argument) = single_argument(later) else {
                    continue;
                };
                match method.as_str() {
                    "model_id" | "set_model_id" => {
                        origins.extend(self.origins(argument, HOPS, MAX_DEPTH));
                    }
                    "inference_config" | "set_inference_config" => {
                        self.inference_params(argument, HOPS, MAX_DEPTH, &mut params);
                    }
                    "additional_model_request_fields" | "set_additional_model_request_fields" => {
                        if let Some(range) = self.range(later.method.span()) {
                            params.push(additional_fields(range));
                        }
                    }
                    "body" | "set_body"
                        if matches!(api, Api::InvokeModel | Api::InvokeModelStream) =>
                    {
                        self.body_params(argument, HOPS, MAX_DEPTH, &mut params);
                    }
                    _ => {}
                }
            }
            if origins.is_empty() {
                continue;
            }
            let Some(outermost) = links.last() else {
                continue;
            };
            let Some(call) = self.range(outermost.span()) else {
                continue;
            };
            let client = self.client_of(&link.receiver, CLIENT_HOPS, MAX_DEPTH);
            self.found.push(origins, api, &call, &params, &client);
        }
    }

    /// The byte range in the file of a span, if it lies inside the file.
    fn range(&self, span: proc_macro2::Span) -> Option<Range<usize>> {
        let mut positions = self.positions.borrow_mut();
        let start = positions.byte(span.start())?.checked_add(self.offset)?;
        let end = positions.byte(span.end())?.checked_add(self.offset)?;
        (start <= end && end <= self.source.len()).then_some(start..end)
    }

    /// The contents range of a string literal token at `span` (the extractor's span).
    fn literal_range(&self, span: proc_macro2::Span) -> Option<Range<usize>> {
        let token = self.range(span)?;
        let contents = string_contents(self.source.get(token.clone())?)?;
        Some(token.start + contents.start..token.start + contents.end)
    }

    /// The values a name may have where it is used: the latest `let` of the innermost
    /// block that binds it, else every `const`/`static` of that name. A path of several
    /// segments (`Self::MODEL`, `models::MODEL`) only matches constants, by its last
    /// segment.
    fn resolve(&self, path: &syn::ExprPath) -> Option<(String, Vec<&'ast Expr>)> {
        if path.qself.is_some() {
            return None;
        }
        let last = path.path.segments.last()?;
        let name = last.ident.to_string();
        if path.path.segments.len() == 1 && path.path.leading_colon.is_none() {
            let local = self
                .blocks
                .iter()
                .rev()
                .find_map(|block| block.iter().rev().find(|(n, _)| *n == name));
            if let Some((_, value)) = local {
                return Some((name, vec![*value]));
            }
        }
        let values = self.constants.get(&name)?.clone();
        Some((name, values))
    }

    /// The name `path` followed one name further, with `hops` names left: [`Self::resolve`],
    /// and the hops left after this one; `None` when no hops are left or nothing is bound.
    fn follow(
        &self,
        path: &syn::ExprPath,
        hops: usize,
    ) -> Option<(String, Vec<&'ast Expr>, usize)> {
        let hops = hops.checked_sub(1)?;
        let (name, values) = self.resolve(path)?;
        Some((name, values, hops))
    }

    /// The string literals whose value `expr` may have.
    fn origins(&self, expr: &'ast Expr, hops: usize, depth: usize) -> Vec<Origin> {
        let Some(depth) = depth.checked_sub(1) else {
            return Vec::new();
        };
        match expr {
            Expr::Lit(literal) => match &literal.lit {
                Lit::Str(string) => self
                    .literal_range(string.span())
                    .map(|literal| Origin { literal, via: None })
                    .into_iter()
                    .collect(),
                _ => Vec::new(),
            },
            Expr::Reference(reference) => self.origins(&reference.expr, hops, depth),
            Expr::Paren(paren) => self.origins(&paren.expr, hops, depth),
            Expr::Group(group) => self.origins(&group.expr, hops, depth),
            Expr::MethodCall(call) => {
                let method = call.method.to_string();
                match (method.as_str(), single_argument(call)) {
                    ("to_string" | "to_owned" | "into" | "as_str" | "clone" | "as_ref", None)
                        if call.args.is_empty() =>
                    {
                        self.origins(&call.receiver, hops, depth)
                    }
                    ("unwrap_or", Some(fallback)) => self.origins(fallback, hops, depth),
                    ("unwrap_or_else", Some(Expr::Closure(closure))) => {
                        self.origins(&closure.body, hops, depth)
                    }
                    _ => Vec::new(),
                }
            }
            Expr::Call(call) => {
                let Expr::Path(function) = &*call.func else {
                    return Vec::new();
                };
                let last = function.path.segments.last().map(|s| s.ident.to_string());
                match (last.as_deref(), call.args.len()) {
                    (Some("from" | "Some"), 1) => call
                        .args
                        .first()
                        .map(|argument| self.origins(argument, hops, depth))
                        .unwrap_or_default(),
                    _ => Vec::new(),
                }
            }
            Expr::Block(block) => self.block_origins(&block.block, hops, depth),
            Expr::If(branch) => {
                let mut origins = self.block_origins(&branch.then_branch, hops, depth);
                if let Some((_, otherwise)) = &branch.else_branch {
                    origins.extend(self.origins(otherwise, hops, depth));
                }
                origins
            }
            Expr::Match(matching) => matching
                .arms
                .iter()
                .flat_map(|arm| self.origins(&arm.body, hops, depth))
                .collect(),
            Expr::Path(path) => {
                let Some((name, values, hops)) = self.follow(path, hops) else {
                    return Vec::new();
                };
                values
                    .into_iter()
                    .flat_map(|value| self.origins(value, hops, depth))
                    .map(|origin| origin.through(&name))
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// The origins of a block's value (its trailing expression).
    fn block_origins(&self, block: &'ast syn::Block, hops: usize, depth: usize) -> Vec<Origin> {
        match block.stmts.last() {
            Some(Stmt::Expr(value, None)) => self.origins(value, hops, depth),
            _ => Vec::new(),
        }
    }

    /// `temperature`, `top_p`, `top_k` (and their `set_` forms) called on an
    /// `InferenceConfiguration` builder in `expr`.
    fn inference_params(
        &self,
        expr: &'ast Expr,
        hops: usize,
        depth: usize,
        params: &mut Vec<Param>,
    ) {
        let Some(depth) = depth.checked_sub(1) else {
            return;
        };
        match expr {
            Expr::MethodCall(_) | Expr::Await(_) | Expr::Try(_) => {
                let (links, base) = flatten(expr);
                for link in links {
                    let method = link.method.to_string();
                    let name = method.strip_prefix("set_").unwrap_or(&method);
                    if let Some(range) = self.range(link.method.span())
                        && let Some(param) = sampling(name, range)
                    {
                        params.push(param);
                    }
                }
                if !matches!(base, Expr::MethodCall(_) | Expr::Await(_) | Expr::Try(_)) {
                    self.inference_params(base, hops, depth, params);
                }
            }
            Expr::Call(call) => {
                // `Some(config)`.
                for argument in &call.args {
                    self.inference_params(argument, hops, depth, params);
                }
            }
            Expr::Reference(reference) => {
                self.inference_params(&reference.expr, hops, depth, params)
            }
            Expr::Paren(paren) => self.inference_params(&paren.expr, hops, depth, params),
            Expr::Path(path) => {
                if let Some((_, values, hops)) = self.follow(path, hops) {
                    for value in values {
                        self.inference_params(value, hops, depth, params);
                    }
                }
            }
            _ => {}
        }
    }

    /// The sampling keys of the `json!` macros in an InvokeModel body expression.
    fn body_params(&self, expr: &'ast Expr, hops: usize, depth: usize, params: &mut Vec<Param>) {
        let Some(depth) = depth.checked_sub(1) else {
            return;
        };
        match expr {
            Expr::Macro(mac)
                if mac
                    .mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|segment| segment.ident == "json") =>
            {
                self.json_keys(mac.mac.tokens.clone(), params);
            }
            Expr::MethodCall(call) => {
                self.body_params(&call.receiver, hops, depth, params);
                for argument in &call.args {
                    self.body_params(argument, hops, depth, params);
                }
            }
            Expr::Call(call) => {
                for argument in &call.args {
                    self.body_params(argument, hops, depth, params);
                }
            }
            Expr::Reference(reference) => self.body_params(&reference.expr, hops, depth, params),
            Expr::Paren(paren) => self.body_params(&paren.expr, hops, depth, params),
            Expr::Try(tried) => self.body_params(&tried.expr, hops, depth, params),
            Expr::Await(awaited) => self.body_params(&awaited.base, hops, depth, params),
            Expr::Path(path) => {
                if let Some((_, values, hops)) = self.follow(path, hops) {
                    for value in values {
                        self.body_params(value, hops, depth, params);
                    }
                }
            }
            _ => {}
        }
    }

    /// The sampling keys written as `"key":` in the tokens of a `json!` macro, at most
    /// `BODY_DEPTH` levels of braces deep.
    fn json_keys(&self, tokens: TokenStream, params: &mut Vec<Param>) {
        let mut stack = vec![tokens.into_iter().peekable()];
        while let Some(top) = stack.last_mut() {
            match top.next() {
                Some(TokenTree::Group(group)) => {
                    if stack.len() <= BODY_DEPTH + 1 && group.delimiter() != Delimiter::None {
                        stack.push(group.stream().into_iter().peekable());
                    }
                }
                Some(TokenTree::Literal(literal)) => {
                    let is_key = matches!(
                        top.peek(),
                        Some(TokenTree::Punct(colon))
                            if colon.as_char() == ':' && colon.spacing() == Spacing::Alone
                    );
                    if is_key
                        && let Some(range) = self.literal_range(literal.span())
                        && let Some(name) = self.source.get(range.clone())
                        && let Some(param) = sampling(name, range)
                    {
                        params.push(param);
                    }
                }
                Some(_) => {}
                None => {
                    stack.pop();
                }
            }
        }
    }
}

/// Whether `link` is `.region(x)` or `.set_region(x)`: a config loader or builder given a
/// Region.
fn is_region_method(link: &ExprMethodCall) -> bool {
    link.args.len() == 1 && (link.method == "region" || link.method == "set_region")
}

/// A Region literal a Region expression may have, and the innermost name it went through
/// (with the expression that name is bound to).
type RegionLiteral<'ast> = (Range<usize>, Option<(String, &'ast Expr)>);

/// The client Region of a call: the `.region(…)` of the config loader or builder the client
/// is made from, found in the file through `let` bindings.
impl<'ast> Analyser<'ast, '_> {
    /// The client that the receiver `expr` of an operation is.
    fn client_of(&self, expr: &'ast Expr, hops: usize, depth: usize) -> Client {
        let Some(depth) = depth.checked_sub(1) else {
            return Client::Unknown;
        };
        match expr {
            Expr::Reference(reference) => self.client_of(&reference.expr, hops, depth),
            Expr::Paren(paren) => self.client_of(&paren.expr, hops, depth),
            Expr::Group(group) => self.client_of(&group.expr, hops, depth),
            Expr::MethodCall(_) | Expr::Await(_) | Expr::Try(_) => {
                let (links, base) = flatten(expr);
                // The last `.region(…)` of a builder wins.
                match links.iter().rev().find(|link| is_region_method(link)) {
                    Some(link) => self.region_site(link),
                    None => self.client_of(base, hops, depth),
                }
            }
            Expr::Call(call) => {
                let Expr::Path(function) = &*call.func else {
                    return Client::Unknown;
                };
                let last = function.path.segments.last().map(|s| s.ident.to_string());
                match last.as_deref() {
                    // `Client::new(&config)`, `Client::from_conf(conf)`,
                    // `config::Builder::from(&sdk_config)`.
                    Some("new" | "from_conf" | "from") => {
                        call.args.first().map_or(Client::Unknown, |config| {
                            self.client_of(config, hops, depth)
                        })
                    }
                    // `aws_config::load_from_env()`, `defaults(…)`, `from_env()`,
                    // `Config::builder()` without a `.region(…)`: the default Region.
                    Some(
                        "load_from_env" | "load_defaults" | "defaults" | "from_env" | "builder",
                    ) => Client::NoRegion,
                    _ => Client::Unknown,
                }
            }
            Expr::Path(path) => {
                let Some((_, values, hops)) = self.follow(path, hops) else {
                    return Client::Unknown;
                };
                Client::combine(
                    values
                        .into_iter()
                        .map(|value| self.client_of(value, hops, depth)),
                )
            }
            _ => Client::Unknown,
        }
    }

    /// The Region a `.region(x)` call gives.
    fn region_site(&self, link: &'ast ExprMethodCall) -> Client {
        let Some(argument) = single_argument(link) else {
            return Client::NoRegion;
        };
        let Some(text) = self.text(argument.span()) else {
            return Client::NoRegion;
        };
        let bare = match argument {
            Expr::Lit(_) => true,
            Expr::Path(path) => path.path.segments.len() == 1,
            _ => false,
        };
        let written = match bare {
            true => format!(".{}({text})", link.method),
            false => text.to_owned(),
        };
        let literals = self.region_literals(argument, HOPS, MAX_DEPTH);
        common::client_region(
            self.source,
            literals.iter().map(|(literal, _)| literal.clone()),
            |literal| {
                let binding = literals
                    .iter()
                    .find(|(other, _)| other == literal)
                    .and_then(|(_, via)| via.as_ref())
                    .and_then(|(name, value)| {
                        Some(format!("{name} = {}", self.text(value.span())?))
                    });
                common::how(&written, binding.as_deref())
            },
        )
    }

    /// The text of the file at `span`.
    fn text(&self, span: proc_macro2::Span) -> Option<&str> {
        self.source.get(self.range(span)?)
    }

    /// The string literals a Region expression may have: a literal, `Region::new(…)`,
    /// `Region::from_static(…)`, `Some(…)`, `String::from(…)`, the first provider of a
    /// `RegionProviderChain` that has one (`first_try(…)`, then `.or_else(…)`), the fallback of
    /// `.unwrap_or(…)` / `.unwrap_or_else(|…| …)` (after `std::env::var`), `if`/`match`
    /// branches, and names.
    fn region_literals(
        &self,
        expr: &'ast Expr,
        hops: usize,
        depth: usize,
    ) -> Vec<RegionLiteral<'ast>> {
        let Some(depth) = depth.checked_sub(1) else {
            return Vec::new();
        };
        match expr {
            Expr::Lit(literal) => match &literal.lit {
                Lit::Str(string) => self
                    .literal_range(string.span())
                    .map(|range| (range, None))
                    .into_iter()
                    .collect(),
                _ => Vec::new(),
            },
            Expr::Reference(reference) => self.region_literals(&reference.expr, hops, depth),
            Expr::Paren(paren) => self.region_literals(&paren.expr, hops, depth),
            Expr::Group(group) => self.region_literals(&group.expr, hops, depth),
            Expr::Call(call) => {
                let Expr::Path(function) = &*call.func else {
                    return Vec::new();
                };
                let last = function.path.segments.last().map(|s| s.ident.to_string());
                match (last.as_deref(), call.args.len()) {
                    (Some("new" | "from_static" | "Some" | "from" | "first_try"), 1) => call
                        .args
                        .first()
                        .map(|argument| self.region_literals(argument, hops, depth))
                        .unwrap_or_default(),
                    _ => Vec::new(),
                }
            }
            Expr::MethodCall(_) | Expr::Await(_) | Expr::Try(_) => {
                let (links, base) = flatten(expr);
                let mut candidates: Vec<&'ast Expr> = vec![base];
                for link in links {
                    match (link.method.to_string().as_str(), single_argument(link)) {
                        ("or_else" | "unwrap_or_else", Some(Expr::Closure(closure))) => {
                            candidates.push(&closure.body);
                        }
                        ("or_else" | "unwrap_or" | "or", Some(fallback)) => {
                            candidates.push(fallback)
                        }
                        _ => {}
                    }
                }
                candidates
                    .into_iter()
                    .map(|candidate| self.region_literals(candidate, hops, depth))
                    .find(|literals| !literals.is_empty())
                    .unwrap_or_default()
            }
            Expr::Block(block) => self.block_region_literals(&block.block, hops, depth),
            Expr::If(branch) => {
                let mut literals = self.block_region_literals(&branch.then_branch, hops, depth);
                if let Some((_, otherwise)) = &branch.else_branch {
                    literals.extend(self.region_literals(otherwise, hops, depth));
                }
                literals
            }
            Expr::Match(matching) => matching
                .arms
                .iter()
                .flat_map(|arm| self.region_literals(&arm.body, hops, depth))
                .collect(),
            Expr::Path(path) => {
                let Some((name, values, hops)) = self.follow(path, hops) else {
                    return Vec::new();
                };
                let mut literals = Vec::new();
                for value in values {
                    for (range, via) in self.region_literals(value, hops, depth) {
                        literals.push((range, via.or_else(|| Some((name.clone(), value)))));
                    }
                }
                literals
            }
            _ => Vec::new(),
        }
    }

    /// The Region literals of a block's value (its trailing expression).
    fn block_region_literals(
        &self,
        block: &'ast syn::Block,
        hops: usize,
        depth: usize,
    ) -> Vec<RegionLiteral<'ast>> {
        match block.stmts.last() {
            Some(Stmt::Expr(value, None)) => self.region_literals(value, hops, depth),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::common::test_support::{checked, literal, owned, params, regions};
    use super::*;
    use crate::extract::{Language, extract};

    const SONNET_35: &str = "anthropic.claude-3-5-sonnet-20240620-v1:0";

    /// The usages of `source`, after checking that every literal range is exactly the
    /// extractor's span of a code literal and that every range lies in the file.
    fn usages(source: &str) -> Vec<Usage> {
        let extraction = extract(Language::Rust, source);
        assert_eq!(extraction.syntax_error, None, "{source}");
        checked(source, &extraction, analyze(source))
    }

    /// The only usage of `source`.
    fn one(source: &str) -> Usage {
        let mut all = usages(source);
        assert_eq!(all.len(), 1, "{source}\n{all:#?}");
        all.remove(0)
    }

    /// `body` inside an async function.
    fn in_fn(body: &str) -> String {
        format!("async fn run(client: &Client) -> Result<(), Error> {{\n{body}\n    Ok(())\n}}\n")
    }

    #[test]
    fn every_listed_pattern_is_recognised() {
        let table: Vec<(String, Api)> = vec![
            (
                in_fn("    let r = client.converse().model_id(\"M\").messages(m).send().await?;"),
                Api::Converse,
            ),
            (
                in_fn("    let r = client.converse_stream().model_id(\"M\").send().await?;"),
                Api::ConverseStream,
            ),
            (
                in_fn(
                    "    let r = client.invoke_model().model_id(\"M\").body(Blob::new(b)).send().await?;",
                ),
                Api::InvokeModel,
            ),
            (
                in_fn(
                    "    let r = client.invoke_model_with_response_stream().body(b).model_id(\"M\").send().await?;",
                ),
                Api::InvokeModelStream,
            ),
            // A const, a static, a local `let`, anywhere after the operation.
            (
                format!(
                    "const MODEL_ID: &str = \"M\";\n{}",
                    in_fn("    client.converse().messages(m).model_id(MODEL_ID).send().await?;")
                ),
                Api::Converse,
            ),
            (
                format!(
                    "static MODEL: &str = \"M\";\n{}",
                    in_fn("    client.converse_stream().model_id(MODEL).send().await?;")
                ),
                Api::ConverseStream,
            ),
            (
                in_fn(
                    "    let model = \"M\";\n    client.invoke_model().model_id(model).send().await?;",
                ),
                Api::InvokeModel,
            ),
            (
                in_fn(
                    "    let model: String = \"M\".to_string();\n    client.converse().model_id(&model).send().await?;",
                ),
                Api::Converse,
            ),
            (
                in_fn("    client.converse().set_model_id(Some(\"M\".into())).send().await?;"),
                Api::Converse,
            ),
            (
                in_fn("    client.converse().model_id(String::from(r#\"M\"#)).send().await?;"),
                Api::Converse,
            ),
            (
                format!(
                    "struct Bot;\nimpl Bot {{\n    const MODEL: &'static str = \"M\";\n}}\n{}",
                    in_fn("    client.converse().model_id(Bot::MODEL).send().await?;")
                ),
                Api::Converse,
            ),
        ];
        for (snippet, api) in &table {
            let usage = one(snippet);
            assert_eq!(usage.api, *api, "{snippet}");
            assert_eq!(literal(snippet, &usage), "M", "{snippet}");
        }
    }

    /// The client Region of the only usage of `source`, as (Region, how), after checking
    /// that its range is the Region literal's contents.
    fn region(source: &str) -> Option<(String, String)> {
        let usage = one(source);
        let region = usage.region?;
        assert_eq!(&source[region.range.clone()], region.region, "{source}");
        assert_eq!(&source[region.range.start - 1..region.range.start], "\"");
        assert_eq!(&source[region.range.end..region.range.end + 1], "\"");
        Some((region.region, region.how))
    }

    /// A config loaded with `loader` (an expression), a client made from it and a Converse
    /// call, inside a function.
    fn loaded(loader: &str) -> String {
        in_fn(&format!(
            "    let config = {loader};\n    let client = Client::new(&config);\n    client.converse().model_id(\"M\").send().await?;"
        ))
    }

    #[test]
    fn every_listed_client_region_is_recognised() {
        let table: Vec<(String, &str, &str)> = vec![
            (
                loaded(
                    "aws_config::defaults(BehaviorVersion::latest())\n        .region(Region::new(\"eu-west-1\"))\n        .load()\n        .await",
                ),
                "eu-west-1",
                "Region::new(\"eu-west-1\")",
            ),
            (
                loaded("aws_config::from_env().region(\"us-east-1\").load().await"),
                "us-east-1",
                ".region(\"us-east-1\")",
            ),
            (
                loaded(
                    "aws_config::defaults(BehaviorVersion::latest()).region(Region::from_static(\"ap-northeast-1\")).load().await",
                ),
                "ap-northeast-1",
                "Region::from_static(\"ap-northeast-1\")",
            ),
            (
                loaded(
                    "aws_config::defaults(BehaviorVersion::latest()).region(Region::new(std::env::var(\"AWS_REGION\").unwrap_or_else(|_| \"us-east-2\".to_string()))).load().await",
                ),
                "us-east-2",
                "Region::new(std::env::var(\"AWS_REGION\").unwrap_or_else(|_| \"us-east-2\".to_string()))",
            ),
            // A const, a `RegionProviderChain` with a literal fallback.
            (
                format!(
                    "const REGION: &str = \"eu-central-1\";\n{}",
                    loaded(
                        "aws_config::defaults(BehaviorVersion::latest()).region(Region::new(REGION)).load().await"
                    )
                ),
                "eu-central-1",
                "Region::new(REGION) with REGION = \"eu-central-1\"",
            ),
            (
                format!(
                    "const CLAUDE_REGION: &str = \"us-east-1\";\n{}",
                    loaded(
                        "aws_config::defaults(BehaviorVersion::latest()).region(CLAUDE_REGION).load().await"
                    )
                ),
                "us-east-1",
                ".region(CLAUDE_REGION) with CLAUDE_REGION = \"us-east-1\"",
            ),
            (
                in_fn(
                    "    let region_provider = RegionProviderChain::default_provider().or_else(\"us-west-2\");\n    let config = aws_config::from_env().region(region_provider).load().await;\n    let client = aws_sdk_bedrockruntime::Client::new(&config);\n    client.converse().model_id(\"M\").send().await?;",
                ),
                "us-west-2",
                ".region(region_provider) with region_provider = RegionProviderChain::default_provider().or_else(\"us-west-2\")",
            ),
            (
                loaded(
                    "aws_config::from_env().region(RegionProviderChain::first_try(Region::new(\"eu-west-2\")).or_default_provider()).load().await",
                ),
                "eu-west-2",
                "RegionProviderChain::first_try(Region::new(\"eu-west-2\")).or_default_provider()",
            ),
            // The service's own config builder, `set_region`.
            (
                in_fn(
                    "    let sdk_config = aws_config::load_defaults(BehaviorVersion::latest()).await;\n    let conf = aws_sdk_bedrockruntime::config::Builder::from(&sdk_config)\n        .region(Region::new(\"eu-north-1\"))\n        .build();\n    let client = Client::from_conf(conf);\n    client.invoke_model().model_id(\"M\").send().await?;",
                ),
                "eu-north-1",
                "Region::new(\"eu-north-1\")",
            ),
            (
                loaded(
                    "SdkConfig::builder().set_region(Some(Region::new(\"sa-east-1\"))).build()",
                ),
                "sa-east-1",
                "Some(Region::new(\"sa-east-1\"))",
            ),
            // The client made inline.
            (
                in_fn(
                    "    Client::new(&aws_config::defaults(BehaviorVersion::latest()).region(Region::new(\"ap-south-1\")).load().await)\n        .converse_stream()\n        .model_id(\"M\")\n        .send()\n        .await?;",
                ),
                "ap-south-1",
                "Region::new(\"ap-south-1\")",
            ),
            // The client is a parameter or a field: the file's only client Region.
            (
                format!(
                    "async fn make() -> Client {{\n    let config = aws_config::defaults(BehaviorVersion::latest()).region(Region::new(\"eu-west-1\")).load().await;\n    Client::new(&config)\n}}\n{}",
                    in_fn("    client.converse().model_id(\"M\").send().await?;")
                ),
                "eu-west-1",
                "Region::new(\"eu-west-1\")",
            ),
            (
                format!(
                    "impl Bot {{\n    async fn ask(&self) -> Result<(), Error> {{\n        self.client.converse().model_id(\"M\").send().await?;\n        Ok(())\n    }}\n}}\n{}",
                    loaded(
                        "aws_config::defaults(BehaviorVersion::latest()).region(Region::new(\"eu-west-1\")).load().await"
                    )
                    .replace("client.converse().model_id(\"M\").send().await?;", "")
                ),
                "eu-west-1",
                "Region::new(\"eu-west-1\")",
            ),
        ];
        for (snippet, expected_region, expected_how) in &table {
            assert_eq!(
                region(snippet),
                Some(((*expected_region).to_owned(), (*expected_how).to_owned())),
                "{snippet}"
            );
        }
    }

    #[test]
    fn the_receiver_chooses_among_several_client_regions() {
        let source = in_fn(
            "    let us = Client::new(&aws_config::defaults(BehaviorVersion::latest()).region(Region::new(\"us-east-1\")).load().await);\n    let eu_config = aws_config::defaults(BehaviorVersion::latest()).region(Region::new(\"eu-west-1\")).load().await;\n    let eu = Client::new(&eu_config);\n    us.converse().model_id(\"a-v1\").send().await?;\n    eu.converse().model_id(\"b-v1\").send().await?;",
        );
        let all = usages(&source);
        let found = regions(&source, &all);
        assert_eq!(
            found,
            [("a-v1", Some("us-east-1")), ("b-v1", Some("eu-west-1"))]
        );
        let start = source.find("eu-west-1").unwrap();
        assert_eq!(all[1].region.as_ref().unwrap().range, start..start + 9);
    }

    #[test]
    fn client_regions_that_are_not_literals_or_are_ambiguous_give_none() {
        let sources = [
            // Environment lookups without a default, a parameter, a string that is no Region.
            loaded(
                "aws_config::defaults(BehaviorVersion::latest()).region(Region::new(std::env::var(\"AWS_REGION\")?)).load().await",
            ),
            loaded(
                "aws_config::defaults(BehaviorVersion::latest()).region(Region::new(region)).load().await",
            ),
            loaded(
                "aws_config::defaults(BehaviorVersion::latest()).region(Region::new(\"local\")).load().await",
            ),
            // The client's config is in the file without a Region: the default applies,
            // whatever other configs say.
            format!(
                "async fn other() {{\n    let eu = aws_config::defaults(BehaviorVersion::latest()).region(Region::new(\"eu-west-1\")).load().await;\n}}\n{}",
                loaded("aws_config::load_defaults(BehaviorVersion::latest()).await")
            ),
            // Two configs with different Regions, the receiver unknown.
            format!(
                "async fn configs() {{\n    let us = aws_config::defaults(BehaviorVersion::latest()).region(Region::new(\"us-east-1\")).load().await;\n    let eu = aws_config::defaults(BehaviorVersion::latest()).region(Region::new(\"eu-west-1\")).load().await;\n}}\n{}",
                in_fn("    client.converse().model_id(\"M\").send().await?;")
            ),
            // No config anywhere.
            in_fn("    client.converse().model_id(\"M\").send().await?;"),
        ];
        for source in &sources {
            assert_eq!(region(source), None, "{source}");
        }
    }

    #[test]
    fn direct_literal_range_and_call_range() {
        let source = in_fn(&format!(
            "    let response = client\n        .converse()\n        .model_id(\"{SONNET_35}\")\n        .messages(message)\n        .send()\n        .await?;"
        ));
        let usage = one(&source);
        let start = source.find(SONNET_35).unwrap();
        assert_eq!(usage.literal, start..start + SONNET_35.len());
        let call = &source[usage.call.clone()];
        assert!(call.starts_with("client\n        .converse()"), "{call}");
        assert!(call.ends_with(".send()"), "{call}");
        assert_eq!(usage.via, None);
    }

    #[test]
    fn one_hop_through_a_const_and_shadowing() {
        let source = format!(
            "const CHAT_MODEL: &str = \"{SONNET_35}\";\n\n{}",
            in_fn("    client.converse().model_id(CHAT_MODEL).send().await?;")
        );
        let usage = one(&source);
        assert_eq!(literal(&source, &usage), SONNET_35);
        assert_eq!(usage.via.as_deref(), Some("CHAT_MODEL"));

        // The latest `let` wins; a `let` after the call does not count.
        let source = in_fn(
            "    let m = \"old-v1\";\n    let m = \"new-v1\";\n    client.converse().model_id(m).send().await?;\n    let m = \"later-v1\";",
        );
        let usage = one(&source);
        assert_eq!(literal(&source, &usage), "new-v1");
        assert_eq!(usage.via.as_deref(), Some("m"));
    }

    #[test]
    fn environment_fallback_and_branches() {
        let source = in_fn(
            "    let model = std::env::var(\"MODEL_ID\").unwrap_or_else(|_| \"a-v1\".to_string());\n    client.converse().model_id(model).send().await?;\n    let other = if prod { \"b-v1\" } else { \"c-v1\" };\n    client.converse().model_id(other).send().await?;",
        );
        let found: Vec<&str> = usages(&source)
            .iter()
            .map(|u| literal(&source, u))
            .collect();
        assert_eq!(found, ["a-v1", "b-v1", "c-v1"]);
    }

    #[test]
    fn a_literal_used_twice_gives_two_usages() {
        let source = format!(
            "const M: &str = \"a-v1\";\n{}",
            in_fn(
                "    client.converse().model_id(M).send().await?;\n    client.invoke_model().model_id(M).send().await?;"
            )
        );
        let all = usages(&source);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].literal, all[1].literal);
        assert_eq!(
            all.iter().map(|u| u.api).collect::<Vec<_>>(),
            [Api::Converse, Api::InvokeModel]
        );
    }

    #[test]
    fn literals_not_at_a_call_give_no_usage() {
        let source = format!(
            "const UNUSED: &str = \"{SONNET_35}\";\nconst MODELS: [&str; 1] = [\"{SONNET_35}\"];\n{}",
            in_fn(&format!(
                "    println!(\"{SONNET_35}\");\n    let x = \"{SONNET_35}\";\n    other.model_id(\"{SONNET_35}\");\n    client.list_foundation_models().model_id(\"{SONNET_35}\").send().await?;\n    client.converse().send().await?.model_id(\"{SONNET_35}\");\n    // client.converse().model_id(\"{SONNET_35}\")"
            ))
        );
        assert_eq!(usages(&source), []);
    }

    #[test]
    fn inference_config_and_additional_fields() {
        let source = in_fn(
            "    let config = InferenceConfiguration::builder()\n        .max_tokens(512)\n        .temperature(0.2)\n        .top_p(0.9)\n        .build();\n    client\n        .converse()\n        .model_id(\"a-v1\")\n        .inference_config(config)\n        .additional_model_request_fields(Document::Object(fields))\n        .send()\n        .await?;",
        );
        let usage = one(&source);
        assert_eq!(
            params(&source, &usage),
            owned(&[
                ("temperature", "temperature"),
                ("top_p", "top_p"),
                (
                    "additional_model_request_fields",
                    "additional_model_request_fields"
                ),
            ])
        );
        let start = source.find("temperature").unwrap();
        assert_eq!(usage.params[0].range, start..start + "temperature".len());

        let source = in_fn(
            "    client.converse_stream().model_id(\"a-v1\").inference_config(InferenceConfiguration::builder().set_temperature(Some(0.5)).build()).send().await?;",
        );
        assert_eq!(
            params(&source, &one(&source)),
            owned(&[("temperature", "set_temperature")])
        );
    }

    #[test]
    fn invoke_model_json_body_keys() {
        let source = in_fn(
            "    let body = json!({\n        \"inputText\": prompt,\n        \"textGenerationConfig\": { \"temperature\": 0.2, \"topP\": 0.9, \"maxTokenCount\": 512 }\n    });\n    let response = client\n        .invoke_model()\n        .model_id(\"amazon.titan-text-express-v1\")\n        .content_type(\"application/json\")\n        .body(Blob::new(serde_json::to_vec(&body)?))\n        .send()\n        .await?;",
        );
        let usage = one(&source);
        assert_eq!(usage.api, Api::InvokeModel);
        assert_eq!(
            params(&source, &usage),
            owned(&[("temperature", "temperature"), ("top_p", "topP")])
        );
        let source = in_fn(
            "    client.invoke_model_with_response_stream().model_id(\"a-v1\").body(Blob::new(serde_json::json!({\"temperature\": 1, \"top_k\": 5, \"messages\": [{\"role\": \"user\"}]}).to_string())).send().await?;",
        );
        assert_eq!(
            params(&source, &one(&source)),
            owned(&[("temperature", "temperature"), ("top_k", "top_k")])
        );
    }

    #[test]
    fn shebang_and_non_ascii_offsets() {
        let source = format!(
            "#!/usr/bin/env run-cargo-script\n// é ü 日本\n{}",
            in_fn("    let m = \"ünïcode-v1\"; client.converse().model_id(m).send().await?;")
        );
        let usage = one(&source);
        assert_eq!(literal(&source, &usage), "ünïcode-v1");
    }

    #[test]
    fn bad_input_never_panics() {
        for source in [
            "",
            "fn main() { client.converse().model_id(\"a\"",
            "fn main() { client.converse().model_id(\"a\") }}",
            "\"unterminated",
            "fn f() { let = ; }",
        ] {
            assert_eq!(analyze(source), []);
        }
        let deep = format!(
            "fn f() {{ client.converse().model_id({}\"a\"{}).send(); }}",
            "(".repeat(600),
            ")".repeat(600)
        );
        assert_eq!(analyze(&deep), []);
        let chain = format!(
            "fn f() {{ client.converse().model_id(\"a\"){}.send(); }}",
            ".x()".repeat(2000)
        );
        let _ = analyze(&chain);
        // Deeply nested clients and long Region provider chains: bounded too.
        let clients = format!(
            "fn f() {{ {}config{}.converse().model_id(\"a\").send(); }}",
            "Client::new(&".repeat(200),
            ")".repeat(200)
        );
        let _ = analyze(&clients);
        let providers = format!(
            "fn f() {{ let c = from_env().region(RegionProviderChain::default_provider(){}).load(); Client::new(&c).converse().model_id(\"a\").send(); }}",
            ".or_else(\"us-east-1\")".repeat(2000)
        );
        let _ = analyze(&providers);
    }
}
