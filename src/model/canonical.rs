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
/// Precision of the decimal columns of the tables written (`ingest`, reports).
pub const DECIMAL_PRECISION: usize = 38;

/// The canonical tables hold money as Int64 mantissas at [`DECIMAL_SCALE`]:
/// exact up to ±9.2 trillion units, and half the memory of polars' Decimal
/// (always 16 bytes a value). Larger amounts are read as out of range. What
/// shows or writes a money value turns it into a Decimal first
/// ([`with_decimals`], [`decimal_column`]).
pub const MONEY: DataType = DataType::Int64;

/// The polars type a canonical field is stored as.
pub fn dtype(ty: FieldType) -> DataType {
    match ty {
        FieldType::Text | FieldType::Email | FieldType::Currency | FieldType::Status => {
            DataType::String
        }
        FieldType::Int => DataType::Int64,
        FieldType::Decimal => MONEY,
        FieldType::Date => DataType::Date,
        FieldType::DateTime => DataType::Datetime(TimeUnit::Milliseconds, None),
        FieldType::Bool => DataType::Boolean,
    }
}

/// Whether a canonical column holds money (a decimal field of any entity).
pub fn is_money(name: &str) -> bool {
    Entity::ALL.iter().any(|e| {
        e.fields()
            .iter()
            .any(|f| f.name == name && f.ty == FieldType::Decimal)
    })
}

/// A column of mantissas at [`DECIMAL_SCALE`] (Int64, or Int128 from
/// arithmetic on them) as polars' Decimal; any other column as it is.
pub fn decimal_column(c: &Column) -> PolarsResult<Column> {
    let mantissas = match c.dtype() {
        DataType::Int64 => c.cast(&DataType::Int128)?,
        DataType::Int128 => c.clone(),
        _ => return Ok(c.clone()),
    };
    let ca = mantissas.as_materialized_series().i128()?.clone();
    // Every Int64 value and every sum of them fits 38 digits.
    Ok(ca
        .into_decimal_unchecked(DECIMAL_PRECISION, DECIMAL_SCALE)
        .into_series()
        .into_column())
}

