//! What the integration tests share: real databases (a SQLite file in a temporary folder; a
//! fresh PostgreSQL database on the cluster `cargo xtask test` starts), the real `kudos-server`
//! binary on a loopback port, envelopes, and the contract's schemas for checking replies.
//!
//! Environment (set by `cargo xtask test server`):
//! - `KUDOS_TEST_POSTGRES_URL`: a superuser URL of the test cluster; each test creates its own
//!   database there. Without it the PostgreSQL half is skipped, unless
//! - `KUDOS_TEST_REQUIRE_POSTGRES=1`, which turns a missing URL into a failure (CI).
//! - `KUDOS_TEST_PG_CTL`: the command that runs `pg_ctl` for that cluster (stop/start tests).

#![allow(dead_code)] // each test binary uses a different part of this module

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use sqlx::Connection;

/// A database for one test.
pub struct Database {
    /// `sqlite` or `postgres`, for failure messages.
    pub name: &'static str,
    pub url: String,
    /// Keeps the SQLite folder alive for the test.
    _dir: Option<tempfile::TempDir>,
}

/// A fresh SQLite database, and a fresh PostgreSQL database when the cluster is there.
pub async fn databases() -> Vec<Database> {
    let mut all = vec![sqlite()];
    if let Some(pg) = postgres().await {
        all.push(pg);
    }
    all
}

pub fn sqlite() -> Database {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}/kudos.db", dir.path().display());
    Database {
        name: "sqlite",
        url,
        _dir: Some(dir),
    }
}

/// The cluster's superuser URL, or `None` when tests run without PostgreSQL.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("KUDOS_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("KUDOS_TEST_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "KUDOS_TEST_REQUIRE_POSTGRES=1 but KUDOS_TEST_POSTGRES_URL is not set"
            );
            None
        }
    }
}

/// A new, empty PostgreSQL database for one test.
pub async fn postgres() -> Option<Database> {
    let admin = postgres_admin_url()?;
    let name = format!("kudos_test_{}", unique_suffix());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("connect to the test cluster");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create a test database");
    let _ = conn.close().await;
    let base = admin
        .rsplit_once('/')
        .map(|(base, _)| base)
        .unwrap_or(&admin);
    Some(Database {
        name: "postgres",
        url: format!("{base}/{name}"),
        _dir: None,
    })
}

fn unique_suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{}_{}_{}", std::process::id(), nanos, n)
}

/// A UUID v4-shaped id, unique within the test run and increasing in the order they are made
/// (the wall breaks ties on the receive time by id, so tests can predict the order).
pub fn new_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let salt = t ^ (u64::from(std::process::id()) << 20);
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        n as u32,
        (salt >> 48) as u16,
        (salt >> 36) as u16 & 0xfff,
        (salt >> 24) as u16 & 0xfff,
        salt & 0xffff_ffff_ffff
    )
}

pub const ORIGIN: &str = "http://127.0.0.1:5999";

/// A running `kudos-server serve`, killed when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
    /// Everything the server wrote on stderr (its logs).
    pub logs: Arc<Mutex<String>>,
}

impl Server {
    /// Starts the server on `database_url`, allowing [`ORIGIN`], with `extra` flags.
    pub fn start(database_url: &str, extra: &[&str]) -> Server {
        let mut args = vec![
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            database_url,
            "--allowed-origin",
            ORIGIN,
            "--ip-rate-per-minute",
            "100000",
            "--site-rate-per-minute",
            "100000",
        ];
        args.extend_from_slice(extra);
        Server::start_with(&args, &[])
    }

