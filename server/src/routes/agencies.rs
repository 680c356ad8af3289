//! `/api/v1/agencies`: the registry of agencies whose names printed forms use.

use crate::auth::{ApiRole, Principal};
use crate::error::{ApiError, ErrorCode};
use crate::repository::agencies::{self, Agency};
use crate::state::AppState;
use actix_web::{HttpResponse, get, put, web};
use motcua_engine::codes::AgencyCode;

/// An agency's name and parent unit; its code is the path's.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgencyBody {
    /// The name printed on forms, e.g. "Văn phòng đăng ký đất đai tỉnh Gia Lai".
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    name: String,
    /// The unit it belongs to, if any (not itself).
    #[serde(default)]
    #[schema(schema_with = crate::openapi::schemas::agency_code_or_null)]
    parent: Option<AgencyCode>,
}

/// Longest agency name.
const MAX_NAME: usize = 300;

/// Every registered agency with its name and parent, by code. Public.
#[utoipa::path(get, path = "/api/v1/agencies", operation_id = "list_agencies", tag = "agencies", responses((status = 200, description = "the agencies, by code", body = Registry)))]
#[get("/agencies")]
pub async fn list(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let items: Vec<Registered> = agencies::all(&state.db)
        .await?
        .into_iter()
        .map(|row| Registered { code: row.code, name: row.name, parent: row.parent, updated_at: row.updated_at })
        .collect();
    Ok(HttpResponse::Ok().json(Registry { items }))
}

/// The registered agencies, by code.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Registry {
    /// Every agency.
    items: Vec<Registered>,
}

/// An agency as the registry lists it.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Registered {
    /// Its electronic identifier.
    code: String,
    /// Its name.
    name: String,
    /// The unit it belongs to.
    parent: Option<String>,
    /// When it was last registered or renamed.
    updated_at: chrono::DateTime<chrono::FixedOffset>,
}

/// Registers or renames an agency (admin): `{"name": "…", "parent": "G22.26"}`. Forms printed
/// from then on use the name.
#[utoipa::path(put, path = "/api/v1/agencies/{code}", operation_id = "put_agency", tag = "agencies", params(("code" = String, Path, description = "electronic identifier, e.g. G22.26.01.01")), request_body = AgencyBody, responses((status = 200, description = "the agency as registered", body = Agency), (status = 400, description = "not an agency code, a name of 1 to 300 characters, or a parent that is not a code", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "not an administrator", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[put("/agencies/{code}")]
pub async fn put(
    principal: Principal,
    state: web::Data<AppState>,
    code: web::Path<String>,
    crate::extract::JsonBody(body): crate::extract::JsonBody,
) -> Result<HttpResponse, ApiError> {
    principal.require(&[ApiRole::Admin])?;
    let invalid = |detail: String| ApiError::new(ErrorCode::InvalidBody, detail);
    let code: AgencyCode = code.parse().map_err(|e| ApiError::new(ErrorCode::NotFound, format!("{e}")))?;
    // The code is the path's: a body naming one is refused (an unknown field), not overruled.
    let body: AgencyBody = super::object_body(body, "{\"name\": \"…\", \"parent\": \"G22.26\"}")?;
    let agency = Agency { code: code.clone(), name: body.name, parent: body.parent };
    let name = agency.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.contains('\0') {
        return Err(invalid(format!("`name` must have 1 to {MAX_NAME} characters")));
    }
    if agency.parent.as_ref().is_some_and(|parent| parent == &code) {
        return Err(invalid("an agency is not its own parent".to_owned()));
    }
    let agency = Agency { name: name.to_owned(), ..agency };
    agencies::upsert(&state.db, &agency, state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(&agency))
}
