//! The wire envelope: the JSON every submission travels in, to the owner's endpoint or the demo store.
//!
//! ```json
//! { "type": "staff_recognition.submitted", "schema_version": 1,
//!   "id": "…uuid v4…", "created_at": "2026-11-24T09:30:00.000Z",
//!   "data": { "staff_name": "…", "story": "…" },
//!   "consent": { "publish": { "granted": false, "version": "praise-publish-2026-11" } },
//!   "site": { "url": "https://shop.example/contact", "title": "Contact", "language": "en" },
//!   "signals": { "honeypot": "", "fill_time_ms": 48210, "attempt": 1 },
//!   "widget_version": "0.1.0" }
//! ```
//!
//! The id is generated once per submission and is the endpoint's idempotency key: a retry reuses
//! it (only `signals.attempt` changes). Randomness, the clock, the page and the spam signals come
//! from the shell, so building an envelope stays pure. `docs/contract.md` and `docs/schema/` are the
//! published form of these types; the tests below validate every envelope against those schemas.

use crate::core::sorted::SortedMap;

#[cfg(test)]
use serde::{Deserialize, Serialize};

use crate::core::config::Presence;
use crate::core::json::{self, default_strings, optional_string, Json};
use crate::core::newsletter::{
    sha256_hex, NewsletterData, NewsletterDraft, NewsletterRules, NEWSLETTER_CONSENT_VERSION,
};
use crate::core::praise::{
    PraiseDraft, PraiseField, PraiseRules, PublishedPraise, CONTACT_CONSENT_VERSION,
    PUBLISH_CONSENT_VERSION,
};

/// The version of this envelope's shape. Bumped on any change an endpoint would notice.
pub const SCHEMA_VERSION: u32 = 1;

/// The widget's own version, sent so an endpoint can tell builds apart.
pub const WIDGET_VERSION: &str = env!("CARGO_PKG_VERSION");

/// One submission, ready to serialise.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(Serialize, Deserialize))]
pub struct Submission {
    /// What kind of submission this is and its form data (`type` + `data` on the wire).
    #[cfg_attr(test, serde(flatten))]
    pub payload: Payload,
    /// The shape version, [`SCHEMA_VERSION`] when built by this code.
    pub schema_version: u32,
    /// UUID v4; the endpoint's idempotency key.
    pub id: String,
    /// When the visitor pressed submit (RFC 3339, UTC, from the browser clock).
    pub created_at: String,
    /// Each consent the visitor was asked for: what they chose and which wording they saw.
    pub consent: SortedMap<ConsentPurpose, ConsentChoice>,
    /// The page the visitor was on.
    pub site: Site,
    /// What the endpoint may use to tell people from bots; the endpoint decides, not the widget.
    pub signals: Signals,
    /// The widget build that produced it.
    pub widget_version: String,
}

/// The page a submission was made on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(test, derive(Serialize, Deserialize))]
pub struct Site {
    /// The page's URL without query or fragment (those may carry a visitor's tokens).
    pub url: String,
    /// The page's title.
    pub title: String,
    /// The language the widget spoke to the visitor (BCP 47, `en` or `fr-CA`).
    pub language: String,
}

impl Site {
    /// The site info for a page at `href` titled `title`, with the widget speaking `language`.
    /// The query and fragment are dropped.
    pub fn new(href: &str, title: &str, language: &str) -> Self {
        let end = href.find(['?', '#']).unwrap_or(href.len());
        Site {
            url: href[..end].to_owned(),
            title: title.trim().to_owned(),
            language: language.to_owned(),
        }
    }
}

/// Spam signals, gathered without a CAPTCHA.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(test, derive(Serialize, Deserialize))]
pub struct Signals {
    /// What was typed into the hidden "website" field: empty for people, filled by many bots.
    pub honeypot: String,
    /// Milliseconds from the visitor's first interaction with the form to submit.
    pub fill_time_ms: u64,
    /// Which delivery attempt this is, from 1. Retries of one submission share its `id`.
    pub attempt: u32,
}

