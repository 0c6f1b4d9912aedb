//! What an endpoint's reply means, and when to try again: the retry policy of the wire contract
//! (`docs/contract.md`), as pure functions.
//!
//! The shell does the I/O and hands over what it saw ([`Reply`]), the current time and random
//! numbers; everything decided from them lives here, so every status class, both `Retry-After`
//! forms and the backoff bounds are tested natively.

use crate::core::envelope::ReplyStatus;
use crate::core::json::Json;

/// What one delivery attempt came back with, as the shell saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The endpoint answered.
    Http {
        /// The HTTP status.
        status: u16,
        /// The `Retry-After` header, when the endpoint sent (and exposed) one.
        retry_after: Option<String>,
        /// The reply body, as text (may be empty).
        body: String,
    },
    /// No answer: the request never reached the endpoint or its reply never came back.
    NoAnswer(NoAnswer),
}

/// Why there was no answer. Each is retried; the kind only changes the console detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoAnswer {
    /// The browser says it is offline.
    Offline,
    /// The attempt took longer than its timeout and was aborted.
    Timeout,
    /// The network failed (connection reset, DNS, or a CORS refusal, which `fetch` cannot tell
    /// apart from a network failure).
    Network,
}

/// One field problem from a 400/422 reply: `{"field": "data.story", "code": "too_short"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct WireFieldError {
    /// The path of the refused value in the request body (`data.story`).
    pub field: String,
    /// A machine-readable reason (`too_short`, `required`, …); free for the endpoint to choose.
    #[cfg_attr(test, serde(default))]
    pub code: String,
}

impl WireFieldError {
    /// `{"field", "code"?}`; other members are ignored, a missing `code` is empty.
    pub fn from_json(json: &Json) -> Option<WireFieldError> {
        Some(WireFieldError {
            field: json.get("field")?.to_string_value()?,
            code: match json.get("code") {
                None => String::new(),
                Some(code) => code.to_string_value()?,
            },
        })
    }
}

/// What to do after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Delivered (also when the endpoint had seen this `id` before): clear the outbox entry and
    /// the draft.
    Delivered(ReplyStatus),
    /// Try again later: after `after_ms` when the endpoint said so (`Retry-After`), else after
    /// the backoff.
    Retry {
        /// The wait the endpoint asked for, in milliseconds.
        after_ms: Option<u64>,
        /// For the console: what happened.
        detail: String,
    },
    /// Refused for good: never resend this submission. The visitor keeps the draft.
    Refused {
        /// The fields the endpoint named (400/422), possibly none.
        fields: Vec<WireFieldError>,
        /// For the console: what happened.
        detail: String,
    },
}

/// The longest wait a `Retry-After` may impose (an hour): a misconfigured endpoint must not park a
/// submission for days. The entry stays in the outbox either way.
pub const MAX_RETRY_AFTER_MS: u64 = 60 * 60 * 1000;
/// The first backoff window.
pub const BACKOFF_BASE_MS: u64 = 1_000;
/// The largest backoff window: a visitor back online waits at most this long (the `online`
/// event usually cuts it short anyway).
pub const BACKOFF_CAP_MS: u64 = 60_000;

/// The `status` of a 2xx reply body (`{"status": "pending_moderation"}`); `None` when the body
/// is not JSON or names no status the contract knows.
fn accepted_status(body: &str) -> Option<ReplyStatus> {
    Json::parse(body)
        .ok()
        .and_then(|json| json.get("status")?.as_str().and_then(ReplyStatus::from_key))
}

/// The field problems of a 400/422 reply body (`{"errors": [{"field", "code"}, …]}`); none when
/// the body is not of that shape or any one of them is unreadable.
fn refused_fields(body: &str) -> Vec<WireFieldError> {
    Json::parse(body)
        .ok()
        .and_then(|json| match json.get("errors") {
            None => Some(Vec::new()),
            Some(errors) => errors
                .as_array()?
                .iter()
                .map(WireFieldError::from_json)
                .collect(),
        })
        .unwrap_or_default()
}

