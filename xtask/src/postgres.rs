//! A throwaway PostgreSQL cluster for the server's tests (the `server` layer of test.rs).
//!
//! Each run gets a fresh cluster in `target/pg/`: `data/` (initdb, trust authentication, superuser
//! `kudos`), `log` (the server log, kept after the run for a post-mortem) and the Unix socket,
//! which goes there too (`unix_socket_directories`) so nothing touches /var/run/postgresql. It
//! listens on 127.0.0.1 only, on a port the kernel picked as free, so two checkouts can test at
//! once. [`Postgres`] is a guard: dropping it stops the cluster (`pg_ctl -m fast stop`), so it stops
//! however the layer ends: passed, failed, panicked, or Ctrl-C (see interrupt.rs). A run killed
//! outright (SIGKILL) leaves the postmaster running; the next run finds its pid file in
//! `target/pg/data/` and stops it before starting afresh (so one checkout runs one `server`
//! layer at a time; other checkouts have their own `target/`).
//!
//! The tests (`cargo test -p kudos-server`) get, in their environment:
//! - `KUDOS_TEST_POSTGRES_URL`: `postgres://kudos@127.0.0.1:PORT/postgres`, a superuser URL (the
//!   tests create their own databases).
//! - `KUDOS_TEST_REQUIRE_POSTGRES=1`: a test needing PostgreSQL fails, instead of skipping, when
//!   the URL is missing.
//! - `KUDOS_TEST_PG_CTL`: the command prefix that runs this cluster's pg_ctl, words separated by
//!   single spaces (split on whitespace; the workspace path must hold none), e.g.
//!   `runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D /…/target/pg/data -l /…/target/pg/log`
//!   (without `runuser -u postgres --` when the xtask does not run as root). Append
//!   `stop -m fast -w`, `start -w` or `restart -m fast -w`: port, listen address and socket
//!   directory are in the cluster's postgresql.conf, not on a command line, so a plain `start`
//!   brings it back on the same URL, and `-l` keeps the postmaster's output out of the caller's
//!   pipes (a test reading pg_ctl's output to the end would otherwise wait for the postmaster).
//!
//! PostgreSQL refuses to run as root, so as root every PostgreSQL program runs as the `postgres`
//! user (`runuser`), which owns `target/pg/`.

use std::fs;
use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{install, interrupt, proc, Ctx, Result};

/// Debian's PostgreSQL 15 server programs (package `postgresql-15`).
pub const BIN: &str = "/usr/lib/postgresql/15/bin";
/// The cluster's home, under the workspace root.
const DIR: &str = "target/pg";
/// The superuser initdb creates; the URL logs in as it, without a password (trust, loopback only).
const SUPERUSER: &str = "kudos";
/// The OS user PostgreSQL runs as when the xtask is root.
const OS_USER: &str = "postgres";

/// A running cluster; stopped when dropped.
pub struct Postgres {
    data: PathBuf,
    log: PathBuf,
    port: u16,
    as_postgres: bool,
    /// Set once `pg_ctl start` has been tried: from then on there may be a postmaster to stop.
    started: bool,
    ctx_path: std::ffi::OsString,
    root: PathBuf,
    // Dropped after `drop` has stopped the cluster, so a Ctrl-C cannot end the xtask before that.
    _catch: interrupt::Catch,
}

impl Postgres {
    /// Installs PostgreSQL when missing, stops a cluster left by an earlier run, then creates and
    /// starts a fresh one, printing its URL.
    pub fn start(ctx: &Ctx) -> Result<Postgres> {
        install::postgres(ctx)?;
        let as_postgres = install::is_root(ctx);
        let dir = ctx.at(DIR);
        if dir.to_string_lossy().contains(char::is_whitespace) {
            return Err(format!(
                "{} holds whitespace, which KUDOS_TEST_PG_CTL cannot carry",
                dir.display()
            )
            .into());
        }
        // Signals are caught before there is anything to stop, so no Ctrl-C can fall between
        // `pg_ctl start` and the guard that stops it.
        let catch = interrupt::Catch::install();
        let mut pg = Postgres {
            data: dir.join("data"),
            log: dir.join("log"),
            port: 0,
            as_postgres,
            started: false,
            ctx_path: ctx.path.clone(),
            root: ctx.root.clone(),
            _catch: catch,
        };
        pg.stop_stale();
        if dir.exists() {
            fs::remove_dir_all(&dir)
                .map_err(|err| format!("cannot remove {}: {err}", dir.display()))?;
        }
        fs::create_dir_all(&dir)?;
        if as_postgres {
            proc::run_quiet(&mut proc::command(
                ctx,
                "chown",
                &[OS_USER, &dir.to_string_lossy()],
            ))?;
        }
        pg.port = free_port()?;

        let data = pg.data.to_string_lossy().into_owned();
        // `-N`: no fsync of the new files; the cluster lives for one run. `--locale=C`: exists on
        // every machine (a bare container may have no other locale) and sorts the same everywhere.
        let mut initdb = pg.program(
            "initdb",
            &[
                "-D",
                &data,
                "-A",
                "trust",
                "-U",
                SUPERUSER,
                "-E",
                "UTF8",
                "--locale=C",
                "-N",
            ],
        );
        proc::run_quiet(&mut initdb)?;
        pg.write_config(&dir)?;
        // Set before the attempt: a start that timed out may still leave a postmaster behind.
        pg.started = true;
        if let Err(err) = proc::run_quiet(&mut pg.pg_ctl(&["-w", "-t", "60", "start"])) {
            let log = fs::read_to_string(&pg.log).unwrap_or_default();
            let lines: Vec<&str> = log.lines().collect();
            let tail = lines[lines.len().saturating_sub(20)..].join("\n");
            return Err(format!("{err}\n{}, last lines:\n{tail}", pg.log.display()).into());
        }
        println!("postgres: {} (log {})", pg.url(), pg.log.display());
        Ok(pg)
    }

