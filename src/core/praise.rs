//! Praise for a staff member: what the visitor enters (who, where, when, what they did, which
//! "little BIG things"), the rules it must meet, and what the wall shows once it is published.

use crate::core::sorted::SortedMap;
use crate::core::sorted::SortedSet;

#[cfg(test)]
use serde::{Deserialize, Serialize};

use crate::core::config::{Config, FieldKey, Presence, DEFAULT_TAGS};
use crate::core::email::{is_plausible_email, normalize_email};
use crate::core::form::{flag, Draft, FieldError, FieldValue};
use crate::core::platform::PlatformRef;
use crate::core::roster::Roster;

/// The shortest story that still says what happened, in characters after trimming.
pub const STORY_MIN_CHARS: usize = 20;
/// The longest story the wall and most endpoints will take, in characters after trimming.
pub const STORY_MAX_CHARS: usize = 2000;
/// The longest name, description or location.
pub const NAME_MAX_CHARS: usize = 100;
/// The shortest useful description of someone whose name the visitor missed.
pub const DESCRIPTION_MIN_CHARS: usize = 3;

/// The version of the "you may publish this" wording. Change it whenever the wording changes, so
/// each submission records which text the visitor agreed to.
pub const PUBLISH_CONSENT_VERSION: &str = "praise-publish-2026-11";
/// The version of the "you may contact me" wording.
pub const CONTACT_CONSENT_VERSION: &str = "praise-contact-2026-11";

/// The fields of the praise form, in the order they appear (and errors are listed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PraiseField {
    /// Who is being thanked, typed; also where roster picks and "didn't catch their name" land.
    Staff,
    /// The description of someone whose name the visitor missed.
    StaffDescription,
    /// Where it happened.
    Location,
    /// The day it happened.
    Date,
    /// Morning, afternoon or evening (optional).
    PartOfDay,
    /// What they did.
    Story,
    /// The "little BIG things" that fit.
    Tags,
    /// The visitor's own name.
    VisitorName,
    /// The visitor's email.
    VisitorEmail,
    /// "You may contact me about this."
    ContactConsent,
    /// "You may publish this praise."
    PublishConsent,
}

impl PraiseField {
    /// A stable identifier for element ids and the wire contract's field paths (`data.<key>`).
    pub fn key(self) -> &'static str {
        match self {
            PraiseField::Staff => "staff_name",
            PraiseField::StaffDescription => "staff_description",
            PraiseField::Location => "location",
            PraiseField::Date => "occurred_on",
            PraiseField::PartOfDay => "part_of_day",
            PraiseField::Story => "story",
            PraiseField::Tags => "tags",
            PraiseField::VisitorName => "visitor_name",
            PraiseField::VisitorEmail => "visitor_email",
            PraiseField::ContactConsent => "contact_consent",
            PraiseField::PublishConsent => "publish_consent",
        }
    }

    /// The `data-fields` key that sets this field's presence.
    pub fn presence_key(self) -> FieldKey {
        match self {
            PraiseField::Staff | PraiseField::StaffDescription => FieldKey::Staff,
            PraiseField::Location => FieldKey::Location,
            PraiseField::Date | PraiseField::PartOfDay => FieldKey::Date,
            PraiseField::Story => FieldKey::Story,
            PraiseField::Tags => FieldKey::Tags,
            PraiseField::VisitorName => FieldKey::VisitorName,
            PraiseField::VisitorEmail => FieldKey::VisitorEmail,
            PraiseField::ContactConsent => FieldKey::ContactConsent,
            PraiseField::PublishConsent => FieldKey::PublishConsent,
        }
    }

    /// The field a wire path such as `data.story` names, for mapping an endpoint's errors back.
    pub fn from_wire_path(path: &str) -> Option<PraiseField> {
        let key = path.strip_prefix("data.").unwrap_or(path);
        let key = if key == "staff_id" { "staff_name" } else { key };
        [
            PraiseField::Staff,
            PraiseField::StaffDescription,
            PraiseField::Location,
            PraiseField::Date,
            PraiseField::PartOfDay,
            PraiseField::Story,
            PraiseField::Tags,
            PraiseField::VisitorName,
            PraiseField::VisitorEmail,
        ]
        .into_iter()
        .find(|field| field.key() == key)
    }
}

