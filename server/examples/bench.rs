//! The server benchmark's load generator, run by `cargo xtask bench server` (xtask/src/bench.rs),
//! which builds it with `--release`, starts the database and a release `kudos-server`, and
//! writes the figures this prints into BENCHMARKS.md.
//!
//! For one backend, in order:
//! 1. *ingestion*: `--concurrency` clients POST new praise envelopes back to back over loopback
//!    (keep-alive connections, one per client) until `--posts` are answered or `--seconds` pass;
//!    accepted submissions per second, and p50/p99 of the accepted posts' latency. The rows are
//!    counted in the database afterwards, so a 202 that stored nothing would show.
//! 2. *wall*: the same clients GET `/v1/wall` (first page) for `--feed-seconds`, without and then
//!    with `If-None-Match` (304).
//! 3. *raw database*: the same rows through `Store::insert_batch(&[one])` from a Rust loop, one
//!    transaction each, no HTTP, on a second empty database at the store's own settings; once
//!    per `--raw-concurrency` value (concurrent loops sharing one store).
//! 4. the server's resident memory (VmRSS of `--pid`) before the load and its peak during it.
//!
//! It prints one line `bench-result {json}` on standard output; progress goes to standard error.
//! Loopback only, bounded loops: every phase stops at its count or its time, whichever is first.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kudos_server::store::{NewContent, NewPraise, NewSubmission, PraiseStatus, Reply, Store};
use serde_json::{json, Value};

/// The longest the wall phase waits for the job backlog; what is left then is reported.
const DRAIN_BOUND: Duration = Duration::from_secs(300);

struct Args {
    backend: String,
    url: String,
    pid: u32,
    origin: String,
    database_url: String,
    raw_database_url: String,
    posts: usize,
    seconds: u64,
    feed_seconds: u64,
    concurrency: usize,
    raw_concurrency: Vec<usize>,
}

fn parse_args() -> Args {
    let mut args = std::env::args().skip(1);
    let mut get = std::collections::HashMap::new();
    while let Some(key) = args.next() {
        let value = args.next().unwrap_or_else(|| panic!("{key} needs a value"));
        get.insert(key.trim_start_matches("--").to_owned(), value);
    }
    let text = |key: &str| {
        get.get(key)
            .cloned()
            .unwrap_or_else(|| panic!("--{key} is required"))
    };
    let number = |key: &str, default: u64| {
        get.get(key)
            .map(|v| {
                v.parse()
                    .unwrap_or_else(|_| panic!("--{key}: not a number"))
            })
            .unwrap_or(default)
    };
    Args {
        backend: text("backend"),
        url: text("url"),
        pid: number("pid", 0) as u32,
        origin: text("origin"),
        database_url: text("database-url"),
        raw_database_url: text("raw-database-url"),
        posts: number("posts", 20_000) as usize,
        seconds: number("seconds", 20),
        feed_seconds: number("feed-seconds", 10),
        concurrency: number("concurrency", 32) as usize,
        raw_concurrency: get
            .get("raw-concurrency")
            .map(String::as_str)
            .unwrap_or("1")
            .split(',')
            .map(|n| n.trim().parse().expect("--raw-concurrency: numbers"))
            .collect(),
    }
}

/// A UUID v4-shaped id, unique in this run and across runs on the same database.
fn new_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let seed = *SEED.get_or_init(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0)
            ^ u64::from(std::process::id())
    });
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        (seed >> 32) as u32,
        (seed >> 16) as u16,
        (seed & 0xfff) as u16,
        (n >> 48) as u16 & 0xfff,
        n & 0xffff_ffff_ffff
    )
}

