//! Mapping speed (`cargo bench --bench map`): a 1,000,000-row CSV of order lines
//! read, its table found, auto-mapped and built into typed canonical tables
//! (orders and order_lines), against polars' plain CSV read of the same file in
//! the same run. Prints rows per second and the ratio.

mod data;

use std::hint::black_box;
use std::path::PathBuf;

use offsheet::inventory::read_all;
use offsheet::mapping::plan;
use offsheet::model::build::build;
use offsheet::source::ReadOptions;

fn main() {
    let rows = std::env::args()
        .skip_while(|a| a != "--rows")
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000usize);
    let csv = data::csv(rows);
    // The mapper reads a folder; give it one holding only this file.
    let folder: PathBuf = data::dir().join(format!("map_{rows}"));
    std::fs::create_dir_all(&folder).expect("folder");
    let linked = folder.join("order_lines.csv");
    if !linked.exists() {
        std::fs::hard_link(&csv, &linked)
            .or_else(|_| std::fs::copy(&csv, &linked).map(|_| ()))
            .expect("link");
    }
    let polars = data::polars_read(&csv, 3);
    let mut lines = 0;
    let mapped = data::best_of(3, || {
        let mut inv = read_all(std::slice::from_ref(&folder), ReadOptions::default(), true);
        let p = plan::auto(&inv);
        // Cells kept, as the text report and the ledger need them.
        let c = build(&mut inv, &p, &|_, _| false);
        lines = c.tables.values().map(|df| df.height()).max().unwrap_or(0);
        black_box(c.sources.len());
    });
    println!(
        "{rows} rows, {:.1} MiB, {lines} order lines built",
        data::size_mib(&csv)
    );
    println!(
        "{:<52} {:>8} {:>12} {:>6}",
        "", "seconds", "rows/s", "ratio"
    );
    println!(
        "{:<52} {:>8.3} {:>12.0} {:>6}",
        "polars CSV read (typed columns)",
        polars,
        rows as f64 / polars,
        "1.00"
    );
    println!(
        "{:<52} {:>8.3} {:>12.0} {:>6.2}",
        "offsheet read + detect + auto-map + canonical tables",
        mapped,
        rows as f64 / mapped,
        mapped / polars
    );
}
