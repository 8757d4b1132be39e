//! Writing offsheet.toml for `offsheet init`: every source with its entities and
//! column mapping (evidence and confidence as comments), unmapped columns listed,
//! owners, rule settings with their defaults, and shadow/system pairs.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::inventory::{Inventory, ReadFile};
use crate::mapping::plan::{Plan, RegionPlan};
use crate::model::Entity;
use crate::source::layout::{Layout, TableRegion};
use crate::source::{CellRef, FileKind, a1};

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The proposed configuration text.
pub fn render(inv: &Inventory, plan: &Plan, today: NaiveDate) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# offsheet.toml, proposed by `offsheet init` on {today} from {}.",
        crate::report::plural(inv.files.len(), "file", "files")
    );
    out.push_str(
        "# Edit it freely: offsheet reads this mapping instead of guessing. It also works as a\n\
         # lockfile: a column that appears, disappears or is renamed later is reported by\n\
         # `offsheet audit` as schema_drift. Paths are relative to this file.\n\
         version = 1\n\n",
    );
    out.push_str(
        "[settings]\n\
         # as_of = \"2026-11-27\"       # \"now\" for stuck and stale checks (default: the newest date in the data)\n\
         sla_days = 7                 # an open order not updated for more than this many days is stuck\n\
         stale_days = 90              # a count this much older than the newest count is stale\n\
         stock_tolerance_units = 2    # a count is a mismatch when off by more than this many units...\n\
         stock_tolerance_pct = 5.0    # ...and by more than this percentage of on_hand\n\
         amount_tolerance = \"0.01\"    # money totals may differ by this much\n\
         adoption_window_days = 30    # adoption is measured over records dated within this window\n\n\
         [decommission]\n\
         min_rate = 0.98              # adoption rate needed in each of the last `streak` snapshots\n\
         streak = 3\n\
         quiet_days = 14              # the shadow sheet must be unchanged this long\n\n\
         # Switch a rule off, change its severity, or set a threshold (a count, or \"5%\" of rows)\n\
         # below which it only warns. `offsheet rules` lists the ids.\n\
         # [rules.\"orders.unowned\"]\n\
         # severity = \"warning\"\n\
         # enabled = false\n\
         # threshold = \"5%\"\n",
    );
    for (fi, file) in inv.files.iter().enumerate() {
        for (si, (sheet, table)) in file.source.sheets.iter().zip(&file.tables).enumerate() {
            let place = match &sheet.name {
                Some(s) => format!("{} › {}", file.source.display, s),
                None => file.source.display.clone(),
            };
            let rp = plan.regions.iter().find(|r| r.file == fi && r.sheet == si);
            match (&table.layout, rp) {
                (Layout::Table(region), Some(rp)) => {
                    source_block(&mut out, file, si, region, rp, &place)
                }
                (Layout::Table(_), None) => {
                    let _ = writeln!(
                        out,
                        "\n# {place}: a table that feeds no canonical entity; not audited."
                    );
                }
                (Layout::NoTable { reason }, _) => {
                    let _ = writeln!(out, "\n# {place}: no table ({reason}); not audited.");
                }
            }
        }
    }
    shadows(&mut out, inv, plan);
    out
}

fn source_block(
    out: &mut String,
    file: &ReadFile,
    si: usize,
    region: &TableRegion,
    rp: &RegionPlan,
    place: &str,
) {
    let Some(sheet) = file.source.sheets.get(si) else {
        return;
    };
    let fed: Vec<String> = rp
        .feeds
        .iter()
        .map(|f| format!("{} ({:.2})", f.entity, f.confidence))
        .collect();
    let _ = writeln!(out, "\n# {place}: {}", fed.join(" and "));
    out.push_str("[[source]]\n");
    let _ = writeln!(out, "file = {}", q(&file.source.display));
    if let Some(name) = &sheet.name {
        let _ = writeln!(out, "sheet = {}", q(name));
    }
    let _ = writeln!(out, "header_row = {}", sheet.display_row(region.header_row));
    let feeds: Vec<String> = rp.feeds.iter().map(|f| q(f.entity.name())).collect();
    let _ = writeln!(out, "feeds = [{}]", feeds.join(", "));
    if let Some(owner) = owner_of(file, si, region, rp) {
        let _ = writeln!(
            out,
            "owner = {}  # the most frequent value of its owner column",
            q(&owner)
        );
    }
    out.push_str("columns = [\n");
    for c in &region.columns {
        let choice = rp
            .feeds
            .iter()
            .flat_map(|f| f.columns.iter())
            .find(|m| m.col == c.col);
        let letter = a1::column_letter(c.col);
        let (field, note) = match choice {
            Some(m) => (
                m.field,
                format!("{}, {:.2}", m.evidence.name(), m.confidence),
            ),
            None => ("-", "unmapped: kept as an extra field".to_string()),
        };
        let _ = writeln!(
            out,
            "  {{ column = {}, header = {}, field = {} }},  # {note}",
            q(&letter),
            q(&c.header),
            q(field)
        );
    }
    out.push_str("]\n");
    let missing: Vec<String> = rp
        .feeds
        .iter()
        .flat_map(|f| {
            f.entity
                .fields()
                .iter()
                .filter(|fd| fd.required && f.column_of(fd.name).is_none())
                .map(move |fd| format!("{}.{}", f.entity, fd.name))
        })
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(out, "# no column holds {} (required)", missing.join(", "));
    }
}

