//! Spreadsheet hazards a person should know about before trusting a sheet:
//! formulas, error cells, merged cells, hidden rows, columns and sheets, numbers
//! and dates stored as text, several date formats in one column, ragged rows.

use serde::Serialize;

use super::grid::CellRef;
use super::layout::{Layout, TableRegion};
use super::{Sheet, Visibility};

/// How many example cells a hazard lists.
const EXAMPLES: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HazardKind {
    HiddenSheet,
    Formulas,
    ErrorCells,
    MergedCells,
    HiddenRows,
    HiddenColumns,
    NumbersAsText,
    DatesAsText,
    MixedDateFormats,
    RaggedRows,
}

impl HazardKind {
    /// Short text for the human listing: "3 formulas" reads as `count` + this.
    pub fn noun(self, count: usize) -> &'static str {
        let one = count == 1;
        match self {
            HazardKind::HiddenSheet => "hidden sheet",
            HazardKind::Formulas if one => "formula",
            HazardKind::Formulas => "formulas",
            HazardKind::ErrorCells if one => "error cell",
            HazardKind::ErrorCells => "error cells",
            HazardKind::MergedCells if one => "merged area",
            HazardKind::MergedCells => "merged areas",
            HazardKind::HiddenRows if one => "hidden row",
            HazardKind::HiddenRows => "hidden rows",
            HazardKind::HiddenColumns if one => "hidden column",
            HazardKind::HiddenColumns => "hidden columns",
            HazardKind::NumbersAsText if one => "number stored as text",
            HazardKind::NumbersAsText => "numbers stored as text",
            HazardKind::DatesAsText if one => "date stored as text",
            HazardKind::DatesAsText => "dates stored as text",
            HazardKind::MixedDateFormats if one => "column with several date formats",
            HazardKind::MixedDateFormats => "columns with several date formats",
            HazardKind::RaggedRows if one => "ragged row",
            HazardKind::RaggedRows => "ragged rows",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hazard {
    pub kind: HazardKind,
    pub count: usize,
    /// The first few cells (or rows, ranges, columns) where it occurs.
    pub cells: Vec<String>,
    /// Extra words: the date formats seen, the usual field count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

fn hazard(kind: HazardKind, count: usize, cells: Vec<String>, detail: Option<String>) -> Hazard {
    Hazard {
        kind,
        count,
        cells,
        detail,
    }
}

/// Every hazard of one sheet, in a fixed order.
///
/// `errors` are the sheet's [`error_cells`] when they were counted already.
pub fn find(sheet: &Sheet, layout: &Layout, errors: Option<ErrorCells>) -> Vec<Hazard> {
    let mut out = Vec::new();
    if sheet.visibility != Visibility::Visible {
        let how = match sheet.visibility {
            Visibility::VeryHidden => "very hidden (only VBA can show it)",
            _ => "hidden",
        };
        out.push(hazard(HazardKind::HiddenSheet, 1, vec![], Some(how.into())));
    }
    if !sheet.formulas.is_empty() {
        let cells = sheet
            .formulas
            .iter()
            .take(EXAMPLES)
            .map(|f| super::a1::cell_name(f.col, f.row + 1))
            .collect();
        out.push(hazard(
            HazardKind::Formulas,
            sheet.formulas.len(),
            cells,
            None,
        ));
    }
    let errors = errors.unwrap_or_else(|| error_cells(sheet));
    if errors.0 > 0 {
        out.push(hazard(HazardKind::ErrorCells, errors.0, errors.1, None));
    }
    if !sheet.merges.is_empty() {
        let cells = sheet.merges.iter().take(EXAMPLES).map(|m| m.a1()).collect();
        out.push(hazard(
            HazardKind::MergedCells,
            sheet.merges.len(),
            cells,
            None,
        ));
    }
    if !sheet.hidden_rows.is_empty() {
        let cells = sheet
            .hidden_rows
            .iter()
            .take(EXAMPLES)
            .map(|r| (r + 1).to_string())
            .collect();
        out.push(hazard(
            HazardKind::HiddenRows,
            sheet.hidden_rows.len(),
            cells,
            None,
        ));
    }
    if !sheet.hidden_cols.is_empty() {
        let cells = sheet
            .hidden_cols
            .iter()
            .take(EXAMPLES)
            .map(|&c| super::a1::column_letter(c))
            .collect();
        out.push(hazard(
            HazardKind::HiddenColumns,
            sheet.hidden_cols.len(),
            cells,
            None,
        ));
    }
    if let Layout::Table(region) = layout {
        if sheet.name.is_some() {
            out.extend(text_in_typed_cells(sheet, region));
        }
        out.extend(mixed_date_formats(sheet, region));
    }
    if !sheet.ragged.is_empty() {
        let cells = sheet
            .ragged
            .iter()
            .take(EXAMPLES)
            .map(|r| {
                format!(
                    "line {} ({} fields)",
                    sheet.display_row(r.row as usize),
                    r.fields
                )
            })
            .collect();
        let detail = Some(format!("most records have {} fields", sheet.usual_fields));
        out.push(hazard(
            HazardKind::RaggedRows,
            sheet.ragged.len(),
            cells,
            detail,
        ));
    }
    out
}

/// How many cells hold an error, and the first few of them by name.
pub type ErrorCells = (usize, Vec<String>);

/// Excel error values, and their text in exported CSV files. The columns
/// are searched side by side: on a large CSV file most are ruled out by a
/// search of their text for `#`, which then takes the time.
pub fn error_cells(sheet: &Sheet) -> ErrorCells {
    use rayon::prelude::*;
    let grid = &sheet.grid;
    let mut cells: Vec<(usize, usize)> = (0..grid.cols())
        .into_par_iter()
        .flat_map_iter(|col| {
            let column = grid.column(col);
            // Error text starts with '#': a text column without one has none.
            let none = match column {
                None => true,
                Some(super::grid::Column::Text(t)) => !t.contains_byte(b'#'),
                Some(_) => false,
            };
            let rows = if none {
                0
            } else {
                column.map_or(0, |c| c.len())
            };
            (0..rows)
                .filter(move |&row| {
                    column.is_some_and(|c| match c.get(row) {
                        CellRef::Error(_) => true,
                        CellRef::Text(t) => is_error_text(t),
                        _ => false,
                    })
                })
                .map(move |row| (row, col))
        })
        .collect();
    let count = cells.len();
    cells.sort_unstable();
    let names = cells
        .into_iter()
        .take(EXAMPLES)
        .map(|(r, c)| sheet.cell_name(r, c))
        .collect();
    (count, names)
}

/// The text Excel shows for an error value.
pub fn is_error_text(t: &str) -> bool {
    let t = super::grid::trimmed(t);
    // Every error starts with '#': most cells stop at their first byte.
    t.starts_with('#')
        && matches!(
            t,
            "#REF!"
                | "#N/A"
                | "#DIV/0!"
                | "#VALUE!"
                | "#NAME?"
                | "#NUM!"
                | "#NULL!"
                | "#SPILL!"
                | "#CALC!"
        )
}

/// Numbers and dates typed as text into a workbook's data rows.
fn text_in_typed_cells(sheet: &Sheet, region: &TableRegion) -> Vec<Hazard> {
    let grid = &sheet.grid;
    let mut numbers: Vec<(u32, u32)> = Vec::new();
    let mut dates: Vec<(u32, u32)> = Vec::new();
    for c in &region.columns {
        let Some(column) = grid.column(c.col as usize) else {
            continue;
        };
        let mut numeric_cells = 0usize;
        let mut numeric_text = Vec::new();
        for &row in &region.data_rows {
            match column.get(row as usize) {
                CellRef::Number(_) => numeric_cells += 1,
                CellRef::Text(t) => {
                    if date_shape(t).is_some() {
                        dates.push((row, c.col));
                    } else if is_plain_number(t) {
                        numeric_text.push((row, c.col));
                    }
                }
                _ => {}
            }
        }
        // A number typed as text only matters in a column of numbers; a column
        // of "0017"-style codes is identifiers kept as text on purpose.
        if numeric_cells > 0 {
            numbers.extend(numeric_text);
        }
    }
    let mut out = Vec::new();
    for (kind, mut cells) in [
        (HazardKind::NumbersAsText, numbers),
        (HazardKind::DatesAsText, dates),
    ] {
        if cells.is_empty() {
            continue;
        }
        cells.sort_unstable();
        let names = cells
            .iter()
            .take(EXAMPLES)
            .map(|&(r, c)| sheet.cell_name(r as usize, c as usize))
            .collect();
        out.push(hazard(kind, cells.len(), names, None));
    }
    out
}

fn is_plain_number(t: &str) -> bool {
    let t = t.trim();
    let digits = t.trim_start_matches(['-', '+']);
    let leading_zero_code =
        digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.");
    !digits.is_empty() && !leading_zero_code && t.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Columns whose dates come in more than one layout.
fn mixed_date_formats(sheet: &Sheet, region: &TableRegion) -> Option<Hazard> {
    let grid = &sheet.grid;
    let mut columns = Vec::new();
    let mut details = Vec::new();
    for c in &region.columns {
        let Some(column) = grid.column(c.col as usize) else {
            continue;
        };
        // Look closely only at columns whose first values hold dates.
        let sample: Vec<CellRef<'_>> = region
            .data_rows
            .iter()
            .map(|&r| column.get(r as usize))
            .filter(|v| !v.is_empty())
            .take(200)
            .collect();
        let datey = sample
            .iter()
            .filter(|v| {
                matches!(v, CellRef::DateTime(_))
                    || matches!(v, CellRef::Text(t) if date_shape(t).is_some())
            })
            .count();
        if sample.is_empty() || datey * 2 < sample.len() {
            continue;
        }
        let mut shapes: Vec<&'static str> = Vec::new();
        let is_data = data_row_marks(region, grid.rows());
        column.for_each(|row, cell| {
            if !is_data.get(row).copied().unwrap_or(false) {
                return;
            }
            let shape = match cell {
                CellRef::DateTime(_) => Some("date cell"),
                CellRef::Text(t) => date_shape(t),
                _ => None,
            };
            if let Some(s) = shape
                && !shapes.contains(&s)
            {
                shapes.push(s);
            }
        });
        if shapes.len() > 1 {
            let name = if c.header.is_empty() {
                super::a1::column_letter(c.col)
            } else {
                format!("{} ({})", super::a1::column_letter(c.col), c.header)
            };
            details.push(format!("{name}: {}", shapes.join(", ")));
            columns.push(name);
        }
    }
    (!columns.is_empty()).then(|| {
        hazard(
            HazardKind::MixedDateFormats,
            columns.len(),
            columns,
            Some(details.join("; ")),
        )
    })
}

/// A flag per grid row: whether it is one of the table's data rows.
fn data_row_marks(region: &TableRegion, rows: usize) -> Vec<bool> {
    let mut marks = vec![false; rows];
    for &r in &region.data_rows {
        if let Some(m) = marks.get_mut(r as usize) {
            *m = true;
        }
    }
    marks
}

/// The layout of text that looks like a date: "yyyy-mm-dd", "d/m/y", "d.m.y",
/// "d-m-y", "d mon y". Only the shape is checked; parsing is the mapper's job.
pub fn date_shape(t: &str) -> Option<&'static str> {
    let t = t.trim();
    let b = t.as_bytes();
    if b.len() < 6 || b.len() > 40 || !b[0].is_ascii_alphanumeric() {
        return None;
    }
    let date_part = t.split(['T', ' ']).next().unwrap_or(t);
    let parts: Vec<&str> = date_part.split(['-', '/', '.']).collect();
    let all_digits = parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|c| c.is_ascii_digit()));
    if all_digits {
        let sep = date_part
            .bytes()
            .find(|c| matches!(c, b'-' | b'/' | b'.'))?;
        let year_first = parts[0].len() == 4;
        let year_last = matches!(parts[2].len(), 2 | 4);
        return match (year_first, year_last, sep) {
            (true, _, b'-') => Some("yyyy-mm-dd"),
            (true, _, b'/') => Some("yyyy/mm/dd"),
            (true, _, _) => Some("yyyy.mm.dd"),
            (false, true, b'/') if parts[0].len() <= 2 && parts[1].len() <= 2 => Some("d/m/y"),
            (false, true, b'.') if parts[0].len() <= 2 && parts[1].len() <= 2 => Some("d.m.y"),
            (false, true, b'-') if parts[0].len() <= 2 && parts[1].len() <= 2 => Some("d-m-y"),
            _ => None,
        };
    }
    // "3 Apr 2025", "Apr 3, 2025", "3-Apr-25", "3. März 2025"
    let words: Vec<&str> = t
        .split([' ', '-', ',', '.'])
        .filter(|w| !w.is_empty())
        .collect();
    let has_month = words.iter().any(|w| is_month_word(w));
    let numbers = words
        .iter()
        .filter(|w| w.bytes().all(|c| c.is_ascii_digit()))
        .count();
    let has_year = words
        .iter()
        .any(|w| (w.len() == 4 || w.len() == 2) && w.bytes().all(|c| c.is_ascii_digit()));
    (has_month && numbers >= 2 && has_year && words.len() <= 6).then_some("d mon y")
}

fn is_month_word(w: &str) -> bool {
    const MONTHS: [&str; 28] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "mär",
        "mai", "okt", "dez", "janv", "févr", "fevr", "avr", "juil", "déc", "ene", "abr", "ago",
        "dic", "sept", "juin",
    ];
    let l = w.to_lowercase();
    l.chars().count() >= 3
        && MONTHS.iter().any(|m| l.starts_with(m))
        && l.chars().all(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_shapes() {
        assert_eq!(date_shape("2026-11-03"), Some("yyyy-mm-dd"));
        assert_eq!(date_shape("2026-11-03 14:05:00"), Some("yyyy-mm-dd"));
        assert_eq!(date_shape("03/11/2026"), Some("d/m/y"));
        assert_eq!(date_shape("27.11.2026"), Some("d.m.y"));
        assert_eq!(date_shape("3 Nov 2026"), Some("d mon y"));
        assert_eq!(date_shape("Nov 3, 2026"), Some("d mon y"));
        assert_eq!(date_shape("3. März 2026"), Some("d mon y"));
        assert_eq!(date_shape("SO-10042"), None);
        assert_eq!(date_shape("1.234,50"), None);
        assert_eq!(date_shape("12.50"), None);
        assert_eq!(date_shape("Marker pen 2026"), None);
    }

    #[test]
    fn plain_numbers_but_not_codes() {
        assert!(is_plain_number("2"));
        assert!(is_plain_number("-12.5"));
        assert!(is_plain_number("0.5"));
        assert!(!is_plain_number("0017"));
        assert!(!is_plain_number("ten"));
        assert!(!is_plain_number("NaN"));
    }

    #[test]
    fn error_text() {
        assert!(is_error_text("#REF!"));
        assert!(is_error_text(" #N/A "));
        assert!(!is_error_text("N/A"));
    }
}
