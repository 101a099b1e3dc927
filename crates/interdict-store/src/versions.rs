//! Stored list versions, their deltas, and screening "as of" a past date.
//!
//! Each import of a list becomes a version: dataset, issue date, a content hash over its
//! entities, counts and import time. Entities are stored as the model's JSON, deduplicated by
//! a per-entity content hash (`entity_blobs`), so a version that changes 23 entities adds 23
//! blobs, and two versions compare by hash without reading any JSON.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use interdict_engine::Index;
use interdict_model::Entity;
use serde::Serialize;
use serde_json::{json, Value};

use crate::db::{Tx, Val};
use crate::util::{now_rfc3339, sha256_hex};
use crate::{audit, Result, Store, StoreError};

/// A stored list version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListVersion {
    pub id: i64,
    pub dataset: String,
    pub format: String,
    pub source: String,
    pub issued: Option<String>,
    pub content_hash: String,
    pub records: i64,
    pub entities: i64,
    pub imported_at: String,
}

impl ListVersion {
    /// The date the version took effect: its issue date, else the day it was imported.
    pub fn effective_date(&self) -> &str {
        self.issued
            .as_deref()
            .unwrap_or_else(|| self.imported_at.get(..10).unwrap_or(&self.imported_at))
    }
}

/// What one import did.
#[derive(Clone, Debug, Serialize)]
pub struct ImportOutcome {
    pub version: ListVersion,
    /// False when the content equals the dataset's latest version (nothing stored).
    pub created: bool,
    /// The dataset's previous version, if any.
    pub previous: Option<i64>,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

/// Details of how a list import should be recorded.
#[derive(Clone, Debug, Default)]
pub struct ImportMeta {
    pub dataset: String,
    pub format: String,
    pub source: String,
    /// Publication date (ISO 8601); the file's own when it states one.
    pub issued: Option<String>,
    pub records: usize,
}

/// An entity whose content differs between two versions, with the top-level fields that differ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChangedEntity {
    pub id: String,
    pub fields: Vec<String>,
}

/// Differences between two versions of a list (ids sorted).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ListDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
    pub details: Vec<ChangedEntity>,
}

/// The content hash of one entity: SHA-256 of its model JSON.
pub fn entity_hash(e: &Entity) -> Result<String> {
    Ok(sha256_hex(serde_json::to_string(e)?.as_bytes()))
}

/// The content hash of a whole version: SHA-256 over its sorted `id hash` lines, so it does
/// not depend on the order the file lists entities in.
fn version_hash(hashes: &HashMap<String, String>) -> String {
    let mut ids: Vec<&String> = hashes.keys().collect();
    ids.sort();
    let mut buf = String::with_capacity(ids.len() * 80);
    for id in ids {
        buf.push_str(id);
        buf.push(' ');
        buf.push_str(&hashes[id]);
        buf.push('\n');
    }
    sha256_hex(buf.as_bytes())
}

fn changed_fields(old: &Entity, new: &Entity) -> Result<Vec<String>> {
    let (a, b) = (serde_json::to_value(old)?, serde_json::to_value(new)?);
    let empty = serde_json::Map::new();
    let (a, b) = (
        a.as_object().unwrap_or(&empty),
        b.as_object().unwrap_or(&empty),
    );
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    Ok(keys
        .into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect())
}

/// Compares two parsed lists by entity id.
pub fn diff_entities(old: &[Entity], new: &[Entity]) -> Result<ListDiff> {
    let old_by: HashMap<&str, &Entity> = old.iter().map(|e| (e.id.as_str(), e)).collect();
    let new_by: HashMap<&str, &Entity> = new.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut d = ListDiff::default();
    for (id, e) in &new_by {
        match old_by.get(id) {
            None => d.added.push(id.to_string()),
            Some(o) if o != e => {
                d.changed.push(id.to_string());
                d.details.push(ChangedEntity {
                    id: id.to_string(),
                    fields: changed_fields(o, e)?,
                });
            }
            Some(_) => {}
        }
    }
    d.removed = old_by
        .keys()
        .filter(|id| !new_by.contains_key(*id))
        .map(|s| s.to_string())
        .collect();
    d.added.sort();
    d.removed.sort();
    d.changed.sort();
    d.details.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(d)
}

