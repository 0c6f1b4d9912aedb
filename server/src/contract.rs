//! The wire contract (`docs/contract.md`): envelopes are checked against the very JSON Schemas
//! in `docs/schema/` that the widget's tests validate against, compiled into the binary, then
//! read into typed values. Schema failures become the widget's field paths (`data.story`) and
//! short codes (`too_short`), so the form can mark the field.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The schemas, compiled in: the binary serves exactly the contract it was built with.
const PRAISE_SCHEMA: &str = include_str!("../../docs/schema/staff_recognition.submitted.v1.json");
const NEWSLETTER_SCHEMA: &str =
    include_str!("../../docs/schema/newsletter.subscription_requested.v1.json");

pub const PRAISE_TYPE: &str = "staff_recognition.submitted";
pub const NEWSLETTER_TYPE: &str = "newsletter.subscription_requested";

fn compile(text: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(text).expect("docs/schema files are JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("docs/schema files are valid JSON Schemas")
}

static PRAISE: LazyLock<jsonschema::Validator> = LazyLock::new(|| compile(PRAISE_SCHEMA));
static NEWSLETTER: LazyLock<jsonschema::Validator> = LazyLock::new(|| compile(NEWSLETTER_SCHEMA));

/// One problem with one field, as the widget reads it: `{"field": "data.story", "code": "too_short"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
}

impl FieldError {
    fn new(field: impl Into<String>, code: &'static str) -> Self {
        FieldError {
            field: field.into(),
            code,
        }
    }
}

