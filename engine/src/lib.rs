//! motcua engine: procedure definitions, rhai rules, the Vietnamese working-day calendar and
//! the dossier lifecycle. Pure: no HTTP, no database, no clock (time is always a parameter).

pub mod calendar;
pub mod codes;
pub mod compile;
pub mod definition;
pub mod diagnostic;
pub mod evaluate;
pub mod procedure;
pub mod rules;

pub use compile::{Compilation, CompileContext, compile};
pub use diagnostic::{Code, Diagnostic};
pub use evaluate::{Evaluation, Input, Refusal, evaluate, evaluate_within};
pub use procedure::Procedure;
pub mod dossier_code;
pub mod examples;
pub mod files;
pub mod legal;
pub mod lifecycle;
