//! Building the canonical tables from a mapping plan: each mapped region feeds
//! one frame per entity; every cell that cannot be read becomes a finding at its
//! cell, and a row whose required field is missing or unusable goes to rejects.

use std::collections::BTreeMap;

use polars::prelude::*;
use rayon::prelude::*;

use crate::findings::{Category, Finding};
use crate::inventory::Inventory;
use crate::mapping::plan::{Feed, Plan, RegionPlan};
use crate::model::{Entity, Field};
use crate::source::Sheet;
use crate::source::grid::{Column, trimmed};
use crate::source::layout::{Layout, TableRegion};

use super::canonical::{Canonical, Reject, RejectReason, SourceInfo};
use super::cells::{ParsedColumn, read_cells_owned, read_column};
use super::feed_findings::{FeedState, fill_down, unmapped_required};
use super::kept::KeptRows;

/// Builds every canonical table the plan feeds. A sheet for which `release`
/// (given its file and sheet name) holds has its cells (and the line each
/// record starts on) dropped as soon as its rows are parsed, before its frames
/// are made: for output that quotes none of its cells, it lowers the peak memory.
pub fn build(
    inv: &mut Inventory,
    plan: &Plan,
    release: &dyn Fn(&str, Option<&str>) -> bool,
) -> Canonical {
    let mut out = Canonical::default();
    let mut frames: BTreeMap<Entity, Vec<DataFrame>> = BTreeMap::new();
    for (region_no, rp) in plan.regions.iter().enumerate() {
        let used_later = plan.regions[region_no + 1..]
            .iter()
            .any(|r| r.file == rp.file && r.sheet == rp.sheet);
        let released = inv.files.get(rp.file).is_some_and(|f| {
            f.source
                .sheets
                .get(rp.sheet)
                .is_some_and(|s| release(&f.source.display, s.name.as_deref()))
        });
        let release = released && !used_later;
        let Some(parsed) = parse_region(inv, rp, region_no as u32, out.sources.len(), release)
        else {
            continue;
        };
        if release
            && let Some(sheet) = inv
                .files
                .get_mut(rp.file)
                .and_then(|f| f.source.sheets.get_mut(rp.sheet))
        {
            sheet.grid = Default::default();
            sheet.lines = Vec::new();
            sheet.row_flags = None;
        }
        for (feed, (info, pending)) in rp.feeds.iter().zip(parsed) {
            let built = pending.finish(feed);
            let mut info = info;
            info.rows = built.frame.height() + built.rejects.len();
            info.rejected = built.rejects.len();
            info.decisions = built.decisions;
            out.notes.extend(skipped_rule_notes(&info));
            out.cell_findings.extend(built.findings);
            out.tainted
                .extend(built.tainted.into_iter().map(|r| (info.region, r)));
            out.rejects.extend(built.rejects);
            frames.entry(feed.entity).or_default().push(built.frame);
            out.sources.push(info);
        }
    }
    for (entity, parts) in frames {
        let mut iter = parts.into_iter();
        let Some(mut first) = iter.next() else {
            continue;
        };
        for df in iter {
            // Frames of one entity share the schema; a failure here is a bug, and
            // the rows of that source are left out with a note rather than a crash.
            if let Err(e) = first.vstack_mut(&df) {
                out.notes
                    .push(format!("{entity}: could not stack a source's rows: {e}"));
            }
        }
        first.rechunk_mut();
        out.tables.insert(entity, first);
    }
    out
}

/// Every feed of one region parsed (its source info and its pending frame),
/// or `None` when the region's sheet or table is gone. `first_id` is the
/// source id of its first feed. With `release`, a region feeding one entity
/// has its mapped columns taken out of the grid, each dropped once parsed.
fn parse_region(
    inv: &mut Inventory,
    rp: &RegionPlan,
    region_no: u32,
    first_id: usize,
    release: bool,
) -> Option<Vec<(SourceInfo, Pending)>> {
    let file = inv.files.get_mut(rp.file)?;
    let table = file.tables.get(rp.sheet)?;
    let sheet = file.source.sheets.get_mut(rp.sheet)?;
    let Layout::Table(region) = &table.layout else {
        return None;
    };
    let mut owned = match (release, rp.feeds.as_slice()) {
        (true, [feed]) => taken_columns(sheet, feed),
        _ => Vec::new(),
    };
    let sheet: &Sheet = sheet;
    Some(
        rp.feeds
            .iter()
            .enumerate()
            .map(|(k, feed)| {
                let info = source_info(
                    (first_id + k) as u32,
                    region_no,
                    &file.source.display,
                    sheet,
                    region,
                    feed,
                );
                let pending =
                    parse_feed(sheet, region, rp, feed, &info, std::mem::take(&mut owned));
                (info, pending)
            })
            .collect(),
    )
}

