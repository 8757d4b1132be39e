//! The ledger's schema as a list of migration steps: `PRAGMA user_version` says
//! how many have run, a fresh file runs them all, and a file from a newer
//! offsheet is refused rather than silently downgraded.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::LedgerError;

/// `PRAGMA application_id` of an offsheet ledger ("ofsh"), so another
/// application's database is recognised and left alone.
pub const APPLICATION_ID: i64 = 0x6f66_7368;

/// Step N (1-based) takes a ledger from version N-1 to version N. Steps are
/// never edited once released: a change of schema is a new step.
pub const MIGRATIONS: &[&str] = &[V1];

/// The schema version this build writes.
pub fn current_version() -> i64 {
    MIGRATIONS.len() as i64
}

const V1: &str = "
CREATE TABLE snapshots (
    id           INTEGER PRIMARY KEY,
    as_of        TEXT    NOT NULL,  -- YYYY-MM-DD: the date the snapshot measures
    recorded_at  TEXT    NOT NULL,  -- wall clock, RFC 3339 UTC
    window_days  INTEGER NOT NULL,
    tool_version TEXT    NOT NULL
);
CREATE INDEX snapshots_by_as_of ON snapshots (as_of, id);

CREATE TABLE shadow_metrics (
    snapshot_id       INTEGER NOT NULL REFERENCES snapshots (id),
    shadow            TEXT    NOT NULL,
    entity            TEXT    NOT NULL,
    owner             TEXT,
    path              TEXT    NOT NULL,
    system_path       TEXT    NOT NULL,
    row_count         INTEGER NOT NULL,
    key_count         INTEGER NOT NULL,
    in_system         INTEGER NOT NULL,
    shadow_only       INTEGER NOT NULL,
    divergent         INTEGER NOT NULL,
    changed           INTEGER NOT NULL,
    window_system     INTEGER NOT NULL,  -- the rate's numerator
    window_keys       INTEGER NOT NULL,  -- the rate's denominator
    rate              REAL    NOT NULL,
    open_errors       INTEGER NOT NULL,
    sheet_fingerprint TEXT    NOT NULL,
    PRIMARY KEY (snapshot_id, shadow)
);
CREATE INDEX shadow_metrics_by_shadow ON shadow_metrics (shadow, snapshot_id);

CREATE TABLE row_fingerprints (
    snapshot_id INTEGER NOT NULL,
    shadow      TEXT    NOT NULL,
    entity_key  TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    row_count   INTEGER NOT NULL,  -- rows with this key and fingerprint
    PRIMARY KEY (snapshot_id, shadow, entity_key, fingerprint),
    FOREIGN KEY (snapshot_id, shadow) REFERENCES shadow_metrics (snapshot_id, shadow)
) WITHOUT ROWID;

CREATE TABLE divergent_fields (
    snapshot_id INTEGER NOT NULL,
    shadow      TEXT    NOT NULL,
    entity_key  TEXT    NOT NULL,
    field       TEXT    NOT NULL,
    PRIMARY KEY (snapshot_id, shadow, entity_key, field),
    FOREIGN KEY (snapshot_id, shadow) REFERENCES shadow_metrics (snapshot_id, shadow)
) WITHOUT ROWID;

CREATE TABLE decisions (
    id                INTEGER PRIMARY KEY,
    shadow            TEXT    NOT NULL,
    decided_at        TEXT    NOT NULL,  -- the as-of date of the decision
    decided_by        TEXT    NOT NULL,
    reason            TEXT    NOT NULL,
    sheet_fingerprint TEXT    NOT NULL,
    snapshot_id       INTEGER NOT NULL,  -- the snapshot the criteria were judged on
    recorded_at       TEXT    NOT NULL,
    FOREIGN KEY (snapshot_id, shadow) REFERENCES shadow_metrics (snapshot_id, shadow)
);
CREATE INDEX decisions_by_shadow ON decisions (shadow, id);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    as_of       TEXT,
    kind        TEXT NOT NULL,
    shadow      TEXT,
    detail      TEXT NOT NULL
);
";

/// Reads what the file is before anything writes to it: a file that is not
/// SQLite, another application's database, or a ledger from a newer offsheet
/// is refused here, untouched.
pub fn inspect(conn: &Connection, path: &Path) -> Result<(), LedgerError> {
    let sql = |action| move |e| LedgerError::sql(path, action, e);
    // One read transaction, so a migration committed by another run between
    // two of these reads cannot make a fresh ledger look foreign.
    let conn = conn
        .unchecked_transaction()
        .map_err(sql("reading the file header"))?;
    let found = user_version(&conn).map_err(sql("reading the schema version"))?;
    if found == 0 {
        return refuse_foreign(&conn, path);
    }
    let app = application_id(&conn).map_err(sql("reading the application id"))?;
    if app != APPLICATION_ID {
        return Err(LedgerError::Foreign {
            path: path.display().to_string(),
        });
    }
    let known = current_version();
    if found > known {
        return Err(newer(path, found, known));
    }
    Ok(())
}

/// Brings the ledger up to `current_version()`, in one transaction that holds
/// the write lock, so two runs opening a fresh file at once migrate it once.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<(), LedgerError> {
    let sql = |action| move |e| LedgerError::sql(path, action, e);
    let known = current_version();
    if user_version(conn).map_err(sql("reading the schema version"))? == known {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql("starting the migration"))?;
    // Another run may have migrated while this one waited for the lock.
    let found = user_version(&tx).map_err(sql("reading the schema version"))?;
    if found > known {
        return Err(newer(path, found, known));
    }
    if found == known {
        return Ok(());
    }
    if found == 0 {
        refuse_foreign(&tx, path)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(sql("marking the file as a ledger"))?;
    }
    for (i, step) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(step)
            .map_err(sql("migrating the schema"))?;
        tx.pragma_update(None, "user_version", i as i64 + 1)
            .map_err(sql("migrating the schema"))?;
    }
    tx.execute(
        "INSERT INTO events (recorded_at, as_of, kind, shadow, detail) VALUES (?1, NULL, 'migrated', NULL, ?2)",
        (super::now_text(), format!("schema version {found} → {known}")),
    )
    .map_err(sql("migrating the schema"))?;
    tx.commit().map_err(sql("committing the migration"))
}

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

fn application_id(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "application_id", |r| r.get(0))
}

fn newer(path: &Path, found: i64, known: i64) -> LedgerError {
    LedgerError::NewerVersion {
        path: path.display().to_string(),
        found,
        known,
    }
}

/// A version-0 file that already holds tables, or carries another
/// application's id, belongs to someone else.
fn refuse_foreign(conn: &Connection, path: &Path) -> Result<(), LedgerError> {
    let sql = |action| move |e| LedgerError::sql(path, action, e);
    let app = application_id(conn).map_err(sql("reading the application id"))?;
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )
        .map_err(sql("listing tables"))?;
    if (app != 0 && app != APPLICATION_ID) || tables > 0 {
        return Err(LedgerError::Foreign {
            path: path.display().to_string(),
        });
    }
    Ok(())
}
