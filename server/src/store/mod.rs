//! The repository: every SQL statement the receiver runs, for SQLite and PostgreSQL alike.
//!
//! Why `sqlx::Any` rather than a repository trait with one implementation per database: the
//! schema uses only `TEXT` and `BIGINT` columns and the statements only portable SQL
//! (`ON CONFLICT … DO NOTHING`, `$N` parameters, which SQLite accepts too), so each statement is
//! written once and both databases run the same code path. A trait with two implementations
//! would double every statement for no difference in behaviour. Where a later feature needs a
//! dialect of its own (a job queue's `FOR UPDATE SKIP LOCKED`), [`Store::backend`] picks it.
//!
//! Times are Unix milliseconds, flags 0/1. One migrations folder (`server/migrations/`) is
//! applied at start, by whichever instance gets there first (sqlx takes a lock on PostgreSQL).

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use serde::Serialize;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

mod jobs;
mod links;
mod newsletter;
mod notify;
mod webhooks;

pub use jobs::{
    random_id, ClaimedJob, Delivery, JobEnd, JobKind, JobRow, Moderated, NewJob, UsedLink,
    MAX_ATTEMPTS,
};
pub use newsletter::{
    email_key, Applied, LedgerEntry, Reserved, SignupRequest, Subscriber, DEFAULT_LIST,
    FORWARD_JOB, PENDING_DAYS, SIGNUP_JOB,
};
pub use notify::StaffContact;
pub use webhooks::{NewAttempt, WebhookAttempt, WebhookDelivery};

// Each area keeps its statements in its own file below, as more `impl Store` blocks; they all
// share the pool and the error mapping above. Submissions, the wall, the roster and erasure are
// here.
mod owners;
pub use owners::{
    CountedPraise, OwnerAccount, SessionRecord, StaffEntry, LOCKOUT_FAILURES, LOCKOUT_WINDOW_MS,
};

/// Which database is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Why a database operation failed: the database can't be reached (the caller answers 503 and
/// the widget retries), or something else went wrong (a bug or a broken database: 500).
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Failed(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        let unavailable = match &err {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Protocol(_) => true,
            // PostgreSQL: 08xxx connection exceptions, 57xxx operator intervention (shutdown),
            // 53xxx insufficient resources. SQLite: 5 (busy) and 6 (locked) after the timeout.
            sqlx::Error::Database(db) => db.code().is_some_and(|code| {
                ["08", "57", "53"].iter().any(|p| code.starts_with(p)) || code == "5" || code == "6"
            }),
            _ => false,
        };
        // The detail holds no values: sqlx errors name statements and codes, not bound data.
        if unavailable {
            StoreError::Unavailable(err.to_string())
        } else {
            StoreError::Failed(err.to_string())
        }
    }
}

/// What the receiver answered for a submission; repeats of its id get the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    Accepted,
    PendingModeration,
    PendingConfirmation,
}

impl Reply {
    pub fn as_str(self) -> &'static str {
        match self {
            Reply::Accepted => "accepted",
            Reply::PendingModeration => "pending_moderation",
            Reply::PendingConfirmation => "pending_confirmation",
        }
    }
}

impl FromStr for Reply {
    type Err = StoreError;
    fn from_str(text: &str) -> Result<Self, StoreError> {
        match text {
            "accepted" => Ok(Reply::Accepted),
            "pending_moderation" => Ok(Reply::PendingModeration),
            "pending_confirmation" => Ok(Reply::PendingConfirmation),
            other => Err(StoreError::Failed(format!(
                "unknown stored reply {other:?}"
            ))),
        }
    }
}

/// The moderation state of a praise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PraiseStatus {
    PendingModeration,
    Approved,
    Rejected,
    Spam,
}

