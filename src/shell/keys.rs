//! Every storage key the widget writes, made here and nowhere else.
//!
//! The widget shares the host page's origin, so every key starts with [`KEY_PREFIX`]. Keys carry
//! a version (`v1`, `v2`) so a later format can live next to an older one, and a site (the
//! endpoint, or `demo`), so two widgets of one origin posting to different places never mix
//! their drafts or queues (issue 12, defects 9 and 11).

use crate::core::config::Mode;

/// The namespace of every key the widget writes, so it never collides with the host page's keys.
pub const KEY_PREFIX: &str = "kudos-widget:";

/// The site a widget's drafts and outbox belong to: its endpoint, or `demo`.
pub fn site_of(mode: &Mode) -> &str {
    match mode {
        Mode::Demo => "demo",
        Mode::Live { endpoint } => endpoint.as_str(),
    }
}

/// The demo store: every demo submission, oldest first, as one JSON array.
pub fn demo_store() -> String {
    format!("{KEY_PREFIX}demo:submissions:v1")
}

/// The start of every outbox key; what follows is the site (see [`site_of`]).
pub fn outbox_prefix() -> String {
    format!("{KEY_PREFIX}outbox:v1:")
}

/// The outbox of submissions bound to `site`; each endpoint has its own queue.
pub fn outbox(site: &str) -> String {
    format!("{}{site}", outbox_prefix())
}

/// The start of every draft key, of any form and site.
pub fn draft_prefix() -> String {
    format!("{KEY_PREFIX}draft:")
}

/// A form's autosaved draft for `site`.
pub fn draft(form: &str, site: &str) -> String {
    format!("{}{form}:v2:{site}", draft_prefix())
}

/// The id of a form's submission waiting in `site`'s outbox, so a reload shows it as queued.
pub fn pending(form: &str, site: &str) -> String {
    format!("{KEY_PREFIX}pending:{form}:v2:{site}")
}
