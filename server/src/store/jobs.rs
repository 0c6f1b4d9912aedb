//! The job queue and the delivery record, in SQL (see `crate::jobs` for how they are used).
//!
//! - Enqueueing happens inside the transaction of the state change that causes it
//!   ([`enqueue_in`]), so a praise is never stored without its notice nor a notice queued for a
//!   praise that was rolled back. `dedupe_key` is unique: enqueueing the same event twice is a
//!   no-op.
//! - Claiming is one `UPDATE … WHERE id IN (SELECT … LIMIT n)`: on PostgreSQL the inner select
//!   takes `FOR UPDATE SKIP LOCKED`, so instances never wait for, nor take, each other's rows; on
//!   SQLite the statement runs under the database's single writer lock. A claim sets a lease
//!   (`locked_until`) and a fresh `lock_token`; a running job whose lease has passed belonged to a
//!   process that died and is claimed again. Finishing checks the token, so a process that lost
//!   its lease can't overwrite the new owner's outcome.
//! - `deliveries` keeps one row per (event, recipient, kind): `sending` before the message leaves,
//!   `sent` once the receiving server accepted it. A job that runs again skips what is `sent`.

use sqlx::Row;

use super::{Backend, PraiseStatus, Store, StoreError};

/// What a job does; the runner dispatches on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// A new praise: tell the staff member's manager (or the site's default recipient).
    NotifyManager,
    /// An approved praise: tell the employee it is about.
    NotifyEmployee,
    /// An approved praise: tell the visitor who wrote it (only with their contact consent).
    NotifyVisitor,
    /// A week ended on a weekly site: one digest per manager.
    WeeklyDigest,
    /// A praise event (`PRAISE|EVENT`): one `Webhook` job per target the site has.
    WebhookEvent,
    /// One delivery to one Slack, Teams or outgoing webhook (`PRAISE|EVENT|TARGET`).
    Webhook,
}

impl JobKind {
    pub const ALL: [JobKind; 6] = [
        JobKind::NotifyManager,
        JobKind::NotifyEmployee,
        JobKind::NotifyVisitor,
        JobKind::WeeklyDigest,
        JobKind::WebhookEvent,
        JobKind::Webhook,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::NotifyManager => "notify_manager",
            JobKind::NotifyEmployee => "notify_employee",
            JobKind::NotifyVisitor => "notify_visitor",
            JobKind::WeeklyDigest => "weekly_digest",
            JobKind::WebhookEvent => "webhook_event",
            JobKind::Webhook => "webhook",
        }
    }

    pub fn parse(text: &str) -> Option<JobKind> {
        JobKind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// How many times a job runs before it is kept as `failed`.
pub const MAX_ATTEMPTS: i64 = 8;

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: JobKind,
    /// What it is about: a praise id, or `site/week` for a digest.
    pub subject: String,
    /// Unique per event; a second enqueue of the same key does nothing.
    pub dedupe_key: String,
    pub run_at: i64,
}

impl NewJob {
    /// The job for `kind` about one praise, due at once.
    pub fn for_praise(kind: JobKind, praise_id: &str, now_ms: i64) -> NewJob {
        NewJob {
            kind,
            subject: praise_id.to_owned(),
            dedupe_key: format!("{}:{praise_id}", kind.as_str()),
            run_at: now_ms,
        }
    }
}

impl NewJob {
    /// The webhook fan-out of one praise event (`praise.received`, `praise.approved`).
    pub fn webhook_event(praise_id: &str, event: &str, now_ms: i64) -> NewJob {
        let subject = format!("{praise_id}|{event}");
        NewJob {
            kind: JobKind::WebhookEvent,
            dedupe_key: format!("{}:{subject}", JobKind::WebhookEvent.as_str()),
            subject,
            run_at: now_ms,
        }
    }
}

/// A job this process holds the lease on.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub id: String,
    pub kind: String,
    pub subject: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
    pub max_attempts: i64,
    pub token: String,
}

