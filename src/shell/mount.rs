//! Puts a widget on a host element: validated config, an open shadow root, the compiled-in
//! stylesheets adopted into it, and the yew app rendered inside.
//!
//! Styles go through constructable stylesheets (`adoptedStyleSheets`), which a strict
//! `style-src` does not block, unlike `<style>` elements and `style=""` attributes.

use std::fmt;
use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, Element, ShadowRoot, ShadowRootInit, ShadowRootMode};
use yew::AppHandle;

use crate::core::config::{Config, ConfigError, Mode, RawConfig};
use crate::core::i18n::{negotiate, Lang, Strings};
use crate::core::praise::PraiseRules;
use crate::shell::components::{App, AppProps, WidgetContext};
use crate::shell::platform::{self, BrowserUrls};
use crate::shell::storage::{BrowserStore, Store};
use crate::shell::transport::{DemoTransport, HttpTransport, Transport};

/// The widget's stylesheets, compiled in: design tokens (the `--kudos-*` theme) first, then the
/// components.
const STYLESHEETS: [&str; 2] = [
    include_str!("../../styles/tokens.css"),
    include_str!("../../styles/widget.css"),
];

/// Why a widget could not be mounted.
#[derive(Debug)]
pub enum MountError {
    /// The owner's attributes are wrong; the message names the attribute.
    Config(ConfigError),
    /// The host element already carries a widget (or another shadow root with content).
    AlreadyMounted,
    /// The browser refused a DOM call (a very old browser, or a host element that cannot have a
    /// shadow root, such as `<input>`).
    Browser(String),
}

impl fmt::Display for MountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MountError::Config(error) => write!(f, "{error} Nothing was mounted."),
            MountError::AlreadyMounted => {
                f.write_str("this element already holds a widget; unmount it first.")
            }
            MountError::Browser(detail) => {
                write!(f, "the browser refused to set up the widget: {detail}")
            }
        }
    }
}

fn browser_error(what: &str, error: JsValue) -> MountError {
    MountError::Browser(format!("{what}: {error:?}"))
}

/// A widget on the page. Dropping it leaves the widget in place; [`Mounted::unmount`] removes it.
pub struct Mounted {
    app: AppHandle<App>,
    container: Element,
}

impl Mounted {
    /// Removes the widget's DOM and its listeners; the host element can be mounted again.
    pub fn unmount(self) {
        self.app.destroy();
        self.container.remove();
    }
}

/// The host's open shadow root, made on first use. A shadow root cannot be removed, so an
/// unmounted host keeps an empty one, which the next mount reuses.
fn shadow_root_of(host: &Element) -> Result<ShadowRoot, MountError> {
    match host.shadow_root() {
        Some(root) if root.child_element_count() == 0 => Ok(root),
        Some(_) => Err(MountError::AlreadyMounted),
        None => host
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .map_err(|e| browser_error("attachShadow", e)),
    }
}

fn adopt_stylesheets(root: &ShadowRoot) -> Result<(), MountError> {
    let sheets = js_sys::Array::new();
    for css in STYLESHEETS {
        let sheet = CssStyleSheet::new().map_err(|e| browser_error("CSSStyleSheet", e))?;
        sheet
            .replace_sync(css)
            .map_err(|e| browser_error("replaceSync", e))?;
        sheets.push(&sheet);
    }
    root.set_adopted_style_sheets(&sheets);
    Ok(())
}

/// Validates `raw` and mounts a widget into `host`, with the transport its mode calls for.
pub fn mount(host: &Element, raw: &RawConfig) -> Result<Mounted, MountError> {
    mount_with_transport(host, raw, |config, lang| match &config.mode {
        Mode::Demo => Rc::new(
            DemoTransport::new(Rc::new(BrowserStore::new()), lang)
                .simulating(config.demo_failure, config.demo_latency_ms),
        ),
        Mode::Live { endpoint } => Rc::new(
            HttpTransport::new(endpoint.clone(), config.wall_url.clone())
                .with_timeout(config.attempt_timeout_ms),
        ),
    })
}

/// Validates `raw` and mounts a widget into `host` with the transport `make_transport` builds
/// for the validated config and language (tests use it to script a receiving side).
pub fn mount_with_transport(
    host: &Element,
    raw: &RawConfig,
    make_transport: impl FnOnce(&Config, Lang) -> Rc<dyn Transport>,
) -> Result<Mounted, MountError> {
    let (config, warnings) = Config::from_raw(raw, &BrowserUrls).map_err(MountError::Config)?;
    for warning in warnings {
        platform::console_warn(&warning.to_string());
    }
    let root = shadow_root_of(host)?;
    adopt_stylesheets(&root)?;
    let document = host
        .owner_document()
        .ok_or_else(|| MountError::Browser("the host element has no document".into()))?;
    let container = document
        .create_element("div")
        .map_err(|e| browser_error("createElement", e))?;
    container.set_class_name("kudos-root");
    root.append_child(&container)
        .map_err(|e| browser_error("appendChild", e))?;

    let lang = negotiate(config.lang.as_deref(), &platform::browser_languages());
    let strings = Strings::with_overrides(lang, config.texts.clone());
    // The outbox and the draft autosave keep what is not delivered yet here (with a memory
    // fallback when the browser refuses storage).
    let store: Rc<dyn Store> = Rc::new(BrowserStore::new());
    let transport = make_transport(&config, lang);
    let praise_rules = Rc::new(PraiseRules::new(
        &config,
        config.roster.clone(),
        platform::today(),
    ));
    let context = WidgetContext {
        config: Rc::new(config),
        transport,
        store,
        strings,
        praise_rules,
    };
    let app = yew::Renderer::<App>::with_root_and_props(
        container.clone().unchecked_into(),
        AppProps { context },
    )
    .render();
    Ok(Mounted { app, container })
}
