//! placeholder (helper is writing this)
use super::Extraction;
pub fn extract(_s: &str) -> Extraction {
    Extraction::default()
}
