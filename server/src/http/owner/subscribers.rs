//! The newsletter's subscribers as the owner sees them: every subscription with its status and
//! the proof of consent (the exact wording recovered from its version and language, checked
//! against the SHA-256 the widget sent), the consent ledger, a CSV export of the confirmed ones
//! with their consent fields, and erasing one person (what `kudos-server erase` does). One site
//! at a time (`?site=`, the first by default).

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;

use super::{encode, format_time, owner_page, see_other, Fields, Owner, OwnerError};
use crate::http::pages::{notice, Lang, NoticeKind};
use crate::http::AppState;
use crate::newsletter::consent;
use crate::store::Subscriber;

#[derive(Debug, Deserialize)]
pub struct Params {
    site: Option<String>,
    done: Option<String>,
}

fn site_id(state: &AppState, site: Option<&str>) -> Result<String, OwnerError> {
    state
        .site_by_id(site.filter(|site| !site.is_empty()))
        .map(|site| site.id.clone())
        .ok_or(OwnerError::BadRequest(
            "No site has that id.",
            "Aucun site n'a cet identifiant.",
        ))
}

fn status_label(status: &str, lang: Lang) -> &'static str {
    match status {
        "confirmed" => lang.pick("confirmed", "confirmé"),
        "unsubscribed" => lang.pick("unsubscribed", "désabonné"),
        _ => lang.pick("waiting for confirmation", "en attente de confirmation"),
    }
}

fn proof_of(state: &AppState, sub: &Subscriber) -> consent::Proof {
    let site = state.site_by_id(Some(&sub.site_id));
    consent::proof(
        site,
        &sub.consent_version,
        &sub.language,
        &sub.consent_text_sha256,
    )
}

