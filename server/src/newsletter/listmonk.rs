//! Optional forwarding of confirmed subscribers to listmonk's API: `POST {listmonk_url}/api/subscribers`
//! with `Authorization: token USER:TOKEN`, the subscriber pre-confirmed on the mapped lists, and
//! the consent record in `attribs.kudos_consent`. Run by the `newsletter_forward` job that a
//! confirmation enqueues in its own transaction (`store::newsletter`), so it is retried like an
//! email; `409` (listmonk has that address already) counts as done.

use serde_json::{json, Value};

use crate::store::Subscriber;

/// Reads `weekly=3,events=4`: the widget's list ids and listmonk's.
pub fn parse_lists(text: &str) -> Result<Vec<(String, i64)>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (ours, theirs) = pair
                .split_once('=')
                .ok_or_else(|| format!("`{pair}` is not id=number"))?;
            let theirs: i64 = theirs
                .trim()
                .parse()
                .map_err(|_| format!("`{pair}`: listmonk list ids are numbers"))?;
            Ok((ours.trim().to_owned(), theirs))
        })
        .collect()
}

/// The body of `POST /api/subscribers` for one address's confirmed subscriptions.
pub fn subscriber_body(subscribers: &[Subscriber], lists: &[(String, i64)]) -> Option<Value> {
    let first = subscribers.first()?;
    let mut ids: Vec<i64> = subscribers
        .iter()
        .filter_map(|sub| {
            lists
                .iter()
                .find(|(ours, _)| *ours == sub.list_id)
                .map(|(_, theirs)| *theirs)
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Some(json!({
        "email": first.email,
        "name": first.first_name.clone().unwrap_or_default(),
        "status": "enabled",
        "lists": ids,
        "preconfirm_subscriptions": true,
        "attribs": { "kudos_consent": {
            "version": first.consent_version,
            "text_sha256": first.consent_text_sha256,
            "language": first.language,
            "given_at": first.consent_given_at,
            "received_at_ms": first.consent_received_at,
            "ip_prefix": first.consent_ip_prefix,
            "confirmed_at_ms": first.confirmed_at,
        } }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_maps_read_and_refuse_nonsense() {
        assert_eq!(
            parse_lists(" weekly=3, events = 4 ,"),
            Ok(vec![("weekly".into(), 3), ("events".into(), 4)])
        );
        assert_eq!(parse_lists(""), Ok(vec![]));
        assert!(parse_lists("weekly").is_err());
        assert!(parse_lists("weekly=three").is_err());
    }
}
