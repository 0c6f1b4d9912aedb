//! The HTTP contract of kudos-server, on SQLite and on PostgreSQL: the real binary on a
//! loopback port, a real HTTP client, real databases. Every reply body is checked against
//! `docs/schema/reply.v1.json`, every wall page against `docs/schema/wall.v1.json`.

mod support;

use serde_json::{json, Value};
use support::*;

use kudos_server::store::PraiseStatus;

const STORY: &str = "She repacked my groceries so nothing got crushed, and smiled the whole time.";

async fn approve(url: &str, id: &str) {
    let store = store(url).await;
    assert!(store
        .set_praise_status(id, PraiseStatus::Approved, kudos_server::now_ms())
        .await
        .unwrap());
    store.close().await;
}

async fn wall(server: &Server, query: &str) -> Value {
    let response = client()
        .get(server.url(&format!("/v1/wall{query}")))
        .header("origin", ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "GET /v1/wall{query}");
    let page: Value = response.json().await.unwrap();
    assert_schema("wall.v1.json", &page);
    page
}

#[tokio::test]
async fn praise_and_sign_ups_are_stored_once_and_answered_alike_on_repeat() {
    for db in databases().await {
        let server = Server::start(&db.url, &[]);
        let envelope = praise("Maribel", STORY);
        let (status, headers, first) = reply_json(post(&server, envelope.to_string()).await).await;
        assert_eq!(
            (status, &first),
            (202, &json!({"status": "pending_moderation"})),
            "{}",
            db.name
        );
        assert_eq!(headers["access-control-allow-origin"], ORIGIN);

        // A retry carries the same id and a higher attempt: the first reply, no second row.
        let mut retry = envelope.clone();
        retry["signals"]["attempt"] = json!(2);
        let (status, _, again) = reply_json(post(&server, retry.to_string()).await).await;
        assert_eq!((status, again), (202, first), "{}", db.name);

        let sign_up = newsletter("ana@example.org");
        let (status, _, reply) = reply_json(post(&server, sign_up.to_string()).await).await;
        assert_eq!(
            (status, reply),
            (202, json!({"status": "pending_confirmation"}))
        );

        let store = store(&db.url).await;
        assert_eq!(store.count_submissions().await.unwrap(), 2, "{}", db.name);
        let listed = store.praise_list(None).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].status, "pending_moderation");
        store.close().await;
    }
}

#[tokio::test]
async fn an_auto_publish_site_answers_accepted_and_spam_is_kept_but_never_shown() {
    for db in databases().await {
        let server = Server::start(&db.url, &["--auto-publish", "true"]);
        let good = praise("Maribel", STORY);
        let (_, _, reply) = reply_json(post(&server, good.to_string()).await).await;
        assert_eq!(reply, json!({"status": "accepted"}), "{}", db.name);

        // Spam is answered exactly like anything else (a bot learns nothing) but stored as spam.
        let mut honeypot = praise("Maribel", STORY);
        honeypot["signals"]["honeypot"] = json!("http://spam.example");
        let mut fast = praise("Maribel", STORY);
        fast["signals"]["fill_time_ms"] = json!(900);
        for bot in [&honeypot, &fast] {
            let (status, _, reply) = reply_json(post(&server, bot.to_string()).await).await;
            assert_eq!((status, reply), (202, json!({"status": "accepted"})));
        }
        let store = store(&db.url).await;
        let spam = store.praise_list(Some(PraiseStatus::Spam)).await.unwrap();
        assert_eq!(spam.len(), 2, "{}", db.name);
        store.close().await;

        let page = wall(&server, "").await;
        let ids: Vec<&str> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, [good["id"].as_str().unwrap()], "{}", db.name);
    }
}

/// A hostile body: its name, its bytes, the status it must get, and the field error it names.
type HostileCase = (
    &'static str,
    Vec<u8>,
    u16,
    Option<(&'static str, &'static str)>,
);

