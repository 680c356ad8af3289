//! Exhaustive property loops over 2020–2030 (no property-testing crate needed: the space is
//! small enough to walk).

use chrono::{DateTime, FixedOffset, NaiveTime};

use super::date;
use crate::calendar::working_time::local;
use crate::calendar::{Calendar, ProcessingTime, WorkingDays};

const TIMES: [(u32, u32); 10] =
    [(5, 0), (7, 0), (9, 15), (11, 29), (11, 30), (12, 0), (13, 30), (16, 59), (17, 0), (19, 45)];

/// Every N in 0..=40 by halves.
fn counts() -> Vec<WorkingDays> {
    (0..=80).map(|half| WorkingDays::try_from(f64::from(half) / 2.0).unwrap()).collect()
}

fn starts(cal: &Calendar, working_only: bool) -> Vec<DateTime<FixedOffset>> {
    let mut out = Vec::new();
    for day in date(2020, 1, 1).iter_days().take_while(|d| *d <= date(2030, 12, 31)) {
        if working_only && !cal.is_working_day(day).unwrap() {
            continue;
        }
        for (h, m) in TIMES {
            out.push(local(day, NaiveTime::from_hms_opt(h, m, 0).unwrap()).unwrap());
        }
    }
    out
}

#[test]
fn working_day_arithmetic_is_consistent() {
    let cal = Calendar::vietnam().unwrap();
    let day_minutes = cal.working_day_minutes();
    let (opening, closing) = (cal.office_hours().opening(), cal.office_hours().closing());
    let counts = counts();
    let mut previous_row: Option<Vec<DateTime<FixedOffset>>> = None;
    for start in starts(&cal, true) {
        let effective = cal.effective_start(start).unwrap();
        let mut row = Vec::with_capacity(counts.len());
        for n in &counts {
            let due = cal.add(start, &ProcessingTime::WorkingDays(*n)).unwrap();
            let minutes = n.to_minutes(day_minutes);
            // Never on a day off, always within office hours.
            assert!(cal.is_working_day(due.date_naive()).unwrap(), "{start} + {n} = {due}");
            assert!((opening..=closing).contains(&due.time()), "{start} + {n} = {due}");
            // Counting gives back N, from the receipt and from the effective start.
            assert_eq!(cal.working_minutes_between(effective, due), Ok(minutes), "{start} + {n}");
            assert_eq!(cal.working_minutes_between(start, due), Ok(minutes), "{start} + {n}");
            // Monotonic in N.
            if let Some(last) = row.last() {
                assert!(due > *last, "{start} + {n} = {due} not after {last}");
            }
            row.push(due);
        }
        assert_eq!(row[0], effective);
        // Monotonic in the start.
        if let Some(prev) = &previous_row {
            for (a, b) in prev.iter().zip(&row) {
                assert!(a <= b, "{start}: {b} before {a}");
            }
        }
        previous_row = Some(row);
    }
}

#[test]
fn starts_on_days_off_count_from_the_next_working_morning() {
    let cal = Calendar::vietnam().unwrap();
    let one_day = ProcessingTime::WorkingDays(WorkingDays::try_from(1.0).unwrap());
    for start in starts(&cal, false) {
        if cal.is_working_day(start.date_naive()).unwrap() {
            continue;
        }
        let effective = cal.effective_start(start).unwrap();
        assert!(effective > start);
        assert!(cal.is_working_day(effective.date_naive()).unwrap());
        assert_eq!(effective.time(), cal.office_hours().opening());
        let due = cal.add(start, &one_day).unwrap();
        assert_eq!(due.date_naive(), effective.date_naive());
        assert_eq!(due.time(), cal.office_hours().closing());
    }
}

#[test]
fn same_day_and_calendar_days_never_end_on_a_day_off() {
    let cal = Calendar::vietnam().unwrap();
    let cutoff = ProcessingTime::SameDay { cutoff: NaiveTime::from_hms_opt(15, 0, 0).unwrap() };
    for start in starts(&cal, false).into_iter().step_by(3) {
        for time in
            [cutoff, ProcessingTime::CalendarDays(0), ProcessingTime::CalendarDays(7), ProcessingTime::CalendarDays(30)]
        {
            let due = cal.add(start, &time).unwrap();
            assert!(due >= start, "{start} {time}");
            assert!(cal.is_working_day(due.date_naive()).unwrap(), "{start} {time} = {due}");
        }
    }
}
