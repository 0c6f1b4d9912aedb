//! The delivery log of Slack, Teams and outgoing webhooks (`crate::webhooks`): each delivery
//! with its state, and each attempt (time, target kind, HTTP status or error, attempt number),
//! newest first. A delivery waiting for its backoff, or kept as failed, can be retried now.
//! Never a URL: the target's kind only.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::Response;
use maud::{html, Markup};
use serde::Deserialize;

use super::{format_time, owner_page, see_other, Fields, Owner, OwnerError};
use crate::http::pages::{notice, Lang, NoticeKind};
use crate::http::AppState;
use crate::webhooks::{self, Target, WebhookAttempt, WebhookDelivery};

/// How many deliveries and attempts the page shows.
const SHOWN: i64 = 200;

#[derive(Debug, Deserialize)]
pub struct PageParams {
    done: Option<String>,
}

fn target_name(lang: Lang, target: &str) -> &'static str {
    match Target::parse(target) {
        Some(Target::Slack) => "Slack",
        Some(Target::Teams) => "Microsoft Teams",
        Some(Target::Webhook) => lang.pick("Webhook", "Webhook"),
        None => "?",
    }
}

fn event_name(lang: Lang, event: &str) -> &'static str {
    match event {
        webhooks::RECEIVED => lang.pick("new praise", "nouveau remerciement"),
        webhooks::APPROVED => lang.pick("praise approved", "remerciement approuvé"),
        _ => "?",
    }
}

fn state_name(lang: Lang, delivery: &WebhookDelivery) -> String {
    match delivery.status.as_str() {
        "done" => lang.pick("delivered", "livré").to_owned(),
        "failed" => lang.pick("failed", "échec").to_owned(),
        "running" => lang.pick("sending", "envoi en cours").to_owned(),
        _ if delivery.attempts == 0 => lang.pick("waiting", "en attente").to_owned(),
        _ => format!(
            "{} {}",
            lang.pick("next attempt at", "prochain essai à"),
            format_time(delivery.run_at)
        ),
    }
}

fn result_text(lang: Lang, attempt: &WebhookAttempt) -> String {
    match (&attempt.error, attempt.status_code) {
        (None, Some(code)) => format!("{} (HTTP {code})", lang.pick("delivered", "livré")),
        (Some(error), _) => error.clone(),
        (None, None) => lang.pick("delivered", "livré").to_owned(),
    }
}

