//! Plants on orders kept in several places: copies that diverged, open orders
//! nobody owns or touches, handoffs that never happened, and the order-level
//! traps. Runs before shipments and invoices are derived, so a host's new status
//! carries through to them.

use chrono::Duration;

use super::{Picker, Plan, host, line_anchor, tracker};
use crate::grid::{Cell, INVOICES, JANET, OMS_ORDERS, Res, TRACKER};
use crate::rng::Rng;
use crate::world::{Order, Status, World, janet_copy_date, office_time, ymd};

pub(super) fn november(o: &Order) -> bool {
    o.date >= ymd(2026, 11, 1)
}

fn october(o: &Order) -> bool {
    o.date >= ymd(2026, 10, 1) && o.date <= janet_copy_date()
}

pub fn shape_orders(
    rng: &mut Rng,
    world: &mut World,
    plan: &mut Plan,
    picker: &mut Picker,
) -> Res<()> {
    tracker::tracker_lines(rng, world, plan, picker)?;
    tracker::tracker_orders(rng, world, plan, picker)?;
    copies(rng, world, plan, picker)?;
    open_orders(rng, world, plan, picker)?;
    traps(rng, world, plan, picker)
}

fn copies(rng: &mut Rng, world: &mut World, plan: &mut Plan, picker: &mut Picker) -> Res<()> {
    let i = picker.order(rng, &world.orders, "tracker/Janet status", |o| {
        october(o) && o.status == Status::Delivered
    })?;
    let o = host(&mut world.orders, i)?;
    o.in_tracker = true;
    o.in_oms = false;
    plan.set(
        JANET,
        &o.id,
        "Status",
        Cell::text(Status::Shipped.tracker_label()),
    );
    plan.conflict(
        "orders",
        (TRACKER, o.id.clone(), "Status"),
        (JANET, o.id.clone(), "Status"),
        "status Delivered in the tracker, Dispatched in Janet's copy",
    );

    let i = picker.order(rng, &world.orders, "tracker/Janet quantity", |o| {
        october(o) && o.status == Status::Delivered
    })?;
    let o = host(&mut world.orders, i)?;
    o.in_tracker = true;
    o.in_oms = false;
    let a = line_anchor(o, 0)?;
    let qty = o.lines.first().map(|l| l.qty).unwrap_or(1);
    plan.set(JANET, &a, "Qty", Cell::Number((qty + 1) as f64));
    plan.conflict(
        "order_lines",
        (TRACKER, a.clone(), "Qty"),
        (JANET, a, "Qty"),
        &format!("quantity {qty} in the tracker, {} in Janet's copy", qty + 1),
    );

    let i = picker.order(rng, &world.orders, "tracker/OMS status", |o| {
        november(o) && o.status == Status::Shipped
    })?;
    let o = host(&mut world.orders, i)?;
    o.in_tracker = true;
    o.in_oms = true;
    plan.set(
        OMS_ORDERS,
        &o.id,
        "status",
        Cell::text(Status::Delivered.canonical()),
    );
    plan.conflict(
        "orders",
        (TRACKER, o.id.clone(), "Status"),
        (OMS_ORDERS, o.id.clone(), "status"),
        "status Dispatched (shipped) in the tracker, delivered in the OMS",
    );

    let i = picker.order(rng, &world.orders, "tracker/OMS email", |o| {
        november(o) && o.status == Status::Delivered
    })?;
    let o = host(&mut world.orders, i)?;
    o.in_tracker = true;
    o.in_oms = true;
    let (local, domain) = o.email.split_once('@').unwrap_or(("anna", "example.com"));
    let other = if domain == "example.org" {
        "example.net"
    } else {
        "example.org"
    };
    let corrected = format!("{local}@{other}");
    plan.set(OMS_ORDERS, &o.id, "customer_email", Cell::text(&corrected));
    plan.conflict(
        "orders",
        (TRACKER, o.id.clone(), "Cust. Email"),
        (OMS_ORDERS, o.id.clone(), "customer_email"),
        &format!("email {} in the tracker, {corrected} in the OMS", o.email),
    );
    Ok(())
}

