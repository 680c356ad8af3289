//! Each error enum lists every code it can return, so the server's catalogue of codes can be
//! checked against the lists. A sample of every variant: the `variant` functions are
//! exhaustive matches, so a new variant does not compile until it has a sample here.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use chrono::NaiveDate;
use motcua_engine::calendar::CalendarError;
use motcua_engine::definition::{Channel, Position};
use motcua_engine::lifecycle::LifecycleError;
use motcua_engine::rules::{Limit, RuleError};
use motcua_engine::{Code, Refusal};
use std::collections::BTreeSet;

/// Every sample's variant is listed once, and each code it returns is in `codes`.
fn check<E>(
    samples: &[E],
    variant: impl Fn(&E) -> usize,
    variants: usize,
    code: impl Fn(&E) -> &'static str,
    codes: &[&str],
) {
    let seen: BTreeSet<usize> = samples.iter().map(&variant).collect();
    assert_eq!(seen.len(), variants, "a variant has no sample");
    for sample in samples {
        assert!(codes.contains(&code(sample)), "`{}` is not listed", code(sample));
    }
    let distinct: BTreeSet<&&str> = codes.iter().collect();
    assert_eq!(distinct.len(), codes.len(), "a code is listed twice");
}

fn message() -> String {
    "x".to_owned()
}

#[test]
fn refusals_are_listed() {
    let samples = [
        Refusal::ChannelRefused { channel: Channel::Postal, message: message() },
        Refusal::NotInForce { message: message() },
        Refusal::UnknownForm { form: message(), message: message() },
        Refusal::MissingForm { form: message(), message: message() },
        Refusal::InvalidField { pointer: message(), keyword: message(), message: message() },
        Refusal::MissingDocument { document: message(), message: message() },
        Refusal::UnknownDocument { document: message(), message: message() },
        Refusal::Ineligible { message: message() },
    ];
    let variant = |r: &Refusal| match r {
        Refusal::ChannelRefused { .. } => 0,
        Refusal::NotInForce { .. } => 1,
        Refusal::UnknownForm { .. } => 2,
        Refusal::MissingForm { .. } => 3,
        Refusal::InvalidField { .. } => 4,
        Refusal::MissingDocument { .. } => 5,
        Refusal::UnknownDocument { .. } => 6,
        Refusal::Ineligible { .. } => 7,
    };
    check(&samples, variant, 8, Refusal::code, &Refusal::CODES);
    assert_eq!(Refusal::CODES.len(), 8);
}

fn out_of_range() -> CalendarError {
    let day = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    CalendarError::OutOfRange { value: message(), min: day, max: day }
}

#[test]
fn lifecycle_refusals_are_listed() {
    let samples = [
        LifecycleError::WrongState { action: "forward", state: "received" },
        LifecycleError::WrongActor { action: "forward", expected: message(), actor: message() },
        LifecycleError::ApologyRequired { due: message() },
        LifecycleError::AlreadyApologized(message()),
        LifecycleError::SupplementAlreadyRequested,
        LifecycleError::NewDueNotLater { new_due: message(), due: message() },
        LifecycleError::MissingReasons("refuse"),
        LifecycleError::BadIntake(message()),
    ];
    let variant = |e: &LifecycleError| match e {
        LifecycleError::WrongState { .. } => 0,
        LifecycleError::WrongActor { .. } => 1,
        LifecycleError::ApologyRequired { .. } => 2,
        LifecycleError::AlreadyApologized(_) => 3,
        LifecycleError::SupplementAlreadyRequested => 4,
        LifecycleError::NewDueNotLater { .. } => 5,
        LifecycleError::MissingReasons(_) => 6,
        LifecycleError::BadIntake(_) => 7,
        LifecycleError::Calendar(_) => 8,
    };
    check(&samples, |e| variant(e), 8, LifecycleError::code, &LifecycleError::CODES);
    // A calendar failure carries the calendar's own code.
    let calendar = LifecycleError::Calendar(out_of_range());
    assert_eq!(variant(&calendar), 8);
    assert!(CalendarError::CODES.contains(&calendar.code()));
}

