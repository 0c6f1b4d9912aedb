//! The newsletter's double opt-in (docs/contract.md, "Newsletter sign-ups").
//!
//! The path of a sign-up: `http::submissions` stores the envelope (with the sign-up's address
//! truncated to /24 or /48, [`ip_prefix`]) and, unless it looks automated or its network is over
//! the [`limits`], enqueues a `newsletter_signup` job in the same transaction. The reply is
//! `202 {"status":"pending_confirmation"}` whatever the address's state: the browser learns nothing
//! about it. The job (`notify::newsletter`) applies the sign-up (one subscription per list,
//! `store::newsletter`) and, under the caps, emails either a confirmation link or, to an address
//! already confirmed on every list, a "you're already subscribed" note. Both carry
//! `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058). The links ([`tokens`]) open pages
//! in `http::newsletter` whose buttons confirm or unsubscribe; a GET changes nothing.
//!
//! [`consent`] recovers the exact wording a visitor agreed to from its version and language, to
//! check it against the SHA-256 the widget sent.

pub mod consent;
pub mod limits;
pub mod listmonk;
pub mod tokens;

use std::net::IpAddr;

/// The sign-up's address as the consent record keeps it: the /24 of an IPv4 address, the /48 of
/// an IPv6 one (an IPv4-mapped IPv6 address counts as IPv4).
pub fn ip_prefix(ip: IpAddr) -> String {
    let ip = match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    };
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], 0, 0, 0, 0, 0);
            format!("{net}/48")
        }
    }
}

/// The path of the confirmation page.
pub const CONFIRM_PATH: &str = "/newsletter/confirm";
/// The path of the unsubscribe page and of the one-click POST.
pub const UNSUBSCRIBE_PATH: &str = "/newsletter/unsubscribe";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_kept_truncated() {
        assert_eq!(ip_prefix("203.0.113.77".parse().unwrap()), "203.0.113.0/24");
        assert_eq!(
            ip_prefix("2001:db8:1234:5678::9".parse().unwrap()),
            "2001:db8:1234::/48"
        );
        assert_eq!(
            ip_prefix("::ffff:198.51.100.9".parse().unwrap()),
            "198.51.100.0/24"
        );
    }
}
