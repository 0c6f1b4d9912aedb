//! What each target receives: the same facts about one praise event in three shapes.
//!
//! - **Slack incoming webhook**: `{"text": …, "blocks": [...]}`; `text` is the notification's
//!   fallback when there are blocks. Slack reads `&`, `<` and `>` as control characters in
//!   `mrkdwn` text (`<!channel>` pings a channel, `<url|label>` makes a link), so everything a
//!   visitor wrote is escaped as `&amp;`, `&lt;`, `&gt;`, as Slack's "Formatting text for app
//!   surfaces" guide asks (https://api.slack.com/reference/surfaces/formatting#escaping;
//!   incoming webhooks: https://api.slack.com/messaging/webhooks).
//! - **Microsoft Teams workflow** ("Post to a channel when a webhook request is received"):
//!   Workflows take Adaptive Cards only (not the old MessageCard of Office 365 connectors), sent
//!   as a message with one attachment of content type `application/vnd.microsoft.card.adaptive`
//!   whose `content` is the card, as in "Create and send messages"
//!   (https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using)
//!   and the Adaptive Card schema (https://adaptivecards.io/explorer/). Version 1.4, the
//!   highest Teams renders everywhere.
//! - **Outgoing webhook** (Standard Webhooks, https://www.standardwebhooks.com/ and
//!   https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md):
//!   `{"type": "praise.received", "timestamp": RFC 3339, "data": {...}}`, signed in `sign`.
//!
//! None of them carries the visitor's name or email: the praise, who it thanks, where, when.

use serde_json::{json, Value};

use crate::store::StoredPraise;

/// Everything a payload says about one event.
pub struct Facts<'a> {
    /// `praise.received` or `praise.approved`.
    pub event: &'a str,
    pub praise: &'a StoredPraise,
    /// The roster's name for the staff member, else what the visitor wrote.
    pub staff: String,
    /// The owner's moderation page (`https://…/owner/moderation?status=…`).
    pub moderation_url: String,
}

impl Facts<'_> {
    fn headline(&self) -> String {
        match self.event {
            super::APPROVED => format!("Praise approved for {}", self.staff),
            _ => format!("New praise for {}", self.staff),
        }
    }

    fn when(&self) -> String {
        [
            self.praise.occurred_on.as_deref(),
            self.praise.part_of_day.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// `&`, `<`, `>` as Slack's entities.
pub fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Slack's section text is limited to 3,000 characters.
fn clip(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max_chars - 1).collect();
    out.push('…');
    out
}

pub fn slack(facts: &Facts<'_>) -> Value {
    let praise = facts.praise;
    let mut context = vec![];
    if let Some(location) = &praise.location {
        context.push(format!("*Where:* {}", slack_escape(location)));
    }
    let when = facts.when();
    if !when.is_empty() {
        context.push(format!("*When:* {}", slack_escape(&when)));
    }
    if !praise.tags.is_empty() {
        context.push(format!("*Tags:* {}", slack_escape(&praise.tags.join(", "))));
    }
    let mut blocks = vec![
        json!({
            "type": "section",
            "text": { "type": "mrkdwn", "text": format!("*{}*", slack_escape(&facts.headline())) }
        }),
        json!({
            "type": "section",
            "text": { "type": "mrkdwn", "text": clip(&slack_escape(&praise.story), 2900) }
        }),
    ];
    if !context.is_empty() {
        blocks.push(json!({
            "type": "context",
            "elements": context.iter().map(|text| json!({ "type": "mrkdwn", "text": text })).collect::<Vec<_>>()
        }));
    }
    blocks.push(json!({
        "type": "section",
        "text": {
            "type": "mrkdwn",
            "text": format!("<{}|Open the moderation page>", slack_escape(&facts.moderation_url))
        }
    }));
    json!({ "text": slack_escape(&facts.headline()), "blocks": blocks })
}

/// Teams renders a markdown subset in `TextBlock` and `FactSet` (links included), so text a
/// visitor wrote goes in `TextRun`s of a `RichTextBlock`, which Teams shows as written.
fn text_run(text: &str, bold: bool) -> Value {
    if bold {
        json!({ "type": "TextRun", "text": text, "weight": "Bolder" })
    } else {
        json!({ "type": "TextRun", "text": text })
    }
}

pub fn teams(facts: &Facts<'_>) -> Value {
    let praise = facts.praise;
    let mut details = vec![("Who", facts.staff.clone())];
    if let Some(location) = &praise.location {
        details.push(("Where", location.clone()));
    }
    let when = facts.when();
    if !when.is_empty() {
        details.push(("When", when));
    }
    if !praise.tags.is_empty() {
        details.push(("Tags", praise.tags.join(", ")));
    }
    let mut body = vec![
        json!({
            "type": "RichTextBlock",
            "inlines": [ { "type": "TextRun", "text": facts.headline(), "weight": "Bolder", "size": "Medium" } ]
        }),
        json!({ "type": "RichTextBlock", "inlines": [ text_run(&praise.story, false) ] }),
    ];
    for (label, value) in details {
        body.push(json!({
            "type": "RichTextBlock",
            "spacing": "None",
            "inlines": [ text_run(&format!("{label}: "), true), text_run(&value, false) ]
        }));
    }
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": body,
                "actions": [
                    { "type": "Action.OpenUrl", "title": "Open the moderation page", "url": facts.moderation_url }
                ]
            }
        }]
    })
}

