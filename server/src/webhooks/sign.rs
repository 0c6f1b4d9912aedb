//! Standard Webhooks signatures (https://www.standardwebhooks.com/, spec:
//! https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md):
//!
//! - the secret is `whsec_` and base64 of 24 to 64 random bytes (the key is the decoded bytes);
//! - the signed content is `{webhook-id}.{webhook-timestamp}.{body}`, the body byte for byte;
//! - `webhook-signature` is `v1,` and the base64 of its HMAC-SHA256 (space-separated when several
//!   secrets sign during a rotation; we send one).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const SECRET_PREFIX: &str = "whsec_";

/// The key inside a `whsec_` secret, or why it can't be one.
pub fn key(secret: &str) -> Result<Vec<u8>, String> {
    let encoded = secret
        .strip_prefix(SECRET_PREFIX)
        .ok_or_else(|| format!("webhook_secret must start with {SECRET_PREFIX}"))?;
    let key = STANDARD
        .decode(encoded)
        .map_err(|_| "webhook_secret must be whsec_ and base64".to_owned())?;
    if !(24..=64).contains(&key.len()) {
        return Err("webhook_secret must hold 24 to 64 bytes (base64 after whsec_)".into());
    }
    Ok(key)
}

/// The `webhook-signature` header's value for one message.
pub fn signature(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC takes keys of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_specs_example_signature() {
        // The example of the Standard Webhooks spec ("Signature scheme").
        let key = key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            signature(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        assert!(super::key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_err());
        assert!(super::key("whsec_c2hvcnQ=").is_err());
    }
}
