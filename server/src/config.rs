//! Configuration: every key defined once, in [`KEYS`].
//!
//! A key can be given as a command-line flag, a `KUDOS_*` environment variable or a key of the
//! TOML file named by `--config`; a flag wins over the environment, which wins over the file,
//! which wins over the default. The same table builds the command line (`--help` lists it), is
//! printed in `--help`'s key table and is checked against the README's table by a test, so the
//! four can never disagree. The raw strings are resolved into a typed [`Settings`] once, at
//! start; a bad value names its key and where it came from.
//!
//! Sites (several origins, each with its own auto-publish choice) only exist in the file, as
//! `[[sites]]` tables; the flags describe one site, `default`.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command};
use serde::Deserialize;

/// One configuration key.
pub struct Key {
    /// The name in the TOML file, and the id of the clap argument.
    pub name: &'static str,
    /// The long flag, without `--`.
    pub flag: &'static str,
    /// The environment variable.
    pub env: &'static str,
    /// The default, as text ("" when there is none).
    pub default: &'static str,
    /// Whether the flag may repeat (the environment variable is then comma-separated).
    pub repeats: bool,
    /// Which commands read it: all of them, or `serve` only.
    pub scope: Scope,
    /// One line for `--help` and the README.
    pub help: &'static str,
}

/// Which commands a key applies to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every command (they all open the database).
    Global,
    /// `serve` only.
    Serve,
}

