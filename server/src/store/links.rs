//! Signed links in SQL: the shared signing secret and the record of links already used.

use super::{Store, StoreError};

impl Store {
    /// The secret called `name`, created from `candidate` if no instance has made one yet. Every
    /// instance ends up with the same value: the first insert wins and all read it back.
    pub async fn shared_secret(
        &self,
        name: &str,
        candidate: &str,
        now_ms: i64,
    ) -> Result<String, StoreError> {
        sqlx::query(
            "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(candidate)
        .bind(now_ms)
        .execute(&self.writer)
        .await?;
        Ok(
            sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = $1")
                .bind(name)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Whether a link with this use key was used already.
    pub async fn link_used(&self, key: &str) -> Result<bool, StoreError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM used_links WHERE key = $1")
            .bind(key)
            .fetch_one(&self.pool)
            .await?;
        Ok(count > 0)
    }
}
