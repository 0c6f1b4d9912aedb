//! Signing in to the owner's pages.
//!
//! - Accounts are made by `kudos-server admin add EMAIL`, which prints a one-time link
//!   (`/owner/set-password?token=…`, 24 h, single use) to choose the password.
//! - Passwords are stored as argon2id hashes (the `argon2` crate's defaults: 19 MiB, 2 passes),
//!   hashed and checked on the blocking pool. An unknown email is checked against a dummy hash
//!   so that the answer takes as long either way.
//! - Sessions live in the database: a random 256-bit id in the cookie, its SHA-256 in the table
//!   (a copy of the database holds no usable session). The cookie is `HttpOnly; SameSite=Lax;
//!   Path=/owner`, plus `Secure` when `public_url` is https.
//! - Every visitor of the sign-in pages gets a session without an owner, which carries the
//!   form's CSRF token; signing in deletes it and issues a new id (no session fixation).
//! - Every form carries the session's CSRF token, compared in constant time on every POST.
//! - Five failed sign-ins for one account from one address lock that pair for 15 minutes; the
//!   count is in the database, so every instance agrees.

use std::net::SocketAddr;
use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use maud::{html, Markup};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{public_page, see_other, Fields, OwnerError};
use crate::http::pages::{notice, Lang, NoticeKind};
use crate::http::AppState;
use crate::store::{Store, StoreError};

/// The session cookie's name.
pub const COOKIE: &str = "kudos_owner";
/// A signed-in session lasts this long.
const SESSION_MS: i64 = 12 * 3600 * 1000;
/// A session that only carries the sign-in form's token lasts this long.
const ANONYMOUS_MS: i64 = 3600 * 1000;
/// A set-password link works this long.
pub const LINK_MS: i64 = 24 * 3600 * 1000;
/// Passwords are at least this many characters (NIST SP 800-63B asks for 8; passphrases welcome)
/// and at most this many bytes (argon2 takes any length; this bounds the work).
const MIN_PASSWORD_CHARS: usize = 12;
const MAX_PASSWORD_BYTES: usize = 1024;

/// 32 random bytes from the OS, base64url.
pub fn random_token() -> Result<String, OwnerError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|err| OwnerError::Internal(format!("no randomness: {err}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// How secrets are stored: SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Why `admin add` failed.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("`{0}` is not an email address")]
    NotAnEmail(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Other(String),
}

/// `kudos-server admin add EMAIL`: makes the account unless it exists and returns a one-time
/// link to set its password, `{public_url}/owner/set-password?token=…`.
pub async fn add_owner(store: &Store, email: &str, public_url: &str) -> Result<String, AdminError> {
    let email = email.trim();
    if !email.contains('@') || email.len() > 254 || email.chars().any(char::is_whitespace) {
        return Err(AdminError::NotAnEmail(email.to_owned()));
    }
    let now = crate::now_ms();
    let new_id = random_token().map_err(|err| AdminError::Other(err.to_string()))?;
    let owner_id = store.ensure_owner(email, &new_id, now).await?;
    let token = random_token().map_err(|err| AdminError::Other(err.to_string()))?;
    store
        .insert_owner_link(&token_hash(&token), &owner_id, now + LINK_MS)
        .await?;
    Ok(format!(
        "{}/owner/set-password?token={token}",
        public_url.trim_end_matches('/')
    ))
}

/// The session named by the request's cookie, when it is live.
struct Session {
    id_hash: String,
    owner: Option<(String, String)>,
    csrf: String,
}

fn cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty() && value.len() <= 100)
}

async fn session(state: &AppState, headers: &HeaderMap) -> Result<Option<Session>, StoreError> {
    let Some(id) = cookie_value(headers) else {
        return Ok(None);
    };
    let id_hash = token_hash(&id);
    Ok(state
        .store
        .session(&id_hash, crate::now_ms())
        .await?
        .map(|record| Session {
            id_hash,
            owner: record.owner,
            csrf: record.csrf_token,
        }))
}

/// Creates a session and returns it with its `Set-Cookie` header.
async fn new_session(
    state: &AppState,
    owner_id: Option<&str>,
) -> Result<(Session, HeaderValue), OwnerError> {
    let id = random_token()?;
    let csrf = random_token()?;
    let now = crate::now_ms();
    let lifetime = if owner_id.is_some() {
        SESSION_MS
    } else {
        ANONYMOUS_MS
    };
    let id_hash = token_hash(&id);
    state
        .store
        .insert_session(&id_hash, owner_id, &csrf, now, now + lifetime)
        .await?;
    let cookie = set_cookie(state, &id, lifetime / 1000)?;
    Ok((
        Session {
            id_hash,
            owner: None,
            csrf,
        },
        cookie,
    ))
}

