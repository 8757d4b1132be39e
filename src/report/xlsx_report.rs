//! The readiness report as an XLSX workbook a consultant can filter and hand
//! on: Summary (with a native bar chart), Findings, Sources, Inventory and,
//! when tracked, Adoption. Dated by the as-of date, so the same input gives
//! the same workbook.

use chrono::Datelike;
use rust_xlsxwriter::{
    Chart, ChartSolidFill, ChartType, DocProperties, ExcelDateTime, Format, Workbook, Worksheet,
    XlsxError,
};

use super::chart::SEVERITY_COLORS;
use super::readiness::{Adoption, Readiness};
use crate::adoption::Status;
use crate::findings::Category;

/// Excel's longest cell text.
const MAX_TEXT: usize = 32_767;
/// Excel's last row index.
const MAX_ROW: u32 = 1_048_575;

pub const FINDINGS_HEADER: [&str; 12] = [
    "severity", "category", "rule", "file", "sheet", "row", "cell", "key", "message", "value",
    "expected", "related",
];

/// Text cut to what a cell holds.
fn text(s: &str) -> &str {
    match s.char_indices().nth(MAX_TEXT) {
        Some((i, _)) => s.get(..i).unwrap_or(s),
        None => s,
    }
}

fn header(ws: &mut Worksheet, row: u32, names: &[&str], bold: &Format) -> Result<(), XlsxError> {
    for (c, name) in names.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *name, bold)?;
    }
    Ok(())
}

/// A header row with a filter, frozen above the data.
fn table_header(
    ws: &mut Worksheet,
    names: &[&str],
    rows: u32,
    bold: &Format,
) -> Result<(), XlsxError> {
    header(ws, 0, names, bold)?;
    let last_col = names.len().saturating_sub(1) as u16;
    ws.autofilter(0, 0, rows.max(1), last_col)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn num(n: usize) -> f64 {
    n as f64
}

pub fn workbook(r: &Readiness<'_>) -> Result<Vec<u8>, String> {
    build(r).map_err(|e| e.to_string())
}

fn build(r: &Readiness<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(
        u16::try_from(r.as_of.year()).unwrap_or(1900),
        r.as_of.month() as u8,
        r.as_of.day() as u8,
    )?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("OMS readiness: {}", r.folder))
            .set_creation_datetime(&created),
    );
    let bold = Format::new().set_bold();
    summary(wb.add_worksheet(), r, &bold, &created)?;
    findings(wb.add_worksheet(), r, &bold)?;
    sources(wb.add_worksheet(), r, &bold)?;
    inventory(wb.add_worksheet(), r, &bold)?;
    if let Adoption::Tracked(status) = &r.adoption {
        adoption(wb.add_worksheet(), status, &bold)?;
    }
    wb.save_to_buffer()
}

