//! The delivery side of any form, as one hook: [`use_delivered_form`].
//!
//! A form component gets its state machine from this hook instead of `use_reducer`, and the hook
//! does every side effect around it, the same way for every form (praise today, newsletter next):
//! - **autosave**: once the visitor has changed something, the draft is kept in storage
//!   (`kudos-widget:draft:<form>:v2:<site>`, the site being the endpoint or `demo`) and restored
//!   on the next mount within a week; it is cleared only after a definite success. Nothing is
//!   stored before the visitor acts. While a submission of it waits in the outbox, its id is kept
//!   too (`kudos-widget:pending:<form>:v2:<site>`), so a reload shows the form as queued.
//! - **delivery**: when the machine enters `Submitting`, the envelope is built (id, clock, page,
//!   spam signals), handed to the [`Courier`] (outbox, transport, retry policy), and the courier's
//!   outcomes come back as form actions: delivered, queued, refused (with field errors mapped back
//!   onto the form's fields).
//! - **spam signals without a CAPTCHA**: the hidden honeypot field the form renders, the time from
//!   first interaction to submit, and a throttle of one submission per form every few seconds
//!   (a quick second submission is delayed, never dropped).
//! - **wake-ups**: the outbox is flushed when the form mounts (the next page load) and on the
//!   browser's `online` event.
//!
//! Every outcome passes through [`announce`], the one place where they reach the outside.

//!
//! Size matters here (the wasm has a budget): only what must know the draft type is generic
//! (reading, writing and wrapping the draft); the rest is written once, in plain functions.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{use_widget_context, WidgetContext};
use crate::core::config::Mode;
use crate::core::envelope::{Signals, Stamp, Submission};
use crate::core::form::{
    draft_from_json, draft_is_fresh, draft_to_json, stamped_draft, DeliveryProblem, Draft,
    FieldError, FormAction, FormState, Status, Waiting,
};
use crate::core::i18n::{Strings, Text};
use crate::core::outbox::Wake;
use crate::core::sorted::SortedMap;
use crate::shell::events::{Events, WidgetEvent};
use crate::shell::outbox::{outbox_key, Courier, Outcome};
use crate::shell::platform;
use crate::shell::storage::{Store, KEY_PREFIX};

/// The least time between two submissions of one form: a double press, a bot, or a visitor who
/// sends the same thanks twice in a row gets its second one delayed by the rest of it.
pub const THROTTLE_MS: u64 = 3_000;

/// The site a widget's drafts belong to: its endpoint, or `demo`. Two widgets of one origin
/// posting to different places never offer each other's drafts (issue 12, defect 9).
pub fn site_of(mode: &Mode) -> &str {
    match mode {
        Mode::Demo => "demo",
        Mode::Live { endpoint } => endpoint.as_str(),
    }
}

/// The storage key of a form's autosaved draft for `site` (see [`site_of`]).
pub fn draft_key(form: &str, site: &str) -> String {
    format!("{KEY_PREFIX}draft:{form}:v2:{site}")
}

/// The storage key of the id of a form's submission waiting in the outbox.
fn pending_key(form: &str, site: &str) -> String {
    format!("{KEY_PREFIX}pending:{form}:v2:{site}")
}

/// Removes every stored draft, of any form and site, past its week (or undated, from before
/// drafts expired): one typed for a widget that is never shown again must not stay for ever.
pub fn forget_stale_drafts(store: &dyn Store, now_ms: u64) {
    for key in store.keys(&format!("{KEY_PREFIX}draft:")) {
        if !store
            .read(&key)
            .is_some_and(|json| draft_is_fresh(&json, now_ms))
        {
            store.remove(&key);
        }
    }
}

/// What the hook remembers between renders, outside the state machine.
struct Tracker {
    /// The submission the form is waiting on (in flight or queued).
    pending: Option<String>,
    /// When the visitor first changed something (Unix ms), for the fill-time signal.
    first_touch_ms: Option<u64>,
    /// When the last submission of this form was handed over (Unix ms), for the throttle.
    last_sent_ms: Option<u64>,
    /// The latest outcome callback from the component.
    on_outcome: Callback<Outcome>,
}

