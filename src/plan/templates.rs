//! Model IDs assembled with a template: `f"{geo}.anthropic.claude-3-haiku-20240307-v1:0"`,
//! `"{}.anthropic.…".format(geo)`, `"%s.anthropic.…" % geo`, `` `${geo}.anthropic.…` ``,
//! `format!("{}.anthropic.…", geo)`, `!Sub "${Geo}.anthropic.…"`.
//!
//! When the hole stands *before* the ID, the base ID in the text is whole and known, and
//! only what comes before it (usually a geography prefix) is filled in at run time: the base
//! ID is rewritten, no prefix is ever added, and the rewrite is review because whether the
//! replacement has an inference profile for that prefix cannot be known here. When a hole
//! follows the ID (`anthropic.claude-{v}`, `…-v2{suffix}`), the text is not the whole ID and
//! nothing is rewritten.

use crate::finding::{Edit, Finding, Fix, ReplacementInfo, Safety};
use crate::model_ref::ModelRef;
use crate::rules::Model;

/// Fill in the replacement, fix and reason of a `finding` for the reference `r` (at offset
/// `base` of the file), which touches a template hole, given the replacement `target`.
pub(super) fn rewrite_base(
    finding: &mut Finding,
    r: &ModelRef,
    base: usize,
    mut info: ReplacementInfo,
    target: &Model,
) {
    finding.safety = Some(Safety::Review);
    if r.hole_after || r.geo.is_some() || r.arn.is_some() {
        finding.reason = format!(
            "model ID assembled with an interpolation; change it to `{}` (with the right geography prefix) by hand",
            target.id
        );
        finding.replacement = Some(info);
        return;
    }
    let text = r.render(None, &target.id);
    info.text = Some(text.clone());
    finding.replacement = Some(info);
    let profiles = if target.profiles.is_empty() {
        "it has none".to_string()
    } else {
        format!("it has: {}", target.profiles.join(", "))
    };
    finding.reason = format!(
        "model ID assembled with a template: what stands before `{}` is filled in at run time, so only the base ID is rewritten and no geography prefix is added; check that the prefix the template supplies is an inference profile of `{}` ({profiles})",
        r.id, target.id
    );
    finding.fix = Some(Fix {
        edits: vec![Edit {
            range: r.profile_range.start + base..r.profile_range.end + base,
            content: text,
        }],
        safety: Safety::Review,
    });
}

#[cfg(test)]
mod tests {
    use crate::extract::Language;
    use crate::finding::{Finding, Safety};
    use crate::plan::{PlanOptions, plan_file};
    use crate::rules::ResolveOptions;
    use crate::rules::load::load_from_str;

    const TABLE: &str = r#"
schema_version = 1
geo_prefixes = ["us", "eu", "apac"]
[[model]]
id = "anthropic.claude-3-haiku-20240307-v1:0"
body = "anthropic-messages"
profiles = ["us", "eu", "apac"]
lifecycle = [{ legacy = 2026-03-10, eol = 2026-09-10 }]
replacement = [{ id = "anthropic.claude-haiku-4-5-20251001-v1:0", provenance = "official" }]
[[model]]
id = "anthropic.claude-haiku-4-5-20251001-v1:0"
body = "anthropic-messages"
on_demand = false
profiles = ["us", "eu"]
"#;

    /// The one finding of `src`, planned with `--profile-prefix us`.
    fn one(src: &str, language: Language) -> Finding {
        let rules = load_from_str(TABLE, "t.toml").unwrap();
        let options = PlanOptions {
            resolve: ResolveOptions {
                as_of: "2026-11-21".parse().unwrap(),
                ..Default::default()
            },
            profile_prefix: Some("us".into()),
            ..Default::default()
        };
        let mut found = plan_file(src, language, &rules, &options).findings;
        assert_eq!(found.len(), 1, "{src}: {found:#?}");
        found.remove(0)
    }

