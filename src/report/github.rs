//! `--format github`: GitHub Actions workflow commands, one annotation per finding, which
//! GitHub shows on the lines of the pull request's diff and in the run summary:
//!
//! ```text
//! ::error file=app/chat.py,line=3,col=9,endLine=3,endColumn=53,title=End-of-life Bedrock model::EOL us.anthropic…%0Areplacement: …
//! ```
//!
//! `error` for end-of-life models, `warning` for legacy ones (and active ones that fail
//! because of `--eol-within`), `notice` for unknown IDs. Columns count characters, like the
//! text report. The message carries the same lines as the text report, joined with escaped
//! newlines. References a `fix` run has just rewritten get no annotation.
//!
//! GitHub parses `::command key=value,key=value::message`, so values are escaped the way the
//! Actions toolkit does: in the message `%`, CR and LF; in property values also `:` and `,`.

use std::fmt::Write;

use super::{FileReport, explanation, headline};
use crate::finding::{Finding, FindingState};

/// Escape a command's message (GitHub's "data"): `%` → `%25`, CR → `%0D`, LF → `%0A`;
/// any other control character is written as Rust escapes it (`\u{1b}`), so the log
/// viewer never receives a terminal escape sequence.
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if c.is_control() => out.extend(c.escape_debug()),
            _ => out.push(c),
        }
    }
    out
}

/// Escape a property value (`file=`, `title=`): as [`escape_data`], and also `:` → `%3A`,
/// `,` → `%2C`, which would otherwise end the value or the property list.
pub fn escape_property(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            c if c.is_control() => out.extend(c.escape_debug()),
            _ => out.push(c),
        }
    }
    out
}

/// The workflow command for a finding.
pub fn command(f: &Finding) -> &'static str {
    match f.state {
        FindingState::Eol => "error",
        FindingState::Legacy | FindingState::Active => "warning",
        FindingState::Unknown if super::is_region_unknown(f) => "warning",
        FindingState::Unknown => "notice",
    }
}

/// One annotation line (with its newline) for a finding in `path`.
pub fn annotation(path: &str, f: &Finding) -> String {
    format!(
        "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        command(f),
        escape_property(path),
        f.line,
        f.column,
        f.end_line,
        f.end_column,
        escape_property(headline(f)),
        escape_data(&explanation(f).join("\n")),
    )
}

/// Render the findings that `keep` accepts, one annotation each; findings already fixed
/// are left out.
pub fn render(files: &[FileReport], keep: impl Fn(&Finding) -> bool) -> String {
    let mut out = String::new();
    for file in files {
        for f in file.findings.iter().filter(|f| !f.applied && keep(f)) {
            let _ = write!(out, "{}", annotation(&file.path, f));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Language;
    use crate::plan::{PlanOptions, plan_file};
    use crate::rules::{ResolveOptions, load_default};

    #[test]
    fn data_escaping() {
        assert_eq!(escape_data("100% done"), "100%25 done");
        assert_eq!(escape_data("a\r\nb\nc"), "a%0D%0Ab%0Ac");
        assert_eq!(escape_data("x\u{1b}]0;t\u{7}"), "x\\u{1b}]0;t\\u{7}");
        assert_eq!(escape_property("a\tb"), "a\\tb");
        // `:` and `,` are fine in the message.
        assert_eq!(escape_data("a:b,c"), "a:b,c");
        // `%` first: an existing escape sequence is not left for GitHub to decode.
        assert_eq!(escape_data("%0A"), "%250A");
        assert_eq!(escape_data(""), "");
        assert_eq!(escape_data("é ✓"), "é ✓");
    }

    #[test]
    fn property_escaping() {
        assert_eq!(escape_property("src/a,b:c.py"), "src/a%2Cb%3Ac.py");
        assert_eq!(escape_property("50%\r\n"), "50%25%0D%0A");
        assert_eq!(escape_property("%2C"), "%252C");
        assert_eq!(escape_property("plain/path.ts"), "plain/path.ts");
    }

    #[test]
    fn annotations_per_state() {
        let rules = load_default().unwrap();
        let options = PlanOptions {
            resolve: ResolveOptions {
                as_of: "2026-11-21".parse().unwrap(),
                ..Default::default()
            },
            ..Default::default()
        };
        let source = "A = 'us.anthropic.claude-3-5-sonnet-20240620-v1:0'\n\
                      B = 'anthropic.claude-sonnet-4-5-20250929-v1:0'\n\
                      C = 'anthropic.claude-3-5-sonet-20240620-v1:0'\n\
                      D = 'global.anthropic.claude-sonnet-4-6'\n";
        let plan = plan_file(source, Language::Python, &rules, &options);
        let files = [FileReport {
            path: "a,b.py".into(),
            findings: plan.findings,
            syntax_error: None,
            byte_map: None,
        }];
        let out = render(&files, |f| f.state != FindingState::Active);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert!(
            lines[0].starts_with(
                "::error file=a%2Cb.py,line=1,col=6,endLine=1,endColumn=50,\
                 title=End-of-life Bedrock model::EOL us.anthropic.claude-3-5-sonnet-20240620-v1:0 \
                 (Claude 3.5 Sonnet (v1)): end of life since 2026-03-01%0Areplacement: "
            ),
            "{}",
            lines[0]
        );
        assert!(lines[1].starts_with("::warning file=a%2Cb.py,line=2,"));
        assert!(lines[1].contains("title=Legacy Bedrock model::legacy "));
        assert!(lines[2].starts_with("::notice file=a%2Cb.py,line=3,"));
        // Every annotation is one line: newlines in the message are escaped.
        assert!(out.ends_with('\n') && !out.contains("\n\n"));
    }
}
