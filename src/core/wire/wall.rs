//! The wall feed on the wire: what `data-wall-url` answers (the paged object of
//! `docs/schema/wall.v1.json` or a bare array), read item by item and within its caps
//! (core::wall has the wall's state; docs/contract.md, "The wall feed").

use std::fmt;

use crate::core::json::{Json, JsonError, Pieces};
use crate::core::praise::PublishedPraise;

/// The largest feed body the widget reads, in bytes (of the `Content-Length` and of the text).
/// A page of 50 items is about 25 KB; a megabyte leaves room for a generous bare array while a
/// runaway feed cannot stall the host page parsing it.
pub const WALL_MAX_BYTES: usize = 1_000_000;

/// The most items the wall keeps, over every page read. Nobody reads further than this on a
/// widget, and the memory and sorting a wall costs stay bounded.
pub const WALL_MAX_ITEMS: usize = 1_000;

/// The only `schema_version` of the paged shape this widget understands.
pub const WALL_SCHEMA_VERSION: u64 = 1;

/// Why a feed could not be read. The visitor is only ever told "the wall can't be shown"
/// (`Text::WallUnavailable`); the `Display` text is the detail for the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedError {
    /// The request failed or was answered with an error status (the detail says which).
    Unreachable(String),
    /// The body is larger than [`WALL_MAX_BYTES`] (by its `Content-Length` or its length).
    TooLarge {
        /// The size found, in bytes (or UTF-16 units, when measured in the browser).
        bytes: u64,
    },
    /// The body is not JSON.
    NotJson(JsonError),
    /// JSON, but neither an array nor an object with an `items` array.
    NotAFeed,
    /// The paged shape with a `schema_version` this widget does not know.
    UnknownVersion(String),
}

impl fmt::Display for FeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FeedError::Unreachable(detail) => f.write_str(detail),
            FeedError::TooLarge { bytes } => write!(
                f,
                "the wall feed is {bytes} bytes, over the {WALL_MAX_BYTES}-byte limit; not read"
            ),
            FeedError::NotJson(err) => write!(f, "the wall feed is {err}"),
            FeedError::NotAFeed => f.write_str(
                "the wall feed is neither an array nor {\"items\": [...]} (docs/schema/wall.v1.json)",
            ),
            FeedError::UnknownVersion(version) => write!(
                f,
                "the wall feed has schema_version {version}; this widget reads version 1"
            ),
        }
    }
}

/// Checks a `Content-Length` header before the body is read. A header that is absent or not a
/// number says nothing (the text's own length is checked later).
pub fn check_declared_length(header: Option<&str>) -> Result<(), FeedError> {
    match header.and_then(|value| value.trim().parse::<u64>().ok()) {
        Some(bytes) if bytes > WALL_MAX_BYTES as u64 => Err(FeedError::TooLarge { bytes }),
        _ => Ok(()),
    }
}

/// One answer of the wall feed, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WallPage {
    /// The readable items, in feed order.
    pub items: Vec<PublishedPraise>,
    /// Where the next (older) page is: `None` on the last page and for a bare array.
    pub next_cursor: Option<String>,
    /// How many items could not be read and were left out.
    pub skipped: usize,
}

impl WallPage {
    /// Reads a whole feed body at once (see [`FeedReader`] to spread it over several tasks).
    pub fn read(text: &str) -> Result<WallPage, FeedError> {
        let mut reader = FeedReader::new(text)?;
        while !reader.read(usize::MAX)? {}
        Ok(reader.finish())
    }
}

/// How many items the shell reads per task before letting the browser run (a yield between
/// batches): a megabyte of feed is about 8,000 items, read in one go it held the page for over
/// 50 ms (a "long task"); 250 take a millisecond or two.
pub const WALL_READ_BATCH: usize = 250;

impl From<JsonError> for FeedError {
    fn from(err: JsonError) -> Self {
        FeedError::NotJson(err)
    }
}

