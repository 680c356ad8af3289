//! Reception's notices as printable pages: the supplement request (Mẫu 02), before receipt or
//! during processing, and the refusal to receive (Mẫu 03), each listing what and why.

use super::{KeyQuery, escape, load, page, spoken, text};
use crate::auth::MaybePrincipal;
use crate::error::{ApiError, ErrorCode};
use crate::repository::dossiers;
use crate::routes::dossiers::read::limit_anonymous;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, FixedOffset};
use motcua_engine::legal::{FormName, rule_set_on};
use motcua_engine::lifecycle::{PauseReason, State};
use sea_orm::DatabaseConnection;
use serde_json::Value;
use std::fmt::Write;

/// One notice: the form, when it was issued, by whom, and its items.
struct Notice<'a> {
    form: FormName,
    at: DateTime<FixedOffset>,
    by: Option<&'a str>,
    lead: &'a str,
    items: &'a [String],
    closing: &'a str,
}

fn render(code: &str, submission: &Value, notice: &Notice<'_>) -> HttpResponse {
    let mut body = String::new();
    let _ = write!(
        body,
        "<p>{agency}</p><h1>{title}</h1><p style=\"text-align:center\">{number}</p>\
         <p>Kính gửi: {applicant}</p>\
         <p>{at}, Bộ phận tiếp nhận và trả kết quả nhận hồ sơ mã <b>{code}</b> đề nghị giải quyết thủ tục: {procedure}.</p>\
         <p>{lead}</p><ol>",
        agency = text(&submission["receipt"]["agency"]),
        title = escape(&notice.form.title.to_uppercase()),
        number = notice.form.number,
        applicant = text(&submission["applicant"]["name"]),
        at = spoken(notice.at),
        code = escape(code),
        procedure = text(&submission["receipt"]["procedure"]),
        lead = notice.lead,
    );
    for item in notice.items {
        let _ = write!(body, "<li>{}</li>", escape(item));
    }
    let _ = write!(body, "</ol><p>{}</p>", notice.closing);
    if let Some(by) = notice.by {
        let _ = write!(body, "<p style=\"text-align:right\">NGƯỜI TIẾP NHẬN HỒ SƠ ({})</p>", escape(by));
    }
    page(&format!("{} {}", notice.form.number, escape(code)), &body)
}

/// The supplement request (Mẫu 02): what is missing or wrong, and why. Before receipt, the
/// dossier is not received until the applicant answers; during processing, the clock stands
/// still until then. With a token that may see the dossier, or `?key=`.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/supplement-request", tag = "dossiers", params(("code" = String, Path, description = "dossier code, e.g. G22.26.01.01-260302-0001"), ("key" = Option<String>, Query,)), responses((status = 200, description = "printable Mẫu 02", body = String, content_type = "text/html"), (status = 404, description = "no supplement request outstanding", body = crate::error::Problem, content_type = "application/problem+json"), (status = 429, description = "too many anonymous lookups from this address", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/dossiers/{code}/supplement-request")]
pub async fn supplement_request(
    req: HttpRequest,
    principal: MaybePrincipal,
    db: web::Data<DatabaseConnection>,
    code: web::Path<String>,
    query: web::Query<KeyQuery>,
) -> Result<HttpResponse, ApiError> {
    limit_anonymous(&req, &principal)?;
    let (row, submission) = load(&db, &principal, &code, query.key.as_deref()).await?;
    let d = dossiers::lifecycle(&row)?;
    let form = rule_set_on(d.submitted_at.date_naive()).forms.supplement;
    let lead = "Hồ sơ cần được bổ sung, hoàn thiện các nội dung sau:";
    let closing = "Ông/Bà vui lòng bổ sung, hoàn thiện hồ sơ theo các nội dung trên. \
                   Thời gian chờ bổ sung không tính vào thời hạn giải quyết hồ sơ.";
    let notice = match (&d.state, &d.reception_notice, &d.pause) {
        (State::AwaitingSupplementBeforeReceipt, Some(notice), _) => {
            Notice { form, at: notice.at, by: Some(&notice.by), lead, items: &notice.items, closing }
        }
        (State::Paused { .. }, _, Some(pause)) if pause.reason == PauseReason::Supplement => {
            Notice { form, at: pause.since, by: None, lead, items: &pause.items, closing }
        }
        _ => {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("dossier `{code}` has no supplement request outstanding"),
            ));
        }
    };
    Ok(render(&row.code, &submission, &notice))
}

/// The refusal to receive (Mẫu 03), with its reasons, once reception refused the dossier.
/// With a token that may see the dossier, or `?key=`.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/refusal", tag = "dossiers", params(("code" = String, Path, description = "dossier code, e.g. G22.26.01.01-260302-0001"), ("key" = Option<String>, Query,)), responses((status = 200, description = "printable Mẫu 03", body = String, content_type = "text/html"), (status = 404, description = "not refused", body = crate::error::Problem, content_type = "application/problem+json"), (status = 429, description = "too many anonymous lookups from this address", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/dossiers/{code}/refusal")]
pub async fn refusal(
    req: HttpRequest,
    principal: MaybePrincipal,
    db: web::Data<DatabaseConnection>,
    code: web::Path<String>,
    query: web::Query<KeyQuery>,
) -> Result<HttpResponse, ApiError> {
    limit_anonymous(&req, &principal)?;
    let (row, submission) = load(&db, &principal, &code, query.key.as_deref()).await?;
    let d = dossiers::lifecycle(&row)?;
    let notice = match (&d.state, &d.reception_notice) {
        (State::Refused, Some(notice)) => Notice {
            form: rule_set_on(d.submitted_at.date_naive()).forms.refusal,
            at: notice.at,
            by: Some(&notice.by),
            lead: "Hồ sơ không đủ điều kiện tiếp nhận giải quyết vì các lý do sau:",
            items: &notice.items,
            closing: "Xin thông báo để Ông/Bà biết.",
        },
        _ => return Err(ApiError::new(ErrorCode::NotFound, format!("dossier `{code}` was not refused"))),
    };
    Ok(render(&row.code, &submission, &notice))
}
