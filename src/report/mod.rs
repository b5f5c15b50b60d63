//! Report: render findings. Every format reads the same [`FileReport`]s; none re-derives
//! what was found.

use serde::Serialize;

use crate::extract::SyntaxError;
use crate::finding::{Finding, FindingState, Safety};

pub mod diff;
pub mod json;
pub mod text;

/// The findings of one file, as reported.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The path as the user will recognise it (relative, `/`-separated, no leading `./`).
    pub path: String,
    /// Findings in file order.
    pub findings: Vec<Finding>,
    /// Set when the file did not parse (its findings are reported, never fixed).
    #[serde(skip)]
    pub syntax_error: Option<SyntaxError>,
}

/// Counts over a whole run, for the closing summary line and exit codes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files with at least one reference.
    pub files: usize,
    /// All references.
    pub references: usize,
    /// References to end-of-life models.
    pub eol: usize,
    /// References to legacy models.
    pub legacy: usize,
    /// References to active models.
    pub active: usize,
    /// Unknown model IDs.
    pub unknown: usize,
    /// Fixes `fix` applies.
    pub safe_fixes: usize,
    /// Fixes that need `--unsafe-fixes`.
    pub review_fixes: usize,
    /// Retired references without any automatic fix.
    pub manual: usize,
    /// Fixes written in this run.
    pub applied: usize,
}

impl Summary {
    /// Count `files`.
    pub fn of(files: &[FileReport]) -> Summary {
        let mut s = Summary::default();
        for file in files {
            if !file.findings.is_empty() {
                s.files += 1;
            }
            for f in &file.findings {
                s.references += 1;
                match f.state {
                    FindingState::Eol => s.eol += 1,
                    FindingState::Legacy => s.legacy += 1,
                    FindingState::Active => s.active += 1,
                    FindingState::Unknown => s.unknown += 1,
                }
                if f.applied {
                    s.applied += 1;
                } else if f.is_retired() {
                    match f.fix.as_ref().map(|x| x.safety) {
                        Some(Safety::Safe) => s.safe_fixes += 1,
                        Some(Safety::Review) => s.review_fixes += 1,
                        None => s.manual += 1,
                    }
                }
            }
        }
        s
    }
}

/// Make `path` read the way users typed it: `/` separators, no leading `./`.
pub fn display_path(path: &std::path::Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}
