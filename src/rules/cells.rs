//! Cell rules: a required value missing, a value that is not of its field's
//! type, a value outside its field's domain, an Excel error. They are found while
//! cells are read into the canonical tables (a row loop is the reading itself);
//! these rules hand those findings over, one per cell.

use polars::prelude::PolarsResult;

use crate::findings::{Category, Finding, Severity};

use super::{Context, Rule, RuleDoc};

pub(super) fn from_cells(ctx: &Context<'_>, rule: &str) -> PolarsResult<Vec<Finding>> {
    Ok(ctx
        .data
        .cell_findings
        .iter()
        .filter(|f| f.rule == rule)
        .cloned()
        .collect())
}

pub const MISSING_REQUIRED: Rule = Rule {
    id: "cells.missing_required",
    category: Category::MissingRequired,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A required field is empty in a row that holds a record.",
        why: "A record without its order id, SKU, quantity or date cannot be imported into the OMS or matched to anything else; it stays a side note in a spreadsheet.",
        example: "Orders Tracker.xlsx › Orders!J57 is empty: the line has a quantity and a price but no SKU.",
        fix: "Fill the value in the source file, or delete the row if it is not a record.",
    },
    check: |ctx| from_cells(ctx, "cells.missing_required"),
};

pub const INVALID_TYPE: Rule = Rule {
    id: "cells.invalid_type",
    category: Category::InvalidType,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A value that does not parse as its field's type (a date, a number, a whole number, a yes/no).",
        why: "\"31/02/2025\", \"n/a\" as a date or \"ten\" as a quantity cannot be imported; the OMS would reject the row or, worse, guess.",
        example: "Orders Tracker.xlsx › Orders!L88 holds \"ten\" where a quantity is expected.",
        fix: "Type the value in the field's format (the message says which); a column read the wrong way round (day-first vs month-first) is set in offsheet.toml.",
    },
    check: |ctx| from_cells(ctx, "cells.invalid_type"),
};

pub const INVALID_VALUE: Rule = Rule {
    id: "cells.invalid_value",
    category: Category::InvalidValue,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A value that parses but lies outside its field's domain: a negative quantity or price, an unknown order status, a malformed email, a currency that is not ISO 4217.",
        why: "The OMS accepts only known statuses, real currencies and positive quantities; these rows would be rejected at import or corrupt totals.",
        example: "Orders Tracker.xlsx › Orders!G41 has status \"Shipped??\", which is no known order status.",
        fix: "Correct the value; add a status spelling to the synonym table in offsheet.toml if it is a real status under another name.",
    },
    check: |ctx| from_cells(ctx, "cells.invalid_value"),
};

pub const FORMULA_ERROR: Rule = Rule {
    id: "cells.formula_error",
    category: Category::FormulaError,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A cell of a mapped column holds an Excel error value (#REF!, #N/A, #DIV/0!, #VALUE!, ...).",
        why: "The value was lost: a formula points at deleted cells or divides by zero, and every total that uses it is wrong too.",
        example: "Orders Tracker.xlsx › Orders!O73 shows #REF!: its formula referred to a deleted column.",
        fix: "Repair the formula or type the value; then check the totals that depend on the cell.",
    },
    check: |ctx| from_cells(ctx, "cells.formula_error"),
};

pub const ROWS_DISAGREE: Rule = Rule {
    id: "orders.rows_disagree",
    category: Category::DuplicateKey,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "An order spread over several rows (one per line) whose order-level fields disagree between its rows.",
        why: "When an order's date, status or customer differs from one line to the next, nobody can tell which is true; the OMS holds one value per order.",
        example: "Orders Tracker.xlsx › Orders!G12 says \"shipped\" while the order's first row (G10) says \"packed\".",
        fix: "Make the order-level fields equal on every row of the order, or leave them only on its first row.",
    },
    check: |ctx| from_cells(ctx, "orders.rows_disagree"),
};
