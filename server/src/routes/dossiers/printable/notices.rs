//! Reception's notices as printable pages: the supplement request (Mẫu 02), before receipt or
//! during processing, and the refusal to receive (Mẫu 03), each listing what and why.

use super::{Printable, escape, names, page, signer, spoken, text};
use crate::error::{ApiError, ErrorCode};
use actix_web::{HttpResponse, get};
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

/// Where a notice is issued from: the dossier, its agency and desk by name, when it arrived.
struct Issuer<'a> {
    code: &'a str,
    agency: String,
    desk: String,
    submitted_at: DateTime<FixedOffset>,
}

fn render(issuer: &Issuer<'_>, submission: &Value, notice: &Notice<'_>) -> HttpResponse {
    let mut body = String::new();
    let _ = write!(
        body,
        "<p>{agency}<br>{desk}</p><h1>{title}</h1><p style=\"text-align:center\">{number}</p>\
         <p>Kính gửi: {applicant}</p>\
         <p>{submitted}, {desk} nhận hồ sơ mã <b>{code}</b> đề nghị giải quyết thủ tục: {procedure}.</p>\
         <p>{lead}</p><ol>",
        agency = issuer.agency,
        desk = issuer.desk,
        title = escape(&notice.form.title.to_uppercase()),
        number = notice.form.number,
        applicant = text(&submission["applicant"]["name"]),
        submitted = spoken(issuer.submitted_at),
        code = escape(issuer.code),
        procedure = text(&submission["receipt"]["procedure"]),
        lead = notice.lead,
    );
    for item in notice.items {
        let _ = write!(body, "<li>{}</li>", escape(item));
    }
    let _ =
        write!(body, "</ol><p>{}</p><p style=\"text-align:right\">Lập phiếu: {}", notice.closing, spoken(notice.at));
    if let Some(by) = notice.by {
        let _ = write!(body, "<br>NGƯỜI TIẾP NHẬN HỒ SƠ<br>{}", escape(signer(by)));
    }
    body.push_str("</p>");
    page(&format!("{} {}", notice.form.number, escape(issuer.code)), &body)
}

/// The issuer of a notice, with the registry's names.
async fn issuer<'a>(
    db: &DatabaseConnection,
    row: &'a crate::dossiers::record::StoredDossier,
    desk: &str,
) -> Result<Issuer<'a>, ApiError> {
    let names = names(db, &[row.agency.as_str(), desk]).await?;
    Ok(Issuer {
        code: &row.code,
        agency: names.of(row.agency.as_str()),
        desk: names.of(desk),
        submitted_at: row.submitted_at,
    })
}

/// The supplement request (Mẫu 02): what is missing or wrong, and why. Before receipt, the
/// dossier is not received until the applicant answers; during processing, the clock stands
/// still until then. With a token that may see the dossier, or `?key=`.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/supplement-request", tag = "dossiers", params(("code" = String, Path, description = "dossier code, e.g. G22.26.01.01-260302-0001"), super::KeyQuery), responses((status = 200, description = "printable Mẫu 02", body = String, content_type = "text/html"), (status = 404, description = "no supplement request outstanding", body = crate::error::Problem, content_type = "application/problem+json"), (status = 429, description = "too many anonymous lookups from this address", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/dossiers/{code}/supplement-request")]
pub async fn supplement_request(asked: Printable) -> Result<HttpResponse, ApiError> {
    let Printable { row, submission, state } = asked;
    let code = &row.code;
    let d = &row.lifecycle;
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
    let desk = desk_of(&row)?;
    Ok(render(&issuer(&state.db, &row, &desk).await?, &submission, &notice))
}

/// The one-stop desk of the dossier's procedure version: the unit of its first step.
fn desk_of(row: &crate::dossiers::record::StoredDossier) -> Result<String, ApiError> {
    let d = &row.lifecycle;
    Ok(d.steps.first().map_or_else(|| row.agency.to_string(), |step| step.agency.to_string()))
}

/// The refusal to receive (Mẫu 03), with its reasons, once reception refused the dossier.
/// With a token that may see the dossier, or `?key=`.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/refusal", tag = "dossiers", params(("code" = String, Path, description = "dossier code, e.g. G22.26.01.01-260302-0001"), super::KeyQuery), responses((status = 200, description = "printable Mẫu 03", body = String, content_type = "text/html"), (status = 404, description = "not refused", body = crate::error::Problem, content_type = "application/problem+json"), (status = 429, description = "too many anonymous lookups from this address", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/dossiers/{code}/refusal")]
pub async fn refusal(asked: Printable) -> Result<HttpResponse, ApiError> {
    let Printable { row, submission, state } = asked;
    let code = &row.code;
    let d = &row.lifecycle;
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
    let desk = desk_of(&row)?;
    Ok(render(&issuer(&state.db, &row, &desk).await?, &submission, &notice))
}
