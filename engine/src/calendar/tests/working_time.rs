use chrono::NaiveTime;

use super::at;
use crate::calendar::{Calendar, DayOffKind, OfficeHours, ProcessingTime, WorkingDays, WorkingHours};

fn cal() -> Calendar {
    Calendar::vietnam().unwrap()
}

fn days(text: &str) -> ProcessingTime {
    ProcessingTime::WorkingDays(text.parse::<WorkingDays>().unwrap())
}

fn hours(text: &str) -> ProcessingTime {
    ProcessingTime::WorkingHours(text.parse::<WorkingHours>().unwrap())
}

fn same_day() -> ProcessingTime {
    ProcessingTime::SameDay { cutoff: NaiveTime::from_hms_opt(15, 0, 0).unwrap() }
}

#[test]
fn five_working_days_skip_tet() {
    let cal = cal();
    let received = at("2026-02-12T09:00:00+07:00");
    assert_eq!(cal.add(received, &days("5")), Ok(at("2026-02-26T09:00:00+07:00")));
    assert_eq!(cal.add(received, &days("0.5")), Ok(at("2026-02-12T15:00:00+07:00")));
    assert_eq!(cal.add(received, &days("0")), Ok(received));
}

#[test]
fn a_duration_ending_at_a_window_end_returns_that_end() {
    let cal = cal();
    // Monday 2/3/2026 07:00 + 1 day = 17:00 the same day, not Tuesday 07:00.
    assert_eq!(cal.add(at("2026-03-02T07:00:00+07:00"), &days("1")), Ok(at("2026-03-02T17:00:00+07:00")));
    // 09:00 + 2.5 h = 11:30, not 13:30.
    assert_eq!(cal.add(at("2026-03-02T09:00:00+07:00"), &hours("2.5")), Ok(at("2026-03-02T11:30:00+07:00")));
    // 4.5 h from 07:00 is exactly the morning: 11:30; one minute more resumes after the break.
    assert_eq!(cal.add(at("2026-03-02T07:00:00+07:00"), &hours("4:30")), Ok(at("2026-03-02T11:30:00+07:00")));
    assert_eq!(cal.add(at("2026-03-02T07:00:00+07:00"), &hours("4:31")), Ok(at("2026-03-02T13:31:00+07:00")));
}

#[test]
fn the_start_moves_to_the_next_office_time() {
    let cal = cal();
    // In the lunch break: from 13:30.
    assert_eq!(cal.add(at("2026-03-02T12:00:00+07:00"), &hours("1")), Ok(at("2026-03-02T14:30:00+07:00")));
    // Before opening: from 07:00.
    assert_eq!(cal.add(at("2026-03-02T05:00:00+07:00"), &hours("1")), Ok(at("2026-03-02T08:00:00+07:00")));
    // After hours: the next morning.
    assert_eq!(cal.add(at("2026-03-02T18:00:00+07:00"), &hours("1")), Ok(at("2026-03-03T08:00:00+07:00")));
    // Friday evening → Monday; Saturday → Monday.
    assert_eq!(cal.add(at("2026-03-06T17:30:00+07:00"), &days("1")), Ok(at("2026-03-09T17:00:00+07:00")));
    assert_eq!(cal.add(at("2026-03-07T10:00:00+07:00"), &days("1")), Ok(at("2026-03-09T17:00:00+07:00")));
    assert_eq!(cal.effective_start(at("2026-03-07T10:00:00+07:00")), Ok(at("2026-03-09T07:00:00+07:00")));
    assert_eq!(cal.effective_start(at("2026-03-02T11:30:00+07:00")), Ok(at("2026-03-02T13:30:00+07:00")));
}

#[test]
fn instants_in_other_offsets_are_read_in_vietnam_time() {
    let cal = cal();
    let due = cal.add(at("2026-02-12T02:00:00Z"), &days("5")).unwrap();
    assert_eq!(due, at("2026-02-26T09:00:00+07:00"));
    assert_eq!(due.offset().local_minus_utc(), 7 * 3600);
}