/// Every configuration key. The README's configuration table lists exactly these.
pub const KEYS: &[Key] = &[
    Key {
        name: "config",
        flag: "config",
        env: "KUDOS_CONFIG",
        default: "",
        repeats: false,
        scope: Scope::Global,
        help: "A TOML file with any of these keys (and [[sites]] tables)",
    },
    Key {
        name: "data_dir",
        flag: "data-dir",
        env: "KUDOS_DATA_DIR",
        default: "kudos-data",
        repeats: false,
        scope: Scope::Global,
        help: "Folder for the embedded SQLite database (created if missing)",
    },
    Key {
        name: "database_url",
        flag: "database-url",
        env: "KUDOS_DATABASE_URL",
        default: "sqlite://<data_dir>/kudos.db",
        repeats: false,
        scope: Scope::Global,
        help: "sqlite://PATH or postgres://USER@HOST/DB",
    },
    Key {
        name: "listen",
        flag: "listen",
        env: "KUDOS_LISTEN",
        default: "127.0.0.1:8787",
        repeats: false,
        scope: Scope::Serve,
        help: "Address and port to listen on (port 0: any free port)",
    },
    Key {
        name: "allowed_origins",
        flag: "allowed-origin",
        env: "KUDOS_ALLOWED_ORIGINS",
        default: "",
        repeats: true,
        scope: Scope::Serve,
        help: "Origins of the pages that carry the widget (repeat the flag; comma-separated in the environment)",
    },
    Key {
        name: "auto_publish",
        flag: "auto-publish",
        env: "KUDOS_AUTO_PUBLISH",
        default: "false",
        repeats: false,
        scope: Scope::Serve,
        help: "Publish praise without moderation (it still needs the visitor's publish consent)",
    },
    Key {
        name: "body_limit_bytes",
        flag: "body-limit-bytes",
        env: "KUDOS_BODY_LIMIT_BYTES",
        default: "65536",
        repeats: false,
        scope: Scope::Serve,
        help: "Largest request body accepted; larger gets 413",
    },
    Key {
        name: "request_timeout_secs",
        flag: "request-timeout-secs",
        env: "KUDOS_REQUEST_TIMEOUT_SECS",
        default: "15",
        repeats: false,
        scope: Scope::Serve,
        help: "A request still unanswered after this gets 408",
    },
    Key {
        name: "ip_rate_per_minute",
        flag: "ip-rate-per-minute",
        env: "KUDOS_IP_RATE_PER_MINUTE",
        default: "30",
        repeats: false,
        scope: Scope::Serve,
        help: "Submissions per minute from one IP address (bursts of up to a third of it), per instance",
    },
    Key {
        name: "site_rate_per_minute",
        flag: "site-rate-per-minute",
        env: "KUDOS_SITE_RATE_PER_MINUTE",
        default: "600",
        repeats: false,
        scope: Scope::Serve,
        help: "Submissions per minute to one site (bursts of up to a third of it), per instance",
    },
    Key {
        name: "trust_forwarded_for",
        flag: "trust-forwarded-for",
        env: "KUDOS_TRUST_FORWARDED_FOR",
        default: "false",
        repeats: false,
        scope: Scope::Serve,
        help: "Take the client address from X-Forwarded-For (only behind your own reverse proxy)",
    },
    Key {
        name: "min_fill_time_ms",
        flag: "min-fill-time-ms",
        env: "KUDOS_MIN_FILL_TIME_MS",
        default: "3000",
        repeats: false,
        scope: Scope::Serve,
        help: "A form filled faster than this is judged spam (stored as spam, answered as usual)",
    },
    Key {
        name: "retention_days",
        flag: "retention-days",
        env: "KUDOS_RETENTION_DAYS",
        default: "365",
        repeats: false,
        scope: Scope::Serve,
        help: "Visitors' names and emails are erased from praise older than this",
    },
    Key {
        name: "public_url",
        flag: "public-url",
        env: "KUDOS_PUBLIC_URL",
        default: "http://<listen>",
        repeats: false,
        scope: Scope::Serve,
        help: "The https address people reach this server at; links in emails and from `admin add` start with it; https makes the owner's cookie Secure",
    },
    Key {
        name: "secret_key",
        flag: "secret-key",
        env: "KUDOS_SECRET_KEY",
        default: "",
        repeats: false,
        scope: Scope::Serve,
        help: "Signs the links in emails (32+ characters); unset: generated once and kept in the database",
    },
    Key {
        name: "smtp_url",
        flag: "smtp-url",
        env: "KUDOS_SMTP_URL",
        default: "",
        repeats: false,
        scope: Scope::Serve,
        help: "Mail server: smtps://USER:PASS@HOST:465 (TLS), smtp://USER:PASS@HOST:587?tls=starttls, smtp://127.0.0.1:PORT (no TLS, local only); unset: mail goes to mail_folder",
    },
    Key {
        name: "mail_from",
        flag: "mail-from",
        env: "KUDOS_MAIL_FROM",
        default: "Kudos <kudos@localhost>",
        repeats: false,
        scope: Scope::Serve,
        help: "The sender of every email",
    },
    Key {
        name: "mail_folder",
        flag: "mail-folder",
        env: "KUDOS_MAIL_FOLDER",
        default: "<data_dir>/outbox-mail",
        repeats: false,
        scope: Scope::Serve,
        help: "Without smtp_url, each email is written here as an .eml file",
    },
    Key {
        name: "default_recipient",
        flag: "default-recipient",
        env: "KUDOS_DEFAULT_RECIPIENT",
        default: "",
        repeats: false,
        scope: Scope::Serve,
        help: "Who hears about new praise when the roster names no manager (the `default` site; per site: [[sites]] default_recipient)",
    },
    Key {
        name: "notify",
        flag: "notify",
        env: "KUDOS_NOTIFY",
        default: "each",
        repeats: false,
        scope: Scope::Serve,
        help: "Managers get one email per praise (each) or one digest a week (weekly) (the `default` site; per site: [[sites]] notify)",
    },
    Key {
        name: "company",
        flag: "company",
        env: "KUDOS_COMPANY",
        default: "",
        repeats: false,
        scope: Scope::Serve,
        help: "The widget's company option, as the site sets it: rebuilds the newsletter consent wording to prove it (the `default` site; per site: [[sites]] company)",
    },
    Key {
        name: "contact",
        flag: "contact",
        env: "KUDOS_CONTACT",
        default: "",
        repeats: false,
        scope: Scope::Serve,
        help: "The widget's contact option, as the site sets it (the `default` site; per site: [[sites]] contact)",
    },
    Key {
        name: "newsletter_per_ip_hour",
        flag: "newsletter-per-ip-hour",
        env: "KUDOS_NEWSLETTER_PER_IP_HOUR",
        default: "5",
        repeats: false,
        scope: Scope::Serve,
        help: "Newsletter sign-ups an hour from one IP address that get an email; more are answered alike and sent nothing (per instance)",
    },
    Key {
        name: "newsletter_per_net_hour",
        flag: "newsletter-per-net-hour",
        env: "KUDOS_NEWSLETTER_PER_NET_HOUR",
        default: "20",
        repeats: false,
        scope: Scope::Serve,
        help: "The same for one /24 (IPv4) or /48 (IPv6) network (per instance)",
    },
    Key {
        name: "listmonk_url",
        flag: "listmonk-url",
        env: "KUDOS_LISTMONK_URL",
        default: "",
        repeats: false,
        scope: Scope::Serve,
        help: "Optional: forward each confirmed subscriber to this listmonk (https://lists.shop.example), pre-confirmed, with the consent record as attributes",
    },
    Key {
        name: "listmonk_user",
        flag: "listmonk-user",
        env: "KUDOS_LISTMONK_USER",
        default: "",
        repeats: false,
        scope: Scope::Serve,
        help: "listmonk's API user",
    },
    Key {
        name: "listmonk_token",
        flag: "listmonk-token",
        env: "KUDOS_LISTMONK_TOKEN",
        default: "",
        repeats: false,
        scope: Scope::Serve,
        help: "listmonk's API token; a secret, never logged or shown",
    },
    Key {
        name: "listmonk_lists",
        flag: "listmonk-lists",
        env: "KUDOS_LISTMONK_LISTS",
        default: "",
        repeats: false,
        scope: Scope::Serve,
        help: "The widget's list ids as listmonk list ids: weekly=3,events=4 (newsletter= for sign-ups without lists)",
    },
    Key {
        name: "slack_webhook_url",
        flag: "slack-webhook-url",
        env: "KUDOS_SLACK_WEBHOOK_URL",
        default: "",
        repeats: false,
        scope: Scope::Serve,
        help: "A Slack incoming webhook: new and approved praise are posted there; a secret, never logged or shown (the `default` site; per site: [[sites]] slack_webhook_url)",
    },
    Key {
        name: "teams_webhook_url",
        flag: "teams-webhook-url",
        env: "KUDOS_TEAMS_WEBHOOK_URL",
        default: "",
        repeats: false,
        scope: Scope::Serve,
        help: "A Microsoft Teams workflow webhook (\"Post to a channel when a webhook request is received\"); a secret (the `default` site; per site: [[sites]] teams_webhook_url)",
    },
    Key {
        name: "webhook_url",
        flag: "webhook-url",
        env: "KUDOS_WEBHOOK_URL",
        default: "",
        repeats: false,
        scope: Scope::Serve,
        help: "Your own endpoint: new and approved praise as JSON signed per the Standard Webhooks spec; needs webhook_secret (the `default` site; per site: [[sites]] webhook_url)",
    },
    Key {
        name: "webhook_secret",
        flag: "webhook-secret",
        env: "KUDOS_WEBHOOK_SECRET",
        default: "",
        repeats: false,
        scope: Scope::Serve,
        help: "The signing secret of webhook_url: whsec_ and 24 to 64 random bytes in base64 (the `default` site; per site: [[sites]] webhook_secret)",
    },
    Key {
        name: "praise_page_url",
        flag: "praise-page-url",
        env: "KUDOS_PRAISE_PAGE_URL",
        default: "",
        repeats: false,
        scope: Scope::Serve,
        help: "The page that carries the widget; the QR posters open it with ?kudos-staff= (the `default` site; per site: [[sites]] praise_page_url)",
    },
    Key {
        name: "dev_mail_viewer",
        flag: "dev-mail-viewer",
        env: "KUDOS_DEV_MAIL_VIEWER",
        default: "false",
        repeats: false,
        scope: Scope::Serve,
        help: "Development only: list and show the .eml files of mail_folder at /dev/mail (they hold personal data)",
    },
    Key {
        name: "log",
        flag: "log",
        env: "KUDOS_LOG",
        default: "info",
        repeats: false,
        scope: Scope::Global,
        help: "Log filter (error, warn, info, debug, or tracing's directives)",
    },
];

