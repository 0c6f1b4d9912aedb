//! From the attributes a site owner wrote to a validated [`Config`].
//!
//! The loader (or the `<kudos-widget>` element, or `Kudos.mount`) hands over every option as given:
//! name without the `data-` prefix, value as a string. That is [`RawConfig`]. [`Config::from_raw`]
//! turns it into typed settings.
//!
//! Two kinds of problems come back, and they differ on purpose:
//! - a [`ConfigError`] (unknown mode, an endpoint that is missing or unsafe) mounts nothing: the
//!   widget must never post visitors' words somewhere the owner did not mean;
//! - a [`ConfigWarning`] (an unknown option, a value out of range) falls back to the default and is
//!   logged once, naming the attribute and the values it accepts.
//!
//! URLs are parsed by the platform (core::platform: the browser's own WHATWG parser; linking the
//! `url` crate would double the wasm); the rules here work on the parts it returns, [`UrlParts`].
//! The platform handed to [`Config::from_raw`] is kept in the [`Config`], for what is read from it
//! later (the forms' email clean-up).

use crate::core::sorted::SortedMap;
use std::fmt;

use crate::core::i18n::Text;
use crate::core::json::Json;
use crate::core::platform::{Platform, PlatformRef};
use crate::core::providers::{self, ProviderProblem, ProviderSettings};
use crate::core::roster::{Roster, StaffMember};

/// What an option takes: how [`Reader`] reads it and what its warning says it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// One of these keywords, case-insensitive.
    Keyword(&'static [&'static str]),
    /// A URL the widget posts to or fetches from: `https:`, or `http:` on the local machine.
    Endpoint,
    /// A link a visitor may follow: `http:` or `https:`.
    Link,
    /// Free text of at most this many characters.
    Text(usize),
    /// Items separated by commas, or a JSON array of strings.
    List,
    /// Whole milliseconds from the first number to the second.
    Millis(u32, u32),
    /// A language tag, negotiated later with the visitor's languages.
    Language,
    /// The roster: a JSON array of staff members.
    Staff,
    /// Newsletter lists: `id:Label` pairs or a JSON array of `{"id", "label"}`.
    Lists,
    /// Field presence: `field:hidden|optional|required` items (see [`FieldKey`]).
    Fields,
    /// A hex colour.
    Colour,
    /// A form or newsletter service (core::providers reads it and names what it accepts).
    Provider,
    /// A service's public key (core::providers).
    ProviderKey,
    /// The prefix of per-text overrides (`text-<key>`).
    TextOverride,
    /// Read by the loader, not by the widget.
    Loader,
}

impl OptionKind {
    /// What a warning says the option accepts.
    fn accepted(self) -> String {
        match self {
            OptionKind::Keyword(choices) => crate::core::text::join(
                &choices
                    .iter()
                    .map(|name| format!("\"{name}\""))
                    .collect::<Vec<_>>(),
                ", ",
            ),
            OptionKind::Text(max_chars) => format!("at most {max_chars} characters"),
            OptionKind::List => "a JSON array of strings, or items separated by commas".to_owned(),
            OptionKind::Millis(min, max) => format!("milliseconds from {min} to {max}"),
            OptionKind::Staff => {
                "a JSON array of {\"id\", \"name\", \"role\", \"location\", \"nicknames\"}"
                    .to_owned()
            }
            OptionKind::Lists => {
                "\"id:Label, id2:Label 2\" or a JSON array of {\"id\", \"label\"}".to_owned()
            }
            OptionKind::Fields => format!(
                "field:hidden|optional|required with fields {}",
                crate::core::text::join(&FieldKey::ALL.map(FieldKey::name), ", ")
            ),
            OptionKind::Colour => "a hex colour such as \"#1f5fbf\" or \"#16b\"".to_owned(),
            _ => String::new(),
        }
    }
}

/// An option's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionDefault {
    /// A value of the option: the reader reads it as if the owner had written it, and the README
    /// shows it as code.
    Value(&'static str),
    /// No value: what the widget does without the option, in the README's words (written with
    /// [`readme!`]: only the README test reads them, so the wasm does not carry them).
    Described(&'static str),
}

/// README's words for a default that is no value: the text in test builds, empty elsewhere.
macro_rules! readme {
    ($text:expr) => {
        if cfg!(test) {
            $text
        } else {
            ""
        }
    };
}

/// Which widget reads an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionWidget {
    /// Both widgets.
    Both,
    /// The praise widget (form and wall).
    Praise,
    /// The newsletter widget.
    Newsletter,
    /// Only the loader (`loader/kudos.js`); the widget accepts it silently.
    Loader,
}

/// One option: the single place its name, kind, default and widget are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionSpec {
    /// The name without `data-`.
    pub name: &'static str,
    /// What it takes.
    pub kind: OptionKind,
    /// What applies without it.
    pub default: OptionDefault,
    /// Who reads it.
    pub widget: OptionWidget,
    /// Whether README's options table lists it (`timeout-ms` is for tests only).
    pub documented: bool,
}

const fn option(
    name: &'static str,
    kind: OptionKind,
    default: OptionDefault,
    widget: OptionWidget,
) -> OptionSpec {
    OptionSpec {
        name,
        kind,
        default,
        widget,
        documented: true,
    }
}

use OptionDefault::{Described, Value};
use OptionKind as Kind;
use OptionWidget as For;

const NONE: OptionDefault = Described(readme!("—"));

