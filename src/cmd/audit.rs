//! `offsheet audit [PATH...]`: run every integrity rule, within and across
//! sources, and report the findings to the cell.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use crate::cli::GlobalArgs;
use crate::exit::{Outcome, is_broken_pipe};
use crate::findings::Severity;
use crate::report;
use crate::source::ReadOptions;

/// Run every integrity rule over the sheets and report each break to the cell.
///
/// With no offsheet.toml the folder is mapped automatically and the mapping is
/// printed; with one, its mapping and rule settings are used. Exit code 1 when any
/// finding is at or above --fail-on, 2 when a file could not be read.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Files or folders to audit (default: the current folder).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
    pub format: AuditFormat,

    /// Exit with code 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// The date "now" for stuck orders and stale counts (default: the newest
    /// date in the data, so results do not change with the wall clock).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    Text,
    Json,
    Junit,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
}

pub fn run(args: AuditArgs, global: &GlobalArgs) -> miette::Result<Outcome> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let config = global.load_config(&paths[0])?;
    let mut settings = config
        .as_ref()
        .map(|c| c.settings.clone())
        .unwrap_or_default();
    if args.as_of.is_some() {
        settings.as_of = args.as_of;
    }
    let audit = crate::audit::run(
        &paths,
        &settings,
        config.as_ref(),
        ReadOptions::default(),
        global.quiet,
        // Only the text report quotes cells (its snippets).
        match args.format {
            AuditFormat::Text => crate::audit::Cells::Keep,
            _ => crate::audit::Cells::Release,
        },
    )?;
    if !audit.configured && !global.quiet && args.format == AuditFormat::Text {
        match audit.canonical.sources.is_empty() {
            true => eprintln!(
                "No offsheet.toml, and no sheet read maps onto orders, order lines, inventory, \
                 stock counts, shipments or invoices: nothing to audit \
                 (`offsheet scan` shows what each sheet holds).\n"
            ),
            false => eprintln!(
                "No offsheet.toml: mapped automatically (`offsheet init` writes this mapping down):\n{}\n",
                report::mapping::describe(&audit.canonical)
            ),
        }
    }
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        AuditFormat::Json => report::json::write(&mut out, &audit),
        AuditFormat::Text => report::text::write(&mut out, &audit, &report::text::Style::detect()),
        AuditFormat::Junit => report::junit::write(&mut out, &audit),
        AuditFormat::Markdown => report::markdown::write(&mut out, &audit),
    };
    if let Err(e) = written {
        if is_broken_pipe(&e) {
            return Ok(Outcome::Clean);
        }
        return Err(miette::miette!("cannot write the output: {e}"));
    }
    for e in &audit.inventory.errors {
        eprintln!("{:?}", miette::Report::new(e.clone()));
    }
    let bar = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
    };
    let outcome = if !audit.inventory.errors.is_empty() {
        Outcome::Error
    } else if audit.outcome.findings.iter().any(|f| f.severity >= bar) {
        Outcome::Findings
    } else {
        Outcome::Clean
    };
    // The process ends now: handing a large audit back to the allocator piece by
    // piece would only delay the exit.
    std::mem::forget(audit);
    Ok(outcome)
}
