//! `cargo xtask bench`: the load benchmark against a plain HTML form (issue #8).
//!
//! Builds the release artefact exactly as the release test layer does, then runs
//! tests/e2e/bench/bench.mjs (Playwright + Debian Chromium, tests/e2e's node_modules and static
//! server), which prints a table of medians and writes BENCHMARKS.md at the repository root.
//!
//! Not a test layer on purpose: timings vary with the machine and its load, so they are measured
//! and reported, never asserted. The deterministic part (bytes) is checked by the release layer.

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