fn delivery_row(owner: &Owner, delivery: &WebhookDelivery) -> Markup {
    let lang = owner.lang;
    let (praise, event, target) = webhooks::parse_delivery_subject(&delivery.subject)
        .map(|(p, e, t)| (p, e, t.as_str()))
        .unwrap_or(("?", "?", "?"));
    let label = format!(
        "{} \u{2014} {}",
        target_name(lang, target),
        event_name(lang, event)
    );
    html! {
        tr {
            th scope="row" { (target_name(lang, target)) }
            td { (event_name(lang, event)) br; span class="muted" { code { (praise) } } }
            td { (state_name(lang, delivery)) }
            td { (delivery.attempts) }
            td { (delivery.last_error.as_deref().unwrap_or("")) }
            td {
                @if delivery.status == "queued" || delivery.status == "failed" {
                    form method="post" action="/owner/deliveries/retry" {
                        (owner.csrf_field())
                        input type="hidden" name="id" value=(delivery.job_id);
                        button type="submit" class="secondary" {
                            (lang.pick("Retry now", "Réessayer maintenant"))
                            span class="visually-hidden" { ": " (label) ", " (praise) }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /owner/deliveries`.
pub async fn page(
    owner: Owner,
    State(state): State<AppState>,
    Query(params): Query<PageParams>,
) -> Result<Response, OwnerError> {
    let lang = owner.lang;
    let deliveries = state.store.webhook_deliveries(SHOWN).await?;
    let attempts = state.store.webhook_attempts(SHOWN).await?;
    let configured: Vec<(String, Vec<&'static str>)> = state
        .settings
        .sites
        .iter()
        .map(|site| {
            (
                site.id.clone(),
                webhooks::targets(site)
                    .into_iter()
                    .map(|t| target_name(lang, t.as_str()))
                    .collect(),
            )
        })
        .collect();
    let body = html! {
        @match params.done.as_deref() {
            Some("retried") => (notice(NoticeKind::Done, lang.pick("The delivery will be tried again within a few seconds.", "La livraison sera réessayée d'ici quelques secondes."))),
            Some("not-retried") => (notice(NoticeKind::Problem, lang.pick("That delivery can't be retried now (it is being sent or was delivered).", "Cette livraison ne peut pas être réessayée maintenant (envoi en cours ou déjà livrée)."))),
            _ => {}
        }
        p {
            (lang.pick("New and approved praise is posted to each site's Slack, Microsoft Teams and webhook addresses (set in the configuration; they are secrets and never shown here). A failed delivery is retried after 30 seconds, then twice as long each time, up to an hour.",
                "Les nouveaux remerciements et ceux approuvés sont envoyés aux adresses Slack, Microsoft Teams et webhook de chaque site (réglées dans la configuration; ce sont des secrets, jamais affichés ici). Une livraison ratée est réessayée après 30 secondes, puis deux fois plus tard chaque fois, jusqu'à une heure."))
        }
        ul {
            @for (site, targets) in &configured {
                li {
                    (lang.pick("Site", "Site")) " " code { (site) } (lang.pick(": ", " : "))
                    @if targets.is_empty() { (lang.pick("no webhooks configured", "aucun webhook configuré")) }
                    @else { (targets.join(", ")) }
                }
            }
        }
        h2 { (lang.pick("Deliveries", "Livraisons")) }
        @if deliveries.is_empty() {
            p { (lang.pick("Nothing was sent yet.", "Rien n'a encore été envoyé.")) }
        } @else {
            div class="wide" tabindex="0" role="region" aria-label=(lang.pick("Deliveries", "Livraisons")) {
                table {
                    thead {
                        tr {
                            th scope="col" { (lang.pick("Target", "Destination")) }
                            th scope="col" { (lang.pick("Event, praise", "Événement, remerciement")) }
                            th scope="col" { (lang.pick("State", "État")) }
                            th scope="col" { (lang.pick("Attempts", "Essais")) }
                            th scope="col" { (lang.pick("Last error", "Dernière erreur")) }
                            th scope="col" { (lang.pick("Action", "Action")) }
                        }
                    }
                    tbody { @for delivery in &deliveries { (delivery_row(&owner, delivery)) } }
                }
            }
        }
        h2 { (lang.pick("Attempts", "Essais")) }
        @if attempts.is_empty() {
            p { (lang.pick("No attempt yet.", "Aucun essai pour l'instant.")) }
        } @else {
            div class="wide" tabindex="0" role="region" aria-label=(lang.pick("Attempts", "Essais")) {
                table {
                    thead {
                        tr {
                            th scope="col" { (lang.pick("Time", "Heure")) }
                            th scope="col" { (lang.pick("Target", "Destination")) }
                            th scope="col" { (lang.pick("Event, praise", "Événement, remerciement")) }
                            th scope="col" { (lang.pick("Attempt", "Essai")) }
                            th scope="col" { (lang.pick("Result", "Résultat")) }
                        }
                    }
                    tbody {
                        @for attempt in &attempts {
                            tr class=(if attempt.error.is_some() { "failed" } else { "delivered" }) {
                                th scope="row" { (format_time(attempt.at)) }
                                td { (target_name(lang, &attempt.target)) }
                                td { (event_name(lang, &attempt.event)) br; span class="muted" { code { (attempt.praise_id) } } }
                                td { (attempt.attempt) }
                                td { (result_text(lang, attempt)) span class="muted" { " (" (attempt.duration_ms) " ms)" } }
                            }
                        }
                    }
                }
            }
        }
    };
    let title = lang.pick("Delivery log", "Journal des livraisons");
    Ok(owner_page(&owner, "/owner/deliveries", title, body))
}

/// `POST /owner/deliveries/retry`: `id` is due now.
pub async fn retry(
    owner: Owner,
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, OwnerError> {
    let fields = Fields::parse(&body);
    owner.check_csrf(&fields)?;
    let id = fields.text("id");
    if id.is_empty() {
        return Err(OwnerError::BadRequest(
            "Which delivery? The form lacked its id.",
            "Quelle livraison? Le formulaire n'avait pas son identifiant.",
        ));
    }
    let retried = state.store.retry_webhook_now(id, crate::now_ms()).await?;
    tracing::info!(job = %id, retried, "owner: retry a webhook delivery now");
    Ok(see_other(if retried {
        "/owner/deliveries?done=retried"
    } else {
        "/owner/deliveries?done=not-retried"
    }))
}
