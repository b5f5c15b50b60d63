//! The run: walk → plan → (apply) → report, for scan, diff, fix and check.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Result;
use bedrock_migrate::apply::{self, ApplyError};
use bedrock_migrate::encoding::{ByteMap, TextEncoding};
use bedrock_migrate::finding::{Finding, FindingState};
use bedrock_migrate::plan::{self, PlanOptions};
use bedrock_migrate::progress::{self, Counters, Ticker};
use bedrock_migrate::region_evidence::{self, RepositoryRegion};
use bedrock_migrate::report::{self, FileReport, Summary, text::TextOptions};
use bedrock_migrate::rules::{self, ResolveOptions, Rules};
use bedrock_migrate::walk::{self, ExcludeSource, SourceFile, Visit, WalkOptions};

use crate::cli::{ColorChoice, FailOn, Format, RulesCommon, RunArgs};

/// What the run does with the findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Report everything.
    Scan,
    /// Print a diff of the fixes.
    Diff,
    /// Write the fixes.
    Fix,
    /// Report failures only; `fix` writes too.
    Check {
        /// `check --fix`.
        fix: bool,
    },
}

impl Mode {
    fn writes(self) -> bool {
        matches!(self, Mode::Fix | Mode::Check { fix: true })
    }
    fn edits(self) -> bool {
        self.writes() || self == Mode::Diff
    }
}

/// One planned file, and what rewriting it gave (diff, fix and `check --fix` modes).
struct Planned {
    report: FileReport,
    /// Its unified diff (diff mode), in the file's encoding (see [`rewrite`]).
    diff: Option<Vec<u8>>,
    /// Diff mode: it has fixes that no patch can carry (UTF-16).
    not_diffable: bool,
    /// Why its fixes could not be verified or written.
    rewrite_error: Option<String>,
}

/// Messages gathered from the walk, printed after it in path order.
#[derive(Default)]
struct Gathered {
    files: Vec<Planned>,
    /// `fix -`: the text read from standard input, fixed where fixes applied.
    stdin_text: Option<String>,
    /// `(path, message)`: `skipped: why` and the like.
    warnings: Vec<(PathBuf, String)>,
    errors: Vec<(Option<PathBuf>, String)>,
    /// Named paths that an `exclude` glob covers (shown with -v).
    excluded: Vec<(PathBuf, ExcludeSource)>,
    /// Walked files skipped because no encoding reads them (warnings, counted).
    undecodable: usize,
}

/// The name of a repository's own rules and settings file.
pub const CONFIG_FILE: &str = ".bedrock-migrate.toml";

