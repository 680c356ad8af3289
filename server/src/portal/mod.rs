//! The web portal, served by `motcua serve` at `/`: server-rendered pages in Vietnamese, with
//! templates checked at compile time (askama) and one vendored style sheet, so that it works
//! with no internet, on a cheap phone as on an office PC, and prints on A4. The pages call the
//! same application service as the API ([`crate::dossiers`]).

mod charts;
mod counter;
mod dashboard;
mod dossier;
mod editor;
mod filing;
mod fold;
mod form_fields;
mod home;
mod inbox;
mod page;
mod procedure;
pub mod secure_cookies;
mod session;
mod sign_in;
mod staff;
mod staff_accounts;
mod tracking;

pub use fold::fold;
pub use page::PortalError;
pub use session::{SESSION_COOKIE, urlencoding as percent_encoded};

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, FixedOffset};
use motcua_engine::Procedure;
use motcua_engine::calendar::VIETNAM_OFFSET;
use motcua_engine::procedure::FeeAmount;

/// The portal's pages and the methods each answers, for the conventions' table of known paths
/// (405 with `Allow`).
pub const PAGES: [(&str, &[&str]); 19] = [
    ("/", &["get"]),
    ("/assets/portal.css", &["get"]),
    ("/assets/portal.js", &["get"]),
    ("/thu-tuc/{code}", &["get"]),
    ("/tra-cuu", &["get"]),
    ("/nop-ho-so/{code}", &["get", "post"]),
    ("/nop-ho-so/{code}/kiem-tra", &["post"]),
    ("/dang-nhap", &["get", "post"]),
    ("/dang-xuat", &["post"]),
    ("/can-bo", &["get"]),
    ("/can-bo/ho-so/{code}", &["get"]),
    ("/can-bo/ho-so/{code}/xu-ly", &["post"]),
    ("/can-bo/tiep-nhan", &["get"]),
    ("/can-bo/tiep-nhan/{code}", &["get", "post"]),
    ("/can-bo/tiep-nhan/{code}/kiem-tra", &["post"]),
    ("/can-bo/thu-tuc", &["get"]),
    ("/can-bo/thu-tuc/{code}", &["get", "post"]),
    ("/can-bo/tai-khoan", &["get", "post"]),
    ("/can-bo/thong-ke", &["get"]),
];

/// Whether `path` is a portal page a browser may be sent back to (it answers GET).
fn answers_get(path: &str) -> bool {
    static GETTABLE: std::sync::LazyLock<Vec<actix_web::dev::ResourceDef>> = std::sync::LazyLock::new(|| {
        PAGES
            .iter()
            .filter(|(_, methods)| methods.contains(&"get"))
            .map(|(page, _)| actix_web::dev::ResourceDef::new(*page))
            .collect()
    });
    GETTABLE.iter().any(|page| page.is_match(path))
}

/// The portal's style sheet.
const STYLE: &str = include_str!("../../assets/portal.css");
/// The portal's one script: the filing form's check before sending (the pages work without it).
const SCRIPT: &str = include_str!("../../assets/portal.js");

/// Mounts the portal's pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(home::home)
        .service(procedure::procedure)
        .service(tracking::tracking)
        .service(style)
        .service(sign_in::form_page)
        .service(sign_in::sign_in)
        .service(sign_in::sign_out)
        .service(inbox::inbox)
        .service(dossier::show)
        .service(dossier::take)
        .service(filing::blank)
        .service(filing::file)
        .service(filing::verdict)
        .service(editor::list)
        .service(editor::show)
        .service(editor::act)
        .service(staff_accounts::show)
        .service(staff_accounts::act)
        .service(dashboard::dashboard)
        .service(counter::procedures)
        .service(counter::blank)
        .service(counter::file)
        .service(counter::verdict)
        .service(script);
}

#[get("/assets/portal.css")]
async fn style() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(STYLE)
}

#[get("/assets/portal.js")]
async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(SCRIPT)
}

/// The query string as `T`; a parameter a page does not know is ignored.
fn query<T: serde::de::DeserializeOwned>(req: &HttpRequest) -> Result<T, PortalError> {
    web::Query::<T>::from_query(req.query_string()).map(web::Query::into_inner).map_err(|_| {
        PortalError::new(
            actix_web::http::StatusCode::BAD_REQUEST,
            "Thông tin chưa hợp lệ",
            "Địa chỉ trang có tham số không đọc được.",
        )
    })
}

/// A form body (`application/x-www-form-urlencoded`) as `T`; what cannot be read is refused
/// like a forged form.
fn form_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, PortalError> {
    let text = std::str::from_utf8(body).map_err(|_| PortalError::forged())?;
    web::Query::<T>::from_query(text).map(web::Query::into_inner).map_err(|_| PortalError::forged())
}

/// The fee as the notice board writes it: `30.000 đồng`, `Không thu phí`, or that it depends
/// on the case.
fn fee_text(p: &Procedure) -> String {
    match &p.fee.amount {
        FeeAmount::Fixed(0) => "Không thu phí, lệ phí".to_owned(),
        FeeAmount::Fixed(amount) => crate::vi_format::dong(*amount),
        FeeAmount::Rule(_) => "Tùy trường hợp, theo mức thu quy định".to_owned(),
    }
}

/// Whether a document must be given, as the notice board says it: always, only if the
/// applicant has it, or when — in plain words where the definition's condition has them.
fn need(document: &motcua_engine::procedure::Document) -> String {
    match (document.optional, &document.condition, &document.condition_text) {
        (true, _, _) => "Nộp nếu có".to_owned(),
        (false, Some(_), Some(text)) => text.clone(),
        (false, Some(_), None) => "Tùy trường hợp".to_owned(),
        (false, None, _) => "Bắt buộc".to_owned(),
    }
}

/// An instant as the one-stop forms write it, in UTC+7: `09:00 ngày 03/12/2026`.
fn at_text(at: DateTime<FixedOffset>) -> String {
    at.with_timezone(&VIETNAM_OFFSET).format("%H:%M ngày %d/%m/%Y").to_string()
}
