//! The overlay file: the `[[model]]` entries that record the differences, rendered as
//! rules-format TOML and written atomically.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use toml::value::{Date as TomlDate, Datetime};

use super::ImportError;
use crate::rules::{Kind, Lifecycle};

/// The overlay as TOML: `schema_version = 1`, the geography prefixes it introduces, and
/// one `[[model]]` per model with differences, holding only the keys that change.
/// `header` lines are written first as comments.
pub(super) fn to_toml(
    geo_prefixes: &[String],
    models: &BTreeMap<String, OverlayModel>,
    header: &[String],
) -> String {
    let file = OverlayFile {
        schema_version: 1,
        geo_prefixes: geo_prefixes.to_vec(),
        model: models.values().cloned().collect(),
    };
    let body = toml::to_string(&file).expect("the overlay types always serialize");
    let mut out = String::new();
    for line in header {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
    if !header.is_empty() {
        out.push('\n');
    }
    out.push_str(&body);
    out
}

/// The overlay file (serialized with the `toml` crate).
#[derive(Debug, Clone, Serialize)]
struct OverlayFile {
    schema_version: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    geo_prefixes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    model: Vec<OverlayModel>,
}

/// One `[[model]]` of the overlay: only the keys that change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(super) struct OverlayModel {
    pub(super) id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) kind: Option<Kind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) on_demand: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) on_demand_regions: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) profiles: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) lifecycle: Option<Vec<OverlayLifecycle>>,
}

impl OverlayModel {
    /// True when the entry writes a key besides `id`.
    pub(super) fn changes_something(&self) -> bool {
        *self
            != OverlayModel {
                id: self.id.clone(),
                ..OverlayModel::default()
            }
    }
}

/// One `[[model.lifecycle]]` of the overlay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(super) struct OverlayLifecycle {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    regions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    legacy: Option<Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extended_access: Option<Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    eol: Option<Datetime>,
}

fn toml_date(d: NaiveDate) -> Datetime {
    // Years were checked to be 1..=9999 when parsed, and month/day always fit.
    Datetime {
        date: Some(TomlDate {
            year: u16::try_from(d.year()).unwrap_or_default(),
            month: d.month() as u8,
            day: d.day() as u8,
        }),
        time: None,
        offset: None,
    }
}

impl From<&Lifecycle> for OverlayLifecycle {
    fn from(g: &Lifecycle) -> Self {
        OverlayLifecycle {
            regions: g.regions.clone(),
            legacy: g.legacy.map(toml_date),
            extended_access: g.extended_access.map(toml_date),
            eol: g.eol.map(toml_date),
        }
    }
}

/// Write `text` to `path` atomically: a temporary file in the same directory, synced, then
/// renamed. Without `force` an existing file is never replaced (the rename refuses to
/// clobber, so a file created meanwhile is safe too); with `force` its permissions are kept.
pub fn write_overlay(path: &Path, text: &str, force: bool) -> Result<(), ImportError> {
    use std::os::unix::fs::PermissionsExt;
    let name = path.display().to_string();
    let io = |source| ImportError::Write {
        path: name.clone(),
        source,
    };
    let existing = std::fs::metadata(path).ok();
    if existing.is_some() && !force {
        return Err(ImportError::OutputExists { path: name });
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".bedrock-migrate-")
        .suffix(".toml")
        .tempfile_in(dir)
        .map_err(io)?;
    temp.write_all(text.as_bytes()).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    let permissions = existing.map_or_else(
        || std::fs::Permissions::from_mode(0o644),
        |m| m.permissions(),
    );
    std::fs::set_permissions(temp.path(), permissions).map_err(io)?;
    if force {
        temp.persist(path).map_err(|e| io(e.error))?;
    } else {
        temp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                ImportError::OutputExists { path: name.clone() }
            } else {
                io(e.error)
            }
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::import::compare;
    use crate::rules::import::test_support::*;

    #[test]
    fn overlay_text_is_plain_toml_with_local_dates() {
        let r = rules();
        let legacy = r#"{"status": "LEGACY", "legacyTime": "2026-11-05T00:00:00+00:00", "endOfLifeTime": "2027-05-05T00:00:00+00:00"}"#;
        let c = compare(
            &r,
            &[fm(&model(
                "anthropic.claude-opus-4-5-20251101-v1:0",
                r#""INFERENCE_PROFILE""#,
                legacy,
            ))],
            &opts(),
        );
        let text = c.overlay_toml(&[]);
        assert_eq!(
            text,
            "schema_version = 1\n\n[[model]]\nid = \"anthropic.claude-opus-4-5-20251101-v1:0\"\n\n\
             [[model.lifecycle]]\nregions = [\"us-east-1\"]\nlegacy = 2026-11-05\neol = 2027-05-05\n"
        );
    }

    #[test]
    fn writes_atomically_and_never_clobbers_without_force() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("o.toml");
        write_overlay(&path, "schema_version = 1\n", false).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "schema_version = 1\n"
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o644
        );
        let e = write_overlay(&path, "x", false).unwrap_err();
        assert!(matches!(e, ImportError::OutputExists { .. }), "{e}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "schema_version = 1\n"
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_overlay(&path, "schema_version = 1\n# 2\n", true).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "schema_version = 1\n# 2\n"
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
