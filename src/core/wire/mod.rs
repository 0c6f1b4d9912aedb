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

/// The contract's published JSON Schema `docs/schema/{name}.json` (`wall.v1`), as a validator
/// with formats checked: the one source of truth the codecs' tests hold their output to.
#[cfg(all(test, not(target_arch = "wasm32")))] // the validator is a native-only dev-dependency
pub(crate) fn published_schema(name: &str) -> jsonschema::Validator {
    let path = format!("{}/docs/schema/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{path} is not a valid schema: {e}"))
}
