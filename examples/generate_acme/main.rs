//! Generates `examples/acme-retail/`, offsheet's shipped example: the shadow
//! spreadsheets of a fictional retailer with integrity breaks planted on
//! purpose, plus the answer key (`acme-retail.planted.json`) and the README.
//!
//! ```sh
//! cargo run --example generate_acme -- [OUT_DIR]
//! ```
//!
//! The data flow: catalogue → clean world (orders) → plants on orders →
//! shipments, invoices, stock and counts → plants on those → numbering →
//! one writer per file → manifest and README.

mod catalogue;
mod documents;
mod finance;
mod grid;
mod janet;
mod manifest;
mod oms;
mod plants;
mod rng;
mod shipping;
mod tracker;
mod warehouse;
mod world;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use documents::Documents;
use grid::{Res, save_bytes};
use manifest::Outputs;
use plants::{Picker, Plan};
use rng::Rng;
use world::World;

/// The one seed: change it and every file changes.
const SEED: u64 = 0x0ACE_2026_1127;

const DEFAULT_OUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/acme-retail");

fn main() -> ExitCode {
    match run() {
        Ok(out) => {
            println!("wrote {}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("generate_acme: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Res<PathBuf> {
    let out = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from(DEFAULT_OUT), PathBuf::from);
    generate(&out)?;
    Ok(out)
}

/// Writes the folder `out`, and `<folder>.planted.json` and README.md beside it.
fn generate(out: &Path) -> Res<()> {
    let folder = out
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("OUT_DIR must end in a folder name")?
        .to_string();
    let beside = out.parent().unwrap_or(Path::new("."));

    let mut rng = Rng::new(SEED);
    let (world, docs, plan) = build(&mut rng)?;

    std::fs::create_dir_all(out)?;
    let outputs = write_files(out, &world, &docs, &plan)?;
    let manifest = manifest::build(&folder, SEED, &world, &docs, &plan, outputs)?;
    let json = serde_json::to_string_pretty(&manifest)? + "\n";
    save_bytes(beside, &format!("{folder}.planted.json"), json.as_bytes())?;
    save_bytes(beside, "README.md", manifest::readme(&manifest).as_bytes())?;
    Ok(())
}

/// The clean world, then the plants, in the order their effects depend on.
fn build(rng: &mut Rng) -> Res<(World, Documents, Plan)> {
    let products = catalogue::products();
    let customers = catalogue::customers(rng);
    let orders = world::orders(rng, &products, &customers);
    let mut world = World { products, orders };
    let mut plan = Plan::default();
    let mut picker = Picker::new();
    plants::shape_orders(rng, &mut world, &mut plan, &mut picker)?;

    let shipments = documents::shipments(rng, &world.orders, &world.products);
    let invoices = documents::invoices(rng, &world.orders);
    let mut stock = documents::stock(rng, &world.products, &world.orders);
    plants::break_stock(rng, &mut stock, &mut plan)?;
    let mut counts = documents::counts(rng, &world.products, &stock, &plan.uncounted);
    plants::break_counts(rng, &world.products, &stock, &mut counts, &mut plan)?;
    let mut docs = Documents {
        shipments,
        invoices,
        stock,
        counts,
    };
    plants::break_handoffs(rng, &world, &mut docs, &mut plan, &mut picker)?;
    documents::number(&mut docs);
    Ok((world, docs, plan))
}

fn write_files(dir: &Path, world: &World, docs: &Documents, plan: &Plan) -> Res<Outputs> {
    let mut outputs = Outputs::default();
    let tracker = tracker::write(dir, world, plan)?;
    outputs.layouts.push(tracker.layout);
    outputs.hazards.extend(tracker.hazards);
    outputs.spots.extend(tracker.spots);
    let janet = janet::write(dir, world, plan)?;
    outputs.layouts.push(janet.layout);
    outputs.hazards.extend(janet.hazards);
    outputs.spots.extend(janet.spots);
    for (layout, hazards) in [
        oms::write_orders(dir, world, &plan.overrides)?,
        oms::write_stock(dir, &docs.stock, &plan.overrides)?,
        warehouse::write(dir, &docs.counts, &plan.overrides)?,
        shipping::write(dir, &docs.shipments)?,
        finance::write(dir, &docs.invoices, &plan.overrides)?,
    ] {
        outputs.layouts.push(layout);
        outputs.hazards.push(hazards);
    }
    outputs
        .hazards
        .sort_by(|a, b| (&a.file, &a.sheet).cmp(&(&b.file, &b.sheet)));
    Ok(outputs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Every file under `dir`, relative path → bytes.
    fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut todo = vec![dir.to_path_buf()];
        while let Some(d) = todo.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    todo.push(path);
                } else {
                    let rel = path.strip_prefix(dir).unwrap().to_path_buf();
                    out.push((rel, std::fs::read(&path).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn two_runs_write_identical_bytes() {
        let base = std::env::temp_dir().join(format!("generate_acme_test_{}", std::process::id()));
        let (a, b) = (base.join("a"), base.join("b"));
        generate(&a.join("acme-retail")).unwrap();
        generate(&b.join("acme-retail")).unwrap();
        let (fa, fb) = (files(&a), files(&b));
        assert_eq!(fa.len(), 9);
        assert_eq!(fa, fb);
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn the_plan_plants_every_category_but_schema_drift_on_distinct_cells() {
        let (_, _, plan) = build(&mut Rng::new(SEED)).unwrap();
        let categories: BTreeSet<&str> = plan.breaks.iter().map(|b| b.category).collect();
        assert_eq!(categories.len(), 16);
        assert!(!categories.contains("schema_drift"));
        let cells: BTreeSet<(&str, &str, &str)> = plan
            .breaks
            .iter()
            .map(|b| (b.file, b.anchor.as_str(), b.column))
            .collect();
        assert_eq!(cells.len(), plan.breaks.len());
        assert_eq!(plan.breaks.len(), 37);
        let conflicts = plan
            .breaks
            .iter()
            .filter(|b| b.category == "conflicting_copy")
            .count();
        assert_eq!(conflicts, 8);
    }
}
