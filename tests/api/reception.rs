//! Reception as Decree 118/2025 has it: an online or postal dossier that passes the engine's
//! checks is submitted (national status 1), not received; the desk's reception officer ends
//! reception in exactly one outcome — accept (Mẫu 01, the clock starts then), request a
//! supplement before receipt (Mẫu 02, answered by the applicant through the API) or refuse
//! (Mẫu 03) — and a dossier still submitted at the close of its working day is an alert.

use crate::alerts::{SCAN, alerts, scan_at};
use crate::dossiers::{land_change, submit};
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use chrono::DateTime;
use serde_json::{Value, json};

struct Filed {
    code: String,
    key: String,
    version: u32,
}

async fn file(app: &TestApp, client: &str, id: &str) -> (Filed, Value) {
    let response = submit(app, client, &land_change(id), None).await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.expect("JSON");
    let filed = Filed {
        code: body["code"].as_str().expect("code").to_owned(),
        key: body["lookup_key"].as_str().expect("key").to_owned(),
        version: 1,
    };
    (filed, body)
}

impl Filed {
    async fn act(&mut self, app: &TestApp, token: &str, action: Value) -> (u16, Value) {
        let response = app.act(token, &self.code, self.version, &action).await;
        let status = response.status().as_u16();
        if status == 200 {
            self.version += 1;
        }
        (status, response.json().await.expect("JSON"))
    }

    async fn page(&self, app: &TestApp, form: &str) -> (u16, String) {
        let response = app.get(&format!("/api/v1/dossiers/{}/{form}?key={}", self.code, self.key)).await;
        (response.status().as_u16(), response.text().await.expect("text"))
    }
}

fn at(text: &str) -> DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("time")
}

struct Tokens {
    portal: String,
    desk: String,
    specialist: String,
    other_desk: String,
}

async fn tokens(app: &TestApp) -> Tokens {
    Tokens {
        portal: app.token("client", "Cổng dịch vụ công", None, None).await,
        desk: app.token("officer", "Bộ phận một cửa", Some("G22.26.01.01"), Some("reception")).await,
        specialist: app.token("officer", "Chuyên viên", Some("G22.26.01.03"), Some("specialist")).await,
        other_desk: app.token("officer", "Một cửa phường", Some("G22.26.05"), Some("reception")).await,
    }
}

#[tokio::test]
async fn an_online_dossier_is_submitted_then_accepted_and_the_clock_starts_at_acceptance() {
    let app = spawn_app().await;
    let t = tokens(&app).await;
    let (mut dossier, body) = file(&app, &t.portal, "064090000001").await;
    assert_eq!((body["state"].as_str(), body["status_code"].as_i64()), (Some("submitted"), Some(1)), "{body}");
    assert!(body["due"].is_null() && body["received_at"].is_null(), "not received yet: {body}");
    let (status, _) = dossier.page(&app, "receipt").await;
    assert_eq!(status, 404, "no receipt before acceptance");

    // Only the procedure's desk accepts: not the applicant, not a specialist, not another desk.
    for token in [&t.portal, &t.specialist] {
        let (status, body) = dossier.act(&app, token, json!({"action": "accept"})).await;
        assert_eq!(status, 403, "{body}");
    }
    let (status, _) = dossier.act(&app, &t.other_desk, json!({"action": "accept"})).await;
    assert_eq!(status, 404, "another desk does not even see it");

    // Tuesday 10:00 the desk accepts: five working days from then.
    app.clock.set(at("2026-03-03T10:00:00+07:00"));
    let (status, accepted) = dossier.act(&app, &t.desk, json!({"action": "accept"})).await;
    assert_eq!(status, 200, "{accepted}");
    assert_eq!(accepted["status_code"], 2);
    assert_eq!(accepted["received_at"], "2026-03-03T10:00:00+07:00");
    assert_eq!(accepted["due"], "2026-03-10T10:00:00+07:00");
    assert_eq!(accepted["receipt"]["form"]["number"], "Mẫu 01");
    assert_eq!(accepted["receipt"]["lookup_key"], dossier.key.as_str(), "the same lookup key");
    let (status, receipt) = dossier.page(&app, "receipt").await;
    assert_eq!(status, 200);
    assert!(receipt.contains("10 giờ 00 phút, ngày 03/03/2026"), "{receipt}");
    // Accepted once: a second outcome is refused.
    let (status, body) = dossier.act(&app, &t.desk, json!({"action": "refuse", "reasons": ["x"]})).await;
    assert_eq!((status, body["refusal"].as_str()), (422, Some("wrong_state")), "{body}");
}