#[tokio::test]
async fn hostile_input_gets_the_documented_refusal_and_stores_nothing() {
    for db in databases().await {
        let server = Server::start(&db.url, &[]);
        let valid = praise("Maribel", STORY);
        let with = |path: &[&str], value: Value| {
            let mut envelope = praise("Maribel", STORY);
            let mut at = &mut envelope;
            for key in &path[..path.len() - 1] {
                at = &mut at[*key];
            }
            at[path[path.len() - 1]] = value;
            envelope.to_string()
        };
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let megabyte = format!("{{\"padding\":\"{}\"}}", "x".repeat(1024 * 1024));
        let cases: Vec<HostileCase> = vec![
            ("null", b"null".to_vec(), 422, Some(("", "not_an_object"))),
            ("[]", b"[]".to_vec(), 422, Some(("", "not_an_object"))),
            ("not JSON", b"{\"type\":".to_vec(), 400, None),
            (
                "invalid UTF-8",
                b"{\"type\":\"\xff\xfe\"}".to_vec(),
                400,
                None,
            ),
            ("nesting 10,000 deep", deep.into_bytes(), 400, None),
            ("1 MB body", megabyte.into_bytes(), 413, None),
            (
                "unknown type",
                with(&["type"], json!("order.placed")).into_bytes(),
                422,
                Some(("type", "unsupported")),
            ),
            (
                "unknown schema_version",
                with(&["schema_version"], json!(2)).into_bytes(),
                422,
                Some(("schema_version", "unsupported")),
            ),
            (
                "story as a number",
                with(&["data", "story"], json!(42)).into_bytes(),
                422,
                Some(("data.story", "wrong_type")),
            ),
            (
                "story too short",
                with(&["data", "story"], json!("nice")).into_bytes(),
                422,
                Some(("data.story", "too_short")),
            ),
            (
                "story too long",
                with(&["data", "story"], json!("a".repeat(2001))).into_bytes(),
                422,
                Some(("data.story", "too_long")),
            ),
            (
                "id not a UUID",
                with(&["id"], json!("1; DROP TABLE praise")).into_bytes(),
                422,
                Some(("id", "invalid_format")),
            ),
            (
                "attempt 0",
                with(&["signals", "attempt"], json!(0)).into_bytes(),
                422,
                Some(("signals.attempt", "too_short")),
            ),
            (
                "extra member",
                with(&["data", "is_admin"], json!(true)).into_bytes(),
                422,
                Some(("data.is_admin", "unknown_field")),
            ),
        ];
        for (name, body, expected, field) in cases {
            let response = post(&server, body).await;
            let (status, headers, reply) = reply_json(response).await;
            assert_eq!(status, expected, "{} on {}: {reply}", name, db.name);
            assert_eq!(headers["access-control-allow-origin"], ORIGIN, "{name}");
            assert_eq!(
                headers["access-control-expose-headers"], "retry-after",
                "{name}"
            );
            if let Some((path, code)) = field {
                assert!(
                    reply["errors"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|e| e["field"] == path && e["code"] == code),
                    "{name}: expected {path}/{code} in {reply}"
                );
            }
        }
        // Wrong content type.
        let response = client()
            .post(server.url("/v1/submissions"))
            .header("origin", ORIGIN)
            .header("content-type", "text/plain")
            .body(valid.to_string())
            .send()
            .await
            .unwrap();
        let (status, _, _) = reply_json(response).await;
        assert_eq!(status, 415);

        let store = store(&db.url).await;
        assert_eq!(
            store.count_submissions().await.unwrap(),
            0,
            "{}: nothing stored",
            db.name
        );
        store.close().await;
    }
}

