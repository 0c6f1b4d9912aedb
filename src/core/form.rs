//! The form state machine every widget form shares: draft, which errors are shown, and status.
//!
//! It is a pure reducer: `FormState::reduce(action)` returns the next state and does nothing else.
//! The component around it turns a `Submitting` status into a transport call and feeds the outcome
//! back as another action, so every transition is tested here without a browser.
//!
//! Errors are recomputed from the draft on every change (validation is cheap and this keeps them
//! from going stale); what the machine remembers is only which fields may *show* theirs: a field
//! after the visitor leaves it, every field after a submit attempt.

use crate::core::envelope::ReplyStatus;
use crate::core::json::{self, Json};
use crate::core::sorted::SortedMap;
use crate::core::sorted::SortedSet;
use std::fmt::Debug;
use std::rc::Rc;

/// Why a field's value cannot be sent. The words for each live in the text tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldError {
    /// Nothing (or only spaces) was entered in a required field.
    Required,
    /// Fewer characters than `min` after trimming.
    TooShort {
        /// The least the field accepts.
        min: usize,
    },
    /// More characters than `max` after trimming.
    TooLong {
        /// The most the field accepts.
        max: usize,
    },
    /// Does not look like an email address.
    InvalidEmail,
    /// Not a calendar date.
    InvalidDate,
    /// A date after today.
    FutureDate,
    /// The endpoint refused this value (a 400/422 reply naming the field); it says why only in
    /// its own words, so the visitor is asked to check it.
    NotAccepted,
    /// A consent box that must be ticked to go on.
    ConsentRequired,
}

/// A value typed, ticked or picked in a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// The content of a text input, text area or select, as typed or chosen.
    Text(String),
    /// The state of a checkbox.
    Checked(bool),
    /// One option of a multi-select turned on or off.
    Toggle {
        /// The option's id.
        id: String,
        /// Whether it is now selected.
        on: bool,
    },
}

/// What a form collects: the values of its fields and their rules.
pub trait Draft: Clone + PartialEq + Debug {
    /// Names the form's fields; their order is the order errors are listed and focused in.
    type Field: Copy + Ord + Debug;
    /// What validation depends on besides the values: the owner's field settings, today's date.
    type Rules: Clone + PartialEq + Debug;

    /// A new, empty draft (with whatever defaults the rules give, such as today's date).
    fn fresh(rules: &Self::Rules) -> Self;

    /// Stores a typed, ticked or picked value; values of the wrong kind are ignored.
    fn set(&mut self, field: Self::Field, value: FieldValue, rules: &Self::Rules);

    /// Every rule the current values break, at most one error per field.
    fn validate(&self, rules: &Self::Rules) -> SortedMap<Self::Field, FieldError>;

    /// The field a wire path from an endpoint's error reply names (`data.story`), if any; errors
    /// on paths no field answers to are shown as a general refusal.
    fn field_from_wire_path(_path: &str) -> Option<Self::Field> {
        None
    }

