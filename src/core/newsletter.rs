//! Joining the newsletter: the draft, its rules, the email clean-up and typo hints, and the
//! consent wording with the fingerprint that proves which wording the visitor agreed to.
//!
//! Consent here is meant to satisfy CASL and GDPR: the box is never ticked in advance, the wording
//! names the sender and how to reach them, says what will be sent and that consent can be
//! withdrawn at any time, and each submission carries the wording's version, a SHA-256 of the
//! exact text shown, and the time it was given.

use crate::core::sorted::SortedMap;
use crate::core::sorted::SortedSet;

#[cfg(test)]
use serde::{Deserialize, Serialize};

use crate::core::config::{Config, Variant};
use crate::core::email::{is_plausible_email, normalize_email};
use crate::core::form::{Draft, FieldError, FieldValue};
use crate::core::i18n::{Strings, Text};
use crate::core::platform::{Platform, PlatformRef};
use crate::core::praise::{trimmed_len, NAME_MAX_CHARS};
use crate::core::sha256;

/// The version of the consent wording. Change it whenever the wording in any language changes.
pub const NEWSLETTER_CONSENT_VERSION: &str = "newsletter-consent-2026-11";

/// Domains common enough that a near miss is almost surely a typo.
const COMMON_DOMAINS: [&str; 16] = [
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "icloud.com",
    "live.com",
    "aol.com",
    "msn.com",
    "proton.me",
    "protonmail.com",
    "yahoo.ca",
    "hotmail.ca",
    "videotron.ca",
    "sympatico.ca",
    "rogers.com",
    "shaw.ca",
];

/// The fields of the newsletter form, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NewsletterField {
    /// Where to send it.
    Email,
    /// How to greet them (optional).
    FirstName,
    /// Which lists (when the owner offers several).
    Lists,
    /// The explicit consent checkbox.
    Consent,
}

impl NewsletterField {
    /// A stable identifier for element ids and wire field paths (`data.<key>`).
    pub fn key(self) -> &'static str {
        match self {
            NewsletterField::Email => "email",
            NewsletterField::FirstName => "first_name",
            NewsletterField::Lists => "lists",
            NewsletterField::Consent => "consent",
        }
    }

    /// The field a wire path such as `data.email` names.
    pub fn from_wire_path(path: &str) -> Option<NewsletterField> {
        let key = path.strip_prefix("data.").unwrap_or(path);
        [
            NewsletterField::Email,
            NewsletterField::FirstName,
            NewsletterField::Lists,
        ]
        .into_iter()
        .find(|field| field.key() == key)
    }
}

/// What validation depends on besides the visitor's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsletterRules {
    /// The list ids a visitor may choose.
    pub list_ids: Vec<String>,
    /// Inline or compact (compact asks only for the email and the consent).
    pub variant: Variant,
    /// The platform the configuration was read with (the email's domain is lower-cased by it).
    pub platform: PlatformRef,
}

impl NewsletterRules {
    /// The rules for a widget configured by `config`.
    pub fn new(config: &Config) -> Self {
        NewsletterRules {
            list_ids: config.lists.iter().map(|list| list.id.clone()).collect(),
            variant: config.variant,
            platform: config.platform,
        }
    }
}

/// What the visitor has entered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewsletterDraft {
    /// The email as typed.
    pub email: String,
    /// The first name as typed.
    pub first_name: String,
    /// The chosen list ids.
    pub lists: SortedSet<String>,
    /// Whether the visitor ticked the consent box.
    pub consent: bool,
}

impl Draft for NewsletterDraft {
    type Field = NewsletterField;
    type Rules = NewsletterRules;

    fn field_from_wire_path(path: &str) -> Option<NewsletterField> {
        NewsletterField::from_wire_path(path)
    }

    fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![
            ("email", self.email.clone()),
            ("first_name", self.first_name.clone()),
            // No consent: ticked now, for the wording shown now, or not at all (issue 12,
            // defect 9: `given_at` and the wording's hash must be the visitor's real agreement).
        ];
        pairs.extend(self.lists.iter().map(|list| ("lists", list.clone())));
        pairs
    }

    fn restore(&mut self, name: &str, value: String) {
        match name {
            "email" => self.email = value,
            "first_name" => self.first_name = value,
            "lists" => {
                self.lists.insert(value);
            }
            _ => {}
        }
    }

    fn fresh(_: &NewsletterRules) -> Self {
        NewsletterDraft::default()
    }

    fn set(&mut self, field: NewsletterField, value: FieldValue, rules: &NewsletterRules) {
        match (field, value) {
            (NewsletterField::Email, FieldValue::Text(text)) => self.email = text,
            (NewsletterField::FirstName, FieldValue::Text(text)) => self.first_name = text,
            (NewsletterField::Lists, FieldValue::Toggle { id, on }) => {
                if on && rules.list_ids.contains(&id) {
                    self.lists.insert(id);
                } else if !on {
                    self.lists.remove(&id);
                }
            }
            (NewsletterField::Consent, FieldValue::Checked(checked)) => self.consent = checked,
            _ => {}
        }
    }

    fn validate(&self, rules: &NewsletterRules) -> SortedMap<NewsletterField, FieldError> {
        let mut errors = SortedMap::new();
        let email = self.email.trim();
        if email.is_empty() {
            errors.insert(NewsletterField::Email, FieldError::Required);
        } else if !is_plausible_email(email) {
            errors.insert(NewsletterField::Email, FieldError::InvalidEmail);
        }
        if rules.variant == Variant::Inline && trimmed_len(&self.first_name) > NAME_MAX_CHARS {
            errors.insert(
                NewsletterField::FirstName,
                FieldError::TooLong {
                    max: NAME_MAX_CHARS,
                },
            );
        }
        // Never a silent subscribe: without the tick there is nothing to send.
        if !self.consent {
            errors.insert(NewsletterField::Consent, FieldError::ConsentRequired);
        }
        errors
    }
}

