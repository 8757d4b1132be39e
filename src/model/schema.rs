//! The canonical order and inventory model of SPEC: six tables, their fields, types,
//! keys and which fields are required. Everything that maps, parses or checks a
//! value asks this table what the value should be.

use std::fmt;

/// One of the six canonical tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    Orders,
    OrderLines,
    Inventory,
    StockCounts,
    Shipments,
    Invoices,
}

/// The type a canonical field's values must parse as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    Text,
    Int,
    /// Exact decimal, at least two places.
    Decimal,
    Date,
    DateTime,
    Bool,
    Email,
    /// ISO 4217 code.
    Currency,
    /// The order status enum (placed, paid, ...).
    Status,
}

/// One field of a canonical table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub ty: FieldType,
    pub required: bool,
    /// Part of the table's key.
    pub key: bool,
}

const fn f(name: &'static str, ty: FieldType, required: bool, key: bool) -> Field {
    Field {
        name,
        ty,
        required,
        key,
    }
}

use FieldType::*;

const ORDERS: &[Field] = &[
    f("order_id", Text, true, true),
    f("order_date", Date, true, false),
    f("customer_id", Text, false, false),
    f("customer_email", Email, false, false),
    f("channel", Text, false, false),
    f("currency", Currency, false, false),
    f("status", Status, true, false),
    f("owner", Text, false, false),
    f("updated_at", DateTime, false, false),
    f("total", Decimal, false, false),
    f("tax", Decimal, false, false),
    f("shipping", Decimal, false, false),
    f("ship_country", Text, false, false),
    f("notes", Text, false, false),
];

const ORDER_LINES: &[Field] = &[
    f("order_id", Text, true, true),
    f("line_no", Int, false, true),
    f("sku", Text, true, false),
    f("description", Text, false, false),
    f("quantity", Int, true, false),
    f("unit_price", Decimal, true, false),
    f("discount", Decimal, false, false),
    f("line_total", Decimal, false, false),
];

const INVENTORY: &[Field] = &[
    f("sku", Text, true, true),
    f("location", Text, false, true),
    f("on_hand", Int, true, false),
    f("allocated", Int, false, false),
    f("as_of", Date, false, false),
];

const STOCK_COUNTS: &[Field] = &[
    f("sku", Text, true, true),
    f("location", Text, false, true),
    f("counted_at", Date, true, true),
    f("counted_qty", Int, true, false),
    f("counter", Text, false, false),
];

const SHIPMENTS: &[Field] = &[
    f("shipment_id", Text, false, true),
    f("order_id", Text, true, false),
    f("shipped_at", Date, true, false),
    f("carrier", Text, true, false),
    f("tracking_no", Text, true, false),
    f("warehouse", Text, false, false),
];

const INVOICES: &[Field] = &[
    f("invoice_id", Text, true, true),
    f("order_id", Text, true, false),
    f("invoiced_at", Date, true, false),
    f("amount", Decimal, true, false),
    f("currency", Currency, false, false),
    f("paid_at", Date, false, false),
    f("paid", Bool, false, false),
];

impl Entity {
    pub const ALL: [Entity; 6] = [
        Entity::Orders,
        Entity::OrderLines,
        Entity::Inventory,
        Entity::StockCounts,
        Entity::Shipments,
        Entity::Invoices,
    ];

    /// The table name used in output file names, JSON and offsheet.toml.
    pub fn name(self) -> &'static str {
        match self {
            Entity::Orders => "orders",
            Entity::OrderLines => "order_lines",
            Entity::Inventory => "inventory",
            Entity::StockCounts => "stock_counts",
            Entity::Shipments => "shipments",
            Entity::Invoices => "invoices",
        }
    }

    pub fn from_name(name: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.name() == name)
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            Entity::Orders => ORDERS,
            Entity::OrderLines => ORDER_LINES,
            Entity::Inventory => INVENTORY,
            Entity::StockCounts => STOCK_COUNTS,
            Entity::Shipments => SHIPMENTS,
            Entity::Invoices => INVOICES,
        }
    }

    pub fn field(self, name: &str) -> Option<&'static Field> {
        self.fields().iter().find(|f| f.name == name)
    }

    /// Fields that form the key, in key order.
    pub fn key_fields(self) -> impl Iterator<Item = &'static Field> {
        self.fields().iter().filter(|f| f.key)
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FieldType {
    pub fn name(self) -> &'static str {
        match self {
            Text => "text",
            Int => "int",
            Decimal => "decimal",
            Date => "date",
            DateTime => "datetime",
            Bool => "bool",
            Email => "email",
            Currency => "currency",
            Status => "status",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for e in Entity::ALL {
            assert_eq!(Entity::from_name(e.name()), Some(e));
        }
        assert_eq!(Entity::from_name("customers"), None);
    }

    #[test]
    fn every_table_has_a_key_and_required_fields() {
        for e in Entity::ALL {
            assert!(e.key_fields().count() >= 1, "{e}");
            assert!(e.fields().iter().any(|f| f.required), "{e}");
        }
        let keys: Vec<_> = Entity::StockCounts.key_fields().map(|f| f.name).collect();
        assert_eq!(keys, ["sku", "location", "counted_at"]);
    }
}