/// Inserts `rows` (each `cols` values) with multi-row VALUES statements of `batch` rows.
pub(crate) fn insert_many(
    tx: &mut Tx<'_>,
    head: &str,
    tail: &str,
    cols: usize,
    rows: &[Vec<Val>],
    batch: usize,
) -> Result<()> {
    for chunk in rows.chunks(batch.max(1)) {
        let mut sql = String::with_capacity(head.len() + chunk.len() * cols * 5 + tail.len());
        sql.push_str(head);
        sql.push_str(" VALUES ");
        let mut params = Vec::with_capacity(chunk.len() * cols);
        for (ri, row) in chunk.iter().enumerate() {
            if ri > 0 {
                sql.push(',');
            }
            sql.push('(');
            for ci in 0..cols {
                if ci > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!("${}", ri * cols + ci + 1));
            }
            sql.push(')');
            params.extend(row.iter().cloned());
        }
        sql.push(' ');
        sql.push_str(tail);
        tx.exec(&sql, &params)?;
    }
    Ok(())
}

const VERSION_COLS: &str =
    "id, dataset, format, source, issued, content_hash, records, entity_count, imported_at";

fn version_from(r: &crate::db::Row) -> Result<ListVersion> {
    Ok(ListVersion {
        id: r.int(0)?,
        dataset: r.text(1)?,
        format: r.text(2)?,
        source: r.text(3)?,
        issued: r.opt_text(4)?,
        content_hash: r.text(5)?,
        records: r.int(6)?,
        entities: r.int(7)?,
        imported_at: r.text(8)?,
    })
}

pub(crate) fn latest_version_of(tx: &mut Tx<'_>, dataset: &str) -> Result<Option<ListVersion>> {
    tx.query_opt(
        &format!(
            "SELECT {VERSION_COLS} FROM list_versions WHERE dataset = $1 AND complete = 1
             ORDER BY id DESC LIMIT 1"
        ),
        &[dataset.into()],
    )?
    .map(|r| version_from(&r))
    .transpose()
}

/// Entity id → content hash for one version.
pub(crate) fn hashes_of(tx: &mut Tx<'_>, version: i64) -> Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    tx.query_each(
        "SELECT entity_id, content_hash FROM version_entities WHERE version_id = $1",
        &[version.into()],
        |r| {
            out.insert(r.text(0)?, r.text(1)?);
            Ok(())
        },
    )?;
    Ok(out)
}

/// Loads entities (with their hashes) of a version, optionally only those with the given ids.
pub(crate) fn entities_of(
    tx: &mut Tx<'_>,
    version: i64,
    only: Option<&HashSet<String>>,
) -> Result<Vec<(Entity, String)>> {
    let mut out = Vec::new();
    tx.query_each(
        "SELECT v.entity_id, v.content_hash, b.data FROM version_entities v
         JOIN entity_blobs b ON b.content_hash = v.content_hash
         WHERE v.version_id = $1 ORDER BY v.entity_id",
        &[version.into()],
        |r| {
            let id = r.text(0)?;
            if only.is_some_and(|set| !set.contains(&id)) {
                return Ok(());
            }
            let e: Entity = serde_json::from_str(&r.text(2)?)
                .map_err(|e| StoreError::Corrupt(format!("entity {id}: {e}")))?;
            out.push((e, r.text(1)?));
            Ok(())
        },
    )?;
    Ok(out)
}

impl Store {
    /// Reads a list file or folder (any supported format) and stores it as a new version.
    /// `issued` overrides the publication date (for formats that do not state one).
    pub fn import_list(
        &mut self,
        path: &Path,
        issued: Option<&str>,
        actor: &str,
    ) -> Result<ImportOutcome> {
        let (format, info, entities) = interdict_lists::load(path, None)?;
        let meta = ImportMeta {
            dataset: info.dataset,
            format: format.to_string(),
            source: path.display().to_string(),
            issued: issued.map(str::to_string).or(info.issued),
            records: info.records,
        };
        self.import_entities(&meta, entities, actor)
    }

