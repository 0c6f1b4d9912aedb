//! Notifications: who hears about a praise, and the emails they get.
//!
//! [`Notifier::run`] turns one claimed job (see `crate::jobs`) into emails:
//! - `notify_manager` (a new praise): the manager the roster names for the staff member (by
//!   roster id, else by exact name within the site), else the site's `default_recipient`; with
//!   signed Approve / Reject links while the praise waits. On a `weekly` site it sends nothing:
//!   the week's digest carries it.
//! - `notify_employee` (approved): the employee, when the roster has their address and
//!   `wants_email` is yes.
//! - `notify_visitor` (approved): the visitor, only with an address AND the contact consent.
//! - `weekly_digest`: one email per manager with the site's praise of one week.
//!
//! Each email goes through [`Notifier::deliver`], the exactly-once step (see `crate::jobs`).
//! Logs name job ids, kinds and outcomes, never an address, a name or a story.

pub mod folder;
pub mod mailer;
pub mod messages;
mod newsletter;
pub mod smtp;

use std::collections::BTreeMap;
use std::sync::Arc;

use lettre::message::Mailbox;
use sha2::{Digest, Sha256};

use crate::config::{NotifyMode, Settings, Site};
use crate::http::pages::Lang;
use crate::links::{self, LinkSigner, Purpose};
use crate::store::{ClaimedJob, Delivery, JobKind, Store, StoreError, StoredPraise};
pub use mailer::{Mail, MailError, Mailer};
use messages::{Decision, Story};

/// The path of the page behind a signed link (`http::links`).
pub const LINK_PATH: &str = "/links";

