//! The browser shell around the pure core: everything that touches the DOM, storage or the network.

pub mod api;
pub mod components;
pub mod events;
pub mod mount;
pub mod outbox;
pub mod platform;
pub mod storage;
pub mod transport;
