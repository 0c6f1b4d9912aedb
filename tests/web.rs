//! Browser tests: the widget mounted into a real shadow root in headless Chromium, in demo mode.
//!
//! Run by `cargo xtask test` (layer "browser tests") through wasm-bindgen-test-runner. All tests
//! of this file share one page, so each starts from an empty demo store and removes its host.
#![cfg(target_arch = "wasm32")]

use kudos_widget::core::config::RawConfig;
use kudos_widget::shell::keys;
use kudos_widget::shell::mount::{mount, MountError};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

const STORY: &str = "She noticed my bag had split and repacked everything with a smile.";

mod support;

use support::{clear_widget_storage, document, stored, Widget};

/// The widget every test here mounts: demo mode, English, with the test's options first.
struct Fixture;

impl Fixture {
    async fn demo() -> Widget {
        Fixture::with(&[]).await
    }

    async fn with(options: &[(&str, &str)]) -> Widget {
        clear_widget_storage();
        Widget::mount_with(options, &[("mode", "demo"), ("lang", "en")], mount).await
    }
}

/// The demo store as written (every envelope, as it would have been posted).
fn stored_json() -> Option<String> {
    stored(&keys::demo_store())
}

#[wasm_bindgen_test]
async fn mounts_into_an_open_shadow_root_with_adopted_stylesheets() {
    let widget = Fixture::demo().await;
    let root = widget.root();
    assert_eq!(root.mode(), web_sys::ShadowRootMode::Open);
    assert_eq!(root.adopted_style_sheets().length(), 2);
    assert!(widget.find("form.kudos-form").is_some());
    assert_eq!(widget.text("#kudos-praise-title"), "Recognize our staff");
    // Nothing of the widget leaks into the page's own DOM.
    assert!(document().query_selector(".kudos-form").unwrap().is_none());
    // No inline style attributes anywhere: strict-CSP hosts block them.
    assert!(widget.find("[style]").is_none());
}

#[wasm_bindgen_test]
async fn the_publish_consent_starts_unticked() {
    let widget = Fixture::demo().await;
    let consent: HtmlInputElement = widget.get("#kudos-publish_consent").unchecked_into();
    assert!(!consent.checked());
}

#[wasm_bindgen_test]
async fn submitted_praise_shows_thanks_and_appears_on_the_wall() {
    let widget = Fixture::demo().await;
    widget.wait_for(".kudos-card").await;
    widget.type_into("#kudos-staff_name", "Maribel").await;
    widget.type_into("#kudos-story", STORY).await;
    widget.click("#kudos-publish_consent").await;
    widget.click("button[type=submit]").await;

    let thanks = widget.wait_for(".kudos-thanks-title").await;
    assert_eq!(thanks.text_content().unwrap(), "Thank you!");
    // Demo mode says plainly that nothing left the browser (issue 12, defect 8).
    let body = widget.text(".kudos-thanks");
    assert!(body.contains("nothing was sent"), "{body}");
    assert!(!body.contains("on their way"), "{body}");
    // Focus moved to the thank-you message.
    let active = widget.root().active_element().expect("something has focus");
    assert_eq!(active, thanks);

    // Newest first: the new praise tops the six made-up demo items.
    let card = widget
        .wait_for(".kudos-card:nth-child(1) .kudos-card-staff")
        .await;
    assert_eq!(card.text_content().unwrap(), "Maribel");
    let card = widget.get(".kudos-card");
    assert_eq!(widget.text(".kudos-card-story"), STORY);
    assert!(card.query_selector("time[datetime]").unwrap().is_some());

    let stored = stored_json().expect("the demo store was written");
    assert!(
        stored.contains("\"staff_recognition.submitted\""),
        "{stored}"
    );
    assert!(stored.contains("\"granted\":true"), "{stored}");
}

#[wasm_bindgen_test]
async fn praise_without_publish_consent_is_stored_but_not_shown() {
    let widget = Fixture::demo().await;
    widget.type_into("#kudos-staff_name", "Dev").await;
    widget.type_into("#kudos-story", STORY).await;
    widget.click("button[type=submit]").await;
    widget.wait_for(".kudos-thanks-title").await;
    widget.wait_for(".kudos-card").await;
    // Only the six demo items: nothing of Dev's.
    assert_eq!(widget.count(".kudos-card"), 6);
    assert!(!widget.text(".kudos-wall-list").contains(STORY));
    let stored = stored_json().expect("the demo store was written");
    assert!(stored.contains("\"granted\":false"), "{stored}");
}

