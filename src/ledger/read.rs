//! Reading the ledger back: a shadow's history, stored fingerprints, divergent
//! keys, decisions and events, as plain values. Functions take a `Connection` so
//! they work both on an open ledger and inside a snapshot transaction.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row};

use super::{
    Decision, DivergentKey, Event, Ledger, LedgerError, Metrics, RowFingerprints, ShadowSnapshot,
    StoredSnapshot, now_text,
};

/// What `record_decision` writes.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionDraft {
    pub shadow: String,
    pub decided_at: NaiveDate,
    pub decided_by: String,
    pub reason: String,
    pub sheet_fingerprint: String,
    pub snapshot_id: i64,
}

const SNAPSHOT_COLUMNS: &str = "s.id, s.as_of, s.window_days, m.shadow, m.entity, m.owner, m.path,
    m.system_path, m.row_count, m.key_count, m.in_system, m.shadow_only, m.divergent, m.changed,
    m.window_system, m.window_keys, m.rate, m.open_errors, m.sheet_fingerprint
    FROM shadow_metrics m JOIN snapshots s ON s.id = m.snapshot_id";

impl Ledger {
    /// Every shadow sheet the ledger has a snapshot of, by name.
    pub fn shadow_names(&self) -> Result<Vec<String>, LedgerError> {
        let sql = |e| LedgerError::sql(&self.path, "listing shadow sheets", e);
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT shadow FROM shadow_metrics ORDER BY shadow")
            .map_err(sql)?;
        let names = stmt.query_map([], |r| r.get(0)).map_err(sql)?;
        names.collect::<Result<_, _>>().map_err(sql)
    }

    /// A shadow's snapshots dated up to `up_to`, oldest first, one per as-of
    /// date: when a date was recorded twice, the later run stands.
    pub fn history(
        &self,
        shadow: &str,
        up_to: NaiveDate,
    ) -> Result<Vec<StoredSnapshot>, LedgerError> {
        let sql = |e| LedgerError::sql(&self.path, "reading a shadow's history", e);
        let query = format!(
            "SELECT {SNAPSHOT_COLUMNS}
             WHERE m.shadow = ?1 AND s.as_of <= ?2
               AND m.snapshot_id = (SELECT max(m2.snapshot_id)
                   FROM shadow_metrics m2 JOIN snapshots s2 ON s2.id = m2.snapshot_id
                   WHERE m2.shadow = m.shadow AND s2.as_of = s.as_of)
             ORDER BY s.as_of"
        );
        let mut stmt = self.conn.prepare(&query).map_err(sql)?;
        let rows = stmt
            .query_map((shadow, up_to.to_string()), stored_snapshot)
            .map_err(sql)?;
        rows.collect::<Result<_, _>>().map_err(sql)
    }

    /// Every stored shadow snapshot of every run, by as-of, shadow, then run.
    pub fn all_snapshots(&self) -> Result<Vec<StoredSnapshot>, LedgerError> {
        let sql = |e| LedgerError::sql(&self.path, "reading all snapshots", e);
        let query = format!("SELECT {SNAPSHOT_COLUMNS} ORDER BY s.as_of, m.shadow, s.id");
        let mut stmt = self.conn.prepare(&query).map_err(sql)?;
        let rows = stmt.query_map([], stored_snapshot).map_err(sql)?;
        rows.collect::<Result<_, _>>().map_err(sql)
    }

    /// The divergent keys stored with one snapshot of a shadow, by key.
    pub fn divergent_keys(
        &self,
        snapshot_id: i64,
        shadow: &str,
    ) -> Result<Vec<DivergentKey>, LedgerError> {
        let all = divergent(&self.conn, &self.path, Some((snapshot_id, shadow)))?;
        Ok(all.into_values().next().unwrap_or_default())
    }

    /// Every stored divergent key, by (snapshot, shadow).
    pub fn all_divergent_keys(
        &self,
    ) -> Result<BTreeMap<(i64, String), Vec<DivergentKey>>, LedgerError> {
        divergent(&self.conn, &self.path, None)
    }

    /// The row fingerprints stored with one snapshot of a shadow.
    pub fn fingerprints(
        &self,
        snapshot_id: i64,
        shadow: &str,
    ) -> Result<RowFingerprints, LedgerError> {
        fingerprints(&self.conn, &self.path, snapshot_id, shadow)
    }

