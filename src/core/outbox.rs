//! The outbox: submissions that are not delivered yet, kept (by the shell, in storage) until the
//! endpoint takes them or refuses them for good.
//!
//! Two promises rest on it. Nothing is lost: a submission enters the outbox before its first
//! attempt and leaves only on a [`Verdict::Delivered`](crate::core::delivery::Verdict) or a final
//! refusal. Nothing is sent twice as two submissions: an entry keeps the submission's `id`, every
//! retry reuses it, and adding an id that is already queued changes nothing.
//!
//! This module is the queue's rules as plain data; the shell reads it from storage, applies one
//! change, and writes it back.

#[cfg(test)]
use serde::{Deserialize, Serialize};

use crate::core::envelope::Submission;
use crate::core::json::{self, kept_whole, member_array_items, Json, Pieces, Raw};

/// One submission waiting to be delivered.
///
/// The envelope is kept as the JSON text it was built as, never read back into a
/// [`Submission`]: the wasm has no reader for that type (its serde deserializer once cost about
/// 17 KB, docs/size-log.md); each attempt's body is written from its members by
/// [`body_for_attempt`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(Serialize, Deserialize))]
pub struct Entry {
    /// The submission id, the endpoint's idempotency key.
    pub id: String,
    /// The envelope's `type`.
    #[cfg_attr(test, serde(rename = "type"))]
    pub kind: String,
    /// The envelope as first built (attempt 1), as JSON text.
    pub envelope: String,
    /// Attempts that failed so far.
    pub failures: u32,
    /// No attempt before this time (Unix milliseconds).
    pub not_before_ms: u64,
    /// True when that wait is the endpoint's own `Retry-After`, which is honoured even when the
    /// browser comes back online; a backoff wait is not.
    pub endpoint_asked: bool,
    /// Failed attempts made while the browser was online (an offline one says nothing about the
    /// endpoint); [`MAX_ONLINE_FAILURES`] of them give the submission up. Absent (0) in entries
    /// stored before it existed.
    #[cfg_attr(test, serde(default))]
    pub online_failures: u32,
    /// When the first attempt failed (Unix ms; 0: none yet); [`MAX_QUEUED_MS`] later the
    /// submission is given up.
    #[cfg_attr(test, serde(default))]
    pub first_failed_ms: u64,
}

/// After this many failed attempts while online, a submission is given up (issue 12, defect 1:
/// a 301, a DNS failure, a CORS reply never fixed or a 5xx that never ends were retried for ever,
/// and the form stayed locked on every visit). With the backoff that is about a quarter of an
/// hour of trying on one page, or twenty visits.
pub const MAX_ONLINE_FAILURES: u32 = 20;

/// A submission still not delivered this long after its first failure is given up, however the
/// attempts went (a visitor offline for a day, or coming back a week later).
pub const MAX_QUEUED_MS: u64 = 24 * 60 * 60 * 1000;

impl Entry {
    /// One stored entry; every member is required (they are all written), extra ones are ignored.
    fn from_json(json: &Json) -> Option<Entry> {
        Some(Entry {
            id: json.get("id")?.to_string_value()?,
            kind: json.get("type")?.to_string_value()?,
            envelope: json.get("envelope")?.to_string_value()?,
            failures: json.get("failures")?.as_u32()?,
            not_before_ms: json.get("not_before_ms")?.as_u64()?,
            endpoint_asked: json.get("endpoint_asked")?.as_bool()?,
            // Optional: entries stored before the bound existed have neither.
            online_failures: match json.get("online_failures") {
                None => 0,
                Some(n) => n.as_u32()?,
            },
            first_failed_ms: match json.get("first_failed_ms") {
                None => 0,
                Some(n) => n.as_u64()?,
            },
        })
    }
}

/// One attempt, ready for a transport: the body to post and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The submission id.
    pub id: String,
    /// The envelope's `type`.
    pub kind: String,
    /// Which delivery attempt this is, from 1 (the body's `signals.attempt` says the same).
    pub attempt: u32,
    /// The JSON body of this attempt.
    pub body: String,
}

