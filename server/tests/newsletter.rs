//! The newsletter's double opt-in end to end, on SQLite and PostgreSQL: the real binary, real
//! databases and real SMTP on a loopback port (`support/smtp.rs`). The confirmation email and its
//! link (GET changes nothing, the button confirms); no enumeration (byte-identical replies for a
//! new, pending, confirmed and unsubscribed address); the caps and limits against list-bombing;
//! RFC 8058 one-click unsubscribe; the consent proof round trip with the widget's own wording in
//! both languages; lists; the owner's list, CSV export and erase; the 30-day purge.

#[path = "support/smtp.rs"]
mod smtp;
mod support;

use std::time::{Duration, Instant};

use kudos_widget::core::i18n::{Lang as WidgetLang, Strings};
use kudos_widget::core::newsletter::{consent_text, sha256_hex, NEWSLETTER_CONSENT_VERSION};
use serde_json::{json, Value};
use smtp::{Received, Smtp};
use support::*;

const COMPANY: &str = "Larch Street Market";
const CONTACT: &str = "12 Larch St, Halifax NS, hello@larch.example";
const OWNER: &str = "owner@shop.example";
const PASSWORD: &str = "a long passphrase for the owner";
const DAY: i64 = 86_400;

/// The wording the widget shows for this site, and its SHA-256, exactly as the widget makes them.
fn widget_wording(lang: WidgetLang) -> (String, String) {
    let text = consent_text(&Strings::new(lang), Some(COMPANY), Some(CONTACT));
    let hash = sha256_hex(&text);
    (text, hash)
}

/// A sign-up as the widget sends it, in `lang`, with the widget's real consent record.
fn signup(email: &str, lang: WidgetLang, lists: &[&str]) -> Value {
    let (_, hash) = widget_wording(lang);
    json!({
        "type": "newsletter.subscription_requested",
        "schema_version": 1,
        "id": new_id(),
        "created_at": "2026-11-24T09:30:00.000Z",
        "site": { "url": "https://shop.example/", "title": "Larch Street Market", "language": lang.tag() },
        "data": { "email": email, "first_name": "Evangelina", "lists": lists },
        "consent": { "newsletter": {
            "granted": true,
            "version": NEWSLETTER_CONSENT_VERSION,
            "text_sha256": hash,
            "given_at": "2026-11-24T09:29:40.000Z"
        } },
        "signals": { "honeypot": "", "fill_time_ms": 12000, "attempt": 1 },
        "widget_version": "0.1.0"
    })
}

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
        "--company",
        COMPANY,
        "--contact",
        CONTACT,
    ];
    if !extra
        .iter()
        .any(|a| a.starts_with("--newsletter-per-ip-hour"))
    {
        args.extend_from_slice(&["--newsletter-per-ip-hour", "1000"]);
    }
    args.extend_from_slice(extra);
    Server::start_with(&args, env)
}

/// Posts a sign-up; returns status, the headers that matter (all but Date and the request id)
/// and the body bytes.
async fn sign_up(server: &Server, envelope: &Value, forwarded: Option<&str>) -> Reply {
    let mut request = client()
        .post(server.url("/v1/submissions"))
        .header("origin", ORIGIN)
        .header("content-type", "application/json");
    if let Some(ip) = forwarded {
        request = request.header("x-forwarded-for", ip);
    }
    let response = request.body(envelope.to_string()).send().await.unwrap();
    let status = response.status().as_u16();
    let mut headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "date" | "x-request-id"))
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or("").to_owned()))
        .collect();
    headers.sort();
    let body = response.bytes().await.unwrap().to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
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

/// The statuses of an address's subscriptions on the default site, by list.
async fn statuses(db: &Database, email: &str) -> Vec<(String, String)> {
    let store = store(&db.url).await;
    let subs = store
        .subscribers_of_address("default", &kudos_server::store::email_key(email))
        .await
        .unwrap();
    store.close().await;
    subs.into_iter().map(|s| (s.list_id, s.status)).collect()
}

fn token_of(link: &str) -> String {
    link.split("t=").nth(1).expect("a token").to_owned()
}

