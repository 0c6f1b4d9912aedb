//! Browser tests of the delivery service on its own: a form connected to it hears each outcome of
//! its own submission exactly once, with the reply status, and each attempt reaches the transport
//! with its number as data.
//!
//! Its own test binary (its own page), with a scripted receiving side and a memory store.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use kudos_widget::core::config::{Config, Mode, RawConfig, WidgetKind};
use kudos_widget::core::envelope::{ReplyStatus, Submission};
use kudos_widget::core::form::{Draft, FieldValue, Waiting};
use kudos_widget::core::newsletter::{NewsletterDraft, NewsletterField, NewsletterRules};
use kudos_widget::shell::delivery::{DeliveryService, Form, Settled};
use kudos_widget::shell::events::Events;
use kudos_widget::shell::keys;
use kudos_widget::shell::platform::{self, Browser};
use kudos_widget::shell::ports::Store;
use kudos_widget::shell::storage::MemoryStore;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod support;

use support::{document, http, sleep_ms, ScriptedEndpoint};

/// A service over a memory store and `endpoint`, with the `kudos:*` events of its host element
/// recorded, and what each form hears.
struct Bench {
    service: Rc<DeliveryService>,
    store: Rc<MemoryStore>,
    events: Rc<RefCell<Vec<String>>>,
    heard: Rc<RefCell<Vec<(Form, Settled)>>>,
    host: web_sys::Element,
    _listeners: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

impl Bench {
    fn new(endpoint: Rc<ScriptedEndpoint>) -> Bench {
        Bench::sharing(endpoint, Rc::new(MemoryStore::new()))
    }

    /// A second widget's service on the same page and endpoint: it shares `store`'s outbox.
    fn sharing(endpoint: Rc<ScriptedEndpoint>, store: Rc<MemoryStore>) -> Bench {
        let host = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&host).unwrap();
        let events: Rc<RefCell<Vec<String>>> = Rc::default();
        let listeners = [
            "kudos:submit",
            "kudos:success",
            "kudos:queued",
            "kudos:error",
        ]
        .into_iter()
        .map(|name| {
            let events = Rc::clone(&events);
            let listener =
                Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
                    events.borrow_mut().push(event.type_());
                });
            host.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())
                .unwrap();
            listener
        })
        .collect();
        let mode = Mode::Live {
            endpoint: kudos_widget::core::config::parse_endpoint(
                "https://kudos.example/v1/submissions",
                &Browser,
            )
            .unwrap(),
        };
        let service = DeliveryService::new(
            Rc::clone(&store) as Rc<dyn Store>,
            endpoint,
            &mode,
            Events::new(host.clone(), WidgetKind::Newsletter, false),
        );
        service.start();
        let heard: Rc<RefCell<Vec<(Form, Settled)>>> = Rc::default();
        for form in [Form::Praise, Form::Newsletter] {
            let heard = Rc::clone(&heard);
            service.connect(form, move |settled| {
                heard.borrow_mut().push((form, settled))
            });
        }
        Bench {
            service,
            store,
            events,
            heard,
            host,
            _listeners: listeners,
        }
    }

    /// A valid newsletter sign-up, sent through the service.
    fn submit_newsletter(&self) {
        let raw = RawConfig::from_pairs([("widget", "newsletter"), ("lang", "en")]);
        let (config, _) = Config::from_raw(&raw, platform::browser()).unwrap();
        let rules = NewsletterRules::new(&config);
        let mut draft = NewsletterDraft::fresh(&rules);
        draft.set(
            NewsletterField::Email,
            FieldValue::Text("ana@example.com".into()),
            &rules,
        );
        draft.set(NewsletterField::Consent, FieldValue::Checked(true), &rules);
        self.service
            .submit(Form::Newsletter, "en", String::new(), move |stamp| {
                Submission::newsletter(&draft, &rules, "I agree.", stamp)
            });
    }

    /// Waits (up to `ms`) until the forms have heard `count` outcomes.
    async fn heard_at_least(&self, count: usize, ms: i32) {
        for _ in 0..ms / 20 {
            if self.heard.borrow().len() >= count {
                return;
            }
            sleep_ms(20).await;
        }
        panic!("heard only {:?}", self.heard.borrow());
    }
}

impl Drop for Bench {
    fn drop(&mut self) {
        self.service.stop();
        self.host.remove();
    }
}

