//! `POST /v1/submissions`: the widget's envelopes, both types.
//!
//! In order: the page's origin must be on a site's list (403), the body must be JSON (415), the
//! client and the site must have tokens left (429), the body must fit the limit (413) and be
//! an envelope of the contract (400/422). Then spam is judged (stored as `spam`, answered like
//! anything else: a bot learns nothing) and the submission is committed before the reply.

use std::net::{IpAddr, SocketAddr};

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http_body_util::BodyExt;
use serde_json::json;

use super::{ApiError, AppState};
use crate::config::{Settings, Site};
use crate::contract::{self, Body as Content, Envelope, Rejection};
use crate::store::{NewContent, NewPraise, NewSubmission, NewSubscription, PraiseStatus, Reply};

pub async fn receive(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|value| value.to_str().ok());
    let site = state
        .site_for_origin(origin)
        .cloned()
        .ok_or(ApiError::OriginNotAllowed)?;
    if !is_json(&headers) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let ip = client_ip(&headers, peer, state.settings.trust_forwarded_for);
    state
        .limits
        .check(ip, &site.id)
        .map_err(|retry_after| ApiError::RateLimited { retry_after })?;
    let bytes = read_limited(body, state.settings.body_limit_bytes).await?;
    let envelope = contract::parse(&bytes).map_err(|rejection| match rejection {
        Rejection::Malformed => ApiError::Malformed,
        Rejection::Invalid(errors) => ApiError::Invalid(errors),
    })?;
    let submission = judge(envelope, &site, &state.settings, ip);
    let reply = state.ingest.submit(submission).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({ "status": reply.as_str() })),
    )
        .into_response())
}

/// `application/json`, with or without parameters (`; charset=utf-8`).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

/// The client's address: the socket's peer, or the last `X-Forwarded-For` hop (the one our
/// own proxy appended) when the operator says a proxy is in front.
pub(crate) fn client_ip(
    headers: &HeaderMap,
    peer: SocketAddr,
    trust_forwarded_for: bool,
) -> IpAddr {
    if trust_forwarded_for {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
            .next_back();
        if let Some(ip) = forwarded {
            return ip;
        }
    }
    peer.ip()
}

/// Reads the body up to `limit` bytes. An oversized body is read on to its end (the outer
/// layer caps that) and then refused, so the client is listening when the 413 comes.
async fn read_limited(body: Body, limit: usize) -> Result<Vec<u8>, ApiError> {
    let mut body = body;
    let mut bytes = Vec::new();
    let mut over = false;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            // The hard limit cut it off, or the client went away mid-body.
            return Err(ApiError::TooLarge { limit });
        };
        if let Ok(data) = frame.into_data() {
            if !over && bytes.len() + data.len() <= limit {
                bytes.extend_from_slice(&data);
            } else {
                over = true;
                bytes = Vec::new();
            }
        }
    }
    if over {
        Err(ApiError::TooLarge { limit })
    } else {
        Ok(bytes)
    }
}

/// Decides what a checked envelope becomes: its status, and the reply it gets.
fn judge(envelope: Envelope, site: &Site, settings: &Settings, ip: IpAddr) -> NewSubmission {
    let min_fill_time_ms = settings.min_fill_time_ms;
    let spam =
        !envelope.signals.honeypot.is_empty() || envelope.signals.fill_time_ms < min_fill_time_ms;
    let honeypot_filled = !envelope.signals.honeypot.is_empty();
    let (reply, content) = match envelope.body {
        Content::Praise { data, consent } => {
            let (reply, status) = match (site.auto_publish, spam) {
                (true, false) => (Reply::Accepted, PraiseStatus::Approved),
                (true, true) => (Reply::Accepted, PraiseStatus::Spam),
                (false, false) => (Reply::PendingModeration, PraiseStatus::PendingModeration),
                (false, true) => (Reply::PendingModeration, PraiseStatus::Spam),
            };
            let praise = NewPraise {
                status,
                created_at: envelope.created_at,
                language: envelope.site.language,
                page_url: envelope.site.url,
                staff_name: data.staff_name,
                staff_id: data.staff_id,
                staff_role: data.staff_role,
                staff_description: data.staff_description,
                location: data.location,
                occurred_on: data.occurred_on,
                part_of_day: data.part_of_day,
                story: data.story,
                tags: data.tags,
                visitor_name: data.visitor_name,
                visitor_email: data.visitor_email,
                publish: consent.publish.map(|c| (c.granted, c.version)),
                contact: consent.contact.map(|c| (c.granted, c.version)),
                honeypot_filled,
                fill_time_ms: envelope.signals.fill_time_ms,
                attempt: envelope.signals.attempt,
                widget_version: envelope.widget_version,
            };
            (reply, NewContent::Praise(Box::new(praise)))
        }
        Content::Newsletter { data, consent } => {
            let record = consent.newsletter;
            let subscription = NewSubscription {
                // Automated, or over the per-address and per-network limits (list-bombing):
                // stored, answered alike, and no email goes out (crate::newsletter).
                status: if spam {
                    "spam"
                } else if !crate::newsletter::limits::allow(
                    ip,
                    settings.newsletter_per_ip_hour,
                    settings.newsletter_per_net_hour,
                ) {
                    "limited"
                } else {
                    "pending_confirmation"
                },
                created_at: envelope.created_at,
                language: envelope.site.language,
                page_url: envelope.site.url,
                email: data.email,
                first_name: data.first_name,
                lists: data.lists,
                consent_granted: record.granted,
                consent_version: record.version,
                consent_text_sha256: record.text_sha256,
                consent_given_at: record.given_at,
                honeypot_filled,
                fill_time_ms: envelope.signals.fill_time_ms,
                widget_version: envelope.widget_version,
                ip_prefix: Some(crate::newsletter::ip_prefix(ip)),
            };
            (
                Reply::PendingConfirmation,
                NewContent::Subscription(Box::new(subscription)),
            )
        }
    };
    NewSubmission {
        id: envelope.id,
        site_id: site.id.clone(),
        received_at: crate::now_ms(),
        reply,
        content,
    }
}