#[tokio::test]
async fn markup_and_sql_metacharacters_are_stored_verbatim_and_served_as_json_text() {
    let hostile = [
        "<script>alert(1)</script> she was wonderful to us",
        "\"><img src=x onerror=alert(1)> helped with the stroller",
        "Robert'); DROP TABLE praise;-- carried our bags to the car",
        "O'Brien said \"no problem\" \\ and found the 100% wool socks",
        "javascript:alert(document.cookie) // kindest cashier ever",
    ];
    for db in databases().await {
        let server = Server::start(&db.url, &[]);
        let mut ids = Vec::new();
        for story in hostile {
            let envelope = praise("Zoë <b>O'Neil</b>", story);
            let (status, _, _) = reply_json(post(&server, envelope.to_string()).await).await;
            assert_eq!(status, 202, "{story}");
            ids.push(envelope["id"].as_str().unwrap().to_owned());
        }
        for id in &ids {
            approve(&db.url, id).await;
        }
        let response = client().get(server.url("/v1/wall")).send().await.unwrap();
        assert_eq!(response.headers()["content-type"], "application/json");
        let page: Value = response.json().await.unwrap();
        let stories: Vec<&str> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["story"].as_str().unwrap())
            .collect();
        for story in hostile {
            assert!(
                stories.contains(&story),
                "{} lost or altered: {story}",
                db.name
            );
        }
        assert!(page["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["staff_name"] == "Zoë <b>O'Neil</b>"));
    }
}

#[tokio::test]
async fn cors_follows_the_contract_and_a_foreign_origin_is_refused_without_storing() {
    for db in databases().await {
        let server = Server::start(&db.url, &[]);
        let preflight = client()
            .request(reqwest::Method::OPTIONS, server.url("/v1/submissions"))
            .header("origin", ORIGIN)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
            .await
            .unwrap();
        assert_eq!(preflight.status(), 204);
        let h = preflight.headers();
        assert_eq!(h["access-control-allow-origin"], ORIGIN);
        assert_eq!(h["access-control-allow-methods"], "POST");
        assert_eq!(
            h["access-control-allow-headers"]
                .to_str()
                .unwrap()
                .to_lowercase(),
            "content-type"
        );
        assert_eq!(h["access-control-max-age"], "86400");
        assert_eq!(h["vary"].to_str().unwrap().to_lowercase(), "origin");

        let foreign = "https://copycat.example";
        let preflight = client()
            .request(reqwest::Method::OPTIONS, server.url("/v1/submissions"))
            .header("origin", foreign)
            .header("access-control-request-method", "POST")
            .send()
            .await
            .unwrap();
        assert!(preflight
            .headers()
            .get("access-control-allow-origin")
            .is_none());

        let response = client()
            .post(server.url("/v1/submissions"))
            .header("origin", foreign)
            .header("content-type", "application/json")
            .body(praise("Maribel", STORY).to_string())
            .send()
            .await
            .unwrap();
        let (status, headers, reply) = reply_json(response).await;
        assert_eq!(
            (status, reply["error"].as_str()),
            (403, Some("origin_not_allowed"))
        );
        assert!(headers.get("access-control-allow-origin").is_none());
        assert_eq!(headers["vary"].to_str().unwrap().to_lowercase(), "origin");

        let store = store(&db.url).await;
        assert_eq!(store.count_submissions().await.unwrap(), 0, "{}", db.name);
        store.close().await;
    }
}

#[tokio::test]
async fn token_buckets_answer_429_with_retry_after_per_ip_and_per_site() {
    let db = sqlite();
    let args = [
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--database-url",
        &db.url,
        "--allowed-origin",
        ORIGIN,
        "--ip-rate-per-minute",
        "3",
        "--site-rate-per-minute",
        "6",
        "--trust-forwarded-for",
        "true",
    ];
    let server = Server::start_with(&args, &[]);
    let send = |ip: &'static str| {
        let url = server.url("/v1/submissions");
        async move {
            client()
                .post(url)
                .header("origin", ORIGIN)
                .header("content-type", "application/json")
                .header("x-forwarded-for", ip)
                .body(praise("Maribel", STORY).to_string())
                .send()
                .await
                .unwrap()
        }
    };
    // 3 per minute with bursts of 1: the second post from one address waits.
    assert_eq!(send("203.0.113.1").await.status(), 202);
    let (status, headers, reply) = reply_json(send("203.0.113.1").await).await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (429, Some("rate_limited"))
    );
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=20).contains(&wait), "Retry-After {wait}");
    assert_eq!(headers["access-control-expose-headers"], "retry-after");
    // 6 per minute for the site with bursts of 2: a third address is refused by the site bucket.
    assert_eq!(send("203.0.113.2").await.status(), 202);
    let (status, headers, _) = reply_json(send("203.0.113.3").await).await;
    assert_eq!(status, 429);
    assert!(headers.contains_key("retry-after"));
}

