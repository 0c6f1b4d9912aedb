//! `cargo xtask serve`: the whole product running on this machine, for a newcomer's first look.
//!
//! - the widget's release build (the same `dist/` the tests measure, dist.rs),
//! - `kudos-server` (debug build) on SQLite in `target/serve/kudos.db`, listening on
//!   <http://127.0.0.1:8787>, allowing the demo site's origin,
//! - a live copy of the demo site in `target/serve/site/` on <http://127.0.0.1:8080/>, served by
//!   tests/e2e/server.mjs: its praise form and newsletter form post to the server and its wall
//!   reads the server's wall, where the demo itself keeps everything in the browser.
//!
//! The database is kept between runs, so praise approved yesterday is still on the wall; delete
//! `target/serve/kudos.db` to start empty. Ctrl-C stops both servers (interrupt.rs keeps the xtask
//! alive long enough to see them go), and so does either of them stopping on its own.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::install::{self, Need};
use crate::{dist, interrupt, proc, Ctx, Result};

/// Where kudos-server listens; the live pages name it in their `data-endpoint` and `data-wall-url`.
const API_ADDR: &str = "127.0.0.1:8787";
/// Where the live demo site is served: trunk's port, since `cargo xtask demo` shows the same site.
const SITE_ADDR: &str = "127.0.0.1:8080";
/// The run's files: `kudos.db` (kept) and `site/` (copied afresh from dist/ each run).
const DIR: &str = "target/serve";
/// Who hears about praise for someone the roster gives no manager.
const DEFAULT_RECIPIENT: &str = "owner@larch-street.example";
/// demo/staff.json's people with made-up addresses and managers (no mail leaves the machine:
/// without SMTP the server writes .eml files). Dev Patel said no to his own emails.
const ROSTER_CSV: &str = "id,name,role,location,nicknames,email,manager_email,wants_email
lsm-001,Christine Roy,Head cashier,Larch Street,Kris;Chris,christine@larch-street.example,lead.larch@larch-street.example,yes
lsm-002,Noor Haddad,Bagger,Larch Street,,noor@larch-street.example,lead.larch@larch-street.example,yes
lsm-003,Dev Patel,Cashier,Larch Street,,dev@larch-street.example,lead.larch@larch-street.example,no
lsm-004,Teodor Nowak,Floral counter,Harbour Road,Teo,teodor@larch-street.example,lead.harbour@larch-street.example,yes
lsm-005,Sam Okafor,Grocery associate,Harbour Road,Sammy,sam@larch-street.example,lead.harbour@larch-street.example,yes
lsm-006,Zoé Lefebvre,Baker,Millbrook,,zoe@larch-street.example,,yes
";
/// What `cargo build -p kudos-server` produces.
const SERVER_BIN: &str = "target/debug/kudos-server";
/// The line kudos-server prints on stdout once it has bound its port.
const READY_LINE: &str = "kudos-server listening on ";
/// How long a server may take to come up, or to go once asked to stop.
const START_TIMEOUT: Duration = Duration::from_secs(60);
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

