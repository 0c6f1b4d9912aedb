//! The wall feed: what `data-wall-url` answers, read item by item and within caps, and the wall's
//! state as pages arrive (a pure reducer the `Wall` component drives).
//!
//! A feed is either the paged object of `docs/schema/wall.v1.json`
//! (`{"schema_version":1,"items":[…],"next_cursor":"…"|null}`, kudos-server's `GET /v1/wall`) or,
//! as before it, a bare array of items. Either way the widget protects the host page from a feed
//! it cannot trust to be small or well formed (docs/contract.md, "The wall feed"):
//! - a body over [`WALL_MAX_BYTES`] is refused before it is parsed;
//! - an item that cannot be read is skipped (and counted), never the reason the wall is blank;
//! - at most [`WALL_MAX_ITEMS`] items are kept, however many pages are read;
//! - items are ordered by one `sort_unstable_by`, O(n log n) whatever order the feed is in;
//! - a reply to a request that a newer one has replaced is ignored ([`WallState`]).
//!
//! The reading itself is one of the wire codecs (core::wire::wall), re-exported here.

use std::cmp::Ordering;
use std::rc::Rc;

use crate::core::praise::PublishedPraise;

/// How many more cards each "show more" reveals.
pub const WALL_PAGE_SIZE: usize = 10;

// The feed's reader lives with the other wire codecs; its items and errors keep their paths here.
pub use crate::core::wire::wall::{
    check_declared_length, FeedError, FeedReader, WallPage, WALL_MAX_BYTES, WALL_MAX_ITEMS,
    WALL_READ_BATCH, WALL_SCHEMA_VERSION,
};

/// The wall's order: what the owner featured first (kudos-server sends it first too), then newest
/// first, ids breaking ties so the order never flickers between renders.
fn newest_first_order(a: &PublishedPraise, b: &PublishedPraise) -> Ordering {
    b.featured
        .cmp(&a.featured)
        .then_with(|| b.created_at.cmp(&a.created_at))
        .then_with(|| b.id.cmp(&a.id))
}

/// Sorts newest first in O(n log n), whatever order the source gave. Unstable is fine: the
/// order is total on (created_at, id), so only identical items could trade places. The standard
/// pattern-defeating quicksort also finds a feed that is already newest first (the usual case) in
/// one pass; a heapsort was 0.6 KB smaller in the wasm but always pays n log n (docs/size-log.md).
pub fn newest_first(items: &mut [PublishedPraise]) {
    items.sort_unstable_by(newest_first_order);
}

/// What the wall has loaded: items newest first (at most [`WALL_MAX_ITEMS`]), how many are
/// shown, and where the feed continues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WallFeed {
    // Shared, so revealing ten more cards does not copy a thousand items.
    items: Rc<Vec<PublishedPraise>>,
    shown: usize,
    next_cursor: Option<String>,
}

/// What "show more" does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoreStep {
    /// Reveal cards already loaded.
    Reveal,
    /// Fetch the next page at this cursor.
    Fetch(String),
    /// Nothing more to show.
    Nothing,
}

impl WallFeed {
    /// The feed's first page, sorted and capped, with its first cards shown.
    pub fn first(page: WallPage) -> WallFeed {
        let mut feed = WallFeed {
            items: Rc::new(Vec::new()),
            shown: 0,
            next_cursor: None,
        };
        feed.merge(page);
        feed
    }

    /// Adds a later page: merged, sorted, de-duplicated by id, capped; ten more cards shown.
    pub fn merge(&mut self, page: WallPage) {
        let mut items = Vec::with_capacity(self.items.len() + page.items.len());
        items.extend(self.items.iter().cloned());
        items.extend(page.items);
        newest_first(&mut items);
        // The same id has the same `created_at`, so after sorting repeats are neighbours (a page
        // that overlaps the one before, when praise was published between the two requests).
        items.dedup_by(|a, b| a.id == b.id);
        let full = items.len() >= WALL_MAX_ITEMS;
        items.truncate(WALL_MAX_ITEMS);
        self.next_cursor = if full { None } else { page.next_cursor };
        self.shown = (self.shown + WALL_PAGE_SIZE).min(items.len());
        self.items = Rc::new(items);
    }

