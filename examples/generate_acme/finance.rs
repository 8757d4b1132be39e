//! `finance/invoices.csv`, finance's invoice register: comma-separated UTF-8,
//! day-first d/m/yyyy dates, plain amounts with the odd thousands separator.

use std::path::Path;

use crate::documents::Invoice;
use crate::grid::{Hazards, INVOICES, Layout, Override, Res, csv_text, money, save_bytes};
use crate::oms::{apply, note_fields};

pub const COLUMNS: [&str; 7] = [
    "Invoice #",
    "Order",
    "Inv Date",
    "Amount",
    "Currency",
    "Paid On",
    "Paid?",
];

/// `123450` cents as `1,234.50` (amounts below 1000 are unchanged).
pub fn with_thousands(cents: i64) -> String {
    let plain = money(cents);
    let (whole, frac) = plain.split_once('.').unwrap_or((&plain, "00"));
    if whole.len() <= 3 {
        return plain;
    }
    let split = whole.len() - 3;
    format!("{},{}.{frac}", &whole[..split], &whole[split..])
}

pub fn write(dir: &Path, invoices: &[Invoice], overrides: &[Override]) -> Res<(Layout, Hazards)> {
    let mut layout = Layout::new(INVOICES, None, &COLUMNS);
    let mut rows = Vec::new();
    let mut big = 0;
    for inv in invoices {
        let amount = if inv.amount_cents >= 100_000 {
            big += 1;
            if big % 2 == 1 {
                with_thousands(inv.amount_cents)
            } else {
                money(inv.amount_cents)
            }
        } else {
            money(inv.amount_cents)
        };
        let mut fields = vec![
            inv.id.clone(),
            inv.order.clone(),
            inv.date.format("%-d/%-m/%Y").to_string(),
            amount,
            inv.currency.to_string(),
            inv.paid_on
                .map(|d| d.format("%-d/%-m/%Y").to_string())
                .unwrap_or_default(),
            if inv.paid_on.is_some() { "Y" } else { "N" }.to_string(),
        ];
        apply(INVOICES, &COLUMNS, &inv.anchor, &mut fields, overrides);
        let row = rows.len() as u32 + 2;
        layout.place(&inv.anchor, row, &inv.id);
        note_fields(&mut layout, row, &fields);
        rows.push(fields);
    }
    let text = csv_text(b',', false, &COLUMNS, &rows)?;
    save_bytes(dir, INVOICES, text.as_bytes())?;
    let mut hazards = Hazards::new(INVOICES, None);
    for (k, v) in [
        ("encoding", "UTF-8"),
        ("delimiter", ","),
        ("line_ends", "LF"),
        ("dates", "d/m/yyyy, day first (days above 12 decide it)"),
        (
            "amounts",
            "plain 1234.50, some quoted with a thousands separator \"1,234.50\"",
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
    fn thousands_separator() {
        assert_eq!(with_thousands(123450), "1,234.50");
        assert_eq!(with_thousands(99999), "999.99");
        assert_eq!(with_thousands(1234567), "12,345.67");
    }
}
