//! kudos-widget: a "recognize our staff" form and praise wall that a site owner adds to any page
//! with one script tag.
//!
//! - [`core`] is plain Rust (configuration rules, the praise model, the form state machine, the wire
//!   envelope, the text tables) and is tested natively with `cargo test`.
//! - `shell` (wasm only) is the browser side: mounting into a shadow root, storage, transports and
//!   the yew components.
//!
//! The only items exported to JavaScript are `mount` and the handle it returns; the loader
//! (`loader/kudos.js`) calls them.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod shell;

#[cfg(target_arch = "wasm32")]
pub use shell::api::{mount, MountedWidget};