#[tokio::test]
async fn a_supplement_before_receipt_is_printed_and_answered_by_the_applicant() {
    let app = spawn_app().await;
    let t = tokens(&app).await;
    let (mut dossier, _) = file(&app, &t.portal, "064090000002").await;
    let items = json!(["Bản scan Giấy chứng nhận bị mờ, không đọc được số phát hành: đề nghị nộp lại bản rõ"]);
    let (status, asked) =
        dossier.act(&app, &t.desk, json!({"action": "request_supplement_before_receipt", "items": items})).await;
    assert_eq!(status, 200, "{asked}");
    assert_eq!(
        (asked["state"].as_str(), asked["status_code"].as_i64()),
        (Some("awaiting_supplement_before_receipt"), Some(5))
    );
    let (status, page) = dossier.page(&app, "supplement-request").await;
    assert_eq!(status, 200);
    assert!(page.contains("Mẫu 02") && page.contains("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"), "{page}");
    assert!(page.contains("không đọc được số phát hành"), "{page}");
    assert!(page.contains(&dossier.code) && page.contains("Nguyễn Văn An"), "{page}");

    // The desk cannot resubmit for the applicant; an answer the engine refuses stores nothing.
    let (status, _) = dossier.act(&app, &t.desk, json!({"action": "resubmit"})).await;
    assert_eq!(status, 403);
    let bad = json!({"action": "resubmit", "form": {"don_dang_ky": {"doi_tuong": "ca_nhan"}}});
    let (status, refused) = dossier.act(&app, &t.portal, bad).await;
    assert_eq!((status, refused["code"].as_str()), (422, Some("submission_refused")), "{refused}");
    // The applicant answers with the corrected form: submitted again, for the desk to accept.
    let mut form = land_change("064090000002")["form"].clone();
    form["don_dang_ky"]["thua_dat"]["so_giay_chung_nhan"] = json!("CS 123457");
    let (status, again) = dossier.act(&app, &t.portal, json!({"action": "resubmit", "form": form})).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!((again["state"].as_str(), again["status_code"].as_i64()), (Some("submitted"), Some(1)));
    assert_eq!(again["form"]["don_dang_ky"]["thua_dat"]["so_giay_chung_nhan"], "CS 123457");
    let (status, accepted) = dossier.act(&app, &t.desk, json!({"action": "accept"})).await;
    assert_eq!((status, accepted["status_code"].as_i64()), (200, Some(2)), "{accepted}");
}

