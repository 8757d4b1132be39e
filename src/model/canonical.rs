//! The canonical tables as polars frames, and the sources they came from.
//!
//! Every frame has two provenance columns before its fields: `_source` (u32, an
//! index into [`Canonical::sources`]) and `_row` (u32, the 1-based row a person
//! sees in the file). A value's cell is its source's column letter for the field
//! plus `_row`. Helper columns used by rules start with an underscore too:
//! `_extra` (the row's unmapped columns as a JSON object of header → text, or
//! null), `_sku_key` (trimmed, case-folded SKU), `_location_key`, `_line_no_derived`.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::findings::{Finding, Location};
use crate::model::{Entity, Field, FieldType};
use crate::source::a1;

/// Scale of every decimal column: six places keep unit prices such as 0.00125
/// exact; values with more places are rounded half-even and said so.
pub const DECIMAL_SCALE: usize = 6;
pub const DECIMAL_PRECISION: usize = 38;

/// The polars type a canonical field is stored as.
pub fn dtype(ty: FieldType) -> DataType {
    match ty {
        FieldType::Text | FieldType::Email | FieldType::Currency | FieldType::Status => {
            DataType::String
        }
        FieldType::Int => DataType::Int64,
        FieldType::Decimal => DataType::Decimal(DECIMAL_PRECISION, DECIMAL_SCALE),
        FieldType::Date => DataType::Date,
        FieldType::DateTime => DataType::Datetime(TimeUnit::Milliseconds, None),
        FieldType::Bool => DataType::Boolean,
    }
}

/// One sheet region feeding one entity.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceInfo {
    /// Index in [`Canonical::sources`], also the `_source` value in frames.
    pub id: u32,
    /// Sources fed by the same sheet region share a region number.
    pub region: u32,
    /// Path relative to the audited folder.
    pub file: String,
    pub sheet: Option<String>,
    pub entity: Entity,
    /// 1-based header row.
    pub header_row: u32,
    /// Field → 0-based column it is read from.
    pub columns: Vec<(&'static str, u32)>,
    /// Header text of each mapped field's column.
    pub headers: Vec<(&'static str, String)>,
    /// How the region's values were read: "order_date: day-first (...)".
    pub decisions: Vec<String>,
    /// Whether line numbers were derived from row order (no line column).
    pub derived_line_no: bool,
    /// Rows read, rows rejected.
    pub rows: usize,
    pub rejected: usize,
}

impl SourceInfo {
    pub fn has(&self, field: &str) -> bool {
        self.columns.iter().any(|(f, _)| *f == field)
    }

    pub fn column_of(&self, field: &str) -> Option<u32> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| *c)
    }

    /// "Orders Tracker.xlsx › Orders" or "oms/orders.csv".
    pub fn label(&self) -> String {
        match &self.sheet {
            Some(s) => format!("{} › {}", self.file, s),
            None => self.file.clone(),
        }
    }

    /// Where a field's value of a row lives; the row alone when the field has no column.
    pub fn location(&self, row: u32, field: Option<&str>) -> Location {
        let col = field.and_then(|f| self.column_of(f));
        Location {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            row: Some(row),
            column: col.map(a1::column_letter),
            cell: col.map(|c| a1::cell_name(c, row)),
        }
    }
}