/// Why a job did not finish. `Display` is for an owner; the detail for the log.
#[derive(Debug, Clone, thiserror::Error)]
pub enum JobError {
    #[error(transparent)]
    Mail(#[from] MailError),
    #[error("the database could not be used; it will be tried again")]
    Store(#[from] StoreError),
    #[error("this job is of an unknown kind")]
    UnknownKind(String),
    /// Another process took the job over (this one's lease passed): stop without an outcome.
    #[error("the job was taken over by another process")]
    LostLease,
}

impl JobError {
    /// Whether another attempt could succeed.
    pub fn is_temporary(&self) -> bool {
        match self {
            JobError::Mail(err) => err.is_temporary(),
            JobError::Store(_) | JobError::LostLease => true,
            JobError::UnknownKind(_) => false,
        }
    }

    /// For the log and `jobs.last_error`: codes and kinds, no personal data.
    pub fn detail(&self) -> String {
        match self {
            JobError::Mail(err) => format!("{err}: {}", err.detail()),
            JobError::Store(err) => err.to_string(),
            JobError::UnknownKind(kind) => format!("unknown job kind {kind:?}"),
            JobError::LostLease => "lease lost".into(),
        }
    }
}

/// Everything a job needs to send its emails.
pub struct Notifier {
    store: Store,
    settings: Arc<Settings>,
    mailer: Arc<dyn Mailer>,
    links: LinkSigner,
    from: Mailbox,
    /// `https://kudos.shop.example`, no trailing slash.
    public_url: String,
}

impl Notifier {
    pub fn new(
        store: Store,
        settings: Arc<Settings>,
        mailer: Arc<dyn Mailer>,
        links: LinkSigner,
        public_url: String,
    ) -> Result<Notifier, MailError> {
        let from = settings
            .mail_from
            .parse::<Mailbox>()
            .map_err(|err| MailError::Config {
                detail: format!("mail_from: {err}"),
            })?;
        Ok(Notifier {
            store,
            settings,
            mailer,
            links,
            from,
            public_url,
        })
    }

    /// The mailer the settings ask for: SMTP when `smtp_url` is set, else the `.eml` folder.
    pub fn mailer_for(settings: &Settings) -> Result<Arc<dyn Mailer>, MailError> {
        Ok(match &settings.smtp_url {
            Some(url) => Arc::new(smtp::SmtpMailer::new(url)?),
            None => Arc::new(folder::FolderMailer::new(settings.mail_folder.clone())?),
        })
    }

    pub fn describe_mailer(&self) -> String {
        self.mailer.describe()
    }

    fn site(&self, id: &str) -> Option<&Site> {
        self.settings.sites.iter().find(|site| site.id == id)
    }

    /// Runs one job; `Ok` carries a short outcome for `jobs.outcome` (no personal data).
    pub async fn run(&self, job: &ClaimedJob) -> Result<String, JobError> {
        if job.kind == crate::store::SIGNUP_JOB {
            return self.newsletter_signup(job).await;
        }
        if job.kind == crate::store::FORWARD_JOB {
            return self.newsletter_forward(job).await;
        }
        match JobKind::parse(&job.kind) {
            Some(JobKind::NotifyManager) => self.notify_manager(job).await,
            Some(JobKind::NotifyEmployee) => self.notify_employee(job).await,
            Some(JobKind::NotifyVisitor) => self.notify_visitor(job).await,
            Some(JobKind::WeeklyDigest) => self.weekly_digest(job).await,
            // Run by `crate::webhooks`.
            Some(JobKind::WebhookEvent | JobKind::Webhook) | None => {
                Err(JobError::UnknownKind(job.kind.clone()))
            }
        }
    }

    /// The name a message uses for the staff member: the roster's, else what the visitor gave.
    fn staff_name(praise: &StoredPraise, roster_name: Option<&str>) -> String {
        roster_name
            .map(str::to_owned)
            .or_else(|| praise.staff_name.clone())
            .or_else(|| praise.staff_description.clone())
            .unwrap_or_else(|| "—".to_owned())
    }

    /// Approve / Reject links for `recipient`, while the praise waits for a decision.
    fn decision(&self, praise: &StoredPraise, recipient: &str) -> Option<Decision> {
        if praise.status != "pending_moderation" {
            return None;
        }
        let now = crate::now_ms();
        let expires = links::expiry_from(now);
        let url = |purpose| {
            format!(
                "{}{LINK_PATH}?t={}",
                self.public_url,
                self.links.sign(purpose, &praise.id, recipient, expires)
            )
        };
        let until = time::OffsetDateTime::from_unix_timestamp(expires)
            .map(|at| at.date().to_string())
            .unwrap_or_default();
        Some(Decision {
            approve: url(Purpose::Approve),
            reject: url(Purpose::Reject),
            until,
        })
    }

    /// Who hears about new praise on `site` for this staff member.
    fn manager_of(site: Option<&Site>, manager_email: Option<&str>) -> Option<String> {
        manager_email
            .map(str::to_owned)
            .or_else(|| site.and_then(|site| site.default_recipient.clone()))
    }

    async fn notify_manager(&self, job: &ClaimedJob) -> Result<String, JobError> {
        let Some(praise) = self.store.praise(&job.subject).await? else {
            return Ok("praise gone".into());
        };
        let site = self.site(&praise.site_id);
        if site.is_some_and(|site| site.notify == NotifyMode::Weekly) {
            return Ok("left to the weekly digest".into());
        }
        let contact = self.store.staff_contact(&praise).await?;
        let manager = contact.as_ref().and_then(|c| c.manager_email.as_deref());
        let Some(recipient) = Self::manager_of(site, manager) else {
            return Ok("no manager and no default recipient".into());
        };
        let lang = Lang::from_tag(&praise.language);
        let story = Story {
            praise: &praise,
            staff: Self::staff_name(&praise, contact.as_ref().map(|c| c.name.as_str())),
            decision: self.decision(&praise, &recipient),
        };
        let written = messages::manager(lang, &story);
        let event = format!("praise:{}:received", praise.id);
        self.deliver(job, &event, "manager", &recipient, written)
            .await
    }

    async fn notify_employee(&self, job: &ClaimedJob) -> Result<String, JobError> {
        let Some(praise) = self.store.praise(&job.subject).await? else {
            return Ok("praise gone".into());
        };
        if praise.status != "approved" {
            return Ok("no longer approved".into());
        }
        let contact = self.store.staff_contact(&praise).await?;
        let Some(contact) = contact else {
            return Ok("not on the roster".into());
        };
        let Some(email) = contact.email.clone().filter(|_| contact.wants_email) else {
            return Ok("no address or does not want email".into());
        };
        let lang = Lang::from_tag(&praise.language);
        let first_name = contact
            .name
            .split_whitespace()
            .next()
            .unwrap_or(&contact.name)
            .to_owned();
        let story = Story {
            praise: &praise,
            staff: contact.name.clone(),
            decision: None,
        };
        let written = messages::employee(lang, &story, &first_name);
        let event = format!("praise:{}:approved", praise.id);
        self.deliver(job, &event, "employee", &email, written).await
    }

    async fn notify_visitor(&self, job: &ClaimedJob) -> Result<String, JobError> {
        let Some(praise) = self.store.praise(&job.subject).await? else {
            return Ok("praise gone".into());
        };
        if praise.status != "approved" {
            return Ok("no longer approved".into());
        }
        let Some(email) = praise
            .visitor_email
            .clone()
            .filter(|_| praise.contact_granted)
        else {
            return Ok("no address or no contact consent".into());
        };
        let contact = self.store.staff_contact(&praise).await?;
        let lang = Lang::from_tag(&praise.language);
        let story = Story {
            praise: &praise,
            staff: Self::staff_name(&praise, contact.as_ref().map(|c| c.name.as_str())),
            decision: None,
        };
        let written = messages::visitor(lang, &story);
        let event = format!("praise:{}:approved", praise.id);
        self.deliver(job, &event, "visitor", &email, written).await
    }

    async fn weekly_digest(&self, job: &ClaimedJob) -> Result<String, JobError> {
        let Some((site_id, start)) = crate::jobs::parse_digest_subject(&job.subject) else {
            return Err(JobError::UnknownKind(format!("digest {}", job.subject)));
        };
        let site = self.site(site_id);
        let end = start + crate::jobs::WEEK_MS;
        let praise = self
            .store
            .praise_received_between(site_id, start, end)
            .await?;
        // Group by recipient, keeping each praise's roster name.
        let mut groups: BTreeMap<String, Vec<(StoredPraise, Option<String>)>> = BTreeMap::new();
        for item in praise {
            let contact = self.store.staff_contact(&item).await?;
            let manager = contact.as_ref().and_then(|c| c.manager_email.as_deref());
            if let Some(recipient) = Self::manager_of(site, manager) {
                let name = contact.map(|c| c.name);
                groups
                    .entry(recipient.to_lowercase())
                    .or_default()
                    .push((item, name));
            }
        }
        let week = time::OffsetDateTime::from_unix_timestamp(start / 1000)
            .map(|at| at.date().to_string())
            .unwrap_or_default();
        let mut sent = 0;
        for (recipient, items) in &groups {
            // The language most of the notes were written in.
            let french = items
                .iter()
                .filter(|(p, _)| Lang::from_tag(&p.language) == Lang::FrCa)
                .count();
            let lang = if french * 2 > items.len() {
                Lang::FrCa
            } else {
                Lang::En
            };
            let stories: Vec<Story<'_>> = items
                .iter()
                .map(|(praise, name)| Story {
                    praise,
                    staff: Self::staff_name(praise, name.as_deref()),
                    decision: self.decision(praise, recipient),
                })
                .collect();
            let written = messages::digest(lang, &week, &stories);
            let event = format!("digest:{}", job.subject);
            // A digest is long work: keep the lease ahead of it.
            if !self
                .store
                .extend_lease(job, crate::now_ms() + crate::jobs::LEASE_MS)
                .await?
            {
                return Err(JobError::LostLease);
            }
            self.deliver(job, &event, "digest", recipient, written)
                .await?;
            sent += 1;
        }
        Ok(format!("digest for {sent} recipients"))
    }

    /// Sends one email at most once per (event, recipient, kind):
    /// 1. already `sent` → nothing;
    /// 2. record `sending` (committed);
    /// 3. hand the message to the mailer (SMTP `250` after `DATA`, or the file renamed in place);
    /// 4. record `sent`.
    ///
    /// A crash between 3 and 4, and only there, sends the message again on the next attempt,
    /// with the same `Message-ID`. See `crate::jobs` for what "exactly once" means.
    async fn deliver(
        &self,
        job: &ClaimedJob,
        event: &str,
        kind: &'static str,
        recipient: &str,
        written: messages::Written,
    ) -> Result<String, JobError> {
        self.deliver_with(job, event, kind, recipient, written, None)
            .await
    }

    /// [`Notifier::deliver`], with the unsubscribe address newsletter emails carry.
    async fn deliver_with(
        &self,
        job: &ClaimedJob,
        event: &str,
        kind: &'static str,
        recipient: &str,
        written: messages::Written,
        list_unsubscribe: Option<String>,
    ) -> Result<String, JobError> {
        let recipient = recipient.trim();
        let key = links::hex(&Sha256::digest(format!(
            "{event}\n{}\n{kind}",
            recipient.to_lowercase()
        )));
        let domain = self.from.email.domain().to_owned();
        let delivery = Delivery {
            key: key.clone(),
            job_id: job.id.clone(),
            channel: "email",
            kind,
            subject: job.subject.clone(),
            message_id: format!("<{}.kudos@{domain}>", &key[..32]),
        };
        let to = recipient.parse::<Mailbox>().map_err(|_| MailError::Build {
            detail: format!("the {kind} address is not valid"),
        })?;
        let now = crate::now_ms();
        if self.store.delivery_sent(&key).await?
            || !self.store.begin_delivery(&delivery, now).await?
        {
            return Ok(format!("{kind} email already sent"));
        }
        let mail = Mail {
            from: self.from.clone(),
            to,
            subject: written.subject,
            language: written.language,
            text: written.text,
            html: written.html,
            message_id: delivery.message_id.clone(),
            kind,
            key: key.clone(),
            list_unsubscribe,
        };
        self.mailer.send(&mail).await?;
        self.store.delivery_done(&key, crate::now_ms()).await?;
        tracing::info!(job = %job.id, kind, "email sent");
        Ok(format!("{kind} email sent"))
    }
}