/// The `.bedrock-migrate.toml` that governs `dir`: looked for in `dir` and its parents, up
/// to the repository root (the first directory holding `.git`).
pub fn find_config_from(dir: &Path) -> Option<PathBuf> {
    let dir = walk::normalize(&std::path::absolute(dir).ok()?);
    for dir in dir.ancestors() {
        let candidate = dir.join(CONFIG_FILE);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    None
}

/// The configuration for a run over `paths`: `--config FILE` when given, else the one that
/// governs the paths, found from each path upwards (as ruff finds its configuration), so
/// that `bedrock-migrate diff some/repo` run from elsewhere honours that repository's
/// `exclude`, `profile_prefix` and policies. Paths governed by different files are an
/// error: one run applies one configuration.
fn config_for(common: &RulesCommon, paths: &[PathBuf]) -> Result<Option<PathBuf>> {
    if let Some(file) = &common.config {
        if !file.is_file() {
            anyhow::bail!("{}: --config file not found", file.display());
        }
        return Ok(Some(file.clone()));
    }
    if common.no_config {
        return Ok(None);
    }
    let mut found: Vec<Option<PathBuf>> = paths
        .iter()
        .map(|p| {
            let dir = if p.is_dir() {
                p.as_path()
            } else {
                p.parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."))
            };
            find_config_from(dir)
        })
        .collect();
    found.sort();
    found.dedup();
    match found.as_slice() {
        [] => Ok(find_config_from(Path::new("."))),
        [one] => Ok(one.clone()),
        several => anyhow::bail!(
            "the paths are governed by different configuration files ({}); run once per project, or choose one with --config FILE",
            several
                .iter()
                .map(|c| c
                    .as_ref()
                    .map_or("none".to_string(), |c| relative_to_cwd(c)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// `path` as shown to users: relative to the current directory when it lies below it.
fn relative_to_cwd(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    report::display_path(path.strip_prefix(&cwd).unwrap_or(path))
}

/// Load the embedded rules, the configuration that governs `paths` (see [`config_for`];
/// for the `rules` subcommands, the current directory's) and the `--rules` overlays, in
/// that order, or explain what is wrong.
pub fn load_rules_for(common: &RulesCommon, paths: &[PathBuf]) -> Result<Rules> {
    let mut overlays = Vec::new();
    if let Some(config) = config_for(common, paths)? {
        overlays.push(config);
    }
    overlays.extend(common.rules.iter().cloned());
    Ok(rules::load_with_overlays(&overlays)?)
}

/// [`load_rules_for`] the current directory.
pub fn load_rules(common: &RulesCommon) -> Result<Rules> {
    load_rules_for(common, &[PathBuf::from(".")])
}

/// Reject a `--region` that is not shaped like an AWS Region: a typo must not silently
/// evaluate to "no dates apply".
pub fn check_region(region: Option<&str>) -> Result<()> {
    match region {
        Some(r) if !rules::lifecycle::is_region_name(r) => anyhow::bail!(
            "invalid --region `{r}`: expected an AWS Region name such as us-east-1 or eu-west-3"
        ),
        _ => Ok(()),
    }
}

/// Reject a `--region` that is one or two letters away from a Region the table knows
/// (`eu-wset-1`): a typo there would silently evaluate a Region no notice names. A
/// well-formed Region the table does not know, and that resembles none, is accepted (its
/// state is then unknown).
pub fn check_known_region(rules: &Rules, region: Option<&str>) -> Result<()> {
    let Some(region) = region else {
        return Ok(());
    };
    let known = rules.known_regions();
    if known.contains(region) {
        return Ok(());
    }
    if let Some(close) = known
        .iter()
        .map(|k| (strsim::levenshtein(region, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
    {
        anyhow::bail!("unknown --region `{region}`; did you mean `{}`?", close.1);
    }
    Ok(())
}

/// Today, in the local time zone.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// What a run found and did, before anything is printed: the `pr` subcommand reads it
/// instead of the report.
pub struct Outcome {
    /// The files with references, sorted by path; `applied` is set on written fixes.
    pub reports: Vec<FileReport>,
    /// The unified diff of every file (diff mode only); bytes, because the lines of a
    /// windows-1252 file are given in windows-1252 (see [`rewrite`]).
    pub diff: Vec<u8>,
    /// With `fix -`: the text read from standard input, fixed (or as it was).
    pub stdin_text: Option<String>,
    /// Paths that could not be read, as `path: message`.
    pub errors: Vec<String>,
    /// Files that could not be read: the errors, and the walked files that no encoding
    /// reads (those are warnings).
    pub unreadable: usize,
    /// Diff mode: files with fixes that the patch does not carry (UTF-16 text).
    pub not_diffable: usize,
    /// With `-v`: what was loaded and skipped, as `info:` lines.
    pub info: Vec<String>,
    /// Files skipped on purpose, as `path: skipped: reason`.
    pub warnings: Vec<String>,
    /// Files whose fixes could not be verified or written.
    pub rewrite_errors: Vec<String>,
    /// The date the lifecycle states were evaluated on.
    pub as_of: chrono::NaiveDate,
    /// `--eol-within` as a date.
    pub deadline: Option<chrono::NaiveDate>,
}

impl Outcome {
    /// True when a file could not be read, verified or written (exit status 2).
    pub fn failed_io(&self) -> bool {
        !self.errors.is_empty() || !self.rewrite_errors.is_empty()
    }
}

/// Load the rules and plan, and in diff, fix and `check --fix` mode rewrite, without
/// printing anything.
pub fn execute(args: &RunArgs, mode: Mode) -> Result<Outcome> {
    execute_holding(args, mode, &Default::default())
}

/// [`execute`], leaving the models in `hold` as they are (no fix is planned for them): the
/// `pr` subcommand migrates a model in all of its references in code or in none.
pub fn execute_holding(
    args: &RunArgs,
    mode: Mode,
    hold: &std::collections::BTreeSet<String>,
) -> Result<Outcome> {
    check_region(args.rules.region.as_deref())?;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    // Standard input is governed by the configuration of the file it stands for.
    let config_paths: Vec<PathBuf> = paths
        .iter()
        .map(|p| match (p.as_os_str() == "-", &args.stdin_filename) {
            (true, Some(name)) => name.clone(),
            (true, None) => PathBuf::from("."),
            (false, _) => p.clone(),
        })
        .collect();
    let rules = load_rules_for(&args.rules, &config_paths)?;
    check_known_region(&rules, args.rules.region.as_deref())?;
    let mut info = Vec::new();
    if args.verbose {
        info = loaded_files(&args.rules, &config_paths)?;
    }
    let known = |flag: &str, geo: &str| -> Result<()> {
        if rules.geo_prefixes().iter().any(|g| g == geo) {
            Ok(())
        } else {
            anyhow::bail!(
                "unknown {flag} `{geo}`; the rules know: {}",
                rules.geo_prefixes().join(", ")
            )
        }
    };
    if let Some(geo) = &args.profile_prefix {
        known("--profile-prefix", geo)?;
    }
    let mut prefix_map = rules.settings().prefix_map.clone();
    for (from, to) in &args.prefix_map {
        known("--prefix-map prefix", from)?;
        known("--prefix-map prefix", to)?;
        prefix_map.insert(from.clone(), to.clone());
    }
    let as_of = args.rules.as_of.unwrap_or_else(today);
    let options = PlanOptions {
        resolve: ResolveOptions {
            as_of,
            region: args.rules.region.clone(),
            official_only: args.official_only,
        },
        profile_prefix: args
            .profile_prefix
            .clone()
            .or_else(|| rules.settings().profile_prefix.clone()),
        profile_prefix_origin: if args.profile_prefix.is_some() {
            Some("--profile-prefix".into())
        } else {
            rules
                .settings()
                .profile_prefix
                .as_ref()
                .map(|_| "profile_prefix in the configuration".into())
        },
        prefix_map,
        repository_region: None,
        hold: hold.clone(),
    };
    let deadline = match args.eol_within {
        Some(days) => Some(
            as_of
                .checked_add_days(chrono::Days::new(u64::from(days)))
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "--eol-within {days} from {as_of} is past the last date this can count to"
                    )
                })?,
        ),
        None => None,
    };
    let exclude = walk::Exclusions::from_patterns(&rules.settings().exclude)?;
    let counters = std::sync::Arc::new(Counters::default());
    let walk_options = WalkOptions {
        hidden: args.hidden,
        no_ignore: args.no_ignore,
        threads: args.threads,
        max_filesize: args.max_filesize,
        exclude,
        progress: Some(std::sync::Arc::clone(&counters)),
        all_text: args.all_text,
    };
    let stdin = paths.iter().any(|p| p.as_os_str() == "-");
    if stdin && paths.len() > 1 {
        anyhow::bail!("`-` (standard input) cannot be combined with other paths");
    }
    let gathered = if stdin {
        gather_stdin(args, &rules, &options, mode)?
    } else {
        // The progress line: on a terminal, not with -q; it is erased before anything else
        // is printed (the run prints nothing until the walk is over).
        let ticker = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
            Ticker::start(
                std::sync::Arc::clone(&counters),
                progress::Timing::from_env(),
                std::io::stderr(),
            )
        });
        let gathered = gather(
            &paths,
            &walk_options,
            &rules,
            &options,
            mode,
            args.unsafe_fixes,
        );
        if let Some(ticker) = ticker {
            ticker.finish();
        }
        if args.verbose {
            for (path, by) in &gathered.excluded {
                let file = by
                    .file
                    .as_deref()
                    .map_or(String::new(), |f| format!(" in {}", relative_to_cwd(f)));
                info.push(format!(
                    "{}: skipped: excluded by `{}`{file}",
                    report::display_path(path),
                    by.pattern
                ));
            }
            let (walked, parsed) = counters.get();
            info.push(format!(
                "{walked} {} walked, {parsed} parsed (the others hold nothing shaped like a model ID)",
                if walked == 1 { "file" } else { "files" }
            ));
        }
        gathered
    };

    let errors = gathered
        .errors
        .iter()
        .map(|(path, message)| match path {
            Some(p) if !message.contains(&*p.to_string_lossy()) => {
                format!("{}: {message}", report::display_path(p))
            }
            _ => message.clone(),
        })
        .collect();
    let mut warnings: Vec<(PathBuf, String)> = gathered.warnings;
    // A path that does not exist is an error, but not a file that could not be read.
    let unreadable = gathered
        .errors
        .iter()
        .filter(|(path, _)| path.as_ref().is_none_or(|p| p.symlink_metadata().is_ok()))
        .count()
        + gathered.undecodable;
    let files = gathered.files;
    let not_diffable = files.iter().filter(|f| f.not_diffable).count();
    for f in files.iter().filter(|f| f.not_diffable) {
        warnings.push((
            PathBuf::from(&f.report.path),
            "not in the diff: UTF-16 text cannot be applied as a text patch (git treats it as binary); `fix` rewrites it in UTF-16".into(),
        ));
    }
    warnings.sort();
    let warnings = warnings
        .iter()
        .map(|(path, message)| format!("{}: {message}", report::display_path(path)))
        .collect();
    let diff = files
        .iter()
        .filter_map(|f| f.diff.as_deref())
        .flatten()
        .copied()
        .collect();
    let rewrite_errors = files
        .iter()
        .filter_map(|f| f.rewrite_error.clone())
        .collect();
    Ok(Outcome {
        reports: files.into_iter().map(|f| f.report).collect(),
        diff,
        stdin_text: gathered.stdin_text,
        errors,
        unreadable,
        not_diffable,
        info,
        warnings,
        rewrite_errors,
        as_of,
        deadline,
    })
}

/// Run scan, diff, fix or check; returns the exit code.
pub fn run(args: &RunArgs, mode: Mode) -> Result<u8> {
    if args.statistics && !matches!(args.format, Format::Text | Format::Concise) {
        anyhow::bail!("--statistics goes with --format text or concise");
    }
    if mode == Mode::Diff && args.format != Format::Text {
        // (concise is a text format too, but a diff has no findings to shorten)
        anyhow::bail!(
            "`diff` prints a unified diff and takes no --format; for findings in another format use `scan --format {}`",
            format!("{:?}", args.format).to_lowercase()
        );
    }
    let outcome = execute(args, mode)?;
    print(args, mode, &outcome)
}

/// Print a run's messages (stderr) and report (stdout); returns the exit code.
pub fn print(args: &RunArgs, mode: Mode, outcome: &Outcome) -> Result<u8> {
    let failed_io = outcome.failed_io();
    let deadline = outcome.deadline;
    let mut stderr = std::io::stderr().lock();
    // Messages name files and quote them: no control character of theirs reaches the
    // terminal.
    use bedrock_migrate::report::printable;
    for message in &outcome.info {
        writeln!(stderr, "info: {}", printable(message))?;
    }
    for message in &outcome.errors {
        writeln!(stderr, "error: {}", printable(message))?;
    }
    if !args.quiet {
        for message in &outcome.warnings {
            writeln!(stderr, "warning: {}", printable(message))?;
        }
        for r in &outcome.reports {
            if let Some(e) = &r.syntax_error {
                let consequence = "its rewrites need review (--unsafe-fixes)";
                writeln!(
                    stderr,
                    "warning: {}:{}:{}: does not parse ({}); {consequence}",
                    printable(&r.path),
                    e.line,
                    e.column,
                    printable(&e.message)
                )?;
            }
        }
    }
    for message in &outcome.rewrite_errors {
        writeln!(stderr, "error: {}", printable(message))?;
    }

    let mut stdout = std::io::stdout().lock();
    let mut out = String::new();
    let reports = &outcome.reports;
    let summary = Summary::of(reports);
    let fails = |f: &Finding| fails(f, args.fail_on, deadline);
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let text_options = TextOptions {
        color,
        unsafe_fixes: args.unsafe_fixes,
        concise: args.format == Format::Concise,
    };
    // The CI formats (sarif, github, markdown) leave out active references that fail
    // nothing, even for scan.
    let ci_keep = |f: &Finding| {
        f.applied || fails(f) || (mode == Mode::Scan && f.state != FindingState::Active)
    };
    match (mode, args.format) {
        (Mode::Diff, _) => {}
        (Mode::Scan, Format::Text | Format::Concise) => {
            out.push_str(&report::text::findings(reports, &text_options, |_| true));
        }
        (Mode::Scan, Format::Json) => out.push_str(&report::json::render(reports, |_| true)),
        (_, Format::Text | Format::Concise) => {
            out.push_str(&report::text::findings(reports, &text_options, |f| {
                f.applied || fails(f)
            }));
        }
        (_, Format::Json) => {
            out.push_str(&report::json::render(reports, |f| f.applied || fails(f)))
        }
        (_, Format::Sarif) => out.push_str(&report::sarif::render(
            reports,
            &report::sarif::SarifOptions {
                unsafe_fixes: args.unsafe_fixes,
            },
            ci_keep,
        )),
        (_, Format::Github) => out.push_str(&report::github::render(reports, ci_keep)),
        (_, Format::Markdown) => out.push_str(&report::markdown::render(
            reports,
            &report::markdown::MarkdownOptions {
                unsafe_fixes: args.unsafe_fixes,
                writes: mode.writes(),
                as_of: Some(outcome.as_of),
                ..Default::default()
            },
            ci_keep,
        )),
    }
    // After an error, "No Bedrock model references found." would claim a result the run
    // does not have.
    let nothing_after_error = summary.references == 0 && failed_io;
    let human = matches!(args.format, Format::Text | Format::Concise);
    if human && !args.quiet && mode != Mode::Diff && !nothing_after_error {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&report::text::summary(&summary, &text_options));
        out.push_str(&report::text::partial(&report::partial_models(
            reports,
            args.unsafe_fixes,
        )));
        if args.statistics {
            out.push('\n');
            out.push_str(&report::text::statistics(reports));
        }
    }
    if human && !args.quiet && mode != Mode::Diff && outcome.unreadable > 0 {
        if !out.is_empty() && nothing_after_error {
            out.push('\n');
        }
        out.push_str(&unreadable_line(outcome.unreadable));
    }
    // `fix -`: standard output carries the fixed text, so the report goes to standard error.
    let written = match &outcome.stdin_text {
        Some(text) => stderr
            .write_all(out.as_bytes())
            .and_then(|()| stdout.write_all(text.as_bytes())),
        None if mode == Mode::Diff => stdout.write_all(&outcome.diff),
        None => stdout.write_all(out.as_bytes()),
    };
    if let Err(e) = written.and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Ok(if failed_io { 2 } else { 0 });
        }
        return Err(e.into());
    }

    if failed_io {
        return Ok(2);
    }
    let remaining = reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| !f.applied && fails(f));
    let code = match mode {
        Mode::Scan | Mode::Fix | Mode::Check { fix: false } => u8::from(remaining),
        Mode::Diff => u8::from(!outcome.diff.is_empty() || outcome.not_diffable > 0),
        Mode::Check { fix: true } => u8::from(remaining || summary.applied > 0),
    };
    Ok(if args.exit_zero { 0 } else { code })
}

