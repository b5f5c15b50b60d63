//! Print what [`RepositoryRegion::discover`] finds in each repository named on the command
//! line, and how long it took:
//!
//! ```text
//! cargo run --release --example region_evidence -- /path/to/repo [/path/to/other …]
//! ```
//!
//! Each path is first taken to its repository root ([`repository_root`]).

use std::path::Path;
use std::time::Instant;

use bedrock_migrate::region_evidence::{RepositoryRegion, repository_root};

fn main() {
    for arg in std::env::args_os().skip(1) {
        let root = repository_root(Path::new(&arg));
        let started = Instant::now();
        let found = RepositoryRegion::discover(&root);
        let elapsed = started.elapsed();
        let verdict = match found.unambiguous() {
            Some(s) => format!("unambiguous {} ({}:{})", s.region, s.path, s.line),
            None if found.sources.is_empty() => "no Region".to_owned(),
            None => "ambiguous".to_owned(),
        };
        println!(
            "{}: {} source(s), {verdict}, {:.1} ms",
            root.display(),
            found.sources.len(),
            elapsed.as_secs_f64() * 1000.0
        );
        for s in &found.sources {
            println!("  {:<16} {}:{}  {}", s.region, s.path, s.line, s.what);
        }
    }
}
