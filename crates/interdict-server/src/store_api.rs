//! The persistent store behind the server: subjects, alerts and decisions, monitoring and the
//! audit trail of screening requests.
//!
//! The store is synchronous, so every call runs on a blocking thread with a connection taken
//! from a small pool (one SQLite file or PostgreSQL database, several connections), so a
//! screening request's audit record does not wait behind a long monitoring run. Monitoring
//! itself is serialised: a run after a list reload and one asked for by `POST /v1/monitor/run`
//! never overlap.
//!
//! Without a store, the routes of this module answer 503 `no_store`.

use std::sync::{Arc, Mutex};

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use interdict_model::Entity;
use interdict_store::{
    Alert, AlertFilter, AlertStatus, Decision, DecisionPolicy, ImportMeta, MonitorOptions,
    MonitorReport, Store, StoreError, SubjectInput,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody, ServerError};
use crate::extract::ApiJson;
use crate::state::{AppState, Loaded};

/// Error of a store opener (the CLI passes its own `anyhow` errors through).
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Opens one connection to the store; called at start-up and whenever the pool needs another.
pub type StoreOpener = Arc<dyn Fn() -> Result<Store, BoxError> + Send + Sync>;

/// Idle connections kept for reuse.
const MAX_IDLE: usize = 4;

/// Most subjects in one `POST /v1/subjects` (the body limit applies too).
const MAX_SUBJECT_BATCH: usize = 10_000;

/// The server's handle on the store; cheap to clone.
#[derive(Clone)]
pub struct StoreHandle {
    inner: Arc<Shared>,
}

struct Shared {
    open: StoreOpener,
    idle: Mutex<Vec<Store>>,
    monitor_lock: tokio::sync::Mutex<()>,
    monitor: MonitorOptions,
    policy: DecisionPolicy,
    location: String,
}

impl Shared {
    fn take(&self) -> Result<Store, ApiError> {
        if let Some(s) = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop() {
            return Ok(s);
        }
        (self.open)().map_err(|e| {
            tracing::error!(error = %e, "cannot open a store connection");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "store_unavailable",
                "the store cannot be reached; retry shortly",
            )
        })
    }

    fn give_back(&self, store: Store) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < MAX_IDLE {
            idle.push(store);
        }
    }
}

impl Drop for Shared {
    /// A PostgreSQL connection blocks on its own runtime when closed, which panics on an
    /// async worker (where the server state is dropped at shutdown): close them on a plain
    /// thread.
    fn drop(&mut self) {
        let idle = std::mem::take(self.idle.get_mut().unwrap_or_else(|p| p.into_inner()));
        if idle.is_empty() || tokio::runtime::Handle::try_current().is_err() {
            return;
        }
        if std::thread::spawn(move || drop(idle)).join().is_err() {
            tracing::warn!("closing store connections failed");
        }
    }
}

impl StoreHandle {
    /// Opens a first connection (which also brings the schema up to date) so that a wrong
    /// URL or an unwritable directory fails at start-up, not on the first request.
    /// Monitoring runs with `monitor`; decisions follow `policy`.
    pub fn open(
        open: StoreOpener,
        monitor: MonitorOptions,
        policy: DecisionPolicy,
    ) -> Result<StoreHandle, ServerError> {
        let first = open().map_err(|e| ServerError::Store(e.to_string()))?;
        let location = first.location().to_string();
        Ok(StoreHandle {
            inner: Arc::new(Shared {
                open,
                idle: Mutex::new(vec![first]),
                monitor_lock: tokio::sync::Mutex::new(()),
                monitor,
                policy,
                location,
            }),
        })
    }

    /// Where the data lives (path, or URL without password).
    pub fn location(&self) -> &str {
        &self.inner.location
    }