#[tokio::test]
async fn a_refusal_at_reception_is_printed_with_its_reasons_and_ends_the_dossier() {
    let app = spawn_app().await;
    let t = tokens(&app).await;
    let (mut dossier, _) = file(&app, &t.portal, "064090000003").await;
    let (status, body) = dossier.act(&app, &t.desk, json!({"action": "refuse", "reasons": []})).await;
    assert_eq!((status, body["refusal"].as_str()), (422, Some("missing_reasons")), "{body}");
    let reasons = json!(["Thửa đất đang có tranh chấp, đã có đơn được Tòa án thụ lý"]);
    let (status, refused) = dossier.act(&app, &t.desk, json!({"action": "refuse", "reasons": reasons})).await;
    assert_eq!(status, 200, "{refused}");
    assert_eq!((refused["state"].as_str(), refused["status_code"].as_i64()), (Some("refused"), Some(3)));
    let (status, page) = dossier.page(&app, "refusal").await;
    assert_eq!(status, 200);
    assert!(page.contains("Mẫu 03") && page.contains("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"), "{page}");
    assert!(page.contains("đang có tranh chấp"), "{page}");
    assert_eq!(dossier.page(&app, "supplement-request").await.0, 404);
    let (status, _) = dossier.act(&app, &t.desk, json!({"action": "accept"})).await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn the_applicant_answers_a_supplement_request_during_processing() {
    let app = spawn_app().await;
    let t = tokens(&app).await;
    let (mut dossier, _) = file(&app, &t.portal, "064090000004").await;
    assert_eq!(dossier.act(&app, &t.desk, json!({"action": "accept"})).await.0, 200);
    assert_eq!(dossier.act(&app, &t.desk, json!({"action": "forward"})).await.0, 200);
    app.clock.set(at("2026-03-03T08:00:00+07:00"));
    let asked = json!({"action": "request_supplement", "items": ["Giấy tờ chứng minh thay đổi họ tên"]});
    let (status, paused) = dossier.act(&app, &t.specialist, asked).await;
    assert_eq!((status, paused["status_code"].as_i64()), (200, Some(5)), "{paused}");
    let (status, page) = dossier.page(&app, "supplement-request").await;
    assert!(status == 200 && page.contains("Giấy tờ chứng minh thay đổi họ tên"), "{page}");
    app.clock.set(at("2026-03-04T08:00:00+07:00"));
    let answer = json!({"action": "supplement_received", "documents": ["giay_to_thay_doi"]});
    let (status, resumed) = dossier.act(&app, &t.portal, answer).await;
    assert_eq!(status, 200, "{resumed}");
    assert_eq!(resumed["state"], "processing");
    assert_eq!(resumed["due"], "2026-03-10T08:00:00+07:00", "the day waiting for the applicant does not count");
}

#[tokio::test]
async fn a_dossier_still_submitted_at_the_close_of_its_working_day_is_an_alert() {
    let app = spawn_app_with(|settings| settings.deadline_scan_interval = SCAN).await;
    let t = tokens(&app).await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    // Monday 08:00 two arrive; one is accepted in time.
    let (waiting, _) = file(&app, &t.portal, "064090000005").await;
    let (mut handled, _) = file(&app, &t.portal, "064090000006").await;
    assert_eq!(handled.act(&app, &t.desk, json!({"action": "accept"})).await.0, 200);
    scan_at(&app, "2026-03-02T16:59:00+07:00").await;
    assert_eq!(alerts(&app, &admin, "?kind=unreceived").await, []);
    scan_at(&app, "2026-03-03T08:00:00+07:00").await;
    let raised = vec![("unreceived".to_owned(), waiting.code.clone())];
    assert_eq!(alerts(&app, &admin, "?kind=unreceived").await, raised);
    assert_eq!(alerts(&app, &t.desk, "?open=true").await, raised, "the desk sees it");
    // Friday 17:30 a third arrives: its working day is Monday.
    scan_at(&app, "2026-03-06T17:30:00+07:00").await;
    let (late_arrival, _) = file(&app, &t.portal, "064090000007").await;
    scan_at(&app, "2026-03-09T16:00:00+07:00").await;
    assert_eq!(alerts(&app, &admin, "?kind=unreceived").await, raised, "Friday's evening dossier is Monday's");
    scan_at(&app, "2026-03-09T17:01:00+07:00").await;
    let mut both = raised.clone();
    both.push(("unreceived".to_owned(), late_arrival.code.clone()));
    assert_eq!(alerts(&app, &admin, "?kind=unreceived").await, both);
}

#[tokio::test]
async fn a_definition_may_accept_its_online_dossiers_at_once() {
    let app = spawn_app().await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    let portal = app.token("client", "Cổng dịch vụ công", None, None).await;
    let land = include_str!("../../procedures/1.004227-dang-ky-bien-dong-thay-doi-thong-tin.yaml");
    let automatic = land.replacen("\nversion: 1\n", "\nversion: 2\n", 1).replacen(
        "\nchannels:",
        "\nauto_accept_online: true\nchannels:",
        1,
    );
    let response = app
        .client
        .put(format!("{}/api/v1/procedures/1.004227/draft", app.address))
        .bearer_auth(&admin)
        .header("Content-Type", "application/yaml")
        .body(automatic)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap_or_default());
    let published =
        app.client.post(format!("{}/api/v1/procedures/1.004227/publish", app.address)).bearer_auth(&admin).send();
    assert_eq!(published.await.expect("sent").status(), 200);
    let (_, body) = file(&app, &portal, "064090000008").await;
    assert_eq!((body["status_code"].as_i64(), body["due"].as_str()), (Some(2), Some("2026-03-09T08:00:00+07:00")));
}
