//! Files of a document, uploaded before the dossier is filed: streamed into the file store,
//! their type read from their bytes, their size held to the definition's limit, their SHA-256
//! kept; a file refused, too large or cut off halfway leaves nothing behind.

use crate::helpers::{TestApp, spawn_app};
use motcua_server::db::entities::upload;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::Value;
use sha2::{Digest, Sha256};

const LAND: &str = include_str!("../../procedures/1.004227-dang-ky-bien-dong-thay-doi-thong-tin.yaml");

/// The land procedure as version 2, its certificate filed as at most two PDF or JPEG files of
/// 1 MB.
async fn land_with_files(app: &TestApp) {
    let admin = app.token("admin", "Quản trị", None, None).await;
    let yaml = LAND.replace("version: 1", "version: 2").replace(
        "  - id: gcn\n    title: \"Bản gốc Giấy chứng nhận đã cấp\"\n    kind: original\n",
        "  - id: gcn\n    title: \"Bản gốc Giấy chứng nhận đã cấp\"\n    kind: original\n    files: { media_types: [application/pdf, image/jpeg], max_mb: 1, max_files: 2 }\n",
    );
    assert_eq!(app.put_draft(&admin, "1.004227", &yaml).await.status(), 200);
    let url = format!("{}/api/v1/procedures/1.004227/publish", app.address);
    assert_eq!(app.client.post(url).bearer_auth(&admin).send().await.expect("sent").status(), 200);
}

fn pdf(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(size, b'x');
    bytes
}

async fn upload(app: &TestApp, token: &str, query: &str, kind: &str, body: reqwest::Body) -> reqwest::Response {
    app.client
        .post(format!("{}/api/v1/uploads?{query}", app.address))
        .bearer_auth(token)
        .header("Content-Type", kind)
        .body(body)
        .send()
        .await
        .expect("sent")
}

/// The name the test app's file folder is made of (see the helpers).
fn files_folder_name(app: &TestApp) -> String {
    app.database_url.rsplit('/').next().unwrap_or_default().split(['?', '.']).next().unwrap_or_default().to_owned()
}

async fn stored(app: &TestApp) -> (u64, usize) {
    let db = motcua_server::db::connect(&app.database_url).await.expect("database");
    let rows = upload::Entity::find().count(&db).await.expect("count");
    let folder = std::env::temp_dir().join(format!("{}-files", files_folder_name(app))).join("uploads");
    let files = std::fs::read_dir(folder).map(|d| d.filter_map(Result::ok).filter(|e| e.path().is_file()).count());
    (rows, files.unwrap_or(0))
}

const GCN: &str = "procedure=1.004227&document=gcn&name=giay-chung-nhan.pdf";

#[tokio::test]
async fn a_file_is_stored_whole_with_its_hash_and_given_back_to_who_uploaded_it() {
    let app = spawn_app().await;
    land_with_files(&app).await;
    let client = app.client_token("Cổng", &["online"]).await;
    let bytes = pdf(300_000);
    let response = upload(&app, &client, GCN, "application/pdf", bytes.clone().into()).await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().expect("text").to_owned();
    let file: Value = response.json().await.expect("JSON");
    assert_eq!(file["size"], 300_000);
    assert_eq!(file["media_type"], "application/pdf");
    assert_eq!(file["sha256"], motcua_server::hex::lower_hex(&Sha256::digest(&bytes)));
    assert_eq!(file["name"], "giay-chung-nhan.pdf");
    let back = app.client.get(format!("{}{location}", app.address)).bearer_auth(&client).send().await.expect("sent");
    assert_eq!(back.status(), 200);
    assert_eq!(back.headers()["content-type"], "application/pdf");
    assert_eq!(back.headers()["x-content-type-options"], "nosniff");
    assert_eq!(back.bytes().await.expect("bytes").to_vec(), bytes);
    let other = app.client_token("Cổng khác", &["online"]).await;
    let theirs = app.client.get(format!("{}{location}", app.address)).bearer_auth(&other).send().await.expect("sent");
    assert_eq!(theirs.status(), 404, "another client does not see it");
    assert_eq!(stored(&app).await, (1, 1));
}

