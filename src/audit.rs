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
    cells: Cells,
) -> Result<Audit, ConfigErrors> {
    run_on(read(paths, config, opts, quiet), settings, config, cells)
}

/// The files under [`roots`], read and their tables detected.
fn read(paths: &[PathBuf], config: Option<&Config>, opts: ReadOptions, quiet: bool) -> Inventory {
    let clock = Stopwatch::start();
    let inventory = inventory::read_all(&roots(paths, config), opts, quiet);
    clock.lap("read and detect tables");
    inventory
}

/// Whether the cells read stay in memory once the canonical tables are built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cells {
    /// Kept: the output quotes cells (the text report's snippets).
    Keep,
    /// Each sheet's cells dropped once its rows are parsed: a lower peak for
    /// output that quotes no cell (JSON, JUnit, Markdown, tables written). A
    /// configuration's shadow sheets and system exports keep theirs: the
    /// adoption checks read them cell by cell.
    Release,
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
    inventory: Inventory,
    settings: &Settings,
    config: Option<&Config>,
    cells: Cells,
) -> Result<Audit, ConfigErrors> {
    let clock = Stopwatch::start();
    let Tables {
        inventory,
        plan,
        mut canonical,
        configured,
    } = tables_on(inventory, config, cells, &clock)?;
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
        configured,
    })
}

/// The files read, their mapping and the canonical tables, with no rule run
/// (what `ingest` writes).
pub struct Tables {
    pub inventory: Inventory,
    pub plan: Plan,
    pub canonical: Canonical,
    /// Whether the mapping came from offsheet.toml.
    pub configured: bool,
}

/// Reads the files under `paths` and builds the canonical tables, as [`run`]
/// does before its rules.
pub fn tables(
    paths: &[PathBuf],
    config: Option<&Config>,
    opts: ReadOptions,
    quiet: bool,
    cells: Cells,
) -> Result<Tables, ConfigErrors> {
    let inventory = read(paths, config, opts, quiet);
    tables_on(inventory, config, cells, &Stopwatch::start())
}

fn tables_on(
    mut inventory: Inventory,
    config: Option<&Config>,
    cells: Cells,
    clock: &Stopwatch,
) -> Result<Tables, ConfigErrors> {
    let (plan, drift, notes) = match config {
        Some(c) => {
            let p = config::plan::plan(c, &mut inventory)?;
            (p.plan, p.drift, p.notes)
        }
        None => (plan::auto(&inventory), Vec::new(), Vec::new()),
    };
    clock.lap("map");
    // The adoption checks read the raw cells of every shadow sheet and its
    // system export again (retired sheets, below): those are kept.
    let release = |file: &str, sheet: Option<&str>| {
        cells == Cells::Release && !config.is_some_and(|c| adoption_reads(c, file, sheet))
    };
    let mut canonical = build::build(&mut inventory, &plan, &release);
    clock.lap("canonical tables");
    canonical.cell_findings.extend(drift);
    canonical.notes.extend(notes);
    Ok(Tables {
        inventory,
        plan,
        canonical,
        configured: config.is_some(),
    })
}

/// Whether a sheet is one the adoption checks read cell by cell: a shadow sheet
/// of the configuration, or the system export it is compared with.
fn adoption_reads(config: &Config, file: &str, sheet: Option<&str>) -> bool {
    let is = |path: &str, named: Option<&str>| path == file && (named.is_none() || named == sheet);
    config
        .shadows
        .iter()
        .any(|s| is(&s.path, s.sheet.as_deref()) || is(&s.system, s.system_sheet.as_deref()))
}

/// Stage timings on stderr when `OFFSHEET_TIMINGS` is set, for finding where a
/// long audit spends its time.
struct Stopwatch {
    /// Wall clock, process CPU seconds and page faults at the last lap.
    started: Option<std::cell::Cell<(std::time::Instant, f64, i64)>>,
}

impl Stopwatch {
    fn start() -> Stopwatch {
        Stopwatch {
            started: std::env::var_os("OFFSHEET_TIMINGS").map(|_| {
                let (cpu, faults) = cpu_seconds();
                std::cell::Cell::new((std::time::Instant::now(), cpu, faults))
            }),
        }
    }

    fn enabled(&self) -> bool {
        self.started.is_some()
    }

    fn lap(&self, what: &str) {
        if let Some(t) = &self.started {
            let (wall, cpu, faults) = t.get();
            let peak = peak_memory();
            let (now, faults_now) = cpu_seconds();
            eprintln!(
                "timing: {what}: {:.3}s (cpu {:.3}s, {} page faults) {peak}",
                wall.elapsed().as_secs_f64(),
                now - cpu,
                faults_now - faults
            );
            t.set((std::time::Instant::now(), now, faults_now));
        }
    }
}

/// CPU seconds this process has used, all threads, and the page faults it
/// took (0 where unknown).
fn cpu_seconds() -> (f64, i64) {
    #[cfg(unix)]
    {
        // SAFETY: getrusage only writes into the struct it is given.
        let usage = unsafe {
            let mut r: libc::rusage = std::mem::zeroed();
            libc::getrusage(libc::RUSAGE_SELF, &mut r);
            r
        };
        let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        (
            secs(usage.ru_utime) + secs(usage.ru_stime),
            usage.ru_minflt + usage.ru_majflt,
        )
    }
    #[cfg(not(unix))]
    {
        (0.0, 0)
    }
}

/// The process's peak resident memory so far, its resident memory now, and
/// how much of that is heap and how much mapped files (code), as
/// `/proc/self/status` gives them (Linux; empty elsewhere): to see which
/// stage sets the peak.
pub fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .filter(|l| {
                    l.starts_with("VmHWM:")
                        || l.starts_with("VmRSS:")
                        || l.starts_with("RssFile:")
                        || l.starts_with("RssAnon:")
                })
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .reduce(|a, b| a + " " + &b)
        })
        .unwrap_or_default()
}