/// The frame with its money columns ([`is_money`]) and the columns named in
/// `also` turned into polars' Decimal: for showing or writing values.
pub fn with_decimals(df: &DataFrame, also: &[&str]) -> PolarsResult<DataFrame> {
    let columns = df
        .columns()
        .iter()
        .map(|c| {
            if is_money(c.name()) || also.contains(&c.name().as_str()) {
                decimal_column(c)
            } else {
                Ok(c.clone())
            }
        })
        .collect::<PolarsResult<Vec<Column>>>()?;
    DataFrame::new(df.height(), columns)
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

    /// The tainted rows of every source, for a lookup per row of a frame.
    pub fn tainted_rows(&self) -> TaintedRows {
        let mut by_source: Vec<Vec<u64>> = vec![Vec::new(); self.sources.len()];
        for (region, row) in &self.tainted {
            for s in self.sources.iter().filter(|s| s.region == *region) {
                let Some(bits) = by_source.get_mut(s.id as usize) else {
                    continue;
                };
                let (word, bit) = (*row as usize / 64, *row % 64);
                if bits.len() <= word {
                    bits.resize(word + 1, 0);
                }
                bits[word] |= 1 << bit;
            }
        }
        TaintedRows { by_source }
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
    ///
    /// The frame gets a mask made row by row from [`Canonical::tainted_rows`]:
    /// no row id is computed and hashed for each of a million rows.
    pub fn untainted(&self, entity: Entity) -> Option<LazyFrame> {
        let mut df = self.table(entity)?.clone();
        let tainted = self.tainted_rows();
        if !self.sources_of(entity).any(|s| tainted.any_in(s.id)) {
            return Some(df.lazy());
        }
        let masked = clean_mask(&df, &tainted).and_then(|clean| {
            df.with_column(Column::new("_clean".into(), clean))?;
            Ok(())
        });
        match masked {
            Ok(()) => Some(df.lazy().filter(col("_clean")).drop(Selector::ByName {
                names: [PlSmallStr::from("_clean")].into(),
                strict: true,
            })),
            // A frame without provenance columns: the expression answers.
            Err(_) => Some(
                self.table(entity)?
                    .clone()
                    .lazy()
                    .filter(self.clean_rows(entity)),
            ),
        }
    }

    /// `flagged` (rows of an entity's frame that a rule picked) without its
    /// tainted rows: the same rows as the rule run on [`Canonical::untainted`]
    /// when it looks at each row on its own (a lookup, a comparison), since
    /// then no row decides another's fate.
    ///
    /// On 1M order lines with a few tainted, filtering the few flagged rows
    /// afterwards spared copying the million clean ones first (about 15 ms).
    pub fn drop_tainted(&self, flagged: DataFrame) -> PolarsResult<DataFrame> {
        let tainted = self.tainted_rows();
        if flagged.height() == 0 || !self.sources.iter().any(|s| tainted.any_in(s.id)) {
            return Ok(flagged);
        }
        let clean = clean_mask(&flagged, &tainted)?;
        flagged.filter(&BooleanChunked::from_slice("_clean".into(), &clean))
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

/// [`Canonical::tainted`] as a bitmap of rows per source: a lookup per row of a
/// million-row frame costs a load, not a hash.
#[derive(Debug, Clone, Default)]
pub struct TaintedRows {
    by_source: Vec<Vec<u64>>,
}

impl TaintedRows {
    /// Whether any row of the source is tainted.
    pub fn any_in(&self, source: u32) -> bool {
        self.by_source
            .get(source as usize)
            .is_some_and(|bits| bits.iter().any(|w| *w != 0))
    }

    /// The tainted rows of a source, ascending.
    pub fn rows_in(&self, source: u32) -> impl Iterator<Item = u32> + '_ {
        let words = self
            .by_source
            .get(source as usize)
            .map_or(&[][..], Vec::as_slice);
        words
            .iter()
            .enumerate()
            .filter(|(_, word)| **word != 0)
            .flat_map(|(w, &word)| {
                (0..64u32)
                    .filter(move |b| word >> b & 1 == 1)
                    .map(move |b| w as u32 * 64 + b)
            })
    }

    pub fn contains(&self, source: u32, row: u32) -> bool {
        self.by_source
            .get(source as usize)
            .and_then(|bits| bits.get(row as usize / 64))
            .is_some_and(|word| word >> (row % 64) & 1 == 1)
    }
}

/// Calls `f(i, source, row)` for each row `i` of an entity's frame, from its
/// `_source` and `_row` columns. The common frame, one source and every row
/// numbered, is read without an `Option` per column per row.
pub fn for_each_row(
    df: &DataFrame,
    mut f: impl FnMut(usize, Option<u32>, Option<u32>),
) -> PolarsResult<()> {
    let rows = df.column("_row")?.u32()?;
    let sources = df.column("_source")?;
    match (sources.as_scalar_column(), rows.cont_slice()) {
        (Some(one), Ok(rows)) => {
            let source = one.scalar().value().extract::<u32>();
            for (i, &row) in rows.iter().enumerate() {
                f(i, source, Some(row));
            }
        }
        _ => {
            let by_row = sources.as_materialized_series().u32()?;
            for (i, (source, row)) in by_row.iter().zip(rows.iter()).enumerate() {
                f(i, source, row);
            }
        }
    }
    Ok(())
}

/// Per row of an entity's frame: whether it is not tainted (a row without
/// provenance counts as clean).
fn clean_mask(df: &DataFrame, tainted: &TaintedRows) -> PolarsResult<Vec<bool>> {
    let mut clean = Vec::with_capacity(df.height());
    for_each_row(df, |_, source, row| {
        clean.push(source.zip(row).is_none_or(|(s, r)| !tainted.contains(s, r)));
    })?;
    Ok(clean)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{canonical, source, strs, table, u32s};

    fn rows_left(c: &Canonical, entity: Entity) -> Vec<(u32, u32)> {
        let df = c.untainted(entity).unwrap().collect().unwrap();
        let sources = df
            .column("_source")
            .unwrap()
            .as_materialized_series()
            .clone();
        let rows = df.column("_row").unwrap().as_materialized_series().clone();
        sources
            .u32()
            .unwrap()
            .iter()
            .zip(rows.u32().unwrap().iter())
            .map(|(s, r)| (s.unwrap(), r.unwrap()))
            .collect()
    }

    #[test]
    fn tainted_rows_are_left_out_by_source_and_row() {
        let sources = vec![
            source(0, Entity::Orders, "a.csv", None, &[("order_id", "A")]),
            source(1, Entity::Orders, "b.csv", None, &[("order_id", "A")]),
        ];
        let ids = [Some("SO-1"), Some("SO-2"), Some("SO-3"), Some("SO-4")];
        let two_sources = table(
            Entity::Orders,
            vec![
                u32s("_source", &[0, 0, 1, 1]),
                u32s("_row", &[2, 3, 2, 3]),
                strs("order_id", &ids),
            ],
        );
        let mut c = canonical(sources, vec![(Entity::Orders, two_sources)]);
        // Row 3 of a.csv only: row 3 of b.csv (another region) stays.
        c.tainted.insert((0, 3));
        let tainted = c.tainted_rows();
        assert!(tainted.contains(0, 3));
        assert!(!tainted.contains(1, 3));
        assert!(!tainted.contains(0, 200));
        assert!(tainted.any_in(0) && !tainted.any_in(1));
        // Listed in order, across words of the bitmap.
        c.tainted.extend([(0, 64), (0, 130)]);
        let listed: Vec<u32> = c.tainted_rows().rows_in(0).collect();
        assert_eq!(listed, [3, 64, 130]);
        assert_eq!(c.tainted_rows().rows_in(1).count(), 0);
        assert_eq!(c.tainted_rows().rows_in(7).count(), 0);
        c.tainted.retain(|&(_, row)| row == 3);
        assert_eq!(rows_left(&c, Entity::Orders), [(0, 2), (1, 2), (1, 3)]);
        // A frame of one source holds `_source` as a constant.
        let mut one = c.tables[&Entity::Orders].slice(0, 2);
        one.with_column(Column::new_scalar("_source".into(), Scalar::from(0u32), 2))
            .unwrap();
        assert!(one.column("_source").unwrap().as_scalar_column().is_some());
        c.tables.insert(Entity::Orders, one);
        assert_eq!(rows_left(&c, Entity::Orders), [(0, 2)]);
        c.tainted.clear();
        assert_eq!(rows_left(&c, Entity::Orders), [(0, 2), (0, 3)]);
    }

    #[test]
    fn flagged_rows_lose_the_tainted_ones_afterwards() {
        let sources = vec![
            source(0, Entity::Orders, "a.csv", None, &[("order_id", "A")]),
            source(1, Entity::Orders, "b.csv", None, &[("order_id", "A")]),
        ];
        let flagged = table(
            Entity::Orders,
            vec![
                u32s("_source", &[0, 0, 1]),
                u32s("_row", &[2, 3, 3]),
                strs("order_id", &[Some("SO-1"), Some("SO-2"), Some("SO-4")]),
            ],
        );
        let mut c = canonical(sources, vec![]);
        c.tainted.insert((0, 3));
        let left = c.drop_tainted(flagged.clone()).unwrap();
        let ids: Vec<_> = left
            .column("order_id")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(ids, [Some("SO-1"), Some("SO-4")]);
        // Nothing tainted: the frame as it was.
        c.tainted.clear();
        assert_eq!(c.drop_tainted(flagged).unwrap().height(), 3);
    }
}
