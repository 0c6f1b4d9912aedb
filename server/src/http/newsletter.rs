//! The newsletter's pages behind the links in its emails.
//!
//! - `GET /newsletter/confirm?t=…` shows what will be confirmed and one button; a mail scanner
//!   fetching the link changes nothing. The button's `POST` (token in the body) confirms.
//! - `GET /newsletter/unsubscribe?t=…`: the page for people, one button.
//! - `POST /newsletter/unsubscribe?t=…` with the body `List-Unsubscribe=One-Click` is RFC 8058's
//!   one-click unsubscribe, sent by mail programs: no session, no CSRF token (the signed token is
//!   the authority), answered 200. The page's button posts the same way (token in the body).
//!
//! Withdrawals and confirmations are kept in the ledger with their time (`store::newsletter`).

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use super::pages::{self, Lang, NoticeKind};
use super::AppState;
use crate::links::{LinkError, LinkSigner};
use crate::newsletter::tokens::{self, Action};
use crate::newsletter::{CONFIRM_PATH, UNSUBSCRIBE_PATH};
use crate::store::Subscriber;

#[derive(Debug, Deserialize)]
pub struct Token {
    #[serde(default)]
    t: String,
}

enum Refusal {
    Link(LinkError),
    Gone,
    Unavailable,
}

impl Refusal {
    fn page(&self, lang: Lang) -> Response {
        let (status, title, text) = match self {
            Refusal::Link(LinkError::Expired) => (
                StatusCode::GONE,
                lang.pick("This link has expired", "Ce lien est expiré"),
                lang.pick(
                    "Nothing was changed. You can sign up again from the website.",
                    "Rien n'a été modifié. Vous pouvez vous inscrire de nouveau depuis le site.",
                ),
            ),
            Refusal::Link(_) => (
                StatusCode::BAD_REQUEST,
                lang.pick("This link doesn't work", "Ce lien ne fonctionne pas"),
                lang.pick(
                    "It may have been cut or changed on its way. Open it again from the email.",
                    "Il a peut-être été coupé ou modifié en chemin. Ouvrez-le de nouveau depuis le courriel.",
                ),
            ),
            Refusal::Gone => (
                StatusCode::NOT_FOUND,
                lang.pick("There is nothing to confirm", "Il n'y a rien à confirmer"),
                lang.pick(
                    "This request is no longer here: it was withdrawn, replaced by a newer one, or deleted. Nothing was changed.",
                    "Cette demande n'existe plus : elle a été retirée, remplacée par une plus récente ou supprimée. Rien n'a été modifié.",
                ),
            ),
            Refusal::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                lang.pick("Please try again", "Veuillez réessayer"),
                lang.pick(
                    "The server can't reach its database right now. Nothing was changed.",
                    "Le serveur n'arrive pas à joindre sa base de données. Rien n'a été modifié.",
                ),
            ),
        };
        pages::problem_page(lang, status, title, text)
    }
}

async fn action(state: &AppState, token: &str) -> Result<Action, Refusal> {
    let signer = LinkSigner::load(&state.store, state.settings.secret_key.as_deref())
        .await
        .map_err(|_| Refusal::Unavailable)?;
    tokens::verify(&signer, token, crate::now_ms()).map_err(Refusal::Link)
}

async fn confirmable(state: &AppState, token: &str) -> Result<(String, Vec<Subscriber>), Refusal> {
    let Action::Confirm { request_id } = action(state, token).await? else {
        return Err(Refusal::Link(LinkError::Invalid));
    };
    let subscribers = state
        .store
        .subscribers_of_request(&request_id)
        .await
        .map_err(|_| Refusal::Unavailable)?;
    if subscribers.is_empty() || subscribers.iter().all(|s| s.status == "unsubscribed") {
        return Err(Refusal::Gone);
    }
    Ok((request_id, subscribers))
}

