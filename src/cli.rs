//! Command-line definitions (clap derive) and nothing else.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Find hard-coded Amazon Bedrock model IDs and migrate them off legacy and end-of-life
/// models.
///
/// Exit status: 0 nothing to migrate, 1 findings (or changes made by `check --fix`, or a
/// non-empty `diff`), 2 usage, rules or I/O error.
#[derive(Debug, Parser)]
#[command(name = "bedrock-migrate", version, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report every model reference with its lifecycle state and replacement.
    Scan(RunArgs),
    /// Print the rewrites as a unified diff (`git apply`-able); exit 1 when there is one.
    Diff(RunArgs),
    /// Rewrite references in place (safe fixes; review fixes with --unsafe-fixes).
    Fix(RunArgs),
    /// Hook mode: exit 1 when the files reference a retired model; --fix rewrites too.
    Check(CheckArgs),
    /// Migration-PR bot: fix, commit on a new branch and write a pull-request body.
    ///
    /// Refuses a working tree with changes or untracked files (exit 2). With nothing to
    /// rewrite it changes nothing (exit 0); otherwise it applies the fixes `fix` would, creates
    /// a branch (checked out afterwards), commits the rewritten files and writes the PR body
    /// (markdown, not committed) for `gh pr create --body-file` (exit 1: a branch was
    /// created). Push the branch and open the PR yourself, or see examples/github-action.yml.
    Pr(PrArgs),
    /// List, show, validate and import lifecycle rules.
    #[command(subcommand)]
    Rules(RulesCommand),
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable, `path:line:col:` per finding.
    Text,
    /// One line per finding: `path:line:col: STATE old → new [fix status]`.
    Concise,
    /// A JSON array with one object per finding.
    Json,
    /// SARIF 2.1.0 for GitHub code scanning (upload-sarif) and other SARIF viewers: one
    /// result per retired or unknown reference, with fixes (scan, fix and check only).
    Sarif,
    /// GitHub Actions annotations (`::error file=…::…`), one per retired or unknown
    /// reference (scan, fix and check only).
    Github,
    /// A pull-request body: table of changes, what needs review, sources; kept under
    /// GitHub's 65,536-character limit (scan, fix and check only).
    Markdown,
}

/// When to use colors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colors when standard output is a terminal and NO_COLOR is unset.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The lowest state that counts as a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Legacy and end-of-life references fail.
    Legacy,
    /// Only end-of-life references fail.
    Eol,
}

/// Options shared by scan, diff, fix and check.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Files or directories to process [default: .]; `-` reads standard input.
    pub paths: Vec<PathBuf>,

    /// The path that standard input (`-`) stands for: its language (by extension) and the
    /// name in reports. Without it the text is read as plain text: references are reported,
    /// never rewritten. `fix -` writes the fixed text to standard output and its report to
    /// standard error, as ruff and black do.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Output format (`--output-format` as in ruff is accepted too).
    #[arg(long, alias = "output-format", value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Exit 0 even when retired references remain (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,

    /// After the report, count the references per model, state and replacement (text and
    /// concise formats).
    #[arg(long)]
    pub statistics: bool,

    /// Rules, date and Region.
    #[command(flatten)]
    pub rules: RulesCommon,

    /// Geography prefix (us, eu, jp, au, global, …) to add when a bare ID's replacement can
    /// only be invoked through an inference profile.
    #[arg(long, value_name = "GEO")]
    pub profile_prefix: Option<String>,

    /// Old geography prefix → new one for replacements without a profile in the old
    /// geography, e.g. `apac=jp` (repeatable).
    #[arg(long, value_name = "FROM=TO", value_parser = parse_prefix_pair)]
    pub prefix_map: Vec<(String, String)>,

    /// Also fail on references whose end of life is at most DAYS away (with --fail-on eol:
    /// a legacy model about to retire).
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(0..=36_500))]
    pub eol_within: Option<u32>,

    /// Also apply review fixes (a person must check the call sites afterwards).
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Follow only AWS's official replacements and your policies. By default, where AWS
    /// published none, the table's suggested successor (least-breaking active model of the
    /// same provider, with its source) is followed too.
    #[arg(long)]
    pub official_only: bool,

    /// Accepted for compatibility: suggested successors are followed by default now.
    #[arg(long, hide = true)]
    pub suggested: bool,

    /// Lowest lifecycle state that makes the exit status 1.
    #[arg(long, value_enum, default_value_t = FailOn::Legacy)]
    pub fail_on: FailOn,

    /// Do not honour .gitignore, .ignore and similar files.
    #[arg(long)]
    pub no_ignore: bool,

    /// Also search hidden files and directories.
    #[arg(long)]
    pub hidden: bool,

    /// Also report model IDs in text files of types this tool does not read (`.txt`,
    /// `.csv`, `.html`, …), as plain text: for inventories; they are never rewritten.
    #[arg(long)]
    pub all_text: bool,

    /// Files larger than this many bytes are not read: a walked one is skipped with a
    /// warning, unless its first bytes hold a model-ID prefix; a named one, or one with
    /// such a prefix, is an error (exit 2), never a silent pass.
    #[arg(long, value_name = "BYTES", default_value_t = bedrock_migrate::walk::DEFAULT_MAX_FILESIZE)]
    pub max_filesize: u64,

    /// Number of threads, at most 256 (default: one per core).
    #[arg(short = 'j', long = "threads", value_name = "N", default_value_t = 0, value_parser = parse_threads)]
    pub threads: usize,

    /// When to use colors.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print findings only: no summary, no warnings, no progress line.
    #[arg(short, long)]
    pub quiet: bool,

    /// Also say which configuration and rules files were loaded, which named files were
    /// excluded and by which glob, and how many files were walked and parsed (on standard
    /// error, as `info:` lines).
    #[arg(short, long, conflicts_with = "quiet")]
    pub verbose: bool,
}