/// The `type` of a submission and the `data` that goes with it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(Serialize, Deserialize))]
#[cfg_attr(test, serde(tag = "type", content = "data"))]
pub enum Payload {
    /// Praise for a staff member.
    #[cfg_attr(test, serde(rename = "staff_recognition.submitted"))]
    StaffRecognition(crate::core::praise::PraiseData),
    /// A request to join the newsletter.
    #[cfg_attr(test, serde(rename = "newsletter.subscription_requested"))]
    NewsletterSubscription(NewsletterData),
}

/// What a consent checkbox was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(Serialize, Deserialize))]
#[cfg_attr(test, serde(rename_all = "snake_case"))]
pub enum ConsentPurpose {
    /// The owner may publish the praise on the wall.
    Publish,
    /// The owner may contact the visitor about the praise.
    Contact,
    /// The owner may email the visitor its newsletter.
    Newsletter,
}

impl ConsentPurpose {
    /// The wire name, the key in `consent`.
    pub fn key(self) -> &'static str {
        match self {
            ConsentPurpose::Publish => "publish",
            ConsentPurpose::Contact => "contact",
            ConsentPurpose::Newsletter => "newsletter",
        }
    }
}

/// The visitor's answer to one consent question.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(Serialize, Deserialize))]
pub struct ConsentChoice {
    /// True only when the visitor ticked the box themselves.
    pub granted: bool,
    /// The version id of the wording shown next to the box.
    pub version: String,
    /// SHA-256 (hex) of the exact wording shown, where the law wants proof of what was agreed.
    #[cfg_attr(test, serde(default, skip_serializing_if = "Option::is_none"))]
    pub text_sha256: Option<String>,
    /// When consent was given (RFC 3339, UTC).
    #[cfg_attr(test, serde(default, skip_serializing_if = "Option::is_none"))]
    pub given_at: Option<String>,
}

/// How the receiving side took a delivered submission (`{"status": …}` in a 2xx reply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(test, derive(Serialize, Deserialize))]
#[cfg_attr(test, serde(rename_all = "snake_case"))]
pub enum ReplyStatus {
    /// Received and done.
    #[default]
    Accepted,
    /// Received; a person reviews it before it is published.
    PendingModeration,
    /// Received; the visitor must confirm by email (double opt-in).
    PendingConfirmation,
}

impl ReplyStatus {
    /// The status named `key` on the wire (`pending_moderation`).
    pub fn from_key(key: &str) -> Option<ReplyStatus> {
        [
            ReplyStatus::Accepted,
            ReplyStatus::PendingModeration,
            ReplyStatus::PendingConfirmation,
        ]
        .into_iter()
        .find(|status| status.key() == key)
    }

    /// The wire name.
    pub fn key(self) -> &'static str {
        match self {
            ReplyStatus::Accepted => "accepted",
            ReplyStatus::PendingModeration => "pending_moderation",
            ReplyStatus::PendingConfirmation => "pending_confirmation",
        }
    }
}

/// What the shell supplies that the core cannot make itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// 16 bytes from the browser's cryptographic random source.
    pub random: [u8; 16],
    /// The current time as RFC 3339 UTC (`Date.prototype.toISOString`).
    pub now: String,
    /// The page the form is on.
    pub site: Site,
    /// The spam signals gathered by the form (attempt 1).
    pub signals: Signals,
}

