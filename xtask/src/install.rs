//! Installs the tools the tasks need, each only when it is missing or the wrong version.
//!
//! A fresh machine of this kind has Rust, Node and npm but none of the wasm tooling or a browser,
//! and the only network is package registries (crates.io, npm, Debian). So everything comes
//! from those, pinned, and every check here is cheap enough to run on every `cargo xtask` call.
//! Each install that actually happens prints one line `install: <what>`.

use std::fs;
use std::path::Path;
use std::time::SystemTime;

use crate::proc;
use crate::{Ctx, Result};

/// Must equal the `wasm-bindgen` crate version pinned in Cargo.toml and `[tools]` in Trunk.toml:
/// a mismatch makes trunk try to download another CLI, which fails offline.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
/// trunk 0.22 needs a newer rustc than this machine's 1.95.
pub const TRUNK_VERSION: &str = "0.21.14";
/// Major version of binaryen pinned in `xtask/tools/package.json`; must match `[tools] wasm_opt`
/// in Trunk.toml (`version_132`).
pub const WASM_OPT_MAJOR: &str = "132";
/// The npm project that holds the build tools (binaryen's `wasm-opt`).
pub const TOOLS_DIR: &str = "xtask/tools";
/// Where npm puts those tools' executables; prepended to `PATH` for every child process.
pub const TOOLS_BIN: &str = "xtask/tools/node_modules/.bin";
/// The Playwright end-to-end project.
pub const E2E_DIR: &str = "tests/e2e";
/// Debian's Chromium and its driver: the only browser this machine can get.
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Which task the tools are for: the demo needs no browser or end-to-end packages.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Demo,
    Test,
}

/// Makes sure every tool `need` requires is present in the pinned version.
pub fn ensure(ctx: &Ctx, need: Need) -> Result<()> {
    wasm_target(ctx)?;
    wasm_bindgen(ctx)?;
    trunk(ctx)?;
    npm_project(ctx, TOOLS_DIR)?;
    wasm_opt(ctx)?;
    if need == Need::Test {
        chromium(ctx)?;
        npm_project(ctx, E2E_DIR)?;
    }
    Ok(())
}

/// The wasm32 standard library. rust-toolchain.toml lists the target, so rustup usually adds it
/// by itself, but only when a rustup proxy starts a tool; checking the sysroot is certain.
fn wasm_target(ctx: &Ctx) -> Result<()> {
    let sysroot = proc::probe(&mut proc::command(ctx, "rustc", &["--print", "sysroot"]))
        .ok_or("`rustc --print sysroot` failed")?;
    if Path::new(&sysroot)
        .join("lib/rustlib")
        .join(WASM_TARGET)
        .is_dir()
    {
        return Ok(());
    }
    println!("install: rust target {WASM_TARGET}");
    proc::run(&mut proc::command(
        ctx,
        "rustup",
        &["target", "add", WASM_TARGET],
    ))
}

/// `wasm-bindgen` (used by trunk) and `wasm-bindgen-test-runner` (the browser tests' cargo
/// runner) come from one crate, so one version check covers both.
fn wasm_bindgen(ctx: &Ctx) -> Result<()> {
    let wanted = format!("wasm-bindgen {WASM_BINDGEN_VERSION}");
    if version_of(ctx, "wasm-bindgen").as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    println!("install: wasm-bindgen-cli {WASM_BINDGEN_VERSION} (cargo install, several minutes)");
    // No `--locked`: this version's own lock file names a dependency version that is no longer
    // in the registry, so a locked install fails to resolve.
    proc::run(&mut proc::cargo(
        ctx,
        &[
            "install",
            "wasm-bindgen-cli",
            "--version",
            WASM_BINDGEN_VERSION,
        ],
    ))?;
    check_version(ctx, "wasm-bindgen", &wanted)
}

/// trunk: builds and serves the demo page, and makes the release `dist/`.
fn trunk(ctx: &Ctx) -> Result<()> {
    let wanted = format!("trunk {TRUNK_VERSION}");
    if version_of(ctx, "trunk").as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    println!("install: trunk {TRUNK_VERSION} (cargo install, about 15 minutes)");
    // `--locked`: trunk's own lock file resolves, and it keeps newer dependency releases (which
    // may want a newer rustc) out.
    proc::run(&mut proc::cargo(
        ctx,
        &["install", "trunk", "--version", TRUNK_VERSION, "--locked"],
    ))?;
    check_version(ctx, "trunk", &wanted)
}