/// `check` options.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Rewrite what can be rewritten; exit 1 if anything changed or still fails.
    #[arg(long)]
    pub fix: bool,

    /// Everything `scan` takes.
    #[command(flatten)]
    pub run: RunArgs,
}

/// `pr` options.
#[derive(Debug, Args)]
pub struct PrArgs {
    /// Name of the branch to create [default: bedrock-migrate/<as-of date>].
    #[arg(long, value_name = "NAME")]
    pub branch: Option<String>,

    /// Where to write the pull-request body (markdown) [default: bedrock-migrate-pr.md in
    /// the repository's .git directory, outside the work tree, so that no later scan reads
    /// it].
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<PathBuf>,

    /// Start the branch from this commit, branch or tag instead of HEAD (it is checked out
    /// first, and checked out again when there is nothing to migrate).
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,

    /// Also migrate models that can be rewritten in only some of their references in code
    /// (by default such a model is left as is everywhere, so the PR never mixes old and new
    /// IDs of one model).
    #[arg(long)]
    pub allow_partial: bool,

    /// Everything `fix` takes.
    #[command(flatten)]
    pub run: RunArgs,
}

/// `rules` subcommands.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the models of the table with their state, dates and replacement.
    List(RulesListArgs),
    /// Everything known about one model ID.
    Show(RulesShowArgs),
    /// Check rules files (layered on the embedded table); exit 2 on the first error.
    Validate(RulesValidateArgs),
    /// Compare saved AWS model listings with the table; print (and --output) what differs
    ///
    /// Reads the JSON output of `aws bedrock list-foundation-models` and
    /// `aws bedrock list-inference-profiles`, prints one line per difference (new models,
    /// lifecycle dates, on-demand availability, new inference-profile prefixes) and notes,
    /// and with --output writes the differences as an overlay for --rules.
    ///
    /// Save the listings with the AWS CLI (JSON output, no --query), then import them offline:
    ///
    ///     aws bedrock list-foundation-models --region us-east-1 > fm.json
    ///     aws bedrock list-inference-profiles --region us-east-1 > ip.json
    ///     bedrock-migrate rules import fm.json ip.json --output .bedrock-migrate.toml
    ///     bedrock-migrate scan --rules .bedrock-migrate.toml .
    ///
    /// Exit status: 0 nothing differs, 1 something differs, 2 a file that cannot be used.
    #[command(verbatim_doc_comment)]
    #[command(mut_arg("region", |a| a.help(
        "The AWS Region the listings were made in [default: the Region of each entry's ARN]; \
         the table's dates are evaluated there too"
    )))]
    Import(RulesImportArgs),
    /// Merge overlays into a full rules table and write it in canonical form
    ///
    /// For maintainers of a table (this project's rules/bedrock.toml, or a company's own):
    /// loads FILE, layers each OVERLAY on it with the same rules as --rules (a known model
    /// changes only the keys the overlay writes; replacements go first; lifecycle groups are
    /// replaced whole; new IDs are added; [[policy]] tables become policy replacements), and
    /// writes FILE back sorted by model ID with keys in a fixed order, so that the change
    /// reads as a small diff. With no OVERLAY it only puts FILE in canonical form.
    ///
    ///     bedrock-migrate rules import fm.json ip.json --output overlay.toml
    ///     bedrock-migrate rules merge overlay.toml --into rules/bedrock.toml
    ///     git diff rules/bedrock.toml
    ///
    /// Exit status: 0 written (or nothing to change), 1 with --check when FILE would change,
    /// 2 a file that cannot be used.
    #[command(verbatim_doc_comment)]
    Merge(RulesMergeArgs),
}