/// The summary's line about files that could not be read (their reasons are on standard
/// error).
fn unreadable_line(n: usize) -> String {
    let files = if n == 1 { "file" } else { "files" };
    format!("{n} {files} could not be read (see the messages above).\n")
}

/// What `-v` says about the configuration: the file found from `paths` (or given with
/// `--config`) and the `--rules` overlays, in the order they are layered.
fn loaded_files(common: &RulesCommon, paths: &[PathBuf]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    out.push(match config_for(common, paths)? {
        Some(file) if common.config.is_some() => {
            format!("configuration: {} (--config)", relative_to_cwd(&file))
        }
        Some(file) => format!("configuration: {}", relative_to_cwd(&file)),
        None if common.no_config => "configuration: none (--no-config)".to_string(),
        None => format!(
            "configuration: none (no {CONFIG_FILE} from the paths up to their repository root)"
        ),
    });
    for file in &common.rules {
        out.push(format!("rules: {} (--rules)", relative_to_cwd(file)));
    }
    Ok(out)
}

/// True when `f` makes the run fail under `--fail-on` and `--eol-within` (whose `deadline`
/// is the as-of date plus the days given).
fn fails(f: &Finding, fail_on: FailOn, deadline: Option<chrono::NaiveDate>) -> bool {
    let by_state = match fail_on {
        FailOn::Legacy => matches!(f.state, FindingState::Legacy | FindingState::Eol),
        FailOn::Eol => f.state == FindingState::Eol,
    };
    let soon = deadline.is_some_and(|d| f.eol_date.is_some_and(|eol| eol <= d));
    by_state || soon
}

