//! The newsletter's double opt-in in SQL: one subscription per (site, list, address), the consent
//! ledger, the caps on confirmation emails, confirming and withdrawing, the owner's list and
//! export, the 30-day purge of what was never confirmed, and erasure.
//!
//! Addresses are matched by `email_key`, the SHA-256 of the address trimmed and lower-cased
//! ([`email_key`]); the caps table keeps only that key. A cap is checked and reserved in one
//! transaction; two instances running jobs for the same address in the same instant could each
//! pass it once (the jobs of one instance run one after another).

use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{random_id, Backend, Store, StoreError};

/// How an address is matched: hex SHA-256 of the address, trimmed and lower-cased.
pub fn email_key(email: &str) -> String {
    crate::links::hex(&Sha256::digest(email.trim().to_lowercase().as_bytes()))
}

/// At most this many newsletter emails to one address in 24 hours.
pub const MAILS_PER_DAY: i64 = 2;
/// No confirmation email once this many went unconfirmed in 7 days.
pub const UNCONFIRMED_PER_WEEK: i64 = 3;
/// Pending subscriptions (and the sign-ups behind them) are deleted after this many days.
pub const PENDING_DAYS: i64 = 30;

const DAY_MS: i64 = 86_400_000;

/// A sign-up envelope as stored (`subscriptions`), for the job that acts on it.
#[derive(Debug, Clone)]
pub struct SignupRequest {
    pub id: String,
    pub site_id: String,
    pub status: String,
    pub received_at: i64,
    pub language: String,
    pub email: String,
    pub first_name: Option<String>,
    pub lists: Vec<String>,
    pub consent_version: String,
    pub consent_text_sha256: String,
    pub consent_given_at: String,
    pub ip_prefix: Option<String>,
}

/// What a sign-up did to the person's subscriptions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Lists now waiting for this request's confirmation.
    pub pending: Vec<String>,
    /// Lists the address had already confirmed (left as they were).
    pub confirmed: Vec<String>,
}

/// Whether an email may go out under the caps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reserved {
    /// Yes (the reservation is recorded; a retry of the same request finds it).
    Go,
    /// No: too many in 24 hours, or too many unconfirmed this week.
    Capped,
}

/// One subscription, for the owner's pages and the confirm and unsubscribe pages.
#[derive(Debug, Clone)]
pub struct Subscriber {
    pub id: String,
    pub site_id: String,
    pub list_id: String,
    pub email: String,
    pub first_name: Option<String>,
    pub language: String,
    pub status: String,
    pub request_id: String,
    pub consent_version: String,
    pub consent_text_sha256: String,
    pub consent_given_at: String,
    pub consent_received_at: i64,
    pub consent_ip_prefix: Option<String>,
    pub created_at: i64,
    pub confirmed_at: Option<i64>,
    pub unsubscribed_at: Option<i64>,
}

/// One ledger entry.
#[derive(Debug, Clone)]
pub struct LedgerEntry {
    pub event: String,
    pub at: i64,
    pub via: Option<String>,
}

const SUBSCRIBER_COLUMNS: &str = "id, site_id, list_id, email, first_name, language, status, \
     request_id, consent_version, consent_text_sha256, consent_given_at, consent_received_at, \
     consent_ip_prefix, created_at, confirmed_at, unsubscribed_at";

fn subscriber(row: &AnyRow) -> Result<Subscriber, StoreError> {
    Ok(Subscriber {
        id: row.try_get("id")?,
        site_id: row.try_get("site_id")?,
        list_id: row.try_get("list_id")?,
        email: row.try_get("email")?,
        first_name: row.try_get("first_name")?,
        language: row.try_get("language")?,
        status: row.try_get("status")?,
        request_id: row.try_get("request_id")?,
        consent_version: row.try_get("consent_version")?,
        consent_text_sha256: row.try_get("consent_text_sha256")?,
        consent_given_at: row.try_get("consent_given_at")?,
        consent_received_at: row.try_get("consent_received_at")?,
        consent_ip_prefix: row.try_get("consent_ip_prefix")?,
        created_at: row.try_get("created_at")?,
        confirmed_at: row.try_get("confirmed_at")?,
        unsubscribed_at: row.try_get("unsubscribed_at")?,
    })
}

