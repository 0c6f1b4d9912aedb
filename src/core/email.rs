//! The email rule shared by every form: a plausible address, not an RFC 5322 parser.
//!
//! The only proof that an address works is a message that arrives, so the widget only catches the
//! typing slips a visitor would want pointed out (a missing `@`, a space, no dot in the domain) and
//! never rejects an unusual but valid address.

use crate::core::platform::Platform;

/// Trims an address and lower-cases its domain (domains are case-insensitive; local parts may
/// not be, so they are kept as typed). Every form sends addresses in this form.
pub fn normalize_email(email: &str, platform: &dyn Platform) -> String {
    let email = email.trim();
    match email.rsplit_once('@') {
        Some((local, domain)) => format!("{local}@{}", platform.lowercase(domain)),
        None => email.to_owned(),
    }
}

/// The longest address a mail system accepts (RFC 5321 path limit minus the angle brackets).
pub const MAX_EMAIL_LEN: usize = 254;

/// True when `address` (already trimmed) looks like something mail could be sent to.
pub fn is_plausible_email(address: &str) -> bool {
    if address.is_empty() || address.len() > MAX_EMAIL_LEN {
        return false;
    }
    if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    if local.is_empty() || local.len() > 64 || local.contains('@') {
        return false;
    }
    // A domain needs at least one dot between non-empty labels ("shop.example", not "shop" or
    // "shop..example"); internationalised domains pass as they are.
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::platform::tests::NATIVE;

    #[test]
    fn accepts_ordinary_and_unusual_addresses() {
        for ok in [
            "ana@shop.example",
            "first.last+kudos@mail.co.uk",
            "o'neil@example.ie",
            "zoé@exemple.québec",
        ] {
            assert!(is_plausible_email(ok), "{ok} should pass");
        }
    }

    #[test]
    fn rejects_typing_slips() {
        for bad in [
            "",
            "ana",
            "ana@",
            "@shop.example",
            "ana@shop",
            "ana@shop..example",
            "ana @shop.example",
            "ana@shop.example.",
            "ana@-shop.example",
            "ana@@shop.example",
        ] {
            assert!(!is_plausible_email(bad), "{bad:?} should fail");
        }
    }

    #[test]
    fn normalizing_trims_and_lower_cases_only_the_domain() {
        assert_eq!(
            normalize_email("  Ana.Ruiz@Shop.EXAMPLE \n", NATIVE),
            "Ana.Ruiz@shop.example"
        );
        // Unicode domains are lower-cased by the platform, beyond ASCII.
        assert_eq!(normalize_email("Zoé@ÉCOLE.ΟΔΟΣ", NATIVE), "Zoé@école.οδος");
        assert_eq!(normalize_email(" no-at-sign ", NATIVE), "no-at-sign");
    }

    #[test]
    fn rejects_over_long_addresses() {
        let long_local = format!("{}@shop.example", "a".repeat(65));
        assert!(!is_plausible_email(&long_local));
        let long_domain = format!("a@{}.example", "b".repeat(MAX_EMAIL_LEN));
        assert!(!is_plausible_email(&long_domain));
    }
}
