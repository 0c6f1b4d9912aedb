//! The consent wording a visitor agreed to, recovered from its version and language.
//!
//! The widget sends the wording's version and the SHA-256 of the exact text shown
//! (`kudos_widget::core::newsletter`). The text itself comes from the widget's own core, the same
//! code that rendered it, with the site's `company` and `contact` (the widget's options of the
//! same names): there is one source of the wording, so the two can't drift. When the widget's
//! wording changes (a new version), the old version's texts are added to [`PAST`] so that older
//! consents can still be shown.

use kudos_widget::core::i18n::{self, Strings};
use kudos_widget::core::newsletter::{consent_text, sha256_hex, NEWSLETTER_CONSENT_VERSION};

use crate::config::Site;

/// Wordings of earlier versions: (version, language tag, text). None yet.
const PAST: &[(&str, &str, &str)] = &[];

/// The wording the visitor saw, and whether its SHA-256 is the one recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    /// The recovered text; `None` for a version this server does not know.
    pub text: Option<String>,
    /// SHA-256 (hex) of the recovered text.
    pub sha256: Option<String>,
    /// Whether it equals the recorded `text_sha256`.
    pub matches: bool,
}

/// The widget's language for a stored tag (`fr-CA`, `en`, …).
fn lang_of(tag: &str) -> i18n::Lang {
    i18n::negotiate(Some(tag), &[])
}

/// The exact wording of `version` in `language` for a site with `company` and `contact`.
pub fn wording(
    version: &str,
    language: &str,
    company: Option<&str>,
    contact: Option<&str>,
) -> Option<String> {
    if version == NEWSLETTER_CONSENT_VERSION {
        return Some(consent_text(
            &Strings::new(lang_of(language)),
            company,
            contact,
        ));
    }
    let tag = lang_of(language).tag();
    PAST.iter()
        .find(|(v, l, _)| *v == version && *l == tag)
        .map(|(_, _, text)| (*text).to_owned())
}

/// Recovers the wording for `site` and checks it against `recorded_sha256`.
pub fn proof(site: Option<&Site>, version: &str, language: &str, recorded_sha256: &str) -> Proof {
    let text = wording(
        version,
        language,
        site.and_then(|site| site.company.as_deref()),
        site.and_then(|site| site.contact.as_deref()),
    );
    let sha256 = text.as_deref().map(sha256_hex);
    let matches = sha256
        .as_deref()
        .is_some_and(|hash| hash.eq_ignore_ascii_case(recorded_sha256.trim()));
    Proof {
        text,
        sha256,
        matches,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_wording_is_the_widgets_in_both_languages() {
        let en = wording(NEWSLETTER_CONSENT_VERSION, "en", Some("Larch"), None).unwrap();
        assert!(en.starts_with("Yes, Larch may email me"), "{en}");
        let fr = wording(
            NEWSLETTER_CONSENT_VERSION,
            "fr-CA",
            Some("Larch"),
            Some("1 rue"),
        )
        .unwrap();
        assert!(fr.starts_with("Oui, Larch peut"), "{fr}");
        assert!(fr.contains("1 rue"), "{fr}");
        assert_eq!(
            wording("newsletter-consent-1999-01", "en", None, None),
            None
        );
    }
}
