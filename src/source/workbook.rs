//! Workbooks through calamine: every sheet (hidden ones too), every cell kind
//! (numbers, text, booleans, dates where the number format says so, Excel error
//! values), formulas, merged areas and hidden rows and columns.

use std::io::Cursor;

use calamine::{
    Data, DataRef, Dimensions, Ods, Range, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx,
};

use super::grid::{CellErrorKind, CellRef, ColumnTooLarge, Grid, GridBuilder};
use super::xml_extras;
use super::{FileKind, FormulaCell, Merge, ReadError, Sheet, Visibility};

/// Days between the 1900 and the 1904 date systems' day zero.
const DAYS_1904: f64 = 1462.0;

/// Reads every sheet of a workbook held in memory.
pub fn read_workbook(bytes: &[u8], kind: FileKind, file: &str) -> Result<Vec<Sheet>, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty { file: file.into() });
    }
    let is_cfb = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if is_cfb && kind != FileKind::Xls && looks_encrypted(bytes) {
        return Err(ReadError::Encrypted { file: file.into() });
    }
    if bytes.starts_with(b"PK") {
        xml_extras::check_zip_bounds(bytes).map_err(|reason| ReadError::TooLarge {
            file: file.into(),
            reason,
        })?;
    }
    // Trust the content over the name: a .xls that is really a zip is an xlsx.
    let kind = match (kind, is_cfb, bytes.starts_with(b"PK")) {
        (FileKind::Xls, false, true) => FileKind::Xlsx,
        (FileKind::Xlsx | FileKind::Xlsm, true, false) => FileKind::Xls,
        (k, _, _) => k,
    };
    let corrupt = |reason: String| ReadError::Corrupt {
        file: file.into(),
        expected: kind.name(),
        reason,
    };
    let too_large = |_: ColumnTooLarge| ReadError::TooLarge {
        file: file.into(),
        reason: "a column holds more than 4 GiB of text".into(),
    };
    match kind {
        FileKind::Xlsx | FileKind::Xlsm => {
            let mut wb =
                Xlsx::new(Cursor::new(bytes)).map_err(|e| classify(e.to_string(), file, kind))?;
            read_xlsx(&mut wb, bytes, corrupt, too_large)
        }
        FileKind::Xlsb => {
            let mut wb =
                Xlsb::new(Cursor::new(bytes)).map_err(|e| classify(e.to_string(), file, kind))?;
            let is_1904 = wb.has_1904_epoch();
            read_ranges(
                &mut wb,
                is_1904,
                corrupt,
                too_large,
                |_, _| None,
                |s| {
                    s.unchecked = vec!["merged_cells", "hidden_rows", "hidden_columns"];
                },
            )
        }
        FileKind::Xls => {
            let mut wb = Xls::new(Cursor::new(bytes)).map_err(|e| match has_filepass(bytes) {
                true => ReadError::Encrypted { file: file.into() },
                false => classify(e.to_string(), file, kind),
            })?;
            let is_1904 = wb.has_1904_epoch();
            let merges: Vec<(String, Vec<Dimensions>)> = wb
                .sheet_names()
                .into_iter()
                .map(|n| {
                    let m = wb.merge_cells_by_sheet_name(&n).unwrap_or_default();
                    (n, m)
                })
                .collect();
            read_ranges(
                &mut wb,
                is_1904,
                corrupt,
                too_large,
                |name, _| {
                    merges
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, m)| m.iter().map(merge_of).collect())
                },
                |s| s.unchecked = vec!["hidden_rows", "hidden_columns"],
            )
        }
        FileKind::Ods => {
            let mut wb =
                Ods::new(Cursor::new(bytes)).map_err(|e| classify(e.to_string(), file, kind))?;
            let extras = xml_extras::ods_extras(bytes).unwrap_or_default();
            let mut sheets = read_ranges(&mut wb, false, corrupt, too_large, |_, _| None, |_| {})?;
            for sheet in &mut sheets {
                if let Some(x) = extras.iter().find(|x| Some(&x.name) == sheet.name.as_ref()) {
                    sheet.merges = x.merges.clone();
                    sheet.hidden_rows = x.hidden_rows.clone();
                    sheet.hidden_cols = x.hidden_cols.clone();
                }
            }
            Ok(sheets)
        }
        FileKind::Csv => Err(corrupt("not a workbook".into())),
    }
}