/// `wasm-opt` from the npm package `binaryen` (Debian's binaryen is too old to read what rustc
/// 1.95 emits). Installed by [`npm_project`]; this only proves it runs.
fn wasm_opt(ctx: &Ctx) -> Result<()> {
    let wasm_opt = ctx.at(TOOLS_BIN).join("wasm-opt");
    let version = proc::probe(&mut proc::command(
        ctx,
        &wasm_opt.to_string_lossy(),
        &["--version"],
    ))
    .unwrap_or_default();
    // Prints e.g. `wasm-opt version 132 (version_132)`.
    if version.starts_with(&format!("wasm-opt version {WASM_OPT_MAJOR}")) {
        Ok(())
    } else {
        Err(format!(
            "{} --version printed {version:?}, expected wasm-opt version {WASM_OPT_MAJOR}",
            wasm_opt.display()
        )
        .into())
    }
}

/// Chromium and ChromeDriver from Debian, for the browser tests and Playwright.
fn chromium(ctx: &Ctx) -> Result<()> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    if !is_root(ctx) {
        return Err(format!(
            "{CHROMIUM} and {CHROMEDRIVER} are needed for the browser tests; install Debian's \
             packages as root: apt-get update && apt-get install -y chromium chromium-driver"
        )
        .into());
    }
    println!("install: chromium chromium-driver (apt-get)");
    proc::run(&mut proc::command(ctx, "apt-get", &["update"]))?;
    proc::run(
        proc::command(
            ctx,
            "apt-get",
            &["install", "-y", "chromium", "chromium-driver"],
        )
        // Never stop on a configuration prompt: CI has no standard input.
        .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// PostgreSQL 15's server programs from Debian, for the server tests' throwaway cluster
/// (postgres.rs). Not part of [`ensure`]: only the `server` test layer needs them.
pub fn postgres(ctx: &Ctx) -> Result<()> {
    let pg_ctl = format!("{}/pg_ctl", crate::postgres::BIN);
    if Path::new(&pg_ctl).exists() {
        return Ok(());
    }
    if !is_root(ctx) {
        return Err(format!(
            "{pg_ctl} is needed for the server tests; install Debian's package as root: \
             apt-get update && apt-get install -y postgresql-15"
        )
        .into());
    }
    println!("install: postgresql-15 (apt-get)");
    proc::run(&mut proc::command(ctx, "apt-get", &["update"]))?;
    proc::run(
        proc::command(ctx, "apt-get", &["install", "-y", "postgresql-15"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// Whether the xtask runs as root: only root can apt-get, and PostgreSQL must not run as root.
pub fn is_root(ctx: &Ctx) -> bool {
    proc::probe(&mut proc::command(ctx, "id", &["-u"])).as_deref() == Some("0")
}

/// `npm ci` in `dir` when its `node_modules` is missing or older than its `package-lock.json`.
///
/// npm writes `node_modules/.package-lock.json` at the end of every install, so its time is
/// when the tree last matched a lock file; a lock file edited since (a version bump pulled from
/// git) is newer and triggers a clean reinstall.
fn npm_project(ctx: &Ctx, dir: &str) -> Result<()> {
    let project = ctx.at(dir);
    let lock = modified(&project.join("package-lock.json"))
        .ok_or_else(|| format!("{dir}/package-lock.json is missing"))?;
    match modified(&project.join("node_modules/.package-lock.json")) {
        Some(installed) if installed >= lock => return Ok(()),
        _ => {}
    }
    println!("install: npm packages in {dir} (npm ci)");
    let mut cmd = proc::command(ctx, "npm", &["ci", "--no-audit", "--no-fund"]);
    cmd.current_dir(&project)
        // Playwright would otherwise download its own browser builds, which cannot be reached
        // here; the tests use Debian's Chromium instead.
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    proc::run(&mut cmd)
}

/// First line of `<tool> --version`, or `None` when the tool is missing or fails.
fn version_of(ctx: &Ctx, tool: &str) -> Option<String> {
    let out = proc::probe(&mut proc::command(ctx, tool, &["--version"]))?;
    out.lines().next().map(|line| line.trim().to_string())
}

/// After an install: the tool must now report the wanted version, else say what is wrong.
fn check_version(ctx: &Ctx, tool: &str, wanted: &str) -> Result<()> {
    match version_of(ctx, tool) {
        Some(found) if found == wanted => Ok(()),
        found => Err(format!(
            "after installing, `{tool} --version` gives {found:?}, expected {wanted:?} \
             (is another `{tool}` earlier on PATH?)"
        )
        .into()),
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|meta| meta.modified()).ok()
}