const MODE: OptionSpec = option(
    "mode",
    Kind::Keyword(&["demo", "live"]),
    Described(readme!("`live` when `endpoint` is set, else `demo`")),
    For::Both,
);
const ENDPOINT: OptionSpec = option("endpoint", Kind::Endpoint, NONE, For::Both);
const WIDGET: OptionSpec = option(
    "widget",
    Kind::Keyword(&["praise", "newsletter"]),
    Value("praise"),
    For::Both,
);
const LANG: OptionSpec = option(
    "lang",
    Kind::Language,
    Described(readme!("the visitor's browser languages, else English")),
    For::Both,
);
const SHOW: OptionSpec = option(
    "show",
    Kind::Keyword(&["form", "wall", "both"]),
    Value("both"),
    For::Praise,
);
const STAFF: OptionSpec = option(
    "staff",
    Kind::Staff,
    Described(readme!("none")),
    For::Praise,
);
const STAFF_URL: OptionSpec = option("staff-url", Kind::Endpoint, NONE, For::Praise);
const LOCATIONS: OptionSpec = option(
    "locations",
    Kind::List,
    Described(readme!("the roster's locations, else free text")),
    For::Praise,
);
const TAGS: OptionSpec = option(
    "tags",
    Kind::List,
    Described(readme!("five built-in \"little BIG things\"")),
    For::Praise,
);
const FIELDS: OptionSpec = option(
    "fields",
    Kind::Fields,
    Described(readme!("staff, story and date required; the rest optional")),
    For::Praise,
);
const WALL_URL: OptionSpec = option("wall-url", Kind::Endpoint, NONE, For::Praise);
const THEME: OptionSpec = option(
    "theme",
    Kind::Keyword(&["light", "dark", "auto"]),
    Value("light"),
    For::Both,
);
const ACCENT: OptionSpec = option(
    "accent",
    Kind::Colour,
    Described(readme!("`#1f5fbf`")),
    For::Both,
);
const VARIANT: OptionSpec = option(
    "variant",
    Kind::Keyword(&["inline", "compact"]),
    Value("inline"),
    For::Newsletter,
);
const COMPANY: OptionSpec = option("company", Kind::Text(120), NONE, For::Newsletter);
const CONTACT: OptionSpec = option("contact", Kind::Text(300), NONE, For::Newsletter);
const PRIVACY_URL: OptionSpec = option("privacy-url", Kind::Link, NONE, For::Newsletter);
const LISTS: OptionSpec = option("lists", Kind::Lists, NONE, For::Newsletter);
const DEMO_FAIL: OptionSpec = option(
    "demo-fail",
    Kind::Keyword(&["none", "500", "429", "offline", "timeout"]),
    Value("none"),
    For::Both,
);
const DEMO_LATENCY: OptionSpec = option(
    "demo-latency",
    Kind::Millis(0, 10_000),
    Value("0"),
    For::Both,
);
const TEXT: OptionSpec = option(
    "text-",
    Kind::TextOverride,
    Described(readme!("the built-in wording")),
    For::Both,
);
const TARGET: OptionSpec = option("target", Kind::Loader, NONE, For::Loader);
const FALLBACK_URL: OptionSpec = option("fallback-url", Kind::Loader, NONE, For::Loader);
const PROVIDER: OptionSpec = option(
    "provider",
    Kind::Provider,
    Described(readme!(
        "recognised from the endpoint's host (`formspree.io`, `usebasin.com`, \
         `api.web3forms.com`, `api.staticforms.xyz`, `api.convertkit.com`), else none"
    )),
    For::Both,
);
const PROVIDER_KEY: OptionSpec = option("provider-key", Kind::ProviderKey, NONE, For::Both);
/// Undocumented: the per-attempt timeout, so tests need not wait 15 s for a hanging request.
const TIMEOUT_MS: OptionSpec = OptionSpec {
    documented: false,
    ..option(
        "timeout-ms",
        Kind::Millis(100, 120_000),
        Value("15000"),
        For::Both,
    )
};

/// Every option, in README's order: the one table the reader, its warnings and the README's
/// options table (a test compares them) follow.
pub const OPTIONS: &[OptionSpec] = &[
    MODE,
    ENDPOINT,
    WIDGET,
    LANG,
    SHOW,
    STAFF,
    STAFF_URL,
    LOCATIONS,
    TAGS,
    FIELDS,
    WALL_URL,
    THEME,
    ACCENT,
    VARIANT,
    COMPANY,
    CONTACT,
    PRIVACY_URL,
    LISTS,
    DEMO_FAIL,
    DEMO_LATENCY,
    TEXT,
    TARGET,
    FALLBACK_URL,
    PROVIDER,
    PROVIDER_KEY,
    TIMEOUT_MS,
];

/// Every option as the site owner wrote it, in document order.
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

    /// The trimmed value of an option; the first one wins if a name is repeated.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
    }

    /// The trimmed value of an option, `None` when absent or empty.
    fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|value| !value.is_empty())
    }
}

/// Which widget to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WidgetKind {
    /// "Recognize our staff": the praise form and the wall.
    #[default]
    Praise,
    /// "Join our newsletter".
    Newsletter,
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

/// A URL the widget may fetch from or post to: `https:`, or `http:` on the local machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint(String);

impl Endpoint {
    /// The absolute URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A link a visitor may follow (the privacy policy): `https:` or `http:`, never `javascript:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link(String);

impl Link {
    /// The absolute URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Which parts of the praise widget to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Show {
    /// Only the form.
    Form,
    /// Only the wall of published praise.
    Wall,
    /// The form, then the wall.
    #[default]
    Both,
}

impl Show {
    /// Whether the form is shown.
    pub fn form(self) -> bool {
        self != Show::Wall
    }

    /// Whether the wall is shown.
    pub fn wall(self) -> bool {
        self != Show::Form
    }
}

/// Whether a field is asked for, and whether it must be filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Not shown and not sent.
    Hidden,
    /// Shown; may stay empty.
    Optional,
    /// Shown; must be filled.
    Required,
}

/// The colour scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Light colours.
    #[default]
    Light,
    /// Dark colours.
    Dark,
    /// Follows the visitor's `prefers-color-scheme`, live.
    Auto,
}

/// Layout of the newsletter form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Variant {
    /// A full form with headings (the default).
    #[default]
    Inline,
    /// One line for footers.
    Compact,
}

/// A colour given as `#rgb` or `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb {
    /// Red, 0–255.
    pub r: u8,
    /// Green, 0–255.
    pub g: u8,
    /// Blue, 0–255.
    pub b: u8,
}

/// A praise tag ("Little BIG thing") the owner configured: an id for the wire, a label to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagChoice {
    /// Stable id sent in submissions (a slug of the label).
    pub id: String,
    /// What the visitor reads.
    pub label: String,
}

/// A newsletter list a visitor can pick.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct ListChoice {
    /// The id sent in submissions.
    pub id: String,
    /// What the visitor reads.
    pub label: String,
}

/// A failure the demo transport pretends to meet, so an owner sees every state without a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoFailure {
    /// The "server" answers 500.
    ServerError,
    /// The "server" answers 429 with a Retry-After.
    RateLimited,
    /// The browser is offline.
    Offline,
    /// The request never answers.
    Timeout,
}

/// The validated configuration of one widget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Praise or newsletter.
    pub widget: WidgetKind,
    /// Demo (browser storage) or live (the owner's endpoint).
    pub mode: Mode,
    /// The language the owner asked for with `data-lang`, if any (negotiated later with the
    /// visitor's browser languages).
    pub lang: Option<String>,
    /// Form, wall or both (praise widget).
    pub show: Show,
    /// The staff roster given inline (`data-staff` or a JSON child of `<kudos-widget>`).
    pub roster: Roster,
    /// Where to fetch the staff roster from, if anywhere.
    pub staff_url: Option<Endpoint>,
    /// The owner's list of locations; empty means free text (or the roster's locations).
    pub locations: Vec<String>,
    /// The owner's tags; `None` means the default set, in the visitor's language.
    pub tags: Option<Vec<TagChoice>>,
    /// Per-field presence overrides.
    pub fields: SortedMap<FieldKey, Presence>,
    /// Where the live wall reads published praise from.
    pub wall_url: Option<Endpoint>,
    /// Words the owner replaced.
    pub texts: SortedMap<Text, String>,
    /// Colour scheme.
    pub theme: Theme,
    /// The owner's accent colour.
    pub accent: Option<Rgb>,
    /// Newsletter layout.
    pub variant: Variant,
    /// The sender named in the newsletter consent.
    pub company: Option<String>,
    /// A contact or mailing address named in the newsletter consent.
    pub contact: Option<String>,
    /// The privacy policy linked from the newsletter consent.
    pub privacy_url: Option<Link>,
    /// Newsletter lists a visitor may choose from.
    pub lists: Vec<ListChoice>,
    /// A failure the demo transport simulates.
    pub demo_failure: Option<DemoFailure>,
    /// Extra delay of the demo transport, in milliseconds.
    pub demo_latency_ms: u32,
    /// How long one delivery attempt may take before it counts as failed (and is retried).
    /// Set by the undocumented `data-timeout-ms`, for tests.
    pub attempt_timeout_ms: u32,
    /// Live mode only: the form or newsletter service the endpoint belongs to (`data-provider`,
    /// or recognised from the endpoint's host), whose request and reply shapes are translated.
    pub provider: Option<ProviderSettings>,
    /// The platform the attributes were read with (lower case, NFD, URL parsing).
    pub platform: PlatformRef,
}

