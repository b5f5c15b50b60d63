//! Comparing observations with the table as of a date: new models, lifecycle dates,
//! on-demand availability, new profile prefixes and notes, each a [`Change`], with the overlay
//! entry that records it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::observe::{Access, ApiStatus, Dates, Observed, RegionListing, gather};
use super::overlay::{OverlayLifecycle, OverlayModel};
use super::{Change, ChangeKind, Comparison, ImportOptions, Listing};
use crate::rules::lifecycle::{self, Status};
use crate::rules::{Endpoint, Lifecycle, Model, Rules, State};

/// Compare the listings with `rules` as of `options.as_of`.
pub fn compare(rules: &Rules, listings: &[Listing], options: &ImportOptions) -> Comparison {
    let g = gather(rules, listings, options);

    let mut changes = Vec::new();
    let mut overlay: BTreeMap<String, OverlayModel> = BTreeMap::new();

    // Observations per model, in Region order (no Region first).
    let mut by_model: BTreeMap<&str, Vec<&Observed>> = BTreeMap::new();
    for obs in g.models.values() {
        by_model.entry(obs.id.as_str()).or_default().push(obs);
    }
    let mut new_ids: BTreeSet<&str> = by_model
        .keys()
        .copied()
        .filter(|id| rules.get(id).is_none())
        .collect();
    new_ids.extend(
        g.profiles
            .keys()
            .map(String::as_str)
            .filter(|id| rules.get(id).is_none()),
    );

    for id in &new_ids {
        let observed = by_model.get(id).map(Vec::as_slice).unwrap_or_default();
        let geos = g.profiles.get(*id).cloned().unwrap_or_default();
        let (change, entry) = new_model(rules, id, observed, &geos);
        changes.push(change);
        overlay.insert(id.to_string(), entry);
    }

    for (id, observed) in &by_model {
        let Some(model) = rules.get(id) else { continue };
        let mut entry = OverlayModel {
            id: id.to_string(),
            ..OverlayModel::default()
        };
        compare_lifecycle(model, observed, options.as_of, &mut changes, &mut entry);
        compare_on_demand(model, observed, &mut changes, &mut entry);
        if entry.changes_something() {
            overlay.insert(id.to_string(), entry);
        }
    }

    for (id, geos) in &g.profiles {
        let Some(model) = rules.get(id) else { continue };
        let missing: Vec<&String> = geos.iter().filter(|geo| !model.has_profile(geo)).collect();
        if missing.is_empty() {
            continue;
        }
        for geo in &missing {
            let unknown = if rules.geo_prefixes().contains(geo) {
                ""
            } else {
                " (a geography prefix the table does not know)"
            };
            changes.push(Change {
                kind: ChangeKind::ProfilePrefix,
                model: id.clone(),
                region: None,
                message: format!("new profile prefix: {id} {geo}.{unknown}"),
            });
        }
        let mut profiles = model.profiles.clone();
        profiles.extend(missing.into_iter().cloned());
        overlay
            .entry(id.clone())
            .or_insert_with(|| OverlayModel {
                id: id.clone(),
                ..OverlayModel::default()
            })
            .profiles = Some(profiles);
    }

    not_listed(rules, &g.listed, options.as_of, &mut changes);
    changes.sort();

    let overlay_geo_prefixes = geo_prefixes_to_declare(rules, &overlay);
    Comparison {
        changes,
        warnings: g.warnings,
        skipped_application_profiles: g.skipped_application_profiles,
        overlay,
        overlay_geo_prefixes,
    }
}