#[test]
fn calendar_errors_are_listed() {
    let samples = [
        out_of_range(),
        CalendarError::NonexistentLunarDate { date: message() },
        CalendarError::InvalidWorkingDays { value: message(), max: 1 },
        CalendarError::InvalidWorkingHours { value: message(), max: 1 },
        CalendarError::InvalidOfficeHours { reason: message() },
        CalendarError::DecisionSyntax { file: message(), line: 1, column: 1, message: message() },
        CalendarError::InvalidDecision { file: message(), problems: Vec::new() },
        CalendarError::DuplicateDecisionYear { year: 2026, first: message(), second: message() },
    ];
    let variant = |e: &CalendarError| match e {
        CalendarError::OutOfRange { .. } => 0,
        CalendarError::NonexistentLunarDate { .. } => 1,
        CalendarError::InvalidWorkingDays { .. } => 2,
        CalendarError::InvalidWorkingHours { .. } => 3,
        CalendarError::InvalidOfficeHours { .. } => 4,
        CalendarError::DecisionSyntax { .. } => 5,
        CalendarError::InvalidDecision { .. } => 6,
        CalendarError::DuplicateDecisionYear { .. } => 7,
    };
    check(&samples, variant, 8, CalendarError::code, &CalendarError::CODES);
}

#[test]
fn rule_errors_are_listed() {
    let at = Position { line: 1, column: 1 };
    let samples = [
        RuleError::Limit { pointer: message(), at, limit: Limit::Operations },
        RuleError::Runtime { pointer: message(), at, message: message() },
        RuleError::Type { pointer: message(), at, found: message(), expected: "bool" },
    ];
    let variant = |e: &RuleError| match e {
        RuleError::Limit { .. } => 0,
        RuleError::Runtime { .. } => 1,
        RuleError::Type { .. } => 2,
    };
    check(&samples, variant, 3, RuleError::code, &RuleError::CODES);
}

#[test]
fn diagnostics_are_listed() {
    let codes: BTreeSet<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(codes.len(), Code::ALL.len(), "a diagnostic is listed twice");
}

#[test]
fn state_lists_agree_with_the_states() {
    use motcua_engine::lifecycle::State;
    let samples = [
        State::Submitted,
        State::AwaitingSupplementBeforeReceipt,
        State::Refused,
        State::Processing { step: 0 },
        State::Paused { step: 0 },
        State::Decided { step: None },
        State::Returned,
        State::Withdrawn,
        State::Stopped,
    ];
    let names: Vec<&str> = samples.iter().map(State::name).collect();
    assert_eq!(names, State::NAMES);
    for state in &samples {
        assert_eq!(state.is_final(), State::FINAL.contains(&state.name()), "{}", state.name());
    }
    assert!(State::CLOCK_RUNNING.iter().all(|s| State::NAMES.contains(s) && !State::FINAL.contains(s)));
}

#[test]
fn the_agency_pattern_is_the_parser() {
    use motcua_engine::codes::{AGENCY_CODE_PATTERN, AgencyCode, MAX_AGENCY_CODE_LEN};
    // The pattern as an API schema states it, checked by a JSON Schema validator.
    let schema =
        serde_json::json!({"type": "string", "pattern": AGENCY_CODE_PATTERN, "maxLength": MAX_AGENCY_CODE_LEN});
    let validator = jsonschema::validator_for(&schema).expect("schema");
    let long = "G".repeat(MAX_AGENCY_CODE_LEN + 1);
    for s in ["G22", "G22.26.01", "G22..26", ".G22", "G22.", "g22", "G22-26", "000.00.00.H21", "G22\n", "", &long] {
        assert_eq!(validator.is_valid(&serde_json::json!(s)), s.parse::<AgencyCode>().is_ok(), "{s:?}");
    }
}

#[test]
fn the_procedure_pattern_is_the_parser() {
    use motcua_engine::codes::{PROCEDURE_CODE_PATTERN, ProcedureCode};
    let validator =
        jsonschema::validator_for(&serde_json::json!({"type": "string", "pattern": PROCEDURE_CODE_PATTERN}))
            .expect("schema");
    let long = format!("1.004227.{}", "9".repeat(41));
    for s in [
        "1.004227",
        "1.004227.G22",
        "1.004227.G22.01",
        "1.004227.",
        "1.00422",
        "10.004227",
        "1.004227G",
        "2.000001.A.B.",
        &long,
    ] {
        assert_eq!(validator.is_valid(&serde_json::json!(s)), s.parse::<ProcedureCode>().is_ok(), "{s:?}");
    }
}