#[tokio::test]
async fn a_file_refused_too_large_or_cut_off_leaves_nothing() {
    let app = spawn_app().await;
    land_with_files(&app).await;
    let client = app.client_token("Cổng", &["online"]).await;
    let png = b"\x89PNG\r\n\x1a\n0000000000".to_vec();
    // A PNG calling itself a PDF, a PNG the document does not take, a program: 415 with the list.
    for (kind, body) in
        [("application/pdf", png.clone()), ("image/png", png), ("application/pdf", b"MZ\x90\0rest".to_vec())]
    {
        let response = upload(&app, &client, GCN, kind, body.into()).await;
        assert_eq!(response.status(), 415, "{kind}");
        let problem: Value = response.json().await.expect("JSON");
        assert_eq!(problem["accepted"], serde_json::json!(["application/pdf", "image/jpeg"]), "{problem}");
    }
    assert_eq!(upload(&app, &client, GCN, "text/plain", "%PDF-1.7".into()).await.status(), 415);
    // A type left to the bytes: these are a PNG, which this document does not take.
    let png = b"\x89PNG\r\n\x1a\n0000000000".to_vec();
    assert_eq!(upload(&app, &client, GCN, "application/octet-stream", png.into()).await.status(), 415);
    // Over 1 MB: refused from its announced length, or as it streams past the limit.
    assert_eq!(upload(&app, &client, GCN, "application/pdf", pdf(1_100_000).into()).await.status(), 413);
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..40).map(|i| Ok(if i == 0 { pdf(64 * 1024) } else { vec![b'x'; 64 * 1024] })).collect();
    let streamed = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    assert_eq!(upload(&app, &client, GCN, "application/pdf", streamed).await.status(), 413);
    // Cut off halfway: the client stops sending; nothing is kept.
    let halfway: Vec<Result<Vec<u8>, std::io::Error>> =
        vec![Ok(pdf(100_000)), Err(std::io::Error::other("cable pulled"))];
    let cut = app
        .client
        .post(format!("{}/api/v1/uploads?{GCN}", app.address))
        .bearer_auth(&client)
        .header("Content-Type", "application/pdf")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(halfway)))
        .send()
        .await;
    assert!(cut.is_err() || cut.is_ok_and(|r| r.status().is_client_error()), "never a 5xx");
    // A path for a name, a document not filed as files, one the procedure lacks.
    for (query, status) in [
        ("procedure=1.004227&document=gcn&name=..%2F..%2Fetc%2Fpasswd", 400),
        (&format!("procedure=1.004227&document=gcn&name={}", "a".repeat(300)), 400),
        ("procedure=1.004227&document=don", 404),
        ("procedure=1.004227&document=khong_co", 404),
        ("procedure=9.999999&document=gcn", 404),
    ] {
        assert_eq!(upload(&app, &client, query, "application/pdf", pdf(100).into()).await.status(), status, "{query}");
    }
    // Who files nothing uploads nothing.
    let department = app.token("department", "Sở", Some("G22.26.01"), None).await;
    assert_eq!(upload(&app, &department, GCN, "application/pdf", pdf(100).into()).await.status(), 403);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(stored(&app).await, (0, 0), "no row, no file");
}

/// Uploads a small PDF for the certificate: its id and SHA-256.
async fn certificate(app: &TestApp, token: &str) -> (String, String) {
    let response = upload(app, token, GCN, "application/pdf", pdf(2_000).into()).await;
    assert_eq!(response.status(), 201);
    let file: Value = response.json().await.expect("JSON");
    (file["id"].as_str().expect("id").to_owned(), file["sha256"].as_str().expect("hash").to_owned())
}

