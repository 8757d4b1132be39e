//! What Acme Outdoor Supply sells and to whom: the product catalogue, the two
//! warehouse locations, the customer list and the ops team.

use crate::rng::Rng;

pub const MAIN: &str = "MAIN";
pub const OVERFLOW: &str = "OVERFLOW";

/// The ops team who own orders in the tracker and the OMS.
pub const OWNERS: [&str; 4] = ["Janet", "Raj", "Maria", "Tom"];

/// One product as the OMS knows it. Prices are in euro cents.
#[derive(Debug, Clone)]
pub struct Product {
    pub sku: &'static str,
    pub description: &'static str,
    pub price_cents: i64,
    /// Also stocked in the OVERFLOW location (bulky goods).
    pub overflow: bool,
}

impl Product {
    /// Purchase cost: the warehouse's "Stückpreis", rounded to 10 cents. The
    /// cost ratio (45–65% of the price) is fixed per SKU.
    pub fn cost_cents(&self) -> i64 {
        let ratio = 45 + self.sku.bytes().map(i64::from).sum::<i64>() % 21;
        (self.price_cents * ratio / 100 + 5) / 10 * 10
    }
}

const fn p(
    sku: &'static str,
    description: &'static str,
    price_cents: i64,
    overflow: bool,
) -> Product {
    Product {
        sku,
        description,
        price_cents,
        overflow,
    }
}

/// Sixty SKUs of outdoor gear.
pub fn products() -> Vec<Product> {
    vec![
        p("TNT-1P-GRN", "Ridgeline 1P tent, green", 18900, false),
        p("TNT-2P-GRN", "Ridgeline 2P tent, green", 24900, true),
        p("TNT-2P-ORG", "Ridgeline 2P tent, orange", 24900, false),
        p("TNT-3P-GRN", "Ridgeline 3P tent, green", 32900, true),
        p("TNT-4P-GRY", "Basecamp 4P tent, grey", 44900, true),
        p("TNT-TRP-OLV", "Tarp 3 x 3 m, olive", 5990, false),
        p("BAG-20L-BLK", "Daypack 20 L, black", 5990, false),
        p("BAG-30L-BLK", "Trail pack 30 L, black", 8990, false),
        p("BAG-30L-BLU", "Trail pack 30 L, blue", 8990, false),
        p("BAG-45L-GRN", "Trekking pack 45 L, green", 14900, false),
        p("BAG-65L-BLK", "Expedition pack 65 L, black", 19900, true),
        p("BAG-65L-RED", "Expedition pack 65 L, red", 19900, false),
        p("SLP-SUM-BLU", "Summer sleeping bag +10 C", 6990, false),
        p("SLP-3SN-RED", "3-season sleeping bag -5 C", 12900, false),
        p("SLP-WIN-BLK", "Winter down bag -15 C", 28900, true),
        p("SLP-LNR-GRY", "Silk liner", 3990, false),
        p("MAT-FOAM-YEL", "Foam mat, yellow", 2490, true),
        p("MAT-AIR-R", "Air mat, regular", 9900, true),
        p("MAT-AIR-L", "Air mat, long", 11900, false),
        p("MAT-SIA-BLU", "Self-inflating mat, blue", 7990, false),
        p("JKT-SHL-M-BLU", "Rain shell men M, blue", 17900, false),
        p("JKT-SHL-L-BLU", "Rain shell men L, blue", 17900, false),
        p("JKT-SHL-M-RED", "Rain shell women M, red", 17900, false),
        p("JKT-FLC-M-GRY", "Fleece jacket M, grey", 6990, false),
        p("JKT-FLC-L-GRY", "Fleece jacket L, grey", 6990, false),
        p("JKT-DWN-M-BLK", "Down jacket M, black", 21900, false),
        p("JKT-DWN-L-BLK", "Down jacket L, black", 21900, false),
        p("BOT-HK-41-BRN", "Hiking boot 41, brown", 14900, false),
        p("BOT-HK-42-BRN", "Hiking boot 42, brown", 14900, false),
        p("BOT-HK-43-BRN", "Hiking boot 43, brown", 14900, true),
        p("BOT-HK-44-BRN", "Hiking boot 44, brown", 14900, false),
        p("BOT-HK-45-BRN", "Hiking boot 45, brown", 14900, false),
        p("BOT-TR-42-GRY", "Trail runner 42, grey", 11900, false),
        p("BOT-TR-44-GRY", "Trail runner 44, grey", 11900, false),
        p("STV-GAS-MINI", "Mini gas stove", 4490, false),
        p("STV-GAS-SYS", "Gas stove system 1 L", 12900, false),
        p("STV-FUEL-230", "Gas cartridge 230 g", 690, true),
        p("CKW-POT-1L", "Titanium pot 1 L", 3490, false),
        p("CKW-SET-2P", "Cook set for two", 5990, false),
        p("CKW-MUG-TI", "Titanium mug 450 ml", 2490, false),
        p("CKW-SPK-TI", "Titanium spork", 990, false),
        p("LMP-HEAD-300", "Headlamp 300 lm", 4990, false),
        p("LMP-HEAD-600", "Headlamp 600 lm", 7990, false),
        p("LMP-LANT-USB", "USB camp lantern", 3990, false),
        p("POL-TRK-ALU", "Trekking poles, alu (pair)", 5990, false),
        p("POL-TRK-CRB", "Trekking poles, carbon (pair)", 11900, false),
        p("FLT-SQZ-1L", "Squeeze water filter 1 L", 3990, false),
        p("FLT-PMP-PRO", "Pump water filter", 9900, false),
        p("BTL-1L-STL", "Steel bottle 1 L", 2790, true),
        p("BTL-HYD-2L", "Hydration bladder 2 L", 2990, false),
        p("CHR-CMP-BLK", "Camp chair, black", 7900, true),
        p("CHR-STL-GRN", "Camp stool, green", 3490, true),
        p("ACC-GAI-M", "Gaiters M", 4490, false),
        p("ACC-HAT-SUN", "Sun hat", 2990, false),
        p("ACC-GLV-M", "Liner gloves M", 3490, false),
        p("ACC-SOCK-M", "Merino hiking socks M", 1990, false),
        p("ACC-KNF-FLD", "Folding knife", 3990, false),
        p("ACC-CMP-BAS", "Baseplate compass", 2990, false),
        p("ACC-FAK-S", "First-aid kit, small", 2490, false),
        p("ACC-DRY-10L", "Dry bag 10 L", 1990, false),
    ]
}

