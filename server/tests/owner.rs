//! The owner's pages on SQLite and on PostgreSQL: the real binary on a loopback port, a real HTTP
//! client that keeps its own cookie (like a browser), real databases. Sign-in (the one-time
//! link, argon2id, sessions, fixation, sign-out, the lockout), CSRF on every POST, moderation
//! and the wall, bulk actions, corrected text, the staff roster with CSV, and the statistics.

mod support;

use reqwest::header::HeaderMap;
use serde_json::{json, Value};
use support::*;

use kudos_server::store::PraiseStatus;

const STORY: &str = "She repacked my groceries so nothing got crushed, and smiled the whole time.";
const EMAIL: &str = "owner@shop.example";
const PASSWORD: &str = "a long passphrase for the owner";

/// A page as a browser sees it.
struct Page {
    status: u16,
    headers: HeaderMap,
    body: String,
}

impl Page {
    fn location(&self) -> &str {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The CSRF token of the page's first form.
    fn csrf(&self) -> String {
        let marker = r#"name="csrf" value=""#;
        let start = self
            .body
            .find(marker)
            .unwrap_or_else(|| panic!("no CSRF field in {}", self.body))
            + marker.len();
        self.body[start..]
            .split('"')
            .next()
            .unwrap_or("")
            .to_owned()
    }

    fn set_cookie(&self) -> Option<String> {
        self.headers
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

/// A browser: one cookie jar (the owner's cookie), an optional client address, no redirects
/// followed (the tests look at each answer).
struct Browser {
    base: String,
    http: reqwest::Client,
    cookie: Option<String>,
    forwarded_for: Option<&'static str>,
    language: &'static str,
}

impl Browser {
    fn new(server: &Server) -> Browser {
        Browser {
            base: server.base.clone(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookie: None,
            forwarded_for: None,
            language: "en",
        }
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("accept-language", self.language);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", format!("kudos_owner={cookie}"));
        }
        if let Some(ip) = self.forwarded_for {
            request = request.header("x-forwarded-for", ip);
        }
        request
    }

    async fn read(&mut self, response: reqwest::Response) -> Page {
        let page = Page {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.text().await.unwrap(),
        };
        if let Some(set) = page.set_cookie() {
            let value = set
                .strip_prefix("kudos_owner=")
                .and_then(|rest| rest.split(';').next())
                .unwrap_or("");
            self.cookie = (!value.is_empty()).then(|| value.to_owned());
        }
        page
    }

    async fn get(&mut self, path: &str) -> Page {
        let response = self
            .request(reqwest::Method::GET, path)
            .send()
            .await
            .unwrap();
        self.read(response).await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let response = self
            .request(reqwest::Method::POST, path)
            .form(form)
            .send()
            .await
            .unwrap();
        self.read(response).await
    }
}

/// `kudos-server admin add` → the path of the link it printed.
fn admin_add(url: &str, email: &str) -> String {
    let (ok, out, err) = run_command(&["admin", "add", email, "--database-url", url]);
    assert!(ok, "admin add: {err}");
    let link = out
        .lines()
        .find(|line| line.contains("/owner/set-password?token="))
        .unwrap_or_else(|| panic!("no link in {out}"));
    assert!(link.starts_with("http://127.0.0.1:8787/"), "{link}");
    link.trim_start_matches("http://127.0.0.1:8787").to_owned()
}

async fn set_password(browser: &mut Browser, link: &str, password: &str) -> Page {
    let form = browser.get(link).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let csrf = form.csrf();
    browser
        .post(
            "/owner/set-password",
            &[
                ("csrf", &csrf),
                ("token", &token),
                ("password", password),
                ("confirm", password),
            ],
        )
        .await
}

async fn try_sign_in(browser: &mut Browser, email: &str, password: &str) -> Page {
    let form = browser.get("/owner/sign-in").await;
    let csrf = form.csrf();
    browser
        .post(
            "/owner/sign-in",
            &[("csrf", &csrf), ("email", email), ("password", password)],
        )
        .await
}

/// A signed-in owner on `server` (the account made on `url`).
async fn owner(server: &Server, url: &str) -> Browser {
    let link = admin_add(url, EMAIL);
    let mut browser = Browser::new(server);
    assert_eq!(
        set_password(&mut browser, &link, PASSWORD).await.status,
        303
    );
    let signed_in = try_sign_in(&mut browser, EMAIL, PASSWORD).await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    browser
}

async fn submit(server: &Server, envelope: &Value) -> String {
    assert_eq!(post(server, envelope.to_string()).await.status(), 202);
    envelope["id"].as_str().unwrap().to_owned()
}

async fn wall_ids(server: &Server, query: &str) -> Vec<String> {
    let page: Value = client()
        .get(server.url(&format!("/v1/wall{query}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_schema("wall.v1.json", &page);
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn status_of(url: &str, id: &str) -> String {
    let store = store(url).await;
    let status = store
        .praise_list(None)
        .await
        .unwrap()
        .into_iter()
        .find(|row| row.id == id)
        .map(|row| row.status)
        .unwrap_or_default();
    store.close().await;
    status
}

#[tokio::test]
async fn admin_add_sets_a_password_once_and_sign_in_issues_a_new_session() {
    for db in databases().await {
        let server = Server::start(&db.url, &[]);
        let link = admin_add(&db.url, "Owner@Shop.example");
        let mut browser = Browser::new(&server);

        // Too short, then different: refused, the link still works.
        let form = browser.get(&link).await;
        assert_eq!(form.status, 200);
        assert!(form.body.contains("owner@shop.example"), "{}", db.name);
        let cookie = form.set_cookie().unwrap_or_default();
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
                && cookie.contains("Path=/owner")
                && !cookie.contains("Secure"),
            "{cookie}"
        );
        let token = link.split("token=").nth(1).unwrap().to_owned();
        let short = browser
            .post(
                "/owner/set-password",
                &[
                    ("csrf", &form.csrf()),
                    ("token", &token),
                    ("password", "short"),
                    ("confirm", "short"),
                ],
            )
            .await;
        assert_eq!(short.status, 422);
        let done = set_password(&mut browser, &link, PASSWORD).await;
        assert_eq!(
            (done.status, done.location()),
            (303, "/owner/sign-in?done=password")
        );
        // Single use.
        assert_eq!(browser.get(&link).await.status, 410, "{}", db.name);

        // The password is stored as argon2id, never as given.
        let stored = password_hash(&db.url).await;
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(!stored.contains(PASSWORD));

        // Not signed in: sent to the sign-in page.
        let page = browser.get("/owner/moderation").await;
        assert_eq!((page.status, page.location()), (303, "/owner/sign-in"));

        let form = browser.get("/owner/sign-in").await;
        assert_eq!(form.status, 200);
        let before = browser.cookie.clone().expect("a session before sign-in");
        let signed_in = browser
            .post(
                "/owner/sign-in",
                &[
                    ("csrf", &form.csrf()),
                    ("email", "OWNER@shop.example"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(
            (signed_in.status, signed_in.location()),
            (303, "/owner/moderation"),
            "{}",
            signed_in.body
        );
        let after = browser.cookie.clone().unwrap();
        assert_ne!(before, after, "{}: a new session id at sign-in", db.name);
        let page = browser.get("/owner/moderation").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Moderation") && page.body.contains("owner@shop.example"));
        assert_eq!(
            page.headers["content-security-policy"]
                .to_str()
                .unwrap()
                .split(';')
                .next(),
            Some("default-src 'none'")
        );

        // The cookie from before sign-in (a planted one, say) is worth nothing now.
        let mut planted = Browser::new(&server);
        planted.cookie = Some(before);
        let page = planted.get("/owner/moderation").await;
        assert_eq!((page.status, page.location()), (303, "/owner/sign-in"));

        // French.
        browser.language = "fr-CA,fr;q=0.9";
        let page = browser.get("/owner/moderation").await;
        assert!(page.body.contains(r#"<html lang="fr-CA">"#) && page.body.contains("Modération"));
        browser.language = "en";

        // Sign-out ends the session everywhere it was copied.
        let copy = browser.cookie.clone();
        let csrf = browser.get("/owner/moderation").await.csrf();
        let out = browser.post("/owner/sign-out", &[("csrf", &csrf)]).await;
        assert_eq!(out.status, 303);
        let mut stale = Browser::new(&server);
        stale.cookie = copy;
        assert_eq!(stale.get("/owner/moderation").await.status, 303);
        assert_eq!(browser.get("/owner/moderation").await.status, 303);

        // The logs name no one and no secret.
        let logs = server.logs();
        assert!(logs.contains("owner signed in"), "{logs}");
        for secret in ["owner@shop.example", PASSWORD, &token, &after] {
            assert!(
                !logs.contains(secret),
                "{}: the log holds {secret:?}",
                db.name
            );
        }

        // Erasure takes the owner's account too.
        let (ok, out, err) = run_command(&[
            "erase",
            "--email",
            "owner@SHOP.example",
            "--database-url",
            &db.url,
        ]);
        assert!(ok, "{err}");
        assert!(out.contains("owner accounts removed: 1"), "{out}");
        let refused = try_sign_in(&mut Browser::new(&server), EMAIL, PASSWORD).await;
        assert_eq!(refused.status, 401, "{}", db.name);
    }
}

async fn password_hash(url: &str) -> String {
    use sqlx::Row;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    let row = sqlx::query("SELECT password_hash FROM owners")
        .fetch_one(&pool)
        .await
        .unwrap();
    let hash: String = row.try_get(0).unwrap();
    pool.close().await;
    hash
}

#[tokio::test]
async fn links_expire_after_24_hours_and_cookies_are_secure_over_https() {
    let db = sqlite();
    let link = admin_add(&db.url, EMAIL);
    let args = [
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--database-url",
        &db.url,
        "--public-url",
        "https://kudos.shop.example",
    ];
    // 25 hours later.
    let server = Server::start_with(&args, &[("KUDOS_CLOCK_OFFSET_SECS", "90000")]);
    let mut browser = Browser::new(&server);
    assert_eq!(browser.get(&link).await.status, 410);
    let form = browser.get("/owner/sign-in").await;
    let cookie = form.set_cookie().unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_for_that_address_for_15_minutes() {
    for db in databases().await {
        let link = admin_add(&db.url, EMAIL);
        let server = Server::start(&db.url, &["--trust-forwarded-for", "true"]);
        let mut setup = Browser::new(&server);
        assert_eq!(set_password(&mut setup, &link, PASSWORD).await.status, 303);

        let mut attacker = Browser::new(&server);
        attacker.forwarded_for = Some("203.0.113.7");
        for attempt in 1..=4 {
            let page = try_sign_in(&mut attacker, EMAIL, "wrong password!").await;
            assert_eq!(page.status, 401, "attempt {attempt} on {}", db.name);
        }
        let fifth = try_sign_in(&mut attacker, EMAIL, "wrong password!").await;
        assert_eq!(fifth.status, 429, "{}", db.name);
        assert!(fifth.headers.contains_key("retry-after"));
        // Locked: even the right password is refused from that address.
        let page = try_sign_in(&mut attacker, EMAIL, PASSWORD).await;
        assert_eq!(page.status, 429, "{}", db.name);
        assert!(page.body.contains("15 minutes"));

        // Another address signs in.
        let mut owner = Browser::new(&server);
        owner.forwarded_for = Some("198.51.100.20");
        let page = try_sign_in(&mut owner, EMAIL, PASSWORD).await;
        assert_eq!(page.status, 303, "{}", db.name);
        drop(server);

        // Sixteen minutes later (a second instance's clock: the lock is in the database).
        let args = [
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &db.url,
            "--trust-forwarded-for",
            "true",
        ];
        let later = Server::start_with(&args, &[("KUDOS_CLOCK_OFFSET_SECS", "960")]);
        let mut attacker = Browser::new(&later);
        attacker.forwarded_for = Some("203.0.113.7");
        let page = try_sign_in(&mut attacker, EMAIL, PASSWORD).await;
        assert_eq!(page.status, 303, "{}: the lock ends", db.name);
    }
}

#[tokio::test]
async fn a_post_without_the_right_csrf_token_is_refused_and_changes_nothing() {
    for db in databases().await {
        let server = Server::start(&db.url, &[]);
        let mut owner = owner(&server, &db.url).await;
        let id = submit(&server, &praise("Maribel", STORY)).await;
        let csrf = owner.get("/owner/moderation").await.csrf();
        let act = format!("approve:{id}");
        let other_session = {
            let mut other = Browser::new(&server);
            other.get("/owner/sign-in").await.csrf()
        };
        for bad in [None, Some("forged"), Some(other_session.as_str())] {
            let mut form = vec![("act", act.as_str())];
            if let Some(token) = bad {
                form.push(("csrf", token));
            }
            let page = owner.post("/owner/moderation", &form).await;
            assert_eq!(page.status, 403, "{:?} on {}", bad, db.name);
            let page = owner
                .post(
                    "/owner/staff/edit",
                    &[("csrf", bad.unwrap_or("")), ("id", "x-1"), ("name", "X")],
                )
                .await;
            assert_eq!(page.status, 403);
            let page = owner
                .post("/owner/sign-out", &[("csrf", bad.unwrap_or(""))])
                .await;
            assert_eq!(page.status, 403);
        }
        assert_eq!(status_of(&db.url, &id).await, "pending_moderation");
        let store = store(&db.url).await;
        assert!(store.staff("default").await.unwrap().is_empty());
        store.close().await;
        // Still signed in, and the right token works.
        let page = owner
            .post("/owner/moderation", &[("act", &act), ("csrf", &csrf)])
            .await;
        assert_eq!(page.status, 303);
        assert_eq!(status_of(&db.url, &id).await, "approved", "{}", db.name);
        // Sign-in itself needs the sign-in page's token.
        let mut stranger = Browser::new(&server);
        let page = stranger
            .post(
                "/owner/sign-in",
                &[("email", EMAIL), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(page.status, 403);
    }
}

#[tokio::test]
async fn moderation_actions_and_bulk_actions_change_the_wall_featured_first() {
    for db in databases().await {
        let server = Server::start(&db.url, &[]);
        let mut owner = owner(&server, &db.url).await;
        let mut first = praise("Maribel", &format!("{STORY} (one)"));
        first["data"]["part_of_day"] = json!("morning");
        first["signals"]["attempt"] = json!(3);
        let a = submit(&server, &first).await;
        let b = submit(&server, &praise("Dev", &format!("{STORY} (two)"))).await;
        let c = submit(&server, &praise("Noor", &format!("{STORY} (three)"))).await;

        // Everything the owner needs to decide is on the card.
        let page = owner.get("/owner/moderation?status=pending").await;
        for shown in [
            "(one)",
            "Larch Street",
            "2026-11-24, morning",
            "genuine_warmth",
            "praise-publish-2026-11",
            "praise-contact-2026-11",
            "attempt 3",
            "48.2 s",
            "Visitor Q. Private",
            "accesskey=\"a\"",
            "Keyboard shortcuts",
        ] {
            assert!(page.body.contains(shown), "{shown} missing on {}", db.name);
        }
        let csrf = page.csrf();

        // One item.
        let done = owner
            .post(
                "/owner/moderation?status=pending",
                &[("csrf", &csrf), ("act", &format!("approve:{a}"))],
            )
            .await;
        assert_eq!(
            (done.status, done.location()),
            (303, "/owner/moderation?status=pending&done=approve&n=1")
        );
        assert_eq!(wall_ids(&server, "").await, vec![a.clone()]);

        // Bulk: the ticked ones.
        let done = owner
            .post(
                "/owner/moderation?status=pending",
                &[("csrf", &csrf), ("id", &b), ("id", &c), ("act", "approve")],
            )
            .await;
        assert!(done.location().ends_with("n=2"), "{}", done.location());
        assert_eq!(
            wall_ids(&server, "").await,
            [c.clone(), b.clone(), a.clone()]
        );

        // Featured praise comes first, and paging keeps the order with no repeats.
        owner
            .post(
                "/owner/moderation?status=approved",
                &[("csrf", &csrf), ("act", &format!("feature:{a}"))],
            )
            .await;
        assert_eq!(
            wall_ids(&server, "").await,
            [a.clone(), c.clone(), b.clone()],
            "{}",
            db.name
        );
        let page: Value = client()
            .get(server.url("/v1/wall"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(page["items"][0]["featured"], true, "{}", db.name);
        assert!(page["items"][1].get("featured").is_none());
        let mut paged = Vec::new();
        let mut query = "?limit=1".to_owned();
        loop {
            let page: Value = client()
                .get(server.url(&format!("/v1/wall{query}")))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            paged.extend(
                page["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["id"].as_str().unwrap().to_owned()),
            );
            match page["next_cursor"].as_str() {
                Some(cursor) => query = format!("?limit=1&cursor={cursor}"),
                None => break,
            }
        }
        assert_eq!(paged, [a.clone(), c.clone(), b.clone()]);
        let approved = owner.get("/owner/moderation?status=approved").await;
        assert!(approved.body.contains("Featured") && approved.body.contains("Stop featuring"));

        // Reject, spam, not spam.
        owner
            .post(
                "/owner/moderation?status=approved",
                &[("csrf", &csrf), ("act", &format!("reject:{c}"))],
            )
            .await;
        owner
            .post(
                "/owner/moderation?status=approved",
                &[("csrf", &csrf), ("act", &format!("spam:{a}"))],
            )
            .await;
        assert_eq!(wall_ids(&server, "").await, vec![b.clone()], "{}", db.name);
        assert_eq!(status_of(&db.url, &c).await, "rejected");
        assert_eq!(status_of(&db.url, &a).await, "spam");
        let spam = owner.get("/owner/moderation?status=spam").await;
        assert!(spam.body.contains("(one)") && !spam.body.contains("(two)"));
        owner
            .post(
                "/owner/moderation?status=spam",
                &[("csrf", &csrf), ("act", &format!("not-spam:{a}"))],
            )
            .await;
        assert_eq!(status_of(&db.url, &a).await, "pending_moderation");

        // Bulk reject of everything approved empties the wall.
        let done = owner
            .post(
                "/owner/moderation?status=approved",
                &[("csrf", &csrf), ("id", &b), ("act", "reject")],
            )
            .await;
        assert_eq!(done.status, 303);
        assert!(wall_ids(&server, "").await.is_empty());
    }
}

#[tokio::test]
async fn a_corrected_typo_is_published_and_the_visitors_original_is_kept() {
    for db in databases().await {
        let server = Server::start(&db.url, &[]);
        let mut owner = owner(&server, &db.url).await;
        let original =
            "She repacked my grocereis so nothing got crushed, and smiled teh whole time.";
        let id = submit(&server, &praise("Maribel", original)).await;
        let form = owner.get(&format!("/owner/moderation/edit?id={id}")).await;
        assert_eq!(form.status, 200);
        let done = owner
            .post(
                "/owner/moderation/edit",
                &[
                    ("csrf", &form.csrf()),
                    ("id", &id),
                    ("story", STORY),
                    ("then", "approve"),
                ],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        let wall: Value = client()
            .get(server.url("/v1/wall"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(wall["items"][0]["story"], STORY, "{}", db.name);
        // A second correction still keeps the visitor's own words.
        let form = owner.get(&format!("/owner/moderation/edit?id={id}")).await;
        assert!(form.body.contains(original));
        owner
            .post(
                "/owner/moderation/edit",
                &[
                    ("csrf", &form.csrf()),
                    ("id", &id),
                    ("story", &format!("{STORY}!")),
                    ("then", "save"),
                ],
            )
            .await;
        let page = owner.get("/owner/moderation?status=approved").await;
        assert!(page.body.contains(&format!("{STORY}!")), "{}", db.name);
        assert!(page.body.contains(original), "the original is shown");
        assert!(page.body.contains("original text"));
        let empty = owner
            .post(
                "/owner/moderation/edit",
                &[("csrf", &form.csrf()), ("id", &id), ("story", "  ")],
            )
            .await;
        assert_eq!(empty.status, 422);
    }
}

#[tokio::test]
async fn staff_are_added_edited_deactivated_imported_and_exported() {
    for db in databases().await {
        let server = Server::start(&db.url, &[]);
        let mut owner = owner(&server, &db.url).await;
        let csrf = owner.get("/owner/staff").await.csrf();

        let added = owner
            .post(
                "/owner/staff/edit",
                &[
                    ("csrf", &csrf),
                    ("site", "default"),
                    ("id", "m-204"),
                    ("name", "Maribel Ortiz"),
                    ("role", "Cashier"),
                    ("location", "Larch Street"),
                    ("nicknames", "Mari; Belle"),
                    ("email", "maribel@shop.example"),
                    ("manager_email", "lead@shop.example"),
                ],
            )
            .await;
        assert_eq!(added.status, 303, "{}", added.body);
        let store = store(&db.url).await;
        let roster = store.staff("default").await.unwrap();
        assert_eq!(roster.len(), 1, "{}", db.name);
        assert_eq!(
            roster[0].manager_email.as_deref(),
            Some("lead@shop.example")
        );
        assert_eq!(roster[0].nicknames, ["Mari", "Belle"]);
        assert!(!roster[0].wants_email, "the box was not ticked");

        // Edit: a new name, wants email.
        let edited = owner
            .post(
                "/owner/staff/edit",
                &[
                    ("csrf", &csrf),
                    ("site", "default"),
                    ("id", "m-204"),
                    ("name", "Maribel Ortiz-Lee"),
                    ("manager_email", "floor@shop.example"),
                    ("wants_email", "1"),
                ],
            )
            .await;
        assert_eq!(edited.status, 303);
        let roster = store.staff("default").await.unwrap();
        assert_eq!(roster[0].name, "Maribel Ortiz-Lee");
        assert!(roster[0].wants_email);
        let bad = owner
            .post(
                "/owner/staff/edit",
                &[
                    ("csrf", &csrf),
                    ("site", "default"),
                    ("id", "x 1"),
                    ("name", "X"),
                ],
            )
            .await;
        assert_eq!(bad.status, 422);

        // Deactivate: off the widget's list, still on the owner's.
        let off = owner
            .post(
                "/owner/staff/active",
                &[
                    ("csrf", &csrf),
                    ("site", "default"),
                    ("id", "m-204"),
                    ("active", "0"),
                ],
            )
            .await;
        assert_eq!(off.status, 303);
        let public: Value = client()
            .get(server.url("/v1/staff"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(public, json!([]), "{}", db.name);
        let list = owner.get("/owner/staff").await;
        assert!(list.body.contains("Maribel Ortiz-Lee") && list.body.contains("deactivated"));

        // Import (reactivates by id) and export.
        let csv = "id,name,role,location,nicknames,email,manager_email,wants_email\n\
                   m-204,Maribel Ortiz,Cashier,Larch Street,Mari,maribel@shop.example,lead@shop.example,yes\n\
                   d-7,Dev Anand,Stock,Harbour Road,,dev@shop.example,lead@shop.example,no\n";
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .part(
                "file",
                reqwest::multipart::Part::bytes(csv.as_bytes().to_vec())
                    .file_name("staff.csv")
                    .mime_str("text/csv")
                    .unwrap(),
            );
        let response = owner
            .request(reqwest::Method::POST, "/owner/staff/import?site=default")
            .multipart(form)
            .send()
            .await
            .unwrap();
        let imported = owner.read(response).await;
        assert_eq!(
            (imported.status, imported.location()),
            (303, "/owner/staff?site=default&done=imported&n=2"),
            "{}",
            imported.body
        );
        let exported = owner.get("/owner/staff/export.csv").await;
        assert_eq!(exported.status, 200);
        assert!(exported.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        assert!(
            exported
                .body
                .contains("d-7,Dev Anand,Stock,Harbour Road,,dev@shop.example,lead@shop.example")
                && exported.body.contains("m-204,Maribel Ortiz,"),
            "{}",
            exported.body
        );
        assert_eq!(store.staff("default").await.unwrap().len(), 2);

        // A bad file imports nothing and says which line.
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .part(
                "file",
                reqwest::multipart::Part::bytes(
                    b"id,name,role,location,nicknames,email,manager_email\nz-1,,,,,,\n".to_vec(),
                )
                .file_name("bad.csv"),
            );
        let response = owner
            .request(reqwest::Method::POST, "/owner/staff/import")
            .multipart(form)
            .send()
            .await
            .unwrap();
        let refused = owner.read(response).await;
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains("line 2"), "{}", refused.body);
        // Without the token: 403.
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("staff.csv"),
        );
        let response = owner
            .request(reqwest::Method::POST, "/owner/staff/import")
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        assert_eq!(store.staff("default").await.unwrap().len(), 2);
        store.close().await;
    }
}

#[tokio::test]
async fn statistics_count_praise_per_staff_member_and_location_per_week() {
    for db in databases().await {
        let server = Server::start(&db.url, &[]);
        let mut owner = owner(&server, &db.url).await;
        let store = store(&db.url).await;
        store
            .upsert_staff(
                "default",
                &[kudos_server::store::StaffRecord {
                    id: "m-204".into(),
                    name: "Maribel Ortiz".into(),
                    wants_email: true,
                    ..Default::default()
                }],
            )
            .await
            .unwrap();
        // Maribel: three (one by roster id under a nickname), one spam not counted.
        let mut by_id = praise("Mari", STORY);
        by_id["data"]["staff_id"] = json!("m-204");
        let mut ids = vec![submit(&server, &by_id).await];
        ids.push(submit(&server, &praise("Maribel Ortiz", STORY)).await);
        ids.push(submit(&server, &praise("Maribel Ortiz", STORY)).await);
        let mut fast = praise("Maribel Ortiz", STORY);
        fast["signals"]["fill_time_ms"] = json!(900);
        submit(&server, &fast).await;
        // Dev: two at Harbour Road, one rejected not counted.
        for _ in 0..2 {
            let mut dev = praise("Dev", STORY);
            dev["data"]["location"] = json!("Harbour Road");
            submit(&server, &dev).await;
        }
        let rejected = submit(&server, &praise("Dev", STORY)).await;
        assert!(store
            .set_praise_status(&rejected, PraiseStatus::Rejected, kudos_server::now_ms())
            .await
            .unwrap());
        store
            .set_praise_status(&ids[0], PraiseStatus::Approved, kudos_server::now_ms())
            .await
            .unwrap();
        store.close().await;

        let page = owner.get("/owner/stats.json?weeks=4").await;
        assert_eq!(page.status, 200);
        let stats: Value = serde_json::from_str(&page.body).unwrap();
        assert_eq!(stats["weeks"].as_array().unwrap().len(), 4);
        assert_eq!(stats["totals"], json!([0, 0, 0, 5]), "{}", db.name);
        assert_eq!(
            stats["staff"],
            json!([
                {"name": "Maribel Ortiz", "counts": [0, 0, 0, 3], "total": 3},
                {"name": "Dev", "counts": [0, 0, 0, 2], "total": 2}
            ]),
            "{}",
            db.name
        );
        assert_eq!(
            stats["locations"],
            json!([
                {"name": "Larch Street", "counts": [0, 0, 0, 3], "total": 3},
                {"name": "Harbour Road", "counts": [0, 0, 0, 2], "total": 2}
            ])
        );
        let week = stats["weeks"][3].as_str().unwrap().to_owned();
        let csv = owner.get("/owner/stats.csv?weeks=4").await;
        assert!(csv.body.starts_with("kind,name,week,count\n"));
        assert!(csv
            .body
            .contains(&format!("staff,Maribel Ortiz,{week},3\n")));
        assert!(csv
            .body
            .contains(&format!("location,Harbour Road,{week},2\n")));

        let html = owner.get("/owner/stats?weeks=4").await;
        assert!(html.body.contains(r#"role="img""#) && html.body.contains("<svg"));
        assert!(html.body.contains("<table>") && html.body.contains("Maribel Ortiz"));
    }
}