/// `GET /owner/subscribers`.
pub async fn page(
    owner: Owner,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Response, OwnerError> {
    let lang = owner.lang;
    let site = site_id(&state, params.site.as_deref())?;
    let subscribers = state.store.subscribers(&site, false).await?;
    let mut rows = Vec::new();
    for sub in &subscribers {
        let ledger = state.store.ledger(&sub.id).await?;
        rows.push(row(&owner, &state, &site, sub, &ledger));
    }
    let body = html! {
        @if params.done.as_deref() == Some("erased") {
            (notice(NoticeKind::Done, lang.pick("Erased: everything held about this person is gone.", "Effacé : tout ce qui concernait cette personne a été supprimé.")))
        }
        p class="actions" {
            a href=(format!("/owner/subscribers.csv?site={}", encode(&site))) download="subscribers.csv" {
                (lang.pick("Export confirmed subscribers (CSV)", "Exporter les abonnés confirmés (CSV)"))
            }
        }
        @if subscribers.is_empty() {
            p { (lang.pick("No subscribers yet.", "Aucun abonné pour l'instant.")) }
        } @else {
            @for markup in &rows { (markup) }
        }
    };
    let title = lang.pick("Subscribers", "Abonnés");
    Ok(owner_page(&owner, "/owner/subscribers", title, body))
}

fn row(
    owner: &Owner,
    state: &AppState,
    site: &str,
    sub: &Subscriber,
    ledger: &[crate::store::LedgerEntry],
) -> Markup {
    let lang = owner.lang;
    let proof = proof_of(state, sub);
    html! {
        div class="card item" data-subscriber=(sub.email) data-status=(sub.status) {
            h2 { (sub.email) " · " (sub.list_id) }
            dl {
                dt { (lang.pick("Status", "Statut")) } dd class="status" { (status_label(&sub.status, lang)) }
                @if let Some(name) = &sub.first_name { dt { (lang.pick("First name", "Prénom")) } dd { (name) } }
                dt { (lang.pick("Language", "Langue")) } dd { (sub.language) }
                dt { (lang.pick("Consent given", "Consentement donné")) } dd { (sub.consent_given_at) }
                dt { (lang.pick("Received", "Reçu")) } dd { (format_time(sub.consent_received_at)) }
                dt { (lang.pick("From network", "Depuis le réseau")) } dd { (sub.consent_ip_prefix.as_deref().unwrap_or("—")) }
                dt { (lang.pick("Wording version", "Version du libellé")) } dd { (sub.consent_version) }
                dt { (lang.pick("SHA-256 sent", "SHA-256 reçu")) } dd { code { (sub.consent_text_sha256) } }
                dt { (lang.pick("Wording shown", "Libellé affiché")) }
                dd {
                    @match &proof.text {
                        Some(text) => { blockquote class="consent-text" { (text) } }
                        None => { span { (lang.pick("This server does not know this version.", "Ce serveur ne connaît pas cette version.")) } }
                    }
                    @if proof.matches {
                        p class="proof matches" { "✓ " (lang.pick("Its SHA-256 matches the one sent.", "Son SHA-256 correspond à celui reçu.")) }
                    } @else {
                        p class="proof differs" { "✗ " (lang.pick("Its SHA-256 does not match the one sent (the wording, company or contact changed).", "Son SHA-256 ne correspond pas à celui reçu (le libellé, l'entreprise ou le contact a changé).")) }
                    }
                }
                dt { (lang.pick("History", "Historique")) }
                dd {
                    ul {
                        @for entry in ledger {
                            li { (entry.event) " — " (format_time(entry.at)) @if let Some(via) = &entry.via { " (" (via) ")" } }
                        }
                    }
                }
            }
            form method="post" action=(format!("/owner/subscribers/erase?site={}", encode(site))) {
                (owner.csrf_field())
                input type="hidden" name="email" value=(sub.email);
                button type="submit" class="secondary" { (lang.pick("Erase this person", "Effacer cette personne")) }
            }
        }
    }
}

/// `POST /owner/subscribers/erase`: erases one person (as `kudos-server erase --email`).
pub async fn erase(
    owner: Owner,
    State(state): State<AppState>,
    Query(params): Query<Params>,
    body: Bytes,
) -> Result<Response, OwnerError> {
    let fields = Fields::parse(&body);
    owner.check_csrf(&fields)?;
    let site = site_id(&state, params.site.as_deref())?;
    let email = fields.text("email");
    if !email.contains('@') {
        return Err(OwnerError::BadRequest(
            "An email address is needed.",
            "Une adresse courriel est requise.",
        ));
    }
    let erased = state.store.erase_email(email).await?;
    tracing::info!(
        subscriptions = erased.subscriptions,
        praise = erased.praise,
        "owner erased a person"
    );
    Ok(see_other(&format!(
        "/owner/subscribers?site={}&done=erased",
        encode(&site)
    )))
}

/// `GET /owner/subscribers.csv`: the confirmed subscribers with their consent fields.
pub async fn export(
    _owner: Owner,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Response, OwnerError> {
    let site = site_id(&state, params.site.as_deref())?;
    let subscribers = state.store.subscribers(&site, true).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let internal = |err: csv::Error| OwnerError::Internal(err.to_string());
    out.write_record([
        "email",
        "first_name",
        "list",
        "language",
        "confirmed_at",
        "consent_version",
        "consent_text_sha256",
        "consent_given_at",
        "consent_received_at",
        "consent_ip_prefix",
        "consent_text",
        "consent_text_matches",
    ])
    .map_err(internal)?;
    for sub in &subscribers {
        let proof = proof_of(&state, sub);
        out.write_record([
            sub.email.as_str(),
            sub.first_name.as_deref().unwrap_or(""),
            &sub.list_id,
            &sub.language,
            &sub.confirmed_at.map(rfc3339).unwrap_or_default(),
            &sub.consent_version,
            &sub.consent_text_sha256,
            &sub.consent_given_at,
            &rfc3339(sub.consent_received_at),
            sub.consent_ip_prefix.as_deref().unwrap_or(""),
            proof.text.as_deref().unwrap_or(""),
            if proof.matches { "yes" } else { "no" },
        ])
        .map_err(internal)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|err| OwnerError::Internal(err.to_string()))?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"subscribers.csv\""),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Unix ms as RFC 3339 (UTC, milliseconds).
fn rfc3339(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|at| {
            at.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}
