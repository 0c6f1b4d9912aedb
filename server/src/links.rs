//! Signed links: the Approve and Reject buttons in a manager's email.
//!
//! A link's token is `v1.PURPOSE.SUBJECT.RECIPIENT.EXPIRY.SIGNATURE`, all URL-safe:
//! - PURPOSE is `approve` or `reject`; SUBJECT the praise id;
//! - RECIPIENT a keyed hash of the address the email went to (the address itself never appears
//!   in a URL, where it could reach a log or a browser history);
//! - EXPIRY the Unix second after which the link is refused ([`LINK_DAYS`] after sending);
//! - SIGNATURE the HMAC-SHA256 of the other fields under the server's secret.
//!
//! Verifying is constant-time and needs no database; single use does: a link's [`Link::use_key`]
//! is recorded in `used_links` in the same transaction as the decision it makes. Approve and
//! Reject from one email share a use key, so one email makes one decision. The secret is
//! `secret_key` when configured, else generated once and kept in the database, so every instance
//! signs and verifies alike.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::store::{Store, StoreError};

/// How long a link works.
pub const LINK_DAYS: i64 = 14;
/// The name of the generated secret in `server_secrets`.
const SECRET_NAME: &str = "link_signing_key";

type HmacSha256 = Hmac<Sha256>;

/// What a link does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Approve,
    Reject,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Approve => "approve",
            Purpose::Reject => "reject",
        }
    }

    fn parse(text: &str) -> Option<Purpose> {
        [Purpose::Approve, Purpose::Reject]
            .into_iter()
            .find(|p| p.as_str() == text)
    }
}

/// A link whose signature checked out and whose time has not passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub purpose: Purpose,
    /// The praise id.
    pub subject: String,
    recipient: String,
    /// Unix seconds.
    pub expires_at: i64,
}

impl Link {
    /// What `used_links` records: the same for both links of one email.
    pub fn use_key(&self) -> String {
        let digest = Sha256::digest(format!(
            "moderate\n{}\n{}\n{}",
            self.subject, self.recipient, self.expires_at
        ));
        hex(&digest)
    }
}

/// Why a link is refused. The message is what the person sees; the link page words it in their
/// language (see `http::links`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// Not a token at all, or its signature does not match (changed by hand, or cut short).
    #[error("this link is not valid")]
    Invalid,
    /// Signed by us, but too old.
    #[error("this link has expired")]
    Expired,
    /// Signed, in time, but already used.
    #[error("this link was already used")]
    Used,
}

/// Signs and checks links with the server's secret.
#[derive(Clone)]
pub struct LinkSigner {
    key: Vec<u8>,
}

impl LinkSigner {
    /// The configured secret, or the one kept in the database (made on first use).
    pub async fn load(store: &Store, configured: Option<&str>) -> Result<LinkSigner, StoreError> {
        let key = match configured {
            Some(secret) => secret.as_bytes().to_vec(),
            None => {
                let mut fresh = [0u8; 32];
                getrandom::fill(&mut fresh).map_err(|err| {
                    StoreError::Failed(format!("no random bytes for the link secret: {err}"))
                })?;
                let candidate = URL_SAFE_NO_PAD.encode(fresh);
                store
                    .shared_secret(SECRET_NAME, &candidate, crate::now_ms())
                    .await?
                    .into_bytes()
            }
        };
        Ok(LinkSigner { key })
    }

    /// A signer with this key (tests).
    pub fn with_key(key: &[u8]) -> LinkSigner {
        LinkSigner { key: key.to_vec() }
    }

    fn mac(&self) -> HmacSha256 {
        HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key length")
    }

