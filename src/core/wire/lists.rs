//! Newsletter lists as `data-lists` writes them in JSON.

use crate::core::config::ListChoice;
use crate::core::json::Json;

impl ListChoice {
    /// `{"id", "label"}`, both strings; other members are ignored.
    pub fn from_json(json: &Json) -> Option<ListChoice> {
        Some(ListChoice {
            id: json.get("id")?.to_string_value()?,
            label: json.get("label")?.to_string_value()?,
        })
    }
}
