//! `offsheet report [PATH]`: the readiness report for a consultant, as one
//! self-contained HTML page and an XLSX workbook, written atomically.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;

use crate::cli::GlobalArgs;
use crate::config::Config;
use crate::exit::Outcome;
use crate::inventory::Inventory;
use crate::ledger::Ledger;
use crate::report::readiness::{Adoption, Readiness};
use crate::report::{html, xlsx_report};
use crate::source::ReadOptions;

/// Write the readiness report: readiness.html (summary, charts, inventory, top
/// findings, adoption) and readiness.xlsx (every finding, the mapping, the
/// inventory, adoption).
///
/// The report is not a gate: exit code 0 when it is written, 2 when a file, the
/// configuration or the ledger could not be read (the report is still written
/// when the other files could be) or the report could not be written.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The folder to assess (default: the current folder).
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,

    /// Where to write readiness.html and readiness.xlsx; never read as input.
    #[arg(long, value_name = "DIR", default_value = "offsheet-report")]
    pub out: PathBuf,

    /// The date "now" for stuck orders, stale counts and adoption (default: the
    /// newest date in the data, or the latest adoption snapshot when later).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
}

pub fn run(args: ReportArgs, global: &GlobalArgs) -> miette::Result<Outcome> {
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    if let Err(e) = std::fs::metadata(&path) {
        return Err(miette::miette!(
            code = "offsheet::report::no_folder",
            help = "name the folder of the sheets, or run `offsheet report` inside it",
            "cannot read {}: {e}",
            path.display()
        ));
    }
    let config = global.load_config(&path)?;
    let mut settings = config
        .as_ref()
        .map(|c| c.settings.clone())
        .unwrap_or_default();
    if args.as_of.is_some() {
        settings.as_of = args.as_of;
    }
    let roots = crate::audit::roots(std::slice::from_ref(&path), config.as_ref());
    let mut inventory = crate::inventory::read_all(&roots, ReadOptions::default(), global.quiet);
    if let Some(root) = roots.first() {
        leave_out(&mut inventory, root, &args.out);
    }
    // The report quotes no cell: each sheet's cells go once its rows are parsed.
    let audit = crate::audit::run_on(
        inventory,
        &settings,
        config.as_ref(),
        crate::audit::Cells::Release,
    )?;
    let adoption = adoption(config.as_ref(), settings.as_of, audit.as_of);
    let readiness = Readiness::new(&audit, folder_name(&path), adoption);
    let page = html::render(&readiness);
    let book = xlsx_report::workbook(&readiness)
        .map_err(|e| miette::miette!("cannot build readiness.xlsx: {e}"))?;
    std::fs::create_dir_all(&args.out)
        .map_err(|e| miette::miette!("cannot create {}: {e}", args.out.display()))?;
    for (name, bytes) in [
        ("readiness.html", page.as_bytes()),
        ("readiness.xlsx", book.as_slice()),
    ] {
        let target = args.out.join(name);
        crate::atomic::write(&target, bytes)
            .map_err(|e| miette::miette!("cannot write {}: {e}", target.display()))?;
        println!("{}", target.display());
    }
    for e in &audit.inventory.errors {
        eprintln!("{:?}", miette::Report::new(e.clone()));
    }
    let ledger_failed = matches!(readiness.adoption, Adoption::Unreadable { .. });
    Ok(if audit.inventory.errors.is_empty() && !ledger_failed {
        Outcome::Clean
    } else {
        Outcome::Error
    })
}

/// The folder's own name for the title ("acme-retail", not ".").
fn folder_name(path: &Path) -> String {
    std::fs::canonicalize(path)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| path.display().to_string())
}

/// Drops the output folder's files (last run's readiness.xlsx) from what was
/// read, when it lies inside the folder being read.
fn leave_out(inventory: &mut Inventory, root: &Path, out: &Path) {
    let (Ok(root), Ok(out)) = (std::fs::canonicalize(root), std::fs::canonicalize(out)) else {
        return;
    };
    let Ok(rel) = out.strip_prefix(&root) else {
        return;
    };
    let rel = rel.to_string_lossy().replace('\\', "/");
    let inside = |display: &str| match rel.as_str() {
        // --out is the folder itself: only the workbook written there.
        "" => display == "readiness.xlsx",
        dir => display
            .strip_prefix(dir)
            .is_some_and(|r| r.starts_with('/')),
    };
    inventory.files.retain(|f| !inside(&f.source.display));
    inventory.errors.retain(|e| !inside(e.file()));
    inventory.skipped.retain(|s| !inside(&s.file));
}

/// Adoption from the ledger beside offsheet.toml, as of the given date, else
/// the report's as-of or the latest snapshot, whichever is later.
fn adoption(config: Option<&Config>, given: Option<NaiveDate>, as_of: NaiveDate) -> Adoption {
    let Some(config) = config.filter(|c| !c.shadows.is_empty()) else {
        return Adoption::NotConfigured;
    };
    let path = super::adoption::ledger_path(config, None);
    let shown = path
        .strip_prefix(&config.dir)
        .unwrap_or(&path)
        .to_string_lossy()
        .replace('\\', "/");
    if !path.exists() {
        return Adoption::NoLedger {
            shadows: config.shadows.len(),
            ledger: shown,
        };
    }
    let read = || -> Result<crate::adoption::Status, crate::ledger::LedgerError> {
        let ledger = Ledger::open_existing(&path)?;
        let date = match given {
            Some(d) => d,
            None => ledger
                .all_snapshots()?
                .iter()
                .map(|s| s.as_of)
                .max()
                .map_or(as_of, |latest| latest.max(as_of)),
        };
        let cfg = super::adoption::adoption_config(config);
        crate::adoption::status(&ledger, date, &cfg)
    };
    match read() {
        Ok(status) => Adoption::Tracked(status),
        Err(e) => {
            let message = e.to_string();
            eprintln!("{:?}", miette::Report::new(e));
            Adoption::Unreadable {
                ledger: shown,
                message,
            }
        }
    }
}
