//! Running a definition's scenario tests (`examples:`): input → expected outcome.

use crate::evaluate::{Evaluation, Input, Refusal, evaluate};
use crate::procedure::Procedure;
use chrono::DateTime;
use serde::Serialize;

/// The result of one example.
#[derive(Debug, Clone, Serialize)]
pub struct ExampleOutcome {
    /// The example's name.
    pub name: String,
    /// The line the example starts on.
    pub line: u32,
    /// What did not match; empty when the example passes.
    pub failures: Vec<String>,
}

impl ExampleOutcome {
    /// Whether the example passed.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Runs every example of a procedure.
pub fn run_examples(procedure: &Procedure) -> Vec<ExampleOutcome> {
    procedure
        .examples
        .iter()
        .map(|(example, line)| {
            let mut failures = Vec::new();
            match DateTime::parse_from_rfc3339(&example.received_at) {
                Err(_) => failures.push(format!("`received_at` `{}` is not an RFC 3339 time", example.received_at)),
                Ok(received_at) => {
                    let form = serde_json::Value::Object(example.form.clone());
                    match evaluate(
                        procedure,
                        Input { channel: example.channel, form: &form, documents: &example.documents, received_at },
                    ) {
                        Err(error) => failures.push(format!("evaluation failed: {error}")),
                        Ok(outcome) => failures = expectation_failures(&example.expect, &outcome),
                    }
                }
            }
            ExampleOutcome { name: example.name.clone(), line: *line, failures }
        })
        .collect()
}

/// What of `expect` the `outcome` does not match, one line each; empty when it matches.
pub fn expectation_failures(expect: &crate::definition::spec::ExpectSpec, outcome: &Evaluation) -> Vec<String> {
    let mut failures = Vec::new();
    compare(expect, outcome, &mut failures);
    failures
}

fn compare(expect: &crate::definition::spec::ExpectSpec, outcome: &Evaluation, failures: &mut Vec<String>) {
    match outcome {
        Evaluation::Accepted(intake) => {
            if !expect.accepted {
                failures.push(format!(
                    "expected a refusal, got accepted (fee {}, due {})",
                    intake.fee,
                    intake.due.to_rfc3339()
                ));
                return;
            }
            if let Some(fee) = expect.fee
                && fee != intake.fee
            {
                failures.push(format!("fee: expected {fee}, got {}", intake.fee));
            }
            if let Some(due) = &expect.due {
                match DateTime::parse_from_rfc3339(due) {
                    Ok(expected) if expected == intake.due => {}
                    Ok(_) => failures.push(format!("due: expected {due}, got {}", intake.due.to_rfc3339())),
                    Err(_) => failures.push(format!("expected `due` `{due}` is not an RFC 3339 time")),
                }
            }
        }
        Evaluation::Refused { reasons } => {
            if expect.accepted {
                let got: Vec<String> = reasons.iter().map(describe).collect();
                failures.push(format!("expected accepted, got refused: {}", got.join("; ")));
                return;
            }
            let expected = expect.reasons.as_deref().unwrap_or_default();
            let matches = |e: &String, r: &Refusal| e == r.code() || e == r.message();
            for reason in reasons {
                if !expected.is_empty() && !expected.iter().any(|e| matches(e, reason)) {
                    failures.push(format!("unexpected reason: {}", describe(reason)));
                }
            }
            for e in expected {
                if !reasons.iter().any(|r| matches(e, r)) {
                    failures.push(format!("expected reason `{e}` was not given"));
                }
            }
        }
    }
}

fn describe(reason: &Refusal) -> String {
    format!("{} ({})", reason.code(), reason.message())
}
