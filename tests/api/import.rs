//! Importing historic dossiers: deadlines recomputed on their own year's calendar, a bad line
//! reported with its number and nothing of it stored.

use crate::dossiers::land_change;
use crate::helpers::spawn_app;
use serde_json::{Value, json};

fn official(role: &str, agency: &str) -> Value {
    json!({"kind": "official", "id": format!("{role}-2022"), "role": role, "agency": agency})
}

fn historic(received_at: &str, events: Value) -> Value {
    let mut line = land_change("064090001234");
    line["source_id"] = json!(format!("HS-{received_at}-{}", events.as_array().map_or(0, Vec::len)));
    line["channel"] = json!("counter");
    line["received_at"] = json!(received_at);
    line["events"] = events;
    line.as_object_mut().expect("object").remove("procedure");
    line["procedure"] = json!("1.004227");
    line
}

#[tokio::test]
async fn historic_dossiers_are_judged_on_their_own_calendar_and_bad_lines_are_reported() {
    let app = spawn_app().await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    let desk = official("reception", "G22.26.01.01");
    // Received Thursday 27/1/2022, just before Tết 2022 (off 29/1–6/2): 5 working days end
    // Thursday 10/2 09:00.
    let good = historic(
        "2022-01-27T09:00:00+07:00",
        json!([
            {"at": "2022-01-27T10:00:00+07:00", "actor": desk, "action": {"action": "forward"}},
            {"at": "2022-02-08T10:00:00+07:00", "actor": official("specialist", "G22.26.01.03"), "action": {"action": "forward"}},
            {"at": "2022-02-09T10:00:00+07:00", "actor": official("leader", "G22.26.01.03"), "action": {"action": "decide", "approved": true}},
            {"at": "2022-02-10T08:30:00+07:00", "actor": desk, "action": {"action": "return_result", "channel": "counter"}}
        ]),
    );
    let mut incomplete = historic("2022-03-01T09:00:00+07:00", json!([]));
    incomplete["documents"] = json!(["don"]);
    let wrong_actor = historic(
        "2022-03-01T09:00:00+07:00",
        json!([{"at": "2022-03-01T10:00:00+07:00", "actor": official("specialist", "G22.26.01.03"), "action": {"action": "forward"}}]),
    );
    let body = format!("{good}\n{{\"procedure\": \"1.004227\", \"channel\":\n{incomplete}\n{wrong_actor}\n");
    let response = app.import(&admin, body).await;
    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.expect("JSON");
    assert_eq!(report["imported"], 1, "{report}");
    let errors: Vec<(u64, &str)> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| (e["line"].as_u64().expect("line"), e["code"].as_str().expect("code")))
        .collect();
    assert_eq!(errors, [(2, "invalid_line"), (3, "submission_refused"), (4, "action_refused")]);

    let code = report["dossiers"][0]["code"].as_str().expect("code");
    assert!(code.contains("-220127-"), "coded for its receipt date: {code}");
    let dossier: Value = app.json_as(&format!("/api/v1/dossiers/{code}"), &admin).await;
    assert_eq!(dossier["due"], "2022-02-10T09:00:00+07:00");
    assert_eq!(dossier["timing"], "on_time");
    assert_eq!(dossier["status_code"], 10);
    let all: Value = app.json_as("/api/v1/dossiers", &admin).await;
    assert_eq!(all["total"], 1, "nothing of the bad lines is stored");

    let client = app.token("client", "Cổng", None, None).await;
    let forbidden = app.import(&client, "{}".to_owned()).await;
    assert_eq!(forbidden.status(), 403);
}

/// A line of the previous system's export: one land dossier returned late, without an apology.
fn returned_late_without_apology(source_id: &str, old_code: &str) -> Value {
    let desk = official("reception", "G22.26.01.01");
    let mut line = historic(
        "2022-03-01T09:00:00+07:00",
        json!([
            {"at": "2022-03-01T10:00:00+07:00", "actor": desk, "action": {"action": "forward"}},
            {"at": "2022-03-10T10:00:00+07:00", "actor": official("specialist", "G22.26.01.03"), "action": {"action": "forward"}},
            {"at": "2022-03-11T10:00:00+07:00", "actor": official("leader", "G22.26.01.03"), "action": {"action": "decide", "approved": true}},
            {"at": "2022-03-11T15:00:00+07:00", "actor": desk, "action": {"action": "return_result", "channel": "counter"}}
        ]),
    );
    line["source_id"] = json!(source_id);
    line["source_code"] = json!(old_code);
    line
}

