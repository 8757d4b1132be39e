//! What a set of paths holds: every readable file with each sheet's table layout
//! and hazards, the files that could not be read (each with its diagnostic), and
//! the files passed over. Files are read in parallel; results keep walk order.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::progress::Progress;
use crate::source::hazards::{self, Hazard};
use crate::source::layout::{self, Layout};
use crate::source::walk::{self, Skipped};
use crate::source::{ReadError, ReadOptions, Sheet, SourceFile, read_file};

/// One sheet's table and hazards, beside the sheet in [`ReadFile::source`].
#[derive(Debug, Clone)]
pub struct SheetTable {
    pub layout: Layout,
    pub hazards: Vec<Hazard>,
}

#[derive(Debug, Clone)]
pub struct ReadFile {
    pub source: SourceFile,
    /// One per sheet of `source`, in the same order.
    pub tables: Vec<SheetTable>,
}

#[derive(Debug, Default)]
pub struct Inventory {
    pub files: Vec<ReadFile>,
    pub errors: Vec<ReadError>,
    pub skipped: Vec<Skipped>,
}

/// Reads every spreadsheet under `paths`.
pub fn read_all(paths: &[PathBuf], opts: ReadOptions, quiet: bool) -> Inventory {
    let walked = walk::walk(paths);
    let mut errors: Vec<ReadError> = walked
        .errors
        .into_iter()
        .map(|e| ReadError::Io {
            file: e.path,
            reason: e.reason,
        })
        .collect();
    let progress = Progress::new(walked.files.len() as u64, "reading", quiet);
    // Every file may split into chunks: they share the one thread pool, so a
    // large file read beside small ones still gets every core.
    let opts = ReadOptions {
        threads: rayon::current_num_threads(),
        ..opts
    };
    let results: Vec<Result<ReadFile, ReadError>> = walked
        .files
        .par_iter()
        .map(|c| {
            let out = read_file(&c.path, &c.display, &opts).map(analyse);
            progress.inc(&c.display);
            out
        })
        .collect();
    progress.finish();
    let mut files = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(e) => errors.push(e),
        }
    }
    Inventory {
        files,
        errors,
        skipped: walked.skipped,
    }
}

/// Detects each sheet's table, fills merged values down and lists hazards.
pub fn analyse(mut source: SourceFile) -> ReadFile {
    let mut tables = Vec::with_capacity(source.sheets.len());
    for sheet in &mut source.sheets {
        // A sheet without merged cells keeps its cells as read: its error
        // cells are counted beside the table's detection.
        let (mut layout, errors) = if sheet.merges.is_empty() {
            let sheet: &Sheet = sheet;
            let (layout, errors) =
                rayon::join(|| layout::detect(sheet), || hazards::error_cells(sheet));
            (layout, Some(errors))
        } else {
            (layout::detect(sheet), None)
        };
        if let Layout::Table(region) = &mut layout {
            layout::fill_merged(sheet, region);
        }
        let hazards = hazards::find(sheet, &layout, errors);
        tables.push(SheetTable { layout, hazards });
    }
    ReadFile { source, tables }
}
