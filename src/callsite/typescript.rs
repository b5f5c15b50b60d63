//! PLACEHOLDER — being implemented on a branch; must not land as is.
use super::Usage;
pub use crate::extract::typescript::Dialect;
/// Placeholder.
pub fn analyze(_source: &str, _dialect: Dialect) -> Vec<Usage> {
    Vec::new()
}
