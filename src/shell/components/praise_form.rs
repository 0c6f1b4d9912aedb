//! The "recognize our staff" form: who, where, when, what they did, which little BIG things, and
//! optionally who the visitor is.
//!
//! State lives in the core's form machine. This component renders it and turns DOM events into
//! actions. Delivery, autosave and spam signals come from the delivery service through the shared
//! `use_delivered_form` hook (`form_kit.rs`); when the owner gave a roster URL, the roster is
//! loaded through the transport and becomes part of the rules.

use std::rc::Rc;

use web_sys::HtmlElement;
use yew::prelude::*;

use super::field::{
    checked_of, described_by, focus_by_id, use_focus_first_invalid, value_of, Field,
};
use super::form_kit::{
    delivery_notice, status_line, submit_button, use_delivered_form, DeliveredForm, FormTexts,
};
use super::staff_picker::StaffPicker;
use super::{tag_choices, use_widget_context};
use crate::core::config::{Mode, Presence};
use crate::core::envelope::Submission;
use crate::core::form::{FieldValue, FormAction, Status};
use crate::core::i18n::{Strings, Text};
use crate::core::praise::{
    trimmed_len, PartOfDay, PraiseDraft, PraiseField, PraiseRules, STORY_MAX_CHARS,
};
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
    let section_ref = use_node_ref();
    let thanks_ref = use_node_ref();

    // The owner's roster URL, once: it joins the rules when it arrives.
    {
        let dispatcher = state.dispatcher();
        let context = context.clone();
        use_effect_with((), move |_| {
            if let Some(url) = context.config.staff_url.clone() {
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
            }
        });
    }

    // The host page's prefill, each time it sends one; a roster id picks that member.
    {
        let dispatcher = state.dispatcher();
        let rules = Rc::clone(&state.rules);
        use_effect_with(props.prefill.clone(), move |prefill| {
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

    // Focus follows the visitor: to the first invalid field after a refused submit, to the
    // thank-you message after success, back to the first field after "praise someone else".
    let errors = state.visible_errors();
    use_focus_first_invalid(
        state.refused_submits,
        errors.keys().next().map(|field| field_id(*field)),
        &section_ref,
    );
    {
        let thanks_ref = thanks_ref.clone();
        let section_ref = section_ref.clone();
        let was_succeeded = use_mut_ref(|| false);
        let on_delivered = props.on_delivered.clone();
        use_effect_with(state.status.clone(), move |status| {
            let succeeded = *status == Status::Succeeded;
            if succeeded {
                // Delivered: the wall reads its source again.
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

    let dispatch = |action: FormAction<PraiseDraft>| {
        let dispatcher = state.dispatcher();
        move || dispatcher.dispatch(action.clone())
    };
    let edit_text = |field: PraiseField| {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: Event| {
            dispatcher.dispatch(FormAction::Edit(field, FieldValue::Text(value_of(&event))))
        })
    };
    // Size: its own callback rather than `edit_text(field).reform(…)` at each input (one
    // `reform` instance per use), measured in docs/size-log.md.
    let input_text = |field: PraiseField| {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: InputEvent| {
            dispatcher.dispatch(FormAction::Edit(field, FieldValue::Text(value_of(&event))))
        })
    };
    let edit_checked = |field: PraiseField| {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: Event| {
            dispatcher.dispatch(FormAction::Edit(
                field,
                FieldValue::Checked(checked_of(&event)),
            ))
        })
    };
    let blur = |field: PraiseField| {
        let blur = dispatch(FormAction::Blur(field));
        Callback::from(move |_: FocusEvent| blur())
    };

    let rules = &state.rules;
    let draft = &state.draft;
    let locked = state.is_locked();
    let shown = |field: PraiseField| rules.presence_of(field) != Presence::Hidden;
    let required = |field: PraiseField| rules.presence_of(field) == Presence::Required;
    let optional_note = |field: PraiseField| {
        (rules.presence_of(field) == Presence::Optional)
            .then(|| AttrValue::from(strings.get(Text::Optional).to_owned()))
    };
    let error = |field: PraiseField| errors.get(&field).map(|e| strings.field_error(*e));
    let describe = |field: PraiseField, hint: bool, extra: &[String]| {
        described_by(&field_id(field), hint, extra, errors.contains_key(&field))
    };
    let invalid = |field: PraiseField| errors.contains_key(&field).then_some("true");
    let hint = |text: Text| Some(AttrValue::from(strings.get(text).to_owned()));

    let announcement = TEXTS.announcement(strings, &state, strings.get(Text::ThanksTitle));

    if state.status == Status::Succeeded {
        let start_over = dispatch(FormAction::StartOver);
        return html! {
            <section class="kudos-praise" part="praise-form" ref={section_ref}
                aria-labelledby="kudos-praise-title">
                <h2 id="kudos-praise-title" class="kudos-title">{ strings.get(Text::FormTitle) }</h2>
                <div class="kudos-thanks" part="thanks">
                    <h3 class="kudos-thanks-title" tabindex="-1" ref={thanks_ref}>
                        { strings.get(Text::ThanksTitle) }
                    </h3>
                    <p>{ strings.get(if context.config.mode == Mode::Demo {
                        Text::ThanksDemoBody
                    } else {
                        Text::ThanksBody
                    }) }</p>
                    <button type="button" class="kudos-button kudos-button-secondary"
                        onclick={Callback::from(move |_: MouseEvent| start_over())}>
                        { strings.get(Text::PraiseSomeoneElse) }
                    </button>
                </div>
                { status_line(announcement) }
            </section>
        };
    }

    let error_summary = (state.refused_submits > 0 && !errors.is_empty()).then(|| {
        html! {
            <div class="kudos-error-summary" part="error-summary">
                <p class="kudos-error-summary-title">{ strings.get(Text::ErrorSummaryTitle) }</p>
                <ul>
                    { for errors.iter().map(|(field, error)| {
                        let id = field_id(*field);
                        let href = format!("#{id}");
                        let section_ref = section_ref.clone();
                        let onclick = Callback::from(move |event: MouseEvent| {
                            // Links inside a shadow root must not touch the host page's URL.
                            event.prevent_default();
                            focus_by_id(&section_ref, &id);
                        });
                        html! {
                            <li>
                                <a {href} {onclick}>
                                    { format!("{} \u{2014} {}", field_label(strings, *field),
                                        strings.field_error(*error)) }
                                </a>
                            </li>
                        }
                    }) }
                </ul>
            </div>
        }
    });

    // Who: a roster-aware name input, or a description when the visitor missed the name.
    let who = shown(PraiseField::Staff).then(|| {
        let on_pick = {
            let dispatcher = state.dispatcher();
            Callback::from(move |id: String| {
                dispatcher.dispatch(FormAction::Edit(
                    PraiseField::Staff,
                    FieldValue::Toggle { id, on: true },
                ))
            })
        };
        let on_input = {
            let dispatcher = state.dispatcher();
            Callback::from(move |text: String| {
                dispatcher.dispatch(FormAction::Edit(PraiseField::Staff, FieldValue::Text(text)))
            })
        };
        let on_staff_blur = {
            let blur = dispatch(FormAction::Blur(PraiseField::Staff));
            Callback::from(move |()| blur())
        };
        let unknown_id = "kudos-name_unknown";
        html! {
            <>
                if draft.name_unknown {
                    <Field id={field_id(PraiseField::StaffDescription)}
                        label={field_label(strings, PraiseField::StaffDescription).to_owned()}
                        hint={hint(Text::StaffDescriptionHint)}
                        error={error(PraiseField::StaffDescription)}>
                        <input id={field_id(PraiseField::StaffDescription)} class="kudos-input"
                            type="text" value={draft.staff_description.clone()}
                            aria-describedby={describe(PraiseField::StaffDescription, true, &[])}
                            aria-invalid={invalid(PraiseField::StaffDescription)}
                            required={required(PraiseField::StaffDescription)} readonly={locked}
                            oninput={input_text(PraiseField::StaffDescription)}
                            onblur={blur(PraiseField::StaffDescription)} />
                    </Field>
                } else {
                    <Field id={field_id(PraiseField::Staff)}
                        label={field_label(strings, PraiseField::Staff).to_owned()}
                        optional_note={optional_note(PraiseField::Staff)}
                        hint={hint(Text::StaffNameHint)} error={error(PraiseField::Staff)}>
                        <StaffPicker id={field_id(PraiseField::Staff)}
                            value={draft.staff_name.clone()} roster={rules.roster.clone()}
                            described_by={describe(PraiseField::Staff, true, &[])}
                            invalid={errors.contains_key(&PraiseField::Staff)}
                            required={required(PraiseField::Staff)} readonly={locked}
                            {on_input} {on_pick}
                            on_blur={on_staff_blur} />
                    </Field>
                }
                <div class="kudos-check">
                    <input type="checkbox" id={unknown_id} class="kudos-checkbox"
                        checked={draft.name_unknown} disabled={locked}
                        onchange={edit_checked(PraiseField::Staff)} />
                    <label for={unknown_id}>{ strings.get(Text::NameUnknownToggle) }</label>
                </div>
            </>
        }
    });

    // Where: the owner's locations (or the roster's) as a list, else free text.
    let where_ = shown(PraiseField::Location).then(|| {
        let mut locations = if context.config.locations.is_empty() {
            rules.roster.locations()
        } else {
            context.config.locations.clone()
        };
        let current = draft.location.trim().to_owned();
        if !current.is_empty() && !locations.contains(&current) {
            locations.push(current.clone());
        }
        let id = field_id(PraiseField::Location);
        let control = if locations.is_empty() {
            html! {
                <input id={id.clone()} class="kudos-input" type="text"
                    value={draft.location.clone()} autocomplete="off"
                    aria-describedby={describe(PraiseField::Location, false, &[])}
                    aria-invalid={invalid(PraiseField::Location)}
                    required={required(PraiseField::Location)} readonly={locked}
                    oninput={input_text(PraiseField::Location)}
                    onblur={blur(PraiseField::Location)} />
            }
        } else {
            html! {
                <select id={id.clone()} class="kudos-input kudos-select"
                    aria-describedby={describe(PraiseField::Location, false, &[])}
                    aria-invalid={invalid(PraiseField::Location)}
                    required={required(PraiseField::Location)} disabled={locked}
                    onchange={edit_text(PraiseField::Location)}
                    onblur={blur(PraiseField::Location)}>
                    <option value="" selected={current.is_empty()}>
                        { strings.get(Text::LocationChoose) }
                    </option>
                    { for locations.iter().map(|location| html! {
                        <option value={location.clone()} selected={*location == current}>
                            { location.clone() }
                        </option>
                    }) }
                </select>
            }
        };
        html! {
            <Field {id} label={field_label(strings, PraiseField::Location).to_owned()}
                optional_note={optional_note(PraiseField::Location)}
                error={error(PraiseField::Location)}>
                { control }
            </Field>
        }
    });

    // When: a day (today by default, never later) and, optionally, the part of the day.
    let when = shown(PraiseField::Date).then(|| {
        let part_id = field_id(PraiseField::PartOfDay);
        let part = draft.part_of_day.map(PartOfDay::key).unwrap_or_default();
        html! {
            <div class="kudos-row">
                <Field id={field_id(PraiseField::Date)}
                    label={field_label(strings, PraiseField::Date).to_owned()}
                    optional_note={optional_note(PraiseField::Date)}
                    error={error(PraiseField::Date)}>
                    <input id={field_id(PraiseField::Date)} class="kudos-input" type="date"
                        value={draft.occurred_on.clone()} max={rules.today.clone()}
                        aria-describedby={describe(PraiseField::Date, false, &[])}
                        aria-invalid={invalid(PraiseField::Date)}
                        required={required(PraiseField::Date)} readonly={locked}
                        onchange={edit_text(PraiseField::Date)}
                        oninput={input_text(PraiseField::Date)}
                        onblur={blur(PraiseField::Date)} />
                </Field>
                <Field id={part_id.clone()}
                    label={field_label(strings, PraiseField::PartOfDay).to_owned()}
                    optional_note={Some(AttrValue::from(strings.get(Text::Optional).to_owned()))}>
                    <select id={part_id} class="kudos-input kudos-select" disabled={locked}
                        onchange={edit_text(PraiseField::PartOfDay)}>
                        <option value="" selected={part.is_empty()}>
                            { strings.get(Text::PartOfDayAny) }
                        </option>
                        { for PartOfDay::ALL.iter().map(|p| html! {
                            <option value={p.key()} selected={p.key() == part}>
                                { strings.get(match p {
                                    PartOfDay::Morning => Text::Morning,
                                    PartOfDay::Afternoon => Text::Afternoon,
                                    PartOfDay::Evening => Text::Evening,
                                }) }
                            </option>
                        }) }
                    </select>
                </Field>
            </div>
        }
    });

    // What they did, with a live character count.
    let story = shown(PraiseField::Story).then(|| {
        let id = field_id(PraiseField::Story);
        let counter_id = format!("{id}-counter");
        let count = trimmed_len(&draft.story);
        html! {
            <Field id={id.clone()} label={field_label(strings, PraiseField::Story).to_owned()}
                optional_note={optional_note(PraiseField::Story)}
                hint={hint(Text::StoryHint)} error={error(PraiseField::Story)}>
                <textarea id={id} class="kudos-input kudos-textarea" rows="5"
                    value={draft.story.clone()}
                    aria-describedby={describe(PraiseField::Story, true, std::slice::from_ref(&counter_id))}
                    aria-invalid={invalid(PraiseField::Story)}
                    required={required(PraiseField::Story)} readonly={locked}
                    oninput={input_text(PraiseField::Story)}
                    onblur={blur(PraiseField::Story)} />
                <p id={counter_id}
                    class={classes!("kudos-counter", (count > STORY_MAX_CHARS).then_some("kudos-counter-over"))}>
                    { strings.format(Text::StoryCounter, &[
                        ("count", &count.to_string()),
                        ("max", &STORY_MAX_CHARS.to_string()),
                    ]) }
                </p>
            </Field>
        }
    });

    // Little BIG things: any that fit.
    let tags = shown(PraiseField::Tags).then(|| {
        let tags_error = error(PraiseField::Tags);
        html! {
            <fieldset id={field_id(PraiseField::Tags)} tabindex="-1"
                class={classes!("kudos-fieldset", "kudos-tags", tags_error.as_ref().map(|_| "kudos-field-invalid"))}
                aria-describedby={describe(PraiseField::Tags, true, &[])}>
                <legend class="kudos-legend">
                    { strings.get(Text::TagsLegend) }
                    if let Some(note) = optional_note(PraiseField::Tags) {
                        <span class="kudos-optional">{ format!(" ({note})") }</span>
                    }
                </legend>
                <p id={super::field::hint_id(&field_id(PraiseField::Tags))} class="kudos-hint">
                    { strings.get(Text::TagsHint) }
                </p>
                <div class="kudos-chips">
                    { for tag_choices(&context.config, strings).into_iter().map(|tag| {
                        let id = format!("kudos-tag-{}", tag.id);
                        let checked = draft.tags.contains(&tag.id);
                        let onchange = {
                            let (dispatcher, tag_id) = (state.dispatcher(), tag.id.clone());
                            Callback::from(move |event: Event| {
                                dispatcher.dispatch(FormAction::Edit(
                                    PraiseField::Tags,
                                    FieldValue::Toggle { id: tag_id.clone(), on: checked_of(&event) },
                                ))
                            })
                        };
                        html! {
                            <span class="kudos-chip">
                                <input type="checkbox" id={id.clone()} class="kudos-chip-input"
                                    {checked} disabled={locked} {onchange} />
                                <label for={id}>{ tag.label }</label>
                            </span>
                        }
                    }) }
                </div>
                if let Some(message) = tags_error {
                    <p id={super::field::error_id(&field_id(PraiseField::Tags))} class="kudos-error">
                        { message }
                    </p>
                }
            </fieldset>
        }
    });

    let text_input = |field: PraiseField,
                      input_type: &'static str,
                      autocomplete: &'static str,
                      value: &str,
                      hint_text: Option<Text>| {
        let id = field_id(field);
        html! {
            <Field id={id.clone()} label={field_label(strings, field).to_owned()}
                optional_note={optional_note(field)}
                hint={hint_text.and_then(hint)} error={error(field)}>
                <input {id} class="kudos-input" type={input_type} value={value.to_owned()}
                    {autocomplete}
                    aria-describedby={describe(field, hint_text.is_some(), &[])}
                    aria-invalid={invalid(field)} required={required(field)} readonly={locked}
                    oninput={input_text(field)}
                    onblur={blur(field)} />
            </Field>
        }
    };
    let consent = |field: PraiseField, ticked: bool| {
        let id = field_id(field);
        shown(field).then(|| html! {
            <div class={classes!("kudos-check", errors.contains_key(&field).then_some("kudos-field-invalid"))}>
                <input type="checkbox" id={id.clone()} class="kudos-checkbox" checked={ticked}
                    disabled={locked} required={required(field)}
                    aria-invalid={invalid(field)}
                    aria-describedby={describe(field, false, &[])}
                    onchange={edit_checked(field)} />
                <label for={id.clone()}>{ field_label(strings, field) }</label>
                if let Some(message) = error(field) {
                    <p id={super::field::error_id(&id)} class="kudos-error">{ message }</p>
                }
            </div>
        })
    };
    let about_you = [
        PraiseField::VisitorName,
        PraiseField::VisitorEmail,
        PraiseField::ContactConsent,
        PraiseField::PublishConsent,
    ]
    .into_iter()
    .any(shown)
    .then(|| html! {
        <fieldset class="kudos-fieldset">
            <legend class="kudos-legend">{ strings.get(Text::AboutYouLegend) }</legend>
            if shown(PraiseField::VisitorName) {
                { text_input(PraiseField::VisitorName, "text", "name", &draft.visitor_name, None) }
            }
            if shown(PraiseField::VisitorEmail) {
                { text_input(PraiseField::VisitorEmail, "email", "email", &draft.visitor_email,
                    Some(Text::VisitorEmailHint)) }
            }
            { for consent(PraiseField::ContactConsent, draft.contact_consent) }
            { for consent(PraiseField::PublishConsent, draft.publish_consent) }
        </fieldset>
    });

    html! {
        <section class="kudos-praise" part="praise-form" ref={section_ref}
            aria-labelledby="kudos-praise-title">
            <h2 id="kudos-praise-title" class="kudos-title">{ strings.get(Text::FormTitle) }</h2>
            <p class="kudos-intro">{ strings.get(Text::FormIntro) }</p>
            <form class="kudos-form" novalidate=true {onsubmit} aria-labelledby="kudos-praise-title">
                { for error_summary }
                { for who }
                { for where_ }
                { for when }
                { for story }
                { for tags }
                { for about_you }
                { honeypot }
                { delivery_notice(strings, &state, &TEXTS, cancel) }
                { submit_button(strings, &TEXTS, &state.status, locked) }
            </form>
            { status_line(announcement) }
        </section>
    }
}
