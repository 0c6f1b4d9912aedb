//! Unicode text helpers that the browser already has.
//!
//! Rust's `str::to_lowercase` links its Unicode case tables into the wasm (about 5 KB brotli,
//! docs/size-log.md); JavaScript's `String.prototype.toLowerCase` is the same Unicode mapping
//! (final sigma included) and costs nothing. This is the one place the core reaches a JavaScript
//! built-in (js-sys, not the DOM), and natively it is Rust's own, so the core stays testable.
//!
//! Also [`join`], the widget's one way of joining strings.

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

/// `parts` with `separator` between them, like `[S]::join`.
///
/// Size: the standard `join` is a 1.2 KB routine per element type (`String` and `&str` both
/// appeared); this loop is a tenth of that (measured in docs/size-log.md).
pub fn join<S: AsRef<str>>(parts: &[S], separator: &str) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(part.as_ref());
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn join_is_the_standard_join() {
        for parts in [vec![], vec!["a"], vec!["a", "", "b c"]] {
            assert_eq!(super::join(&parts, ", "), parts.join(", "));
            let owned: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
            assert_eq!(super::join(&owned, " \u{b7} "), owned.join(" \u{b7} "));
        }
    }
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