/// The key table as text, for `--help`.
pub fn key_table() -> String {
    let mut out =
        String::from("Configuration keys (flag, environment variable, TOML key, default):\n");
    for key in KEYS {
        let default = if key.default.is_empty() {
            "-"
        } else {
            key.default
        };
        out.push_str(&format!(
            "  --{:<22} {:<28} {:<22} {}\n      {}\n",
            key.flag, key.env, key.name, default, key.help
        ));
    }
    out
}

/// The clap arguments of the keys in `scope`.
pub fn args(scope: Scope) -> Vec<Arg> {
    KEYS.iter()
        .filter(|key| key.scope == scope)
        .map(|key| {
            let arg = Arg::new(key.name)
                .long(key.flag)
                .env(key.env)
                .help(key.help)
                .global(scope == Scope::Global);
            if key.repeats {
                arg.action(ArgAction::Append).value_delimiter(',')
            } else {
                arg.action(ArgAction::Set)
            }
        })
        .collect()
}

/// The named keys as arguments of a command other than the one their scope puts them on
/// (`admin add` reads `public_url` and `listen` to print its link); global, so they can be given
/// after the subcommand.
pub fn key_args(names: &[&str]) -> Vec<Arg> {
    KEYS.iter()
        .filter(|key| names.contains(&key.name))
        .map(|key| {
            Arg::new(key.name)
                .long(key.flag)
                .env(key.env)
                .help(key.help)
                .global(true)
                .action(ArgAction::Set)
        })
        .collect()
}