/// How a held job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobEnd {
    /// Done, with a short outcome (no personal data).
    Done(String),
    /// Failed (`error` holds no personal data): queued again at `retry_at`, or kept as `failed`
    /// when `retry_at` is `None` (a permanent failure) or the job has no attempts left.
    Failed {
        error: String,
        retry_at: Option<i64>,
    },
}

/// One row of the queue, for tests and the owner's delivery log.
#[derive(Debug, Clone)]
pub struct JobRow {
    pub id: String,
    pub kind: String,
    pub subject: String,
    pub status: String,
    pub attempts: i64,
    pub run_at: i64,
    pub last_error: Option<String>,
    pub outcome: Option<String>,
}

/// A message about to be sent: the exactly-once record's key and what it is.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// SHA-256 (hex) of event, recipient and kind.
    pub key: String,
    pub job_id: String,
    pub channel: &'static str,
    pub kind: &'static str,
    pub subject: String,
    pub message_id: String,
}

/// What a moderation decision did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moderated {
    /// The praise has the status now; an approval's notices are queued (once per praise).
    Done,
    /// No praise has that id.
    NotFound,
    /// The signed link given with the decision was used already; nothing changed.
    LinkUsed,
}

/// A signed link spent by a decision (recorded in the decision's transaction).
#[derive(Debug, Clone)]
pub struct UsedLink {
    pub key: String,
    pub purpose: String,
}

