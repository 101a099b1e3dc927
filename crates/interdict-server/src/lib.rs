//! Interdict's HTTP screening API.
//!
//! - native routes under `/v1` (screen one query or a batch, fetch an entity, list what is
//!   loaded, reload the lists) plus `/healthz`, `/readyz`, `/metrics` and `/openapi.json`;
//! - a yente-compatible surface (`/match/{dataset}`, `/search/{dataset}`, `/entities/{id}`,
//!   `/catalog`, `/algorithms`) so clients written for OpenSanctions' yente work unchanged.
//!
//! With a store ([`StoreHandle`]) the server also takes subjects (`POST /v1/subjects`), lists
//! and decides alerts (`/v1/alerts`), runs monitoring (`POST /v1/monitor/run`, and by itself
//! after every list load) and records every screening request in the audit log.
//!
//! The index is built once per list version, held in an [`arc_swap::ArcSwapOption`] and
//! replaced atomically on reload; requests in flight finish on the generation they started
//! with. The engine itself knows nothing of HTTP.

mod auth;
pub mod config;
pub mod error;
mod extract;
mod metrics;
pub mod native;
mod screening;
pub mod state;
pub mod store_api;
pub mod yente;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Request, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

pub use config::{ApiKey as ConfiguredKey, Limits, Scope, ServerConfig};
pub use error::{ApiError, ServerError};
pub use state::{load_paths, path_loader, AppState, LoadedList, Loader, ReloadReport};
pub use store_api::{BoxError, StoreHandle, StoreOpener};

struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "`ApiKey <key>` or `Bearer <key>`; required when the server has keys configured",
            ))),
        );
    }
}

/// The OpenAPI document, generated from the handlers and types.
#[derive(OpenApi)]
#[openapi(
    info(title = "Interdict screening API", description = "Sanctions screening: native routes under /v1 and a yente-compatible surface."),
    paths(
        native::screen, native::entity, native::lists, native::reload,
        native::healthz, native::readyz, native::metrics,
        store_api::upsert_subjects, store_api::list_alerts, store_api::decide, store_api::monitor_run,
        yente::match_entities, yente::search, yente::entity, yente::catalog, yente::algorithms,
    ),
    modifiers(&SecurityAddon),
    tags((name = "native", description = "Interdict's own API"),
         (name = "yente", description = "yente-compatible routes"),
         (name = "admin", description = "administration (admin scope)"),
         (name = "system", description = "health, readiness and metrics")),
)]
pub struct ApiDoc;

/// The OpenAPI document as JSON.
pub fn openapi_json() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

async fn openapi_route() -> impl IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        openapi_json(),
    )
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route")
}

/// Request ids: a per-process prefix and a counter.
#[derive(Clone)]
struct RequestIds {
    prefix: u32,
    next: Arc<AtomicU64>,
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{:08x}-{n:x}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

/// All routes with their middleware.
pub fn router(state: AppState) -> Router {
    let limits = state.config().limits.clone();
    let screen = Router::new()
        .route("/v1/screen", post(native::screen))
        .route("/v1/entities/{id}", get(native::entity))
        .route("/v1/lists", get(native::lists))
        .route("/match/{dataset}", post(yente::match_entities))
        .route("/search/{dataset}", get(yente::search))
        .route("/entities/{id}", get(yente::entity))
        .route("/catalog", get(yente::catalog))
        .route("/algorithms", get(yente::algorithms))
        .route("/v1/alerts", get(store_api::list_alerts))
        .route_layer(from_fn_with_state(state.clone(), auth::require_screen));
    let admin = Router::new()
        .route("/v1/admin/reload", post(native::reload))
        .route("/v1/subjects", post(store_api::upsert_subjects))
        .route("/v1/alerts/{id}/decision", post(store_api::decide))
        .route("/v1/monitor/run", post(store_api::monitor_run))
        .route_layer(from_fn_with_state(state.clone(), auth::require_admin));
    let public = Router::new()
        .route("/healthz", get(native::healthz))
        .route("/readyz", get(native::readyz))
        .route("/metrics", get(native::metrics))
        .route("/openapi.json", get(openapi_route));
    let prefix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() ^ (d.as_secs() as u32))
        .unwrap_or(0);
    let ids = RequestIds {
        prefix,
        next: Arc::new(AtomicU64::new(1)),
    };
    Router::new()
        .merge(public)
        .merge(screen)
        .merge(admin)
        .route_layer(from_fn_with_state(state.clone(), metrics::record))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(ids))
                // Failures are logged by the metrics middleware with their status; the trace
                // layer's own error line would flag every 503 while the lists load.
                .layer(TraceLayer::new_for_http().on_failure(()).make_span_with(|req: &Request<_>| {
                    let id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    // The path only: query strings (`/search?q=`) may carry names.
                    tracing::info_span!("http", request_id = %id, method = %req.method(), path = %req.uri().path())
                }))
                .layer(PropagateRequestIdLayer::x_request_id()),
        )
        .with_state(state)
}

/// Serves until `shutdown` resolves, then drains requests in flight. The lists are loaded
/// in the background: `/readyz` answers 503 until they are.
pub async fn serve<F>(
    listener: TcpListener,
    state: AppState,
    shutdown: F,
) -> Result<(), ServerError>
where
    F: Future<Output = ()> + Send + 'static,
{
    let loader_state = state.clone();
    tokio::spawn(async move {
        match loader_state.reload().await {
            Ok(r) => {
                loader_state.inner.metrics.reload_result(true);
                tracing::info!(
                    lists = r.lists,
                    entities = r.entities,
                    took_ms = r.took_ms,
                    "lists loaded; ready"
                );
            }
            Err(e) => {
                loader_state.inner.metrics.reload_result(false);
                tracing::error!(error = %e, "loading the lists failed; not ready (fix and POST /v1/admin/reload)");
            }
        }
    });
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown requested; draining requests in flight");
}
