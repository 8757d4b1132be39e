//! Adoption tracking: how far each shadow sheet has been replaced by its system
//! of record, measured per snapshot, judged against the decommission criteria,
//! and rendered for `adoption status`, `adoption check` and `adoption export`.
//!
//! The commands load the sheets into [`ShadowInput`]s, then call [`record`],
//! [`status`], [`check`], [`decommission`] or [`history`] and print what the
//! `render_*` functions return.

mod check;
mod criteria;
mod decommission;
mod export;
mod fingerprint;
pub mod inputs;
mod metrics;
mod record;
mod status;
#[cfg(test)]
mod testkit;
mod text;

use std::collections::BTreeMap;

use chrono::NaiveDate;

pub use check::{
    CheckOptions, CheckReport, ShadowCheck, check, render_check_json, render_check_junit,
    render_check_text,
};
pub use criteria::{Criteria, Criterion, CriterionResult, Evaluation, evaluate};
pub use decommission::{
    DecommissionOutcome, Resurrection, decommission, resurrected, resurrected_in_ledger,
};
pub use export::{History, history, render_export_csv, render_export_json};
pub use fingerprint::{row_fingerprint, sheet_fingerprint};
pub use metrics::{Measurement, measure};
pub use record::{RecordSummary, RecordedShadow, record};
pub use status::{
    ShadowDocument, ShadowStatus, SnapshotDocument, Status, StatusDocument, render_status_json,
    render_status_text, status, status_document,
};
pub use text::{rate as rate_text, sparkline};

/// One record of a shadow sheet or of its system-of-record export, reduced to
/// what adoption needs.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyedRecord {
    /// The entity key as text ("SO-1042").
    pub key: String,
    /// The record's date (order_date, invoiced_at, ...) that places it in the
    /// rate's window. A record without a date counts as current: inside every
    /// window, so a sheet without a date column is not read as fully adopted.
    pub date: Option<NaiveDate>,
    /// Canonical field → value text, for the fields both sides map. Values are
    /// compared after trimming; leave a blank cell out to ignore it.
    pub values: BTreeMap<String, String>,
    /// Stable hash of the whole source row as read (every cell); see
    /// [`row_fingerprint`].
    pub fingerprint: String,
    /// 1-based row in its file, for messages.
    pub row: u32,
}

/// A shadow sheet and its system-of-record export, loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct ShadowInput {
    pub name: String,
    pub entity: String,
    pub owner: Option<String>,
    /// The shadow file (relative), for messages.
    pub path: String,
    pub system_path: String,
    pub shadow: Vec<KeyedRecord>,
    pub system: Vec<KeyedRecord>,
    /// Error findings of the audit located in the shadow file.
    pub open_errors: usize,
}

/// The adoption settings (SPEC's defaults; offsheet.toml may change them).
#[derive(Debug, Clone, PartialEq)]
pub struct AdoptionConfig {
    /// The rate counts records dated after as-of minus this many days, up to
    /// and including as-of.
    pub window_days: i64,
    /// The rate each of the last `streak` snapshots must reach.
    pub min_rate: f64,
    pub streak: usize,
    /// The sheet's last change must be at least this many days before as-of.
    pub quiet_days: i64,
}

impl Default for AdoptionConfig {
    fn default() -> Self {
        AdoptionConfig {
            window_days: 30,
            min_rate: 0.98,
            streak: 3,
            quiet_days: 14,
        }
    }
}

/// The version of the JSON documents this module prints.
pub const JSON_VERSION: u32 = 1;

#[cfg(test)]
mod story_tests;