/// The Standard Webhooks body: `type`, `timestamp` (the event's), `data`.
pub fn standard(facts: &Facts<'_>) -> Value {
    let praise = facts.praise;
    let at = time::OffsetDateTime::from_unix_timestamp(praise.received_at.div_euclid(1000))
        .ok()
        .and_then(|at| {
            at.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default();
    json!({
        "type": facts.event,
        "timestamp": at,
        "data": {
            "id": praise.id,
            "site": praise.site_id,
            "status": praise.status,
            "staff_name": facts.staff,
            "staff_id": praise.staff_id,
            "location": praise.location,
            "occurred_on": praise.occurred_on,
            "part_of_day": praise.part_of_day,
            "story": praise.story,
            "tags": praise.tags,
            "language": praise.language,
            "moderation_url": facts.moderation_url,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn praise(story: &str) -> StoredPraise {
        StoredPraise {
            id: "p1".into(),
            site_id: "default".into(),
            status: "pending_moderation".into(),
            received_at: 1_795_694_400_000,
            created_at: "2026-11-24T09:30:00.000Z".into(),
            language: "en".into(),
            page_url: "https://shop.example/thanks".into(),
            staff_name: Some("Maribel".into()),
            staff_id: None,
            staff_role: None,
            staff_description: None,
            location: Some("Larch <Street>".into()),
            occurred_on: Some("2026-11-24".into()),
            part_of_day: None,
            story: story.into(),
            original_story: None,
            tags: vec!["genuine_warmth".into()],
            visitor_name: Some("Visitor Private".into()),
            visitor_email: Some("visitor@example.net".into()),
            publish_granted: true,
            publish_version: Some("praise-publish-2026-11".into()),
            contact_granted: true,
            contact_version: Some("praise-contact-2026-11".into()),
            honeypot_filled: false,
            fill_time_ms: 48_210,
            attempt: 1,
            featured: false,
        }
    }

    #[test]
    fn slack_text_is_escaped_and_no_payload_names_the_visitor() {
        let praise = praise("Thanks <!channel> & <https://evil.example|click>");
        let facts = Facts {
            event: super::super::RECEIVED,
            praise: &praise,
            staff: "Maribel Ortiz".into(),
            moderation_url: "https://kudos.example/owner/moderation".into(),
        };
        let slack = slack(&facts).to_string();
        assert!(!slack.contains("<!channel>") && slack.contains("&lt;!channel&gt; &amp;"));
        assert!(slack.contains("Larch &lt;Street&gt;"));
        for payload in [
            slack,
            teams(&facts).to_string(),
            standard(&facts).to_string(),
        ] {
            assert!(!payload.contains("Visitor Private") && !payload.contains("visitor@"));
        }
        assert_eq!(standard(&facts)["timestamp"], "2026-11-26T12:00:00Z");
        let card = &teams(&facts)["attachments"][0]["content"];
        assert!(card["body"]
            .as_array()
            .unwrap()
            .iter()
            .all(|block| block["type"] == "RichTextBlock"));
    }
}
