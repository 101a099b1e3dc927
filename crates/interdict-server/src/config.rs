//! Server configuration: where to listen, which lists to load, API keys and limits.
//!
//! A configuration file is JSON (every field optional):
//!
//! ```json
//! {
//!   "bind": "127.0.0.1:8000",
//!   "lists": ["lists/sdn.xml", "lists/un.xml"],
//!   "api_keys": [{"key": "s3cret", "scopes": ["screen"]}, {"key": "adm1n", "scopes": ["admin"]}],
//!   "limits": {"max_body_bytes": 1048576, "max_batch": 100, "max_name_chars": 500,
//!              "rate_per_second": 50, "rate_burst": 100}
//! }
//! ```
//!
//! Keys may also come from `INTERDICT_API_KEYS` as `key1:screen,key2:admin` (a key may carry
//! several scopes: `key3:screen+admin`).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::ServerError;

/// What a key may do. `Admin` implies `Screen`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Screen,
    Admin,
}

impl Scope {
    fn parse(s: &str) -> Option<Scope> {
        match s.trim().to_ascii_lowercase().as_str() {
            "screen" => Some(Scope::Screen),
            "admin" => Some(Scope::Admin),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ApiKey {
    pub key: String,
    pub scopes: Vec<Scope>,
}

impl ApiKey {
    pub fn allows(&self, needed: Scope) -> bool {
        self.scopes
            .iter()
            .any(|s| *s == needed || *s == Scope::Admin)
    }
}

/// Request limits; each is answered with a 4xx JSON error when exceeded.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest accepted request body.
    pub max_body_bytes: usize,
    /// Most queries in one batch (`/v1/screen` and yente's `/match`).
    pub max_batch: usize,
    /// Longest accepted name, in characters.
    pub max_name_chars: usize,
    /// Most results per query.
    pub max_limit: usize,
    /// Token-bucket refill rate per API key (or per client address without a key);
    /// 0 disables rate limiting.
    pub rate_per_second: f64,
    /// Token-bucket size: how many requests may arrive at once.
    pub rate_burst: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 1 << 20,
            max_batch: 100,
            max_name_chars: 500,
            max_limit: 500,
            rate_per_second: 200.0,
            rate_burst: 400.0,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    pub bind: Option<SocketAddr>,
    pub lists: Vec<PathBuf>,
    pub api_keys: Vec<ApiKey>,
    pub limits: Limits,
}

impl ServerConfig {
    /// Reads a JSON configuration file.
    pub fn from_file(path: &Path) -> Result<ServerConfig, ServerError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ServerError::Config(format!("cannot read {}: {e}", path.display())))?;
        serde_json::from_str(&text)
            .map_err(|e| ServerError::Config(format!("{}: {e}", path.display())))
    }

    /// Adds keys given as `key1:screen,key2:admin,key3:screen+admin`.
    pub fn add_keys_from_env_value(&mut self, value: &str) -> Result<(), ServerError> {
        for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (key, scopes) = item.split_once(':').ok_or_else(|| {
                ServerError::Config(
                    "INTERDICT_API_KEYS: expected key:scope[+scope], comma-separated".into(),
                )
            })?;
            if key.trim().is_empty() {
                return Err(ServerError::Config("INTERDICT_API_KEYS: empty key".into()));
            }
            let scopes = scopes
                .split('+')
                .map(|s| {
                    Scope::parse(s).ok_or_else(|| {
                        ServerError::Config(format!(
                            "INTERDICT_API_KEYS: unknown scope {s:?} (expected screen or admin)"
                        ))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            self.api_keys.push(ApiKey {
                key: key.trim().to_string(),
                scopes,
            });
        }
        Ok(())
    }

    /// Refuses to listen beyond loopback when no API key is configured.
    pub fn check_bind(&self, addr: SocketAddr) -> Result<(), ServerError> {
        if self.api_keys.is_empty() && !addr.ip().is_loopback() {
            return Err(ServerError::Config(format!(
                "refusing to listen on {addr} without API keys: configure keys (config file \
                 \"api_keys\" or INTERDICT_API_KEYS=key:screen,key2:admin) or bind to a \
                 loopback address such as 127.0.0.1"
            )));
        }
        let l = &self.limits;
        let rate_ok = l.rate_per_second.is_finite() && l.rate_per_second >= 0.0;
        let burst_ok =
            l.rate_per_second == 0.0 || (l.rate_burst.is_finite() && l.rate_burst >= 1.0);
        if !rate_ok || !burst_ok {
            return Err(ServerError::Config(
                "limits: rate_per_second must be >= 0 and rate_burst >= 1".into(),
            ));
        }
        if l.max_batch == 0 || l.max_body_bytes == 0 || l.max_name_chars == 0 || l.max_limit == 0 {
            return Err(ServerError::Config("limits must be positive".into()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_keys_parse() {
        let mut c = ServerConfig::default();
        c.add_keys_from_env_value("a:screen, b:admin,c:screen+admin")
            .unwrap();
        assert_eq!(c.api_keys.len(), 3);
        assert!(c.api_keys[1].allows(Scope::Screen));
        assert!(!c.api_keys[0].allows(Scope::Admin));
        assert!(c.add_keys_from_env_value("x:root").is_err());
        assert!(c.add_keys_from_env_value("nokey").is_err());
    }

    #[test]
    fn no_keys_means_loopback_only() {
        let c = ServerConfig::default();
        assert!(c.check_bind("127.0.0.1:80".parse().unwrap()).is_ok());
        assert!(c.check_bind("[::1]:80".parse().unwrap()).is_ok());
        assert!(c.check_bind("0.0.0.0:80".parse().unwrap()).is_err());
    }
}