/// Why the configuration can't be used. Each names the key and the source of its value.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {detail}")]
    File { path: PathBuf, detail: String },
    #[error("`{key}` ({source_name}): {detail}")]
    Value {
        key: &'static str,
        source_name: String,
        detail: String,
    },
    #[error("site `{site}`: {detail}")]
    Site { site: String, detail: String },
}

/// A site that carries the widget.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// A short id, stored with each submission.
    pub id: String,
    /// The page origins allowed to post (`https://shop.example`).
    #[serde(default)]
    pub origins: Vec<String>,
    /// Publish praise with publish consent at once, without moderation.
    #[serde(default)]
    pub auto_publish: bool,
    /// Who hears about new praise when the roster names no manager for the staff member.
    #[serde(default)]
    pub default_recipient: Option<String>,
    /// One email per praise to the manager, or one digest a week.
    #[serde(default)]
    pub notify: NotifyMode,
    /// The widget's `company` and `contact` options: the newsletter consent wording names them.
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
    /// Slack incoming webhook (`crate::webhooks`); the URL is the credential.
    #[serde(default)]
    pub slack_webhook_url: Option<Secret>,
    /// Microsoft Teams workflow webhook; the URL is the credential.
    #[serde(default)]
    pub teams_webhook_url: Option<Secret>,
    /// An outgoing webhook signed per the Standard Webhooks spec, with `webhook_secret`.
    #[serde(default)]
    pub webhook_url: Option<Secret>,
    #[serde(default)]
    pub webhook_secret: Option<Secret>,
    /// The page carrying the widget, for the QR posters.
    #[serde(default)]
    pub praise_page_url: Option<String>,
}

/// A value that must never be logged nor shown (webhook URLs carry their credential): its
/// `Debug` says `[secret]`; [`Secret::expose`] is the one way to read it.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[secret]")
    }
}

/// How a site's managers hear about new praise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NotifyMode {
    /// One email per praise, with its approve and reject links.
    #[default]
    Each,
    /// One digest per manager per week.
    Weekly,
}

