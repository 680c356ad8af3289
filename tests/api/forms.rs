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
    assert!(
        form.contains("THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ") && form.contains("Tổ trưởng đăng ký"),
        "signed by the late unit's head"
    );

    // The process-control slip (Mẫu 05): each handover, by whom to whom, against the step's
    // own budget; the agency's record, not the applicant's.
    let slip = page(&app, &desk, code, "control-slip").await;
    assert!(slip.contains("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"), "{slip}");
    let grid = &slip[slip.find("<table class=\"grid\">").expect("the handovers")..];
    let rows: Vec<&str> = grid[..grid.find("</table>").expect("end")].split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 3, "three handovers so far: {slip}");
    assert!(
        rows[0].contains("1. Giao: Bộ phận tiếp nhận và trả kết quả") && rows[0].contains("Nhận: Tổ Đăng ký"),
        "{}",
        rows[0]
    );
    assert!(rows[0].contains("Người giao:</em> Bộ phận một cửa") && rows[0].contains("đúng hạn"), "{}", rows[0]);
    assert!(rows[0].contains("Người nhận:</em> Chuyên viên thụ lý, Tổ Đăng ký"), "the role expected next: {}", rows[0]);
    assert!(
        rows[1].contains("Người giao:</em> Chuyên viên") && rows[1].contains("trễ hạn"),
        "the assessment ran late: {}",
        rows[1]
    );
    assert!(
        rows[1].contains("09 giờ 00 phút, ngày 09/03/2026") || rows[1].contains("10 giờ 00 phút, ngày 09/03/2026"),
        "{}",
        rows[1]
    );
    let key = app.json_as(&format!("/api/v1/dossiers/{code}"), &desk).await["lookup_key"].as_str().map(str::to_owned);
    if let Some(key) = key {
        let public = app.get(&format!("/api/v1/dossiers/{code}/control-slip?key={key}")).await;
        assert_eq!(public.status(), 404, "the lookup key does not open the agency's record");
    }
}

#[tokio::test]
async fn every_form_is_laid_out_as_the_circular_draws_it() {
    let app = spawn_app().await;
    let portal = app.token("client", "Cổng dịch vụ công", None, None).await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    let dossier = submit_received(&app, &portal, &land_change("064090000003")).await;
    let code = dossier["code"].as_str().expect("code");
    let receipt = page(&app, &admin, code, "receipt").await;
    // The issuing unit beside the national motto, the day it was issued.
    let header = &receipt[receipt.find("<table class=\"header\"").expect("the two-column header")..];
    let header = &header[..header.find("</table>").expect("its end")];
    let columns: Vec<&str> = header.split("<td").skip(1).collect();
    assert_eq!(columns.len(), 2, "{header}");
    assert!(columns[0].contains("Chi nhánh Văn phòng Đăng ký đất đai khu vực Pleiku"), "{}", columns[0]);
    assert!(
        columns[1].contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") && columns[1].contains("Độc lập - Tự do - Hạnh phúc")
    );
    assert!(columns[1].contains("ngày 02 tháng 03 năm 2026"), "{}", columns[1]);
    // Numbered items and the two signatures.
    assert!(receipt.contains("<h1>GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ</h1>"));
    let items = &receipt[receipt.find("<ol class=\"items\">").expect("numbered items")..];
    assert!(items.contains("Thành phần hồ sơ nộp gồm") && items.contains("Thời gian trả kết quả giải quyết hồ sơ"));
    assert!(receipt.contains("NGƯỜI NỘP HỒ SƠ") && receipt.contains("NGƯỜI TIẾP NHẬN HỒ SƠ"));
    assert!(receipt.contains("(Ký và ghi rõ họ tên)"));
    assert!(receipt.contains("Mẫu 01"));
}
