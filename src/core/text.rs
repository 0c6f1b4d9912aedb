//! Unicode text helpers that the browser already has.
//!
//! Rust's `str::to_lowercase` links its Unicode case tables into the wasm (about 5 KB brotli,
//! docs/size-log.md); JavaScript's `String.prototype.toLowerCase` is the same Unicode mapping
//! (final sigma included) and costs nothing. This is the one place the core reaches a JavaScript
//! built-in (js-sys, not the DOM), and natively it is Rust's own, so the core stays testable.

/// Unicode lower case of `text`.
#[cfg(target_arch = "wasm32")]
pub fn lower_case(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}

/// Unicode lower case of `text`.
#[cfg(not(target_arch = "wasm32"))]
pub fn lower_case(text: &str) -> String {
    text.to_lowercase()
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn browser_lower_case_is_rusts() {
        for text in [
            "Shop.EXAMPLE",
            "ÉCOLE.CA",
            "ΟΔΟΣ.GR",
            "İSTANBUL.TR",
            "ß.DE",
            "ZOÉ Côté",
        ] {
            assert_eq!(super::lower_case(text), text.to_lowercase(), "{text}");
        }
    }
}