pub fn run(ctx: &Ctx) -> Result<()> {
    install::ensure(ctx, Need::Demo)?;
    // Before the builds, which take minutes: a port in use would only fail after them.
    for addr in [API_ADDR, SITE_ADDR] {
        TcpListener::bind(addr).map_err(|err| {
            format!("cannot listen on {addr}: {err} (is `cargo xtask demo` or another `serve` running?)")
        })?;
    }
    dist::build_release(ctx)?;
    proc::run(&mut proc::cargo(
        ctx,
        &["build", "--package", "kudos-server"],
    ))?;

    let dir = ctx.at(DIR);
    let site = dir.join("site");
    if site.exists() {
        fs::remove_dir_all(&site)?;
    }
    copy_dir(&ctx.at("dist"), &site)?;
    let api = format!("http://{API_ADDR}");
    let index = site.join("index.html");
    fs::write(&index, live_index(&fs::read_to_string(&index)?, &api)?)?;
    let database_url = format!("sqlite://{}", dir.join("kudos.db").display());
    let origin = format!("http://{SITE_ADDR}");

    // From here on a Ctrl-C must let the guards below stop what was started.
    let _catch = interrupt::Catch::install();
    let mut server = proc::command(
        ctx,
        &ctx.at(SERVER_BIN).to_string_lossy(),
        &[
            "serve",
            "--listen",
            API_ADDR,
            // Everything the server keeps (its mail outbox too) stays in target/serve, out of git's way.
            "--data-dir",
            &dir.to_string_lossy(),
            "--database-url",
            &database_url,
            "--allowed-origin",
            &origin,
            // No SMTP: every email becomes an .eml file in target/serve/outbox-mail, listed on
            // the server's own /dev/mail page (see server/src/http/devmail.rs for why the server
            // serves it: the emails' approve links lead to its pages, one click away).
            "--dev-mail-viewer",
            "true",
            "--default-recipient",
            DEFAULT_RECIPIENT,
            // The owner's QR posters (/owner/posters) open the demo page with the staff member.
            "--praise-page-url",
            &format!("{origin}/"),
            // The demo page's newsletter form names this sender and contact (index.html): the
            // owner's subscribers page rebuilds the consent wording from them to prove it.
            "--company",
            "Larch Street Market",
            "--contact",
            "12 Larch Street, Halifax NS",
        ],
    );
    // The demo roster with made-up addresses, so the loop's emails have someone to go to.
    let roster = dir.join("staff.csv");
    fs::write(&roster, ROSTER_CSV)?;
    proc::run(&mut proc::command(
        ctx,
        &ctx.at(SERVER_BIN).to_string_lossy(),
        &[
            "staff",
            "import",
            &roster.to_string_lossy(),
            "--database-url",
            &database_url,
        ],
    ))?;
    let mut server = Service::start("kudos-server", &mut server, Ready::Line(READY_LINE))?;
    let mut static_site = proc::command(
        ctx,
        "node",
        &[
            "tests/e2e/server.mjs",
            SITE_ADDR.rsplit(':').next().unwrap_or_default(),
        ],
    );
    static_site.env("DIST_DIR", &site);
    let mut static_site = Service::start("demo site", &mut static_site, Ready::Port(SITE_ADDR))?;

    let bin = ctx.at(SERVER_BIN);
    let bin = bin.display();
    println!(
        "\nThe demo site runs live against kudos-server:\n\n  \
         open      {origin}/   (Thank our team: praise form and wall; newsletter in the footer)\n  \
         server    {api}   (POST /v1/submissions, GET /v1/wall, GET /v1/staff, GET /healthz)\n  \
         mail      {api}/dev/mail   (every email the server sent: the manager's, with its Approve link; then the employee's)\n  \
         database  {database_url}\n\n\
         Praise reaches the wall once it is approved (and the visitor allowed publishing):\n\n  \
         {bin} praise list --database-url {database_url}\n  \
         {bin} praise approve ID --database-url {database_url}\n\n\
         Ctrl-C stops both servers.\n"
    );
    let _ = std::io::stdout().flush();
    wait(&mut [&mut server, &mut static_site])
}

/// Returns when Ctrl-C arrives (fine) or a server stops by itself (an error); the guards then
/// stop whatever still runs.
fn wait(services: &mut [&mut Service]) -> Result<()> {
    loop {
        if interrupt::received() {
            println!("\nstopping");
            return Ok(());
        }
        for service in services.iter_mut() {
            if let Some(status) = service.exited()? {
                // A Ctrl-C reaches the servers too, and one may be seen gone before the flag.
                if interrupt::received() {
                    println!("\nstopping");
                    return Ok(());
                }
                return Err(format!("{} stopped ({status})", service.name).into());
            }
        }
        thread::sleep(Duration::from_millis(200));
    }
}

/// How to tell that a server is ready.
enum Ready {
    /// It prints a line starting with this on stdout.
    Line(&'static str),
    /// It accepts connections on this address.
    Port(&'static str),
}

/// A child server, stopped (SIGTERM, then SIGKILL after [`STOP_TIMEOUT`]) when dropped.
struct Service {
    name: &'static str,
    child: Child,
}

impl Service {
    fn start(name: &'static str, cmd: &mut Command, ready: Ready) -> Result<Service> {
        println!("{}", proc::describe(cmd));
        if let Ready::Line(_) = ready {
            cmd.stdout(Stdio::piped());
        }
        let child = cmd
            .spawn()
            .map_err(|err| format!("cannot start {name}: {err}"))?;
        // The guard exists before the wait, so a server that never gets ready is still stopped.
        let mut service = Service { name, child };
        match ready {
            Ready::Line(prefix) => service.wait_for_line(prefix)?,
            Ready::Port(addr) => service.wait_for_port(addr)?,
        }
        Ok(service)
    }

    /// Echoes the child's stdout on a thread (for the rest of its life, so its pipe never fills)
    /// and waits until the ready line has gone by.
    fn wait_for_line(&mut self, prefix: &'static str) -> Result<()> {
        let stdout = self.child.stdout.take().ok_or("child has no stdout pipe")?;
        let (ready_tx, ready_rx) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                println!("{line}");
                if line.starts_with(prefix) {
                    let _ = ready_tx.send(());
                }
            }
        });
        let started = Instant::now();
        while started.elapsed() < START_TIMEOUT && !interrupt::received() {
            match ready_rx.recv_timeout(Duration::from_millis(200)) {
                Ok(()) => return Ok(()),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(format!("{} ended before it was ready", self.name).into());
                }
            }
        }
        Err(format!("{} did not print `{prefix}…`", self.name).into())
    }

    fn wait_for_port(&mut self, addr: &str) -> Result<()> {
        let started = Instant::now();
        while started.elapsed() < START_TIMEOUT && !interrupt::received() {
            if TcpStream::connect(addr).is_ok() {
                return Ok(());
            }
            if let Some(status) = self.exited()? {
                return Err(format!("{} ended before it was ready ({status})", self.name).into());
            }
            thread::sleep(Duration::from_millis(100));
        }
        Err(format!("{} is not listening on {addr}", self.name).into())
    }

    fn exited(&mut self) -> Result<Option<std::process::ExitStatus>> {
        Ok(self.child.try_wait()?)
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let child = &mut self.child;
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        // SIGTERM first: both servers shut down gracefully on it (kudos-server finishes its
        // requests and closes the database). std only sends SIGKILL, hence `kill`.
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let started = Instant::now();
        while started.elapsed() < STOP_TIMEOUT {
            if let Ok(Some(_)) = child.try_wait() {
                println!("{}: stopped", self.name);
                return;
            }
            thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        let _ = child.wait();
        println!(
            "{}: killed (did not stop within {STOP_TIMEOUT:?})",
            self.name
        );
    }
}

