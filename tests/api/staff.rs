//! Staff in the portal: accounts with a password, sessions in an HttpOnly cookie, a CSRF
//! token on every form, sign-in attempts limited, sessions that end for good at sign-out or
//! when the account is revoked; the officer's inbox of what waits at their duty.

use crate::dossiers::{land_change, submit};
use crate::helpers::{TestApp, spawn_app};
use motcua_server::accounts::{NewAccount, create};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::{Value, json};

pub(crate) const PASSWORD: &str = "mật khẩu đủ dài 2026";

/// A client that does not follow redirects, so the test sees each answer.
pub(crate) fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

/// An account with `PASSWORD`; `agency` empty for none (an administrator).
pub(crate) async fn account(app: &TestApp, username: &str, role: &str, agency: &str, duty: Option<&str>) {
    let db = motcua_server::db::connect(&app.database_url).await.expect("database");
    let new = NewAccount {
        username: username.to_owned(),
        name: format!("Cán bộ {username}"),
        role: role.parse().expect("role"),
        agency: (!agency.is_empty()).then(|| agency.parse().expect("agency")),
        duty: duty.map(|d| d.parse().expect("duty")),
        password: PASSWORD.to_owned(),
    };
    create(&db, new).await.expect("account created");
}

/// The value of cookie `name` set by `response`, with the attributes it was set with.
pub(crate) fn set_cookie(response: &reqwest::Response, name: &str) -> Option<(String, String)> {
    response.headers().get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|line| {
        let (pair, attributes) = line.split_once(';').unwrap_or((line, ""));
        let (key, value) = pair.split_once('=')?;
        (key.trim() == name).then(|| (value.to_owned(), attributes.to_owned()))
    })
}

/// The hidden `csrf` of the first form of `html`.
pub(crate) fn csrf(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field") + "name=\"csrf\" value=\"".len();
    html[at..].split('"').next().expect("value").to_owned()
}

/// The sign-in form's token and cookie.
async fn sign_in_form(app: &TestApp, client: &reqwest::Client) -> (String, String) {
    let response = client.get(format!("{}/dang-nhap", app.address)).send().await.expect("sent");
    assert_eq!(response.status(), 200);
    let (cookie, _) = set_cookie(&response, "motcua_bieu_mau").expect("the form's cookie");
    (csrf(&response.text().await.expect("body")), cookie)
}

/// Posts the sign-in form.
pub(crate) async fn post_sign_in(
    app: &TestApp,
    client: &reqwest::Client,
    username: &str,
    password: &str,
    next: &str,
) -> reqwest::Response {
    let (token, cookie) = sign_in_form(app, client).await;
    let form = [("csrf", token.as_str()), ("tiep", next), ("ten", username), ("mat_khau", password)];
    let request = client.post(format!("{}/dang-nhap", app.address)).header(COOKIE, format!("motcua_bieu_mau={cookie}"));
    request.form(&form).send().await.expect("sent")
}

/// Signs in: the session cookie.
pub(crate) async fn signed_in(app: &TestApp, client: &reqwest::Client, username: &str) -> String {
    let response = post_sign_in(app, client, username, PASSWORD, "/can-bo").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/can-bo");
    let (session, attributes) = set_cookie(&response, "motcua_phien").expect("a session cookie");
    assert!(attributes.contains("HttpOnly"), "{attributes}");
    assert!(attributes.contains("SameSite=Strict"), "{attributes}");
    session
}

pub(crate) async fn page(app: &TestApp, client: &reqwest::Client, path: &str, session: &str) -> reqwest::Response {
    let request = client.get(format!("{}{path}", app.address)).header(COOKIE, format!("motcua_phien={session}"));
    request.send().await.expect("sent")
}

