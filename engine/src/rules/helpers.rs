//! Functions rule authors can call: date arithmetic on `YYYY-MM-DD` strings and the
//! working-day calendar, each O(1); and bounded versions of the standard functions whose
//! result can outgrow their input many times over.

use super::sandbox::MAX_STRING_SIZE;
use crate::calendar::Calendar;
use crate::calendar::VIETNAM_OFFSET;
use chrono::{Datelike, NaiveDate, TimeZone};
use rhai::{EvalAltResult, FuncRegistration, ImmutableString, Module, Position, Shared};

type Fallible<T> = Result<T, Box<EvalAltResult>>;

/// Every helper [`module`] registers: its name, its signature as the guide documents it, and a
/// call that runs (the test below runs each, so the list cannot name one that is not there).
pub const HELPERS: [(&str, &str, &str); 7] = [
    ("age_on", "age_on(birth, on) -> int", r#"age_on("2008-05-01", "2026-05-01")"#),
    ("days_between", "days_between(from, to) -> int", r#"days_between("2026-01-01", "2026-03-02")"#),
    ("year_of", "year_of(date) -> int", r#"year_of("2026-03-02")"#),
    ("is_date", "is_date(text) -> bool", r#"is_date("2026-02-30")"#),
    ("is_working_day", "is_working_day(date) -> bool", r#"is_working_day("2026-02-17")"#),
    (
        "working_days_between",
        "working_days_between(from, to) -> int",
        r#"working_days_between("2026-02-12", "2026-02-26")"#,
    ),
    ("replace", "text.replace(find, substitute)", r#"let t = "a-b"; t.replace("-", " và "); t"#),
];

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

/// `string.replace(find, substitute)` as rhai's, but refused before it builds a result over
/// [`MAX_STRING_SIZE`]: the sandbox checks sizes only after an operation, and one replacement
/// of every character of a 16 KB string by itself would first build 256 MB.
fn bounded_replace(string: &mut ImmutableString, find: &str, substitute: &str) -> Fallible<()> {
    if string.is_empty() {
        return Ok(());
    }
    let matches = string.matches(find).count();
    let grown = substitute.len().saturating_sub(find.len()).saturating_mul(matches);
    if string.len().saturating_add(grown) > MAX_STRING_SIZE {
        return Err(Box::new(EvalAltResult::ErrorDataTooLarge("Length of string".to_owned(), Position::NONE)));
    }
    *string = string.replace(find, substitute).into();
    Ok(())
}

/// The helpers, as a module every rule engine shares.
pub(super) fn module(calendar: &Calendar) -> Shared<Module> {
    let mut module = Module::new();
    let global = |name: &str| FuncRegistration::new(name).in_global_namespace();
    global("age_on").set_into_module(&mut module, age_on);
    global("days_between").set_into_module(&mut module, days_between);
    global("year_of").set_into_module(&mut module, |d: &str| -> Fallible<i64> { Ok(i64::from(date(d)?.year())) });
    global("is_date").set_into_module(&mut module, |d: &str| date(d).is_ok());
    let days = calendar.clone();
    global("is_working_day").set_into_module(&mut module, move |d: &str| -> Fallible<bool> {
        days.is_working_day(date(d)?).map_err(calendar_error)
    });
    // Whole working days in [from, to): the count a time limit "within N working days" uses.
    // O(1) over the whole calendar: the day table holds working-day ordinals.
    let calendar = calendar.clone();
    global("working_days_between").set_into_module(&mut module, move |from: &str, to: &str| -> Fallible<i64> {
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
    // Methods that change the string in place are impure, as rhai's own are.
    global("replace").with_purity(false).set_into_module(&mut module, bounded_replace);
    global("replace").with_purity(false).set_into_module(
        &mut module,
        |string: &mut ImmutableString, find: char, substitute: &str| {
            bounded_replace(string, find.encode_utf8(&mut [0; 4]), substitute)
        },
    );
    module.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_helper_is_registered_and_runs() {
        let calendar = Calendar::vietnam().unwrap();
        let engine = crate::rules::sandboxed_engine(&calendar);
        for (name, _, call) in HELPERS {
            assert!(call.contains(name), "the sample of `{name}` does not call it");
            if let Err(error) = engine.eval::<rhai::Dynamic>(call) {
                panic!("`{call}`: {error}");
            }
        }
    }

    #[test]
    fn age_counts_the_birthday_itself() {
        assert_eq!(age_on("2008-05-01", "2026-05-01").unwrap(), 18);
        assert_eq!(age_on("2008-05-01", "2026-04-30").unwrap(), 17);
        assert_eq!(age_on("2004-02-29", "2026-02-28").unwrap(), 21);
        assert!(age_on("01/05/2008", "2026-05-01").is_err());
    }

    #[test]
    fn replace_refuses_a_result_over_the_limit_before_building_it() {
        let mut small = ImmutableString::from("a-b-c");
        bounded_replace(&mut small, "-", " và ").unwrap();
        assert_eq!(small.as_str(), "a và b và c");
        let mut big = ImmutableString::from("x".repeat(8 * 1024));
        let copy = big.to_string();
        let error = bounded_replace(&mut big, "x", &copy).unwrap_err();
        assert!(matches!(*error, EvalAltResult::ErrorDataTooLarge(..)), "{error}");
        assert_eq!(big.len(), 8 * 1024, "left unchanged");
        let mut empty_find = ImmutableString::from("ab");
        bounded_replace(&mut empty_find, "", "-").unwrap();
        assert_eq!(empty_find.as_str(), "-a-b-");
    }
}