/// Where one form's outcomes go besides the form: its storage keys and the host page's events.
#[derive(Clone)]
struct Keys {
    store: Rc<dyn Store>,
    draft: String,
    pending: String,
    events: Events,
}

/// Everything a form needs from the hook.
pub struct DeliveredForm<D: Draft> {
    /// The form's state machine (as from `use_reducer`).
    pub state: UseReducerHandle<FormState<D>>,
    /// The honeypot field; the form renders it once, anywhere inside its `<form>`.
    pub honeypot: Html,
    /// Takes the queued submission back (out of the outbox, unsent) so the visitor can edit it.
    pub cancel: Callback<MouseEvent>,
}

/// Reports one outcome to the host page (`kudos:submit`, `kudos:success`, `kudos:queued` on each
/// attempt that leaves it waiting, `kudos:error`) and to the form's own callback. This is the one
/// place every delivery outcome passes.
fn announce(outcome: &Outcome, on_outcome: &Callback<Outcome>, events: &Events) {
    events.emit(match outcome {
        Outcome::Submitted { .. } => WidgetEvent::Submit,
        Outcome::Delivered { .. } => WidgetEvent::Success,
        Outcome::Queued { .. } => WidgetEvent::Queued,
        Outcome::GaveUp { .. } => WidgetEvent::failed(DeliveryProblem::CouldNotSend),
        Outcome::Refused { .. } => WidgetEvent::failed(DeliveryProblem::Refused),
    });
    on_outcome.emit(outcome.clone());
}

/// What an outcome does to the form waiting on it, if anything (then the outbox or the draft may
/// need tidying, done here too).
enum Effect {
    Queued { waiting: Waiting },
    Delivered,
    GaveUp,
    Refused(Vec<String>),
}

/// Announces `outcome`, and says what it means for the form when it is about the form's own
/// pending submission.
fn settle(outcome: Outcome, tracker: &RefCell<Tracker>, keys: &Keys) -> Option<Effect> {
    let on_outcome = tracker.borrow().on_outcome.clone();
    announce(&outcome, &on_outcome, &keys.events);
    if tracker.borrow().pending.as_deref() != Some(outcome.id()) {
        return None;
    }
    let effect = match outcome {
        Outcome::Submitted { .. } => return None,
        Outcome::Queued { waiting, .. } => return Some(Effect::Queued { waiting }),
        Outcome::Delivered { .. } => {
            // A definite success: the draft has done its job.
            keys.store.remove(&keys.draft);
            Effect::Delivered
        }
        Outcome::GaveUp { .. } => Effect::GaveUp,
        Outcome::Refused { fields, .. } => {
            Effect::Refused(fields.into_iter().map(|error| error.field).collect())
        }
    };
    tracker.borrow_mut().pending = None;
    keys.store.remove(&keys.pending);
    Some(effect)
}

/// Starts the courier of a form: a first flush (what an earlier page load left) and a flush on
/// each `online` event. The returned function stops both.
fn start_courier(
    context: &WidgetContext,
    kind: &'static str,
    report: impl Fn(Outcome) + 'static,
) -> (Rc<Courier>, impl FnOnce()) {
    let courier = Courier::new(
        Rc::clone(&context.transport),
        Rc::clone(&context.store),
        outbox_key(&context.config.mode),
        kind,
        report,
    );
    courier.flush(Wake::Fresh);
    let online = {
        let courier = Rc::clone(&courier);
        Closure::<dyn Fn()>::new(move || courier.flush(Wake::Fresh))
    };
    let window = web_sys::window();
    if let Some(window) = &window {
        let _ = window.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
    }
    let stop = {
        let courier = Rc::clone(&courier);
        move || {
            courier.stop();
            if let Some(window) = window {
                let _ = window
                    .remove_event_listener_with_callback("online", online.as_ref().unchecked_ref());
            }
            drop(online);
        }
    };
    (courier, stop)
}

