//! The adoption ledger: an SQLite file that keeps every snapshot of every shadow
//! sheet, the decommission decisions and a log of events, and survives a process
//! killed mid-write (one snapshot is one transaction, WAL journal).

mod error;
mod read;
mod schema;
mod snapshot;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags};

pub use error::LedgerError;
pub use read::DecisionDraft;
pub use schema::{APPLICATION_ID, MIGRATIONS, current_version};
pub use snapshot::SnapshotTx;

/// How long a run waits for another run's write lock before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Test hook: when this environment variable is `1`, recording a snapshot calls
/// `std::process::abort()` right after the first row is inserted inside the
/// snapshot transaction, so a test can prove a killed run leaves the ledger as
/// it was. Never set it outside tests.
pub const TEST_ABORT_ENV: &str = "OFFSHEET_TEST_ABORT_AFTER_INSERT";

/// One shadow sheet's numbers in one snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    /// Records in the shadow sheet.
    pub rows: usize,
    /// Distinct keys in the shadow sheet.
    pub keys: usize,
    /// Shadow keys also in the system export.
    pub in_system: usize,
    /// Shadow keys missing from the system export.
    pub shadow_only: usize,
    /// Keys in both whose values differ.
    pub divergent: usize,
    /// Shadow rows added or changed since the previous snapshot.
    pub changed: usize,
    /// Keys dated in the window found in the system: the rate's numerator...
    pub window_system: usize,
    /// ...and keys dated in the window in the system or the shadow: its denominator.
    pub window_keys: usize,
    /// `window_system / window_keys`, 1.0 when the window holds no key.
    pub rate: f64,
}

/// One shadow sheet in one snapshot, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ShadowSnapshot {
    pub name: String,
    pub entity: String,
    pub owner: Option<String>,
    pub path: String,
    pub system_path: String,
    pub metrics: Metrics,
    /// Error findings of the audit located in the shadow sheet.
    pub open_errors: usize,
    /// Hash over all the sheet's row fingerprints.
    pub sheet_fingerprint: String,
}

/// A stored snapshot of one shadow sheet, with the run it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSnapshot {
    pub snapshot_id: i64,
    pub as_of: NaiveDate,
    pub window_days: i64,
    pub shadow: ShadowSnapshot,
}

/// A key present in the shadow and the system whose values differ.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DivergentKey {
    pub key: String,
    /// The fields that differ, sorted.
    pub fields: Vec<String>,
}

/// (key, row fingerprint) → how many rows of the sheet have them.
pub type RowFingerprints = BTreeMap<(String, String), usize>;

/// A shadow sheet retired: who, when, why, and what it held then.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub id: i64,
    pub shadow: String,
    pub decided_at: NaiveDate,
    pub decided_by: String,
    pub reason: String,
    pub sheet_fingerprint: String,
    /// The snapshot the criteria were judged on; its row fingerprints are the
    /// sheet as retired.
    pub snapshot_id: i64,
}

/// One line of the ledger's history: a snapshot taken, a decision, a refusal,
/// a retired sheet seen changed, a migration.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: i64,
    pub recorded_at: String,
    pub as_of: Option<NaiveDate>,
    pub kind: String,
    pub shadow: Option<String>,
    pub detail: String,
}

/// An open ledger file.
#[derive(Debug)]
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
}

impl Ledger {
    /// Opens the ledger at `path`, creating it (and its folder) when missing,
    /// and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Ledger, LedgerError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| LedgerError::Open {
                path: path.display().to_string(),
                reason: e.to_string(),
            })?;
        }
        Ledger::connect(path, OpenFlags::SQLITE_OPEN_CREATE)
    }

    /// Opens an existing ledger (for status, check, export): a missing file is
    /// `LedgerError::Missing`, not a new empty ledger.
    pub fn open_existing(path: &Path) -> Result<Ledger, LedgerError> {
        if !path.exists() {
            return Err(LedgerError::Missing {
                path: path.display().to_string(),
            });
        }
        Ledger::connect(path, OpenFlags::empty())
    }

    fn connect(path: &Path, extra: OpenFlags) -> Result<Ledger, LedgerError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | extra;
        let sql = |action| move |e| LedgerError::sql(path, action, e);
        let mut conn = Connection::open_with_flags(path, flags).map_err(|e| LedgerError::Open {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(sql("setting the busy timeout"))?;
        // Reads only, so a file that is refused stays as it was.
        schema::inspect(&conn, path)?;
        integrity_check(&conn, path)?;
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .map_err(sql("switching to the WAL journal"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(LedgerError::Open {
                path: path.display().to_string(),
                reason: format!("the file system refused the WAL journal (journal mode {mode})"),
            });
        }
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(sql("enabling foreign keys"))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sql("setting synchronous writes"))?;
        schema::migrate(&mut conn, path)?;
        Ok(Ledger {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The file this ledger lives in, for messages.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64, LedgerError> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| LedgerError::sql(&self.path, "reading the schema version", e))
    }
}

/// A structural check (`PRAGMA quick_check`) so a damaged file is a clear error
/// at open rather than odd results later.
fn integrity_check(conn: &Connection, path: &Path) -> Result<(), LedgerError> {
    let verdict: String = conn
        .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .map_err(|e| LedgerError::sql(path, "checking the file", e))?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(LedgerError::Corrupt {
            path: path.display().to_string(),
            reason: verdict,
        })
    }
}

/// The wall clock as stored in `recorded_at` columns.
pub(crate) fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests;