    /// Check that `src` gets a review fix of the base ID only, with no prefix, and that
    /// applying it gives `expected`.
    fn base_only(src: &str, language: Language, expected: &str) {
        let f = one(src, language);
        let fix = f.fix.as_ref().unwrap_or_else(|| panic!("{src}: {f:#?}"));
        assert_eq!(fix.safety, Safety::Review, "{src}");
        assert_eq!(f.safety, Some(Safety::Review));
        assert_eq!(
            f.reason,
            "model ID assembled with a template: what stands before `anthropic.claude-3-haiku-20240307-v1:0` is filled in at run time, so only the base ID is rewritten and no geography prefix is added; check that the prefix the template supplies is an inference profile of `anthropic.claude-haiku-4-5-20251001-v1:0` (it has: us, eu)"
        );
        assert_eq!(crate::text::splice(src, &fix.edits), expected);
    }

    #[test]
    fn python_format_and_percent_templates_are_found_like_f_strings() {
        for (src, expected) in [
            (
                "m = '{}.anthropic.claude-3-haiku-20240307-v1:0'.format(geo)\n",
                "m = '{}.anthropic.claude-haiku-4-5-20251001-v1:0'.format(geo)\n",
            ),
            (
                "m = '{geo}.anthropic.claude-3-haiku-20240307-v1:0'.format(geo=g)\n",
                "m = '{geo}.anthropic.claude-haiku-4-5-20251001-v1:0'.format(geo=g)\n",
            ),
            (
                "m = '%s.anthropic.claude-3-haiku-20240307-v1:0' % geo\n",
                "m = '%s.anthropic.claude-haiku-4-5-20251001-v1:0' % geo\n",
            ),
            (
                "m = '%(geo)s.anthropic.claude-3-haiku-20240307-v1:0' % {'geo': g}\n",
                "m = '%(geo)s.anthropic.claude-haiku-4-5-20251001-v1:0' % {'geo': g}\n",
            ),
            (
                "m = f'{geo}.anthropic.claude-3-haiku-20240307-v1:0'\n",
                "m = f'{geo}.anthropic.claude-haiku-4-5-20251001-v1:0'\n",
            ),
        ] {
            base_only(src, Language::Python, expected);
        }
    }

    #[test]
    fn js_template_literals_and_rust_format_strings_too() {
        base_only(
            "const m = `${geo}.anthropic.claude-3-haiku-20240307-v1:0`;\n",
            Language::TypeScript,
            "const m = `${geo}.anthropic.claude-haiku-4-5-20251001-v1:0`;\n",
        );
        base_only(
            "fn m(geo: &str) -> String { format!(\"{geo}.anthropic.claude-3-haiku-20240307-v1:0\") }\n",
            Language::Rust,
            "fn m(geo: &str) -> String { format!(\"{geo}.anthropic.claude-haiku-4-5-20251001-v1:0\") }\n",
        );
        base_only(
            "fn m(geo: &str) -> String { format!(\"{}.anthropic.claude-3-haiku-20240307-v1:0\", geo) }\n",
            Language::Rust,
            "fn m(geo: &str) -> String { format!(\"{}.anthropic.claude-haiku-4-5-20251001-v1:0\", geo) }\n",
        );
    }

    #[test]
    fn a_plain_string_is_not_a_template() {
        // Another method call is no template: the whole ID gets its profile prefix.
        let f = one(
            "m = 'anthropic.claude-3-haiku-20240307-v1:0'.upper()\n",
            Language::Python,
        );
        assert_eq!(
            f.fix.unwrap().edits[0].content,
            "us.anthropic.claude-haiku-4-5-20251001-v1:0"
        );
        // A hole after the ID: nothing is rewritten.
        let f = one(
            "m = 'anthropic.claude-3-haiku-20240307-v1:0{}'.format(s)\n",
            Language::Python,
        );
        assert_eq!(f.fix, None);
        assert!(
            f.reason
                .starts_with("model ID assembled with an interpolation")
        );
    }
}