#[tokio::test]
async fn staff_sign_in_with_a_password_and_a_forged_or_guessed_sign_in_gets_nowhere() {
    let app = spawn_app().await;
    let client = browser();
    account(&app, "tiepnhan.pleiku", "officer", "G22.26.01.01", Some("reception")).await;
    // A wrong password and an unknown name get the same answer, and no session.
    for (username, password) in [("tiepnhan.pleiku", "sai mật khẩu rồi"), ("khong.co.ai", PASSWORD)] {
        let response = post_sign_in(&app, &client, username, password, "/can-bo").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(set_cookie(&response, "motcua_phien").is_none());
        assert!(response.text().await.expect("body").contains("Tên đăng nhập hoặc mật khẩu không đúng"));
    }
    // A post without the form's token (from another site) is refused before any check.
    let forged = client
        .post(format!("{}/dang-nhap", app.address))
        .form(&[("ten", "tiepnhan.pleiku"), ("mat_khau", PASSWORD), ("csrf", "x")])
        .send()
        .await
        .expect("sent");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    // The name is read in any case; after signing in, only this portal's pages are next.
    let response = post_sign_in(&app, &client, "TiepNhan.Pleiku", PASSWORD, "https://example.com/").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/can-bo");
    // A form posted after its session ended: after signing in, the staff's home, not the
    // form's target (which answers no GET).
    let response = client
        .post(format!("{}/can-bo/ho-so/G22.26.01.01-260302-0001/xu-ly", app.address))
        .form(&[("csrf", "x")])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/dang-nhap?tiep=/can-bo");
    // Without a session, the staff pages send to sign in.
    let response = client.get(format!("{}/can-bo", app.address)).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(response.headers()[LOCATION].to_str().expect("text").starts_with("/dang-nhap?tiep=/can-bo"));
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_address() {
    let app = spawn_app().await;
    let client = browser();
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(post_sign_in(&app, &client, "ai.do", "đoán mật khẩu", "/").await.status().as_u16());
    }
    assert_eq!(statuses[..10], [401; 10]);
    assert_eq!(statuses[10..], [429, 429]);
}

#[tokio::test]
async fn a_signed_out_or_revoked_session_cannot_be_used_again() {
    let app = spawn_app().await;
    let client = browser();
    account(&app, "chuyenvien", "officer", "G22.26.01.03", Some("specialist")).await;
    let session = signed_in(&app, &client, "chuyenvien").await;
    let inbox = page(&app, &client, "/can-bo", &session).await;
    assert_eq!(inbox.status(), 200);
    assert_eq!(inbox.headers()["cache-control"], "no-store");
    let html = inbox.text().await.expect("body");
    // Signing out needs the session's own form token.
    let out = |token: String| {
        client
            .post(format!("{}/dang-xuat", app.address))
            .header(COOKIE, format!("motcua_phien={session}"))
            .form(&[("csrf", token)])
            .send()
    };
    assert_eq!(out("khong-phai".to_owned()).await.expect("sent").status(), StatusCode::FORBIDDEN);
    assert_eq!(page(&app, &client, "/can-bo", &session).await.status(), 200, "a forged sign-out changed nothing");
    let response = out(csrf(&html)).await.expect("sent");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        page(&app, &client, "/can-bo", &session).await.status(),
        StatusCode::SEE_OTHER,
        "the old cookie is dead"
    );
    // Revoking the account ends its sessions too.
    let again = signed_in(&app, &client, "chuyenvien").await;
    assert_eq!(page(&app, &client, "/can-bo", &again).await.status(), 200);
    let db = motcua_server::db::connect(&app.database_url).await.expect("database");
    let id = motcua_server::auth::list_tokens(&db)
        .await
        .expect("tokens")
        .into_iter()
        .find(|t| t.username.as_deref() == Some("chuyenvien"))
        .expect("the account")
        .id;
    assert!(motcua_server::auth::revoke_token(&db, id).await.expect("revoked"));
    assert_eq!(page(&app, &client, "/can-bo", &again).await.status(), StatusCode::SEE_OTHER);
    let response = post_sign_in(&app, &client, "chuyenvien", PASSWORD, "/can-bo").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "a revoked account does not sign in");
}

/// The land procedure's reception officer and specialist, signed in, and a dossier filed online.
struct Desk {
    reception: String,
    specialist: String,
    code: String,
}

