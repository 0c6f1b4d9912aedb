//! Demo mode: submissions are kept in this browser's storage, and the wall reads them back, so the
//! whole widget works with no backend at all.
//!
//! The store is one JSON array of envelopes exactly as they would have been posted, so a site
//! owner can export it and see the wire contract. It is never read back into a `Submission`:
//! each stored item is kept as its raw JSON text for rewriting, and read as a small lenient
//! [`StoredEnvelope`] for ids and the wall (see that type for why).
//!
//! The roster of `data-staff-url` is the demo's made-up one (`core::demo_seed`), answered without
//! any request: demo mode reaches no server.
//!
//! `data-demo-latency` and `data-demo-fail` let an owner see every delivery state without a
//! server: `500`, `429` (with `Retry-After: 2`) and `timeout` fail the first attempt of each
//! submission, so the retry that follows succeeds; `offline` fails every attempt, so the
//! submission stays queued.

use std::rc::Rc;

use crate::core::config::{DemoFailure, Endpoint};
use crate::core::delivery::{NoAnswer, Reply};
use crate::core::demo_seed::{seed_praise, seed_roster};
use crate::core::envelope::StoredEnvelope;
use crate::core::i18n::Lang;
use crate::core::json::{kept_whole, parse_array_items, Json};
use crate::core::outbox::Outgoing;
use crate::core::praise::PublishedPraise;
use crate::core::roster::StaffMember;
use crate::core::wall::{FeedError, WallPage};
use crate::shell::keys;
use crate::shell::platform;
use crate::shell::ports::{LocalFuture, Store, Transport, TransportError};

/// Keeps submissions in a [`Store`].
pub struct DemoTransport {
    store: Rc<dyn Store>,
    lang: Lang,
    failure: Option<DemoFailure>,
    latency_ms: u32,
}

/// What is in the store: each item as written (JSON text), and what the widget reads of it.
struct Stored {
    raw: Vec<String>,
    read: Vec<StoredEnvelope>,
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

    /// The reply a failing "server" gives attempt number `attempt`, if it fails.
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

    /// Keeps the envelope (once per id) and answers like an endpoint that took it.
    fn store_envelope(&self, outgoing: Outgoing) -> Reply {
        // A newsletter would be double opt-in with a real list: say so, as an endpoint would.
        let status = if outgoing.kind.starts_with("newsletter.") {
            "pending_confirmation"
        } else {
            "accepted"
        };
        let reply = |status_code: u16, body: String| Reply::Http {
            status: status_code,
            retry_after: None,
            body,
        };
        let mut stored = self.stored();
        // The id is the idempotency key here too: a repeat replaces nothing and adds nothing.
        if stored.read.iter().any(|item| item.id == outgoing.id) {
            return reply(200, format!(r#"{{"status":"{status}"}}"#));
        }
        // The body is this crate's own envelope; checked anyway, so the store stays one array.
        let body = outgoing.body.trim();
        if let Err(err) = Json::parse(body) {
            return reply(500, format!("demo store: {err}"));
        }
        stored.raw.push(body.to_owned());
        self.store.write(
            &keys::demo_store(),
            &format!("[{}]", crate::core::text::join(&stored.raw, ",")),
        );
        reply(201, format!(r#"{{"status":"{status}"}}"#))
    }

    /// Everything stored, item by item. An item this version cannot read (written by another
    /// version, or edited by hand) is skipped but kept as written, so the next write keeps it too;
    /// a text that is not an array at all is kept whole as one string item (issue 12, defect 4:
    /// one unreadable item emptied the store, and the next submission overwrote the rest).
    fn stored(&self) -> Stored {
        let text = self.store.read(&keys::demo_store()).unwrap_or_default();
        let mut stored = Stored {
            raw: Vec::new(),
            read: Vec::new(),
        };
        match parse_array_items(&text) {
            Ok(items) => {
                for (raw, item) in items {
                    stored.raw.push(raw.to_owned());
                    if let Some(read) = StoredEnvelope::from_json(&item) {
                        stored.read.push(read);
                    }
                }
            }
            Err(_) if text.trim().is_empty() => {}
            Err(_) => stored.raw.push(kept_whole(&text)),
        }
        stored
    }
}

impl Transport for DemoTransport {
    fn submit(&self, outgoing: Outgoing) -> LocalFuture<Reply> {
        let failure = self.simulated_failure(outgoing.attempt);
        // A simulated timeout waits like a slow network would, but not the full 15 s.
        let wait = match failure {
            Some(Reply::NoAnswer(NoAnswer::Timeout)) => self.latency_ms.max(1_000),
            _ => self.latency_ms,
        };
        // Stored now or never: the future only waits, so the store is not borrowed across it.
        let reply = failure.unwrap_or_else(|| self.store_envelope(outgoing));
        Box::pin(async move {
            if wait > 0 {
                platform::sleep_ms(wait).await;
            }
            reply
        })
    }

    fn wall_page(
        &self,
        _cursor: Option<String>,
    ) -> Option<LocalFuture<Result<WallPage, FeedError>>> {
        // The whole store is one page: it never gives a cursor to come back with.
        let mut items: Vec<PublishedPraise> = self
            .stored()
            .read
            .iter()
            .filter_map(StoredEnvelope::published_praise)
            .collect();
        // The made-up opening wall, so a first visit to the demo is not an empty box.
        items.extend(seed_praise(self.lang));
        Some(Box::pin(async move {
            Ok(WallPage {
                items,
                next_cursor: None,
                skipped: 0,
            })
        }))
    }

    fn staff_roster(
        &self,
        _url: &Endpoint,
    ) -> LocalFuture<Result<Vec<StaffMember>, TransportError>> {
        // The demo's stand-in for the owner's roster: no request leaves the browser.
        Box::pin(std::future::ready(Ok(seed_roster())))
    }
}