#[tokio::test]
async fn a_dossier_is_filed_with_its_files_which_its_audit_chain_records_and_its_applicant_downloads() {
    use crate::dossiers::{land_change, submit};
    let app = spawn_app().await;
    land_with_files(&app).await;
    let client = app.client_token("Cổng", &["online"]).await;
    // The certificate is filed as a file: named without one, the submission is refused at it.
    let refused = submit(&app, &client, &land_change("064090001234"), None).await;
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.expect("JSON");
    let reason = problem["reasons"].as_array().expect("reasons").iter().find(|r| r["document"] == "gcn").cloned();
    assert!(
        reason.is_some_and(|r| r["message"].as_str().is_some_and(|m| m.contains("Chưa đính kèm tệp"))),
        "{problem}"
    );
    // With its file: filed, the file in the dossier's audit chain with its hash.
    let (id, sha256) = certificate(&app, &client).await;
    // One left to its bytes is stored as what they show.
    let response = upload(&app, &client, GCN, "application/octet-stream", pdf(500).into()).await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.json::<Value>().await.expect("JSON")["media_type"], "application/pdf");
    let mut body = land_change("064090001234");
    body["files"] = serde_json::json!({"gcn": [id]});
    let response = submit(&app, &client, &body, None).await;
    assert_eq!(response.status(), 201);
    let filed: Value = response.json().await.expect("JSON");
    let (code, key) = (filed["code"].as_str().expect("code"), filed["lookup_key"].as_str().expect("key"));
    let files: Value = app.get(&format!("/api/v1/dossiers/{code}/files?key={key}")).await.json().await.expect("JSON");
    assert_eq!(files["items"][0]["id"], id.as_str());
    assert_eq!(files["items"][0]["sha256"], sha256.as_str());
    let bytes = app.get(&format!("/api/v1/dossiers/{code}/files/{id}?key={key}")).await.bytes().await.expect("bytes");
    assert_eq!(bytes.to_vec(), pdf(2_000), "the applicant downloads it with code and key");
    assert_eq!(app.get(&format!("/api/v1/dossiers/{code}/files/{id}?key=WRONGKEY23")).await.status(), 404);
    // The citizen's tracking page and the officer's dossier page link to it.
    let link = format!("/api/v1/dossiers/{code}/files/{id}?key={key}");
    let tracking = app.get(&format!("/tra-cuu?ma={code}&khoa={key}")).await.text().await.expect("page");
    assert!(tracking.contains("giay-chung-nhan.pdf") && tracking.contains(&link), "{tracking}");
    let browser = crate::staff::browser();
    crate::staff::account(&app, "tiepnhan.tep", "officer", "G22.26.01.01", Some("reception")).await;
    let session = crate::staff::signed_in(&app, &browser, "tiepnhan.tep").await;
    let page = crate::staff::page(&app, &browser, &format!("/can-bo/ho-so/{code}"), &session)
        .await
        .text()
        .await
        .expect("page");
    assert!(
        page.contains("Tệp đính kèm") && page.contains(&link) && page.contains("Bản gốc Giấy chứng nhận đã cấp"),
        "{page}"
    );
    assert!(page.contains("Đính kèm tệp"), "the history names the attachment");
    let db = motcua_server::db::connect(&app.database_url).await.expect("database");
    let report = motcua_server::audit::verify::verify(&db).await.expect("verified");
    assert!(report.intact(), "{:?}", report.findings);
    use motcua_server::db::entities::audit_event;
    use sea_orm::{ColumnTrait, QueryFilter};
    let records = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("attach_file"))
        .all(&db)
        .await
        .expect("records");
    assert_eq!(records.len(), 1);
    assert!(records[0].payload.contains(&sha256), "the hash is in the chain: {}", records[0].payload);
    // The audit reads every file back: intact, then named when its bytes change or vanish.
    let folder = std::env::temp_dir().join(format!("{}-files", files_folder_name(&app)));
    let store = motcua_server::files::FileStore::open(&folder.display().to_string()).expect("store");
    let (findings, read) = motcua_server::audit::files::verify_files(&db, &store).await.expect("verified");
    assert_eq!((findings.len(), read), (0, 1));
    let (intact, report) = crate::audit::verify(&app);
    assert!(intact && report["files"] == 1, "motcua audit verify reads the file: {report}");
    let object = folder.join("uploads").join(&id);
    std::fs::write(&object, pdf(2_001)).expect("tampered");
    let (findings, _) = motcua_server::audit::files::verify_files(&db, &store).await.expect("verified");
    assert_eq!(findings.len(), 1);
    assert_eq!(serde_json::to_value(findings[0].problem).expect("code"), "edited_file");
    assert_eq!(findings[0].dossier, code);
    let (intact, report) = crate::audit::verify(&app);
    assert!(!intact && report.to_string().contains("edited_file"), "{report}");
    std::fs::remove_file(&object).expect("removed");
    let (findings, _) = motcua_server::audit::files::verify_files(&db, &store).await.expect("verified");
    assert_eq!(serde_json::to_value(findings[0].problem).expect("code"), "missing_file");
    // A file goes with one dossier only; another client's is not there for this one.
    let again = submit(&app, &client, &body, None).await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.expect("body").contains("đã được nộp kèm một hồ sơ khác"));
    let other = app.client_token("Cổng khác", &["online"]).await;
    let (theirs, _) = certificate(&app, &other).await;
    body["files"] = serde_json::json!({"gcn": [theirs]});
    let response = submit(&app, &client, &body, None).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.expect("body").contains("Không tìm thấy tệp"));
    // At the counter, paper copies do: no file needed.
    let desk = app.token("officer", "Bộ phận một cửa", Some("G22.26.01.01"), Some("reception")).await;
    let mut counter = land_change("064090001234");
    counter["channel"] = "counter".into();
    assert_eq!(submit(&app, &desk, &counter, None).await.status(), 201);
}