/// The change line and overlay entry for a model the table does not know.
fn new_model(
    rules: &Rules,
    id: &str,
    observed: &[&Observed],
    geos: &BTreeSet<String>,
) -> (Change, OverlayModel) {
    let mut parts: Vec<String> = Vec::new();
    let legacy = observed.iter().any(|o| o.status == Some(ApiStatus::Legacy));
    let any_status = observed.iter().any(|o| o.status.is_some());
    // The most urgent date of each kind, as the table evaluates several groups.
    let earliest =
        |f: fn(&Dates) -> Option<NaiveDate>| observed.iter().filter_map(|o| f(&o.dates)).min();
    let dates = Dates {
        legacy: earliest(|d| d.legacy),
        extended_access: earliest(|d| d.extended_access),
        eol: earliest(|d| d.eol),
    };
    if any_status {
        let mut s = if legacy { "LEGACY" } else { "ACTIVE" }.to_string();
        if !dates.is_empty() {
            s.push_str(", ");
            s.push_str(&dates.describe());
        } else if legacy {
            s.push_str(" (no dates in the listing)");
        }
        parts.push(s);
    }
    // Access by Region: "on demand in us-east-1, inference profile only in eu-west-1".
    let mut access: BTreeMap<Access, Vec<&str>> = BTreeMap::new();
    for o in observed {
        if let Some(a) = o.access {
            let regions = access.entry(a).or_default();
            if let Some(r) = &o.region {
                regions.push(r);
            }
        }
    }
    for (a, regions) in &access {
        if regions.is_empty() {
            parts.push(a.describe().to_string());
        } else {
            parts.push(format!("{} in {}", a.describe(), regions.join(", ")));
        }
    }
    if observed.is_empty() {
        parts.push("seen only in inference profiles".into());
    }
    let mut profiles: Vec<String> = geos.iter().cloned().collect();
    sort_geos(rules, &mut profiles);
    if !profiles.is_empty() {
        let list: Vec<String> = profiles.iter().map(|g| format!("{g}.")).collect();
        parts.push(format!("profiles {}", list.join(" ")));
    }
    let change = Change {
        kind: ChangeKind::NewModel,
        model: id.to_string(),
        region: None,
        message: format!("new model: {id} ({})", parts.join(", ")),
    };

    let mut groups: Vec<Lifecycle> = Vec::new();
    for o in observed.iter().filter(|o| !o.dates.is_empty()) {
        set_dates(&mut groups, o.region.as_deref(), o.dates);
    }
    let with_access: Vec<&&Observed> = observed.iter().filter(|o| o.access.is_some()).collect();
    let on: Vec<&&Observed> = with_access
        .iter()
        .copied()
        .filter(|o| o.access.is_some_and(Access::on_demand))
        .collect();
    let on_demand = (!with_access.is_empty()).then_some(!on.is_empty());
    let on_demand_regions = if !on.is_empty() && on.iter().all(|o| o.region.is_some()) {
        let mut regions: Vec<String> = on.iter().filter_map(|o| o.region.clone()).collect();
        regions.sort();
        regions.dedup();
        Some(regions)
    } else {
        None
    };
    let entry = OverlayModel {
        id: id.to_string(),
        name: observed.iter().find_map(|o| o.name.clone()),
        provider: id.split_once('.').map(|(p, _)| p.to_string()),
        kind: observed.iter().find_map(|o| o.kind),
        on_demand,
        on_demand_regions,
        profiles: (!profiles.is_empty()).then_some(profiles),
        lifecycle: (!groups.is_empty())
            .then(|| groups.iter().map(OverlayLifecycle::from).collect()),
    };
    (change, entry)
}

/// Order geography prefixes as the table lists them; unknown ones last, alphabetically.
fn sort_geos(rules: &Rules, geos: &mut [String]) {
    let known = rules.geo_prefixes();
    geos.sort_by_key(|g| {
        (
            known.iter().position(|k| k == g).unwrap_or(usize::MAX),
            g.clone(),
        )
    });
}

fn in_region(region: Option<&str>) -> String {
    region.map_or_else(String::new, |r| format!(" in {r}"))
}

/// `active`, `legacy; legacy 2026-10-08, EOL 2027-04-08`.
fn describe_table(status: &Status) -> String {
    let dates = Dates::of_status(status);
    if dates.is_empty() {
        status.state.as_str().to_string()
    } else {
        format!("{}; {}", status.state.as_str(), dates.describe())
    }
}

