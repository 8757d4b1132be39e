//! The clean world of Acme Outdoor Supply: orders with their lines, statuses and
//! where each order was recorded (the ops tracker, the OMS, or both). Every file
//! of the example folder is a view of this world; the plants then break it on
//! purpose in known places.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

use crate::catalogue::{Customer, OWNERS, Product, price_in};
use crate::rng::Rng;

/// The newest date anywhere in the data: the audit's as-of date.
pub fn as_of() -> NaiveDate {
    ymd(2026, 11, 27)
}

/// The day Janet took her copy of the tracker: it holds the orders up to here.
pub fn janet_copy_date() -> NaiveDate {
    ymd(2026, 10, 31)
}

/// A calendar date the generator spells out itself (always valid).
pub fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// A date at a wall-clock time (hours and minutes only, so Excel round-trips it).
pub fn at(date: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    date.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Placed,
    Paid,
    Picked,
    Packed,
    Shipped,
    Delivered,
    Cancelled,
    Returned,
}

impl Status {
    /// The OMS spelling (the canonical enum).
    pub fn canonical(self) -> &'static str {
        match self {
            Status::Placed => "placed",
            Status::Paid => "paid",
            Status::Picked => "picked",
            Status::Packed => "packed",
            Status::Shipped => "shipped",
            Status::Delivered => "delivered",
            Status::Cancelled => "cancelled",
            Status::Returned => "returned",
        }
    }

    /// The ops team's spelling in the tracker (synonyms the mapper must know).
    pub fn tracker_label(self) -> &'static str {
        match self {
            Status::Placed => "Open",
            Status::Paid => "Paid",
            Status::Picked => "Picked",
            Status::Packed => "Packed",
            Status::Shipped => "Dispatched",
            Status::Delivered => "Delivered",
            Status::Cancelled => "Cancelled",
            Status::Returned => "Returned",
        }
    }

    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Placed | Status::Paid | Status::Picked | Status::Packed
        )
    }

    /// Shipped, delivered or returned: the goods left the warehouse.
    pub fn has_shipped(self) -> bool {
        matches!(self, Status::Shipped | Status::Delivered | Status::Returned)
    }

    /// Every status in the order the tracker's dropdown lists them.
    pub const ALL: [Status; 8] = [
        Status::Placed,
        Status::Paid,
        Status::Picked,
        Status::Packed,
        Status::Shipped,
        Status::Delivered,
        Status::Returned,
        Status::Cancelled,
    ];
}

#[derive(Debug, Clone)]
pub struct Line {
    pub sku: String,
    pub description: String,
    pub qty: i64,
    pub price_cents: i64,
    /// An amount off the line, in cents (0 = none).
    pub discount_cents: i64,
    /// Internal margin the tracker keeps in a hidden column, in whole percent.
    pub margin_pct: i64,
}

impl Line {
    pub fn total_cents(&self) -> i64 {
        self.qty * self.price_cents - self.discount_cents
    }
}

#[derive(Debug, Clone)]
pub struct Order {
    pub id: String,
    pub date: NaiveDate,
    pub customer_id: String,
    pub email: String,
    pub channel: &'static str,
    pub currency: &'static str,
    pub status: Status,
    pub owner: Option<&'static str>,
    pub updated_at: NaiveDateTime,
    pub lines: Vec<Line>,
    /// First shipment date, for orders whose goods left the warehouse.
    pub ship_date: Option<NaiveDate>,
    /// Sent in two parcels, the second one a day after the first.
    pub split: bool,
    /// A placed order that was sent a pro-forma invoice (unpaid).
    pub proforma: bool,
    pub in_tracker: bool,
    pub in_oms: bool,
}

impl Order {
    pub fn total_cents(&self) -> i64 {
        self.lines.iter().map(Line::total_cents).sum()
    }

    /// Janet's copy holds every tracker order up to the day she copied it.
    pub fn in_janet(&self) -> bool {
        self.in_tracker && self.date <= janet_copy_date()
    }
}

/// The shop's whole world before anything is broken.
pub struct World {
    pub products: Vec<Product>,
    pub orders: Vec<Order>,
}

