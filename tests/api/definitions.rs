//! The definition lifecycle: draft with located diagnostics, impact preview, publish while a
//! dossier of the old version is in flight, versions, diff, retire.

use crate::dossiers::{land_change, submit, submit_received};
use crate::helpers::{TestApp, spawn_app};
use serde_json::Value;

const LAND: &str = include_str!("../../procedures/1.004227-dang-ky-bien-dong-thay-doi-thong-tin.yaml");

async fn put_draft(app: &TestApp, token: &str, yaml: &str) -> reqwest::Response {
    app.put_draft(token, "1.004227", yaml).await
}

async fn post(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.client.post(format!("{}{path}", app.address)).bearer_auth(token).send().await.expect("sent")
}

/// Version 2 of the land procedure, cut from 5 to 3 working days.
fn version_two() -> String {
    LAND.replace("version: 1", "version: 2")
        .replace("{ working_days: 5, statutory_working_days: 10 }", "{ working_days: 3, statutory_working_days: 10 }")
        .replace("working_days: 3 }\n  - { id: ky_duyet", "working_days: 1.5 }\n  - { id: ky_duyet")
        .replace("working_days: 1 }\n  - { id: tra_ket_qua", "working_days: 0.5 }\n  - { id: tra_ket_qua")
        .replace("due: 2026-02-26T09:00:00+07:00", "due: 2026-02-24T09:00:00+07:00")
        .replace("due: 2026-11-30T14:00:00+07:00", "due: 2026-11-26T14:00:00+07:00")
}

#[tokio::test]
async fn a_broken_draft_is_refused_with_located_diagnostics() {
    let app = spawn_app().await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    let broken = version_two().replace("role: specialist", "role: chuyen_vien");
    let response = put_draft(&app, &admin, &broken).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.expect("JSON");
    assert_eq!(problem["code"], "definition_invalid");
    let text = problem["diagnostics"][0]["text"].as_str().expect("text");
    assert!(text.starts_with("1.004227.yaml:"), "{text}");
    assert!(text.contains("error[unknown_role]"), "{text}");
    let wrong_type = app
        .client
        .put(format!("{}/api/v1/procedures/1.004227/draft", app.address))
        .bearer_auth(&admin)
        .body(broken)
        .send()
        .await
        .expect("sent");
    assert_eq!(wrong_type.status(), 415);
    let same_version = put_draft(&app, &admin, LAND).await;
    assert_eq!(same_version.status(), 409);
}

