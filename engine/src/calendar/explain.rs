//! Deadlines with their reasons, for people: which days were skipped and why (the CLI's
//! `motcua calendar add`).

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::day_table::{DayTable, out_of_range};
use super::working_time::VIETNAM_OFFSET;
use super::{Calendar, CalendarError, DayOff, ProcessingTime};

/// A deadline and how it was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explained {
    /// When the dossier was received, in UTC+7.
    pub received: DateTime<FixedOffset>,
    /// When counting started (see [`Calendar::effective_start`]); for calendar days, the
    /// receipt itself.
    pub start: DateTime<FixedOffset>,
    /// The deadline, in UTC+7.
    pub due: DateTime<FixedOffset>,
    /// Every day not worked from the day received to the due day, inclusive, with its reason.
    pub skipped: Vec<DayOff>,
}

impl Calendar {
    /// [`Calendar::add`] with the days it skipped and why.
    pub fn add_explained(
        &self,
        received: DateTime<FixedOffset>,
        time: &ProcessingTime,
    ) -> Result<Explained, CalendarError> {
        let due = self.add(received, time)?;
        let received = received.with_timezone(&VIETNAM_OFFSET);
        let start = match time {
            ProcessingTime::CalendarDays(_) => received,
            _ => self.effective_start(received)?,
        };
        let first = DayTable::index_of(received.date_naive()).ok_or_else(|| out_of_range(received))?;
        let last = DayTable::index_of(due.date_naive()).ok_or_else(|| out_of_range(due))?;
        let skipped = (first..=last).filter_map(|i| self.inner.table.day_off(i)).collect();
        Ok(Explained { received, start, due, skipped })
    }
}
