//! Reception's notices as printable pages: the supplement request (Mẫu 02), before receipt or
//! during processing, and the refusal to receive (Mẫu 03), each listing what and why.

use super::{Header, Printable, names, page, signer, spoken, text};
use crate::error::{ApiError, ErrorCode};
use actix_web::{HttpResponse, get};
use askama::Template;
use chrono::{DateTime, FixedOffset};
use motcua_engine::legal::{FormName, rule_set_on};
use motcua_engine::lifecycle::{PauseReason, State};
use sea_orm::DatabaseConnection;
use serde_json::Value;

/// One notice: the form, when it was issued, by whom, and its items.
struct Notice<'a> {
    form: FormName,
    at: DateTime<FixedOffset>,
    by: Option<&'a str>,
    lead: &'static str,
    items: &'a [String],
    closing: &'static str,
    /// Who signs: the officer who received the dossier, or who guides the applicant.
    signer_role: &'static str,
}

/// Where a notice is issued from: the dossier, its agency and desk by name, when it arrived.
struct Issuer<'a> {
    code: &'a str,
    agency: String,
    desk: String,
    submitted_at: DateTime<FixedOffset>,
}

#[derive(Template)]
#[template(path = "printable/notice.html")]
struct NoticePage<'a> {
    h: Header,
    applicant: String,
    submitted: String,
    procedure: String,
    lead: &'static str,
    items: &'a [String],
    closing: &'static str,
    issued: String,
    signer_role: &'static str,
    signer: String,
}

fn render(issuer: Issuer<'_>, submission: &Value, notice: &Notice<'_>) -> Result<HttpResponse, ApiError> {
    let circular = rule_set_on(issuer.submitted_at.date_naive()).forms.circular;
    page(&NoticePage {
        h: Header::new(notice.form, circular, (issuer.agency, issuer.desk), issuer.code, notice.at),
        applicant: text(&submission["applicant"]["name"]),
        submitted: spoken(issuer.submitted_at),
        procedure: text(&submission["receipt"]["procedure"]),
        lead: notice.lead,
        items: notice.items,
        closing: notice.closing,
        issued: spoken(notice.at),
        signer_role: notice.signer_role,
        signer: notice.by.map(signer).unwrap_or_default().to_owned(),
    })
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
    let Printable { row, submission, state, .. } = asked;
    let code = &row.code;
    let d = &row.lifecycle;
    let form = rule_set_on(d.submitted_at.date_naive()).forms.supplement;
    let lead = "Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau (nêu rõ lý do):";
    let signer_role = "NGƯỜI HƯỚNG DẪN";
    let closing = "Ông/Bà vui lòng bổ sung, hoàn thiện hồ sơ theo các nội dung trên. \
                   Thời gian chờ bổ sung không tính vào thời hạn giải quyết hồ sơ.";
    let notice = match (&d.state, &d.reception_notice, &d.pause) {
        (State::AwaitingSupplementBeforeReceipt, Some(notice), _) => {
            Notice { form, at: notice.at, by: Some(&notice.by), lead, items: &notice.items, closing, signer_role }
        }
        (State::Paused { .. }, _, Some(pause)) if pause.reason == PauseReason::Supplement => {
            Notice { form, at: pause.since, by: None, lead, items: &pause.items, closing, signer_role }
        }
        _ => {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("dossier `{code}` has no supplement request outstanding"),
            ));
        }
    };
    let desk = desk_of(&row)?;
    render(issuer(&state.db, &row, &desk).await?, &submission, &notice)
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
    let Printable { row, submission, state, .. } = asked;
    let code = &row.code;
    let d = &row.lifecycle;
    let notice = match (&d.state, &d.reception_notice) {
        (State::Refused, Some(notice)) => Notice {
            form: rule_set_on(d.submitted_at.date_naive()).forms.refusal,
            at: notice.at,
            by: Some(&notice.by),
            lead: "Qua xem xét, hồ sơ không được tiếp nhận, giải quyết với lý do cụ thể như sau:",
            items: &notice.items,
            closing: "Xin thông báo để Ông/Bà biết và thực hiện.",
            signer_role: "NGƯỜI TIẾP NHẬN HỒ SƠ",
        },
        _ => return Err(ApiError::new(ErrorCode::NotFound, format!("dossier `{code}` was not refused"))),
    };
    let desk = desk_of(&row)?;
    render(issuer(&state.db, &row, &desk).await?, &submission, &notice)
}
