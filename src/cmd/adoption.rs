//! `offsheet adoption record|status|check|export`: dated snapshots of every
//! shadow sheet against its system-of-record export, the trend per sheet, and a
//! CI gate on the adoption rate.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};

use crate::adoption::{self, AdoptionConfig, CheckOptions};
use crate::cli::GlobalArgs;
use crate::config::Config;
use crate::exit::Outcome;
use crate::ledger::Ledger;
use crate::source::ReadOptions;

/// Track each shadow sheet's adoption rate until it can be retired.
#[derive(Debug, Args)]
pub struct AdoptionArgs {
    #[command(subcommand)]
    pub command: AdoptionCommand,

    /// The ledger (default: .offsheet/ledger.sqlite beside offsheet.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub ledger: Option<PathBuf>,

    /// The date of the snapshot or report (default: today).
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
}

#[derive(Debug, Subcommand)]
pub enum AdoptionCommand {
    /// Take a dated snapshot of every [[shadow]] sheet against its system export.
    Record,
    /// The trend per shadow sheet: rate, divergent keys, activity, decommission criteria.
    Status {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Exit 1 when a live shadow sheet is below the rate, fell too far, or was changed after retirement.
    Check {
        /// The lowest acceptable adoption rate, 0 to 1.
        #[arg(long, value_name = "R")]
        min_rate: f64,
        /// The largest acceptable fall of the rate since the previous snapshot.
        #[arg(long, value_name = "D")]
        max_drop: Option<f64>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// The whole history, for spreadsheets and for diffs in git.
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

/// offsheet.toml, required by every adoption command.
pub fn require_config(global: &GlobalArgs) -> miette::Result<Config> {
    global.load_config(std::path::Path::new("."))?.ok_or_else(|| {
        miette::miette!(
            code = "offsheet::adoption::no_config",
            help = "run `offsheet init` in the folder of the sheets, then check its [[shadow]] entries",
            "no offsheet.toml here or in a parent folder: adoption needs its [[shadow]] pairs"
        )
    })
}

pub fn ledger_path(config: &Config, given: Option<&PathBuf>) -> PathBuf {
    given
        .cloned()
        .unwrap_or_else(|| config.dir.join(".offsheet").join("ledger.sqlite"))
}

pub fn adoption_config(config: &Config) -> AdoptionConfig {
    AdoptionConfig {
        window_days: config.settings.adoption_window_days,
        min_rate: config.decommission.min_rate,
        streak: config.decommission.streak,
        quiet_days: config.decommission.quiet_days,
    }
}

/// Reads the configured folder and builds every shadow's input.
pub fn load_inputs(
    config: &Config,
    quiet: bool,
) -> miette::Result<(Vec<adoption::ShadowInput>, crate::audit::Audit)> {
    let audit = crate::audit::run(
        std::slice::from_ref(&config.dir),
        &config.settings,
        Some(config),
        ReadOptions::default(),
        quiet,
        // Only shadow sheets and their system exports are read cell by cell;
        // those keep their cells (see `audit::adoption_reads`).
        crate::audit::Cells::Release,
    )?;
    for e in &audit.inventory.errors {
        eprintln!("{:?}", miette::Report::new(e.clone()));
    }
    let inputs = adoption::inputs::shadow_inputs(config, &audit)?;
    Ok((inputs, audit))
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn print(text: &str) -> miette::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()) {
        Err(e) if !crate::exit::is_broken_pipe(&e) => {
            Err(miette::miette!("cannot write the output: {e}"))
        }
        _ => Ok(()),
    }
}

pub fn run(args: AdoptionArgs, global: &GlobalArgs) -> miette::Result<Outcome> {
    let config = require_config(global)?;
    if config.shadows.is_empty() {
        return Err(miette::miette!(
            code = "offsheet::adoption::no_shadows",
            help = "add a [[shadow]] entry (name, path, entity, system) to offsheet.toml",
            "{} names no shadow sheet",
            config.path.display()
        ));
    }
    let path = ledger_path(&config, args.ledger.as_ref());
    let as_of = args.as_of.unwrap_or_else(today);
    let cfg = adoption_config(&config);
    match args.command {
        AdoptionCommand::Record => {
            let (inputs, _) = load_inputs(&config, global.quiet)?;
            let mut ledger = Ledger::open(&path)?;
            let summary = adoption::record(&mut ledger, &inputs, as_of, &cfg)?;
            let mut text = String::new();
            let mut resurrected = false;
            for s in &summary.shadows {
                text.push_str(&format!(
                    "{:<28} rate {}  keys {}  in system {}  shadow-only {}  divergent {}  changed {}\n",
                    s.name,
                    adoption::rate_text(s.metrics.rate),
                    s.metrics.keys,
                    s.metrics.in_system,
                    s.metrics.shadow_only,
                    s.metrics.divergent,
                    s.metrics.changed
                ));
                if let Some(r) = &s.resurrected {
                    resurrected = true;
                    text.push_str(&format!(
                        "  error: retired shadow {} {}\n",
                        s.name,
                        r.describe()
                    ));
                }
            }
            text.push_str(&format!(
                "Recorded the snapshot of {as_of} in {}.\n",
                path.display()
            ));
            print(&text)?;
            Ok(if resurrected {
                Outcome::Findings
            } else {
                Outcome::Clean
            })
        }
        AdoptionCommand::Status { format } => {
            let ledger = Ledger::open_existing(&path)?;
            let status = adoption::status(&ledger, as_of, &cfg)?;
            match format {
                Format::Text => print(&adoption::render_status_text(&status))?,
                Format::Json => print(
                    &adoption::render_status_json(&status).map_err(|e| miette::miette!("{e}"))?,
                )?,
            }
            Ok(Outcome::Clean)
        }
        AdoptionCommand::Check {
            min_rate,
            max_drop,
            format,
        } => {
            if !(0.0..=1.0).contains(&min_rate)
                || max_drop.is_some_and(|d| !(0.0..=1.0).contains(&d))
            {
                return Err(miette::miette!(
                    code = "offsheet::adoption::bad_rate",
                    help = "rates are shares: --min-rate 0.9 means 90% of keys in the system",
                    "--min-rate and --max-drop take a number from 0 to 1"
                ));
            }
            let ledger = Ledger::open_existing(&path)?;
            let status = adoption::status(&ledger, as_of, &cfg)?;
            let report = adoption::check(&status, &CheckOptions { min_rate, max_drop });
            match format {
                CheckFormat::Text => print(&adoption::render_check_text(&report))?,
                CheckFormat::Json => print(
                    &adoption::render_check_json(&report).map_err(|e| miette::miette!("{e}"))?,
                )?,
                CheckFormat::Junit => print(&adoption::render_check_junit(&report))?,
            }
            Ok(if report.passed {
                Outcome::Clean
            } else {
                Outcome::Findings
            })
        }
        AdoptionCommand::Export { format } => {
            let ledger = Ledger::open_existing(&path)?;
            let history = adoption::history(&ledger)?;
            match format {
                ExportFormat::Csv => print(&adoption::render_export_csv(&history))?,
                ExportFormat::Json => print(
                    &adoption::render_export_json(&history).map_err(|e| miette::miette!("{e}"))?,
                )?,
            }
            Ok(Outcome::Clean)
        }
    }
}
