//! Demo mode: submissions are kept in this browser's storage, and the wall reads them back, so the
//! whole widget works with no backend at all.

use std::rc::Rc;

use super::{LocalFuture, Transport, TransportError};
use crate::core::demo_seed::seed_praise;
use crate::core::envelope::{Payload, ReplyStatus, Submission};
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

impl DemoTransport {
    /// A demo transport over `store`; its seed wall speaks `lang`.
    pub fn new(store: Rc<dyn Store>, lang: Lang) -> Self {
        DemoTransport { store, lang }
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
    fn submit(&self, submission: Submission) -> LocalFuture<Result<ReplyStatus, TransportError>> {
        // A newsletter would be double opt-in with a real list: say so, as an endpoint would.
        let status = match submission.payload {
            Payload::NewsletterSubscription(_) => ReplyStatus::PendingConfirmation,
            Payload::StaffRecognition(_) => ReplyStatus::Accepted,
        };
        let mut all = self.submissions();
        // The id is the idempotency key here too: a repeat replaces nothing and adds nothing.
        if !all.iter().any(|stored| stored.id == submission.id) {
            all.push(submission);
        }
        let result = serde_json::to_string(&all)
            .map(|json| {
                self.store.write(&demo_store_key(), &json);
                status
            })
            .map_err(|err| TransportError {
                problem: DeliveryProblem::CouldNotSend,
                detail: format!("demo store: {err}"),
            });
        Box::pin(async move { result })
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
