//! `offsheet scan PATH...`: an inventory of every sheet under the paths: its
//! table (header row, data rows, columns), the entity it most likely holds, and
//! the hazards found. Unreadable files are reported and the scan goes on.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::cli::GlobalArgs;
use crate::exit::{Outcome, is_broken_pipe};
use crate::inventory::{self, Inventory, ReadFile};
use crate::report::plural;
use crate::source::hazards::Hazard;
use crate::source::layout::Layout;
use crate::source::{ReadError, ReadOptions, Visibility, encoding};

/// Inventory every workbook and CSV file under the paths.
///
/// One line per sheet: its table (header row, data rows, columns), the entity it
/// most likely holds with a confidence, and spreadsheet hazards (formulas, error
/// cells, merged cells, hidden rows/columns/sheets, numbers and dates stored as
/// text, several date formats in one column, ragged rows). Exit code 2 when any
/// file could not be read, 0 otherwise.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or folders; folders are walked recursively.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ScanFormat::Text)]
    pub format: ScanFormat,

    /// Encoding of delimited text files, such as utf-8, utf-16le or windows-1252
    /// (default: detected per file).
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    Text,
    Json,
}

pub fn run(args: ScanArgs, global: &GlobalArgs) -> miette::Result<Outcome> {
    let encoding = match &args.encoding {
        None => None,
        Some(label) => {
            Some(
                encoding::for_label(label).ok_or_else(|| ReadError::UnknownEncoding {
                    file: "--encoding".into(),
                    label: label.clone(),
                })?,
            )
        }
    };
    let started = Instant::now();
    let inv = inventory::read_all(
        &args.paths,
        ReadOptions {
            encoding,
            threads: 1,
        },
        global.quiet,
    );
    let report = ScanReport::from_inventory(&inv);
    let written = match args.format {
        ScanFormat::Text => write_text(&report),
        ScanFormat::Json => write_json(&report),
    };
    if let Err(e) = written {
        if is_broken_pipe(&e) {
            return Ok(Outcome::Clean);
        }
        return Err(miette::miette!("cannot write the output: {e}"));
    }
    for e in &inv.errors {
        eprintln!("{:?}", miette::Report::new(e.clone()));
    }
    if !global.quiet && args.format == ScanFormat::Text {
        eprintln!("{}", summary_line(&report, started.elapsed().as_secs_f64()));
    }
    Ok(if inv.errors.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Error
    })
}

