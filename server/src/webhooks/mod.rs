//! Slack, Microsoft Teams and outgoing webhooks: the server posts each praise event to the
//! targets a site has (`[[sites]]` `slack_webhook_url`, `teams_webhook_url`, `webhook_url` +
//! `webhook_secret`; flags for the `default` site). The browser never could: the URLs are the
//! credentials. They are kept in [`Secret`]s, never logged, never served.
//!
//! Events: `praise.received` (a praise stored, not spam) and `praise.approved`. Both ride the
//! job queue (`crate::jobs`):
//! 1. the state change's transaction enqueues one `webhook_event` job (`PRAISE|EVENT`);
//! 2. that job enqueues one `webhook` job per target the site has (`PRAISE|EVENT|TARGET`, unique
//!    per delivery), so each delivery has its own retries with backoff, survives a restart and
//!    is claimed by one instance at a time (`FOR UPDATE SKIP LOCKED` on PostgreSQL);
//! 3. a `webhook` job POSTs the payload (`payloads`) with timeouts, no redirects followed; a
//!    2xx is delivered; a 408, 429, 5xx or a network failure is retried after its backoff; any
//!    other status is kept failed at once. Every attempt is written to the delivery log
//!    (`webhook_attempts`: time, target kind, status or error, attempt number); the owner's
//!    delivery log page shows it and can retry a delivery now.
//!
//! Like email, delivery is at least once: a process that dies after the receiver's answer and
//! before recording it posts again when its lease passes. The outgoing webhook's `webhook-id` is
//! the same on every attempt of one delivery, so receivers deduplicate by it, as the Standard
//! Webhooks spec advises.

pub mod payloads;
pub mod sign;

use std::sync::Arc;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::config::{Secret, Settings, Site};
use crate::store::{ClaimedJob, JobKind, NewAttempt, NewJob, Store, StoreError};
pub use crate::store::{WebhookAttempt, WebhookDelivery};

/// The event of a praise stored (not spam).
pub const RECEIVED: &str = "praise.received";
/// The event of a praise approved.
pub const APPROVED: &str = "praise.approved";

/// Time to connect, and for the whole exchange.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const TIMEOUT: Duration = Duration::from_secs(15);

/// Where a delivery goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Slack,
    Teams,
    Webhook,
}

impl Target {
    pub const ALL: [Target; 3] = [Target::Slack, Target::Teams, Target::Webhook];

    pub fn as_str(self) -> &'static str {
        match self {
            Target::Slack => "slack",
            Target::Teams => "teams",
            Target::Webhook => "webhook",
        }
    }

    pub fn parse(text: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.as_str() == text)
    }

    /// The site's URL for this target (a secret), when it has one.
    fn url(self, site: &Site) -> Option<&Secret> {
        match self {
            Target::Slack => site.slack_webhook_url.as_ref(),
            Target::Teams => site.teams_webhook_url.as_ref(),
            Target::Webhook => site.webhook_url.as_ref(),
        }
    }
}

/// The targets a site has.
pub fn targets(site: &Site) -> Vec<Target> {
    Target::ALL
        .into_iter()
        .filter(|target| target.url(site).is_some())
        .collect()
}

/// Checks a site's webhook and poster settings at start (the error names no secret).
pub fn check_site(site: &Site) -> Result<(), String> {
    for (name, url) in [
        ("slack_webhook_url", &site.slack_webhook_url),
        ("teams_webhook_url", &site.teams_webhook_url),
        ("webhook_url", &site.webhook_url),
    ] {
        if let Some(url) = url {
            let url = url.expose();
            if !(url.starts_with("https://") || url.starts_with("http://"))
                || reqwest::Url::parse(url).is_err()
            {
                return Err(format!("{name} must be an https:// address"));
            }
        }
    }
    match (&site.webhook_url, &site.webhook_secret) {
        (Some(_), None) => return Err("webhook_url needs webhook_secret".into()),
        (_, Some(secret)) => {
            sign::key(secret.expose())?;
        }
        _ => {}
    }
    if let Some(page) = &site.praise_page_url {
        if !(page.starts_with("https://") || page.starts_with("http://"))
            || reqwest::Url::parse(page).is_err()
        {
            return Err(format!(
                "praise_page_url `{page}` must be an https:// address"
            ));
        }
    }
    Ok(())
}

/// A webhook job's subject: `PRAISE|EVENT|TARGET`.
pub fn delivery_subject(praise_id: &str, event: &str, target: Target) -> String {
    format!("{praise_id}|{event}|{}", target.as_str())
}

/// `(praise, event, target)` of a webhook job's subject.
pub fn parse_delivery_subject(subject: &str) -> Option<(&str, &str, Target)> {
    let mut parts = subject.splitn(3, '|');
    let praise = parts.next()?;
    let event = parts.next()?;
    let target = Target::parse(parts.next()?)?;
    Some((praise, event, target))
}