impl PraiseStatus {
    pub const ALL: [PraiseStatus; 4] = [
        PraiseStatus::PendingModeration,
        PraiseStatus::Approved,
        PraiseStatus::Rejected,
        PraiseStatus::Spam,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PraiseStatus::PendingModeration => "pending_moderation",
            PraiseStatus::Approved => "approved",
            PraiseStatus::Rejected => "rejected",
            PraiseStatus::Spam => "spam",
        }
    }

    pub fn parse(text: &str) -> Option<PraiseStatus> {
        PraiseStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A praise ready to store.
#[derive(Debug, Clone)]
pub struct NewPraise {
    pub status: PraiseStatus,
    pub created_at: String,
    pub language: String,
    pub page_url: String,
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
    pub publish: Option<(bool, String)>,
    pub contact: Option<(bool, String)>,
    pub honeypot_filled: bool,
    pub fill_time_ms: u64,
    /// The widget's delivery attempt that was stored (1 for the first).
    pub attempt: u64,
    pub widget_version: String,
}

/// A newsletter sign-up ready to store (pending until confirmed).
#[derive(Debug, Clone)]
pub struct NewSubscription {
    /// `pending_confirmation`, or `spam`.
    pub status: &'static str,
    pub created_at: String,
    pub language: String,
    pub page_url: String,
    pub email: String,
    pub first_name: Option<String>,
    pub lists: Vec<String>,
    pub consent_granted: bool,
    pub consent_version: String,
    pub consent_text_sha256: String,
    pub consent_given_at: String,
    pub honeypot_filled: bool,
    pub fill_time_ms: u64,
    pub widget_version: String,
    /// The client's address truncated to /24 (/48): part of the consent record.
    pub ip_prefix: Option<String>,
}

/// What a submission carries.
#[derive(Debug, Clone)]
pub enum NewContent {
    Praise(Box<NewPraise>),
    Subscription(Box<NewSubscription>),
}

/// One submission to store, with the reply it gets if it is new.
#[derive(Debug, Clone)]
pub struct NewSubmission {
    pub id: String,
    pub site_id: String,
    pub received_at: i64,
    pub reply: Reply,
    pub content: NewContent,
}

/// One praise as stored: what the moderation pages show, what notifications and webhooks tell.
/// Read by one column list and one row reader, whoever reads it.
#[derive(Debug, Clone)]
pub struct StoredPraise {
    pub id: String,
    pub site_id: String,
    pub status: String,
    pub received_at: i64,
    pub created_at: String,
    pub language: String,
    pub page_url: String,
    pub staff_name: Option<String>,
    pub staff_id: Option<String>,
    pub staff_role: Option<String>,
    pub staff_description: Option<String>,
    pub location: Option<String>,
    pub occurred_on: Option<String>,
    pub part_of_day: Option<String>,
    pub story: String,
    pub original_story: Option<String>,
    pub tags: Vec<String>,
    pub visitor_name: Option<String>,
    pub visitor_email: Option<String>,
    pub publish_granted: bool,
    pub publish_version: Option<String>,
    pub contact_granted: bool,
    pub contact_version: Option<String>,
    pub honeypot_filled: bool,
    pub fill_time_ms: i64,
    pub attempt: i64,
    pub featured: bool,
}

const PRAISE_COLUMNS: &str = "id, site_id, status, received_at, created_at, language, page_url, \
    staff_name, staff_id, staff_role, staff_description, location, occurred_on, part_of_day, \
    story, original_story, tags, visitor_name, visitor_email, publish_granted, publish_version, \
    contact_granted, contact_version, honeypot_filled, fill_time_ms, attempt, featured";

fn stored_praise(row: &AnyRow) -> Result<StoredPraise, StoreError> {
    let tags: String = row.try_get("tags")?;
    let flag = |name: &str| -> Result<bool, StoreError> { Ok(row.try_get::<i64, _>(name)? == 1) };
    Ok(StoredPraise {
        id: row.try_get("id")?,
        site_id: row.try_get("site_id")?,
        status: row.try_get("status")?,
        received_at: row.try_get("received_at")?,
        created_at: row.try_get("created_at")?,
        language: row.try_get("language")?,
        page_url: row.try_get("page_url")?,
        staff_name: row.try_get("staff_name")?,
        staff_id: row.try_get("staff_id")?,
        staff_role: row.try_get("staff_role")?,
        staff_description: row.try_get("staff_description")?,
        location: row.try_get("location")?,
        occurred_on: row.try_get("occurred_on")?,
        part_of_day: row.try_get("part_of_day")?,
        story: row.try_get("story")?,
        original_story: row.try_get("original_story")?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        visitor_name: row.try_get("visitor_name")?,
        visitor_email: row.try_get("visitor_email")?,
        publish_granted: flag("publish_granted")?,
        publish_version: row.try_get("publish_version")?,
        contact_granted: flag("contact_granted")?,
        contact_version: row.try_get("contact_version")?,
        honeypot_filled: flag("honeypot_filled")?,
        fill_time_ms: row.try_get("fill_time_ms")?,
        attempt: row.try_get("attempt")?,
        featured: flag("featured")?,
    })
}

/// One wall item, as `docs/schema/wall.v1.json` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WallItem {
    pub id: String,
    pub staff_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff_role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occurred_on: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    pub story: String,
    pub created_at: String,
    /// The owner featured it: it comes first on the wall (sent only when true).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub featured: bool,
}