/// Maps calamine's message to the diagnostic a person needs.
fn classify(message: String, file: &str, kind: FileKind) -> ReadError {
    let lower = message.to_ascii_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        ReadError::Encrypted { file: file.into() }
    } else {
        ReadError::Corrupt {
            file: file.into(),
            expected: kind.name(),
            reason: message,
        }
    }
}

/// Whether an `.xls` workbook is encrypted (RC4, or the older XOR
/// obfuscation, which calamine reads as garbage): its workbook stream starts
/// with a BOF record (0x0809, 8 or 16 bytes) directly followed by a FILEPASS
/// record (0x002F). Streams start on a 64-byte boundary in the container.
fn has_filepass(bytes: &[u8]) -> bool {
    bytes.chunks(64).any(|block| match block {
        [0x09, 0x08, len @ (8 | 16), 0x00, rest @ ..] => {
            rest.get(usize::from(*len)..usize::from(*len) + 2) == Some(&[0x2F, 0x00])
        }
        _ => false,
    })
}

/// An OOXML file saved with a password is an OLE container holding these streams.
fn looks_encrypted(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    memchr::memmem::find(bytes, &name).is_some()
}

fn visibility(v: SheetVisible) -> Visibility {
    match v {
        SheetVisible::Visible => Visibility::Visible,
        SheetVisible::Hidden => Visibility::Hidden,
        SheetVisible::VeryHidden => Visibility::VeryHidden,
    }
}

fn merge_of(d: &Dimensions) -> Merge {
    Merge {
        first_row: d.start.0,
        first_col: d.start.1,
        last_row: d.end.0,
        last_col: d.end.1,
    }
}

