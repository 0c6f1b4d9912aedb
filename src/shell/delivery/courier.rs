//! The courier: takes submissions through the outbox to the transport, and keeps trying. The
//! delivery service owns one per mount; [`deliver_orphans`] makes one per forgotten endpoint.
//!
//! Every submission is written to the outbox (in storage) before its first attempt, and leaves it
//! only when the endpoint took it or refused it for good, so a network error, a closed tab or a
//! reload loses nothing. Each attempt's reply is judged by `core::delivery`; a retry waits for the
//! endpoint's `Retry-After` or a full-jitter backoff, and the `online` event and the next page load
//! cut a backoff short. The courier knows nothing about forms: it reports an [`Outcome`] for each
//! change, and the delivery service (`super::DeliveryService`) routes it to the form waiting on it.

use crate::core::sorted::SortedSet;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::core::config::{parse_endpoint, Endpoint};
use crate::core::delivery::{classify, next_wait_ms, NoAnswer, Reply, Verdict, WireFieldError};
use crate::core::envelope::{ReplyStatus, Submission};
use crate::core::envelope::{NEWSLETTER_TYPE, PRAISE_TYPE};
use crate::core::form::Waiting;
use crate::core::outbox::{Outbox, Wake};
use crate::core::platform::Platform;
use crate::core::providers;
use crate::shell::keys;
use crate::shell::platform;
use crate::shell::platform::Browser;
use crate::shell::ports::{Kept, Store, Transport};
use crate::shell::transport::HttpTransport;

thread_local! {
    /// Ids with an attempt in flight on this page. Two widgets (or a timer and the `online`
    /// event) waking at once must not post the same submission twice at the same time.
    static IN_FLIGHT: RefCell<SortedSet<String>> = const { RefCell::new(SortedSet::new()) };
}

/// Delivers what earlier pages left queued for other endpoints (the owner has changed
/// `data-endpoint` since): each entry goes to the endpoint it was made for, with the same retries
/// and bound as any other, and leaves the outbox when delivered, refused or given up; an empty
/// outbox removes its key. Before this, such entries (with personal data) stayed in the browser for
/// ever (issue 12, defect 11). Outcomes go to the console only: no form is waiting on them.
pub fn deliver_orphans(store: Rc<dyn Store>, current: &Endpoint, timeout_ms: u32) {
    let prefix = keys::outbox_prefix();
    let own = keys::outbox(current.as_str());
    for key in store.keys(&prefix) {
        let url = &key[prefix.len()..];
        // The demo outbox is no endpoint; a key that is not an endpoint URL as written is left.
        let endpoint = match parse_endpoint(url, &Browser) {
            Ok(endpoint) if key != own && url != "demo" && endpoint.as_str() == url => endpoint,
            _ => continue,
        };
        // A service recognised from the host and needing no key (Formspree, Basin) still gets
        // its own request shape; one needing a key cannot be spoken to without it, so the entry
        // is posted as it is, refused, and leaves the outbox like any refused one.
        let service = Browser.parse_url(url).and_then(|parts| {
            providers::settings(None, None, &parts.hostname, true)
                .ok()
                .flatten()
        });
        let transport: Rc<dyn Transport> = Rc::new(
            HttpTransport::new(endpoint, None)
                .with_timeout(timeout_ms)
                .with_provider(service),
        );
        let courier = Courier::new(transport, Rc::clone(&store), key.clone(), |_| {});
        courier.set_kinds(vec![PRAISE_TYPE, NEWSLETTER_TYPE]);
        courier.flush(Wake::Fresh);
    }
}

