//! CLI tests: each runs the real `offsheet` binary in its own temporary folder
//! with a cleared environment, and checks what a user would check: the exit
//! code, the lines, the JSON, the cells.

mod support;
mod workbooks;

mod adoption;
mod audit;
mod corpus;
mod ingest;
mod init;
mod report;
mod rules;
mod scan;
