//! Writing one snapshot: every shadow sheet of one `adoption record` run goes in
//! one transaction that takes the write lock up front, so a killed run leaves the
//! ledger as it was and two runs at once queue instead of failing.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use rusqlite::{Transaction, TransactionBehavior};

use super::{
    Decision, DivergentKey, Ledger, LedgerError, RowFingerprints, ShadowSnapshot, TEST_ABORT_ENV,
    now_text, read,
};

/// An open snapshot: dropped without `commit`, nothing of it is kept.
pub struct SnapshotTx<'a> {
    tx: Transaction<'a>,
    path: &'a Path,
    id: i64,
    as_of: NaiveDate,
    names: BTreeSet<String>,
}

impl Ledger {
    /// Starts the snapshot of `as_of`, measured over a window of `window_days`.
    pub fn begin_snapshot(
        &mut self,
        as_of: NaiveDate,
        window_days: i64,
    ) -> Result<SnapshotTx<'_>, LedgerError> {
        let path = self.path.as_path();
        let sql = |action| move |e| LedgerError::sql(path, action, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql("starting the snapshot"))?;
        tx.execute(
            "INSERT INTO snapshots (as_of, recorded_at, window_days, tool_version) VALUES (?1, ?2, ?3, ?4)",
            (
                as_of.to_string(),
                now_text(),
                window_days,
                env!("CARGO_PKG_VERSION"),
            ),
        )
        .map_err(sql("inserting the snapshot"))?;
        abort_if_testing_crash_safety();
        let id = tx.last_insert_rowid();
        Ok(SnapshotTx {
            tx,
            path,
            id,
            as_of,
            names: BTreeSet::new(),
        })
    }
}

/// See `TEST_ABORT_ENV`.
fn abort_if_testing_crash_safety() {
    if std::env::var_os(TEST_ABORT_ENV).is_some_and(|v| v == "1") {
        std::process::abort();
    }
}

impl SnapshotTx<'_> {
    pub fn id(&self) -> i64 {
        self.id
    }

    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// The row fingerprints of the shadow's snapshot before this one (the
    /// latest with an earlier as-of date), or `None` for its first snapshot.
    pub fn previous_fingerprints(
        &self,
        shadow: &str,
    ) -> Result<Option<RowFingerprints>, LedgerError> {
        match read::previous_snapshot_id(&self.tx, self.path, shadow, self.as_of)? {
            Some(id) => read::fingerprints(&self.tx, self.path, id, shadow).map(Some),
            None => Ok(None),
        }
    }

    /// The shadow's latest decommission decision, if it was retired.
    pub fn decision(&self, shadow: &str) -> Result<Option<Decision>, LedgerError> {
        read::latest_decision(&self.tx, self.path, shadow)
    }

    /// The row fingerprints stored with one snapshot of a shadow.
    pub fn fingerprints(
        &self,
        snapshot_id: i64,
        shadow: &str,
    ) -> Result<RowFingerprints, LedgerError> {
        read::fingerprints(&self.tx, self.path, snapshot_id, shadow)
    }

    /// Adds one shadow sheet's metrics, row fingerprints and divergent keys.
    pub fn insert_shadow(
        &mut self,
        shadow: &ShadowSnapshot,
        fingerprints: &RowFingerprints,
        divergent: &[DivergentKey],
    ) -> Result<(), LedgerError> {
        let path = self.path;
        let sql = |action| move |e| LedgerError::sql(path, action, e);
        if !self.names.insert(shadow.name.clone()) {
            return Err(LedgerError::DuplicateShadow {
                path: path.display().to_string(),
                name: shadow.name.clone(),
            });
        }
        let m = &shadow.metrics;
        self.tx
            .execute(
                "INSERT INTO shadow_metrics (snapshot_id, shadow, entity, owner, path, system_path,
                     row_count, key_count, in_system, shadow_only, divergent, changed,
                     window_system, window_keys, rate, open_errors, sheet_fingerprint)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                rusqlite::params![
                    self.id,
                    shadow.name,
                    shadow.entity,
                    shadow.owner,
                    shadow.path,
                    shadow.system_path,
                    m.rows as i64,
                    m.keys as i64,
                    m.in_system as i64,
                    m.shadow_only as i64,
                    m.divergent as i64,
                    m.changed as i64,
                    m.window_system as i64,
                    m.window_keys as i64,
                    m.rate,
                    shadow.open_errors as i64,
                    shadow.sheet_fingerprint,
                ],
            )
            .map_err(sql("inserting shadow metrics"))?;
        let mut rows = self
            .tx
            .prepare_cached(
                "INSERT INTO row_fingerprints (snapshot_id, shadow, entity_key, fingerprint, row_count)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .map_err(sql("inserting row fingerprints"))?;
        for ((key, fingerprint), count) in fingerprints {
            rows.execute((self.id, &shadow.name, key, fingerprint, *count as i64))
                .map_err(sql("inserting row fingerprints"))?;
        }
        let mut fields = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO divergent_fields (snapshot_id, shadow, entity_key, field)
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(sql("inserting divergent keys"))?;
        for d in divergent {
            for field in &d.fields {
                fields
                    .execute((self.id, &shadow.name, &d.key, field))
                    .map_err(sql("inserting divergent keys"))?;
            }
        }
        Ok(())
    }

    /// Adds a line to the event log, inside this snapshot.
    pub fn log_event(
        &self,
        kind: &str,
        shadow: Option<&str>,
        detail: &str,
    ) -> Result<(), LedgerError> {
        read::insert_event(&self.tx, self.path, Some(self.as_of), kind, shadow, detail)
    }

    /// Makes the snapshot permanent.
    pub fn commit(self) -> Result<(), LedgerError> {
        let path = self.path;
        self.tx
            .commit()
            .map_err(|e| LedgerError::sql(path, "committing the snapshot", e))
    }
}
