//! From the attributes a site owner wrote to a validated [`Config`].
//!
//! The loader hands over every `data-*` attribute of the script tag as given (name without the
//! `data-` prefix, value as a string): that is [`RawConfig`]. [`Config::from_raw`] turns it into typed
//! settings or a [`ConfigError`] naming the attribute at fault, so the owner sees one clear console
//! message instead of a half-working widget.
//!
//! URLs are parsed by the browser's own WHATWG parser in the shell (linking the `url` crate would
//! double the wasm); the rules here work on the parts it returns, [`UrlParts`].

use std::fmt;

/// Attribute names (without `data-`) the widget reads itself.
const KNOWN_ATTRIBUTES: &[&str] = &["mode", "endpoint", "lang"];

/// Attribute names only the loader reads; the core accepts them silently.
const LOADER_ATTRIBUTES: &[&str] = &["target"];

/// The values `data-mode` accepts, for messages.
const MODE_VALUES: &str = "\"demo\" or \"live\"";

/// Every `data-*` attribute as the site owner wrote it, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawConfig {
    pairs: Vec<(String, String)>,
}

impl RawConfig {
    /// Collects `(name, value)` pairs; names are the attribute names without the `data-` prefix.
    pub fn from_pairs<N, V>(pairs: impl IntoIterator<Item = (N, V)>) -> Self
    where
        N: Into<String>,
        V: Into<String>,
    {
        RawConfig {
            pairs: pairs
                .into_iter()
                .map(|(name, value)| (name.into().to_ascii_lowercase(), value.into()))
                .collect(),
        }
    }

    /// The trimmed value of an attribute; the first one wins if a name is repeated.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
    }
}

/// What the browser's URL parser says about a string: the parts the endpoint rules look at.
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

/// Parses a URL the way the browser does. The shell implements it with `URL`; native tests with the
/// `url` crate.
pub trait UrlParser {
    /// Resolves `input` (absolute, or relative to the host page) into its parts, or `None` when it
    /// is not a URL at all.
    fn parse(&self, input: &str) -> Option<UrlParts>;
}

/// Where submissions go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// No backend: submissions stay in this browser's storage and the wall reads them back.
    Demo,
    /// Submissions are posted as JSON to the site owner's endpoint.
    Live {
        /// The validated endpoint URL.
        endpoint: Endpoint,
    },
}

/// An endpoint URL that passed the rules: `https:`, or `http:` on the local machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint(String);

impl Endpoint {
    /// The absolute URL to post to.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The validated configuration of one widget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Demo (browser storage) or live (the owner's endpoint).
    pub mode: Mode,
    /// The language the owner asked for with `data-lang`, if any (negotiated later with the
    /// visitor's browser languages).
    pub lang: Option<String>,
}

/// Something the owner wrote that the widget cannot work with. Each names its attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// `data-mode` has a value other than `demo` or `live`.
    UnknownMode(String),
    /// Live mode was asked for but `data-endpoint` is missing or empty.
    MissingEndpoint,
    /// `data-endpoint` is not a URL the browser can parse.
    UnparsableEndpoint(String),
    /// `data-endpoint` uses a scheme other than `https:`/`http:` (`javascript:`, `data:`, …).
    UnsupportedScheme {
        /// The URL as written.
        url: String,
        /// The scheme found, with its colon.
        protocol: String,
    },
    /// `data-endpoint` is plain `http:` on a host other than the local machine.
    InsecureEndpoint(String),
    /// `data-endpoint` carries a user name or password, which would be sent to every visitor.
    CredentialsInEndpoint,
}

