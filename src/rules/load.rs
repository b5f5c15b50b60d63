//! Loading rules: parse, overlay, validate.
//!
//! The embedded table comes first; each overlay (`--rules FILE`) is applied on top in order.
//! An overlay `[[model]]` with a known `id` changes only the keys it writes — except
//! `replacement`, whose entries are put *before* the existing ones (so a `policy` choice is
//! preferred while AWS's official one is still listed), and `lifecycle`, which replaces the
//! date groups whole. A new `id` adds a model.
//!
//! Every error names the file, line and column of the offending value (the TOML parser keeps
//! spans), so `bedrock-migrate rules validate` reads like a compiler.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;
use toml::Spanned;
use toml::value::Datetime;

use super::schema::{LifecycleEntry, ModelEntry, PolicyEntry, RulesFile};
use super::{
    DEFAULT_RULES, DEFAULT_RULES_NAME, Lifecycle, Model, Replacement, Rules, Settings, Source,
};
use crate::extract::line_col;

/// The only schema version this build reads.
pub const SCHEMA_VERSION: u32 = 1;

/// A rules file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// The file is not valid TOML or does not follow the schema.
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        /// File name as given.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// The file could not be read.
    #[error("{path}: cannot read rules file")]
    Io {
        /// File name as given.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// One parsed file, kept with its text so errors can point into it.
struct Parsed<'a> {
    name: &'a str,
    text: &'a str,
    file: RulesFile,
}