fn read_xlsx(
    wb: &mut Xlsx<Cursor<&[u8]>>,
    bytes: &[u8],
    corrupt: impl Fn(String) -> ReadError,
    too_large: impl Fn(ColumnTooLarge) -> ReadError,
) -> Result<Vec<Sheet>, ReadError> {
    let is_1904 = wb.has_1904_epoch();
    let metas = wb.sheets_metadata().to_vec();
    let paths = xml_extras::xlsx_sheet_paths(bytes).unwrap_or_default();
    let mut sheets = Vec::with_capacity(metas.len());
    for meta in metas {
        let mut builder = Grid::builder();
        let mut formulas = Vec::new();
        let hidden = std::thread::scope(|s| {
            let path = paths.get(&meta.name).cloned();
            let scan = s.spawn(move || path.and_then(|p| xml_extras::xlsx_extras(bytes, &p)));
            let cells = read_xlsx_cells(wb, &meta.name, is_1904, &mut builder, &mut formulas);
            (cells, scan.join().ok().flatten())
        });
        let (cells, hidden) = hidden;
        match cells {
            Ok(()) => {}
            Err(CellsError::NotAWorksheet) => {}
            Err(CellsError::TooLarge(e)) => return Err(too_large(e)),
            Err(CellsError::Read(msg)) => {
                return Err(corrupt(format!("sheet {:?}: {msg}", meta.name)));
            }
        }
        let mut sheet = Sheet::new(Some(meta.name.clone()), builder.finish());
        sheet.visibility = visibility(meta.visible);
        sheet.date1904 = is_1904;
        formulas.sort_by_key(|f: &FormulaCell| (f.row, f.col));
        sheet.formulas = formulas;
        // Hidden rows and columns and merged areas come from a scan of the sheet
        // part beside calamine's read; a part that cannot be scanned still has
        // readable cells, and says the checks were not made.
        match hidden {
            Some(extras) => {
                sheet.hidden_rows = extras.hidden_rows;
                sheet.hidden_cols = extras.hidden_cols;
                sheet.merges = extras.merges;
            }
            None if meta.typ == SheetType::WorkSheet => {
                sheet
                    .unchecked
                    .extend(["hidden_rows", "hidden_columns", "merged_cells"]);
            }
            None => {}
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

enum CellsError {
    NotAWorksheet,
    TooLarge(ColumnTooLarge),
    Read(String),
}

fn read_xlsx_cells(
    wb: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    is_1904: bool,
    builder: &mut GridBuilder,
    formulas: &mut Vec<FormulaCell>,
) -> Result<(), CellsError> {
    let mut reader = match wb.worksheet_cells_reader(name) {
        Ok(r) => r,
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Err(CellsError::NotAWorksheet),
        Err(e) => return Err(CellsError::Read(e.to_string())),
    };
    loop {
        let cell = match reader.next_cell_with_formula() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => return Err(CellsError::Read(e.to_string())),
        };
        let (row, col) = cell.pos;
        set_ref(builder, row, col, &cell.value, is_1904).map_err(CellsError::TooLarge)?;
        if let Some(text) = cell.formula
            && !text.is_empty()
        {
            formulas.push(FormulaCell { row, col, text });
        }
    }
    Ok(())
}

fn set_ref(
    b: &mut GridBuilder,
    row: u32,
    col: u32,
    value: &DataRef<'_>,
    is_1904: bool,
) -> Result<(), ColumnTooLarge> {
    let v = match value {
        DataRef::Empty => return Ok(()),
        DataRef::Int(i) => CellRef::Number(*i as f64),
        DataRef::Float(f) => CellRef::Number(*f),
        DataRef::String(s) => CellRef::Text(s),
        DataRef::SharedString(s) => CellRef::Text(s),
        DataRef::Bool(x) => CellRef::Bool(*x),
        DataRef::DateTime(d) => date_cell(d, is_1904),
        DataRef::DateTimeIso(s) => iso_date_cell(s),
        DataRef::DurationIso(s) => iso_duration_cell(s),
        DataRef::Error(e) => CellRef::Error(CellErrorKind::from_calamine(e)),
    };
    b.set(row, col, v)
}

fn set_data(
    b: &mut GridBuilder,
    row: u32,
    col: u32,
    value: &Data,
    is_1904: bool,
) -> Result<(), ColumnTooLarge> {
    let v = match value {
        Data::Empty => return Ok(()),
        Data::Int(i) => CellRef::Number(*i as f64),
        Data::Float(f) => CellRef::Number(*f),
        Data::String(s) => CellRef::Text(s),
        Data::Bool(x) => CellRef::Bool(*x),
        Data::DateTime(d) => date_cell(d, is_1904),
        Data::DateTimeIso(s) => iso_date_cell(s),
        Data::DurationIso(s) => iso_duration_cell(s),
        Data::Error(e) => CellRef::Error(CellErrorKind::from_calamine(e)),
    };
    b.set(row, col, v)
}

fn date_cell(d: &calamine::ExcelDateTime, is_1904: bool) -> CellRef<'static> {
    let serial = d.as_f64();
    if d.is_duration() {
        CellRef::Duration(serial)
    } else if is_1904 {
        CellRef::DateTime(serial + DAYS_1904)
    } else {
        CellRef::DateTime(serial)
    }
}

/// ODS stores dates as ISO text; keep them as dates in the 1900 serial system.
fn iso_date_cell(s: &str) -> CellRef<'_> {
    use chrono::{NaiveDate, NaiveDateTime};
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).and_then(|d| d.and_hms_opt(0, 0, 0));
    let parsed = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        });
    match (parsed, epoch) {
        (Some(dt), Some(epoch)) => {
            let ms = (dt - epoch).num_milliseconds() as f64;
            CellRef::DateTime(ms / 86_400_000.0)
        }
        _ => CellRef::Text(s),
    }
}

/// "PT36H30M15S" → days; anything else stays text.
fn iso_duration_cell(s: &str) -> CellRef<'_> {
    let Some(rest) = s.strip_prefix("PT").or_else(|| s.strip_prefix("-PT")) else {
        return CellRef::Text(s);
    };
    let mut secs = 0.0;
    let mut num = String::new();
    for ch in rest.chars() {
        match ch {
            '0'..='9' | '.' => num.push(ch),
            'H' | 'M' | 'S' => {
                let Ok(v) = num.parse::<f64>() else {
                    return CellRef::Text(s);
                };
                secs += v * match ch {
                    'H' => 3600.0,
                    'M' => 60.0,
                    _ => 1.0,
                };
                num.clear();
            }
            _ => return CellRef::Text(s),
        }
    }
    let days = secs / 86_400.0;
    CellRef::Duration(if s.starts_with('-') { -days } else { days })
}