    /// The shadow's latest decommission decision.
    pub fn latest_decision(&self, shadow: &str) -> Result<Option<Decision>, LedgerError> {
        latest_decision(&self.conn, &self.path, shadow)
    }

    /// Every decision, oldest first.
    pub fn decisions(&self) -> Result<Vec<Decision>, LedgerError> {
        let sql = |e| LedgerError::sql(&self.path, "reading decisions", e);
        let mut stmt = self
            .conn
            .prepare(&format!("{DECISION_SELECT} ORDER BY decided_at, id"))
            .map_err(sql)?;
        let rows = stmt.query_map([], decision).map_err(sql)?;
        rows.collect::<Result<_, _>>().map_err(sql)
    }

    /// Records a decommission decision and its event, in one transaction.
    pub fn record_decision(&mut self, d: &DecisionDraft) -> Result<Decision, LedgerError> {
        let path = self.path.as_path();
        let sql = |e| LedgerError::sql(path, "recording the decision", e);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql)?;
        tx.execute(
            "INSERT INTO decisions (shadow, decided_at, decided_by, reason, sheet_fingerprint, snapshot_id, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            (
                &d.shadow,
                d.decided_at.to_string(),
                &d.decided_by,
                &d.reason,
                &d.sheet_fingerprint,
                d.snapshot_id,
                now_text(),
            ),
        )
        .map_err(sql)?;
        let id = tx.last_insert_rowid();
        let detail = format!("decommissioned by {}: {}", d.decided_by, d.reason);
        insert_event(
            &tx,
            path,
            Some(d.decided_at),
            "decommissioned",
            Some(&d.shadow),
            &detail,
        )?;
        tx.commit().map_err(sql)?;
        Ok(Decision {
            id,
            shadow: d.shadow.clone(),
            decided_at: d.decided_at,
            decided_by: d.decided_by.clone(),
            reason: d.reason.clone(),
            sheet_fingerprint: d.sheet_fingerprint.clone(),
            snapshot_id: d.snapshot_id,
        })
    }

    /// Adds a line to the event log.
    pub fn log_event(
        &self,
        as_of: Option<NaiveDate>,
        kind: &str,
        shadow: Option<&str>,
        detail: &str,
    ) -> Result<(), LedgerError> {
        insert_event(&self.conn, &self.path, as_of, kind, shadow, detail)
    }

    /// The event log, oldest first.
    pub fn events(&self) -> Result<Vec<Event>, LedgerError> {
        let sql = |e| LedgerError::sql(&self.path, "reading the event log", e);
        let mut stmt = self
            .conn
            .prepare("SELECT id, recorded_at, as_of, kind, shadow, detail FROM events ORDER BY id")
            .map_err(sql)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Event {
                    id: r.get(0)?,
                    recorded_at: r.get(1)?,
                    as_of: r
                        .get::<_, Option<String>>(2)?
                        .map(|t| parse_date(2, &t))
                        .transpose()?,
                    kind: r.get(3)?,
                    shadow: r.get(4)?,
                    detail: r.get(5)?,
                })
            })
            .map_err(sql)?;
        rows.collect::<Result<_, _>>().map_err(sql)
    }
}

pub(super) fn previous_snapshot_id(
    conn: &Connection,
    path: &Path,
    shadow: &str,
    before: NaiveDate,
) -> Result<Option<i64>, LedgerError> {
    conn.query_row(
        "SELECT m.snapshot_id FROM shadow_metrics m JOIN snapshots s ON s.id = m.snapshot_id
         WHERE m.shadow = ?1 AND s.as_of < ?2 ORDER BY s.as_of DESC, s.id DESC LIMIT 1",
        (shadow, before.to_string()),
        |r| r.get(0),
    )
    .optional()
    .map_err(|e| LedgerError::sql(path, "finding the previous snapshot", e))
}

pub(super) fn fingerprints(
    conn: &Connection,
    path: &Path,
    snapshot_id: i64,
    shadow: &str,
) -> Result<RowFingerprints, LedgerError> {
    let sql = |e| LedgerError::sql(path, "reading row fingerprints", e);
    let mut stmt = conn
        .prepare_cached(
            "SELECT entity_key, fingerprint, row_count FROM row_fingerprints
             WHERE snapshot_id = ?1 AND shadow = ?2",
        )
        .map_err(sql)?;
    let rows = stmt
        .query_map((snapshot_id, shadow), |r| {
            Ok(((r.get(0)?, r.get(1)?), count(r, 2)?))
        })
        .map_err(sql)?;
    rows.collect::<Result<_, _>>().map_err(sql)
}

