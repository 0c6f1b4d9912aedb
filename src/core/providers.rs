//! Delivering to a form or newsletter service instead of the owner's own endpoint (issue 15):
//! Formspree, Basin, Web3Forms, StaticForms, listmonk (public subscription API) and Kit v3.
//!
//! Two pure translations, so the outbox, retries and drafts stay exactly as for our own endpoint:
//! - [`request`]: our envelope (as stored in the outbox) → the service's request body, with
//!   readable field labels a person reads in the notification email, a subject line and the
//!   submission `id` as a plain field (form handlers do not de-duplicate, so the id at least lets
//!   the owner spot a duplicate that a lost reply caused);
//! - [`reply`]: the service's reply → a reply in our own contract (`{"status"}` on success,
//!   422 `{"errors":[{"field":"data.…"}]}` for field errors), so `core::delivery::classify` stays
//!   the one policy for every transport.
//!
//! What each service's docs confirmed (and what they did not) is in `docs/providers.md`; the
//! fixtures in `tests/fixtures/providers/` cite the pages.

use std::fmt;

use crate::core::delivery::Reply;
use crate::core::envelope::ReplyStatus;
use crate::core::json::{self, Json};

/// A service that can receive submissions straight from the visitor's browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// `https://formspree.io/f/{form}`.
    Formspree,
    /// `https://usebasin.com/f/{id}`.
    Basin,
    /// `https://api.web3forms.com/submit` with the public `access_key`.
    Web3Forms,
    /// `https://api.staticforms.xyz/submit` with the public `apiKey`.
    StaticForms,
    /// `{base}/api/public/subscription` of a self-hosted listmonk (v6+).
    Listmonk,
    /// `https://api.convertkit.com/v3/forms/{id}/subscribe` with the public v3 `api_key`.
    Kit,
}

impl Provider {
    /// Every provider, in the order the README lists them.
    pub const ALL: [Provider; 6] = [
        Provider::Formspree,
        Provider::Basin,
        Provider::Web3Forms,
        Provider::StaticForms,
        Provider::Listmonk,
        Provider::Kit,
    ];

    /// The value of `data-provider`.
    pub fn key(self) -> &'static str {
        match self {
            Provider::Formspree => "formspree",
            Provider::Basin => "basin",
            Provider::Web3Forms => "web3forms",
            Provider::StaticForms => "staticforms",
            Provider::Listmonk => "listmonk",
            Provider::Kit => "kit",
        }
    }

    /// The endpoint host that names this service unambiguously (listmonk is self-hosted: none).
    fn host(self) -> &'static str {
        match self {
            Provider::Formspree => "formspree.io",
            Provider::Basin => "usebasin.com",
            Provider::Web3Forms => "api.web3forms.com",
            Provider::StaticForms => "api.staticforms.xyz",
            Provider::Listmonk => "",
            Provider::Kit => "api.convertkit.com",
        }
    }

    /// The provider `data-provider` names (case-insensitive).
    pub fn from_key(key: &str) -> Option<Provider> {
        let key = key.trim().to_ascii_lowercase();
        Provider::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The provider an endpoint's host name belongs to, when only one can be meant.
    pub fn from_host(hostname: &str) -> Option<Provider> {
        Provider::ALL
            .into_iter()
            .find(|p| !p.host().is_empty() && p.host() == hostname)
    }

    /// The body member carrying `data-provider-key`, for services that require one. listmonk's
    /// optional key is the default list UUIDs, written as `list_uuids`.
    fn key_member(self) -> Option<&'static str> {
        match self {
            Provider::Web3Forms => Some("access_key"),
            Provider::StaticForms => Some("apiKey"),
            Provider::Kit => Some("api_key"),
            _ => None,
        }
    }

    /// Newsletter services take no praise.
    fn takes_praise(self) -> bool {
        !matches!(self, Provider::Listmonk | Provider::Kit)
    }
}

/// The provider settings of a live widget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderSettings {
    /// Which service.
    pub provider: Provider,
    /// `data-provider-key`: the service's public key (or listmonk's default list UUIDs).
    pub key: Option<String>,
}

