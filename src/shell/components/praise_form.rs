//! The "recognize our staff" form: who, what they did, and optionally who the visitor is.
//!
//! State lives in the core's form machine. This component renders it, turns DOM events into
//! actions, and runs the one side effect: when the machine enters `Submitting`, the submission is
//! built and handed to the transport, and the outcome comes back as an action.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use super::field::{Control, TextField};
use super::use_widget_context;
use crate::core::envelope::Submission;
use crate::core::form::{DeliveryProblem, FieldValue, FormAction, FormState, Status};
use crate::core::i18n::{Strings, Text};
use crate::core::praise::{PraiseDraft, PraiseField};
use crate::shell::platform;

/// The element id of a field's control, unique inside the widget's shadow root.
fn field_id(field: PraiseField) -> String {
    format!("kudos-{}", field.key())
}

/// The visible label of a field, also used in the error summary.
fn field_label(strings: &Strings, field: PraiseField) -> &'static str {
    strings.get(match field {
        PraiseField::StaffName => Text::StaffNameLabel,
        PraiseField::Story => Text::StoryLabel,
        PraiseField::VisitorName => Text::VisitorNameLabel,
        PraiseField::VisitorEmail => Text::VisitorEmailLabel,
        PraiseField::PublishConsent => Text::PublishConsentLabel,
    })
}