/// Walk and plan in parallel; results sorted by path.
fn gather(
    paths: &[PathBuf],
    walk_options: &WalkOptions,
    rules: &Rules,
    options: &PlanOptions,
    mode: Mode,
    unsafe_fixes: bool,
) -> Gathered {
    let gathered = Mutex::new(Gathered::default());
    let regions = RepositoryRegions::new(paths);
    // A file named twice (`a.py ./a.py .`) is planned, reported and written once. One path
    // cannot reach a file twice (the walker does not follow symlinks), so a single path
    // needs no bookkeeping.
    let seen = Mutex::new(std::collections::HashSet::new());
    // Directories already cleaned of what interrupted runs left (see
    // `apply::recover_directory`): each once, before the first write there.
    let recovered = Mutex::new(std::collections::HashSet::new());
    let links = Mutex::new(std::collections::HashMap::new());
    // Jest/Vitest snapshots are planned with the other files but rewritten after the walk,
    // and only where a source file of this run rewrites the same reference the same way
    // (see `snapshot`).
    let snapshots: Mutex<Vec<DeferredSnapshot>> = Mutex::default();
    let source_fixes = Mutex::new(plan::snapshots::SourceFixes::default());
    // The directories named on the command line (or those of named files) first, before
    // their files are read: a file that an interrupted run left half-written is then read
    // whole (a pre-commit hook names files).
    if mode.writes() {
        for path in paths {
            let dir = if path.is_dir() {
                Some(path.clone())
            } else {
                path.parent().map(|p| {
                    if p.as_os_str().is_empty() {
                        PathBuf::from(".")
                    } else {
                        p.to_path_buf()
                    }
                })
            };
            if let Some(dir) = dir.and_then(|d| std::fs::canonicalize(d).ok())
                && lock(&recovered).insert(dir.clone())
            {
                let messages = apply::recover_directory(&dir);
                lock(&gathered).warnings.extend(messages);
            }
        }
    }
    let once = |path: &PathBuf| {
        paths.len() < 2 || {
            let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            lock(&seen).insert(key)
        }
    };
    walk::walk(paths, walk_options, rules.grammar(), &|visit| match visit {
        Visit::File(file) => {
            if !once(&file.path) {
                return;
            }
            // Names of one file (hard links) are written through the first one met: two
            // threads rewriting one file in place at once would each see the other's
            // write as an edit made meanwhile.
            if mode.writes()
                && let Some(first) = first_link(&links, &file.path)
            {
                lock(&gathered).warnings.push((
                    file.path.clone(),
                    format!(
                        "skipped: a hard link to {}, which is rewritten through that name",
                        report::display_path(&first)
                    ),
                ));
                return;
            }
            // Confirmed before it is parsed: most prefilter hits in real code are
            // `amazon.com`, `import.meta.url` and the like.
            if !plan::candidate::is_candidate(&file.text, rules) {
                return;
            }
            if let Some(counters) = &walk_options.progress {
                counters.parsed();
            }
            // One file's bug must not stop the run: a panic while planning or rewriting
            // it becomes an error for that file (exit 2), and the walk goes on. A rewrite
            // in progress leaves no temporary file: it is removed as the panic unwinds.
            let planned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                inject_panic(&file.path);
                let analysis = plan::Analysis::confirmed(&file.text, file.language, rules);
                let mut plan = analysis.plan(rules, options);
                if plan.findings.iter().any(|f| f.wants_region)
                    && let Some(evidence) = regions.for_file(&file.path)
                {
                    let options = PlanOptions {
                        repository_region: Some(evidence),
                        ..options.clone()
                    };
                    plan = analysis.plan(rules, &options);
                }
                if plan.findings.is_empty() {
                    return None;
                }
                let mut findings = plan.findings;
                bedrock_migrate::encoding::refuse_unencodable(&mut findings, file.encoding);
                let report = FileReport {
                    path: report::display_path(&file.path),
                    findings,
                    syntax_error: plan.syntax_error,
                    byte_map: ByteMap::new(&file.text, file.encoding),
                };
                // Files are rewritten (or diffed) here, on the walker's threads, as soon
                // as they are planned: verification re-parses every edited file, and the
                // text need not be kept until the walk ends.
                let mut root = None;
                if mode.writes() {
                    root = Some(regions.root_of(&file.path));
                    if let Some(dir) = std::fs::canonicalize(&file.path)
                        .ok()
                        .and_then(|p| p.parent().map(Path::to_path_buf))
                        && lock(&recovered).insert(dir.clone())
                    {
                        let messages = apply::recover_directory(&dir);
                        lock(&gathered).warnings.extend(messages);
                    }
                }
                if plan::snapshots::is_snapshot(&file.path, file.language) {
                    lock(&snapshots).push(DeferredSnapshot {
                        file: file.clone(),
                        report,
                        root,
                    });
                    return None;
                }
                let planned = planned_file(&file, report, mode, unsafe_fixes, root.as_deref());
                if planned.rewrite_error.is_none() {
                    lock(&source_fixes).add(&file.text, &planned.report.findings);
                }
                Some(planned)
            }));
            match planned {
                Ok(Some(planned)) => lock(&gathered).files.push(planned),
                Ok(None) => {}
                Err(payload) => lock(&gathered).errors.push((
                    Some(file.path.clone()),
                    format!(
                        "internal error, file skipped: {}; please report this as a bug",
                        panic_message(payload.as_ref())
                    ),
                )),
            }
        }
        Visit::Skipped { path, reason } => {
            if once(&path) {
                lock(&gathered)
                    .warnings
                    .push((path, format!("skipped: {reason}")));
            }
        }
        // A named file that cannot be read is an error (exit 2): the user asked for it to
        // be checked. A walked one is skipped with a warning, as a binary file is.
        Visit::Undecodable {
            path,
            reason,
            named,
        } => {
            if once(&path) {
                let mut gathered = lock(&gathered);
                if named {
                    gathered
                        .errors
                        .push((Some(path), format!("cannot be read: {reason}")));
                } else {
                    gathered.undecodable += 1;
                    gathered
                        .warnings
                        .push((path, format!("skipped: cannot be read: {reason}")));
                }
            }
        }
        Visit::Excluded { path, by } => {
            if once(&path) {
                lock(&gathered).excluded.push((path, by));
            }
        }
        Visit::Error { path, message } => lock(&gathered).errors.push((path, message)),
    });
    let mut g = gathered.into_inner().unwrap_or_else(|p| p.into_inner());
    let source_fixes = source_fixes.into_inner().unwrap_or_else(|p| p.into_inner());
    for deferred in snapshots.into_inner().unwrap_or_else(|p| p.into_inner()) {
        let DeferredSnapshot {
            file,
            mut report,
            root,
        } = deferred;
        source_fixes.restrict(&file.text, &mut report.findings);
        g.files.push(planned_file(
            &file,
            report,
            mode,
            unsafe_fixes,
            root.as_deref(),
        ));
    }
    g.files.sort_by(|a, b| a.report.path.cmp(&b.report.path));
    g.warnings.sort();
    g.excluded.sort_by(|a, b| a.0.cmp(&b.0));
    g.errors.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    g
}