    /// The values as autosave keeps them: `(name, text)` pairs, one per item of a list, none for
    /// an absent option. See [`draft_to_json`].
    fn to_pairs(&self) -> Vec<(&'static str, String)>;

    /// Takes back one pair written by [`Draft::to_pairs`]; a name it does not know is ignored.
    fn restore(&mut self, name: &str, value: String);
}

/// An autosaved draft: JSON `[["story","…"],["tags","a"],["tags","b"]]`. Every form's draft goes
/// through this one `Vec<(String, String)>` reader instead of a derived `Deserialize` per draft
/// type, whose code was about 3 KB of the compressed wasm (docs/size-log.md).
pub fn draft_to_json<D: Draft>(draft: &D) -> String {
    write_pairs(&draft.to_pairs())
}

// Not generic, as `read_pairs`.
fn write_pairs(pairs: &[(&str, String)]) -> String {
    json::array(|list| {
        for (name, value) in pairs {
            list.array(|pair| {
                pair.str(name).str(value);
            });
        }
    })
}

/// Reads back what [`draft_to_json`] wrote, over a fresh draft (so a value not stored keeps its
/// default); `None` when the text is not such a list.
pub fn draft_from_json<D: Draft>(json: &str, rules: &D::Rules) -> Option<D> {
    let mut draft = D::fresh(rules);
    for (name, value) in read_pairs(json)? {
        draft.restore(&name, value);
    }
    Some(draft)
}

// Not generic, so the reader is compiled once for all forms.
fn read_pairs(json: &str) -> Option<Vec<(String, String)>> {
    Json::parse(json)
        .ok()?
        .as_array()?
        .iter()
        .map(|pair| match pair.as_array()? {
            [name, value] => Some((name.to_string_value()?, value.to_string_value()?)),
            _ => None,
        })
        .collect()
}

/// How long an autosaved draft is kept: a week from its last change (issue 12, defect 9: drafts,
/// with the visitor's name and email, never expired).
pub const DRAFT_MAX_AGE_MS: u64 = 7 * 24 * 60 * 60 * 1000;

/// The pair that dates an autosaved draft; every draft's `restore` ignores it.
const SAVED_AT: &str = "saved_at_ms";

/// The autosaved `json` (from [`draft_to_json`]) dated `now_ms`, as it is stored.
pub fn stamped_draft(json: &str, now_ms: u64) -> String {
    let stamp = write_pairs(&[(SAVED_AT, now_ms.to_string())]);
    match json.strip_suffix(']') {
        Some("[") | None => stamp,
        Some(head) => format!("{head},{}", &stamp[1..]),
    }
}

/// Whether a stored draft may be restored at `now_ms`: dated, and not older than
/// [`DRAFT_MAX_AGE_MS`]. An undated one was stored before drafts expired, and is not.
pub fn draft_is_fresh(json: &str, now_ms: u64) -> bool {
    read_pairs(json)
        .and_then(|pairs| {
            pairs
                .into_iter()
                .find(|(name, _)| name == SAVED_AT)
                .and_then(|(_, value)| value.parse::<u64>().ok())
        })
        .is_some_and(|saved| now_ms.saturating_sub(saved) <= DRAFT_MAX_AGE_MS)
}

/// A flag as autosave writes it.
pub fn flag(on: bool) -> String {
    if on { "true" } else { "false" }.to_owned()
}

/// Where the form stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The visitor is filling it in (also after a refused submit: errors are shown).
    Editing,
    /// The submission is on its way; the form is read-only.
    Submitting,
    /// The submission could not be delivered yet and waits in the outbox (kept in storage) to be
    /// sent again; the form stays read-only so the same words are never sent twice.
    Queued,
    /// The submission was delivered (or stored, in demo mode).
    Succeeded,
    /// Delivery failed; the draft is intact and can be sent again.
    Failed(DeliveryProblem),
}

/// Why a delivery failed, in terms the UI can word for a visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryProblem {
    /// The browser could not store or send it (storage full, network down).
    CouldNotSend,
    /// The receiving side refused it for good.
    Refused,
}

/// Who an edit comes from.
enum ActionKind {
    Visitor,
    Host,
}

/// Why a queued submission waits: each has its own words for the visitor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Waiting {
    /// The site did not answer (or not as the contract says): "we'll keep trying".
    #[default]
    NoAnswer,
    /// The browser was offline: "we'll send it when you're back online".
    Offline,
    /// The browser would not store it (quota full, storage blocked): it lasts only as long as this
    /// page, and the visitor must not be told it will be sent on their next visit.
    OnlyThisPage,
}