    /// Runs `f` on a pooled connection on a blocking thread. A connection whose call failed
    /// with a server-side error is dropped rather than reused (it may be broken).
    async fn run<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, ApiError> + Send + 'static,
    {
        let shared = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let mut store = shared.take()?;
            let out = f(&mut store);
            if !matches!(&out, Err(e) if e.status.is_server_error()) {
                shared.give_back(store);
            }
            out
        })
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "store task failed");
            internal("the store task failed")
        })?
    }

    /// Runs monitoring now (after any run in progress).
    async fn monitor_now(&self) -> Result<MonitorReport, ApiError> {
        let _guard = self.inner.monitor_lock.lock().await;
        let opts = self.inner.monitor.clone();
        self.run(move |s| s.monitor_run(&opts).map_err(store_error))
            .await
    }

    /// After a (re)load: stores each list as a new version (unchanged lists store nothing)
    /// and runs monitoring, so a list update raises alerts. Errors are logged.
    pub(crate) async fn sync_lists(&self, lists: Vec<(ImportMeta, Vec<Entity>)>) {
        let _guard = self.inner.monitor_lock.lock().await;
        let opts = self.inner.monitor.clone();
        let result = self
            .run(move |s| {
                let mut created = 0usize;
                for (meta, entities) in lists {
                    match s.import_entities(&meta, entities, &opts.actor) {
                        Ok(out) if out.created => {
                            created += 1;
                            tracing::info!(
                                dataset = %out.version.dataset,
                                version = out.version.id,
                                added = out.added,
                                removed = out.removed,
                                changed = out.changed,
                                "stored new list version"
                            );
                        }
                        Ok(_) => {}
                        Err(e) => {
                            tracing::error!(dataset = %meta.dataset, error = %e, "storing the list failed")
                        }
                    }
                }
                let report = s.monitor_run(&opts).map_err(store_error)?;
                Ok((created, report))
            })
            .await;
        match result {
            Ok((created, r)) => tracing::info!(
                new_versions = created,
                delta_entities = r.delta_entities,
                matches = r.matches,
                new_alerts = r.alerts.len(),
                "monitoring after list load done"
            ),
            Err(e) => tracing::error!(error = %e.message, "monitoring after list load failed"),
        }
    }

    /// Appends a screening record to the audit log.
    pub(crate) async fn audit_screening(
        &self,
        actor: String,
        query: Value,
        against: Value,
        results: Value,
    ) -> Result<(), ApiError> {
        self.run(move |s| {
            s.audit_screening(&actor, &query, &against, &results)
                .map(|_| ())
                .map_err(|e| {
                    tracing::error!(error = %e, "audit record not written");
                    ApiError::new(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "audit_unavailable",
                        "the screening could not be recorded in the audit log, so no result \
                         is given; retry shortly",
                    )
                })
        })
        .await
    }
}

/// What a reload hands to [`StoreHandle::sync_lists`]: each list's metadata with its entities.
pub(crate) fn import_batch(lists: &[crate::state::LoadedList]) -> Vec<(ImportMeta, Vec<Entity>)> {
    lists
        .iter()
        .map(|l| {
            (
                ImportMeta {
                    dataset: l.dataset.clone(),
                    format: l.format.clone(),
                    source: l.source.clone(),
                    issued: l.issued.clone(),
                    records: l.entities.len(),
                },
                l.entities.clone(),
            )
        })
        .collect()
}

fn internal(message: &str) -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "store_error", message)
}

/// Maps a store error: not found → 404, refused input → 400, anything else → 500 (logged,
/// without details for the client).
fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound(what) => ApiError::not_found("not_found", format!("{what} not found")),
        StoreError::Invalid(m) => ApiError::bad_request("invalid", m),
        other => {
            tracing::error!(error = %other, "store error");
            internal("the store failed; see the server log")
        }
    }
}

fn no_store() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "no_store",
        "this server runs without a store; start it with --data-dir or --database-url to use \
         subjects, alerts and monitoring",
    )
}

fn handle(state: &AppState) -> Result<StoreHandle, ApiError> {
    state.store().cloned().ok_or_else(no_store)
}

/// Who made a request, for the audit log: the API key's position or the client address.
#[derive(Clone, Debug)]
pub struct Client(pub String);

pub(crate) fn actor(client: Option<&Client>) -> String {
    format!(
        "api:{}",
        client.map(|c| c.0.as_str()).unwrap_or("anonymous")
    )
}

// ---------------------------------------------------------------------------------------------
// subjects

