//! What the native and yente routes share: turning request objects into engine queries,
//! dataset filters, and running a batch off the async workers.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use interdict_engine::{Match, Query, ScreenOptions};
use interdict_model::ftm::to_ftm;
use interdict_model::Entity;
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::state::Loaded;

/// Builds an engine query from an FtM-style object, enforcing the name-length limit.
pub fn parse_query(
    label: &str,
    schema: &str,
    props: &Map<String, Value>,
    max_name_chars: usize,
) -> Result<Query, ApiError> {
    for (key, value) in props {
        let values: Vec<&Value> = match value {
            Value::Array(a) => a.iter().collect(),
            v => vec![v],
        };
        for v in values {
            match v {
                Value::String(s) if s.chars().count() > max_name_chars => {
                    return Err(ApiError::bad_request(
                        "name_too_long",
                        format!(
                            "{label}: property {key:?} has a value longer than {max_name_chars} characters"
                        ),
                    ))
                }
                Value::String(_) | Value::Null => {}
                _ => {
                    return Err(ApiError::unprocessable(
                        "invalid_type",
                        format!("{label}: property {key:?} must be a string or a list of strings"),
                    ))
                }
            }
        }
    }
    Query::from_ftm(schema, props)
        .map_err(|e| ApiError::bad_request("invalid_query", format!("{label}: {e}")))
}

/// Which entities a request may see.
#[derive(Default, Debug)]
pub struct Filter {
    /// `None`: every dataset.
    pub datasets: Option<HashSet<String>>,
    pub exclude_datasets: HashSet<String>,
    pub exclude_schemas: HashSet<String>,
    pub exclude_ids: HashSet<String>,
}

impl Filter {
    pub fn admits(&self, e: &Entity) -> bool {
        if let Some(d) = &self.datasets {
            if !d.contains(&e.source) {
                return false;
            }
        }
        !(self.exclude_datasets.contains(&e.source)
            || self.exclude_schemas.contains(e.schema.as_str())
            || self.exclude_ids.contains(&e.id))
    }

    pub fn is_open(&self) -> bool {
        self.datasets.is_none()
            && self.exclude_datasets.is_empty()
            && self.exclude_schemas.is_empty()
            && self.exclude_ids.is_empty()
    }

    /// Scope from a path dataset (`default`: all) plus extra `include_dataset` values.
    pub fn for_datasets(
        loaded: &Loaded,
        path_dataset: &str,
        include: &[&str],
        exclude: &[&str],
    ) -> Result<Filter, ApiError> {
        let known = |d: &str| d == "default" || loaded.datasets.contains(d);
        if !known(path_dataset) {
            return Err(ApiError::not_found(
                "unknown_dataset",
                format!(
                    "no dataset {path_dataset:?}; loaded: default, {}",
                    loaded
                        .datasets
                        .iter()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        for d in include.iter().chain(exclude) {
            if !known(d) {
                return Err(ApiError::bad_request(
                    "unknown_dataset",
                    format!("no dataset {d:?}"),
                ));
            }
        }
        let named: Vec<&str> = include
            .iter()
            .copied()
            .filter(|d| *d != "default")
            .collect();
        let all = (path_dataset == "default" && named.is_empty()) || include.contains(&"default");
        let mut selected: HashSet<String> = named.iter().map(|s| s.to_string()).collect();
        if path_dataset != "default" {
            selected.insert(path_dataset.to_string());
        }
        Ok(Filter {
            datasets: if all { None } else { Some(selected) },
            exclude_datasets: exclude.iter().map(|s| s.to_string()).collect(),
            ..Filter::default()
        })
    }
}

/// Screens each query; runs on a blocking thread when the batch is more than a few queries.
pub async fn screen_batch(
    loaded: Arc<Loaded>,
    queries: Vec<Query>,
    opts: ScreenOptions,
    filter: Arc<Filter>,
) -> Result<Vec<Vec<Match>>, ApiError> {
    let inline = queries.len() <= 2;
    let run = move || {
        queries
            .iter()
            .map(|q| screen_one(&loaded, q, &opts, &filter))
            .collect::<Vec<_>>()
    };
    if inline {
        // Single queries take well under a millisecond: answering inline avoids a thread hop.
        Ok(run())
    } else {
        tokio::task::spawn_blocking(run).await.map_err(|e| {
            ApiError::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                format!("screening task failed: {e}"),
            )
        })
    }
}

/// Screens one query and applies the filter; asks the engine for more results when a filter
/// may remove some.
pub fn screen_one(loaded: &Loaded, q: &Query, opts: &ScreenOptions, filter: &Filter) -> Vec<Match> {
    if filter.is_open() {
        return loaded.index.screen(q, opts);
    }
    let wide = ScreenOptions {
        limit: opts.limit.saturating_mul(4).max(opts.limit + 50),
        ..opts.clone()
    };
    let mut out: Vec<Match> = loaded
        .index
        .screen(q, &wide)
        .into_iter()
        .filter(|m| {
            loaded
                .index
                .entity_at(m.index)
                .is_some_and(|e| filter.admits(e))
        })
        .collect();
    out.truncate(opts.limit);
    out
}

/// An entity's FtM properties as string lists (the party object from `to_ftm`).
pub fn ftm_properties(e: &Entity) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    if let Some(Value::Object(party)) = to_ftm(e).into_iter().next() {
        if let Some(Value::Object(props)) = party.get("properties") {
            for (k, v) in props {
                let values: Vec<String> = match v {
                    Value::Array(a) => a
                        .iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect(),
                    Value::String(s) => vec![s.clone()],
                    _ => Vec::new(),
                };
                out.insert(k.clone(), values);
            }
        }
    }
    out
}
