//! The deadline scan: warns once per dossier when it is near its due time and once when it is
//! past it.
//!
//! Rules (the dossiers considered are those whose clock runs: in processing, or decided with
//! the result not returned; see `repository::alerts`):
//! - `overdue`: the due time is before now;
//! - `near_deadline`: the due time is now or later, and at most [`WARNING_WORKING_DAYS`] of
//!   office time away, counted on the engine's working-day calendar.
//!
//! The window is counted in working days, not hours, because the obligation it warns about is:
//! the agency that will be late must issue its apology and new appointment (Mẫu 04) at the
//! latest one working day before the due time (DOMAIN.md, provincial rules under Decree
//! 118/2025). On the calendar, a Friday-afternoon scan warns of a Monday-morning due time and a
//! scan before Tết of one due after it, which a fixed number of hours would miss or misjudge.
//!
//! - `unreceived`: submitted online or by post and not yet accepted, sent back for a
//!   supplement or refused at the close of the working day it arrived on (Decree 118/2025:
//!   an online dossier is answered within the working day).
//!
//! A due time that moves later (a pause and its resumption) does not raise a second warning of
//! the same kind: each kind is raised once per dossier.

use crate::repository::alerts::{self, AlertKind, DueWindow};
use chrono::{DateTime, FixedOffset};
use motcua_engine::calendar::{Calendar, CalendarError};
use sea_orm::{DatabaseConnection, DbErr};

/// How far ahead of its due time a dossier is near its deadline, in working days.
pub const WARNING_WORKING_DAYS: i64 = 1;

/// Why a scan failed.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The warning window could not be counted (now is outside the calendar's range).
    #[error("calendar: {0}")]
    Calendar(#[from] CalendarError),
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] DbErr),
}

/// Alerts newly raised by one scan.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Raised {
    /// Dossiers found past their due time.
    pub overdue: u64,
    /// Dossiers found within the warning window.
    pub near_deadline: u64,
    /// Submitted dossiers not received by the close of the working day they arrived on.
    pub unreceived: u64,
}

/// Raises the alerts due `now`, recording `instance` as the one that raised them.
pub async fn scan(
    db: &DatabaseConnection,
    calendar: &Calendar,
    now: DateTime<FixedOffset>,
    instance: &str,
) -> Result<Raised, ScanError> {
    let horizon = calendar.add_working_minutes(now, WARNING_WORKING_DAYS * calendar.working_day_minutes())?;
    let overdue = alerts::raise(db, AlertKind::Overdue, DueWindow::Before(now), now, instance).await?;
    let near_deadline =
        alerts::raise(db, AlertKind::NearDeadline, DueWindow::Between(now, horizon), now, instance).await?;
    let unreceived = alerts::raise_unreceived(db, calendar, now, instance).await?;
    Ok(Raised { overdue, near_deadline, unreceived })
}