/// The envelope `envelope` (as first built) as posted on attempt `attempt`: every member as it
/// was written, in its place, and `signals` written again with this attempt's number. `None`
/// when `envelope` is not an object with readable signals (it always is: this crate wrote it).
///
/// Member by member through the JSON reader, so nothing the visitor typed can be mistaken for
/// the attempt (the text is never searched for a key).
pub fn body_for_attempt(envelope: &str, attempt: u32) -> Option<String> {
    let mut members = Pieces::new(envelope);
    members.open(b'{').ok()?;
    let mut whole = true;
    // Read and written in one pass; a member that cannot be read stops both, and the half-written
    // text (still closed by the builder) is dropped.
    let out = json::object(|body| {
        let mut first = true;
        let mut member = || -> Option<bool> {
            if !members.more(b'}', first).ok()? {
                return Some(false);
            }
            first = false;
            let key = members.key().ok()?;
            let (text, value) = members.value_with_text(1).ok()?;
            if key == "signals" {
                let honeypot = value.get("honeypot")?.as_str()?;
                let fill_time_ms = value.get("fill_time_ms")?.as_u64()?;
                body.object(&key, |signals| {
                    signals
                        .str("honeypot", honeypot)
                        .num("fill_time_ms", fill_time_ms)
                        .num("attempt", attempt.into());
                });
            } else {
                body.raw(&key, text);
            }
            Some(true)
        };
        loop {
            match member() {
                Some(true) => {}
                Some(false) => break,
                None => {
                    whole = false;
                    break;
                }
            }
        }
    });
    (whole && members.end().is_ok()).then_some(out)
}

/// What woke the outbox up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// A retry timer: every wait is honoured.
    Timer,
    /// The browser came back online, or the page loaded: backoff waits are skipped (the reason
    /// for them is gone), the endpoint's `Retry-After` is not.
    Fresh,
}

/// The queue, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(test, derive(Serialize, Deserialize))]
pub struct Outbox {
    entries: Vec<Entry>,
    /// Stored items this version cannot read (another version's, or edited by hand), as their
    /// source text: written back unchanged, never attempted (issue 12, defect 4: one unreadable
    /// entry emptied the outbox, and the next write overwrote every other one).
    #[cfg_attr(test, serde(skip))]
    unreadable: Vec<String>,
}

impl Outbox {
    /// The outbox stored as `json` (`{"entries": [entry, …]}`), read entry by entry: what cannot
    /// be read is kept aside, as written, and the rest work. A text that is not an outbox at all
    /// is kept whole, as one unreadable item.
    pub fn from_json(json: Option<&str>) -> Outbox {
        let Some(text) = json else {
            return Outbox::default();
        };
        let mut outbox = Outbox::default();
        match member_array_items(text, "entries") {
            Ok(items) => {
                for (raw, item) in items {
                    match Entry::from_json(&item) {
                        Some(entry) => outbox.entries.push(entry),
                        None => outbox.unreadable.push(raw.to_owned()),
                    }
                }
            }
            Err(_) if text.trim().is_empty() => {}
            Err(_) => outbox.unreadable.push(kept_whole(text)),
        }
        outbox
    }

    /// How many stored items could not be read (kept as they were).
    pub fn unreadable(&self) -> usize {
        self.unreadable.len()
    }

    /// The JSON to store.
    pub fn to_json(&self) -> String {
        json::object(|outbox| {
            outbox.array("entries", |list| {
                for entry in &self.entries {
                    list.object(|item| {
                        item.str("id", &entry.id)
                            .str("type", &entry.kind)
                            .str("envelope", &entry.envelope)
                            .num("failures", entry.failures.into())
                            .num("not_before_ms", entry.not_before_ms)
                            .bool("endpoint_asked", entry.endpoint_asked)
                            .num("online_failures", entry.online_failures.into())
                            .num("first_failed_ms", entry.first_failed_ms);
                    });
                }
                // Each was one item of a stored array (or kept whole as a string); one that is
                // somehow not a JSON value is kept as a string rather than break the list.
                for text in &self.unreadable {
                    match Raw::check(text) {
                        Some(raw) => list.raw(raw),
                        None => list.str(text),
                    };
                }
            });
        })
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// True when nothing is stored, readable or not (the shell then removes the key).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.unreadable.is_empty()
    }

