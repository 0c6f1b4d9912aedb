//! Every refusal the API gives, as one enum: the status, the JSON body a client reads, and a
//! developer detail for the log (never personal data).

use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::contract::FieldError;
use crate::store::StoreError;

/// Why a request was not served.
#[derive(Debug)]
pub enum ApiError {
    /// 400: the body is not JSON (syntax, invalid UTF-8, nesting too deep).
    Malformed,
    /// 422: JSON, but not an envelope of the contract; the fields the widget can mark.
    Invalid(Vec<FieldError>),
    /// 403: posted from a page whose origin is not on any site's list.
    OriginNotAllowed,
    /// 413: over the body limit.
    TooLarge { limit: usize },
    /// 415: not `application/json`.
    UnsupportedMediaType,
    /// 429: a token bucket is empty; try again after the wait.
    RateLimited { retry_after: Duration },
    /// 400: a query parameter is wrong (wall paging).
    BadQuery(&'static str),
    /// 503: the database can't be reached now; the widget retries.
    Unavailable(String),
    /// 500: a bug or a broken database.
    Internal(String),
}

/// How long a client should wait when the database is away.
const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 5;

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Unavailable(detail) => ApiError::Unavailable(detail),
            StoreError::Failed(detail) => ApiError::Internal(detail),
        }
    }
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::Malformed | ApiError::BadQuery(_) => StatusCode::BAD_REQUEST,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::OriginNotAllowed => StatusCode::FORBIDDEN,
            ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The short code and the sentence a client may show.
    fn code_and_message(&self) -> (&'static str, String) {
        match self {
            ApiError::Malformed => (
                "malformed_json",
                "The request body is not valid JSON.".into(),
            ),
            ApiError::Invalid(_) => ("invalid", "Some fields could not be accepted.".into()),
            ApiError::OriginNotAllowed => (
                "origin_not_allowed",
                "This site is not allowed to send to this receiver.".into(),
            ),
            ApiError::TooLarge { limit } => (
                "too_large",
                format!("The request body is larger than {limit} bytes."),
            ),
            ApiError::UnsupportedMediaType => (
                "unsupported_media_type",
                "Send Content-Type: application/json.".into(),
            ),
            ApiError::RateLimited { .. } => (
                "rate_limited",
                "Too many submissions for now; try again shortly.".into(),
            ),
            ApiError::BadQuery(what) => ("bad_query", (*what).to_owned()),
            ApiError::Unavailable(_) => (
                "unavailable",
                "The receiver can't store anything right now; try again shortly.".into(),
            ),
            ApiError::Internal(_) => ("internal", "Something went wrong on our side.".into()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        match &self {
            ApiError::Unavailable(detail) => tracing::warn!(%status, detail, "refused"),
            ApiError::Internal(detail) => tracing::error!(%status, detail, "failed"),
            _ => tracing::debug!(%status, "refused"),
        }
        let body = match &self {
            ApiError::Invalid(errors) => json!({ "errors": errors }),
            other => {
                let (code, message) = other.code_and_message();
                json!({ "error": code, "message": message })
            }
        };
        let mut response = (status, Json(body)).into_response();
        let retry_after = match &self {
            ApiError::RateLimited { retry_after } => {
                Some(retry_after.as_secs_f64().ceil().max(1.0) as u64)
            }
            ApiError::Unavailable(_) => Some(UNAVAILABLE_RETRY_AFTER_SECS),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
