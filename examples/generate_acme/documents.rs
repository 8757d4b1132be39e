//! The records other teams keep about the same orders and stock: shipments
//! (warehouse), invoices (finance), the OMS's stock levels and the warehouse's
//! physical counts. They are derived from the clean world so that, before the
//! plants, every handoff happened and every number agrees.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};

use crate::catalogue::{MAIN, OVERFLOW, Product};
use crate::rng::Rng;
use crate::world::{Order, Status, as_of, ymd};

#[derive(Debug, Clone)]
pub struct Shipment {
    /// Stable handle for plants and locations: `SO-10042#1`, `SO-10042#2`.
    pub anchor: String,
    /// `SHP-26-1001`; given out by [`number`] once the plants are in.
    pub id: String,
    pub order: String,
    pub date: NaiveDate,
    pub carrier: &'static str,
    pub tracking: String,
    pub warehouse: &'static str,
}

#[derive(Debug, Clone)]
pub struct Invoice {
    /// Stable handle for plants and locations: `SO-10042#1`.
    pub anchor: String,
    /// `INV-26-0401`; given out by [`number`] once the plants are in.
    pub id: String,
    /// Empty when finance never wrote the order down.
    pub order: String,
    pub date: NaiveDate,
    pub amount_cents: i64,
    pub currency: &'static str,
    pub paid_on: Option<NaiveDate>,
    /// Re-keyed under the number of this anchor's invoice instead of a new one.
    pub reuses: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Stock {
    pub sku: String,
    pub location: &'static str,
    pub on_hand: i64,
    pub allocated: i64,
}

#[derive(Debug, Clone)]
pub struct Count {
    /// The SKU as the counter typed it (case and spaces vary).
    pub sku_text: String,
    pub sku: String,
    pub location: &'static str,
    pub date: NaiveDate,
    pub counted: i64,
    pub counter: &'static str,
    pub cost_cents: i64,
}

pub struct Documents {
    pub shipments: Vec<Shipment>,
    pub invoices: Vec<Invoice>,
    pub stock: Vec<Stock>,
    pub counts: Vec<Count>,
}

/// One shipment per shipped order, two for orders sent in two parcels.
pub fn shipments(rng: &mut Rng, orders: &[Order], products: &[Product]) -> Vec<Shipment> {
    let mut out = Vec::new();
    for order in orders {
        let Some(first) = order.ship_date.filter(|_| order.status.has_shipped()) else {
            continue;
        };
        let bulky = order
            .lines
            .iter()
            .any(|l| products.iter().any(|p| p.sku == l.sku && p.overflow));
        let warehouse = if bulky && rng.chance(0.3) {
            OVERFLOW
        } else {
            MAIN
        };
        let parcels = if order.split { 2 } else { 1 };
        for n in 1..=parcels {
            out.push(shipment(
                rng,
                order,
                n,
                first + Duration::days(n - 1),
                warehouse,
            ));
        }
    }
    out
}

/// A shipment of `order` (also used by the plants for a stray one).
pub fn shipment(
    rng: &mut Rng,
    order: &Order,
    n: i64,
    date: NaiveDate,
    warehouse: &'static str,
) -> Shipment {
    let carriers: &[(&str, u32)] = if order.currency == "EUR" {
        &[("DHL", 50), ("DPD", 30), ("UPS", 20)]
    } else {
        &[("UPS", 60), ("DHL", 40)]
    };
    let carrier = *rng.weighted(carriers).unwrap_or(&"DHL");
    Shipment {
        anchor: format!("{}#{n}", order.id),
        id: String::new(),
        order: order.id.clone(),
        date,
        carrier,
        tracking: tracking(rng, carrier),
        warehouse,
    }
}

fn digits(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.range(0, 9) as u8))
        .collect()
}

/// Tracking numbers shaped like each carrier's (letters or spaces keep them text).
pub fn tracking(rng: &mut Rng, carrier: &str) -> String {
    match carrier {
        "UPS" => format!("1Z{}A{}", rng.range(100, 999), digits(rng, 11)),
        "DPD" => format!(
            "0150 {} {} {}",
            digits(rng, 4),
            digits(rng, 4),
            digits(rng, 2)
        ),
        _ => format!("JJD00{}", digits(rng, 16)),
    }
}

