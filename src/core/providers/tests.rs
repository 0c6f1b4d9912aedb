//! Every adapter against fixtures written from its service's docs (tests/fixtures/providers/*.json,
//! each citing its pages): the request each envelope becomes, and the verdict each documented
//! reply ends in after `core::delivery::classify`.

use serde_json::Value;

use super::*;
use crate::core::delivery::{classify, Verdict};

const ENVELOPES: &str = include_str!("../../../tests/fixtures/providers/envelopes.json");
const FIXTURES: [&str; 6] = [
    include_str!("../../../tests/fixtures/providers/formspree.json"),
    include_str!("../../../tests/fixtures/providers/basin.json"),
    include_str!("../../../tests/fixtures/providers/web3forms.json"),
    include_str!("../../../tests/fixtures/providers/staticforms.json"),
    include_str!("../../../tests/fixtures/providers/listmonk.json"),
    include_str!("../../../tests/fixtures/providers/kit.json"),
];

fn fixtures() -> Vec<(Provider, Value)> {
    FIXTURES
        .iter()
        .map(|text| {
            let fixture: Value = serde_json::from_str(text).unwrap();
            let provider = Provider::from_key(fixture["service"].as_str().unwrap()).unwrap();
            (provider, fixture)
        })
        .collect()
}

#[test]
fn every_provider_has_a_fixture_citing_its_docs() {
    let fixtures = fixtures();
    for provider in Provider::ALL {
        let (_, fixture) = fixtures
            .iter()
            .find(|(p, _)| *p == provider)
            .unwrap_or_else(|| panic!("no fixture for {provider:?}"));
        let sources = fixture["sources"].as_array().unwrap();
        assert!(!sources.is_empty(), "{provider:?} cites no page");
        assert!(sources
            .iter()
            .all(|s| s.as_str().unwrap().starts_with("https://")));
        assert!(fixture["confirmed"]
            .as_str()
            .unwrap()
            .contains("NOT confirmed"));
    }
}

#[test]
fn each_envelope_becomes_the_request_its_service_documents() {
    let envelopes: Value = serde_json::from_str(ENVELOPES).unwrap();
    let mut checked = 0;
    for (provider, fixture) in fixtures() {
        for case in fixture["requests"].as_array().unwrap() {
            let envelope = envelopes[case["envelope"].as_str().unwrap()].to_string();
            let settings = ProviderSettings {
                provider,
                key: case["key"].as_str().map(str::to_owned),
            };
            let request = request(&settings, case["endpoint"].as_str().unwrap(), &envelope)
                .unwrap_or_else(|| panic!("{provider:?}: no request for {case}"));
            assert_eq!(request.url, case["url"].as_str().unwrap(), "{provider:?}");
            let body: Value = serde_json::from_str(&request.body).unwrap();
            assert_eq!(body, case["body"], "{provider:?} {}", case["envelope"]);
            checked += 1;
        }
    }
    assert!(checked >= 12);
}

/// The verdict as the fixtures write it.
fn verdict_json(verdict: &Verdict) -> Value {
    match verdict {
        Verdict::Delivered(status) => {
            serde_json::json!({"verdict": "delivered", "status": status.key()})
        }
        Verdict::Retry { .. } => serde_json::json!({"verdict": "retry"}),
        Verdict::Refused { fields, .. } => serde_json::json!({
            "verdict": "refused",
            "fields": fields.iter().map(|f| f.field.clone()).collect::<Vec<_>>(),
        }),
    }
}

