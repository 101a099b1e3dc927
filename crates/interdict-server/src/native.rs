//! The native API under `/v1`, plus health, readiness and metrics.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use interdict_engine::{Explanation, IndexStats, ScreenOptions, DEFAULT_THRESHOLD};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::screening::{parse_query, screen_batch, Filter};
use crate::state::{AppState, ListMeta, Loaded, ReloadReport};
use crate::store_api::{self, Client};
use crate::yente::{ftm_entity, FtmEntity};

/// One query: an FtM-style schema and properties (`name`, `birthDate`, `nationality`, …).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueryObject {
    /// Your id for this query, echoed in the answer (default: its position).
    pub id: Option<String>,
    /// Person, Organization, Company, LegalEntity, Vessel, Airplane or Thing (default).
    pub schema: Option<String>,
    /// FtM properties; each value is a string or a list of strings.
    #[schema(value_type = Object, example = json!({"name": ["Zhao Guangzong"], "birthDate": ["1985"]}))]
    pub properties: Map<String, Value>,
}

/// One query (`schema` + `properties`) or a batch (`queries`), with options.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreenRequest {
    pub schema: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub properties: Option<Map<String, Value>>,
    pub queries: Option<Vec<QueryObject>>,
    /// Results at or above this are matches (default 0.80).
    pub threshold: Option<f64>,
    /// Results below this are not returned (default: the threshold).
    pub cutoff: Option<f64>,
    /// Results per query (default 10).
    pub limit: Option<usize>,
    /// Only these datasets (default: all loaded).
    pub datasets: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NativeMatch {
    pub entity_id: String,
    pub schema: String,
    pub caption: String,
    pub datasets: Vec<String>,
    pub score: f64,
    #[serde(rename = "match")]
    pub is_match: bool,
    /// The explanation on one line.
    pub summary: String,
    /// Which names matched and how; every piece of evidence with its effect.
    #[schema(value_type = Object)]
    pub explanation: Explanation,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueryResult {
    pub id: String,
    /// Results at or above the threshold.
    pub alerts: usize,
    pub matches: Vec<NativeMatch>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScreenResponse {
    pub results: Vec<QueryResult>,
    pub threshold: f64,
    /// Generation of the lists screened against (increases on every reload).
    pub generation: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Status {
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ListsResponse {
    pub lists: Vec<ListMeta>,
    pub datasets: Vec<String>,
    pub entities: usize,
    pub generation: u64,
    pub loaded_at: String,
    #[schema(value_type = Object)]
    pub index: IndexStats,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NativeEntity {
    #[serde(flatten)]
    pub ftm: FtmEntity,
    /// The entity as Interdict's model holds it.
    #[schema(value_type = Object)]
    pub record: Value,
}

pub(crate) fn loaded(state: &AppState) -> Result<Arc<Loaded>, ApiError> {
    state.current().ok_or_else(ApiError::not_ready)
}

fn check_score(name: &str, v: Option<f64>, default: f64) -> Result<f64, ApiError> {
    match v {
        None => Ok(default),
        Some(x) if (0.0..=1.0).contains(&x) => Ok(x),
        Some(x) => Err(ApiError::bad_request(
            "bad_parameter",
            format!("{name} {x} is outside [0, 1]"),
        )),
    }
}

/// Screen one query or a batch.
#[utoipa::path(post, path = "/v1/screen", tag = "native", request_body = ScreenRequest,
    responses(
        (status = 200, body = ScreenResponse),
        (status = 400, description = "malformed JSON, invalid query, batch too large, name too long", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, description = "body too large", body = ErrorBody),
        (status = 422, description = "wrong JSON types", body = ErrorBody),
        (status = 429, body = ErrorBody), (status = 503, body = ErrorBody)),
    security((), ("api_key" = [])))]
pub async fn screen(
    State(state): State<AppState>,
    client: Option<Extension<Client>>,
    ApiJson(req): ApiJson<ScreenRequest>,
) -> Result<Json<ScreenResponse>, ApiError> {
    let limits = &state.config().limits;
    let items: Vec<(String, String, Map<String, Value>)> = match (req.queries, req.properties) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "invalid_query",
                "give either one query (schema, properties) or a batch (queries), not both",
            ))
        }
        (None, None) => {
            return Err(ApiError::bad_request(
                "invalid_query",
                "give one query (schema, properties) or a batch (queries)",
            ))
        }
        (Some(qs), None) => {
            if qs.len() > limits.max_batch {
                return Err(ApiError::bad_request(
                    "batch_too_large",
                    format!(
                        "{} queries in one batch; the limit is {}",
                        qs.len(),
                        limits.max_batch
                    ),
                ));
            }
            qs.into_iter()
                .enumerate()
                .map(|(i, q)| {
                    (
                        q.id.unwrap_or_else(|| i.to_string()),
                        q.schema.unwrap_or_default(),
                        q.properties,
                    )
                })
                .collect()
        }
        (None, Some(p)) => vec![("0".to_string(), req.schema.unwrap_or_default(), p)],
    };
    let threshold = check_score("threshold", req.threshold, DEFAULT_THRESHOLD)?;
    let cutoff = check_score("cutoff", req.cutoff, threshold)?;
    let limit = req.limit.unwrap_or(10);
    if limit == 0 || limit > limits.max_limit {
        return Err(ApiError::bad_request(
            "bad_parameter",
            format!("limit must be between 1 and {}", limits.max_limit),
        ));
    }
    let mut queries = Vec::with_capacity(items.len());
    let mut ids = Vec::with_capacity(items.len());
    for (id, schema, props) in items {
        let q = parse_query(
            &format!("query {id:?}"),
            &schema,
            &props,
            limits.max_name_chars,
        )?;
        queries.push(q);
        ids.push(id);
    }
    let loaded = loaded(&state)?;
    let filter = match &req.datasets {
        Some(ds) if !ds.is_empty() => {
            let refs: Vec<&str> = ds.iter().map(String::as_str).collect();
            Filter::for_datasets(&loaded, "default", &refs, &[])
                .map_err(|e| ApiError::bad_request("unknown_dataset", e.message))?
        }
        _ => Filter::default(),
    };
    let opts = ScreenOptions {
        threshold,
        cutoff,
        limit,
        ..ScreenOptions::default()
    };
    state.inner.metrics.queries(queries.len());
    let all = screen_batch(loaded.clone(), queries, opts, Arc::new(filter)).await?;
    let results = ids
        .into_iter()
        .zip(all)
        .map(|(id, matches)| {
            let matches: Vec<NativeMatch> = matches
                .into_iter()
                .map(|m| NativeMatch {
                    datasets: loaded
                        .index
                        .entity_at(m.index)
                        .map(|e| vec![e.source.clone()])
                        .unwrap_or_default(),
                    summary: m.explanation.short(),
                    entity_id: m.entity_id,
                    schema: m.schema.as_str().to_string(),
                    caption: m.name,
                    score: m.score,
                    is_match: m.is_match,
                    explanation: m.explanation,
                })
                .collect();
            QueryResult {
                id,
                alerts: matches.iter().filter(|m| m.is_match).count(),
                matches,
            }
        })
        .collect::<Vec<_>>();
    tracing::info!(
        queries = results.len(),
        alerts = results.iter().map(|r| r.alerts).sum::<usize>(),
        "screened"
    );
    if state.store().is_some() {
        let audited: Vec<Value> = results
            .iter()
            .map(|r| {
                let matches: Vec<Value> = r
                    .matches
                    .iter()
                    .map(|m| json!({"entity_id": m.entity_id, "score": m.score, "match": m.is_match}))
                    .collect();
                json!({"id": r.id, "matches": matches})
            })
            .collect();
        let ids: Vec<&str> = results.iter().map(|r| r.id.as_str()).collect();
        store_api::audit_screening(
            &state,
            client.as_ref().map(|c| &c.0),
            json!({"route": "/v1/screen", "queries": results.len(), "ids": ids,
                "threshold": threshold, "datasets": req.datasets}),
            store_api::against(&loaded),
            Value::Array(audited),
        )
        .await?;
    }
    Ok(Json(ScreenResponse {
        results,
        threshold,
        generation: loaded.generation,
    }))
}