    /// Every item loaded, newest first.
    pub fn items(&self) -> &[PublishedPraise] {
        &self.items
    }

    /// The cards on screen.
    pub fn shown(&self) -> &[PublishedPraise] {
        &self.items[..self.shown]
    }

    /// What the next "show more" does: the loaded cards first, then the next page.
    pub fn more(&self) -> MoreStep {
        if self.shown < self.items.len() {
            MoreStep::Reveal
        } else if let Some(cursor) = &self.next_cursor {
            MoreStep::Fetch(cursor.clone())
        } else {
            MoreStep::Nothing
        }
    }

    /// Shows up to ten more of the loaded cards.
    pub fn reveal(&mut self) {
        self.shown = (self.shown + WALL_PAGE_SIZE).min(self.items.len());
    }
}

/// What the wall shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WallView {
    /// Waiting for the first answer.
    Loading,
    /// The feed as loaded so far.
    Ready(WallFeed),
    /// The feed could not be read; the form still works.
    Unavailable,
}

/// The wall's state: what it shows, and which request's answer it is waiting for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WallState {
    /// What is on screen.
    pub view: WallView,
    /// The request whose answers count; an answer tagged with another is stale.
    pub generation: u32,
    /// A next page is being fetched (the button waits, a second click fetches nothing).
    pub fetching_more: bool,
}

impl Default for WallState {
    fn default() -> Self {
        WallState {
            view: WallView::Loading,
            generation: 0,
            fetching_more: false,
        }
    }
}

/// What happens to the wall.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WallAction {
    /// The feed is read again from the start (first load, or new praise may be published);
    /// answers to requests of earlier generations are ignored from now on.
    Reload {
        /// This reload's generation, larger than every earlier one.
        generation: u32,
    },
    /// The first page arrived (or could not be read).
    Loaded {
        /// The generation of the request that brought it.
        generation: u32,
        /// The page, or `Err` when the feed could not be read.
        page: Result<WallPage, ()>,
    },
    /// "Show more" with cards already loaded.
    Reveal,
    /// "Show more" started fetching the next page.
    FetchingMore,
    /// The next page arrived (or could not be read: the cards stay, the button can try again).
    MoreLoaded {
        /// The generation the fetch was started in.
        generation: u32,
        /// The page, or `Err`.
        page: Result<WallPage, ()>,
    },
}

