//! One file per subcommand: its arguments (their doc comments are the help) and a
//! `run` that turns them into options and calls the library.

pub mod adoption;
pub mod audit;
pub mod decommission;
pub mod ingest;
pub mod init;
pub mod report;
pub mod rules;
pub mod scan;