/// The result of writing one subject.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubjectResult {
    /// Store id.
    pub id: i64,
    pub external_id: String,
    /// The revision now stored; a changed subject gets a new one.
    pub revision: i64,
    /// False when the content equalled the stored revision (nothing written).
    pub changed: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubjectsResponse {
    pub subjects: Vec<SubjectResult>,
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Create or update monitored customers (admin scope).
///
/// The body is one subject, an array of subjects, or `{"subjects": [...]}`. A subject has
/// `external_id` (your id), `name`/`names`, `birth_date`/`birth_dates`, `country`/`countries`,
/// `identifiers` (`"TYPE:VALUE"` or `{"type", "value"}`) and optionally `schema`. A batch is
/// written in one transaction: any invalid subject rejects the whole batch.
#[utoipa::path(post, path = "/v1/subjects", tag = "admin",
    request_body(content = Object, description = "a subject, an array of subjects, or {\"subjects\": [...]}",
        example = json!({"external_id": "C-1001", "names": ["Zhao Guangzong"], "birth_date": "1985-11-12",
            "country": "CN", "identifiers": ["passport:G12345678"]})),
    responses((status = 200, body = SubjectsResponse),
        (status = 400, description = "an invalid subject (the message names it)", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 503, description = "no store configured", body = ErrorBody)),
    security((), ("api_key" = [])))]
