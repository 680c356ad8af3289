//! The Vietnamese lunar calendar (âm lịch), computed astronomically for UTC+7.
//!
//! Rules (the traditional lunisolar rules, applied in Vietnam for the meridian 105° E since the
//! late 1960s): a month begins on the civil day of a new moon; month 11 is the month
//! containing the December solstice; when 13 new moons begin between two months 11, the first
//! month after month 11 containing no major solar term (a multiple of 30° of solar longitude)
//! is the leap month and takes the number of the month before it.
//!
//! Earlier dates are computed with the same UTC+7 rule; calendars printed in Vietnam before
//! the change followed UTC+8 and may differ by a day in some months.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::CalendarError;
use super::astronomy::{date_of_jdn, jdn, lunation_containing, new_moon_day, sun_sector};

/// First solar day the lunar conversion supports.
pub const LUNAR_MIN: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => panic!("valid constant date"),
};
/// Last solar day the lunar conversion supports.
pub const LUNAR_MAX: NaiveDate = match NaiveDate::from_ymd_opt(2100, 12, 31) {
    Some(d) => d,
    None => panic!("valid constant date"),
};

/// A day of the Vietnamese lunar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LunarDate {
    /// Day of the month, 1..=30.
    pub day: u8,
    /// Month number, 1..=12 (a leap month repeats the number of the month before it).
    pub month: u8,
    /// Lunar year, named by the solar year in which its month 1 begins.
    pub year: i32,
    /// Whether this is the leap (nhuận) month of that number.
    pub leap: bool,
}

impl std::fmt::Display for LunarDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let leap = if self.leap { " nhuận" } else { "" };
        write!(f, "{}/{}{}/{}", self.day, self.month, leap, self.year)
    }
}

/// One lunar month: its label and the Julian day number of its first day.
#[derive(Debug, Clone, Copy)]
pub(super) struct LunarMonth {
    pub(super) month: u8,
    pub(super) leap: bool,
    pub(super) year: i32,
    pub(super) first_day: i64,
}

/// The months from month 11 of lunar year `y` up to (excluding) month 11 of `y + 1`: 12 or
/// 13 months, plus the first day of the following month 11.
pub(super) struct SolsticeYear {
    pub(super) months: Vec<LunarMonth>,
    pub(super) end: i64,
}

impl SolsticeYear {
    /// Computes the months between the months 11 that contain the solstices of December `y`
    /// and December `y + 1`.
    pub(super) fn of(y: i32) -> SolsticeYear {
        SolsticeYear::between(y, month_11(y), month_11(y + 1))
    }

    /// As [`SolsticeYear::of`], given the new moon numbers of both months 11.
    fn between(y: i32, k0: i64, k1: i64) -> SolsticeYear {
        let starts: Vec<i64> = (k0..=k1).map(new_moon_day).collect();
        let count = starts.len() - 1;
        let leap_index = if count == 13 {
            // 12 months after month 11 share 11 major terms, so one of them has none: the
            // fallback is never taken.
            Some((1..count).find(|&i| sun_sector(starts[i]) == sun_sector(starts[i + 1])).unwrap_or(count - 1))
        } else {
            None
        };
        let months = (0..count)
            .map(|i| {
                let leap = leap_index == Some(i);
                let ordinal = match leap_index {
                    Some(j) if i >= j => i - 1,
                    _ => i,
                };
                LunarMonth {
                    // ordinal 0 is month 11, 1 is month 12, 2 is month 1 of the next year.
                    month: ((10 + ordinal) % 12 + 1) as u8,
                    leap,
                    year: if ordinal < 2 { y } else { y + 1 },
                    first_day: starts[i],
                }
            })
            .collect();
        SolsticeYear { months, end: starts[count] }
    }

