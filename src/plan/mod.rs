//! Plan: from a file's text to its findings and fixes.
//!
//! For each span the extractor returns, the grammar finds model references; each reference is
//! looked up in the rules table, its state computed for the as-of date, its replacement chain
//! resolved, and the rewrite rendered in the form of the original (ARN, geo prefix, encoding).
//! The safety class: same request-body family in code is safe, whoever recommends the
//! replacement (provenance is shown, not judged); a body-family change, a comment, docstring
//! or prose is review; embeddings, provisioned-throughput variants, mantle-only IDs and IDs
//! that an interpolation continues are never rewritten by text. How a rewrite is classified
//! lives in `plan/safety.rs`; mapping keys, storage paths and templates (an interpolation before
//! the ID) are review, in `keys.rs`, `paths.rs` and `templates.rs`.

use std::ops::Range;

use chrono::NaiveDate;

pub mod candidate;
mod keys;
mod paths;
mod safety;
pub mod snapshots;
mod templates;

use crate::callsite::{self, Usage};
use crate::extract::{self, Language, Span, SpanContext, SyntaxError};
use crate::finding::{CallSite, Edit, Finding, FindingState, Fix, ReplacementInfo, Safety};
use crate::model_ref::{ArnResource, ModelRef, geos_for_region, looks_like_model_id};
use crate::rules::lifecycle::{self, Scope, Status};
use crate::rules::resolve::Hop;
use crate::rules::{Endpoint, Kind, Model, ResolveOptions, Rules, State};
pub(crate) use crate::text::LineIndex;
pub use crate::text::bom_len;

/// Everything that decides how references are judged and rewritten.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Date, Region and suggested-replacement settings.
    pub resolve: ResolveOptions,
    /// Geography prefix to add when a bare ID's replacement needs an inference profile.
    pub profile_prefix: Option<String>,
    /// Old geography prefix → new one, for replacements without a profile in the old
    /// geography (`apac` → `jp`).
    pub prefix_map: std::collections::BTreeMap<String, String>,
    /// Where `profile_prefix` came from, for messages (`--profile-prefix`, or
    /// `profile_prefix in .bedrock-migrate.toml`).
    pub profile_prefix_origin: Option<String>,
    /// The one Region the repository's own files name (`AWS_REGION` in `.env`, samconfig,
    /// serverless, Terraform provider, CDK env), used when nothing closer says where the code
    /// runs.
    pub repository_region: Option<RegionEvidence>,
    /// Models whose references get no fix in this run (`pr` holds back a model it could
    /// migrate only in part).
    pub hold: std::collections::BTreeSet<String>,
}

/// A Region and where it was read, for choosing a geography prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionEvidence {
    /// The Region (`eu-west-1`).
    pub region: String,
    /// Where it was read, as shown to users: `AWS_REGION=eu-west-1 in .env:3`.
    pub origin: String,
}

/// The geography prefix chosen for a replacement, a caution that makes the rewrite review,
/// and the evidence that chose the prefix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct GeoChoice {
    geo: Option<String>,
    caution: Option<String>,
    evidence: Option<String>,
}

/// Where the code that holds a reference runs, strongest evidence first, for a replacement
/// that needs an inference profile.
struct Whereabouts<'a> {
    /// `--region` (or the Region of the reference's ARN).
    region: Option<&'a str>,
    /// The Region of the client at the call the literal reaches.
    call_site: Option<&'a RegionEvidence>,
}

/// The findings of one file.
#[derive(Debug, Clone, Default)]
pub struct FilePlan {
    /// Findings in file order.
    pub findings: Vec<Finding>,
    /// Set when the file did not parse; its findings are then reported but never fixed,
    /// because a rewrite could not be verified by re-parsing.
    pub syntax_error: Option<SyntaxError>,
}

/// Find and judge every model reference in `source` (a whole file).
pub fn plan_file(
    source: &str,
    language: Language,
    rules: &Rules,
    options: &PlanOptions,
) -> FilePlan {
    if candidate::is_candidate(&source[bom_len(source)..], rules) {
        Analysis::confirmed(source, language, rules).plan(rules, options)
    } else {
        FilePlan::default()
    }
}

/// [`plan_file`] without the candidate check; when `focused`, the extractor is focused on
/// the provider prefixes of the file (the tests check that this, and the candidate check,
/// change nothing).
#[cfg(test)]
fn plan_file_in(
    source: &str,
    language: Language,
    rules: &Rules,
    options: &PlanOptions,
    focused: bool,
) -> FilePlan {
    Analysis::read(source, language, rules, focused).plan(rules, options)
}

/// A file read once: its spans and the calls its literals reach, ready to be judged under
/// any [`PlanOptions`]. The walker plans a file whose findings want the repository's Region
/// a second time, with that Region, without parsing it again.
pub struct Analysis<'s> {
    source: &'s str,
    /// Length of the byte-order mark, which every offset below is shifted by.
    offset: usize,
    extraction: extract::Extraction,
    usages: Vec<Usage>,
}

impl<'s> Analysis<'s> {
    /// Read a file the caller has confirmed with [`candidate::is_candidate`] (the walker
    /// does, to count the files it parses), focused on its provider prefixes.
    pub fn confirmed(source: &'s str, language: Language, rules: &Rules) -> Analysis<'s> {
        Analysis::read(source, language, rules, true)
    }

    fn read(source: &'s str, language: Language, rules: &Rules, focused: bool) -> Analysis<'s> {
        let offset = bom_len(source);
        let anchors = focused.then(|| rules.grammar().anchors(&source[offset..]));
        let focus = match &anchors {
            Some(anchors) => extract::Focus::Around(anchors),
            None => extract::Focus::Everything,
        };
        // The file is parsed once: the extractor's tree is handed to the call-site analyser.
        let document = extract::read_document(language, &source[offset..], focus);
        let usages: Vec<Usage> =
            callsite::analyze_in(language, &source[offset..], document.tree.as_ref())
                .into_iter()
                .map(|mut u| {
                    u.literal = u.literal.start + offset..u.literal.end + offset;
                    u.call = u.call.start + offset..u.call.end + offset;
                    for p in &mut u.params {
                        p.range = p.range.start + offset..p.range.end + offset;
                    }
                    if let Some(r) = &mut u.region {
                        r.range = r.range.start + offset..r.range.end + offset;
                    }
                    u
                })
                .collect();
        Analysis {
            source,
            offset,
            extraction: document.extraction,
            usages,
        }
    }

    /// Find and judge every model reference of the file under `options`.
    pub fn plan(&self, rules: &Rules, options: &PlanOptions) -> FilePlan {
        let (source, offset, usages) = (self.source, self.offset, &self.usages);
        let extraction = &self.extraction;
        let lines = LineIndex::new(source);
        let mut findings = Vec::new();
        let mut keys: Vec<keys::Key> = Vec::new();
        for span in &extraction.spans {
            let start = span.range.start + offset;
            let Some(text) = source.get(start..span.range.end + offset) else {
                continue;
            };
            // Relative to the span, and within it: in a tree recovered from a syntax error a
            // hole can start before its span (`"${${""$` in HCL, a heredoc body without its
            // opening line).
            let holes: Vec<Range<usize>> = span
                .holes
                .iter()
                .map(|h| {
                    let clip = |at: usize| (at + offset).clamp(start, start + text.len()) - start;
                    clip(h.start)..clip(h.end)
                })
                .filter(|h| !h.is_empty())
                .collect();
            let first = findings.len();
            let used: Vec<&Usage> = usages
                .iter()
                .filter(|u| u.literal == (start..start + text.len()))
                .collect();
            for r in rules.grammar().find_with_holes(text, &holes) {
                let context = Context {
                    span,
                    usages: &used,
                    lines: &lines,
                };
                if let Some(mut f) = judge(source, start, &r, &context, rules, options) {
                    paths::review_paths(&mut f, &r);
                    findings.push(f);
                }
            }
            if let Some(mapping) = &span.key {
                keys.push(keys::Key {
                    range: start..start + text.len(),
                    mapping: mapping.clone(),
                    findings: first..findings.len(),
                });
            }
        }
        keys::drop_colliding(source, &keys, &mut findings);
        keys::review_keys(&keys, &mut findings);
        drop_unsound_fixes(source, &mut findings);
        findings.sort_by_key(|f| f.range.start);
        // Spans of a recovered tree can overlap (a stray quote, a comment inside a broken
        // string): the same bytes are one reference, reported once.
        drop_overlapping(&mut findings);
        let syntax_error = extraction.syntax_error.clone();
        if let Some(e) = &syntax_error {
            for f in findings.iter_mut().filter(|f| f.fix.is_some()) {
                f.set_reason(format!(
                    "the file does not parse cleanly ({}:{}: {}), so this rewrite cannot be fully verified",
                    e.line, e.column, e.message
                ));
                f.make_review();
            }
        }
        FilePlan {
            findings,
            syntax_error,
        }
    }
}

/// Take the fix away from a finding whose edits could not be applied soundly (see
/// [`crate::finding::Edit::problem`]: an ID after a backslash, new text that is not an
/// ID): it is migrated by hand, and the reason says why; the reason the rewrite had
/// becomes the first note.
fn drop_unsound_fixes(source: &str, findings: &mut [Finding]) {
    for finding in findings {
        let problem = finding
            .fix
            .as_ref()
            .and_then(|fix| fix.edits.iter().find_map(|edit| edit.problem(source)));
        let Some(problem) = problem else {
            continue;
        };
        finding.drop_fix(format!("no automatic fix: {problem}; change it by hand"));
    }
}

/// One finding per reference, and no two findings over the same bytes (findings sorted by
/// start). In a tree recovered from a syntax error two spans can hold the same bytes (a
/// comment inside an unterminated string in Python, a string inside a broken template
/// literal in JavaScript), and in garbage the grammar can find references that overlap
/// (`anthropic.claude-arn:aws:bedrock::…`). A finding over exactly the bytes of the one
/// before it is the same reference read twice: the more cautious of the two is kept (no
/// fix, then review, then safe). A finding that overlaps the one before only in part is
/// dropped, and that one keeps no fix: which of the two is the reference cannot be told.
/// Either way no two fixes overlap, so no edit is lost when they are spliced.
fn drop_overlapping(findings: &mut Vec<Finding>) {
    fn caution(f: &Finding) -> u8 {
        match f.fix.as_ref().map(|fix| fix.safety) {
            None => 2,
            Some(Safety::Review) => 1,
            Some(Safety::Safe) => 0,
        }
    }
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    for finding in findings.drain(..) {
        match kept.last_mut() {
            Some(last) if finding.range == last.range => {
                if caution(&finding) > caution(last) {
                    *last = finding;
                }
            }
            Some(last) if finding.range.start < last.range.end => {
                if last.fix.is_some() {
                    last.drop_fix(format!(
                        "no automatic fix: it overlaps another possible reference (`{}`); change it by hand",
                        finding.original
                    ));
                }
            }
            _ => kept.push(finding),
        }
    }
    *findings = kept;
}

/// What the table says about a known model on the as-of date.
fn finding_state(state: State) -> FindingState {
    match state {
        State::Active => FindingState::Active,
        State::Legacy => FindingState::Legacy,
        State::Eol => FindingState::Eol,
        State::Unknown => FindingState::Unknown,
    }
}

/// Build the finding for one reference, or `None` when the text is not a reference
/// (a family prefix such as `anthropic.claude-3`, or a dotted name like `amazon.com`).
/// Where a reference was found: its span, the calls its literal reaches, the file's lines.
struct Context<'a> {
    span: &'a Span,
    usages: &'a [&'a Usage],
    lines: &'a LineIndex<'a>,
}

