//! Rules written in rhai: compiled once per published version, run in a sandbox.

mod helpers;
mod limit;
mod rule;
mod sandbox;

pub use helpers::HELPERS;
pub use limit::{Limit, Monotonic, TimeBudget};
pub use rule::{Rule, RuleError, RuleInput, RuleKind, RuleSite, ScalarStyle};
pub use sandbox::{MAX_ARRAY_SIZE, MAX_OPERATIONS, MAX_STRING_SIZE, Sandbox, sandboxed_engine};