/// Morning, afternoon or evening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(Serialize, Deserialize))]
#[cfg_attr(test, serde(rename_all = "snake_case"))]
pub enum PartOfDay {
    /// Before noon.
    Morning,
    /// Noon to six.
    Afternoon,
    /// After six.
    Evening,
}

impl PartOfDay {
    /// All three, in order of the day.
    pub const ALL: [PartOfDay; 3] = [PartOfDay::Morning, PartOfDay::Afternoon, PartOfDay::Evening];

    /// The wire and form value.
    pub fn key(self) -> &'static str {
        match self {
            PartOfDay::Morning => "morning",
            PartOfDay::Afternoon => "afternoon",
            PartOfDay::Evening => "evening",
        }
    }

    fn from_key(key: &str) -> Option<PartOfDay> {
        PartOfDay::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// What validation depends on besides the visitor's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PraiseRules {
    /// Today in the visitor's time zone, `YYYY-MM-DD`: the default date and the latest allowed.
    pub today: String,
    /// How present each field is, by `data-fields` key.
    pub presence: SortedMap<FieldKey, Presence>,
    /// The staff a visitor can pick from.
    pub roster: Roster,
    /// The tag ids a visitor can choose.
    pub tag_ids: Vec<String>,
    /// The platform the configuration was read with (the email's domain is lower-cased by it).
    pub platform: PlatformRef,
}

impl PraiseRules {
    /// The rules for a widget configured by `config`, on `today`.
    pub fn new(config: &Config, roster: Roster, today: String) -> Self {
        let presence = FieldKey::ALL
            .into_iter()
            .map(|key| (key, config.presence(key)))
            .collect();
        let tag_ids = match &config.tags {
            Some(tags) => tags.iter().map(|t| t.id.clone()).collect(),
            None => DEFAULT_TAGS
                .iter()
                .map(|(id, _)| (*id).to_owned())
                .collect(),
        };
        PraiseRules {
            today,
            presence,
            roster,
            tag_ids,
            platform: config.platform,
        }
    }

    /// How present the field with `data-fields` key `key` is.
    pub fn presence(&self, key: FieldKey) -> Presence {
        self.presence
            .get(&key)
            .copied()
            .unwrap_or(Presence::Optional)
    }

    /// How present a form field is (several form fields share one `data-fields` key).
    pub fn presence_of(&self, field: PraiseField) -> Presence {
        self.presence(field.presence_key())
    }
}

/// What the visitor has entered, exactly as typed (trimming happens when it is sent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PraiseDraft {
    /// The name as typed, or as picked from the roster.
    pub staff_name: String,
    /// The roster id, when the name was picked from the roster and not edited since.
    pub staff_id: Option<String>,
    /// "I didn't catch their name" is ticked: the description replaces the name.
    pub name_unknown: bool,
    /// A few words that identify someone whose name the visitor missed.
    pub staff_description: String,
    /// Where it happened.
    pub location: String,
    /// The day it happened, `YYYY-MM-DD`.
    pub occurred_on: String,
    /// Morning, afternoon or evening, if the visitor says.
    pub part_of_day: Option<PartOfDay>,
    /// What they did.
    pub story: String,
    /// The chosen tag ids.
    pub tags: SortedSet<String>,
    /// The visitor's name, if they give it.
    pub visitor_name: String,
    /// The visitor's email, if they give it.
    pub visitor_email: String,
    /// Whether the visitor ticked "you may contact me about this".
    pub contact_consent: bool,
    /// Whether the visitor ticked "you may publish this praise".
    pub publish_consent: bool,
}

/// Counts what a visitor would call characters (Unicode scalar values) after trimming.
pub fn trimmed_len(text: &str) -> usize {
    text.trim().chars().count()
}

