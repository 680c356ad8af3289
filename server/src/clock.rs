//! The server's clock: the system clock in production, a settable one in tests (a late
//! dossier needs days to pass).

use chrono::{DateTime, Duration, FixedOffset, SubsecRound, Utc};
use motcua_engine::calendar::VIETNAM_OFFSET;
use std::sync::{Arc, Mutex, PoisonError};

/// Where handlers read the time from.
pub trait Clock: Send + Sync {
    /// Now, in UTC+7.
    fn now(&self) -> DateTime<FixedOffset>;
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    /// Whole seconds: receipts and audit rows state times to the second.
    fn now(&self) -> DateTime<FixedOffset> {
        Utc::now().trunc_subsecs(0).with_timezone(&VIETNAM_OFFSET)
    }
}

/// A clock that stands still until moved.
#[derive(Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<FixedOffset>>>);

impl ManualClock {
    /// A clock showing `at`.
    pub fn new(at: DateTime<FixedOffset>) -> Self {
        ManualClock(Arc::new(Mutex::new(at)))
    }

    /// Sets the time.
    pub fn set(&self, at: DateTime<FixedOffset>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = at;
    }

    /// Moves the time forward.
    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<FixedOffset> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).with_timezone(&VIETNAM_OFFSET)
    }
}

/// The clock as handlers receive it.
pub type SharedClock = Arc<dyn Clock>;
