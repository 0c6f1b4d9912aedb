//! kudos-server: the receiver for kudos-widget.
//!
//! The path of a submission: `http` (router, layers, handlers) → `contract` (the envelope checked
//! against `docs/schema/`) → `ingest` (group commit) → `store` (every SQL statement) → SQLite or
//! PostgreSQL. `config` turns flags, `KUDOS_*` variables and the TOML file into `Settings`;
//! `commands` holds what the command line does besides serving.
//!
//! Notifications: a state change (`ingest` storing a praise, `moderation` approving one) enqueues
//! jobs in its own transaction (`store`); `jobs` claims and runs them; `notify` turns a job into
//! emails through a `Mailer` (SMTP, or `.eml` files); `links` signs the approve/reject links those
//! emails carry, and `http` serves the pages behind them.
//!
//! Newsletter sign-ups: `newsletter` (double opt-in, no enumeration, list-bombing limits, the
//! consent wording recovered from the widget's own core), `store::newsletter` (subscriptions per
//! list, the consent ledger, the caps), `notify::newsletter` (the confirmation email, listmonk) and
//! `http::newsletter` (the confirm and unsubscribe pages, RFC 8058 one-click).

pub mod commands;
pub mod config;
pub mod contract;
pub mod http;
pub mod ingest;
pub mod jobs;
pub mod links;
pub mod moderation;
pub mod newsletter;
pub mod notify;
pub mod roster;
pub mod store;
pub mod webhooks;

/// Now, in Unix milliseconds (the stored time format), shifted by [`CLOCK_OFFSET_ENV`].
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as i64)
        .unwrap_or(0)
        + clock_offset_ms()
}

/// For tests and for trying things out, never for production: `KUDOS_CLOCK_OFFSET_SECS=N` moves
/// the server's clock N seconds ahead (links expire, leases pass, a week ends) without waiting.
pub const CLOCK_OFFSET_ENV: &str = "KUDOS_CLOCK_OFFSET_SECS";

fn clock_offset_ms() -> i64 {
    static OFFSET: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    *OFFSET.get_or_init(|| {
        std::env::var(CLOCK_OFFSET_ENV)
            .ok()
            .and_then(|secs| secs.trim().parse::<i64>().ok())
            .map_or(0, |secs| secs.saturating_mul(1000))
    })
}
