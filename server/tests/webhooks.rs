//! Slack, Teams and outgoing webhooks, and the QR posters, on SQLite and on PostgreSQL: the real
//! binary, a loopback HTTP receiver inside the test (it verifies the Standard Webhooks
//! signature as any receiver would), the owner's pages through a real HTTP client, and the QR
//! codes decoded back to their address from the SVG the page serves.

mod support;

use std::collections::{BTreeMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use support::*;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// The part of the Slack address that is its credential: it must never show.
const SLACK_TOKEN: &str = "XoXo5ecretT0ken";
const STORY: &str = "She found my lost glove <!channel> & walked it out to the parking lot.";
const EMAIL: &str = "owner@shop.example";
const PASSWORD: &str = "a long passphrase for the owner";

// ---------------------------------------------------------------------------------------------
// A webhook receiver on loopback.

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Hit {
    path: String,
    headers: BTreeMap<String, String>,
    body: String,
}

impl Hit {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.body))
    }

    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or("")
    }
}

#[derive(Default)]
struct Shared {
    hits: Vec<Hit>,
    /// Statuses to answer next, in order; then 200.
    script: VecDeque<u16>,
}

struct Receiver {
    port: u16,
    shared: Arc<Mutex<Shared>>,
}

impl Receiver {
    fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Mutex::new(Shared::default()));
        let state = Arc::clone(&shared);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = Arc::clone(&state);
                std::thread::spawn(move || {
                    let _ = serve(stream, &state);
                });
            }
        });
        Receiver { port, shared }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn answer_next(&self, statuses: &[u16]) {
        self.shared.lock().unwrap().script.extend(statuses);
    }

    fn hits(&self) -> Vec<Hit> {
        self.shared.lock().unwrap().hits.clone()
    }

    fn on(&self, prefix: &str) -> Vec<Hit> {
        self.hits()
            .into_iter()
            .filter(|h| h.path.starts_with(prefix))
            .collect()
    }

    async fn wait_for(&self, prefix: &str, count: usize) -> Vec<Hit> {
        for _ in 0..300 {
            let hits = self.on(prefix);
            if hits.len() >= count {
                return hits;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "{count} requests to {prefix} expected; got {:?}",
            self.hits()
        );
    }
}

fn serve(stream: TcpStream, shared: &Mutex<Shared>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
    let mut headers = BTreeMap::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header)?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body)?;
    let status = {
        let mut shared = shared.lock().unwrap();
        shared.hits.push(Hit {
            path,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        shared.script.pop_front().unwrap_or(200)
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status} X\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
    )?;
    stream.flush()
}

/// What a Standard Webhooks receiver does: HMAC-SHA256 over `id.timestamp.body` with the key
/// after `whsec_`, compared with each `v1,` signature of the header.
fn verify(secret: &str, hit: &Hit) -> bool {
    let Some(key) = secret
        .strip_prefix("whsec_")
        .and_then(|k| STANDARD.decode(k).ok())
    else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(
        format!(
            "{}.{}.{}",
            hit.header("webhook-id"),
            hit.header("webhook-timestamp"),
            hit.body
        )
        .as_bytes(),
    );
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    hit.header("webhook-signature")
        .split(' ')
        .any(|given| given == expected)
}

// ---------------------------------------------------------------------------------------------
// The owner's browser (one cookie, no redirects followed).

struct Browser {
    base: String,
    http: reqwest::Client,
    cookie: Option<String>,
}

struct Page {
    status: u16,
    location: String,
    body: String,
}

impl Page {
    fn csrf(&self) -> String {
        let marker = r#"name="csrf" value=""#;
        let start = self
            .body
            .find(marker)
            .unwrap_or_else(|| panic!("no CSRF field in {}", self.body))
            + marker.len();
        self.body[start..].split('"').next().unwrap().to_owned()
    }
}

impl Browser {
    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let request = match &self.cookie {
            Some(cookie) => request.header("cookie", format!("kudos_owner={cookie}")),
            None => request,
        };
        let response = request
            .header("accept-language", "en")
            .send()
            .await
            .unwrap();
        if let Some(set) = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
        {
            let value = set
                .strip_prefix("kudos_owner=")
                .and_then(|rest| rest.split(';').next())
                .unwrap_or("");
            self.cookie = (!value.is_empty()).then(|| value.to_owned());
        }
        Page {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned(),
            body: response.text().await.unwrap(),
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        let request = self.http.get(format!("{}{path}", self.base));
        self.send(request).await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let request = self.http.post(format!("{}{path}", self.base)).form(form);
        self.send(request).await
    }
}