    /// The entry for `id`.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// Queues `submission`, due at once. Returns false (and changes nothing) when its id is
    /// already queued: the same submission is never queued twice.
    pub fn add(&mut self, submission: &Submission) -> bool {
        if self.get(&submission.id).is_some() {
            return false;
        }
        self.entries.push(Entry {
            id: submission.id.clone(),
            kind: submission.kind().to_owned(),
            envelope: submission.to_json(),
            failures: 0,
            not_before_ms: 0,
            endpoint_asked: false,
            online_failures: 0,
            first_failed_ms: 0,
        });
        true
    }

    /// Removes the entry for `id` (delivered, or refused for good).
    pub fn remove(&mut self, id: &str) -> Option<Entry> {
        let index = self.entries.iter().position(|e| e.id == id)?;
        Some(self.entries.remove(index))
    }

    /// The ids of `kind` (an envelope `type`) to attempt now, oldest first.
    ///
    /// Two forms posting to one endpoint share its outbox (the key is per endpoint); each form's
    /// courier takes only its own kind, so each form hears and settles its own outcome (issue 12,
    /// defect 2: the praise courier delivered the newsletter's entry, and the newsletter form
    /// stayed queued for ever). Another kind's entry waits for a page with its form.
    pub fn due(&self, kind: &str, now_ms: u64, wake: Wake) -> Vec<String> {
        self.entries
            .iter()
            .filter(|e| e.kind == kind)
            .filter(|e| e.not_before_ms <= now_ms || (wake == Wake::Fresh && !e.endpoint_asked))
            .map(|e| e.id.clone())
            .collect()
    }

    /// What to send for `id`'s next attempt: the same envelope, with its attempt number.
    pub fn attempt(&self, id: &str) -> Option<Outgoing> {
        let entry = self.get(id)?;
        let attempt = entry.failures + 1;
        Some(Outgoing {
            id: entry.id.clone(),
            kind: entry.kind.clone(),
            attempt,
            // An envelope this version cannot rewrite (never one it wrote) goes as it was.
            body: body_for_attempt(&entry.envelope, attempt)
                .unwrap_or_else(|| entry.envelope.clone()),
        })
    }

    /// Records a failed attempt of `id`: no new attempt for `wait_ms` from `now_ms`. `offline`:
    /// the browser was offline, so the attempt does not count towards [`MAX_ONLINE_FAILURES`].
    pub fn failed(
        &mut self,
        id: &str,
        now_ms: u64,
        wait_ms: u64,
        endpoint_asked: bool,
        offline: bool,
    ) {
        if let Some(entry) = self.entries.iter_mut().find(|e| e.id == id) {
            entry.failures += 1;
            if !offline {
                entry.online_failures += 1;
            }
            if entry.first_failed_ms == 0 {
                entry.first_failed_ms = now_ms;
            }
            entry.not_before_ms = now_ms.saturating_add(wait_ms);
            entry.endpoint_asked = endpoint_asked;
        }
    }

    /// Whether `id` has failed for long enough to be given up at `now_ms`: then it leaves the
    /// outbox, and the visitor, who still has the text, is told it could not be sent.
    pub fn exhausted(&self, id: &str, now_ms: u64) -> bool {
        self.get(id).is_some_and(|entry| {
            entry.online_failures >= MAX_ONLINE_FAILURES
                || (entry.first_failed_ms > 0
                    && now_ms.saturating_sub(entry.first_failed_ms) >= MAX_QUEUED_MS)
        })
    }