fn summary(
    ws: &mut Worksheet,
    r: &Readiness<'_>,
    bold: &Format,
    as_of: &ExcelDateTime,
) -> Result<(), XlsxError> {
    ws.set_name("Summary")?;
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 12)?;
    let title = Format::new().set_bold().set_font_size(14);
    ws.write_string_with_format(0, 0, text(&format!("OMS readiness: {}", r.folder)), &title)?;
    ws.write_string_with_format(1, 0, "As of", bold)?;
    ws.write_datetime_with_format(1, 1, as_of, &Format::new().set_num_format("yyyy-mm-dd"))?;
    ws.write_string_with_format(2, 0, "Verdict", bold)?;
    ws.write_string(2, 1, text(&r.verdict))?;
    let figures = [
        ("Files read", r.files),
        ("Files unreadable", r.unreadable.len()),
        ("Sheets", r.sheets),
        ("Sources mapped", r.sources),
        ("Rows read", r.rows),
        ("Rows rejected", r.rejected),
        ("Errors", r.counts.error),
        ("Warnings", r.counts.warning),
        ("Info", r.counts.info),
    ];
    let mut row = 4;
    for (label, n) in figures {
        ws.write_string_with_format(row, 0, label, bold)?;
        ws.write_number(row, 1, num(n))?;
        row += 1;
    }
    row += 1;
    let first = row;
    header(
        ws,
        row,
        &["Category", "Error", "Warning", "Info", "Total"],
        bold,
    )?;
    for (c, counts) in &r.by_category {
        row += 1;
        ws.write_string(row, 0, c.name())?;
        for (col, n) in counts.as_array().into_iter().enumerate() {
            ws.write_number(row, col as u16 + 1, num(n))?;
        }
        ws.write_number(row, 4, num(counts.total()))?;
    }
    let mut chart = Chart::new(ChartType::BarStacked);
    for (k, color) in SEVERITY_COLORS.iter().enumerate() {
        let col = k as u16 + 1;
        chart
            .add_series()
            .set_name(("Summary", first, col))
            .set_categories(("Summary", first + 1, 0, row, 0))
            .set_values(("Summary", first + 1, col, row, col))
            .set_format(ChartSolidFill::new().set_color(*color))
            .set_gap(60);
    }
    chart.title().set_name("Findings by category");
    chart.x_axis().set_reverse();
    chart.set_width(560).set_height(440);
    ws.insert_chart(0, 6, &chart)?;

    row += 2;
    let mut names = vec!["File", "Errors", "Warnings", "Info"];
    names.extend(Category::ALL.iter().map(|c| c.name()));
    header(ws, row, &names, bold)?;
    for f in &r.by_file {
        row += 1;
        ws.write_string(row, 0, text(&f.file))?;
        for (col, n) in f.counts.as_array().into_iter().enumerate() {
            ws.write_number(row, col as u16 + 1, num(n))?;
        }
        for (i, c) in Category::ALL.iter().enumerate() {
            let n = f
                .by_category
                .iter()
                .find(|(k, _)| k == c)
                .map_or(0, |(_, n)| *n);
            ws.write_number(row, i as u16 + 4, num(n))?;
        }
    }
    Ok(())
}

fn findings(ws: &mut Worksheet, r: &Readiness<'_>, bold: &Format) -> Result<(), XlsxError> {
    ws.set_name("Findings")?;
    let shown = r.findings.len().min(MAX_ROW as usize - 1);
    table_header(ws, &FINDINGS_HEADER, shown as u32, bold)?;
    for (width, col) in [(9, 0), (20, 1), (26, 2), (30, 3), (14, 4), (10, 7), (70, 8)] {
        ws.set_column_width(col, width)?;
    }
    for (i, f) in r.findings.iter().take(shown).enumerate() {
        let row = i as u32 + 1;
        let loc = &f.location;
        ws.write_string(row, 0, f.severity.name())?;
        ws.write_string(row, 1, f.category.name())?;
        ws.write_string(row, 2, f.rule)?;
        ws.write_string(row, 3, text(&loc.file))?;
        let cells = [
            (4, loc.sheet.as_deref()),
            (6, loc.cell.as_deref()),
            (7, f.key.as_deref()),
            (8, Some(f.message.as_str())),
            (9, f.value.as_deref()),
            (10, f.expected.as_deref()),
        ];
        for (col, value) in cells {
            if let Some(v) = value {
                ws.write_string(row, col, text(v))?;
            }
        }
        if let Some(n) = loc.row {
            ws.write_number(row, 5, f64::from(n))?;
        }
        if !f.related.is_empty() {
            let related: Vec<String> = f.related.iter().map(|l| l.to_string()).collect();
            ws.write_string(row, 11, text(&related.join("; ")))?;
        }
    }
    if shown < r.findings.len() {
        let more = r.findings.len() - shown;
        ws.write_string(
            shown as u32 + 1,
            0,
            format!(
                "… and {more} more findings than a sheet holds; run offsheet audit --format json"
            ),
        )?;
    }
    Ok(())
}

fn sources(ws: &mut Worksheet, r: &Readiness<'_>, bold: &Format) -> Result<(), XlsxError> {
    ws.set_name("Sources")?;
    let list = &r.audit.canonical.sources;
    table_header(
        ws,
        &[
            "file",
            "sheet",
            "entity",
            "header row",
            "rows read",
            "rows rejected",
            "mapping",
            "decisions",
        ],
        list.len() as u32,
        bold,
    )?;
    ws.set_column_width(0, 34)?;
    ws.set_column_width(6, 90)?;
    for (i, s) in list.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, text(&s.file))?;
        if let Some(sheet) = &s.sheet {
            ws.write_string(row, 1, text(sheet))?;
        }
        ws.write_string(row, 2, s.entity.name())?;
        ws.write_number(row, 3, f64::from(s.header_row))?;
        ws.write_number(row, 4, num(s.rows))?;
        ws.write_number(row, 5, num(s.rejected))?;
        let mapping: Vec<String> = s
            .headers
            .iter()
            .map(|(field, header)| {
                let col = s
                    .column_of(field)
                    .map(crate::source::a1::column_letter)
                    .unwrap_or_default();
                format!("{field} ← {col} \"{header}\"")
            })
            .collect();
        ws.write_string(row, 6, text(&mapping.join(", ")))?;
        ws.write_string(row, 7, text(&s.decisions.join("; ")))?;
    }
    Ok(())
}