impl Submission {
    /// Wraps a praise draft that passed validation. Each consent box the visitor was shown is
    /// recorded, ticked or not, with the version of its wording.
    pub fn praise(draft: &PraiseDraft, rules: &PraiseRules, stamp: Stamp) -> Self {
        let consent = [
            (
                ConsentPurpose::Publish,
                PraiseField::PublishConsent,
                draft.publish_consent,
                PUBLISH_CONSENT_VERSION,
            ),
            (
                ConsentPurpose::Contact,
                PraiseField::ContactConsent,
                draft.contact_consent,
                CONTACT_CONSENT_VERSION,
            ),
        ]
        .into_iter()
        .filter(|(_, field, _, _)| rules.presence_of(*field) != Presence::Hidden)
        .map(|(purpose, _, granted, version)| {
            (
                purpose,
                ConsentChoice {
                    granted,
                    version: version.to_owned(),
                    text_sha256: None,
                    given_at: None,
                },
            )
        })
        .collect();
        Submission::wrap(
            Payload::StaffRecognition(draft.to_data(rules)),
            consent,
            stamp,
        )
    }

    /// Wraps a newsletter draft that passed validation (its consent box is ticked). `consent_text`
    /// is the exact wording the visitor saw next to the box.
    pub fn newsletter(
        draft: &NewsletterDraft,
        rules: &NewsletterRules,
        consent_text: &str,
        stamp: Stamp,
    ) -> Self {
        let consent = SortedMap::from([(
            ConsentPurpose::Newsletter,
            ConsentChoice {
                granted: draft.consent,
                version: NEWSLETTER_CONSENT_VERSION.to_owned(),
                text_sha256: Some(sha256_hex(consent_text)),
                given_at: Some(stamp.now.clone()),
            },
        )]);
        Submission::wrap(
            Payload::NewsletterSubscription(draft.to_data(rules)),
            consent,
            stamp,
        )
    }

    /// The envelope every form's submission travels in: a fresh id from the stamp's random
    /// bytes, its time, page and signals, this schema and widget version.
    fn wrap(
        payload: Payload,
        consent: SortedMap<ConsentPurpose, ConsentChoice>,
        stamp: Stamp,
    ) -> Self {
        Submission {
            payload,
            schema_version: SCHEMA_VERSION,
            id: uuid_v4(stamp.random),
            created_at: stamp.now,
            consent,
            site: stamp.site,
            signals: stamp.signals,
            widget_version: WIDGET_VERSION.to_owned(),
        }
    }

    /// The envelope as JSON text, as posted and stored. Members in the order of the type's
    /// fields, `type` and `data` first, absent options left out: byte for byte what serde_json
    /// wrote for the derived `Serialize` (the tests compare both).
    pub fn to_json(&self) -> String {
        json::object(|envelope| {
            envelope
                .str("type", self.kind())
                .object("data", |data| match &self.payload {
                    Payload::StaffRecognition(praise) => praise.write_members(data),
                    Payload::NewsletterSubscription(subscription) => {
                        subscription.write_members(data)
                    }
                })
                .num("schema_version", self.schema_version.into())
                .str("id", &self.id)
                .str("created_at", &self.created_at)
                .object("consent", |consent| {
                    for (purpose, choice) in &self.consent {
                        consent.object(purpose.key(), |answer| {
                            answer
                                .bool("granted", choice.granted)
                                .str("version", &choice.version)
                                .opt_str("text_sha256", choice.text_sha256.as_deref())
                                .opt_str("given_at", choice.given_at.as_deref());
                        });
                    }
                })
                .object("site", |site| {
                    site.str("url", &self.site.url)
                        .str("title", &self.site.title)
                        .str("language", &self.site.language);
                })
                .object("signals", |signals| {
                    signals
                        .str("honeypot", &self.signals.honeypot)
                        .num("fill_time_ms", self.signals.fill_time_ms)
                        .num("attempt", self.signals.attempt.into());
                })
                .str("widget_version", &self.widget_version);
        })
    }

    /// The envelope's `type` on the wire.
    pub fn kind(&self) -> &'static str {
        match self.payload {
            Payload::StaffRecognition(_) => PRAISE_TYPE,
            Payload::NewsletterSubscription(_) => NEWSLETTER_TYPE,
        }
    }
}

