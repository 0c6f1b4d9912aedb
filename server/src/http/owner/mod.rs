//! The owner's pages, under `/owner`: sign-in (`auth`), moderation, the staff roster and the
//! statistics. Server-rendered with maud through the one layout in `pages`, so they work with no
//! JavaScript, in the widget's visual language (light and dark), in English and Canadian French
//! (`Accept-Language`).
//!
//! Every page but the sign-in ones needs a signed-in session ([`auth::Owner`]); every form carries
//! the session's CSRF token, checked on every POST ([`auth::Owner::check_csrf`]). A page is added
//! by writing its handlers in a module here, routing them in [`router`] and, when it belongs in
//! the navigation, one line in [`NAV`].

mod auth;
mod deliveries;
mod moderation;
mod posters;
mod staff;
mod stats;
mod subscribers;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};

use super::pages::{self, Lang};
use super::AppState;
use crate::store::StoreError;

pub use auth::{add_owner, AdminError, Owner};

/// One entry of the owner's navigation.
pub struct NavItem {
    pub path: &'static str,
    pub en: &'static str,
    pub fr_ca: &'static str,
}

/// The owner's navigation, in order: the one place a new page is listed.
pub const NAV: &[NavItem] = &[
    NavItem {
        path: "/owner/moderation",
        en: "Moderation",
        fr_ca: "Modération",
    },
    NavItem {
        path: "/owner/staff",
        en: "Staff",
        fr_ca: "Personnel",
    },
    NavItem {
        path: "/owner/stats",
        en: "Statistics",
        fr_ca: "Statistiques",
    },
    NavItem {
        path: "/owner/subscribers",
        en: "Subscribers",
        fr_ca: "Abonnés",
    },
    NavItem {
        path: "/owner/deliveries",
        en: "Delivery log",
        fr_ca: "Journal des livraisons",
    },
    NavItem {
        path: "/owner/posters",
        en: "QR posters",
        fr_ca: "Affiches QR",
    },
];

/// Every route of the owner's area.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/owner", get(home))
        .route("/owner/", get(home))
        .route(
            "/owner/sign-in",
            get(auth::sign_in_page).post(auth::sign_in),
        )
        .route("/owner/sign-out", axum::routing::post(auth::sign_out))
        .route(
            "/owner/set-password",
            get(auth::set_password_page).post(auth::set_password),
        )
        .route(
            "/owner/moderation",
            get(moderation::page).post(moderation::act),
        )
        .route(
            "/owner/moderation/edit",
            get(moderation::edit_page).post(moderation::edit),
        )
        .route("/owner/staff", get(staff::list))
        .route("/owner/staff/edit", get(staff::edit_page).post(staff::save))
        .route(
            "/owner/staff/active",
            axum::routing::post(staff::set_active),
        )
        .route("/owner/staff/import", axum::routing::post(staff::import))
        .route("/owner/staff/export.csv", get(staff::export))
        .route("/owner/stats", get(stats::page))
        .route("/owner/stats.csv", get(stats::csv))
        .route("/owner/stats.json", get(stats::json))
        .route("/owner/subscribers", get(subscribers::page))
        .route(
            "/owner/subscribers/erase",
            axum::routing::post(subscribers::erase),
        )
        .route("/owner/subscribers.csv", get(subscribers::export))
        .route("/owner/deliveries", get(deliveries::page))
        .route(
            "/owner/deliveries/retry",
            axum::routing::post(deliveries::retry),
        )
        .route("/owner/posters", get(posters::list))
        .route("/owner/posters/staff", get(posters::staff))
        .route("/owner/posters/location", get(posters::location))
}

/// `GET /owner`: the moderation queue.
async fn home() -> Redirect {
    Redirect::to("/owner/moderation")
}

/// A signed-in page: the navigation (the current page marked) and the sign-out button above
/// `body`, in the shared layout, with the pages' security headers.
pub fn owner_page(owner: &Owner, current: &str, title: &str, body: Markup) -> Response {
    let lang = owner.lang;
    let header = html! {
        nav aria-label=(lang.pick("Owner's pages", "Pages du propriétaire")) {
            ul {
                @for item in NAV {
                    li {
                        @if item.path == current {
                            a href=(item.path) aria-current="page" { (lang.pick(item.en, item.fr_ca)) }
                        } @else {
                            a href=(item.path) { (lang.pick(item.en, item.fr_ca)) }
                        }
                    }
                }
            }
        }
        form method="post" action="/owner/sign-out" {
            (owner.csrf_field())
            span class="muted" { (owner.email) " " }
            button type="submit" class="secondary" { (lang.pick("Sign out", "Se déconnecter")) }
        }
    };
    pages::page_headers(pages::layout_with_header(lang, title, Some(header), body))
}