/// Orders per day: busier in autumn, a rush in Black Friday week.
fn daily_rate(date: NaiveDate) -> f64 {
    match (date.month(), date.day()) {
        (9, _) => 1.4,
        (10, _) => 1.7,
        (11, d) if d >= 21 => 4.0,
        _ => 2.0,
    }
}

/// Every order from 2026-09-01 up to the as-of date, numbered SO-10001 upwards.
pub fn orders(rng: &mut Rng, products: &[Product], customers: &[Customer]) -> Vec<Order> {
    let mut out = Vec::new();
    let mut date = ymd(2026, 9, 1);
    while date <= as_of() {
        let rate = daily_rate(date);
        let count = rate.floor() as usize + usize::from(rng.chance(rate.fract()));
        for _ in 0..count {
            let id = format!("SO-{}", 10001 + out.len());
            if let Some(order) = order(rng, id, date, products, customers) {
                out.push(order);
            }
        }
        date += Duration::days(1);
    }
    mark_returns(rng, &mut out);
    out
}

fn order(
    rng: &mut Rng,
    id: String,
    date: NaiveDate,
    products: &[Product],
    customers: &[Customer],
) -> Option<Order> {
    let customer = rng.pick(customers)?.clone();
    let channel = *rng.weighted(&[("web", 60), ("phone", 15), ("marketplace", 25)])?;
    let owner = match channel {
        "phone" => *rng.pick(&["Raj", "Tom"])?,
        _ => *rng.pick(&OWNERS)?,
    };
    let line_count = *rng.weighted(&[(1usize, 45), (2, 30), (3, 17), (4, 8)])?;
    let mut lines: Vec<Line> = Vec::new();
    while lines.len() < line_count {
        let product = rng.pick(products)?;
        if lines.iter().any(|l| l.sku == product.sku) {
            continue;
        }
        lines.push(line(rng, product, customer.currency));
    }
    let oms_only = rng.chance(if channel == "marketplace" { 0.25 } else { 0.05 });
    let oms_share = match date.month() {
        9 => 0.86,
        10 => 0.92,
        _ => 0.97,
    };
    let mut order = Order {
        id,
        date,
        customer_id: customer.id,
        email: customer.email,
        channel,
        currency: customer.currency,
        status: Status::Placed,
        owner: Some(owner),
        updated_at: at(date, 9, 0),
        lines,
        ship_date: None,
        split: false,
        proforma: false,
        in_tracker: !oms_only,
        in_oms: oms_only || rng.chance(oms_share),
    };
    settle(rng, &mut order);
    Some(order)
}

fn line(rng: &mut Rng, product: &Product, currency: &str) -> Line {
    let qty = if product.sku == "STV-FUEL-230" {
        rng.range(2, 6)
    } else {
        *rng.weighted(&[(1i64, 70), (2, 22), (3, 8)]).unwrap_or(&1)
    };
    let price_cents = price_in(product, currency);
    let discount_cents = if rng.chance(0.12) {
        if rng.chance(0.5) {
            500.min(qty * price_cents / 2)
        } else {
            (qty * price_cents + 5) / 10
        }
    } else {
        0
    };
    Line {
        sku: product.sku.to_string(),
        description: product.description.to_string(),
        qty,
        price_cents,
        discount_cents,
        margin_pct: 100 - product.cost_cents() * 100 / product.price_cents.max(1),
    }
}

/// A random office-hours time on `date`, earlier on the as-of day itself.
pub fn office_time(rng: &mut Rng, date: NaiveDate) -> NaiveDateTime {
    let last_hour = if date >= as_of() { 15 } else { 18 };
    at(
        date,
        rng.range(8, last_hour) as u32,
        rng.range(0, 59) as u32,
    )
}

/// Give an order the status it would have on the as-of date, with matching dates.
fn settle(rng: &mut Rng, order: &mut Order) {
    let rush = ymd(2026, 11, 21);
    if order.date >= rush && rng.chance(0.65) {
        make_open(rng, order);
        return;
    }
    if order.date < rush && rng.chance(0.025) {
        order.status = Status::Cancelled;
        let day = order.date + Duration::days(rng.range(0, 1));
        order.updated_at = office_time(rng, day);
        return;
    }
    let ship = order.date + Duration::days(rng.range(1, 2));
    if ship > as_of() {
        make_open(rng, order);
        return;
    }
    let delivered = ship + Duration::days(rng.range(2, 4));
    order.ship_date = Some(ship);
    order.split = order.lines.len() >= 2
        && ship < as_of()
        && delivered - ship >= Duration::days(3)
        && rng.chance(0.15);
    if delivered < as_of() {
        order.status = Status::Delivered;
        order.updated_at = office_time(rng, delivered);
    } else {
        order.status = Status::Shipped;
        order.updated_at = office_time(rng, ship);
    }
}

