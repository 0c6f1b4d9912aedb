//! "Join our newsletter": email, an optional first name, optional lists, and an explicit consent
//! box whose exact wording is fingerprinted into the submission.
//!
//! It runs on the same core form machine and field frame as the praise form. The success message
//! never repeats what the visitor typed (a name field is a known way to inject spam text into
//! confirmation pages) and never says whether the address was already subscribed. Delivery,
//! autosave and spam signals come from the delivery service through the shared
//! `use_delivered_form` hook (`form_kit.rs`), which also gives the notices and the button.

use std::rc::Rc;

use web_sys::HtmlElement;
use yew::prelude::*;

use super::field::{checked_of, described_by, error_id, use_focus_first_invalid, value_of, Field};
use super::form_kit::{
    delivery_notice, status_line, submit_button, thanks_panel, use_delivered_form, DeliveredForm,
    FormTexts, Thanks,
};
use super::use_widget_context;
use crate::core::config::{Mode, Variant};
use crate::core::envelope::{ReplyStatus, Submission};
use crate::core::form::{FieldValue, FormAction, Status};
use crate::core::i18n::{Strings, Text};
use crate::core::newsletter::{
    consent_text, suggest_email, NewsletterDraft, NewsletterField, NewsletterRules,
};
use crate::shell::delivery::Form;
use crate::shell::platform;

/// The newsletter form's words for its delivery states.
const TEXTS: FormTexts = FormTexts {
    submitting: Text::NewsletterSubmitting,
    submit: Text::NewsletterSubmit,
    could_not_send: Text::NewsletterCouldNotSend,
    refused: Text::NewsletterRefused,
};

/// The element id of a field's control.
fn field_id(field: NewsletterField) -> String {
    format!("kudos-newsletter-{}", field.key())
}

fn field_label(strings: &Strings, field: NewsletterField) -> &str {
    strings.get(match field {
        NewsletterField::Email => Text::NewsletterEmailLabel,
        NewsletterField::FirstName => Text::NewsletterFirstNameLabel,
        NewsletterField::Lists => Text::NewsletterListsLegend,
        NewsletterField::Consent => Text::ErrorConsentRequired,
    })
}