#[tokio::test]
async fn the_wall_pages_newest_first_filters_and_revalidates() {
    for db in databases().await {
        let server = Server::start(&db.url, &[]);
        let mut published = Vec::new();
        for n in 0..23 {
            let mut envelope = praise(
                if n % 2 == 0 { "Maribel" } else { "Dev" },
                &format!("{STORY} ({n})"),
            );
            envelope["data"]["location"] = json!(if n % 3 == 0 {
                "Harbour Road"
            } else {
                "Larch Street"
            });
            assert_eq!(post(&server, envelope.to_string()).await.status(), 202);
            published.push(envelope["id"].as_str().unwrap().to_owned());
        }
        // Not shown: pending, rejected, and approved without the visitor's publish consent.
        let pending = praise("Maribel", STORY);
        let mut private = praise("Maribel", STORY);
        private["consent"]["publish"]["granted"] = json!(false);
        for envelope in [&pending, &private] {
            assert_eq!(post(&server, envelope.to_string()).await.status(), 202);
        }
        for id in published
            .iter()
            .chain([private["id"].as_str().unwrap().to_owned()].iter())
        {
            approve(&db.url, id).await;
        }

        let mut seen = Vec::new();
        let mut query = "?limit=10".to_owned();
        let mut pages = 0;
        loop {
            let page = wall(&server, &query).await;
            pages += 1;
            for item in page["items"].as_array().unwrap() {
                assert!(item.get("visitor_name").is_none() && item.get("visitor_email").is_none());
                seen.push(item["id"].as_str().unwrap().to_owned());
            }
            match page["next_cursor"].as_str() {
                Some(cursor) => query = format!("?limit=10&cursor={cursor}"),
                None => break,
            }
        }
        assert_eq!(pages, 3, "{}", db.name);
        let newest_first: Vec<String> = published.iter().rev().cloned().collect();
        assert_eq!(
            seen, newest_first,
            "{}: every approved item once, newest first",
            db.name
        );

        let harbour = wall(&server, "?location=Harbour%20Road&limit=50").await;
        assert_eq!(harbour["items"].as_array().unwrap().len(), 8);
        let dev = wall(&server, "?staff=Dev&limit=50").await;
        assert_eq!(dev["items"].as_array().unwrap().len(), 11);

        // Cache: ETag and a 304 for the same bytes; a change gives a new tag.
        let first = client().get(server.url("/v1/wall")).send().await.unwrap();
        assert_eq!(first.headers()["cache-control"], "public, max-age=60");
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        let again = client()
            .get(server.url("/v1/wall"))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304);
        approve(&db.url, pending["id"].as_str().unwrap()).await;
        let changed = client()
            .get(server.url("/v1/wall"))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(changed.status(), 200);

        for bad in [
            "?limit=51",
            "?limit=0",
            "?limit=x",
            "?cursor=not-ours",
            "?site=nope",
        ] {
            let response = client()
                .get(server.url(&format!("/v1/wall{bad}")))
                .send()
                .await
                .unwrap();
            let (status, _, _) = reply_json(response).await;
            assert_eq!(status, 400, "{bad}");
        }
    }
}

