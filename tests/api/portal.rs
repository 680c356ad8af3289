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
        "Nộp khi “Nội dung thay đổi thông tin” không phải là “Địa chỉ”",
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
    assert!(html.contains(&format!("id=\"ma\" name=\"ma\" value=\"{code}\"")), "the form again, the code kept");
    let (status, _, html) = page(&app, "/tra-cuu?ma=%00%3Cscript%3E&khoa=x").await;
    assert_eq!(status, 404);
    assert!(!html.contains("<script>"), "what was typed comes back escaped");
}

/// The form token of a portal page: the cookie it set and the hidden field.
async fn form_token(app: &TestApp, path: &str) -> (String, String) {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|line| {
            line.strip_prefix("motcua_bieu_mau=").map(|rest| rest.split(';').next().expect("value").to_owned())
        })
        .expect("the form's cookie");
    let html = response.text().await.expect("body");
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field") + "name=\"csrf\" value=\"".len();
    (cookie, html[at..].split('"').next().expect("value").to_owned())
}

/// The land-change form as a citizen fills it, with `id_number` as typed.
pub(crate) fn land_change_form<'a>(csrf: &'a str, id_number: &'a str, step: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("khoa_gui", "web-test-1"),
        ("buoc", step),
        ("/nguoi_nop/name", "Nguyễn Văn An"),
        ("/nguoi_nop/phone", "0912345678"),
        ("/don_dang_ky/doi_tuong", "ca_nhan"),
        ("/don_dang_ky/loai_thay_doi", "ho_ten"),
        ("/don_dang_ky/nguoi_nop/ho_ten", "Nguyễn Văn An"),
        ("/don_dang_ky/nguoi_nop/ngay_sinh", "1990-05-01"),
        ("/don_dang_ky/nguoi_nop/so_dinh_danh", id_number),
        ("/don_dang_ky/thua_dat/so_thua", "125"),
        ("/don_dang_ky/thua_dat/to_ban_do", "14"),
        ("/don_dang_ky/thua_dat/dia_chi", "Phường Hội Thương, Pleiku"),
        ("/don_dang_ky/thua_dat/so_giay_chung_nhan", "CS 123456"),
        ("/don_dang_ky/noi_dung_thay_doi", "Thay đổi họ tên từ Nguyễn Văn Ân thành Nguyễn Văn An"),
        ("giay_to", "don"),
        ("giay_to", "gcn"),
        ("giay_to", "giay_to_thay_doi"),
    ]
}

