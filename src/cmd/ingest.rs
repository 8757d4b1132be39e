//! `offsheet ingest [PATH] --out DIR`: build the canonical tables and a rejects
//! table, and write them for the OMS import. `--strict` is the gate an ops team
//! puts in front of that import: any rejected row and nothing is written.

use std::path::PathBuf;

use clap::Args;

use crate::cli::GlobalArgs;
use crate::exit::Outcome;
use crate::ingest::{self, TableFormat};
use crate::source::ReadOptions;

/// Build the canonical tables (and a rejects table naming why each rejected row
/// failed) and write them as Parquet, CSV or one XLSX workbook.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// The folder to read (default: the current folder, or offsheet.toml's).
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,

    /// The folder to write the tables into (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// File format of the tables.
    #[arg(long, value_enum, default_value_t = TableFormat::Parquet)]
    pub format: TableFormat,

    /// Write nothing and exit 1 if any row is rejected.
    #[arg(long)]
    pub strict: bool,
}

pub fn run(args: IngestArgs, global: &GlobalArgs) -> miette::Result<Outcome> {
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let config = global.load_config(&path)?;
    // The canonical tables and their rejects; no rule runs.
    let mut audit = crate::audit::tables(
        std::slice::from_ref(&path),
        config.as_ref(),
        ReadOptions::default(),
        global.quiet,
        crate::audit::Cells::Release,
    )?;
    for e in &audit.inventory.errors {
        eprintln!("{:?}", miette::Report::new(e.clone()));
    }
    if !global.quiet {
        let how = if audit.configured {
            "offsheet.toml"
        } else {
            "automatic mapping"
        };
        eprintln!(
            "Mapping used ({how}):\n{}",
            crate::report::mapping::describe(&audit.canonical)
        );
    }
    let rejected = audit.canonical.rejects.len();
    if args.strict && rejected > 0 {
        eprintln!(
            "{}",
            crate::report::mapping::rejects_summary(&audit.canonical)
        );
        eprintln!(
            "--strict: {} rejected; nothing was written to {}.",
            crate::report::plural(rejected, "row", "rows"),
            args.out.display()
        );
        return Ok(Outcome::Findings);
    }
    crate::memory::for_writing();
    let mut frames = ingest::output_frames(&mut audit.canonical)
        .map_err(|e| miette::miette!("cannot build the tables: {e}"))?;
    let written = ingest::write(&args.out, args.format, &mut frames)
        .map_err(|e| miette::miette!(code = "offsheet::ingest::write", "{e}"))?;
    for ((name, df), path) in frames.iter().zip(
        written
            .iter()
            .chain(std::iter::repeat(written.last().unwrap_or(&args.out))),
    ) {
        println!("{:>9} rows  {name:<13} {}", df.height(), path.display());
    }
    Ok(if !audit.inventory.errors.is_empty() {
        Outcome::Error
    } else {
        Outcome::Clean
    })
}