impl Parsed<'_> {
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> RulesError {
        let (line, column) = line_col(self.text, span.start);
        RulesError::Invalid {
            path: self.name.to_string(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// The embedded table alone.
pub fn load_default() -> Result<Rules, RulesError> {
    load_sources(&[(DEFAULT_RULES, DEFAULT_RULES_NAME)])
}

/// The embedded table with the overlay files applied in order.
pub fn load_with_overlays(paths: &[impl AsRef<Path>]) -> Result<Rules, RulesError> {
    let texts: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let p = p.as_ref();
            let name = p.display().to_string();
            std::fs::read_to_string(p)
                .map(|t| (t, name.clone()))
                .map_err(|source| RulesError::Io { path: name, source })
        })
        .collect::<Result<_, _>>()?;
    let mut sources: Vec<(&str, &str)> = vec![(DEFAULT_RULES, DEFAULT_RULES_NAME)];
    sources.extend(texts.iter().map(|(t, n)| (t.as_str(), n.as_str())));
    load_sources(&sources)
}

/// A single table from text (tests, `rules validate` of a full table).
pub fn load_from_str(text: &str, name: &str) -> Result<Rules, RulesError> {
    load_sources(&[(text, name)])
}

/// Tables from `(text, name)` pairs: the first is the base, the rest overlays.
pub fn load_sources(sources: &[(&str, &str)]) -> Result<Rules, RulesError> {
    let parsed: Vec<Parsed> = sources
        .iter()
        .map(|&(text, name)| parse(text, name))
        .collect::<Result<_, _>>()?;

    let mut geo_prefixes: Vec<String> = Vec::new();
    let mut citations = BTreeMap::new();
    for p in &parsed {
        for g in &p.file.geo_prefixes {
            if !is_well_formed_geo(g.get_ref()) {
                return Err(p.error(
                    g.span(),
                    format!(
                        "malformed geography prefix {:?}: expected lowercase letters, digits and `-`, starting with a letter (`us`, `us-gov`, `apac`)",
                        g.get_ref()
                    ),
                ));
            }
            if !geo_prefixes.contains(g.get_ref()) {
                geo_prefixes.push(g.get_ref().clone());
            }
        }
        for (key, entry) in &p.file.sources {
            citations.insert(key.clone(), source(p, key, entry)?);
        }
    }
    let mut not_models = BTreeMap::new();
    for p in &parsed {
        not_models.extend(p.file.not_models.clone());
    }
    let all_ids: HashSet<&str> = parsed
        .iter()
        .flat_map(|p| p.file.model.iter().map(|m| m.id.get_ref().as_str()))
        .collect();
    for p in &parsed {
        check_duplicates(p)?;
        for entry in &p.file.model {
            check_entry(p, entry, &all_ids, &geo_prefixes)?;
        }
    }

    let mut models: Vec<Model> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // Where each model's replacement list was last written, for cycle errors.
    let mut replacement_origin: HashMap<String, (usize, Range<usize>)> = HashMap::new();
    for (file_index, p) in parsed.iter().enumerate() {
        for entry in &p.file.model {
            let id = entry.id.get_ref().clone();
            if entry.replacement.is_some() {
                replacement_origin.insert(id.clone(), (file_index, entry.id.span()));
            }
            match index.get(&id) {
                Some(&i) => apply(&mut models[i], entry),
                None => {
                    index.insert(id.clone(), models.len());
                    let mut model = Model::new(&id);
                    apply(&mut model, entry);
                    models.push(model);
                }
            }
        }
    }
    for (file_index, p) in parsed.iter().enumerate() {
        for policy in &p.file.policy {
            for id in apply_policy(p, policy, &mut models, &index)? {
                replacement_origin.insert(id, (file_index, policy.pattern.span()));
            }
        }
    }
    let settings = merge_settings(&parsed, &geo_prefixes)?;
    if let Some(cycle) = find_cycle(&models, &index) {
        // The layer that closed the cycle is the last one to write a replacement list of
        // one of its models (a policy counts for every model it matched), and within a file
        // the last such entry: blame that one.
        let blamed = cycle
            .iter()
            .filter_map(|id| replacement_origin.get(id).map(|origin| (id, origin)))
            .max_by_key(|(_, (file_index, span))| (*file_index, span.start));
        let (id, (file_index, span)) = blamed.unwrap_or((&cycle[0], &(0, 0..0)));
        let mut chain = cycle.clone();
        let start = chain.iter().position(|c| c == id).unwrap_or(0);
        chain.rotate_left(start);
        chain.push(id.clone());
        return Err(parsed[*file_index].error(
            span.clone(),
            format!(
                "replacement cycle: {}; remove one of these replacements",
                chain
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(" → ")
            ),
        ));
    }
    if let Some(m) = models.iter().find(|m| not_models.contains_key(&m.id)) {
        let (file_index, span) = model_origin(&parsed, &m.id);
        return Err(parsed[file_index].error(
            span,
            format!(
                "`{}` is listed both as a model and in `not_models`; keep one",
                m.id
            ),
        ));
    }
    let mut typo_of: HashMap<&str, &str> = HashMap::new();
    for m in &models {
        for typo in &m.typos {
            let problem = if index.contains_key(typo) || not_models.contains_key(typo) {
                Some("a model or a `not_models` entry of that name exists".to_string())
            } else {
                match typo_of.insert(typo, &m.id) {
                    Some(other) if other != m.id => {
                        Some(format!("it is also listed for `{other}`"))
                    }
                    _ => None,
                }
            };
            if let Some(problem) = problem {
                let (file_index, span) = model_origin(&parsed, &m.id);
                return Err(parsed[file_index].error(
                    span,
                    format!("typo `{typo}` of `{}` cannot be used: {problem}", m.id),
                ));
            }
        }
    }
    let mut reviewed = None;
    for p in &parsed {
        if let Some(value) = &p.file.reviewed {
            reviewed = Some(date(p, value)?);
        }
    }
    Ok(Rules::new(models, geo_prefixes, citations)
        .with_settings(settings)
        .with_not_models(not_models)
        .with_reviewed(reviewed))
}

/// One `[sources]` entry: a table with a non-empty `name`, an optional `url` (a string or an
/// array of strings) and an optional `description`; or one string, the old form, read by
/// [`Source::from_text`] (its name derived from it).
fn source(p: &Parsed, key: &str, entry: &Spanned<toml::Value>) -> Result<Source, RulesError> {
    const SHAPE: &str =
        "write it as a table with `name` (a short name shown in reports), `url` and `description`";
    let fail = |message: String| Err(p.error(entry.span(), format!("source `{key}`: {message}")));
    let table = match entry.get_ref() {
        toml::Value::String(text) => return Ok(Source::from_text(key, text)),
        toml::Value::Table(table) => table,
        other => return fail(format!("found {}, not a table; {SHAPE}", other.type_str())),
    };
    let text = |field: &str| match table.get(field) {
        None => Ok(None),
        Some(toml::Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_string())),
        Some(_) => Err(format!("`{field}` must be a non-empty string")),
    };
    if let Some(unknown) = table
        .keys()
        .find(|k| !["name", "url", "description"].contains(&k.as_str()))
    {
        return fail(format!("unknown key `{unknown}`; {SHAPE}"));
    }
    let name = match text("name") {
        Ok(Some(name)) => name,
        Ok(None) => return fail(format!("no `name`; {SHAPE}")),
        Err(e) => return fail(e),
    };
    let description = match text("description") {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let urls = match table.get("url") {
        None => Vec::new(),
        Some(toml::Value::String(url)) => vec![url.clone()],
        Some(toml::Value::Array(items)) => {
            let urls: Vec<String> = items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            if urls.len() != items.len() {
                return fail("`url` must be a string or an array of strings".into());
            }
            urls
        }
        Some(_) => return fail("`url` must be a string or an array of strings".into()),
    };
    if let Some(bad) = urls
        .iter()
        .find(|u| !u.starts_with("https://") && !u.starts_with("http://"))
    {
        return fail(format!("`url` `{bad}` is not an http(s) link"));
    }
    Ok(Source {
        name,
        urls,
        description,
    })
}

/// The file and span of the last `[[model]]` table that writes `id`, for errors found after
/// the files were merged.
fn model_origin(parsed: &[Parsed], id: &str) -> (usize, Range<usize>) {
    parsed
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, p)| {
            p.file
                .model
                .iter()
                .find(|m| m.id.get_ref() == id)
                .map(|m| (i, m.id.span()))
        })
        .unwrap_or((0, 0..0))
}

