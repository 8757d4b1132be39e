//! Why a file could not be read: one diagnostic per file, naming the file and the
//! reason, so that a scan reports it and goes on with the other files.

use miette::Diagnostic;
use thiserror::Error;

#[derive(Debug, Clone, Error, Diagnostic)]
pub enum ReadError {
    #[error("{file}: cannot read the file: {reason}")]
    #[diagnostic(
        code(offsheet::read::io),
        help("check that the file exists and is readable")
    )]
    Io { file: String, reason: String },

    #[error("{file}: the workbook is password-protected (encrypted)")]
    #[diagnostic(
        code(offsheet::read::encrypted),
        help(
            "save an unprotected copy (File › Info › Protect Workbook › Encrypt with Password, clear it) and scan that"
        )
    )]
    Encrypted { file: String },

    #[error("{file}: the file is empty")]
    #[diagnostic(code(offsheet::read::empty))]
    Empty { file: String },

    #[error("{file}: cannot read it as {expected}: {reason}")]
    #[diagnostic(
        code(offsheet::read::corrupt),
        help("open it in a spreadsheet program and save it again, or export it as CSV")
    )]
    Corrupt {
        file: String,
        expected: &'static str,
        reason: String,
    },

    #[error("{file}: {format}, which offsheet cannot read")]
    #[diagnostic(
        code(offsheet::read::old_format),
        help(
            "open it in Excel or LibreOffice and save it as .xlsx (or export each sheet as CSV), then read that"
        )
    )]
    OldFormat { file: String, format: &'static str },

    #[error("{file}: not a spreadsheet or delimited text file ({reason})")]
    #[diagnostic(code(offsheet::read::not_a_spreadsheet))]
    NotASpreadsheet { file: String, reason: String },

    #[error("{file}: refused: {reason}")]
    #[diagnostic(
        code(offsheet::read::too_large),
        help(
            "offsheet bounds the memory one file may take; split the file or export the sheet as CSV"
        )
    )]
    TooLarge { file: String, reason: String },

    #[error("{file}: unknown encoding {label:?}")]
    #[diagnostic(
        code(offsheet::read::encoding),
        help("use a WHATWG encoding label such as utf-8, utf-16le, windows-1252 or iso-8859-1")
    )]
    UnknownEncoding { file: String, label: String },

    #[error("{file}: the reader failed on this file: {reason}")]
    #[diagnostic(
        code(offsheet::read::internal),
        help(
            "this is a bug in offsheet or calamine; the other files were read. Please report it with the file if you can share it"
        )
    )]
    Internal { file: String, reason: String },
}

impl ReadError {
    pub fn file(&self) -> &str {
        match self {
            ReadError::Io { file, .. }
            | ReadError::Encrypted { file }
            | ReadError::Empty { file }
            | ReadError::Corrupt { file, .. }
            | ReadError::OldFormat { file, .. }
            | ReadError::NotASpreadsheet { file, .. }
            | ReadError::TooLarge { file, .. }
            | ReadError::UnknownEncoding { file, .. }
            | ReadError::Internal { file, .. } => file,
        }
    }

    /// A short machine-readable reason, used in JSON output.
    pub fn kind(&self) -> &'static str {
        match self {
            ReadError::Io { .. } => "io",
            ReadError::Encrypted { .. } => "encrypted",
            ReadError::Empty { .. } => "empty",
            ReadError::Corrupt { .. } => "corrupt",
            ReadError::OldFormat { .. } => "old_format",
            ReadError::NotASpreadsheet { .. } => "not_a_spreadsheet",
            ReadError::TooLarge { .. } => "too_large",
            ReadError::UnknownEncoding { .. } => "unknown_encoding",
            ReadError::Internal { .. } => "internal",
        }
    }
}