/// What happened to one submission. Every change is reported exactly once, through the courier's
/// reporter; this is where `kudos:*` events for the host page come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The visitor submitted and the submission is in the outbox (`kudos:submit`).
    Submitted {
        /// The submission id.
        id: String,
    },
    /// The endpoint took it (`kudos:success`).
    Delivered {
        /// The submission id.
        id: String,
        /// How the endpoint took it (a newsletter may wait for the visitor's confirmation).
        status: ReplyStatus,
    },
    /// Not delivered yet; it stays in the outbox and is tried again (`kudos:queued`).
    Queued {
        /// The submission id.
        id: String,
        /// When the next attempt is planned, from now.
        retry_in_ms: u64,
        /// Why it waits, for the visitor's message.
        waiting: Waiting,
    },
    /// Failed for too long (`core::outbox::Outbox::exhausted`); it left the outbox
    /// (`kudos:error`, "could-not-send"). The visitor's draft is kept, to send again or copy.
    GaveUp {
        /// The submission id.
        id: String,
    },
    /// Refused for good; it left the outbox (`kudos:error`). The visitor's draft is kept.
    Refused {
        /// The submission id.
        id: String,
        /// The fields the endpoint named, if any.
        fields: Vec<WireFieldError>,
    },
}

impl Outcome {
    /// The id of the submission this is about.
    pub fn id(&self) -> &str {
        match self {
            Outcome::Submitted { id }
            | Outcome::Delivered { id, .. }
            | Outcome::Queued { id, .. }
            | Outcome::GaveUp { id }
            | Outcome::Refused { id, .. } => id,
        }
    }
}

/// Takes submissions to one destination, through the outbox.
pub struct Courier {
    transport: Rc<dyn Transport>,
    store: Rc<dyn Store>,
    key: String,
    /// The envelope `type`s this courier takes from the outbox: those of the forms on its page
    /// (the outbox of an endpoint is shared by every form posting to it; another form's entries
    /// wait for a page with that form, which hears their outcomes).
    kinds: RefCell<Vec<&'static str>>,
    report: Box<dyn Fn(Outcome)>,
    /// False once the widget that owns it is gone: pending timers then do nothing (the next page
    /// load flushes what is left).
    active: Cell<bool>,
}

impl Courier {
    /// A courier through `transport`, keeping its outbox under `key` in `store` and reporting
    /// each outcome to `report`. It delivers nothing until it is given kinds ([`Courier::set_kinds`]).
    pub fn new(
        transport: Rc<dyn Transport>,
        store: Rc<dyn Store>,
        key: String,
        report: impl Fn(Outcome) + 'static,
    ) -> Rc<Courier> {
        Rc::new(Courier {
            transport,
            store,
            key,
            kinds: RefCell::new(Vec::new()),
            report: Box::new(report),
            active: Cell::new(true),
        })
    }

    /// The envelope `type`s to deliver from now on.
    pub fn set_kinds(&self, kinds: Vec<&'static str>) {
        *self.kinds.borrow_mut() = kinds;
    }

    fn load(&self) -> Outbox {
        Outbox::from_json(self.store.read(&self.key).as_deref())
    }

    fn save(&self, outbox: &Outbox) -> Kept {
        if outbox.is_empty() {
            self.store.remove(&self.key);
            Kept::Stored
        } else {
            self.store.write(&self.key, &outbox.to_json())
        }
    }

    /// Whether `id` waits in the outbox.
    pub fn holds(&self, id: &str) -> bool {
        self.load().get(id).is_some()
    }

    /// Puts `submission` in the outbox (before any attempt, so nothing is lost if the page goes
    /// away) and reports it. The caller makes the first attempt ([`Courier::attempt`]).
    pub fn enqueue(&self, submission: Submission) {
        let id = submission.id.clone();
        let mut outbox = self.load();
        if outbox.add(&submission) {
            // The first attempt follows at once; whether this write lasts shows if it fails.
            let _ = self.save(&outbox);
        }
        (self.report)(Outcome::Submitted { id });
    }

