//! One labelled input with its hint and error, wired for assistive technology: the label names it,
//! `aria-describedby` points at the hint and the error, `aria-invalid` flags the error.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Which control a [`TextField`] renders.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// A one-line input of the given `type` (`"text"`, `"email"`).
    Input(&'static str),
    /// A multi-line text area.
    TextArea,
}

/// Properties of a [`TextField`].
#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    /// The element id; hint and error ids derive from it.
    pub id: AttrValue,
    /// The visible label.
    pub label: AttrValue,
    /// A short "(optional)" note after the label, for optional fields.
    #[prop_or_default]
    pub optional_note: Option<AttrValue>,
    /// Help shown under the label.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// The control to render.
    pub control: Control,
    /// The `autocomplete` token, so browsers can fill the visitor's own details.
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    /// The current value.
    pub value: AttrValue,
    /// The error to show, if any.
    #[prop_or_default]
    pub error: Option<String>,
    /// True while the value must not change (submitting, or done).
    #[prop_or_default]
    pub readonly: bool,
    /// Marks the control required for assistive technology.
    #[prop_or_default]
    pub required: bool,
    /// Called with the new value on every keystroke.
    pub on_input: Callback<String>,
    /// Called when focus leaves the control.
    pub on_blur: Callback<()>,
}

/// The value of the input or text area an event came from.
fn value_of(event: &InputEvent) -> String {
    let target = event.target();
    if let Some(input) = target
        .clone()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
    {
        return input.value();
    }
    target
        .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
        .map(|area| area.value())
        .unwrap_or_default()
}

/// A labelled text input or text area.
#[function_component]
pub fn TextField(props: &TextFieldProps) -> Html {
    let hint_id = props.hint.as_ref().map(|_| format!("{}-hint", props.id));
    let error_id = props.error.as_ref().map(|_| format!("{}-error", props.id));
    let described_by = [hint_id.clone(), error_id.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let described_by = (!described_by.is_empty()).then_some(described_by);
    let invalid = props.error.as_ref().map(|_| "true");
    let oninput = props.on_input.reform(|event: InputEvent| value_of(&event));
    let onblur = props.on_blur.reform(|_: FocusEvent| ());
    let control = match props.control {
        Control::Input(input_type) => html! {
            <input
                id={props.id.clone()}
                class="kudos-input"
                type={input_type}
                value={props.value.clone()}
                autocomplete={props.autocomplete.clone()}
                aria-describedby={described_by}
                aria-invalid={invalid}
                required={props.required}
                readonly={props.readonly}
                {oninput}
                {onblur}
            />
        },
        Control::TextArea => html! {
            <textarea
                id={props.id.clone()}
                class="kudos-input kudos-textarea"
                rows="5"
                value={props.value.clone()}
                aria-describedby={described_by}
                aria-invalid={invalid}
                required={props.required}
                readonly={props.readonly}
                {oninput}
                {onblur}
            />
        },
    };
    html! {
        <div class={classes!("kudos-field", props.error.as_ref().map(|_| "kudos-field-invalid"))}>
            <label class="kudos-label" for={props.id.clone()}>
                { props.label.clone() }
                if let Some(note) = &props.optional_note {
                    <span class="kudos-optional">{ format!(" ({note})") }</span>
                }
            </label>
            if let (Some(id), Some(hint)) = (&hint_id, &props.hint) {
                <p id={id.clone()} class="kudos-hint">{ hint.clone() }</p>
            }
            { control }
            if let (Some(id), Some(error)) = (&error_id, &props.error) {
                <p id={id.clone()} class="kudos-error">{ error.clone() }</p>
            }
        </div>
    }
}
