//! Notifications end to end, on SQLite and PostgreSQL: the real binary, real databases, and a
//! real SMTP exchange with a small SMTP server on a loopback port (`support/smtp.rs`: EHLO, MAIL,
//! RCPT, DATA, QUIT; no mocked transport). Who hears about praise, in which language, with text and
//! HTML; signed links that work once (and tampered, expired, replayed ones refused, GET changing
//! nothing); a server killed between enqueue and send; two instances on one PostgreSQL; the
//! weekly digest; the `.eml` folder and its viewer; the queue's retries, leases and failures.

#[path = "support/smtp.rs"]
mod smtp;
mod support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::{json, Value};
use smtp::{Received, Smtp};
use support::*;

use kudos_server::store::{JobEnd, JobKind, NewJob, PraiseStatus};

const STORY: &str = "She found my lost glove in the cart corral and ran it out to the bus stop.";
const LEAD: &str = "lead@shop.example";
const MARIBEL: &str = "maribel@shop.example";

// ---------------------------------------------------------------------------------------------
// Helpers.

fn serve(db: &Database, smtp: &Smtp, extra: &[&str], env: &[(&str, &str)]) -> Server {
    let url = smtp.url();
    let mut args = vec![
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--database-url",
        &db.url,
        "--allowed-origin",
        ORIGIN,
        "--ip-rate-per-minute",
        "100000",
        "--site-rate-per-minute",
        "100000",
        "--smtp-url",
        &url,
        "--mail-from",
        "Larch Kudos <kudos@larch.example>",
    ];
    args.extend_from_slice(extra);
    Server::start_with(&args, env)
}

fn import_roster(db: &Database, csv: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("staff.csv");
    std::fs::write(&path, csv).unwrap();
    let (ok, _, err) = run_command(&[
        "staff",
        "import",
        path.to_str().unwrap(),
        "--database-url",
        &db.url,
    ]);
    assert!(ok, "{err}");
}

const ROSTER: &str = "id,name,role,location,nicknames,email,manager_email\n\
    m-204,Maribel Ortiz,Cashier,Larch Street,,maribel@shop.example,lead@shop.example\n";

async fn status(db: &Database, id: &str) -> String {
    let store = store(&db.url).await;
    let row = store
        .praise_list(None)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.id == id)
        .expect("the praise");
    store.close().await;
    row.status
}

