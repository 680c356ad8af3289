//! The portal's whole story in a real Chromium, driven through WebDriver (chromedriver): a
//! citizen finds the land-change procedure by an unaccented search, fills the form with a
//! mistake, sees the engine's message at the field, fixes it, files, and prints the receipt
//! once reception has accepted it; reception signs in and accepts; the officers take it
//! through every step from their pages; the citizen tracks each step; an administrator breaks
//! the procedure's definition, sees the error at its line, fixes it and publishes. axe-core runs on every
//! page (no serious or critical violation), and a screenshot of each is kept under
//! `target/portal-screenshots/`.
//!
//! Ignored by default: it needs `chromium`, `chromium-driver` (Debian) and the npm package
//! `axe-core`, which `.ci/run` installs and runs it with (`--include-ignored`).
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

#[path = "api/helpers.rs"]
#[allow(dead_code)]
mod helpers;
#[path = "browser/webdriver.rs"]
mod webdriver;

use helpers::{TestApp, spawn_app};
use motcua_server::accounts::{NewAccount, create};
use serde_json::json;
use std::path::PathBuf;
use webdriver::Browser;

const PASSWORD: &str = "mật khẩu của cán bộ 2026";
const LAND: &str = include_str!("../procedures/1.004227-dang-ky-bien-dong-thay-doi-thong-tin.yaml");

/// Where screenshots go: `target/portal-screenshots/` of the build in use.
fn screenshots() -> PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR")
        .map_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"), PathBuf::from);
    let dir = target.join("portal-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

/// axe-core's script, installed by `.ci/run` (`npm install axe-core`).
fn axe() -> String {
    let path = std::env::var("MOTCUA_AXE_JS")
        .unwrap_or_else(|_| format!("{}/target/axe/node_modules/axe-core/axe.min.js", env!("CARGO_MANIFEST_DIR")));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("axe-core at {path} ({e}): npm install --prefix target/axe axe-core"))
}

/// One visit: checks the page with axe-core and keeps its screenshot as `NN-name.png`.
struct Visit {
    browser: Browser,
    axe: String,
    shots: PathBuf,
    count: usize,
}