    /// When the earliest waiting entry becomes due (Unix milliseconds), for the retry timer.
    pub fn next_due_ms(&self) -> Option<u64> {
        self.entries.iter().map(|e| e.not_before_ms).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::envelope::tests::stamp;
    use crate::core::envelope::{NEWSLETTER_TYPE as NEWSLETTER, PRAISE_TYPE as PRAISE};
    use crate::core::praise::tests::{rules, valid};

    fn submission(first_byte: u8) -> Submission {
        let mut stamp = stamp();
        stamp.random = [first_byte; 16];
        Submission::praise(&valid(), &rules(), stamp)
    }

    fn newsletter(first_byte: u8) -> Submission {
        let mut stamp = stamp();
        stamp.random = [first_byte; 16];
        let draft = crate::core::newsletter::NewsletterDraft {
            email: "ana@example.com".into(),
            consent: true,
            ..Default::default()
        };
        let rules = crate::core::newsletter::tests::rules_with(&[]);
        Submission::newsletter(&draft, &rules, "I agree.", stamp)
    }

    fn ids(outbox: &Outbox) -> Vec<String> {
        outbox.entries().iter().map(|e| e.id.clone()).collect()
    }

    /// What a transport would post, read back for the test.
    fn sent(outbox: &Outbox, id: &str) -> Submission {
        serde_json::from_str(&outbox.attempt(id).unwrap().body).unwrap()
    }

    #[test]
    fn entries_keep_their_order() {
        let mut outbox = Outbox::default();
        let (a, b, c) = (submission(1), submission(2), submission(3));
        assert!(outbox.add(&a));
        assert!(outbox.add(&b));
        assert!(outbox.add(&c));
        assert_eq!(ids(&outbox), [a.id.clone(), b.id.clone(), c.id.clone()]);
        assert_eq!(
            outbox.due(PRAISE, 0, Wake::Timer),
            [a.id.clone(), b.id.clone(), c.id.clone()]
        );
        outbox.remove(&b.id);
        assert_eq!(ids(&outbox), [a.id.clone(), c.id.clone()]);
    }

    #[test]
    fn each_form_takes_only_its_own_kind_from_a_shared_outbox() {
        // Praise and newsletter on one endpoint: one outbox, two couriers (issue 12, defect 2).
        let mut outbox = Outbox::default();
        let (praise, subscription, more_praise) = (submission(1), newsletter(2), submission(3));
        outbox.add(&praise);
        outbox.add(&subscription);
        outbox.add(&more_praise);
        assert_eq!(
            outbox.due(PRAISE, 0, Wake::Fresh),
            [praise.id.clone(), more_praise.id.clone()]
        );
        assert_eq!(
            outbox.due(NEWSLETTER, 0, Wake::Fresh),
            vec![subscription.id]
        );
        assert!(outbox.due("something.else", 0, Wake::Fresh).is_empty());
    }

    #[test]
    fn a_failure_that_never_ends_is_given_up_after_twenty_online_attempts_or_a_day() {
        let mut outbox = Outbox::default();
        let (a, b) = (submission(1), submission(2));
        outbox.add(&a);
        outbox.add(&b);
        assert!(!outbox.exhausted(&a.id, u64::MAX));
        // Offline attempts say nothing about the endpoint: they never use up the twenty.
        for n in 0..100 {
            outbox.failed(&a.id, 1_000 + n, 10, false, true);
        }
        assert!(!outbox.exhausted(&a.id, 2_000));
        for n in 1..=MAX_ONLINE_FAILURES {
            assert!(!outbox.exhausted(&a.id, 2_000), "gave up after {}", n - 1);
            outbox.failed(&a.id, 2_000, 10, false, false);
        }
        assert!(outbox.exhausted(&a.id, 2_000));
        // A day after the first failure, however few attempts were made.
        outbox.failed(&b.id, 5_000, 10, false, true);
        assert!(!outbox.exhausted(&b.id, 5_000 + MAX_QUEUED_MS - 1));
        assert!(outbox.exhausted(&b.id, 5_000 + MAX_QUEUED_MS));
        assert!(!outbox.exhausted("not-queued", u64::MAX));
        // Entries stored before the bound existed read as never failed online.
        let old = r#"{"entries":[{"id":"a","type":"t","envelope":"e","failures":7,"not_before_ms":0,"endpoint_asked":false}]}"#;
        let read = Outbox::from_json(Some(old));
        assert_eq!(
            read.get("a")
                .map(|e| (e.online_failures, e.first_failed_ms)),
            Some((0, 0))
        );
    }

    #[test]
    fn the_same_id_is_never_queued_twice() {
        let mut outbox = Outbox::default();
        let a = submission(1);
        assert!(outbox.add(&a));
        outbox.failed(&a.id, 1_000, 5_000, false, false);
        // Queuing it again (a second tab, a double event) neither duplicates nor resets it.
        let mut again = a.clone();
        again.signals.attempt = 9;
        assert!(!outbox.add(&again));
        assert_eq!(outbox.entries().len(), 1);
        assert_eq!(outbox.get(&a.id).unwrap().failures, 1);
        assert_eq!(
            outbox.get(&a.id).unwrap().kind,
            "staff_recognition.submitted"
        );
        let mut second = a.clone();
        second.signals.attempt = 2;
        assert_eq!(sent(&outbox, &a.id), second);
    }

    #[test]
    fn retries_reuse_the_id_and_count_attempts() {
        let mut outbox = Outbox::default();
        let a = submission(1);
        outbox.add(&a);
        assert_eq!(sent(&outbox, &a.id), a);
        outbox.failed(&a.id, 0, 0, false, false);
        outbox.failed(&a.id, 0, 0, false, false);
        let third = sent(&outbox, &a.id);
        assert_eq!(third.id, a.id);
        assert_eq!(third.signals.attempt, 3);
        assert_eq!(third.created_at, a.created_at);
        assert_eq!(outbox.attempt(&a.id).unwrap().id, a.id);
    }

    #[test]
    fn waits_are_honoured_by_timers_and_retry_after_even_when_back_online() {
        let mut outbox = Outbox::default();
        let (a, b) = (submission(1), submission(2));
        outbox.add(&a);
        outbox.add(&b);
        outbox.failed(&a.id, 1_000, 4_000, false, false); // backoff: due at 5 000
        outbox.failed(&b.id, 1_000, 2_000, true, false); // Retry-After: due at 3 000
        assert!(outbox.due(PRAISE, 2_000, Wake::Timer).is_empty());
        assert_eq!(outbox.due(PRAISE, 3_000, Wake::Timer), vec![b.id.clone()]);
        assert_eq!(
            outbox.due(PRAISE, 5_000, Wake::Timer),
            [a.id.clone(), b.id.clone()]
        );
        // Back online at 2 000: the backoff is skipped, the endpoint's wait is not.
        assert_eq!(outbox.due(PRAISE, 2_000, Wake::Fresh), vec![a.id.clone()]);
        assert_eq!(outbox.next_due_ms(), Some(3_000));
    }

    #[test]
    fn each_attempt_is_the_same_envelope_with_its_number_whatever_the_visitor_typed() {
        let mut tricky = submission(4);
        if let crate::core::envelope::Payload::StaffRecognition(data) = &mut tricky.payload {
            data.story = r#"I typed "attempt":1} and "signals":{"attempt":7} on purpose."#.into();
        }
        tricky.signals.honeypot = r#""attempt":9"#.into();
        let body = tricky.to_json();
        let again = body_for_attempt(&body, 12).unwrap();
        let back: Submission = serde_json::from_str(&again).unwrap();
        let mut expected = tricky.clone();
        expected.signals.attempt = 12;
        assert_eq!(back, expected);
        // Byte for byte what the envelope writer gives for that attempt: members in their order.
        assert_eq!(again, expected.to_json());
        assert_eq!(body_for_attempt(&body, 1).unwrap(), body);
        assert_eq!(body_for_attempt("{}", 3), Some("{}".to_owned()));
        assert_eq!(body_for_attempt("[1]", 3), None);

        // The outbox hands the transport the number as data, and the body agrees.
        let mut outbox = Outbox::default();
        outbox.add(&tricky);
        outbox.failed(&tricky.id, 1_000, 0, false, false);
        let outgoing = outbox.attempt(&tricky.id).unwrap();
        assert_eq!(outgoing.attempt, 2);
        assert_eq!(sent(&outbox, &tricky.id).signals.attempt, 2);
    }

    #[test]
    fn the_outbox_survives_storage_and_what_cannot_be_read_is_kept() {
        let mut outbox = Outbox::default();
        outbox.add(&submission(1));
        outbox.failed(&submission(1).id, 10, 20, true, false);
        let back = Outbox::from_json(Some(&outbox.to_json()));
        assert_eq!(back, outbox);
        assert_eq!(
            Outbox::from_json(Some(&Outbox::default().to_json())),
            Outbox::default()
        );
        assert!(Outbox::from_json(None).is_empty());
        assert!(Outbox::from_json(Some(" ")).is_empty());
        // Not an outbox at all: kept whole, as one unreadable item, through any number of writes.
        let mut broken = Outbox::from_json(Some("{not json"));
        assert_eq!((broken.entries().len(), broken.unreadable()), (0, 1));
        assert!(!broken.is_empty());
        broken.add(&submission(2));
        let written = broken.to_json();
        assert!(written.contains(r#""{not json""#), "{written}");
        let again = Outbox::from_json(Some(&written));
        assert_eq!(again, broken);
        assert_eq!(again.to_json(), written);
    }

    #[test]
    fn one_unreadable_entry_is_skipped_and_kept_never_overwritten() {
        // Issue 12, defect 4: one entry another version wrote emptied the whole outbox, and the
        // next write dropped every submission in it.
        let mut outbox = Outbox::default();
        outbox.add(&submission(1));
        outbox.add(&submission(2));
        let stored = outbox.to_json();
        let odd = r#"{"id":"x","type":"t","envelope":7, "from":"another version"}"#;
        let with_odd = stored.replacen("[{", &format!("[{odd},{{"), 1);
        let mut read = Outbox::from_json(Some(&with_odd));
        assert_eq!(ids(&read), [submission(1).id, submission(2).id]);
        assert_eq!(read.unreadable(), 1);
        assert_eq!(
            read.due(PRAISE, 0, Wake::Fresh),
            [submission(1).id, submission(2).id]
        );
        // Delivering one and queuing another rewrites the outbox: the odd entry stays as it was.
        read.remove(&submission(1).id);
        read.add(&submission(3));
        let written = read.to_json();
        assert!(written.contains(odd), "{written}");
        let back = Outbox::from_json(Some(&written));
        assert_eq!(ids(&back), [submission(2).id, submission(3).id]);
        assert_eq!(back.unreadable(), 1);
    }

    #[test]
    fn the_outbox_is_written_byte_for_byte_as_serde_json_wrote_it() {
        let mut outbox = Outbox::default();
        assert_eq!(outbox.to_json(), serde_json::to_string(&outbox).unwrap());
        assert_eq!(outbox.to_json(), r#"{"entries":[]}"#);
        let mut tricky = submission(5);
        tricky.site.title = "\"quoted\" \\ \n 😀".into();
        for added in [submission(1), submission(2), tricky] {
            outbox.add(&added);
            assert_eq!(added.to_json(), serde_json::to_string(&added).unwrap());
        }
        outbox.failed(&submission(1).id, u64::MAX, 20, true, false);
        outbox.failed(&submission(2).id, 10, 20, false, false);
        assert_eq!(outbox.to_json(), serde_json::to_string(&outbox).unwrap());
        assert_eq!(Outbox::from_json(Some(&outbox.to_json())), outbox);
    }

    #[test]
    fn stored_outboxes_read_as_serde_read_them() {
        // Entry by entry now: where serde read the whole outbox, the entries are the same; where
        // one entry (here the only one) failed serde, it is kept aside instead of emptying it.
        let entry = r#""id":"a","type":"t","envelope":"{\"x\":1}","failures":2,"not_before_ms":18446744073709551615"#;
        for text in [
            format!(r#"{{"entries":[{{{entry},"endpoint_asked":true}}]}}"#),
            format!(r#"{{"entries":[{{{entry},"endpoint_asked":true,"extra":[]}}],"v":2}}"#),
            format!(r#"{{"entries":[{{{entry}}}]}}"#),
            format!(r#"{{"entries":[{{{entry},"endpoint_asked":1}}]}}"#),
            r#"{"entries":[{"id":"a","type":"t","envelope":"e","failures":4294967296,"not_before_ms":0,"endpoint_asked":false}]}"#.to_owned(),
            r#"{"entries":[{"id":"a","type":"t","envelope":"e","failures":1.5,"not_before_ms":0,"endpoint_asked":false}]}"#.to_owned(),
            r#"{"entries":[{"id":"a","type":"t","envelope":"e","failures":-1,"not_before_ms":0,"endpoint_asked":false}]}"#.to_owned(),
            r#"{"entries":[]}"#.to_owned(),
            r#"{"entries":null}"#.to_owned(),
            "{}".to_owned(),
            "[]".to_owned(),
        ] {
            let ours = Outbox::from_json(Some(&text));
            match serde_json::from_str::<Outbox>(&text) {
                Ok(serde) => {
                    assert_eq!(ours.entries(), serde.entries(), "{text}");
                    assert_eq!(ours.unreadable(), 0, "{text}");
                }
                Err(_) => {
                    assert!(ours.entries().is_empty(), "{text}");
                    assert_eq!(ours.unreadable(), 1, "{text}");
                }
            }
        }
    }
}