#[wasm_bindgen_test]
async fn invalid_input_shows_errors_next_to_fields_and_stores_nothing() {
    let widget = Fixture::demo().await;
    widget.type_into("#kudos-story", "Too short").await;
    widget.type_into("#kudos-visitor_email", "ana@shop").await;
    widget.click("button[type=submit]").await;

    assert_eq!(
        widget.text("#kudos-staff_name-error"),
        "Please fill this in."
    );
    assert_eq!(
        widget.text("#kudos-story-error"),
        "Please write at least 20 characters."
    );
    assert!(widget
        .text("#kudos-visitor_email-error")
        .contains("email address"));
    let story = widget.get("#kudos-story");
    assert_eq!(story.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(story
        .get_attribute("aria-describedby")
        .unwrap()
        .contains("kudos-story-error"));
    assert!(widget.find(".kudos-error-summary").is_some());
    // Focus went to the first invalid field, and what was typed is still there.
    let active = widget.root().active_element().expect("something has focus");
    assert_eq!(active.id(), "kudos-staff_name");
    assert_eq!(
        story.unchecked_into::<HtmlTextAreaElement>().value(),
        "Too short"
    );
    assert!(widget.find(".kudos-thanks").is_none());
    assert_eq!(stored_json(), None);
}

#[wasm_bindgen_test]
async fn an_error_clears_once_the_field_is_fixed() {
    let widget = Fixture::demo().await;
    widget.click("button[type=submit]").await;
    assert!(widget.find("#kudos-staff_name-error").is_some());
    widget.type_into("#kudos-staff_name", "Maribel").await;
    assert!(widget.find("#kudos-staff_name-error").is_none());
    assert_eq!(
        widget
            .get("#kudos-staff_name")
            .get_attribute("aria-invalid"),
        None
    );
}

#[wasm_bindgen_test]
async fn praise_someone_else_starts_a_fresh_form() {
    let widget = Fixture::demo().await;
    widget.type_into("#kudos-staff_name", "Maribel").await;
    widget.type_into("#kudos-story", STORY).await;
    widget.click("button[type=submit]").await;
    widget.wait_for(".kudos-thanks").await;
    widget.click(".kudos-thanks button").await;
    let name: HtmlInputElement = widget.wait_for("#kudos-staff_name").await.unchecked_into();
    assert_eq!(name.value(), "");
}

#[wasm_bindgen_test]
async fn a_bad_config_mounts_nothing_and_names_the_attribute() {
    let host = document().create_element("div").unwrap();
    let raw = RawConfig::from_pairs([("endpoint", "javascript:alert(1)")]);
    let error = match mount(&host, &raw) {
        Err(error) => error,
        Ok(_) => panic!("a javascript: endpoint must not mount"),
    };
    assert!(matches!(error, MountError::Config(_)));
    assert!(error.to_string().starts_with("data-endpoint="), "{error}");
    assert!(host.shadow_root().is_none());
}

#[wasm_bindgen_test]
async fn unmount_removes_the_widget_and_the_host_can_mount_again() {
    let mut widget = Fixture::demo().await;
    widget.mounted.take().unwrap().unmount();
    assert_eq!(widget.root().child_element_count(), 0);
    let raw = RawConfig::from_pairs([("mode", "demo")]);
    widget.mounted = Some(mount(&widget.host, &raw).expect("remount"));
    yew::scheduler::flush().await;
    assert!(widget.find("form.kudos-form").is_some());
}

const ROSTER: &str = r#"[
  {"id":"c1","name":"Christine Roy","role":"Cashier","location":"Larch Street","nicknames":["Kris"]},
  {"id":"z1","name":"Zoé Lefebvre","role":"Baker","location":"Harbour Road"}
]"#;

