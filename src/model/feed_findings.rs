//! The findings a feed's cells give while its rows are read (a cell that
//! cannot be read, an empty required cell, a required field with no column),
//! and the rows of one order in a sheet that lists an order over several rows:
//! the order id filled down over continuation rows, and the order's rows
//! merged into one order, where rows that disagree are findings.

use std::collections::HashMap;

use crate::findings::{Category, Finding, Severity};
use crate::mapping::plan::Feed;
use crate::model::{Entity, Field, FieldType};
use crate::source::Sheet;

use super::canonical::SourceInfo;
use super::cells::{ParsedColumn, Problem, raw_text};

/// Continuation rows leave the order id empty: copy it down from the row above.
pub(super) fn fill_down(col: &mut ParsedColumn) -> usize {
    // Only the empty rows are visited: each takes the value of the nearest
    // row above that had one (not of a row filled itself), unless its cell
    // could not be read.
    let mut fills = 0;
    let (mut last, mut previous_empty): (Option<usize>, Option<usize>) = (None, None);
    for i in col.values.nulls() {
        if i > 0 && previous_empty != Some(i - 1) {
            last = Some(i - 1);
        }
        previous_empty = Some(i);
        let has_problem = col.problems.binary_search_by_key(&i, |p| p.index).is_ok();
        if !has_problem && let Some(from) = last {
            col.values.copy(from, i);
            fills += 1;
        }
    }
    fills
}

pub(super) struct FeedState<'s> {
    pub(super) info: &'s SourceInfo,
    pub(super) display: &'s [u32],
    pub(super) findings: Vec<Finding>,
    pub(super) fills: usize,
}

impl FeedState<'_> {
    fn cell_finding(
        &self,
        rule: &'static str,
        category: Category,
        field: &'static str,
        index: usize,
    ) -> Finding {
        let row = self.display.get(index).copied().unwrap_or(0);
        Finding {
            rule,
            category,
            severity: Severity::Error,
            entity: Some(self.info.entity),
            key: None,
            location: self.info.location(row, Some(field)),
            related: Vec::new(),
            message: String::new(),
            value: None,
            expected: None,
        }
    }

    pub(super) fn problem_finding(&self, field: &'static str, p: &Problem) -> Finding {
        let (rule, expected) = match p.category {
            Category::FormulaError => ("cells.formula_error", None),
            Category::InvalidType => (
                "cells.invalid_type",
                Some(expected_type(self.info.entity, field)),
            ),
            _ => ("cells.invalid_value", None),
        };
        let mut f = self.cell_finding(rule, p.category, field, p.index);
        f.message = format!("{}: {}", field.replace('_', " "), p.reason);
        f.value = Some(p.raw.clone());
        f.expected = expected;
        f
    }

    pub(super) fn missing_finding(&self, field: &'static str, index: usize) -> Finding {
        let mut f = self.cell_finding(
            "cells.missing_required",
            Category::MissingRequired,
            field,
            index,
        );
        f.message = format!("{} is required and empty", field.replace('_', " "));
        f
    }

    /// One order per order id: the first row holds it; later rows' order-level
    /// values fill gaps or, where they differ, are findings. Returns the indices
    /// of the order rows.
    pub(super) fn merge_order_rows(
        &mut self,
        fields: &[&'static Field],
        parsed: &mut [Option<ParsedColumn>],
        rows: &[u32],
        sheet: &Sheet,
        feed: &Feed,
    ) -> Vec<usize> {
        let Some(id_pos) = fields.iter().position(|f| f.name == "order_id") else {
            return (0..rows.len()).collect();
        };
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut no_id: Vec<usize> = Vec::new();
        let ids = parsed[id_pos].as_ref().map(|p| p.values.clone());
        // Keyed by the id text as read (borrowed, no string per row).
        let mut by_id: HashMap<std::borrow::Cow<'_, str>, usize> = HashMap::new();
        if let Some(ids) = &ids {
            for i in 0..rows.len() {
                match ids.text(i) {
                    Some(id) => {
                        let g = *by_id.entry(id).or_insert_with(|| {
                            groups.push(Vec::new());
                            groups.len() - 1
                        });
                        groups[g].push(i);
                    }
                    None => no_id.push(i),
                }
            }
        }
        let id_of = |i: usize| {
            ids.as_ref()
                .and_then(|v| v.text(i))
                .map(|t| t.trim().to_string())
                .unwrap_or_default()
        };
        for (pos, f) in fields.iter().enumerate() {
            if pos == id_pos {
                continue;
            }
            let Some(col) = parsed[pos].as_mut() else {
                continue;
            };
            let Some(c) = feed.column_of(f.name) else {
                continue;
            };
            for g in &groups {
                let first = g[0];
                // Fill the first row's gap from the first later row that has a value.
                if col.values.is_null(first)
                    && let Some(&src) = g.iter().find(|&&i| !col.values.is_null(i))
                {
                    col.values.copy(src, first);
                }
                for &i in &g[1..] {
                    if col.values.is_null(i) || col.values.same(first, i) {
                        continue;
                    }
                    let mut finding = self.cell_finding(
                        "orders.rows_disagree",
                        Category::DuplicateKey,
                        f.name,
                        i,
                    );
                    let shown = raw_text(sheet.grid.get(rows[i] as usize, c.col as usize));
                    let chosen = col.values.text(first).map(|t| t.into_owned());
                    finding.message = format!(
                        "{} of order {} is {} here but {} on the order's first row ({})",
                        f.name.replace('_', " "),
                        id_of(i),
                        shown,
                        chosen.clone().unwrap_or_default(),
                        self.info
                            .location(self.display[first], Some(f.name))
                            .cell
                            .unwrap_or_default()
                    );
                    finding.key = Some(id_of(i));
                    finding.value = Some(shown);
                    finding.expected = chosen;
                    finding
                        .related
                        .push(self.info.location(self.display[first], Some(f.name)));
                    self.findings.push(finding);
                }
            }
        }
        let mut firsts: Vec<usize> = groups.iter().map(|g| g[0]).collect();
        // Rows without an order id are still records (missing_required says so).
        firsts.extend(no_id);
        firsts.sort_unstable();
        firsts
    }
}

