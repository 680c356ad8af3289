//! Deadline arithmetic over office time.
//!
//! Every instant is first read in Vietnam time (UTC+7, no daylight saving) and results are
//! given in UTC+7. Office time is counted on a single axis: the office seconds elapsed since
//! the table's first working day opened. An instant maps to that axis as follows:
//! inside an office window it counts from that instant; in a break between windows from the
//! next window; before opening from the opening; after closing or on a day off from the next
//! working morning. So one axis value can stand for several instants (17:00 of one working
//! day and 07:00 of the next): a duration that ends there ends at the *earliest* of them (the
//! window's end, e.g. 17:00 or 11:30, not the next morning), while a start there starts at
//! the *latest* (the next window's opening). Whole days are jumped through the table's
//! working-day ordinals in O(1); only the partial days look at the windows. Sub-second parts
//! of instants are dropped: deadlines are counted in whole seconds.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeDelta, TimeZone, Timelike};

use super::day_table::{DayTable, out_of_range};
use super::{Calendar, CalendarError, ProcessingTime};

/// Vietnam's time zone, UTC+7 (no daylight saving).
pub const VIETNAM_OFFSET: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(offset) => offset,
    // Evaluated at compile time: a bad constant fails the build, never a run.
    None => panic!("valid constant offset"),
};

impl Calendar {
    /// Position of `t` on the office-time axis, in seconds.
    fn office_position(&self, t: DateTime<FixedOffset>) -> Result<i64, CalendarError> {
        let local = t.with_timezone(&VIETNAM_OFFSET).naive_local();
        let i = DayTable::index_of(local.date()).ok_or_else(|| out_of_range(t))?;
        let table = &self.inner.table;
        let within =
            if table.is_working(i) { self.inner.hours.elapsed_at(local.time().num_seconds_from_midnight()) } else { 0 };
        Ok(i64::from(table.working_before(i)) * self.inner.hours.day_seconds() + within)
    }

    /// The instant at office-axis `position`: the earliest one (where a duration ends) or the
    /// latest one (where counting starts). `None` outside the table.
    fn instant_at(&self, position: i64, earliest: bool) -> Option<DateTime<FixedOffset>> {
        let day = self.inner.hours.day_seconds();
        if position < 0 {
            return None;
        }
        let (mut n, mut r) = (position / day, position % day);
        if earliest && r == 0 && n > 0 {
            n -= 1;
            r = day;
        }
        let i = self.inner.table.working_day(usize::try_from(n).ok()?)?;
        local(DayTable::date_of(i)?, self.inner.hours.time_at(r, earliest))
    }

    /// Closing time of the first working day at or after table index `i`.
    pub(super) fn closing_from(&self, i: usize) -> Option<DateTime<FixedOffset>> {
        let table = &self.inner.table;
        let day = table.working_day(usize::try_from(table.working_before(i)).ok()?)?;
        local(DayTable::date_of(day)?, self.inner.hours.closing())
    }

    /// When counting starts for something received at `received`: `received` itself inside
    /// an office window, otherwise the next window's opening on a working day.
    pub fn effective_start(&self, received: DateTime<FixedOffset>) -> Result<DateTime<FixedOffset>, CalendarError> {
        let position = self.office_position(received)?;
        self.instant_at(position, false).ok_or_else(|| out_of_range(received))
    }

    /// The close of the working day that something arriving at `at` counts on: that day's
    /// closing time when it arrives on a working day before the office closes, else the next
    /// working day's. An online dossier must be accepted or refused by then (Decree 118/2025).
    pub fn end_of_working_day(&self, at: DateTime<FixedOffset>) -> Result<DateTime<FixedOffset>, CalendarError> {
        let start = self.effective_start(at)?;
        let day = DayTable::index_of(start.date_naive()).ok_or_else(|| out_of_range(at))?;
        self.closing_from(day).ok_or_else(|| out_of_range(at))
    }

