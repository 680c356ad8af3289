//! Rules written in rhai: compiled once per published version, run in a sandbox.

mod helpers;
mod rule;
mod sandbox;

pub use rule::{Rule, RuleError, RuleInput, RuleKind, RuleSite, ScalarStyle};
pub use sandbox::{MAX_ARRAY_SIZE, MAX_OPERATIONS, MAX_STRING_SIZE, sandboxed_engine};