pub async fn upsert_subjects(
    State(state): State<AppState>,
    client: Option<axum::Extension<Client>>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<SubjectsResponse>, ApiError> {
    let store = handle(&state)?;
    let items = match body {
        Value::Array(a) => a,
        Value::Object(mut o) if o.contains_key("subjects") => match o.remove("subjects") {
            Some(Value::Array(a)) => a,
            _ => {
                return Err(ApiError::unprocessable(
                    "invalid_type",
                    "\"subjects\" must be an array",
                ))
            }
        },
        v @ Value::Object(_) => vec![v],
        _ => {
            return Err(ApiError::unprocessable(
                "invalid_type",
                "expected a subject object, an array, or {\"subjects\": [...]}",
            ))
        }
    };
    if items.is_empty() {
        return Err(ApiError::bad_request("empty_batch", "no subjects given"));
    }
    if items.len() > MAX_SUBJECT_BATCH {
        return Err(ApiError::bad_request(
            "batch_too_large",
            format!(
                "{} subjects in one request; the limit is {MAX_SUBJECT_BATCH}",
                items.len()
            ),
        ));
    }
    let inputs = items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            SubjectInput::from_json(v)
                .map_err(|m| ApiError::bad_request("invalid_subject", format!("subject {i}: {m}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let actor = actor(client.as_ref().map(|c| &c.0));
    let response = store
        .run(move |s| {
            let ids: Vec<String> = inputs.iter().map(|i| i.external_id.clone()).collect();
            let mut before = Vec::with_capacity(ids.len());
            for id in &ids {
                before.push(s.subject(id).map_err(store_error)?.map(|x| x.revision));
            }
            let report = s
                .upsert_subjects(inputs, "api", &actor)
                .map_err(store_error)?;
            let mut subjects = Vec::with_capacity(ids.len());
            for (id, before) in ids.into_iter().zip(before) {
                let now = s
                    .subject(&id)
                    .map_err(store_error)?
                    .ok_or_else(|| internal("a subject just written is missing"))?;
                subjects.push(SubjectResult {
                    id: now.id,
                    changed: before != Some(now.revision),
                    external_id: id,
                    revision: now.revision,
                });
            }
            Ok(SubjectsResponse {
                subjects,
                inserted: report.inserted,
                updated: report.updated,
                unchanged: report.unchanged,
            })
        })
        .await?;
    Ok(Json(response))
}

// ---------------------------------------------------------------------------------------------
// alerts

/// An alert: a monitored subject matched a listed entity.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertView {
    pub id: i64,
    /// Store id of the subject.
    pub subject_id: i64,
    /// Your id of the subject.
    pub external_id: String,
    pub subject_revision: i64,
    pub entity_id: String,
    pub list_version_id: i64,
    pub score: f64,
    /// open, pending_second_review, escalated, true_match or false_positive.
    pub status: String,
    /// Under four-eyes, who proposed the false positive awaiting confirmation.
    pub first_reviewer: Option<String>,
    #[schema(value_type = Object)]
    pub explanation: Value,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Alert> for AlertView {
    fn from(a: Alert) -> Self {
        AlertView {
            id: a.id,
            subject_id: a.subject_id,
            external_id: a.external_id,
            subject_revision: a.subject_revision,
            entity_id: a.entity_id,
            list_version_id: a.list_version_id,
            score: a.score,
            status: a.status.as_str().to_string(),
            first_reviewer: a.first_reviewer,
            explanation: a.explanation,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlertsResponse {
    pub alerts: Vec<AlertView>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AlertsParams {
    status: Option<String>,
    subject: Option<String>,
    limit: Option<i64>,
}

/// Alerts, oldest first.
#[utoipa::path(get, path = "/v1/alerts", tag = "native",
    params(("status" = Option<String>, Query, description = "open, pending_second_review, escalated, true_match or false_positive"),
        ("subject" = Option<String>, Query, description = "only this subject (external id)"),
        ("limit" = Option<i64>, Query)),
    responses((status = 200, body = AlertsResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 503, description = "no store configured", body = ErrorBody)),
    security((), ("api_key" = [])))]
pub async fn list_alerts(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<AlertsResponse>, ApiError> {
    let store = handle(&state)?;
    let params: AlertsParams = serde_urlencoded::from_str(query.as_deref().unwrap_or(""))
        .map_err(|e| ApiError::bad_request("bad_parameter", format!("query string: {e}")))?;
    let status = match params.status.as_deref() {
        None | Some("") => None,
        Some(s) => Some(AlertStatus::parse(s).ok_or_else(|| {
            ApiError::bad_request(
                "bad_parameter",
                format!(
                    "status {s:?}: expected open, pending_second_review, escalated, \
                     true_match or false_positive"
                ),
            )
        })?),
    };
    if matches!(params.limit, Some(l) if l < 1) {
        return Err(ApiError::bad_request(
            "bad_parameter",
            "limit must be at least 1",
        ));
    }
    let filter = AlertFilter {
        status,
        subject_external_id: params.subject,
        limit: params.limit,
    };
    let alerts = store
        .run(move |s| s.list_alerts(&filter).map_err(store_error))
        .await?;
    Ok(Json(AlertsResponse {
        alerts: alerts.into_iter().map(AlertView::from).collect(),
    }))
}

/// A reviewer's decision on an alert.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// true_match, false_positive or escalated.
    pub decision: String,
    /// Who decides (recorded in the audit log).
    pub user: String,
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionResponse {
    pub decision_id: i64,
    pub status_before: String,
    /// The alert after the decision.
    pub alert: AlertView,
}

/// Record a decision on an alert (admin scope).
///
/// Under four-eyes a first false-positive decision moves the alert to
/// `pending_second_review`; a different user's false-positive decision closes it (and
/// allowlists the pair until the subject or the entity changes).
#[utoipa::path(post, path = "/v1/alerts/{id}/decision", tag = "admin", request_body = DecisionRequest,
    params(("id" = i64, Path, description = "alert id")),
    responses((status = 200, body = DecisionResponse),
        (status = 400, description = "bad decision value, missing user or reason", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "unknown alert", body = ErrorBody),
        (status = 409, description = "the alert is closed, or the same user confirmed their own false positive", body = ErrorBody),
        (status = 503, description = "no store configured", body = ErrorBody)),
    security((), ("api_key" = [])))]
pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<DecisionRequest>,
) -> Result<Json<DecisionResponse>, ApiError> {
    let store = handle(&state)?;
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::not_found("unknown_alert", format!("no alert {id:?}")))?;
    let decision = Decision::parse(&req.decision).ok_or_else(|| {
        ApiError::bad_request(
            "bad_decision",
            format!(
                "decision {:?}: expected true_match, false_positive or escalated",
                req.decision
            ),
        )
    })?;
    let (user, reason) = (req.user.trim().to_string(), req.reason.trim().to_string());
    if user.is_empty() || reason.is_empty() {
        return Err(ApiError::bad_request(
            "missing_field",
            "a decision needs a non-empty user and reason",
        ));
    }
    let policy = store.inner.policy;
    let out = store
        .run(move |s| {
            // The store enforces every rule; checking first gives each refusal its own code.
            let alert = s.alert(id).map_err(|e| match e {
                StoreError::NotFound(_) => {
                    ApiError::not_found("unknown_alert", format!("no alert {id}"))
                }
                other => store_error(other),
            })?;
            if !alert.status.is_open() {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "alert_closed",
                    format!("alert {id} is closed ({})", alert.status.as_str()),
                ));
            }
            if policy.four_eyes
                && decision == Decision::FalsePositive
                && alert.status == AlertStatus::PendingSecondReview
                && alert.first_reviewer.as_deref() == Some(user.as_str())
            {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "four_eyes",
                    format!(
                        "four-eyes: {user} proposed alert {id} as a false positive; a different \
                         user must confirm it"
                    ),
                ));
            }
            s.decide(id, decision, &user, &reason, policy)
                .map_err(|e| match e {
                    // A concurrent decision got there first.
                    StoreError::Invalid(m) => {
                        ApiError::new(StatusCode::CONFLICT, "decision_refused", m)
                    }
                    other => store_error(other),
                })
        })
        .await?;
    Ok(Json(DecisionResponse {
        decision_id: out.decision_id,
        status_before: out.status_before.as_str().to_string(),
        alert: out.alert.into(),
    }))
}