/// Copies a directory tree (dist/ holds a handful of files).
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// The demo page switched to live mode against `api`: every `kudos.js` script tag in demo mode
/// gets `data-mode="live"` and the submissions endpoint, and the praise widget also the wall's
/// URL. The demo note saying nothing leaves the browser is replaced. Fails when the page no longer
/// has the praise and newsletter tags this expects, rather than serve a demo-mode page silently.
fn live_index(html: &str, api: &str) -> Result<String> {
    const TAG: &str = "<script src=\"kudos.js\"";
    const DEMO: &str = "data-mode=\"demo\"";
    let mut out = String::with_capacity(html.len() + 512);
    let (mut praise, mut newsletter) = (0, 0);
    let mut rest = html;
    while let Some(start) = rest.find(TAG) {
        let end = start
            + rest[start..]
                .find('>')
                .ok_or("unclosed kudos.js script tag")?;
        let tag = &rest[start..end];
        out.push_str(&rest[..start]);
        if tag.contains(DEMO) {
            let mut live = format!("data-mode=\"live\" data-endpoint=\"{api}/v1/submissions\"");
            if tag.contains("data-widget=\"newsletter\"") {
                newsletter += 1;
            } else {
                praise += 1;
                live.push_str(&format!(" data-wall-url=\"{api}/v1/wall\""));
            }
            out.push_str(&tag.replacen(DEMO, &live, 1));
        } else {
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    if praise == 0 || newsletter == 0 {
        return Err(format!(
            "index.html: expected demo-mode praise and newsletter script tags ({TAG} … {DEMO}), \
             found {praise} and {newsletter}"
        )
        .into());
    }
    const NOTE: &str = "<p class=\"demo-note\">";
    if let Some(start) = out.find(NOTE) {
        if let Some(len) = out[start..].find("</p>") {
            let note = format!(
                "{NOTE}This copy runs the widget in <strong>live mode</strong>: what you send goes \
                 to kudos-server at {api}, and praise appears on the wall once it is approved \
                 (<code>kudos-server praise approve ID</code>)."
            );
            out.replace_range(start..start + len, &note);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: &str = "http://127.0.0.1:8787";

    #[test]
    fn demo_page_goes_live() {
        let page = live_index(include_str!("../../index.html"), API).unwrap();
        assert!(!page.contains("data-mode=\"demo\""), "{page}");
        assert_eq!(
            page.matches("data-endpoint=\"http://127.0.0.1:8787/v1/submissions\"")
                .count(),
            2
        );
        assert_eq!(
            page.matches("data-wall-url=\"http://127.0.0.1:8787/v1/wall\"")
                .count(),
            1
        );
        assert!(page.contains("<strong>live mode</strong>"));
        assert!(!page.contains("there is no backend"));
    }

    #[test]
    fn wall_goes_only_to_the_praise_widget() {
        let page = live_index(
            "<script src=\"kudos.js\" data-mode=\"demo\"></script>\n\
             <script src=\"kudos.js\" data-widget=\"newsletter\" data-mode=\"demo\"></script>",
            API,
        )
        .unwrap();
        let (praise, newsletter) = page.split_once('\n').unwrap();
        assert!(praise.contains("data-wall-url"));
        assert!(!newsletter.contains("data-wall-url"));
        assert!(newsletter.contains("data-mode=\"live\" data-endpoint"));
    }

    #[test]
    fn page_without_the_expected_tags_is_refused() {
        assert!(live_index("<p>no widget</p>", API).is_err());
        let only_praise = "<script src=\"kudos.js\" data-mode=\"demo\"></script>";
        assert!(live_index(only_praise, API).is_err());
    }
}