#[test]
fn working_minutes_between_counts_office_time_only() {
    let cal = cal();
    let a = at("2026-03-06T16:00:00+07:00"); // Friday
    let b = at("2026-03-09T08:00:00+07:00"); // Monday
    assert_eq!(cal.working_minutes_between(a, b), Ok(120));
    assert_eq!(cal.working_minutes_between(b, a), Ok(-120));
    assert_eq!(cal.working_minutes_between(at("2026-03-02T11:00:00+07:00"), at("2026-03-02T14:00:00+07:00")), Ok(60));
    assert_eq!(cal.working_day_minutes(), 480);
}

#[test]
fn negative_minutes_go_back_in_office_time() {
    let cal = cal();
    let monday = at("2026-03-09T08:00:00+07:00");
    assert_eq!(cal.add_working_minutes(monday, -120), Ok(at("2026-03-06T16:00:00+07:00")));
    assert_eq!(cal.add_working_minutes(at("2026-03-02T14:00:00+07:00"), -30), Ok(at("2026-03-02T13:30:00+07:00")));
}

#[test]
fn calendar_days_end_on_the_next_working_day_when_they_fall_on_a_day_off() {
    let cal = cal();
    // 10/2/2026 + 5 days = Sunday 15/2, in Tết → end of Monday 23/2.
    let received = at("2026-02-10T10:00:00+07:00");
    assert_eq!(cal.add(received, &ProcessingTime::CalendarDays(5)), Ok(at("2026-02-23T17:00:00+07:00")));
    // On a working day: the same time.
    assert_eq!(
        cal.add(at("2026-03-02T10:00:00+07:00"), &ProcessingTime::CalendarDays(3)),
        Ok(at("2026-03-05T10:00:00+07:00"))
    );
    // A swapped Saturday worked is a working day.
    assert_eq!(
        cal.add(at("2026-01-07T10:00:00+07:00"), &ProcessingTime::CalendarDays(3)),
        Ok(at("2026-01-10T10:00:00+07:00"))
    );
    let explained = cal.add_explained(received, &ProcessingTime::CalendarDays(5)).unwrap();
    assert_eq!(explained.start, received);
}

#[test]
fn same_day_settlement_depends_on_the_cutoff() {
    let cal = cal();
    let t = same_day();
    assert_eq!(cal.add(at("2026-03-02T14:00:00+07:00"), &t), Ok(at("2026-03-02T17:00:00+07:00")));
    assert_eq!(cal.add(at("2026-03-02T15:00:00+07:00"), &t), Ok(at("2026-03-02T17:00:00+07:00")));
    assert_eq!(cal.add(at("2026-03-02T15:01:00+07:00"), &t), Ok(at("2026-03-03T17:00:00+07:00")));
    assert_eq!(cal.add(at("2026-03-02T06:30:00+07:00"), &t), Ok(at("2026-03-02T17:00:00+07:00")));
    assert_eq!(cal.add(at("2026-03-02T12:00:00+07:00"), &t), Ok(at("2026-03-02T17:00:00+07:00")));
    assert_eq!(cal.add(at("2026-03-02T17:00:00+07:00"), &t), Ok(at("2026-03-03T17:00:00+07:00")));
    // Friday after the cutoff and Saturday → Monday.
    assert_eq!(cal.add(at("2026-03-06T16:00:00+07:00"), &t), Ok(at("2026-03-09T17:00:00+07:00")));
    assert_eq!(cal.add(at("2026-03-07T09:00:00+07:00"), &t), Ok(at("2026-03-09T17:00:00+07:00")));
    // Before Tết: Friday 13/2/2026 after the cutoff → Monday 23/2.
    assert_eq!(cal.add(at("2026-02-13T16:00:00+07:00"), &t), Ok(at("2026-02-23T17:00:00+07:00")));
}

