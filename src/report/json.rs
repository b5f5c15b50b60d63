//! `--format json`: one JSON array, one object per finding, sorted by path and position.
//!
//! Byte ranges (`range`, the fix's edit ranges) are offsets in the file's own bytes, also
//! for a file in UTF-16 or windows-1252 ([`crate::encoding`]); lines and columns count
//! characters.

use serde::Serialize;

use super::FileReport;
use crate::finding::Finding;

#[derive(Serialize)]
struct JsonFinding<'a> {
    path: &'a str,
    #[serde(flatten)]
    finding: std::borrow::Cow<'a, Finding>,
}

/// `f` with its byte ranges in the file's bytes.
fn in_file_bytes<'a>(file: &FileReport, f: &'a Finding) -> std::borrow::Cow<'a, Finding> {
    let Some(map) = &file.byte_map else {
        return std::borrow::Cow::Borrowed(f);
    };
    let mut f = f.clone();
    f.range = map.file_range(&f.range);
    for edit in f.fix.iter_mut().flat_map(|fix| &mut fix.edits) {
        edit.range = map.file_range(&edit.range);
    }
    std::borrow::Cow::Owned(f)
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
                    finding: in_file_bytes(file, finding),
                })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}