/// The most frequent value of the region's owner column, if it has one.
fn owner_of(file: &ReadFile, si: usize, region: &TableRegion, rp: &RegionPlan) -> Option<String> {
    let col = rp.feeds.iter().find_map(|f| f.column_of("owner"))?.col;
    let sheet = file.source.sheets.get(si)?;
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for &r in &region.data_rows {
        if let CellRef::Text(t) = sheet.grid.get(r as usize, col as usize) {
            let t = t.trim();
            if !t.is_empty() {
                *counts.entry(t).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(k, _)| k.to_string())
}

/// Words in a path that mark a system-of-record export.
const SYSTEM_WORDS: [&str; 9] = [
    "oms", "erp", "export", "system", "netsuite", "shopify", "odoo", "sap", "wms",
];

fn is_system(file: &ReadFile) -> bool {
    let lower = file.source.display.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).collect();
    SYSTEM_WORDS.iter().any(|w| words.contains(w))
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for ch in deunicode::deunicode(s).to_lowercase().chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A `[[shadow]]` for each hand-kept sheet of an entity a system export also holds.
fn shadows(out: &mut String, inv: &Inventory, plan: &Plan) {
    let mut written = 0;
    for rp in &plan.regions {
        let Some(file) = inv.files.get(rp.file) else {
            continue;
        };
        if is_system(file) {
            continue;
        }
        let Some(feed) = rp.feeds.first() else {
            continue;
        };
        let entity = shadow_entity(rp, feed.entity);
        let system = plan.regions.iter().find(|s| {
            inv.files.get(s.file).is_some_and(is_system)
                && s.feeds.iter().any(|f| f.entity == entity)
        });
        let Some(system) = system else { continue };
        let Some(sys_file) = inv.files.get(system.file) else {
            continue;
        };
        let sheet = file
            .source
            .sheets
            .get(rp.sheet)
            .and_then(|s| s.name.clone());
        let stem = file
            .source
            .display
            .rsplit('/')
            .next()
            .unwrap_or(&file.source.display);
        let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
        if written == 0 {
            out.push_str(
                "\n# Shadow sheets and the system-of-record export meant to replace each.\n",
            );
        }
        written += 1;
        out.push_str("[[shadow]]\n");
        let _ = writeln!(out, "name = {}", q(&slug(stem)));
        let _ = writeln!(out, "path = {}", q(&file.source.display));
        if let Some(s) = &sheet {
            let _ = writeln!(out, "sheet = {}", q(s));
        }
        let _ = writeln!(out, "entity = {}", q(entity.name()));
        let region = file.tables.get(rp.sheet).and_then(|t| match &t.layout {
            Layout::Table(r) => Some(r),
            Layout::NoTable { .. } => None,
        });
        if let Some(owner) = region.and_then(|r| owner_of(file, rp.sheet, r, rp)) {
            let _ = writeln!(out, "owner = {}", q(&owner));
        }
        let _ = writeln!(out, "system = {}", q(&sys_file.source.display));
        if sys_file.source.kind != FileKind::Csv
            && let Some(s) = sys_file
                .source
                .sheets
                .get(system.sheet)
                .and_then(|s| s.name.clone())
        {
            let _ = writeln!(out, "system_sheet = {}", q(&s));
        }
        out.push('\n');
    }
}

/// A tracker that feeds orders and order lines shadows the orders export.
fn shadow_entity(rp: &RegionPlan, first: Entity) -> Entity {
    if rp.feeds_entity(Entity::Orders) {
        Entity::Orders
    } else {
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_plain() {
        assert_eq!(
            slug("Orders Tracker (Janet's copy)"),
            "orders-tracker-janet-s-copy"
        );
        assert_eq!(slug("Inventurliste_2026-11"), "inventurliste-2026-11");
    }
}