#[tokio::test]
async fn history_is_what_happened_and_a_file_imported_twice_creates_nothing_new() {
    let app = spawn_app().await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    let post = |body: String| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let response = app.import(&admin, body).await;
            assert_eq!(response.status(), 200);
            response.json::<Value>().await.expect("JSON")
        }
    };
    let late = returned_late_without_apology("MOTCUA-CU-000123", "H39.18-220301-0042");
    let mut missing = historic("2022-03-02T09:00:00+07:00", json!([]));
    missing.as_object_mut().expect("object").remove("source_id");
    let file = format!("{late}\n{missing}\n");

    // Due Tuesday 8/3 09:00, returned Friday 11/3 with no apology: imported, late, flagged.
    let first = post(file.clone()).await;
    assert_eq!((first["imported"].as_u64(), first["failed"].as_u64()), (Some(1), Some(1)), "{first}");
    assert_eq!(first["errors"][0]["code"], "missing_source_id", "{first}");
    let code = first["dossiers"][0]["code"].as_str().expect("code").to_owned();
    let dossier: Value = app.json_as(&format!("/api/v1/dossiers/{code}"), &admin).await;
    assert_eq!(dossier["due"], "2022-03-08T09:00:00+07:00");
    assert_eq!((dossier["timing"].as_str(), dossier["status_code"].as_i64()), (Some("late"), Some(10)));
    assert_eq!(dossier["late_without_apology"], true, "{dossier}");
    assert!(dossier["apology"].is_null());
    assert_eq!(dossier["source_code"], "H39.18-220301-0042");
    let stats: Value = app.json_as("/api/v1/stats?from=2022-03-01&to=2022-03-31", &admin).await;
    assert_eq!(stats["resolved"]["late"], 1, "counted late: {stats}");

    // The same file again: nothing new, each line said to be imported already.
    let again = post(file).await;
    assert_eq!((again["imported"].as_u64(), again["already_imported"].as_u64()), (Some(0), Some(1)), "{again}");
    assert_eq!(again["already"][0], json!({"line": 1, "code": code}));
    let all: Value = app.json_as("/api/v1/dossiers", &admin).await;
    assert_eq!(all["total"], 1, "{all}");

    // The old code finds it.
    let found: Value = app.json_as("/api/v1/dossiers?source_code=H39.18-220301-0042", &admin).await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["code"], code.as_str());
    let none: Value = app.json_as("/api/v1/dossiers?source_code=H39.18-220301-0043", &admin).await;
    assert_eq!(none["total"], 0);
}

/// The service level a dossier records is stated in the scale of its receipt date: levels 1–4
/// before Decree 42/2022, full or partial online after, under Decree 224/2026 from 1/7/2026.
#[tokio::test]
async fn a_dossier_states_its_service_level_in_the_scale_of_its_receipt_date() {
    let app = spawn_app().await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    let mut lines = Vec::new();
    for (i, received) in ["2021-09-06T09:00:00+07:00", "2023-03-06T09:00:00+07:00"].iter().enumerate() {
        let mut line = historic(received, json!([]));
        line["source_id"] = json!(format!("LEVEL-{i}"));
        lines.push(line.to_string());
    }
    let report: Value = app.import(&admin, lines.join("\n")).await.json().await.expect("JSON");
    assert_eq!(report["imported"], 2, "{report}");
    let level = |i: usize| {
        let code = report["dossiers"][i]["code"].as_str().expect("code").to_owned();
        let app = &app;
        let admin = admin.clone();
        async move { app.json_as(&format!("/api/v1/dossiers/{code}"), &admin).await["receipt"]["service_level"].clone() }
    };
    assert_eq!(level(0).await, json!({"scale": "decree43_levels", "level": "3", "label": "Mức độ 3"}));
    assert_eq!(level(1).await, json!({"scale": "decree42_full_partial", "level": "partial", "label": "Một phần"}));
    // Received at the desk on 1/7/2026: Decree 224/2026's scale.
    app.clock.set(chrono::DateTime::parse_from_rfc3339("2026-07-01T08:00:00+07:00").expect("time"));
    let desk = app.token("officer", "Một cửa", Some("G22.26.01.01"), Some("reception")).await;
    let mut counter = land_change("064090000009");
    counter["channel"] = json!("counter");
    let created: Value = crate::dossiers::submit(&app, &desk, &counter, None).await.json().await.expect("JSON");
    assert_eq!(created["receipt"]["service_level"]["scale"], "decree224", "{created}");
}
