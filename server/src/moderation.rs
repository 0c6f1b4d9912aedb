//! Moderation decisions, whoever makes them (the command line, the owner's pages, a signed link
//! in an email): one function, so every path has the same effects.

use crate::store::{PraiseStatus, Store, StoreError};

/// Moves one praise to `status`; false when no praise has that id.
pub async fn set_status(store: &Store, id: &str, status: PraiseStatus) -> Result<bool, StoreError> {
    store.set_praise_status(id, status, crate::now_ms()).await
}
