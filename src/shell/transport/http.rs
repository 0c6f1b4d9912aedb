//! Live mode: each submission is posted as JSON to the site owner's endpoint with `fetch`.
//!
//! Every fetch option is set explicitly, so the request is the same on every host page: no cookies
//! (`credentials: "omit"`), no silent redirects, CORS, no referrer at all (the envelope already
//! names the page, without its query; issue 12, defect 12: `strict-origin-when-cross-origin` sent
//! the full page URL, query included, to a same-origin endpoint), and a per-attempt timeout.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, ReferrerPolicy, RequestCredentials, RequestInit, RequestMode, RequestRedirect,
    Response,
};

use crate::core::config::{Endpoint, DEFAULT_ATTEMPT_TIMEOUT_MS};
use crate::core::delivery::{NoAnswer, Reply};
use crate::core::form::DeliveryProblem;
use crate::core::json::Json;
use crate::core::outbox::Outgoing;
use crate::core::providers::{self, Provider, ProviderSettings};
use crate::core::roster::StaffMember;
use crate::core::wall::{
    check_declared_length, FeedError, FeedReader, WallPage, WALL_MAX_BYTES, WALL_READ_BATCH,
};
use crate::shell::platform;
use crate::shell::ports::{LocalFuture, Transport, TransportError};

/// Posts submissions to the owner's endpoint and reads the owner's wall.
pub struct HttpTransport {
    endpoint: Endpoint,
    wall_url: Option<Endpoint>,
    timeout_ms: u32,
    provider: Option<ProviderSettings>,
}

impl HttpTransport {
    /// A transport posting to `endpoint`, with the wall read from `wall_url` when there is one.
    pub fn new(endpoint: Endpoint, wall_url: Option<Endpoint>) -> Self {
        HttpTransport {
            endpoint,
            wall_url,
            timeout_ms: DEFAULT_ATTEMPT_TIMEOUT_MS,
            provider: None,
        }
    }

    /// The same, giving each delivery attempt `timeout_ms` before it is aborted and retried.
    pub fn with_timeout(mut self, timeout_ms: u32) -> Self {
        self.timeout_ms = timeout_ms;
        self
    }

    /// The same, speaking a form or newsletter service's language (`core::providers`) instead of
    /// our contract: each attempt is translated there and its reply back, so the outbox, retries
    /// and drafts work as for the owner's own endpoint.
    pub fn with_provider(mut self, provider: Option<ProviderSettings>) -> Self {
        self.provider = provider;
        self
    }
}

/// Starts a GET with the same explicit options as a post (no cookies, no redirects, CORS), aborted
/// after `timeout_ms` (which also ends a body that stalls half way). The browser's HTTP cache is
/// left on: it revalidates with `If-None-Match` by itself, without the preflight a header set
/// here would cost.
async fn get(url: &str, timeout_ms: u32) -> Result<Response, String> {
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_credentials(RequestCredentials::Omit);
    init.set_mode(RequestMode::Cors);
    init.set_redirect(RequestRedirect::Error);
    init.set_referrer_policy(ReferrerPolicy::NoReferrer);
    init.set_signal(Some(&AbortSignal::timeout_with_u32(timeout_ms)));
    let window = web_sys::window().ok_or("no window")?;
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|err| format!("GET {url} failed: {err:?}"))?
        .dyn_into()
        .map_err(|_| "fetch returned something other than a Response")?;
    if response.ok() {
        Ok(response)
    } else {
        Err(format!("GET {url} answered HTTP {}", response.status()))
    }
}

/// The body of `response` as text.
async fn text_of(url: &str, response: &Response) -> Result<js_sys::JsString, String> {
    let text = response
        .text()
        .map_err(|err| format!("GET {url}: {err:?}"))?;
    JsFuture::from(text)
        .await
        .map_err(|err| format!("GET {url}: {err:?}"))?
        .dyn_into()
        .map_err(|_| format!("GET {url}: the body is not text"))
}

/// Fetches JSON and reads it with `read` (e.g. [`StaffMember::list_from_json`]).
///
/// [`StaffMember::list_from_json`]: crate::core::roster::StaffMember::list_from_json
async fn get_json<T>(url: String, read: fn(&Json) -> Option<T>) -> Result<T, TransportError> {
    let response = get(&url, DEFAULT_ATTEMPT_TIMEOUT_MS)
        .await
        .map_err(could_not_send)?;
    let text = String::from(text_of(&url, &response).await.map_err(could_not_send)?);
    let json = Json::parse(&text).map_err(|err| could_not_send(format!("GET {url}: {err}")))?;
    read(&json).ok_or_else(|| could_not_send(format!("GET {url}: not the expected JSON")))
}

/// `wall_url` with `cursor=` set in its query (the browser's URL API: the owner's other
/// parameters, e.g. `location`, stay as they are).
fn wall_page_url(wall_url: &str, cursor: Option<&str>) -> Result<String, FeedError> {
    let Some(cursor) = cursor else {
        return Ok(wall_url.to_owned());
    };
    let url = web_sys::Url::new(wall_url)
        .map_err(|_| FeedError::Unreachable(format!("{wall_url} is not a URL")))?;
    url.search_params().set("cursor", cursor);
    Ok(url.href())
}