/// Checks a text's length against its presence and bounds.
fn check_text(text: &str, presence: Presence, min: usize, max: usize) -> Result<(), FieldError> {
    let len = trimmed_len(text);
    match presence {
        Presence::Hidden => Ok(()),
        _ if len == 0 && presence == Presence::Required => Err(FieldError::Required),
        _ if len == 0 => Ok(()),
        _ if len < min => Err(FieldError::TooShort { min }),
        _ if len > max => Err(FieldError::TooLong { max }),
        _ => Ok(()),
    }
}

/// True when `date` is a real calendar day written `YYYY-MM-DD`.
pub fn is_calendar_date(date: &str) -> bool {
    let mut parts = date.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return false;
    }
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>())
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

impl Draft for PraiseDraft {
    type Field = PraiseField;
    type Rules = PraiseRules;

    fn field_from_wire_path(path: &str) -> Option<PraiseField> {
        PraiseField::from_wire_path(path)
    }

    fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![
            ("staff_name", self.staff_name.clone()),
            ("name_unknown", flag(self.name_unknown)),
            ("staff_description", self.staff_description.clone()),
            ("location", self.location.clone()),
            ("occurred_on", self.occurred_on.clone()),
            ("story", self.story.clone()),
            ("visitor_name", self.visitor_name.clone()),
            ("visitor_email", self.visitor_email.clone()),
            // No consent: a box is ticked now, for the wording shown now, or not at all (issue
            // 12, defect 9: restored ticked, the envelope recorded a consent given days before
            // to a wording that may have changed).
        ];
        pairs.extend(self.staff_id.clone().map(|id| ("staff_id", id)));
        pairs.extend(
            self.part_of_day
                .map(|p| ("part_of_day", p.key().to_owned())),
        );
        pairs.extend(self.tags.iter().map(|tag| ("tags", tag.clone())));
        pairs
    }

    fn restore(&mut self, name: &str, value: String) {
        match name {
            "staff_name" => self.staff_name = value,
            "staff_id" => self.staff_id = Some(value),
            "name_unknown" => self.name_unknown = value == "true",
            "staff_description" => self.staff_description = value,
            "location" => self.location = value,
            "occurred_on" => self.occurred_on = value,
            "part_of_day" => self.part_of_day = PartOfDay::from_key(&value),
            "story" => self.story = value,
            "tags" => {
                self.tags.insert(value);
            }
            "visitor_name" => self.visitor_name = value,
            "visitor_email" => self.visitor_email = value,
            _ => {}
        }
    }

    fn fresh(rules: &PraiseRules) -> Self {
        PraiseDraft {
            occurred_on: rules.today.clone(),
            ..PraiseDraft::default()
        }
    }

    fn set(&mut self, field: PraiseField, value: FieldValue, rules: &PraiseRules) {
        match (field, value) {
            // Picking a suggestion sends the member's id; typing sends text and forgets the pick.
            (PraiseField::Staff, FieldValue::Toggle { id, on: true }) => {
                if let Some(member) = rules.roster.by_id(&id) {
                    self.staff_name = member.name.clone();
                    self.staff_id = Some(member.id.clone());
                    if self.location.trim().is_empty() {
                        self.location = member.location.clone().unwrap_or_default();
                    }
                }
            }
            (PraiseField::Staff, FieldValue::Text(text)) => {
                self.staff_name = text;
                self.staff_id = None;
            }
            (PraiseField::Staff, FieldValue::Checked(unknown)) => self.name_unknown = unknown,
            (PraiseField::StaffDescription, FieldValue::Text(text)) => {
                self.staff_description = text
            }
            (PraiseField::Location, FieldValue::Text(text)) => self.location = text,
            (PraiseField::Date, FieldValue::Text(text)) => self.occurred_on = text,
            (PraiseField::PartOfDay, FieldValue::Text(text)) => {
                self.part_of_day = PartOfDay::from_key(&text)
            }
            (PraiseField::Story, FieldValue::Text(text)) => self.story = text,
            (PraiseField::Tags, FieldValue::Toggle { id, on }) => {
                if on && rules.tag_ids.contains(&id) {
                    self.tags.insert(id);
                } else if !on {
                    self.tags.remove(&id);
                }
            }
            (PraiseField::VisitorName, FieldValue::Text(text)) => self.visitor_name = text,
            (PraiseField::VisitorEmail, FieldValue::Text(text)) => self.visitor_email = text,
            (PraiseField::ContactConsent, FieldValue::Checked(checked)) => {
                self.contact_consent = checked
            }
            (PraiseField::PublishConsent, FieldValue::Checked(checked)) => {
                self.publish_consent = checked
            }
            _ => {}
        }
    }

    fn validate(&self, rules: &PraiseRules) -> SortedMap<PraiseField, FieldError> {
        let mut errors = SortedMap::new();
        let mut check = |field: PraiseField, result: Result<(), FieldError>| {
            if let Err(error) = result {
                errors.insert(field, error);
            }
        };
        let staff = rules.presence(FieldKey::Staff);
        if self.name_unknown {
            check(
                PraiseField::StaffDescription,
                check_text(
                    &self.staff_description,
                    staff,
                    DESCRIPTION_MIN_CHARS,
                    NAME_MAX_CHARS * 2,
                ),
            );
        } else {
            check(
                PraiseField::Staff,
                check_text(&self.staff_name, staff, 1, NAME_MAX_CHARS),
            );
        }
        check(
            PraiseField::Location,
            check_text(
                &self.location,
                rules.presence(FieldKey::Location),
                1,
                NAME_MAX_CHARS,
            ),
        );
        check(PraiseField::Date, self.check_date(rules));
        check(
            PraiseField::Story,
            check_text(
                &self.story,
                rules.presence(FieldKey::Story),
                STORY_MIN_CHARS,
                STORY_MAX_CHARS,
            ),
        );
        if rules.presence(FieldKey::Tags) == Presence::Required && self.tags.is_empty() {
            check(PraiseField::Tags, Err(FieldError::Required));
        }
        check(
            PraiseField::VisitorName,
            check_text(
                &self.visitor_name,
                rules.presence(FieldKey::VisitorName),
                1,
                NAME_MAX_CHARS,
            ),
        );
        let email_presence = rules.presence(FieldKey::VisitorEmail);
        let email = self.visitor_email.trim();
        if email_presence != Presence::Hidden {
            if email.is_empty() && email_presence == Presence::Required {
                check(PraiseField::VisitorEmail, Err(FieldError::Required));
            } else if !email.is_empty() && !is_plausible_email(email) {
                check(PraiseField::VisitorEmail, Err(FieldError::InvalidEmail));
            }
        }
        for (field, ticked) in [
            (PraiseField::ContactConsent, self.contact_consent),
            (PraiseField::PublishConsent, self.publish_consent),
        ] {
            if rules.presence_of(field) == Presence::Required && !ticked {
                check(field, Err(FieldError::Required));
            }
        }
        errors
    }
}