/// A wall page request, already bounded.
#[derive(Debug, Clone, Default)]
pub struct WallQuery {
    pub site_id: String,
    pub limit: u32,
    /// Strictly after this item in the wall's order (featured first, then newest first).
    pub before: Option<WallKey>,
    pub location: Option<String>,
    /// A roster id or a name, matched exactly.
    pub staff: Option<String>,
}

/// Where an item sits in the wall's order: featured praise first, then newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WallKey {
    pub featured: bool,
    pub received_at: i64,
    pub id: String,
}

/// A wall page and where the next one starts.
#[derive(Debug, Clone)]
pub struct WallPage {
    pub items: Vec<WallItem>,
    pub next: Option<WallKey>,
}

/// A roster entry, as the owner manages it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StaffRecord {
    pub id: String,
    pub name: String,
    pub role: Option<String>,
    pub location: Option<String>,
    pub nicknames: Vec<String>,
    pub email: Option<String>,
    pub manager_email: Option<String>,
    /// Whether they want an email when a visitor's praise about them is approved.
    pub wants_email: bool,
}

/// One line of `praise list`.
#[derive(Debug, Clone)]
pub struct PraiseSummary {
    pub id: String,
    pub site_id: String,
    pub status: String,
    pub received_at: i64,
    pub staff: String,
    pub location: Option<String>,
    pub publish_granted: bool,
    pub story: String,
}

/// What `erase` removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erased {
    pub praise: u64,
    pub subscriptions: u64,
    pub staff_emails: u64,
    pub manager_emails: u64,
    /// Owner accounts with that email (their sessions and links go with them).
    pub owner_accounts: u64,
}

/// The database, shared by every handler, job and command.
#[derive(Clone)]
pub struct Store {
    /// Reads (and, on PostgreSQL, everything).
    pool: AnyPool,
    /// Every statement that writes. On SQLite a pool of one connection: SQLite has one writer,
    /// and writers queued here wait in turn, while writers racing for the file lock would poll
    /// it with sleeps that grow to 100 ms (its busy handler), which put a job runner's small
    /// writes in front of ingestion's group commits for hundreds of milliseconds. On
    /// PostgreSQL the same pool as `pool`: its writers lock rows, not the database.
    writer: AnyPool,
    backend: Backend,
}