impl std::str::FromStr for NotifyMode {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "each" => Ok(NotifyMode::Each),
            "weekly" => Ok(NotifyMode::Weekly),
            _ => Err("must be each or weekly".into()),
        }
    }
}

/// The file as written: every key optional, plus `[[sites]]`.
#[derive(Debug, Default, Deserialize)]
struct FileConfig {
    #[serde(flatten)]
    keys: BTreeMap<String, toml::Value>,
    #[serde(default)]
    sites: Vec<Site>,
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub listen: SocketAddr,
    pub sites: Vec<Site>,
    pub body_limit_bytes: usize,
    pub request_timeout: Duration,
    pub ip_rate_per_minute: u32,
    pub site_rate_per_minute: u32,
    pub trust_forwarded_for: bool,
    pub min_fill_time_ms: u64,
    pub retention_days: u32,
    pub newsletter_per_ip_hour: u32,
    pub newsletter_per_net_hour: u32,
    /// listmonk forwarding (`crate::newsletter::listmonk`): base URL, API user and token, and
    /// the widget's list ids as listmonk's.
    pub listmonk_url: Option<String>,
    pub listmonk_user: Option<String>,
    pub listmonk_token: Option<Secret>,
    pub listmonk_lists: Vec<(String, i64)>,
    /// The base of links in emails; `None`: `http://` and the address the server bound.
    pub public_url: Option<String>,
    /// The link-signing secret; `None`: generated once and kept in the database.
    pub secret_key: Option<String>,
    /// Where email goes: an SMTP server, or `.eml` files in `mail_folder`.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub mail_folder: PathBuf,
    pub dev_mail_viewer: bool,
    pub log: String,
}

/// Where a raw value came from, for error messages.
struct Raw {
    values: Vec<String>,
    source_name: String,
}