/// The member `schema_version` must be 1 when it is a number or a string; absent (or another type)
/// is read as 1, since an object with an `items` array is unambiguous enough.
fn check_version(version: &Json) -> Result<(), FeedError> {
    match version {
        _ if version.as_u64() == Some(WALL_SCHEMA_VERSION) => Ok(()),
        Json::Number(version) => Err(FeedError::UnknownVersion(version.clone())),
        Json::String(version) => Err(FeedError::UnknownVersion(format!("\"{version}\""))),
        _ => Ok(()),
    }
}

/// Reads a feed body a batch of items at a time, either shape, so a large feed never holds the
/// page for long. Each item is read on its own: one that is not a wall item is counted in
/// `skipped` and the rest still show. Broken JSON anywhere fails the whole feed.
pub struct FeedReader<'a> {
    json: Pieces<'a>,
    /// `{"items": [...], …}` rather than a bare array.
    paged: bool,
    /// Inside the items array: `Some(true)` just after its `[`, `Some(false)` after an item.
    in_items: Option<bool>,
    /// The paged object's `items` has been found (a repeat of the key is ignored).
    seen_items: bool,
    /// No member of the paged object read yet.
    first_member: bool,
    done: bool,
    page: WallPage,
}

impl<'a> FeedReader<'a> {
    /// Starts reading `text`: refuses it unread when it is over [`WALL_MAX_BYTES`] or not a feed
    /// at its start.
    pub fn new(text: &'a str) -> Result<FeedReader<'a>, FeedError> {
        if text.len() > WALL_MAX_BYTES {
            return Err(FeedError::TooLarge {
                bytes: text.len() as u64,
            });
        }
        let mut json = Pieces::new(text);
        let paged = match json.peek() {
            Some(b'[') => false,
            Some(b'{') => true,
            // JSON that is not a container is no feed; anything else is not JSON.
            _ => {
                json.value(0)?;
                json.end()?;
                return Err(FeedError::NotAFeed);
            }
        };
        json.open(if paged { b'{' } else { b'[' })?;
        let mut reader = FeedReader {
            json,
            paged,
            in_items: (!paged).then_some(true),
            seen_items: false,
            first_member: true,
            done: false,
            page: WallPage {
                items: Vec::new(),
                next_cursor: None,
                skipped: 0,
            },
        };
        if paged {
            reader.members()?;
        }
        Ok(reader)
    }

    /// The paged object's members up to its `items` array (then reading stops there) or its end.
    fn members(&mut self) -> Result<(), FeedError> {
        while self.json.more(b'}', self.first_member)? {
            self.first_member = false;
            let key = self.json.key()?;
            if key == "items" && !self.seen_items {
                if self.json.peek() != Some(b'[') {
                    return Err(FeedError::NotAFeed);
                }
                self.json.open(b'[')?;
                self.seen_items = true;
                self.in_items = Some(true);
                return Ok(());
            }
            let value = self.json.value(1)?;
            match key.as_str() {
                "schema_version" => check_version(&value)?,
                // An empty or non-string cursor cannot be sent back: the feed ends here.
                "next_cursor" => {
                    self.page.next_cursor =
                        value.to_string_value().filter(|cursor| !cursor.is_empty())
                }
                _ => {}
            }
        }
        if !self.seen_items {
            return Err(FeedError::NotAFeed);
        }
        self.json.end()?;
        self.done = true;
        Ok(())
    }

    /// Reads up to `max` more items; true once the whole body has been read.
    pub fn read(&mut self, max: usize) -> Result<bool, FeedError> {
        let mut left = max;
        while let Some(first) = self.in_items {
            if left == 0 {
                return Ok(false);
            }
            if !self.json.more(b']', first)? {
                self.in_items = None;
                if self.paged {
                    self.members()?;
                } else {
                    self.json.end()?;
                    self.done = true;
                }
                break;
            }
            self.in_items = Some(false);
            let item = self.json.value(if self.paged { 2 } else { 1 })?;
            match PublishedPraise::from_json(&item) {
                Some(item) => self.page.items.push(item),
                None => self.page.skipped += 1,
            }
            left -= 1;
        }
        Ok(self.done)
    }

    /// The page read.
    pub fn finish(self) -> WallPage {
        self.page
    }
}
