//! The job runner: claims due jobs from the database-backed queue (`store::jobs`) and runs them
//! through `notify` (emails) or `webhooks` (Slack, Teams, outgoing webhooks; no exactly-once
//! record there: receivers deduplicate by `webhook-id`).
//!
//! - **Enqueue** happens in the transaction of the state change (a praise stored, a praise
//!   approved), so a job exists exactly when its cause was committed.
//! - **Claim**: one runner per process (`serve` starts it). On PostgreSQL several instances claim
//!   side by side with `FOR UPDATE SKIP LOCKED`; on SQLite the claim runs under the single writer.
//! - **Lease**: a claim holds a job for [`LEASE_MS`]; if the process dies (SIGKILL, power), the
//!   lease passes and any instance claims it again. The SMTP timeout (30 s) is far shorter, and a
//!   digest extends its lease before each email, so a live process never loses a job it works on.
//! - **Retries**: a temporary failure (mail server away, database away) is retried after
//!   [`backoff_ms`] (30 s, doubling, at most an hour); after [`MAX_ATTEMPTS`] attempts, or at once
//!   for a permanent refusal (SMTP 5xx), the job is kept as `failed` with its last error.
//! - **Schedules**: every minute each runner makes sure the last finished week of every `weekly`
//!   site has its digest job (an idempotent insert: one job per site and week, whoever inserts it).
//!
//! **Exactly once.** Each email has a key, SHA-256 of (event, recipient, kind), recorded in
//! `deliveries` as `sending` before the message leaves and `sent` once the receiving server has
//! accepted it (SMTP `250` after `DATA`). A job run again skips every key already `sent`, and
//! jobs are unique per event, so a praise approved twice, a job claimed after a crash, or two
//! instances racing send each email once. The one window left is a crash after the mail server's
//! `250` and before `sent` is committed (one single-row UPDATE, milliseconds): the email is then
//! sent again on the retry, with the **same `Message-ID`** (derived from the key), which lets mail
//! servers and clients that deduplicate drop the copy. We prefer that rare duplicate to a lost
//! email; no SMTP exchange can close the window, because the server's acceptance and our record
//! can't be one transaction.

use std::sync::Arc;
use std::time::Duration;

use crate::config::{NotifyMode, Settings};
use crate::links::LinkSigner;
use crate::notify::{JobError, Notifier};
pub use crate::store::MAX_ATTEMPTS;
use crate::store::{ClaimedJob, JobEnd, JobKind, NewJob, Store};
use crate::webhooks::Webhooks;

/// How long a claim holds a job.
pub const LEASE_MS: i64 = 5 * 60 * 1000;
/// How often an idle runner looks for due jobs (others' retries, other instances' jobs).
const POLL: Duration = Duration::from_millis(500);
/// How many jobs one claim takes.
const BATCH: i64 = 32;
/// How often schedules are checked.
const SCHEDULE_EVERY_MS: i64 = 60_000;

pub const WEEK_MS: i64 = 7 * 86_400_000;
/// Monday 1970-01-05 00:00 UTC: weeks start on Mondays (ISO 8601), in UTC.
const FIRST_MONDAY_MS: i64 = 4 * 86_400_000;

/// The start (Monday 00:00 UTC) of the week holding `at_ms`.
pub fn week_start(at_ms: i64) -> i64 {
    at_ms - (at_ms - FIRST_MONDAY_MS).rem_euclid(WEEK_MS)
}

/// The wait before attempt `attempts + 1`: 30 s, 1 min, 2 min … at most an hour.
pub fn backoff_ms(attempts: i64) -> i64 {
    let exponent = attempts.clamp(1, 20) - 1;
    (30_000i64 << exponent).min(3_600_000)
}

/// A digest job's subject: `SITE/WEEK_START_MS`.
pub fn digest_subject(site_id: &str, start_ms: i64) -> String {
    format!("{site_id}/{start_ms}")
}

pub fn parse_digest_subject(subject: &str) -> Option<(&str, i64)> {
    let (site, start) = subject.rsplit_once('/')?;
    Some((site, start.parse().ok()?))
}

/// Builds the mailer and the link signer the settings ask for and starts the runner (`serve`);
/// `public_url` is the base of links in emails.
pub async fn launch(
    store: Store,
    settings: Arc<Settings>,
    public_url: String,
) -> Result<(), JobError> {
    let mailer = Notifier::mailer_for(&settings)?;
    let links = LinkSigner::load(&store, settings.secret_key.as_deref()).await?;
    let notifier = Notifier::new(
        store.clone(),
        Arc::clone(&settings),
        mailer,
        links,
        public_url.clone(),
    )?;
    let webhooks = Webhooks::new(store.clone(), Arc::clone(&settings), public_url)
        .map_err(|detail| JobError::Mail(crate::notify::MailError::Config { detail }))?;
    start(store, settings, Arc::new(notifier), Arc::new(webhooks));
    Ok(())
}

/// Starts the runner for this process; it runs until the process ends.
pub fn start(
    store: Store,
    settings: Arc<Settings>,
    notifier: Arc<Notifier>,
    webhooks: Arc<Webhooks>,
) {
    tracing::info!(mail = %notifier.describe_mailer(), "notifications: runner started");
    tokio::spawn(run(store, settings, notifier, webhooks));
}

