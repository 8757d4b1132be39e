//! Auto-mapping against the header sets people really use: trackers, Superstore,
//! Northwind, UCI Online Retail, Shopify-style exports, and values that contradict
//! their headers.

use super::*;
use crate::mapping::profile::{SampleValue, profile_values};
use proptest::prelude::*;

fn with_profiles<'a>(headers: &[&'a str], profiles: &[&'a ValueProfile]) -> Vec<ColumnInput<'a>> {
    let columns = headers.iter().zip(profiles).enumerate();
    let column = |(index, (header, profile)): (usize, (&&'a str, &&'a ValueProfile))| ColumnInput {
        index,
        header,
        profile,
    };
    columns.map(column).collect()
}

fn texts(values: &[&str]) -> ValueProfile {
    profile_values(values.iter().map(|v| SampleValue::Text(v)))
}

/// An assignment as "index:field ...", in column order.
fn shown(m: &EntityMapping) -> String {
    let pairs: Vec<String> = m
        .columns
        .iter()
        .map(|c| format!("{}:{}", c.index, c.field))
        .collect();
    pairs.join(" ")
}

fn all(headers: &[&str]) -> Vec<EntityMapping> {
    let blank = ValueProfile::default();
    map_region(&with_profiles(headers, &vec![&blank; headers.len()]))
}

fn fed(headers: &[&str]) -> Vec<EntityMapping> {
    let blank = ValueProfile::default();
    entities_to_feed(&with_profiles(headers, &vec![&blank; headers.len()]))
}

fn entities(mappings: &[EntityMapping]) -> Vec<Entity> {
    mappings.iter().map(|m| m.entity).collect()
}

#[test]
fn date_beside_tracking_and_carrier_is_shipped_at() {
    let m = &all(&["Order ID", "Date", "Carrier", "Tracking #"])[0];
    assert_eq!(m.entity, Entity::Shipments);
    assert_eq!(shown(m), "0:order_id 1:shipped_at 2:carrier 3:tracking_no");
    assert_eq!(m.missing_required, [""; 0]);
    // (2 + 2 x 0.55 + 2 + 2) of the required weight 8.
    assert!((m.confidence - 0.8875).abs() < 1e-6, "{}", m.confidence);
}

#[test]
fn date_beside_order_sku_qty_is_order_date() {
    let feeds = fed(&["Order ID", "SKU", "Qty", "Date"]);
    assert_eq!(entities(&feeds), [Entity::OrderLines, Entity::Orders]);
    assert_eq!(shown(&feeds[0]), "0:order_id 1:sku 2:quantity");
    assert_eq!(feeds[0].missing_required, ["unit_price"]);
    assert_eq!(shown(&feeds[1]), "0:order_id 3:order_date");
    assert_eq!(feeds[1].missing_required, ["status"]);
}

#[test]
fn count_with_sku_location_date_is_a_stock_count() {
    for count in ["Count", "Counted"] {
        let m = &all(&["SKU", "Location", count, "Date"])[0];
        assert_eq!(m.entity, Entity::StockCounts, "{count}");
        assert_eq!(shown(m), "0:sku 1:location 2:counted_qty 3:counted_at");
    }
}

#[test]
fn on_hand_with_sku_is_inventory() {
    let m = &all(&["SKU", "On Hand"])[0];
    assert_eq!(
        (m.entity, shown(m).as_str()),
        (Entity::Inventory, "0:sku 1:on_hand")
    );
    assert_eq!(m.confidence, 1.0);
    let m = &all(&["SKU", "Qty on hand", "Location"])[0];
    let want = (Entity::Inventory, "0:sku 1:on_hand 2:location");
    assert_eq!((m.entity, shown(m).as_str()), want);
}

#[test]
fn amount_beside_invoice_number_is_the_invoice_amount() {
    let feeds = fed(&["Invoice #", "Order ID", "Inv Date", "Amount", "Paid?"]);
    assert_eq!(entities(&feeds), [Entity::Invoices]);
    let want = "0:invoice_id 1:order_id 2:invoiced_at 3:amount 4:paid";
    assert_eq!(shown(&feeds[0]), want);
}

#[test]
fn total_beside_order_fields_is_the_order_total() {
    let feeds = fed(&["Order ID", "Order Date", "Customer", "Status", "Total"]);
    assert_eq!(entities(&feeds), [Entity::Orders]);
    let want = "0:order_id 1:order_date 2:customer_id 3:status 4:total";
    assert_eq!(shown(&feeds[0]), want);
    assert_eq!(feeds[0].columns[4].evidence, Evidence::Exact);
}

#[test]
fn line_total_and_extended_price_are_line_totals() {
    for total in ["Line Total", "Ext. Price"] {
        let feeds = fed(&["Order ID", "SKU", "Qty", "Unit Price", total]);
        assert_eq!(entities(&feeds), [Entity::OrderLines], "{total}");
        let want = "0:order_id 1:sku 2:quantity 3:unit_price 4:line_total";
        assert_eq!(shown(&feeds[0]), want, "{total}");
    }
}

const SUPERSTORE: &str = "Row ID|Order ID|Order Date|Ship Date|Ship Mode|Customer ID|\
    Customer Name|Segment|Country|City|State|Postal Code|Region|Product ID|Category|\
    Sub-Category|Product Name|Sales|Quantity|Discount|Profit";

#[test]
fn superstore_feeds_lines_then_orders() {
    let feeds = fed(&SUPERSTORE.split('|').collect::<Vec<_>>());
    assert_eq!(entities(&feeds), [Entity::OrderLines, Entity::Orders]);
    let lines = "1:order_id 13:sku 16:description 17:line_total 18:quantity 19:discount";
    assert_eq!(shown(&feeds[0]), lines);
    assert_eq!(feeds[0].missing_required, ["unit_price"]);
    assert_eq!(
        shown(&feeds[1]),
        "1:order_id 2:order_date 5:customer_id 8:ship_country"
    );
}

#[test]
fn a_weak_status_header_over_other_words_is_dropped() {
    let states = texts(&["Kentucky", "California", "Texas"]);
    let blank = ValueProfile::default();
    let headers = ["Order ID", "Order Date", "Progress"];
    let m = &map_region(&with_profiles(&headers, &[&blank, &blank, &states]))[0];
    assert_eq!(shown(m), "0:order_id 1:order_date");
    assert_eq!(m.missing_required, ["status"]);
    let headers = ["Order ID", "Order Date", "Status"];
    let m = &map_region(&with_profiles(&headers, &[&blank, &blank, &states]))[0];
    assert_eq!(shown(m), "0:order_id 1:order_date 2:status");
    assert!((m.columns[2].confidence - 0.6).abs() < 1e-6);
}

#[test]
fn northwind_orders_are_orders_without_status() {
    let headers = "orderID|customerID|employeeID|orderDate|requiredDate|shippedDate|shipVia|\
        freight|shipName|shipAddress|shipCity|shipRegion|shipPostalCode|shipCountry";
    let feeds = fed(&headers.split('|').collect::<Vec<_>>());
    assert_eq!(entities(&feeds), [Entity::Orders]);
    let want = "0:order_id 1:customer_id 2:owner 3:order_date 7:shipping 13:ship_country";
    assert_eq!(shown(&feeds[0]), want);
    assert_eq!(feeds[0].missing_required, ["status"]);
}

#[test]
fn northwind_order_details_are_order_lines() {
    let m = &all(&["orderID", "productID", "unitPrice", "quantity", "discount"])[0];
    assert_eq!(m.entity, Entity::OrderLines);
    assert_eq!(
        shown(m),
        "0:order_id 1:sku 2:unit_price 3:quantity 4:discount"
    );
    assert_eq!(m.missing_required, [""; 0]);
}

#[test]
fn northwind_products_are_inventory_and_units_on_order_is_not_allocated() {
    let headers = "productID|productName|supplierID|categoryID|quantityPerUnit|unitPrice|\
        unitsInStock|unitsOnOrder|reorderLevel|discontinued";
    let feeds = fed(&headers.split('|').collect::<Vec<_>>());
    assert_eq!(entities(&feeds), [Entity::Inventory]);
    assert_eq!(shown(&feeds[0]), "0:sku 6:on_hand");
}

#[test]
fn uci_online_retail_feeds_lines_and_orders() {
    let headers =
        "InvoiceNo|StockCode|Description|Quantity|InvoiceDate|UnitPrice|CustomerID|Country";
    let feeds = fed(&headers.split('|').collect::<Vec<_>>());
    assert_eq!(entities(&feeds), [Entity::OrderLines, Entity::Orders]);
    let lines = "0:order_id 1:sku 2:description 3:quantity 5:unit_price";
    assert_eq!(shown(&feeds[0]), lines);
    assert_eq!(
        shown(&feeds[1]),
        "0:order_id 4:order_date 6:customer_id 7:ship_country"
    );
}

#[test]
fn a_notes_sheet_feeds_nothing() {
    assert_eq!(all(&["Notes", "Comment"]), []);
    assert_eq!(fed(&["Notes", "Comment"]), []);
    assert_eq!(fed(&[]), []);
}

#[test]
fn an_order_sheet_with_line_fields_also_feeds_lines() {
    let headers = "Order #|Date|Customer|Email|Status|Owner|Last Updated|SKU|Qty|Price";
    let feeds = fed(&headers.split('|').collect::<Vec<_>>());
    assert_eq!(entities(&feeds), [Entity::Orders, Entity::OrderLines]);
    let orders = "0:order_id 1:order_date 2:customer_id 3:customer_email 4:status 5:owner \
                  6:updated_at";
    assert_eq!(shown(&feeds[0]), orders);
    assert_eq!(shown(&feeds[1]), "0:order_id 7:sku 8:quantity 9:unit_price");
}

#[test]
fn values_map_a_silent_column() {
    let ids = texts(&["SO-1", "SO-2", "SO-3"]);
    let emails = texts(&["a@x.com", "b@y.org", "c@z.de"]);
    let states = texts(&["Shipped", "open", "Cancelled"]);
    let headers = ["Order ID", "Contact", "Stage of things"];
    let m = &map_region(&with_profiles(&headers, &[&ids, &emails, &states]))[0];
    assert_eq!(
        (m.entity, shown(m).as_str()),
        (Entity::Orders, "0:order_id 1:customer_email 2:status")
    );
    let values: Vec<_> = m
        .columns
        .iter()
        .filter(|c| c.evidence == Evidence::Values)
        .collect();
    assert_eq!(values.len(), 2);
    assert!(values.iter().all(|c| c.confidence == VALUES_MAX));
}

#[test]
fn values_that_contradict_a_header_cost_confidence() {
    let blank = ValueProfile::default();
    let words = texts(&["soon", "later", "tbd"]);
    let dates = texts(&["2025-03-01", "2025-03-02", "02/03/2025"]);
    let headers = ["Order ID", "Date", "Carrier", "Tracking #"];
    let good = &map_region(&with_profiles(&headers, &[&blank, &dates, &blank, &blank]))[0];
    let bad = &map_region(&with_profiles(&headers, &[&blank, &words, &blank, &blank]))[0];
    assert_eq!(
        shown(good),
        "0:order_id 1:shipped_at 2:carrier 3:tracking_no"
    );
    assert_eq!(bad.entity, Entity::Shipments);
    assert_eq!(
        shown(bad),
        "0:order_id 2:carrier 3:tracking_no",
        "a 0.55 Date of words goes"
    );
    assert_eq!(bad.missing_required, ["shipped_at"]);

    let qty = |p: &ValueProfile| {
        let m = map_region(&with_profiles(
            &["Order ID", "SKU", "Qty"],
            &[&blank, &blank, p],
        ));
        m[0].columns[2].confidence
    };
    assert_eq!(qty(&texts(&["1", "2", "12"])), 0.95);
    assert!(
        (qty(&words) - 0.57).abs() < 1e-6,
        "a strong Qty of words keeps 60%"
    );
}

#[test]
fn product_names_under_a_name_header_do_not_make_an_order() {
    let names = texts(&["Blue mug", "Red mug", "Tea pot"]);
    let skus = texts(&["SKU-1", "SKU-2", "SKU-3"]);
    let stock = texts(&["4", "0", "12"]);
    let headers = ["Name", "SKU", "Stock"];
    let found = map_region(&with_profiles(&headers, &[&names, &skus, &stock]));
    // Stock counts need a counted quantity; a "Stock" column is on hand.
    assert_eq!(entities(&found), [Entity::Inventory]);
}

#[test]
fn ties_go_to_the_leftmost_column() {
    let m = &all(&["Qty", "SKU", "Order ID", "SKU"])[0];
    assert_eq!(
        (m.entity, shown(m).as_str()),
        (Entity::OrderLines, "0:quantity 1:sku 2:order_id")
    );
}

fn header() -> impl Strategy<Value = String> {
    let known = "Order ID|SKU|Qty|Date|Total|Amount|Status|Location|Count|Name|Email|\
        Tracking #|Invoice #|On Hand|Price|Item|ID";
    let known = prop::sample::select(known.split('|').map(String::from).collect::<Vec<_>>());
    prop_oneof![known, ".{0,16}"]
}

fn sample(kind: u8, text: &str, n: f64) -> SampleValue<'_> {
    match kind {
        0 => SampleValue::Text(text),
        1 => SampleValue::Number(n),
        2 => SampleValue::DateTime,
        3 => SampleValue::Bool(n.is_sign_positive()),
        4 => SampleValue::Error,
        _ => SampleValue::Empty,
    }
}

