//! The delivery service: one per mounted widget, built in `mount.rs` and handed to the components
//! through their context. A form calls it with plain method calls and hears back what happened
//! to its submission; it never touches storage, the outbox or the transport itself.
//!
//! ```text
//! form ── service.submit(form, …) ──▶ DeliveryService ── Courier::enqueue / attempt ──▶ Transport
//!   ▲                                      │
//!   └──── Settled (exactly once per outcome of the form's own submission) ◀── Outcome
//! ```
//!
//! What it owns, for every form of its widget:
//! - **drafts** ([`drafts`]): once the visitor has changed something, the draft is kept in storage
//!   and restored on the next mount within a week; it is cleared only after a definite success.
//!   While a submission waits in the outbox, its id is kept too, so a reload shows it as queued.
//! - **the outbox and its courier** ([`courier`]): one courier per widget, delivering the entries
//!   of the forms connected to it; each outcome is announced to the host page (`kudos:*` events)
//!   and settles the form whose submission it is.
//! - **spam signals without a CAPTCHA**: the honeypot's value the form hands over, the time from
//!   first change to submit, and a throttle of one submission per form every few seconds (a quick
//!   second submission is delayed, never dropped).
//! - **wake-ups**: the outbox is flushed when a form connects (the next page load) and on the
//!   browser's `online` event.

pub mod courier;
pub mod drafts;

use std::cell::RefCell;
use std::ptr;
use std::rc::{Rc, Weak};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::core::config::Mode;
use crate::core::delivery::WireFieldError;
use crate::core::envelope::{ReplyStatus, Signals, Stamp, Submission};
use crate::core::envelope::{NEWSLETTER_TYPE, PRAISE_TYPE};
use crate::core::form::{DeliveryProblem, Waiting};
use crate::core::outbox::Wake;
use crate::shell::events::{Events, WidgetEvent};
use crate::shell::keys;
use crate::shell::platform;
use crate::shell::ports::{Store, Transport};

pub use courier::{deliver_orphans, Courier, Outcome};

thread_local! {
    /// The running services of this page. Two widgets posting to one endpoint share its outbox,
    /// so either courier may deliver the other's entry: the outcome is routed to the service whose
    /// form waits on it, so it still reaches that form (once).
    /// Each leaves it when stopped (unmounted).
    static ON_PAGE: RefCell<Vec<Rc<DeliveryService>>> = const { RefCell::new(Vec::new()) };
}

/// The least time between two submissions of one form: a double press, a bot, or a visitor who
/// sends the same thanks twice in a row gets its second one delayed by the rest of it.
pub const THROTTLE_MS: u64 = 3_000;

/// The forms a widget can show; each has its own draft, pending submission and throttle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// "Recognize our staff".
    Praise,
    /// "Join our newsletter".
    Newsletter,
}

impl Form {
    /// Its name in storage keys.
    pub fn name(self) -> &'static str {
        match self {
            Form::Praise => "praise",
            Form::Newsletter => "newsletter",
        }
    }

    /// The envelope `type` its submissions carry.
    pub fn envelope_type(self) -> &'static str {
        match self {
            Form::Praise => PRAISE_TYPE,
            Form::Newsletter => NEWSLETTER_TYPE,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// What a form hears about its own submission: each outcome once, and only its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    /// Not delivered yet; it waits in the outbox and is tried again.
    Queued {
        /// Why it waits, for the visitor's message.
        waiting: Waiting,
    },
    /// The endpoint took it; the draft is forgotten.
    Delivered {
        /// How the endpoint took it (a newsletter may wait for the visitor's confirmation).
        status: ReplyStatus,
    },
    /// It left the outbox undelivered (given up, or refused without naming a field we have);
    /// the draft is kept.
    Failed(DeliveryProblem),
    /// The endpoint refused the values at these wire paths (`data.story`); the draft is kept.
    Rejected(Vec<String>),
}

/// A draft found in storage when a form mounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The draft as autosave wrote it.
    pub json: String,
    /// Its submission still waits in the outbox: the form shows it as queued.
    pub queued: bool,
}

/// One form's delivery state, outside its state machine.
#[derive(Default)]
struct FormSlot {
    /// The submission the form is waiting on (in flight or queued).
    pending: Option<String>,
    /// When the visitor first changed something (Unix ms), for the fill-time signal.
    first_touch_ms: Option<u64>,
    /// When the last submission of this form was handed over (Unix ms), for the throttle.
    last_sent_ms: Option<u64>,
    /// Where the form hears about its submission; `None` while it is not mounted.
    listener: Option<Rc<dyn Fn(Settled)>>,
}

/// The delivery service of one mounted widget.
pub struct DeliveryService {
    store: Rc<dyn Store>,
    /// The endpoint, or `demo`: what the drafts and the outbox belong to.
    site: String,
    events: Events,
    courier: Rc<Courier>,
    forms: RefCell<[FormSlot; 2]>,
    /// The `online` listener, while the service runs.
    online: RefCell<Option<Closure<dyn Fn()>>>,
}

