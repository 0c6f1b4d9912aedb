//! What `kudos-server` does for each subcommand. `serve` runs the HTTP server; the others open
//! the same database, do one thing, print the result on stdout and exit (scripts read it).

use std::io::Write;

use clap::ArgMatches;

use crate::config::{self, Settings};
use crate::http::{self, AppState};
use crate::roster;
use crate::store::{PraiseStatus, Store};

/// A command's failure, for the one line `kudos-server: …` on stderr and exit code 1.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Roster(#[from] roster::RosterError),
    #[error("{0}")]
    Other(String),
}

/// Runs the parsed command line.
pub async fn run(matches: ArgMatches) -> Result<(), CommandError> {
    let (name, sub) = matches
        .subcommand()
        .ok_or_else(|| CommandError::Other("a command is needed (see --help)".into()))?;
    let settings = config::resolve(sub)?;
    init_logs(&settings);
    let store = Store::connect(&settings.database_url).await?;
    let result = match name {
        "serve" => serve(store.clone(), settings).await,
        "praise" => praise(&store, sub).await,
        "staff" => staff(&store, sub).await,
        "erase" => erase(&store, sub).await,
        "admin" => admin(&store, &settings, sub).await,
        other => Err(CommandError::Other(format!("unknown command {other}"))),
    };
    store.close().await;
    result
}

/// Logs go to stderr (stdout is for what commands print). They never carry personal data:
/// handlers log ids, statuses and timings only.
fn init_logs(settings: &Settings) {
    let filter = tracing_subscriber::EnvFilter::try_new(&settings.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

async fn serve(store: Store, settings: Settings) -> Result<(), CommandError> {
    let state = AppState::new(store, settings);
    http::serve(state)
        .await
        .map_err(|err| CommandError::Other(format!("cannot serve: {err}")))
}

async fn praise(store: &Store, matches: &ArgMatches) -> Result<(), CommandError> {
    let mut out = std::io::stdout().lock();
    match matches.subcommand() {
        Some(("list", list)) => {
            let status = match list.get_one::<String>("status") {
                None => None,
                Some(text) => Some(PraiseStatus::parse(text).ok_or_else(|| {
                    CommandError::Other(format!(
                        "unknown status {text:?}: pending_moderation, approved, rejected or spam"
                    ))
                })?),
            };
            let rows = store.praise_list(status).await?;
            let _ = writeln!(
                out,
                "id\tstatus\tsite\treceived\tstaff\tlocation\tpublish\tstory"
            );
            for row in rows {
                let received = time::OffsetDateTime::from_unix_timestamp_nanos(
                    i128::from(row.received_at) * 1_000_000,
                )
                .ok()
                .and_then(|at| {
                    at.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or_default();
                let story: String = row.story.chars().take(60).collect();
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    row.id,
                    row.status,
                    row.site_id,
                    received,
                    row.staff,
                    row.location.unwrap_or_default(),
                    if row.publish_granted { "yes" } else { "no" },
                    story.replace(['\t', '\n'], " ")
                );
            }
            Ok(())
        }
        Some((verb @ ("approve" | "reject"), args)) => {
            let id = args
                .get_one::<String>("id")
                .map(String::as_str)
                .unwrap_or("");
            let status = if verb == "approve" {
                PraiseStatus::Approved
            } else {
                PraiseStatus::Rejected
            };
            if crate::moderation::set_status(store, id, status).await? {
                let _ = writeln!(out, "{id}: {}", status.as_str());
                Ok(())
            } else {
                Err(CommandError::Other(format!("no praise has the id {id}")))
            }
        }
        _ => Err(CommandError::Other("praise list|approve|reject".into())),
    }
}

async fn staff(store: &Store, matches: &ArgMatches) -> Result<(), CommandError> {
    match matches.subcommand() {
        Some(("import", args)) => {
            let path = args
                .get_one::<String>("file")
                .map(String::as_str)
                .unwrap_or("");
            let site = args
                .get_one::<String>("site")
                .map(String::as_str)
                .unwrap_or("default");
            let file = std::fs::File::open(path)
                .map_err(|err| CommandError::Other(format!("cannot open {path}: {err}")))?;
            let records = roster::read_csv(file)?;
            let count = store.upsert_staff(site, &records).await?;
            println!("imported {count} staff into site {site}");
            Ok(())
        }
        Some(("export", args)) => {
            let site = args
                .get_one::<String>("site")
                .map(String::as_str)
                .unwrap_or("default");
            let records = store.staff(site).await?;
            roster::write_csv(&records, std::io::stdout().lock())
                .map_err(|err| CommandError::Other(format!("cannot write CSV: {err}")))
        }
        _ => Err(CommandError::Other(
            "staff import FILE | staff export".into(),
        )),
    }
}

async fn admin(
    store: &Store,
    settings: &Settings,
    matches: &ArgMatches,
) -> Result<(), CommandError> {
    match matches.subcommand() {
        Some(("add", args)) => {
            let email = args
                .get_one::<String>("email")
                .map(String::as_str)
                .unwrap_or("");
            let public_url = settings
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", settings.listen));
            let link = http::owner::add_owner(store, email, &public_url)
                .await
                .map_err(|err| CommandError::Other(err.to_string()))?;
            println!("Open this link within 24 hours to set the password (it works once):");
            println!("{link}");
            Ok(())
        }
        _ => Err(CommandError::Other("admin add EMAIL".into())),
    }
}

async fn erase(store: &Store, matches: &ArgMatches) -> Result<(), CommandError> {
    let email = matches
        .get_one::<String>("email")
        .map(String::as_str)
        .unwrap_or("");
    if !email.contains('@') {
        return Err(CommandError::Other("--email needs an email address".into()));
    }
    let erased = store.erase_email(email).await?;
    println!("praise written by this person deleted: {}", erased.praise);
    println!("newsletter sign-ups deleted: {}", erased.subscriptions);
    println!("staff email addresses removed: {}", erased.staff_emails);
    println!("manager email addresses removed: {}", erased.manager_emails);
    println!("owner accounts removed: {}", erased.owner_accounts);
    Ok(())
}
