//! The newsletter subscription on the wire: the `data` object its envelope carries.

use crate::core::json::Object;
use crate::core::newsletter::NewsletterData;

impl NewsletterData {
    /// Writes the members of a newsletter envelope's `data` object (`lists` always, even empty).
    pub fn write_members(&self, data: &mut Object) {
        data.str("email", &self.email)
            .opt_str("first_name", self.first_name.as_deref())
            .strs("lists", &self.lists);
    }
}
