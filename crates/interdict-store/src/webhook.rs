//! Alert notification by webhook: one JSON POST, retried with exponential backoff a bounded
//! number of times. A 2xx answer is delivery; anything else (error status, refused connection,
//! timeout) is retried.

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

#[derive(Clone, Debug)]
pub struct WebhookConfig {
    pub url: String,
    /// Attempts in all (at least 1).
    pub max_attempts: u32,
    /// Wait before the second attempt; doubled for each further one.
    pub initial_backoff: Duration,
    /// Longest wait between two attempts.
    pub max_backoff: Duration,
    /// Time limit of one attempt.
    pub timeout: Duration,
}

impl WebhookConfig {
    pub fn new(url: impl Into<String>) -> Self {
        WebhookConfig {
            url: url.into(),
            max_attempts: 5,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WebhookOutcome {
    pub delivered: bool,
    pub attempts: u32,
    /// Status or error of the last failed attempt.
    pub last_error: Option<String>,
}

/// Posts `body` to the webhook, retrying as configured.
pub fn post_json(cfg: &WebhookConfig, body: &Value) -> WebhookOutcome {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(cfg.timeout))
        .http_status_as_error(false)
        .build()
        .into();
    let text = body.to_string();
    let mut backoff = cfg.initial_backoff;
    let mut last_error = None;
    let attempts = cfg.max_attempts.max(1);
    for attempt in 1..=attempts {
        let result = agent
            .post(&cfg.url)
            .header("content-type", "application/json")
            .send(text.as_str());
        match result {
            Ok(resp) if resp.status().is_success() => {
                return WebhookOutcome {
                    delivered: true,
                    attempts: attempt,
                    last_error,
                }
            }
            Ok(resp) => last_error = Some(format!("HTTP {}", resp.status().as_u16())),
            Err(e) => last_error = Some(e.to_string()),
        }
        if attempt < attempts {
            std::thread::sleep(backoff);
            backoff = (backoff * 2).min(cfg.max_backoff);
        }
    }
    WebhookOutcome {
        delivered: false,
        attempts,
        last_error,
    }
}