/// Why `data-provider` / `data-provider-key` cannot be used. Nothing mounts: a form that can
/// never be delivered would keep visitors' words for nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderProblem {
    /// `data-provider` names no supported service.
    Unknown(String),
    /// The service needs `data-provider-key`.
    MissingKey(Provider),
    /// A newsletter service on the praise widget.
    NewsletterOnly(Provider),
}

impl fmt::Display for ProviderProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProviderProblem::Unknown(value) => write!(
                f,
                "data-provider=\"{value}\" is not supported (see the README)."
            ),
            ProviderProblem::MissingKey(p) => write!(
                f,
                "data-provider-key is missing: {} needs its PUBLIC key.",
                p.key()
            ),
            ProviderProblem::NewsletterOnly(p) => write!(
                f,
                "data-provider=\"{}\" takes newsletter sign-ups only.",
                p.key()
            ),
        }
    }
}

/// Checks the provider options of a live widget. `provider` is `data-provider`, `hostname` the
/// endpoint's host (which names the provider when `data-provider` is absent).
pub fn settings(
    provider: Option<&str>,
    key: Option<&str>,
    hostname: &str,
    newsletter: bool,
) -> Result<Option<ProviderSettings>, ProviderProblem> {
    let provider = match provider {
        Some(name) => {
            Some(Provider::from_key(name).ok_or(ProviderProblem::Unknown(name.to_owned()))?)
        }
        None => Provider::from_host(hostname),
    };
    let Some(provider) = provider else {
        return Ok(None);
    };
    let key = key.map(str::trim).filter(|k| !k.is_empty());
    if provider.key_member().is_some() && key.is_none() {
        return Err(ProviderProblem::MissingKey(provider));
    }
    if !newsletter && !provider.takes_praise() {
        return Err(ProviderProblem::NewsletterOnly(provider));
    }
    Ok(Some(ProviderSettings {
        provider,
        key: key.map(str::to_owned),
    }))
}

/// What to post to the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderRequest {
    /// Where.
    pub url: String,
    /// The JSON body.
    pub body: String,
}

/// A string member of `json`.
fn text<'a>(json: &'a Json, key: &str) -> Option<&'a str> {
    json.get(key)?.as_str()
}

/// `yes (version)` or `no (version)` for a consent of the envelope, `None` when not asked.
fn consent(envelope: &Json, purpose: &str) -> Option<String> {
    let choice = envelope.get("consent")?.get(purpose)?;
    let answer = if choice.get("granted")?.as_bool()? {
        "yes"
    } else {
        "no"
    };
    Some(format!("{answer} ({})", text(choice, "version")?))
}

/// The value of one member of a request body.
enum Member {
    /// A string.
    Text(String),
    /// An array of strings (listmonk's list UUIDs).
    Texts(Vec<String>),
    /// An array of whole numbers (Kit's tag ids).
    Numbers(Vec<u64>),
}

