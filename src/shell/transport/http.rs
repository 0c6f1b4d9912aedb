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
use crate::core::config::Endpoint;
use crate::core::envelope::{ReplyStatus, Submission};
use crate::core::form::DeliveryProblem;
use crate::core::praise::PublishedPraise;

/// How long one attempt may take before it counts as a network failure.
const ATTEMPT_TIMEOUT_MS: u32 = 15_000;

/// Posts submissions to the owner's endpoint and reads the owner's wall.
pub struct HttpTransport {
    endpoint: Endpoint,
    wall_url: Option<Endpoint>,
}

impl HttpTransport {
    /// A transport posting to `endpoint`, with the wall read from `wall_url` when there is one.
    pub fn new(endpoint: Endpoint, wall_url: Option<Endpoint>) -> Self {
        HttpTransport { endpoint, wall_url }
    }
}

/// Fetches JSON with the same explicit options as a post: no cookies, no redirects, CORS.
pub(super) async fn get_json<T: serde::de::DeserializeOwned>(
    url: String,
) -> Result<T, TransportError> {
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_credentials(RequestCredentials::Omit);
    init.set_mode(RequestMode::Cors);
    init.set_redirect(RequestRedirect::Error);
    init.set_referrer_policy(ReferrerPolicy::StrictOriginWhenCrossOrigin);
    init.set_signal(Some(&AbortSignal::timeout_with_u32(ATTEMPT_TIMEOUT_MS)));
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
    serde_json::from_str(&text)
        .map_err(|err| could_not_send(format!("GET {url}: not the expected JSON: {err}")))
}

fn could_not_send(detail: String) -> TransportError {
    TransportError {
        problem: DeliveryProblem::CouldNotSend,
        detail,
    }
}

/// Posts `body` and classifies the reply: 2xx delivered, other 4xx refused, the rest retryable.
async fn post_json(url: String, body: String) -> Result<ReplyStatus, TransportError> {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body_opt_str(Some(&body));
    let headers = js_sys::Object::new();
    js_sys::Reflect::set(&headers, &"Content-Type".into(), &"application/json".into())
        .map_err(|_| could_not_send("could not build headers".into()))?;
    init.set_headers(&headers);
    init.set_credentials(RequestCredentials::Omit);
    init.set_mode(RequestMode::Cors);
    init.set_redirect(RequestRedirect::Error);
    init.set_referrer_policy(ReferrerPolicy::StrictOriginWhenCrossOrigin);
    init.set_signal(Some(&AbortSignal::timeout_with_u32(ATTEMPT_TIMEOUT_MS)));

    let window = web_sys::window().ok_or_else(|| could_not_send("no window".into()))?;
    let reply = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await
        .map_err(|err| could_not_send(format!("POST {url} failed: {err:?}")))?;
    let response: Response = reply
        .dyn_into()
        .map_err(|_| could_not_send("fetch returned something other than a Response".into()))?;
    match response.status() {
        200..=299 => Ok(reply_status(&response).await),
        status @ (400..=499) if status != 408 && status != 429 => Err(TransportError {
            problem: DeliveryProblem::Refused,
            detail: format!("POST {url} was refused with HTTP {status}"),
        }),
        status => Err(could_not_send(format!("POST {url} answered HTTP {status}"))),
    }
}

/// The `status` of a 2xx reply body; a body without one (or not JSON) means accepted.
async fn reply_status(response: &Response) -> ReplyStatus {
    #[derive(serde::Deserialize)]
    struct Reply {
        status: ReplyStatus,
    }
    let Ok(text) = response.text() else {
        return ReplyStatus::default();
    };
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|text| text.as_string())
        .and_then(|text| serde_json::from_str::<Reply>(&text).ok())
        .map(|reply| reply.status)
        .unwrap_or_default()
}

impl Transport for HttpTransport {
    fn submit(&self, submission: Submission) -> LocalFuture<Result<ReplyStatus, TransportError>> {
        let url = self.endpoint.as_str().to_owned();
        match serde_json::to_string(&submission) {
            Ok(body) => Box::pin(post_json(url, body)),
            Err(err) => Box::pin(async move { Err(could_not_send(format!("serialise: {err}"))) }),
        }
    }

    fn published_praise(
        &self,
    ) -> Option<LocalFuture<Result<Vec<PublishedPraise>, TransportError>>> {
        // The endpoint only receives; a live wall needs the owner's wall URL.
        let url = self.wall_url.as_ref()?.as_str().to_owned();
        Some(Box::pin(get_json(url)))
    }
}