/// Wakes every service on the page as the browser does when it comes back online.
fn back_online() {
    let event = web_sys::Event::new("online").unwrap();
    web_sys::window().unwrap().dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn an_outcome_reaches_its_form_once_with_the_reply_status() {
    let endpoint = ScriptedEndpoint::new(vec![http(200, r#"{"status":"pending_confirmation"}"#)]);
    let bench = Bench::new(Rc::clone(&endpoint));
    bench.submit_newsletter();
    bench.heard_at_least(1, 2_000).await;
    // Every wake-up after the delivery finds nothing left to settle.
    back_online();
    sleep_ms(200).await;
    assert_eq!(
        *bench.heard.borrow(),
        vec![(
            Form::Newsletter,
            Settled::Delivered {
                status: ReplyStatus::PendingConfirmation
            }
        )]
    );
    assert_eq!(*bench.events.borrow(), ["kudos:submit", "kudos:success"]);
    assert_eq!(endpoint.received.borrow().len(), 1);
    // Delivered: the outbox and the pending id are gone.
    let site = "https://kudos.example/v1/submissions";
    assert_eq!(bench.store.read(&keys::outbox(site)), None);
    assert_eq!(bench.store.read(&keys::pending("newsletter", site)), None);
}

#[wasm_bindgen_test]
async fn each_attempt_carries_its_number_and_the_form_hears_queued_then_delivered() {
    let endpoint =
        ScriptedEndpoint::new(vec![http(503, ""), http(201, r#"{"status":"accepted"}"#)]);
    let bench = Bench::new(Rc::clone(&endpoint));
    bench.submit_newsletter();
    bench.heard_at_least(1, 2_000).await;
    // The retry's backoff is cut short, as when the browser comes back online.
    back_online();
    bench.heard_at_least(2, 3_000).await;
    sleep_ms(200).await;
    assert_eq!(
        *bench.heard.borrow(),
        vec![
            (
                Form::Newsletter,
                Settled::Queued {
                    waiting: Waiting::OnlyThisPage
                }
            ),
            (
                Form::Newsletter,
                Settled::Delivered {
                    status: ReplyStatus::Accepted
                }
            ),
        ]
    );
    let received = endpoint.received.borrow();
    let attempts: Vec<u32> = received.iter().map(|outgoing| outgoing.attempt).collect();
    assert_eq!(attempts, [1, 2]);
    for outgoing in received.iter() {
        let body: serde_json::Value = serde_json::from_str(&outgoing.body).unwrap();
        assert_eq!(body["signals"]["attempt"], outgoing.attempt);
        assert_eq!(body["id"], received[0].id.as_str());
    }
    assert_eq!(
        *bench.events.borrow(),
        ["kudos:submit", "kudos:queued", "kudos:success"]
    );
}

#[wasm_bindgen_test]
async fn an_outcome_delivered_by_another_widgets_courier_reaches_the_form_waiting_on_it() {
    // Widget A's endpoint never takes anything; widget B's, the same URL, does.
    let refusing = ScriptedEndpoint::new(vec![http(503, "")]);
    let a = Bench::new(Rc::clone(&refusing));
    a.submit_newsletter();
    a.heard_at_least(1, 2_000).await;
    // B mounts on the same page: its courier's first flush delivers A's entry of the shared
    // outbox.
    let taking = ScriptedEndpoint::new(vec![http(201, r#"{"status":"accepted"}"#)]);
    let b = Bench::sharing(Rc::clone(&taking), Rc::clone(&a.store));
    for _ in 0..100 {
        if a.heard
            .borrow()
            .last()
            .is_some_and(|(_, settled)| matches!(settled, Settled::Delivered { .. }))
        {
            break;
        }
        sleep_ms(20).await;
    }
    sleep_ms(200).await;
    let heard = a.heard.borrow();
    let delivered: Vec<_> = heard
        .iter()
        .filter(|(_, settled)| matches!(settled, Settled::Delivered { .. }))
        .collect();
    assert_eq!(
        delivered,
        [&(
            Form::Newsletter,
            Settled::Delivered {
                status: ReplyStatus::Accepted
            }
        )],
        "{heard:?}"
    );
    assert_eq!(heard.last(), delivered.last().copied());
    // B's forms waited on nothing, and B's host announced nothing of A's.
    assert!(b.heard.borrow().is_empty(), "{:?}", b.heard.borrow());
    assert!(b.events.borrow().is_empty(), "{:?}", b.events.borrow());
    assert_eq!(
        a.events.borrow().last().map(String::as_str),
        Some("kudos:success")
    );
    assert_eq!(taking.received.borrow().len(), 1);
    assert_eq!(
        taking.received.borrow()[0].id,
        refusing.received.borrow()[0].id
    );
}
