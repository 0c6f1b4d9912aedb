//! Where the widget keeps things in the browser: `localStorage`, or memory when storage is missing
//! or throws (private windows, a full quota, third-party storage blocked by the browser).
//!
//! The widget shares the host page's origin, so every key starts with [`KEY_PREFIX`].

use std::cell::RefCell;

use crate::core::sorted::SortedMap;

/// The namespace of every key the widget writes, so it never collides with the host page's keys.
pub const KEY_PREFIX: &str = "kudos-widget:";

/// Where a write ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// In the browser's storage: it outlives the page.
    Stored,
    /// Only in memory (storage full or refused): it is lost with the page, and the visitor must
    /// be told so (issue 12, defect 3).
    ForThisPage,
}

/// A small string store. Writes never fail: when the browser refuses, the value is kept in memory
/// for the life of the page, so the visitor can go on, and the write says so ([`Kept`]).
pub trait Store {
    /// The value under `key`, if any.
    fn read(&self, key: &str) -> Option<String>;
    /// Keeps `value` under `key`, and says where.
    fn write(&self, key: &str, value: &str) -> Kept;
    /// Forgets `key`.
    fn remove(&self, key: &str);
    /// Every key that starts with `prefix`.
    fn keys(&self, prefix: &str) -> Vec<String>;
}

/// `localStorage` with a memory fallback.
#[derive(Default)]
pub struct BrowserStore {
    /// Values the browser refused to keep, or everything once storage proved unusable. A handful
    /// of keys at most: a sorted `Vec`, not a `HashMap` (whose hashing and table code is size).
    memory: RefCell<SortedMap<String, String>>,
}

impl BrowserStore {
    /// A store over this origin's `localStorage`.
    pub fn new() -> Self {
        BrowserStore::default()
    }

    /// `localStorage`, or `None` where reading the property itself throws or it is absent.
    fn local() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }
}

impl Store for BrowserStore {
    fn read(&self, key: &str) -> Option<String> {
        if let Some(value) = self.memory.borrow().get(key) {
            return Some(value.clone());
        }
        Self::local()?.get_item(key).ok().flatten()
    }

    fn write(&self, key: &str, value: &str) -> Kept {
        let stored = Self::local().is_some_and(|storage| storage.set_item(key, value).is_ok());
        let mut memory = self.memory.borrow_mut();
        if stored {
            // Storage works again: the stored copy is the truth from now on.
            memory.remove(key);
            Kept::Stored
        } else {
            memory.insert(key.to_owned(), value.to_owned());
            Kept::ForThisPage
        }
    }

    fn keys(&self, prefix: &str) -> Vec<String> {
        let mut keys: Vec<String> = self
            .memory
            .borrow()
            .keys()
            .filter(|key| key.starts_with(prefix))
            .cloned()
            .collect();
        if let Some(storage) = Self::local() {
            for i in 0..storage.length().unwrap_or(0) {
                if let Ok(Some(key)) = storage.key(i) {
                    if key.starts_with(prefix) && !keys.contains(&key) {
                        keys.push(key);
                    }
                }
            }
        }
        keys
    }

    fn remove(&self, key: &str) {
        self.memory.borrow_mut().remove(key);
        if let Some(storage) = Self::local() {
            // A refusal leaves nothing behind that matters: the value is only ever read back
            // through this store, and memory no longer has it either.
            let _ = storage.remove_item(key);
        }
    }
}