/// A planned file, rewritten (or diffed) when the mode edits.
fn planned_file(
    file: &SourceFile,
    mut report: FileReport,
    mode: Mode,
    unsafe_fixes: bool,
    root: Option<&Path>,
) -> Planned {
    let (mut diff, mut not_diffable, mut rewrite_error) = (None, false, None);
    if mode.edits() {
        match rewrite(file, &mut report, mode, unsafe_fixes, root) {
            Ok(Rewritten::Diff(bytes)) => diff = Some(bytes),
            Ok(Rewritten::NotDiffable) => not_diffable = true,
            Ok(Rewritten::Nothing | Rewritten::Text(_)) => {}
            Err(e) => rewrite_error = Some(e.to_string()),
        }
    }
    Planned {
        report,
        diff,
        not_diffable,
        rewrite_error,
    }
}

/// A test snapshot planned during the walk, rewritten after it (see
/// [`plan::snapshots`]).
struct DeferredSnapshot {
    file: SourceFile,
    report: FileReport,
    /// The repository root, for writes.
    root: Option<PathBuf>,
}

/// For a file with several hard links: the name under which it was met first, when that was
/// another name (`seen` maps device and inode to that name).
fn first_link(
    seen: &Mutex<std::collections::HashMap<(u64, u64), PathBuf>>,
    path: &Path,
) -> Option<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let metadata = std::fs::metadata(path).ok()?;
    if metadata.nlink() < 2 {
        return None;
    }
    let mut seen = lock(seen);
    let first = seen
        .entry((metadata.dev(), metadata.ino()))
        .or_insert_with(|| path.to_path_buf());
    (first != path).then(|| first.clone())
}

