//! bedrock-migrate library: find hard-coded Amazon Bedrock model IDs and plan their migration.
pub mod extract;
