//! kudos-widget: a "recognize our staff" form and praise wall that a site owner adds to any page
//! with one script tag.
//!
//! - [`core`] is plain Rust (configuration rules, the praise model, the form state machine, the wire
//!   envelope, the text tables) and is tested natively with `cargo test`.
//! - `shell` (wasm only) is the browser side: mounting into a shadow root, storage, transports and
//!   the yew components.
//!
//! The only items exported to JavaScript are `mount` and the handle it returns; the loader
//! (`loader/kudos.js`) calls them.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod shell;

#[cfg(target_arch = "wasm32")]
pub use shell::api::{mount, MountedWidget};

/// The wasm's allocator: lol_alloc's free list (first fit, neighbours merged on free) instead of
/// the default dlmalloc. Size: measured −2,356 bytes brotli of wasm (docs/size-log.md).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: `AssumeSingleThreaded` requires that no two threads allocate at once. The widget's wasm
// is built without the atomics feature and runs on the page's main thread only (no workers share
// its memory), so there is only ever one thread.
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
