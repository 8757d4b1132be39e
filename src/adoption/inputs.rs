//! From sheets to adoption inputs: each `[[shadow]]` of offsheet.toml becomes
//! the shadow's records and its system export's records, keyed, dated and
//! fingerprinted from the cells as read, so a snapshot measures the real files.

use std::collections::{BTreeMap, HashMap};

use miette::Diagnostic;
use polars::prelude::*;
use thiserror::Error;

use crate::audit::Audit;
use crate::config::{Config, ShadowConfig};
use crate::findings::Severity;
use crate::inventory::Inventory;
use crate::model::Entity;
use crate::model::canonical::is_money;
use crate::model::canonical::{Canonical, SourceInfo};
use crate::rules::emit::value_at;
use crate::source::layout::Layout;

use super::{KeyedRecord, ShadowInput, row_fingerprint};

#[derive(Debug, Error, Diagnostic)]
pub enum InputError {
    #[error("shadow {name}: {file} could not be read, so it cannot be measured")]
    #[diagnostic(
        code(offsheet::adoption::unreadable),
        help("the read error above says why; fix the file or the [[shadow]] entry")
    )]
    Unreadable { name: String, file: String },

    #[error("shadow {name}: no {entity} found in {file}{sheet}")]
    #[diagnostic(
        code(offsheet::adoption::no_records),
        help(
            "check the [[shadow]] entry's path, sheet and entity in offsheet.toml, and that a [[source]] maps that sheet"
        )
    )]
    NoSource {
        name: String,
        entity: String,
        file: String,
        sheet: String,
    },

    #[error("shadow {name}: {file} has no column for {entity}'s key {key} now (was it renamed?)")]
    #[diagnostic(
        code(offsheet::adoption::no_key),
        help("`offsheet audit` shows the schema drift; map the renamed column in offsheet.toml")
    )]
    NoKey {
        name: String,
        entity: String,
        file: String,
        key: String,
    },
}

/// The dated field of each entity, for the adoption window.
pub fn date_field(entity: Entity) -> Option<&'static str> {
    match entity {
        Entity::Orders => Some("order_date"),
        Entity::OrderLines => None,
        Entity::Inventory => Some("as_of"),
        Entity::StockCounts => Some("counted_at"),
        Entity::Shipments => Some("shipped_at"),
        Entity::Invoices => Some("invoiced_at"),
    }
}

/// The inputs of every shadow of the configuration.
pub fn shadow_inputs(config: &Config, audit: &Audit) -> Result<Vec<ShadowInput>, InputError> {
    config
        .shadows
        .iter()
        .map(|s| shadow_input(s, audit))
        .collect()
}

fn shadow_input(s: &ShadowConfig, audit: &Audit) -> Result<ShadowInput, InputError> {
    let (inv, c) = (&audit.inventory, &audit.canonical);
    let shadow = records(inv, c, &s.name, &s.path, s.sheet.as_deref(), s.entity)?;
    let system = records(
        inv,
        c,
        &s.name,
        &s.system,
        s.system_sheet.as_deref(),
        s.entity,
    )?;
    let open_errors = audit
        .outcome
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && f.location.file == s.path)
        .filter(|f| s.sheet.is_none() || f.location.sheet == s.sheet)
        .count();
    Ok(ShadowInput {
        name: s.name.clone(),
        entity: s.entity.name().to_string(),
        owner: s.owner.clone(),
        path: s.path.clone(),
        system_path: s.system.clone(),
        shadow,
        system,
        open_errors,
    })
}

