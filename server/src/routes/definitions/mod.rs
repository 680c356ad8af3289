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

/// The procedure's draft compiled again (form schemas may have changed since it was saved),
/// once the caller is known to be allowed to edit it.
pub(crate) async fn compiled_draft(
    principal: &Principal,
    catalogue: &crate::catalogue::Catalogue,
    db: &sea_orm::DatabaseConnection,
    code: &str,
) -> Result<(crate::db::entities::procedure_version::Model, motcua_engine::Procedure), ApiError> {
    let draft = crate::repository::procedures::draft(db, code)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("`{code}` has no draft")))?;
    let agency: AgencyCode = draft.agency.parse().map_err(|_| ApiError::new(ErrorCode::Internal, "stored agency"))?;
    may_edit(principal, &agency)?;
    let ctx = catalogue
        .context(db)
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?
        .with_examples_budget(crate::evaluation::rule_time_budget());
    let compilation = crate::catalogue::compile_apart(&draft.source, &draft.yaml, &ctx);
    match compilation.procedure {
        Some(procedure) => Ok((draft, procedure)),
        None => {
            let diagnostics: Vec<String> = compilation.diagnostics.iter().map(ToString::to_string).collect();
            Err(ApiError::new(ErrorCode::DefinitionInvalid, "the draft no longer compiles")
                .with("diagnostics", serde_json::json!(diagnostics)))
        }
    }
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
