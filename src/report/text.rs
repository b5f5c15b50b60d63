//! `--format text`: one header line per finding in the `path:line:col:` form that editors
//! and terminals turn into links, followed by indented `=` lines for the replacement, the
//! reason and any notes. Plain and stable when piped; colors only when asked for.

use std::fmt::Write;

use super::{FileReport, Summary, printable};
use crate::finding::{Finding, FindingState, Safety};

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// Emit ANSI colors.
    pub color: bool,
    /// Whether `--unsafe-fixes` is on (changes the wording of the summary).
    pub unsafe_fixes: bool,
    /// One line per finding (`--format concise`), without the `= …` detail lines.
    pub concise: bool,
}

struct Paint {
    on: bool,
}

impl Paint {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

fn state_label(state: FindingState) -> (&'static str, &'static str) {
    match state {
        FindingState::Eol => ("EOL", "1;31"),
        FindingState::Legacy => ("legacy", "1;33"),
        FindingState::Active => ("active", "32"),
        FindingState::Unknown => ("unknown", "1;35"),
    }
}

/// Render one finding.
pub fn finding(out: &mut String, path: &str, f: &Finding, options: &TextOptions) {
    finding_with(out, path, f, options, None);
}

fn finding_with<'a>(
    out: &mut String,
    path: &str,
    f: &'a Finding,
    options: &TextOptions,
    counts: Option<&mut NoteCounts<'a>>,
) {
    let p = Paint { on: options.color };
    let (label, code) = state_label(f.state);
    let mut name = match &f.model_name {
        Some(n) if n != &f.model_id => format!(" ({n})"),
        _ => String::new(),
    };
    if let Some(key) = &f.key {
        name.push_str(&format!(" in `{key}`"));
    }
    let lifecycle = if f.lifecycle == label {
        String::new()
    } else {
        format!(": {}", printable(&f.lifecycle))
    };
    // File names, keys and notes come from files and rules a user may not control: no
    // control character of theirs reaches the terminal.
    let name = printable(&name);
    let path = printable(path);
    let original = printable(&f.original);
    if options.concise {
        let rest = match (&f.replacement, super::replacement_text(f)) {
            _ if f.state == FindingState::Active => String::new(),
            (Some(_), Some(shown)) => format!(" → {shown} [{}]", super::fix_status(f)),
            _ => format!(": {}", printable(&f.reason)),
        };
        let _ = writeln!(
            out,
            "{}:{}:{}: {} {}{rest}",
            p.paint("1", &path),
            f.line,
            f.column,
            p.paint(code, label),
            original
        );
        return;
    }
    let _ = writeln!(
        out,
        "{}:{}:{}: {} {}{}{lifecycle}",
        p.paint("1", &path),
        f.line,
        f.column,
        p.paint(code, label),
        original,
        name,
    );
    if f.state == FindingState::Active {
        return;
    }
    if let Some(r) = &f.replacement {
        let shown = r.text.as_deref().unwrap_or(&r.model_id);
        let via = if r.via.is_empty() {
            String::new()
        } else {
            format!(", via {}", r.via.join(" → "))
        };
        let how = if f.applied {
            p.paint("32", "fixed")
        } else {
            match &f.fix {
                Some(fix) if fix.safety == Safety::Safe => p.paint("32", "safe fix"),
                Some(_) => p.paint("33", "review fix (--unsafe-fixes)"),
                None => p.paint("33", "no automatic fix"),
            }
        };
        let _ = writeln!(
            out,
            "   = replacement: {shown} ({}{via}) [{how}]",
            r.provenance.as_str()
        );
    }
    if let Some(evidence) = super::profile_line(f) {
        let _ = writeln!(out, "   = profile: {evidence}");
    }
    let _ = writeln!(out, "   = why: {}", printable(&f.reason));
    if let Some(call) = &f.call {
        let via = call
            .via
            .as_deref()
            .map(|v| format!(" (through `{v}`)"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "   = used: {} at {}:{}{via}",
            call.api.name(),
            call.line,
            call.column
        );
    }
    notes(out, f, counts);
}

/// Notes already printed in this run, and how often each occurs among the printed findings.
struct NoteCounts<'a> {
    counts: std::collections::HashMap<&'a str, usize>,
    printed: std::collections::HashSet<&'a str>,
}

