//! The delivery side of any form, as one hook: [`use_delivered_form`].
//!
//! A form component gets its state machine from this hook instead of `use_reducer`, and the hook
//! does every side effect around it, the same way for every form (praise today, newsletter next):
//! - **autosave**: once the visitor has changed something, the draft is kept in storage
//!   (`kudos-widget:draft:<form>:v1`) and restored on the next mount; it is cleared only after a
//!   definite success. Nothing is stored before the visitor acts.
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

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::use_widget_context;
use crate::core::envelope::{Signals, Stamp, Submission};
use crate::core::form::{DeliveryProblem, Draft, FormAction, FormState, Status};
use crate::core::outbox::Wake;
use crate::shell::outbox::{outbox_key, Courier, Outcome};
use crate::shell::platform;
use crate::shell::storage::{Store, KEY_PREFIX};

/// The least time between two submissions of one form: a double press, a bot, or a visitor who
/// sends the same thanks twice in a row gets its second one delayed by the rest of it.
pub const THROTTLE_MS: u64 = 3_000;

/// The storage key of a form's autosaved draft.
pub fn draft_key(form: &str) -> String {
    format!("{KEY_PREFIX}draft:{form}:v1")
}

/// What autosave keeps: the draft, and the id of its submission while one is queued, so a
/// reload shows it as queued and keeps the form locked (the same words are never sent twice).
#[derive(Serialize, Deserialize)]
#[serde(bound = "D: Serialize + DeserializeOwned")]
struct SavedDraft<D> {
    draft: D,
    #[serde(default)]
    pending: Option<String>,
}

/// What the hook remembers between renders, outside the state machine.
struct Tracker<D> {
    /// The submission the form is waiting on (in flight or queued).
    pending: Option<String>,
    /// When the visitor first changed something (Unix ms), for the fill-time signal.
    first_touch_ms: Option<u64>,
    /// When the last submission of this form was handed over (Unix ms), for the throttle.
    last_sent_ms: Option<u64>,
    /// The latest outcome callback from the component.
    on_outcome: Callback<Outcome>,
    _draft: std::marker::PhantomData<D>,
}

/// Everything a form needs from the hook.
pub struct DeliveredForm<D: Draft> {
    /// The form's state machine (as from `use_reducer`).
    pub state: UseReducerHandle<FormState<D>>,
    /// The honeypot field; the form renders it once, anywhere inside its `<form>`.
    pub honeypot: Html,
}

/// Reports one outcome to the outside world and to the form's own callback. This is the one
/// place every delivery outcome passes: host-page events (`kudos:submit`, `kudos:success`,
/// `kudos:queued`, `kudos:error`) belong here.
fn announce(outcome: &Outcome, on_outcome: &Callback<Outcome>) {
    on_outcome.emit(outcome.clone());
}

fn read_saved<D>(store: &dyn Store, key: &str) -> Option<SavedDraft<D>>
where
    D: Draft + Serialize + DeserializeOwned,
{
    store
        .read(key)
        .and_then(|json| serde_json::from_str(&json).ok())
}

fn write_saved<D>(store: &dyn Store, key: &str, draft: &D, pending: Option<&str>)
where
    D: Draft + Serialize + DeserializeOwned,
{
    let saved = SavedDraft {
        draft: draft.clone(),
        pending: pending.map(str::to_owned),
    };
    if let Ok(json) = serde_json::to_string(&saved) {
        store.write(key, &json);
    }
}

