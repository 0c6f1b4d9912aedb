//! The browser shell around the pure core: everything that touches the DOM, storage or the network.
//!
//! - `ports`: the `Transport` and `Store` traits; `transport` and `storage`: their adapters.
//! - `delivery`: the delivery service (drafts, outbox, courier), one per mounted widget.
//! - `components`: the yew views, which dispatch to the service and render its state.
//! - `mount`: builds all of the above for one host element; `api`: what JavaScript calls.

pub mod api;
pub mod components;
pub mod delivery;
pub mod events;
pub mod keys;
pub mod mount;
pub mod platform;
pub mod ports;
pub mod storage;
pub mod transport;