    /// First day (Julian day number) of `month`/`leap` of lunar `year`, with the month's
    /// length, if that month is in this span.
    pub(super) fn find(&self, month: u8, leap: bool, year: i32) -> Option<(i64, i64)> {
        let i = self.months.iter().position(|m| m.month == month && m.leap == leap && m.year == year)?;
        let next = self.months.get(i + 1).map_or(self.end, |m| m.first_day);
        Some((self.months[i].first_day, next - self.months[i].first_day))
    }
}

/// New moon number of month 11 of lunar year `y`: the month containing the solstice of
/// December `y`, i.e. the Sun's reaching 270°.
fn month_11(y: i32) -> i64 {
    let dec31 = NaiveDate::from_ymd_opt(y, 12, 31).map_or(0, jdn);
    let k = lunation_containing(dec31);
    // The month holding 31 December began between about 1 and 31 December, with the Sun in
    // sector 8 (240°–270°) or 9; if already in 9 the solstice fell in the month before.
    if sun_sector(new_moon_day(k)) >= 9 { k - 1 } else { k }
}

fn out_of_range(value: String) -> CalendarError {
    CalendarError::OutOfRange { value, min: LUNAR_MIN, max: LUNAR_MAX }
}

/// Converts a solar (Gregorian) date to the Vietnamese lunar calendar.
///
/// Supported from [`LUNAR_MIN`] to [`LUNAR_MAX`]; outside, [`CalendarError::OutOfRange`].
pub fn solar_to_lunar(date: NaiveDate) -> Result<LunarDate, CalendarError> {
    if !(LUNAR_MIN..=LUNAR_MAX).contains(&date) {
        return Err(out_of_range(date.to_string()));
    }
    let day = jdn(date);
    let y = date.year();
    let k11 = month_11(y);
    let span = if day < new_moon_day(k11) {
        SolsticeYear::between(y - 1, month_11(y - 1), k11)
    } else {
        SolsticeYear::between(y, k11, month_11(y + 1))
    };
    let month = span
        .months
        .iter()
        .rev()
        .find(|m| m.first_day <= day)
        .copied()
        // A span starts at or before `day` by the choice above; this is never reached.
        .unwrap_or(span.months[0]);
    Ok(LunarDate { day: (day - month.first_day + 1) as u8, month: month.month, year: month.year, leap: month.leap })
}

/// Converts a lunar date to the solar (Gregorian) date.
///
/// Errors: [`CalendarError::NonexistentLunarDate`] when the date is not in the lunar calendar
/// (leap flag on a month that is not leap that year, day 30 of a 29-day month, month or day
/// out of bounds); [`CalendarError::OutOfRange`] when it falls outside the supported range.
pub fn lunar_to_solar(date: LunarDate) -> Result<NaiveDate, CalendarError> {
    let nonexistent = || CalendarError::NonexistentLunarDate { date: date.to_string() };
    if !(1..=12).contains(&date.month) || !(1..=30).contains(&date.day) {
        return Err(nonexistent());
    }
    if !(LUNAR_MIN.year() - 1..=LUNAR_MAX.year()).contains(&date.year) {
        return Err(out_of_range(date.to_string()));
    }
    // Months 11 and 12 (and a leap 11 or 12) follow the solstice of their own year's December.
    let span_year = if date.month >= 11 { date.year } else { date.year - 1 };
    let (first, len) = SolsticeYear::of(span_year).find(date.month, date.leap, date.year).ok_or_else(nonexistent)?;
    if i64::from(date.day) > len {
        return Err(nonexistent());
    }
    let solar = date_of_jdn(first + i64::from(date.day) - 1).ok_or_else(|| out_of_range(date.to_string()))?;
    if (LUNAR_MIN..=LUNAR_MAX).contains(&solar) { Ok(solar) } else { Err(out_of_range(date.to_string())) }
}

/// Tết Nguyên đán: the solar date of day 1 of month 1 (mùng 1 tháng Giêng) of lunar `year`.
pub fn tet(year: i32) -> Result<NaiveDate, CalendarError> {
    lunar_to_solar(LunarDate { day: 1, month: 1, year, leap: false })
}