/// The subscription as it goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(Serialize, Deserialize))]
pub struct NewsletterData {
    /// Trimmed, with a lower-case domain.
    pub email: String,
    /// The first name, when given.
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none", default))]
    pub first_name: Option<String>,
    /// The chosen list ids (empty when the owner offers no choice).
    #[cfg_attr(test, serde(default))]
    pub lists: Vec<String>,
}

impl NewsletterDraft {
    /// The wire form of a draft that passed validation.
    pub fn to_data(&self, rules: &NewsletterRules) -> NewsletterData {
        let first_name = self.first_name.trim();
        NewsletterData {
            email: normalize_email(&self.email, &*rules.platform),
            first_name: (rules.variant == Variant::Inline && !first_name.is_empty())
                .then(|| first_name.to_owned()),
            lists: self.lists.iter().cloned().collect(),
        }
    }
}

/// A gentle "did you mean …?" for a domain one or two keystrokes away from a common one.
/// Returns the whole corrected address.
pub fn suggest_email(email: &str, platform: &dyn Platform) -> Option<String> {
    let email = normalize_email(email, platform);
    let (local, domain) = email.rsplit_once('@')?;
    if local.is_empty() || domain.is_empty() || COMMON_DOMAINS.contains(&domain) {
        return None;
    }
    COMMON_DOMAINS
        .iter()
        .map(|common| (edit_distance(domain, common), *common))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, common)| format!("{local}@{common}"))
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbouring characters each cost one ("gmial" → "gmail" is one swap).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// The exact consent wording shown next to the box, built from the owner's details. This is the
/// text the fingerprint is taken of, so it must be what the visitor reads, character for
/// character.
pub fn consent_text(strings: &Strings, company: Option<&str>, contact: Option<&str>) -> String {
    let company = company.unwrap_or(strings.get(Text::NewsletterSenderFallback));
    let mut text = strings.format(Text::NewsletterConsent, &[("company", company)]);
    if let Some(contact) = contact {
        text.push(' ');
        text.push_str(&strings.format(Text::NewsletterContact, &[("contact", contact)]));
    }
    text.push(' ');
    text.push_str(strings.get(Text::NewsletterWithdraw));
    text
}

