//! Live mode: each submission is posted as JSON to the site owner's endpoint with `fetch`.
//!
//! Every fetch option is set explicitly, so the request is the same on every host page: no cookies
//! (`credentials: "omit"`), no silent redirects, CORS, a referrer limited to the origin on other
//! sites, and a per-attempt timeout.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, ReferrerPolicy, RequestCredentials, RequestInit, RequestMode, RequestRedirect,
    Response,
};

use super::{LocalFuture, Transport, TransportError};
use crate::core::config::{Endpoint, DEFAULT_ATTEMPT_TIMEOUT_MS};
use crate::core::delivery::{NoAnswer, Reply};
use crate::core::form::DeliveryProblem;
use crate::core::json::Json;
use crate::core::outbox::Outgoing;
use crate::core::praise::PublishedPraise;
use crate::shell::platform;

/// Posts submissions to the owner's endpoint and reads the owner's wall.
pub struct HttpTransport {
    endpoint: Endpoint,
    wall_url: Option<Endpoint>,
    timeout_ms: u32,
}

impl HttpTransport {
    /// A transport posting to `endpoint`, with the wall read from `wall_url` when there is one.
    pub fn new(endpoint: Endpoint, wall_url: Option<Endpoint>) -> Self {
        HttpTransport {
            endpoint,
            wall_url,
            timeout_ms: DEFAULT_ATTEMPT_TIMEOUT_MS,
        }
    }

    /// The same, giving each delivery attempt `timeout_ms` before it is aborted and retried.
    pub fn with_timeout(mut self, timeout_ms: u32) -> Self {
        self.timeout_ms = timeout_ms;
        self
    }
}

/// Fetches JSON with the same explicit options as a post (no cookies, no redirects, CORS) and
/// reads it with `read` (e.g. [`PublishedPraise::list_from_json`]).
pub(super) async fn get_json<T>(
    url: String,
    read: fn(&Json) -> Option<T>,
) -> Result<T, TransportError> {
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_credentials(RequestCredentials::Omit);
    init.set_mode(RequestMode::Cors);
    init.set_redirect(RequestRedirect::Error);
    init.set_referrer_policy(ReferrerPolicy::StrictOriginWhenCrossOrigin);
    init.set_signal(Some(&AbortSignal::timeout_with_u32(
        DEFAULT_ATTEMPT_TIMEOUT_MS,
    )));
    let window = web_sys::window().ok_or_else(|| could_not_send("no window".into()))?;
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await
        .map_err(|err| could_not_send(format!("GET {url} failed: {err:?}")))?
        .dyn_into()
        .map_err(|_| could_not_send("fetch returned something other than a Response".into()))?;
    if !response.ok() {
        return Err(could_not_send(format!(
            "GET {url} answered HTTP {}",
            response.status()
        )));
    }
    let text = response
        .text()
        .map_err(|err| could_not_send(format!("GET {url}: {err:?}")))?;
    let text = JsFuture::from(text)
        .await
        .map_err(|err| could_not_send(format!("GET {url}: {err:?}")))?
        .as_string()
        .unwrap_or_default();
    let json = Json::parse(&text).map_err(|err| could_not_send(format!("GET {url}: {err}")))?;
    read(&json).ok_or_else(|| could_not_send(format!("GET {url}: not the expected JSON")))
}

fn could_not_send(detail: String) -> TransportError {
    TransportError {
        problem: DeliveryProblem::CouldNotSend,
        detail,
    }
}

/// Posts `body` once and reports what came back. A fetch that rejects (network failure, CORS
/// refusal, redirect, timeout) is a [`Reply::NoAnswer`]; judging the reply is the core's job.
async fn post_json(url: String, body: String, timeout_ms: u32) -> Reply {
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
    init.set_headers(&headers);
    init.set_credentials(RequestCredentials::Omit);
    init.set_mode(RequestMode::Cors);
    init.set_redirect(RequestRedirect::Error);
    init.set_referrer_policy(ReferrerPolicy::StrictOriginWhenCrossOrigin);
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
    Reply::Http {
        status: response.status(),
        retry_after,
        body,
    }
}

impl Transport for HttpTransport {
    fn submit(&self, outgoing: Outgoing) -> LocalFuture<Reply> {
        let url = self.endpoint.as_str().to_owned();
        Box::pin(post_json(url, outgoing.body, self.timeout_ms))
    }

    fn published_praise(
        &self,
    ) -> Option<LocalFuture<Result<Vec<PublishedPraise>, TransportError>>> {
        // The endpoint only receives; a live wall needs the owner's wall URL.
        let url = self.wall_url.as_ref()?.as_str().to_owned();
        Some(Box::pin(get_json(url, PublishedPraise::list_from_json)))
    }
}
