//! Printable forms: the receipt (Mẫu 01), the supplement request (Mẫu 02), the refusal
//! (Mẫu 03) and the apology with a new appointment (Mẫu 04).

pub(crate) mod notices;

use super::read::limit_anonymous;
use crate::auth::MaybePrincipal;
use crate::dossiers::Seen;
use crate::dossiers::record::StoredDossier;
use crate::error::{ApiError, ErrorCode};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, get};
use chrono::{DateTime, FixedOffset};
use motcua_engine::calendar::VIETNAM_OFFSET;
use motcua_engine::definition::DocumentKind;
use motcua_engine::legal::rule_set_on;
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use serde_json::Value;
use std::fmt::Write;
use std::future::Future;
use std::pin::Pin;

/// The receipt's lookup key, for the public.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct KeyQuery {
    /// The lookup key printed on the receipt (Mẫu 01), for a caller without a token.
    pub(in crate::routes::dossiers) key: Option<String>,
}

pub(super) use crate::html::escape;

/// "09 giờ 00 phút, ngày 12/02/2026", as the forms write times.
pub(super) fn spoken(at: DateTime<FixedOffset>) -> String {
    at.with_timezone(&VIETNAM_OFFSET).format("%H giờ %M phút, ngày %d/%m/%Y").to_string()
}

pub(super) fn text(value: &Value) -> String {
    escape(value.as_str().unwrap_or_default())
}

/// The dossier a printable page is asked for, for a caller who may see it or holds its lookup
/// key (`?key=`); an anonymous caller's lookups are rate-limited. 404 otherwise, the same as
/// for a code that does not exist.
pub(super) struct Printable {
    /// The dossier.
    pub row: StoredDossier,
    /// Its applicant and receipt, as a tree the pages index.
    pub submission: Value,
    /// The application, for the names the page prints.
    pub state: actix_web::web::Data<crate::state::AppState>,
}

impl FromRequest for Printable {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let principal = MaybePrincipal::from_request(&req, payload);
        Box::pin(async move {
            let principal = principal.await?;
            let query = crate::extract::Query::<KeyQuery>::parse(req.query_string())?;
            limit_anonymous(&req, &principal)?;
            let state = crate::state::of(&req)?;
            let code = req.match_info().get("code").unwrap_or_default();
            let (Seen::Full(row) | Seen::Public(row)) =
                state.dossiers().read(principal.0.as_ref(), code, query.key.as_deref()).await?;
            let submission = serde_json::json!({
                "applicant": row.submission.applicant,
                "receipt": row.submission.receipt_value(),
            });
            Ok(Printable { row, submission, state })
        })
    }
}

pub(super) use crate::dossiers::record::signer;

/// The registered names of `codes`; a code not registered prints as itself.
pub(super) async fn names(db: &DatabaseConnection, codes: &[&str]) -> Result<Names, ApiError> {
    Ok(Names(crate::repository::agencies::names(db, codes).await?))
}

/// Agency names by code, for one page.
pub(super) struct Names(std::collections::BTreeMap<String, String>);

impl Names {
    /// The name of `code`, escaped, or the code itself when it is not registered.
    pub(super) fn of(&self, code: &str) -> String {
        escape(self.0.get(code).map_or(code, String::as_str))
    }
}

pub(super) fn page(title: &str, body: &str) -> HttpResponse {
    let html = format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{title}</title><style>\
         body{{font-family:'Times New Roman',serif;max-width:46em;margin:2em auto;line-height:1.5}}\
         .nation{{text-align:center;font-weight:bold}}table{{border-collapse:collapse;width:100%}}\
         td,th{{border:1px solid #000;padding:.3em}}h1{{text-align:center;font-size:1.2em}}\
         @media print{{body{{margin:0}}}}</style></head><body>\
         <p class=\"nation\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</p>{body}</body></html>"
    );
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html)
}

