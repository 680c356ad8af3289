//! The definition lifecycle under `/api/v1/procedures/{code}`: draft, publish, retire,
//! versions, diff and the impact of a draft on dossiers in flight.

pub(crate) mod diff;
pub(crate) mod draft;
pub(crate) mod impact;
pub(crate) mod owner;
mod ownership;
pub(crate) mod versions;

use crate::auth::Principal;
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
        .service(impact::impact)
        .service(owner::get_owner)
        .service(owner::put_owner);
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
    let agency = stored_agency(&draft)?;
    ownership::may_edit(principal, db, code, &[&agency]).await?;
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

/// The agency a stored version names.
pub(crate) fn stored_agency(row: &crate::db::entities::procedure_version::Model) -> Result<AgencyCode, ApiError> {
    row.agency.parse().map_err(|_| ApiError::new(ErrorCode::Internal, format!("stored agency `{}`", row.agency)))
}

/// Whether the caller may see the drafts among `rows`, the versions of `code`.
pub(crate) async fn is_editor(
    principal: Option<&Principal>,
    db: &sea_orm::DatabaseConnection,
    code: &str,
    rows: &[crate::db::entities::procedure_version::Model],
) -> Result<bool, ApiError> {
    let draft = rows.iter().find(|row| row.status == crate::catalogue::DRAFT).map(stored_agency).transpose()?;
    ownership::is_editor(principal, db, code, draft.as_ref()).await
}