impl ConfigError {
    /// The attribute the site owner has to change.
    pub fn attribute(&self) -> &'static str {
        match self {
            ConfigError::UnknownMode(_) => "data-mode",
            _ => "data-endpoint",
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let attribute = self.attribute();
        match self {
            ConfigError::UnknownMode(value) => write!(
                f,
                "{attribute}=\"{value}\" is not a mode; use {MODE_VALUES} (live needs data-endpoint)."
            ),
            ConfigError::MissingEndpoint => write!(
                f,
                "{attribute} is missing: live mode posts to your endpoint, e.g. \
                 data-endpoint=\"https://example.com/kudos\". Use data-mode=\"demo\" to try the \
                 widget without a backend."
            ),
            ConfigError::UnparsableEndpoint(url) => {
                write!(f, "{attribute}=\"{url}\" is not a valid URL.")
            }
            ConfigError::UnsupportedScheme { url, protocol } => write!(
                f,
                "{attribute}=\"{url}\" uses {protocol}, but only https: is accepted \
                 (and http: on localhost or 127.0.0.1 while developing)."
            ),
            ConfigError::InsecureEndpoint(url) => write!(
                f,
                "{attribute}=\"{url}\" uses http:, which would send visitors' words unencrypted; \
                 use https: (http: is accepted only on localhost or 127.0.0.1)."
            ),
            ConfigError::CredentialsInEndpoint => write!(
                f,
                "{attribute} contains a user name or password, which every visitor could read; \
                 authenticate the endpoint another way."
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

/// An attribute the widget does not know; reported once in the console, never fatal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownAttribute(pub String);

impl fmt::Display for UnknownAttribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "data-{} is not a kudos-widget option and is ignored (options: {}).",
            self.0,
            KNOWN_ATTRIBUTES
                .iter()
                .chain(LOADER_ATTRIBUTES)
                .map(|name| format!("data-{name}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

impl Config {
    /// Validates the owner's attributes. Unknown attributes come back as warnings beside the
    /// config; anything that would make the widget misbehave is an error.
    pub fn from_raw(
        raw: &RawConfig,
        urls: &dyn UrlParser,
    ) -> Result<(Config, Vec<UnknownAttribute>), ConfigError> {
        let endpoint = raw.get("endpoint").filter(|value| !value.is_empty());
        let mode = match raw.get("mode").map(str::to_ascii_lowercase).as_deref() {
            Some("demo") => Mode::Demo,
            Some("live") => Mode::Live {
                endpoint: parse_endpoint(endpoint.ok_or(ConfigError::MissingEndpoint)?, urls)?,
            },
            // No mode: an endpoint means live, its absence means the owner is trying things out.
            None | Some("") => match endpoint {
                Some(url) => Mode::Live {
                    endpoint: parse_endpoint(url, urls)?,
                },
                None => Mode::Demo,
            },
            Some(_) => {
                return Err(ConfigError::UnknownMode(
                    raw.get("mode").unwrap_or_default().to_owned(),
                ))
            }
        };
        let lang = raw
            .get("lang")
            .filter(|value| !value.is_empty())
            .map(str::to_owned);
        let unknown = raw
            .pairs
            .iter()
            .filter(|(name, _)| {
                !KNOWN_ATTRIBUTES.contains(&name.as_str())
                    && !LOADER_ATTRIBUTES.contains(&name.as_str())
            })
            .map(|(name, _)| UnknownAttribute(name.clone()))
            .collect();
        Ok((Config { mode, lang }, unknown))
    }
}

/// Host names that mean "this machine", where plain http is fine for development.
fn is_loopback(hostname: &str) -> bool {
    matches!(hostname, "localhost" | "127.0.0.1" | "[::1]")
}

fn parse_endpoint(url: &str, urls: &dyn UrlParser) -> Result<Endpoint, ConfigError> {
    let parts = urls
        .parse(url)
        .ok_or_else(|| ConfigError::UnparsableEndpoint(url.to_owned()))?;
    match parts.protocol.as_str() {
        "https:" => {}
        "http:" if is_loopback(&parts.hostname) => {}
        "http:" => return Err(ConfigError::InsecureEndpoint(url.to_owned())),
        other => {
            return Err(ConfigError::UnsupportedScheme {
                url: url.to_owned(),
                protocol: other.to_owned(),
            })
        }
    }
    if parts.has_credentials {
        return Err(ConfigError::CredentialsInEndpoint);
    }
    Ok(Endpoint(parts.href))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The `url` crate standing in for the browser's `URL`, resolving against a host page.
    pub(crate) struct HostPage;

    impl UrlParser for HostPage {
        fn parse(&self, input: &str) -> Option<UrlParts> {
            let base = url::Url::parse("https://shop.example/thanks/").unwrap();
            let parsed = base.join(input).ok()?;
            Some(UrlParts {
                href: parsed.as_str().to_owned(),
                protocol: format!("{}:", parsed.scheme()),
                hostname: parsed.host_str().unwrap_or_default().to_owned(),
                has_credentials: !parsed.username().is_empty() || parsed.password().is_some(),
            })
        }
    }

    fn config(pairs: &[(&str, &str)]) -> Result<(Config, Vec<UnknownAttribute>), ConfigError> {
        Config::from_raw(&RawConfig::from_pairs(pairs.iter().copied()), &HostPage)
    }

    fn endpoint_of(pairs: &[(&str, &str)]) -> String {
        match config(pairs).unwrap().0.mode {
            Mode::Live { endpoint } => endpoint.as_str().to_owned(),
            Mode::Demo => panic!("expected live mode"),
        }
    }

    #[test]
    fn no_attributes_means_demo() {
        let (config, unknown) = config(&[]).unwrap();
        assert_eq!(config.mode, Mode::Demo);
        assert!(unknown.is_empty());
    }

    #[test]
    fn demo_mode_ignores_an_endpoint() {
        let (config, _) =
            config(&[("mode", "demo"), ("endpoint", "https://api.example/k")]).unwrap();
        assert_eq!(config.mode, Mode::Demo);
    }

    #[test]
    fn an_endpoint_alone_means_live() {
        assert_eq!(
            endpoint_of(&[("endpoint", "https://api.example/kudos")]),
            "https://api.example/kudos"
        );
    }

    #[test]
    fn mode_is_case_and_space_insensitive() {
        let (config, _) = config(&[("mode", "  DEMO ")]).unwrap();
        assert_eq!(config.mode, Mode::Demo);
    }

    #[test]
    fn relative_endpoint_resolves_against_the_page() {
        assert_eq!(
            endpoint_of(&[("mode", "live"), ("endpoint", "/api/kudos")]),
            "https://shop.example/api/kudos"
        );
    }

    #[test]
    fn http_is_accepted_on_the_local_machine_only() {
        for local in [
            "http://localhost:3000/k",
            "http://127.0.0.1:9000/k",
            "http://[::1]:9000/k",
        ] {
            assert!(config(&[("endpoint", local)]).is_ok(), "{local}");
        }
        assert_eq!(
            config(&[("endpoint", "http://api.example/k")]).unwrap_err(),
            ConfigError::InsecureEndpoint("http://api.example/k".into())
        );
        // A look-alike host name is not the local machine.
        assert!(config(&[("endpoint", "http://localhost.evil.example/k")]).is_err());
    }

    #[test]
    fn script_and_data_urls_are_rejected_with_their_scheme() {
        for (url, scheme) in [
            ("javascript:alert(1)", "javascript:"),
            ("JavaScript:alert(1)", "javascript:"),
            ("data:text/html,hi", "data:"),
            ("ftp://files.example/k", "ftp:"),
        ] {
            let err = config(&[("endpoint", url)]).unwrap_err();
            assert_eq!(
                err,
                ConfigError::UnsupportedScheme {
                    url: url.into(),
                    protocol: scheme.into()
                }
            );
            assert_eq!(err.attribute(), "data-endpoint");
            assert!(err.to_string().contains(scheme), "{err}");
        }
    }

    #[test]
    fn live_without_endpoint_is_an_error() {
        for pairs in [
            &[("mode", "live")][..],
            &[("mode", "live"), ("endpoint", "   ")][..],
        ] {
            let err = config(pairs).unwrap_err();
            assert_eq!(err, ConfigError::MissingEndpoint);
            assert!(err.to_string().starts_with("data-endpoint is missing"));
        }
    }

    #[test]
    fn unparsable_endpoint_is_an_error() {
        assert_eq!(
            config(&[("endpoint", "https://")]).unwrap_err(),
            ConfigError::UnparsableEndpoint("https://".into())
        );
    }

    #[test]
    fn credentials_in_the_endpoint_are_refused() {
        assert_eq!(
            config(&[("endpoint", "https://user:secret@api.example/k")]).unwrap_err(),
            ConfigError::CredentialsInEndpoint
        );
    }

    #[test]
    fn unknown_mode_names_the_attribute_and_the_accepted_values() {
        let err = config(&[("mode", "production")]).unwrap_err();
        assert_eq!(err, ConfigError::UnknownMode("production".into()));
        let message = err.to_string();
        assert!(message.starts_with("data-mode=\"production\""), "{message}");
        assert!(message.contains("\"demo\" or \"live\""), "{message}");
    }

    #[test]
    fn unknown_attributes_are_warnings_not_errors() {
        let (config, unknown) =
            config(&[("mode", "demo"), ("colour", "red"), ("target", "#k")]).unwrap();
        assert_eq!(config.mode, Mode::Demo);
        assert_eq!(unknown, vec![UnknownAttribute("colour".into())]);
        assert!(unknown[0].to_string().contains("data-colour"));
    }

    #[test]
    fn lang_is_kept_for_negotiation() {
        let (config, _) = config(&[("lang", "fr-CA")]).unwrap();
        assert_eq!(config.lang.as_deref(), Some("fr-CA"));
    }
}
