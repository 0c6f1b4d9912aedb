//! The storage port: a small string store that never fails a write.

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
