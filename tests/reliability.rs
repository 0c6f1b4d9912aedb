//! Browser tests of "nothing a visitor typed is ever lost": the outbox, draft autosave and the
//! spam signals, with the demo transport simulating failures (`data-demo-fail`).
//!
//! Its own test binary, so its page (and storage) is not shared with `web.rs`.
#![cfg(target_arch = "wasm32")]

use kudos_widget::shell::keys;
use kudos_widget::shell::mount::mount;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

const STORY: &str = "She found my lost glasses under the bakery counter and ran after me.";
const OUTBOX_DEMO: &str = "kudos-widget:outbox:v1:demo";

mod support;

use support::{clear_widget_storage, sleep_ms, stored, Widget};

/// A demo praise form in English, without the wall.
async fn demo_form(options: &[(&str, &str)]) -> Widget {
    Widget::mount_with(
        options,
        &[("mode", "demo"), ("lang", "en"), ("show", "form")],
        mount,
    )
    .await
}

#[wasm_bindgen_test]
async fn offline_submission_is_queued_and_nothing_typed_is_lost() {
    clear_widget_storage();
    let widget = demo_form(&[("demo-fail", "offline")]).await;
    widget.type_into("#kudos-staff_name", "Maribel").await;
    widget.type_into("#kudos-story", STORY).await;
    widget.click("button[type=submit]").await;

    let queued = widget.wait_long_for(".kudos-queued").await;
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
    assert!(stored(&keys::draft("praise", "demo"))
        .unwrap()
        .contains(STORY));
    assert_eq!(stored(&keys::demo_store()), None);
    // The announcement reaches screen readers too.
    let status = widget.get("[role=status]").text_content().unwrap();
    assert!(status.starts_with("Saved"), "{status}");

    // A reload (here: a remount) shows the same queued submission, not a blank form.
    widget.close();
    let again = demo_form(&[("demo-fail", "offline")]).await;
    again.wait_long_for(".kudos-queued").await;
    assert_eq!(again.value("#kudos-story"), STORY);
    let outbox_after: serde_json::Value =
        serde_json::from_str(&stored(OUTBOX_DEMO).unwrap()).unwrap();
    assert_eq!(outbox_after["entries"].as_array().unwrap().len(), 1);
}

#[wasm_bindgen_test]
async fn a_failed_first_attempt_is_retried_with_the_same_id_and_delivered_once() {
    clear_widget_storage();
    let widget = demo_form(&[("demo-fail", "500")]).await;
    widget.type_into("#kudos-staff_name", "Maribel").await;
    widget.type_into("#kudos-story", STORY).await;
    widget.click("button[type=submit]").await;
    // The first attempt fails (queued), the retry after at most 1 s of backoff succeeds.
    widget.wait_long_for(".kudos-thanks").await;
    let stored_json = stored(&keys::demo_store()).expect("delivered to the demo store");
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
    assert_eq!(stored(&keys::draft("praise", "demo")), None);
}

#[wasm_bindgen_test]
async fn the_draft_is_saved_only_after_typing_and_restored_on_remount() {
    clear_widget_storage();
    let widget = demo_form(&[]).await;
    // Nothing is stored before the visitor acts.
    assert_eq!(stored(&keys::draft("praise", "demo")), None);
    widget.type_into("#kudos-staff_name", "Zoé").await;
    widget.type_into("#kudos-story", STORY).await;
    assert!(stored(&keys::draft("praise", "demo"))
        .unwrap()
        .contains("Zoé"));
    widget.close();

    let again = demo_form(&[]).await;
    assert_eq!(again.value("#kudos-staff_name"), "Zoé");
    assert_eq!(again.value("#kudos-story"), STORY);
    // A restored draft is an ordinary one: it sends, and is cleared after the success.
    again.click("button[type=submit]").await;
    again.wait_long_for(".kudos-thanks").await;
    assert_eq!(stored(&keys::draft("praise", "demo")), None);
}

#[wasm_bindgen_test]
async fn the_honeypot_is_hidden_from_people_and_reported_to_the_endpoint() {
    clear_widget_storage();
    let widget = demo_form(&[]).await;
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
    widget.click("button[type=submit]").await;
    widget.wait_long_for(".kudos-thanks").await;
    let submissions: serde_json::Value =
        serde_json::from_str(&stored(&keys::demo_store()).unwrap()).unwrap();
    let signals = &submissions[0]["signals"];
    assert_eq!(signals["honeypot"], "https://spam.example");
    assert_eq!(signals["attempt"], 1);
    assert!(signals["fill_time_ms"].as_u64().unwrap() >= 20, "{signals}");
}