impl DeliveryService {
    /// The service of a widget in `mode`, delivering through `transport`, keeping drafts and the
    /// outbox in `store` and announcing outcomes on `events`. Nothing happens until a form
    /// connects; [`DeliveryService::start`] adds the wake-ups.
    pub fn new(
        store: Rc<dyn Store>,
        transport: Rc<dyn Transport>,
        mode: &Mode,
        events: Events,
    ) -> Rc<DeliveryService> {
        let site = keys::site_of(mode).to_owned();
        Rc::new_cyclic(|service: &Weak<DeliveryService>| {
            let service = service.clone();
            let courier = Courier::new(
                transport,
                Rc::clone(&store),
                keys::outbox(&site),
                move |outcome| {
                    if let Some(service) = service.upgrade() {
                        service.route(outcome);
                    }
                },
            );
            DeliveryService {
                store,
                site,
                events,
                courier,
                forms: RefCell::default(),
                online: RefCell::new(None),
            }
        })
    }

    /// Forgets drafts past their week, and flushes the outbox on each `online` event from now on.
    pub fn start(self: &Rc<Self>) {
        drafts::forget_stale(&*self.store, platform::now_ms());
        let service = Rc::downgrade(self);
        let online = Closure::<dyn Fn()>::new(move || {
            if let Some(service) = service.upgrade() {
                service.courier.flush(Wake::Fresh);
            }
        });
        if let Some(window) = web_sys::window() {
            let _ =
                window.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
        }
        *self.online.borrow_mut() = Some(online);
        ON_PAGE.with(|services| services.borrow_mut().push(Rc::clone(self)));
    }

    /// Stops every wake-up (the widget is unmounted); what is left waits for the next page load.
    pub fn stop(&self) {
        ON_PAGE.with(|services| {
            services
                .borrow_mut()
                .retain(|service| !ptr::eq(&**service, self))
        });
        self.courier.stop();
        if let (Some(online), Some(window)) = (self.online.borrow_mut().take(), web_sys::window()) {
            let _ = window
                .remove_event_listener_with_callback("online", online.as_ref().unchecked_ref());
        }
    }

    /// Connects a mounted `form`: from now on it hears each outcome of its own submission, once,
    /// on `listener`; its entries in the outbox are delivered, starting now.
    pub fn connect(self: &Rc<Self>, form: Form, listener: impl Fn(Settled) + 'static) {
        self.forms.borrow_mut()[form.index()].listener = Some(Rc::new(listener));
        self.courier.set_kinds(self.connected_kinds());
        self.courier.flush(Wake::Fresh);
    }

    /// Disconnects `form` (it is gone): its entries stay in the outbox for the next page.
    pub fn disconnect(&self, form: Form) {
        self.forms.borrow_mut()[form.index()].listener = None;
        self.courier.set_kinds(self.connected_kinds());
    }

