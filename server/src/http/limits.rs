//! Token buckets per client IP and per site (governor's keyed GCRA limiters).
//!
//! They live in the process: with several instances behind a load balancer each instance
//! counts on its own, so the effective limit is the configured one times the number of
//! instances (the README says so). That keeps the hot path free of a database round trip.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// The two limiters.
pub struct Limits {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_site: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

/// `per_minute` sustained, with bursts of a third of it (at least one).
fn quota(per_minute: u32) -> Quota {
    let rate = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new((per_minute / 3).max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(rate).allow_burst(burst)
}

impl Limits {
    pub fn new(ip_per_minute: u32, site_per_minute: u32) -> Limits {
        Limits {
            per_ip: RateLimiter::keyed(quota(ip_per_minute)),
            per_site: RateLimiter::keyed(quota(site_per_minute)),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one token from the IP's bucket and one from the site's; when either is empty,
    /// how long until it has one again.
    pub fn check(&self, ip: IpAddr, site_id: &str) -> Result<(), Duration> {
        let now = self.clock.now();
        self.per_ip
            .check_key(&ip)
            .map_err(|wait| wait.wait_time_from(now))?;
        self.per_site
            .check_key(&site_id.to_owned())
            .map_err(|wait| wait.wait_time_from(now))?;
        Ok(())
    }

    /// Forgets buckets that are full again, so memory stays bounded by recent clients.
    pub fn forget_idle(&self) {
        self.per_ip.retain_recent();
        self.per_site.retain_recent();
    }
}
