//! The definition lifecycle under `/api/v1/procedures/{code}`: draft, publish, retire,
//! versions, diff and the impact of a draft on dossiers in flight.

pub(crate) mod diff;
pub(crate) mod draft;
pub(crate) mod impact;
pub(crate) mod versions;

use crate::auth::{ApiRole, Principal};
use crate::error::{ApiError, ErrorCode};
use actix_web::web;
use motcua_engine::codes::AgencyCode;

/// Mounts the definition routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(draft::put_draft)
        .service(draft::publish)
        .service(draft::retire)
        .service(versions::versions)
        .service(diff::diff)
        .service(impact::impact);
}

/// Whether the caller may see a procedure's drafts: those who may edit it.
pub(crate) fn is_editor(principal: Option<&Principal>, rows: &[crate::db::entities::procedure_version::Model]) -> bool {
    let agency = rows.first().and_then(|row| row.agency.parse::<AgencyCode>().ok());
    matches!((principal, agency), (Some(p), Some(agency)) if may_edit(p, &agency).is_ok())
}

/// Admins edit every definition; a department only its own agency's.
pub(crate) fn may_edit(principal: &Principal, agency: &AgencyCode) -> Result<(), ApiError> {
    principal.require(&[ApiRole::Admin, ApiRole::Department])?;
    if principal.governs(agency) {
        Ok(())
    } else {
        Err(ApiError::new(ErrorCode::Forbidden, format!("procedures of `{agency}` belong to another agency")))
    }
}