    /// Stores parsed entities as a new version of `meta.dataset`, in one transaction: the
    /// version becomes visible (`complete = 1`) only when all its entities are written. An
    /// import identical to the dataset's latest version stores nothing.
    pub fn import_entities(
        &mut self,
        meta: &ImportMeta,
        entities: Vec<Entity>,
        actor: &str,
    ) -> Result<ImportOutcome> {
        if let Some(d) = &meta.issued {
            if d.parse::<interdict_model::PartialDate>().is_err() {
                return Err(StoreError::Invalid(format!(
                    "issue date {d:?}: expected YYYY-MM-DD"
                )));
            }
        }
        // Hash outside the transaction; the first of duplicate ids wins (as in the index).
        let mut hashes: HashMap<String, String> = HashMap::with_capacity(entities.len());
        let mut rows: Vec<(Entity, String, String)> = Vec::with_capacity(entities.len());
        for e in entities {
            if hashes.contains_key(&e.id) {
                continue;
            }
            let data = serde_json::to_string(&e)?;
            let h = sha256_hex(data.as_bytes());
            hashes.insert(e.id.clone(), h.clone());
            rows.push((e, h, data));
        }
        let content_hash = version_hash(&hashes);
        let mut tx = self.begin()?;
        let previous = latest_version_of(&mut tx, &meta.dataset)?;
        if let Some(prev) = previous.as_ref().filter(|p| p.content_hash == content_hash) {
            tx.commit()?;
            return Ok(ImportOutcome {
                previous: Some(prev.id),
                version: prev.clone(),
                created: false,
                added: 0,
                removed: 0,
                changed: 0,
            });
        }
        let prev_hashes = match &previous {
            Some(p) => hashes_of(&mut tx, p.id)?,
            None => HashMap::new(),
        };
        let now = now_rfc3339();
        let id = tx
            .query_one(
                "INSERT INTO list_versions
                 (dataset, format, source, issued, content_hash, records, entity_count,
                  imported_at, complete)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0) RETURNING id",
                &[
                    meta.dataset.as_str().into(),
                    meta.format.as_str().into(),
                    meta.source.as_str().into(),
                    meta.issued.clone().into(),
                    content_hash.as_str().into(),
                    (meta.records as i64).into(),
                    (rows.len() as i64).into(),
                    now.as_str().into(),
                ],
            )?
            .int(0)?;
        let pause_at = std::env::var("INTERDICT_TEST_PAUSE_IMPORT")
            .ok()
            .and_then(|v| v.parse::<usize>().ok());
        for (ci, chunk) in rows.chunks(200).enumerate() {
            if pause_at.is_some_and(|n| ci * 200 >= n) {
                crate::test_pause("INTERDICT_TEST_PAUSE_IMPORT", "list import");
            }
            let blobs: Vec<Vec<Val>> = chunk
                .iter()
                .map(|(_, h, d)| vec![h.into(), d.into()])
                .collect();
            insert_many(
                &mut tx,
                "INSERT INTO entity_blobs (content_hash, data)",
                "ON CONFLICT DO NOTHING",
                2,
                &blobs,
                200,
            )?;
            let links: Vec<Vec<Val>> = chunk
                .iter()
                .map(|(e, h, _)| vec![id.into(), e.id.as_str().into(), h.into()])
                .collect();
            insert_many(
                &mut tx,
                "INSERT INTO version_entities (version_id, entity_id, content_hash)",
                "",
                3,
                &links,
                200,
            )?;
        }
        let added = hashes
            .keys()
            .filter(|k| !prev_hashes.contains_key(*k))
            .count();
        let removed = prev_hashes
            .keys()
            .filter(|k| !hashes.contains_key(*k))
            .count();
        let changed = hashes
            .iter()
            .filter(|(k, h)| prev_hashes.get(*k).is_some_and(|p| p != *h))
            .count();
        tx.exec(
            "UPDATE list_versions SET complete = 1 WHERE id = $1",
            &[id.into()],
        )?;
        audit::append(
            &mut tx,
            "list_import",
            actor,
            &json!({
                "version_id": id, "dataset": meta.dataset, "format": meta.format,
                "source": meta.source, "issued": meta.issued, "content_hash": content_hash,
                "entities": rows.len(), "previous_version": previous.as_ref().map(|p| p.id),
                "added": added, "removed": removed, "changed": changed,
            }),
        )?;
        tx.commit()?;
        let version = self.version(id)?;
        Ok(ImportOutcome {
            version,
            created: true,
            previous: previous.map(|p| p.id),
            added,
            removed,
            changed,
        })
    }

    /// All complete versions, oldest first.
    pub fn list_versions(&mut self) -> Result<Vec<ListVersion>> {
        let mut tx = self.begin()?;
        let rows = tx.query(
            &format!("SELECT {VERSION_COLS} FROM list_versions WHERE complete = 1 ORDER BY id"),
            &[],
        )?;
        tx.commit()?;
        rows.iter().map(version_from).collect()
    }

    pub fn version(&mut self, id: i64) -> Result<ListVersion> {
        let mut tx = self.begin()?;
        let r = tx.query_opt(
            &format!("SELECT {VERSION_COLS} FROM list_versions WHERE id = $1 AND complete = 1"),
            &[id.into()],
        )?;
        tx.commit()?;
        r.map(|r| version_from(&r))
            .transpose()?
            .ok_or_else(|| StoreError::NotFound(format!("list version {id}")))
    }

    /// The entities of a stored version.
    pub fn version_entities(&mut self, id: i64) -> Result<Vec<Entity>> {
        self.version(id)?;
        let mut tx = self.begin()?;
        let out = entities_of(&mut tx, id, None)?;
        tx.commit()?;
        Ok(out.into_iter().map(|(e, _)| e).collect())
    }

    /// Differences between two stored versions (normally of the same dataset).
    pub fn diff_versions(&mut self, old: i64, new: i64) -> Result<ListDiff> {
        self.version(old)?;
        self.version(new)?;
        let mut tx = self.begin()?;
        let (a, b) = (hashes_of(&mut tx, old)?, hashes_of(&mut tx, new)?);
        let changed: HashSet<String> = b
            .iter()
            .filter(|(k, h)| a.get(*k).is_some_and(|x| x != *h))
            .map(|(k, _)| k.clone())
            .collect();
        let old_e: HashMap<String, Entity> = entities_of(&mut tx, old, Some(&changed))?
            .into_iter()
            .map(|(e, _)| (e.id.clone(), e))
            .collect();
        let new_e = entities_of(&mut tx, new, Some(&changed))?;
        tx.commit()?;
        let mut d = ListDiff {
            added: b.keys().filter(|k| !a.contains_key(*k)).cloned().collect(),
            removed: a.keys().filter(|k| !b.contains_key(*k)).cloned().collect(),
            changed: changed.iter().cloned().collect(),
            details: Vec::new(),
        };
        for (e, _) in &new_e {
            if let Some(o) = old_e.get(&e.id) {
                d.details.push(ChangedEntity {
                    id: e.id.clone(),
                    fields: changed_fields(o, e)?,
                });
            }
        }
        d.added.sort();
        d.removed.sort();
        d.changed.sort();
        d.details.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(d)
    }

    /// The latest complete version of every dataset.
    pub fn current_versions(&mut self) -> Result<Vec<ListVersion>> {
        Ok(latest_per_dataset(self.list_versions()?, None))
    }

    /// For every dataset, the version in force on `date` (YYYY-MM-DD): the latest version whose
    /// issue date (else import date) is on or before it.
    pub fn versions_as_of(&mut self, date: &str) -> Result<Vec<ListVersion>> {
        let d = date
            .parse::<interdict_model::PartialDate>()
            .map_err(|_| StoreError::Invalid(format!("date {date:?}: expected YYYY-MM-DD")))?;
        Ok(latest_per_dataset(self.list_versions()?, Some(&d.to_iso())))
    }

    /// An index over the lists in force on `date`, and the versions it was built from.
    pub fn index_as_of(&mut self, date: &str) -> Result<(Index, Vec<ListVersion>)> {
        let versions = self.versions_as_of(date)?;
        let mut all = Vec::new();
        for v in &versions {
            all.extend(self.version_entities(v.id)?);
        }
        Ok((Index::build(all), versions))
    }
}

fn latest_per_dataset(all: Vec<ListVersion>, date: Option<&str>) -> Vec<ListVersion> {
    let mut by: HashMap<String, ListVersion> = HashMap::new();
    for v in all {
        if date.is_some_and(|d| v.effective_date() > d) {
            continue;
        }
        let replace = by
            .get(&v.dataset)
            .is_none_or(|cur| (v.effective_date(), v.id) > (cur.effective_date(), cur.id));
        if replace {
            by.insert(v.dataset.clone(), v);
        }
    }
    let mut out: Vec<ListVersion> = by.into_values().collect();
    out.sort_by(|a, b| a.dataset.cmp(&b.dataset));
    out
}

/// The JSON the CLI prints for a diff: `{"added": [...], "removed": [...], "changed": [...],
/// "details": [...]}`.
pub fn diff_json(d: &ListDiff) -> Value {
    json!({"added": d.added, "removed": d.removed, "changed": d.changed, "details": d.details})
}
