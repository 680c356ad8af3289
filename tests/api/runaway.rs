//! A published rule that runs away on some data: the submission that triggers it gets 422
//! `rule_budget_exceeded` naming the rule and the limit, nothing is stored, and the procedure
//! keeps receiving every other submission. (How long the stop takes, and what it does to
//! other requests' latency, is measured by bench/runaway.sh, not asserted here.)

use crate::dossiers::{land_change, submit};
use crate::helpers::{TestApp, spawn_app};
use serde_json::{Value, json};

const LAND: &str = include_str!("../../procedures/1.004227-dang-ky-bien-dong-thay-doi-thong-tin.yaml");

/// What the applicant writes as the change to trigger each runaway.
const LOOPS: &str = "vòng lặp vô tận";
const SLOW: &str = "so sánh chậm";

/// Version 2 of the land procedure, whose eligibility rule never ends on two contents of the
/// change (none of them in its examples, so it is published): one loops on nothing (the
/// operation limit stops it), one compares two 2,000-entry maps over and over (each
/// operation costly: the time budget stops it long before the operation limit).
fn runaway_version() -> String {
    let rule = format!(
        "eligibility: |\n  let change = form.don_dang_ky.noi_dung_thay_doi;\n  if change == \"{LOOPS}\" {{ loop {{ }} }}\n  \
         if change == \"{SLOW}\" {{\n    let m = #{{}};\n    for i in 0..1999 {{ m[`k${{i}}`] = i; }}\n    \
         let n = m;\n    loop {{ if m != n {{ break; }} }}\n  }}\n"
    );
    LAND.replace("version: 1", "version: 2").replacen("eligibility: |\n", &rule, 1)
}

async fn publish(app: &TestApp, admin: &str, yaml: &str) {
    let draft = app
        .client
        .put(format!("{}/api/v1/procedures/1.004227/draft", app.address))
        .bearer_auth(admin)
        .header("Content-Type", "application/yaml")
        .body(yaml.to_owned())
        .send()
        .await
        .expect("sent");
    assert_eq!(draft.status(), 200, "{}", draft.text().await.unwrap_or_default());
    let published = app
        .client
        .post(format!("{}/api/v1/procedures/1.004227/publish", app.address))
        .bearer_auth(admin)
        .send()
        .await
        .expect("sent");
    assert_eq!(published.status(), 200);
}

fn with_change(id_number: &str, change: &str) -> Value {
    let mut body = land_change(id_number);
    body["form"]["don_dang_ky"]["noi_dung_thay_doi"] = json!(change);
    body
}

async fn stored(app: &TestApp, admin: &str) -> Value {
    app.json_as("/api/v1/dossiers?procedure=1.004227", admin).await["total"].clone()
}

#[tokio::test]
async fn a_runaway_rule_stops_its_submission_only() {
    let app = spawn_app().await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    let client = app.token("client", "Cổng", None, None).await;
    publish(&app, &admin, &runaway_version()).await;

    for (change, limit, max, unit) in [(LOOPS, "operations", 50_000, "operations"), (SLOW, "time", 50, "ms")] {
        let response = submit(&app, &client, &with_change("064090001234", change), None).await;
        assert_eq!(response.status(), 422, "{change}");
        assert_eq!(response.headers()["content-type"], "application/problem+json");
        let problem: Value = response.json().await.expect("JSON");
        assert_eq!(problem["code"], "rule_budget_exceeded", "{problem}");
        assert_eq!(problem["status"], 422);
        assert_eq!(
            problem["rule"],
            json!({"procedure": "1.004227", "version": 2, "pointer": "/eligibility", "line": problem["rule"]["line"], "column": problem["rule"]["column"]})
        );
        assert!(problem["rule"]["line"].as_u64().is_some_and(|line| line > 43), "{problem}");
        assert_eq!(problem["limit"], json!({"name": limit, "max": max, "unit": unit}), "{change}");
        let detail = problem["detail"].as_str().expect("detail");
        assert!(detail.starts_with("rule `/eligibility` of procedure `1.004227` version 2 was stopped"), "{detail}");
        assert!(detail.contains("publish a new version"), "{detail}");
        assert!(problem["help"].as_str().is_some_and(|help| help.contains("bound every loop")), "{problem}");
    }
    assert_eq!(stored(&app, &admin).await, 0, "nothing stored");

    let normal = submit(&app, &client, &land_change("064090005678"), None).await;
    assert_eq!(normal.status(), 201);
    let dossier: Value = normal.json().await.expect("JSON");
    assert_eq!(dossier["procedure"]["version"], 2);
    assert_eq!(stored(&app, &admin).await, 1);
}

#[tokio::test]
async fn a_draft_whose_rule_is_too_slow_on_an_example_is_refused() {
    let app = spawn_app().await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    // The first example's change now takes the slow path.
    let yaml =
        runaway_version().replace("\"Thay đổi họ tên từ Nguyễn Văn Ân thành Nguyễn Văn An\"", &format!("\"{SLOW}\""));
    let response = app
        .client
        .put(format!("{}/api/v1/procedures/1.004227/draft", app.address))
        .bearer_auth(&admin)
        .header("Content-Type", "application/yaml")
        .body(yaml)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.expect("JSON");
    assert_eq!(problem["code"], "definition_invalid");
    let text = problem["diagnostics"][0]["text"].as_str().expect("text");
    assert!(text.contains("error[rule_limit]") && text.contains("time budget of 50 ms"), "{text}");
}