#[wasm_bindgen_test]
async fn roster_suggestions_match_nicknames_and_accents_and_pick_with_the_keyboard() {
    let widget = Fixture::with(&[("staff", ROSTER)]).await;
    let input = "#kudos-staff_name";
    assert_eq!(
        widget.get(input).get_attribute("role").as_deref(),
        Some("combobox")
    );
    widget.type_into(input, "kris").await;
    assert_eq!(widget.text(".kudos-option-name"), "Christine Roy");
    assert_eq!(
        widget.get(input).get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    widget.type_into(input, "zoe").await;
    assert_eq!(widget.text(".kudos-option-name"), "Zoé Lefebvre");
    widget.key(input, "ArrowDown").await;
    let active = widget
        .get(input)
        .get_attribute("aria-activedescendant")
        .unwrap();
    assert_eq!(
        widget
            .get(&format!("#{active}"))
            .get_attribute("aria-selected")
            .as_deref(),
        Some("true")
    );
    widget.key(input, "Enter").await;
    let name: HtmlInputElement = widget.get(input).unchecked_into();
    assert_eq!(name.value(), "Zoé Lefebvre");
    // The roster's location is preselected, and the list closed.
    let location: web_sys::HtmlSelectElement = widget.get("#kudos-location").unchecked_into();
    assert_eq!(location.value(), "Harbour Road");
    assert!(widget
        .get("#kudos-staff_name-listbox")
        .has_attribute("hidden"));

    widget.type_into("#kudos-story", STORY).await;
    widget.click("button[type=submit]").await;
    widget.wait_for(".kudos-thanks").await;
    let stored = stored_json().unwrap();
    assert!(stored.contains(r#""staff_id":"z1""#), "{stored}");
    assert!(stored.contains(r#""staff_role":"Baker""#), "{stored}");
}

#[wasm_bindgen_test]
async fn a_visitor_who_missed_the_name_describes_the_person_instead() {
    let widget = Fixture::demo().await;
    widget.click("#kudos-name_unknown").await;
    assert!(widget.find("#kudos-staff_name").is_none());
    widget.type_into("#kudos-story", STORY).await;
    widget.click("button[type=submit]").await;
    assert_eq!(
        widget.text("#kudos-staff_description-error"),
        "Please fill this in."
    );
    widget
        .type_into(
            "#kudos-staff_description",
            "tall, red scarf, at the bakery counter",
        )
        .await;
    widget.click("button[type=submit]").await;
    widget.wait_for(".kudos-thanks").await;
    let stored = stored_json().unwrap();
    assert!(
        stored.contains(r#""staff_description":"tall, red scarf, at the bakery counter""#),
        "{stored}"
    );
    assert!(!stored.contains("staff_name"), "{stored}");
}

#[wasm_bindgen_test]
async fn the_story_counter_follows_typing() {
    let widget = Fixture::demo().await;
    assert_eq!(widget.text("#kudos-story-counter"), "0 of 2000 characters");
    widget
        .type_into("#kudos-story", "  Kind and quick.  ")
        .await;
    assert_eq!(widget.text("#kudos-story-counter"), "15 of 2000 characters");
    assert!(widget
        .get("#kudos-story")
        .get_attribute("aria-describedby")
        .unwrap()
        .contains("kudos-story-counter"));
}

#[wasm_bindgen_test]
async fn the_date_defaults_to_today_and_refuses_the_future() {
    let widget = Fixture::demo().await;
    let date: HtmlInputElement = widget.get("#kudos-occurred_on").unchecked_into();
    let today = date.value();
    assert_eq!(today.len(), 10);
    assert_eq!(date.get_attribute("max"), Some(today.clone()));
    let next_year = format!("{}{}", today[..4].parse::<u32>().unwrap() + 1, &today[4..]);
    widget.choose("#kudos-occurred_on", &next_year).await;
    widget.click("button[type=submit]").await;
    assert_eq!(
        widget.text("#kudos-occurred_on-error"),
        "The date can't be in the future."
    );
}

#[wasm_bindgen_test]
async fn consents_start_unticked_and_are_recorded_with_their_version() {
    let widget = Fixture::demo().await;
    for id in ["#kudos-publish_consent", "#kudos-contact_consent"] {
        let consent: HtmlInputElement = widget.get(id).unchecked_into();
        assert!(!consent.checked(), "{id}");
    }
    widget.type_into("#kudos-staff_name", "Maribel").await;
    widget.type_into("#kudos-story", STORY).await;
    widget.click("#kudos-contact_consent").await;
    widget.click("#kudos-tag-genuine_warmth").await;
    widget.click("button[type=submit]").await;
    widget.wait_for(".kudos-thanks").await;
    let stored = stored_json().unwrap();
    assert!(
        stored.contains(r#""contact":{"granted":true,"version":"praise-contact-2026-11"}"#),
        "{stored}"
    );
    assert!(
        stored.contains(r#""publish":{"granted":false,"version":"praise-publish-2026-11"}"#),
        "{stored}"
    );
    assert!(stored.contains(r#""tags":["genuine_warmth"]"#), "{stored}");
}

#[wasm_bindgen_test]
async fn the_wall_shows_ten_at_a_time_with_show_more() {
    let widget = Fixture::demo().await;
    // Six demo items plus five published ones make eleven.
    for i in 0..5 {
        widget
            .type_into("#kudos-staff_name", &format!("Person {i}"))
            .await;
        widget.type_into("#kudos-story", STORY).await;
        widget.click("#kudos-publish_consent").await;
        widget.click("button[type=submit]").await;
        // Each submission after the first waits out the 3 s throttle (one per form per 3 s).
        widget.wait_long_for(".kudos-thanks").await;
        widget.click(".kudos-thanks button").await;
        widget.wait_for("#kudos-staff_name").await;
    }
    widget.wait_for(".kudos-wall .kudos-button").await;
    assert_eq!(widget.count(".kudos-card"), 10);
    assert_eq!(widget.text(".kudos-wall-count"), "Showing 10 of 11");
    widget.click(".kudos-wall .kudos-button").await;
    assert_eq!(widget.count(".kudos-card"), 11);
    assert!(widget.find(".kudos-wall .kudos-button").is_none());
}

#[wasm_bindgen_test]
async fn owners_can_hide_fields_and_show_only_the_wall() {
    let widget = Fixture::with(&[("fields", "visitor-email:hidden,tags:hidden")]).await;
    assert!(widget.find("#kudos-visitor_email").is_none());
    assert!(widget.find("#kudos-tags").is_none());
    drop(widget);
    let wall_only = Fixture::with(&[("show", "wall")]).await;
    assert!(wall_only.find("form").is_none());
    wall_only.wait_for(".kudos-card").await;
}

#[wasm_bindgen_test]
async fn french_and_text_overrides() {
    let widget = Fixture::with(&[("lang", "fr-CA"), ("text-submit-button", "Merci!")]).await;
    assert_eq!(
        widget.text("#kudos-praise-title"),
        "Soulignez le travail de notre équipe"
    );
    assert_eq!(widget.text("button[type=submit]"), "Merci!");
    assert_eq!(
        widget.get(".kudos-widget").get_attribute("lang").as_deref(),
        Some("fr-CA")
    );
}

// ---- Embedding (issue #6): theme attribute and accent sheet, runtime changes, events ----

#[wasm_bindgen_test]
async fn theme_and_accent_are_an_attribute_and_an_adopted_sheet_never_inline_style() {
    let widget = Fixture::with(&[("theme", "dark"), ("accent", "#ffd400")]).await;
    assert_eq!(
        widget.host.get_attribute("data-kudos-theme").as_deref(),
        Some("dark")
    );
    // tokens, widget, and the accent sheet.
    assert_eq!(widget.root().adopted_style_sheets().length(), 3);
    let mounted = widget.mounted.as_ref().unwrap();
    mounted.set_theme("AUTO");
    assert_eq!(
        widget.host.get_attribute("data-kudos-theme").as_deref(),
        Some("auto")
    );
    mounted.set_theme("sepia");
    assert_eq!(
        widget.host.get_attribute("data-kudos-theme").as_deref(),
        Some("auto")
    );
    assert!(widget.find("[style]").is_none());
}

#[wasm_bindgen_test]
async fn prefill_and_locale_change_re_render_without_losing_the_draft() {
    let mut widget = Fixture::with(&[(
        "staff",
        r#"[{"id":"c1","name":"Christine Roy","location":"Larch Street"}]"#,
    )])
    .await;
    widget.type_into("#kudos-story", STORY).await;
    let mounted = widget.mounted.as_mut().unwrap();
    mounted.prefill(Some("c1".into()), None);
    yew::scheduler::flush().await;
    let staff: HtmlInputElement = widget.get("#kudos-staff_name").unchecked_into();
    assert_eq!(staff.value(), "Christine Roy");

    widget.mounted.as_mut().unwrap().set_locale("fr-CA");
    yew::scheduler::flush().await;
    assert_eq!(
        widget.text("#kudos-praise-title"),
        "Soulignez le travail de notre équipe"
    );
    let story: HtmlTextAreaElement = widget.get("#kudos-story").unchecked_into();
    assert_eq!(story.value(), STORY);
}

#[wasm_bindgen_test]
async fn ready_bubbles_out_of_the_host_with_no_personal_data() {
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;

    let seen: Rc<RefCell<Vec<String>>> = Rc::default();
    let listener = {
        let seen = Rc::clone(&seen);
        Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
            let detail = js_sys::JSON::stringify(&event.detail()).unwrap();
            seen.borrow_mut().push(String::from(detail));
        })
    };
    let page = document();
    let target: &web_sys::EventTarget = page.as_ref();
    target
        .add_event_listener_with_callback("kudos:ready", listener.as_ref().unchecked_ref())
        .unwrap();
    let widget = Fixture::demo().await;
    target
        .remove_event_listener_with_callback("kudos:ready", listener.as_ref().unchecked_ref())
        .unwrap();
    // Issue 12, defect 8: the mode is part of every event, so a demo left on a live page shows.
    assert_eq!(
        *seen.borrow(),
        vec![r#"{"widget":"praise","mode":"demo"}"#.to_owned()]
    );
    drop(widget);
}

/// Wall dates are written by the core's month tables (no `Intl`, whose first use costs ~20 ms of
/// the first render); for a timestamp the visitor's day is the browser's local date of it.
#[wasm_bindgen_test]
fn wall_dates_are_the_local_day_in_the_visitors_language() {
    use kudos_widget::core::i18n::Lang;
    use kudos_widget::shell::platform::format_date;

    assert_eq!(format_date("2026-11-24", Lang::En), "November 24, 2026");
    assert_eq!(format_date("2026-08-01", Lang::FrCa), "1er août 2026");
    let instant = "2026-03-15T12:00:00Z";
    let local = js_sys::Date::new(&instant.into());
    let expected = kudos_widget::core::i18n::long_date(
        Lang::En,
        local.get_full_year() as i32,
        local.get_month() + 1,
        local.get_date(),
    )
    .unwrap();
    assert_eq!(format_date(instant, Lang::En), expected);
    assert_eq!(format_date("not a date", Lang::En), "");
}

/// Demo mode reaches no server: `data-staff-url` is answered by the demo's made-up roster, and
/// not one `fetch` leaves the page (before, the demo transport fetched the URL over HTTP).
#[wasm_bindgen_test]
async fn demo_mode_answers_the_staff_url_with_its_own_roster_and_fetches_nothing() {
    let fetches = js_sys::eval(
        "(() => {
            const original = window.fetch;
            const seen = [];
            window.fetch = function (input, init) {
                seen.push(String((input && input.url) || input));
                return original.call(this, input, init);
            };
            return { seen, restore: () => { window.fetch = original; } };
        })()",
    )
    .unwrap();
    let widget = Fixture::with(&[("staff-url", "https://staff.example/v1/staff")]).await;
    widget.type_into("#kudos-staff_name", "kris").await;
    // The suggestion may need a task or two: the roster arrives through a future.
    for _ in 0..50 {
        if widget.find(".kudos-option-name").is_some() {
            break;
        }
        support::sleep_ms(20).await;
        widget.type_into("#kudos-staff_name", "kris").await;
    }
    assert_eq!(widget.text(".kudos-option-name"), "Christine Roy");
    let restore: js_sys::Function = js_sys::Reflect::get(&fetches, &"restore".into())
        .unwrap()
        .unchecked_into();
    restore.call0(&JsValue::NULL).unwrap();
    let seen: js_sys::Array = js_sys::Reflect::get(&fetches, &"seen".into())
        .unwrap()
        .unchecked_into();
    assert_eq!(seen.length(), 0, "{:?}", seen.to_vec());
}
