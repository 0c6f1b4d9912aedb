//! Draft autosave in storage: what a visitor typed, kept until it is delivered, for a week at
//! most. The keys come from `shell::keys`; the format (dated pairs) from `core::form`.

use crate::core::form::{draft_is_fresh, stamped_draft};
use crate::shell::keys;
use crate::shell::ports::Store;

/// The draft kept under `key`, unless it is older than a week (or undated): then it is forgotten.
pub fn read(store: &dyn Store, key: &str, now_ms: u64) -> Option<String> {
    let json = store.read(key)?;
    if draft_is_fresh(&json, now_ms) {
        Some(json)
    } else {
        store.remove(key);
        None
    }
}

/// Keeps `json` under `key`, dated `now_ms`.
pub fn write(store: &dyn Store, key: &str, json: &str, now_ms: u64) {
    store.write(key, &stamped_draft(json, now_ms));
}

/// Removes every stored draft, of any form and site, past its week (or undated, from before
/// drafts expired): one typed for a widget that is never shown again must not stay for ever.
pub fn forget_stale(store: &dyn Store, now_ms: u64) {
    for key in store.keys(&keys::draft_prefix()) {
        let _ = read(store, &key, now_ms);
    }
}
