//! PLACEHOLDER — being implemented on a branch; must not land as is.
use super::Extraction;
/// Placeholder.
pub fn extract(_source: &str) -> Extraction {
    Extraction::default()
}
