//! The pages behind the signed links in emails (`/links?t=TOKEN`).
//!
//! `GET` only looks: it checks the link and shows the praise and one button. Mail scanners and
//! link previews that fetch every URL in an email therefore change nothing. The button's `POST`
//! (the token in the form body) makes the decision through `moderation`, recording the link as
//! used in the same transaction. A changed, cut or foreign link gets `400`, an old one `410`, a
//! used one `409`: each a page that says so and changes nothing. The token travels in the query
//! and the body, never the path, because request logs record paths.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use maud::html;
use serde::Deserialize;

use super::pages::{self, Lang, NoticeKind};
use super::AppState;
use crate::links::{CheckError, Link, LinkError, LinkSigner, Purpose};
use crate::store::{Moderated, PraiseStatus, StoredPraise, UsedLink};

#[derive(Debug, Deserialize)]
pub struct Token {
    #[serde(default)]
    t: String,
}

/// `GET /links?t=…`: what the link will do, and the button that does it.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(token): Query<Token>,
) -> Response {
    let fallback = Lang::negotiate(&headers);
    let (link, praise) = match open(&state, &token.t).await {
        Ok(found) => found,
        Err(refusal) => return refusal.page(fallback),
    };
    let lang = Lang::from_tag(&praise.language);
    let (title, button) = match link.purpose {
        Purpose::Approve => (
            lang.pick("Approve this praise?", "Approuver ce message?"),
            lang.pick("Approve", "Approuver"),
        ),
        Purpose::Reject => (
            lang.pick("Reject this praise?", "Refuser ce message?"),
            lang.pick("Reject", "Refuser"),
        ),
    };
    let explain = match link.purpose {
        Purpose::Approve => lang.pick(
            "Approving puts it on the wall (when the visitor allowed publishing) and lets the employee know.",
            "L'approuver l'affiche sur le mur (si la personne l'a permis) et en informe l'employé.",
        ),
        Purpose::Reject => lang.pick(
            "Rejecting keeps it off the wall; no one else is told.",
            "Le refuser le garde hors du mur; personne d'autre n'est informé.",
        ),
    };
    let body = html! {
        (praise_summary(&praise, lang))
        p { (explain) }
        form method="post" action=(crate::notify::LINK_PATH) {
            input type="hidden" name="t" value=(token.t.trim());
            button type="submit" class="button primary" { (button) }
        }
        p class="muted" {
            (lang.pick("This link works once.", "Ce lien ne fonctionne qu'une fois."))
        }
    };
    pages::page_headers(pages::layout(lang, title, body))
}

/// `POST /links` (form field `t`): makes the decision.
pub async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(token): Form<Token>,
) -> Response {
    let fallback = Lang::negotiate(&headers);
    let (link, praise) = match open(&state, &token.t).await {
        Ok(found) => found,
        Err(refusal) => return refusal.page(fallback),
    };
    let lang = Lang::from_tag(&praise.language);
    let status = match link.purpose {
        Purpose::Approve => PraiseStatus::Approved,
        Purpose::Reject => PraiseStatus::Rejected,
    };
    let used = UsedLink {
        key: link.use_key(),
        purpose: link.purpose.as_str().to_owned(),
    };
    match crate::moderation::set_status_by_link(&state.store, &praise.id, status, &used).await {
        Ok(Moderated::Done) => {
            tracing::info!(praise = %praise.id, decision = link.purpose.as_str(), "decided by link");
            let (title, text) = match link.purpose {
                Purpose::Approve => (
                    lang.pick("Approved", "Approuvé"),
                    lang.pick(
                        "Thank you. The praise is approved, and the employee will hear about it.",
                        "Merci. Le message est approuvé, et l'employé en sera informé.",
                    ),
                ),
                Purpose::Reject => (
                    lang.pick("Rejected", "Refusé"),
                    lang.pick(
                        "The praise is rejected; it stays off the wall.",
                        "Le message est refusé; il ne paraîtra pas sur le mur.",
                    ),
                ),
            };
            let body = html! {
                (pages::notice(NoticeKind::Done, text))
                (praise_summary(&praise, lang))
            };
            pages::page_headers(pages::layout(lang, title, body))
        }
        Ok(Moderated::LinkUsed) => Refusal::Link(LinkError::Used).page(lang),
        Ok(Moderated::NotFound) => Refusal::Gone.page(lang),
        Err(err) => {
            tracing::warn!(error = %err, "deciding by link failed");
            Refusal::Unavailable.page(lang)
        }
    }
}