/// Per field of the feed's entity, its column taken out of the sheet's grid
/// (`None` for a field without a column, or whose column another field reads).
fn taken_columns(sheet: &mut Sheet, feed: &Feed) -> Vec<Option<Column>> {
    feed.entity
        .fields()
        .iter()
        .map(|f| {
            let c = feed.column_of(f.name)?.col;
            let shared = feed.columns.iter().filter(|m| m.col == c).count() > 1;
            if shared {
                None
            } else {
                sheet.grid.take_column(c as usize)
            }
        })
        .collect()
}

fn source_info(
    id: u32,
    region: u32,
    file: &str,
    sheet: &Sheet,
    table: &TableRegion,
    feed: &Feed,
) -> SourceInfo {
    SourceInfo {
        id,
        region,
        file: file.to_string(),
        sheet: sheet.name.clone(),
        entity: feed.entity,
        header_row: sheet.display_row(table.header_row),
        columns: feed.columns.iter().map(|c| (c.field, c.col)).collect(),
        headers: feed
            .columns
            .iter()
            .map(|c| (c.field, c.header.clone()))
            .collect(),
        decisions: Vec::new(),
        derived_line_no: feed.entity == Entity::OrderLines && feed.column_of("line_no").is_none(),
        rows: 0,
        rejected: 0,
    }
}

fn skipped_rule_notes(info: &SourceInfo) -> Vec<String> {
    let mut notes = Vec::new();
    if info.entity == Entity::Orders {
        if !info.has("status") {
            notes.push(format!(
                "{}: no status column, so status rules (stuck, unowned, handoff) skip it",
                info.label()
            ));
        } else if !info.has("owner") {
            notes.push(format!(
                "{}: no owner column, so the unowned rule skips it",
                info.label()
            ));
        }
    }
    notes
}

struct Built {
    frame: DataFrame,
    decisions: Vec<String>,
    findings: Vec<Finding>,
    rejects: Vec<Reject>,
    /// Display rows with any problem.
    tainted: Vec<u32>,
}

/// Line fields whose presence makes a row an order line.
const LINE_FIELDS: [&str; 5] = ["sku", "quantity", "unit_price", "line_total", "description"];

/// A feed parsed, its frame not made yet: nothing in it refers to the cells.
struct Pending {
    entity: Entity,
    source: u32,
    fields: Vec<&'static Field>,
    display: Vec<u32>,
    keep: KeptRows,
    parsed: Vec<Option<ParsedColumn>>,
    extras: polars::prelude::Column,
    decisions: Vec<String>,
    findings: Vec<Finding>,
    rejects: Vec<Reject>,
    tainted: Vec<u32>,
}

impl Pending {
    fn finish(self, feed: &Feed) -> Built {
        let frame = super::frame::frame(
            super::frame::Kept {
                feed,
                entity: self.entity,
                source: self.source,
                fields: &self.fields,
                display: self.display,
                keep: &self.keep,
            },
            self.parsed,
            self.extras,
        );
        Built {
            frame: frame.unwrap_or_else(|_| DataFrame::empty()),
            decisions: self.decisions,
            findings: self.findings,
            rejects: self.rejects,
            tainted: self.tainted,
        }
    }
}