/// An S3-compatible server's endpoint, which `.ci/run` starts (moto, from PyPI).
fn s3_endpoint() -> String {
    std::env::var("MOTCUA_TEST_S3_ENDPOINT")
        .expect("MOTCUA_TEST_S3_ENDPOINT names an S3-compatible server (.ci/run starts moto's); this test needs one")
}

#[tokio::test]
#[ignore = "needs an S3-compatible server: .ci/run starts moto's and sets MOTCUA_TEST_S3_ENDPOINT"]
async fn files_kept_in_an_s3_compatible_store_are_filed_downloaded_and_verified_there() {
    use crate::dossiers::{land_change, submit};
    let endpoint = s3_endpoint();
    let bucket = format!("motcua-{}", std::process::id());
    let created =
        reqwest::Client::new().put(format!("{endpoint}/{bucket}")).send().await.expect("the S3 server answers");
    assert!(created.status().is_success(), "bucket created: {}", created.status());
    let url = format!(
        "s3://{bucket}?endpoint={endpoint}&allow_http=true&region=us-east-1&access_key_id=test&secret_access_key=test"
    );
    let app = crate::helpers::spawn_app_with(|s| s.files_url = Some(url.clone())).await;
    land_with_files(&app).await;
    let client = app.client_token("Cổng", &["online"]).await;
    // Large enough to go up in several parts.
    let bytes = pdf(900_000);
    let response = upload(&app, &client, GCN, "application/pdf", bytes.clone().into()).await;
    assert_eq!(response.status(), 201);
    let file: Value = response.json().await.expect("JSON");
    let id = file["id"].as_str().expect("id").to_owned();
    let mut body = land_change("064090001234");
    body["files"] = serde_json::json!({"gcn": [id]});
    let filed: Value = submit(&app, &client, &body, None).await.json().await.expect("JSON");
    let (code, key) = (filed["code"].as_str().expect("code"), filed["lookup_key"].as_str().expect("key"));
    let back = app.get(&format!("/api/v1/dossiers/{code}/files/{id}?key={key}")).await.bytes().await.expect("bytes");
    assert_eq!(back.to_vec(), bytes, "read back from the S3 store");
    let listed = reqwest::Client::new().get(format!("{endpoint}/{bucket}?list-type=2")).send().await.expect("listed");
    assert!(listed.text().await.expect("text").contains(&format!("uploads/{id}")), "the object is in the bucket");
    let db = motcua_server::db::connect(&app.database_url).await.expect("database");
    let store = motcua_server::files::FileStore::open(&url).expect("store");
    let (findings, read) = motcua_server::audit::files::verify_files(&db, &store).await.expect("verified");
    assert_eq!((findings.len(), read), (0, 1));
    // A file refused halfway (streamed past its limit) leaves nothing in the bucket either.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..20).map(|i| Ok(if i == 0 { pdf(64 * 1024) } else { vec![b'x'; 64 * 1024] })).collect();
    let streamed = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let refused = upload(&app, &client, GCN, "application/pdf", streamed).await;
    assert_eq!(refused.status(), 413);
    let listed = reqwest::Client::new().get(format!("{endpoint}/{bucket}?list-type=2")).send().await.expect("listed");
    assert_eq!(listed.text().await.expect("text").matches("<Key>").count(), 1);
}

