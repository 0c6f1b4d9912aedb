//! The transport port: how a submission leaves the widget, and how the roster and the wall come
//! in. The delivery service's courier is the only caller of [`Transport::submit`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::core::config::Endpoint;
use crate::core::delivery::Reply;
use crate::core::form::DeliveryProblem;
use crate::core::outbox::Outgoing;
use crate::core::roster::StaffMember;
use crate::core::wall::{FeedError, WallPage};

/// A future the browser drives on its one thread.
pub type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// Why a transport could not do what was asked: what to tell the visitor, and what a developer
/// needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    /// The kind of failure, which picks the visitor's message.
    pub problem: DeliveryProblem,
    /// The technical detail, for the console only.
    pub detail: String,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)
    }
}

/// Sends submissions and reads the published ones back.
pub trait Transport {
    /// Makes one delivery attempt (`outgoing.attempt` says which) and reports what came back,
    /// unjudged: what the reply means (delivered, retry, refused) is decided by
    /// `core::delivery::classify`, so every transport follows one policy.
    fn submit(&self, outgoing: Outgoing) -> LocalFuture<Reply>;

    /// One page of the praise the wall may show (items in any order): the first page, or the
    /// one at `cursor` (a `next_cursor` an earlier page gave). `None` when this transport has no
    /// wall to read.
    fn wall_page(&self, cursor: Option<String>)
        -> Option<LocalFuture<Result<WallPage, FeedError>>>;

    /// The staff roster the owner published at `url` (`data-staff-url`, a JSON array). A
    /// transport that reaches no server (demo mode) answers its own stand-in without any request.
    fn staff_roster(&self, url: &Endpoint)
        -> LocalFuture<Result<Vec<StaffMember>, TransportError>>;
}