/// `owned`: per field of the entity, its column already taken out of the
/// grid (dropped once parsed), or `None` to read it from the grid.
fn parse_feed(
    sheet: &Sheet,
    region: &TableRegion,
    rp: &RegionPlan,
    feed: &Feed,
    info: &SourceInfo,
    owned: Vec<Option<Column>>,
) -> Pending {
    let entity = feed.entity;
    let fields: Vec<&'static Field> = entity.fields().iter().collect();
    let column_at = |c: u32| {
        let mine = fields
            .iter()
            .zip(&owned)
            .find(|(f, o)| o.is_some() && feed.column_of(f.name).is_some_and(|m| m.col == c));
        match mine {
            Some((_, o)) => o.as_ref(),
            None => sheet.grid.column(c as usize),
        }
    };
    let multi_row_orders = entity == Entity::Orders && rp.feeds_entity(Entity::OrderLines);
    // Which grid rows hold this entity's records.
    let line_cols: Vec<u32> = LINE_FIELDS
        .iter()
        .filter_map(|f| feed.column_of(f))
        .map(|c| c.col)
        .collect();
    // A line column with a value in every row: every data row is a line.
    let every_row_a_line = line_cols.iter().any(|c| region.full_columns.contains(c));
    let rows: std::borrow::Cow<'_, [u32]> = if entity == Entity::OrderLines && !every_row_a_line {
        // Each line column marks its non-empty rows in one pass down the column.
        let mut has_line = vec![false; sheet.grid.rows()];
        for c in line_cols {
            let mut mark = |row: usize| {
                if let Some(h) = has_line.get_mut(row) {
                    *h = true;
                }
            };
            match column_at(c) {
                Some(Column::Text(t)) => t.for_each_text(|row, t| {
                    if !t.is_empty() && !trimmed(t).is_empty() {
                        mark(row);
                    }
                }),
                Some(column) => column.for_each(|row, cell| {
                    if !cell.is_empty() {
                        mark(row);
                    }
                }),
                None => {}
            }
        }
        region
            .data_rows
            .iter()
            .copied()
            .filter(|&r| has_line.get(r as usize).copied().unwrap_or(false))
            .collect()
    } else {
        std::borrow::Cow::Borrowed(&region.data_rows)
    };
    // Parse every mapped field, a column per task; a column taken out of the
    // grid is dropped part by part as it is parsed. The rows' display numbers
    // are worked out beside them.
    let mut owned = owned;
    owned.resize_with(fields.len(), || None);
    let run = crate::source::grid::consecutive(&rows);
    let (display, mut parsed): (Vec<u32>, Vec<Option<ParsedColumn>>) = rayon::join(
        || sheet.display_rows(&rows, run.clone()),
        || {
            fields
                .par_iter()
                .zip(owned.into_par_iter())
                .map(|(f, own)| match own {
                    Some(column) => Some(read_cells_owned(
                        column,
                        sheet.date1904,
                        (&rows, run.clone()),
                        f,
                    )),
                    None => feed
                        .column_of(f.name)
                        .map(|c| read_column(sheet, c.col, &rows, f)),
                })
                .collect()
        },
    );
    let mut state = FeedState {
        info,
        display: &display,
        findings: Vec::new(),
        fills: 0,
    };
    for (f, p) in fields.iter().zip(&parsed) {
        if let Some(p) = p {
            let found: Vec<Finding> = p
                .problems
                .iter()
                .map(|pr| state.problem_finding(f.name, pr))
                .collect();
            state.findings.extend(found);
        }
    }
    let mut info_decisions: Vec<String> = parsed
        .iter()
        .flatten()
        .filter_map(|p| p.decision.clone())
        .collect();
    if (multi_row_orders || entity == Entity::OrderLines)
        && let Some(Some(order_ids)) = fields
            .iter()
            .position(|f| f.name == "order_id")
            .map(|i| &mut parsed[i])
    {
        state.fills += fill_down(order_ids);
    }
    // The records: the merged order rows, or else every row.
    let merged: Option<Vec<usize>> =
        multi_row_orders.then(|| state.merge_order_rows(&fields, &mut parsed, &rows, sheet, feed));
    // Required fields: empty → missing_required; any problem → the row is rejected.
    let mut rejects = Vec::new();
    let mut tainted: Vec<u32> = parsed
        .iter()
        .flatten()
        .flat_map(|p| p.problems.iter().map(|pr| display[pr.index]))
        .collect();
    let required: Vec<(&'static Field, &ParsedColumn)> = fields
        .iter()
        .zip(&parsed)
        .filter_map(|(f, p)| Some((*f, p.as_ref()?)))
        .filter(|(f, _)| f.required)
        .collect();
    // The rows with a problem or an empty cell in a required field, ascending:
    // only these are looked at one by one; every other row is kept as it is.
    let troubled: Vec<usize> = {
        let mut rows: Vec<usize> = Vec::new();
        for (_, p) in &required {
            rows.extend(p.problems.iter().map(|pr| pr.index));
            if p.values.has_nulls() {
                rows.extend(p.values.nulls());
            }
        }
        rows.sort_unstable();
        rows.dedup();
        rows
    };
    // Whether record `i` is kept; a rejected one is listed with its reasons.
    let mut judge = |i: usize| -> bool {
        let mut reasons = Vec::new();
        for &(f, p) in &required {
            // Problems are in row order: a binary search, not a scan per row.
            let problem = p
                .problems
                .binary_search_by_key(&i, |pr| pr.index)
                .ok()
                .and_then(|at| p.problems.get(at));
            match problem {
                Some(pr) => reasons.push(RejectReason {
                    field: f.name,
                    column: info.column_of(f.name).map(crate::source::a1::column_letter),
                    value: pr.raw.clone(),
                    reason: pr.reason.clone(),
                    category: pr.category,
                }),
                None if p.values.is_null(i) => {
                    state.findings.push(state.missing_finding(f.name, i));
                    reasons.push(RejectReason {
                        field: f.name,
                        column: info.column_of(f.name).map(crate::source::a1::column_letter),
                        value: String::new(),
                        reason: format!("{} is empty", f.name),
                        category: Category::MissingRequired,
                    });
                }
                None => {}
            }
        }
        if reasons.is_empty() {
            return true;
        }
        tainted.push(display[i]);
        rejects.push(Reject {
            source: info.id,
            row: display[i],
            key: record_key(entity, &fields, &parsed, i),
            identifiers: identifiers(&fields, &parsed, i),
            reasons,
        });
        false
    };
    let keep = match merged {
        // The merged order rows: each looked at if troubled.
        Some(records) => KeptRows::listed(
            records
                .into_iter()
                .filter(|&i| troubled.binary_search(&i).is_err() || judge(i))
                .collect(),
        ),
        // Every row but the troubled ones that are rejected.
        None => {
            let dropped: Vec<usize> = troubled.into_iter().filter(|&i| !judge(i)).collect();
            KeptRows::except(rows.len(), &dropped)
        }
    };
    let extras = super::frame::extra_columns(sheet, region, rp, &rows, &keep);
    let mut findings = state.findings;
    findings.extend(unmapped_required(info, &fields));
    if state.fills > 0 {
        info_decisions.push(format!(
            "order_id: filled down over {} continuation rows",
            state.fills
        ));
    }
    Pending {
        entity,
        source: info.id,
        fields,
        display,
        keep,
        parsed,
        extras,
        decisions: info_decisions,
        findings,
        rejects,
        tainted,
    }
}

