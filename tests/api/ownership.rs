//! A procedure code belongs to an agency: a department edits only its own agency's codes,
//! whatever agency an uploaded text names; an administrator moves a code, on the record; and
//! a version whose own examples fail is never stored.

use crate::helpers::{TestApp, spawn_app};
use serde_json::{Value, json};

const LAND: &str = include_str!("../../procedures/1.004227-dang-ky-bien-dong-thay-doi-thong-tin.yaml");

async fn put_draft(app: &TestApp, token: &str, code: &str, yaml: &str) -> reqwest::Response {
    app.put_draft(token, code, yaml).await
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    app.client.post(format!("{}{path}", app.address)).bearer_auth(token).json(&body).send().await.expect("sent")
}

/// The land procedure rewritten as another agency's: its own name and desks, a new version.
fn taken_over(agency: &str, version: u32) -> String {
    LAND.replace("G22.26.01", agency).replacen("\nversion: 1\n", &format!("\nversion: {version}\n"), 1)
}

async fn versions(app: &TestApp, token: &str) -> Vec<Value> {
    let body = app.json_as("/api/v1/procedures/1.004227/versions", token).await;
    body["versions"].as_array().expect("versions").clone()
}

#[tokio::test]
async fn a_department_cannot_take_over_another_agencys_procedure() {
    let app = spawn_app().await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    let owner = app.token("department", "Chi nhánh VPĐKĐĐ Pleiku", Some("G22.26.01"), None).await;
    let other = app.token("department", "UBND phường Hội Thương", Some("G22.26.05"), None).await;

    // The shipped catalogue recorded who owns the land code.
    let recorded = app.json_as("/api/v1/procedures/1.004227/owner", &admin).await;
    assert_eq!(recorded["agency"], "G22.26.01", "{recorded}");

    // Another department uploads the code under its own agency and desks: refused, nothing kept.
    let response = put_draft(&app, &other, "1.004227", &taken_over("G22.26.05", 2)).await;
    assert_eq!(response.status(), 403);
    let problem: Value = response.json().await.expect("JSON");
    assert_eq!(problem["code"], "not_owner", "{problem}");
    assert!(problem["detail"].as_str().is_some_and(|d| d.contains("G22.26.01")), "{problem}");
    assert!(versions(&app, &admin).await.iter().all(|v| v["status"] != "draft"), "no draft was stored");
    assert_eq!(post(&app, &other, "/api/v1/procedures/1.004227/publish", json!(null)).await.status(), 404);
    assert_eq!(post(&app, &other, "/api/v1/procedures/1.004227/retire", json!({})).await.status(), 403);

    // New land dossiers still go to the owner's desk, and the owner still retires and edits.
    let procedure = app.json_as("/api/v1/procedures/1.004227", &admin).await;
    assert_eq!(procedure["agency"], "G22.26.01", "{procedure}");
    let version_two = LAND.replacen("\nversion: 1\n", "\nversion: 2\n", 1);
    assert_eq!(put_draft(&app, &owner, "1.004227", &version_two).await.status(), 200);
    // The other department cannot overwrite the owner's draft either.
    assert_eq!(put_draft(&app, &other, "1.004227", &taken_over("G22.26.05", 3)).await.status(), 403);
    assert_eq!(post(&app, &other, "/api/v1/procedures/1.004227/publish", json!(null)).await.status(), 403);
    assert_eq!(post(&app, &owner, "/api/v1/procedures/1.004227/publish", json!(null)).await.status(), 200);
    assert_eq!(post(&app, &owner, "/api/v1/procedures/1.004227/retire", json!({"version": 2})).await.status(), 200);
}

#[tokio::test]
async fn the_owner_cannot_hand_its_dossiers_to_an_agency_outside_it() {
    let app = spawn_app().await;
    // A parent of both agencies uploads the code naming the ward: the code stays the branch's.
    let province = app.token("department", "UBND thành phố", Some("G22.26"), None).await;
    let response = put_draft(&app, &province, "1.004227", &taken_over("G22.26.05", 2)).await;
    assert_eq!(response.status(), 403);
    let problem: Value = response.json().await.expect("JSON");
    assert_eq!(problem["code"], "not_owner");
    assert!(problem["detail"].as_str().is_some_and(|d| d.contains("/owner")), "says how to move it: {problem}");
}

