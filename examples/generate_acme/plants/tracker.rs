//! Plants in the ops tracker's own cells: broken line values (an empty SKU,
//! "ten", -1, #REF!, a pasted duplicate, a typed-over total, a SKU typo) and
//! broken order values (an unknown status, a bad email or currency, an order
//! total that does not add up). Each sits on a tracker-only order.

use super::orders::november;
use super::{Picker, Plan, host, line_anchor};
use crate::grid::{Cached, Cell, Res, TRACKER, money};
use crate::rng::Rng;
use crate::world::{Status, World, as_of};

/// A tracker-only order of November with at least two lines: a line-level plant
/// sits on its second row, and its Order Total is left blank, so the broken line
/// cannot also make the order total disagree.
fn tracker_only_host(
    rng: &mut Rng,
    world: &mut World,
    picker: &mut Picker,
    what: &str,
) -> Res<usize> {
    let i = picker.order(rng, &world.orders, what, |o| {
        november(o) && o.date < as_of() && o.lines.len() >= 2 && o.status != Status::Cancelled
    })?;
    let o = host(&mut world.orders, i)?;
    o.in_tracker = true;
    o.in_oms = false;
    Ok(i)
}

/// An open order of the last week, now "placed" with no invoice, tracker only.
fn fresh_open_host(
    rng: &mut Rng,
    world: &mut World,
    picker: &mut Picker,
    what: &str,
) -> Res<usize> {
    let i = picker.order(rng, &world.orders, what, |o| o.status.is_open())?;
    let o = host(&mut world.orders, i)?;
    o.status = Status::Placed;
    o.proforma = false;
    o.in_tracker = true;
    o.in_oms = false;
    Ok(i)
}

pub(super) fn tracker_lines(
    rng: &mut Rng,
    world: &mut World,
    plan: &mut Plan,
    picker: &mut Picker,
) -> Res<()> {
    let i = tracker_only_host(rng, world, picker, "missing sku")?;
    let o = host(&mut world.orders, i)?;
    let a = line_anchor(o, 1)?;
    plan.set(TRACKER, &a, "Item SKU", Cell::Blank);
    plan.set(TRACKER, &o.id, "Order Total", Cell::Blank);
    plan.plant(
        "missing_required",
        "order_lines",
        (TRACKER, &a, "Item SKU"),
        "line has a description but its Item SKU cell is empty",
    );

    let i = tracker_only_host(rng, world, picker, "quantity ten")?;
    let o = host(&mut world.orders, i)?;
    let a = line_anchor(o, 1)?;
    let line = o.lines.get_mut(1).ok_or("no second line")?;
    line.qty = 10;
    let typed = line.total_cents();
    plan.set(TRACKER, &a, "Qty", Cell::text("ten"));
    plan.set(TRACKER, &a, "Line Total", Cell::Money(typed));
    plan.set(TRACKER, &o.id, "Order Total", Cell::Blank);
    plan.plant(
        "invalid_type",
        "order_lines",
        (TRACKER, &a, "Qty"),
        "quantity typed as the word \"ten\"",
    );
    plan.trap(
        "typed_line_total",
        TRACKER,
        &a,
        "Line Total",
        "line total typed for 10 units over the formula: not an arithmetic_mismatch, its \
        quantity is invalid_type",
    );

    let i = tracker_only_host(rng, world, picker, "negative quantity")?;
    let o = host(&mut world.orders, i)?;
    let a = line_anchor(o, 1)?;
    plan.set(TRACKER, &a, "Qty", Cell::Number(-1.0));
    plan.set(TRACKER, &o.id, "Order Total", Cell::Blank);
    plan.plant(
        "invalid_value",
        "order_lines",
        (TRACKER, &a, "Qty"),
        "quantity -1 (a return keyed as a negative line); its formula line total is consistent",
    );

    let i = tracker_only_host(rng, world, picker, "#REF! line total")?;
    let o = host(&mut world.orders, i)?;
    let a = line_anchor(o, 1)?;
    let formula = Cell::Formula {
        text: "=#REF!*M{r}-N{r}".to_string(),
        cached: Cached::Error("#REF!"),
    };
    plan.set(TRACKER, &a, "Line Total", formula);
    plan.set(TRACKER, &o.id, "Order Total", Cell::Blank);
    plan.plant(
        "formula_error",
        "order_lines",
        (TRACKER, &a, "Line Total"),
        "line total formula lost its Qty reference (#REF!)",
    );

    let i = tracker_only_host(rng, world, picker, "duplicate line")?;
    let o = host(&mut world.orders, i)?;
    let a = line_anchor(o, o.lines.len() - 1)?;
    plan.tracker_duplicates.push(a.clone());
    plan.set(TRACKER, &o.id, "Order Total", Cell::Blank);
    plan.plant(
        "duplicate_key",
        "order_lines",
        (TRACKER, format!("{a}#2"), "Order #"),
        "the order's last line pasted twice (identical row); the finding is at the later copy",
    );

    let i = tracker_only_host(rng, world, picker, "line total arithmetic")?;
    let o = host(&mut world.orders, i)?;
    let a = line_anchor(o, 1)?;
    let line = o.lines.get(1).ok_or("no second line")?;
    let old_price = line.qty * (line.price_cents + 1000) - line.discount_cents;
    plan.set(TRACKER, &a, "Line Total", Cell::Money(old_price));
    plan.set(TRACKER, &o.id, "Order Total", Cell::Blank);
    plan.plant(
        "arithmetic_mismatch",
        "order_lines",
        (TRACKER, &a, "Line Total"),
        format!(
            "line total typed over the formula at the old price: {} x {} - {} is {}",
            line.qty,
            money(line.price_cents),
            money(line.discount_cents),
            money(line.total_cents())
        ),
    );

    let i = picker.order(rng, &world.orders, "orphan sku", |o| {
        november(o) && o.lines.len() >= 2 && o.in_tracker && o.status != Status::Cancelled
    })?;
    let o = host(&mut world.orders, i)?;
    let a = line_anchor(o, 1)?;
    let sku = o.lines.get(1).map(|l| l.sku.clone()).unwrap_or_default();
    let typo = transpose_after_dash(&sku);
    if world
        .products
        .iter()
        .any(|p| p.sku.eq_ignore_ascii_case(&typo))
    {
        return Err(format!("typo {typo} of {sku} is a real SKU").into());
    }
    plan.set(TRACKER, &a, "Item SKU", Cell::text(&typo));
    plan.plant(
        "orphan_reference",
        "order_lines",
        (TRACKER, &a, "Item SKU"),
        format!("SKU {typo} (a typo of {sku}) is in no inventory"),
    );
    Ok(())
}

