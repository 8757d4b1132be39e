//! The answer key: `<folder>.planted.json` (every planted break at its cell, the
//! traps that must not be reported, the hazards `offsheet scan` should see) and
//! the README beside the folder, whose table is rendered from the same list so
//! the two never drift apart.

use serde::Serialize;

use crate::documents::Documents;
use crate::grid::{
    Hazards, INVOICES, Layout, Loc, OMS_ORDERS, Res, SHIPMENTS, Spot, TRACKER, layout_of,
};
use crate::plants::Plan;
use crate::world::{World, as_of};

#[derive(Debug, Serialize)]
pub struct Break {
    pub category: &'static str,
    pub file: String,
    pub sheet: Option<String>,
    pub row: u32,
    pub column: String,
    pub cell: String,
    pub entity: &'static str,
    pub key: String,
    /// What the cell shows, as text.
    pub value: String,
    pub note: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Loc>,
}

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub as_of: String,
    pub folder: String,
    pub seed: String,
    pub breaks: Vec<Break>,
    pub not_findings: Vec<Spot>,
    pub hazards: Vec<Hazards>,
}

fn locate(
    layouts: &[Layout],
    file: &str,
    anchor: &str,
    column: &str,
) -> Res<(Loc, String, String)> {
    let layout = layout_of(layouts, file).ok_or_else(|| format!("no layout for {file}"))?;
    let (loc, key) = layout
        .locate(anchor, column)
        .ok_or_else(|| format!("{file}: no cell for {anchor} / {column}"))?;
    let value = layout.values.get(&loc.cell).cloned().unwrap_or_default();
    Ok((loc, key, value))
}

fn column_index(letters: &str) -> usize {
    letters
        .bytes()
        .fold(0, |n, b| n * 26 + usize::from(b.saturating_sub(b'A')) + 1)
}

/// What the file writers report back: where records landed, the traps they
/// placed themselves and the hazards they wrote.
#[derive(Default)]
pub struct Outputs {
    pub layouts: Vec<Layout>,
    pub spots: Vec<Spot>,
    pub hazards: Vec<Hazards>,
}

/// Resolves every plant and trap to cells and collects the hazards.
pub fn build(
    folder: &str,
    seed: u64,
    world: &World,
    docs: &Documents,
    plan: &Plan,
    outputs: Outputs,
) -> Res<Manifest> {
    let Outputs {
        layouts,
        mut spots,
        hazards,
    } = outputs;
    let layouts = layouts.as_slice();
    let mut breaks = Vec::new();
    for p in &plan.breaks {
        let (loc, key, value) = locate(layouts, p.file, &p.anchor, p.column)?;
        let related = match &p.related {
            Some((file, anchor, column)) => vec![locate(layouts, file, anchor, column)?.0],
            None => Vec::new(),
        };
        breaks.push(Break {
            category: p.category,
            file: loc.file,
            sheet: loc.sheet,
            row: loc.row,
            column: loc.column,
            cell: loc.cell,
            entity: p.entity,
            key,
            value,
            note: p.note.clone(),
            related,
        });
    }
    // offsheet.toml, committed beside the data, was written before the warehouse
    // team added the Warehouse column to the log: the audit reports the drift.
    breaks.push(Break {
        category: "schema_drift",
        file: SHIPMENTS.to_string(),
        sheet: Some(crate::shipping::SHEET.to_string()),
        row: 1,
        column: "F".to_string(),
        cell: "F1".to_string(),
        entity: "shipments",
        key: String::new(),
        value: "Warehouse".to_string(),
        note: "the Warehouse column was added to the log after offsheet.toml was written"
            .to_string(),
        related: Vec::new(),
    });
    breaks.sort_by(|a, b| {
        (
            &a.file,
            &a.sheet,
            a.row,
            column_index(&a.column),
            a.category,
        )
            .cmp(&(
                &b.file,
                &b.sheet,
                b.row,
                column_index(&b.column),
                b.category,
            ))
    });

    for t in &plan.traps {
        let (loc, key, _) = locate(layouts, t.file, &t.anchor, t.column)?;
        let mut spot = Spot::new(t.kind, &loc.file, loc.sheet.as_deref(), &loc.cell, &t.note);
        spot.key = Some(key);
        spots.push(spot);
    }
    spots.extend(adoption_spots(world));
    spots.extend(document_spots(docs, layouts)?);
    spots.sort_by(|a, b| {
        (&a.file, &a.sheet, &a.kind, first_row(&a.cells), &a.cells).cmp(&(
            &b.file,
            &b.sheet,
            &b.kind,
            first_row(&b.cells),
            &b.cells,
        ))
    });

    Ok(Manifest {
        as_of: as_of().format("%Y-%m-%d").to_string(),
        folder: folder.to_string(),
        seed: format!("{seed:#x}"),
        breaks,
        not_findings: spots,
        hazards,
    })
}

