//! Structure rules: a source whose columns do not hold what its table needs, or
//! no longer match the mapping recorded in offsheet.toml. Both are found while
//! the mapping is applied; these rules hand those findings over.

use crate::findings::{Category, Severity};

use super::cells::from_cells;
use super::{Rule, RuleDoc};

pub const UNMAPPED_REQUIRED: Rule = Rule {
    id: "source.unmapped_required",
    category: Category::MissingRequired,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "No column of a source maps to a required field of its table (one finding per source, at its header row).",
        why: "Every row of the source lacks the field, so none of it can be imported; one finding says so instead of one per row.",
        example: "shipping/Shipments Log.xlsx › Log!1: no column holds tracking_no (carrier and ship date are there).",
        fix: "Add the column to the sheet, or map an existing column to the field in offsheet.toml.",
    },
    check: |ctx| from_cells(ctx, "source.unmapped_required"),
};

pub const SCHEMA_DRIFT: Rule = Rule {
    id: "source.schema_drift",
    category: Category::SchemaDrift,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A source's columns no longer match the mapping recorded in offsheet.toml: a new unmapped column, a mapped column gone, a header renamed.",
        why: "Someone changed the sheet's layout; a renamed or moved column can silently feed the wrong field, and a new column often holds data nobody maps yet.",
        example: "shipping/Shipments Log.xlsx › Log!G1: new column \"Driver notes\" in G is not in offsheet.toml.",
        fix: "Update the source's `columns` in offsheet.toml (map the column, or mark it \"-\" to keep it as an extra field), or undo the change in the sheet.",
    },
    check: |ctx| from_cells(ctx, "source.schema_drift"),
};

pub const RESURRECTED: Rule = Rule {
    id: "shadow.resurrected",
    category: Category::HandoffGap,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A shadow sheet that was decommissioned has been changed since (rows added, edited or removed).",
        why: "Someone went back to the spreadsheet instead of the system: the handoff to the OMS did not happen, and the two will drift apart again.",
        example: "Orders Tracker.xlsx › Orders!A212: retired shadow sheet orders-tracker changed after it was decommissioned on 2026-11-27 by dana: 1 row added or changed, 0 removed.",
        fix: "Enter the change in the OMS, undo it in the sheet, and find out why the sheet was used (access, a missing OMS feature, habit).",
    },
    check: |ctx| from_cells(ctx, "shadow.resurrected"),
};
