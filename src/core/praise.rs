//! Praise for a staff member: what the visitor types, the rules it must meet, and what the wall
//! shows once it is published.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::core::email::is_plausible_email;
use crate::core::form::{Draft, FieldError, FieldValue};

/// The shortest story that still says what happened, in characters after trimming.
pub const STORY_MIN_CHARS: usize = 20;
/// The longest story the wall and most endpoints will take, in characters after trimming.
pub const STORY_MAX_CHARS: usize = 2000;
/// The longest staff name or visitor name.
pub const NAME_MAX_CHARS: usize = 100;

/// The version of the "you may publish this" wording. Change it whenever the wording changes, so
/// each submission records which text the visitor agreed to.
pub const PUBLISH_CONSENT_VERSION: &str = "praise-publish-2026-11";

/// The fields of the praise form, in the order they appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PraiseField {
    /// Who is being thanked.
    StaffName,
    /// What they did.
    Story,
    /// The visitor's own name (optional).
    VisitorName,
    /// The visitor's email (optional).
    VisitorEmail,
    /// "You may publish this praise" (optional, unticked by default).
    PublishConsent,
}

impl PraiseField {
    /// Every field, in form order.
    pub const ALL: [PraiseField; 5] = [
        PraiseField::StaffName,
        PraiseField::Story,
        PraiseField::VisitorName,
        PraiseField::VisitorEmail,
        PraiseField::PublishConsent,
    ];

    /// A stable identifier for element ids, storage and the wire contract's field paths.
    pub fn key(self) -> &'static str {
        match self {
            PraiseField::StaffName => "staff_name",
            PraiseField::Story => "story",
            PraiseField::VisitorName => "visitor_name",
            PraiseField::VisitorEmail => "visitor_email",
            PraiseField::PublishConsent => "publish_consent",
        }
    }
}

/// What the visitor has entered, exactly as typed (trimming happens when it is sent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PraiseDraft {
    /// Who is being thanked.
    pub staff_name: String,
    /// What they did.
    pub story: String,
    /// The visitor's name, if they give it.
    pub visitor_name: String,
    /// The visitor's email, if they give it.
    pub visitor_email: String,
    /// Whether the visitor ticked "you may publish this praise".
    pub publish_consent: bool,
}

/// Counts what a visitor would call characters (Unicode scalar values) after trimming.
pub fn trimmed_len(text: &str) -> usize {
    text.trim().chars().count()
}

impl Draft for PraiseDraft {
    type Field = PraiseField;

    fn set(&mut self, field: PraiseField, value: FieldValue) {
        match (field, value) {
            (PraiseField::StaffName, FieldValue::Text(text)) => self.staff_name = text,
            (PraiseField::Story, FieldValue::Text(text)) => self.story = text,
            (PraiseField::VisitorName, FieldValue::Text(text)) => self.visitor_name = text,
            (PraiseField::VisitorEmail, FieldValue::Text(text)) => self.visitor_email = text,
            (PraiseField::PublishConsent, FieldValue::Checked(checked)) => {
                self.publish_consent = checked
            }
            _ => {}
        }
    }

    fn validate(&self) -> BTreeMap<PraiseField, FieldError> {
        let mut errors = BTreeMap::new();
        let staff_len = trimmed_len(&self.staff_name);
        if staff_len == 0 {
            errors.insert(PraiseField::StaffName, FieldError::Required);
        } else if staff_len > NAME_MAX_CHARS {
            errors.insert(
                PraiseField::StaffName,
                FieldError::TooLong {
                    max: NAME_MAX_CHARS,
                },
            );
        }
        let story_len = trimmed_len(&self.story);
        if story_len == 0 {
            errors.insert(PraiseField::Story, FieldError::Required);
        } else if story_len < STORY_MIN_CHARS {
            errors.insert(
                PraiseField::Story,
                FieldError::TooShort {
                    min: STORY_MIN_CHARS,
                },
            );
        } else if story_len > STORY_MAX_CHARS {
            errors.insert(
                PraiseField::Story,
                FieldError::TooLong {
                    max: STORY_MAX_CHARS,
                },
            );
        }
        if trimmed_len(&self.visitor_name) > NAME_MAX_CHARS {
            errors.insert(
                PraiseField::VisitorName,
                FieldError::TooLong {
                    max: NAME_MAX_CHARS,
                },
            );
        }
        let email = self.visitor_email.trim();
        if !email.is_empty() && !is_plausible_email(email) {
            errors.insert(PraiseField::VisitorEmail, FieldError::InvalidEmail);
        }
        errors
    }
}

/// The praise as it goes on the wire: trimmed, optional fields absent rather than empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PraiseData {
    /// Who is being thanked.
    pub staff_name: String,
    /// What they did.
    pub story: String,
    /// The visitor's name, when given.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub visitor_name: Option<String>,
    /// The visitor's email, when given.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub visitor_email: Option<String>,
}

