//! What every browser test file needs: a widget mounted on its own host element, and the visitor's
//! gestures (typing, choosing, pressing keys, clicking) dispatched the way a browser reports them.
//!
//! Each test file is its own binary and uses part of this, hence `dead_code` is allowed here.
#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;

use kudos_widget::core::config::{Endpoint, RawConfig};
use kudos_widget::core::delivery::Reply;
use kudos_widget::core::outbox::Outgoing;
use kudos_widget::core::roster::StaffMember;
use kudos_widget::core::wall::{FeedError, WallPage};
use kudos_widget::shell::mount::{MountError, Mounted};
use kudos_widget::shell::ports::{LocalFuture, Transport, TransportError};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Element, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, ShadowRoot,
    Storage,
};

/// The page's document.
pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// The page's `localStorage`.
pub fn storage() -> Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// The stored value under `key`.
pub fn stored(key: &str) -> Option<String> {
    storage().get_item(key).unwrap()
}

/// Removes every widget key (demo store, drafts, outbox): each test starts with nothing typed,
/// queued or stored.
pub fn clear_widget_storage() {
    let storage = storage();
    let keys: Vec<String> = (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .filter(|key| key.starts_with("kudos-widget:"))
        .collect();
    for key in keys {
        storage.remove_item(&key).unwrap();
    }
}

/// Waits `ms` milliseconds of browser time.
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// A widget on a fresh host element, removed with its host when dropped.
pub struct Widget {
    pub host: Element,
    pub mounted: Option<Mounted>,
}

impl Widget {
    /// Mounts with `options` first and `defaults` after them (the first value of a repeated
    /// option wins), through `mount` (the real one, or one with a scripted transport).
    pub async fn mount_with(
        options: &[(&str, &str)],
        defaults: &[(&str, &str)],
        mount: impl FnOnce(&Element, &RawConfig) -> Result<Mounted, MountError>,
    ) -> Widget {
        let host = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&host).unwrap();
        let raw = RawConfig::from_pairs(options.iter().chain(defaults).copied());
        let mounted = mount(&host, &raw).expect("the test config mounts");
        yew::scheduler::flush().await;
        Widget {
            host,
            mounted: Some(mounted),
        }
    }

    pub fn root(&self) -> ShadowRoot {
        self.host.shadow_root().expect("an open shadow root")
    }

    pub fn find(&self, selector: &str) -> Option<Element> {
        self.root().query_selector(selector).unwrap()
    }

    pub fn get(&self, selector: &str) -> Element {
        self.find(selector)
            .unwrap_or_else(|| panic!("no element matches {selector}"))
    }

    pub fn text(&self, selector: &str) -> String {
        self.get(selector).text_content().unwrap_or_default()
    }

    pub fn count(&self, selector: &str) -> u32 {
        self.root().query_selector_all(selector).unwrap().length()
    }

    /// The value of an input or text area.
    pub fn value(&self, selector: &str) -> String {
        let element = self.get(selector);
        match element.dyn_ref::<HtmlInputElement>() {
            Some(input) => input.value(),
            None => element.unchecked_into::<HtmlTextAreaElement>().value(),
        }
    }

    /// Types `value` the way a browser reports typing: set the value, fire `input`.
    pub async fn type_into(&self, selector: &str, value: &str) {
        let element = self.get(selector);
        match element.dyn_ref::<HtmlInputElement>() {
            Some(input) => input.set_value(value),
            None => element
                .dyn_ref::<HtmlTextAreaElement>()
                .expect("an input or a textarea")
                .set_value(value),
        }
        let init = web_sys::InputEventInit::new();
        init.set_bubbles(true);
        let event = web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap();
        element.dispatch_event(&event).unwrap();
        yew::scheduler::flush().await;
    }

    /// Chooses a value in a select or date input the way a browser reports it: set, fire `change`.
    pub async fn choose(&self, selector: &str, value: &str) {
        let element = self.get(selector);
        match element.dyn_ref::<HtmlInputElement>() {
            Some(input) => input.set_value(value),
            None => element
                .dyn_ref::<HtmlSelectElement>()
                .expect("an input or a select")
                .set_value(value),
        }
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let event = web_sys::Event::new_with_event_init_dict("change", &init).unwrap();
        element.dispatch_event(&event).unwrap();
        yew::scheduler::flush().await;
    }

    /// Presses `key` in the element.
    pub async fn key(&self, selector: &str, key: &str) {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        self.get(selector).dispatch_event(&event).unwrap();
        yew::scheduler::flush().await;
    }

    /// Moves focus out of the element (fires `blur`).
    pub async fn blur(&self, selector: &str) {
        let init = web_sys::FocusEventInit::new();
        let event = web_sys::FocusEvent::new_with_focus_event_init_dict("blur", &init).unwrap();
        self.get(selector).dispatch_event(&event).unwrap();
        yew::scheduler::flush().await;
    }

    pub async fn click(&self, selector: &str) {
        self.get(selector).unchecked_into::<HtmlElement>().click();
        yew::scheduler::flush().await;
    }

    /// Waits (at most ~2 s) until `selector` matches, for outcomes that arrive through a future.
    pub async fn wait_for(&self, selector: &str) -> Element {
        self.wait_up_to(200, selector).await
    }

    /// Waits (at most ~5 s) until `selector` matches, for outcomes behind the submit throttle.
    pub async fn wait_long_for(&self, selector: &str) -> Element {
        self.wait_up_to(500, selector).await
    }

    async fn wait_up_to(&self, tries: u32, selector: &str) -> Element {
        for _ in 0..tries {
            if let Some(element) = self.find(selector) {
                return element;
            }
            sleep_ms(10).await;
            yew::scheduler::flush().await;
        }
        panic!("{selector} never appeared");
    }

    /// Unmounts and removes the host now (dropping does the same).
    pub fn close(mut self) {
        self.take_down();
    }

    fn take_down(&mut self) {
        if let Some(mounted) = self.mounted.take() {
            mounted.unmount();
        }
        self.host.remove();
    }
}

impl Drop for Widget {
    fn drop(&mut self) {
        self.take_down();
    }
}

/// A receiving side that answers each attempt with the next of `replies` (the last one again
/// once they run out) and keeps what it was given.
pub struct ScriptedEndpoint {
    replies: Vec<Reply>,
    /// Every attempt it was given, in order.
    pub received: RefCell<Vec<Outgoing>>,
}

impl ScriptedEndpoint {
    pub fn new(replies: Vec<Reply>) -> Rc<ScriptedEndpoint> {
        Rc::new(ScriptedEndpoint {
            replies,
            received: RefCell::new(Vec::new()),
        })
    }
}

/// An HTTP reply with no `Retry-After`.
pub fn http(status: u16, body: &str) -> Reply {
    Reply::Http {
        status,
        retry_after: None,
        body: body.to_owned(),
    }
}

impl Transport for ScriptedEndpoint {
    fn submit(&self, outgoing: Outgoing) -> LocalFuture<Reply> {
        let mut received = self.received.borrow_mut();
        let reply = self.replies[received.len().min(self.replies.len() - 1)].clone();
        received.push(outgoing);
        Box::pin(async move { reply })
    }

    fn wall_page(
        &self,
        _cursor: Option<String>,
    ) -> Option<LocalFuture<Result<WallPage, FeedError>>> {
        None
    }

    fn staff_roster(
        &self,
        _url: &Endpoint,
    ) -> LocalFuture<Result<Vec<StaffMember>, TransportError>> {
        Box::pin(async { Ok(Vec::new()) })
    }
}
