//! Puts a widget on a host element: validated config, an open shadow root, the compiled-in
//! stylesheets adopted into it, and the yew app rendered inside.
//!
//! Styles go through constructable stylesheets (`adoptedStyleSheets`), which a strict
//! `style-src` does not block, unlike `<style>` elements and `style=""` attributes. The owner's
//! accent becomes one more generated sheet (see `core::theme`); the colour scheme is an attribute
//! on the host that tokens.css selects on.
//!
//! After mounting, the host page can change the theme, the language and the form's prefill: the
//! theme is only the host attribute; the other two re-render the app with new properties
//! (`AppHandle::update`), so data still flows one way, from props down.

use std::fmt;
use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, Element, ShadowRoot, ShadowRootInit, ShadowRootMode};
use yew::AppHandle;

use crate::core::config::{Config, ConfigError, Mode, RawConfig, Theme};
use crate::core::i18n::{negotiate, Lang, Strings};
use crate::core::praise::PraiseRules;
use crate::core::theme::{AccentPalette, THEME_ATTRIBUTE};
use crate::shell::components::{App, AppProps, Prefill, WidgetContext};
use crate::shell::delivery::{deliver_orphans, DeliveryService};
use crate::shell::events::{Events, WidgetEvent};
use crate::shell::platform;
use crate::shell::ports::{Store, Transport};
use crate::shell::storage::BrowserStore;
use crate::shell::transport::{DemoTransport, HttpTransport};

/// The widget's stylesheets, compiled in: design tokens (the `--kudos-*` theme) first, then the
/// components. Minified copies of styles/*.css written by build.rs (size: comments and
/// indentation stay out of the wasm).
const STYLESHEETS: [&str; 2] = [
    include_str!(concat!(env!("OUT_DIR"), "/tokens.css")),
    include_str!(concat!(env!("OUT_DIR"), "/widget.css")),
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
    host: Element,
    root: ShadowRoot,
    container: Element,
    /// What the app was last rendered with, so one property can change at a time.
    props: AppProps,
}

impl Mounted {
    /// Removes the widget's DOM, its listeners, its stylesheets and its theme attribute; the host
    /// element can be mounted again.
    pub fn unmount(self) {
        self.props.context.delivery.stop();
        self.app.destroy();
        self.container.remove();
        self.root.set_adopted_style_sheets(&js_sys::Array::new());
        let _ = self.host.remove_attribute(THEME_ATTRIBUTE);
    }

    /// Switches the colour scheme (`light`, `dark` or `auto`); anything else is refused with a
    /// warning naming the accepted values.
    pub fn set_theme(&self, theme: &str) {
        match Theme::from_keyword(theme) {
            Some(theme) => set_theme_attribute(&self.host, theme),
            None => platform::console_warn(&format!(
                "setTheme(\"{theme}\") is not a theme; use \"light\", \"dark\" or \"auto\"."
            )),
        }
    }

    /// Switches the language, negotiated like `data-lang` (`fr-CA`, any `fr-*`, `en`). The
    /// owner's `data-text-*` overrides stay.
    pub fn set_locale(&mut self, tag: &str) {
        let lang = negotiate(Some(tag), &platform::browser_languages());
        let texts = self.props.context.config.texts.clone();
        self.props.context.strings = Strings::with_overrides(lang, texts);
        self.app.update(self.props.clone());
    }

    /// Puts a staff member (roster id or name) and a location into the praise form.
    pub fn prefill(&mut self, staff: Option<String>, location: Option<String>) {
        let revision = self.props.prefill.revision + 1;
        self.props.prefill = Prefill {
            staff,
            location,
            revision,
        };
        self.app.update(self.props.clone());
    }
}

fn set_theme_attribute(host: &Element, theme: Theme) {
    let _ = host.set_attribute(THEME_ATTRIBUTE, theme.keyword());
}

/// The host's open shadow root, made on first use. A shadow root cannot be removed, so an
/// unmounted host keeps an empty one, which the next mount reuses. The loader may have put a
/// loading or fallback message in it: that goes; a widget already there is an error.
fn shadow_root_of(host: &Element) -> Result<ShadowRoot, MountError> {
    match host.shadow_root() {
        Some(root) => {
            if root
                .query_selector(":scope > .kudos-root")
                .ok()
                .flatten()
                .is_some()
            {
                return Err(MountError::AlreadyMounted);
            }
            while let Some(child) = root.first_child() {
                let _ = root.remove_child(&child);
            }
            Ok(root)
        }
        None => host
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .map_err(|e| browser_error("attachShadow", e)),
    }
}

/// Adopts the compiled-in sheets, then the owner's accent sheet if any (replacing whatever the
/// loader adopted to reserve space).
fn adopt_stylesheets(root: &ShadowRoot, accent: Option<AccentPalette>) -> Result<(), MountError> {
    let sheets = js_sys::Array::new();
    let accent_css = accent.map(|palette| palette.stylesheet());
    for css in STYLESHEETS.iter().copied().chain(accent_css.as_deref()) {
        let sheet = CssStyleSheet::new().map_err(|e| browser_error("CSSStyleSheet", e))?;
        sheet
            .replace_sync(css)
            .map_err(|e| browser_error("replaceSync", e))?;
        sheets.push(&sheet);
    }
    root.set_adopted_style_sheets(&sheets);
    Ok(())
}