async fn desk_with_a_dossier(app: &TestApp, client: &reqwest::Client) -> Desk {
    account(app, "tiepnhan", "officer", "G22.26.01.01", Some("reception")).await;
    account(app, "thamdinh", "officer", "G22.26.01.03", Some("specialist")).await;
    let reception = signed_in(app, client, "tiepnhan").await;
    let specialist = signed_in(app, client, "thamdinh").await;
    let portal = app.client_token("Cổng dịch vụ công", &["online"]).await;
    let created: Value = submit(app, &portal, &land_change("064090001234"), None).await.json().await.expect("JSON");
    Desk { reception, specialist, code: created["code"].as_str().expect("code").to_owned() }
}

#[tokio::test]
async fn the_inbox_holds_what_waits_at_the_officers_duty() {
    let app = spawn_app().await;
    let client = browser();
    let Desk { reception, specialist, code } = desk_with_a_dossier(&app, &client).await;
    let inbox = |session: String| {
        let (app, client) = (&app, &client);
        async move { page(app, client, "/can-bo", &session).await.text().await.expect("body") }
    };
    let html = inbox(reception.clone()).await;
    assert!(html.contains(&code), "a submitted dossier waits for its desk's reception");
    assert!(html.contains("Chưa tiếp nhận"));
    assert!(!inbox(specialist.clone()).await.contains(&code), "not yet for the specialist");
    let desk = app.token("officer", "Một cửa", Some("G22.26.01.01"), Some("reception")).await;
    assert_eq!(app.act(&desk, &code, 1, &json!({"action": "accept"})).await.status(), 200);
    assert_eq!(app.act(&desk, &code, 2, &json!({"action": "forward"})).await.status(), 200);
    assert!(!inbox(reception).await.contains(&code), "handed over, it left reception's inbox");
    let html = inbox(specialist).await;
    assert!(html.contains(&code) && html.contains("Đang giải quyết"), "{html}");
}

/// Posts `form` to the staff page `path` in `session`.
pub(crate) async fn post_form(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    session: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let request = client.post(format!("{}{path}", app.address)).header(COOKIE, format!("motcua_phien={session}"));
    request.form(form).send().await.expect("sent")
}

/// Posts an action form of the dossier page.
async fn take(
    app: &TestApp,
    client: &reqwest::Client,
    session: &str,
    code: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    post_form(app, client, &format!("/can-bo/ho-so/{code}/xu-ly"), session, form).await
}

