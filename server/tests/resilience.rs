//! Resilience: what happens to submissions when the world misbehaves. Real processes (the
//! `kudos-server` binary), real sockets, real SQLite files and a real PostgreSQL cluster.
//!
//! - The same id posted many times at once, to two instances on one PostgreSQL (and to one on
//!   SQLite), is stored once, and every post gets the same answer.
//! - SIGKILL mid-load: every id that got a 2xx is in the database after a restart (a 2xx means
//!   "committed").
//! - PostgreSQL stopped mid-load: posts get 503 + `Retry-After` (with CORS headers, so the
//!   widget can read it), `/readyz` says 503 and `/healthz` 200; once it is back, the same ids
//!   re-posted get 202, and nothing that was ever answered 2xx is lost.
//!
//! The PostgreSQL cluster is shared by every test of this binary, and one test stops it: that
//! test takes [`CLUSTER`] for writing, the others for reading, so none of them sees the cluster
//! go away under it. A drop guard starts the cluster again however the stopping test ends.
//!
//! No timed assertions: waits are bounded loops that fail with a message when the bound runs out.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use support::{Database, Server, ORIGIN};
use tokio::sync::{Barrier, RwLock};

/// Readers: tests that use the PostgreSQL cluster. Writer: the test that stops it.
static CLUSTER: RwLock<()> = RwLock::const_new(());

/// What one POST came back with: its status, the headers a browser would read, and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Answer {
    status: u16,
    retry_after: Option<String>,
    allow_origin: Option<String>,
    expose_headers: Option<String>,
    body: String,
}

/// One POST of `body` (text) from [`ORIGIN`], as the widget sends it; `Err` when no HTTP
/// answer came (connection refused or reset).
async fn post_once(client: &reqwest::Client, base: &str, body: &str) -> Result<Answer, String> {
    let response = client
        .post(format!("{base}/v1/submissions"))
        .header("origin", ORIGIN)
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .map_err(|err| err.to_string())?;
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let retry_after = header("retry-after");
    let allow_origin = header("access-control-allow-origin");
    let expose_headers = header("access-control-expose-headers");
    let status = response.status().as_u16();
    let body = response.text().await.map_err(|err| err.to_string())?;
    Ok(Answer {
        status,
        retry_after,
        allow_origin,
        expose_headers,
        body,
    })
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("HTTP client")
}

fn praise_text() -> (String, String) {
    let envelope = support::praise("Dana", "Found my lost keys and walked me to the bus stop.");
    let id = envelope["id"].as_str().expect("id").to_owned();
    (id, envelope.to_string())
}