/// Plan the text of standard input as the file `--stdin-filename` names (plain text without
/// it); `fix` keeps the fixed text for standard output instead of writing a file.
fn gather_stdin(
    args: &RunArgs,
    rules: &Rules,
    options: &PlanOptions,
    mode: Mode,
) -> Result<Gathered> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
        .map_err(|e| anyhow::anyhow!("cannot read standard input: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "-: standard input is not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    let path = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from("-"));
    let language = args
        .stdin_filename
        .as_deref()
        .and_then(bedrock_migrate::extract::Language::from_path)
        .unwrap_or(bedrock_migrate::extract::Language::PlainText);
    let file = SourceFile {
        path,
        language,
        text,
        encoding: TextEncoding::Utf8,
    };
    let plan = plan::plan_file(&file.text, file.language, rules, options);
    let mut gathered = Gathered::default();
    let mut report = FileReport {
        path: report::display_path(&file.path),
        findings: plan.findings,
        syntax_error: plan.syntax_error,
        byte_map: None,
    };
    let (mut diff, mut fixed, mut rewrite_error) = (None, None, None);
    if mode.edits() {
        match rewrite(&file, &mut report, mode, args.unsafe_fixes, None) {
            Ok(Rewritten::Diff(bytes)) => diff = Some(bytes),
            Ok(Rewritten::Text(text)) => fixed = Some(text),
            Ok(Rewritten::Nothing | Rewritten::NotDiffable) => {}
            Err(e) => rewrite_error = Some(e.to_string()),
        }
    }
    if matches!(mode, Mode::Fix | Mode::Check { fix: true }) {
        gathered.stdin_text = Some(fixed.unwrap_or_else(|| file.text.clone()));
    }
    if !report.findings.is_empty() || rewrite_error.is_some() {
        gathered.files.push(Planned {
            report,
            diff,
            not_diffable: false,
            rewrite_error,
        });
    }
    Ok(gathered)
}

