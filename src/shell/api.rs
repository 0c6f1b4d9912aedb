//! The JavaScript API: what the loader (and a site owner's own script) can call.

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
}

/// Turns `{ mode: "demo", endpoint: "…" }` into attribute pairs. Strings are taken as they are;
/// booleans and numbers as their text, so `{ "data-x": true }`-style objects work too.
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
            .or_else(|| value.as_f64().map(|n| n.to_string()))?;
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