/// The readable identifiers of a row (order id, SKU, invoice id, ...), so a
/// rejected record still counts as existing for references.
fn identifiers(
    fields: &[&'static Field],
    parsed: &[Option<ParsedColumn>],
    i: usize,
) -> Vec<(&'static str, String)> {
    const IDS: [&str; 5] = ["order_id", "sku", "invoice_id", "shipment_id", "location"];
    fields
        .iter()
        .zip(parsed)
        .filter(|(f, _)| IDS.contains(&f.name))
        .filter_map(|(f, p)| {
            let text = p.as_ref()?.values.text(i)?;
            let t = text.trim();
            (!t.is_empty()).then(|| (f.name, t.to_string()))
        })
        .collect()
}

/// The record's key as text ("SO-1042", "SO-1042/2", "TNT-2P @ MAIN").
pub fn record_key(
    entity: Entity,
    fields: &[&'static Field],
    parsed: &[Option<ParsedColumn>],
    i: usize,
) -> Option<String> {
    let get = |name: &str| -> Option<String> {
        let pos = fields.iter().position(|f| f.name == name)?;
        parsed
            .get(pos)?
            .as_ref()?
            .values
            .text(i)
            .map(|t| t.trim().to_string())
    };
    match entity {
        Entity::Orders => get("order_id"),
        Entity::OrderLines => {
            let id = get("order_id")?;
            Some(match get("line_no").or_else(|| get("sku")) {
                Some(second) => format!("{id}/{second}"),
                None => id,
            })
        }
        Entity::Inventory => {
            let sku = get("sku")?;
            Some(match get("location") {
                Some(loc) => format!("{sku} @ {loc}"),
                None => sku,
            })
        }
        Entity::StockCounts => {
            let sku = get("sku")?;
            let loc = get("location")
                .map(|l| format!(" @ {l}"))
                .unwrap_or_default();
            let at = get("counted_at")
                .map(|d| format!(" on {d}"))
                .unwrap_or_default();
            Some(format!("{sku}{loc}{at}"))
        }
        Entity::Shipments => {
            get("shipment_id").or_else(|| get("order_id").map(|o| format!("order {o}")))
        }
        Entity::Invoices => get("invoice_id"),
    }
}