/// A signed-in owner on `server` (the account made on `url`).
async fn owner(server: &Server, url: &str) -> Browser {
    let (ok, out, err) = run_command(&["admin", "add", EMAIL, "--database-url", url]);
    assert!(ok, "admin add: {err}");
    let link = out
        .lines()
        .find_map(|line| line.split_once("/owner/set-password?token="))
        .map(|(_, token)| token.trim().to_owned())
        .unwrap_or_else(|| panic!("no link in {out}"));
    let mut browser = Browser {
        base: server.base.clone(),
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        cookie: None,
    };
    let form = browser
        .get(&format!("/owner/set-password?token={link}"))
        .await;
    let csrf = form.csrf();
    let set = browser
        .post(
            "/owner/set-password",
            &[
                ("csrf", &csrf),
                ("token", &link),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(set.status, 303, "{}", set.body);
    let form = browser.get("/owner/sign-in").await;
    let csrf = form.csrf();
    let signed_in = browser
        .post(
            "/owner/sign-in",
            &[("csrf", &csrf), ("email", EMAIL), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    browser
}

// ---------------------------------------------------------------------------------------------
// Helpers.

async fn post_ok(server: &Server, envelope: &Value) -> String {
    let response = post(server, envelope.to_string()).await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
    envelope["id"].as_str().unwrap().to_owned()
}

fn import_roster(url: &str, csv: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("staff.csv");
    std::fs::write(&path, csv).unwrap();
    let (ok, _, err) = run_command(&[
        "staff",
        "import",
        path.to_str().unwrap(),
        "--database-url",
        url,
    ]);
    assert!(ok, "{err}");
}

const ROSTER: &str = "id,name,role,location,nicknames,email,manager_email\n\
    m-204,Maribel Ortiz,Cashier,Larch Street,,maribel@shop.example,lead@shop.example\n\
    c-7,Chidi Okafor,Baker,Harbour Road,,,\n";

/// The webhook deliveries (jobs of kind `webhook`) of the database, oldest first.
async fn deliveries(url: &str) -> Vec<kudos_server::store::JobRow> {
    let store = store(url).await;
    let jobs = store.jobs().await.unwrap();
    store.close().await;
    jobs.into_iter().filter(|j| j.kind == "webhook").collect()
}

async fn attempts(url: &str) -> Vec<kudos_server::store::WebhookAttempt> {
    let store = store(url).await;
    let mut attempts = store.webhook_attempts(100).await.unwrap();
    store.close().await;
    attempts.reverse();
    attempts
}

/// Waits until `check` holds for the webhook deliveries.
async fn wait_deliveries(
    url: &str,
    what: &str,
    check: impl Fn(&[kudos_server::store::JobRow]) -> bool,
) -> Vec<kudos_server::store::JobRow> {
    for _ in 0..300 {
        let rows = deliveries(url).await;
        if check(&rows) {
            return rows;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: {:?}", deliveries(url).await);
}

// ---------------------------------------------------------------------------------------------
// Tests.

#[tokio::test]
async fn slack_teams_and_a_signed_webhook_hear_new_and_approved_praise() {
    for db in databases().await {
        let receiver = Receiver::start();
        let slack = receiver.url(&format!("/slack/T000/B000/{SLACK_TOKEN}"));
        let teams = receiver.url("/teams/workflows/abc/triggers/manual");
        let hook = receiver.url("/hook");
        let server = Server::start(
            &db.url,
            &[
                "--public-url",
                "https://kudos.shop.example",
                "--slack-webhook-url",
                &slack,
                "--teams-webhook-url",
                &teams,
                "--webhook-url",
                &hook,
                "--webhook-secret",
                SECRET,
            ],
        );
        let envelope = praise("Maribel Ortiz", STORY);
        let id = post_ok(&server, &envelope).await;

        // The outgoing webhook: signed per Standard Webhooks; a wrong secret fails.
        let hit = receiver.wait_for("/hook", 1).await.remove(0);
        assert!(verify(SECRET, &hit), "{}: {hit:?}", db.name);
        assert!(
            !verify("whsec_dGhlIHdyb25nIHNlY3JldCwgMjQgYnl0ZXMh", &hit),
            "a wrong secret must not verify"
        );
        let mut tampered = hit.clone();
        tampered.body = tampered.body.replace("glove", "gloves");
        assert!(!verify(SECRET, &tampered), "a changed body must not verify");
        assert!(hit.header("webhook-id").starts_with("msg_"), "{hit:?}");
        let sent_at: i64 = hit.header("webhook-timestamp").parse().unwrap();
        assert!((kudos_server::now_ms() / 1000 - sent_at).abs() < 300);
        assert_eq!(hit.header("content-type"), "application/json");
        let body = hit.json();
        assert_eq!(body["type"], "praise.received");
        assert_eq!(body["data"]["id"], id.as_str());
        assert_eq!(body["data"]["story"], STORY);
        assert_eq!(body["data"]["staff_name"], "Maribel Ortiz");
        assert_eq!(body["data"]["status"], "pending_moderation");
        assert_eq!(
            body["data"]["moderation_url"],
            "https://kudos.shop.example/owner/moderation"
        );
        assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));

        // Slack: an incoming webhook's message, text plus blocks, the visitor's text escaped.
        let slack_hit = receiver.wait_for("/slack/", 1).await.remove(0);
        let message = slack_hit.json();
        assert!(message["text"].as_str().unwrap().contains("Maribel Ortiz"));
        let blocks = message["blocks"].as_array().unwrap();
        assert!(blocks.iter().all(|b| b["type"].is_string()));
        assert_eq!(blocks[0]["type"], "section");
        assert_eq!(blocks[0]["text"]["type"], "mrkdwn");
        let texts: String = slack_hit.body.clone();
        assert!(texts.contains("&lt;!channel&gt; &amp; walked"), "{texts}");
        assert!(!texts.contains("<!channel>"), "{texts}");
        assert!(texts.contains("<https://kudos.shop.example/owner/moderation|"));

        // Teams: a message whose one attachment is an Adaptive Card.
        let teams_hit = receiver.wait_for("/teams/", 1).await.remove(0);
        let message = teams_hit.json();
        assert_eq!(message["type"], "message");
        let attachment = &message["attachments"][0];
        assert_eq!(
            attachment["contentType"],
            "application/vnd.microsoft.card.adaptive"
        );
        let card = &attachment["content"];
        assert_eq!(card["type"], "AdaptiveCard");
        assert_eq!(card["version"], "1.4");
        assert_eq!(
            card["$schema"],
            "http://adaptivecards.io/schemas/adaptive-card.json"
        );
        // What the visitor wrote is in TextRuns (shown as written, no markdown links).
        let body_items = card["body"].as_array().unwrap();
        assert!(body_items.iter().all(|b| b["type"] == "RichTextBlock"));
        let runs: Vec<&Value> = body_items
            .iter()
            .flat_map(|b| b["inlines"].as_array().unwrap())
            .collect();
        assert!(runs.iter().all(|r| r["type"] == "TextRun"));
        assert!(runs.iter().any(|r| r["text"] == STORY));
        assert!(runs.iter().any(|r| r["text"] == "Larch Street"));
        assert_eq!(card["actions"][0]["type"], "Action.OpenUrl");

        // No payload names the visitor.
        for hit in receiver.hits() {
            assert!(
                !hit.body.contains("Visitor Q. Private") && !hit.body.contains("visitor.private@"),
                "{hit:?}"
            );
        }

        // Approved: each target hears it too, once.
        let (ok, _, err) = run_command(&["praise", "approve", &id, "--database-url", &db.url]);
        assert!(ok, "{err}");
        let hooks = receiver.wait_for("/hook", 2).await;
        assert!(verify(SECRET, &hooks[1]));
        assert_eq!(hooks[1].json()["type"], "praise.approved");
        assert_ne!(hooks[0].header("webhook-id"), hooks[1].header("webhook-id"));
        let slack_hits = receiver.wait_for("/slack/", 2).await;
        assert!(slack_hits[1].json()["text"]
            .as_str()
            .unwrap()
            .starts_with("Praise approved"));
        receiver.wait_for("/teams/", 2).await;
        wait_deliveries(&db.url, "all delivered", |rows| {
            rows.len() == 6 && rows.iter().all(|r| r.status == "done")
        })
        .await;
        tokio::time::sleep(Duration::from_millis(800)).await;
        assert_eq!(receiver.hits().len(), 6, "{}: each delivery once", db.name);

        // Spam tells no one.
        let mut spam = praise(
            "Maribel Ortiz",
            "Fast spam text that nobody should hear about.",
        );
        spam["signals"]["fill_time_ms"] = 10.into();
        post_ok(&server, &spam).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(receiver.hits().len(), 6, "{}: spam was posted", db.name);

        // The addresses are secrets: not in the logs, not in the owner's pages.
        let mut browser = owner(&server, &db.url).await;
        let log = browser.get("/owner/deliveries").await;
        assert_eq!(log.status, 200, "{}", log.body);
        assert!(log.body.contains("Slack") && log.body.contains("Microsoft Teams"));
        assert!(log.body.contains("delivered (HTTP 200)"), "{}", log.body);
        for page in [log.body.as_str(), &server.logs()] {
            assert!(
                !page.contains(SLACK_TOKEN),
                "{}: the Slack token shows",
                db.name
            );
            assert!(!page.contains("/teams/workflows"), "{}", db.name);
            // (The HTTP client's debug lines name the host and port it connects to, never a path.)
            for url in [&slack, &teams, &hook] {
                assert!(!page.contains(url.as_str()), "{}: {url} shows", db.name);
            }
            assert!(!page.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        }
    }
}

#[tokio::test]
async fn a_failing_receiver_is_retried_with_backoff_logged_and_retried_now_from_the_owners_pages() {
    for db in databases().await {
        let receiver = Receiver::start();
        receiver.answer_next(&[500, 503]);
        let hook = receiver.url("/hook");
        let args = ["--webhook-url", &hook, "--webhook-secret", SECRET];
        let id = {
            let server = Server::start(&db.url, &args);
            let id = post_ok(&server, &praise("Maribel Ortiz", STORY)).await;
            // The first attempt fails: queued again 30 s later, logged with its status.
            let before = kudos_server::now_ms();
            let rows = wait_deliveries(&db.url, "a first failure", |rows| {
                rows.iter().any(|r| r.last_error.is_some())
            })
            .await;
            let job = &rows[0];
            assert_eq!(
                (job.status.as_str(), job.attempts),
                ("queued", 1),
                "{}",
                db.name
            );
            assert_eq!(job.last_error.as_deref(), Some("HTTP 500"));
            let wait = job.run_at - before;
            assert!(
                (25_000..=32_000).contains(&wait),
                "{}: the first backoff is 30 s, not {wait} ms",
                db.name
            );
            // Nothing more before the backoff passes.
            tokio::time::sleep(Duration::from_millis(1500)).await;
            assert_eq!(receiver.on("/hook").len(), 1, "{}: retried early", db.name);
            id
        };

        // 90 s later (the clock knob), the second attempt: 503, then waiting 60 s.
        let server = Server::start_with(
            &[
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--database-url",
                &db.url,
                "--allowed-origin",
                ORIGIN,
                "--webhook-url",
                &hook,
                "--webhook-secret",
                SECRET,
            ],
            &[("KUDOS_CLOCK_OFFSET_SECS", "90")],
        );
        receiver.wait_for("/hook", 2).await;
        let rows = wait_deliveries(&db.url, "a second failure", |rows| {
            rows[0].attempts == 2 && rows[0].status == "queued"
        })
        .await;
        assert_eq!(rows[0].last_error.as_deref(), Some("HTTP 503"));
        let log = attempts(&db.url).await;
        assert_eq!(log.len(), 2, "{}: {log:?}", db.name);
        assert_eq!(
            log.iter()
                .map(|a| (
                    a.attempt,
                    a.status_code,
                    a.target.as_str(),
                    a.praise_id.as_str()
                ))
                .collect::<Vec<_>>(),
            [
                (1, Some(500), "webhook", id.as_str()),
                (2, Some(503), "webhook", id.as_str())
            ]
        );
        assert!(log.iter().all(|a| a.error.is_some()));

        // The owner's delivery log shows both attempts and offers "Retry now".
        let mut browser = owner(&server, &db.url).await;
        let page = browser.get("/owner/deliveries").await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("HTTP 500") && page.body.contains("HTTP 503"));
        assert!(page.body.contains("Retry now"), "{}", page.body);
        assert!(page
            .body
            .contains(r#"href="/owner/deliveries" aria-current="page""#));
        let job_id = rows[0].id.clone();
        // Without the session's CSRF token: refused, nothing moves.
        let refused = browser
            .post(
                "/owner/deliveries/retry",
                &[("csrf", "forged"), ("id", &job_id)],
            )
            .await;
        assert_eq!(refused.status, 403, "{}", db.name);
        tokio::time::sleep(Duration::from_millis(1000)).await;
        assert_eq!(
            receiver.on("/hook").len(),
            2,
            "{}: a forged retry ran",
            db.name
        );
        // With it: delivered within moments, attempt 3, logged with its 200.
        let csrf = page.csrf();
        let retried = browser
            .post(
                "/owner/deliveries/retry",
                &[("csrf", &csrf), ("id", &job_id)],
            )
            .await;
        assert_eq!(
            (retried.status, retried.location.as_str()),
            (303, "/owner/deliveries?done=retried"),
            "{}",
            retried.body
        );
        let hits = receiver.wait_for("/hook", 3).await;
        assert!(hits.iter().all(|hit| verify(SECRET, hit)));
        // The same message id on every attempt of one delivery.
        assert!(hits
            .iter()
            .all(|h| h.header("webhook-id") == hits[0].header("webhook-id")));
        let rows = wait_deliveries(&db.url, "delivered", |rows| rows[0].status == "done").await;
        assert_eq!(rows[0].attempts, 3);
        let log = attempts(&db.url).await;
        assert_eq!(
            (
                log.len(),
                log[2].attempt,
                log[2].status_code,
                log[2].error.as_deref()
            ),
            (3, 3, Some(200), None),
            "{}",
            db.name
        );
        let page = browser.get("/owner/deliveries?done=retried").await;
        assert!(page.body.contains("delivered (HTTP 200)"), "{}", page.body);
        // A delivered one can't be retried again.
        let again = browser
            .post(
                "/owner/deliveries/retry",
                &[("csrf", &csrf), ("id", &job_id)],
            )
            .await;
        assert_eq!(again.location, "/owner/deliveries?done=not-retried");
    }
}

#[tokio::test]
async fn a_permanent_refusal_is_kept_failed_and_retry_now_gives_it_one_more_attempt() {
    for db in databases().await {
        let receiver = Receiver::start();
        receiver.answer_next(&[410]);
        let slack = receiver.url("/slack/T/B/gone");
        let server = Server::start(&db.url, &["--slack-webhook-url", &slack]);
        post_ok(&server, &praise("Maribel Ortiz", STORY)).await;
        let rows = wait_deliveries(&db.url, "kept failed", |rows| {
            rows.first().is_some_and(|r| r.status == "failed")
        })
        .await;
        assert_eq!(rows[0].attempts, 1, "{}: a 410 is not retried", db.name);
        assert_eq!(rows[0].last_error.as_deref(), Some("HTTP 410"));
        let mut browser = owner(&server, &db.url).await;
        let page = browser.get("/owner/deliveries").await;
        assert!(page.body.contains("failed") && page.body.contains("Retry now"));
        let csrf = page.csrf();
        browser
            .post(
                "/owner/deliveries/retry",
                &[("csrf", &csrf), ("id", &rows[0].id)],
            )
            .await;
        receiver.wait_for("/slack/", 2).await;
        let rows = wait_deliveries(&db.url, "delivered", |rows| rows[0].status == "done").await;
        assert_eq!(rows[0].attempts, 2, "{}", db.name);
    }
}

#[tokio::test]
async fn two_instances_on_one_postgres_deliver_each_webhook_once() {
    let Some(db) = postgres().await else {
        return;
    };
    let receiver = Receiver::start();
    let slack = receiver.url("/slack/T/B/x");
    let hook = receiver.url("/hook");
    let args = [
        "--slack-webhook-url",
        slack.as_str(),
        "--webhook-url",
        hook.as_str(),
        "--webhook-secret",
        SECRET,
    ];
    let first = Server::start(&db.url, &args);
    let second = Server::start(&db.url, &args);
    let mut ids = vec![];
    for n in 0..12 {
        let server = if n % 2 == 0 { &first } else { &second };
        ids.push(
            post_ok(
                server,
                &praise(
                    "Maribel Ortiz",
                    &format!("Story number {n} about patience."),
                ),
            )
            .await,
        );
    }
    receiver.wait_for("/hook", 12).await;
    receiver.wait_for("/slack/", 12).await;
    wait_deliveries(&db.url, "all delivered", |rows| {
        rows.len() == 24 && rows.iter().all(|r| r.status == "done")
    })
    .await;
    // Past any late duplicate.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let hooks = receiver.on("/hook");
    assert_eq!(hooks.len(), 12, "{hooks:?}");
    let mut message_ids: Vec<_> = hooks.iter().map(|h| h.header("webhook-id")).collect();
    message_ids.sort_unstable();
    message_ids.dedup();
    assert_eq!(message_ids.len(), 12);
    let mut praised: Vec<String> = hooks
        .iter()
        .map(|h| h.json()["data"]["id"].as_str().unwrap().to_owned())
        .collect();
    praised.sort();
    ids.sort();
    assert_eq!(praised, ids);
    assert_eq!(receiver.on("/slack/").len(), 12);
}

// ---------------------------------------------------------------------------------------------
// QR posters.

/// The `<svg>…</svg>` in a page.
fn svg_of(page: &str) -> &str {
    let start = page.find("<svg").expect("an SVG in the page");
    let end = page[start..].find("</svg>").expect("the SVG's end") + start + "</svg>".len();
    &page[start..end]
}

/// Draws the SVG the way a printer would (the white background, each dark path rectangle
/// `M{x} {y}h{w}v{h}H{x}V{y}`) and decodes the QR code in the picture.
fn decode(svg: &str) -> String {
    let attr = |name: &str| -> usize {
        let marker = format!(" {name}=\"");
        let start = svg.find(&marker).unwrap() + marker.len();
        svg[start..].split('"').next().unwrap().parse().unwrap()
    };
    let (width, height) = (attr("width"), attr("height"));
    let d_start = svg.find(" d=\"").expect("a path") + 4;
    let d = svg[d_start..].split('"').next().unwrap();
    let mut dark = vec![false; width * height];
    for rect in d.split('M').filter(|r| !r.is_empty()) {
        let numbers: Vec<usize> = rect
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .map(|n| n.parse().unwrap())
            .collect();
        let (x, y, w, h) = (numbers[0], numbers[1], numbers[2], numbers[3]);
        for row in y..y + h {
            for col in x..x + w {
                dark[row * width + col] = true;
            }
        }
    }
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        if dark[y * width + x] {
            0
        } else {
            255
        }
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the picture");
    grids[0].decode().expect("a readable QR code").1
}

#[tokio::test]
async fn qr_posters_open_the_praise_page_with_the_staff_member_filled_in() {
    for db in databases().await {
        import_roster(&db.url, ROSTER);
        let page_url = "https://shop.example/thanks?lang=en";
        let server = Server::start(&db.url, &["--praise-page-url", page_url]);
        let mut browser = owner(&server, &db.url).await;

        let list = browser.get("/owner/posters").await;
        assert_eq!(list.status, 200, "{}", list.body);
        assert!(list
            .body
            .contains(r#"href="/owner/posters" aria-current="page""#));
        assert!(list
            .body
            .contains("/owner/posters/staff?site=default&amp;id=m-204"));
        assert!(
            list.body
                .contains("/owner/posters/location?site=default&amp;name=Larch%20Street")
                || list
                    .body
                    .contains("/owner/posters/location?site=default&amp;name=Larch+Street")
        );

        let poster = browser
            .get("/owner/posters/staff?site=default&id=m-204")
            .await;
        assert_eq!(poster.status, 200, "{}", poster.body);
        assert!(poster.body.contains("Maribel Ortiz"));
        let expected = "https://shop.example/thanks?lang=en&kudos-staff=m-204";
        assert_eq!(decode(svg_of(&poster.body)), expected, "{}", db.name);
        assert!(
            poster.body.contains(&expected.replace('&', "&amp;")),
            "the address is written too"
        );
        assert!(poster.body.contains(r#"role="img""#));

        let location = browser
            .get("/owner/posters/location?site=default&name=Harbour%20Road")
            .await;
        assert_eq!(location.status, 200, "{}", location.body);
        assert_eq!(decode(svg_of(&location.body)), page_url, "{}", db.name);
        assert!(
            location.body.contains("reads no location"),
            "{}",
            location.body
        );

        let missing = browser
            .get("/owner/posters/staff?site=default&id=nobody")
            .await;
        assert_eq!(missing.status, 404);

        // One clean printed page: the print rules hide everything but the poster.
        let css = client()
            .get(server.url("/assets/kudos-pages.css"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let print = &css[css.find("@media print").expect("print rules")..];
        assert!(print.contains("header.bar") && print.contains(".no-print"));
        assert!(print.contains("break-inside: avoid"));

        // Without praise_page_url the page says what to set.
        drop(server);
        let bare = Server::start(&db.url, &[]);
        browser.base = bare.base.clone();
        let page = browser
            .get("/owner/posters/staff?site=default&id=m-204")
            .await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("praise_page_url") && !page.body.contains("<svg"));
    }
}
