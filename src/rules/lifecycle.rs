//! State as of a date: Active → Legacy → (extended access) → End of life.
//!
//! AWS publishes dates, sometimes per Region. The state is computed from them rather than
//! stored, so the answer changes on the right day by itself.
//!
//! A model's dates come in groups, each for a set of Regions; a group with Regions and no
//! dates says the model is still active there, and a group without Regions holds wherever no
//! other group names the Region. With a Region given, its own group decides. A Region that no
//! group names, on a model whose every group names its Regions, is [`State::Unknown`]: no
//! notice covers it, and "end of life on the most urgent date" would be a false alarm there
//! (Claude 3 Haiku still answers in ca-central-1 after its end of life elsewhere).
//!
//! With no Region given, the most urgent (earliest) *named* date of each kind applies: a
//! reference in code does not say where it runs, and the earliest retirement is the one that
//! breaks first. [`still_answers`] then says where the model is still callable.

use chrono::NaiveDate;

use super::{Lifecycle, Model, State};

/// A model's lifecycle as seen on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    /// The state on the date.
    pub state: State,
    /// True when the model is past its public-extended-access date (still legacy).
    pub extended_access: bool,
    /// Legacy date that applies.
    pub legacy_date: Option<NaiveDate>,
    /// Extended-access date that applies.
    pub extended_access_date: Option<NaiveDate>,
    /// End-of-life date that applies.
    pub eol_date: Option<NaiveDate>,
}

/// The date groups that apply in `region`: those naming it, else those that name no Region
/// ("every other Region"). `None` when neither exists: no notice covers the Region.
fn groups_for<'a>(lifecycle: &'a [Lifecycle], region: &str) -> Option<Vec<&'a Lifecycle>> {
    let named: Vec<&Lifecycle> = lifecycle
        .iter()
        .filter(|g| g.regions.iter().any(|r| r == region))
        .collect();
    if !named.is_empty() {
        return Some(named);
    }
    let unnamed: Vec<&Lifecycle> = lifecycle.iter().filter(|g| g.regions.is_empty()).collect();
    (!unnamed.is_empty() || lifecycle.is_empty()).then_some(unnamed)
}

