//! offsheet reads the spreadsheets that shadow an Order Management System and
//! shows where they break. The code follows the data:
//!
//! ```text
//! files ─▶ source (sheets of cells with provenance: file, sheet, row, column, A1)
//!       ─▶ inventory (each sheet's table region and hazards)
//!       ─▶ mapping (which canonical table and field each column feeds)
//!       ─▶ model (the canonical tables, typed)
//!       ─▶ rules ─▶ findings ─▶ report (text, JSON, JUnit, Markdown, HTML, XLSX)
//!                             ─▶ ledger (adoption snapshots, decommission decisions)
//! ```
//!
//! `cli` and `cmd` turn command lines into calls of these stages.

pub mod adoption;
pub mod atomic;
pub mod audit;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod exit;
pub mod findings;
pub mod ingest;
pub mod inventory;
pub mod ledger;
pub mod mapping;
pub mod memory;
pub mod model;
pub mod progress;
pub mod report;
pub mod rules;
pub mod settings;
pub mod source;