/// Posts `body` `n` times at once, spread round-robin over `servers`, and returns the answers.
async fn post_concurrently(bases: &[String], body: &str, n: usize) -> Vec<Answer> {
    let barrier = Arc::new(Barrier::new(n));
    let mut tasks = Vec::new();
    for i in 0..n {
        let base = bases[i % bases.len()].clone();
        let body = body.to_owned();
        let barrier = Arc::clone(&barrier);
        tasks.push(tokio::spawn(async move {
            // One client per post: its own connection, so the posts really overlap.
            let client = client();
            barrier.wait().await;
            post_once(&client, &base, &body).await
        }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("post task").expect("an HTTP answer"));
    }
    answers
}

/// Every answer is the same 202 with a status body, and the id is stored exactly once.
async fn assert_stored_once(database: &Database, id: &str, answers: &[Answer], logs: &str) {
    let distinct: BTreeSet<(u16, &str)> = answers
        .iter()
        .map(|answer| (answer.status, answer.body.as_str()))
        .collect();
    assert_eq!(
        distinct.len(),
        1,
        "{}: {} posts of one id got different answers: {distinct:?}\nlogs:\n{logs}",
        database.name,
        answers.len()
    );
    let (status, body) = distinct.into_iter().next().expect("one answer");
    assert_eq!(status, 202, "{}: {body}\nlogs:\n{logs}", database.name);
    let reply: Value = serde_json::from_str(body).expect("JSON reply");
    support::assert_schema("reply.v1.json", &reply);
    assert_eq!(reply["status"], "pending_moderation", "{}", database.name);
    let store = support::store(&database.url).await;
    assert_eq!(
        store.count_submissions().await.expect("count"),
        1,
        "{}: one id posted {} times must be one row",
        database.name,
        answers.len()
    );
    assert!(store.has_submission(id).await.expect("look up"));
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_id_posted_50_times_concurrently_to_two_servers_on_one_postgres_is_stored_once() {
    let _cluster = CLUSTER.read().await;
    let Some(database) = support::postgres().await else {
        eprintln!("skipped: KUDOS_TEST_POSTGRES_URL is not set");
        return;
    };
    // Both instances start on the fresh database at once: the migrations run under sqlx's lock.
    let (a, b) = {
        let url = database.url.clone();
        let first = std::thread::spawn(move || Server::start(&url, &[]));
        let second = Server::start(&database.url, &[]);
        (first.join().expect("first server"), second)
    };
    let (id, body) = praise_text();
    let answers = post_concurrently(&[a.base.clone(), b.base.clone()], &body, 50).await;
    let logs = format!("--- a ---\n{}\n--- b ---\n{}", a.logs(), b.logs());
    assert_stored_once(&database, &id, &answers, &logs).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_id_posted_50_times_concurrently_to_one_server_on_sqlite_is_stored_once() {
    let database = support::sqlite();
    let server = Server::start(&database.url, &[]);
    let (id, body) = praise_text();
    let answers = post_concurrently(std::slice::from_ref(&server.base), &body, 50).await;
    assert_stored_once(&database, &id, &answers, &server.logs()).await;
}

/// What a load of distinct ids saw: for each id posted, every answer it got (in order), and the
/// ids whose post got no HTTP answer at all.
#[derive(Default)]
struct Load {
    answers: BTreeMap<String, (String, Vec<Answer>)>,
    no_answer: BTreeSet<String>,
}

impl Load {
    /// Ids that got a 2xx at least once.
    fn answered(&self) -> BTreeSet<String> {
        self.answers
            .iter()
            .filter(|(_, (_, answers))| answers.iter().any(|a| (200..300).contains(&a.status)))
            .map(|(id, _)| id.clone())
            .collect()
    }
}

/// A running load: `workers` clients posting new praise ids back to back until stopped, one
/// fails to get an answer (`stop_on_no_answer`), or each has posted `per_worker`.
struct Running {
    stop: Arc<AtomicBool>,
    /// How many posts got a 2xx / a 503 so far.
    ok: Arc<AtomicUsize>,
    unavailable: Arc<AtomicUsize>,
    tasks: Vec<tokio::task::JoinHandle<Load>>,
}

fn start_load(base: &str, workers: usize, per_worker: usize, stop_on_no_answer: bool) -> Running {
    let stop = Arc::new(AtomicBool::new(false));
    let ok = Arc::new(AtomicUsize::new(0));
    let unavailable = Arc::new(AtomicUsize::new(0));
    let tasks = (0..workers)
        .map(|_| {
            let (base, stop, ok, unavailable) = (
                base.to_owned(),
                Arc::clone(&stop),
                Arc::clone(&ok),
                Arc::clone(&unavailable),
            );
            tokio::spawn(async move {
                let client = client();
                let mut load = Load::default();
                for _ in 0..per_worker {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let (id, body) = praise_text();
                    match post_once(&client, &base, &body).await {
                        Ok(answer) => {
                            if (200..300).contains(&answer.status) {
                                ok.fetch_add(1, Ordering::SeqCst);
                            } else if answer.status == 503 {
                                unavailable.fetch_add(1, Ordering::SeqCst);
                            }
                            load.answers.insert(id, (body, vec![answer]));
                        }
                        Err(_) => {
                            load.answers.insert(id.clone(), (body, Vec::new()));
                            load.no_answer.insert(id);
                            if stop_on_no_answer {
                                break;
                            }
                        }
                    }
                }
                load
            })
        })
        .collect();
    Running {
        stop,
        ok,
        unavailable,
        tasks,
    }
}

impl Running {
    /// Waits (bounded) until `counter` reaches `at_least`; false if it never did.
    async fn wait_for(counter: &AtomicUsize, at_least: usize, bound: Duration) -> bool {
        let step = Duration::from_millis(20);
        for _ in 0..(bound.as_millis() / step.as_millis()) {
            if counter.load(Ordering::SeqCst) >= at_least {
                return true;
            }
            tokio::time::sleep(step).await;
        }
        counter.load(Ordering::SeqCst) >= at_least
    }

    async fn finish(self) -> Load {
        self.stop.store(true, Ordering::SeqCst);
        let mut all = Load::default();
        for task in self.tasks {
            let load = task.await.expect("load task");
            all.answers.extend(load.answers);
            all.no_answer.extend(load.no_answer);
        }
        all
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_answered_id_survives_kill_9() {
    let _cluster = CLUSTER.read().await;
    for database in support::databases().await {
        let mut server = Server::start(&database.url, &[]);
        let load = start_load(&server.base, 16, 5_000, true);
        assert!(
            Running::wait_for(&load.ok, 300, Duration::from_secs(120)).await,
            "{}: the load never reached 300 answered posts; logs:\n{}",
            database.name,
            server.logs()
        );
        // Mid-load: 16 clients have posts in flight. No shutdown, no flush.
        server.kill();
        let load = load.finish().await;
        let answered = load.answered();
        let statuses: BTreeSet<u16> = load
            .answers
            .values()
            .flat_map(|(_, answers)| answers.iter().map(|a| a.status))
            .collect();
        assert_eq!(
            statuses,
            BTreeSet::from([202]),
            "{}: before the kill every post should be accepted",
            database.name
        );
        assert!(
            !load.no_answer.is_empty(),
            "{}: the kill came between posts, not mid-load",
            database.name
        );
        eprintln!(
            "{}: {} ids answered 2xx, {} posts cut off by the kill",
            database.name,
            answered.len(),
            load.no_answer.len()
        );

        // Restarted on the same database: every answered id is there.
        let server = Server::start(&database.url, &[]);
        let store = support::store(&database.url).await;
        let mut lost = Vec::new();
        for id in &answered {
            if !store.has_submission(id).await.expect("look up") {
                lost.push(id.clone());
            }
        }
        assert!(
            lost.is_empty(),
            "{}: {} of {} ids answered 2xx before SIGKILL are not stored: {:?}",
            database.name,
            lost.len(),
            answered.len(),
            &lost[..lost.len().min(10)]
        );
        let stored = store.count_submissions().await.expect("count") as usize;
        assert!(
            stored >= answered.len() && stored <= load.answers.len(),
            "{}: {stored} rows for {} answered of {} posted",
            database.name,
            answered.len(),
            load.answers.len()
        );
        store.close().await;
        // The restarted server answers the cut-off posts, and the answered ones the same again.
        let client = client();
        let cut_off = load.no_answer.iter().take(5);
        for id in cut_off.chain(answered.iter().take(5)) {
            let (body, _) = &load.answers[id];
            let answer = post_once(&client, &server.base, body)
                .await
                .expect("answer");
            assert_eq!(
                (answer.status, answer.body.as_str()),
                (202, r#"{"status":"pending_moderation"}"#),
                "{}: re-post of {id} after the restart; logs:\n{}",
                database.name,
                server.logs()
            );
        }
    }
}

/// `pg_ctl` for the test cluster (`KUDOS_TEST_PG_CTL`), with `args` appended.
fn pg_ctl(prefix: &str, args: &[&str]) -> Result<(), String> {
    let mut words = prefix.split_whitespace();
    let program = words.next().ok_or("KUDOS_TEST_PG_CTL is empty")?;
    let output = Command::new(program)
        .args(words)
        .args(args)
        // pg_ctl runs as the postgres user, who may not be allowed into the test's directory.
        .current_dir("/")
        .output()
        .map_err(|err| format!("{prefix}: {err}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`{prefix} {}` failed: {}{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Starts the cluster again when dropped, unless it was already started: however the test
/// ends, the other tests (and the next run) find PostgreSQL up.
struct Restart {
    prefix: String,
    armed: bool,
}

impl Restart {
    fn start_now(&mut self) {
        pg_ctl(&self.prefix, &["start", "-w", "-t", "60"]).expect("start PostgreSQL again");
        self.armed = false;
    }
}

impl Drop for Restart {
    fn drop(&mut self) {
        if self.armed {
            if let Err(err) = pg_ctl(&self.prefix, &["start", "-w", "-t", "60"]) {
                eprintln!("cannot start PostgreSQL again: {err}");
            }
        }
    }
}

fn assert_unavailable(answer: &Answer, what: &str) {
    assert_eq!(answer.status, 503, "{what}: {answer:?}");
    let retry: u64 = answer
        .retry_after
        .as_deref()
        .and_then(|value| value.parse().ok())
        .unwrap_or_else(|| panic!("{what}: 503 without a Retry-After in seconds: {answer:?}"));
    assert!(retry >= 1, "{what}: Retry-After {retry}");
    // The widget runs on another origin: without these it can't see the 503 or its wait.
    assert_eq!(
        answer.allow_origin.as_deref(),
        Some(ORIGIN),
        "{what}: {answer:?}"
    );
    assert!(
        answer
            .expose_headers
            .as_deref()
            .is_some_and(|value| value.to_ascii_lowercase().contains("retry-after")),
        "{what}: Retry-After not exposed to the page: {answer:?}"
    );
    let body: Value = serde_json::from_str(&answer.body).expect("JSON body");
    support::assert_schema("reply.v1.json", &body);
    assert_eq!(body["error"], "unavailable", "{what}");
}

async fn get_status(client: &reqwest::Client, url: String) -> u16 {
    client
        .get(url)
        .send()
        .await
        .expect("GET answered")
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn database_stopped_mid_load_answers_503_then_recovers() {
    // Alone on the cluster: no other test of this binary runs while it is stopped.
    let _cluster = CLUSTER.write().await;
    let Some(database) = support::postgres().await else {
        eprintln!("skipped: KUDOS_TEST_POSTGRES_URL is not set");
        return;
    };
    let prefix = match std::env::var("KUDOS_TEST_PG_CTL") {
        Ok(prefix) if !prefix.trim().is_empty() => prefix,
        _ => {
            assert!(
                std::env::var("KUDOS_TEST_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "KUDOS_TEST_REQUIRE_POSTGRES=1 but KUDOS_TEST_PG_CTL is not set"
            );
            eprintln!("skipped: KUDOS_TEST_PG_CTL is not set");
            return;
        }
    };
    let server = Server::start(&database.url, &[]);
    let client = client();
    let load = start_load(&server.base, 8, 100_000, false);
    assert!(
        Running::wait_for(&load.ok, 200, Duration::from_secs(120)).await,
        "the load never reached 200 answered posts; logs:\n{}",
        server.logs()
    );

    // Stop PostgreSQL under the load.
    let mut restart = Restart {
        prefix: prefix.clone(),
        armed: true,
    };
    pg_ctl(&prefix, &["stop", "-m", "fast", "-w", "-t", "60"]).expect("stop PostgreSQL");
    let seen = load.unavailable.load(Ordering::SeqCst);
    assert!(
        Running::wait_for(&load.unavailable, seen + 16, Duration::from_secs(120)).await,
        "posts did not get 503 after PostgreSQL stopped; logs:\n{}",
        server.logs()
    );
    // While it is down: the probes, and one post looked at closely.
    assert_eq!(get_status(&client, server.url("/healthz")).await, 200);
    assert_eq!(get_status(&client, server.url("/readyz")).await, 503);
    let (id, body) = praise_text();
    let answer = post_once(&client, &server.base, &body)
        .await
        .expect("answer");
    assert_unavailable(&answer, "a post while PostgreSQL is down");
    let mut load = load.finish().await;
    load.answers.insert(id, (body, vec![answer]));

    // Every answer under the load was a 202 or a proper 503: never a 500, never no answer.
    for (id, (_, answers)) in &load.answers {
        for answer in answers {
            if answer.status != 202 {
                assert_unavailable(answer, &format!("post of {id} under the load"));
            }
        }
    }
    assert!(
        load.no_answer.is_empty(),
        "{} posts got no HTTP answer while PostgreSQL was down",
        load.no_answer.len()
    );

    // PostgreSQL back: the server is ready again without a restart (bounded wait).
    restart.start_now();
    let mut ready = false;
    for _ in 0..300 {
        if get_status(&client, server.url("/readyz")).await == 200 {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        ready,
        "/readyz still not 200 30 s after PostgreSQL came back; logs:\n{}",
        server.logs()
    );

    // The widget's retry: every id posted again, as it was. Each gets 202 on the first try,
    // the ones stored before the stop with the same reply as then.
    let mut refused = 0;
    for (id, (body, answers)) in load.answers.iter_mut() {
        let answer = post_once(&client, &server.base, body)
            .await
            .expect("answer");
        assert_eq!(
            (answer.status, answer.body.as_str()),
            (202, r#"{"status":"pending_moderation"}"#),
            "re-post of {id} after PostgreSQL came back; logs:\n{}",
            server.logs()
        );
        if answers.iter().any(|a| a.status == 503) {
            refused += 1;
        }
        answers.push(answer);
    }
    assert!(refused >= 16, "only {refused} ids were refused while down");

    // Nothing lost: every id that got a 2xx (all of them, by now) is stored, once.
    let answered = load.answered();
    assert_eq!(answered.len(), load.answers.len());
    let store = support::store(&database.url).await;
    for id in &answered {
        assert!(
            store.has_submission(id).await.expect("look up"),
            "{id} was answered 2xx but is not stored"
        );
    }
    assert_eq!(
        store.count_submissions().await.expect("count") as usize,
        answered.len()
    );
    store.close().await;
    eprintln!(
        "postgres: {} ids posted, {refused} refused with 503 while down, all stored after the retry",
        answered.len()
    );
}