/// The records of `entity` a file (and sheet) holds, one per key.
pub fn records(
    inventory: &Inventory,
    canonical: &Canonical,
    name: &str,
    file: &str,
    sheet: Option<&str>,
    entity: Entity,
) -> Result<Vec<KeyedRecord>, InputError> {
    if inventory.errors.iter().any(|e| e.file() == file) {
        return Err(InputError::Unreadable {
            name: name.into(),
            file: file.into(),
        });
    }
    let source = canonical
        .sources
        .iter()
        .find(|src| {
            src.entity == entity
                && src.file == file
                && (sheet.is_none() || src.sheet.as_deref() == sheet)
        })
        .ok_or_else(|| InputError::NoSource {
            name: name.into(),
            entity: entity.name().into(),
            file: file.into(),
            sheet: sheet.map(|s| format!(" › {s}")).unwrap_or_default(),
        })?;
    let keys: Vec<&'static str> = entity.key_fields().map(|f| f.name).collect();
    let first_key = keys.first().copied().unwrap_or("");
    let keyed = source.has(first_key) || (entity == Entity::Shipments && source.has("order_id"));
    if !keyed {
        return Err(InputError::NoKey {
            name: name.into(),
            entity: entity.name().into(),
            file: file.into(),
            key: first_key.into(),
        });
    }
    let Some(df) = canonical.table(entity) else {
        return Ok(Vec::new());
    };
    let rows = frame_rows(df, source.id).unwrap_or_default();
    let raw = RawRows::new(inventory, source);
    let lines_of = order_line_rows(canonical, source);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let key = key_text(entity, &row.values);
        let Some(key) = key else { continue };
        let date = date_field(entity)
            .and_then(|f| row.values.get(f))
            .and_then(|d| {
                chrono::NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok()
            });
        let mut grid_rows = vec![row.row];
        if let Some(lines) = lines_of.get(&key) {
            grid_rows.extend(lines.iter().copied());
        }
        grid_rows.sort_unstable();
        grid_rows.dedup();
        let cells: Vec<String> = grid_rows.iter().flat_map(|&r| raw.cells(r)).collect();
        let values = row
            .values
            .into_iter()
            .filter(|(field, _)| source.has(field) && !keys.contains(&field.as_str()))
            .collect();
        out.push(KeyedRecord {
            key,
            date,
            values,
            fingerprint: row_fingerprint(cells),
            row: row.row,
        });
    }
    Ok(out)
}

struct FrameRow {
    row: u32,
    values: BTreeMap<String, String>,
}

fn frame_rows(df: &DataFrame, source: u32) -> PolarsResult<Vec<FrameRow>> {
    let mask = df.column("_source")?.u32()?.equal(source);
    let part = df.filter(&mask)?;
    let rows = part.column("_row")?.u32()?.clone();
    let fields: Vec<(&Column, bool)> = part
        .columns()
        .iter()
        .filter(|c| !c.name().starts_with('_'))
        .map(|c| (c, is_money(c.name())))
        .collect();
    let mut out = Vec::with_capacity(part.height());
    for i in 0..part.height() {
        let mut values = BTreeMap::new();
        for &(c, money) in &fields {
            if let Some(v) = value_at(c, i, money) {
                values.insert(c.name().to_string(), v);
            }
        }
        out.push(FrameRow {
            row: rows.get(i).unwrap_or(0),
            values,
        });
    }
    Ok(out)
}

/// The key text of a record from its values ("SO-1042", "SO-1042/2", "TNT @ MAIN").
fn key_text(entity: Entity, v: &BTreeMap<String, String>) -> Option<String> {
    let get = |f: &str| v.get(f).cloned();
    match entity {
        Entity::Orders => get("order_id"),
        Entity::OrderLines => Some(format!(
            "{}/{}",
            get("order_id")?,
            get("line_no").or_else(|| get("sku"))?
        )),
        Entity::Inventory => {
            let sku = get("sku")?.trim().to_lowercase();
            Some(get("location").map_or(sku.clone(), |l| {
                format!("{sku} @ {}", l.trim().to_lowercase())
            }))
        }
        Entity::StockCounts => Some(format!(
            "{} @ {} on {}",
            get("sku")?.trim().to_lowercase(),
            get("location").unwrap_or_default().trim().to_lowercase(),
            get("counted_at")?
        )),
        Entity::Shipments => get("shipment_id"),
        Entity::Invoices => get("invoice_id"),
    }
}

/// The cells of a sheet's rows as a person sees them, for fingerprints.
struct RawRows<'a> {
    sheet: Option<&'a crate::source::Sheet>,
    cols: Vec<u32>,
}