fn set_cookie(state: &AppState, value: &str, max_age_secs: i64) -> Result<HeaderValue, OwnerError> {
    let secure = state
        .settings
        .public_url
        .as_deref()
        .is_some_and(|url| url.starts_with("https://"));
    let text = format!(
        "{COOKIE}={value}; Path=/owner; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&text).map_err(|err| OwnerError::Internal(err.to_string()))
}

fn csrf_matches(expected: &str, fields: &Fields) -> bool {
    let given = fields.get("csrf").unwrap_or("");
    !expected.is_empty() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

fn hidden_csrf(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

/// A signed-in owner, for handlers: anyone else is sent to the sign-in page.
pub struct Owner {
    pub email: String,
    pub lang: Lang,
    csrf: String,
}

impl Owner {
    /// The hidden field every form of the owner's pages carries.
    pub fn csrf_field(&self) -> Markup {
        hidden_csrf(&self.csrf)
    }

    /// The session's token, for forms built elsewhere (multipart).
    pub fn csrf_token(&self) -> &str {
        &self.csrf
    }

    /// Refuses a POST whose `csrf` field is missing or not this session's (403).
    pub fn check_csrf(&self, fields: &Fields) -> Result<(), OwnerError> {
        if csrf_matches(&self.csrf, fields) {
            Ok(())
        } else {
            Err(OwnerError::Csrf)
        }
    }

    /// As [`Owner::check_csrf`], for a token read from a multipart form.
    pub fn check_csrf_value(&self, given: &str) -> Result<(), OwnerError> {
        if !self.csrf.is_empty() && bool::from(given.as_bytes().ct_eq(self.csrf.as_bytes())) {
            Ok(())
        } else {
            Err(OwnerError::Csrf)
        }
    }
}

impl FromRequestParts<AppState> for Owner {
    type Rejection = OwnerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, OwnerError> {
        let lang = Lang::negotiate(&parts.headers);
        match session(state, &parts.headers).await? {
            Some(Session {
                owner: Some((_, email)),
                csrf,
                ..
            }) => Ok(Owner { email, lang, csrf }),
            _ => Err(OwnerError::NotSignedIn),
        }
    }
}

/// The session of a sign-in page: the live one, or a new anonymous one (with its cookie).
async fn form_session(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(Session, Option<HeaderValue>), OwnerError> {
    match session(state, headers).await? {
        Some(session) => Ok((session, None)),
        None => {
            let (session, cookie) = new_session(state, None).await?;
            Ok((session, Some(cookie)))
        }
    }
}

fn with_cookie(mut response: Response, cookie: Option<HeaderValue>) -> Response {
    if let Some(cookie) = cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

#[derive(Debug, Deserialize)]
pub struct SignInParams {
    done: Option<String>,
}

fn sign_in_form(lang: Lang, csrf: &str, email: &str, problem: Option<&str>) -> Markup {
    html! {
        @if let Some(problem) = problem {
            p class="notice problem" role="alert" { (problem) }
        }
        form method="post" action="/owner/sign-in" {
            (hidden_csrf(csrf))
            label for="email" { (lang.pick("Email", "Courriel")) }
            input type="email" id="email" name="email" autocomplete="username" required value=(email);
            label for="password" { (lang.pick("Password", "Mot de passe")) }
            input type="password" id="password" name="password" autocomplete="current-password" required;
            p { button type="submit" { (lang.pick("Sign in", "Se connecter")) } }
        }
        p class="muted" {
            (lang.pick(
                "No password yet, or forgot it? Ask for a new link: kudos-server admin add YOUR-EMAIL",
                "Pas encore de mot de passe, ou oublié? Demandez un nouveau lien : kudos-server admin add VOTRE-COURRIEL",
            ))
        }
    }
}

/// `GET /owner/sign-in`.
pub async fn sign_in_page(
    State(state): State<AppState>,
    Query(params): Query<SignInParams>,
    headers: HeaderMap,
) -> Result<Response, OwnerError> {
    let lang = Lang::negotiate(&headers);
    let (session, cookie) = form_session(&state, &headers).await?;
    if session.owner.is_some() {
        return Ok(see_other("/owner/moderation"));
    }
    let body = html! {
        @if params.done.as_deref() == Some("password") {
            (notice(NoticeKind::Done, lang.pick("Your password is set. Sign in with it.", "Votre mot de passe est enregistré. Connectez-vous avec celui-ci.")))
        }
        @if params.done.as_deref() == Some("signed-out") {
            (notice(NoticeKind::Done, lang.pick("You are signed out.", "Vous êtes déconnecté.")))
        }
        (sign_in_form(lang, &session.csrf, "", None))
    };
    let title = lang.pick("Sign in", "Connexion");
    Ok(with_cookie(public_page(lang, title, body), cookie))
}

/// A dummy argon2id hash, checked when the email is unknown so both answers take as long.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not a password of anyone").unwrap_or_default())
}

fn hash_password(password: &str) -> Result<String, OwnerError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|err| OwnerError::Internal(format!("no randomness: {err}")))?;
    let salt =
        SaltString::encode_b64(&salt).map_err(|err| OwnerError::Internal(err.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| OwnerError::Internal(format!("argon2: {err}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// `POST /owner/sign-in`.
pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OwnerError> {
    let lang = Lang::negotiate(&headers);
    let fields = Fields::parse(&body);
    let Some(current) = session(&state, &headers).await? else {
        return Err(OwnerError::Csrf);
    };
    if !csrf_matches(&current.csrf, &fields) {
        return Err(OwnerError::Csrf);
    }
    let email = fields.text("email").to_lowercase();
    let password = fields.get("password").unwrap_or("").to_owned();
    let ip = crate::http::client_ip(&headers, peer, state.settings.trust_forwarded_for).to_string();
    let now = crate::now_ms();
    let title = lang.pick("Sign in", "Connexion");
    let locked_text = lang.pick(
        "Too many failed sign-ins. This account is locked for 15 minutes from this address.",
        "Trop de tentatives échouées. Ce compte est verrouillé 15 minutes depuis cette adresse.",
    );
    let locked = |until: i64| {
        let mut response = public_page(
            lang,
            title,
            sign_in_form(lang, &current.csrf, &email, Some(locked_text)),
        );
        *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        let wait = ((until - now) / 1000).max(1);
        if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    };
    if let Some(until) = state.store.sign_in_locked_until(&email, &ip, now).await? {
        return Ok(locked(until));
    }
    let account = if email.is_empty() || password.len() > MAX_PASSWORD_BYTES {
        None
    } else {
        state.store.owner_by_email(&email).await?
    };
    let stored = account
        .as_ref()
        .and_then(|account| account.password_hash.clone());
    let candidate = password.clone();
    let matches = tokio::task::spawn_blocking(move || match stored {
        Some(hash) => verify_password(&candidate, &hash),
        None => {
            // Same work as a real check, then a refusal.
            let _ = verify_password(&candidate, dummy_hash());
            false
        }
    })
    .await
    .map_err(|err| OwnerError::Internal(err.to_string()))?;
    let account = match (matches, account) {
        (true, Some(account)) => account,
        _ => {
            tracing::info!("owner sign-in refused");
            if state.store.record_sign_in_failure(&email, &ip, now).await? {
                return Ok(locked(now + crate::store::LOCKOUT_WINDOW_MS));
            }
            let mut response = public_page(
                lang,
                title,
                sign_in_form(
                    lang,
                    &current.csrf,
                    &email,
                    Some(lang.pick(
                        "That email and password don't match an account.",
                        "Ce courriel et ce mot de passe ne correspondent à aucun compte.",
                    )),
                ),
            );
            *response.status_mut() = StatusCode::UNAUTHORIZED;
            return Ok(response);
        }
    };
    state.store.clear_sign_in_failures(&email, &ip).await?;
    // A new id for the signed-in session; the one the browser had is gone.
    state.store.delete_session(&current.id_hash).await?;
    let (_, cookie) = new_session(&state, Some(&account.id)).await?;
    tracing::info!("owner signed in");
    Ok(with_cookie(see_other("/owner/moderation"), Some(cookie)))
}

/// `POST /owner/sign-out`.
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OwnerError> {
    let fields = Fields::parse(&body);
    let Some(current) = session(&state, &headers).await? else {
        return Ok(see_other("/owner/sign-in"));
    };
    if !csrf_matches(&current.csrf, &fields) {
        return Err(OwnerError::Csrf);
    }
    state.store.delete_session(&current.id_hash).await?;
    let cookie = set_cookie(&state, "", 0)?;
    Ok(with_cookie(
        see_other("/owner/sign-in?done=signed-out"),
        Some(cookie),
    ))
}

#[derive(Debug, Deserialize)]
pub struct TokenParams {
    token: Option<String>,
}

fn link_gone(lang: Lang) -> Response {
    let body = html! {
        p class="notice problem" role="alert" {
            (lang.pick(
                "This link has expired or was already used. Ask for a new one: kudos-server admin add YOUR-EMAIL",
                "Ce lien a expiré ou a déjà servi. Demandez-en un nouveau : kudos-server admin add VOTRE-COURRIEL",
            ))
        }
    };
    let mut response = public_page(
        lang,
        lang.pick("Set your password", "Choisir votre mot de passe"),
        body,
    );
    *response.status_mut() = StatusCode::GONE;
    response
}

fn set_password_form(
    lang: Lang,
    csrf: &str,
    token: &str,
    email: &str,
    problem: Option<&str>,
) -> Markup {
    html! {
        @if let Some(problem) = problem {
            p class="notice problem" role="alert" { (problem) }
        }
        p { (lang.pick("Account: ", "Compte : ")) strong { (email) } }
        form method="post" action="/owner/set-password" {
            (hidden_csrf(csrf))
            input type="hidden" name="token" value=(token);
            input type="email" name="username" value=(email) autocomplete="username" hidden;
            label for="password" { (lang.pick("New password (at least 12 characters)", "Nouveau mot de passe (au moins 12 caractères)")) }
            input type="password" id="password" name="password" autocomplete="new-password" minlength="12" required;
            label for="confirm" { (lang.pick("The same password again", "Le même mot de passe, encore")) }
            input type="password" id="confirm" name="confirm" autocomplete="new-password" minlength="12" required;
            p { button type="submit" { (lang.pick("Set my password", "Enregistrer mon mot de passe")) } }
        }
    }
}

/// `GET /owner/set-password?token=…`: the form (the link is used only when it is posted).
pub async fn set_password_page(
    State(state): State<AppState>,
    Query(params): Query<TokenParams>,
    headers: HeaderMap,
) -> Result<Response, OwnerError> {
    let lang = Lang::negotiate(&headers);
    let token = params.token.unwrap_or_default();
    let Some(account) = state
        .store
        .owner_link(&token_hash(&token), crate::now_ms())
        .await?
    else {
        return Ok(link_gone(lang));
    };
    let (session, cookie) = form_session(&state, &headers).await?;
    let title = lang.pick("Set your password", "Choisir votre mot de passe");
    let body = set_password_form(lang, &session.csrf, &token, &account.email, None);
    Ok(with_cookie(public_page(lang, title, body), cookie))
}

/// `POST /owner/set-password`: uses the link once and sets the password.
pub async fn set_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OwnerError> {
    let lang = Lang::negotiate(&headers);
    let fields = Fields::parse(&body);
    let Some(current) = session(&state, &headers).await? else {
        return Err(OwnerError::Csrf);
    };
    if !csrf_matches(&current.csrf, &fields) {
        return Err(OwnerError::Csrf);
    }
    let token = fields.text("token").to_owned();
    let hash = token_hash(&token);
    let Some(account) = state.store.owner_link(&hash, crate::now_ms()).await? else {
        return Ok(link_gone(lang));
    };
    let password = fields.get("password").unwrap_or("").to_owned();
    let problem = if password.chars().count() < MIN_PASSWORD_CHARS {
        Some(lang.pick(
            "The password needs at least 12 characters.",
            "Le mot de passe doit compter au moins 12 caractères.",
        ))
    } else if password.len() > MAX_PASSWORD_BYTES {
        Some(lang.pick(
            "That password is too long.",
            "Ce mot de passe est trop long.",
        ))
    } else if fields.get("confirm") != Some(password.as_str()) {
        Some(lang.pick(
            "The two passwords are not the same.",
            "Les deux mots de passe ne sont pas identiques.",
        ))
    } else {
        None
    };
    if let Some(problem) = problem {
        let title = lang.pick("Set your password", "Choisir votre mot de passe");
        let body = set_password_form(lang, &current.csrf, &token, &account.email, Some(problem));
        let mut response = public_page(lang, title, body);
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    }
    let hashed = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|err| OwnerError::Internal(err.to_string()))??;
    if !state
        .store
        .use_owner_link(&hash, &hashed, crate::now_ms())
        .await?
    {
        return Ok(link_gone(lang));
    }
    tracing::info!("owner password set");
    Ok(see_other("/owner/sign-in?done=password"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_as_argon2id_and_verify() {
        let hash = hash_password("correct horse battery staple").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse battery staple", &hash));
        assert!(!verify_password("correct horse battery stapler", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn tokens_are_256_bits_and_stored_hashed() {
        let token = random_token().unwrap();
        assert_eq!(URL_SAFE_NO_PAD.decode(&token).unwrap().len(), 32);
        assert_ne!(random_token().unwrap(), token);
        assert_eq!(token_hash(&token).len(), 64);
    }

    #[test]
    fn the_cookie_is_read_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; kudos_owner=abc; b=2"),
        );
        assert_eq!(cookie_value(&headers).as_deref(), Some("abc"));
    }
}
