//! `offsheet decommission NAME --by WHO`: retire a shadow sheet when its
//! criteria hold, recording who, when and why; refuse with the unmet criteria
//! otherwise. Any later change to a retired sheet is an error finding.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use crate::adoption::{self, DecommissionOutcome};
use crate::cli::GlobalArgs;
use crate::exit::Outcome;
use crate::ledger::Ledger;

use super::adoption::{adoption_config, ledger_path, load_inputs, require_config};

/// Retire a shadow sheet once its decommission criteria hold.
///
/// The sheet must have held the adoption rate over the last snapshots, diverge
/// from the system nowhere, have been quiet, and have no open error findings.
/// Exit 1 with the unmet criteria when it may not be retired yet; any later
/// change to a retired sheet is an error finding of `offsheet audit`.
#[derive(Debug, Args)]
pub struct DecommissionArgs {
    /// The shadow's name in offsheet.toml.
    pub name: String,

    /// Who decides (recorded in the ledger).
    #[arg(long, value_name = "WHO")]
    pub by: String,

    /// Why (recorded in the ledger).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// The ledger (default: .offsheet/ledger.sqlite beside offsheet.toml).
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<PathBuf>,

    /// The date of the decision (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
}

pub fn run(args: DecommissionArgs, global: &GlobalArgs) -> miette::Result<Outcome> {
    let config = require_config(global)?;
    if !config.shadows.iter().any(|s| s.name == args.name) {
        let help =
            crate::config::did_you_mean(&args.name, config.shadows.iter().map(|s| s.name.as_str()))
                .unwrap_or_else(|| "offsheet.toml's [[shadow]] entries name the sheets".into());
        return Err(miette::miette!(
            code = "offsheet::decommission::unknown",
            help = help,
            "no shadow named {:?}",
            args.name
        ));
    }
    if args.by.trim().is_empty() {
        return Err(miette::miette!(
            code = "offsheet::decommission::who",
            "--by must name who decides"
        ));
    }
    let (inputs, _) = load_inputs(&config, global.quiet)?;
    let Some(input) = inputs.iter().find(|i| i.name == args.name) else {
        return Err(miette::miette!(
            "shadow {:?} could not be loaded",
            args.name
        ));
    };
    let path = ledger_path(&config, args.ledger.as_ref());
    let mut ledger = Ledger::open_existing(&path)?;
    let as_of = args
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let cfg = adoption_config(&config);
    match adoption::decommission(
        &mut ledger,
        input,
        &args.by,
        args.reason.as_deref(),
        as_of,
        &cfg,
    )? {
        DecommissionOutcome::Decided(d) => {
            println!(
                "Decommissioned {} on {} by {}.",
                args.name, d.decided_at, d.decided_by
            );
            println!(
                "Any later change to {} will be reported as an error.",
                input.path
            );
            Ok(Outcome::Clean)
        }
        DecommissionOutcome::AlreadyDecommissioned(d) => {
            println!(
                "{} was already decommissioned on {} by {}.",
                args.name, d.decided_at, d.decided_by
            );
            Ok(Outcome::Clean)
        }
        DecommissionOutcome::Refused(evaluation) => {
            println!("Refused: {} may not be decommissioned yet:", args.name);
            for reason in evaluation.unmet() {
                println!("  ✗ {}: {}", reason.criterion.name(), reason.detail);
            }
            Ok(Outcome::Findings)
        }
    }
}