/// Enqueues `job` inside `tx`; false when its dedupe key was already there.
pub(super) async fn enqueue_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    job: &NewJob,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO jobs (id, kind, subject, dedupe_key, status, attempts, max_attempts, run_at, \
         created_at) VALUES ($1, $2, $3, $4, 'queued', 0, $5, $6, $7) \
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(random_id())
    .bind(job.kind.as_str())
    .bind(&job.subject)
    .bind(&job.dedupe_key)
    .bind(MAX_ATTEMPTS)
    .bind(job.run_at)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The notices an approval causes: the employee's and the visitor's (each decides when it runs
/// whether there is anyone to tell), and the site's webhooks.
pub(super) async fn enqueue_approved(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    praise_id: &str,
    now_ms: i64,
) -> Result<(), StoreError> {
    for kind in [JobKind::NotifyEmployee, JobKind::NotifyVisitor] {
        enqueue_in(tx, &NewJob::for_praise(kind, praise_id, now_ms), now_ms).await?;
    }
    let hooks = NewJob::webhook_event(praise_id, crate::webhooks::APPROVED, now_ms);
    enqueue_in(tx, &hooks, now_ms).await?;
    Ok(())
}

/// 128 random bits as hex: job ids and lease tokens.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    // The OS generator does not fail on the systems we run on; a zero id would still be unique
    // enough to be caught by the primary key rather than corrupt anything.
    let _ = getrandom::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// Enqueues one job on its own (schedules, tests); false when its dedupe key exists.
    pub async fn enqueue(&self, job: &NewJob, now_ms: i64) -> Result<bool, StoreError> {
        let mut tx = self.writer.begin().await?;
        let added = enqueue_in(&mut tx, job, now_ms).await?;
        tx.commit().await?;
        Ok(added)
    }

    /// Claims up to `limit` due jobs for `lease_ms`: queued ones whose time has come, and running
    /// ones whose lease has passed (their process died). Each claim counts an attempt.
    pub async fn claim_jobs(
        &self,
        now_ms: i64,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<ClaimedJob>, StoreError> {
        let token = random_id();
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        // Two claims, each an ordered walk of the `jobs_due` index that stops after `limit`
        // rows: first jobs whose lease passed (a dead process's; few), then queued jobs that
        // are due. One statement with `OR` of the two made PostgreSQL gather and sort every due
        // job before taking the first few, and the claim slowed as the backlog grew.
        let due = [
            "status = 'running' AND locked_until <= $3 ORDER BY locked_until, id",
            "status = 'queued' AND run_at <= $3 ORDER BY run_at, id",
        ];
        let mut jobs = Vec::new();
        for which in due {
            let room = limit - jobs.len() as i64;
            if room <= 0 {
                break;
            }
            let sql = format!(
                "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = $1, \
                 lock_token = $2 WHERE id IN (SELECT id FROM jobs WHERE \
                 attempts < max_attempts AND {which} LIMIT $4{lock}) \
                 RETURNING id, kind, subject, attempts, max_attempts"
            );
            // Audited: the text holds `$N` placeholders and fixed clauses; values are bound.
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(now_ms + lease_ms)
                .bind(&token)
                .bind(now_ms)
                .bind(room)
                .fetch_all(&self.writer)
                .await?;
            for row in &rows {
                jobs.push(ClaimedJob {
                    id: row.try_get("id")?,
                    kind: row.try_get("kind")?,
                    subject: row.try_get("subject")?,
                    attempts: row.try_get("attempts")?,
                    max_attempts: row.try_get("max_attempts")?,
                    token: token.clone(),
                });
            }
        }
        jobs.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(jobs)
    }

    /// Running jobs whose lease passed on their last allowed attempt are kept as `failed`.
    pub async fn fail_abandoned_jobs(&self, now_ms: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query(
            "UPDATE jobs SET status = 'failed', last_error = 'abandoned: the process running it \
             stopped on its last attempt', finished_at = $1, lock_token = NULL \
             WHERE status = 'running' AND locked_until <= $2 AND attempts >= max_attempts",
        )
        .bind(now_ms)
        .bind(now_ms)
        .execute(&self.writer)
        .await?
        .rows_affected())
    }

    /// Pushes the lease of a job this process holds; false when it lost it.
    pub async fn extend_lease(&self, job: &ClaimedJob, until_ms: i64) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "UPDATE jobs SET locked_until = $1 WHERE id = $2 AND lock_token = $3 AND status = 'running'",
        )
        .bind(until_ms)
        .bind(&job.id)
        .bind(&job.token)
        .execute(&self.writer)
        .await?
        .rows_affected()
            == 1)
    }

    /// Marks a held job done with a short outcome (no personal data); false when it lost it.
    pub async fn finish_job(
        &self,
        job: &ClaimedJob,
        outcome: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let end = JobEnd::Done(outcome.to_owned());
        Ok(self.end_jobs(&[(job.clone(), end)], now_ms).await?[0])
    }

    /// A held job failed: see [`JobEnd::Failed`]; false when it lost it.
    pub async fn fail_job(
        &self,
        job: &ClaimedJob,
        error: &str,
        retry_at: Option<i64>,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let end = JobEnd::Failed {
            error: error.to_owned(),
            retry_at,
        };
        Ok(self.end_jobs(&[(job.clone(), end)], now_ms).await?[0])
    }

    /// Records how held jobs ended, all in one transaction: the runner ends a whole claimed
    /// batch with one commit instead of one per job (on SQLite every commit takes the one
    /// writer's turn from ingestion). For each job, false when its lease was lost (another
    /// process owns it now and its outcome stands).
    pub async fn end_jobs(
        &self,
        ends: &[(ClaimedJob, JobEnd)],
        now_ms: i64,
    ) -> Result<Vec<bool>, StoreError> {
        let mut tx = self.writer.begin().await?;
        let mut recorded = Vec::with_capacity(ends.len());
        for (job, end) in ends {
            let statement = match end {
                JobEnd::Done(outcome) => sqlx::query(
                    "UPDATE jobs SET status = 'done', outcome = $1, finished_at = $2, \
                     lock_token = NULL, locked_until = NULL \
                     WHERE id = $3 AND lock_token = $4 AND status = 'running'",
                )
                .bind(outcome)
                .bind(now_ms),
                JobEnd::Failed { error, retry_at } => {
                    match retry_at.filter(|_| job.attempts < job.max_attempts) {
                        Some(at) => sqlx::query(
                            "UPDATE jobs SET status = 'queued', run_at = $1, last_error = $2, \
                             lock_token = NULL, locked_until = NULL \
                             WHERE id = $3 AND lock_token = $4 AND status = 'running'",
                        )
                        .bind(at)
                        .bind(error),
                        None => sqlx::query(
                            "UPDATE jobs SET status = 'failed', finished_at = $1, last_error = $2, \
                             lock_token = NULL, locked_until = NULL \
                             WHERE id = $3 AND lock_token = $4 AND status = 'running'",
                        )
                        .bind(now_ms)
                        .bind(error),
                    }
                }
            };
            let done = statement
                .bind(&job.id)
                .bind(&job.token)
                .execute(&mut *tx)
                .await?;
            recorded.push(done.rows_affected() == 1);
        }
        tx.commit().await?;
        Ok(recorded)
    }

    /// Every job, oldest first (tests, the owner's delivery log).
    pub async fn jobs(&self) -> Result<Vec<JobRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, kind, subject, status, attempts, run_at, last_error, outcome FROM jobs \
             ORDER BY created_at, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(JobRow {
                    id: row.try_get("id")?,
                    kind: row.try_get("kind")?,
                    subject: row.try_get("subject")?,
                    status: row.try_get("status")?,
                    attempts: row.try_get("attempts")?,
                    run_at: row.try_get("run_at")?,
                    last_error: row.try_get("last_error")?,
                    outcome: row.try_get("outcome")?,
                })
            })
            .collect()
    }

    /// How many jobs are queued and due by `now_ms`, or running.
    pub async fn jobs_outstanding(&self, now_ms: i64) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE (status = 'queued' AND run_at <= $1) OR status = 'running'",
        )
        .bind(now_ms)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Whether the message with this key was already accepted by the receiving server.
    pub async fn delivery_sent(&self, key: &str) -> Result<bool, StoreError> {
        let state: Option<String> =
            sqlx::query_scalar("SELECT state FROM deliveries WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?;
        Ok(state.as_deref() == Some("sent"))
    }

    /// Records that a message is about to leave (`sending`); false when it was already `sent`
    /// (then it must not be sent again).
    pub async fn begin_delivery(
        &self,
        delivery: &Delivery,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO deliveries (key, job_id, channel, kind, subject, message_id, state, \
             attempts, started_at) VALUES ($1, $2, $3, $4, $5, $6, 'sending', 1, $7) \
             ON CONFLICT (key) DO UPDATE SET attempts = deliveries.attempts + 1, \
             started_at = excluded.started_at, job_id = excluded.job_id \
             WHERE deliveries.state <> 'sent'",
        )
        .bind(&delivery.key)
        .bind(&delivery.job_id)
        .bind(delivery.channel)
        .bind(delivery.kind)
        .bind(&delivery.subject)
        .bind(&delivery.message_id)
        .bind(now_ms)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The receiving server accepted the message.
    pub async fn delivery_done(&self, key: &str, now_ms: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE deliveries SET state = 'sent', sent_at = $1 WHERE key = $2")
            .bind(now_ms)
            .bind(key)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// How many messages were accepted per kind (tests, the owner's log).
    pub async fn deliveries_sent(&self, kind: &str) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM deliveries WHERE kind = $1 AND state = 'sent'",
            )
            .bind(kind)
            .fetch_one(&self.pool)
            .await?,
        )
    }

    /// A moderation decision in one transaction: the status, the signed link it spent (if any),
    /// and the notices an approval causes.
    pub async fn moderate(
        &self,
        id: &str,
        status: PraiseStatus,
        now_ms: i64,
        link: Option<&UsedLink>,
    ) -> Result<Moderated, StoreError> {
        // The first statement writes, so SQLite takes its write lock at once (a transaction
        // that reads first and writes later can fail when another writer commits in between).
        let mut tx = self.writer.begin().await?;
        let updated = sqlx::query("UPDATE praise SET status = $1, moderated_at = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(now_ms)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if updated == 0 {
            return Ok(Moderated::NotFound);
        }
        if let Some(link) = link {
            let fresh = sqlx::query(
                "INSERT INTO used_links (key, purpose, subject, used_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(&link.key)
            .bind(&link.purpose)
            .bind(id)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if !fresh {
                // Dropping the transaction rolls the status back.
                return Ok(Moderated::LinkUsed);
            }
        }
        if status == PraiseStatus::Approved {
            // Unique per event: approving again (even after a rejection) queues nothing new.
            enqueue_approved(&mut tx, id, now_ms).await?;
        }
        tx.commit().await?;
        Ok(Moderated::Done)
    }
}
