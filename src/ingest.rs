//! What `offsheet ingest` writes: each canonical table with its provenance
//! columns (`source_file`, `source_sheet`, `source_row`), the row's unmapped
//! columns (`extra`), and a `rejects` table with one row per rejected source row
//! and every reason it was rejected; as Parquet, CSV, or one XLSX workbook.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::model::canonical::{Canonical, Reject, decimal_column, is_money};

/// A marker file in an output folder: folder walks skip such folders, so an
/// ingest written inside the audited folder is never read back as a source.
pub const OUTPUT_MARKER: &str = ".offsheet-output";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    Parquet,
    Csv,
    Xlsx,
}

/// The frames to write, in output order: every entity a source fed, then
/// rejects. The tables are moved out of `c`: each money column is dropped as
/// its Decimal form is made, so a large table is not held twice.
pub fn output_frames(c: &mut Canonical) -> PolarsResult<Vec<(String, DataFrame)>> {
    let tables = std::mem::take(&mut c.tables);
    let mut out = Vec::new();
    for (entity, df) in tables {
        out.push((entity.name().to_string(), with_provenance(c, df)?));
    }
    out.push(("rejects".to_string(), rejects(c)?));
    Ok(out)
}

/// The `source_file` and `source_sheet` columns of rows from sources `ids`
/// (`n` rows), each text appended from its source: no string per row.
fn source_columns(c: &Canonical, ids: impl Iterator<Item = u32>, n: usize) -> [Column; 2] {
    let mut files = StringChunkedBuilder::new("source_file".into(), n);
    let mut sheets = StringChunkedBuilder::new("source_sheet".into(), n);
    for id in ids {
        match c.source(id) {
            Some(s) => {
                files.append_value(&s.file);
                sheets.append_option(s.sheet.as_deref());
            }
            None => {
                files.append_value("");
                sheets.append_null();
            }
        }
    }
    [files, sheets].map(|b| b.finish().into_column())
}

fn with_provenance(c: &Canonical, df: DataFrame) -> PolarsResult<DataFrame> {
    let sources = df.column("_source")?;
    // A frame of one source holds it as a constant: so do its provenance columns.
    let [file, sheet] = match sources.as_scalar_column() {
        Some(one) => {
            let source = one
                .scalar()
                .value()
                .extract::<u32>()
                .and_then(|id| c.source(id));
            let text = |name: &str, value: Option<&str>| {
                let value = value.map_or(AnyValue::Null, |v| AnyValue::StringOwned(v.into()));
                Column::new_scalar(
                    name.into(),
                    Scalar::new(DataType::String, value),
                    df.height(),
                )
            };
            [
                text("source_file", Some(source.map_or("", |s| s.file.as_str()))),
                text("source_sheet", source.and_then(|s| s.sheet.as_deref())),
            ]
        }
        None => source_columns(c, sources.u32()?.into_no_null_iter(), df.height()),
    };
    let mut cols = vec![
        file,
        sheet,
        df.column("_row")?.clone().with_name("source_row".into()),
    ];
    let (height, extra) = (df.height(), df.column("_extra")?.clone());
    for col in df.into_columns() {
        let name = col.name().as_str();
        if is_money(name) {
            // Written as polars' Decimal(38, 6), as SPEC's decimal type says.
            cols.push(decimal_column(&col)?);
        } else if !name.starts_with('_') {
            cols.push(col);
        }
    }
    cols.push(extra.with_name("extra".into()));
    DataFrame::new(height, cols)
}

fn rejects(c: &Canonical) -> PolarsResult<DataFrame> {
    let rs: &[Reject] = &c.rejects;
    let [files, sheets] = source_columns(c, rs.iter().map(|r| r.source), rs.len());
    let entity: Vec<&str> = rs
        .iter()
        .map(|r| c.source(r.source).map_or("", |s| s.entity.name()))
        .collect();
    let join = |f: &dyn Fn(&crate::model::canonical::RejectReason) -> String| -> Vec<String> {
        rs.iter()
            .map(|r| r.reasons.iter().map(f).collect::<Vec<_>>().join("; "))
            .collect()
    };
    let cells: Vec<String> = rs
        .iter()
        .map(|r| {
            r.reasons
                .iter()
                .map(|x| {
                    x.column
                        .as_ref()
                        .map(|c| format!("{c}{}", r.row))
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
        .collect();
    let cols = vec![
        files,
        sheets,
        Column::new(
            "source_row".into(),
            rs.iter().map(|r| r.row).collect::<Vec<u32>>(),
        ),
        Column::new("entity".into(), entity),
        Column::new(
            "key".into(),
            rs.iter().map(|r| r.key.clone()).collect::<Vec<_>>(),
        ),
        Column::new("fields".into(), join(&|x| x.field.to_string())),
        Column::new("cells".into(), cells),
        Column::new("values".into(), join(&|x| x.value.clone())),
        Column::new(
            "reasons".into(),
            join(&|x| format!("{}: {}", x.field, x.reason)),
        ),
        Column::new(
            "categories".into(),
            join(&|x| x.category.name().to_string()),
        ),
    ];
    DataFrame::new(rs.len(), cols)
}

/// Writes the frames into `dir` (created if needed), each file atomically.
/// Returns the files written.
pub fn write(
    dir: &Path,
    format: TableFormat,
    frames: &mut [(String, DataFrame)],
) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    crate::atomic::write(
        &dir.join(OUTPUT_MARKER),
        b"written by offsheet ingest; folders holding this file are not read as sources\n",
    )
    .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
    let mut written = Vec::new();
    match format {
        TableFormat::Parquet | TableFormat::Csv => {
            let ext = if format == TableFormat::Parquet {
                "parquet"
            } else {
                "csv"
            };
            for (name, df) in frames.iter_mut() {
                let path = dir.join(format!("{name}.{ext}"));
                crate::atomic::write_with(&path, |f| {
                    let res = if format == TableFormat::Parquet {
                        ParquetWriter::new(&mut *f).finish(df).map(|_| ())
                    } else {
                        CsvWriter::new(&mut *f).include_header(true).finish(df)
                    };
                    res.map_err(std::io::Error::other)
                })
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                written.push(path);
            }
        }
        TableFormat::Xlsx => {
            let path = dir.join("canonical.xlsx");
            let bytes = crate::report::xlsx_tables::workbook(frames)?;
            crate::atomic::write(&path, &bytes)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            written.push(path);
        }
    }
    Ok(written)
}