/// The members of a request body, in order. Collected first and written by one loop: a member
/// written at each call site costs the wasm a copy of the string writer per member.
type Members = Vec<(&'static str, Member)>;

/// Adds a string member when there is a value.
fn push(members: &mut Members, name: &'static str, value: Option<&str>) {
    if let Some(value) = value {
        members.push((name, Member::Text(value.to_owned())));
    }
}

/// The service's request for one envelope (the outbox's JSON text); `None` when the envelope is
/// not one this crate wrote.
pub fn request(
    settings: &ProviderSettings,
    endpoint: &str,
    envelope: &str,
) -> Option<ProviderRequest> {
    let provider = settings.provider;
    let key = settings.key.as_deref().unwrap_or_default();
    let envelope = Json::parse(envelope).ok()?;
    let data = envelope.get("data")?;
    let newsletter = text(&envelope, "type")? == crate::core::envelope::NEWSLETTER_TYPE;
    let field = |k: &str| text(data, k);
    let strings = |k: &str| data.get(k).and_then(Json::to_strings).unwrap_or_default();
    let joined = |k: &str| {
        let items = strings(k);
        (!items.is_empty()).then(|| crate::core::text::join(&items, ", "))
    };
    let mut members = Members::new();
    if let Some(name) = provider.key_member() {
        members.push((name, Member::Text(key.to_owned())));
    }
    let mut url = endpoint.to_owned();
    // Form handlers: a subject line, readable labels, the id; the honeypot where the service has
    // one (a filled one makes the service file the submission as spam).
    let (subject, honeypot) = match provider {
        Provider::Formspree => ("_subject", "_gotcha"),
        Provider::Web3Forms => ("subject", "botcheck"),
        Provider::StaticForms => ("subject", "honeypot"),
        _ => ("subject", ""),
    };
    match provider {
        Provider::Listmonk => {
            let mut lists = strings("lists");
            if lists.is_empty() {
                lists = key
                    .split(',')
                    .map(str::trim)
                    .filter(|uuid| !uuid.is_empty())
                    .map(str::to_owned)
                    .collect();
            }
            push(&mut members, "email", Some(field("email")?));
            push(&mut members, "name", field("first_name"));
            members.push(("list_uuids", Member::Texts(lists)));
            let path = "/api/public/subscription";
            url = url.trim_end_matches('/').to_owned();
            if !url.ends_with(path) {
                url.push_str(path);
            }
        }
        Provider::Kit => {
            push(&mut members, "email", Some(field("email")?));
            push(&mut members, "first_name", field("first_name"));
            // Kit's tags are numeric ids: the owner's `lists` ids are those numbers.
            let tags: Option<Vec<u64>> = strings("lists")
                .iter()
                .map(|tag| {
                    tag.bytes()
                        .all(|b| b.is_ascii_digit())
                        .then(|| tag.parse().ok())?
                })
                .collect();
            if let Some(tags) = tags.filter(|tags| !tags.is_empty()) {
                members.push(("tags", Member::Numbers(tags)));
            }
        }
        _ if newsletter => {
            let email = field("email")?;
            members.push((
                subject,
                Member::Text(format!("Newsletter sign-up: {email}")),
            ));
            push(&mut members, "email", Some(email));
            push(&mut members, "first_name", field("first_name"));
            push(&mut members, "lists", joined("lists").as_deref());
            let consent = consent(&envelope, "newsletter");
            push(&mut members, "newsletter_consent", consent.as_deref());
        }
        _ => {
            let name = field("staff_name");
            let staff = match (name, field("staff_role")) {
                (Some(name), Some(role)) => Some(format!("{name} ({role})")),
                (Some(name), None) => Some(name.to_owned()),
                (None, _) => field("staff_description").map(|d| format!("not named: {d}")),
            };
            let when = field("occurred_on").map(|day| match field("part_of_day") {
                Some(part) => format!("{day}, {part}"),
                None => day.to_owned(),
            });
            let praise = format!("Praise for {}", name.unwrap_or("a member of staff"));
            members.push((subject, Member::Text(praise)));
            push(&mut members, "staff", staff.as_deref());
            push(&mut members, "location", field("location"));
            push(&mut members, "when", when.as_deref());
            push(&mut members, "story", Some(field("story")?));
            push(&mut members, "tags", joined("tags").as_deref());
            push(&mut members, "name", field("visitor_name"));
            push(&mut members, "email", field("visitor_email"));
            let publish = consent(&envelope, "publish");
            push(&mut members, "publish_consent", publish.as_deref());
            let contact = consent(&envelope, "contact");
            push(&mut members, "contact_consent", contact.as_deref());
        }
    }
    if provider.takes_praise() {
        push(&mut members, "id", Some(text(&envelope, "id")?));
        if !honeypot.is_empty() {
            let value = envelope.get("signals").and_then(|s| text(s, "honeypot"));
            push(&mut members, honeypot, Some(value.unwrap_or_default()));
        }
    }
    let body = json::object(|out| {
        for (name, value) in &members {
            match value {
                Member::Text(text) => out.str(name, text),
                Member::Texts(texts) => out.strs(name, texts),
                Member::Numbers(numbers) => out.array(name, |list| {
                    for number in numbers {
                        list.num(*number);
                    }
                }),
            };
        }
    });
    Some(ProviderRequest { url, body })
}

/// The wire path (`data.<key>`) of a field label we sent, for mapping errors back to the form.
fn wire_path(label: &str, newsletter: bool) -> Option<&'static str> {
    Some(match (label, newsletter) {
        ("email", true) => "data.email",
        ("first_name" | "name", true) => "data.first_name",
        ("lists" | "list_uuids" | "tags", true) => "data.lists",
        ("staff", false) => "data.staff_name",
        ("location", false) => "data.location",
        ("when", false) => "data.occurred_on",
        ("story", false) => "data.story",
        ("tags", false) => "data.tags",
        ("name", false) => "data.visitor_name",
        ("email", false) => "data.visitor_email",
        _ => return None,
    })
}