impl Store {
    /// Connects, applies the migrations and returns the store. A `sqlite://` path's folder is
    /// created; SQLite runs in WAL mode with foreign keys on and a busy timeout.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let (url, backend) = if let Some(rest) = url.strip_prefix("sqlite://") {
            let path = rest.split('?').next().unwrap_or(rest);
            if let Some(parent) = Path::new(path).parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent).map_err(|err| {
                        StoreError::Failed(format!("cannot create {}: {err}", parent.display()))
                    })?;
                }
            }
            let url = if rest.contains('?') {
                url.to_owned()
            } else {
                format!("{url}?mode=rwc")
            };
            (url, Backend::Sqlite)
        } else if url.starts_with("sqlite:") {
            (url.to_owned(), Backend::Sqlite)
        } else {
            (url.to_owned(), Backend::Postgres)
        };
        let options = AnyPoolOptions::new()
            // A request waits at most this long for a connection; then it gets 503 and the
            // widget retries, rather than hanging while the database is away.
            .acquire_timeout(Duration::from_secs(3))
            .max_connections(match backend {
                Backend::Sqlite => 4,
                Backend::Postgres => 16,
            })
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL: readers never block the writer. NORMAL: a commit survives the
                        // process being killed (the WAL is in the OS cache); only a power cut
                        // can lose the last commits. busy_timeout: a second writer waits.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            });
        let pool = options.clone().connect(&url).await?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|err| StoreError::Failed(format!("migrations: {err}")))?;
        let writer = match backend {
            Backend::Sqlite => options.max_connections(1).connect(&url).await?,
            Backend::Postgres => pool.clone(),
        };
        Ok(Store {
            pool,
            writer,
            backend,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes every connection (tests and shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }

    /// One praise; `None` when there is none with that id (or it was erased).
    pub async fn praise(&self, id: &str) -> Result<Option<StoredPraise>, StoreError> {
        let sql = format!("SELECT {PRAISE_COLUMNS} FROM praise WHERE id = $1");
        // Audited: a constant column list and `$1`.
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(stored_praise).transpose()
    }

    /// Whether [`Store::close`] has run (the process is stopping).
    pub fn is_closed(&self) -> bool {
        self.pool.is_closed()
    }

    /// `SELECT 1`: is the database reachable now?
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Stores a batch of submissions in one transaction (group commit) and returns, in order,
    /// the reply each gets: its own for a new id, the first one's for an id already stored.
    pub async fn insert_batch(&self, batch: &[NewSubmission]) -> Result<Vec<Reply>, StoreError> {
        // Rows are inserted in id order so that two batches on two instances take the unique
        // index's locks in the same order and never deadlock each other.
        let mut order: Vec<usize> = (0..batch.len()).collect();
        order.sort_by(|&a, &b| batch[a].id.cmp(&batch[b].id));
        let mut replies = vec![Reply::Accepted; batch.len()];
        let mut tx = self.writer.begin().await?;
        for index in order {
            let submission = &batch[index];
            let inserted = sqlx::query(
                "INSERT INTO submissions (id, site_id, kind, reply, received_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
            )
            .bind(&submission.id)
            .bind(&submission.site_id)
            .bind(match submission.content {
                NewContent::Praise(_) => "praise",
                NewContent::Subscription(_) => "subscription",
            })
            .bind(submission.reply.as_str())
            .bind(submission.received_at)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if !inserted {
                let reply: String =
                    sqlx::query_scalar("SELECT reply FROM submissions WHERE id = $1")
                        .bind(&submission.id)
                        .fetch_one(&mut *tx)
                        .await?;
                replies[index] = reply.parse()?;
                continue;
            }
            replies[index] = submission.reply;
            match &submission.content {
                NewContent::Praise(praise) => {
                    insert_praise(&mut tx, submission, praise).await?;
                    // Its notices, in the same transaction: spam tells no one.
                    let now = submission.received_at;
                    if praise.status != PraiseStatus::Spam {
                        let job = NewJob::for_praise(JobKind::NotifyManager, &submission.id, now);
                        jobs::enqueue_in(&mut tx, &job, now).await?;
                        let hooks =
                            NewJob::webhook_event(&submission.id, crate::webhooks::RECEIVED, now);
                        jobs::enqueue_in(&mut tx, &hooks, now).await?;
                    }
                    if praise.status == PraiseStatus::Approved {
                        jobs::enqueue_approved(&mut tx, &submission.id, now).await?;
                    }
                }
                NewContent::Subscription(sub) => {
                    insert_subscription(&mut tx, submission, sub).await?;
                    // Its job, in the same transaction: honeypot, too fast or over the limits
                    // gets none (and so no email), answered the same.
                    if sub.status == "pending_confirmation" {
                        let now = submission.received_at;
                        newsletter::enqueue_signup_in(&mut tx, &submission.id, now).await?;
                    }
                }
            }
        }
        tx.commit().await?;
        Ok(replies)
    }

    /// One page of the wall: approved praise the visitor allowed to publish, newest first.
    pub async fn wall(&self, query: &WallQuery) -> Result<WallPage, StoreError> {
        let mut sql = String::from(
            "SELECT id, staff_name, staff_description, staff_role, location, occurred_on, tags, \
             story, created_at, received_at, featured FROM praise \
             WHERE site_id = $1 AND status = 'approved' AND publish_granted = 1",
        );
        let mut params: Vec<Param> = vec![Param::Text(query.site_id.clone())];
        if let Some(key) = &query.before {
            let n = params.len();
            let (f1, f2, a, b, c) = (n + 1, n + 2, n + 3, n + 4, n + 5);
            sql.push_str(&format!(
                " AND (featured < ${f1} OR (featured = ${f2} AND \
                 (received_at < ${a} OR (received_at = ${b} AND id < ${c}))))"
            ));
            let featured = flag(key.featured);
            params.extend([
                Param::Int(featured),
                Param::Int(featured),
                Param::Int(key.received_at),
                Param::Int(key.received_at),
                Param::Text(key.id.clone()),
            ]);
        }
        if let Some(location) = &query.location {
            sql.push_str(&format!(" AND location = ${}", params.len() + 1));
            params.push(Param::Text(location.clone()));
        }
        if let Some(staff) = &query.staff {
            let (a, b) = (params.len() + 1, params.len() + 2);
            sql.push_str(&format!(" AND (staff_id = ${a} OR staff_name = ${b})"));
            params.extend([Param::Text(staff.clone()), Param::Text(staff.clone())]);
        }
        sql.push_str(&format!(
            " ORDER BY featured DESC, received_at DESC, id DESC LIMIT {}",
            query.limit + 1
        ));
        // Audited: the text holds only `$N` placeholders and a number; values are bound.
        let mut statement = sqlx::query(sqlx::AssertSqlSafe(sql));
        for param in params {
            statement = match param {
                Param::Text(text) => statement.bind(text),
                Param::Int(n) => statement.bind(n),
            };
        }
        let rows = statement.fetch_all(&self.pool).await?;
        let mut items = Vec::with_capacity(rows.len());
        let mut keys = Vec::with_capacity(rows.len());
        for row in &rows {
            let tags: String = row.try_get("tags")?;
            let staff_name: Option<String> = row.try_get("staff_name")?;
            let description: Option<String> = row.try_get("staff_description")?;
            let featured = row.try_get::<i64, _>("featured")? == 1;
            items.push(WallItem {
                id: row.try_get("id")?,
                staff_name: staff_name.or(description).unwrap_or_default(),
                staff_role: row.try_get("staff_role")?,
                location: row.try_get("location")?,
                occurred_on: row.try_get("occurred_on")?,
                tags: serde_json::from_str(&tags).unwrap_or_default(),
                story: row.try_get("story")?,
                created_at: row.try_get("created_at")?,
                featured,
            });
            keys.push(WallKey {
                featured,
                received_at: row.try_get("received_at")?,
                id: items.last().map(|i| i.id.clone()).unwrap_or_default(),
            });
        }
        let next = if items.len() > query.limit as usize {
            items.truncate(query.limit as usize);
            keys.get(query.limit as usize - 1).cloned()
        } else {
            None
        };
        Ok(WallPage { items, next })
    }

    /// The active roster of a site, by name.
    pub async fn staff(&self, site_id: &str) -> Result<Vec<StaffRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, role, location, nicknames, email, manager_email, wants_email \
             FROM staff WHERE site_id = $1 AND active = 1 ORDER BY name, id",
        )
        .bind(site_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(staff_record).collect()
    }

    /// Adds or replaces roster entries (by id) in one transaction; returns how many.
    pub async fn upsert_staff(
        &self,
        site_id: &str,
        records: &[StaffRecord],
    ) -> Result<u64, StoreError> {
        let mut tx = self.writer.begin().await?;
        for record in records {
            sqlx::query(
                "INSERT INTO staff (site_id, id, name, role, location, nicknames, email, manager_email, \
                 wants_email, active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1) \
                 ON CONFLICT (site_id, id) DO UPDATE SET name = excluded.name, role = excluded.role, \
                 location = excluded.location, nicknames = excluded.nicknames, email = excluded.email, \
                 manager_email = excluded.manager_email, wants_email = excluded.wants_email, active = 1",
            )
            .bind(site_id)
            .bind(&record.id)
            .bind(&record.name)
            .bind(&record.role)
            .bind(&record.location)
            .bind(serde_json::to_string(&record.nicknames).unwrap_or_else(|_| "[]".into()))
            .bind(&record.email)
            .bind(&record.manager_email)
            .bind(flag(record.wants_email))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(records.len() as u64)
    }

    /// Praise for the command line, newest first, optionally one status only.
    pub async fn praise_list(
        &self,
        status: Option<PraiseStatus>,
    ) -> Result<Vec<PraiseSummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, site_id, status, received_at, staff_name, staff_description, location, \
             publish_granted, story FROM praise WHERE ($1 = '' OR status = $1) \
             ORDER BY received_at DESC, id DESC",
        )
        .bind(status.map(PraiseStatus::as_str).unwrap_or(""))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let name: Option<String> = row.try_get("staff_name")?;
                let description: Option<String> = row.try_get("staff_description")?;
                Ok(PraiseSummary {
                    id: row.try_get("id")?,
                    site_id: row.try_get("site_id")?,
                    status: row.try_get("status")?,
                    received_at: row.try_get("received_at")?,
                    staff: name.or(description).unwrap_or_default(),
                    location: row.try_get("location")?,
                    publish_granted: row.try_get::<i64, _>("publish_granted")? == 1,
                    story: row.try_get("story")?,
                })
            })
            .collect()
    }

    /// Moves one praise to `status`; false when there is no praise with that id.
    pub async fn set_praise_status(
        &self,
        id: &str,
        status: PraiseStatus,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE praise SET status = $1, moderated_at = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(now_ms)
            .bind(id)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Erases everything held about the person with this email (GDPR Art. 17): the praise
    /// they wrote, their sign-ups, and the address wherever the roster names it. The
    /// idempotency records stay: they hold no personal data, and they stop a late retry from
    /// storing the erased submission again.
    pub async fn erase_email(&self, email: &str) -> Result<Erased, StoreError> {
        let email = email.trim().to_lowercase();
        let mut tx = self.writer.begin().await?;
        let praise = sqlx::query("DELETE FROM praise WHERE LOWER(visitor_email) = $1")
            .bind(&email)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let subscriptions = sqlx::query("DELETE FROM subscriptions WHERE LOWER(email) = $1")
            .bind(&email)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let subscriptions = subscriptions + self.erase_newsletter_in(&mut tx, &email).await?;
        let staff_emails = sqlx::query("UPDATE staff SET email = NULL WHERE LOWER(email) = $1")
            .bind(&email)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let manager_emails =
            sqlx::query("UPDATE staff SET manager_email = NULL WHERE LOWER(manager_email) = $1")
                .bind(&email)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        let owner_accounts = self.erase_owner_in(&mut tx, &email).await?;
        tx.commit().await?;
        Ok(Erased {
            praise,
            subscriptions,
            staff_emails,
            manager_emails,
            owner_accounts,
        })
    }

    /// Retention: removes visitors' names and emails from praise received before `cutoff_ms`,
    /// and drops sign-ups still unconfirmed by then. Returns how many rows changed.
    pub async fn purge_visitor_details(&self, cutoff_ms: i64) -> Result<u64, StoreError> {
        let mut tx = self.writer.begin().await?;
        let praise = sqlx::query(
            "UPDATE praise SET visitor_name = NULL, visitor_email = NULL \
             WHERE received_at < $1 AND (visitor_name IS NOT NULL OR visitor_email IS NOT NULL)",
        )
        .bind(cutoff_ms)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let subscriptions = sqlx::query(
            "DELETE FROM subscriptions WHERE received_at < $1 AND status <> 'confirmed'",
        )
        .bind(cutoff_ms)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(praise + subscriptions)
    }

    /// How many submissions are stored (tests and the benchmark).
    pub async fn count_submissions(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM submissions")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Whether an id is stored (tests).
    pub async fn has_submission(&self, id: &str) -> Result<bool, StoreError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM submissions WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok(count == 1)
    }
}

