//! The header vocabulary auto-mapping knows: for each canonical field, the words
//! spreadsheets and exports use for it (English, German, French, Spanish, a little
//! Italian and Dutch, abbreviations, Shopify, WooCommerce, Odoo, NetSuite, Superstore,
//! Northwind and UCI export names), each with how sure a match on it is.
//!
//! Words are written naturally ("Zähldatum", "N° de commande"); `headers` normalises
//! them the same way it normalises a header before comparing, and expands the
//! abbreviations in `ABBREVIATIONS` on both sides, so "qty" and "quantity" or
//! "order no" and "order number" need not both be listed.

use crate::model::Entity;

/// Words that name one canonical field.
pub(crate) struct Synonym {
    pub field: &'static str,
    /// The entities this applies to; empty = every entity that has the field.
    pub only: &'static [Entity],
    /// How sure a header equal to one of `words` is to mean the field.
    pub confidence: f32,
    pub words: &'static [&'static str],
}

const fn s(
    field: &'static str,
    only: &'static [Entity],
    confidence: f32,
    words: &'static [&'static str],
) -> Synonym {
    Synonym {
        field,
        only,
        confidence,
        words,
    }
}

const ANY: &[Entity] = &[];
const ORD: &[Entity] = &[Entity::Orders];
const ORD_LINES: &[Entity] = &[Entity::Orders, Entity::OrderLines];
const LINES: &[Entity] = &[Entity::OrderLines];
const INV: &[Entity] = &[Entity::Inventory];
const CNT: &[Entity] = &[Entity::StockCounts];
const SHP: &[Entity] = &[Entity::Shipments];
const BIL: &[Entity] = &[Entity::Invoices];

/// Single words replaced before comparing (after normalisation). Number words all
/// become "no", so "Order #", "Order No.", "Order Number" and "Nº pedido" line up.
#[rustfmt::skip]
pub(crate) const ABBREVIATIONS: &[(&str, &str)] = &[
    ("qty", "quantity"), ("qnty", "quantity"), ("cust", "customer"), ("ord", "order"),
    ("amt", "amount"), ("inv", "invoice"), ("desc", "description"), ("descr", "description"),
    ("prod", "product"), ("dt", "date"), ("ttl", "total"), ("ext", "extended"),
    ("trk", "tracking"), ("whse", "warehouse"), ("wh", "warehouse"), ("loc", "location"),
    ("curr", "currency"), ("ccy", "currency"), ("cur", "currency"), ("pmt", "payment"),
    ("pymt", "payment"), ("avail", "available"), ("alloc", "allocated"), ("upd", "updated"),
    ("cnt", "count"), ("ln", "line"), ("lineitem", "line item"), ("so", "sales order"),
    ("number", "no"), ("num", "no"), ("nbr", "no"), ("nr", "no"), ("nro", "no"),
    ("numero", "no"), ("nummer", "no"),
];

/// Prefixes that mark a line-level column in exports that flatten lines into order
/// rows ("Lineitem quantity", "Order Lines/Product", "Item Price"); a header that
/// matches nothing is retried without them, for order_lines only.
pub(crate) const LINE_PREFIXES: &[&str] = &[
    "line item ",
    "line items ",
    "order lines ",
    "order line ",
    "lines ",
    "line ",
    "items ",
    "item ",
];

/// Bracketed notes that qualify a value without naming it: "Total (incl. VAT)".
#[rustfmt::skip]
pub(crate) const UNIT_NOTES: &[&str] = &[
    "incl vat", "incl. vat", "excl vat", "excl. vat", "ex vat", "inc vat", "incl tax",
    "excl tax", "optional", "required", "local currency", "per unit", "each",
];