/// What the demo store reads back of an envelope it wrote: flat and lenient (missing fields
/// default, unknown ones are ignored), just enough for de-duplication and the wall.
///
/// Why not `Submission` itself: the store only needs these fields, and reading them leniently
/// keeps envelopes written by older versions on the wall. (Its serde deserializer, `flatten` plus
/// an adjacently tagged enum, once cost about 17 KB brotli of the wasm: docs/size-log.md.)
/// Writing still goes through `Submission`, the one source of the wire shape.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(Deserialize))]
pub struct StoredEnvelope {
    /// The submission id.
    pub id: String,
    /// The envelope `type`.
    #[cfg_attr(test, serde(rename = "type"))]
    pub kind: String,
    /// When it was written.
    pub created_at: String,
    /// The praise fields the wall shows (absent for other types).
    #[cfg_attr(test, serde(default))]
    pub data: StoredPraise,
    /// Each consent's answer, by purpose.
    #[cfg_attr(test, serde(default))]
    pub consent: SortedMap<String, StoredConsent>,
}

/// The praise fields of a stored envelope.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(test, derive(Deserialize))]
#[cfg_attr(test, serde(default))]
pub struct StoredPraise {
    staff_name: Option<String>,
    staff_description: Option<String>,
    staff_role: Option<String>,
    location: Option<String>,
    occurred_on: Option<String>,
    story: Option<String>,
    tags: Vec<String>,
}

impl StoredPraise {
    /// The praise fields of a stored `data` object; each may be missing (or `null`).
    fn from_json(json: &Json) -> Option<StoredPraise> {
        json.as_object()?;
        Some(StoredPraise {
            staff_name: optional_string(json, "staff_name")?,
            staff_description: optional_string(json, "staff_description")?,
            staff_role: optional_string(json, "staff_role")?,
            location: optional_string(json, "location")?,
            occurred_on: optional_string(json, "occurred_on")?,
            story: optional_string(json, "story")?,
            tags: default_strings(json, "tags")?,
        })
    }
}

/// One stored consent answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(Deserialize))]
pub struct StoredConsent {
    /// Whether the box was ticked.
    pub granted: bool,
}

/// The `type` of praise envelopes.
pub const PRAISE_TYPE: &str = "staff_recognition.submitted";
/// The `type` of newsletter envelopes.
pub const NEWSLETTER_TYPE: &str = "newsletter.subscription_requested";

impl StoredEnvelope {
    /// Reads one stored envelope: `id`, `type` and `created_at` must be strings; `data` and
    /// `consent`, when present, must be objects of the right shape; anything else is ignored.
    pub fn from_json(json: &Json) -> Option<StoredEnvelope> {
        let consent = match json.get("consent") {
            None => SortedMap::new(),
            Some(consent) => consent
                .as_object()?
                .iter()
                .map(|(purpose, answer)| {
                    let granted = answer.get("granted")?.as_bool()?;
                    Some((purpose.clone(), StoredConsent { granted }))
                })
                .collect::<Option<_>>()?,
        };
        Some(StoredEnvelope {
            id: json.get("id")?.to_string_value()?,
            kind: json.get("type")?.to_string_value()?,
            created_at: json.get("created_at")?.to_string_value()?,
            data: match json.get("data") {
                None => StoredPraise::default(),
                Some(data) => StoredPraise::from_json(data)?,
            },
            consent,
        })
    }

    /// The wall item, if this is praise the visitor allowed to publish. Nothing that identifies
    /// the visitor is carried over.
    pub fn published_praise(&self) -> Option<PublishedPraise> {
        let published = self.consent.get("publish").is_some_and(|c| c.granted);
        if self.kind != PRAISE_TYPE || !published {
            return None;
        }
        let data = &self.data;
        Some(PublishedPraise {
            id: self.id.clone(),
            staff_name: data
                .staff_name
                .clone()
                .or_else(|| data.staff_description.clone())
                .unwrap_or_default(),
            staff_role: data.staff_role.clone(),
            location: data.location.clone(),
            occurred_on: data.occurred_on.clone(),
            tags: data.tags.clone(),
            story: data.story.clone()?,
            created_at: self.created_at.clone(),
            featured: false,
        })
    }
}