/// How long one delivery attempt may take by default: long enough for a slow mobile network,
/// short enough that a hanging endpoint does not hold the visitor's words for long.
pub const DEFAULT_ATTEMPT_TIMEOUT_MS: u32 = 15_000;

/// Something the owner wrote that would make the widget post where it should not. Nothing mounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// `data-mode` has a value other than `demo` or `live`.
    UnknownMode(String),
    /// Live mode was asked for but `data-endpoint` is missing or empty.
    MissingEndpoint,
    /// `data-endpoint` is not usable; the reason names the problem.
    BadEndpoint(UrlProblem),
    /// `data-provider` or `data-provider-key` cannot be used.
    Provider(ProviderProblem),
}

/// Why a URL option was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlProblem {
    /// Not a URL the browser can parse.
    Unparsable(String),
    /// A scheme other than those accepted (`javascript:`, `data:`, …).
    UnsupportedScheme {
        /// The URL as written.
        url: String,
        /// The scheme found, with its colon.
        protocol: String,
    },
    /// Plain `http:` on a host other than the local machine.
    Insecure(String),
    /// A user name or password in the URL, which every visitor could read.
    Credentials,
}

impl fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlProblem::Unparsable(url) => write!(f, "=\"{url}\" is not a valid URL."),
            UrlProblem::UnsupportedScheme { url, protocol } => write!(
                f,
                "=\"{url}\" uses {protocol}, but only https: is accepted \
                 (and http: on localhost or 127.0.0.1 while developing)."
            ),
            UrlProblem::Insecure(url) => write!(
                f,
                "=\"{url}\" uses http:, which would send visitors' words unencrypted; \
                 use https: (http: is accepted only on localhost or 127.0.0.1)."
            ),
            UrlProblem::Credentials => f.write_str(
                " contains a user name or password, which every visitor could read; \
                 authenticate the endpoint another way.",
            ),
        }
    }
}

impl ConfigError {
    /// The attribute the site owner has to change.
    pub fn attribute(&self) -> &'static str {
        match self {
            ConfigError::UnknownMode(_) => "data-mode",
            ConfigError::Provider(_) => "data-provider",
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
                "{attribute}=\"{value}\" is not a mode; use \"demo\" or \"live\" \
                 (live needs data-endpoint)."
            ),
            ConfigError::MissingEndpoint => write!(
                f,
                "{attribute} is missing: live mode posts to your endpoint, e.g. \
                 data-endpoint=\"https://example.com/kudos\". Use data-mode=\"demo\" to try the \
                 widget without a backend."
            ),
            ConfigError::BadEndpoint(problem) => write!(f, "{attribute}{problem}"),
            ConfigError::Provider(problem) => problem.fmt(f),
        }
    }
}

impl std::error::Error for ConfigError {}

/// An option the widget ignored, with what it did instead. Logged once per mount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigWarning {
    /// An option the widget does not know.
    UnknownOption(String),
    /// A `data-text-*` key that names no text.
    UnknownText(String),
    /// A value outside what the option accepts; the default is used.
    InvalidValue {
        /// The option, without `data-`.
        option: String,
        /// The value as written.
        value: String,
        /// What the option accepts, for the message.
        accepted: String,
    },
    /// `data-endpoint` is present but empty (an unfilled template variable?): demo mode, and
    /// nothing is sent.
    EmptyEndpoint,
    /// `data-mode="demo"` with an endpoint (the value): the endpoint gets nothing.
    EndpointIgnoredInDemo(String),
    /// A URL option refused for safety; the option is ignored.
    BadUrl {
        /// The option, without `data-`.
        option: String,
        /// Why.
        problem: UrlProblem,
    },
}

impl fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigWarning::UnknownOption(name) => write!(
                f,
                "data-{name} is not a kudos-widget option and is ignored (options: {}, \
                 data-text-<key>).",
                crate::core::text::join(
                    &OPTIONS
                        .iter()
                        .filter(|option| option.kind != OptionKind::TextOverride)
                        .map(|option| format!("data-{}", option.name))
                        .collect::<Vec<_>>(),
                    ", "
                )
            ),
            ConfigWarning::UnknownText(key) => write!(
                f,
                "data-text-{key} names no text and is ignored (keys: {}).",
                crate::core::text::join(
                    &Text::ALL.iter().map(|text| text.key()).collect::<Vec<_>>(),
                    ", "
                )
            ),
            ConfigWarning::InvalidValue {
                option,
                value,
                accepted,
            } => write!(
                f,
                "data-{option}=\"{value}\" is not accepted ({accepted}); the default is used."
            ),
            ConfigWarning::BadUrl { option, problem } => {
                write!(f, "data-{option}{problem} The option is ignored.")
            }
            ConfigWarning::EmptyEndpoint => f.write_str(
                "data-endpoint is empty (an unfilled template variable?), so this widget runs in \
                 demo mode: nothing is sent anywhere.",
            ),
            ConfigWarning::EndpointIgnoredInDemo(endpoint) => write!(
                f,
                "data-mode=\"demo\" ignores data-endpoint=\"{endpoint}\": nothing is sent. Remove \
                 data-mode (or set it to live) to post there."
            ),
        }
    }
}

/// The default tags, by id; their labels live in the text tables.
pub const DEFAULT_TAGS: [(&str, Text); 5] = [
    ("took_initiative", Text::TagTookInitiative),
    ("went_extra_mile", Text::TagWentExtraMile),
    ("owned_the_problem", Text::TagOwnedTheProblem),
    ("genuine_warmth", Text::TagGenuineWarmth),
    ("thought_ahead", Text::TagThoughtAhead),
];

/// A praise-form field whose presence the owner sets with `data-fields` (several form fields
/// may share one: the staff name and its description are both `staff`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FieldKey {
    /// Who is being thanked.
    Staff,
    /// Where it happened.
    Location,
    /// When it happened.
    Date,
    /// What they did.
    Story,
    /// The "little BIG things".
    Tags,
    /// The visitor's name.
    VisitorName,
    /// The visitor's email.
    VisitorEmail,
    /// "You may contact me about this."
    ContactConsent,
    /// "You may publish this praise."
    PublishConsent,
}

