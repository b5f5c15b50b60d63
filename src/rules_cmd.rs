//! `rules list`, `rules show`, `rules validate`, `rules import`, `rules merge`.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::{Context as _, Result};
use bedrock_migrate::model_ref::Grammar;
use bedrock_migrate::plan::describe_lifecycle;
use bedrock_migrate::rules::{self, Model, ResolveOptions, Rules, State, Status, lifecycle};
use serde::Serialize;

use crate::app::{check_known_region, check_region, load_rules, today};
use bedrock_migrate::rules::import::{self, ImportError, ImportOptions};

use crate::cli::{
    ListFormat, RulesCommand, RulesCommon, RulesImportArgs, RulesMergeArgs, StateFilter,
};

/// Run a rules subcommand; returns the exit code.
pub fn run(command: &RulesCommand) -> Result<u8> {
    match command {
        RulesCommand::List(args) => {
            let (rules, opts) = setup(&args.common)?;
            let wanted = |s: State| match args.state {
                None => true,
                Some(StateFilter::Active) => s == State::Active,
                Some(StateFilter::Legacy) => s == State::Legacy,
                Some(StateFilter::Eol) => s == State::Eol,
                Some(StateFilter::Unknown) => s == State::Unknown,
            };
            let rows: Vec<Row> = rules
                .models()
                .iter()
                .map(|m| row(&rules, m, &opts))
                .filter(|r| wanted(r.status_state))
                .collect();
            let out = match args.format {
                ListFormat::Json => serde_json::to_string_pretty(&rows)? + "\n",
                ListFormat::Text => list_text(&rows),
            };
            print(&out)?;
            Ok(0)
        }
        RulesCommand::Show(args) => {
            let (rules, opts) = setup(&args.common)?;
            let id = lookup_id(&rules, &args.id);
            let Some(model) = rules.get(&id) else {
                anyhow::bail!(
                    "`{}` is not in the rules table; `bedrock-migrate rules list` shows the known IDs",
                    args.id
                );
            };
            print(&show(&rules, model, &opts))?;
            Ok(0)
        }
        RulesCommand::Validate(args) => {
            if args.files.is_empty() {
                let rules = rules::load_default()?;
                print(&format!(
                    "ok: {} ({} models)\n",
                    rules::DEFAULT_RULES_NAME,
                    rules.models().len()
                ))?;
            }
            for file in &args.files {
                let rules = rules::load_with_overlays(std::slice::from_ref(file))?;
                print(&format!(
                    "ok: {} ({} models after layering on the embedded table)\n",
                    file.display(),
                    rules.models().len()
                ))?;
            }
            Ok(0)
        }
        RulesCommand::Import(args) => import(args),
        RulesCommand::Merge(args) => merge(args),
    }
}

/// `rules merge`: layer the overlays on FILE, render the result canonically and write it
/// (atomically) or, with --check, only compare.
fn merge(args: &RulesMergeArgs) -> Result<u8> {
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read rules file", path.display()))
    };
    let name = args.into.display().to_string();
    let base = read(&args.into)?;
    let overlays: Vec<(String, String)> = args
        .overlays
        .iter()
        .map(|p| Ok((read(p)?, p.display().to_string())))
        .collect::<Result<_>>()?;
    let before = rules::load::load_sources(&[(base.as_str(), name.as_str())])?;
    let mut sources = vec![(base.as_str(), name.as_str())];
    sources.extend(overlays.iter().map(|(t, n)| (t.as_str(), n.as_str())));
    let after = rules::load::load_sources(&sources)?;
    if *after.settings() != rules::Settings::default() {
        anyhow::bail!(
            "a [settings] table configures a repository (.bedrock-migrate.toml), not a rules table; remove it from the overlay before merging"
        );
    }
    let text = rules::render::render(&after);
    let added = after
        .models()
        .iter()
        .filter(|m| before.get(&m.id).is_none())
        .count();
    let changed = after
        .models()
        .iter()
        .filter(|m| before.get(&m.id).is_some_and(|b| b != *m))
        .count();
    let what = format!(
        "{added} {} added, {changed} changed, {} in all",
        if added == 1 { "model" } else { "models" },
        after.models().len()
    );
    let mut stderr = std::io::stderr().lock();
    if text == base {
        let _ = writeln!(stderr, "{name}: nothing to change ({what})");
        return Ok(0);
    }
    if args.check {
        let _ = writeln!(
            stderr,
            "{name}: would change ({what}); run without --check to write it"
        );
        return Ok(1);
    }
    import::write_overlay(&args.into, &text, true)?;
    let _ = writeln!(stderr, "{name}: written ({what})");
    Ok(0)
}

