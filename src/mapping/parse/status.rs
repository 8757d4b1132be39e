//! Order status cells mapped onto the canonical status enum through a synonym table, in
//! the words ops teams and shop systems use (English, German, French, Spanish).

use super::fold;

/// The canonical order status, in lifecycle order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    pub const ALL: [Status; 8] = [
        Status::Placed,
        Status::Paid,
        Status::Picked,
        Status::Packed,
        Status::Shipped,
        Status::Delivered,
        Status::Cancelled,
        Status::Returned,
    ];

    /// The canonical name used in output and offsheet.toml.
    pub fn name(self) -> &'static str {
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

    /// Open orders still need work: placed, paid, picked, packed.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Placed | Status::Paid | Status::Picked | Status::Packed
        )
    }
}

/// Synonyms per status, space-separated keys: folded (lower case, no accents) with
/// everything but letters and digits removed, so "In transit", "in-transit" and
/// "IN_TRANSIT" are one key.
const SYNONYMS: [(Status, &str); 8] = [
    (
        Status::Placed,
        "placed open new pending received awaitingpayment pendingpayment ordered created \
         submitted offen neu bestellt eingegangen nouveau nouvelle enattente commande nuevo \
         pendiente abierto",
    ),
    (
        Status::Paid,
        "paid paymentreceived payed processing awaitingfulfillment awaitingfulfilment bezahlt \
         paye payee pagado pagada",
    ),
    (
        Status::Picked,
        "picked picking inpicking kommissioniert kommissionierung gepickt enpreparation \
         preparation prepare preparee enpreparacion preparado",
    ),
    (
        Status::Packed,
        "packed packing readytoship readyforshipment awaitingshipment verpackt versandbereit \
         emballe emballee empaquetado embalado",
    ),
    (
        Status::Shipped,
        "shipped dispatched sent intransit fulfilled outfordelivery versandt versendet \
         verschickt expedie expediee envoye enviado enviada despachado",
    ),
    (
        Status::Delivered,
        "delivered completed complete closed done zugestellt geliefert abgeschlossen livre \
         livree termine terminee entregado entregada completado",
    ),
    (
        Status::Cancelled,
        "cancelled canceled void voided storniert annule annulee cancelado cancelada anulado",
    ),
    (
        Status::Returned,
        "returned refunded rma retourniert zuruckgesendet erstattet retourne retournee \
         rembourse devuelto reembolsado",
    ),
];

/// Maps a status cell onto the canonical enum; case-, space-, punctuation- and
/// accent-insensitive. Decisions: "Received" and "Open" are placed (an order received,
/// not goods); "Processing" is paid (WooCommerce and Magento: paid, awaiting fulfilment);
/// "Closed" and "Done" are delivered (finished normally); "Awaiting shipment" is packed.
pub fn parse_status(s: &str) -> Result<Status, String> {
    // A question mark is doubt, not punctuation: "Shipped??" is not a status.
    if s.contains('?') {
        return Err("unknown order status".to_string());
    }
    let key: String = fold(s.trim())
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    if key.is_empty() {
        return Err("empty".to_string());
    }
    SYNONYMS
        .iter()
        .find(|(_, words)| words.split_whitespace().any(|w| w == key))
        .map(|(status, _)| *status)
        .ok_or_else(|| "unknown order status".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_mark_is_doubt_not_a_status() {
        assert!(parse_status("Shipped??").is_err());
        assert!(parse_status("shipped?").is_err());
        assert_eq!(parse_status("Shipped!"), Ok(Status::Shipped));
    }

    #[test]
    fn names_and_openness() {
        let names: Vec<_> = Status::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(
            names,
            [
                "placed",
                "paid",
                "picked",
                "packed",
                "shipped",
                "delivered",
                "cancelled",
                "returned"
            ]
        );
        let open: Vec<_> = Status::ALL.into_iter().filter(|s| s.is_open()).collect();
        assert_eq!(
            open,
            [Status::Placed, Status::Paid, Status::Picked, Status::Packed]
        );
    }

    #[test]
    fn canonical_names_parse_to_themselves() {
        for status in Status::ALL {
            assert_eq!(parse_status(status.name()), Ok(status));
            assert_eq!(parse_status(&status.name().to_uppercase()), Ok(status));
        }
    }

    #[test]
    fn synonyms_from_the_brief() {
        let table = "shipped: Dispatched | Sent | In transit | IN_TRANSIT | in-transit | Fulfilled
            shipped: Versandt | Expédié | EXPEDIE | Enviado |   shipped.  | Out for delivery
            placed: Open | New | Pending | Received | Awaiting payment | Neu | Pendiente
            paid: Processing | Paid | Payment received | Bezahlt | Payé | Pagado
            picked: Picking | Picked | En préparation
            packed: Packed | Ready to ship | Awaiting shipment | Verpackt
            delivered: Delivered | Completed | Complete | Closed | Zugestellt | Livré | Entregado
            cancelled: Cancelled | Canceled | Void | Storniert | Annulé | Cancelado
            returned: Returned | Refunded | RMA | Retourniert | Remboursé | Devuelto";
        for line in table.lines() {
            let (name, inputs) = line.trim().split_once(": ").unwrap();
            let status = Status::ALL.into_iter().find(|s| s.name() == name).unwrap();
            for input in inputs.split(" | ") {
                assert_eq!(parse_status(input), Ok(status), "{input:?}");
            }
        }
    }

    #[test]
    fn unknown_and_empty() {
        assert_eq!(
            parse_status("lost in space"),
            Err("unknown order status".to_string())
        );
        assert_eq!(parse_status("42"), Err("unknown order status".to_string()));
        assert_eq!(parse_status(""), Err("empty".to_string()));
        assert_eq!(parse_status(" - "), Err("empty".to_string()));
    }

    #[test]
    fn no_synonym_is_listed_twice() {
        let mut all: Vec<&str> = SYNONYMS
            .iter()
            .flat_map(|(_, w)| w.split_whitespace())
            .collect();
        let total = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), total);
    }
}
