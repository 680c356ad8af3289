//! The dense day table built once per calendar: for every day of the supported range its
//! kind and reason, and the working-day ordinals that let whole days be jumped in O(1).

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Weekday};

use super::CalendarError;
use super::day_off::{DayOff, DayOffKind, Mark, SATURDAY, SUNDAY};

/// First day of the working-day calendar.
pub const WORKING_CALENDAR_MIN: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(d) => d,
    None => panic!("valid constant date"),
};
/// Last day of the working-day calendar.
pub const WORKING_CALENDAR_MAX: NaiveDate = match NaiveDate::from_ymd_opt(2099, 12, 31) {
    Some(d) => d,
    None => panic!("valid constant date"),
};

/// What one day is; names are indices into [`DayTable::names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Working,
    WorkedWeekend(u16),
    Off(DayOffKind, u16),
}

/// The table over [`WORKING_CALENDAR_MIN`]..=[`WORKING_CALENDAR_MAX`] (36 525 days).
pub(super) struct DayTable {
    slots: Vec<Slot>,
    names: Vec<String>,
    /// `working_before[i]`: working days strictly before day `i` (length = days + 1).
    working_before: Vec<u32>,
    /// Day index of each working day, in order.
    working_days: Vec<u32>,
}

impl std::fmt::Debug for DayTable {
    // The full table is 36 525 entries: show its size only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DayTable")
            .field("days", &self.slots.len())
            .field("working_days", &self.working_days.len())
            .finish()
    }
}

/// Interns reason names so a slot stays four bytes.
#[derive(Default)]
struct Names {
    list: Vec<String>,
    index: HashMap<String, u16>,
}

impl Names {
    fn id(&mut self, name: &str) -> u16 {
        if let Some(&id) = self.index.get(name) {
            return id;
        }
        // Names are a few hundred at most (one per holiday, swap and period name).
        let id = u16::try_from(self.list.len()).unwrap_or(u16::MAX);
        self.list.push(name.to_owned());
        self.index.insert(name.to_owned(), id);
        id
    }
}

pub(super) fn out_of_range(value: impl ToString) -> CalendarError {
    CalendarError::OutOfRange { value: value.to_string(), min: WORKING_CALENDAR_MIN, max: WORKING_CALENDAR_MAX }
}

impl DayTable {
    /// Builds the table from every reason for a day off and every weekend day worked; of
    /// several reasons for one day the highest rank names it; a day worked is worked.
    pub(super) fn build(marks: &[Mark], worked: &[(NaiveDate, String)]) -> DayTable {
        let mut names = Names::default();
        let (saturday, sunday) = (names.id(SATURDAY), names.id(SUNDAY));
        let mut slots: Vec<Slot> = WORKING_CALENDAR_MIN
            .iter_days()
            .take_while(|d| *d <= WORKING_CALENDAR_MAX)
            .map(|d| match d.weekday() {
                Weekday::Sat => Slot::Off(DayOffKind::Weekend, saturday),
                Weekday::Sun => Slot::Off(DayOffKind::Weekend, sunday),
                _ => Slot::Working,
            })
            .collect();
        let mut rank = vec![0u8; slots.len()];
        for mark in marks {
            if let Some(i) = Self::index_of(mark.date)
                && mark.rank > rank[i]
            {
                rank[i] = mark.rank;
                slots[i] = Slot::Off(mark.kind, names.id(&mark.name));
            }
        }
        for (date, name) in worked {
            if let Some(i) = Self::index_of(*date) {
                slots[i] = Slot::WorkedWeekend(names.id(name));
            }
        }
        let mut working_before = Vec::with_capacity(slots.len() + 1);
        let mut working_days = Vec::new();
        working_before.push(0);
        for (i, slot) in slots.iter().enumerate() {
            if matches!(slot, Slot::Working | Slot::WorkedWeekend(_)) {
                // At most 36 525 days: fits u32.
                working_days.push(i as u32);
            }
            working_before.push(working_days.len() as u32);
        }
        DayTable { slots, names: names.list, working_before, working_days }
    }

    /// Index of `date` in the table, if supported.
    pub(super) fn index_of(date: NaiveDate) -> Option<usize> {
        let offset = date.num_days_from_ce() - WORKING_CALENDAR_MIN.num_days_from_ce();
        usize::try_from(offset).ok().filter(|_| date <= WORKING_CALENDAR_MAX)
    }

    /// The date of table index `i`.
    pub(super) fn date_of(i: usize) -> Option<NaiveDate> {
        let days = i32::try_from(i).ok()? + WORKING_CALENDAR_MIN.num_days_from_ce();
        NaiveDate::from_num_days_from_ce_opt(days)
    }

    /// Whether day `i` is worked.
    pub(super) fn is_working(&self, i: usize) -> bool {
        matches!(self.slots[i], Slot::Working | Slot::WorkedWeekend(_))
    }

    /// Why day `i` is not worked (None for a working day).
    pub(super) fn day_off(&self, i: usize) -> Option<DayOff> {
        match self.slots[i] {
            Slot::Off(kind, name) => {
                Some(DayOff { date: Self::date_of(i)?, kind, name: self.names[usize::from(name)].clone() })
            }
            Slot::Working | Slot::WorkedWeekend(_) => None,
        }
    }

    /// The name of a weekend day worked at `i`.
    pub(super) fn worked_weekend(&self, i: usize) -> Option<&str> {
        match self.slots[i] {
            Slot::WorkedWeekend(name) => Some(&self.names[usize::from(name)]),
            _ => None,
        }
    }

    /// Working days strictly before day `i` (`i` may be the day after the last).
    pub(super) fn working_before(&self, i: usize) -> u32 {
        self.working_before[i]
    }

    /// Table index of the working day with ordinal `n` (0-based), if any.
    pub(super) fn working_day(&self, n: usize) -> Option<usize> {
        self.working_days.get(n).map(|&i| i as usize)
    }
}