fn expected_type(entity: Entity, field: &str) -> String {
    let ty = entity.field(field).map(|f| f.ty);
    match ty {
        Some(FieldType::Int) => "a whole number".into(),
        Some(FieldType::Decimal) => "an amount".into(),
        Some(FieldType::Date) => "a date".into(),
        Some(FieldType::DateTime) => "a date and time".into(),
        Some(FieldType::Bool) => "yes or no".into(),
        _ => "text".into(),
    }
}

/// A required field that no column of the source maps to: one finding, at the header row.
pub(super) fn unmapped_required(info: &SourceInfo, fields: &[&'static Field]) -> Vec<Finding> {
    fields
        .iter()
        .filter(|f| f.required && !info.has(f.name))
        // Status is required, but a source without a status column is read and its
        // status rules are skipped (SPEC); it is still reported once here.
        .map(|f| {
            let mut location = info.location(info.header_row, None);
            location.row = Some(info.header_row);
            Finding {
                rule: "source.unmapped_required",
                category: Category::MissingRequired,
                severity: Severity::Error,
                entity: Some(info.entity),
                key: None,
                location,
                related: Vec::new(),
                message: format!(
                    "no column maps to {}.{}, a required field",
                    info.entity, f.name
                ),
                value: None,
                expected: Some(f.name.to_string()),
            }
        })
        .collect()
}

#[cfg(test)]
mod fill_down_tests {
    use super::*;
    use crate::model::values::Values;

    #[test]
    fn empty_order_ids_take_the_value_above_unless_their_cell_was_unreadable() {
        let ids = [
            None,
            Some("SO-1"),
            None,
            None,
            Some("SO-2"),
            None,
            None,
            Some("SO-3"),
            None,
        ];
        let mut col = ParsedColumn {
            values: Values::Text(ids.into_iter().collect()),
            // Row 6 held "#REF!": it stays empty, and row 5 above it is filled.
            problems: vec![Problem {
                index: 6,
                category: Category::FormulaError,
                raw: "#REF!".into(),
                reason: "an error".into(),
            }],
            decision: None,
        };
        assert_eq!(fill_down(&mut col), 4);
        let got: Vec<Option<String>> = (0..ids.len())
            .map(|i| col.values.text(i).map(|t| t.into_owned()))
            .collect();
        let want = [
            None,
            Some("SO-1"),
            Some("SO-1"),
            Some("SO-1"),
            Some("SO-2"),
            Some("SO-2"),
            None,
            Some("SO-3"),
            Some("SO-3"),
        ];
        assert_eq!(got, want.map(|w| w.map(str::to_string)));
    }

    /// The row-by-row reading of the rule, for comparison.
    fn fill_down_row_by_row(col: &mut ParsedColumn) -> usize {
        let (mut fills, mut last) = (0, None);
        for i in 0..col.values.len() {
            let has_problem = col.problems.iter().any(|p| p.index == i);
            if !col.values.is_null(i) {
                last = Some(i);
            } else if !has_problem && let Some(from) = last {
                col.values.copy(from, i);
                fills += 1;
            }
        }
        fills
    }

    proptest::proptest! {
        #[test]
        fn visiting_only_empty_rows_fills_what_a_row_by_row_pass_fills(
            ids in proptest::collection::vec(proptest::option::of("[A-C]"), 0..60),
            problems in proptest::collection::btree_set(0usize..60, 0..6),
        ) {
            let column = |ids: &[Option<String>]| ParsedColumn {
                values: Values::Text(ids.iter().map(|v| v.as_deref()).collect()),
                problems: problems
                    .iter()
                    .filter(|&&i| i < ids.len())
                    .map(|&index| Problem { index, category: Category::InvalidType, raw: "x".into(), reason: "x".into() })
                    .collect(),
                decision: None,
            };
            let (mut fast, mut slow) = (column(&ids), column(&ids));
            proptest::prop_assert_eq!(fill_down(&mut fast), fill_down_row_by_row(&mut slow));
            proptest::prop_assert_eq!(fast.values, slow.values);
        }
    }
}
