//! The canonical tables every source is mapped onto, and their schemas.

pub mod build;
pub mod canonical;
pub mod cells;
mod feed_findings;
mod frame;
pub mod kept;
pub mod schema;
pub mod slots;
pub mod texts;
mod values;

pub use schema::{Entity, Field, FieldType};
