//! The storage adapters of the [`Store`] port: `localStorage`, or memory when storage is missing
//! or throws (private windows, a full quota, third-party storage blocked by the browser); and a
//! plain memory store for a page that must keep nothing (and for tests).
//!
//! Keys are made in `shell::keys`; these adapters only keep what they are given.

use std::cell::RefCell;

use crate::core::sorted::SortedMap;
use crate::shell::ports::{Kept, Store};

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

/// A store that keeps everything in memory, for the life of the page.
#[derive(Default)]
pub struct MemoryStore {
    values: RefCell<SortedMap<String, String>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore::default()
    }
}

impl Store for MemoryStore {
    fn read(&self, key: &str) -> Option<String> {
        self.values.borrow().get(key).cloned()
    }

    fn write(&self, key: &str, value: &str) -> Kept {
        self.values
            .borrow_mut()
            .insert(key.to_owned(), value.to_owned());
        Kept::ForThisPage
    }

    fn remove(&self, key: &str) {
        self.values.borrow_mut().remove(key);
    }

    fn keys(&self, prefix: &str) -> Vec<String> {
        self.values
            .borrow()
            .keys()
            .filter(|key| key.starts_with(prefix))
            .cloned()
            .collect()
    }
}