fn judge(
    source: &str,
    base: usize,
    r: &ModelRef,
    context: &Context,
    rules: &Rules,
    options: &PlanOptions,
) -> Option<Finding> {
    let (span, lines) = (context.span, context.lines);
    let alias = strip_client_alias(r, base, source, rules);
    let r = alias.as_ref().map_or(r, |(short, _)| short);
    let stripped = strip_file_extension(r, rules);
    let r = stripped.as_ref().unwrap_or(r);
    if rules.not_model(&r.id).is_some()
        || source[..r.range.start + base].ends_with("prompt-router/")
    {
        return None;
    }
    let range = r.range.start + base..r.range.end + base;
    let (line, column) = lines.line_col(range.start);
    let (end_line, end_column) = lines.line_col(range.end);
    let mut finding = Finding {
        original: source[range.clone()].to_string(),
        range,
        line,
        column,
        end_line,
        end_column,
        model_id: r.id.clone(),
        model_name: None,
        geo: r.geo.clone(),
        context: span.context,
        key: span.key_name.clone(),
        call: context.usages.first().map(|u| {
            let (line, column) = lines.line_col(u.call.start);
            CallSite {
                api: u.api,
                line,
                column,
                via: u.via.clone(),
            }
        }),
        state: FindingState::Unknown,
        lifecycle: "not in the rules table".into(),
        legacy_date: None,
        extended_access_date: None,
        eol_date: None,
        still_answers_in: Vec::new(),
        profile_evidence: None,
        replacement: None,
        safety: Some(Safety::Review),
        fix: None,
        reason: String::new(),
        notes: Vec::new(),
        sources: Vec::new(),
        applied: false,
        wants_region: false,
    };
    let Some(model) = rules.get(&r.id) else {
        if !r.split && rules.typo_of(&r.id).is_some() {
            finding.reason = unknown_reason(&r.id, rules);
            return Some(finding);
        }
        if r.split && (looks_like_model_id(&r.id) || rules.is_family_prefix(&r.id)) {
            finding.reason =
                "model ID assembled with an interpolation; check the full ID by hand".into();
            return Some(finding);
        }
        if rules.is_family_prefix(&r.id) {
            let full = rules.completion_after_colon(&r.id)?;
            finding.reason = format!("incomplete model ID; did you mean `{full}`?");
            return Some(finding);
        }
        if !looks_like_model_id(&r.id) || !rules.is_known_family(&r.id) {
            return None;
        }
        finding.reason = unknown_reason(&r.id, rules);
        return Some(finding);
    };

    // An ARN's Region says where the call runs: evaluate that Region's dates.
    let mut resolve = options.resolve.clone();
    if resolve.region.is_none()
        && let Some(arn) = &r.arn
        && lifecycle::is_region_name(&arn.region)
    {
        resolve.region = Some(arn.region.clone());
    }
    // So does the client's Region at the call the literal reaches.
    if resolve.region.is_none()
        && let Some(call) = call_site_region(context)
    {
        resolve.region = Some(call.region);
    }
    let scope = match (&resolve.region, &r.geo) {
        (Some(region), _) => Scope::Region(region),
        (None, Some(geo)) => Scope::Geography(geo),
        (None, None) => Scope::Everywhere,
    };
    let described = describe_lifecycle(model, resolve.as_of, scope);
    let status = described.status;
    finding.model_name = Some(model.name.clone());
    finding.state = finding_state(status.state);
    finding.legacy_date = status.legacy_date;
    finding.extended_access_date = status.extended_access_date;
    finding.eol_date = status.eol_date;
    finding.notes = model
        .notes
        .iter()
        .map(|note| cite(&mut finding, rules, note))
        .collect();
    if status.state == State::Active {
        finding.lifecycle = describe_status(&status);
        finding.safety = None;
        finding.reason = "nothing to do".into();
        return Some(finding);
    }
    finding.lifecycle = described.text;
    finding.still_answers_in = described.still_answers_in;
    let unknown_region = match (&resolve.region, status.state) {
        (Some(region), State::Unknown) => Some(region.clone()),
        _ => None,
    };
    migrate(
        &mut finding,
        r,
        base,
        model,
        rules,
        options,
        &resolve,
        context,
    );
    if options.hold.contains(&model.id) && finding.fix.take().is_some() {
        finding.reason = format!(
            "left as is: `{}` can be migrated automatically in only some of its references in code, and a migration PR changes all of them or none (`pr --allow-partial` changes what it can)",
            model.id
        );
    }
    if let Some(region) = unknown_region {
        finding.make_review();
        finding.reason = format!(
            "lifecycle unknown in {region}: check that the model is offered there (`bedrock-migrate rules show {}`); {}",
            model.id, finding.reason
        );
    }
    if let Some((_, suffix)) = &alias
        && finding.safety == Some(Safety::Safe)
    {
        finding.make_review();
        finding.reason = format!(
            "followed by `{suffix}`, a client-side alias of this tool's own (not a Bedrock ID): the rewrite keeps it; check that the tool knows the new model under it"
        );
    }
    if stripped.is_some() && finding.fix.take().is_some() {
        finding.safety = Some(Safety::Review);
        finding.reason =
            "part of a file name: rename the file and change this reference together, by hand"
                .into();
    }
    Some(finding)
}

/// `models/anthropic.claude-v2.json`: a known ID followed by a file extension is a reference
/// to that ID (the extension is not part of it).
fn strip_file_extension(r: &ModelRef, rules: &Rules) -> Option<ModelRef> {
    if rules.get(&r.id).is_some() {
        return None;
    }
    let dot = r.id.rfind('.')?;
    let (base, ext) = r.id.split_at(dot);
    let ext = &ext[1..];
    if ext.is_empty()
        || !ext.bytes().all(|b| b.is_ascii_alphanumeric())
        || rules.get(base).is_none()
    {
        return None;
    }
    let cut = r.id.len() - dot;
    let mut short = r.clone();
    short.id.truncate(dot);
    short.range.end -= cut;
    short.profile_range.end -= cut;
    Some(short)
}

/// `anthropic.claude-3-7-sonnet-20250219-v1:0:thinking`: a known ID followed by a client-side
/// `:word` suffix (aichat-style model lists write `:thinking` for "this model with extended
/// thinking") is a reference to that ID. The suffix is a word of letters, so a real ID's own
/// suffixes (`:0`, `:200k`) never qualify; the rewrite keeps it. Returns the reference
/// without the suffix, and the suffix.
fn strip_client_alias(
    r: &ModelRef,
    base: usize,
    source: &str,
    rules: &Rules,
) -> Option<(ModelRef, String)> {
    if rules.get(&r.id).is_some() {
        return None;
    }
    let written = source.get(r.range.start + base..r.range.end + base)?;
    let (id, word) = r.id.rsplit_once(':')?;
    let suffix = format!(":{word}");
    let is_word = word.len() >= 2 && word.bytes().all(|b| b.is_ascii_lowercase());
    if !is_word || !written.ends_with(&suffix) || rules.get(id).is_none() {
        return None;
    }
    let mut short = r.clone();
    short.id.truncate(id.len());
    short.range.end -= suffix.len();
    short.profile_range.end -= suffix.len();
    Some((short, suffix))
}

