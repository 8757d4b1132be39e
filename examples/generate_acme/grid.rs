//! Cells, overrides and layouts: a writer turns records into rows of cells, lets
//! the plants replace single cells, remembers where each record landed (so a
//! planted break is reported at its A1 cell) and notes the spreadsheet hazards
//! it wrote (for `offsheet scan`).

use std::collections::BTreeMap;
use std::error::Error;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Formula, Workbook, Worksheet};
use serde::Serialize;

pub type Res<T> = Result<T, Box<dyn Error>>;

pub const TRACKER: &str = "Orders Tracker.xlsx";
pub const JANET: &str = "Orders Tracker (Janet's copy).xlsx";
pub const OMS_ORDERS: &str = "oms/orders_export.csv";
pub const OMS_STOCK: &str = "oms/inventory_export.csv";
pub const COUNTS: &str = "warehouse/Inventurliste_2026-11.csv";
pub const SHIPMENTS: &str = "shipping/Shipments Log.xlsx";
pub const INVOICES: &str = "finance/invoices.csv";

/// One cell as a writer means to store it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Blank,
    Text(String),
    Number(f64),
    /// Cents, stored as a number with two decimals shown.
    Money(i64),
    /// A fraction shown as a whole percent (0.42 → 42%).
    Percent(f64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    /// A formula; `{r}` in the text stands for the cell's own 1-based row. The
    /// cached result is what Excel would show: a number or an error such as `#REF!`.
    Formula {
        text: String,
        cached: Cached,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cached {
    Number(f64),
    Error(&'static str),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// What the cell shows, for planted.json and the README.
    pub fn shown(&self) -> String {
        match self {
            Cell::Blank => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Money(c) => money(*c),
            Cell::Percent(p) => p.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::DateTime(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
            Cell::Formula { cached, .. } => match cached {
                Cached::Number(n) => n.to_string(),
                Cached::Error(e) => (*e).to_string(),
            },
        }
    }
}

/// `12345` cents as `123.45`; negative amounts keep their sign.
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.abs();
    format!("{sign}{}.{:02}", c / 100, c % 100)
}

/// A plant's replacement for one cell of one record in one file.
#[derive(Debug, Clone)]
pub struct Override {
    pub file: &'static str,
    pub anchor: String,
    pub column: &'static str,
    pub cell: Cell,
}

/// Looks up the plants' replacement for a cell, if any.
pub fn overridden<'a>(
    overrides: &'a [Override],
    file: &str,
    anchor: &str,
    column: &str,
) -> Option<&'a Cell> {
    overrides
        .iter()
        .find(|o| o.file == file && o.anchor == anchor && o.column == column)
        .map(|o| &o.cell)
}

/// `0` → `A`, `25` → `Z`, `26` → `AA`.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Where one record landed: its 1-based row and the key a finding would name.
#[derive(Debug, Clone)]
pub struct Placed {
    pub row: u32,
    pub key: String,
}

/// Where one cell is, as SPEC's findings name it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Loc {
    pub file: String,
    pub sheet: Option<String>,
    pub row: u32,
    pub column: String,
    pub cell: String,
}

/// The rows and columns of one sheet (or CSV file) as written.
#[derive(Debug, Clone)]
pub struct Layout {
    pub file: &'static str,
    pub sheet: Option<&'static str>,
    pub columns: Vec<&'static str>,
    pub rows: BTreeMap<String, Placed>,
    /// What each written data cell shows, by A1 reference.
    pub values: BTreeMap<String, String>,
}

impl Layout {
    pub fn new(
        file: &'static str,
        sheet: Option<&'static str>,
        columns: &[&'static str],
    ) -> Layout {
        Layout {
            file,
            sheet,
            columns: columns.to_vec(),
            rows: BTreeMap::new(),
            values: BTreeMap::new(),
        }
    }

    /// Remembers what the cell at a 1-based row and 0-based column shows.
    pub fn note_value(&mut self, row: u32, col: usize, cell: &Cell) {
        self.values
            .insert(format!("{}{row}", column_letter(col)), cell.shown());
    }

    pub fn place(&mut self, anchor: impl Into<String>, row: u32, key: impl Into<String>) {
        self.rows.insert(
            anchor.into(),
            Placed {
                row,
                key: key.into(),
            },
        );
    }

    pub fn letter(&self, column: &str) -> Option<String> {
        self.columns
            .iter()
            .position(|c| *c == column)
            .map(column_letter)
    }

    /// The A1 location of `column` on the row of `anchor`.
    pub fn locate(&self, anchor: &str, column: &str) -> Option<(Loc, String)> {
        let placed = self.rows.get(anchor)?;
        let letter = self.letter(column)?;
        let loc = Loc {
            file: self.file.to_string(),
            sheet: self.sheet.map(str::to_string),
            row: placed.row,
            cell: format!("{letter}{}", placed.row),
            column: letter,
        };
        Some((loc, placed.key.clone()))
    }
}

/// Finds the layout of `file` (the data sheet of a workbook).
pub fn layout_of<'a>(layouts: &'a [Layout], file: &str) -> Option<&'a Layout> {
    layouts.iter().find(|l| l.file == file)
}

