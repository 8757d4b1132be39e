//! Reading speed (`cargo bench --bench read`): a 1,000,000-row CSV and a
//! 200,000-row XLSX (ten columns each), read by offsheet and, in the same run,
//! by polars' plain CSV reader and calamine's plain cell-by-cell reader.
//! Prints the best of five runs of each and the ratios. `--rows-csv N` and
//! `--rows-xlsx N` change the sizes.

mod data;

use std::hint::black_box;

use calamine::{Data, Reader, Xlsx, open_workbook};

use offsheet::inventory::analyse;
use offsheet::source::{ReadOptions, read_file};

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let rows_csv = arg("--rows-csv", 1_000_000);
    let rows_xlsx = arg("--rows-xlsx", 200_000);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let opts = ReadOptions {
        encoding: None,
        threads,
    };

    let csv = data::csv(rows_csv);
    let xlsx = data::xlsx(rows_xlsx);
    println!(
        "CSV  {} rows, {:.1} MiB; XLSX {} rows, {:.1} MiB; {threads} threads",
        rows_csv,
        data::size_mib(&csv),
        rows_xlsx,
        data::size_mib(&xlsx)
    );

    let polars_csv = data::polars_read(&csv, 5);
    let ours_csv = data::best_of(5, || {
        let f = read_file(&csv, "lines.csv", &opts).expect("offsheet read");
        black_box(f.sheets[0].grid.rows());
    });
    let ours_csv_tables = data::best_of(5, || {
        let f = read_file(&csv, "lines.csv", &opts).expect("offsheet read");
        black_box(analyse(f).tables.len());
    });

    let calamine_xlsx = data::best_of(5, || {
        let mut wb: Xlsx<_> = open_workbook(&xlsx).expect("calamine open");
        let range = wb.worksheet_range("Lines").expect("calamine read");
        let mut n = 0usize;
        for c in range.used_cells() {
            if !matches!(c.2, Data::Empty) {
                n += 1;
            }
        }
        black_box(n);
    });
    let ours_xlsx = data::best_of(5, || {
        let f = read_file(&xlsx, "lines.xlsx", &opts).expect("offsheet read");
        black_box(f.sheets[0].grid.rows());
    });
    let ours_xlsx_tables = data::best_of(5, || {
        let f = read_file(&xlsx, "lines.xlsx", &opts).expect("offsheet read");
        black_box(analyse(f).tables.len());
    });

    println!("{:<44} {:>8} {:>8}", "", "seconds", "ratio");
    println!(
        "{:<44} {:>8.3} {:>8}",
        "polars CSV read (typed columns)", polars_csv, "1.00"
    );
    println!(
        "{:<44} {:>8.3} {:>8.2}",
        "offsheet CSV read (cells + provenance)",
        ours_csv,
        ours_csv / polars_csv
    );
    println!(
        "{:<44} {:>8.3} {:>8.2}",
        "offsheet CSV read + table detection, hazards",
        ours_csv_tables,
        ours_csv_tables / polars_csv
    );
    println!(
        "{:<44} {:>8.3} {:>8}",
        "calamine XLSX read (cell by cell)", calamine_xlsx, "1.00"
    );
    println!(
        "{:<44} {:>8.3} {:>8.2}",
        "offsheet XLSX read (cells, formulas, hidden)",
        ours_xlsx,
        ours_xlsx / calamine_xlsx
    );
    println!(
        "{:<44} {:>8.3} {:>8.2}",
        "offsheet XLSX read + table detection, hazards",
        ours_xlsx_tables,
        ours_xlsx_tables / calamine_xlsx
    );
}
