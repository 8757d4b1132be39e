//! The command line: global options and the list of subcommands. Each
//! subcommand's own arguments live in its file under `cmd/`.

use clap::{Args, Parser, Subcommand};

use crate::cmd;
use crate::exit::Outcome;

/// Get off spreadsheet shadow processes: read the sheets as they are, map them onto
/// one order and inventory model, show every integrity break to the cell, and track
/// each shadow sheet until it can be retired.
#[derive(Debug, Parser)]
#[command(
    name = "offsheet",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Print no progress bar and no summary line on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// Use this offsheet.toml (default: the one in the folder or its parents).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
}

impl GlobalArgs {
    /// The configuration to use for `start`: `--config`, else offsheet.toml in
    /// `start` or its parents, else none.
    pub fn load_config(
        &self,
        start: &std::path::Path,
    ) -> miette::Result<Option<crate::config::Config>> {
        let path = match &self.config {
            Some(p) => Some(p.clone()),
            None => crate::config::find(start),
        };
        match path {
            Some(p) => Ok(Some(crate::config::load(&p)?)),
            None => Ok(None),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Scan(cmd::scan::ScanArgs),
    Init(cmd::init::InitArgs),
    Ingest(cmd::ingest::IngestArgs),
    Audit(cmd::audit::AuditArgs),
    Rules(cmd::rules::RulesArgs),
    Adoption(cmd::adoption::AdoptionArgs),
    Decommission(cmd::decommission::DecommissionArgs),
    Report(cmd::report::ReportArgs),
}

pub fn run(cli: Cli) -> miette::Result<Outcome> {
    match cli.command {
        Command::Scan(args) => cmd::scan::run(args, &cli.global),
        Command::Init(args) => cmd::init::run(args, &cli.global),
        Command::Ingest(args) => cmd::ingest::run(args, &cli.global),
        Command::Audit(args) => cmd::audit::run(args, &cli.global),
        Command::Rules(args) => cmd::rules::run(args, &cli.global),
        Command::Adoption(args) => cmd::adoption::run(args, &cli.global),
        Command::Decommission(args) => cmd::decommission::run(args, &cli.global),
        Command::Report(args) => cmd::report::run(args, &cli.global),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
