//! Safety classes: whether swapping a model for its replacement keeps the calling code
//! working, judged from where the reference sits and, when it is visible, how it is used.
//!
//! - In a comment, docstring or prose (Markdown text): review (documentation is read by
//!   people).
//! - Same request-body family: safe anywhere.
//! - A Converse-family call ([`Api::model_agnostic`]): safe, unless the request passes
//!   `additionalModelRequestFields`, which are model-specific.
//! - An InvokeModel call with a body-family change: review, naming the old and new body
//!   formats and their fields.
//! - No visible call site and a body-family change: review.
//! - Whatever the call, a replacement that rejects a parameter the call sets (Opus 4.7+
//!   reject `temperature`, `top_p`, `top_k`; Sonnet/Haiku 4.5 reject `temperature` with
//!   `top_p`): review, naming the parameter and where it is set.

use super::LineIndex;
use crate::callsite::{Api, Usage};
use crate::extract::SpanContext;
use crate::finding::Safety;
use crate::rules::Model;

/// Classify the swap of `model` for `target` at a reference in `context`, used at `usages`
/// (possibly none visible). Who recommends the target does not matter here: a suggested
/// replacement is only reached with `--suggested`, the user's opt-in.
pub(super) fn classify(
    context: SpanContext,
    model: &Model,
    target: &Model,
    usages: &[&Usage],
    lines: &LineIndex,
) -> (Safety, String) {
    match context {
        SpanContext::Comment => {
            return (
                Safety::Review,
                "in a comment: documentation is left to review".into(),
            );
        }
        SpanContext::Docstring => {
            return (
                Safety::Review,
                "in a docstring: documentation is left to review".into(),
            );
        }
        SpanContext::Prose => {
            return (
                Safety::Review,
                "in prose: documentation is left to review".into(),
            );
        }
        // `migrate` never offers a fix in text; classified like documentation if it did.
        SpanContext::Text => return (Safety::Review, "in recorded output".into()),
        SpanContext::Code => {}
    }
    if let Some(problem) = usages
        .iter()
        .find_map(|u| rejected_parameters(target, u, lines))
    {
        return (Safety::Review, problem);
    }
    let same_body = model.body == target.body && model.kind == target.kind;
    if usages.is_empty() {
        return if same_body {
            (
                Safety::Safe,
                format!("same request format ({})", model.body),
            )
        } else {
            (
                Safety::Review,
                format!(
                    "request body changes ({} → {}) and no call site is visible in this file: InvokeModel callers must rewrite the request ({}) and the response handling; Converse callers are unaffected",
                    model.body,
                    target.body,
                    body_fields(&target.body)
                ),
            )
        };
    }
    // Every visible use must be fine for the rewrite to be safe.
    let mut reasons = Vec::new();
    for usage in usages {
        let (line, column) = lines.line_col(usage.call.start);
        let at = format!("{} call at {line}:{column}", usage.api.name());
        if same_body && usage.api != Api::AnthropicMessages {
            reasons.push((
                Safety::Safe,
                format!("{at}: same request format ({})", model.body),
            ));
        } else if usage.api == Api::AnthropicMessages {
            if target.body == "anthropic-messages" {
                reasons.push((
                    Safety::Safe,
                    format!("{at}: the replacement speaks the Messages API"),
                ));
            } else {
                reasons.push((
                    Safety::Review,
                    format!(
                        "{at}: the replacement `{}` does not speak the Anthropic Messages API",
                        target.id
                    ),
                ));
            }
        } else if usage.api.model_agnostic() {
            match usage
                .params
                .iter()
                .find(|p| p.name == "additional_model_request_fields")
            {
                Some(p) => {
                    let (l, c) = lines.line_col(p.range.start);
                    reasons.push((
                        Safety::Review,
                        format!(
                            "{at} passes additionalModelRequestFields (at {l}:{c}), which are specific to the model ({} → {}): check them",
                            model.body, target.body
                        ),
                    ));
                }
                None => reasons.push((
                    Safety::Safe,
                    format!("{at}: the request does not depend on the model"),
                )),
            }
        } else {
            reasons.push((
                Safety::Review,
                format!(
                    "{at}: the request body changes from {} ({}) to {} ({}); rewrite the body and the response parsing",
                    model.body,
                    body_fields(&model.body),
                    target.body,
                    body_fields(&target.body)
                ),
            ));
        }
    }
    reasons
        .iter()
        .find(|(s, _)| *s == Safety::Review)
        .or_else(|| reasons.first())
        .cloned()
        .unwrap_or((Safety::Review, "no call site".into()))
}

