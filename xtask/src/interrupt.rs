//! Ctrl-C (SIGINT) and SIGTERM while the xtask holds something it must clean up: a PostgreSQL
//! cluster (postgres.rs) or the servers of `cargo xtask serve` (serve.rs).
//!
//! By default a signal ends the xtask at once, so no `Drop` runs. `pg_ctl` puts the postmaster in
//! a session of its own (setsid), so a Ctrl-C in the terminal never reaches it and it would outlive
//! the run. While a [`Catch`] lives, the signal only sets a flag instead: the children in the
//! terminal's process group (cargo test, the servers) still get the Ctrl-C and end, the xtask
//! notices, and its guards stop what they started.
//!
//! Declared by hand rather than through the `libc` crate: one function and two constants do not
//! justify a dependency (and a change to Cargo.lock); std already links the C library.

use std::os::raw::c_int;
use std::sync::atomic::{AtomicBool, Ordering};

/// Linux's numbers (the same on every architecture it runs on).
const SIGINT: c_int = 2;
const SIGTERM: c_int = 15;
/// `SIG_DFL`: the default action, which for both signals ends the process.
const SIG_DFL: usize = 0;

extern "C" {
    /// glibc's `signal` has BSD semantics: the handler stays installed, and interrupted system
    /// calls (a `wait` for a child) restart, so the xtask goes on waiting for the child.
    fn signal(signum: c_int, handler: usize) -> usize;
}

static RECEIVED: AtomicBool = AtomicBool::new(false);

/// Only an atomic store: the one kind of work that is safe inside a signal handler.
extern "C" fn note(_: c_int) {
    RECEIVED.store(true, Ordering::SeqCst);
}

/// While this lives, SIGINT and SIGTERM set a flag ([`received`]) instead of ending the xtask.
/// Dropping it restores the default, so a Ctrl-C outside any guard ends the xtask as before.
pub struct Catch(());

impl Catch {
    pub fn install() -> Catch {
        let handler = note as extern "C" fn(c_int) as usize;
        // SAFETY: `note` is async-signal-safe (one atomic store), and a handler installed with
        // `signal` is reset to the default in children at exec, so they are unaffected.
        unsafe {
            signal(SIGINT, handler);
            signal(SIGTERM, handler);
        }
        Catch(())
    }
}

impl Drop for Catch {
    fn drop(&mut self) {
        // SAFETY: restores the default disposition; no handler code is involved.
        unsafe {
            signal(SIGINT, SIG_DFL);
            signal(SIGTERM, SIG_DFL);
        }
    }
}

/// Whether SIGINT or SIGTERM arrived while a [`Catch`] lived (at any time during this run).
pub fn received() -> bool {
    RECEIVED.load(Ordering::SeqCst)
}
