//! bedrock-migrate: parse the command line, run, and map the outcome to an exit code
//! (0 nothing to migrate, 1 findings or changes, 2 errors).

mod app;
mod cli;
mod pr;
mod rules_cmd;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::app::Mode;
use crate::cli::{Cli, Command};

/// mimalloc for Rust and for tree-sitter's C core: a scan allocates and frees a syntax tree
/// per candidate file, in many small pieces, and with glibc's allocator that was about a
/// sixth of the CPU time of a candidate file (BENCHMARKS.md). ruff, too, replaces the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // SAFETY: this is the first tree-sitter call of the process, made once, before any
    // thread starts; the four functions are mimalloc's (one allocator family) and return
    // memory aligned as malloc's is.
    unsafe {
        tree_sitter::set_allocator(Some(tree_sitter::Allocator {
            malloc: libmimalloc_sys::mi_malloc,
            calloc: libmimalloc_sys::mi_calloc,
            realloc: libmimalloc_sys::mi_realloc,
            free: libmimalloc_sys::mi_free,
        }));
    }
    // `--version` also names the day the embedded rules table was last reviewed: what a
    // user needs to know to trust (or refresh) its verdicts.
    // The table is loaded for that only when the version is asked for.
    let asks_version = std::env::args().any(|a| a == "--version" || a == "-V");
    let reviewed = asks_version
        .then(|| bedrock_migrate::rules::load_default().ok()?.reviewed())
        .flatten();
    let version: &'static str = Box::leak(
        match reviewed {
            Some(day) => format!("{} (rules reviewed {day})", env!("CARGO_PKG_VERSION")),
            None => env!("CARGO_PKG_VERSION").to_string(),
        }
        .into_boxed_str(),
    );
    let parsed = Cli::command()
        .version(version)
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // A bug is reported in one line (the file it happened in is named by the run's error
    // for that file); RUST_BACKTRACE asks for the full report.
    if std::env::var_os("RUST_BACKTRACE").is_none() {
        std::panic::set_hook(Box::new(|info| {
            eprintln!("bedrock-migrate: internal error: {info}");
        }));
    }
    let result = match &cli.command {
        Command::Scan(args) => app::run(args, Mode::Scan),
        Command::Diff(args) => app::run(args, Mode::Diff),
        Command::Fix(args) => app::run(args, Mode::Fix),
        Command::Check(args) => app::run(&args.run, Mode::Check { fix: args.fix }),
        Command::Pr(args) => pr::run(args),
        Command::Rules(command) => rules_cmd::run(command),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