/// Lower-case hex SHA-256 of `text` as UTF-8.
pub fn sha256_hex(text: &str) -> String {
    sha256::hex(&sha256::sha256(text.as_bytes()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::core::config::tests::config;
    use crate::core::i18n::Lang;
    use crate::core::platform::tests::NATIVE;

    pub(crate) fn rules_with(pairs: &[(&str, &str)]) -> NewsletterRules {
        NewsletterRules::new(&config(pairs).unwrap().0)
    }

    #[test]
    fn every_value_of_a_draft_survives_autosave() {
        use crate::core::form::{draft_from_json, draft_to_json};
        let rules = rules_with(&[("lists", "a:A, b:B")]);
        let draft = NewsletterDraft {
            first_name: "Zoé".into(),
            lists: SortedSet::from(["a".to_owned(), "b".to_owned()]),
            ..draft("zoe@example.com", true)
        };
        let back = draft_from_json::<NewsletterDraft>(&draft_to_json(&draft), &rules);
        // Every value but the consent, which always comes back unticked (issue 12, defect 9).
        assert_eq!(
            back,
            Some(NewsletterDraft {
                consent: false,
                ..draft
            })
        );
        let old = r#"[["email","zoe@example.com"],["consent","true"]]"#;
        assert!(
            !draft_from_json::<NewsletterDraft>(old, &rules)
                .unwrap()
                .consent
        );
    }

    fn draft(email: &str, consent: bool) -> NewsletterDraft {
        NewsletterDraft {
            email: email.into(),
            consent,
            ..NewsletterDraft::default()
        }
    }

    #[test]
    fn email_is_trimmed_and_its_domain_lower_cased() {
        assert_eq!(
            normalize_email("  Ana.Ruiz@Shop.EXAMPLE \n", NATIVE),
            "Ana.Ruiz@shop.example"
        );
        let data = draft(" Ana@GMAIL.com ", true).to_data(&rules_with(&[]));
        assert_eq!(data.email, "Ana@gmail.com");
    }

    #[test]
    fn typo_domains_get_a_suggestion() {
        for (typed, meant) in [
            ("ana@gmial.com", "ana@gmail.com"),
            ("ana@gmai.com", "ana@gmail.com"),
            ("ana@gmail.con", "ana@gmail.com"),
            ("ana@hotmial.com", "ana@hotmail.com"),
            ("ana@yaho.com", "ana@yahoo.com"),
            ("Ana@Outlok.com", "Ana@outlook.com"),
            ("ana@icloud.co", "ana@icloud.com"),
        ] {
            assert_eq!(
                suggest_email(typed, NATIVE).as_deref(),
                Some(meant),
                "{typed}"
            );
        }
    }

    #[test]
    fn correct_or_unrelated_domains_get_none() {
        for email in [
            "ana@gmail.com",
            "ana@larchstreet.example",
            "ana@uni.ca",
            "no-at-sign",
            "@gmial.com",
        ] {
            assert_eq!(suggest_email(email, NATIVE), None, "{email}");
        }
    }

    #[test]
    fn consent_is_required_never_assumed() {
        let errors = draft("ana@shop.example", false).validate(&rules_with(&[]));
        assert_eq!(
            errors.get(&NewsletterField::Consent),
            Some(&FieldError::ConsentRequired)
        );
        assert!(draft("ana@shop.example", true)
            .validate(&rules_with(&[]))
            .is_empty());
    }

    #[test]
    fn email_is_required_and_checked() {
        let rules = rules_with(&[]);
        assert_eq!(
            draft("", true)
                .validate(&rules)
                .get(&NewsletterField::Email),
            Some(&FieldError::Required)
        );
        assert_eq!(
            draft("ana@shop", true)
                .validate(&rules)
                .get(&NewsletterField::Email),
            Some(&FieldError::InvalidEmail)
        );
    }

    #[test]
    fn lists_toggle_only_offered_ids() {
        let rules = rules_with(&[("lists", "weekly:Weekly deals,events:Store events")]);
        let mut d = draft("ana@shop.example", true);
        for id in ["weekly", "spam", "events"] {
            d.set(
                NewsletterField::Lists,
                FieldValue::Toggle {
                    id: id.into(),
                    on: true,
                },
                &rules,
            );
        }
        assert_eq!(d.to_data(&rules).lists, ["events", "weekly"]);
    }

    #[test]
    fn compact_variant_sends_no_first_name() {
        let mut d = draft("ana@shop.example", true);
        d.first_name = "Ana".into();
        assert_eq!(
            d.to_data(&rules_with(&[])).first_name.as_deref(),
            Some("Ana")
        );
        assert_eq!(
            d.to_data(&rules_with(&[("variant", "compact")])).first_name,
            None
        );
    }

    #[test]
    fn consent_text_names_sender_contact_content_and_withdrawal() {
        let en = Strings::new(Lang::En);
        let text = consent_text(
            &en,
            Some("Larch Street Market"),
            Some("12 Larch St, Halifax"),
        );
        assert!(text.contains("Larch Street Market"), "{text}");
        assert!(text.contains("12 Larch St, Halifax"), "{text}");
        assert!(text.contains("any time"), "{text}");
        let fr = consent_text(&Strings::new(Lang::FrCa), Some("Marché Larch"), None);
        assert!(
            fr.contains("Marché Larch") && fr.contains("en tout temps"),
            "{fr}"
        );
    }

    #[test]
    fn consent_hash_is_stable_and_changes_with_any_edit() {
        let en = Strings::new(Lang::En);
        let text = consent_text(&en, Some("Larch Street Market"), None);
        assert_eq!(sha256_hex(&text), sha256_hex(&text.clone()));
        assert_eq!(sha256_hex(&text).len(), 64);
        let edited = consent_text(&en, Some("Larch Street Market."), None);
        assert_ne!(sha256_hex(&text), sha256_hex(&edited));
        let other_language =
            consent_text(&Strings::new(Lang::FrCa), Some("Larch Street Market"), None);
        assert_ne!(sha256_hex(&text), sha256_hex(&other_language));
    }

    #[test]
    fn sha256_matches_the_standard_test_vector() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn wire_paths_map_back_to_fields() {
        assert_eq!(
            NewsletterField::from_wire_path("data.email"),
            Some(NewsletterField::Email)
        );
        assert_eq!(NewsletterField::from_wire_path("data.story"), None);
    }
}
