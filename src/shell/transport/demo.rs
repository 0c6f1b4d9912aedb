//! Demo mode: submissions are kept in this browser's storage, and the wall reads them back, so the
//! whole widget works with no backend at all.
//!
//! `data-demo-latency` and `data-demo-fail` let an owner see every delivery state without a
//! server: `500`, `429` (with `Retry-After: 2`) and `timeout` fail the first attempt of each
//! submission, so the retry that follows succeeds; `offline` fails every attempt, so the
//! submission stays queued.

use std::rc::Rc;

use super::{LocalFuture, Transport, TransportError};
use crate::core::config::DemoFailure;
use crate::core::delivery::{NoAnswer, Reply};
use crate::core::demo_seed::seed_praise;
use crate::core::envelope::Submission;
use crate::core::i18n::Lang;
use crate::core::praise::PublishedPraise;
use crate::shell::platform;
use crate::shell::storage::{Store, KEY_PREFIX};

/// The one storage key of the demo store: every submission, oldest first, as a JSON array.
pub fn demo_store_key() -> String {
    format!("{KEY_PREFIX}demo:submissions:v1")
}

/// Keeps submissions in a [`Store`].
pub struct DemoTransport {
    store: Rc<dyn Store>,
    lang: Lang,
    failure: Option<DemoFailure>,
    latency_ms: u32,
}

impl DemoTransport {
    /// A demo transport over `store`; its seed wall speaks `lang`.
    pub fn new(store: Rc<dyn Store>, lang: Lang) -> Self {
        DemoTransport {
            store,
            lang,
            failure: None,
            latency_ms: 0,
        }
    }

    /// The same, simulating `failure` after `latency_ms` on each attempt.
    pub fn simulating(mut self, failure: Option<DemoFailure>, latency_ms: u32) -> Self {
        self.failure = failure;
        self.latency_ms = latency_ms;
        self
    }

    /// The reply a failing "server" would give this attempt, if it fails.
    fn simulated_failure(&self, attempt: u32) -> Option<Reply> {
        let http = |status: u16, retry_after: Option<&str>| Reply::Http {
            status,
            retry_after: retry_after.map(str::to_owned),
            body: String::new(),
        };
        match self.failure? {
            DemoFailure::Offline => Some(Reply::NoAnswer(NoAnswer::Offline)),
            _ if attempt > 1 => None,
            DemoFailure::ServerError => Some(http(500, None)),
            DemoFailure::RateLimited => Some(http(429, Some("2"))),
            DemoFailure::Timeout => Some(Reply::NoAnswer(NoAnswer::Timeout)),
        }
    }

    /// Keeps `submission` (once per id) and answers like an endpoint that accepted it.
    fn store_submission(&self, submission: Submission) -> Reply {
        let mut all = self.submissions();
        // The id is the idempotency key here too: a repeat replaces nothing and adds nothing.
        if !all.iter().any(|stored| stored.id == submission.id) {
            all.push(submission);
        }
        match serde_json::to_string(&all) {
            Ok(json) => {
                self.store.write(&demo_store_key(), &json);
                Reply::Http {
                    status: 201,
                    retry_after: None,
                    body: r#"{"status":"accepted"}"#.into(),
                }
            }
            Err(err) => Reply::Http {
                status: 500,
                retry_after: None,
                body: format!("demo store: {err}"),
            },
        }
    }

    /// Every stored submission. Unreadable data (written by another version, or edited by hand)
    /// counts as empty rather than breaking the widget.
    fn submissions(&self) -> Vec<Submission> {
        self.store
            .read(&demo_store_key())
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }
}

impl Transport for DemoTransport {
    fn submit(&self, submission: Submission) -> LocalFuture<Reply> {
        let failure = self.simulated_failure(submission.signals.attempt);
        // A simulated timeout waits like a slow network would, but not the full 15 s.
        let wait = match failure {
            Some(Reply::NoAnswer(NoAnswer::Timeout)) => self.latency_ms.max(1_000),
            _ => self.latency_ms,
        };
        // Stored now or never: the future only waits, so the store is not borrowed across it.
        let reply = failure.unwrap_or_else(|| self.store_submission(submission));
        Box::pin(async move {
            if wait > 0 {
                platform::sleep_ms(wait).await;
            }
            reply
        })
    }

    fn published_praise(
        &self,
    ) -> Option<LocalFuture<Result<Vec<PublishedPraise>, TransportError>>> {
        let mut items: Vec<PublishedPraise> = self
            .submissions()
            .iter()
            .filter_map(Submission::published_praise)
            .collect();
        // The made-up opening wall, so a first visit to the demo is not an empty box.
        items.extend(seed_praise(self.lang));
        Some(Box::pin(async move { Ok(items) }))
    }
}