/// `?kudos-staff=<id>` on the page's address: a QR code at a counter opens the form with that
/// member already chosen.
fn prefill_from_page_url() -> Prefill {
    let staff = web_sys::window()
        .and_then(|window| window.location().href().ok())
        .and_then(|href| web_sys::Url::new(&href).ok())
        .and_then(|url| url.search_params().get("kudos-staff"))
        .map(|id| id.trim().to_owned())
        .filter(|id| !id.is_empty());
    Prefill {
        staff,
        ..Prefill::default()
    }
}

/// Validates `raw` and mounts a widget into `host`, with the transport its mode calls for.
pub fn mount(host: &Element, raw: &RawConfig) -> Result<Mounted, MountError> {
    let mut live = None;
    let mounted = mount_with_transport(host, raw, |config, lang| match &config.mode {
        Mode::Demo => Rc::new(
            DemoTransport::new(Rc::new(BrowserStore::new()), lang)
                .simulating(config.demo_failure, config.demo_latency_ms),
        ),
        Mode::Live { endpoint } => {
            live = Some((endpoint.clone(), config.attempt_timeout_ms));
            Rc::new(
                HttpTransport::new(endpoint.clone(), config.wall_url.clone())
                    .with_timeout(config.attempt_timeout_ms)
                    .with_provider(config.provider.clone()),
            )
        }
    })?;
    // What earlier pages queued for an endpoint the owner has since replaced.
    if let Some((endpoint, timeout_ms)) = live {
        deliver_orphans(Rc::new(BrowserStore::new()), &endpoint, timeout_ms);
    }
    Ok(mounted)
}

/// Validates `raw` and mounts a widget into `host` with the transport `make_transport` builds
/// for the validated config and language (tests use it to script a receiving side).
pub fn mount_with_transport(
    host: &Element,
    raw: &RawConfig,
    make_transport: impl FnOnce(&Config, Lang) -> Rc<dyn Transport>,
) -> Result<Mounted, MountError> {
    let (config, warnings) =
        Config::from_raw(raw, platform::browser()).map_err(MountError::Config)?;
    for warning in warnings {
        platform::console_warn(&warning.to_string());
    }
    let root = shadow_root_of(host)?;
    adopt_stylesheets(&root, config.accent.map(AccentPalette::of))?;
    set_theme_attribute(host, config.theme);
    let document = host
        .owner_document()
        .ok_or_else(|| MountError::Browser("the host element has no document".into()))?;
    let container = document
        .create_element("div")
        .map_err(|e| browser_error("createElement", e))?;
    container.set_class_name("kudos-root");
    // `direction` is inherited through the shadow boundary and `all: initial` leaves it alone, so
    // an RTL host page would mirror the widget. Every language the widget speaks is LTR.
    let _ = container.set_attribute("dir", "ltr");
    root.append_child(&container)
        .map_err(|e| browser_error("appendChild", e))?;

    let lang = negotiate(config.lang.as_deref(), &platform::browser_languages());
    let strings = Strings::with_overrides(lang, config.texts.clone());
    let transport = make_transport(&config, lang);
    let praise_rules = Rc::new(PraiseRules::new(
        &config,
        config.roster.clone(),
        platform::today(),
    ));
    let demo = config.mode == Mode::Demo;
    if demo {
        // Said once per widget, as information: a demo on purpose is not a mistake.
        platform::console_info(
            "demo mode: submissions stay in this browser (localStorage) and nothing is sent; set \
             data-endpoint to go live",
        );
        if config.staff_url.is_some() {
            platform::console_info(
                "demo mode: data-staff-url is not fetched; the demo's made-up roster stands in",
            );
        }
    }
    let events = Events::new(host.clone(), config.widget, demo);
    // The outbox and the draft autosave keep what is not delivered yet here (with a memory
    // fallback when the browser refuses storage).
    let store: Rc<dyn Store> = Rc::new(BrowserStore::new());
    let delivery = DeliveryService::new(store, Rc::clone(&transport), &config.mode, events.clone());
    delivery.start();
    let context = WidgetContext {
        config: Rc::new(config),
        transport,
        delivery,
        strings,
        praise_rules,
    };
    let props = AppProps {
        context,
        prefill: prefill_from_page_url(),
    };
    let app = yew::Renderer::<App>::with_root_and_props(
        container.clone().unchecked_into(),
        props.clone(),
    )
    .render();
    // `kudos:ready` once the first render is in the DOM, so a host listening for it finds the form
    // there. `render()` queued yew's scheduler as a microtask, and the scheduler yields to the
    // browser only when no DOM work is pending, so this task, queued after it, runs with the whole
    // form built; an effect would wait for that yield, a frame and a timer later.
    let ready = events.clone();
    wasm_bindgen_futures::spawn_local(async move { ready.emit(WidgetEvent::Ready) });
    Ok(Mounted {
        app,
        host: host.clone(),
        root,
        container,
        props,
    })
}
