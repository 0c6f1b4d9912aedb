//! Browser tests of "nothing a visitor typed is ever lost": the outbox, draft autosave and the
//! spam signals, with the demo transport simulating failures (`data-demo-fail`).
//!
//! Its own test binary, so its page (and storage) is not shared with `web.rs`.
#![cfg(target_arch = "wasm32")]

use kudos_widget::core::config::RawConfig;
use kudos_widget::shell::components::delivery::draft_key;
use kudos_widget::shell::mount::{mount, Mounted};
use kudos_widget::shell::transport::demo_store_key;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement, ShadowRoot, Storage};

wasm_bindgen_test_configure!(run_in_browser);

const STORY: &str = "She found my lost glasses under the bakery counter and ran after me.";
const OUTBOX_DEMO: &str = "kudos-widget:outbox:v1:demo";

fn storage() -> Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn stored(key: &str) -> Option<String> {
    storage().get_item(key).unwrap()
}

/// Removes every widget key: each test starts with nothing typed, queued or stored.
fn clear_widget_storage() {
    let storage = storage();
    let keys: Vec<String> = (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .filter(|key| key.starts_with("kudos-widget:"))
        .collect();
    for key in keys {
        storage.remove_item(&key).unwrap();
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

/// A demo widget in English on its own host element.
struct Widget {
    host: Element,
    mounted: Option<Mounted>,
}

impl Widget {
    async fn mount(options: &[(&str, &str)]) -> Widget {
        let document = web_sys::window().unwrap().document().unwrap();
        let host = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&host).unwrap();
        let raw = RawConfig::from_pairs(
            options
                .iter()
                .chain(&[("mode", "demo"), ("lang", "en"), ("show", "form")])
                .copied(),
        );
        let mounted = mount(&host, &raw).expect("demo config mounts");
        yew::scheduler::flush().await;
        Widget {
            host,
            mounted: Some(mounted),
        }
    }

    fn root(&self) -> ShadowRoot {
        self.host.shadow_root().unwrap()
    }

    fn find(&self, selector: &str) -> Option<Element> {
        self.root().query_selector(selector).unwrap()
    }

    fn get(&self, selector: &str) -> Element {
        self.find(selector)
            .unwrap_or_else(|| panic!("no element matches {selector}"))
    }

    fn value(&self, selector: &str) -> String {
        let element = self.get(selector);
        match element.dyn_ref::<HtmlInputElement>() {
            Some(input) => input.value(),
            None => element.unchecked_into::<HtmlTextAreaElement>().value(),
        }
    }

    async fn type_into(&self, selector: &str, value: &str) {
        let element = self.get(selector);
        match element.dyn_ref::<HtmlInputElement>() {
            Some(input) => input.set_value(value),
            None => element
                .dyn_ref::<HtmlTextAreaElement>()
                .unwrap()
                .set_value(value),
        }
        let init = web_sys::InputEventInit::new();
        init.set_bubbles(true);
        let event = web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap();
        element.dispatch_event(&event).unwrap();
        yew::scheduler::flush().await;
    }

    async fn submit(&self) {
        self.get("button[type=submit]")
            .unchecked_into::<HtmlElement>()
            .click();
        yew::scheduler::flush().await;
    }

    /// Waits (at most ~5 s) until `selector` matches.
    async fn wait_for(&self, selector: &str) -> Element {
        for _ in 0..500 {
            if let Some(element) = self.find(selector) {
                return element;
            }
            sleep_ms(10).await;
            yew::scheduler::flush().await;
        }
        panic!("{selector} never appeared");
    }

    /// Unmounts, as a page going away would.
    fn close(mut self) {
        if let Some(mounted) = self.mounted.take() {
            mounted.unmount();
        }
    }
}

impl Drop for Widget {
    fn drop(&mut self) {
        if let Some(mounted) = self.mounted.take() {
            mounted.unmount();
        }
        self.host.remove();
    }
}

#[wasm_bindgen_test]
async fn offline_submission_is_queued_and_nothing_typed_is_lost() {
    clear_widget_storage();
    let widget = Widget::mount(&[("demo-fail", "offline")]).await;
    widget.type_into("#kudos-staff_name", "Maribel").await;
    widget.type_into("#kudos-story", STORY).await;
    widget.submit().await;

    let queued = widget.wait_for(".kudos-queued").await;
    assert!(
        queued
            .text_content()
            .unwrap()
            .starts_with("Saved \u{2014} we'll send it when you're back online"),
        "{:?}",
        queued.text_content()
    );
    // The form keeps every word, and is locked so the same words are not sent twice.
    assert_eq!(widget.value("#kudos-staff_name"), "Maribel");
    assert_eq!(widget.value("#kudos-story"), STORY);
    assert!(widget
        .get("#kudos-story")
        .unchecked_into::<HtmlTextAreaElement>()
        .read_only());
    // The submission waits in the outbox, the draft in storage; nothing reached the demo store.
    let outbox = stored(OUTBOX_DEMO).expect("an outbox entry");
    assert!(outbox.contains(STORY), "{outbox}");
    assert!(stored(&draft_key("praise")).unwrap().contains(STORY));
    assert_eq!(stored(&demo_store_key()), None);
    // The announcement reaches screen readers too.
    let status = widget.get("[role=status]").text_content().unwrap();
    assert!(status.starts_with("Saved"), "{status}");

    // A reload (here: a remount) shows the same queued submission, not a blank form.
    widget.close();
    let again = Widget::mount(&[("demo-fail", "offline")]).await;
    again.wait_for(".kudos-queued").await;
    assert_eq!(again.value("#kudos-story"), STORY);
    let outbox_after: serde_json::Value =
        serde_json::from_str(&stored(OUTBOX_DEMO).unwrap()).unwrap();
    assert_eq!(outbox_after["entries"].as_array().unwrap().len(), 1);
}

#[wasm_bindgen_test]
async fn a_failed_first_attempt_is_retried_with_the_same_id_and_delivered_once() {
    clear_widget_storage();
    let widget = Widget::mount(&[("demo-fail", "500")]).await;
    widget.type_into("#kudos-staff_name", "Maribel").await;
    widget.type_into("#kudos-story", STORY).await;
    widget.submit().await;
    // The first attempt fails (queued), the retry after at most 1 s of backoff succeeds.
    widget.wait_for(".kudos-thanks").await;
    let stored_json = stored(&demo_store_key()).expect("delivered to the demo store");
    let submissions: serde_json::Value = serde_json::from_str(&stored_json).unwrap();
    let submissions = submissions.as_array().unwrap();
    assert_eq!(submissions.len(), 1);
    assert_eq!(submissions[0]["signals"]["attempt"], 2);
    assert_eq!(submissions[0]["signals"]["honeypot"], "");
    assert!(submissions[0]["site"]["url"]
        .as_str()
        .unwrap()
        .starts_with("http"));
    // Delivered: the outbox is empty and the draft is gone.
    assert_eq!(stored(OUTBOX_DEMO), None);
    assert_eq!(stored(&draft_key("praise")), None);
}

#[wasm_bindgen_test]
async fn the_draft_is_saved_only_after_typing_and_restored_on_remount() {
    clear_widget_storage();
    let widget = Widget::mount(&[]).await;
    // Nothing is stored before the visitor acts.
    assert_eq!(stored(&draft_key("praise")), None);
    widget.type_into("#kudos-staff_name", "Zoé").await;
    widget.type_into("#kudos-story", STORY).await;
    assert!(stored(&draft_key("praise")).unwrap().contains("Zoé"));
    widget.close();

    let again = Widget::mount(&[]).await;
    assert_eq!(again.value("#kudos-staff_name"), "Zoé");
    assert_eq!(again.value("#kudos-story"), STORY);
    // A restored draft is an ordinary one: it sends, and is cleared after the success.
    again.submit().await;
    again.wait_for(".kudos-thanks").await;
    assert_eq!(stored(&draft_key("praise")), None);
}

#[wasm_bindgen_test]
async fn the_honeypot_is_hidden_from_people_and_reported_to_the_endpoint() {
    clear_widget_storage();
    let widget = Widget::mount(&[]).await;
    let trap = widget.get("input[name=website]");
    assert_eq!(trap.get_attribute("tabindex").as_deref(), Some("-1"));
    assert_eq!(trap.get_attribute("autocomplete").as_deref(), Some("off"));
    assert_eq!(trap.get_attribute("aria-hidden").as_deref(), Some("true"));
    // Out of sight: clipped to nothing, taking no room.
    let wrapper: HtmlElement = widget.get(".kudos-hp").unchecked_into();
    assert!(wrapper.offset_width() <= 1, "{}", wrapper.offset_width());
    let style = web_sys::window()
        .unwrap()
        .get_computed_style(&wrapper)
        .unwrap()
        .unwrap();
    assert_eq!(style.get_property_value("position").unwrap(), "absolute");
    assert_eq!(style.get_property_value("clip-path").unwrap(), "inset(50%)");
    // A bot fills every field it finds.
    widget
        .type_into("input[name=website]", "https://spam.example")
        .await;
    widget.type_into("#kudos-staff_name", "Maribel").await;
    widget.type_into("#kudos-story", STORY).await;
    sleep_ms(30).await;
    widget.submit().await;
    widget.wait_for(".kudos-thanks").await;
    let submissions: serde_json::Value =
        serde_json::from_str(&stored(&demo_store_key()).unwrap()).unwrap();
    let signals = &submissions[0]["signals"];
    assert_eq!(signals["honeypot"], "https://spam.example");
    assert_eq!(signals["attempt"], 1);
    assert!(signals["fill_time_ms"].as_u64().unwrap() >= 20, "{signals}");
}