// One entry per (field, scope, confidence), words wrapped by hand: rustfmt would give
// every word its own line.
#[rustfmt::skip]
pub(crate) const SYNONYMS: &[Synonym] = &[
    // ---- order_id (orders, order_lines, shipments, invoices)
    s("order_id", ANY, 0.9, &[
        "order", "order no", "order ref", "order reference", "order code", "order name",
        "sales order", "sales order no", "sales order id", "order key", "bestellnummer",
        "bestell no", "bestellnr", "auftragsnummer", "auftrags no", "auftrag no", "auftragsnr",
        "bestellung no", "bestelnummer", "ordernummer", "N° de commande", "no commande",
        "id commande", "ref commande", "reference commande", "commande", "no de pedido",
        "no pedido", "id pedido", "pedido", "no de orden", "no ordine", "ordine",
    ]),
    s("order_id", ANY, 0.75, &["auftrag", "bestellung"]),
    s("order_id", ORD_LINES, 0.65, &["invoice no", "invoice", "document no", "transaction id"]),
    s("order_id", ORD_LINES, 0.6, &["name"]),
    s("order_id", ANY, 0.45, &["id", "no", "ref", "reference"]),
    // ---- orders
    s("order_date", ORD, 0.9, &[
        "order date", "date ordered", "ordered on", "ordered at", "order placed", "placed on",
        "placed at", "date placed", "purchase date", "order created", "date of order",
        "sale date", "sales date", "transaction date", "bestelldatum", "auftragsdatum",
        "bestellt am", "date de commande", "date commande", "commande le", "fecha de pedido",
        "fecha pedido", "fecha del pedido", "fecha de orden", "data ordine", "besteldatum",
    ]),
    s("order_date", ORD, 0.75, &["created at", "created on", "creation date", "date created"]),
    s("order_date", ORD, 0.7, &["created", "ordered"]),
    s("order_date", ORD, 0.65, &["invoice date"]),
    s("order_date", ORD, 0.55, &["date", "datum", "fecha", "day"]),
    s("customer_id", ORD, 0.9, &[
        "customer no", "customer code", "customer ref", "client id", "client no", "client code",
        "account no", "account id", "buyer id", "customer account", "kundennummer", "kunden no",
        "kundennr", "kunden id", "no client", "code client", "id client", "no de cliente",
        "id cliente", "codigo cliente", "codigo de cliente",
    ]),
    s("customer_id", ORD, 0.85, &[
        "customer", "client", "kunde", "cliente", "buyer", "account", "sold to", "bill to",
    ]),
    s("customer_id", ORD, 0.7, &[
        "customer name", "client name", "buyer name", "billing name", "company", "kundenname",
        "nom client", "nom du client", "nombre cliente", "nombre del cliente",
    ]),
    s("customer_email", ORD, 0.9, &[
        "email", "e mail", "email address", "e mail address", "mail", "customer mail",
        "customer email address", "buyer email", "contact email", "billing email",
        "email adresse", "e mail adresse", "courriel", "adresse email", "adresse e mail",
        "correo", "correo electronico", "email del cliente",
    ]),
    s("channel", ORD, 0.9, &[
        "sales channel", "order channel", "order source", "source name", "marketplace",
        "platform", "storefront", "vertriebskanal", "verkaufskanal", "kanal", "canal",
        "canal de vente", "canal de venta", "canale",
    ]),
    s("channel", ORD, 0.7, &["source", "store", "shop"]),
    s("currency", ANY, 0.9, &[
        "currency code", "iso currency", "waehrung", "Währung", "devise", "moneda", "divisa",
        "valuta",
    ]),
    s("status", ORD, 0.9, &[
        "order status", "order state", "stage", "statut", "etat", "estado", "stato",
        "bestellstatus", "auftragsstatus", "statut de commande", "statut commande",
        "estado del pedido", "estado pedido",
    ]),
    s("status", ORD, 0.8, &["fulfillment status", "fulfilment status"]),
    s("status", ORD, 0.7, &["financial status"]),
    s("status", ORD, 0.6, &["progress"]),
    s("owner", ORD, 0.9, &[
        "assigned to", "assignee", "assigned", "handled by", "handler", "responsible",
        "responsible person", "sales rep", "rep", "salesperson", "sales person", "agent",
        "account manager", "owner name", "processed by", "order owner", "zuständig",
        "zustaendig", "bearbeiter", "sachbearbeiter", "verantwortlich", "responsable",
        "encargado", "asignado a", "assigne a", "gestionnaire",
    ]),
    s("owner", ORD, 0.6, &["employee", "employee id", "who"]),
    s("updated_at", ORD, 0.9, &[
        "last updated", "updated", "updated on", "last update", "modified", "last modified",
        "modified at", "modified on", "date modified", "last change", "last changed", "changed",
        "changed at", "changed on", "last edited", "edited", "letzte Änderung",
        "letzte aenderung", "geändert", "geaendert", "geändert am", "aktualisiert",
        "zuletzt geändert", "dernière mise à jour", "mis à jour", "modifié le",
        "date de modification", "última actualización", "actualizado", "modificado",
        "fecha de modificacion",
    ]),
    s("total", ORD, 0.9, &[
        "order total", "grand total", "total amount", "order amount", "order value",
        "total value", "gross total", "total incl vat", "total ttc", "gesamtbetrag",
        "gesamtsumme", "gesamt", "bestellwert", "auftragswert", "montant total",
        "total commande", "importe total", "total pedido", "amount total",
    ]),
    s("total", ORD, 0.8, &["total price"]),
    s("total", ORD, 0.7, &["summe", "total due"]),
    s("total", ORD, 0.6, &["sum"]),
    s("total", ORD, 0.55, &["amount", "betrag", "montant", "importe"]),
    s("tax", ORD, 0.9, &[
        "taxes", "vat", "mwst", "ust", "mehrwertsteuer", "umsatzsteuer", "steuer", "tva",
        "taxe", "iva", "impuesto", "impuestos", "tax amount", "sales tax", "gst", "vat amount",
        "total tax", "tax total",
    ]),
    s("shipping", ORD, 0.9, &[
        "freight", "shipping cost", "shipping costs", "shipping fee", "shipping amount",
        "shipping charge", "shipping price", "shipping total", "delivery cost", "delivery fee",
        "delivery charge", "postage", "carriage", "versandkosten", "fracht", "frachtkosten",
        "porto", "frais de port", "frais de livraison", "frais d envoi", "gastos de envio",
        "costo de envio", "coste de envio", "spese di spedizione",
    ]),
    s("shipping", ORD, 0.7, &["versand"]),
    s("shipping", ORD, 0.6, &["envio"]),
    s("ship_country", ORD, 0.9, &[
        "shipping country", "ship to country", "destination country", "delivery country",
        "shipping country code", "lieferland", "pays de livraison", "pais de envio",
        "pais de destino",
    ]),
    s("ship_country", ORD, 0.8, &[
        "country", "country code", "land", "pays", "pais", "paese", "destination",
    ]),
    s("notes", ORD, 0.9, &[
        "note", "comments", "comment", "remarks", "remark", "memo", "notiz", "notizen",
        "bemerkung", "bemerkungen", "kommentar", "kommentare", "anmerkung", "anmerkungen",
        "hinweis", "remarques", "remarque", "commentaire", "commentaires", "observations",
        "notas", "nota", "comentarios", "comentario", "observaciones", "internal notes",
        "order notes",
    ]),
    s("notes", ORD, 0.6, &["instructions"]),
    // ---- WooCommerce export names
    s("notes", ORD, 0.9, &["customer note", "customer notes", "order note"]),
    s("customer_email", ORD, 0.9, &["billing email address", "billing e mail"]),
    s("total", ORD, 0.9, &["order total amount"]),
    s("shipping", ORD, 0.9, &["order shipping amount", "order shipping"]),
    s("tax", ORD, 0.9, &["order total tax amount", "order tax amount", "order tax"]),
    s("channel", ORD, 0.7, &["created via"]),
    s("customer_id", ORD, 0.8, &["customer reference"]),
    s("ship_country", ORD, 0.6, &["billing country"]),
    s("quantity", LINES, 0.8, &["quantity refund"]),
    s("unit_price", LINES, 0.7, &["item cost"]),
    // ---- order_lines
    s("line_no", LINES, 0.85, &[
        "line", "line no", "line id", "position", "pos", "pos no", "line seq", "sequence",
        "seq", "zeile", "zeilennummer", "zeilen no", "positionsnummer", "ligne", "no ligne",
        "no de ligne", "linea", "no de linea",
    ]),
    s("sku", ANY, 0.9, &[
        "sku", "item sku", "product sku", "variant sku", "sku code", "stock code", "stock no",
        "item code", "item no", "item id", "product id", "product code", "product no",
        "part no", "article no", "article code", "artikelnummer", "artikel no", "art no",
        "artnr", "materialnummer", "material no", "produktnummer", "produkt id",
        "référence article", "ref article", "code article", "code produit", "ref produit",
        "referencia", "codigo", "codigo de producto", "codigo articulo", "cod articulo",
        "codice articolo", "lineitem sku", "merchant sku", "seller sku",
    ]),
    s("sku", ANY, 0.6, &["item", "product", "article", "artikel", "material", "part", "model no"]),
    s("sku", ANY, 0.5, &["ean", "upc", "barcode", "gtin", "référence"]),
    s("description", LINES, 0.9, &[
        "product name", "item name", "item description", "product description", "title",
        "product title", "lineitem name", "article name", "line description", "bezeichnung",
        "artikelbezeichnung", "beschreibung", "produktname", "artikelname",
        "produktbezeichnung", "désignation", "libellé", "description produit", "nom du produit",
        "nom produit", "descripción", "nombre del producto", "nombre producto", "descrizione",
    ]),
    s("description", LINES, 0.55, &[
        "product", "item", "article", "artikel", "producto", "produit",
    ]),
    s("description", LINES, 0.4, &["name"]),
    s("quantity", LINES, 0.9, &[
        "quantity ordered", "ordered quantity", "order quantity", "units", "pcs", "pieces",
        "units sold", "quantity sold", "no of items", "item count", "lineitem quantity",
        "menge", "anzahl", "stück", "stueck", "stückzahl", "bestellmenge", "auftragsmenge",
        "quantité", "qte", "quantité commandée", "cantidad", "cant", "unidades", "quantità",
        "aantal",
    ]),
    s("quantity", LINES, 0.7, &["ordered"]),
    s("on_hand", INV, 0.5, &["quantity", "menge", "anzahl", "quantité", "cantidad", "units"]),
    s("counted_qty", CNT, 0.5, &["quantity", "menge", "anzahl", "quantité", "cantidad"]),
    s("unit_price", LINES, 0.9, &[
        "price", "price each", "each", "price per unit", "sale price", "sales price",
        "selling price", "item price", "lineitem price", "price unit", "unit amount",
        "unitprice", "preis", "einzelpreis", "stückpreis", "stueckpreis", "e preis", "vk preis",
        "verkaufspreis", "preis pro stück", "prix", "prix unitaire", "pu", "prix unit",
        "prix de vente", "precio", "precio unitario", "precio unit", "prezzo",
        "prezzo unitario",
    ]),
    s("unit_price", LINES, 0.8, &["net price"]),
    s("unit_price", LINES, 0.7, &["list price"]),
    s("unit_price", LINES, 0.65, &["rate"]),
    s("unit_price", LINES, 0.6, &["unit cost"]),
    s("discount", LINES, 0.9, &[
        "disc", "discount amount", "discount value", "line discount", "lineitem discount",
        "rabatt", "nachlass", "remise", "réduction", "descuento", "sconto",
    ]),
    s("discount", LINES, 0.6, &["skonto", "markdown"]),
    s("line_total", LINES, 0.9, &[
        "ext price", "extended price", "extended amount", "extended", "line amount",
        "line value", "row total", "position total", "line subtotal", "lineitem total",
        "total line", "gesamtpreis", "positionsbetrag", "positionssumme", "zeilensumme",
        "montant ligne", "total ligne", "importe linea", "total linea",
    ]),
    s("line_total", LINES, 0.8, &["price total"]),
    s("line_total", LINES, 0.6, &["net amount", "subtotal", "sales", "revenue", "total price"]),
    s("line_total", LINES, 0.5, &["amount", "betrag", "importe", "montant"]),
    s("line_total", LINES, 0.45, &["total"]),
    // ---- inventory and stock counts
    s("location", ANY, 0.9, &[
        "bin", "bin location", "bin code", "storage location", "stock location",
        "location code", "shelf", "slot", "lagerort", "lagerplatz", "standort", "emplacement",
        "ubicación",
    ]),
    s("location", ANY, 0.75, &["warehouse", "lager", "entrepôt", "almacén", "magazzino"]),
    s("location", ANY, 0.7, &["aisle", "site", "depot"]),
    s("location", ANY, 0.6, &["zone", "platz"]),
    s("on_hand", INV, 0.9, &[
        "quantity on hand", "on hand quantity", "onhand", "onhand quantity", "qoh", "soh",
        "stock on hand", "stock", "stock level", "stock quantity", "units in stock",
        "inventory", "inventory quantity", "inventory level", "current stock", "physical stock",
        "system quantity", "book quantity", "quantity in stock", "lagerbestand", "bestand",
        "bestandsmenge", "stock actuel", "quantité en stock", "existencias",
        "cantidad en stock", "inventario", "giacenza", "voorraad",
    ]),
    s("on_hand", INV, 0.7, &["stock disponible"]),
    s("on_hand", INV, 0.6, &[
        "available", "quantity available", "available quantity", "verfügbar", "disponible",
    ]),
    s("allocated", INV, 0.9, &[
        "reserved", "committed", "quantity allocated", "quantity reserved",
        "quantity committed", "allocated quantity", "reserved quantity", "committed quantity",
        "reserviert", "zugewiesen", "zugeteilt", "réservé", "alloué", "reservado",
        "comprometido",
    ]),
    s("allocated", INV, 0.6, &["asignado"]),
    s("as_of", INV, 0.9, &[
        "as of date", "as at", "snapshot date", "stock date", "report date", "stichtag",
        "stand", "date du stock",
    ]),
    s("as_of", INV, 0.6, &["inventory date"]),
    s("as_of", INV, 0.5, &["date", "datum", "fecha", "last updated", "updated"]),
    s("counted_at", CNT, 0.9, &[
        "count date", "counted on", "date counted", "counting date", "stocktake date",
        "stock take date", "cycle count date", "physical count date", "date of count",
        "Zähldatum", "zaehldatum", "inventurdatum", "gezählt am", "date de comptage",
        "date comptage", "date d inventaire", "fecha de conteo", "fecha conteo",
        "fecha de recuento",
    ]),
    s("counted_at", CNT, 0.7, &["inventory date"]),
    s("counted_at", CNT, 0.55, &["date", "datum", "fecha"]),
    s("counted_qty", CNT, 0.9, &[
        "counted", "counted quantity", "quantity counted", "count quantity", "physical count",
        "physical quantity", "actual quantity", "actual count", "stocktake quantity",
        "cycle count quantity", "gezählt", "gezaehlt", "Zählmenge", "zaehlmenge",
        "gezählte menge", "ist menge", "istmenge", "istbestand", "ist bestand", "inventurmenge",
        "quantité comptée", "qte comptee", "compté", "comptage", "cantidad contada", "conteo",
        "contado", "recuento",
    ]),
    s("counted_qty", CNT, 0.8, &["count", "stocktake", "cycle count", "stock count"]),
    s("counter", CNT, 0.9, &[
        "counted by", "counter name", "checker", "checked by", "count by", "Zähler", "zaehler",
        "gezählt von", "gezaehlt von", "prüfer", "compté par", "compteur", "contado por",
        "contador",
    ]),
    s("counter", CNT, 0.7, &["auditor"]),
    s("counter", CNT, 0.6, &["initials"]),
    s("counter", CNT, 0.5, &["staff", "user", "by"]),
    // ---- shipments
    s("shipment_id", SHP, 0.9, &[
        "shipment", "shipment no", "shipment ref", "delivery no", "delivery id",
        "delivery note", "dispatch no", "despatch no", "dispatch id", "consignment",
        "consignment no", "package id", "parcel id", "fulfillment id", "fulfilment id",
        "lieferschein", "lieferscheinnummer", "lieferschein no", "no d expedition",
        "bon de livraison", "no de envio", "id envio", "albaran", "no de albaran",
    ]),
    s("shipped_at", SHP, 0.9, &[
        "ship date", "shipped", "shipped on", "shipped date", "shipping date", "date shipped",
        "dispatch date", "dispatched", "dispatched on", "dispatched at", "despatch date",
        "despatched", "despatched on", "fulfilled at", "fulfilled on", "fulfillment date",
        "fulfilment date", "sent", "sent on", "date sent", "send date", "versanddatum",
        "versendet", "versendet am", "versandt am", "verschickt am", "ausgeliefert am",
        "date d expédition", "date expedition", "expédié le", "date d envoi", "date envoi",
        "envoyé le", "fecha de envío", "fecha envio", "enviado", "fecha de despacho",
        "data spedizione",
    ]),
    s("shipped_at", SHP, 0.6, &["delivery date", "lieferdatum"]),
    s("shipped_at", SHP, 0.55, &["date", "datum", "fecha"]),
    s("carrier", SHP, 0.9, &[
        "courier", "shipper", "ship via", "shipping carrier", "shipping company",
        "shipping provider", "carrier name", "tracking company", "delivery service",
        "logistics provider", "freight carrier", "forwarder", "spediteur",
        "versanddienstleister", "paketdienst", "versanddienst", "frachtführer", "logistiker",
        "transporteur", "transportista", "mensajería", "paquetería", "corriere", "vettore",
    ]),
    s("carrier", SHP, 0.6, &["shipping method", "ship method", "versandart", "delivery method"]),
    s("tracking_no", SHP, 0.9, &[
        "tracking", "tracking id", "tracking code", "tracking ref", "tracking reference",
        "tracking numbers", "awb", "awb no", "air waybill", "airway bill", "waybill",
        "waybill no", "consignment note", "parcel no", "package no", "sendungsnummer",
        "sendungsverfolgung", "trackingnummer", "tracking nummer", "paketnummer", "no de suivi",
        "suivi", "no de seguimiento", "seguimiento", "no de guía", "guía",
        "codice di tracciamento",
    ]),
    s("warehouse", SHP, 0.9, &[
        "ship from", "shipped from", "fulfillment center", "fulfilment centre",
        "fulfillment location", "dc", "distribution center", "distribution centre", "lager",
        "versandlager", "entrepôt", "almacén", "magazzino", "depot",
    ]),
    s("warehouse", SHP, 0.5, &["location", "site"]),
    // ---- invoices
    s("invoice_id", BIL, 0.95, &[
        "invoice no", "invoice", "invoice ref", "invoice reference", "bill no", "rechnung",
        "rechnungsnummer", "rechnungs no", "rechnung no", "rechnungsnr", "re no", "facture",
        "no facture", "no de facture", "factura", "no de factura", "no factura", "fattura",
        "no fattura", "factuurnummer",
    ]),
    s("invoice_id", BIL, 0.5, &["document no", "doc no"]),
    s("invoice_id", BIL, 0.4, &["id", "no", "ref", "reference"]),
    s("invoiced_at", BIL, 0.9, &[
        "invoice date", "invoiced", "invoiced on", "date invoiced", "billing date", "bill date",
        "billed on", "billed", "date of invoice", "issue date", "issued on", "issued",
        "rechnungsdatum", "fakturadatum", "faktura datum", "date de facture", "date facture",
        "date de facturation", "date facturation", "fecha de factura", "fecha factura",
        "fecha de facturación", "data fattura",
    ]),
    s("invoiced_at", BIL, 0.55, &["date", "datum", "fecha"]),
    s("amount", BIL, 0.9, &[
        "amount due", "invoice amount", "invoice total", "invoice value", "total due",
        "amount invoiced", "billed amount", "amount billed", "rechnungsbetrag", "betrag",
        "rechnungssumme", "montant", "montant facture", "montant dû", "montant ttc", "importe",
        "importe factura", "total factura", "importo", "invoice sum",
    ]),
    s("amount", BIL, 0.8, &["gross amount"]),
    s("amount", BIL, 0.7, &["balance due"]),
    s("amount", BIL, 0.6, &["total", "grand total", "value", "sum", "summe", "gesamtbetrag"]),
    s("paid_at", BIL, 0.9, &[
        "paid on", "payment date", "date paid", "paid date", "payment received",
        "payment received on", "settled on", "settlement date", "bezahlt am", "zahlungsdatum",
        "zahlungseingang", "date de paiement", "payé le", "réglé le", "date de règlement",
        "fecha de pago", "pagado el", "fecha pago", "data pagamento",
    ]),
    s("paid_at", BIL, 0.6, &["received on"]),
    s("paid", BIL, 0.9, &[
        "is paid", "paid flag", "bezahlt", "payé", "pagado", "settled", "pagato", "betaald",
    ]),
    s("paid", BIL, 0.7, &["payment status"]),
    s("paid", BIL, 0.6, &["payment"]),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::headers::{Evidence, match_header, normalize_header};

    /// Every header the product must understand, with its best reading ("-": none).
    const EXAMPLES: &str = "
        Qty: order_lines.quantity | Ord Date: orders.order_date | Item SKU: order_lines.sku
        Cust. Email: orders.customer_email | Unit Price ($): order_lines.unit_price
        Lineitem quantity: order_lines.quantity | Lineitem price: order_lines.unit_price
        Lineitem sku: order_lines.sku | Name: orders.order_id | Created at: orders.order_date
        Financial Status: orders.status | Fulfillment Status: orders.status
        Paid at: invoices.paid_at | Artikelnummer: order_lines.sku | Menge: order_lines.quantity
        Quantité: order_lines.quantity | Bestellnummer: orders.order_id
        Lagerbestand: inventory.on_hand | Bestand: inventory.on_hand
        Lagerort: inventory.location | Zähldatum: stock_counts.counted_at
        Gezählt: stock_counts.counted_qty | Zählmenge: stock_counts.counted_qty
        N° de commande: orders.order_id | Fecha de pedido: orders.order_date
        Cantidad: order_lines.quantity | Precio unitario: order_lines.unit_price
        Tracking #: shipments.tracking_no | Tracking Number: shipments.tracking_no
        Carrier: shipments.carrier | Courier: shipments.carrier | Ship Date: shipments.shipped_at
        Shipped On: shipments.shipped_at | Invoice #: invoices.invoice_id
        Invoice No: invoices.invoice_id | Inv Date: invoices.invoiced_at
        Amount Due: invoices.amount | Paid?: invoices.paid | Paid On: invoices.paid_at
        Status: orders.status | Order Status: orders.status | Owner: orders.owner
        Assigned To: orders.owner | Handled by: orders.owner | Last Updated: orders.updated_at
        Modified: orders.updated_at | SKU: order_lines.sku | On Hand: inventory.on_hand
        Qty on hand: inventory.on_hand | Available: inventory.on_hand
        Allocated: inventory.allocated | Reserved: inventory.allocated
        Committed: inventory.allocated | Count: stock_counts.counted_qty
        Counted Qty: stock_counts.counted_qty | Counted By: stock_counts.counter
        Count Date: stock_counts.counted_at | Warehouse: shipments.warehouse
        Bin: inventory.location | Location: inventory.location | Line: order_lines.line_no
        Line #: order_lines.line_no | Line No: order_lines.line_no
        Line Total: order_lines.line_total | Ext. Price: order_lines.line_total
        Amount: invoices.amount | Discount: order_lines.discount | Tax: orders.tax
        VAT: orders.tax | MwSt: orders.tax | Shipping: orders.shipping | Freight: orders.shipping
        Total: orders.total | Order Total: orders.total | Grand Total: orders.total
        Currency: orders.currency | Channel: orders.channel | Sales Channel: orders.channel
        Country: orders.ship_country | Ship Country: orders.ship_country | Notes: orders.notes
        Comments: orders.notes | Remarks: orders.notes | Customer: orders.customer_id
        Customer ID: orders.customer_id | Email: orders.customer_email
        Description: order_lines.description | Product Name: order_lines.description
        Item: order_lines.sku | Order ID: orders.order_id | Order Date: orders.order_date
        Ship Mode: - | Sales: order_lines.line_total | Quantity: order_lines.quantity
        Product ID: order_lines.sku | orderID: orders.order_id | shipVia: shipments.carrier
        shippedDate: shipments.shipped_at | unitPrice: order_lines.unit_price
        unitsInStock: inventory.on_hand | productID: order_lines.sku | freight: orders.shipping
        shipCountry: orders.ship_country | InvoiceNo: invoices.invoice_id
        StockCode: order_lines.sku | InvoiceDate: invoices.invoiced_at
        UnitPrice: order_lines.unit_price | CustomerID: orders.customer_id
        Order Number: orders.order_id | Customer Note: orders.notes | Item Cost: order_lines.unit_price
        Order Total Amount: orders.total | Quantity (- Refund): order_lines.quantity
        Order Lines/Unit Price: order_lines.unit_price | Document Number: orders.order_id";

    #[test]
    fn example_headers_map_to_their_fields() {
        let cases = EXAMPLES.split(['|', '\n']).filter(|c| !c.trim().is_empty());
        let mut checked = 0;
        for case in cases {
            let (header, want) = case.trim().rsplit_once(": ").expect("header: reading");
            let found = match_header(header);
            let best = found.first().map(|m| format!("{}.{}", m.entity, m.field));
            assert_eq!(best.as_deref().unwrap_or("-"), want, "{header}: {found:?}");
            assert!(
                found.iter().all(|m| m.evidence != Evidence::Fuzzy),
                "{header}"
            );
            checked += 1;
        }
        assert_eq!(checked, 115);
    }

    #[test]
    fn every_synonym_names_a_field_in_scope() {
        for synonym in SYNONYMS {
            let scope: Vec<Entity> = if synonym.only.is_empty() {
                Entity::ALL.to_vec()
            } else {
                synonym.only.to_vec()
            };
            let holders = scope
                .iter()
                .filter(|e| e.field(synonym.field).is_some())
                .count();
            assert!(holders >= 1, "{} has no entity in scope", synonym.field);
            if !synonym.only.is_empty() {
                assert_eq!(holders, scope.len(), "{} outside its scope", synonym.field);
            }
            assert!((0.0..=1.0).contains(&synonym.confidence));
            for word in synonym.words {
                assert!(!normalize_header(word).is_empty(), "{word:?}");
            }
        }
    }

    #[test]
    fn no_word_means_two_fields_of_one_entity_equally() {
        for synonym in SYNONYMS {
            for word in synonym.words {
                let found = match_header(word);
                for (i, a) in found.iter().enumerate() {
                    for b in found.iter().skip(i + 1) {
                        let tie = a.entity == b.entity && a.confidence == b.confidence;
                        assert!(!tie, "{word:?}: {a:?} / {b:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn abbreviations_are_written_normalised() {
        for (short, long) in ABBREVIATIONS {
            assert_eq!(normalize_header(short), *short);
            assert_eq!(normalize_header(long), *long);
        }
    }
}
