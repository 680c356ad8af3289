//! Unit tests of the calendar module, one file per concern.

// A failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod decisions;
mod errors;
mod holidays;
mod lunar;
mod processing_time;
mod properties;
mod working_time;

use chrono::{DateTime, FixedOffset, NaiveDate};

/// A date from literal parts (tests only).
fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// An instant from RFC 3339 text (tests only).
fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}