/// The `webhook-id` of one delivery: the same on every attempt.
pub fn message_id(subject: &str) -> String {
    let digest = Sha256::digest(subject.as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("msg_{hex}")
}

/// Why a delivery failed. The detail never holds the URL.
#[derive(Debug, Clone, thiserror::Error)]
pub enum WebhookError {
    /// The receiver answered with a status that is not 2xx.
    #[error("HTTP {0}")]
    Status(u16),
    /// No answer: refused, timed out, TLS failed.
    #[error("{0}")]
    Transport(String),
    #[error("the database could not be used; it will be tried again")]
    Store(#[from] StoreError),
    #[error("this job is not a webhook delivery: {0}")]
    Malformed(String),
}

impl WebhookError {
    pub fn is_temporary(&self) -> bool {
        match self {
            WebhookError::Status(code) => *code == 408 || *code == 429 || *code >= 500,
            WebhookError::Transport(_) | WebhookError::Store(_) => true,
            WebhookError::Malformed(_) => false,
        }
    }

    pub fn detail(&self) -> String {
        self.to_string()
    }
}

/// A transport error without its URL: what happened and its causes.
fn transport_detail(err: reqwest::Error) -> String {
    let kind = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    let err = err.without_url();
    let mut detail = kind.to_owned();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = cause.source();
    }
    detail.chars().take(300).collect()
}

/// Runs the webhook jobs of this process.
pub struct Webhooks {
    store: Store,
    settings: Arc<Settings>,
    http: reqwest::Client,
    /// The base of the moderation link in payloads, no trailing slash.
    public_url: String,
}

impl Webhooks {
    pub fn new(
        store: Store,
        settings: Arc<Settings>,
        public_url: String,
    ) -> Result<Webhooks, String> {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("kudos-server/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|err| format!("the webhook HTTP client: {}", transport_detail(err)))?;
        Ok(Webhooks {
            store,
            settings,
            http,
            public_url,
        })
    }

    /// Whether a job of this kind is one of ours.
    pub fn handles(kind: &str) -> bool {
        matches!(
            JobKind::parse(kind),
            Some(JobKind::WebhookEvent | JobKind::Webhook)
        )
    }

    fn site(&self, id: &str) -> Option<&Site> {
        self.settings.sites.iter().find(|site| site.id == id)
    }

    /// Runs one claimed job; `Ok` carries a short outcome (no URL, no personal data).
    pub async fn run(&self, job: &ClaimedJob) -> Result<String, WebhookError> {
        match JobKind::parse(&job.kind) {
            Some(JobKind::WebhookEvent) => self.fan_out(job).await,
            Some(JobKind::Webhook) => self.deliver(job).await,
            _ => Err(WebhookError::Malformed(job.kind.clone())),
        }
    }

    /// One `webhook` job per target of the praise's site.
    async fn fan_out(&self, job: &ClaimedJob) -> Result<String, WebhookError> {
        let Some((praise_id, event)) = job.subject.split_once('|') else {
            return Err(WebhookError::Malformed(job.subject.clone()));
        };
        let Some(praise) = self.store.praise(praise_id).await? else {
            return Ok("praise gone".into());
        };
        let Some(site) = self.site(&praise.site_id) else {
            return Ok("site no longer configured".into());
        };
        let now = crate::now_ms();
        let mut queued = 0;
        for target in targets(site) {
            let subject = delivery_subject(praise_id, event, target);
            let delivery = NewJob {
                kind: JobKind::Webhook,
                dedupe_key: format!("{}:{subject}", JobKind::Webhook.as_str()),
                subject,
                run_at: now,
            };
            if self.store.enqueue(&delivery, now).await? {
                queued += 1;
            }
        }
        Ok(format!("{queued} webhook deliveries queued"))
    }

    /// One POST to one target, recorded in the delivery log.
    async fn deliver(&self, job: &ClaimedJob) -> Result<String, WebhookError> {
        let Some((praise_id, event, target)) = parse_delivery_subject(&job.subject) else {
            return Err(WebhookError::Malformed(job.subject.clone()));
        };
        let Some(praise) = self.store.praise(praise_id).await? else {
            return Ok("praise gone".into());
        };
        if event == RECEIVED && praise.status == "spam" {
            return Ok("marked as spam since".into());
        }
        let Some(site) = self.site(&praise.site_id) else {
            return Ok("site no longer configured".into());
        };
        let Some(url) = target.url(site) else {
            return Ok(format!("{} no longer configured", target.as_str()));
        };
        let contact = self.store.staff_contact(&praise).await?;
        let staff = contact
            .map(|c| c.name)
            .or_else(|| praise.staff_name.clone())
            .or_else(|| praise.staff_description.clone())
            .unwrap_or_else(|| "—".into());
        let facts = payloads::Facts {
            event,
            praise: &praise,
            staff,
            moderation_url: format!("{}/owner/moderation", self.public_url),
        };
        let body = match target {
            Target::Slack => payloads::slack(&facts),
            Target::Teams => payloads::teams(&facts),
            Target::Webhook => payloads::standard(&facts),
        }
        .to_string();
        let mut request = self
            .http
            .post(url.expose())
            .header(reqwest::header::CONTENT_TYPE, "application/json");
        if target == Target::Webhook {
            let secret = site
                .webhook_secret
                .as_ref()
                .map(Secret::expose)
                .unwrap_or("");
            let key = sign::key(secret).map_err(WebhookError::Malformed)?;
            let id = message_id(&job.subject);
            let timestamp = crate::now_ms().div_euclid(1000);
            request = request
                .header("webhook-id", &id)
                .header("webhook-timestamp", timestamp.to_string())
                .header(
                    "webhook-signature",
                    sign::signature(&key, &id, timestamp, body.as_bytes()),
                );
        }
        let started = Instant::now();
        let at = crate::now_ms();
        let result = match request.body(body).send().await {
            Ok(response) if response.status().is_success() => Ok(response.status().as_u16()),
            Ok(response) => Err(WebhookError::Status(response.status().as_u16())),
            Err(err) => Err(WebhookError::Transport(transport_detail(err))),
        };
        let attempt = NewAttempt {
            job_id: &job.id,
            site_id: &praise.site_id,
            praise_id,
            event,
            target: target.as_str(),
            attempt: job.attempts,
            at,
            status_code: match &result {
                Ok(code) | Err(WebhookError::Status(code)) => Some(i64::from(*code)),
                _ => None,
            },
            error: result.as_ref().err().map(WebhookError::detail),
            duration_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
        };
        if let Err(err) = self.store.record_webhook_attempt(&attempt).await {
            tracing::warn!(job = %job.id, error = %err, "webhook attempt not logged");
        }
        let code = result?;
        tracing::info!(job = %job.id, target = target.as_str(), status = code, "webhook delivered");
        Ok(format!("{} delivered (HTTP {code})", target.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{command, resolve};

    fn settings(args: &[&str]) -> Result<Settings, crate::config::ConfigError> {
        let matches = command()
            .try_get_matches_from(std::iter::once("kudos-server").chain(args.iter().copied()))
            .expect("arguments parse");
        let (_, serve) = matches.subcommand().expect("a subcommand");
        resolve(serve)
    }

    #[test]
    fn sites_take_their_targets_from_the_file_and_never_print_them() {
        let dir = std::env::temp_dir().join(format!("kudos-webhooks-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("kudos.toml");
        std::fs::write(
            &path,
            "[[sites]]\nid = \"larch\"\norigins = [\"https://larch.example\"]\n\
             slack_webhook_url = \"https://hooks.slack.com/services/T0/B0/s3cr3tpart\"\n\
             webhook_url = \"https://hooks.larch.example/kudos\"\n\
             webhook_secret = \"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"\n\
             praise_page_url = \"https://larch.example/thanks\"\n",
        )
        .unwrap();
        let settings = settings(&["--config", path.to_str().unwrap(), "serve"]).unwrap();
        let site = &settings.sites[0];
        assert_eq!(targets(site), [Target::Slack, Target::Webhook]);
        let printed = format!("{settings:?}");
        assert!(
            !printed.contains("s3cr3tpart") && !printed.contains("MfKQ9r8"),
            "{printed}"
        );

        std::fs::write(
            &path,
            "[[sites]]\nid = \"larch\"\nwebhook_url = \"https://hooks.larch.example/kudos\"\n",
        )
        .unwrap();
        let err = super::tests::settings(&["--config", path.to_str().unwrap(), "serve"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("webhook_url needs webhook_secret"), "{err}");
        let err = super::tests::settings(&[
            "serve",
            "--webhook-url",
            "https://hooks.larch.example/kudos",
            "--webhook-secret",
            "not-a-secret",
        ])
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("whsec_") && !err.contains("not-a-secret"),
            "{err}"
        );
        let err = super::tests::settings(&["serve", "--slack-webhook-url", "hooks.slack.com/x"])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("slack_webhook_url") && !err.contains("hooks.slack.com"),
            "{err}"
        );
    }

    #[test]
    fn delivery_subjects_round_trip_and_ids_are_stable() {
        let subject = delivery_subject("p-1", APPROVED, Target::Teams);
        assert_eq!(
            parse_delivery_subject(&subject),
            Some(("p-1", APPROVED, Target::Teams))
        );
        assert_eq!(message_id(&subject), message_id(&subject));
        assert_ne!(
            message_id(&subject),
            message_id("p-1|praise.received|teams")
        );
        assert!(WebhookError::Status(503).is_temporary());
        assert!(WebhookError::Status(429).is_temporary());
        assert!(!WebhookError::Status(404).is_temporary());
    }
}