/// What the widget posts for a praise (the same envelope the integration tests use).
fn envelope(id: &str) -> String {
    json!({
        "type": "staff_recognition.submitted",
        "schema_version": 1,
        "id": id,
        "created_at": "2026-11-24T09:30:00.000Z",
        "site": { "url": "https://shop.example/thanks", "title": "Thank our team", "language": "en" },
        "data": {
            "staff_name": "Dana",
            "location": "Larch Street",
            "occurred_on": "2026-11-24",
            "story": "Found my lost keys, then walked me to the bus stop in the rain. Thank you!",
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
    .to_string()
}

/// The row the server stores for [`envelope`] (what `judge` makes of it).
fn submission(id: String) -> NewSubmission {
    NewSubmission {
        id,
        site_id: "default".into(),
        received_at: kudos_server::now_ms(),
        reply: Reply::Accepted,
        content: NewContent::Praise(Box::new(NewPraise {
            status: PraiseStatus::Approved,
            created_at: "2026-11-24T09:30:00.000Z".into(),
            language: "en".into(),
            page_url: "https://shop.example/thanks".into(),
            staff_name: Some("Dana".into()),
            staff_id: None,
            staff_role: None,
            staff_description: None,
            location: Some("Larch Street".into()),
            occurred_on: Some("2026-11-24".into()),
            part_of_day: None,
            story: "Found my lost keys, then walked me to the bus stop in the rain. Thank you!"
                .into(),
            tags: vec!["genuine_warmth".into()],
            visitor_name: Some("Visitor Q. Private".into()),
            visitor_email: Some("visitor.private@example.net".into()),
            publish: Some((true, "praise-publish-2026-11".into())),
            contact: Some((false, "praise-contact-2026-11".into())),
            honeypot_filled: false,
            fill_time_ms: 48210,
            attempt: 1,
            widget_version: "0.1.0".into(),
        })),
    }
}

/// CPU time `pid` has used so far (user + system), in milliseconds, from /proc.
fn cpu_ms(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) start at the state, field 3.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on every Linux architecture Rust supports.
    Some(ticks * 10)
}

/// VmRSS of `pid` in KiB, from /proc.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Rate, count and latency percentiles of one phase.
#[derive(Default)]
struct Phase {
    ok: usize,
    other: std::collections::BTreeMap<String, usize>,
    elapsed: Duration,
    latencies_us: Vec<u32>,
}

impl Phase {
    fn merge(&mut self, other: Phase) {
        self.ok += other.ok;
        for (key, n) in other.other {
            *self.other.entry(key).or_default() += n;
        }
        self.latencies_us.extend(other.latencies_us);
    }

    fn percentile_ms(&self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return f64::NAN;
        }
        let mut sorted = self.latencies_us.clone();
        sorted.sort_unstable();
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        f64::from(sorted[rank.clamp(1, sorted.len()) - 1]) / 1000.0
    }

    fn json(&self) -> Value {
        let secs = self.elapsed.as_secs_f64();
        json!({
            "ok": self.ok,
            "other": self.other,
            "seconds": secs,
            "per_second": self.ok as f64 / secs,
            "p50_ms": self.percentile_ms(50.0),
            "p99_ms": self.percentile_ms(99.0),
            "max_ms": self.percentile_ms(100.0),
        })
    }
}

/// Runs `clients` loops of `one` until `limit` calls were made or `seconds` passed.
async fn drive<F, Fut>(clients: usize, limit: usize, seconds: u64, one: F) -> Phase
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<(), String>> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (next, one) = (Arc::clone(&next), one.clone());
        tasks.push(tokio::spawn(async move {
            let mut phase = Phase::default();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= limit || Instant::now() >= deadline {
                    break;
                }
                let began = Instant::now();
                match one(n).await {
                    Ok(()) => {
                        phase.ok += 1;
                        phase
                            .latencies_us
                            .push(began.elapsed().as_micros().min(u32::MAX as u128) as u32);
                    }
                    Err(what) => *phase.other.entry(what).or_default() += 1,
                }
            }
            phase
        }));
    }
    let mut all = Phase::default();
    for task in tasks {
        all.merge(task.await.expect("load task"));
    }
    all.elapsed = start.elapsed();
    all
}

async fn post(client: &reqwest::Client, args: &Arc<Args>) -> Result<(), String> {
    let response = client
        .post(format!("{}/v1/submissions", args.url))
        .header("origin", &args.origin)
        .header("content-type", "application/json")
        .body(envelope(&new_id()))
        .send()
        .await
        .map_err(|_| "no answer".to_owned())?;
    let status = response.status().as_u16();
    let _ = response.bytes().await;
    if status == 202 {
        Ok(())
    } else {
        Err(format!("HTTP {status}"))
    }
}

async fn wall(
    client: &reqwest::Client,
    args: &Arc<Args>,
    etag: Option<&str>,
) -> Result<(u16, Option<String>, usize), String> {
    let mut request = client
        .get(format!("{}/v1/wall", args.url))
        .header("origin", &args.origin);
    if let Some(etag) = etag {
        request = request.header("if-none-match", etag);
    }
    let response = request.send().await.map_err(|_| "no answer".to_owned())?;
    let status = response.status().as_u16();
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes = response.bytes().await.map_err(|_| "no body".to_owned())?;
    Ok((status, etag, bytes.len()))
}

