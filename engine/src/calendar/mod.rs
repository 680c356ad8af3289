//! The Vietnamese lunar calendar and the working-day calendar of public offices.
//!
//! - [`solar_to_lunar`], [`lunar_to_solar`], [`tet`]: the lunar calendar, computed
//!   astronomically for UTC+7 (see `lunar`), supported 1900–2100.
//! - [`Calendar`]: which days civil servants work (Monday–Friday, Decision 188/1999/QĐ-TTg)
//!   minus public holidays (Labor Code, dated rule sets) with their compensation, and the
//!   yearly government decisions (YAML data: Tết days, the day next to 2/9, swaps); and
//!   deadline arithmetic over office hours. Supported 2000-01-01 to 2099-12-31.
//!
//! Time is always a parameter: nothing here reads the clock.

mod astronomy;
mod builder;
mod day_off;
mod day_table;
mod decisions;
mod error;
mod explain;
mod holidays;
mod lunar;
mod office_hours;
mod processing_time;
mod working_time;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, Weekday};

pub use builder::CalendarBuilder;
pub use day_off::{DayOff, DayOffKind, NamedDay, YearHolidays};
pub use day_table::{WORKING_CALENDAR_MAX, WORKING_CALENDAR_MIN};
pub use decisions::{Decision, DecisionStatus, Period, PeriodKind, Swap};
pub use error::{CalendarError, DecisionProblem};
pub use explain::Explained;
pub use lunar::{LUNAR_MAX, LUNAR_MIN, LunarDate, lunar_to_solar, solar_to_lunar, tet};
pub use office_hours::OfficeHours;
pub use processing_time::{MAX_WORKING_DAYS, MAX_WORKING_HOURS, ProcessingTime, WorkingDays, WorkingHours};
pub use working_time::VIETNAM_OFFSET;

use day_table::{DayTable, out_of_range};

/// The working-day calendar: immutable, `Send + Sync`, cheap to clone (shared inside).
///
/// Build it once (a few milliseconds: the lunar dates and a dense day table for 2000–2099
/// are computed up front) and share it; queries are O(1) and never compute astronomy.
#[derive(Debug, Clone)]
pub struct Calendar {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    table: DayTable,
    hours: OfficeHours,
    decisions: BTreeMap<i32, Decision>,
}

impl Calendar {
    /// The calendar with the shipped decisions and the default office hours
    /// (07:00–11:30, 13:30–17:00).
    pub fn vietnam() -> Result<Calendar, CalendarError> {
        Calendar::builder().build()
    }

    /// A builder starting from the shipped decisions and the default office hours.
    pub fn builder() -> CalendarBuilder {
        CalendarBuilder::default()
    }

    fn index(&self, date: NaiveDate) -> Result<usize, CalendarError> {
        DayTable::index_of(date).ok_or_else(|| out_of_range(date))
    }

    /// Whether civil servants work on `date`.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.inner.table.is_working(self.index(date)?))
    }

    /// Why `date` is not a working day; `None` when it is one (including a weekend day worked
    /// under a swap).
    pub fn day_off(&self, date: NaiveDate) -> Result<Option<DayOff>, CalendarError> {
        Ok(self.inner.table.day_off(self.index(date)?))
    }

    /// The Monday–Friday days off and the weekend days worked of `year`, and whether the
    /// year is projected (no announced decision).
    pub fn holidays(&self, year: i32) -> Result<YearHolidays, CalendarError> {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| out_of_range(year))?;
        let start = DayTable::index_of(first).ok_or_else(|| out_of_range(year))?;
        let mut days_off = Vec::new();
        let mut working_weekend_days = Vec::new();
        let table = &self.inner.table;
        for (offset, date) in first.iter_days().take_while(|d| d.year() == year).enumerate() {
            let i = start + offset;
            let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
            if let Some(name) = table.worked_weekend(i) {
                working_weekend_days.push(NamedDay { date, name: name.to_owned() });
            } else if !weekend && let Some(off) = table.day_off(i) {
                days_off.push(NamedDay { date, name: off.name });
            }
        }
        Ok(YearHolidays { year, projected: self.is_projected(year), days_off, working_weekend_days })
    }

    /// Whether `year` has no announced decision (its Tết and the day next to 2/9 are then
    /// projected by rule).
    pub fn is_projected(&self, year: i32) -> bool {
        self.decision(year).is_none_or(|d| d.status == DecisionStatus::Projected)
    }

    /// The decision in force for `year` (shipped or added), if any.
    pub fn decision(&self, year: i32) -> Option<&Decision> {
        self.inner.decisions.get(&year)
    }

    /// The office hours deadlines are counted in.
    pub fn office_hours(&self) -> &OfficeHours {
        &self.inner.hours
    }

    /// Office minutes in one working day (480 with the default hours).
    pub fn working_day_minutes(&self) -> i64 {
        self.inner.hours.day_minutes()
    }
}

#[cfg(test)]
mod tests;
