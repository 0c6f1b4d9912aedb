//! Server-rendered HTML pages: the owner's area and the pages behind links in emails.
//!
//! Every page goes through [`layout`]: one stylesheet in the widget's visual language (its
//! tokens, light and dark by the visitor's setting), no JavaScript needed, and a strict
//! Content-Security-Policy (see [`page_headers`]). Text comes from [`Lang`]-keyed tables, English
//! and Canadian French.

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// The languages the pages speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    FrCa,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::FrCa => "fr-CA",
        }
    }

    /// From a stored language (`en`, `fr-CA`, `fr`): French for any `fr`, else English.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("fr") {
            Lang::FrCa
        } else {
            Lang::En
        }
    }

    /// The first of English or French in `Accept-Language`, by the client's order.
    pub fn negotiate(headers: &HeaderMap) -> Lang {
        let accept = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("");
        for range in accept.split(',') {
            let tag = range
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if tag.starts_with("fr") {
                return Lang::FrCa;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::En
    }

    /// Picks the text for this language.
    pub fn pick(self, en: &'static str, fr_ca: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::FrCa => fr_ca,
        }
    }
}

/// The pages' stylesheet, served at [`STYLESHEET_PATH`].
pub const STYLESHEET: &str = include_str!("pages.css");
pub const STYLESHEET_PATH: &str = "/assets/kudos-pages.css";

/// `GET /assets/kudos-pages.css`.
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
        .into_response()
}

/// A whole page: `title` in the tab and as the heading, `body` under it.
pub fn layout(lang: Lang, title: &str, body: Markup) -> Markup {
    layout_with_header(lang, title, None, body)
}

/// [`layout`] with a page header above the main content (the owner's area: its navigation and
/// the sign-out button); the skip link jumps past it.
pub fn layout_with_header(lang: Lang, title: &str, header: Option<Markup>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) " \u{2014} kudos" }
                link rel="stylesheet" href=(STYLESHEET_PATH);
            }
            body {
                a class="skip" href="#main" { (lang.pick("Skip to content", "Passer au contenu")) }
                @if let Some(header) = header {
                    header class="bar" { (header) }
                }
                main id="main" {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// Headers every page carries: no scripts at all, styles only from here, forms only to here,
/// never framed, never cached by a shared cache (pages can hold personal data).
pub fn page_headers(markup: Markup) -> Response {
    let mut response = markup.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// A short notice block (success or problem), announced to screen readers.
pub fn notice(kind: NoticeKind, text: &str) -> Markup {
    let class = match kind {
        NoticeKind::Done => "notice done",
        NoticeKind::Problem => "notice problem",
    };
    html! { p class=(class) role="status" { (text) } }
}

/// A page that says why something could not be done, with its status (4xx/5xx).
pub fn problem_page(
    lang: Lang,
    status: axum::http::StatusCode,
    title: &str,
    text: &str,
) -> Response {
    let mut response = page_headers(layout(lang, title, notice(NoticeKind::Problem, text)));
    *response.status_mut() = status;
    response
}

/// What a notice reports.
#[derive(Debug, Clone, Copy)]
pub enum NoticeKind {
    Done,
    Problem,
}

/// Text that is already HTML (never anything a visitor wrote).
pub fn trusted(html: &'static str) -> PreEscaped<&'static str> {
    PreEscaped(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_negotiated_from_accept_language() {
        let mut headers = HeaderMap::new();
        assert_eq!(Lang::negotiate(&headers), Lang::En);
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("de, fr-CA;q=0.8, en;q=0.5"),
        );
        assert_eq!(Lang::negotiate(&headers), Lang::FrCa);
        assert_eq!(Lang::from_tag("fr-CA"), Lang::FrCa);
        assert_eq!(Lang::from_tag("en"), Lang::En);
    }

    #[test]
    fn the_layout_escapes_what_it_is_given() {
        let page = layout(Lang::En, "<script>", html! { p { "<b>" } }).into_string();
        assert!(page.contains("&lt;script&gt;") && page.contains("&lt;b&gt;"));
        assert!(page.contains(r#"<html lang="en">"#));
    }
}
