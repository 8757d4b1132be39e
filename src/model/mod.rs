//! The canonical tables every source is mapped onto, and their schemas.

pub mod canonical;
pub mod schema;

pub use schema::{Entity, Field, FieldType};
