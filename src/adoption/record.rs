//! `adoption record`: measure every shadow sheet against the previous snapshot
//! and store them all as one snapshot, noting any retired sheet seen changed.

use chrono::NaiveDate;

use super::decommission::{Resurrection, resurrection};
use super::metrics::{Measurement, measure, new_rows};
use super::{AdoptionConfig, ShadowInput};
use crate::ledger::{Ledger, LedgerError, Metrics};

/// What one `record` stored.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordSummary {
    pub snapshot_id: i64,
    pub as_of: NaiveDate,
    pub shadows: Vec<RecordedShadow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecordedShadow {
    pub name: String,
    pub metrics: Metrics,
    /// Set when the sheet was decommissioned and has changed since: a finding.
    pub resurrected: Option<Resurrection>,
}

/// Takes the snapshot of `as_of` of every shadow in `inputs`, in one
/// transaction: either all of them are stored or none.
pub fn record(
    ledger: &mut Ledger,
    inputs: &[ShadowInput],
    as_of: NaiveDate,
    cfg: &AdoptionConfig,
) -> Result<RecordSummary, LedgerError> {
    let mut tx = ledger.begin_snapshot(as_of, cfg.window_days)?;
    let mut shadows = Vec::with_capacity(inputs.len());
    for input in inputs {
        let previous = tx.previous_fingerprints(&input.name)?;
        let Measurement {
            snapshot,
            fingerprints,
            divergent_keys,
        } = measure(input, previous.as_ref(), as_of, cfg.window_days);
        tx.insert_shadow(&snapshot, &fingerprints, &divergent_keys)?;
        let resurrected = match tx.decision(&input.name)? {
            Some(d) if d.sheet_fingerprint != snapshot.sheet_fingerprint => {
                let retired = tx.fingerprints(d.snapshot_id, &input.name)?;
                Some(resurrection(
                    &d,
                    as_of,
                    &snapshot.sheet_fingerprint,
                    &retired,
                    &fingerprints,
                    new_rows(&retired, &input.shadow),
                ))
            }
            _ => None,
        };
        if let Some(r) = &resurrected {
            tx.log_event("resurrected", Some(&input.name), &r.describe())?;
        }
        shadows.push(RecordedShadow {
            name: input.name.clone(),
            metrics: snapshot.metrics,
            resurrected,
        });
    }
    let detail = format!(
        "snapshot of {} shadow sheet{}",
        inputs.len(),
        if inputs.len() == 1 { "" } else { "s" }
    );
    tx.log_event("recorded", None, &detail)?;
    let snapshot_id = tx.id();
    tx.commit()?;
    Ok(RecordSummary {
        snapshot_id,
        as_of,
        shadows,
    })
}
