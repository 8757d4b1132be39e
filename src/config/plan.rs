//! The mapping plan offsheet.toml describes, checked against the files as they
//! are now: a column that appeared, disappeared or was renamed since the file
//! was written is a schema_drift finding at its header cell.

use std::collections::HashSet;

use crate::findings::{Category, Finding, Location, Severity};
use crate::inventory::Inventory;
use crate::mapping::headers::{Evidence, match_header};
use crate::mapping::plan::{Feed, MappedColumn, Plan, RegionPlan};
use crate::source::a1;
use crate::source::layout::{self, Layout};

use super::error::Problems;
use super::{Config, ConfigErrors, SourceConfig, did_you_mean};

/// The plan for the configured sources, drift findings, and notes (files the
/// configuration does not name are mapped automatically and said so).
pub struct ConfiguredPlan {
    pub plan: Plan,
    pub drift: Vec<Finding>,
    pub notes: Vec<String>,
}

pub fn plan(config: &Config, inv: &mut Inventory) -> Result<ConfiguredPlan, ConfigErrors> {
    let mut problems = Problems::new(&config.path.display().to_string(), &config.text);
    let mut regions = Vec::new();
    let mut drift = Vec::new();
    let mut configured: HashSet<(usize, usize)> = HashSet::new();
    for sc in &config.sources {
        let Some(fi) = inv.files.iter().position(|f| f.source.display == sc.file) else {
            continue; // unreadable: its read error is reported
        };
        let file = &mut inv.files[fi];
        let names: Vec<Option<String>> =
            file.source.sheets.iter().map(|s| s.name.clone()).collect();
        let si = match (&sc.sheet, names.len()) {
            (None, 1) => 0,
            (None, _) => {
                let listed: Vec<String> = names.iter().flatten().cloned().collect();
                problems.push(
                    Some(sc.span.clone()),
                    format!("{} has several sheets; say which", sc.file),
                    "which sheet?",
                    Some(format!(
                        "add sheet = \"{}\" (sheets: {})",
                        listed.first().cloned().unwrap_or_default(),
                        listed.join(", ")
                    )),
                );
                continue;
            }
            (Some(want), _) => match names
                .iter()
                .position(|n| n.as_deref() == Some(want.as_str()))
            {
                Some(i) => i,
                None => {
                    let listed: Vec<String> = names.iter().flatten().cloned().collect();
                    problems.push(
                        sc.sheet_span.clone(),
                        format!("{} has no sheet named {want:?}", sc.file),
                        "no such sheet",
                        did_you_mean(want, listed.iter().map(String::as_str))
                            .or(Some(format!("sheets: {}", listed.join(", ")))),
                    );
                    continue;
                }
            },
        };
        configured.insert((fi, si));
        if let (Some(row), Some(sheet)) = (sc.header_row, file.source.sheets.get(si)) {
            let detected = match &file.tables[si].layout {
                Layout::Table(r) => Some(sheet.display_row(r.header_row)),
                Layout::NoTable { .. } => None,
            };
            if detected != Some(row)
                && let Some(index) = grid_row_of(sheet, row)
            {
                file.tables[si].layout = layout::detect_with_header(sheet, index);
            }
        }
        let (Some(sheet), Some(table)) = (file.source.sheets.get(si), file.tables.get(si)) else {
            continue;
        };
        let Layout::Table(region) = &table.layout else {
            problems.push(
                Some(sc.span.clone()),
                format!(
                    "{} › {} holds no table now",
                    sc.file,
                    sheet.name.clone().unwrap_or_default()
                ),
                "no table",
                None,
            );
            continue;
        };
        let header_row = sheet.display_row(region.header_row);
        let at = |col: u32| Location {
            file: sc.file.clone(),
            sheet: sc.sheet.clone().or_else(|| sheet.name.clone()),
            row: Some(header_row),
            column: Some(a1::column_letter(col)),
            cell: Some(a1::cell_name(col, header_row)),
        };
        let current: Vec<(u32, String)> = region
            .columns
            .iter()
            .map(|c| (c.col, c.header.clone()))
            .collect();
        let header_at = |col: u32| {
            current
                .iter()
                .find(|(c, _)| *c == col)
                .map(|(_, h)| h.as_str())
        };
        let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
        let mut used: HashSet<u32> = HashSet::new();
        let mut mapped: Vec<MappedColumn> = Vec::new();
        let entity = sc.feeds.first().copied();
        let drift_finding =
            |col: u32, message: String, value: Option<String>, expected: Option<String>| Finding {
                rule: "source.schema_drift",
                category: Category::SchemaDrift,
                severity: Severity::Error,
                entity,
                key: None,
                location: at(col),
                related: Vec::new(),
                message,
                value,
                expected,
            };
        for cc in &sc.columns {
            let col = if header_at(cc.col).is_some_and(|h| same(h, &cc.header)) {
                Some(cc.col)
            } else {
                let moved: Vec<u32> = current
                    .iter()
                    .filter(|(_, h)| same(h, &cc.header))
                    .map(|(c, _)| *c)
                    .collect();
                match moved.as_slice() {
                    [c] => Some(*c),
                    _ => None,
                }
            };
            match col {
                Some(c) => {
                    used.insert(c);
                    if let Some(field) = cc.field {
                        mapped.push(mapped_column(field, c, &cc.header));
                    }
                }
                None => match header_at(cc.col) {
                    Some(now) if !now.is_empty() => {
                        used.insert(cc.col);
                        let same_field = cc
                            .field
                            .is_some_and(|f| match_header(now).iter().any(|m| m.field == f));
                        let tail = match (cc.field, same_field) {
                            (Some(f), true) => format!("; still read as {f}"),
                            (Some(f), false) => {
                                format!("; no longer read as {f} until offsheet.toml says so")
                            }
                            (None, _) => String::new(),
                        };
                        drift.push(drift_finding(cc.col, format!("column {} was {:?} when offsheet.toml was written and is now {:?}{tail}", a1::column_letter(cc.col), cc.header, now), Some(now.to_string()), Some(cc.header.clone())));
                        if let (Some(field), true) = (cc.field, same_field) {
                            mapped.push(mapped_column(field, cc.col, now));
                        }
                    }
                    _ => {
                        let what = cc
                            .field
                            .map(|f| format!(", mapped to {f},"))
                            .unwrap_or_default();
                        drift.push(drift_finding(
                            cc.col,
                            format!(
                                "the column {:?}{what} is gone (it was column {})",
                                cc.header,
                                a1::column_letter(cc.col)
                            ),
                            None,
                            Some(cc.header.clone()),
                        ));
                    }
                },
            }
        }
        for (col, header) in &current {
            if used.contains(col) {
                continue;
            }
            let shown = if header.is_empty() {
                "(no header)".to_string()
            } else {
                format!("{header:?}")
            };
            drift.push(drift_finding(
                *col,
                format!(
                    "new column {shown} in {} is not in offsheet.toml",
                    a1::column_letter(*col)
                ),
                Some(header.clone()),
                None,
            ));
        }
        regions.push(RegionPlan {
            file: fi,
            sheet: si,
            feeds: feeds(sc, &mapped),
        });
    }
    problems.finish()?;
    // Files the configuration does not name are still audited, mapped automatically.
    let auto = crate::mapping::plan::auto(inv);
    let mut notes = Vec::new();
    for rp in auto.regions {
        if configured.contains(&(rp.file, rp.sheet)) {
            continue;
        }
        if let Some(f) = inv.files.get(rp.file) {
            let sheet = f.source.sheets.get(rp.sheet).and_then(|s| s.name.clone());
            let place = match sheet {
                Some(s) => format!("{} › {}", f.source.display, s),
                None => f.source.display.clone(),
            };
            notes.push(format!("{place} is not in offsheet.toml: mapped automatically (run `offsheet init` to add it)"));
        }
        regions.push(rp);
    }
    regions.sort_by_key(|r| (r.file, r.sheet));
    Ok(ConfiguredPlan {
        plan: Plan { regions },
        drift,
        notes,
    })
}

fn mapped_column(field: &'static str, col: u32, header: &str) -> MappedColumn {
    MappedColumn {
        field,
        col,
        header: header.to_string(),
        evidence: Evidence::Exact,
        confidence: 1.0,
    }
}

fn feeds(sc: &SourceConfig, mapped: &[MappedColumn]) -> Vec<Feed> {
    sc.feeds
        .iter()
        .map(|&entity| Feed {
            entity,
            confidence: 1.0,
            columns: mapped
                .iter()
                .filter(|m| entity.field(m.field).is_some())
                .cloned()
                .collect(),
        })
        .collect()
}

/// The grid row shown as `row` (1-based) in a sheet.
fn grid_row_of(sheet: &crate::source::Sheet, row: u32) -> Option<usize> {
    if sheet.name.is_none() && !sheet.lines.is_empty() {
        sheet.lines.binary_search(&row).ok()
    } else {
        (row as usize).checked_sub(1)
    }
}
