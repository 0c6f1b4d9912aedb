//! The praise form's fields, group by group (who, where, when, what, which little BIG things,
//! about you) and the error summary: a view over one render of the form's state. Each group is
//! its own small function; the form component (`mod.rs`) lays them out.

use yew::prelude::*;

use super::super::field::{checked_of, described_by, focus_by_id, value_of, Field};
use super::super::staff_picker::StaffPicker;
use super::super::tag_choices;
use super::{field_id, field_label};
use crate::core::config::{Config, Presence};
use crate::core::form::{FieldError, FieldValue, FormAction, FormState};
use crate::core::i18n::{Strings, Text};
use crate::core::praise::{trimmed_len, PartOfDay, PraiseDraft, PraiseField, STORY_MAX_CHARS};
use crate::core::sorted::SortedMap;

/// One render of the praise form's fields.
#[derive(Clone, Copy)]
pub(super) struct PraiseFields<'a> {
    pub strings: &'a Strings,
    pub config: &'a Config,
    pub state: &'a UseReducerHandle<FormState<PraiseDraft>>,
    /// The errors the visitor sees now.
    pub errors: &'a SortedMap<PraiseField, FieldError>,
    /// The form's section, for moving focus from the error summary.
    pub section_ref: &'a NodeRef,
}

impl PraiseFields<'_> {
    fn shown(&self, field: PraiseField) -> bool {
        self.state.rules.presence_of(field) != Presence::Hidden
    }

    fn required(&self, field: PraiseField) -> bool {
        self.state.rules.presence_of(field) == Presence::Required
    }

    fn optional_note(&self, field: PraiseField) -> Option<AttrValue> {
        (self.state.rules.presence_of(field) == Presence::Optional)
            .then(|| AttrValue::from(self.strings.get(Text::Optional).to_owned()))
    }

    fn error(&self, field: PraiseField) -> Option<String> {
        self.errors
            .get(&field)
            .map(|e| self.strings.field_error(*e).to_owned())
    }

    fn describe(&self, field: PraiseField, hint: bool, extra: &[String]) -> Option<String> {
        described_by(
            &field_id(field),
            hint,
            extra,
            self.errors.contains_key(&field),
        )
    }

    fn invalid(&self, field: PraiseField) -> Option<&'static str> {
        self.errors.contains_key(&field).then_some("true")
    }

    fn hint(&self, text: Text) -> Option<AttrValue> {
        Some(AttrValue::from(self.strings.get(text).to_owned()))
    }

    /// A function that dispatches `action` when called.
    fn dispatch(&self, action: FormAction<PraiseDraft>) -> impl Fn() {
        let dispatcher = self.state.dispatcher();
        move || dispatcher.dispatch(action.clone())
    }

    fn edit_text(&self, field: PraiseField) -> Callback<Event> {
        let dispatcher = self.state.dispatcher();
        Callback::from(move |event: Event| {
            dispatcher.dispatch(FormAction::Edit(field, FieldValue::Text(value_of(&event))))
        })
    }

    // Size: its own callback rather than `edit_text(field).reform(…)` at each input (one
    // `reform` instance per use), measured in docs/size-log.md.
    fn input_text(&self, field: PraiseField) -> Callback<InputEvent> {
        let dispatcher = self.state.dispatcher();
        Callback::from(move |event: InputEvent| {
            dispatcher.dispatch(FormAction::Edit(field, FieldValue::Text(value_of(&event))))
        })
    }

    fn edit_checked(&self, field: PraiseField) -> Callback<Event> {
        let dispatcher = self.state.dispatcher();
        Callback::from(move |event: Event| {
            dispatcher.dispatch(FormAction::Edit(
                field,
                FieldValue::Checked(checked_of(&event)),
            ))
        })
    }

    fn blur(&self, field: PraiseField) -> Callback<FocusEvent> {
        let blur = self.dispatch(FormAction::Blur(field));
        Callback::from(move |_: FocusEvent| blur())
    }

    /// Who: a roster-aware name input, or a description when the visitor missed the name.
    pub fn who(&self) -> Option<Html> {
        let Self {
            strings,
            state,
            errors,
            ..
        } = *self;
        let draft = &state.draft;
        let rules = &state.rules;
        let locked = state.is_locked();
        self.shown(PraiseField::Staff).then(|| {
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
                let leave = self.dispatch(FormAction::Blur(PraiseField::Staff));
                Callback::from(move |()| leave())
            };
            let unknown_id = "kudos-name_unknown";
            html! {
                <>
                    if draft.name_unknown {
                        <Field id={field_id(PraiseField::StaffDescription)}
                            label={field_label(strings, PraiseField::StaffDescription).to_owned()}
                            hint={self.hint(Text::StaffDescriptionHint)}
                            error={self.error(PraiseField::StaffDescription)}>
                            <input id={field_id(PraiseField::StaffDescription)} class="kudos-input"
                                type="text" value={draft.staff_description.clone()}
                                aria-describedby={self.describe(PraiseField::StaffDescription, true, &[])}
                                aria-invalid={self.invalid(PraiseField::StaffDescription)}
                                required={self.required(PraiseField::StaffDescription)} readonly={locked}
                                oninput={self.input_text(PraiseField::StaffDescription)}
                                onblur={self.blur(PraiseField::StaffDescription)} />
                        </Field>
                    } else {
                        <Field id={field_id(PraiseField::Staff)}
                            label={field_label(strings, PraiseField::Staff).to_owned()}
                            optional_note={self.optional_note(PraiseField::Staff)}
                            hint={self.hint(Text::StaffNameHint)} error={self.error(PraiseField::Staff)}>
                            <StaffPicker id={field_id(PraiseField::Staff)}
                                value={draft.staff_name.clone()} roster={rules.roster.clone()}
                                described_by={self.describe(PraiseField::Staff, true, &[])}
                                invalid={errors.contains_key(&PraiseField::Staff)}
                                required={self.required(PraiseField::Staff)} readonly={locked}
                                {on_input} {on_pick}
                                on_blur={on_staff_blur} />
                        </Field>
                    }
                    <div class="kudos-check">
                        <input type="checkbox" id={unknown_id} class="kudos-checkbox"
                            checked={draft.name_unknown} disabled={locked}
                            onchange={self.edit_checked(PraiseField::Staff)} />
                        <label for={unknown_id}>{ strings.get(Text::NameUnknownToggle) }</label>
                    </div>
                </>
            }
        })
    }

    /// Where: the owner's locations (or the roster's) as a list, else free text.
    pub fn where_(&self) -> Option<Html> {
        let Self { strings, state, .. } = *self;
        let draft = &state.draft;
        let rules = &state.rules;
        let locked = state.is_locked();
        self.shown(PraiseField::Location).then(|| {
            let mut locations = if self.config.locations.is_empty() {
                rules.roster.locations()
            } else {
                self.config.locations.clone()
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
                        aria-describedby={self.describe(PraiseField::Location, false, &[])}
                        aria-invalid={self.invalid(PraiseField::Location)}
                        required={self.required(PraiseField::Location)} readonly={locked}
                        oninput={self.input_text(PraiseField::Location)}
                        onblur={self.blur(PraiseField::Location)} />
                }
            } else {
                html! {
                    <select id={id.clone()} class="kudos-input kudos-select"
                        aria-describedby={self.describe(PraiseField::Location, false, &[])}
                        aria-invalid={self.invalid(PraiseField::Location)}
                        required={self.required(PraiseField::Location)} disabled={locked}
                        onchange={self.edit_text(PraiseField::Location)}
                        onblur={self.blur(PraiseField::Location)}>
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
                    optional_note={self.optional_note(PraiseField::Location)}
                    error={self.error(PraiseField::Location)}>
                    { control }
                </Field>
            }
        })
    }

    /// When: a day (today by default, never later) and, optionally, the part of the day.
    pub fn when(&self) -> Option<Html> {
        let Self { strings, state, .. } = *self;
        let draft = &state.draft;
        let rules = &state.rules;
        let locked = state.is_locked();
        self.shown(PraiseField::Date).then(|| {
            let part_id = field_id(PraiseField::PartOfDay);
            let part = draft.part_of_day.map(PartOfDay::key).unwrap_or_default();
            html! {
                <div class="kudos-row">
                    <Field id={field_id(PraiseField::Date)}
                        label={field_label(strings, PraiseField::Date).to_owned()}
                        optional_note={self.optional_note(PraiseField::Date)}
                        error={self.error(PraiseField::Date)}>
                        <input id={field_id(PraiseField::Date)} class="kudos-input" type="date"
                            value={draft.occurred_on.clone()} max={rules.today.clone()}
                            aria-describedby={self.describe(PraiseField::Date, false, &[])}
                            aria-invalid={self.invalid(PraiseField::Date)}
                            required={self.required(PraiseField::Date)} readonly={locked}
                            onchange={self.edit_text(PraiseField::Date)}
                            oninput={self.input_text(PraiseField::Date)}
                            onblur={self.blur(PraiseField::Date)} />
                    </Field>
                    <Field id={part_id.clone()}
                        label={field_label(strings, PraiseField::PartOfDay).to_owned()}
                        optional_note={Some(AttrValue::from(strings.get(Text::Optional).to_owned()))}>
                        <select id={part_id} class="kudos-input kudos-select" disabled={locked}
                            onchange={self.edit_text(PraiseField::PartOfDay)}>
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
        })
    }

    /// What they did, with a live character count.
    pub fn story(&self) -> Option<Html> {
        let Self { strings, state, .. } = *self;
        let draft = &state.draft;
        let locked = state.is_locked();
        self.shown(PraiseField::Story).then(|| {
            let id = field_id(PraiseField::Story);
            let counter_id = format!("{id}-counter");
            let count = trimmed_len(&draft.story);
            html! {
                <Field id={id.clone()} label={field_label(strings, PraiseField::Story).to_owned()}
                    optional_note={self.optional_note(PraiseField::Story)}
                    hint={self.hint(Text::StoryHint)} error={self.error(PraiseField::Story)}>
                    <textarea id={id} class="kudos-input kudos-textarea" rows="5"
                        value={draft.story.clone()}
                        aria-describedby={self.describe(PraiseField::Story, true, std::slice::from_ref(&counter_id))}
                        aria-invalid={self.invalid(PraiseField::Story)}
                        required={self.required(PraiseField::Story)} readonly={locked}
                        oninput={self.input_text(PraiseField::Story)}
                        onblur={self.blur(PraiseField::Story)} />
                    <p id={counter_id}
                        class={classes!("kudos-counter", (count > STORY_MAX_CHARS).then_some("kudos-counter-over"))}>
                        { strings.format(Text::StoryCounter, &[
                            ("count", &count.to_string()),
                            ("max", &STORY_MAX_CHARS.to_string()),
                        ]) }
                    </p>
                </Field>
            }
        })
    }

    /// Little BIG things: any that fit.
    pub fn tags(&self) -> Option<Html> {
        let Self { strings, state, .. } = *self;
        let draft = &state.draft;
        let locked = state.is_locked();
        self.shown(PraiseField::Tags).then(|| {
            let tags_error = self.error(PraiseField::Tags);
            html! {
                <fieldset id={field_id(PraiseField::Tags)} tabindex="-1"
                    class={classes!("kudos-fieldset", "kudos-tags", tags_error.as_ref().map(|_| "kudos-field-invalid"))}
                    aria-describedby={self.describe(PraiseField::Tags, true, &[])}>
                    <legend class="kudos-legend">
                        { strings.get(Text::TagsLegend) }
                        if let Some(note) = self.optional_note(PraiseField::Tags) {
                            <span class="kudos-optional">{ format!(" ({note})") }</span>
                        }
                    </legend>
                    <p id={super::super::field::hint_id(&field_id(PraiseField::Tags))} class="kudos-hint">
                        { strings.get(Text::TagsHint) }
                    </p>
                    <div class="kudos-chips">
                        { for tag_choices(self.config, strings).into_iter().map(|tag| {
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
                        <p id={super::super::field::error_id(&field_id(PraiseField::Tags))} class="kudos-error">
                            { message }
                        </p>
                    }
                </fieldset>
            }
        })
    }

    /// The list of what to fix, each a link to its field, after a refused submit.
    pub fn error_summary(&self) -> Option<Html> {
        let Self {
            strings,
            state,
            errors,
            ..
        } = *self;
        (state.refused_submits > 0 && !errors.is_empty()).then(|| {
            html! {
                <div class="kudos-error-summary" part="error-summary">
                    <p class="kudos-error-summary-title">{ strings.get(Text::ErrorSummaryTitle) }</p>
                    <ul>
                        { for errors.iter().map(|(field, error)| {
                            let id = field_id(*field);
                            let href = format!("#{id}");
                            let section_ref = self.section_ref.clone();
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
        })
    }

    /// A one-line text field of the "about you" group.
    fn text_input(
        &self,
        field: PraiseField,
        input_type: &'static str,
        autocomplete: &'static str,
        value: &str,
        hint_text: Option<Text>,
    ) -> Html {
        let locked = self.state.is_locked();
        let id = field_id(field);
        html! {
            <Field id={id.clone()} label={field_label(self.strings, field).to_owned()}
                optional_note={self.optional_note(field)}
                hint={hint_text.and_then(|text| self.hint(text))} error={self.error(field)}>
                <input {id} class="kudos-input" type={input_type} value={value.to_owned()}
                    {autocomplete}
                    aria-describedby={self.describe(field, hint_text.is_some(), &[])}
                    aria-invalid={self.invalid(field)} required={self.required(field)} readonly={locked}
                    oninput={self.input_text(field)}
                    onblur={self.blur(field)} />
            </Field>
        }
    }

    /// A consent box, never ticked in advance.
    fn consent(&self, field: PraiseField, ticked: bool) -> Option<Html> {
        let locked = self.state.is_locked();
        let id = field_id(field);
        self.shown(field).then(|| html! {
            <div class={classes!("kudos-check", self.errors.contains_key(&field).then_some("kudos-field-invalid"))}>
                <input type="checkbox" id={id.clone()} class="kudos-checkbox" checked={ticked}
                    disabled={locked} required={self.required(field)}
                    aria-invalid={self.invalid(field)}
                    aria-describedby={self.describe(field, false, &[])}
                    onchange={self.edit_checked(field)} />
                <label for={id.clone()}>{ field_label(self.strings, field) }</label>
                if let Some(message) = self.error(field) {
                    <p id={super::super::field::error_id(&id)} class="kudos-error">{ message }</p>
                }
            </div>
        })
    }

    /// About you: the visitor's name and email, and the two consents, when any is asked for.
    pub fn about_you(&self) -> Option<Html> {
        let draft = &self.state.draft;
        [
            PraiseField::VisitorName,
            PraiseField::VisitorEmail,
            PraiseField::ContactConsent,
            PraiseField::PublishConsent,
        ]
        .into_iter()
        .any(|field| self.shown(field))
        .then(|| html! {
            <fieldset class="kudos-fieldset">
                <legend class="kudos-legend">{ self.strings.get(Text::AboutYouLegend) }</legend>
                if self.shown(PraiseField::VisitorName) {
                    { self.text_input(PraiseField::VisitorName, "text", "name", &draft.visitor_name, None) }
                }
                if self.shown(PraiseField::VisitorEmail) {
                    { self.text_input(PraiseField::VisitorEmail, "email", "email", &draft.visitor_email,
                        Some(Text::VisitorEmailHint)) }
                }
                { for self.consent(PraiseField::ContactConsent, draft.contact_consent) }
                { for self.consent(PraiseField::PublishConsent, draft.publish_consent) }
            </fieldset>
        })
    }
}