const DECISION_SELECT: &str = "SELECT id, shadow, decided_at, decided_by, reason, sheet_fingerprint, snapshot_id FROM decisions";

pub(super) fn latest_decision(
    conn: &Connection,
    path: &Path,
    shadow: &str,
) -> Result<Option<Decision>, LedgerError> {
    conn.query_row(
        &format!("{DECISION_SELECT} WHERE shadow = ?1 ORDER BY id DESC LIMIT 1"),
        [shadow],
        decision,
    )
    .optional()
    .map_err(|e| LedgerError::sql(path, "reading the decision", e))
}

pub(super) fn insert_event(
    conn: &Connection,
    path: &Path,
    as_of: Option<NaiveDate>,
    kind: &str,
    shadow: Option<&str>,
    detail: &str,
) -> Result<(), LedgerError> {
    conn.execute(
        "INSERT INTO events (recorded_at, as_of, kind, shadow, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        (
            now_text(),
            as_of.map(|d| d.to_string()),
            kind,
            shadow,
            detail,
        ),
    )
    .map(|_| ())
    .map_err(|e| LedgerError::sql(path, "writing the event log", e))
}

fn divergent(
    conn: &Connection,
    path: &Path,
    only: Option<(i64, &str)>,
) -> Result<BTreeMap<(i64, String), Vec<DivergentKey>>, LedgerError> {
    let sql = |e| LedgerError::sql(path, "reading divergent keys", e);
    let mut stmt = conn
        .prepare(
            "SELECT snapshot_id, shadow, entity_key, field FROM divergent_fields
             WHERE ?1 IS NULL OR (snapshot_id = ?1 AND shadow = ?2)
             ORDER BY snapshot_id, shadow, entity_key, field",
        )
        .map_err(sql)?;
    let rows = stmt
        .query_map((only.map(|o| o.0), only.map(|o| o.1)), |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .map_err(sql)?;
    let mut out: BTreeMap<(i64, String), Vec<DivergentKey>> = BTreeMap::new();
    for row in rows {
        let (id, shadow, key, field) = row.map_err(sql)?;
        let keys = out.entry((id, shadow)).or_default();
        match keys.last_mut() {
            Some(last) if last.key == key => last.fields.push(field),
            _ => keys.push(DivergentKey {
                key,
                fields: vec![field],
            }),
        }
    }
    Ok(out)
}

fn stored_snapshot(r: &Row<'_>) -> rusqlite::Result<StoredSnapshot> {
    Ok(StoredSnapshot {
        snapshot_id: r.get(0)?,
        as_of: parse_date(1, &r.get::<_, String>(1)?)?,
        window_days: r.get(2)?,
        shadow: ShadowSnapshot {
            name: r.get(3)?,
            entity: r.get(4)?,
            owner: r.get(5)?,
            path: r.get(6)?,
            system_path: r.get(7)?,
            metrics: Metrics {
                rows: count(r, 8)?,
                keys: count(r, 9)?,
                in_system: count(r, 10)?,
                shadow_only: count(r, 11)?,
                divergent: count(r, 12)?,
                changed: count(r, 13)?,
                window_system: count(r, 14)?,
                window_keys: count(r, 15)?,
                rate: r.get(16)?,
            },
            open_errors: count(r, 17)?,
            sheet_fingerprint: r.get(18)?,
        },
    })
}

fn decision(r: &Row<'_>) -> rusqlite::Result<Decision> {
    Ok(Decision {
        id: r.get(0)?,
        shadow: r.get(1)?,
        decided_at: parse_date(2, &r.get::<_, String>(2)?)?,
        decided_by: r.get(3)?,
        reason: r.get(4)?,
        sheet_fingerprint: r.get(5)?,
        snapshot_id: r.get(6)?,
    })
}

/// A stored count; a negative one was not written by offsheet.
fn count(r: &Row<'_>, idx: usize) -> rusqlite::Result<usize> {
    let n: i64 = r.get(idx)?;
    usize::try_from(n)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Integer, Box::new(e)))
}

fn parse_date(idx: usize, text: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}
