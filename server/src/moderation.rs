//! Moderation decisions, whoever makes them (the command line, the owner's pages, a signed link
//! in an email): one function, so every path has the same effects. A decision is one
//! transaction: the new status, the link it spent (if any), and the notices an approval causes
//! (the employee's and the visitor's emails, queued once however often it is approved).

use crate::store::{Moderated, PraiseStatus, Store, StoreError, UsedLink};

/// Moves one praise to `status`; false when no praise has that id.
pub async fn set_status(store: &Store, id: &str, status: PraiseStatus) -> Result<bool, StoreError> {
    Ok(matches!(
        store.moderate(id, status, crate::now_ms(), None).await?,
        Moderated::Done
    ))
}

/// The same decision made through a signed link: refused (nothing changes) when the link was
/// used already.
pub async fn set_status_by_link(
    store: &Store,
    id: &str,
    status: PraiseStatus,
    link: &UsedLink,
) -> Result<Moderated, StoreError> {
    store
        .moderate(id, status, crate::now_ms(), Some(link))
        .await
}

/// Features a praise on the wall (first when approved) or not; false when no praise has that id.
pub async fn set_featured(store: &Store, id: &str, featured: bool) -> Result<bool, StoreError> {
    store.set_praise_featured(id, featured).await
}

/// Replaces a praise's story with a corrected text (the visitor's original is kept); false when
/// no praise has that id.
pub async fn correct_story(store: &Store, id: &str, story: &str) -> Result<bool, StoreError> {
    store.correct_praise_story(id, story).await
}
