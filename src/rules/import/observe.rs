//! From listings to observations: what each listing says about each model in each Region
//! (lifecycle status and dates, how it can be invoked, its kind), and the geography prefixes
//! of the system-defined inference profiles. Entries that cannot be used become warnings.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::listings::{
    FoundationModelSummary, InferenceProfileSummary, model_of_arn, region_of_arn,
};
use super::{ImportOptions, Listing, ListingContent};
use crate::rules::load::is_well_formed_id;
use crate::rules::{Kind, Lifecycle, Rules, Status};

/// Legacy, extended-access and end-of-life dates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Dates {
    pub(super) legacy: Option<NaiveDate>,
    pub(super) extended_access: Option<NaiveDate>,
    pub(super) eol: Option<NaiveDate>,
}

impl Dates {
    pub(super) fn of_status(s: &Status) -> Dates {
        Dates {
            legacy: s.legacy_date,
            extended_access: s.extended_access_date,
            eol: s.eol_date,
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.legacy.is_none() && self.extended_access.is_none() && self.eol.is_none()
    }

    /// legacy ≤ extended access ≤ EOL among the dates present (what the loader requires).
    fn in_order(&self) -> bool {
        let present: Vec<NaiveDate> = [self.legacy, self.extended_access, self.eol]
            .into_iter()
            .flatten()
            .collect();
        present.windows(2).all(|w| w[0] <= w[1])
    }

    /// True when a date given here differs from the same kind of date in `table`.
    pub(super) fn differs_from(&self, table: &Dates) -> bool {
        let differs = |a: Option<NaiveDate>, b: Option<NaiveDate>| a.is_some() && a != b;
        differs(self.legacy, table.legacy)
            || differs(self.extended_access, table.extended_access)
            || differs(self.eol, table.eol)
    }

    /// `legacy 2026-10-08, extended access 2027-01-08, EOL 2027-04-08`.
    pub(super) fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(d) = self.legacy {
            parts.push(format!("legacy {d}"));
        }
        if let Some(d) = self.extended_access {
            parts.push(format!("extended access {d}"));
        }
        if let Some(d) = self.eol {
            parts.push(format!("EOL {d}"));
        }
        parts.join(", ")
    }

    pub(super) fn group(&self, regions: Vec<String>) -> Lifecycle {
        Lifecycle {
            regions,
            legacy: self.legacy,
            extended_access: self.extended_access,
            eol: self.eol,
        }
    }
}

/// The lifecycle status a listing gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ApiStatus {
    Active,
    Legacy,
}

/// How a listing says a model can be invoked (`inferenceTypesSupported`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Access {
    OnDemand,
    ProfileOnly,
    ProvisionedOnly,
    Neither,
}

impl Access {
    fn of(types: &[String]) -> Access {
        let has = |t: &str| types.iter().any(|x| x == t);
        if has("ON_DEMAND") {
            Access::OnDemand
        } else if has("INFERENCE_PROFILE") {
            Access::ProfileOnly
        } else if has("PROVISIONED") {
            Access::ProvisionedOnly
        } else {
            Access::Neither
        }
    }

    pub(super) fn on_demand(self) -> bool {
        self == Access::OnDemand
    }

    pub(super) fn describe(self) -> &'static str {
        match self {
            Access::OnDemand => "on demand",
            Access::ProfileOnly => "inference profile only",
            Access::ProvisionedOnly => "provisioned throughput only",
            Access::Neither => "not on demand",
        }
    }
}

/// One foundation model as one listing shows it in one Region.
#[derive(Debug, Clone)]
pub(super) struct Observed {
    pub(super) id: String,
    pub(super) region: Option<String>,
    pub(super) name: Option<String>,
    pub(super) status: Option<ApiStatus>,
    pub(super) dates: Dates,
    pub(super) access: Option<Access>,
    pub(super) kind: Option<Kind>,
}

/// The foundation-model listings of one Region, for "not listed" notes.
#[derive(Debug, Default)]
pub(super) struct RegionListing {
    pub(super) files: Vec<String>,
    pub(super) ids: BTreeSet<String>,
    pub(super) providers: BTreeSet<String>,
}

/// Everything gathered from the listings before comparing.
#[derive(Default)]
pub(super) struct Gathered {
    /// By (model ID, Region); a later listing of the same model and Region wins.
    pub(super) models: BTreeMap<(String, Option<String>), Observed>,
    /// Foundation-model listings by Region.
    pub(super) listed: BTreeMap<Option<String>, RegionListing>,
    /// Base model ID → geography prefixes of its system-defined profiles.
    pub(super) profiles: BTreeMap<String, BTreeSet<String>>,
    pub(super) warnings: Vec<String>,
    pub(super) skipped_application_profiles: BTreeMap<String, usize>,
}

