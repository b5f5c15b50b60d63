//! bedrock-migrate: parse the command line, run, and map the outcome to an exit code
//! (0 nothing to migrate, 1 findings or changes, 2 errors).

mod app;
mod cli;
mod pr;
mod rules_cmd;

use std::process::ExitCode;

use clap::Parser;

use crate::app::Mode;
use crate::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
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
