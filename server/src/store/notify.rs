//! What notifications read: one praise with everything a message says about it, the roster entry
//! it names, and a site's praise over a period (the weekly digest).

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{Store, StoreError};

/// A praise as the messages about it need it.
#[derive(Debug, Clone)]
pub struct PraiseNotice {
    pub id: String,
    pub site_id: String,
    pub status: String,
    pub received_at: i64,
    pub language: String,
    pub staff_name: Option<String>,
    pub staff_id: Option<String>,
    pub staff_role: Option<String>,
    pub staff_description: Option<String>,
    pub location: Option<String>,
    pub occurred_on: Option<String>,
    pub part_of_day: Option<String>,
    pub story: String,
    pub tags: Vec<String>,
    pub visitor_name: Option<String>,
    pub visitor_email: Option<String>,
    pub contact_granted: bool,
}

/// The roster entry a praise names, with the addresses notifications use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffContact {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub manager_email: Option<String>,
    pub wants_email: bool,
}

const PRAISE_COLUMNS: &str = "id, site_id, status, received_at, language, staff_name, staff_id, \
     staff_role, staff_description, location, occurred_on, part_of_day, story, tags, \
     visitor_name, visitor_email, contact_granted";

fn praise_notice(row: &AnyRow) -> Result<PraiseNotice, StoreError> {
    let tags: String = row.try_get("tags")?;
    Ok(PraiseNotice {
        id: row.try_get("id")?,
        site_id: row.try_get("site_id")?,
        status: row.try_get("status")?,
        received_at: row.try_get("received_at")?,
        language: row.try_get("language")?,
        staff_name: row.try_get("staff_name")?,
        staff_id: row.try_get("staff_id")?,
        staff_role: row.try_get("staff_role")?,
        staff_description: row.try_get("staff_description")?,
        location: row.try_get("location")?,
        occurred_on: row.try_get("occurred_on")?,
        part_of_day: row.try_get("part_of_day")?,
        story: row.try_get("story")?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        visitor_name: row.try_get("visitor_name")?,
        visitor_email: row.try_get("visitor_email")?,
        contact_granted: row.try_get::<i64, _>("contact_granted")? == 1,
    })
}

impl Store {
    /// One praise for a message; `None` when it is gone (erased).
    pub async fn praise_notice(&self, id: &str) -> Result<Option<PraiseNotice>, StoreError> {
        let sql = format!("SELECT {PRAISE_COLUMNS} FROM praise WHERE id = $1");
        // Audited: a constant column list and a placeholder.
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(praise_notice).transpose()
    }

    /// A site's praise received in `[from_ms, to_ms)`, spam left out, oldest first.
    pub async fn praise_received_between(
        &self,
        site_id: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<PraiseNotice>, StoreError> {
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
        rows.iter().map(praise_notice).collect()
    }

    /// The active roster entry a praise names: by roster id, else by exact name when exactly
    /// one member of the site has it.
    pub async fn staff_contact(
        &self,
        site_id: &str,
        staff_id: Option<&str>,
        staff_name: Option<&str>,
    ) -> Result<Option<StaffContact>, StoreError> {
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
