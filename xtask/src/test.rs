//! `cargo xtask test`: every test layer, cheapest first, stopping at the first that fails.
//!
//! 1. format      `cargo fmt --check`
//! 2. lint        clippy for the host (whole workspace) and for wasm32 (the widget)
//! 3. unit        `cargo test --workspace` natively (the pure core; browser tests compile away),
//!    except kudos-server, whose tests run once, in the next layer
//! 4. server      `cargo test -p kudos-server` against a throwaway PostgreSQL cluster (postgres.rs
//!    starts it and says which variables the tests get)
//! 5. browser     `cargo test` on wasm32 through wasm-bindgen-test-runner in headless Chromium
//! 6. release     `trunk build --release` into dist/, the size table, the budget check
//!    (over `sizes::BUDGET` fails the layer)
//! 7. end-to-end  Playwright against dist/ served by tests/e2e/server.mjs
//!
//! Cheap layers go first so a formatting slip fails in seconds, not after a release build.
//! Passed and failed tests are counted across layers (cargo's `test result:` lines, Playwright's
//! JSON report); a failing layer that ran no countable test (format, lint, build, a compile
//! error) counts as one failure. The last line printed is always `N passed, N failed`, which CI
//! reads, and the exit code is non-zero on any failure.

use std::fs;
use std::process::ExitCode;
use std::time::Instant;

use crate::install::{self, Need};
use crate::postgres::Postgres;
use crate::{csp, dist, interrupt, proc, sizes, Ctx, Result};

/// Running totals over all layers.
#[derive(Default, Debug, PartialEq, Eq)]
struct Tally {
    passed: u64,
    failed: u64,
}

/// One layer: the short name to select it by, a title for its header, and the function.
type Layer = (
    &'static str,
    &'static str,
    fn(&Ctx, &mut Tally) -> Result<()>,
);

const LAYERS: [Layer; 7] = [
    ("fmt", "format (cargo fmt --check)", format),
    ("lint", "lint (clippy, host and wasm32)", lint),
    ("unit", "unit tests (native)", unit),
    (
        "server",
        "server tests (kudos-server on PostgreSQL)",
        server,
    ),
    (
        "browser",
        "browser tests (wasm32 in headless Chromium)",
        browser,
    ),
    (
        "release",
        "release build (trunk), sizes and budget",
        release,
    ),
    ("e2e", "end-to-end (Playwright)", end_to_end),
];

/// The short layer names, for the usage text.
pub fn layer_names() -> Vec<&'static str> {
    LAYERS.iter().map(|(name, _, _)| *name).collect()
}

/// Checks a selection of layer names from the command line; empty means all.
pub fn check_selection(selected: &[String]) -> Result<()> {
    for name in selected {
        if !LAYERS.iter().any(|(layer, _, _)| layer == name) {
            return Err(format!(
                "unknown test layer `{name}` (layers: {})",
                layer_names().join(", ")
            )
            .into());
        }
    }
    Ok(())
}

/// Playwright's JSON report, as configured in tests/e2e/playwright.config.ts.
const E2E_REPORT: &str = "tests/e2e/test-results/results.json";

