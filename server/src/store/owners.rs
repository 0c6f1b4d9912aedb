//! The owner's area: accounts, one-time set-password links, sessions, the sign-in lockout, the
//! moderation queue's reads and edits (featured, corrected text), the roster as the owner edits
//! it, and the rows the statistics are counted from.
//!
//! Secrets are never stored as given: session ids and link tokens are kept as their SHA-256
//! (hex), passwords as argon2id PHC strings (hashed by the caller, `http::owner::auth`).

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{
    stored_praise, PraiseStatus, StaffRecord, Store, StoreError, StoredPraise, PRAISE_COLUMNS,
};

/// How many failed sign-ins lock an (account, address) pair, within how long, for how long.
pub const LOCKOUT_FAILURES: i64 = 5;
pub const LOCKOUT_WINDOW_MS: i64 = 15 * 60 * 1000;

/// An owner account, as the sign-in needs it.
#[derive(Debug, Clone)]
pub struct OwnerAccount {
    pub id: String,
    pub email: String,
    pub password_hash: Option<String>,
}

/// A live session.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    /// `None` before sign-in.
    pub owner: Option<(String, String)>,
    pub csrf_token: String,
}

/// A roster entry with its active flag (the owner also sees deactivated members).
#[derive(Debug, Clone)]
pub struct StaffEntry {
    pub record: StaffRecord,
    pub active: bool,
}

/// One praise counted in the statistics.
#[derive(Debug, Clone)]
pub struct CountedPraise {
    pub received_at: i64,
    pub staff_id: Option<String>,
    /// The name the visitor gave, or their description of the person.
    pub staff: String,
    pub location: Option<String>,
}

impl Store {
    /// Creates the account for `email` (lower-cased) unless it exists; returns its id either way.
    pub async fn ensure_owner(
        &self,
        email: &str,
        new_id: &str,
        now_ms: i64,
    ) -> Result<String, StoreError> {
        let email = email.trim().to_lowercase();
        sqlx::query(
            "INSERT INTO owners (id, email, password_hash, created_at) VALUES ($1, $2, NULL, $3) \
             ON CONFLICT (email) DO NOTHING",
        )
        .bind(new_id)
        .bind(&email)
        .bind(now_ms)
        .execute(&self.writer)
        .await?;
        Ok(sqlx::query_scalar("SELECT id FROM owners WHERE email = $1")
            .bind(&email)
            .fetch_one(&self.pool)
            .await?)
    }