/// Why an unknown ID is reported, with the closest known ID when it looks like a typo.
fn unknown_reason(id: &str, rules: &Rules) -> String {
    if let Some(known) = rules.typo_of(id) {
        return format!("unknown model ID (a known misspelling); did you mean `{known}`?");
    }
    let provider = id.split('.').next().unwrap_or_default();
    let closest = rules
        .models()
        .iter()
        .filter(|m| m.provider == provider)
        .map(|m| (strsim::levenshtein(id, &m.id), &m.id))
        .min();
    match closest {
        Some((distance, known)) if distance <= 3 => {
            format!("unknown model ID (not in the rules table); did you mean `{known}`?")
        }
        _ => "unknown model ID (not in the rules table): a typo, or a model newer than the table (add it with --rules)".into(),
    }
}

/// Fill in replacement, fix, safety and reason for a legacy or end-of-life reference.
#[allow(clippy::too_many_arguments)]
fn migrate(
    finding: &mut Finding,
    r: &ModelRef,
    base: usize,
    model: &Model,
    rules: &Rules,
    options: &PlanOptions,
    resolve: &ResolveOptions,
    context: &Context,
) {
    finding.safety = Some(Safety::Review);
    if let Some(reason) = never_rewritten(model, r) {
        finding.reason = reason;
        return;
    }
    let resolution = rules.resolve(&model.id, resolve);
    let Some(target) = &resolution.target else {
        finding.reason = no_target_reason(finding, rules, &resolution);
        return;
    };
    let Some(target_model) = rules.get(&target.id) else {
        return;
    };
    let via: Vec<String> = resolution
        .chain
        .iter()
        .take_while(|h| h.id != target.id)
        .map(|h| h.id.clone())
        .collect();
    let mut info = ReplacementInfo {
        model_id: target.id.clone(),
        text: None,
        provenance: target.provenance,
        state: finding_state(target.status.state),
        eol_date: target.status.eol_date,
        via,
    };
    add_target_notes(
        finding,
        rules,
        target,
        target_model,
        &resolution.alternatives,
    );

    if r.split {
        templates::rewrite_base(finding, r, base, info, target_model);
        return;
    }
    let policy_resource = is_policy_resource(finding.key.as_deref());
    if policy_resource && r.arn.is_some() && !target_model.invocable_bare(None) {
        finding.notes.push(format!(
            "`{}` is invoked through an inference profile: the policy must also allow `arn:aws:bedrock:REGION:ACCOUNT:inference-profile/GEO.{}` and the foundation-model ARN in every destination Region of that profile",
            target.id, target.id
        ));
    }
    let source_answers = finding.state != FindingState::Eol || !finding.still_answers_in.is_empty();
    let call_site = call_site_region(context);
    let whereabouts = Whereabouts {
        region: resolve.region.as_deref(),
        call_site: call_site.as_ref(),
    };
    // Only the repository's own files could still say where this code runs: the caller may
    // look there and plan the file again (see `Finding::wants_region`).
    finding.wants_region = r.geo.is_none()
        && whereabouts.region.is_none()
        && whereabouts.call_site.is_none()
        && options.profile_prefix.is_none()
        && options.repository_region.is_none()
        && !target_model.profiles.is_empty()
        && !target_model.invocable_bare(None);
    let GeoChoice {
        geo,
        caution,
        evidence,
    } = match choose_geo(
        r,
        (model, source_answers),
        target_model,
        &whereabouts,
        options,
        policy_resource,
    ) {
        Ok(choice) => choice,
        Err(reason) => {
            finding.reason = reason;
            finding.replacement = Some(info);
            return;
        }
    };
    let caution = caution.or_else(|| {
        added_prefix_caution(r, geo.as_deref(), finding.key.as_deref(), context.usages)
    });
    finding.profile_evidence = evidence;
    if geo.is_none() && !source_answers && resolve.region.is_none() && call_site.is_none() {
        let narrower = match lost_regions(model, target_model) {
            Some(lost) if !lost.is_empty() => Some(format!(
                "is not invocable on demand in {}, where `{}` was",
                lost.join(", "),
                model.id
            )),
            Some(_) => None,
            None if !target_model.on_demand_regions.is_empty() => Some(format!(
                "is invocable on demand only in {}",
                target_model.on_demand_regions.join(", ")
            )),
            None => None,
        };
        if let Some(narrower) = narrower {
            finding.notes.push(format!(
                "`{}` {narrower}; the old model answers nowhere now, so the rewrite is still an improvement",
                target.id
            ));
        }
    }
    let text = r.render(geo.as_deref(), &target.id);
    info.text = Some(text.clone());
    finding.replacement = Some(info);
    if finding.context == SpanContext::Text {
        finding.reason = format!(
            "in recorded output, a link or text that is not prose, which is never rewritten: change it to `{text}` by hand"
        );
        return;
    }
    let (safety, reason) = match caution {
        Some(caution) if finding.context == SpanContext::Code => (Safety::Review, caution),
        _ if policy_resource && r.arn.is_some() && finding.context == SpanContext::Code => (
            Safety::Safe,
            "IAM policy resource: the policy must allow the model the code calls; request formats do not matter here".into(),
        ),
        _ => safety::classify(
            finding.context,
            model,
            target_model,
            context.usages,
            context.lines,
        ),
    };
    finding.safety = Some(safety);
    finding.reason = reason;
    finding.fix = Some(Fix {
        edits: vec![Edit {
            range: r.profile_range.start + base..r.profile_range.end + base,
            content: text,
        }],
        safety,
    });
}

/// True when the key that holds a reference is an IAM policy statement's resource list
/// (JSON/YAML `Resource`, Terraform `aws_iam_policy_document` `resources`), where
/// foundation-model ARNs are what is allowed, not invoked.
fn is_policy_resource(key: Option<&str>) -> bool {
    matches!(
        key,
        Some("Resource" | "Resources" | "NotResource" | "resources" | "not_resources")
    )
}

/// Models that no string substitution can migrate, with the reason and what to do.
fn never_rewritten(model: &Model, r: &ModelRef) -> Option<String> {
    if let Some(base) = &model.variant_of {
        return Some(format!(
            "provisioned-throughput variant of `{base}`: a throughput purchase, not a string; buy throughput for a replacement model, then change the ID by hand"
        ));
    }
    if model.kind == Kind::Embedding {
        return Some(
            "embedding model: a replacement has a different vector space; re-embed stored vectors, then change the ID by hand".into(),
        );
    }
    if model.endpoint == Endpoint::Mantle {
        return Some(
            "bedrock-mantle ID: it is not valid on bedrock-runtime and has no runtime replacement to write by text".into(),
        );
    }
    if r.geo.is_none()
        && r.arn.as_ref().map(|a| a.resource_type) == Some(ArnResource::InferenceProfile)
    {
        return Some(
            "inference-profile ARN without a known geography prefix; change it by hand".into(),
        );
    }
    None
}

/// Text of the rules table (a note, a replacement's `source`) as the finding shows it: source
/// keys become the sources' short names ([`Rules::cite`]), and the cited sources are listed
/// on the finding (with their links, for JSON and the pull-request body).
fn cite(finding: &mut Finding, rules: &Rules, text: &str) -> String {
    for (_, source) in rules.cited_sources(text) {
        if !finding.sources.iter().any(|s| s.name == source.name) {
            finding.sources.push(crate::finding::CitedSource {
                name: source.name.clone(),
                urls: source.urls.clone(),
            });
        }
    }
    rules.cite(text)
}

fn no_target_reason(
    finding: &mut Finding,
    rules: &Rules,
    resolution: &crate::rules::Resolution,
) -> String {
    let mut reason = if resolution.dead_end() {
        let chain: Vec<String> = resolution
            .chain
            .iter()
            .map(|h| match h.status.eol_date {
                Some(d) => format!("`{}` (EOL {d})", h.id),
                None => format!("`{}` (EOL)", h.id),
            })
            .collect();
        format!(
            "no live replacement: the official chain ends at {}",
            chain.join(" → ")
        )
    } else {
        "no official replacement (AWS published none)".to_string()
    };
    if let Some(s) = &resolution.suggestion {
        let source = match s.source.as_deref() {
            Some(text) => cite(finding, rules, text),
            None => "unsourced".to_string(),
        };
        reason.push_str(&format!(
            "; suggested: `{}`, followed unless --official-only ({source})",
            s.id
        ));
    }
    reason
}

/// A model's lifecycle where a reference runs, as reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifecycleDescription {
    /// The state and dates in the scope.
    pub status: Status,
    /// In words: "end of life since 2026-09-10 in the Regions AWS named; still answers in
    /// ca-central-1", or "no lifecycle notice names eu-south-1; elsewhere …".
    pub text: String,
    /// The Regions named in the text where the model still answers.
    pub still_answers_in: Vec<String>,
}

/// Describe `model`'s lifecycle on `as_of` in `scope`: the state and dates there; where no
/// notice names the Region, the most urgent named state instead; and, unless one named
/// Region was evaluated, the Regions (within the scope's geography) where a retired model
/// still answers. `rules show` and every finding say it the same way.
pub fn describe_lifecycle(model: &Model, as_of: NaiveDate, scope: Scope) -> LifecycleDescription {
    let status = lifecycle::status_in(model, as_of, scope);
    let (mut text, answers_scope) = match (scope, status.state) {
        (Scope::Region(region), State::Unknown) => (
            format!(
                "no lifecycle notice names {region}; elsewhere {}",
                describe_status(&lifecycle::status(model, as_of, None))
            ),
            Some(Scope::Everywhere),
        ),
        (Scope::Region(_), _) => (describe_status(&status), None),
        (other, _) => (describe_status(&status), Some(other)),
    };
    let answers = match answers_scope {
        Some(scope) if status.state != State::Active => {
            lifecycle::still_answers(model, as_of, scope)
        }
        _ => vec![],
    };
    if !answers.is_empty() {
        text.push_str(&format!(
            " in the Regions AWS named; still answers in {}",
            describe_answers(&answers)
        ));
    }
    LifecycleDescription {
        status,
        text,
        still_answers_in: answers.iter().map(|(r, _)| r.to_string()).collect(),
    }
}