/// Runs the `selected` layers (all when empty; `e2e` alone needs a dist/ from an earlier
/// `release`) and prints the closing count line; the exit code says whether all passed.
pub fn run(ctx: &Ctx, selected: &[String]) -> ExitCode {
    let mut tally = Tally::default();
    let all_ran = run_layers(ctx, selected, &mut tally);
    println!();
    println!("{} passed, {} failed", tally.passed, tally.failed);
    if all_ran && tally.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Returns false when a layer failed (the rest are skipped).
fn run_layers(ctx: &Ctx, selected: &[String], tally: &mut Tally) -> bool {
    println!("==> tools");
    if let Err(err) = install::ensure(ctx, Need::Test) {
        eprintln!("xtask: cannot set up the tools: {err}");
        tally.failed += 1;
        return false;
    }
    for (index, (name, title, layer)) in LAYERS.iter().enumerate() {
        if !selected.is_empty() && !selected.iter().any(|chosen| chosen == name) {
            continue;
        }
        println!();
        println!("==> [{}/{}] {title}", index + 1, LAYERS.len());
        let started = Instant::now();
        let failed_before = tally.failed;
        let result = layer(ctx, tally);
        let seconds = started.elapsed().as_secs_f32();
        // A Ctrl-C caught while a guard lived (interrupt.rs) ends the run once the layer has
        // cleaned up, even if the layer itself happened to pass.
        let result = result.and_then(|()| {
            if interrupt::received() {
                Err("interrupted".into())
            } else {
                Ok(())
            }
        });
        match result {
            Ok(()) => println!("<== {title}: ok ({seconds:.1} s)"),
            Err(err) => {
                // A failure with no failed test behind it (compile error, lint, a crash of
                // the runner) must still show in the count.
                if tally.failed == failed_before {
                    tally.failed += 1;
                }
                eprintln!("xtask: {err}");
                println!("<== {title}: FAILED ({seconds:.1} s)");
                if index + 1 < LAYERS.len() {
                    println!("later layers skipped");
                }
                return false;
            }
        }
    }
    true
}

fn format(ctx: &Ctx, _: &mut Tally) -> Result<()> {
    proc::run(&mut proc::cargo(ctx, &["fmt", "--all", "--", "--check"]))
}

/// Clippy twice: the wasm-only shell (`cfg(target_arch = "wasm32")`) is invisible to a host
/// build, and the host build covers xtask and the native tests.
fn lint(ctx: &Ctx, _: &mut Tally) -> Result<()> {
    proc::run(&mut proc::cargo(
        ctx,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    proc::run(&mut proc::cargo(
        ctx,
        &[
            "clippy",
            "--package",
            "kudos-widget",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))
}

fn unit(ctx: &Ctx, tally: &mut Tally) -> Result<()> {
    cargo_test(
        tally,
        proc::cargo(ctx, &["test", "--workspace", "--exclude", SERVER_PACKAGE]),
    )
}

/// The server's package: its tests need PostgreSQL, so they run in their own layer, not `unit`.
const SERVER_PACKAGE: &str = "kudos-server";

/// The server's tests against a fresh PostgreSQL cluster (postgres.rs lists the variables they
/// get). They are compiled first, so a compile error never waits on a database, and the cluster is
/// up only while they run; the guard stops it when this function returns, however it returns.
fn server(ctx: &Ctx, tally: &mut Tally) -> Result<()> {
    cargo_test(
        tally,
        proc::cargo(ctx, &["test", "--package", SERVER_PACKAGE, "--no-run"]),
    )?;
    let pg = Postgres::start(ctx)?;
    let mut cmd = proc::cargo(ctx, &["test", "--package", SERVER_PACKAGE]);
    cmd.env("KUDOS_TEST_POSTGRES_URL", pg.url())
        .env("KUDOS_TEST_REQUIRE_POSTGRES", "1")
        .env("KUDOS_TEST_PG_CTL", pg.pg_ctl_prefix());
    cargo_test(tally, cmd)
}

/// The wasm tests run as a cargo "runner": cargo builds each test binary as a .wasm and hands it
/// to wasm-bindgen-test-runner, which drives Chromium through ChromeDriver (options in
/// webdriver.json at the crate root).
fn browser(ctx: &Ctx, tally: &mut Tally) -> Result<()> {
    let mut cmd = proc::cargo(
        ctx,
        &[
            "test",
            "--package",
            "kudos-widget",
            "--target",
            "wasm32-unknown-unknown",
        ],
    );
    cmd.env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
        "wasm-bindgen-test-runner",
    )
    .env("CHROMEDRIVER", install::CHROMEDRIVER)
    // The default 20 s per test file is tight on 2 shared cores with a cold Chromium.
    .env("WASM_BINDGEN_TEST_TIMEOUT", "60");
    cargo_test(tally, cmd)
}

fn release(ctx: &Ctx, _: &mut Tally) -> Result<()> {
    dist::build_release(ctx)?;
    println!();
    sizes::print_table(ctx)?;
    // Kept apart from the size checks: the strict-CSP promise of README.
    csp::check_no_eval(ctx)
}

fn end_to_end(ctx: &Ctx, tally: &mut Tally) -> Result<()> {
    let report = ctx.at(E2E_REPORT);
    // A report left by an earlier run must not be counted if this run dies before writing one.
    if report.exists() {
        fs::remove_file(&report)?;
    }
    // The receiver and owner specs run the real kudos-server binary (target/debug/kudos-server).
    // The server layer has usually built it already; when `e2e` runs alone this builds it.
    proc::run(&mut proc::cargo(
        ctx,
        &["build", "--quiet", "-p", "kudos-server"],
    ))?;
    // `--no`: use the locally installed Playwright, never fetch one.
    let mut cmd = proc::command(ctx, "npx", &["--no", "playwright", "test"]);
    cmd.current_dir(ctx.at(install::E2E_DIR));
    let status = proc::status(&mut cmd)?;
    if let Ok(text) = fs::read_to_string(&report) {
        let counts =
            playwright_counts(&text).map_err(|err| format!("cannot read {E2E_REPORT}: {err}"))?;
        tally.passed += counts.passed;
        tally.failed += counts.failed;
    }
    if status.success() {
        Ok(())
    } else {
        Err(format!("Playwright failed ({status})").into())
    }
}

/// Runs a `cargo test` command, echoing its output and adding up its `test result:` lines.
fn cargo_test(tally: &mut Tally, mut cmd: std::process::Command) -> Result<()> {
    let status = proc::run_tee(&mut cmd, |line| {
        if let Some(counts) = parse_test_result(line) {
            tally.passed += counts.passed;
            tally.failed += counts.failed;
        }
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", proc::describe(&cmd)).into())
    }
}

/// Reads libtest's summary line, which wasm-bindgen-test-runner prints in the same form:
/// `test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s`
fn parse_test_result(line: &str) -> Option<Tally> {
    let rest = line.trim_start().strip_prefix("test result:")?;
    let mut tally = Tally::default();
    let mut seen = false;
    let words: Vec<&str> = rest
        .split(|c: char| c.is_whitespace() || c == ';' || c == ',')
        .filter(|word| !word.is_empty())
        .collect();
    for pair in words.windows(2) {
        let Ok(count) = pair[0].parse::<u64>() else {
            continue;
        };
        match pair[1] {
            "passed" => tally.passed += count,
            "failed" => tally.failed += count,
            _ => continue,
        }
        seen = true;
    }
    seen.then_some(tally)
}

/// Counts from Playwright's JSON report: `stats.expected` passed as written, `stats.flaky`
/// passed on a retry (none: retries are 0), `stats.unexpected` failed. Skipped tests count as
/// neither.
fn playwright_counts(json: &str) -> Result<Tally> {
    let report: serde_json::Value = serde_json::from_str(json)?;
    let stats = report.get("stats").ok_or("no `stats` in the report")?;
    let number = |key: &str| {
        stats
            .get(key)
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0)
    };
    Ok(Tally {
        passed: number("expected") + number("flaky"),
        failed: number("unexpected"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libtest_summary() {
        let line = "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s";
        assert_eq!(
            parse_test_result(line),
            Some(Tally {
                passed: 12,
                failed: 0
            })
        );
    }

    #[test]
    fn reads_failed_summary() {
        let line = "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.20s";
        assert_eq!(
            parse_test_result(line),
            Some(Tally {
                passed: 3,
                failed: 2
            })
        );
    }

    #[test]
    fn ignores_other_lines() {
        assert_eq!(parse_test_result("test core::it_works ... ok"), None);
        assert_eq!(parse_test_result("running 3 tests"), None);
        assert_eq!(parse_test_result(""), None);
    }

    #[test]
    fn reads_playwright_stats() {
        let json = r#"{"config":{},"suites":[],"errors":[],
            "stats":{"startTime":"2026-11-24T09:07:51.439Z","duration":2517.2,
                     "expected":4,"skipped":1,"unexpected":2,"flaky":1}}"#;
        assert_eq!(
            playwright_counts(json).unwrap(),
            Tally {
                passed: 5,
                failed: 2
            }
        );
    }

    #[test]
    fn rejects_report_without_stats() {
        assert!(playwright_counts("{}").is_err());
        assert!(playwright_counts("not json").is_err());
    }
}