async fn run(
    store: Store,
    settings: Arc<Settings>,
    notifier: Arc<Notifier>,
    webhooks: Arc<Webhooks>,
) {
    let mut next_schedule = 0;
    loop {
        // Shutdown closes the pool: stop here instead of warning about it.
        if store.is_closed() {
            return;
        }
        let now = crate::now_ms();
        if now >= next_schedule {
            schedule_digests(&store, &settings, now).await;
            if let Err(err) = store.fail_abandoned_jobs(now).await {
                tracing::warn!(error = %err, "jobs: sweeping abandoned jobs failed");
            }
            next_schedule = now + SCHEDULE_EVERY_MS;
        }
        let claimed = match store.claim_jobs(now, LEASE_MS, BATCH).await {
            Ok(claimed) => claimed,
            Err(err) => {
                tracing::warn!(error = %err, "jobs: claiming failed");
                tokio::time::sleep(POLL * 4).await;
                continue;
            }
        };
        if claimed.is_empty() {
            tokio::time::sleep(POLL).await;
            continue;
        }
        run_batch(&store, &notifier, &webhooks, claimed).await;
    }
}

/// Runs a claimed batch side by side (emails and webhooks wait on the network, not on each
/// other), then records every outcome in one commit.
async fn run_batch(
    store: &Store,
    notifier: &Arc<Notifier>,
    webhooks: &Arc<Webhooks>,
    claimed: Vec<ClaimedJob>,
) {
    let mut running = tokio::task::JoinSet::new();
    for job in claimed {
        let (notifier, webhooks) = (Arc::clone(notifier), Arc::clone(webhooks));
        running.spawn(async move {
            let end = run_job(&notifier, &webhooks, &job).await;
            (job, end)
        });
    }
    let mut ends = Vec::new();
    while let Some(joined) = running.join_next().await {
        match joined {
            Ok((job, Some(end))) => ends.push((job, end)),
            Ok((_, None)) => {}
            // Its lease passes and the job is claimed again.
            Err(err) => tracing::error!(error = %err, "jobs: a job's task panicked"),
        }
    }
    match store.end_jobs(&ends, crate::now_ms()).await {
        Ok(recorded) => {
            for ((job, _), recorded) in ends.iter().zip(recorded) {
                if !recorded {
                    tracing::warn!(job = %job.id, "job outcome not recorded: lease lost");
                }
            }
        }
        // Their leases pass and the jobs run again (emails are not sent twice: see above).
        Err(err) => tracing::warn!(error = %err, "jobs: outcomes not recorded"),
    }
}

/// Runs one claimed job (emails through `notify`, webhooks through `webhooks`) and says how it
/// ended; `None` when another process took it over (its outcome is that process's to record).
async fn run_job(notifier: &Notifier, webhooks: &Webhooks, job: &ClaimedJob) -> Option<JobEnd> {
    // Err: (whether another attempt could succeed, the detail for the log and the job).
    let result: Result<String, (bool, String)> = if Webhooks::handles(&job.kind) {
        webhooks
            .run(job)
            .await
            .map_err(|err| (err.is_temporary(), err.detail()))
    } else {
        match notifier.run(job).await {
            Err(JobError::LostLease) => {
                tracing::warn!(job = %job.id, kind = %job.kind, "job taken over by another process");
                return None;
            }
            other => other.map_err(|err| (err.is_temporary(), err.detail())),
        }
    };
    Some(match result {
        Ok(outcome) => {
            tracing::info!(job = %job.id, kind = %job.kind, outcome = %outcome, "job done");
            JobEnd::Done(outcome)
        }
        Err((temporary, error)) => {
            let retry_at = temporary.then(|| crate::now_ms() + backoff_ms(job.attempts));
            let last = retry_at.is_none() || job.attempts >= job.max_attempts;
            tracing::warn!(
                job = %job.id,
                kind = %job.kind,
                attempt = job.attempts,
                error = %error,
                "job failed{}",
                if last { "; kept as failed" } else { "; will retry" }
            );
            JobEnd::Failed { error, retry_at }
        }
    })
}

/// Makes sure each weekly site has the digest job of the last finished week.
async fn schedule_digests(store: &Store, settings: &Settings, now: i64) {
    let this_week = week_start(now);
    let last_week = this_week - WEEK_MS;
    for site in settings
        .sites
        .iter()
        .filter(|site| site.notify == NotifyMode::Weekly)
    {
        let subject = digest_subject(&site.id, last_week);
        let job = NewJob {
            kind: JobKind::WeeklyDigest,
            dedupe_key: format!("{}:{subject}", JobKind::WeeklyDigest.as_str()),
            subject,
            run_at: this_week,
        };
        match store.enqueue(&job, now).await {
            Ok(true) => tracing::info!(site = %site.id, "weekly digest scheduled"),
            Ok(false) => {}
            Err(err) => tracing::warn!(error = %err, "scheduling the weekly digest failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_utc() {
        // 2026-11-26 is a Thursday; its week started on Monday 2026-11-23.
        let thursday = 1_795_694_400_000; // 2026-11-26T12:00:00Z
        let monday = 1_795_392_000_000; // 2026-11-23T00:00:00Z
        assert_eq!(week_start(thursday), monday);
        assert_eq!(week_start(monday), monday);
        assert_eq!(week_start(monday - 1), monday - WEEK_MS);
    }

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff_ms(1), 30_000);
        assert_eq!(backoff_ms(2), 60_000);
        assert_eq!(backoff_ms(3), 120_000);
        assert_eq!(backoff_ms(12), 3_600_000);
        assert_eq!(backoff_ms(100), 3_600_000);
    }

    #[test]
    fn digest_subjects_round_trip() {
        let subject = digest_subject("larch/east", 42);
        assert_eq!(parse_digest_subject(&subject), Some(("larch/east", 42)));
        assert_eq!(parse_digest_subject("nonsense"), None);
    }
}
