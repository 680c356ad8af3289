//! The rhai engine rules run in: no modules, no `eval`, no I/O, bounded everywhere.

use super::limit::TimeBudget;
use crate::calendar::Calendar;
use rhai::packages::{Package, StandardPackage};
use rhai::{Dynamic, Engine, INT, Module, Shared};

/// Operations one rule may run before it is stopped. A realistic eligibility rule needs a few
/// hundred; this leaves room for loops over a list of household members. It bounds work, not
/// time: see [`super::TimeBudget`].
pub const MAX_OPERATIONS: u64 = 50_000;
/// Longest string a rule may build, in bytes.
pub const MAX_STRING_SIZE: usize = 16 * 1024;
/// Largest array or map a rule may build.
pub const MAX_ARRAY_SIZE: usize = 2_000;
/// Nested function calls.
pub const MAX_CALL_LEVELS: usize = 16;
/// Expression nesting at top level and inside functions.
const MAX_EXPR_DEPTH: (usize, usize) = (64, 32);
/// Variables alive at once.
pub const MAX_VARIABLES: usize = 256;
/// Functions a rule may define.
const MAX_FUNCTIONS: usize = 32;
/// Operations between two readings of the caller's clock. A reading costs about as much as a
/// cheap operation, so not every one (a normal evaluation then pays about 0.4 µs for its
/// budget); the costliest operation on data a rule builds (comparing two 2,000-entry maps)
/// takes about 0.4 ms, so a budget is overrun by under 2 ms (bench: 20.0–20.5 ms for 20 ms).
const CLOCK_EVERY: u64 = 4;

/// The functions rules may call, built once. An engine made from them per evaluation costs
/// nothing measurable (the land-change evaluation bench: 3.9 µs with a shared engine and
/// with its own), and lets each evaluation carry its own time budget: rhai's progress
/// callback belongs to the engine, not to one run.
#[derive(Clone)]
pub struct Sandbox {
    standard: Shared<Module>,
    helpers: Shared<Module>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").finish_non_exhaustive()
    }
}

impl Sandbox {
    /// The standard library and the helpers over `calendar`.
    pub fn new(calendar: &Calendar) -> Self {
        Sandbox { standard: StandardPackage::new().as_shared_module(), helpers: super::helpers::module(calendar) }
    }

    /// An engine with the sandbox limits only (compiling, and runs without a time budget).
    pub fn engine(&self) -> Engine {
        self.engine_within(None)
    }

    /// An engine with the sandbox limits that also stops a rule once `budget` is spent. The
    /// token of the stop is the budget in milliseconds, for the error.
    pub fn engine_within(&self, budget: Option<&TimeBudget>) -> Engine {
        let mut engine = Engine::new_raw();
        engine.register_global_module(Shared::clone(&self.standard));
        // Registered last, so they shadow the standard functions they bound (`replace`).
        engine.register_global_module(Shared::clone(&self.helpers));
        engine
            .set_max_operations(MAX_OPERATIONS)
            .set_max_call_levels(MAX_CALL_LEVELS)
            .set_max_expr_depths(MAX_EXPR_DEPTH.0, MAX_EXPR_DEPTH.1)
            .set_max_string_size(MAX_STRING_SIZE)
            .set_max_array_size(MAX_ARRAY_SIZE)
            .set_max_map_size(MAX_ARRAY_SIZE)
            .set_max_variables(MAX_VARIABLES)
            .set_max_functions(MAX_FUNCTIONS)
            .set_strict_variables(true);
        // `eval` would run text that was never compiled (nor checked) at publication.
        engine.disable_symbol("eval");
        // Rules have no console: output would go to the server's stdout.
        engine.on_print(|_| {});
        engine.on_debug(|_, _, _| {});
        if let Some(budget) = budget {
            let stopwatch = budget.start();
            let millis = INT::try_from(stopwatch.millis()).unwrap_or(INT::MAX);
            engine.on_progress(move |operations| {
                (operations % CLOCK_EVERY == 0 && stopwatch.expired()).then(|| Dynamic::from_int(millis))
            });
        }
        engine
    }
}

/// The engine rules compile and run on, without a time budget.
pub fn sandboxed_engine(calendar: &Calendar) -> Engine {
    Sandbox::new(calendar).engine()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::Position;
    use crate::rules::{Limit, Rule, RuleError, RuleInput, RuleKind, RuleSite, ScalarStyle};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Duration;

    fn run(text: &str, budget: Option<&TimeBudget>) -> Result<Vec<String>, RuleError> {
        let sandbox = Sandbox::new(&Calendar::vietnam().unwrap());
        let site = RuleSite {
            pointer: "/eligibility".to_owned(),
            at: Position { line: 1, column: 1 },
            style: ScalarStyle::Plain,
        };
        let rule = Rule::compile(&sandbox.engine(), RuleKind::Eligibility, text, site).unwrap();
        let mut input = RuleInput::new(&serde_json::json!({}), "online", "2026-03-02", &[]);
        rule.reasons(&sandbox.engine_within(budget), &mut input)
    }

    /// A clock that moves one millisecond each time it is read.
    fn ticking() -> TimeBudget {
        let readings = Arc::new(AtomicU64::new(0));
        TimeBudget::new(
            Duration::from_millis(10),
            Arc::new(move || Duration::from_millis(readings.fetch_add(1, Ordering::Relaxed))),
        )
    }

    fn limit(result: Result<Vec<String>, RuleError>) -> Limit {
        match result {
            Err(RuleError::Limit { limit, .. }) => limit,
            other => panic!("expected a limit, got {other:?}"),
        }
    }

    #[test]
    fn the_time_budget_stops_a_rule_the_operation_limit_would_let_run() {
        assert_eq!(limit(run("loop { }", Some(&ticking()))), Limit::Time { millis: 10 });
        assert_eq!(limit(run("loop { }", None)), Limit::Operations);
    }

    #[test]
    fn a_rule_within_its_budget_is_not_stopped() {
        let reasons = run(r#"let r = []; for i in 0..3 { r.push(`${i}`); } r"#, Some(&ticking())).unwrap();
        assert_eq!(reasons, ["0", "1", "2"]);
    }

    #[test]
    fn each_limit_is_named() {
        assert_eq!(limit(run(r#"let s = "a"; loop { s += s; }"#, None)), Limit::StringSize);
        assert_eq!(limit(run("let a = [1]; loop { a += a; }", None)), Limit::CollectionSize);
        assert_eq!(limit(run("fn f(x) { f(x + 1) } f(0); []", None)), Limit::CallDepth);
        let replaced = r#"let s = "x"; while s.len() < 8000 { s += s; } s.replace("x", s); []"#;
        assert_eq!(limit(run(replaced, None)), Limit::StringSize);
    }
}
