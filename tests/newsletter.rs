//! Browser tests of the newsletter form: consent is required, each endpoint reply gets its honest
//! message, and the typed name is never echoed back.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use kudos_widget::core::envelope::ReplyStatus;
use kudos_widget::shell::mount::mount_with_transport;
use kudos_widget::shell::ports::Transport;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlInputElement;

wasm_bindgen_test_configure!(run_in_browser);

mod support;

use support::{clear_widget_storage, http, ScriptedEndpoint, Widget};

/// A newsletter form in English whose endpoint answers `reply`.
struct Fixture {
    widget: Widget,
    endpoint: Rc<ScriptedEndpoint>,
}

impl Fixture {
    async fn new(reply: ReplyStatus, options: &[(&str, &str)]) -> Fixture {
        // Autosaved drafts would carry one test's typing into the next.
        clear_widget_storage();
        let body = format!(r#"{{"status":"{}"}}"#, reply.key());
        let endpoint = ScriptedEndpoint::new(vec![http(200, &body)]);
        let transport: Rc<dyn Transport> = endpoint.clone();
        let widget = Widget::mount_with(
            options,
            &[
                ("widget", "newsletter"),
                ("lang", "en"),
                ("company", "Larch Street Market"),
            ],
            |host, raw| mount_with_transport(host, raw, |_, _| transport),
        )
        .await;
        Fixture { widget, endpoint }
    }
}

impl std::ops::Deref for Fixture {
    type Target = Widget;

    fn deref(&self) -> &Widget {
        &self.widget
    }
}

#[wasm_bindgen_test]
async fn the_consent_box_starts_unticked_and_must_be_ticked() {
    let form = Fixture::new(ReplyStatus::Accepted, &[]).await;
    let consent: HtmlInputElement = form.get("#kudos-newsletter-consent").unchecked_into();
    assert!(!consent.checked());
    assert!(form
        .text(".kudos-consent-text label")
        .contains("Larch Street Market"));
    form.type_into("#kudos-newsletter-email", "ana@shop.example")
        .await;
    form.click("button[type=submit]").await;
    assert_eq!(
        form.text("#kudos-newsletter-consent-error"),
        "Please tick the box to agree to receive the newsletter."
    );
    assert!(form.endpoint.received.borrow().is_empty());
    // Focus went to the box that needs the tick.
    assert_eq!(
        form.root().active_element().unwrap().id(),
        "kudos-newsletter-consent"
    );
}

#[wasm_bindgen_test]
async fn accepted_says_subscribed_without_echoing_the_name() {
    let form = Fixture::new(ReplyStatus::Accepted, &[]).await;
    form.type_into("#kudos-newsletter-email", " Ana@Shop.EXAMPLE ")
        .await;
    form.type_into(
        "#kudos-newsletter-first_name",
        "Win a prize at spam.example",
    )
    .await;
    form.click("#kudos-newsletter-consent").await;
    form.click("button[type=submit]").await;
    let heading = form.wait_for(".kudos-thanks-title").await;
    assert_eq!(heading.text_content().unwrap(), "You're subscribed");
    assert_eq!(form.root().active_element().unwrap(), heading);
    let shown = form.text(".kudos-newsletter");
    assert!(!shown.contains("spam.example"), "{shown}");
    assert!(!shown.contains("Ana"), "{shown}");

    // Each envelope received, as JSON (the widget itself never reads an envelope back).
    let received: Vec<serde_json::Value> = form
        .endpoint
        .received
        .borrow()
        .iter()
        .map(|outgoing| serde_json::from_str(&outgoing.body).expect("an envelope"))
        .collect();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0]["type"], "newsletter.subscription_requested");
    assert_eq!(received[0]["data"]["email"], "Ana@shop.example");
    let consent = &received[0]["consent"]["newsletter"];
    assert_eq!(consent["granted"], true);
    assert_eq!(consent["text_sha256"].as_str().map(str::len), Some(64));
}

#[wasm_bindgen_test]
async fn pending_confirmation_says_check_your_inbox() {
    let form = Fixture::new(ReplyStatus::PendingConfirmation, &[]).await;
    form.type_into("#kudos-newsletter-email", "ana@shop.example")
        .await;
    form.click("#kudos-newsletter-consent").await;
    form.click("button[type=submit]").await;
    let heading = form.wait_for(".kudos-thanks-title").await;
    assert_eq!(
        heading.text_content().unwrap(),
        "Check your inbox to confirm"
    );
}

#[wasm_bindgen_test]
async fn a_mistyped_domain_gets_a_suggestion_that_fixes_it() {
    let form = Fixture::new(ReplyStatus::Accepted, &[]).await;
    form.type_into("#kudos-newsletter-email", "ana@gmial.com")
        .await;
    assert!(form.find(".kudos-suggestion").is_none());
    form.blur("#kudos-newsletter-email").await;
    assert_eq!(
        form.text(".kudos-suggestion"),
        "Did you mean ana@gmail.com?"
    );
    form.click(".kudos-suggestion button").await;
    let email: HtmlInputElement = form.get("#kudos-newsletter-email").unchecked_into();
    assert_eq!(email.value(), "ana@gmail.com");
    assert!(form.find(".kudos-suggestion").is_none());
}

#[wasm_bindgen_test]
async fn compact_variant_asks_only_for_email_and_consent() {
    let form = Fixture::new(ReplyStatus::Accepted, &[("variant", "compact")]).await;
    assert!(form.find(".kudos-newsletter-compact").is_some());
    assert!(form.find("#kudos-newsletter-first_name").is_none());
    assert!(form.find("#kudos-newsletter-email").is_some());
    assert!(form.find("#kudos-newsletter-consent").is_some());
}

#[wasm_bindgen_test]
async fn lists_and_privacy_link_come_from_config() {
    let form = Fixture::new(
        ReplyStatus::Accepted,
        &[
            ("lists", "weekly:Weekly deals, recipes:Recipes"),
            ("privacy-url", "https://shop.example/privacy"),
        ],
    )
    .await;
    assert_eq!(form.text("label[for=kudos-list-recipes]"), "Recipes");
    assert_eq!(
        form.get(".kudos-consent-text a")
            .get_attribute("href")
            .as_deref(),
        Some("https://shop.example/privacy")
    );
}
