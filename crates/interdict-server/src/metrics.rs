//! Hand-written Prometheus metrics: request counters and latency histograms per route.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Tables {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
}

#[derive(Default)]
pub struct Metrics {
    tables: Mutex<Tables>,
    queries: AtomicU64,
    rate_limited: AtomicU64,
    reloads: AtomicU64,
    reload_failures: AtomicU64,
    entities: AtomicU64,
    generation: AtomicU64,
}

impl Metrics {
    fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let mut t = match self.tables.lock() {
            Ok(t) => t,
            Err(p) => p.into_inner(),
        };
        *t.requests
            .entry((route.to_string(), method.to_string(), status))
            .or_default() += 1;
        let h = t.latency.entry(route.to_string()).or_default();
        h.count += 1;
        h.sum += seconds;
        for (i, b) in BUCKETS.iter().enumerate() {
            if seconds <= *b {
                h.counts[i] += 1;
            }
        }
    }

    pub(crate) fn queries(&self, n: usize) {
        self.queries.fetch_add(n as u64, Ordering::Relaxed);
    }

    pub(crate) fn rate_limited(&self) {
        self.rate_limited.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn reload_result(&self, ok: bool) {
        if ok {
            self.reloads.fetch_add(1, Ordering::Relaxed);
        } else {
            self.reload_failures.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn set_index(&self, entities: u64, generation: u64) {
        self.entities.store(entities, Ordering::Relaxed);
        self.generation.store(generation, Ordering::Relaxed);
    }

    /// The Prometheus text exposition format (version 0.0.4).
    pub fn render(&self, uptime_seconds: f64) -> String {
        let mut out = String::new();
        let t = match self.tables.lock() {
            Ok(t) => t,
            Err(p) => p.into_inner(),
        };
        let _ = writeln!(out, "# HELP interdict_http_requests_total HTTP requests answered, by route, method and status.");
        let _ = writeln!(out, "# TYPE interdict_http_requests_total counter");
        for ((route, method, status), n) in &t.requests {
            let _ = writeln!(
                out,
                "interdict_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                escape(route),
                escape(method)
            );
        }
        let _ = writeln!(
            out,
            "# HELP interdict_http_request_duration_seconds Time to answer, by route."
        );
        let _ = writeln!(
            out,
            "# TYPE interdict_http_request_duration_seconds histogram"
        );
        for (route, h) in &t.latency {
            let r = escape(route);
            for (i, b) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "interdict_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"{b}\"}} {}",
                    h.counts[i]
                );
            }
            let _ = writeln!(
                out,
                "interdict_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "interdict_http_request_duration_seconds_sum{{route=\"{r}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "interdict_http_request_duration_seconds_count{{route=\"{r}\"}} {}",
                h.count
            );
        }
        drop(t);
        let simple: [(&str, &str, &str, u64); 6] = [
            (
                "interdict_screen_queries_total",
                "counter",
                "Queries screened.",
                self.queries.load(Ordering::Relaxed),
            ),
            (
                "interdict_rate_limited_total",
                "counter",
                "Requests refused by the rate limit.",
                self.rate_limited.load(Ordering::Relaxed),
            ),
            (
                "interdict_reloads_total",
                "counter",
                "Successful list reloads (including the first load).",
                self.reloads.load(Ordering::Relaxed),
            ),
            (
                "interdict_reload_failures_total",
                "counter",
                "Failed list reloads.",
                self.reload_failures.load(Ordering::Relaxed),
            ),
            (
                "interdict_index_entities",
                "gauge",
                "Entities in the index in force.",
                self.entities.load(Ordering::Relaxed),
            ),
            (
                "interdict_index_generation",
                "gauge",
                "Generation of the index in force (0: not loaded).",
                self.generation.load(Ordering::Relaxed),
            ),
        ];
        for (name, kind, help, v) in simple {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} {kind}");
            let _ = writeln!(out, "{name} {v}");
        }
        let _ = writeln!(
            out,
            "# HELP interdict_uptime_seconds Seconds since the server started."
        );
        let _ = writeln!(out, "# TYPE interdict_uptime_seconds gauge");
        let _ = writeln!(out, "interdict_uptime_seconds {uptime_seconds:.3}");
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Middleware recording every answer under its route template (never the raw path, which
/// may carry ids).
pub(crate) async fn record(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = req.method().as_str().to_string();
    let resp = next.run(req).await;
    let elapsed = start.elapsed().as_secs_f64();
    state
        .inner
        .metrics
        .observe(&route, &method, resp.status().as_u16(), elapsed);
    let status = resp.status().as_u16();
    let latency_us = (elapsed * 1e6) as u64;
    if resp.status().is_server_error() && status != 503 {
        tracing::warn!(route = %route, status, latency_us, "answered");
    } else {
        tracing::info!(route = %route, status, latency_us, "answered");
    }
    resp
}