/// A page outside the signed-in area (sign-in, set password), in the shared layout.
pub fn public_page(lang: Lang, title: &str, body: Markup) -> Response {
    pages::page_headers(pages::layout(lang, title, body))
}

/// `303 See Other` to `location` (after a POST, so a reload doesn't post again).
pub fn see_other(location: &str) -> Response {
    Redirect::to(location).into_response()
}

/// Why an owner's request failed. Each has a sentence for the person (English and French: the
/// failure may come before the language is known) and, for the log, a detail without personal
/// data.
#[derive(Debug, thiserror::Error)]
pub enum OwnerError {
    /// Not signed in: go to the sign-in page.
    #[error("not signed in")]
    NotSignedIn,
    /// The form's CSRF token is missing or not the session's.
    #[error("CSRF token missing or wrong")]
    Csrf,
    /// What the form sent can't be used.
    #[error("bad request: {0}")]
    BadRequest(&'static str, &'static str),
    /// No such praise or staff member.
    #[error("not found")]
    NotFound,
    /// The database can't be reached now.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A bug or a broken database.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StoreError> for OwnerError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Unavailable(detail) => OwnerError::Unavailable(detail),
            StoreError::Failed(detail) => OwnerError::Internal(detail),
        }
    }
}

impl OwnerError {
    fn status_and_text(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            OwnerError::NotSignedIn => (
                StatusCode::SEE_OTHER,
                "Please sign in.",
                "Veuillez vous connecter.",
            ),
            OwnerError::Csrf => (
                StatusCode::FORBIDDEN,
                "This form has expired. Go back, reload the page and try again.",
                "Ce formulaire a expiré. Revenez en arrière, rechargez la page et réessayez.",
            ),
            OwnerError::BadRequest(en, fr_ca) => (StatusCode::BAD_REQUEST, en, fr_ca),
            OwnerError::NotFound => (
                StatusCode::NOT_FOUND,
                "There is nothing here (it may have been erased).",
                "Il n'y a rien ici (cela a peut-être été effacé).",
            ),
            OwnerError::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "The database can't be reached right now. Try again in a moment.",
                "La base de données est injoignable pour le moment. Réessayez dans un instant.",
            ),
            OwnerError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side.",
                "Un problème est survenu de notre côté.",
            ),
        }
    }
}

impl IntoResponse for OwnerError {
    fn into_response(self) -> Response {
        if matches!(self, OwnerError::NotSignedIn) {
            return see_other("/owner/sign-in");
        }
        let (status, en, fr_ca) = self.status_and_text();
        match &self {
            OwnerError::Unavailable(detail) => tracing::warn!(%status, detail, "owner page"),
            OwnerError::Internal(detail) => tracing::error!(%status, detail, "owner page"),
            other => tracing::debug!(%status, reason = %other, "owner page refused"),
        }
        let body = html! {
            p class="notice problem" role="alert" { (en) }
            p class="notice problem" lang="fr-CA" { (fr_ca) }
            p { a href="/owner" { "Back / Retour" } }
        };
        let mut response = pages::page_headers(pages::layout(Lang::En, "Kudos", body));
        *response.status_mut() = status;
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        response
    }
}

/// A form body (`application/x-www-form-urlencoded`), keys in order, repeats kept (bulk
/// actions send one `id` per ticked box).
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &[u8]) -> Fields {
        Fields(
            form_urlencoded::parse(body)
                .map(|(key, value)| (key.into_owned(), value.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The first value of `name`, trimmed, or "".
    pub fn text(&self, name: &str) -> &str {
        self.get(name).map(str::trim).unwrap_or("")
    }

    /// Every value of `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// A Unix-ms time as `2026-11-24 09:30 UTC`.
pub fn format_time(ms: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|at| at.format(&format).ok())
        .unwrap_or_default()
}

/// The query string value, percent-encoded.
pub fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
