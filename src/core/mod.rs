//! The pure core: configuration rules, the praise model and its validation, the shared form state
//! machine, the wire envelope and the text tables.
//!
//! Nothing here touches the browser (no web-sys, no js-sys), so `cargo test` on the host covers it
//! all. What the core needs from the browser comes in two ways: values the shell takes at the
//! moment (random bytes, the current time) and one [`platform::Platform`] (lower case, NFD, URL
//! parsing), handed in once with the attributes.

pub mod config;
pub mod delivery;
pub mod demo_seed;
pub mod email;
pub mod form;
pub mod i18n;
pub mod newsletter;
pub mod outbox;
pub mod platform;
pub mod praise;
pub mod providers;
pub mod roster;
pub mod sha256;
pub mod sorted;
pub mod text;
pub mod theme;
pub mod wall;
pub mod wire;

// Their paths from before the wire codecs were gathered in `wire`.
pub use wire::{envelope, json};