/// "ap-northeast-2 (legacy), ca-central-1, sa-east-1": Regions where a model still
/// answers, the state named where it is not active.
pub fn describe_answers(answers: &[(&str, State)]) -> String {
    answers
        .iter()
        .map(|(r, s)| match s {
            State::Active => r.to_string(),
            other => format!("{r} ({})", other.as_str()),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// "EOL since 2026-03-01", "legacy since 2026-07-08, EOL on 2027-01-08".
pub fn describe_status(status: &Status) -> String {
    let day = |d: Option<NaiveDate>| {
        d.map_or_else(|| "an unpublished date".to_string(), |d| d.to_string())
    };
    match status.state {
        State::Eol => match status.eol_date {
            Some(d) => format!("end of life since {d}"),
            None => "end of life".into(),
        },
        State::Legacy if status.extended_access => format!(
            "legacy, in extended access since {}, end of life on {}",
            day(status.extended_access_date),
            day(status.eol_date)
        ),
        State::Legacy => format!(
            "legacy since {}, end of life on {}",
            day(status.legacy_date),
            day(status.eol_date)
        ),
        State::Active => match (status.legacy_date, status.eol_date) {
            (_, Some(eol)) => format!("active; end of life announced for {eol}"),
            (Some(legacy), None) => format!("active; legacy from {legacy}"),
            (None, None) => "active".into(),
        },
        State::Unknown => "lifecycle unknown".into(),
    }
}

fn add_target_notes(
    finding: &mut Finding,
    rules: &Rules,
    target: &Hop,
    model: &Model,
    alternatives: &[String],
) {
    if target.status.state == State::Legacy {
        let eol = target
            .status
            .eol_date
            .map_or_else(|| "not announced".to_string(), |d| d.to_string());
        finding.notes.push(format!(
            "replacement `{}` is itself legacy, end of life {eol}",
            target.id
        ));
    }
    if !alternatives.is_empty() {
        finding.notes.push(format!(
            "other replacements listed: {}",
            alternatives
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for note in &model.notes {
        let note = cite(finding, rules, note);
        finding.notes.push(format!("{}: {note}", model.id));
    }
}

/// The Regions where `source`'s bare ID is on demand and `target`'s is not, when both models
/// list their on-demand Regions (`None` when either is unknown or needs a profile).
fn lost_regions<'a>(source: &'a Model, target: &Model) -> Option<Vec<&'a str>> {
    let listed = |m: &Model| m.on_demand && !m.on_demand_regions.is_empty();
    (listed(source) && listed(target)).then(|| {
        source
            .on_demand_regions
            .iter()
            .filter(|r| !target.on_demand_regions.contains(r))
            .map(String::as_str)
            .collect()
    })
}

/// The geography prefix for the replacement (with a caution that makes the rewrite review),
/// or why none can be chosen.
fn choose_geo(
    r: &ModelRef,
    (source, source_answers): (&Model, bool),
    target: &Model,
    whereabouts: &Whereabouts,
    options: &PlanOptions,
    policy_resource: bool,
) -> Result<GeoChoice, String> {
    let profiles = || {
        if target.profiles.is_empty() {
            "none".to_string()
        } else {
            target.profiles.join(", ")
        }
    };
    let chosen = |geo: &str, evidence: String| GeoChoice {
        geo: Some(geo.to_string()),
        caution: None,
        evidence: Some(format!("{geo}. {evidence}")),
    };
    let arn_region = r
        .arn
        .as_ref()
        .map(|a| a.region.as_str())
        .filter(|s| !s.is_empty());
    if let Some(geo) = &r.geo {
        if target.has_profile(geo) {
            return Ok(chosen(geo, "kept from the reference".into()));
        }
        if let Some(mapped) = options.prefix_map.get(geo) {
            if target.has_profile(mapped) {
                return Ok(chosen(mapped, format!("from --prefix-map {geo}={mapped}")));
            }
            return Err(format!(
                "replacement `{}` has neither a `{geo}.` nor a `{mapped}.` inference profile (it has: {}); change --prefix-map",
                target.id,
                profiles()
            ));
        }
        if let Some(reg) = arn_region
            && let Some(found) = geos_for_region(reg).iter().find(|g| target.has_profile(g))
        {
            return Ok(chosen(found, format!("from the ARN's Region {reg}")));
        }
        return Err(format!(
            "replacement `{}` has no `{geo}.` inference profile (it has: {}); choose one with --prefix-map {geo}=GEO",
            target.id,
            profiles()
        ));
    }
    let region = whereabouts
        .region
        .or(whereabouts.call_site.map(|c| c.region.as_str()));
    if region.is_none()
        && let Some(lost) = lost_regions(source, target)
    {
        // Both models list their on-demand Regions: a bare rewrite works wherever the old
        // ID did, except in `lost`.
        if lost.is_empty() {
            return Ok(GeoChoice::default());
        }
        if target.profiles.is_empty() {
            // The bare ID is the only way to call the target. Losing Regions matters only
            // while the old ID still answers; otherwise the rewrite is still an improvement.
            if !source_answers {
                return Ok(GeoChoice::default());
            }
            return Ok(GeoChoice {
                caution: Some(format!(
                    "replacement `{}` is invocable on demand in fewer Regions than `{}`: not in {}; check the Region this code runs in (or pass --region)",
                    target.id,
                    source.id,
                    lost.join(", ")
                )),
                ..GeoChoice::default()
            });
        }
        // Otherwise an inference profile reaches the target from more Regions: below.
    }
    if target.invocable_bare(region) {
        return Ok(GeoChoice::default());
    }
    if target.on_demand && target.profiles.is_empty() {
        // No profile exists: the bare ID is the only way to call it, in some Regions. An
        // end-of-life source answers nowhere, so the rewrite is an improvement anyway (the
        // caller notes the Regions); otherwise check the Region.
        if !source_answers {
            return Ok(GeoChoice::default());
        }
        return Ok(GeoChoice {
            caution: Some(format!(
                "replacement `{}` is invocable on demand only in {}; check the Region this code runs in (or pass --region)",
                target.id,
                target.on_demand_regions.join(", ")
            )),
            ..GeoChoice::default()
        });
    }
    if r.arn.as_ref().map(|a| a.resource_type) == Some(ArnResource::FoundationModel) {
        if policy_resource {
            // An IAM policy must allow the foundation model in every destination Region of
            // the profile: the foundation-model ARN stays, with the new ID.
            return Ok(GeoChoice::default());
        }
        return Err(format!(
            "replacement `{}` cannot be invoked on demand, so a foundation-model ARN cannot call it; use an inference-profile ARN (…:ACCOUNT:inference-profile/GEO.{})",
            target.id, target.id
        ));
    }
    // The strongest evidence of where the code runs picks the geography (DESIGN of the
    // geography choice: README, "Geography prefixes").
    let by_region = |region: &str, origin: String| -> Result<GeoChoice, String> {
        match geos_for_region(region)
            .iter()
            .find(|g| target.has_profile(g))
        {
            Some(geo) => Ok(chosen(geo, origin)),
            None => global_fallback(
                target,
                origin.clone(),
                match geos_for_region(region).first() {
                    Some(g) => format!(
                        "`{}` has no `{g}.` inference profile, which would serve {region} ({origin})",
                        target.id
                    ),
                    None => format!("no geographic inference profile serves {region} ({origin})"),
                },
            ),
        }
    };
    if let Some(call) = whereabouts.call_site {
        return by_region(&call.region, format!("from {}", call.origin));
    }
    if let Some(region) = whereabouts.region {
        return by_region(region, format!("from --region {region}"));
    }
    if let Some(p) = &options.profile_prefix {
        let origin = options
            .profile_prefix_origin
            .clone()
            .unwrap_or_else(|| "--profile-prefix".into());
        if target.has_profile(p) {
            return Ok(chosen(p, format!("from {origin}")));
        }
        return Err(format!(
            "replacement `{}` has no `{p}.` inference profile (it has: {}); choose another with {origin}",
            target.id,
            profiles()
        ));
    }
    if let Some(repo) = &options.repository_region {
        return by_region(&repo.region, format!("from {}", repo.origin));
    }
    global_fallback(
        target,
        "for lack of evidence".into(),
        "nothing says where this code runs".into(),
    )
}

/// `global.` as a review fix when nothing better serves: it routes requests to any commercial
/// Region, which may not be where the data is allowed to go.
fn global_fallback(target: &Model, origin: String, why: String) -> Result<GeoChoice, String> {
    if target.has_profile("global") {
        return Ok(GeoChoice {
            geo: Some("global".into()),
            caution: Some(format!(
                "{why}: `global.` routes requests to any commercial AWS Region, so data may leave your geography; if it must stay, pass --profile-prefix (one of: {}) or set profile_prefix in .bedrock-migrate.toml",
                target.profiles.join(", ")
            )),
            evidence: Some(format!("global. {origin}")),
        });
    }
    Err(format!(
        "replacement `{}` can only be invoked through an inference profile and {why}; pass --profile-prefix with one of: {}",
        target.id,
        if target.profiles.is_empty() {
            "none".to_string()
        } else {
            target.profiles.join(", ")
        }
    ))
}

/// The Region of the client at the call(s) a literal reaches, when every call knows one and
/// they agree: `region_name="eu-west-1" at 3:37`.
fn call_site_region(context: &Context) -> Option<RegionEvidence> {
    let mut regions = context.usages.iter().map(|u| u.region.as_ref());
    let first = regions.next()??;
    if !regions.all(|r| r.is_some_and(|r| r.region == first.region)) {
        return None;
    }
    let (line, column) = context.lines.line_col(first.range.start);
    Some(RegionEvidence {
        region: first.region.clone(),
        origin: format!("{} at {line}:{column}", first.how),
    })
}

/// Adding a geography prefix to a bare ID is safe only where the literal visibly reaches a
/// model parameter of a recognised call (the analysers follow names, not string
/// composition) or is the value of a key that names a model ID; elsewhere the code may build
/// the profile ID itself (`f"{geo}.{base_id}"`) and would call `us.us.…`.
fn added_prefix_caution(
    r: &ModelRef,
    geo: Option<&str>,
    key: Option<&str>,
    usages: &[&Usage],
) -> Option<String> {
    let geo = geo?;
    if r.geo.is_some() || r.arn.is_some() || !usages.is_empty() || key.is_some_and(names_a_model) {
        return None;
    }
    Some(format!(
        "adds the `{geo}.` prefix to a bare ID that no recognised call visibly uses: if the code builds the inference-profile ID itself (`f\"{{geo}}.{{model_id}}\"`), it would call `{geo}.{geo}.…`; check how the ID is used"
    ))
}

/// True when a configuration key names a model ID (`MODEL_ID`, `modelId`, `model_id`,
/// `BEDROCK_MODEL`, `foundation_model`, `model`).
fn names_a_model(key: &str) -> bool {
    let k: String = key
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    k.ends_with("modelid")
        || k.ends_with("model")
        || k.ends_with("modelarn")
        || k.ends_with("foundationmodel")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::load::load_from_str;

    const TABLE: &str = r#"
schema_version = 1
geo_prefixes = ["us", "eu", "apac", "jp", "au", "global"]

[[model]]
id = "anthropic.claude-3-5-sonnet-20240620-v1:0"
body = "anthropic-messages"
profiles = ["us", "eu", "apac"]
lifecycle = [
  { regions = ["us-east-1"], legacy = 2025-08-25, eol = 2026-03-01 },
  { regions = ["ap-northeast-1"], legacy = 2026-01-30, eol = 2026-07-30 },
]
replacement = [{ id = "anthropic.claude-sonnet-4-5-20250929-v1:0", provenance = "official", source = "S1" }]

[[model]]
id = "anthropic.claude-sonnet-4-5-20250929-v1:0"
body = "anthropic-messages"
on_demand = false
profiles = ["us", "eu", "jp", "au", "global"]
lifecycle = [{ legacy = 2026-10-08, eol = 2027-04-08 }]
notes = ["rejects temperature and top_p together"]

[[model]]
id = "anthropic.claude-v2"
body = "anthropic-text-completions"
lifecycle = [{ legacy = 2025-01-21, eol = 2025-07-21 }]
replacement = [{ id = "anthropic.claude-sonnet-4-5-20250929-v1:0", provenance = "official" }]

[[model]]
id = "amazon.titan-text-express-v1"
body = "titan-text"
lifecycle = [{ legacy = 2025-01-31, eol = 2025-08-15 }]
replacement = [{ id = "amazon.nova-micro-v1:0", provenance = "official" }]

[[model]]
id = "amazon.nova-micro-v1:0"
body = "nova-messages"
profiles = ["us"]

[[model]]
id = "meta.llama2-13b-chat-v1"
body = "meta-llama"
lifecycle = [{ eol = 2024-10-30 }]
replacement = [{ id = "meta.llama3-1-8b-instruct-v1:0", provenance = "official" }]

[[model]]
id = "meta.llama3-1-8b-instruct-v1:0"
body = "meta-llama"

[[model]]
id = "amazon.titan-embed-text-v1"
kind = "embedding"
body = "embedding"
state = "eol"

[[model]]
id = "anthropic.claude-3-sonnet-20240229-v1:0:200k"
variant_of = "anthropic.claude-3-5-sonnet-20240620-v1:0"
state = "eol"

[[model]]
id = "cohere.embed-v4:0"
kind = "embedding"
body = "embedding"
typos = ["cohere.embed-english-v4:0"]

[[model]]
id = "anthropic.claude-3-haiku-20240307-v1:0"
body = "anthropic-messages"
lifecycle = [
  { regions = ["us-east-1", "us-west-2"], legacy = 2026-03-10, eol = 2026-09-10 },
  { regions = ["ap-northeast-2"], legacy = 2026-08-01 },
  { regions = ["ca-central-1"] },
]

[not_models]
"anthropic.claude:1" = "default prompt router"
"#;

    #[test]
    fn a_reference_read_twice_is_one_finding() {
        // Found by tests/fuzz.rs: tree-sitter-python reads a comment inside an unterminated
        // string as well as the string, so the reference was reported twice, with two
        // overlapping fixes (`fix` spliced one and dropped the other without a word).
        let f = plan("\"\n\n#anthropic.claude-v2\n\"", None);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].original, "anthropic.claude-v2");
        // The JavaScript reading of a string inside a broken template literal.
        let rules = load_from_str(TABLE, "t.toml").unwrap();
        let options = options_on("2026-11-21");
        let source = "`${\"anthropic.claude-v2\"i\\${t`";
        let f = plan_file(source, Language::JavaScript, &rules, &options).findings;
        assert_eq!(f.len(), 1, "{f:#?}");
    }

    #[test]
    fn references_that_overlap_in_part_get_no_fix() {
        // Found by tests/fuzz.rs: in garbage the grammar finds a reference inside another.
        let mut a = one("m = 'anthropic.claude-v2'", None);
        assert!(a.fix.is_some());
        let mut b = a.clone();
        b.range = a.range.start + 3..a.range.end + 3;
        b.original = "overlapping".into();
        a.notes.clear();
        let mut findings = vec![a.clone(), b];
        drop_overlapping(&mut findings);
        assert_eq!(findings.len(), 1);
        assert!(findings[0].fix.is_none());
        assert_eq!(findings[0].safety, Some(Safety::Review));
        assert!(
            findings[0].reason.contains("`overlapping`"),
            "{}",
            findings[0].reason
        );
        assert_eq!(findings[0].notes, [a.reason]);
    }

    #[test]
    fn a_hole_that_starts_before_its_span_does_not_panic() {
        // Found by tests/fuzz.rs: the HCL parser recovers `"${${""$` as a heredoc whose
        // body is empty and whose interpolation starts before it; the planner subtracted
        // the span's start from the hole's and overflowed.
        let rules = crate::rules::load_default().unwrap();
        for source in [
            "\"${${\"\"$",
            "\"${${\"\"$ anthropic.claude-v2",
            "\u{feff}\"${${\"\"$",
        ] {
            // Unfocused: parsed even where no candidate would have been confirmed.
            let options = options_on("2026-11-21");
            let plan = plan_file_in(source, Language::Hcl, &rules, &options, false);
            assert!(plan.syntax_error.is_some(), "{source:?}");
        }
    }

    fn plan(src: &str, prefix: Option<&str>) -> Vec<Finding> {
        plan_in(src, prefix, None)
    }

    /// Options that evaluate states on `day`, with no Region, prefix or prefix map.
    fn options_on(day: &str) -> PlanOptions {
        PlanOptions {
            resolve: ResolveOptions {
                as_of: day.parse().unwrap(),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn plan_in(src: &str, prefix: Option<&str>, region: Option<&str>) -> Vec<Finding> {
        let rules = load_from_str(TABLE, "t.toml").unwrap();
        let options = PlanOptions {
            resolve: ResolveOptions {
                as_of: "2026-11-21".parse().unwrap(),
                region: region.map(str::to_string),
                official_only: true,
            },
            profile_prefix: prefix.map(str::to_string),
            prefix_map: Default::default(),
            ..Default::default()
        };
        plan_file(src, Language::Python, &rules, &options).findings
    }

    /// The extractor's tree is handed to the call-site analyser: planning a file parses
    /// it once (it used to be shared through a per-thread cache of the last tree).
    #[test]
    fn a_file_is_parsed_once() {
        let src = "import boto3\nc = boto3.client('bedrock-runtime')\n\
                   c.converse(modelId='anthropic.claude-3-5-sonnet-20240620-v1:0', messages=[])\n";
        let before = crate::extract::treesitter::parses();
        let findings = plan(src, Some("us"));
        assert_eq!(crate::extract::treesitter::parses(), before + 1);
        assert!(findings[0].call.is_some(), "the analyser saw the call");
    }

    fn one(src: &str, prefix: Option<&str>) -> Finding {
        let f = plan(src, prefix);
        assert_eq!(f.len(), 1, "{f:#?}");
        f.into_iter().next().unwrap()
    }

    #[test]
    fn same_family_with_a_profile_is_safe() {
        let f = one("m = 'us.anthropic.claude-3-5-sonnet-20240620-v1:0'\n", None);
        assert_eq!(f.state, FindingState::Eol);
        assert_eq!(f.eol_date, Some("2026-03-01".parse().unwrap()));
        let fix = f.fix.unwrap();
        assert_eq!(fix.safety, Safety::Safe);
        assert_eq!(
            fix.edits[0].content,
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
        );
        assert_eq!(fix.edits[0].range, 5..49);
        assert!(f.notes.iter().any(|n| n.contains("itself legacy")));
        assert!(f.notes.iter().any(|n| n.contains("temperature")));
        assert_eq!((f.line, f.column), (1, 6));
    }

    /// Notes and reasons from the embedded table name their sources, never by key, and the
    /// finding lists the sources it cites with their links.
    #[test]
    fn notes_and_reasons_name_their_sources() {
        let rules = crate::rules::load_default().unwrap();
        let mut options = options_on("2026-11-21");
        let src = "m = 'us.anthropic.claude-3-5-sonnet-20240620-v1:0'\n";
        let f = plan_file(src, Language::Python, &rules, &options)
            .findings
            .remove(0);
        assert!(
            f.notes.contains(&"anthropic.claude-sonnet-4-6: Returns HTTP 400 when both temperature and top_p are set (source: GitHub reports: temperature and top_p rejected together).".to_string()),
            "{:#?}",
            f.notes
        );
        let names: Vec<&str> = f.sources.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "OpenRouter: Claude 4.7 migration guide",
                "GitHub reports: temperature and top_p rejected together"
            ]
        );
        assert!(f.sources[0].urls[0].starts_with("https://openrouter.ai/"));

        options.resolve.official_only = true;
        let src = "m = 'anthropic.claude-3-haiku-20240307-v1:0'\n";
        let f = plan_file(src, Language::Python, &rules, &options)
            .findings
            .remove(0);
        assert!(
            f.reason.ends_with("suggested: `anthropic.claude-haiku-4-5-20251001-v1:0`, followed unless --official-only (sources: GAISe model registry; awslabs/startups model-lifecycle reference PR#307)"),
            "{}",
            f.reason
        );
        assert!(
            f.sources
                .iter()
                .any(|s| s.name == "GAISe model registry" && s.urls.is_empty())
        );
        for text in f.notes.iter().chain([&f.reason]) {
            assert!(
                crate::rules::cite::source_keys_in(text).is_empty(),
                "{text}"
            );
        }
    }

    /// Claude 3 Haiku's notices name four Regions: sa-east-1 is unknown, not "EOL on the
    /// most urgent date", and a rewrite there is never safe.
    #[test]
    fn a_region_no_notice_names_is_unknown() {
        let src = "m = 'anthropic.claude-3-haiku-20240307-v1:0'\n";
        let f = plan_in(src, None, Some("sa-east-1")).remove(0);
        assert_eq!(f.state, FindingState::Unknown);
        assert_eq!(
            f.model_name.as_deref(),
            Some("anthropic.claude-3-haiku-20240307-v1:0")
        );
        assert_eq!(f.eol_date, None);
        assert_eq!(
            f.lifecycle,
            "no lifecycle notice names sa-east-1; elsewhere end of life since 2026-09-10 in the Regions AWS named; still answers in ap-northeast-2 (legacy), ca-central-1"
        );
        assert!(
            f.reason.starts_with("lifecycle unknown in sa-east-1"),
            "{}",
            f.reason
        );
        let f = plan_in(src, None, Some("ca-central-1")).remove(0);
        assert_eq!(f.state, FindingState::Active);
        let f = plan_in(src, None, Some("ap-northeast-2")).remove(0);
        assert_eq!(f.state, FindingState::Legacy);
        let f = plan_in(src, None, Some("us-west-2")).remove(0);
        assert_eq!(f.state, FindingState::Eol);
        assert!(f.still_answers_in.is_empty());
        // A fix found in an unknown Region is review, never safe.
        let src = "m = 'us.anthropic.claude-3-5-sonnet-20240620-v1:0'\n";
        let f = plan_in(src, None, Some("sa-east-1")).remove(0);
        assert_eq!(f.state, FindingState::Unknown);
        assert_eq!(f.fix.unwrap().safety, Safety::Review);
    }

    /// Without a Region the most urgent named date applies, and the report says where the
    /// model still answers.
    #[test]
    fn without_a_region_the_report_says_where_the_model_still_answers() {
        let f = one("m = 'anthropic.claude-3-haiku-20240307-v1:0'\n", None);
        assert_eq!(f.state, FindingState::Eol);
        assert_eq!(
            f.lifecycle,
            "end of life since 2026-09-10 in the Regions AWS named; still answers in ap-northeast-2 (legacy), ca-central-1"
        );
        assert_eq!(f.still_answers_in, ["ap-northeast-2", "ca-central-1"]);
    }

    /// Region narrowing from data: a bare rewrite to a model on demand in fewer Regions is
    /// review while the old model still answers, and safe with a note once it answers
    /// nowhere.
    #[test]
    fn region_narrowing_is_computed_from_on_demand_regions() {
        let table = r#"
schema_version = 1
[[model]]
id = "meta.llama2-13b-chat-v1"
body = "meta-llama"
on_demand_regions = ["us-east-1", "us-west-2"]
lifecycle = [{ legacy = 2026-06-01, eol = 2026-12-01 }]
replacement = [{ id = "meta.llama3-1-8b-instruct-v1:0", provenance = "official" }]
[[model]]
id = "meta.llama3-1-8b-instruct-v1:0"
body = "meta-llama"
on_demand_regions = ["us-west-2"]
[[model]]
id = "meta.llama3-8b-instruct-v1:0"
body = "meta-llama"
on_demand_regions = ["us-east-1", "us-west-2", "eu-west-1"]
"#;
        let rules = load_from_str(table, "t.toml").unwrap();
        let plan_on = |day: &str, src: &str| {
            plan_file(src, Language::Python, &rules, &options_on(day))
                .findings
                .remove(0)
        };
        let src = "m = 'meta.llama2-13b-chat-v1'\n";
        let f = plan_on("2026-07-01", src);
        assert_eq!(f.state, FindingState::Legacy);
        assert_eq!(f.fix.as_ref().unwrap().safety, Safety::Review);
        assert!(
            f.reason
                .contains("fewer Regions than `meta.llama2-13b-chat-v1`: not in us-east-1"),
            "{}",
            f.reason
        );
        let f = plan_on("2026-12-01", src);
        assert_eq!(f.state, FindingState::Eol);
        assert_eq!(f.fix.as_ref().unwrap().safety, Safety::Safe);
        assert!(
            f.notes
                .iter()
                .any(|n| n.contains("not invocable on demand in us-east-1")),
            "{:?}",
            f.notes
        );
    }

    #[test]
    fn prompt_routers_are_not_models() {
        assert!(plan("r = 'anthropic.claude:1'\n", None).is_empty());
        let arn =
            "r = 'arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/meta.llama:1'\n";
        assert!(plan(arn, None).is_empty());
    }

    #[test]
    fn a_known_misspelling_points_at_the_real_id() {
        let f = one("m = 'cohere.embed-english-v4:0'\n", None);
        assert_eq!(f.state, FindingState::Unknown);
        assert_eq!(f.model_name, None);
        assert!(
            f.reason.contains("did you mean `cohere.embed-v4:0`?"),
            "{}",
            f.reason
        );
    }

    #[test]
    fn a_thinking_alias_is_its_base_model_and_keeps_the_suffix() {
        let src = "m = 'us.anthropic.claude-3-5-sonnet-20240620-v1:0:thinking'\n";
        let f = one(src, None);
        assert_eq!(f.model_id, "anthropic.claude-3-5-sonnet-20240620-v1:0");
        assert!(
            f.reason.starts_with("followed by `:thinking`"),
            "{}",
            f.reason
        );
        let fix = f.fix.unwrap();
        assert_eq!(fix.safety, Safety::Review);
        let fixed = crate::text::splice(src, &fix.edits);
        assert_eq!(
            fixed,
            "m = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0:thinking'\n"
        );
    }

    /// With no evidence of where the code runs, a profile-only replacement gets `global.`
    /// as a review fix that names the data-residency trade-off; `--profile-prefix` decides
    /// when given, and is refused when the target has no such profile.
    #[test]
    fn bare_id_gets_global_as_review_without_evidence() {
        let f = one("m = 'anthropic.claude-3-5-sonnet-20240620-v1:0'\n", None);
        let fix = f.fix.unwrap();
        assert_eq!(fix.safety, Safety::Review);
        assert_eq!(
            fix.edits[0].content,
            "global.anthropic.claude-sonnet-4-5-20250929-v1:0"
        );
        assert_eq!(
            f.profile_evidence.as_deref(),
            Some("global. for lack of evidence")
        );
        assert!(
            f.reason.starts_with("nothing says where this code runs: `global.` routes requests to any commercial AWS Region"),
            "{}",
            f.reason
        );
        assert!(
            f.reason
                .contains("pass --profile-prefix (one of: us, eu, jp, au, global)")
        );
        let f = one(
            "m = 'anthropic.claude-3-5-sonnet-20240620-v1:0'\n",
            Some("eu"),
        );
        assert_eq!(
            f.fix.unwrap().edits[0].content,
            "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"
        );
        assert_eq!(
            f.profile_evidence.as_deref(),
            Some("eu. from --profile-prefix")
        );
        let f = one(
            "m = 'anthropic.claude-3-5-sonnet-20240620-v1:0'\n",
            Some("apac"),
        );
        assert_eq!(f.fix, None);
        assert!(f.reason.contains("has no `apac.` inference profile"));
    }

    /// `--region` (and the repository's Region) map to the target's profile for that
    /// geography: Tokyo → `jp.`, not `apac.`; a Region no profile serves → `global.`, review.
    #[test]
    fn a_known_region_chooses_the_geography() {
        let src = "m = 'anthropic.claude-3-5-sonnet-20240620-v1:0'\n";
        let f = plan_in(src, None, Some("ap-northeast-1")).remove(0);
        assert_eq!(
            f.fix.unwrap().edits[0].content,
            "jp.anthropic.claude-sonnet-4-5-20250929-v1:0"
        );
        assert_eq!(
            f.profile_evidence.as_deref(),
            Some("jp. from --region ap-northeast-1")
        );
        let rules = load_from_str(TABLE, "t.toml").unwrap();
        let mut options = options_on("2026-11-21");
        options.repository_region = Some(RegionEvidence {
            region: "eu-central-1".into(),
            origin: "AWS_REGION=eu-central-1 in .env:1".into(),
        });
        let f = plan_file(src, Language::Python, &rules, &options)
            .findings
            .remove(0);
        assert_eq!(
            f.profile_evidence.as_deref(),
            Some("eu. from AWS_REGION=eu-central-1 in .env:1")
        );
        // --profile-prefix beats the repository's files.
        options.profile_prefix = Some("us".into());
        let f = plan_file(src, Language::Python, &rules, &options)
            .findings
            .remove(0);
        assert_eq!(
            f.profile_evidence.as_deref(),
            Some("us. from --profile-prefix")
        );
        // sa-east-1 has no regional profile: global, as review.
        options.profile_prefix = None;
        options.repository_region = Some(RegionEvidence {
            region: "sa-east-1".into(),
            origin: "region = \"sa-east-1\" in samconfig.toml:4".into(),
        });
        let f = plan_file(src, Language::Python, &rules, &options)
            .findings
            .remove(0);
        let fix = f.fix.unwrap();
        assert_eq!(fix.safety, Safety::Review);
        assert!(fix.edits[0].content.starts_with("global."));
        assert!(f.reason.contains("serves sa-east-1"), "{}", f.reason);
    }

    /// The client's Region at the call beats every other evidence and is also the Region
    /// whose dates apply.
    #[test]
    fn the_call_site_region_chooses_the_geography() {
        let src = "import boto3\nc = boto3.client('bedrock-runtime', region_name='eu-west-1')\nc.converse(modelId='anthropic.claude-3-5-sonnet-20240620-v1:0', messages=[])\n";
        let rules = load_from_str(TABLE, "t.toml").unwrap();
        let mut options = options_on("2026-11-21");
        options.profile_prefix = Some("us".into());
        options.repository_region = Some(RegionEvidence {
            region: "us-east-1".into(),
            origin: "AWS_REGION=us-east-1 in .env:1".into(),
        });
        let f = plan_file(src, Language::Python, &rules, &options)
            .findings
            .remove(0);
        assert_eq!(
            f.profile_evidence.as_deref(),
            Some("eu. from region_name='eu-west-1' at 2:50")
        );
        // eu-west-1 is not named by the test table's notices: unknown there, so review.
        assert_eq!(f.state, FindingState::Unknown);
        let fix = f.fix.unwrap();
        assert_eq!(fix.safety, Safety::Review);
        assert_eq!(
            fix.edits[0].content,
            "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"
        );
        let tokyo = src.replace("eu-west-1", "ap-northeast-1");
        let f = plan_file(&tokyo, Language::Python, &rules, &options)
            .findings
            .remove(0);
        assert_eq!(f.state, FindingState::Eol);
        assert_eq!(f.eol_date, Some("2026-07-30".parse().unwrap()));
        let fix = f.fix.unwrap();
        assert_eq!(fix.safety, Safety::Safe, "{}", f.reason);
        assert_eq!(
            fix.edits[0].content,
            "jp.anthropic.claude-sonnet-4-5-20250929-v1:0"
        );
    }

    /// A prefix added to a bare ID that no recognised call uses is review (the code may
    /// build `f"{geo}.{id}"` itself); a key that names a model ID is enough evidence.
    #[test]
    fn an_added_prefix_needs_a_visible_use() {
        let f = one(
            "m = 'anthropic.claude-3-5-sonnet-20240620-v1:0'\n",
            Some("us"),
        );
        assert_eq!(f.fix.as_ref().unwrap().safety, Safety::Review);
        assert!(
            f.reason.starts_with("adds the `us.` prefix"),
            "{}",
            f.reason
        );
        let rules = load_from_str(TABLE, "t.toml").unwrap();
        let mut options = options_on("2026-11-21");
        options.profile_prefix = Some("us".into());
        let yaml = "env:\n  BEDROCK_MODEL_ID: anthropic.claude-3-5-sonnet-20240620-v1:0\n";
        let f = plan_file(yaml, Language::Yaml, &rules, &options)
            .findings
            .remove(0);
        assert_eq!(f.fix.unwrap().safety, Safety::Safe, "{}", f.reason);
        let call = "import boto3\nc = boto3.client('bedrock-runtime')\nc.converse(modelId='anthropic.claude-3-5-sonnet-20240620-v1:0', messages=[])\n";
        let f = plan_file(call, Language::Python, &rules, &options)
            .findings
            .remove(0);
        assert_eq!(f.fix.unwrap().safety, Safety::Safe, "{}", f.reason);
        assert!(
            names_a_model("MODEL_ID")
                && names_a_model("modelId")
                && names_a_model("foundation_model")
        );
        assert!(!names_a_model("region") && !names_a_model("models_dir"));
    }

    #[test]
    fn prefix_that_does_not_carry_over() {
        let f = one(
            "m = 'apac.anthropic.claude-3-5-sonnet-20240620-v1:0'\n",
            None,
        );
        assert_eq!(f.fix, None);
        assert!(
            f.reason.contains("no `apac.` inference profile"),
            "{}",
            f.reason
        );
        // An inference-profile ARN in Tokyo picks `jp.` and Tokyo's dates.
        let f = one(
            "m = 'arn:aws:bedrock:ap-northeast-1:123456789012:inference-profile/apac.anthropic.claude-3-5-sonnet-20240620-v1:0'\n",
            None,
        );
        assert_eq!(f.eol_date, Some("2026-07-30".parse().unwrap()));
        let fix = f.fix.unwrap();
        assert_eq!(
            fix.edits[0].content,
            "jp.anthropic.claude-sonnet-4-5-20250929-v1:0"
        );
    }

    #[test]
    fn prefix_map_moves_a_prefix_that_does_not_carry_over() {
        let rules = load_from_str(TABLE, "t.toml").unwrap();
        let mut options = options_on("2026-11-21");
        options.prefix_map.insert("apac".into(), "jp".into());
        let src = "m = 'apac.anthropic.claude-3-5-sonnet-20240620-v1:0'\n";
        let f = &plan_file(src, Language::Python, &rules, &options).findings[0];
        assert_eq!(
            f.fix.as_ref().unwrap().edits[0].content,
            "jp.anthropic.claude-sonnet-4-5-20250929-v1:0"
        );
        // A prefix the target keeps is never remapped.
        let src = "m = 'us.anthropic.claude-3-5-sonnet-20240620-v1:0'\n";
        options.prefix_map.insert("us".into(), "eu".into());
        let f = &plan_file(src, Language::Python, &rules, &options).findings[0];
        assert_eq!(
            f.fix.as_ref().unwrap().edits[0].content,
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
        );
        // A mapping to a prefix the target lacks is explained.
        options.prefix_map.insert("apac".into(), "apac".into());
        let src = "m = 'apac.anthropic.claude-3-5-sonnet-20240620-v1:0'\n";
        let f = &plan_file(src, Language::Python, &rules, &options).findings[0];
        assert_eq!(f.fix, None);
        assert!(f.reason.contains("change --prefix-map"), "{}", f.reason);
    }

    #[test]
    fn iam_policy_resources_keep_the_foundation_model_arn() {
        let rules = load_from_str(TABLE, "t.toml").unwrap();
        let options = options_on("2026-11-21");
        let text = "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0";
        let source = format!("\"{text}\"");
        let r = &rules.grammar().find(text)[0];
        let span = |key: Option<&str>| Span {
            range: 1..1 + text.len(),
            context: SpanContext::Code,
            holes: vec![],
            key: None,
            key_name: key.map(str::to_string),
        };
        let lines = LineIndex::new(&source);
        let span_resource = span(Some("Resource"));
        let context = Context {
            span: &span_resource,
            usages: &[],
            lines: &lines,
        };
        let f = judge(&source, 1, r, &context, &rules, &options).unwrap();
        let fix = f.fix.unwrap();
        assert_eq!(
            fix.edits[0].content,
            "anthropic.claude-sonnet-4-5-20250929-v1:0"
        );
        assert_eq!(f.key.as_deref(), Some("Resource"));
        assert!(f.notes.iter().any(|n| n.contains("must also allow `arn:aws:bedrock:REGION:ACCOUNT:inference-profile/GEO.anthropic.claude-sonnet-4-5-20250929-v1:0`")), "{:?}", f.notes);
        // Outside a policy, a foundation-model ARN cannot invoke a profile-only model.
        let span_modelid = span(Some("ModelId"));
        let context = Context {
            span: &span_modelid,
            usages: &[],
            lines: &lines,
        };
        let f = judge(&source, 1, r, &context, &rules, &options).unwrap();
        assert_eq!(f.fix, None);
        assert!(
            f.reason.contains("use an inference-profile ARN"),
            "{}",
            f.reason
        );
    }

    #[test]
    fn body_family_change_is_review() {
        let f = one("m = 'amazon.titan-text-express-v1'\n", None);
        let fix = f.fix.unwrap();
        assert_eq!(fix.safety, Safety::Review);
        assert_eq!(fix.edits[0].content, "amazon.nova-micro-v1:0");
        assert!(
            f.reason.contains("titan-text → nova-messages"),
            "{}",
            f.reason
        );
    }

    #[test]
    fn llama_same_body_bare_is_safe() {
        let f = one("m = \"bedrock/meta.llama2-13b-chat-v1\"\n", None);
        let fix = f.fix.unwrap();
        assert_eq!(fix.safety, Safety::Safe);
        assert_eq!(fix.edits[0].content, "meta.llama3-1-8b-instruct-v1:0");
        assert_eq!(
            &"m = \"bedrock/meta.llama2-13b-chat-v1\"\n"[fix.edits[0].range.clone()],
            "meta.llama2-13b-chat-v1"
        );
    }

    #[test]
    fn comments_and_docstrings_are_review() {
        let f = one("# uses meta.llama2-13b-chat-v1\n", None);
        assert_eq!(f.context, SpanContext::Comment);
        assert_eq!(f.fix.unwrap().safety, Safety::Review);
    }

    #[test]
    fn prose_is_review_and_recorded_output_is_never_rewritten() {
        let rules = load_from_str(TABLE, "t.toml").unwrap();
        let options = options_on("2026-11-21");
        let src = "Use `meta.llama2-13b-chat-v1` ([card](https://x/meta.llama2-13b-chat-v1)).\n\n\
                   ```text\nmeta.llama2-13b-chat-v1\n```\n";
        let found = plan_file(src, Language::Markdown, &rules, &options).findings;
        assert_eq!(found.len(), 3, "{found:#?}");
        assert_eq!(found[0].context, SpanContext::Prose);
        assert_eq!(found[0].fix.as_ref().unwrap().safety, Safety::Review);
        assert_eq!(found[0].reason, "in prose: documentation is left to review");
        for f in &found[1..] {
            assert_eq!(f.context, SpanContext::Text);
            assert_eq!(f.fix, None);
            assert!(f.reason.starts_with("in recorded output"), "{}", f.reason);
        }
    }

    #[test]
    fn never_rewritten_kinds() {
        let f = one("e = 'amazon.titan-embed-text-v1'\n", None);
        assert_eq!(f.fix, None);
        assert!(f.reason.starts_with("embedding model"));
        let f = one("p = 'anthropic.claude-3-sonnet-20240229-v1:0:200k'\n", None);
        assert_eq!(f.fix, None);
        assert!(f.reason.starts_with("provisioned-throughput variant"));
    }

    #[test]
    fn unknown_and_not_references() {
        let f = one("m = 'anthropic.claude-3-5-sonnet-20240620-v1:1'\n", None);
        assert_eq!(f.state, FindingState::Unknown);
        assert!(
            f.reason
                .contains("did you mean `anthropic.claude-3-5-sonnet-20240620-v1:0`"),
            "{}",
            f.reason
        );
        assert!(
            plan(
                "if m.startswith('anthropic.claude-3'): pass\nu = 'https://amazon.com'\n",
                None
            )
            .is_empty()
        );
    }

    #[test]
    fn near_misses() {
        // A known ID with a file extension is that ID.
        let f = one("p = 'models/meta.llama2-13b-chat-v1.json'\n", Some("us"));
        assert_eq!(f.original, "meta.llama2-13b-chat-v1");
        assert_eq!(f.state, FindingState::Eol);
        assert_eq!(f.fix, None, "a file name is not rewritten");
        assert!(f.reason.starts_with("part of a file name"));
        // A truncated ID (missing `:0`) is reported; a family prefix is not.
        let f = one("m = 'meta.llama3-1-8b-instruct-v1'\n", None);
        assert_eq!(f.state, FindingState::Unknown);
        assert!(
            f.reason
                .contains("did you mean `meta.llama3-1-8b-instruct-v1:0`"),
            "{}",
            f.reason
        );
        // Dotted names of unknown families are not model IDs.
        assert!(
            plan(
                "a = 'amazon.com:443'\nb = 'amazon.aws-cdk-lib-2.0'\nc = 'meta.something-2'\n",
                None
            )
            .is_empty()
        );
        // Unknown members of known families are.
        let f = one("m = 'meta.llama9-8b-instruct-v1:0'\n", None);
        assert_eq!(f.state, FindingState::Unknown);
    }

    #[test]
    fn split_ids_rewrite_only_a_whole_base_id() {
        // The hole stands for a prefix: the base ID is rewritten, as review, no prefix added.
        let f = one("m = f'{geo}.meta.llama2-13b-chat-v1'\n", Some("us"));
        let fix = f.fix.unwrap();
        assert_eq!(fix.safety, Safety::Review);
        assert_eq!(fix.edits[0].content, "meta.llama3-1-8b-instruct-v1:0");
        assert!(
            f.reason.contains("assembled with a template"),
            "{}",
            f.reason
        );
        // A hole after the ID: the text is not the whole ID.
        let f = one("m = f'meta.llama2-13b-chat-v1{suffix}'\n", None);
        assert_eq!(f.fix, None);
        assert!(f.reason.contains("interpolation"));
        let f = one("m = f'anthropic.claude-{v}'\n", None);
        assert_eq!(f.state, FindingState::Unknown);
        assert!(f.reason.contains("interpolation"));
    }

    #[test]
    fn active_models_need_nothing() {
        let f = one("m = 'meta.llama3-1-8b-instruct-v1:0'\n", None);
        assert_eq!(f.state, FindingState::Active);
        assert_eq!(f.safety, None);
        assert_eq!(f.fix, None);
    }

    #[test]
    fn bom_and_crlf_offsets() {
        let src = "\u{feff}a = 1\r\nm = 'meta.llama2-13b-chat-v1'\r\n";
        let f = one(src, None);
        assert_eq!((f.line, f.column), (2, 6));
        assert_eq!(&src[f.range.clone()], "meta.llama2-13b-chat-v1");
        // On the first line of a file with a BOM, the BOM is not a column.
        let f = one("\u{feff}m = 'meta.llama2-13b-chat-v1'\n", None);
        assert_eq!((f.line, f.column, f.end_column), (1, 6, 29));
    }

    #[test]
    fn many_references_on_one_line() {
        let line: String = (0..200).map(|_| "'meta.llama2-13b-chat-v1', ").collect();
        let found = plan(&format!("x = [{line}]\n"), None);
        assert_eq!(found.len(), 200);
        for (i, f) in found.iter().enumerate() {
            assert_eq!(f.column, 7 + i * 27, "finding {i}");
            assert_eq!(f.end_column, f.column + 23);
        }
    }

    #[test]
    fn rewrites_never_duplicate_dict_keys() {
        let src = "PRICES = {\n    'meta.llama2-13b-chat-v1': 1,\n    'meta.llama3-1-8b-instruct-v1:0': 2,\n}\nM = 'meta.llama2-13b-chat-v1'\n";
        let found = plan(src, Some("us"));
        let key = &found[0];
        assert_eq!(key.fix, None);
        assert!(
            key.reason.contains("already a key on line 3"),
            "{}",
            key.reason
        );
        // The same ID outside the table is still fixed.
        assert!(found.last().unwrap().fix.is_some());
        // Two old keys that would both become the same new key collide with each other.
        let src = "T = {'us.anthropic.claude-3-5-sonnet-20240620-v1:0': 1, 'us.anthropic.claude-v2': 2}\n";
        let found = plan(src, Some("us"));
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|f| f.fix.is_none()), "{found:#?}");
    }

    #[test]
    fn syntax_errors_make_fixes_review() {
        let rules = load_from_str(TABLE, "t.toml").unwrap();
        let options = options_on("2026-11-21");
        let plan = plan_file(
            "m = ('meta.llama2-13b-chat-v1'\n",
            Language::Python,
            &rules,
            &options,
        );
        assert!(plan.syntax_error.is_some());
        assert_eq!(plan.findings.len(), 1);
        let f = &plan.findings[0];
        assert_eq!(f.fix.as_ref().unwrap().safety, Safety::Review);
        assert!(
            f.reason
                .starts_with("the file does not parse cleanly (1:1: syntax error)"),
            "{}",
            f.reason
        );
        assert_eq!(f.notes[0], "same request format (meta-llama)");
    }

    /// Focusing the extractor on the provider prefixes must not change a single finding:
    /// every file of every fixture, planned both ways with the default table, as of two
    /// dates and with a profile prefix so that fixes, reviews and collisions all occur.
    #[test]
    fn a_focused_extraction_plans_every_fixture_file_alike() {
        let rules = load_from_str(crate::rules::DEFAULT_RULES, "bedrock.toml").unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut files = 0;
        for entry in ignore::WalkBuilder::new(&root)
            .standard_filters(false)
            .build()
            .flatten()
        {
            let path = entry.path();
            let (Some(language), Ok(source)) =
                (Language::from_path(path), std::fs::read_to_string(path))
            else {
                continue;
            };
            for (as_of, prefix) in [("2026-11-21", Some("us")), ("2025-01-01", None)] {
                let options = PlanOptions {
                    resolve: ResolveOptions {
                        as_of: as_of.parse().unwrap(),
                        region: None,
                        official_only: false,
                    },
                    profile_prefix: prefix.map(str::to_string),
                    prefix_map: Default::default(),
                    ..Default::default()
                };
                let whole = plan_file_in(&source, language, &rules, &options, false);
                let focused = plan_file(&source, language, &rules, &options);
                assert_eq!(
                    format!("{:?}", focused),
                    format!("{:?}", whole),
                    "{}",
                    path.display()
                );
            }
            files += 1;
        }
        assert!(files > 100, "only {files} fixture files found");
    }
}
