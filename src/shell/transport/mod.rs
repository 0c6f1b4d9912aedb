//! The transport adapters of the [`Transport`](crate::shell::ports::Transport) port: to this
//! browser's storage in demo mode ([`DemoTransport`]), or to the site owner's endpoint in live
//! mode ([`HttpTransport`]). They depend on the port and on `core`; nothing here knows about
//! forms, the outbox or the delivery service.

mod demo;
mod http;

pub use demo::DemoTransport;
pub use http::HttpTransport;