impl FieldKey {
    /// Every key, in the form's order.
    pub const ALL: [FieldKey; 9] = [
        FieldKey::Staff,
        FieldKey::Location,
        FieldKey::Date,
        FieldKey::Story,
        FieldKey::Tags,
        FieldKey::VisitorName,
        FieldKey::VisitorEmail,
        FieldKey::ContactConsent,
        FieldKey::PublishConsent,
    ];

    /// The name an owner writes in `data-fields`.
    pub fn name(self) -> &'static str {
        match self {
            FieldKey::Staff => "staff",
            FieldKey::Location => "location",
            FieldKey::Date => "date",
            FieldKey::Story => "story",
            FieldKey::Tags => "tags",
            FieldKey::VisitorName => "visitor-name",
            FieldKey::VisitorEmail => "visitor-email",
            FieldKey::ContactConsent => "contact-consent",
            FieldKey::PublishConsent => "publish-consent",
        }
    }

    /// The key named `name` (lower case).
    pub fn from_name(name: &str) -> Option<FieldKey> {
        FieldKey::ALL.into_iter().find(|key| key.name() == name)
    }

    /// The product's presence for the field when the owner says nothing.
    pub fn default_presence(self) -> Presence {
        match self {
            FieldKey::Staff | FieldKey::Story | FieldKey::Date => Presence::Required,
            _ => Presence::Optional,
        }
    }
}

/// Collects warnings while options are read.
struct Reader<'a> {
    raw: &'a RawConfig,
    platform: &'a dyn Platform,
    warnings: Vec<ConfigWarning>,
}

impl<'a> Reader<'a> {
    /// The trimmed value of `option`, `None` when absent or empty.
    fn value(&self, option: &OptionSpec) -> Option<&'a str> {
        self.raw.non_empty(option.name)
    }

    /// Warns that `value` is not what `option` accepts; `detail` is added to what it accepts.
    fn invalid(&mut self, option: &OptionSpec, value: &str, detail: &str) {
        self.warnings.push(ConfigWarning::InvalidValue {
            option: option.name.to_owned(),
            value: value.to_owned(),
            accepted: format!("{}{detail}", option.kind.accepted()),
        });
    }

    /// One of `option`'s keywords, case-insensitive, as the value in the same place of `values`;
    /// the option's default when absent or invalid.
    fn keyword<T: Copy>(&mut self, option: &OptionSpec, values: &[T]) -> T {
        let choices = match option.kind {
            OptionKind::Keyword(choices) => choices,
            _ => &[],
        };
        let find = |value: &str| {
            let lower = value.to_ascii_lowercase();
            choices
                .iter()
                .position(|name| *name == lower)
                .map(|i| values[i])
        };
        // Every keyword option's default is one of its keywords (a test reads each).
        let default = match option.default {
            OptionDefault::Value(value) => find(value),
            OptionDefault::Described(_) => None,
        }
        .unwrap_or(values[0]);
        let Some(value) = self.value(option) else {
            return default;
        };
        find(value).unwrap_or_else(|| {
            self.invalid(option, value, "");
            default
        })
    }

    /// Whole milliseconds within `option`'s range; its default when absent or invalid.
    fn millis(&mut self, option: &OptionSpec) -> u32 {
        let (min, max) = match option.kind {
            OptionKind::Millis(min, max) => (min, max),
            _ => (0, u32::MAX),
        };
        let within = |value: &str| {
            value
                .parse::<u32>()
                .ok()
                .filter(|ms| (min..=max).contains(ms))
        };
        // Every milliseconds option's default is in its range (a test reads each).
        let default = match option.default {
            OptionDefault::Value(value) => within(value),
            OptionDefault::Described(_) => None,
        }
        .unwrap_or(min);
        let Some(value) = self.value(option) else {
            return default;
        };
        within(value).unwrap_or_else(|| {
            self.invalid(option, value, "");
            default
        })
    }

    /// A URL the widget fetches from; unsafe ones are ignored with a warning.
    fn endpoint(&mut self, option: &OptionSpec) -> Option<Endpoint> {
        let value = self.value(option)?;
        match parse_endpoint(value, self.platform) {
            Ok(endpoint) => Some(endpoint),
            Err(problem) => {
                self.warnings.push(ConfigWarning::BadUrl {
                    option: option.name.to_owned(),
                    problem,
                });
                None
            }
        }
    }

    /// A link a visitor may follow: http or https.
    fn link(&mut self, option: &OptionSpec) -> Option<Link> {
        let value = self.value(option)?;
        let problem = match self.platform.parse_url(value) {
            None => UrlProblem::Unparsable(value.to_owned()),
            Some(parts) if matches!(parts.protocol.as_str(), "https:" | "http:") => {
                return Some(Link(parts.href))
            }
            Some(parts) => UrlProblem::UnsupportedScheme {
                url: value.to_owned(),
                protocol: parts.protocol,
            },
        };
        self.warnings.push(ConfigWarning::BadUrl {
            option: option.name.to_owned(),
            problem,
        });
        None
    }

    /// Free text, trimmed and capped so a typo cannot flood the layout.
    fn text(&mut self, option: &OptionSpec) -> Option<String> {
        let max_chars = match option.kind {
            OptionKind::Text(max_chars) => max_chars,
            _ => usize::MAX,
        };
        let value = self.value(option)?;
        if value.chars().count() > max_chars {
            self.invalid(option, value, "");
            return None;
        }
        Some(value.to_owned())
    }

    /// A list written as a JSON array of strings or as comma-separated items.
    fn list(&mut self, option: &OptionSpec) -> Option<Vec<String>> {
        let value = self.value(option)?;
        let items: Vec<String> = if value.starts_with('[') {
            match Json::parse(value).ok().and_then(|json| json.to_strings()) {
                Some(items) => items,
                None => {
                    self.invalid(option, value, "");
                    return None;
                }
            }
        } else {
            value.split(',').map(str::to_owned).collect()
        };
        let items: Vec<String> = items
            .into_iter()
            .map(|item| item.trim().to_owned())
            .filter(|item| !item.is_empty())
            .collect();
        (!items.is_empty()).then_some(items)
    }

    fn tags(&mut self) -> Option<Vec<TagChoice>> {
        let labels = self.list(&TAGS)?;
        let mut tags: Vec<TagChoice> = Vec::new();
        for label in labels {
            let id = slug(&label, self.platform);
            if !id.is_empty() && !tags.iter().any(|tag| tag.id == id) {
                tags.push(TagChoice { id, label });
            }
        }
        Some(tags)
    }

    fn lists(&mut self) -> Vec<ListChoice> {
        let Some(value) = self.value(&LISTS) else {
            return Vec::new();
        };
        let lists: Option<Vec<ListChoice>> = if value.starts_with('[') {
            Json::parse(value)
                .ok()
                .and_then(|json| json.as_array()?.iter().map(ListChoice::from_json).collect())
        } else {
            value
                .split(',')
                .filter(|item| !item.trim().is_empty())
                .map(|item| {
                    let (id, label) = item.split_once(':')?;
                    let (id, label) = (id.trim(), label.trim());
                    (!id.is_empty() && !label.is_empty()).then(|| ListChoice {
                        id: id.to_owned(),
                        label: label.to_owned(),
                    })
                })
                .collect()
        };
        match lists {
            Some(lists) if !lists.is_empty() => lists,
            _ => {
                self.invalid(&LISTS, value, "");
                Vec::new()
            }
        }
    }

    fn fields(&mut self) -> SortedMap<FieldKey, Presence> {
        let mut fields = SortedMap::new();
        let Some(value) = self.value(&FIELDS) else {
            return fields;
        };
        for item in value.split(',').filter(|item| !item.trim().is_empty()) {
            let parsed = item.split_once(':').and_then(|(key, presence)| {
                let key = FieldKey::from_name(&key.trim().to_ascii_lowercase())?;
                let presence = match presence.trim().to_ascii_lowercase().as_str() {
                    "hidden" => Presence::Hidden,
                    "optional" => Presence::Optional,
                    "required" => Presence::Required,
                    _ => return None,
                };
                Some((key, presence))
            });
            match parsed {
                Some((key, presence)) => {
                    fields.insert(key, presence);
                }
                None => self.invalid(&FIELDS, item.trim(), ""),
            }
        }
        fields
    }

    fn roster(&mut self) -> Roster {
        let Some(value) = self.value(&STAFF) else {
            return Roster::default();
        };
        let staff = Json::parse(value)
            .map_err(|error| error.to_string())
            .and_then(|json| {
                StaffMember::list_from_json(&json)
                    .ok_or_else(|| "an entry is not of that shape".to_owned())
            });
        match staff {
            Ok(staff) => Roster::new(staff),
            Err(error) => {
                self.invalid(
                    &STAFF,
                    &value.chars().take(40).collect::<String>(),
                    &format!(": {error}"),
                );
                Roster::default()
            }
        }
    }

    fn texts(&mut self) -> SortedMap<Text, String> {
        let mut texts = SortedMap::new();
        for (name, value) in &self.raw.pairs {
            let Some(key) = name.strip_prefix(TEXT.name) else {
                continue;
            };
            match Text::from_key(key) {
                Some(text) if !value.trim().is_empty() => {
                    texts.insert_if_absent(text, value.trim().to_owned());
                }
                Some(_) => {}
                None => self
                    .warnings
                    .push(ConfigWarning::UnknownText(key.to_owned())),
            }
        }
        texts
    }

    fn accent(&mut self) -> Option<Rgb> {
        let value = self.value(&ACCENT)?;
        let colour = Rgb::parse(value);
        if colour.is_none() {
            self.invalid(&ACCENT, value, "");
        }
        colour
    }

    fn unknown_options(&mut self) {
        for (name, _) in &self.raw.pairs {
            if find_option(name).is_none() {
                self.warnings
                    .push(ConfigWarning::UnknownOption(name.clone()));
            }
        }
    }
}

