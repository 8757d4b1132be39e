//! Why the ledger could not be used: one typed error per cause, each naming the
//! ledger file, so a command can say what is wrong and what to do about it.

use std::path::Path;

use miette::Diagnostic;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum LedgerError {
    #[error("{path}: cannot open the ledger: {reason}")]
    #[diagnostic(
        code(offsheet::ledger::open),
        help("check that the folder exists and that this user may write to it")
    )]
    Open { path: String, reason: String },

    #[error("{path}: no ledger here yet")]
    #[diagnostic(
        code(offsheet::ledger::missing),
        help("run `offsheet adoption record` to take the first snapshot")
    )]
    Missing { path: String },

    #[error("{path}: not an SQLite database, so not an offsheet ledger")]
    #[diagnostic(
        code(offsheet::ledger::not_a_database),
        help(
            "the path holds some other file; point offsheet at its ledger (default .offsheet/ledger.sqlite) or move the file away"
        )
    )]
    NotADatabase { path: String },

    #[error("{path}: an SQLite database of another application, not an offsheet ledger")]
    #[diagnostic(
        code(offsheet::ledger::foreign),
        help("offsheet only writes to a ledger it created; give it another path")
    )]
    Foreign { path: String },

    #[error("{path}: the ledger is corrupt: {reason}")]
    #[diagnostic(
        code(offsheet::ledger::corrupt),
        help(
            "restore the ledger from a backup or version control; `offsheet adoption export` of a healthy copy keeps the history readable"
        )
    )]
    Corrupt { path: String, reason: String },

    #[error(
        "{path}: the ledger has schema version {found}, newer than this offsheet knows ({known})"
    )]
    #[diagnostic(
        code(offsheet::ledger::newer_version),
        help("upgrade offsheet; it never downgrades a ledger written by a newer version")
    )]
    NewerVersion {
        path: String,
        found: i64,
        known: i64,
    },

    #[error("{path}: the ledger stayed locked by another run for more than 5 seconds")]
    #[diagnostic(
        code(offsheet::ledger::busy),
        help("another offsheet process is writing to it; try again when it has finished")
    )]
    Busy { path: String },

    #[error("{path}: two shadow sheets are named {name:?} in one snapshot")]
    #[diagnostic(
        code(offsheet::ledger::duplicate_shadow),
        help(
            "each [[shadow]] in offsheet.toml needs its own name: the ledger tracks sheets by name"
        )
    )]
    DuplicateShadow { path: String, name: String },

    #[error("{path}: the ledger failed while {action}: {reason}")]
    #[diagnostic(
        code(offsheet::ledger::query),
        help(
            "this is a bug in offsheet unless the disk is full or the file was removed; please report it"
        )
    )]
    Query {
        path: String,
        action: &'static str,
        reason: String,
    },
}

impl LedgerError {
    /// Classifies an SQLite error met while doing `action` on the ledger at `path`.
    pub(crate) fn sql(path: &Path, action: &'static str, e: rusqlite::Error) -> LedgerError {
        use rusqlite::ErrorCode;
        let path = path.display().to_string();
        if matches!(
            e,
            rusqlite::Error::FromSqlConversionFailure(..)
                | rusqlite::Error::InvalidColumnType(..)
                | rusqlite::Error::IntegralValueOutOfRange(..)
        ) {
            return LedgerError::Corrupt {
                path,
                reason: format!("while {action}: {e}"),
            };
        }
        match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => LedgerError::NotADatabase { path },
            Some(ErrorCode::DatabaseCorrupt) => LedgerError::Corrupt {
                path,
                reason: e.to_string(),
            },
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => LedgerError::Busy { path },
            Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied | ErrorCode::ReadOnly) => {
                LedgerError::Open {
                    path,
                    reason: e.to_string(),
                }
            }
            _ => LedgerError::Query {
                path,
                action,
                reason: e.to_string(),
            },
        }
    }
}
