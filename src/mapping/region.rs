//! The bridge from a sheet's table region to the auto-mapper: profile each
//! column from its values and ask which entities the region feeds.

use crate::source::layout::TableRegion;
use crate::source::{CellRef, Sheet};

use super::automap::{self, ColumnInput, EntityMapping};
use super::profile::{SampleValue, ValueProfile, profile_values};

/// How many data rows are sampled per column; evenly spread over the table.
const SAMPLE_ROWS: usize = 2_000;

/// One profile per column of `region`, in the region's column order.
pub fn profile_columns(sheet: &Sheet, region: &TableRegion) -> Vec<ValueProfile> {
    use rayon::prelude::*;
    let rows = sample_rows(&region.data_rows);
    // The columns side by side on the pool.
    region
        .columns
        .par_iter()
        .map(|c| {
            let column = sheet.grid.column(c.col as usize);
            profile_values(rows.iter().map(|&r| {
                let cell = column.map_or(CellRef::Empty, |col| col.get(r as usize));
                sample_of(cell)
            }))
        })
        .collect()
}

fn sample_rows(rows: &[u32]) -> Vec<u32> {
    if rows.len() <= SAMPLE_ROWS {
        return rows.to_vec();
    }
    let step = rows.len() as f64 / SAMPLE_ROWS as f64;
    (0..SAMPLE_ROWS)
        .filter_map(|i| rows.get((i as f64 * step) as usize).copied())
        .collect()
}

fn sample_of(cell: CellRef<'_>) -> SampleValue<'_> {
    match cell {
        CellRef::Empty => SampleValue::Empty,
        CellRef::Text(t) => SampleValue::Text(t),
        CellRef::Number(n) => SampleValue::Number(n),
        CellRef::Bool(b) => SampleValue::Bool(b),
        CellRef::DateTime(_) => SampleValue::DateTime,
        CellRef::Duration(d) => SampleValue::Number(d),
        CellRef::Error(_) => SampleValue::Error,
    }
}

/// The entities a region feeds, best first, each with its column choices
/// (`ColumnChoice::index` is an index into `region.columns`).
pub fn guess(sheet: &Sheet, region: &TableRegion) -> Vec<EntityMapping> {
    let profiles = profile_columns(sheet, region);
    let inputs: Vec<ColumnInput<'_>> = region
        .columns
        .iter()
        .zip(&profiles)
        .enumerate()
        .map(|(index, (c, profile))| ColumnInput {
            index,
            header: &c.header,
            profile,
        })
        .collect();
    automap::entities_to_feed(&inputs)
}