impl Visit {
    async fn check(&mut self, name: &str) {
        self.count += 1;
        let png = self.browser.screenshot().await;
        std::fs::write(self.shots.join(format!("{:02}-{name}.png", self.count)), png).expect("screenshot kept");
        let inject = format!("{};arguments[arguments.length - 1](true);", self.axe);
        self.browser.run(&inject, json!([])).await;
        let report = "const done = arguments[arguments.length - 1];
            axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))));";
        let violations = self.browser.run(report, json!([])).await;
        assert_eq!(violations, json!([]), "axe-core on {name} ({})", self.browser.url().await);
    }

    async fn open(&mut self, app: &TestApp, path: &str, name: &str) {
        self.browser.open(&format!("{}{path}", app.address)).await;
        self.check(name).await;
    }

    /// Sets a field's value as the browser would after the person typed or picked it.
    async fn set(&self, id: &str, value: &str) {
        let script = "const el = document.getElementById(arguments[0]); el.value = arguments[1];
                      el.dispatchEvent(new Event('change', {bubbles: true})); arguments[arguments.length - 1](true);";
        self.browser.run(script, json!([id, value])).await;
    }

    /// The text of the element `css` selects, once it is there (at most 15 s).
    async fn wait_for(&self, css: &str) -> String {
        let script = "const done = arguments[arguments.length - 1]; const el = document.querySelector(arguments[0]);
                      done(el ? el.textContent : null);";
        for _ in 0..150 {
            if let Some(text) = self.browser.run(script, json!([css])).await.as_str() {
                return text.to_owned();
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("`{css}` never appeared");
    }

    async fn sign_in(&mut self, app: &TestApp, username: &str) {
        self.browser.forget().await;
        self.open(app, "/dang-nhap", &format!("dang-nhap-{username}")).await;
        self.browser.find("#ten").await.fill(username).await;
        self.browser.find("#mat-khau").await.fill(PASSWORD).await;
        self.browser.find("form button[type=submit]").await.click_to_page().await;
        assert!(self.browser.url().await.contains("/can-bo"), "{username} signed in");
    }

    /// As the signed-in officer, takes `action` on `code` from its page, filling `fields`.
    async fn act(&mut self, app: &TestApp, code: &str, action: &str, fields: &[(&str, &str)]) {
        self.open(app, &format!("/can-bo/ho-so/{code}"), &format!("ho-so-{action}")).await;
        self.browser.find(&format!("#thao-tac-{action} summary")).await.click().await;
        for (field, value) in fields {
            self.browser.find(&format!("#{action}-{field}")).await.fill(value).await;
        }
        self.browser.find(&format!("#thao-tac-{action} button[type=submit]")).await.click_to_page().await;
        let page = self.browser.source().await;
        assert!(!page.contains("role=\"alert\""), "{action} on {code} was refused: {page}");
    }
}

/// An officer's account with `agency` and `duty`; an administrator's when both are empty.
async fn account(app: &TestApp, username: &str, agency: &str, duty: &str) {
    let db = motcua_server::db::connect(&app.database_url).await.expect("database");
    let new = NewAccount {
        username: username.to_owned(),
        name: format!("Cán bộ {username}"),
        role: if agency.is_empty() { "admin" } else { "officer" }.parse().expect("role"),
        agency: (!agency.is_empty()).then(|| agency.parse().expect("agency")),
        duty: (!duty.is_empty()).then(|| duty.parse().expect("duty")),
        password: PASSWORD.to_owned(),
    };
    create(&db, new).await.expect("account");
}

/// The text after `label` up to the next tag, in `html`.
fn after(html: &str, label: &str) -> String {
    html.split(label).nth(1).and_then(|rest| rest.split('<').next()).unwrap_or_default().to_owned()
}

#[tokio::test]
#[ignore = "needs chromium, chromium-driver and axe-core; .ci/run installs them"]
async fn a_dossier_from_the_citizens_search_to_its_result_through_the_portal() {
    let app = spawn_app().await;
    account(&app, "tiepnhan", "G22.26.01.01", "reception").await;
    account(&app, "thamdinh", "G22.26.01.03", "specialist").await;
    account(&app, "lanhdao", "G22.26.01.03", "leader").await;
    account(&app, "quantri", "", "").await;
    let port = 19515 + u16::try_from(std::process::id() % 1000).expect("small");
    let browser = Browser::start(port, 1366, 900).await;
    let mut visit = Visit { browser, axe: axe(), shots: screenshots(), count: 0 };

    // A citizen searches without diacritics and opens the procedure.
    visit.open(&app, "/", "trang-chu").await;
    visit.browser.find("#q").await.fill("dang ky bien dong").await;
    visit.browser.find("form.search button[type=submit]").await.click_to_page().await;
    visit.check("tim-kiem").await;
    visit.browser.find("a[href='/thu-tuc/1.004227']").await.click_to_page().await;
    visit.check("thu-tuc").await;
    visit.browser.find("a[href='/nop-ho-so/1.004227']").await.click_to_page().await;
    visit.check("nop-ho-so").await;

    // The form, filled with a mistake in the personal identification number.
    let fields = [
        ("nguoi_nop-name", "Nguyễn Văn An"),
        ("nguoi_nop-phone", "0912345678"),
        ("don_dang_ky-doi_tuong", "ca_nhan"),
        ("don_dang_ky-loai_thay_doi", "ho_ten"),
        ("don_dang_ky-nguoi_nop-ho_ten", "Nguyễn Văn An"),
        ("don_dang_ky-nguoi_nop-ngay_sinh", "1990-05-01"),
        ("don_dang_ky-nguoi_nop-so_dinh_danh", "06409000"),
        ("don_dang_ky-thua_dat-so_thua", "125"),
        ("don_dang_ky-thua_dat-to_ban_do", "14"),
        ("don_dang_ky-thua_dat-dia_chi", "Phường Hội Thương, Pleiku"),
        ("don_dang_ky-thua_dat-so_giay_chung_nhan", "CS 123456"),
        ("don_dang_ky-noi_dung_thay_doi", "Thay đổi họ tên từ Nguyễn Văn Ân thành Nguyễn Văn An"),
    ];
    for (id, value) in fields {
        visit.set(id, value).await;
    }
    for document in ["don", "gcn", "giay_to_thay_doi"] {
        visit.browser.find(&format!("input[name=giay_to][value={document}]")).await.click().await;
    }
    // The page's script asks the engine before sending: its message shows at the field, no
    // page load, nothing filed.
    visit.browser.find("button[value=nop]").await.click().await;
    let message = visit.wait_for("#don_dang_ky-nguoi_nop-so_dinh_danh-loi").await;
    assert!(message.contains("Số định danh cá nhân"), "{message}");
    assert!(visit.browser.url().await.ends_with("/nop-ho-so/1.004227"), "still on the form");
    visit.check("loi-tai-truong").await;
    visit.browser.find("#don_dang_ky-nguoi_nop-so_dinh_danh").await.fill("064090001234").await;
    visit.browser.find("button[value=nop]").await.click_to_page().await;
    visit.check("da-nop").await;
    let page = visit.browser.source().await;
    let code = after(&page, "Mã hồ sơ</dt><dd><strong>");
    let key = after(&page, "Mã tra cứu</dt><dd><strong>");
    assert!(code.starts_with("G22.26.01.01-"), "{page}");

    // Reception accepts it, then each officer does their step from their page.
    visit.sign_in(&app, "tiepnhan").await;
    assert!(visit.browser.source().await.contains(&code), "in reception's inbox");
    visit.check("hop-thu-tiep-nhan").await;
    visit.act(&app, &code, "accept", &[]).await;
    visit.act(&app, &code, "forward", &[("note", "Hồ sơ đủ, chuyển thẩm định")]).await;
    visit.sign_in(&app, "thamdinh").await;
    visit.act(&app, &code, "forward", &[]).await;
    visit.sign_in(&app, "lanhdao").await;
    visit.act(&app, &code, "decide", &[]).await;
    visit.sign_in(&app, "tiepnhan").await;
    visit.act(&app, &code, "return_result", &[]).await;
    let page = visit.browser.source().await;
    assert!(page.contains("Đã trả kết quả"), "{page}");
    // The agency's process-control slip, opened from the dossier's page with the session.
    visit.browser.find("a[href$='/control-slip']").await.click_to_page().await;
    visit.check("mau-05").await;
    assert!(visit.browser.source().await.contains("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"));
    // Reception's counter: the procedures it receives, and the form it fills for a walk-in.
    visit.open(&app, "/can-bo/tiep-nhan", "tiep-nhan-truc-tiep").await;
    visit.open(&app, "/can-bo/tiep-nhan/1.004227", "tiep-nhan-bieu-mau").await;

    // The citizen prints the receipt and follows every step.
    visit.browser.forget().await;
    visit.open(&app, &format!("/api/v1/dossiers/{code}/receipt?key={key}"), "mau-01").await;
    assert!(visit.browser.source().await.contains(&code));
    visit.open(&app, "/tra-cuu?ma=G22.26.01.01-260302-9999&khoa=AAAAAAAAAA", "tra-cuu-khong-thay").await;
    visit.open(&app, "/tra-cuu", "tra-cuu").await;
    visit.browser.find("#ma").await.fill(&code).await;
    visit.browser.find("#khoa").await.fill(&key).await;
    visit.browser.find("form.search button[type=submit]").await.click_to_page().await;
    visit.check("qua-trinh").await;
    let page = visit.browser.source().await;
    for step in [
        "Tiếp nhận, kiểm tra hồ sơ",
        "Thẩm định, cập nhật hồ sơ địa chính",
        "Ký xác nhận thay đổi trên Giấy chứng nhận",
        "Đã trả kết quả",
    ] {
        assert!(page.contains(step), "the timeline lacks `{step}`");
    }
    assert!(!page.contains("Chưa thực hiện"), "every step done");

    // An administrator breaks the land procedure's definition, sees the error at its line,
    // fixes it and publishes it as version 2.
    visit.sign_in(&app, "quantri").await;
    visit.check("dinh-nghia-thu-tuc").await;
    visit.browser.find("a[href='/can-bo/thu-tuc/1.004227']").await.click_to_page().await;
    visit.check("sua-dinh-nghia").await;
    let fixed = LAND.replace("version: 1", "version: 2");
    let broken = fixed.replace("role: specialist", "role: chuyen_vien");
    let line = broken.lines().position(|l| l.contains("role: chuyen_vien")).expect("the line") + 1;
    visit.set("yaml", &broken).await;
    visit.browser.find("button[value=luu]").await.click_to_page().await;
    let flagged = visit.wait_for(&format!("li#dong-{line}.flagged")).await;
    assert!(flagged.contains("unknown_role") && flagged.contains("Vai trò không xác định"), "{flagged}");
    visit.check("loi-tai-dong").await;
    visit.set("yaml", &fixed).await;
    visit.browser.find("button[value=luu]").await.click_to_page().await;
    assert!(visit.browser.source().await.contains("Đã lưu bản nháp"));
    visit.check("ban-nhap").await;
    visit.browser.find("button[value=cong-bo]").await.click_to_page().await;
    assert!(visit.browser.source().await.contains("Đã công bố"));
    visit.check("da-cong-bo").await;
    let versions: serde_json::Value =
        app.get("/api/v1/procedures/1.004227/versions").await.json().await.expect("versions");
    assert_eq!(versions["versions"][1]["status"], "published");
    visit.open(&app, "/can-bo/tai-khoan", "tai-khoan").await;
    visit.open(&app, "/can-bo/thong-ke?tu=2026-01-01&den=2026-12-31", "thong-ke").await;
    assert!(visit.browser.source().await.contains("Hồ sơ đã giải quyết"));

    // On a 360 px phone every public page fits the width: nothing to scroll sideways (wide
    // tables scroll inside their own box).
    visit.browser.resize(360, 740).await;
    let tracking = format!("/tra-cuu?ma={code}&khoa={key}");
    for (path, name) in [
        ("/", "dien-thoai-trang-chu"),
        ("/thu-tuc/1.004227", "dien-thoai-thu-tuc"),
        ("/nop-ho-so/1.004227", "dien-thoai-nop-ho-so"),
        (tracking.as_str(), "dien-thoai-tra-cuu"),
        // The administrator's pages too, still signed in: staff work on phones as well.
        ("/can-bo/thu-tuc", "dien-thoai-dinh-nghia"),
        ("/can-bo/thu-tuc/1.004227", "dien-thoai-sua-dinh-nghia"),
        ("/can-bo/thong-ke", "dien-thoai-thong-ke"),
        ("/can-bo/tai-khoan", "dien-thoai-tai-khoan"),
    ] {
        visit.open(&app, path, name).await;
        let fits = "const done = arguments[arguments.length - 1];
                    done(document.documentElement.scrollWidth <= window.innerWidth);";
        assert_eq!(visit.browser.run(fits, json!([])).await, json!(true), "{path} scrolls sideways at 360 px");
    }
}
