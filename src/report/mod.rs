//! Outputs over the same findings: one module per format.

pub mod json;
pub mod junit;
pub mod mapping;
pub mod markdown;
pub mod snippet;
pub mod text;
pub mod xlsx_tables;
