//! Demo mode: submissions are kept in this browser's storage, and the wall reads them back, so the
//! whole widget works with no backend at all.

use std::collections::BTreeMap;
use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};

use super::{LocalFuture, Transport, TransportError};
use crate::core::envelope::{ConsentChoice, ConsentPurpose, Payload, Submission};
use crate::core::form::DeliveryProblem;
use crate::core::praise::PraiseData;
use crate::core::praise::PublishedPraise;
use crate::shell::storage::{Store, KEY_PREFIX};

/// The one storage key of the demo store: every submission, oldest first, as a JSON array.
pub fn demo_store_key() -> String {
    format!("{KEY_PREFIX}demo:submissions:v1")
}

/// Keeps submissions in a [`Store`].
pub struct DemoTransport {
    store: Rc<dyn Store>,
}

impl DemoTransport {
    /// A demo transport over `store`.
    pub fn new(store: Rc<dyn Store>) -> Self {
        DemoTransport { store }
    }

    /// Every stored submission. Unreadable data (written by another version, or edited by hand)
    /// counts as empty rather than breaking the widget.
    fn submissions(&self) -> Vec<Submission> {
        self.store
            .read(&demo_store_key())
            .and_then(|json| parse_submissions(&json))
            .unwrap_or_default()
    }
}

/// Reads the stored array back through the browser's `JSON.parse`, field by field, with the same
/// rules serde's derived `Deserialize` would apply (every field present with its type, known
/// `type` and consent purposes, unknown extra fields ignored); `None` when anything does not fit.
///
/// Why not `serde_json::from_str`: the derived deserializer of the envelope (`flatten` plus an
/// adjacently tagged enum buffer everything through serde's `Content`, with its error messages and
/// float formatting) was about 19 KB brotli of the wasm, for this one call (docs/size-log.md).
/// Writing still goes through serde, so the wire shape keeps one source of truth
/// (src/core/envelope.rs); a new `Payload` variant must be added to [`payload`] below, and the
/// round-trip test at the end of this file fails to compile until it is.
fn parse_submissions(json: &str) -> Option<Vec<Submission>> {
    let array: js_sys::Array = js_sys::JSON::parse(json).ok()?.dyn_into().ok()?;
    array.iter().map(|item| submission(&item)).collect()
}

fn submission(value: &JsValue) -> Option<Submission> {
    let mut consent = BTreeMap::new();
    let choices = field(value, "consent")?;
    if !choices.is_object() {
        return None;
    }
    for entry in js_sys::Object::entries(choices.unchecked_ref()).iter() {
        let entry: js_sys::Array = entry.unchecked_into();
        let purpose = match entry.get(0).as_string()?.as_str() {
            "publish" => ConsentPurpose::Publish,
            _ => return None,
        };
        let choice = entry.get(1);
        let choice = ConsentChoice {
            granted: field(&choice, "granted")?.as_bool()?,
            version: string(&choice, "version")?,
        };
        consent.insert(purpose, choice);
    }
    Some(Submission {
        payload: payload(value)?,
        schema_version: u32_field(value, "schema_version")?,
        id: string(value, "id")?,
        created_at: string(value, "created_at")?,
        consent,
        widget_version: string(value, "widget_version")?,
    })
}

/// `type` and `data`, as `#[serde(tag = "type", content = "data")]` writes them.
fn payload(value: &JsValue) -> Option<Payload> {
    let data = field(value, "data")?;
    match string(value, "type")?.as_str() {
        "staff_recognition.submitted" => Some(Payload::StaffRecognition(PraiseData {
            staff_name: string(&data, "staff_name")?,
            story: string(&data, "story")?,
            visitor_name: optional_string(&data, "visitor_name")?,
            visitor_email: optional_string(&data, "visitor_email")?,
        })),
        _ => None,
    }
}

/// `object[name]`; `None` when `object` is not an object or the property is absent.
fn field(object: &JsValue, name: &str) -> Option<JsValue> {
    if !object.is_object() {
        return None;
    }
    let value = js_sys::Reflect::get(object, &JsValue::from_str(name)).ok()?;
    (!value.is_undefined()).then_some(value)
}

fn string(object: &JsValue, name: &str) -> Option<String> {
    field(object, name)?.as_string()
}