/// A form's state machine with autosave, delivery through the outbox, and spam signals.
///
/// `form` names the form in storage keys (`"praise"`); `build` wraps a valid draft into its
/// envelope; `on_outcome` hears every [`Outcome`] of this form's submissions.
#[hook]
pub fn use_delivered_form<D>(
    form: &'static str,
    rules: Rc<D::Rules>,
    build: impl Fn(&D, &D::Rules, Stamp) -> Submission + 'static,
    on_outcome: Callback<Outcome>,
) -> DeliveredForm<D>
where
    D: Draft + Serialize + DeserializeOwned + 'static,
{
    let context = use_widget_context();
    let key = draft_key(form);

    // The courier, once per form: it reports outcomes into the tracker's latest callback.
    let tracker: Rc<RefCell<Tracker<D>>> = use_mut_ref({
        let on_outcome = on_outcome.clone();
        move || Tracker {
            pending: None,
            first_touch_ms: None,
            last_sent_ms: None,
            on_outcome,
            _draft: std::marker::PhantomData,
        }
    });
    tracker.borrow_mut().on_outcome = on_outcome;

    // The state: the autosaved draft if there is one, queued if its submission still waits.
    let restored = use_memo((), {
        let (store, key) = (Rc::clone(&context.store), key.clone());
        move |_| read_saved::<D>(&*store, &key)
    });
    let courier_slot = use_mut_ref(|| None::<Rc<Courier>>);
    let state = use_reducer({
        let (rules, restored, store) = (rules, restored.clone(), Rc::clone(&context.store));
        let outbox = outbox_key(&context.config.mode);
        let tracker = Rc::clone(&tracker);
        move || {
            let Some(saved) = restored.as_ref() else {
                return FormState::new(rules);
            };
            let mut state = FormState::with_draft(saved.draft.clone(), rules);
            let queued = saved.pending.as_deref().is_some_and(|id| {
                store.read(&outbox).is_some_and(|json| {
                    crate::core::outbox::Outbox::from_json(Some(&json))
                        .get(id)
                        .is_some()
                })
            });
            if queued {
                state.status = Status::Queued;
                tracker.borrow_mut().pending = saved.pending.clone();
            }
            // A restored draft counts as touched: the visitor typed it on an earlier visit.
            tracker.borrow_mut().first_touch_ms = Some(platform::now_ms());
            state
        }
    });

    // The courier, the first flush (what an earlier page load left) and the `online` wake-up.
    {
        let dispatcher = state.dispatcher();
        let tracker = Rc::clone(&tracker);
        let (context, key, courier_slot) = (context.clone(), key.clone(), courier_slot.clone());
        use_effect_with((), move |_| {
            let store = Rc::clone(&context.store);
            let courier = Courier::new(
                Rc::clone(&context.transport),
                Rc::clone(&context.store),
                outbox_key(&context.config.mode),
                move |outcome: Outcome| {
                    let on_outcome = tracker.borrow().on_outcome.clone();
                    announce(&outcome, &on_outcome);
                    let mine = tracker.borrow().pending.as_deref() == Some(outcome.id());
                    if !mine {
                        return;
                    }
                    match outcome {
                        Outcome::Submitted { .. } => {}
                        Outcome::Queued { .. } => dispatcher.dispatch(FormAction::Queued),
                        Outcome::Delivered { .. } => {
                            tracker.borrow_mut().pending = None;
                            store.remove(&key);
                            dispatcher.dispatch(FormAction::Delivered);
                        }
                        Outcome::Refused { fields, .. } => {
                            tracker.borrow_mut().pending = None;
                            let errors: BTreeMap<D::Field, _> = fields
                                .iter()
                                .filter_map(|e| D::field_from_wire_path(&e.field))
                                .map(|field| (field, crate::core::form::FieldError::NotAccepted))
                                .collect();
                            dispatcher.dispatch(if errors.is_empty() {
                                FormAction::DeliveryFailed(DeliveryProblem::Refused)
                            } else {
                                FormAction::FieldsRejected(errors)
                            });
                        }
                    }
                },
            );
            *courier_slot.borrow_mut() = Some(Rc::clone(&courier));
            courier.flush(Wake::Fresh);
            let online = {
                let courier = Rc::clone(&courier);
                Closure::<dyn Fn()>::new(move || courier.flush(Wake::Fresh))
            };
            let window = web_sys::window();
            if let Some(window) = &window {
                let _ = window
                    .add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
            }
            move || {
                courier.stop();
                if let Some(window) = window {
                    let _ = window.remove_event_listener_with_callback(
                        "online",
                        online.as_ref().unchecked_ref(),
                    );
                }
                drop(online);
            }
        });
    }

    // Autosave: from the visitor's first change on; a fresh draft (after "start over") is not
    // worth keeping. The pending id rides along so a reload knows the form is queued.
    {
        let (store, key, tracker) = (Rc::clone(&context.store), key.clone(), Rc::clone(&tracker));
        let fresh = D::fresh(&state.rules);
        let succeeded = state.status == Status::Succeeded;
        use_effect_with(state.draft.clone(), move |draft| {
            if succeeded {
                return;
            }
            if *draft == fresh {
                if tracker.borrow().first_touch_ms.is_some() {
                    store.remove(&key);
                }
                return;
            }
            let mut tracker = tracker.borrow_mut();
            tracker.first_touch_ms.get_or_insert_with(platform::now_ms);
            write_saved(&*store, &key, draft, tracker.pending.as_deref());
        });
    }

    // Deliver when the machine says so.
    let honeypot_ref = use_node_ref();
    {
        let (draft, rules) = (state.draft.clone(), Rc::clone(&state.rules));
        let (store, key, tracker) = (Rc::clone(&context.store), key.clone(), Rc::clone(&tracker));
        let (language, honeypot_ref) = (context.strings.lang().tag(), honeypot_ref.clone());
        use_effect_with(state.status == Status::Submitting, move |&submitting| {
            let courier = courier_slot.borrow().clone();
            let (true, Some(courier)) = (submitting, courier) else {
                return;
            };
            let now = platform::now_ms();
            let honeypot = honeypot_ref
                .cast::<HtmlInputElement>()
                .map(|input| input.value())
                .unwrap_or_default();
            let mut tracker = tracker.borrow_mut();
            let signals = Signals {
                honeypot,
                fill_time_ms: now.saturating_sub(tracker.first_touch_ms.unwrap_or(now)),
                attempt: 1,
            };
            let submission = build(&draft, &rules, platform::stamp(language, signals));
            let id = submission.id.clone();
            tracker.pending = Some(id.clone());
            write_saved(&*store, &key, &draft, Some(&id));
            let wait = tracker
                .last_sent_ms
                .map_or(0, |last| (last + THROTTLE_MS).saturating_sub(now));
            tracker.last_sent_ms = Some(now + wait);
            drop(tracker);
            courier.enqueue(submission);
            wasm_bindgen_futures::spawn_local(async move {
                if wait > 0 {
                    platform::sleep_ms(wait as u32).await;
                }
                courier.attempt(id);
            });
        });
    }

    let honeypot = html! {
        // Off-screen, not `display: none` (which many bots check); hidden from assistive
        // technology and out of the tab order, so only a bot that fills every field fills it.
        <div class="kudos-hp" aria-hidden="true">
            <label for={format!("kudos-{form}-website")}>{ "Website" }</label>
            <input id={format!("kudos-{form}-website")} type="text" name="website" tabindex="-1"
                autocomplete="off" aria-hidden="true" ref={honeypot_ref} />
        </div>
    };
    DeliveredForm { state, honeypot }
}