#[tokio::test]
async fn the_roster_is_imported_served_without_emails_and_exported() {
    for db in databases().await {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("staff.csv");
        std::fs::write(
            &csv,
            "id,name,role,location,nicknames,email,manager_email\n\
             m-204,Maribel Ortiz,Cashier,Larch Street,Mari;Belle,maribel@shop.example,lead@shop.example\n\
             d-7,Dev Anand,Stock,,,,\n",
        )
        .unwrap();
        let (ok, out, err) = run_command(&[
            "staff",
            "import",
            csv.to_str().unwrap(),
            "--database-url",
            &db.url,
        ]);
        assert!(ok, "{err}");
        assert!(out.contains("imported 2 staff"), "{out}");

        let server = Server::start(&db.url, &[]);
        let response = client().get(server.url("/v1/staff")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let text = response.text().await.unwrap();
        assert!(!text.contains('@'), "emails must never be served: {text}");
        let roster: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            roster,
            json!([
                {"id": "d-7", "name": "Dev Anand", "role": "Stock"},
                {"id": "m-204", "name": "Maribel Ortiz", "role": "Cashier", "location": "Larch Street", "nicknames": ["Mari", "Belle"]}
            ]),
            "{}",
            db.name
        );

        let (ok, exported, _) = run_command(&["staff", "export", "--database-url", &db.url]);
        assert!(ok);
        assert!(exported.contains("m-204,Maribel Ortiz,Cashier,Larch Street,Mari;Belle,maribel@shop.example,lead@shop.example"), "{exported}");
    }
}

#[tokio::test]
async fn the_command_line_lists_approves_and_erases_one_person_everywhere() {
    for db in databases().await {
        let server = Server::start(&db.url, &[]);
        let envelope = praise("Maribel", STORY);
        let id = envelope["id"].as_str().unwrap().to_owned();
        assert_eq!(post(&server, envelope.to_string()).await.status(), 202);
        assert_eq!(
            post(
                &server,
                newsletter("Visitor.Private@example.net").to_string()
            )
            .await
            .status(),
            202
        );

        let (ok, listed, _) = run_command(&[
            "praise",
            "list",
            "--status",
            "pending_moderation",
            "--database-url",
            &db.url,
        ]);
        assert!(ok && listed.contains(&id), "{listed}");
        let (ok, out, _) = run_command(&["praise", "approve", &id, "--database-url", &db.url]);
        assert!(ok && out.contains("approved"), "{out}");
        let (ok, _, err) =
            run_command(&["praise", "approve", "no-such-id", "--database-url", &db.url]);
        assert!(!ok && err.contains("no praise has the id"), "{err}");
        assert_eq!(
            wall(&server, "").await["items"].as_array().unwrap().len(),
            1
        );

        let (ok, out, err) = run_command(&[
            "erase",
            "--email",
            "visitor.private@EXAMPLE.net",
            "--database-url",
            &db.url,
        ]);
        assert!(ok, "{err}");
        assert!(
            out.contains("praise written by this person deleted: 1"),
            "{out}"
        );
        assert!(out.contains("newsletter sign-ups deleted: 1"), "{out}");
        assert_eq!(
            wall(&server, "").await["items"].as_array().unwrap().len(),
            0
        );

        // A late retry of the erased submission is answered but not stored again.
        let (status, _, _) = reply_json(post(&server, envelope.to_string()).await).await;
        assert_eq!(status, 202);
        let store = store(&db.url).await;
        assert!(
            store.praise_list(None).await.unwrap().is_empty(),
            "{}",
            db.name
        );
        store.close().await;
    }
}