    /// Adds `minutes` of office time to `from` (counting from its effective start). A
    /// positive count ending exactly at a window's end returns that end (17:00, or 11:30
    /// before the break); zero returns the effective start; a negative count goes back in
    /// office time.
    pub fn add_working_minutes(
        &self,
        from: DateTime<FixedOffset>,
        minutes: i64,
    ) -> Result<DateTime<FixedOffset>, CalendarError> {
        let beyond = || out_of_range(format!("{from} + {minutes} working minutes"));
        let position = self.office_position(from)?;
        let target = minutes.checked_mul(60).and_then(|s| s.checked_add(position)).ok_or_else(beyond)?;
        self.instant_at(target, minutes > 0).ok_or_else(beyond)
    }

    /// Office minutes in `[a, b)` (whole minutes, truncated toward zero); negative when
    /// `b` is before `a`. `working_minutes_between(a, add_working_minutes(a, n)) == n`.
    pub fn working_minutes_between(
        &self,
        a: DateTime<FixedOffset>,
        b: DateTime<FixedOffset>,
    ) -> Result<i64, CalendarError> {
        Ok((self.office_position(b)? - self.office_position(a)?) / 60)
    }

    /// The deadline for something received at `received` with processing time `time`.
    ///
    /// - Working days / hours: that much office time (a day is
    ///   [`Calendar::working_day_minutes`]) is consumed window by window from the effective
    ///   start, skipping days off; see [`Calendar::add_working_minutes`]. Received Thursday
    ///   2026-02-12 09:00 + 5 working days → 2026-02-26 09:00 (Tết 14–22/2 skipped); + 0.5 day
    ///   → 15:00 the same day.
    /// - Calendar days: `received` + N × 24 h; if that falls on a non-working day, the end
    ///   (closing time) of the next working day (Civil Code 2015 art. 148(5)).
    /// - Same day with a cutoff: received on a working day with an effective start at or
    ///   before the cutoff → closing time that day; otherwise closing time of the next working
    ///   day (the day counting starts, when received after hours or on a day off).
    ///
    /// Errors: [`CalendarError::OutOfRange`] when the start or the deadline is outside
    /// [`super::WORKING_CALENDAR_MIN`]..=[`super::WORKING_CALENDAR_MAX`].
    pub fn add(
        &self,
        received: DateTime<FixedOffset>,
        time: &ProcessingTime,
    ) -> Result<DateTime<FixedOffset>, CalendarError> {
        match *time {
            ProcessingTime::WorkingDays(days) => {
                self.add_working_minutes(received, days.to_minutes(self.working_day_minutes()))
            }
            ProcessingTime::WorkingHours(hours) => self.add_working_minutes(received, i64::from(hours.minutes())),
            ProcessingTime::CalendarDays(days) => self.add_calendar_days(received, days),
            ProcessingTime::SameDay { cutoff } => self.same_day(received, cutoff),
        }
    }

    fn add_calendar_days(
        &self,
        received: DateTime<FixedOffset>,
        days: u32,
    ) -> Result<DateTime<FixedOffset>, CalendarError> {
        let beyond = || out_of_range(format!("{received} + {days} days"));
        let received = received.with_timezone(&VIETNAM_OFFSET);
        DayTable::index_of(received.date_naive()).ok_or_else(|| out_of_range(received))?;
        let end = received.checked_add_signed(TimeDelta::days(i64::from(days))).ok_or_else(beyond)?;
        let i = DayTable::index_of(end.date_naive()).ok_or_else(beyond)?;
        if self.inner.table.is_working(i) { Ok(end) } else { self.closing_from(i).ok_or_else(beyond) }
    }

    fn same_day(
        &self,
        received: DateTime<FixedOffset>,
        cutoff: NaiveTime,
    ) -> Result<DateTime<FixedOffset>, CalendarError> {
        let beyond = || out_of_range(received);
        let start = self.effective_start(received)?;
        let day = DayTable::index_of(start.date_naive()).ok_or_else(beyond)?;
        let received_day = received.with_timezone(&VIETNAM_OFFSET).date_naive();
        if start.date_naive() != received_day || start.time() <= cutoff {
            self.closing_from(day).ok_or_else(beyond)
        } else {
            self.closing_from(day + 1).ok_or_else(beyond)
        }
    }
}

/// `date` at `time` in UTC+7 (a fixed offset: never ambiguous).
pub(super) fn local(date: NaiveDate, time: NaiveTime) -> Option<DateTime<FixedOffset>> {
    VIETNAM_OFFSET.from_local_datetime(&date.and_time(time)).single()
}