/// One invoice per order whose goods left, and prepaid ones for open orders.
pub fn invoices(rng: &mut Rng, orders: &[Order]) -> Vec<Invoice> {
    let mut out = Vec::new();
    for order in orders {
        let (date, paid_on) = match (order.status, order.ship_date) {
            (s, Some(ship)) if s.has_shipped() => {
                let paid_share = match s {
                    Status::Shipped => 0.35,
                    Status::Delivered => 0.85,
                    _ => 1.0,
                };
                let paid = rng
                    .chance(paid_share)
                    .then(|| (ship + Duration::days(rng.range(0, 14))).min(as_of()));
                (ship, paid)
            }
            (Status::Paid | Status::Picked | Status::Packed, _) => (order.date, Some(order.date)),
            (Status::Placed, _) if order.proforma => (order.date, None),
            _ => continue,
        };
        out.push(invoice(order, date, paid_on));
    }
    out
}

/// The invoice of `order` for its total.
pub fn invoice(order: &Order, date: NaiveDate, paid_on: Option<NaiveDate>) -> Invoice {
    Invoice {
        anchor: format!("{}#1", order.id),
        id: String::new(),
        order: order.id.clone(),
        date,
        amount_cents: order.total_cents(),
        currency: order.currency,
        paid_on,
        reuses: None,
    }
}

/// Stock per SKU and location; MAIN's allocations are the open orders' quantities.
pub fn stock(rng: &mut Rng, products: &[Product], orders: &[Order]) -> Vec<Stock> {
    let mut allocated: BTreeMap<&str, i64> = BTreeMap::new();
    for order in orders.iter().filter(|o| o.status.is_open()) {
        for line in &order.lines {
            *allocated.entry(line.sku.as_str()).or_default() += line.qty;
        }
    }
    let mut out = Vec::new();
    for product in products {
        let held = allocated.get(product.sku).copied().unwrap_or(0);
        out.push(Stock {
            sku: product.sku.to_string(),
            location: MAIN,
            on_hand: held + rng.range(4, 150),
            allocated: held,
        });
        if product.overflow {
            out.push(Stock {
                sku: product.sku.to_string(),
                location: OVERFLOW,
                on_hand: rng.range(5, 60),
                allocated: 0,
            });
        }
    }
    out
}

/// The aisle walked on each count day (MAIN), by SKU prefix.
fn count_day(sku: &str) -> NaiveDate {
    let day = match sku.get(..3).unwrap_or("") {
        "TNT" | "BAG" => 20,
        "SLP" | "MAT" => 23,
        "JKT" | "BOT" => 24,
        "STV" | "CKW" | "LMP" => 25,
        "POL" | "FLT" | "BTL" => 26,
        _ => 27,
    };
    ymd(2026, 11, day)
}

/// The warehouse's November count: nearly every MAIN SKU, within a unit of the
/// system; OVERFLOW was partly counted in October. `skip` lists sku@location
/// pairs nobody counted.
pub fn counts(
    rng: &mut Rng,
    products: &[Product],
    stock: &[Stock],
    skip: &[(String, &str)],
) -> Vec<Count> {
    let mut out = Vec::new();
    for row in stock {
        if skip
            .iter()
            .any(|(s, l)| *s == row.sku && *l == row.location)
        {
            continue;
        }
        let Some(product) = products.iter().find(|p| p.sku == row.sku) else {
            continue;
        };
        let (date, counter) = if row.location == MAIN {
            if !rng.chance(0.9) {
                continue;
            }
            let date = count_day(&row.sku);
            let counter = if date.day() < 25 {
                "J. Müller"
            } else {
                "B. Özdemir"
            };
            (date, counter)
        } else {
            let roll = rng.unit();
            if roll < 0.25 {
                (ymd(2026, 10, 16), "K. Weiß")
            } else if roll < 0.85 {
                (ymd(2026, 11, 27), "K. Weiß")
            } else {
                continue;
            }
        };
        let drift = *rng.weighted(&[(0i64, 80), (1, 10), (-1, 10)]).unwrap_or(&0);
        out.push(Count {
            sku_text: row.sku.clone(),
            sku: row.sku.clone(),
            location: row.location,
            date,
            counted: (row.on_hand + drift).max(0),
            counter,
            cost_cents: product.cost_cents(),
        });
    }
    out
}

