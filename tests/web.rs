//! Browser tests: the widget mounted into a real shadow root in headless Chromium, in demo mode.
//!
//! Run by `cargo xtask test` (layer "browser tests") through wasm-bindgen-test-runner. All tests
//! of this file share one page, so each starts from an empty demo store and removes its host.
#![cfg(target_arch = "wasm32")]

use kudos_widget::core::config::RawConfig;
use kudos_widget::shell::mount::{mount, MountError, Mounted};
use kudos_widget::shell::transport::demo_store_key;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

const STORY: &str = "She noticed my bag had split and repacked everything with a smile.";

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn clear_demo_store() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item(&demo_store_key()).unwrap();
}

/// A fresh host element on the page with a demo widget in it.
struct Fixture {
    host: Element,
    mounted: Option<Mounted>,
}

impl Fixture {
    async fn demo() -> Fixture {
        clear_demo_store();
        let host = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&host).unwrap();
        let raw = RawConfig::from_pairs([("mode", "demo"), ("lang", "en")]);
        let mounted = mount(&host, &raw).expect("demo config mounts");
        yew::scheduler::flush().await;
        Fixture {
            host,
            mounted: Some(mounted),
        }
    }

    fn root(&self) -> ShadowRoot {
        self.host.shadow_root().expect("an open shadow root")
    }

    fn find(&self, selector: &str) -> Option<Element> {
        self.root().query_selector(selector).unwrap()
    }

    fn get(&self, selector: &str) -> Element {
        self.find(selector)
            .unwrap_or_else(|| panic!("no element matches {selector}"))
    }

    fn text(&self, selector: &str) -> String {
        self.get(selector).text_content().unwrap_or_default()
    }

    /// Types `value` into a field the way a browser reports typing: set the value, fire `input`.
    async fn type_into(&self, selector: &str, value: &str) {
        let element = self.get(selector);
        if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
            input.set_value(value);
        } else {
            element
                .dyn_ref::<HtmlTextAreaElement>()
                .expect("an input or a textarea")
                .set_value(value);
        }
        let init = web_sys::InputEventInit::new();
        init.set_bubbles(true);
        let event = web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap();
        element.dispatch_event(&event).unwrap();
        yew::scheduler::flush().await;
    }

    async fn click(&self, selector: &str) {
        self.get(selector).unchecked_into::<HtmlElement>().click();
        yew::scheduler::flush().await;
    }

    /// Waits (at most ~2 s) until `selector` matches, for outcomes that arrive through a future.
    async fn wait_for(&self, selector: &str) -> Element {
        for _ in 0..200 {
            if let Some(element) = self.find(selector) {
                return element;
            }
            sleep_ms(10).await;
            yew::scheduler::flush().await;
        }
        panic!("{selector} never appeared");
    }

    fn stored_json(&self) -> Option<String> {
        let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
        storage.get_item(&demo_store_key()).unwrap()
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Some(mounted) = self.mounted.take() {
            mounted.unmount();
        }
        self.host.remove();
    }
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn mounts_into_an_open_shadow_root_with_adopted_stylesheets() {
    let widget = Fixture::demo().await;
    let root = widget.root();
    assert_eq!(root.mode(), web_sys::ShadowRootMode::Open);
    assert_eq!(root.adopted_style_sheets().length(), 2);
    assert!(widget.find("form.kudos-form").is_some());
    assert_eq!(widget.text("#kudos-praise-title"), "Recognize our staff");
    // Nothing of the widget leaks into the page's own DOM.
    assert!(document().query_selector(".kudos-form").unwrap().is_none());
    // No inline style attributes anywhere: strict-CSP hosts block them.
    assert!(widget.find("[style]").is_none());
}

#[wasm_bindgen_test]
async fn the_publish_consent_starts_unticked() {
    let widget = Fixture::demo().await;
    let consent: HtmlInputElement = widget.get("#kudos-publish_consent").unchecked_into();
    assert!(!consent.checked());
}

#[wasm_bindgen_test]
async fn submitted_praise_shows_thanks_and_appears_on_the_wall() {
    let widget = Fixture::demo().await;
    widget.wait_for(".kudos-wall-empty").await;
    widget.type_into("#kudos-staff_name", "Maribel").await;
    widget.type_into("#kudos-story", STORY).await;
    widget.click("#kudos-publish_consent").await;
    widget.click("button[type=submit]").await;

    let thanks = widget.wait_for(".kudos-thanks-title").await;
    assert_eq!(thanks.text_content().unwrap(), "Thank you!");
    // Focus moved to the thank-you message.
    let active = widget.root().active_element().expect("something has focus");
    assert_eq!(active, thanks);

    let card = widget.wait_for(".kudos-card").await;
    assert_eq!(widget.text(".kudos-card-staff"), "Maribel");
    assert_eq!(widget.text(".kudos-card-story"), STORY);
    assert!(card.query_selector("time[datetime]").unwrap().is_some());

    let stored = widget.stored_json().expect("the demo store was written");
    assert!(
        stored.contains("\"staff_recognition.submitted\""),
        "{stored}"
    );
    assert!(stored.contains("\"granted\":true"), "{stored}");
}

