//! The JavaScript API: what the loader (and a site owner's own script) can call.
//!
//! Site owners use `window.Kudos` from loader/kudos.js, which wraps these: the loader's handle
//! queues calls made before the wasm has loaded and forwards them here.

use wasm_bindgen::prelude::*;
use web_sys::Element;

use crate::core::config::RawConfig;
use crate::shell::mount::{self, Mounted};

/// A mounted widget, as JavaScript holds it.
#[wasm_bindgen]
pub struct MountedWidget {
    inner: Option<Mounted>,
}

#[wasm_bindgen]
impl MountedWidget {
    /// Removes the widget from its host element. Calling it twice does nothing.
    pub fn unmount(&mut self) {
        if let Some(mounted) = self.inner.take() {
            mounted.unmount();
        }
    }

    /// `light`, `dark` or `auto` (follows the visitor's system setting live).
    #[wasm_bindgen(js_name = setTheme)]
    pub fn set_theme(&self, theme: &str) {
        if let Some(mounted) = &self.inner {
            mounted.set_theme(theme);
        }
    }

    /// A language tag such as `fr-CA`, negotiated like `data-lang`.
    #[wasm_bindgen(js_name = setLocale)]
    pub fn set_locale(&mut self, tag: &str) {
        if let Some(mounted) = &mut self.inner {
            mounted.set_locale(tag);
        }
    }

    /// `{ staff, location }`: a roster id (or a name) and a location to put in the praise form.
    pub fn prefill(&mut self, values: JsValue) {
        let field = |name: &str| {
            js_sys::Reflect::get(&values, &name.into())
                .ok()
                .and_then(|value| value.as_string())
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        };
        let (staff, location) = (field("staff"), field("location"));
        if let Some(mounted) = &mut self.inner {
            mounted.prefill(staff, location);
        }
    }
}

/// Turns `{ mode: "demo", endpoint: "…" }` into attribute pairs. Strings are taken as they are;
/// booleans and numbers as their text, so `{ "data-x": true }`-style objects work too; arrays and
/// objects (`staff: [{ id, name }]`) as JSON, which is what the attribute form takes.
fn options_to_raw(options: &JsValue) -> RawConfig {
    let Some(object) = options.dyn_ref::<js_sys::Object>() else {
        return RawConfig::default();
    };
    let entries = js_sys::Object::entries(object);
    let pairs = entries.iter().filter_map(|entry| {
        let entry: js_sys::Array = entry.unchecked_into();
        let name = entry.get(0).as_string()?;
        let value = entry.get(1);
        let value = value
            .as_string()
            .or_else(|| value.as_bool().map(|b| b.to_string()))
            .or_else(|| {
                // JavaScript's own number formatting: `f64`'s `Display` was the last user of
                // Rust's float formatting in the wasm (docs/size-log.md).
                value.as_f64()?;
                let number: &js_sys::Number = value.unchecked_ref();
                number.to_string_with_radix(10).ok().map(String::from)
            })
            .or_else(|| {
                value
                    .is_object()
                    .then(|| js_sys::JSON::stringify(&value).ok())
                    .flatten()
                    .map(String::from)
            })?;
        let name = name.strip_prefix("data-").unwrap_or(&name).to_owned();
        Some((name, value))
    });
    RawConfig::from_pairs(pairs)
}

/// Mounts a widget into `host` with `options` (the script tag's `data-*` attributes, without the
/// prefix). Throws an `Error` whose message names the attribute at fault.
#[wasm_bindgen]
pub fn mount(host: Element, options: JsValue) -> Result<MountedWidget, JsError> {
    mount::mount(&host, &options_to_raw(&options))
        .map(|mounted| MountedWidget {
            inner: Some(mounted),
        })
        .map_err(|error| JsError::new(&error.to_string()))
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use wasm_bindgen::JsValue;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn option_values_become_the_text_an_attribute_would_hold() {
        let options = js_sys::Object::new();
        let set = |name: &str, value: JsValue| {
            js_sys::Reflect::set(&options, &name.into(), &value).unwrap();
        };
        set("data-demo-latency", JsValue::from_f64(1500.0));
        set("half", JsValue::from_f64(2.5));
        set("negative", JsValue::from_f64(-3.0));
        set("on", JsValue::TRUE);
        set("mode", "demo".into());
        set("tags", js_sys::Array::of2(&"a".into(), &"b".into()).into());
        let raw = super::options_to_raw(&options);
        // Numbers read as Rust's `f64` `Display` wrote them before JavaScript formatted them.
        assert_eq!(
            raw.get("demo-latency"),
            Some(1500.0_f64.to_string().as_str())
        );
        assert_eq!(raw.get("half"), Some("2.5"));
        assert_eq!(raw.get("negative"), Some("-3"));
        assert_eq!(raw.get("on"), Some("true"));
        assert_eq!(raw.get("mode"), Some("demo"));
        assert_eq!(raw.get("tags"), Some(r#"["a","b"]"#));
    }
}