/// Reads one page of the wall feed within its caps (core::wall): a `Content-Length` over the
/// limit is refused before the body is read, a longer text before it is copied into the wasm
/// or parsed; the items are read a batch per task.
async fn get_wall_page(url: String, timeout_ms: u32) -> Result<WallPage, FeedError> {
    let response = get(&url, timeout_ms)
        .await
        .map_err(FeedError::Unreachable)?;
    let declared = response.headers().get("Content-Length").ok().flatten();
    // Refused unread: the body is never consumed, so the browser stops pulling it once its
    // buffer is full and drops it with the response.
    check_declared_length(declared.as_deref())?;
    let text = text_of(&url, &response)
        .await
        .map_err(FeedError::Unreachable)?;
    // UTF-16 units, never more than the UTF-8 bytes the core counts again precisely.
    if text.length() as usize > WALL_MAX_BYTES {
        return Err(FeedError::TooLarge {
            bytes: text.length().into(),
        });
    }
    let text = String::from(text);
    // A batch of items per task, so a large feed never holds the host page for long.
    let mut reader = FeedReader::new(&text)?;
    while !reader.read(WALL_READ_BATCH)? {
        platform::sleep_ms(0).await;
    }
    Ok(reader.finish())
}

fn could_not_send(detail: impl Into<String>) -> TransportError {
    TransportError {
        problem: DeliveryProblem::CouldNotSend,
        detail: detail.into(),
    }
}

/// Posts `body` once and reports what came back. A fetch that rejects (network failure, CORS
/// refusal, redirect, timeout) is a [`Reply::NoAnswer`]; judging the reply is the core's job.
///
/// `service`: the form or newsletter service being posted to (and whether this is a newsletter
/// sign-up), whose reply is translated into our contract before anyone judges it.
async fn post_json(
    url: String,
    body: String,
    timeout_ms: u32,
    service: Option<(Provider, bool)>,
) -> Reply {
    let no_answer = |why: NoAnswer, detail: String| {
        platform::console_warn(&format!("POST {url}: {detail}"));
        Reply::NoAnswer(why)
    };
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body_opt_str(Some(&body));
    let headers = js_sys::Object::new();
    // Setting a property on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(&headers, &"Content-Type".into(), &"application/json".into());
    // Form services (Formspree) answer JSON only when asked; a CORS-safelisted header, so it
    // costs our own endpoint no extra preflight.
    let _ = js_sys::Reflect::set(&headers, &"Accept".into(), &"application/json".into());
    init.set_headers(&headers);
    init.set_credentials(RequestCredentials::Omit);
    init.set_mode(RequestMode::Cors);
    init.set_redirect(RequestRedirect::Error);
    init.set_referrer_policy(ReferrerPolicy::NoReferrer);
    // A hanging endpoint is aborted, which rejects the fetch with a "TimeoutError".
    init.set_signal(Some(&AbortSignal::timeout_with_u32(timeout_ms)));

    let Some(window) = web_sys::window() else {
        return Reply::NoAnswer(NoAnswer::Network);
    };
    let reply = match JsFuture::from(window.fetch_with_str_and_init(&url, &init)).await {
        Ok(reply) => reply,
        Err(err) => {
            let name = js_sys::Reflect::get(&err, &"name".into())
                .ok()
                .and_then(|name| name.as_string())
                .unwrap_or_default();
            let why = if !window.navigator().on_line() {
                NoAnswer::Offline
            } else if name == "TimeoutError" || name == "AbortError" {
                NoAnswer::Timeout
            } else {
                NoAnswer::Network
            };
            return no_answer(why, format!("{err:?}"));
        }
    };
    let Ok(response) = reply.dyn_into::<Response>() else {
        return no_answer(NoAnswer::Network, "not a Response".into());
    };
    // Cross-origin, `Retry-After` is readable only when the endpoint lists it in
    // `Access-Control-Expose-Headers` (docs/contract.md says so).
    let retry_after = response.headers().get("Retry-After").ok().flatten();
    let body = match response.text() {
        Ok(text) => JsFuture::from(text)
            .await
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    let reply = Reply::Http {
        status: response.status(),
        retry_after,
        body,
    };
    match service {
        Some((provider, newsletter)) => providers::reply(provider, newsletter, reply),
        None => reply,
    }
}

impl Transport for HttpTransport {
    fn submit(&self, outgoing: Outgoing) -> LocalFuture<Reply> {
        let endpoint = self.endpoint.as_str().to_owned();
        // Translated before the post and after it, inside `post_json`: one future type, so the
        // request's state machine is in the wasm once.
        let (url, body, service) = match &self.provider {
            None => (endpoint, outgoing.body, None),
            Some(settings) => {
                let newsletter = outgoing.kind == crate::core::envelope::NEWSLETTER_TYPE;
                match providers::request(settings, &endpoint, &outgoing.body) {
                    Some(request) => (
                        request.url,
                        request.body,
                        Some((settings.provider, newsletter)),
                    ),
                    // Not an envelope this crate wrote (cannot happen): nothing is sent, and the
                    // refusal keeps the visitor's draft.
                    None => {
                        return Box::pin(std::future::ready(Reply::Http {
                            status: 400,
                            retry_after: None,
                            body: String::new(),
                        }))
                    }
                }
            }
        };
        Box::pin(post_json(url, body, self.timeout_ms, service))
    }

    fn wall_page(
        &self,
        cursor: Option<String>,
    ) -> Option<LocalFuture<Result<WallPage, FeedError>>> {
        // The endpoint only receives; a live wall needs the owner's wall URL.
        let url = wall_page_url(self.wall_url.as_ref()?.as_str(), cursor.as_deref());
        let timeout_ms = self.timeout_ms;
        Some(Box::pin(
            async move { get_wall_page(url?, timeout_ms).await },
        ))
    }

    fn staff_roster(
        &self,
        url: &Endpoint,
    ) -> LocalFuture<Result<Vec<StaffMember>, TransportError>> {
        Box::pin(get_json(
            url.as_str().to_owned(),
            StaffMember::list_from_json,
        ))
    }
}
