//! The `offsheet` binary: install the hooks, parse the command line, run it, and
//! turn the outcome into an exit code (see `offsheet::exit`).

use std::process::ExitCode;

use clap::Parser;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[global_allocator]
static ALLOCATOR: offsheet::memory::Allocator = offsheet::memory::Allocator;

fn main() -> ExitCode {
    offsheet::memory::for_reading();
    offsheet::exit::install_hooks();
    let cli = offsheet::cli::Cli::parse();
    match offsheet::cli::run(cli) {
        Ok(outcome) => outcome.into(),
        Err(report) => {
            eprintln!("{report:?}");
            offsheet::exit::Outcome::Error.into()
        }
    }
}