/// Which rules, evaluated on which date and in which Region.
#[derive(Debug, Args)]
pub struct RulesCommon {
    /// Rules file layered on the embedded table (repeatable; later files win).
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,

    /// Evaluate lifecycle states on this date instead of today (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,

    /// Evaluate one AWS Region's dates (default: the most urgent dates of any Region).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Ignore the repository's .bedrock-migrate.toml.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,

    /// Use this configuration file instead of the .bedrock-migrate.toml found from the paths
    /// upwards.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `rules list` options.
#[derive(Debug, Args)]
pub struct RulesListArgs {
    /// Only models in this state.
    #[arg(long, value_enum)]
    pub state: Option<StateFilter>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,

    /// Rules, date and Region.
    #[command(flatten)]
    pub common: RulesCommon,
}

/// Formats of `rules list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table: ID, state, legacy and EOL dates, replacement.
    Text,
    /// A JSON array, one object per model.
    Json,
}

/// `rules show` options.
#[derive(Debug, Args)]
pub struct RulesShowArgs {
    /// The model ID (a geo prefix or ARN around it is accepted).
    pub id: String,

    /// Rules, date and Region.
    #[command(flatten)]
    pub common: RulesCommon,
}

/// `rules validate` options.
#[derive(Debug, Args)]
pub struct RulesValidateArgs {
    /// Rules files to check, each layered on the embedded table (none: the embedded table).
    pub files: Vec<PathBuf>,
}

/// `rules import` options.
#[derive(Debug, Args)]
pub struct RulesImportArgs {
    /// JSON files saved from `aws bedrock list-foundation-models` and
    /// `aws bedrock list-inference-profiles`, in any order (the kind is detected).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Also write the differences as a rules overlay (TOML) to FILE; use it with
    /// `--rules FILE`.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace the --output file if it exists (it is never replaced otherwise).
    #[arg(long, requires = "output")]
    pub force: bool,

    /// Rules, date and Region.
    #[command(flatten)]
    pub common: RulesCommon,
}

/// `rules merge` options.
#[derive(Debug, Args)]
pub struct RulesMergeArgs {
    /// Overlays to merge, in order (later files win).
    #[arg(value_name = "OVERLAY")]
    pub overlays: Vec<PathBuf>,

    /// The full table to merge into and rewrite (e.g. rules/bedrock.toml).
    #[arg(long, value_name = "FILE", required = true)]
    pub into: PathBuf,

    /// Write nothing; exit 1 when FILE is not what the merge would write.
    #[arg(long)]
    pub check: bool,
}

/// States to filter `rules list` by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StateFilter {
    /// Active models.
    Active,
    /// Legacy models.
    Legacy,
    /// End-of-life models.
    Eol,
    /// Models whose lifecycle is unknown in the --region given (no notice names it).
    Unknown,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| format!("expected a date like 2026-11-21 ({e})"))
}

fn parse_prefix_pair(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((from, to)) if !from.is_empty() && !to.is_empty() => {
            Ok((from.to_string(), to.to_string()))
        }
        _ => Err("expected FROM=TO, e.g. apac=jp".to_string()),
    }
}

/// The most threads `-j` accepts: far more than any machine this runs on has cores, and
/// few enough that starting them costs nothing noticeable.
pub const MAX_THREADS: usize = 256;

/// Parse `-j N`: a number from 0 (one per core) to [`MAX_THREADS`].
fn parse_threads(s: &str) -> Result<usize, String> {
    let n: usize = s
        .parse()
        .map_err(|_| format!("`{s}` is not a number of threads"))?;
    if n > MAX_THREADS {
        return Err(format!(
            "{n} threads is more than the {MAX_THREADS} this accepts; use 0 for one per core"
        ));
    }
    Ok(n)
}
