//! The ports: what the widget needs from the outside world, as traits, apart from the adapters
//! that provide it.
//!
//! [`Transport`] takes a submission to its destination and reads the roster and the wall back;
//! [`Store`] keeps small strings in the browser. The delivery service and the components call
//! these traits only. The adapters (`shell::transport` for demo and HTTP, `shell::storage` for
//! `localStorage` and memory) implement them and never import the code that calls them.

mod store;
mod transport;

pub use store::{Kept, Store};
pub use transport::{LocalFuture, Transport, TransportError};