/// A reply in our own contract: 200 with a status, or 422 naming the fields.
fn ours(status: u16, body: String) -> Reply {
    Reply::Http {
        status,
        retry_after: None,
        body,
    }
}

/// The service's reply to one attempt, as a reply in our contract. Rate limits, server errors
/// and no answer pass through unchanged, so they are retried as for our own endpoint; a 2xx the
/// service's docs do not describe is passed on too (and retried, never counted as delivered).
pub fn reply(provider: Provider, newsletter: bool, reply: Reply) -> Reply {
    let Reply::Http { status, body, .. } = &reply else {
        return reply;
    };
    let status = *status;
    if matches!(status, 408 | 429) || status >= 500 {
        return reply;
    }
    let json = Json::parse(body).unwrap_or(Json::Null);
    let ok = (200..300).contains(&status);
    let done = |status: ReplyStatus| ours(200, format!("{{\"status\":\"{}\"}}", status.key()));
    let message = |key: &str| text(&json, key).unwrap_or_default().to_ascii_lowercase();
    let mut fields: Vec<(&'static str, String)> = Vec::new();
    match provider {
        // Formspree: 200 `{"next", "ok"}`; 4xx `{"errors": [{"code", "field", "message"}]}`.
        Provider::Formspree => {
            if ok && (json.get("ok").is_some() || json.get("next").is_some()) {
                return done(ReplyStatus::Accepted);
            }
            for error in json
                .get("errors")
                .and_then(Json::as_array)
                .unwrap_or_default()
            {
                if let Some(path) = text(error, "field").and_then(|f| wire_path(f, newsletter)) {
                    fields.push((path, text(error, "code").unwrap_or_default().to_owned()));
                }
            }
        }
        // Basin: the status says it (200 = received); an error carries `{"error"}`.
        Provider::Basin if ok => return done(ReplyStatus::Accepted),
        Provider::Basin => {}
        // Web3Forms and StaticForms: `{"success", "message"}`.
        Provider::Web3Forms | Provider::StaticForms => match json.get("success") {
            Some(Json::Bool(true)) if ok => return done(ReplyStatus::Accepted),
            Some(Json::Bool(false)) if ok => return ours(400, body.clone()),
            _ => {}
        },
        // listmonk: `{"data": …}`; the reply does not say whether the list is double opt-in,
        // so the visitor is told to look for a confirmation email (docs/providers.md).
        Provider::Listmonk => {
            if ok && json.get("data").is_some() {
                return done(ReplyStatus::PendingConfirmation);
            }
            if message("message").contains("email") {
                fields.push(("data.email", "invalid".into()));
            }
        }
        // Kit v3: `{"subscription": {"state": "inactive" | "active", …}}`.
        Provider::Kit => {
            if ok {
                match json.get("subscription").and_then(|s| text(s, "state")) {
                    Some("inactive") => return done(ReplyStatus::PendingConfirmation),
                    Some(_) => return done(ReplyStatus::Accepted),
                    None => return reply,
                }
            }
            if message("message").contains("email") || message("error").contains("email") {
                fields.push(("data.email", "invalid".into()));
            }
        }
    }
    if ok {
        return reply;
    }
    if fields.is_empty() {
        return reply;
    }
    let out = json::object(|errors| {
        errors
            .array("errors", |list| {
                for (path, code) in &fields {
                    list.object(|error| {
                        error.str("field", path).str("code", code);
                    });
                }
            })
            .str("service", body);
    });
    ours(422, out)
}

#[cfg(test)]
mod tests;
