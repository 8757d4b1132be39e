//! Mapping: which canonical table each sheet region feeds and which field each
//! column holds, decided from header names and the values themselves.

pub mod automap;
pub mod headers;
pub mod parse;
pub mod plan;
pub mod profile;
pub mod region;
mod synonyms;