fn open_orders(rng: &mut Rng, world: &mut World, plan: &mut Plan, picker: &mut Picker) -> Res<()> {
    let i = picker.order(rng, &world.orders, "stuck", |o| {
        o.date >= ymd(2026, 10, 26) && o.date <= ymd(2026, 10, 29) && o.status != Status::Cancelled
    })?;
    let o = host(&mut world.orders, i)?;
    o.status = Status::Placed;
    o.proforma = false;
    o.ship_date = None;
    o.split = false;
    o.updated_at = crate::world::at(ymd(2026, 10, 30), 11, 20);
    o.in_tracker = true;
    o.in_oms = true;
    let note = "open (placed) order last updated 2026-10-30, 28 days before the as-of date";
    plan.plant("stuck", "orders", (TRACKER, &o.id, "Last Updated"), note);
    plan.plant("stuck", "orders", (OMS_ORDERS, &o.id, "updated_at"), note);
    plan.trap(
        "no_updated_at_column",
        JANET,
        &o.id,
        "Status",
        "the stuck order is also in Janet's copy, which has no Last Updated column: no stuck \
        finding there",
    );

    let i = picker.order(rng, &world.orders, "unowned", |o| o.status.is_open())?;
    let o = host(&mut world.orders, i)?;
    o.owner = None;
    o.in_tracker = true;
    o.in_oms = true;
    let note = format!("open ({}) order with no owner", o.status.canonical());
    plan.plant("unowned", "orders", (TRACKER, &o.id, "Owner"), &note);
    plan.plant("unowned", "orders", (OMS_ORDERS, &o.id, "owner"), &note);

    let i = picker.order(rng, &world.orders, "delivered never invoiced", |o| {
        november(o) && o.date <= ymd(2026, 11, 20) && o.status == Status::Delivered
    })?;
    let o = host(&mut world.orders, i)?;
    o.in_tracker = true;
    o.in_oms = false;
    plan.never_invoiced.push(o.id.clone());
    plan.plant(
        "handoff_gap",
        "orders",
        (TRACKER, &o.id, "Status"),
        "delivered (shipment exists) but never invoiced; only the tracker holds the order, so \
        the finding has one place to go",
    );

    let i = picker.order(rng, &world.orders, "paid never shipped", |o| {
        o.date >= ymd(2026, 11, 3) && o.date <= ymd(2026, 11, 10) && o.status != Status::Cancelled
    })?;
    let o = host(&mut world.orders, i)?;
    o.status = Status::Paid;
    o.proforma = false;
    o.ship_date = None;
    o.split = false;
    o.in_tracker = true;
    o.in_oms = true;
    o.updated_at = office_time(rng, ymd(2026, 11, 24));
    plan.plant(
        "handoff_gap",
        "invoices",
        (INVOICES, format!("{}#1", o.id), "Paid On"),
        format!(
            "prepaid on {} (more than 7 days ago) but the order was never shipped",
            o.date
        ),
    );

    let i = picker.order(rng, &world.orders, "invalid invoice date", |o| {
        o.status.is_open()
    })?;
    let o = host(&mut world.orders, i)?;
    o.status = Status::Paid;
    o.proforma = false;
    plan.set(
        INVOICES,
        format!("{}#1", o.id),
        "Inv Date",
        Cell::text("31/11/2026"),
    );
    plan.plant(
        "invalid_type",
        "invoices",
        (INVOICES, format!("{}#1", o.id), "Inv Date"),
        "invoice date 31/11/2026 does not exist (November has 30 days)",
    );

    let i = picker.order(rng, &world.orders, "n/a paid date", |o| o.status.is_open())?;
    let o = host(&mut world.orders, i)?;
    o.status = Status::Placed;
    o.proforma = true;
    plan.set(
        INVOICES,
        format!("{}#1", o.id),
        "Paid On",
        Cell::text("pending"),
    );
    plan.plant(
        "invalid_type",
        "invoices",
        (INVOICES, format!("{}#1", o.id), "Paid On"),
        "\"pending\" typed into the Paid On date column of an unpaid pro-forma invoice (\"n/a\" would be read as empty)",
    );
    Ok(())
}

fn traps(rng: &mut Rng, world: &mut World, plan: &mut Plan, picker: &mut Picker) -> Res<()> {
    let i = picker.order(rng, &world.orders, "ISO text date", |o| {
        november(o) && o.status == Status::Delivered && o.in_tracker && o.in_oms
    })?;
    let o = host(&mut world.orders, i)?;
    plan.set(
        TRACKER,
        &o.id,
        "Ord Date",
        Cell::text(o.date.format("%Y-%m-%d").to_string()),
    );
    plan.trap(
        "date_as_text",
        TRACKER,
        &o.id,
        "Ord Date",
        "order date typed as ISO text: a valid date, agrees with the OMS; a scan hazard, not a \
        finding",
    );

    let i = picker.order(rng, &world.orders, "long text date", |o| {
        november(o) && o.status == Status::Delivered && o.in_tracker
    })?;
    let o = host(&mut world.orders, i)?;
    o.in_oms = false;
    plan.set(
        TRACKER,
        &o.id,
        "Ord Date",
        Cell::text(o.date.format("%-d %b %Y").to_string()),
    );
    plan.trap(
        "date_as_text",
        TRACKER,
        &o.id,
        "Ord Date",
        "order date typed as \"d Mon yyyy\" text: a valid date; a scan hazard, not a finding",
    );

    for _ in 0..3 {
        let i = picker.order(rng, &world.orders, "quantity as text", |o| {
            november(o) && o.in_tracker
        })?;
        let o = host(&mut world.orders, i)?;
        let pos = rng.index(o.lines.len());
        let a = line_anchor(o, pos)?;
        let qty = o.lines.get(pos).map(|l| l.qty).unwrap_or(1);
        plan.set(TRACKER, &a, "Qty", Cell::text(qty.to_string()));
        plan.trap(
            "number_as_text",
            TRACKER,
            &a,
            "Qty",
            "quantity stored as text: parses as a whole number; a scan hazard, not a finding",
        );
    }

    let i = picker.order(rng, &world.orders, "hidden cancelled order", |o| {
        october(o) && o.lines.len() >= 2 && o.date < ymd(2026, 10, 25)
    })?;
    let o = host(&mut world.orders, i)?;
    o.status = Status::Cancelled;
    o.ship_date = None;
    o.split = false;
    o.proforma = false;
    o.in_tracker = true;
    o.in_oms = true;
    o.updated_at = office_time(rng, o.date + Duration::days(1));
    plan.hidden_orders.push(o.id.clone());
    plan.trap(
        "cancelled_without_invoice",
        TRACKER,
        &o.id,
        "Status",
        "cancelled order with no invoice and no shipment: not a handoff_gap (its rows are hidden \
        in the tracker, still data)",
    );
    for n in 0..o.lines.len() {
        plan.trap(
            "hidden_row",
            TRACKER,
            line_anchor(o, n)?,
            "Order #",
            "hidden row of a cancelled order: still data, read like any other row",
        );
    }
    Ok(())
}