/// The newsletter sign-up form.
#[function_component]
pub fn NewsletterForm() -> Html {
    let context = use_widget_context();
    let strings = &context.strings;
    let config = &context.config;
    let email_left = use_state(|| false);
    let section_ref = use_node_ref();
    let result_ref = use_node_ref();
    let compact = config.variant == Variant::Compact;
    let consent_words = use_memo(strings.clone(), |strings| {
        consent_text(
            strings,
            config.company.as_deref(),
            config.contact.as_deref(),
        )
    });
    let build = {
        let consent_words = Rc::clone(&consent_words);
        move |draft: &NewsletterDraft, rules: &NewsletterRules, stamp| {
            Submission::newsletter(draft, rules, &consent_words, stamp)
        }
    };
    let DeliveredForm {
        state,
        onsubmit,
        cancel,
        honeypot,
    } = use_delivered_form::<NewsletterDraft>(
        Form::Newsletter,
        Rc::new(NewsletterRules::new(config)),
        build,
    );

    // Focus: to the first invalid field after a refused submit, to the result after success.
    let errors = state.visible_errors();
    use_focus_first_invalid(
        state.refused_submits,
        errors.keys().next().map(|field| field_id(*field)),
        &section_ref,
    );
    {
        let result_ref = result_ref.clone();
        use_effect_with(state.status == Status::Succeeded, move |&succeeded| {
            if let (true, Some(heading)) = (succeeded, result_ref.cast::<HtmlElement>()) {
                let _ = heading.focus();
            }
        });
    }

    let title = strings.get(Text::NewsletterTitle);
    // Whether the visitor must still confirm by email, as the endpoint's reply said.
    let pending = state.reply == Some(ReplyStatus::PendingConfirmation);
    let done = strings.get(if pending {
        Text::NewsletterConfirmTitle
    } else {
        Text::NewsletterSubscribedTitle
    });
    let announcement = TEXTS.announcement(strings, &state, done);
    let section_class = classes!(
        "kudos-newsletter",
        compact.then_some("kudos-newsletter-compact")
    );

    if state.status == Status::Succeeded {
        let (heading, body) = if pending {
            (Text::NewsletterConfirmTitle, Text::NewsletterConfirmBody)
        } else {
            (
                Text::NewsletterSubscribedTitle,
                Text::NewsletterSubscribedBody,
            )
        };
        return html! {
            <section class={section_class} part="newsletter" ref={section_ref}
                aria-label={title.to_owned()}>
                { thanks_panel(Thanks {
                    level: "h2",
                    heading: strings.get(heading),
                    body: strings.get(body),
                    heading_ref: result_ref,
                    extra: if pending && config.mode == Mode::Demo {
                        html! { <p class="kudos-muted">{ strings.get(Text::NewsletterDemoConfirm) }</p> }
                    } else {
                        Html::default()
                    },
                }) }
                { status_line(announcement) }
            </section>
        };
    }

    let locked = state.is_locked();
    let draft = &state.draft;
    let edit_text = |field: NewsletterField| {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: InputEvent| {
            dispatcher.dispatch(FormAction::Edit(field, FieldValue::Text(value_of(&event))))
        })
    };
    let blur = |field: NewsletterField| {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: FocusEvent| dispatcher.dispatch(FormAction::Blur(field)))
    };
    let error = |field: NewsletterField| errors.get(&field).map(|e| strings.field_error(*e));
    let invalid = |field: NewsletterField| errors.contains_key(&field).then_some("true");

    let email_id = field_id(NewsletterField::Email);
    let suggestion = (*email_left)
        .then(|| suggest_email(&draft.email, &platform::Browser))
        .flatten();
    let suggestion_id = format!("{email_id}-suggestion");
    let email_onblur = {
        let (blur, email_left) = (blur(NewsletterField::Email), email_left.clone());
        Callback::from(move |event: FocusEvent| {
            email_left.set(true);
            blur.emit(event);
        })
    };
    let email = html! {
        <Field id={email_id.clone()} label={field_label(strings, NewsletterField::Email).to_owned()}
            error={error(NewsletterField::Email)}>
            <input id={email_id.clone()} class="kudos-input" type="email" autocomplete="email"
                value={draft.email.clone()}
                aria-describedby={described_by(&email_id, false,
                    &suggestion.iter().map(|_| suggestion_id.clone()).collect::<Vec<_>>(),
                    errors.contains_key(&NewsletterField::Email))}
                aria-invalid={invalid(NewsletterField::Email)} required=true readonly={locked}
                oninput={edit_text(NewsletterField::Email)} onblur={email_onblur} />
            if let Some(corrected) = suggestion.clone() {
                <p id={suggestion_id.clone()} class="kudos-suggestion">
                    <button type="button" class="kudos-link-button"
                        onclick={{
                            let dispatcher = state.dispatcher();
                            Callback::from(move |_: MouseEvent| dispatcher.dispatch(FormAction::Edit(
                                NewsletterField::Email, FieldValue::Text(corrected.clone()))))
                        }}>
                        { strings.format(Text::NewsletterDidYouMean, &[("email", suggestion.as_deref().unwrap_or_default())]) }
                    </button>
                </p>
            }
        </Field>
    };

    let first_name = (!compact).then(|| {
        let id = field_id(NewsletterField::FirstName);
        html! {
            <Field id={id.clone()} label={field_label(strings, NewsletterField::FirstName).to_owned()}
                optional_note={Some(AttrValue::from(strings.get(Text::Optional).to_owned()))}
                error={error(NewsletterField::FirstName)}>
                <input {id} class="kudos-input" type="text" autocomplete="given-name"
                    value={draft.first_name.clone()}
                    aria-invalid={invalid(NewsletterField::FirstName)} readonly={locked}
                    oninput={edit_text(NewsletterField::FirstName)}
                    onblur={blur(NewsletterField::FirstName)} />
            </Field>
        }
    });

    let lists = (!compact && !config.lists.is_empty()).then(|| html! {
        <fieldset id={field_id(NewsletterField::Lists)} class="kudos-fieldset">
            <legend class="kudos-legend">
                { strings.get(Text::NewsletterListsLegend) }
                <span class="kudos-optional">{ format!(" ({})", strings.get(Text::Optional)) }</span>
            </legend>
            <div class="kudos-chips">
                { for config.lists.iter().map(|list| {
                    let id = format!("kudos-list-{}", list.id);
                    let onchange = {
                        let (dispatcher, list_id) = (state.dispatcher(), list.id.clone());
                        Callback::from(move |event: Event| dispatcher.dispatch(FormAction::Edit(
                            NewsletterField::Lists,
                            FieldValue::Toggle { id: list_id.clone(), on: checked_of(&event) },
                        )))
                    };
                    html! {
                        <span class="kudos-chip">
                            <input type="checkbox" id={id.clone()} class="kudos-chip-input"
                                checked={draft.lists.contains(&list.id)} disabled={locked} {onchange} />
                            <label for={id}>{ list.label.clone() }</label>
                        </span>
                    }
                }) }
            </div>
        </fieldset>
    });

    let consent_id = field_id(NewsletterField::Consent);
    let consent = html! {
        <div class={classes!("kudos-check", "kudos-consent",
            errors.contains_key(&NewsletterField::Consent).then_some("kudos-field-invalid"))}>
            <input type="checkbox" id={consent_id.clone()} class="kudos-checkbox"
                checked={draft.consent} disabled={locked} required=true
                aria-invalid={invalid(NewsletterField::Consent)}
                aria-describedby={described_by(&consent_id, false, &[],
                    errors.contains_key(&NewsletterField::Consent))}
                onchange={{
                    let dispatcher = state.dispatcher();
                    Callback::from(move |event: Event| dispatcher.dispatch(FormAction::Edit(
                        NewsletterField::Consent, FieldValue::Checked(checked_of(&event)))))
                }} />
            <div class="kudos-consent-text">
                <label for={consent_id.clone()}>{ (*consent_words).clone() }</label>
                if let Some(privacy) = &config.privacy_url {
                    { " " }
                    <a href={privacy.as_str().to_owned()} target="_blank" rel="noopener noreferrer">
                        { strings.get(Text::NewsletterPrivacyLink) }
                    </a>
                }
                if let Some(message) = error(NewsletterField::Consent) {
                    <p id={error_id(&consent_id)} class="kudos-error">{ message }</p>
                }
            </div>
        </div>
    };

    let button = submit_button(strings, &TEXTS, &state.status, locked);

    html! {
        <section class={section_class} part="newsletter" ref={section_ref}
            aria-labelledby="kudos-newsletter-title">
            <h2 id="kudos-newsletter-title" class="kudos-title">{ title }</h2>
            if !compact {
                <p class="kudos-intro">{ strings.get(Text::NewsletterIntro) }</p>
            }
            <form class="kudos-form" novalidate=true {onsubmit} aria-labelledby="kudos-newsletter-title">
                if compact {
                    <div class="kudos-compact-row">{ email }{ button.clone() }</div>
                    { consent }
                } else {
                    { email }
                    { for first_name }
                    { for lists }
                    { consent }
                }
                { honeypot }
                { delivery_notice(strings, &state, &TEXTS, cancel) }
                if !compact {
                    { button }
                }
            </form>
            { status_line(announcement) }
        </section>
    }
}
