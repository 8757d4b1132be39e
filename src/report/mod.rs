//! Outputs over the same findings: one module per format.

pub mod adoption_html;
pub mod chart;
pub mod html;
pub mod json;
pub mod junit;
pub mod mapping;
pub mod markdown;
pub mod readiness;
pub mod snippet;
pub mod text;
pub mod xlsx_report;
pub mod xlsx_tables;

/// "1 file", "2 files": a count and its noun, singular for exactly one.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
