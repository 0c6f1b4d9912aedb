//! Demo mode: submissions are kept in this browser's storage, and the wall reads them back, so the
//! whole widget works with no backend at all.
//!
//! The store is one JSON array of envelopes exactly as they would have been posted, so a site
//! owner can export it and see the wire contract. It is never read back into [`Submission`]:
//! each stored item is kept as raw JSON text for rewriting, and read as a small lenient
//! [`StoredEnvelope`] for ids and the wall (see that type for why).

use std::rc::Rc;

use serde_json::value::RawValue;

use super::{LocalFuture, Transport, TransportError};
use crate::core::demo_seed::seed_praise;
use crate::core::envelope::{Payload, ReplyStatus, StoredEnvelope, Submission};
use crate::core::form::DeliveryProblem;
use crate::core::i18n::Lang;
use crate::core::praise::PublishedPraise;
use crate::shell::storage::{Store, KEY_PREFIX};

/// The one storage key of the demo store: every submission, oldest first, as a JSON array.
pub fn demo_store_key() -> String {
    format!("{KEY_PREFIX}demo:submissions:v1")
}

/// Keeps submissions in a [`Store`].
pub struct DemoTransport {
    store: Rc<dyn Store>,
    lang: Lang,
}

/// What is in the store: each item as written, and what the widget reads of it.
struct Stored {
    raw: Vec<Box<RawValue>>,
    read: Vec<StoredEnvelope>,
}

impl DemoTransport {
    /// A demo transport over `store`; its seed wall speaks `lang`.
    pub fn new(store: Rc<dyn Store>, lang: Lang) -> Self {
        DemoTransport { store, lang }
    }

    /// Everything stored. Unreadable data (written by another version, or edited by hand)
    /// counts as empty rather than breaking the widget.
    fn stored(&self) -> Stored {
        let text = self.store.read(&demo_store_key()).unwrap_or_default();
        let raw: Vec<Box<RawValue>> = serde_json::from_str(&text).unwrap_or_default();
        let read: Option<Vec<StoredEnvelope>> = raw
            .iter()
            .map(|item| serde_json::from_str(item.get()).ok())
            .collect();
        match read {
            Some(read) => Stored { raw, read },
            None => Stored {
                raw: Vec::new(),
                read: Vec::new(),
            },
        }
    }
}

fn store_error(detail: String) -> TransportError {
    TransportError {
        problem: DeliveryProblem::CouldNotSend,
        detail: format!("demo store: {detail}"),
    }
}

impl Transport for DemoTransport {
    fn submit(&self, submission: Submission) -> LocalFuture<Result<ReplyStatus, TransportError>> {
        // A newsletter would be double opt-in with a real list: say so, as an endpoint would.
        let status = match submission.payload {
            Payload::NewsletterSubscription(_) => ReplyStatus::PendingConfirmation,
            Payload::StaffRecognition(_) => ReplyStatus::Accepted,
        };
        let mut stored = self.stored();
        // The id is the idempotency key here too: a repeat replaces nothing and adds nothing.
        let result = if stored.read.iter().any(|item| item.id == submission.id) {
            Ok(status)
        } else {
            serde_json::value::to_raw_value(&submission)
                .and_then(|item| {
                    stored.raw.push(item);
                    serde_json::to_string(&stored.raw)
                })
                .map(|json| {
                    self.store.write(&demo_store_key(), &json);
                    status
                })
                .map_err(|err| store_error(err.to_string()))
        };
        Box::pin(async move { result })
    }

    fn published_praise(
        &self,
    ) -> Option<LocalFuture<Result<Vec<PublishedPraise>, TransportError>>> {
        let mut items: Vec<PublishedPraise> = self
            .stored()
            .read
            .iter()
            .filter_map(StoredEnvelope::published_praise)
            .collect();
        // The made-up opening wall, so a first visit to the demo is not an empty box.
        items.extend(seed_praise(self.lang));
        Some(Box::pin(async move { Ok(items) }))
    }
}