#[tokio::test]
async fn publishing_a_cut_time_never_changes_a_dossier_in_flight() {
    let app = spawn_app().await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    let client = app.token("client", "Cổng", None, None).await;
    let other_department = app.token("department", "Sở khác", Some("G22.11"), None).await;
    let old = submit_received(&app, &client, &land_change("064090001234")).await;
    assert_eq!(old["procedure"]["version"], 1);

    assert_eq!(put_draft(&app, &other_department, &version_two()).await.status(), 403);
    assert_eq!(put_draft(&app, &admin, &version_two()).await.status(), 200);
    // Five working days later, the old dossier is on time against 5 days but would be late
    // against 3.
    app.clock.advance(chrono::Duration::days(5));
    let impact: Value = app.json_as("/api/v1/procedures/1.004227/impact", &admin).await;
    assert_eq!(
        (impact["open"].as_u64(), impact["late_now"].as_u64(), impact["late_with_draft"].as_u64()),
        (Some(1), Some(0), Some(1))
    );
    assert_eq!(impact["newly_late"][0], old["code"]);

    let diff: Value = app.get("/api/v1/procedures/1.004227/diff?from=1&to=draft").await.json().await.expect("JSON");
    assert_eq!(diff.get("changes"), None, "drafts are for editors only");
    let diff: Value = app.json_as("/api/v1/procedures/1.004227/diff?from=1&to=draft", &admin).await;
    let changed: Vec<&str> =
        diff["changes"].as_array().expect("changes").iter().map(|c| c["path"].as_str().expect("path")).collect();
    assert!(changed.contains(&"/processing_time/working_days"), "{changed:?}");

    assert_eq!(post(&app, &admin, "/api/v1/procedures/1.004227/publish").await.status(), 200);
    let new: Value = submit(&app, &client, &land_change("064090005678"), None).await.json().await.expect("JSON");
    assert_eq!(new["procedure"]["version"], 2);
    let old_again: Value = app
        .client
        .get(format!("{}/api/v1/dossiers/{}", app.address, old["code"].as_str().expect("code")))
        .bearer_auth(&client)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert_eq!(old_again["procedure"]["version"], 1);
    assert_eq!(old_again["due"], old["due"]);

    let versions: Value = app.get("/api/v1/procedures/1.004227/versions").await.json().await.expect("JSON");
    let statuses: Vec<&str> = versions["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| v["status"].as_str().expect("status"))
        .collect();
    // Version 2 starts when version 1 did: it replaces it, which is retired, not left
    // published where it could never be in force again.
    assert_eq!(statuses, ["retired", "published"]);
}

#[tokio::test]
async fn validity_periods_never_overlap_silently() {
    let app = spawn_app().await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    let client = app.token("client", "Cổng", None, None).await;
    // Version 2 from 1 April: version 1 ends on 31 March, and the answer says so.
    // Its examples are of dates before it: left out.
    let april = version_two().replacen("valid_from: 2021-07-01", "valid_from: 2026-04-01", 1);
    let april = april.split("\nexamples:").next().expect("text").to_owned() + "\n";
    assert_eq!(put_draft(&app, &admin, &april).await.status(), 200);
    let published = post(&app, &admin, "/api/v1/procedures/1.004227/publish").await;
    assert_eq!(published.status(), 200);
    let published: Value = published.json().await.expect("JSON");
    let earlier = &published["earlier_versions"][0];
    assert_eq!(
        (earlier["version"].as_i64(), earlier["valid_to"].as_str()),
        (Some(1), Some("2026-03-31")),
        "{published}"
    );
    assert!(earlier["note"].as_str().is_some_and(|n| n.contains("31/03/2026")), "{published}");
    let versions: Value = app.get("/api/v1/procedures/1.004227/versions").await.json().await.expect("JSON");
    assert_eq!(versions["versions"][0]["valid_to"], "2026-03-31", "{versions}");
    // In March dossiers go under version 1, from April under version 2.
    let march: Value = submit(&app, &client, &land_change("064090000001"), None).await.json().await.expect("JSON");
    assert_eq!(march["procedure"]["version"], 1);
    app.clock.set(chrono::DateTime::parse_from_rfc3339("2026-04-01T08:00:00+07:00").expect("time"));
    let april: Value = submit(&app, &client, &land_change("064090000002"), None).await.json().await.expect("JSON");
    assert_eq!(april["procedure"]["version"], 2);
    // A version whose period is over before it is published could never be in force: refused.
    let past = LAND.replacen("\nversion: 1\n", "\nversion: 3\n", 1).replacen(
        "valid_from: 2021-07-01",
        "valid_from: 2021-07-01\nvalid_to: 2025-12-31",
        1,
    );
    let past = past.split("\nexamples:").next().expect("text").to_owned() + "\n";
    assert_eq!(put_draft(&app, &admin, &past).await.status(), 200);
    let refused = post(&app, &admin, "/api/v1/procedures/1.004227/publish").await;
    assert_eq!(refused.status(), 409);
    let problem: Value = refused.json().await.expect("JSON");
    assert_eq!(problem["code"], "version_overlap", "{problem}");
}

/// An instance that has not yet seen a version another one published still acts on a dossier
/// filed under it: it reloads the catalogue rather than fail.
#[tokio::test]
async fn an_action_under_a_version_published_elsewhere_never_fails() {
    let a = spawn_app().await;
    // A second instance on the same database that would not check for a long time.
    let b = crate::helpers::spawn_app_on_with(a.database_url.clone(), |settings| {
        settings.catalogue_refresh_interval = std::time::Duration::from_secs(3600);
    })
    .await;
    let admin = a.token("admin", "Quản trị", None, None).await;
    let client = a.token("client", "Cổng", None, None).await;
    let desk = a.token("officer", "Một cửa", Some("G22.26.01.01"), Some("reception")).await;
    assert_eq!(put_draft(&a, &admin, &version_two()).await.status(), 200);
    assert_eq!(post(&a, &admin, "/api/v1/procedures/1.004227/publish").await.status(), 200);
    let filed: Value = submit(&a, &client, &land_change("064090001234"), None).await.json().await.expect("JSON");
    assert_eq!(filed["procedure"]["version"], 2);
    let code = filed["code"].as_str().expect("code");
    let accepted = b
        .client
        .post(format!("{}/api/v1/dossiers/{code}/actions", b.address))
        .bearer_auth(&desk)
        .header("If-Match", "\"1\"")
        .json(&serde_json::json!({"action": "accept"}))
        .send()
        .await
        .expect("sent");
    let status = accepted.status();
    let body: Value = accepted.json().await.expect("JSON");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["due"], "2026-03-05T08:00:00+07:00", "3 working days, version 2's");
}

#[tokio::test]
async fn a_document_declares_the_files_it_is_provided_as_and_the_catalogue_publishes_them() {
    let app = spawn_app().await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    let with_files = version_two().replace(
        "  - id: gcn\n    title: \"Bản gốc Giấy chứng nhận đã cấp\"\n    kind: original\n",
        "  - id: gcn\n    title: \"Bản gốc Giấy chứng nhận đã cấp\"\n    kind: original\n    files: { media_types: [application/pdf, image/jpeg], max_mb: 5, max_files: 2 }\n",
    );
    assert_ne!(with_files, version_two(), "the document was found");
    // A type the platform does not take is refused at its line.
    let broken = with_files.replace("image/jpeg]", "text/html]");
    let line = broken.lines().position(|l| l.contains("text/html")).expect("line") + 1;
    let response = put_draft(&app, &admin, &broken).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.expect("JSON");
    assert_eq!(problem["diagnostics"][0]["diagnostic"]["line"], line, "{problem}");
    assert_eq!(put_draft(&app, &admin, &with_files).await.status(), 200);
    assert_eq!(post(&app, &admin, "/api/v1/procedures/1.004227/publish").await.status(), 200);
    let detail: Value = app.get("/api/v1/procedures/1.004227").await.json().await.expect("JSON");
    let gcn =
        detail["documents"].as_array().expect("documents").iter().find(|d| d["id"] == "gcn").expect("gcn").clone();
    assert_eq!(
        gcn["files"],
        serde_json::json!({"media_types": ["application/pdf", "image/jpeg"], "max_bytes": 5 * 1024 * 1024, "max_files": 2})
    );
    let page = app.get("/thu-tuc/1.004227").await.text().await.expect("page");
    assert!(
        page.contains("Nộp trực tuyến dưới dạng tệp PDF, ảnh JPEG, mỗi tệp tối đa 5 MB, nhiều nhất 2 tệp"),
        "{page}"
    );
}
