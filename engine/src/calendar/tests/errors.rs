use std::collections::BTreeSet;

use chrono::NaiveTime;

use super::{at, date};
use crate::calendar::{Calendar, CalendarError, OfficeHours, ProcessingTime, WorkingDays};

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

#[test]
fn dates_and_instants_outside_2000_to_2099_are_out_of_range() {
    let cal = Calendar::vietnam().unwrap();
    for err in [
        cal.is_working_day(date(1999, 12, 31)).unwrap_err(),
        cal.day_off(date(2100, 1, 1)).unwrap_err(),
        cal.holidays(2100).unwrap_err(),
        cal.holidays(1999).unwrap_err(),
        cal.add(at("1999-12-31T09:00:00+07:00"), &ProcessingTime::CalendarDays(1)).unwrap_err(),
        cal.add(at("2099-12-20T09:00:00+07:00"), &ProcessingTime::WorkingDays(WorkingDays::try_from(30.0).unwrap()))
            .unwrap_err(),
        cal.add(at("2099-12-20T09:00:00+07:00"), &ProcessingTime::CalendarDays(30)).unwrap_err(),
        cal.add_working_minutes(at("2026-01-05T09:00:00+07:00"), i64::MAX).unwrap_err(),
        cal.add_working_minutes(at("2000-01-05T09:00:00+07:00"), -100_000).unwrap_err(),
        cal.working_minutes_between(at("2026-01-05T09:00:00+07:00"), at("2100-01-05T09:00:00+07:00")).unwrap_err(),
    ] {
        assert_eq!(err.code(), "out_of_range", "{err}");
    }
    let err = cal.is_working_day(date(1999, 12, 31)).unwrap_err();
    assert_eq!(err.to_string(), "`1999-12-31` is outside the supported range 2000-01-01 to 2099-12-31");
    // The last day of the range works.
    assert!(
        cal.add(at("2099-12-30T09:00:00+07:00"), &ProcessingTime::WorkingDays(WorkingDays::try_from(0.5).unwrap()))
            .is_ok()
    );
}

#[test]
fn invalid_office_hours_are_refused() {
    let cases = [
        vec![],
        vec![(time(11, 0), time(7, 0))],
        vec![(time(7, 0), time(7, 0))],
        vec![(time(7, 0), time(12, 0)), (time(11, 0), time(17, 0))],
        vec![(time(13, 0), time(17, 0)), (time(7, 0), time(11, 0))],
        vec![(NaiveTime::from_hms_opt(7, 0, 30).unwrap(), time(11, 0))],
    ];
    for windows in cases {
        let err = OfficeHours::new(windows.clone()).unwrap_err();
        assert_eq!(err.code(), "invalid_office_hours", "{windows:?}");
    }
    let err = OfficeHours::new([(time(11, 0), time(7, 0))]).unwrap_err();
    assert_eq!(err.to_string(), "invalid office hours: window `11:00:00-07:00:00` does not open before it closes");
    for text in ["", "7-11", "07:00-11:00,", "07:00-11:00;13:00-17:00", "25:00-26:00"] {
        assert_eq!(text.parse::<OfficeHours>().unwrap_err().code(), "invalid_office_hours", "{text}");
    }
    // Touching windows are allowed.
    assert!(OfficeHours::new([(time(7, 0), time(11, 0)), (time(11, 0), time(12, 0))]).is_ok());
}

#[test]
fn error_codes_are_distinct_snake_case() {
    let errors = [
        CalendarError::OutOfRange { value: String::new(), min: date(2000, 1, 1), max: date(2099, 12, 31) },
        CalendarError::NonexistentLunarDate { date: String::new() },
        CalendarError::InvalidWorkingDays { value: String::new(), max: 365 },
        CalendarError::InvalidWorkingHours { value: String::new(), max: 1 },
        CalendarError::InvalidOfficeHours { reason: String::new() },
        CalendarError::DecisionSyntax { file: String::new(), line: 1, column: 1, message: String::new() },
        CalendarError::InvalidDecision { file: String::new(), problems: vec![] },
        CalendarError::DuplicateDecisionYear { year: 2026, first: String::new(), second: String::new() },
    ];
    let codes: BTreeSet<&str> = errors.iter().map(CalendarError::code).collect();
    assert_eq!(codes.len(), errors.len());
    assert!(codes.iter().all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')));
    // Messages start lowercase.
    for err in &errors {
        let first = err.to_string().chars().next().unwrap();
        assert!(!first.is_uppercase(), "{err}");
    }
}