/// Put a `[[policy]]` replacement first on every model its glob matches. The replacement
/// itself and provisioned-throughput variants (never rewritten by text) are left out.
fn apply_policy(
    p: &Parsed,
    policy: &PolicyEntry,
    models: &mut [Model],
    index: &HashMap<String, usize>,
) -> Result<Vec<String>, RulesError> {
    let pattern = policy.pattern.get_ref();
    let glob = globset::GlobBuilder::new(pattern)
        .literal_separator(false)
        .build()
        .map_err(|e| {
            p.error(
                policy.pattern.span(),
                format!("invalid glob `{pattern}`: {}", e.kind()),
            )
        })?
        .compile_matcher();
    let target = policy.replacement.get_ref();
    if !index.contains_key(target) {
        return Err(p.error(
            policy.replacement.span(),
            format!("replacement `{target}` is not a model in the table; add a [[model]] for it or fix the ID"),
        ));
    }
    let mut matched = Vec::new();
    for model in models
        .iter_mut()
        .filter(|m| &m.id != target && m.variant_of.is_none() && glob.is_match(&m.id))
    {
        matched.push(model.id.clone());
        model.replacements.retain(|r| &r.id != target);
        model.replacements.insert(
            0,
            Replacement {
                id: target.clone(),
                provenance: super::Provenance::Policy,
                source: policy.source.clone(),
            },
        );
    }
    if matched.is_empty() {
        return Err(p.error(
            policy.pattern.span(),
            format!(
                "policy `{pattern}` matches no model; `bedrock-migrate rules list` shows the IDs"
            ),
        ));
    }
    Ok(matched)
}

/// The `[settings]` of all files, later files winning, with prefixes checked.
fn merge_settings(parsed: &[Parsed], geo_prefixes: &[String]) -> Result<Settings, RulesError> {
    let mut settings = Settings::default();
    for p in parsed {
        let Some(entry) = &p.file.settings else {
            continue;
        };
        let known = |g: &Spanned<String>| {
            if geo_prefixes.contains(g.get_ref()) {
                Ok(g.get_ref().clone())
            } else {
                Err(p.error(
                    g.span(),
                    format!(
                        "unknown geography prefix `{}` (known: {})",
                        g.get_ref(),
                        geo_prefixes.join(", ")
                    ),
                ))
            }
        };
        if let Some(prefix) = &entry.profile_prefix {
            settings.profile_prefix = Some(known(prefix)?);
        }
        for (from, to) in entry.prefix_map.iter().flatten() {
            if !geo_prefixes.contains(from) {
                return Err(p.error(
                    to.span(),
                    format!(
                        "unknown geography prefix `{from}` in prefix_map (known: {})",
                        geo_prefixes.join(", ")
                    ),
                ));
            }
            settings.prefix_map.insert(from.clone(), known(to)?);
        }
        // A rules file is named by its path, so its directory is the base of its globs.
        let base = Path::new(p.name)
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        for glob in entry.exclude.iter().flatten() {
            let pattern = glob.get_ref();
            if let Err(e) = crate::walk::Exclusions::check_glob(pattern) {
                return Err(p.error(
                    glob.span(),
                    format!("invalid exclude glob `{pattern}`: {e}"),
                ));
            }
            settings.exclude.push(super::ExcludePattern {
                pattern: pattern.clone(),
                base: base.clone(),
                file: p.name.into(),
            });
        }
    }
    Ok(settings)
}

fn parse<'a>(text: &'a str, name: &'a str) -> Result<Parsed<'a>, RulesError> {
    let file: RulesFile = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        RulesError::Invalid {
            path: name.to_string(),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })?;
    let parsed = Parsed { name, text, file };
    match &parsed.file.schema_version {
        None => Err(parsed.error(
            0..0,
            format!("missing `schema_version`; add `schema_version = {SCHEMA_VERSION}` at the top"),
        )),
        Some(v) if *v.get_ref() != SCHEMA_VERSION => Err(parsed.error(
            v.span(),
            format!(
                "unsupported schema_version {}; this build reads version {SCHEMA_VERSION}",
                v.get_ref()
            ),
        )),
        Some(_) => Ok(parsed),
    }
}

fn check_duplicates(p: &Parsed) -> Result<(), RulesError> {
    let mut seen = HashSet::new();
    for entry in &p.file.model {
        if !seen.insert(entry.id.get_ref().as_str()) {
            return Err(p.error(
                entry.id.span(),
                format!("duplicate model `{}` in this file", entry.id.get_ref()),
            ));
        }
    }
    Ok(())
}

/// True when `geo` is a well-formed geography prefix of an inference profile: lowercase
/// ASCII letters, digits and `-`, starting with a letter and not ending with `-`.
pub fn is_well_formed_geo(geo: &str) -> bool {
    geo.starts_with(|c: char| c.is_ascii_lowercase())
        && geo
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !geo.ends_with('-')
}

