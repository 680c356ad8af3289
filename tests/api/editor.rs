//! The definition editor and the administrator's accounts page in the portal: a broken text
//! is refused with its diagnostics at their lines and nothing stored; examples run on demand;
//! the saved draft shows its differences and impact and is published; another agency's
//! procedure cannot be opened; accounts and API tokens are created and revoked from the page.

use crate::helpers::{TestApp, spawn_app};
use crate::staff::{PASSWORD, account, browser, csrf, page, post_form as post, post_sign_in, signed_in};
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::Value;

const LAND: &str = include_str!("../../procedures/1.004227-dang-ky-bien-dong-thay-doi-thong-tin.yaml");

/// The editor's page, and its form token.
async fn editor(app: &TestApp, client: &reqwest::Client, session: &str) -> (String, String) {
    let response = page(app, client, "/can-bo/thu-tuc/1.004227", session).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let html = response.text().await.expect("body");
    (csrf(&html), html)
}

/// The 1-based line of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|line| line.contains(needle)).expect("the line") + 1
}

#[tokio::test]
async fn a_department_edits_checks_saves_and_publishes_its_own_procedure_and_not_anothers() {
    let app = spawn_app().await;
    let client = browser();
    account(&app, "lanhdao.datdai", "department", "G22.26.01", None).await;
    let session = signed_in(&app, &client, "lanhdao.datdai").await;

    // The list holds the land office's procedures, and not the ward's.
    let list = page(&app, &client, "/can-bo/thu-tuc", &session).await.text().await.expect("body");
    assert!(list.contains("href=\"/can-bo/thu-tuc/1.004227\""), "{list}");
    assert!(!list.contains("1.001193"), "the ward's birth registration is not the land office's");
    let (token, html) = editor(&app, &client, &session).await;
    assert!(html.contains("id=\"dong-9\""), "numbered lines");
    assert!(html.contains("version: 1"));

    // A broken text: the unknown role is shown at its own line, and nothing is stored.
    let broken = LAND.replace("version: 1", "version: 2").replace("role: specialist", "role: chuyen_vien");
    let line = line_of(&broken, "role: chuyen_vien");
    let response = post(
        &app,
        &client,
        "/can-bo/thu-tuc/1.004227",
        &session,
        &[("csrf", &token), ("buoc", "luu"), ("yaml", &broken)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("body");
    let at = html.find(&format!("<li id=\"dong-{line}\" class=\"flagged\">")).expect("the line is flagged");
    let flagged = &html[at..html[at..].find("</li>").map_or(html.len(), |end| at + end)];
    assert!(flagged.contains("unknown_role") && flagged.contains("Vai trò không xác định"), "{flagged}");
    assert!(html.contains(&format!("href=\"#dong-{line}\"")), "the summary links to the line");
    assert!(html.contains("chuyen_vien"), "the text typed is kept");
    let versions: Value = app.get("/api/v1/procedures/1.004227/versions").await.json().await.expect("JSON");
    assert_eq!(versions["versions"].as_array().expect("versions").len(), 1, "nothing stored");

    // What the editor typed comes back as text, never as markup.
    let hostile = format!("# <script>alert(1)</script>\n{}", LAND.replace("version: 1", "version: 2"));
    let response = post(
        &app,
        &client,
        "/can-bo/thu-tuc/1.004227",
        &session,
        &[("csrf", &token), ("buoc", "kiem-tra"), ("yaml", &hostile)],
    )
    .await;
    let html = response.text().await.expect("body");
    assert!(!html.contains("<script>alert(1)") && html.contains("&#60;script&#62;alert(1)"), "escaped");
    // The fixed text, with its examples run on demand, then saved and published.
    let fixed = LAND.replace("version: 1", "version: 2");
    let response = post(
        &app,
        &client,
        "/can-bo/thu-tuc/1.004227",
        &session,
        &[("csrf", &token), ("buoc", "kiem-tra"), ("yaml", &fixed)],
    )
    .await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("body");
    assert!(html.contains("Không có lỗi và cảnh báo"), "{html}");
    assert!(html.contains("Đạt") && !html.contains("Không đạt"), "every example passes");
    let cut = fixed
        .replace("{ working_days: 5, statutory_working_days: 10 }", "{ working_days: 4, statutory_working_days: 10 }");
    let response =
        post(&app, &client, "/can-bo/thu-tuc/1.004227", &session, &[("csrf", &token), ("buoc", "luu"), ("yaml", &cut)])
            .await;
    // Cutting the time alone leaves the steps over it: shown, not stored.
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("body");
    assert!(
        html.contains("steps_over_budget") && html.contains("Tổng thời gian các bước vượt thời hạn giải quyết"),
        "{html}"
    );
    let response = post(
        &app,
        &client,
        "/can-bo/thu-tuc/1.004227",
        &session,
        &[("csrf", &token), ("buoc", "luu"), ("yaml", &fixed)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/can-bo/thu-tuc/1.004227?thong-bao=luu");
    let html =
        page(&app, &client, "/can-bo/thu-tuc/1.004227?thong-bao=luu", &session).await.text().await.expect("body");
    assert!(html.contains("Đã lưu bản nháp"));
    assert!(html.contains("Khác biệt so với phiên bản 1") && html.contains("<code>/version</code>"), "{html}");
    assert!(html.contains("Ảnh hưởng đến hồ sơ đang giải quyết") && html.contains("Đang giải quyết: 0 hồ sơ"));
    let response =
        post(&app, &client, "/can-bo/thu-tuc/1.004227", &session, &[("csrf", &token), ("buoc", "cong-bo")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let versions: Value = app.get("/api/v1/procedures/1.004227/versions").await.json().await.expect("JSON");
    assert_eq!(versions["versions"][1]["status"], "published");

    // Without the session's token, nothing is done.
    let forged = post(
        &app,
        &client,
        "/can-bo/thu-tuc/1.004227",
        &session,
        &[("csrf", "x"), ("buoc", "ngung"), ("phien_ban", "2")],
    )
    .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    // Another agency's procedure is not this department's to open, nor to change.
    let response = page(&app, &client, "/can-bo/thu-tuc/1.001193", &session).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.text().await.expect("body").contains("cơ quan"));
    let response =
        post(&app, &client, "/can-bo/thu-tuc/1.001193", &session, &[("csrf", &token), ("buoc", "ngung")]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let versions: Value = app.get("/api/v1/procedures/1.001193/versions").await.json().await.expect("JSON");
    assert_eq!(versions["versions"][0]["status"], "published");
    // An officer edits no definition.
    account(&app, "chuyenvien.datdai", "officer", "G22.26.01.03", Some("specialist")).await;
    let officer = signed_in(&app, &client, "chuyenvien.datdai").await;
    assert_eq!(page(&app, &client, "/can-bo/thu-tuc/1.004227", &officer).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_administrator_creates_and_revokes_accounts_and_api_tokens() {
    let app = spawn_app().await;
    let client = browser();
    account(&app, "quantri", "admin", "", None).await;
    let session = signed_in(&app, &client, "quantri").await;
    // The administrator acts on no dossier: the staff landing is the definitions.
    let landing = page(&app, &client, "/can-bo", &session).await;
    assert_eq!(landing.status(), StatusCode::SEE_OTHER);
    assert_eq!(landing.headers()[LOCATION], "/can-bo/thu-tuc");
    let html = page(&app, &client, "/can-bo/tai-khoan", &session).await.text().await.expect("body");
    let token = csrf(&html);

    // An account, refused while its password is short, then created; it signs in.
    let mut form = vec![
        ("csrf", token.as_str()),
        ("buoc", "tao-tai-khoan"),
        ("ten_dang_nhap", "tiepnhan.moi"),
        ("ho_ten", "Nguyễn Thị Mới"),
        ("vai_tro", "officer"),
        ("co_quan", "G22.26.01.01"),
        ("nhiem_vu", "reception"),
        ("mat_khau", "ngan"),
    ];
    let response = post(&app, &client, "/can-bo/tai-khoan", &session, &form).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.expect("body").contains("Chưa tạo được tài khoản"));
    form[7] = ("mat_khau", PASSWORD);
    let response = post(&app, &client, "/can-bo/tai-khoan", &session, &form).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let officer = signed_in(&app, &client, "tiepnhan.moi").await;
    assert_eq!(page(&app, &client, "/can-bo", &officer).await.status(), 200);
    // The accounts page is the administrator's only.
    assert_eq!(page(&app, &client, "/can-bo/tai-khoan", &officer).await.status(), StatusCode::FORBIDDEN);

    // An API token, shown once, works; revoked, it does not.
    let response = post(
        &app,
        &client,
        "/can-bo/tai-khoan",
        &session,
        &[
            ("csrf", &token),
            ("buoc", "cap-ma"),
            ("ho_ten", "Bưu điện Pleiku"),
            ("vai_tro", "client"),
            ("kenh", "postal"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let html = response.text().await.expect("body");
    let at = html.find("id=\"ma-moi\" readonly value=\"").expect("the secret shown")
        + "id=\"ma-moi\" readonly value=\"".len();
    let secret = html[at..].split('"').next().expect("secret").to_owned();
    let listed =
        |secret: &str| app.client.get(format!("{}/api/v1/dossiers", app.address)).bearer_auth(secret.to_owned()).send();
    assert_eq!(listed(&secret).await.expect("sent").status(), 200);
    let id = html[html.find("Thu hồi mã số ").expect("a revoke button") + "Thu hồi mã số ".len()..]
        .split('<')
        .next()
        .expect("id")
        .to_owned();
    let response =
        post(&app, &client, "/can-bo/tai-khoan", &session, &[("csrf", &token), ("buoc", "thu-hoi"), ("id", &id)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(listed(&secret).await.expect("sent").status(), 401);

    // Revoking the account ends its session at once; the administrator cannot revoke itself.
    let html = page(&app, &client, "/can-bo/tai-khoan", &session).await.text().await.expect("body");
    let before = &html[..html.find("Thu hồi tiepnhan.moi").expect("the account's button")];
    let id = before.rsplit("name=\"id\" value=\"").next().expect("id").split('"').next().expect("id").to_owned();
    let response =
        post(&app, &client, "/can-bo/tai-khoan", &session, &[("csrf", &token), ("buoc", "thu-hoi"), ("id", &id)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(page(&app, &client, "/can-bo", &officer).await.status(), StatusCode::SEE_OTHER, "signed out");
    let refused = post_sign_in(&app, &client, "tiepnhan.moi", PASSWORD, "/can-bo").await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
}
