//! The life of a dossier through the API: submission, idempotent retry, refusal, processing
//! with If-Match, supplement, late return with an apology.

use crate::helpers::{TestApp, spawn_app};
use serde_json::{Value, json};

pub fn land_change(id_number: &str) -> Value {
    json!({
        "procedure": "1.004227",
        "channel": "online",
        "form": {"don_dang_ky": {
            "doi_tuong": "ca_nhan", "loai_thay_doi": "ho_ten",
            "nguoi_nop": {"ho_ten": "Nguyễn Văn An", "ngay_sinh": "1990-05-01", "so_dinh_danh": id_number},
            "thua_dat": {"so_thua": 125, "to_ban_do": 14, "dia_chi": "Phường Hội Thương, Pleiku", "so_giay_chung_nhan": "CS 123456"},
            "noi_dung_thay_doi": "Thay đổi họ tên từ Nguyễn Văn Ân thành Nguyễn Văn An"}},
        "documents": ["don", "gcn", "giay_to_thay_doi"],
        "applicant": {"name": "Nguyễn Văn An", "phone": "0912345678"}
    })
}

pub async fn submit(app: &TestApp, token: &str, body: &Value, key: Option<&str>) -> reqwest::Response {
    let mut request = app.client.post(format!("{}/api/v1/dossiers", app.address)).bearer_auth(token).json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.send().await.expect("sent")
}

/// Submits `body` through `client` and has the procedure's one-stop desk accept it: the
/// dossier received, at version 2.
pub async fn submit_received(app: &TestApp, client: &str, body: &Value) -> Value {
    let response = submit(app, client, body, None).await;
    let status = response.status();
    let created: Value = response.json().await.expect("JSON");
    assert_eq!(status, 201, "{created}");
    let desk = app.token("officer", "Bộ phận một cửa", Some("G22.26.01.01"), Some("reception")).await;
    let code = created["code"].as_str().expect("code");
    let accepted = act(app, &desk, code, "\"1\"", json!({"action": "accept"})).await;
    let status = accepted.status();
    let accepted: Value = accepted.json().await.expect("JSON");
    assert_eq!(status, 200, "accept: {accepted}");
    accepted
}

async fn act(app: &TestApp, token: &str, code: &str, version: &str, action: Value) -> reqwest::Response {
    app.client
        .post(format!("{}/api/v1/dossiers/{code}/actions", app.address))
        .bearer_auth(token)
        .header("If-Match", version)
        .json(&action)
        .send()
        .await
        .expect("sent")
}

fn etag(response: &reqwest::Response) -> String {
    response.headers()["etag"].to_str().expect("ETag").to_owned()
}

#[tokio::test]
async fn a_counter_submission_is_received_with_code_receipt_and_due_time() {
    let app = spawn_app().await;
    let desk = app.token("officer", "Bộ phận một cửa", Some("G22.26.01.01"), Some("reception")).await;
    let mut counter = land_change("064090001234");
    counter["channel"] = json!("counter");
    let response = submit(&app, &desk, &counter, None).await;
    assert_eq!(response.status(), 201);
    assert_eq!(etag(&response), "\"1\"");
    let body: Value = response.json().await.expect("JSON");
    let code = body["code"].as_str().expect("code");
    // The desk's agency, the receipt date in UTC+7, the day's first dossier.
    assert!(code.starts_with("G22.26.01.01-"), "{code}");
    assert!(code.ends_with("-0001"), "{code}");
    assert_eq!(body["status_code"], 2);
    assert_eq!(body["fee"], 30000);
    assert_eq!(body["receipt"]["form"]["number"], "Mẫu 01");
    assert!(body["due"].is_string());
    let second: Value = submit(&app, &desk, &counter, None).await.json().await.expect("JSON");
    assert!(second["code"].as_str().expect("code").ends_with("-0002"));
}

