//! The newsletter's signed links: confirm a request, unsubscribe an address.
//!
//! A token is `n1.PURPOSE.SUBJECT.EXPIRY.SIGNATURE`: PURPOSE `confirm` or `unsub`; SUBJECT,
//! base64url, the request id (confirm) or `SITE\nEMAIL_KEY` (unsubscribe: the address as its
//! SHA-256, never in clear in a URL); EXPIRY Unix seconds, 0 for never (unsubscribe links keep
//! working, as RFC 8058 expects); SIGNATURE the HMAC-SHA256 of the rest under the server's secret
//! (`LinkSigner::tag`). A confirm link is tied to its request: after a withdrawal and a new
//! sign-up, an old link confirms nothing.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use subtle::ConstantTimeEq;

use crate::links::{LinkError, LinkSigner};

/// What a token does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Confirm the subscriptions pending on this request.
    Confirm { request_id: String },
    /// Unsubscribe this address (its key) from every list of this site.
    Unsubscribe { site_id: String, email_key: String },
}

fn signed_part(purpose: &str, subject: &str, expires_at: i64) -> String {
    format!(
        "n1.{purpose}.{}.{expires_at}",
        URL_SAFE_NO_PAD.encode(subject)
    )
}

fn sign_part(signer: &LinkSigner, part: String) -> String {
    let signature = signer.tag(&format!("newsletter\n{part}"));
    format!("{part}.{signature}")
}

/// A confirmation token for `request_id`, working until `expires_at` (Unix seconds).
pub fn confirm(signer: &LinkSigner, request_id: &str, expires_at: i64) -> String {
    sign_part(signer, signed_part("confirm", request_id, expires_at))
}

/// An unsubscribe token for the address `email_key` on `site_id`; it does not expire.
pub fn unsubscribe(signer: &LinkSigner, site_id: &str, email_key: &str) -> String {
    sign_part(
        signer,
        signed_part("unsub", &format!("{site_id}\n{email_key}"), 0),
    )
}

/// Checks a token's shape, signature and time.
pub fn verify(signer: &LinkSigner, token: &str, now_ms: i64) -> Result<Action, LinkError> {
    let token = token.trim();
    if token.len() > 512 {
        return Err(LinkError::Invalid);
    }
    let parts: Vec<&str> = token.split('.').collect();
    let [version, purpose, subject, expires_at, signature] = parts[..] else {
        return Err(LinkError::Invalid);
    };
    if version != "n1" {
        return Err(LinkError::Invalid);
    }
    let signed = &token[..token.len() - signature.len() - 1];
    let expected = signer.tag(&format!("newsletter\n{signed}"));
    if !bool::from(expected.as_bytes().ct_eq(signature.as_bytes())) {
        return Err(LinkError::Invalid);
    }
    let expires_at: i64 = expires_at.parse().map_err(|_| LinkError::Invalid)?;
    if expires_at != 0 && now_ms / 1000 > expires_at {
        return Err(LinkError::Expired);
    }
    let subject = URL_SAFE_NO_PAD
        .decode(subject)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or(LinkError::Invalid)?;
    match purpose {
        "confirm" => Ok(Action::Confirm {
            request_id: subject,
        }),
        "unsub" => {
            let (site_id, email_key) = subject.split_once('\n').ok_or(LinkError::Invalid)?;
            Ok(Action::Unsubscribe {
                site_id: site_id.to_owned(),
                email_key: email_key.to_owned(),
            })
        }
        _ => Err(LinkError::Invalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    #[test]
    fn tokens_verify_and_any_change_breaks_them() {
        let signer = LinkSigner::with_key(b"0123456789abcdef0123456789abcdef");
        let token = confirm(&signer, "req-1", NOW / 1000 + 60);
        assert_eq!(
            verify(&signer, &token, NOW),
            Ok(Action::Confirm {
                request_id: "req-1".into()
            })
        );
        assert_eq!(
            verify(&signer, &token, NOW + 120_000),
            Err(LinkError::Expired)
        );
        let forged = token.replacen("confirm", "unsub", 1);
        assert_eq!(verify(&signer, &forged, NOW), Err(LinkError::Invalid));
        let other = LinkSigner::with_key(b"another key, another server......");
        assert_eq!(verify(&other, &token, NOW), Err(LinkError::Invalid));
        let unsub = unsubscribe(&signer, "default", "abc");
        assert_eq!(
            verify(&signer, &unsub, NOW * 10),
            Ok(Action::Unsubscribe {
                site_id: "default".into(),
                email_key: "abc".into()
            })
        );
    }
}
