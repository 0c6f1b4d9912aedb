//! The staff roster on the wire: `data-staff`, a roster URL's reply, the demo roster.

use crate::core::json::{default_strings, optional_string, Json};
use crate::core::roster::StaffMember;

impl StaffMember {
    /// One roster entry, `{"id", "name" (or "display_name"), "role"?, "location"?, "nicknames"?}`;
    /// other members are ignored. `None` when a required member is missing or has the wrong type.
    pub fn from_json(json: &Json) -> Option<StaffMember> {
        let name = json.get("name").or_else(|| json.get("display_name"))?;
        Some(StaffMember {
            id: json.get("id")?.to_string_value()?,
            name: name.to_string_value()?,
            role: optional_string(json, "role")?,
            location: optional_string(json, "location")?,
            nicknames: default_strings(json, "nicknames")?,
        })
    }

    /// A roster: an array of entries, all readable, else `None` (one bad entry refuses the lot,
    /// so a typo is warned about instead of silently dropping someone).
    pub fn list_from_json(json: &Json) -> Option<Vec<StaffMember>> {
        json.as_array()?
            .iter()
            .map(StaffMember::from_json)
            .collect()
    }
}