/// Another writer (another instance, another process on the same file) draws numbers of the
/// day in between, or stores a dossier under the code this one expects: the next code follows
/// the database's counter, never one already given.
#[tokio::test]
async fn the_code_follows_numbers_drawn_by_another_writer() {
    use sea_orm::ConnectionTrait;
    let app = spawn_app().await;
    let client = app.token("client", "Cổng dịch vụ công tỉnh", None, None).await;
    let first: Value = submit(&app, &client, &land_change("064090001234"), None).await.json().await.expect("JSON");
    assert!(first["code"].as_str().expect("code").ends_with("-0001"), "{first}");
    let db = sea_orm::Database::connect(&app.database_url).await.expect("database");
    db.execute_unprepared("UPDATE \"dossier_sequences\" SET \"last\" = \"last\" + 5").await.expect("drawn elsewhere");
    let next: Value = submit(&app, &client, &land_change("064090009999"), None).await.json().await.expect("JSON");
    assert!(next["code"].as_str().expect("code").ends_with("-0007"), "{next}");
    let then: Value = submit(&app, &client, &land_change("064090009998"), None).await.json().await.expect("JSON");
    assert!(then["code"].as_str().expect("code").ends_with("-0008"), "{then}");
    // A second server on the same database stores the next dossier under the code the first
    // one expects to give next.
    let other = crate::helpers::spawn_app_on(app.database_url.clone()).await;
    let theirs: Value = submit(&other, &client, &land_change("064090009997"), None).await.json().await.expect("JSON");
    assert!(theirs["code"].as_str().expect("code").ends_with("-0009"), "{theirs}");
    let ours = submit(&app, &client, &land_change("064090009996"), None).await;
    assert_eq!(ours.status(), 201);
    let ours: Value = ours.json().await.expect("JSON");
    assert!(ours["code"].as_str().expect("code").ends_with("-0010"), "{ours}");
}

#[tokio::test]
async fn a_refused_submission_lists_every_reason_and_stores_nothing() {
    let app = spawn_app().await;
    let client = app.client_token("Bưu điện", &["postal"]).await;
    let mut body = land_change("0640");
    body["documents"] = json!(["don"]);
    body["channel"] = json!("postal");
    let response = submit(&app, &client, &body, None).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.expect("JSON");
    assert_eq!(problem["code"], "submission_refused");
    let codes: Vec<&str> =
        problem["reasons"].as_array().expect("reasons").iter().map(|r| r["code"].as_str().expect("code")).collect();
    assert_eq!(codes, ["invalid_field", "missing_document", "missing_document"]);
    let list: Value = app.json_as("/api/v1/dossiers", &client).await;
    assert_eq!(list["total"], 0);
}

#[tokio::test]
async fn an_idempotent_retry_returns_the_same_dossier() {
    let app = spawn_app().await;
    let client = app.token("client", "Bưu điện", None, None).await;
    let first: Value =
        submit(&app, &client, &land_change("064090001234"), Some("retry-1")).await.json().await.expect("JSON");
    let response = submit(&app, &client, &land_change("064090001234"), Some("retry-1")).await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["idempotent-replayed"], "true");
    let again: Value = response.json().await.expect("JSON");
    assert_eq!(first["code"], again["code"]);
    assert_eq!(first["lookup_key"], again["lookup_key"]);
    let other = submit(&app, &client, &land_change("064090005555"), Some("retry-1")).await;
    assert_eq!(other.status(), 422);
    let list: Value = app.json_as("/api/v1/dossiers", &client).await;
    assert_eq!(list["total"], 1);
}

