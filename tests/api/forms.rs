//! Printed forms name agencies and desks from the registry, not by code, format money the
//! Vietnamese way, and the apology (Mẫu 04) is the late unit's, even after the dossier moved
//! on to another unit.

use crate::dossiers::{land_change, submit_received};
use crate::helpers::{TestApp, spawn_app};
use chrono::DateTime;
use serde_json::{Value, json};

async fn act(app: &TestApp, token: &str, code: &str, version: u32, action: Value) -> (u16, Value) {
    let response = app.act(token, code, version, &action).await;
    (response.status().as_u16(), response.json().await.expect("JSON"))
}

async fn page(app: &TestApp, token: &str, code: &str, form: &str) -> String {
    let response = app.get_as(&format!("/api/v1/dossiers/{code}/{form}"), token).await;
    assert_eq!(response.status(), 200, "{form}");
    response.text().await.expect("text")
}

fn at(text: &str) -> DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("time")
}

#[tokio::test]
async fn the_receipt_names_the_agency_and_the_desk_and_writes_money_in_vietnamese() {
    let app = spawn_app().await;
    let portal = app.token("client", "Cổng dịch vụ công", None, None).await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    let dossier = submit_received(&app, &portal, &land_change("064090000001")).await;
    let code = dossier["code"].as_str().expect("code");
    let receipt = page(&app, &admin, code, "receipt").await;
    assert!(receipt.contains("Chi nhánh Văn phòng Đăng ký đất đai khu vực Pleiku"), "{receipt}");
    assert!(receipt.contains("Bộ phận tiếp nhận và trả kết quả, Chi nhánh"), "the desk that received it: {receipt}");
    assert!(receipt.contains("30.000 đồng"), "{receipt}");
    assert!(!receipt.replace(code, "").contains("G22.26.01"), "no agency code in place of a name: {receipt}");

    // The registry is the administrator's: a renamed desk prints under its new name.
    let rename = |token: String, body: Value| {
        let app = &app;
        async move {
            let url = format!("{}/api/v1/agencies/G22.26.01.01", app.address);
            app.client.put(url).bearer_auth(token).json(&body).send().await.expect("sent").status().as_u16()
        }
    };
    let desk_name = json!({"name": "Quầy số 3, Trung tâm Phục vụ hành chính công", "parent": "G22.26.01"});
    assert_eq!(rename(portal.clone(), desk_name.clone()).await, 403);
    assert_eq!(rename(admin.clone(), json!({"name": " "})).await, 400);
    assert_eq!(rename(admin.clone(), desk_name).await, 200);
    let receipt = page(&app, &admin, code, "receipt").await;
    assert!(receipt.contains("Quầy số 3, Trung tâm Phục vụ hành chính công"), "{receipt}");
    let registry: Value = app.get("/api/v1/agencies").await.json().await.expect("JSON");
    let desk = registry["items"].as_array().expect("items").iter().find(|a| a["code"] == "G22.26.01.01").cloned();
    assert_eq!(desk.expect("registered")["parent"], "G22.26.01");
}

#[tokio::test]
async fn the_apology_is_the_late_units_even_after_the_dossier_moved_on() {
    let app = spawn_app().await;
    let portal = app.token("client", "Cổng dịch vụ công", None, None).await;
    let desk = app.token("officer", "Bộ phận một cửa", Some("G22.26.01.01"), Some("reception")).await;
    let desk_head = app.token("officer", "Tổ trưởng một cửa", Some("G22.26.01.01"), Some("leader")).await;
    let specialist = app.token("officer", "Chuyên viên", Some("G22.26.01.03"), Some("specialist")).await;
    let leader = app.token("officer", "Tổ trưởng đăng ký", Some("G22.26.01.03"), Some("leader")).await;
    // Monday 2 March 08:00, due Monday 9 March 08:00; the assessment (3 days) runs late.
    let dossier = submit_received(&app, &portal, &land_change("064090000002")).await;
    let code = dossier["code"].as_str().expect("code");
    assert_eq!(act(&app, &desk, code, 2, json!({"action": "forward"})).await.0, 200);
    app.clock.set(at("2026-03-09T10:00:00+07:00"));
    assert_eq!(act(&app, &specialist, code, 3, json!({"action": "forward"})).await.0, 200);
    assert_eq!(act(&app, &leader, code, 4, json!({"action": "decide", "approved": true})).await.0, 200);
    // Now at the desk's last step; the assessment unit was late, so its head signs Mẫu 04.
    let apology = json!({"action": "apologize", "reason": "Chờ xác minh ranh giới thửa đất", "new_due": "2026-03-11T17:00:00+07:00"});
    let (status, refused) = act(&app, &desk_head, code, 5, apology.clone()).await;
    assert_eq!(status, 403, "the desk's head is not at fault: {refused}");
    assert!(refused["detail"].as_str().is_some_and(|d| d.contains("G22.26.01.03")), "{refused}");
    let (status, signed) = act(&app, &leader, code, 5, apology).await;
    assert_eq!(status, 200, "{signed}");
    assert_eq!(signed["apology"]["agency"], "G22.26.01.03");
    let form = page(&app, &desk, code, "apology").await;
    assert!(form.contains("Tổ Đăng ký, cấp Giấy chứng nhận, Chi nhánh Văn phòng Đăng ký đất đai"), "{form}");
    assert!(form.contains("Chờ xác minh ranh giới thửa đất"), "{form}");
}