/// The scan as data: what `--format json` prints (schema in docs/scan.md).
#[derive(Debug, Serialize)]
pub struct ScanReport {
    pub version: u32,
    pub tool: Tool,
    pub files: Vec<FileEntry>,
    pub errors: Vec<ErrorEntry>,
    pub skipped: Vec<crate::source::walk::Skipped>,
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Tool {
    pub fn this() -> Tool {
        Tool {
            name: "offsheet",
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct FileEntry {
    pub file: String,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<crate::source::TextFormat>,
    pub sheets: Vec<SheetEntry>,
}

#[derive(Debug, Serialize)]
pub struct SheetEntry {
    /// `null` for CSV files.
    pub sheet: Option<String>,
    pub visibility: Visibility,
    pub table: Option<TableEntry>,
    /// The entities the table most likely holds, best first (a tracker row can be
    /// an order and an order line at once); empty when none fits.
    pub entities: Vec<EntityGuess>,
    /// Why the sheet holds no table, when it holds none.
    pub no_table: Option<String>,
    pub hazards: Vec<Hazard>,
    /// Hazard checks the file format does not allow.
    pub unchecked: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct TableEntry {
    /// 1-based row as Excel or a text editor shows it.
    pub header_row: u32,
    pub data_rows: usize,
    /// First and last data row (1-based), when there are any.
    pub first_row: Option<u32>,
    pub last_row: Option<u32>,
    pub columns: Vec<ColumnEntry>,
    pub totals_rows: Vec<u32>,
    pub blank_rows: usize,
    pub notes_below: Vec<u32>,
    pub title_rows: Vec<u32>,
    /// Merged areas whose value was filled down over data rows.
    pub filled_merges: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct EntityGuess {
    pub entity: &'static str,
    /// 0 to 1, rounded to two places.
    pub confidence: f64,
}

#[derive(Debug, Serialize)]
pub struct ColumnEntry {
    pub column: String,
    pub header: String,
}

#[derive(Debug, Serialize)]
pub struct ErrorEntry {
    pub file: String,
    pub kind: &'static str,
    pub message: String,
}

impl ScanReport {
    pub fn from_inventory(inv: &Inventory) -> ScanReport {
        ScanReport {
            version: 1,
            tool: Tool::this(),
            files: inv.files.iter().map(file_entry).collect(),
            errors: inv
                .errors
                .iter()
                .map(|e| ErrorEntry {
                    file: e.file().to_string(),
                    kind: e.kind(),
                    message: e.to_string(),
                })
                .collect(),
            skipped: inv.skipped.clone(),
        }
    }
}

fn file_entry(f: &ReadFile) -> FileEntry {
    let sheets = f
        .source
        .sheets
        .iter()
        .zip(&f.tables)
        .map(|(sheet, t)| {
            let entities = match &t.layout {
                Layout::Table(region) => crate::mapping::region::guess(sheet, region)
                    .into_iter()
                    .map(|m| EntityGuess {
                        entity: m.entity.name(),
                        confidence: (f64::from(m.confidence) * 100.0).round() / 100.0,
                    })
                    .collect(),
                Layout::NoTable { .. } => Vec::new(),
            };
            let (table, no_table) = match &t.layout {
                Layout::Table(region) => {
                    let row = |r: u32| sheet.display_row(r as usize);
                    (
                        Some(TableEntry {
                            header_row: sheet.display_row(region.header_row),
                            data_rows: region.data_rows.len(),
                            first_row: region.data_rows.first().map(|&r| row(r)),
                            last_row: region.data_rows.last().map(|&r| row(r)),
                            columns: region
                                .columns
                                .iter()
                                .map(|c| ColumnEntry {
                                    column: crate::source::a1::column_letter(c.col),
                                    header: c.header.clone(),
                                })
                                .collect(),
                            totals_rows: region.totals_rows.iter().map(|&r| row(r)).collect(),
                            blank_rows: region.blank_rows.len(),
                            notes_below: region.notes_below.iter().map(|&r| row(r)).collect(),
                            title_rows: region
                                .title_rows
                                .iter()
                                .map(|&r| sheet.display_row(r))
                                .collect(),
                            filled_merges: region.fills.iter().map(|f| f.merge.a1()).collect(),
                        }),
                        None,
                    )
                }
                Layout::NoTable { reason } => (None, Some(reason.clone())),
            };
            SheetEntry {
                sheet: sheet.name.clone(),
                visibility: sheet.visibility,
                table,
                entities,
                no_table,
                hazards: t.hazards.clone(),
                unchecked: sheet.unchecked.clone(),
            }
        })
        .collect();
    FileEntry {
        file: f.source.display.clone(),
        kind: f.source.kind.name(),
        text: f.source.text.clone(),
        sheets,
    }
}

fn write_json(report: &ScanReport) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, report)?;
    writeln!(out)
}

/// One line per sheet, in aligned columns.
fn write_text(report: &ScanReport) -> std::io::Result<()> {
    let mut rows: Vec<[String; 6]> = Vec::new();
    rows.push([
        "FILE › SHEET".into(),
        "HEADER".into(),
        "ROWS".into(),
        "COLS".into(),
        "ENTITY".into(),
        "HAZARDS".into(),
    ]);
    for f in &report.files {
        for s in &f.sheets {
            let place = match &s.sheet {
                Some(name) => format!("{} › {}", f.file, name),
                None => f.file.clone(),
            };
            let hazards = hazard_text(&s.hazards);
            match (&s.table, &s.no_table) {
                (Some(t), _) => rows.push([
                    place,
                    format!("row {}", t.header_row),
                    t.data_rows.to_string(),
                    t.columns.len().to_string(),
                    entity_text(&s.entities),
                    hazards,
                ]),
                (None, reason) => rows.push([
                    place,
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    format!(
                        "no table: {}{}",
                        reason.as_deref().unwrap_or("none found"),
                        if hazards == "-" {
                            String::new()
                        } else {
                            format!("; {hazards}")
                        }
                    ),
                ]),
            }
        }
    }
    let widths: Vec<usize> = (0..5)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = std::io::stdout().lock();
    for r in &rows {
        let pad = |s: &str, w: usize| " ".repeat(w.saturating_sub(s.chars().count()));
        writeln!(
            out,
            "{}{}  {}{}  {}{}  {}{}  {}{}  {}",
            r[0],
            pad(&r[0], widths[0]),
            r[1],
            pad(&r[1], widths[1]),
            pad(&r[2], widths[2]),
            r[2],
            pad(&r[3], widths[3]),
            r[3],
            r[4],
            pad(&r[4], widths[4]),
            r[5]
        )?;
    }
    Ok(())
}

fn entity_text(entities: &[EntityGuess]) -> String {
    if entities.is_empty() {
        return "none".into();
    }
    entities
        .iter()
        .map(|e| format!("{} {:.2}", e.entity, e.confidence))
        .collect::<Vec<_>>()
        .join(" + ")
}

fn hazard_text(hazards: &[Hazard]) -> String {
    if hazards.is_empty() {
        return "-".into();
    }
    hazards
        .iter()
        .map(|h| match h.kind {
            crate::source::hazards::HazardKind::HiddenSheet => h
                .detail
                .clone()
                .map(|d| format!("{d} sheet"))
                .unwrap_or_else(|| "hidden sheet".into()),
            k => format!("{} {}", h.count, k.noun(h.count)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn summary_line(report: &ScanReport, secs: f64) -> String {
    let sheets: usize = report.files.iter().map(|f| f.sheets.len()).sum();
    let mut line = format!(
        "{} ({}) read in {secs:.2}s",
        plural(report.files.len(), "file", "files"),
        plural(sheets, "sheet", "sheets"),
    );
    if !report.skipped.is_empty() {
        let mut reasons: Vec<_> = report.skipped.iter().map(|s| s.reason).collect();
        reasons.sort();
        let parts: Vec<String> = reasons
            .chunk_by(|a, b| a == b)
            .map(|g| format!("{} {}", g.len(), g[0].describe()))
            .collect();
        line.push_str(&format!(
            "; {} skipped ({})",
            report.skipped.len(),
            parts.join(", ")
        ));
    }
    if !report.errors.is_empty() {
        line.push_str(&format!("; {} unreadable", report.errors.len()));
    }
    line
}
