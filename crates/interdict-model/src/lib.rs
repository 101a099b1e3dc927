//! Interdict's entity model.
//!
//! The types here mirror the FollowTheMoney (FtM) schemas that sanctions data is usually
//! exchanged in — Person, Organization, Company, LegalEntity, Vessel, Airplane — but keep
//! the parts screening needs as typed fields: names by kind, partial dates, ISO country codes,
//! typed identifiers (including crypto addresses with their currency).
//!
//! The model knows nothing of files, HTTP or SQL. [`ftm`] converts to and from FtM JSON values.

pub mod country;
mod country_table;
pub mod date;
pub mod entity;
pub mod ftm;
pub mod ident;
pub mod name;
pub mod schema;

pub use date::PartialDate;
pub use entity::{Address, Entity, Gender};
pub use ident::{IdKind, Identifier};
pub use name::{Name, NameKind};
pub use schema::Schema;

/// Errors from building model values out of external data.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ModelError {
    #[error("unknown schema {0:?}")]
    UnknownSchema(String),
    #[error("invalid date {0:?}")]
    InvalidDate(String),
    #[error("FtM entity: {0}")]
    Ftm(String),
}