/// Whether the form restored from storage is still waiting on a queued submission.
fn restored_pending(keys: &Keys, context: &WidgetContext) -> Option<String> {
    let id = keys.store.read(&keys.pending)?;
    let outbox = keys.store.read(&outbox_key(&context.config.mode));
    crate::core::outbox::Outbox::from_json(outbox.as_deref())
        .get(&id)
        .is_some()
        .then_some(id)
}

/// Keeps (or, for a draft not worth keeping, forgets) the draft's JSON.
fn autosave(keys: &Keys, tracker: &RefCell<Tracker>, json: Option<String>) {
    match json {
        Some(json) => {
            tracker
                .borrow_mut()
                .first_touch_ms
                .get_or_insert_with(platform::now_ms);
            keys.store
                .write(&keys.draft, &stamped_draft(&json, platform::now_ms()));
        }
        // Back to a fresh form after the visitor had typed: nothing left to keep.
        None if tracker.borrow().first_touch_ms.is_some() => keys.store.remove(&keys.draft),
        None => {}
    }
}

/// The spam signals of a submission made now.
fn signals(honeypot: &NodeRef, tracker: &RefCell<Tracker>, now: u64) -> Signals {
    Signals {
        honeypot: honeypot
            .cast::<HtmlInputElement>()
            .map(|input| input.value())
            .unwrap_or_default(),
        fill_time_ms: now.saturating_sub(tracker.borrow().first_touch_ms.unwrap_or(now)),
        attempt: 1,
    }
}

/// Hands a submission to the courier: into the outbox at once (so nothing is lost), then its
/// first attempt once the throttle allows.
fn hand_over(
    courier: Rc<Courier>,
    submission: Submission,
    tracker: &RefCell<Tracker>,
    keys: &Keys,
) {
    let now = platform::now_ms();
    let id = submission.id.clone();
    let wait = {
        let mut tracker = tracker.borrow_mut();
        tracker.pending = Some(id.clone());
        let wait = tracker
            .last_sent_ms
            .map_or(0, |last| (last + THROTTLE_MS).saturating_sub(now));
        tracker.last_sent_ms = Some(now + wait);
        wait
    };
    keys.store.write(&keys.pending, &id);
    courier.enqueue(submission);
    wasm_bindgen_futures::spawn_local(async move {
        if wait > 0 {
            platform::sleep_ms(wait as u32).await;
        }
        courier.attempt(id);
    });
}

/// The part of the hook that does not know the draft type: the widget context, the storage keys,
/// the tracker, the courier's slot and the honeypot's node. Size: written once, not once per
/// draft type (with the effects below, measured in docs/size-log.md).
#[derive(Clone)]
struct Delivery {
    context: WidgetContext,
    /// The envelope `type` this form sends: its courier takes only these from the outbox.
    kind: &'static str,
    keys: Keys,
    tracker: Rc<RefCell<Tracker>>,
    courier: Rc<RefCell<Option<Rc<Courier>>>>,
    honeypot_ref: NodeRef,
}

impl Delivery {
    /// Takes the pending submission out of the outbox unsent and forgets it.
    fn cancel_pending(&self) {
        let Some(id) = self.tracker.borrow_mut().pending.take() else {
            return;
        };
        if let Some(courier) = self.courier.borrow().as_ref() {
            courier.cancel(&id);
        }
        self.keys.store.remove(&self.keys.pending);
    }

    /// Marks a draft restored from storage as touched (the visitor typed it on an earlier visit)
    /// and says whether its submission still waits in the outbox.
    fn restored(&self) -> bool {
        let mut tracker = self.tracker.borrow_mut();
        tracker.first_touch_ms = Some(platform::now_ms());
        tracker.pending = restored_pending(&self.keys, &self.context);
        tracker.pending.is_some()
    }
}

/// The non-generic state of [`use_delivered_form`], created before its reducer.
#[hook]
fn use_delivery(form: &'static str, kind: &'static str, on_outcome: Callback<Outcome>) -> Delivery {
    let context = use_widget_context();
    let keys = Keys {
        store: Rc::clone(&context.store),
        draft: draft_key(form, site_of(&context.config.mode)),
        pending: pending_key(form, site_of(&context.config.mode)),
        events: context.events.clone(),
    };
    let tracker = use_mut_ref({
        let on_outcome = on_outcome.clone();
        move || Tracker {
            pending: None,
            first_touch_ms: None,
            last_sent_ms: None,
            on_outcome,
        }
    });
    tracker.borrow_mut().on_outcome = on_outcome;
    Delivery {
        context,
        kind,
        keys,
        tracker,
        courier: use_mut_ref(|| None::<Rc<Courier>>),
        honeypot_ref: use_node_ref(),
    }
}

