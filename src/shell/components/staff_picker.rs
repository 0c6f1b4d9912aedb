//! The "who" input: free text, with suggestions from the staff roster when there is one.
//!
//! It follows the ARIA 1.2 combobox pattern (list autocomplete): the input keeps focus, arrow keys
//! move through the suggestions (`aria-activedescendant`), Enter picks, Escape closes, and a polite
//! status line says how many names match. Without a roster it is a plain text input.

use yew::prelude::*;

use super::field::{keep_focus_on_press, value_of};
use super::use_widget_context;
use crate::core::i18n::Text;
use crate::core::roster::Roster;
use crate::shell::platform;

/// Properties of [`StaffPicker`].
#[derive(Properties, PartialEq)]
pub struct StaffPickerProps {
    /// The input's element id.
    pub id: AttrValue,
    /// The name as typed or picked.
    pub value: AttrValue,
    /// Who can be suggested.
    pub roster: Roster,
    /// `aria-describedby` of the input.
    #[prop_or_default]
    pub described_by: Option<String>,
    /// Marks the input invalid.
    #[prop_or_default]
    pub invalid: bool,
    /// Marks the input required.
    #[prop_or_default]
    pub required: bool,
    /// True while the value must not change.
    #[prop_or_default]
    pub readonly: bool,
    /// Called with the text on every keystroke.
    pub on_input: Callback<String>,
    /// Called with a roster id when the visitor picks a suggestion.
    pub on_pick: Callback<String>,
    /// Called when focus leaves the input.
    pub on_blur: Callback<()>,
}

/// The staff name input with roster suggestions.
#[function_component]
pub fn StaffPicker(props: &StaffPickerProps) -> Html {
    let context = use_widget_context();
    let strings = &context.strings;
    let open = use_state(|| false);
    let active = use_state(|| None::<usize>);

    let suggestions = if *open && !props.readonly {
        props.roster.suggest(&props.value, &platform::Browser)
    } else {
        Vec::new()
    };
    let ids: Vec<(String, String)> = suggestions
        .iter()
        .map(|member| {
            (
                member.id.clone(),
                format!("{}-option-{}", props.id, member.id),
            )
        })
        .collect();
    let listbox_id = format!("{}-listbox", props.id);
    let expanded = !suggestions.is_empty();
    let active_index = (*active).filter(|i| *i < suggestions.len());

    let oninput = {
        let (open, active, on_input) = (open.clone(), active.clone(), props.on_input.clone());
        Callback::from(move |event: InputEvent| {
            open.set(true);
            active.set(None);
            on_input.emit(value_of(&event));
        })
    };
    let pick = {
        let (open, active, on_pick) = (open.clone(), active.clone(), props.on_pick.clone());
        Callback::from(move |id: String| {
            open.set(false);
            active.set(None);
            on_pick.emit(id);
        })
    };
    let onkeydown = {
        let (open, active, pick) = (open.clone(), active.clone(), pick.clone());
        let ids: Vec<String> = ids.iter().map(|(id, _)| id.clone()).collect();
        Callback::from(move |event: KeyboardEvent| {
            let count = ids.len();
            match event.key().as_str() {
                "ArrowDown" if count > 0 => {
                    event.prevent_default();
                    active.set(Some(active_index.map_or(0, |i| (i + 1) % count)));
                }
                "ArrowUp" if count > 0 => {
                    event.prevent_default();
                    active.set(Some(
                        active_index.map_or(count - 1, |i| (i + count - 1) % count),
                    ));
                }
                "ArrowDown" => open.set(true),
                // Enter picks the highlighted name instead of submitting the form.
                "Enter" => {
                    if let Some(i) = active_index {
                        event.prevent_default();
                        pick.emit(ids[i].clone());
                    }
                }
                "Escape" if count > 0 => {
                    event.prevent_default();
                    open.set(false);
                    active.set(None);
                }
                _ => {}
            }
        })
    };
    let onblur = {
        let (open, on_blur) = (open.clone(), props.on_blur.clone());
        Callback::from(move |_: FocusEvent| {
            open.set(false);
            on_blur.emit(());
        })
    };

    if props.roster.is_empty() {
        return html! {
            <input id={props.id.clone()} class="kudos-input" type="text" value={props.value.clone()}
                autocomplete="off" aria-describedby={props.described_by.clone()}
                aria-invalid={props.invalid.then_some("true")} required={props.required}
                readonly={props.readonly} {oninput}
                onblur={props.on_blur.reform(|_: FocusEvent| ())} />
        };
    }

    let announcement = expanded.then(|| {
        strings.format(
            Text::SuggestionsAvailable,
            &[("count", &suggestions.len().to_string())],
        )
    });
    html! {
        <div class="kudos-combobox">
            <input id={props.id.clone()} class="kudos-input" type="text" value={props.value.clone()}
                role="combobox" autocomplete="off" aria-autocomplete="list"
                aria-expanded={if expanded { "true" } else { "false" }}
                aria-controls={listbox_id.clone()}
                aria-activedescendant={active_index.map(|i| ids[i].1.clone())}
                aria-describedby={props.described_by.clone()}
                aria-invalid={props.invalid.then_some("true")} required={props.required}
                readonly={props.readonly} {oninput} {onkeydown} {onblur} />
            <ul id={listbox_id} role="listbox" class="kudos-listbox" hidden={!expanded}
                aria-label={strings.get(Text::SuggestionsLabel).to_owned()}>
                { for suggestions.iter().zip(&ids).enumerate().map(|(i, (member, (id, option_id)))| {
                    let onclick = {
                        let (pick, id) = (pick.clone(), id.clone());
                        Callback::from(move |_: MouseEvent| pick.emit(id.clone()))
                    };
                    let details = crate::core::text::join(
                        &[member.role.as_deref(), member.location.as_deref()]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>(),
                        " \u{b7} ",
                    );
                    html! {
                        <li id={option_id.clone()} role="option" class="kudos-option"
                            aria-selected={if active_index == Some(i) { "true" } else { "false" }}
                            // Keep focus in the input while the pointer picks.
                            onmousedown={keep_focus_on_press()}
                            {onclick}>
                            <span class="kudos-option-name">{ member.name.clone() }</span>
                            if !details.is_empty() {
                                <span class="kudos-option-details">{ details }</span>
                            }
                        </li>
                    }
                }) }
            </ul>
            <p class="kudos-visually-hidden" role="status">{ announcement.unwrap_or_default() }</p>
        </div>
    }
}
