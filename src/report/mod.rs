//! Outputs over the same findings: one module per format.

pub mod json;
