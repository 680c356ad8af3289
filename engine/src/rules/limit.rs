//! What stops a rule: the sandbox's fixed limits, and a time budget the caller brings.
//!
//! The operation limit is deterministic but is not a time bound: one operation may compare
//! two 2,000-entry maps (about 0.4 ms), so 50,000 of them run for seconds (measured: 4.9 s).
//! A wall-time budget stops those. Time is a parameter of the engine, which never reads a
//! clock: the caller lends it a monotonic clock, and the limit is the caller's policy.

use super::sandbox::{MAX_ARRAY_SIZE, MAX_CALL_LEVELS, MAX_OPERATIONS, MAX_STRING_SIZE, MAX_VARIABLES};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Which limit stopped a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// More than [`MAX_OPERATIONS`] operations in one rule.
    Operations,
    /// The evaluation's rules ran longer than the caller's budget.
    Time {
        /// The budget, in milliseconds.
        millis: u64,
    },
    /// A string longer than [`MAX_STRING_SIZE`] bytes.
    StringSize,
    /// An array or map with more than [`MAX_ARRAY_SIZE`] items.
    CollectionSize,
    /// Function calls nested deeper than the sandbox allows.
    CallDepth,
    /// More variables alive at once than the sandbox allows.
    Variables,
}

impl Limit {
    /// Stable name, for an API body: `operations`, `time`, `string_size`, `collection_size`,
    /// `call_depth`, `variables`.
    pub fn name(self) -> &'static str {
        match self {
            Limit::Operations => "operations",
            Limit::Time { .. } => "time",
            Limit::StringSize => "string_size",
            Limit::CollectionSize => "collection_size",
            Limit::CallDepth => "call_depth",
            Limit::Variables => "variables",
        }
    }

    /// The limit's value, in [`Limit::unit`]s.
    pub fn max(self) -> u64 {
        let size = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        match self {
            Limit::Operations => MAX_OPERATIONS,
            Limit::Time { millis } => millis,
            Limit::StringSize => size(MAX_STRING_SIZE),
            Limit::CollectionSize => size(MAX_ARRAY_SIZE),
            Limit::CallDepth => size(MAX_CALL_LEVELS),
            Limit::Variables => size(MAX_VARIABLES),
        }
    }

    /// What [`Limit::max`] counts.
    pub fn unit(self) -> &'static str {
        match self {
            Limit::Operations => "operations",
            Limit::Time { .. } => "ms",
            Limit::StringSize => "bytes",
            Limit::CollectionSize => "items",
            Limit::CallDepth => "nested calls",
            Limit::Variables => "variables",
        }
    }

    /// How a definition's author avoids it.
    pub fn help(self) -> &'static str {
        match self {
            Limit::Operations | Limit::Time { .. } => {
                "bound every loop by the submitted data, e.g. `for member in form.x.members`; never loop until a value appears"
            }
            Limit::StringSize | Limit::CollectionSize => "build strings and lists no larger than the submitted data",
            Limit::CallDepth => "replace recursion by a loop over the data",
            Limit::Variables => "declare fewer variables",
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Operations => write!(f, "more than {MAX_OPERATIONS} operations"),
            Limit::Time { millis } => write!(f, "over its time budget of {millis} ms"),
            Limit::StringSize => write!(f, "a string over {MAX_STRING_SIZE} bytes"),
            Limit::CollectionSize => write!(f, "an array or map over {MAX_ARRAY_SIZE} items"),
            Limit::CallDepth => write!(f, "function calls nested deeper than {MAX_CALL_LEVELS}"),
            Limit::Variables => write!(f, "more than {MAX_VARIABLES} variables"),
        }
    }
}

/// A monotonic clock lent by the caller: the time elapsed since any fixed point.
pub type Monotonic = Arc<dyn Fn() -> Duration + Send + Sync>;

/// Wall time the rules of one evaluation may take together, on top of the sandbox limits.
/// One budget serves many evaluations: each measures its own span from its start.
#[derive(Clone)]
pub struct TimeBudget {
    limit: Duration,
    clock: Monotonic,
}

impl fmt::Debug for TimeBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimeBudget").field("limit", &self.limit).finish_non_exhaustive()
    }
}

impl TimeBudget {
    /// `limit` of wall time per evaluation, measured with `clock`.
    pub fn new(limit: Duration, clock: Monotonic) -> Self {
        TimeBudget { limit, clock }
    }

    /// The limit.
    pub fn limit(&self) -> Duration {
        self.limit
    }

    /// Starts timing one evaluation.
    pub(crate) fn start(&self) -> Stopwatch {
        Stopwatch { started: (self.clock)(), limit: self.limit, clock: Arc::clone(&self.clock) }
    }
}

/// One evaluation's running time against its budget.
pub(crate) struct Stopwatch {
    started: Duration,
    limit: Duration,
    clock: Monotonic,
}

impl Stopwatch {
    /// Whether the budget is spent.
    pub(crate) fn expired(&self) -> bool {
        (self.clock)().saturating_sub(self.started) > self.limit
    }

    /// The budget in whole milliseconds (at least 1), for the error.
    pub(crate) fn millis(&self) -> u64 {
        u64::try_from(self.limit.as_millis()).unwrap_or(u64::MAX).max(1)
    }
}
