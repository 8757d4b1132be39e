//! Generated bench data: order lines as a CSV and as an XLSX workbook, the same
//! ten columns, from a fixed seed, cached under target/bench-data. Each bench
//! uses part of this module.
#![allow(dead_code)]

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub const HEADER: [&str; 10] = [
    "Order ID",
    "Order Date",
    "Customer Email",
    "SKU",
    "Description",
    "Qty",
    "Unit Price",
    "Discount",
    "Line Total",
    "Status",
];

const STATUSES: [&str; 6] = [
    "placed",
    "paid",
    "packed",
    "shipped",
    "delivered",
    "cancelled",
];
const WORDS: [&str; 8] = [
    "tent", "stove", "lamp", "mug", "pack", "jacket", "boots", "mat",
];

/// splitmix64: small, fast, the same numbers everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One row of the ten columns as text.
pub fn row(i: usize, rng: &mut Rng) -> [String; 10] {
    let order = i / 3;
    let qty = 1 + rng.below(5);
    let price_cents = 199 + rng.below(30_000);
    let discount_cents = if rng.below(10) == 0 { 100 } else { 0 };
    let total = qty * price_cents - discount_cents;
    let day = 1 + (order % 28);
    let month = 1 + (order / 28) % 12;
    [
        format!("SO-{:07}", order),
        format!("2026-{month:02}-{day:02}"),
        // Order-level fields are the same on every line of an order, as in a
        // real export (so the rows of an order agree).
        format!("customer{}@example.com", (order * 7_919) % 50_000),
        format!("SKU-{:05}", rng.below(20_000)),
        format!("{} {}", WORDS[rng.below(8) as usize], rng.below(100)),
        qty.to_string(),
        format!("{}.{:02}", price_cents / 100, price_cents % 100),
        format!("{}.{:02}", discount_cents / 100, discount_cents % 100),
        format!("{}.{:02}", total / 100, total % 100),
        STATUSES[order % STATUSES.len()].to_string(),
    ]
}

pub fn dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let d = target.join("bench-data");
    std::fs::create_dir_all(&d).expect("bench data folder");
    d
}

/// `lines_<rows>.csv`, written once.
pub fn csv(rows: usize) -> PathBuf {
    let path = dir().join(format!("lines_{rows}.csv"));
    if path.exists() {
        return path;
    }
    let tmp = path.with_extension("tmp");
    let mut w = BufWriter::new(std::fs::File::create(&tmp).expect("create csv"));
    writeln!(w, "{}", HEADER.join(",")).expect("write");
    let mut rng = Rng::new(42);
    for i in 0..rows {
        writeln!(w, "{}", row(i, &mut rng).join(",")).expect("write");
    }
    w.flush().expect("flush");
    drop(w);
    std::fs::rename(&tmp, &path).expect("rename");
    path
}

/// `lines_<rows>.xlsx`: numbers as numbers, dates as date cells, written once.
pub fn xlsx(rows: usize) -> PathBuf {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let path = dir().join(format!("lines_{rows}.xlsx"));
    if path.exists() {
        return path;
    }
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    ws.set_name("Lines").expect("name");
    for (c, h) in HEADER.iter().enumerate() {
        ws.write(0, c as u16, *h).expect("header");
    }
    let mut rng = Rng::new(42);
    for i in 0..rows {
        let r = row(i, &mut rng);
        let x = i as u32 + 1;
        for (c, v) in r.iter().enumerate() {
            let c = c as u16;
            match c {
                1 => {
                    let d = ExcelDateTime::parse_from_str(v).expect("date");
                    ws.write_datetime_with_format(x, c, d, &date)
                        .expect("date cell");
                }
                5..=8 => {
                    ws.write(x, c, v.parse::<f64>().expect("number"))
                        .expect("number cell");
                }
                _ => {
                    ws.write(x, c, v.as_str()).expect("text cell");
                }
            }
        }
    }
    let tmp = path.with_extension("tmp.xlsx");
    wb.save(&tmp).expect("save xlsx");
    std::fs::rename(&tmp, &path).expect("rename");
    path
}

/// The best of `runs` wall-clock times, in seconds.
pub fn best_of(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let t = std::time::Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// The baseline every bench compares with: polars' plain read of a CSV file
/// (header row, types inferred), best time of `runs`, in seconds.
pub fn polars_read(csv: &Path, runs: usize) -> f64 {
    use polars::prelude::*;
    best_of(runs, || {
        let df = CsvReadOptions::default()
            .with_has_header(true)
            .try_into_reader_with_file_path(Some(csv.to_path_buf()))
            .and_then(|r| r.finish())
            .expect("polars read");
        std::hint::black_box(df.height());
    })
}

pub fn size_mib(p: &Path) -> f64 {
    std::fs::metadata(p)
        .map(|m| m.len() as f64 / (1 << 20) as f64)
        .unwrap_or(0.0)
}
