//! Audit speed and memory (`cargo bench --bench audit`): generates 1,000,000
//! order lines and 20,000 inventory rows with planted breaks, runs the release
//! `offsheet audit` as a whole process, and in the same run times polars' plain
//! read of the same CSV. Checks that every planted break is found, and prints
//! the time ratio and the peak memory against the input size. Then times
//! `offsheet ingest` of the same folder to Parquet, with its own peak memory.

mod data;

use std::collections::BTreeSet;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const LINES: usize = 1_000_000;
const SKUS: usize = 20_000;

/// (category, file, cell) of each planted break.
type Planted = BTreeSet<(String, String, String)>;

fn generate(dir: &Path) -> Planted {
    std::fs::create_dir_all(dir).expect("folder");
    let mut planted = Planted::new();
    let mut rng = data::Rng::new(7);
    let mut inv =
        BufWriter::new(std::fs::File::create(dir.join("inventory.csv")).expect("inventory"));
    writeln!(inv, "SKU,Location,On Hand,Allocated").expect("write");
    for i in 0..SKUS {
        let line = i + 2;
        let (on_hand, allocated) = match i % 2_000 {
            7 => {
                planted.insert((
                    "negative_stock".into(),
                    "inventory.csv".into(),
                    format!("C{line}"),
                ));
                (-3i64, 0i64)
            }
            13 => {
                planted.insert((
                    "oversold".into(),
                    "inventory.csv".into(),
                    format!("D{line}"),
                ));
                (5, 9)
            }
            _ => {
                let on = 20 + rng.below(500) as i64;
                (on, rng.below(20) as i64)
            }
        };
        writeln!(inv, "SKU-{i:05},MAIN,{on_hand},{allocated}").expect("write");
    }
    inv.flush().expect("flush");
    let mut w = BufWriter::new(std::fs::File::create(dir.join("order_lines.csv")).expect("lines"));
    writeln!(w, "Order ID,Line,SKU,Qty,Unit Price,Discount,Line Total").expect("write");
    for i in 0..LINES {
        let line = i + 2;
        let order = i / 4;
        let line_no = i % 4 + 1;
        let mut sku = format!("SKU-{:05}", rng.below(SKUS as u64));
        let qty = 1 + rng.below(5);
        let cents = 199 + rng.below(20_000);
        let mut total = qty * cents;
        let mut qty_text = qty.to_string();
        match i % 100_000 {
            11 => {
                total += 500;
                planted.insert((
                    "arithmetic_mismatch".into(),
                    "order_lines.csv".into(),
                    format!("G{line}"),
                ));
            }
            23 => {
                sku = format!("XXX-{i}");
                planted.insert((
                    "orphan_reference".into(),
                    "order_lines.csv".into(),
                    format!("C{line}"),
                ));
            }
            37 => {
                qty_text = "ten".into();
                planted.insert((
                    "invalid_type".into(),
                    "order_lines.csv".into(),
                    format!("D{line}"),
                ));
            }
            _ => {}
        }
        writeln!(
            w,
            "SO-{order:07},{line_no},{sku},{qty_text},{}.{:02},0.00,{}.{:02}",
            cents / 100,
            cents % 100,
            total / 100,
            total % 100
        )
        .expect("write");
        // A line entered twice: the repeat is the finding.
        if i % 100_000 == 51 {
            writeln!(
                w,
                "SO-{order:07},{line_no},{sku},{qty_text},{}.{:02},0.00,{}.{:02}",
                cents / 100,
                cents % 100,
                total / 100,
                total % 100
            )
            .expect("write");
        }
    }
    w.flush().expect("flush");
    planted
}

/// Rows shifted by the duplicated lines: recompute planted cells after them.
fn shift_for_duplicates(planted: Planted) -> Planted {
    let dup_rows: Vec<usize> = (0..LINES)
        .filter(|i| i % 100_000 == 51)
        .map(|i| i + 2)
        .collect();
    let mut out = Planted::new();
    for (cat, file, cell) in planted {
        if file != "order_lines.csv" {
            out.insert((cat, file, cell));
            continue;
        }
        let split = cell.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
        let (col, row) = cell.split_at(split);
        let row: usize = row.parse().unwrap_or(0);
        let shifted = row + dup_rows.iter().filter(|&&d| d < row).count();
        out.insert((cat, file, format!("{col}{shifted}")));
    }
    for (n, d) in dup_rows.iter().enumerate() {
        out.insert((
            "duplicate_key".into(),
            "order_lines.csv".into(),
            format!("A{}", d + n + 1),
        ));
    }
    out
}

/// Runs `cmd` to its end; its wall time and its own peak resident memory (KiB),
/// from `wait4` on that one child.
#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which also gives its own rusage"
)]
fn run_measured(cmd: &mut Command) -> (f64, i64) {
    let t = Instant::now();
    let child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run offsheet");
    // SAFETY: wait4 only writes into the status and the struct it is given,
    // for a child this process started and has not waited for.
    let peak = unsafe {
        let mut status = 0;
        let mut r: libc::rusage = std::mem::zeroed();
        libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut r);
        r.ru_maxrss
    };
    (t.elapsed().as_secs_f64(), peak)
}