/// The praise as it goes on the wire: trimmed; what was not given, or hidden, is absent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(Serialize, Deserialize))]
pub struct PraiseData {
    /// Who is being thanked, by name (absent when the visitor only described them).
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none", default))]
    pub staff_name: Option<String>,
    /// The roster id, when picked from the roster.
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none", default))]
    pub staff_id: Option<String>,
    /// The roster role, when picked from the roster (lets the wall show it without the roster).
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none", default))]
    pub staff_role: Option<String>,
    /// A description of someone whose name the visitor missed.
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none", default))]
    pub staff_description: Option<String>,
    /// Where it happened.
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none", default))]
    pub location: Option<String>,
    /// The day it happened, `YYYY-MM-DD`.
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none", default))]
    pub occurred_on: Option<String>,
    /// Morning, afternoon or evening.
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none", default))]
    pub part_of_day: Option<PartOfDay>,
    /// What they did.
    pub story: String,
    /// The chosen tag ids.
    #[cfg_attr(test, serde(skip_serializing_if = "Vec::is_empty", default))]
    pub tags: Vec<String>,
    /// The visitor's name, when given.
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none", default))]
    pub visitor_name: Option<String>,
    /// The visitor's email, when given.
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none", default))]
    pub visitor_email: Option<String>,
}