/// The receipt and appointment (Mẫu 01) as a printable page. With a token that may see the
/// dossier, or `?key=` with the lookup key.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/receipt", operation_id = "receipt", tag = "dossiers", params(("code" = String, Path, description = "dossier code, e.g. G22.26.01.01-260302-0001"), KeyQuery), responses((status = 429, description = "too many anonymous lookups from this address", body = crate::error::Problem, content_type = "application/problem+json"), (status = 200, description = "printable Mẫu 01", body = String, content_type = "text/html"), (status = 404, description = "no such dossier for you", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/dossiers/{code}/receipt")]
pub async fn receipt(asked: Printable) -> Result<HttpResponse, ApiError> {
    let Printable { row, submission, state } = asked;
    let code = &row.code;
    if row.received_at.is_none() {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("dossier `{code}` is not received yet: its receipt (Mẫu 01) is issued when reception accepts it"),
        ));
    }
    let r = &submission["receipt"];
    let desk = r["desk"].as_str().unwrap_or(row.agency.as_str());
    let names = names(&state.db, &[row.agency.as_str(), desk]).await?;
    let form = format!("{} — {}", text(&r["form"]["number"]), text(&r["form"]["title"]));
    let mut body = String::new();
    let _ = write!(
        body,
        "<p>{agency}<br>{desk}</p><h1>{title}</h1><p style=\"text-align:center\">{form}</p>\
         <p>Mã hồ sơ: <b>{code}</b> — Mã tra cứu: <b>{key}</b></p>\
         <p>Tiếp nhận hồ sơ của: {applicant}</p><p>Nội dung yêu cầu giải quyết: {procedure}</p>\
         <table><tr><th>TT</th><th>Tên giấy tờ</th><th>Hình thức</th><th>Số lượng</th><th>Đã nộp</th></tr>",
        agency = names.of(row.agency.as_str()),
        desk = names.of(desk),
        title = escape(&r["form"]["title"].as_str().unwrap_or_default().to_uppercase()),
        code = escape(&row.code),
        key = text(&r["lookup_key"]),
        applicant = text(&submission["applicant"]["name"]),
        procedure = text(&r["procedure"]),
    );
    for (i, item) in r["checklist"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["required"] == true || i["provided"] == true)
        .enumerate()
    {
        let kind = serde_json::from_value::<DocumentKind>(item["kind"].clone()).unwrap_or(DocumentKind::Copy).label();
        let provided = if item["provided"] == true { "Có" } else { "Chưa" };
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{kind}</td><td>{}</td><td>{provided}</td></tr>",
            i + 1,
            text(&item["title"]),
            item["copies"]
        );
    }
    let received = row.received_at.map(spoken).unwrap_or_default();
    let due = row.due_at.map(spoken).unwrap_or_default();
    let _ = write!(
        body,
        "</table><p>Thời gian giải quyết: {time}</p><p>Thời gian nhận hồ sơ: {received}</p>\
         <p>Thời gian trả kết quả giải quyết hồ sơ: <b>{due}</b></p><p>Phí, lệ phí: {fee}</p>\
         <p>Tra cứu tình trạng hồ sơ bằng mã hồ sơ và mã tra cứu trên Cổng dịch vụ công.</p>",
        time = text(&r["processing_time"]),
        fee = crate::vi_format::dong(row.fee),
    );
    Ok(page(&format!("{form} {}", escape(&row.code)), &body))
}

/// The apology and new appointment (Mẫu 04) as a printable page, once issued.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/apology", tag = "dossiers", params(("code" = String, Path, description = "dossier code, e.g. G22.26.01.01-260302-0001"), KeyQuery), responses((status = 429, description = "too many anonymous lookups from this address", body = crate::error::Problem, content_type = "application/problem+json"), (status = 200, description = "printable Mẫu 04", body = String, content_type = "text/html"), (status = 404, description = "no apology", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/dossiers/{code}/apology")]
pub async fn apology(asked: Printable) -> Result<HttpResponse, ApiError> {
    let Printable { row, submission, state } = asked;
    let code = &row.code;
    let d = &row.lifecycle;
    let apology = d
        .apology
        .as_ref()
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("dossier `{code}` has no apology")))?;
    let form = rule_set_on(d.received_at.unwrap_or(d.submitted_at).date_naive()).forms.apology;
    let desk = submission["receipt"]["desk"].as_str().unwrap_or(row.agency.as_str()).to_owned();
    let names = names(&state.db, &[apology.agency.as_str(), &desk]).await?;
    let mut body = String::new();
    let _ = write!(
        body,
        "<p>{agency}</p><h1>{title}</h1><p style=\"text-align:center\">{number}</p>\
         <p>Kính gửi: {applicant}</p>\
         <p>Ngày {received}, {desk} tiếp nhận hồ sơ mã <b>{code}</b> ({procedure}), hẹn trả kết quả {due}.</p>\
         <p>Tuy nhiên, đến nay chưa giải quyết xong vì lý do: {reason}.</p>\
         <p>Sự chậm trễ này đã gây phiền hà cho Ông/Bà. Chúng tôi xin lỗi và hẹn trả kết quả vào <b>{new_due}</b>.</p>\
         <p style=\"text-align:right\">THỦ TRƯỞNG CƠ QUAN ({by})</p>",
        agency = names.of(apology.agency.as_str()),
        desk = names.of(&desk),
        title = escape(&form.title.to_uppercase()),
        number = form.number,
        applicant = text(&submission["applicant"]["name"]),
        received = d.received_at.map(spoken).unwrap_or_default(),
        code = escape(&row.code),
        procedure = text(&submission["receipt"]["procedure"]),
        due = d.due.map(spoken).unwrap_or_default(),
        reason = escape(&apology.reason),
        new_due = spoken(apology.new_due),
        by = escape(signer(&apology.by)),
    );
    Ok(page(&format!("{} {}", form.number, escape(&row.code)), &body))
}