/// Readers whose sheets come as dense ranges (xls, xlsb, ods).
fn read_ranges<RS, R>(
    wb: &mut R,
    is_1904: bool,
    corrupt: impl Fn(String) -> ReadError,
    too_large: impl Fn(ColumnTooLarge) -> ReadError,
    merges: impl Fn(&str, &Range<Data>) -> Option<Vec<Merge>>,
    finish: impl Fn(&mut Sheet),
) -> Result<Vec<Sheet>, ReadError>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let metas = wb.sheets_metadata().to_vec();
    let mut sheets = Vec::with_capacity(metas.len());
    for meta in metas {
        let range = match wb.worksheet_range(&meta.name) {
            Ok(r) => r,
            Err(e) if meta.typ != SheetType::WorkSheet => {
                let _ = e;
                Range::empty()
            }
            Err(e) => return Err(corrupt(format!("sheet {:?}: {e}", meta.name))),
        };
        let mut builder = Grid::builder();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, value) in range.used_cells() {
            set_data(&mut builder, r0 + r as u32, c0 + c as u32, value, is_1904)
                .map_err(&too_large)?;
        }
        let mut formulas = Vec::new();
        if let Ok(f) = wb.worksheet_formula(&meta.name) {
            let (f0, g0) = f.start().unwrap_or((0, 0));
            for (r, c, text) in f.used_cells() {
                if !text.is_empty() {
                    formulas.push(FormulaCell {
                        row: f0 + r as u32,
                        col: g0 + c as u32,
                        text: text.clone(),
                    });
                }
            }
        }
        formulas.sort_by_key(|f| (f.row, f.col));
        let merged = merges(&meta.name, &range);
        let mut sheet = Sheet::new(Some(meta.name.clone()), builder.finish());
        sheet.visibility = visibility(meta.visible);
        sheet.date1904 = is_1904;
        sheet.formulas = formulas;
        finish(&mut sheet);
        if let Some(m) = merged {
            sheet.merges = m;
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workbook stream at `at`: a BIFF8 BOF record, then a record `next`.
    fn stream_at(at: usize, next: [u8; 2]) -> Vec<u8> {
        let mut bytes = vec![0u8; at];
        bytes.extend([0x09, 0x08, 16, 0x00]);
        bytes.extend([0u8; 16]);
        bytes.extend(next);
        bytes.extend([0u8; 40]);
        bytes
    }

    #[test]
    fn an_xls_whose_stream_starts_with_filepass_is_encrypted() {
        // As in Apache POI's xor-encryption-abc.xls and calamine's issue_385.xls.
        assert!(has_filepass(&stream_at(512, [0x2F, 0x00])));
        // BIFF8 going on with its other records (here INTERFACEHDR) is not.
        assert!(!has_filepass(&stream_at(512, [0xE1, 0x00])));
        // Nor are the same bytes off a stream boundary, inside other data.
        assert!(!has_filepass(&stream_at(520, [0x2F, 0x00])));
    }

    /// Merged areas come from a substring scan of the sheet part (calamine's own
    /// lookup parses the whole sheet again); on every corpus workbook that
    /// calamine can read, both give the same areas.
    #[test]
    fn merged_areas_agree_with_calamine_on_the_corpus() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        if !root.is_dir() {
            eprintln!("skipped: {} is absent", root.display());
            return;
        }
        let mut compared = 0;
        for entry in walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(Result::ok)
        {
            let p = entry.path();
            if !matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("xlsx" | "xlsm")
            ) {
                continue;
            }
            let Ok(bytes) = std::fs::read(p) else {
                continue;
            };
            let Ok(mut wb) = Xlsx::new(Cursor::new(bytes.as_slice())) else {
                continue;
            };
            let paths = xml_extras::xlsx_sheet_paths(&bytes).unwrap_or_default();
            for name in wb.sheet_names() {
                let Ok(theirs) = wb.merge_cells_by_sheet_name(&name) else {
                    continue;
                };
                let Some(ours) = paths
                    .get(&name)
                    .and_then(|part| xml_extras::xlsx_extras(&bytes, part))
                else {
                    continue;
                };
                let mut theirs: Vec<Merge> = theirs.iter().map(merge_of).collect();
                let mut ours = ours.merges;
                theirs.sort_by_key(|m| (m.first_row, m.first_col));
                ours.sort_by_key(|m| (m.first_row, m.first_col));
                assert_eq!(ours, theirs, "{} › {name}", p.display());
                compared += 1;
            }
        }
        assert!(compared > 50, "only {compared} sheets compared");
    }

    proptest::proptest! {
        /// Bytes that start like a workbook but are not one give an error, never a panic.
        #[test]
        fn damaged_workbooks_fail_cleanly(tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600), zip in proptest::prelude::any::<bool>()) {
            let mut bytes = if zip { b"PK\x03\x04".to_vec() } else { vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] };
            bytes.extend(tail);
            let kind = if zip { FileKind::Xlsx } else { FileKind::Xls };
            let _ = read_workbook(&bytes, kind, "p.xlsx");
        }
    }
}
