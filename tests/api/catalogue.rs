use crate::helpers::spawn_app;
use serde_json::Value;

#[tokio::test]
async fn the_shipped_catalogue_is_published_on_an_empty_database() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/procedures").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("JSON");
    let listed: std::collections::BTreeSet<&str> =
        body["items"].as_array().expect("items").iter().map(|p| p["code"].as_str().expect("code")).collect();
    assert_eq!(body["total"].as_u64(), Some(listed.len() as u64));
    // Every shipped file is published, in force today or (historic versions) not.
    for file in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/procedures")).expect("folder") {
        let name = file.expect("entry").file_name().to_string_lossy().into_owned();
        let code = name.split('-').next().expect("code prefix");
        let versions = app.get(&format!("/api/v1/procedures/{code}/versions")).await;
        assert_eq!(versions.status(), 200, "{name} is not published");
    }
    let land = body["items"].as_array().expect("items").iter().find(|p| p["code"] == "1.004227").expect("land change");
    assert_eq!(land["processing_time"], "5 ngày làm việc");
    assert_eq!(land["statutory_time"], "10 ngày làm việc");
    assert_eq!(land["legacy_level"], 3);
}

#[tokio::test]
async fn filters_and_detail() {
    let app = spawn_app().await;
    let body: Value = app.get("/api/v1/procedures?field=dat-dai").await.json().await.expect("JSON");
    assert!(body["items"].as_array().expect("items").iter().all(|p| p["field"] == "dat-dai"));
    let detail: Value = app.get("/api/v1/procedures/1.004227").await.json().await.expect("JSON");
    assert_eq!(detail["forms"][0]["id"], "don_dang_ky");
    assert_eq!(detail["forms"][0]["schema"]["type"], "object");
    assert!(detail["documents"].as_array().expect("documents").iter().any(|d| d["conditional"] == true));
    assert_eq!(detail["steps"].as_array().expect("steps").len(), 4);
}

#[tokio::test]
async fn unknown_procedure_and_unknown_filter_are_client_errors() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/procedures/9.999999").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let problem: Value = response.json().await.expect("JSON");
    assert_eq!(problem["code"], "not_found");
    let response = app.get("/api/v1/procedures?colour=red").await;
    assert_eq!(response.status(), 400);
    let problem: Value = response.json().await.expect("problem+json");
    assert_eq!(problem["code"], "invalid_query");
}
