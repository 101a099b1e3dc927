//! Request decoding with clear errors: JSON bodies (size, UTF-8, syntax, types) and query
//! strings with repeated keys (`include_dataset=a&include_dataset=b`).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body, decoded with errors in the API's shape.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e: BytesRejection| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "body_too_large",
                        "the request body is larger than the server accepts",
                    )
                } else {
                    ApiError::bad_request("bad_body", format!("cannot read the body: {e}"))
                }
            })?;
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            ApiError::bad_request(
                "invalid_utf8",
                format!("the body is not valid UTF-8 (at byte {})", e.valid_up_to()),
            )
        })?;
        if text.trim().is_empty() {
            return Err(ApiError::bad_request(
                "empty_body",
                "the body is empty; expected JSON",
            ));
        }
        serde_json::from_str(text).map(ApiJson).map_err(|e| {
            if e.is_data() {
                ApiError::unprocessable("invalid_type", format!("invalid request: {e}"))
            } else {
                ApiError::bad_request("malformed_json", format!("malformed JSON: {e}"))
            }
        })
    }
}

/// The query string as (key, value) pairs, repeated keys kept in order.
pub struct QueryPairs(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for QueryPairs {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let q = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .map(QueryPairs)
            .map_err(|e| ApiError::bad_request("bad_query", format!("bad query string: {e}")))
    }
}

impl QueryPairs {
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn last(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A number in `[0, 1]`.
    pub fn score(&self, key: &str) -> Result<Option<f64>, ApiError> {
        match self.last(key) {
            None | Some("") => Ok(None),
            Some(v) => match v.parse::<f64>() {
                Ok(x) if (0.0..=1.0).contains(&x) => Ok(Some(x)),
                _ => Err(ApiError::bad_request(
                    "bad_parameter",
                    format!("{key}={v:?}: expected a number between 0 and 1"),
                )),
            },
        }
    }

    /// A non-negative integer.
    pub fn count(&self, key: &str) -> Result<Option<usize>, ApiError> {
        match self.last(key) {
            None | Some("") => Ok(None),
            Some(v) => v.parse::<usize>().map(Some).map_err(|_| {
                ApiError::bad_request(
                    "bad_parameter",
                    format!("{key}={v:?}: expected a non-negative integer"),
                )
            }),
        }
    }
}
