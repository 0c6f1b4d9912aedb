//! What every form shares: the hook that wires a form to the delivery service
//! ([`use_delivered_form`]), and the pieces around its fields (the honeypot, the status line, the
//! failure and queued notices, the submit button).
//!
//! Size matters here (the wasm has a budget): only what must know the draft type is generic
//! (the initial state, the submit callback, turning a settled outcome into an action); the views
//! are plain functions written once.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::field::keep_focus_on_press;
use super::use_widget_context;
use crate::core::envelope::{Stamp, Submission};
use crate::core::form::{
    draft_from_json, draft_to_json, DeliveryProblem, Draft, FieldError, FormAction, FormState,
    Status, Waiting,
};
use crate::core::i18n::{Strings, Text};
use crate::core::sorted::SortedMap;
use crate::shell::delivery::{DeliveryService, Form, Settled};
use crate::shell::platform;

/// Everything a form needs from the hook.
pub struct DeliveredForm<D: Draft> {
    /// The form's state machine (as from `use_reducer`).
    pub state: UseReducerHandle<FormState<D>>,
    /// The form's `onsubmit`: validates, and hands a valid draft to the delivery service.
    pub onsubmit: Callback<SubmitEvent>,
    /// Takes the queued submission back (out of the outbox, unsent) so the visitor can edit it.
    pub cancel: Callback<MouseEvent>,
    /// The honeypot field; the form renders it once, anywhere inside its `<form>`.
    pub honeypot: Html,
}

/// The words of one form's delivery states.
pub struct FormTexts {
    /// On the button and in the status line while it is sent.
    pub submitting: Text,
    /// On the button otherwise.
    pub submit: Text,
    /// When it could not be sent.
    pub could_not_send: Text,
    /// When the receiving side refused it.
    pub refused: Text,
}

impl FormTexts {
    /// What the visitor is told when delivery fails; the draft is always still there.
    pub fn failure<'a>(&self, strings: &'a Strings, problem: DeliveryProblem) -> &'a str {
        strings.get(match problem {
            DeliveryProblem::CouldNotSend => self.could_not_send,
            DeliveryProblem::Refused => self.refused,
        })
    }

    /// What the status line says in `status` (`done`: the words of a success).
    pub fn announcement<'a, D: Draft>(
        &self,
        strings: &'a Strings,
        state: &FormState<D>,
        done: &'a str,
    ) -> &'a str {
        match &state.status {
            Status::Editing => "",
            Status::Submitting => strings.get(self.submitting),
            Status::Queued => queued_text(strings, state.waiting),
            Status::Succeeded => done,
            Status::Failed(problem) => self.failure(strings, *problem),
        }
    }
}

/// The form's state at mount: the autosaved draft if the service has one (queued if its
/// submission still waits), else a fresh form.
fn initial_state<D: Draft>(
    service: &DeliveryService,
    form: Form,
    rules: Rc<D::Rules>,
) -> FormState<D> {
    let Some(restored) = service.restore(form) else {
        return FormState::new(rules);
    };
    let Some(draft) = draft_from_json::<D>(&restored.json, &rules) else {
        return FormState::new(rules);
    };
    let mut state = FormState::with_draft(draft, rules);
    // The visitor typed it, on an earlier visit.
    state.touched = true;
    if restored.queued {
        state.status = Status::Queued;
        // Until the page load's attempt says otherwise.
        if !platform::is_online() {
            state.waiting = Waiting::Offline;
        }
    }
    state
}