impl<'a> RawRows<'a> {
    fn new(inventory: &'a Inventory, source: &SourceInfo) -> RawRows<'a> {
        for f in &inventory.files {
            if f.source.display != source.file {
                continue;
            }
            for (sheet, t) in f.source.sheets.iter().zip(&f.tables) {
                if sheet.name != source.sheet {
                    continue;
                }
                if let Layout::Table(region) = &t.layout {
                    return RawRows {
                        sheet: Some(sheet),
                        cols: region.columns.iter().map(|c| c.col).collect(),
                    };
                }
            }
        }
        RawRows {
            sheet: None,
            cols: Vec::new(),
        }
    }

    fn cells(&self, display_row: u32) -> Vec<String> {
        let Some(sheet) = self.sheet else {
            return Vec::new();
        };
        let grid_row = if sheet.name.is_none() && !sheet.lines.is_empty() {
            sheet.lines.binary_search(&display_row).ok()
        } else {
            (display_row as usize).checked_sub(1)
        };
        let Some(r) = grid_row else { return Vec::new() };
        self.cols
            .iter()
            .map(|&c| crate::model::cells::raw_text(sheet.grid.get(r, c as usize)))
            .collect()
    }
}

/// For an orders source whose region also feeds order lines: each order's line
/// rows, so an edit to any of its lines changes the order's fingerprint.
fn order_line_rows(canonical: &Canonical, source: &SourceInfo) -> HashMap<String, Vec<u32>> {
    let mut out: HashMap<String, Vec<u32>> = HashMap::new();
    if source.entity != Entity::Orders {
        return out;
    }
    let Some(lines) = canonical
        .sources
        .iter()
        .find(|s| s.region == source.region && s.entity == Entity::OrderLines)
    else {
        return out;
    };
    let Some(df) = canonical.table(Entity::OrderLines) else {
        return out;
    };
    for r in frame_rows(df, lines.id).unwrap_or_default() {
        if let Some(id) = r.values.get("order_id") {
            out.entry(id.clone()).or_default().push(r.row);
        }
    }
    out
}

/// Error findings for retired shadow sheets changed since their decommission
/// (none when there is no ledger yet); problems reading the ledger are notes.
pub fn resurrections(
    config: &Config,
    inventory: &Inventory,
    canonical: &Canonical,
    as_of: chrono::NaiveDate,
) -> (Vec<crate::findings::Finding>, Vec<String>) {
    use crate::findings::{Category, Finding, Location};
    let path = config.dir.join(".offsheet").join("ledger.sqlite");
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    if config.shadows.is_empty() || !path.is_file() {
        return (findings, notes);
    }
    let ledger = match crate::ledger::Ledger::open_existing(&path) {
        Ok(l) => l,
        Err(e) => {
            notes.push(format!(
                "the adoption ledger could not be read, so retired sheets were not checked: {e}"
            ));
            return (findings, notes);
        }
    };
    for s in &config.shadows {
        let Ok(current) = records(
            inventory,
            canonical,
            &s.name,
            &s.path,
            s.sheet.as_deref(),
            s.entity,
        ) else {
            continue;
        };
        match super::resurrected(&ledger, &s.name, &current, as_of) {
            Ok(Some(r)) => {
                let source = canonical.sources.iter().find(|src| {
                    src.entity == s.entity
                        && src.file == s.path
                        && (s.sheet.is_none() || src.sheet == s.sheet)
                });
                let at = |row: u32| match source {
                    Some(src) => src.location(row, src.entity.key_fields().next().map(|f| f.name)),
                    None => Location::file(s.path.clone()),
                };
                let mut rows = r.changed_rows.iter().copied();
                let location = rows
                    .next()
                    .map_or_else(|| Location::file(s.path.clone()), at);
                findings.push(Finding {
                    rule: "shadow.resurrected",
                    category: Category::HandoffGap,
                    severity: Severity::Error,
                    entity: Some(s.entity),
                    key: None,
                    location,
                    related: rows.take(20).map(at).collect(),
                    message: format!("retired shadow sheet {} {}", s.name, r.describe()),
                    value: None,
                    expected: Some("no change after decommissioning".into()),
                });
            }
            Ok(None) => {}
            Err(e) => notes.push(format!(
                "shadow {}: the ledger could not be read: {e}",
                s.name
            )),
        }
    }
    (findings, notes)
}