/// Waits until no job is due or running at the server's clock (`offset_secs` ahead).
async fn quiet(db: &Database, offset_secs: i64) {
    let store = store(&db.url).await;
    for _ in 0..300 {
        let now = kudos_server::now_ms() + offset_secs * 1000;
        if store.jobs_outstanding(now).await.unwrap() == 0 {
            store.close().await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{}: jobs still outstanding", db.name);
}

async fn post_ok(server: &Server, envelope: &Value) {
    let response = post(server, envelope.to_string()).await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
}

fn token_of(link: &str) -> String {
    link.split_once("?t=").expect("a token").1.to_owned()
}

async fn decide(server: &Server, link: &str) -> (u16, String) {
    let response = client()
        .post(server.url("/links"))
        .form(&[("t", token_of(link))])
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn look(server: &Server, link: &str) -> (u16, String) {
    let response = client()
        .get(server.url(&format!("/links?t={}", token_of(link))))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn assert_no_personal_data(server: &Server, secrets: &[&str]) {
    let logs = server.logs();
    assert!(logs.contains("email sent"), "the runner logged: {logs}");
    for secret in secrets {
        assert!(
            !logs.contains(secret),
            "the log contains {secret:?}:\n{logs}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Tests.

#[tokio::test]
async fn the_manager_hears_new_praise_and_decides_once_through_the_link() {
    for db in databases().await {
        import_roster(&db, ROSTER);
        let smtp = Smtp::start();
        let server = serve(&db, &smtp, &[], &[]);
        let envelope = praise("Maribel Ortiz", STORY);
        let id = envelope["id"].as_str().unwrap().to_owned();
        post_ok(&server, &envelope).await;

        let mail = smtp.wait_for(LEAD, 1).await.remove(0);
        assert_eq!(mail.from, "kudos@larch.example", "{}", db.name);
        assert_eq!(mail.to, [LEAD]);
        assert_eq!(mail.subject(), "A visitor thanked Maribel Ortiz");
        assert!(mail.data.contains("multipart/alternative"), "{}", mail.data);
        assert!(mail.text().contains(STORY) && mail.text().contains("Larch Street"));
        assert!(mail.html().contains("<html lang=\"en\">") && mail.html().contains(STORY));
        assert!(!mail.data.contains("visitor.private@example.net"));
        assert!(mail.message_id().ends_with("kudos@larch.example"));
        assert!(mail.data.contains("Auto-Submitted: auto-generated"));
        assert!(mail.data.contains("Content-Language: en"));
        let approve = mail.link("Approve");
        let reject = mail.link("Reject");
        assert!(approve.starts_with(&server.url("/links?t=")), "{approve}");
        assert!(mail.html().contains(&approve.replace('&', "&amp;")));

        // A GET (a mail scanner's prefetch, or the manager looking) changes nothing.
        let (code, page) = look(&server, &approve).await;
        assert_eq!(code, 200, "{page}");
        assert!(page.contains("Approve this praise?") && page.contains("method=\"post\""));
        assert_eq!(status(&db, &id).await, "pending_moderation", "{}", db.name);

        // A tampered link: refused, by GET and POST alike, and nothing changes.
        let mut tampered = approve.clone();
        let last = tampered.pop().unwrap();
        tampered.push(if last == 'A' { 'B' } else { 'A' });
        assert_eq!(look(&server, &tampered).await.0, 400);
        assert_eq!(decide(&server, &tampered).await.0, 400);
        let forged = approve.replacen(&id, "00000000-0000-4000-8000-000000000000", 1);
        assert_eq!(decide(&server, &forged).await.0, 400);
        assert_eq!(status(&db, &id).await, "pending_moderation");

        // The POST decides, once.
        let (code, page) = decide(&server, &approve).await;
        assert_eq!(code, 200, "{page}");
        assert_eq!(status(&db, &id).await, "approved", "{}", db.name);
        let (code, page) = decide(&server, &approve).await;
        assert_eq!(code, 409, "a replayed link: {page}");
        assert!(page.contains("already used"));
        assert_eq!(look(&server, &approve).await.0, 409);
        assert_eq!(
            decide(&server, &reject).await.0,
            409,
            "one email, one decision"
        );
        assert_eq!(status(&db, &id).await, "approved");

        // Approved: the employee hears it; the visitor gave no contact consent.
        let employee = smtp.wait_for(MARIBEL, 1).await.remove(0);
        assert_eq!(employee.subject(), "A visitor thanked you");
        assert!(employee.text().starts_with("Hi Maribel,") && employee.text().contains(STORY));
        quiet(&db, 0).await;
        assert_eq!(smtp.all().len(), 2, "{}: manager + employee only", db.name);
        assert_no_personal_data(
            &server,
            &[
                LEAD,
                MARIBEL,
                "glove",
                "visitor.private@example.net",
                "Visitor Q. Private",
            ],
        );
    }
}

#[tokio::test]
async fn french_praise_gets_french_mail_and_only_reachable_willing_people_hear_back() {
    for db in databases().await {
        import_roster(
            &db,
            "id,name,role,location,nicknames,email,manager_email,wants_email\n\
             c-1,Christine Roy,Caissière,Rue Larch,,christine@shop.example,gerante@shop.example,yes\n\
             d-7,Dev Anand,Stock,,,dev@shop.example,gerante@shop.example,no\n\
             e-3,Eva Lind,,,,,gerante@shop.example,yes\n",
        );
        let smtp = Smtp::start();
        let server = serve(&db, &smtp, &[], &[]);

        let mut french = praise(
            "Christine Roy",
            "Elle a emballé mes œufs avec un soin incroyable, merci!",
        );
        french["site"]["language"] = json!("fr-CA");
        french["data"]["staff_id"] = json!("c-1");
        french["data"]["visitor_email"] = json!("ana.visiteuse@example.org");
        french["consent"]["contact"] =
            json!({"granted": true, "version": "praise-contact-2026-11"});
        let unwilling = praise("Dev Anand", STORY); // wants_email = no; no contact consent
        let mut unreachable = praise("Eva Lind", STORY); // no email on the roster
        unreachable["consent"]["contact"] =
            json!({"granted": true, "version": "praise-contact-2026-11"});
        unreachable["data"]
            .as_object_mut()
            .unwrap()
            .remove("visitor_email");
        for envelope in [&french, &unwilling, &unreachable] {
            post_ok(&server, envelope).await;
        }
        let managers = smtp.wait_for("gerante@shop.example", 3).await;
        let fr = managers
            .iter()
            .find(|m| m.subject() == "Des remerciements pour Christine Roy")
            .unwrap_or_else(|| panic!("{}: no French manager mail", db.name));
        assert!(fr.link("Approuver").contains("/links?t=v1.approve."));
        assert!(fr.link("Refuser").contains("/links?t=v1.reject."));
        assert!(fr.text().contains("Quand") && fr.html().contains("<html lang=\"fr-CA\">"));
        assert!(fr.data.contains("Content-Language: fr-CA"));

        for envelope in [&french, &unwilling, &unreachable] {
            let id = envelope["id"].as_str().unwrap();
            let (ok, _, err) = run_command(&["praise", "approve", id, "--database-url", &db.url]);
            assert!(ok, "{err}");
        }
        let employee = smtp.wait_for("christine@shop.example", 1).await.remove(0);
        assert_eq!(employee.subject(), "Une personne vous remercie");
        assert!(employee.text().starts_with("Bonjour Christine,"));
        let visitor = smtp
            .wait_for("ana.visiteuse@example.org", 1)
            .await
            .remove(0);
        assert_eq!(
            visitor.subject(),
            "Vos remerciements ont été transmis à Christine Roy"
        );
        assert!(visitor.text().contains("Bonjour Visitor Q. Private,"));
        quiet(&db, 0).await;
        assert!(smtp.to("dev@shop.example").is_empty(), "Dev said no");
        assert!(
            smtp.to("visitor.private@example.net").is_empty(),
            "no contact consent, no email"
        );
        assert_eq!(
            smtp.all().len(),
            5,
            "{}: 3 managers, 1 employee, 1 visitor",
            db.name
        );

        // Approving again queues nothing new.
        let id = french["id"].as_str().unwrap();
        let (ok, _, _) = run_command(&["praise", "reject", id, "--database-url", &db.url]);
        assert!(ok);
        let (ok, _, _) = run_command(&["praise", "approve", id, "--database-url", &db.url]);
        assert!(ok);
        quiet(&db, 0).await;
        assert_eq!(smtp.all().len(), 5, "{}", db.name);
        assert_no_personal_data(
            &server,
            &[
                "christine@shop.example",
                "ana.visiteuse",
                "gerante@",
                "œufs",
            ],
        );
    }
}

#[tokio::test]
async fn a_refused_email_is_retried_after_its_backoff_and_a_permanent_refusal_is_kept_failed() {
    for db in databases().await {
        import_roster(&db, ROSTER);
        let smtp = Smtp::start();
        // The replies quote the address, as real servers do: it must not reach a log or the job.
        smtp.refuse_next("451 4.3.0 mailbox busy for <lead@shop.example>, try later");
        let first = praise("Maribel Ortiz", STORY);
        {
            let server = serve(&db, &smtp, &[], &[]);
            post_ok(&server, &first).await;
            let store = store(&db.url).await;
            let mut waiting = None;
            for _ in 0..300 {
                let jobs = store.jobs().await.unwrap();
                if let Some(job) = jobs.iter().find(|j| j.last_error.is_some()) {
                    waiting = Some(job.clone());
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            store.close().await;
            let job = waiting.unwrap_or_else(|| panic!("{}: no retry recorded", db.name));
            assert_eq!(
                (job.status.as_str(), job.attempts),
                ("queued", 1),
                "{}",
                db.name
            );
            let error = job.last_error.unwrap();
            assert!(error.contains("451") && !error.contains("lead@"), "{error}");
            assert!(smtp.all().is_empty());
            assert!(!server.logs().contains("lead@"), "{}", server.logs());
        }
        // Past the first backoff (30 s; the clock knob moves past it), the retry goes out.
        let later = 90;
        let later_text = later.to_string();
        let server = serve(&db, &smtp, &[], &[("KUDOS_CLOCK_OFFSET_SECS", &later_text)]);
        smtp.wait_for(LEAD, 1).await;

        // A permanent refusal (5xx) is not retried: the job is kept as failed, with the code.
        smtp.refuse_next("550 5.1.1 <lead@shop.example>: no such user");
        let second = praise(
            "Maribel Ortiz",
            "She carried twelve heavy bags to my car in the rain.",
        );
        post_ok(&server, &second).await;
        quiet(&db, later).await;
        let store = store(&db.url).await;
        let jobs = store.jobs().await.unwrap();
        store.close().await;
        let failed: Vec<_> = jobs.iter().filter(|j| j.status == "failed").collect();
        assert_eq!(failed.len(), 1, "{}: {jobs:?}", db.name);
        assert_eq!(failed[0].subject, second["id"].as_str().unwrap());
        assert_eq!(failed[0].attempts, 1);
        let error = failed[0].last_error.as_deref().unwrap();
        assert!(error.contains("550") && !error.contains("lead@"), "{error}");
        assert_eq!(smtp.to(LEAD).len(), 1, "{}", db.name);
        assert!(!server.logs().contains("lead@"), "{}", server.logs());
    }
}

#[tokio::test]
async fn expired_links_are_refused_and_change_nothing() {
    for db in databases().await {
        import_roster(&db, ROSTER);
        let smtp = Smtp::start();
        let envelope = praise("Maribel Ortiz", STORY);
        let id = envelope["id"].as_str().unwrap().to_owned();
        let approve = {
            let server = serve(&db, &smtp, &[], &[]);
            post_ok(&server, &envelope).await;
            smtp.wait_for(LEAD, 1).await[0].link("Approve")
        };
        // Fifteen days later (the server's clock, moved by the documented test knob).
        let later = (15 * 86_400).to_string();
        let server = serve(&db, &smtp, &[], &[("KUDOS_CLOCK_OFFSET_SECS", &later)]);
        let (code, page) = look(&server, &approve).await;
        assert_eq!(code, 410, "{}: {page}", db.name);
        assert!(page.contains("expired"));
        assert_eq!(decide(&server, &approve).await.0, 410);
        assert_eq!(status(&db, &id).await, "pending_moderation", "{}", db.name);
    }
}

#[tokio::test]
async fn a_server_killed_between_enqueue_and_send_sends_once_after_restart() {
    for db in databases().await {
        import_roster(&db, ROSTER);
        let smtp = Smtp::start();
        smtp.shared.hold.store(true, Ordering::SeqCst);
        let mut first = serve(&db, &smtp, &[], &[]);
        post_ok(&first, &praise("Maribel Ortiz", STORY)).await;
        for _ in 0..300 {
            if smtp.shared.held.load(Ordering::SeqCst) == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(
            smtp.shared.held.load(Ordering::SeqCst),
            1,
            "{}: the send began",
            db.name
        );
        first.kill(); // SIGKILL mid-send: the mail server never said 250
        for _ in 0..100 {
            if smtp.shared.dropped.load(Ordering::SeqCst) == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(smtp.to(LEAD).is_empty());
        smtp.shared.hold.store(false, Ordering::SeqCst);

        // Restarted after the job's lease has passed (5 minutes; the clock knob moves past it).
        let offset = 6 * 60;
        let offset_text = offset.to_string();
        let _second = serve(
            &db,
            &smtp,
            &[],
            &[("KUDOS_CLOCK_OFFSET_SECS", &offset_text)],
        );
        smtp.wait_for(LEAD, 1).await;
        quiet(&db, offset).await;
        assert_eq!(smtp.to(LEAD).len(), 1, "{}: exactly once", db.name);
        let store = store(&db.url).await;
        let jobs = store.jobs().await.unwrap();
        let manager = jobs
            .iter()
            .find(|job| job.kind == "notify_manager")
            .unwrap();
        assert_eq!(
            (manager.status.as_str(), manager.attempts),
            ("done", 2),
            "{}",
            db.name
        );
        assert_eq!(store.deliveries_sent("manager").await.unwrap(), 1);
        store.close().await;
    }
}

#[tokio::test]
async fn two_instances_on_one_postgres_send_each_mail_once() {
    let Some(db) = postgres().await else {
        return;
    };
    import_roster(&db, ROSTER);
    let smtp = Smtp::start();
    let servers = [serve(&db, &smtp, &[], &[]), serve(&db, &smtp, &[], &[])];
    let count = 16;
    for n in 0..count {
        let envelope = praise("Maribel Ortiz", &format!("{STORY} Visit number {n}."));
        post_ok(&servers[n % 2], &envelope).await;
    }
    let mails = smtp.wait_for(LEAD, count).await;
    quiet(&db, 0).await;
    let mails = if mails.len() < smtp.to(LEAD).len() {
        smtp.to(LEAD)
    } else {
        mails
    };
    assert_eq!(mails.len(), count, "each praise's manager mail once");
    let mut ids: Vec<String> = mails.iter().map(Received::message_id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count);
    for n in 0..count {
        let needle = format!("Visit number {n}.");
        assert_eq!(
            mails.iter().filter(|m| m.text().contains(&needle)).count(),
            1,
            "{needle}"
        );
    }
    let both_ran = servers
        .iter()
        .filter(|server| server.logs().contains("email sent"))
        .count();
    assert!(both_ran >= 1);
}

#[tokio::test]
async fn a_weekly_site_sends_one_digest_per_manager_per_week() {
    for db in databases().await {
        import_roster(
            &db,
            "id,name,role,location,nicknames,email,manager_email\n\
             a-1,Ada Park,,,,,north@shop.example\n\
             b-2,Bo Chen,,,,,north@shop.example\n\
             c-3,Cy Diaz,,,,,south@shop.example\n",
        );
        let smtp = Smtp::start();
        {
            let server = serve(&db, &smtp, &["--notify", "weekly"], &[]);
            for (staff, story) in [
                (
                    "Ada Park",
                    "Ada carried our stroller up the stairs at the station.",
                ),
                (
                    "Bo Chen",
                    "Bo found a gluten-free cake for my son's birthday.",
                ),
                ("Cy Diaz", "Cy stayed late so we could pick up our order."),
            ] {
                post_ok(&server, &praise(staff, story)).await;
            }
            quiet(&db, 0).await;
            assert!(smtp.all().is_empty(), "{}: no mail per praise", db.name);
        }
        // A week later the digest of the week that ended goes out: one per manager.
        let week = 7 * 86_400;
        let week_text = week.to_string();
        {
            let _server = serve(
                &db,
                &smtp,
                &["--notify", "weekly"],
                &[("KUDOS_CLOCK_OFFSET_SECS", &week_text)],
            );
            let north = smtp.wait_for("north@shop.example", 1).await.remove(0);
            let south = smtp.wait_for("south@shop.example", 1).await.remove(0);
            assert!(north.subject().ends_with("2 notes"), "{}", north.subject());
            assert!(north.text().contains("stroller") && north.text().contains("gluten-free"));
            assert!(!north.text().contains("stayed late"));
            assert_eq!(north.text().matches("Approve: ").count(), 2);
            assert!(south.subject().ends_with("1 note"), "{}", south.subject());
            quiet(&db, week).await;
        }
        // Restarted in the same week: the digest is not sent again.
        {
            let _server = serve(
                &db,
                &smtp,
                &["--notify", "weekly"],
                &[("KUDOS_CLOCK_OFFSET_SECS", &week_text)],
            );
            tokio::time::sleep(Duration::from_secs(2)).await;
            quiet(&db, week).await;
        }
        assert_eq!(
            smtp.all().len(),
            2,
            "{}: once per manager and week",
            db.name
        );
    }
}

#[tokio::test]
async fn without_smtp_mail_becomes_eml_files_that_the_dev_viewer_shows() {
    let db = sqlite();
    import_roster(&db, ROSTER);
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_str().unwrap().to_owned();
    let server = Server::start(
        &db.url,
        &["--data-dir", &data_dir, "--dev-mail-viewer", "true"],
    );
    post_ok(&server, &praise("Maribel Ortiz", STORY)).await;
    let folder = dir.path().join("outbox-mail");
    let mut names = Vec::new();
    for _ in 0..300 {
        names = std::fs::read_dir(&folder)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.file_name().into_string().unwrap())
                    .filter(|n| n.ends_with(".eml"))
                    .collect()
            })
            .unwrap_or_default();
        if !names.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(names.len(), 1, "one .eml file");
    let eml = std::fs::read_to_string(folder.join(&names[0])).unwrap();
    assert!(eml.contains("To: lead@shop.example") && eml.contains("multipart/alternative"));

    let list = client().get(server.url("/dev/mail")).send().await.unwrap();
    assert_eq!(list.status(), 200);
    assert!(list
        .text()
        .await
        .unwrap()
        .contains("A visitor thanked Maribel Ortiz"));
    let one = client()
        .get(server.url(&format!("/dev/mail/{}", names[0])))
        .send()
        .await
        .unwrap();
    let page = one.text().await.unwrap();
    assert!(
        page.contains("<a href=\"http://127.0.0.1:") && page.contains("/links?t=v1.approve."),
        "{page}"
    );
    let html = client()
        .get(server.url(&format!("/dev/mail/{}/html", names[0])))
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), 200);
    assert!(html.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
    let escape = client()
        .get(server.url("/dev/mail/..%2Fkudos.db"))
        .send()
        .await
        .unwrap();
    assert_eq!(escape.status(), 404);

    // Off by default.
    let plain = Server::start(&db.url, &["--data-dir", &data_dir]);
    let response = client().get(plain.url("/dev/mail")).send().await.unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn a_claimed_batch_ends_in_one_call_and_a_lost_lease_keeps_the_new_holders_outcome() {
    for db in databases().await {
        let store = store(&db.url).await;
        for n in 0..3 {
            let job = NewJob {
                kind: JobKind::NotifyVisitor,
                subject: format!("p-{n}"),
                dedupe_key: format!("test:batch:{n}"),
                run_at: 1_000,
            };
            assert!(store.enqueue(&job, 1_000).await.unwrap());
        }
        // A short lease for the last job: it passes, and a second claim takes that job over.
        let mut batch = store.claim_jobs(1_000, 100, 2).await.unwrap();
        let late = store.claim_jobs(1_000, 10, 1).await.unwrap().remove(0);
        let taken_over = store.claim_jobs(1_010, 100, 8).await.unwrap().remove(0);
        assert_eq!(taken_over.id, late.id, "{}", db.name);
        batch.push(late);
        let ends = vec![
            (batch[0].clone(), JobEnd::Done("sent".into())),
            (
                batch[1].clone(),
                JobEnd::Failed {
                    error: "smtp reply 451".into(),
                    retry_at: Some(5_000),
                },
            ),
            (batch[2].clone(), JobEnd::Done("late".into())),
        ];
        let recorded = store.end_jobs(&ends, 1_020).await.unwrap();
        assert_eq!(recorded, [true, true, false], "{}", db.name);

        let rows = store.jobs().await.unwrap();
        let row = |id: &str| rows.iter().find(|row| row.id == id).unwrap();
        assert_eq!(row(&batch[0].id).status, "done");
        assert_eq!(row(&batch[0].id).outcome.as_deref(), Some("sent"));
        assert_eq!(row(&batch[1].id).status, "queued");
        assert_eq!(row(&batch[1].id).run_at, 5_000);
        // The late holder's "done" did not overwrite the job the new holder is running.
        assert_eq!(row(&taken_over.id).status, "running", "{}", db.name);
        assert_eq!(row(&taken_over.id).outcome, None);
    }
}

#[tokio::test]
async fn the_queue_retries_with_backoff_reclaims_lost_leases_and_keeps_failures() {
    for db in databases().await {
        let store = store(&db.url).await;
        let job = NewJob {
            kind: JobKind::NotifyVisitor,
            subject: "p-1".into(),
            dedupe_key: "test:p-1".into(),
            run_at: 1_000,
        };
        assert!(store.enqueue(&job, 1_000).await.unwrap());
        assert!(
            !store.enqueue(&job, 1_000).await.unwrap(),
            "one job per event"
        );

        let first = store.claim_jobs(1_000, 100, 8).await.unwrap();
        assert_eq!(first.len(), 1, "{}", db.name);
        assert_eq!(first[0].attempts, 1);
        assert!(
            store.claim_jobs(1_050, 100, 8).await.unwrap().is_empty(),
            "leased"
        );
        // The lease passed (its process died): claimed again, and the old holder can't finish it.
        let second = store.claim_jobs(1_100, 100, 8).await.unwrap().remove(0);
        assert_eq!(second.attempts, 2);
        assert!(!store.finish_job(&first[0], "late", 1_150).await.unwrap());

        // A temporary failure waits for its backoff.
        let retry_at = 1_100 + kudos_server::jobs::backoff_ms(second.attempts);
        assert!(store
            .fail_job(&second, "smtp reply 451", Some(retry_at), 1_100)
            .await
            .unwrap());
        assert!(store
            .claim_jobs(retry_at - 1, 100, 8)
            .await
            .unwrap()
            .is_empty());
        let mut now = retry_at;
        let mut held = store.claim_jobs(now, 100, 8).await.unwrap().remove(0);
        assert_eq!(held.attempts, 3);
        // Until the attempts run out: then it is kept as failed, with its last error.
        while held.attempts < kudos_server::jobs::MAX_ATTEMPTS {
            now += 1_000_000;
            assert!(store
                .fail_job(&held, "smtp reply 451", Some(now), now)
                .await
                .unwrap());
            held = store.claim_jobs(now, 100, 8).await.unwrap().remove(0);
        }
        assert!(store
            .fail_job(&held, "smtp reply 451", Some(now + 1), now)
            .await
            .unwrap());
        assert!(store
            .claim_jobs(now + 10_000_000, 100, 8)
            .await
            .unwrap()
            .is_empty());
        let rows = store.jobs().await.unwrap();
        assert_eq!(rows[0].status, "failed", "{}", db.name);
        assert_eq!(rows[0].last_error.as_deref(), Some("smtp reply 451"));
        assert_eq!(rows[0].attempts, kudos_server::jobs::MAX_ATTEMPTS);

        // Moderation enqueues the approval's notices in its own transaction, once.
        assert_eq!(
            store
                .moderate("no-such-praise", PraiseStatus::Approved, now, None)
                .await
                .unwrap(),
            kudos_server::store::Moderated::NotFound
        );
        store.close().await;
    }
}
