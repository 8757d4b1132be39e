//! Plants on stock: a negative and an oversold level in the OMS's inventory
//! export, a miscounted and a stale row in the warehouse's count, and the SKU
//! spellings that differ only in case and spaces (traps, not findings).

use super::Plan;
use crate::catalogue::{MAIN, OVERFLOW, Product};
use crate::documents::{Count, Stock};
use crate::grid::{COUNTS, OMS_STOCK, Res};
use crate::rng::Rng;
use crate::world::ymd;

/// SKUs whose count rows are typed in another case or with stray spaces.
const RESPELLED: [(&str, &str); 4] = [
    ("TNT-2P-GRN", "tnt-2p-grn "),
    ("BAG-30L-BLK", "Bag-30L-BLK"),
    ("JKT-FLC-M-GRY", "jkt-flc-m-gry"),
    ("MAT-AIR-R", " MAT-AIR-R"),
];

fn key(sku: &str, location: &str) -> String {
    format!("{sku}@{location}")
}

fn pick_row<'a>(
    rng: &mut Rng,
    stock: &'a mut [Stock],
    plan: &Plan,
    fits: impl Fn(&Stock) -> bool,
) -> Res<&'a mut Stock> {
    let candidates: Vec<usize> = stock
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            fits(s)
                && !plan.stock_hosts.contains(&s.sku)
                && !RESPELLED.iter().any(|(sku, _)| *sku == s.sku)
        })
        .map(|(i, _)| i)
        .collect();
    let i = *candidates
        .get(rng.index(candidates.len()))
        .ok_or("no stock row fits the plant")?;
    stock
        .get_mut(i)
        .ok_or_else(|| "stock index out of range".into())
}

/// Breaks the OMS's stock levels (one negative, one oversold) and sets aside two
/// OVERFLOW rows nobody counted in November: the negative one, and the one
/// [`break_counts`] gives a stale August count.
pub fn break_stock(rng: &mut Rng, stock: &mut [Stock], plan: &mut Plan) -> Res<()> {
    let row = pick_row(rng, stock, plan, |s| s.location == OVERFLOW)?;
    row.on_hand = -3;
    row.allocated = 0;
    let (sku, loc) = (row.sku.clone(), row.location);
    plan.stock_hosts.insert(sku.clone());
    plan.uncounted.push((sku.clone(), loc));
    plan.plant(
        "negative_stock",
        "inventory",
        (OMS_STOCK, key(&sku, loc), "on_hand"),
        "on_hand -3 in OVERFLOW (goods booked out twice); not counted, and only negative_stock",
    );

    let row = pick_row(rng, stock, plan, |s| s.location == MAIN && s.allocated == 0)?;
    row.on_hand = 4;
    row.allocated = 7;
    let (sku, loc) = (row.sku.clone(), row.location);
    plan.stock_hosts.insert(sku.clone());
    plan.plant(
        "oversold",
        "inventory",
        (OMS_STOCK, key(&sku, loc), "allocated"),
        "7 allocated against 4 on hand (the count agrees with the 4)",
    );

    let row = pick_row(rng, stock, plan, |s| s.location == OVERFLOW)?;
    let (sku, loc) = (row.sku.clone(), row.location);
    plan.stock_hosts.insert(sku.clone());
    plan.uncounted.push((sku, loc));
    Ok(())
}

/// Breaks the warehouse count: one row far off the system, one August row that
/// nobody recounted; and re-spells a few SKUs (traps).
pub fn break_counts(
    rng: &mut Rng,
    products: &[Product],
    stock: &[Stock],
    counts: &mut Vec<Count>,
    plan: &mut Plan,
) -> Res<()> {
    let candidates: Vec<usize> = counts
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.location == MAIN
                && !plan.stock_hosts.contains(&c.sku)
                && !RESPELLED.iter().any(|(sku, _)| *sku == c.sku)
                && stock
                    .iter()
                    .any(|s| s.sku == c.sku && s.location == MAIN && s.on_hand >= 40)
        })
        .map(|(i, _)| i)
        .collect();
    let i = *candidates
        .get(rng.index(candidates.len()))
        .ok_or("no count fits stock_mismatch")?;
    let count = counts.get_mut(i).ok_or("count index out of range")?;
    let on_hand = stock
        .iter()
        .find(|s| s.sku == count.sku && s.location == MAIN)
        .map(|s| s.on_hand)
        .ok_or("counted SKU has no stock row")?;
    let short = (on_hand / 5).max(7);
    count.counted = on_hand - short;
    plan.stock_hosts.insert(count.sku.clone());
    plan.plant(
        "stock_mismatch",
        "stock_counts",
        (COUNTS, key(&count.sku, MAIN), "Gezählt"),
        format!(
            "counted {} against {on_hand} on hand: {short} units ({}%) short",
            count.counted,
            short * 100 / on_hand
        ),
    );

    // The second uncounted OVERFLOW row of break_stock was last counted in August.
    let (sku, loc) = plan
        .uncounted
        .get(1)
        .cloned()
        .ok_or("break_stock did not leave a row for the stale count")?;
    let row = stock
        .iter()
        .find(|s| s.sku == sku && s.location == loc)
        .ok_or("stale host has no stock row")?;
    let product = products
        .iter()
        .find(|p| p.sku == sku)
        .ok_or("stale host is not in the catalogue")?;
    counts.push(Count {
        sku_text: sku.clone(),
        sku: sku.clone(),
        location: loc,
        date: ymd(2026, 8, 14),
        counted: row.on_hand,
        counter: "K. Weiß",
        cost_cents: product.cost_cents(),
    });
    plan.plant(
        "stale_count",
        "stock_counts",
        (COUNTS, key(&sku, loc), "Zähldatum"),
        "counted 14.08.2026, 105 days before the file's newest count (27.11.2026); the quantity \
        still agrees",
    );

    for (sku, spelled) in RESPELLED {
        if let Some(c) = counts
            .iter_mut()
            .find(|c| c.sku == sku && c.location == MAIN)
        {
            c.sku_text = spelled.to_string();
            plan.trap(
                "sku_spelling",
                COUNTS,
                key(sku, MAIN),
                "Artikelnummer",
                format!(
                    "\"{spelled}\" is {sku} after trimming and case-folding: not an orphan, not \
                    a new SKU"
                ),
            );
        }
    }
    Ok(())
}
