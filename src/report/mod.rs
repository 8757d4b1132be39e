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
