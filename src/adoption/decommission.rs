//! `decommission NAME --by WHO`: retire a shadow sheet when its criteria hold,
//! recording who, when, why and the sheet as it was; and tell later whether a
//! retired sheet has been changed since ("resurrected").

use chrono::NaiveDate;

use super::metrics::{new_rows, row_changes, row_fingerprints};
use super::text::count;
use super::{AdoptionConfig, Evaluation, KeyedRecord, ShadowInput, evaluate, sheet_fingerprint};
use crate::ledger::{Decision, DecisionDraft, Ledger, LedgerError, RowFingerprints};

/// What `decommission` did.
#[derive(Debug, Clone, PartialEq)]
pub enum DecommissionOutcome {
    /// The criteria held; the decision is stored.
    Decided(Decision),
    /// Refused: `evaluation.unmet()` says why.
    Refused(Evaluation),
    /// The sheet was already retired by this decision; nothing was stored.
    AlreadyDecommissioned(Decision),
}

/// A retired sheet seen changed: what a finding needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Resurrection {
    pub name: String,
    pub decided_at: NaiveDate,
    pub decided_by: String,
    /// The as-of date of the snapshot or check that saw the change.
    pub seen_at: NaiveDate,
    pub decided_fingerprint: String,
    pub current_fingerprint: String,
    /// Rows added or edited since the decision...
    pub rows_changed: usize,
    /// ...and rows removed (or the old side of edited rows).
    pub rows_removed: usize,
    /// The 1-based rows of the current sheet that are new or edited, where
    /// the finding should point; empty when only the ledger was read.
    pub changed_rows: Vec<u32>,
}

impl Resurrection {
    /// "changed after it was decommissioned on 2026-10-12 by dana: 1 row added or changed, 0 removed"
    pub fn describe(&self) -> String {
        format!(
            "changed after it was decommissioned on {} by {}: {} added or changed, {} removed",
            self.decided_at,
            self.decided_by,
            count(self.rows_changed, "row", "rows"),
            self.rows_removed
        )
    }
}

pub(crate) fn resurrection(
    d: &Decision,
    seen_at: NaiveDate,
    current_fingerprint: &str,
    retired: &RowFingerprints,
    now: &RowFingerprints,
    changed_rows: Vec<u32>,
) -> Resurrection {
    let (rows_changed, rows_removed) = row_changes(retired, now);
    Resurrection {
        name: d.shadow.clone(),
        decided_at: d.decided_at,
        decided_by: d.decided_by.clone(),
        seen_at,
        decided_fingerprint: d.sheet_fingerprint.clone(),
        current_fingerprint: current_fingerprint.to_string(),
        rows_changed,
        rows_removed,
        changed_rows,
    }
}

/// Retires `input`'s sheet at `as_of` when every criterion holds over the
/// ledger's snapshots, with the sheet as loaded now: it must be the sheet of the
/// latest snapshot (a change since then means it is not quiet), and its open
/// error findings are the current ones. `why` defaults to the criteria met.
pub fn decommission(
    ledger: &mut Ledger,
    input: &ShadowInput,
    by: &str,
    why: Option<&str>,
    as_of: NaiveDate,
    cfg: &AdoptionConfig,
) -> Result<DecommissionOutcome, LedgerError> {
    if let Some(d) = ledger.latest_decision(&input.name)? {
        return Ok(DecommissionOutcome::AlreadyDecommissioned(d));
    }
    let history = ledger.history(&input.name, as_of)?;
    let mut evaluation = evaluate(&history, input.open_errors, as_of, cfg);
    let fingerprint = sheet_fingerprint(&input.shadow);
    if let Some(latest) = history.last()
        && latest.shadow.sheet_fingerprint != fingerprint
    {
        evaluation.fail_quiet(format!(
            "the sheet changed after the last snapshot ({}); run `offsheet adoption record` first",
            latest.as_of
        ));
    }
    let Some(latest) = history.last().filter(|_| evaluation.criteria.all()) else {
        let reasons: Vec<String> = evaluation
            .unmet()
            .map(|r| format!("{}: {}", r.criterion.name(), r.detail))
            .collect();
        ledger.log_event(
            Some(as_of),
            "decommission_refused",
            Some(&input.name),
            &format!("refused for {by}: {}", reasons.join("; ")),
        )?;
        return Ok(DecommissionOutcome::Refused(evaluation));
    };
    let reason = match why.map(str::trim).filter(|w| !w.is_empty()) {
        Some(w) => w.to_string(),
        None => evaluation
            .results
            .iter()
            .map(|r| r.detail.as_str())
            .collect::<Vec<_>>()
            .join("; "),
    };
    let decision = ledger.record_decision(&DecisionDraft {
        shadow: input.name.clone(),
        decided_at: as_of,
        decided_by: by.to_string(),
        reason,
        sheet_fingerprint: fingerprint,
        snapshot_id: latest.snapshot_id,
    })?;
    Ok(DecommissionOutcome::Decided(decision))
}

/// Whether the retired sheet `name`, loaded now as `current`, differs from the
/// sheet at its decommission. `None` when it was never decommissioned or is
/// unchanged.
pub fn resurrected(
    ledger: &Ledger,
    name: &str,
    current: &[KeyedRecord],
    as_of: NaiveDate,
) -> Result<Option<Resurrection>, LedgerError> {
    let Some(d) = ledger.latest_decision(name)? else {
        return Ok(None);
    };
    let fingerprint = sheet_fingerprint(current);
    if fingerprint == d.sheet_fingerprint {
        return Ok(None);
    }
    let retired = ledger.fingerprints(d.snapshot_id, name)?;
    let now = row_fingerprints(current);
    let rows = new_rows(&retired, current);
    Ok(Some(resurrection(
        &d,
        as_of,
        &fingerprint,
        &retired,
        &now,
        rows,
    )))
}

/// Whether a snapshot recorded after the decision saw the retired sheet
/// changed, from the ledger alone (for `status` and `check`): the first such
/// snapshot, up to `as_of`.
pub fn resurrected_in_ledger(
    ledger: &Ledger,
    name: &str,
    as_of: NaiveDate,
) -> Result<Option<Resurrection>, LedgerError> {
    let Some(d) = ledger.latest_decision(name)? else {
        return Ok(None);
    };
    let history = ledger.history(name, as_of)?;
    let Some(changed) = history.iter().find(|s| {
        s.snapshot_id > d.snapshot_id
            && s.as_of >= d.decided_at
            && s.shadow.sheet_fingerprint != d.sheet_fingerprint
    }) else {
        return Ok(None);
    };
    let retired = ledger.fingerprints(d.snapshot_id, name)?;
    let now = ledger.fingerprints(changed.snapshot_id, name)?;
    Ok(Some(resurrection(
        &d,
        changed.as_of,
        &changed.shadow.sheet_fingerprint,
        &retired,
        &now,
        Vec::new(),
    )))
}