/// The form action a settled outcome of the form's own submission is.
fn action_of<D: Draft>(settled: Settled) -> FormAction<D> {
    match settled {
        Settled::Queued { waiting } => FormAction::Queued { waiting },
        Settled::Delivered { status } => FormAction::Delivered { status },
        Settled::Failed(problem) => FormAction::DeliveryFailed(problem),
        Settled::Rejected(paths) => {
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

/// Connects a form to the service while it is mounted, and keeps its draft (autosave). Not
/// generic: written once for every form.
#[hook]
fn use_service_link(
    service: Rc<DeliveryService>,
    form: Form,
    on_settled: Rc<dyn Fn(Settled)>,
    draft_json: Option<String>,
    succeeded: bool,
) {
    {
        let service = Rc::clone(&service);
        use_effect_with((), move |_| {
            service.connect(form, move |settled| on_settled(settled));
            move || service.disconnect(form)
        });
    }
    // Autosave, from the visitor's first change on; a fresh draft is not worth keeping.
    use_effect_with(draft_json, move |json| {
        if !succeeded {
            service.save_draft(form, json.clone());
        }
    });
}

/// A form's state machine, connected to the delivery service: restored from its draft,
/// autosaved, sent by a plain call to [`DeliveryService::submit`], and settled by the service
/// (each outcome of its submission reaches it once, as one [`FormAction`]).
///
/// `build` wraps a valid draft into its envelope.
#[hook]
pub fn use_delivered_form<D>(
    form: Form,
    rules: Rc<D::Rules>,
    build: impl Fn(&D, &D::Rules, Stamp) -> Submission + 'static,
) -> DeliveredForm<D>
where
    D: Draft + 'static,
{
    let context = use_widget_context();
    let service = Rc::clone(&context.delivery);
    let state = use_reducer({
        let service = Rc::clone(&service);
        move || initial_state::<D>(&service, form, rules)
    });
    let honeypot_ref = use_node_ref();

    let on_settled: Rc<dyn Fn(Settled)> = {
        let dispatcher = state.dispatcher();
        Rc::new(move |settled| dispatcher.dispatch(action_of::<D>(settled)))
    };
    // Only what the visitor touched is kept: a prefill alone stores nothing (defect 10).
    let draft_json = (state.touched && state.draft != D::fresh(&state.rules))
        .then(|| draft_to_json(&state.draft));
    let succeeded = state.status == Status::Succeeded;
    use_service_link(Rc::clone(&service), form, on_settled, draft_json, succeeded);

    let onsubmit = {
        let (state, service, honeypot_ref) =
            (state.clone(), Rc::clone(&service), honeypot_ref.clone());
        let language = context.strings.lang().tag();
        let build = Rc::new(build);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            // The machine decides: a valid draft goes to `Submitting`, an invalid one shows its
            // errors. Only the step into `Submitting` sends.
            let next = state.reduce(FormAction::Submit);
            let sends = next.status == Status::Submitting && state.status != Status::Submitting;
            state.dispatch(FormAction::Submit);
            if sends {
                let honeypot = honeypot_ref
                    .cast::<HtmlInputElement>()
                    .map(|input| input.value())
                    .unwrap_or_default();
                let build = Rc::clone(&build);
                service.submit(form, language, honeypot, move |stamp| {
                    build(&next.draft, &next.rules, stamp)
                });
            }
        })
    };
    let cancel = {
        let (service, dispatcher) = (service, state.dispatcher());
        Callback::from(move |_: MouseEvent| {
            service.cancel(form);
            dispatcher.dispatch(FormAction::CancelQueued);
        })
    };
    DeliveredForm {
        state,
        onsubmit,
        cancel,
        honeypot: honeypot(form.name(), honeypot_ref),
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

/// Under a form's fields: why the last delivery failed, or the notice of a waiting submission
/// with the button that takes it back to edit (issue 12, defect 1: a queued form was locked
/// until delivery, however long).
pub fn delivery_notice<D: Draft>(
    strings: &Strings,
    state: &FormState<D>,
    texts: &FormTexts,
    cancel: Callback<MouseEvent>,
) -> Html {
    match &state.status {
        Status::Failed(problem) => html! {
            <p class="kudos-failure" part="failure">{ texts.failure(strings, *problem) }</p>
        },
        Status::Queued => html! {
            <>
                <p class="kudos-queued" part="queued">{ queued_text(strings, state.waiting) }</p>
                <button type="button" class="kudos-button kudos-button-secondary" onclick={cancel}>
                    { strings.get(Text::CancelQueued) }
                </button>
            </>
        },
        _ => Html::default(),
    }
}

/// The submit button: `aria-disabled` (not `disabled`, so it keeps focus) while the form is
/// locked, and its label says when the submission is on its way.
pub fn submit_button(strings: &Strings, texts: &FormTexts, status: &Status, locked: bool) -> Html {
    html! {
        <button type="submit" class="kudos-button" part="submit"
            aria-disabled={locked.then_some("true")}
            onmousedown={keep_focus_on_press()}>
            { strings.get(if *status == Status::Submitting { texts.submitting } else { texts.submit }) }
        </button>
    }
}

/// What a form shows once its submission is delivered.
pub struct Thanks<'a> {
    /// The heading's element (`h2` or `h3`, after the form's own title or not).
    pub level: &'static str,
    /// The heading; focus moves to it.
    pub heading: &'a str,
    /// The words under it.
    pub body: &'a str,
    /// The heading's node, for moving focus to it.
    pub heading_ref: NodeRef,
    /// Anything after the words (a note, a button).
    pub extra: Html,
}

/// The thank-you (or "check your inbox") panel every form ends on.
pub fn thanks_panel(thanks: Thanks<'_>) -> Html {
    html! {
        <div class="kudos-thanks" part="thanks">
            <@{thanks.level} class="kudos-thanks-title" tabindex="-1" ref={thanks.heading_ref}>
                { thanks.heading.to_owned() }
            </@>
            <p>{ thanks.body.to_owned() }</p>
            { thanks.extra }
        </div>
    }
}

/// The status line: always present, so screen readers announce each change of status politely.
pub fn status_line(announcement: &str) -> Html {
    html! {
        <p class="kudos-visually-hidden" role="status">{ announcement.to_owned() }</p>
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
