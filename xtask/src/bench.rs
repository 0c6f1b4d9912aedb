//! `cargo xtask bench`: the load benchmark against a plain HTML form (issue #8).
//!
//! Builds the release artefact exactly as the release test layer does, then runs
//! tests/e2e/bench/bench.mjs (Playwright + Debian Chromium, tests/e2e's node_modules, static
//! server and owner's endpoint, the last serving the held, generated wall feeds), which prints a
//! table of medians and writes BENCHMARKS.md at the repository root.
//!
//! Not a test layer on purpose: timings vary with the machine and its load, so they are measured
//! and reported, never asserted (how long a 30,000-item wall feed holds the page, for one, is a
//! figure here, while tests/e2e/specs/wall-feed.spec.ts checks what the wall shows). The
//! deterministic part (bytes) is checked by the release layer.
//!
//! `cargo xtask bench server` ([`server`]): kudos-server's ingestion rate and latency against
//! the raw database, the wall feed, and memory, on SQLite and PostgreSQL; it writes its own
//! section at the end of BENCHMARKS.md and leaves the widget's alone (and the widget bench keeps
//! it).

use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use crate::install::{self, Need};
use crate::{proc, Ctx, Result};

/// The benchmark script, run with the current directory at tests/e2e so Node finds Playwright.
const SCRIPT: &str = "bench/bench.mjs";

pub fn run(ctx: &Ctx) -> Result<()> {
    install::ensure(ctx, Need::Test)?;
    crate::dist::build_release(ctx)?;
    let mut cmd = proc::command(ctx, "node", &[SCRIPT]);
    cmd.current_dir(ctx.at(install::E2E_DIR));
    proc::run(&mut cmd)
}

// ---------------------------------------------------------------------------------------------
// `cargo xtask bench server`: kudos-server's throughput, latency and memory.

/// Where the server section of BENCHMARKS.md starts; everything from here on is rewritten by
/// `bench server` and kept by the widget bench (tests/e2e/bench/bench.mjs).
pub const SERVER_MARKER: &str = "<!-- cargo xtask bench server -->";

/// How long each ingestion and raw phase runs (or until [`POSTS`], a bound that a machine
/// storing 10,000 a second would reach), and the clients posting.
const POSTS: usize = 200_000;
const SECONDS: u64 = 20;
const CLIENTS: usize = 32;
/// How long each wall phase (plain, then If-None-Match) runs.
const FEED_SECONDS: u64 = 10;
/// The origin the load generator posts from (allowed on the server's command line).
const ORIGIN: &str = "http://bench.invalid";
/// The goals stated next to the figures.
const GOAL_RATIO: f64 = 0.5;
const GOAL_P99_MS: f64 = 50.0;