/// The names of the actions a dossier page offers.
fn offered(html: &str) -> Vec<String> {
    html.split("name=\"action\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().expect("name").to_owned())
        .collect()
}

#[tokio::test]
async fn an_officer_works_a_dossier_from_its_page_with_only_the_actions_open_to_them() {
    let app = spawn_app().await;
    let client = browser();
    let Desk { reception, specialist, code } = desk_with_a_dossier(&app, &client).await;
    let path = format!("/can-bo/ho-so/{code}");
    let html = page(&app, &client, &path, &reception).await.text().await.expect("body");
    assert_eq!(offered(&html), ["accept", "request_supplement_before_receipt", "refuse"]);
    for shown in ["Nguyễn Văn An", "Họ và tên", "Thửa đất — Thửa đất số", "Bản gốc Giấy chứng nhận đã cấp", "Nộp hồ sơ"]
    {
        assert!(html.contains(shown), "the page lacks `{shown}`");
    }
    let token = csrf(&html);
    // The specialist sees the dossier (a step of their unit) but has nothing to do yet.
    let theirs = page(&app, &client, &path, &specialist).await.text().await.expect("body");
    assert!(offered(&theirs).is_empty(), "{:?}", offered(&theirs));
    // Without the session's token, nothing happens.
    let forged =
        take(&app, &client, &reception, &code, &[("csrf", "x"), ("phien_ban", "1"), ("action", "accept")]).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    // Reception accepts; the page shows the receipt then.
    let accepted =
        take(&app, &client, &reception, &code, &[("csrf", &token), ("phien_ban", "1"), ("action", "accept")]).await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let html = page(&app, &client, &path, &reception).await.text().await.expect("body");
    assert!(html.contains("Mẫu 01") && html.contains("Tiếp nhận hồ sơ"), "receipt and history");
    assert!(html.contains("<td>Đang giải quyết</td>") && !html.contains("<td>processing</td>"), "states in Vietnamese");
    assert_eq!(offered(&html), ["forward", "request_supplement", "request_financial_obligation", "stop"]);
    // A form of the page before someone acted is refused with the reason, and changes nothing.
    let stale =
        take(&app, &client, &reception, &code, &[("csrf", &token), ("phien_ban", "1"), ("action", "forward")]).await;
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    assert!(stale.text().await.expect("body").contains("Hồ sơ vừa được người khác xử lý"));
    // A supplement request needs its items: a blank one is refused at the lifecycle.
    let blank = [("csrf", token.as_str()), ("phien_ban", "2"), ("action", "request_supplement"), ("items", "  ")];
    let response = take(&app, &client, &reception, &code, &blank).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let forward = [("csrf", token.as_str()), ("phien_ban", "2"), ("action", "forward"), ("note", "Đủ hồ sơ")];
    assert_eq!(take(&app, &client, &reception, &code, &forward).await.status(), StatusCode::SEE_OTHER);
    let theirs = page(&app, &client, &path, &specialist).await.text().await.expect("body");
    assert!(offered(&theirs).contains(&"forward".to_owned()), "now the specialist's step: {:?}", offered(&theirs));
}

/// What an attacker would type into any field a page renders.
const XSS: [&str; 5] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "</textarea><svg onload=alert(1)>",
];

/// Whether `html` holds any of the corpus as markup (not escaped).
fn unescaped(html: &str) -> Vec<&'static str> {
    ["<script>alert", "<img src=x", "onmouseover='alert", "<svg onload", "href=\"javascript:"]
        .into_iter()
        .filter(|marker| html.contains(marker))
        .collect()
}

#[tokio::test]
async fn what_citizens_type_comes_back_escaped_on_every_page_that_shows_it() {
    let app = spawn_app().await;
    let client = browser();
    account(&app, "tiepnhan", "officer", "G22.26.01.01", Some("reception")).await;
    let reception = signed_in(&app, &client, "tiepnhan").await;
    let portal = app.client_token("Cổng dịch vụ công", &["online"]).await;
    for (i, payload) in XSS.iter().enumerate() {
        let mut body = land_change("064090001234");
        body["applicant"]["name"] = json!(payload);
        body["applicant"]["email"] = json!(payload);
        body["form"]["don_dang_ky"]["nguoi_nop"]["ho_ten"] = json!(format!("An {payload}"));
        body["form"]["don_dang_ky"]["thua_dat"]["dia_chi"] = json!(payload);
        body["form"]["don_dang_ky"]["noi_dung_thay_doi"] = json!(format!("Thay đổi {payload}"));
        let response = submit(&app, &portal, &body, None).await;
        let created: Value = response.json().await.expect("JSON");
        let code = created["code"].as_str().unwrap_or_else(|| panic!("case {i} filed: {created}")).to_owned();
        let key = created["lookup_key"].as_str().expect("key").to_owned();
        // Reception refuses it with the payload as its reason: shown on the page and on Mẫu 03.
        let html = page(&app, &client, &format!("/can-bo/ho-so/{code}"), &reception).await.text().await.expect("body");
        let shown = format!("An {payload}");
        let numeric = shown
            .replace('&', "&#38;")
            .replace('<', "&#60;")
            .replace('>', "&#62;")
            .replace('"', "&#34;")
            .replace('\'', "&#39;");
        let named = shown
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;");
        assert!(html.contains(&numeric) || html.contains(&named), "case {i} shown, escaped");
        assert_eq!(unescaped(&html), Vec::<&str>::new(), "case {i} on the dossier page");
        let token = csrf(&html);
        let refuse = [("csrf", token.as_str()), ("phien_ban", "1"), ("action", "refuse"), ("reasons", payload)];
        assert_eq!(take(&app, &client, &reception, &code, &refuse).await.status(), StatusCode::SEE_OTHER);
        for path in [
            format!("/can-bo/ho-so/{code}"),
            format!("/tra-cuu?ma={code}&khoa={key}"),
            format!("/api/v1/dossiers/{code}/refusal?key={key}"),
        ] {
            let html = page(&app, &client, &path, &reception).await.text().await.expect("body");
            assert_eq!(unescaped(&html), Vec::<&str>::new(), "case {i} on {path}");
        }
    }
    let html = page(&app, &client, "/can-bo", &reception).await.text().await.expect("body");
    assert_eq!(unescaped(&html), Vec::<&str>::new(), "the inbox");
    // What the citizen typed in the filing form and the search comes back escaped too.
    for payload in XSS {
        let search =
            page(&app, &client, &format!("/?q={}", urlencode(payload)), &reception).await.text().await.expect("body");
        assert_eq!(unescaped(&search), Vec::<&str>::new(), "search for {payload}");
    }
}

