//! How long a procedure may take: the processing-time newtypes and their kinds.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

use super::CalendarError;

/// The largest processing time in working days a procedure may declare (one year's worth);
/// the same constant bounds the check and the error message.
pub const MAX_WORKING_DAYS: u32 = 365;

/// The largest processing time in working hours (365 eight-hour days).
pub const MAX_WORKING_HOURS: u32 = 2_920;

/// A number of working days from 0 to [`MAX_WORKING_DAYS`], in steps of 1/1000 day
/// (procedures declare fractions such as 0.5 = half a day or 0.25).
///
/// Built only through [`TryFrom<f64>`], [`FromStr`] or deserialization, so it always holds a
/// valid count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct WorkingDays(u32);

impl WorkingDays {
    /// Zero working days.
    pub const ZERO: WorkingDays = WorkingDays(0);

    /// The count in thousandths of a day.
    pub fn thousandths(self) -> u32 {
        self.0
    }

    /// Office minutes for this many days of `day_minutes` each, rounded to the nearest minute
    /// (half up).
    pub fn to_minutes(self, day_minutes: i64) -> i64 {
        (i64::from(self.0) * day_minutes + 500).div_euclid(1000)
    }
}

impl TryFrom<f64> for WorkingDays {
    type Error = CalendarError;

    fn try_from(value: f64) -> Result<Self, Self::Error> {
        let invalid = || CalendarError::InvalidWorkingDays { value: value.to_string(), max: MAX_WORKING_DAYS };
        if !value.is_finite() || value < 0.0 || value > f64::from(MAX_WORKING_DAYS) {
            return Err(invalid());
        }
        let scaled = value * 1000.0;
        let rounded = scaled.round();
        if (scaled - rounded).abs() > 1e-6 {
            return Err(invalid());
        }
        // 0 ≤ rounded ≤ 365 000, so the conversion is exact.
        Ok(WorkingDays(rounded as u32))
    }
}

impl From<WorkingDays> for f64 {
    fn from(days: WorkingDays) -> f64 {
        f64::from(days.0) / 1000.0
    }
}

impl FromStr for WorkingDays {
    type Err = CalendarError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || CalendarError::InvalidWorkingDays { value: s.to_owned(), max: MAX_WORKING_DAYS };
        let value: f64 = s.parse().map_err(|_| invalid())?;
        WorkingDays::try_from(value).map_err(|_| invalid())
    }
}

impl fmt::Display for WorkingDays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, frac) = (self.0 / 1000, self.0 % 1000);
        if frac == 0 {
            write!(f, "{whole}")
        } else {
            let digits = format!("{frac:03}");
            write!(f, "{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

/// A number of working hours from 0 to [`MAX_WORKING_HOURS`], in whole minutes.
///
/// Text form: decimal hours (`1.5`) or `H:MM` (`1:30`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct WorkingHours(u32);

impl WorkingHours {
    /// The count in minutes.
    pub fn minutes(self) -> u32 {
        self.0
    }

    fn from_minutes(minutes: f64, shown: &str) -> Result<WorkingHours, CalendarError> {
        let invalid = || CalendarError::InvalidWorkingHours { value: shown.to_owned(), max: MAX_WORKING_HOURS };
        let rounded = minutes.round();
        if !minutes.is_finite()
            || minutes < 0.0
            || minutes > f64::from(MAX_WORKING_HOURS * 60)
            || (minutes - rounded).abs() > 1e-6
        {
            return Err(invalid());
        }
        // 0 ≤ rounded ≤ 175 200, so the conversion is exact.
        Ok(WorkingHours(rounded as u32))
    }
}

impl TryFrom<f64> for WorkingHours {
    type Error = CalendarError;

    fn try_from(hours: f64) -> Result<Self, Self::Error> {
        WorkingHours::from_minutes(hours * 60.0, &hours.to_string())
    }
}

impl From<WorkingHours> for f64 {
    fn from(hours: WorkingHours) -> f64 {
        f64::from(hours.0) / 60.0
    }
}

impl FromStr for WorkingHours {
    type Err = CalendarError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || CalendarError::InvalidWorkingHours { value: s.to_owned(), max: MAX_WORKING_HOURS };
        let minutes = match s.split_once(':') {
            Some((h, m)) if m.len() == 2 => {
                let h: u32 = h.parse().map_err(|_| invalid())?;
                let m: u32 = m.parse().map_err(|_| invalid())?;
                if m >= 60 {
                    return Err(invalid());
                }
                f64::from(h) * 60.0 + f64::from(m)
            }
            Some(_) => return Err(invalid()),
            None => s.parse::<f64>().map_err(|_| invalid())? * 60.0,
        };
        WorkingHours::from_minutes(minutes, s)
    }
}

impl fmt::Display for WorkingHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m) = (self.0 / 60, self.0 % 60);
        if m == 0 { write!(f, "{h}") } else { write!(f, "{h}:{m:02}") }
    }
}

/// A processing time (thời hạn giải quyết) as procedures declare it.
///
/// How [`super::Calendar::add`] applies each kind is documented there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcessingTime {
    /// Office time of this many working days (the usual "N ngày làm việc").
    WorkingDays(WorkingDays),
    /// Office time of this many working hours.
    WorkingHours(WorkingHours),
    /// Consecutive calendar days (days off included), moved off a non-working end day.
    CalendarDays(u32),
    /// Settled the day received if received by `cutoff`, otherwise the next working day.
    SameDay {
        /// Latest local time of receipt for same-day settlement (usually 15:00).
        cutoff: NaiveTime,
    },
}

impl fmt::Display for ProcessingTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProcessingTime::WorkingDays(d) => write!(f, "{d} ngày làm việc"),
            ProcessingTime::WorkingHours(h) => write!(f, "{h} giờ làm việc"),
            ProcessingTime::CalendarDays(n) => write!(f, "{n} ngày"),
            ProcessingTime::SameDay { cutoff } => {
                write!(f, "trong ngày (nhận trước {})", cutoff.format("%H:%M"))
            }
        }
    }
}