/// The option `name` (without `data-`) is, if any; every `text-<key>` is the text override.
pub fn find_option(name: &str) -> Option<&'static OptionSpec> {
    OPTIONS.iter().find(|option| match option.kind {
        OptionKind::TextOverride => name.starts_with(option.name),
        _ => name == option.name,
    })
}

impl Config {
    /// Validates the owner's options. Anything that would make the widget post where it should not
    /// is an error; anything else falls back to its default with a warning. `platform` is kept in
    /// the configuration.
    pub fn from_raw(
        raw: &RawConfig,
        platform: PlatformRef,
    ) -> Result<(Config, Vec<ConfigWarning>), ConfigError> {
        let endpoint = raw.non_empty(ENDPOINT.name);
        let mode = match raw.get(MODE.name).map(str::to_ascii_lowercase).as_deref() {
            Some("demo") => Mode::Demo,
            Some("live") => Mode::Live {
                endpoint: parse_endpoint(endpoint.ok_or(ConfigError::MissingEndpoint)?, &*platform)
                    .map_err(ConfigError::BadEndpoint)?,
            },
            // No mode: an endpoint means live, its absence means the owner is trying things out.
            None | Some("") => match endpoint {
                Some(url) => Mode::Live {
                    endpoint: parse_endpoint(url, &*platform).map_err(ConfigError::BadEndpoint)?,
                },
                None => Mode::Demo,
            },
            Some(_) => {
                return Err(ConfigError::UnknownMode(
                    raw.get(MODE.name).unwrap_or_default().to_owned(),
                ))
            }
        };

        let mut read = Reader {
            raw,
            platform: &*platform,
            warnings: Vec::new(),
        };
        // Demo mode by accident (issue 12, defect 8): each way is said once.
        if mode == Mode::Demo {
            match (raw.get(ENDPOINT.name), endpoint) {
                (Some(_), None) => read.warnings.push(ConfigWarning::EmptyEndpoint),
                (_, Some(url)) => read
                    .warnings
                    .push(ConfigWarning::EndpointIgnoredInDemo(url.to_owned())),
                _ => {}
            }
        }
        read.unknown_options();
        let config = Config {
            widget: read.keyword(&WIDGET, &[WidgetKind::Praise, WidgetKind::Newsletter]),
            mode,
            lang: read.value(&LANG).map(str::to_owned),
            show: read.keyword(&SHOW, &[Show::Form, Show::Wall, Show::Both]),
            roster: read.roster(),
            staff_url: read.endpoint(&STAFF_URL),
            locations: read.list(&LOCATIONS).unwrap_or_default(),
            tags: read.tags(),
            fields: read.fields(),
            wall_url: read.endpoint(&WALL_URL),
            texts: read.texts(),
            theme: read.keyword(&THEME, &[Theme::Light, Theme::Dark, Theme::Auto]),
            accent: read.accent(),
            variant: read.keyword(&VARIANT, &[Variant::Inline, Variant::Compact]),
            company: read.text(&COMPANY),
            contact: read.text(&CONTACT),
            privacy_url: read.link(&PRIVACY_URL),
            lists: read.lists(),
            demo_failure: read.keyword(
                &DEMO_FAIL,
                &[
                    None,
                    Some(DemoFailure::ServerError),
                    Some(DemoFailure::RateLimited),
                    Some(DemoFailure::Offline),
                    Some(DemoFailure::Timeout),
                ],
            ),
            demo_latency_ms: read.millis(&DEMO_LATENCY),
            attempt_timeout_ms: read.millis(&TIMEOUT_MS),
            provider: None,
            platform,
        };
        let mut config = config;
        if let Mode::Live { endpoint } = &config.mode {
            let host = platform
                .parse_url(endpoint.as_str())
                .map(|parts| parts.hostname)
                .unwrap_or_default();
            config.provider = providers::settings(
                raw.non_empty(PROVIDER.name),
                raw.get(PROVIDER_KEY.name),
                &host,
                config.widget == WidgetKind::Newsletter,
            )
            .map_err(ConfigError::Provider)?;
        }
        Ok((config, read.warnings))
    }

