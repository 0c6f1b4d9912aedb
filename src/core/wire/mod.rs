//! The wire and storage codecs, together: the JSON reader and the builder every shape is written
//! with ([`json`]), the envelope posted and stored ([`envelope`]: the submission writer, the
//! stored-envelope reader, the reply status), the wall feed's paged reader ([`wall`]), and each
//! type's reader or writer (the roster, wall items, praise and newsletter data, newsletter
//! lists). The types themselves stay with their rules (core::praise, core::roster, …); only how
//! they become and come from JSON is here.
//!
//! Elsewhere still: the outbox's storage shape (core::outbox), the reply body reader
//! (core::delivery) and the providers' request and reply translation (core::providers).

pub mod envelope;
pub mod json;
mod lists;
mod newsletter;
mod praise;
mod roster;
pub mod wall;