#[tokio::test]
async fn a_citizen_files_online_from_a_form_generated_from_the_procedures_schema() {
    let app = spawn_app().await;
    let (status, _, html) = page(&app, "/nop-ho-so/1.004227").await;
    assert_eq!(status, 200);
    for label in ["Người sử dụng đất là", "Thửa đất số", "Ngày sinh", "Bản gốc Giấy chứng nhận đã cấp"]
    {
        assert!(html.contains(label), "the form lacks `{label}`");
    }
    assert!(
        html.contains("id=\"don_dang_ky-nguoi_nop-ngay_sinh\" name=\"/don_dang_ky/nguoi_nop/ngay_sinh\" type=\"date\"")
    );
    assert!(html.contains("<label for=\"don_dang_ky-thua_dat-so_thua\">"), "every input has its label");
    assert!(
        html.contains("name=\"/nguoi_nop/name\" type=\"text\" value=\"\" autocomplete=\"name\""),
        "the browser may fill the name"
    );
    let (cookie, csrf) = form_token(&app, "/nop-ho-so/1.004227").await;
    let post = |form: Vec<(&str, &str)>, cookie: Option<&str>| {
        let mut request = app.client.post(format!("{}/nop-ho-so/1.004227", app.address));
        if let Some(cookie) = cookie {
            request = request.header("Cookie", format!("motcua_bieu_mau={cookie}"));
        }
        request.form(&form).send()
    };
    // A form posted from elsewhere (no token cookie) is refused.
    assert_eq!(post(land_change_form(&csrf, "064090001234", "nop"), None).await.expect("sent").status(), 403);
    // A mistake: the message is the engine's own, at the field it is about.
    let mut wrong = land_change("064090001234");
    wrong["form"]["don_dang_ky"]["nguoi_nop"]["so_dinh_danh"] = "12345".into();
    let client = app.client_token("Cổng", &["online"]).await;
    let refused: Value = crate::dossiers::submit(&app, &client, &wrong, None).await.json().await.expect("JSON");
    let expected = refused["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .find(|r| r["pointer"] == "/don_dang_ky/nguoi_nop/so_dinh_danh")
        .expect("the API names the field")["message"]
        .as_str()
        .expect("message")
        .to_owned();
    // The page's script asks the same check as JSON, before sending: the same message.
    let check = |form: Vec<(&str, &str)>, cookie: Option<String>| {
        let mut request = app.client.post(format!("{}/nop-ho-so/1.004227/kiem-tra", app.address));
        if let Some(cookie) = cookie {
            request = request.header("Cookie", format!("motcua_bieu_mau={cookie}"));
        }
        request.form(&form).send()
    };
    assert_eq!(check(land_change_form(&csrf, "12345", "nop"), None).await.expect("sent").status(), 403);
    let verdict: Value = check(land_change_form(&csrf, "12345", "nop"), Some(cookie.clone()))
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert_eq!(verdict["ok"], false);
    assert_eq!(
        verdict["errors"],
        serde_json::json!([{"field": "don_dang_ky-nguoi_nop-so_dinh_danh", "message": expected}])
    );
    let verdict: Value = check(land_change_form(&csrf, "064090001234", "nop"), Some(cookie.clone()))
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert_eq!((verdict["ok"].clone(), verdict["fee"].clone()), (true.into(), "30.000 đồng".into()));
    let response = post(land_change_form(&csrf, "12345", "nop"), Some(&cookie)).await.expect("sent");
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("body");
    let at_field = format!(
        "<p class=\"late\" id=\"don_dang_ky-nguoi_nop-so_dinh_danh-loi\" data-loi>{}</p>",
        html_escape(&expected)
    );
    assert!(html.contains(&at_field), "the engine's message `{expected}` at the field:\n{html}");
    assert!(html.contains("value=\"12345\""), "what was typed is kept");
    assert!(!html.contains("Đã nộp hồ sơ"), "nothing was filed");
    // Fixed: the preview gives the fee and the documents, and files nothing.
    let response = post(land_change_form(&csrf, "064090001234", "xem-truoc"), Some(&cookie)).await.expect("sent");
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("body");
    assert!(html.contains("Hồ sơ hợp lệ") && html.contains("30.000 đồng"), "{html}");
    // Filed: the code and the lookup key, and the dossier is tracked with them.
    let response = post(land_change_form(&csrf, "064090001234", "nop"), Some(&cookie)).await.expect("sent");
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("body");
    assert!(html.contains("Đã nộp hồ sơ"), "{html}");
    let code =
        html.split("Mã hồ sơ</dt><dd><strong>").nth(1).expect("code").split('<').next().expect("code").to_owned();
    let key = html.split("Mã tra cứu</dt><dd><strong>").nth(1).expect("key").split('<').next().expect("key").to_owned();
    let (status, _, tracked) = page(&app, &format!("/tra-cuu?ma={code}&khoa={key}")).await;
    assert_eq!(status, 200);
    assert!(tracked.contains("Đã nộp, chờ tiếp nhận"), "{tracked}");
    // The same page sent twice files one dossier.
    let again = post(land_change_form(&csrf, "064090001234", "nop"), Some(&cookie)).await.expect("sent");
    assert!(again.text().await.expect("body").contains(&code), "a second click answers the first dossier");
    let admin = app.token("admin", "Quản trị", None, None).await;
    let listed = app.json_as("/api/v1/dossiers?procedure=1.004227", &admin).await;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["channel"], "online");
}

/// `text` as the templates escape it.
fn html_escape(text: &str) -> String {
    text.replace('&', "&#38;").replace('<', "&#60;").replace('>', "&#62;").replace('"', "&#34;").replace('\'', "&#39;")
}