/// A bound parameter of a statement built at run time.
enum Param {
    Text(String),
    Int(i64),
}

fn flag(value: bool) -> i64 {
    i64::from(value)
}

async fn insert_praise(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    submission: &NewSubmission,
    praise: &NewPraise,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO praise (id, site_id, status, received_at, created_at, language, page_url, \
         staff_name, staff_id, staff_role, staff_description, location, occurred_on, part_of_day, \
         story, tags, visitor_name, visitor_email, publish_granted, publish_version, \
         contact_granted, contact_version, honeypot_filled, fill_time_ms, widget_version, attempt) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
         $19, $20, $21, $22, $23, $24, $25, $26)",
    )
    .bind(&submission.id)
    .bind(&submission.site_id)
    .bind(praise.status.as_str())
    .bind(submission.received_at)
    .bind(&praise.created_at)
    .bind(&praise.language)
    .bind(&praise.page_url)
    .bind(&praise.staff_name)
    .bind(&praise.staff_id)
    .bind(&praise.staff_role)
    .bind(&praise.staff_description)
    .bind(&praise.location)
    .bind(&praise.occurred_on)
    .bind(&praise.part_of_day)
    .bind(&praise.story)
    .bind(serde_json::to_string(&praise.tags).unwrap_or_else(|_| "[]".into()))
    .bind(&praise.visitor_name)
    .bind(&praise.visitor_email)
    .bind(flag(
        praise.publish.as_ref().is_some_and(|(granted, _)| *granted),
    ))
    .bind(praise.publish.as_ref().map(|(_, version)| version.clone()))
    .bind(flag(
        praise.contact.as_ref().is_some_and(|(granted, _)| *granted),
    ))
    .bind(praise.contact.as_ref().map(|(_, version)| version.clone()))
    .bind(flag(praise.honeypot_filled))
    .bind(praise.fill_time_ms.min(i64::MAX as u64) as i64)
    .bind(&praise.widget_version)
    .bind(praise.attempt.min(i64::MAX as u64) as i64)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn insert_subscription(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    submission: &NewSubmission,
    sub: &NewSubscription,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO subscriptions (id, site_id, status, received_at, created_at, language, \
         page_url, email, first_name, lists, consent_granted, consent_version, \
         consent_text_sha256, consent_given_at, honeypot_filled, fill_time_ms, widget_version, \
         ip_prefix) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
    )
    .bind(&submission.id)
    .bind(&submission.site_id)
    .bind(sub.status)
    .bind(submission.received_at)
    .bind(&sub.created_at)
    .bind(&sub.language)
    .bind(&sub.page_url)
    .bind(&sub.email)
    .bind(&sub.first_name)
    .bind(serde_json::to_string(&sub.lists).unwrap_or_else(|_| "[]".into()))
    .bind(flag(sub.consent_granted))
    .bind(&sub.consent_version)
    .bind(&sub.consent_text_sha256)
    .bind(&sub.consent_given_at)
    .bind(flag(sub.honeypot_filled))
    .bind(sub.fill_time_ms.min(i64::MAX as u64) as i64)
    .bind(&sub.widget_version)
    .bind(&sub.ip_prefix)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn staff_record(row: &AnyRow) -> Result<StaffRecord, StoreError> {
    let nicknames: String = row.try_get("nicknames")?;
    Ok(StaffRecord {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        role: row.try_get("role")?,
        location: row.try_get("location")?,
        nicknames: serde_json::from_str(&nicknames).unwrap_or_default(),
        email: row.try_get("email")?,
        manager_email: row.try_get("manager_email")?,
        wants_email: row.try_get::<i64, _>("wants_email")? == 1,
    })
}
