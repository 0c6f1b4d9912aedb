//! The public read side: `GET /v1/wall` (published praise, paged) and `GET /v1/staff` (the
//! roster in the widget's `staff-url` format). Both are cacheable: `ETag` + `304` and
//! `Cache-Control: public, max-age=60`, so a busy page costs a revalidation, not a query body.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{ApiError, AppState};
use crate::store::{WallItem, WallKey, WallQuery};

/// Items per page when the client doesn't say, and the most it may ask for.
pub const DEFAULT_WALL_LIMIT: u32 = 20;
pub const MAX_WALL_LIMIT: u32 = 50;

#[derive(Debug, Deserialize)]
pub struct WallParams {
    limit: Option<String>,
    cursor: Option<String>,
    location: Option<String>,
    staff: Option<String>,
    site: Option<String>,
}

/// `docs/schema/wall.v1.json`.
#[derive(Serialize)]
struct WallPage<'a> {
    schema_version: u32,
    items: &'a [WallItem],
    next_cursor: Option<String>,
}

pub async fn wall(
    State(state): State<AppState>,
    Query(params): Query<WallParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let site = state
        .site_by_id(params.site.as_deref())
        .ok_or(ApiError::BadQuery("No site has that id."))?;
    let limit = match params.limit.as_deref() {
        None | Some("") => DEFAULT_WALL_LIMIT,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_WALL_LIMIT).contains(n))
            .ok_or(ApiError::BadQuery("limit must be a number from 1 to 50."))?,
    };
    let before = match params.cursor.as_deref() {
        None | Some("") => None,
        Some(cursor) => Some(
            decode_cursor(cursor).ok_or(ApiError::BadQuery("The cursor is not one we gave."))?,
        ),
    };
    let non_empty = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
    let page = state
        .store
        .wall(&WallQuery {
            site_id: site.id.clone(),
            limit,
            before,
            location: non_empty(params.location),
            staff: non_empty(params.staff),
        })
        .await?;
    let body = serde_json::to_vec(&WallPage {
        schema_version: 1,
        items: &page.items,
        next_cursor: page.next.map(|key| encode_cursor(&key)),
    })
    .map_err(|err| ApiError::Internal(err.to_string()))?;
    Ok(cacheable_json(&headers, body))
}

/// A roster entry as the widget reads it: never the email addresses.
#[derive(Serialize)]
struct PublicStaff<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    nicknames: &'a [String],
}

#[derive(Debug, Deserialize)]
pub struct StaffParams {
    site: Option<String>,
}

pub async fn staff(
    State(state): State<AppState>,
    Query(params): Query<StaffParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let site = state
        .site_by_id(params.site.as_deref())
        .ok_or(ApiError::BadQuery("No site has that id."))?;
    let records = state.store.staff(&site.id).await?;
    let public: Vec<PublicStaff<'_>> = records
        .iter()
        .map(|record| PublicStaff {
            id: &record.id,
            name: &record.name,
            role: record.role.as_deref(),
            location: record.location.as_deref(),
            nicknames: &record.nicknames,
        })
        .collect();
    let body = serde_json::to_vec(&public).map_err(|err| ApiError::Internal(err.to_string()))?;
    Ok(cacheable_json(&headers, body))
}

/// A JSON reply with a strong ETag of its bytes, or `304` when the client has them already.
fn cacheable_json(request: &HeaderMap, body: Vec<u8>) -> Response {
    let digest = Sha256::digest(&body);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"{hex}\"");
    let matches = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*");
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response()
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    response
}

/// The cursor is opaque to clients: base64url of `featured.received_at.id` of the last item
/// shown (featured is 0 or 1). A cursor from before featuring existed, `received_at.id`, reads
/// as not featured.
fn encode_cursor(key: &WallKey) -> String {
    URL_SAFE_NO_PAD.encode(format!(
        "{}.{}.{}",
        u8::from(key.featured),
        key.received_at,
        key.id
    ))
}

fn decode_cursor(cursor: &str) -> Option<WallKey> {
    if cursor.len() > 200 {
        return None;
    }
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()?;
    let mut parts = text.splitn(3, '.');
    let (first, second, third) = (parts.next()?, parts.next()?, parts.next());
    let (featured, at, id) = match third {
        Some(id) => (
            match first {
                "0" => false,
                "1" => true,
                _ => return None,
            },
            second,
            id,
        ),
        None => (false, first, second),
    };
    Some(WallKey {
        featured,
        received_at: at.parse().ok()?,
        id: id.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_forgeries() {
        let key = WallKey {
            featured: true,
            received_at: 1_764_000_000_000,
            id: "3f1c2a9e-8b7d-4c21-9e5f-0a1b2c3d4e5f".into(),
        };
        assert_eq!(decode_cursor(&encode_cursor(&key)), Some(key.clone()));
        // A cursor handed out before featuring existed still pages on.
        let old = URL_SAFE_NO_PAD.encode("1764000000000.3f1c2a9e-8b7d-4c21-9e5f-0a1b2c3d4e5f");
        assert_eq!(
            decode_cursor(&old),
            Some(WallKey {
                featured: false,
                ..key
            })
        );
        for bad in ["", "!!!", "bm90LWEtbnVtYmVy", &"A".repeat(300)] {
            assert_eq!(decode_cursor(bad), None, "{bad}");
        }
    }
}