/// Reads the keys from the matches (flags and environment), then the file, then the defaults.
pub fn resolve(matches: &ArgMatches) -> Result<Settings, ConfigError> {
    let file = match matches.get_one::<String>("config") {
        Some(path) => read_file(Path::new(path))?,
        None => FileConfig::default(),
    };
    for name in file.keys.keys() {
        if !KEYS.iter().any(|key| key.name == name) {
            return Err(ConfigError::Value {
                key: "config",
                source_name: "file".into(),
                detail: format!("unknown key `{name}`"),
            });
        }
    }
    let raw = |name: &'static str| -> Option<Raw> {
        let key = KEYS.iter().find(|key| key.name == name)?;
        if let Ok(Some(values)) = matches.try_get_many::<String>(name) {
            let source_name = match matches.value_source(name) {
                Some(clap::parser::ValueSource::EnvVariable) => key.env.to_owned(),
                _ => format!("--{}", key.flag),
            };
            return Some(Raw {
                values: values.cloned().collect(),
                source_name,
            });
        }
        let from_file = file.keys.get(name)?;
        let values = match from_file {
            toml::Value::Array(items) => items.iter().map(toml_text).collect(),
            other => vec![toml_text(other)],
        };
        Some(Raw {
            values,
            source_name: format!("configuration file key `{name}`"),
        })
    };
    let text = |name: &'static str| -> (String, String) {
        match raw(name) {
            Some(raw) => (raw.values.join(","), raw.source_name),
            None => {
                let key = KEYS.iter().find(|key| key.name == name);
                (
                    key.map(|key| key.default.to_owned()).unwrap_or_default(),
                    "default".to_owned(),
                )
            }
        }
    };
    fn parsed<T: std::str::FromStr>(
        name: &'static str,
        (value, source_name): (String, String),
    ) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        value.trim().parse::<T>().map_err(|err| ConfigError::Value {
            key: name,
            source_name,
            detail: format!("`{value}`: {err}"),
        })
    }

    let data_dir = PathBuf::from(text("data_dir").0);
    let database_url = match raw("database_url") {
        Some(raw) => raw.values.join(","),
        None => format!("sqlite://{}/kudos.db", data_dir.display()),
    };
    if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres")) {
        return Err(ConfigError::Value {
            key: "database_url",
            source_name: text("database_url").1,
            detail: "must start with sqlite:// or postgres://".into(),
        });
    }

    let origins = raw("allowed_origins")
        .map(|raw| {
            raw.values
                .iter()
                .map(|origin| origin.trim().trim_end_matches('/').to_owned())
                .filter(|origin| !origin.is_empty())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let auto_publish: bool = parsed("auto_publish", text("auto_publish"))?;
    let optional = |name: &'static str| -> Option<String> {
        raw(name)
            .map(|raw| raw.values.join(",").trim().to_owned())
            .filter(|value| !value.is_empty())
    };
    let default_recipient = optional("default_recipient");
    let notify: NotifyMode = parsed("notify", text("notify"))?;
    let mut sites = file.sites;
    if !origins.is_empty() || sites.is_empty() {
        // The flags describe the `default` site; without a file it is the only one.
        sites.retain(|site| site.id != "default");
        sites.insert(
            0,
            Site {
                id: "default".into(),
                origins,
                auto_publish,
                default_recipient,
                notify,
                company: optional("company"),
                contact: optional("contact"),
                slack_webhook_url: optional("slack_webhook_url").map(Secret),
                teams_webhook_url: optional("teams_webhook_url").map(Secret),
                webhook_url: optional("webhook_url").map(Secret),
                webhook_secret: optional("webhook_secret").map(Secret),
                praise_page_url: optional("praise_page_url"),
            },
        );
    }
    for site in &mut sites {
        if site.id.is_empty() || site.id.len() > 64 {
            return Err(ConfigError::Site {
                site: site.id.clone(),
                detail: "an id of 1 to 64 characters is needed".into(),
            });
        }
        if site
            .default_recipient
            .as_deref()
            .is_some_and(|to| to.parse::<lettre::message::Mailbox>().is_err())
        {
            return Err(ConfigError::Site {
                site: site.id.clone(),
                detail: "default_recipient must be an email address".into(),
            });
        }
        if let Err(detail) = crate::webhooks::check_site(site) {
            return Err(ConfigError::Site {
                site: site.id.clone(),
                detail,
            });
        }
        for origin in &mut site.origins {
            *origin = origin.trim_end_matches('/').to_owned();
            if origin != "*" && !(origin.starts_with("https://") || origin.starts_with("http://")) {
                return Err(ConfigError::Site {
                    site: site.id.clone(),
                    detail: format!(
                        "origin `{origin}` must be scheme://host[:port], like https://shop.example"
                    ),
                });
            }
        }
    }

    let per_minute = |name: &'static str| -> Result<u32, ConfigError> {
        let value: u32 = parsed(name, text(name))?;
        if value == 0 {
            return Err(ConfigError::Value {
                key: name,
                source_name: text(name).1,
                detail: "must be at least 1".into(),
            });
        }
        Ok(value)
    };

    let mail_folder = match optional("mail_folder") {
        Some(folder) => PathBuf::from(folder),
        None => data_dir.join("outbox-mail"),
    };
    Ok(Settings {
        data_dir,
        database_url,
        listen: parsed("listen", text("listen"))?,
        sites,
        body_limit_bytes: parsed("body_limit_bytes", text("body_limit_bytes"))?,
        request_timeout: Duration::from_secs(parsed(
            "request_timeout_secs",
            text("request_timeout_secs"),
        )?),
        ip_rate_per_minute: per_minute("ip_rate_per_minute")?,
        site_rate_per_minute: per_minute("site_rate_per_minute")?,
        trust_forwarded_for: parsed("trust_forwarded_for", text("trust_forwarded_for"))?,
        min_fill_time_ms: parsed("min_fill_time_ms", text("min_fill_time_ms"))?,
        retention_days: parsed("retention_days", text("retention_days"))?,
        newsletter_per_ip_hour: parsed("newsletter_per_ip_hour", text("newsletter_per_ip_hour"))?,
        newsletter_per_net_hour: parsed(
            "newsletter_per_net_hour",
            text("newsletter_per_net_hour"),
        )?,
        listmonk_url: optional("listmonk_url").map(|url| url.trim_end_matches('/').to_owned()),
        listmonk_user: optional("listmonk_user"),
        listmonk_token: optional("listmonk_token").map(Secret),
        listmonk_lists: {
            let (value, source_name) = text("listmonk_lists");
            crate::newsletter::listmonk::parse_lists(&value).map_err(|detail| {
                ConfigError::Value {
                    key: "listmonk_lists",
                    source_name,
                    detail,
                }
            })?
        },
        public_url: match optional("public_url") {
            None => None,
            Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                Some(url.trim_end_matches('/').to_owned())
            }
            Some(url) => {
                return Err(ConfigError::Value {
                    key: "public_url",
                    source_name: text("public_url").1,
                    detail: format!("`{url}` must start with https:// (or http://)"),
                })
            }
        },
        secret_key: match optional("secret_key") {
            Some(key) if key.len() < 32 => {
                return Err(ConfigError::Value {
                    key: "secret_key",
                    source_name: text("secret_key").1,
                    detail: "must be at least 32 characters".into(),
                })
            }
            key => key,
        },
        smtp_url: match optional("smtp_url") {
            Some(url) if !(url.starts_with("smtp://") || url.starts_with("smtps://")) => {
                return Err(ConfigError::Value {
                    key: "smtp_url",
                    source_name: text("smtp_url").1,
                    detail: "must start with smtps:// or smtp://".into(),
                })
            }
            url => url,
        },
        mail_from: {
            let (from, source_name) = text("mail_from");
            if from.parse::<lettre::message::Mailbox>().is_err() {
                return Err(ConfigError::Value {
                    key: "mail_from",
                    source_name,
                    detail: format!("`{from}` is not an address like `Kudos <kudos@shop.example>`"),
                });
            }
            from
        },
        mail_folder,
        dev_mail_viewer: parsed("dev_mail_viewer", text("dev_mail_viewer"))?,
        log: text("log").0,
    })
}