#[tokio::test]
async fn an_administrator_moves_a_code_on_the_record() {
    let app = spawn_app().await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    let branch = app.token("department", "Chi nhánh VPĐKĐĐ Pleiku", Some("G22.26.01"), None).await;
    let ward = app.token("department", "UBND phường Hội Thương", Some("G22.26.05"), None).await;
    let move_to = |token: String, body: Value| {
        let app = &app;
        async move {
            app.client
                .put(format!("{}/api/v1/procedures/1.004227/owner", app.address))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("sent")
        }
    };
    let change = json!({"agency": "G22.26.05", "reason": "Quyết định số 12/QĐ-UBND giao thẩm quyền cho phường"});
    assert_eq!(move_to(branch.clone(), change.clone()).await.status(), 403, "a department cannot move a code");
    assert_eq!(move_to(admin.clone(), json!({"agency": "G22.26.05", "reason": " "})).await.status(), 400);
    assert_eq!(move_to(admin.clone(), json!({"agency": "not a code", "reason": "x"})).await.status(), 400);
    let moved = move_to(admin.clone(), change).await;
    assert_eq!(moved.status(), 200);
    let moved: Value = moved.json().await.expect("JSON");
    assert_eq!(moved["agency"], "G22.26.05");
    let history = moved["history"].as_array().expect("history");
    assert_eq!(history.len(), 2, "{moved}");
    assert_eq!(history[0]["agency"], "G22.26.01");
    assert!(history[1]["assigned_by"].as_str().is_some_and(|by| by.starts_with("Quản trị")), "{moved}");
    assert!(history[1]["reason"].as_str().is_some_and(|r| r.contains("12/QĐ-UBND")), "{moved}");

    // From now on the ward edits the code, and the branch no longer does.
    assert_eq!(
        put_draft(&app, &branch, "1.004227", &LAND.replacen("\nversion: 1\n", "\nversion: 2\n", 1)).await.status(),
        403
    );
    // The ward's version from 1 April; version 1 (the branch's) ends the day before.
    let from_april = taken_over("G22.26.05", 2).replacen("valid_from: 2021-07-01", "valid_from: 2026-04-01", 1);
    // Its examples are of dates before it: left out.
    let from_april = from_april.split("\nexamples:").next().expect("text").to_owned() + "\n";
    assert_eq!(put_draft(&app, &ward, "1.004227", &from_april).await.status(), 200);
    assert_eq!(post(&app, &ward, "/api/v1/procedures/1.004227/publish", json!(null)).await.status(), 200);
    // Version 1 still names the branch; the new owner retires it all the same.
    assert_eq!(post(&app, &ward, "/api/v1/procedures/1.004227/retire", json!({"version": 1})).await.status(), 200);
    app.clock.set(chrono::DateTime::parse_from_rfc3339("2026-04-01T08:00:00+07:00").expect("time"));
    let procedure = app.json_as("/api/v1/procedures/1.004227", &admin).await;
    assert_eq!(procedure["agency"], "G22.26.05", "{procedure}");
}

#[tokio::test]
async fn a_code_first_published_belongs_to_its_publisher_and_drafts_are_not_overwritten() {
    let app = spawn_app().await;
    let branch = app.token("department", "Chi nhánh VPĐKĐĐ Pleiku", Some("G22.26.01"), None).await;
    let ward = app.token("department", "UBND phường Hội Thương", Some("G22.26.05"), None).await;
    let new_code = |agency: &str| taken_over(agency, 1).replace("code: \"1.004227\"", "code: \"1.099999\"");
    assert_eq!(app.get("/api/v1/procedures/1.099999/owner").await.status(), 404);
    assert_eq!(put_draft(&app, &ward, "1.099999", &new_code("G22.26.05")).await.status(), 200);
    // Before publication, another agency may not replace the ward's draft.
    assert_eq!(put_draft(&app, &branch, "1.099999", &new_code("G22.26.01")).await.status(), 403);
    assert_eq!(post(&app, &ward, "/api/v1/procedures/1.099999/publish", json!(null)).await.status(), 200);
    let owner: Value = app.get("/api/v1/procedures/1.099999/owner").await.json().await.expect("JSON");
    assert_eq!(owner["agency"], "G22.26.05", "{owner}");
    assert_eq!(owner["history"][0]["reason"], "first publication");
}

#[tokio::test]
async fn a_version_whose_own_examples_fail_is_refused_with_the_examples_place() {
    let app = spawn_app().await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    let wrong = LAND.replacen("\nversion: 1\n", "\nversion: 2\n", 1).replace(
        "expect: { accepted: true, fee: 30000, due: 2026-02-26T09:00:00+07:00 }",
        "expect: { accepted: true, fee: 40000, due: 2026-02-26T09:00:00+07:00 }",
    );
    let response = put_draft(&app, &admin, "1.004227", &wrong).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.expect("JSON");
    assert_eq!(problem["code"], "definition_invalid");
    let line = wrong.lines().position(|l| l.contains("fee: 40000")).expect("the line") + 1;
    let diagnostics = problem["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{problem}");
    let text = diagnostics[0]["text"].as_str().expect("text");
    assert!(text.starts_with(&format!("1.004227.yaml:{line}:")), "{text}");
    assert!(text.contains("error[example_failed]") && text.contains("fee: expected 40000, got 30000"), "{text}");
    assert!(versions(&app, &admin).await.iter().all(|v| v["status"] != "draft"), "nothing stored");
}