/// Everything that can happen to a form.
#[derive(Debug, Clone, PartialEq)]
pub enum FormAction<D: Draft> {
    /// The visitor changed a field.
    Edit(D::Field, FieldValue),
    /// The host page filled a field (`?kudos-staff=`, `handle.prefill()`): like an edit, but not
    /// the visitor acting, so nothing is stored for it (issue 12, defect 10).
    Prefill(D::Field, FieldValue),
    /// The visitor left a field: its error may show from now on.
    Blur(D::Field),
    /// The visitor pressed the submit button.
    Submit,
    /// The endpoint took the submission, and said how.
    Delivered {
        /// Taken as it is, held for moderation, or waiting for the visitor's confirmation.
        status: ReplyStatus,
    },
    /// The transport could not deliver it, for good.
    DeliveryFailed(DeliveryProblem),
    /// The submission waits in the outbox for another attempt.
    Queued {
        /// Why, for the visitor's message.
        waiting: Waiting,
    },
    /// The visitor took a queued submission back to edit it (it left the outbox unsent).
    CancelQueued,
    /// The endpoint refused some fields' values (400/422); the form is editable again with those
    /// fields marked.
    FieldsRejected(SortedMap<D::Field, FieldError>),
    /// The visitor asked for a fresh form after a success.
    StartOver,
    /// The rules changed (a roster arrived); the draft is kept.
    NewRules(Rc<D::Rules>),
}

/// The state of one form.
#[derive(Debug, Clone, PartialEq)]
pub struct FormState<D: Draft> {
    /// What the visitor has entered so far; never cleared except by [`FormAction::StartOver`].
    pub draft: D,
    /// What the draft is validated against.
    pub rules: Rc<D::Rules>,
    /// Where the form stands.
    pub status: Status,
    /// Fields whose errors may be shown.
    revealed: SortedSet<D::Field>,
    /// How many submits were refused for invalid input; the component moves focus to the error
    /// summary each time it changes.
    pub refused_submits: u32,
    /// Errors the endpoint reported, each until the visitor edits that field.
    rejected: SortedMap<D::Field, FieldError>,
    /// While queued: why it waits.
    pub waiting: Waiting,
    /// The visitor has changed something (a prefill is not them): only then is the draft kept
    /// and the fill time counted.
    pub touched: bool,
    /// Once [`Status::Succeeded`]: how the endpoint took it.
    pub reply: Option<ReplyStatus>,
}

impl<D: Draft> FormState<D> {
    /// An empty form under `rules`.
    pub fn new(rules: Rc<D::Rules>) -> Self {
        FormState::with_draft(D::fresh(&rules), rules)
    }

    /// A form pre-filled with `draft` (a restored or prefilled one), nothing revealed yet.
    pub fn with_draft(draft: D, rules: Rc<D::Rules>) -> Self {
        FormState {
            draft,
            rules,
            status: Status::Editing,
            revealed: SortedSet::new(),
            refused_submits: 0,
            rejected: SortedMap::new(),
            waiting: Waiting::NoAnswer,
            touched: false,
            reply: None,
        }
    }

    /// Every error of the current draft, shown or not: the rules' own, then the endpoint's.
    pub fn errors(&self) -> SortedMap<D::Field, FieldError> {
        let mut errors = self.draft.validate(&self.rules);
        for (field, error) in &self.rejected {
            errors.insert_if_absent(*field, *error);
        }
        errors
    }