    /// The HMAC-SHA256 of `message` under the server's secret, URL-safe base64: the signature
    /// of tokens of other shapes (the newsletter's, `crate::newsletter::tokens`).
    pub fn tag(&self, message: &str) -> String {
        let mut mac = self.mac();
        mac.update(message.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    fn recipient_tag(&self, recipient: &str) -> String {
        let mut mac = self.mac();
        mac.update(b"recipient\n");
        mac.update(recipient.trim().to_lowercase().as_bytes());
        URL_SAFE_NO_PAD.encode(&mac.finalize().into_bytes()[..16])
    }

    fn signed_part(purpose: &str, subject: &str, recipient: &str, expires_at: i64) -> String {
        format!("v1.{purpose}.{subject}.{recipient}.{expires_at}")
    }

    /// A token for `purpose` on `subject`, sent to `recipient`, working until `expires_at`
    /// (Unix seconds).
    pub fn sign(
        &self,
        purpose: Purpose,
        subject: &str,
        recipient: &str,
        expires_at: i64,
    ) -> String {
        let signed = Self::signed_part(
            purpose.as_str(),
            subject,
            &self.recipient_tag(recipient),
            expires_at,
        );
        let mut mac = self.mac();
        mac.update(signed.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{signed}.{signature}")
    }

    /// Checks a token's shape, signature and time (not whether it was used: see
    /// [`LinkSigner::check`]).
    pub fn verify(&self, token: &str, now_ms: i64) -> Result<Link, LinkError> {
        let parts: Vec<&str> = token.trim().split('.').collect();
        let [version, purpose, subject, recipient, expires_at, signature] = parts[..] else {
            return Err(LinkError::Invalid);
        };
        if version != "v1" || token.len() > 512 {
            return Err(LinkError::Invalid);
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| LinkError::Invalid)?;
        // The signature covers exactly the text before it.
        let token = token.trim();
        let signed = &token[..token.len() - parts[5].len() - 1];
        let mut mac = self.mac();
        mac.update(signed.as_bytes());
        mac.verify_slice(&signature)
            .map_err(|_| LinkError::Invalid)?;
        let purpose = Purpose::parse(purpose).ok_or(LinkError::Invalid)?;
        let expires_at: i64 = expires_at.parse().map_err(|_| LinkError::Invalid)?;
        if now_ms / 1000 > expires_at {
            return Err(LinkError::Expired);
        }
        Ok(Link {
            purpose,
            subject: subject.to_owned(),
            recipient: recipient.to_owned(),
            expires_at,
        })
    }

    /// [`LinkSigner::verify`], then whether it was used already.
    pub async fn check(&self, store: &Store, token: &str, now_ms: i64) -> Result<Link, CheckError> {
        let link = self.verify(token, now_ms)?;
        if store.link_used(&link.use_key()).await? {
            return Err(CheckError::Link(LinkError::Used));
        }
        Ok(link)
    }
}

/// Why checking a link did not succeed: the link, or the database.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Link(#[from] LinkError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The expiry of a link sent at `now_ms`, in Unix seconds.
pub fn expiry_from(now_ms: i64) -> i64 {
    now_ms / 1000 + LINK_DAYS * 86_400
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    #[test]
    fn a_signed_link_verifies_and_any_change_breaks_it() {
        let signer = LinkSigner::with_key(b"0123456789abcdef0123456789abcdef");
        let token = signer.sign(
            Purpose::Approve,
            "p-1",
            "Lead@Shop.example",
            expiry_from(NOW),
        );
        let link = signer.verify(&token, NOW).unwrap();
        assert_eq!(link.purpose, Purpose::Approve);
        assert_eq!(link.subject, "p-1");
        assert!(!token.contains("shop.example"), "{token}");

        let swapped = token.replacen("approve", "reject", 1);
        assert_eq!(signer.verify(&swapped, NOW), Err(LinkError::Invalid));
        let other = token.replacen("p-1", "p-2", 1);
        assert_eq!(signer.verify(&other, NOW), Err(LinkError::Invalid));
        let mut flipped = token.clone().into_bytes();
        let last = flipped.len() - 3;
        flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
        let flipped = String::from_utf8(flipped).unwrap();
        assert_eq!(signer.verify(&flipped, NOW), Err(LinkError::Invalid));
        assert_eq!(signer.verify("", NOW), Err(LinkError::Invalid));
        let other_key = LinkSigner::with_key(b"another key, another server......");
        assert_eq!(other_key.verify(&token, NOW), Err(LinkError::Invalid));
    }

    #[test]
    fn links_expire_after_fourteen_days_and_share_a_use_key_per_email() {
        let signer = LinkSigner::with_key(b"0123456789abcdef0123456789abcdef");
        let expires = expiry_from(NOW);
        let approve = signer.sign(Purpose::Approve, "p-1", "lead@shop.example", expires);
        let reject = signer.sign(Purpose::Reject, "p-1", "lead@shop.example", expires);
        let day = 86_400_000;
        assert!(signer.verify(&approve, NOW + 13 * day).is_ok());
        assert_eq!(
            signer.verify(&approve, NOW + 15 * day),
            Err(LinkError::Expired)
        );
        let (a, r) = (
            signer.verify(&approve, NOW).unwrap(),
            signer.verify(&reject, NOW).unwrap(),
        );
        assert_eq!(a.use_key(), r.use_key());
        let someone_else = signer.sign(Purpose::Approve, "p-1", "other@shop.example", expires);
        assert_ne!(
            signer.verify(&someone_else, NOW).unwrap().use_key(),
            a.use_key()
        );
    }
}
