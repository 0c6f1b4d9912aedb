//! Every word the widget shows, one table per language, and the choice of language.
//!
//! A table is a `match` over [`Text`], so the compiler refuses a language that lacks a key. Words
//! with a value in them carry a `{name}` placeholder that [`Strings::format`] fills.

mod en;
mod fr_ca;

use crate::core::sorted::SortedMap;
use std::rc::Rc;

use crate::core::form::FieldError;

/// A language the widget speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English (the fallback).
    En,
    /// Canadian French.
    FrCa,
}

impl Lang {
    /// The BCP 47 tag for `lang` attributes and `Intl` formatting.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::FrCa => "fr-CA",
        }
    }
}

/// A calendar day in `lang`'s long form: "November 24, 2026", "24 novembre 2026" (and "1er" for
/// the first of a month, as French writes it); `None` for a month or day that cannot be.
///
/// Written here rather than by the browser's `Intl`: its first use on a page loads locale data,
/// which measured about 20 ms of the widget's first render, and two languages need only twelve
/// month names each.
pub fn long_date(lang: Lang, year: i32, month: u32, day: u32) -> Option<String> {
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    if !(1..=31).contains(&day) {
        return None;
    }
    let index = usize::try_from(month).ok()?.checked_sub(1)?;
    Some(match lang {
        Lang::En => format!("{} {day}, {year}", EN.get(index)?),
        Lang::FrCa if day == 1 => format!("1er {} {year}", FR.get(index)?),
        Lang::FrCa => format!("{day} {} {year}", FR.get(index)?),
    })
}

/// Picks the language: the owner's `data-lang` if we speak it, else the first of the visitor's
/// browser languages we speak, else English. Any French variant gets Canadian French, the only
/// French we have.
pub fn negotiate(owner_choice: Option<&str>, browser_languages: &[String]) -> Lang {
    owner_choice
        .into_iter()
        .chain(browser_languages.iter().map(String::as_str))
        .find_map(supported)
        .unwrap_or(Lang::En)
}

fn supported(tag: &str) -> Option<Lang> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    match primary.as_str() {
        "en" => Some(Lang::En),
        "fr" => Some(Lang::FrCa),
        _ => None,
    }
}

/// Declares [`Text`] with each key's kebab-case name (used by `data-text-<key>` overrides) and
/// the list of all keys, from one list, so the three cannot disagree.
macro_rules! texts {
    ($($variant:ident => $key:literal,)*) => {
        /// Keys of every piece of text the widget shows.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Text {
            $(#[doc = $key] $variant,)*
        }

        impl Text {
            /// Every key, in declaration order.
            pub const ALL: &'static [Text] = &[$(Text::$variant,)*];

            /// The name a site owner uses in `data-text-<key>`.
            pub fn key(self) -> &'static str {
                match self {
                    $(Text::$variant => $key,)*
                }
            }
        }
    };
}