/// Formats 16 random bytes as an RFC 9562 version 4 UUID (lower-case, hyphenated).
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // variant 10xx
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::core::praise::tests::rules;
    use serde_json::json;

    pub(crate) fn stamp() -> Stamp {
        Stamp {
            random: [0xff; 16],
            now: "2026-11-24T09:30:00.000Z".into(),
            site: Site::new("https://shop.example/thanks?utm=x#top", " Thanks ", "en"),
            signals: Signals {
                honeypot: String::new(),
                fill_time_ms: 48_210,
                attempt: 1,
            },
        }
    }

    fn draft(publish: bool) -> PraiseDraft {
        PraiseDraft {
            staff_name: " Maribel ".into(),
            visitor_email: "ana@shop.example".into(),
            publish_consent: publish,
            ..crate::core::praise::tests::valid()
        }
    }

    fn praise(publish: bool) -> Submission {
        Submission::praise(&draft(publish), &rules(), stamp())
    }

    /// What the demo store reads back of `text`, checked against serde's derived reader.
    fn read_stored(text: &str) -> Option<StoredEnvelope> {
        let ours = Json::parse(text)
            .ok()
            .and_then(|json| StoredEnvelope::from_json(&json));
        let serde = serde_json::from_str::<StoredEnvelope>(text).ok();
        assert_eq!(ours, serde, "{text}");
        ours
    }

    /// What the demo store reads back of `submission`.
    fn stored(submission: &Submission) -> StoredEnvelope {
        read_stored(&serde_json::to_string(submission).unwrap()).unwrap()
    }

    #[test]
    fn uuid_has_version_and_variant_bits() {
        assert_eq!(uuid_v4([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn praise_envelope_has_the_documented_shape() {
        let json = serde_json::to_value(praise(true)).unwrap();
        assert_eq!(
            json,
            json!({
                "type": "staff_recognition.submitted",
                "schema_version": 1,
                "id": "ffffffff-ffff-4fff-bfff-ffffffffffff",
                "created_at": "2026-11-24T09:30:00.000Z",
                "data": {
                    "staff_name": "Maribel",
                    "occurred_on": "2026-11-24",
                    "story": "She repacked my groceries so nothing got crushed.",
                    "visitor_email": "ana@shop.example"
                },
                "consent": {
                    "publish": { "granted": true, "version": "praise-publish-2026-11" },
                    "contact": { "granted": false, "version": "praise-contact-2026-11" }
                },
                "site": { "url": "https://shop.example/thanks", "title": "Thanks", "language": "en" },
                "signals": { "honeypot": "", "fill_time_ms": 48210, "attempt": 1 },
                "widget_version": env!("CARGO_PKG_VERSION")
            })
        );
    }

    /// Every kind of envelope: both types, every optional member present and absent, hidden
    /// fields, retries, and text that needs escaping (quotes, backslashes, control characters,
    /// `</script>`, accents, emoji, U+2028).
    fn every_kind_of_envelope() -> Vec<Submission> {
        use crate::core::form::{Draft, FieldValue};
        use crate::core::praise::PartOfDay;
        let tricky =
            "Zoé said \"merci\" \\ \u{1}\u{8}\u{c}\n\r\t\u{1f}\u{7f} </script> 😀 \u{2028}";
        let full_rules = rules();
        let mut full = draft(true);
        full.set(
            PraiseField::Staff,
            FieldValue::Toggle {
                id: crate::core::praise::tests::roster().members()[0].id.clone(),
                on: true,
            },
            &full_rules,
        );
        full.location = tricky.into();
        full.part_of_day = Some(PartOfDay::Evening);
        full.tags = ["genuine_warmth".to_owned(), "thought_ahead".to_owned()].into();
        full.visitor_name = " Ana ".into();
        full.contact_consent = true;
        full.story = format!("{tricky} and a story long enough");
        let described = PraiseDraft {
            name_unknown: true,
            staff_description: "tall, \"red\" scarf".into(),
            ..draft(false)
        };
        let hidden = crate::core::praise::tests::rules_with(&[(
            "fields",
            "staff:hidden, date:hidden, contact-consent:hidden, publish-consent:hidden",
        )]);
        let mut retried = stamp();
        retried.signals = Signals {
            honeypot: tricky.into(),
            fill_time_ms: u64::MAX,
            attempt: u32::MAX,
        };
        retried.site = Site::new("https://shop.example/a\"b", tricky, "fr-CA");
        let lists = crate::core::newsletter::tests::rules_with(&[("lists", "weekly:W, events:E")]);
        let no_lists = crate::core::newsletter::tests::rules_with(&[]);
        let subscriber = NewsletterDraft {
            email: " Ana@GMAIL.com ".into(),
            first_name: tricky.into(),
            lists: ["weekly".to_owned(), "events".to_owned()].into(),
            consent: true,
        };
        let minimal = NewsletterDraft {
            email: "bo@example.org".into(),
            first_name: String::new(),
            lists: Default::default(),
            consent: true,
        };
        vec![
            praise(true),
            praise(false),
            Submission::praise(&full, &full_rules, stamp()),
            Submission::praise(&described, &full_rules, stamp()),
            Submission::praise(&draft(true), &hidden, stamp()),
            Submission::praise(&full, &full_rules, retried.clone()),
            Submission::newsletter(&subscriber, &lists, tricky, stamp()),
            Submission::newsletter(&minimal, &no_lists, "J'accepte.", retried),
        ]
    }

    #[test]
    fn envelopes_are_written_byte_for_byte_as_serde_json_wrote_them() {
        for submission in every_kind_of_envelope() {
            let ours = submission.to_json();
            assert_eq!(ours, serde_json::to_string(&submission).unwrap());
            // And they read back: whole (by serde), and as the demo store reads them.
            assert_eq!(
                serde_json::from_str::<Submission>(&ours).unwrap(),
                submission
            );
            let stored = read_stored(&ours).unwrap();
            assert_eq!(stored.id, submission.id);
            assert_eq!(stored.kind, submission.kind());
        }
    }

    #[test]
    fn envelope_round_trips_through_json() {
        let submission = praise(false);
        let text = serde_json::to_string(&submission).unwrap();
        let back: Submission = serde_json::from_str(&text).unwrap();
        assert_eq!(back, submission);
    }

    #[test]
    fn only_praise_with_publish_consent_reaches_the_wall() {
        assert_eq!(stored(&praise(false)).published_praise(), None);
        let item = stored(&praise(true)).published_praise().unwrap();
        assert_eq!(item.staff_name, "Maribel");
        assert_eq!(item.created_at, "2026-11-24T09:30:00.000Z");
    }

    #[test]
    fn newsletter_envelope_has_the_documented_shape() {
        let draft = NewsletterDraft {
            email: " Ana@GMAIL.com ".into(),
            first_name: "Ana".into(),
            lists: ["weekly".to_owned()].into(),
            consent: true,
        };
        let rules = crate::core::newsletter::tests::rules_with(&[("lists", "weekly:Weekly deals")]);
        let submission = Submission::newsletter(&draft, &rules, "I agree.", stamp());
        let json = serde_json::to_value(&submission).unwrap();
        assert_eq!(
            json,
            json!({
                "type": "newsletter.subscription_requested",
                "schema_version": 1,
                "id": "ffffffff-ffff-4fff-bfff-ffffffffffff",
                "created_at": "2026-11-24T09:30:00.000Z",
                "data": { "email": "Ana@gmail.com", "first_name": "Ana", "lists": ["weekly"] },
                "consent": {
                    "newsletter": {
                        "granted": true,
                        "version": "newsletter-consent-2026-11",
                        "text_sha256": crate::core::newsletter::sha256_hex("I agree."),
                        "given_at": "2026-11-24T09:30:00.000Z"
                    }
                },
                "site": { "url": "https://shop.example/thanks", "title": "Thanks", "language": "en" },
                "signals": { "honeypot": "", "fill_time_ms": 48210, "attempt": 1 },
                "widget_version": env!("CARGO_PKG_VERSION")
            })
        );
        assert_eq!(stored(&submission).published_praise(), None);
        let back: Submission = serde_json::from_value(json).unwrap();
        assert_eq!(back, submission);
    }

    #[test]
    fn reply_statuses_parse_from_endpoint_json() {
        for (text, status) in [
            ("accepted", ReplyStatus::Accepted),
            ("pending_moderation", ReplyStatus::PendingModeration),
            ("pending_confirmation", ReplyStatus::PendingConfirmation),
        ] {
            let parsed: ReplyStatus = serde_json::from_value(json!(text)).unwrap();
            assert_eq!(parsed, status);
            assert_eq!(ReplyStatus::from_key(text), Some(status));
            assert_eq!(status.key(), text);
        }
    }

    #[test]
    fn hidden_consents_are_not_recorded() {
        let rules = crate::core::praise::tests::rules_with(&[("fields", "contact-consent:hidden")]);
        let submission = Submission::praise(&draft(true), &rules, stamp());
        assert!(!submission.consent.contains_key(&ConsentPurpose::Contact));
        assert!(stored(&submission).published_praise().is_some());
    }

    #[test]
    fn a_missed_name_shows_its_description_on_the_wall() {
        let draft = PraiseDraft {
            name_unknown: true,
            staff_description: "red scarf, bakery counter".into(),
            publish_consent: true,
            ..draft(true)
        };
        let item = stored(&Submission::praise(&draft, &rules(), stamp()))
            .published_praise()
            .unwrap();
        assert_eq!(item.staff_name, "red scarf, bakery counter");
    }

    #[test]
    fn stored_envelopes_are_read_leniently() {
        let old = read_stored(
            r#"{"id":"a","type":"staff_recognition.submitted","created_at":"2026-01-01T00:00:00Z",
                "data":{"staff_name":"Bo","story":"A story","extra":1},
                "consent":{"publish":{"granted":true,"version":"v0"}},"future_field":[1,2]}"#,
        )
        .unwrap();
        assert_eq!(old.published_praise().unwrap().staff_name, "Bo");
        let frame = r#""id":"a","type":"t","created_at":"c""#;
        for (rest, readable) in [
            ("", true),
            (r#","data":{}"#, true),
            (r#","data":{"staff_name":null,"tags":["x"]}"#, true),
            (r#","data":{"tags":null}"#, false),
            (r#","data":{"story":1}"#, false),
            (r#","data":null"#, false),
            (r#","data":"text""#, false),
            (r#","consent":{}"#, true),
            (
                r#","consent":{"publish":{"granted":false},"publish":{"granted":true}}"#,
                true,
            ),
            (r#","consent":{"publish":{"version":"v"}}"#, false),
            (r#","consent":{"publish":{"granted":"yes"}}"#, false),
            (r#","consent":[]"#, false),
            (r#","consent":null"#, false),
            (r#","id":"b""#, false), // serde refuses a repeated field
        ] {
            let text = format!("{{{frame}{rest}}}");
            if readable {
                assert!(read_stored(&text).is_some(), "{text}");
            } else if rest.contains(r#""id""#) {
                // Ours reads a repeated member as `JSON.parse` does: the last one wins.
                assert_eq!(
                    Json::parse(&text)
                        .ok()
                        .and_then(|json| StoredEnvelope::from_json(&json))
                        .map(|read| read.id),
                    Some("b".to_owned())
                );
            } else {
                assert!(read_stored(&text).is_none(), "{text}");
            }
        }
        for missing in [
            r#"{"type":"t","created_at":"c"}"#,
            r#"{"id":"a","created_at":"c"}"#,
            r#"{"id":"a","type":"t"}"#,
            "[]",
            "1",
        ] {
            assert!(read_stored(missing).is_none(), "{missing}");
        }
    }

    #[cfg(not(target_arch = "wasm32"))] // the validator is a native-only dev-dependency
    /// The published schema of a submission: `docs/schema/{type}.v{schema_version}.json`.
    fn schema_for(json: &serde_json::Value) -> jsonschema::Validator {
        crate::core::wire::published_schema(&format!(
            "{}.v{}",
            json["type"].as_str().unwrap(),
            json["schema_version"]
        ))
    }

    #[cfg(not(target_arch = "wasm32"))] // the validator is a native-only dev-dependency
    /// Fails with every violation when `submission` does not match its published schema.
    pub(crate) fn assert_matches_schema(submission: &Submission) {
        // The bytes the widget sends, not serde's idea of them.
        let json: serde_json::Value = serde_json::from_str(&submission.to_json()).unwrap();
        let validator = schema_for(&json);
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{json:#}\n{}", errors.join("\n"));
    }

    #[cfg(not(target_arch = "wasm32"))] // the validator is a native-only dev-dependency
    #[test]
    fn every_kind_of_envelope_matches_the_published_schema() {
        let kinds: Vec<&str> = every_kind_of_envelope()
            .iter()
            .map(|submission| {
                assert_matches_schema(submission);
                submission.kind()
            })
            .collect();
        assert!(kinds.contains(&"staff_recognition.submitted"));
        assert!(kinds.contains(&"newsletter.subscription_requested"));
    }

    #[cfg(not(target_arch = "wasm32"))] // the validator is a native-only dev-dependency
    #[test]
    fn the_schema_catches_what_the_contract_forbids() {
        // A guard on the guard: a schema that accepted anything would make the test above vacuous.
        let good = serde_json::to_value(praise(true)).unwrap();
        let validator = schema_for(&good);
        assert!(validator.is_valid(&good));
        let broken = |change: &dyn Fn(&mut serde_json::Value)| {
            let mut json = good.clone();
            change(&mut json);
            json
        };
        for bad in [
            broken(&|j| j["id"] = json!("not-a-uuid")),
            broken(&|j| j["site"]["url"] = json!("https://shop.example/?token=1")),
            broken(&|j| j["signals"]["attempt"] = json!(0)),
            broken(&|j| j["data"]["story"] = json!("too short")),
            broken(&|j| j["data"]["surprise"] = json!(1)),
            broken(&|j| j["consent"]["publish"]["granted"] = json!("yes")),
            broken(&|j| {
                j.as_object_mut().unwrap().remove("signals");
            }),
        ] {
            assert!(!validator.is_valid(&bad), "{bad:#}");
        }
    }

    #[test]
    fn site_url_drops_query_and_fragment() {
        assert_eq!(
            Site::new("https://a.example/p?q=1#x", "T", "fr-CA").url,
            "https://a.example/p"
        );
        assert_eq!(
            Site::new("https://a.example/p#x?y", "T", "en").url,
            "https://a.example/p"
        );
        assert_eq!(
            Site::new("https://a.example/", "", "en").url,
            "https://a.example/"
        );
    }

    #[test]
    fn consent_records_an_unticked_box_too() {
        let json = serde_json::to_value(praise(false)).unwrap();
        assert_eq!(json["consent"]["publish"]["granted"], json!(false));
    }
}
