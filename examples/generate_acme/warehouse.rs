//! `warehouse/Inventurliste_2026-11.csv`, the warehouse's stock count as its
//! German Windows tools write it: Windows-1252, semicolons, CRLF, dd.mm.yyyy
//! dates and a decimal-comma unit cost.

use std::path::Path;

use crate::documents::Count;
use crate::grid::{COUNTS, Hazards, Layout, Override, Res, csv_text, save_bytes};
use crate::oms::{apply, note_fields};

pub const COLUMNS: [&str; 6] = [
    "Artikelnummer",
    "Lagerort",
    "Zähldatum",
    "Gezählt",
    "Zähler",
    "Stückpreis",
];

/// `1250` cents as `12,50`.
fn decimal_comma(cents: i64) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

pub fn write(dir: &Path, counts: &[Count], overrides: &[Override]) -> Res<(Layout, Hazards)> {
    let mut layout = Layout::new(COUNTS, None, &COLUMNS);
    let mut rows = Vec::new();
    for c in counts {
        let anchor = format!("{}@{}", c.sku, c.location);
        let mut fields = vec![
            c.sku_text.clone(),
            c.location.to_string(),
            c.date.format("%d.%m.%Y").to_string(),
            c.counted.to_string(),
            c.counter.to_string(),
            decimal_comma(c.cost_cents),
        ];
        apply(COUNTS, &COLUMNS, &anchor, &mut fields, overrides);
        let row = rows.len() as u32 + 2;
        let key = format!("{} @ {} @ {}", c.sku, c.location, c.date.format("%Y-%m-%d"));
        layout.place(&anchor, row, key);
        note_fields(&mut layout, row, &fields);
        rows.push(fields);
    }
    let text = csv_text(b';', true, &COLUMNS, &rows)?;
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(&text);
    if lossy {
        return Err("the count file holds a character Windows-1252 cannot encode".into());
    }
    save_bytes(dir, COUNTS, &bytes)?;
    let mut hazards = Hazards::new(COUNTS, None);
    for (k, v) in [
        ("encoding", "Windows-1252"),
        ("delimiter", ";"),
        ("line_ends", "CRLF"),
        ("dates", "dd.mm.yyyy"),
        ("decimals", "decimal comma (Stückpreis 12,50)"),
        (
            "sku_spelling",
            "some SKUs in another case or with stray spaces",
        ),
    ] {
        hazards.dialect.insert(k.to_string(), v.to_string());
    }
    Ok((layout, hazards))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_uses_a_decimal_comma() {
        assert_eq!(decimal_comma(1250), "12,50");
        assert_eq!(decimal_comma(305), "3,05");
    }

    #[test]
    fn umlauts_encode_to_single_bytes() {
        let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode("Zähler;Weiß");
        assert!(!lossy);
        assert_eq!(&bytes[..], b"Z\xe4hler;Wei\xdf");
    }
}