/// `value` as the form fields that post it, named by their JSON pointers.
fn fields(pointer: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| fields(&format!("{pointer}/{k}"), v, out)),
        Value::Array(items) if items.iter().all(Value::is_object) && !items.is_empty() => {
            items.iter().enumerate().for_each(|(i, v)| fields(&format!("{pointer}/{i}"), v, out));
        }
        Value::Array(items) => {
            let lines: Vec<String> =
                items.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).collect();
            out.push((pointer.to_owned(), lines.join("\n")));
        }
        Value::Bool(ticked) => {
            out.push((format!("{pointer}#shown"), "1".to_owned()));
            if *ticked {
                out.push((pointer.to_owned(), "on".to_owned()));
            }
        }
        Value::String(text) => out.push((pointer.to_owned(), text.clone())),
        other => out.push((pointer.to_owned(), other.to_string())),
    }
}

#[tokio::test]
async fn every_online_procedures_own_example_goes_through_its_generated_form_unchanged() {
    use motcua_engine::{CompileContext, Evaluation, Input, compile, compile::DirLoader, definition::Channel};
    let app = spawn_app().await;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let ctx = CompileContext::new(
        motcua_engine::calendar::Calendar::vietnam().expect("calendar"),
        DirLoader::new(root.join("schemas")),
    );
    let now = chrono::DateTime::parse_from_rfc3339("2026-03-02T08:00:00+07:00").expect("time");
    let (mut checked, mut codes) = (0, std::collections::BTreeSet::new());
    for entry in std::fs::read_dir(root.join("procedures")).expect("procedures") {
        let file = entry.expect("entry").path();
        let text = std::fs::read_to_string(&file).expect("definition");
        let Some(procedure) = compile(&file.display().to_string(), &text, &ctx).procedure else { continue };
        let in_force = app.get(&format!("/nop-ho-so/{}", procedure.code)).await;
        if !procedure.channels.contains(&Channel::Online)
            || in_force.status() != 200
            || !codes.insert(procedure.code.to_string())
        {
            continue;
        }
        let blank = in_force.text().await.expect("body");
        for (example, _) in &procedure.examples {
            let form = Value::Object(example.form.clone());
            let input =
                Input { channel: Channel::Online, form: &form, documents: &example.documents, received_at: now };
            let Ok(Evaluation::Accepted(intake)) = motcua_engine::evaluate(&procedure, input) else { continue };
            let mut posted = Vec::new();
            fields("", &form, &mut posted);
            // The blank form has the first row of each list; the others come with "Thêm dòng".
            let first_rows = |n: &str| !n.split('/').any(|segment| segment.parse::<usize>().is_ok_and(|i| i > 0));
            for (name, _) in posted.iter().filter(|(n, _)| !n.ends_with("#shown") && first_rows(n)) {
                assert!(
                    blank.contains(&format!("name=\"{name}\"")),
                    "{}: the form has no field `{name}`",
                    procedure.code
                );
            }
            let (cookie, csrf) = form_token(&app, &format!("/nop-ho-so/{}", procedure.code)).await;
            let mut body: Vec<(String, String)> = vec![
                ("csrf".into(), csrf),
                ("buoc".into(), "xem-truoc".into()),
                ("/nguoi_nop/name".into(), "Nguyễn Văn An".into()),
            ];
            body.extend(posted);
            body.extend(example.documents.iter().map(|d| ("giay_to".to_owned(), d.clone())));
            let response = app
                .client
                .post(format!("{}/nop-ho-so/{}", app.address, procedure.code))
                .header("Cookie", format!("motcua_bieu_mau={cookie}"))
                .form(&body)
                .send()
                .await
                .expect("sent");
            let status = response.status();
            let html = response.text().await.expect("body");
            assert_eq!(
                status,
                200,
                "{} `{}`: {}",
                procedure.code,
                example.name,
                html.split("role=\"alert\"").nth(1).unwrap_or_default()
            );
            let fee = motcua_server::vi_format::dong(intake.fee);
            assert!(
                html.contains("Hồ sơ hợp lệ") && html.contains(&fee),
                "{} `{}`: fee {fee}",
                procedure.code,
                example.name
            );
            checked += 1;
            break;
        }
    }
    assert!(checked >= 10, "only {checked} procedures checked: {codes:?}");
}

