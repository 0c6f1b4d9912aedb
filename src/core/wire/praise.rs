//! The praise types on the wire: the `data` object a praise envelope carries, and one item of a
//! live wall feed.

use crate::core::json::{default_strings, optional_string, Json, Object};
use crate::core::praise::{PartOfDay, PraiseData, PublishedPraise};

impl PraiseData {
    /// Writes the members of a praise envelope's `data` object: in field order, absent options
    /// and an empty tag list left out.
    pub fn write_members(&self, data: &mut Object) {
        data.opt_str("staff_name", self.staff_name.as_deref())
            .opt_str("staff_id", self.staff_id.as_deref())
            .opt_str("staff_role", self.staff_role.as_deref())
            .opt_str("staff_description", self.staff_description.as_deref())
            .opt_str("location", self.location.as_deref())
            .opt_str("occurred_on", self.occurred_on.as_deref())
            .opt_str("part_of_day", self.part_of_day.map(PartOfDay::key))
            .str("story", &self.story);
        if !self.tags.is_empty() {
            data.strs("tags", &self.tags);
        }
        data.opt_str("visitor_name", self.visitor_name.as_deref())
            .opt_str("visitor_email", self.visitor_email.as_deref());
    }
}

impl PublishedPraise {
    /// One wall item as a live wall URL returns it: `id`, `staff_name`, `story` and `created_at`
    /// must be strings, the rest may be missing or `null`; unknown members are ignored.
    pub fn from_json(json: &Json) -> Option<PublishedPraise> {
        Some(PublishedPraise {
            id: json.get("id")?.to_string_value()?,
            staff_name: json.get("staff_name")?.to_string_value()?,
            staff_role: optional_string(json, "staff_role")?,
            location: optional_string(json, "location")?,
            occurred_on: optional_string(json, "occurred_on")?,
            tags: default_strings(json, "tags")?,
            story: json.get("story")?.to_string_value()?,
            created_at: json.get("created_at")?.to_string_value()?,
            // Optional: absent (or anything but `true`) is not featured.
            featured: json.get("featured").and_then(Json::as_bool) == Some(true),
        })
    }
}