/// An `Option<String>` field: absent or `null` is `Some(None)`, a string `Some(Some(..))`, anything
/// else `None` (unreadable).
fn optional_string(object: &JsValue, name: &str) -> Option<Option<String>> {
    match field(object, name) {
        None => Some(None),
        Some(value) if value.is_null() => Some(None),
        Some(value) => value.as_string().map(Some),
    }
}

/// A whole number that fits a `u32`.
fn u32_field(object: &JsValue, name: &str) -> Option<u32> {
    let number = field(object, name)?.as_f64()?;
    let whole = number as u32;
    (f64::from(whole) == number).then_some(whole)
}

impl Transport for DemoTransport {
    fn submit(&self, submission: Submission) -> LocalFuture<Result<(), TransportError>> {
        let mut all = self.submissions();
        // The id is the idempotency key here too: a repeat replaces nothing and adds nothing.
        if !all.iter().any(|stored| stored.id == submission.id) {
            all.push(submission);
        }
        let result = serde_json::to_string(&all)
            .map(|json| self.store.write(&demo_store_key(), &json))
            .map_err(|err| TransportError {
                problem: DeliveryProblem::CouldNotSend,
                detail: format!("demo store: {err}"),
            });
        Box::pin(async move { result })
    }

    fn published_praise(
        &self,
    ) -> Option<LocalFuture<Result<Vec<PublishedPraise>, TransportError>>> {
        let items = self
            .submissions()
            .iter()
            .filter_map(Submission::published_praise)
            .collect();
        Some(Box::pin(async move { Ok(items) }))
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::*;

    use super::*;
    use crate::core::envelope::Stamp;
    use crate::core::praise::PraiseDraft;

    wasm_bindgen_test_configure!(run_in_browser);

    fn praise(publish: bool, visitor_name: &str, random: u8) -> Submission {
        let draft = PraiseDraft {
            staff_name: "Maribel".into(),
            story: "She repacked my groceries so nothing got crushed.".into(),
            visitor_name: visitor_name.into(),
            visitor_email: "ana@shop.example".into(),
            publish_consent: publish,
        };
        let stamp = Stamp {
            random: [random; 16],
            now: "2026-11-24T09:30:00.000Z".into(),
        };
        Submission::praise(&draft, stamp)
    }

    /// Exhaustive on purpose: a new `Payload` variant stops this test compiling until `payload`
    /// can read it back and a sample is added here.
    fn one_of_each_payload() -> Vec<Submission> {
        let sample = praise(true, "Ana", 1);
        match sample.payload {
            Payload::StaffRecognition(_) => {}
        }
        vec![sample, praise(false, "", 2)]
    }

    #[wasm_bindgen_test]
    fn reads_back_what_serde_writes() {
        let written = one_of_each_payload();
        let json = serde_json::to_string(&written).unwrap();
        assert_eq!(parse_submissions(&json), Some(written));
        assert_eq!(parse_submissions("[]"), Some(Vec::new()));
    }

    #[wasm_bindgen_test]
    fn null_optional_fields_read_as_absent() {
        let json = serde_json::to_string(&[praise(true, "", 3)]).unwrap();
        let with_null = json.replace(r#""data":{"#, r#""data":{"visitor_name":null,"#);
        assert_eq!(
            parse_submissions(&with_null),
            Some(vec![praise(true, "", 3)])
        );
    }

    #[wasm_bindgen_test]
    fn anything_unreadable_makes_the_whole_store_unreadable() {
        let good = serde_json::to_string(&praise(true, "Ana", 4)).unwrap();
        for bad in [
            "not json".to_string(),
            "{}".to_string(),
            format!("[{good}, 1]"),
            format!("[{good}, null]"),
            good.replace("staff_recognition.submitted", "something.else"),
            good.replace(r#""publish":"#, r#""marketing":"#),
            good.replace(r#""granted":true"#, r#""granted":"yes""#),
            good.replace(r#""schema_version":1"#, r#""schema_version":1.5"#),
            good.replace(r#""schema_version":1"#, r#""schema_version":-1"#),
            good.replace(r#""id":"#, r#""ident":"#),
            good.replace(
                r#""visitor_email":"ana@shop.example""#,
                r#""visitor_email":7"#,
            ),
        ] {
            let json = if bad.starts_with('[') || !bad.starts_with('{') || bad == "{}" {
                bad.clone()
            } else {
                format!("[{bad}]")
            };
            assert_eq!(parse_submissions(&json), None, "{json}");
        }
    }
}
