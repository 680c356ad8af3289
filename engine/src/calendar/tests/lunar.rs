use std::collections::BTreeMap;

use chrono::Datelike;

use super::date;
use crate::calendar::astronomy::{delta_t_seconds, new_moon_jde, sun_longitude};
use crate::calendar::{CalendarError, LUNAR_MAX, LUNAR_MIN, LunarDate, lunar_to_solar, solar_to_lunar, tet};

fn lunar(day: u8, month: u8, year: i32, leap: bool) -> LunarDate {
    LunarDate { day, month, year, leap }
}

#[test]
fn meeus_example_49a_new_moon_of_february_1977() {
    // Meeus, Astronomical Algorithms, example 49.a: k = -283, JDE 2443192.65118.
    assert!((new_moon_jde(-283) - 2_443_192.651_18).abs() < 0.000_01);
}

#[test]
fn meeus_example_25a_sun_longitude() {
    // Example 25.a: 1992 October 13.0 TD, apparent longitude 199.90895° (low precision ±0.01°).
    assert!((sun_longitude(2_448_908.5) - 199.908_95).abs() < 0.01);
}

#[test]
fn delta_t_is_about_a_minute_around_2000() {
    assert!((delta_t_seconds(2000.0) - 63.86).abs() < 0.01);
    assert!((60.0..75.0).contains(&delta_t_seconds(2025.0)));
}

#[test]
fn tet_reference_dates_including_those_that_differ_from_utc8() {
    let expected = [
        (1985, date(1985, 1, 21)),
        (2007, date(2007, 2, 17)),
        (2024, date(2024, 2, 10)),
        (2025, date(2025, 1, 29)),
        (2026, date(2026, 2, 17)),
        (2027, date(2027, 2, 6)),
        (2030, date(2030, 2, 2)),
    ];
    for (year, day) in expected {
        assert_eq!(tet(year), Ok(day), "Tết {year}");
        assert_eq!(solar_to_lunar(day), Ok(lunar(1, 1, year, false)));
    }
}

#[test]
fn hung_kings_day_reference_dates() {
    for (year, day) in [(2025, date(2025, 4, 7)), (2026, date(2026, 4, 26)), (2027, date(2027, 4, 16))] {
        assert_eq!(lunar_to_solar(lunar(10, 3, year, false)), Ok(day));
    }
}

#[test]
fn leap_sixth_month_of_2025() {
    assert_eq!(solar_to_lunar(date(2025, 7, 25)), Ok(lunar(1, 6, 2025, true)));
    assert_eq!(lunar_to_solar(lunar(1, 6, 2025, true)), Ok(date(2025, 7, 25)));
    let before = solar_to_lunar(date(2025, 7, 24)).unwrap();
    assert_eq!((before.month, before.leap, before.year), (6, false, 2025));
    assert!(before.day >= 29);
    // No other month of 2025 is leap.
    for month in (1..=12).filter(|&m| m != 6) {
        assert!(lunar_to_solar(lunar(1, month, 2025, true)).is_err(), "month {month}");
    }
}

#[test]
fn new_year_2026_is_in_month_11_of_lunar_2025() {
    assert_eq!(solar_to_lunar(date(2026, 1, 1)), Ok(lunar(13, 11, 2025, false)));
}

#[test]
fn tet_1990_to_2030_matches_the_fixture() {
    let text = include_str!("../../../tests/fixtures/tet_1990_2030.json");
    let fixture: serde_json::Value = serde_json::from_str(text).unwrap();
    let dates = fixture["dates"].as_object().unwrap();
    assert_eq!(dates.len(), 41);
    for (year, day) in dates {
        let year: i32 = year.parse().unwrap();
        let expected: chrono::NaiveDate = day.as_str().unwrap().parse().unwrap();
        assert_eq!(tet(year), Ok(expected), "Tết {year}");
    }
}

/// Every day of the supported range converts to the lunar calendar and back, and the lunar
/// calendar is well formed: days advance by one, months have 29 or 30 days, a lunar year has
/// 12 months or 13 with exactly one leap month, which follows a regular month of its number.
#[test]
fn every_day_1900_to_2100_round_trips_and_the_calendar_is_well_formed() {
    let mut previous: Option<LunarDate> = None;
    let mut month_length = 0u32;
    let mut months_per_year: BTreeMap<i32, (u32, u32)> = BTreeMap::new();
    for day in LUNAR_MIN.iter_days().take_while(|d| *d <= LUNAR_MAX) {
        let l = solar_to_lunar(day).unwrap();
        assert_eq!(lunar_to_solar(l), Ok(day), "{day} → {l}");
        if let Some(p) = previous {
            if l.day == 1 {
                assert!(month_length == 29 || month_length == 30, "{p} month of {month_length} days");
                let next_regular = if p.month == 12 { (1, p.year + 1) } else { (p.month + 1, p.year) };
                let same_number_leap = l.leap && !p.leap && l.month == p.month && l.year == p.year;
                assert!(same_number_leap || (!l.leap && (l.month, l.year) == next_regular), "{p} → {l}");
                month_length = 1;
            } else {
                assert_eq!((l.day, l.month, l.year, l.leap), (p.day + 1, p.month, p.year, p.leap));
                month_length += 1;
            }
        } else {
            month_length = u32::from(l.day);
        }
        if l.day == 1 {
            let entry = months_per_year.entry(l.year).or_default();
            entry.0 += 1;
            entry.1 += u32::from(l.leap);
        }
        previous = Some(l);
    }
    // Whole lunar years inside the range: 1900 (Tết 31/1/1900) to 2100.
    for (year, (months, leaps)) in months_per_year.range(1900..=2100) {
        assert!((*months, *leaps) == (12, 0) || (*months, *leaps) == (13, 1), "{year}: {months} months, {leaps} leap");
    }
    let leap_years = months_per_year.values().filter(|(_, l)| *l == 1).count();
    // 7 leap months every 19 years (Metonic cycle): about 74 in 201 years.
    assert!((72..=76).contains(&leap_years), "{leap_years}");
}

#[test]
fn out_of_range_and_nonexistent_dates_are_errors() {
    for day in [date(1899, 12, 31), date(2101, 1, 1)] {
        let err = solar_to_lunar(day).unwrap_err();
        assert_eq!(err.code(), "out_of_range");
    }
    assert!(matches!(tet(1899), Err(CalendarError::OutOfRange { .. })));
    assert!(matches!(tet(2102), Err(CalendarError::OutOfRange { .. })));
    assert_eq!(tet(1900), Ok(date(1900, 1, 31)));
    for bad in [lunar(1, 5, 2025, true), lunar(0, 1, 2025, false), lunar(1, 13, 2025, false), lunar(31, 1, 2025, false)]
    {
        let err = lunar_to_solar(bad).unwrap_err();
        assert_eq!(err.code(), "nonexistent_lunar_date", "{bad}");
    }
    // Day 30 of a 29-day month: find such a month in 2026.
    let short = (1..=12)
        .map(|m| lunar(30, m, 2026, false))
        .find(|l| lunar_to_solar(*l).is_err())
        .expect("some 29-day month in 2026");
    assert_eq!(
        lunar_to_solar(short).unwrap_err().to_string(),
        format!("lunar date `30/{}/2026` does not exist", short.month)
    );
    assert_eq!(lunar(1, 6, 2025, true).to_string(), "1/6 nhuận/2025");
    assert_eq!(date(2026, 1, 1).year(), 2026);
}