/// True when `region` has the shape of an AWS Region name (`us-east-1`, `us-gov-west-1`,
/// `ap-southeast-7`).
pub fn is_region_name(region: &str) -> bool {
    let mut parts = region.split('-');
    let Some(area) = parts.next() else {
        return false;
    };
    let rest: Vec<&str> = parts.collect();
    area.len() == 2
        && area.bytes().all(|b| b.is_ascii_lowercase())
        && rest.len() >= 2
        && rest[..rest.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && rest[rest.len() - 1].parse::<u8>().is_ok()
}

fn earliest(
    groups: &[&Lifecycle],
    field: fn(&Lifecycle) -> Option<NaiveDate>,
) -> Option<NaiveDate> {
    groups.iter().filter_map(|g| field(g)).min()
}

/// The status that `groups` give on `as_of` (the most urgent date of each kind).
fn status_of(groups: &[&Lifecycle], as_of: NaiveDate, explicit: Option<State>) -> Status {
    let legacy_date = earliest(groups, |g| g.legacy);
    let extended_access_date = earliest(groups, |g| g.extended_access);
    let eol_date = earliest(groups, |g| g.eol);
    let reached = |d: Option<NaiveDate>| d.is_some_and(|d| d <= as_of);
    let by_dates = if reached(eol_date) {
        State::Eol
    } else if reached(legacy_date) || reached(extended_access_date) {
        State::Legacy
    } else {
        State::Active
    };
    let state = explicit.unwrap_or(by_dates);
    Status {
        state,
        extended_access: state == State::Legacy && reached(extended_access_date),
        legacy_date,
        extended_access_date,
        eol_date,
    }
}

/// Where a reference runs, as far as it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// Anywhere: the most urgent named dates apply.
    Everywhere,
    /// One Region (`--region`, an ARN's Region): its own dates.
    Region(&'a str),
    /// The destination Regions of a cross-Region inference profile (`us.`, `eu.`, `jp.` …):
    /// the most urgent dates among the groups naming one of them.
    Geography(&'a str),
}

/// True when a cross-Region inference profile with geography prefix `geo` can route to
/// `region` (its destination Regions: `us.` → `us-*` but not GovCloud, `jp.` → Tokyo and
/// Osaka …). An unknown prefix and `global.` cover every Region.
pub fn geo_covers(geo: &str, region: &str) -> bool {
    match geo {
        "us" => region.starts_with("us-") && !region.starts_with("us-gov-"),
        "us-gov" => region.starts_with("us-gov-"),
        "eu" => region.starts_with("eu-"),
        "apac" => region.starts_with("ap-"),
        "jp" => matches!(region, "ap-northeast-1" | "ap-northeast-3"),
        "au" => matches!(region, "ap-southeast-2" | "ap-southeast-4"),
        "in" => matches!(region, "ap-south-1" | "ap-south-2"),
        "ca" => region.starts_with("ca-"),
        _ => true,
    }
}

/// The status of `model` on `as_of` where `scope` says the reference runs. See [`status`];
/// with a geography, the groups naming one of its Regions (and the group for every other
/// Region) decide — when no group names one, the most urgent named dates apply.
pub fn status_in(model: &Model, as_of: NaiveDate, scope: Scope) -> Status {
    match scope {
        Scope::Everywhere => status(model, as_of, None),
        Scope::Region(r) => status(model, as_of, Some(r)),
        Scope::Geography(geo) => {
            let groups: Vec<&Lifecycle> = model
                .lifecycle
                .iter()
                .filter(|g| g.regions.is_empty() || g.regions.iter().any(|r| geo_covers(geo, r)))
                .collect();
            if groups.iter().any(|g| !g.regions.is_empty()) {
                status_of(&groups, as_of, model.explicit_state)
            } else {
                status(model, as_of, None)
            }
        }
    }
}

/// The status of `model` on `as_of`, in `region` or (with `None`) by the most urgent named
/// dates. In a Region that no notice covers the state is [`State::Unknown`] and no date
/// applies.
pub fn status(model: &Model, as_of: NaiveDate, region: Option<&str>) -> Status {
    let groups: Vec<&Lifecycle> = match region {
        Some(r) => match groups_for(&model.lifecycle, r) {
            Some(groups) => groups,
            None if model.explicit_state.is_some() => vec![],
            None => {
                return Status {
                    state: State::Unknown,
                    extended_access: false,
                    legacy_date: None,
                    extended_access_date: None,
                    eol_date: None,
                };
            }
        },
        None => model.lifecycle.iter().collect(),
    };
    status_of(&groups, as_of, model.explicit_state)
}

/// The Regions that `model`'s groups name within `scope` where it still answers on `as_of`
/// — active or legacy, not end of life — with the state there, sorted by Region. Empty when the model
/// has an explicit state or no group names Regions.
pub fn still_answers<'a>(
    model: &'a Model,
    as_of: NaiveDate,
    scope: Scope,
) -> Vec<(&'a str, State)> {
    if model.explicit_state.is_some() {
        return vec![];
    }
    let mut out: Vec<(&str, State)> = model
        .lifecycle
        .iter()
        .flat_map(|g| g.regions.iter().map(String::as_str))
        .filter(|r| match scope {
            Scope::Everywhere => true,
            Scope::Region(region) => *r == region,
            Scope::Geography(geo) => geo_covers(geo, r),
        })
        .filter_map(|r| {
            let state = status(model, as_of, Some(r)).state;
            matches!(state, State::Active | State::Legacy).then_some((r, state))
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn group(regions: &[&str], legacy: &str, ext: &str, eol: &str) -> Lifecycle {
        let opt = |s: &str| (!s.is_empty()).then(|| d(s));
        Lifecycle {
            regions: regions.iter().map(|r| r.to_string()).collect(),
            legacy: opt(legacy),
            extended_access: opt(ext),
            eol: opt(eol),
        }
    }

    fn model(lifecycle: Vec<Lifecycle>) -> Model {
        Model {
            lifecycle,
            ..Model::new("anthropic.claude-3-5-sonnet-20240620-v1:0")
        }
    }

    /// Claude 3.5 Sonnet v1: EOL 2026-03-01 in US/EU, 2026-07-30 in APAC.
    fn split() -> Model {
        model(vec![
            group(
                &["us-east-1", "eu-west-1"],
                "2025-08-25",
                "2025-12-01",
                "2026-03-01",
            ),
            group(
                &["ap-northeast-1"],
                "2026-01-30",
                "2026-04-30",
                "2026-07-30",
            ),
        ])
    }

    #[test]
    fn state_follows_the_calendar() {
        let m = model(vec![group(&[], "2026-03-10", "2026-06-10", "2026-09-10")]);
        assert_eq!(status(&m, d("2026-03-09"), None).state, State::Active);
        assert_eq!(status(&m, d("2026-03-10"), None).state, State::Legacy);
        let s = status(&m, d("2026-06-10"), None);
        assert_eq!(s.state, State::Legacy);
        assert!(s.extended_access);
        assert!(!status(&m, d("2026-06-09"), None).extended_access);
        assert_eq!(status(&m, d("2026-09-09"), None).state, State::Legacy);
        assert_eq!(status(&m, d("2026-09-10"), None).state, State::Eol);
    }

    #[test]
    fn default_takes_the_most_urgent_region() {
        let s = status(&split(), d("2026-04-01"), None);
        assert_eq!(s.state, State::Eol);
        assert_eq!(s.eol_date, Some(d("2026-03-01")));
    }

    #[test]
    fn region_picks_its_own_dates() {
        let m = split();
        let s = status(&m, d("2026-04-01"), Some("ap-northeast-1"));
        assert_eq!(s.state, State::Legacy);
        assert_eq!(s.eol_date, Some(d("2026-07-30")));
        assert_eq!(
            status(&m, d("2026-04-01"), Some("us-east-1")).state,
            State::Eol
        );
        // A Region no notice names is unknown: neither a false "active" nor a false "EOL".
        let s = status(&m, d("2026-04-01"), Some("sa-east-1"));
        assert_eq!(s.state, State::Unknown);
        assert_eq!(s.eol_date, None);
    }

    #[test]
    fn a_geography_takes_the_most_urgent_dates_of_its_regions() {
        let m = split();
        let s = status_in(&m, d("2026-04-01"), Scope::Geography("apac"));
        assert_eq!(s.state, State::Legacy);
        assert_eq!(s.eol_date, Some(d("2026-07-30")));
        let s = status_in(&m, d("2026-04-01"), Scope::Geography("us"));
        assert_eq!(s.eol_date, Some(d("2026-03-01")));
        // No group names a Canadian Region: the most urgent named dates apply.
        let s = status_in(&m, d("2026-04-01"), Scope::Geography("ca"));
        assert_eq!(s.eol_date, Some(d("2026-03-01")));
        assert!(geo_covers("jp", "ap-northeast-3") && !geo_covers("jp", "ap-northeast-2"));
        assert!(!geo_covers("us", "us-gov-west-1") && geo_covers("global", "sa-east-1"));
    }

    #[test]
    fn groups_without_regions_apply_to_unnamed_regions() {
        let m = model(vec![
            group(&[], "2025-10-28", "2026-01-27", "2026-04-28"),
            group(&["us-gov-west-1"], "2026-01-30", "2026-04-30", "2026-07-30"),
        ]);
        assert_eq!(
            status(&m, d("2026-05-01"), Some("eu-west-1")).state,
            State::Eol
        );
        assert_eq!(
            status(&m, d("2026-05-01"), Some("us-gov-west-1")).state,
            State::Legacy
        );
    }

    /// Claude 3 Haiku on 2026-12-01: EOL in the Regions AWS named, legacy in one, still
    /// active in three that no notice names.
    #[test]
    fn regions_where_the_model_still_answers() {
        let m = model(vec![
            group(
                &["eu-west-1", "us-east-1"],
                "2026-03-10",
                "2026-06-10",
                "2026-09-10",
            ),
            group(&["ap-northeast-2"], "2026-08-01", "", ""),
            group(&["ca-central-1", "sa-east-1"], "", "", ""),
        ]);
        let day = d("2026-12-01");
        let s = status(&m, day, None);
        assert_eq!(s.state, State::Eol);
        assert_eq!(s.eol_date, Some(d("2026-09-10")));
        assert_eq!(status(&m, day, Some("ca-central-1")).state, State::Active);
        assert_eq!(status(&m, day, Some("ap-northeast-2")).state, State::Legacy);
        assert_eq!(status(&m, day, Some("us-east-1")).state, State::Eol);
        assert_eq!(status(&m, day, Some("eu-south-1")).state, State::Unknown);
        assert_eq!(
            still_answers(&m, day, Scope::Everywhere),
            [
                ("ap-northeast-2", State::Legacy),
                ("ca-central-1", State::Active),
                ("sa-east-1", State::Active)
            ]
        );
        // Before the legacy date every named Region still answers.
        assert_eq!(
            still_answers(&m, d("2026-01-01"), Scope::Everywhere).len(),
            5
        );
        // A `us.` profile routes to US Regions only: Claude 3 Haiku answers in none of them.
        assert!(still_answers(&m, day, Scope::Geography("us")).is_empty());
        assert_eq!(
            still_answers(&m, day, Scope::Geography("apac")),
            [("ap-northeast-2", State::Legacy)]
        );
    }

    #[test]
    fn a_model_without_dates_is_active_everywhere() {
        let m = model(vec![]);
        assert_eq!(
            status(&m, d("2026-12-01"), Some("eu-south-1")).state,
            State::Active
        );
        assert!(still_answers(&m, d("2026-12-01"), Scope::Everywhere).is_empty());
    }

    #[test]
    fn region_names() {
        for ok in [
            "us-east-1",
            "us-gov-west-1",
            "ap-southeast-7",
            "il-central-1",
            "eu-central-2",
        ] {
            assert!(is_region_name(ok), "{ok}");
        }
        for bad in [
            "us-east1",
            "XX",
            "",
            "us",
            "us-east-",
            "us--1",
            "US-EAST-1",
            "us-east-x",
        ] {
            assert!(!is_region_name(bad), "{bad}");
        }
    }

    #[test]
    fn explicit_state_overrides_dates() {
        let mut m = model(vec![]);
        assert_eq!(status(&m, d("2030-01-01"), None).state, State::Active);
        m.explicit_state = Some(State::Eol);
        assert_eq!(status(&m, d("2000-01-01"), None).state, State::Eol);
    }

    #[test]
    fn eol_without_legacy_date_is_eol() {
        let m = model(vec![group(&[], "", "", "2025-01-01")]);
        assert_eq!(status(&m, d("2025-01-01"), None).state, State::Eol);
        assert_eq!(status(&m, d("2024-12-31"), None).state, State::Active);
    }
}