/// The spreadsheet hazards written into one sheet, or a CSV file's dialect.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Hazards {
    pub file: String,
    pub sheet: Option<String>,
    #[serde(skip_serializing_if = "is_zero")]
    pub formulas: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub error_cells: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merged_cells: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hidden_rows: Vec<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hidden_columns: Vec<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub hidden_sheet: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub numbers_as_text: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dates_as_text: Vec<String>,
    /// Columns whose dates come in more than one format (cells or text).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub several_date_formats: BTreeMap<String, Vec<String>>,
    /// For CSV files: encoding, delimiter, BOM, line ends, date and number style.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub dialect: BTreeMap<String, String>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Hazards {
    pub fn new(file: &str, sheet: Option<&str>) -> Hazards {
        Hazards {
            file: file.to_string(),
            sheet: sheet.map(str::to_string),
            ..Hazards::default()
        }
    }
}

/// Text that a reader would take for a number ("2", "12.50").
pub fn looks_numeric(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.parse::<f64>().is_ok()
}

/// Date formats people type, with the name the hazard list gives them.
const TEXT_DATE_FORMATS: [(&str, &str); 4] = [
    ("%Y-%m-%d", "text yyyy-mm-dd"),
    ("%d %b %Y", "text d Mon yyyy"),
    ("%d/%m/%Y", "text d/m/yyyy"),
    ("%d.%m.%Y", "text dd.mm.yyyy"),
];

/// The name of the format a text date is typed in, if it is a valid date.
pub fn text_date_format(s: &str) -> Option<&'static str> {
    TEXT_DATE_FORMATS
        .iter()
        .find(|(f, _)| NaiveDate::parse_from_str(s.trim(), f).is_ok())
        .map(|(_, name)| *name)
}

/// Text that spells a valid date in one of the formats people type.
pub fn looks_like_date(s: &str) -> bool {
    text_date_format(s).is_some()
}

/// A place in a file worth naming that is not a finding (a trap for precision),
/// resolved to cells.
#[derive(Debug, Clone, Serialize)]
pub struct Spot {
    pub kind: String,
    pub file: String,
    pub sheet: Option<String>,
    /// An A1 cell or range (`A1:Q1`), or empty for a whole sheet or file.
    pub cells: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub note: String,
}

impl Spot {
    pub fn new(
        kind: &str,
        file: &str,
        sheet: Option<&str>,
        cells: impl Into<String>,
        note: impl Into<String>,
    ) -> Spot {
        Spot {
            kind: kind.to_string(),
            file: file.to_string(),
            sheet: sheet.map(str::to_string),
            cells: cells.into(),
            key: None,
            note: note.into(),
        }
    }
}

/// The cell formats a workbook's sheets share.
pub struct Formats {
    pub header: Format,
    pub title: Format,
    pub note: Format,
    pub date: Format,
    pub datetime: Format,
    pub money: Format,
    pub percent: Format,
    pub bold: Format,
    pub bold_money: Format,
}

impl Formats {
    pub fn new(date_format: &str) -> Formats {
        Formats {
            header: Format::new().set_bold().set_background_color("D9E1F2"),
            title: Format::new().set_bold().set_font_size(14),
            note: Format::new().set_italic().set_font_color("808080"),
            date: Format::new().set_num_format(date_format),
            datetime: Format::new().set_num_format(format!("{date_format} hh:mm")),
            money: Format::new().set_num_format("#,##0.00"),
            percent: Format::new().set_num_format("0%"),
            bold: Format::new().set_bold(),
            bold_money: Format::new().set_bold().set_num_format("#,##0.00"),
        }
    }
}

fn excel_date(d: NaiveDate) -> Res<ExcelDateTime> {
    let s = d.format("%Y-%m-%d").to_string();
    Ok(ExcelDateTime::parse_from_str(&s)?)
}

fn excel_datetime(t: NaiveDateTime) -> Res<ExcelDateTime> {
    let s = t.format("%Y-%m-%dT%H:%M:%S").to_string();
    Ok(ExcelDateTime::parse_from_str(&s)?)
}

