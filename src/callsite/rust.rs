//! PLACEHOLDER — being implemented on a branch; must not land as is.
use super::Usage;
/// Placeholder.
pub fn analyze(_source: &str) -> Vec<Usage> {
    Vec::new()
}