fn inventory(ws: &mut Worksheet, r: &Readiness<'_>, bold: &Format) -> Result<(), XlsxError> {
    ws.set_name("Inventory")?;
    table_header(
        ws,
        &[
            "file",
            "sheet",
            "hidden",
            "header row",
            "data rows",
            "feeds",
            "hazards",
            "no table",
        ],
        r.inventory.len() as u32,
        bold,
    )?;
    ws.set_column_width(0, 34)?;
    ws.set_column_width(5, 50)?;
    ws.set_column_width(6, 60)?;
    for (i, s) in r.inventory.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, text(&s.file))?;
        if let Some(sheet) = &s.sheet {
            ws.write_string(row, 1, text(sheet))?;
        }
        ws.write_boolean(row, 2, s.hidden)?;
        if let Some(h) = s.header_row {
            ws.write_number(row, 3, f64::from(h))?;
        }
        if let Some(n) = s.data_rows {
            ws.write_number(row, 4, num(n))?;
        }
        let feeds: Vec<String> = s
            .feeds
            .iter()
            .map(|(e, rows, rejected)| {
                format!(
                    "{e} ({}, {rejected} rejected)",
                    super::plural(*rows, "row", "rows")
                )
            })
            .collect();
        ws.write_string(row, 5, text(&feeds.join("; ")))?;
        ws.write_string(row, 6, text(&s.hazards))?;
        if let Some(reason) = &s.no_table {
            ws.write_string(row, 7, text(reason))?;
        }
    }
    Ok(())
}

fn adoption(ws: &mut Worksheet, status: &Status, bold: &Format) -> Result<(), XlsxError> {
    ws.set_name("Adoption")?;
    header(
        ws,
        0,
        &[
            "shadow",
            "entity",
            "owner",
            "sheet",
            "system",
            "decommissioned",
            "rate",
            "rate_streak",
            "no_divergence",
            "quiet",
            "no_open_errors",
        ],
        bold,
    )?;
    ws.set_column_width(0, 24)?;
    let mut row = 0;
    for s in &status.shadows {
        row += 1;
        ws.write_string(row, 0, text(&s.name))?;
        ws.write_string(row, 1, text(&s.entity))?;
        if let Some(o) = &s.owner {
            ws.write_string(row, 2, text(o))?;
        }
        ws.write_string(row, 3, text(&s.path))?;
        ws.write_string(row, 4, text(&s.system_path))?;
        ws.write_boolean(row, 5, s.decision.is_some())?;
        ws.write_number(row, 6, s.rate())?;
        let c = s.evaluation.criteria;
        for (col, met) in [c.rate_streak, c.no_divergence, c.quiet, c.no_open_errors]
            .into_iter()
            .enumerate()
        {
            ws.write_boolean(row, col as u16 + 7, met)?;
        }
    }
    row += 2;
    header(
        ws,
        row,
        &[
            "shadow",
            "as of",
            "rate",
            "keys",
            "in system",
            "shadow-only",
            "divergent",
            "changed",
        ],
        bold,
    )?;
    for s in &status.shadows {
        for x in &s.snapshots {
            row += 1;
            let m = &x.shadow.metrics;
            ws.write_string(row, 0, text(&s.name))?;
            ws.write_string(row, 1, x.as_of.to_string())?;
            ws.write_number(row, 2, m.rate)?;
            for (col, n) in [m.keys, m.in_system, m.shadow_only, m.divergent, m.changed]
                .into_iter()
                .enumerate()
            {
                ws.write_number(row, col as u16 + 3, num(n))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_text_is_cut_at_excels_limit_on_a_char_boundary() {
        let long = "é".repeat(MAX_TEXT + 5);
        assert_eq!(text(&long).chars().count(), MAX_TEXT);
        assert_eq!(text("short"), "short");
    }
}
