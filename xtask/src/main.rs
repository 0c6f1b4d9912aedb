//! The project's task runner, run as `cargo xtask <command>` (an alias in `.cargo/config.toml`).
//!
//! Commands:
//! - `demo`: install what is missing, then `trunk serve` the demo page on <http://127.0.0.1:8080/>.
//! - `test [LAYER...]`: install what is missing, then every test layer in order (format, lint,
//!   native unit tests, server tests on PostgreSQL, browser tests, release build + sizes,
//!   end-to-end), stopping at the first that fails, and close with one line `N passed, N failed`.
//!   Naming layers (`fmt`, `lint`, `unit`, `server`, `browser`, `release`, `e2e`) runs only
//!   those, for a quicker loop while developing.
//! - `bench`: build the release artefact, then benchmark it in headless Chromium against a plain
//!   HTML form; prints medians and writes BENCHMARKS.md (see `bench.rs`). Not part of `test`.
//! - `bench server`: the release `kudos-server` under load on SQLite and a throwaway PostgreSQL,
//!   against the raw database; writes the server section of BENCHMARKS.md (see `bench.rs`).
//! - `sizes`: print the size table of an existing `dist/` (raw, gzip, brotli) and check it against
//!   the size budget (`sizes::BUDGET`); exits non-zero when over.
//! - `dist`: the release folder for a static host or CDN, with SRI hashes for the script tag.
//! - `serve`: the release build and `kudos-server` (SQLite) together, with a live copy of the demo
//!   site on <http://127.0.0.1:8080/> posting to the server on <http://127.0.0.1:8787> (serve.rs).
//!
//! Why an xtask rather than a Makefile or shell script: it is plain Rust, runs wherever cargo runs,
//! and CI (`.ci/run`) calls exactly what a developer calls.
//!
//! Arguments are parsed by hand: a handful of commands do not justify an argument-parser dependency.

mod bench;
mod csp;
mod dist;
mod imports;
mod install;
mod interrupt;
mod postgres;
mod proc;
mod serve;
mod sizes;
mod test;

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Errors are reported to the user as text and end the command; nothing recovers from them.
pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Where the tools and the project live, worked out once per run.
pub struct Ctx {
    /// The workspace root (the parent of `xtask/`): every command runs from here unless it says
    /// otherwise, so relative paths in Trunk.toml, webdriver.json etc. resolve the same way.
    pub root: PathBuf,
    /// `PATH` for every child process: the npm tools (`wasm-opt`) and cargo's install directory
    /// first, so trunk finds the pinned `wasm-opt` and `wasm-bindgen` (offline it never downloads).
    pub path: OsString,
}

impl Ctx {
    fn new() -> Result<Self> {
        let root = workspace_root().to_path_buf();
        let mut dirs = vec![root.join(install::TOOLS_BIN)];
        // `cargo install` puts binaries in $CARGO_HOME/bin; a shell that never sourced
        // ~/.cargo/env (CI, cron) may lack it on PATH, and then a fresh install is not found.
        if let Some(cargo_bin) = cargo_home().map(|home| home.join("bin")) {
            dirs.push(cargo_bin);
        }
        dirs.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
        let path = env::join_paths(dirs)?;
        Ok(Ctx { root, path })
    }

    /// `root/rel`, for the paths the tasks touch.
    pub fn at(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }
}

/// The workspace root: the parent of xtask's own manifest directory, known at compile time, so it
/// is right however and from wherever cargo is invoked.
pub fn workspace_root() -> &'static Path {
    let xtask_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask_dir.parent().unwrap_or(xtask_dir)
}

/// `$CARGO_HOME`, else the default `~/.cargo`.
fn cargo_home() -> Option<PathBuf> {
    env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
}

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  demo               install missing tools, then serve the demo page on http://127.0.0.1:8080/
  test [LAYER...]    install missing tools, then run the test layers (all, or those named:
                     fmt lint unit server browser release e2e); ends with `N passed, N failed`
  bench              build the release, benchmark it against a plain HTML form in headless
                     Chromium, print medians and write BENCHMARKS.md (not part of `test`)
  bench server       kudos-server's ingestion, latency, wall feed and memory on SQLite and
                     PostgreSQL against the raw database; writes its section of BENCHMARKS.md
  sizes              print raw / gzip / brotli sizes of an existing dist/ and check the budget
  dist               release build, copied with its SRI hashes to target/dist-cdn/kudos-widget-<version>/
  serve              release build + kudos-server on SQLite (http://127.0.0.1:8787), and the demo
                     site live against it on http://127.0.0.1:8080/; Ctrl-C stops both
  help               print this text";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let ctx = match Ctx::new() {
        Ok(ctx) => ctx,
        Err(err) => {
            eprintln!("xtask: {err}");
            return ExitCode::FAILURE;
        }
    };
    let command = args.first().map(String::as_str);
    let rest = args.get(1..).unwrap_or_default();
    // Only `test` takes arguments (layer names), and `bench` one: `server`.
    let bench_server = command == Some("bench") && rest == ["server"];
    if command != Some("test") && !bench_server && !rest.is_empty() {
        eprintln!("xtask: unexpected arguments after `{}`\n\n{USAGE}", args[0]);
        return ExitCode::from(2);
    }
    match command {
        Some("demo") => report(demo(&ctx)),
        Some("test") => {
            if let Err(err) = test::check_selection(rest) {
                eprintln!("xtask: {err}\n\n{USAGE}");
                return ExitCode::from(2);
            }
            // `test` prints its own summary line and decides its own exit code.
            test::run(&ctx, rest)
        }
        Some("bench") if bench_server => report(bench::server(&ctx)),
        Some("bench") => report(bench::run(&ctx)),
        Some("sizes") => report(sizes::print_table(&ctx)),
        Some("dist") => report(dist::run(&ctx)),
        Some("serve") => report(serve::run(&ctx)),
        Some("help" | "-h" | "--help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("xtask: unknown command `{other}`\n\n{USAGE}");
            ExitCode::from(2)
        }
        None => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Turns a task's result into the process exit code, printing the error if there is one.
fn report(result: Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: {err}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask demo`: the demo page with live rebuilds, served by trunk.
fn demo(ctx: &Ctx) -> Result<()> {
    install::ensure(ctx, install::Need::Demo)?;
    // Offline trunk makes cargo offline too, so every crate must already be in the local cache.
    proc::run(&mut proc::cargo(ctx, &["fetch"]))?;
    // Address and port come from Trunk.toml; stops with Ctrl-C.
    proc::run(&mut proc::trunk(ctx, &["serve"]))
}