/// The path a patch names for `path`: relative to the root of the git repository that holds
/// it, so that `git apply` there accepts the patch whatever path the user typed (`../app`,
/// an absolute path); outside a repository, the path as shown in reports.
fn patch_path(path: &Path, shown: &str) -> String {
    if !shown.starts_with("../") && !shown.starts_with('/') && !shown.contains("/../") {
        return shown.to_string();
    }
    let Ok(absolute) = std::path::absolute(path) else {
        return shown.to_string();
    };
    let absolute = walk::normalize(&absolute);
    absolute
        .ancestors()
        .skip(1)
        .find(|d| d.join(".git").exists())
        .and_then(|root| absolute.strip_prefix(root).ok())
        .map_or_else(|| shown.to_string(), report::display_path)
}

/// What each repository's own files say about its Region, read only when a finding needs it
/// (most runs never do: the code itself says where it runs, or nothing needs a profile).
///
/// For a file found by walking a directory, the whole repository is read once (its other
/// files will likely ask too). For a file named on the command line (`check` in a hook),
/// only the directories between it and the repository root are read, once per directory.
struct RepositoryRegions {
    /// The directories named on the command line (absolute), and the directories of the
    /// files named: the root of a tree that is not a git repository.
    scanned: Vec<PathBuf>,
    /// The directories named on the command line (absolute): files under them are walked.
    walked: Vec<PathBuf>,
    /// What each repository says, by root, for walked files.
    by_root: RegionCache,
    /// What governs each directory of a named file, by directory.
    by_dir: RegionCache,
}

/// Region evidence read (or being read) so far, by directory.
type RegionCache = Mutex<
    std::collections::HashMap<PathBuf, std::sync::Arc<std::sync::OnceLock<RepositoryRegion>>>,
>;

impl RepositoryRegions {
    fn new(paths: &[PathBuf]) -> RepositoryRegions {
        let absolute: Vec<PathBuf> = paths
            .iter()
            .filter_map(|p| std::path::absolute(p).ok())
            .collect();
        let walked: Vec<PathBuf> = absolute.iter().filter(|p| p.is_dir()).cloned().collect();
        let scanned = absolute
            .into_iter()
            .map(|p| {
                if p.is_dir() {
                    p
                } else {
                    p.parent().map(PathBuf::from).unwrap_or(p)
                }
            })
            .collect();
        RepositoryRegions {
            scanned,
            walked,
            by_root: Mutex::default(),
            by_dir: Mutex::default(),
        }
    }

    /// The repository that holds `path`: the nearest directory with `.git`, else the widest
    /// directory named on the command line that holds it.
    fn root_of(&self, path: &std::path::Path) -> PathBuf {
        let root = region_evidence::repository_root(path);
        if root.join(".git").exists() {
            return root;
        }
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.scanned
            .iter()
            .filter(|d| absolute.starts_with(d))
            .min_by_key(|d| d.as_os_str().len())
            .cloned()
            .unwrap_or(root)
    }

    /// The Region the files governing `path` agree on, as planner evidence.
    fn for_file(&self, path: &std::path::Path) -> Option<plan::RegionEvidence> {
        let root = self.root_of(path);
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        // The cache is locked only to find the entry: a thread that needs another
        // repository (or directory) goes on while this one is read.
        let walked = self.walked.iter().any(|d| absolute.starts_with(d));
        let dir = absolute.parent().unwrap_or(&root).to_path_buf();
        let (cache, key) = if walked {
            (&self.by_root, root.clone())
        } else {
            (&self.by_dir, dir.clone())
        };
        let entry = lock(cache).entry(key).or_default().clone();
        let found = entry.get_or_init(|| match walked {
            true => RepositoryRegion::discover(&root),
            false => RepositoryRegion::governing(&root, &dir),
        });
        let source = found.for_file(&root, path)?;
        Some(plan::RegionEvidence {
            region: source.region.clone(),
            origin: format!("{} in {}:{}", source.what, source.path, source.line),
        })
    }
}