/// A row that could not enter its table, with every reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Reject {
    pub source: u32,
    pub row: u32,
    /// The record's key as text, when its key fields could be read.
    pub key: Option<String>,
    /// Trimmed text of the record's identifying fields that could be read
    /// (`order_id`, `sku`, `invoice_id`, ...): a rejected row still tells
    /// cross-source rules that the record exists, e.g. that an order was invoiced.
    pub identifiers: Vec<(&'static str, String)>,
    /// (field, raw value, reason, category name) per failed cell.
    pub reasons: Vec<RejectReason>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RejectReason {
    pub field: &'static str,
    pub column: Option<String>,
    pub value: String,
    pub reason: String,
    pub category: crate::findings::Category,
}

/// Everything the mapping stage produced.
#[derive(Debug, Default)]
pub struct Canonical {
    pub sources: Vec<SourceInfo>,
    /// One frame per entity that any source feeds, all sources stacked.
    pub tables: BTreeMap<Entity, DataFrame>,
    /// Findings made while reading cells: missing_required, invalid_type,
    /// invalid_value, formula_error, and order rows that disagree.
    pub cell_findings: Vec<Finding>,
    pub rejects: Vec<Reject>,
    /// (region, row) of every row that had a cell finding or was rejected:
    /// derived rules skip them, so a broken value is reported once.
    pub tainted: std::collections::HashSet<(u32, u32)>,
    /// Things a person should know about how the data was read ("no status
    /// column in X: status rules skipped for it").
    pub notes: Vec<String>,
}

impl Canonical {
    pub fn table(&self, entity: Entity) -> Option<&DataFrame> {
        self.tables.get(&entity)
    }

    pub fn source(&self, id: u32) -> Option<&SourceInfo> {
        self.sources.get(id as usize)
    }

    pub fn sources_of(&self, entity: Entity) -> impl Iterator<Item = &SourceInfo> {
        self.sources.iter().filter(move |s| s.entity == entity)
    }

    /// Whether a row of a source had a cell finding or was rejected.
    pub fn is_tainted(&self, source: u32, row: u32) -> bool {
        self.source(source)
            .is_some_and(|s| self.tainted.contains(&(s.region, row)))
    }

    /// Keys of rejected rows of an entity: records that exist, though unreadable.
    pub fn rejected_keys(&self, entity: Entity) -> std::collections::HashSet<&str> {
        self.rejects
            .iter()
            .filter(|r| self.source(r.source).is_some_and(|s| s.entity == entity))
            .filter_map(|r| r.key.as_deref())
            .collect()
    }

    /// Values of `field` in rejected rows of an entity (from their identifiers).
    pub fn rejected_values(&self, entity: Entity, field: &str) -> std::collections::HashSet<&str> {
        self.rejects
            .iter()
            .filter(|r| self.source(r.source).is_some_and(|s| s.entity == entity))
            .flat_map(|r| r.identifiers.iter())
            .filter(|(f, _)| *f == field)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// An entity's frame without its tainted rows, for rules that flag rows
    /// derived from values another finding already reports.
    pub fn untainted(&self, entity: Entity) -> Option<LazyFrame> {
        let df = self.table(entity)?;
        Some(df.clone().lazy().filter(self.clean_rows(entity)))
    }

    /// True for the rows of an entity's frame that are not tainted.
    pub fn clean_rows(&self, entity: Entity) -> Expr {
        let tainted: Vec<u64> = self
            .sources_of(entity)
            .flat_map(|s| {
                self.tainted
                    .iter()
                    .filter(move |(region, _)| *region == s.region)
                    .map(move |(_, row)| row_id(s.id, *row))
            })
            .collect();
        if tainted.is_empty() {
            return lit(true);
        }
        let set = lit(Series::new("_tainted".into(), tainted)).implode(false);
        row_id_expr().is_in(set, false).not()
    }
}

/// One number per (source, row), for sets of rows.
pub fn row_id(source: u32, row: u32) -> u64 {
    (u64::from(source) << 32) | u64::from(row)
}

/// [`row_id`] of a frame's rows, as an expression.
pub fn row_id_expr() -> Expr {
    col("_source").cast(DataType::UInt64) * lit(1u64 << 32) + col("_row").cast(DataType::UInt64)
}

/// The frame schema of an entity: provenance columns, then every field.
pub fn schema(entity: Entity) -> Vec<(String, DataType)> {
    let mut cols = vec![
        ("_source".to_string(), DataType::UInt32),
        ("_row".to_string(), DataType::UInt32),
    ];
    cols.extend(
        entity
            .fields()
            .iter()
            .map(|f: &Field| (f.name.to_string(), dtype(f.ty))),
    );
    // Columns no field maps to, kept whole: a JSON object of header → text.
    cols.push(("_extra".to_string(), DataType::String));
    match entity {
        Entity::OrderLines => cols.extend([
            ("_sku_key".to_string(), DataType::String),
            ("_line_no_derived".to_string(), DataType::Boolean),
        ]),
        Entity::Inventory | Entity::StockCounts => cols.extend([
            ("_sku_key".to_string(), DataType::String),
            ("_location_key".to_string(), DataType::String),
        ]),
        _ => {}
    }
    cols
}
