//! What notifications read: one praise with everything a message says about it, the roster entry
//! it names, and a site's praise over a period (the weekly digest).

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{stored_praise, Store, StoreError, StoredPraise, PRAISE_COLUMNS};

/// The roster entry a praise names, with the addresses notifications use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffContact {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub manager_email: Option<String>,
    pub wants_email: bool,
}

impl Store {
    /// A site's praise received in `[from_ms, to_ms)`, spam left out, oldest first.
    pub async fn praise_received_between(
        &self,
        site_id: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<StoredPraise>, StoreError> {
        let sql = format!(
            "SELECT {PRAISE_COLUMNS} FROM praise WHERE site_id = $1 AND received_at >= $2 \
             AND received_at < $3 AND status <> 'spam' ORDER BY received_at, id"
        );
        // Audited: a constant column list and placeholders.
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site_id)
            .bind(from_ms)
            .bind(to_ms)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(stored_praise).collect()
    }

    /// The active roster entry a praise names: by roster id, else by exact name when exactly
    /// one member of the site has it.
    pub async fn staff_contact(
        &self,
        praise: &StoredPraise,
    ) -> Result<Option<StaffContact>, StoreError> {
        let (site_id, staff_id, staff_name) = (
            praise.site_id.as_str(),
            praise.staff_id.as_deref(),
            praise.staff_name.as_deref(),
        );
        let read = |row: &AnyRow| -> Result<StaffContact, StoreError> {
            Ok(StaffContact {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                email: row.try_get("email")?,
                manager_email: row.try_get("manager_email")?,
                wants_email: row.try_get::<i64, _>("wants_email")? == 1,
            })
        };
        if let Some(id) = staff_id {
            let row = sqlx::query(
                "SELECT id, name, email, manager_email, wants_email FROM staff \
                 WHERE site_id = $1 AND id = $2 AND active = 1",
            )
            .bind(site_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
            if let Some(row) = row {
                return read(&row).map(Some);
            }
        }
        let Some(name) = staff_name else {
            return Ok(None);
        };
        let rows = sqlx::query(
            "SELECT id, name, email, manager_email, wants_email FROM staff \
             WHERE site_id = $1 AND name = $2 AND active = 1 LIMIT 2",
        )
        .bind(site_id)
        .bind(name)
        .fetch_all(&self.pool)
        .await?;
        match rows.as_slice() {
            [only] => read(only).map(Some),
            _ => Ok(None),
        }
    }
}
