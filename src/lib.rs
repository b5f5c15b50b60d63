//! bedrock-migrate library: find hard-coded Amazon Bedrock model IDs and plan their migration.
pub mod apply;
pub mod extract;
pub mod finding;
pub mod model_ref;
pub mod plan;
pub mod report;
pub mod rules;
pub mod walk;
