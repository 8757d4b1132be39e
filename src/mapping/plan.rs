//! A mapping plan: for each table region, the entities it feeds and which column
//! feeds which field, with the evidence for each choice. Made automatically from
//! headers and values, or read from offsheet.toml.

use crate::inventory::Inventory;
use crate::model::Entity;
use crate::source::Sheet;
use crate::source::layout::{Layout, TableRegion};

use super::headers::Evidence;

#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub regions: Vec<RegionPlan>,
}

/// One sheet's table and what it feeds.
#[derive(Debug, Clone)]
pub struct RegionPlan {
    /// Index into `Inventory::files`.
    pub file: usize,
    /// Index into that file's sheets.
    pub sheet: usize,
    pub feeds: Vec<Feed>,
}

#[derive(Debug, Clone)]
pub struct Feed {
    pub entity: Entity,
    pub confidence: f32,
    pub columns: Vec<MappedColumn>,
}

#[derive(Debug, Clone)]
pub struct MappedColumn {
    pub field: &'static str,
    /// 0-based sheet column.
    pub col: u32,
    pub header: String,
    pub evidence: Evidence,
    pub confidence: f32,
}

impl Feed {
    pub fn column_of(&self, field: &str) -> Option<&MappedColumn> {
        self.columns.iter().find(|c| c.field == field)
    }
}

impl RegionPlan {
    pub fn feeds_entity(&self, entity: Entity) -> bool {
        self.feeds.iter().any(|f| f.entity == entity)
    }
}

/// The plan auto-mapping proposes for every table of the inventory.
pub fn auto(inv: &Inventory) -> Plan {
    use rayon::prelude::*;
    let tables: Vec<(usize, usize, &Sheet, &TableRegion)> = inv
        .files
        .iter()
        .enumerate()
        .flat_map(|(fi, file)| {
            file.source
                .sheets
                .iter()
                .zip(&file.tables)
                .enumerate()
                .filter_map(move |(si, (sheet, table))| match &table.layout {
                    Layout::Table(region) => Some((fi, si, sheet, region)),
                    _ => None,
                })
        })
        .collect();
    // The tables side by side: one table's mapping while another's columns
    // are profiled.
    let regions = tables
        .par_iter()
        .filter_map(|&(fi, si, sheet, region)| {
            let feeds: Vec<Feed> = super::region::guess(sheet, region)
                .into_iter()
                .map(|m| Feed {
                    entity: m.entity,
                    confidence: m.confidence,
                    columns: m
                        .columns
                        .iter()
                        .filter_map(|c| {
                            let rc = region.columns.get(c.index)?;
                            Some(MappedColumn {
                                field: c.field,
                                col: rc.col,
                                header: rc.header.clone(),
                                evidence: c.evidence,
                                confidence: c.confidence,
                            })
                        })
                        .collect(),
                })
                .collect();
            (!feeds.is_empty()).then_some(RegionPlan {
                file: fi,
                sheet: si,
                feeds,
            })
        })
        .collect();
    Plan { regions }
}
