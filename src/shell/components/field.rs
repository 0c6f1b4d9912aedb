//! The frame every form control sits in: label, hint, the control, extra notes, error. It also
//! names the ids that tie them together for assistive technology (`aria-describedby`), so every
//! control describes itself the same way.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The id of a field's hint.
pub fn hint_id(id: &str) -> String {
    format!("{id}-hint")
}

/// The id of a field's error message.
pub fn error_id(id: &str) -> String {
    format!("{id}-error")
}

/// The `aria-describedby` value for a control: its hint, any `extra` ids (a counter), its error.
pub fn described_by(id: &str, hint: bool, extra: &[String], error: bool) -> Option<String> {
    let ids: Vec<String> = hint
        .then(|| hint_id(id))
        .into_iter()
        .chain(extra.iter().cloned())
        .chain(error.then(|| error_id(id)))
        .collect();
    (!ids.is_empty()).then(|| crate::core::text::join(&ids, " "))
}

/// The value of the input, text area or select an event came from.
pub fn value_of(event: &Event) -> String {
    let Some(target) = event.target() else {
        return String::new();
    };
    if let Some(input) = target.dyn_ref::<HtmlInputElement>() {
        return input.value();
    }
    if let Some(area) = target.dyn_ref::<HtmlTextAreaElement>() {
        return area.value();
    }
    target
        .dyn_ref::<HtmlSelectElement>()
        .map(HtmlSelectElement::value)
        .unwrap_or_default()
}

/// Whether the checkbox an event came from is ticked.
pub fn checked_of(event: &Event) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .is_some_and(|input| input.checked())
}

/// Moves keyboard focus to the element with `id` inside `scope` (ids are unique per shadow root).
pub fn focus_by_id(scope: &NodeRef, id: &str) {
    let element = scope
        .cast::<web_sys::Element>()
        .and_then(|scope| scope.query_selector(&format!("#{id}")).ok().flatten())
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// After each refused submit (`refused_submits` changes), moves focus to the control with id
/// `first_invalid`, so keyboard and screen-reader visitors land on what needs fixing.
#[hook]
pub fn use_focus_first_invalid(
    refused_submits: u32,
    first_invalid: Option<String>,
    scope: &NodeRef,
) {
    let scope = scope.clone();
    use_effect_with(refused_submits, move |&refused| {
        if let (true, Some(id)) = (refused > 0, first_invalid) {
            focus_by_id(&scope, &id);
        }
    });
}

/// For buttons and options pressed while a field has focus: keeps the press from blurring the
/// field first. The blur would reveal that field's error, the message would push the button down,
/// and the release would land beside it: the click the visitor made would be lost. (For a
/// suggestion list, it keeps focus in the input while the pointer picks.)
pub fn keep_focus_on_press() -> Callback<MouseEvent> {
    Callback::from(|event: MouseEvent| event.prevent_default())
}

/// Properties of [`Field`].
#[derive(Properties, PartialEq)]
pub struct FieldProps {
    /// The control's element id; hint and error ids derive from it.
    pub id: AttrValue,
    /// The visible label.
    pub label: AttrValue,
    /// A short "(optional)" note after the label, for optional fields.
    #[prop_or_default]
    pub optional_note: Option<AttrValue>,
    /// Help shown under the label.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// The error to show, if any.
    #[prop_or_default]
    pub error: Option<String>,
    /// The control itself (its `aria-describedby` comes from [`described_by`]).
    pub children: Html,
}

/// A labelled control with its hint and error.
#[function_component]
pub fn Field(props: &FieldProps) -> Html {
    html! {
        <div class={classes!("kudos-field", props.error.as_ref().map(|_| "kudos-field-invalid"))}>
            <label class="kudos-label" for={props.id.clone()}>
                { props.label.clone() }
                if let Some(note) = &props.optional_note {
                    <span class="kudos-optional">{ format!(" ({note})") }</span>
                }
            </label>
            if let Some(hint) = &props.hint {
                <p id={hint_id(&props.id)} class="kudos-hint">{ hint.clone() }</p>
            }
            { props.children.clone() }
            if let Some(error) = &props.error {
                <p id={error_id(&props.id)} class="kudos-error">{ error.clone() }</p>
            }
        </div>
    }
}