proptest! {
    #[test]
    fn assignments_are_one_to_one(
        cols in prop::collection::vec((
            0usize..12,
            header(),
            prop::collection::vec((0u8..6, "[A-Za-z0-9@#$€.,/ -]{0,12}", any::<f64>()), 0..8),
        ), 0..12)
    ) {
        let profiles: Vec<ValueProfile> = cols
            .iter()
            .map(|(_, _, values)| profile_values(values.iter().map(|(k, t, n)| sample(*k, t, *n))))
            .collect();
        let columns: Vec<ColumnInput<'_>> = cols
            .iter()
            .zip(&profiles)
            .map(|((index, header, _), profile)| ColumnInput { index: *index, header, profile })
            .collect();
        let found = map_region(&columns);
        let feeds = entities_to_feed(&columns);
        prop_assert_eq!(feeds.first().map(|m| m.entity), found.first().map(|m| m.entity));
        for m in found.iter().chain(&feeds) {
            prop_assert!((0.0..=1.0).contains(&m.confidence));
            for (i, c) in m.columns.iter().enumerate() {
                prop_assert!((0.0..=1.0).contains(&c.confidence));
                prop_assert!(m.columns.iter().skip(i + 1).all(|d| d.index != c.index));
                prop_assert!(m.columns.iter().skip(i + 1).all(|d| d.field != c.field));
                prop_assert!(!m.missing_required.contains(&c.field));
            }
        }
    }
}
