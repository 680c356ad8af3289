//! Limits on the public tracking lookup, against guessing lookup keys; on sign-in attempts,
//! against guessing passwords; on the portal's public filing form, against flooding the desk.

use crate::error::{ApiError, ErrorCode};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Public lookups one address may make per window.
pub const LOOKUPS_PER_WINDOW: u32 = 30;
/// Checks and filings through the public form one address may make per window: one a second,
/// enough for a public kiosk or a cybercafé behind one address, not for a script flooding the
/// desk with dossiers.
pub const FILINGS_PER_WINDOW: u32 = 60;
/// Sign-in attempts one address may make per window: a mistyped password or two, not a
/// guessing run.
pub const SIGN_INS_PER_WINDOW: u32 = 10;
/// The window.
pub const LOOKUP_WINDOW: Duration = Duration::from_secs(60);
/// Addresses tracked at most; the table is emptied when full (an attacker cycling addresses
/// gets a fresh count, as it would from another instance anyway).
const MAX_ADDRESSES: usize = 100_000;

/// Fixed-window counters by client address, per instance.
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    counters: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter::new(LOOKUPS_PER_WINDOW, LOOKUP_WINDOW)
    }
}

impl RateLimiter {
    /// `limit` requests per `window` and address.
    pub fn new(limit: u32, window: Duration) -> Self {
        RateLimiter { limit, window, counters: Mutex::new(HashMap::new()) }
    }

    /// Counts one request; 429 `too_many_requests` past the limit, with the seconds to wait.
    pub fn check(&self, address: Option<IpAddr>) -> Result<(), ApiError> {
        let Some(address) = address else { return Ok(()) };
        let mut counters = self.counters.lock().unwrap_or_else(PoisonError::into_inner);
        if counters.len() >= MAX_ADDRESSES {
            counters.clear();
        }
        let now = Instant::now();
        let entry = counters.entry(address).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        if entry.1 > self.limit {
            let wait = self.window.saturating_sub(now.duration_since(entry.0)).as_secs().max(1);
            return Err(ApiError::new(
                ErrorCode::TooManyRequests,
                format!("too many lookups from this address; retry in {wait} s"),
            )
            .with("retry_after", serde_json::json!(wait)));
        }
        Ok(())
    }
}