/// `text` percent-encoded for a query string.
fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[tokio::test]
async fn reception_files_a_dossier_at_the_counter_received_at_once_with_its_receipt() {
    let app = spawn_app().await;
    let client = browser();
    account(&app, "tiepnhan.quay", "officer", "G22.26.01.01", Some("reception")).await;
    account(&app, "thamdinh.quay", "officer", "G22.26.01.03", Some("specialist")).await;
    let session = signed_in(&app, &client, "tiepnhan.quay").await;
    // The procedures this desk receives at the counter, and not another desk's.
    let html = page(&app, &client, "/can-bo/tiep-nhan", &session).await.text().await.expect("body");
    assert!(html.contains("href=\"/can-bo/tiep-nhan/1.004227\""), "{html}");
    assert!(!html.contains("/can-bo/tiep-nhan/1.001193"), "the ward's birth registration is another desk's");
    let form = page(&app, &client, "/can-bo/tiep-nhan/1.004227", &session).await.text().await.expect("body");
    assert!(form.contains("Tiếp nhận hồ sơ trực tiếp tại Bộ phận Một cửa"));
    let token = csrf(&form);
    // A mistake is shown at its field, nothing filed.
    let wrong = crate::portal::land_change_form(&token, "0640", "nop");
    let response = post_form(&app, &client, "/can-bo/tiep-nhan/1.004227", &session, &wrong).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.expect("body").contains("Số định danh cá nhân"));
    // Filed right: received at once, the officer on the dossier's page with Mẫu 01 to print.
    let right = crate::portal::land_change_form(&token, "064090001234", "nop");
    let response = post_form(&app, &client, "/can-bo/tiep-nhan/1.004227", &session, &right).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[LOCATION].to_str().expect("text").to_owned();
    let code = location.strip_prefix("/can-bo/ho-so/").expect("the dossier's page").to_owned();
    assert!(code.starts_with("G22.26.01.01-"), "{code}");
    let html = page(&app, &client, &location, &session).await.text().await.expect("body");
    assert!(
        html.contains("trực tiếp tại Bộ phận Một cửa") && html.contains("Mẫu 01") && html.contains("Mẫu 05"),
        "{html}"
    );
    let admin = app.token("admin", "Quản trị", None, None).await;
    let stored: Value = app.json_as(&format!("/api/v1/dossiers/{code}"), &admin).await;
    assert_eq!(stored["channel"], "counter");
    assert!(stored["received_at"].is_string(), "received at once: {stored}");
    // Another site's post, and an officer of another duty, file nothing.
    let forged = crate::portal::land_change_form("x", "064090001234", "nop");
    let response = post_form(&app, &client, "/can-bo/tiep-nhan/1.004227", &session, &forged).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let specialist = signed_in(&app, &client, "thamdinh.quay").await;
    assert_eq!(page(&app, &client, "/can-bo/tiep-nhan", &specialist).await.status(), StatusCode::FORBIDDEN);
}