    fn connected_kinds(&self) -> Vec<&'static str> {
        [Form::Praise, Form::Newsletter]
            .into_iter()
            .filter(|form| self.forms.borrow()[form.index()].listener.is_some())
            .map(Form::envelope_type)
            .collect()
    }

    /// The draft `form` left on an earlier visit, if it is less than a week old (an older one is
    /// forgotten here). From then on the form counts as touched, and as waiting on its queued
    /// submission if that is still in the outbox.
    pub fn restore(&self, form: Form) -> Option<Restored> {
        let json = drafts::read(&*self.store, &self.draft_key(form), platform::now_ms())?;
        let pending_key = self.pending_key(form);
        let pending = self
            .store
            .read(&pending_key)
            .filter(|id| self.courier.holds(id));
        let mut forms = self.forms.borrow_mut();
        let slot = &mut forms[form.index()];
        slot.first_touch_ms = Some(platform::now_ms());
        slot.pending = pending;
        Some(Restored {
            json,
            queued: slot.pending.is_some(),
        })
    }

    /// Keeps `form`'s draft (autosave), from the visitor's first change on; `None` (a fresh draft,
    /// not worth keeping) forgets what was kept once the visitor had typed.
    pub fn save_draft(&self, form: Form, json: Option<String>) {
        let key = self.draft_key(form);
        let mut forms = self.forms.borrow_mut();
        let slot = &mut forms[form.index()];
        match json {
            Some(json) => {
                slot.first_touch_ms.get_or_insert_with(platform::now_ms);
                drafts::write(&*self.store, &key, &json, platform::now_ms());
            }
            None if slot.first_touch_ms.is_some() => self.store.remove(&key),
            None => {}
        }
    }

    /// Sends a submission of `form`: `build` wraps the form's valid draft into its envelope with
    /// the stamp made here (id randomness, clock, page, `language`, and the spam signals: the
    /// honeypot's value and the fill time). It enters the outbox at once, so nothing is lost,
    /// and its first attempt follows once the throttle allows.
    pub fn submit(
        self: &Rc<Self>,
        form: Form,
        language: &str,
        honeypot: String,
        build: impl FnOnce(Stamp) -> Submission,
    ) {
        let now = platform::now_ms();
        let (fill_time_ms, wait) = {
            let forms = self.forms.borrow();
            let slot = &forms[form.index()];
            let fill_time_ms = now.saturating_sub(slot.first_touch_ms.unwrap_or(now));
            let wait = slot
                .last_sent_ms
                .map_or(0, |last| (last + THROTTLE_MS).saturating_sub(now));
            (fill_time_ms, wait)
        };
        let signals = Signals {
            honeypot,
            fill_time_ms,
            attempt: 1,
        };
        let submission = build(platform::stamp(language, signals));
        let id = submission.id.clone();
        {
            let mut forms = self.forms.borrow_mut();
            let slot = &mut forms[form.index()];
            slot.pending = Some(id.clone());
            slot.last_sent_ms = Some(now + wait);
        }
        self.store.write(&self.pending_key(form), &id);
        self.courier.enqueue(submission);
        let courier = Rc::clone(&self.courier);
        wasm_bindgen_futures::spawn_local(async move {
            if wait > 0 {
                platform::sleep_ms(wait as u32).await;
            }
            courier.attempt(id);
        });
    }

    /// Takes `form`'s queued submission back, out of the outbox unsent, so the visitor can edit
    /// it. An attempt already on its way may still arrive; nothing is retried after it.
    pub fn cancel(&self, form: Form) {
        let Some(id) = self.forms.borrow_mut()[form.index()].pending.take() else {
            return;
        };
        self.courier.cancel(&id);
        self.store.remove(&self.pending_key(form));
    }

    fn draft_key(&self, form: Form) -> String {
        keys::draft(form.name(), &self.site)
    }

    fn pending_key(&self, form: Form) -> String {
        keys::pending(form.name(), &self.site)
    }

    /// The form of this widget waiting on submission `id`, if any.
    fn owner_of(&self, id: &str) -> Option<Form> {
        [Form::Praise, Form::Newsletter]
            .into_iter()
            .find(|form| self.forms.borrow()[form.index()].pending.as_deref() == Some(id))
    }

    /// Settles `outcome` here, or in the service on this page whose form waits on it (this
    /// courier delivered another widget's entry of the shared outbox).
    fn route(&self, outcome: Outcome) {
        let owner = if self.owner_of(outcome.id()).is_some() {
            None
        } else {
            ON_PAGE.with(|services| {
                services
                    .borrow()
                    .iter()
                    .find(|service| service.owner_of(outcome.id()).is_some())
                    .cloned()
            })
        };
        match owner {
            Some(service) => service.settle(outcome),
            None => self.settle(outcome),
        }
    }

    /// Announces `outcome` to the host page (`kudos:submit`, `kudos:success`, `kudos:queued` on
    /// each attempt that leaves it waiting, `kudos:error`), then settles the form whose
    /// submission it is, if one is waiting on it. The one place every outcome passes.
    fn settle(&self, outcome: Outcome) {
        self.events.emit(match &outcome {
            Outcome::Submitted { .. } => WidgetEvent::Submit,
            Outcome::Delivered { .. } => WidgetEvent::Success,
            Outcome::Queued { .. } => WidgetEvent::Queued,
            Outcome::GaveUp { .. } => WidgetEvent::failed(DeliveryProblem::CouldNotSend),
            Outcome::Refused { .. } => WidgetEvent::failed(DeliveryProblem::Refused),
        });
        let Some(form) = self.owner_of(outcome.id()) else {
            return;
        };
        let settled = match outcome {
            Outcome::Submitted { .. } => return,
            Outcome::Queued { waiting, .. } => Settled::Queued { waiting },
            Outcome::Delivered { status, .. } => {
                // A definite success: the draft has done its job.
                self.store.remove(&self.draft_key(form));
                Settled::Delivered { status }
            }
            Outcome::GaveUp { .. } => Settled::Failed(DeliveryProblem::CouldNotSend),
            Outcome::Refused { fields, .. } => rejected(fields),
        };
        if !matches!(settled, Settled::Queued { .. }) {
            self.forms.borrow_mut()[form.index()].pending = None;
            self.store.remove(&self.pending_key(form));
        }
        // Cloned out first: the listener may call back into the service.
        let listener = self.forms.borrow()[form.index()].listener.clone();
        if let Some(listener) = listener {
            listener(settled);
        }
    }
}

/// A refusal: of named fields, or of the whole submission.
fn rejected(fields: Vec<WireFieldError>) -> Settled {
    if fields.is_empty() {
        Settled::Failed(DeliveryProblem::Refused)
    } else {
        Settled::Rejected(fields.into_iter().map(|error| error.field).collect())
    }
}