    /// How present a praise field is: the owner's choice, else the product's default.
    pub fn presence(&self, key: FieldKey) -> Presence {
        self.fields
            .get(&key)
            .copied()
            .unwrap_or(key.default_presence())
    }
}

impl Rgb {
    /// Parses `#rgb` or `#rrggbb` (case-insensitive).
    pub fn parse(value: &str) -> Option<Rgb> {
        let hex = value.strip_prefix('#')?;
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |s: &str| u8::from_str_radix(s, 16).ok();
        match hex.len() {
            3 => {
                let digit = |i: usize| channel(&hex[i..=i]).map(|v| v * 17);
                Some(Rgb {
                    r: digit(0)?,
                    g: digit(1)?,
                    b: digit(2)?,
                })
            }
            6 => Some(Rgb {
                r: channel(&hex[0..2])?,
                g: channel(&hex[2..4])?,
                b: channel(&hex[4..6])?,
            }),
            _ => None,
        }
    }
}

/// A lower-case id from a label: letters and digits kept (accents too), the rest folded to `_`.
pub fn slug(label: &str, platform: &dyn Platform) -> String {
    let mut id = String::new();
    for c in platform.lowercase(label.trim()).chars() {
        if c.is_alphanumeric() {
            id.push(c);
        } else if !id.ends_with('_') && !id.is_empty() {
            id.push('_');
        }
    }
    id.trim_end_matches('_').to_owned()
}

/// Host names that mean "this machine", where plain http is fine for development.
fn is_loopback(hostname: &str) -> bool {
    matches!(hostname, "localhost" | "127.0.0.1" | "[::1]")
}