    /// Attempts every entry of its kinds that is due; `wake` says whether backoff waits still
    /// count.
    pub fn flush(self: &Rc<Self>, wake: Wake) {
        if !self.active.get() {
            return;
        }
        let outbox = self.load();
        let now = platform::now_ms();
        let kinds = self.kinds.borrow().clone();
        for kind in kinds {
            for id in outbox.due(kind, now, wake) {
                self.attempt(id);
            }
        }
    }

    /// Takes `id` out of the outbox unsent (the visitor cancelled it to edit it). An attempt
    /// already on its way may still arrive; nothing is retried after it.
    pub fn cancel(&self, id: &str) {
        let mut outbox = self.load();
        if outbox.remove(id).is_some() {
            self.save(&outbox);
        }
    }

    /// Stops acting on timers and events (the owning widget is gone).
    pub fn stop(&self) {
        self.active.set(false);
    }

    /// One attempt to deliver `id`, unless one is already under way on this page.
    pub fn attempt(self: &Rc<Self>, id: String) {
        let claimed = IN_FLIGHT.with(|set| set.borrow_mut().insert(id.clone()));
        if !claimed || !self.active.get() {
            if claimed {
                IN_FLIGHT.with(|set| set.borrow_mut().remove(&id));
            }
            return;
        }
        let courier = Rc::clone(self);
        wasm_bindgen_futures::spawn_local(async move {
            courier.deliver(&id).await;
            IN_FLIGHT.with(|set| set.borrow_mut().remove(&id));
        });
    }

    async fn deliver(self: &Rc<Self>, id: &str) {
        // Another tab may have delivered it since: then there is nothing to do.
        let Some(submission) = self.load().attempt(id) else {
            return;
        };
        let reply = self.transport.submit(submission).await;
        let now = platform::now_ms();
        let verdict = classify(&reply, now);
        let offline = reply == Reply::NoAnswer(NoAnswer::Offline);
        // Re-read: other entries may have changed while this attempt was out.
        let mut outbox = self.load();
        match verdict {
            Verdict::Delivered(status) => {
                outbox.remove(id);
                self.save(&outbox);
                (self.report)(Outcome::Delivered {
                    id: id.to_owned(),
                    status,
                });
            }
            Verdict::Refused { fields, detail } => {
                platform::console_warn(&format!(
                    "the endpoint refused submission {id} for good: {detail}"
                ));
                outbox.remove(id);
                self.save(&outbox);
                (self.report)(Outcome::Refused {
                    id: id.to_owned(),
                    fields,
                });
            }
            Verdict::Retry { after_ms, detail } => {
                let Some(entry) = outbox.get(id) else {
                    return;
                };
                let wait = next_wait_ms(after_ms, entry.failures + 1, platform::random_unit());
                outbox.failed(id, now, wait, after_ms.is_some(), offline);
                if outbox.exhausted(id, now) {
                    platform::console_warn(&format!(
                        "gave up on submission {id} ({detail}): it failed too often or for too \
                         long; the visitor still has the text to send again"
                    ));
                    outbox.remove(id);
                    self.save(&outbox);
                    (self.report)(Outcome::GaveUp { id: id.to_owned() });
                    return;
                }
                let kept = self.save(&outbox);
                platform::console_warn(&format!(
                    "submission {id} not delivered yet ({detail}); kept, next try in {wait} ms"
                ));
                (self.report)(Outcome::Queued {
                    id: id.to_owned(),
                    retry_in_ms: wait,
                    // Not saved beyond this page: that matters more than why it failed.
                    waiting: match (kept, offline) {
                        (Kept::ForThisPage, _) => Waiting::OnlyThisPage,
                        (Kept::Stored, true) => Waiting::Offline,
                        (Kept::Stored, false) => Waiting::NoAnswer,
                    },
                });
                let courier = Rc::clone(self);
                wasm_bindgen_futures::spawn_local(async move {
                    platform::sleep_ms(wait.min(u32::MAX as u64) as u32).await;
                    courier.flush(Wake::Timer);
                });
            }
        }
    }
}