/// Trims a field; an empty result means "not given".
fn given(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

impl PraiseDraft {
    fn check_date(&self, rules: &PraiseRules) -> Result<(), FieldError> {
        let presence = rules.presence(FieldKey::Date);
        let date = self.occurred_on.trim();
        match presence {
            Presence::Hidden => Ok(()),
            _ if date.is_empty() && presence == Presence::Required => Err(FieldError::Required),
            _ if date.is_empty() => Ok(()),
            _ if !is_calendar_date(date) => Err(FieldError::InvalidDate),
            // Both are YYYY-MM-DD, so text order is date order.
            _ if date > rules.today.as_str() => Err(FieldError::FutureDate),
            _ => Ok(()),
        }
    }

    /// The wire form of a draft that passed validation; hidden fields are left out.
    pub fn to_data(&self, rules: &PraiseRules) -> PraiseData {
        let shown = |field: PraiseField| rules.presence_of(field) != Presence::Hidden;
        let when = |field: PraiseField, value: Option<String>| value.filter(|_| shown(field));
        let member = self
            .staff_id
            .as_deref()
            .filter(|_| !self.name_unknown)
            .and_then(|id| rules.roster.by_id(id));
        PraiseData {
            staff_name: when(
                PraiseField::Staff,
                given(&self.staff_name).filter(|_| !self.name_unknown),
            ),
            staff_id: member.map(|m| m.id.clone()),
            staff_role: member.and_then(|m| m.role.clone()),
            staff_description: when(
                PraiseField::StaffDescription,
                given(&self.staff_description).filter(|_| self.name_unknown),
            ),
            location: when(PraiseField::Location, given(&self.location)),
            occurred_on: when(PraiseField::Date, given(&self.occurred_on)),
            part_of_day: self.part_of_day.filter(|_| shown(PraiseField::PartOfDay)),
            story: self.story.trim().to_owned(),
            tags: if shown(PraiseField::Tags) {
                self.tags.iter().cloned().collect()
            } else {
                Vec::new()
            },
            visitor_name: when(PraiseField::VisitorName, given(&self.visitor_name)),
            visitor_email: when(
                PraiseField::VisitorEmail,
                given(&self.visitor_email).map(|email| normalize_email(&email, &*rules.platform)),
            ),
        }
    }
}

/// One item on the wall: published praise, without anything that identifies the visitor.
/// This is also one item of what a live wall URL returns (`core::wall` reads the feed).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(Serialize, Deserialize))]
pub struct PublishedPraise {
    /// The submission id, stable across reloads (used as the list key).
    pub id: String,
    /// Who was thanked: their name, or the visitor's description of them.
    pub staff_name: String,
    /// Their role, when known.
    #[cfg_attr(test, serde(default, skip_serializing_if = "Option::is_none"))]
    pub staff_role: Option<String>,
    /// Where it happened.
    #[cfg_attr(test, serde(default, skip_serializing_if = "Option::is_none"))]
    pub location: Option<String>,
    /// The day it happened, `YYYY-MM-DD`.
    #[cfg_attr(test, serde(default, skip_serializing_if = "Option::is_none"))]
    pub occurred_on: Option<String>,
    /// Tag ids.
    #[cfg_attr(test, serde(default, skip_serializing_if = "Vec::is_empty"))]
    pub tags: Vec<String>,
    /// What they did.
    pub story: String,
    /// When the praise was written (RFC 3339, UTC).
    pub created_at: String,
    /// The owner featured it: it comes before the rest of the wall.
    #[cfg_attr(test, serde(default, skip_serializing_if = "std::ops::Not::not"))]
    pub featured: bool,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::core::config::tests::config;
    use crate::core::form::{FormAction, FormState, Status};
    use crate::core::json::Json;
    use crate::core::roster::StaffMember;
    use std::rc::Rc;

    pub(crate) const TODAY: &str = "2026-11-24";

    pub(crate) fn roster() -> Roster {
        Roster::new(vec![StaffMember {
            id: "c1".into(),
            name: "Christine Roy".into(),
            role: Some("Cashier".into()),
            location: Some("Larch Street".into()),
            nicknames: vec!["Kris".into()],
        }])
    }

    pub(crate) fn rules_with(pairs: &[(&str, &str)]) -> PraiseRules {
        let (config, _) = config(pairs).unwrap();
        PraiseRules::new(&config, roster(), TODAY.into())
    }

    pub(crate) fn rules() -> PraiseRules {
        rules_with(&[])
    }

    pub(crate) fn valid() -> PraiseDraft {
        PraiseDraft {
            staff_name: "Maribel".into(),
            story: "She repacked my groceries so nothing got crushed.".into(),
            ..PraiseDraft::fresh(&rules())
        }
    }

    fn error_of(draft: &PraiseDraft, field: PraiseField) -> Option<FieldError> {
        draft.validate(&rules()).get(&field).copied()
    }

    fn set(draft: &mut PraiseDraft, field: PraiseField, value: FieldValue) {
        draft.set(field, value, &rules());
    }

    #[test]
    fn every_value_of_a_draft_survives_autosave() {
        use crate::core::form::{draft_from_json, draft_to_json};
        let draft = PraiseDraft {
            staff_id: Some("c1".into()),
            name_unknown: true,
            staff_description: "Tall, red scarf".into(),
            location: "Larch Street".into(),
            occurred_on: "2026-01-02".into(),
            part_of_day: Some(PartOfDay::Evening),
            tags: SortedSet::from(["kind".to_owned(), "quick".to_owned()]),
            visitor_name: "Zoé".into(),
            visitor_email: "zoe@example.com".into(),
            contact_consent: true,
            publish_consent: true,
            ..valid()
        };
        let back = draft_from_json::<PraiseDraft>(&draft_to_json(&draft), &rules());
        // Every value but the consents, which always come back unticked.
        let unticked = PraiseDraft {
            contact_consent: false,
            publish_consent: false,
            ..draft
        };
        assert_eq!(back, Some(unticked));
        // A draft stored ticked by an earlier version is restored unticked too.
        let old = r#"[["story","A story long enough"],["publish_consent","true"],["contact_consent","true"]]"#;
        let back = draft_from_json::<PraiseDraft>(old, &rules()).unwrap();
        assert!(!back.publish_consent && !back.contact_consent);
        assert_eq!(back.story, "A story long enough");
        // Options left out stay absent; the date is the one typed, even when emptied.
        let bare = PraiseDraft {
            occurred_on: String::new(),
            ..valid()
        };
        let back = draft_from_json::<PraiseDraft>(&draft_to_json(&bare), &rules());
        assert_eq!(back, Some(bare));
    }

    #[test]
    fn a_complete_draft_is_valid_and_dated_today() {
        assert!(valid().validate(&rules()).is_empty());
        assert_eq!(valid().occurred_on, TODAY);
    }

    #[test]
    fn staff_name_is_required() {
        for name in ["", "   ", "\n\t"] {
            let draft = PraiseDraft {
                staff_name: name.into(),
                ..valid()
            };
            assert_eq!(
                error_of(&draft, PraiseField::Staff),
                Some(FieldError::Required)
            );
        }
    }

    #[test]
    fn a_missed_name_is_replaced_by_a_required_description() {
        let mut draft = PraiseDraft {
            staff_name: String::new(),
            ..valid()
        };
        set(&mut draft, PraiseField::Staff, FieldValue::Checked(true));
        assert_eq!(error_of(&draft, PraiseField::Staff), None);
        assert_eq!(
            error_of(&draft, PraiseField::StaffDescription),
            Some(FieldError::Required)
        );
        set(
            &mut draft,
            PraiseField::StaffDescription,
            FieldValue::Text("tall, red scarf, at the bakery counter".into()),
        );
        assert!(draft.validate(&rules()).is_empty());
        let data = draft.to_data(&rules());
        assert_eq!(data.staff_name, None);
        assert_eq!(
            data.staff_description.as_deref(),
            Some("tall, red scarf, at the bakery counter")
        );
    }

    #[test]
    fn picking_from_the_roster_records_id_role_and_location() {
        let mut draft = valid();
        set(
            &mut draft,
            PraiseField::Staff,
            FieldValue::Toggle {
                id: "c1".into(),
                on: true,
            },
        );
        assert_eq!(draft.staff_name, "Christine Roy");
        assert_eq!(draft.location, "Larch Street");
        let data = draft.to_data(&rules());
        assert_eq!(data.staff_id.as_deref(), Some("c1"));
        assert_eq!(data.staff_role.as_deref(), Some("Cashier"));
        // Typing afterwards means the visitor meant someone else: the pick is forgotten.
        set(
            &mut draft,
            PraiseField::Staff,
            FieldValue::Text("Christine R".into()),
        );
        assert_eq!(draft.to_data(&rules()).staff_id, None);
    }

    #[test]
    fn picking_an_unknown_id_changes_nothing() {
        let mut draft = valid();
        set(
            &mut draft,
            PraiseField::Staff,
            FieldValue::Toggle {
                id: "nobody".into(),
                on: true,
            },
        );
        assert_eq!(draft, valid());
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
    fn dates_must_be_real_and_not_in_the_future() {
        let on = |date: &str| PraiseDraft {
            occurred_on: date.into(),
            ..valid()
        };
        assert_eq!(error_of(&on(TODAY), PraiseField::Date), None);
        assert_eq!(error_of(&on("2024-02-29"), PraiseField::Date), None);
        assert_eq!(
            error_of(&on("2026-11-25"), PraiseField::Date),
            Some(FieldError::FutureDate)
        );
        for bad in [
            "2025-02-29",
            "2026-13-01",
            "26-11-24",
            "2026-11-31",
            "yesterday",
        ] {
            assert_eq!(
                error_of(&on(bad), PraiseField::Date),
                Some(FieldError::InvalidDate),
                "{bad}"
            );
        }
        assert_eq!(
            error_of(&on(""), PraiseField::Date),
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
            error_of(&draft, PraiseField::Staff),
            Some(FieldError::TooLong { max: 100 })
        );
        assert_eq!(
            error_of(&draft, PraiseField::VisitorName),
            Some(FieldError::TooLong { max: 100 })
        );
    }

    #[test]
    fn owner_can_require_optional_fields_and_hide_others() {
        let rules = rules_with(&[(
            "fields",
            "location:required,tags:required,visitor-email:hidden,publish-consent:required",
        )]);
        let draft = PraiseDraft {
            visitor_email: "not an email".into(),
            ..valid()
        };
        let errors = draft.validate(&rules);
        assert_eq!(
            errors.get(&PraiseField::Location),
            Some(&FieldError::Required)
        );
        assert_eq!(errors.get(&PraiseField::Tags), Some(&FieldError::Required));
        assert_eq!(
            errors.get(&PraiseField::PublishConsent),
            Some(&FieldError::Required)
        );
        // Hidden fields are neither checked nor sent.
        assert_eq!(errors.get(&PraiseField::VisitorEmail), None);
        assert_eq!(draft.to_data(&rules).visitor_email, None);
    }

    #[test]
    fn tags_toggle_only_known_ids() {
        let mut draft = valid();
        for (id, on) in [
            ("genuine_warmth", true),
            ("made_up", true),
            ("took_initiative", true),
        ] {
            set(
                &mut draft,
                PraiseField::Tags,
                FieldValue::Toggle { id: id.into(), on },
            );
        }
        set(
            &mut draft,
            PraiseField::Tags,
            FieldValue::Toggle {
                id: "took_initiative".into(),
                on: false,
            },
        );
        assert_eq!(draft.to_data(&rules()).tags, ["genuine_warmth"]);
    }

    #[test]
    fn part_of_day_accepts_its_three_values_or_none() {
        let mut draft = valid();
        set(
            &mut draft,
            PraiseField::PartOfDay,
            FieldValue::Text("evening".into()),
        );
        assert_eq!(draft.part_of_day, Some(PartOfDay::Evening));
        set(
            &mut draft,
            PraiseField::PartOfDay,
            FieldValue::Text(String::new()),
        );
        assert_eq!(draft.part_of_day, None);
    }

    #[test]
    fn wire_data_is_trimmed_and_omits_what_was_not_given() {
        let draft = PraiseDraft {
            staff_name: "  Maribel ".into(),
            story: "\n She repacked my groceries so nothing got crushed. ".into(),
            visitor_name: "   ".into(),
            visitor_email: " Ana.Ruiz@Shop.EXAMPLE ".into(),
            publish_consent: true,
            ..valid()
        };
        let data = draft.to_data(&rules());
        assert_eq!(data.staff_name.as_deref(), Some("Maribel"));
        assert_eq!(
            data.story,
            "She repacked my groceries so nothing got crushed."
        );
        assert_eq!(data.visitor_name, None);
        assert_eq!(data.visitor_email.as_deref(), Some("Ana.Ruiz@shop.example"));
        let text = crate::core::json::object(|members| data.write_members(members));
        assert_eq!(text, serde_json::to_string(&data).unwrap());
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(json.get("visitor_name").is_none());
        assert!(json.get("tags").is_none());
        assert_eq!(json["occurred_on"], TODAY);
    }

    #[test]
    fn wire_paths_map_back_to_fields() {
        assert_eq!(
            PraiseField::from_wire_path("data.story"),
            Some(PraiseField::Story)
        );
        assert_eq!(
            PraiseField::from_wire_path("data.staff_id"),
            Some(PraiseField::Staff)
        );
        assert_eq!(PraiseField::from_wire_path("data.nope"), None);
    }

    #[test]
    fn the_reducer_walks_editing_submitting_succeeded_and_failed() {
        let state = FormState::<PraiseDraft>::new(Rc::new(rules()));
        let refused = state.reduce(FormAction::Submit);
        assert_eq!(refused.status, Status::Editing);
        assert_eq!(
            refused.visible_errors().keys().next(),
            Some(&PraiseField::Staff)
        );
        let filled = refused
            .reduce(FormAction::Edit(
                PraiseField::Staff,
                FieldValue::Text("Maribel".into()),
            ))
            .reduce(FormAction::Edit(
                PraiseField::Story,
                FieldValue::Text("She repacked my groceries so nothing got crushed.".into()),
            ));
        let submitting = filled.reduce(FormAction::Submit);
        assert_eq!(submitting.status, Status::Submitting);
        let failed = submitting.reduce(FormAction::DeliveryFailed(
            crate::core::form::DeliveryProblem::CouldNotSend,
        ));
        assert_eq!(failed.draft, filled.draft);
        let done = failed
            .reduce(FormAction::Submit)
            .reduce(FormAction::Delivered {
                status: crate::core::envelope::ReplyStatus::Accepted,
            });
        assert_eq!(done.status, Status::Succeeded);
        assert_eq!(done.reduce(FormAction::StartOver).draft.staff_name, "");
    }

    #[test]
    fn a_live_wall_item_reads_as_serde_read_it() {
        let item = r#"{"id":"a","staff_name":"Bo","story":"A story","created_at":"2026-11-01T10:00:00.000Z""#;
        for text in [
            format!("{item}}}"),
            format!(r#"{item},"staff_role":"Cashier","location":null,"tags":["x"],"extra":{{}}}}"#),
            format!(r#"{item},"tags":null}}"#),
            format!(r#"{item},"occurred_on":5}}"#),
            r#"{"id":"a","staff_name":"Bo","story":"A story"}"#.to_owned(),
            "1".to_owned(),
            "{}".to_owned(),
        ] {
            let ours = Json::parse(&text)
                .ok()
                .and_then(|json| PublishedPraise::from_json(&json));
            let serde = serde_json::from_str::<PublishedPraise>(&text).ok();
            assert_eq!(ours, serde, "{text}");
        }
    }
}
