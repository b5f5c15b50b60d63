//! `--format json`: one JSON array, one object per finding, sorted by path and position.

use serde::Serialize;

use super::FileReport;
use crate::finding::Finding;

#[derive(Serialize)]
struct JsonFinding<'a> {
    path: &'a str,
    #[serde(flatten)]
    finding: &'a Finding,
}

/// Render `files` (only the findings that `keep` accepts) as a pretty JSON array.
pub fn render(files: &[FileReport], keep: impl Fn(&Finding) -> bool) -> String {
    let all: Vec<JsonFinding> = files
        .iter()
        .flat_map(|file| {
            file.findings
                .iter()
                .filter(|f| keep(f))
                .map(move |finding| JsonFinding {
                    path: &file.path,
                    finding,
                })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}
