use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};

use super::date;
use crate::calendar::{Calendar, DayOffKind};

fn vietnam() -> Calendar {
    Calendar::vietnam().unwrap()
}

fn law_only() -> Calendar {
    Calendar::builder().without_embedded_decisions().build().unwrap()
}

fn days_off(cal: &Calendar, year: i32) -> Vec<NaiveDate> {
    cal.holidays(year).unwrap().days_off.into_iter().map(|d| d.date).collect()
}

#[test]
fn days_off_2020_to_2026_match_the_announced_fixture() {
    let text = include_str!("../../../tests/fixtures/announced_days_off.json");
    let fixture: serde_json::Value = serde_json::from_str(text).unwrap();
    let cal = vietnam();
    let years = fixture.as_object().unwrap();
    assert_eq!(years.len(), 7);
    let dates = |list: &serde_json::Value| -> BTreeSet<NaiveDate> {
        list.as_array().unwrap().iter().map(|d| d["date"].as_str().unwrap().parse().unwrap()).collect()
    };
    for (year, expected) in years {
        let holidays = cal.holidays(year.parse().unwrap()).unwrap();
        let off: BTreeSet<NaiveDate> = holidays.days_off.iter().map(|d| d.date).collect();
        let worked: BTreeSet<NaiveDate> = holidays.working_weekend_days.iter().map(|d| d.date).collect();
        assert_eq!(off, dates(&expected["days_off"]), "days off {year}");
        assert_eq!(worked, dates(&expected["working_weekend_days"]), "weekend days worked {year}");
        assert!(!holidays.projected, "{year}");
    }
}

#[test]
fn years_without_an_announced_decision_are_projected() {
    let cal = vietnam();
    for year in [2000, 2019, 2027, 2099] {
        assert!(cal.holidays(year).unwrap().projected, "{year}");
    }
    assert!(!cal.holidays(2026).unwrap().projected);
    assert!(law_only().holidays(2026).unwrap().projected);
    let forecast = "year: 2027\nstatus: projected\nperiods: []\n";
    let cal = Calendar::builder().decisions_yaml("2027.yaml", forecast).unwrap().build().unwrap();
    assert!(cal.is_projected(2027));
}

#[test]
fn projected_tet_is_the_last_day_of_the_year_and_four_more_with_weekends_compensated() {
    // Tết 2027 is Saturday 6/2: 5/2–9/2 off, Saturday and Sunday compensated on 10–11/2.
    let tet: Vec<NaiveDate> = days_off(&vietnam(), 2027).into_iter().filter(|d| d.month() == 2).collect();
    assert_eq!(tet, [5, 8, 9, 10, 11].map(|d| date(2027, 2, d)));
    let cal = vietnam();
    assert_eq!(cal.day_off(date(2027, 2, 10)).unwrap().unwrap().name, "Nghỉ bù Tết Âm lịch");
    assert_eq!(cal.day_off(date(2027, 2, 6)).unwrap().unwrap().kind, DayOffKind::PublicHoliday);
}

#[test]
fn projected_day_next_to_national_day_follows_the_weekday_rule() {
    let cal = law_only();
    let september =
        |year| -> Vec<u32> { days_off(&cal, year).into_iter().filter(|d| d.month() == 9).map(|d| d.day()).collect() };
    assert_eq!(september(2024), [2, 3]); // Monday → Tuesday 3/9
    assert_eq!(september(2025), [1, 2]); // Tuesday → Monday 1/9
    assert_eq!(september(2026), [2, 3]); // Wednesday → Thursday 3/9 (the notice chose 1/9)
    assert_eq!(september(2027), [2, 3]); // Thursday → Friday 3/9
    assert_eq!(september(2022), [1, 2]); // Friday → Thursday 1/9
    assert_eq!(september(2023), [1, 4]); // Saturday → Friday 1/9, 2/9 compensated Monday 4/9
    assert_eq!(september(2029), [3, 4]); // Sunday → Saturday 1/9, both compensated 3–4/9
    // The 2012 Labor Code (to 2020) had 2/9 only.
    assert_eq!(september(2020), [2]);
    assert_eq!(september(2019), [2]);
    // The decision replaces the projection.
    let decided: Vec<u32> =
        days_off(&vietnam(), 2026).into_iter().filter(|d| d.month() == 9).map(|d| d.day()).collect();
    assert_eq!(decided, [1, 2]);
}

#[test]
fn weekend_holidays_are_compensated_on_the_next_free_working_days() {
    for cal in [vietnam(), law_only()] {
        // 30/4 and 1/5/2022 on Saturday and Sunday.
        let a = cal.day_off(date(2022, 5, 2)).unwrap().unwrap();
        let b = cal.day_off(date(2022, 5, 3)).unwrap().unwrap();
        assert_eq!((a.kind, a.name.as_str()), (DayOffKind::Compensatory, "Nghỉ bù Ngày Chiến thắng (30/4)"));
        assert_eq!(b.name, "Nghỉ bù Ngày Quốc tế Lao động (1/5)");
        assert!(cal.is_working_day(date(2022, 5, 4)).unwrap());
        // Hùng Kings' day on Sunday 26/4/2026 → Monday 27/4.
        assert_eq!(cal.day_off(date(2026, 4, 27)).unwrap().unwrap().name, "Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch)");
        // 2023: Hùng Kings Saturday 29/4, 30/4 Sunday, 1/5 Monday → 2/5 and 3/5.
        assert_eq!(cal.day_off(date(2023, 5, 2)).unwrap().unwrap().name, "Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch)");
        assert_eq!(cal.day_off(date(2023, 5, 3)).unwrap().unwrap().name, "Nghỉ bù Ngày Chiến thắng (30/4)");
        // 1/1/2023 Sunday → Monday 2/1.
        assert_eq!(cal.day_off(date(2023, 1, 2)).unwrap().unwrap().kind, DayOffKind::Compensatory);
    }
}

