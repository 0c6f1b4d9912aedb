//! The "recognize our staff" form: who, where, when, what they did, which little BIG things, and
//! optionally who the visitor is.
//!
//! State lives in the core's form machine. This component renders it and turns DOM events into
//! actions. Delivery, autosave and spam signals come from the delivery service through the shared
//! `use_delivered_form` hook (`form_kit.rs`); when the owner gave a roster URL, the roster is
//! loaded through the transport and becomes part of the rules.

mod fields;

use std::rc::Rc;

use web_sys::HtmlElement;
use yew::prelude::*;

use super::field::{focus_by_id, use_focus_first_invalid};
use super::form_kit::{
    delivery_notice, status_line, submit_button, thanks_panel, use_delivered_form, DeliveredForm,
    FormTexts, Thanks,
};
use super::use_widget_context;
use super::WidgetContext;
use crate::core::config::Mode;
use crate::core::envelope::Submission;
use crate::core::form::{FieldValue, FormAction, FormState, Status};
use crate::core::i18n::{Strings, Text};
use crate::core::praise::{PraiseDraft, PraiseField, PraiseRules};
use crate::core::roster::Roster;
use crate::shell::delivery::Form;
use crate::shell::platform;

/// The praise form's words for its delivery states.
const TEXTS: FormTexts = FormTexts {
    submitting: Text::Submitting,
    submit: Text::SubmitButton,
    could_not_send: Text::ErrorCouldNotSend,
    refused: Text::ErrorRefused,
};

use fields::PraiseFields;

/// The element id of a field's control, unique inside the widget's shadow root.
fn field_id(field: PraiseField) -> String {
    format!("kudos-{}", field.key())
}

/// The visible label of a field, also used in the error summary.
fn field_label(strings: &Strings, field: PraiseField) -> &str {
    strings.get(match field {
        PraiseField::Staff => Text::StaffNameLabel,
        PraiseField::StaffDescription => Text::StaffDescriptionLabel,
        PraiseField::Location => Text::LocationLabel,
        PraiseField::Date => Text::DateLabel,
        PraiseField::PartOfDay => Text::PartOfDayLabel,
        PraiseField::Story => Text::StoryLabel,
        PraiseField::Tags => Text::TagsLegend,
        PraiseField::VisitorName => Text::VisitorNameLabel,
        PraiseField::VisitorEmail => Text::VisitorEmailLabel,
        PraiseField::ContactConsent => Text::ContactConsentLabel,
        PraiseField::PublishConsent => Text::PublishConsentLabel,
    })
}

/// Values a host page puts into the form: a staff member (roster id, or a name when no roster
/// member has that id) and a location. Each new `revision` applies them again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prefill {
    /// A roster id (`?kudos-staff=c1` on a QR code at a counter) or a name.
    pub staff: Option<String>,
    /// A location, as the owner's `data-locations` spell it.
    pub location: Option<String>,
    /// Bumped by each `prefill()` call, so the same values can be applied twice.
    pub revision: u32,
}

/// Properties of [`PraiseForm`].
#[derive(Properties, PartialEq)]
pub struct PraiseFormProps {
    /// Called after each delivered praise (the wall refreshes).
    pub on_delivered: Callback<()>,
    /// Values the host page asked to put in the form.
    #[prop_or_default]
    pub prefill: Prefill,
}

