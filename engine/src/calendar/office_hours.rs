//! Office hours: the windows of local time (UTC+7) in which a working day's time is counted.

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveTime, Timelike};

use super::CalendarError;

const SECONDS_PER_DAY: u32 = 86_400;

/// Ordered, non-overlapping windows of Vietnam local time (UTC+7; Vietnam has no daylight
/// saving) during which an office works, at whole minutes.
///
/// Provinces set their own hours (practice); the [`Default`] is the common 07:00–11:30 and
/// 13:30–17:00, eight hours, matching the 40-hour week of Decision 188/1999/QĐ-TTg.
/// Text form (for settings): `07:00-11:30,13:30-17:00`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeHours {
    /// (start, end) in seconds from midnight, start < end, sorted, not overlapping.
    windows: Vec<(u32, u32)>,
    /// Office seconds elapsed before each window opens.
    before: Vec<u32>,
    /// Office seconds of a whole day.
    day: u32,
}

impl OfficeHours {
    /// Validates windows given as (opening, closing) pairs in order.
    ///
    /// Errors ([`CalendarError::InvalidOfficeHours`]): no window; a window that does not
    /// open before it closes; windows out of order or overlapping (touching is allowed);
    /// times not at whole minutes.
    pub fn new(windows: impl IntoIterator<Item = (NaiveTime, NaiveTime)>) -> Result<OfficeHours, CalendarError> {
        let invalid = |reason: String| CalendarError::InvalidOfficeHours { reason };
        let mut secs = Vec::new();
        for (start, end) in windows {
            let shown = format!("`{}-{}`", start.format("%H:%M:%S"), end.format("%H:%M:%S"));
            if start.second() != 0 || end.second() != 0 || start.nanosecond() != 0 || end.nanosecond() != 0 {
                return Err(invalid(format!("window {shown} is not at whole minutes")));
            }
            let (s, e) = (start.num_seconds_from_midnight(), end.num_seconds_from_midnight());
            if s >= e {
                return Err(invalid(format!("window {shown} does not open before it closes")));
            }
            if let Some(&(_, prev_end)) = secs.last()
                && s < prev_end
            {
                return Err(invalid(format!("window {shown} starts before the previous window closes")));
            }
            secs.push((s, e));
        }
        if secs.is_empty() {
            return Err(invalid("no office window".to_owned()));
        }
        let mut before = Vec::with_capacity(secs.len());
        let mut day = 0;
        for &(s, e) in &secs {
            before.push(day);
            day += e - s;
        }
        debug_assert!(day <= SECONDS_PER_DAY);
        Ok(OfficeHours { windows: secs, before, day })
    }

    /// The windows as (opening, closing) local times.
    pub fn windows(&self) -> Vec<(NaiveTime, NaiveTime)> {
        self.windows.iter().map(|&(s, e)| (time_of(s), time_of(e))).collect()
    }

    /// Minutes of office time in one working day (480 by default).
    pub fn day_minutes(&self) -> i64 {
        i64::from(self.day / 60)
    }

    /// When the office opens (start of the first window).
    pub fn opening(&self) -> NaiveTime {
        time_of(self.windows[0].0)
    }

    /// When the office closes (end of the last window): the "end of the day" deadlines use.
    pub fn closing(&self) -> NaiveTime {
        time_of(self.windows[self.windows.len() - 1].1)
    }

    /// Office seconds of a whole day.
    pub(super) fn day_seconds(&self) -> i64 {
        i64::from(self.day)
    }

    /// Office seconds already elapsed on a working day at `second` after midnight.
    pub(super) fn elapsed_at(&self, second: u32) -> i64 {
        let mut elapsed = 0;
        for (&(s, e), &before) in self.windows.iter().zip(&self.before) {
            if second < s {
                break;
            }
            elapsed = before + (second.min(e) - s);
        }
        i64::from(elapsed)
    }

    /// The local time at which `elapsed` office seconds (0..=day) of a day have passed.
    /// At a boundary between windows, `earliest` picks the closing of the earlier window
    /// (where consumption ends), otherwise the opening of the later one (where work resumes).
    pub(super) fn time_at(&self, elapsed: i64, earliest: bool) -> NaiveTime {
        let elapsed = u32::try_from(elapsed.clamp(0, i64::from(self.day))).unwrap_or(0);
        let mut found = (self.windows[0].0, 0);
        for (&(s, e), &before) in self.windows.iter().zip(&self.before) {
            let len = e - s;
            let inside = if earliest {
                elapsed > before && elapsed <= before + len
            } else {
                elapsed >= before && elapsed < before + len
            };
            if inside {
                found = (s, elapsed - before);
                break;
            }
            if elapsed >= before + len {
                // Past this window: remember its end for `elapsed == day` when not earliest.
                found = (e, 0);
            }
        }
        time_of(found.0 + found.1)
    }
}

fn time_of(second: u32) -> NaiveTime {
    // Window bounds are taken from `NaiveTime`s, so they are below 86 400 s; the fallback is
    // never used.
    NaiveTime::from_num_seconds_from_midnight_opt(second, 0).unwrap_or(NaiveTime::MIN)
}

impl Default for OfficeHours {
    fn default() -> Self {
        let window = |s: u32, e: u32| (s, e);
        let windows = vec![window(7 * 3600, 11 * 3600 + 1800), window(13 * 3600 + 1800, 17 * 3600)];
        OfficeHours { before: vec![0, 4 * 3600 + 1800], day: 8 * 3600, windows }
    }
}

impl fmt::Display for OfficeHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (s, e)) in self.windows().into_iter().enumerate() {
            let sep = if i == 0 { "" } else { "," };
            write!(f, "{sep}{}-{}", s.format("%H:%M"), e.format("%H:%M"))?;
        }
        Ok(())
    }
}

impl FromStr for OfficeHours {
    type Err = CalendarError;

    /// Parses `HH:MM-HH:MM[,HH:MM-HH:MM…]`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut windows = Vec::new();
        for part in s.split(',') {
            let bad = || CalendarError::InvalidOfficeHours {
                reason: format!("`{}` is not a window like `07:00-11:30`", part.trim()),
            };
            let (a, b) = part.trim().split_once('-').ok_or_else(bad)?;
            let a = NaiveTime::parse_from_str(a.trim(), "%H:%M").map_err(|_| bad())?;
            let b = NaiveTime::parse_from_str(b.trim(), "%H:%M").map_err(|_| bad())?;
            windows.push((a, b));
        }
        OfficeHours::new(windows)
    }
}