/// `rules import`: read every listing (reporting each unreadable one), compare, print the
/// differences, the notes and a count line, and write the overlay. Exit 1 when something
/// differs, 2 when a file cannot be used.
fn import(args: &RulesImportArgs) -> Result<u8> {
    check_region(args.common.region.as_deref())?;
    if let Some(out) = &args.output
        && !args.force
        && std::fs::symlink_metadata(out).is_ok()
    {
        return Err(ImportError::OutputExists {
            path: out.display().to_string(),
        }
        .into());
    }
    let rules = load_rules(&args.common)?;
    let mut files: Vec<&std::path::PathBuf> = Vec::new();
    for f in &args.files {
        if !files.contains(&f) {
            files.push(f);
        }
    }
    let mut listings = Vec::new();
    let mut failed = false;
    for file in &files {
        match import::read_listing(file) {
            Ok(listing) => listings.push(listing),
            Err(e) => {
                eprintln!("error: {:#}", anyhow::Error::from(e));
                failed = true;
            }
        }
    }
    if failed {
        return Ok(2);
    }
    let as_of = args.common.as_of.unwrap_or_else(today);
    let options = ImportOptions {
        as_of,
        region: args.common.region.clone(),
    };
    let comparison = import::compare(&rules, &listings, &options);

    let mut stderr = std::io::stderr().lock();
    for warning in &comparison.warnings {
        let _ = writeln!(stderr, "warning: {warning}");
    }
    for (path, n) in &comparison.skipped_application_profiles {
        let what = if *n == 1 {
            "1 application inference profile (it names no model ID)".to_string()
        } else {
            format!("{n} application inference profiles (they name no model ID)")
        };
        let _ = writeln!(stderr, "note: {path}: skipped {what}");
    }
    let mut out = String::new();
    for change in comparison.differences() {
        let _ = writeln!(out, "{change}");
    }
    for change in comparison.notes() {
        let _ = writeln!(out, "note: {change}");
    }
    let _ = writeln!(out, "{}", comparison.summary());
    print(&out)?;

    if let Some(path) = &args.output {
        let name = path.display().to_string();
        let sources: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        let mut header = vec![format!(
            "Written by `bedrock-migrate rules import` from {}, as of {as_of}.",
            sources.join(", ")
        )];
        if let Some(region) = &options.region {
            header.push(format!("Listings taken as made in {region}."));
        }
        header.push(
            "Only what differs from the table is written. Use it with `--rules FILE`.".into(),
        );
        let text = comparison.overlay_toml(&header);
        // It must load on the embedded table alone, as `rules validate FILE` loads it.
        if let Err(e) = rules::load::load_sources(&[
            (rules::DEFAULT_RULES, rules::DEFAULT_RULES_NAME),
            (&text, &name),
        ]) {
            anyhow::bail!(
                "not writing {name}: the overlay would not load ({e}); please report this as a bug"
            );
        }
        import::write_overlay(path, &text, args.force)?;
        let models = comparison.overlay_len();
        let _ = writeln!(
            stderr,
            "wrote {name} ({} {}); check it with `bedrock-migrate rules validate {name}`",
            models,
            if models == 1 { "model" } else { "models" }
        );
    }
    Ok(u8::from(comparison.has_differences()))
}

fn setup(common: &RulesCommon) -> Result<(Rules, ResolveOptions)> {
    check_region(common.region.as_deref())?;
    let rules = load_rules(common)?;
    check_known_region(&rules, common.region.as_deref())?;
    let opts = ResolveOptions {
        as_of: common.as_of.unwrap_or_else(today),
        region: common.region.clone(),
        official_only: false,
    };
    Ok((rules, opts))
}

/// Accept `us.anthropic.…` or an ARN and return the bare model ID.
fn lookup_id(rules: &Rules, text: &str) -> String {
    let grammar: &Grammar = rules.grammar();
    grammar
        .find(text)
        .into_iter()
        .next()
        .map_or_else(|| text.to_string(), |r| r.id)
}