/// Gather the observations of all `listings`, in order: a later listing of the same model
/// and Region wins.
pub(super) fn gather(rules: &Rules, listings: &[Listing], options: &ImportOptions) -> Gathered {
    let mut g = Gathered::default();
    for listing in listings {
        match &listing.content {
            ListingContent::FoundationModels(list) => {
                gather_models(&mut g, &listing.path, list, options);
            }
            ListingContent::InferenceProfiles(list) => {
                gather_profiles(&mut g, rules, &listing.path, list);
            }
        }
    }
    g
}

fn gather_models(
    g: &mut Gathered,
    path: &str,
    list: &[FoundationModelSummary],
    options: &ImportOptions,
) {
    let arn_regions: BTreeSet<&str> = list
        .iter()
        .filter_map(|s| s.model_arn.as_deref().and_then(region_of_arn))
        .collect();
    // The Region of the whole file, for "not listed" notes: every ARN must agree.
    let file_region = match (&options.region, arn_regions.len()) {
        (Some(r), _) => Some(r.clone()),
        (None, 1) => arn_regions.first().map(|r| r.to_string()),
        _ => None,
    };
    let listed = g.listed.entry(file_region).or_default();
    if !listed.files.iter().any(|f| f == path) {
        listed.files.push(path.to_string());
    }
    for s in list {
        let id = s.model_id.as_str();
        if !is_well_formed_id(id) {
            g.warnings.push(format!(
                "{path}: skipped model ID `{id}`: not a well-formed Bedrock model ID"
            ));
            continue;
        }
        listed.ids.insert(id.to_string());
        if let Some((provider, _)) = id.split_once('.') {
            listed.providers.insert(provider.to_string());
        }
        let region = options.region.clone().or_else(|| {
            s.model_arn
                .as_deref()
                .and_then(region_of_arn)
                .map(str::to_string)
        });
        let mut status = None;
        let mut dates = Dates::default();
        if let Some(l) = &s.model_lifecycle {
            status = match l.status.as_str() {
                "ACTIVE" => Some(ApiStatus::Active),
                "LEGACY" => Some(ApiStatus::Legacy),
                other => {
                    g.warnings.push(format!(
                        "{path}: `{id}`: unknown lifecycle status `{other}` (expected ACTIVE or LEGACY); its lifecycle is not compared"
                    ));
                    None
                }
            };
            dates = Dates {
                legacy: l.legacy_time,
                extended_access: l.public_extended_access_time,
                eol: l.end_of_life_time,
            };
            if !dates.in_order() {
                g.warnings.push(format!(
                    "{path}: `{id}`: lifecycle dates out of order ({}); they are ignored",
                    dates.describe()
                ));
                dates = Dates::default();
            }
        }
        let kind = s.output_modalities.as_deref().and_then(kind_of_outputs);
        g.models.insert(
            (id.to_string(), region.clone()),
            Observed {
                id: id.to_string(),
                region,
                name: s.model_name.clone(),
                status,
                dates,
                access: s.inference_types_supported.as_deref().map(Access::of),
                kind,
            },
        );
    }
}

/// The table's `kind` for a model that outputs only these modalities, when it is not text.
fn kind_of_outputs(outputs: &[String]) -> Option<Kind> {
    let has = |m: &str| outputs.iter().any(|x| x == m);
    if has("TEXT") {
        None
    } else if has("EMBEDDING") {
        Some(Kind::Embedding)
    } else if has("VIDEO") {
        Some(Kind::Video)
    } else if has("IMAGE") {
        Some(Kind::Image)
    } else {
        None
    }
}

fn gather_profiles(g: &mut Gathered, rules: &Rules, path: &str, list: &[InferenceProfileSummary]) {
    for p in list {
        match p.profile_type.as_str() {
            "SYSTEM_DEFINED" => {}
            "APPLICATION" => {
                *g.skipped_application_profiles
                    .entry(path.to_string())
                    .or_default() += 1;
                continue;
            }
            other => {
                g.warnings.push(format!(
                    "{path}: skipped inference profile `{}`: unknown type `{other}` (expected SYSTEM_DEFINED or APPLICATION)",
                    p.inference_profile_id
                ));
                continue;
            }
        }
        match split_profile_id(rules, p) {
            Ok((geo, id)) => {
                g.profiles.entry(id).or_default().insert(geo);
            }
            Err(reason) => g.warnings.push(format!(
                "{path}: skipped inference profile `{}`: {reason}",
                p.inference_profile_id
            )),
        }
    }
}

