//! Compiling a definition: YAML → schema check → semantic checks → rules and form schemas
//! compiled → examples dry-run, reporting every problem in one pass.

mod build;
pub mod catalogue;
pub mod forms;
mod plain_words;
mod references;
mod report;
mod scalar;
mod schema_check;
mod suggest;

pub use forms::{DirLoader, LoadError, MemoryLoader, SchemaLoader};
pub use schema_check::PROCEDURE_SCHEMA;

use crate::calendar::Calendar;
use crate::definition::spec::ProcedureSpec;
use crate::definition::{Node, Position};
use crate::diagnostic::{Code, Diagnostic};
use crate::evaluate::{EvaluationError, Input, evaluate_within};
use crate::procedure::Procedure;
use crate::rules::{RuleError, Sandbox, TimeBudget};
use report::Report;

/// What compiling needs besides the text: the calendar due times use, where form schemas
/// named by path are found, the rule sandbox, and the definition format's validator. Built
/// once and shared by every compilation.
pub struct CompileContext {
    calendar: Calendar,
    schemas: Box<dyn SchemaLoader>,
    sandbox: Sandbox,
    rules: rhai::Engine,
    format: jsonschema::Validator,
    examples_budget: Option<TimeBudget>,
}

impl CompileContext {
    /// A context over a calendar and a schema loader.
    pub fn new(calendar: Calendar, schemas: impl SchemaLoader + 'static) -> Self {
        let sandbox = Sandbox::new(&calendar);
        let rules = sandbox.engine();
        // The format schema is embedded and covered by tests: failing here is a build defect.
        #[allow(clippy::expect_used)]
        let format = schema_check::procedure_validator().expect("the embedded procedure.schema.json compiles");
        CompileContext { calendar, schemas: Box::new(schemas), sandbox, rules, format, examples_budget: None }
    }

    /// Runs the examples' dry run under `budget`, as submissions will be: a rule that runs
    /// too long on an example is refused at publication like one that loops.
    #[must_use]
    pub fn with_examples_budget(mut self, budget: TimeBudget) -> Self {
        self.examples_budget = Some(budget);
        self
    }

    /// The calendar procedures compiled here use.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }
}

/// The result of compiling one file.
#[derive(Debug)]
pub struct Compilation {
    /// The procedure, when there is no error (warnings allowed).
    pub procedure: Option<Procedure>,
    /// Every problem found, errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Compiles one definition. `file` names it in diagnostics.
pub fn compile(file: &str, text: &str, ctx: &CompileContext) -> Compilation {
    let mut report = Report::new(file);
    let root = match Node::parse(text) {
        Ok(root) => root,
        Err(error) => {
            let at = error.location().map_or(Position { line: 1, column: 1 }, |l| Position {
                line: u32::try_from(l.line()).unwrap_or(1).max(1),
                column: u32::try_from(l.column()).unwrap_or(1).max(1),
            });
            let message = first_line(&error.without_snippet().to_string());
            report.error_at(
                at,
                "",
                Code::YamlSyntax,
                format!("invalid YAML: {message}"),
                "check indentation and quoting around this line".to_owned(),
            );
            return finish(report, None);
        }
    };
    report.root = Some(&root);
    let mut document = root.to_json();
    let unknown_keys = schema_check::check(&ctx.format, &document, &mut report);
    // Reported already: without them the rest of the file is still checked, so that one run
    // reports a misspelt key and the mistakes after it too.
    for (pointer, key) in unknown_keys {
        if let Some(object) = document.pointer_mut(&pointer).and_then(serde_json::Value::as_object_mut) {
            object.remove(&key);
        }
    }
    // A definition that violates the format may still deserialise (a bad pattern, say):
    // then the semantic pass runs too, so one run reports everything it can.
    let procedure = match serde_json::from_value::<ProcedureSpec>(document) {
        Ok(spec) => build::Builder { ctx, text, report: &mut report }.build(spec),
        Err(_) => None,
    };
    let procedure = procedure.filter(|_| !report.has_errors());
    if let Some(procedure) = &procedure {
        dry_run_examples(procedure, ctx.examples_budget.as_ref(), &mut report);
    }
    let procedure = procedure.filter(|_| !report.has_errors());
    finish(report, procedure)
}

fn finish(mut report: Report<'_>, procedure: Option<Procedure>) -> Compilation {
    report.diagnostics.sort_by_key(|d| (d.line, d.column));
    Compilation { procedure, diagnostics: report.diagnostics }
}

fn first_line(message: &str) -> String {
    message.lines().find(|l| !l.trim().is_empty()).unwrap_or(message).trim().to_owned()
}

/// Runs every example once so that a rule that fails or runs away on realistic data is
/// refused at publication, located at the rule's line, instead of failing dossiers later; and
/// an example whose outcome is not the one it expects is an error too, so that what is
/// published is exactly what `motcua test` passes.
fn dry_run_examples(procedure: &Procedure, budget: Option<&TimeBudget>, report: &mut Report<'_>) {
    for (i, (example, _)) in procedure.examples.iter().enumerate() {
        let pointer = format!("/examples/{i}");
        // A document id the procedure does not list is a misspelling far more often than a
        // refusal the example means to show: said where it is written, with the id meant.
        for (j, id) in example.documents.iter().enumerate() {
            let known = procedure.documents.iter().map(|d| d.id.as_str());
            if procedure.documents.iter().all(|d| &d.id != id) {
                let ids: Vec<&str> = procedure.documents.iter().map(|d| d.id.as_str()).collect();
                report.error(
                    &format!("{pointer}/documents/{j}"),
                    Code::InvalidExample,
                    format!("example `{}` provides document `{id}`, which the procedure does not list", example.name),
                    format!("{}the documents are: {}", suggest::did_you_mean(id, known), ids.join(", ")),
                );
            }
        }
        let Ok(received_at) = chrono::DateTime::parse_from_rfc3339(&example.received_at) else {
            report.error(
                &format!("{pointer}/received_at"),
                Code::InvalidExample,
                format!("`{}` is not an RFC 3339 time", example.received_at),
                "write it like 2026-02-12T09:00:00+07:00".to_owned(),
            );
            continue;
        };
        let form = serde_json::Value::Object(example.form.clone());
        match evaluate_within(
            procedure,
            Input { channel: example.channel, form: &form, documents: &example.documents, received_at },
            budget,
        ) {
            Ok(outcome) => {
                for failure in crate::examples::expectation_failures(&example.expect, &outcome) {
                    report.error(
                        &format!("{pointer}/expect"),
                        Code::ExampleFailed,
                        format!("example `{}`: {failure}", example.name),
                        "correct the rule, or the expectation if the law says otherwise".to_owned(),
                    );
                }
            }
            Err(EvaluationError::Rule(error)) => {
                let code = match error {
                    RuleError::Limit { .. } => Code::RuleLimit,
                    RuleError::Runtime { .. } => Code::RuleRuntime,
                    RuleError::Type { .. } => Code::RuleType,
                };
                let mut help =
                    format!("found while running example `{}` (line {})", example.name, report.locate(&pointer).line);
                if let RuleError::Limit { limit, .. } = &error {
                    help = format!("{}; {help}", limit.help());
                }
                report.error_at(error.position(), &pointer, code, error.to_string(), help);
            }
            Err(EvaluationError::Calendar(error)) => {
                report.error(&format!("{pointer}/received_at"), Code::InvalidExample, error.to_string(), None);
            }
        }
    }
}