/// The praise form, its thank-you state and its status announcements.
#[function_component]
pub fn PraiseForm(props: &PraiseFormProps) -> Html {
    let context = use_widget_context();
    let strings = &context.strings;
    let DeliveredForm {
        state,
        onsubmit,
        cancel,
        honeypot,
    } = use_delivered_form::<PraiseDraft>(
        Form::Praise,
        Rc::clone(&context.praise_rules),
        Submission::praise,
    );
    use_staff_roster(&context, state.dispatcher());
    use_prefill(&props.prefill, state.dispatcher(), Rc::clone(&state.rules));
    let section_ref = use_node_ref();
    let thanks_ref = use_node_ref();
    let errors = state.visible_errors();
    use_focus_first_invalid(
        state.refused_submits,
        errors.keys().next().map(|field| field_id(*field)),
        &section_ref,
    );
    use_thanks_focus(
        state.status == Status::Succeeded,
        &thanks_ref,
        &section_ref,
        props.on_delivered.clone(),
    );

    let announcement = TEXTS.announcement(strings, &state, strings.get(Text::ThanksTitle));

    if state.status == Status::Succeeded {
        let start_over = {
            let dispatcher = state.dispatcher();
            move || dispatcher.dispatch(FormAction::StartOver)
        };
        return html! {
            <section class="kudos-praise" part="praise-form" ref={section_ref}
                aria-labelledby="kudos-praise-title">
                <h2 id="kudos-praise-title" class="kudos-title">{ strings.get(Text::FormTitle) }</h2>
                { thanks_panel(Thanks {
                    level: "h3",
                    heading: strings.get(Text::ThanksTitle),
                    body: strings.get(if context.config.mode == Mode::Demo {
                        Text::ThanksDemoBody
                    } else {
                        Text::ThanksBody
                    }),
                    heading_ref: thanks_ref,
                    extra: html! {
                        <button type="button" class="kudos-button kudos-button-secondary"
                            onclick={Callback::from(move |_: MouseEvent| start_over())}>
                            { strings.get(Text::PraiseSomeoneElse) }
                        </button>
                    },
                }) }
                { status_line(announcement) }
            </section>
        };
    }

    let fields = PraiseFields {
        strings,
        config: &context.config,
        state: &state,
        errors: &errors,
        section_ref: &section_ref,
    };
    let locked = state.is_locked();
    html! {
        <section class="kudos-praise" part="praise-form" ref={section_ref.clone()}
            aria-labelledby="kudos-praise-title">
            <h2 id="kudos-praise-title" class="kudos-title">{ strings.get(Text::FormTitle) }</h2>
            <p class="kudos-intro">{ strings.get(Text::FormIntro) }</p>
            <form class="kudos-form" novalidate=true {onsubmit} aria-labelledby="kudos-praise-title">
                { for fields.error_summary() }
                { for fields.who() }
                { for fields.where_() }
                { for fields.when() }
                { for fields.story() }
                { for fields.tags() }
                { for fields.about_you() }
                { honeypot }
                { delivery_notice(strings, &state, &TEXTS, cancel) }
                { submit_button(strings, &TEXTS, &state.status, locked) }
            </form>
            { status_line(announcement) }
        </section>
    }
}

/// The owner's roster URL (`data-staff-url`), read once through the transport: it joins the rules
/// when it arrives. A roster that cannot be read leaves names typed freely.
#[hook]
fn use_staff_roster(
    context: &WidgetContext,
    dispatcher: UseReducerDispatcher<FormState<PraiseDraft>>,
) {
    let context = context.clone();
    use_effect_with((), move |_| {
        let Some(url) = context.config.staff_url.clone() else {
            return;
        };
        let request = context.transport.staff_roster(&url);
        wasm_bindgen_futures::spawn_local(async move {
            match request.await {
                Ok(members) => {
                    let mut all = context.praise_rules.roster.members().to_vec();
                    all.extend(members);
                    let rules = PraiseRules {
                        roster: Roster::new(all),
                        ..(*context.praise_rules).clone()
                    };
                    dispatcher.dispatch(FormAction::NewRules(Rc::new(rules)));
                }
                Err(error) => platform::console_warn(&format!(
                    "data-staff-url: the roster could not be loaded ({error}); \
                     names are typed freely."
                )),
            }
        });
    });
}

/// The host page's prefill, each time it sends one; a roster id picks that member.
#[hook]
fn use_prefill(
    prefill: &Prefill,
    dispatcher: UseReducerDispatcher<FormState<PraiseDraft>>,
    rules: Rc<PraiseRules>,
) {
    use_effect_with(prefill.clone(), move |prefill| {
        if let Some(staff) = prefill.staff.clone() {
            let value = if rules.roster.by_id(&staff).is_some() {
                FieldValue::Toggle {
                    id: staff,
                    on: true,
                }
            } else {
                FieldValue::Text(staff)
            };
            dispatcher.dispatch(FormAction::Prefill(PraiseField::Staff, value));
        }
        if let Some(location) = prefill.location.clone() {
            dispatcher.dispatch(FormAction::Prefill(
                PraiseField::Location,
                FieldValue::Text(location),
            ));
        }
    });
}

/// Focus follows the visitor after a delivery: to the thank-you message (and the wall reads its
/// source again, through `on_delivered`), then back to the first field after "praise someone
/// else".
#[hook]
fn use_thanks_focus(
    succeeded: bool,
    thanks_ref: &NodeRef,
    section_ref: &NodeRef,
    on_delivered: Callback<()>,
) {
    let (thanks_ref, section_ref) = (thanks_ref.clone(), section_ref.clone());
    let was_succeeded = use_mut_ref(|| false);
    use_effect_with(succeeded, move |&succeeded| {
        if succeeded {
            on_delivered.emit(());
            if let Some(heading) = thanks_ref.cast::<HtmlElement>() {
                let _ = heading.focus();
            }
        } else if *was_succeeded.borrow() {
            focus_by_id(&section_ref, &field_id(PraiseField::Staff));
        }
        *was_succeeded.borrow_mut() = succeeded;
    });
}