#[test]
fn office_hours_are_configurable() {
    let hours: OfficeHours = "08:00-12:00,13:00-17:00".parse().unwrap();
    assert_eq!(hours.to_string(), "08:00-12:00,13:00-17:00");
    let cal = Calendar::builder().office_hours(hours).build().unwrap();
    assert_eq!(cal.add(at("2026-03-02T08:00:00+07:00"), &days("1")), Ok(at("2026-03-02T17:00:00+07:00")));
    assert_eq!(cal.add(at("2026-03-02T12:30:00+07:00"), &hours_of(1)), Ok(at("2026-03-02T14:00:00+07:00")));
    let short: OfficeHours = "07:30-11:30".parse().unwrap();
    let cal = Calendar::builder().office_hours(short).build().unwrap();
    assert_eq!(cal.working_day_minutes(), 240);
    assert_eq!(cal.add(at("2026-03-02T09:30:00+07:00"), &days("1")), Ok(at("2026-03-03T09:30:00+07:00")));
    assert_eq!(OfficeHours::default().to_string(), "07:00-11:30,13:30-17:00");
    assert_eq!("07:00-11:30,13:30-17:00".parse::<OfficeHours>(), Ok(OfficeHours::default()));
}

fn hours_of(h: u32) -> ProcessingTime {
    ProcessingTime::WorkingHours(WorkingHours::try_from(f64::from(h)).unwrap())
}

#[test]
fn explained_lists_the_skipped_days_with_their_reasons() {
    let cal = cal();
    let explained = cal.add_explained(at("2026-02-12T09:00:00+07:00"), &days("5")).unwrap();
    assert_eq!(explained.due, at("2026-02-26T09:00:00+07:00"));
    let skipped: Vec<(String, DayOffKind)> =
        explained.skipped.iter().map(|d| (d.date.format("%d/%m").to_string(), d.kind)).collect();
    assert_eq!(skipped.len(), 9);
    assert_eq!(skipped[0], ("14/02".to_owned(), DayOffKind::PublicHoliday));
    assert!(explained.skipped.iter().all(|d| d.name == "Tết Âm lịch"));
    // Received on a Saturday: the weekend is listed, counting starts Monday.
    let explained = cal.add_explained(at("2026-03-07T10:00:00+07:00"), &days("1")).unwrap();
    assert_eq!(explained.start, at("2026-03-09T07:00:00+07:00"));
    let names: Vec<&str> = explained.skipped.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["Nghỉ hằng tuần (thứ Bảy)", "Nghỉ hằng tuần (Chủ nhật)"]);
    let json = serde_json::to_value(&explained).unwrap();
    assert_eq!(json["due"], "2026-03-09T17:00:00+07:00");
    assert_eq!(json["skipped"][0]["kind"], "weekend");
}

#[test]
fn the_end_of_the_working_day_something_arrives_on() {
    let c = cal();
    let end = |text: &str| c.end_of_working_day(at(text)).unwrap();
    // During office hours, and in the lunch break: that day's close.
    assert_eq!(end("2026-03-02T09:00:00+07:00"), at("2026-03-02T17:00:00+07:00"));
    assert_eq!(end("2026-03-02T12:00:00+07:00"), at("2026-03-02T17:00:00+07:00"));
    // After the close, or before dawn of a working day: the next working day's, or that one's.
    assert_eq!(end("2026-03-02T17:30:00+07:00"), at("2026-03-03T17:00:00+07:00"));
    assert_eq!(end("2026-03-03T05:00:00+07:00"), at("2026-03-03T17:00:00+07:00"));
    // Friday evening and the weekend: Monday's; before Tết: the first working day after it.
    assert_eq!(end("2026-03-06T20:00:00+07:00"), at("2026-03-09T17:00:00+07:00"));
    assert_eq!(end("2026-03-08T10:00:00+07:00"), at("2026-03-09T17:00:00+07:00"));
    assert_eq!(end("2026-02-13T18:00:00+07:00"), at("2026-02-23T17:00:00+07:00"));
}
