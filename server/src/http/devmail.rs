//! The development mail viewer: `/dev/mail` lists the `.eml` files the folder mailer wrote, and
//! shows each one (its text part, and its HTML part as the mail program would render it).
//!
//! Off by default; `--dev-mail-viewer` turns it on, and `cargo xtask serve` does. Served by
//! kudos-server rather than by the xtask's static file server because the emails' links point
//! at this server's own pages (one click from the manager's email to its approve page), because
//! it reuses the pages' one layout and CSP, and because anyone who runs the binary without SMTP
//! can use it, with or without the xtask. Never turn it on in production: the emails hold
//! personal data and the viewer has no sign-in.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::html;

use super::pages::{self, Lang};
use super::AppState;

pub const PATH: &str = "/dev/mail";

/// What the viewer reads from one file.
struct Shown {
    to: String,
    subject: String,
    text: String,
    html: Option<String>,
}

fn read(folder: &std::path::Path, name: &str) -> Option<Shown> {
    let bytes = std::fs::read(folder.join(name)).ok()?;
    let message = mail_parser::MessageParser::default().parse(&bytes)?;
    let to = message
        .to()
        .and_then(|to| to.first())
        .and_then(|address| address.address())
        .unwrap_or("")
        .to_owned();
    Some(Shown {
        to,
        subject: message.subject().unwrap_or("").to_owned(),
        text: message
            .body_text(0)
            .map(|text| text.into_owned())
            .unwrap_or_default(),
        html: message.body_html(0).map(|html| html.into_owned()),
    })
}

/// A file name the folder mailer could have written: no path, no hidden file.
fn safe_name(name: &str) -> bool {
    name.ends_with(".eml")
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// `GET /dev/mail`: every email, newest first.
pub async fn list(State(state): State<AppState>) -> Response {
    let folder = state.settings.mail_folder.clone();
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|entry| entry.file_name().into_string().ok())
                .filter(|name| safe_name(name))
                .collect()
        })
        .unwrap_or_default();
    names.sort_unstable_by(|a, b| b.cmp(a));
    let rows: Vec<(String, Option<Shown>)> = names
        .into_iter()
        .map(|name| {
            let shown = read(&folder, &name);
            (name, shown)
        })
        .collect();
    let body = html! {
        p class="muted" {
            "Every email kudos-server wrote to " code { (folder.display().to_string()) }
            " (no SMTP server configured), newest first. Development only."
        }
        @if rows.is_empty() {
            p { "No email yet. Submit praise in the widget: its manager's email appears here." }
        } @else {
            div class="wide" {
                table {
                    thead { tr { th { "Written" } th { "To" } th { "Subject" } } }
                    tbody {
                        @for (name, shown) in &rows {
                            tr {
                                td { (written_at(name)) }
                                td { (shown.as_ref().map(|s| s.to.as_str()).unwrap_or("?")) }
                                td {
                                    a href=(format!("{PATH}/{name}")) {
                                        (shown.as_ref().map(|s| s.subject.as_str()).unwrap_or(name.as_str()))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    pages::page_headers(pages::layout(Lang::En, "Mail sent by kudos-server", body))
}

/// `GET /dev/mail/NAME`: one email's headers and text, with links made clickable.
pub async fn show(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    if !safe_name(&name) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Some(shown) = read(&state.settings.mail_folder, &name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let body = html! {
        p { a href=(PATH) { "\u{2190} All mail" } }
        div class="item" {
            dl {
                dt { "To" } dd { (shown.to) }
                dt { "Written" } dd { (written_at(&name)) }
            }
        }
        @if shown.html.is_some() {
            p { a class="button" href=(format!("{PATH}/{name}/html")) { "Show the HTML part" } }
        }
        h2 { "Text part" }
        // The pages' CSP allows no style attribute: long lines scroll sideways (`.wide`).
        div class="card wide" { pre {
            @for (index, line) in shown.text.lines().enumerate() {
                @if index > 0 { "\n" }
                @for (position, word) in line.split(' ').enumerate() {
                    @if position > 0 { " " }
                    @if word.starts_with("http://") || word.starts_with("https://") {
                        a href=(word) { (word) }
                    } @else {
                        (word)
                    }
                }
            }
        } }
    };
    pages::page_headers(pages::layout(Lang::En, &shown.subject, body))
}

/// `GET /dev/mail/NAME/html`: the HTML part as sent. Its own CSP: inline styles (as in any
/// email), no scripts, nothing loaded.
pub async fn html_part(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    if !safe_name(&name) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Some(html) = read(&state.settings.mail_folder, &name).and_then(|shown| shown.html) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'",
        ),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// The file name starts with the Unix milliseconds it was written at.
fn written_at(name: &str) -> String {
    name.split('-')
        .next()
        .and_then(|ms| ms.parse::<i64>().ok())
        .and_then(|ms| {
            time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()
        })
        .and_then(|at| {
            at.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}
