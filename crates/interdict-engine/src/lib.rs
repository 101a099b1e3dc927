//! Interdict's matching engine.
//!
//! The engine knows nothing of files, HTTP or SQL: it takes [`interdict_model::Entity`] values,
//! builds an [`Index`] once per list version, and screens [`Query`] values against it,
//! returning scored [`Match`]es that each carry an [`Explanation`].
//!
//! Where to look for "why did X match Y?":
//! - [`text`]: how a name becomes tokens (cleaning, romanisation, legal forms, phonetics);
//! - [`score`]: how two names are aligned token by token and how evidence (birth date,
//!   country, gender, identifiers) moves the score; each feature is one small function;
//! - [`index`]: how candidates are found without scanning every entity.

pub mod index;
pub mod query;
pub mod score;
pub mod text;

pub use index::{Index, IndexStats, ScreenOptions};
pub use query::Query;
pub use score::{Explanation, Feature, Match, NameExplanation, TokenPair, DEFAULT_THRESHOLD};
