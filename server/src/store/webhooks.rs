//! The webhook delivery log and the owner's "retry now", in SQL (see `crate::webhooks`).
//!
//! Deliveries are jobs of the queue (`store::jobs`, kind `webhook`); each attempt adds one row
//! to `webhook_attempts`: the target's kind, the HTTP status or a short error, the attempt's
//! number. Never a URL, a secret or anything a visitor wrote.

use sqlx::Row;

use super::jobs::random_id;
use super::{Store, StoreError};

/// One attempt to be recorded.
#[derive(Debug, Clone)]
pub struct NewAttempt<'a> {
    pub job_id: &'a str,
    pub site_id: &'a str,
    pub praise_id: &'a str,
    pub event: &'a str,
    pub target: &'a str,
    pub attempt: i64,
    pub at: i64,
    pub status_code: Option<i64>,
    pub error: Option<String>,
    pub duration_ms: i64,
}

/// One attempt as the owner's log shows it.
#[derive(Debug, Clone)]
pub struct WebhookAttempt {
    pub job_id: String,
    pub site_id: String,
    pub praise_id: String,
    pub event: String,
    pub target: String,
    pub attempt: i64,
    pub at: i64,
    pub status_code: Option<i64>,
    pub error: Option<String>,
    pub duration_ms: i64,
}

/// One webhook delivery (a job of kind `webhook`) as the owner's log shows it.
#[derive(Debug, Clone)]
pub struct WebhookDelivery {
    pub job_id: String,
    /// `PRAISE|EVENT|TARGET`.
    pub subject: String,
    /// queued | running | done | failed
    pub status: String,
    pub attempts: i64,
    pub run_at: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
}

impl Store {
    /// Adds one attempt to the delivery log.
    pub async fn record_webhook_attempt(&self, attempt: &NewAttempt<'_>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO webhook_attempts (id, job_id, site_id, praise_id, event, target, attempt, \
             at, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(random_id())
        .bind(attempt.job_id)
        .bind(attempt.site_id)
        .bind(attempt.praise_id)
        .bind(attempt.event)
        .bind(attempt.target)
        .bind(attempt.attempt)
        .bind(attempt.at)
        .bind(attempt.status_code)
        .bind(attempt.error.as_deref())
        .bind(attempt.duration_ms)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// The latest `limit` attempts, newest first.
    pub async fn webhook_attempts(&self, limit: i64) -> Result<Vec<WebhookAttempt>, StoreError> {
        let rows = sqlx::query(
            "SELECT job_id, site_id, praise_id, event, target, attempt, at, status_code, error, \
             duration_ms FROM webhook_attempts ORDER BY at DESC, attempt DESC, id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(WebhookAttempt {
                    job_id: row.try_get("job_id")?,
                    site_id: row.try_get("site_id")?,
                    praise_id: row.try_get("praise_id")?,
                    event: row.try_get("event")?,
                    target: row.try_get("target")?,
                    attempt: row.try_get("attempt")?,
                    at: row.try_get("at")?,
                    status_code: row.try_get("status_code")?,
                    error: row.try_get("error")?,
                    duration_ms: row.try_get("duration_ms")?,
                })
            })
            .collect()
    }

    /// The latest `limit` webhook deliveries, newest first.
    pub async fn webhook_deliveries(&self, limit: i64) -> Result<Vec<WebhookDelivery>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, subject, status, attempts, run_at, last_error, created_at FROM jobs \
             WHERE kind = 'webhook' ORDER BY created_at DESC, id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(WebhookDelivery {
                    job_id: row.try_get("id")?,
                    subject: row.try_get("subject")?,
                    status: row.try_get("status")?,
                    attempts: row.try_get("attempts")?,
                    run_at: row.try_get("run_at")?,
                    last_error: row.try_get("last_error")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// "Retry now": a webhook delivery waiting for its backoff, or kept as failed, is due at
    /// `now_ms` (a failed one gets one more attempt). False when there is no such delivery or it
    /// is running or done.
    pub async fn retry_webhook_now(&self, job_id: &str, now_ms: i64) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "UPDATE jobs SET status = 'queued', run_at = $1, finished_at = NULL, \
             max_attempts = CASE WHEN attempts >= max_attempts THEN attempts + 1 \
             ELSE max_attempts END \
             WHERE id = $2 AND kind = 'webhook' AND status IN ('queued', 'failed')",
        )
        .bind(now_ms)
        .bind(job_id)
        .execute(&self.writer)
        .await?
        .rows_affected()
            == 1)
    }
}
