//! The whole life of dossiers through the API, on a clock the test moves: one returned early
//! after a supplement, one late that needs an apology first, one left open; then statistics
//! over that known set.

use crate::dossiers::{land_change, submit};
use crate::helpers::TestApp;
use crate::helpers::spawn_app;
use chrono::{DateTime, Duration};
use serde_json::{Value, json};

struct Dossier {
    code: String,
    version: i64,
}

impl Dossier {
    async fn act(&mut self, app: &TestApp, token: &str, action: Value) -> reqwest::Response {
        let response = app
            .client
            .post(format!("{}/api/v1/dossiers/{}/actions", app.address, self.code))
            .bearer_auth(token)
            .header("If-Match", format!("\"{}\"", self.version))
            .json(&action)
            .send()
            .await
            .expect("sent");
        if response.status() == 200 {
            self.version += 1;
        }
        response
    }

    async fn must(&mut self, app: &TestApp, token: &str, action: Value) -> Value {
        let response = self.act(app, token, action.clone()).await;
        let status = response.status();
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(status, 200, "{action}: {body}");
        body
    }
}

async fn new_dossier(app: &TestApp, token: &str, body: Value) -> Dossier {
    let created: Value = submit(app, token, &body, None).await.json().await.expect("JSON");
    Dossier { code: created["code"].as_str().expect("code").to_owned(), version: 1 }
}

fn at(text: &str) -> DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("time")
}

