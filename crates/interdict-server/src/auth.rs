//! API keys with scopes, and a token-bucket rate limit per key (or per client address).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::config::Scope;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store_api::Client;

/// The key a request presents: `Authorization: ApiKey <key>` (as yente clients send it) or
/// `Authorization: Bearer <key>`.
fn presented_key(req: &Request) -> Result<Option<&str>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| unauthorized("the Authorization header is not ASCII"))?;
    let (kind, key) = value
        .trim()
        .split_once(' ')
        .ok_or_else(|| unauthorized("expected Authorization: ApiKey <key> or Bearer <key>"))?;
    if !(kind.eq_ignore_ascii_case("apikey") || kind.eq_ignore_ascii_case("bearer")) {
        return Err(unauthorized(
            "expected Authorization: ApiKey <key> or Bearer <key>",
        ));
    }
    Ok(Some(key.trim()))
}

fn unauthorized(message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
}

/// Compares without an early exit on the first differing byte.
fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Checks the key (when keys are configured) and the rate limit; `needed` is the scope of
/// the route group.
async fn guard(state: &AppState, needed: Scope, mut req: Request, next: Next) -> Response {
    let cfg = state.config();
    let mut client = None;
    if !cfg.api_keys.is_empty() {
        let key = match presented_key(&req) {
            Ok(Some(k)) => k,
            Ok(None) => {
                return unauthorized(
                    "an API key is required: Authorization: ApiKey <key> (or Bearer <key>)",
                )
                .into_response()
            }
            Err(e) => return e.into_response(),
        };
        let Some((i, found)) = cfg
            .api_keys
            .iter()
            .enumerate()
            .find(|(_, k)| same_key(&k.key, key))
        else {
            return unauthorized("unknown API key").into_response();
        };
        if !found.allows(needed) {
            return ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!("this key lacks the {needed:?} scope").to_lowercase(),
            )
            .into_response();
        }
        client = Some(format!("key#{i}"));
    }
    let client = client.unwrap_or_else(|| {
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".into())
    });
    if let Err(wait) = state.inner.limiter.check(&client) {
        state.inner.metrics.rate_limited();
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many requests; slow down and retry after the time in Retry-After",
        );
        e.retry_after = Some(wait.ceil().max(1.0) as u64);
        return e.into_response();
    }
    req.extensions_mut().insert(Client(client));
    next.run(req).await
}

pub(crate) async fn require_screen(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    guard(&state, Scope::Screen, req, next).await
}

pub(crate) async fn require_admin(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    guard(&state, Scope::Admin, req, next).await
}

/// Token buckets keyed by client.
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

/// Buckets kept before idle (full) ones are dropped.
const MAX_BUCKETS: usize = 10_000;

impl RateLimiter {
    /// `rate` tokens per second up to `burst`; a rate of 0 disables the limit.
    pub fn new(rate: f64, burst: f64) -> Self {
        RateLimiter {
            rate,
            burst,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token; on refusal, the seconds until one is available.
    pub fn check(&self, client: &str) -> Result<(), f64> {
        if self.rate <= 0.0 {
            return Ok(());
        }
        let now = Instant::now();
        let mut buckets = match self.buckets.lock() {
            Ok(b) => b,
            Err(poisoned) => poisoned.into_inner(),
        };
        if buckets.len() >= MAX_BUCKETS && !buckets.contains_key(client) {
            let (rate, burst) = (self.rate, self.burst);
            buckets.retain(|_, (tokens, last)| {
                *tokens + now.duration_since(*last).as_secs_f64() * rate < burst
            });
        }
        let entry = buckets
            .entry(client.to_string())
            .or_insert((self.burst, now));
        let elapsed = now.duration_since(entry.1).as_secs_f64();
        entry.0 = (entry.0 + elapsed * self.rate).min(self.burst);
        entry.1 = now;
        if entry.0 >= 1.0 {
            entry.0 -= 1.0;
            Ok(())
        } else {
            Err((1.0 - entry.0) / self.rate)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_refuses_after_burst() {
        let l = RateLimiter::new(1.0, 3.0);
        assert!(l.check("a").is_ok());
        assert!(l.check("a").is_ok());
        assert!(l.check("a").is_ok());
        assert!(l.check("a").is_err());
        assert!(l.check("b").is_ok());
        let off = RateLimiter::new(0.0, 0.0);
        for _ in 0..100 {
            assert!(off.check("a").is_ok());
        }
    }

    #[test]
    fn key_comparison() {
        assert!(same_key("abc", "abc"));
        assert!(!same_key("abc", "abd"));
        assert!(!same_key("abc", "abcd"));
    }
}