/// Give shipments and invoices their numbers in date order, as the teams would.
pub fn number(docs: &mut Documents) {
    docs.shipments
        .sort_by(|a, b| (a.date, &a.order, &a.anchor).cmp(&(b.date, &b.order, &b.anchor)));
    for (i, s) in docs.shipments.iter_mut().enumerate() {
        s.id = format!("SHP-26-{}", 1001 + i);
    }
    docs.invoices
        .sort_by(|a, b| (a.date, &a.order, &a.anchor).cmp(&(b.date, &b.order, &b.anchor)));
    let mut next = 401;
    let mut given: BTreeMap<String, String> = BTreeMap::new();
    for inv in docs.invoices.iter_mut() {
        if inv.reuses.is_some() {
            continue;
        }
        inv.id = format!("INV-26-{next:04}");
        next += 1;
        given.insert(inv.anchor.clone(), inv.id.clone());
    }
    for inv in docs.invoices.iter_mut() {
        if let Some(id) = inv.reuses.as_ref().and_then(|a| given.get(a)) {
            inv.id = id.clone();
        }
    }
    docs.counts
        .sort_by(|a, b| (a.location, a.date, &a.sku).cmp(&(b.location, b.date, &b.sku)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{customers, products};
    use crate::world::orders;

    fn docs() -> (Vec<Order>, Documents) {
        let mut rng = Rng::new(9);
        let products = products();
        let customers = customers(&mut rng);
        let orders = orders(&mut rng, &products, &customers);
        let stock = stock(&mut rng, &products, &orders);
        let mut docs = Documents {
            shipments: shipments(&mut rng, &orders, &products),
            invoices: invoices(&mut rng, &orders),
            counts: counts(&mut rng, &products, &stock, &[]),
            stock,
        };
        number(&mut docs);
        (orders, docs)
    }

    #[test]
    fn every_handoff_happened_in_the_clean_world() {
        let (orders, docs) = docs();
        for o in &orders {
            let shipped = docs.shipments.iter().filter(|s| s.order == o.id).count();
            let invoiced = docs.invoices.iter().filter(|i| i.order == o.id).count();
            match o.status {
                Status::Shipped | Status::Delivered | Status::Returned => {
                    assert!(shipped >= 1 && invoiced == 1, "{}", o.id)
                }
                Status::Cancelled => assert_eq!(shipped + invoiced, 0, "{}", o.id),
                _ => assert_eq!(shipped, 0, "{}", o.id),
            }
        }
        for inv in &docs.invoices {
            if let Some(paid) = inv.paid_on {
                assert!(paid >= inv.date && paid <= as_of());
            }
        }
    }

    #[test]
    fn stock_and_counts_agree() {
        let (_, docs) = docs();
        for s in &docs.stock {
            assert!(s.on_hand >= s.allocated && s.allocated >= 0);
        }
        for c in &docs.counts {
            let s = docs
                .stock
                .iter()
                .find(|s| s.sku == c.sku && s.location == c.location);
            assert!((s.unwrap().on_hand - c.counted).abs() <= 1);
        }
    }

    #[test]
    fn numbers_follow_dates() {
        let (_, docs) = docs();
        assert_eq!(docs.shipments[0].id, "SHP-26-1001");
        assert_eq!(docs.invoices[0].id, "INV-26-0401");
        for pair in docs.invoices.windows(2) {
            assert!(pair[0].date <= pair[1].date && pair[0].id < pair[1].id);
        }
    }
}