impl WallState {
    /// The state after `action`.
    pub fn reduce(&self, action: WallAction) -> WallState {
        let mut next = self.clone();
        match action {
            WallAction::Reload { generation } => {
                next.generation = generation;
                next.fetching_more = false;
            }
            WallAction::Loaded { generation, .. } | WallAction::MoreLoaded { generation, .. }
                if generation != self.generation => {}
            WallAction::Loaded { page, .. } => {
                next.view = match page {
                    Ok(page) => WallView::Ready(WallFeed::first(page)),
                    // A reload that fails keeps the cards already shown.
                    Err(()) => match &self.view {
                        WallView::Ready(feed) => WallView::Ready(feed.clone()),
                        _ => WallView::Unavailable,
                    },
                };
            }
            WallAction::Reveal => {
                if let WallView::Ready(feed) = &mut next.view {
                    feed.reveal();
                }
            }
            WallAction::FetchingMore => next.fetching_more = true,
            WallAction::MoreLoaded { page, .. } => {
                next.fetching_more = false;
                if let (WallView::Ready(feed), Ok(page)) = (&mut next.view, page) {
                    feed.merge(page);
                }
            }
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, at: &str) -> PublishedPraise {
        PublishedPraise {
            id: id.into(),
            staff_name: "Maribel".into(),
            staff_role: None,
            location: None,
            occurred_on: None,
            tags: Vec::new(),
            story: "A story long enough to show.".into(),
            created_at: at.into(),
            featured: false,
        }
    }

    fn item_json(id: &str, at: &str) -> String {
        format!(r#"{{"id":"{id}","staff_name":"Bo","story":"A story","created_at":"{at}"}}"#)
    }

    /// `n` items, newest first, one minute apart (ids `p<n>`).
    fn items_json(range: std::ops::Range<u32>) -> Vec<String> {
        range
            .rev()
            .map(|n| {
                item_json(
                    &format!("p{n:05}"),
                    &format!(
                        "2026-10-{:02}T{:02}:{:02}:00.000Z",
                        n / 1_440 + 1,
                        n / 60 % 24,
                        n % 60
                    ),
                )
            })
            .collect()
    }

    fn page_json(items: &[String], cursor: Option<&str>) -> String {
        let cursor = cursor.map_or("null".to_owned(), |c| format!("\"{c}\""));
        format!(
            r#"{{"schema_version":1,"items":[{}],"next_cursor":{cursor}}}"#,
            items.join(",")
        )
    }

    fn ids(items: &[PublishedPraise]) -> Vec<&str> {
        items.iter().map(|item| item.id.as_str()).collect()
    }

    #[test]
    fn both_shapes_read_the_same_items() {
        let items = items_json(0..3);
        let bare = WallPage::read(&format!("[{}]", items.join(","))).unwrap();
        let paged = WallPage::read(&page_json(&items, Some("c2"))).unwrap();
        assert_eq!(bare.items, paged.items);
        assert_eq!(ids(&bare.items), ["p00002", "p00001", "p00000"]);
        assert_eq!(bare.next_cursor, None);
        assert_eq!(paged.next_cursor.as_deref(), Some("c2"));
        let last = WallPage::read(&page_json(&items, None)).unwrap();
        assert_eq!(last.next_cursor, None);
        // An empty cursor could not be sent back: it ends the feed.
        assert_eq!(
            WallPage::read(&page_json(&items, Some("")))
                .unwrap()
                .next_cursor,
            None
        );
    }

    #[test]
    fn what_is_not_a_feed_is_refused_with_its_reason() {
        assert!(matches!(
            WallPage::read("<html>"),
            Err(FeedError::NotJson(_))
        ));
        assert_eq!(WallPage::read("{}"), Err(FeedError::NotAFeed));
        assert_eq!(WallPage::read("\"items\""), Err(FeedError::NotAFeed));
        assert_eq!(
            WallPage::read(r#"{"schema_version":1,"items":{}}"#),
            Err(FeedError::NotAFeed)
        );
        assert_eq!(
            WallPage::read(r#"{"schema_version":2,"items":[],"next_cursor":null}"#),
            Err(FeedError::UnknownVersion("2".into()))
        );
        let err = WallPage::read(r#"{"schema_version":"1","items":[]}"#).unwrap_err();
        assert_eq!(err, FeedError::UnknownVersion("\"1\"".into()));
        assert!(err.to_string().contains("schema_version \"1\""));
    }

    #[test]
    fn read_in_batches_it_is_the_same_page_and_the_same_errors() {
        let items = items_json(0..7);
        let joined = items.join(",");
        let texts = [
            format!("[{joined}]"),
            format!(" [ {} ] ", items.join(" , ")),
            page_json(&items, Some("c")),
            // Members in another order, unknown ones, a repeated `items` (ignored).
            format!(
                r#"{{"next_cursor":"c","x":[1,{{}}],"items":[{joined}],"schema_version":1,"items":5}}"#
            ),
            "[]".to_owned(),
            r#"{"items":[]}"#.to_owned(),
        ];
        for text in &texts {
            let whole = WallPage::read(text).unwrap();
            for batch in [1, 2, 3, 250] {
                let mut reader = FeedReader::new(text).unwrap();
                let mut rounds = 0;
                while !reader.read(batch).unwrap() {
                    rounds += 1;
                    assert!(rounds <= 8, "{text}");
                }
                assert_eq!(reader.finish(), whole, "{text} in batches of {batch}");
            }
        }
        assert_eq!(
            WallPage::read(&texts[3]).unwrap().next_cursor.as_deref(),
            Some("c")
        );
        // Broken JSON after some items, and a version after the items, fail the whole feed.
        for (text, expected) in [
            (format!("[{joined},]"), "NotJson"),
            (format!("[{joined}] x"), "NotJson"),
            (
                format!(r#"{{"items":[{joined}],"schema_version":3}}"#),
                "UnknownVersion",
            ),
            (format!(r#"{{"items":[{joined}]"#), "NotJson"),
        ] {
            let mut reader = FeedReader::new(&text).unwrap();
            let err = loop {
                match reader.read(2) {
                    Ok(true) => panic!("{text} was read"),
                    Ok(false) => {}
                    Err(err) => break err,
                }
            };
            assert!(format!("{err:?}").starts_with(expected), "{text}: {err:?}");
        }
    }

    #[test]
    fn an_unreadable_item_is_skipped_and_the_rest_show() {
        let good = items_json(0..2);
        for bad in [
            "1",
            "null",
            r#"{"id":"x"}"#,
            r#"{"id":"x","staff_name":"Bo","story":7,"created_at":"2026-10-01T00:00:00Z"}"#,
            r#"{"id":"x","staff_name":"Bo","story":"s","created_at":"2026-10-01T00:00:00Z","tags":[1]}"#,
        ] {
            let list = [good[0].clone(), bad.to_owned(), good[1].clone()];
            for text in [format!("[{}]", list.join(",")), page_json(&list, None)] {
                let page = WallPage::read(&text).unwrap();
                assert_eq!(ids(&page.items), ["p00001", "p00000"], "{text}");
                assert_eq!(page.skipped, 1, "{text}");
            }
        }
    }

    #[test]
    fn a_body_over_the_byte_cap_is_refused_unread() {
        let padding = " ".repeat(WALL_MAX_BYTES - 2);
        assert!(WallPage::read(&format!("[{padding}]")).is_ok());
        assert_eq!(
            WallPage::read(&format!("[{padding} ]")),
            Err(FeedError::TooLarge {
                bytes: WALL_MAX_BYTES as u64 + 1
            })
        );
        assert_eq!(check_declared_length(None), Ok(()));
        assert_eq!(check_declared_length(Some("gzip")), Ok(()));
        assert_eq!(check_declared_length(Some("1000000")), Ok(()));
        assert_eq!(
            check_declared_length(Some(" 10485760 ")),
            Err(FeedError::TooLarge { bytes: 10_485_760 })
        );
    }

    #[test]
    fn at_most_the_item_cap_is_kept_newest_first_and_fetching_stops() {
        // One bare array over the cap: the newest are kept, whatever the order they came in.
        let mut many = items_json(0..1_500);
        many.rotate_left(700);
        let feed = WallFeed::first(WallPage::read(&format!("[{}]", many.join(","))).unwrap());
        assert_eq!(feed.items().len(), WALL_MAX_ITEMS);
        assert_eq!(feed.items()[0].id, "p01499");
        assert_eq!(feed.items()[WALL_MAX_ITEMS - 1].id, "p00500");

        // Page after page: the cap ends the feed even though the server has more.
        let mut feed = WallFeed::first(
            WallPage::read(&page_json(&items_json(950..1_000), Some("c"))).unwrap(),
        );
        let mut pages = 1;
        while let MoreStep::Fetch(_) | MoreStep::Reveal = feed.more() {
            match feed.more() {
                MoreStep::Reveal => feed.reveal(),
                _ => {
                    let end = 1_000 - 50 * pages;
                    let page = page_json(&items_json(end - 50..end), Some("c"));
                    feed.merge(WallPage::read(&page).unwrap());
                    pages += 1;
                }
            }
            assert!(pages <= 20, "kept fetching past the cap");
        }
        assert_eq!(pages, 20);
        assert_eq!(feed.items().len(), WALL_MAX_ITEMS);
        assert_eq!(feed.shown().len(), WALL_MAX_ITEMS);
    }

    #[test]
    fn featured_praise_comes_first_then_newest() {
        let mut old_but_featured = item("f", "2026-10-01T10:00:00.000Z");
        old_but_featured.featured = true;
        let mut items = vec![
            item("a", "2026-11-01T10:00:00.000Z"),
            old_but_featured,
            item("c", "2026-11-03T10:00:00.000Z"),
        ];
        newest_first(&mut items);
        assert_eq!(ids(&items), ["f", "c", "a"]);
        // Read from the feed: `featured` is optional, and only `true` features.
        let page = WallPage::read(&page_json(
            &[
                r#"{"id":"x","staff_name":"A","story":"s","created_at":"2026-11-01T00:00:00Z","featured":"yes"}"#.to_owned(),
                r#"{"id":"y","staff_name":"B","story":"s","created_at":"2026-10-01T00:00:00Z","featured":true}"#.to_owned(),
            ],
            None,
        ))
        .unwrap();
        let featured: Vec<bool> = page.items.iter().map(|i| i.featured).collect();
        assert_eq!(featured, [false, true]);
    }

    #[test]
    fn the_wall_lists_newest_first_from_any_order() {
        let mut items = vec![
            item("a", "2026-11-01T10:00:00.000Z"),
            item("c", "2026-11-03T10:00:00.000Z"),
            item("b", "2026-11-02T10:00:00.000Z"),
        ];
        newest_first(&mut items);
        assert_eq!(ids(&items), ["c", "b", "a"]);

        // Oldest first, newest first, shuffled, with ties on the timestamp broken by id; and a
        // feed as large as the one in issue 12 (30,000 items), which an insertion sort took
        // seconds over.
        for count in [60u32, 30_000] {
            let at = |n: u32| format!("2026-11-{:02}T10:{:02}:00.000Z", n % 28 + 1, n / 28 % 60);
            let ordered: Vec<PublishedPraise> = (0..count)
                .map(|n| item(&format!("{n:05}"), &at(n / 2)))
                .collect();
            let mut expected = ordered.clone();
            expected.sort_by(|a, b| {
                b.created_at
                    .cmp(&a.created_at)
                    .then_with(|| b.id.cmp(&a.id))
            });
            let mut shuffled = ordered.clone();
            // A fixed permutation that scatters every item (multiplying by a unit mod n).
            let n = shuffled.len();
            let mut scattered = Vec::with_capacity(n);
            for i in 0..n {
                scattered.push(shuffled[(i * 7_919) % n].clone());
            }
            shuffled.rotate_left(17);
            for mut input in [
                ordered.clone(),
                ordered.iter().rev().cloned().collect(),
                shuffled,
                scattered,
            ] {
                let started = std::time::Instant::now();
                newest_first(&mut input);
                // O(n log n) sorts 30,000 items in tens of milliseconds even in a debug build;
                // the insertion sort this replaced took over ten seconds on the scattered order.
                // The bound is loose enough for a loaded machine and still fails a quadratic sort.
                let took = started.elapsed();
                assert!(took.as_secs() < 3, "{count} items took {took:?}");
                assert_eq!(input, expected);
            }
        }
    }

    #[test]
    fn show_more_reveals_loaded_cards_then_follows_the_cursor() {
        let mut feed =
            WallFeed::first(WallPage::read(&page_json(&items_json(25..50), Some("c2"))).unwrap());
        assert_eq!(feed.shown().len(), 10);
        assert_eq!(feed.more(), MoreStep::Reveal);
        feed.reveal();
        feed.reveal();
        assert_eq!(feed.shown().len(), 25);
        assert_eq!(feed.more(), MoreStep::Fetch("c2".into()));
        // The next page overlaps the last by one item (published in between): kept once.
        feed.merge(WallPage::read(&page_json(&items_json(10..26), None)).unwrap());
        assert_eq!(feed.items().len(), 40);
        assert_eq!(feed.shown().len(), 35);
        assert_eq!(feed.shown()[25].id, "p00024");
        assert_eq!(feed.more(), MoreStep::Reveal);
        feed.reveal();
        assert_eq!(feed.more(), MoreStep::Nothing);

        // A bare array has no cursor: it only reveals.
        let feed =
            WallFeed::first(WallPage::read(&format!("[{}]", items_json(0..3).join(","))).unwrap());
        assert_eq!(feed.shown().len(), 3);
        assert_eq!(feed.more(), MoreStep::Nothing);
    }

    #[test]
    fn a_stale_reply_is_ignored() {
        let page = |range| WallPage::read(&page_json(&items_json(range), Some("next")));
        let state = WallState::default()
            .reduce(WallAction::Reload { generation: 1 })
            .reduce(WallAction::Reload { generation: 2 });
        // The newer request answers first, then the older one.
        let state = state
            .reduce(WallAction::Loaded {
                generation: 2,
                page: Ok(page(10..20).unwrap()),
            })
            .reduce(WallAction::Loaded {
                generation: 1,
                page: Ok(page(0..5).unwrap()),
            });
        let WallView::Ready(feed) = &state.view else {
            panic!("not ready: {state:?}")
        };
        assert_eq!(feed.items()[0].id, "p00019");
        assert_eq!(feed.items().len(), 10);

        // A next page fetched before a reload does not land on the reloaded wall.
        let fetching = state.reduce(WallAction::FetchingMore);
        assert!(fetching.fetching_more);
        let reloaded = fetching
            .reduce(WallAction::Reload { generation: 3 })
            .reduce(WallAction::Loaded {
                generation: 3,
                page: Ok(page(10..21).unwrap()),
            });
        let after = reloaded.reduce(WallAction::MoreLoaded {
            generation: 2,
            page: Ok(page(0..10).unwrap()),
        });
        assert_eq!(after, reloaded);
        // The current generation's next page is merged in.
        let merged = reloaded.reduce(WallAction::MoreLoaded {
            generation: 3,
            page: Ok(page(0..10).unwrap()),
        });
        let WallView::Ready(feed) = &merged.view else {
            panic!("not ready")
        };
        assert_eq!(feed.items().len(), 21);
        assert_eq!(feed.shown().len(), 20);
    }

    #[test]
    fn a_failed_feed_is_unavailable_but_a_failed_reload_keeps_the_cards() {
        let state = WallState::default().reduce(WallAction::Reload { generation: 1 });
        let failed = state.reduce(WallAction::Loaded {
            generation: 1,
            page: Err(()),
        });
        assert_eq!(failed.view, WallView::Unavailable);
        let ready = state.reduce(WallAction::Loaded {
            generation: 1,
            page: Ok(WallPage::read(&page_json(&items_json(0..3), None)).unwrap()),
        });
        let reload_failed =
            ready
                .reduce(WallAction::Reload { generation: 2 })
                .reduce(WallAction::Loaded {
                    generation: 2,
                    page: Err(()),
                });
        assert_eq!(reload_failed.view, ready.view);
    }

    #[cfg(not(target_arch = "wasm32"))] // the validator is a native-only dev-dependency
    /// The published schema of the paged feed (docs/schema/wall.v1.json).
    fn wall_schema() -> jsonschema::Validator {
        crate::core::wire::published_schema("wall.v1")
    }

    #[cfg(not(target_arch = "wasm32"))] // the validator is a native-only dev-dependency
    #[test]
    fn a_sample_page_matches_the_published_schema_and_reads_whole() {
        let sample = r#"{
            "schema_version": 1,
            "items": [
                {"id": "k2", "staff_name": "Maribel", "staff_role": "Cashier",
                 "location": "Harbour Road", "occurred_on": "2026-11-20",
                 "tags": ["genuine_warmth", "went_extra_mile"],
                 "story": "She repacked my groceries so nothing got crushed.",
                 "created_at": "2026-11-21T09:30:00.000Z"},
                {"id": "k1", "staff_name": "the tall man at the deli", "story": "Found the last loaf.",
                 "created_at": "2026-11-20T17:05:00Z"}
            ],
            "next_cursor": "eyJiZWZvcmUiOiJrMSJ9"
        }"#;
        let validator = wall_schema();
        let json: serde_json::Value = serde_json::from_str(sample).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        let page = WallPage::read(sample).unwrap();
        assert_eq!(page.skipped, 0);
        assert_eq!(ids(&page.items), ["k2", "k1"]);
        assert_eq!(page.items[0].tags.len(), 2);
        assert_eq!(page.next_cursor.as_deref(), Some("eyJiZWZvcmUiOiJrMSJ9"));

        // A guard on the guard: the schema refuses what the contract forbids, so the check above
        // is not vacuous.
        for bad in [
            r#"{"schema_version":1,"items":[]}"#,
            r#"{"schema_version":2,"items":[],"next_cursor":null}"#,
            r#"{"schema_version":1,"items":[{"id":"a","staff_name":"B","story":"s","created_at":"yesterday"}],"next_cursor":null}"#,
            r#"{"schema_version":1,"items":[{"id":"a","staff_name":"B","story":"s","created_at":"2026-11-20T17:05:00Z","visitor_email":"a@b.c"}],"next_cursor":null}"#,
        ] {
            let json: serde_json::Value = serde_json::from_str(bad).unwrap();
            assert!(!validator.is_valid(&json), "{bad}");
        }
    }
}