#[test]
fn holidays_have_their_vietnamese_names() {
    let cal = vietnam();
    let name = |d: NaiveDate| cal.day_off(d).unwrap().unwrap().name;
    assert_eq!(name(date(2025, 1, 1)), "Tết Dương lịch");
    assert_eq!(name(date(2025, 1, 29)), "Tết Âm lịch");
    assert_eq!(name(date(2025, 4, 7)), "Giỗ Tổ Hùng Vương (10/3 âm lịch)");
    assert_eq!(name(date(2027, 4, 16)), "Giỗ Tổ Hùng Vương (10/3 âm lịch)");
    assert_eq!(name(date(2025, 4, 30)), "Ngày Chiến thắng (30/4)");
    assert_eq!(name(date(2025, 5, 1)), "Ngày Quốc tế Lao động (1/5)");
    assert_eq!(name(date(2025, 9, 2)), "Quốc khánh (2/9)");
    assert_eq!(name(date(2027, 9, 3)), "Quốc khánh (ngày liền kề 2/9)");
    assert_eq!(name(date(2026, 11, 24)), "Ngày Văn hóa Việt Nam (24/11)");
    assert_eq!(name(date(2025, 5, 2)), "Nghỉ hoán đổi (làm bù 26/04/2025)");
    assert_eq!(name(date(2025, 5, 3)), "Nghỉ hằng tuần (thứ Bảy)");
    assert_eq!(name(date(2025, 5, 4)), "Nghỉ hằng tuần (Chủ nhật)");
    assert_eq!(cal.day_off(date(2025, 5, 5)).unwrap(), None);
    // A swapped Saturday is a working day.
    assert!(cal.is_working_day(date(2025, 4, 26)).unwrap());
    assert_eq!(cal.day_off(date(2026, 1, 10)).unwrap(), None);
    assert_eq!(cal.holidays(2026).unwrap().working_weekend_days[0].name, "Làm bù cho ngày nghỉ 02/01/2026");
}

#[test]
fn holidays_follow_the_rule_set_in_force_on_their_date() {
    let cal = vietnam();
    // Culture day from 2026 only: 24/11/2025 (Monday) is worked.
    assert!(cal.is_working_day(date(2025, 11, 24)).unwrap());
    // Labor Code 1994: Tết 4 days (Tết 2010 is Sunday 14/2: 13–16/2, Saturday and Sunday
    // compensated on 17–18/2).
    let tet_2010: Vec<NaiveDate> = days_off(&cal, 2010).into_iter().filter(|d| d.month() == 2).collect();
    assert_eq!(tet_2010, [15, 16, 17, 18].map(|d| date(2010, 2, d)));
    // Labor Code 2012: Tết 5 days (Tết 2014 is Friday 31/1: 30/1–3/2, weekend compensated 4–5/2).
    let tet_2014: Vec<NaiveDate> = days_off(&cal, 2014).into_iter().filter(|d| *d < date(2014, 3, 1)).collect();
    assert_eq!(
        tet_2014,
        [date(2014, 1, 1), date(2014, 1, 30), date(2014, 1, 31), date(2014, 2, 3), date(2014, 2, 4), date(2014, 2, 5)]
    );
    // No Hùng Kings' day before 2007 (10/3 lunar 2005 = Monday 18/4/2005).
    assert!(cal.is_working_day(date(2005, 4, 18)).unwrap());
}

#[test]
fn an_administrator_file_replaces_the_shipped_one() {
    let text = "year: 2026\nstatus: announced\nsources: [\"test\"]\nperiods:\n  - { kind: tet, name: \"Tết Âm lịch\", from: 2026-02-13, to: 2026-02-23 }\nswaps: []\n";
    let cal = Calendar::builder().decisions_yaml("/etc/motcua/2026.yaml", text).unwrap().build().unwrap();
    let off = days_off(&cal, 2026);
    assert!(off.contains(&date(2026, 2, 13)) && off.contains(&date(2026, 2, 23)));
    // The shipped swaps of 2026 are gone, the national day is projected again.
    assert!(cal.is_working_day(date(2026, 1, 2)).unwrap());
    assert!(!cal.is_working_day(date(2026, 9, 3)).unwrap());
    assert_eq!(cal.decision(2026).unwrap().sources, ["test"]);
}

#[test]
fn year_holidays_serialize_to_the_documented_shape() {
    let json = serde_json::to_value(vietnam().holidays(2024).unwrap()).unwrap();
    let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["days_off", "projected", "working_weekend_days", "year"]);
    assert_eq!(json["year"], 2024);
    assert_eq!(json["projected"], false);
    assert_eq!(json["days_off"][0], serde_json::json!({"date": "2024-01-01", "name": "Tết Dương lịch"}));
    assert_eq!(json["working_weekend_days"][0]["date"], "2024-05-04");
    // Monday–Friday only.
    let listed = vietnam().holidays(2024).unwrap().days_off;
    assert!(listed.iter().all(|d| !crate::calendar::decisions::is_weekend(d.date)));
}

#[test]
fn the_calendar_is_cheap_to_share() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Calendar>();
    let cal = vietnam();
    let copy = cal.clone();
    assert_eq!(copy.working_day_minutes(), 480);
}
