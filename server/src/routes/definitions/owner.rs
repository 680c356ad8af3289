//! `GET …/owner` and `PUT …/owner`: which agency a procedure code belongs to, and moving it.

use crate::auth::{ApiRole, Principal};
use crate::error::{ApiError, ErrorCode};
use crate::repository::{owners, procedures};
use crate::state::AppState;
use actix_web::{HttpResponse, get, put, web};
use motcua_engine::codes::AgencyCode;
use serde::Deserialize;

/// Longest reason of a move.
const MAX_REASON: usize = 1000;

/// Who owns a procedure code, and since when.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Ownership {
    /// The procedure code.
    code: String,
    /// The agency that owns it now.
    agency: Option<String>,
    /// Every assignment, oldest first.
    history: Vec<Assignment>,
}

/// One assignment of a code to an agency.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Assignment {
    /// The agency.
    agency: String,
    /// From when.
    since: chrono::DateTime<chrono::FixedOffset>,
    /// Who assigned it (the first publisher, or an administrator).
    assigned_by: String,
    /// Why, for a move.
    reason: Option<String>,
}

fn rendered(code: &str, history: &[crate::db::entities::procedure_owner::Model]) -> Ownership {
    let history: Vec<Assignment> = history
        .iter()
        .map(|row| Assignment {
            agency: row.agency.clone(),
            since: row.since,
            assigned_by: row.assigned_by.clone(),
            reason: row.reason.clone(),
        })
        .collect();
    Ownership { code: code.to_owned(), agency: history.last().map(|a| a.agency.clone()), history }
}

/// The agency that owns the procedure code (its department publishes and retires its
/// versions) and every assignment since the code was first published. Public.
#[utoipa::path(get, path = "/api/v1/procedures/{code}/owner", tag = "definitions", params(("code" = String, Path, description = "procedure code, e.g. 1.004227")), responses((status = 200, description = "the owning agency and the history of assignments", body = Ownership), (status = 404, description = "a code never published", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/procedures/{code}/owner")]
pub async fn get_owner(state: web::Data<AppState>, code: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let history = owners::history(&state.db, &code).await?;
    if history.is_empty() {
        return Err(ApiError::new(ErrorCode::NotFound, format!("procedure `{code}` was never published")));
    }
    Ok(HttpResponse::Ok().json(rendered(&code, &history)))
}

/// A move of a code to another agency.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnerChange {
    /// The agency that owns the code from now on.
    #[schema(schema_with = crate::openapi::schemas::agency_code)]
    agency: String,
    /// Why (the decision that moved the competence), kept in the history.
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    reason: String,
}

/// Moves a procedure code to another agency (admin): from now on only that agency's
/// departments publish and retire its versions. Recorded in the code's history with who and
/// why. Dossiers already filed keep the version, and the desk, they were filed under.
#[utoipa::path(put, path = "/api/v1/procedures/{code}/owner", tag = "definitions", params(("code" = String, Path, description = "procedure code, e.g. 1.004227")), request_body = OwnerChange, responses((status = 200, description = "the new owner and the history", body = Ownership), (status = 400, description = "not an agency code, or no reason", body = crate::error::Problem, content_type = "application/problem+json"), (status = 404, description = "no such procedure", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "not an administrator", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[put("/procedures/{code}/owner")]
pub async fn put_owner(
    principal: Principal,
    state: web::Data<AppState>,
    code: web::Path<String>,
    crate::extract::JsonBody(body): crate::extract::JsonBody,
) -> Result<HttpResponse, ApiError> {
    principal.require(&[ApiRole::Admin])?;
    let change: OwnerChange = crate::routes::object_body(body, "{\"agency\": \"G22.26.05\", \"reason\": \"…\"}")?;
    let agency: AgencyCode =
        change.agency.parse().map_err(|e| ApiError::new(ErrorCode::InvalidBody, format!("`agency`: {e}")))?;
    let reason = change.reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON {
        return Err(ApiError::new(ErrorCode::InvalidBody, format!("`reason` must have 1 to {MAX_REASON} characters")));
    }
    if procedures::versions(&state.db, &code).await?.is_empty() {
        return Err(ApiError::new(ErrorCode::NotFound, format!("no procedure `{code}`")));
    }
    owners::assign(
        &state.db,
        &code,
        &agency,
        &format!("{}#{}", principal.name, principal.id),
        Some(reason.to_owned()),
        state.clock.now(),
    )
    .await?;
    let history = owners::history(&state.db, &code).await?;
    Ok(HttpResponse::Ok().json(rendered(&code, &history)))
}