/// A finding's notes; with `counts`, a note repeated across the run is printed once, at its
/// first finding, with how many references it concerns.
fn notes<'a>(out: &mut String, f: &'a Finding, counts: Option<&mut NoteCounts<'a>>) {
    match counts {
        None => {
            for note in &f.notes {
                let _ = writeln!(out, "   = note: {}", printable(note));
            }
        }
        Some(counts) => {
            for note in &f.notes {
                if !counts.printed.insert(note.as_str()) {
                    continue;
                }
                match counts.counts.get(note.as_str()) {
                    Some(&n) if n > 1 => {
                        let note = printable(note);
                        let _ = writeln!(out, "   = note: {note} (applies to {n} references)");
                    }
                    _ => {
                        let _ = writeln!(out, "   = note: {}", printable(note));
                    }
                }
            }
        }
    }
}

/// Render every finding that `keep` accepts, then nothing else.
pub fn findings(
    files: &[FileReport],
    options: &TextOptions,
    keep: impl Fn(&Finding) -> bool,
) -> String {
    let kept: Vec<(&str, &Finding)> = files
        .iter()
        .flat_map(|file| {
            file.findings
                .iter()
                .filter(|f| keep(f))
                .map(move |f| (file.path.as_str(), f))
        })
        .collect();
    // A note that many references share (a replacement's parameter rules) is printed once.
    let mut counts = NoteCounts {
        counts: Default::default(),
        printed: Default::default(),
    };
    for (_, f) in &kept {
        if f.state != FindingState::Active {
            for note in &f.notes {
                *counts.counts.entry(note.as_str()).or_default() += 1;
            }
        }
    }
    let mut out = String::new();
    for (path, f) in kept {
        finding_with(&mut out, path, f, options, Some(&mut counts));
    }
    out
}

/// The closing summary line(s).
pub fn summary(s: &Summary, options: &TextOptions) -> String {
    if s.references == 0 {
        return "No Bedrock model references found.\n".into();
    }
    let mut parts = Vec::new();
    for (n, what) in [
        (s.eol, "end of life"),
        (s.legacy, "legacy"),
        (s.active, "active"),
        (s.unknown, "unknown"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            one.to_string()
        } else {
            many.to_string()
        }
    };
    let mut out = format!(
        "Found {} model {} in {} {} ({}).\n",
        s.references,
        plural(s.references, "reference", "references"),
        s.files,
        plural(s.files, "file", "files"),
        parts.join(", ")
    );
    if s.applied > 0 {
        let _ = writeln!(
            out,
            "Fixed {} {}.",
            s.applied,
            plural(s.applied, "reference", "references")
        );
    }
    let mut todo = Vec::new();
    if s.safe_fixes > 0 {
        todo.push(format!(
            "{} with a safe fix (`bedrock-migrate fix`)",
            s.safe_fixes
        ));
    }
    if s.review_fixes > 0 {
        let how = if options.unsafe_fixes {
            "with a review fix"
        } else {
            "with a review fix (add --unsafe-fixes)"
        };
        todo.push(format!("{} {how}", s.review_fixes));
    }
    let by_hand = s.manual - s.no_successor;
    if by_hand > 0 {
        todo.push(format!("{by_hand} to migrate by hand (see each `why`)"));
    }
    if s.no_successor > 0 {
        todo.push(format!(
            "{} {} no successor: add a [[policy]] (see `bedrock-migrate rules show ID`)",
            s.no_successor,
            plural(s.no_successor, "has", "have")
        ));
    }
    if !todo.is_empty() {
        let _ = writeln!(out, "To migrate: {}.", todo.join("; "));
    }
    out
}

/// Lines naming every partly migrated model (see [`super::partial_models`]), for the end of
/// the text report.
pub fn partial(models: &[super::PartialModel]) -> String {
    let mut out = String::new();
    for m in models {
        let _ = writeln!(
            out,
            "Partly migrated: `{}` in {} of {} references in code, {} keep the old ID: code that compares the IDs (tests, fixtures) may disagree.",
            m.model_id,
            m.migrated,
            m.migrated + m.left,
            m.left
        );
    }
    out
}

/// `--statistics`: one line per (model, state, replacement) with its reference count, most
/// frequent first.
pub fn statistics(files: &[FileReport]) -> String {
    let mut counts: std::collections::BTreeMap<(&str, &str, &str), usize> = Default::default();
    for f in files.iter().flat_map(|file| &file.findings) {
        let to = f.replacement.as_ref().map_or("-", |r| r.model_id.as_str());
        *counts
            .entry((f.model_id.as_str(), super::state_label(f.state), to))
            .or_default() += 1;
    }
    let mut rows: Vec<((&str, &str, &str), usize)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out = String::new();
    for ((model, state, to), n) in rows {
        let arrow = if to == "-" {
            String::new()
        } else {
            format!(" → {to}")
        };
        let _ = writeln!(out, "{n:>6}  {state:<7} {model}{arrow}");
    }
    out
}
