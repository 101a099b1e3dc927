//! Loading the lists a command screens against.

use std::path::PathBuf;

use anyhow::{Context, Result};
use interdict_engine::Index;
use interdict_model::Entity;

/// Reads every list given (format detected from content); with none, the bundled sample.
/// A folder is either one list (an OFAC CSV set) or a folder of list files, such as the one
/// `interdict lists update` keeps: then every file in it is read, except the update's
/// manifests and temporary files. Returns the entities and a one-line description.
pub fn load_lists(paths: &[PathBuf]) -> Result<(Vec<Entity>, String)> {
    if paths.is_empty() {
        let e = crate::sample::sample_entities();
        let d = format!("bundled sample list ({} entities)", e.len());
        return Ok((e, d));
    }
    let mut all = Vec::new();
    let mut parts = Vec::new();
    for p in expand(paths)? {
        let (format, _info, entities) = interdict_lists::load(&p, None)
            .with_context(|| format!("loading list {}", p.display()))?;
        parts.push(format!(
            "{} ({format}, {} entities)",
            p.display(),
            entities.len()
        ));
        all.extend(entities);
    }
    Ok((all, parts.join(", ")))
}

/// Replaces each folder of list files by the files in it (sorted by name).
fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if !p.is_dir() || interdict_lists::detect::detect(p).is_ok() {
            out.push(p.clone());
            continue;
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(p)
            .with_context(|| format!("reading folder {}", p.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|f| f.is_file())
            .filter(|f| {
                let name = f
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                !(name.starts_with('.')
                    || name.ends_with(".manifest.json")
                    || name.ends_with(".part"))
            })
            .collect();
        if files.is_empty() {
            anyhow::bail!("{}: the folder holds no list file", p.display());
        }
        files.sort();
        out.extend(files);
    }
    Ok(out)
}

/// Loads lists and builds the index.
pub fn load_index(paths: &[PathBuf]) -> Result<(Index, String)> {
    let (entities, desc) = load_lists(paths)?;
    Ok((Index::build(entities), desc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_of_lists() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.csv"), "id,name\nx1,Alpha Person\n").unwrap();
        std::fs::write(
            dir.path().join("b.csv"),
            "id,name\ny1,Beta Company\ny2,Gamma\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("a.manifest.json"), "{}").unwrap();
        let (entities, desc) = load_lists(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(entities.len(), 3, "{desc}");
        let empty = tempfile::tempdir().unwrap();
        let err = load_lists(&[empty.path().to_path_buf()]).unwrap_err();
        assert!(err.to_string().contains("no list file"), "{err}");
    }
}
