//! bedrock-migrate library: find hard-coded Amazon Bedrock model IDs and plan their migration.
pub mod extract;
pub mod model_ref;
pub mod rules;
pub mod finding;
pub mod plan;
pub mod apply;