#[tokio::test]
async fn whole_life_supplement_late_apology_and_statistics() {
    let app = spawn_app().await;
    let portal = app.token("client", "Cổng dịch vụ công", None, None).await;
    let desk = app.token("officer", "Bộ phận một cửa", Some("G22.26.01.01"), Some("reception")).await;
    let specialist = app.token("officer", "Chuyên viên thẩm định", Some("G22.26.01.03"), Some("specialist")).await;
    let leader = app.token("officer", "Phó giám đốc", Some("G22.26.01.03"), Some("leader")).await;
    let head = app.token("department", "Giám đốc chi nhánh", Some("G22.26.01"), None).await;
    let admin = app.token("admin", "Quản trị", None, None).await;

    // Monday 2 March 08:00: three dossiers; the first comes to the desk.
    let mut counter = land_change("064090000001");
    counter["channel"] = json!("counter");
    let mut early = new_dossier(&app, &desk, counter).await;
    let mut late = new_dossier(&app, &portal, land_change("064090000002")).await;
    let mut open = new_dossier(&app, &portal, land_change("064090000003")).await;
    // The online ones wait for the desk, which accepts them: the clock starts now.
    for dossier in [&mut late, &mut open] {
        let accepted = dossier.must(&app, &desk, json!({"action": "accept"})).await;
        assert_eq!(accepted["due"], "2026-03-09T08:00:00+07:00");
    }

    // Early one: a supplement pauses it for a day, then it runs through.
    early.must(&app, &desk, json!({"action": "forward"})).await;
    app.clock.set(at("2026-03-03T08:00:00+07:00"));
    let paused = early
        .must(&app, &specialist, json!({"action": "request_supplement", "items": ["Bản sao trích lục khai sinh"]}))
        .await;
    assert_eq!(paused["status_code"], 5);
    app.clock.set(at("2026-03-04T08:00:00+07:00"));
    let resumed = early.must(&app, &desk, json!({"action": "supplement_received"})).await;
    assert_eq!(resumed["due"], "2026-03-10T08:00:00+07:00", "the paused day does not count");
    early.must(&app, &specialist, json!({"action": "forward"})).await;
    app.clock.advance(Duration::hours(2));
    early.must(&app, &leader, json!({"action": "decide", "approved": true})).await;
    let returned = early.must(&app, &desk, json!({"action": "return_result", "channel": "counter"})).await;
    assert_eq!((returned["status_code"].as_i64(), returned["timing"].as_str()), (Some(10), Some("early")));

    // Late one: decided after its due time (Monday 9 March 08:00).
    late.must(&app, &desk, json!({"action": "forward"})).await;
    late.must(&app, &specialist, json!({"action": "forward"})).await;
    app.clock.set(at("2026-03-10T09:00:00+07:00"));
    late.must(&app, &leader, json!({"action": "decide", "approved": true})).await;
    let refused = late.act(&app, &desk, json!({"action": "return_result", "channel": "online"})).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(refused.json::<Value>().await.expect("JSON")["refusal"], "apology_required");
    let apology = late.must(&app, &head, json!({"action": "apologize", "reason": "Chờ xác minh thông tin nhân thân", "new_due": "2026-03-12T17:00:00+07:00"})).await;
    assert_eq!(apology["appointment"], "2026-03-12T17:00:00+07:00");
    let second = late
        .act(&app, &head, json!({"action": "apologize", "reason": "lần hai", "new_due": "2026-03-20T17:00:00+07:00"}))
        .await;
    assert_eq!(second.json::<Value>().await.expect("JSON")["refusal"], "already_apologized");
    let page = |path: String| {
        let request =
            app.client.get(format!("{}/api/v1/dossiers/{}/{path}", app.address, late.code)).bearer_auth(&desk);
        async move { request.send().await.expect("sent").text().await.expect("text") }
    };
    let apology_page = page("apology".to_owned()).await;
    assert!(
        apology_page.contains("Mẫu 04") && apology_page.contains("Chờ xác minh thông tin nhân thân"),
        "{apology_page}"
    );
    let receipt_page = page("receipt".to_owned()).await;
    assert!(
        receipt_page.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ") && receipt_page.contains(&late.code),
        "{receipt_page}"
    );
    let returned = late.must(&app, &desk, json!({"action": "return_result", "channel": "online"})).await;
    assert_eq!(returned["timing"], "late", "late against the original due time even within the new appointment");
    assert!(returned["late_agencies"].as_array().expect("agencies").contains(&json!("G22.26.01.03")));

    // Statistics for March, as the supervising body reads them.
    let stats: Value = app.json_as("/api/v1/stats?from=2026-03-01&to=2026-03-31", &admin).await;
    assert_eq!(stats["received"]["total"], 3, "{stats}");
    assert_eq!(stats["received"]["by_channel"], json!({"counter": 1, "online": 2, "postal": 0}));
    assert_eq!((stats["resolved"]["early"].as_i64(), stats["resolved"]["late"].as_i64()), (Some(1), Some(1)));
    assert_eq!(stats["resolved"]["late_rate"]["text"], "50,0 %");
    assert_eq!(
        (stats["in_progress"]["past_due"].as_i64(), stats["in_progress"]["within_due"].as_i64()),
        (Some(1), Some(0))
    );
    let land = &stats["processing_time"]["by_procedure"][0];
    assert_eq!((land["procedure"].as_str(), land["resolved"].as_i64()), (Some("1.004227"), Some(2)));
    assert_eq!(land["statutory_working_days"], 10.0);
    assert!(stats["catalogue"]["procedures"].as_i64().expect("count") >= 19);
    let client_stats = app.get_as("/api/v1/stats?from=2026-03-01&to=2026-03-31", &portal).await;
    assert_eq!(client_stats.status(), 403);

    // The same figures on the supervisor's dashboard, each chart with its table.
    let browser = crate::staff::browser();
    crate::staff::account(&app, "giamsat", "admin", "", None).await;
    let session = crate::staff::signed_in(&app, &browser, "giamsat").await;
    let response = crate::staff::page(&app, &browser, "/can-bo/thong-ke?tu=2026-03-01&den=2026-03-31", &session).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("body");
    let row = |label: &str| -> String {
        let at = html.find(&format!("<th scope=\"row\">{label}</th>")).unwrap_or_else(|| panic!("no row `{label}`"));
        let end = html[at..].find("</tr>").map_or(html.len(), |e| at + e);
        html[at..end].replace("<td class=\"number\">", "|").replace("</td>", "")
    };
    assert!(row("Trực tuyến").ends_with("|2|66,7 %"), "{}", row("Trực tuyến"));
    assert!(row("Trực tiếp tại Bộ phận Một cửa").ends_with("|1|33,3 %"));
    assert!(row("Quá hạn").contains("|1|50,0 %"));
    // Late by agency: the desk's dossiers counted under the city's unit below the province.
    assert!(row("Khu vực Pleiku (G22.26)").ends_with("|1 / 2|50,0 %"), "{}", row("Khu vực Pleiku (G22.26)"));
    let land = html.find("1.004227)</th>").expect("late by procedure");
    assert!(html[land..].starts_with("1.004227)</th><td class=\"number\">1 / 2</td><td class=\"number\">50,0 %"));
    assert!(row("03/2026").starts_with("<th scope=\"row\">03/2026</th>|3|1|0|1"), "{}", row("03/2026"));
    assert_eq!(html.matches("<svg ").count(), 7, "a chart per table");
    assert!(html.contains("<title>Hồ sơ tiếp nhận theo kênh</title>"));
    // A period the wrong way round is a page saying so, not an error in JSON.
    let response = crate::staff::page(&app, &browser, "/can-bo/thong-ke?tu=2026-03-31&den=2026-03-01", &session).await;
    assert_eq!(response.status(), 400);
    assert!(response.text().await.expect("body").contains("Ngày kết thúc"));
}