/// True when `id` is a well-formed model ID: `provider.name`, lowercase ASCII letters,
/// digits, `.`, `-` and `:`, starting with a letter and ending with a letter or digit.
pub fn is_well_formed_id(id: &str) -> bool {
    let Some((provider, name)) = id.split_once('.') else {
        return false;
    };
    let ok_byte = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.:".contains(&b);
    !provider.is_empty()
        && provider
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.is_empty()
        && id.bytes().all(ok_byte)
        && id.ends_with(|c: char| c.is_ascii_alphanumeric())
}

fn check_entry(
    p: &Parsed,
    entry: &ModelEntry,
    all_ids: &HashSet<&str>,
    geo_prefixes: &[String],
) -> Result<(), RulesError> {
    let id = entry.id.get_ref();
    if !is_well_formed_id(id) {
        return Err(p.error(
            entry.id.span(),
            format!("malformed model ID `{id}`: expected `provider.name` in lowercase letters, digits, `.`, `-`, `:`"),
        ));
    }
    if let Some(provider) = &entry.provider
        && !id.starts_with(&format!("{provider}."))
    {
        return Err(p.error(
            entry.id.span(),
            format!("model `{id}` does not start with its provider `{provider}.`"),
        ));
    }
    for group in entry.lifecycle.iter().flatten() {
        check_dates(p, group)?;
    }
    for r in entry.replacement.iter().flatten() {
        let rid = r.id.get_ref();
        if rid == id {
            return Err(p.error(r.id.span(), format!("`{id}` cannot replace itself")));
        }
        if !all_ids.contains(rid.as_str()) {
            return Err(p.error(
                r.id.span(),
                format!("replacement `{rid}` is not a model in the table; add a [[model]] for it or fix the ID"),
            ));
        }
    }
    if let Some(base) = &entry.variant_of
        && !all_ids.contains(base.get_ref().as_str())
    {
        return Err(p.error(
            base.span(),
            format!(
                "variant_of `{}` is not a model in the table",
                base.get_ref()
            ),
        ));
    }
    for g in entry.profiles.iter().flatten() {
        if !geo_prefixes.contains(g.get_ref()) {
            return Err(p.error(
                g.span(),
                format!(
                    "unknown geography prefix `{}`; declare it in `geo_prefixes` (known: {})",
                    g.get_ref(),
                    geo_prefixes.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

fn date(p: &Parsed, value: &Spanned<Datetime>) -> Result<NaiveDate, RulesError> {
    let dt = value.get_ref();
    match (dt.date, dt.time, dt.offset) {
        (Some(d), None, None) => {
            NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                .ok_or_else(|| p.error(value.span(), format!("invalid date {dt}")))
        }
        _ => Err(p.error(
            value.span(),
            format!("expected a date like 2026-03-01, found `{dt}`"),
        )),
    }
}

fn check_dates(p: &Parsed, g: &LifecycleEntry) -> Result<(), RulesError> {
    let fields = [
        ("legacy", &g.legacy),
        ("extended_access", &g.extended_access),
        ("eol", &g.eol),
    ];
    let mut previous: Option<(&str, NaiveDate)> = None;
    for (name, value) in fields {
        let Some(value) = value else { continue };
        let d = date(p, value)?;
        if let Some((prev_name, prev)) = previous
            && d < prev
        {
            return Err(p.error(
                value.span(),
                format!("dates out of order: {name} {d} is before {prev_name} {prev}"),
            ));
        }
        previous = Some((name, d));
    }
    Ok(())
}

/// Dates were checked before merging, so conversion cannot fail here.
fn plain_date(value: &Option<Spanned<Datetime>>) -> Option<NaiveDate> {
    let d = value.as_ref()?.get_ref().date?;
    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
}

fn apply(model: &mut Model, entry: &ModelEntry) {
    if let Some(v) = &entry.name {
        model.name = v.clone();
    }
    if let Some(v) = &entry.provider {
        model.provider = v.clone();
    }
    if let Some(v) = &entry.body {
        model.body = v.clone();
    }
    if let Some(v) = entry.kind {
        model.kind = v;
    }
    if let Some(v) = entry.state {
        model.explicit_state = Some(v);
    }
    if let Some(v) = entry.on_demand {
        model.on_demand = v;
    }
    if let Some(v) = &entry.on_demand_regions {
        model.on_demand_regions = v.clone();
    }
    if let Some(v) = &entry.profiles {
        model.profiles = v.iter().map(|g| g.get_ref().clone()).collect();
    }
    if let Some(v) = entry.endpoint {
        model.endpoint = v;
    }
    if let Some(v) = &entry.variant_of {
        model.variant_of = Some(v.get_ref().clone());
    }
    if let Some(v) = &entry.sources {
        model.sources = v.clone();
    }
    if let Some(v) = &entry.citation {
        model.citation = Some(v.clone());
    }
    if let Some(v) = &entry.notes {
        model.notes = v.clone();
    }
    if let Some(v) = &entry.rejects {
        model.rejects = v.clone();
    }
    if let Some(v) = &entry.rejects_together {
        model.rejects_together = v.clone();
    }
    if let Some(v) = &entry.typos {
        model.typos = v.iter().map(|t| t.get_ref().clone()).collect();
    }
    if let Some(groups) = &entry.lifecycle {
        model.lifecycle = groups
            .iter()
            .map(|g| Lifecycle {
                regions: g.regions.clone(),
                legacy: plain_date(&g.legacy),
                extended_access: plain_date(&g.extended_access),
                eol: plain_date(&g.eol),
            })
            .collect();
    }
    if let Some(list) = &entry.replacement {
        let new: Vec<Replacement> = list
            .iter()
            .map(|r| Replacement {
                id: r.id.get_ref().clone(),
                provenance: r.provenance,
                source: r.source.clone(),
            })
            .collect();
        model
            .replacements
            .retain(|old| !new.iter().any(|n| n.id == old.id));
        model.replacements.splice(0..0, new);
    }
}

/// The models of a replacement cycle, in order, if there is one (depth-first search over
/// all provenances).
fn find_cycle(models: &[Model], index: &HashMap<String, usize>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    // Depth-first search; `path` holds the open models, so a back edge to one of them
    // closes the cycle made of the path from it to the end.
    fn visit(
        i: usize,
        models: &[Model],
        index: &HashMap<String, usize>,
        marks: &mut [Mark],
        path: &mut Vec<usize>,
    ) -> Option<Vec<usize>> {
        marks[i] = Mark::Open;
        path.push(i);
        for r in &models[i].replacements {
            let Some(&j) = index.get(&r.id) else { continue };
            match marks[j] {
                Mark::Open => {
                    let from = path.iter().position(|&k| k == j).unwrap_or(0);
                    return Some(path[from..].to_vec());
                }
                Mark::New => {
                    if let Some(found) = visit(j, models, index, marks, path) {
                        return Some(found);
                    }
                }
                Mark::Done => {}
            }
        }
        path.pop();
        marks[i] = Mark::Done;
        None
    }
    let mut marks = vec![Mark::New; models.len()];
    (0..models.len()).find_map(|i| {
        (marks[i] == Mark::New)
            .then(|| visit(i, models, index, &mut marks, &mut Vec::new()))
            .flatten()
            .map(|cycle| cycle.iter().map(|&j| models[j].id.clone()).collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        load_from_str(text, "r.toml").unwrap_err().to_string()
    }

    const HEAD: &str = "schema_version = 1\ngeo_prefixes = [\"us\"]\n";

    #[test]
    fn unknown_key_points_at_it() {
        let e = err(&format!("{HEAD}[[model]]\nid = \"a.b-1\"\nbogus = 1\n"));
        assert!(e.starts_with("r.toml:5:1: unknown field `bogus`"), "{e}");
    }

    #[test]
    fn missing_schema_version() {
        assert!(err("[[model]]\nid = \"a.b-1\"\n").contains("missing `schema_version`"));
        assert!(
            err("schema_version = 9\n").starts_with("r.toml:1:18: unsupported schema_version 9")
        );
    }

    #[test]
    fn malformed_id() {
        let e = err(&format!("{HEAD}[[model]]\nid = \"Anthropic.Claude\"\n"));
        assert!(
            e.starts_with("r.toml:4:6: malformed model ID `Anthropic.Claude`"),
            "{e}"
        );
        assert!(err(&format!("{HEAD}[[model]]\nid = \"claude\"\n")).contains("malformed"));
        assert!(err(&format!("{HEAD}[[model]]\nid = \"a.b-\"\n")).contains("malformed"));
    }

    #[test]
    fn dates_out_of_order() {
        let e = err(&format!(
            "{HEAD}[[model]]\nid = \"a.b-1\"\nlifecycle = [{{ legacy = 2026-05-01, eol = 2026-01-01 }}]\n"
        ));
        assert!(
            e.starts_with(
                "r.toml:5:43: dates out of order: eol 2026-01-01 is before legacy 2026-05-01"
            ),
            "{e}"
        );
        let e = err(&format!(
            "{HEAD}[[model]]\nid = \"a.b-1\"\nlifecycle = [{{ eol = 2026-01-01T10:00:00 }}]\n"
        ));
        assert!(e.contains("expected a date like 2026-03-01"), "{e}");
    }

    #[test]
    fn missing_replacement() {
        let e = err(&format!(
            "{HEAD}[[model]]\nid = \"a.b-1\"\nreplacement = [{{ id = \"a.c-2\", provenance = \"official\" }}]\n"
        ));
        assert!(
            e.starts_with("r.toml:5:23: replacement `a.c-2` is not a model"),
            "{e}"
        );
        let e = err(&format!(
            "{HEAD}[[model]]\nid = \"a.b-1\"\nreplacement = [{{ id = \"a.b-1\", provenance = \"official\" }}]\n"
        ));
        assert!(e.contains("cannot replace itself"), "{e}");
        let e = err(&format!(
            "{HEAD}[[model]]\nid = \"a.b-1\"\nreplacement = [{{ id = \"a.b-1\", provenance = \"sometimes\" }}]\n"
        ));
        assert!(e.contains("unknown variant `sometimes`"), "{e}");
    }

    #[test]
    fn cycles_are_rejected() {
        let e = err(&format!(
            "{HEAD}[[model]]\nid = \"a.b-1\"\nreplacement = [{{ id = \"a.b-2\", provenance = \"official\" }}]\n\
             [[model]]\nid = \"a.b-2\"\nreplacement = [{{ id = \"a.b-3\", provenance = \"suggested\" }}]\n\
             [[model]]\nid = \"a.b-3\"\nreplacement = [{{ id = \"a.b-1\", provenance = \"official\" }}]\n"
        ));
        assert_eq!(
            e,
            "r.toml:10:6: replacement cycle: `a.b-3` → `a.b-1` → `a.b-2` → `a.b-3`; remove one of these replacements"
        );
    }

    /// A cycle that an overlay's policy closes is that overlay's fault, not the table's.
    #[test]
    fn a_cycle_is_blamed_on_the_layer_that_closed_it() {
        let base = format!(
            "{HEAD}[[model]]\nid = \"a.b-1\"\nreplacement = [{{ id = \"a.b-2\", provenance = \"official\" }}]\n\
             [[model]]\nid = \"a.b-2\"\n"
        );
        let overlay =
            "schema_version = 1\n[[policy]]\nmatch = \"a.b-2\"\nreplacement = \"a.b-1\"\n";
        let e = load_sources(&[(base.as_str(), "base.toml"), (overlay, "team.toml")])
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("team.toml:3:9: replacement cycle: `a.b-2` → `a.b-1` → `a.b-2`"),
            "{e}"
        );
    }

    #[test]
    fn missing_variant_base() {
        let e = err(&format!(
            "{HEAD}[[model]]\nid = \"a.b-1:8k\"\nvariant_of = \"a.b-1\"\n"
        ));
        assert!(
            e.starts_with("r.toml:5:14: variant_of `a.b-1` is not a model in the table"),
            "{e}"
        );
    }

    #[test]
    fn provider_must_prefix_the_id() {
        let e = err(&format!(
            "{HEAD}[[model]]\nid = \"a.b-1\"\nprovider = \"z\"\n"
        ));
        assert!(
            e.starts_with("r.toml:4:6: model `a.b-1` does not start with its provider `z.`"),
            "{e}"
        );
    }

    #[test]
    fn not_models_and_typos_clash_with_models() {
        let e = err(&format!(
            "{HEAD}[not_models]\n\"a.b-1\" = \"a router\"\n[[model]]\nid = \"a.b-1\"\n"
        ));
        assert!(
            e.starts_with("r.toml:6:6: `a.b-1` is listed both as a model and in `not_models`"),
            "{e}"
        );
        let e = err(&format!(
            "{HEAD}[[model]]\nid = \"a.b-1\"\n[[model]]\nid = \"a.b-2\"\ntypos = [\"a.b-1\"]\n"
        ));
        assert!(
            e.starts_with("r.toml:6:6: typo `a.b-1` of `a.b-2` cannot be used: a model or a `not_models` entry of that name exists"),
            "{e}"
        );
        let e = err(&format!(
            "{HEAD}[[model]]\nid = \"a.b-1\"\ntypos = [\"a.bb-1\"]\n[[model]]\nid = \"a.b-2\"\ntypos = [\"a.bb-1\"]\n"
        ));
        assert!(
            e.starts_with(
                "r.toml:7:6: typo `a.bb-1` of `a.b-2` cannot be used: it is also listed for `a.b-1`"
            ),
            "{e}"
        );
    }

    #[test]
    fn duplicates_and_profiles() {
        let e = err(&format!(
            "{HEAD}[[model]]\nid = \"a.b-1\"\n[[model]]\nid = \"a.b-1\"\n"
        ));
        assert!(e.starts_with("r.toml:6:6: duplicate model `a.b-1`"), "{e}");
        let e = err(&format!(
            "{HEAD}[[model]]\nid = \"a.b-1\"\nprofiles = [\"us\", \"mars\"]\n"
        ));
        assert!(
            e.starts_with("r.toml:5:19: unknown geography prefix `mars`"),
            "{e}"
        );
    }

    #[test]
    fn overlays_change_only_what_they_write() {
        let base = format!(
            "{HEAD}[[model]]\nid = \"a.b-1\"\nname = \"B one\"\nbody = \"x\"\n\
             lifecycle = [{{ legacy = 2026-01-01 }}]\n\
             replacement = [{{ id = \"a.b-2\", provenance = \"official\" }}]\n\
             [[model]]\nid = \"a.b-2\"\n[[model]]\nid = \"a.b-3\"\n"
        );
        let overlay = "schema_version = 1\n[[model]]\nid = \"a.b-1\"\n\
             replacement = [{ id = \"a.b-3\", provenance = \"policy\" }]\n\
             [[model]]\nid = \"a.new-4\"\n";
        let rules = load_sources(&[(&base, "base.toml"), (overlay, "o.toml")]).unwrap();
        let m = rules.get("a.b-1").unwrap();
        assert_eq!(m.name, "B one");
        assert_eq!(m.body, "x");
        assert_eq!(m.lifecycle.len(), 1);
        let ids: Vec<&str> = m.replacements.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["a.b-3", "a.b-2"]);
        assert!(rules.get("a.new-4").is_some());
        // Errors in an overlay name the overlay.
        let bad = "schema_version = 1\n[[model]]\nid = \"a.b-1\"\nreplacement = [{ id = \"a.zz-9\", provenance = \"policy\" }]\n";
        let e = load_sources(&[(&base, "base.toml"), (bad, "o.toml")]).unwrap_err();
        assert!(e.to_string().starts_with("o.toml:4:23:"), "{e}");
    }

    #[test]
    fn policies_apply_to_every_match() {
        let base = format!(
            "{HEAD}[[model]]\nid = \"anthropic.claude-3-sonnet-20240229-v1:0\"\n\
             [[model]]\nid = \"anthropic.claude-3-5-sonnet-20240620-v1:0\"\n\
             replacement = [{{ id = \"anthropic.claude-sonnet-4-6\", provenance = \"official\" }}]\n\
             [[model]]\nid = \"anthropic.claude-3-5-sonnet-20240620-v1:0:200k\"\n\
             variant_of = \"anthropic.claude-3-5-sonnet-20240620-v1:0\"\n\
             [[model]]\nid = \"anthropic.claude-3-haiku-20240307-v1:0\"\n\
             [[model]]\nid = \"anthropic.claude-sonnet-4-6\"\n"
        );
        let overlay = "schema_version = 1\n[[policy]]\nmatch = \"anthropic.claude-3*sonnet*\"\nreplacement = \"anthropic.claude-sonnet-4-6\"\nsource = \"team\"\n";
        let rules = load_sources(&[(&base, "base.toml"), (overlay, "o.toml")]).unwrap();
        let first = |id: &str| rules.get(id).unwrap().replacements.first().cloned();
        let r = first("anthropic.claude-3-sonnet-20240229-v1:0").unwrap();
        assert_eq!(
            (r.id.as_str(), r.provenance),
            (
                "anthropic.claude-sonnet-4-6",
                super::super::Provenance::Policy
            )
        );
        // The official entry with the same target is replaced, not duplicated.
        assert_eq!(
            rules
                .get("anthropic.claude-3-5-sonnet-20240620-v1:0")
                .unwrap()
                .replacements
                .len(),
            1
        );
        assert_eq!(
            first("anthropic.claude-3-5-sonnet-20240620-v1:0:200k"),
            None,
            "variants are never rewritten"
        );
        assert_eq!(first("anthropic.claude-3-haiku-20240307-v1:0"), None);
        let bad = "schema_version = 1\n[[policy]]\nmatch = \"openai.*\"\nreplacement = \"anthropic.claude-sonnet-4-6\"\n";
        let e = load_sources(&[(&base, "base.toml"), (bad, "o.toml")])
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("o.toml:3:9: policy `openai.*` matches no model"),
            "{e}"
        );
        let bad = "schema_version = 1\n[[policy]]\nmatch = \"a[\"\nreplacement = \"anthropic.claude-sonnet-4-6\"\n";
        let e = load_sources(&[(&base, "base.toml"), (bad, "o.toml")])
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("o.toml:3:9: invalid glob `a[`"), "{e}");
    }

    #[test]
    fn settings_are_merged_and_checked() {
        let base = format!("{HEAD}geo_prefixes = [\"jp\", \"apac\"]\n[[model]]\nid = \"a.b-1\"\n");
        let base = base.replacen("geo_prefixes = [\"us\"]\n", "", 1);
        let one = "schema_version = 1\n[settings]\nprofile_prefix = \"jp\"\nprefix_map = { apac = \"jp\" }\n";
        let rules = load_sources(&[(&base, "b.toml"), (one, "c.toml")]).unwrap();
        assert_eq!(rules.settings().profile_prefix.as_deref(), Some("jp"));
        assert_eq!(
            rules.settings().prefix_map.get("apac").map(String::as_str),
            Some("jp")
        );
        let bad = "schema_version = 1\n[settings]\nprofile_prefix = \"mars\"\n";
        let e = load_sources(&[(&base, "b.toml"), (bad, "c.toml")])
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("c.toml:3:18: unknown geography prefix `mars`"),
            "{e}"
        );
    }

    #[test]
    fn exclude_globs_add_up_relative_to_their_file() {
        let base = format!("{HEAD}[[model]]\nid = \"a.b-1\"\n");
        let one = "schema_version = 1\n[settings]\nexclude = [\"vendor\", \"build/**\"]\n";
        let two = "schema_version = 1\n[settings]\nexclude = [\"*.gen.ts\"]\n";
        let rules =
            load_sources(&[(&base, "b.toml"), (one, "repo/c.toml"), (two, "d.toml")]).unwrap();
        let got: Vec<(&str, &Path)> = rules
            .settings()
            .exclude
            .iter()
            .map(|e| (e.pattern.as_str(), e.base.as_path()))
            .collect();
        assert_eq!(
            got,
            [
                ("vendor", Path::new("repo")),
                ("build/**", Path::new("repo")),
                ("*.gen.ts", Path::new(""))
            ]
        );
        let bad = "schema_version = 1\n[settings]\nexclude = [\"ok\", \"a[\"]\n";
        let e = load_sources(&[(&base, "b.toml"), (bad, "c.toml")])
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("c.toml:3:18: invalid exclude glob `a[`"),
            "{e}"
        );
    }

    #[test]
    fn family_prefixes() {
        let rules = load_from_str(
            &format!("{HEAD}[[model]]\nid = \"anthropic.claude-3-haiku-20240307-v1:0\"\n"),
            "r.toml",
        )
        .unwrap();
        assert!(rules.is_family_prefix("anthropic.claude-3"));
        assert!(rules.is_family_prefix("anthropic.claude-3-haiku"));
        assert!(!rules.is_family_prefix("anthropic.claude-3-haiku-20240307-v1:0"));
        assert!(!rules.is_family_prefix("anthropic.claude-4"));
    }

    #[test]
    fn sources_are_tables_with_a_name_and_links() {
        let rules = load_from_str(
            &format!(
                "{HEAD}[sources.S1]\nname = \"AWS lifecycle page\"\nurl = \"https://a.example/\"\n\
                 description = \"snapshot 2025\"\n[sources]\nS2 = {{ name = \"Two\", url = [\"https://b.example/1\", \"https://b.example/2\"] }}\n"
            ),
            "r.toml",
        )
        .unwrap();
        let s1 = rules.source("S1").unwrap();
        assert_eq!(
            (
                s1.name.as_str(),
                s1.urls.as_slice(),
                s1.description.as_deref()
            ),
            (
                "AWS lifecycle page",
                &["https://a.example/".to_string()][..],
                Some("snapshot 2025")
            )
        );
        assert_eq!(rules.source("S2").unwrap().urls.len(), 2);
        assert_eq!(
            rules.cite("x (S1, S2)."),
            "x (sources: AWS lifecycle page; Two)."
        );
    }

    #[test]
    fn malformed_sources_point_at_the_entry() {
        let e = err(&format!(
            "{HEAD}[sources]\nS1 = {{ url = \"https://a.example/\" }}\n"
        ));
        assert!(e.starts_with("r.toml:4:6: source `S1`: no `name`"), "{e}");
        let e = err(&format!(
            "{HEAD}[sources]\nS1 = {{ name = \"A\", link = \"x\" }}\n"
        ));
        assert!(e.contains("source `S1`: unknown key `link`"), "{e}");
        let e = err(&format!(
            "{HEAD}[sources]\nS1 = {{ name = \"A\", url = \"docs.aws\" }}\n"
        ));
        assert!(e.contains("`url` `docs.aws` is not an http(s) link"), "{e}");
        let e = err(&format!(
            "{HEAD}[sources]\nS1 = {{ name = \"A\", url = [1] }}\n"
        ));
        assert!(
            e.contains("`url` must be a string or an array of strings"),
            "{e}"
        );
        let e = err(&format!("{HEAD}[sources]\nS1 = {{ name = \" \" }}\n"));
        assert!(e.contains("`name` must be a non-empty string"), "{e}");
        let e = err(&format!("{HEAD}[sources]\nS1 = 7\n"));
        assert!(e.contains("source `S1`: found integer, not a table"), "{e}");
    }

    /// An overlay written before sources had names still loads: its string is the
    /// description, its links the URLs, its first clause the name; and an overlay's source
    /// replaces the table's source of the same key.
    #[test]
    fn old_style_string_sources_still_load() {
        let base = format!(
            "{HEAD}[sources.S1]\nname = \"Base\"\nurl = \"https://a.example/\"\n[[model]]\nid = \"a.b-1\"\nnotes = [\"Rejects top_k (S1).\"]\n"
        );
        let overlay = "schema_version = 1\n[sources]\nS1 = \"Our model policy, 2026 — https://wiki.example/models\"\n\
                       T1 = \"Platform team decision\"\n";
        let rules = load_sources(&[(&base, "base.toml"), (overlay, "o.toml")]).unwrap();
        let s1 = rules.source("S1").unwrap();
        assert_eq!(s1.name, "Our model policy");
        assert_eq!(s1.urls, ["https://wiki.example/models"]);
        assert_eq!(s1.description.as_deref(), Some("Our model policy, 2026"));
        assert_eq!(rules.source("T1").unwrap().name, "Platform team decision");
        let note = &rules.get("a.b-1").unwrap().notes[0];
        assert_eq!(
            note, "Rejects top_k (S1).",
            "the model keeps the text as written"
        );
        assert_eq!(
            rules.cite(note),
            "Rejects top_k (source: Our model policy)."
        );
    }
}