    /// Stores a one-time set-password link (by its token's hash).
    pub async fn insert_owner_link(
        &self,
        token_hash: &str,
        owner_id: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO owner_links (token_hash, owner_id, expires_at, used_at) \
             VALUES ($1, $2, $3, NULL)",
        )
        .bind(token_hash)
        .bind(owner_id)
        .bind(expires_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// The account a link is for, while it is unused and unexpired (without using it).
    pub async fn owner_link(
        &self,
        token_hash: &str,
        now_ms: i64,
    ) -> Result<Option<OwnerAccount>, StoreError> {
        let row = sqlx::query(
            "SELECT o.id, o.email, o.password_hash FROM owner_links l JOIN owners o ON o.id = l.owner_id \
             WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(account).transpose()
    }

    /// Uses a link and sets the password in one transaction; false when the link is used,
    /// expired or unknown (two tabs racing: only one wins). Every session of the account ends.
    pub async fn use_owner_link(
        &self,
        token_hash: &str,
        password_hash: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.writer.begin().await?;
        let used = sqlx::query(
            "UPDATE owner_links SET used_at = $1 \
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3",
        )
        .bind(now_ms)
        .bind(token_hash)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !used {
            return Ok(false);
        }
        let owner_id: String =
            sqlx::query_scalar("SELECT owner_id FROM owner_links WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query("UPDATE owners SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(&owner_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM owner_sessions WHERE owner_id = $1")
            .bind(&owner_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The account with this email (any case).
    pub async fn owner_by_email(&self, email: &str) -> Result<Option<OwnerAccount>, StoreError> {
        let row = sqlx::query("SELECT id, email, password_hash FROM owners WHERE email = $1")
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(account).transpose()
    }

    /// Stores a new session (by its id's hash); `owner_id` None before sign-in.
    pub async fn insert_session(
        &self,
        id_hash: &str,
        owner_id: Option<&str>,
        csrf_token: &str,
        now_ms: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO owner_sessions (id_hash, owner_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id_hash)
        .bind(owner_id)
        .bind(csrf_token)
        .bind(now_ms)
        .bind(expires_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// The live session with this id hash.
    pub async fn session(
        &self,
        id_hash: &str,
        now_ms: i64,
    ) -> Result<Option<SessionRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT s.csrf_token, o.id AS owner_id, o.email FROM owner_sessions s \
             LEFT JOIN owners o ON o.id = s.owner_id \
             WHERE s.id_hash = $1 AND s.expires_at > $2",
        )
        .bind(id_hash)
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let owner_id: Option<String> = row.try_get("owner_id")?;
        let email: Option<String> = row.try_get("email")?;
        Ok(Some(SessionRecord {
            owner: owner_id.zip(email),
            csrf_token: row.try_get("csrf_token")?,
        }))
    }

    /// Ends a session.
    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM owner_sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Forgets expired sessions, used or expired links and stale sign-in failures.
    pub async fn purge_owner_state(&self, now_ms: i64) -> Result<u64, StoreError> {
        let mut rows = sqlx::query("DELETE FROM owner_sessions WHERE expires_at <= $1")
            .bind(now_ms)
            .execute(&self.writer)
            .await?
            .rows_affected();
        rows +=
            sqlx::query("DELETE FROM owner_links WHERE expires_at <= $1 OR used_at IS NOT NULL")
                .bind(now_ms)
                .execute(&self.writer)
                .await?
                .rows_affected();
        rows += sqlx::query(
            "DELETE FROM sign_in_failures WHERE locked_until <= $1 AND window_start <= $2",
        )
        .bind(now_ms)
        .bind(now_ms - LOCKOUT_WINDOW_MS)
        .execute(&self.writer)
        .await?
        .rows_affected();
        Ok(rows)
    }

    /// Until when (Unix ms) sign-ins for `email` from `ip` are refused; None when they aren't.
    pub async fn sign_in_locked_until(
        &self,
        email: &str,
        ip: &str,
        now_ms: i64,
    ) -> Result<Option<i64>, StoreError> {
        let until: Option<i64> = sqlx::query_scalar(
            "SELECT locked_until FROM sign_in_failures WHERE email = $1 AND ip = $2",
        )
        .bind(email.trim().to_lowercase())
        .bind(ip)
        .fetch_optional(&self.pool)
        .await?;
        Ok(until.filter(|until| *until > now_ms))
    }

    /// Counts one failed sign-in; the fifth within the window locks the pair. Returns whether
    /// the pair is now locked. The count is one atomic upsert, so instances racing agree.
    pub async fn record_sign_in_failure(
        &self,
        email: &str,
        ip: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let email = email.trim().to_lowercase();
        let failures: i64 = sqlx::query_scalar(
            "INSERT INTO sign_in_failures (email, ip, failures, window_start, locked_until) \
             VALUES ($1, $2, 1, $3, 0) \
             ON CONFLICT (email, ip) DO UPDATE SET \
             failures = CASE WHEN sign_in_failures.window_start <= $4 THEN 1 \
                        ELSE sign_in_failures.failures + 1 END, \
             window_start = CASE WHEN sign_in_failures.window_start <= $4 THEN $3 \
                            ELSE sign_in_failures.window_start END \
             RETURNING failures",
        )
        .bind(&email)
        .bind(ip)
        .bind(now_ms)
        .bind(now_ms - LOCKOUT_WINDOW_MS)
        .fetch_one(&self.writer)
        .await?;
        if failures < LOCKOUT_FAILURES {
            return Ok(false);
        }
        // Locked from now; the count starts again when the lock ends.
        sqlx::query(
            "UPDATE sign_in_failures SET locked_until = $1, failures = 0, window_start = $2 \
             WHERE email = $3 AND ip = $4",
        )
        .bind(now_ms + LOCKOUT_WINDOW_MS)
        .bind(now_ms)
        .bind(&email)
        .bind(ip)
        .execute(&self.writer)
        .await?;
        Ok(true)
    }

    /// A successful sign-in forgets that pair's failures.
    pub async fn clear_sign_in_failures(&self, email: &str, ip: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sign_in_failures WHERE email = $1 AND ip = $2")
            .bind(email.trim().to_lowercase())
            .bind(ip)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Erasure: removes the owner account with this (lower-case) email, its sessions, links and
    /// sign-in failures, inside the caller's transaction; returns how many accounts.
    pub(super) async fn erase_owner_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        email: &str,
    ) -> Result<u64, StoreError> {
        let id: Option<String> = sqlx::query_scalar("SELECT id FROM owners WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut **tx)
            .await?;
        let Some(id) = id else { return Ok(0) };
        for statement in [
            "DELETE FROM owner_sessions WHERE owner_id = $1",
            "DELETE FROM owner_links WHERE owner_id = $1",
            "DELETE FROM owners WHERE id = $1",
        ] {
            sqlx::query(statement).bind(&id).execute(&mut **tx).await?;
        }
        sqlx::query("DELETE FROM sign_in_failures WHERE email = $1")
            .bind(email)
            .execute(&mut **tx)
            .await?;
        Ok(1)
    }

    /// The moderation queue: one status, all sites, newest first (featured first when approved).
    pub async fn moderation_items(
        &self,
        status: PraiseStatus,
        limit: u32,
    ) -> Result<Vec<StoredPraise>, StoreError> {
        let sql = format!(
            "SELECT {PRAISE_COLUMNS} FROM praise WHERE status = $1 \
             ORDER BY featured DESC, received_at DESC, id DESC LIMIT {limit}"
        );
        // Audited: the text holds a constant column list, `$1` and a number.
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(status.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(stored_praise).collect()
    }

    /// How many praise have each status.
    pub async fn moderation_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM praise GROUP BY status")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("status")?, row.try_get("n")?)))
            .collect()
    }

    /// Features a praise or not; false when there is no praise with that id.
    pub async fn set_praise_featured(&self, id: &str, featured: bool) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE praise SET featured = $1 WHERE id = $2")
            .bind(i64::from(featured))
            .bind(id)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Replaces the story with a corrected text; the visitor's own text is kept the first time
    /// (later corrections never overwrite it). False when there is no praise with that id.
    pub async fn correct_praise_story(&self, id: &str, story: &str) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE praise SET original_story = COALESCE(original_story, story), story = $1 \
             WHERE id = $2",
        )
        .bind(story)
        .bind(id)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The whole roster of a site, deactivated members too, by name.
    pub async fn staff_entries(&self, site_id: &str) -> Result<Vec<StaffEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, role, location, nicknames, email, manager_email, wants_email, active \
             FROM staff WHERE site_id = $1 ORDER BY active DESC, name, id",
        )
        .bind(site_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(staff_entry).collect()
    }

    /// One roster entry.
    pub async fn staff_entry(
        &self,
        site_id: &str,
        id: &str,
    ) -> Result<Option<StaffEntry>, StoreError> {
        let row = sqlx::query(
            "SELECT id, name, role, location, nicknames, email, manager_email, wants_email, active \
             FROM staff WHERE site_id = $1 AND id = $2",
        )
        .bind(site_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(staff_entry).transpose()
    }

    /// Activates or deactivates a member (they stay in the statistics and the history);
    /// false when there is none with that id.
    pub async fn set_staff_active(
        &self,
        site_id: &str,
        id: &str,
        active: bool,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE staff SET active = $1 WHERE site_id = $2 AND id = $3")
            .bind(i64::from(active))
            .bind(site_id)
            .bind(id)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Praise counted in the statistics (not spam, not rejected) received since `since_ms`.
    pub async fn counted_praise(
        &self,
        site_id: &str,
        since_ms: i64,
    ) -> Result<Vec<CountedPraise>, StoreError> {
        let rows = sqlx::query(
            "SELECT received_at, staff_id, staff_name, staff_description, location FROM praise \
             WHERE site_id = $1 AND received_at >= $2 \
             AND status IN ('approved', 'pending_moderation') ORDER BY received_at",
        )
        .bind(site_id)
        .bind(since_ms)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let name: Option<String> = row.try_get("staff_name")?;
                let description: Option<String> = row.try_get("staff_description")?;
                Ok(CountedPraise {
                    received_at: row.try_get("received_at")?,
                    staff_id: row.try_get("staff_id")?,
                    staff: name.or(description).unwrap_or_default(),
                    location: row.try_get("location")?,
                })
            })
            .collect()
    }
}

fn account(row: &AnyRow) -> Result<OwnerAccount, StoreError> {
    Ok(OwnerAccount {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        password_hash: row.try_get("password_hash")?,
    })
}

fn staff_entry(row: &AnyRow) -> Result<StaffEntry, StoreError> {
    Ok(StaffEntry {
        record: super::staff_record(row)?,
        active: row.try_get::<i64, _>("active")? == 1,
    })
}