/// A consent box as the visitor answered it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Choice {
    pub granted: bool,
    pub version: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SiteInfo {
    pub url: String,
    pub title: String,
    pub language: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Signals {
    pub honeypot: String,
    pub fill_time_ms: u64,
    pub attempt: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PraiseData {
    pub staff_name: Option<String>,
    pub staff_id: Option<String>,
    pub staff_role: Option<String>,
    pub staff_description: Option<String>,
    pub location: Option<String>,
    pub occurred_on: Option<String>,
    pub part_of_day: Option<String>,
    pub story: String,
    #[serde(default)]
    pub tags: Vec<String>,
    pub visitor_name: Option<String>,
    pub visitor_email: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PraiseConsent {
    pub publish: Option<Choice>,
    pub contact: Option<Choice>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NewsletterData {
    pub email: String,
    pub first_name: Option<String>,
    pub lists: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NewsletterConsentRecord {
    pub granted: bool,
    pub version: String,
    pub text_sha256: String,
    pub given_at: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NewsletterConsent {
    pub newsletter: NewsletterConsentRecord,
}

/// A checked envelope, typed by what it carries.
#[derive(Debug, Clone)]
pub struct Envelope {
    pub id: String,
    pub created_at: String,
    pub site: SiteInfo,
    pub signals: Signals,
    pub widget_version: String,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub enum Body {
    Praise {
        data: PraiseData,
        consent: PraiseConsent,
    },
    Newsletter {
        data: NewsletterData,
        consent: NewsletterConsent,
    },
}

/// Why a request body is not an envelope we take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// Not JSON at all (syntax, invalid UTF-8, nesting too deep): 400.
    Malformed,
    /// JSON, but not a valid envelope: 422 with the fields.
    Invalid(Vec<FieldError>),
}

/// Reads and checks a request body.
pub fn parse(body: &[u8]) -> Result<Envelope, Rejection> {
    // serde_json refuses invalid UTF-8 and nesting deeper than 128 levels, so a hostile body
    // costs one bounded pass (the body limit caps its length).
    let value: Value = serde_json::from_slice(body).map_err(|_| Rejection::Malformed)?;
    let Some(object) = value.as_object() else {
        return Err(Rejection::Invalid(vec![FieldError::new(
            "",
            "not_an_object",
        )]));
    };
    let validator = match (
        object.get("type").and_then(Value::as_str),
        object.get("schema_version").and_then(Value::as_u64),
    ) {
        (Some(PRAISE_TYPE), Some(1)) => &*PRAISE,
        (Some(NEWSLETTER_TYPE), Some(1)) => &*NEWSLETTER,
        (Some(PRAISE_TYPE | NEWSLETTER_TYPE), _) => {
            return Err(Rejection::Invalid(vec![FieldError::new(
                "schema_version",
                "unsupported",
            )]))
        }
        _ => {
            return Err(Rejection::Invalid(vec![FieldError::new(
                "type",
                "unsupported",
            )]))
        }
    };
    let mut errors: Vec<FieldError> = validator.iter_errors(&value).map(field_error).collect();
    if !errors.is_empty() {
        errors.sort_by(|a, b| a.field.cmp(&b.field).then(a.code.cmp(b.code)));
        errors.dedup();
        return Err(Rejection::Invalid(errors));
    }
    let envelope =
        typed(value).map_err(|_| Rejection::Invalid(vec![FieldError::new("", "invalid")]))?;
    // The schema allows an unticked box (it records what was shown); a sign-up needs it ticked.
    if let Body::Newsletter { consent, .. } = &envelope.body {
        if !consent.newsletter.granted {
            return Err(Rejection::Invalid(vec![FieldError::new(
                "consent.newsletter.granted",
                "required",
            )]));
        }
    }
    Ok(envelope)
}

/// The typed envelope of a value the schema accepted.
fn typed(value: Value) -> Result<Envelope, serde_json::Error> {
    #[derive(Deserialize)]
    struct Wire {
        #[serde(rename = "type")]
        kind: String,
        id: String,
        created_at: String,
        site: SiteInfo,
        data: Value,
        consent: Value,
        signals: Signals,
        widget_version: String,
    }
    let wire: Wire = serde_json::from_value(value)?;
    let body = if wire.kind == PRAISE_TYPE {
        Body::Praise {
            data: serde_json::from_value(wire.data)?,
            consent: serde_json::from_value(wire.consent)?,
        }
    } else {
        Body::Newsletter {
            data: serde_json::from_value(wire.data)?,
            consent: serde_json::from_value(wire.consent)?,
        }
    };
    Ok(Envelope {
        id: wire.id,
        created_at: wire.created_at,
        site: wire.site,
        signals: wire.signals,
        widget_version: wire.widget_version,
        body,
    })
}

/// A schema failure as the widget's field path and a short code.
fn field_error(error: jsonschema::ValidationError<'_>) -> FieldError {
    use jsonschema::error::ValidationErrorKind as Kind;
    let path = error
        .instance_path()
        .as_str()
        .trim_start_matches('/')
        .replace('/', ".");
    let (path, code) = match error.kind() {
        Kind::Required { property } => (
            join(&path, property.as_str().unwrap_or_default()),
            "required",
        ),
        Kind::AdditionalProperties { unexpected } => (
            join(&path, unexpected.first().map(String::as_str).unwrap_or("")),
            "unknown_field",
        ),
        Kind::MinLength { .. } | Kind::MinItems { .. } | Kind::Minimum { .. } => {
            (path, "too_short")
        }
        Kind::MaxLength { .. } | Kind::MaxItems { .. } | Kind::Maximum { .. } => (path, "too_long"),
        Kind::Format { .. } | Kind::Pattern { .. } => (path, "invalid_format"),
        Kind::Type { .. } => (path, "wrong_type"),
        Kind::Enum { .. } | Kind::Constant { .. } => (path, "invalid_value"),
        Kind::UniqueItems => (path, "duplicate_items"),
        // The one `not` in the praise schema: a name and a description together.
        Kind::Not { .. } => (join(&path, "staff_description"), "conflict"),
        _ => (path, "invalid"),
    };
    FieldError::new(path, code)
}

fn join(parent: &str, child: &str) -> String {
    match (parent.is_empty(), child.is_empty()) {
        (_, true) => parent.to_owned(),
        (true, false) => child.to_owned(),
        (false, false) => format!("{parent}.{child}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    pub fn praise() -> Value {
        json!({
            "type": "staff_recognition.submitted",
            "schema_version": 1,
            "id": "3f1c2a9e-8b7d-4c21-9e5f-0a1b2c3d4e5f",
            "created_at": "2026-11-24T09:30:00.000Z",
            "site": { "url": "https://shop.example/contact", "title": "Contact us", "language": "en" },
            "data": { "staff_name": "Maribel", "story": "She repacked my groceries so nothing got crushed." },
            "consent": { "publish": { "granted": true, "version": "praise-publish-2026-11" } },
            "signals": { "honeypot": "", "fill_time_ms": 48210, "attempt": 1 },
            "widget_version": "0.1.0"
        })
    }

    fn errors(value: &Value) -> Vec<(String, &'static str)> {
        match parse(value.to_string().as_bytes()) {
            Err(Rejection::Invalid(errors)) => {
                errors.into_iter().map(|e| (e.field, e.code)).collect()
            }
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn a_valid_praise_reads_into_its_type() {
        let envelope = parse(praise().to_string().as_bytes()).unwrap();
        let Body::Praise { data, consent } = envelope.body else {
            panic!("praise expected")
        };
        assert_eq!(data.staff_name.as_deref(), Some("Maribel"));
        assert!(consent.publish.unwrap().granted);
    }

    #[test]
    fn schema_failures_become_the_widgets_field_paths() {
        let mut short = praise();
        short["data"]["story"] = json!("too short");
        assert_eq!(errors(&short), [("data.story".to_owned(), "too_short")]);

        let mut missing = praise();
        missing["data"].as_object_mut().unwrap().remove("story");
        assert_eq!(errors(&missing), [("data.story".to_owned(), "required")]);

        let mut extra = praise();
        extra["data"]["admin"] = json!(true);
        assert_eq!(errors(&extra), [("data.admin".to_owned(), "unknown_field")]);

        let mut wrong = praise();
        wrong["signals"]["fill_time_ms"] = json!("fast");
        assert_eq!(
            errors(&wrong),
            [("signals.fill_time_ms".to_owned(), "wrong_type")]
        );

        let mut both = praise();
        both["data"]["staff_description"] = json!("tall, red scarf");
        assert_eq!(
            errors(&both),
            [("data.staff_description".to_owned(), "conflict")]
        );

        let mut email = praise();
        email["data"]["visitor_email"] = json!("not an email");
        assert_eq!(
            errors(&email),
            [("data.visitor_email".to_owned(), "invalid_format")]
        );
    }

    #[test]
    fn unknown_types_versions_and_non_objects_are_refused() {
        let mut kind = praise();
        kind["type"] = json!("order.placed");
        assert_eq!(errors(&kind), [("type".to_owned(), "unsupported")]);
        let mut version = praise();
        version["schema_version"] = json!(2);
        assert_eq!(
            errors(&version),
            [("schema_version".to_owned(), "unsupported")]
        );
        for body in ["null", "[]", "42", "\"text\""] {
            assert!(
                matches!(parse(body.as_bytes()), Err(Rejection::Invalid(_))),
                "{body}"
            );
        }
    }

    #[test]
    fn malformed_bodies_are_told_apart_from_invalid_ones() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        for body in [b"{".as_slice(), b"\xff\xfe{}", deep.as_bytes(), b""] {
            assert_eq!(parse(body).unwrap_err(), Rejection::Malformed);
        }
    }
}