/// Classifies one attempt's reply. `now_ms` (Unix milliseconds) turns a `Retry-After` date into a
/// wait.
pub fn classify(reply: &Reply, now_ms: u64) -> Verdict {
    let (status, retry_after, body) = match reply {
        Reply::NoAnswer(why) => {
            return Verdict::Retry {
                after_ms: None,
                detail: format!("no answer ({why:?})"),
            }
        }
        Reply::Http {
            status,
            retry_after,
            body,
        } => (*status, retry_after.as_deref(), body.as_str()),
    };
    match status {
        // No Content has no body to check.
        204 => Verdict::Delivered(ReplyStatus::Accepted),
        // Only the contract's own answer proves the endpoint took it: a catch-all route answering
        // 200 with an HTML page (issue 12, defect 7) must not clear the draft and the outbox.
        // Retried, since the same id is safe to send again.
        200..=299 => match accepted_status(body) {
            Some(status) => Verdict::Delivered(status),
            None => Verdict::Retry {
                after_ms: None,
                detail: format!(
                    "HTTP {status} without {{\"status\": \"accepted\" | …}}, so not counted as delivered: {}",
                    excerpt(body)
                ),
            },
        },
        429 | 503 => Verdict::Retry {
            after_ms: retry_after.and_then(|value| parse_retry_after(value, now_ms)),
            // Size: the header as plain text, not `{retry_after:?}` (its `Debug` was the wasm's
            // last user of `str`'s escaping `Debug` and the Unicode printable tables).
            detail: format!(
                "HTTP {status}, Retry-After {}",
                retry_after.unwrap_or("(none)")
            ),
        },
        400 | 422 => Verdict::Refused {
            fields: refused_fields(body),
            detail: format!("HTTP {status}: {}", excerpt(body)),
        },
        // 408 Request Timeout is the server's way of saying "try again".
        408 => Verdict::Retry {
            after_ms: None,
            detail: "HTTP 408".into(),
        },
        400..=499 => Verdict::Refused {
            fields: Vec::new(),
            detail: format!("HTTP {status}: {}", excerpt(body)),
        },
        // 5xx, and anything a correct endpoint never sends (1xx, 3xx with `redirect: "error"`).
        _ => Verdict::Retry {
            after_ms: None,
            detail: format!("HTTP {status}"),
        },
    }
}

/// The start of a body for a console message.
fn excerpt(body: &str) -> String {
    body.chars().take(200).collect()
}

/// The wait a `Retry-After` value asks for, in milliseconds, at most [`MAX_RETRY_AFTER_MS`]:
/// `"120"` (seconds) or an HTTP date (`"Wed, 21 Oct 2026 07:28:00 GMT"`, compared with `now_ms`;
/// a date in the past means "now"). `None` when it is neither.
pub fn parse_retry_after(value: &str, now_ms: u64) -> Option<u64> {
    let value = value.trim();
    let wait = if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        value
            .parse::<u64>()
            .unwrap_or(u64::MAX)
            .saturating_mul(1000)
    } else {
        http_date_ms(value)?.saturating_sub(now_ms)
    };
    Some(wait.min(MAX_RETRY_AFTER_MS))
}

/// Unix milliseconds of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the HTTP date format
/// every sender must use (RFC 9110 §5.6.7).
fn http_date_ms(value: &str) -> Option<u64> {
    let mut parts = value.split_whitespace();
    let _weekday = parts.next()?.strip_suffix(',')?;
    let day: u64 = parts.next()?.parse().ok()?;
    let month = parts.next()?;
    let year: i64 = parts.next()?.parse().ok()?;
    let time = parts.next()?;
    if parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == month)? as u64
        + 1;
    let hms: Vec<u64> = time
        .split(':')
        .map(|part| part.parse().ok())
        .collect::<Option<_>>()?;
    let [h, m, s] = hms[..] else { return None };
    if !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 || year < 1970 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days as u64 * 24 + h) * 60 + m) * 60_000 + s * 1000)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u64, day: u64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The wait before attempt `failures + 1` after `failures` failed ones, "full jitter": a uniform
/// draw in `[0, min(cap, base · 2^(failures-1))]`, so many visitors coming back online at once do
/// not hit the endpoint together. `random` is uniform in `[0, 1)` from the shell.
pub fn backoff_ms(failures: u32, random: f64) -> u64 {
    let exponent = failures.saturating_sub(1).min(16);
    let window = BACKOFF_BASE_MS
        .saturating_mul(1 << exponent)
        .min(BACKOFF_CAP_MS);
    let random = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.5
    };
    (window as f64 * random) as u64
}