    /// The next state after `action`. Pure: no storage, no network.
    pub fn reduce(&self, action: FormAction<D>) -> Self {
        let mut next = self.clone();
        let action_kind = match action {
            FormAction::Prefill(..) => ActionKind::Host,
            _ => ActionKind::Visitor,
        };
        match action {
            FormAction::Edit(field, value) | FormAction::Prefill(field, value) => {
                // Nothing changes under a submission in flight or a thank-you message.
                if matches!(next.status, Status::Editing | Status::Failed(_)) {
                    next.touched |= matches!(action_kind, ActionKind::Visitor);
                    next.draft.set(field, value, &self.rules);
                    next.rejected.remove(&field);
                }
            }
            FormAction::Blur(field) => {
                next.revealed.insert(field);
            }
            FormAction::Submit => {
                if matches!(next.status, Status::Editing | Status::Failed(_)) {
                    let errors = next.errors();
                    if errors.is_empty() {
                        next.status = Status::Submitting;
                    } else {
                        next.revealed.extend(errors.keys().copied());
                        next.refused_submits += 1;
                        next.status = Status::Editing;
                    }
                }
            }
            FormAction::Delivered { status } => {
                if matches!(next.status, Status::Submitting | Status::Queued) {
                    next.status = Status::Succeeded;
                    next.reply = Some(status);
                }
            }
            FormAction::DeliveryFailed(problem) => {
                if matches!(next.status, Status::Submitting | Status::Queued) {
                    next.status = Status::Failed(problem);
                }
            }
            FormAction::Queued { waiting } => {
                if next.status == Status::Submitting {
                    next.status = Status::Queued;
                }
                if next.status == Status::Queued {
                    next.waiting = waiting;
                }
            }
            FormAction::CancelQueued => {
                if next.status == Status::Queued {
                    next.status = Status::Editing;
                }
            }
            FormAction::FieldsRejected(errors) => {
                if matches!(next.status, Status::Submitting | Status::Queued) {
                    next.status = Status::Failed(DeliveryProblem::Refused);
                    next.revealed.extend(errors.keys().copied());
                    next.rejected = errors;
                    // Like a refused submit: focus moves to the first field to fix.
                    next.refused_submits += 1;
                }
            }
            FormAction::StartOver => {
                if next.status == Status::Succeeded {
                    next = FormState::new(Rc::clone(&self.rules));
                }
            }
            FormAction::NewRules(rules) => next.rules = rules,
        }
        next
    }

    /// The errors the visitor should see now, in field order.
    pub fn visible_errors(&self) -> SortedMap<D::Field, FieldError> {
        let mut errors = self.errors();
        errors.retain(|field, _| self.revealed.contains(field));
        errors
    }

