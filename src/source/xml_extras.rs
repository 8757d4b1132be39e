//! What calamine does not tell: hidden rows and columns of xlsx sheets, merged
//! areas and hidden rows of ODS sheets, and a size check on zip containers before
//! anything is inflated (a zip bomb is refused, not read).

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use super::Merge;

/// Largest inflated size of one part of a workbook.
const MAX_PART: u64 = 2 << 30;
/// Largest inflated size of a whole workbook.
const MAX_TOTAL: u64 = 6 << 30;
/// A part that inflates more than this many times its stored size is a bomb.
const MAX_RATIO: u64 = 1_000;

/// Refuses zip containers whose declared sizes would exhaust memory.
pub fn check_zip_bounds(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut zip) = ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // not a readable zip: calamine will say so
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index(i) else { continue };
        let (size, stored) = (part.size(), part.compressed_size().max(1));
        total = total.saturating_add(size);
        if size > MAX_PART || (size > (64 << 20) && size / stored > MAX_RATIO) {
            let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
            return Err(format!(
                "part {name} would inflate to {} MiB from {} KiB (a zip bomb?)",
                size >> 20,
                stored >> 10
            ));
        }
    }
    if total > MAX_TOTAL {
        return Err(format!("the workbook would inflate to {} MiB", total >> 20));
    }
    Ok(())
}

fn read_part(bytes: &[u8], name: &str) -> Option<Vec<u8>> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut part = zip.by_name(name).ok()?;
    let mut out = Vec::with_capacity(part.size().min(MAX_PART) as usize);
    part.by_ref().take(MAX_PART).read_to_end(&mut out).ok()?;
    Some(out)
}

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find_map(|a| (a.key.local_name().as_ref() == local).then(|| a.value.into_owned()))
}

/// Sheet name → part path inside the zip ("xl/worksheets/sheet1.xml").
pub fn xlsx_sheet_paths(bytes: &[u8]) -> Option<HashMap<String, String>> {
    let rels = read_part(bytes, "xl/_rels/workbook.xml.rels")?;
    let mut targets = HashMap::new();
    let mut reader = quick_xml::Reader::from_reader(rels.as_slice());
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                    let path = match target.strip_prefix('/') {
                        Some(abs) => abs.to_string(),
                        None => format!("xl/{target}"),
                    };
                    targets.insert(id, path);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let book = read_part(bytes, "xl/workbook.xml")?;
    let mut reader = quick_xml::Reader::from_reader(book.as_slice());
    let mut out = HashMap::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                if let (Some(name), Some(id)) = (attr(&e, "name"), attr(&e, "id"))
                    && let Some(path) = targets.get(&id)
                {
                    let name = quick_xml::escape::unescape(&name)
                        .map(|n| n.into_owned())
                        .unwrap_or(name);
                    out.insert(name, path.clone());
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Some(out)
}

/// What the cells of an xlsx sheet part do not say: its hidden rows and
/// columns (0-based) and its merged areas.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SheetExtras {
    pub hidden_rows: Vec<u32>,
    pub hidden_cols: Vec<u32>,
    pub merges: Vec<Merge>,
}

/// Reads a sheet part's extras with substring searches only (no XML parse of
/// the cells): one inflate, run beside calamine's read of the cells.
pub fn xlsx_extras(bytes: &[u8], path: &str) -> Option<SheetExtras> {
    let xml = read_part(bytes, path)?;
    let (hidden_rows, hidden_cols) = hidden(&xml);
    Some(SheetExtras {
        hidden_rows,
        hidden_cols,
        merges: merges(&xml),
    })
}

/// `<mergeCell ref="A1:H1"/>` elements, which Excel writes after the cells.
fn merges(xml: &[u8]) -> Vec<Merge> {
    let mut out = Vec::new();
    // The opening tag, searched from the end (the list follows the cells); the
    // closing tag `</mergeCells>` is skipped.
    let opening = memchr::memmem::rfind_iter(xml, b"mergeCells").find_map(|at| {
        let lt = memchr::memrchr(b'<', &xml[..at])?;
        (xml.get(lt + 1) != Some(&b'/')).then_some(lt)
    });
    let Some(from) = opening else {
        return out;
    };
    let block = &xml[from..];
    for at in memchr::memmem::find_iter(block, b"mergeCell ") {
        let tag_end = memchr::memchr(b'>', &block[at..]).map_or(block.len(), |e| at + e);
        let tag = &block[at..tag_end];
        let Some(r) = memchr::memmem::find(tag, b"ref=\"") else {
            continue;
        };
        let value = &tag[r + 5..];
        let value = &value[..memchr::memchr(b'"', value).unwrap_or(value.len())];
        let Ok(text) = std::str::from_utf8(value) else {
            continue;
        };
        let (a, b) = text.split_once(':').unwrap_or((text, text));
        if let (Some((c1, r1)), Some((c2, r2))) =
            (super::a1::parse_cell(a), super::a1::parse_cell(b))
        {
            out.push(Merge {
                first_row: r1.min(r2) - 1,
                first_col: c1.min(c2),
                last_row: r1.max(r2) - 1,
                last_col: c1.max(c2),
            });
        }
    }
    out
}

