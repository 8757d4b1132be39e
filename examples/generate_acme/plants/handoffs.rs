//! Plants on the records of the other teams: shipments dated before their order
//! or for orders that exist nowhere, and invoices that are missing, early,
//! orphaned or numbered twice. Runs after shipments and invoices are derived and
//! before they are numbered.

use chrono::Duration;

use super::{Picker, Plan};
use crate::catalogue::MAIN;
use crate::documents::{Documents, Invoice, Shipment, tracking};
use crate::grid::{INVOICES, Res, SHIPMENTS};
use crate::rng::Rng;
use crate::world::{Order, Status, World, ymd};

/// Order numbers the plants reference that no orders source holds.
const STRAY_SHIPMENT_ORDER: &str = "SO-10877";
const STRAY_INVOICE_ORDER: &str = "SO-10961";

pub fn break_handoffs(
    rng: &mut Rng,
    world: &World,
    docs: &mut Documents,
    plan: &mut Plan,
    picker: &mut Picker,
) -> Res<()> {
    for id in [STRAY_SHIPMENT_ORDER, STRAY_INVOICE_ORDER] {
        if world.orders.iter().any(|o| o.id == id) {
            return Err(format!("{id} exists; pick another stray order number").into());
        }
    }
    docs.invoices
        .retain(|inv| !plan.never_invoiced.contains(&inv.order));

    let single_parcel = |o: &Order, docs: &Documents| {
        docs.shipments.iter().filter(|s| s.order == o.id).count() == 1
    };

    let i = picker.order(rng, &world.orders, "shipped before ordered", |o| {
        o.status == Status::Delivered && o.date >= ymd(2026, 9, 5) && single_parcel(o, docs)
    })?;
    let o = world.orders.get(i).ok_or("no such order")?;
    let ship = docs
        .shipments
        .iter_mut()
        .find(|s| s.order == o.id)
        .ok_or("host has no shipment")?;
    ship.date = o.date - Duration::days(2);
    plan.plant(
        "date_sequence",
        "shipments",
        (SHIPMENTS, ship.anchor.clone(), "Ship Date"),
        format!("shipped {} but ordered {}", ship.date, o.date),
    );

    docs.shipments.push(Shipment {
        anchor: format!("{STRAY_SHIPMENT_ORDER}#1"),
        id: String::new(),
        order: STRAY_SHIPMENT_ORDER.to_string(),
        date: ymd(2026, 11, 12),
        carrier: "DHL",
        tracking: tracking(rng, "DHL"),
        warehouse: MAIN,
    });
    plan.plant(
        "orphan_reference",
        "shipments",
        (SHIPMENTS, format!("{STRAY_SHIPMENT_ORDER}#1"), "Order"),
        format!("shipment for {STRAY_SHIPMENT_ORDER}, an order no source holds"),
    );

    let i = picker.order(rng, &world.orders, "invoiced before ordered", |o| {
        o.status == Status::Delivered && o.date >= ymd(2026, 9, 5)
    })?;
    let o = world.orders.get(i).ok_or("no such order")?;
    let inv = docs
        .invoices
        .iter_mut()
        .find(|v| v.order == o.id)
        .ok_or("host has no invoice")?;
    inv.date = o.date - Duration::days(3);
    plan.plant(
        "date_sequence",
        "invoices",
        (INVOICES, inv.anchor.clone(), "Inv Date"),
        format!("invoiced {} but ordered {}", inv.date, o.date),
    );

    docs.invoices.push(Invoice {
        anchor: format!("{STRAY_INVOICE_ORDER}#1"),
        id: String::new(),
        order: STRAY_INVOICE_ORDER.to_string(),
        date: ymd(2026, 11, 18),
        amount_cents: 12900,
        currency: "EUR",
        paid_on: None,
        reuses: None,
    });
    plan.plant(
        "orphan_reference",
        "invoices",
        (INVOICES, format!("{STRAY_INVOICE_ORDER}#1"), "Order"),
        format!("invoice for {STRAY_INVOICE_ORDER}, an order no source holds (unpaid)"),
    );

    docs.invoices.push(Invoice {
        anchor: "(no order)#1".to_string(),
        id: String::new(),
        order: String::new(),
        date: ymd(2026, 11, 16),
        amount_cents: 4500,
        currency: "EUR",
        paid_on: None,
        reuses: None,
    });
    plan.plant(
        "missing_required",
        "invoices",
        (INVOICES, "(no order)#1", "Order"),
        "invoice with an empty Order cell (unpaid)",
    );

    let i = picker.order(rng, &world.orders, "invoice number twice", |o| {
        o.status == Status::Delivered && o.date <= ymd(2026, 11, 15)
    })?;
    let o = world.orders.get(i).ok_or("no such order")?;
    let first = docs
        .invoices
        .iter()
        .find(|v| v.order == o.id)
        .ok_or("host has no invoice")?
        .clone();
    let again = Invoice {
        anchor: format!("{}#2", o.id),
        date: first.date + Duration::days(2),
        amount_cents: first.amount_cents + 1500,
        paid_on: None,
        reuses: Some(first.anchor.clone()),
        ..first
    };
    plan.plant(
        "duplicate_key",
        "invoices",
        (INVOICES, again.anchor.clone(), "Invoice #"),
        format!(
            "invoice number re-used two days later for {} with a different amount (+15.00 freight)",
            o.id
        ),
    );
    docs.invoices.push(again);
    Ok(())
}