/// Submissions arriving together are written in batches: each gets its own code, and retries
/// of one submission sent at the same moment (one Idempotency-Key, likely in one batch, which
/// then fails as a whole and is written dossier by dossier) all answer with one dossier, the
/// other submissions of the batch unharmed.
#[tokio::test]
async fn simultaneous_submissions_and_retries_each_get_one_dossier() {
    const RETRIES: usize = 8;
    const OTHERS: usize = 24;
    let app = spawn_app().await;
    let client = app.token("client", "Cổng dịch vụ công tỉnh", None, None).await;
    let app = std::sync::Arc::new(app);
    let mut tasks = Vec::new();
    for i in 0..RETRIES + OTHERS {
        let (app, client) = (std::sync::Arc::clone(&app), client.clone());
        tasks.push(tokio::spawn(async move {
            let (body, key) = if i % 4 == 0 && i / 4 < RETRIES {
                (land_change("064090001234"), Some("cung-mot-lan".to_owned()))
            } else {
                (land_change(&format!("0640{i:08}")), (i % 2 == 0).then(|| format!("key-{i}")))
            };
            let response = submit(&app, &client, &body, key.as_deref()).await;
            let status = response.status().as_u16();
            let body: Value = response.json().await.expect("JSON");
            assert_eq!(status, 201, "{body}");
            (key, body["code"].as_str().expect("code").to_owned())
        }));
    }
    let mut retried = std::collections::BTreeSet::new();
    let mut codes = std::collections::BTreeSet::new();
    for task in tasks {
        let (key, code) = task.await.expect("submitter");
        if key.as_deref() == Some("cung-mot-lan") {
            retried.insert(code.clone());
        }
        codes.insert(code);
    }
    assert_eq!(retried.len(), 1, "every retry answered with one dossier: {retried:?}");
    assert_eq!(codes.len(), OTHERS + 1, "one code per dossier: {codes:?}");
    let list: Value = app.json_as("/api/v1/dossiers?per_page=100", &client).await;
    assert_eq!(list["total"], OTHERS + 1);
    // The numbers the failed retries burned (PostgreSQL draws before storing) are explained:
    // the audit log is intact, whatever the gaps.
    let db = motcua_server::db::connect(&app.database_url).await.expect("database");
    let report = motcua_server::audit::verify::verify(&db).await.expect("verified");
    assert!(report.intact(), "{:?}", report.findings);
    assert!(report.gaps.iter().all(|gap| gap.unexplained.is_empty()), "{:?}", report.gaps);
}

