//! Findings are plain data: what broke, where (down to the cell), and what was
//! expected. Rules produce them; every output format reads them.

use serde::Serialize;
use std::fmt;

use crate::model::Entity;

/// The fixed vocabulary of SPEC that reports and CI rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    MissingRequired,
    InvalidType,
    InvalidValue,
    FormulaError,
    DuplicateKey,
    ConflictingCopy,
    OrphanReference,
    ArithmeticMismatch,
    DateSequence,
    StockMismatch,
    StaleCount,
    NegativeStock,
    Oversold,
    HandoffGap,
    Stuck,
    Unowned,
    SchemaDrift,
}

impl Category {
    pub const ALL: [Category; 17] = [
        Category::MissingRequired,
        Category::InvalidType,
        Category::InvalidValue,
        Category::FormulaError,
        Category::DuplicateKey,
        Category::ConflictingCopy,
        Category::OrphanReference,
        Category::ArithmeticMismatch,
        Category::DateSequence,
        Category::StockMismatch,
        Category::StaleCount,
        Category::NegativeStock,
        Category::Oversold,
        Category::HandoffGap,
        Category::Stuck,
        Category::Unowned,
        Category::SchemaDrift,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Category::MissingRequired => "missing_required",
            Category::InvalidType => "invalid_type",
            Category::InvalidValue => "invalid_value",
            Category::FormulaError => "formula_error",
            Category::DuplicateKey => "duplicate_key",
            Category::ConflictingCopy => "conflicting_copy",
            Category::OrphanReference => "orphan_reference",
            Category::ArithmeticMismatch => "arithmetic_mismatch",
            Category::DateSequence => "date_sequence",
            Category::StockMismatch => "stock_mismatch",
            Category::StaleCount => "stale_count",
            Category::NegativeStock => "negative_stock",
            Category::Oversold => "oversold",
            Category::HandoffGap => "handoff_gap",
            Category::Stuck => "stuck",
            Category::Unowned => "unowned",
            Category::SchemaDrift => "schema_drift",
        }
    }

    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn from_name(name: &str) -> Option<Severity> {
        match name {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a finding points: the cell a person would open to fix it.
///
/// `file` is relative to the audited folder; `sheet` is `None` for CSV files;
/// `row` is 1-based as Excel or a text editor shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Location {
    pub file: String,
    pub sheet: Option<String>,
    pub row: Option<u32>,
    pub column: Option<String>,
    pub cell: Option<String>,
}

impl Location {
    /// A whole file (no sheet, row or cell known).
    pub fn file(file: impl Into<String>) -> Location {
        Location {
            file: file.into(),
            sheet: None,
            row: None,
            column: None,
            cell: None,
        }
    }
}

impl fmt::Display for Location {
    /// `orders.xlsx › Orders!F17`, `stock.csv › F17`, `stock.csv › row 17`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        let place = match (&self.cell, self.row) {
            (Some(cell), _) => Some(cell.clone()),
            (None, Some(row)) => Some(format!("row {row}")),
            (None, None) => None,
        };
        match (&self.sheet, place) {
            (Some(sheet), Some(place)) => write!(f, " › {sheet}!{place}"),
            (Some(sheet), None) => write!(f, " › {sheet}"),
            (None, Some(place)) => write!(f, " › {place}"),
            (None, None) => Ok(()),
        }
    }
}

/// One integrity break.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable rule id, such as `order_lines.line_total`.
    pub rule: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub entity: Option<Entity>,
    /// The record's key as text (`SO-1042`, `SO-1042/2`, `SKU-7 @ Main`).
    pub key: Option<String>,
    pub location: Location,
    pub related: Vec<Location>,
    pub message: String,
    pub value: Option<String>,
    pub expected: Option<String>,
}

impl Serialize for Entity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_seventeen_categories_with_unique_names() {
        let mut names: Vec<_> = Category::ALL.iter().map(|c| c.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 17);
        for c in Category::ALL {
            assert_eq!(Category::from_name(c.name()), Some(c));
        }
    }

    #[test]
    fn location_displays_like_a_path_to_the_cell() {
        let mut loc = Location::file("orders.xlsx");
        loc.sheet = Some("Orders".into());
        loc.row = Some(17);
        loc.column = Some("F".into());
        loc.cell = Some("F17".into());
        assert_eq!(loc.to_string(), "orders.xlsx › Orders!F17");
        let mut csv = Location::file("stock.csv");
        csv.row = Some(4);
        assert_eq!(csv.to_string(), "stock.csv › row 4");
    }
}
