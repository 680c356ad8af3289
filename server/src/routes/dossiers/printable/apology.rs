//! The apology and new appointment (Mẫu 04), signed by the head of the unit that is late.

use super::{Header, KeyQuery, Printable, names, page, signer, spoken, text};
use crate::error::{ApiError, ErrorCode};
use actix_web::{HttpResponse, get};
use askama::Template;
use motcua_engine::legal::rule_set_on;

#[derive(Template)]
#[template(path = "printable/apology.html")]
struct Apology {
    h: Header,
    applicant: String,
    received: String,
    desk: String,
    procedure: String,
    due: String,
    reason: String,
    new_due: String,
    signer: String,
}

/// The apology and new appointment (Mẫu 04) as a printable page, once issued.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/apology", tag = "dossiers", params(("code" = String, Path, description = "dossier code, e.g. G22.26.01.01-260302-0001"), KeyQuery), responses((status = 429, description = "too many anonymous lookups from this address", body = crate::error::Problem, content_type = "application/problem+json"), (status = 200, description = "printable Mẫu 04", body = String, content_type = "text/html"), (status = 404, description = "no apology", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/dossiers/{code}/apology")]
pub async fn apology(asked: Printable) -> Result<HttpResponse, ApiError> {
    let Printable { row, submission, state, .. } = asked;
    let code = &row.code;
    let d = &row.lifecycle;
    let apology = d
        .apology
        .as_ref()
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("dossier `{code}` has no apology")))?;
    let forms = rule_set_on(d.received_at.unwrap_or(d.submitted_at).date_naive()).forms;
    let desk = submission["receipt"]["desk"].as_str().unwrap_or(row.agency.as_str()).to_owned();
    let names = names(&state.db, &[apology.agency.as_str(), row.agency.as_str(), &desk]).await?;
    let late_unit = names.of(apology.agency.as_str());
    let parent = if apology.agency.is_within(&row.agency) { names.of(row.agency.as_str()) } else { String::new() };
    let form = Apology {
        h: Header::new(forms.apology, forms.circular, (parent, late_unit), code, apology.issued_at),
        applicant: text(&submission["applicant"]["name"]),
        received: d.received_at.map(spoken).unwrap_or_default(),
        desk: names.of(&desk),
        procedure: text(&submission["receipt"]["procedure"]),
        due: d.due.map(spoken).unwrap_or_default(),
        reason: apology.reason.clone(),
        new_due: spoken(apology.new_due),
        signer: signer(&apology.by).to_owned(),
    };
    page(&form)
}