#[tokio::main]
async fn main() {
    let args = Arc::new(parse_args());
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("HTTP client");
    let rss_rest = rss_kib(args.pid);

    // Warm-up: connections open, caches and the database's first pages warm. Not counted.
    let warm = drive(args.concurrency, 500, 30, {
        let (client, args) = (client.clone(), Arc::clone(&args));
        move |_| {
            let (client, args) = (client.clone(), Arc::clone(&args));
            async move { post(&client, &args).await }
        }
    })
    .await;
    assert!(warm.other.is_empty(), "warm-up failed: {:?}", warm.other);

    // The peak resident memory while the load runs, sampled every 50 ms.
    let sampling = Arc::new(AtomicBool::new(true));
    let peak = Arc::new(AtomicU64::new(0));
    let sampler = {
        let (sampling, peak, pid) = (Arc::clone(&sampling), Arc::clone(&peak), args.pid);
        tokio::spawn(async move {
            while sampling.load(Ordering::Relaxed) {
                if let Some(kib) = rss_kib(pid) {
                    peak.fetch_max(kib, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };

    eprintln!(
        "{}: ingestion, {} clients, {} posts or {} s",
        args.backend, args.concurrency, args.posts, args.seconds
    );
    let cpu_before = cpu_ms(args.pid);
    let ingestion = drive(args.concurrency, args.posts, args.seconds, {
        let (client, args) = (client.clone(), Arc::clone(&args));
        move |_| {
            let (client, args) = (client.clone(), Arc::clone(&args));
            async move { post(&client, &args).await }
        }
    })
    .await;
    let rss_ingestion = peak.swap(0, Ordering::Relaxed);
    let server_cpu_ms = cpu_ms(args.pid)
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    // Every stored praise also queued its notification and webhook jobs (five with auto-publish).
    // The wall is measured once the runner has worked through that backlog (bounded: [`DRAIN_BOUND`]), so
    // the feed's figure is the feed's, not the backlog's; the drain time is reported beside it.
    let (stored, backlog, left, drain_ms) = {
        let store = Store::connect(&args.database_url)
            .await
            .expect("HTTP database");
        let n = store.count_submissions().await.expect("count");
        let outstanding = || async {
            store
                .jobs_outstanding(kudos_server::now_ms())
                .await
                .expect("count jobs")
        };
        let backlog = outstanding().await;
        let started = Instant::now();
        let mut left = backlog;
        while left > 0 && started.elapsed() < DRAIN_BOUND {
            tokio::time::sleep(Duration::from_millis(200)).await;
            left = outstanding().await;
        }
        let drain_ms = started.elapsed().as_millis() as u64;
        store.close().await;
        (n, backlog, left, drain_ms)
    };
    eprintln!(
        "{}: ingestion {}; job backlog {backlog}, {left} left after {drain_ms} ms",
        args.backend,
        ingestion.json()
    );

    // Wall: the first page, 20 items of what was just stored (auto-published).
    let (status, etag, bytes) = wall(&client, &args, None).await.expect("wall");
    assert_eq!(status, 200, "GET /v1/wall");
    let etag = etag.expect("the wall sends an ETag");
    let mut feeds = Vec::new();
    for conditional in [false, true] {
        let expect = if conditional { 304 } else { 200 };
        let phase = drive(args.concurrency, usize::MAX, args.feed_seconds, {
            let (client, args, etag) = (client.clone(), Arc::clone(&args), etag.clone());
            move |_| {
                let (client, args, etag) = (client.clone(), Arc::clone(&args), etag.clone());
                async move {
                    let (status, _, _) =
                        wall(&client, &args, conditional.then_some(etag.as_str())).await?;
                    if status == expect {
                        Ok(())
                    } else {
                        Err(format!("HTTP {status}"))
                    }
                }
            }
        })
        .await;
        eprintln!(
            "{}: wall (If-None-Match: {conditional}) {}",
            args.backend,
            phase.json()
        );
        feeds.push(phase);
    }
    let rss_feed = peak.load(Ordering::Relaxed);
    sampling.store(false, Ordering::Relaxed);
    let _ = sampler.await;
    let rss_after = rss_kib(args.pid);

    // Raw: the same rows straight into the store, one transaction each, no HTTP.
    let store = Store::connect(&args.raw_database_url)
        .await
        .expect("raw database");
    let mut raw = Vec::new();
    for &clients in &args.raw_concurrency {
        let phase = drive(clients, args.posts, args.seconds, {
            let store = store.clone();
            move |_| {
                let store = store.clone();
                async move {
                    store
                        .insert_batch(&[submission(new_id())])
                        .await
                        .map(|_| ())
                        .map_err(|err| err.to_string())
                }
            }
        })
        .await;
        eprintln!(
            "{}: raw, {clients} client(s) {}",
            args.backend,
            phase.json()
        );
        raw.push(json!({ "clients": clients, "result": phase.json() }));
    }
    store.close().await;

    let result = json!({
        "backend": args.backend,
        "concurrency": args.concurrency,
        "ingestion": ingestion.json(),
        "stored": stored,
        "server_cpu_ms": server_cpu_ms,
        "posted_ok": ingestion.ok + warm.ok,
        "wall_bytes": bytes,
        "jobs": { "backlog": backlog, "left": left, "drain_ms": drain_ms },
        "wall": feeds[0].json(),
        "wall_304": feeds[1].json(),
        "raw": raw,
        "rss_kib": {
            "rest": rss_rest,
            "ingestion_peak": rss_ingestion,
            "wall_peak": rss_feed,
            "after": rss_after,
        },
    });
    println!("bench-result {result}");
}
