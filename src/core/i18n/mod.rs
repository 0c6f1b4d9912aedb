//! Every word the widget shows, one table per language, and the choice of language.
//!
//! A table is a `match` over [`Text`], so the compiler refuses a language that lacks a key. Words
//! with a value in them carry a `{name}` placeholder that [`Strings::format`] fills.

mod en;
mod fr_ca;

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

/// Keys of every piece of text the widget shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Text {
    FormTitle,
    FormIntro,
    StaffNameLabel,
    StaffNameHint,
    StoryLabel,
    StoryHint,
    AboutYouLegend,
    VisitorNameLabel,
    VisitorEmailLabel,
    VisitorEmailHint,
    PublishConsentLabel,
    Optional,
    SubmitButton,
    Submitting,
    ErrorSummaryTitle,
    ErrorRequired,
    ErrorTooShort,
    ErrorTooLong,
    ErrorInvalidEmail,
    ErrorCouldNotSend,
    ErrorRefused,
    ThanksTitle,
    ThanksBody,
    PraiseSomeoneElse,
    WallTitle,
    WallEmpty,
    WallLoading,
    WallUnavailable,
    DemoNotice,
}

impl Text {
    /// Every key, for completeness tests.
    pub const ALL: [Text; 29] = [
        Text::FormTitle,
        Text::FormIntro,
        Text::StaffNameLabel,
        Text::StaffNameHint,
        Text::StoryLabel,
        Text::StoryHint,
        Text::AboutYouLegend,
        Text::VisitorNameLabel,
        Text::VisitorEmailLabel,
        Text::VisitorEmailHint,
        Text::PublishConsentLabel,
        Text::Optional,
        Text::SubmitButton,
        Text::Submitting,
        Text::ErrorSummaryTitle,
        Text::ErrorRequired,
        Text::ErrorTooShort,
        Text::ErrorTooLong,
        Text::ErrorInvalidEmail,
        Text::ErrorCouldNotSend,
        Text::ErrorRefused,
        Text::ThanksTitle,
        Text::ThanksBody,
        Text::PraiseSomeoneElse,
        Text::WallTitle,
        Text::WallEmpty,
        Text::WallLoading,
        Text::WallUnavailable,
        Text::DemoNotice,
    ];
}

/// The words of one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Strings {
    lang: Lang,
}

impl Strings {
    /// The table for `lang`.
    pub fn new(lang: Lang) -> Self {
        Strings { lang }
    }

    /// The language of this table.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The words for `key`.
    pub fn get(&self, key: Text) -> &'static str {
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
        for key in Text::ALL {
            let en = Strings::new(Lang::En).get(key);
            let fr = Strings::new(Lang::FrCa).get(key);
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