    /// True while the inputs must not change (a submission in flight or queued, or done).
    pub fn is_locked(&self) -> bool {
        matches!(
            self.status,
            Status::Submitting | Status::Queued | Status::Succeeded
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A two-field form: a required name and an optional "agree" box.
    #[derive(Debug, Clone, Default, PartialEq)]
    struct Sample {
        name: String,
        agree: bool,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    enum Field {
        Name,
        Agree,
    }

    impl Draft for Sample {
        type Field = Field;
        type Rules = ();

        fn fresh(_: &()) -> Self {
            Sample::default()
        }

        fn set(&mut self, field: Field, value: FieldValue, _: &()) {
            match (field, value) {
                (Field::Name, FieldValue::Text(text)) => self.name = text,
                (Field::Agree, FieldValue::Checked(checked)) => self.agree = checked,
                _ => {}
            }
        }

        fn validate(&self, _: &()) -> SortedMap<Field, FieldError> {
            let mut errors = SortedMap::new();
            if self.name.trim().is_empty() {
                errors.insert(Field::Name, FieldError::Required);
            }
            errors
        }

        fn to_pairs(&self) -> Vec<(&'static str, String)> {
            vec![("name", self.name.clone()), ("agree", flag(self.agree))]
        }

        fn restore(&mut self, name: &str, value: String) {
            match name {
                "name" => self.name = value,
                "agree" => self.agree = value == "true",
                _ => {}
            }
        }
    }

    #[test]
    fn a_draft_is_dated_when_stored_and_expires_after_a_week() {
        let draft = Sample {
            name: "Zoé".into(),
            agree: false,
        };
        let stored = stamped_draft(&draft_to_json(&draft), 1_000);
        assert!(stored.ends_with(r#"["saved_at_ms","1000"]]"#), "{stored}");
        assert_eq!(draft_from_json::<Sample>(&stored, &()), Some(draft));
        assert!(draft_is_fresh(&stored, 1_000 + DRAFT_MAX_AGE_MS));
        assert!(!draft_is_fresh(&stored, 1_001 + DRAFT_MAX_AGE_MS));
        // Stored before drafts were dated: not restored.
        assert!(!draft_is_fresh(&draft_to_json(&Sample::default()), 0));
        assert!(!draft_is_fresh("not json", 0));
        assert_eq!(stamped_draft("[]", 5), r#"[["saved_at_ms","5"]]"#);
    }

    #[test]
    fn an_autosaved_draft_is_a_list_of_pairs_and_reads_back() {
        let draft = Sample {
            name: "Zoé \"Z\"".into(),
            agree: true,
        };
        let json = draft_to_json(&draft);
        assert_eq!(json, r#"[["name","Zoé \"Z\""],["agree","true"]]"#);
        assert_eq!(draft_from_json::<Sample>(&json, &()), Some(draft));
        // Unknown names are skipped; what is not stored keeps the fresh value.
        let partial = draft_from_json::<Sample>(r#"[["colour","red"],["agree","true"]]"#, &());
        let expected = Sample {
            agree: true,
            ..Sample::default()
        };
        assert_eq!(partial, Some(expected));
        // Anything else (an older object-shaped draft, broken text) is no draft at all.
        assert_eq!(draft_from_json::<Sample>(r#"{"name":"Zoé"}"#, &()), None);
        assert_eq!(draft_from_json::<Sample>("[[", &()), None);
    }

    #[test]
    fn draft_pairs_are_written_byte_for_byte_as_serde_json_wrote_them() {
        for pairs in [
            vec![],
            vec![("name", "Zoé \"Z\" \\ \u{1} \n 😀".to_owned())],
            vec![
                ("tags", "a".to_owned()),
                ("tags", "b".to_owned()),
                ("x", String::new()),
            ],
        ] {
            let ours = write_pairs(&pairs);
            assert_eq!(ours, serde_json::to_string(&pairs).unwrap());
            let back = read_pairs(&ours).unwrap();
            assert!(back
                .iter()
                .map(|(n, v)| (n.as_str(), v))
                .eq(pairs.iter().map(|(n, v)| (*n, v))));
        }
    }

    #[test]
    fn draft_pairs_read_as_serde_read_them() {
        for text in [
            "[]",
            r#"[["a","b"],["c","d \n \u00e9"]]"#,
            r#"[["a"]]"#,
            r#"[["a","b","c"]]"#,
            r#"[["a",1]]"#,
            r#"[["a",null]]"#,
            r#"[{"a":"b"}]"#,
            r#"{"a":"b"}"#,
            "null",
            r#"[["a","b"]] x"#,
        ] {
            let serde = serde_json::from_str::<Vec<(String, String)>>(text).ok();
            assert_eq!(read_pairs(text), serde, "{text}");
        }
    }

    fn empty() -> FormState<Sample> {
        FormState::new(Rc::new(()))
    }

    fn typed(name: &str) -> FormState<Sample> {
        empty().reduce(FormAction::Edit(Field::Name, FieldValue::Text(name.into())))
    }

    #[test]
    fn errors_stay_hidden_until_blur() {
        let state = empty();
        assert!(state.visible_errors().is_empty());
        let state = state.reduce(FormAction::Blur(Field::Name));
        assert_eq!(
            state.visible_errors().get(&Field::Name),
            Some(&FieldError::Required)
        );
    }

    #[test]
    fn a_revealed_error_clears_as_soon_as_it_is_fixed() {
        let state = empty()
            .reduce(FormAction::Blur(Field::Name))
            .reduce(FormAction::Edit(
                Field::Name,
                FieldValue::Text("Ana".into()),
            ));
        assert!(state.visible_errors().is_empty());
    }

    #[test]
    fn an_invalid_submit_reveals_every_error_and_stays_editing() {
        let state = empty().reduce(FormAction::Submit);
        assert_eq!(state.status, Status::Editing);
        assert_eq!(state.refused_submits, 1);
        assert_eq!(state.visible_errors().len(), 1);
        let again = state.reduce(FormAction::Submit);
        assert_eq!(again.refused_submits, 2);
    }

    #[test]
    fn a_valid_submit_goes_to_submitting_then_succeeded() {
        let state = typed("Ana").reduce(FormAction::Submit);
        assert_eq!(state.status, Status::Submitting);
        assert!(state.is_locked());
        let done = state.reduce(FormAction::Delivered {
            status: ReplyStatus::Accepted,
        });
        assert_eq!(done.status, Status::Succeeded);
        assert_eq!(done.draft.name, "Ana");
    }

    #[test]
    fn the_reply_status_comes_with_the_delivery_and_goes_with_start_over() {
        let submitting = typed("Ana").reduce(FormAction::Submit);
        assert_eq!(submitting.reply, None);
        let done = submitting.reduce(FormAction::Delivered {
            status: ReplyStatus::PendingConfirmation,
        });
        assert_eq!(done.reply, Some(ReplyStatus::PendingConfirmation));
        // A second word about the same delivery changes nothing.
        let again = done.reduce(FormAction::Delivered {
            status: ReplyStatus::Accepted,
        });
        assert_eq!(again, done);
        assert_eq!(done.reduce(FormAction::StartOver).reply, None);
    }

    #[test]
    fn edits_are_ignored_while_submitting_or_after_success() {
        let submitting = typed("Ana").reduce(FormAction::Submit);
        let edited =
            submitting.reduce(FormAction::Edit(Field::Name, FieldValue::Text("Bo".into())));
        assert_eq!(edited.draft.name, "Ana");
        let done = submitting.reduce(FormAction::Delivered {
            status: ReplyStatus::Accepted,
        });
        let edited = done.reduce(FormAction::Edit(Field::Name, FieldValue::Text("Bo".into())));
        assert_eq!(edited.draft.name, "Ana");
    }

    #[test]
    fn a_failed_delivery_keeps_every_character_and_can_be_retried() {
        let failed = typed("Ana  with spaces ")
            .reduce(FormAction::Edit(Field::Agree, FieldValue::Checked(true)))
            .reduce(FormAction::Submit)
            .reduce(FormAction::DeliveryFailed(DeliveryProblem::CouldNotSend));
        assert_eq!(failed.status, Status::Failed(DeliveryProblem::CouldNotSend));
        assert_eq!(failed.draft.name, "Ana  with spaces ");
        assert!(failed.draft.agree);
        assert!(!failed.is_locked());
        assert_eq!(failed.reduce(FormAction::Submit).status, Status::Submitting);
    }

    #[test]
    fn outcomes_only_apply_to_a_submission_in_flight() {
        let editing = typed("Ana");
        assert_eq!(
            editing.reduce(FormAction::Delivered {
                status: ReplyStatus::Accepted
            }),
            editing
        );
        assert_eq!(
            editing.reduce(FormAction::DeliveryFailed(DeliveryProblem::Refused)),
            editing
        );
    }

    #[test]
    fn start_over_only_after_success_and_resets_everything() {
        let editing = typed("Ana");
        assert_eq!(editing.reduce(FormAction::StartOver), editing);
        let done = editing
            .reduce(FormAction::Submit)
            .reduce(FormAction::Delivered {
                status: ReplyStatus::Accepted,
            })
            .reduce(FormAction::StartOver);
        assert_eq!(done, empty());
    }

    #[test]
    fn a_queued_submission_stays_locked_until_delivered_or_refused() {
        let queued = typed("Ana")
            .reduce(FormAction::Submit)
            .reduce(FormAction::Queued {
                waiting: Waiting::Offline,
            });
        assert_eq!(queued.status, Status::Queued);
        assert_eq!(queued.waiting, Waiting::Offline);
        // The next attempt reached the network but the site did not answer; then storage filled.
        for waiting in [Waiting::NoAnswer, Waiting::OnlyThisPage] {
            assert_eq!(
                queued.reduce(FormAction::Queued { waiting }).waiting,
                waiting
            );
        }
        assert!(queued.is_locked());
        let edited = queued.reduce(FormAction::Edit(Field::Name, FieldValue::Text("Bo".into())));
        assert_eq!(edited.draft.name, "Ana");
        // A second press cannot start a second submission.
        assert_eq!(queued.reduce(FormAction::Submit).status, Status::Queued);
        assert_eq!(
            queued
                .reduce(FormAction::Delivered {
                    status: ReplyStatus::Accepted
                })
                .status,
            Status::Succeeded
        );
        let refused = queued.reduce(FormAction::DeliveryFailed(DeliveryProblem::Refused));
        assert_eq!(refused.status, Status::Failed(DeliveryProblem::Refused));
        assert_eq!(refused.draft.name, "Ana");
        // Only a submission in flight can be queued.
        assert_eq!(
            typed("Ana")
                .reduce(FormAction::Queued {
                    waiting: Waiting::NoAnswer
                })
                .status,
            Status::Editing
        );
    }

    #[test]
    fn a_prefill_fills_the_form_but_is_not_the_visitor_touching_it() {
        // Issue 12, defect 10: `?kudos-staff=` and `prefill()` were kept as the visitor's draft.
        let prefilled = empty().reduce(FormAction::Prefill(
            Field::Name,
            FieldValue::Text("Ana".into()),
        ));
        assert_eq!(prefilled.draft.name, "Ana");
        assert!(!prefilled.touched);
        let typed = prefilled.reduce(FormAction::Edit(Field::Agree, FieldValue::Checked(true)));
        assert!(typed.touched);
        // Once the visitor has acted, a later prefill does not undo it.
        assert!(
            typed
                .reduce(FormAction::Prefill(
                    Field::Name,
                    FieldValue::Text("Bo".into())
                ))
                .touched
        );
    }

    #[test]
    fn a_queued_submission_can_be_taken_back_to_edit() {
        // Issue 12, defect 1: a queued form was locked until delivery, however long that took.
        let queued = typed("Ana")
            .reduce(FormAction::Submit)
            .reduce(FormAction::Queued {
                waiting: Waiting::NoAnswer,
            });
        let back = queued.reduce(FormAction::CancelQueued);
        assert_eq!(back.status, Status::Editing);
        assert!(!back.is_locked());
        let edited = back.reduce(FormAction::Edit(Field::Name, FieldValue::Text("Bo".into())));
        assert_eq!(edited.draft.name, "Bo");
        assert_eq!(edited.reduce(FormAction::Submit).status, Status::Submitting);
        // Only a queued submission can be taken back (not one in flight, not a delivered one).
        let sending = typed("Ana").reduce(FormAction::Submit);
        assert_eq!(
            sending.reduce(FormAction::CancelQueued).status,
            Status::Submitting
        );
    }

    #[test]
    fn fields_the_endpoint_rejects_are_shown_until_edited() {
        let rejected = typed("Ana")
            .reduce(FormAction::Submit)
            .reduce(FormAction::FieldsRejected(SortedMap::from([(
                Field::Name,
                FieldError::NotAccepted,
            )])));
        assert_eq!(rejected.status, Status::Failed(DeliveryProblem::Refused));
        assert_eq!(rejected.refused_submits, 1);
        assert_eq!(
            rejected.visible_errors().get(&Field::Name),
            Some(&FieldError::NotAccepted)
        );
        assert_eq!(rejected.draft.name, "Ana");
        // Until fixed, the endpoint's error blocks a resubmit like any other.
        assert_eq!(rejected.reduce(FormAction::Submit).status, Status::Editing);
        let fixed = rejected.reduce(FormAction::Edit(
            Field::Name,
            FieldValue::Text("Ana B".into()),
        ));
        assert!(fixed.visible_errors().is_empty());
        assert_eq!(fixed.reduce(FormAction::Submit).status, Status::Submitting);
    }

    #[test]
    fn values_of_the_wrong_kind_are_ignored() {
        let state = empty().reduce(FormAction::Edit(Field::Name, FieldValue::Checked(true)));
        assert_eq!(state.draft, Sample::default());
    }
}
