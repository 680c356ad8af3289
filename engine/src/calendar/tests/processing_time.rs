use crate::calendar::{CalendarError, MAX_WORKING_DAYS, ProcessingTime, WorkingDays, WorkingHours};

#[test]
fn working_days_accept_fractions_to_a_thousandth() {
    for (text, thousandths) in
        [("0", 0), ("0.25", 250), ("0.5", 500), ("1.5", 1500), ("5", 5000), ("0.001", 1), ("365", 365_000)]
    {
        let days: WorkingDays = text.parse().unwrap();
        assert_eq!(days.thousandths(), thousandths, "{text}");
        assert_eq!(days.to_string(), text);
    }
    assert_eq!(WorkingDays::try_from(1.5).unwrap().to_minutes(480), 720);
    assert_eq!(WorkingDays::try_from(0.001).unwrap().to_minutes(480), 0);
    assert_eq!(WorkingDays::try_from(0.002).unwrap().to_minutes(480), 1);
    assert_eq!(WorkingDays::ZERO.to_minutes(480), 0);
}

#[test]
fn working_days_reject_invalid_values() {
    for text in ["-1", "NaN", "inf", "365.5", "0.0005", "abc", "", " 5"] {
        let err = text.parse::<WorkingDays>().unwrap_err();
        assert_eq!(err.code(), "invalid_working_days", "{text}");
    }
    for value in [-0.5, f64::NAN, f64::INFINITY, f64::from(MAX_WORKING_DAYS) + 0.001] {
        assert!(WorkingDays::try_from(value).is_err(), "{value}");
    }
    let err = "400".parse::<WorkingDays>().unwrap_err();
    assert_eq!(err, CalendarError::InvalidWorkingDays { value: "400".to_owned(), max: 365 });
    assert_eq!(err.to_string(), "invalid working days `400`: expected a number from 0 to 365 in steps of 0.001");
}

#[test]
fn working_days_serialize_as_numbers() {
    let days: WorkingDays = serde_json::from_str("1.5").unwrap();
    assert_eq!(serde_json::to_string(&days).unwrap(), "1.5");
    assert!(serde_json::from_str::<WorkingDays>("-2").is_err());
}

#[test]
fn working_hours_take_decimal_or_clock_form() {
    assert_eq!("1.5".parse::<WorkingHours>().unwrap().minutes(), 90);
    assert_eq!("1:30".parse::<WorkingHours>().unwrap().minutes(), 90);
    assert_eq!("4".parse::<WorkingHours>().unwrap().to_string(), "4");
    assert_eq!("0:05".parse::<WorkingHours>().unwrap().to_string(), "0:05");
    for text in ["-1", "1:60", "1:5", "0.001", "3000", "x"] {
        assert_eq!(text.parse::<WorkingHours>().unwrap_err().code(), "invalid_working_hours", "{text}");
    }
}

#[test]
fn processing_times_display_in_vietnamese() {
    let days = ProcessingTime::WorkingDays("2.5".parse().unwrap());
    assert_eq!(days.to_string(), "2.5 ngày làm việc");
    assert_eq!(ProcessingTime::CalendarDays(30).to_string(), "30 ngày");
}
