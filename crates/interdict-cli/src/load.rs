//! Loading the lists a command screens against.

use std::path::PathBuf;

use anyhow::{Context, Result};
use interdict_engine::Index;
use interdict_model::Entity;

/// Reads every list given (format detected from content); with none, the bundled sample.
/// Returns the entities and a one-line description of what was loaded.
pub fn load_lists(paths: &[PathBuf]) -> Result<(Vec<Entity>, String)> {
    if paths.is_empty() {
        let e = crate::sample::sample_entities();
        let d = format!("bundled sample list ({} entities)", e.len());
        return Ok((e, d));
    }
    let mut all = Vec::new();
    let mut parts = Vec::new();
    for p in paths {
        let (format, info, entities) = interdict_lists::load(p, None)
            .with_context(|| format!("loading list {}", p.display()))?;
        parts.push(format!(
            "{} ({format}, {} entities)",
            p.display(),
            entities.len()
        ));
        let _ = info;
        all.extend(entities);
    }
    Ok((all, parts.join(", ")))
}

/// Loads lists and builds the index.
pub fn load_index(paths: &[PathBuf]) -> Result<(Index, String)> {
    let (entities, desc) = load_lists(paths)?;
    Ok((Index::build(entities), desc))
}