fn compare_lifecycle(
    model: &Model,
    observed: &[&Observed],
    as_of: NaiveDate,
    changes: &mut Vec<Change>,
    entry: &mut OverlayModel,
) {
    let mut groups = model.lifecycle.clone();
    let mut changed = false;
    for o in observed {
        let region = o.region.as_deref();
        let status = lifecycle::status(model, as_of, region);
        let table = Dates::of_status(&status);
        // `what in REGION: ID DATES (EXTRA table: …)`
        let push = |changes: &mut Vec<Change>, kind, what: &str, extra: &str| {
            let dates = if o.dates.is_empty() {
                String::new()
            } else {
                format!(" {}", o.dates.describe())
            };
            changes.push(Change {
                kind,
                model: model.id.clone(),
                region: o.region.clone(),
                message: format!(
                    "{what}{}: {}{dates} ({extra}table: {})",
                    in_region(region),
                    model.id,
                    describe_table(&status)
                ),
            });
        };
        if o.status == Some(ApiStatus::Legacy)
            && matches!(status.state, State::Active | State::Unknown)
        {
            let extra = if o.dates.is_empty() {
                "no dates in the listing, so none are written to the overlay; "
            } else {
                ""
            };
            push(changes, ChangeKind::Lifecycle, "now legacy", extra);
        } else if o.dates.differs_from(&table) {
            push(changes, ChangeKind::Lifecycle, "dates differ", "");
        } else {
            if o.status == Some(ApiStatus::Active) && status.state != State::Active {
                push(changes, ChangeKind::ListedActive, "listed as ACTIVE", "");
            }
            continue;
        }
        if !o.dates.is_empty() {
            set_dates(&mut groups, region, o.dates);
            changed = true;
        }
    }
    if changed {
        entry.lifecycle = Some(groups.iter().map(OverlayLifecycle::from).collect());
    }
}

/// Make `dates` hold in `region` (all Regions when `None`): the Region leaves the groups
/// that named it (a group left naming none is dropped, so that it does not turn into a
/// group for every Region) and joins a group with equal dates, or a new one. Groups are
/// then ordered as the generator orders them: by EOL, legacy and extended-access date,
/// the group without Regions last.
fn set_dates(groups: &mut Vec<Lifecycle>, region: Option<&str>, dates: Dates) {
    let Some(region) = region else {
        *groups = vec![dates.group(vec![])];
        return;
    };
    groups.retain_mut(|g| {
        let named = !g.regions.is_empty();
        g.regions.retain(|r| r != region);
        !named || !g.regions.is_empty()
    });
    let same = groups.iter_mut().find(|g| {
        !g.regions.is_empty()
            && g.legacy == dates.legacy
            && g.extended_access == dates.extended_access
            && g.eol == dates.eol
    });
    match same {
        Some(g) => {
            g.regions.push(region.to_string());
            g.regions.sort();
        }
        None => groups.push(dates.group(vec![region.to_string()])),
    }
    groups.sort_by_key(|g| (g.regions.is_empty(), g.eol, g.legacy, g.extended_access));
}

/// Can the bare ID be invoked on demand in `region`, by the table?
fn table_on_demand(model: &Model, region: Option<&str>) -> bool {
    match region {
        Some(_) => model.invocable_bare(region),
        None => model.on_demand,
    }
}

fn describe_table_access(model: &Model) -> String {
    if !model.on_demand {
        "not on demand".into()
    } else if model.on_demand_regions.is_empty() {
        "on demand".into()
    } else {
        format!("on demand only in {}", model.on_demand_regions.join(", "))
    }
}

