//! What the core needs from the browser, reached through the APIs it already has: the core's
//! [`Platform`] (lower case, NFD and the WHATWG URL parser, so no Unicode tables or URL parser are
//! linked into the wasm), the cryptographic random source, the clock and the visitor's languages.

use wasm_bindgen::JsValue;

use crate::core::envelope::{Signals, Site, Stamp};
use crate::core::i18n::{long_date, Lang};
use crate::core::platform::{Platform, PlatformRef, UrlParts};

/// The core's platform in the browser: JavaScript's `String.prototype.toLowerCase` and
/// `normalize("NFD")`, and the browser's own `URL`, resolving relative URLs against the host page's
/// address.
pub struct Browser;

/// The browser platform as the core keeps it.
pub fn browser() -> PlatformRef {
    PlatformRef::new(&Browser)
}

impl Platform for Browser {
    fn lowercase(&self, text: &str) -> String {
        js_sys::JsString::from(text).to_lower_case().into()
    }

    fn nfd(&self, text: &str) -> String {
        String::from(js_sys::JsString::from(text).normalize("NFD"))
    }

    fn parse_url(&self, input: &str) -> Option<UrlParts> {
        let base = web_sys::window()?.location().href().ok()?;
        let url = web_sys::Url::new_with_base(input, &base).ok()?;
        Some(UrlParts {
            href: url.href(),
            protocol: url.protocol(),
            hostname: url.hostname(),
            has_credentials: !url.username().is_empty() || !url.password().is_empty(),
        })
    }
}

/// Random bytes for an id, the current time and the page, taken at the moment of submitting,
/// with the form's spam `signals`; the widget speaks `language`.
///
/// `crypto.getRandomValues` works on plain-http pages too (unlike `crypto.randomUUID`).
pub fn stamp(language: &str, signals: Signals) -> Stamp {
    let mut random = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        // It only fails for buffers over 64 KiB; 16 bytes cannot.
        let _ = crypto.get_random_values_with_u8_array(&mut random);
    }
    Stamp {
        random,
        now: String::from(js_sys::Date::new_0().to_iso_string()),
        site: site(language),
        signals,
    }
}

/// The page the widget is on: its address (the core drops query and fragment), its title.
fn site(language: &str) -> Site {
    let window = web_sys::window();
    let href = window
        .as_ref()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let title = window
        .and_then(|w| w.document())
        .map(|d| d.title())
        .unwrap_or_default();
    Site::new(&href, &title, language)
}

/// The browser clock, in Unix milliseconds.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// A uniform random number in `[0, 1)` for retry jitter (no need for a cryptographic source).
pub fn random_unit() -> f64 {
    js_sys::Math::random()
}

/// Whether the browser believes it is online (`navigator.onLine`).
pub fn is_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Resolves after `ms` milliseconds (`setTimeout`).
pub async fn sleep_ms(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                ms.min(i32::MAX as u32) as i32,
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The visitor's preferred languages, most preferred first (`navigator.languages`).
pub fn browser_languages() -> Vec<String> {
    web_sys::window()
        .map(|w| w.navigator().languages())
        .map(|list| list.iter().filter_map(|tag| tag.as_string()).collect())
        .unwrap_or_default()
}

/// Formats a day (`YYYY-MM-DD`) or a timestamp (RFC 3339) as a date in the visitor's language
/// ("November 24, 2026" / "24 novembre 2026"); empty when it is neither.
pub fn format_date(date: &str, lang: Lang) -> String {
    let parts: Vec<u32> = date
        .split('-')
        .filter_map(|part| part.parse().ok())
        .collect();
    let day = match parts[..] {
        // A bare day is already the local day.
        [year, month, day] if date.len() == 10 => i32::try_from(year).ok().map(|y| (y, month, day)),
        // A timestamp is an instant: the visitor's day is the browser's local date of it.
        _ => {
            let instant = js_sys::Date::new(&JsValue::from_str(date));
            (!instant.get_time().is_nan()).then(|| {
                (
                    instant.get_full_year() as i32,
                    instant.get_month() + 1,
                    instant.get_date(),
                )
            })
        }
    };
    day.and_then(|(year, month, day)| long_date(lang, year, month, day))
        .unwrap_or_default()
}

/// Writes a developer message to the console, prefixed so owners can filter for it.
pub fn console_warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(&format!("[kudos-widget] {message}")));
}

/// Writes a developer note to the console (information, not a problem).
pub fn console_info(message: &str) {
    web_sys::console::info_1(&JsValue::from_str(&format!("[kudos-widget] {message}")));
}

/// Today's date in the visitor's time zone, `YYYY-MM-DD` (what `<input type="date">` uses).
pub fn today() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}

#[cfg(test)]
mod browser_tests {
    use super::Browser;
    use crate::core::platform::tests::NATIVE;
    use crate::core::platform::Platform;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    // The library's own wasm tests run in Chromium, not Node: `URL` needs the page's `location`.
    wasm_bindgen_test_configure!(run_in_browser);

    /// Texts whose lower case or NFD is not plain ASCII work: final sigma, dotted capital I,
    /// sharp s, precomposed and stacked accents, Hangul.
    const TEXTS: [&str; 9] = [
        "Shop.EXAMPLE",
        "ÉCOLE.CA",
        "ΟΔΟΣ.GR",
        "İSTANBUL.TR",
        "ß.DE",
        "ZOÉ Côté",
        "Ὀδυσσεύς",
        "ệ ǖ Å",
        "한국어",
    ];

    #[wasm_bindgen_test]
    fn browser_lower_case_and_nfd_are_the_native_platforms() {
        for text in TEXTS {
            assert_eq!(Browser.lowercase(text), NATIVE.lowercase(text), "{text}");
            assert_eq!(Browser.nfd(text), NATIVE.nfd(text), "{text}");
        }
    }

    #[wasm_bindgen_test]
    fn browser_urls_are_the_native_platforms_for_absolute_urls() {
        // Absolute only: relative URLs resolve against different pages (the test runner's, and
        // the native tests' shop.example).
        for url in [
            "https://api.example/kudos",
            "HTTPS://API.Example:443/a/../b?q=1#f",
            "http://[::1]:9000/k",
            "http://user:secret@api.example/k",
            "https://:pw@api.example/",
            "javascript:alert(1)",
            "data:text/html,hi",
            "https://xn--cole-9oa.ca/",
            "https://école.ca/",
            "https://",
            // (Chromium accepts a space in a host name, where the standard does not: not used.)
            "http://[::1/",
        ] {
            assert_eq!(Browser.parse_url(url), NATIVE.parse_url(url), "{url}");
        }
    }
}