/// Moves keyboard focus to the element with `id` inside `scope`.
fn focus_by_id(scope: &NodeRef, id: &str) {
    let element = scope
        .cast::<web_sys::Element>()
        .and_then(|scope| scope.query_selector(&format!("#{id}")).ok().flatten())
        .and_then(|element| element.dyn_into::<HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// Properties of [`PraiseForm`].
#[derive(Properties, PartialEq)]
pub struct PraiseFormProps {
    /// Called after each delivered praise (the wall refreshes).
    pub on_delivered: Callback<()>,
}

/// The praise form, its thank-you state and its status announcements.
#[function_component]
pub fn PraiseForm(props: &PraiseFormProps) -> Html {
    let context = use_widget_context();
    let strings = context.strings;
    let state = use_reducer(FormState::<PraiseDraft>::default);
    let section_ref = use_node_ref();
    let thanks_ref = use_node_ref();

    // The one side effect: deliver when the machine says so.
    {
        let dispatcher = state.dispatcher();
        let draft = state.draft.clone();
        let transport = Rc::clone(&context.transport);
        let on_delivered = props.on_delivered.clone();
        use_effect_with(state.status == Status::Submitting, move |&submitting| {
            if submitting {
                let submission = Submission::praise(&draft, platform::stamp());
                wasm_bindgen_futures::spawn_local(async move {
                    match transport.submit(submission).await {
                        Ok(()) => {
                            dispatcher.dispatch(FormAction::Delivered);
                            on_delivered.emit(());
                        }
                        Err(error) => {
                            platform::console_warn(&error.detail);
                            dispatcher.dispatch(FormAction::DeliveryFailed(error.problem));
                        }
                    }
                });
            }
        });
    }

    // Focus follows the visitor: to the first invalid field after a refused submit, to the
    // thank-you message after success, back to the first field after "praise someone else".
    let errors = state.visible_errors();
    {
        let first_invalid = errors.keys().next().copied();
        let section_ref = section_ref.clone();
        use_effect_with(state.refused_submits, move |&refused| {
            if let (true, Some(field)) = (refused > 0, first_invalid) {
                focus_by_id(&section_ref, &field_id(field));
            }
        });
    }
    {
        let thanks_ref = thanks_ref.clone();
        let section_ref = section_ref.clone();
        let was_succeeded = use_mut_ref(|| false);
        use_effect_with(state.status.clone(), move |status| {
            let succeeded = *status == Status::Succeeded;
            if succeeded {
                if let Some(heading) = thanks_ref.cast::<HtmlElement>() {
                    let _ = heading.focus();
                }
            } else if *was_succeeded.borrow() {
                focus_by_id(&section_ref, &field_id(PraiseField::StaffName));
            }
            *was_succeeded.borrow_mut() = succeeded;
        });
    }

    let edit = |field: PraiseField| {
        let dispatcher = state.dispatcher();
        Callback::from(move |value: String| {
            dispatcher.dispatch(FormAction::Edit(field, FieldValue::Text(value)))
        })
    };
    let blur = |field: PraiseField| {
        let dispatcher = state.dispatcher();
        Callback::from(move |()| dispatcher.dispatch(FormAction::Blur(field)))
    };
    let error = |field: PraiseField| errors.get(&field).map(|e| strings.field_error(*e));
    let onsubmit = {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            dispatcher.dispatch(FormAction::Submit);
        })
    };
    let on_consent = {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: Event| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                dispatcher.dispatch(FormAction::Edit(
                    PraiseField::PublishConsent,
                    FieldValue::Checked(input.checked()),
                ));
            }
        })
    };
    let on_start_over = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(FormAction::StartOver))
    };

    let draft = &state.draft;
    let locked = state.is_locked();
    let optional = Some(AttrValue::from(strings.get(Text::Optional)));
    let announcement = match &state.status {
        Status::Editing => None,
        Status::Submitting => Some(strings.get(Text::Submitting)),
        Status::Succeeded => Some(strings.get(Text::ThanksTitle)),
        Status::Failed(problem) => Some(failure_text(&strings, *problem)),
    };

    let error_summary = (state.refused_submits > 0 && !errors.is_empty()).then(|| {
        html! {
            <div class="kudos-error-summary" part="error-summary">
                <p class="kudos-error-summary-title">{ strings.get(Text::ErrorSummaryTitle) }</p>
                <ul>
                    { for errors.iter().map(|(field, error)| {
                        let id = field_id(*field);
                        let section_ref = section_ref.clone();
                        let onclick = Callback::from(move |event: MouseEvent| {
                            // Links inside a shadow root must not touch the host page's URL.
                            event.prevent_default();
                            focus_by_id(&section_ref, &id);
                        });
                        html! {
                            <li>
                                <a href={format!("#{}", field_id(*field))} {onclick}>
                                    { format!("{} \u{2014} {}", field_label(&strings, *field),
                                        strings.field_error(*error)) }
                                </a>
                            </li>
                        }
                    }) }
                </ul>
            </div>
        }
    });

    let body = if state.status == Status::Succeeded {
        html! {
            <div class="kudos-thanks" part="thanks">
                <h3 class="kudos-thanks-title" tabindex="-1" ref={thanks_ref}>
                    { strings.get(Text::ThanksTitle) }
                </h3>
                <p>{ strings.get(Text::ThanksBody) }</p>
                <button type="button" class="kudos-button kudos-button-secondary"
                    onclick={on_start_over}>
                    { strings.get(Text::PraiseSomeoneElse) }
                </button>
            </div>
        }
    } else {
        let failure = match &state.status {
            Status::Failed(problem) => Some(failure_text(&strings, *problem)),
            _ => None,
        };
        html! {
            <>
                <p class="kudos-intro">{ strings.get(Text::FormIntro) }</p>
                <form class="kudos-form" novalidate=true {onsubmit}
                    aria-labelledby="kudos-praise-title">
                    { for error_summary }
                    <TextField
                        id={field_id(PraiseField::StaffName)}
                        label={field_label(&strings, PraiseField::StaffName)}
                        hint={Some(AttrValue::from(strings.get(Text::StaffNameHint)))}
                        control={Control::Input("text")}
                        value={draft.staff_name.clone()}
                        error={error(PraiseField::StaffName)}
                        required=true
                        readonly={locked}
                        on_input={edit(PraiseField::StaffName)}
                        on_blur={blur(PraiseField::StaffName)}
                    />
                    <TextField
                        id={field_id(PraiseField::Story)}
                        label={field_label(&strings, PraiseField::Story)}
                        hint={Some(AttrValue::from(strings.get(Text::StoryHint)))}
                        control={Control::TextArea}
                        value={draft.story.clone()}
                        error={error(PraiseField::Story)}
                        required=true
                        readonly={locked}
                        on_input={edit(PraiseField::Story)}
                        on_blur={blur(PraiseField::Story)}
                    />
                    <fieldset class="kudos-fieldset">
                        <legend class="kudos-legend">{ strings.get(Text::AboutYouLegend) }</legend>
                        <TextField
                            id={field_id(PraiseField::VisitorName)}
                            label={field_label(&strings, PraiseField::VisitorName)}
                            optional_note={optional.clone()}
                            control={Control::Input("text")}
                            autocomplete={Some(AttrValue::from("name"))}
                            value={draft.visitor_name.clone()}
                            error={error(PraiseField::VisitorName)}
                            readonly={locked}
                            on_input={edit(PraiseField::VisitorName)}
                            on_blur={blur(PraiseField::VisitorName)}
                        />
                        <TextField
                            id={field_id(PraiseField::VisitorEmail)}
                            label={field_label(&strings, PraiseField::VisitorEmail)}
                            optional_note={optional.clone()}
                            hint={Some(AttrValue::from(strings.get(Text::VisitorEmailHint)))}
                            control={Control::Input("email")}
                            autocomplete={Some(AttrValue::from("email"))}
                            value={draft.visitor_email.clone()}
                            error={error(PraiseField::VisitorEmail)}
                            readonly={locked}
                            on_input={edit(PraiseField::VisitorEmail)}
                            on_blur={blur(PraiseField::VisitorEmail)}
                        />
                        <div class="kudos-check">
                            <input
                                type="checkbox"
                                id={field_id(PraiseField::PublishConsent)}
                                class="kudos-checkbox"
                                checked={draft.publish_consent}
                                disabled={locked}
                                onchange={on_consent}
                            />
                            <label for={field_id(PraiseField::PublishConsent)}>
                                { strings.get(Text::PublishConsentLabel) }
                            </label>
                        </div>
                    </fieldset>
                    if let Some(failure) = failure {
                        <p class="kudos-failure" part="failure">{ failure }</p>
                    }
                    <button type="submit" class="kudos-button" part="submit"
                        aria-disabled={locked.then_some("true")}
                        onmousedown={keep_focus_on_press()}>
                        { if state.status == Status::Submitting {
                            strings.get(Text::Submitting)
                        } else {
                            strings.get(Text::SubmitButton)
                        } }
                    </button>
                </form>
            </>
        }
    };

    html! {
        <section class="kudos-praise" part="praise-form" ref={section_ref}
            aria-labelledby="kudos-praise-title">
            <h2 id="kudos-praise-title" class="kudos-title">{ strings.get(Text::FormTitle) }</h2>
            { body }
            // Always present, so screen readers announce each change of status politely.
            <p class="kudos-visually-hidden" role="status">{ announcement.unwrap_or_default() }</p>
        </section>
    }
}

/// Stops a press on the submit button from blurring the field first. The blur would reveal that
/// field's error, the message would push the button down, and the release would land beside it:
/// the click the visitor made would be lost.
fn keep_focus_on_press() -> Callback<MouseEvent> {
    Callback::from(|event: MouseEvent| event.prevent_default())
}

/// What the visitor is told when delivery fails; the draft is always still there.
fn failure_text(strings: &Strings, problem: DeliveryProblem) -> &'static str {
    strings.get(match problem {
        DeliveryProblem::CouldNotSend => Text::ErrorCouldNotSend,
        DeliveryProblem::Refused => Text::ErrorRefused,
    })
}