/// An open order placed in the last week: its status follows its age.
fn make_open(rng: &mut Rng, order: &mut Order) {
    let age = (as_of() - order.date).num_days();
    let choices: &[(Status, u32)] = match age {
        0..=1 => &[(Status::Placed, 60), (Status::Paid, 40)],
        2..=4 => &[
            (Status::Placed, 15),
            (Status::Paid, 35),
            (Status::Picked, 30),
            (Status::Packed, 20),
        ],
        _ => &[(Status::Picked, 50), (Status::Packed, 50)],
    };
    order.status = *rng.weighted(choices).unwrap_or(&Status::Placed);
    order.proforma = order.status == Status::Placed && rng.chance(0.3);
    order.ship_date = None;
    order.split = false;
    let first = order.date.max(ymd(2026, 11, 21));
    let days = (as_of() - first).num_days();
    let day = first + Duration::days(rng.range(0, days));
    order.updated_at = office_time(rng, day);
}

/// Two delivered September/October orders came back.
fn mark_returns(rng: &mut Rng, orders: &mut [Order]) {
    let candidates: Vec<usize> = orders
        .iter()
        .enumerate()
        .filter(|(_, o)| o.status == Status::Delivered && o.date < ymd(2026, 10, 20))
        .map(|(i, _)| i)
        .collect();
    let mut picked = Vec::new();
    while picked.len() < 2 && picked.len() < candidates.len() {
        let i = candidates
            .get(rng.index(candidates.len()))
            .copied()
            .unwrap_or(0);
        if !picked.contains(&i) {
            picked.push(i);
        }
    }
    for i in picked {
        if let Some(order) = orders.get_mut(i) {
            order.status = Status::Returned;
            let back = order.updated_at.date() + Duration::days(rng.range(10, 14));
            order.updated_at = office_time(rng, back.min(as_of()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{customers, products};

    fn world() -> Vec<Order> {
        let mut rng = Rng::new(2026);
        let products = products();
        let customers = customers(&mut rng);
        orders(&mut rng, &products, &customers)
    }

    #[test]
    fn orders_are_numbered_in_date_order_within_the_period() {
        let orders = world();
        assert!(orders.len() > 140, "{}", orders.len());
        assert_eq!(orders[0].id, "SO-10001");
        for pair in orders.windows(2) {
            assert!(pair[0].date <= pair[1].date);
        }
        for o in &orders {
            assert!(o.date >= ymd(2026, 9, 1) && o.date <= as_of());
            assert!(o.updated_at.date() >= o.date && o.updated_at.date() <= as_of());
        }
    }

    #[test]
    fn clean_world_invariants() {
        for o in world() {
            let skus: std::collections::BTreeSet<_> = o.lines.iter().map(|l| &l.sku).collect();
            assert_eq!(skus.len(), o.lines.len(), "{}", o.id);
            assert!(o.lines.iter().all(|l| l.qty > 0 && l.total_cents() > 0));
            assert!(o.in_tracker || o.in_oms);
            if o.status.is_open() {
                assert!(o.updated_at.date() >= ymd(2026, 11, 21), "{}", o.id);
                assert!(o.ship_date.is_none());
            }
            if o.status.has_shipped() {
                let ship = o.ship_date.unwrap();
                assert!(ship > o.date && ship <= as_of());
            }
        }
    }

    #[test]
    fn statuses_speak_two_dialects() {
        assert_eq!(Status::Shipped.tracker_label(), "Dispatched");
        assert_eq!(Status::Placed.tracker_label(), "Open");
        assert_eq!(Status::Placed.canonical(), "placed");
        assert!(Status::Packed.is_open() && !Status::Returned.is_open());
    }
}
