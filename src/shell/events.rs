//! DOM events a site owner listens to on the host element: `kudos:ready`, `kudos:submit`,
//! `kudos:success`, `kudos:queued` and `kudos:error`.
//!
//! They bubble and are `composed`, so a listener on `document` hears them even though the widget
//! lives in a shadow root. The `detail` never carries what the visitor wrote (no names, no story,
//! no email): host pages often forward every event to analytics, and the widget must not leak
//! visitors' words there.

use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, Element};

use crate::core::config::WidgetKind;
use crate::core::form::DeliveryProblem;

/// What happened, in the order a visitor's submission goes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WidgetEvent {
    /// The widget is mounted and rendered.
    Ready,
    /// A valid form was handed to delivery.
    Submit,
    /// The endpoint (or the demo store) accepted it.
    Success,
    /// It could not be sent now and waits in the outbox (fired by the delivery pipeline).
    Queued,
    /// Delivery failed; `reason` is a fixed code, never the server's text.
    Error {
        /// `"could-not-send"` or `"refused"`.
        reason: &'static str,
    },
}

impl WidgetEvent {
    /// The error event for a delivery problem, with its fixed reason code.
    pub fn failed(problem: DeliveryProblem) -> Self {
        WidgetEvent::Error {
            reason: match problem {
                DeliveryProblem::CouldNotSend => "could-not-send",
                DeliveryProblem::Refused => "refused",
            },
        }
    }

    /// The DOM event type.
    pub fn name(self) -> &'static str {
        match self {
            WidgetEvent::Ready => "kudos:ready",
            WidgetEvent::Submit => "kudos:submit",
            WidgetEvent::Success => "kudos:success",
            WidgetEvent::Queued => "kudos:queued",
            WidgetEvent::Error { .. } => "kudos:error",
        }
    }
}

/// The keyword of a widget kind, as `data-widget` takes it and as `detail.widget` reports it.
fn widget_keyword(kind: WidgetKind) -> &'static str {
    match kind {
        WidgetKind::Praise => "praise",
        WidgetKind::Newsletter => "newsletter",
    }
}

/// Dispatches `event` on `host`, bubbling and composed, with
/// `detail = { widget, mode: "demo" | "live", reason? }` (the mode, so a page left in demo mode by
/// accident shows in the owner's analytics: issue 12, defect 8).
pub fn emit(host: &Element, kind: WidgetKind, demo: bool, event: WidgetEvent) {
    let detail = js_sys::Object::new();
    let set = |key: &str, value: &str| {
        let _ = js_sys::Reflect::set(&detail, &key.into(), &JsValue::from_str(value));
    };
    set("widget", widget_keyword(kind));
    set("mode", if demo { "demo" } else { "live" });
    if let WidgetEvent::Error { reason } = event {
        set("reason", reason);
    }
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail);
    if let Ok(dom_event) = CustomEvent::new_with_event_init_dict(event.name(), &init) {
        // A host listener that throws must not break the widget; the browser reports it itself.
        let _ = host.dispatch_event(&dom_event);
    }
}

/// The events of one mounted widget, carried in the components' context so the submit pipeline
/// can say what happened without knowing about the host element.
#[derive(Clone, PartialEq)]
pub struct Events {
    host: Element,
    kind: WidgetKind,
    demo: bool,
}

impl Events {
    /// Events of a `kind` widget mounted on `host`, in demo mode or not.
    pub fn new(host: Element, kind: WidgetKind, demo: bool) -> Self {
        Events { host, kind, demo }
    }

    /// Dispatches `event` on the host element.
    pub fn emit(&self, event: WidgetEvent) {
        emit(&self.host, self.kind, self.demo, event);
    }
}