    /// Starts `kudos-server` with exactly these arguments and environment.
    pub fn start_with(args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut command = Command::new(binary());
        command
            .args(args)
            .env_remove("KUDOS_DATABASE_URL")
            .env_remove("KUDOS_ALLOWED_ORIGINS")
            .env("KUDOS_LOG", "debug")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("start kudos-server");
        let logs = Arc::new(Mutex::new(String::new()));
        let mut stderr = child.stderr.take().expect("stderr");
        let sink = Arc::clone(&logs);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().and_then(Result::ok).unwrap_or_else(|| {
            panic!(
                "kudos-server printed nothing; logs:\n{}",
                logs.lock().unwrap()
            )
        });
        let base = first
            .strip_prefix("kudos-server listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_owned();
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, base, logs }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn logs(&self) -> String {
        self.logs.lock().unwrap().clone()
    }

    /// SIGKILL: no shutdown, no flush.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The built binary.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_kudos-server"))
}

/// Runs a non-serving command and returns (success, stdout, stderr).
pub fn run_command(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(binary())
        .args(args)
        .env_remove("KUDOS_DATABASE_URL")
        .env("KUDOS_LOG", "warn")
        .output()
        .expect("run kudos-server");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("HTTP client")
}

/// A valid praise envelope with a new id.
pub fn praise(staff: &str, story: &str) -> Value {
    json!({
        "type": "staff_recognition.submitted",
        "schema_version": 1,
        "id": new_id(),
        "created_at": "2026-11-24T09:30:00.000Z",
        "site": { "url": "https://shop.example/thanks", "title": "Thank our team", "language": "en" },
        "data": {
            "staff_name": staff,
            "location": "Larch Street",
            "occurred_on": "2026-11-24",
            "story": story,
            "tags": ["genuine_warmth"],
            "visitor_name": "Visitor Q. Private",
            "visitor_email": "visitor.private@example.net"
        },
        "consent": {
            "publish": { "granted": true, "version": "praise-publish-2026-11" },
            "contact": { "granted": false, "version": "praise-contact-2026-11" }
        },
        "signals": { "honeypot": "", "fill_time_ms": 48210, "attempt": 1 },
        "widget_version": "0.1.0"
    })
}

/// A valid newsletter envelope with a new id.
pub fn newsletter(email: &str) -> Value {
    json!({
        "type": "newsletter.subscription_requested",
        "schema_version": 1,
        "id": new_id(),
        "created_at": "2026-11-24T09:30:00.000Z",
        "site": { "url": "https://shop.example/", "title": "Larch Street Market", "language": "fr-CA" },
        "data": { "email": email, "first_name": "Evangelina", "lists": ["weekly"] },
        "consent": { "newsletter": {
            "granted": true,
            "version": "newsletter-2026-11",
            "text_sha256": "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
            "given_at": "2026-11-24T09:29:40.000Z"
        } },
        "signals": { "honeypot": "", "fill_time_ms": 12000, "attempt": 1 },
        "widget_version": "0.1.0"
    })
}

/// Posts `body` (text) as the widget does, from [`ORIGIN`].
pub async fn post(server: &Server, body: impl Into<reqwest::Body>) -> reqwest::Response {
    client()
        .post(server.url("/v1/submissions"))
        .header("origin", ORIGIN)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("POST /v1/submissions")
}

/// A compiled schema from docs/schema.
pub fn schema(file: &str) -> jsonschema::Validator {
    let path = format!("{}/../docs/schema/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let value: Value = serde_json::from_str(&text).expect("schema JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&value)
        .expect("a valid schema")
}

/// Fails unless `value` matches `docs/schema/{file}`.
pub fn assert_schema(file: &str, value: &Value) {
    let validator = schema(file);
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| e.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "{value} does not match {file}: {errors:?}"
    );
}

/// Reads a reply body as JSON and checks it against the reply schema.
pub async fn reply_json(response: reqwest::Response) -> (u16, reqwest::header::HeaderMap, Value) {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("reply body");
    let value: Value = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("reply {status} is not JSON: {text:?}"));
    assert_schema("reply.v1.json", &value);
    (status, headers, value)
}

/// The store behind `url`, for checking what was (not) stored.
pub async fn store(url: &str) -> kudos_server::store::Store {
    kudos_server::store::Store::connect(url)
        .await
        .expect("open the test database")
}
