//! Per-address and per-network limits on newsletter sign-ups (list-bombing): a client over
//! `newsletter_per_ip_hour` sign-ups an hour, or a /24 (/48) network over
//! `newsletter_per_net_hour`, is answered exactly as anyone else and its sign-up stored as
//! `limited`: no email goes out. Token buckets in the process, like `http::limits`.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::OnceLock;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

struct Buckets {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_net: DefaultKeyedRateLimiter<String>,
}

fn hourly(per_hour: u32) -> Quota {
    let n = NonZeroU32::new(per_hour.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::per_hour(n).allow_burst(n)
}

static BUCKETS: OnceLock<Buckets> = OnceLock::new();

/// Takes one sign-up from the client's bucket and its network's; `false` when either is empty.
pub fn allow(ip: IpAddr, per_ip_hour: u32, per_net_hour: u32) -> bool {
    let buckets = BUCKETS.get_or_init(|| Buckets {
        per_ip: RateLimiter::keyed(hourly(per_ip_hour)),
        per_net: RateLimiter::keyed(hourly(per_net_hour)),
    });
    let ip_ok = buckets.per_ip.check_key(&ip).is_ok();
    let net_ok = buckets.per_net.check_key(&super::ip_prefix(ip)).is_ok();
    ip_ok && net_ok
}

/// Forgets buckets that are full again.
pub fn forget_idle() {
    if let Some(buckets) = BUCKETS.get() {
        buckets.per_ip.retain_recent();
        buckets.per_net.retain_recent();
    }
}