#[tokio::test]
async fn processing_with_if_match_and_a_stale_version() {
    let app = spawn_app().await;
    let client = app.token("client", "Cổng", None, None).await;
    let desk = app.token("officer", "Cán bộ một cửa", Some("G22.26.01.01"), Some("reception")).await;
    let specialist = app.token("officer", "Chuyên viên", Some("G22.26.01.03"), Some("specialist")).await;
    let body = submit_received(&app, &client, &land_change("064090001234")).await;
    let code = body["code"].as_str().expect("code");

    let missing = app
        .client
        .post(format!("{}/api/v1/dossiers/{code}/actions", app.address))
        .bearer_auth(&desk)
        .json(&json!({"action": "forward"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(missing.status(), 428);
    let wrong = act(&app, &specialist, code, "\"2\"", json!({"action": "forward"})).await;
    assert_eq!(wrong.status(), 403);
    let forwarded = act(&app, &desk, code, "\"2\"", json!({"action": "forward"})).await;
    assert_eq!(forwarded.status(), 200);
    assert_eq!(etag(&forwarded), "\"3\"");
    let stale = act(
        &app,
        &specialist,
        code,
        "\"2\"",
        json!({"action": "request_supplement", "items": ["Bản sao giấy khai sinh"]}),
    )
    .await;
    assert_eq!(stale.status(), 412);
    let paused = act(
        &app,
        &specialist,
        code,
        "\"3\"",
        json!({"action": "request_supplement", "items": ["Bản sao giấy khai sinh"]}),
    )
    .await;
    assert_eq!(paused.status(), 200);
    let paused: Value = paused.json().await.expect("JSON");
    assert_eq!(paused["status_code"], 5);
    let twice = act(&app, &desk, code, "\"4\"", json!({"action": "forward"})).await;
    assert_eq!(twice.status(), 422);
    assert_eq!(twice.json::<Value>().await.expect("JSON")["refusal"], "wrong_state");
}

#[tokio::test]
async fn public_tracking_needs_the_lookup_key_and_clients_see_only_their_own() {
    let app = spawn_app().await;
    let client = app.token("client", "Cổng", None, None).await;
    let other = app.token("client", "Ứng dụng khác", None, None).await;
    let body: Value = submit(&app, &client, &land_change("064090001234"), None).await.json().await.expect("JSON");
    let (code, key) = (body["code"].as_str().expect("code"), body["lookup_key"].as_str().expect("key"));
    assert_eq!(app.get(&format!("/api/v1/dossiers/{code}")).await.status(), 404);
    assert_eq!(app.get(&format!("/api/v1/dossiers/{code}?key=WRONGKEY00")).await.status(), 404);
    let public: Value = app.get(&format!("/api/v1/dossiers/{code}?key={key}")).await.json().await.expect("JSON");
    assert_eq!(public["status_code"], 1, "submitted, waiting for reception");
    assert!(public.get("applicant").is_none(), "no personal data in the public view");
    let foreign = app.get_as(&format!("/api/v1/dossiers/{code}"), &other).await;
    assert_eq!(foreign.status(), 404);
    let bad = app.get_as("/api/v1/dossiers", "mc_not-a-token").await;
    assert_eq!(bad.status(), 401);
    assert_eq!(bad.headers()["www-authenticate"], "Bearer realm=\"motcua\"", "names the scheme");
    assert_eq!(app.get("/api/v1/dossiers").await.status(), 401);
}

#[tokio::test]
async fn guessing_codes_and_keys_is_rate_limited() {
    let app = spawn_app().await;
    let client = app.token("client", "Cổng", None, None).await;
    let body: Value = submit(&app, &client, &land_change("064090001234"), None).await.json().await.expect("JSON");
    let code = body["code"].as_str().expect("code");
    let mut statuses = Vec::new();
    for guess in 0..31 {
        statuses.push(app.get(&format!("/api/v1/dossiers/{code}?key=GUESS{guess:05}")).await.status().as_u16());
    }
    assert!(statuses[..30].iter().all(|s| *s == 404), "{statuses:?}");
    let limited = app.get(&format!("/api/v1/dossiers/{code}?key=GUESS99999")).await;
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "60", "when to try again");
    let problem: Value = limited.json().await.expect("JSON");
    assert_eq!(problem["code"], "too_many_requests");
    // Token holders are not held back by the anonymous limit.
    assert_eq!(app.get_as(&format!("/api/v1/dossiers/{code}"), &client).await.status(), 200);
}

/// A nationally centralised service's dossiers are coded `{service}-{YYMMDD}-{AA}{sequence}`
/// from 25/01/2026 (Circular 04/2025/TT-VPCP), and as any other before.
#[tokio::test]
async fn a_centralised_service_is_coded_in_its_own_format_from_its_date() {
    let app = spawn_app().await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    let desk = app.token("officer", "Bộ phận một cửa", Some("G22.26.01.01"), Some("reception")).await;
    let land = include_str!("../../procedures/1.004227-dang-ky-bien-dong-thay-doi-thong-tin.yaml");
    let centralised = land.replacen("\nversion: 1\n", "\nversion: 2\n", 1).replacen(
        "\nchannels:",
        "\ncentralised_system: BC\nchannels:",
        1,
    );
    let draft = app
        .client
        .put(format!("{}/api/v1/procedures/1.004227/draft", app.address))
        .bearer_auth(&admin)
        .header("Content-Type", "application/yaml")
        .body(centralised)
        .send()
        .await
        .expect("sent");
    assert_eq!(draft.status(), 200, "{}", draft.text().await.unwrap_or_default());
    let published =
        app.client.post(format!("{}/api/v1/procedures/1.004227/publish", app.address)).bearer_auth(&admin).send();
    assert_eq!(published.await.expect("sent").status(), 200);
    let mut counter = land_change("064090001234");
    counter["channel"] = json!("counter");
    let created: Value = submit(&app, &desk, &counter, None).await.json().await.expect("JSON");
    assert_eq!(created["code"], "G22.26.01.01-260302-BC0001", "{created}");
    // Received in 2025, before the circular: the general format.
    let mut line = counter.clone();
    line["received_at"] = json!("2025-11-03T09:00:00+07:00");
    line["source_id"] = json!("CU-1");
    let report: Value = app.import(&admin, line.to_string()).await.json().await.expect("JSON");
    assert_eq!(report["dossiers"][0]["code"], "G22.26.01.01-251103-0001", "{report}");
    let db = motcua_server::db::connect(&app.database_url).await.expect("database");
    let verified = motcua_server::audit::verify::verify(&db).await.expect("verified");
    assert!(verified.intact() && verified.gaps.is_empty(), "{:?} {:?}", verified.findings, verified.gaps);
}