#[wasm_bindgen_test]
async fn praise_without_publish_consent_is_stored_but_not_shown() {
    let widget = Fixture::demo().await;
    widget.type_into("#kudos-staff_name", "Dev").await;
    widget.type_into("#kudos-story", STORY).await;
    widget.click("button[type=submit]").await;
    widget.wait_for(".kudos-thanks-title").await;
    widget.wait_for(".kudos-wall-empty").await;
    assert!(widget.find(".kudos-card").is_none());
    let stored = widget.stored_json().expect("the demo store was written");
    assert!(stored.contains("\"granted\":false"), "{stored}");
}

#[wasm_bindgen_test]
async fn invalid_input_shows_errors_next_to_fields_and_stores_nothing() {
    let widget = Fixture::demo().await;
    widget.type_into("#kudos-story", "Too short").await;
    widget.type_into("#kudos-visitor_email", "ana@shop").await;
    widget.click("button[type=submit]").await;

    assert_eq!(
        widget.text("#kudos-staff_name-error"),
        "Please fill this in."
    );
    assert_eq!(
        widget.text("#kudos-story-error"),
        "Please write at least 20 characters."
    );
    assert!(widget
        .text("#kudos-visitor_email-error")
        .contains("email address"));
    let story = widget.get("#kudos-story");
    assert_eq!(story.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(story
        .get_attribute("aria-describedby")
        .unwrap()
        .contains("kudos-story-error"));
    assert!(widget.find(".kudos-error-summary").is_some());
    // Focus went to the first invalid field, and what was typed is still there.
    let active = widget.root().active_element().expect("something has focus");
    assert_eq!(active.id(), "kudos-staff_name");
    assert_eq!(
        story.unchecked_into::<HtmlTextAreaElement>().value(),
        "Too short"
    );
    assert!(widget.find(".kudos-thanks").is_none());
    assert_eq!(widget.stored_json(), None);
}

#[wasm_bindgen_test]
async fn an_error_clears_once_the_field_is_fixed() {
    let widget = Fixture::demo().await;
    widget.click("button[type=submit]").await;
    assert!(widget.find("#kudos-staff_name-error").is_some());
    widget.type_into("#kudos-staff_name", "Maribel").await;
    assert!(widget.find("#kudos-staff_name-error").is_none());
    assert_eq!(
        widget
            .get("#kudos-staff_name")
            .get_attribute("aria-invalid"),
        None
    );
}

#[wasm_bindgen_test]
async fn praise_someone_else_starts_a_fresh_form() {
    let widget = Fixture::demo().await;
    widget.type_into("#kudos-staff_name", "Maribel").await;
    widget.type_into("#kudos-story", STORY).await;
    widget.click("button[type=submit]").await;
    widget.wait_for(".kudos-thanks").await;
    widget.click(".kudos-thanks button").await;
    let name: HtmlInputElement = widget.wait_for("#kudos-staff_name").await.unchecked_into();
    assert_eq!(name.value(), "");
}

#[wasm_bindgen_test]
async fn a_bad_config_mounts_nothing_and_names_the_attribute() {
    let host = document().create_element("div").unwrap();
    let raw = RawConfig::from_pairs([("endpoint", "javascript:alert(1)")]);
    let error = match mount(&host, &raw) {
        Err(error) => error,
        Ok(_) => panic!("a javascript: endpoint must not mount"),
    };
    assert!(matches!(error, MountError::Config(_)));
    assert!(error.to_string().starts_with("data-endpoint="), "{error}");
    assert!(host.shadow_root().is_none());
}

#[wasm_bindgen_test]
async fn unmount_removes_the_widget_and_the_host_can_mount_again() {
    let mut widget = Fixture::demo().await;
    widget.mounted.take().unwrap().unmount();
    assert_eq!(widget.root().child_element_count(), 0);
    let raw = RawConfig::from_pairs([("mode", "demo")]);
    widget.mounted = Some(mount(&widget.host, &raw).expect("remount"));
    yew::scheduler::flush().await;
    assert!(widget.find("form.kudos-form").is_some());
}
