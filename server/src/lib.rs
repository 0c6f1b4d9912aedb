//! kudos-server: the receiver for kudos-widget.
//!
//! The path of a submission: `http` (router, layers, handlers) → `contract` (the envelope checked
//! against `docs/schema/`) → `ingest` (group commit) → `store` (every SQL statement) → SQLite or
//! PostgreSQL. `config` turns flags, `KUDOS_*` variables and the TOML file into `Settings`;
//! `commands` holds what the command line does besides serving.

pub mod commands;
pub mod config;
pub mod contract;
pub mod http;
pub mod ingest;
pub mod moderation;
pub mod roster;
pub mod store;

/// Now, in Unix milliseconds (the stored time format).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as i64)
        .unwrap_or(0)
}