/// The geography prefix and base model ID of a system-defined profile ID. The table's
/// grammar reads it when it knows the provider and the prefix; otherwise the ID must be
/// `<prefix>.<model ID>` with the model ID that the profile's model ARNs name.
fn split_profile_id(
    rules: &Rules,
    p: &InferenceProfileSummary,
) -> Result<(String, String), String> {
    let text = p.inference_profile_id.as_str();
    let whole = rules
        .grammar()
        .find(text)
        .into_iter()
        .find(|r| r.profile_range == (0..text.len()) && r.arn.is_none());
    let (geo, id) = match whole {
        Some(r) => match r.geo {
            Some(geo) if is_well_formed_id(&r.id) => (geo, r.id),
            Some(_) => return Err("not a well-formed Bedrock model ID after the prefix".into()),
            None => return Err("no geography prefix (expected `<prefix>.<model ID>`)".into()),
        },
        None => {
            let Some((geo, id)) = text.split_once('.') else {
                return Err("expected `<prefix>.<model ID>`".into());
            };
            let geo_ok = !geo.is_empty()
                && geo.len() <= 16
                && geo
                    .split('-')
                    .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase()));
            if !geo_ok || !is_well_formed_id(id) {
                return Err(
                    "expected `<prefix>.<model ID>` with a lowercase prefix and a well-formed model ID"
                        .into(),
                );
            }
            (geo.to_string(), id.to_string())
        }
    };
    // A system-defined profile routes to its own model in several Regions.
    let named: Vec<&str> = p
        .models
        .iter()
        .filter_map(|m| m.model_arn.as_deref().and_then(model_of_arn))
        .collect();
    if !named.is_empty() && !named.contains(&id.as_str()) {
        return Err(format!(
            "its models are `{}`, not `{id}`",
            named.first().copied().unwrap_or_default()
        ));
    }
    Ok((geo, id))
}

#[cfg(test)]
mod tests {
    use crate::rules::import::test_support::*;
    use crate::rules::import::{ChangeKind, ImportOptions, compare};

    #[test]
    fn region_comes_from_the_flag_then_the_arn() {
        let r = rules();
        let listing = fm(&model(
            "anthropic.claude-sonnet-4-6",
            r#""ON_DEMAND""#,
            ACTIVE,
        ));
        let c = compare(&r, std::slice::from_ref(&listing), &opts());
        assert_eq!(
            with_kind(&c, ChangeKind::OnDemand),
            [
                "on demand differs in us-east-1: anthropic.claude-sonnet-4-6 on demand (table: on demand only in eu-west-2)"
            ]
        );
        let flagged = ImportOptions {
            region: Some("eu-west-2".into()),
            ..opts()
        };
        let c = compare(&r, &[listing], &flagged);
        assert!(
            with_kind(&c, ChangeKind::OnDemand).is_empty(),
            "{:?}",
            lines(&c)
        );
        // Without an ARN and without --region the observation holds in every Region.
        let bare = fm(
            r#"{"modelId": "anthropic.claude-opus-4-5-20251101-v1:0", "inferenceTypesSupported": ["ON_DEMAND"]}"#,
        );
        let c = compare(&r, &[bare], &opts());
        assert_eq!(
            with_kind(&c, ChangeKind::OnDemand),
            [
                "on demand differs: anthropic.claude-opus-4-5-20251101-v1:0 on demand (table: not on demand)"
            ]
        );
        let m = layered(&c)
            .get("anthropic.claude-opus-4-5-20251101-v1:0")
            .unwrap()
            .clone();
        assert!(m.on_demand && m.on_demand_regions.is_empty());
    }

    #[test]
    fn malformed_ids_are_skipped_with_a_warning() {
        let r = rules();
        let c = compare(
            &r,
            &[fm(
                r#"{"modelId": "Amazon.Titan"}, {"modelId": "amazon.rerank-v1:0/a1b2c3d4e5f6"}"#,
            )],
            &opts(),
        );
        assert_eq!(
            c.warnings,
            [
                "fm.json: skipped model ID `Amazon.Titan`: not a well-formed Bedrock model ID",
                "fm.json: skipped model ID `amazon.rerank-v1:0/a1b2c3d4e5f6`: not a well-formed Bedrock model ID",
            ]
        );
        assert!(c.changes.is_empty());
    }
}