/// Writes one cell at a 1-based row and 0-based column, noting its hazards.
/// Formulas show as money unless `formula_format` says otherwise.
pub fn put(
    ws: &mut Worksheet,
    fmt: &Formats,
    hazards: &mut Hazards,
    (row, col): (u32, u16),
    cell: &Cell,
    formula_format: Option<&Format>,
) -> Res<()> {
    let r = row - 1;
    let a1 = format!("{}{row}", column_letter(usize::from(col)));
    match cell {
        Cell::Blank => {}
        Cell::Text(s) => {
            if looks_numeric(s) {
                hazards.numbers_as_text.push(a1);
            } else if looks_like_date(s) {
                hazards.dates_as_text.push(a1);
            }
            ws.write_string(r, col, s)?;
        }
        Cell::Number(n) => {
            ws.write_number(r, col, *n)?;
        }
        Cell::Money(c) => {
            ws.write_number_with_format(r, col, *c as f64 / 100.0, &fmt.money)?;
        }
        Cell::Percent(p) => {
            ws.write_number_with_format(r, col, *p, &fmt.percent)?;
        }
        Cell::Date(d) => {
            ws.write_datetime_with_format(r, col, excel_date(*d)?, &fmt.date)?;
        }
        Cell::DateTime(t) => {
            ws.write_datetime_with_format(r, col, excel_datetime(*t)?, &fmt.datetime)?;
        }
        Cell::Formula { text, cached } => {
            let result = match cached {
                Cached::Number(n) => n.to_string(),
                Cached::Error(e) => {
                    hazards.error_cells.push(a1);
                    (*e).to_string()
                }
            };
            hazards.formulas += 1;
            let formula = Formula::new(text.replace("{r}", &row.to_string())).set_result(result);
            ws.write_formula_with_format(r, col, formula, formula_format.unwrap_or(&fmt.money))?;
        }
    }
    Ok(())
}

/// A workbook whose bytes do not change between runs: its document date (which
/// rust_xlsxwriter also uses as the modified date) is fixed, e.g.
/// `2026-11-27T16:30:00Z`.
pub fn workbook(author: &str, title: &str, saved: &str) -> Res<Workbook> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::parse_from_str(saved)?;
    let props = DocProperties::new()
        .set_author(author)
        .set_title(title)
        .set_company("Acme Outdoor Supply")
        .set_creation_datetime(&created);
    wb.set_properties(&props);
    Ok(wb)
}

/// Saves a workbook under `dir`, creating the folder it goes in.
pub fn save(wb: &mut Workbook, dir: &Path, file: &str) -> Res<()> {
    let path = dir.join(file);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    wb.save(&path)?;
    Ok(())
}

/// Writes bytes under `dir`, creating the folder they go in.
pub fn save_bytes(dir: &Path, file: &str, bytes: &[u8]) -> Res<()> {
    let path = dir.join(file);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes)?;
    Ok(())
}

/// A CSV document as text: the given delimiter and line end, every field quoted
/// only when it must be.
pub fn csv_text(delimiter: u8, crlf: bool, header: &[&str], rows: &[Vec<String>]) -> Res<String> {
    let terminator = if crlf {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(terminator)
        .from_writer(Vec::new());
    w.write_record(header)?;
    for row in rows {
        w.write_record(row)?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    Ok(String::from_utf8(bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(16), "Q");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn money_keeps_two_places_and_sign() {
        assert_eq!(money(24900), "249.00");
        assert_eq!(money(5), "0.05");
        assert_eq!(money(-1995), "-19.95");
    }

    #[test]
    fn text_hazards_are_recognised() {
        assert!(looks_numeric("2") && looks_numeric(" 12.5 "));
        assert!(!looks_numeric("ten") && !looks_numeric("SO-10001"));
        assert!(looks_like_date("2026-11-03") && looks_like_date("3 Nov 2026"));
        assert!(!looks_like_date("31/11/2026") && !looks_like_date("n/a"));
        assert_eq!(text_date_format("3 Nov 2026"), Some("text d Mon yyyy"));
    }

    #[test]
    fn layout_locates_cells() {
        let mut l = Layout::new(INVOICES, None, &["Invoice #", "Order", "Inv Date"]);
        l.place("SO-10001#1", 7, "INV-26-0405");
        let (loc, key) = l.locate("SO-10001#1", "Inv Date").unwrap();
        assert_eq!(
            (loc.cell.as_str(), loc.row, key.as_str()),
            ("C7", 7, "INV-26-0405")
        );
        assert!(l.locate("SO-10001#1", "Amount").is_none());
    }

    #[test]
    fn csv_quotes_only_where_needed() {
        let rows = vec![vec!["a".to_string(), "1,234.50".to_string()]];
        let text = csv_text(b',', true, &["x", "y"], &rows).unwrap();
        assert_eq!(text, "x,y\r\na,\"1,234.50\"\r\n");
    }
}