/// The parameters set at `usage` that `target` rejects, as a reason naming each and where it
/// is set.
fn rejected_parameters(target: &Model, usage: &Usage, lines: &LineIndex) -> Option<String> {
    let at = |name: &str| {
        usage.params.iter().find(|p| p.name == name).map(|p| {
            let (line, column) = lines.line_col(p.range.start);
            format!("`{name}` at {line}:{column}")
        })
    };
    let alone: Vec<String> = target.rejects.iter().filter_map(|n| at(n)).collect();
    if !alone.is_empty() {
        return Some(format!(
            "replacement `{}` rejects {} (HTTP 400): remove {} from the request",
            target.id,
            alone.join(", "),
            if alone.len() == 1 { "it" } else { "them" }
        ));
    }
    if target.rejects_together.len() > 1 {
        let together: Vec<String> = target
            .rejects_together
            .iter()
            .filter_map(|n| at(n))
            .collect();
        if together.len() == target.rejects_together.len() {
            return Some(format!(
                "replacement `{}` rejects {} set together (HTTP 400): keep only one",
                target.id,
                together.join(" and ")
            ));
        }
    }
    None
}

/// The request fields that identify an InvokeModel body family, for messages that say what
/// to change.
fn body_fields(family: &str) -> &'static str {
    match family {
        "anthropic-text-completions" => "`prompt`, `max_tokens_to_sample`",
        "anthropic-messages" => "`anthropic_version`, `messages`, `max_tokens`",
        "titan-text" => "`inputText`, `textGenerationConfig`",
        "nova-messages" => "`schemaVersion: messages-v1`, `messages`, `inferenceConfig`",
        "meta-llama" => "`prompt`, `max_gen_len`",
        "cohere-command" => "`prompt`, `max_tokens`",
        "cohere-command-r" => "`message`, `chat_history`",
        "ai21-jurassic" => "`prompt`, `maxTokens`",
        "ai21-jamba" => "`messages`",
        "stability-sdxl" => "`text_prompts`; response `artifacts`",
        "stability-image" => "`prompt`; response `images`",
        "titan-image" => "`taskType`, `textToImageParams`",
        "nova-canvas" => "`taskType`, `textToImageParams`",
        "mistral" => "`prompt` or `messages`",
        _ => "see the model's inference parameters page",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callsite::Param;

    fn model(id: &str, body: &str) -> Model {
        Model {
            body: body.into(),
            ..Model::new(id)
        }
    }

    fn usage(api: Api, params: &[(&str, std::ops::Range<usize>)]) -> Usage {
        Usage {
            literal: 0..1,
            api,
            call: 0..1,
            params: params
                .iter()
                .map(|(n, r)| Param {
                    name: n.to_string(),
                    range: r.clone(),
                })
                .collect(),
            via: None,
            region: None,
        }
    }

    const SRC: &str =
        "client.converse(modelId=M,\n  inferenceConfig={'temperature': 0.2, 'topP': 0.9})\n";

    #[test]
    fn converse_calls_survive_a_body_change() {
        let lines = LineIndex::new(SRC);
        let titan = model("amazon.titan-text-express-v1", "titan-text");
        let nova = model("amazon.nova-micro-v1:0", "nova-messages");
        let u = usage(Api::Converse, &[]);
        let (s, why) = classify(SpanContext::Code, &titan, &nova, &[&u], &lines);
        assert_eq!(s, Safety::Safe, "{why}");
        let u = usage(Api::Converse, &[("additional_model_request_fields", 5..9)]);
        let (s, why) = classify(SpanContext::Code, &titan, &nova, &[&u], &lines);
        assert_eq!(s, Safety::Review);
        assert!(
            why.contains("additionalModelRequestFields (at 1:6)"),
            "{why}"
        );
    }

    #[test]
    fn invoke_model_with_a_body_change_names_the_formats() {
        let lines = LineIndex::new(SRC);
        let titan = model("amazon.titan-text-express-v1", "titan-text");
        let nova = model("amazon.nova-micro-v1:0", "nova-messages");
        let u = usage(Api::InvokeModel, &[]);
        let (s, why) = classify(SpanContext::Code, &titan, &nova, &[&u], &lines);
        assert_eq!(s, Safety::Review);
        assert!(why.starts_with("InvokeModel call at 1:1: the request body changes from titan-text (`inputText`, `textGenerationConfig`) to nova-messages"), "{why}");
        // One unsafe use makes the rewrite unsafe even if another is fine.
        let ok = usage(Api::Converse, &[]);
        let (s, _) = classify(SpanContext::Code, &titan, &nova, &[&ok, &u], &lines);
        assert_eq!(s, Safety::Review);
        // Without a visible call site, a body change is review; the same body is safe.
        let (s, _) = classify(SpanContext::Code, &titan, &nova, &[], &lines);
        assert_eq!(s, Safety::Review);
        let (s, _) = classify(SpanContext::Code, &nova, &nova, &[&u], &lines);
        assert_eq!(s, Safety::Safe);
    }

    #[test]
    fn rejected_parameters_are_named_with_their_position() {
        let lines = LineIndex::new(SRC);
        let old = model(
            "anthropic.claude-3-5-sonnet-20240620-v1:0",
            "anthropic-messages",
        );
        let mut sonnet45 = model(
            "anthropic.claude-sonnet-4-5-20250929-v1:0",
            "anthropic-messages",
        );
        sonnet45.rejects_together = vec!["temperature".into(), "top_p".into()];
        let t = SRC.find("'temperature'").unwrap();
        let p = SRC.find("'topP'").unwrap();
        let both = usage(
            Api::Converse,
            &[("temperature", t..t + 13), ("top_p", p..p + 6)],
        );
        let (s, why) = classify(SpanContext::Code, &old, &sonnet45, &[&both], &lines);
        assert_eq!(s, Safety::Review);
        assert_eq!(
            why,
            "replacement `anthropic.claude-sonnet-4-5-20250929-v1:0` rejects `temperature` at 2:20 and `top_p` at 2:40 set together (HTTP 400): keep only one"
        );
        let one = usage(Api::Converse, &[("temperature", t..t + 13)]);
        assert_eq!(
            classify(SpanContext::Code, &old, &sonnet45, &[&one], &lines).0,
            Safety::Safe
        );
        let mut opus = model("anthropic.claude-opus-4-8", "anthropic-messages");
        opus.rejects = vec!["temperature".into(), "top_p".into(), "top_k".into()];
        let (s, why) = classify(SpanContext::Code, &old, &opus, &[&one], &lines);
        assert_eq!(s, Safety::Review);
        assert!(
            why.contains("rejects `temperature` at 2:20 (HTTP 400): remove it"),
            "{why}"
        );
    }

    #[test]
    fn anthropic_messages_clients_need_a_messages_model() {
        let lines = LineIndex::new(SRC);
        let v2 = model("anthropic.claude-v2", "anthropic-text-completions");
        let s45 = model(
            "anthropic.claude-sonnet-4-5-20250929-v1:0",
            "anthropic-messages",
        );
        let u = usage(Api::AnthropicMessages, &[]);
        assert_eq!(
            classify(SpanContext::Code, &v2, &s45, &[&u], &lines).0,
            Safety::Safe
        );
        let titan = model("amazon.titan-text-express-v1", "titan-text");
        assert_eq!(
            classify(SpanContext::Code, &v2, &titan, &[&u], &lines).0,
            Safety::Review
        );
    }

    #[test]
    fn documentation_is_review() {
        let lines = LineIndex::new(SRC);
        let m = model("a.b-1", "x");
        assert_eq!(
            classify(SpanContext::Comment, &m, &m, &[], &lines).0,
            Safety::Review
        );
        assert_eq!(
            classify(SpanContext::Docstring, &m, &m, &[], &lines).0,
            Safety::Review
        );
        let (safety, why) = classify(SpanContext::Prose, &m, &m, &[], &lines);
        assert_eq!(safety, Safety::Review);
        assert_eq!(why, "in prose: documentation is left to review");
    }
}
