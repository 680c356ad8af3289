//! The `motcua calendar` contracts outside tools rely on (DESIGN.md "Contracts").
#![allow(clippy::expect_used, clippy::unwrap_used)]

use serde_json::Value;
use std::process::Command;

fn motcua(args: &[&str]) -> (i32, Value, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the motcua binary runs");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (output.status.code().unwrap_or(-1), json, String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn holidays_of_2026_as_announced() {
    let (code, json, _) = motcua(&["--format", "json", "calendar", "holidays", "--year", "2026"]);
    assert_eq!(code, 0);
    assert_eq!(json["year"], 2026);
    let dates = |key: &str| -> Vec<String> {
        json[key].as_array().unwrap().iter().map(|d| d["date"].as_str().unwrap().to_owned()).collect()
    };
    let off = dates("days_off");
    for day in ["2026-01-02", "2026-02-16", "2026-02-20", "2026-04-27", "2026-08-31", "2026-09-01", "2026-09-02"] {
        assert!(off.contains(&day.to_owned()), "{day} missing from {off:?}");
    }
    assert!(!off.contains(&"2026-02-14".to_owned()), "days_off lists Monday–Friday only");
    assert_eq!(dates("working_weekend_days"), ["2026-01-10", "2026-08-22"]);
    assert!(json["days_off"][0]["name"].as_str().unwrap().contains("Tết"));
}

#[test]
fn add_skips_tet_and_explains_it() {
    let (code, json, _) =
        motcua(&["--format", "json", "calendar", "add", "--from", "2026-02-12T09:00:00+07:00", "--working-days", "5"]);
    assert_eq!(code, 0);
    assert_eq!(json["due"], "2026-02-26T09:00:00+07:00");
    assert!(json["skipped"].as_array().unwrap().iter().any(|d| d["date"] == "2026-02-17"));
}

#[test]
fn office_hours_are_configurable() {
    // An office open 08:00–12:00 and 13:00–17:00: half a day from 10:00 ends at 15:00.
    let args = ["--format", "json", "--office-hours", "08:00-12:00,13:00-17:00", "calendar", "add"];
    let (code, json, _) =
        motcua(&[&args[..], &["--from", "2026-03-02T10:00:00+07:00", "--working-days", "0.5"]].concat());
    assert_eq!((code, json["due"].as_str()), (0, Some("2026-03-02T15:00:00+07:00")));
    let (code, _, stderr) = motcua(&["--office-hours", "17:00-08:00", "calendar", "lunar", "2026-01-01"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn lunar_date_and_usage_errors() {
    let (code, json, _) = motcua(&["--format", "json", "calendar", "lunar", "2026-01-01"]);
    assert_eq!(code, 0);
    assert_eq!(json, serde_json::json!({"day": 13, "month": 11, "year": 2025, "leap": false}));
    let (code, json, _) = motcua(&["--format", "json", "calendar", "lunar", "2025-07-25"]);
    assert_eq!((code, json["month"].as_i64(), json["leap"].as_bool()), (0, Some(6), Some(true)));
    let (code, _, _) = motcua(&["calendar", "lunar", "2026-13-01"]);
    assert_eq!(code, 2, "a malformed argument is a usage error");
    let (code, json, _) = motcua(&["--format", "json", "calendar", "holidays", "--year", "2150"]);
    assert_eq!(code, 1, "a year outside the calendar is invalid input");
    assert!(json["error"].is_string());
}
