//! A yente-compatible surface (`/match`, `/search`, `/entities`, `/catalog`, `/algorithms`)
//! so that clients written for OpenSanctions' yente work unchanged. Shapes follow yente's
//! published API; the matching is Interdict's.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::{Extension, Json};
use interdict_engine::{Match, Query, ScreenOptions, DEFAULT_THRESHOLD};
use interdict_model::Entity;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, QueryPairs};
use crate::native::loaded;
use crate::screening::{ftm_properties, parse_query, screen_batch, screen_one, Filter};
use crate::state::{AppState, Loaded};
use crate::store_api::{self, Client};

/// The one algorithm; `best` and the empty string resolve to it.
pub const ALGORITHM: &str = "interdict-v1";
const DEFAULT_LIMIT: usize = 5;
/// yente's default lower bound for returning a result.
const DEFAULT_CUTOFF: f64 = 0.5;

/// An entity in FollowTheMoney form, as yente answers it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FtmEntity {
    pub id: String,
    pub caption: String,
    pub schema: String,
    pub properties: BTreeMap<String, Vec<String>>,
    pub datasets: Vec<String>,
    pub referents: Vec<String>,
    pub target: bool,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub last_change: Option<String>,
}

pub fn ftm_entity(e: &Entity, _loaded: &Loaded) -> FtmEntity {
    FtmEntity {
        id: e.id.clone(),
        caption: e.caption().to_string(),
        schema: e.schema.as_str().to_string(),
        properties: ftm_properties(e),
        datasets: vec![e.source.clone()],
        referents: Vec::new(),
        target: true,
        first_seen: None,
        last_seen: None,
        last_change: None,
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MatchQuery {
    pub id: Option<String>,
    pub schema: String,
    #[schema(value_type = Object)]
    pub properties: Map<String, Value>,
}

/// `{"queries": {"<your id>": {"schema", "properties"}}}`; `weights` and `config` are
/// accepted and ignored.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MatchRequest {
    pub queries: BTreeMap<String, MatchQuery>,
    #[schema(value_type = Option<Object>)]
    pub weights: Option<Value>,
    #[schema(value_type = Option<Object>)]
    pub config: Option<Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Total {
    pub value: usize,
    pub relation: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeatureResult {
    pub score: f64,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScoredEntity {
    #[serde(flatten)]
    pub entity: FtmEntity,
    pub score: f64,
    #[serde(rename = "match")]
    pub is_match: bool,
    /// Feature name → its contribution.
    pub features: BTreeMap<String, f64>,
    pub explanations: BTreeMap<String, FeatureResult>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EchoQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub schema: String,
    #[schema(value_type = Object)]
    pub properties: Map<String, Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntityMatches {
    pub status: u16,
    pub results: Vec<ScoredEntity>,
    /// Results at or above the threshold.
    pub total: Total,
    pub query: EchoQuery,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchResponse {
    pub responses: BTreeMap<String, EntityMatches>,
    pub limit: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    pub results: Vec<FtmEntity>,
    #[schema(value_type = Object)]
    pub facets: Map<String, Value>,
    pub total: Total,
    pub limit: usize,
    pub offset: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogDataset {
    pub name: String,
    pub title: String,
    pub summary: Option<String>,
    pub load: bool,
    pub entity_count: usize,
    pub thing_count: usize,
    pub version: String,
    pub updated_at: Option<String>,
    pub last_export: Option<String>,
    pub children: Vec<String>,
    pub index_current: bool,
    pub index_version: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogResponse {
    pub datasets: Vec<CatalogDataset>,
    pub current: Vec<String>,
    pub outdated: Vec<String>,
    pub index_stale: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlgorithmDoc {
    pub name: String,
    pub description: String,
    /// Feature name → what it measures.
    #[schema(value_type = Object)]
    pub docs: BTreeMap<String, Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlgorithmsResponse {
    pub algorithms: Vec<AlgorithmDoc>,
    pub default: String,
    pub best: String,
}

fn check_algorithm(q: &QueryPairs) -> Result<(), ApiError> {
    match q.last("algorithm") {
        None | Some("") | Some("best") | Some(ALGORITHM) => Ok(()),
        Some(other) => Err(ApiError::bad_request(
            "unknown_algorithm",
            format!(
                "unknown algorithm {other:?}; this server offers {ALGORITHM:?} (also as \"best\")"
            ),
        )),
    }
}

fn filter_from(q: &QueryPairs, loaded: &Loaded, dataset: &str) -> Result<Filter, ApiError> {
    let mut f = Filter::for_datasets(
        loaded,
        dataset,
        &q.all("include_dataset"),
        &q.all("exclude_dataset"),
    )?;
    f.exclude_schemas = q
        .all("exclude_schema")
        .into_iter()
        .map(String::from)
        .collect();
    f.exclude_ids = q
        .all("exclude_entity_ids")
        .into_iter()
        .map(String::from)
        .collect();
    Ok(f)
}

fn limit_from(q: &QueryPairs, default: usize, max: usize) -> Result<usize, ApiError> {
    let limit = q.count("limit")?.unwrap_or(default);
    if limit > max {
        return Err(ApiError::bad_request(
            "bad_parameter",
            format!("limit {limit} is above the maximum of {max}"),
        ));
    }
    Ok(limit)
}

fn scored(m: Match, loaded: &Loaded) -> Option<ScoredEntity> {
    let e = loaded.index.entity_at(m.index)?;
    let mut features = BTreeMap::new();
    let mut explanations = BTreeMap::new();
    if let Some(n) = &m.explanation.name {
        features.insert("name".to_string(), n.comparison.score);
        let pairs: Vec<String> = n
            .comparison
            .pairs
            .iter()
            .map(|p| {
                format!("{}={} ({:?}, {:.2})", p.query, p.list, p.how, p.similarity).to_lowercase()
            })
            .collect();
        explanations.insert(
            "name".to_string(),
            FeatureResult {
                score: n.comparison.score,
                detail: pairs.join(", "),
                query: Some(n.query.clone()),
                candidate: Some(n.matched.clone()),
            },
        );
    }
    for f in &m.explanation.features {
        let mut key = f.feature.to_string();
        let mut i = 2;
        while features.contains_key(&key) {
            key = format!("{}_{i}", f.feature);
            i += 1;
        }
        features.insert(key.clone(), f.effect);
        explanations.insert(
            key,
            FeatureResult {
                score: f.effect,
                detail: f.detail.clone(),
                query: None,
                candidate: None,
            },
        );
    }
    Some(ScoredEntity {
        entity: ftm_entity(e, loaded),
        score: m.score,
        is_match: m.is_match,
        features,
        explanations,
    })
}

/// Match entities by example (yente `/match/{dataset}`).
#[utoipa::path(post, path = "/match/{dataset}", tag = "yente", request_body = MatchRequest,
    params(("dataset" = String, Path, description = "a loaded dataset, or `default` for all"),
        ("threshold" = Option<f64>, Query, description = "score at or above which `match` is true (default 0.80)"),
        ("cutoff" = Option<f64>, Query, description = "results below this are not returned (default 0.50)"),
        ("limit" = Option<usize>, Query, description = "results per query (default 5)"),
        ("algorithm" = Option<String>, Query, description = "`best` or `interdict-v1`"),
        ("include_dataset" = Option<Vec<String>>, Query, description = "also/only these datasets"),
        ("exclude_dataset" = Option<Vec<String>>, Query),
        ("exclude_schema" = Option<Vec<String>>, Query),
        ("exclude_entity_ids" = Option<Vec<String>>, Query)),
    responses((status = 200, body = MatchResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, description = "unknown dataset", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody),
        (status = 503, body = ErrorBody)),
    security((), ("api_key" = [])))]
pub async fn match_entities(
    State(state): State<AppState>,
    Path(dataset): Path<String>,
    q: QueryPairs,
    client: Option<Extension<Client>>,
    ApiJson(req): ApiJson<MatchRequest>,
) -> Result<Json<MatchResponse>, ApiError> {
    let limits = &state.config().limits;
    let loaded = loaded(&state)?;
    let filter = filter_from(&q, &loaded, &dataset)?;
    check_algorithm(&q)?;
    let threshold = q.score("threshold")?.unwrap_or(DEFAULT_THRESHOLD);
    let cutoff = q.score("cutoff")?.unwrap_or(DEFAULT_CUTOFF);
    let limit = limit_from(&q, DEFAULT_LIMIT, limits.max_limit)?;
    if req.queries.len() > limits.max_batch {
        return Err(ApiError::bad_request(
            "batch_too_large",
            format!(
                "{} queries in one request; the limit is {}",
                req.queries.len(),
                limits.max_batch
            ),
        ));
    }
    let mut keys = Vec::with_capacity(req.queries.len());
    let mut queries: Vec<Query> = Vec::with_capacity(req.queries.len());
    let mut echoes = Vec::with_capacity(req.queries.len());
    for (key, mq) in req.queries {
        queries.push(parse_query(
            &format!("query {key:?}"),
            &mq.schema,
            &mq.properties,
            limits.max_name_chars,
        )?);
        echoes.push(EchoQuery {
            id: mq.id,
            schema: mq.schema,
            properties: mq.properties,
        });
        keys.push(key);
    }
    let opts = ScreenOptions {
        threshold,
        cutoff,
        limit,
        ..ScreenOptions::default()
    };
    state.inner.metrics.queries(queries.len());
    let all = screen_batch(loaded.clone(), queries, opts, Arc::new(filter)).await?;
    let mut responses = BTreeMap::new();
    for ((key, echo), matches) in keys.into_iter().zip(echoes).zip(all) {
        let results: Vec<ScoredEntity> = matches
            .into_iter()
            .filter_map(|m| scored(m, &loaded))
            .collect();
        let total = results.iter().filter(|r| r.is_match).count();
        responses.insert(
            key,
            EntityMatches {
                status: 200,
                results,
                total: Total {
                    value: total,
                    relation: "eq".into(),
                },
                query: echo,
            },
        );
    }
    tracing::info!(queries = responses.len(), "matched");
    if state.store().is_some() {
        let audited: Vec<Value> = responses
            .iter()
            .map(|(key, r)| {
                let matches: Vec<Value> = r
                    .results
                    .iter()
                    .map(|m| json!({"entity_id": m.entity.id, "score": m.score, "match": m.is_match}))
                    .collect();
                json!({"id": key, "matches": matches})
            })
            .collect();
        let keys: Vec<&String> = responses.keys().collect();
        store_api::audit_screening(
            &state,
            client.as_ref().map(|c| &c.0),
            json!({"route": format!("/match/{dataset}"), "queries": responses.len(),
                "ids": keys, "threshold": threshold}),
            store_api::against(&loaded),
            Value::Array(audited),
        )
        .await?;
    }
    Ok(Json(MatchResponse { responses, limit }))
}

/// Text search over names (yente `/search/{dataset}`); without `q`, lists entities.
#[utoipa::path(get, path = "/search/{dataset}", tag = "yente",
    params(("dataset" = String, Path, description = "a loaded dataset, or `default` for all"),
        ("q" = Option<String>, Query, description = "name to search for"),
        ("schema" = Option<String>, Query), ("countries" = Option<Vec<String>>, Query),
        ("include_dataset" = Option<Vec<String>>, Query), ("exclude_dataset" = Option<Vec<String>>, Query),
        ("exclude_schema" = Option<Vec<String>>, Query),
        ("limit" = Option<usize>, Query, description = "default 10"), ("offset" = Option<usize>, Query)),
    responses((status = 200, body = SearchResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 503, body = ErrorBody)),
    security((), ("api_key" = [])))]
pub async fn search(
    State(state): State<AppState>,
    Path(dataset): Path<String>,
    q: QueryPairs,
) -> Result<Json<SearchResponse>, ApiError> {
    let limits = &state.config().limits;
    let loaded = loaded(&state)?;
    let mut filter = filter_from(&q, &loaded, &dataset)?;
    let limit = limit_from(&q, 10, limits.max_limit)?;
    let offset = q.count("offset")?.unwrap_or(0);
    if offset > 10_000 {
        return Err(ApiError::bad_request(
            "bad_parameter",
            "offset is above 10000",
        ));
    }
    let schema = match q.last("schema") {
        None | Some("") | Some("Thing") => None,
        Some(s) => Some(s.parse::<interdict_model::Schema>().map_err(|_| {
            ApiError::bad_request("bad_parameter", format!("unknown schema {s:?}"))
        })?),
    };
    let countries: HashSet<String> = q
        .all("countries")
        .into_iter()
        .map(|c| c.trim().to_ascii_lowercase())
        .collect();
    let text = q.last("q").unwrap_or("").trim().to_string();
    if text.chars().count() > limits.max_name_chars {
        return Err(ApiError::bad_request(
            "name_too_long",
            format!("q is longer than {} characters", limits.max_name_chars),
        ));
    }
    let admits = |e: &Entity| {
        schema.is_none_or(|s| s.compatible(e.schema))
            && (countries.is_empty()
                || e.nationalities
                    .iter()
                    .chain(&e.citizenships)
                    .chain(&e.countries)
                    .any(|c| countries.contains(c)))
    };
    let (page, total): (Vec<FtmEntity>, usize) = if text.is_empty() {
        let matching: Vec<&Entity> = loaded
            .index
            .entities()
            .iter()
            .filter(|e| filter.admits(e) && admits(e))
            .collect();
        let total = matching.len();
        (
            matching
                .into_iter()
                .skip(offset)
                .take(limit)
                .map(|e| ftm_entity(e, &loaded))
                .collect(),
            total,
        )
    } else {
        let mut query = Query::name(text);
        query.schema = schema;
        filter.exclude_schemas.extend(
            interdict_model::Schema::ALL
                .iter()
                .filter(|s| schema.is_some_and(|want| !want.compatible(**s)))
                .map(|s| s.as_str().to_string()),
        );
        let opts = ScreenOptions {
            threshold: DEFAULT_THRESHOLD,
            cutoff: 0.5,
            limit: offset + limit,
            candidates: 96,
        };
        let matches = screen_one(&loaded, &query, &opts, &filter);
        let hits: Vec<&Entity> = matches
            .iter()
            .filter_map(|m| loaded.index.entity_at(m.index))
            .filter(|e| admits(e))
            .collect();
        let total = hits.len();
        (
            hits.into_iter()
                .skip(offset)
                .take(limit)
                .map(|e| ftm_entity(e, &loaded))
                .collect(),
            total,
        )
    };
    state.inner.metrics.queries(1);
    Ok(Json(SearchResponse {
        results: page,
        facets: Map::new(),
        total: Total {
            value: total,
            relation: "eq".into(),
        },
        limit,
        offset,
    }))
}

/// One entity by id (yente `/entities/{id}`).
#[utoipa::path(get, path = "/entities/{id}", tag = "yente", operation_id = "fetch_entity",
    params(("id" = String, Path)),
    responses((status = 200, body = FtmEntity), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 503, body = ErrorBody)),
    security((), ("api_key" = [])))]
pub async fn entity(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<FtmEntity>, ApiError> {
    let loaded = loaded(&state)?;
    let e = loaded
        .index
        .entity(&id)
        .ok_or_else(|| ApiError::not_found("unknown_entity", format!("no entity {id:?}")))?;
    Ok(Json(ftm_entity(e, &loaded)))
}

/// The datasets this server holds (yente `/catalog`).
#[utoipa::path(get, path = "/catalog", tag = "yente",
    responses((status = 200, body = CatalogResponse), (status = 401, body = ErrorBody), (status = 503, body = ErrorBody)),
    security((), ("api_key" = [])))]
pub async fn catalog(State(state): State<AppState>) -> Result<Json<CatalogResponse>, ApiError> {
    let loaded = loaded(&state)?;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for e in loaded.index.entities() {
        *counts.entry(e.source.as_str()).or_default() += 1;
    }
    let version = format!("{}-{}", loaded.loaded_at, loaded.generation);
    let mut datasets = Vec::new();
    for name in &loaded.datasets {
        let meta = loaded.lists.iter().find(|l| &l.dataset == name);
        let n = counts.get(name.as_str()).copied().unwrap_or(0);
        datasets.push(CatalogDataset {
            name: name.clone(),
            title: meta
                .map(|m| format!("{} ({})", name, m.format))
                .unwrap_or_else(|| name.clone()),
            summary: meta.map(|m| format!("loaded from {}", m.source)),
            load: true,
            entity_count: n,
            thing_count: n,
            version: version.clone(),
            updated_at: meta
                .and_then(|m| m.issued.as_deref())
                .filter(|d| d.len() == 10)
                .map(|d| format!("{d}T00:00:00Z")),
            last_export: Some(loaded.loaded_at.clone()),
            children: Vec::new(),
            index_current: true,
            index_version: version.clone(),
        });
    }
    datasets.push(CatalogDataset {
        name: "default".into(),
        title: "All loaded lists".into(),
        summary: Some("every dataset this server holds".into()),
        load: true,
        entity_count: loaded.index.len(),
        thing_count: loaded.index.len(),
        version: version.clone(),
        updated_at: None,
        last_export: Some(loaded.loaded_at.clone()),
        children: loaded.datasets.iter().cloned().collect(),
        index_current: true,
        index_version: version,
    });
    let current = datasets.iter().map(|d| d.name.clone()).collect();
    Ok(Json(CatalogResponse {
        datasets,
        current,
        outdated: Vec::new(),
        index_stale: false,
    }))
}

/// The matching algorithms offered (yente `/algorithms`).
#[utoipa::path(get, path = "/algorithms", tag = "yente",
    responses((status = 200, body = AlgorithmsResponse), (status = 401, body = ErrorBody)),
    security((), ("api_key" = [])))]
pub async fn algorithms() -> Result<Json<AlgorithmsResponse>, ApiError> {
    let doc = |d: &str| serde_json::json!({ "description": d });
    let docs = BTreeMap::from([
        ("name".to_string(), doc("best alignment of query and list name tokens (exact, phonetic, transliterated, fuzzy), weighted by rarity")),
        ("birth_date".to_string(), doc("agreement or conflict of birth dates")),
        ("country".to_string(), doc("agreement or conflict of nationality, citizenship or country")),
        ("gender".to_string(), doc("conflicting gender")),
        ("identifier".to_string(), doc("an equal strong identifier (passport, IMO, registration, crypto address …)")),
        ("weak_alias".to_string(), doc("the best name is a weak alias")),
    ]);
    Ok(Json(AlgorithmsResponse {
        algorithms: vec![AlgorithmDoc {
            name: ALGORITHM.into(),
            description: "Interdict's explainable name matcher with evidence from dates, countries and identifiers".into(),
            docs,
        }],
        default: ALGORITHM.into(),
        best: ALGORITHM.into(),
    }))
}
