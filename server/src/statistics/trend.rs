//! The monthly trend of a period: for each calendar month it overlaps (clipped to the period),
//! the dossiers received and those resolved early, on time and late.

use super::{Scope, Statistics, midnight};
use crate::error::ApiError;
use crate::repository::stats;
use chrono::{Datelike, NaiveDate};

/// Most months a trend shows: the last ones of a longer period.
pub const MAX_MONTHS: usize = 36;

/// One month of the trend.
#[derive(Debug, Clone)]
pub struct Month {
    /// `11/2026`.
    pub label: String,
    /// Dossiers received.
    pub received: i64,
    /// Resolved before the due day.
    pub early: i64,
    /// Resolved on the due day, by the due time.
    pub on_time: i64,
    /// Resolved after the due time.
    pub late: i64,
}

/// The first day of the month after `day`'s.
fn next_month(day: NaiveDate) -> Option<NaiveDate> {
    let (year, month) = if day.month() == 12 { (day.year() + 1, 1) } else { (day.year(), day.month() + 1) };
    NaiveDate::from_ymd_opt(year, month, 1)
}

impl Statistics<'_> {
    /// The months of `scope`, oldest first (the last [`MAX_MONTHS`] of a longer period).
    pub async fn monthly(&self, scope: &Scope) -> Result<Vec<Month>, ApiError> {
        let db = &self.state.db;
        let agency = scope.agency.as_deref();
        let mut spans = Vec::new();
        let mut first = scope.from;
        while first <= scope.to {
            let Some(next) = next_month(first) else { break };
            let last = next.pred_opt().unwrap_or(next).min(scope.to);
            spans.push((first, last));
            first = next;
        }
        let skip = spans.len().saturating_sub(MAX_MONTHS);
        let mut months = Vec::new();
        for (first, last) in spans.into_iter().skip(skip) {
            let (start, end) = (midnight(first)?, midnight(last.succ_opt().unwrap_or(last))?);
            let received = stats::received_by_channel(db, start, end, agency).await?.iter().map(|(_, n)| n).sum();
            let mut month = Month { label: first.format("%m/%Y").to_string(), received, early: 0, on_time: 0, late: 0 };
            for (timing, n) in stats::resolved_by_timing(db, start, end, agency).await? {
                match timing.as_deref() {
                    Some("early") => month.early += n,
                    Some("on_time") => month.on_time += n,
                    Some("late") => month.late += n,
                    _ => {}
                }
            }
            months.push(month);
        }
        Ok(months)
    }
}