/// The list a sign-up without a choice of lists joins.
pub const DEFAULT_LIST: &str = "newsletter";

#[allow(clippy::too_many_arguments)]
async fn ledger_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    subscriber_id: &str,
    email_key: &str,
    event: &str,
    at: i64,
    request: Option<&SignupRequest>,
    via: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO newsletter_ledger (id, subscriber_id, email_key, event, at, request_id, \
         consent_version, consent_text_sha256, ip_prefix, via) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(random_id())
    .bind(subscriber_id)
    .bind(email_key)
    .bind(event)
    .bind(at)
    .bind(request.map(|r| r.id.clone()))
    .bind(request.map(|r| r.consent_version.clone()))
    .bind(request.map(|r| r.consent_text_sha256.clone()))
    .bind(request.and_then(|r| r.ip_prefix.clone()))
    .bind(via)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// A stored sign-up envelope; `None` when it is gone (purged, erased).
    pub async fn signup_request(&self, id: &str) -> Result<Option<SignupRequest>, StoreError> {
        let row = sqlx::query(
            "SELECT id, site_id, status, received_at, language, email, first_name, lists, \
             consent_version, consent_text_sha256, consent_given_at, ip_prefix \
             FROM subscriptions WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let lists: String = row.try_get("lists")?;
        Ok(Some(SignupRequest {
            id: row.try_get("id")?,
            site_id: row.try_get("site_id")?,
            status: row.try_get("status")?,
            received_at: row.try_get("received_at")?,
            language: row.try_get("language")?,
            email: row.try_get("email")?,
            first_name: row.try_get("first_name")?,
            lists: serde_json::from_str(&lists).unwrap_or_default(),
            consent_version: row.try_get("consent_version")?,
            consent_text_sha256: row.try_get("consent_text_sha256")?,
            consent_given_at: row.try_get("consent_given_at")?,
            ip_prefix: row.try_get("ip_prefix")?,
        }))
    }

    /// Applies a sign-up to the person's subscriptions, one per list: a new or withdrawn one
    /// becomes pending on this request; a pending one moves to this request (the newest consent
    /// is the one confirmed), still one record; a confirmed one is left as it is.
    pub async fn apply_signup(
        &self,
        request: &SignupRequest,
        now_ms: i64,
    ) -> Result<Applied, StoreError> {
        let key = email_key(&request.email);
        let mut lists = request.lists.clone();
        if lists.is_empty() {
            lists.push(DEFAULT_LIST.to_owned());
        }
        lists.sort();
        lists.dedup();
        let mut applied = Applied::default();
        let mut tx = self.writer.begin().await?;
        for list in lists {
            let id = random_id();
            sqlx::query(
                "INSERT INTO newsletter_subscribers (id, site_id, list_id, email, email_key, \
                 first_name, language, status, request_id, consent_version, consent_text_sha256, \
                 consent_given_at, consent_received_at, consent_ip_prefix, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'new', $8, $9, $10, $11, $12, $13, $14) \
                 ON CONFLICT (site_id, list_id, email_key) DO NOTHING",
            )
            .bind(&id)
            .bind(&request.site_id)
            .bind(&list)
            .bind(&request.email)
            .bind(&key)
            .bind(&request.first_name)
            .bind(&request.language)
            .bind(&request.id)
            .bind(&request.consent_version)
            .bind(&request.consent_text_sha256)
            .bind(&request.consent_given_at)
            .bind(request.received_at)
            .bind(&request.ip_prefix)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
            let row = sqlx::query(
                "SELECT id, status, request_id FROM newsletter_subscribers \
                 WHERE site_id = $1 AND list_id = $2 AND email_key = $3",
            )
            .bind(&request.site_id)
            .bind(&list)
            .bind(&key)
            .fetch_one(&mut *tx)
            .await?;
            let (id, status, request_id): (String, String, String) = (
                row.try_get("id")?,
                row.try_get("status")?,
                row.try_get("request_id")?,
            );
            match status.as_str() {
                "confirmed" => applied.confirmed.push(list),
                _ if status == "pending" && request_id == request.id => applied.pending.push(list),
                _ => {
                    sqlx::query(
                        "UPDATE newsletter_subscribers SET status = 'pending', request_id = $1, \
                         email = $2, first_name = $3, language = $4, consent_version = $5, \
                         consent_text_sha256 = $6, consent_given_at = $7, \
                         consent_received_at = $8, consent_ip_prefix = $9, unsubscribed_at = NULL \
                         WHERE id = $10",
                    )
                    .bind(&request.id)
                    .bind(&request.email)
                    .bind(&request.first_name)
                    .bind(&request.language)
                    .bind(&request.consent_version)
                    .bind(&request.consent_text_sha256)
                    .bind(&request.consent_given_at)
                    .bind(request.received_at)
                    .bind(&request.ip_prefix)
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
                    ledger_in(
                        &mut tx,
                        &id,
                        &key,
                        "requested",
                        request.received_at,
                        Some(request),
                        None,
                    )
                    .await?;
                    applied.pending.push(list);
                }
            }
        }
        tx.commit().await?;
        Ok(applied)
    }

    /// Reserves one newsletter email to `email` for `request_id` under the caps: at most
    /// [`MAILS_PER_DAY`] in 24 hours, and no confirmation once [`UNCONFIRMED_PER_WEEK`] went
    /// unconfirmed in 7 days. A request that reserved already (a retried job) goes on.
    pub async fn reserve_newsletter_mail(
        &self,
        email: &str,
        kind: &str,
        request_id: &str,
        now_ms: i64,
    ) -> Result<Reserved, StoreError> {
        let key = email_key(email);
        let mut tx = self.writer.begin().await?;
        // The caps are counted, then a mail is recorded: two jobs for one address (side by side
        // in one runner, or on two instances) must not both count below the cap. On PostgreSQL a
        // lock on the address, held until this transaction ends, puts them in turn; on SQLite
        // the one writer connection already does.
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
                .bind(&key)
                .execute(&mut *tx)
                .await?;
        }
        let mine: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM newsletter_mails WHERE email_key = $1 AND request_id = $2",
        )
        .bind(&key)
        .bind(request_id)
        .fetch_one(&mut *tx)
        .await?;
        if mine > 0 {
            return Ok(Reserved::Go);
        }
        let today: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM newsletter_mails WHERE email_key = $1 AND sent_at > $2",
        )
        .bind(&key)
        .bind(now_ms - DAY_MS)
        .fetch_one(&mut *tx)
        .await?;
        if today >= MAILS_PER_DAY {
            return Ok(Reserved::Capped);
        }
        if kind == "already" {
            // At most one "you're already subscribed" a day.
            let already: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM newsletter_mails \
                 WHERE email_key = $1 AND kind = 'already' AND sent_at > $2",
            )
            .bind(&key)
            .bind(now_ms - DAY_MS)
            .fetch_one(&mut *tx)
            .await?;
            if already >= 1 {
                return Ok(Reserved::Capped);
            }
        }
        if kind == "confirm" {
            let last_confirmed: Option<i64> = sqlx::query_scalar(
                "SELECT MAX(confirmed_at) FROM newsletter_subscribers WHERE email_key = $1",
            )
            .bind(&key)
            .fetch_one(&mut *tx)
            .await?;
            let since = (now_ms - 7 * DAY_MS).max(last_confirmed.unwrap_or(0));
            let unconfirmed: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM newsletter_mails \
                 WHERE email_key = $1 AND kind = 'confirm' AND sent_at > $2",
            )
            .bind(&key)
            .bind(since)
            .fetch_one(&mut *tx)
            .await?;
            if unconfirmed >= UNCONFIRMED_PER_WEEK {
                return Ok(Reserved::Capped);
            }
        }
        sqlx::query(
            "INSERT INTO newsletter_mails (email_key, kind, request_id, sent_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (email_key, request_id) DO NOTHING",
        )
        .bind(&key)
        .bind(kind)
        .bind(request_id)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Reserved::Go)
    }

    /// The subscriptions a request created or moved (pending or not).
    pub async fn subscribers_of_request(
        &self,
        request_id: &str,
    ) -> Result<Vec<Subscriber>, StoreError> {
        let sql = format!(
            "SELECT {SUBSCRIBER_COLUMNS} FROM newsletter_subscribers WHERE request_id = $1 \
             ORDER BY list_id"
        );
        // Audited: a constant column list and a placeholder.
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(request_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(subscriber).collect()
    }

    /// Every subscription of an address on a site.
    pub async fn subscribers_of_address(
        &self,
        site_id: &str,
        key: &str,
    ) -> Result<Vec<Subscriber>, StoreError> {
        let sql = format!(
            "SELECT {SUBSCRIBER_COLUMNS} FROM newsletter_subscribers \
             WHERE site_id = $1 AND email_key = $2 ORDER BY list_id"
        );
        // Audited: a constant column list and placeholders.
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site_id)
            .bind(key)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(subscriber).collect()
    }

    /// Confirms the subscriptions still pending on `request_id`; returns how many.
    pub async fn confirm_request(&self, request_id: &str, now_ms: i64) -> Result<u64, StoreError> {
        let mut tx = self.writer.begin().await?;
        let rows = sqlx::query(
            "SELECT id, email_key FROM newsletter_subscribers \
             WHERE request_id = $1 AND status = 'pending'",
        )
        .bind(request_id)
        .fetch_all(&mut *tx)
        .await?;
        for row in &rows {
            let id: String = row.try_get("id")?;
            let key: String = row.try_get("email_key")?;
            sqlx::query(
                "UPDATE newsletter_subscribers SET status = 'confirmed', confirmed_at = $1 \
                 WHERE id = $2 AND status = 'pending'",
            )
            .bind(now_ms)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
            ledger_in(&mut tx, &id, &key, "confirmed", now_ms, None, Some("link")).await?;
        }
        if !rows.is_empty() {
            sqlx::query("UPDATE subscriptions SET status = 'confirmed' WHERE id = $1")
                .bind(request_id)
                .execute(&mut *tx)
                .await?;
            // Forwarding to listmonk, when configured, in the confirmation's transaction.
            enqueue_kind_in(&mut tx, FORWARD_JOB, request_id, now_ms).await?;
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
    }

    /// Withdraws every subscription of an address on a site (pending ones too: a stranger's
    /// sign-up is stopped the same way); returns how many changed.
    pub async fn unsubscribe_address(
        &self,
        site_id: &str,
        key: &str,
        via: &str,
        now_ms: i64,
    ) -> Result<u64, StoreError> {
        let mut tx = self.writer.begin().await?;
        let rows = sqlx::query(
            "SELECT id FROM newsletter_subscribers \
             WHERE site_id = $1 AND email_key = $2 AND status <> 'unsubscribed'",
        )
        .bind(site_id)
        .bind(key)
        .fetch_all(&mut *tx)
        .await?;
        for row in &rows {
            let id: String = row.try_get("id")?;
            sqlx::query(
                "UPDATE newsletter_subscribers SET status = 'unsubscribed', unsubscribed_at = $1 \
                 WHERE id = $2",
            )
            .bind(now_ms)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
            ledger_in(&mut tx, &id, key, "unsubscribed", now_ms, None, Some(via)).await?;
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
    }

    /// A site's subscriptions, newest first (the owner's list); `confirmed_only` for the export.
    pub async fn subscribers(
        &self,
        site_id: &str,
        confirmed_only: bool,
    ) -> Result<Vec<Subscriber>, StoreError> {
        let filter = if confirmed_only {
            " AND status = 'confirmed'"
        } else {
            " AND status <> 'new'"
        };
        let sql = format!(
            "SELECT {SUBSCRIBER_COLUMNS} FROM newsletter_subscribers WHERE site_id = $1{filter} \
             ORDER BY created_at DESC, id"
        );
        // Audited: constant text and a placeholder.
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(subscriber).collect()
    }

    /// One subscription's ledger, oldest first.
    pub async fn ledger(&self, subscriber_id: &str) -> Result<Vec<LedgerEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT event, at, via FROM newsletter_ledger WHERE subscriber_id = $1 ORDER BY at, id",
        )
        .bind(subscriber_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(LedgerEntry {
                    event: row.try_get("event")?,
                    at: row.try_get("at")?,
                    via: row.try_get("via")?,
                })
            })
            .collect()
    }

    /// Deletes what was never confirmed after [`PENDING_DAYS`]: pending subscriptions with their
    /// ledger, and unconfirmed sign-up envelopes. Returns how many rows went.
    pub async fn purge_unconfirmed_newsletter(&self, now_ms: i64) -> Result<u64, StoreError> {
        let cutoff = now_ms - PENDING_DAYS * DAY_MS;
        let mut tx = self.writer.begin().await?;
        let ledger = sqlx::query(
            "DELETE FROM newsletter_ledger WHERE subscriber_id IN (SELECT id FROM \
             newsletter_subscribers WHERE status IN ('pending', 'new') AND consent_received_at < $1)",
        )
        .bind(cutoff)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let subscribers = sqlx::query(
            "DELETE FROM newsletter_subscribers \
             WHERE status IN ('pending', 'new') AND consent_received_at < $1",
        )
        .bind(cutoff)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let requests = sqlx::query(
            "DELETE FROM subscriptions WHERE received_at < $1 AND status <> 'confirmed'",
        )
        .bind(cutoff)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let mails = sqlx::query("DELETE FROM newsletter_mails WHERE sent_at < $1")
            .bind(cutoff)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(ledger + subscribers + requests + mails)
    }

    /// Erasure's newsletter part, in its transaction: subscriptions, ledger and caps of `email`.
    pub(super) async fn erase_newsletter_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        email: &str,
    ) -> Result<u64, StoreError> {
        let key = email_key(email);
        sqlx::query("DELETE FROM newsletter_ledger WHERE email_key = $1")
            .bind(&key)
            .execute(&mut **tx)
            .await?;
        sqlx::query("DELETE FROM newsletter_mails WHERE email_key = $1")
            .bind(&key)
            .execute(&mut **tx)
            .await?;
        Ok(
            sqlx::query("DELETE FROM newsletter_subscribers WHERE email_key = $1")
                .bind(&key)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
        )
    }
}

/// The job kind that acts on a sign-up (`notify::newsletter`).
pub const SIGNUP_JOB: &str = "newsletter_signup";

/// The job kind that forwards a confirmation to listmonk (`notify::newsletter`).
pub const FORWARD_JOB: &str = "newsletter_forward";

/// Enqueues the sign-up's job in the transaction that stores it.
pub(super) async fn enqueue_signup_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    request_id: &str,
    now_ms: i64,
) -> Result<(), StoreError> {
    enqueue_kind_in(tx, SIGNUP_JOB, request_id, now_ms).await
}

/// Enqueues a newsletter job (`kind` about `request_id`), once per request.
async fn enqueue_kind_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    kind: &str,
    request_id: &str,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO jobs (id, kind, subject, dedupe_key, status, attempts, max_attempts, run_at, \
         created_at) VALUES ($1, $2, $3, $4, 'queued', 0, $5, $6, $7) \
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(random_id())
    .bind(kind)
    .bind(request_id)
    .bind(format!("{kind}:{request_id}"))
    .bind(super::MAX_ATTEMPTS)
    .bind(now_ms)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
