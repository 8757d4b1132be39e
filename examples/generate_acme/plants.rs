//! The integrity breaks planted on purpose, and the traps that must NOT be
//! reported. Each plant picks a host record that no other plant touches, breaks
//! exactly one rule there, and says where the finding must point (file, record,
//! column); the writers turn that into an A1 cell.

mod handoffs;
mod orders;
mod stock;
mod tracker;

pub use handoffs::break_handoffs;
pub use orders::shape_orders;
pub use stock::{break_counts, break_stock};

use std::collections::BTreeSet;

use crate::grid::{Cell, Override, Res};
use crate::rng::Rng;
use crate::world::Order;

/// One planted break: where its single finding must point.
#[derive(Debug, Clone)]
pub struct Planted {
    pub category: &'static str,
    pub entity: &'static str,
    pub file: &'static str,
    pub anchor: String,
    pub column: &'static str,
    pub note: String,
    /// For conflicting_copy: the other copy's file, anchor and column.
    pub related: Option<(&'static str, String, &'static str)>,
}

/// A trap for precision: something that looks odd but is not a finding.
#[derive(Debug, Clone)]
pub struct Trap {
    pub kind: &'static str,
    pub file: &'static str,
    pub anchor: String,
    pub column: &'static str,
    pub note: String,
}

/// Everything the plants decided, for the writers and the manifest.
#[derive(Debug, Default)]
pub struct Plan {
    pub breaks: Vec<Planted>,
    pub traps: Vec<Trap>,
    pub overrides: Vec<Override>,
    /// Tracker line anchors (`SO-10042/TNT-2P-GRN`) written twice in a row.
    pub tracker_duplicates: Vec<String>,
    /// Orders whose tracker rows are hidden.
    pub hidden_orders: Vec<String>,
    /// Delivered orders finance never invoiced.
    pub never_invoiced: Vec<String>,
    /// SKU and location pairs the warehouse did not count.
    pub uncounted: Vec<(String, &'static str)>,
    /// SKUs used by a stock plant (each stock plant gets its own SKU).
    pub stock_hosts: BTreeSet<String>,
}

impl Plan {
    /// Records a break of `category` on `entity` at (file, anchor, column).
    fn plant(
        &mut self,
        category: &'static str,
        entity: &'static str,
        (file, anchor, column): (&'static str, impl Into<String>, &'static str),
        note: impl Into<String>,
    ) {
        self.breaks.push(Planted {
            category,
            entity,
            file,
            anchor: anchor.into(),
            column,
            note: note.into(),
            related: None,
        });
    }

    /// Two conflicting_copy findings, one in each copy, naming each other.
    fn conflict(
        &mut self,
        entity: &'static str,
        a: (&'static str, String, &'static str),
        b: (&'static str, String, &'static str),
        note: &str,
    ) {
        for (this, other) in [(a.clone(), b.clone()), (b, a)] {
            self.breaks.push(Planted {
                category: "conflicting_copy",
                entity,
                file: this.0,
                anchor: this.1,
                column: this.2,
                note: note.to_string(),
                related: Some(other),
            });
        }
    }

    fn set(
        &mut self,
        file: &'static str,
        anchor: impl Into<String>,
        column: &'static str,
        cell: Cell,
    ) {
        self.overrides.push(Override {
            file,
            anchor: anchor.into(),
            column,
            cell,
        });
    }

    fn trap(
        &mut self,
        kind: &'static str,
        file: &'static str,
        anchor: impl Into<String>,
        column: &'static str,
        note: impl Into<String>,
    ) {
        self.traps.push(Trap {
            kind,
            file,
            anchor: anchor.into(),
            column,
            note: note.into(),
        });
    }
}

/// Hands out host orders so that no order carries two plants.
pub struct Picker {
    used: BTreeSet<String>,
}

impl Picker {
    pub fn new() -> Picker {
        Picker {
            used: BTreeSet::new(),
        }
    }

    /// A random unused order that fits `fits`, now marked used.
    pub fn order(
        &mut self,
        rng: &mut Rng,
        orders: &[Order],
        what: &str,
        fits: impl Fn(&Order) -> bool,
    ) -> Res<usize> {
        let candidates: Vec<usize> = orders
            .iter()
            .enumerate()
            .filter(|(_, o)| !self.used.contains(&o.id) && fits(o))
            .map(|(i, _)| i)
            .collect();
        let Some(&i) = candidates.get(rng.index(candidates.len())) else {
            return Err(format!("no order fits the {what} plant").into());
        };
        if let Some(o) = orders.get(i) {
            self.used.insert(o.id.clone());
        }
        Ok(i)
    }
}

/// The order at `i` (the picker only hands out valid indices).
fn host(orders: &mut [Order], i: usize) -> Res<&mut Order> {
    orders
        .get_mut(i)
        .ok_or_else(|| format!("order index {i} out of range").into())
}

/// The anchor of an order's `n`-th line (0-based) in the tracker and Janet's copy.
fn line_anchor(order: &Order, n: usize) -> Res<String> {
    let line = order
        .lines
        .get(n)
        .ok_or_else(|| format!("{} has no line {}", order.id, n + 1))?;
    Ok(format!("{}/{}", order.id, line.sku))
}
