//! The validity periods of one code's published versions never overlap silently. A version
//! published to start inside an earlier one's period ends that one the day before; one that
//! starts on or before an earlier one's first day replaces it, which is retired (it could
//! never be in force again); the response says which. A version that could never be in force
//! itself (its period already over) is refused.

use crate::error::{ApiError, ErrorCode};
use chrono::{Days, NaiveDate};

/// A published version's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The version.
    pub version: i32,
    /// First day in force.
    pub from: NaiveDate,
    /// Last day in force, if any.
    pub to: Option<NaiveDate>,
}

/// What publishing a version does to an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Its period now ends on that day, the day before the new one starts.
    End(i32, NaiveDate),
    /// The new one starts on or before its first day: it is retired, replaced.
    Supersede(i32),
}

/// What publishing `new` on `today` does to the versions still `published`.
pub fn plan(new: Period, published: &[Period], today: NaiveDate) -> Result<Vec<Change>, ApiError> {
    if let Some(to) = new.to
        && to < today
    {
        return Err(ApiError::new(
            ErrorCode::VersionOverlap,
            format!(
                "version {} is in force until {}, before today: it could never receive a dossier; \
                 give it a later `valid_to`, or none",
                new.version,
                to.format("%d/%m/%Y")
            ),
        ));
    }
    let mut ended = Vec::new();
    for earlier in published.iter().filter(|p| p.version < new.version) {
        if earlier.to.is_some_and(|to| to < new.from) {
            continue;
        }
        if new.from <= earlier.from {
            ended.push(Change::Supersede(earlier.version));
        } else if let Some(day_before) = new.from.checked_sub_days(Days::new(1)) {
            // After `earlier.from`: the day before exists and is not before it.
            ended.push(Change::End(earlier.version, day_before));
        }
    }
    Ok(ended)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
    }

    fn period(version: i32, from: &str, to: Option<&str>) -> Period {
        Period { version, from: day(from), to: to.map(day) }
    }

    #[test]
    fn an_overlapped_version_ends_the_day_before_and_hidden_or_past_ones_are_refused() {
        let today = day("2026-03-02");
        let v1 = period(1, "2021-07-01", None);
        assert_eq!(
            plan(period(2, "2026-04-01", None), &[v1], today).expect("plan"),
            [Change::End(1, day("2026-03-31"))]
        );
        // An earlier version that had ended before is left alone.
        let v1_ended = period(1, "2021-07-01", Some("2025-12-31"));
        assert_eq!(plan(period(2, "2026-04-01", None), &[v1_ended], today).expect("plan"), []);
        assert_eq!(plan(period(2, "2021-07-01", None), &[v1], today).expect("plan"), [Change::Supersede(1)]);
        assert!(plan(period(2, "2020-01-01", Some("2025-12-31")), &[], today).is_err(), "never in force");
    }
}