/// An endpoint URL under the same rules as `data-endpoint` (also for one read back from storage).
pub fn parse_endpoint(url: &str, platform: &dyn Platform) -> Result<Endpoint, UrlProblem> {
    let parts = platform
        .parse_url(url)
        .ok_or_else(|| UrlProblem::Unparsable(url.to_owned()))?;
    match parts.protocol.as_str() {
        "https:" => {}
        "http:" if is_loopback(&parts.hostname) => {}
        "http:" => return Err(UrlProblem::Insecure(url.to_owned())),
        other => {
            return Err(UrlProblem::UnsupportedScheme {
                url: url.to_owned(),
                protocol: other.to_owned(),
            })
        }
    }
    if parts.has_credentials {
        return Err(UrlProblem::Credentials);
    }
    Ok(Endpoint(parts.href))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::core::platform::tests::NATIVE;

    pub(crate) fn config(
        pairs: &[(&str, &str)],
    ) -> Result<(Config, Vec<ConfigWarning>), ConfigError> {
        Config::from_raw(
            &RawConfig::from_pairs(pairs.iter().copied()),
            PlatformRef::new(NATIVE),
        )
    }

    fn valid(pairs: &[(&str, &str)]) -> (Config, Vec<ConfigWarning>) {
        config(pairs).expect("a valid config")
    }

    fn endpoint_of(pairs: &[(&str, &str)]) -> String {
        match valid(pairs).0.mode {
            Mode::Live { endpoint } => endpoint.as_str().to_owned(),
            Mode::Demo => panic!("expected live mode"),
        }
    }

    #[test]
    fn no_attributes_means_a_demo_praise_widget_with_defaults() {
        let (config, warnings) = valid(&[]);
        assert_eq!(config.mode, Mode::Demo);
        assert_eq!(config.widget, WidgetKind::Praise);
        assert_eq!(config.show, Show::Both);
        assert_eq!(config.theme, Theme::Light);
        assert_eq!(config.tags, None);
        assert!(warnings.is_empty());
    }

    #[test]
    fn demo_mode_ignores_an_endpoint_and_says_so() {
        let (config, warnings) = valid(&[("mode", "demo"), ("endpoint", "https://api.example/k")]);
        assert_eq!(config.mode, Mode::Demo);
        // Issue 12, defect 8: the owner is told their endpoint gets nothing.
        assert_eq!(
            warnings,
            [ConfigWarning::EndpointIgnoredInDemo(
                "https://api.example/k".into()
            )]
        );
        assert!(warnings[0]
            .to_string()
            .contains("data-endpoint=\"https://api.example/k\""));
        assert!(warnings[0].to_string().contains("nothing is sent"));
    }

    #[test]
    fn an_empty_endpoint_means_demo_mode_and_says_so() {
        // Issue 12, defect 8: `data-endpoint="{{ kudos_url }}"` left unfilled by a template, or
        // filled with nothing, silently meant demo mode.
        for empty in ["", "   "] {
            let (config, warnings) = valid(&[("endpoint", empty)]);
            assert_eq!(config.mode, Mode::Demo);
            assert_eq!(warnings, [ConfigWarning::EmptyEndpoint]);
            assert!(warnings[0].to_string().contains("demo mode"));
        }
        // No endpoint attribute at all is the documented way to try the demo: no warning.
        assert!(valid(&[]).1.is_empty());
        assert!(valid(&[("mode", "demo")]).1.is_empty());
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
        let (config, _) = valid(&[("mode", "  DEMO ")]);
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
            ConfigError::BadEndpoint(UrlProblem::Insecure("http://api.example/k".into()))
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
                ConfigError::BadEndpoint(UrlProblem::UnsupportedScheme {
                    url: url.into(),
                    protocol: scheme.into()
                })
            );
            assert_eq!(err.attribute(), "data-endpoint");
            let message = err.to_string();
            assert!(
                message.starts_with(&format!("data-endpoint=\"{url}\" uses {scheme}")),
                "{message}"
            );
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
    fn a_provider_is_named_or_recognised_only_in_live_mode() {
        use crate::core::providers::Provider;
        let provider =
            |pairs: &[(&str, &str)]| valid(pairs).0.provider.map(|p| (p.provider, p.key));
        assert_eq!(
            provider(&[("endpoint", "https://formspree.io/f/abc")]),
            Some((Provider::Formspree, None))
        );
        assert_eq!(
            provider(&[
                ("widget", "newsletter"),
                ("endpoint", "http://127.0.0.1:4193/v3/forms/1/subscribe"),
                ("provider", "kit"),
                ("provider-key", "pub"),
            ]),
            Some((Provider::Kit, Some("pub".into())))
        );
        assert_eq!(
            provider(&[("endpoint", "https://kudos.shop.example/v1")]),
            None
        );
        // Demo mode posts nowhere: the provider options change nothing.
        assert_eq!(provider(&[("mode", "demo"), ("provider", "nope")]), None);
        assert!(
            valid(&[("endpoint", "https://x.example"), ("provider", "basin")])
                .1
                .is_empty()
        );
    }

    #[test]
    fn an_unusable_provider_mounts_nothing_and_names_the_attribute() {
        let err = config(&[("endpoint", "https://api.web3forms.com/submit")]).unwrap_err();
        assert_eq!(err.attribute(), "data-provider");
        assert!(
            err.to_string().contains("data-provider-key is missing"),
            "{err}"
        );
        let err = config(&[("endpoint", "https://x.example"), ("provider", "mailchimp")]);
        assert!(matches!(
            err,
            Err(ConfigError::Provider(ProviderProblem::Unknown(_)))
        ));
    }

    #[test]
    fn unparsable_endpoint_is_an_error() {
        assert_eq!(
            config(&[("endpoint", "https://")]).unwrap_err(),
            ConfigError::BadEndpoint(UrlProblem::Unparsable("https://".into()))
        );
    }

    #[test]
    fn credentials_in_the_endpoint_are_refused() {
        assert_eq!(
            config(&[("endpoint", "https://user:secret@api.example/k")]).unwrap_err(),
            ConfigError::BadEndpoint(UrlProblem::Credentials)
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
    fn unknown_options_are_warnings_not_errors() {
        let (config, warnings) = valid(&[("mode", "demo"), ("colour", "red"), ("target", "#k")]);
        assert_eq!(config.mode, Mode::Demo);
        assert_eq!(
            warnings,
            vec![ConfigWarning::UnknownOption("colour".into())]
        );
        assert!(warnings[0].to_string().starts_with("data-colour is not"));
    }

    #[test]
    fn invalid_keywords_warn_with_the_accepted_values_and_use_the_default() {
        let (config, warnings) = valid(&[("show", "sidebar"), ("theme", "DARK")]);
        assert_eq!(config.show, Show::Both);
        assert_eq!(config.theme, Theme::Dark);
        assert_eq!(warnings.len(), 1);
        let message = warnings[0].to_string();
        assert!(message.starts_with("data-show=\"sidebar\""), "{message}");
        assert!(
            message.contains("\"form\", \"wall\", \"both\""),
            "{message}"
        );
    }

    #[test]
    fn show_selects_form_wall_or_both() {
        assert!(!valid(&[("show", "wall")]).0.show.form());
        assert!(valid(&[("show", "wall")]).0.show.wall());
        assert!(!valid(&[("show", "form")]).0.show.wall());
    }

    #[test]
    fn lang_is_kept_for_negotiation() {
        let (config, _) = valid(&[("lang", "fr-CA")]);
        assert_eq!(config.lang.as_deref(), Some("fr-CA"));
    }

    #[test]
    fn lists_accept_commas_or_json() {
        let (config, _) = valid(&[("locations", " Larch Street , Harbour Road,, ")]);
        assert_eq!(config.locations, ["Larch Street", "Harbour Road"]);
        let (config, _) = valid(&[("locations", r#"["Main St, Unit 4", "Quay"]"#)]);
        assert_eq!(config.locations, ["Main St, Unit 4", "Quay"]);
        let (config, warnings) = valid(&[("locations", "[not json")]);
        assert!(config.locations.is_empty());
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn owner_tags_get_slug_ids_without_duplicates() {
        let (config, _) = valid(&[("tags", "Kept calm, Fixed it fast!, kept calm, Très gentil")]);
        let tags = config.tags.unwrap();
        let ids: Vec<&str> = tags.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["kept_calm", "fixed_it_fast", "très_gentil"]);
        assert_eq!(tags[1].label, "Fixed it fast!");
    }

    #[test]
    fn fields_set_presence_and_warn_on_unknown_entries() {
        let (config, warnings) = valid(&[(
            "fields",
            "location:required, visitor-email:HIDDEN, mood:required, story:maybe",
        )]);
        assert_eq!(config.presence(FieldKey::Location), Presence::Required);
        assert_eq!(config.presence(FieldKey::VisitorEmail), Presence::Hidden);
        assert_eq!(config.presence(FieldKey::Story), Presence::Required);
        assert_eq!(config.presence(FieldKey::Tags), Presence::Optional);
        assert_eq!(warnings.len(), 2);
        assert!(warnings[0]
            .to_string()
            .starts_with("data-fields=\"mood:required\""));
    }

    #[test]
    fn field_keys_round_trip_by_name_and_default_as_documented() {
        for key in FieldKey::ALL {
            assert_eq!(FieldKey::from_name(key.name()), Some(key));
        }
        assert_eq!(FieldKey::from_name("mood"), None);
        let (config, _) = valid(&[]);
        let required: Vec<&str> = FieldKey::ALL
            .into_iter()
            .filter(|key| config.presence(*key) == Presence::Required)
            .map(FieldKey::name)
            .collect();
        // FIELDS' documented default.
        assert_eq!(required, ["staff", "date", "story"]);
    }

    /// The rows of README's options table: (option, values, default), code spans as written.
    fn readme_options() -> Vec<(String, String, String)> {
        let readme = include_str!("../../README.md");
        let table = readme
            .split("\n### Options\n")
            .nth(1)
            .expect("README has an Options section")
            .split("\n### ")
            .next()
            .unwrap();
        table
            .lines()
            .filter(|line| line.starts_with("| `"))
            .map(|line| {
                // Cells split on `|` not escaped as `\|`.
                let mut cells = Vec::new();
                let mut cell = String::new();
                let mut chars = line.trim().trim_matches('|').chars().peekable();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' if chars.peek() == Some(&'|') => cell.push(chars.next().unwrap()),
                        '|' => cells.push(std::mem::take(&mut cell).trim().to_owned()),
                        _ => cell.push(c),
                    }
                }
                cells.push(cell.trim().to_owned());
                assert_eq!(cells.len(), 4, "{line}");
                let name = cells[0].trim_matches('`').replace("<key>", "");
                (name, cells[1].clone(), cells[2].clone())
            })
            .collect()
    }

    /// The code spans of a README cell (`a`, `b` → ["a", "b"]).
    fn code_spans(cell: &str) -> Vec<&str> {
        cell.split('`').skip(1).step_by(2).collect()
    }

    #[test]
    fn readme_documents_every_option_of_the_table_and_nothing_else() {
        let readme = readme_options();
        let documented: Vec<&str> = OPTIONS
            .iter()
            .filter(|option| option.documented)
            .map(|option| option.name)
            .collect();
        let listed: Vec<&str> = readme.iter().map(|(name, _, _)| name.as_str()).collect();
        // Both ways, and in the same order.
        assert_eq!(listed, documented);
        for (name, values, default) in &readme {
            let option = find_option(name).unwrap();
            let expected = match option.default {
                OptionDefault::Value(value) => format!("`{value}`"),
                OptionDefault::Described(text) => text.to_owned(),
            };
            assert_eq!(default, &expected, "the default of {name}");
            match option.kind {
                OptionKind::Keyword(choices) => {
                    assert_eq!(code_spans(values), choices, "the values of {name}")
                }
                OptionKind::Millis(min, max) => {
                    assert!(
                        values.contains(&format!("`{min}`–`{max}`")),
                        "{name}: {values}"
                    )
                }
                OptionKind::Text(max) => {
                    assert!(
                        values.contains(&format!("at most {max} characters")),
                        "{name}"
                    )
                }
                OptionKind::Fields => {
                    let names: Vec<&str> = FieldKey::ALL.map(FieldKey::name).to_vec();
                    assert_eq!(&code_spans(values)[1..], names, "{name}: {values}")
                }
                _ => {}
            }
        }
    }

    #[test]
    fn every_option_in_the_table_is_known_and_read_with_its_default() {
        // Each name once; the reader accepts each without an unknown-option warning.
        for (i, option) in OPTIONS.iter().enumerate() {
            assert!(
                OPTIONS[..i].iter().all(|other| other.name != option.name),
                "{} twice",
                option.name
            );
            let name = match option.kind {
                OptionKind::TextOverride => format!("{}submit-button", option.name),
                _ => option.name.to_owned(),
            };
            assert_eq!(find_option(&name), Some(option));
            let (_, warnings) = valid(&[(name.as_str(), "")]);
            assert!(
                !warnings
                    .iter()
                    .any(|w| matches!(w, ConfigWarning::UnknownOption(_))),
                "{name}: {warnings:?}"
            );
        }
        // A value-default is what the reader uses without the option (and is accepted when written).
        let (config, _) = valid(&[]);
        assert_eq!(config.attempt_timeout_ms, DEFAULT_ATTEMPT_TIMEOUT_MS);
        assert_eq!(config.demo_latency_ms, 0);
        for option in OPTIONS {
            if let OptionDefault::Value(value) = option.default {
                let (written, warnings) = valid(&[(option.name, value)]);
                assert!(warnings.is_empty(), "{}: {warnings:?}", option.name);
                assert_eq!(written, config, "{}={value} is the default", option.name);
            }
        }
        // Loader-only options are the loader kind.
        for option in OPTIONS {
            assert_eq!(
                option.widget == OptionWidget::Loader,
                option.kind == OptionKind::Loader,
                "{}",
                option.name
            );
        }
    }

    #[test]
    fn text_overrides_are_matched_to_keys() {
        let (config, warnings) = valid(&[
            ("text-submit-button", "Say thanks"),
            ("text-no-such-key", "x"),
        ]);
        assert_eq!(
            config.texts.get(&Text::SubmitButton).map(String::as_str),
            Some("Say thanks")
        );
        assert_eq!(
            warnings,
            vec![ConfigWarning::UnknownText("no-such-key".into())]
        );
    }

    #[test]
    fn accent_colours_parse_in_both_hex_forms() {
        assert_eq!(
            Rgb::parse("#1F5fbf"),
            Some(Rgb {
                r: 0x1f,
                g: 0x5f,
                b: 0xbf
            })
        );
        assert_eq!(
            Rgb::parse("#fa0"),
            Some(Rgb {
                r: 0xff,
                g: 0xaa,
                b: 0x00
            })
        );
        for bad in ["1f5fbf", "#12345", "#ggg", "red", "#1f5fbf00"] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
        let (config, warnings) = valid(&[("accent", "blue")]);
        assert_eq!(config.accent, None);
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn unsafe_fetch_urls_are_ignored_with_a_warning() {
        let (config, warnings) = valid(&[
            ("staff-url", "javascript:alert(1)"),
            ("wall-url", "https://api.example/wall"),
        ]);
        assert_eq!(config.staff_url, None);
        assert_eq!(
            config.wall_url.as_ref().map(Endpoint::as_str),
            Some("https://api.example/wall")
        );
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0]
            .to_string()
            .starts_with("data-staff-url=\"javascript:"));
    }

    #[test]
    fn privacy_links_may_be_http_but_never_script() {
        let (config, _) = valid(&[("privacy-url", "http://shop.example/privacy")]);
        assert_eq!(
            config.privacy_url.map(|l| l.as_str().to_owned()),
            Some("http://shop.example/privacy".into())
        );
        let (config, warnings) = valid(&[("privacy-url", "javascript:void(0)")]);
        assert_eq!(config.privacy_url, None);
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn newsletter_lists_parse_as_id_label_pairs_or_json() {
        let (config, _) = valid(&[("lists", "weekly:Weekly deals, events: Store events")]);
        assert_eq!(
            config.lists,
            vec![
                ListChoice {
                    id: "weekly".into(),
                    label: "Weekly deals".into()
                },
                ListChoice {
                    id: "events".into(),
                    label: "Store events".into()
                }
            ]
        );
        let (config, _) = valid(&[("lists", r#"[{"id":"w","label":"Weekly"}]"#)]);
        assert_eq!(config.lists.len(), 1);
        let (config, warnings) = valid(&[("lists", "weekly")]);
        assert!(config.lists.is_empty());
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn demo_failures_and_latency() {
        let (config, _) = valid(&[("demo-fail", "429"), ("demo-latency", "800")]);
        assert_eq!(config.demo_failure, Some(DemoFailure::RateLimited));
        assert_eq!(config.demo_latency_ms, 800);
        let (config, warnings) = valid(&[("demo-fail", "404"), ("demo-latency", "-5")]);
        assert_eq!(config.demo_failure, None);
        assert_eq!(config.demo_latency_ms, 0);
        assert_eq!(warnings.len(), 2);
    }

    #[test]
    fn inline_staff_roster_is_parsed_or_warned_about() {
        let (config, _) = valid(&[(
            "staff",
            r#"[{"id":"c1","name":"Christine Roy","role":"Cashier","nicknames":["Kris"]}]"#,
        )]);
        assert_eq!(config.roster.members().len(), 1);
        let (config, warnings) = valid(&[("staff", "{oops")]);
        assert!(config.roster.members().is_empty());
        assert!(warnings[0].to_string().starts_with("data-staff="));
        assert!(
            warnings[0].to_string().contains("not JSON"),
            "{}",
            warnings[0]
        );
        let (config, warnings) = valid(&[("staff", r#"[{"id":"c1"}]"#)]);
        assert!(config.roster.members().is_empty());
        assert!(
            warnings[0].to_string().contains("not of that shape"),
            "{}",
            warnings[0]
        );
    }

    #[test]
    fn json_options_read_as_serde_read_them() {
        let strings = |text: &str| Json::parse(text).ok().and_then(|json| json.to_strings());
        let lists = |text: &str| {
            Json::parse(text)
                .ok()
                .and_then(|json| json.as_array()?.iter().map(ListChoice::from_json).collect())
        };
        for text in [
            r#"["a", "b \u00e9"]"#,
            "[]",
            r#"["a", 1]"#,
            r#"["a",]"#,
            "[null]",
            r#"{"a":"b"}"#,
            r#"[{"id":"w","label":"Weekly","extra":true}]"#,
            r#"[{"id":"w"}]"#,
            r#"[{"id":"w","label":null}]"#,
            r#"[{"id":"w","label":"W"}, "x"]"#,
        ] {
            assert_eq!(
                strings(text),
                serde_json::from_str::<Vec<String>>(text).ok(),
                "{text}"
            );
            assert_eq!(
                lists(text),
                serde_json::from_str::<Vec<ListChoice>>(text).ok(),
                "{text}"
            );
        }
    }

    #[test]
    fn company_and_contact_are_capped() {
        let long = "x".repeat(121);
        let (config, warnings) = valid(&[("company", &long), ("contact", "1 Larch St")]);
        assert_eq!(config.company, None);
        assert_eq!(config.contact.as_deref(), Some("1 Larch St"));
        assert_eq!(warnings.len(), 1);
    }
}