fn print(s: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

#[derive(Serialize)]
struct Row {
    id: String,
    name: String,
    state: &'static str,
    #[serde(skip)]
    status_state: State,
    legacy_date: Option<chrono::NaiveDate>,
    extended_access_date: Option<chrono::NaiveDate>,
    eol_date: Option<chrono::NaiveDate>,
    replacement: Option<String>,
    body: String,
    kind: rules::Kind,
    profiles: Vec<String>,
    on_demand: bool,
}

fn row(rules: &Rules, m: &Model, opts: &ResolveOptions) -> Row {
    let s = lifecycle::status(m, opts.as_of, opts.region.as_deref());
    let replacement = if s.state == State::Active {
        None
    } else {
        rules.resolve(&m.id, opts).target.map(|t| t.id)
    };
    Row {
        id: m.id.clone(),
        name: m.name.clone(),
        state: s.state.as_str(),
        status_state: s.state,
        legacy_date: s.legacy_date,
        extended_access_date: s.extended_access_date,
        eol_date: s.eol_date,
        replacement,
        body: m.body.clone(),
        kind: m.kind,
        profiles: m.profiles.clone(),
        on_demand: m.invocable_bare(opts.region.as_deref()),
    }
}

fn list_text(rows: &[Row]) -> String {
    let width = rows.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    let day = |d: Option<chrono::NaiveDate>| d.map_or("-".to_string(), |d| d.to_string());
    let mut out = format!(
        "{:width$}  {:6}  {:10}  {:10}  REPLACEMENT\n",
        "ID", "STATE", "LEGACY", "EOL"
    );
    for r in rows {
        let _ = writeln!(
            out,
            "{:width$}  {:6}  {:10}  {:10}  {}",
            r.id,
            r.state,
            day(r.legacy_date),
            day(r.eol_date),
            r.replacement.as_deref().unwrap_or("-")
        );
    }
    out
}

fn show(rules: &Rules, m: &Model, opts: &ResolveOptions) -> String {
    let mut out = String::new();
    let status: Status = lifecycle::status(m, opts.as_of, opts.region.as_deref());
    let _ = writeln!(out, "{} ({})", m.id, m.name);
    let scope = match &opts.region {
        Some(region) => lifecycle::Scope::Region(region),
        None => lifecycle::Scope::Everywhere,
    };
    let mut state = describe_lifecycle(m, opts.as_of, scope).text;
    if status.state == State::Unknown && opts.region.is_some() {
        state = format!("unknown: {state}");
    }
    let _ = writeln!(out, "  state on {}: {state}", opts.as_of);
    let _ = writeln!(
        out,
        "  provider: {}  body: {}  kind: {:?}",
        m.provider, m.body, m.kind
    );
    let on_demand = if !m.on_demand {
        "no (inference profile required)".to_string()
    } else if m.on_demand_regions.is_empty() {
        "yes".to_string()
    } else {
        format!("only in {}", m.on_demand_regions.join(", "))
    };
    let _ = writeln!(out, "  bare ID on demand: {on_demand}");
    let profiles = if m.profiles.is_empty() {
        "none".to_string()
    } else {
        m.profiles.join(", ")
    };
    let _ = writeln!(out, "  inference profiles: {profiles}");
    if let Some(base) = &m.variant_of {
        let _ = writeln!(out, "  variant of: {base}");
    }
    if !m.lifecycle.is_empty() {
        let _ = writeln!(out, "  dates:");
        let day = |d: Option<chrono::NaiveDate>| d.map_or("-".to_string(), |d| d.to_string());
        for g in &m.lifecycle {
            let regions = if g.regions.is_empty() {
                "every Region no other line names".to_string()
            } else {
                g.regions.join(", ")
            };
            if g.legacy.is_none() && g.extended_access.is_none() && g.eol.is_none() {
                let _ = writeln!(out, "    active (no retirement announced)  [{regions}]");
                continue;
            }
            let _ = writeln!(
                out,
                "    legacy {}  extended access {}  eol {}  [{regions}]",
                day(g.legacy),
                day(g.extended_access),
                day(g.eol)
            );
        }
        if m.lifecycle.iter().all(|g| !g.regions.is_empty()) {
            let _ = writeln!(out, "    unknown  [every other Region: no notice names it]");
        }
    }
    if !m.replacements.is_empty() {
        let _ = writeln!(out, "  replacements:");
        for r in &m.replacements {
            let source = r.source.as_deref().map_or("-".into(), |s| rules.cite(s));
            let _ = writeln!(out, "    {} ({}, {source})", r.id, r.provenance.as_str());
        }
    }
    let resolution = rules.resolve(&m.id, opts);
    if !resolution.chain.is_empty() {
        let chain: Vec<String> = resolution
            .chain
            .iter()
            .map(|h| format!("{} [{}]", h.id, h.status.state.as_str()))
            .collect();
        let _ = writeln!(out, "  chain: {} → {}", m.id, chain.join(" → "));
        match &resolution.target {
            Some(t) => {
                let _ = writeln!(out, "  migrates to: {}", t.id);
            }
            None => {
                let _ = writeln!(out, "  migrates to: nothing live");
            }
        }
    }
    for note in &m.notes {
        let _ = writeln!(out, "  note: {}", rules.cite(note));
    }
    // Where the keys are defined: the key that `citation` uses, the short name that every
    // other line shows, the links and the description.
    if !m.sources.is_empty() {
        let _ = writeln!(out, "  sources:");
        for key in &m.sources {
            let Some(source) = rules.source(key) else {
                let _ = writeln!(out, "    {key}: (not described)");
                continue;
            };
            let links = if source.urls.is_empty() {
                " (no URL)".to_string()
            } else {
                format!(" — {}", source.urls.join(" , "))
            };
            let _ = writeln!(out, "    {key}: {}{links}", source.name);
            if let Some(d) = source.description.as_ref().filter(|d| **d != source.name) {
                let _ = writeln!(out, "        {d}");
            }
        }
    }
    if let Some(c) = &m.citation {
        let _ = writeln!(out, "  citation: {c}");
    }
    out
}
