//! The rhai engine rules run in: no modules, no `eval`, no I/O, bounded everywhere.

use crate::calendar::Calendar;
use rhai::Engine;

/// Operations one rule may run before it is stopped. A realistic eligibility rule needs a few
/// hundred; this leaves room for loops over a list of household members while cutting a
/// runaway loop within about a millisecond.
pub const MAX_OPERATIONS: u64 = 50_000;
/// Longest string a rule may build, in bytes.
pub const MAX_STRING_SIZE: usize = 16 * 1024;
/// Largest array or map a rule may build.
pub const MAX_ARRAY_SIZE: usize = 2_000;
/// Nested function calls.
const MAX_CALL_LEVELS: usize = 16;
/// Expression nesting at top level and inside functions.
const MAX_EXPR_DEPTH: (usize, usize) = (64, 32);
/// Variables alive at once.
const MAX_VARIABLES: usize = 256;
/// Functions a rule may define.
const MAX_FUNCTIONS: usize = 32;

/// Builds the engine every rule compiles and runs on. `strict_variables` makes a misspelt
/// variable a compile error instead of a runtime surprise; the names a rule may use are the
/// ones `RuleInput` puts in scope.
pub fn sandboxed_engine(calendar: &Calendar) -> Engine {
    let mut engine = Engine::new();
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
    super::helpers::register(&mut engine, calendar.clone());
    engine
}
