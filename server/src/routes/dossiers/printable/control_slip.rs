//! The process-control slip (Mẫu 05): each handover between the steps — from which unit to
//! which, when, by whom to whom — and whether the step was early, on time or late against its
//! own budget. Kept by the agency: staff of the dossier's agencies only, not the lookup key.

use super::{Header, KeyQuery, Printable, names, page, signer, spoken, text};
use crate::error::{ApiError, ErrorCode};
use actix_web::{HttpResponse, get};
use askama::Template;
use motcua_engine::codes::Role;
use motcua_engine::legal::rule_set_on;

/// One handover.
struct Handed {
    from: String,
    to: String,
    at: String,
    giver: String,
    receiver: String,
    timing: String,
    step: String,
}

/// Who received a handover: a person as recorded (`Name#id`), or the duty and unit the next
/// step waits for (`specialist G22.26.01.03`), written out.
fn receiver(recorded: &str, names: &super::Names) -> String {
    match recorded.split_once(' ') {
        Some((role, agency)) if !recorded.contains('#') => match role.parse::<Role>() {
            Ok(role) => format!("{}, {}", role.label(), names.of(agency)),
            Err(_) => recorded.to_owned(),
        },
        _ => signer(recorded).to_owned(),
    }
}

#[derive(Template)]
#[template(path = "printable/control_slip.html")]
struct ControlSlip {
    h: Header,
    applicant: String,
    procedure: String,
    agency: String,
    partners: String,
    received: String,
    due: String,
    rows: Vec<Handed>,
}

/// The process-control slip (Mẫu 05) as a printable page, once the dossier is received. With
/// a token of staff who may see the dossier.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/control-slip", tag = "dossiers", params(("code" = String, Path, description = "dossier code, e.g. G22.26.01.01-260302-0001"), KeyQuery), responses((status = 200, description = "printable Mẫu 05", body = String, content_type = "text/html"), (status = 404, description = "not received, or not yours to see", body = crate::error::Problem, content_type = "application/problem+json"), (status = 429, description = "too many anonymous lookups from this address", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/dossiers/{code}/control-slip")]
pub async fn control_slip(asked: Printable) -> Result<HttpResponse, ApiError> {
    let Printable { row, submission, state, full } = asked;
    let code = &row.code;
    let d = &row.lifecycle;
    let (true, Some(received_at)) = (full, d.received_at) else {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!(
                "dossier `{code}` has no control slip for you: it is kept by the agency once the dossier is received"
            ),
        ));
    };
    let procedure = state.dossiers().procedure_of(&row).await?;
    let mut codes: Vec<&str> = d.steps.iter().map(|s| s.agency.as_str()).collect();
    codes.push(row.agency.as_str());
    let names = names(&state.db, &codes).await?;
    let mut rows = Vec::new();
    for (i, step) in d.steps.iter().enumerate() {
        let Some(handover) = &step.handover else { continue };
        let next = d.steps.get(i + 1);
        let title = procedure.steps.get(i).and_then(|s| s.name.clone()).unwrap_or_else(|| step.id.clone());
        rows.push(Handed {
            from: names.of(step.agency.as_str()),
            to: next.map_or_else(|| "Người nộp hồ sơ (trả kết quả)".to_owned(), |n| names.of(n.agency.as_str())),
            at: spoken(handover.at),
            giver: signer(&handover.giver).to_owned(),
            receiver: receiver(&handover.receiver, &names),
            timing: handover.timing.label().to_owned(),
            step: title,
        });
    }
    let mut partners: Vec<String> =
        procedure.steps.iter().filter(|s| s.inter_agency).map(|s| names.of(s.agency.as_str())).collect();
    partners.dedup();
    let forms = rule_set_on(received_at.date_naive()).forms;
    let desk = submission["receipt"]["desk"].as_str().unwrap_or(row.agency.as_str()).to_owned();
    let desk_names = super::names(&state.db, &[desk.as_str()]).await?;
    let form = ControlSlip {
        h: Header::new(
            forms.control_slip,
            forms.circular,
            (names.of(row.agency.as_str()), desk_names.of(&desk)),
            code,
            received_at,
        ),
        applicant: text(&submission["applicant"]["name"]),
        procedure: text(&submission["receipt"]["procedure"]),
        agency: names.of(row.agency.as_str()),
        partners: partners.join("; "),
        received: spoken(received_at),
        due: d.due.map(spoken).unwrap_or_default(),
        rows,
    };
    page(&form)
}
