//! The audit pipeline as one call: read the folder, map it (from offsheet.toml
//! or automatically), build the canonical tables and run every rule.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::config::{self, Config, ConfigErrors};
use crate::inventory::{self, Inventory};
use crate::mapping::plan::{self, Plan};
use crate::model::build;
use crate::model::canonical::Canonical;
use crate::rules::{self, Context};
use crate::settings::Settings;
use crate::source::ReadOptions;

pub struct Audit {
    pub inventory: Inventory,
    pub plan: Plan,
    pub canonical: Canonical,
    pub outcome: rules::Outcome,
    pub as_of: NaiveDate,
    /// Whether the mapping came from offsheet.toml.
    pub configured: bool,
}

/// Audits the files under `paths`. With a configuration, the files of its folder
/// are read and mapped as it says (columns that changed are schema_drift);
/// without one, everything is mapped automatically.
pub fn run(
    paths: &[PathBuf],
    settings: &Settings,
    config: Option<&Config>,
    opts: ReadOptions,
    quiet: bool,
) -> Result<Audit, ConfigErrors> {
    let clock = Stopwatch::start();
    let inventory = inventory::read_all(&roots(paths, config), opts, quiet);
    clock.lap("read and detect tables");
    run_on(inventory, settings, config)
}

/// The folders a run reads: the configuration's folder when there is one (its
/// paths are relative to it), else the paths given.
pub fn roots(paths: &[PathBuf], config: Option<&Config>) -> Vec<PathBuf> {
    match config {
        Some(c) => vec![c.dir.clone()],
        None => paths.to_vec(),
    }
}

/// Audits files already read from [`roots`] (a caller may leave some out, as
/// `report` leaves out its own output folder).
pub fn run_on(
    mut inventory: Inventory,
    settings: &Settings,
    config: Option<&Config>,
) -> Result<Audit, ConfigErrors> {
    let clock = Stopwatch::start();
    let (plan, drift, notes) = match config {
        Some(c) => {
            let p = config::plan::plan(c, &mut inventory)?;
            (p.plan, p.drift, p.notes)
        }
        None => (plan::auto(&inventory), Vec::new(), Vec::new()),
    };
    clock.lap("map");
    let mut canonical = build::build(&inventory, &plan);
    clock.lap("canonical tables");
    canonical.cell_findings.extend(drift);
    canonical.notes.extend(notes);
    if let Some(c) = config {
        let as_of = settings
            .as_of
            .or_else(|| rules::newest_date(&canonical))
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        let (found, notes) =
            crate::adoption::inputs::resurrections(c, &inventory, &canonical, as_of);
        canonical.cell_findings.extend(found);
        canonical.notes.extend(notes);
    }
    let ctx = Context::new(&canonical, settings);
    let as_of = ctx.as_of;
    let outcome = rules::run_timed(&ctx, clock.enabled());
    clock.lap("rules");
    Ok(Audit {
        inventory,
        plan,
        canonical,
        outcome,
        as_of,
        configured: config.is_some(),
    })
}

/// Stage timings on stderr when `OFFSHEET_TIMINGS` is set, for finding where a
/// long audit spends its time.
struct Stopwatch {
    started: Option<std::cell::Cell<std::time::Instant>>,
}

impl Stopwatch {
    fn start() -> Stopwatch {
        Stopwatch {
            started: std::env::var_os("OFFSHEET_TIMINGS")
                .map(|_| std::cell::Cell::new(std::time::Instant::now())),
        }
    }

    fn enabled(&self) -> bool {
        self.started.is_some()
    }

    fn lap(&self, what: &str) {
        if let Some(t) = &self.started {
            let peak = peak_memory();
            eprintln!(
                "timing: {what}: {:.3}s {peak}",
                t.get().elapsed().as_secs_f64()
            );
            t.set(std::time::Instant::now());
        }
    }
}

/// The process's peak resident memory so far as `/proc/self/status` gives it
/// (Linux; empty elsewhere), to see which stage sets it.
pub fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_default()
}