fn compare_on_demand(
    model: &Model,
    observed: &[&Observed],
    changes: &mut Vec<Change>,
    entry: &mut OverlayModel,
) {
    if model.endpoint == Endpoint::Mantle {
        return;
    }
    let seen: Vec<(Option<&str>, bool)> = observed
        .iter()
        .filter_map(|o| o.access.map(|a| (o.region.as_deref(), a.on_demand())))
        .collect();
    let mut differs = false;
    for o in observed {
        let Some(access) = o.access else { continue };
        let region = o.region.as_deref();
        if access.on_demand() == table_on_demand(model, region) {
            continue;
        }
        differs = true;
        changes.push(Change {
            kind: ChangeKind::OnDemand,
            model: model.id.clone(),
            region: o.region.clone(),
            message: format!(
                "on demand differs{}: {} {} (table: {})",
                in_region(region),
                model.id,
                access.describe(),
                describe_table_access(model)
            ),
        });
    }
    if !differs {
        return;
    }
    let (on_demand, regions) = on_demand_after(model, &seen);
    if on_demand != model.on_demand {
        entry.on_demand = Some(on_demand);
    }
    if regions != model.on_demand_regions {
        entry.on_demand_regions = Some(regions);
    }
}

/// The table's `on_demand` and `on_demand_regions` after the observations: an observation
/// without a Region holds everywhere; Regions seen on demand are added, Regions seen
/// without it removed. The format cannot say "everywhere but R", so a model on demand
/// everywhere that a listing shows without on demand keeps only the Regions seen with it
/// (none: not on demand) — a bare rewrite that fails at run time is worse than a review.
fn on_demand_after(model: &Model, seen: &[(Option<&str>, bool)]) -> (bool, Vec<String>) {
    let mut on_demand = model.on_demand;
    let mut regions: BTreeSet<String> = model.on_demand_regions.iter().cloned().collect();
    for (_, on) in seen.iter().filter(|(r, _)| r.is_none()) {
        on_demand = *on;
        regions.clear();
    }
    let on: BTreeSet<String> = seen
        .iter()
        .filter_map(|(r, on)| r.filter(|_| *on).map(str::to_string))
        .collect();
    let off: BTreeSet<String> = seen
        .iter()
        .filter_map(|(r, on)| r.filter(|_| !*on).map(str::to_string))
        .collect();
    if on_demand && regions.is_empty() {
        if !off.is_empty() {
            on_demand = !on.is_empty();
            regions = on;
        }
    } else if !on_demand {
        if !on.is_empty() {
            on_demand = true;
            regions = on;
        }
    } else {
        regions.extend(on);
        regions.retain(|r| !off.contains(r));
        if regions.is_empty() {
            on_demand = false;
        }
    }
    (on_demand, regions.into_iter().collect())
}

/// Notes for table models that a Region's foundation-model listings do not contain. Only
/// models whose provider appears in the listings count (a listing made with `--by-provider`
/// says nothing about other providers), and not end-of-life models, provisioned-throughput
/// variants (listed only where they are sold), bedrock-mantle IDs (not on the runtime) or
/// models that no lifecycle notice covers in that Region (perhaps never offered there).
fn not_listed(
    rules: &Rules,
    listed: &BTreeMap<Option<String>, RegionListing>,
    as_of: NaiveDate,
    changes: &mut Vec<Change>,
) {
    for (region, l) in listed {
        for m in rules.models() {
            if l.ids.contains(&m.id)
                || !l.providers.contains(&m.provider)
                || m.variant_of.is_some()
                || m.endpoint == Endpoint::Mantle
                || matches!(
                    lifecycle::status(m, as_of, region.as_deref()).state,
                    State::Eol | State::Unknown
                )
            {
                continue;
            }
            changes.push(Change {
                kind: ChangeKind::NotListed,
                model: m.id.clone(),
                region: region.clone(),
                message: format!(
                    "not listed in {}: {} (retired, or not offered in that Region)",
                    l.files.join(", "),
                    m.id
                ),
            });
        }
    }
}