/// The price of a product in an order's currency, in cents. GBP and USD prices
/// come from the price list as whole units minus one cent (216.99), like a shop.
pub fn price_in(product: &Product, currency: &str) -> i64 {
    let factor_per_mille = match currency {
        "GBP" => 870,
        "USD" => 1080,
        _ => return product.price_cents,
    };
    let whole = (product.price_cents * factor_per_mille / 1000 + 50) / 100;
    whole.max(1) * 100 - 1
}

#[derive(Debug, Clone)]
pub struct Customer {
    pub id: String,
    pub email: String,
    pub currency: &'static str,
}

const FIRST: [&str; 24] = [
    "anna", "lukas", "sofia", "jonas", "emma", "felix", "mia", "paul", "lena", "noah", "clara",
    "elias", "oliver", "amelia", "harry", "isla", "jack", "grace", "ethan", "chloe", "liam", "ava",
    "mason", "zoe",
];

const LAST: [&str; 24] = [
    "fischer", "weber", "schmidt", "keller", "wagner", "becker", "hoffmann", "schulz", "koch",
    "richter", "klein", "wolf", "smith", "jones", "taylor", "brown", "evans", "walker", "miller",
    "davis", "garcia", "moore", "martin", "lee",
];

const DOMAINS: [&str; 3] = ["example.com", "example.org", "example.net"];

/// Seventy customers; about one in ten pays in GBP and one in sixteen in USD.
pub fn customers(rng: &mut Rng) -> Vec<Customer> {
    let mut out = Vec::new();
    let mut taken = std::collections::BTreeSet::new();
    let mut n = 1001;
    while out.len() < 70 {
        let first = rng.pick(&FIRST).copied().unwrap_or("anna");
        let last = rng.pick(&LAST).copied().unwrap_or("fischer");
        let domain = rng.pick(&DOMAINS).copied().unwrap_or("example.com");
        let local = if rng.chance(0.3) {
            format!("{}.{last}", &first[..1])
        } else {
            format!("{first}.{last}")
        };
        if !taken.insert(local.clone()) {
            continue;
        }
        let roll = rng.unit();
        let currency = if roll < 0.10 {
            "GBP"
        } else if roll < 0.16 {
            "USD"
        } else {
            "EUR"
        };
        out.push(Customer {
            id: format!("C-{n}"),
            email: format!("{local}@{domain}"),
            currency,
        });
        n += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixty_unique_skus() {
        let list = products();
        assert_eq!(list.len(), 60);
        let unique: std::collections::BTreeSet<_> = list.iter().map(|p| p.sku).collect();
        assert_eq!(unique.len(), 60);
        assert_eq!(list.iter().filter(|p| p.overflow).count(), 12);
    }

    #[test]
    fn foreign_prices_end_in_99() {
        let tent = p("TNT-2P-GRN", "", 24900, false);
        assert_eq!(price_in(&tent, "EUR"), 24900);
        assert_eq!(price_in(&tent, "GBP"), 21699);
        assert_eq!(price_in(&tent, "USD"), 26899);
        assert_eq!(tent.cost_cents(), 12200);
    }

    #[test]
    fn customers_have_unique_ids_and_emails() {
        let list = customers(&mut Rng::new(1));
        assert_eq!(list.len(), 70);
        let emails: std::collections::BTreeSet<_> = list.iter().map(|c| &c.email).collect();
        assert_eq!(emails.len(), 70);
        assert_eq!(list[0].id, "C-1001");
    }
}
