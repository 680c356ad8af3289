//! Building a [`Calendar`]: decisions (shipped and added) and office hours are validated, then
//! the day table for the whole supported range is computed once.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use super::day_off::{decision_marks, law_marks, worked_days};
use super::day_table::{DayTable, WORKING_CALENDAR_MAX, WORKING_CALENDAR_MIN, out_of_range};
use super::decisions::{Decision, EMBEDDED};
use super::{Calendar, CalendarError, Inner, OfficeHours};

/// Configures a [`Calendar`]; see [`Calendar::builder`].
#[derive(Debug, Clone)]
pub struct CalendarBuilder {
    hours: OfficeHours,
    embedded: bool,
    /// Administrator decisions by year, with the file each came from.
    added: BTreeMap<i32, (String, Decision)>,
}

impl Default for CalendarBuilder {
    fn default() -> Self {
        CalendarBuilder { hours: OfficeHours::default(), embedded: true, added: BTreeMap::new() }
    }
}

impl CalendarBuilder {
    /// Uses these office hours instead of the default.
    #[must_use]
    pub fn office_hours(mut self, hours: OfficeHours) -> Self {
        self.hours = hours;
        self
    }

    /// Leaves out the shipped decision files: every year not added is then projected.
    #[must_use]
    pub fn without_embedded_decisions(mut self) -> Self {
        self.embedded = false;
        self
    }

    /// Adds an administrator's decision file; it replaces the shipped one of the same year.
    ///
    /// Errors: those of [`Decision::parse`]; [`CalendarError::DuplicateDecisionYear`] when
    /// another added file has the same year; [`CalendarError::OutOfRange`] for a year outside
    /// the working calendar.
    pub fn decisions_yaml(self, file_name: &str, text: &str) -> Result<Self, CalendarError> {
        let decision = Decision::parse(file_name, text)?;
        self.decision(file_name, decision)
    }

    /// Adds an already parsed decision (`source` names it in errors); as
    /// [`CalendarBuilder::decisions_yaml`].
    pub fn decision(mut self, source: &str, decision: Decision) -> Result<Self, CalendarError> {
        if !(WORKING_CALENDAR_MIN.year()..=WORKING_CALENDAR_MAX.year()).contains(&decision.year) {
            return Err(out_of_range(decision.year));
        }
        if let Some((first, _)) = self.added.get(&decision.year) {
            return Err(CalendarError::DuplicateDecisionYear {
                year: decision.year,
                first: first.clone(),
                second: source.to_owned(),
            });
        }
        self.added.insert(decision.year, (source.to_owned(), decision));
        Ok(self)
    }

    /// Computes the calendar: for each year the law's holidays in force and their
    /// compensation, then the decisions' periods and swaps over them.
    pub fn build(self) -> Result<Calendar, CalendarError> {
        let mut decisions = BTreeMap::new();
        if self.embedded {
            for (name, text) in EMBEDDED {
                let decision = Decision::parse(name, text)?;
                decisions.insert(decision.year, decision);
            }
        }
        decisions.extend(self.added.into_iter().map(|(year, (_, d))| (year, d)));
        let decided_off: BTreeSet<NaiveDate> = decisions.values().flat_map(Decision::days_off).collect();
        let mut marks = Vec::new();
        for year in WORKING_CALENDAR_MIN.year()..=WORKING_CALENDAR_MAX.year() {
            marks.extend(law_marks(year, decisions.get(&year), &decided_off));
        }
        let mut worked = Vec::new();
        for decision in decisions.values() {
            marks.extend(decision_marks(decision));
            worked.extend(worked_days(decision));
        }
        let table = DayTable::build(&marks, &worked);
        Ok(Calendar { inner: Arc::new(Inner { table, hours: self.hours, decisions }) })
    }
}