#[tokio::test]
async fn two_submissions_racing_for_one_file_never_both_have_it_and_a_retry_keeps_it() {
    use crate::dossiers::{land_change, submit};
    let app = spawn_app().await;
    land_with_files(&app).await;
    let client = app.client_token("Cổng", &["online"]).await;
    let (id, _) = certificate(&app, &client).await;
    let mut body = land_change("064090001234");
    body["files"] = serde_json::json!({"gcn": [id]});
    let (first, second) =
        tokio::join!(submit(&app, &client, &body, Some("lan-1")), submit(&app, &client, &body, Some("lan-2")));
    let mut statuses = vec![first.status().as_u16(), second.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, vec![201, 422], "one dossier has the file, the other is refused");
    // The winner's retry with its key answers its dossier; the file stays with it alone.
    let winner = if first.status() == 201 { "lan-1" } else { "lan-2" };
    let retried = submit(&app, &client, &body, Some(winner)).await;
    assert!(retried.status().is_success(), "{}", retried.status());
    let code = retried.json::<Value>().await.expect("JSON")["code"].as_str().expect("code").to_owned();
    let admin = app.token("admin", "Quản trị", None, None).await;
    let files: Value = app.json_as(&format!("/api/v1/dossiers/{code}/files"), &admin).await;
    assert_eq!(files["items"].as_array().map(Vec::len), Some(1));
    let (intact, report) = crate::audit::verify(&app);
    assert!(intact, "{report}");
}

#[tokio::test]
async fn a_file_is_held_to_the_rules_of_the_version_in_force_when_the_dossier_is_filed() {
    use crate::dossiers::{land_change, submit};
    let app = spawn_app().await;
    land_with_files(&app).await;
    let client = app.client_token("Cổng", &["online"]).await;
    let (id, _) = certificate(&app, &client).await;
    // Version 3 takes the certificate as a JPEG only.
    let admin = app.token("admin", "Quản trị", None, None).await;
    let yaml = LAND.replace("version: 1", "version: 3").replace(
        "  - id: gcn\n    title: \"Bản gốc Giấy chứng nhận đã cấp\"\n    kind: original\n",
        "  - id: gcn\n    title: \"Bản gốc Giấy chứng nhận đã cấp\"\n    kind: original\n    files: { media_types: [image/jpeg] }\n",
    );
    assert_eq!(app.put_draft(&admin, "1.004227", &yaml).await.status(), 200);
    let url = format!("{}/api/v1/procedures/1.004227/publish", app.address);
    assert_eq!(app.client.post(url).bearer_auth(&admin).send().await.expect("sent").status(), 200);
    let mut body = land_change("064090001234");
    body["files"] = serde_json::json!({"gcn": [id]});
    let refused = submit(&app, &client, &body, None).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.expect("body").contains("không nhận (image/jpeg)"));
    assert_eq!(stored(&app).await.0, 1, "the upload stays, free for another use");
}

#[tokio::test]
async fn a_token_keeps_only_so_many_files_waiting_for_a_dossier() {
    let app = spawn_app().await;
    land_with_files(&app).await;
    let client = app.client_token("Cổng", &["online"]).await;
    let limit = motcua_server::routes::uploads::MAX_UNFILED;
    for _ in 0..limit {
        assert_eq!(upload(&app, &client, GCN, "application/pdf", pdf(100).into()).await.status(), 201);
    }
    let refused = upload(&app, &client, GCN, "application/pdf", pdf(100).into()).await;
    assert_eq!(refused.status(), 429);
    assert_eq!(refused.json::<Value>().await.expect("JSON")["code"], "too_many_requests");
    // Another token's quota is its own.
    let other = app.client_token("Cổng khác", &["online"]).await;
    assert_eq!(upload(&app, &other, GCN, "application/pdf", pdf(100).into()).await.status(), 201);
    assert_eq!(stored(&app).await.0, limit + 1, "nothing of the refused one kept");
}