texts! {
    FormTitle => "form-title",
    FormIntro => "form-intro",
    StaffNameLabel => "staff-name-label",
    StaffNameHint => "staff-name-hint",
    SuggestionsAvailable => "suggestions-available",
    SuggestionsLabel => "suggestions-label",
    NameUnknownToggle => "name-unknown-toggle",
    StaffDescriptionLabel => "staff-description-label",
    StaffDescriptionHint => "staff-description-hint",
    LocationLabel => "location-label",
    LocationChoose => "location-choose",
    DateLabel => "date-label",
    PartOfDayLabel => "part-of-day-label",
    PartOfDayAny => "part-of-day-any",
    Morning => "morning",
    Afternoon => "afternoon",
    Evening => "evening",
    StoryLabel => "story-label",
    StoryHint => "story-hint",
    StoryCounter => "story-counter",
    TagsLegend => "tags-legend",
    TagsHint => "tags-hint",
    TagTookInitiative => "tag-took-initiative",
    TagWentExtraMile => "tag-went-extra-mile",
    TagOwnedTheProblem => "tag-owned-the-problem",
    TagGenuineWarmth => "tag-genuine-warmth",
    TagThoughtAhead => "tag-thought-ahead",
    AboutYouLegend => "about-you-legend",
    VisitorNameLabel => "visitor-name-label",
    VisitorEmailLabel => "visitor-email-label",
    VisitorEmailHint => "visitor-email-hint",
    ContactConsentLabel => "contact-consent-label",
    PublishConsentLabel => "publish-consent-label",
    Optional => "optional",
    SubmitButton => "submit-button",
    Submitting => "submitting",
    ErrorSummaryTitle => "error-summary-title",
    ErrorRequired => "error-required",
    ErrorTooShort => "error-too-short",
    ErrorTooLong => "error-too-long",
    ErrorInvalidEmail => "error-invalid-email",
    ErrorInvalidDate => "error-invalid-date",
    ErrorFutureDate => "error-future-date",
    ErrorCouldNotSend => "error-could-not-send",
    ErrorRefused => "error-refused",
    ErrorNotAccepted => "error-not-accepted",
    Queued => "queued",
    QueuedNoAnswer => "queued-no-answer",
    QueuedNotSaved => "queued-not-saved",
    CancelQueued => "cancel-queued",
    ThanksTitle => "thanks-title",
    ThanksBody => "thanks-body",
    ThanksDemoBody => "thanks-demo-body",
    PraiseSomeoneElse => "praise-someone-else",
    WallTitle => "wall-title",
    WallEmpty => "wall-empty",
    WallLoading => "wall-loading",
    WallUnavailable => "wall-unavailable",
    WallShowMore => "wall-show-more",
    WallShowing => "wall-showing",
    DemoNotice => "demo-notice",
    ErrorConsentRequired => "error-consent-required",
    NewsletterTitle => "newsletter-title",
    NewsletterIntro => "newsletter-intro",
    NewsletterEmailLabel => "newsletter-email-label",
    NewsletterFirstNameLabel => "newsletter-first-name-label",
    NewsletterListsLegend => "newsletter-lists-legend",
    NewsletterConsent => "newsletter-consent",
    NewsletterContact => "newsletter-contact",
    NewsletterWithdraw => "newsletter-withdraw",
    NewsletterSenderFallback => "newsletter-sender-fallback",
    NewsletterPrivacyLink => "newsletter-privacy-link",
    NewsletterSubmit => "newsletter-submit",
    NewsletterSubmitting => "newsletter-submitting",
    NewsletterSubscribedTitle => "newsletter-subscribed-title",
    NewsletterSubscribedBody => "newsletter-subscribed-body",
    NewsletterConfirmTitle => "newsletter-confirm-title",
    NewsletterConfirmBody => "newsletter-confirm-body",
    NewsletterDemoConfirm => "newsletter-demo-confirm",
    NewsletterDidYouMean => "newsletter-did-you-mean",
    NewsletterCouldNotSend => "newsletter-could-not-send",
    NewsletterRefused => "newsletter-refused",
}

impl Text {
    /// The key named `key` in a `data-text-<key>` override.
    pub fn from_key(key: &str) -> Option<Text> {
        Text::ALL.iter().copied().find(|text| text.key() == key)
    }
}

/// The words of one language, with the owner's overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strings {
    lang: Lang,
    overrides: Rc<SortedMap<Text, String>>,
}

impl Strings {
    /// The table for `lang`, without overrides.
    pub fn new(lang: Lang) -> Self {
        Strings::with_overrides(lang, SortedMap::new())
    }

    /// The table for `lang`, with `overrides` taking precedence key by key.
    pub fn with_overrides(lang: Lang, overrides: SortedMap<Text, String>) -> Self {
        Strings {
            lang,
            overrides: Rc::new(overrides),
        }
    }

    /// The language of this table.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The words for `key`.
    pub fn get(&self, key: Text) -> &str {
        if let Some(text) = self.overrides.get(&key) {
            return text;
        }
        match self.lang {
            Lang::En => en::text(key),
            Lang::FrCa => fr_ca::text(key),
        }
    }

    /// The words for `key` with each `{name}` placeholder replaced by its value.
    pub fn format(&self, key: Text, values: &[(&str, &str)]) -> String {
        values
            .iter()
            .fold(self.get(key).to_owned(), |text, (name, value)| {
                text.replace(&format!("{{{name}}}"), value)
            })
    }