async fn get_page(link: &str) -> (u16, String) {
    let response = client().get(link).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Opens the confirmation link (GET: looks only), then presses its button (POST).
async fn confirm(server: &Server, mail: &Received, label: &str) {
    let link = mail.link(label);
    let (status, page) = get_page(&link).await;
    assert_eq!(status, 200, "{page}");
    let response = client()
        .post(server.url("/newsletter/confirm"))
        .form(&[("t", token_of(&link))])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
}

/// The one-click address in `List-Unsubscribe: <…>`.
fn list_unsubscribe(mail: &Received) -> String {
    let value = mail.header("List-Unsubscribe").expect("List-Unsubscribe");
    value
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_owned()
}

/// A signed-in owner: cookie and the CSRF token of the subscribers page.
struct Owner {
    http: reqwest::Client,
    base: String,
    cookie: String,
}

fn cookie_of(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|set| set.strip_prefix("kudos_owner="))
        .and_then(|rest| rest.split(';').next())
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
}

fn csrf_of(body: &str) -> String {
    let marker = r#"name="csrf" value=""#;
    let start = body.find(marker).expect("a CSRF field") + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}

impl Owner {
    async fn sign_in(server: &Server, db: &Database) -> Owner {
        let (ok, out, err) = run_command(&["admin", "add", OWNER, "--database-url", &db.url]);
        assert!(ok, "{err}");
        let link = out
            .lines()
            .find(|line| line.contains("/owner/set-password?token="))
            .unwrap()
            .trim()
            .trim_start_matches("http://127.0.0.1:8787")
            .to_owned();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let mut owner = Owner {
            http,
            base: server.base.clone(),
            cookie: String::new(),
        };
        let form = owner.get(&link).await;
        let token = link.split("token=").nth(1).unwrap().to_owned();
        let csrf = csrf_of(&form);
        owner
            .post(
                "/owner/set-password",
                &[
                    ("csrf", &csrf),
                    ("token", &token),
                    ("password", PASSWORD),
                    ("confirm", PASSWORD),
                ],
            )
            .await;
        let form = owner.get("/owner/sign-in").await;
        let csrf = csrf_of(&form);
        let status = owner
            .post(
                "/owner/sign-in",
                &[("csrf", &csrf), ("email", OWNER), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(status, 303);
        owner
    }

    async fn get(&mut self, path: &str) -> String {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", format!("kudos_owner={}", self.cookie))
            .header("accept-language", "en")
            .send()
            .await
            .unwrap();
        if let Some(cookie) = cookie_of(&response) {
            self.cookie = cookie;
        }
        assert_eq!(response.status().as_u16(), 200, "{path}");
        response.text().await.unwrap()
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> u16 {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", format!("kudos_owner={}", self.cookie))
            .form(form)
            .send()
            .await
            .unwrap();
        if let Some(cookie) = cookie_of(&response) {
            self.cookie = cookie;
        }
        response.status().as_u16()
    }
}

// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn a_sign_up_gets_a_confirmation_email_whose_page_confirms_only_on_its_button() {
    for db in databases().await {
        let smtp = Smtp::start();
        let server = serve(&db, &smtp, &[], &[]);
        let reply = sign_up(
            &server,
            &signup("zoe@example.net", WidgetLang::FrCa, &[]),
            None,
        )
        .await;
        assert_eq!(reply.status, 202);
        assert_eq!(reply.body, br#"{"status":"pending_confirmation"}"#);
        let mail = smtp.wait_for("zoe@example.net", 1).await.remove(0);
        assert_eq!(mail.header("Content-Language").as_deref(), Some("fr-CA"));
        assert!(mail.subject().contains("confirmer"), "{}", mail.subject());
        assert!(
            mail.text().contains("Bonjour Evangelina"),
            "{}",
            mail.text()
        );
        assert_eq!(
            mail.header("List-Unsubscribe-Post").as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
        assert!(list_unsubscribe(&mail).starts_with(&server.url("/newsletter/unsubscribe?t=")));

        // The pending record keeps the consent: version, hash, language, times, /24.
        let store = store(&db.url).await;
        let subs = store.subscribers("default", false).await.unwrap();
        assert_eq!(subs.len(), 1, "{}", db.name);
        let sub = &subs[0];
        assert_eq!(sub.status, "pending");
        assert_eq!(sub.list_id, "newsletter");
        assert_eq!(sub.language, "fr-CA");
        assert_eq!(sub.consent_version, NEWSLETTER_CONSENT_VERSION);
        assert_eq!(sub.consent_text_sha256, widget_wording(WidgetLang::FrCa).1);
        assert_eq!(sub.consent_given_at, "2026-11-24T09:29:40.000Z");
        assert!(sub.consent_received_at > 0);
        assert_eq!(sub.consent_ip_prefix.as_deref(), Some("127.0.0.0/24"));

        // GET looks only (a mail scanner changes nothing), three times over.
        let link = mail.link("Confirmer");
        for _ in 0..3 {
            let (status, page) = get_page(&link).await;
            assert_eq!(status, 200);
            assert!(page.contains("Confirmer mon abonnement"), "{page}");
        }
        assert_eq!(statuses(&db, "zoe@example.net").await[0].1, "pending");
        // A changed token is refused.
        let (status, _) = get_page(&format!("{link}x")).await;
        assert_eq!(status, 400);

        confirm(&server, &mail, "Confirmer").await;
        assert_eq!(statuses(&db, "zoe@example.net").await[0].1, "confirmed");
        let sub = &store.subscribers("default", false).await.unwrap()[0];
        assert!(sub.confirmed_at.is_some());
        let events: Vec<String> = store
            .ledger(&sub.id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.event)
            .collect();
        assert_eq!(events, ["requested", "confirmed"], "{}", db.name);
        // Confirmed: its page says so, and nothing more is confirmed.
        let (status, page) = get_page(&link).await;
        assert_eq!(status, 200);
        assert!(page.contains("déjà confirmé"), "{page}");
        store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn replies_are_identical_for_a_new_pending_confirmed_and_unsubscribed_address() {
    for db in databases().await {
        let smtp = Smtp::start();
        let server = serve(&db, &smtp, &[], &[]);
        let [new, pending, confirmed, unsubscribed] = [
            "new@example.net",
            "pending@example.net",
            "confirmed@example.net",
            "unsubscribed@example.net",
        ];
        // The states.
        for email in [pending, confirmed, unsubscribed] {
            sign_up(&server, &signup(email, WidgetLang::En, &[]), None).await;
        }
        for email in [confirmed, unsubscribed] {
            let mail = smtp.wait_for(email, 1).await.remove(0);
            confirm(&server, &mail, "Confirm").await;
        }
        let mail = smtp.wait_for(unsubscribed, 1).await.remove(0);
        let one_click = client()
            .post(list_unsubscribe(&mail))
            .form(&[("List-Unsubscribe", "One-Click")])
            .send()
            .await
            .unwrap();
        assert_eq!(one_click.status().as_u16(), 200);
        smtp.wait_for(pending, 1).await;
        quiet(&db, 0).await;
        assert_eq!(statuses(&db, pending).await[0].1, "pending");
        assert_eq!(statuses(&db, confirmed).await[0].1, "confirmed");
        assert_eq!(statuses(&db, unsubscribed).await[0].1, "unsubscribed");
        assert!(statuses(&db, new).await.is_empty());

        // One sign-up for each: status, headers and body bytes are the same.
        let mut replies = Vec::new();
        for email in [new, pending, confirmed, unsubscribed] {
            replies.push(sign_up(&server, &signup(email, WidgetLang::En, &[]), None).await);
        }
        for reply in &replies[1..] {
            assert_eq!(reply, &replies[0], "{}", db.name);
        }
        assert_eq!(replies[0].status, 202);
        assert_eq!(replies[0].body, br#"{"status":"pending_confirmation"}"#);

        // Timing within noise: the reply path never reads the address's state.
        let mut times: Vec<Vec<f64>> = vec![Vec::new(); 4];
        for _ in 0..12 {
            for (i, email) in [new, pending, confirmed, unsubscribed].iter().enumerate() {
                let envelope = signup(email, WidgetLang::En, &[]);
                let start = Instant::now();
                let reply = sign_up(&server, &envelope, None).await;
                times[i].push(start.elapsed().as_secs_f64() * 1000.0);
                assert_eq!(reply, replies[0]);
            }
        }
        let medians: Vec<f64> = times
            .iter_mut()
            .map(|t| {
                t.sort_by(f64::total_cmp);
                t[t.len() / 2]
            })
            .collect();
        let (low, high) = (
            medians.iter().copied().fold(f64::MAX, f64::min),
            medians.iter().copied().fold(0.0, f64::max),
        );
        assert!(
            high - low < 50.0 && high < low * 3.0 + 20.0,
            "{}: medians {medians:?} ms",
            db.name
        );

        // What each address got: the confirmed one at most an "already subscribed" note and
        // never a second pending record; the others a confirmation (within the caps).
        quiet(&db, 0).await;
        let to_confirmed = smtp.to(confirmed);
        let already: Vec<_> = to_confirmed
            .iter()
            .filter(|m| m.subject().contains("already subscribed"))
            .collect();
        assert_eq!(already.len(), 1, "{}", db.name);
        assert!(already[0].header("List-Unsubscribe").is_some());
        assert_eq!(
            statuses(&db, confirmed).await,
            [("newsletter".to_owned(), "confirmed".to_owned())]
        );
        assert_eq!(statuses(&db, new).await[0].1, "pending");
        assert_eq!(statuses(&db, unsubscribed).await[0].1, "pending");
        assert!(smtp.to(new)[0].subject().contains("confirm"));
        // Caps hold whatever the number of sign-ups: 2 in 24 h.
        for email in [new, pending, confirmed, unsubscribed] {
            assert!(smtp.to(email).len() <= 2, "{}: {email}", db.name);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn at_most_two_emails_a_day_and_none_after_three_unconfirmed_in_a_week() {
    for db in databases().await {
        let smtp = Smtp::start();
        let target = "bombed@example.net";
        {
            let server = serve(&db, &smtp, &[], &[]);
            for _ in 0..4 {
                sign_up(&server, &signup(target, WidgetLang::En, &[]), None).await;
            }
            quiet(&db, 0).await;
            assert_eq!(smtp.to(target).len(), 2, "{}: two in 24 h", db.name);
        }
        // A day later: a third.
        let later = (DAY + 3600).to_string();
        {
            let env = [("KUDOS_CLOCK_OFFSET_SECS", later.as_str())];
            let server = serve(&db, &smtp, &[], &env);
            sign_up(&server, &signup(target, WidgetLang::En, &[]), None).await;
            quiet(&db, DAY + 3600).await;
            assert_eq!(smtp.to(target).len(), 3, "{}", db.name);
        }
        // Two days later, still within the week: three went unconfirmed, so none.
        let later = (2 * DAY + 7200).to_string();
        {
            let env = [("KUDOS_CLOCK_OFFSET_SECS", later.as_str())];
            let server = serve(&db, &smtp, &[], &env);
            sign_up(&server, &signup(target, WidgetLang::En, &[]), None).await;
            quiet(&db, 2 * DAY + 7200).await;
            assert_eq!(smtp.to(target).len(), 3, "{}: none after three", db.name);
            // Still one pending record.
            assert_eq!(statuses(&db, target).await.len(), 1);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn honeypot_too_fast_and_over_the_address_or_network_limits_send_nothing_and_answer_alike() {
    for db in databases().await {
        let smtp = Smtp::start();
        let server = serve(
            &db,
            &smtp,
            &[
                "--trust-forwarded-for",
                "true",
                "--newsletter-per-ip-hour",
                "2",
                "--newsletter-per-net-hour",
                "3",
            ],
            &[],
        );
        let normal = sign_up(
            &server,
            &signup("ok@example.net", WidgetLang::En, &[]),
            Some("192.0.2.1"),
        )
        .await;
        let mut honeypot = signup("honey@example.net", WidgetLang::En, &[]);
        honeypot["signals"]["honeypot"] = json!("https://spam.example");
        let mut fast = signup("fast@example.net", WidgetLang::En, &[]);
        fast["signals"]["fill_time_ms"] = json!(200);
        let replies = [
            sign_up(&server, &honeypot, Some("198.51.100.1")).await,
            sign_up(&server, &fast, Some("198.51.100.2")).await,
            // Per address: 2 an hour from 192.0.2.1 (ok@ was the first).
            sign_up(
                &server,
                &signup("ip2@example.net", WidgetLang::En, &[]),
                Some("192.0.2.1"),
            )
            .await,
            sign_up(
                &server,
                &signup("ip3@example.net", WidgetLang::En, &[]),
                Some("192.0.2.1"),
            )
            .await,
            // Per /24: 3 an hour from 203.0.113.0/24, whatever the address.
            sign_up(
                &server,
                &signup("net1@example.net", WidgetLang::En, &[]),
                Some("203.0.113.1"),
            )
            .await,
            sign_up(
                &server,
                &signup("net2@example.net", WidgetLang::En, &[]),
                Some("203.0.113.2"),
            )
            .await,
            sign_up(
                &server,
                &signup("net3@example.net", WidgetLang::En, &[]),
                Some("203.0.113.3"),
            )
            .await,
            sign_up(
                &server,
                &signup("net4@example.net", WidgetLang::En, &[]),
                Some("203.0.113.4"),
            )
            .await,
        ];
        for reply in &replies {
            assert_eq!(reply, &normal, "{}", db.name);
        }
        smtp.wait_for("net3@example.net", 1).await;
        quiet(&db, 0).await;
        for email in [
            "ok@example.net",
            "ip2@example.net",
            "net1@example.net",
            "net2@example.net",
            "net3@example.net",
        ] {
            assert_eq!(smtp.to(email).len(), 1, "{}: {email}", db.name);
        }
        for email in [
            "honey@example.net",
            "fast@example.net",
            "ip3@example.net",
            "net4@example.net",
        ] {
            assert!(smtp.to(email).is_empty(), "{}: {email}", db.name);
            assert!(statuses(&db, email).await.is_empty(), "{email}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn one_click_unsubscribe_rfc_8058_needs_no_session_and_the_ledger_keeps_the_withdrawal() {
    for db in databases().await {
        let smtp = Smtp::start();
        let server = serve(&db, &smtp, &[], &[]);
        let email = "leaving@example.net";
        sign_up(
            &server,
            &signup(email, WidgetLang::En, &["weekly", "events"]),
            None,
        )
        .await;
        let mail = smtp.wait_for(email, 1).await.remove(0);
        // One subscription per list, one email for the request.
        assert_eq!(
            statuses(&db, email).await,
            [
                ("events".to_owned(), "pending".to_owned()),
                ("weekly".to_owned(), "pending".to_owned())
            ]
        );
        confirm(&server, &mail, "Confirm").await;
        let url = list_unsubscribe(&mail);
        // The page for people: GET shows a button and changes nothing.
        let (status, page) = get_page(&url).await;
        assert_eq!(status, 200);
        assert!(page.contains("Unsubscribe"), "{page}");
        assert!(statuses(&db, email)
            .await
            .iter()
            .all(|(_, s)| s == "confirmed"));
        // The mail program's one-click POST: no cookie, no CSRF token.
        let before = kudos_server::now_ms();
        let response = client()
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "{}", db.name);
        assert!(statuses(&db, email)
            .await
            .iter()
            .all(|(_, s)| s == "unsubscribed"));
        let store = store(&db.url).await;
        for sub in store
            .subscribers_of_address("default", &kudos_server::store::email_key(email))
            .await
            .unwrap()
        {
            assert!(sub.unsubscribed_at.unwrap() >= before);
            let ledger = store.ledger(&sub.id).await.unwrap();
            let last = ledger.last().unwrap();
            assert_eq!(last.event, "unsubscribed");
            assert_eq!(last.via.as_deref(), Some("one_click"));
            assert!(last.at >= before);
        }
        store.close().await;
        // A forged token changes nothing.
        let forged = url.replace("t=n1.unsub", "t=n1.unsub.x");
        let response = client()
            .post(&forged)
            .body("List-Unsubscribe=One-Click")
            .header("content-type", "application/x-www-form-urlencoded")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 400);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_consent_proof_round_trips_in_both_languages_and_the_owner_exports_and_erases() {
    for db in databases().await {
        let smtp = Smtp::start();
        let server = serve(&db, &smtp, &[], &[]);
        let people = [
            ("anglo@example.net", WidgetLang::En, "Confirm"),
            ("franco@example.net", WidgetLang::FrCa, "Confirmer"),
        ];
        for (email, lang, label) in people {
            sign_up(&server, &signup(email, lang, &[]), None).await;
            let mail = smtp.wait_for(email, 1).await.remove(0);
            confirm(&server, &mail, label).await;
        }
        // A sign-up whose hash is not of the wording this site shows.
        let mut forged = signup("tampered@example.net", WidgetLang::En, &[]);
        forged["consent"]["newsletter"]["text_sha256"] = json!("0".repeat(64));
        sign_up(&server, &forged, None).await;
        smtp.wait_for("tampered@example.net", 1).await;

        // The server recovers the exact wording from version + language, and its hash is the
        // one the widget sent.
        let store = store(&db.url).await;
        for (email, lang, _) in people {
            let sub = store
                .subscribers_of_address("default", &kudos_server::store::email_key(email))
                .await
                .unwrap()
                .remove(0);
            let (text, hash) = widget_wording(lang);
            let site = kudos_server::config::Site {
                company: Some(COMPANY.into()),
                contact: Some(CONTACT.into()),
                ..serde_json::from_value(json!({ "id": "default" })).unwrap()
            };
            let proof = kudos_server::newsletter::consent::proof(
                Some(&site),
                &sub.consent_version,
                &sub.language,
                &sub.consent_text_sha256,
            );
            assert_eq!(proof.text.as_deref(), Some(text.as_str()));
            assert_eq!(proof.sha256.as_deref(), Some(hash.as_str()));
            assert!(proof.matches, "{}: {email}", db.name);
        }
        store.close().await;

        let mut owner = Owner::sign_in(&server, &db).await;
        let page = owner.get("/owner/subscribers").await;
        assert_eq!(page.matches("proof matches").count(), 2, "{page}");
        assert_eq!(page.matches("proof differs").count(), 1, "{page}");
        assert!(page.contains("Larch Street Market may email me"), "{page}");

        // The export: confirmed subscribers only, with their consent fields and the wording.
        let csv_text = owner.get("/owner/subscribers.csv").await;
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2, "{csv_text}");
        let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
        for row in &rows {
            let lang = if &row[column("language")] == "fr-CA" {
                WidgetLang::FrCa
            } else {
                WidgetLang::En
            };
            let (text, hash) = widget_wording(lang);
            assert_eq!(&row[column("consent_text")], text);
            assert_eq!(&row[column("consent_text_sha256")], hash);
            assert_eq!(sha256_hex(&row[column("consent_text")]), hash);
            assert_eq!(&row[column("consent_text_matches")], "yes");
            assert_eq!(&row[column("consent_version")], NEWSLETTER_CONSENT_VERSION);
            assert_eq!(&row[column("consent_ip_prefix")], "127.0.0.0/24");
            assert!(!row[column("confirmed_at")].is_empty());
        }

        // Erase one person from the owner's pages.
        let csrf = csrf_of(&page);
        let status = owner
            .post(
                "/owner/subscribers/erase",
                &[("csrf", &csrf), ("email", "franco@example.net")],
            )
            .await;
        assert_eq!(status, 303);
        assert!(statuses(&db, "franco@example.net").await.is_empty());
        assert_eq!(statuses(&db, "anglo@example.net").await.len(), 1);
        // Without the CSRF token: refused.
        let status = owner
            .post(
                "/owner/subscribers/erase",
                &[("email", "anglo@example.net")],
            )
            .await;
        assert_eq!(status, 403);
        assert_eq!(statuses(&db, "anglo@example.net").await.len(), 1);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn unconfirmed_sign_ups_are_deleted_after_thirty_days_and_confirmed_ones_stay() {
    for db in databases().await {
        let smtp = Smtp::start();
        {
            let server = serve(&db, &smtp, &[], &[]);
            for email in ["forgot@example.net", "kept@example.net"] {
                sign_up(&server, &signup(email, WidgetLang::En, &[]), None).await;
            }
            let mail = smtp.wait_for("kept@example.net", 1).await.remove(0);
            confirm(&server, &mail, "Confirm").await;
            smtp.wait_for("forgot@example.net", 1).await;
            quiet(&db, 0).await;
        }
        let later = (31 * DAY).to_string();
        let _server = serve(&db, &smtp, &[], &[("KUDOS_CLOCK_OFFSET_SECS", &later)]);
        let mut gone = false;
        for _ in 0..100 {
            if statuses(&db, "forgot@example.net").await.is_empty() {
                gone = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(gone, "{}: the unconfirmed sign-up is still there", db.name);
        assert_eq!(statuses(&db, "kept@example.net").await[0].1, "confirmed");
    }
}

/// A stand-in for listmonk's API on a loopback port: records each request (request line,
/// headers, body) and answers `200 {"data":{}}`.
fn listmonk() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = std::sync::Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
                head.push_str(&line);
            }
            let mut body = vec![0u8; length];
            let _ = reader.read_exact(&mut body);
            sink.lock()
                .unwrap()
                .push(format!("{head}\r\n{}", String::from_utf8_lossy(&body)));
            let reply = "{\"data\":{}}";
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
                reply.len()
            );
        }
    });
    (url, seen)
}

#[tokio::test(flavor = "multi_thread")]
async fn confirmed_subscribers_are_forwarded_to_listmonk_pre_confirmed_with_their_consent() {
    for db in databases().await {
        let smtp = Smtp::start();
        let (url, seen) = listmonk();
        let server = serve(
            &db,
            &smtp,
            &[
                "--listmonk-url",
                &url,
                "--listmonk-user",
                "kudos",
                "--listmonk-token",
                "s3cret-token",
                "--listmonk-lists",
                "weekly=3,events=4",
            ],
            &[],
        );
        let email = "forwarded@example.net";
        sign_up(
            &server,
            &signup(email, WidgetLang::En, &["weekly", "events"]),
            None,
        )
        .await;
        let mail = smtp.wait_for(email, 1).await.remove(0);
        quiet(&db, 0).await;
        assert!(
            seen.lock().unwrap().is_empty(),
            "nothing before the confirmation"
        );
        confirm(&server, &mail, "Confirm").await;
        for _ in 0..100 {
            if !seen.lock().unwrap().is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let requests = seen.lock().unwrap().clone();
        assert_eq!(requests.len(), 1, "{}: {requests:?}", db.name);
        let request = &requests[0];
        assert!(
            request.starts_with("POST /api/subscribers HTTP/1.1"),
            "{request}"
        );
        assert!(
            request
                .to_ascii_lowercase()
                .contains("authorization: token kudos:s3cret-token"),
            "{request}"
        );
        let body: Value = serde_json::from_str(request.split("\r\n\r\n").nth(1).unwrap()).unwrap();
        assert_eq!(body["email"], email);
        assert_eq!(body["status"], "enabled");
        assert_eq!(body["preconfirm_subscriptions"], true);
        assert_eq!(body["lists"], json!([3, 4]));
        let consent = &body["attribs"]["kudos_consent"];
        assert_eq!(consent["version"], NEWSLETTER_CONSENT_VERSION);
        assert_eq!(consent["text_sha256"], widget_wording(WidgetLang::En).1);
        assert_eq!(consent["ip_prefix"], "127.0.0.0/24");
        // The token never reaches the logs.
        assert!(!server.logs().contains("s3cret-token"));
    }
}