/// Rows and columns whose tags carry `hidden="1"`.
fn hidden(xml: &[u8]) -> (Vec<u32>, Vec<u32>) {
    let mut rows = Vec::new();
    let mut cols = Vec::new();
    for needle in [&b"hidden=\"1\""[..], b"hidden=\"true\""] {
        for at in memchr::memmem::find_iter(xml, needle) {
            let Some(open) = memchr::memrchr(b'<', &xml[..at]) else {
                continue;
            };
            let tag = &xml[open + 1..at];
            let name_end = tag
                .iter()
                .position(|b| b.is_ascii_whitespace())
                .unwrap_or(tag.len());
            let name = &tag[..name_end];
            let local = match memchr::memrchr(b':', name) {
                Some(i) => &name[i + 1..],
                None => name,
            };
            match local {
                b"row" => {
                    if let Some(r) = number_attr(tag, b" r=\"") {
                        rows.push(r.saturating_sub(1));
                    }
                }
                b"col" => {
                    if let (Some(min), Some(max)) =
                        (number_attr(tag, b"min=\""), number_attr(tag, b"max=\""))
                    {
                        // Excel writes min=1 max=16384 to hide every unused column;
                        // keep the list to the columns a person could have hidden.
                        let max = max.min(min.saturating_add(1_000));
                        cols.extend(min.saturating_sub(1)..max);
                    }
                }
                _ => {}
            }
        }
    }
    rows.sort_unstable();
    rows.dedup();
    cols.sort_unstable();
    cols.dedup();
    (rows, cols)
}

fn number_attr(tag: &[u8], key: &[u8]) -> Option<u32> {
    let at = memchr::memmem::find(tag, key)? + key.len();
    let digits: Vec<u8> = tag[at..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

/// Merged areas and hidden rows and columns of each sheet of an ODS file.
#[derive(Debug, Clone, Default)]
pub struct OdsExtras {
    pub name: String,
    pub merges: Vec<Merge>,
    pub hidden_rows: Vec<u32>,
    pub hidden_cols: Vec<u32>,
}

/// A run of repeated hidden rows longer than this is formatting over empty
/// space, not rows a person hid.
const MAX_HIDDEN_RUN: u32 = 10_000;

pub fn ods_extras(bytes: &[u8]) -> Option<Vec<OdsExtras>> {
    let xml = read_part(bytes, "content.xml")?;
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut buf = Vec::new();
    let mut out: Vec<OdsExtras> = Vec::new();
    // The current row, its repeat count, the current column, the column definitions seen.
    let (mut row, mut row_repeat, mut col, mut col_def) = (0u32, 1u32, 0u32, 0u32);
    loop {
        let event = reader.read_event_into(&mut buf).ok()?;
        let (e, is_empty) = match &event {
            Event::Start(e) => (e.clone(), false),
            Event::Empty(e) => (e.clone(), true),
            Event::End(e) if e.local_name().as_ref() == "table-row" => {
                row = row.saturating_add(row_repeat);
                buf.clear();
                continue;
            }
            Event::Eof => break,
            _ => {
                buf.clear();
                continue;
            }
        };
        let repeat = |key: &str| {
            attr(&e, key)
                .and_then(|v| v.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
        };
        let hidden = attr(&e, "visibility").is_some_and(|v| v != "visible");
        match e.local_name().as_ref() {
            "table" => {
                out.push(OdsExtras {
                    name: attr(&e, "name").unwrap_or_default(),
                    ..OdsExtras::default()
                });
                (row, col_def) = (0, 0);
            }
            "table-column" => {
                let n = repeat("number-columns-repeated");
                if hidden
                    && n <= MAX_HIDDEN_RUN
                    && let Some(sheet) = out.last_mut()
                {
                    sheet.hidden_cols.extend(col_def..col_def.saturating_add(n));
                }
                col_def = col_def.saturating_add(n);
            }
            "table-row" => {
                let n = repeat("number-rows-repeated");
                if hidden
                    && n <= MAX_HIDDEN_RUN
                    && let Some(sheet) = out.last_mut()
                {
                    sheet.hidden_rows.extend(row..row.saturating_add(n));
                }
                col = 0;
                if is_empty {
                    row = row.saturating_add(n);
                } else {
                    row_repeat = n;
                }
            }
            name @ ("table-cell" | "covered-table-cell") => {
                let span = |key: &str| {
                    attr(&e, key)
                        .and_then(|v| v.parse::<u32>().ok())
                        .unwrap_or(1)
                        .max(1)
                };
                let (down, across) = (span("number-rows-spanned"), span("number-columns-spanned"));
                if name == "table-cell"
                    && (down > 1 || across > 1)
                    && let Some(sheet) = out.last_mut()
                {
                    sheet.merges.push(Merge {
                        first_row: row,
                        first_col: col,
                        last_row: row.saturating_add(down - 1),
                        last_col: col.saturating_add(across - 1),
                    });
                }
                col = col.saturating_add(repeat("number-columns-repeated"));
            }
            _ => {}
        }
        buf.clear();
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_and_hidden_parts_from_sheet_xml() {
        let xml = br#"<worksheet><cols><col min="3" max="4" hidden="1" width="0"/></cols><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="5" hidden="1"><c r="A5"><v>1</v></c></row>
</sheetData><mergeCells count="2"><mergeCell ref="A1:H1"/><mergeCell ref="B4:B6"/></mergeCells></worksheet>"#;
        let (rows, cols) = hidden(xml);
        assert_eq!((rows, cols), (vec![4], vec![2, 3]));
        let m: Vec<String> = merges(xml).iter().map(Merge::a1).collect();
        assert_eq!(m, ["A1:H1", "B4:B6"]);
        // With a namespace prefix, as some producers write.
        let prefixed = br#"<x:sheetData/><x:mergeCells><x:mergeCell ref="A2:K2" /></x:mergeCells>"#;
        let m: Vec<String> = merges(prefixed).iter().map(Merge::a1).collect();
        assert_eq!(m, ["A2:K2"]);
        assert!(merges(b"<worksheet><sheetData/></worksheet>").is_empty());
    }
}