    /// The message a visitor sees for a field error.
    pub fn field_error(&self, error: FieldError) -> String {
        match error {
            FieldError::Required => self.get(Text::ErrorRequired).to_owned(),
            FieldError::TooShort { min } => {
                self.format(Text::ErrorTooShort, &[("min", &min.to_string())])
            }
            FieldError::TooLong { max } => {
                self.format(Text::ErrorTooLong, &[("max", &max.to_string())])
            }
            FieldError::InvalidEmail => self.get(Text::ErrorInvalidEmail).to_owned(),
            FieldError::InvalidDate => self.get(Text::ErrorInvalidDate).to_owned(),
            FieldError::FutureDate => self.get(Text::ErrorFutureDate).to_owned(),
            FieldError::NotAccepted => self.get(Text::ErrorNotAccepted).to_owned(),
            FieldError::ConsentRequired => self.get(Text::ErrorConsentRequired).to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs(tags: &[&str]) -> Vec<String> {
        tags.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn long_dates_read_as_each_language_writes_them() {
        assert_eq!(
            long_date(Lang::En, 2026, 11, 24).as_deref(),
            Some("November 24, 2026")
        );
        assert_eq!(
            long_date(Lang::FrCa, 2026, 11, 24).as_deref(),
            Some("24 novembre 2026")
        );
        assert_eq!(
            long_date(Lang::FrCa, 2026, 8, 1).as_deref(),
            Some("1er août 2026")
        );
        assert_eq!(
            long_date(Lang::En, 2027, 1, 1).as_deref(),
            Some("January 1, 2027")
        );
    }

    #[test]
    fn impossible_months_and_days_have_no_long_date() {
        for (month, day) in [(0, 1), (13, 1), (1, 0), (1, 32)] {
            assert_eq!(long_date(Lang::En, 2026, month, day), None);
        }
    }

    #[test]
    fn owner_choice_wins_when_supported() {
        assert_eq!(negotiate(Some("fr-CA"), &langs(&["en-US"])), Lang::FrCa);
        assert_eq!(negotiate(Some("en"), &langs(&["fr-CA"])), Lang::En);
    }

    #[test]
    fn unsupported_owner_choice_falls_back_to_the_browser() {
        assert_eq!(
            negotiate(Some("de"), &langs(&["de-DE", "fr-FR"])),
            Lang::FrCa
        );
    }

    #[test]
    fn english_when_nothing_matches() {
        assert_eq!(negotiate(None, &langs(&["es", "pt-BR"])), Lang::En);
        assert_eq!(negotiate(None, &[]), Lang::En);
    }

    #[test]
    fn tags_are_matched_loosely() {
        assert_eq!(negotiate(Some(" FR_ca "), &[]), Lang::FrCa);
        assert_eq!(negotiate(Some("en-GB"), &[]), Lang::En);
    }

    #[test]
    fn every_key_has_words_in_every_language_with_the_same_placeholders() {
        let (english, french) = (Strings::new(Lang::En), Strings::new(Lang::FrCa));
        for &key in Text::ALL {
            let en = english.get(key);
            let fr = french.get(key);
            assert!(!en.trim().is_empty(), "{key:?} is empty in English");
            assert!(!fr.trim().is_empty(), "{key:?} is empty in French");
            let placeholders = |s: &str| {
                let mut names: Vec<String> = s
                    .split('{')
                    .skip(1)
                    .filter_map(|part| part.split_once('}').map(|(n, _)| n.to_owned()))
                    .collect();
                names.sort();
                names
            };
            assert_eq!(placeholders(en), placeholders(fr), "{key:?}");
        }
    }

    #[test]
    fn keys_are_unique_and_round_trip() {
        for &key in Text::ALL {
            assert_eq!(Text::from_key(key.key()), Some(key));
        }
        assert_eq!(Text::from_key("nope"), None);
    }

    #[test]
    fn overrides_replace_only_their_key() {
        let strings = Strings::with_overrides(
            Lang::En,
            SortedMap::from([(Text::SubmitButton, "Say thanks".to_owned())]),
        );
        assert_eq!(strings.get(Text::SubmitButton), "Say thanks");
        assert_eq!(strings.get(Text::ThanksTitle), "Thank you!");
    }

    #[test]
    fn field_errors_fill_in_their_numbers() {
        let en = Strings::new(Lang::En);
        assert!(en
            .field_error(FieldError::TooShort { min: 20 })
            .contains("20"));
        let fr = Strings::new(Lang::FrCa);
        assert!(fr
            .field_error(FieldError::TooLong { max: 2000 })
            .contains("2000"));
    }
}