#[tokio::test]
async fn retention_removes_visitor_names_and_emails_when_the_server_starts() {
    for db in databases().await {
        {
            let server = Server::start(&db.url, &[]);
            assert_eq!(
                post(&server, praise("Maribel", STORY).to_string())
                    .await
                    .status(),
                202
            );
        }
        // Retention 0 days: everything received before now loses the visitor's details.
        let server = Server::start(&db.url, &["--retention-days", "0"]);
        let store = store(&db.url).await;
        let mut cleared = false;
        for _ in 0..50 {
            let rows = store.praise_list(None).await.unwrap();
            assert_eq!(rows.len(), 1, "the praise itself stays");
            if visitor_details(&db.url).await == (None, None) {
                cleared = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(cleared, "{}: visitor details still there", db.name);
        store.close().await;
        drop(server);
    }
}

async fn visitor_details(url: &str) -> (Option<String>, Option<String>) {
    use sqlx::Row;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    let row = sqlx::query("SELECT visitor_name, visitor_email FROM praise")
        .fetch_one(&pool)
        .await
        .unwrap();
    let details = (row.try_get(0).unwrap(), row.try_get(1).unwrap());
    pool.close().await;
    details
}

#[tokio::test]
async fn logs_never_carry_personal_data() {
    for db in databases().await {
        let server = Server::start(&db.url, &[]);
        let secret_story =
            "Priya noticed my daughter's inhaler under the bench and ran it out to our car.";
        let envelope = praise("Maribel", secret_story);
        assert_eq!(post(&server, envelope.to_string()).await.status(), 202);
        let mut bad = praise("Maribel", secret_story);
        bad["data"]["visitor_email"] = json!("not-an-address visitor.private@example.net");
        assert_eq!(post(&server, bad.to_string()).await.status(), 422);
        assert_eq!(
            post(
                &server,
                newsletter("subscriber.secret@example.org").to_string()
            )
            .await
            .status(),
            202
        );
        let _ = client()
            .get(server.url("/v1/wall?staff=Maribel"))
            .send()
            .await
            .unwrap();
        let logs = server.logs();
        assert!(logs.contains("request"), "debug logs were captured: {logs}");
        for secret in [
            "Visitor Q. Private",
            "visitor.private@example.net",
            "inhaler",
            "subscriber.secret",
            "Evangelina",
        ] {
            assert!(
                !logs.contains(secret),
                "{}: the log contains {secret:?}:\n{logs}",
                db.name
            );
        }
    }
}

#[tokio::test]
async fn probes_answer_and_help_lists_every_key() {
    let db = sqlite();
    let server = Server::start(&db.url, &[]);
    for path in ["/healthz", "/readyz"] {
        assert_eq!(
            client()
                .get(server.url(path))
                .send()
                .await
                .unwrap()
                .status(),
            200,
            "{path}"
        );
    }
    let (ok, help, _) = run_command(&["serve", "--help"]);
    assert!(ok);
    for key in kudos_server::config::KEYS {
        assert!(
            help.contains(&format!("--{}", key.flag)) && help.contains(key.env),
            "{} missing from --help",
            key.name
        );
    }
}

#[tokio::test]
async fn shutdown_finishes_the_request_in_flight() {
    use std::io::{Read, Write};
    let db = sqlite();
    let mut server = Server::start(&db.url, &[]);
    let body = praise("Maribel", STORY).to_string();
    let address = server.base.trim_start_matches("http://").to_owned();
    let mut socket = std::net::TcpStream::connect(&address).unwrap();
    write!(
        socket,
        "POST /v1/submissions HTTP/1.1\r\nHost: {address}\r\nOrigin: {ORIGIN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    let (head, tail) = body.split_at(body.len() / 2);
    socket.write_all(head.as_bytes()).unwrap();
    socket.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    // SIGTERM while the request is half sent.
    let pid = server.child.id().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    std::thread::sleep(std::time::Duration::from_millis(300));
    socket.write_all(tail.as_bytes()).unwrap();
    let mut reply = String::new();
    socket.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 202"), "{reply}");
    let status = server.child.wait().unwrap();
    assert!(
        status.success(),
        "the server exits cleanly after draining: {status}"
    );
    let store = store(&db.url).await;
    assert_eq!(store.count_submissions().await.unwrap(), 1);
    store.close().await;
}