#[tokio::test]
async fn a_list_of_groups_gets_a_row_more_on_demand_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let (status, _, blank) = page(&app, "/nop-ho-so/1.001029").await;
    assert_eq!(status, 200);
    assert!(blank.contains("Các phòng hát — 1") && !blank.contains("Các phòng hát — 2"), "one room to start with");
    let row = |html: &str, i: usize| html.contains(&format!("name=\"/don_de_nghi/phong_hat/{i}/"));
    assert!(row(&blank, 0) && !row(&blank, 1));
    let (cookie, csrf) = form_token(&app, "/nop-ho-so/1.001029").await;
    let first_room = blank
        .split("name=\"/don_de_nghi/phong_hat/0/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|field| format!("/don_de_nghi/phong_hat/0/{field}"))
        .expect("a field of the first room");
    let form = [
        ("csrf", csrf.as_str()),
        ("buoc", "them:/don_de_nghi/phong_hat"),
        (first_room.as_str(), "25"),
        ("/nguoi_nop/name", "Trần Thị Bình"),
    ];
    let response = app
        .client
        .post(format!("{}/nop-ho-so/1.001029", app.address))
        .header("Cookie", format!("motcua_bieu_mau={cookie}"))
        .form(&form)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("body");
    assert!(row(&html, 1) && html.contains("Các phòng hát — 2"), "a second room");
    assert!(html.contains("value=\"25\"") && html.contains("value=\"Trần Thị Bình\""), "what was typed is kept");
    assert!(!html.contains("role=\"alert\""), "adding a row checks nothing yet");
}

/// Posts the land-change form to `path` with the form's `cookie`.
async fn post_filing(app: &TestApp, path: &str, cookie: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let request =
        app.client.post(format!("{}{path}", app.address)).header("Cookie", format!("motcua_bieu_mau={cookie}"));
    request.form(form).send().await.expect("sent")
}

#[tokio::test]
async fn the_public_form_is_limited_per_address_and_a_page_sent_twice_with_other_content_says_so() {
    let app = crate::helpers::spawn_app_with(|s| s.filings_per_minute = 4).await;
    let (cookie, csrf) = form_token(&app, "/nop-ho-so/1.004227").await;
    // Filed once; the same page, changed after going back, is not filed again under its key.
    let first = land_change_form(&csrf, "064090001234", "nop");
    assert_eq!(post_filing(&app, "/nop-ho-so/1.004227", &cookie, &first).await.status(), 200);
    let mut changed = land_change_form(&csrf, "064090001234", "nop");
    changed[3] = ("/nguoi_nop/name", "Nguyễn Văn Ân");
    let response = post_filing(&app, "/nop-ho-so/1.004227", &cookie, &changed).await;
    assert_eq!(response.status(), 409);
    let html = response.text().await.expect("body");
    assert!(html.contains("Trang này đã được gửi một lần trước đó"), "{html}");
    assert!(!html.contains("value=\"web-test-1\""), "a new key for the changed dossier");
    // Checks count too: past the limit, a page in Vietnamese saying to wait.
    for _ in 0..2 {
        let check = land_change_form(&csrf, "064090001234", "xem-truoc");
        assert_eq!(post_filing(&app, "/nop-ho-so/1.004227", &cookie, &check).await.status(), 200);
    }
    let response = post_filing(&app, "/nop-ho-so/1.004227/kiem-tra", &cookie, &first).await;
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    assert!(response.text().await.expect("body").contains("Quá nhiều yêu cầu"));
}

#[tokio::test]
async fn behind_tls_every_cookie_of_the_portal_is_secure() {
    for secure in [false, true] {
        let app = crate::helpers::spawn_app_with(|s| s.secure_cookies = secure).await;
        let response = app.get("/dang-nhap").await;
        let cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        assert!(!cookies.is_empty());
        for cookie in cookies {
            assert_eq!(cookie.contains("; Secure"), secure, "{cookie}");
            assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
        }
    }
}