/// The wait before the next attempt: the endpoint's `Retry-After` when it gave one, else the
/// backoff.
pub fn next_wait_ms(retry_after_ms: Option<u64>, failures: u32, random: f64) -> u64 {
    retry_after_ms.unwrap_or_else(|| backoff_ms(failures, random))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reply bodies as serde read them before the hand-written readers.
    #[derive(serde::Deserialize)]
    struct SerdeAcceptedBody {
        status: Option<ReplyStatus>,
    }

    #[derive(serde::Deserialize)]
    struct SerdeErrorBody {
        #[serde(default)]
        errors: Vec<WireFieldError>,
    }

    #[test]
    fn reply_bodies_read_as_serde_read_them() {
        for body in [
            "",
            "ok",
            "{}",
            r#"{"status":"accepted"}"#,
            r#"{"status":"pending_moderation","id":"x"}"#,
            r#"{"status":"pending_confirmation"}"#,
            r#"{"status":"bogus"}"#,
            r#"{"status":null}"#,
            r#"{"status":1}"#,
            r#"{"errors":[{"field":"data.story","code":"too_short"},{"field":"data.x"}]}"#,
            r#"{"errors":[{"field":"data.story","code":"too_short","hint":"more"}],"n":1}"#,
            r#"{"errors":[{"code":"too_short"}]}"#,
            r#"{"errors":[{"field":"a","code":null}]}"#,
            r#"{"errors":null}"#,
            r#"{"errors":{}}"#,
            r#"{"errors":[]} trailing"#,
        ] {
            let serde_status = serde_json::from_str::<SerdeAcceptedBody>(body)
                .ok()
                .and_then(|b| b.status);
            assert_eq!(accepted_status(body), serde_status, "{body}");
            let serde_fields = serde_json::from_str::<SerdeErrorBody>(body)
                .map(|b| b.errors)
                .unwrap_or_default();
            assert_eq!(refused_fields(body), serde_fields, "{body}");
        }
    }

    /// 2026-11-24T09:30:00Z.
    const NOW: u64 = 1_795_512_600_000;

    fn http(status: u16, body: &str) -> Reply {
        Reply::Http {
            status,
            retry_after: None,
            body: body.into(),
        }
    }

    fn is_retry(verdict: &Verdict) -> bool {
        matches!(verdict, Verdict::Retry { .. })
    }

    fn is_refused(verdict: &Verdict) -> bool {
        matches!(verdict, Verdict::Refused { .. })
    }

    #[test]
    fn every_2xx_is_delivered_with_its_status() {
        assert_eq!(
            classify(&http(200, r#"{"status":"accepted"}"#), NOW),
            Verdict::Delivered(ReplyStatus::Accepted)
        );
        assert_eq!(
            classify(&http(201, r#"{"status":"pending_moderation"}"#), NOW),
            Verdict::Delivered(ReplyStatus::PendingModeration)
        );
        assert_eq!(
            classify(&http(202, r#"{"status":"pending_confirmation"}"#), NOW),
            Verdict::Delivered(ReplyStatus::PendingConfirmation)
        );
        // 204 has no body by definition: it stays a plain acceptance.
        assert_eq!(
            classify(&http(204, ""), NOW),
            Verdict::Delivered(ReplyStatus::Accepted)
        );
    }

    #[test]
    fn a_2xx_without_a_known_status_is_not_delivered() {
        // Issue 12, defect 7: a catch-all route answering 200 with HTML (a CMS's "page not
        // found", a login page, a proxy's splash) must not clear the draft and the outbox entry.
        for reply in [
            http(200, "<!doctype html><title>Welcome</title>"),
            http(200, ""),
            http(200, "{}"),
            http(201, r#"{"status":"bogus"}"#),
            http(200, r#"{"status":null}"#),
            http(202, "ok"),
            http(299, r#"{"status":"accepted""#),
        ] {
            let verdict = classify(&reply, NOW);
            assert!(is_retry(&verdict), "{reply:?} gave {verdict:?}");
        }
        let Verdict::Retry { detail, .. } = classify(&http(200, "<html>"), NOW) else {
            unreachable!()
        };
        assert!(
            detail.contains("HTTP 200") && detail.contains("<html>"),
            "{detail}"
        );
    }

    #[test]
    fn validation_replies_carry_their_fields() {
        let body = r#"{"errors":[{"field":"data.story","code":"too_short"},{"field":"data.x"}]}"#;
        for status in [400, 422] {
            let Verdict::Refused { fields, .. } = classify(&http(status, body), NOW) else {
                panic!("{status} is final");
            };
            assert_eq!(fields.len(), 2);
            assert_eq!(fields[0].field, "data.story");
            assert_eq!(fields[0].code, "too_short");
            assert_eq!(fields[1].code, "");
        }
        // A body that is not the documented shape still refuses, with no fields.
        assert_eq!(
            classify(&http(422, "<html>nope</html>"), NOW),
            Verdict::Refused {
                fields: vec![],
                detail: "HTTP 422: <html>nope</html>".into()
            }
        );
    }

    #[test]
    fn other_4xx_are_final_but_408_and_429_are_retried() {
        for status in [401, 403, 404, 405, 409, 410, 413, 415, 451, 499] {
            assert!(is_refused(&classify(&http(status, ""), NOW)), "{status}");
        }
        assert!(is_retry(&classify(&http(408, ""), NOW)));
        assert!(is_retry(&classify(&http(429, ""), NOW)));
    }

    #[test]
    fn server_errors_and_no_answer_are_retried() {
        for status in [500, 502, 503, 504, 599, 0, 101, 302] {
            assert!(is_retry(&classify(&http(status, ""), NOW)), "{status}");
        }
        for why in [NoAnswer::Offline, NoAnswer::Timeout, NoAnswer::Network] {
            assert!(is_retry(&classify(&Reply::NoAnswer(why), NOW)));
        }
    }

    #[test]
    fn retry_after_is_honoured_on_429_and_503_only() {
        let reply = |status: u16, value: &str| Reply::Http {
            status,
            retry_after: Some(value.into()),
            body: String::new(),
        };
        let wait = |verdict: Verdict| match verdict {
            Verdict::Retry { after_ms, .. } => after_ms,
            other => panic!("{other:?}"),
        };
        assert_eq!(wait(classify(&reply(429, "2"), NOW)), Some(2_000));
        assert_eq!(wait(classify(&reply(503, "120"), NOW)), Some(120_000));
        assert_eq!(
            wait(classify(&reply(503, "Tue, 24 Nov 2026 09:30:30 GMT"), NOW)),
            Some(30_000)
        );
        assert_eq!(wait(classify(&reply(500, "5"), NOW)), None);
        assert_eq!(wait(classify(&reply(429, "soon"), NOW)), None);
    }

    #[test]
    fn retry_after_in_seconds() {
        assert_eq!(parse_retry_after("0", NOW), Some(0));
        assert_eq!(parse_retry_after(" 2 ", NOW), Some(2_000));
        assert_eq!(parse_retry_after("86400", NOW), Some(MAX_RETRY_AFTER_MS));
        assert_eq!(
            parse_retry_after("99999999999999999999999", NOW),
            Some(MAX_RETRY_AFTER_MS)
        );
        assert_eq!(parse_retry_after("-1", NOW), None);
        assert_eq!(parse_retry_after("1.5", NOW), None);
        assert_eq!(parse_retry_after("", NOW), None);
    }

    #[test]
    fn retry_after_as_an_http_date() {
        assert_eq!(
            parse_retry_after("Tue, 24 Nov 2026 09:31:00 GMT", NOW),
            Some(60_000)
        );
        // In the past: try now.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", NOW),
            Some(0)
        );
        // Far future: capped.
        assert_eq!(
            parse_retry_after("Fri, 01 Jan 2100 00:00:00 GMT", NOW),
            Some(MAX_RETRY_AFTER_MS)
        );
        for bad in [
            "Tue, 24 Nov 2026 09:31:00 UTC",
            "Tue, 24 Foo 2026 09:31:00 GMT",
            "Tue, 32 Nov 2026 09:31:00 GMT",
            "Tue, 24 Nov 2026 25:31:00 GMT",
            "Tue 24 Nov 2026 09:31:00 GMT",
            "2026-11-24T09:31:00Z",
        ] {
            assert_eq!(parse_retry_after(bad, NOW), None, "{bad}");
        }
    }

    #[test]
    fn the_http_date_clock_matches_unix_time() {
        assert_eq!(http_date_ms("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777_000)
        );
        assert_eq!(http_date_ms("Tue, 24 Nov 2026 09:30:00 GMT"), Some(NOW));
        assert_eq!(
            http_date_ms("Tue, 29 Feb 2028 00:00:00 GMT"),
            Some(1_835_395_200_000)
        );
    }

    #[test]
    fn backoff_windows_double_up_to_the_cap() {
        assert_eq!(backoff_ms(1, 0.999_999), 999);
        assert_eq!(backoff_ms(2, 0.999_999), 1_999);
        assert_eq!(backoff_ms(3, 0.5), 2_000);
        assert_eq!(backoff_ms(7, 0.999_999), 59_999);
        assert_eq!(backoff_ms(1000, 0.999_999), 59_999);
    }

    #[test]
    fn backoff_stays_within_bounds_for_any_random_input() {
        for failures in 0..40 {
            for random in [
                0.0,
                1e-9,
                0.25,
                0.5,
                0.75,
                0.999_999,
                1.0,
                -3.0,
                7.0,
                f64::NAN,
            ] {
                let wait = backoff_ms(failures, random);
                assert!(wait <= BACKOFF_CAP_MS, "{failures} {random} {wait}");
            }
        }
        assert_eq!(backoff_ms(5, 0.0), 0);
    }

    #[test]
    fn the_endpoints_wait_wins_over_the_backoff() {
        assert_eq!(next_wait_ms(Some(2_000), 9, 0.9), 2_000);
        assert_eq!(next_wait_ms(None, 1, 0.5), 500);
    }
}
