//! Readers for official sanctions lists.
//!
//! Every reader turns one published file (or, for OFAC's CSV set, one folder of files) into
//! [`interdict_model::Entity`] values, streaming where the format allows. Files may be
//! compressed (`.gz`, `.bz2`, or a `.zip` holding one list); [`input::open`] unpacks them
//! transparently and [`detect::detect`] recognises the format from the content, not the name.
//!
//! Errors name the file and, where it applies, the line, byte offset and field.

pub mod detect;
pub mod error;
pub mod input;

pub mod eu;
pub mod ftm;
pub mod ofac_advanced;
pub mod ofac_csv;
pub mod ofac_remarks;
pub mod ofac_xml;
pub mod simple_csv;
pub mod uk;
pub mod un;

use interdict_model::Entity;
use serde::Serialize;
use std::path::Path;

pub use detect::Format;
pub use error::ListError;

/// What a reader learnt about the file besides its entities.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ListInfo {
    /// Dataset name of the source list (e.g. `us_ofac_sdn`, `un_sc_sanctions`).
    pub dataset: String,
    /// Publication date the file states about itself, ISO 8601, when it does.
    pub issued: Option<String>,
    /// Records read from the file before grouping (e.g. the UK ConList's name rows).
    pub records: usize,
    /// Entities emitted.
    pub entities: usize,
}

/// The callback that receives each entity as soon as it is complete. Returning an error stops
/// the reader and passes the error on.
pub type Sink<'a> = dyn FnMut(Entity) -> Result<(), ListError> + 'a;

/// Reads a list file or folder, detecting the format unless `format` is given.
pub fn read_path(
    path: &Path,
    format: Option<Format>,
    sink: &mut Sink<'_>,
) -> Result<(Format, ListInfo), ListError> {
    let format = match format {
        Some(f) => f,
        None => detect::detect(path)?,
    };
    let info = match format {
        Format::OfacCsv => ofac_csv::read(path, sink)?,
        Format::OfacXml => ofac_xml::read(path, sink)?,
        Format::OfacAdvanced => ofac_advanced::read(path, sink)?,
        Format::UnXml => un::read(path, sink)?,
        Format::EuXml => eu::read(path, sink)?,
        Format::UkConlistCsv => uk::read_conlist_csv(path, sink)?,
        Format::UkConlistXlsx => uk::read_conlist_xlsx(path, sink)?,
        Format::UkSanctionsListCsv => uk::read_sanctions_list_csv(path, sink)?,
        Format::UkSanctionsListXml => uk::read_sanctions_list_xml(path, sink)?,
        Format::Ftm => ftm::read(path, sink)?,
        Format::SimpleCsv => simple_csv::read(path, sink)?,
    };
    Ok((format, info))
}

/// Reads a whole list into memory.
pub fn load(
    path: &Path,
    format: Option<Format>,
) -> Result<(Format, ListInfo, Vec<Entity>), ListError> {
    let mut out = Vec::new();
    let (format, info) = read_path(path, format, &mut |e| {
        out.push(e);
        Ok(())
    })?;
    Ok((format, info, out))
}
