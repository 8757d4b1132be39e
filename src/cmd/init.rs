//! `offsheet init [PATH]`: propose offsheet.toml from a scan of the folder: each
//! source's entities and column mapping with its evidence, owners, rule settings
//! and shadow/system pairs. It never overwrites an existing offsheet.toml.

use std::path::PathBuf;

use clap::Args;

use crate::cli::GlobalArgs;
use crate::config::{FILE_NAME, write};
use crate::exit::Outcome;
use crate::inventory;
use crate::mapping::plan;
use crate::source::ReadOptions;

/// Write offsheet.toml for a folder of sheets, proposing a mapping to review.
///
/// If offsheet.toml already exists it is left untouched and the proposal is
/// written beside it as offsheet.new.toml, to compare with your edits.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to map (default: the current folder).
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,
}

pub fn run(args: InitArgs, global: &GlobalArgs) -> miette::Result<Outcome> {
    if !args.path.is_dir() {
        return Err(miette::miette!(
            code = "offsheet::init::not_a_folder",
            "{} is not a folder",
            args.path.display()
        ));
    }
    let inv = inventory::read_all(
        std::slice::from_ref(&args.path),
        ReadOptions::default(),
        global.quiet,
    );
    let plan = plan::auto(&inv);
    let text = write::render(&inv, &plan, chrono::Local::now().date_naive());
    let target = args.path.join(FILE_NAME);
    let (written, kept) = if target.exists() {
        let beside = args.path.join("offsheet.new.toml");
        if beside.exists() {
            return Err(miette::miette!(
                code = "offsheet::init::exists",
                help = "compare offsheet.new.toml with offsheet.toml, keep what you need, and delete offsheet.new.toml",
                "both {} and {} exist; init overwrites neither",
                target.display(),
                beside.display()
            ));
        }
        (beside, true)
    } else {
        (target.clone(), false)
    };
    crate::atomic::write(&written, text.as_bytes())
        .map_err(|e| miette::miette!("cannot write {}: {e}", written.display()))?;
    for e in &inv.errors {
        eprintln!("{:?}", miette::Report::new(e.clone()));
    }
    println!("{}", summary(&inv, &plan));
    if kept {
        println!(
            "{} exists and was left as it is; the proposal is in {} (compare them).",
            target.display(),
            written.display()
        );
    } else {
        println!(
            "Wrote {}. Review the mapping, then run `offsheet audit`.",
            written.display()
        );
    }
    Ok(if inv.errors.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Error
    })
}

/// One line per mapped source: entities and how many columns each maps.
fn summary(inv: &inventory::Inventory, plan: &plan::Plan) -> String {
    let mut lines = Vec::new();
    for rp in &plan.regions {
        let Some(file) = inv.files.get(rp.file) else {
            continue;
        };
        let sheet = file
            .source
            .sheets
            .get(rp.sheet)
            .and_then(|s| s.name.clone());
        let place = match sheet {
            Some(s) => format!("{} › {}", file.source.display, s),
            None => file.source.display.clone(),
        };
        let feeds: Vec<String> = rp
            .feeds
            .iter()
            .map(|f| {
                format!(
                    "{} ({} columns, {:.2})",
                    f.entity,
                    f.columns.len(),
                    f.confidence
                )
            })
            .collect();
        lines.push(format!("{place}: {}", feeds.join(" + ")));
    }
    lines.join("\n")
}
