//! Functions rule authors can call: date arithmetic on `YYYY-MM-DD` strings and the
//! working-day calendar.

use crate::calendar::Calendar;
use crate::calendar::VIETNAM_OFFSET;
use chrono::{Datelike, NaiveDate, TimeZone};
use rhai::{Engine, EvalAltResult, Position};

type Fallible<T> = Result<T, Box<EvalAltResult>>;

fn date(text: &str) -> Fallible<NaiveDate> {
    let head = text.get(..10).unwrap_or(text);
    NaiveDate::parse_from_str(head, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date: write it as YYYY-MM-DD").into())
}

/// Age in whole years on a given date (a birthday counts on the day itself).
fn age_on(birth: &str, on: &str) -> Fallible<i64> {
    let (birth, on) = (date(birth)?, date(on)?);
    let mut years = i64::from(on.year() - birth.year());
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    Ok(years)
}

fn days_between(from: &str, to: &str) -> Fallible<i64> {
    Ok((date(to)? - date(from)?).num_days())
}

fn calendar_error(error: crate::calendar::CalendarError) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(error.to_string().into(), Position::NONE))
}

pub(super) fn register(engine: &mut Engine, calendar: Calendar) {
    engine.register_fn("age_on", age_on);
    engine.register_fn("days_between", days_between);
    engine.register_fn("year_of", |d: &str| -> Fallible<i64> { Ok(i64::from(date(d)?.year())) });
    engine.register_fn("is_date", |d: &str| date(d).is_ok());
    let days = calendar.clone();
    engine.register_fn("is_working_day", move |d: &str| -> Fallible<bool> {
        days.is_working_day(date(d)?).map_err(calendar_error)
    });
    // Whole working days in [from, to): the count a time limit "within N working days" uses.
    engine.register_fn("working_days_between", move |from: &str, to: &str| -> Fallible<i64> {
        let midnight = |d: NaiveDate| {
            VIETNAM_OFFSET
                .from_local_datetime(&d.and_time(chrono::NaiveTime::MIN))
                .single()
                .ok_or_else(|| Box::<EvalAltResult>::from(format!("`{d}` has no local midnight")))
        };
        let minutes =
            calendar.working_minutes_between(midnight(date(from)?)?, midnight(date(to)?)?).map_err(calendar_error)?;
        Ok(minutes / calendar.working_day_minutes())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_counts_the_birthday_itself() {
        assert_eq!(age_on("2008-05-01", "2026-05-01").unwrap(), 18);
        assert_eq!(age_on("2008-05-01", "2026-04-30").unwrap(), 17);
        assert_eq!(age_on("2004-02-29", "2026-02-28").unwrap(), 21);
        assert!(age_on("01/05/2008", "2026-05-01").is_err());
    }
}