/// Trims a field; an empty result means "not given".
fn given(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

impl PraiseDraft {
    /// The wire form of a draft that passed validation.
    pub fn to_data(&self) -> PraiseData {
        PraiseData {
            staff_name: self.staff_name.trim().to_owned(),
            story: self.story.trim().to_owned(),
            visitor_name: given(&self.visitor_name),
            visitor_email: given(&self.visitor_email).map(|email| lower_case_domain(&email)),
        }
    }
}

/// Lower-cases the part after the last `@`: domains are case-insensitive, local parts may not be.
fn lower_case_domain(email: &str) -> String {
    match email.rsplit_once('@') {
        Some((local, domain)) => format!("{local}@{}", lower_case(domain)),
        None => email.to_owned(),
    }
}

/// Unicode lower case (`str::to_lowercase`). In the browser it is JavaScript's `toLowerCase`, the
/// same Unicode mapping (final sigma included): Rust's own brings its case tables into the wasm,
/// about 5 KB brotli for this one call (docs/size-log.md). Natively, tests use Rust's.
#[cfg(target_arch = "wasm32")]
fn lower_case(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}

#[cfg(not(target_arch = "wasm32"))]
fn lower_case(text: &str) -> String {
    text.to_lowercase()
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn browser_lower_case_is_rusts() {
        for text in ["Shop.EXAMPLE", "ÉCOLE.CA", "ΟΔΟΣ.GR", "İSTANBUL.TR", "ß.DE"] {
            assert_eq!(super::lower_case(text), text.to_lowercase(), "{text}");
        }
    }
}

/// One item on the wall: published praise, without anything that identifies the visitor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedPraise {
    /// The submission id, stable across reloads (used as the list key).
    pub id: String,
    /// Who was thanked.
    pub staff_name: String,
    /// What they did.
    pub story: String,
    /// When the praise was written (RFC 3339, UTC).
    pub created_at: String,
}

/// Newest first; ids break ties so the order never flickers between renders.
pub fn newest_first(items: &mut [PublishedPraise]) {
    items.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then_with(|| b.id.cmp(&a.id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> PraiseDraft {
        PraiseDraft {
            staff_name: "Maribel".into(),
            story: "She repacked my groceries so nothing got crushed.".into(),
            ..PraiseDraft::default()
        }
    }

    fn error_of(draft: &PraiseDraft, field: PraiseField) -> Option<FieldError> {
        draft.validate().get(&field).copied()
    }

    #[test]
    fn a_complete_draft_is_valid() {
        assert!(valid().validate().is_empty());
    }

    #[test]
    fn staff_name_is_required() {
        for name in ["", "   ", "\n\t"] {
            let draft = PraiseDraft {
                staff_name: name.into(),
                ..valid()
            };
            assert_eq!(
                error_of(&draft, PraiseField::StaffName),
                Some(FieldError::Required)
            );
        }
    }

    #[test]
    fn story_length_boundaries_count_characters_after_trimming() {
        let story = |n: usize| PraiseDraft {
            story: format!("  {}  ", "é".repeat(n)),
            ..valid()
        };
        assert_eq!(
            error_of(&story(19), PraiseField::Story),
            Some(FieldError::TooShort { min: 20 })
        );
        assert_eq!(error_of(&story(20), PraiseField::Story), None);
        assert_eq!(error_of(&story(2000), PraiseField::Story), None);
        assert_eq!(
            error_of(&story(2001), PraiseField::Story),
            Some(FieldError::TooLong { max: 2000 })
        );
    }

    #[test]
    fn whitespace_only_story_is_required_not_short() {
        let draft = PraiseDraft {
            story: " ".repeat(40),
            ..valid()
        };
        assert_eq!(
            error_of(&draft, PraiseField::Story),
            Some(FieldError::Required)
        );
    }

    #[test]
    fn visitor_email_is_optional_but_checked_when_given() {
        let with_email = |email: &str| PraiseDraft {
            visitor_email: email.into(),
            ..valid()
        };
        assert_eq!(error_of(&with_email(""), PraiseField::VisitorEmail), None);
        assert_eq!(
            error_of(&with_email(" ana@shop.example "), PraiseField::VisitorEmail),
            None
        );
        assert_eq!(
            error_of(&with_email("ana@shop"), PraiseField::VisitorEmail),
            Some(FieldError::InvalidEmail)
        );
    }

    #[test]
    fn over_long_names_are_refused() {
        let draft = PraiseDraft {
            staff_name: "x".repeat(101),
            visitor_name: "y".repeat(101),
            ..valid()
        };
        assert_eq!(
            error_of(&draft, PraiseField::StaffName),
            Some(FieldError::TooLong { max: 100 })
        );
        assert_eq!(
            error_of(&draft, PraiseField::VisitorName),
            Some(FieldError::TooLong { max: 100 })
        );
    }

    #[test]
    fn wire_data_is_trimmed_and_omits_what_was_not_given() {
        let draft = PraiseDraft {
            staff_name: "  Maribel ".into(),
            story: "\n She repacked my groceries so nothing got crushed. ".into(),
            visitor_name: "   ".into(),
            visitor_email: " Ana.Ruiz@Shop.EXAMPLE ".into(),
            publish_consent: true,
        };
        let data = draft.to_data();
        assert_eq!(data.staff_name, "Maribel");
        assert_eq!(
            data.story,
            "She repacked my groceries so nothing got crushed."
        );
        assert_eq!(data.visitor_name, None);
        assert_eq!(data.visitor_email.as_deref(), Some("Ana.Ruiz@shop.example"));
        let json = serde_json::to_value(&data).unwrap();
        assert!(json.get("visitor_name").is_none());
    }

    #[test]
    fn the_wall_lists_newest_first() {
        let item = |id: &str, at: &str| PublishedPraise {
            id: id.into(),
            staff_name: "Maribel".into(),
            story: "A story long enough to show.".into(),
            created_at: at.into(),
        };
        let mut items = vec![
            item("a", "2026-11-01T10:00:00.000Z"),
            item("c", "2026-11-03T10:00:00.000Z"),
            item("b", "2026-11-02T10:00:00.000Z"),
        ];
        newest_first(&mut items);
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["c", "b", "a"]);
    }
}
