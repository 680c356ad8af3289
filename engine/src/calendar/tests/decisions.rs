use super::date;
use crate::calendar::decisions::EMBEDDED;
use crate::calendar::{Calendar, CalendarError, Decision, DecisionStatus, PeriodKind};

#[test]
fn the_shipped_files_parse() {
    for (name, text) in EMBEDDED {
        let decision = Decision::parse(name, text).unwrap();
        assert_eq!(format!("{}.yaml", decision.year), name);
        assert_eq!(decision.status, DecisionStatus::Announced);
        assert!(decision.periods.iter().any(|p| p.kind == PeriodKind::Tet), "{name}");
    }
    let d2026 = Decision::parse("2026.yaml", EMBEDDED[6].1).unwrap();
    assert_eq!(d2026.swaps[0].day_off, date(2026, 1, 2));
    assert_eq!(d2026.swaps[0].worked, date(2026, 1, 10));
}

#[test]
fn syntax_errors_carry_line_and_column() {
    let text = "year: 2027\nstatus: announced\nperiods:\n  - { kind: tet, name: \"Tết\", from: 2027-02-05, to: 2027-02-11, extra: 1 }\n";
    let err = Calendar::builder().decisions_yaml("2027.yaml", text).unwrap_err();
    let CalendarError::DecisionSyntax { file, line, column, message } = &err else { panic!("{err}") };
    assert_eq!((file.as_str(), *line), ("2027.yaml", 4));
    assert!(*column > 0);
    assert!(message.contains("extra"), "{message}");
    assert_eq!(err.code(), "decision_syntax");
    assert!(err.to_string().starts_with("invalid decision file `2027.yaml` at line 4, column"), "{err}");

    let missing = Decision::parse("2027.yaml", "year: 2027\n").unwrap_err();
    assert_eq!(missing.code(), "decision_syntax");
    let bad_kind = Decision::parse(
        "2027.yaml",
        "year: 2027\nstatus: announced\nperiods:\n  - { kind: holiday, name: x, from: 2027-01-01, to: 2027-01-01 }\n",
    )
    .unwrap_err();
    assert!(matches!(bad_kind, CalendarError::DecisionSyntax { line: 4, .. }), "{bad_kind}");
    let not_yaml = Decision::parse("2027.yaml", "year: [2027\n").unwrap_err();
    assert_eq!(not_yaml.code(), "decision_syntax");
}

#[test]
fn every_content_problem_is_reported_with_its_position() {
    let text = "\
year: 2027
status: announced
periods:
  - { kind: tet, name: \"Tết\", from: 2027-02-30, to: 2027-02-11 }
  - { kind: other, name: \"x\", from: 2027-03-10, to: 2027-03-01 }
  - { kind: other, name: \"y\", from: 2027-03-01, to: 2027-05-01 }
  - { kind: other, name: \"z\", from: 2029-03-01, to: 2029-03-01 }
swaps:
  - { day_off: 2027-01-02, worked: 2027-01-04, name: \"s\" }
";
    let err = Decision::parse("2027.yaml", text).unwrap_err();
    let CalendarError::InvalidDecision { file, problems } = &err else { panic!("{err}") };
    assert_eq!(file, "2027.yaml");
    let found: Vec<(u64, &str)> = problems.iter().map(|p| (p.line, p.code)).collect();
    assert_eq!(
        found,
        [
            (4, "invalid_date"),
            (5, "period_reversed"),
            (6, "period_too_long"),
            (7, "date_outside_year"),
            (7, "date_outside_year"),
            (9, "swap_day_off_weekend"),
            (9, "swap_worked_weekday"),
        ]
    );
    assert_eq!(problems[0].column, 37);
    assert!(problems[0].message.contains("`2027-02-30`"));
    assert_eq!(err.code(), "invalid_decision");
}

#[test]
fn the_year_must_match_the_file_name_and_the_supported_range() {
    let err = Decision::parse("2028.yaml", "year: 2027\nstatus: announced\n").unwrap_err();
    assert!(
        matches!(&err, CalendarError::InvalidDecision { problems, .. } if problems[0].code == "year_mismatch"),
        "{err}"
    );
    // Any other file name is accepted.
    assert!(Decision::parse("tet-2027.yaml", "year: 2027\nstatus: announced\n").is_ok());
    let err = Calendar::builder().decisions_yaml("2150.yaml", "year: 2150\nstatus: announced\n").unwrap_err();
    assert_eq!(err.code(), "out_of_range");
}

#[test]
fn two_added_files_for_one_year_are_refused() {
    let text = "year: 2027\nstatus: announced\n";
    let err = Calendar::builder()
        .decisions_yaml("a/2027.yaml", text)
        .unwrap()
        .decisions_yaml("b/2027.yaml", text)
        .unwrap_err();
    assert_eq!(
        err,
        CalendarError::DuplicateDecisionYear { year: 2027, first: "a/2027.yaml".into(), second: "b/2027.yaml".into() }
    );
    assert_eq!(err.code(), "duplicate_decision_year");
}

#[test]
fn a_period_of_kind_other_is_a_decided_day_off() {
    let text = "year: 2027\nstatus: announced\nperiods:\n  - { kind: other, name: \"Nghỉ theo quyết định\", from: 2027-03-03, to: 2027-03-03 }\n";
    let cal = Calendar::builder().decisions_yaml("2027.yaml", text).unwrap().build().unwrap();
    let off = cal.day_off(date(2027, 3, 3)).unwrap().unwrap();
    assert_eq!((off.kind, off.name.as_str()), (crate::calendar::DayOffKind::Decided, "Nghỉ theo quyết định"));
    // The year's Tết is still projected (no tet period) but the year is announced.
    assert!(!cal.is_projected(2027));
    assert!(!cal.is_working_day(date(2027, 2, 8)).unwrap());
}