/// One listed entity by id.
#[utoipa::path(get, path = "/v1/entities/{id}", tag = "native", operation_id = "native_entity",
    params(("id" = String, Path, description = "entity id, e.g. ofac-47814")),
    responses((status = 200, body = NativeEntity), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 503, body = ErrorBody)),
    security((), ("api_key" = [])))]
pub async fn entity(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<NativeEntity>, ApiError> {
    let loaded = loaded(&state)?;
    let e = loaded
        .index
        .entity(&id)
        .ok_or_else(|| ApiError::not_found("unknown_entity", format!("no entity {id:?}")))?;
    Ok(Json(NativeEntity {
        ftm: ftm_entity(e, &loaded),
        record: serde_json::to_value(e).unwrap_or(Value::Null),
    }))
}

/// The loaded lists.
#[utoipa::path(get, path = "/v1/lists", tag = "native",
    responses((status = 200, body = ListsResponse), (status = 401, body = ErrorBody), (status = 503, body = ErrorBody)),
    security((), ("api_key" = [])))]
pub async fn lists(State(state): State<AppState>) -> Result<Json<ListsResponse>, ApiError> {
    let loaded = loaded(&state)?;
    Ok(Json(ListsResponse {
        lists: loaded.lists.clone(),
        datasets: loaded.datasets.iter().cloned().collect(),
        entities: loaded.index.len(),
        generation: loaded.generation,
        loaded_at: loaded.loaded_at.clone(),
        index: loaded.index.stats(),
    }))
}