fn peak_rss_kib_of_children() -> i64 {
    // SAFETY: getrusage only writes into the struct it is given.
    unsafe {
        let mut r: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut r);
        r.ru_maxrss
    }
}

fn main() {
    let dir: PathBuf = data::dir().join("audit_1m");
    // The list of planted breaks lives beside the audited folder, not in it:
    // the audit reads every file of its folder.
    let planted_path = data::dir().join("audit_1m.planted.txt");
    let _ = std::fs::remove_file(dir.join("planted.txt"));
    let planted = if planted_path.exists() && dir.join("order_lines.csv").exists() {
        std::fs::read_to_string(&planted_path)
            .expect("planted")
            .lines()
            .filter_map(|l| {
                let mut p = l.splitn(3, '\t');
                Some((
                    p.next()?.to_string(),
                    p.next()?.to_string(),
                    p.next()?.to_string(),
                ))
            })
            .collect()
    } else {
        let p = shift_for_duplicates(generate(&dir));
        let text: String = p
            .iter()
            .map(|(a, b, c)| format!("{a}\t{b}\t{c}\n"))
            .collect();
        std::fs::write(&planted_path, text).expect("planted");
        p
    };
    let input_bytes: u64 = ["order_lines.csv", "inventory.csv"]
        .iter()
        .map(|f| std::fs::metadata(dir.join(f)).map(|m| m.len()).unwrap_or(0))
        .sum();
    let bin = std::env::var("OFFSHEET_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/offsheet")
        });
    // offsheet runs before polars reads in this process: the kernel counts a
    // child's peak memory from the address space it was started from too (a
    // spawned child shares its parent's until exec, which records that one's
    // peak), so a child started after the read would report at least this
    // process's peak from the read.
    let mut best = f64::INFINITY;
    let mut out = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let o = Command::new(&bin)
            .args(["audit", "--quiet", "--format", "json"])
            .arg(&dir)
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "run {}: {e} (build it with cargo build --release)",
                    bin.display()
                )
            });
        best = best.min(t.elapsed().as_secs_f64());
        out = o.stdout;
    }
    let peak_kib = peak_rss_kib_of_children();
    let (ingest, ingest_peak) = time_ingest(&bin, &dir);
    let lines_csv = dir.join("order_lines.csv");
    let polars = data::polars_read(&lines_csv, 3);
    let json: serde_json::Value = serde_json::from_slice(&out).expect("audit JSON");
    let found: Planted = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["category"].as_str().unwrap_or("").to_string(),
                f["location"]["file"].as_str().unwrap_or("").to_string(),
                f["location"]["cell"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let missing: Vec<_> = planted.difference(&found).collect();
    let extra: Vec<_> = found.difference(&planted).collect();
    println!(
        "input {:.1} MiB ({} order lines + {} inventory rows), {} planted breaks",
        input_bytes as f64 / (1 << 20) as f64,
        LINES,
        SKUS,
        planted.len()
    );
    println!("{:<40} {:>8} {:>6}", "", "seconds", "ratio");
    println!(
        "{:<40} {:>8.3} {:>6}",
        "polars read of order_lines.csv", polars, "1.00"
    );
    println!(
        "{:<40} {:>8.3} {:>6.2}",
        "offsheet audit (whole process, JSON)",
        best,
        best / polars
    );
    println!(
        "peak memory of offsheet audit: {:.0} MiB = {:.2}× the input",
        peak_kib as f64 / 1024.0,
        peak_kib as f64 * 1024.0 / input_bytes as f64
    );
    println!(
        "planted breaks found: {}/{}; missing {}; unplanted findings {}",
        planted.len() - missing.len(),
        planted.len(),
        missing.len(),
        extra.len()
    );
    for m in missing.iter().take(10) {
        println!("  missing {m:?}");
    }
    for e in extra.iter().take(10) {
        println!("  extra {e:?}");
    }
    println!(
        "offsheet ingest to Parquet (whole process): {ingest:.3} s, peak memory {:.0} MiB",
        ingest_peak as f64 / 1024.0
    );
}

/// `offsheet ingest` of `dir` to Parquet, best time of 3 and its peak memory (KiB).
fn time_ingest(bin: &Path, dir: &Path) -> (f64, i64) {
    let out = std::env::temp_dir().join("offsheet-bench-ingest");
    let (mut ingest, mut ingest_peak) = (f64::INFINITY, 0);
    for _ in 0..3 {
        let _ = std::fs::remove_dir_all(&out);
        let (secs, peak) = run_measured(
            Command::new(bin)
                .args(["ingest", "--quiet"])
                .arg(dir)
                .arg("--out")
                .arg(&out),
        );
        ingest = ingest.min(secs);
        ingest_peak = ingest_peak.max(peak);
    }
    let _ = std::fs::remove_dir_all(&out);
    (ingest, ingest_peak)
}
