//! The portal's public pages as a citizen meets them: search with or without diacritics, the
//! procedure page for the notice board, tracking by code and lookup key, and errors as pages
//! in Vietnamese.

use crate::dossiers::{land_change, submit_received};
use crate::helpers::{TestApp, spawn_app};
use serde_json::Value;

/// The page at `path`: status, content type and body.
async fn page(app: &TestApp, path: &str) -> (u16, String, String) {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    let kind = response.headers()["content-type"].to_str().expect("text").to_owned();
    (status, kind, response.text().await.expect("body"))
}

/// The procedure codes the home page lists for `query`.
async fn found(app: &TestApp, query: &str) -> Vec<String> {
    let (status, _, html) = page(app, &format!("/?{query}")).await;
    assert_eq!(status, 200, "{query}");
    html.split("class=\"name\" href=\"/thu-tuc/")
        .skip(1)
        .map(|rest| rest.split('"').next().expect("code").to_owned())
        .collect()
}

#[tokio::test]
async fn a_citizen_finds_procedures_with_or_without_diacritics() {
    let app = spawn_app().await;
    assert_eq!(found(&app, "q=dang+ky+ket+hon").await, ["1.000894"]);
    assert_eq!(found(&app, "q=%C4%90%C4%83ng+k%C3%BD+k%E1%BA%BFt+h%C3%B4n").await, ["1.000894"], "Đăng ký kết hôn");
    let unaccented = found(&app, "q=dat").await;
    let accented = found(&app, "q=%C4%91%E1%BA%A5t").await;
    assert!(unaccented.contains(&"1.004227".to_owned()), "{unaccented:?}");
    assert_eq!(unaccented, accented, "`dat` and `đất` find the same procedures");
    // The last word may be half typed; the others are whole words.
    assert_eq!(found(&app, "q=ket+h").await, ["1.000894"]);
    assert!(found(&app, "q=k+hon").await.is_empty());
    // Browsing: every listed procedure is of the chosen field, level or agency.
    let land = found(&app, "linh_vuc=dat-dai").await;
    assert!(land.contains(&"1.004227".to_owned()) && !land.contains(&"1.000894".to_owned()), "{land:?}");
    let all = found(&app, "").await;
    let full = found(&app, "muc_do=full").await;
    let partial = found(&app, "muc_do=partial").await;
    assert!(!full.is_empty() && !partial.is_empty() && full.len() + partial.len() <= all.len());
    assert!(full.iter().all(|code| !partial.contains(code)));
    let (_, kind, html) = page(&app, "/?q=khong+co+thu+tuc+nay").await;
    assert!(kind.starts_with("text/html"));
    assert!(html.contains("Không tìm thấy thủ tục phù hợp"), "{html}");
    // What the citizen typed comes back escaped, never as markup.
    let (_, _, html) = page(&app, "/?q=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert!(!html.contains("<script>alert(1)"), "the query is escaped");
    assert!(html.contains("&#34;&#62;&#60;script&#62;") || html.contains("&quot;&gt;&lt;script&gt;"), "{html}");
}

#[tokio::test]
async fn the_procedure_page_shows_what_the_notice_board_does() {
    let app = spawn_app().await;
    let (status, kind, html) = page(&app, "/thu-tuc/1.004227").await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/html"));
    assert!(html.contains("<html lang=\"vi\">"));
    for expected in [
        "Đăng ký biến động về sử dụng đất",
        "5 ngày làm việc",
        "theo quy định: 10 ngày làm việc",
        "Bản gốc Giấy chứng nhận đã cấp",
        "Bản sao có chứng thực",
        "Tùy trường hợp",
        "Nộp nếu có",
        "Thẩm định, cập nhật hồ sơ địa chính",
        "Chuyên viên thụ lý",
        "0,5 ngày làm việc",
        "Luật Đất đai số 31/2024/QH15",
        "trực tuyến",
        "qua dịch vụ bưu chính công ích",
        "Dịch vụ công trực tuyến một phần",
    ] {
        assert!(html.contains(expected), "the page lacks `{expected}`");
    }
    let (status, kind, html) = page(&app, "/thu-tuc/9.999999").await;
    assert_eq!(status, 404);
    assert!(kind.starts_with("text/html"), "a citizen gets a page, not JSON");
    assert!(html.contains("Không có thủ tục đang có hiệu lực với mã này"));
    // A browser following a dead link outside the API gets a page; a program, the problem.
    let browser = app.client.get(format!("{}/trang-khong-co", app.address)).header("Accept", "text/html,*/*;q=0.8");
    let response = browser.send().await.expect("sent");
    assert_eq!(response.status(), 404);
    assert!(response.headers()["content-type"].to_str().expect("text").starts_with("text/html"));
    assert!(response.text().await.expect("body").contains("Trang bạn tìm không có trên cổng"));
    let (status, kind, _) = page(&app, "/trang-khong-co").await;
    assert_eq!((status, kind.as_str()), (404, "application/problem+json"));
    // The API still answers problem+json.
    let (status, kind, _) = page(&app, "/api/v1/khong-co").await;
    assert_eq!((status, kind.as_str()), (404, "application/problem+json"));
}

#[tokio::test]
async fn a_citizen_tracks_a_dossier_with_its_code_and_key() {
    let app = spawn_app().await;
    let client = app.client_token("Cổng dịch vụ công", &["online"]).await;
    let accepted: Value = submit_received(&app, &client, &land_change("064090001234")).await;
    let (code, key) = (accepted["code"].as_str().expect("code"), accepted["lookup_key"].as_str().expect("key"));
    let (status, _, html) = page(&app, "/tra-cuu").await;
    assert_eq!(status, 200);
    assert!(html.contains("<label for=\"ma\">") && html.contains("<label for=\"khoa\">"), "labelled inputs");
    let response = app.get(&format!("/tra-cuu?ma={code}&khoa={}", key.to_lowercase())).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store", "a dossier's page is not cached");
    let html = response.text().await.expect("body");
    for expected in [
        "Nộp hồ sơ",
        "Tiếp nhận hồ sơ",
        "Hẹn trả kết quả",
        "Đang giải quyết",
        "Thẩm định, cập nhật hồ sơ địa chính",
        "Chưa thực hiện",
    ] {
        assert!(html.contains(expected), "the timeline lacks `{expected}`");
    }
    assert!(!html.contains("Nguyễn Văn An"), "no personal data on the tracking page");
    let (status, kind, html) = page(&app, &format!("/tra-cuu?ma={code}&khoa=AAAAAAAAAA")).await;
    assert_eq!(status, 404);
    assert!(kind.starts_with("text/html"));
    assert!(html.contains("Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này"));
    let (status, _, _) = page(&app, "/tra-cuu?ma=%00%3Cscript%3E&khoa=x").await;
    assert_eq!(status, 404);
}
