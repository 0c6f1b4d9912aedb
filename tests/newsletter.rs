//! Browser tests of the newsletter form: consent is required, each endpoint reply gets its honest
//! message, and the typed name is never echoed back.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use kudos_widget::core::config::RawConfig;
use kudos_widget::core::envelope::{Payload, ReplyStatus, Submission};
use kudos_widget::core::praise::PublishedPraise;
use kudos_widget::shell::mount::{mount_with_transport, Mounted};
use kudos_widget::shell::transport::{LocalFuture, Transport, TransportError};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

/// A receiving side that answers every submission with `reply` and keeps what it got.
struct ScriptedEndpoint {
    reply: ReplyStatus,
    received: RefCell<Vec<Submission>>,
}

impl Transport for ScriptedEndpoint {
    fn submit(&self, submission: Submission) -> LocalFuture<Result<ReplyStatus, TransportError>> {
        self.received.borrow_mut().push(submission);
        let reply = self.reply;
        Box::pin(async move { Ok(reply) })
    }

    fn published_praise(
        &self,
    ) -> Option<LocalFuture<Result<Vec<PublishedPraise>, TransportError>>> {
        None
    }
}

struct Fixture {
    host: Element,
    mounted: Option<Mounted>,
    endpoint: Rc<ScriptedEndpoint>,
}

impl Fixture {
    async fn new(reply: ReplyStatus, options: &[(&str, &str)]) -> Fixture {
        let document = web_sys::window().unwrap().document().unwrap();
        let host = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&host).unwrap();
        let endpoint = Rc::new(ScriptedEndpoint {
            reply,
            received: RefCell::new(Vec::new()),
        });
        let raw = RawConfig::from_pairs(
            options
                .iter()
                .chain(&[
                    ("widget", "newsletter"),
                    ("lang", "en"),
                    ("company", "Larch Street Market"),
                ])
                .copied(),
        );
        let transport: Rc<dyn Transport> = endpoint.clone();
        let mounted = mount_with_transport(&host, &raw, |_, _| transport).expect("mounts");
        yew::scheduler::flush().await;
        Fixture {
            host,
            mounted: Some(mounted),
            endpoint,
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

    fn text(&self, selector: &str) -> String {
        self.get(selector).text_content().unwrap_or_default()
    }

    async fn type_into(&self, selector: &str, value: &str) {
        let input: HtmlInputElement = self.get(selector).unchecked_into();
        input.set_value(value);
        let init = web_sys::InputEventInit::new();
        init.set_bubbles(true);
        let event = web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap();
        input.dispatch_event(&event).unwrap();
        yew::scheduler::flush().await;
    }

    async fn blur(&self, selector: &str) {
        let init = web_sys::FocusEventInit::new();
        let event = web_sys::FocusEvent::new_with_focus_event_init_dict("blur", &init).unwrap();
        self.get(selector).dispatch_event(&event).unwrap();
        yew::scheduler::flush().await;
    }

    async fn click(&self, selector: &str) {
        self.get(selector).unchecked_into::<HtmlElement>().click();
        yew::scheduler::flush().await;
    }

    async fn wait_for(&self, selector: &str) -> Element {
        for _ in 0..200 {
            if let Some(element) = self.find(selector) {
                return element;
            }
            let promise = js_sys::Promise::new(&mut |resolve, _| {
                web_sys::window()
                    .unwrap()
                    .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10)
                    .unwrap();
            });
            JsFuture::from(promise).await.unwrap();
            yew::scheduler::flush().await;
        }
        panic!("{selector} never appeared");
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

    let received = form.endpoint.received.borrow();
    assert_eq!(received.len(), 1);
    let Payload::NewsletterSubscription(data) = &received[0].payload else {
        panic!("a newsletter payload");
    };
    assert_eq!(data.email, "Ana@shop.example");
    let consent = received[0].consent.values().next().unwrap();
    assert!(consent.granted);
    assert_eq!(consent.text_sha256.as_ref().map(String::len), Some(64));
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