#[test]
fn each_documented_reply_ends_in_the_verdict_it_means() {
    let mut checked = 0;
    for (provider, fixture) in fixtures() {
        for case in fixture["replies"].as_array().unwrap() {
            let body = match case.get("body_text") {
                Some(text) => text.as_str().unwrap().to_owned(),
                None => case["body"].to_string(),
            };
            let status = case["status"].as_u64().unwrap() as u16;
            let newsletter = case["kind"] == "newsletter";
            let theirs = Reply::Http {
                status,
                retry_after: None,
                body,
            };
            let verdict = classify(&reply(provider, newsletter, theirs), 0);
            assert_eq!(
                verdict_json(&verdict),
                case["expect"],
                "{provider:?} {case}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 30);
}

#[test]
fn the_services_own_message_reaches_the_console_detail() {
    let theirs = Reply::Http {
        status: 422,
        retry_after: None,
        body:
            r#"{"errors":[{"code":"TYPE_EMAIL","field":"email","message":"should be an email"}]}"#
                .into(),
    };
    let Verdict::Refused { detail, .. } = classify(&reply(Provider::Formspree, true, theirs), 0)
    else {
        panic!("not refused");
    };
    assert!(detail.contains("should be an email"), "{detail}");
}

#[test]
fn retry_after_and_no_answer_pass_through_unchanged() {
    let limited = Reply::Http {
        status: 429,
        retry_after: Some("30".into()),
        body: String::new(),
    };
    for provider in Provider::ALL {
        assert_eq!(reply(provider, true, limited.clone()), limited);
        let none = Reply::NoAnswer(crate::core::delivery::NoAnswer::Offline);
        assert_eq!(reply(provider, false, none.clone()), none);
    }
}

#[test]
fn the_provider_is_named_or_recognised_from_the_endpoint_host() {
    assert_eq!(
        settings(None, None, "formspree.io", false),
        Ok(Some(ProviderSettings {
            provider: Provider::Formspree,
            key: None
        }))
    );
    assert_eq!(
        settings(None, Some(" k "), "api.web3forms.com", false)
            .unwrap()
            .map(|s| (s.provider, s.key)),
        Some((Provider::Web3Forms, Some("k".into())))
    );
    // Our own endpoint, or a host that could be anyone's (listmonk is self-hosted): no provider.
    assert_eq!(settings(None, None, "kudos.shop.example", true), Ok(None));
    assert_eq!(
        settings(None, None, "formspree.io.evil.example", true),
        Ok(None)
    );
    assert_eq!(
        settings(Some("ListMonk"), None, "lists.shop.example", true)
            .unwrap()
            .map(|s| s.provider),
        Some(Provider::Listmonk)
    );
}

#[test]
fn unusable_provider_options_are_refused_with_what_to_change() {
    let unknown = settings(Some("mailchimp"), None, "x.example", true).unwrap_err();
    assert_eq!(unknown, ProviderProblem::Unknown("mailchimp".into()));
    assert!(unknown.to_string().contains("README"));
    for provider in [Provider::Web3Forms, Provider::StaticForms, Provider::Kit] {
        let problem = settings(Some(provider.key()), Some("  "), "x.example", true).unwrap_err();
        assert_eq!(problem, ProviderProblem::MissingKey(provider));
        assert!(problem.to_string().contains("PUBLIC key"));
    }
    for provider in [Provider::Listmonk, Provider::Kit] {
        let problem = settings(Some(provider.key()), Some("k"), "x.example", false).unwrap_err();
        assert_eq!(problem, ProviderProblem::NewsletterOnly(provider));
    }
}

#[test]
fn an_envelope_this_crate_did_not_write_gives_no_request() {
    let settings = ProviderSettings {
        provider: Provider::Formspree,
        key: None,
    };
    assert_eq!(
        request(&settings, "https://formspree.io/f/x", "not json"),
        None
    );
    assert_eq!(
        request(&settings, "https://formspree.io/f/x", r#"{"data":{}}"#),
        None
    );
}

#[test]
fn kit_tag_ids_are_written_as_json_numbers_whatever_the_owner_typed() {
    // Before the JSON builder the ids were pasted between brackets: "007" made `[007]`, which
    // is not JSON (no leading zeros), and the whole request was refused by the service.
    let envelopes: Value = serde_json::from_str(ENVELOPES).unwrap();
    let settings = ProviderSettings {
        provider: Provider::Kit,
        key: Some("pub_key_abc".into()),
    };
    let endpoint = "https://api.convertkit.com/v3/forms/4242/subscribe";
    for (lists, tags) in [
        (
            serde_json::json!(["007", "12"]),
            Some(serde_json::json!([7, 12])),
        ),
        // Not all ids (or too big for one): no tags rather than a wrong one.
        (serde_json::json!(["12", "weekly"]), None),
        (serde_json::json!(["99999999999999999999999"]), None),
    ] {
        let mut envelope = envelopes["newsletter"].clone();
        envelope["data"]["lists"] = lists;
        let request = request(&settings, endpoint, &envelope.to_string()).unwrap();
        let body: Value = serde_json::from_str(&request.body).expect(&request.body);
        assert_eq!(body.get("tags"), tags.as_ref(), "{}", request.body);
    }
}