/// Builds `kudos-server` (the `server` profile) and the load generator (server/examples/bench.rs), runs it
/// against SQLite and then a throwaway PostgreSQL cluster (postgres.rs) with durable commits, and
/// writes the "kudos-server" section of BENCHMARKS.md.
pub fn server(ctx: &Ctx) -> Result<()> {
    refuse_when_test_cluster_runs(ctx)?;
    proc::run(&mut proc::cargo(
        ctx,
        &[
            "build",
            // The operators' build (README): optimised for speed, unwinding.
            "--profile",
            "server",
            "-p",
            "kudos-server",
            "--bin",
            "kudos-server",
            "--example",
            "bench",
        ],
    ))?;
    let out = ctx.at("target/bench-server");
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    std::fs::create_dir_all(&out)?;
    let sqlite = |name: &str| format!("sqlite://{}/{name}/kudos.db", out.display());
    let sqlite_result = run_backend(ctx, "sqlite", &sqlite("http"), &sqlite("raw"), "1")?;

    let pg = crate::postgres::Postgres::start(ctx)?;
    // postgres.rs runs the test cluster without fsync; a benchmark of durable commits needs the
    // server defaults back (postgresql.auto.conf wins over postgresql.conf).
    let admin = pg.url();
    psql(
        ctx,
        &admin,
        &[
            "ALTER SYSTEM SET fsync = on",
            "ALTER SYSTEM SET synchronous_commit = on",
            "ALTER SYSTEM SET full_page_writes = on",
            "SELECT pg_reload_conf()",
            "CREATE DATABASE kudos_bench_http",
            "CREATE DATABASE kudos_bench_raw",
        ],
    )?;
    let mut durability = String::new();
    for _ in 0..50 {
        durability = proc::probe(&mut proc::command(
            ctx,
            &format!("{}/psql", crate::postgres::BIN),
            &[
                &admin,
                "-XAtc",
                "SELECT current_setting('fsync') || ' ' || current_setting('synchronous_commit')",
            ],
        ))
        .unwrap_or_default();
        if durability == "on on" {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    if durability != "on on" {
        return Err(format!("PostgreSQL: fsync/synchronous_commit still {durability:?}").into());
    }
    let base = admin
        .rsplit_once('/')
        .map(|(base, _)| base)
        .unwrap_or(&admin);
    let pg_result = run_backend(
        ctx,
        "postgres",
        &format!("{base}/kudos_bench_http"),
        &format!("{base}/kudos_bench_raw"),
        "1,8",
    )?;
    drop(pg);

    let section = render_server(ctx, &sqlite_result, &pg_result);
    println!("\n{section}");
    let path = ctx.at("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let kept = match old.find(SERVER_MARKER) {
        Some(at) => old[..at].trim_end().to_owned(),
        None => old.trim_end().to_owned(),
    };
    std::fs::write(&path, format!("{kept}\n\n{section}"))?;
    println!("written to BENCHMARKS.md");
    Ok(())
}

/// postgres.rs removes and restarts `target/pg`: with a test run using it now, that would pull
/// the cluster from under its tests.
fn refuse_when_test_cluster_runs(ctx: &Ctx) -> Result<()> {
    let Ok(pid_file) = std::fs::read_to_string(ctx.at("target/pg/data/postmaster.pid")) else {
        return Ok(());
    };
    let pid = pid_file.lines().next().unwrap_or_default().trim();
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    if String::from_utf8_lossy(&cmdline).contains("postgres") {
        return Err(format!(
            "a PostgreSQL cluster runs in target/pg (pid {pid}), probably for `cargo xtask test \
             server`; run the benchmark when it has finished"
        )
        .into());
    }
    Ok(())
}

fn psql(ctx: &Ctx, url: &str, statements: &[&str]) -> Result<()> {
    let mut args = vec![url, "-X", "-q", "-v", "ON_ERROR_STOP=1"];
    for statement in statements {
        args.extend(["-c", statement]);
    }
    proc::run_quiet(&mut proc::command(
        ctx,
        &format!("{}/psql", crate::postgres::BIN),
        &args,
    ))
}

/// The release server, killed when dropped (the benchmark is done with it, or failed).
struct Served(std::process::Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One backend: the release server on `http_url`, the load generator against it, and the raw
/// inserts into `raw_url`. Returns the generator's JSON result.
fn run_backend(
    ctx: &Ctx,
    backend: &str,
    http_url: &str,
    raw_url: &str,
    raw_clients: &str,
) -> Result<Value> {
    use std::io::BufRead;
    let log = std::fs::File::create(ctx.at(&format!("target/bench-server/server-{backend}.log")))?;
    let mut cmd = proc::command(
        ctx,
        &ctx.at("target/server/kudos-server").to_string_lossy(),
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            http_url,
            "--allowed-origin",
            ORIGIN,
            // Published at once, so the wall phase reads a wall of what was just posted.
            "--auto-publish",
            "true",
            // Rate limits far above what the load can reach: the benchmark measures the path.
            "--ip-rate-per-minute",
            "1000000000",
            "--site-rate-per-minute",
            "1000000000",
        ],
    );
    cmd.env_remove("KUDOS_DATABASE_URL")
        .env_remove("KUDOS_LOG")
        .stdout(Stdio::piped())
        .stderr(log);
    println!("{}", proc::describe(&cmd));
    let mut served = Served(cmd.spawn()?);
    let stdout = served.0.stdout.take().ok_or("no stdout")?;
    let mut lines = std::io::BufReader::new(stdout).lines();
    let first = lines.next().transpose()?.unwrap_or_default();
    let url = first
        .strip_prefix("kudos-server listening on ")
        .ok_or_else(|| format!("kudos-server did not start ({first:?}); see target/bench-server/server-{backend}.log"))?
        .to_owned();
    std::thread::spawn(move || for _ in lines {});
    let pid = served.0.id().to_string();
    let (posts, seconds, feed, clients) = (
        POSTS.to_string(),
        SECONDS.to_string(),
        FEED_SECONDS.to_string(),
        CLIENTS.to_string(),
    );
    let mut bench = proc::command(
        ctx,
        &ctx.at("target/server/examples/bench").to_string_lossy(),
        &[
            "--backend",
            backend,
            "--url",
            &url,
            "--pid",
            &pid,
            "--origin",
            ORIGIN,
            "--database-url",
            http_url,
            "--raw-database-url",
            raw_url,
            "--posts",
            &posts,
            "--seconds",
            &seconds,
            "--feed-seconds",
            &feed,
            "--concurrency",
            &clients,
            "--raw-concurrency",
            raw_clients,
        ],
    );
    println!("{}", proc::describe(&bench));
    let output = bench.stderr(Stdio::inherit()).output()?;
    drop(served);
    if !output.status.success() {
        return Err(format!("the load generator failed ({})", output.status).into());
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find_map(|line| line.strip_prefix("bench-result "))
        .ok_or("the load generator printed no result")?;
    Ok(serde_json::from_str(line)?)
}

fn number(value: &Value, path: &[&str]) -> f64 {
    let mut at = value;
    for key in path {
        at = &at[*key];
    }
    at.as_f64().unwrap_or(f64::NAN)
}

fn raw(value: &Value, clients: u64) -> Option<&Value> {
    value["raw"]
        .as_array()?
        .iter()
        .find(|r| r["clients"].as_u64() == Some(clients))
        .map(|r| &r["result"])
}

fn per_s(n: f64) -> String {
    if n.is_nan() {
        return "—".into();
    }
    format!("{}/s", thousands(n))
}

/// A count rounded and grouped by thousands: `260,510`.
fn thousands(n: f64) -> String {
    if n.is_nan() {
        return "—".into();
    }
    let digits = (n.round().max(0.0) as u64).to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "**missed**"
    }
}

fn render_server(ctx: &Ctx, sqlite: &Value, pg: &Value) -> String {
    let both = [sqlite, pg];
    let cell = |f: &dyn Fn(&Value) -> String| both.map(f).join(" | ");
    let mut rows: Vec<String> = Vec::new();
    let mut row = |measure: &str, values: String, goal: &str| {
        rows.push(format!("| {measure} | {values} | {goal} |"));
    };
    row(
        &format!("ingestion: accepted submissions/s, {CLIENTS} clients over HTTP"),
        cell(&|v| per_s(number(v, &["ingestion", "per_second"]))),
        "—",
    );
    row(
        "ingestion latency p50 / p99 (max)",
        cell(&|v| {
            let p99 = number(v, &["ingestion", "p99_ms"]);
            format!(
                "{:.1} / {:.1} ms ({:.0} ms) {}",
                number(v, &["ingestion", "p50_ms"]),
                p99,
                number(v, &["ingestion", "max_ms"]),
                verdict(p99 <= GOAL_P99_MS)
            )
        }),
        &format!("p99 ≤ {GOAL_P99_MS:.0} ms"),
    );
    row(
        "server CPU per accepted submission (share of one core)",
        cell(&|v| {
            let cpu = number(v, &["server_cpu_ms"]);
            format!(
                "{:.0} µs ({:.0} %)",
                cpu * 1000.0 / number(v, &["ingestion", "ok"]),
                cpu / 10.0 / number(v, &["ingestion", "seconds"])
            )
        }),
        "—",
    );
    row(
        "accepted posts (incl. 500 warm-up) / rows stored; other answers",
        cell(&|v| {
            format!(
                "{} / {}; {}",
                v["posted_ok"], v["stored"], v["ingestion"]["other"]
            )
        }),
        "equal; {}",
    );
    for clients in [1, 8] {
        row(
            &format!("raw database: `Store::insert_batch(&[one])`, {clients} client(s), one transaction each, no HTTP"),
            cell(&|v| match raw(v, clients) {
                Some(r) => format!(
                    "{} (p50 {:.2} ms, p99 {:.2} ms)",
                    per_s(number(r, &["per_second"])),
                    number(r, &["p50_ms"]),
                    number(r, &["p99_ms"])
                ),
                None => "—".into(),
            }),
            "—",
        );
    }
    for clients in [1, 8] {
        row(
            &format!("ratio ingestion / raw ({clients} client(s))"),
            cell(&|v| match raw(v, clients) {
                Some(r) => {
                    let ratio =
                        number(v, &["ingestion", "per_second"]) / number(r, &["per_second"]);
                    format!("{:.0} % {}", ratio * 100.0, verdict(ratio >= GOAL_RATIO))
                }
                None => "—".into(),
            }),
            &format!("≥ {:.0} %", GOAL_RATIO * 100.0),
        );
    }
    row(
        "after ingestion: the notification and webhook jobs queued (5 per auto-published praise), \
         the rate one instance ran them at, and how long they took (the wait is bounded: 300 s)",
        cell(&|v| {
            let backlog = number(v, &["jobs", "backlog"]);
            let left = number(v, &["jobs", "left"]);
            let seconds = number(v, &["jobs", "drain_ms"]) / 1000.0;
            let rate = (backlog - left) / seconds.max(0.001);
            let ended = if left > 0.0 {
                format!("{} left after {seconds:.0} s", thousands(left))
            } else {
                format!("all done in {seconds:.1} s")
            };
            format!("{}; {}; {ended}", thousands(backlog), per_s(rate))
        }),
        "—",
    );
    for (key, what) in [
        (
            "wall",
            "wall (after the drain): `GET /v1/wall` (first page, 20 items), requests/s; p50 / p99",
        ),
        (
            "wall_304",
            "wall with `If-None-Match` (304), requests/s; p50 / p99",
        ),
    ] {
        row(
            what,
            cell(&|v| {
                format!(
                    "{}; {:.1} / {:.1} ms",
                    per_s(number(v, &[key, "per_second"])),
                    number(v, &[key, "p50_ms"]),
                    number(v, &[key, "p99_ms"])
                )
            }),
            "—",
        );
    }
    row(
        "server RSS: at rest / peak under ingestion / peak under wall load",
        cell(&|v| {
            let mib = |key: &str| number(v, &["rss_kib", key]) / 1024.0;
            format!(
                "{:.1} / {:.1} / {:.1} MiB",
                mib("rest"),
                mib("ingestion_peak"),
                mib("wall_peak")
            )
        }),
        "—",
    );
    let probe = |program: &str, args: &[&str]| {
        proc::probe(&mut proc::command(ctx, program, args)).unwrap_or_default()
    };
    let date = probe("date", &["-u", "+%Y-%m-%dT%H:%M:%SZ"]);
    let commit = probe("git", &["rev-parse", "--short", "HEAD"]);
    let dirty = if probe(
        "git",
        &["status", "--porcelain", "--", ".", ":!BENCHMARKS.md"],
    )
    .is_empty()
    {
        ""
    } else {
        " (with uncommitted changes)"
    };
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let kernel = kernel.trim();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load = load.split_whitespace().next().unwrap_or("?");
    format!(
        "{SERVER_MARKER}\n## kudos-server\n\n\
         Written by `cargo xtask bench server` (xtask/src/bench.rs, server/examples/bench.rs); do not\n\
         edit by hand, re-run it.\n\n\
         - date: {date}\n\
         - commit: {commit}{dirty}\n\
         - machine: {cores} × {model}, linux {kernel}, load average {load} at the end; the load\n  \
           generator shares the cores with the server and the database\n\
         - server: `kudos-server serve` (`--profile server`), default settings but rate limits lifted and\n  \
           `--auto-publish true` (the wall phase reads what was posted); loopback HTTP/1.1, keep-alive\n\
         - SQLite: the store's own settings (WAL, `synchronous = NORMAL`: a commit survives the process\n  \
           being killed, not a power cut). PostgreSQL 15: a throwaway cluster (xtask/src/postgres.rs)\n  \
           with `fsync = on`, `synchronous_commit = on` (durable commits, as a default install)\n\
         - ingestion: {CLIENTS} clients post new praise envelopes back to back for {SECONDS} s, after\n  \
           500 warm-up posts; latency of accepted posts; server CPU from /proc/PID/stat\n\
         - raw: the same rows through `kudos_server::store::Store::insert_batch(&[one])` from a Rust\n  \
           loop on a second empty database, {SECONDS} s; wall: {FEED_SECONDS} s each, 32 clients\n\n\
         | measure | SQLite | PostgreSQL | goal |\n|---|---|---|---|\n{}\n",
        rows.join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::{per_s, thousands};

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(999.4), "999");
        assert_eq!(thousands(1_000.0), "1,000");
        assert_eq!(thousands(260_510.0), "260,510");
        assert_eq!(thousands(1_234_567.0), "1,234,567");
        assert_eq!(per_s(7_120.0), "7,120/s");
        assert_eq!(per_s(f64::NAN), "—");
    }
}