/// A TOML scalar as the text a flag would carry.
fn toml_text(value: &toml::Value) -> String {
    match value {
        toml::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|err| ConfigError::File {
        path: path.to_owned(),
        detail: err.to_string(),
    })?;
    toml::from_str(&text).map_err(|err| ConfigError::File {
        path: path.to_owned(),
        detail: err.to_string(),
    })
}

/// The command line: every subcommand, with the keys as flags.
pub fn command() -> Command {
    let database_args = || args(Scope::Global);
    Command::new("kudos-server")
        .version(env!("CARGO_PKG_VERSION"))
        .about("The receiver for kudos-widget: stores praise and sign-ups, serves the wall and the staff roster.")
        .after_help(key_table())
        .subcommand_required(true)
        .args(database_args())
        .subcommand(
            Command::new("serve")
                .about("Run the HTTP server")
                .args(args(Scope::Serve))
                .after_help(key_table()),
        )
        .subcommand(
            Command::new("praise")
                .about("List or approve praise from the command line")
                .subcommand_required(true)
                .subcommand(
                    Command::new("list").about("Print praise, newest first").arg(
                        Arg::new("status")
                            .long("status")
                            .help("Only this status: pending_moderation, approved, rejected, spam"),
                    ),
                )
                .subcommand(
                    Command::new("approve")
                        .about("Approve one praise for the wall")
                        .arg(Arg::new("id").required(true)),
                )
                .subcommand(
                    Command::new("reject")
                        .about("Reject one praise")
                        .arg(Arg::new("id").required(true)),
                ),
        )
        .subcommand(
            Command::new("staff")
                .about("The staff roster")
                .subcommand_required(true)
                .subcommand(
                    Command::new("import")
                        .about("Add or update staff from a CSV file (id,name,role,location,nicknames,email,manager_email)")
                        .arg(Arg::new("file").required(true))
                        .arg(site_arg()),
                )
                .subcommand(
                    Command::new("export")
                        .about("Print the roster as CSV")
                        .arg(site_arg()),
                ),
        )
        .subcommand(
            Command::new("admin")
                .about("The owner's pages: accounts")
                .subcommand_required(true)
                .args(key_args(&["public_url", "listen"]))
                .subcommand(
                    Command::new("add")
                        .about("Add an owner (or give them a new link) and print a one-time link to set the password (works once, for 24 hours)")
                        .arg(Arg::new("email").required(true)),
                ),
        )
        .subcommand(
            Command::new("erase")
                .about("Erase one person's data everywhere and print what was removed")
                .arg(Arg::new("email").long("email").required(true)),
        )
}