/// Orders only one side holds: an adoption gap, never an integrity finding.
fn adoption_spots(world: &World) -> Vec<Spot> {
    let tracker_only = world
        .orders
        .iter()
        .filter(|o| o.in_tracker && !o.in_oms)
        .count();
    let oms_only = world
        .orders
        .iter()
        .filter(|o| !o.in_tracker && o.in_oms)
        .count();
    vec![
        Spot::new(
            "shadow_only_orders",
            TRACKER,
            Some("Orders"),
            "",
            format!(
                "{tracker_only} orders are in the tracker but not in the \
                    OMS export: adoption, not findings"
            ),
        ),
        Spot::new(
            "system_only_orders",
            OMS_ORDERS,
            None,
            "",
            format!(
                "{oms_only} orders are only in the OMS export (their \
                    shipments and invoices are not orphans)"
            ),
        ),
    ]
}

/// Split parcels and formatted amounts: odd-looking but clean.
fn document_spots(docs: &Documents, layouts: &[Layout]) -> Res<Vec<Spot>> {
    let mut out = Vec::new();
    for s in docs.shipments.iter().filter(|s| s.anchor.ends_with("#2")) {
        let (loc, key, _) = locate(layouts, SHIPMENTS, &s.anchor, "Order")?;
        let mut spot = Spot::new(
            "split_shipment",
            &loc.file,
            loc.sheet.as_deref(),
            &loc.cell,
            format!(
                "second parcel of {}: two shipments of one order are not a duplicate",
                s.order
            ),
        );
        spot.key = Some(key);
        out.push(spot);
    }
    let layout = layout_of(layouts, INVOICES).ok_or("no invoice layout")?;
    let quoted = layout
        .values
        .iter()
        .find(|(cell, v)| cell.starts_with('D') && v.contains(','))
        .map(|(cell, v)| (cell.clone(), v.clone()));
    if let Some((cell, value)) = quoted {
        out.push(Spot::new(
            "thousands_separator",
            INVOICES,
            None,
            cell,
            format!(
                "amount \"{value}\" quoted with a thousands separator: a plain decimal, not invalid"
            ),
        ));
    }
    Ok(out)
}

/// The row number a cell or range starts on (`A103:A105` → 103; 0 for none).
fn first_row(cells: &str) -> u32 {
    cells
        .chars()
        .skip_while(|c| c.is_ascii_alphabetic())
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

fn cell_ref(sheet: &Option<String>, cell: &str) -> String {
    match sheet {
        Some(s) => format!("{s}!{cell}"),
        None => cell.to_string(),
    }
}

/// The README beside the example folder, with the planted table rendered from
/// the manifest.
pub fn readme(m: &Manifest) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# Example: `{}` — the shadow spreadsheets of Acme Outdoor Supply\n\n",
        m.folder
    ));
    out.push_str(README_INTRO);
    out.push_str(&format!(
        "\n## Planted breaks ({})\n\nThe as-of date is {} (the newest date in the data). \
         `offsheet audit examples/{}` must report exactly these findings and nothing else. \
         Rows are 1-based as Excel or a text editor shows them (header rows counted). \
         The same list, machine-readable, is `{}.planted.json`.\n\n",
        m.breaks.len(),
        m.as_of,
        m.folder,
        m.folder
    ));
    out.push_str(LOCATION_RULES);
    out.push_str("| # | category | file | cell | key | value | what was planted |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    for (i, b) in m.breaks.iter().enumerate() {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            i + 1,
            b.category,
            b.file,
            cell_ref(&b.sheet, &b.cell),
            b.key,
            if b.value.is_empty() {
                "(empty)".to_string()
            } else {
                format!("`{}`", b.value.replace('|', "\\|"))
            },
            b.note.replace('|', "\\|")
        ));
    }
    out.push_str(
        "\n## Traps: not findings\n\nThese look odd on purpose; \
        reporting any of them is a false positive.\n\n",
    );
    out.push_str("| kind | file | where | note |\n|---|---|---|---|\n");
    for group in m.not_findings.chunk_by(|a, b| {
        (&a.kind, &a.file, &a.sheet, &a.note) == (&b.kind, &b.file, &b.sheet, &b.note)
    }) {
        let Some(s) = group.first() else { continue };
        let mut places: Vec<String> = group
            .iter()
            .take(6)
            .map(|g| {
                if g.cells.is_empty() {
                    g.sheet
                        .clone()
                        .unwrap_or_else(|| "(whole file)".to_string())
                } else {
                    cell_ref(&g.sheet, &g.cells)
                }
            })
            .collect();
        if group.len() > places.len() {
            places.push(format!("… {} in all", group.len()));
        }
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            s.kind,
            s.file,
            places.join(", "),
            s.note.replace('|', "\\|")
        ));
    }
    out.push_str("\n## Hazards `offsheet scan` should see\n\n");
    for h in &m.hazards {
        let name = match &h.sheet {
            Some(s) => format!("{} › {s}", h.file),
            None => h.file.clone(),
        };
        let mut parts = Vec::new();
        if h.formulas > 0 {
            parts.push(format!("{} formulas", h.formulas));
        }
        if !h.error_cells.is_empty() {
            parts.push(format!("error cells {}", h.error_cells.join(", ")));
        }
        match h.merged_cells.len() {
            0 => {}
            1..=3 => parts.push(format!("merged {}", h.merged_cells.join(", "))),
            n => parts.push(format!("{n} merged ranges")),
        }
        if !h.hidden_rows.is_empty() {
            let rows: Vec<String> = h.hidden_rows.iter().map(u32::to_string).collect();
            parts.push(format!("hidden rows {}", rows.join(", ")));
        }
        if !h.hidden_columns.is_empty() {
            parts.push(format!("hidden column {}", h.hidden_columns.join(", ")));
        }
        if h.hidden_sheet {
            parts.push("hidden sheet".to_string());
        }
        if !h.numbers_as_text.is_empty() {
            parts.push(format!("numbers as text {}", h.numbers_as_text.join(", ")));
        }
        if !h.dates_as_text.is_empty() {
            parts.push(format!("dates as text {}", h.dates_as_text.join(", ")));
        }
        for (col, formats) in &h.several_date_formats {
            parts.push(format!("column {col} mixes {}", formats.join(" / ")));
        }
        for (k, v) in &h.dialect {
            parts.push(format!("{k}: {v}"));
        }
        if parts.is_empty() {
            parts.push("none".to_string());
        }
        out.push_str(&format!("- **{name}**: {}\n", parts.join("; ")));
    }
    out
}