/// What one render of a form hands to the non-generic effects, already out of its draft type.
struct Snapshot {
    /// The draft as autosaved JSON; `None` for a fresh draft (not worth keeping).
    draft_json: Option<String>,
    /// The machine has succeeded: the draft is no longer autosaved.
    succeeded: bool,
    /// While the machine is `Submitting`: wraps the draft into its envelope.
    build: Option<Box<dyn FnOnce(Stamp) -> Submission>>,
}

/// The side effects of every form: the courier (its outcomes go to `on_effect`), autosave, and
/// delivery when the machine enters `Submitting`.
#[hook]
fn use_delivery_effects(delivery: Delivery, on_effect: Rc<dyn Fn(Effect)>, snapshot: Snapshot) {
    {
        let Delivery {
            context,
            kind,
            keys,
            tracker,
            courier,
            ..
        } = delivery.clone();
        use_effect_with((), move |_| {
            let (started, stop) = start_courier(&context, kind, move |outcome| {
                if let Some(effect) = settle(outcome, &tracker, &keys) {
                    on_effect(effect);
                }
            });
            *courier.borrow_mut() = Some(started);
            stop
        });
    }

    // Autosave, from the visitor's first change on; a fresh draft is not worth keeping.
    {
        let (keys, tracker) = (delivery.keys.clone(), Rc::clone(&delivery.tracker));
        let succeeded = snapshot.succeeded;
        use_effect_with(snapshot.draft_json, move |json| {
            if !succeeded {
                autosave(&keys, &tracker, json.clone());
            }
        });
    }

    // Deliver when the machine says so.
    let language = delivery.context.strings.lang().tag();
    let build = snapshot.build;
    use_effect_with(build.is_some(), move |_| {
        let courier = delivery.courier.borrow().clone();
        if let (Some(build), Some(courier)) = (build, courier) {
            let signals = signals(
                &delivery.honeypot_ref,
                &delivery.tracker,
                platform::now_ms(),
            );
            let submission = build(platform::stamp(language, signals));
            hand_over(courier, submission, &delivery.tracker, &delivery.keys);
        }
    });
}

/// The form action an outcome of the form's own submission leads to.
fn action_of<D: Draft>(effect: Effect) -> FormAction<D> {
    match effect {
        Effect::Queued { waiting } => FormAction::Queued { waiting },
        Effect::Delivered => FormAction::Delivered,
        Effect::GaveUp => FormAction::DeliveryFailed(DeliveryProblem::CouldNotSend),
        Effect::Refused(paths) => {
            let fields: SortedMap<D::Field, FieldError> = paths
                .iter()
                .filter_map(|path| D::field_from_wire_path(path))
                .map(|field| (field, FieldError::NotAccepted))
                .collect();
            if fields.is_empty() {
                FormAction::DeliveryFailed(DeliveryProblem::Refused)
            } else {
                FormAction::FieldsRejected(fields)
            }
        }
    }
}