fn site_arg() -> Arg {
    Arg::new("site")
        .long("site")
        .default_value("default")
        .help("The site id the roster belongs to")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(args: &[&str]) -> Result<Settings, ConfigError> {
        let matches = command()
            .try_get_matches_from(std::iter::once("kudos-server").chain(args.iter().copied()))
            .expect("arguments parse");
        let (_, serve) = matches.subcommand().expect("a subcommand");
        // Global keys are visible from the subcommand's matches too.
        resolve(serve)
    }

    #[test]
    fn defaults_are_the_embedded_setup() {
        let settings = settings(&["serve"]).unwrap();
        assert_eq!(settings.listen.to_string(), "127.0.0.1:8787");
        assert_eq!(settings.database_url, "sqlite://kudos-data/kudos.db");
        assert_eq!(settings.body_limit_bytes, 65536);
        assert_eq!(settings.retention_days, 365);
        assert_eq!(settings.sites.len(), 1);
        assert_eq!(settings.sites[0].id, "default");
        assert!(settings.sites[0].origins.is_empty());
    }

    #[test]
    fn flags_set_origins_and_bad_values_name_their_key() {
        let settings = settings(&[
            "serve",
            "--allowed-origin",
            "https://a.example/",
            "--allowed-origin",
            "https://b.example",
        ])
        .unwrap();
        assert_eq!(
            settings.sites[0].origins,
            ["https://a.example", "https://b.example"]
        );
        let err = super::tests::settings(&["serve", "--listen", "nowhere"]).unwrap_err();
        assert!(err.to_string().contains("`listen` (--listen)"), "{err}");
        let err =
            super::tests::settings(&["serve", "--allowed-origin", "shop.example"]).unwrap_err();
        assert!(err.to_string().contains("scheme://host"), "{err}");
    }

    #[test]
    fn the_file_gives_sites_and_keys_and_flags_win() {
        let dir = std::env::temp_dir().join(format!("kudos-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("kudos.toml");
        std::fs::write(
            &path,
            "listen = \"127.0.0.1:9000\"\nretention_days = 30\n\n[[sites]]\nid = \"larch\"\norigins = [\"https://larch.example\"]\nauto_publish = true\n",
        )
        .unwrap();
        let path = path.to_str().unwrap();
        let settings = settings(&["--config", path, "serve", "--retention-days", "7"]).unwrap();
        assert_eq!(settings.listen.to_string(), "127.0.0.1:9000");
        assert_eq!(settings.retention_days, 7);
        assert_eq!(settings.sites.len(), 1);
        assert_eq!(settings.sites[0].id, "larch");
        assert!(settings.sites[0].auto_publish);

        std::fs::write(dir.join("bad.toml"), "lisen = \"x\"\n").unwrap();
        let bad = dir.join("bad.toml");
        let err =
            super::tests::settings(&["--config", bad.to_str().unwrap(), "serve"]).unwrap_err();
        assert!(err.to_string().contains("lisen"), "{err}");
    }

    #[test]
    fn every_key_is_in_the_readme_table() {
        let readme = include_str!("../../README.md");
        for key in KEYS {
            let row = format!("| `{}` | `--{}` | `{}` |", key.name, key.flag, key.env);
            assert!(readme.contains(&row), "README lacks the row starting {row}");
        }
    }
}