/// How each planted finding's cell was chosen (SPEC's "where a finding points").
const LOCATION_RULES: &str = "\
Where each finding points:

- a bad or missing value: that cell; order-level values sit on the order's first row;
- duplicate_key: the later row, at its key cell (Order # for a tracker line, Invoice #);
- conflicting_copy: one finding per differing value in each copy, naming the other in \
`related` in the JSON;
- stuck and unowned: in every orders source that holds the order and has the column \
(Janet's copy has no Last Updated column);
- handoff_gap: delivered-not-invoiced at the order's Status cell, paid-not-shipped at the \
invoice's Paid On cell.

";

const README_INTRO: &str = "\
A realistic folder of the spreadsheets a fictional outdoor retailer keeps beside its \
Order Management System, for trying offsheet and for its end-to-end tests. Everything \
in it is generated: the shop, its customers (all at example.com/.org/.net) and its \
orders are invented.

| file | kept by | what it is |
|---|---|---|
| `Orders Tracker.xlsx` | ops (Janet) | the shadow order sheet: a title and a note above the header (row 3), one row per order line with order fields only on the first line, formula line and order totals, a hidden Margin % column, hidden rows, a totals row; a pivot-like `Summary` sheet and a hidden `Lists` sheet for the dropdowns |
| `Orders Tracker (Janet's copy).xlsx` | Janet | the copy she took on 31 Oct and kept editing: orders up to that day, order numbers merged down over their lines, no totals or Last Updated column |
| `oms/orders_export.csv` | the OMS | system of record, one row per order (most of the tracker's orders plus some only the OMS has) |
| `oms/inventory_export.csv` | the OMS | stock per SKU and location (MAIN, OVERFLOW); UTF-8 with BOM, CRLF |
| `warehouse/Inventurliste_2026-11.csv` | warehouse | the physical count: Windows-1252, semicolons, dd.mm.yyyy, decimal commas |
| `shipping/Shipments Log.xlsx` | warehouse | one row per parcel |
| `finance/invoices.csv` | finance | the invoice register: d/m/yyyy dates, Y/N paid flag |

## Regenerate

```sh
cargo run --example generate_acme            # writes examples/acme-retail/
cargo run --example generate_acme -- OUT_DIR  # or anywhere else
```

The generator (`examples/generate_acme/`) is seeded and deterministic: two runs give \
byte-identical files, xlsx included (fixed document dates). It builds a clean world \
in which every rule holds (each shipped order invoiced, totals adding up, counts within \
tolerance, open orders owned and recently touched), then plants each break below on a \
record no other plant touches, so that each breaks exactly one rule. It writes this \
README and `acme-retail.planted.json` from the same list.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_sort_by_their_first_row() {
        assert_eq!(first_row("A103:A105"), 103);
        assert_eq!(first_row("A4:A5"), 4);
        assert_eq!(first_row("Q:Q"), 0);
        assert_eq!(first_row(""), 0);
    }

    #[test]
    fn columns_sort_as_numbers() {
        assert!(column_index("B") < column_index("Q"));
        assert!(column_index("Z") < column_index("AA"));
    }
}