// ---------------------------------------------------------------------------------------------
// monitoring

/// What a monitoring run did.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonitorResponse {
    /// The list versions subjects are now screened against.
    pub versions: Vec<i64>,
    /// List entities added or changed since the last run.
    pub delta_entities: usize,
    /// Subjects checked against those.
    pub delta_subjects: usize,
    /// New or changed subjects screened against the whole lists.
    pub full_subjects: usize,
    /// Matches at or above the threshold.
    pub matches: usize,
    /// Matches skipped because an alert for the pair is open.
    pub already_open: usize,
    /// Matches skipped because the pair was decided a false positive and nothing changed.
    pub allowlisted: usize,
    /// The alerts raised by this run.
    pub alerts: Vec<AlertView>,
    /// Whether the webhook (if configured) received the new alerts.
    pub webhook_delivered: Option<bool>,
    pub took_ms: u64,
}

impl From<MonitorReport> for MonitorResponse {
    fn from(r: MonitorReport) -> Self {
        MonitorResponse {
            versions: r.versions,
            delta_entities: r.delta_entities,
            delta_subjects: r.delta_subjects,
            full_subjects: r.full_subjects,
            matches: r.matches,
            already_open: r.already_open,
            allowlisted: r.allowlisted,
            alerts: r.alerts.into_iter().map(AlertView::from).collect(),
            webhook_delivered: r.webhook.map(|w| w.delivered),
            took_ms: u64::try_from(r.load_ms + r.screen_ms + r.write_ms).unwrap_or(u64::MAX),
        }
    }
}

/// Run monitoring now (admin scope): screen what changed since the last run and raise alerts.
#[utoipa::path(post, path = "/v1/monitor/run", tag = "admin",
    responses((status = 200, body = MonitorResponse), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 503, description = "no store configured", body = ErrorBody)),
    security((), ("api_key" = [])))]
pub async fn monitor_run(State(state): State<AppState>) -> Result<Json<MonitorResponse>, ApiError> {
    let store = handle(&state)?;
    let report = store.monitor_now().await?;
    tracing::info!(
        matches = report.matches,
        new_alerts = report.alerts.len(),
        "monitoring run"
    );
    Ok(Json(report.into()))
}

// ---------------------------------------------------------------------------------------------
// audit of screening requests

/// What a screening was run against, for the audit record.
pub(crate) fn against(loaded: &Loaded) -> Value {
    let lists: Vec<Value> = loaded
        .lists
        .iter()
        .map(|l| {
            serde_json::json!({"dataset": l.dataset, "issued": l.issued,
                "source": l.source, "entities": l.entities})
        })
        .collect();
    serde_json::json!({"generation": loaded.generation, "loaded_at": loaded.loaded_at,
        "lists": lists})
}

/// Records a screening request when a store is configured; without one, does nothing.
/// `query` describes the request (route, count, the client's query ids — not the names);
/// `results` the entity ids and scores returned per query.
pub(crate) async fn audit_screening(
    state: &AppState,
    client: Option<&Client>,
    query: Value,
    against: Value,
    results: Value,
) -> Result<(), ApiError> {
    match state.store() {
        None => Ok(()),
        Some(store) => {
            store
                .audit_screening(actor(client), query, against, results)
                .await
        }
    }
}