fn lists(subscribers: &[Subscriber]) -> String {
    subscribers
        .iter()
        .map(|s| s.list_id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `GET /newsletter/confirm?t=…`: what will be confirmed, and the button.
pub async fn confirm_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(token): Query<Token>,
) -> Response {
    let fallback = Lang::negotiate(&headers);
    let (_, subscribers) = match confirmable(&state, &token.t).await {
        Ok(found) => found,
        Err(refusal) => return refusal.page(fallback),
    };
    let lang = Lang::from_tag(&subscribers[0].language);
    let pending = subscribers.iter().any(|s| s.status == "pending");
    let body = html! {
        @if pending {
            p {
                (lang.pick("Confirm that you want to receive the newsletter at ", "Confirmez que vous voulez recevoir l'infolettre à l'adresse "))
                strong { (subscribers[0].email) }
                (lang.pick(".", "."))
            }
            p class="muted" { (lang.pick("Lists: ", "Listes\u{a0}: ")) (lists(&subscribers)) }
            form method="post" action=(CONFIRM_PATH) {
                input type="hidden" name="t" value=(token.t.trim());
                button type="submit" class="button primary" { (lang.pick("Confirm my subscription", "Confirmer mon abonnement")) }
            }
        } @else {
            (pages::notice(NoticeKind::Done, lang.pick("Your subscription is already confirmed.", "Votre abonnement est déjà confirmé.")))
        }
    };
    let title = lang.pick("Confirm your subscription", "Confirmez votre abonnement");
    pages::page_headers(pages::layout(lang, title, body))
}

/// `POST /newsletter/confirm` (form field `t`): confirms.
pub async fn confirm(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let fallback = Lang::negotiate(&headers);
    let token = field(&body, "t").unwrap_or_default();
    let (request_id, subscribers) = match confirmable(&state, &token).await {
        Ok(found) => found,
        Err(refusal) => return refusal.page(fallback),
    };
    let lang = Lang::from_tag(&subscribers[0].language);
    match state
        .store
        .confirm_request(&request_id, crate::now_ms())
        .await
    {
        Ok(n) => {
            tracing::info!(confirmed = n, "newsletter: confirmed by link");
            let body = html! {
                (pages::notice(NoticeKind::Done, lang.pick(
                    "Thank you: your subscription is confirmed. Every email will have a link to unsubscribe.",
                    "Merci : votre abonnement est confirmé. Chaque courriel contiendra un lien pour vous désabonner.",
                )))
            };
            let title = lang.pick("Subscription confirmed", "Abonnement confirmé");
            pages::page_headers(pages::layout(lang, title, body))
        }
        Err(err) => {
            tracing::warn!(error = %err, "newsletter: confirming failed");
            Refusal::Unavailable.page(lang)
        }
    }
}

async fn unsubscribable(
    state: &AppState,
    token: &str,
) -> Result<(String, String, Vec<Subscriber>), Refusal> {
    let Action::Unsubscribe { site_id, email_key } = action(state, token).await? else {
        return Err(Refusal::Link(LinkError::Invalid));
    };
    let subscribers = state
        .store
        .subscribers_of_address(&site_id, &email_key)
        .await
        .map_err(|_| Refusal::Unavailable)?;
    Ok((site_id, email_key, subscribers))
}

/// `GET /newsletter/unsubscribe?t=…`: the page for people.
pub async fn unsubscribe_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(token): Query<Token>,
) -> Response {
    let fallback = Lang::negotiate(&headers);
    let (_, _, subscribers) = match unsubscribable(&state, &token.t).await {
        Ok(found) => found,
        Err(refusal) => return refusal.page(fallback),
    };
    let lang = subscribers
        .first()
        .map_or(fallback, |s| Lang::from_tag(&s.language));
    let active = subscribers.iter().any(|s| s.status != "unsubscribed");
    let body = html! {
        @if active {
            p { (lang.pick("Stop receiving the newsletter at this address? You can sign up again at any time.", "Ne plus recevoir l'infolettre à cette adresse? Vous pourrez vous réabonner en tout temps.")) }
            form method="post" action=(UNSUBSCRIBE_PATH) {
                input type="hidden" name="t" value=(token.t.trim());
                button type="submit" class="button primary" { (lang.pick("Unsubscribe", "Me désabonner")) }
            }
        } @else {
            (pages::notice(NoticeKind::Done, lang.pick("You are not subscribed: nothing more will be sent.", "Vous n'êtes pas abonné : rien d'autre ne sera envoyé.")))
        }
    };
    let title = lang.pick("Unsubscribe", "Se désabonner");
    pages::page_headers(pages::layout(lang, title, body))
}

/// `POST /newsletter/unsubscribe`: RFC 8058 one-click (token in the query, body
/// `List-Unsubscribe=One-Click`) or the page's button (token in the body).
pub async fn unsubscribe(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<Token>,
    body: Bytes,
) -> Response {
    let fallback = Lang::negotiate(&headers);
    let one_click = field(&body, "List-Unsubscribe").as_deref() == Some("One-Click");
    let token = field(&body, "t")
        .filter(|t| !t.trim().is_empty())
        .unwrap_or(query.t);
    let (site_id, email_key, subscribers) = match unsubscribable(&state, &token).await {
        Ok(found) => found,
        Err(refusal) => return refusal.page(fallback),
    };
    let lang = subscribers
        .first()
        .map_or(fallback, |s| Lang::from_tag(&s.language));
    let via = if one_click { "one_click" } else { "page" };
    match state
        .store
        .unsubscribe_address(&site_id, &email_key, via, crate::now_ms())
        .await
    {
        Ok(n) => {
            tracing::info!(withdrawn = n, via, "newsletter: unsubscribed");
            let body = html! {
                (pages::notice(NoticeKind::Done, lang.pick(
                    "You are unsubscribed: nothing more will be sent to this address.",
                    "Vous êtes désabonné : plus rien ne sera envoyé à cette adresse.",
                )))
            };
            pages::page_headers(pages::layout(
                lang,
                lang.pick("Unsubscribed", "Désabonné"),
                body,
            ))
        }
        Err(err) => {
            tracing::warn!(error = %err, "newsletter: unsubscribing failed");
            Refusal::Unavailable.page(lang)
        }
    }
}

/// The first value of `name` in a form body.
fn field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}