/// Geography prefixes the overlay's `profiles` use that it must declare so that it loads on
/// the embedded table alone (`rules validate FILE`): those the loaded rules do not know, and
/// those only a `--rules` overlay declared.
fn geo_prefixes_to_declare(rules: &Rules, overlay: &BTreeMap<String, OverlayModel>) -> Vec<String> {
    let embedded: Vec<String> = crate::rules::load_default()
        .map(|r| r.geo_prefixes().to_vec())
        .unwrap_or_default();
    let mut geos: Vec<String> = overlay
        .values()
        .flat_map(|m| m.profiles.iter().flatten())
        .filter(|g| !(rules.geo_prefixes().contains(g) && embedded.contains(g)))
        .cloned()
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect();
    sort_geos(rules, &mut geos);
    geos
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Kind;
    use crate::rules::import::test_support::*;

    #[test]
    fn new_models() {
        let r = rules();
        let c = compare(
            &r,
            &[
                fm(&model(
                    "writer.palmyra-x6-v1:0",
                    r#""ON_DEMAND", "INFERENCE_PROFILE""#,
                    ACTIVE,
                )),
                ip(&profile(
                    "us.writer.palmyra-x6-v1:0",
                    "SYSTEM_DEFINED",
                    "writer.palmyra-x6-v1:0",
                )),
            ],
            &opts(),
        );
        assert_eq!(
            with_kind(&c, ChangeKind::NewModel),
            ["new model: writer.palmyra-x6-v1:0 (ACTIVE, on demand in us-east-1, profiles us.)"]
        );
        assert!(c.has_differences());
        let text = c.overlay_toml(&["header".into()]);
        assert!(
            text.starts_with("# header\n\nschema_version = 1\n"),
            "{text}"
        );
        let layered = layered(&c);
        let m = layered.get("writer.palmyra-x6-v1:0").unwrap();
        assert_eq!(m.name, "Some Model");
        assert_eq!(m.provider, "writer");
        assert!(m.on_demand);
        assert_eq!(m.on_demand_regions, ["us-east-1"]);
        assert_eq!(m.profiles, ["us"]);
        assert!(m.lifecycle.is_empty());
        // The new model is a known model of the layered table; the grammar now finds it.
        assert_eq!(layered.grammar().find("us.writer.palmyra-x6-v1:0").len(), 1);
    }

    #[test]
    fn new_legacy_embedding_model_and_profile_only_models() {
        let r = rules();
        let embed = r#"{"modelArn": "arn:aws:bedrock:eu-west-1::foundation-model/cohere.embed-v9:0",
            "modelId": "cohere.embed-v9:0", "outputModalities": ["EMBEDDING"],
            "inferenceTypesSupported": ["ON_DEMAND"],
            "modelLifecycle": {"status": "LEGACY", "legacyTime": "2026-09-01T00:00:00+00:00", "endOfLifeTime": "2027-03-01T00:00:00+00:00"}}"#;
        let c = compare(
            &r,
            &[
                fm(embed),
                ip(&profile(
                    "eu.mistral.large-9",
                    "SYSTEM_DEFINED",
                    "mistral.large-9",
                )),
            ],
            &opts(),
        );
        assert_eq!(
            with_kind(&c, ChangeKind::NewModel),
            [
                "new model: cohere.embed-v9:0 (LEGACY, legacy 2026-09-01, EOL 2027-03-01, on demand in eu-west-1)",
                "new model: mistral.large-9 (seen only in inference profiles, profiles eu.)",
            ]
        );
        let layered = layered(&c);
        let m = layered.get("cohere.embed-v9:0").unwrap();
        assert_eq!(m.kind, Kind::Embedding);
        assert_eq!(m.lifecycle.len(), 1);
        assert_eq!(m.lifecycle[0].regions, ["eu-west-1"]);
        assert_eq!(m.lifecycle[0].eol, Some(d("2027-03-01")));
        assert_eq!(
            lifecycle::status(m, d("2026-11-21"), None).state,
            State::Legacy
        );
        let m = layered.get("mistral.large-9").unwrap();
        assert_eq!(m.profiles, ["eu"]);
    }

    #[test]
    fn now_legacy_and_changed_dates() {
        let r = rules();
        let legacy = r#"{"status": "LEGACY", "legacyTime": "2026-11-05T00:00:00+00:00",
            "publicExtendedAccessTime": "2027-02-05T00:00:00+00:00", "endOfLifeTime": "2027-05-05T00:00:00+00:00"}"#;
        let moved = r#"{"status": "LEGACY", "legacyTime": "2026-10-08T00:00:00+00:00",
            "endOfLifeTime": "2027-06-08T00:00:00+00:00"}"#;
        let same = r#"{"status": "LEGACY", "legacyTime": "2026-10-08T00:00:00+00:00",
            "endOfLifeTime": "2027-04-08T00:00:00+00:00"}"#;
        let c = compare(
            &r,
            &[fm(&[
                model(
                    "anthropic.claude-opus-4-5-20251101-v1:0",
                    r#""INFERENCE_PROFILE""#,
                    legacy,
                ),
                model(
                    "anthropic.claude-sonnet-4-5-20250929-v1:0",
                    r#""INFERENCE_PROFILE""#,
                    moved,
                ),
            ]
            .join(","))],
            &opts(),
        );
        assert_eq!(
            with_kind(&c, ChangeKind::Lifecycle),
            [
                "now legacy in us-east-1: anthropic.claude-opus-4-5-20251101-v1:0 legacy 2026-11-05, extended access 2027-02-05, EOL 2027-05-05 (table: active)",
                "dates differ in us-east-1: anthropic.claude-sonnet-4-5-20250929-v1:0 legacy 2026-10-08, EOL 2027-06-08 (table: legacy; legacy 2026-10-08, extended access 2027-01-08, EOL 2027-04-08)",
            ]
        );
        let layered = layered(&c);
        let opus = layered
            .get("anthropic.claude-opus-4-5-20251101-v1:0")
            .unwrap();
        let s = lifecycle::status(opus, d("2026-11-21"), Some("us-east-1"));
        assert_eq!(
            (s.state, s.eol_date),
            (State::Legacy, Some(d("2027-05-05")))
        );
        // Keys that did not change are not written: the profiles stay the table's.
        assert_eq!(opus.profiles, ["us"]);
        assert!(!opus.on_demand);
        // Sonnet 4.5: us-east-1 gets its own group, the group for all Regions stays.
        let sonnet = layered
            .get("anthropic.claude-sonnet-4-5-20250929-v1:0")
            .unwrap();
        assert_eq!(sonnet.lifecycle.len(), 2);
        assert_eq!(sonnet.lifecycle[0].regions, ["us-east-1"]);
        assert!(sonnet.lifecycle[1].regions.is_empty());
        assert_eq!(
            lifecycle::status(sonnet, d("2027-05-01"), Some("us-east-1")).state,
            State::Legacy
        );
        assert_eq!(
            lifecycle::status(sonnet, d("2027-05-01"), Some("eu-west-1")).state,
            State::Eol
        );
        // Dates equal to the table's (extended access not given) are no difference.
        let c = compare(
            &r,
            &[fm(&model(
                "anthropic.claude-sonnet-4-5-20250929-v1:0",
                r#""INFERENCE_PROFILE""#,
                same,
            ))],
            &opts(),
        );
        assert!(!c.has_differences(), "{:?}", lines(&c));
        assert_eq!(c.overlay_len(), 0);
    }

    #[test]
    fn a_region_leaves_its_old_group() {
        let r = rules();
        let moved = r#"{"status": "LEGACY", "legacyTime": "2026-03-10T00:00:00+00:00",
            "endOfLifeTime": "2026-10-10T00:00:00+00:00"}"#;
        let c = compare(
            &r,
            &[fm(&model(
                "anthropic.claude-3-haiku-20240307-v1:0",
                r#""ON_DEMAND""#,
                moved,
            ))],
            &opts(),
        );
        let layered = layered(&c);
        let m = layered
            .get("anthropic.claude-3-haiku-20240307-v1:0")
            .unwrap();
        // us-east-1 joins eu-west-1, whose dates are equal; us-west-2 keeps its group.
        let groups: Vec<(Vec<String>, Option<NaiveDate>)> = m
            .lifecycle
            .iter()
            .map(|g| (g.regions.clone(), g.eol))
            .collect();
        assert_eq!(
            groups,
            [
                (vec!["us-west-2".to_string()], Some(d("2026-09-10"))),
                (
                    vec!["eu-west-1".to_string(), "us-east-1".to_string()],
                    Some(d("2026-10-10"))
                ),
            ]
        );
        // A group whose only Region leaves is dropped, not turned into one for all Regions.
        let mut groups = vec![
            Dates {
                legacy: Some(d("2026-01-01")),
                extended_access: None,
                eol: Some(d("2026-07-01")),
            }
            .group(vec!["us-east-1".into()]),
        ];
        set_dates(
            &mut groups,
            Some("us-east-1"),
            Dates {
                legacy: Some(d("2026-02-01")),
                ..Dates::default()
            },
        );
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].eol, None);
    }

    #[test]
    fn listed_active_is_a_note() {
        let r = rules();
        let c = compare(
            &r,
            &[fm(&model(
                "anthropic.claude-3-haiku-20240307-v1:0",
                r#""ON_DEMAND""#,
                ACTIVE,
            ))],
            &opts(),
        );
        assert_eq!(
            with_kind(&c, ChangeKind::ListedActive),
            [
                "listed as ACTIVE in us-east-1: anthropic.claude-3-haiku-20240307-v1:0 (table: eol; legacy 2026-03-10, EOL 2026-09-10)"
            ]
        );
        assert!(!c.has_differences());
        assert_eq!(c.overlay_len(), 0);
    }

    #[test]
    fn on_demand_changes() {
        let r = rules();
        // Nova Pro is on demand everywhere by the table; us-east-1 lists it profile-only.
        let c = compare(
            &r,
            &[fm(&[
                model("amazon.nova-pro-v1:0", r#""INFERENCE_PROFILE""#, ACTIVE),
                model(
                    "anthropic.claude-sonnet-4-6",
                    r#""ON_DEMAND", "INFERENCE_PROFILE""#,
                    ACTIVE,
                ),
                model(
                    "anthropic.claude-3-haiku-20240307-v1:0:200k",
                    r#""PROVISIONED""#,
                    ACTIVE,
                ),
            ]
            .join(","))],
            &opts(),
        );
        assert_eq!(
            with_kind(&c, ChangeKind::OnDemand),
            [
                "on demand differs in us-east-1: amazon.nova-pro-v1:0 inference profile only (table: on demand)",
                "on demand differs in us-east-1: anthropic.claude-sonnet-4-6 on demand (table: on demand only in eu-west-2)",
            ]
        );
        let layered = layered(&c);
        let nova = layered.get("amazon.nova-pro-v1:0").unwrap();
        assert!(!nova.on_demand);
        let sonnet = layered.get("anthropic.claude-sonnet-4-6").unwrap();
        assert!(sonnet.on_demand);
        assert_eq!(sonnet.on_demand_regions, ["eu-west-2", "us-east-1"]);
        let text = c.overlay_toml(&[]);
        assert!(!text.contains("profiles"), "{text}");
    }

    #[test]
    fn on_demand_bookkeeping() {
        let mut m = Model::new("a.b-1");
        assert_eq!(
            on_demand_after(&m, &[(Some("us-east-1"), false), (Some("eu-west-1"), true)]),
            (true, vec!["eu-west-1".to_string()])
        );
        m.on_demand_regions = vec!["eu-west-2".into()];
        assert_eq!(
            on_demand_after(&m, &[(Some("eu-west-2"), false)]),
            (false, vec![])
        );
        m.on_demand = false;
        m.on_demand_regions = vec![];
        assert_eq!(
            on_demand_after(&m, &[(Some("us-east-1"), true)]),
            (true, vec!["us-east-1".to_string()])
        );
        assert_eq!(on_demand_after(&m, &[(None, true)]), (true, vec![]));
    }

    #[test]
    fn profile_prefixes() {
        let r = rules();
        let c = compare(
            &r,
            &[ip(&[
                profile(
                    "us.anthropic.claude-sonnet-4-6",
                    "SYSTEM_DEFINED",
                    "anthropic.claude-sonnet-4-6",
                ),
                profile(
                    "global.anthropic.claude-sonnet-4-6",
                    "SYSTEM_DEFINED",
                    "anthropic.claude-sonnet-4-6",
                ),
                profile(
                    "mx.anthropic.claude-sonnet-4-6",
                    "SYSTEM_DEFINED",
                    "anthropic.claude-sonnet-4-6",
                ),
                profile("a1b2c3d4e5f6", "APPLICATION", "anthropic.claude-sonnet-4-6"),
                profile(
                    "us.Anthropic.Claude",
                    "SYSTEM_DEFINED",
                    "anthropic.claude-sonnet-4-6",
                ),
                profile(
                    "eu.anthropic.claude-sonnet-9",
                    "SYSTEM_DEFINED",
                    "anthropic.claude-sonnet-4-6",
                ),
            ]
            .join(","))],
            &opts(),
        );
        assert_eq!(
            with_kind(&c, ChangeKind::ProfilePrefix),
            [
                "new profile prefix: anthropic.claude-sonnet-4-6 global.",
                "new profile prefix: anthropic.claude-sonnet-4-6 mx. (a geography prefix the table does not know)",
            ]
        );
        assert_eq!(c.skipped_application_profiles["ip.json"], 1);
        assert_eq!(c.warnings.len(), 2, "{:?}", c.warnings);
        assert!(
            c.warnings[0].starts_with("ip.json: skipped inference profile `us.Anthropic.Claude`")
        );
        assert!(
            c.warnings[1].contains(
                "its models are `anthropic.claude-sonnet-4-6`, not `anthropic.claude-sonnet-9`"
            ),
            "{}",
            c.warnings[1]
        );
        let text = c.overlay_toml(&[]);
        assert!(text.contains("geo_prefixes = [\"mx\"]"), "{text}");
        let layered = layered(&c);
        assert_eq!(
            layered.get("anthropic.claude-sonnet-4-6").unwrap().profiles,
            ["us", "eu", "global", "mx"]
        );
        assert!(layered.geo_prefixes().contains(&"mx".to_string()));
    }

    #[test]
    fn not_listed_notes() {
        let r = rules();
        let c = compare(
            &r,
            &[fm(&model(
                "anthropic.claude-sonnet-4-6",
                r#""ON_DEMAND""#,
                ACTIVE,
            ))],
            &ImportOptions {
                region: Some("eu-west-2".into()),
                ..opts()
            },
        );
        // Other Anthropic models that are not end of life; no variants, no mantle IDs, no
        // other providers (the listing may be filtered by provider).
        assert_eq!(
            with_kind(&c, ChangeKind::NotListed),
            [
                "not listed in fm.json: anthropic.claude-opus-4-5-20251101-v1:0 (retired, or not offered in that Region)",
                "not listed in fm.json: anthropic.claude-sonnet-4-5-20250929-v1:0 (retired, or not offered in that Region)",
            ]
        );
        assert!(!c.has_differences());
        assert_eq!(c.summary(), "no differences from the table; 2 notes");
    }

    #[test]
    fn summary_and_order() {
        let r = rules();
        let c = compare(
            &r,
            &[
                fm(&[
                    model("writer.palmyra-x6-v1:0", r#""ON_DEMAND""#, ACTIVE),
                    model("amazon.nova-pro-v1:0", r#""INFERENCE_PROFILE""#, ACTIVE),
                    model("amazon.nova-2-v1:0", r#""ON_DEMAND""#, ACTIVE),
                ]
                .join(",")),
                ip(&profile(
                    "global.anthropic.claude-sonnet-4-6",
                    "SYSTEM_DEFINED",
                    "anthropic.claude-sonnet-4-6",
                )),
            ],
            &opts(),
        );
        assert_eq!(
            lines(&c),
            [
                "new model: amazon.nova-2-v1:0 (ACTIVE, on demand in us-east-1)",
                "new model: writer.palmyra-x6-v1:0 (ACTIVE, on demand in us-east-1)",
                "on demand differs in us-east-1: amazon.nova-pro-v1:0 inference profile only (table: on demand)",
                "new profile prefix: anthropic.claude-sonnet-4-6 global.",
            ]
        );
        assert_eq!(
            c.summary(),
            "4 differences from the table (2 new models, 1 on-demand change, 1 new profile prefix)"
        );
    }
}
