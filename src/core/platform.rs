//! What the core needs from the platform it runs on: Unicode lower case, Unicode NFD and the WHATWG
//! URL parser.
//!
//! The browser has all three for free (`String.prototype.toLowerCase`, `normalize("NFD")`, `URL`);
//! their Rust counterparts would link Unicode tables and a URL parser into the wasm (about 5 KB,
//! 43 KB and 60 KB brotli, docs/size-log.md). So the core never calls them itself: it is handed one
//! [`Platform`] — once, with the attributes, in [`Config::from_raw`](crate::core::config::Config::from_raw)
//! — and everything read from that configuration (the form rules, the roster matching) goes
//! through it. The browser's implementation is `shell::platform::Browser`; the native tests' is
//! [`tests::Native`], built on the `url` and `unicode-normalization` crates (dev-dependencies, never
//! in the wasm).

use std::any::TypeId;
use std::fmt;
use std::ops::Deref;

/// What the browser's URL parser says about a string: the parts the URL rules look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts {
    /// The serialised, absolute URL (`href`).
    pub href: String,
    /// The scheme with its colon, lower-case, as `URL.protocol` gives it (`"https:"`).
    pub protocol: String,
    /// The host name without port; IPv6 addresses keep their brackets (`"[::1]"`).
    pub hostname: String,
    /// True when the URL carries a user name or password.
    pub has_credentials: bool,
}

/// The Unicode and URL services the core borrows from the platform.
pub trait Platform {
    /// Unicode lower case of `text` (final sigma included), as `String.prototype.toLowerCase`.
    fn lowercase(&self, text: &str) -> String;

    /// `text` in Unicode normalisation form D (accents split off as combining marks).
    fn nfd(&self, text: &str) -> String;

    /// Resolves `input` (absolute, or relative to the host page) the way the WHATWG `URL` does,
    /// or `None` when it is not a URL at all.
    fn parse_url(&self, input: &str) -> Option<UrlParts>;
}

/// The platform a configuration was read with, kept in it (and in the form rules made from it) so
/// nothing downstream needs it handed in again.
///
/// Two handles are equal when their platforms are of the same type (platforms are stateless
/// services: two of one type behave alike). The type is noted when the handle is made, since a
/// `dyn Platform` no longer tells it, and its address does not either (zero-sized types share one).
#[derive(Clone, Copy)]
pub struct PlatformRef {
    platform: &'static dyn Platform,
    kind: TypeId,
}

impl PlatformRef {
    /// A handle on `platform`.
    pub fn new<P: Platform>(platform: &'static P) -> Self {
        PlatformRef {
            platform,
            kind: TypeId::of::<P>(),
        }
    }
}

impl Deref for PlatformRef {
    type Target = dyn Platform;

    fn deref(&self) -> &Self::Target {
        self.platform
    }
}

impl PartialEq for PlatformRef {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

impl Eq for PlatformRef {}

impl fmt::Debug for PlatformRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlatformRef")
    }
}

/// The native platform of the host tests (and the oracle the browser's is checked against).
#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    /// Rust's `to_lowercase`, `unicode-normalization`'s NFD and the `url` crate (the WHATWG URL
    /// standard), resolving relative URLs against the page `https://shop.example/thanks/`.
    pub(crate) struct Native;

    /// The native platform as the core keeps it.
    pub(crate) const NATIVE: &Native = &Native;

    impl Platform for Native {
        fn lowercase(&self, text: &str) -> String {
            text.to_lowercase()
        }

        fn nfd(&self, text: &str) -> String {
            text.nfd().collect()
        }

        fn parse_url(&self, input: &str) -> Option<UrlParts> {
            let base = url::Url::parse("https://shop.example/thanks/").ok()?;
            let parsed = base.join(input).ok()?;
            Some(UrlParts {
                href: parsed.as_str().to_owned(),
                protocol: format!("{}:", parsed.scheme()),
                hostname: parsed.host_str().unwrap_or_default().to_owned(),
                has_credentials: !parsed.username().is_empty() || parsed.password().is_some(),
            })
        }
    }

    /// A second platform object, to tell handles apart.
    struct Other;

    impl Platform for Other {
        fn lowercase(&self, text: &str) -> String {
            text.to_owned()
        }

        fn nfd(&self, text: &str) -> String {
            text.to_owned()
        }

        fn parse_url(&self, _: &str) -> Option<UrlParts> {
            None
        }
    }

    #[test]
    fn handles_are_equal_only_on_the_same_platform() {
        assert_eq!(PlatformRef::new(NATIVE), PlatformRef::new(&Native));
        assert_ne!(PlatformRef::new(NATIVE), PlatformRef::new(&Other));
    }
}
