//! Jest and Vitest snapshots (`__snapshots__/*.snap`): files that record what the code
//! rendered when the tests last passed.
//!
//! A snapshot holds the model IDs the code put in its output, so a migration that rewrites
//! the code but not the snapshot breaks the project's snapshot test, and one that rewrites
//! the snapshot alone makes it record what the code does not render. So a snapshot's
//! reference is rewritten only when, in the same run, a source file rewrites the same
//! reference to the same text ([`SourceFixes`]); otherwise its fix is taken away, saying why.
//! The walker plans snapshots with the other files and rewrites them after the walk, when
//! every source file's fixes are known.

use std::collections::HashMap;
use std::path::Path;

use crate::extract::Language;
use crate::finding::{Finding, Fix, Safety};
use crate::text::splice_within;

/// Whether a file is a Jest or Vitest snapshot: a `.snap` file read as JavaScript (the
/// walker recognises them by their first line, see [`crate::walk::sniff`]).
pub fn is_snapshot(path: &Path, language: Language) -> bool {
    language == Language::JavaScript && path.extension().is_some_and(|e| e == "snap")
}

/// The rewrites that source files of a run make: each reference as written, with the text
/// it becomes and the least strict safety it is rewritten with anywhere.
#[derive(Debug, Default)]
pub struct SourceFixes {
    rewrites: HashMap<(String, String), Safety>,
}

impl SourceFixes {
    /// Record the fixes of a source file's findings (`text` is the file's text), for a file
    /// whose rewrite did not fail.
    pub fn add(&mut self, text: &str, findings: &[Finding]) {
        for finding in findings {
            let Some(fix) = &finding.fix else {
                continue;
            };
            let Some(key) = rewrite_of(text, finding, fix) else {
                continue;
            };
            let safety = self.rewrites.entry(key).or_insert(fix.safety);
            if fix.safety == Safety::Safe {
                *safety = Safety::Safe;
            }
        }
    }

    /// Keep a snapshot's fix only where a source file makes the same rewrite, and make it
    /// review where every such source rewrite is review (so that `--unsafe-fixes` applies
    /// both or neither).
    pub fn restrict(&self, text: &str, findings: &mut [Finding]) {
        for finding in findings {
            let Some(fix) = &finding.fix else {
                continue;
            };
            match rewrite_of(text, finding, fix).and_then(|key| self.rewrites.get(&key)) {
                Some(Safety::Review) => finding.make_review(),
                Some(Safety::Safe) => {}
                None => finding.drop_fix(format!(
                    "a test snapshot records what the code renders: it is rewritten only together with a source file that rewrites `{}` the same way, and none does in this run",
                    finding.original
                )),
            }
        }
    }
}

/// The reference as written and the text its fix makes of it.
fn rewrite_of(text: &str, finding: &Finding, fix: &Fix) -> Option<(String, String)> {
    let original = text.get(finding.range.clone())?;
    let rewritten = splice_within(text, finding.range.clone(), &fix.edits)?;
    Some((original.to_owned(), rewritten.into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{PlanOptions, plan_file};
    use crate::rules::{ResolveOptions, load_default};

    fn findings(text: &str, language: Language) -> Vec<Finding> {
        let rules = load_default().unwrap();
        let options = PlanOptions {
            resolve: ResolveOptions {
                as_of: "2026-11-21".parse().unwrap(),
                region: None,
                official_only: false,
            },
            profile_prefix: Some("us".into()),
            ..Default::default()
        };
        plan_file(text, language, &rules, &options).findings
    }

    #[test]
    fn a_snapshot_follows_its_source() {
        let source = "const a = 'anthropic.claude-3-5-sonnet-20240620-v1:0';\nconst b = 'anthropic.claude-3-haiku-20240307-v1:0';\n";
        let source_findings = findings(source, Language::TypeScript);
        assert!(source_findings.iter().all(|f| f.fix.is_some()));
        let mut fixes = SourceFixes::default();
        fixes.add(source, &source_findings);
        let snap = "// Jest Snapshot v1\nexports[`x 1`] = `\n\"anthropic.claude-3-5-sonnet-20240620-v1:0\"\n\"anthropic.claude-3-haiku-20240307-v1:0\"\n\"anthropic.claude-v2\"\n`;\n";
        let mut snap_findings = findings(snap, Language::JavaScript);
        assert_eq!(snap_findings.len(), 3);
        fixes.restrict(snap, &mut snap_findings);
        for (source, snapshot) in source_findings.iter().zip(&snap_findings) {
            assert_eq!(
                snapshot.fix.as_ref().map(|f| f.safety),
                source.fix.as_ref().map(|f| f.safety)
            );
        }
        let legacy = &snap_findings[2];
        assert!(legacy.fix.is_none());
        assert!(
            legacy.reason.starts_with("a test snapshot records"),
            "{}",
            legacy.reason
        );
        assert!(is_snapshot(
            Path::new("__snapshots__/a.test.ts.snap"),
            Language::JavaScript
        ));
        assert!(!is_snapshot(Path::new("a.snap"), Language::PlainText));
    }
}
