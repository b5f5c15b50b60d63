//! bedrock-migrate: find hard-coded Amazon Bedrock model IDs and migrate them off legacy and
//! end-of-life models without breaking a file.
//!
//! The modules follow the pipeline:
//!
//! ```text
//! walk ──► extract ──► model_ref ──► rules ──► plan ──► apply ──► report
//! files    literals    references    states    findings  writes    text/json/diff,
//!                                                                  sarif/github/markdown
//! ```
//!
//! The library does no printing and decides no exit codes; the `bedrock-migrate` binary
//! does. Planning a file needs nothing but its text:
//!
//! ```
//! use bedrock_migrate::extract::Language;
//! use bedrock_migrate::finding::Safety;
//! use bedrock_migrate::plan::{plan_file, PlanOptions};
//! use bedrock_migrate::rules::{load_default, ResolveOptions};
//!
//! let rules = load_default().unwrap();
//! let options = PlanOptions {
//!     resolve: ResolveOptions { as_of: "2026-11-21".parse().unwrap(), ..Default::default() },
//!     ..Default::default()
//! };
//! let source = "MODEL = 'us.anthropic.claude-3-5-sonnet-20240620-v1:0'\n";
//! let plan = plan_file(source, Language::Python, &rules, &options);
//! let fix = plan.findings[0].fix.as_ref().unwrap();
//! assert_eq!(fix.safety, Safety::Safe);
//! // Through AWS's target (Sonnet 4.5, itself legacy) to the suggested successor.
//! assert_eq!(fix.edits[0].content, "us.anthropic.claude-sonnet-4-6");
//! ```

pub mod apply;
pub mod callsite;
pub mod encoding;
pub mod extract;
pub mod finding;
pub mod model_ref;
pub mod plan;
pub mod progress;
pub mod region_evidence;
pub mod report;
pub mod rules;
pub mod text;
pub mod walk;