/// Re-read the configured lists, build a new index and swap it in (admin scope).
#[utoipa::path(post, path = "/v1/admin/reload", tag = "admin",
    responses((status = 200, body = ReloadReport), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, description = "a reload is already running", body = ErrorBody),
        (status = 500, description = "the lists could not be read; the index in force stays", body = ErrorBody)),
    security((), ("api_key" = [])))]
pub async fn reload(State(state): State<AppState>) -> Result<Json<ReloadReport>, ApiError> {
    match state.try_reload().await {
        None => Err(ApiError::new(
            StatusCode::CONFLICT,
            "reload_in_progress",
            "a reload is already running",
        )),
        Some(Ok(report)) => {
            state.inner.metrics.reload_result(true);
            tracing::info!(
                generation = report.generation,
                entities = report.entities,
                took_ms = report.took_ms,
                "lists reloaded"
            );
            Ok(Json(report))
        }
        Some(Err(e)) => {
            state.inner.metrics.reload_result(false);
            tracing::error!(error = %e, "reload failed; keeping the index in force");
            Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "reload_failed",
                format!("{e}; the lists in force stay"),
            ))
        }
    }
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "system", responses((status = 200, body = Status)))]
pub async fn healthz() -> Json<Status> {
    Json(Status {
        status: "ok".into(),
    })
}

/// Readiness: 200 once the lists are loaded, 503 before.
#[utoipa::path(get, path = "/readyz", tag = "system",
    responses((status = 200, body = Status), (status = 503, body = ErrorBody)))]
pub async fn readyz(State(state): State<AppState>) -> Result<Json<Status>, ApiError> {
    if state.is_ready() {
        Ok(Json(Status {
            status: "ok".into(),
        }))
    } else {
        Err(ApiError::not_ready())
    }
}

/// Prometheus metrics (text format).
#[utoipa::path(get, path = "/metrics", tag = "system",
    responses((status = 200, description = "Prometheus text exposition format", content_type = "text/plain", body = String)))]
pub async fn metrics(State(state): State<AppState>) -> Response {
    let body = state
        .inner
        .metrics
        .render(state.inner.started.elapsed().as_secs_f64());
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}