    /// The superuser URL over TCP, for `KUDOS_TEST_POSTGRES_URL`.
    pub fn url(&self) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/postgres", self.port)
    }

    /// `KUDOS_TEST_PG_CTL`: the words of [`Self::pg_ctl`] as one line.
    pub fn pg_ctl_prefix(&self) -> String {
        let cmd = self.pg_ctl(&[]);
        let mut words = vec![cmd.get_program().to_string_lossy().into_owned()];
        words.extend(cmd.get_args().map(|arg| arg.to_string_lossy().into_owned()));
        words.join(" ")
    }

    /// Port, addresses and socket directory go in postgresql.conf rather than `pg_ctl -o`, so a
    /// test's own `pg_ctl start` (KUDOS_TEST_PG_CTL) brings the cluster back the same way.
    fn write_config(&self, dir: &Path) -> Result<()> {
        let mut conf = fs::OpenOptions::new()
            .append(true)
            .open(self.data.join("postgresql.conf"))?;
        write!(
            conf,
            "\n# Written by the xtask (xtask/src/postgres.rs).\n\
             port = {port}\n\
             listen_addresses = '127.0.0.1'\n\
             unix_socket_directories = '{socket}'\n\
             # A throwaway cluster: losing it in an OS crash costs nothing, and the tests run\n\
             # faster without waiting for the disk.\n\
             fsync = off\n\
             synchronous_commit = off\n\
             full_page_writes = off\n",
            port = self.port,
            socket = dir.display(),
        )?;
        Ok(())
    }

    /// `pg_ctl -D DATA -l LOG ARGS`, as the postgres user when root.
    fn pg_ctl(&self, args: &[&str]) -> Command {
        let data = self.data.to_string_lossy().into_owned();
        let log = self.log.to_string_lossy().into_owned();
        let mut all = vec!["-D", &data, "-l", &log];
        all.extend_from_slice(args);
        self.program("pg_ctl", &all)
    }

    /// One of PostgreSQL's programs from [`BIN`], through `runuser` when the xtask is root.
    fn program(&self, name: &str, args: &[&str]) -> Command {
        let program = format!("{BIN}/{name}");
        let mut cmd = if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", OS_USER, "--", &program]);
            cmd
        } else {
            Command::new(program)
        };
        cmd.args(args)
            .env("PATH", &self.ctx_path)
            // The postgres user may not be allowed into the caller's directory; its own is certain
            // to be readable.
            .current_dir(self.data.parent().unwrap_or(&self.root));
        cmd
    }

    /// Stops a cluster an earlier, killed run left behind. Its pid file is checked first: after
    /// a reboot the number may belong to an unrelated process, which must not get the signal.
    fn stop_stale(&self) {
        let Ok(pid_file) = fs::read_to_string(self.data.join("postmaster.pid")) else {
            return;
        };
        let pid = pid_file.lines().next().unwrap_or_default().trim();
        let cmdline = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if !String::from_utf8_lossy(&cmdline).contains("postgres") {
            return;
        }
        println!("postgres: stopping the cluster an earlier run left (pid {pid})");
        if let Err(err) = proc::run_quiet(&mut self.pg_ctl(&["-m", "fast", "-w", "stop"])) {
            eprintln!("xtask: {err}");
        }
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if !self.started {
            return;
        }
        // A test may have stopped the cluster itself (KUDOS_TEST_PG_CTL) and left it so.
        if !self.data.join("postmaster.pid").exists() {
            println!("postgres: already stopped");
            return;
        }
        match proc::run_quiet(&mut self.pg_ctl(&["-m", "fast", "-w", "stop"])) {
            Ok(()) => println!("postgres: stopped"),
            Err(err) => eprintln!("xtask: cannot stop PostgreSQL: {err}"),
        }
    }
}

/// A port nothing listens on now: the kernel's pick for port 0. Released before PostgreSQL binds
/// it; another program taking it in that instant makes `pg_ctl start` fail, visibly.
fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