/// `TNT-2P-GRN` → `TNT-P2-GRN`: two characters swapped, as fingers do.
fn transpose_after_dash(sku: &str) -> String {
    let mut chars: Vec<char> = sku.chars().collect();
    if let Some(dash) = chars.iter().position(|c| *c == '-')
        && dash + 2 < chars.len()
    {
        chars.swap(dash + 1, dash + 2);
    }
    chars.into_iter().collect()
}

pub(super) fn tracker_orders(
    rng: &mut Rng,
    world: &mut World,
    plan: &mut Plan,
    picker: &mut Picker,
) -> Res<()> {
    let i = fresh_open_host(rng, world, picker, "unknown status")?;
    let id = host(&mut world.orders, i)?.id.clone();
    plan.set(TRACKER, &id, "Status", Cell::text("Shipped??"));
    plan.plant(
        "invalid_value",
        "orders",
        (TRACKER, &id, "Status"),
        "status \"Shipped??\" is not in the status vocabulary (no shipment exists either)",
    );

    let i = fresh_open_host(rng, world, picker, "bad email")?;
    let o = host(&mut world.orders, i)?;
    let truncated = format!("{}@", o.email.split('@').next().unwrap_or("jane.doe"));
    plan.set(TRACKER, &o.id, "Cust. Email", Cell::text(&truncated));
    plan.plant(
        "invalid_value",
        "orders",
        (TRACKER, &o.id, "Cust. Email"),
        format!("email \"{truncated}\" has no domain"),
    );

    let i = picker.order(rng, &world.orders, "bad currency", |o| {
        o.status.is_open() && o.currency == "EUR"
    })?;
    let o = host(&mut world.orders, i)?;
    o.status = Status::Placed;
    o.proforma = false;
    o.in_tracker = true;
    o.in_oms = false;
    plan.set(TRACKER, &o.id, "Cur", Cell::text("EURO"));
    plan.plant(
        "invalid_value",
        "orders",
        (TRACKER, &o.id, "Cur"),
        "currency \"EURO\" is not an ISO 4217 code",
    );

    let i = picker.order(rng, &world.orders, "order total arithmetic", |o| {
        november(o) && o.status == Status::Delivered && o.lines.len() >= 2
    })?;
    let o = host(&mut world.orders, i)?;
    o.in_tracker = true;
    o.in_oms = false;
    let first = o.lines.first().map(|l| l.price_cents).unwrap_or(0);
    let typed = o.total_cents() + first;
    plan.set(TRACKER, &o.id, "Order Total", Cell::Money(typed));
    plan.plant(
        "arithmetic_mismatch",
        "orders",
        (TRACKER, &o.id, "Order Total"),
        format!(
            "order total {} typed over the SUM formula; its lines add up to {}",
            money(typed),
            money(o.total_cents())
        ),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transposes_the_two_characters_after_the_first_dash() {
        assert_eq!(transpose_after_dash("TNT-2P-GRN"), "TNT-P2-GRN");
        assert_eq!(transpose_after_dash("BAG-30L-BLK"), "BAG-03L-BLK");
        assert_eq!(transpose_after_dash("AB-C"), "AB-C");
    }
}