/// A form's state machine with autosave, delivery through the outbox, and spam signals.
///
/// `form` names the form in storage keys (`"praise"`); `kind` is the envelope `type` `build`
/// makes (the courier takes only those from the endpoint's shared outbox); `build` wraps a valid
/// draft into its envelope; `on_outcome` hears every [`Outcome`] of this form's submissions. Only the reducer
/// and the conversions in and out of the draft type are generic; the hooks around them are
/// [`use_delivery`] and [`use_delivery_effects`], written once.
#[hook]
pub fn use_delivered_form<D>(
    form: &'static str,
    kind: &'static str,
    rules: Rc<D::Rules>,
    build: impl Fn(&D, &D::Rules, Stamp) -> Submission + 'static,
    on_outcome: Callback<Outcome>,
) -> DeliveredForm<D>
where
    D: Draft + 'static,
{
    let delivery = use_delivery(form, kind, on_outcome);

    // The autosaved draft if there is one, queued if its submission still waits.
    let state = use_reducer({
        let delivery = delivery.clone();
        move || {
            let restored = delivery
                .keys
                .store
                .read(&delivery.keys.draft)
                .filter(|json| {
                    // Older than a week (or undated): forgotten, not restored.
                    let fresh = draft_is_fresh(json, platform::now_ms());
                    if !fresh {
                        delivery.keys.store.remove(&delivery.keys.draft);
                    }
                    fresh
                })
                .and_then(|json| draft_from_json::<D>(&json, &rules));
            let Some(draft) = restored else {
                return FormState::new(rules);
            };
            let mut state = FormState::with_draft(draft, rules);
            // The visitor typed it, on an earlier visit.
            state.touched = true;
            if delivery.restored() {
                state.status = Status::Queued;
                // Until the page load's attempt says otherwise.
                if !platform::is_online() {
                    state.waiting = Waiting::Offline;
                }
            }
            state
        }
    });

    let on_effect: Rc<dyn Fn(Effect)> = {
        let dispatcher = state.dispatcher();
        Rc::new(move |effect| dispatcher.dispatch(action_of::<D>(effect)))
    };
    let snapshot = Snapshot {
        // Only what the visitor touched is kept: a prefill alone stores nothing (defect 10).
        draft_json: (state.touched && state.draft != D::fresh(&state.rules))
            .then(|| draft_to_json(&state.draft)),
        succeeded: state.status == Status::Succeeded,
        build: (state.status == Status::Submitting).then(|| {
            let (draft, rules) = (state.draft.clone(), Rc::clone(&state.rules));
            Box::new(move |stamp| build(&draft, &rules, stamp)) as Box<dyn FnOnce(Stamp) -> _>
        }),
    };
    let honeypot_ref = delivery.honeypot_ref.clone();
    let cancel = {
        let (delivery, dispatcher) = (delivery.clone(), state.dispatcher());
        Callback::from(move |_: MouseEvent| {
            delivery.cancel_pending();
            dispatcher.dispatch(FormAction::CancelQueued);
        })
    };
    use_delivery_effects(delivery, on_effect, snapshot);

    DeliveredForm {
        state,
        honeypot: honeypot(form, honeypot_ref),
        cancel,
    }
}

/// What a form says while its submission waits: that the browser was offline at the last attempt
/// ("when you're back online"), that the site did not answer ("we'll keep trying"), or that the
/// browser would not save it ("keep this page open, or copy your text").
pub fn queued_text(strings: &Strings, waiting: Waiting) -> &str {
    strings.get(match waiting {
        Waiting::Offline => Text::Queued,
        Waiting::NoAnswer => Text::QueuedNoAnswer,
        Waiting::OnlyThisPage => Text::QueuedNotSaved,
    })
}

/// The notice under a form whose submission waits in the outbox, with the button that takes it
/// back to edit (issue 12, defect 1: a queued form was locked until delivery, however long).
pub fn queued_notice(strings: &Strings, waiting: Waiting, cancel: Callback<MouseEvent>) -> Html {
    html! {
        <>
            <p class="kudos-queued" part="queued">{ queued_text(strings, waiting) }</p>
            <button type="button" class="kudos-button kudos-button-secondary" onclick={cancel}>
                { strings.get(Text::CancelQueued) }
            </button>
        </>
    }
}

/// The honeypot: off-screen, not `display: none` (which many bots check); hidden from assistive
/// technology and out of the tab order, so only a bot that fills every field fills it.
fn honeypot(form: &str, input: NodeRef) -> Html {
    let id = format!("kudos-{form}-website");
    html! {
        <div class="kudos-hp" aria-hidden="true">
            <label for={id.clone()}>{ "Website" }</label>
            <input {id} type="text" name="website" tabindex="-1" autocomplete="off"
                aria-hidden="true" ref={input} />
        </div>
    }
}