/// Fault injection for the tests, in debug builds only: a file whose name is the value of
/// `BEDROCK_MIGRATE_PANIC_ON` panics as a bug in an extractor would.
fn inject_panic(path: &Path) {
    if cfg!(debug_assertions)
        && let Some(name) = std::env::var_os("BEDROCK_MIGRATE_PANIC_ON")
        && path.file_name() == Some(name.as_os_str())
    {
        panic!("injected fault");
    }
}

/// Fault injection for the tests, in debug builds only: the rewrite of a file whose name is
/// the value of `BEDROCK_MIGRATE_BREAK_REWRITE_OF` gets an unbalanced `)(` appended, as a
/// bug in the planner would break it; verification must then refuse it.
fn inject_broken_rewrite(path: &Path, text: &mut String) {
    if cfg!(debug_assertions)
        && let Some(name) = std::env::var_os("BEDROCK_MIGRATE_BREAK_REWRITE_OF")
        && path.file_name() == Some(name.as_os_str())
    {
        text.push_str("\n)(\n");
    }
}

/// The message a panic was raised with.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_owned())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// What [`rewrite`] gave.
enum Rewritten {
    /// No fix to apply, or the file was written.
    Nothing,
    /// Diff mode: the file's unified diff.
    Diff(Vec<u8>),
    /// Diff mode: the file has fixes, but it is UTF-16, which no text patch can carry.
    NotDiffable,
    /// Standard input: the fixed text.
    Text(String),
}

/// Apply a file's fixes: verify, then return the diff (diff mode) or write the file, or, for
/// standard input (`root` is `None`), return the fixed text. A file is written only where
/// its path, symlinks followed, stays inside `root` (the repository it belongs to).
///
/// A file that is not UTF-8 is written back in its own encoding. Its diff (diff mode) is
/// made on the decoded text; for windows-1252 the lines of the hunks are then encoded in
/// windows-1252 again (the `---`/`+++` headers stay UTF-8), which is what `git diff` prints
/// for such a file and what `git apply` needs to match its bytes. UTF-16 text cannot be
/// carried by a text patch at all (git sees it as binary), so those files are left out of
/// the diff and reported.
fn rewrite(
    file: &SourceFile,
    report: &mut FileReport,
    mode: Mode,
    unsafe_fixes: bool,
    root: Option<&Path>,
) -> Result<Rewritten, ApplyError> {
    let to_stdout = root.is_none();
    let edits: Vec<_> = report
        .findings
        .iter()
        .filter_map(|x| x.applicable_fix(unsafe_fixes))
        .flat_map(|fix| &fix.edits)
        .collect();
    if edits.is_empty() {
        return Ok(Rewritten::Nothing);
    }
    let text = &file.text;
    if let Some((edit, problem)) = edits
        .iter()
        .find_map(|edit| Some((edit, edit.problem(text)?)))
    {
        return Err(ApplyError::Unsound {
            path: file.path.clone(),
            offset: edit.range.start,
            problem,
        });
    }
    let mut new_text = apply::splice(text, edits);
    inject_broken_rewrite(&file.path, &mut new_text);
    if let Err(error) =
        apply::verify_against(file.language, report.syntax_error.as_ref(), &new_text)
    {
        return Err(match &report.syntax_error {
            Some(before) => ApplyError::ErrorMoved {
                path: file.path.clone(),
                before: before.clone(),
                after: error,
            },
            None => ApplyError::WouldBreak {
                path: file.path.clone(),
                error,
            },
        });
    }
    let unencodable = |error| ApplyError::Unencodable {
        path: file.path.clone(),
        error,
    };
    let new_bytes = file.encoding.encode(&new_text).map_err(unencodable)?;
    if mode == Mode::Diff {
        let diff = report::diff::unified(&patch_path(&file.path, &report.path), text, &new_text);
        return Ok(match file.encoding {
            TextEncoding::Utf8 => Rewritten::Diff(diff.into_bytes()),
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => Rewritten::NotDiffable,
            TextEncoding::Windows1252 => {
                let headers = diff
                    .match_indices('\n')
                    .nth(1)
                    .map_or(diff.len(), |(i, _)| i + 1);
                let mut bytes = diff.as_bytes()[..headers].to_vec();
                bytes.extend_from_slice(
                    &file
                        .encoding
                        .encode(&diff[headers..])
                        .map_err(unencodable)?,
                );
                Rewritten::Diff(bytes)
            }
        });
    }
    if to_stdout {
        for finding in &mut report.findings {
            if finding.applicable_fix(unsafe_fixes).is_some() {
                finding.applied = true;
            }
        }
        return Ok(Rewritten::Text(new_text));
    }
    // The file's bytes as read: decoding was checked to give them back exactly.
    let original = file.encoding.encode(text).map_err(unencodable)?;
    apply::write_file(
        &file.path,
        &original,
        &new_bytes,
        &apply::WriteOptions { root },
    )?;
    for finding in &mut report.findings {
        if finding.applicable_fix(unsafe_fixes).is_some() {
            finding.applied = true;
        }
    }
    Ok(Rewritten::Nothing)
}
