//! The canonical tables every source is mapped onto, and their schemas.

pub mod build;
pub mod canonical;
pub mod cells;
pub mod schema;
mod values;

pub use schema::{Entity, Field, FieldType};