/// Why a link page can't go on.
enum Refusal {
    Link(LinkError),
    /// The praise was erased.
    Gone,
    Unavailable,
}

impl Refusal {
    fn page(&self, lang: Lang) -> Response {
        let (status, title, text) = match self {
            Refusal::Link(LinkError::Invalid) => (
                StatusCode::BAD_REQUEST,
                lang.pick("This link doesn't work", "Ce lien ne fonctionne pas"),
                lang.pick(
                    "It may have been cut or changed on its way. Open it again from the email, or decide from the owner's pages.",
                    "Il a peut-être été coupé ou modifié en chemin. Ouvrez-le de nouveau depuis le courriel, ou décidez depuis les pages du propriétaire.",
                ),
            ),
            Refusal::Link(LinkError::Expired) => (
                StatusCode::GONE,
                lang.pick("This link has expired", "Ce lien est expiré"),
                lang.pick(
                    "Links in emails work for 14 days. Nothing was changed; you can still decide from the owner's pages.",
                    "Les liens des courriels sont valides 14 jours. Rien n'a été modifié; vous pouvez encore décider depuis les pages du propriétaire.",
                ),
            ),
            Refusal::Link(LinkError::Used) => (
                StatusCode::CONFLICT,
                lang.pick("This link was already used", "Ce lien a déjà servi"),
                lang.pick(
                    "A decision was already made with this email's links. Nothing was changed.",
                    "Une décision a déjà été prise avec les liens de ce courriel. Rien n'a été modifié.",
                ),
            ),
            Refusal::Gone => (
                StatusCode::NOT_FOUND,
                lang.pick("This praise is no longer here", "Ce message n'existe plus"),
                lang.pick(
                    "It was removed. Nothing was changed.",
                    "Il a été supprimé. Rien n'a été modifié.",
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

/// Checks the token (signature, time, not used) and finds its praise.
async fn open(state: &AppState, token: &str) -> Result<(Link, StoredPraise), Refusal> {
    let signer = LinkSigner::load(&state.store, state.settings.secret_key.as_deref())
        .await
        .map_err(|_| Refusal::Unavailable)?;
    let link = match signer.check(&state.store, token, crate::now_ms()).await {
        Ok(link) => link,
        Err(CheckError::Link(err)) => return Err(Refusal::Link(err)),
        Err(CheckError::Store(_)) => return Err(Refusal::Unavailable),
    };
    match state.store.praise(&link.subject).await {
        Ok(Some(praise)) => Ok((link, praise)),
        Ok(None) => Err(Refusal::Gone),
        Err(_) => Err(Refusal::Unavailable),
    }
}

/// Who, where, when and the story; and its status when already decided.
fn praise_summary(praise: &StoredPraise, lang: Lang) -> maud::Markup {
    let staff = praise
        .staff_name
        .as_deref()
        .or(praise.staff_description.as_deref())
        .unwrap_or("—");
    let status = match praise.status.as_str() {
        "approved" => Some(lang.pick("Already approved.", "Déjà approuvé.")),
        "rejected" => Some(lang.pick("Already rejected.", "Déjà refusé.")),
        _ => None,
    };
    html! {
        div class="card item" {
            dl {
                dt { (lang.pick("Who", "Qui")) } dd { (staff) }
                @if let Some(location) = &praise.location {
                    dt { (lang.pick("Where", "Où")) } dd { (location) }
                }
                @if let Some(day) = &praise.occurred_on {
                    dt { (lang.pick("When", "Quand")) } dd { (day) }
                }
            }
            blockquote { (praise.story) }
        }
        @if let Some(status) = status { p class="muted" { (status) } }
    }
}
